"""Storage: schema migrations, pseudonymous keys, background writes, counts."""

import sqlite3
from pathlib import Path

import pytest

from bot.storage import (
    MIGRATIONS,
    PICK,
    QUESTION,
    Interaction,
    Storage,
    Vote,
    secret_path,
    stats_of,
)


def interaction(storage: Storage, user: int, outcome: str, kind: str = QUESTION) -> Interaction:
    return Interaction(storage.pseudonym(user), "private", kind, "vraag", outcome, None, 50.0)


@pytest.mark.asyncio(loop_scope="function")
async def test_records_and_counts_survive_a_reopen(tmp_path: Path) -> None:
    path = tmp_path / "db.sqlite3"
    storage = await Storage.open(path)
    for outcome in ("answer", "answer", "choices", "fallback"):
        storage.record(interaction(storage, 1, outcome))
    storage.record(interaction(storage, 1, "answer", kind=PICK))  # a pick is not a question
    storage.record(Vote(storage.pseudonym(1), "m1", "wat-is-vto", 1))
    storage.record(Vote(storage.pseudonym(1), "m1", "wat-is-vto", -1))  # one vote per answer
    storage.record(Vote(storage.pseudonym(2), "m1", "wat-is-vto", -1))
    await storage.close()
    expected = {
        "questions": 4,
        "answered": 2,
        "choices": 1,
        "fallback": 1,
        "feedback_up": 1,
        "feedback_down": 1,
    }
    assert await stats_of(path) == expected
    reopened = await Storage.open(path)
    assert await reopened.stats() == expected
    await reopened.close()


@pytest.mark.asyncio(loop_scope="function")
async def test_no_raw_ids_are_stored(tmp_path: Path) -> None:
    path = tmp_path / "db.sqlite3"
    storage = await Storage.open(path)
    user_id = 987654321
    key = storage.pseudonym(user_id)
    assert key != str(user_id) and len(key) == 32 and key == storage.pseudonym(user_id)
    storage.record(interaction(storage, user_id, "answer"))
    await storage.close()
    assert str(user_id).encode() not in path.read_bytes()
    assert secret_path(path).stat().st_mode & 0o077 == 0  # the secret is private, and outside


@pytest.mark.asyncio(loop_scope="function")
async def test_secret_is_kept_across_restarts(tmp_path: Path) -> None:
    first = await Storage.open(tmp_path / "db.sqlite3")
    key = first.pseudonym(5)
    await first.close()
    second = await Storage.open(tmp_path / "db.sqlite3")
    assert second.pseudonym(5) == key
    await second.close()


@pytest.mark.asyncio(loop_scope="function")
async def test_schema_is_versioned_and_wal(tmp_path: Path) -> None:
    path = tmp_path / "db.sqlite3"
    await (await Storage.open(path)).close()
    with sqlite3.connect(path) as connection:
        assert connection.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS)
        assert connection.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


@pytest.mark.asyncio(loop_scope="function")
async def test_stats_of_a_missing_database_are_zero(tmp_path: Path) -> None:
    counts = await stats_of(tmp_path / "none.sqlite3")
    assert counts == dict.fromkeys(counts, 0) and len(counts) == 6
