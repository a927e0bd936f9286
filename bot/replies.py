"""Replies built once, channel-agnostic: what to say, which links, what to offer next.

Adapters (console, command line, Telegram) only render a :class:`Reply`; they never decide
what it says.
"""

from dataclasses import dataclass
from typing import Literal

from bot.knowledge import Entry, Knowledge, Link
from bot.matching import Match, Outcome

CHOICES_INTRO = "Ik ben niet helemaal zeker wat je bedoelt. Bedoelde je een van deze vragen?"
CHOICE_INTRO = "Ik ben niet helemaal zeker wat je bedoelt. Bedoelde je deze vraag?"
# A question about the asker's own case, or for a number or a rule (bot.own_case): the concept
# is offered.
OWN_CASE_INTRO = (
    "Dat weet ik niet: je eigen situatie en de cijfers, regels en afspraken van je organisatie "
    "ken ik niet. Vraag het aan je leidinggevende of je leercoördinator. Wat ik er in het "
    "algemeen over weet:"
)
FALLBACK_INTRO = (
    "Sorry, daar heb ik (nog) geen antwoord op. Kies een onderwerp, of stel je vraag anders."
)
EMPTY_INTRO = "Typ gerust je vraag over werkplekleren, in je eigen woorden, of kies een onderwerp."
TOPICS_INTRO = "Onderwerpen:"

# What a list of entries or topics is: "Bedoelde je…?" (doubt), other entries to try (more),
# examples to try, a topic's questions, the topics, or a repeat after a number out of range.
Menu = Literal["", "doubt", "more", "examples", "topic", "topics", "range"]


@dataclass(frozen=True)
class Choice:
    """An entry offered to pick: its id, its question, and the short label buttons show."""

    entry_id: str
    question: str
    label: str

    @classmethod
    def of(cls, entry: Entry) -> "Choice":
        """The choice that offers an entry."""
        return cls(entry.id, entry.question, entry.short_label)


@dataclass(frozen=True)
class Topic:
    """A topic offered to open: its stable key and its title."""

    key: str
    title: str


@dataclass(frozen=True)
class Reply:
    """Everything a user is told in answer to one message."""

    outcome: Outcome
    question: str
    body: str
    entry_id: str | None = None
    score: float = 0.0
    # The question the answer answers (the entry's own question): shown first, so the user
    # always sees what the bot understood.
    title: str = ""
    links: tuple[Link, ...] = ()
    related: tuple[Choice, ...] = ()
    choices: tuple[Choice, ...] = ()
    topics: tuple[Topic, ...] = ()
    contact: str = ""
    # Small talk ("hallo", "merci") gets no votes and no share button.
    small_talk: bool = False
    menu: Menu = ""
    # The topic a "topic" menu shows.
    topic: str = ""

    @property
    def text(self) -> str:
        """The reply as plain text, as a user reads it (choices and topics spelled out)."""
        parts = [self.title, self.body] if self.title else [self.body]
        if self.choices:
            parts.append("\n".join(f"{n}. {c.question}" for n, c in enumerate(self.choices, 1)))
        if self.topics:
            parts.append(TOPICS_INTRO + " " + ", ".join(topic.title for topic in self.topics) + ".")
        if self.contact:
            parts.append(self.contact)
        return "\n\n".join(parts)

    def to_json(self) -> dict[str, object]:
        """The ``ask --json`` object (see the README)."""
        return {
            "question": self.question,
            "outcome": self.outcome,
            "entry": self.entry_id,
            "score": round(self.score, 2),
            "text": self.text,
            "links": [{"title": link.title, "url": link.url} for link in self.links],
            "choices": [{"entry": c.entry_id, "question": c.question} for c in self.choices],
            "related": [{"entry": c.entry_id, "question": c.question} for c in self.related],
        }


def answer_reply(knowledge: Knowledge, entry: Entry, question: str, score: float) -> Reply:
    """The answer of one entry, with its links and related questions."""
    related = tuple(Choice.of(knowledge.by_id[i]) for i in entry.related if i in knowledge.by_id)
    return Reply(
        "answer",
        question,
        entry.answer,
        entry.id,
        score,
        # Small talk is its own reply ("Hallo!" above "Hallo! Ik ben…" says it twice).
        title="" if entry.id in knowledge.small_talk_ids else entry.question,
        links=entry.links,
        related=related,
        small_talk=entry.id in knowledge.small_talk_ids,
    )


def topics_of(knowledge: Knowledge) -> tuple[Topic, ...]:
    """The topics users can open."""
    return tuple(Topic(section.key, section.title) for section in knowledge.topics)


def fallback_reply(knowledge: Knowledge, question: str, score: float = 0.0) -> Reply:
    """Honest "I don't know": one sentence, the topics once, and who to ask instead."""
    # "?", "...", "👍": nothing to answer, so no "Sorry, daar heb ik geen antwoord op".
    intro = FALLBACK_INTRO if any(c.isalnum() for c in question) else EMPTY_INTRO
    return Reply(
        "fallback",
        question,
        intro,
        None,
        score,
        topics=topics_of(knowledge),
        contact=knowledge.settings.contact,
    )


def choices_reply(
    knowledge: Knowledge,
    question: str,
    entry_ids: tuple[str, ...],
    score: float,
    menu: Menu = "doubt",
    intro: str = "",
    topic: str = "",
) -> Reply:
    """A few entries to pick from; "Bedoelde je…?" follows how many there are."""
    choices = tuple(Choice.of(knowledge.by_id[i]) for i in entry_ids if i in knowledge.by_id)
    intro = intro or (CHOICE_INTRO if len(choices) == 1 else CHOICES_INTRO)
    return Reply("choices", question, intro, None, score, choices=choices, menu=menu, topic=topic)


def build_reply(knowledge: Knowledge, match: Match, question: str) -> Reply:
    """Turn the matcher's decision into a reply."""
    if match.outcome == "answer" and match.entry_id is not None:
        return answer_reply(knowledge, knowledge.by_id[match.entry_id], question, match.score)
    # "Bedoelde je: Oké!?" helps no one: small talk answers or stays out.
    ids = tuple(c.entry_id for c in match.candidates if c.entry_id not in knowledge.small_talk_ids)
    if match.outcome == "choices" and ids:
        intro = OWN_CASE_INTRO if match.own_case else ""
        return choices_reply(knowledge, question, ids, match.score, intro=intro)
    return fallback_reply(knowledge, question, match.score)
