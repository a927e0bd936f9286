"""A conversation in the terminal on the same core as the Telegram bot: answers, links, related
questions and numbered lists to pick from, follow-ups included (:mod:`bot.conversation`).
``werkplekbot chat --json`` is the same conversation for programs: one message per input line,
one ``ask --json`` object per output line."""

import asyncio
import getpass
import json
import sys
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, replace
from typing import TextIO

from bot import messages
from bot.config import Config
from bot.console_admin import COMMANDS as ADMIN_COMMANDS
from bot.console_admin import HELP as ADMIN_HELP
from bot.console_admin import ConsoleAdmin
from bot.conversation import START, State, Turn, after, converse, points_shown, topics_menu
from bot.core import Core
from bot.database import Database, DatabaseError
from bot.history import History
from bot.pseudonyms import KeyFileError, Pseudonyms, key_path, load_key
from bot.recorder import Recorder
from bot.records import PICK, QUESTION, Batch, Interaction
from bot.replies import Reply

PROMPT = "jij> "
COMMANDS = (
    "Commando's: /onderwerpen (alle onderwerpen), /over (bronnen), /privacy, /help, /stop.\n"
    "Staan er genummerde vragen onder een antwoord? Typ het nummer om er een te kiezen."
)
GOODBYE = "Tot ziens!"
STOP = frozenset({"/stop", "/exit", "/quit", "exit", "quit"})

Record = Callable[[Interaction], Awaitable[None]]


def render(reply: Reply, state: State = START) -> str:
    """A reply as console text. What the user can pick by typing a number is numbered."""
    lines = [reply.title, reply.body] if reply.title else [reply.body]
    lines.extend(f"🔗 {link.title}: {link.url}" for link in reply.links)
    listed = [item.label for item in state.listed]
    if reply.choices:
        lines.extend(f"  {n}. {c.question}" for n, c in enumerate(reply.choices, 1))
    elif reply.topics:
        lines.extend(f"  {n}. {t.title}" for n, t in enumerate(reply.topics, 1))
    elif reply.related and [c.label for c in reply.related] == listed:
        lines.append("Meer weten?")
        lines.extend(f"  {n}. {c.question}" for n, c in enumerate(reply.related, 1))
    elif reply.related:
        # The answer lists points of its own: the numbers pick those.
        lines.append("Meer weten: " + " · ".join(c.question for c in reply.related))
    if points := points_shown(reply, state):
        lines.append(f"({messages.POINTS_HINT.format(count=points)})")
    if reply.contact:
        lines.append(reply.contact)
    return "\n".join(lines)


@dataclass
class ConsoleChat:
    """One console conversation; ``record`` keeps what was asked (as Telegram does)."""

    core: Core
    output: TextIO
    record: Record | None = None
    as_json: bool = False
    retention_days: int = 180
    state: State = START
    # The local user is admin: the admin views of the Telegram bot (None: not offered).
    admin: ConsoleAdmin | None = None

    def say(self, text: str) -> None:
        """Print a bot message, indented under a "bot>" label."""
        first, *rest = text.split("\n")
        print("bot> " + first, *("     " + line for line in rest), sep="\n", file=self.output)
        print(file=self.output, flush=True)

    def welcome(self) -> None:
        """Greet and offer example questions to pick by number."""
        knowledge = self.core.knowledge
        examples = messages.examples(knowledge)
        self.state = after(self.core, self.state, examples)
        self.say(messages.welcome() + "\n" + render(examples, self.state))
        print(COMMANDS + "\n", file=self.output, flush=True)

    async def handle(self, line: str) -> bool:
        """React to one line; False ends the conversation."""
        text = line.strip()
        command, _, argument = text.lower().partition(" ")
        if self.admin is not None and not self.as_json and command in ADMIN_COMMANDS:
            # (chat --json keeps the ask --json shape on every line: no admin views there.)
            shown, self.core = await self.admin.handle(command, argument.strip(), self.core)
            self.say(shown)
        elif command == "/onderwerpen":
            menu = topics_menu(self.core.knowledge)
            self.state = after(self.core, self.state, menu, text)
            self.show(menu)
        elif self.as_json:
            await self.answer(text)
        elif command in STOP:
            return False
        elif command in ("/help", "/start"):
            extra = f"\n{ADMIN_HELP}" if self.admin is not None else ""
            self.say(messages.help_text(COMMANDS) + extra)
        elif command == "/over":
            self.say(messages.about_text())
        elif command == "/privacy":
            self.say(messages.privacy_text(self.retention_days))
        elif command.startswith("/") and command[1:].isalpha():
            unknown = messages.UNKNOWN_COMMAND.format(command=command)
            self.say(f"{unknown}\n\n{messages.help_text(COMMANDS)}")
        elif text:
            await self.answer(text)
        return True

    async def answer(self, text: str) -> None:
        """Answer a message in the conversation and record it."""
        turn = converse(self.core, self.state, text)
        self.state = turn.state
        self.show(turn.reply)
        await self.remember(text, turn)

    def show(self, reply: Reply) -> None:
        """Write a reply: as text for people, as one JSON line for programs."""
        if self.as_json:
            print(json.dumps(reply.to_json(), ensure_ascii=False), file=self.output, flush=True)
        else:
            self.say(render(reply, self.state))

    async def remember(self, text: str, turn: Turn) -> None:
        """Record the interaction (chat type ``console``)."""
        if self.record is None or not text:
            return
        reply = turn.reply
        kind = PICK if turn.picked else QUESTION
        await self.record(
            Interaction("", "console", kind, text, reply.outcome, reply.entry_id, reply.score)
        )


async def run_chat(
    core: Core, config: Config, *, as_json: bool = False, read: Callable[[str], str] = input
) -> int:
    """The console conversation until /stop or the end of the input, recording to the
    database as the Telegram bot does. A database that cannot be opened only costs the
    recording (said once on stderr)."""
    recorder: Recorder | None = None
    database: Database | None = None
    user = ""
    try:
        pseudonyms = Pseudonyms(load_key(key_path(config.db_path)))
        database = await Database.open(config.db_path)
        recorder = Recorder(database)
        user = pseudonyms.of(f"console:{getpass.getuser()}")
    except (DatabaseError, KeyFileError, OSError) as exc:
        print(f"(Gesprek wordt niet bewaard: {exc})", file=sys.stderr)

    async def record(interaction: Interaction) -> None:
        if recorder is not None:
            recorder.submit(Batch(f"c{time.time_ns()}", (replace(interaction, user_key=user),)))
            await recorder.write_pending()

    admin = ConsoleAdmin(config.knowledge_dir, History(config.history_dir), database)
    chat = ConsoleChat(
        core,
        sys.stdout,
        record,
        as_json=as_json,
        retention_days=config.retention_days,
        admin=admin,
    )
    try:
        if not as_json:
            chat.welcome()
        while True:
            try:
                line = await asyncio.to_thread(read, "" if as_json else PROMPT)
            except (EOFError, KeyboardInterrupt):
                if not as_json:
                    print(file=sys.stdout)
                    chat.say(GOODBYE)
                return 0
            if not await chat.handle(line.rstrip("\r\n")):
                chat.say(GOODBYE)
                return 0
    finally:
        if database is not None:
            await database.close()


def read_stdin_line(prompt: str) -> str:
    """One line of standard input for ``chat --json`` (EOFError at the end)."""
    line = sys.stdin.readline()
    if not line:
        raise EOFError
    return line
