"""The database, the one write path (recorder), pseudonyms and the inbox."""

import asyncio
import os
import sqlite3
import time
from pathlib import Path

import pytest

from bot.database import MIGRATIONS, Database, DatabaseError, stats_of
from bot.pseudonyms import KeyFileError, Pseudonyms, key_path, load_key
from bot.recorder import Recorder
from bot.records import PICK, QUESTION, Batch, Interaction, Vote
from bot.telegram.inbox import Inbox, minimise


def interaction(user: str, outcome: str, kind: str = QUESTION) -> Interaction:
    return Interaction(user, "private", kind, "vraag", outcome, None, 50.0)


@pytest.mark.asyncio(loop_scope="function")
async def test_records_and_counts_survive_a_reopen(tmp_path: Path) -> None:
    path = tmp_path / "db.sqlite3"
    database = await Database.open(path)
    records = (
        *(interaction("u1", outcome) for outcome in ("answer", "answer", "choices", "fallback")),
        interaction("u1", "answer", kind=PICK),  # a pick is not a question
        Vote("u1", "m1", "wat-is-vto", 1),
        Vote("u1", "m1", "wat-is-vto", -1),  # one vote per answer
        Vote("u2", "m1", "wat-is-vto", -1),
    )
    await database.write(Batch("u1", records))
    await database.write(Batch("u1", records))  # the same batch again: stored once
    await database.close()
    expected = {
        "questions": 4,
        "answered": 2,
        "choices": 1,
        "fallback": 1,
        "feedback_up": 1,
        "feedback_down": 1,
    }
    assert await stats_of(path) == expected
    reopened = await Database.open(path)
    assert await reopened.stats() == expected
    await reopened.close()


@pytest.mark.asyncio(loop_scope="function")
async def test_files_are_private_and_wal(tmp_path: Path) -> None:
    path = tmp_path / "db.sqlite3"
    database = await Database.open(path)
    await database.write(Batch("x", (interaction("u", "answer"),)))
    load_key(key_path(path))
    for file in (path, path.with_name(path.name + "-wal"), key_path(path)):
        assert file.stat().st_mode & 0o777 == 0o600, file
    await database.close()
    with sqlite3.connect(path) as connection:
        assert connection.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS)
        assert connection.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


@pytest.mark.parametrize(
    "content", [b"not a database at all " * 100, b"SQLite format 3\x00" + b"\x01" * 500]
)
@pytest.mark.asyncio(loop_scope="function")
async def test_a_database_that_is_no_database_is_refused_clearly(
    tmp_path: Path, content: bytes
) -> None:
    path = tmp_path / "db.sqlite3"
    path.write_bytes(content)
    with pytest.raises(DatabaseError, match=str(path)):
        await Database.open(path)


def test_pseudonyms_are_keyed_and_stable(tmp_path: Path) -> None:
    key = load_key(tmp_path / "k")
    assert load_key(tmp_path / "k") == key and len(key) == 32
    pseudonyms = Pseudonyms(key)
    assert pseudonyms.of(987654321) == pseudonyms.of(987654321) != str(987654321)
    assert Pseudonyms(os.urandom(32)).of(987654321) != pseudonyms.of(987654321)


@pytest.mark.parametrize("content", ["", "abc", "zz" * 32, "00" * 16])
def test_an_empty_short_or_malformed_key_is_refused(tmp_path: Path, content: str) -> None:
    path = tmp_path / "db.sqlite3.key"
    path.write_text(content, encoding="ascii")
    with pytest.raises(KeyFileError, match="leeg of beschadigd"):
        load_key(path)


@pytest.mark.asyncio(loop_scope="function")
async def test_recorder_keeps_order_and_retries_a_locked_database(tmp_path: Path) -> None:
    path = tmp_path / "db.sqlite3"
    database = await Database.open(path, busy_ms=50)
    written: list[str] = []

    async def on_written(batch: Batch) -> None:
        written.append(batch.source)

    recorder = Recorder(database, retry_delay=0.05, on_written=on_written)
    locker = sqlite3.connect(path, isolation_level=None, timeout=0.1)
    locker.execute("BEGIN EXCLUSIVE")
    for n in range(3):
        recorder.submit(Batch(f"b{n}", (interaction(f"u{n}", "answer"),)))
    assert not await recorder.write_pending()
    assert recorder.counters.failed_attempts == 1 and recorder.counters.pending == 3
    locker.execute("ROLLBACK")
    locker.close()
    assert await recorder.write_pending()
    assert written == ["b0", "b1", "b2"] and recorder.counters.written == 3
    assert (await database.stats())["questions"] == 3
    await database.close()


@pytest.mark.asyncio(loop_scope="function")
async def test_forget_and_purge(tmp_path: Path) -> None:
    database = await Database.open(tmp_path / "db.sqlite3")
    old = time.time() - 400 * 86400
    await database.write(Batch("a", (interaction("u1", "answer"), Vote("u1", "k", "x", 1))))
    await database.write(
        Batch(
            "b", (Interaction("u2", "private", QUESTION, "q", "answer", None, 1.0, created_at=old),)
        )
    )
    assert await database.forget("u1") == 2
    assert await database.purge(time.time() - 180 * 86400) == 1
    assert (await database.stats())["questions"] == 0
    await database.close()


def test_minimise_strips_names_numbers_and_places() -> None:
    update = {
        "update_id": 1,
        "message": {
            "from": {"id": 5, "first_name": "Jan", "last_name": "Peeters", "username": "jp"},
            "chat": {"id": 5, "type": "private", "first_name": "Jan", "username": "jp"},
            "contact": {"phone_number": "+32 470", "first_name": "Jan"},
            "location": {"latitude": 51.2, "longitude": 4.4},
            "text": "hallo",
        },
    }
    kept = minimise(update)
    text = repr(kept)
    assert "Jan" not in text and "Peeters" not in text and "jp" not in text
    assert "+32" not in text and "51.2" not in text
    assert kept["message"]["text"] == "hallo" and kept["message"]["from"]["id"] == 5


@pytest.mark.asyncio(loop_scope="function")
async def test_inbox_erases_a_handled_update_from_every_file(tmp_path: Path) -> None:
    path = tmp_path / "inbox.sqlite3"
    inbox = await Inbox.open(path)
    payload = {"update_id": 7, "message": {"text": "mijn collega pest mij", "chat": {"id": 424242}}}
    assert await inbox.accept(7, payload, "key") is True
    assert await inbox.accept(7, payload, "key") is False  # Telegram sent it again
    assert [p["update_id"] for p in await inbox.pending()] == [7]
    batch = Batch("u7", (interaction("key", "answer"),))
    await inbox.finish(7, batch)
    assert await inbox.pending() == [] and await inbox.unwritten() == [batch]
    await inbox.written(batch)
    assert await inbox.unwritten() == []
    await inbox.fold_log()
    await asyncio.sleep(0)
    files = [p for p in tmp_path.iterdir() if p.name.startswith("inbox")]
    for file in files:
        data = file.read_bytes()
        assert b"pest mij" not in data and b"424242" not in data, file
    await inbox.close()


@pytest.mark.asyncio(loop_scope="function")
async def test_concurrent_writes_take_turns(tmp_path: Path) -> None:
    database = await Database.open(tmp_path / "db.sqlite3")
    batches = [Batch(f"b{n}", (interaction(f"u{n % 3}", "answer"),)) for n in range(20)]
    await asyncio.gather(
        *(database.write(b) for b in batches),
        database.forget("u1"),
        database.purge(0.0),
        database.dismiss(["x y"]),
    )
    assert (await database.stats())["questions"] >= 13
    await database.close()


@pytest.mark.asyncio(loop_scope="function")
async def test_an_update_kept_but_never_queued_is_queued_when_telegram_resends_it(
    tmp_path: Path,
) -> None:
    from telegram import Update

    from bot.telegram.updates import DurableQueue

    inbox = await Inbox.open(tmp_path / "inbox.sqlite3")
    queue = DurableQueue(10)
    queue.inbox = inbox
    data = {
        "update_id": 9,
        "message": {
            "message_id": 1,
            "date": 1,
            "text": "wat is vto",
            "chat": {"id": 5, "type": "private"},
            "from": {"id": 5, "is_bot": False, "first_name": "X"},
        },
    }
    assert await inbox.accept(9, data, None)  # kept; then the webhook call timed out
    update = Update.de_json(data, None)
    assert update is not None
    await queue.put(update)  # Telegram sends it again
    assert queue.qsize() == 1
    await queue.put(update)  # and once more: now it is queued, so this one is a duplicate
    assert queue.qsize() == 1
    await inbox.close()


def test_recorder_forgets_a_users_waiting_records() -> None:
    recorder = Recorder(database=None)  # type: ignore[arg-type]
    recorder.submit(Batch("a", (interaction("u1", "answer"), interaction("u2", "answer"))))
    recorder.submit(Batch("b", (interaction("u1", "answer"),)))
    assert recorder.forget("u1") == 2
    assert recorder.counters.pending == 1
