"""Inline mode: ``@bot loopbaangesprek`` in any chat offers the best matching answers to share."""

import logging

from telegram import (
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InlineQueryResultArticle,
    InputTextMessageContent,
    Update,
)
from telegram.error import NetworkError, TelegramError

from bot import messages
from bot.knowledge import shorten
from bot.telegram import render
from bot.telegram.context import Context

logger = logging.getLogger(__name__)
INLINE_RESULTS = 5
NEXT_BEST_SCORE = 35.0


async def inline_query(update: Update, context: Context) -> None:
    """``@bot loopbaangesprek`` in any chat: the best matching answers, ready to share."""
    query = update.inline_query
    if query is None:
        return
    core = context.bot_data.core
    text = query.query.strip()
    if text:
        match = core.match(text)
        ids = [c.entry_id for c in match.candidates if c.score >= NEXT_BEST_SCORE]
    else:
        ids = [c.entry_id for c in messages.examples(core.knowledge).choices]
    knowledge = core.knowledge
    results = []
    for entry_id in [i for i in ids if i not in knowledge.small_talk_ids][:INLINE_RESULTS]:
        entry = knowledge.by_id[entry_id]
        reply = core.pick(entry_id)
        assert reply is not None
        link = f"https://t.me/{context.bot.username}?start={entry_id}"
        results.append(
            InlineQueryResultArticle(
                id=entry_id,
                title=entry.short_label,
                description=shorten(" ".join(entry.answer.split()), 80),
                input_message_content=InputTextMessageContent(
                    render.html_text(reply)[: render.MAX_MESSAGE],
                    parse_mode="HTML",
                    link_preview_options=None,
                ),
                reply_markup=InlineKeyboardMarkup(
                    [[InlineKeyboardButton(messages.INLINE_START, url=link)]]
                ),
            )
        )
    try:
        await query.answer(results, cache_time=60, is_personal=False)
    except (NetworkError, TelegramError) as exc:
        logger.info("inline answer not delivered (%s)", exc)
