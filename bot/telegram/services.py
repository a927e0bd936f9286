"""Background work, started through the application and supervised: an error is logged and the
service carries on; all of them end when the bot stops.

* writing records to the database (the recorder), and folding the inbox's log;
* the status file ``werkplekbot health`` reads;
* the retention purge, once a day;
* the knowledge watcher, which reloads on a saved edit and tells the admins;
* "it is busy" notices for users whose update waits long.
"""

import asyncio
import contextlib
import logging
import time
from collections.abc import Awaitable, Callable
from html import escape
from typing import Any

from telegram.error import TelegramError
from telegram.ext import Application

from bot import messages
from bot.core import Core
from bot.database import DAY
from bot.health import Status, write_status
from bot.reloading import Reload, reload_async, signature
from bot.telegram.context import BotData
from bot.telegram.render import split_message
from bot.telegram.updates import DurableApplication, DurableQueue

logger = logging.getLogger(__name__)

Step = Callable[[], Awaitable[object]]


async def supervised(
    name: str,
    step: Step,
    interval: float,
    stopping: asyncio.Event,
    wake: asyncio.Event | None = None,
) -> None:
    """Run ``step`` every ``interval`` seconds (or when ``wake`` is set) until ``stopping``; an
    error is logged (once while it repeats) and the service goes on."""
    failing = ""
    while not stopping.is_set():
        try:
            await step()
            if failing:
                logger.info("%s works again", name)
            failing = ""
        except Exception as exc:
            if repr(exc) != failing:
                logger.exception("%s failed; it carries on", name)
            failing = repr(exc)
        waits = [asyncio.ensure_future(stopping.wait())]
        if wake is not None:
            waits.append(asyncio.ensure_future(wake.wait()))
        _, pending = await asyncio.wait(waits, timeout=interval, return_when="FIRST_COMPLETED")
        for task in pending:
            task.cancel()
        if wake is not None:
            wake.clear()


def start_services(
    application: Application[Any, Any, Any, Any, BotData, Any], webhook: bool
) -> None:
    """Start every background service (call once the application runs)."""
    data = application.bot_data
    timings = data.config.timings
    services: list[tuple[str, Step, float, asyncio.Event | None]] = [
        ("recorder", data.recorder.write_pending, timings.database_retry, data.recorder.wakeup),
        ("inbox log", data.inbox.fold_log, 1.0, None),
        ("status", lambda: write_health(application, data, webhook), timings.heartbeat, None),
        ("retention", lambda: purge(data), DAY, None),
        (
            "knowledge watcher",
            lambda: watch_knowledge(application, data),
            timings.knowledge_watch,
            None,
        ),
        ("busy notices", busy_notices(application, data), 1.0, None),
    ]
    for name, step, interval, wake in services:
        application.create_task(supervised(name, step, interval, data.stopping, wake), name=name)


async def write_health(
    application: Application[Any, Any, Any, Any, BotData, Any], data: BotData, webhook: bool
) -> None:
    """Refresh the status file; in webhook mode, check that Telegram can be reached."""
    if webhook:
        with contextlib.suppress(TelegramError):
            await application.bot.get_webhook_info()
            data.contact.note()
    waiting = 0.0
    if isinstance(application, DurableApplication):
        waiting = application.durable_queue.oldest_waiting()
    status = Status(time.time(), data.contact.last, waiting, "webhook" if webhook else "polling")
    write_status(data.config.heartbeat_path, status)
    check_database_file(data)


def check_database_file(data: BotData) -> None:
    """A database file deleted under the running bot would swallow every record: say so."""
    path = data.database.path
    if not path.exists() and not data.database_missing_logged:
        logger.error("the database file %s is gone: records are not kept; restart the bot", path)
        data.database_missing_logged = True


async def purge(data: BotData) -> None:
    """Delete what is older than the retention period."""
    days = data.config.retention_days
    removed = await data.database.purge(time.time() - days * DAY)
    await data.inbox.purge()
    if removed:
        logger.info("retention: removed %d rows older than %d days", removed, days)


async def reload_knowledge(
    application: Application[Any, Any, Any, Any, BotData, Any], data: BotData
) -> Reload:
    """Validate and swap the knowledge; the old one keeps answering if the new one is broken.
    Questions in flight keep the core they started with."""
    waited = data.reload_lock.locked()
    async with data.reload_lock:
        # Asked while another reload read these very files (the watcher's, after a hand
        # edit): its outcome is this one's too. Reloading again would report "niets veranderd"
        # right after the change was announced.
        if waited and data.last_reload is not None and unchanged(data):
            return data.last_reload
        return await reload_locked(application, data)


async def reload_locked(
    application: Application[Any, Any, Any, Any, BotData, Any], data: BotData
) -> Reload:
    """The reload itself; the caller holds ``data.reload_lock``."""
    data.signature = signature(data.config.knowledge_dir)
    old = data.core
    outcome = await reload_async(old, data.config.knowledge_dir)
    summary = outcome.summary()
    logger.info("reload: %s", summary.splitlines()[0])
    if outcome.core is not None:
        data.core = outcome.core
        if isinstance(application, DurableApplication):
            # In the background: the update asking for the reload is one of those that
            # may still use the old core.
            in_flight = application.receipts.ids()
            application.create_task(retire(application, old, in_flight), name="retire")
    data.last_reload = outcome
    return outcome


def unchanged(data: BotData) -> bool:
    """Whether the knowledge files are as they were when last loaded."""
    return signature(data.config.knowledge_dir) == data.signature


async def retire(application: DurableApplication, old: Core, in_flight: frozenset[int]) -> None:
    """Take a replaced core apart once the updates that were being handled when it was
    replaced are done (they may still use it); then give the memory back."""
    for _ in range(200):
        if application.stopping.is_set():
            return
        if not in_flight & application.receipts.ids():
            await dismantle(old.matcher)
            break
        await asyncio.sleep(0.05)
    release_memory()


async def dismantle(matcher: object, chunk: int = 5000) -> None:
    """Take a replaced matcher's large containers apart a few thousand items at a time,
    letting the event loop answer in between. Freed all at once, a 30,000-entry index is
    one deallocation of millions of objects that holds the interpreter for most of a second.
    (Called once no update that started before the swap is still being handled.)"""
    for value in list(vars(matcher).values()):
        if isinstance(value, dict):
            while value:
                for _ in range(min(chunk, len(value))):
                    value.popitem()
                await asyncio.sleep(0)
        elif isinstance(value, list):
            while value:
                del value[-chunk:]
                await asyncio.sleep(0)


def release_memory() -> None:
    """Give the memory of a replaced knowledge back to the operating system."""
    with contextlib.suppress(OSError, AttributeError):
        import ctypes

        ctypes.CDLL("libc.so.6").malloc_trim(0)


async def watch_knowledge(
    application: Application[Any, Any, Any, Any, BotData, Any], data: BotData
) -> None:
    """Reload when a knowledge file changed; tell the admins what changed or what to fix.
    Not while an admin's change is being written: that change reloads itself once whole."""
    if data.change_lock.locked() or unchanged(data):
        return
    async with data.reload_lock:
        # Checked again: an admin's /herlaad may have loaded the edit while this waited (said
        # once), or an admin's change may have begun writing.
        if data.change_lock.locked() or unchanged(data):
            return
        outcome = await reload_locked(application, data)
    await tell_admins(application, data, outcome.summary())


async def tell_admins(
    application: Application[Any, Any, Any, Any, BotData, Any], data: BotData, text: str
) -> None:
    """Send a message to every admin who has a chat with the bot."""
    for admin in data.config.admin_ids:
        try:
            html = split_message(escape(text))[0]  # summaries fit; never cut an entity
            await application.bot.send_message(admin, html, parse_mode="HTML")
        except TelegramError as exc:
            logger.info("could not tell admin about the knowledge (%s)", exc)


def busy_notices(application: Application[Any, Any, Any, Any, BotData, Any], data: BotData) -> Step:
    """A step that tells each chat whose update has waited in the queue longer than
    ``busy_after`` that it is busy, once until that chat has nothing waiting any more. Only
    queued updates count: one being handled is answered next."""
    told: set[int] = set()

    def late_chats(queue: DurableQueue, handling: frozenset[int]) -> set[int]:
        now = time.monotonic()
        return {
            chat
            for update_id, (at, chat) in queue.received.items()
            if chat is not None
            and update_id not in handling
            and now - at > data.config.timings.busy_after
        }

    async def step() -> None:
        if not isinstance(application, DurableApplication):
            return
        queue = application.durable_queue
        waiting = {chat for _, chat in queue.received.values() if chat is not None}
        told.intersection_update(waiting)
        for chat in late_chats(queue, application.receipts.ids()) - told:
            # Still waiting? (Sending the notices before it took a while.)
            if chat not in late_chats(queue, application.receipts.ids()):
                continue
            told.add(chat)
            try:
                await application.bot.send_message(chat, messages.BUSY_NOTICE)
            except TelegramError as exc:
                logger.info("busy notice not sent (%s)", exc)

    return step
