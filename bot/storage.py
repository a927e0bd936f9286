"""What the bot remembers, in one SQLite file: interactions and votes, written in the background.

Users are stored as a keyed hash (HMAC-SHA256 with a secret kept outside the database), never
as a Telegram id or name. Writes go through a queue to one writer task, so answering never
waits for the disk; :meth:`Storage.close` drains the queue first, so nothing acknowledged is
lost on a clean shutdown.
"""

import asyncio
import contextlib
import hashlib
import hmac
import logging
import os
import secrets
import sqlite3
import time
from dataclasses import dataclass
from pathlib import Path

import aiosqlite

logger = logging.getLogger(__name__)

# Each entry upgrades the schema by one version (PRAGMA user_version). Append, never edit.
MIGRATIONS: tuple[str, ...] = (
    """
    CREATE TABLE interactions (
        id INTEGER PRIMARY KEY,
        created_at REAL NOT NULL,
        user_key TEXT NOT NULL,
        chat_type TEXT NOT NULL,
        kind TEXT NOT NULL,
        question TEXT NOT NULL,
        outcome TEXT NOT NULL,
        entry_id TEXT,
        score REAL NOT NULL
    );
    CREATE INDEX interactions_created ON interactions (created_at);
    CREATE INDEX interactions_user ON interactions (user_key);
    CREATE TABLE votes (
        id INTEGER PRIMARY KEY,
        created_at REAL NOT NULL,
        user_key TEXT NOT NULL,
        answer_key TEXT NOT NULL,
        entry_id TEXT NOT NULL,
        value INTEGER NOT NULL CHECK (value IN (-1, 1)),
        UNIQUE (user_key, answer_key)
    );
    CREATE INDEX votes_user ON votes (user_key);
    """,
)
QUESTION, PICK = "question", "pick"


@dataclass(frozen=True)
class Interaction:
    """One message answered (or a choice picked)."""

    user_key: str
    chat_type: str
    kind: str
    question: str
    outcome: str
    entry_id: str | None
    score: float
    created_at: float = 0.0


@dataclass(frozen=True)
class Vote:
    """👍 (+1) or 👎 (-1) on one answer; ``answer_key`` identifies the answered message."""

    user_key: str
    answer_key: str
    entry_id: str
    value: int
    created_at: float = 0.0


def load_secret(path: Path) -> bytes:
    """The hashing secret, created on first use (owner-readable only)."""
    try:
        return bytes.fromhex(path.read_text(encoding="ascii").strip())
    except FileNotFoundError:
        path.parent.mkdir(parents=True, exist_ok=True)
        secret = secrets.token_bytes(32)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="ascii") as handle:
            handle.write(secret.hex())
        return secret


def secret_path(db_path: Path) -> Path:
    """Where the secret of a database lives: beside it, never in it."""
    return db_path.with_name(db_path.name + ".key")


class Storage:
    """The database of one running bot. Use ``await Storage.open(path)``."""

    def __init__(self, connection: aiosqlite.Connection, secret: bytes) -> None:
        self._db = connection
        self._secret = secret
        self._queue: asyncio.Queue[Interaction | Vote | None] = asyncio.Queue()
        self._writer = asyncio.create_task(self._write_forever(), name="storage-writer")
        self.dropped = 0

    @classmethod
    async def open(cls, path: Path) -> "Storage":
        """Open (and create or migrate) the database at ``path``."""
        path.parent.mkdir(parents=True, exist_ok=True)
        secret = load_secret(secret_path(path))
        connection = await aiosqlite.connect(path)
        await connection.execute("PRAGMA journal_mode=WAL")
        await connection.execute("PRAGMA synchronous=NORMAL")
        await connection.execute("PRAGMA busy_timeout=5000")
        await migrate(connection)
        return cls(connection, secret)

    def pseudonym(self, value: object) -> str:
        """A keyed hash of a Telegram id (or of chat and message ids): stable, not reversible."""
        digest = hmac.new(self._secret, str(value).encode(), hashlib.sha256)
        return digest.hexdigest()[:32]

    def record(self, item: Interaction | Vote) -> None:
        """Queue a record for the writer; returns at once."""
        self._queue.put_nowait(item)

    async def flush(self) -> None:
        """Wait until everything queued so far is written."""
        await self._queue.join()

    async def close(self) -> None:
        """Write what is queued, then close the database."""
        self._queue.put_nowait(None)
        await self._writer
        await self._db.close()

    async def stats(self) -> dict[str, int]:
        """The contract's counts."""
        await self.flush()
        return await read_stats(self._db)

    async def _write_forever(self) -> None:
        while True:
            batch = [await self._queue.get()]
            while not self._queue.empty():
                batch.append(self._queue.get_nowait())
            items = [item for item in batch if item is not None]
            try:
                await self._write(items)
            except (sqlite3.Error, ValueError):
                self.dropped += len(items)
                logger.exception("could not store %d records; dropped", len(items))
                with contextlib.suppress(sqlite3.Error, ValueError):
                    await self._db.rollback()
            finally:
                for _ in batch:
                    self._queue.task_done()
            if len(items) < len(batch):
                return

    async def _write(self, items: list[Interaction | Vote]) -> None:
        now = time.time()
        interactions = [i for i in items if isinstance(i, Interaction)]
        votes = [v for v in items if isinstance(v, Vote)]
        if interactions:
            await self._db.executemany(
                "INSERT INTO interactions (created_at, user_key, chat_type, kind, question,"
                " outcome, entry_id, score) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    (
                        i.created_at or now,
                        i.user_key,
                        i.chat_type,
                        i.kind,
                        i.question,
                        i.outcome,
                        i.entry_id,
                        i.score,
                    )
                    for i in interactions
                ],
            )
        if votes:
            await self._db.executemany(
                "INSERT OR IGNORE INTO votes (created_at, user_key, answer_key, entry_id, value)"
                " VALUES (?, ?, ?, ?, ?)",
                [
                    (v.created_at or now, v.user_key, v.answer_key, v.entry_id, v.value)
                    for v in votes
                ],
            )
        await self._db.commit()


async def migrate(connection: aiosqlite.Connection) -> None:
    """Bring the schema to the newest version, one migration per transaction."""
    async with connection.execute("PRAGMA user_version") as cursor:
        row = await cursor.fetchone()
    version = row[0] if row else 0
    for number, script in enumerate(MIGRATIONS[version:], start=version + 1):
        await connection.executescript(
            f"BEGIN;\n{script}\nPRAGMA user_version = {number};\nCOMMIT;"
        )


async def read_stats(connection: aiosqlite.Connection) -> dict[str, int]:
    """Counts of questions by outcome, and of votes."""
    query = (
        "SELECT COUNT(*), SUM(outcome = 'answer'), SUM(outcome = 'choices'),"
        " SUM(outcome = 'fallback') FROM interactions WHERE kind = ?"
    )
    async with connection.execute(query, (QUESTION,)) as cursor:
        questions, answered, choices, fallback = await cursor.fetchone() or (0, 0, 0, 0)
    async with connection.execute("SELECT SUM(value = 1), SUM(value = -1) FROM votes") as cursor:
        up, down = await cursor.fetchone() or (0, 0)
    return {
        "questions": questions or 0,
        "answered": answered or 0,
        "choices": choices or 0,
        "fallback": fallback or 0,
        "feedback_up": up or 0,
        "feedback_down": down or 0,
    }


async def stats_of(path: Path) -> dict[str, int]:
    """Counts from a database file (all zero when there is none yet)."""
    if not path.exists():
        return await read_stats_empty()
    async with aiosqlite.connect(f"file:{path}?mode=ro", uri=True) as connection:
        with contextlib.suppress(sqlite3.OperationalError):
            return await read_stats(connection)
    return await read_stats_empty()


async def read_stats_empty() -> dict[str, int]:
    """All counts zero."""
    async with aiosqlite.connect(":memory:") as connection:
        await migrate(connection)
        return await read_stats(connection)
