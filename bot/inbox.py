"""Updates are kept in the database from the moment they are fetched until they are handled.

python-telegram-bot acknowledges updates to Telegram when it fetches them (the next getUpdates
carries the higher offset; a webhook answers 200 on receipt), not when they are handled: a bot
killed with fetched updates in its queue loses them. Here every update is written to the
``inbox`` table *before* it enters the queue (so before it is acknowledged), duplicates are
dropped by ``update_id``, and it is marked handled in the same transaction that stores its
interactions and votes. At start, what is still pending is handled first. An update whose
reply could not be sent (Telegram unreachable) is tried again with backoff for 15 minutes.
"""

import asyncio
import json
import logging
import sqlite3
import time
from contextvars import ContextVar
from pathlib import Path
from typing import Any

from telegram import Update
from telegram.ext import Application

from bot.storage import (
    INSERT_INTERACTION,
    INSERT_VOTE,
    Interaction,
    Vote,
    record_rows,
    update_records,
)

logger = logging.getLogger(__name__)

RETRY_FOR_SECONDS = 15 * 60
RETRY_DELAYS = (2.0, 4.0, 8.0, 15.0, 30.0, 60.0)
# Records kept in memory while the database cannot be written (locked, read-only, disk full).
MAX_UNSAVED = 10_000
# Set by the error handler when the reply of the update being handled could not be sent.
send_failed: ContextVar[list[bool] | None] = ContextVar("send_failed", default=None)


class Inbox:
    """The ``inbox`` table, on a synchronous connection: each write is a fraction of a
    millisecond and must be done before the update is acknowledged."""

    def __init__(self, path: Path) -> None:
        self._db = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")
        # Short: a locked database must not stall the event loop; records wait in memory.
        self._db.execute("PRAGMA busy_timeout=200")
        self._unsaved: list[Interaction | Vote] = []
        self._unfinished: list[int] = []
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

    def finish(self, update_id: int, records: list[Interaction | Vote]) -> None:
        """Store the update's records and mark it handled, in one transaction."""
        items = [*self._unsaved, *records]
        finished = [*self._unfinished, update_id]
        interactions, votes = record_rows(items, time.time())
        try:
            self._db.execute("BEGIN IMMEDIATE")
            self._db.executemany(INSERT_INTERACTION, interactions)
            self._db.executemany(INSERT_VOTE, votes)
            self._db.executemany(
                "UPDATE inbox SET done_at = ? WHERE update_id = ?",
                [(time.time(), i) for i in finished],
            )
            self._db.execute("COMMIT")
        except sqlite3.Error as exc:
            self.write_failures += 1
            if self._db.in_transaction:
                self._db.execute("ROLLBACK")
            overflow = max(0, len(items) - MAX_UNSAVED)
            self.dropped += overflow
            self._unsaved, self._unfinished = items[overflow:], finished[-MAX_UNSAVED:]
            logger.warning(
                "database not writable (%s): %d records wait, %d dropped so far",
                exc,
                len(self._unsaved),
                self.dropped,
            )
            return
        if self._unsaved:
            logger.info("database writable again: %d waiting records stored", len(self._unsaved))
        self._unsaved, self._unfinished = [], []

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
        records: list[Interaction | Vote] = []
        failed = [False]
        tokens = (update_records.set(records), send_failed.set(failed))
        try:
            await super().process_update(update)
        finally:
            update_records.reset(tokens[0])
            send_failed.reset(tokens[1])
        if failed[0] and self._retry(update):
            return
        self._first_failure.pop(update.update_id, None)
        self._attempts.pop(update.update_id, None)
        inbox.finish(update.update_id, records)

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
