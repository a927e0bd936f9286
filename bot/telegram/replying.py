"""Replying from a handler: send or edit a core reply, remember what it lists for follow-ups,
and note what happened on the update's receipt."""

import logging

from telegram import InlineKeyboardMarkup, Message, Update
from telegram.error import TelegramError

from bot.conversation import START, State, after, points_shown
from bot.records import Interaction, Vote
from bot.replies import Reply
from bot.telegram import render
from bot.telegram.context import Context
from bot.telegram.sending import edit, send
from bot.telegram.updates import DurableApplication

logger = logging.getLogger(__name__)


def note(context: Context, update: Update, record: Interaction | Vote) -> None:
    """Add a record to the update's receipt (written when the update is finished)."""
    application = context.application
    if isinstance(application, DurableApplication):
        receipt = application.receipts.of(update)
        if receipt is not None:
            receipt.records.append(record)


def user_key(context: Context, update: Update) -> str:
    """The user's pseudonym."""
    user = update.effective_user
    return context.bot_data.pseudonyms.of(user.id if user else 0)


def answer_key(context: Context, message: Message) -> str:
    """The pseudonymous key of a message the bot sent (joins votes to questions)."""
    return context.bot_data.pseudonyms.of(f"{message.chat.id}:{message.message_id}")


async def say(
    context: Context, anchor: Message, html: str, markup: InlineKeyboardMarkup | None = None
) -> Message:
    """Send HTML under ``anchor`` (retried, split when long)."""
    data = context.bot_data
    return await send(anchor, html, markup, data.config.timings, data.stopping)


async def change(
    context: Context, message: Message, html: str, markup: InlineKeyboardMarkup | None = None
) -> Message | None:
    """Edit a message in place; None when Telegram refuses."""
    data = context.bot_data
    return await edit(message, html, markup, data.config.timings, data.stopping)


async def rebutton(context: Context, message: Message, markup: InlineKeyboardMarkup | None) -> None:
    """Change only a message's buttons (None: take them off); a refusal is only logged."""
    try:
        await message.edit_reply_markup(markup)
    except TelegramError as exc:
        logger.info("could not change the buttons (%s)", exc)


def remember(
    context: Context,
    update: Update,
    carrier: Message,
    reply: Reply,
    kind: str | None,
    question: str,
) -> None:
    """After ``carrier`` shows ``reply``: what the chat's next message may refer to, the
    question behind an answer (for 👎), the open "Bedoelde je…?", and the record (``kind``: a
    question or a pick; None for menus, which are not recorded)."""
    data = context.bot_data
    chat = carrier.chat
    if reply.outcome == "answer" and question:
        data.questions.put((chat.id, carrier.message_id), question)
    if reply.menu == "doubt":
        data.open_choices.put(chat.id, carrier.message_id)
    else:  # a number typed from now on refers to this reply, not an older "Bedoelde je…?"
        data.open_choices.pop(chat.id)
    if kind is not None:
        record = Interaction(
            user_key(context, update),
            chat.type,
            kind,
            question or reply.title,
            reply.outcome,
            reply.entry_id,
            reply.score,
            answer_key=answer_key(context, carrier),
        )
        note(context, update, record)


async def reply_to(
    context: Context,
    update: Update,
    anchor: Message,
    reply: Reply,
    kind: str | None = None,
    question: str = "",
    state: State | None = None,
) -> Message:
    """Send a reply under ``anchor`` and remember it (``state``: the chat's state after it,
    when the caller worked it out already)."""
    data = context.bot_data
    chat_id = anchor.chat.id
    # Worked out before sending: once a reply is out, the update is marked handled as soon
    # as possible (a crash in between would send it again).
    if state is None:
        state = after(data.core, data.conversations.get(chat_id, START), reply, question)
    # An answer's related questions are numbered unless the answer numbers points of its own.
    markup = render.keyboard(reply, numbered=not state.points, share=shares(context))
    sent = await say(context, anchor, render.html_text(reply, points_shown(reply, state)), markup)
    data.conversations.put(chat_id, state)
    remember(context, update, sent, reply, kind, question)
    return sent


async def show_in_place(
    context: Context, update: Update, message: Message, reply: Reply, kind: str | None = None
) -> None:
    """Turn a menu message into ``reply`` (a topic, the topics, an answer inside a menu); a
    message Telegram no longer lets us edit gets the reply as a new message."""
    data = context.bot_data
    state = after(data.core, data.conversations.get(message.chat.id, START), reply, reply.title)
    if reply.outcome == "answer" and reply.entry_id:
        section = data.core.knowledge.section_of.get(reply.entry_id)
        in_menu = section.key if section else None
        markup = render.answer_keyboard(
            reply, in_menu=in_menu, numbered=not state.points, share=shares(context)
        )
    else:
        markup = render.keyboard(reply)
    edited = await change(
        context, message, render.html_text(reply, points_shown(reply, state)), markup
    )
    if edited is None:
        await reply_to(context, update, message, reply, kind, reply.title)
        return
    data.conversations.put(message.chat.id, state)
    remember(context, update, edited, reply, kind, reply.title)


def shares(context: Context) -> bool:
    """Whether inline mode is switched on for the bot (BotFather), so sharing an answer works."""
    return bool(context.bot.supports_inline_queries)


def tapped(update: Update) -> Message | None:
    """The message a pressed button belongs to (None when Telegram no longer shows it to the
    bot)."""
    query = update.callback_query
    message = query.message if query is not None else None
    if not isinstance(message, Message) or not message.is_accessible:
        return None
    return message
