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

from bench.evaluation import DEFAULT_EVAL_SET, evaluate, load_cases
from bot.config import Config
from bot.core import Core
from bot.loading import load_knowledge


def cmd_eval(args: argparse.Namespace, core: Core) -> int:
    """Run the labelled evaluation set through the matcher."""
    report = evaluate(core.matcher, load_cases(Path(args.set or DEFAULT_EVAL_SET)))
    print(json.dumps(report.to_json(), indent=2) if args.json else report.to_text())
    return 0


def cmd_bench(args: argparse.Namespace, core: Core) -> int:
    """Quality against baselines, scaling, or threshold calibration."""
    from bench import benchmarks

    if args.what == "scale":
        sizes = tuple(args.sizes) if args.sizes else benchmarks.SCALE_SIZES
        report = benchmarks.scale(sizes, args.queries)
        print(json.dumps(report, indent=2) if args.json else benchmarks.scale_text(report))
        return 0
    cases = load_cases(Path(args.set or DEFAULT_EVAL_SET))
    if args.what == "quality":
        rows = benchmarks.quality(core, cases)
        if args.json:
            print(json.dumps({"rows": [row.to_json() for row in rows]}, indent=2))
        else:
            print(benchmarks.quality_text(rows))
    else:
        print(benchmarks.calibrate_text(core, cases, args.folds))
    return 0


def add_commands(sub: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    """The ``eval`` and ``bench`` subcommands (shared with ``werkplekbot``)."""
    bench = sub.add_parser("bench", help="quality vs baselines, scaling, calibration")
    bench.add_argument("what", choices=("quality", "scale", "calibrate"))
    bench.add_argument("--json", action="store_true", help="figures as JSON")
    bench.add_argument("--set", help="evaluation YAML (quality, calibrate)")
    bench.add_argument("--folds", type=int, default=5, help="calibrate: cross-validation folds")
    bench.add_argument("--sizes", type=int, nargs="+", help="scale: entry counts")
    bench.add_argument("--queries", type=int, default=1000, help="scale: queries per size")
    bench.set_defaults(bench_func=cmd_bench)

    ev = sub.add_parser("eval", help="accuracy on the labelled evaluation sets")
    ev.add_argument("--set", help="evaluation YAML (default: the development and test sets)")
    ev.add_argument("--json", action="store_true", help="figures as JSON")
    ev.set_defaults(bench_func=cmd_eval)


def run(args: argparse.Namespace, config: Config) -> int:
    """Run a parsed ``eval`` or ``bench`` command on the configured knowledge."""
    core = Core(load_knowledge(config.knowledge_dir))
    result: int = args.bench_func(args, core)
    return result


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of ``python -m bench``."""
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    add_commands(parser.add_subparsers(dest="command", required=True))
    return run(parser.parse_args(argv), Config.from_env())


if __name__ == "__main__":
    sys.exit(main())
