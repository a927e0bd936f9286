"""Fit the decision thresholds on the evaluation set, with cross-validation so the reported
utility is not measured on the questions it was fitted to (``bench calibrate``).

Each question is ranked once; the decision rule is then replayed for every candidate setting.
Utility = correct answers - 3 x wrong answers (an out-of-scope question answered is wrong).
The choices threshold does not change the utility; it is fitted to offer choices that contain
the right entry as often as possible while offering as few for out-of-scope questions.
"""

import random
import statistics
from collections.abc import Sequence
from dataclasses import dataclass, replace

from bench.evaluation import Case, utility
from bot.matching import Candidate, Matcher, Thresholds, decide

ANSWER_GRID = tuple(range(40, 96, 2))
MARGIN_GRID = tuple(range(0, 22, 2))
CHOICES_GRID = tuple(range(30, 62, 3))


@dataclass(frozen=True)
class Ranked:
    """One case with the matcher's ranking (exact phrasings always answer)."""

    case: Case
    candidates: tuple[Candidate, ...]
    exact: bool


def rank_cases(matcher: Matcher, cases: Sequence[Case]) -> list[Ranked]:
    """Rank every case once."""
    ranked = []
    for case in cases:
        match = matcher.match(case.question)
        candidates = (
            match.candidates if match.exact else matcher.rank(match.tokens, words=match.words)
        )
        ranked.append(Ranked(case, candidates, match.exact))
    return ranked


def setting_utility(ranked: Sequence[Ranked], settings: Thresholds) -> tuple[int, int, int]:
    """(utility, correct, wrong) of a setting."""
    correct = wrong = 0
    for item in ranked:
        entry = (
            item.candidates[0].entry_id
            if item.exact
            else (decide(item.candidates, settings).entry_id)
        )
        if entry is None:
            continue
        if entry == item.case.expect:
            correct += 1
        else:
            wrong += 1
    return utility(correct, wrong), correct, wrong


def choice_value(ranked: Sequence[Ranked], settings: Thresholds) -> int:
    """Choices that hold the right entry, minus choices offered for out-of-scope questions."""
    value = 0
    for item in ranked:
        if item.exact:
            continue
        match = decide(item.candidates, settings)
        if match.outcome != "choices":
            continue
        if item.case.expect is None:
            value -= 1
        elif item.case.expect in {c.entry_id for c in match.candidates}:
            value += 1
    return value


def fit(ranked: Sequence[Ranked], base: Thresholds) -> Thresholds:
    """The answer threshold and margin with the best utility (the middle of the best plateau),
    then the choices threshold with the best choice value."""
    scores = {
        (a, m): setting_utility(
            ranked, replace(base, answer=a, margin=m, choices=min(a, base.choices))
        )[0]
        for a in ANSWER_GRID
        for m in MARGIN_GRID
    }
    best = max(scores.values())
    plateau = [key for key, value in scores.items() if value == best]
    answer = statistics.median_low(sorted({a for a, _ in plateau}))
    margin = statistics.median_low(sorted(m for a, m in plateau if a == answer))
    fitted = replace(base, answer=float(answer), margin=float(margin))
    values = {
        c: choice_value(ranked, replace(fitted, choices=float(c)))
        for c in CHOICES_GRID
        if c <= answer
    }
    top = max(values.values())
    choices = statistics.median_low(sorted(c for c, v in values.items() if v == top))
    return replace(fitted, choices=float(choices))


@dataclass(frozen=True)
class Fold:
    """One fold: what was fitted on the rest, and the utility on the fold itself."""

    thresholds: Thresholds
    train_utility: int
    test_utility: int
    test_size: int


def cross_validate(
    ranked: Sequence[Ranked], base: Thresholds, folds: int = 5, seed: int = 3
) -> list[Fold]:
    """k-fold cross-validation of :func:`fit`."""
    order = list(ranked)
    random.Random(seed).shuffle(order)
    results = []
    for k in range(folds):
        test = order[k::folds]
        train = [item for i, item in enumerate(order) if i % folds != k]
        fitted = fit(train, base)
        results.append(
            Fold(
                fitted,
                setting_utility(train, fitted)[0],
                setting_utility(test, fitted)[0],
                len(test),
            )
        )
    return results
