"""A small Telegram Bot API emulator: a real HTTP server on loopback that python-telegram-bot's
own request stack talks to (via ``base_url``). It queues updates for getUpdates, records what
the bot sends (documents included), serves files users sent (getFile and the download under
``/file/bot<token>/``), and can inject failures (429, 500) on any method."""

import asyncio
import email.parser
import email.policy
import json
import threading
import time
from collections import Counter, deque
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl

BOT_ID = 4242
BOT_USERNAME = "werkplekbot_test_bot"


# How long a test waits for the bot's reply before it fails. Generous: an admin's change is
# checked by the knowledge lint (seconds), and a loaded CI machine runs the tests on more workers
# than it has cores. A passing test never waits this long.
WAIT = 30.0


def chat(chat_id: int, chat_type: str = "private", first_name: str = "Test") -> dict[str, Any]:
    """A chat as Telegram describes it."""
    if chat_type == "private":
        return {"id": chat_id, "type": "private", "first_name": first_name}
    return {"id": chat_id, "type": chat_type, "title": "Team"}


class BotApiEmulator:
    """Start with :meth:`start`; ``base_url`` goes to the application builder."""

    def __init__(self) -> None:
        self.updates: list[dict[str, Any]] = []
        self.calls: list[tuple[str, dict[str, Any]]] = []
        self.call_times: list[float] = []  # time.monotonic() of each entry in calls
        self.failures: dict[str, deque[tuple[int, dict[str, Any]]]] = {}
        self.failing_until: dict[str, tuple[float, int]] = {}
        self.delay = 0.0
        # What getMe says: inline mode switched on in BotFather (the share button needs it).
        self.inline = True
        # The offset of every getUpdates: an update below it is acknowledged.
        self.offsets: list[int] = []
        self.condition = threading.Condition()
        self._next_update = 1
        self._next_message = 100
        # Files users sent, by file_id: (file name, contents).
        self.files: dict[str, tuple[str, bytes]] = {}
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.thread = threading.Thread(target=self._serve, daemon=True)

    def _serve(self) -> None:
        # A short poll interval: stopping takes a twentieth of a second, not half a second.
        self.server.serve_forever(poll_interval=0.05)

    @property
    def base_url(self) -> str:
        """The Bot API base URL (python-telegram-bot appends the token)."""
        return f"http://127.0.0.1:{self.server.server_address[1]}/bot"

    def start(self) -> "BotApiEmulator":
        """Serve in a background thread."""
        self.thread.start()
        return self

    def stop(self) -> None:
        """Shut the server down."""
        self.server.shutdown()
        self.server.server_close()

    def go_down(self) -> None:
        """Stop listening: the bot's connections are refused until :meth:`come_back`."""
        self.stop()

    def come_back(self, delay: float = 0.0) -> None:
        """Listen again on the same port, answering every call after ``delay`` seconds."""
        self.delay = delay
        port = self.server.server_address[1]
        self.server = ThreadingHTTPServer(("127.0.0.1", port), self._handler())
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def fail_until(self, method: str, until: float, status: int = 502) -> None:
        """Make every call of ``method`` fail with ``status`` until ``time.monotonic()``."""
        self.failing_until[method] = (until, status)

    def fail(self, method: str, status: int, **parameters: Any) -> None:
        """Make the next call of ``method`` fail with ``status``."""
        self.failures.setdefault(method, deque()).append((status, parameters))

    def push_message(
        self,
        text: str | None,
        chat_id: int = 1,
        user_id: int = 1,
        chat_type: str = "private",
        first_name: str = "Test",
        kind: str = "message",
        **extra: Any,
    ) -> int:
        """Queue a message from a user (``text`` None: a message without text, such as a
        voice message given in ``extra``); ``kind`` "edited_message" for an edit. Returns the
        update id."""
        message: dict[str, Any] = {
            "message_id": self._message_id(),
            "date": int(time.time()),
            "chat": chat(chat_id, chat_type, first_name),
            "from": {"id": user_id, "is_bot": False, "first_name": first_name},
            **extra,
        }
        if text is not None:
            message["text"] = text
            if text.startswith("/"):
                message["entities"] = [
                    {"type": "bot_command", "offset": 0, "length": len(text.split()[0])}
                ]
        if kind == "edited_message":
            message["edit_date"] = int(time.time())
        return self._push({kind: message})

    def push_document(
        self,
        data: bytes,
        file_name: str,
        chat_id: int = 1,
        user_id: int = 1,
        caption: str | None = None,
        chat_type: str = "private",
    ) -> int:
        """Queue a document a user sent (its bytes served by getFile and the file URL)."""
        file_id = f"doc{self._message_id()}"
        self.files[file_id] = (file_name, data)
        document = {
            "file_id": file_id,
            "file_unique_id": f"u{file_id}",
            "file_name": file_name,
            "mime_type": "application/zip" if file_name.endswith(".zip") else "text/yaml",
            "file_size": len(data),
        }
        extra: dict[str, Any] = {"document": document}
        if caption is not None:
            extra["caption"] = caption
        return self.push_message(None, chat_id, user_id, chat_type, **extra)

    def documents(self, chat_id: int | None = None) -> list[tuple[str, bytes, dict[str, Any]]]:
        """Documents the bot sent (to ``chat_id``): file name, contents and the parameters."""
        found = []
        for params in self.sent("sendDocument"):
            if chat_id is None or int(params.get("chat_id", 0)) == chat_id:
                name, data = params["document"]
                found.append((name, data, params))
        return found

    def push_update(self, update: dict[str, Any]) -> int:
        """Queue any update (its id is filled in); returns the update id."""
        return self._push(update)

    def push_inline_query(self, query: str, user_id: int = 1) -> int:
        """Queue an inline query (``@bot query`` typed in any chat)."""
        user = {"id": user_id, "is_bot": False, "first_name": "Test"}
        return self._push(
            {
                "inline_query": {
                    "id": str(self._message_id()),
                    "from": user,
                    "query": query,
                    "offset": "",
                }
            }
        )

    def push_added_to_group(self, chat_id: int = -7, user_id: int = 1) -> int:
        """Queue the update Telegram sends when a user adds the bot to a group."""
        bot = {"id": BOT_ID, "is_bot": True, "first_name": "Werkplekbot", "username": BOT_USERNAME}
        return self._push(
            {
                "my_chat_member": {
                    "chat": chat(chat_id, "group"),
                    "from": {"id": user_id, "is_bot": False, "first_name": "Test"},
                    "date": int(time.time()),
                    "old_chat_member": {"status": "left", "user": bot},
                    "new_chat_member": {"status": "member", "user": bot},
                }
            }
        )

    def push_callback(self, data: str, message: dict[str, Any], user_id: int = 1) -> int:
        """Queue a button tap on a message the bot sent."""
        return self._push(
            {
                "callback_query": {
                    "id": str(self._message_id()),
                    "chat_instance": "1",
                    "data": data,
                    "from": {"id": user_id, "is_bot": False, "first_name": "Test"},
                    "message": message,
                }
            }
        )

    def sent(self, method: str = "sendMessage") -> list[dict[str, Any]]:
        """Parameters of every successful call of ``method`` so far."""
        with self.condition:
            return [params for name, params in self.calls if name == method]

    async def wait_for(
        self, method: str, count: int, timeout: float = WAIT
    ) -> list[dict[str, Any]]:
        """Wait (without blocking the event loop) until ``method`` succeeded ``count`` times."""
        deadline = time.monotonic() + timeout
        while len(self.sent(method)) < count:
            if time.monotonic() > deadline:
                calls = Counter(name for name, _ in self.calls)
                raise AssertionError(f"{method} called fewer than {count} times: {dict(calls)}")
            await asyncio.sleep(0.02)
        return self.sent(method)

    async def wait_for_text(
        self, chat_id: int, text: str, count: int = 1, timeout: float = WAIT
    ) -> list[dict[str, Any]]:
        """Wait until ``count`` messages to ``chat_id`` contain ``text``; all messages to it."""
        deadline = time.monotonic() + timeout
        while True:
            sent = [m for m in self.sent() if int(m.get("chat_id", 0)) == chat_id]
            if sum(text in m.get("text", "") for m in sent) >= count:
                return sent
            if time.monotonic() > deadline:
                raise AssertionError(f"no {count}× {text!r} to {chat_id}: {sent}")
            await asyncio.sleep(0.05)

    def _message_id(self) -> int:
        self._next_message += 1
        return self._next_message

    def _push(self, update: dict[str, Any]) -> int:
        with self.condition:
            update["update_id"] = self._next_update
            self._next_update += 1
            self.updates.append(update)
            self.condition.notify_all()
            return int(update["update_id"])

    def _answer(self, method: str, params: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        if self.delay:
            time.sleep(self.delay)
        until, status = self.failing_until.get(method, (0.0, 0))
        if time.monotonic() < until:
            return status, {"ok": False, "error_code": status, "description": "Injected outage"}
        queue = self.failures.get(method)
        if queue:
            status, extra = queue.popleft()
            body: dict[str, Any] = {
                "ok": False,
                "error_code": status,
                "description": "Injected failure",
            }
            if status == 429:
                body["parameters"] = {"retry_after": extra.get("retry_after", 1)}
            return status, body
        if method == "getUpdates":
            return 200, {"ok": True, "result": self._get_updates(params)}
        with self.condition:
            self.calls.append((method, params))
            self.call_times.append(time.monotonic())
            self.condition.notify_all()
        if method == "getMe":
            result: Any = {
                "id": BOT_ID,
                "is_bot": True,
                "first_name": "Werkplekbot",
                "username": BOT_USERNAME,
                "supports_inline_queries": self.inline,
            }
        elif method == "getFile":
            file_id = str(params.get("file_id", ""))
            if file_id not in self.files:
                return 400, {"ok": False, "error_code": 400, "description": "Bad Request: file"}
            name, data = self.files[file_id]
            result = {
                "file_id": file_id,
                "file_unique_id": f"u{file_id}",
                "file_size": len(data),
                "file_path": f"documents/{file_id}{Path(name).suffix}",
            }
        elif method == "sendDocument":
            name = params["document"][0]
            result = {
                "message_id": self._message_id(),
                "date": int(time.time()),
                "chat": {"id": int(params.get("chat_id", 1)), "type": "private"},
                "from": {"id": BOT_ID, "is_bot": True, "first_name": "Werkplekbot"},
                "document": {"file_id": f"sent-{name}", "file_unique_id": f"s-{name}"},
            }
            if "caption" in params:
                result["caption"] = params["caption"]
        elif method in ("sendMessage", "editMessageText", "editMessageReplyMarkup"):
            result = {
                "message_id": int(params.get("message_id") or self._message_id()),
                "date": int(time.time()),
                "text": params.get("text", ""),
                "chat": {"id": int(params.get("chat_id", 1)), "type": "private"},
                "from": {"id": BOT_ID, "is_bot": True, "first_name": "Werkplekbot"},
            }
            if "reply_markup" in params:
                result["reply_markup"] = params["reply_markup"]
        else:
            result = True
        return 200, {"ok": True, "result": result}

    def _get_updates(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        offset = int(params.get("offset") or 0)
        self.offsets.append(offset)
        timeout = min(float(params.get("timeout") or 0), 1.0)
        deadline = time.monotonic() + timeout
        with self.condition:
            self.updates = [u for u in self.updates if u["update_id"] >= offset]
            while not self.updates and time.monotonic() < deadline:
                self.condition.wait(deadline - time.monotonic())
            return list(self.updates[: int(params.get("limit") or 100)])

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        emulator = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length)
                kind = self.headers.get("Content-Type", "")
                if kind.startswith("application/json"):
                    params = json.loads(raw or b"{}")
                elif kind.startswith("multipart/form-data"):
                    params = _multipart(kind, raw)
                else:
                    params = _form(raw.decode())
                method = self.path.rsplit("/", 1)[-1]
                status, body = emulator._answer(method, params)
                self._reply(status, json.dumps(body).encode(), "application/json")

            def do_GET(self) -> None:
                # A file download: /file/bot<token>/documents/<file_id>.<extension>
                file_id = Path(self.path.rsplit("/", 1)[-1]).stem
                found = emulator.files.get(file_id)
                if "/file/bot" not in self.path or found is None:
                    self._reply(404, b"not found", "text/plain")
                    return
                self._reply(200, found[1], "application/octet-stream")

            def _reply(self, status: int, data: bytes, kind: str) -> None:
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", kind)
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the bot hung up (it is shutting down)

            def log_message(self, *args: Any) -> None:
                pass

        return Handler


def _form(raw: str) -> dict[str, Any]:
    """An urlencoded request; objects (reply_markup, commands) travel JSON-encoded in it."""
    params: dict[str, Any] = {}
    for key, value in parse_qsl(raw):
        params[key] = json.loads(value) if value[:1] in "[{" else value
    return params


def _multipart(kind: str, raw: bytes) -> dict[str, Any]:
    """A multipart request (a file upload): fields as in a form, files as (name, bytes)."""
    head = f"Content-Type: {kind}\r\n\r\n".encode()
    message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(head + raw)
    params: dict[str, Any] = {}
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        payload = part.get_payload(decode=True)
        assert isinstance(name, str) and isinstance(payload, bytes)
        if part.get_filename():
            params[name] = (part.get_filename(), payload)
        else:
            value = payload.decode()
            params[name] = json.loads(value) if value[:1] in "[{" else value
    return params
