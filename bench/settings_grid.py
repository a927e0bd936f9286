"""Compare settings of the fused decision on the development and validation sets' aggregates
and the scripted conversations (the held-out sets are left alone): how the classifier's share
and the fused thresholds were chosen with the questions outside the FAQ (docs/BENCHMARKS.md).

    .venv/bin/python bench/settings_grid.py 0.25,56,6,40 0.35,54,6,38 [--without-out-of-scope]
    .venv/bin/python bench/settings_grid.py --sure 0.93,49,5,0.015 0.9,46,4,0.01

Each setting is classifier_weight,fused_answer,fused_margin,fused_choices; with ``--sure``,
the sure classifier's sure_probability,sure_answer,sure_margin,sure_lead. A row: right,
wrong, out of scope answered and utility on the development sets (with dev_oos2) and on the
validation sets, then the development and validation conversations' follow-ups answered right.
"""

import argparse
import shutil
import sys
import tempfile
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.conversations import (  # noqa: E402
    DEV_CONVERSATION_SETS,
    VAL_CONVERSATIONS,
    run_conversations,
)
from bench.evaluation import (  # noqa: E402
    DEV_SETS,
    NEAR_DOMAIN_SETS,
    VALIDATION_SETS,
    Case,
    evaluate,
    load_cases,
    utility,
)
from bot.config import REPOSITORY_KNOWLEDGE  # noqa: E402
from bot.core import Core  # noqa: E402
from bot.loading import load_knowledge  # noqa: E402
from bot.matching import DEFAULT_THRESHOLDS, Thresholds  # noqa: E402

GROUPS = {"dev": (*DEV_SETS, *NEAR_DOMAIN_SETS), "val": VALIDATION_SETS}
CONVERSATIONS = {
    "dev": DEV_CONVERSATION_SETS,
    "val": (VAL_CONVERSATIONS,),
}


def _figures(core: Core, cases: dict[Path, tuple[Case, ...]]) -> list[str]:
    """Right, wrong, out of scope answered and utility per group; conversations per group."""
    row = []
    for name, paths in GROUPS.items():
        right = wrong = outside = 0
        for path in paths:
            report = evaluate(core.matcher, cases[path])
            right += report.in_domain.correct
            wrong += report.in_domain.wrong
            outside += report.out_of_scope.wrong
        row.append(f"{name} {right}, {wrong}, {outside}, u {utility(right, wrong + outside)}")
    for name, paths in CONVERSATIONS.items():
        follow_ups = [f for path in paths for f in run_conversations(core, path)]
        row.append(f"{name} conv {sum(f.right for f in follow_ups)}/{len(follow_ups)}")
    return row


def setting_thresholds(setting: str, sure: bool) -> Thresholds:
    """The shipped thresholds with one setting's four values in."""
    first, second, third, fourth = (float(x) for x in setting.split(","))
    if sure:
        return replace(
            DEFAULT_THRESHOLDS,
            sure_probability=first,
            sure_answer=second,
            sure_margin=third,
            sure_lead=fourth,
        )
    return replace(
        DEFAULT_THRESHOLDS,
        classifier_weight=first,
        fused_answer=second,
        fused_margin=third,
        fused_choices=fourth,
    )


def main() -> int:
    """Print one row per setting."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("settings", nargs="+", help="weight,answer,margin,choices")
    parser.add_argument("--without-out-of-scope", action="store_true")
    parser.add_argument(
        "--sure", action="store_true", help="settings are probability,answer,margin,lead"
    )
    args = parser.parse_args()
    cases = {path: load_cases(path) for paths in GROUPS.values() for path in paths}
    with tempfile.TemporaryDirectory() as copy:
        # A copy: without the questions outside the FAQ the classifier is fitted anew, and
        # the cache beside the shipped knowledge must stay as committed.
        shutil.copytree(REPOSITORY_KNOWLEDGE, copy, dirs_exist_ok=True)
        knowledge = load_knowledge(Path(copy))
        if args.without_out_of_scope:
            knowledge = replace(knowledge, out_of_scope=())
        for setting in args.settings:
            thresholds = setting_thresholds(setting, args.sure)
            core = Core(knowledge, thresholds)  # vectors and classifier from the copy's cache
            if core.matcher.semantic is None:
                print("The semantic extra is not installed.", file=sys.stderr)
                return 1
            print("  ".join([setting, *_figures(core, cases)]), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
