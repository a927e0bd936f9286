"""The review of unanswered questions: paraphrases grouped, the best candidate entry, and a
ready-to-paste YAML snippet per group (for /onbeantwoord and ``werkplekbot review``)."""

import csv
import hashlib
import io
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from html import escape
from pathlib import Path

import yaml
from rapidfuzz import fuzz

from bot.core import Core
from bot.database import Unanswered
from bot.knowledge import Knowledge
from bot.lint import MAX_ALTERNATES, MIN_ALTERNATES
from bot.text import fold

# Two questions belong together when their content words overlap this much (token-set ratio).
SIMILAR = 70.0
# Below this score the best entry is no real candidate: propose a new entry instead.
CANDIDATE_SCORE = 50.0
# Entries offered to add a group's questions to.
SHOWN_CANDIDATES = 4
PHRASING_OF = (
    "Deze vraag staat al zo in de FAQ, bij “{label}”: de 👎 gaat over het antwoord. Pas dat "
    "aan via /kennis."
)


@dataclass(frozen=True)
class Group:
    """Paraphrases of one unanswered question."""

    key: str
    questions: tuple[tuple[str, int], ...]  # distinct texts with their counts, most asked first
    forms: tuple[str, ...]
    fallback: int
    choices: int
    voted_down: int
    candidate: str | None
    # Entries the questions could belong to, best first (the candidate among them).
    candidates: tuple[str, ...] = ()
    # Entries whose answer colleagues voted 👎 for these questions: never offered for them.
    rejected: tuple[str, ...] = ()
    # The entry whose own phrasing these questions are (they got its answer, and a 👎): its
    # answer needs work, not a new entry with the same question.
    phrasing_of: str | None = None

    @property
    def count(self) -> int:
        """How often the group was asked."""
        return sum(n for _, n in self.questions)


def form_of(core: Core, question: str) -> str:
    """A question reduced to its sorted content tokens: what grouping compares."""
    tokens = core.matcher.analyzer.tokens(question)
    return " ".join(sorted(set(tokens))) or fold(question)


def group_unanswered(
    items: list[Unanswered], core: Core, dismissed: frozenset[str] = frozenset()
) -> list[Group]:
    """Group the review items, most frequent first; groups touching a dismissed form are left
    out."""
    by_form: dict[str, list[Unanswered]] = {}
    for item in items:
        by_form.setdefault(form_of(core, item.question), []).append(item)
    clusters: list[list[str]] = []
    for form in sorted(by_form, key=lambda f: (-len(by_form[f]), f)):
        for cluster in clusters:
            if fuzz.token_set_ratio(form, cluster[0]) >= SIMILAR:
                cluster.append(form)
                break
        else:
            clusters.append([form])
    groups = []
    for forms in clusters:
        if dismissed.intersection(forms):
            continue
        members = [item for form in forms for item in by_form[form]]
        texts = Counter(item.question.strip() for item in members)
        questions = tuple(sorted(texts.items(), key=_representative_first))
        match = core.match(questions[0][0], alternatives=True)
        voted_down = sum(item.voted_down for item in members)
        if match.exact and not voted_down:
            # Its words are a phrasing of the FAQ now (added with ➕): answered; or one of
            # its questions outside the FAQ: not to be answered. Undo that change and the
            # group is back. A 👎 on such an answer still counts.
            continue
        rejected = tuple(
            dict.fromkeys(item.entry_id for item in members if item.voted_down and item.entry_id)
        )
        # Adding the questions to the answer colleagues rejected would make it final.
        offered = [c for c in match.candidates if c.entry_id not in rejected]
        best = offered[0] if offered else None
        small_talk = core.knowledge.small_talk_ids
        candidates = tuple(c.entry_id for c in offered if c.entry_id not in small_talk)[
            :SHOWN_CANDIDATES
        ]
        groups.append(
            Group(
                key=hashlib.sha256(forms[0].encode()).hexdigest()[:16],
                questions=questions,
                forms=tuple(forms),
                fallback=sum(item.outcome == "fallback" for item in members),
                choices=sum(item.outcome == "choices" for item in members),
                voted_down=voted_down,
                candidate=best.entry_id if best and best.score >= CANDIDATE_SCORE else None,
                candidates=candidates,
                rejected=rejected,
                phrasing_of=match.entry_id if match.exact else None,
            )
        )
    groups.sort(key=lambda g: (-g.count, g.questions[0][0]))
    return groups


def _representative_first(pair: tuple[str, int]) -> tuple[int, bool, int, str]:
    """Most asked first; among equals a real question ("...?", three words or more), then the
    shortest: it becomes the group's title and the new entry's question."""
    text, count = pair
    looks_like_question = text.endswith("?") and len(text.split()) >= 3
    return (-count, not looks_like_question, len(text), text)


def _yaml_list(texts: list[str], indent: int) -> str:
    dumped = yaml.safe_dump(texts, allow_unicode=True, width=1000, default_flow_style=False)
    return "".join(" " * indent + line + "\n" for line in dumped.splitlines())


def _slug(text: str, taken: Mapping[str, object]) -> str:
    """A valid, unused entry id from a question."""
    slug = ""
    for word in fold(text).split():
        if len(slug) + len(word) + 1 > 28:
            break
        slug = f"{slug}-{word}" if slug else word
    slug = slug or "nieuwe-vraag"
    candidate, number = slug, 2
    while candidate in taken:
        candidate, number = f"{slug}-{number}", number + 1
    return candidate


def yaml_snippet(group: Group, knowledge: Knowledge) -> str:
    """YAML to paste: the phrasings as alternates of the candidate, or a new entry."""
    texts = [text for text, _ in group.questions]
    if group.candidate and group.candidate in knowledge.by_id:
        entry = knowledge.by_id[group.candidate]
        where = entry.location
        return (
            f"# Voeg toe onder 'alternates:' van '{entry.id}' "
            f"({Path(where.file).name}, regel {where.line}):\n" + _yaml_list(texts, 6)
        )
    return (
        "# Nieuwe vraag: zet dit onder 'entries:' in het kennisbestand van het juiste onderwerp,\n"
        "# en schrijf het antwoord onder 'answer:' (tot dan laadt de kennis niet).\n"
        + _new_entry(group, knowledge)
    )


def _new_entry(group: Group, knowledge: Knowledge) -> str:
    """A group as a new entry without an answer: it does not load until one is written, so a
    placeholder can never reach a colleague."""
    texts = [text for text, _ in group.questions]
    # Always the block, so an admin sees where colleagues' other wordings go.
    alternates = (
        "    alternates:\n"
        "      # Hoe vragen collega's dit nog? Eén manier per regel, met '- ' ervoor "
        f"({MIN_ALTERNATES} tot {MAX_ALTERNATES}).\n"
        + (_yaml_list(texts[1:], 6) if len(texts) > 1 else "")
    )
    return (
        f"  - id: {_slug(texts[0], knowledge.by_id)}\n"
        f"    question: {_scalar(_as_question(texts[0]))}\n"
        f"{alternates}"
        "    answer: >-\n"
    )


def _as_question(text: str) -> str:
    """A question as typed, written as the FAQ shows it: capital first, question mark last."""
    text = " ".join(text.split()).rstrip(" .!")
    text = text[:1].upper() + text[1:]
    return text if text.endswith("?") else text + "?"


def draft_entry(group: Group, knowledge: Knowledge) -> tuple[str, str]:
    """A new entry for a group as a knowledge file to complete and send back: its name and
    text."""
    candidate = knowledge.by_id.get(group.candidate or "")
    topics = [section.title for section in knowledge.topics]
    section = candidate.section if candidate else (topics[0] if topics else "Nieuw")
    text = (
        "# Een nieuwe vraag uit /onbeantwoord. Ze is nog niet in gebruik.\n"
        "# 1. Schrijf het antwoord onder 'answer:', in 2 tot 6 zinnen (elke regel 6 spaties\n"
        "#    ver ingesprongen).\n"
        "# 2. Kijk de vraag en de andere formuleringen na: schrap wat er niet bij hoort.\n"
        "# 3. Kies het onderwerp bij 'section:'. Bestaande onderwerpen:\n"
        + "".join(f"#      {title}\n" for title in topics)
        + "# 4. Stuur dit bestand terug naar de bot, als document: je ziet eerst wat er\n"
        "#    verandert.\n"
        f"section: {_scalar(section)}\n"
        "entries:\n" + _new_entry(group, knowledge)
    )
    return f"nieuw-{_slug(group.questions[0][0], knowledge.by_id)}.yaml", text


def _scalar(text: str) -> str:
    """``text`` as a YAML scalar on one line (quoted where YAML needs it)."""
    return yaml.safe_dump(text, allow_unicode=True, width=1000).removesuffix("\n...\n").strip()


def _why(group: Group) -> str:
    parts = []
    if group.fallback:
        parts.append(f"{group.fallback}× geen antwoord")
    if group.choices:
        parts.append(f"{group.choices}× keuze aangeboden")
    if group.voted_down:
        parts.append(f"{group.voted_down}× 👎")
    return ", ".join(parts)


def to_markdown(groups: list[Group], knowledge: Knowledge) -> str:
    """The review as a Markdown document."""
    lines = ["# Onbeantwoorde vragen", ""]
    if not groups:
        lines.append("Geen onbeantwoorde vragen. 🎉")
    for number, group in enumerate(groups, 1):
        lines.append(f"## {number}. {group.questions[0][0]} ({group.count}×)")
        lines.append("")
        lines.append(f"Waarom: {_why(group)}.")
        if group.rejected:
            lines.append(f"👎 op: {', '.join(f'`{r}`' for r in group.rejected)}.")
        if group.candidate:
            lines.append(f"Beste kandidaat: `{group.candidate}`.")
        lines.append("")
        lines.extend(f"- {text} ({count}×)" for text, count in group.questions)
        lines += ["", "```yaml", yaml_snippet(group, knowledge).rstrip(), "```", ""]
    return "\n".join(lines).rstrip() + "\n"


def to_csv(groups: list[Group]) -> str:
    """One row per distinct question, with its group."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["group", "group_count", "question", "count", "candidate", "why"])
    for number, group in enumerate(groups, 1):
        for text, count in group.questions:
            writer.writerow([number, group.count, text, count, group.candidate or "", _why(group)])
    return out.getvalue()


def telegram_group_text(number: int, total: int, group: Group, knowledge: Knowledge) -> str:
    """One group as a Telegram HTML message (one page of /onbeantwoord)."""
    examples = "\n".join(f"• {escape(t)} ({n}×)" for t, n in group.questions[:5])
    more = len(group.questions) - 5
    if more > 0:
        examples += f"\n… en nog {more} andere"
    entry = knowledge.by_id.get(group.candidate or "")
    candidate = f"\nBeste kandidaat: “{escape(entry.short_label)}”" if entry else ""
    rejected = [knowledge.by_id[r].short_label for r in group.rejected if r in knowledge.by_id]
    if rejected:
        candidate = (
            "\n👎 op het antwoord " + ", ".join(f"“{escape(r)}”" for r in rejected) + candidate
        )
    own = knowledge.by_id.get(group.phrasing_of or "")
    if own is not None:
        candidate += "\n" + escape(PHRASING_OF.format(label=own.short_label))
    return (
        f"Groep {number} van {total}\n"
        f"<b>{escape(group.questions[0][0])}</b> ({group.count}×)\n"
        f"{escape(_why(group))}{candidate}\n\n{examples}"
    )
