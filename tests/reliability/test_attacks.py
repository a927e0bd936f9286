"""Attacks from outside and an unlucky operator's mistakes, against the real ``werkplekbot run``
process and the Bot API emulator: a webhook without secret, huge bodies, personal data at rest,
a broken database or key, wrong configuration, a shutdown with a full queue, a malformed update,
a bot that looks alive but does not answer."""

import asyncio
import json
import os
import signal
import socket
import sqlite3
import subprocess
import time
from collections import Counter
from pathlib import Path

import httpx

from bench.botapi import BotApiEmulator
from bench.reload_load import measure
from tests import harness

TOKEN = "515151:ATTACK-SECRET-TOKEN"
SECRET = "s3cret-s3cret-s3cret-0123456789"


def wait_for(emulator: BotApiEmulator, method: str, count: int, timeout: float = 20) -> list[dict]:
    return asyncio.run(emulator.wait_for(method, count, timeout=timeout))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def finish(process: subprocess.Popen[str], sig: int = signal.SIGTERM) -> str:
    if process.poll() is None:
        process.send_signal(sig)
    _, log = process.communicate(timeout=20)
    return log


def test_webhook_mode_never_starts_without_a_secret(tmp_path: Path) -> None:
    emulator = BotApiEmulator().start()
    try:
        process = harness.start_bot(tmp_path, emulator, TOKEN, "--webhook")
        process.wait(timeout=10)
        log = process.communicate()[1]
    finally:
        emulator.stop()
    assert process.returncode == 1
    assert "WERKPLEKBOT_WEBHOOK_SECRET" in log and "Traceback" not in log


def test_webhook_refuses_wrong_secrets_and_huge_bodies_unread(tmp_path: Path) -> None:
    emulator = BotApiEmulator().start()
    port = free_port()
    url = f"http://127.0.0.1:{port}/hook"
    update = {
        "update_id": 1,
        "message": {
            "message_id": 1,
            "date": 1,
            "text": "/onbeantwoord",
            "chat": {"id": 666, "type": "private"},
            "from": {"id": 900, "is_bot": False, "first_name": "Admin"},
            "entities": [{"type": "bot_command", "offset": 0, "length": 13}],
        },
    }
    process = harness.start_bot(
        tmp_path,
        emulator,
        TOKEN,
        "--webhook",
        WERKPLEKBOT_WEBHOOK_PORT=str(port),
        WERKPLEKBOT_WEBHOOK_PATH="hook",
        WERKPLEKBOT_WEBHOOK_URL="https://bot.example.org/hook",
        WERKPLEKBOT_WEBHOOK_SECRET=SECRET,
        WERKPLEKBOT_ADMIN_IDS="900",
    )
    try:
        registered = wait_for(emulator, "setWebhook", 1, 30)[0]
        assert registered["secret_token"] == SECRET
        with httpx.Client(timeout=30) as client:
            deadline = time.monotonic() + 10
            while True:
                try:
                    missing = client.post(url, json=update)
                    break
                except httpx.ConnectError:
                    assert time.monotonic() < deadline
                    time.sleep(0.1)
            wrong = client.post(url, json=update, headers={"X-Telegram-Bot-Api-Secret-Token": "x"})
            assert (missing.status_code, wrong.status_code) == (403, 403)
            huge = b"x" * (50 * 2**20)
            for _ in range(3):
                try:
                    refused = client.post(
                        url,
                        content=huge,
                        headers={"X-Telegram-Bot-Api-Secret-Token": "nope"},
                    )
                    assert refused.status_code in (403, 413)
                except httpx.TransportError:
                    pass  # the server may hang up before reading: also refused
            assert rss_mb(process.pid) < 150
            right = client.post(
                url, json=update, headers={"X-Telegram-Bot-Api-Secret-Token": SECRET}
            )
            assert right.status_code == 200
        sent = wait_for(emulator, "sendMessage", 1)
    finally:
        log = finish(process)
        emulator.stop()
    assert process.returncode == 0, log[-2000:]
    assert len(sent) == 1 and int(sent[0]["chat_id"]) == 666  # an authentic update answered


def test_nothing_identifying_is_kept_and_forget_leaves_no_row(tmp_path: Path) -> None:
    emulator = BotApiEmulator().start()
    user, name = 718293645, "Griselda"
    try:
        process = harness.start_bot(tmp_path, emulator, TOKEN)
        wait_for(emulator, "setMyCommands", 1, 30)
        for question in ("wat is een POP?", "gitaar spelen", "Hoe behaal je een ervaringsbewijs?"):
            emulator.push_message(question, chat_id=user, user_id=user, first_name=name)
        wait_for(emulator, "sendMessage", 3)
        time.sleep(1.5)  # the inbox folds its log each second
        files = [p for p in tmp_path.iterdir() if p.name.startswith("db")]
        for file in files:
            data = file.read_bytes()
            assert str(user).encode() not in data and name.encode() not in data, file
            assert file.stat().st_mode & 0o777 == 0o600, file
        emulator.push_message("/vergeet", chat_id=user, user_id=user, first_name=name)
        confirm = wait_for(emulator, "sendMessage", 4)[-1]
        yes = confirm["reply_markup"]["inline_keyboard"][0][0]["callback_data"]
        emulator.push_callback(yes, harness.sent_message(confirm), user_id=user)
        wait_for(emulator, "editMessageText", 1)
        finish(process)
    finally:
        emulator.stop()
    with sqlite3.connect(tmp_path / "db.sqlite3") as db:
        assert db.execute("SELECT COUNT(*) FROM interactions").fetchone()[0] == 0
        assert db.execute("SELECT COUNT(*) FROM votes").fetchone()[0] == 0
    with sqlite3.connect(tmp_path / "db.inbox.sqlite3") as inbox:
        rows = inbox.execute("SELECT payload, user_key, batch FROM updates").fetchall()
    assert all(row == (None, None, None) for row in rows), rows


def test_a_broken_key_or_database_stops_the_start_within_seconds(tmp_path: Path) -> None:
    emulator = BotApiEmulator().start()
    try:
        (tmp_path / "db.sqlite3").write_bytes(b"\x00garbage, not a database" * 1000)
        started = time.monotonic()
        process = harness.start_bot(tmp_path, emulator, TOKEN)
        log = (
            finish(process, signal.SIGKILL)
            if process.wait(timeout=10) is None
            else process.communicate()[1]
        )
        assert time.monotonic() - started < 10
        assert process.returncode != 0 and "db.sqlite3" in log and "Traceback" not in log
        (tmp_path / "db.sqlite3").unlink()
        (tmp_path / "db.sqlite3.key").write_text("")  # left by a first start on a full disk
        process = harness.start_bot(tmp_path, emulator, TOKEN)
        process.wait(timeout=10)
        log = process.communicate()[1]
    finally:
        emulator.stop()
    assert process.returncode == 1 and "sleutel" in log and "leeg of beschadigd" in log


def test_a_bad_admin_list_stops_the_start_naming_the_variable(tmp_path: Path) -> None:
    emulator = BotApiEmulator().start()
    try:
        process = harness.start_bot(tmp_path, emulator, TOKEN, WERKPLEKBOT_ADMIN_IDS="12²")
        process.wait(timeout=10)
        log = process.communicate()[1]
    finally:
        emulator.stop()
    assert process.returncode == 2 and "WERKPLEKBOT_ADMIN_IDS" in log and "Traceback" not in log


def test_sigterm_with_a_full_queue_stops_quickly_and_loses_nothing(tmp_path: Path) -> None:
    emulator = BotApiEmulator().start()
    chats = range(3000, 3300)
    try:
        process = harness.start_bot(tmp_path, emulator, TOKEN)
        wait_for(emulator, "setMyCommands", 1, 30)
        emulator.delay = 0.05  # a slow API: the updates queue up
        for chat in chats:
            emulator.push_message("wat is vto", chat_id=chat, user_id=chat)
        wait_for(emulator, "sendMessage", 10)
        started = time.monotonic()
        log = finish(process)
        assert time.monotonic() - started < 8, log[-2000:]
        assert process.returncode == 0, log[-2000:]
        emulator.delay = 0.0
        second = harness.start_bot(tmp_path, emulator, TOKEN)
        wait_for(emulator, "sendMessage", len(chats), 60)
        time.sleep(0.5)
        finish(second)
    finally:
        emulator.stop()
    per_chat = Counter(int(m["chat_id"]) for m in emulator.sent() if "druk" not in m["text"])
    assert set(per_chat) == set(chats) and max(per_chat.values()) == 1


def test_a_malformed_update_does_not_wedge_the_poller(tmp_path: Path) -> None:
    emulator = BotApiEmulator().start()
    try:
        process = harness.start_bot(tmp_path, emulator, TOKEN)
        wait_for(emulator, "setMyCommands", 1, 30)
        emulator.push_update({"message": {"chat": "not a chat", "text": 5}})
        emulator.push_message("wat is vto", chat_id=5, user_id=5)
        sent = wait_for(emulator, "sendMessage", 1)
        log = finish(process)
    finally:
        emulator.stop()
    assert int(sent[0]["chat_id"]) == 5
    assert log.count("could not be read") == 1 and "not a chat" not in log


def test_health_means_answering(tmp_path: Path) -> None:
    emulator = BotApiEmulator().start()
    env = {"WERKPLEKBOT_DB": str(tmp_path / "db.sqlite3")}
    try:
        process = harness.start_bot(tmp_path, emulator, TOKEN)
        wait_for(emulator, "setMyCommands", 1, 30)
        deadline = time.monotonic() + 10
        while harness.run_cli("health", "--max-age", "5", env=env).returncode != 0:
            assert time.monotonic() < deadline
            time.sleep(0.2)
        emulator.fail_until("getUpdates", time.monotonic() + 30, status=502)  # polling fails
        time.sleep(2.7)  # a poll under way when the outage began may still succeed (≤ 1 s)
        sick = harness.run_cli("health", "--max-age", "1.5", env=env)
        finish(process)
    finally:
        emulator.stop()
    assert sick.returncode == 1 and "Telegram niet bereikt" in sick.stderr
    status = json.loads((tmp_path / "heartbeat").read_text())
    assert {"written_at", "last_contact", "oldest_waiting", "mode"} <= set(status)
    assert os.stat(tmp_path / "heartbeat").st_mode & 0o777 == 0o600


def test_a_big_reload_keeps_users_answered_and_notices_short() -> None:
    # The 30,000-entry figures are in docs/BENCHMARKS.md (bench/reload_load.py); here a size
    # that takes seconds.
    figures = measure(2000, settle=0.3, back=False)
    assert figures["questions_during_reload"], figures
    # Answers held up by the reload would wait its seconds. (The 300 ms target is
    # bench/reload_load.py's on a quiet machine; here three other test workers share two cores,
    # and one CI run saw a single slow answer past 300 ms.)
    assert figures["p99_ms"] <= 1000, figures
    assert all(length <= 4096 for length in figures["notice_chars"]), figures
