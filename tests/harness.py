"""Running the real Telegram application against the Bot API emulator, for the tests: in
process (:func:`running`) or as the real ``werkplekbot run`` process (:func:`start_bot`)."""

import os
import subprocess
import sys
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import replace
from pathlib import Path

from bench.botapi import BotApiEmulator
from bot.config import REPOSITORY_KNOWLEDGE, Config
from bot.core import Core
from bot.telegram_app import build_application


def bot_config(tmp_path: Path, emulator: BotApiEmulator, **changes: object) -> Config:
    """A configuration pointing the bot at the emulator and a database in ``tmp_path``."""
    config = Config(
        knowledge_dir=REPOSITORY_KNOWLEDGE,
        db_path=tmp_path / "db.sqlite3",
        token="123:TEST",
        base_url=emulator.base_url,
    )
    return replace(config, **changes)


@asynccontextmanager
async def running(config: Config, core: Core, webhook: dict | None = None) -> AsyncIterator[None]:
    """The bot polling the emulator (or serving a webhook) until the block ends."""
    application = build_application(config, core)
    async with application:
        await application.post_init(application)
        await application.start()
        if webhook is None:
            await application.updater.start_polling(poll_interval=0.0, timeout=1)
        else:
            await application.updater.start_webhook(**webhook)
        try:
            yield
        finally:
            await application.updater.stop()
            await application.stop()
            await application.post_shutdown(application)


NOW = int(time.time())


def buttons(message: dict) -> list[dict]:
    """All inline buttons of a sent message."""
    return [b for row in message.get("reply_markup", {}).get("inline_keyboard", []) for b in row]


ROOT = Path(__file__).resolve().parent.parent


def clean_env(**extra: str) -> dict[str, str]:
    """This process's environment without the contract's variables, plus ``extra``."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("WERKPLEKBOT_", "TELEGRAM_"))}
    return {**env, **extra}


def start_bot(tmp_path: Path, emulator: BotApiEmulator, token: str) -> subprocess.Popen[str]:
    """``python -m bot run`` against the emulator, with a database in ``tmp_path``."""
    env = clean_env(
        TELEGRAM_BOT_TOKEN=token,
        TELEGRAM_BASE_URL=emulator.base_url,
        WERKPLEKBOT_DB=str(tmp_path / "db.sqlite3"),
        WERKPLEKBOT_FLOOD_LIMIT="1000",
    )
    return subprocess.Popen(
        [sys.executable, "-m", "bot", "run"],
        cwd=ROOT,
        env=env,
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
