"""Admin features against the emulator: only for admins and only in private chats; reload
(broken and fixed) while users ask; statistics; the review of unanswered questions, one group
per page with valid YAML; and /vergeet."""

import asyncio
import sqlite3
import time
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
import yaml

from bench.botapi import BotApiEmulator
from bot import messages
from bot.core import Core
from bot.database import Database, Unanswered
from bot.loading import check_knowledge, load_knowledge
from bot.pseudonyms import Pseudonyms, key_path, load_key
from bot.records import QUESTION, Batch, Interaction
from bot.reloading import signature
from bot.review import group_unanswered, telegram_group_text, yaml_snippet
from bot.telegram.admin import add_button, add_keyboard
from bot.telegram.context import BotData
from bot.telegram.render import MAX_BUTTON
from bot.telegram.services import reload_knowledge, watch_knowledge
from tests.harness import bot_config, buttons, running, sent_message, werkplekbot

ADMIN, USER = 900, 1


def texts(api: BotApiEmulator, chat: int) -> list[str]:
    """Everything the bot sent to one chat."""
    return [m["text"] for m in api.sent() if int(m["chat_id"]) == chat]


def message(chat: int) -> dict:
    return sent_message({"chat_id": chat, "text": "x"})


@pytest.mark.asyncio(loop_scope="function")
async def test_non_admins_and_groups_get_no_data_from_any_admin_command(
    core: Core, tmp_path: Path, emulator: BotApiEmulator
) -> None:
    config = bot_config(tmp_path, emulator, admin_ids=frozenset({ADMIN}))
    async with running(config, core):
        emulator.push_message(
            "ik heb schulden en durf het niet te zeggen", chat_id=USER, user_id=USER
        )
        await emulator.wait_for("sendMessage", 1)
        for command in ("/herlaad", "/stats", "/onbeantwoord"):
            emulator.push_message(command, chat_id=USER, user_id=USER)
        await emulator.wait_for("sendMessage", 4)
        # The admin in a team group: refused, nothing shown there.
        for command in ("/onbeantwoord", "/stats"):
            emulator.push_message(command, chat_id=-50, user_id=ADMIN, chat_type="group")
        await emulator.wait_for("sendMessage", 6)
        emulator.push_callback("d:0123456789abcdef", message(USER), user_id=USER)
        answer = (await emulator.wait_for("answerCallbackQuery", 1))[0]
    refusals = texts(emulator, USER)[1:]
    assert refusals == [refusals[0]] * 3 and "alleen voor de beheerders" in refusals[0]
    in_group = texts(emulator, -50)
    assert len(in_group) == 2 and all("privégesprek" in t for t in in_group)
    everything = " ".join(m["text"] for m in emulator.sent())
    assert "schulden" not in " ".join(refusals + in_group) and "schulden" not in everything[1:]
    assert "alleen voor de beheerders" in answer["text"]


@pytest.mark.asyncio(loop_scope="function")
async def test_broken_edit_keeps_answering_and_fixed_file_goes_live(
    knowledge_copy: Path, tmp_path: Path, emulator: BotApiEmulator
) -> None:
    config = bot_config(
        tmp_path, emulator, knowledge_dir=knowledge_copy, admin_ids=frozenset({ADMIN})
    )
    path = knowledge_copy / "30-condities-werkplek.yaml"
    original = path.read_text(encoding="utf-8")
    broken_line = original.splitlines().index("    question: Wat is een referentiepersoon?") + 1
    live_core = Core(load_knowledge(knowledge_copy))
    async with running(config, live_core):
        asked = 0

        async def ask(question: str) -> None:
            nonlocal asked
            emulator.push_message(question, chat_id=USER + asked, user_id=USER + asked)
            asked += 1

        def user_replies() -> list[str]:
            return [m["text"] for m in emulator.sent() if int(m["chat_id"]) != ADMIN]

        await ask("wat is vto")
        path.write_text(
            original.replace(
                "question: Wat is een referentiepersoon?",
                "question: Opgelet: wat is een referentiepersoon?",
            )
        )
        for _ in range(5):
            await ask("Wat is een referentiepersoon?")
        emulator.push_message("/herlaad", chat_id=ADMIN, user_id=ADMIN)
        for _ in range(5):
            await ask("wat is een POP")
        await emulator.wait_for("sendMessage", asked + 1)
        report = texts(emulator, ADMIN)
        assert any(f"{path.name}:{broken_line}:" in text for text in report), report
        assert not any(str(knowledge_copy) in text for text in report)  # no server paths
        assert len(user_replies()) == asked and not any("iets mis" in t for t in user_replies())
        assert sum("Referentiepersonen zijn" in t for t in user_replies()) == 5

        # The admin fixes the file and adds an entry: live without /herlaad. The deadline catches
        # a watcher that never reloads; how fast it is belongs to bench/admin_change.py, since a
        # loaded CI machine can stretch a reload that embeds the new phrasings.
        fixed = original + (
            "\n  - id: intervisie-uitleg\n    question: Hoe werkt intervisie bij ons?\n"
            "    label: Intervisie bij ons\n    alternates: [Intervisiemoment plannen]\n"
            "    answer: Intervisie is samen leren uit ervaringen met collega's.\n"
        )
        saved = time.monotonic()
        path.write_text(fixed, encoding="utf-8")
        while True:
            await ask("Hoe werkt intervisie bij ons?")
            await emulator.wait_for("sendMessage", asked + len(texts(emulator, ADMIN)))
            if "Intervisie is samen leren" in user_replies()[-1]:
                break
            assert time.monotonic() - saved < 30, user_replies()[-1]
            await asyncio.sleep(0.25)
        notices = texts(emulator, ADMIN)
        assert any("Kennis herladen. Nieuw: “Intervisie bij ons”" in text for text in notices), (
            notices
        )


async def seed(db: Path, core: Core, groups: dict[str, list[str]], answered: int) -> None:
    """A history: paraphrase groups that fell back, plus answered questions."""
    database = await Database.open(db)
    pseudonyms = Pseudonyms(load_key(key_path(db)))
    records = []
    for n, questions in enumerate(groups.values()):
        for question in questions:
            match = core.match(question)
            records.append(
                Interaction(
                    pseudonyms.of(n),
                    "private",
                    QUESTION,
                    question,
                    match.outcome,
                    match.entry_id,
                    match.score,
                )
            )
    for n in range(answered):
        records.append(
            Interaction(
                pseudonyms.of(100 + n),
                "private",
                QUESTION,
                "wat is vto",
                "answer",
                "wat-is-vto",
                100.0,
            )
        )
    await database.write(Batch("seed", tuple(records)))
    await database.close()


PARAPHRASES = {
    "verlof": [
        "Hoeveel verlofdagen heb ik?",
        "hoeveel verlofdagen heb ik nog",
        "verlofdagen?",
        "Hoeveel verlofdagen heb ik nog dit jaar?",
    ]
    * 10,
    "brand": [
        "Wanneer is de opleiding brandveiligheid?",
        "opleiding brandveiligheid wanneer",
        "brandveiligheid opleiding datum",
    ]
    * 10,
    "wifi": ["Wat is de code van de wifi?", "wifi code", "code wifi gasten"] * 5,
    "innovatie": [
        "Hoe helpt werkplekleren een organisatie om te innoveren?",
        "werkplekleren en innovatie",
    ]
    * 5,
}


INNOVATION = "<b>Hoe helpt werkplekleren een organisatie om te innoveren?</b> (5×)"


@pytest.mark.asyncio(loop_scope="function")
async def test_review_pages_through_groups_and_remembers_dismissals(
    core: Core, tmp_path: Path, emulator: BotApiEmulator
) -> None:
    await seed(tmp_path / "db.sqlite3", core, PARAPHRASES, answered=200 - 95)
    config = bot_config(tmp_path, emulator, admin_ids=frozenset({ADMIN}))
    async with running(config, core):
        emulator.push_message("/onbeantwoord", chat_id=ADMIN, user_id=ADMIN)
        first = (await emulator.wait_for("sendMessage", 1))[0]
        assert first["text"].startswith("Groep 1 van 4\n<b>Hoeveel verlofdagen heb ik?</b> (40×)")
        data = [b["callback_data"] for b in buttons(first)]
        assert "r:1" in data and not any(d == "r:-1" for d in data)
        assert any(d.startswith("d:") for d in data) and any(d.startswith("+n:") for d in data)
        assert "Toevoegen" not in str(buttons(first))  # no entry is a real candidate
        pages = [first]
        for page in (1, 2, 3):
            emulator.push_callback(f"r:{page}", sent_message(pages[-1]), user_id=ADMIN)
            pages.append((await emulator.wait_for("editMessageText", page))[page - 1])
        titles = [p["text"].split("\n")[1] for p in pages]
        assert titles == [
            "<b>Hoeveel verlofdagen heb ik?</b> (40×)",
            "<b>Wanneer is de opleiding brandveiligheid?</b> (30×)",
            "<b>Wat is de code van de wifi?</b> (15×)",
            INNOVATION,  # its paraphrase is answered
        ]
        assert "Beste kandidaat" in pages[3]["text"]
        assert buttons(pages[3])[0]["text"].startswith("➕ Bij: ")
        dismiss = next(b for b in buttons(pages[2]) if b["text"] == "Negeren")["callback_data"]
        emulator.push_callback(dismiss, sent_message(pages[2]), user_id=ADMIN)
        dismissed = (await emulator.wait_for("editMessageText", 4))[3]
        assert dismissed["text"].split("\n")[1] == INNOVATION
        emulator.push_message("/onbeantwoord", chat_id=ADMIN, user_id=ADMIN)
        again = (await emulator.wait_for("sendMessage", 2))[1]
        assert again["text"].startswith("Groep 1 van 3")
        # "Toch niet negeren" under the next page puts the group back and shows it.
        undo = next(b for b in buttons(dismissed) if b["text"] == "↩️ Toch niet negeren")
        emulator.push_callback(undo["callback_data"], sent_message(dismissed), user_id=ADMIN)
        restored = (await emulator.wait_for("editMessageText", 5))[4]
        assert restored["text"].startswith("Groep 3 van 4\n<b>Wat is de code van de wifi?</b>")
        emulator.push_callback(undo["callback_data"], sent_message(dismissed), user_id=ADMIN)
        toasts = await emulator.wait_for("answerCallbackQuery", 6)
        assert toasts[-1].get("text") == "Dat is al ongedaan gemaakt."
        emulator.push_message("/onbeantwoord", chat_id=ADMIN, user_id=ADMIN)
        final = (await emulator.wait_for("sendMessage", 3))[2]
        assert final["text"].startswith("Groep 1 van 4")
        again_dismiss = next(b for b in buttons(restored) if b["text"] == "Negeren")
        emulator.push_callback(again_dismiss["callback_data"], sent_message(restored), ADMIN)
        await emulator.wait_for("editMessageText", 6)
    assert len(emulator.sent()) == 3  # one message per /onbeantwoord
    markdown = werkplekbot(tmp_path, "review").stdout
    assert markdown.startswith("# Onbeantwoorde vragen") and "## 1. Hoeveel verlofdagen" in markdown
    assert "wifi" not in markdown and "```yaml" in markdown


@pytest.mark.asyncio(loop_scope="function")
async def test_every_review_snippet_passes_validation_when_pasted_and_completed(
    core: Core, knowledge_copy: Path, tmp_path: Path
) -> None:
    await seed(
        tmp_path / "db.sqlite3", core, PARAPHRASES | {"een": ["Hoe laat sluit de kantine?"]}, 0
    )
    database = await Database.open(tmp_path / "db.sqlite3")
    groups = group_unanswered(await database.unanswered(), core, await database.dismissed())
    await database.close()
    for group in groups:
        snippet = yaml_snippet(group, core.knowledge)
        assert "/" not in snippet.splitlines()[0].split("(")[-1]  # a file name, not a path
        if group.candidate is None:
            target = knowledge_copy / "99-nieuw.yaml"
            new_entry = "section: Nieuw\nentries:\n" + snippet.split("\n", 2)[2]
            # Without its answer a new entry does not load: no placeholder goes live.
            target.write_text(new_entry, encoding="utf-8")
            _, problems = check_knowledge(knowledge_copy)
            assert [p.message[:23] for p in problems] == ["het antwoord is leeg: s"], problems
            target.write_text(new_entry + "      Het antwoord.\n", encoding="utf-8")
        else:
            entry = core.knowledge.by_id[group.candidate]
            path = Path(entry.location.file)
            target = knowledge_copy / path.name
            lines = target.read_text(encoding="utf-8").splitlines()
            at = entry.phrasing_locations[-1].line  # after the last alternate
            added = [line for line in snippet.splitlines()[1:] if line.strip()]
            target.write_text("\n".join(lines[:at] + added + lines[at:]) + "\n", encoding="utf-8")
        yaml.safe_load(target.read_text(encoding="utf-8"))
        _, problems = check_knowledge(knowledge_copy)
        assert not problems, (snippet, [str(p) for p in problems])
        target.unlink() if target.name == "99-nieuw.yaml" else None


@pytest.mark.asyncio(loop_scope="function")
async def test_stats_for_admins_are_aggregates_named_by_label(
    core: Core, tmp_path: Path, emulator: BotApiEmulator
) -> None:
    await seed(tmp_path / "db.sqlite3", core, {"brand": PARAPHRASES["brand"][:3]}, answered=7)
    config = bot_config(tmp_path, emulator, admin_ids=frozenset({ADMIN}))
    async with running(config, core):
        emulator.push_message("/stats", chat_id=ADMIN, user_id=ADMIN)
        text = (await emulator.wait_for("sendMessage", 1))[0]["text"]
    assert "Laatste 7 dagen" in text and "Laatste 30 dagen" not in text  # the same figures
    assert "vragen            10" in text and "beantwoord        7 (70%)" in text
    assert core.knowledge.by_id["wat-is-vto"].short_label in text and "wat-is-vto" not in text
    assert "brandveiligheid" not in text and "alles opgeslagen" in text


@pytest.mark.asyncio(loop_scope="function")
async def test_forget_removes_only_that_users_rows_and_only_they_can_confirm(
    core: Core, tmp_path: Path, emulator: BotApiEmulator
) -> None:
    config = bot_config(tmp_path, emulator)
    async with running(config, core):
        for user in (1, 2):
            emulator.push_message("Wat is een referentiepersoon?", chat_id=user, user_id=user)
        sent = await emulator.wait_for("sendMessage", 2)
        mine = next(m for m in sent if int(m["chat_id"]) == 1)
        emulator.push_callback("v:-:referentiepersonen", sent_message(mine), user_id=1)
        await emulator.wait_for("editMessageReplyMarkup", 1)
        emulator.push_message("/vergeet", chat_id=-9, user_id=1, chat_type="group")
        confirm = next(
            m for m in await emulator.wait_for("sendMessage", 4) if "Wil je dat ik" in m["text"]
        )
        data = [b["callback_data"] for b in buttons(confirm)]
        assert [d[:5] for d in data] == ["f:ja:", "f:nee"]
        emulator.push_callback(data[0], sent_message(confirm), user_id=2)  # another member
        refused = (await emulator.wait_for("answerCallbackQuery", 2))[-1]
        assert "voor wie /vergeet vroeg" in refused["text"]
        with sqlite3.connect(tmp_path / "db.sqlite3") as db:
            assert db.execute("SELECT COUNT(*) FROM interactions").fetchone()[0] == 2
        emulator.push_callback(data[0], sent_message(confirm), user_id=1)
        done = (await emulator.wait_for("editMessageText", 1))[0]
    assert "Gewist" in done["text"] and [b["text"] for b in buttons(done)] == ["📚 Onderwerpen"]
    with sqlite3.connect(tmp_path / "db.sqlite3") as db:
        users = db.execute("SELECT COUNT(DISTINCT user_key), COUNT(*) FROM interactions").fetchone()
        votes = db.execute("SELECT COUNT(*) FROM votes").fetchone()[0]
    assert users == (1, 1) and votes == 0


@pytest.mark.asyncio(loop_scope="function")
async def test_retention_purges_old_history_at_start(
    core: Core, tmp_path: Path, emulator: BotApiEmulator
) -> None:
    db = tmp_path / "db.sqlite3"
    database = await Database.open(db)
    old = time.time() - 200 * 86400
    await database.write(
        Batch(
            "old",
            tuple(
                Interaction(
                    "u",
                    "private",
                    QUESTION,
                    "wat is vto",
                    "answer",
                    "wat-is-vto",
                    100.0,
                    created_at=t,
                )
                for t in (old, time.time())
            ),
        )
    )
    await database.close()
    async with running(bot_config(tmp_path, emulator, retention_days=180), core):
        await emulator.wait_for("setMyCommands", 1)
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline:
            with sqlite3.connect(db) as connection:
                (count,) = connection.execute("SELECT COUNT(*) FROM interactions").fetchone()
            if count == 1:
                break
            await asyncio.sleep(0.05)
    assert count == 1


def test_review_as_csv(tmp_path: Path, core: Core) -> None:
    asyncio.run(seed(tmp_path / "db.sqlite3", core, {"wifi": PARAPHRASES["wifi"]}, answered=1))
    result = werkplekbot(tmp_path, "review", "--csv")
    rows = result.stdout.splitlines()
    assert rows[0] == "group,group_count,question,count,candidate,why"
    assert rows[1].startswith("1,15,Wat is de code van de wifi?,5,")


def test_a_question_the_faq_now_holds_leaves_the_review_unless_voted_down(core: Core) -> None:
    asked = Unanswered("Wat is een mentor?", "fallback", None, False)
    assert group_unanswered([asked] * 3, core) == []
    disliked = Unanswered("Wat is een mentor?", "answer", "mentor", True)
    (group,) = group_unanswered([disliked] * 3, core)
    assert group.voted_down == 3
    # Its own phrasing: the answer is what to change (no new entry with the same question).
    assert group.phrasing_of == "mentor" and "mentor" not in group.candidates
    assert "staat al zo in de FAQ, bij “Wat is een mentor?”: de 👎 gaat over het antwoord" in (
        telegram_group_text(1, 1, group, core.knowledge)
    )
    context = SimpleNamespace(bot_data=SimpleNamespace(core=core))
    shown = [b.text for row in add_keyboard(group, context) for b in row]  # type: ignore[arg-type]
    assert "📝 Nieuwe vraag" not in shown


def test_the_answer_colleagues_rejected_is_never_offered_for_their_question(core: Core) -> None:
    question = "Kost werkplekleren veel geld?"
    answered = core.match(question).entry_id
    assert answered is not None
    disliked = Unanswered(question, "answer", answered, True)
    (group,) = group_unanswered([disliked, disliked], core)
    assert group.rejected == (answered,)
    assert group.candidate != answered and answered not in group.candidates
    text = telegram_group_text(1, 1, group, core.knowledge)
    label = core.knowledge.by_id[answered].short_label
    assert f"2× 👎\n👎 op het antwoord “{label}”" in text


def test_add_buttons_shorten_their_label_like_every_other_button(core: Core) -> None:
    (group,) = group_unanswered([Unanswered("wa is nen buddy", "fallback", None, False)], core)
    whole = "Op weg naar een ervaringsbewijs"
    assert add_button(group, "x", whole, messages.ADD_BUTTON).text == f"➕ Bij: {whole}"
    long = "Wat zijn de voorwaarden voor een krachtige leeromgeving op de werkvloer?"
    text = add_button(group, "x", long, messages.ADD_BUTTON).text
    assert text.startswith("➕ Bij: Wat zijn") and text.endswith("…")
    assert len(text) <= len("➕ Bij: ") + MAX_BUTTON


def test_a_question_the_faq_puts_outside_leaves_the_review(core: Core) -> None:
    outside = Unanswered(core.knowledge.out_of_scope[0], "fallback", None, False)
    assert group_unanswered([outside] * 3, core) == []


class Admins:
    """An application whose bot keeps what it sends to the admins."""

    def __init__(self) -> None:
        self.sent: list[str] = []
        self.bot = self

    async def send_message(self, chat: int, text: str, parse_mode: str) -> None:
        self.sent.append(text)


@pytest.mark.asyncio(loop_scope="function")
@pytest.mark.parametrize("first", ["watcher", "herlaad"])
async def test_a_hand_edit_is_announced_once_whoever_reloads_it_first(
    knowledge_copy: Path, first: str
) -> None:
    data = BotData()
    data.config = SimpleNamespace(knowledge_dir=knowledge_copy, admin_ids=frozenset({ADMIN}))
    data.core = Core(load_knowledge(knowledge_copy))
    data.signature = signature(knowledge_copy)
    application: Any = Admins()
    synonyms = knowledge_copy / "synoniemen.yaml"
    synonyms.write_text(
        synonyms.read_text(encoding="utf-8").replace("  ge: je\n", "  ge: je\n  gaast: ga je\n"),
        encoding="utf-8",
    )
    if first == "watcher":
        watching = asyncio.create_task(watch_knowledge(application, data))
        await asyncio.sleep(0)  # the watcher holds the reload lock
        reply = await reload_knowledge(application, data)
        await watching
        assert application.sent == [reply.summary()]
    else:
        reloading = asyncio.create_task(reload_knowledge(application, data))
        await asyncio.sleep(0)
        await watch_knowledge(application, data)
        reply = await reloading
        assert application.sent == []
    assert reply.summary() == "Kennis herladen. Synoniemen: 1 erbij, 0 weg."
    assert "gaast" in data.core.knowledge.synonyms
    # Nothing changed since: an explicit /herlaad reloads and says so.
    assert (await reload_knowledge(application, data)).summary() == (
        "Kennis herladen: niets veranderd."
    )
