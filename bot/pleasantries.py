"""Pleasantries: the greetings, thanks and farewells around a question ("Hallo, …", "…, merci").

Small talk is recognised by words that only small talk uses. A content phrasing that opens with
"Hallo," would otherwise make "hallo" a content word, and "Hallo werkplekbot!" would no longer
read as a greeting. So the pleasantries at either end of a content phrasing are courtesy, not
content: the matcher leaves them out of that phrasing, as it leaves them out of a question.
"""

from collections.abc import Iterable


def pleasantry_tokens(
    small_talk: Iterable[tuple[str, ...]],
    content: Iterable[tuple[str, ...]],
    answers: Iterable[tuple[str, ...]],
) -> frozenset[str]:
    """The tokens that are pleasantries: each is a one-word small-talk phrasing ("hallo",
    "sorry") that the content uses nowhere but at the ends of its phrasings; not "goed", "wat"
    or "(om) later", which content answers or the middle of a content phrasing use.

    Arguments are token tuples: of small-talk phrasings, content phrasings and content answers.
    """
    in_answers = {token for tokens in answers for token in tokens}
    candidates = frozenset(
        tokens[0] for tokens in small_talk if len(tokens) == 1 and tokens[0] not in in_answers
    )
    used = {token for tokens in content for token in trimmed(tokens, candidates)}
    return candidates - used


def trimmed(tokens: tuple[str, ...], pleasantries: frozenset[str]) -> tuple[str, ...]:
    """``tokens`` without the pleasantries that open or close them; all of them when nothing
    else is left (a content phrasing is never empty)."""
    start, end = 0, len(tokens)
    while start < end and tokens[start] in pleasantries:
        start += 1
    while end > start and tokens[end - 1] in pleasantries:
        end -= 1
    return tokens[start:end] or tokens
