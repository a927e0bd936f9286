"""Running the real Telegram bot against the Bot API emulator, for the tests: in process
(:func:`running`) or as the real ``werkplekbot run`` process (:func:`start_bot`); building
updates the way Telegram sends them."""

import asyncio
import os
import subprocess
import sys
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import replace
from pathlib import Path
from typing import Any

from bench.botapi import BOT_ID, BotApiEmulator
from bot.config import REPOSITORY_KNOWLEDGE, Config, Timings
from bot.core import Core
from bot.telegram.running import serve

# Short timings: retries and outages in seconds, not minutes.
FAST = Timings(
    send_retry_window=20.0,
    send_retry_max_delay=1.0,
    busy_after=10.0,
    stop_within=4.0,
    heartbeat=0.2,
    knowledge_watch=0.2,
    database_retry=0.2,
    max_waiting=30.0,
)


def bot_config(tmp_path: Path, emulator: BotApiEmulator, **changes: Any) -> Config:
    """A configuration pointing the bot at the emulator and a database in ``tmp_path``."""
    config = Config(
        knowledge_dir=REPOSITORY_KNOWLEDGE,
        db_path=tmp_path / "db.sqlite3",
        token="123:TEST",
        base_url=emulator.base_url,
        timings=FAST,
        rate_limit=1000,
    )
    return replace(config, **changes)


@asynccontextmanager
async def running(config: Config, core: Core) -> AsyncIterator[None]:
    """The bot polling the emulator (or serving its webhook) until the block ends."""
    stop, started = asyncio.Event(), asyncio.Event()
    task = asyncio.create_task(serve(config, core, stop, started))
    waiting = asyncio.create_task(started.wait())
    await asyncio.wait({task, waiting}, timeout=30, return_when="FIRST_COMPLETED")
    if task.done():
        waiting.cancel()
        task.result()  # the start failed: raise its error
    try:
        yield
    finally:
        stop.set()
        await asyncio.wait_for(task, 30)


NOW = int(time.time())


def buttons(message: dict[str, Any]) -> list[dict[str, Any]]:
    """All inline buttons of a sent message."""
    return [b for row in message.get("reply_markup", {}).get("inline_keyboard", []) for b in row]


def rows(message: dict[str, Any]) -> list[list[dict[str, Any]]]:
    """The rows of inline buttons of a sent message."""
    return list(message.get("reply_markup", {}).get("inline_keyboard", []))


def sent_message(sent: dict[str, Any], message_id: int = 50) -> dict[str, Any]:
    """A message the bot sent, as Telegram shows it in a button press: its text and buttons."""
    chat_id = int(sent.get("chat_id", 1))
    message = {
        "message_id": int(sent.get("message_id", message_id)),
        "date": NOW,
        "chat": {"id": chat_id, "type": "private" if chat_id > 0 else "group"},
        "from": {"id": BOT_ID, "is_bot": True, "first_name": "Werkplekbot"},
        "text": sent.get("text", "x"),
    }
    if "reply_markup" in sent:
        message["reply_markup"] = sent["reply_markup"]
    return message


ROOT = Path(__file__).resolve().parent.parent


def clean_env(**extra: str) -> dict[str, str]:
    """This process's environment without the contract's variables, plus ``extra``."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("WERKPLEKBOT_", "TELEGRAM_"))}
    return {**env, **extra}


def start_bot(
    tmp_path: Path, emulator: BotApiEmulator, token: str, *args: str, **env: str
) -> subprocess.Popen[str]:
    """``python -m bot run`` against the emulator, with a database in ``tmp_path``."""
    defaults = {
        "TELEGRAM_BOT_TOKEN": token,
        "TELEGRAM_BASE_URL": emulator.base_url,
        "WERKPLEKBOT_DB": str(tmp_path / "db.sqlite3"),
        "WERKPLEKBOT_FLOOD_LIMIT": "1000",
        "WERKPLEKBOT_SEND_RETRY_SECONDS": "30",
        "WERKPLEKBOT_HEARTBEAT_SECONDS": "1",
        "WERKPLEKBOT_RATE_LIMIT": "1000",
        # These tests are about delivery, not matching: the lexical matcher starts at once
        # (the semantic part is covered in process by the quality tests and the CLI tests).
        "WERKPLEKBOT_SEMANTIC": "0",
    }
    environment = clean_env(**(defaults | env))
    return subprocess.Popen(
        [sys.executable, "-m", "bot", "run", *args],
        cwd=ROOT,
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )


def run_cli(
    *args: str, stdin: str = "", env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """``python -m bot ARGS`` from the repository root, as a user runs it."""
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        input=stdin,
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=clean_env(**(env or {})),
        timeout=60,
    )


def werkplekbot(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """Another ``werkplekbot`` command on the database in ``tmp_path``."""
    return run_cli(*args, env={"WERKPLEKBOT_DB": str(tmp_path / "db.sqlite3")})
