"""The users' handlers for commands and messages: questions (typed or as a caption), everything
else people send, and being added to a group. Handlers ask the core (:mod:`bot.conversation`)
what to say; no matching here."""

import asyncio
import logging
import time
from dataclasses import replace
from html import escape

from telegram import (
    ChatMemberUpdated,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Message,
    Update,
)
from telegram.constants import ChatMemberStatus, ChatType
from telegram.error import BadRequest, Forbidden, NetworkError, TelegramError
from telegram.ext import ApplicationHandlerStop

from bot import messages
from bot.conversation import START, answer, converse, topic_menu, topics_menu
from bot.records import PICK, QUESTION
from bot.replies import Reply
from bot.telegram import callbacks, render
from bot.telegram.admin import is_admin
from bot.telegram.context import Context
from bot.telegram.replying import reply_to, say, user_key
from bot.telegram.sending import typing_if_slow
from bot.telegram.updates import DurableApplication, Interrupted

logger = logging.getLogger(__name__)


async def start(update: Update, context: Context) -> None:
    """Greet and offer examples, or follow a deep link (t.me/<bot>?start=<entry or topic>)."""
    message = update.effective_message
    if message is None:
        return
    core = context.bot_data.core
    payload = context.args[0] if context.args else ""
    if payload in core.knowledge.by_id:
        reply = answer(core, payload)
        if reply is not None:
            await reply_to(context, update, message, reply, PICK, reply.title)
            return
    menu = topic_menu(core.knowledge, payload) if payload else None
    if menu is not None:
        await reply_to(context, update, message, menu)
        return
    examples = messages.examples(core.knowledge)
    welcome = f"{messages.welcome()}\n\n{examples.body}"
    await reply_to(context, update, message, replace(examples, body=welcome))


async def help_command(update: Update, context: Context) -> None:
    """Explain how to ask."""
    await send_help(update, context)


async def send_help(update: Update, context: Context, intro: str = "") -> None:
    """The help, after ``intro`` when there is one; admins also get theirs."""
    message = update.effective_message
    if message is None:
        return
    text = messages.help_text(messages.TELEGRAM_COMMANDS)
    if message.chat.type == ChatType.PRIVATE and is_admin(update, context):
        text += "\n\n" + messages.ADMIN_HELP
    if intro:
        text = f"{intro}\n\n{text}"
    await say(context, message, escape(text), render.topics_button())


async def about(update: Update, context: Context) -> None:
    """Say where the answers come from."""
    if update.effective_message is not None:
        text = escape(messages.about_text())
        await say(context, update.effective_message, text, render.topics_button())


async def privacy(update: Update, context: Context) -> None:
    """Say what is stored, for how long, why, and who sees it."""
    if update.effective_message is not None:
        data = context.bot_data
        text = escape(messages.privacy_text(data.config.retention_days))
        await say(context, update.effective_message, text, render.topics_button())


async def topics(update: Update, context: Context) -> None:
    """Show the topics as buttons."""
    if update.effective_message is not None:
        menu = topics_menu(context.bot_data.core.knowledge)
        await reply_to(context, update, update.effective_message, menu)


async def unknown_command(update: Update, context: Context) -> None:
    """A command the bot does not know: the help (in a group only when addressed to us)."""
    message = update.effective_message
    if message is None or not message.text:
        return
    command = message.text.split()[0]
    if message.chat.type != ChatType.PRIVATE and not command.lower().endswith(
        f"@{context.bot.username}".lower()
    ):
        return
    name = command.split("@", 1)[0]
    await send_help(update, context, messages.UNKNOWN_COMMAND.format(command=name))


async def forget(update: Update, context: Context) -> None:
    """Offer to delete everything stored about the user, after a confirmation that only they
    can give."""
    message = update.effective_message
    if message is None:
        return
    tag = user_key(context, update)[:8]
    markup = InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    messages.FORGET_YES, callback_data=callbacks.forget(True, tag)
                ),
                InlineKeyboardButton(
                    messages.FORGET_NO, callback_data=callbacks.forget(False, tag)
                ),
            ]
        ]
    )
    await say(context, message, escape(messages.FORGET_QUESTION), markup)


# Asking what is kept, and erasing it, pass the flood guard longer (see FloodGuard.check).
PRIVACY_COMMANDS = frozenset({"/privacy", "/vergeet"})


# -- messages ---------------------------------------------------------------------------------


async def guard_flood(update: Update, context: Context) -> None:
    """Before the other handlers of a typed message: one notice to a flooding user, then
    silence until they are calm."""
    user, message = update.effective_user, update.effective_message
    if user is None or message is None:
        return
    text = message.text or message.caption or ""
    if addressed_to_bot(message, text, context.bot.username, context.bot.id) is None:
        return  # group chatter the bot does not answer is not counted either
    command = text.split(maxsplit=1)[0].split("@", 1)[0].lower() if text else ""
    privacy = command in PRIVACY_COMMANDS
    verdict = context.bot_data.guard.check(user.id, time.monotonic(), privacy)
    if verdict == "notice":
        await say(context, message, escape(messages.FLOOD_NOTICE))
    if verdict != "ok":
        raise ApplicationHandlerStop


async def answer_text(update: Update, context: Context) -> None:
    """Answer a typed question (or a photo's caption), with the chat's conversation."""
    message = update.effective_message
    if message is None:
        return
    text = message.text or message.caption or ""
    question = addressed_to_bot(message, text, context.bot.username, context.bot.id)
    if question is None:
        return
    data = context.bot_data
    state = data.conversations.get(message.chat.id, START)
    async with typing_if_slow(message):
        # In a thread: the semantic part spends ~20 ms in its model (which lets go of the
        # interpreter), and other chats are answered meanwhile.
        turn = await asyncio.to_thread(converse, data.core, state, question)
        if turn.picked:
            await fold_choices(context, message.chat.id, turn.reply)
        kind = PICK if turn.picked else QUESTION
        await reply_to(context, update, message, turn.reply, kind, question, turn.state)


async def fold_choices(context: Context, chat_id: int, picked: Reply) -> None:
    """A typed number picked from "Bedoelde je…?": that message shows the pick, without
    buttons."""
    data = context.bot_data
    message_id = data.open_choices.get(chat_id, 0)
    if not message_id or not picked.title:
        return
    data.open_choices.pop(chat_id)
    data.picked.put((chat_id, message_id), True)
    try:
        await context.bot.edit_message_text(
            messages.PICKED.format(label=escape(picked.title)),
            chat_id=chat_id,
            message_id=message_id,
            parse_mode="HTML",
        )
    except TelegramError as exc:
        logger.info("could not fold a choices message (%s)", exc)


async def not_text(update: Update, context: Context) -> None:
    """Voice, stickers, files, places…: say only text is read, and offer the topics."""
    message = update.effective_message
    if message is None:
        return
    if (
        addressed_to_bot(message, message.caption or "", context.bot.username, context.bot.id)
        is None
    ):
        return
    await say(context, message, escape(messages.TEXT_ONLY), render.topics_button())


async def greet_group(update: Update, context: Context) -> None:
    """Added to a group: say hello and explain how to ask in a group."""
    change: ChatMemberUpdated | None = update.my_chat_member
    if change is None or change.chat.type == ChatType.PRIVATE:
        return
    was = change.old_chat_member.status
    now = change.new_chat_member.status
    joined = (ChatMemberStatus.MEMBER, ChatMemberStatus.ADMINISTRATOR)
    if now in joined and was not in joined:
        text = messages.GROUP_GREETING.format(username=context.bot.username)
        try:
            await context.bot.send_message(change.chat.id, escape(text), parse_mode="HTML")
        except Forbidden:
            logger.info("could not greet a group that removed the bot again")


def addressed_to_bot(message: Message, text: str, bot_username: str, bot_id: int) -> str | None:
    """The question in a message meant for the bot, or None. In a private chat every message
    is; in a group only a mention or a reply to the bot."""
    if message.chat.type == ChatType.PRIVATE:
        return text
    mention = f"@{bot_username}".lower()
    if mention in text.lower():
        start_at = text.lower().index(mention)
        return (text[:start_at] + text[start_at + len(mention) :]).strip()
    replied = message.reply_to_message
    if replied and replied.from_user and replied.from_user.id == bot_id:
        return text
    return None


async def on_error(update: object, context: Context) -> None:
    """Stopping mid-send leaves the update in the inbox; a reply that could not be sent within
    the retry window is logged; anything else is logged and the user is told."""
    error = context.error
    application = context.application
    receipt = (
        application.receipts.of(update) if isinstance(application, DurableApplication) else None
    )
    if isinstance(error, Interrupted):
        if receipt is not None:
            receipt.interrupted = True
        return
    if isinstance(error, NetworkError) and not isinstance(error, BadRequest | Forbidden):
        logger.error("a reply could not be sent (%s); giving up on it", error)
        return
    if isinstance(error, Forbidden):
        logger.info("the user blocked the bot (%s)", error)
        return
    logger.error("error while handling an update", exc_info=error)
    if isinstance(update, Update) and update.effective_chat:
        try:
            await context.bot.send_message(update.effective_chat.id, messages.SOMETHING_WENT_WRONG)
        except TelegramError:
            logger.exception("could not tell the user about the error")
