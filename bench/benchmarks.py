"""``python -m bench``: quality against baselines, scaling, and threshold calibration."""

import gc
import os
import statistics
import time
import tracemalloc
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from bench.baselines import Guess, baselines, tune_threshold, utility_at
from bench.calibration import cross_validate, fit, is_semantic, rank_cases, setting_utility
from bench.evaluation import Case, utility
from bench.synthetic import synthetic_knowledge, synthetic_queries
from bot.core import Core

SCALE_SIZES = (300, 3000, 30000)


@dataclass(frozen=True)
class QualityRow:
    """One matcher's figures on the evaluation set."""

    name: str
    threshold: str
    correct: int
    wrong: int
    out_of_scope_answered: int
    in_domain: int
    ms_per_question: float

    @property
    def utility(self) -> int:
        """Correct - 3 x (wrong + out-of-scope answered)."""
        return utility(self.correct, self.wrong + self.out_of_scope_answered)

    def to_json(self) -> dict[str, object]:
        """The row as JSON."""
        return {
            "name": self.name,
            "threshold": self.threshold,
            "correct": self.correct,
            "wrong": self.wrong,
            "out_of_scope_answered": self.out_of_scope_answered,
            "accuracy": round(self.correct / self.in_domain, 4),
            "utility": self.utility,
            "ms_per_question": round(self.ms_per_question, 3),
        }


def _timed(function: Callable[[str], object], questions: Sequence[str]) -> tuple[list, float]:
    results, times = [], []
    for question in questions:
        start = time.perf_counter()
        results.append(function(question))
        times.append((time.perf_counter() - start) * 1000)
    return results, statistics.median(times)


def quality(core: Core, cases: Sequence[Case]) -> list[QualityRow]:
    """Werkplekbot with its shipped thresholds, and each baseline with its best threshold."""
    questions = [case.question for case in cases]
    in_domain = sum(case.expect is not None for case in cases)
    matches, ms = _timed(core.match, questions)
    rows = [
        QualityRow(
            "Werkplekbot",
            "shipped",
            sum(m.entry_id == c.expect for m, c in zip(matches, cases, strict=True) if c.expect),
            sum(
                m.entry_id not in (None, c.expect)
                for m, c in zip(matches, cases, strict=True)
                if c.expect
            ),
            sum(
                m.entry_id is not None for m, c in zip(matches, cases, strict=True) if not c.expect
            ),
            in_domain,
            ms,
        )
    ]
    for baseline in baselines(core.knowledge, core.matcher.semantic):
        guesses, ms = _timed(baseline.guess, questions)
        pairs: list[tuple[Guess, str | None]] = list(
            zip(guesses, (c.expect for c in cases), strict=True)
        )
        threshold = tune_threshold(pairs)
        correct, _ = utility_at(pairs, threshold)
        _, wrong_in = utility_at([p for p in pairs if p[1] is not None], threshold)
        _, oos = utility_at([p for p in pairs if p[1] is None], threshold)
        rows.append(
            QualityRow(baseline.name, f"{threshold:.2f}", correct, wrong_in, oos, in_domain, ms)
        )
    return rows


def quality_text(rows: Sequence[QualityRow]) -> str:
    """The quality rows as a table."""
    lines = [
        f"{'matcher':<28}{'threshold':>10}{'correct':>9}{'wrong':>7}{'oos ans.':>9}"
        f"{'accuracy':>10}{'utility':>9}{'ms/q':>8}"
    ]
    for r in rows:
        lines.append(
            f"{r.name:<28}{r.threshold:>10}{r.correct:>9}{r.wrong:>7}"
            f"{r.out_of_scope_answered:>9}{r.correct / r.in_domain:>10.1%}"
            f"{r.utility:>9}{r.ms_per_question:>8.3f}"
        )
    lines.append(
        "utility = correct - 3 x (wrong + out-of-scope answered); baseline thresholds "
        "tuned on this set itself"
    )
    return "\n".join(lines)


def scale(sizes: Sequence[int] = SCALE_SIZES, queries: int = 1000) -> dict[str, object]:
    """Build time, index memory and per-query latency on synthetic knowledge of each size."""
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})  # one core
    results: dict[str, object] = {}
    for size in sizes:
        knowledge = synthetic_knowledge(size)
        gc.collect()
        start = time.perf_counter()
        core = Core(knowledge)
        build_s = time.perf_counter() - start
        del core
        gc.collect()
        tracemalloc.start()
        core = Core(knowledge)
        index_bytes = tracemalloc.get_traced_memory()[0]
        tracemalloc.stop()
        latencies = []
        for query in synthetic_queries(knowledge, queries):
            start = time.perf_counter()
            core.match(query.text)
            latencies.append((time.perf_counter() - start) * 1000)
        latencies.sort()
        results[str(size)] = {
            "build_s": round(build_s, 3),
            "index_mb": round(index_bytes / 2**20, 1),
            "p50_ms": round(statistics.median(latencies), 3),
            "p99_ms": round(latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))], 3),
        }
    return {"sizes": results}


def scale_text(report: dict[str, object]) -> str:
    """The scaling report as a table."""
    lines = [f"{'entries':>8}{'build s':>9}{'index MB':>10}{'p50 ms':>9}{'p99 ms':>9}"]
    sizes = report["sizes"]
    assert isinstance(sizes, dict)
    for size, r in sizes.items():
        lines.append(
            f"{size:>8}{r['build_s']:>9.2f}{r['index_mb']:>10.1f}{r['p50_ms']:>9.2f}"
            f"{r['p99_ms']:>9.2f}"
        )
    return "\n".join(lines)


def calibrate_text(core: Core, cases: Sequence[Case], folds: int = 5) -> str:
    """Cross-validated fit of the thresholds (and the fusion, with the semantic part), and the
    values to put in ``Thresholds``."""
    ranked = rank_cases(core.matcher, cases)
    semantic = is_semantic(ranked)
    shipped = core.thresholds
    kind = "fused lexical + semantic scores" if semantic else "lexical scores (no semantic part)"
    lines = [
        f"{len(cases)} questions, {folds}-fold cross-validation, {kind}",
        f"{'fold':>5}{'weight':>8}{'floor':>7}{'ceiling':>8}{'answer':>8}{'margin':>8}"
        f"{'choices':>9}{'train':>8}{'test':>7}",
    ]
    results = cross_validate(ranked, shipped, folds)
    for n, fold in enumerate(results, 1):
        t = fold.thresholds
        answer, margin, choices = t.decision(semantic)
        lines.append(
            f"{n:>5}{t.semantic_weight:>8.2f}{t.semantic_floor:>7.2f}{t.semantic_ceiling:>8.2f}"
            f"{answer:>8.0f}{margin:>8.0f}{choices:>9.0f}"
            f"{fold.train_utility:>8}{fold.test_utility:>7}"
        )
    cross = sum(fold.test_utility for fold in results)
    fitted = fit(ranked, shipped)
    answer, margin, choices = fitted.decision(semantic)
    prefix = "fused_" if semantic else ""
    lines += [
        f"cross-validated utility (sum over held-out folds): {cross}",
        f"in-sample utility: shipped thresholds {setting_utility(ranked, shipped)[0]}, "
        f"fitted on all {setting_utility(ranked, fitted)[0]}",
        "",
        "Fitted on all questions; put these in bot/matching.py, class Thresholds:",
    ]
    if semantic:
        lines += [
            f"    semantic_weight: float = {fitted.semantic_weight:.2f}",
            f"    semantic_floor: float = {fitted.semantic_floor:.2f}",
            f"    semantic_ceiling: float = {fitted.semantic_ceiling:.2f}",
            f"    fused_split_margin: float = {fitted.fused_split_margin:.1f}",
        ]
    lines += [
        f"    {prefix}answer: float = {answer:.1f}",
        f"    {prefix}margin: float = {margin:.1f}",
        f"    {prefix}choices: float = {choices:.1f}",
    ]
    return "\n".join(lines)
