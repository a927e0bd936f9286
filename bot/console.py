"""A conversation in the terminal on the same core as the Telegram bot: answers, links, related
questions and numbered choices to pick from."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import TextIO

from bot import messages
from bot.core import Core
from bot.replies import TOPICS_INTRO, Reply

PROMPT = "jij> "
COMMANDS = (
    "Commando's: /onderwerpen (alle onderwerpen), /over (bronnen), /help, /stop.\n"
    "Staan er genummerde vragen onder een antwoord? Typ het nummer om er een te kiezen."
)
GOODBYE = "Tot ziens!"


@dataclass(frozen=True)
class Option:
    """Something the user can pick by number: an entry, or a topic to open."""

    label: str
    entry_id: str | None = None
    section: int | None = None


def render(reply: Reply) -> tuple[str, list[Option]]:
    """A reply as console text, with the options it numbers."""
    lines = [reply.body]
    options: list[Option] = []
    if reply.choices:
        options = [Option(c.question, entry_id=c.entry_id) for c in reply.choices]
    for link in reply.links:
        lines.append(f"🔗 {link.title}: {link.url}")
    if reply.related:
        options = [Option(c.question, entry_id=c.entry_id) for c in reply.related]
        lines.append("Meer weten?")
    lines.extend(f"  {n}. {option.label}" for n, option in enumerate(options, 1))
    if reply.topics:
        lines.append(_topics_block(reply.topics))
    if reply.contact:
        lines.append(reply.contact)
    return "\n".join(lines), options


def _topics_block(topics: tuple[str, ...]) -> str:
    """The topic list under a fallback, with how to open it here."""
    listed = "\n".join(f"  • {topic}" for topic in topics)
    return f"{TOPICS_INTRO}\n{listed}\nTyp /onderwerpen om ze te bekijken."


class ConsoleChat:
    """One console conversation; remembers the options it last numbered."""

    def __init__(self, core: Core, output: TextIO, read: Callable[[str], str] = input) -> None:
        self.core = core
        self.output = output
        self.read = read
        self.options: list[Option] = []

    def say(self, text: str) -> None:
        """Print a bot message, indented under a "bot>" label."""
        first, *rest = text.split("\n")
        print("bot> " + first, *("     " + line for line in rest), sep="\n", file=self.output)
        print(file=self.output, flush=True)

    def offer(self, text: str, options: list[Option]) -> None:
        """Print text followed by numbered options and remember them."""
        self.options = options
        numbered = "\n".join(f"  {n}. {o.label}" for n, o in enumerate(options, 1))
        self.say(f"{text}\n{numbered}" if options else text)

    def run(self) -> int:
        """Chat until /stop or end of input."""
        knowledge = self.core.knowledge
        examples = [Option(q, entry_id=eid) for eid, q in messages.example_questions(knowledge)]
        self.offer(messages.welcome(knowledge) + "\n(typ het nummer)", examples)
        print(COMMANDS + "\n", file=self.output, flush=True)
        while True:
            try:
                line = self.read(PROMPT)
            except (EOFError, KeyboardInterrupt):
                print(file=self.output)
                self.say(GOODBYE)
                return 0
            if not self.handle(line.strip()):
                self.say(GOODBYE)
                return 0

    def handle(self, line: str) -> bool:
        """React to one line; False ends the conversation."""
        command = line.lower()
        if command in ("/stop", "/exit", "/quit", "exit", "quit"):
            return False
        if command in ("/help", "/start"):
            self.say(messages.help_text(COMMANDS))
        elif command == "/onderwerpen":
            self.show_topics()
        elif command == "/over":
            self.say(messages.about_text())
        elif line.isdigit() and self.options:
            self.choose(int(line))
        elif line:
            self.show(self.core.ask(line))
        return True

    def show(self, reply: Reply) -> None:
        """Print a reply and remember what it numbered."""
        text, options = render(reply)
        self.options = options
        self.say(text)

    def show_topics(self) -> None:
        """Number the topics to open."""
        topics = self.core.knowledge.topics
        self.offer(
            "Kies een onderwerp:",
            [
                Option(s.title, section=i)
                for i, s in enumerate(self.core.knowledge.sections)
                if s in topics
            ],
        )

    def choose(self, number: int) -> None:
        """Follow the numbered option the user typed."""
        if not 1 <= number <= len(self.options):
            self.say(f"Kies een nummer van 1 tot {len(self.options)}, of typ een vraag.")
            return
        option = self.options[number - 1]
        if option.section is not None:
            section = self.core.knowledge.sections[option.section]
            by_id = self.core.knowledge.by_id
            self.offer(
                f"{section.title}: kies een vraag.",
                [Option(by_id[i].question, entry_id=i) for i in section.entry_ids],
            )
        elif option.entry_id is not None:
            reply = self.core.pick(option.entry_id)
            if reply is not None:
                self.show(reply)
