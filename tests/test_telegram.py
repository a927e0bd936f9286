"""The Telegram bot against a local Bot API emulator, through python-telegram-bot's real
request stack (``base_url`` points at the emulator)."""

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import pytest_asyncio

from bot.config import Config
from bot.core import Core
from bot.telegram_app import build_application
from bot.telegram_render import split_message
from tests.botapi import BOT_ID, BOT_USERNAME, BotApiEmulator


@pytest_asyncio.fixture(loop_scope="function")
async def api(core: Core, tmp_path: Path) -> AsyncIterator[BotApiEmulator]:
    """An emulator with the bot polling it."""
    emulator = BotApiEmulator().start()
    config = Config(
        knowledge_dir=tmp_path,
        db_path=tmp_path / "db.sqlite3",
        token="123:TEST",
        base_url=emulator.base_url,
    )
    application = build_application(config, core)
    async with application:
        await application.post_init(application)
        await application.start()
        await application.updater.start_polling(poll_interval=0.0, timeout=1)
        try:
            yield emulator
        finally:
            await application.updater.stop()
            await application.stop()
    emulator.stop()


def buttons(message: dict) -> list[dict]:
    """All inline buttons of a sent message."""
    return [b for row in message.get("reply_markup", {}).get("inline_keyboard", []) for b in row]


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
    assert "typing" in [c["action"] for c in api.sent("sendChatAction")]


@pytest.mark.asyncio(loop_scope="function")
async def test_vote_is_acknowledged_once(api: BotApiEmulator) -> None:
    api.push_message("Wat is een referentiepersoon?")
    sent = (await api.wait_for("sendMessage", 1))[0]
    message = {
        "message_id": 7,
        "date": 0,
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
    message = {"message_id": 8, "date": 0, "chat": {"id": 1, "type": "private"}, "text": "x"}
    api.push_callback(choice["callback_data"], message)
    assert (await api.wait_for("sendMessage", 2))[1]["text"].startswith("Een ervaringsbewijs is")


@pytest.mark.asyncio(loop_scope="function")
async def test_topic_navigation(api: BotApiEmulator) -> None:
    api.push_message("/onderwerpen")
    sent = (await api.wait_for("sendMessage", 1))[0]
    topic = next(b for b in buttons(sent) if b["text"] == "Stimulerende voorwaarden")
    message = {"message_id": 9, "date": 0, "chat": {"id": 1, "type": "private"}, "text": "x"}
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
        "date": 0,
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


@pytest.mark.asyncio(loop_scope="function")
async def test_429_then_500_still_delivers_the_answer(api: BotApiEmulator) -> None:
    await api.wait_for("setMyCommands", 1)
    api.fail("sendMessage", 429, retry_after=1)
    api.fail("sendMessage", 500)
    api.push_message("Wat betekent VTO?")
    sent = (await api.wait_for("sendMessage", 1, timeout=20))[0]
    assert sent["text"].startswith("VTO staat voor vorming")


def test_long_text_splits_on_boundaries() -> None:
    text = "\n\n".join(f"alinea {n} " + "woord " * 300 for n in range(5))
    chunks = split_message(text)
    assert all(len(chunk) <= 4096 for chunk in chunks) and len(chunks) > 1
    assert " ".join(" ".join(chunks).split()) == " ".join(text.split())
