"""Time ``werkplekbot ask --json -`` on 100 questions, start-up included (target: under 2 s).

    .venv/bin/python bench/ask_batch.py [--runs 7]

Prints the median and the slowest wall time of the runs, and the matcher's own median and
p99 per question measured in-process.
"""

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.evaluation import load_cases  # noqa: E402
from bot.config import REPOSITORY_KNOWLEDGE  # noqa: E402
from bot.core import Core  # noqa: E402
from bot.loading import load_knowledge  # noqa: E402


def main() -> None:
    """Run the benchmark and print its figures."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    questions = [case.question for case in load_cases()][:100]
    stdin = "\n".join(questions) + "\n"
    walls = []
    for _ in range(args.runs):
        start = time.perf_counter()
        result = subprocess.run(
            [sys.executable, "-m", "bot", "ask", "--json", "-"],
            input=stdin,
            text=True,
            capture_output=True,
            cwd=ROOT,
            check=True,
        )
        walls.append(time.perf_counter() - start)
        assert len(result.stdout.splitlines()) == len(questions)
    core = Core(load_knowledge(REPOSITORY_KNOWLEDGE))
    per_question = []
    for _ in range(10):
        for question in questions:
            start = time.perf_counter()
            core.ask(question)
            per_question.append((time.perf_counter() - start) * 1000)
    per_question.sort()
    print(
        f"ask --json - on {len(questions)} questions, {args.runs} runs: "
        f"median {statistics.median(walls):.3f} s, slowest {max(walls):.3f} s"
    )
    print(
        f"matcher per question: median {statistics.median(per_question):.3f} ms, "
        f"p99 {per_question[int(len(per_question) * 0.99)]:.3f} ms"
    )


if __name__ == "__main__":
    main()
