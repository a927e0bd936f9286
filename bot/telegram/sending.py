"""Sending to Telegram: HTML split over messages, each message retried on its own through
passing failures (a message that went out is not sent again with the rest; one whose request
timed out may have arrived and is sent again: twice is better than never), "typing…" when it
takes a while, edits in place, and button presses acknowledged exactly once."""

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import timedelta
from typing import TypeVar

from telegram import CallbackQuery, InlineKeyboardMarkup, Message
from telegram.constants import ChatAction, ChatType
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TelegramError

from bot.config import Timings
from bot.telegram.render import split_message
from bot.telegram.updates import Interrupted

logger = logging.getLogger(__name__)

T = TypeVar("T")

# Answers take a millisecond; "typing…" only shows when sending is slow (retries, rate limits),
# so that it does not double the API calls that count against Telegram's limits.
TYPING_AFTER_SECONDS = 0.3
FIRST_RETRY_DELAY = 0.5


async def persist(call: Callable[[], Awaitable[T]], timings: Timings, stopping: asyncio.Event) -> T:
    """One Bot API call, retried through network errors, Telegram's 5xx and rate limits for
    ``timings.send_retry_window``; a bad request or a blocked bot is not retried. Raises
    :class:`Interrupted` when the bot stops meanwhile."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timings.send_retry_window
    delay = FIRST_RETRY_DELAY
    attempt = 0
    while True:
        attempt += 1
        try:
            return await call()
        except (BadRequest, Forbidden):
            raise
        except (RetryAfter, NetworkError) as exc:
            wait = delay
            if isinstance(exc, RetryAfter):
                after = exc.retry_after
                wait = after.total_seconds() if isinstance(after, timedelta) else float(after)
            if loop.time() + wait > deadline:
                raise
            logger.warning(
                "sending failed (attempt %d: %s); retrying in %.1f s", attempt, exc, wait
            )
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stopping.wait(), wait)
            if stopping.is_set():
                raise Interrupted from exc
            delay = min(delay * 2, timings.send_retry_max_delay)


async def send(
    message: Message,
    text: str,
    markup: InlineKeyboardMarkup | None,
    timings: Timings,
    stopping: asyncio.Event,
) -> Message:
    """Reply in HTML without link previews, split over messages if needed; each message is
    retried on its own. Returns the last message sent (the one with the keyboard)."""
    chunks = split_message(text)
    sent = message
    for index, chunk in enumerate(chunks):
        last = index == len(chunks) - 1

        async def post(chunk: str = chunk, last: bool = last) -> Message:
            return await message.reply_html(
                chunk,
                reply_markup=markup if last else None,
                disable_web_page_preview=True,
                do_quote=message.chat.type != ChatType.PRIVATE,
            )

        sent = await persist(post, timings, stopping)
    return sent


async def edit(
    message: Message,
    text: str,
    markup: InlineKeyboardMarkup | None,
    timings: Timings,
    stopping: asyncio.Event,
) -> Message | None:
    """Replace a message's text and buttons (a menu changing in place). None when Telegram
    refuses (the message is too old, or nothing changed): the caller sends anew."""
    if len(split_message(text)) > 1:
        return None

    async def change() -> Message | bool:
        return await message.edit_text(
            text, parse_mode="HTML", reply_markup=markup, disable_web_page_preview=True
        )

    try:
        edited = await persist(change, timings, stopping)
    except BadRequest as exc:
        if "not modified" in str(exc).lower():
            return message
        logger.info("could not edit a message (%s); sending a new one", exc)
        return None
    return edited if isinstance(edited, Message) else message


async def acknowledge(query: CallbackQuery, text: str | None = None) -> None:
    """Answer a button press once. A press answered late (after a retry or a restart) is
    too old for Telegram: that is no error for the user, so it is only logged."""
    try:
        await query.answer(text)
    except BadRequest as exc:
        logger.info("button press not acknowledged (%s)", exc)
    except TelegramError as exc:
        logger.warning("button press not acknowledged (%s)", exc)


@contextlib.asynccontextmanager
async def typing_if_slow(message: Message) -> AsyncIterator[None]:
    """Show "typing…" in the chat if the block takes longer than a moment."""

    async def typing_later() -> None:
        await asyncio.sleep(TYPING_AFTER_SECONDS)
        with contextlib.suppress(TelegramError):
            await message.get_bot().send_chat_action(message.chat_id, ChatAction.TYPING)

    task = asyncio.create_task(typing_later())
    try:
        yield
    finally:
        task.cancel()
