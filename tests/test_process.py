"""The real ``werkplekbot run`` process against the emulator: SIGTERM ends it cleanly and every
question is counted afterwards."""

import asyncio
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from tests.botapi import BotApiEmulator

ROOT = Path(__file__).resolve().parent.parent
TOKEN = "123456:SECRET-TOKEN-VALUE"


def test_sigterm_exits_cleanly_and_stats_count_every_question(tmp_path: Path) -> None:
    emulator = BotApiEmulator().start()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("WERKPLEKBOT_", "TELEGRAM_"))}
    env |= {
        "TELEGRAM_BOT_TOKEN": TOKEN,
        "TELEGRAM_BASE_URL": emulator.base_url,
        "WERKPLEKBOT_DB": str(tmp_path / "db.sqlite3"),
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "bot", "run"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        asyncio.run(emulator.wait_for("setMyCommands", 1, timeout=30))
        questions = ["wat is vto", "gitaar", "Hoe behaal je een ervaringsbewijs?"] * 4
        for n, question in enumerate(questions):
            emulator.push_message(question, chat_id=n % 3 + 1, user_id=n % 3 + 1)
        asyncio.run(emulator.wait_for("sendMessage", len(questions), timeout=30))
        deadline = time.monotonic() + 10
        while not (tmp_path / "heartbeat").exists() and time.monotonic() < deadline:
            time.sleep(0.1)
        started = time.monotonic()
        process.send_signal(signal.SIGTERM)
        _, stderr = process.communicate(timeout=15)
        assert time.monotonic() - started < 15
        assert process.returncode == 0, stderr
        assert TOKEN not in stderr and TOKEN.split(":")[1] not in stderr
        assert (tmp_path / "heartbeat").exists()
    finally:
        if process.poll() is None:
            process.kill()
        emulator.stop()
    result = subprocess.run(
        [sys.executable, "-m", "bot", "stats", "--json"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    counts = json.loads(result.stdout)
    assert counts["questions"] == len(questions)
    assert (counts["answered"], counts["fallback"], counts["choices"]) == (4, 4, 4)
    health = subprocess.run(
        [sys.executable, "-m", "bot", "health"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert health.returncode == 0
