"""Changing the knowledge from the bot: a proposed set of files is checked exactly like
``werkplekbot validate --strict`` against a copy, shown as what changes, and only then written
over the knowledge directory, with the version before it kept (:mod:`bot.history`).

Channel-agnostic: Telegram and the console show a :class:`Proposal` and apply it."""

import logging
import os
import re
import shutil
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TypeVar

import yaml

from bot.core import Core
from bot.differences import Difference, difference, listed_first
from bot.history import History, Version
from bot.knowledge import Knowledge
from bot.lint import OUTCOME_WORDS, check_strictly
from bot.loading import CACHE_DIR, Problem
from bot.snapshots import Files, digest, read_snapshot, why_not_writable, write_snapshot
from bot.text import fold
from bot.yamlfile import Node, YamlError, parse, plain

log = logging.getLogger(__name__)
T = TypeVar("T")

# Where admin-added phrasings go: a file of their own, so the hand-written files stay as written.
LEARNED_FILE = "geleerd.yaml"
LEARNED_HEADER = (
    "# Formuleringen die beheerders via de bot toevoegden (➕ in /onbeantwoord).\n"
    "# Elk blok voegt alternates toe aan de vraag met die id. Je mag dit bestand bewerken\n"
    "# zoals de andere.\n"
    "learned:\n"
)


# Problems, names and tests shown in a preview; the rest is counted.
SHOWN = 8


class ChangeRefused(Exception):
    """A change that cannot be applied now; the message says why, in Dutch."""


# How a preview names a problem of the knowledge as a whole (not of one file).
WHOLE = "de kennis"


@dataclass(frozen=True)
class TestResult:
    """One of the entries' own ``tests:`` on the new knowledge."""

    label: str
    question: str
    must_match: bool
    passed: bool
    got: str


@dataclass(frozen=True)
class Proposal:
    """A checked change: the whole new set of files, what it changes, and its problems. Only a
    proposal without problems, made from the files that are there now, can be applied."""

    files: Files
    base: str  # digest of the files it was made from
    title: str  # what the admin did, e.g. "bestand 50-mentoren.yaml"
    difference: Difference = field(default_factory=Difference)
    problems: tuple[Problem, ...] = ()
    tests: tuple[TestResult, ...] = ()
    # What loads but is probably not meant (shown, not blocking).
    warnings: tuple[Problem, ...] = ()
    # What the admin should know before applying, shown under the title.
    notes: tuple[str, ...] = ()
    # The files the change writes: their problems come first (the others are knock-on).
    touched: frozenset[str] = frozenset()

    @property
    def applicable(self) -> bool:
        """No problems, and something changes."""
        return not self.problems and bool(self.difference)

    def summary(self) -> str:
        """What the history keeps as "what changed"."""
        return f"{self.title}: {self.difference.summary()}"

    def describe(self) -> str:
        """The preview an admin reads before applying (plain Dutch text, first line a title):
        what changes and what the entries' tests give, or what to fix."""
        if self.problems:
            return "\n".join(
                [
                    f"Niet toegepast: {self.title}",
                    "Er verandert niets. Verbeter dit:",
                    *_shown(self.problems + self.warnings, self.touched),
                ]
            )
        if not self.difference:
            return f"{self.title}\nDit verandert niets aan de kennis."
        lines = [f"Voorstel: {self.title}", *self.notes]
        change = self.difference
        changed = tuple(
            f"“{label}” ({detail})" if detail else f"“{label}”"
            for label, detail in zip(change.changed, change.details, strict=True)
        )
        for word, items in (
            ("Nieuw", tuple(f"“{label}”" for label in change.added)),
            ("Gewijzigd", changed),
            ("Verwijderd", tuple(f"“{label}”" for label in change.removed)),
        ):
            if items:
                lines.append(f"{word}: " + listed_first(items, SHOWN))
        for word, added, removed in change.counts():
            lines.append(f"{word.capitalize()}: {added} erbij, {removed} weg.")
        if change.settings:
            lines.append("Instellingen gewijzigd (bv. de contactzin).")
        if self.tests:
            passed = sum(t.passed for t in self.tests)
            lines.append(f"Tests van de vragen: {passed} van {len(self.tests)} slagen.")
            touched = set(change.added + change.changed)
            for test in [t for t in self.tests if t.label in touched][:SHOWN]:
                kind = "" if test.must_match else "niet: "
                lines.append(f"  ✓ {kind}“{test.question}” → {test.got}")
        if self.warnings:
            lines.append("Let op (dit houdt niets tegen):")
            lines.extend(_shown(self.warnings, self.touched))
        return "\n".join(lines)


def _shown(problems: tuple[Problem, ...], first: frozenset[str] = frozenset()) -> list[str]:
    """The first few problems as lines, those in the files of ``first`` first, each in file
    order; then how many more."""
    ordered = sorted(problems, key=lambda p: (p.file not in first, p))
    shown = [str(p) for p in ordered[:SHOWN]]
    more = len(problems) - SHOWN
    return shown + ([f"… en nog {more}."] if more > 0 else [])


def propose(
    directory: Path,
    files: Files,
    title: str,
    current: Core,
    base: str | None = None,
    notes: tuple[str, ...] = (),
) -> Proposal:
    """Check ``files`` as the whole new knowledge of ``directory`` (slow: call in a thread).
    ``base``: the digest of the knowledge ``files`` were made from (see :func:`building`);
    read now when not given. ``notes``: shown under the title. Problems name files by their
    name only, not by a path on the server."""
    now = read_snapshot(directory)
    base = base or digest(now)
    touched = frozenset(n for n in files.keys() | now.keys() if files.get(n) != now.get(n))
    with tempfile.TemporaryDirectory(prefix="werkplekbot-") as temporary:
        scratch = Path(temporary)
        write_snapshot(scratch, files)
        cache = directory / CACHE_DIR
        if cache.is_dir():
            # The vectors of unchanged phrasings: the check does not embed them again.
            shutil.copytree(cache, scratch / CACHE_DIR)
        strict = check_strictly(scratch, current.thresholds, current.semantic)
        _adopt_vectors(scratch, directory)
        if strict.core is None:
            return Proposal(
                files,
                base,
                title,
                problems=_named(strict.problems, scratch),
                warnings=_named(strict.warnings, scratch),
                notes=notes,
                touched=touched,
            )
        return Proposal(
            files,
            base,
            title,
            difference(current.knowledge, strict.core.knowledge),
            _named(strict.problems, scratch),
            tests_of(strict.core),
            warnings=_named(strict.warnings, scratch),
            notes=notes,
            touched=touched,
        )


def _adopt_vectors(scratch: Path, directory: Path) -> None:
    try:
        from bot.semantic import adopt_vectors
    except ImportError:  # without the semantic extra the check embedded nothing
        return
    adopt_vectors(scratch, directory)


def _named(problems: tuple[Problem, ...], scratch: Path) -> tuple[Problem, ...]:
    # Messages that point to another place name its file the same way.
    inside = f"{scratch}{os.sep}"
    return tuple(
        replace(
            p,
            file=WHOLE if Path(p.file) == scratch else Path(p.file).name,
            message=p.message.replace(inside, ""),
        )
        for p in problems
    )


def tests_of(core: Core) -> tuple[TestResult, ...]:
    """Every entry test and what it gives on this core."""
    results = []
    for entry in core.knowledge.entries:
        for test in entry.tests:
            match = core.match(test.question)
            got = match.entry_id
            passed = (got == entry.id) == test.must_match
            name = core.knowledge.by_id[got].short_label if got else OUTCOME_WORDS[match.outcome]
            results.append(
                TestResult(entry.short_label, test.question, test.must_match, passed, name)
            )
    return tuple(results)


def building(directory: Path, build: Callable[[], T]) -> tuple[str, T]:
    """``build()`` with the digest of the knowledge before it, read first: when another change
    lands in between, the proposal is refused as stale instead of quietly undoing it."""
    base = digest(read_snapshot(directory))
    return base, build()


def with_files(directory: Path, changed: Files) -> dict[str, bytes]:
    """The directory's knowledge with some files added or replaced."""
    return {**read_snapshot(directory), **changed}


@dataclass(frozen=True)
class Replaced:
    """An entry of another file that an uploaded entry replaces."""

    entry_id: str
    question: str
    file: str
    # The uploaded entry's own id when it took over this one's (same question, other id).
    was: str = ""


def with_file(
    directory: Path, name: str, data: bytes
) -> tuple[dict[str, bytes], tuple[Replaced, ...]]:
    """The directory's knowledge with one file added or replaced. An entry in it that has the
    id of an entry in another file replaces that entry: it moves into this file (an admin who
    copied an entry into a file of its own and improved it means that). A new entry with the
    question of an entry elsewhere (written anew by an admin who did not know it was there)
    takes that entry's place and its id, so related questions, learned phrasings and statistics
    stay with it. Also returns what was replaced."""
    files = with_files(directory, {name: data})
    others = {other: _entries_of(files[other]) for other in sorted(files) if other != name}
    existing = {old.entry_id for entries in others.values() for old in entries}
    uploaded = _entries_of(data)
    ids = {new.entry_id for new in uploaded}
    cut: dict[str, set[str]] = {}
    replaced: list[Replaced] = []
    for other, entries in others.items():
        for old in entries:
            if old.entry_id in ids:
                cut.setdefault(other, set()).add(old.entry_id)
                replaced.append(Replaced(old.entry_id, old.question, other))
    for new in uploaded:
        if new.entry_id in existing:
            continue
        same = [
            (other, old)
            for other, entries in others.items()
            for old in entries
            if old.entry_id not in ids and _same(new.question, old.question)
        ]
        if not same:
            continue
        other, old = same[0]
        renamed = _renamed(data, new, old.entry_id)
        if old.entry_id not in {e.entry_id for e in _entries_of(renamed)}:
            continue  # written in a way the id cannot be changed: the check says what clashes
        data = renamed
        ids.add(old.entry_id)
        cut.setdefault(other, set()).add(old.entry_id)
        replaced.append(Replaced(old.entry_id, old.question, other, new.entry_id))
    for other, gone in cut.items():
        kept, _ = _without_entries(files[other], frozenset(gone))
        if kept is None:
            del files[other]
        else:
            files[other] = kept
    files[name] = data
    return files, tuple(replaced)


@dataclass(frozen=True)
class _Written:
    """An entry as written in a file: its id, question and the line it starts on."""

    entry_id: str
    question: str
    line: int


def _same(one: str, other: str) -> bool:
    """Whether two questions are the same words (case, punctuation and spacing aside); a text
    without words is no question."""
    words = _words(one)
    return bool(words) and words == _words(other)


def _words(text: str) -> list[str]:
    return re.findall(r"\w+", text.casefold())


def _renamed(data: bytes, entry: _Written, new_id: str) -> bytes:
    """A file with one entry's id, and the file's references to it, changed to ``new_id``."""
    text = data.decode("utf-8-sig")
    lines = text.splitlines(keepends=True)
    old = re.escape(entry.entry_id)
    id_line = re.compile(rf"^(\s*(?:-\s+)?id:\s*)([\"']?){old}\2(\s*(?:#.*)?)$", re.DOTALL)
    for index in range(entry.line - 1, len(lines)):
        if id_line.match(lines[index]):
            lines[index] = id_line.sub(rf"\g<1>\g<2>{new_id}\g<2>\g<3>", lines[index])
            break
    reference = re.compile(rf"(?<![\w-]){old}(?![\w-])")
    for number in _references(text, entry.entry_id):
        lines[number - 1] = reference.sub(new_id, lines[number - 1])
    return "".join(lines).encode("utf-8")


def _references(text: str, entry_id: str) -> set[int]:
    """The lines of a file's ``related:`` items that name ``entry_id``."""
    found: set[int] = set()
    for _, fields in _entry_nodes(text):
        related = fields.get("related")
        if related is not None and isinstance(related.value, list):
            found.update(r.line for r in related.value if r.value == entry_id)
    return found


def _entries_of(data: bytes) -> list[_Written]:
    """The entries of a knowledge file as written (none when it does not parse)."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return []
    found = []
    for item, fields in _entry_nodes(text):
        entry_id = fields["id"].value if "id" in fields else None
        question = fields["question"].value if "question" in fields else ""
        if isinstance(entry_id, str):
            text_of = question if isinstance(question, str) else ""
            found.append(_Written(entry_id, text_of, item.line))
    return found


def _entry_nodes(text: str) -> list[tuple[Node, dict[str, Node]]]:
    """Each entry of a knowledge file with its fields, as parsed (none when it does not)."""
    try:
        root = parse(text)
    except YamlError:
        return []
    if root is None or not isinstance(root.value, dict):
        return []
    entries = root.value.get("entries")
    if entries is None or not isinstance(entries.value, list):
        return []
    return [(item, item.value) for item in entries.value if isinstance(item.value, dict)]


def _without_entries(data: bytes, ids: frozenset[str]) -> tuple[bytes | None, list[str]]:
    """A knowledge file without the entries ``ids``, and the ids cut. The entries' lines are
    cut out and the rest kept as written; when that does not read back as exactly the file
    without those entries (flow style, unusual layout), the file is written anew from its
    data. None when nothing but its topic would be left."""
    written = _entries_of(data)
    cut = [entry.entry_id for entry in written if entry.entry_id in ids]
    if not cut:
        return data, []
    text = data.decode("utf-8-sig")
    try:
        expected = dict(plain(text))
    except yaml.YAMLError:
        return data, []  # left as it is: the check then says what clashes
    left = [e for e in expected["entries"] if not (isinstance(e, dict) and e.get("id") in ids)]
    if left:
        expected["entries"] = left
    else:
        del expected["entries"]
    if not set(expected) - {"section", "small_talk"}:
        return None, cut
    kept = _cut_lines(text, written, ids)
    try:
        same = plain(kept) == expected
    except yaml.YAMLError:
        same = False
    if not same:
        kept = yaml.safe_dump(expected, allow_unicode=True, sort_keys=False, width=100)
    return kept.encode("utf-8"), cut


def _cut_lines(text: str, written: list[_Written], ids: frozenset[str]) -> str:
    """``text`` without the lines of the entries ``ids`` (each runs to the next entry or the
    next top-level key)."""
    lines = text.splitlines(keepends=True)
    top_level = [n for n, line in enumerate(lines, 1) if line[:1].isalpha()]
    drop: set[int] = set()
    for index, entry in enumerate(written):
        if entry.entry_id not in ids:
            continue
        start = entry.line
        if index + 1 < len(written):
            end = written[index + 1].line
        else:
            end = next((n for n in top_level if n > start), len(lines) + 1)
        # Comments just above the next entry belong to it; a "#" line indented deeper is the
        # end of this entry's text.
        dash = _indent(lines[start - 1])
        while (
            end - 1 > start
            and lines[end - 2].lstrip().startswith("#")
            and _indent(lines[end - 2]) <= dash
        ):
            end -= 1
        drop.update(range(start, end))
    return "".join(line for n, line in enumerate(lines, 1) if n not in drop)


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def with_learned(
    directory: Path, entry_id: str, questions: list[str], knowledge: Knowledge
) -> dict[str, bytes]:
    """The directory's knowledge with ``questions`` added as alternates of an entry, in the
    learned file (appended, so what an admin wrote there stays as written). Questions the entry
    already has (after folding) are left out."""
    entry = knowledge.by_id[entry_id]
    known = {fold(p) for p in entry.phrasings}
    new: list[str] = []
    for question in questions:
        if fold(question) not in known:
            known.add(fold(question))
            new.append(" ".join(question.split()))
    if not new:
        raise ChangeRefused(f"'{entry.short_label}' kent deze vragen al.")
    files = read_snapshot(directory)
    text = files.get(LEARNED_FILE, LEARNED_HEADER.encode()).decode("utf-8-sig")
    if not text.endswith("\n"):
        text += "\n"
    dumped = yaml.safe_dump(new, allow_unicode=True, width=1000, default_flow_style=False)
    block = f"  - id: {entry_id}\n    alternates:\n" + "".join(
        f"      {line}\n" for line in dumped.splitlines()
    )
    files[LEARNED_FILE] = (text + block).encode("utf-8")
    return files


def restoring(directory: Path, history: History, number: int, current: Core) -> Proposal:
    """Going back to a kept version, checked like any change (slow: call in a thread)."""
    if history.get(number) is None:
        raise ChangeRefused(f"versie {number} bestaat niet (meer). Zie /versies.")
    files = history.files(number)
    base = digest(read_snapshot(directory))
    if digest(files) == base:
        raise ChangeRefused(f"versie {number} is de kennis die nu al geldt.")
    return propose(directory, files, f"terug naar versie {number}", current, base)


def apply(directory: Path, history: History, proposal: Proposal, who: str) -> Version:
    """Write an applicable proposal over the knowledge directory, keeping the version before
    it. Refused when the knowledge changed since the proposal was made, or cannot be written."""
    if not proposal.applicable:
        raise ChangeRefused("deze wijziging kan niet toegepast worden.")
    current = read_snapshot(directory)
    if digest(current) != proposal.base:
        raise ChangeRefused(
            "de kennis is intussen gewijzigd. Vraag de wijziging opnieuw aan, dan toon ik wat "
            "ze nu verandert."
        )
    reason = why_not_writable(directory)
    if reason is not None:
        raise ChangeRefused(
            f"ik kan de kennis niet aanpassen: {reason}. Vraag wie de bot installeerde om "
            "WERKPLEKBOT_KNOWLEDGE naar een schrijfbare map te laten wijzen (in Docker: in het "
            "datavolume)."
        )
    now = time.time()
    try:
        history.note_current(current, now)
    except OSError as exc:
        raise ChangeRefused(f"het opslaan lukte niet ({exc.strerror or exc}).") from exc
    try:
        write_snapshot(directory, proposal.files)
        return history.record(proposal.files, who, proposal.summary(), now)
    except OSError as exc:
        # Files are replaced one by one: put back what was there, so a failed change leaves
        # the knowledge as it was, on disk too.
        try:
            write_snapshot(directory, current)
        except OSError:
            log.exception("could not put the knowledge back after a failed change")
        raise ChangeRefused(f"het opslaan lukte niet ({exc.strerror or exc}).") from exc
