"""Read ``knowledge/*.yaml`` into :class:`~bot.knowledge.Knowledge`, reporting every problem as
``FILE:LINE: message`` with a hint an admin (not a programmer) can act on."""

import difflib
import re
import unicodedata
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit

from bot.knowledge import (
    DEFAULT_CONTACT,
    MAX_LABEL,
    Entry,
    EntryTest,
    Knowledge,
    Link,
    Location,
    Section,
    Settings,
)
from bot.text import knowledge_analyzer
from bot.yamlfile import Node, YamlError, parse

MAX_FILE_BYTES = 1_000_000
MAX_ID_LENGTH = 32
_ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")
_FILE_KEYS = (
    "section",
    "small_talk",
    "entries",
    "synonyms",
    "settings",
    "learned",
    "out_of_scope",
)
_LEARNED_KEYS = ("id", "alternates")
_ENTRY_KEYS = (
    "id",
    "question",
    "label",
    "alternates",
    "answer",
    "links",
    "section",
    "related",
    "tests",
)
_SETTING_KEYS = ("contact",)
# What an empty value means, said per field: "'answer' moet één tekst zijn" would send an admin
# looking for a colon that is not there.
_EMPTY = {
    "id": "de id is leeg: geef de vraag een korte naam, bijvoorbeeld 'id: wat-is-vto'.",
    "question": "de vraag is leeg: schrijf ze achter 'question:'.",
    "answer": (
        "het antwoord is leeg: schrijf het achter 'answer:', of zet 'answer: >-' en de tekst "
        "ingesprongen op de regels eronder."
    ),
    "label": (
        "het label is leeg: schrijf een korte knoptekst achter 'label:', of laat de regel weg."
    ),
    "section": "het onderwerp is leeg: schrijf het achter 'section:'.",
    "title": "de titel van de link is leeg: schrijf hem achter 'title:'.",
    "url": "het webadres is leeg: schrijf het achter 'url:' (https://...).",
    "contact": (
        "de contactzin is leeg: schrijf achter 'contact:' bij wie collega's terechtkunnen, of "
        "laat de regel weg."
    ),
}
# A host name label as DNS has it (an accented one is converted with the idna codec first).
_ASCII_LABEL = re.compile(r"^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$")
_SYNONYMS_FILE = "synoniemen.yaml"
_SETTINGS_FILE = "instellingen.yaml"

Severity = Literal["error", "warning"]


def counted(number: int, one: str, many: str) -> str:
    """``1 probleem``, ``2 problemen``: Dutch singular and plural."""
    return f"{number} {one if number == 1 else many}"


def listed(items: list[str]) -> str:
    """``a, b en c``."""
    return " en ".join(filter(None, (", ".join(items[:-1]), items[-1]))) if items else ""


@dataclass(frozen=True, order=True)
class Problem:
    """Something an admin has to fix, and where; a warning loads fine but is probably not what
    was meant."""

    file: str
    line: int
    message: str
    severity: Severity = "error"

    @property
    def is_warning(self) -> bool:
        return self.severity == "warning"

    def __str__(self) -> str:
        label = "waarschuwing: " if self.is_warning else ""
        # Line 0: about the knowledge (or a file) as a whole, no line to point at.
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: {label}{self.message}"


class KnowledgeError(Exception):
    """The knowledge directory has problems; nothing was loaded."""

    def __init__(self, problems: tuple[Problem, ...]) -> None:
        super().__init__("\n".join(map(str, problems)))
        self.problems = problems


# Beside the knowledge files, what is derived from them (the phrasings' embedding vectors,
# bot.semantic); hidden, so it is never read as knowledge.
CACHE_DIR = ".cache"


def knowledge_files(directory: Path) -> list[Path]:
    """The YAML files of a knowledge directory, in load order (hidden files are an editor's or
    the bot's own, not knowledge)."""
    return sorted(
        p
        for p in directory.iterdir()
        if p.suffix in (".yaml", ".yml") and not p.name.startswith(".") and p.is_file()
    )


def load_knowledge(directory: Path) -> Knowledge:
    """Load and validate a knowledge directory; raises :class:`KnowledgeError` on any problem
    (warnings do not count)."""
    knowledge, problems = check_knowledge(directory)
    if problems or knowledge is None:
        raise KnowledgeError(problems)
    return knowledge


def check_knowledge(directory: Path) -> tuple[Knowledge | None, tuple[Problem, ...]]:
    """Load a knowledge directory and list its problems (the knowledge is None if there are any).
    Warnings are left out: see :func:`inspect_knowledge`."""
    inspection = inspect_knowledge(directory)
    return inspection.knowledge, inspection.problems


@dataclass(frozen=True)
class Inspection:
    """A knowledge directory checked: the knowledge (None when there are problems), the
    problems that keep it from loading, and warnings that do not."""

    knowledge: Knowledge | None
    problems: tuple[Problem, ...]
    warnings: tuple[Problem, ...]


def inspect_knowledge(directory: Path) -> Inspection:
    """Load a knowledge directory and list its problems and its warnings apart."""
    if not directory.is_dir():
        problem = Problem(str(directory), 0, "deze map bestaat niet.")
        return Inspection(None, (problem,), ())
    reader = _Reader()
    for path in knowledge_files(directory):
        reader.read_file(path)
    return reader.finish(str(directory))


def _valid_host(host: str) -> bool:
    """A DNS name such as ``www.vdab.be``: labels of letters, digits and inner hyphens, a
    top-level domain of letters. Accented letters are allowed (internationalised names); an IP
    address is not, no FAQ links to one."""
    labels = host.split(".")
    if len(labels) < 2:
        return False
    for label in labels:
        label = unicodedata.normalize("NFC", label)
        ascii_form = label
        if not label.isascii():
            if not all(c.isalpha() or c == "-" or (c.isdigit() and c.isascii()) for c in label):
                return False
            try:
                ascii_form = label.encode("idna").decode("ascii")
            except UnicodeError:
                return False
        if len(ascii_form) > 63 or not _ASCII_LABEL.match(ascii_form):
            return False
    top = labels[-1]
    return (top.isalpha() and len(top) >= 2) or top.startswith("xn--")


@dataclass(frozen=True)
class _Learned:
    """Alternates for an entry written elsewhere (``learned:``, added by admins in Telegram)."""

    entry_id: str
    alternates: tuple[tuple[str, Location], ...]
    location: Location


@dataclass(frozen=True)
class _Phrasing:
    entry_id: str
    text: str
    location: Location


class _Reader:
    """Collects entries and problems over all files, then checks what spans files."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []
        self.warnings: list[Problem] = []
        self.entries: list[Entry] = []
        self.phrasings: list[_Phrasing] = []
        self.learned: list[_Learned] = []
        self.out_of_scope: list[tuple[str, Location]] = []
        self.related_lines: dict[str, int] = {}
        self.sections: dict[str, list[str]] = {}
        self.section_small_talk: dict[str, bool] = {}
        self.synonyms: dict[str, str] = {}
        self.settings = Settings()
        self.file = ""
        self.section_broken = False
        self.files: list[str] = []
        # With a file unreadable, its ids are unknown: references to them are not reported.
        self.unreadable = False
        # Files with nothing in them, and topic files without entries: an id other files refer
        # to most likely stood there, which the admin is told instead of only "no such id".
        self.blank_files: list[str] = []
        self.entryless_files: list[str] = []
        # Without synonyms or a contact line the bot still works, but worse: a warning, unless
        # a problem in those fields is reported already.
        self.synonyms_broken = False
        self.contact_given = False
        self.settings_broken = False

    def problem(self, line: int, message: str) -> None:
        self.problems.append(Problem(self.file, line, message))

    def warn(self, line: int, message: str, file: str | None = None) -> None:
        self.warnings.append(Problem(file or self.file, line, message, "warning"))

    # -- files --------------------------------------------------------------------------------

    def read_file(self, path: Path) -> None:
        self.file = str(path)
        self.files.append(self.file)
        try:
            data = path.read_bytes()
        except OSError as exc:
            self.problem(0, f"kan dit bestand niet lezen ({exc.strerror}).")
            self.unreadable = True
            return
        if len(data) > MAX_FILE_BYTES:
            self.problem(1, f"dit bestand is te groot (meer dan {MAX_FILE_BYTES // 1000} kB).")
            return
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            line = data[: exc.start].count(b"\n") + 1
            self.problem(line, "dit is geen leesbare tekst (UTF-8). Sla het bestand op als UTF-8.")
            self.unreadable = True
            return
        try:
            root = parse(text)
        except YamlError as exc:
            self.problem(exc.line, exc.message)
            self.unreadable = True
            return
        if root is None:
            self.blank_files.append(self.file)
            return
        if not isinstance(root.value, dict):
            self.problem(
                root.line,
                "een kennisbestand begint met velden zoals 'section:' en "
                "'entries:', niet met een lijst of losse tekst.",
            )
            return
        self._unknown_keys(root, _FILE_KEYS)
        fields = root.value
        section = self._text(fields.get("section"), "section") if "section" in fields else None
        # A broken 'section:' is reported once, not again for every entry it leaves without one.
        self.section_broken = "section" in fields and section is None
        small_talk = False
        if "small_talk" in fields:
            flag = fields["small_talk"]
            if isinstance(flag.value, bool):
                small_talk = flag.value
            else:
                self.problem(flag.line, "'small_talk' moet true of false zijn.")
        if "entries" in fields:
            self._entries(fields["entries"], section, small_talk)
        elif "section" in fields or "small_talk" in fields:
            self.entryless_files.append(self.file)
            self.warn(
                root.key_line("section" if "section" in fields else "small_talk"),
                "dit onderwerp heeft geen vragen: 'entries:' ontbreekt. Zet de vragen terug, of "
                "verwijder het bestand als dit onderwerp weg mag.",
            )
        if "synonyms" in fields:
            self._synonyms(fields["synonyms"])
        if "settings" in fields:
            self._settings(fields["settings"])
        if "learned" in fields:
            self._learned(fields["learned"])
        if "out_of_scope" in fields:
            for text, line in self._texts_with_lines(fields["out_of_scope"], "out_of_scope"):
                self.out_of_scope.append((text, Location(self.file, line)))

    def _entries(self, node: Node, section: str | None, small_talk: bool) -> None:
        if node.value is None or node.value == []:
            self.entryless_files.append(self.file)
            message = (
                "onder 'entries:' staan geen vragen. Zet ze terug (elke vraag begint met "
                "'- id: ...'), of verwijder het bestand als dit onderwerp weg mag."
            )
            # 'entries: []' is written on purpose; 'entries:' with nothing under it lost them.
            if node.value is None:
                self.problem(node.line, message)
            else:
                self.warn(node.line, message)
            return
        if not isinstance(node.value, list):
            self.problem(
                node.line, "'entries' moet een lijst zijn: elke vraag begint met '- id: ...'."
            )
            return
        for item in node.value:
            if item.value is None:
                self.problem(item.line, "hier staat een '-' zonder vraag. Verwijder de regel.")
                continue
            if not isinstance(item.value, dict):
                self.problem(
                    item.line,
                    "elke vraag is een blok met velden (id, question, "
                    "alternates, answer, links), geen losse tekst.",
                )
                continue
            self._entry(item, section, small_talk)

    def _entry(self, node: Node, file_section: str | None, small_talk: bool) -> None:
        assert isinstance(node.value, dict)
        fields = node.value
        self._unknown_keys(node, _ENTRY_KEYS)
        missing = [key for key in ("id", "question", "answer") if key not in fields]
        if missing:
            self.problem(
                node.line, f"deze vraag mist het veld {', '.join(repr(m) for m in missing)}."
            )
        entry_id = self._text(fields.get("id"), "id")
        if entry_id is not None and not self._valid_id(fields["id"], entry_id):
            entry_id = None
        question = self._text(fields.get("question"), "question")
        label = self._label(fields.get("label"))
        answer = self._text(fields.get("answer"), "answer", collapse=False)
        alternate_lines = self._texts_with_lines(fields.get("alternates"), "alternates")
        alternates = tuple(text for text, _ in alternate_lines)
        related = self._texts(fields.get("related"), "related")
        tests = self._tests(fields.get("tests"))
        links = self._links(fields.get("links"))
        section = (
            self._text(fields.get("section"), "section") if "section" in fields else file_section
        )
        if section is None and not (self.section_broken and "section" not in fields):
            self.problem(
                node.line,
                "deze vraag hoort bij geen onderwerp: zet bovenaan het bestand "
                "'section: ...' of geef de vraag een eigen 'section'.",
            )
        if None in (entry_id, question, answer, section):
            return
        assert entry_id and question and answer and section
        location = Location(self.file, node.line)
        lines = (fields["question"].line, *(line for _, line in alternate_lines))
        locations = tuple(Location(self.file, line) for line in lines)
        entry = Entry(
            entry_id,
            question,
            alternates,
            answer,
            links,
            section,
            related,
            location,
            tests,
            locations,
            label or "",
        )
        self.entries.append(entry)
        self.sections.setdefault(section, []).append(entry_id)
        self.section_small_talk.setdefault(section, small_talk)
        if related:
            self.related_lines[entry_id] = fields["related"].line
        for text, where in zip(entry.phrasings, locations, strict=True):
            self.phrasings.append(_Phrasing(entry_id, text, where))

    def _learned(self, node: Node) -> None:
        if node.value is None:
            return
        if not isinstance(node.value, list):
            self.problem(
                node.line,
                "'learned' moet een lijst zijn: elk blok begint met '- id: ...' en heeft "
                "'alternates:'.",
            )
            return
        for item in node.value:
            if not isinstance(item.value, dict):
                self.problem(item.line, "elk blok onder 'learned' heeft 'id:' en 'alternates:'.")
                continue
            self._unknown_keys(item, _LEARNED_KEYS)
            if "id" not in item.value:
                self.problem(item.line, "dit blok mist 'id:': bij welke vraag horen deze?")
                continue
            entry_id = self._text(item.value["id"], "id")
            texts = self._texts_with_lines(item.value.get("alternates"), "alternates")
            if entry_id is not None:
                alternates = tuple((text, Location(self.file, line)) for text, line in texts)
                where = Location(self.file, item.value["id"].line)
                self.learned.append(_Learned(entry_id, alternates, where))

    def _label(self, node: Node | None) -> str | None:
        label = self._text(node, "label")
        if node is not None and label is not None and len(label) > MAX_LABEL:
            self.problem(
                node.line,
                f"het label '{label}' is te lang ({len(label)} tekens, maximaal {MAX_LABEL}): "
                "op een gsm wordt een langere knop afgeknipt. Kies een kortere.",
            )
            return None
        return label

    def _valid_id(self, node: Node, entry_id: str) -> bool:
        if len(entry_id) > MAX_ID_LENGTH:
            self.problem(
                node.line,
                f"de id '{entry_id}' is te lang ({len(entry_id)} tekens, "
                f"maximaal {MAX_ID_LENGTH}). Kies een kortere.",
            )
            return False
        if not _ID.match(entry_id):
            self.problem(
                node.line,
                f"de id '{entry_id}' mag alleen kleine letters, cijfers en "
                "streepjes bevatten, bijvoorbeeld 'wat-is-vto'.",
            )
            return False
        return True

    def _links(self, node: Node | None) -> tuple[Link, ...]:
        links: list[Link] = []
        if node is None:
            return ()
        if not isinstance(node.value, list):
            self.problem(node.line, "'links' moet een lijst zijn van '- title: ...' en 'url: ...'.")
            return ()
        for item in node.value:
            if not isinstance(item.value, dict):
                self.problem(item.line, "een link heeft twee velden: 'title:' en 'url:'.")
                continue
            self._unknown_keys(item, ("title", "url"))
            title = self._text(item.value.get("title"), "title")
            url = self._text(item.value.get("url"), "url")
            if title is None or url is None:
                if "title" not in item.value or "url" not in item.value:
                    self.problem(item.line, "een link heeft zowel 'title:' als 'url:' nodig.")
                continue
            if self._valid_url(item.value["url"].line, url):
                links.append(Link(title, url))
        return tuple(links)

    def _valid_url(self, line: int, url: str) -> bool:
        try:
            parts = urlsplit(url)
            _ = parts.port  # a port that is no number raises ValueError
        except ValueError:  # "https://[..." and the like
            self.problem(line, f"de link '{url}' is geen geldig webadres.")
            return False
        if parts.scheme != "https":
            self.problem(line, f"de link '{url}' moet beginnen met https://.")
            return False
        host = parts.hostname or ""
        if any(c.isspace() for c in url) or "." not in host:
            self.problem(line, f"de link '{url}' is geen geldig webadres.")
            return False
        if not _valid_host(host):
            self.problem(
                line,
                f"de link '{url}' is geen geldig webadres: '{host}' is geen domeinnaam. Die "
                "bestaat uit letters, cijfers, streepjes en punten, zoals www.vdab.be: staat er "
                "een komma of ander teken in?",
            )
            return False
        return True

    def _synonyms(self, node: Node) -> None:
        if node.value is None:
            return  # 'synonyms:' with nothing under it: warned about as no synonyms at all
        if not isinstance(node.value, dict):
            self.synonyms_broken = True
            self.problem(
                node.line, "'synonyms' moet een lijst zijn van regels 'woord: vervanging'."
            )
            return
        for key, value in node.value.items():
            replacement = "" if value.value is None else value.value
            if not isinstance(replacement, str):
                self.problem(
                    value.line,
                    f"de vervanging van '{key}' moet tekst zijn; zet ze tussen aanhalingstekens.",
                )
                continue
            self.synonyms[key] = replacement

    def _settings(self, node: Node) -> None:
        if node.value is None:
            return  # 'settings:' with nothing under it: warned about as no contact line
        if not isinstance(node.value, dict):
            self.settings_broken = True
            self.problem(node.line, "'settings' moet velden bevatten, zoals 'contact: ...'.")
            return
        self._unknown_keys(node, _SETTING_KEYS)
        self.contact_given = self.contact_given or "contact" in node.value
        contact = self._text(node.value.get("contact"), "contact", collapse=False)
        if contact is not None:
            self.settings = Settings(contact=contact)

    # -- fields -------------------------------------------------------------------------------

    def _unknown_keys(self, node: Node, allowed: tuple[str, ...]) -> None:
        assert isinstance(node.value, dict)
        for key in node.value:
            if key not in allowed:
                close = difflib.get_close_matches(key, allowed, n=1)
                hint = (
                    f" Bedoel je '{close[0]}'?" if close else f" Toegelaten: {', '.join(allowed)}."
                )
                self.problem(node.key_line(key), f"onbekend veld '{key}'.{hint}")

    def _text(
        self, node: Node | None, name: str, *, collapse: bool = True, item: bool = False
    ) -> str | None:
        """The text of a field (``item``: of a list item of the field ``name``), or None when it
        has a problem, which is reported."""
        if node is None:
            return None
        value = node.value
        if node.cut_by_comment and (value is None or value == ""):
            self.problem(node.line, self._cut_message(name))
            return None
        if value is None or (isinstance(value, str) and not value.strip()):
            self.problem(node.line, self._empty_message(name, item))
            return None
        if isinstance(value, bool | int | float):
            self.problem(
                node.line,
                f"'{name}' moet tekst zijn, maar YAML leest hier een getal of "
                "ja/nee. Zet de tekst tussen aanhalingstekens.",
            )
            return None
        if not isinstance(value, str):
            self.problem(
                node.line,
                f"'{name}' moet één tekst zijn. Staat er een dubbele punt (:) in, of begint de "
                "tekst met '? ' of '- '? Zet de tekst dan tussen aanhalingstekens.",
            )
            return None
        if node.cut_by_comment:
            self.problem(node.line, self._cut_message(name))
        return " ".join(value.split()) if collapse else value.strip()

    @staticmethod
    def _cut_message(name: str) -> str:
        return (
            f"in '{name}' staat ' #': YAML negeert alles daarna als "
            "commentaar. Zet de hele tekst tussen aanhalingstekens."
        )

    @staticmethod
    def _empty_message(name: str, item: bool) -> str:
        if item:
            return (
                f"in '{name}' staat een leeg item ('-' zonder tekst). Vul het aan, of verwijder "
                "de regel."
            )
        return _EMPTY.get(name, f"'{name}' is leeg. Vul het aan, of verwijder de regel.")

    def _texts(self, node: Node | None, name: str) -> tuple[str, ...]:
        return tuple(text for text, _ in self._texts_with_lines(node, name))

    def _tests(self, node: Node | None) -> tuple[EntryTest, ...]:
        if node is None or node.value is None:
            return ()
        if not isinstance(node.value, list):
            self.problem(
                node.line,
                "'tests' moet een lijst zijn van vragen ('- ...') en "
                "vragen die niet mogen passen ('- not: ...').",
            )
            return ()
        tests = []
        for item in node.value:
            must_match = True
            if isinstance(item.value, dict) and list(item.value) == ["not"]:
                item, must_match = item.value["not"], False
            question = self._text(item, "tests", item=True)
            if question is not None:
                tests.append(EntryTest(question, must_match, item.line))
        return tuple(tests)

    def _texts_with_lines(self, node: Node | None, name: str) -> tuple[tuple[str, int], ...]:
        if node is None or node.value is None:
            return ()
        if not isinstance(node.value, list):
            self.problem(
                node.line,
                f"'{name}' moet een lijst zijn: elk item op een eigen regel "
                "die begint met '- ', of tussen [ ] gescheiden door komma's.",
            )
            return ()
        texts = ((self._text(item, name, item=True), item.line) for item in node.value)
        return tuple((text, line) for text, line in texts if text is not None)

    # -- across files -------------------------------------------------------------------------

    def finish(self, directory: str) -> Inspection:
        self.file = directory
        if not self.entries and not self.problems:
            self.problem(
                0,
                "geen enkele vraag gevonden. Zet je vragen in .yaml-bestanden in deze "
                "map, onder 'entries:'.",
            )
        self._warn_missing(directory)
        self._add_learned()
        self._check_ids()
        self._check_phrasings()
        warnings = tuple(sorted(set(self.warnings)))
        if self.problems:
            return Inspection(None, tuple(sorted(set(self.problems))), warnings)
        sections = tuple(
            Section(title, tuple(ids), self.section_small_talk[title])
            for title, ids in self.sections.items()
        )
        knowledge = Knowledge(
            tuple(self.entries),
            sections,
            self.synonyms,
            self.settings,
            tuple(dict.fromkeys(text for text, _ in self.out_of_scope)),
        )
        return Inspection(knowledge, (), warnings)

    def _warn_missing(self, directory: str) -> None:
        """Warn about empty files, and about a knowledge without synonyms or contact line: it
        loads, but answers worse than the admin expects."""
        blank = list(self.blank_files)
        if self.entries and not self.synonyms and not self.synonyms_broken:
            self._warn_about(
                directory,
                blank,
                _SYNONYMS_FILE,
                "er zijn dus geen synoniemen",
                "er zijn geen synoniemen (nergens 'synonyms:' met regels 'woord: vervanging')",
                "De bot begrijpt dan spreektaal en Vlaamse woorden niet meer, zoals 'ge', 'da' "
                f"of 'wa'. Zet ze terug in {_SYNONYMS_FILE}, onder 'synonyms:'.",
            )
        if self.entries and not self.contact_given and not self.settings_broken:
            self._warn_about(
                directory,
                blank,
                _SETTINGS_FILE,
                "er is dus geen contactzin",
                "er is geen contactzin (nergens 'settings:' met 'contact:')",
                f"Weet de bot iets niet, dan gebruikt hij de standaardzin ('{DEFAULT_CONTACT}'). "
                f"Zet jullie eigen contactpersoon in {_SETTINGS_FILE}, onder 'settings:' bij "
                "'contact:'.",
            )
        for file in blank:
            self.warn(
                1,
                "dit bestand is leeg (of heeft alleen commentaar). Zet de inhoud terug, of "
                "verwijder het bestand als het weg mag.",
                file,
            )

    def _warn_about(
        self, directory: str, blank: list[str], name: str, when_blank: str, missing: str, then: str
    ) -> None:
        """One warning for something missing, on the file it belongs in when there is one (an
        empty one is then not warned about a second time)."""
        file = next((f for f in self.files if Path(f).name == name), None)
        if file is None:
            self.warn(0, f"{missing}. {then}", directory)
        elif file in blank:
            blank.remove(file)
            self.warn(1, f"dit bestand is leeg: {when_blank}. {then}", file)
        else:
            self.warn(1, f"{missing}. {then}", file)

    def _missing_hint(self, entry_id: str, known: list[str]) -> str:
        """Why an id may be missing: a file that was emptied, or a typo."""
        emptied = [
            Path(f).name
            for f in self.blank_files + self.entryless_files
            if Path(f).name not in (_SYNONYMS_FILE, _SETTINGS_FILE)
        ]
        hint = ""
        if len(emptied) == 1:
            hint = f" (misschien stond ze in het lege bestand {emptied[0]}?)"
        elif emptied:
            hint = f" (misschien stond ze in een van de lege bestanden {listed(emptied)}?)"
        # Next to an emptied file, only a near-identical id is worth suggesting.
        cutoff = 0.8 if emptied else 0.6
        close = difflib.get_close_matches(entry_id, known, n=1, cutoff=cutoff)
        return hint + "." + (f" Bedoel je '{close[0]}'?" if close else "")

    def _add_learned(self) -> None:
        """Give each entry the alternates learned for it elsewhere."""
        index = {entry.id: n for n, entry in enumerate(self.entries)}
        for learned in self.learned:
            n = index.get(learned.entry_id)
            if n is None:
                if not self.unreadable:
                    hint = self._missing_hint(learned.entry_id, list(index))
                    self.problems.append(
                        Problem(
                            learned.location.file,
                            learned.location.line,
                            f"'learned' verwijst naar '{learned.entry_id}', maar die id bestaat "
                            f"niet{hint}",
                        )
                    )
                continue
            entry = self.entries[n]
            texts = tuple(text for text, _ in learned.alternates)
            self.entries[n] = replace(
                entry,
                alternates=entry.alternates + texts,
                phrasing_locations=entry.phrasing_locations
                + tuple(where for _, where in learned.alternates),
            )
            for text, where in learned.alternates:
                self.phrasings.append(_Phrasing(entry.id, text, where))

    def _check_ids(self) -> None:
        first: dict[str, Entry] = {}
        for entry in self.entries:
            if entry.id in first:
                self.problems.append(
                    Problem(
                        entry.location.file,
                        entry.location.line,
                        f"de id '{entry.id}' bestaat al ({first[entry.id].location}). Elke vraag "
                        "heeft een eigen id nodig.",
                    )
                )
            else:
                first[entry.id] = entry
        # A missing id is one problem, at its first reference: ten entries pointing to a
        # question that is gone (an emptied file) are one thing to fix, not ten.
        missing: dict[str, list[Location]] = {}
        for entry in self.entries:
            line = self.related_lines.get(entry.id, entry.location.line)
            for related_id in entry.related:
                if related_id == entry.id:
                    self.problems.append(
                        Problem(
                            entry.location.file,
                            line,
                            f"'related' verwijst naar de vraag zelf ('{related_id}').",
                        )
                    )
                elif related_id not in first and not self.unreadable:
                    missing.setdefault(related_id, []).append(Location(entry.location.file, line))
        for related_id, places in missing.items():
            hint = self._missing_hint(related_id, list(first))
            also = listed([f"{Path(p.file).name}:{p.line}" for p in places[1:]])
            self.problems.append(
                Problem(
                    places[0].file,
                    places[0].line,
                    f"'related' verwijst naar '{related_id}', maar die id bestaat niet{hint}"
                    + (f" Ook in {also}." if also else ""),
                )
            )

    def _check_phrasings(self) -> None:
        analyzer = knowledge_analyzer(self.synonyms, self.entries)
        seen: dict[str, _Phrasing] = {}
        for phrasing in self.phrasings:
            forms = analyzer.forms(phrasing.text)
            where = phrasing.location
            if not forms:
                self.problems.append(
                    Problem(
                        where.file,
                        where.line,
                        f"'{phrasing.text}' bevat geen woorden om op te zoeken (alleen woorden als "
                        "'de', 'het', 'wat'). Maak de vraag specifieker.",
                    )
                )
                continue
            others = [seen.setdefault(form, phrasing) for form in forms]
            other = next((o for o in others if o is not phrasing), phrasing)
            if other is not phrasing and other.entry_id != phrasing.entry_id:
                self.problems.append(
                    Problem(
                        where.file,
                        where.line,
                        f"'{phrasing.text}' is (na normalisatie) dezelfde vraag als "
                        f"'{other.text}' bij "
                        f"'{other.entry_id}' ({other.location}). Houd ze bij één vraag.",
                    )
                )
        for text, where in self.out_of_scope:
            forms = analyzer.forms(text)
            same = next((seen[f] for f in forms if f in seen), None)
            if not forms:
                message = (
                    f"'{text}' (bij de vragen buiten bereik) bevat geen woorden om op te zoeken. "
                    "Schrijf de vraag voluit of haal ze weg."
                )
            elif same is not None:
                message = (
                    f"'{text}' staat bij de vragen buiten bereik (out_of_scope), maar is "
                    f"dezelfde vraag als '{same.text}' bij '{same.entry_id}' ({same.location}), "
                    "als je hoofdletters, leestekens en kleine woorden weglaat. Haal ze op één "
                    "van beide plaatsen weg."
                )
            else:
                continue
            self.problems.append(Problem(where.file, where.line, message))
