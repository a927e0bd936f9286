"""Updates are kept on disk from the moment they arrive until they are handled.

python-telegram-bot acknowledges updates to Telegram when it fetches them (the next getUpdates
carries a higher offset; a webhook answers 200), not when they are handled: a bot killed with
updates in its queue would lose them. Here every update is written to the inbox *before* it is
queued, so before it is acknowledged; an update Telegram sends again is recognised by its id.

The inbox is its own SQLite file, so that a lock on the main database (another process, a long
report) never stops updates from being kept. It holds as little as it can for as short as it
can: names and usernames are stripped before an update is written; once it is handled, the
update's content is erased in the same transaction that marks it done and keeps what it
produced (a :class:`~bot.records.Batch`) until the database has it. Deleted content is
overwritten (secure_delete) and the write-ahead log is truncated after each round of handled
updates, so no handled message lingers in any file. Only the update id stays, for a day, to
recognise an update Telegram sends again.
"""

import asyncio
import contextlib
import json
import logging
import os
import sqlite3
import time
from pathlib import Path
from typing import Any

import aiosqlite

from bot.database import DatabaseError, connect
from bot.records import Batch

logger = logging.getLogger(__name__)

SCHEMA = """
CREATE TABLE IF NOT EXISTS updates (
    update_id INTEGER PRIMARY KEY,
    received_at REAL NOT NULL,
    payload TEXT,
    user_key TEXT,
    done_at REAL,
    batch TEXT
);
CREATE INDEX IF NOT EXISTS updates_pending ON updates (done_at);
CREATE INDEX IF NOT EXISTS updates_user ON updates (user_key);
"""
# Fields of a Telegram user or chat that name a person; dropped before anything is stored.
_NAMES = (
    "first_name",
    "last_name",
    "username",
    "language_code",
    "is_premium",
    "bio",
    "sender_user_name",
    "author_signature",
    "forward_sender_name",
    "forward_signature",
)
MARK_DONE = (
    "UPDATE updates SET payload = NULL, user_key = NULL, done_at = ?, batch = ? WHERE update_id = ?"
)
MARK_WAIT_MS = 20
# Telegram sends an unacknowledged update again for up to a day.
KEEP_SEEN = 86400.0


def minimise(value: Any) -> Any:
    """An update with names, usernames, phone numbers and places removed: what is kept is what
    answering needs (ids to reply to, the text, what kind of message it was)."""
    if isinstance(value, list):
        return [minimise(item) for item in value]
    if not isinstance(value, dict):
        return value
    out: dict[str, Any] = {}
    for key, item in value.items():
        if key in _NAMES:
            if key == "first_name":
                out[key] = ""  # required by python-telegram-bot's User
            continue
        if key == "contact":
            out[key] = {"phone_number": "", "first_name": ""}
        elif key in ("location", "venue"):
            out["location"] = {"latitude": 0.0, "longitude": 0.0}
        else:
            out[key] = minimise(item)
    return out


class Inbox:
    """The inbox file of one running bot. Use ``await Inbox.open(path)``."""

    def __init__(self, connection: aiosqlite.Connection, path: Path) -> None:
        self._db = connection
        # "Handled" marks are written right where the reply went out, on the event loop: a
        # crash between a reply and its mark sends the reply again, and a hop to another
        # thread would widen that window tenfold under load. The write takes a tenth of a
        # millisecond (no fsync); waiting for the lock is capped at MARK_WAIT_MS, after which
        # the mark goes the slow way.
        self._marks = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        self._marks.execute(f"PRAGMA busy_timeout={MARK_WAIT_MS}")
        self._marks.execute("PRAGMA synchronous=NORMAL")
        self._marks.execute("PRAGMA secure_delete=ON")
        self._log = path.with_name(path.name + "-wal")
        self.accepted = 0
        # Something was erased since the log was last folded.
        self._erased = False

    @classmethod
    async def open(cls, path: Path) -> "Inbox":
        """Open (and create) the inbox; :class:`DatabaseError` when it cannot be used."""
        connection = await connect(path)
        try:
            await connection.executescript(SCHEMA)
            return cls(connection, path)
        except sqlite3.Error as exc:
            await connection.close()
            raise DatabaseError(f"kan het postvak {path} niet gebruiken ({exc}).") from None

    async def close(self) -> None:
        """Truncate the log and close."""
        with contextlib.suppress(sqlite3.Error):
            await self.checkpoint()
        self._marks.close()
        await self._db.close()

    async def accept(self, update_id: int, payload: dict[str, Any], user_key: str | None) -> bool:
        """Keep an update; False when it was received before. Raises ``sqlite3.Error`` when it
        cannot be kept (then it must not be acknowledged)."""
        cursor = await self._db.execute(
            "INSERT OR IGNORE INTO updates (update_id, received_at, payload, user_key)"
            " VALUES (?, ?, ?, ?)",
            (update_id, time.time(), json.dumps(minimise(payload), ensure_ascii=False), user_key),
        )
        fresh = cursor.rowcount == 1
        if fresh:
            # Durable before Telegram is told it arrived. The log is flushed to disk here, after
            # the transaction, rather than inside it (synchronous=FULL): the write lock is not
            # held for the flush, so a "handled" mark never waits behind it, and a reply that
            # went out is marked within a fraction of a millisecond (a crash in between would
            # send it again).
            await asyncio.to_thread(self._flush_log)
        self.accepted += fresh
        return fresh

    def _flush_log(self) -> None:
        fd = os.open(self._log, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)

    async def finish(self, update_id: int, batch: Batch) -> None:
        """Mark an update handled: its content erased, what it produced kept until written.
        (Not flushed to disk: a killed process loses nothing the operating system has.)"""
        values = (time.time(), json.dumps(batch.to_json()) if batch.records else None, update_id)
        try:
            self._marks.execute(MARK_DONE, values)
        except sqlite3.OperationalError:  # locked longer than MARK_WAIT_MS
            await self._db.execute(MARK_DONE, values)
        self._erased = True

    async def written(self, batch: Batch) -> None:
        """The database has a batch: the inbox no longer needs it."""
        if batch.source.startswith("u"):
            await self._db.execute(
                "UPDATE updates SET batch = NULL WHERE update_id = ?", (int(batch.source[1:]),)
            )
            self._erased = True

    async def pending(self) -> list[dict[str, Any]]:
        """Updates received but not handled (the process stopped), oldest first."""
        async with self._db.execute(
            "SELECT payload FROM updates WHERE done_at IS NULL ORDER BY update_id"
        ) as cursor:
            return [json.loads(payload) for (payload,) in await cursor.fetchall()]

    async def unwritten(self) -> list[Batch]:
        """Batches of handled updates that the database does not have yet."""
        async with self._db.execute(
            "SELECT batch FROM updates WHERE batch IS NOT NULL ORDER BY update_id"
        ) as cursor:
            return [Batch.from_json(json.loads(text)) for (text,) in await cursor.fetchall()]

    async def forget(self, user_key: str) -> int:
        """/vergeet: the user's records in batches not yet written. (Their updates still
        waiting are answered and erased as any other; deleting them would lose them.)"""
        removed = 0
        async with self._db.execute(
            "SELECT update_id, batch FROM updates WHERE batch IS NOT NULL"
        ) as cursor:
            rows = await cursor.fetchall()
        for update_id, text in rows:
            batch = Batch.from_json(json.loads(text))
            kept = tuple(r for r in batch.records if r.user_key != user_key)
            if len(kept) < len(batch.records):
                removed += len(batch.records) - len(kept)
                value = json.dumps(Batch(batch.source, kept, batch.created_at).to_json())
                await self._db.execute(
                    "UPDATE updates SET batch = ? WHERE update_id = ?",
                    (value if kept else None, update_id),
                )
        return removed

    async def is_pending(self, update_id: int) -> bool:
        """Whether an update is kept and not yet handled."""
        async with self._db.execute(
            "SELECT 1 FROM updates WHERE update_id = ? AND done_at IS NULL", (update_id,)
        ) as cursor:
            return await cursor.fetchone() is not None

    async def purge(self) -> None:
        """Forget handled updates older than Telegram would resend them."""
        await self._db.execute(
            "DELETE FROM updates WHERE done_at < ? AND batch IS NULL", (time.time() - KEEP_SEEN,)
        )

    async def fold_log(self) -> None:
        """Fold the log when something was erased since the last time (a service, every
        second)."""
        if self._erased:
            self._erased = False
            await self.checkpoint()

    async def checkpoint(self) -> None:
        """Fold the write-ahead log into the file and truncate it, so erased content is gone
        from every file."""
        await self._db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
