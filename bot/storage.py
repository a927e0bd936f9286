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
from collections import Counter
from collections.abc import AsyncIterator, Iterable
from contextvars import ContextVar
from dataclasses import dataclass, field
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
    """
    ALTER TABLE interactions ADD COLUMN answer_key TEXT;
    CREATE INDEX interactions_answer ON interactions (answer_key);
    CREATE TABLE dismissed (
        form TEXT PRIMARY KEY,
        created_at REAL NOT NULL
    );
    """,
    """
    CREATE TABLE inbox (
        update_id INTEGER PRIMARY KEY,
        payload TEXT NOT NULL,
        received_at REAL NOT NULL,
        done_at REAL
    );
    CREATE INDEX inbox_pending ON inbox (done_at);
    """,
    """
    ALTER TABLE interactions ADD COLUMN update_id INTEGER;
    CREATE INDEX interactions_update ON interactions (update_id);
    """,
)
QUESTION, PICK = "question", "pick"
INSERT_INTERACTION = (
    "INSERT INTO interactions (created_at, user_key, chat_type, kind, question, outcome,"
    " entry_id, score, answer_key, update_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)
INSERT_VOTE = (
    "INSERT OR IGNORE INTO votes (created_at, user_key, answer_key, entry_id, value)"
    " VALUES (?, ?, ?, ?, ?)"
)


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
    # Keyed hash of the chat and message that carried the answer: joins votes to questions.
    answer_key: str | None = None


@dataclass(frozen=True)
class Vote:
    """👍 (+1) or 👎 (-1) on one answer; ``answer_key`` identifies the answered message."""

    user_key: str
    answer_key: str
    entry_id: str
    value: int
    created_at: float = 0.0


@dataclass
class Work:
    """What handling one update produced so far (see bot.inbox)."""

    update_id: int
    records: list[Interaction | Vote] = field(default_factory=list)
    answer_key: str | None = None
    failed: bool = False


# The update being handled in this task, if any.
current_work: ContextVar[Work | None] = ContextVar("current_work", default=None)


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
        """Keep a record: with the update being handled when there is one (it is then written
        in the same transaction that marks the update handled), else through the background
        writer. Returns at once."""
        work = current_work.get()
        if work is not None:
            work.records.append(item)
        else:
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

    async def report(self, since: float) -> "Report":
        """Aggregates since a time (for admins: no question texts, no users)."""
        await self.flush()
        return await read_report(self._db, since)

    async def unanswered(self, since: float) -> list["Unanswered"]:
        """Questions that fell back, got choices, or whose answer was voted down."""
        await self.flush()
        return await read_unanswered(self._db, since)

    async def dismissed(self) -> frozenset[str]:
        """Normalised question forms an admin dismissed from the review."""
        async with self._db.execute("SELECT form FROM dismissed") as cursor:
            return frozenset(row[0] for row in await cursor.fetchall())

    async def dismiss(self, forms: list[str]) -> None:
        """Keep these normalised forms out of the review from now on."""
        now = time.time()
        await self._db.executemany(
            "INSERT OR IGNORE INTO dismissed (form, created_at) VALUES (?, ?)",
            [(form, now) for form in forms],
        )
        await self._db.commit()

    async def forget(self, user_key: str) -> int:
        """Delete everything stored for one user; the number of rows removed."""
        return await self._delete("user_key = ?", user_key)

    async def purge(self, before: float) -> int:
        """Delete everything recorded before a time (retention); the number of rows removed."""
        return await self._delete("created_at < ?", before)

    async def _delete(self, condition: str, value: object) -> int:
        """Delete matching interactions and votes (after what is queued); rows removed."""
        await self.flush()
        removed = 0
        for table in ("interactions", "votes"):
            cursor = await self._db.execute(f"DELETE FROM {table} WHERE {condition}", (value,))
            removed += cursor.rowcount
        await self._db.commit()
        return removed

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
        interactions, votes = record_rows(items, time.time())
        if interactions:
            await self._db.executemany(INSERT_INTERACTION, interactions)
        if votes:
            await self._db.executemany(INSERT_VOTE, votes)
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
    async with _connect_for_reading(path) as connection:
        return await read_stats(connection)


@dataclass(frozen=True)
class Report:
    """What admins see for a period: totals, shares, votes per entry, busiest hours."""

    questions: int
    answered: int
    choices: int
    fallback: int
    votes: tuple[tuple[str, int, int], ...]  # entry, up, down
    top_entries: tuple[tuple[str, int], ...]  # entry, times answered
    busiest_hours: tuple[tuple[int, int], ...]  # local hour, questions

    def share(self, count: int) -> float:
        """A count as a share of the questions."""
        return count / self.questions if self.questions else 0.0


@dataclass(frozen=True)
class Unanswered:
    """A question the bot could not answer well, and why it is in the review."""

    question: str
    outcome: str
    entry_id: str | None
    voted_down: bool


async def read_report(connection: aiosqlite.Connection, since: float) -> Report:
    """Aggregate the interactions and votes since a time."""
    async with connection.execute(
        "SELECT outcome, entry_id, created_at FROM interactions WHERE kind = ? AND created_at >= ?",
        (QUESTION, since),
    ) as cursor:
        rows = await cursor.fetchall()
    outcomes = Counter(outcome for outcome, _, _ in rows)
    entries = Counter(entry for outcome, entry, _ in rows if outcome == "answer" and entry)
    hours = Counter(time.localtime(created).tm_hour for _, _, created in rows)
    async with connection.execute(
        "SELECT entry_id, SUM(value = 1), SUM(value = -1) FROM votes WHERE created_at >= ?"
        " GROUP BY entry_id ORDER BY SUM(value = -1) DESC, entry_id",
        (since,),
    ) as cursor:
        votes = tuple(
            (entry, int(up or 0), int(down or 0)) for entry, up, down in await cursor.fetchall()
        )
    return Report(
        questions=len(rows),
        answered=outcomes["answer"],
        choices=outcomes["choices"],
        fallback=outcomes["fallback"],
        votes=votes,
        top_entries=tuple(entries.most_common(5)),
        busiest_hours=tuple(sorted(hours.most_common(3))),
    )


async def read_unanswered(connection: aiosqlite.Connection, since: float) -> list[Unanswered]:
    """Fallbacks, choices and voted-down answers since a time, oldest first."""
    async with connection.execute(
        "SELECT i.question, i.outcome, i.entry_id,"
        " EXISTS (SELECT 1 FROM votes v WHERE v.answer_key = i.answer_key AND v.value = -1)"
        " FROM interactions i WHERE i.kind = ? AND i.created_at >= ?"
        " AND (i.outcome IN ('fallback', 'choices') OR EXISTS (SELECT 1 FROM votes v"
        "      WHERE v.answer_key = i.answer_key AND v.value = -1))"
        " ORDER BY i.created_at",
        (QUESTION, since),
    ) as cursor:
        return [Unanswered(q, o, e, bool(down)) for q, o, e, down in await cursor.fetchall()]


async def reports_of(path: Path, periods: tuple[int, ...]) -> dict[int, Report]:
    """Reports for the last N days of a database file (empty when there is none yet)."""
    now = time.time()
    async with _connect_for_reading(path) as connection:
        return {days: await read_report(connection, now - days * 86400) for days in periods}


async def review_items_of(path: Path, days: int = 0) -> tuple[list[Unanswered], frozenset[str]]:
    """The review's questions (all, or the last ``days``) and the dismissed forms."""
    since = time.time() - days * 86400 if days else 0.0
    async with _connect_for_reading(path) as connection:
        items = await read_unanswered(connection, since)
        async with connection.execute("SELECT form FROM dismissed") as cursor:
            dismissed = frozenset(row[0] for row in await cursor.fetchall())
    return items, dismissed


@contextlib.asynccontextmanager
async def _connect_for_reading(path: Path) -> AsyncIterator[aiosqlite.Connection]:
    """An existing file brought to the current schema (as the bot would at start); an empty
    in-memory schema when there is no file yet, so a fresh install reports zeros."""
    async with aiosqlite.connect(path if path.exists() else ":memory:") as connection:
        await connection.execute("PRAGMA busy_timeout=5000")
        await migrate(connection)
        yield connection


def record_rows(
    items: Iterable[Interaction | Vote], now: float, update_id: int | None = None
) -> tuple[list[tuple[object, ...]], list[tuple[object, ...]]]:
    """Parameters for INSERT_INTERACTION and INSERT_VOTE (interactions tagged with the update
    that produced them, if any)."""
    interactions, votes = [], []
    for item in items:
        if isinstance(item, Interaction):
            interactions.append(
                (
                    item.created_at or now,
                    item.user_key,
                    item.chat_type,
                    item.kind,
                    item.question,
                    item.outcome,
                    item.entry_id,
                    item.score,
                    item.answer_key,
                    update_id,
                )
            )
        else:
            votes.append(
                (item.created_at or now, item.user_key, item.answer_key, item.entry_id, item.value)
            )
    return interactions, votes
