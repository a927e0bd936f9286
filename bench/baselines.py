"""What anyone would build in an afternoon, to compare the matcher with (``bench quality``):
rapidfuzz's ``extractOne`` with ``WRatio`` or ``token_set_ratio`` over every phrasing, BM25
(bm25s with the Dutch Snowball stemmer), and the multilingual embedding model alone. Each
answers its best phrasing's entry when the score reaches a threshold, tuned on the evaluation
set itself to be fair to it."""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from rapidfuzz import fuzz, process, utils

from bench.evaluation import utility
from bot.knowledge import Knowledge

if TYPE_CHECKING:
    from bot.semantic import SemanticIndex


@dataclass(frozen=True)
class Guess:
    """A baseline's best entry for a question and its score."""

    entry_id: str | None
    score: float


class FuzzBaseline:
    """``rapidfuzz.process.extractOne`` over all phrasings, with ``utils.default_process``."""

    def __init__(self, name: str, knowledge: Knowledge, scorer: Callable[..., float]) -> None:
        self.name = name
        self._scorer = scorer
        self._texts = [p for e in knowledge.entries for p in e.phrasings]
        self._ids = [e.id for e in knowledge.entries for _ in e.phrasings]

    def guess(self, question: str) -> Guess:
        """The best phrasing's entry."""
        found = process.extractOne(
            question, self._texts, scorer=self._scorer, processor=utils.default_process
        )
        return Guess(self._ids[found[2]], float(found[1])) if found else Guess(None, 0.0)


class BM25Baseline:
    """BM25 over all phrasings, Dutch stop words and the Dutch Snowball stemmer."""

    name = "BM25 (bm25s, Snowball nl)"

    def __init__(self, knowledge: Knowledge) -> None:
        import bm25s
        import snowballstemmer

        self._bm25s = bm25s
        self._stemmer = snowballstemmer.stemmer("dutch").stemWords
        texts = [p for e in knowledge.entries for p in e.phrasings]
        self._ids = [e.id for e in knowledge.entries for _ in e.phrasings]
        self._retriever = bm25s.BM25()
        self._retriever.index(self._tokenize(texts), show_progress=False)

    def _tokenize(self, texts: Sequence[str]):  # type: ignore[no-untyped-def]
        return self._bm25s.tokenize(
            list(texts), stopwords="nl", stemmer=self._stemmer, show_progress=False
        )

    def guess(self, question: str) -> Guess:
        """The best phrasing's entry."""
        tokens = self._tokenize([question])
        if not tokens.vocab:
            return Guess(None, 0.0)
        documents, scores = self._retriever.retrieve(tokens, k=1, show_progress=False)
        score = float(scores[0][0])
        return Guess(self._ids[int(documents[0][0])], score) if score > 0 else Guess(None, 0.0)


class EmbeddingBaseline:
    """The multilingual embedding model alone (multilingual-e5-small, the semantic extra): the
    entry of the phrasing closest in meaning, scored by its cosine."""

    name = "embeddings (e5-small) alone"

    def __init__(self, knowledge: Knowledge, index: "SemanticIndex") -> None:
        self._index = index
        self._ids = [entry.id for entry in knowledge.entries]

    def guess(self, question: str) -> Guess:
        """The closest entry."""
        similarities = self._index.similarities(self._index.cosines(self._index.vector(question)))
        best = int(similarities.argmax())
        return Guess(self._ids[best], float(similarities[best]))


Baseline = FuzzBaseline | BM25Baseline | EmbeddingBaseline


def baselines(knowledge: Knowledge, index: "SemanticIndex | None" = None) -> list[Baseline]:
    """The baselines of the quality report: rapidfuzz twice, BM25, and (with the semantic
    extra) the embedding model alone (on ``index``, the matcher's own when given, so each
    question is embedded once)."""
    found: list[Baseline] = [
        FuzzBaseline("rapidfuzz WRatio", knowledge, fuzz.WRatio),
        FuzzBaseline("rapidfuzz token_set_ratio", knowledge, fuzz.token_set_ratio),
        BM25Baseline(knowledge),
    ]
    try:
        from bot.semantic import SemanticIndex
    except ImportError:
        return found
    index = index or SemanticIndex.build(knowledge)
    if index is not None:
        found.append(EmbeddingBaseline(knowledge, index))
    return found


def utility_at(guesses: Sequence[tuple[Guess, str | None]], threshold: float) -> tuple[int, int]:
    """(correct, wrong) when answering every guess scoring at least ``threshold``."""
    correct = wrong = 0
    for guess, expected in guesses:
        if guess.entry_id is None or guess.score < threshold:
            continue
        if guess.entry_id == expected:
            correct += 1
        else:
            wrong += 1
    return correct, wrong


def tune_threshold(guesses: Sequence[tuple[Guess, str | None]]) -> float:
    """The answer threshold with the best utility (correct - 3 x wrong) on these guesses."""
    candidates = sorted({g.score for g, _ in guesses} | {float("inf")})

    return max(candidates, key=lambda t: (utility(*utility_at(guesses, t)), t))
