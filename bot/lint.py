"""Knowledge lint (``werkplekbot validate --strict``): what loads fine but will answer badly.

* per-entry ``tests:`` — questions that must (or with ``not:``, must not) get this entry;
* self-retrieval — every phrasing, left out of the index, must still find its own entry;
* collisions — two entries whose questions, each left out, confidently answer each other;
* labels — two entries whose buttons would read the same;
* alternates — fewer than 5 or more than 45 per entry (the admin guide's advice): a warning;
* buttons — a topic name or link title a phone would cut: a warning.
"""

from dataclasses import dataclass
from pathlib import Path

from bot.core import Core
from bot.knowledge import MAX_LABEL, Entry
from bot.loading import Inspection, Problem, counted, inspect_knowledge
from bot.matching import DEFAULT_THRESHOLDS, Candidate, Match, Thresholds
from bot.messages import button_links
from bot.own_case import asks_about_own_case

OUTCOME_WORDS = {"choices": "een keuzelijst", "fallback": "geen antwoord"}
# A phrasing "belongs to" another entry only when that entry explains most of it: sharing one
# word ("werkplekleren", "vragen") is no reason, so adding an entry elsewhere in the FAQ, which
# shifts every word's weight a little, cannot make an unrelated phrasing fail.
FOREIGN_COVERAGE = 0.5
# ... and only when that entry would answer clearly: this many points above the answer
# threshold and the margin. A phrasing on the edge flips with any small shift in word weights
# elsewhere in the FAQ; that is no reason to fail an unrelated edit.
FOREIGN_SLACK = 5.0
# ... and only when its own entry is this far below the third: an edit elsewhere in the FAQ
# (an upload that replaces an entry) moves scores by a few points, and a phrasing whose own
# entry runs just behind the first three would flip with it.
FOREIGN_GAP = 5.0
# Two entries whose questions, each with its own entry left out, score this high for the other
# are near-duplicates.
COLLISION_SCORE = 90.0
# The admin guide's advice: fewer alternates and colleagues' own wordings are missed; more, and
# the entry usually covers two questions. About 20 varied ones (everyday words, situations,
# Flemish, English) answered blind questions clearly better than 15, and 25–36 better still
# (docs/BENCHMARKS.md). The shipped entries have at most 36, so an admin can still add
# colleagues' wordings from Telegram before the warning says the entry is too broad.
# Small talk has no maximum: greetings come in many short forms, and they only answer a
# message that is nothing but small talk.
# A link's button starts with "🔗 ".
MAX_LINK_TITLE = MAX_LABEL - 2
MIN_ALTERNATES = 5
MAX_ALTERNATES = 45


@dataclass(frozen=True)
class Strict:
    """``validate --strict`` of a directory: the core (None when the knowledge does not load),
    problems and warnings."""

    core: Core | None
    problems: tuple[Problem, ...]
    warnings: tuple[Problem, ...]


def check_strictly(
    directory: Path, thresholds: Thresholds = DEFAULT_THRESHOLDS, semantic: bool = True
) -> Strict:
    """Load a knowledge directory and lint it, as ``werkplekbot validate --strict`` does (and
    every change an admin makes through the bot)."""
    inspection: Inspection = inspect_knowledge(directory)
    if inspection.knowledge is None:
        return Strict(None, inspection.problems, inspection.warnings)
    core = Core(inspection.knowledge, thresholds, semantic)
    linted = lint(core)
    return Strict(
        core,
        tuple(p for p in linted if not p.is_warning),
        inspection.warnings + tuple(p for p in linted if p.is_warning),
    )


def lint(core: Core) -> list[Problem]:
    """Every lint problem of the core's knowledge, as FILE:LINE problems.

    Self-retrieval is judged with the phrasing left out of the index: a phrasing that brings
    new words is expected to lose its entry then; one that another entry would answer while
    its own entry is not even among the first three belongs elsewhere."""
    problems: list[Problem] = []
    matcher = core.matcher
    for entry in core.knowledge.entries:
        file = entry.location.file
        for test in entry.tests:
            match = core.match(test.question)
            got = f"'{match.entry_id}'" if match.entry_id else OUTCOME_WORDS[match.outcome]
            if test.must_match and match.entry_id != entry.id:
                fix = (
                    "Die vraag staat bij de vragen buiten bereik (out_of_scope): haal ze daar weg."
                    if match.out_of_scope
                    else "Voeg een gelijkaardige formulering toe aan de alternates."
                )
                problems.append(
                    Problem(
                        file,
                        test.line,
                        f"test '{test.question}' moet '{entry.id}' als antwoord geven, "
                        f"maar geeft {got}. {fix}",
                    )
                )
            elif not test.must_match and match.entry_id == entry.id:
                problems.append(
                    Problem(
                        file,
                        test.line,
                        (
                            f"test 'not: {test.question}' mag '{entry.id}' niet als antwoord "
                            "geven, maar doet dat wel. Maak de alternates specifieker."
                        ),
                    )
                )
        for phrasing, where in zip(entry.phrasings, entry.phrasing_locations, strict=True):
            if asks_about_own_case(phrasing):
                # Asked in other words, such a question gets the entry offered, not answered
                # (bot.own_case): the phrasing teaches the entry a question it does not answer.
                problems.append(
                    Problem(
                        where.file,
                        where.line,
                        f"'{phrasing}' vraagt naar een getal, een regel, een datum of een persoon "
                        "van je eigen organisatie. Zo'n vraag beantwoordt de bot niet: hij biedt "
                        "het onderwerp aan en zegt bij wie je terechtkunt. Schrijf ze algemener "
                        "(bv. 'Wat doet een mentor?'), of laat ze weg.",
                        "warning",
                    )
                )
            ranked = matcher.rank_text(phrasing, leave_out=(entry.id, phrasing))
            other = foreign_owner(matcher.decide(ranked, slack=FOREIGN_SLACK), entry.id)
            if other is not None:
                problems.append(
                    Problem(
                        where.file,
                        where.line,
                        f"'{phrasing}' lijkt meer op '{other.entry_id}' ('{other.phrasing}') dan "
                        f"op de andere formuleringen van '{entry.id}': zonder deze regel zou de "
                        f"bot '{other.entry_id}' antwoorden. Maak ze specifieker, of verplaats ze.",
                    )
                )
    problems += _collisions(core)
    problems += _labels(core)
    problems += _alternate_counts(core)
    problems += _button_texts(core)
    return sorted(problems)


def foreign_owner(decided: Match, entry_id: str) -> Candidate | None:
    """The entry a phrasing of ``entry_id`` belongs to instead, from the decision on it with
    its own phrasing left out: another entry that would answer clearly and explains most of
    it, while its own entry is not even near the runner-ups (``FOREIGN_GAP`` below the
    third); else None."""
    ranked = decided.candidates
    if decided.entry_id in (None, entry_id) or ranked[0].query_coverage < FOREIGN_COVERAGE:
        return None
    own = max((c.score for c in ranked if c.entry_id == entry_id), default=0.0)
    return ranked[0] if own < ranked[:3][-1].score - FOREIGN_GAP else None


def _button_texts(core: Core) -> list[Problem]:
    """Warnings for topic names and link titles that a phone would cut on their button."""
    knowledge = core.knowledge
    problems = []
    for section in knowledge.topics:
        first = knowledge.by_id[section.entry_ids[0]] if section.entry_ids else None
        if first is not None and len(section.title) > MAX_LABEL:
            problems.append(
                Problem(
                    first.location.file,
                    first.location.line,
                    f"het onderwerp '{section.title}' (section:) is te lang voor een knop "
                    f"({len(section.title)} tekens, maximaal {MAX_LABEL}): op een gsm wordt "
                    "het afgeknipt. Kies een kortere naam.",
                    "warning",
                )
            )
    for entry in knowledge.entries:
        for link in button_links(entry.links):
            if len(link.title) > MAX_LINK_TITLE:
                problems.append(
                    Problem(
                        entry.location.file,
                        entry.location.line,
                        f"de link '{link.title}' van '{entry.id}' is te lang voor een knop "
                        f"({len(link.title)} tekens, maximaal {MAX_LINK_TITLE}): op een gsm "
                        "wordt hij afgeknipt. Kies een kortere 'title:'.",
                        "warning",
                    )
                )
    return problems


def _alternate_counts(core: Core) -> list[Problem]:
    """Warnings for entries with too few or too many alternates, learned ones included."""
    problems = []
    small_talk = core.knowledge.small_talk_ids
    for entry in core.knowledge.entries:
        count = len(entry.alternates)
        if count < MIN_ALTERNATES:
            have = counted(count, "alternate", "alternates") if count else "geen alternates"
            advice = (
                f"voeg er nog {MIN_ALTERNATES - count} toe, zoals collega's het zelf zouden "
                "vragen (kort, in spreektaal, in het Engels)."
            )
        elif count > MAX_ALTERNATES and entry.id not in small_talk:
            have = counted(count, "alternate", "alternates") + _learned_part(entry)
            advice = (
                "zoveel formuleringen wijzen vaak op twee vragen in één. Splits de vraag, of "
                f"houd de beste {MAX_ALTERNATES} over."
            )
        else:
            continue
        problems.append(
            Problem(
                entry.location.file,
                entry.location.line,
                f"'{entry.id}' heeft {have} (aangeraden: {MIN_ALTERNATES} tot "
                f"{MAX_ALTERNATES}): {advice}",
                "warning",
            )
        )
    return problems


def _learned_part(entry: Entry) -> str:
    """How many of an entry's alternates were added under 'learned:' in another file."""
    elsewhere = sum(where.file != entry.location.file for where in entry.phrasing_locations[1:])
    return f", waarvan {elsewhere} onder 'learned'" if elsewhere else ""


def _labels(core: Core) -> list[Problem]:
    """Two entries with the same button label cannot be told apart on a phone."""
    seen: dict[str, str] = {}
    problems = []
    for entry in core.knowledge.entries:
        label = entry.short_label
        other = seen.setdefault(label.casefold(), entry.id)
        if other != entry.id:
            problems.append(
                Problem(
                    entry.location.file,
                    entry.location.line,
                    f"'{entry.id}' en '{other}' hebben hetzelfde label '{label}': op een knop "
                    "zijn ze niet uit elkaar te houden. Geef een van beide een ander 'label'.",
                )
            )
    return problems


def _collision(core: Core, entry_id: str) -> tuple[str, float] | None:
    """The entry that would answer this entry's question if it were left out, and its score in
    words: entries on one topic are close in meaning by nature (the semantic part); worded
    alike, they are duplicates."""
    matcher = core.matcher
    question = core.knowledge.by_id[entry_id].question
    ranked = matcher.rank_text(question, leave_out=(entry_id, None))
    decided = matcher.decide(ranked)
    if not decided.entry_id:
        return None
    best = decided.candidates[0]
    return decided.entry_id, best.score if best.lexical is None else best.lexical


def _collisions(core: Core) -> list[Problem]:
    """Pairs of entries that stand in for each other both ways with a high score."""
    found = {entry.id: _collision(core, entry.id) for entry in core.knowledge.entries}
    problems = []
    for entry in core.knowledge.entries:
        hit = found[entry.id]
        if hit is None or hit[1] < COLLISION_SCORE:
            continue
        back = found.get(hit[0])
        if back is None or back[0] != entry.id or back[1] < COLLISION_SCORE:
            continue
        problems.append(
            Problem(
                entry.location.file,
                entry.phrasing_locations[0].line,
                f"'{entry.id}' en '{hit[0]}' lijken te sterk op elkaar: elk beantwoordt de vraag "
                f"van de ander (score {hit[1]:.0f} en {back[1]:.0f}). Voeg ze samen of maak het "
                "verschil duidelijk.",
            )
        )
    return problems
