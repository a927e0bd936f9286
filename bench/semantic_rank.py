"""How often meaning alone ranks the right entry first: the phrasing closest to the question
against the entry classifier (bot/classifier.py), on the in-domain questions of the development
and validation sets (aggregates only; the held-out sets are left alone).

    .venv/bin/python bench/semantic_rank.py
"""

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.evaluation import DEV_SETS, VALIDATION_SETS, load_cases, set_name  # noqa: E402
from bot.config import REPOSITORY_KNOWLEDGE  # noqa: E402
from bot.loading import load_knowledge  # noqa: E402
from bot.semantic import SemanticIndex  # noqa: E402
from bot.text import knowledge_analyzer  # noqa: E402


def main() -> int:
    """Print one row per set: questions, share first by closest phrasing, by the classifier."""
    knowledge = load_knowledge(REPOSITORY_KNOWLEDGE)
    analyzer = knowledge_analyzer(knowledge.synonyms, knowledge.entries)
    index = SemanticIndex.build(knowledge, standard=analyzer.standard)
    if index is None:
        print("The semantic extra is not installed.", file=sys.stderr)
        return 1
    ids = [entry.id for entry in knowledge.entries]
    print(f"{'set':<6}{'questions':>10}{'closest phrasing':>18}{'classifier':>12}")
    for path in (*DEV_SETS, *VALIDATION_SETS):
        cases = [case for case in load_cases(path) if case.expect is not None]
        if not cases:
            continue  # an out-of-scope set
        closest = classified = 0
        for case in cases:
            vector = index.readings(case.question, analyzer.standard(case.question))
            similarities = index.similarities(index.cosines(vector))
            probabilities = index.probabilities(vector)
            closest += ids[int(similarities.argmax())] == case.expect
            if probabilities is not None:
                classified += ids[int(probabilities.argmax())] == case.expect
        n = len(cases)
        print(f"{set_name(path):<6}{n:>10}{closest / n:>18.1%}{classified / n:>12.1%}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
