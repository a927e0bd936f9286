"""Answers that list other entries as bullet points ("Herman Baert noemt er zes: • een sterke
missie…"): which entries they list, found once per knowledge, so a reply can number them ("de
derde") and "welke andere zijn er nog?" can find the answer that lists a condition."""

from collections.abc import Mapping
from types import MappingProxyType

from bot.knowledge import Knowledge
from bot.matching import Matcher

BULLETS = ("•", "- ", "* ")
# A point names an entry when that entry scores at least this for it (lexical scores).
POINT_SCORE = 35.0


def is_bullet(line: str) -> bool:
    """Whether a line of an answer is one of its bullet points."""
    return line.strip().startswith(BULLETS)


def bullet_text(line: str) -> str:
    """A bullet point's line without its bullet."""
    return line.strip().lstrip("•-*").strip()


def listed_entries(knowledge: Knowledge, matcher: Matcher) -> Mapping[str, tuple[str, ...]]:
    """Per entry whose answer lists two or more points that each have an entry of their own,
    those entries' ids in order."""
    listings = {}
    for entry in knowledge.entries:
        points = [
            bullet_text(line).strip(" ;.") for line in entry.answer.splitlines() if is_bullet(line)
        ]
        if len(points) < 2:
            continue
        found = _named_by(points, entry.id, matcher)
        if found:
            listings[entry.id] = found
    return MappingProxyType(listings)


def _named_by(points: list[str], listing: str, matcher: Matcher) -> tuple[str, ...]:
    """The entries ``points`` name, one each and all different; none when one names none."""
    found: list[str] = []
    for point in points:
        # Lexically: a point repeats its entry's own words (embedding each point would cost a
        # model call per line, for every knowledge loaded).
        pairs = matcher.analyzer.analyse(point)
        ranked = matcher.rank(tuple(t for t, _ in pairs), words=tuple(w for _, w in pairs))
        best = matcher.decide(ranked).candidates[:1]
        if not best or best[0].entry_id in (listing, *found) or best[0].score < POINT_SCORE:
            return ()
        found.append(best[0].entry_id)
    return tuple(found)
