"""What each change bought: the matcher with its parts switched on one by one, each variant's
thresholds fitted on the development set only, then measured on every set (aggregate figures).

    .venv/bin/python -m bench.ablation

Rows (on the shipped knowledge):
* lexical, no lexicon: every word the FAQ does not know weighs as much as its rarest word;
* + lexicon: ordinary Dutch weighs little, typos in ordinary words are read as those words;
* + semantic part: fused with the embedding model's similarity (no split rule);
* + split rule: answer only clearly when the two parts disagree (the shipped matcher).
"""

import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path

from bench import calibration
from bench.evaluation import EVAL_SETS, Report, evaluate, load_cases, set_name
from bot import matching
from bot.config import REPOSITORY_KNOWLEDGE
from bot.knowledge import Knowledge
from bot.lexicon import EMPTY
from bot.loading import load_knowledge
from bot.matching import DEFAULT_THRESHOLDS, Matcher, Thresholds


@contextmanager
def without_lexicon() -> Iterator[None]:
    """Matchers built inside see no word frequencies."""
    original = matching.load_lexicon
    matching.load_lexicon = lambda: EMPTY  # type: ignore[assignment]
    try:
        yield
    finally:
        matching.load_lexicon = original  # type: ignore[assignment]


@contextmanager
def splits(values: tuple[int, ...]) -> Iterator[None]:
    """Calibration tries only these split margins."""
    original = calibration.SPLIT_GRID
    calibration.SPLIT_GRID = values
    try:
        yield
    finally:
        calibration.SPLIT_GRID = original


def fitted(knowledge: Knowledge, base: Thresholds, semantic: bool) -> Matcher:
    """A matcher with thresholds fitted on the development set."""
    matcher = Matcher(knowledge, base, semantic)
    ranked = calibration.rank_cases(matcher, load_cases(EVAL_SETS[0]))
    thresholds = calibration.fit(ranked, base)
    return Matcher(knowledge, thresholds, matcher.semantic or False)


def figures(report: Report) -> dict[str, object]:
    """The aggregate figures of one set."""
    t, oos = report.in_domain, report.out_of_scope
    return {
        "accuracy": round(t.accuracy, 3),
        "wrong": t.wrong,
        "oos_answered": oos.wrong,
        "utility": report.utility,
    }


def cell(r: dict[str, object]) -> str:
    """accuracy, wrong, out-of-scope answered, utility."""
    accuracy = r["accuracy"]
    assert isinstance(accuracy, float)
    return f"{accuracy:.1%} {r['wrong']}w {r['oos_answered']}o u{r['utility']}"


def main() -> None:
    """Print each variant's figures on every set."""
    knowledge = load_knowledge(REPOSITORY_KNOWLEDGE)
    sets = {set_name(p): load_cases(p) for p in EVAL_SETS if p.is_file()}
    variants: dict[str, Matcher] = {}
    with without_lexicon():
        variants["lexical, no lexicon"] = fitted(
            knowledge, replace(DEFAULT_THRESHOLDS, damp_known=False), False
        )
    variants["+ lexicon"] = fitted(knowledge, DEFAULT_THRESHOLDS, False)
    with splits((100,)):
        variants["+ semantic part"] = fitted(knowledge, DEFAULT_THRESHOLDS, True)
    variants["+ split rule (shipped)"] = Matcher(knowledge)
    results = {
        name: {label: figures(evaluate(matcher, cases)) for label, cases in sets.items()}
        for name, matcher in variants.items()
    }
    if "--json" in sys.argv:
        print(json.dumps(results, indent=2))
        return
    header = "".join(f"{label:>26}" for label in sets)
    print(f"{'variant':<26}{header}")
    for name, per_set in results.items():
        cells = "".join(f"{cell(r):>26}" for r in per_set.values())
        print(f"{name:<26}{cells}")


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    main()
