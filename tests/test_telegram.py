"""The Telegram bot against a local Bot API emulator, through python-telegram-bot's real
request stack (``base_url`` points at the emulator)."""

import asyncio
import socket
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
import pytest_asyncio

from bench.botapi import BOT_ID, BOT_USERNAME, BotApiEmulator
from bot.core import Core
from bot.storage import stats_of
from bot.telegram_render import split_message
from tests.harness import NOW, bot_config, buttons, running


@pytest_asyncio.fixture(loop_scope="function")
async def api(
    core: Core, tmp_path: Path, emulator: BotApiEmulator
) -> AsyncIterator[BotApiEmulator]:
    """An emulator with the bot polling it."""
    async with running(bot_config(tmp_path, emulator), core):
        yield emulator


@pytest.mark.asyncio(loop_scope="function")
async def test_commands_registered_and_start_answered(api: BotApiEmulator) -> None:
    commands = (await api.wait_for("setMyCommands", 1))[0]["commands"]
    assert {c["command"] for c in commands} >= {"start", "help", "onderwerpen", "over"}
    api.push_message("/start")
    sent = (await api.wait_for("sendMessage", 1))[0]
    assert "Ik ben Werkplekbot" in sent["text"] and sent["parse_mode"] == "HTML"
    assert len([b for b in buttons(sent) if b["callback_data"].startswith("e:")]) == 3


@pytest.mark.asyncio(loop_scope="function")
async def test_answer_with_link_related_and_feedback_buttons(api: BotApiEmulator) -> None:
    api.push_message("Wat is een referentiepersoon?")
    sent = (await api.wait_for("sendMessage", 1))[0]
    assert sent["text"].startswith("Referentiepersonen zijn")
    assert any(b.get("url", "").startswith("https://") for b in buttons(sent))
    data = [b.get("callback_data") for b in buttons(sent)]
    assert "e:leernetwerken" in data and "v:+:referentiepersonen" in data
    assert sent["link_preview_options"]["is_disabled"] is True
    assert api.sent("sendChatAction") == []  # a fast answer needs no "typing…"


@pytest.mark.asyncio(loop_scope="function")
async def test_vote_is_acknowledged_once(api: BotApiEmulator) -> None:
    api.push_message("Wat is een referentiepersoon?")
    sent = (await api.wait_for("sendMessage", 1))[0]
    message = {
        "message_id": 7,
        "date": NOW,
        "chat": {"id": 1, "type": "private"},
        "text": sent["text"],
        "reply_markup": sent["reply_markup"],
    }
    api.push_callback("v:-:referentiepersonen", message)
    edited = (await api.wait_for("editMessageReplyMarkup", 1))[0]
    remaining = [
        b for row in edited.get("reply_markup", {}).get("inline_keyboard", []) for b in row
    ]
    assert remaining and all("url" in b for b in remaining)  # vote buttons gone, links kept
    assert "Bedankt voor je feedback" in (await api.wait_for("answerCallbackQuery", 1))[0]["text"]
    follow_up = (await api.wait_for("sendMessage", 2))[1]
    assert "leercoördinator" in follow_up["text"]


@pytest.mark.asyncio(loop_scope="function")
async def test_choices_then_tap_answers(api: BotApiEmulator) -> None:
    api.push_message("Hoe behaal je een ervaringsbewijs?")
    sent = (await api.wait_for("sendMessage", 1))[0]
    assert "Bedoelde je" in sent["text"]
    choice = next(b for b in buttons(sent) if b["callback_data"] == "e:wat-is-ervaringsbewijs")
    message = {"message_id": 8, "date": NOW, "chat": {"id": 1, "type": "private"}, "text": "x"}
    api.push_callback(choice["callback_data"], message)
    assert (await api.wait_for("sendMessage", 2))[1]["text"].startswith("Een ervaringsbewijs is")


@pytest.mark.asyncio(loop_scope="function")
async def test_topic_navigation(api: BotApiEmulator) -> None:
    api.push_message("/onderwerpen")
    sent = (await api.wait_for("sendMessage", 1))[0]
    topic = next(b for b in buttons(sent) if b["text"] == "Stimulerende voorwaarden")
    message = {"message_id": 9, "date": NOW, "chat": {"id": 1, "type": "private"}, "text": "x"}
    api.push_callback(topic["callback_data"], message)
    listed = (await api.wait_for("sendMessage", 2))[1]
    assert "e:voorwaarden-baert" in [b["callback_data"] for b in buttons(listed)]


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
    assert sent["text"].startswith("Een persoonlijk ontwikkelingsplan")
    reply_to_bot = {
        "message_id": 3,
        "date": NOW,
        "chat": {"id": -5, "type": "group"},
        "from": {"id": BOT_ID, "is_bot": True, "first_name": "W"},
        "text": "x",
    }
    api.push_message("en wat is VTO?", chat_id=-5, chat_type="group", reply_to_message=reply_to_bot)
    assert (await api.wait_for("sendMessage", 2))[1]["text"].startswith("VTO staat")
    assert len(api.sent()) == 2  # the unaddressed first message got nothing


@pytest.mark.asyncio(loop_scope="function")
async def test_hostile_html_is_never_echoed_raw(api: BotApiEmulator) -> None:
    api.push_message("<b>gitaar</b> <script>alert(1)</script> & leren")
    sent = (await api.wait_for("sendMessage", 1))[0]
    assert "<script>" not in sent["text"] and "<b>gitaar" not in sent["text"]
    assert "daar heb ik (nog) geen antwoord op" in sent["text"]


@pytest.mark.parametrize("failures", [[429], [500], [429, 500], [502, 503]])
@pytest.mark.asyncio(loop_scope="function")
async def test_answer_survives_transient_failures(api: BotApiEmulator, failures: list[int]) -> None:
    await api.wait_for("setMyCommands", 1)
    for status in failures:
        api.fail("sendMessage", status, retry_after=1)
    api.push_message("Wat betekent VTO?")
    sent = await api.wait_for("sendMessage", 1, timeout=20)
    assert len(sent) == 1 and sent[0]["text"].startswith("VTO staat voor vorming")


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
async def test_forged_and_stale_buttons_are_ignored_safely(api: BotApiEmulator) -> None:
    message = {"message_id": 9, "date": NOW, "chat": {"id": 1, "type": "private"}, "text": "x"}
    for data in ["e:bestaat-niet", "s:999", "v:+:bestaat-niet", "v:x:wat-is-vto", "x" * 64, ""]:
        api.push_callback(data, message)
    inaccessible = {"message_id": 9, "date": 0, "chat": {"id": 1, "type": "private"}}
    api.push_callback("e:wat-is-vto", inaccessible)
    answers = await api.wait_for("answerCallbackQuery", 7)
    assert all("werkt niet meer" in a["text"] for a in answers)
    assert api.sent() == []


def test_long_text_splits_on_boundaries() -> None:
    text = "\n\n".join(f"alinea {n} " + "woord " * 300 for n in range(5))
    chunks = split_message(text)
    assert all(len(chunk) <= 4096 for chunk in chunks) and len(chunks) > 1
    assert " ".join(" ".join(chunks).split()) == " ".join(text.split())


@pytest.mark.asyncio(loop_scope="function")
async def test_privacy_says_what_is_stored(api: BotApiEmulator) -> None:
    api.push_message("/privacy")
    text = (await api.wait_for("sendMessage", 1))[0]["text"]
    assert "Telegram-id bewaar ik niet" in text and "geheime sleutel" in text


@pytest.mark.asyncio(loop_scope="function")
async def test_flooding_user_gets_one_notice_others_still_answered(
    core: Core, tmp_path: Path, emulator: BotApiEmulator
) -> None:
    async with running(bot_config(tmp_path, emulator, flood_limit=3), core):
        for _ in range(6):
            emulator.push_message("wat is vto", chat_id=1, user_id=1)
        emulator.push_message("wat is vto", chat_id=2, user_id=2)
        await emulator.wait_for("sendMessage", 5)
        await asyncio.sleep(0.5)
    sent = emulator.sent()
    to_flooder = [m["text"] for m in sent if str(m["chat_id"]) == "1"]
    assert len(to_flooder) == 4 and sum("Rustig aan" in t for t in to_flooder) == 1
    assert [m for m in sent if str(m["chat_id"]) == "2"]


@pytest.mark.asyncio(loop_scope="function")
async def test_history_persists_across_a_restart(
    core: Core, tmp_path: Path, emulator: BotApiEmulator
) -> None:
    config = bot_config(tmp_path, emulator)
    async with running(config, core):
        emulator.push_message("wat is vto")
        emulator.push_message("gitaar spelen")
        await emulator.wait_for("sendMessage", 2)
    first = await stats_of(config.db_path)
    assert (first["questions"], first["answered"], first["fallback"]) == (2, 1, 1)
    async with running(config, core):
        emulator.push_message("Hoe behaal je een ervaringsbewijs?")
        await emulator.wait_for("sendMessage", 3)
    second = await stats_of(config.db_path)
    assert (second["questions"], second["choices"]) == (3, 1)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.mark.asyncio(loop_scope="function")
async def test_webhook_mode_checks_the_secret_token(
    core: Core, tmp_path: Path, emulator: BotApiEmulator
) -> None:
    port = free_port()
    webhook = {
        "listen": "127.0.0.1",
        "port": port,
        "url_path": "hook",
        "webhook_url": "https://bot.example.org/hook",
        "secret_token": "s3cret",
    }
    update = {
        "update_id": 1,
        "message": {
            "message_id": 1,
            "date": NOW,
            "text": "wat is een POP",
            "chat": {"id": 1, "type": "private"},
            "from": {"id": 1, "is_bot": False, "first_name": "T"},
        },
    }
    async with running(bot_config(tmp_path, emulator), core, webhook=webhook):
        registered = (await emulator.wait_for("setWebhook", 1))[0]
        assert registered["url"] == "https://bot.example.org/hook"
        assert registered["secret_token"] == "s3cret"
        url = f"http://127.0.0.1:{port}/hook"
        async with httpx.AsyncClient() as client:
            missing = await client.post(url, json=update)
            wrong = await client.post(
                url, json=update, headers={"X-Telegram-Bot-Api-Secret-Token": "nope"}
            )
            right = await client.post(
                url, json=update, headers={"X-Telegram-Bot-Api-Secret-Token": "s3cret"}
            )
        assert missing.status_code == 403 and wrong.status_code == 403
        assert right.status_code == 200
        sent = await emulator.wait_for("sendMessage", 1)
    assert len(sent) == 1 and sent[0]["text"].startswith("Een persoonlijk ontwikkelingsplan")
