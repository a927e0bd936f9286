"""Find the FAQ entry a question is about, and decide whether to answer, offer choices or admit
not knowing.

Scoring, per entry, from IDF-weighted tokens (see :mod:`bot.text`):

* *query coverage*: how much of the question the entry explains. Words the knowledge has never
  seen weigh as much as its rarest words, so "Waar kan ik gitaar leren spelen?" is mostly
  unexplained even though it shares "leren" with half the FAQ.
* *phrasing coverage*: how much of the entry's best phrasing the question contains, so one shared
  word does not make a match (the trap of rapidfuzz's ``WRatio`` and ``token_set_ratio``).

The lexical score is their weighted geometric mean, 0..100. A question equal to a known phrasing
after normalisation always answers with 100.

With the semantic extra installed (:mod:`bot.semantic`), each candidate also gets a semantic
part, 0..100: the cosine between the question and the entry's closest phrasing in meaning,
mapped between ``semantic_floor`` and ``semantic_ceiling``, mixed with the probability a
classifier over all the entry's phrasings gives it (``classifier_weight``, see
:mod:`bot.classifier`; the knowledge's questions outside the FAQ are one more class, so a
question like them leaves little for any entry). The score is then the weighted mean of the
lexical and the semantic part, ``semantic_weight`` for the semantic one, and the ``fused_*``
thresholds decide. The lexical part stays the explainable backbone: ``--explain`` shows both
per candidate. When the words alone leave no doubt (``decisive_*``), the model is not asked and
the lexical thresholds decide.
"""

import functools
import heapq
import logging
import math
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Literal

from rapidfuzz import fuzz, process
from rapidfuzz.distance import DamerauLevenshtein

from bot.dutch import QUESTION_WORDS, STOPWORDS, stem
from bot.knowledge import Knowledge
from bot.lexicon import load_lexicon
from bot.own_case import asks_about_own_case
from bot.pleasantries import pleasantry_tokens, trimmed
from bot.text import asks, fold, knowledge_analyzer

if TYPE_CHECKING:
    from bot.semantic import SemanticIndex

log = logging.getLogger(__name__)

# How much a short word corrected by one edit still counts (a long word's correction counts its
# rapidfuzz similarity, at least 0.8).
SHORT_TYPO_SIMILARITY = 0.85
# Names a colleague calls the bot by ("Bedankt, Werkplekbot!", "hoi bot"): beside a greeting or
# thanks they only say whom it is for.
BOT_NAMES = frozenset({"bot", "chatbot", "werkplekbot"})

Outcome = Literal["answer", "choices", "fallback"]


@dataclass(frozen=True)
class Thresholds:
    """The decision rule's parameters; the one place they live (fitted by ``bench calibrate``)."""

    answer: float = 70.0
    margin: float = 4.0
    choices: float = 39.0
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
    # The semantic part (when the semantic extra is installed): its share of the fused score, the
    # cosines that map to 0 and to 100, how many entries it adds as candidates, and the decision
    # thresholds for fused scores (fitted by ``bench calibrate`` like the lexical ones).
    semantic_weight: float = 0.5
    semantic_floor: float = 0.84
    semantic_ceiling: float = 0.98
    semantic_candidates: int = 5
    # The classifier's share of the semantic part (the rest is the closest phrasing's cosine),
    # and the fused thresholds: chosen on the development sets and their conversations with
    # the questions outside the FAQ as a class of the classifier, checked on the validation
    # sets (docs/BENCHMARKS.md, bench/settings_grid.py).
    classifier_weight: float = 0.35
    fused_answer: float = 52.0
    fused_margin: float = 8.0
    fused_choices: float = 38.0
    # When the two parts disagree on the best entry (the words point to one, the meaning to
    # another), the best must be this far ahead to answer; else the bot offers both.
    fused_split_margin: float = 4.0
    # When the words alone decide (this lexical score, this far ahead of the next entry), the
    # model is not asked: on every such question of the development and validation sets the
    # fused score answered the same entry, and a model call is most of a question's time.
    decisive_score: float = 90.0
    decisive_margin: float = 25.0
    # A question this much closer in meaning (cosine) to one of the knowledge's questions
    # outside the FAQ than to any phrasing is not answered (``decide``).
    outside_margin: float = 0.005
    # When the entry classifier is this sure of the best entry, and the question is this much
    # closer in meaning to a phrasing than to any question outside the FAQ (so never for a
    # knowledge that lists none), a lower fused score and margin answer: concrete situations
    # and stories often share few words with any phrasing while their meaning is plain. Chosen
    # on the development sets (the score and margin between 45 and 49, 3 and 5, and the
    # distance 0 to 0.015 gave the same; a probability of 0.8 answered more wrongly), checked
    # on the validation sets.
    sure_probability: float = 0.93
    sure_answer: float = 49.0
    sure_margin: float = 5.0
    sure_lead: float = 0.015

    def decision(self, semantic: bool) -> tuple[float, float, float]:
        """(answer, margin, choices) for lexical or for fused scores."""
        if semantic:
            return self.fused_answer, self.fused_margin, self.fused_choices
        return self.answer, self.margin, self.choices

    def with_decision(
        self, semantic: bool, answer: float, margin: float, choices: float
    ) -> "Thresholds":
        """These thresholds with (answer, margin, choices) replaced for one kind of score."""
        if semantic:
            return replace(self, fused_answer=answer, fused_margin=margin, fused_choices=choices)
        return replace(self, answer=answer, margin=margin, choices=choices)

    def semantic_part(self, cosine: float, probability: float | None = None) -> float:
        """A cosine, mixed with the classifier's probability when there is one, as 0..100."""
        span = max(self.semantic_ceiling - self.semantic_floor, 1e-9)
        closeness = (cosine - self.semantic_floor) / span
        if probability is not None:
            weight = self.classifier_weight
            closeness = (1 - weight) * closeness + weight * probability
        return 100.0 * min(1.0, max(0.0, closeness))

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
    """An entry and why it scored what it did: the lexical part (coverages of its best phrasing)
    and, when the semantic extra is on, the semantic part (cosine of its closest phrasing)."""

    entry_id: str
    score: float
    phrasing: str
    query_coverage: float
    phrasing_coverage: float
    # The lexical score alone; None means the same as ``score`` (no semantic part).
    lexical: float | None = None
    # Cosine between the question and the entry's closest phrasing in meaning, and that phrasing.
    similarity: float | None = None
    similar_phrasing: str = ""
    # The classifier's probability for the entry (None without a classifier), and the semantic
    # part (0..100) that the cosine and the probability made.
    probability: float | None = None
    meaning: float | None = None
    # How much closer (cosine) the question is to the closest of the knowledge's questions
    # outside the FAQ than to the closest phrasing of any entry (None without a semantic part,
    # or when it lists none): see ``decide``.
    outside_lead: float | None = None

    @property
    def fused(self) -> bool:
        """Whether the score combines a lexical and a semantic part."""
        return self.similarity is not None

    def explain(self) -> dict[str, object]:
        """Why this candidate scored what it did, as JSON (``ask --explain``)."""
        out: dict[str, object] = {
            "entry": self.entry_id,
            "score": self.score,
            "phrasing": self.phrasing,
            "query_coverage": round(self.query_coverage, 3),
            "phrasing_coverage": round(self.phrasing_coverage, 3),
        }
        if self.similarity is not None:
            out["lexical_score"] = self.lexical
            out["semantic_similarity"] = round(self.similarity, 4)
            out["similar_phrasing"] = self.similar_phrasing
            if self.probability is not None:
                out["semantic_probability"] = round(self.probability, 4)
            if self.outside_lead is not None:
                out["outside_lead"] = round(self.outside_lead, 4)
        return out


@dataclass(frozen=True)
class Match:
    """The matcher's decision for one question."""

    outcome: Outcome
    score: float
    candidates: tuple[Candidate, ...]
    tokens: tuple[str, ...] = ()
    # The question is one of the knowledge's (after normalisation): a phrasing, answered, or a
    # question outside the FAQ (``Knowledge.out_of_scope``), not answered.
    exact: bool = False
    # The words the tokens come from (what the lexicon weighs), in the same order.
    words: tuple[str, ...] = ()
    # The question asks about the asker's own case (bot.own_case): its entry is offered, not
    # answered. Marked on a fallback too: read with the previous answer, a follow-up may still
    # find its entry (bot.conversation).
    own_case: bool = False
    # One of the knowledge's questions outside the FAQ: the admins' list has the last word on
    # that wording, in a conversation too (bot.conversation).
    out_of_scope: bool = False

    @property
    def entry_id(self) -> str | None:
        """The answered entry, if the outcome is an answer."""
        return self.candidates[0].entry_id if self.outcome == "answer" else None

    def explain(self) -> dict[str, object]:
        """The decision and every candidate's parts, as JSON (``ask --explain``)."""
        return {
            "tokens": list(self.tokens),
            "exact": self.exact,
            "outcome": self.outcome,
            "semantic": any(c.fused for c in self.candidates),
            "candidates": [c.explain() for c in self.candidates],
        }


@dataclass(frozen=True)
class _Phrasing:
    text: str
    tokens: frozenset[str]
    weight: float


class Matcher:
    """An index over every entry's question and alternates, built once per knowledge."""

    def __init__(
        self,
        knowledge: Knowledge,
        thresholds: Thresholds = DEFAULT_THRESHOLDS,
        semantic: "SemanticIndex | bool" = True,
    ) -> None:
        """``semantic``: True builds the semantic part when the extra is installed (embedding
        only phrasings not cached yet), False matches lexically, or pass a built index."""
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

        whole_tokens = [[(text, analysed(text)) for text in entry.phrasings] for entry in entries]
        answer_tokens = [analysed(e.answer) for e in entries]
        is_small_talk = [entry.id in knowledge.small_talk_ids for entry in entries]
        small_talk = [i for i, small in enumerate(is_small_talk) if small]
        content = [i for i, small in enumerate(is_small_talk) if not small]
        pleasantries = pleasantry_tokens(
            [tokens for i in small_talk for _, tokens in whole_tokens[i]],
            [tokens for i in content for _, tokens in whole_tokens[i]],
            [answer_tokens[i] for i in content],
        )
        phrasing_tokens = [
            phrasings if small else [(text, trimmed(t, pleasantries)) for text, t in phrasings]
            for small, phrasings in zip(is_small_talk, whole_tokens, strict=True)
        ]
        self._entry_tokens = [
            frozenset(t for _, tokens in phrasings for t in tokens) for phrasings in phrasing_tokens
        ]
        self._answer_text_tokens = [frozenset(tokens) for tokens in answer_tokens]
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
        # Per entry, which of its phrasings use a token: a question's phrasing coverage is then
        # summed over the few phrasings that share a word, not over all of them.
        self._phrasing_postings: list[dict[str, tuple[int, ...]]] = []
        for phrasings in self._phrasings:
            postings: dict[str, list[int]] = {}
            for position, phrasing in enumerate(phrasings):
                if phrasing.weight > 0:
                    for t in phrasing.tokens:
                        postings.setdefault(t, []).append(position)
            self._phrasing_postings.append({t: tuple(ps) for t, ps in postings.items()})
        # Normal forms (Analyzer.forms) of the whole phrasings, pleasantries and all -> entry
        # and phrasing; validation refuses two entries that share a form, so this is
        # unambiguous.
        self._exact = {
            form: (index, text)
            for index, phrasings in enumerate(whole_tokens)
            for text, tokens in phrasings
            for form in self.analyzer.forms(text, tokens)
        }
        # The admins' list of questions outside the FAQ has the last word on those wordings.
        self._out_of_scope = frozenset(
            form for text in knowledge.out_of_scope for form in self.analyzer.forms(text)
        )
        # Which entries use a token in a phrasing, and which only in their answer text.
        self._postings: dict[str, list[int]] = {}
        self._answer_postings: dict[str, list[int]] = {}
        for index, tokens in enumerate(self._entry_tokens):
            for t in tokens:
                self._postings.setdefault(t, []).append(index)
            for t in self._answer_tokens[index]:
                self._answer_postings.setdefault(t, []).append(index)
        self._index_of = {entry_id: index for index, entry_id in enumerate(self._ids)}
        self._small_talk = frozenset(small_talk)
        # Words only small talk uses ("hallo", "bedankt"), at the ends of content phrasings
        # too (bot.pleasantries): courtesy around a real question.
        self._courtesy = frozenset(
            t
            for t in self._idf
            if self._small_talk.issuperset(self._postings.get(t, ()))
            and self._small_talk.issuperset(self._answer_postings.get(t, ()))
        )
        # Every word of a small-talk phrasing ("tot ziens" shares "zien" with content).
        self._small_talk_words = frozenset(
            t for index in self._small_talk for t in self._entry_tokens[index]
        )
        self._pleasantry_words = self._small_talk_words | BOT_NAMES
        self._small_talk_text_words = frozenset(
            w
            for entry in entries
            if entry.id in knowledge.small_talk_ids
            for text in entry.phrasings
            for w in self.analyzer.words(text)
        )
        self._spellings = self._spelling_targets(
            text for entry in entries for text in (*entry.phrasings, entry.answer)
        )
        self._spelling_keys = list(self._spellings)
        self.semantic: SemanticIndex | None = (
            _semantic_index(knowledge, self.analyzer.standard)
            if semantic is True
            else semantic or None
        )

    def _spelling_targets(self, texts: Iterable[str]) -> dict[str, tuple[str, ...]]:
        """Known tokens, plus whole compounds mapped to their parts so a typo in a compound
        (``werplekleren``) still finds them."""
        targets: dict[str, tuple[str, ...]] = {t: (t,) for t in self._idf}
        for text in texts:
            for word in self.analyzer.words(text):
                if len(self.analyzer.split(word)) < 2:
                    continue
                # A filler word that splits ("eigen|lijk") is dropped from every text that has
                # content, so the index may not know it: only parts the index knows count.
                parts = tuple(t for t in self.analyzer.tokens(word) if t in self._idf)
                if parts:
                    targets.setdefault(stem(word), parts)
        return targets

    def _resolve(self, token: str) -> tuple[tuple[str, float], ...]:
        """Map a question token to known tokens with a similarity (typos, compounds)."""
        if token in self._idf:
            return ((token, 1.0),)
        if len(token) < 3 or not token.isalpha():
            return ()
        if len(token) >= 4:
            # Short words have many near neighbours ("verdien" ~ "verdiep"): only long ones
            # are corrected with more than a single dropped or doubled letter.
            cutoff = 80.0 if len(token) >= 8 else 85.0
            found = process.extractOne(
                token, self._spelling_keys, scorer=fuzz.ratio, score_cutoff=cutoff
            )
            if found is not None:
                similarity = found[1] / 100
                return tuple((part, similarity) for part in self._spellings[found[0]])
        return self._resolve_short(token)

    def _resolve_short(self, token: str) -> tuple[tuple[str, float], ...]:
        """A short word with one typo ("mnetor", "VOT"), corrected only where it is safe: the
        word is no everyday word itself, exactly one word of the FAQ is one edit away, and a
        three-letter word only by two letters swapped."""
        if len(token) > 7 or self.lexicon.known(token):
            return ()
        near = [
            key
            for key, _, _ in process.extract(
                token,
                self._spelling_keys,
                scorer=DamerauLevenshtein.distance,
                score_cutoff=1,
                limit=None,
            )
            # A three-letter word only by two letters swapped ("vot" is "vto", not "zot").
            if len(token) > 3 or sorted(key) == sorted(token)
        ]
        if len(near) != 1:
            return ()
        return tuple((part, SHORT_TYPO_SIMILARITY) for part in self._spellings[near[0]])

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

    def match(self, question: str, alternatives: bool = False) -> Match:
        """Score the entries for ``question`` and decide. With ``alternatives`` the semantic
        part is asked even when the words alone decide, so the candidates after the first are
        the best other entries in both ways (the lists of "other questions")."""
        return self._match(question, alternatives, pleasantries=True)

    def _match(self, question: str, alternatives: bool, pleasantries: bool) -> Match:
        """:meth:`match`; ``pleasantries`` False for what is left of a message once its
        pleasantries are taken out."""
        pairs = self.analyzer.analyse(question)
        tokens = tuple(token for token, _ in pairs)
        words = tuple(word for _, word in pairs)
        # Nothing, or a question word alone ("waarom?" with no answer before it to ask about).
        if not tokens or QUESTION_WORDS.issuperset(words):
            return Match("fallback", 0.0, (), tokens, words=words)
        forms = self.analyzer.forms(question, tokens)
        if self._out_of_scope.intersection(forms):
            return Match("fallback", 0.0, (), tokens, exact=True, words=words, out_of_scope=True)
        pleasantry = self._pleasantry(question, tokens) if pleasantries else None
        if pleasantry is not None:
            return replace(pleasantry, tokens=tokens, words=words)
        own_case = asks_about_own_case(question)
        exact = self._exact_match(forms)
        # A question about the asker's own case takes a phrasing's answer only when it has
        # the phrasing's words ("wie is mijn mentor?": "Wat is een mentor?", whose answer says
        # whom to ask): "wie is de VTO-verantwoordelijke in ons ziekenhuis?" has the normal
        # form of "Wat doet een VTO-verantwoordelijke?" only once "ziekenhuis" is dropped.
        if exact is not None and (not own_case or _as_typed(question, exact)):
            return replace(exact, tokens=tokens, words=words)
        candidates = self.rank(tokens, words=words, text=question, alternatives=alternatives)
        decided = replace(self.decide(candidates, tokens), words=words)
        # Found nothing, or found something in a message that asks nothing.
        unasked = decided.outcome == "fallback" or (
            decided.outcome == "choices" and not asks(question)
        )
        if pleasantries and "?" not in question and unasked:
            # Not a question, and a word only small talk uses: a story that ends in thanks or
            # a goodbye ("ik moet ervandoor, tot de volgende keer"), a greeting before chatter
            # ("hallo daar, hoe gaat het mt jou"). Not when the matcher found what a sentence
            # without its question mark asks ("hallo werkplekbot. … wat is werkplekleren
            # eigenlijk").
            courtesy = self._last_small_talk(tokens, self._courtesy)
            if courtesy is not None:
                return replace(courtesy, tokens=tokens, words=words)
        if alternatives or not own_case:
            return decided
        if decided.outcome == "fallback":
            return replace(decided, own_case=True)
        # Offered with a word on whom to ask, whether it would be answered or offered.
        offered = candidates[:1] if decided.outcome == "answer" else decided.candidates
        return replace(decided, outcome="choices", candidates=offered, own_case=True)

    def _pleasantry(self, question: str, tokens: tuple[str, ...]) -> Match | None:
        """The answer to a message of nothing but small talk, or None for any other message.

        Small talk is recognised by its words, and a greeting beside a question made only of
        function words hides that question ("Hallo, wie ben je?" would read as "Hallo"): such a
        question is answered when the matcher answers it alone. Else, for several pleasantries
        ("Merci, tot ziens!") or one with the bot's name ("Bedankt, Werkplekbot"), the last
        one that is small talk on its own is answered."""
        small_talk = self._pleasantry_words
        if any(t in self._idf and t not in small_talk for t in tokens):
            return None  # a word of the FAQ's content: a question
        read = []  # typos read as the word they stand for ("dakn")
        for token in tokens:
            found = () if token in small_talk else self._resolve(token)
            read.append(found[0][0] if len(found) == 1 else token)
        if not self._courtesy.intersection(read) or not small_talk.issuperset(read):
            return None
        words = self.analyzer.words(question)
        if len(words) < 2:
            return None  # one word: the exact phrasing or the matcher as usual
        rest = [w for w in words if stem(w) not in self._courtesy and stem(w) not in BOT_NAMES]
        # Asked alone only when it is more than what is left of the pleasantries ("dank je
        # wel" leaves "je wel"): each such question costs a model call.
        if not self._small_talk_text_words.issuperset(rest):
            question_of_its_own = self._match(" ".join(rest), False, pleasantries=False)
            if question_of_its_own.outcome == "answer":
                return question_of_its_own
        # "sorry" in "oeps sorry, verkeerd getypt" when "verkeerd" is a content word too.
        return self._last_small_talk(read, self._small_talk_words)

    def _last_small_talk(self, tokens: Sequence[str], words: frozenset[str]) -> Match | None:
        """The answer to the last of ``tokens`` in ``words`` that is small talk on its own."""
        for token in reversed(tokens):
            if token not in words:
                continue
            small_talk_answer = self._exact_match(self.analyzer.forms(token))
            if small_talk_answer is not None:
                return small_talk_answer
        return None

    def _exact_match(self, forms: tuple[str, ...]) -> Match | None:
        """The answer when a question with these normal forms (``Analyzer.forms``) is a
        phrasing."""
        for form in forms:
            found = self._exact.get(form)
            if found is not None:
                index, phrasing = found
                candidate = Candidate(self._ids[index], 100.0, phrasing, 1.0, 1.0)
                return Match("answer", 100.0, (candidate,), exact=True)
        return None

    def rank(
        self,
        tokens: tuple[str, ...],
        limit: int = 5,
        leave_out: tuple[str, str | None] | None = None,
        words: tuple[str, ...] | None = None,
        text: str | None = None,
        alternatives: bool = False,
    ) -> tuple[Candidate, ...]:
        """The best-scoring entries for already analysed tokens, best first.

        ``words`` are the words the tokens come from (``Analyzer.analyse``): a word the FAQ does
        not know weighs by how common it is. ``text`` is the question itself: with it (and the
        semantic extra) the scores are fused with the semantic part. ``leave_out`` = (entry id,
        phrasing) scores as if that phrasing were not in the index, or the whole entry when the
        phrasing is None (for the knowledge lint). ``alternatives``: see :meth:`match`."""
        return self.fuse(self.parts(tokens, limit, leave_out, words, text, alternatives), limit)

    def weight(self, tokens: Iterable[str]) -> float:
        """How much the knowledge's words among ``tokens`` weigh (IDF, each once)."""
        return sum(self._idf.get(t, 0.0) for t in set(tokens))

    def rank_text(
        self, text: str, limit: int = 5, leave_out: tuple[str, str | None] | None = None
    ) -> tuple[Candidate, ...]:
        """:meth:`rank` for a text (the knowledge lint ranks phrasings this way)."""
        pairs = self.analyzer.analyse(text)
        tokens = tuple(t for t, _ in pairs)
        return self.rank(tokens, limit, leave_out, tuple(w for _, w in pairs), text)

    def parts(
        self,
        tokens: tuple[str, ...],
        limit: int = 5,
        leave_out: tuple[str, str | None] | None = None,
        words: tuple[str, ...] | None = None,
        text: str | None = None,
        alternatives: bool = False,
    ) -> "Parts":
        """Both signals for the candidates of a question, before they are combined (``fuse``
        combines them; ``bench calibrate`` replays the combination for other weights)."""
        semantic = self.semantic if text is not None and tokens else None
        lexical, extra = self._lexical(tokens, limit, leave_out, words)
        # (The runner-up is only known when more than one candidate is asked for.)
        decided = limit > 1 and not alternatives and self._decisive(lexical)
        if semantic is None or decided:
            return Parts(lexical, None)
        assert text is not None
        left_out = None
        if leave_out is not None and leave_out[0] in self._index_of:
            left_out = (self._index_of[leave_out[0]], leave_out[1])
        vector = semantic.readings(text, self.analyzer.standard(text))
        cosines = semantic.cosines(vector, left_out)
        similarities = semantic.similarities(cosines)
        probabilities = semantic.probabilities(vector, left_out)

        def probability(index: int) -> float | None:
            return None if probabilities is None else float(probabilities[index])

        def closeness(index: int) -> tuple[float, float]:
            cosine = float(similarities[index])
            return self.thresholds.semantic_part(cosine, probability(index)), cosine

        # Small talk gets a semantic part only when the words say it is small talk.
        ranked = sorted(
            (i for i in range(len(self._ids)) if i not in self._small_talk),
            key=closeness,
            reverse=True,
        )
        closest = ranked[: self.thresholds.semantic_candidates]
        lexical = (*lexical, *extra(closest))
        indices = dict.fromkeys([*(self._index_of[c.entry_id] for c in lexical), *closest])
        meanings = {
            self._ids[index]: Meaning(
                float(similarities[index]),
                probability(index),
                semantic.best_phrasing(cosines, index),
            )
            for index in indices
        }
        outside = semantic.nearest_outside(vector)
        lead = None if outside is None else outside - float(similarities.max())
        return Parts(lexical, meanings, lead)

    def _decisive(self, lexical: tuple[Candidate, ...]) -> bool:
        """Whether the words alone leave no doubt about the best entry."""
        settings = self.thresholds
        if not lexical or lexical[0].score < settings.decisive_score:
            return False
        runner_up = lexical[1].score if len(lexical) > 1 else 0.0
        return lexical[0].score - runner_up >= settings.decisive_margin

    def fuse(
        self, parts: "Parts", limit: int = 5, settings: Thresholds | None = None
    ) -> tuple[Candidate, ...]:
        """The candidates of :meth:`parts`, scored with this matcher's thresholds (or
        ``settings``)."""
        return fuse(parts, settings or self.thresholds, limit)

    def _lexical(
        self,
        tokens: tuple[str, ...],
        limit: int = 5,
        leave_out: tuple[str, str | None] | None = None,
        words: tuple[str, ...] | None = None,
    ) -> tuple[tuple[Candidate, ...], "Extra"]:
        """The ``limit`` best lexical candidates, best first; and a function that scores more
        entries (those the semantic part finds close) that share a word with the question."""
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
            return (), _nothing_more
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

        tie: dict[str, float] = {}  # equal scores: the more completely matched phrasing first
        gains = {t: self._idf[t] * similarity[t] for t in weights}
        min_weight = settings.min_phrasing_weight

        def score(index: int) -> Candidate | None:
            query_coverage = explained[index] / total
            if index in self._small_talk and query_coverage < settings.small_talk_coverage:
                return None  # "Hallo, hoeveel verlofdagen heb ik?" is not a greeting
            phrasings = self._phrasings[index]
            skipped = leave_out[1] if index == left_out and leave_out is not None else None
            # Most phrasings share no word with the question: they cannot be the best.
            postings = self._phrasing_postings[index]
            sharing = {position for t in gains for position in postings.get(t, ())}
            best_text, best_coverage, best_raw = "", 0.0, 0.0
            for position in sorted(sharing):  # in order: of equals, the first phrasing
                phrasing = phrasings[position]
                if phrasing.text == skipped:
                    continue
                # Summed in the order of the phrasing's own tokens, as its weight is: a phrasing
                # the question covers completely then covers exactly 1, whatever the hash seed.
                hit = sum(gains[t] for t in phrasing.tokens if t in gains)
                coverage = hit / max(phrasing.weight, min_weight)
                if coverage < best_coverage:
                    continue
                raw = hit / phrasing.weight
                if coverage > best_coverage or raw > best_raw:
                    best_text, best_coverage, best_raw = phrasing.text, coverage, raw
            if query_coverage <= 0 or best_coverage <= 0:
                return None
            value = 100 * math.exp(
                alpha * math.log(query_coverage) + (1 - alpha) * math.log(best_coverage)
            )
            tie[self._ids[index]] = best_raw
            return Candidate(
                self._ids[index], round(value, 2), best_text, query_coverage, best_coverage
            )

        scored: list[Candidate] = []
        floor = 0.0  # the limit-th best score so far
        # A heap, not a sort: usually only the first few dozen entries are ever taken out.
        queue = [(-gain, index) for index, gain in explained.items()]
        heapq.heapify(queue)
        while queue:
            negative_gain, index = heapq.heappop(queue)
            # Phrasing coverage is at most 1: this bounds the score of this and every later entry.
            if len(scored) >= limit and 100 * (-negative_gain / total) ** alpha < floor:
                break
            candidate = score(index)
            if candidate is None:
                continue
            scored.append(candidate)
            if len(scored) >= limit:
                scored.sort(key=lambda c: (-c.score, -tie[c.entry_id], c.entry_id))
                del scored[limit:]
                floor = scored[-1].score
        scored.sort(key=lambda c: (-c.score, -tie[c.entry_id], c.entry_id))
        kept = {c.entry_id for c in scored}

        def extra(include: Iterable[int]) -> tuple[Candidate, ...]:
            found = [
                candidate
                for index in sorted(include)
                if index in explained
                and self._ids[index] not in kept
                and (candidate := score(index)) is not None
            ]
            return tuple(sorted(found, key=lambda c: (-c.score, c.entry_id)))

        return tuple(scored), extra

    def decide(
        self, candidates: tuple[Candidate, ...], tokens: tuple[str, ...] = (), slack: float = 0.0
    ) -> Match:
        """Answer, choices or fallback for ranked candidates, with this matcher's thresholds
        (raised by ``slack`` points: what would answer even with a little less confidence)."""
        return decide(candidates, self.thresholds, tokens, slack)


def _as_typed(question: str, exact: Match) -> bool:
    """Whether ``question`` has the words of the phrasing ``exact`` matched, function words
    aside, before the synonyms drop any ("ons ziekenhuis")."""

    def said(text: str) -> set[str]:
        return set(fold(text).split()) - STOPWORDS

    return said(question) == said(exact.candidates[0].phrasing)


@functools.cache
def _semantic_unavailable(reason: str) -> None:
    log.warning(
        "Semantic matching is off (%s): matching lexically. "
        "Install it with: pip install 'werkplekbot[semantic]'",
        reason,
    )


def _semantic_index(
    knowledge: Knowledge, standard: Callable[[str], str | None]
) -> "SemanticIndex | None":
    """The knowledge's semantic index, or None when the semantic extra is not installed."""
    try:
        from bot.semantic import SemanticIndex
    except ImportError as exc:
        _semantic_unavailable(str(exc))
        return None
    return SemanticIndex.build(knowledge, standard=standard)


# Scores more entries for the question just ranked lexically (see ``Matcher._lexical``).
Extra = Callable[[Iterable[int]], tuple[Candidate, ...]]


def _nothing_more(include: Iterable[int]) -> tuple[Candidate, ...]:
    return ()


@dataclass(frozen=True)
class Meaning:
    """How close a question is in meaning to one entry."""

    cosine: float  # with the entry's closest phrasing
    probability: float | None  # the classifier's, when there is one
    phrasing: str  # the closest phrasing


@dataclass(frozen=True)
class Parts:
    """The two signals for a question's candidates: lexical candidates (best first) and, when
    the semantic part is on, per candidate entry its :class:`Meaning`."""

    lexical: tuple[Candidate, ...]
    semantic: dict[str, Meaning] | None
    # ``Candidate.outside_lead``, the same for every candidate.
    outside_lead: float | None = None


def fuse(parts: Parts, settings: Thresholds, limit: int = 5) -> tuple[Candidate, ...]:
    """Score candidates from both signals: the lexical score alone when there is no semantic
    part, else ``(1 - w) * lexical + w * semantic`` with ``w = settings.semantic_weight``."""
    if parts.semantic is None:
        return parts.lexical[:limit]
    lexical = {c.entry_id: c for c in parts.lexical}
    weight = settings.semantic_weight
    fused = []
    for entry_id, found in parts.semantic.items():
        base = lexical.get(entry_id) or Candidate(entry_id, 0.0, found.phrasing, 0.0, 0.0)
        meaning = settings.semantic_part(found.cosine, found.probability)
        fused.append(
            replace(
                base,
                score=round((1 - weight) * base.score + weight * meaning, 2),
                lexical=base.score,
                similarity=found.cosine,
                similar_phrasing=found.phrasing,
                probability=found.probability,
                meaning=meaning,
                outside_lead=parts.outside_lead,
            )
        )
    fused.sort(key=lambda c: (-c.score, *(-v for v in _closeness(c)), c.entry_id))
    return tuple(fused[:limit])


def parts_agree(candidates: tuple[Candidate, ...]) -> bool:
    """Whether the best fused candidate is also the best by words alone and by meaning alone."""
    best = candidates[0]
    lexical = max(candidates, key=lambda c: c.lexical or 0.0)
    semantic = max(candidates, key=_closeness)
    return (best.lexical or 0.0) >= (lexical.lexical or 0.0) and _closeness(best) >= _closeness(
        semantic
    )


def _closeness(candidate: Candidate) -> tuple[float, float]:
    # The semantic part, then the cosine: parts above the ceiling all read 100.
    return candidate.meaning or 0.0, candidate.similarity or 0.0


def _closer_outside(candidates: tuple[Candidate, ...], settings: Thresholds) -> bool:
    """Whether the question is closer in meaning to one of the knowledge's questions outside
    the FAQ than to any of its phrasings ("wat is de beste app om mijn POP bij te houden?"
    beside the apps and software listed there): the words may still point at an entry (the
    POP), but it is offered, not answered."""
    lead = candidates[0].outside_lead
    return lead is not None and lead > settings.outside_margin


def _with_split(candidates: tuple[Candidate, ...], margin: float, settings: Thresholds) -> float:
    """``margin``, raised to ``fused_split_margin`` when the parts disagree on the best."""
    if parts_agree(candidates):
        return margin
    return max(margin, settings.fused_split_margin)


def is_sure(candidates: tuple[Candidate, ...], settings: Thresholds, slack: float = 0.0) -> bool:
    """Whether the entry classifier is sure of the best entry, the question is well away from
    the questions outside the FAQ, and the best is plausible and ahead (``Thresholds.sure_*``):
    "Is er een officieel papier waarmee je kunt aantonen wat je na jaren praktijk kunt?"."""
    best = candidates[0]
    runner_up = candidates[1].score if len(candidates) > 1 else 0.0
    margin = _with_split(candidates, settings.sure_margin, settings)
    return (
        best.probability is not None
        and best.probability >= settings.sure_probability
        and best.outside_lead is not None
        and best.outside_lead <= -settings.sure_lead
        and best.score >= settings.sure_answer + slack
        and best.score - runner_up >= margin + slack
    )


def decide(
    candidates: tuple[Candidate, ...],
    settings: Thresholds,
    tokens: tuple[str, ...] = (),
    slack: float = 0.0,
) -> Match:
    """The decision rule: answer when the best entry is confident and far enough ahead of the
    runner-up, offer the close ones as choices when it is plausible, else fall back. Fused
    scores (lexical and semantic) have their own thresholds."""
    fused = bool(candidates) and candidates[0].fused
    answer, margin, choices = settings.decision(fused)
    if fused:
        margin = _with_split(candidates, margin, settings)
    answer, margin = answer + slack, margin + slack
    if not candidates or candidates[0].score < choices:
        score = candidates[0].score if candidates else 0.0
        return Match("fallback", score, candidates, tokens)
    top = candidates[0].score
    runner_up = candidates[1].score if len(candidates) > 1 else 0.0
    if top >= answer and top - runner_up >= margin and not _closer_outside(candidates, settings):
        return Match("answer", top, candidates, tokens)
    if fused and is_sure(candidates, settings, slack):
        return Match("answer", top, candidates, tokens)
    offered = tuple(
        c
        for c in candidates[: settings.max_choices]
        if c.score >= choices and c.score >= top - settings.choice_window
    )
    return Match("choices", top, offered, tokens)
