"""The Telegram bot as a colleague meets it on a phone, against the local Bot API emulator
through python-telegram-bot's real request stack: what is sent, and which buttons it carries."""

import asyncio
import shutil
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import pytest_asyncio

from bench.botapi import BOT_USERNAME, BotApiEmulator
from bot.core import Core
from bot.database import stats_of
from bot.knowledge import shorten
from bot.loading import load_knowledge
from bot.messages import SOURCE_URL
from bot.telegram.render import split_message
from tests.harness import bot_config, buttons, rows, running, sent_message

# What a phone shows of a button: 32 characters of label, and a number ("5. ") before it.
MAX_LABEL = 32 + 3


@pytest_asyncio.fixture(loop_scope="function")
async def api(
    core: Core, tmp_path: Path, emulator: BotApiEmulator
) -> AsyncIterator[BotApiEmulator]:
    """An emulator with the bot polling it."""
    async with running(bot_config(tmp_path, emulator), core):
        yield emulator


def data_of(message: dict) -> list[str]:
    return [b.get("callback_data", "") for b in buttons(message)]


def press(api: BotApiEmulator, sent: dict, data: str, user_id: int = 1) -> None:
    """Tap a button of a message the bot sent."""
    assert data in data_of(sent), (data, data_of(sent))
    api.push_callback(data, sent_message(sent), user_id=user_id)


@pytest.mark.asyncio(loop_scope="function")
async def test_start_sets_menus_descriptions_and_offers_examples(api: BotApiEmulator) -> None:
    commands = (await api.wait_for("setMyCommands", 1))[0]["commands"]
    assert {c["command"] for c in commands} >= {"start", "help", "onderwerpen", "over"}
    description = (await api.wait_for("setMyDescription", 1))[0]["description"]
    short = (await api.wait_for("setMyShortDescription", 1))[0]["short_description"]
    assert "werkplekleren" in description and len(short) <= 120
    api.push_message("/start")
    sent = (await api.wait_for("sendMessage", 1))[0]
    assert "Ik ben Werkplekbot" in sent["text"] and sent["parse_mode"] == "HTML"
    assert len([d for d in data_of(sent) if d.startswith("a:")]) == 3 and "T" in data_of(sent)


@pytest.mark.asyncio(loop_scope="function")
async def test_an_answer_says_what_it_answers_with_at_most_five_short_rows(
    api: BotApiEmulator, core: Core
) -> None:
    api.push_message("Wat is een referentiepersoon?")
    sent = (await api.wait_for("sendMessage", 1))[0]
    entry = core.knowledge.by_id["referentiepersonen"]
    assert sent["text"].startswith(f"<b>{entry.question}</b>\n")
    assert "a:leernetwerken" in data_of(sent) and "v:+:referentiepersonen" in data_of(sent)
    votes = next(row for row in rows(sent) if row[0].get("callback_data", "").startswith("v:"))
    assert [b["text"] for b in votes][:2] == ["👍", "👎"] and "switch_inline_query" in votes[2]
    assert sent["link_preview_options"]["is_disabled"] is True
    assert api.sent("sendChatAction") == []  # a fast answer needs no "typing…"


@pytest.mark.asyncio(loop_scope="function")
async def test_no_share_button_when_inline_mode_is_off(
    core: Core, tmp_path: Path, emulator: BotApiEmulator
) -> None:
    emulator.inline = False  # not switched on in BotFather: sharing would lead nowhere
    async with running(bot_config(tmp_path, emulator), core):
        emulator.push_message("Wat is een referentiepersoon?")
        sent = (await emulator.wait_for("sendMessage", 1))[0]
    assert "v:+:referentiepersonen" in data_of(sent)
    assert not any("switch_inline_query" in b for b in buttons(sent))


@pytest.mark.asyncio(loop_scope="function")
async def test_typed_numbers_pick_what_is_numbered_on_screen(
    api: BotApiEmulator, core: Core
) -> None:
    api.push_message("Wat is een referentiepersoon?")
    sent = (await api.wait_for("sendMessage", 1))[0]
    related = [b for b in buttons(sent) if b.get("callback_data", "").startswith("a:")]
    assert related and all(b["text"].startswith(f"{n}. ") for n, b in enumerate(related, 1))
    second = core.knowledge.by_id[related[1]["callback_data"][2:]]
    api.push_message("de tweede")
    picked = (await api.wait_for("sendMessage", 2))[1]
    assert picked["text"].startswith(f"<b>{second.question}</b>")
    # An answer that numbers its own points: "de tweede" is its second point, so its related
    # questions carry no numbers.
    api.push_message("welke voorwaarden stimuleren werkplekleren", chat_id=2)
    listing = (await api.wait_for("sendMessage", 3))[2]
    assert "\n2. " in listing["text"]
    assert listing["text"].endswith("<i>Typ een nummer van 1 tot 6 voor meer over een punt.</i>")
    assert not any(b["text"][:1].isdigit() for b in buttons(listing))
    assert "Typ een nummer" not in sent["text"]
    api.push_message("merci", chat_id=2)  # the list still stands, but the hint is the answer's
    thanks = (await api.wait_for("sendMessage", 4))[3]
    assert thanks["text"].startswith("Graag gedaan") and "Typ een nummer" not in thanks["text"]
    # "That is all I know" is no answer to vote on or share; its way further stays.
    api.push_message("waarom?")
    more = (await api.wait_for("sendMessage", 5))[4]
    assert more["text"].startswith(f"Over “{second.question}” weet ik niet meer")
    assert data_of(more) and not any(d.startswith("v:") for d in data_of(more))
    assert not any("switch_inline_query" in b for b in buttons(more))


@pytest.mark.asyncio(loop_scope="function")
async def test_no_answer_has_more_than_five_rows_or_a_long_label(
    api: BotApiEmulator, core: Core
) -> None:
    topical = [e for e in core.knowledge.entries if e.id not in core.knowledge.small_talk_ids]
    for n, entry in enumerate(topical):
        api.push_message(entry.question, chat_id=1000 + n, user_id=1000 + n)
    sent = await api.wait_for("sendMessage", len(topical))
    by_chat = {int(m["chat_id"]): m for m in sent}
    for n, entry in enumerate(topical):
        assert by_chat[1000 + n]["text"].startswith(f"<b>{entry.question}</b>")
    for message in sent:
        assert len(rows(message)) <= 5, message["text"][:60]
        for button in buttons(message):
            assert len(button["text"]) <= MAX_LABEL, button["text"]
            assert button.get("url") != SOURCE_URL  # the general page belongs in /over


@pytest.mark.asyncio(loop_scope="function")
async def test_votes_are_acknowledged_once_and_down_opens_a_way_on(api: BotApiEmulator) -> None:
    api.push_message("Wat is een referentiepersoon?")
    sent = (await api.wait_for("sendMessage", 1))[0]
    press(api, sent, "v:-:referentiepersonen")
    edited = (await api.wait_for("editMessageReplyMarkup", 1))[0]
    remaining = [
        b for row in edited.get("reply_markup", {}).get("inline_keyboard", []) for b in row
    ]
    assert remaining and not any(b.get("callback_data", "").startswith("v:") for b in remaining)
    assert any("switch_inline_query" in b for b in remaining)  # sharing stays
    assert "Bedankt voor je feedback" in (await api.wait_for("answerCallbackQuery", 1))[0]["text"]
    follow_up = (await api.wait_for("sendMessage", 2))[1]
    assert "leercoördinator" in follow_up["text"] and buttons(follow_up)


@pytest.mark.asyncio(loop_scope="function")
async def test_small_talk_gets_no_vote_buttons(api: BotApiEmulator) -> None:
    api.push_message("hallo")
    api.push_message("merci!", chat_id=2)
    for message in await api.wait_for("sendMessage", 2):
        assert not any(d.startswith("v:") for d in data_of(message)), message


@pytest.mark.asyncio(loop_scope="function")
async def test_a_picked_choice_folds_and_a_second_tap_answers_nothing(api: BotApiEmulator) -> None:
    api.push_message("leidraad?")
    choices = (await api.wait_for("sendMessage", 1))[0]
    assert "Bedoelde je" in choices["text"] and "c:-" in data_of(choices)
    picks = [d for d in data_of(choices) if d.startswith("c:") and d != "c:-"]
    assert len(picks) >= 2
    press(api, choices, "c:leidraad-ku-leuven")
    folded = (await api.wait_for("editMessageText", 1))[0]
    question = "Wat is de leidraad van de KU Leuven over werkplekcondities?"
    assert question in folded["text"] and not folded.get("reply_markup")
    answer = (await api.wait_for("sendMessage", 2))[1]
    assert answer["text"].startswith(f"<b>{question}</b>")
    other = next(d for d in picks if d != "c:leidraad-ku-leuven")
    press(api, choices, other)  # the old keyboard, tapped again
    acks = await api.wait_for("answerCallbackQuery", 2)
    assert "al" in acks[1]["text"]
    await asyncio.sleep(0.3)
    assert len(api.sent()) == 2


@pytest.mark.asyncio(loop_scope="function")
async def test_a_number_typed_after_a_choice_list_picks_that_choice(api: BotApiEmulator) -> None:
    api.push_message("leidraad?")
    choices = (await api.wait_for("sendMessage", 1))[0]
    first = next(d for d in data_of(choices) if d.startswith("c:"))[2:]
    api.push_message("1")
    answer = (await api.wait_for("sendMessage", 2))[1]
    assert answer["text"].startswith("<b>") and "Sorry" not in answer["text"]
    assert f"v:+:{first}" in data_of(answer)
    folded = (await api.wait_for("editMessageText", 1))[0]
    assert int(folded["message_id"]) == int(choices.get("message_id", 0) or folded["message_id"])


@pytest.mark.asyncio(loop_scope="function")
async def test_topic_navigation_happens_in_one_message_with_a_way_back(api: BotApiEmulator) -> None:
    api.push_message("/onderwerpen")
    menu = (await api.wait_for("sendMessage", 1))[0]
    topic = next(b for b in buttons(menu) if b["text"] == "Stimulerende voorwaarden")
    press(api, menu, topic["callback_data"])
    questions = (await api.wait_for("editMessageText", 1))[0]
    assert "Stimulerende voorwaarden" in questions["text"] and "m:voorwaarden-baert" in data_of(
        questions
    )
    assert "t" in data_of(questions)  # back to the topics
    press(api, questions, "m:voorwaarden-baert")
    answer = (await api.wait_for("editMessageText", 2))[1]
    assert answer["text"].startswith("<b>Welke voorwaarden stimuleren werkplekleren?</b>")
    assert topic["callback_data"] in data_of(answer) and "t" in data_of(answer)
    assert len(rows(answer)) <= 5
    press(api, answer, topic["callback_data"])
    back = (await api.wait_for("editMessageText", 3))[2]
    assert "m:voorwaarden-baert" in data_of(back)
    assert len(api.sent()) == 1  # everything happened in the one menu message


@pytest.mark.asyncio(loop_scope="function")
async def test_a_topic_button_from_before_a_reload_opens_the_same_topic(
    knowledge_copy: Path, tmp_path: Path, emulator: BotApiEmulator
) -> None:
    config = bot_config(tmp_path, emulator, knowledge_dir=knowledge_copy, admin_ids=frozenset({9}))
    async with running(config, Core(load_knowledge(knowledge_copy))):
        emulator.push_message("/onderwerpen")
        menu = (await emulator.wait_for("sendMessage", 1))[0]
        old = next(b for b in buttons(menu) if b["text"] == "Condities op de werkplek")
        # A new topic that sorts first shifts every position.
        shutil.copy(knowledge_copy / "30-condities-werkplek.yaml", tmp_path / "x.yaml")
        (knowledge_copy / "05-nieuw.yaml").write_text(
            "section: Een nieuw onderwerp\nentries:\n  - id: nieuw-iets\n"
            "    question: Wat is intervisie?\n    answer: Samen leren uit ervaringen.\n",
            encoding="utf-8",
        )
        emulator.push_message("/herlaad", chat_id=9, user_id=9)
        await emulator.wait_for("sendMessage", 2)
        press(emulator, menu, old["callback_data"])
        opened = (await emulator.wait_for("editMessageText", 1))[0]
        emulator.push_callback("t:bestaat-niet-meer", sent_message(menu))
        gone = (await emulator.wait_for("editMessageText", 2))[1]
    assert opened["text"].startswith(
        "Condities op de werkplek"
    ) and "m:werkplekcondities" in data_of(opened)
    assert "bestaat niet meer" in gone["text"]


@pytest.mark.asyncio(loop_scope="function")
async def test_thirty_taps_a_minute_are_all_acknowledged_without_a_flood_notice(
    core: Core, tmp_path: Path, emulator: BotApiEmulator
) -> None:
    async with running(bot_config(tmp_path, emulator, flood_limit=20), core):
        emulator.push_message("/onderwerpen")
        menu = (await emulator.wait_for("sendMessage", 1))[0]
        for n in range(30):
            emulator.push_callback("t" if n % 2 else "t:nog-meer-info", sent_message(menu))
        acks = await emulator.wait_for("answerCallbackQuery", 30)
        await asyncio.sleep(0.2)
    assert len(acks) == 30 and not any("Rustig" in (a.get("text") or "") for a in acks)
    assert not any("Rustig" in m["text"] for m in emulator.sent())


@pytest.mark.asyncio(loop_scope="function")
async def test_a_flooding_typist_gets_one_notice_then_an_answer_once_calm(
    core: Core, tmp_path: Path, emulator: BotApiEmulator
) -> None:
    async with running(bot_config(tmp_path, emulator, flood_limit=3), core):
        for _ in range(6):
            emulator.push_message("wat is vto", chat_id=1, user_id=1)
        emulator.push_message("wat is vto", chat_id=2, user_id=2)
        await emulator.wait_for("sendMessage", 5)
        await asyncio.sleep(0.3)
    to_flooder = [m["text"] for m in emulator.sent() if str(m["chat_id"]) == "1"]
    assert len(to_flooder) == 4 and sum("Rustig aan" in t for t in to_flooder) == 1
    assert [m for m in emulator.sent() if str(m["chat_id"]) == "2"]


@pytest.mark.asyncio(loop_scope="function")
async def test_a_flooding_typist_can_still_see_and_erase_what_is_kept(
    core: Core, tmp_path: Path, emulator: BotApiEmulator
) -> None:
    async with running(bot_config(tmp_path, emulator, flood_limit=3), core):
        for _ in range(10):  # well past the notice
            emulator.push_message("wat is vto", chat_id=1, user_id=1)
        await emulator.wait_for_text(1, "Rustig aan")
        emulator.push_message("/privacy", chat_id=1, user_id=1)
        await emulator.wait_for_text(1, "Wat ik bewaar over je vragen")
        emulator.push_message("/vergeet", chat_id=1, user_id=1)
        question = (await emulator.wait_for_text(1, "Wil je dat ik alles wis"))[-1]
        confirm = next(d for d in data_of(question) if d.startswith("f:ja:"))
        emulator.push_callback(confirm, sent_message(question), user_id=1)
        done = (await emulator.wait_for("editMessageText", 1))[0]
        assert done["text"].startswith("Gewist: alles wat over jou bewaard was.")


@pytest.mark.asyncio(loop_scope="function")
async def test_everything_people_send_gets_a_reply(api: BotApiEmulator, core: Core) -> None:
    api.push_message(None, chat_id=11, voice={"file_id": "v", "file_unique_id": "v", "duration": 2})
    api.push_message(
        None,
        chat_id=12,
        sticker={
            "file_id": "s",
            "file_unique_id": "s",
            "type": "regular",
            "width": 1,
            "height": 1,
            "is_animated": False,
            "is_video": False,
        },
    )
    photo = [{"file_id": "p", "file_unique_id": "p", "width": 1, "height": 1}]
    api.push_message(None, chat_id=13, photo=photo)
    api.push_message(None, chat_id=14, photo=photo, caption="wat is een POP?")
    api.push_message("/foo", chat_id=15)
    sent = await api.wait_for("sendMessage", 5)
    by_chat = {int(m["chat_id"]): m for m in sent}
    for chat in (11, 12, 13):
        assert "Ik lees alleen tekst" in by_chat[chat]["text"] and "T" in data_of(by_chat[chat])
    assert by_chat[14]["text"].startswith("<b>Wat is een persoonlijk ontwikkelingsplan?</b>")
    assert by_chat[15]["text"].startswith("Het commando /foo ken ik niet.\n\nZo werk ik")
    api.push_added_to_group(chat_id=-70)
    greeting = (await api.wait_for("sendMessage", 6))[5]
    assert int(greeting["chat_id"]) == -70 and f"@{BOT_USERNAME}" in greeting["text"]


@pytest.mark.asyncio(loop_scope="function")
async def test_an_edited_message_is_not_answered_again(api: BotApiEmulator) -> None:
    api.push_message("wat is vto")
    await api.wait_for("sendMessage", 1)
    api.push_message("wat is een POP", kind="edited_message")
    api.push_message("/over")
    await api.wait_for("sendMessage", 2)
    assert len(api.sent()) == 2 and "bronnen" not in api.sent()[1]["text"]


@pytest.mark.asyncio(loop_scope="function")
async def test_deep_links_open_an_entry_or_a_topic(api: BotApiEmulator) -> None:
    api.push_message("/start loopbaangesprekken")
    api.push_message("/start stimulerende-voorwaarden", chat_id=2)
    sent = {int(m["chat_id"]): m for m in await api.wait_for("sendMessage", 2)}
    assert sent[1]["text"].startswith("<b>Wat heeft een loopbaangesprek")
    assert "Stimulerende voorwaarden" in sent[2]["text"] and "m:voorwaarden-baert" in data_of(
        sent[2]
    )


@pytest.mark.asyncio(loop_scope="function")
async def test_inline_mode_offers_answers_to_share(api: BotApiEmulator) -> None:
    api.push_inline_query("loopbaangesprek")
    answered = (await api.wait_for("answerInlineQuery", 1))[0]
    results = answered["results"]
    assert results and results[0]["id"] == "loopbaangesprekken"
    assert len(results[0]["title"]) <= MAX_LABEL
    assert results[0]["input_message_content"]["message_text"].startswith("<b>")
    assert answered["button"]["text"] == "Vraag het Werkplekbot"
    # Nothing matches: examples, and the button says nothing was found.
    api.push_inline_query("wifi wachtwoord")
    nothing = (await api.wait_for("answerInlineQuery", 2))[1]
    assert nothing["results"] and nothing["button"]["text"].startswith("Niets gevonden")


@pytest.mark.asyncio(loop_scope="function")
async def test_group_answers_only_when_addressed(api: BotApiEmulator) -> None:
    api.push_message("Wat is een POP?", chat_id=-5, chat_type="group")
    mention = f"@{BOT_USERNAME} wat is een POP?"
    api.push_message(
        mention,
        chat_id=-5,
        chat_type="group",
        entities=[{"type": "mention", "offset": 0, "length": len(BOT_USERNAME) + 1}],
    )
    sent = (await api.wait_for("sendMessage", 1))[0]
    assert sent["text"].startswith("<b>Wat is een persoonlijk ontwikkelingsplan?</b>")
    reply_to_bot = sent_message({"chat_id": -5, "text": "x"}, message_id=3)
    api.push_message("en wat is VTO?", chat_id=-5, chat_type="group", reply_to_message=reply_to_bot)
    assert (await api.wait_for("sendMessage", 2))[1]["text"].startswith("<b>Wat betekent VTO?</b>")
    api.push_message(
        None,
        chat_id=-5,
        chat_type="group",
        voice={"file_id": "v", "file_unique_id": "v", "duration": 1},
    )
    api.push_message("/foo", chat_id=-5, chat_type="group")
    await asyncio.sleep(0.4)
    assert len(api.sent()) == 2  # neither the unaddressed question, nor voice, nor /foo


@pytest.mark.asyncio(loop_scope="function")
async def test_hostile_html_is_never_echoed_raw(api: BotApiEmulator) -> None:
    api.push_message("<b>gitaar</b> <script>alert(1)</script> & leren")
    sent = (await api.wait_for("sendMessage", 1))[0]
    assert "<script>" not in sent["text"] and "<b>gitaar" not in sent["text"]
    assert "daar heb ik (nog) geen antwoord op" in sent["text"]


@pytest.mark.asyncio(loop_scope="function")
async def test_the_fallback_is_light(api: BotApiEmulator, core: Core) -> None:
    api.push_message("?")
    sent = (await api.wait_for("sendMessage", 1))[0]
    titles = [section.title for section in core.knowledge.topics]
    assert [b["text"] for b in buttons(sent)][: len(titles)] == [shorten(t, 32) for t in titles]
    assert not any(title in sent["text"] for title in titles)  # the topics once: as buttons
    assert "leercoördinator" in sent["text"]


@pytest.mark.parametrize("failures", [[429], [500], [429, 500], [502, 503]])
@pytest.mark.asyncio(loop_scope="function")
async def test_answer_survives_transient_failures(api: BotApiEmulator, failures: list[int]) -> None:
    await api.wait_for("setMyCommands", 1)
    for status in failures:
        api.fail("sendMessage", status, retry_after=1)
    api.push_message("Wat betekent VTO?")
    sent = await api.wait_for("sendMessage", 1, timeout=20)
    assert len(sent) == 1 and sent[0]["text"].startswith("<b>Wat betekent VTO?</b>")


@pytest.mark.asyncio(loop_scope="function")
async def test_slow_sending_shows_typing(api: BotApiEmulator) -> None:
    await api.wait_for("setMyCommands", 1)
    api.fail("sendMessage", 500)
    api.fail("sendMessage", 500)  # 0.5 s + 1 s of backoff: long enough to notice
    api.push_message("Wat betekent VTO?")
    await api.wait_for("sendMessage", 1, timeout=20)
    assert [c["action"] for c in api.sent("sendChatAction")] == ["typing"]


@pytest.mark.asyncio(loop_scope="function")
async def test_unexpected_error_tells_the_user(api: BotApiEmulator) -> None:
    await api.wait_for("setMyCommands", 1)
    api.fail("sendMessage", 400)  # a bad request is not retried: the error handler speaks up
    api.push_message("Wat betekent VTO?")
    sent = await api.wait_for("sendMessage", 1)
    assert "er ging iets mis" in sent[0]["text"]


@pytest.mark.asyncio(loop_scope="function")
async def test_forged_and_stale_buttons_are_acknowledged_safely(api: BotApiEmulator) -> None:
    message = sent_message({"chat_id": 1, "text": "x"}, message_id=9)
    forged = [
        "a:bestaat-niet",
        "s:²",
        "s:999",
        "e:wat-is-vto",
        "v:+:bestaat-niet",
        "v:x:wat-is-vto",
        "x" * 64,
        "",
        "f:ja",
        "d:xyz",
        "r:99999",
        "t:²",
    ]
    for data in forged:
        api.push_callback(data, message)
    inaccessible = {"message_id": 9, "date": 0, "chat": {"id": 1, "type": "private"}}
    api.push_callback("a:wat-is-vto", inaccessible)
    answers = await api.wait_for("answerCallbackQuery", len(forged) + 1)
    await asyncio.sleep(0.3)
    assert len(answers) == len(forged) + 1
    assert not [m for m in api.sent() if "er ging iets mis" in m["text"]]


def test_long_text_splits_on_boundaries() -> None:
    text = "\n\n".join(f"alinea {n} " + "woord " * 300 for n in range(5))
    chunks = split_message(text)
    assert all(len(chunk) <= 4096 for chunk in chunks) and len(chunks) > 1
    assert " ".join(" ".join(chunks).split()) == " ".join(text.split())


@pytest.mark.asyncio(loop_scope="function")
async def test_privacy_says_what_is_stored(api: BotApiEmulator) -> None:
    api.push_message("/privacy")
    sent = (await api.wait_for("sendMessage", 1))[0]
    assert "Telegram-id bewaar ik niet" in sent["text"] and "geheime sleutel" in sent["text"]
    assert [b["text"] for b in buttons(sent)] == ["📚 Onderwerpen"]  # a way on


@pytest.mark.asyncio(loop_scope="function")
async def test_history_persists_across_a_restart(
    core: Core, tmp_path: Path, emulator: BotApiEmulator
) -> None:
    config = bot_config(tmp_path, emulator)
    async with running(config, core):
        emulator.push_message("wat is vto")
        emulator.push_message("gitaar spelen", chat_id=2)
        await emulator.wait_for("sendMessage", 2)
    first = await stats_of(config.db_path)
    assert (first["questions"], first["answered"], first["fallback"]) == (2, 1, 1)
    async with running(config, core):
        emulator.push_message("leidraad?")
        await emulator.wait_for("sendMessage", 3)
    second = await stats_of(config.db_path)
    assert (second["questions"], second["choices"]) == (3, 1)


@pytest.mark.asyncio(loop_scope="function")
async def test_choices_show_the_full_questions_numbered(api: BotApiEmulator, core: Core) -> None:
    api.push_message("leidraad?")
    choices = (await api.wait_for("sendMessage", 1))[0]
    picks = [
        b
        for b in buttons(choices)
        if b["callback_data"].startswith("c:") and b["callback_data"] != "c:-"
    ]
    for n, button in enumerate(picks, 1):
        question = core.knowledge.by_id[button["callback_data"][2:]].question
        assert f"{n}. {question}" in choices["text"] and button["text"].startswith(f"{n}. ")


@pytest.mark.asyncio(loop_scope="function")
async def test_a_number_does_not_fold_an_older_choices_message(api: BotApiEmulator) -> None:
    api.push_message("leidraad?")
    await api.wait_for("sendMessage", 1)
    api.push_message("Wat is een POP?")
    await api.wait_for("sendMessage", 2)
    api.push_message("1")  # the first related question of the POP answer
    answer = (await api.wait_for("sendMessage", 3))[2]
    assert answer["text"].startswith("<b>") and api.sent("editMessageText") == []


@pytest.mark.asyncio(loop_scope="function")
async def test_the_topics_button_under_a_welcome_leaves_the_welcome(api: BotApiEmulator) -> None:
    api.push_message("/start")
    welcome = (await api.wait_for("sendMessage", 1))[0]
    press(api, welcome, "T")
    topics = (await api.wait_for("sendMessage", 2))[1]
    assert "Kies een onderwerp" in topics["text"] and api.sent("editMessageText") == []


@pytest.mark.asyncio(loop_scope="function")
async def test_a_vote_in_a_group_leaves_the_buttons_for_the_others(api: BotApiEmulator) -> None:
    mention = f"@{BOT_USERNAME} wat is een POP?"
    api.push_message(mention, chat_id=-8, chat_type="group")
    answer = (await api.wait_for("sendMessage", 1))[0]
    press(api, answer, "v:+:ontwikkelingsplan", user_id=5)
    assert "Bedankt" in (await api.wait_for("answerCallbackQuery", 1))[0]["text"]
    await asyncio.sleep(0.2)
    assert api.sent("editMessageReplyMarkup") == []
