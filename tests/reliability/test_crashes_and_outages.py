"""The real ``werkplekbot run`` process attacked: killed with SIGKILL under load, the Bot API
unreachable and slow, sending failing for a while, the database locked or read-only."""

import asyncio
import json
import signal
import sqlite3
import subprocess
import time
from collections import Counter
from pathlib import Path

from bench.botapi import BotApiEmulator
from tests import harness

ROOT = Path(__file__).resolve().parent.parent.parent
TOKEN = "424242:RELIABILITY-SECRET"


def start_bot(tmp_path: Path, emulator: BotApiEmulator) -> subprocess.Popen[str]:
    return harness.start_bot(tmp_path, emulator, TOKEN)


def start_answering(tmp_path: Path, emulator: BotApiEmulator) -> subprocess.Popen[str]:
    """The bot started, with chat 1's first question answered."""
    process = start_bot(tmp_path, emulator)
    wait_for(emulator, "setMyCommands", 1, 30)
    emulator.push_message("wat is vto", chat_id=1, user_id=1)
    wait_for(emulator, "sendMessage", 1, 20)
    return process


def wait_for(emulator: BotApiEmulator, method: str, count: int, timeout: float) -> list[dict]:
    return asyncio.run(emulator.wait_for(method, count, timeout=timeout))


def stop(process: subprocess.Popen[str]) -> str:
    """SIGTERM and the log; the process must end cleanly."""
    process.send_signal(signal.SIGTERM)
    _, log = process.communicate(timeout=20)
    assert process.returncode == 0, log[-3000:]
    assert TOKEN.split(":")[1] not in log
    return log


def answers_per_chat(emulator: BotApiEmulator) -> Counter[int]:
    return Counter(int(m["chat_id"]) for m in emulator.sent())


def stats(tmp_path: Path) -> dict[str, int]:
    return json.loads(harness.werkplekbot(tmp_path, "stats", "--json").stdout)


def test_kill_9_under_load_loses_and_doubles_nothing(tmp_path: Path) -> None:
    emulator = BotApiEmulator().start()
    chats = range(1000, 1200)
    try:
        first = start_bot(tmp_path, emulator)
        wait_for(emulator, "setMyCommands", 1, 30)
        for chat in chats:
            emulator.push_message("Wat betekent VTO?", chat_id=chat, user_id=chat)
        wait_for(emulator, "sendMessage", 40, 30)
        first.kill()  # SIGKILL: no cleanup at all
        first.wait(timeout=10)
        answered_before = len(emulator.sent())
        assert answered_before < len(chats), "the kill came too late to test anything"
        second = start_bot(tmp_path, emulator)
        wait_for(emulator, "sendMessage", len(chats), 60)
        time.sleep(1.5)  # anything answered twice would show up now
        stop(second)
    finally:
        emulator.stop()
    per_chat = answers_per_chat(emulator)
    assert set(per_chat) == set(chats)
    assert max(per_chat.values()) == 1, [c for c, n in per_chat.items() if n > 1]
    with sqlite3.connect(tmp_path / "db.sqlite3") as db:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert stats(tmp_path)["questions"] == len(chats)


def test_bot_api_down_then_slow_then_back(tmp_path: Path) -> None:
    emulator = BotApiEmulator().start()
    try:
        process = start_answering(tmp_path, emulator)
        emulator.go_down()  # connection refused
        for chat in range(2, 7):
            emulator.push_message("Wat is een POP?", chat_id=chat, user_id=chat)
        time.sleep(30)
        assert process.poll() is None
        emulator.come_back(delay=5.0)  # slow
        time.sleep(12)
        emulator.delay = 0.0
        wait_for(emulator, "sendMessage", 6, 90)
        assert process.poll() is None  # one process throughout
        stop(process)
    finally:
        emulator.stop()
    assert answers_per_chat(emulator) == Counter(range(1, 7))


def test_reply_that_cannot_be_sent_is_kept_and_retried(tmp_path: Path) -> None:
    emulator = BotApiEmulator().start()
    try:
        process = start_bot(tmp_path, emulator)
        wait_for(emulator, "setMyCommands", 1, 30)
        emulator.fail_until("sendMessage", time.monotonic() + 20)  # longer than quick retries
        emulator.push_message("Wat is een referentiepersoon?", chat_id=7, user_id=7)
        sent = wait_for(emulator, "sendMessage", 1, 60)
        stop(process)
    finally:
        emulator.stop()
    assert len(sent) == 1 and sent[0]["text"].startswith("Referentiepersonen zijn")
    assert stats(tmp_path)["questions"] == 1


def test_locked_database_still_answers_and_loses_no_record(tmp_path: Path) -> None:
    emulator = BotApiEmulator().start()
    try:
        process = start_answering(tmp_path, emulator)
        locker = sqlite3.connect(tmp_path / "db.sqlite3", isolation_level=None)
        locker.execute("BEGIN EXCLUSIVE")  # another process holds the write lock
        for chat in (2, 3):
            emulator.push_message("Wat is een POP?", chat_id=chat, user_id=chat)
        wait_for(emulator, "sendMessage", 3, 30)
        locker.execute("ROLLBACK")
        locker.close()
        emulator.push_message("gitaar", chat_id=4, user_id=4)  # written with the waiting ones
        wait_for(emulator, "sendMessage", 4, 30)
        log = stop(process)
    finally:
        emulator.stop()
    assert "database is locked" in log or "database not writable" in log
    assert stats(tmp_path)["questions"] == 4


def test_started_during_an_outage_waits_instead_of_crashing(tmp_path: Path) -> None:
    emulator = BotApiEmulator().start()
    emulator.go_down()
    try:
        process = start_bot(tmp_path, emulator)
        time.sleep(4)
        assert process.poll() is None
        emulator.come_back()
        wait_for(emulator, "setMyCommands", 1, 60)
        emulator.push_message("wat is vto", chat_id=1, user_id=1)
        wait_for(emulator, "sendMessage", 1, 20)
        log = stop(process)
    finally:
        emulator.stop()
    assert "niet bereikbaar" in log


def test_refused_token_is_a_clear_message_without_the_token(tmp_path: Path) -> None:
    emulator = BotApiEmulator().start()
    for _ in range(3):
        emulator.fail("getMe", 401)
    try:
        process = start_bot(tmp_path, emulator)
        _, log = process.communicate(timeout=30)
    finally:
        emulator.stop()
    assert process.returncode == 1
    assert "weigert TELEGRAM_BOT_TOKEN" in log and "Traceback" not in log
    assert TOKEN not in log and TOKEN.split(":")[1] not in log
