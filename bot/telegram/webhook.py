"""Webhook mode's HTTP server (tornado, which python-telegram-bot's webhook extra brings).

It never runs unauthenticated: every request must carry Telegram's secret token header, and
is refused (403) before its body is read when it does not; bodies are limited in size before
they are read (413). An accepted update goes to the application's queue, which keeps it in the
inbox first; only then does Telegram get its 200. A queue that is full, or an inbox that cannot
be written, makes the answer wait; after a while Telegram gets 503 and sends the update again.
"""

import asyncio
import hmac
import json
import logging
from collections.abc import Callable
from typing import Any

import tornado.web
from telegram import Update
from tornado.httpserver import HTTPServer

from bot.config import Webhook

logger = logging.getLogger(__name__)

# Telegram waits for the answer; when the queue does not take the update in time it is asked
# to send it again later (503).
ACCEPT_WITHIN = 20.0


@tornado.web.stream_request_body
class UpdateHandler(tornado.web.RequestHandler):
    """POST an update: checked, kept, queued."""

    def initialize(
        self,
        settings: Webhook,
        queue: "asyncio.Queue[object]",
        bot: Any,
        on_contact: Callable[[], None],
    ) -> None:
        self.webhook = settings
        self.queue = queue
        self.bot = bot
        self.on_contact = on_contact
        self.chunks: list[bytes] = []
        self.size = 0
        self.authentic = False

    def prepare(self) -> None:
        """Refuse before reading the body: wrong secret (403), too large (413)."""
        if self.request.method != "POST":
            raise tornado.web.HTTPError(405)
        given = self.request.headers.get("X-Telegram-Bot-Api-Secret-Token", "")
        if not self.webhook.secret or not hmac.compare_digest(given, self.webhook.secret):
            raise tornado.web.HTTPError(403)
        length = self.request.headers.get("Content-Length")
        if length is not None and (
            not length.isdigit() or int(length) > self.webhook.max_body_bytes
        ):
            raise tornado.web.HTTPError(413)

    def data_received(self, chunk: bytes) -> None:
        """Collect the body, within the limit."""
        self.size += len(chunk)
        if self.size > self.webhook.max_body_bytes:
            raise tornado.web.HTTPError(413)
        self.chunks.append(chunk)

    async def post(self) -> None:
        """Keep and queue the update; 200 once it is kept."""
        try:
            data = json.loads(b"".join(self.chunks))
            update = Update.de_json(data, self.bot)
        except Exception:  # malformed: acknowledged, or Telegram would resend it forever
            logger.warning("a webhook request held no valid update; ignored")
            self.set_status(200)
            return
        self.on_contact()
        if update is None:
            return
        try:
            await asyncio.wait_for(self.queue.put(update), ACCEPT_WITHIN)
        except TimeoutError:
            logger.warning("update %d not taken in time; Telegram will resend it", update.update_id)
            self.set_status(503)
            return
        self.set_status(200)

    def write_error(self, status_code: int, **kwargs: Any) -> None:
        """No details for whoever is knocking, and the connection closed after a refusal
        (the client knows not to send on it again)."""
        self.set_header("Connection", "close")
        self.finish()

    def log_exception(self, typ: Any, value: Any, tb: Any) -> None:
        """Refusals are expected traffic; they are counted in the log at info level."""
        if isinstance(value, tornado.web.HTTPError):
            logger.info("webhook request refused (%d)", value.status_code)
        else:
            super().log_exception(typ, value, tb)


def serve(
    settings: Webhook, queue: "asyncio.Queue[object]", bot: Any, on_contact: Callable[[], None]
) -> HTTPServer:
    """Listen for Telegram's calls on ``settings.listen:settings.port/settings.path``."""
    app = tornado.web.Application(
        [
            (
                f"/{settings.path}",
                UpdateHandler,
                {"settings": settings, "queue": queue, "bot": bot, "on_contact": on_contact},
            )
        ]
    )
    server = HTTPServer(app, max_body_size=settings.max_body_bytes, xheaders=True)
    server.listen(settings.port, address=settings.listen)
    logger.info("webhook listening on %s:%d/%s", settings.listen, settings.port, settings.path)
    return server
