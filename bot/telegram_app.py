"""The Telegram adapter: the users' handlers, the application's life cycle and ``run``.

Handlers pass messages to the core and send its replies; no matching happens here (see
:mod:`bot.core`). Sending lives in :mod:`bot.telegram_io`, admin commands in
:mod:`bot.telegram_admin`, durability in :mod:`bot.inbox`. Handler registration is flat, in
:func:`build_application`, as in python-telegram-bot's examples.
"""

import argparse
import asyncio
import contextlib
import logging
import os
import time
from html import escape
from pathlib import Path

from telegram import (
    Bot,
    BotCommand,
    BotCommandScopeChat,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Message,
    MessageEntity,
    Update,
)
from telegram.constants import ChatType
from telegram.error import (
    BadRequest,
    Forbidden,
    InvalidToken,
    NetworkError,
    RetryAfter,
    TelegramError,
)
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
from telegram.request import HTTPXRequest

from bot import messages
from bot.config import Config
from bot.core import Core
from bot.guard import NOTICE, FloodGuard
from bot.inbox import (
    DurableApplication,
    DurableQueue,
    Inbox,
    note_answer_key,
    note_send_failed,
)
from bot.loading import load_knowledge
from bot.reloading import signature
from bot.replies import Reply
from bot.storage import PICK, QUESTION, Interaction, Storage, Vote
from bot.telegram_admin import (
    ADMIN_COMMANDS,
    DAY,
    dismiss_group,
    reload_command,
    review_command,
    stats_command,
    watch_knowledge,
)
from bot.telegram_io import answer_key, core_of, send, send_reply, storage_of, typing_if_slow
from bot.telegram_render import (
    DISMISS,
    ENTRY,
    FORGET,
    SECTION,
    VOTE,
    entry_button,
    topic_rows,
)

logger = logging.getLogger(__name__)

COMMANDS = (
    BotCommand("start", "Wie ben ik en wat weet ik"),
    BotCommand("onderwerpen", "Alle onderwerpen en hun vragen"),
    BotCommand("help", "Hoe stel je een vraag"),
    BotCommand("over", "Waar komen de antwoorden vandaan"),
    BotCommand("privacy", "Wat ik bewaar en waarom"),
    BotCommand("vergeet", "Wis alles wat over jou bewaard is"),
)
FORGET_QUESTION = (
    "Wil je dat ik alles wis wat over jou bewaard is (je vragen en je feedback)? Dat kan niet "
    "ongedaan gemaakt worden."
)
TELEGRAM_HELP = (
    "Commando's: /onderwerpen (alle onderwerpen), /over (bronnen), /privacy, /vergeet, /help.\n"
    "In een groep antwoord ik als je me vermeldt (@-naam) of op mijn bericht antwoordt."
)
THANKS_UP = "Bedankt voor je feedback! 👍"
THANKS_DOWN = "Bedankt voor je feedback. Probeer je vraag eens anders te formuleren, of:"
SOMETHING_WENT_WRONG = "Oei, er ging iets mis bij het beantwoorden. Probeer het zo meteen nog eens."
HEARTBEAT_SECONDS = 15
CONCURRENT_UPDATES = 8


async def reply_and_remember(
    context: ContextTypes.DEFAULT_TYPE,
    update: Update,
    kind: str,
    question: str,
    reply: Reply,
    message: Message,
) -> None:
    """Send a reply and keep the interaction, with the key of the message that carried it
    (both are stored when the update is marked handled, bot.inbox)."""
    core = core_of(context)
    remember(context, update, kind, question, reply)
    sent = await send_reply(message, reply, core)
    storage = storage_of(context)
    if storage is not None:
        note_answer_key(answer_key(storage, sent))


def remember(
    context: ContextTypes.DEFAULT_TYPE, update: Update, kind: str, question: str, reply: Reply
) -> None:
    """Keep the interaction (never waits for the disk)."""
    storage = storage_of(context)
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
    """Say what is stored, for how long, why, and who sees it."""
    days = context.application.bot_data["config"].retention_days
    await send(update.effective_message, escape(messages.privacy_text(days)))


async def forget(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Offer to delete everything stored about the user, after a confirmation."""
    markup = InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton("Ja, wis alles", callback_data=f"{FORGET}:ja"),
                InlineKeyboardButton("Nee", callback_data=f"{FORGET}:nee"),
            ]
        ]
    )
    await send(update.effective_message, escape(FORGET_QUESTION), markup)


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
        reply = core_of(context).ask(question)
        await reply_and_remember(context, update, QUESTION, question, reply, message)


async def on_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Follow a tapped button: an entry, a topic, or a vote."""
    query = update.callback_query
    core = core_of(context)
    kind, _, rest = (query.data or "").partition(":")
    if not isinstance(query.message, Message) or not query.message.is_accessible:
        # The message is too old for Telegram to show it to the bot: nothing to reply under.
        await query.answer("Deze knop werkt niet meer. Stel je vraag gerust opnieuw.")
        return
    if kind == DISMISS:
        await dismiss_group(update, context, rest)
    elif kind == FORGET:
        await forget_confirmed(update, context, rest == "ja")
    elif kind == ENTRY and (reply := core.pick(rest)) is not None:
        await query.answer()
        await reply_and_remember(context, update, PICK, reply.question, reply, query.message)
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
        storage = storage_of(context)
        if storage is not None:
            key = answer_key(storage, query.message)
            value = 1 if up else -1
            storage.record(Vote(storage.pseudonym(query.from_user.id), key, rest[2:], value))
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


async def forget_confirmed(
    update: Update, context: ContextTypes.DEFAULT_TYPE, confirmed: bool
) -> None:
    """Delete the user's history after the confirmation button."""
    query = update.callback_query
    storage = storage_of(context)
    await query.answer()
    if not confirmed or storage is None:
        await query.edit_message_text("Oké, ik wis niets.")
        return
    removed = await storage.forget(storage.pseudonym(query.from_user.id))
    await query.edit_message_text(
        f"Gewist: alles wat over jou bewaard was ({removed} regels). Vanaf nu begin je opnieuw."
    )


async def on_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A reply that could not be sent is tried again later (the inbox keeps its update);
    anything else is logged and the user is told something went wrong."""
    error = context.error
    # BadRequest is a NetworkError subclass in python-telegram-bot, but sending it again is futile.
    transient = isinstance(error, NetworkError | RetryAfter) and not isinstance(
        error, BadRequest | Forbidden
    )
    if transient and note_send_failed():
        logger.warning("reply not sent (%s); the update will be tried again", error)
        return
    logger.error("error while handling an update", exc_info=error)
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
    delay = 0.2  # until the first beat, so a fresh container turns healthy quickly
    while True:
        updater = application.updater
        if application.running and (updater is None or updater.running):
            with contextlib.suppress(OSError):
                path.write_text(f"{time.time():.0f}\n", encoding="ascii")
            delay = HEARTBEAT_SECONDS
        await asyncio.sleep(delay)


async def purge_daily(application: Application) -> None:
    """Delete what is older than the retention period, at start and then every day."""
    config: Config = application.bot_data["config"]
    storage: Storage = application.bot_data["storage"]
    while True:
        removed = await storage.purge(time.time() - config.retention_days * DAY)
        queue = application.update_queue
        if isinstance(queue, DurableQueue) and queue.inbox is not None:
            queue.inbox.purge(time.time() - DAY)
        if removed:
            logger.info(
                "retention: removed %d rows older than %d days", removed, config.retention_days
            )
        await asyncio.sleep(DAY)


BACKGROUND = ("heartbeat", "watcher", "retention")


async def post_init(application: Application) -> None:
    """Open the database, register the command menus, start the background tasks."""
    config: Config = application.bot_data["config"]
    application.bot_data["storage"] = await Storage.open(config.db_path)
    inbox = Inbox(config.db_path)
    queue = application.update_queue
    if isinstance(queue, DurableQueue):
        queue.inbox = inbox
        pending = inbox.pending()
        if pending:
            logger.info("handling %d updates received before the last stop", len(pending))
        for payload in pending:
            queue.requeue(Update.de_json(payload, application.bot))
    application.bot_data["signature"] = signature(config.knowledge_dir)
    await application.bot.set_my_commands(COMMANDS)
    for admin in config.admin_ids:
        # Fails for an admin who never opened a chat with the bot: they still can type them.
        with contextlib.suppress(TelegramError):
            await application.bot.set_my_commands(
                COMMANDS + ADMIN_COMMANDS, scope=BotCommandScopeChat(admin)
            )
    tasks = (
        heartbeat(application, config.heartbeat_path),
        watch_knowledge(application),
        purge_daily(application),
    )
    for name, coroutine in zip(BACKGROUND, tasks, strict=True):
        application.bot_data[name] = asyncio.create_task(coroutine, name=name)


async def post_shutdown(application: Application) -> None:
    """Stop the background tasks and close the database after writing what is queued."""
    for name in BACKGROUND:
        task = application.bot_data.pop(name, None)
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
    queue = application.update_queue
    if isinstance(queue, DurableQueue) and queue.inbox is not None:
        queue.inbox.close()
        queue.inbox = None
    storage: Storage | None = application.bot_data.pop("storage", None)
    if storage is not None:
        await storage.close()


def build_application(config: Config, core: Core) -> Application:
    """The python-telegram-bot application with every handler registered."""
    # Patient with a slow Bot API (5 s answers) rather than sending a reply twice.
    request = HTTPXRequest(connect_timeout=10, read_timeout=20, write_timeout=20)
    builder = (
        Application.builder()
        .token(config.token or "")
        .rate_limiter(AIORateLimiter(max_retries=3))
        .post_init(post_init)
        .post_shutdown(post_shutdown)
        # A few updates at a time: the moment a reply leaves stays close to the moment it is
        # marked as leaving, so a crash leaves next to nothing ambiguous (bot.inbox).
        .concurrent_updates(CONCURRENT_UPDATES)
        .application_class(DurableApplication)
        .request(request)
        .get_updates_request(HTTPXRequest(1, connect_timeout=10, read_timeout=20, write_timeout=20))
        .update_queue(DurableQueue())
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
    application.add_handler(CommandHandler("vergeet", forget))
    application.add_handler(CommandHandler("herlaad", reload_command))
    application.add_handler(CommandHandler("stats", stats_command))
    application.add_handler(CommandHandler("onbeantwoord", review_command))
    group_text = filters.ChatType.GROUPS & (filters.Entity(MessageEntity.MENTION) | filters.REPLY)
    application.add_handler(
        MessageHandler(
            filters.TEXT & ~filters.COMMAND & (filters.ChatType.PRIVATE | group_text), answer_text
        )
    )
    application.add_handler(CallbackQueryHandler(on_button))
    application.add_error_handler(on_error)
    return application


class RedactToken(logging.Filter):
    """Keeps the bot token out of every log line, whatever library writes it."""

    def __init__(self, token: str) -> None:
        super().__init__()
        secret = token.partition(":")[2]
        self._secrets = [s for s in (token, secret) if len(s) >= 8]

    def filter(self, record: logging.LogRecord) -> bool:
        """Replace the token in the message and in an exception's text."""
        message = record.getMessage()
        text = message + (
            logging.Formatter().formatException(record.exc_info) if record.exc_info else ""
        )
        if any(secret in text for secret in self._secrets):
            for secret in self._secrets:
                text = text.replace(secret, "<token>")
            record.msg, record.args, record.exc_info, record.exc_text = text, None, None, None
        return True


async def wait_for_telegram(config: Config) -> None:
    """Start only once the Bot API answers: a bot started during an outage waits instead of
    crashing (and being restarted in a loop). A refused token raises InvalidToken."""
    bot = Bot(config.token or "", base_url=config.base_url or "https://api.telegram.org/bot")
    delay = 1.0
    while True:
        try:
            async with bot:
                return
        except InvalidToken:
            raise
        except (NetworkError, RetryAfter) as exc:
            logger.warning(
                "Telegram is niet bereikbaar (%s); nieuwe poging over %.0f s", exc, delay
            )
            await asyncio.sleep(delay)
            delay = min(30.0, delay * 2)


def run_bot(config: Config, args: argparse.Namespace) -> int:
    """Run the bot until SIGINT or SIGTERM: long polling, or the webhook server."""
    logging.basicConfig(
        format="%(asctime)s %(levelname)s %(name)s: %(message)s", level=logging.INFO
    )
    # httpx logs every request URL, and the URL contains the bot token.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    for handler in logging.getLogger().handlers:
        handler.addFilter(RedactToken(config.token or ""))
    core = Core(load_knowledge(config.knowledge_dir))
    try:
        asyncio.run(wait_for_telegram(config))
    except InvalidToken:
        logger.error("Telegram weigert TELEGRAM_BOT_TOKEN: controleer de token bij @BotFather.")
        return 1
    application = build_application(config, core)
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
