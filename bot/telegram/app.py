"""The python-telegram-bot application: built here, with every handler registered in one place
(:func:`register`), as in python-telegram-bot's own examples."""

import contextlib
import logging
import os
from typing import Any

from telegram import BotCommand, BotCommandScopeChat
from telegram.error import TelegramError
from telegram.ext import (
    AIORateLimiter,
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    ChatMemberHandler,
    CommandHandler,
    InlineQueryHandler,
    MessageHandler,
    filters,
)
from telegram.request import HTTPXRequest

from bot import messages
from bot.config import Config
from bot.core import Core
from bot.guard import FloodGuard
from bot.telegram import admin, buttons, callbacks, changes, inline, users
from bot.telegram.client import Client, Contact
from bot.telegram.context import CONTEXT_TYPES, BotData
from bot.telegram.updates import DurableApplication, DurableQueue

logger = logging.getLogger(__name__)

COMMANDS = (
    BotCommand("start", "Wie ben ik en wat weet ik"),
    BotCommand("onderwerpen", "Alle onderwerpen en hun vragen"),
    BotCommand("help", "Hoe stel je een vraag"),
    BotCommand("over", "Waar komen de antwoorden vandaan"),
    BotCommand("privacy", "Wat ik bewaar en waarom"),
    BotCommand("vergeet", "Wis alles wat over jou bewaard is"),
)
BotApplication = Application[Any, Any, Any, Any, BotData, Any]


def build_application(config: Config, core: Core) -> BotApplication:
    """The application for one run: a durable, bounded update queue, a few updates at a time,
    Telegram's rate limits respected, typed bot data, every handler registered."""
    # Time periods (a rate limit's retry_after) as timedelta: python-telegram-bot's next major
    # default, read by ``sending``; without it every rate limit logs a deprecation warning.
    os.environ.setdefault("PTB_TIMEDELTA", "1")
    # Patient with a slow Bot API (5 s answers) rather than sending a reply twice.
    request = HTTPXRequest(
        connection_pool_size=16, connect_timeout=10, read_timeout=20, write_timeout=20
    )
    polling = HTTPXRequest(connect_timeout=10, read_timeout=20, write_timeout=20)
    contact = Contact()
    client = Client(
        config.token or "",
        base_url=config.base_url or "https://api.telegram.org/bot",
        base_file_url=config.file_url,
        request=request,
        get_updates_request=polling,
        # Rate limits are waited for; a 429 comes back to the sender, which retries it.
        rate_limiter=AIORateLimiter(overall_max_rate=config.rate_limit, max_retries=0),
        contact=contact,
    )
    application: BotApplication = (
        ApplicationBuilder()
        .bot(client)
        .application_class(DurableApplication)
        .context_types(CONTEXT_TYPES)
        .update_queue(DurableQueue(config.queue_limit))
        # The application takes one update at a time; DurableApplication hands each to one of
        # ``config.concurrency`` slots.
        .concurrent_updates(False)
        .post_init(post_init)
        .build()
    )
    data = application.bot_data
    data.config = config
    data.core = core
    data.guard = FloodGuard(limit=config.flood_limit)
    data.contact = contact
    if isinstance(application, DurableApplication):
        application.concurrency = config.concurrency
        application.admitted = config.queue_limit
        application.stopping = data.stopping
    register(application)
    return application


def register(application: BotApplication) -> None:
    """Every handler, in the order they are tried."""
    typed = filters.UpdateType.MESSAGE & (filters.TEXT | filters.CAPTION)
    # Typed messages only pass the flood guard; button taps are never counted.
    application.add_handler(MessageHandler(typed, users.guard_flood), group=-1)
    application.add_handler(CallbackQueryHandler(buttons.guard_taps), group=-1)

    application.add_handler(CommandHandler("start", users.start))
    application.add_handler(CommandHandler("help", users.help_command))
    application.add_handler(CommandHandler("onderwerpen", users.topics))
    application.add_handler(CommandHandler("over", users.about))
    application.add_handler(CommandHandler("privacy", users.privacy))
    application.add_handler(CommandHandler("vergeet", users.forget))
    application.add_handler(CommandHandler("herlaad", admin.reload_command))
    application.add_handler(CommandHandler("stats", admin.stats_command))
    application.add_handler(CommandHandler("onbeantwoord", admin.review_command))
    application.add_handler(CommandHandler("kennis", changes.knowledge_command))
    application.add_handler(CommandHandler("versies", changes.versions_command))
    application.add_handler(CommandHandler("terugzetten", changes.restore_command))
    # Knowledge files from an admin, in a private chat (also a document without a caption in
    # another format: told what name it needs); from anyone else a document is just a message
    # (answered from its caption, or told that only text is read).
    admins = filters.User(user_id=application.bot_data.config.admin_ids)
    knowledge_file = (
        filters.Document.FileExtension("yaml")
        | filters.Document.FileExtension("yml")
        | filters.Document.FileExtension("zip")
        | (filters.Document.ALL & ~filters.CAPTION)
    )
    uploads = filters.UpdateType.MESSAGE & filters.ChatType.PRIVATE & admins & knowledge_file
    application.add_handler(MessageHandler(uploads, changes.on_upload))
    unknown_command = filters.UpdateType.MESSAGE & filters.COMMAND
    application.add_handler(MessageHandler(unknown_command, users.unknown_command))

    questions = filters.UpdateType.MESSAGE & (filters.TEXT | filters.CAPTION) & ~filters.COMMAND
    application.add_handler(MessageHandler(questions, users.answer_text))
    everything_else = (
        filters.UpdateType.MESSAGE & ~filters.TEXT & ~filters.CAPTION & ~filters.StatusUpdate.ALL
    )
    application.add_handler(MessageHandler(everything_else, users.not_text))
    application.add_handler(ChatMemberHandler(users.greet_group, ChatMemberHandler.MY_CHAT_MEMBER))
    application.add_handler(InlineQueryHandler(inline.inline_query))

    routes = (
        (callbacks.EMPTY, buttons.on_stale),
        (callbacks.ANSWER, buttons.on_answer),
        (callbacks.CHOICE, buttons.on_choice),
        (callbacks.NONE_OF_THESE, buttons.on_none_of_these),
        (callbacks.TOPICS, buttons.on_topics),
        (callbacks.TOPICS_ANEW, buttons.on_topics_anew),
        (callbacks.TOPIC, buttons.on_topic),
        (callbacks.MENU_ANSWER, buttons.on_menu_answer),
        (callbacks.VOTE, buttons.on_vote),
        (callbacks.FORGET, buttons.on_forget),
        (callbacks.DISMISS, admin.on_dismiss),
        (callbacks.UNDISMISS, admin.on_undismiss),
        (callbacks.REVIEW_PAGE, admin.on_review_page),
        (callbacks.APPLY, changes.on_apply),
        (callbacks.ADD, changes.on_add),
        (callbacks.ADD_ELSEWHERE, changes.on_add_elsewhere),
        (callbacks.DRAFT, changes.on_draft),
        (callbacks.RESTORE, changes.on_restore),
    )
    for pattern, handler in routes:
        application.add_handler(CallbackQueryHandler(handler, pattern=pattern))
    application.add_handler(CallbackQueryHandler(buttons.on_stale))
    application.add_error_handler(users.on_error)


async def post_init(application: BotApplication) -> None:
    """The command menus (admins get theirs), and the bot's description and short
    description: what the empty chat screen and the profile show."""
    bot = application.bot
    config = application.bot_data.config
    with contextlib.suppress(TelegramError):
        await bot.set_my_commands(COMMANDS)
        await bot.set_my_description(messages.DESCRIPTION)
        await bot.set_my_short_description(messages.SHORT_DESCRIPTION)
    for admin_id in config.admin_ids:
        # Fails for an admin who never opened a chat with the bot: they can still type them.
        with contextlib.suppress(TelegramError):
            await bot.set_my_commands(
                COMMANDS + admin.ADMIN_COMMANDS, scope=BotCommandScopeChat(admin_id)
            )
