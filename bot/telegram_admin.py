"""Admin commands in Telegram (/herlaad, /stats, /onbeantwoord) and the knowledge watcher.
Admins are WERKPLEKBOT_ADMIN_IDS; anyone else gets one neutral sentence and no data."""

import asyncio
import contextlib
import functools
import logging
import time
from collections.abc import Awaitable, Callable
from html import escape

from telegram import BotCommand, InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.error import TelegramError
from telegram.ext import Application, ContextTypes

from bot.config import Config
from bot.reloading import Reload, reload_async, signature
from bot.reports import PERIODS, format_reports
from bot.review import group_unanswered, telegram_group_text
from bot.telegram_io import core_of, send, storage_of
from bot.telegram_render import DISMISS

logger = logging.getLogger(__name__)

ADMIN_COMMANDS = (
    BotCommand("herlaad", "Beheer: kennis opnieuw inlezen"),
    BotCommand("stats", "Beheer: statistieken van 7 en 30 dagen"),
    BotCommand("onbeantwoord", "Beheer: vragen zonder goed antwoord"),
)

NOT_ADMIN = "Dit commando is er alleen voor de beheerders van deze bot."

REVIEW_GROUPS = 10

DAY = 24 * 3600

WATCH_SECONDS = 2.0


def is_admin(update: Update, context: ContextTypes.DEFAULT_TYPE) -> bool:
    """Whether the user is one of WERKPLEKBOT_ADMIN_IDS."""
    user = update.effective_user
    return user is not None and user.id in context.application.bot_data["config"].admin_ids


Callback = Callable[[Update, ContextTypes.DEFAULT_TYPE], Awaitable[None]]


def admin_only(callback: Callback) -> Callback:
    """An admin command: anyone else gets the same neutral sentence, and no data."""

    @functools.wraps(callback)
    async def guarded(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        if is_admin(update, context):
            await callback(update, context)
        elif update.effective_message is not None:
            await send(update.effective_message, escape(NOT_ADMIN))

    return guarded


@admin_only
async def reload_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Admin: validate and swap the knowledge; say what changed or what to fix."""
    outcome = await reload_knowledge(context.application)
    await send(update.effective_message, escape(outcome.summary()))


@admin_only
async def stats_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Admin: aggregates of the last 7 and 30 days."""
    storage = storage_of(context)
    if storage is None:
        return
    now = time.time()
    reports = {days: await storage.report(now - days * DAY) for days in PERIODS}
    await send(update.effective_message, f"<pre>{escape(format_reports(reports))}</pre>")


@admin_only
async def review_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Admin: unanswered questions grouped, most frequent first, with a YAML snippet each."""
    storage = storage_of(context)
    if storage is None:
        return
    core = core_of(context)
    groups = group_unanswered(await storage.unanswered(0.0), core, await storage.dismissed())
    message = update.effective_message
    if not groups:
        await send(message, "Geen onbeantwoorde vragen. 🎉")
        return
    shown = groups[:REVIEW_GROUPS]
    await send(
        message,
        escape(f"{len(groups)} groepen onbeantwoorde vragen; de {len(shown)} meest gevraagde:"),
    )
    for number, group in enumerate(shown, 1):
        markup = InlineKeyboardMarkup(
            [[InlineKeyboardButton("Negeren", callback_data=f"{DISMISS}:{group.key}")]]
        )
        await send(message, telegram_group_text(number, group, core.knowledge), markup)


async def dismiss_group(update: Update, context: ContextTypes.DEFAULT_TYPE, key: str) -> None:
    """Admin: keep a review group out of /onbeantwoord from now on."""
    query = update.callback_query
    storage = storage_of(context)
    if not is_admin(update, context) or storage is None:
        await query.answer(NOT_ADMIN)
        return
    groups = group_unanswered(
        await storage.unanswered(0.0), core_of(context), await storage.dismissed()
    )
    group = next((g for g in groups if g.key == key), None)
    if group is None:
        await query.answer("Deze groep is al genegeerd of bestaat niet meer.")
        return
    await storage.dismiss(list(group.forms))
    await query.answer("Genegeerd.")
    await query.edit_message_reply_markup(None)


async def reload_knowledge(application: Application) -> Reload:
    """Validate and swap the knowledge; the old one keeps answering if the new one is broken.
    Questions in flight keep the core they started with."""
    config: Config = application.bot_data["config"]
    application.bot_data["signature"] = signature(config.knowledge_dir)
    outcome = await reload_async(application.bot_data["core"], config.knowledge_dir)
    if outcome.core is not None:
        application.bot_data["core"] = outcome.core
    logger.info("reload: %s", outcome.summary())
    return outcome


async def tell_admins(application: Application, text: str) -> None:
    """Send a message to every admin who has a chat with the bot."""
    for admin in application.bot_data["config"].admin_ids:
        with contextlib.suppress(TelegramError):
            await application.bot.send_message(admin, text)


async def watch_knowledge(application: Application) -> None:
    """Reload when a knowledge file changes; tell the admins what changed or what to fix."""
    config: Config = application.bot_data["config"]
    while True:
        await asyncio.sleep(WATCH_SECONDS)
        if signature(config.knowledge_dir) == application.bot_data.get("signature"):
            continue
        outcome = await reload_knowledge(application)
        await tell_admins(application, outcome.summary())
