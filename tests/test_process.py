"""The real ``werkplekbot run`` process against the emulator: SIGTERM ends it cleanly and every
question is counted afterwards."""

import asyncio
import json
import signal
import time
from pathlib import Path

from bench.botapi import BotApiEmulator
from tests.harness import start_bot, werkplekbot

TOKEN = "123456:SECRET-TOKEN-VALUE"


def test_sigterm_exits_cleanly_and_stats_count_every_question(tmp_path: Path) -> None:
    emulator = BotApiEmulator().start()
    process = start_bot(tmp_path, emulator, TOKEN)
    try:
        asyncio.run(emulator.wait_for("setMyCommands", 1, timeout=30))
        questions = ["wat is vto", "gitaar", "leidraad?"] * 4
        for n, question in enumerate(questions):
            emulator.push_message(question, chat_id=n % 3 + 1, user_id=n % 3 + 1)
        asyncio.run(emulator.wait_for("sendMessage", len(questions), timeout=30))
        deadline = time.monotonic() + 10
        while werkplekbot(tmp_path, "health").returncode != 0:
            assert time.monotonic() < deadline
            time.sleep(0.1)
        started = time.monotonic()
        process.send_signal(signal.SIGTERM)
        _, stderr = process.communicate(timeout=15)
        assert time.monotonic() - started < 15
        assert process.returncode == 0, stderr
        assert TOKEN not in stderr and TOKEN.split(":")[1] not in stderr
    finally:
        if process.poll() is None:
            process.kill()
        emulator.stop()
    counts = json.loads(werkplekbot(tmp_path, "stats", "--json").stdout)
    assert counts["questions"] == len(questions)
    assert (counts["answered"], counts["fallback"], counts["choices"]) == (4, 4, 4)
    assert werkplekbot(tmp_path, "health").returncode == 0
