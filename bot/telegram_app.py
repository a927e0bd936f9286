"""The Telegram adapter: handlers that pass messages to the core and render its replies.

No matching happens here; see :mod:`bot.core`. Handler registration is flat, in
:func:`build_application`, as in python-telegram-bot's examples.
"""

import argparse
import asyncio
import contextlib
import functools
import logging
import os
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import timedelta
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
from telegram.constants import ChatAction, ChatType
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
from bot.reloading import Reload, reload_async, signature
from bot.replies import Reply
from bot.reports import PERIODS, format_reports
from bot.review import group_unanswered, telegram_group_text
from bot.storage import PICK, QUESTION, Interaction, Storage, Vote
from bot.telegram_render import (
    DISMISS,
    ENTRY,
    FORGET,
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
    BotCommand("vergeet", "Wis alles wat over jou bewaard is"),
)
ADMIN_COMMANDS = (
    BotCommand("herlaad", "Beheer: kennis opnieuw inlezen"),
    BotCommand("stats", "Beheer: statistieken van 7 en 30 dagen"),
    BotCommand("onbeantwoord", "Beheer: vragen zonder goed antwoord"),
)
NOT_ADMIN = "Dit commando is er alleen voor de beheerders van deze bot."
FORGET_QUESTION = (
    "Wil je dat ik alles wis wat over jou bewaard is (je vragen en je feedback)? Dat kan niet "
    "ongedaan gemaakt worden."
)
REVIEW_GROUPS = 10
DAY = 24 * 3600
WATCH_SECONDS = 2.0
TELEGRAM_HELP = (
    "Commando's: /onderwerpen (alle onderwerpen), /over (bronnen), /privacy, /vergeet, /help.\n"
    "In een groep antwoord ik als je me vermeldt (@-naam) of op mijn bericht antwoordt."
)
THANKS_UP = "Bedankt voor je feedback! 👍"
THANKS_DOWN = "Bedankt voor je feedback. Probeer je vraag eens anders te formuleren, of:"
SOMETHING_WENT_WRONG = "Oei, er ging iets mis bij het beantwoorden. Probeer het zo meteen nog eens."
# Network errors and Telegram's 5xx: retried with backoff (429s are the rate limiter's job).
SEND_RETRY_DELAYS = (0.5, 1.0, 2.0, 4.0)
HEARTBEAT_SECONDS = 15
CONCURRENT_UPDATES = 8
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
