"""The button handlers, one per kind of button (routed by pattern, see
:mod:`bot.telegram.callbacks`): answers, choices, menus edited in place, votes and /vergeet's
confirmation. Every press is acknowledged exactly once."""

import logging
import re
import time
from collections.abc import Awaitable, Callable
from dataclasses import replace
from html import escape

from telegram import InlineKeyboardMarkup, Message, Update
from telegram.constants import ChatType
from telegram.error import Forbidden
from telegram.ext import ApplicationHandlerStop

from bot import messages
from bot.conversation import answer, next_best, topic_menu, topics_menu
from bot.records import PICK, Vote
from bot.replies import Reply, choices_reply, fallback_reply
from bot.telegram import render
from bot.telegram.callbacks import FORGET
from bot.telegram.context import Context
from bot.telegram.replying import (
    answer_key,
    change,
    note,
    rebutton,
    reply_to,
    say,
    show_in_place,
    tapped,
    user_key,
)
from bot.telegram.sending import acknowledge
from bot.telegram.updates import DurableApplication

logger = logging.getLogger(__name__)

# How an answer reaches the chat: reply_to (a new message) or show_in_place (the menu).
Deliver = Callable[[Context, Update, Message, Reply, str | None], Awaitable[object]]


def matched(context: Context) -> re.Match[str]:
    """The pattern match that routed the press here."""
    match = context.matches[0] if context.matches else None
    assert isinstance(match, re.Match)
    return match


async def pressed(update: Update, toast: str | None = None) -> Message | None:
    """Acknowledge the press (with ``toast``); the message it belongs to, if still shown (if
    not, the toast says the button no longer works)."""
    assert update.callback_query is not None
    message = tapped(update)
    await acknowledge(update.callback_query, toast or (None if message else messages.STALE_BUTTON))
    return message


async def guard_taps(update: Update, context: Context) -> None:
    """Before the other button handlers: a user who is being throttled gets a toast."""
    user, query = update.effective_user, update.callback_query
    # /vergeet's confirmation passes as /vergeet itself does.
    privacy = query is not None and FORGET.match(query.data or "") is not None
    if user is not None and context.bot_data.guard.throttled(user.id, time.monotonic(), privacy):
        await pressed(update, messages.FLOOD_TOAST)
        raise ApplicationHandlerStop


async def on_answer(update: Update, context: Context) -> None:
    """A related question or an example: its answer as a new message."""
    await open_entry(update, context, reply_to)


async def open_entry(update: Update, context: Context, deliver: Deliver) -> None:
    """The pressed entry's answer, delivered as a new message or in place; an entry that no
    longer exists says so and offers the topics."""
    message = await pressed(update)
    if message is None:
        return
    core = context.bot_data.core
    reply = answer(core, matched(context).group("entry"))
    if reply is None:
        await deliver(
            context, update, message, topics_menu(core.knowledge, messages.ENTRY_GONE), None
        )
        return
    await deliver(context, update, message, reply, PICK)


async def on_choice(update: Update, context: Context) -> None:
    """A pick from "Bedoelde je…?": the choices fold into the pick, the answer follows; a
    second pick from the same message answers nothing."""
    message = tapped(update)
    data = context.bot_data
    if message is None:
        await pressed(update, messages.STALE_BUTTON)
        return
    key = (message.chat.id, message.message_id)
    if key in data.picked:
        await pressed(update, messages.ALREADY_PICKED)
        return
    data.picked.put(key, True)
    if data.open_choices.get(message.chat.id, 0) == message.message_id:
        data.open_choices.pop(message.chat.id)
    await pressed(update)
    reply = answer(data.core, matched(context).group("entry"))
    if reply is None:
        gone = topics_menu(data.core.knowledge, messages.ENTRY_GONE)
        await show_in_place(context, update, message, gone)
        return
    await change(context, message, messages.PICKED.format(label=escape(reply.title)))
    await reply_to(context, update, message, reply, PICK, reply.title)


async def on_none_of_these(update: Update, context: Context) -> None:
    """None of the choices: the choices message becomes the honest fallback."""
    message = await pressed(update)
    if message is not None:
        data = context.bot_data
        data.picked.put((message.chat.id, message.message_id), True)
        await show_in_place(context, update, message, fallback_reply(data.core.knowledge, "?"))


async def on_topics(update: Update, context: Context) -> None:
    """Back to the topics, in place."""
    message = await pressed(update)
    if message is not None:
        await show_in_place(context, update, message, topics_menu(context.bot_data.core.knowledge))


async def on_topics_anew(update: Update, context: Context) -> None:
    """The topics as a new message, under one that stays."""
    message = await pressed(update)
    if message is not None:
        await reply_to(context, update, message, topics_menu(context.bot_data.core.knowledge))


async def on_topic(update: Update, context: Context) -> None:
    """A topic's questions, in place; a topic that no longer exists says so."""
    message = await pressed(update)
    if message is None:
        return
    knowledge = context.bot_data.core.knowledge
    menu = topic_menu(knowledge, matched(context).group("topic"))
    await show_in_place(
        context, update, message, menu or topics_menu(knowledge, messages.TOPIC_GONE)
    )


async def on_menu_answer(update: Update, context: Context) -> None:
    """A question picked in a topic's menu: the answer in place, with the way back."""
    await open_entry(update, context, show_in_place)


async def on_vote(update: Update, context: Context) -> None:
    """👍/👎 on an answer: recorded once per person; 👎 opens a way on."""
    message = tapped(update)
    entry_id = matched(context).group("entry")
    up = matched(context).group("value") == "+"
    if message is None or entry_id not in context.bot_data.core.knowledge.by_id:
        await pressed(update, messages.STALE_BUTTON)
        return
    value = 1 if up else -1
    vote = Vote(user_key(context, update), answer_key(context, message), entry_id, value)
    note(context, update, vote)
    await pressed(update, messages.THANKS_UP if up else messages.THANKS_DOWN)
    if message.chat.type == ChatType.PRIVATE:
        # One vote per answer: the vote buttons go; links, related questions, sharing and the
        # way back stay. (In a group the others may still want to vote.)
        markup = message.reply_markup
        kept = (
            [b for b in row if not str(b.callback_data or "").startswith("v:")]
            for row in (markup.inline_keyboard if markup else ())
        )
        rows = [row for row in kept if row]
        await rebutton(context, message, InlineKeyboardMarkup(rows) if rows else None)
    if not up:
        await after_down_vote(update, context, message, entry_id)


async def after_down_vote(
    update: Update, context: Context, message: Message, entry_id: str
) -> None:
    """Other entries for the same question (not the ones already under the answer), the
    topics and the contact line; in a group privately to the voter when possible."""
    data = context.bot_data
    core = data.core
    entry = core.knowledge.by_id.get(entry_id)
    if entry is None:  # gone in a reload meanwhile
        return
    question = data.questions.get((message.chat.id, message.message_id), "")
    if not question:
        question = await data.database.question_of(answer_key(context, message)) or ""
    others = next_best(core, question, leave_out=(entry_id, *entry.related))
    contact = core.knowledge.settings.contact
    if others:
        body = messages.DOWN_WITH_ALTERNATIVES
        reply = choices_reply(core.knowledge, question, others, 0.0, menu="more", intro=body)
        text = render.html_text(replace(reply, contact=contact))
        markup = render.entries_keyboard(reply)
    else:
        text = f"{escape(messages.DOWN_WITHOUT_ALTERNATIVES)}\n\n<i>{escape(contact)}</i>"
        markup = render.topics_button()
    user = update.effective_user
    if message.chat.type == ChatType.PRIVATE or user is None:
        await say(context, message, text, markup)
        return
    about = messages.DOWN_PRIVATELY.format(question=escape(entry.question))
    try:
        await context.bot.send_message(
            user.id, f"{about}\n{text}", parse_mode="HTML", reply_markup=markup
        )
    except Forbidden:
        # The voter never opened a private chat with the bot: a short line in the group.
        await say(context, message, escape(messages.DOWN_IN_GROUP))


async def on_forget(update: Update, context: Context) -> None:
    """/vergeet confirmed (or not) by the user who asked; anyone else's tap changes nothing."""
    key = user_key(context, update)
    if matched(context).group("tag") != key[:8]:
        await pressed(update, messages.NOT_YOUR_BUTTON)
        return
    message = tapped(update)
    done = (message.chat.id, message.message_id) if message is not None else None
    data = context.bot_data
    if done is not None and done in data.picked:
        await pressed(update, messages.FORGET_ALREADY)
        return
    await pressed(update)
    if matched(context).group("answer") != "ja":
        text = messages.FORGET_KEPT
    else:
        removed = await forget_user(context, update, key)
        text = messages.FORGET_FAILED if removed is None else messages.FORGET_DONE
        logger.info("/vergeet: %s rows removed", removed)
    if message is not None and done is not None:
        if text != messages.FORGET_FAILED:
            data.picked.put(done, True)
        # Erased or kept, the way on is the same as after /help.
        await change(context, message, escape(text), render.topics_button())


async def forget_user(context: Context, update: Update, key: str) -> int | None:
    """Delete a user's rows everywhere: waiting updates and unwritten records in the inbox,
    and the database (after what is queued for it is written). None when that failed."""
    data = context.bot_data
    try:
        removed = data.recorder.forget(key)
        removed += await data.inbox.forget(key)
        removed += await data.database.forget(key)
        chat = update.effective_chat
        if chat is not None:
            data.conversations.pop(chat.id)
    except Exception:
        logger.exception("/vergeet failed")
        return None
    application = context.application
    if isinstance(application, DurableApplication):
        receipt = application.receipts.of(update)
        if receipt is not None:
            receipt.records.clear()
    return removed


async def on_stale(update: Update, context: Context) -> None:
    """A button from an older version of the bot, or forged data: acknowledged, nothing else."""
    await pressed(update, messages.STALE_BUTTON)
