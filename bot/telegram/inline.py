"""Inline mode: ``@bot loopbaangesprek`` in any chat offers the best matching answers to share."""

import asyncio
import logging

from telegram import (
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InlineQueryResultArticle,
    InlineQueryResultsButton,
    InputTextMessageContent,
    Update,
)
from telegram.error import NetworkError, TelegramError

from bot import messages
from bot.conversation import answer, next_best
from bot.knowledge import shorten
from bot.telegram import render
from bot.telegram.context import Context

logger = logging.getLogger(__name__)
INLINE_RESULTS = 5


async def inline_query(update: Update, context: Context) -> None:
    """``@bot loopbaangesprek`` in any chat: the best matching answers, ready to share."""
    query = update.inline_query
    if query is None:
        return
    core = context.bot_data.core
    text = query.query.strip()
    examples = messages.examples(core.knowledge).choices
    found = await asyncio.to_thread(next_best, core, text, (), INLINE_RESULTS)
    ids = found or tuple(c.entry_id for c in examples)
    knowledge = core.knowledge
    results = []
    for entry_id in ids:
        entry = knowledge.by_id[entry_id]
        reply = answer(core, entry_id)
        assert reply is not None
        link = f"https://t.me/{context.bot.username}?start={entry_id}"
        results.append(
            InlineQueryResultArticle(
                id=entry_id,
                title=entry.short_label,
                description=shorten(" ".join(entry.answer.split()), 80),
                input_message_content=InputTextMessageContent(
                    render.split_message(render.html_text(reply))[0],
                    parse_mode="HTML",
                    link_preview_options=None,
                ),
                reply_markup=InlineKeyboardMarkup(
                    [[InlineKeyboardButton(messages.INLINE_START, url=link)]]
                ),
            )
        )
    try:
        # Above the results, a way into the bot itself; when nothing matched, it says so (the
        # results are then examples, not answers to the query).
        label = messages.INLINE_NOTHING_FOUND if text and not found else messages.INLINE_START
        start = InlineQueryResultsButton(text=label, start_parameter="inline")
        await query.answer(results, cache_time=60, is_personal=False, button=start)
    except (NetworkError, TelegramError) as exc:
        logger.info("inline answer not delivered (%s)", exc)
