"""Text normalisation shared by the knowledge and the questions: fold, synonyms, compounds, stems.

Both sides of every comparison go through the same :class:`Analyzer`, so whatever it does to a
word (Flemish spelling, an abbreviation, a compound split in two) it does to both.
"""

import functools
import re
import unicodedata
from collections import OrderedDict
from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING, TypeVar

from bot.dutch import QUESTION_WORDS, STOPWORDS, dialect_variants, edits1, stem
from bot.knowledge import Entry

T = TypeVar("T")

if TYPE_CHECKING:
    from bot.lexicon import Lexicon

_APOSTROPHE = re.compile(r"(?<=\w)['’`´](?=\w)")
# Abbreviations written with dots ("P.O.P.", "v.t.o.") are the word without them.
_DOTTED = re.compile(r"(?<!\w)[a-z](?:\.[a-z])+\.?(?!\w)")
# Where a sentence ends (a question mark marks a question: Analyzer.standard keeps it); not
# after the last dot of an abbreviation ("Wat is een P.O.P. en hoe maak ik er een?").
SENTENCE_END = re.compile(r"(?<=[.!?])(?<!\b\w\.\w\.)\s+")
# What may close a sentence after its last word: marks, quotes, brackets.
_SENTENCE_MARKS = ".!?\"')]»”’ "
_NON_WORD = re.compile(r"[^0-9a-z]+")
# Three-letter parts split too eagerly (vrijdag -> vrij + dag).
_MIN_PART = 4
_MIN_COMPOUND = 2 * _MIN_PART
# Longer "words" are not compounds but pasted text ("werkwerkwerk…" for a thousand letters):
# splitting one would try every cut at every level.
_MAX_COMPOUND = 40
SPLIT_CACHE_SIZE = 20_000
# A dialect spelling is read as an ordinary word only when that word is this common (Zipf): a
# rare one is as likely to be another rare word.
DIALECT_MIN_ZIPF = 3.0


def sentences(text: str) -> list[str]:
    """The sentences of ``text``, stripped, without empty ones."""
    return [s for s in (part.strip() for part in SENTENCE_END.split(text)) if s]


def question_sentences(text: str) -> list[str]:
    """The sentences of ``text`` that end in a question mark or open with a question word."""
    return [s for s in sentences(text) if s.endswith("?") or _OPENS_QUESTION.match(s)]


# A sentence that opens with a question word asks, question mark or not ("… ik ben gewoon
# verward. wat is werkplekleren eigenlijk"), unless it exclaims ("wat een drukte vandaag") or
# the word starts a clause ("waar ik werk, is het druk").
_QUESTION_WORD = (
    r"(?:en |maar |dus )?"
    rf"(?:{'|'.join(sorted(QUESTION_WORDS))})\b"
    r"(?!\s+(?:een|'n|leuk|fijn|goed|tof|mooi|jammer|spijtig|erg|lief|nice|great|cool|good"
    r"|ik|we|wij|je|jij|u|hij|zij|ze|men)\b)"
)
_OPENS_QUESTION = re.compile(r"\W*" + _QUESTION_WORD, re.IGNORECASE)
# The same after a comma or another mark: "hallo, wat is een POP".
_ASKS = re.compile(r"(?:^|[.!?,;:])\s*" + _QUESTION_WORD, re.IGNORECASE)


def asks(text: str) -> bool:
    """Whether ``text`` has a question mark or a sentence or clause that opens with a question
    word."""
    return "?" in text or _ASKS.search(text) is not None


def fold(text: str) -> str:
    """Lower-case, drop diacritics, apostrophes and the dots of abbreviations ("P.O.P."), turn
    everything else into single spaces."""
    text = text.casefold()
    if not text.isascii():  # most text is: skip the costly decomposition
        text = unicodedata.normalize("NFKD", text)
        text = "".join(c for c in text if not unicodedata.combining(c))
    text = _APOSTROPHE.sub("", text)
    text = _DOTTED.sub(lambda m: m.group().replace(".", ""), text)
    return " ".join(_NON_WORD.sub(" ", text).split())


class Analyzer:
    """Turns text into the tokens the matcher compares: folded, synonyms applied, compounds split,
    stop words dropped, stemmed."""

    def __init__(
        self,
        synonyms: Mapping[str, str],
        vocabulary: Iterable[str] = (),
        lexicon: "Lexicon | None" = None,
    ) -> None:
        self._lexicon = lexicon
        self._synonyms: dict[tuple[str, ...], tuple[str, ...]] = {}
        for phrase, replacement in synonyms.items():
            key = tuple(fold(phrase).split())
            if key:
                self._synonyms[key] = tuple(fold(replacement).split())
        self._longest = max((len(k) for k in self._synonyms), default=0)
        # Words that start a phrase of several words: only there is a longer match tried.
        self._phrase_starts = frozenset(k[0] for k in self._synonyms if len(k) > 1)
        self._synonym_words = frozenset(word for k in self._synonyms for word in k)
        self._vocabulary = frozenset(vocabulary)
        # Questions repeat the same words over and over; splitting is the costly step. Bounded:
        # a long-running bot meets ever new words (typos, names) and must not keep them all.
        # (A plain dict, not functools.lru_cache on a bound method: that would be a reference
        # cycle, and a replaced knowledge would then wait for the garbage collector.)
        self._parts: OrderedDict[str, tuple[str, ...]] = OrderedDict()
        self._spellings: OrderedDict[str, str] = OrderedDict()

    @classmethod
    def for_texts(
        cls, synonyms: Mapping[str, str], texts: Iterable[str], lexicon: "Lexicon | None" = None
    ) -> "Analyzer":
        """An analyzer that splits compounds into parts that occur on their own in ``texts``
        (and, with a ``lexicon``, reads a typo in an ordinary word as that word)."""
        plain = cls(synonyms)
        vocabulary = {
            stem(word)
            for text in texts
            for word in plain.words(text)
            if len(word) >= _MIN_PART and word not in STOPWORDS
        }
        return cls(synonyms, vocabulary, lexicon)

    def words(self, text: str) -> list[str]:
        """The folded words of ``text`` with the synonym table applied (longest phrase first)."""
        return self._synonymised(fold(text).split())

    def _synonymised(self, words: list[str]) -> list[str]:
        if not self._synonyms:
            return words
        out: list[str] = []
        i = 0
        while i < len(words):
            longest = self._longest if words[i] in self._phrase_starts else 1
            for size in range(min(longest, len(words) - i), 0, -1):
                replacement = self._synonyms.get(tuple(words[i : i + size]))
                if replacement is not None:
                    out.extend(replacement)
                    i += size
                    break
            else:
                out.append(words[i])
                i += 1
        return out

    def tokens(self, text: str) -> tuple[str, ...]:
        """The content tokens of ``text``, in order.

        A text made only of function words ("Wie ben je?") keeps them all: small talk has
        nothing else to be recognised by.
        """
        return tuple(token for token, _ in self.analyse(text))

    def analyse(self, text: str) -> tuple[tuple[str, str], ...]:
        """The content tokens of ``text`` with the word (or compound part) each comes from: the
        matcher weighs a word the FAQ does not know by how common it is in everyday Dutch."""
        words = self._spelled(text)
        out = [
            (stem(part), part)
            for word in words
            if word not in STOPWORDS
            for part in self.split(word)
            if part not in STOPWORDS
        ]
        if out:
            return tuple(out)
        return tuple((stem(word), word) for word in self.words(text))

    def standard(self, text: str) -> str | None:
        """``text`` as the analyzer reads it, for the semantic model: synonyms applied, dialect
        spellings and typos read as the words they stand for, the end of each sentence kept
        (the question marks say where the question is); None when no word changes.

        "kheb gin diploma mor wel ervaring. Kan ik da laten erkennen?" reads "ik heb geen
        diploma maar wel ervaring. kan ik dat laten erkennen?"."""
        changed = False
        read = []
        for sentence in sentences(text):
            spelled = self._spelled(sentence)
            changed = changed or spelled != fold(sentence).split()
            if spelled:
                # "?!", '?"' and "?)" end a question too.
                trailing = sentence[len(sentence.rstrip(_SENTENCE_MARKS)) :]
                end = next((mark for mark in "?!." if mark in trailing), "")
                read.append(" ".join(spelled) + end)
        return " ".join(read) if changed and read else None

    def _spelled(self, text: str) -> list[str]:
        """The words of ``text`` (synonyms applied), each in its standard spelling.

        A word that no synonym phrase contains is read in its standard spelling before the
        synonyms too, so that "niewe collegas" meets the phrase "nieuwe collegas"."""
        words = [
            word if word in self._synonym_words else self._spelling(word)
            for word in fold(text).split()
        ]
        return [self._spelling(word) for word in self._synonymised(words)]

    def _spelling(self, word: str) -> str:
        """:meth:`_read_spelling`, cached (bounded like the splits): every text is read word by
        word, and the same words recur."""
        # (A word longer than any compound is read without the cache: it is bounded by count,
        # and must not fill with pasted runs of letters.)
        if self._lexicon is None or len(word) > _MAX_COMPOUND:
            return self._read_spelling(word)
        return _remembered(self._spellings, word, self._read_spelling)

    def _read_spelling(self, word: str) -> str:
        """A dialect spelling read as the standard word ("verstoan" -> "verstaan", see
        :meth:`_standard`), else a typo in an ordinary word read as that word ("eigelijk" ->
        "eigenlijk", a filler word then dropped): only for a word that neither the knowledge nor
        the lexicon knows, one edit away from a word a hundred times more common."""
        lexicon = self._lexicon
        if (
            lexicon is None
            or word in STOPWORDS
            or stem(word) in self._vocabulary
            or lexicon.known(word)
        ):
            return word
        standard = self._standard(word, lexicon)
        if standard is not None:
            return standard
        correction = _cached_correction(lexicon, word)
        if correction is None or stem(correction) in self._vocabulary:
            return correction or word
        # A word one edit from a word of the knowledge is left for the matcher's own correction
        # ("populiar" is "populair", not the English "popular").
        if any(stem(v) in self._vocabulary for v in edits1(word)):
            return word
        return correction

    def _standard(self, word: str, lexicon: "Lexicon") -> str | None:
        """The standard spelling of a dialect spelling ("lyst", "verstoan", "lere"): a variant
        the knowledge uses, else the most common ordinary word among them."""
        variants = dialect_variants(word)
        for variant in variants:
            if stem(variant) in self._vocabulary or len(self.split(variant)) > 1:
                return variant
        zipf, common = max(((lexicon.zipf(v), v) for v in variants), default=(0.0, ""))
        return common if zipf >= DIALECT_MIN_ZIPF else None

    def forms(self, text: str, tokens: tuple[str, ...] | None = None) -> tuple[str, ...]:
        """The normal forms of a question: two phrasings that share one are the same question,
        for the matcher and for validation alike. One is its tokens (inflection, synonyms,
        compounds); the other its content words run together, so that phrasings that differ
        only in how a compound is spaced ("team coachingplan", "teamcoaching plan") meet.
        ``tokens`` saves analysing the text twice when the caller has them already."""
        tokens = self.tokens(text) if tokens is None else tokens
        if not tokens:
            return ()
        spaced = "".join(w for w in self.words(text) if w not in STOPWORDS)
        return tuple(dict.fromkeys((" ".join(tokens), spaced or " ".join(tokens))))

    def _known(self, part: str) -> bool:
        return len(part) >= _MIN_PART and part not in STOPWORDS and stem(part) in self._vocabulary

    def split(self, word: str) -> tuple[str, ...]:
        """Split a compound (``werkplekleren``) into parts known on their own (cached)."""
        if len(word) > _MAX_COMPOUND:
            return (word,)  # no compound: not kept in the cache either
        return _remembered(self._parts, word, self._split)

    @property
    def cached_words(self) -> tuple[int, int]:
        """How many words' splits and how many words' spellings are cached (each never more than
        SPLIT_CACHE_SIZE)."""
        return len(self._parts), len(self._spellings)

    def _split(self, word: str) -> tuple[str, ...]:
        """Split a compound (``werkplekleren``) into parts known on their own."""
        if not _MIN_COMPOUND <= len(word) <= _MAX_COMPOUND or not self._vocabulary:
            return (word,)
        if not word.isalpha():
            return (word,)
        # Longest known left part first; Dutch joins parts with a linking -s- (ontwikkeling-s-plan).
        for cut in range(len(word) - _MIN_PART, _MIN_PART - 1, -1):
            left, right = word[:cut], word[cut:]
            lefts = (left, left[:-1]) if left.endswith("s") else (left,)
            for candidate in lefts:
                if self._known(candidate) and (self._known(right) or len(right) >= _MIN_COMPOUND):
                    tail = (right,) if self._known(right) else self.split(right)
                    if len(tail) > 1 or self._known(right):
                        return self.split(candidate) + tail
        return (word,)


def _remembered(cache: "OrderedDict[str, T]", word: str, read: Callable[[str], T]) -> T:
    """``read(word)``, kept in ``cache``, which forgets its oldest word beyond SPLIT_CACHE_SIZE."""
    value = cache.get(word)
    if value is None:
        value = cache[word] = read(word)
        if len(cache) > SPLIT_CACHE_SIZE:
            cache.popitem(last=False)
    return value


@functools.lru_cache(maxsize=SPLIT_CACHE_SIZE)
def _cached_correction(lexicon: "Lexicon", word: str) -> str | None:
    return lexicon.correction(word)


def knowledge_analyzer(
    synonyms: Mapping[str, str], entries: Iterable[Entry], lexicon: "Lexicon | None" = None
) -> Analyzer:
    """The analyzer of one knowledge: compounds split into parts that its questions, alternates
    or answers use on their own, typos in ordinary words read as those words. Validation and
    matching both use this one."""
    if lexicon is None:
        from bot.lexicon import load_lexicon

        lexicon = load_lexicon()
    texts = tuple(text for entry in entries for text in (*entry.phrasings, entry.answer))
    return _analyzer_for(tuple(synonyms.items()), texts, lexicon)


# Loading checks a knowledge with its analyzer and the matcher then reads it with the same
# one: built once, its caches warm. Only the last: a knowledge replaced by a reload must not
# stay in memory through its texts.
@functools.lru_cache(maxsize=1)
def _analyzer_for(
    synonyms: tuple[tuple[str, str], ...], texts: tuple[str, ...], lexicon: "Lexicon"
) -> Analyzer:
    return Analyzer.for_texts(dict(synonyms), texts, lexicon)
