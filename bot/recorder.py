"""The one path from what happened to the database, with one error policy.

Batches are written in the order they were submitted, one transaction each. When the database
cannot be written (locked by another process, read-only, disk full) the batch waits and is
tried again after a delay; nothing is reordered, and nothing is dropped while it fits in
memory. Where batches come from a durable inbox (Telegram), even a dropped or unwritten batch
survives a restart there. The counters are logged when the database stops or resumes working,
and shown to admins in /stats.
"""

import asyncio
import logging
import sqlite3
import time
from collections import deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from bot.database import Database
from bot.records import Batch

logger = logging.getLogger(__name__)


@dataclass
class Counters:
    """How writing goes; read by /stats and the log."""

    written: int = 0
    failed_attempts: int = 0
    dropped: int = 0
    pending: int = 0


class Recorder:
    """Writes submitted batches to a database, in order, retrying what fails."""

    def __init__(
        self,
        database: Database,
        *,
        retry_delay: float = 2.0,
        max_pending: int = 10_000,
        on_written: Callable[[Batch], Awaitable[None]] | None = None,
    ) -> None:
        self.database = database
        self.counters = Counters()
        self._retry_delay = retry_delay
        self._max_pending = max_pending
        self._on_written = on_written
        self._queue: deque[Batch] = deque()
        # Set when there is something to write (a service waits for it).
        self.wakeup = asyncio.Event()
        self._failing_since: float | None = None

    def submit(self, batch: Batch) -> None:
        """Queue a batch for writing (never waits)."""
        if not batch.records:
            return
        self._queue.append(batch)
        if len(self._queue) > self._max_pending:
            self._queue.popleft()
            self.counters.dropped += 1
        self.counters.pending = len(self._queue)
        self.wakeup.set()

    def forget(self, user_key: str) -> int:
        """/vergeet: drop a user's records that wait to be written; how many."""
        removed = 0
        kept: deque[Batch] = deque()
        for batch in self._queue:
            records = tuple(r for r in batch.records if r.user_key != user_key)
            removed += len(batch.records) - len(records)
            if records:
                kept.append(Batch(batch.source, records, batch.created_at))
        self._queue = kept
        self.counters.pending = len(kept)
        return removed

    async def write_pending(self) -> bool:
        """Write what is queued, oldest first; False when the database refused (the rest
        waits for the next try)."""
        while self._queue:
            batch = self._queue[0]
            try:
                await self.database.write(batch)
            except (sqlite3.Error, ValueError) as exc:
                self.counters.failed_attempts += 1
                if self._failing_since is None:
                    self._failing_since = time.monotonic()
                    logger.warning(
                        "database not writable (%s): %d batches wait and are tried again every"
                        " %.0f s",
                        exc,
                        len(self._queue),
                        self._retry_delay,
                    )
                return False
            # By source: /vergeet may have replaced the batch meanwhile (what it kept of it is
            # written now too; what it dropped, the database forgets after this write).
            written = next((b for b in self._queue if b.source == batch.source), None)
            if written is not None:
                self._queue.remove(written)
            self.counters.written += 1
            self.counters.pending = len(self._queue)
            if self._failing_since is not None:
                logger.info(
                    "database writable again after %.0f s (%d failed attempts, %d dropped)",
                    time.monotonic() - self._failing_since,
                    self.counters.failed_attempts,
                    self.counters.dropped,
                )
                self._failing_since = None
            if self._on_written is not None:
                await self._on_written(batch)
        return True
