"""``python -m bench``: the evaluation and benchmark commands. They live beside the bot, not in
it: the installed package holds only what runs. ``werkplekbot eval`` and ``werkplekbot bench``
call these when run from a checkout of the repository.

    python -m bench eval [--set FILE] [--json]
    python -m bench quality|calibrate [--set FILE] [--json]
    python -m bench scale [--sizes N ...] [--queries N] [--json]
"""

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from bench.evaluation import (
    DEV_SETS,
    EVAL_SETS,
    evaluate,
    is_blind,
    load_cases,
    may_fit,
    set_kind,
    set_name,
)
from bot.config import Config
from bot.core import Core
from bot.loading import load_knowledge


def cmd_eval(args: argparse.Namespace, core: Core) -> int:
    """Run the labelled evaluation sets through the matcher: the development sets first, then
    the validation and held-out sets (aggregate figures only: their questions stay unseen)."""
    paths = [Path(args.set)] if args.set else [p for p in EVAL_SETS if p.is_file()]
    reports = {set_name(p): (p, evaluate(core.matcher, load_cases(p))) for p in paths}
    if args.json:
        # The first set's figures at the top level (as before), every set under "sets".
        first = next(iter(reports.values()))[1].to_json()
        sets = {name: report.to_json() for name, (_, report) in reports.items()}
        print(json.dumps({**first, "sets": sets}, indent=2))
        return 0
    blocks = []
    for name, (path, report) in reports.items():
        blocks.append(f"== {name} ({set_kind(path)}): {path}\n{report.to_text(not is_blind(path))}")
    if len(reports) > 1:
        lines = [
            f"{'set':<8}{'in-domain':>10}{'top-1':>8}{'wrong':>7}{'oos':>5}{'oos answered':>14}"
            f"{'utility':>9}"
        ]
        for name, (_, report) in reports.items():
            t, oos = report.in_domain, report.out_of_scope
            accuracy = f"{t.accuracy:.1%}" if t.total else "-"
            lines.append(
                f"{name:<8}{t.total:>10}{accuracy:>8}{t.wrong:>7}{oos.total:>5}"
                f"{oos.wrong:>14}{report.utility:>9}"
            )
        blocks.append("== summary\n" + "\n".join(lines))
    if not args.set:
        blocks.append(conversations_block(core))
    print("\n\n".join(blocks))
    return 0


def conversations_block(core: Core) -> str:
    """The scripted follow-ups: the development conversations with their misses, the held-out
    ones (written blind) as a figure only."""
    from bench.conversations import (
        DEV_CONVERSATION_SETS,
        TEST_CONVERSATIONS,
        VAL_CONVERSATIONS,
        conversations_text,
        run_conversations,
    )

    lines = ["== conversations (the follow-up of each)"]
    sets = (
        *((path.stem.removesuffix("_conversations"), path, True) for path in DEV_CONVERSATION_SETS),
        ("val", VAL_CONVERSATIONS, False),
        ("test", TEST_CONVERSATIONS, False),
    )
    for name, path, show in sets:
        if path.is_file():
            lines.append(conversations_text(name, run_conversations(core, path), show))
    return "\n".join(lines)


def cmd_bench(args: argparse.Namespace, core: Core) -> int:
    """Quality against baselines, scaling, or threshold calibration."""
    from bench import benchmarks

    if args.what == "scale":
        sizes = tuple(args.sizes) if args.sizes else benchmarks.SCALE_SIZES
        report = benchmarks.scale(sizes, args.queries)
        print(json.dumps(report, indent=2) if args.json else benchmarks.scale_text(report))
        return 0
    if args.what == "quality":
        paths = [Path(args.set)] if args.set else [p for p in EVAL_SETS if p.is_file()]
        case_sets = {set_name(p): load_cases(p) for p in paths}
        # (A set of out-of-scope questions only has no accuracy to compare.)
        results = {
            name: benchmarks.quality(core, found)
            for name, found in case_sets.items()
            if any(case.expect is not None for case in found)
        }
        if not results:
            print("No in-domain questions to compare the matchers on.", file=sys.stderr)
            return 1
        if args.json:
            sets = {name: {"rows": [r.to_json() for r in rows]} for name, rows in results.items()}
            first = next(iter(sets.values()))
            print(json.dumps({**first, "sets": sets}, indent=2))
        else:
            print(
                "\n\n".join(
                    f"== {name}\n{benchmarks.quality_text(rows)}" for name, rows in results.items()
                )
            )
        return 0
    paths = [Path(args.set)] if args.set else list(DEV_SETS)
    refused = [p for p in paths if not may_fit(p)]
    if refused:
        print(
            f"{refused[0]} is not fitted on ({set_kind(refused[0])}): thresholds are fitted on "
            f"the development sets only ({', '.join(p.name for p in DEV_SETS)}).",
            file=sys.stderr,
        )
        return 2
    cases = tuple(case for p in paths for case in load_cases(p))
    print(benchmarks.calibrate_text(core, cases, args.folds))
    return 0


def add_commands(sub: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    """The ``eval`` and ``bench`` subcommands (shared with ``werkplekbot``)."""
    bench = sub.add_parser("bench", help="quality vs baselines, scaling, calibration")
    bench.add_argument("what", choices=("quality", "scale", "calibrate"))
    bench.add_argument("--json", action="store_true", help="figures as JSON")
    bench.add_argument(
        "--set",
        help="evaluation YAML (quality: default every set; calibrate: the development sets)",
    )
    bench.add_argument("--folds", type=int, default=5, help="calibrate: cross-validation folds")
    bench.add_argument("--sizes", type=int, nargs="+", help="scale: entry counts")
    bench.add_argument("--queries", type=int, default=1000, help="scale: queries per size")
    bench.add_argument(
        "--lexical", action="store_true", help="without the semantic part (as without its extra)"
    )
    bench.set_defaults(bench_func=cmd_bench)

    ev = sub.add_parser("eval", help="accuracy on the labelled evaluation sets")
    ev.add_argument("--set", help="evaluation YAML (default: the development and test sets)")
    ev.add_argument("--json", action="store_true", help="figures as JSON")
    ev.add_argument(
        "--lexical", action="store_true", help="without the semantic part (as without its extra)"
    )
    ev.set_defaults(bench_func=cmd_eval)


def run(args: argparse.Namespace, config: Config) -> int:
    """Run a parsed ``eval`` or ``bench`` command on the configured knowledge."""
    core = Core(load_knowledge(config.knowledge_dir), semantic=not args.lexical)
    result: int = args.bench_func(args, core)
    return result


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of ``python -m bench``."""
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    add_commands(parser.add_subparsers(dest="command", required=True))
    return run(parser.parse_args(argv), Config.from_env())


if __name__ == "__main__":
    sys.exit(main())
