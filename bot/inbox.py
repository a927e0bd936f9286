"""Updates are kept in the database from the moment they are fetched until they are handled.

python-telegram-bot acknowledges updates to Telegram when it fetches them (the next getUpdates
carries the higher offset; a webhook answers 200 on receipt), not when they are handled: a bot
killed with fetched updates in its queue loses them. Here every update is written to the
``inbox`` table *before* it enters the queue (so before it is acknowledged), duplicates are
dropped by ``update_id``, and it is marked handled in the same transaction that stores its
interactions and votes. At start, what is still pending is handled first. An update whose
reply could not be sent (Telegram unreachable) is tried again with backoff for 15 minutes.

What stays open is the time a reply spends on the wire: an update whose reply reached Telegram
but whose answer had not come back when the process was killed is handled again after the
restart. Updates are handled a few at a time (telegram_app.CONCURRENT_UPDATES) to keep that
window to a few milliseconds; sending twice is preferred over not answering.
"""

import asyncio
import json
import logging
import sqlite3
import time
from pathlib import Path
from typing import Any

from telegram import Update
from telegram.ext import Application

from bot.storage import (
    INSERT_INTERACTION,
    INSERT_VOTE,
    Work,
    current_work,
    record_rows,
)

logger = logging.getLogger(__name__)

RETRY_FOR_SECONDS = 15 * 60
RETRY_DELAYS = (2.0, 4.0, 8.0, 15.0, 30.0, 60.0)
# Records kept in memory while the database cannot be written (locked, read-only, disk full).
MAX_UNSAVED = 10_000


def note_answer_key(key: str) -> None:
    """Remember which message carried the answer of the update being handled."""
    work = current_work.get()
    if work is not None:
        work.answer_key = key


def note_send_failed() -> bool:
    """Flag the update being handled for another try; False outside an update."""
    work = current_work.get()
    if work is None:
        return False
    work.failed = True
    return True


class Inbox:
    """The ``inbox`` table, on a synchronous connection: each write is a fraction of a
    millisecond and must be done before the update is acknowledged."""

    def __init__(self, path: Path) -> None:
        self._db = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")
        # Short: a locked database must not stall the event loop; records wait in memory.
        self._db.execute("PRAGMA busy_timeout=200")
        # Writes that failed (database locked, read-only, full), tried again with the next.
        self._waiting: list[tuple[str, list[tuple[object, ...]]]] = []
        self.dropped = 0
        self.write_failures = 0

    def accept(self, update_id: int, payload: str) -> bool:
        """Keep a fetched update; False if it was received before (Telegram sent it again)."""
        try:
            cursor = self._db.execute(
                "INSERT OR IGNORE INTO inbox (update_id, payload, received_at) VALUES (?, ?, ?)",
                (update_id, payload, time.time()),
            )
        except sqlite3.Error:
            self.write_failures += 1
            logger.exception("inbox: could not keep update %d; handling it anyway", update_id)
            return True
        return cursor.rowcount == 1

    def _write(self, statements: list[tuple[str, list[tuple[object, ...]]]]) -> None:
        """Run statements in one transaction, with what waits from earlier failures first."""
        try:
            self._db.execute("BEGIN IMMEDIATE")
            for sql, rows in [*self._waiting, *statements]:
                self._db.executemany(sql, rows)
            self._db.execute("COMMIT")
        except sqlite3.Error as exc:
            self.write_failures += 1
            if self._db.in_transaction:
                self._db.execute("ROLLBACK")
            waiting = [*self._waiting, *statements]
            while sum(len(rows) for _, rows in waiting) > MAX_UNSAVED and len(waiting) > 1:
                self.dropped += len(waiting.pop(0)[1])
            self._waiting = waiting
            logger.warning(
                "database not writable (%s): %d writes wait, %d rows dropped so far",
                exc,
                len(self._waiting),
                self.dropped,
            )
            return
        if self._waiting:
            logger.info("database writable again: %d waiting writes stored", len(self._waiting))
        self._waiting = []

    def _record_statements(self, work: Work) -> list[tuple[str, list[tuple[object, ...]]]]:
        interactions, votes = record_rows(work.records, time.time(), work.update_id)
        work.records.clear()
        return [(INSERT_INTERACTION, interactions), (INSERT_VOTE, votes)]

    def finish(self, work: Work) -> None:
        """Store what is left of the update's records and mark it handled, in one transaction."""
        statements = self._record_statements(work)
        if work.answer_key is not None:
            statements.append(
                (
                    "UPDATE interactions SET answer_key = ?"
                    " WHERE update_id = ? AND answer_key IS NULL",
                    [(work.answer_key, work.update_id)],
                )
            )
        statements.append(
            ("UPDATE inbox SET done_at = ? WHERE update_id = ?", [(time.time(), work.update_id)])
        )
        self._write(statements)

    def pending(self) -> list[dict[str, Any]]:
        """Updates received but not handled (the process stopped), oldest first."""
        rows = self._db.execute(
            "SELECT payload FROM inbox WHERE done_at IS NULL ORDER BY update_id"
        ).fetchall()
        return [json.loads(payload) for (payload,) in rows]

    def purge(self, before: float) -> None:
        """Forget handled updates (Telegram re-sends an update for at most a day)."""
        try:
            self._db.execute("DELETE FROM inbox WHERE done_at < ?", (before,))
        except sqlite3.Error:
            logger.exception("inbox: purge failed")

    def close(self) -> None:
        """Close the connection."""
        self._db.close()


class DurableQueue(asyncio.Queue):  # type: ignore[type-arg]
    """The application's update queue: an update is kept in the inbox before it is queued."""

    inbox: Inbox | None = None

    async def put(self, item: object) -> None:
        """Keep, then queue; an update seen before is dropped."""
        if isinstance(item, Update) and self.inbox is not None:
            payload = json.dumps(item.to_dict(), ensure_ascii=False)
            if not self.inbox.accept(item.update_id, payload):
                logger.info("update %d received again; already handled or queued", item.update_id)
                return
        await super().put(item)

    def requeue(self, update: Update) -> None:
        """Queue an update that is already in the inbox."""
        self.put_nowait(update)


class DurableApplication(Application):  # type: ignore[type-arg]
    """Marks each update handled together with its records, and retries unsent replies."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._first_failure: dict[int, float] = {}
        self._attempts: dict[int, int] = {}

    @property
    def inbox(self) -> Inbox | None:
        """The inbox of the durable queue (None before the database is open)."""
        queue = self.update_queue
        return queue.inbox if isinstance(queue, DurableQueue) else None

    async def process_update(self, update: object) -> None:
        """Handle an update; then store its records and mark it done, or schedule a retry."""
        inbox = self.inbox
        if not isinstance(update, Update) or inbox is None:
            await super().process_update(update)
            return
        work = Work(update.update_id)
        token = current_work.set(work)
        try:
            await super().process_update(update)
        finally:
            current_work.reset(token)
        if work.failed and self._retry(update):
            return
        self._first_failure.pop(update.update_id, None)
        self._attempts.pop(update.update_id, None)
        inbox.finish(work)

    def _retry(self, update: Update) -> bool:
        """Schedule the update again unless it has been failing for too long."""
        now = time.monotonic()
        first = self._first_failure.setdefault(update.update_id, now)
        if now - first > RETRY_FOR_SECONDS:
            logger.error("update %d: reply not sent for 15 minutes; giving up", update.update_id)
            return False
        attempt = self._attempts[update.update_id] = self._attempts.get(update.update_id, 0) + 1
        delay = RETRY_DELAYS[min(attempt, len(RETRY_DELAYS)) - 1]
        logger.warning("update %d: reply not sent; trying again in %.0f s", update.update_id, delay)

        async def later() -> None:
            await asyncio.sleep(delay)
            if self.running and isinstance(self.update_queue, DurableQueue):
                self.update_queue.requeue(update)

        self.create_task(later(), name=f"retry-{update.update_id}")
        return True
