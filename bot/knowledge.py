"""The knowledge as immutable values: entries, sections, synonyms and settings."""

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from types import MappingProxyType

# A button label: what fits on a phone without being cut (Telegram cuts at about 40).
MAX_LABEL = 32
DEFAULT_CONTACT = (
    "Vind je niet wat je zoekt? Neem dan contact op met de leercoördinator van je organisatie."
)


@dataclass(frozen=True)
class Location:
    """Where something was written: a knowledge file and a 1-based line."""

    file: str
    line: int

    def __str__(self) -> str:
        return f"{self.file}:{self.line}"


@dataclass(frozen=True)
class Link:
    """A resource shown with an answer."""

    title: str
    url: str


@dataclass(frozen=True)
class EntryTest:
    """A question that must (or, with ``not:``, must not) be answered by its entry."""

    question: str
    must_match: bool = True
    line: int = field(default=0, compare=False)


@dataclass(frozen=True)
class Entry:
    """One question-and-answer of the FAQ. Where it was written does not count for equality:
    moving an entry within its file is no change."""

    id: str
    question: str
    alternates: tuple[str, ...]
    answer: str
    links: tuple[Link, ...]
    section: str
    related: tuple[str, ...] = ()
    location: Location = field(default=Location("", 0), compare=False)
    tests: tuple[EntryTest, ...] = ()
    # Where the question and each alternate were written, in the order of ``phrasings``
    # (alternates an admin added from Telegram live in a file of their own).
    phrasing_locations: tuple[Location, ...] = field(default=(), compare=False)
    # What buttons show; empty: derived from the question (see ``short_label``).
    label: str = ""

    @property
    def phrasings(self) -> tuple[str, ...]:
        """The canonical question followed by its alternates."""
        return (self.question, *self.alternates)

    @property
    def short_label(self) -> str:
        """The label for buttons: the admin's ``label``, else the question if it fits, else the
        question cut at a word with an ellipsis."""
        return self.label or shorten(self.question, MAX_LABEL)


def shorten(text: str, limit: int) -> str:
    """``text`` if it fits in ``limit`` characters, else cut at a word boundary with "…"."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0] if " " in text[: limit - 1] else text[: limit - 1]
    return cut.rstrip(" ,;:–-") + "…"


def slug(text: str) -> str:
    """Lower-case ASCII letters and digits joined by dashes: a stable key for a title."""
    folded = unicodedata.normalize("NFKD", text.casefold())
    ascii_only = "".join(c for c in folded if not unicodedata.combining(c))
    return "-".join(re.findall(r"[a-z0-9]+", ascii_only))


@dataclass(frozen=True)
class Section:
    """A topic: a title and the ids of its entries, in file order.

    Small talk (greetings, thanks) is no topic: it is not listed to users, and it only answers
    a message that is nothing but small talk.
    """

    title: str
    entry_ids: tuple[str, ...]
    small_talk: bool = False

    @property
    def key(self) -> str:
        """A stable key (from the title) for buttons and links: a reload that adds or moves
        topics does not change it."""
        return slug(self.title)[:48] or "onderwerp"


@dataclass(frozen=True)
class Settings:
    """What admins configure next to the FAQ."""

    contact: str = DEFAULT_CONTACT


@dataclass(frozen=True)
class Knowledge:
    """Everything the bot knows, loaded and validated."""

    entries: tuple[Entry, ...]
    sections: tuple[Section, ...]
    synonyms: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    settings: Settings = Settings()
    # Questions the bot must not answer ("Wanneer wordt mijn loon gestort?"): the semantic part
    # learns from them what lies outside the FAQ, and asked as written they fall back.
    out_of_scope: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "synonyms", MappingProxyType(dict(self.synonyms)))

    @cached_property
    def by_id(self) -> Mapping[str, Entry]:
        """Entries by id."""
        return MappingProxyType({entry.id: entry for entry in self.entries})

    @property
    def topics(self) -> tuple[Section, ...]:
        """The sections shown to users as topics (small talk left out)."""
        return tuple(section for section in self.sections if not section.small_talk)

    @cached_property
    def topic_by_key(self) -> Mapping[str, Section]:
        """Topics by their stable key."""
        return MappingProxyType({section.key: section for section in self.topics})

    @cached_property
    def section_of(self) -> Mapping[str, Section]:
        """The section of each entry, by entry id."""
        return MappingProxyType(
            {i: section for section in self.sections for i in section.entry_ids}
        )

    @cached_property
    def small_talk_ids(self) -> frozenset[str]:
        """Ids of the entries in small-talk sections."""
        return frozenset(i for s in self.sections if s.small_talk for i in s.entry_ids)

    def to_json(self) -> dict[str, object]:
        """The export shape of the contract."""
        return {
            "entries": [
                {
                    "id": entry.id,
                    "question": entry.question,
                    "label": entry.short_label,
                    "alternates": list(entry.alternates),
                    "answer": entry.answer,
                    "links": [{"title": link.title, "url": link.url} for link in entry.links],
                    "section": entry.section,
                    "related": list(entry.related),
                }
                for entry in self.entries
            ],
            "out_of_scope": list(self.out_of_scope),
        }
