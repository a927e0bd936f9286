"""Sending to Telegram: HTML replies split over messages, retried through passing failures,
with "typing…" when it takes a while; and what handlers need from the application."""

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from datetime import timedelta

from telegram import InlineKeyboardMarkup, Message
from telegram.constants import ChatAction, ChatType
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TelegramError
from telegram.ext import ContextTypes

from bot.core import Core
from bot.replies import Reply
from bot.storage import Storage
from bot.telegram_render import html_text, keyboard, split_message

logger = logging.getLogger(__name__)

# Network errors and Telegram's 5xx: retried with backoff (429s are the rate limiter's job).
SEND_RETRY_DELAYS = (0.5, 1.0, 2.0, 4.0)

# Answers take a millisecond; "typing…" only shows when sending is slow (retries, rate limits),
# so that it does not double the API calls that count against Telegram's limits.
TYPING_AFTER_SECONDS = 0.3


def core_of(context: ContextTypes.DEFAULT_TYPE) -> Core:
    """The core the application holds (swapped as a whole on reload)."""
    return context.application.bot_data["core"]


def storage_of(context: ContextTypes.DEFAULT_TYPE) -> Storage | None:
    """The open database, if any."""
    return context.application.bot_data.get("storage")


def answer_key(storage: Storage, message: Message) -> str:
    """The pseudonymous key of a message the bot sent (joins votes to questions)."""
    return storage.pseudonym(f"{message.chat.id}:{message.message_id}")


async def send(message: Message, text: str, markup: InlineKeyboardMarkup | None = None) -> Message:
    """Reply in HTML without link previews, split over messages if needed, retrying network
    errors and rate limits so that an answer is not lost to a passing failure. Returns the
    last message sent (the one carrying the keyboard)."""
    chunks = split_message(text)
    sent = message
    for index, chunk in enumerate(chunks):
        last = index == len(chunks) - 1
        for attempt, delay in enumerate((*SEND_RETRY_DELAYS, None)):
            try:
                sent = await message.reply_html(
                    chunk,
                    reply_markup=markup if last else None,
                    disable_web_page_preview=True,
                    do_quote=message.chat.type != ChatType.PRIVATE,
                )
                break
            except (BadRequest, Forbidden):
                raise
            except (RetryAfter, NetworkError) as exc:
                if delay is None:
                    raise
                if isinstance(exc, RetryAfter):
                    wait = exc.retry_after
                    delay = wait.total_seconds() if isinstance(wait, timedelta) else float(wait)
                logger.warning("sending failed (attempt %d: %s), retrying", attempt + 1, exc)
                await asyncio.sleep(delay)
    return sent


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


async def send_reply(message: Message, reply: Reply, core: Core) -> Message:
    """Send a core reply with its keyboard."""
    return await send(message, html_text(reply), keyboard(reply, core.knowledge))
