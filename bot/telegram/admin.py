"""Admin commands (/herlaad, /stats, /onbeantwoord) and their buttons. Admins are
WERKPLEKBOT_ADMIN_IDS, and only in a private chat with the bot: in a group the command is
refused without showing anything, anyone else gets one neutral sentence."""

import asyncio
import functools
import logging
import time
from collections.abc import Callable, Coroutine
from html import escape
from typing import Any

from telegram import BotCommand, InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.constants import ChatType

from bot import messages
from bot.database import DAY
from bot.knowledge import shorten
from bot.recorder import Counters
from bot.reloading import Reload
from bot.reports import PERIODS, format_reports
from bot.review import Group, group_unanswered, telegram_group_text
from bot.telegram import callbacks
from bot.telegram.context import Context
from bot.telegram.render import MAX_BUTTON
from bot.telegram.replying import change, say, tapped
from bot.telegram.sending import acknowledge
from bot.telegram.services import reload_knowledge

logger = logging.getLogger(__name__)

ADMIN_COMMANDS = (
    BotCommand("herlaad", "Beheer: kennis opnieuw inlezen"),
    BotCommand("stats", "Beheer: statistieken van 7 en 30 dagen"),
    BotCommand("onbeantwoord", "Beheer: vragen zonder goed antwoord"),
    BotCommand("kennis", "Beheer: de kennisbestanden downloaden"),
    BotCommand("versies", "Beheer: wie veranderde wat aan de kennis"),
    BotCommand("terugzetten", "Beheer: terug naar een eerdere versie"),
)

Handler = Callable[[Update, Context], Coroutine[Any, Any, None]]


def is_admin(update: Update, context: Context) -> bool:
    """Whether the user is one of WERKPLEKBOT_ADMIN_IDS."""
    user = update.effective_user
    return user is not None and user.id in context.bot_data.config.admin_ids


async def refused(update: Update, context: Context) -> bool:
    """An admin button pressed by someone else: told so (True); an admin's press: False."""
    if is_admin(update, context):
        return False
    assert update.callback_query is not None
    await acknowledge(update.callback_query, messages.NOT_ADMIN_BUTTON)
    return True


def admin_only(handler: Handler) -> Handler:
    """An admin command: only for admins, only in a private chat."""

    @functools.wraps(handler)
    async def guarded(update: Update, context: Context) -> None:
        message, chat = update.effective_message, update.effective_chat
        if message is None or chat is None:
            return
        if chat.type != ChatType.PRIVATE:
            text = messages.ADMIN_PRIVATE_ONLY if is_admin(update, context) else messages.NOT_ADMIN
            await say(context, message, escape(text))
        elif is_admin(update, context):
            await handler(update, context)
        else:
            await say(context, message, escape(messages.NOT_ADMIN))

    return guarded


@admin_only
async def reload_command(update: Update, context: Context) -> None:
    """Admin: validate and swap the knowledge; say what changed or what to fix."""
    assert update.effective_message is not None
    outcome: Reload = await reload_knowledge(context.application, context.bot_data)
    await say(context, update.effective_message, escape(outcome.summary()))


@admin_only
async def stats_command(update: Update, context: Context) -> None:
    """Admin: aggregates of the last 7 and 30 days, and how the bot itself is doing."""
    assert update.effective_message is not None
    data = context.bot_data
    now = time.time()
    reports = {days: await data.database.report(now - days * DAY) for days in PERIODS}
    text = format_reports(reports, data.core.knowledge)
    health = working_text(data.inbox.accepted, data.recorder.counters)
    await say(context, update.effective_message, f"<pre>{escape(text)}</pre>\n{escape(health)}")


def working_text(received: int, counters: Counters) -> str:
    """How the bot itself is doing since its start, for an admin (not a programmer)."""
    text = f"Werking sinds de start: {received} berichten ontvangen"
    if not (counters.pending or counters.failed_attempts or counters.dropped):
        return text + ", alles opgeslagen."
    parts = []
    if counters.pending:
        parts.append(f"{counters.pending} wachten om opgeslagen te worden")
    if counters.failed_attempts:
        parts.append(f"de database was {counters.failed_attempts} keer niet bereikbaar")
    if counters.dropped:
        parts.append(f"{counters.dropped} konden niet bewaard worden")
    return text + "; " + ", ".join(parts) + "."


async def review_groups(context: Context) -> list[Group]:
    """The unanswered questions, grouped, most frequent first."""
    data = context.bot_data
    items = await data.database.unanswered(0.0)
    dismissed = await data.database.dismissed()
    # In a thread: clustering thousands of questions takes a while.
    return await asyncio.to_thread(group_unanswered, items, data.core, dismissed)


def add_keyboard(group: Group, context: Context) -> list[list[InlineKeyboardButton]]:
    """The review page's first rows: add the questions to the best entry, to another one, or
    start a new entry."""
    knowledge = context.bot_data.core.knowledge
    rows = []
    best = knowledge.by_id.get(group.candidate or "")
    if best is not None:
        rows.append([add_button(group, best.id, best.short_label, messages.ADD_BUTTON)])
    second = []
    if group.phrasing_of is None:
        # (A question the FAQ already holds as a phrasing would become a second entry with
        # the same question: its answer is what to change.)
        second.append(
            InlineKeyboardButton(messages.DRAFT_BUTTON, callback_data=callbacks.draft(group.key))
        )
    if [c for c in group.candidates if c != group.candidate]:
        elsewhere = InlineKeyboardButton(
            messages.ADD_ELSEWHERE_BUTTON, callback_data=callbacks.add_elsewhere(group.key)
        )
        second.insert(0, elsewhere)
    if second:
        rows.append(second)
    return rows


def add_button(group: Group, entry_id: str, label: str, wording: str) -> InlineKeyboardButton:
    """ "➕ Bij: <label>", the label shortened like every button's (the wording around it does
    not count against it, as a choice's number does not)."""
    text = wording.format(label=shorten(label, MAX_BUTTON))
    return InlineKeyboardButton(text, callback_data=callbacks.add(group.key, entry_id))


async def find_group(update: Update, context: Context) -> tuple[list[Group], int] | None:
    """The review groups and the index of the pressed one; None (said so) when it is gone."""
    assert update.callback_query is not None and context.matches
    groups = await review_groups(context)
    key = context.matches[0].group("group")
    index = next((n for n, g in enumerate(groups) if g.key == key), None)
    if index is None:
        await acknowledge(update.callback_query, messages.REVIEW_GROUP_GONE)
        return None
    return groups, index


def review_page(
    groups: list[Group], page: int, context: Context
) -> tuple[str, InlineKeyboardMarkup]:
    """One group of the review with its buttons: dismiss, previous, next."""
    group = groups[page]
    text = telegram_group_text(page + 1, len(groups), group, context.bot_data.core.knowledge)
    navigation = []
    if page > 0:
        navigation.append(
            InlineKeyboardButton("‹ Vorige", callback_data=callbacks.review_page(page - 1))
        )
    if page + 1 < len(groups):
        navigation.append(
            InlineKeyboardButton("Volgende ›", callback_data=callbacks.review_page(page + 1))
        )
    rows = add_keyboard(group, context)
    rows.append([InlineKeyboardButton("Negeren", callback_data=callbacks.dismiss(group.key))])
    if navigation:
        rows.append(navigation)
    return text, InlineKeyboardMarkup(rows)


@admin_only
async def review_command(update: Update, context: Context) -> None:
    """Admin: unanswered questions grouped, one group per page, with a YAML snippet each."""
    assert update.effective_message is not None
    groups = await review_groups(context)
    if not groups:
        await say(context, update.effective_message, messages.REVIEW_EMPTY)
        return
    text, markup = review_page(groups, 0, context)
    await say(context, update.effective_message, text, markup)


async def on_review_page(update: Update, context: Context) -> None:
    """Admin: another page of the review, in place."""
    if await refused(update, context):
        return
    assert update.callback_query is not None and context.matches
    await acknowledge(update.callback_query)
    groups = await review_groups(context)
    message = tapped(update)
    if not groups:
        if message is not None:
            await change(context, message, messages.REVIEW_EMPTIED)
        return
    page = min(int(context.matches[0].group("page")), len(groups) - 1)
    text, markup = review_page(groups, page, context)
    if message is not None:
        await change(context, message, text, markup)


async def on_dismiss(update: Update, context: Context) -> None:
    """Admin: keep a review group out of /onbeantwoord from now on, and show the next one."""
    if await refused(update, context):
        return
    query = update.callback_query
    assert query is not None and context.matches
    found = await find_group(update, context)
    if found is None:
        return
    groups, index = found
    at = await context.bot_data.database.dismiss(list(groups[index].forms))
    await acknowledge(query, messages.REVIEW_DISMISSED)
    rest = groups[:index] + groups[index + 1 :]
    message = tapped(update)
    if message is None:
        return
    undo = [
        InlineKeyboardButton(messages.UNDO_DISMISS_BUTTON, callback_data=callbacks.undismiss(at))
    ]
    if rest:
        text, markup = review_page(rest, min(index, len(rest) - 1), context)
        markup = InlineKeyboardMarkup([*markup.inline_keyboard, undo])
    else:
        text, markup = messages.REVIEW_EMPTIED, InlineKeyboardMarkup([undo])
    await change(context, message, text, markup)


async def on_undismiss(update: Update, context: Context) -> None:
    """Admin: "Toch niet negeren" puts a dismissed group back and shows it."""
    if await refused(update, context):
        return
    query = update.callback_query
    assert query is not None and context.matches
    forms = await context.bot_data.database.undismiss(float(context.matches[0].group("at")))
    groups = await review_groups(context)
    index = next((n for n, g in enumerate(groups) if forms & set(g.forms)), None)
    if index is None:
        await acknowledge(query, messages.REVIEW_UNDO_GONE)
        return
    await acknowledge(query, messages.REVIEW_RESTORED)
    message = tapped(update)
    if message is not None:
        text, markup = review_page(groups, index, context)
        await change(context, message, text, markup)
