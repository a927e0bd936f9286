"""Fit the decision thresholds (and, with the semantic part, the fusion weights) on the
development set, with cross-validation so the reported utility is not measured on the questions
it was fitted to (``bench calibrate``). Never on a held-out test set.

Each question is ranked once: its lexical candidates and their semantic parts are kept, and the
fusion and the decision rule are replayed for every candidate setting.
Utility = correct answers - 3 x wrong answers (an out-of-scope question answered is wrong).
The choices threshold does not change the utility; it is fitted to offer choices that contain
the right entry as often as possible while offering as few for out-of-scope questions.
"""

import itertools
import random
import statistics
from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np

from bench.evaluation import Case, utility
from bot.matching import (
    Candidate,
    Matcher,
    Parts,
    Thresholds,
    decide,
    fuse,
    is_sure,
    parts_agree,
)

ANSWER_GRID = tuple(range(40, 96, 2))
MARGIN_GRID = tuple(range(0, 22, 2))
CHOICES_GRID = tuple(range(30, 62, 3))
# The fusion: the semantic part's share, and the cosines mapped to 0 and 100.
WEIGHT_GRID = (0.3, 0.4, 0.5, 0.6)
FLOOR_GRID = (0.78, 0.80, 0.82, 0.84)
CEILING_GRID = (0.94, 0.96, 0.98)
# The margin needed when the lexical and the semantic part disagree on the best entry.
SPLIT_GRID: tuple[int, ...] = (4, 8, 12, 16, 20, 100)


@dataclass(frozen=True)
class Ranked:
    """One case with both signals for its candidates (exact phrasings always answer, exact
    questions outside the FAQ never do)."""

    case: Case
    parts: Parts
    exact: bool
    exact_entry: str | None = None

    def candidates(self, settings: Thresholds) -> tuple[Candidate, ...]:
        """The candidates scored under ``settings``."""
        return fuse(self.parts, settings)


def rank_cases(matcher: Matcher, cases: Sequence[Case]) -> list[Ranked]:
    """Rank every case once."""
    ranked = []
    for case in cases:
        match = matcher.match(case.question)
        if match.exact:
            ranked.append(Ranked(case, Parts(match.candidates, None), True, match.entry_id))
            continue
        parts = matcher.parts(match.tokens, words=match.words, text=case.question)
        ranked.append(Ranked(case, parts, False))
    return ranked


def is_semantic(ranked: Sequence[Ranked]) -> bool:
    """Whether the matcher that ranked these had the semantic part on."""
    return any(item.parts.semantic is not None for item in ranked)


def answered_entry(item: Ranked, settings: Thresholds) -> str | None:
    """The entry a setting answers for one case."""
    if item.exact:
        return item.exact_entry
    return decide(item.candidates(settings), settings).entry_id


def setting_utility(ranked: Sequence[Ranked], settings: Thresholds) -> tuple[int, int, int]:
    """(utility, correct, wrong) of a setting."""
    correct = wrong = 0
    for item in ranked:
        entry = answered_entry(item, settings)
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
        match = decide(item.candidates(settings), settings)
        if match.outcome != "choices":
            continue
        if item.case.expect is None:
            value -= 1
        elif item.case.expect in {c.entry_id for c in match.candidates}:
            value += 1
    return value


@dataclass(frozen=True)
class _Table:
    """Per case, under one fusion setting: the top score, the gap to the runner-up, whether the
    top entry is the expected one, and whether the case is an exact phrasing."""

    top: np.ndarray
    gap: np.ndarray
    right: np.ndarray
    agree: np.ndarray
    exact: np.ndarray
    exact_right: np.ndarray
    # Exact and answered: a phrasing (a question outside the FAQ falls back).
    exact_answered: np.ndarray
    # With the semantic part on: the cases the words alone decided (no model asked), which the
    # lexical thresholds answer or not whatever the fused grid says, and whether they do.
    decided: np.ndarray
    decided_answered: np.ndarray
    # Answered by the sure classifier (``is_sure``), whatever the answer threshold and margin.
    sure: np.ndarray

    @classmethod
    def of(cls, ranked: Sequence[Ranked], settings: Thresholds) -> "_Table":
        semantic = is_semantic(ranked)
        top, gap, right, agree, decided, decided_answered, sure = [], [], [], [], [], [], []
        for item in ranked:
            candidates = () if item.exact else item.candidates(settings)
            first = candidates[0].score if candidates else 0.0
            second = candidates[1].score if len(candidates) > 1 else 0.0
            top.append(first)
            gap.append(first - second)
            right.append(bool(candidates) and candidates[0].entry_id == item.case.expect)
            agree.append(not candidates or not candidates[0].fused or parts_agree(candidates))
            by_words = semantic and bool(candidates) and not candidates[0].fused
            decided.append(by_words)
            decided_answered.append(by_words and decide(candidates, settings).outcome == "answer")
            fused = bool(candidates) and candidates[0].fused
            sure.append(fused and is_sure(candidates, settings))
        exact_answered = np.array([item.exact and item.exact_entry is not None for item in ranked])
        return cls(
            np.array(top),
            np.array(gap),
            np.array(right),
            np.array(agree),
            np.array([item.exact for item in ranked]),
            exact_answered & np.array([item.exact_entry == item.case.expect for item in ranked]),
            exact_answered,
            np.array(decided, dtype=bool),
            np.array(decided_answered, dtype=bool),
            np.array(sure, dtype=bool),
        )

    def utilities(self, rows: np.ndarray, split: float) -> dict[tuple[int, int], int]:
        """Utility of every (answer, margin) on the given rows, with ``split`` as the margin
        needed when the two parts disagree."""
        top, gap, right = self.top[rows], self.gap[rows], self.right[rows]
        agree = self.agree[rows]
        exact, exact_right = self.exact[rows], self.exact_right[rows]
        exact_answered = self.exact_answered[rows]
        decided, by_words = self.decided[rows], self.decided_answered[rows]
        sure = ~exact & ~decided & self.sure[rows]
        out = {}
        for a, m in itertools.product(ANSWER_GRID, MARGIN_GRID):
            grid = ~exact & ~decided & (top >= a) & (gap >= m) & (agree | (gap >= split))
            answered = grid | sure | by_words
            correct = int((answered & right).sum() + exact_right.sum())
            wrong = int((answered & ~right).sum() + (exact_answered & ~exact_right).sum())
            out[(a, m)] = utility(correct, wrong)
        return out


def _fusions(base: Thresholds, semantic: bool) -> list[Thresholds]:
    if not semantic:
        return [base]
    return [
        replace(base, semantic_weight=w, semantic_floor=f, semantic_ceiling=c)
        for w, f, c in itertools.product(WEIGHT_GRID, FLOOR_GRID, CEILING_GRID)
    ]


def _plateau_middle(scores: dict[tuple[int, int], int]) -> tuple[int, int, int]:
    """The best utility and the middle of its plateau (answer first, then margin)."""
    best = max(scores.values())
    plateau = [key for key, value in scores.items() if value == best]
    answer = statistics.median_low(sorted({a for a, _ in plateau}))
    margin = statistics.median_low(sorted(m for a, m in plateau if a == answer))
    return best, answer, margin


def fit(
    ranked: Sequence[Ranked],
    base: Thresholds,
    rows: Sequence[int] | None = None,
    tables: dict[Thresholds, _Table] | None = None,
) -> Thresholds:
    """The fusion (with the semantic part), then the answer threshold and margin with the best
    utility (the middle of the best plateau), then the choices threshold with the best choice
    value. ``rows`` restricts the fit to those cases; ``tables`` caches the fusions' scores."""
    semantic = is_semantic(ranked)
    index = np.arange(len(ranked)) if rows is None else np.asarray(rows)
    tables = tables if tables is not None else {}
    best: tuple[int, int, int, int] | None = None
    chosen = base
    splits = SPLIT_GRID if semantic else (base.fused_split_margin,)
    order = 0
    for fusion in _fusions(base, semantic):
        table = tables.get(fusion) or tables.setdefault(fusion, _Table.of(ranked, fusion))
        for split in splits:
            value, answer, margin = _plateau_middle(table.utilities(index, split))
            # Ties: the first setting of the grid order wins (deterministic).
            if best is None or value > best[0]:
                best = (value, -order, answer, margin)
                chosen = replace(fusion, fused_split_margin=float(split))
            order += 1
    assert best is not None
    _, _, answer, margin = best
    _, _, choices = chosen.decision(semantic)
    fitted = chosen.with_decision(semantic, float(answer), float(margin), choices)
    subset = [ranked[int(i)] for i in index]
    values = {
        c: choice_value(subset, fitted.with_decision(semantic, answer, margin, float(c)))
        for c in CHOICES_GRID
        if c <= answer
    }
    top = max(values.values())
    choice = statistics.median_low(sorted(c for c, v in values.items() if v == top))
    return fitted.with_decision(semantic, float(answer), float(margin), float(choice))


@dataclass(frozen=True)
class Fold:
    """One fold: what was fitted on the rest, and the utility on the fold itself."""

    thresholds: Thresholds
    train_utility: int
    test_utility: int
    test_size: int


def cross_validate(
    ranked: Sequence[Ranked],
    base: Thresholds,
    folds: int = 5,
    seed: int = 3,
    tables: dict[Thresholds, _Table] | None = None,
) -> list[Fold]:
    """k-fold cross-validation of :func:`fit` (``tables``: the fusions' scores, shared with a
    :func:`fit` on the same cases)."""
    order = list(range(len(ranked)))
    random.Random(seed).shuffle(order)
    tables = tables if tables is not None else {}
    results = []
    for k in range(folds):
        test = order[k::folds]
        train = [i for n, i in enumerate(order) if n % folds != k]
        fitted = fit(ranked, base, train, tables)
        results.append(
            Fold(
                fitted,
                setting_utility([ranked[i] for i in train], fitted)[0],
                setting_utility([ranked[i] for i in test], fitted)[0],
                len(test),
            )
        )
    return results
