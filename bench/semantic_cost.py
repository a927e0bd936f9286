"""What the semantic part costs: start-up (with the committed embedding cache and with none),
process memory, and time per question, against the lexical matcher alone.

    .venv/bin/python bench/semantic_cost.py [--repeat 1]

Each mode runs in a fresh process (memory is per process). The questions are the development
set, ``--repeat`` times: each question is new to the process once; repeats hit the
question-vector cache, as the bot's frequent questions do.
"""

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.evaluation import load_cases  # noqa: E402
from bench.memory import rss_mb  # noqa: E402
from bot.config import REPOSITORY_KNOWLEDGE  # noqa: E402


def measure(mode: str, repeat: int) -> dict[str, object]:
    """One mode in this process: 'lexical', 'cached' (semantic, committed cache) or 'fresh'
    (semantic, no cache at all: a copy of the knowledge without its .cache)."""
    from bot.core import Core
    from bot.loading import load_knowledge

    directory = REPOSITORY_KNOWLEDGE
    scratch = None
    if mode == "fresh":
        scratch = Path(tempfile.mkdtemp())
        directory = scratch / "knowledge"
        shutil.copytree(REPOSITORY_KNOWLEDGE, directory, ignore=shutil.ignore_patterns(".cache"))
    knowledge = load_knowledge(directory)
    start = time.perf_counter()
    core = Core(knowledge, semantic=mode != "lexical")
    built = time.perf_counter() - start
    after_core = rss_mb(os.getpid())
    questions = [case.question for case in load_cases()] * repeat
    times = []
    for question in questions:
        start = time.perf_counter()
        core.ask(question)
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    if scratch is not None:
        shutil.rmtree(scratch)
    return {
        "mode": mode,
        "phrasings": sum(len(e.phrasings) for e in knowledge.entries),
        "semantic": core.matcher.semantic is not None,
        "core_s": round(built, 2),
        "rss_core_mb": round(after_core),
        "rss_answering_mb": round(rss_mb(os.getpid())),
        "questions": len(questions),
        "p50_ms": round(statistics.median(times), 2),
        "p90_ms": round(times[int(len(times) * 0.9)], 2),
        "p99_ms": round(times[int(len(times) * 0.99)], 2),
        "max_ms": round(times[-1], 2),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--mode", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.mode:
        print(json.dumps(measure(args.mode, args.repeat)))
        return
    rows = []
    for mode in ("lexical", "cached", "fresh"):
        out = subprocess.run(
            [sys.executable, __file__, "--mode", mode, "--repeat", str(args.repeat)],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        rows.append(json.loads(out.strip().splitlines()[-1]))
    print(
        f"{'mode':<9}{'phrasings':>10}{'Core() s':>10}{'RSS core/answering MB':>23}"
        f"{'p50':>8}{'p90':>8}{'p99':>8}{'max ms':>8}"
    )
    for r in rows:
        print(
            f"{r['mode']:<9}{r['phrasings']:>10}{r['core_s']:>10}"
            f"{str(r['rss_core_mb']) + ' / ' + str(r['rss_answering_mb']):>23}"
            f"{r['p50_ms']:>8}{r['p90_ms']:>8}{r['p99_ms']:>8}{r['max_ms']:>8}"
        )
    print(f"{rows[0]['questions']} questions per mode (the development set x {args.repeat})")


if __name__ == "__main__":
    main()
