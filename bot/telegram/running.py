"""Running the Telegram bot: start-up checks that exit with one clear line instead of hanging,
long polling or the webhook server, and a shutdown that finishes replies in flight within a few
seconds and leaves everything else in the inbox for the next start."""

import asyncio
import contextlib
import logging
import os
import signal

from telegram import Bot, Update
from telegram.error import InvalidToken, NetworkError, RetryAfter, TelegramError

from bot.config import Config, ConfigError
from bot.core import Core
from bot.database import Database, DatabaseError
from bot.pseudonyms import KeyFileError, Pseudonyms, key_path, load_key
from bot.recorder import Recorder
from bot.reloading import signature
from bot.telegram.app import BotApplication, build_application
from bot.telegram.inbox import Inbox
from bot.telegram.services import start_services
from bot.telegram.updates import DurableApplication
from bot.telegram.webhook import serve as serve_webhook

logger = logging.getLogger(__name__)


class StartupError(Exception):
    """The bot cannot start; the message says what, where and what to do."""


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


def setup_logging(config: Config) -> None:
    """INFO to stderr, the token redacted, no request URLs (they contain the token)."""
    logging.basicConfig(
        format="%(asctime)s %(levelname)s %(name)s: %(message)s", level=logging.INFO
    )
    logging.getLogger("httpx").setLevel(logging.WARNING)
    for handler in logging.getLogger().handlers:
        handler.addFilter(RedactToken(config.token or ""))


def run(config: Config, core: Core) -> int:
    """Run the bot until SIGTERM or SIGINT; the exit code."""
    setup_logging(config)
    # Everything the bot writes (database, inbox, key, status) is for its owner only.
    os.umask(0o077)
    try:
        asyncio.run(serve(config, core))
    except (StartupError, DatabaseError, KeyFileError, ConfigError) as exc:
        logger.error("Werkplekbot start niet: %s", exc)
        return 1
    except TelegramError as exc:
        logger.error("Telegram weigerde een stap bij het starten (%s); de bot stopt.", exc)
        return 1
    return 0


async def wait_for_telegram(config: Config, stop: asyncio.Event) -> bool:
    """Start only once the Bot API answers: a bot started during an outage waits instead of
    crashing (and being restarted in a loop). False when asked to stop meanwhile."""
    bot = Bot(config.token or "", base_url=config.base_url or "https://api.telegram.org/bot")
    delay = 1.0
    while not stop.is_set():
        try:
            async with bot:
                return True
        except InvalidToken:
            raise StartupError(
                "Telegram weigert TELEGRAM_BOT_TOKEN: controleer de token bij @BotFather."
            ) from None
        except (NetworkError, RetryAfter) as exc:
            logger.warning(
                "Telegram is niet bereikbaar (%s); nieuwe poging over %.0f s", exc, delay
            )
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), delay)
            delay = min(30.0, delay * 2)
    return False


def stop_on_signals(stop: asyncio.Event) -> None:
    """SIGTERM (docker stop) and SIGINT (Ctrl-C) ask the bot to stop."""
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        with contextlib.suppress(NotImplementedError):  # not on Windows
            loop.add_signal_handler(sig, stop.set)


async def serve(
    config: Config,
    core: Core,
    stop: asyncio.Event | None = None,
    started: asyncio.Event | None = None,
) -> None:
    """Open what the bot needs (failing fast), then answer until asked to stop: by SIGTERM or
    SIGINT, or by ``stop`` (tests). ``started`` is set once the bot answers."""
    if config.webhook.enabled and not config.webhook.secret:
        raise ConfigError(
            "WERKPLEKBOT_WEBHOOK_SECRET is niet ingesteld: de webhookmodus start nooit zonder "
            "geheim (maak er een met 'openssl rand -hex 32')."
        )
    if stop is None:
        stop = asyncio.Event()
        stop_on_signals(stop)
    pseudonyms = Pseudonyms(load_key(key_path(config.db_path)))
    database = await Database.open(config.db_path)
    try:
        inbox = await Inbox.open(config.inbox_path)
        try:
            if await wait_for_telegram(config, stop):
                await answer_until(stop, started, config, core, database, inbox, pseudonyms)
        finally:
            await inbox.close()
    finally:
        await database.close()


async def answer_until(
    stop: asyncio.Event,
    started: asyncio.Event | None,
    config: Config,
    core: Core,
    database: Database,
    inbox: Inbox,
    pseudonyms: Pseudonyms,
) -> None:
    """The application running, by polling or webhook, until ``stop`` is set."""
    application = build_application(config, core)
    data = application.bot_data
    recorder = Recorder(
        database, retry_delay=config.timings.database_retry, on_written=inbox.written
    )
    data.database, data.inbox, data.recorder, data.pseudonyms = (
        database,
        inbox,
        recorder,
        pseudonyms,
    )
    assert isinstance(application, DurableApplication)
    application.recorder = recorder
    queue = application.durable_queue
    queue.inbox = inbox
    queue.pseudonym = pseudonyms.of
    await application.initialize()
    server: object = None
    try:
        data.signature = signature(config.knowledge_dir)
        if application.post_init is not None:
            await application.post_init(application)
        await application.start()
        for batch in await inbox.unwritten():
            recorder.submit(batch)
        pending = await inbox.pending()
        if pending:
            logger.info("handling %d updates received before the last stop", len(pending))
        for payload in pending:
            update = Update.de_json(payload, application.bot)
            if update is not None:
                await queue.requeue(update)
        start_services(application, config.webhook.enabled)
        if config.webhook.enabled:
            server = await start_webhook(application, config)
        else:
            assert application.updater is not None
            await application.updater.start_polling(
                allowed_updates=Update.ALL_TYPES, poll_interval=0.0, timeout=10
            )
        logger.info("Werkplekbot answers (%s)", "webhook" if server else "polling")
        if started is not None:
            started.set()
        await stop.wait()
        logger.info("stopping")
    finally:
        # Also after an error at start (a refused webhook URL, say): stop what runs, write
        # what is recorded, then let the caller close the inbox and the database.
        if application.running:
            await shut_down(application, server, recorder, config)
        with contextlib.suppress(Exception):
            await application.shutdown()


async def start_webhook(application: BotApplication, config: Config) -> object:
    """Serve the webhook and, with a public URL configured, register it with Telegram."""
    data = application.bot_data
    server = serve_webhook(
        config.webhook, application.update_queue, application.bot, data.contact.note
    )
    if config.webhook.url:
        url = config.webhook.url.rstrip("/")
        await application.bot.set_webhook(
            url,
            secret_token=config.webhook.secret,
            allowed_updates=Update.ALL_TYPES,
            max_connections=config.concurrency,
        )
    return server


async def shut_down(
    application: BotApplication, server: object, recorder: Recorder, config: Config
) -> None:
    """Stop fetching, let replies in flight finish (within ``stop_within``), write what is
    recorded; anything unfinished stays in the inbox."""
    if server is not None:
        server.stop()  # type: ignore[attr-defined]
    elif application.updater is not None and application.updater.running:
        await application.updater.stop()
    try:
        await asyncio.wait_for(application.stop(), config.timings.stop_within)
    except TimeoutError:
        logger.warning(
            "replies still in flight after %.0f s stay pending", config.timings.stop_within
        )
    await recorder.write_pending()
