"""The Telegram adapter: handlers that pass messages to the core and render its replies.

No matching happens here; see :mod:`bot.core`. Handler registration is flat, in
:func:`build_application`, as in python-telegram-bot's examples.
"""

import argparse
import asyncio
import contextlib
import logging
import os
import time
from collections.abc import AsyncIterator
from datetime import timedelta
from html import escape
from pathlib import Path

from telegram import BotCommand, InlineKeyboardMarkup, Message, MessageEntity, Update
from telegram.constants import ChatAction, ChatType
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TelegramError
from telegram.ext import (
    AIORateLimiter,
    Application,
    ApplicationHandlerStop,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    TypeHandler,
    filters,
)

from bot import messages
from bot.config import Config
from bot.core import Core
from bot.guard import NOTICE, FloodGuard
from bot.loading import load_knowledge
from bot.replies import Reply
from bot.storage import PICK, QUESTION, Interaction, Storage, Vote
from bot.telegram_render import (
    ENTRY,
    SECTION,
    VOTE,
    entry_button,
    html_text,
    keyboard,
    split_message,
    topic_rows,
)

logger = logging.getLogger(__name__)

COMMANDS = (
    BotCommand("start", "Wie ben ik en wat weet ik"),
    BotCommand("onderwerpen", "Alle onderwerpen en hun vragen"),
    BotCommand("help", "Hoe stel je een vraag"),
    BotCommand("over", "Waar komen de antwoorden vandaan"),
    BotCommand("privacy", "Wat ik bewaar en waarom"),
)
TELEGRAM_HELP = (
    "Commando's: /onderwerpen (alle onderwerpen), /over (bronnen), /privacy, /help.\n"
    "In een groep antwoord ik als je me vermeldt (@-naam) of op mijn bericht antwoordt."
)
THANKS_UP = "Bedankt voor je feedback! 👍"
THANKS_DOWN = "Bedankt voor je feedback. Probeer je vraag eens anders te formuleren, of:"
SOMETHING_WENT_WRONG = "Oei, er ging iets mis bij het beantwoorden. Probeer het zo meteen nog eens."
# Network errors and Telegram's 5xx: retried with backoff (429s are the rate limiter's job).
SEND_RETRY_DELAYS = (0.5, 1.0, 2.0, 4.0)
HEARTBEAT_SECONDS = 15
# Answers take a millisecond; "typing…" only shows when sending is slow (retries, rate limits),
# so that it does not double the API calls that count against Telegram's limits.
TYPING_AFTER_SECONDS = 0.3


def core_of(context: ContextTypes.DEFAULT_TYPE) -> Core:
    """The core the application holds (swapped as a whole on reload)."""
    return context.application.bot_data["core"]


def remember(
    context: ContextTypes.DEFAULT_TYPE, update: Update, kind: str, question: str, reply: Reply
) -> None:
    """Queue the interaction for storage (never waits for the disk)."""
    storage: Storage | None = context.application.bot_data.get("storage")
    user, chat = update.effective_user, update.effective_chat
    if storage is None or user is None or chat is None:
        return
    storage.record(
        Interaction(
            storage.pseudonym(user.id),
            chat.type,
            kind,
            question,
            reply.outcome,
            reply.entry_id,
            reply.score,
        )
    )


async def send(message: Message, text: str, markup: InlineKeyboardMarkup | None = None) -> None:
    """Reply in HTML without link previews, split over messages if needed, retrying network
    errors so that an answer is not lost to a passing failure."""
    chunks = split_message(text)
    for index, chunk in enumerate(chunks):
        last = index == len(chunks) - 1
        for attempt, delay in enumerate((*SEND_RETRY_DELAYS, None)):
            try:
                await message.reply_html(
                    chunk,
                    reply_markup=markup if last else None,
                    disable_web_page_preview=True,
                    do_quote=message.chat.type != ChatType.PRIVATE,
                )
                break
            except RetryAfter as exc:
                wait = exc.retry_after
                await asyncio.sleep(wait.total_seconds() if isinstance(wait, timedelta) else wait)
            except (BadRequest, Forbidden):
                raise
            except NetworkError:
                if delay is None:
                    raise
                logger.warning("sending failed (attempt %d), retrying", attempt + 1)
                await asyncio.sleep(delay)


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


async def send_reply(message: Message, reply: Reply, core: Core) -> None:
    """Send a core reply with its keyboard."""
    await send(message, html_text(reply), keyboard(reply, core.knowledge))


async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Greet, list the topics and offer three example questions."""
    core = core_of(context)
    examples = messages.example_questions(core.knowledge)
    markup = InlineKeyboardMarkup([[entry_button(eid, q)] for eid, q in examples])
    await send(update.effective_message, escape(messages.welcome(core.knowledge)), markup)


async def help_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Explain how to ask."""
    await send(update.effective_message, escape(messages.help_text(TELEGRAM_HELP)))


async def about(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Say where the answers come from."""
    await send(update.effective_message, escape(messages.about_text()))


async def privacy(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Say what is stored, why, and who sees it."""
    await send(update.effective_message, escape(messages.privacy_text()))


async def topics(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Show the topics as buttons."""
    markup = InlineKeyboardMarkup(topic_rows(core_of(context).knowledge))
    await send(update.effective_message, "Kies een onderwerp:", markup)


def addressed_to_bot(message: Message, bot_username: str, bot_id: int) -> str | None:
    """The question in a message meant for the bot, or None. In a private chat every message
    is; in a group only a mention or a reply to the bot."""
    text = message.text or ""
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


async def answer_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Answer a free-text question."""
    message = update.effective_message
    question = addressed_to_bot(message, context.bot.username, context.bot.id)
    if question is None:
        return
    async with typing_if_slow(message):
        core = core_of(context)
        reply = core.ask(question)
        remember(context, update, QUESTION, question, reply)
        await send_reply(message, reply, core)


async def on_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Follow a tapped button: an entry, a topic, or a vote."""
    query = update.callback_query
    core = core_of(context)
    kind, _, rest = (query.data or "").partition(":")
    if not isinstance(query.message, Message) or not query.message.is_accessible:
        # The message is too old for Telegram to show it to the bot: nothing to reply under.
        await query.answer("Deze knop werkt niet meer. Stel je vraag gerust opnieuw.")
        return
    if kind == ENTRY and (reply := core.pick(rest)) is not None:
        await query.answer()
        remember(context, update, PICK, reply.question, reply)
        await send_reply(query.message, reply, core)
    elif kind == SECTION and rest.isdigit() and int(rest) < len(core.knowledge.sections):
        await query.answer()
        section = core.knowledge.sections[int(rest)]
        by_id = core.knowledge.by_id
        markup = InlineKeyboardMarkup(
            [[entry_button(i, by_id[i].question)] for i in section.entry_ids]
        )
        await send(query.message, f"<b>{escape(section.title)}</b>: kies een vraag.", markup)
    elif kind == VOTE and rest[:2] in ("+:", "-:") and rest[2:] in core.knowledge.by_id:
        up = rest[0] == "+"
        storage: Storage | None = context.application.bot_data.get("storage")
        if storage is not None:
            answer_key = storage.pseudonym(f"{query.message.chat.id}:{query.message.message_id}")
            storage.record(
                Vote(storage.pseudonym(query.from_user.id), answer_key, rest[2:], 1 if up else -1)
            )
        await query.answer(THANKS_UP if up else "Bedankt voor je feedback.")
        # One vote per answer: the vote buttons disappear, the links stay.
        markup = query.message.reply_markup
        rows = [row for row in (markup.inline_keyboard if markup else ()) if row[0].url]
        await query.edit_message_reply_markup(InlineKeyboardMarkup(rows) if rows else None)
        if not up:
            contact = core.knowledge.settings.contact
            await send(query.message, f"{escape(THANKS_DOWN)}\n<i>{escape(contact)}</i>")
    else:
        # Stale or forged data: acknowledge so the button stops spinning, do nothing else.
        await query.answer("Deze knop werkt niet meer. Stel je vraag gerust opnieuw.")


async def on_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Log the error and tell the user something went wrong instead of staying silent."""
    logger.error("error while handling an update", exc_info=context.error)
    if isinstance(update, Update) and update.effective_chat:
        try:
            await context.bot.send_message(update.effective_chat.id, SOMETHING_WENT_WRONG)
        except Exception:  # the user cannot be told; the log already has it
            logger.exception("could not tell the user about the error")


async def guard_flood(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Before any other handler: one notice to a flooding user, then silence until calm."""
    user = update.effective_user
    guard: FloodGuard = context.application.bot_data["guard"]
    if user is None or update.effective_message is None:
        return
    verdict = guard.check(user.id, time.monotonic())
    if verdict == "notice":
        await send(update.effective_message, escape(NOTICE))
    if verdict != "ok":
        raise ApplicationHandlerStop


async def heartbeat(application: Application, path: Path) -> None:
    """Touch the heartbeat file while the bot is receiving updates."""
    delay = 1.0  # until the first beat, so a fresh container turns healthy quickly
    while True:
        updater = application.updater
        if application.running and (updater is None or updater.running):
            with contextlib.suppress(OSError):
                path.write_text(f"{time.time():.0f}\n", encoding="ascii")
            delay = HEARTBEAT_SECONDS
        await asyncio.sleep(delay)


async def post_init(application: Application) -> None:
    """Open the database, register the command menu, start the heartbeat."""
    config: Config = application.bot_data["config"]
    application.bot_data["storage"] = await Storage.open(config.db_path)
    await application.bot.set_my_commands(COMMANDS)
    application.bot_data["heartbeat"] = asyncio.create_task(
        heartbeat(application, config.heartbeat_path)
    )


async def post_shutdown(application: Application) -> None:
    """Stop the heartbeat and close the database after writing what is queued."""
    task = application.bot_data.pop("heartbeat", None)
    if task is not None:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
    storage: Storage | None = application.bot_data.pop("storage", None)
    if storage is not None:
        await storage.close()


def build_application(config: Config, core: Core) -> Application:
    """The python-telegram-bot application with every handler registered."""
    builder = (
        Application.builder()
        .token(config.token or "")
        .rate_limiter(AIORateLimiter(max_retries=3))
        .post_init(post_init)
        .post_shutdown(post_shutdown)
        .concurrent_updates(True)
    )
    if config.base_url:
        builder = builder.base_url(config.base_url)
    application = builder.build()
    application.bot_data["core"] = core
    application.bot_data["config"] = config
    application.bot_data["guard"] = FloodGuard(limit=config.flood_limit)

    application.add_handler(TypeHandler(Update, guard_flood), group=-1)
    application.add_handler(CommandHandler("start", start))
    application.add_handler(CommandHandler("help", help_command))
    application.add_handler(CommandHandler("onderwerpen", topics))
    application.add_handler(CommandHandler("over", about))
    application.add_handler(CommandHandler("privacy", privacy))
    group_text = filters.ChatType.GROUPS & (filters.Entity(MessageEntity.MENTION) | filters.REPLY)
    application.add_handler(
        MessageHandler(
            filters.TEXT & ~filters.COMMAND & (filters.ChatType.PRIVATE | group_text), answer_text
        )
    )
    application.add_handler(CallbackQueryHandler(on_button))
    application.add_error_handler(on_error)
    return application


def run_bot(config: Config, args: argparse.Namespace) -> int:
    """Run the bot until SIGINT or SIGTERM: long polling, or the webhook server."""
    logging.basicConfig(
        format="%(asctime)s %(levelname)s %(name)s: %(message)s", level=logging.INFO
    )
    # httpx logs every request URL, and the URL contains the bot token.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    application = build_application(config, Core(load_knowledge(config.knowledge_dir)))
    if getattr(args, "webhook", False):
        env = os.environ
        application.run_webhook(
            listen=args.listen or env.get("WERKPLEKBOT_WEBHOOK_LISTEN", "0.0.0.0"),
            port=int(args.port or env.get("WERKPLEKBOT_WEBHOOK_PORT", "8443")),
            url_path=args.path or env.get("WERKPLEKBOT_WEBHOOK_PATH", "telegram"),
            webhook_url=args.url or env.get("WERKPLEKBOT_WEBHOOK_URL"),
            secret_token=args.secret or env.get("WERKPLEKBOT_WEBHOOK_SECRET"),
        )
    else:
        application.run_polling(allowed_updates=Update.ALL_TYPES)
    return 0
