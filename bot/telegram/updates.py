"""How updates flow through the bot, so that none is lost, none is answered twice, and memory
stays bounded.

1. :class:`DurableQueue`: an update is kept in the inbox *before* it enters the queue, so before
   Telegram is told it arrived. The queue is bounded: when it is full, ``put`` waits, the poller
   stops fetching (and acknowledging), and the webhook answers late; Telegram keeps what it
   could not deliver.
2. :class:`DurableApplication` takes one update at a time from the queue and starts handling it
   as soon as one of ``concurrency`` slots is free.
3. Handlers note what they did on the update's :class:`Receipt`. When the handlers are done, the
   update is marked handled in the inbox together with its records, in one transaction, and
   the records go to the database (:class:`bot.recorder.Recorder`).
4. On stop, updates still queued are not handled: they stay in the inbox for the next start.
"""

import asyncio
import contextlib
import logging
import sqlite3
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

from telegram import Update
from telegram.ext import Application

from bot.recorder import Recorder
from bot.records import Batch, Record
from bot.telegram.inbox import Inbox

logger = logging.getLogger(__name__)


class Interrupted(Exception):
    """Handling stopped because the bot is stopping: the update stays in the inbox."""


@dataclass
class Receipt:
    """What handling one update produced so far."""

    update_id: int
    received: float = field(default_factory=time.monotonic)
    records: list[Record] = field(default_factory=list)
    interrupted: bool = False

    def batch(self) -> Batch:
        """The records as one batch for the database."""
        return Batch(f"u{self.update_id}", tuple(self.records), time.time())


class Receipts:
    """The receipts of the updates being handled, by update id."""

    def __init__(self) -> None:
        self._open: dict[int, Receipt] = {}

    def open(self, update_id: int) -> Receipt:
        receipt = self._open[update_id] = Receipt(update_id)
        return receipt

    def close(self, update_id: int) -> None:
        self._open.pop(update_id, None)

    def of(self, update: object) -> Receipt | None:
        """The receipt of an update being handled (None outside one)."""
        return self._open.get(update.update_id) if isinstance(update, Update) else None

    def ids(self) -> frozenset[int]:
        """The ids of the updates being handled."""
        return frozenset(self._open)

    def __len__(self) -> int:
        return len(self._open)


class ChatLocks:
    """One lock per chat with updates in flight: a chat's messages are handled in the order
    they came ("1" after "Bedoelde je…?" must see that question), other chats in parallel.
    Locks exist only while in use."""

    def __init__(self) -> None:
        self._locks: dict[int, tuple[asyncio.Lock, int]] = {}

    @contextlib.asynccontextmanager
    async def held(self, chat_id: int) -> AsyncIterator[None]:
        """The chat's lock, for the block."""
        lock, users = self._locks.get(chat_id, (asyncio.Lock(), 0))
        self._locks[chat_id] = (lock, users + 1)
        try:
            async with lock:
                yield
        finally:
            lock, users = self._locks[chat_id]
            if users == 1:
                del self._locks[chat_id]
            else:
                self._locks[chat_id] = (lock, users - 1)


class DurableQueue(asyncio.Queue[object]):
    """The application's update queue: bounded, and an update is kept before it is queued."""

    def __init__(self, maxsize: int, retry_delay: float = 1.0) -> None:
        super().__init__(maxsize)
        self.inbox: Inbox | None = None
        self.pseudonym: Any = None
        # Updates kept but not yet finished: id -> (monotonic time of arrival, chat id; None
        # once answered, see answered).
        self.received: dict[int, tuple[float, int | None]] = {}
        self._retry_delay = retry_delay

    async def put(self, item: object) -> None:
        """Keep the update in the inbox (retrying while the inbox cannot be written: until then
        nothing is acknowledged), then queue it, waiting for room (meanwhile the poller does
        not fetch, so Telegram keeps the rest); one seen before is dropped."""
        if not isinstance(item, Update) or self.inbox is None:
            await super().put(item)
            return
        user = item.effective_user
        key = self.pseudonym(user.id) if user is not None and self.pseudonym else None
        failing = False
        while True:
            try:
                fresh = await self.inbox.accept(item.update_id, item.to_dict(), key)
                break
            except (sqlite3.Error, OSError) as exc:
                if not failing:
                    logger.error("inbox not writable (%s): updates wait at Telegram", exc)
                    failing = True
                await asyncio.sleep(self._retry_delay)
        # Kept before but never queued (a webhook call that timed out, a failed flush):
        # Telegram's resend is the moment to handle it.
        if not fresh and (
            item.update_id in self.received or not await self.inbox.is_pending(item.update_id)
        ):
            logger.info("update %d received again; already kept", item.update_id)
            return
        await self.requeue(item)

    def answered(self, update_id: int) -> None:
        """The update's chat has its answer: it no longer waits (no busy notice may follow the
        answer), though the update is not finished until the inbox has recorded it."""
        if update_id in self.received:
            self.received[update_id] = (self.received[update_id][0], None)

    async def requeue(self, update: Update) -> None:
        """Queue an update that the inbox already holds."""
        chat = update.effective_chat
        self.received[update.update_id] = (time.monotonic(), chat.id if chat else None)
        await super().put(update)

    def drop_queued(self) -> int:
        """Empty the queue without handling (the updates stay pending in the inbox)."""
        dropped = 0
        while not self.empty():
            item = self.get_nowait()
            self.task_done()
            if isinstance(item, Update):
                self.received.pop(item.update_id, None)
                dropped += 1
        return dropped

    def oldest_waiting(self) -> float:
        """Seconds the oldest update not yet finished has waited (0 when none)."""
        if not self.received:
            return 0.0
        return time.monotonic() - min(at for at, _ in self.received.values())


class DurableApplication(Application):
    """Handles a bounded number of updates at a time, each finished with its records."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.receipts = Receipts()
        self.recorder: Recorder | None = None
        self.concurrency = 8
        self.admitted = 200
        self.stopping = asyncio.Event()
        self._slots: asyncio.Semaphore | None = None
        self._admitted: asyncio.Semaphore | None = None
        self._chats = ChatLocks()

    @property
    def durable_queue(self) -> DurableQueue:
        """The update queue (always a :class:`DurableQueue` here)."""
        queue = self.update_queue
        assert isinstance(queue, DurableQueue)
        return queue

    async def process_update(self, update: object) -> None:
        """Admit an update (the queue waits while ``admitted`` are already waiting or being
        handled), and let it be handled when its chat's earlier updates are done and one of
        ``concurrency`` slots is free. A busy chat thus holds one slot, not all of them."""
        queue = self.durable_queue
        if not isinstance(update, Update) or queue.inbox is None:
            await super().process_update(update)
            return
        if self._slots is None or self._admitted is None:
            self._slots = asyncio.Semaphore(self.concurrency)
            self._admitted = asyncio.Semaphore(self.admitted)
        await self._admitted.acquire()
        self.create_task(self._handle(update, queue.inbox), name=f"update-{update.update_id}")

    async def _handle(self, update: Update, inbox: Inbox) -> None:
        assert self._slots is not None and self._admitted is not None
        chat, user = update.effective_chat, update.effective_user
        # Updates without a chat (inline queries) are in order per user.
        key = chat.id if chat is not None else -(user.id if user is not None else 0)
        try:
            async with self._chats.held(key), self._slots:
                if self.stopping.is_set():
                    return  # stays pending in the inbox for the next start
                receipt = self.receipts.open(update.update_id)
                try:
                    await super().process_update(update)
                finally:
                    self.receipts.close(update.update_id)
                    self.durable_queue.answered(update.update_id)
        finally:
            self._admitted.release()
        if receipt.interrupted:
            self.durable_queue.received.pop(update.update_id, None)
            return
        await self._finish(update.update_id, receipt.batch(), inbox)
        self.durable_queue.received.pop(update.update_id, None)

    async def _finish(self, update_id: int, batch: Batch, inbox: Inbox) -> None:
        """Mark handled (retrying while the inbox cannot be written, unless stopping), then
        hand the records to the recorder."""
        failing = False
        while True:
            try:
                await inbox.finish(update_id, batch)
                break
            except sqlite3.Error as exc:
                if self.stopping.is_set():
                    logger.warning("update %d stays pending: the inbox failed (%s)", update_id, exc)
                    return
                if not failing:
                    logger.error("inbox not writable (%s); update %d waits", exc, update_id)
                    failing = True
                await asyncio.sleep(1.0)
        if self.recorder is not None:
            self.recorder.submit(batch)

    async def stop(self) -> None:
        """Stop taking updates from the queue; what is still queued stays in the inbox for the
        next start, what is being handled may finish."""
        self.stopping.set()
        dropped = self.durable_queue.drop_queued()
        if dropped:
            logger.info("%d queued updates stay in the inbox for the next start", dropped)
        await super().stop()
