"""Replies built once, channel-agnostic: what to say, which links, what to offer next.

Adapters (console, command line, Telegram) only render a :class:`Reply`; they never decide
what it says.
"""

from dataclasses import dataclass

from bot.knowledge import Entry, Knowledge, Link
from bot.matching import Match, Outcome

CHOICES_INTRO = "Ik ben niet helemaal zeker wat je bedoelt. Bedoelde je een van deze vragen?"
FALLBACK_INTRO = "Sorry, daar heb ik (nog) geen antwoord op."
EMPTY_INTRO = "Typ gerust je vraag over werkplekleren, in je eigen woorden."
TOPICS_INTRO = "Ik weet wel iets over deze onderwerpen:"


@dataclass(frozen=True)
class Choice:
    """An entry offered to pick: its id and the question shown for it."""

    entry_id: str
    question: str


@dataclass(frozen=True)
class Reply:
    """Everything a user is told in answer to one message."""

    outcome: Outcome
    question: str
    body: str
    entry_id: str | None = None
    score: float = 0.0
    links: tuple[Link, ...] = ()
    related: tuple[Choice, ...] = ()
    choices: tuple[Choice, ...] = ()
    topics: tuple[str, ...] = ()
    contact: str = ""

    @property
    def text(self) -> str:
        """The reply as plain text, as a user reads it (choices and topics spelled out)."""
        parts = [self.body]
        if self.choices:
            parts.append("\n".join(f"{n}. {c.question}" for n, c in enumerate(self.choices, 1)))
        if self.topics:
            parts.append(TOPICS_INTRO + "\n" + "\n".join(f"• {topic}" for topic in self.topics))
        if self.contact:
            parts.append(self.contact)
        return "\n\n".join(parts)

    def to_json(self) -> dict[str, object]:
        """The contract's ``ask --json`` object."""
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
    related = tuple(
        Choice(rid, knowledge.by_id[rid].question)
        for rid in entry.related
        if rid in knowledge.by_id
    )
    return Reply("answer", question, entry.answer, entry.id, score, entry.links, related)


def fallback_reply(knowledge: Knowledge, question: str, score: float = 0.0) -> Reply:
    """Honest "I don't know", what the bot does know, and who to ask instead."""
    intro = FALLBACK_INTRO if question.strip() else EMPTY_INTRO
    topics = tuple(section.title for section in knowledge.topics)
    return Reply(
        "fallback", question, intro, None, score, topics=topics, contact=knowledge.settings.contact
    )


def build_reply(knowledge: Knowledge, match: Match, question: str) -> Reply:
    """Turn the matcher's decision into a reply."""
    if match.outcome == "answer" and match.entry_id is not None:
        return answer_reply(knowledge, knowledge.by_id[match.entry_id], question, match.score)
    if match.outcome == "choices":
        choices = tuple(
            Choice(c.entry_id, knowledge.by_id[c.entry_id].question) for c in match.candidates
        )
        return Reply("choices", question, CHOICES_INTRO, None, match.score, choices=choices)
    return fallback_reply(knowledge, question, match.score)
