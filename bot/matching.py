"""Find the FAQ entry a question is about, and decide whether to answer, offer choices or admit
not knowing.

Scoring, per entry, from IDF-weighted tokens (see :mod:`bot.text`):

* *query coverage*: how much of the question the entry explains. Words the knowledge has never
  seen weigh as much as its rarest words, so "Waar kan ik gitaar leren spelen?" is mostly
  unexplained even though it shares "leren" with half the FAQ.
* *phrasing coverage*: how much of the entry's best phrasing the question contains, so one shared
  word does not make a match (the trap of rapidfuzz's ``WRatio`` and ``token_set_ratio``).

The score is their weighted geometric mean, 0..100. A question equal to a known phrasing after
normalisation always answers with 100.
"""

import heapq
import math
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Literal

from rapidfuzz import fuzz, process

from bot.dutch import stem
from bot.knowledge import Knowledge
from bot.lexicon import load_lexicon
from bot.text import knowledge_analyzer

Outcome = Literal["answer", "choices", "fallback"]


@dataclass(frozen=True)
class Thresholds:
    """The decision rule's parameters; the one place they live (fitted by ``bench calibrate``)."""

    answer: float = 64.0
    margin: float = 4.0
    choices: float = 45.0
    choice_window: float = 20.0
    max_choices: int = 3
    # Share of the score that comes from query coverage (the rest from phrasing coverage) for a
    # question of up to ``short_question`` tokens; longer messages carry context around the
    # question, so their share shrinks in proportion.
    query_weight: float = 0.5
    short_question: int = 5
    # A phrasing lighter than this (one common word) cannot reach full coverage on its own.
    min_phrasing_weight: float = 2.0
    # Small talk answers only a message that is mostly small talk.
    small_talk_coverage: float = 0.6
    # A question word found only in an entry's answer text counts for this much.
    answer_text_strength: float = 0.5
    # Ordinary Dutch weighs less than the FAQ's own statistics say (see bot.lexicon): a word up
    # to ``common_zipf`` on the Zipf scale counts fully, one at ``very_common_zipf`` or above
    # ("vragen", "week") only ``common_floor`` of it. With ``damp_known`` this also holds for
    # words the FAQ uses, else only for words it does not know.
    common_zipf: float = 4.5
    very_common_zipf: float = 6.0
    common_floor: float = 0.25
    damp_known: bool = True

    def commonness(self, zipf: float) -> float:
        """The share of its weight a word keeps, from how common it is in everyday language."""
        if zipf <= self.common_zipf:
            return 1.0
        span = max(self.very_common_zipf - self.common_zipf, 1e-9)
        return max(
            self.common_floor, 1.0 - (1.0 - self.common_floor) * (zipf - self.common_zipf) / span
        )


DEFAULT_THRESHOLDS = Thresholds()


@dataclass(frozen=True)
class Candidate:
    """An entry and why it scored what it did."""

    entry_id: str
    score: float
    phrasing: str
    query_coverage: float
    phrasing_coverage: float


@dataclass(frozen=True)
class Match:
    """The matcher's decision for one question."""

    outcome: Outcome
    score: float
    candidates: tuple[Candidate, ...]
    tokens: tuple[str, ...] = ()
    exact: bool = False
    # The words the tokens come from (what the lexicon weighs), in the same order.
    words: tuple[str, ...] = ()

    @property
    def entry_id(self) -> str | None:
        """The answered entry, if the outcome is an answer."""
        return self.candidates[0].entry_id if self.outcome == "answer" else None


@dataclass(frozen=True)
class _Phrasing:
    text: str
    tokens: frozenset[str]
    weight: float


class Matcher:
    """An index over every entry's question and alternates, built once per knowledge."""

    def __init__(self, knowledge: Knowledge, thresholds: Thresholds = DEFAULT_THRESHOLDS) -> None:
        self.knowledge = knowledge
        self.thresholds = thresholds
        entries = knowledge.entries
        self.lexicon = load_lexicon()
        self.analyzer = knowledge_analyzer(knowledge.synonyms, entries, self.lexicon)
        self._ids = tuple(entry.id for entry in entries)
        # How common each token's words are in everyday language (the most common spelling).
        token_zipf: dict[str, float] = {}

        def analysed(text: str) -> tuple[str, ...]:
            pairs = self.analyzer.analyse(text)
            for token, word in pairs:
                zipf = self.lexicon.zipf(word)
                if zipf > token_zipf.get(token, -1.0):
                    token_zipf[token] = zipf
            return tuple(token for token, _ in pairs)

        phrasing_tokens = [
            [(text, analysed(text)) for text in entry.phrasings] for entry in entries
        ]
        self._entry_tokens = [
            frozenset(t for _, tokens in phrasings for t in tokens) for phrasings in phrasing_tokens
        ]
        self._answer_text_tokens = [frozenset(analysed(e.answer)) for e in entries]
        self._answer_tokens = [
            answer - own
            for answer, own in zip(self._answer_text_tokens, self._entry_tokens, strict=True)
        ]
        df = Counter(
            t
            for own, answer in zip(self._entry_tokens, self._answer_tokens, strict=True)
            for t in own | answer
        )
        n = len(entries)
        # Smooth IDF: a word in every entry ("werkplekleren") still counts for something; an
        # ordinary word ("vragen") counts less than its rarity in the FAQ alone would say.
        damp = thresholds.commonness if thresholds.damp_known else (lambda _: 1.0)
        self._idf = {t: math.log(1 + n / d) * damp(token_zipf.get(t, 0.0)) for t, d in df.items()}
        self._unknown_weight = math.log(1 + n)
        self._phrasings = [
            tuple(
                _Phrasing(text, frozenset(tokens), sum(self._idf[t] for t in set(tokens)))
                for text, tokens in phrasings
            )
            for phrasings in phrasing_tokens
        ]
        # Normal forms (Analyzer.forms) -> entry and phrasing; validation refuses two entries
        # that share a form, so this is unambiguous.
        self._exact = {
            form: (index, text)
            for index, entry in enumerate(entries)
            for text in entry.phrasings
            for form in self.analyzer.forms(text)
        }
        # Which entries use a token in a phrasing, and which only in their answer text.
        self._postings: dict[str, list[int]] = {}
        self._answer_postings: dict[str, list[int]] = {}
        for index, tokens in enumerate(self._entry_tokens):
            for t in tokens:
                self._postings.setdefault(t, []).append(index)
            for t in self._answer_tokens[index]:
                self._answer_postings.setdefault(t, []).append(index)
        self._index_of = {entry_id: index for index, entry_id in enumerate(self._ids)}
        self._small_talk = frozenset(
            index for index, entry in enumerate(entries) if entry.id in knowledge.small_talk_ids
        )
        # Words only small talk uses ("hallo", "bedankt"): courtesy around a real question.
        self._courtesy = frozenset(
            t
            for t in self._idf
            if self._small_talk.issuperset(self._postings.get(t, ()))
            and self._small_talk.issuperset(self._answer_postings.get(t, ()))
        )
        self._spellings = self._spelling_targets(
            text for entry in entries for text in (*entry.phrasings, entry.answer)
        )
        self._spelling_keys = list(self._spellings)

    def _spelling_targets(self, texts: Iterable[str]) -> dict[str, tuple[str, ...]]:
        """Known tokens, plus whole compounds mapped to their parts so a typo in a compound
        (``werplekleren``) still finds them."""
        targets = {t: (t,) for t in self._idf}
        for text in texts:
            for word in self.analyzer.words(text):
                if len(self.analyzer.split(word)) > 1:
                    targets.setdefault(stem(word), self.analyzer.tokens(word))
        return targets

    def _resolve(self, token: str) -> tuple[tuple[str, float], ...]:
        """Map a question token to known tokens with a similarity (typos, compounds)."""
        if token in self._idf:
            return ((token, 1.0),)
        if len(token) < 4 or not token.isalpha():
            return ()
        # Short words have many near neighbours ("verdien" ~ "verdiep"): only long ones are
        # corrected with more than a single dropped or doubled letter.
        cutoff = 80.0 if len(token) >= 8 else 85.0
        found = process.extractOne(
            token, self._spelling_keys, scorer=fuzz.ratio, score_cutoff=cutoff
        )
        if found is None:
            return ()
        similarity = found[1] / 100
        return tuple((part, similarity) for part in self._spellings[found[0]])

    def _resolve_all(
        self, tokens: tuple[str, ...]
    ) -> list[tuple[str, tuple[tuple[str, float], ...]]]:
        """Each token with the known tokens it stands for (none when unknown); two unknown
        neighbours may be one word typed apart ("referentie persoon")."""
        resolved: list[tuple[str, tuple[tuple[str, float], ...]]] = []
        i = 0
        while i < len(tokens):
            found = self._resolve(tokens[i])
            if not found and i + 1 < len(tokens) and tokens[i + 1] not in self._idf:
                joined = self._resolve(tokens[i] + tokens[i + 1])
                if joined:
                    resolved.append((tokens[i], joined))
                    i += 2
                    continue
            resolved.append((tokens[i], found))
            i += 1
        return resolved

    def match(self, question: str) -> Match:
        """Score the entries for ``question`` and decide."""
        pairs = self.analyzer.analyse(question)
        tokens = tuple(token for token, _ in pairs)
        words = tuple(word for _, word in pairs)
        if not tokens:
            return Match("fallback", 0.0, (), tokens)
        exact = next(
            (
                found
                for form in self.analyzer.forms(question, tokens)
                if (found := self._exact.get(form))
            ),
            None,
        )
        if exact is not None:
            index, text = exact
            candidate = Candidate(self._ids[index], 100.0, text, 1.0, 1.0)
            return Match("answer", 100.0, (candidate,), tokens, exact=True)
        candidates = self.rank(tokens, words=words)
        return replace(self.decide(candidates, tokens), words=words)

    def rank(
        self,
        tokens: tuple[str, ...],
        limit: int = 5,
        leave_out: tuple[str, str | None] | None = None,
        words: tuple[str, ...] | None = None,
    ) -> tuple[Candidate, ...]:
        """The best-scoring entries for already analysed tokens, best first.

        ``words`` are the words the tokens come from (``Analyzer.analyse``): a word the FAQ does
        not know weighs by how common it is. ``leave_out`` = (entry id, phrasing) scores as if
        that phrasing were not in the index, or the whole entry when the phrasing is None (for
        the knowledge lint)."""
        settings = self.thresholds
        word_of = dict(zip(tokens, words or tokens, strict=True))
        resolved = self._resolve_all(tuple(dict.fromkeys(tokens)))
        known = [found for _, found in resolved if found]
        # A greeting or thanks around a real question is left out, and so is small talk.
        substantive = any(t not in self._courtesy for found in known for t, _ in found)
        weights: dict[str, float] = {}  # known token -> weight it brings from the question
        similarity: dict[str, float] = {}
        # A word the FAQ does not know weighs as much as its rarest word, less when ordinary.
        total = sum(
            self._unknown_weight * settings.commonness(self.lexicon.zipf(word_of[token]))
            for token, found in resolved
            if not found
        )
        for found in known:
            for token, sim in found:
                if token in weights or (substantive and token in self._courtesy):
                    continue
                weights[token] = self._idf[token]
                similarity[token] = sim
                total += self._idf[token]
        if not weights or total <= 0:
            return ()
        alpha = settings.query_weight * min(1.0, settings.short_question / len(tokens))
        # Term at a time: each entry's explained weight from the posting lists, so only entries
        # sharing a word are touched, and the costly phrasing coverage is computed best first.
        strength = settings.answer_text_strength
        explained: dict[int, float] = {}
        for t, w in weights.items():
            gain = w * similarity[t]
            for i in self._postings.get(t, ()):
                explained[i] = explained.get(i, 0.0) + gain
            for i in self._answer_postings.get(t, ()):
                explained[i] = explained.get(i, 0.0) + gain * strength
        if substantive:
            for i in self._small_talk:
                explained.pop(i, None)
        left_out = None
        if leave_out is not None and leave_out[0] in self._index_of:
            left_out = self._index_of[leave_out[0]]
            explained.pop(left_out, None)
            if leave_out[1] is not None:
                own = frozenset().union(
                    *(p.tokens for p in self._phrasings[left_out] if p.text != leave_out[1])
                )
                answer = self._answer_text_tokens[left_out] - own
                gain = sum(
                    w * similarity[t] * (1.0 if t in own else strength if t in answer else 0.0)
                    for t, w in weights.items()
                )
                if gain > 0:
                    explained[left_out] = gain
        scored: list[Candidate] = []
        tie: dict[str, float] = {}  # equal scores: the more completely matched phrasing first
        floor = 0.0  # the limit-th best score so far
        # A heap, not a sort: usually only the first few dozen entries are ever taken out.
        queue = [(-gain, index) for index, gain in explained.items()]
        heapq.heapify(queue)
        while queue:
            negative_gain, index = heapq.heappop(queue)
            query_coverage = -negative_gain / total
            # Phrasing coverage is at most 1: this bounds the score of this and every later entry.
            if len(scored) >= limit and 100 * query_coverage**alpha < floor:
                break
            if index in self._small_talk and query_coverage < settings.small_talk_coverage:
                continue  # "Hallo, hoeveel verlofdagen heb ik?" is not a greeting
            phrasings = self._phrasings[index]
            if index == left_out and leave_out is not None:
                phrasings = tuple(p for p in phrasings if p.text != leave_out[1])
            best_text, best_coverage, best_raw = "", 0.0, 0.0
            for phrasing in phrasings:
                if phrasing.weight <= 0:
                    continue
                hit = sum(self._idf[t] * similarity[t] for t in phrasing.tokens if t in weights)
                coverage = hit / max(phrasing.weight, settings.min_phrasing_weight)
                raw = hit / phrasing.weight
                if (coverage, raw) > (best_coverage, best_raw):
                    best_text, best_coverage, best_raw = phrasing.text, coverage, raw
            if query_coverage <= 0 or best_coverage <= 0:
                continue
            score = 100 * math.exp(
                alpha * math.log(query_coverage) + (1 - alpha) * math.log(best_coverage)
            )
            tie[self._ids[index]] = best_raw
            scored.append(
                Candidate(
                    self._ids[index], round(score, 2), best_text, query_coverage, best_coverage
                )
            )
            if len(scored) >= limit:
                scored.sort(key=lambda c: (-c.score, -tie[c.entry_id], c.entry_id))
                del scored[limit:]
                floor = scored[-1].score
        scored.sort(key=lambda c: (-c.score, -tie[c.entry_id], c.entry_id))
        return tuple(scored[:limit])

    def rank_text(
        self, text: str, limit: int = 5, leave_out: tuple[str, str | None] | None = None
    ) -> tuple[Candidate, ...]:
        """:meth:`rank` for a text (the knowledge lint ranks phrasings this way)."""
        pairs = self.analyzer.analyse(text)
        return self.rank(tuple(t for t, _ in pairs), limit, leave_out, tuple(w for _, w in pairs))

    def decide(
        self, candidates: tuple[Candidate, ...], tokens: tuple[str, ...] = (), slack: float = 0.0
    ) -> Match:
        """Answer, choices or fallback for ranked candidates, with this matcher's thresholds
        (raised by ``slack`` points: what would answer even with a little less confidence)."""
        settings = self.thresholds
        if slack:
            settings = replace(
                settings, answer=settings.answer + slack, margin=settings.margin + slack
            )
        return decide(candidates, settings, tokens)


def decide(
    candidates: tuple[Candidate, ...], settings: Thresholds, tokens: tuple[str, ...] = ()
) -> Match:
    """The decision rule: answer when the best entry is confident and far enough ahead of the
    runner-up, offer the close ones as choices when it is plausible, else fall back."""
    if not candidates or candidates[0].score < settings.choices:
        score = candidates[0].score if candidates else 0.0
        return Match("fallback", score, candidates, tokens)
    top = candidates[0].score
    runner_up = candidates[1].score if len(candidates) > 1 else 0.0
    if top >= settings.answer and top - runner_up >= settings.margin:
        return Match("answer", top, candidates, tokens)
    offered = tuple(
        c
        for c in candidates[: settings.max_choices]
        if c.score >= settings.choices and c.score >= top - settings.choice_window
    )
    return Match("choices", top, offered, tokens)
