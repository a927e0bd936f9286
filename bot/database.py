"""The bot's SQLite database: what was asked and answered, votes, and dismissed review groups.

Nothing here identifies a user: users are pseudonyms (:mod:`bot.pseudonyms`). Every call runs
on aiosqlite's own thread, so the event loop never waits on the disk; writes come from one
place (:class:`bot.recorder.Recorder`, plus the admin actions below) and each is one
transaction.
"""

import asyncio
import contextlib
import os
import sqlite3
import time
from collections import Counter
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import aiosqlite

from bot.records import QUESTION, Batch, Interaction

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
    # Raw updates (with Telegram ids and names) no longer live here: the inbox has its own
    # file and forgets them once handled. Records carry their batch's source instead, so a
    # batch written twice is stored once.
    """
    DROP TABLE inbox;
    DROP INDEX interactions_update;
    ALTER TABLE interactions DROP COLUMN update_id;
    ALTER TABLE interactions ADD COLUMN source TEXT;
    CREATE UNIQUE INDEX interactions_source ON interactions (source);
    """,
)
INSERT_INTERACTION = (
    "INSERT OR IGNORE INTO interactions (created_at, user_key, chat_type, kind, question, outcome,"
    " entry_id, score, answer_key, source) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)
INSERT_VOTE = (
    "INSERT OR IGNORE INTO votes (created_at, user_key, answer_key, entry_id, value)"
    " VALUES (?, ?, ?, ?, ?)"
)
DAY = 86400.0


class DatabaseError(Exception):
    """The database cannot be used; the message says what, where and what to do."""


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


def private_file(path: Path) -> None:
    """Create ``path`` readable by its owner only (SQLite gives its -wal and -shm files the
    same mode), or make an existing one so."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT, 0o600)
    os.close(fd)
    with contextlib.suppress(PermissionError):
        os.chmod(path, 0o600)


async def connect(path: Path, *, busy_ms: int = 2000) -> aiosqlite.Connection:
    """Open a SQLite file for the bot: private, WAL, deleted content overwritten, checked.
    Raises :class:`DatabaseError` with a clear message instead of leaving a connection (and
    its thread) behind."""
    try:
        private_file(path)
    except OSError as exc:
        raise DatabaseError(
            f"kan de database {path} niet aanmaken ({exc.strerror}): controleer de map en de "
            "rechten, of zet WERKPLEKBOT_DB op een schrijfbare plaats."
        ) from None
    connection = await aiosqlite.connect(path, isolation_level=None)
    try:
        await connection.execute(f"PRAGMA busy_timeout={busy_ms}")
        async with connection.execute("PRAGMA quick_check") as cursor:
            verdict = await cursor.fetchone()
        if verdict is None or verdict[0] != "ok":
            raise DatabaseError(
                f"de database {path} is beschadigd ({verdict[0] if verdict else '?'}). Zet een "
                "back-up terug, of verplaats het bestand om met een lege database te starten."
            )
        await connection.execute("PRAGMA journal_mode=WAL")
        await connection.execute("PRAGMA synchronous=NORMAL")
        await connection.execute("PRAGMA secure_delete=ON")
    except sqlite3.DatabaseError as exc:
        await connection.close()
        raise DatabaseError(
            f"{path} is geen bruikbare database ({exc}). Zet een back-up terug, of verplaats het "
            "bestand om met een lege database te starten."
        ) from None
    except BaseException:
        await connection.close()
        raise
    return connection


async def migrate(connection: aiosqlite.Connection) -> None:
    """Bring the schema to the newest version, one migration per transaction."""
    async with connection.execute("PRAGMA user_version") as cursor:
        row = await cursor.fetchone()
    version = row[0] if row else 0
    for number, script in enumerate(MIGRATIONS[version:], start=version + 1):
        await connection.executescript(
            f"BEGIN;\n{script}\nPRAGMA user_version = {number};\nCOMMIT;"
        )


class Database:
    """The open database of one process. Use ``await Database.open(path)``."""

    def __init__(self, connection: aiosqlite.Connection, path: Path) -> None:
        self._db = connection
        self.path = path
        # One transaction at a time on the one connection (the recorder, /vergeet, the
        # review's "Negeren" and the retention purge write concurrently).
        self._writing = asyncio.Lock()

    @classmethod
    async def open(cls, path: Path, busy_ms: int = 2000) -> "Database":
        """Open (create, check and migrate) the database at ``path``. A write waits up to
        ``busy_ms`` for another process's lock (on aiosqlite's thread, never the loop)."""
        connection = await connect(path, busy_ms=busy_ms)
        try:
            await migrate(connection)
        except sqlite3.Error as exc:
            await connection.close()
            raise DatabaseError(
                f"kan de database {path} niet bijwerken ({exc}): is de map schrijfbaar?"
            ) from None
        return cls(connection, path)

    async def close(self) -> None:
        """Close the connection (and its thread)."""
        await self._db.close()

    # -- writes ---------------------------------------------------------------------------

    async def write(self, batch: Batch) -> None:
        """Store a batch in one transaction; a batch stored before is not stored again.
        Raises ``sqlite3.Error`` when the database cannot be written (locked, full)."""
        interactions: list[tuple[object, ...]] = []
        votes: list[tuple[object, ...]] = []
        now = time.time()
        for number, item in enumerate(batch.records):
            created = item.created_at or batch.created_at or now
            if isinstance(item, Interaction):
                interactions.append(
                    (
                        created,
                        item.user_key,
                        item.chat_type,
                        item.kind,
                        item.question,
                        item.outcome,
                        item.entry_id,
                        item.score,
                        item.answer_key,
                        f"{batch.source}:{number}",
                    )
                )
            else:
                votes.append((created, item.user_key, item.answer_key, item.entry_id, item.value))
        await self._transaction(((INSERT_INTERACTION, interactions), (INSERT_VOTE, votes)))

    async def forget(self, user_key: str) -> int:
        """Delete everything of one user; the number of rows removed."""
        return await self._transaction(
            (
                ("DELETE FROM interactions WHERE user_key = ?", [(user_key,)]),
                ("DELETE FROM votes WHERE user_key = ?", [(user_key,)]),
            )
        )

    async def purge(self, before: float) -> int:
        """Delete what is older than a time (the retention period)."""
        return await self._transaction(
            (
                ("DELETE FROM interactions WHERE created_at < ?", [(before,)]),
                ("DELETE FROM votes WHERE created_at < ?", [(before,)]),
                ("DELETE FROM dismissed WHERE created_at < ?", [(before,)]),
            )
        )

    async def dismiss(self, forms: list[str]) -> float:
        """Keep these question forms out of the review from now on; when (to undo it by)."""
        now = time.time()
        await self._transaction(
            (
                (
                    "INSERT OR IGNORE INTO dismissed (form, created_at) VALUES (?, ?)",
                    [(form, now) for form in forms],
                ),
            )
        )
        return now

    async def undismiss(self, at: float) -> frozenset[str]:
        """Undo the dismissal made at ``at``: its forms are back in the review (returned)."""
        async with self._db.execute("SELECT form FROM dismissed WHERE created_at = ?", (at,)) as c:
            forms = frozenset(row[0] for row in await c.fetchall())
        await self._transaction((("DELETE FROM dismissed WHERE created_at = ?", [(at,)]),))
        return forms

    async def _transaction(
        self, statements: tuple[tuple[str, list[tuple[object, ...]]], ...]
    ) -> int:
        changed = 0
        async with self._writing:
            await self._db.execute("BEGIN IMMEDIATE")
            try:
                for sql, rows in statements:
                    if rows:
                        cursor = await self._db.executemany(sql, rows)
                        changed += max(cursor.rowcount, 0)
                await self._db.execute("COMMIT")
            except BaseException:
                with contextlib.suppress(sqlite3.Error):
                    await self._db.execute("ROLLBACK")
                raise
        return changed

    # -- reads ----------------------------------------------------------------------------

    async def stats(self) -> dict[str, int]:
        """Counts of questions by outcome, and of votes (the contract's ``stats --json``)."""
        return await read_stats(self._db)

    async def report(self, since: float) -> Report:
        """Aggregates since a time."""
        return await read_report(self._db, since)

    async def unanswered(self, since: float = 0.0) -> list[Unanswered]:
        """Fallbacks, choices and voted-down answers since a time, oldest first."""
        return await read_unanswered(self._db, since)

    async def dismissed(self) -> frozenset[str]:
        """Question forms kept out of the review."""
        return await read_dismissed(self._db)

    async def question_of(self, answer_key: str) -> str | None:
        """The question that an answer (by its key) was given to, if recorded."""
        async with self._db.execute(
            "SELECT question FROM interactions WHERE answer_key = ? ORDER BY id DESC LIMIT 1",
            (answer_key,),
        ) as cursor:
            row = await cursor.fetchone()
        return str(row[0]) if row else None


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


async def read_report(connection: aiosqlite.Connection, since: float) -> Report:
    """Aggregate the interactions and votes since a time."""
    async with connection.execute(
        "SELECT outcome, entry_id, created_at FROM interactions WHERE kind = ? AND created_at >= ?",
        (QUESTION, since),
    ) as cursor:
        rows = list(await cursor.fetchall())
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


async def read_dismissed(connection: aiosqlite.Connection) -> frozenset[str]:
    """Question forms kept out of the review."""
    async with connection.execute("SELECT form FROM dismissed") as cursor:
        return frozenset(row[0] for row in await cursor.fetchall())


@contextlib.asynccontextmanager
async def reading(path: Path) -> AsyncIterator[aiosqlite.Connection]:
    """A database file for the command line's reports, brought to the current schema; an
    empty in-memory schema when there is no file yet, so a fresh install reports zeros."""
    if path.exists():
        connection = await connect(path, busy_ms=5000)
    else:
        connection = await aiosqlite.connect(":memory:")
    try:
        await migrate(connection)
        yield connection
    finally:
        await connection.close()


async def stats_of(path: Path) -> dict[str, int]:
    """Counts from a database file (all zero when there is none yet)."""
    async with reading(path) as connection:
        return await read_stats(connection)


async def reports_of(path: Path, periods: tuple[int, ...]) -> dict[int, Report]:
    """Reports for the last N days of a database file."""
    now = time.time()
    async with reading(path) as connection:
        return {days: await read_report(connection, now - days * DAY) for days in periods}


async def review_items_of(path: Path, days: int = 0) -> tuple[list[Unanswered], frozenset[str]]:
    """The review's questions (all, or the last ``days``) and the dismissed forms."""
    since = time.time() - days * DAY if days else 0.0
    async with reading(path) as connection:
        return await read_unanswered(connection, since), await read_dismissed(connection)
