"""How common a word is in everyday Dutch (and English): the matcher's background knowledge.

The FAQ's own statistics say how rare a word is *in the FAQ*; they cannot tell an ordinary word
the FAQ happens not to use ("eigenlijk", "vragen") from a word that really is off-topic
("gitaar"), nor a typo in a filler word ("eigelijk") from an unknown name. The word frequencies
of `wordfreq <https://pypi.org/project/wordfreq/>`_ can: its wheel ships frequency lists for
Dutch and English (nothing is downloaded). Its "small" lists hold every word with a Zipf
frequency of at least 3 (once per million words); a word that is not in them is rare.

Zipf scale: 7 = "de", 6 = "goed", 5 = "organisatie", 4 = "gitaar", 3 = "stagiaire".
"""

import functools
import logging
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from bot.dutch import edits1
from bot.text import fold

log = logging.getLogger(__name__)

LANGUAGES = ("nl", "en")


@dataclass(frozen=True, eq=False)
class Lexicon:
    """Zipf frequencies of folded words (the highest over Dutch and English). Compared and
    hashed by identity: one is loaded per process."""

    zipf_of: Mapping[str, float]

    def zipf(self, word: str) -> float:
        """The word's Zipf frequency; 0 for a word too rare to be listed."""
        return self.zipf_of.get(word, 0.0)

    def known(self, word: str) -> bool:
        """Whether the word is an ordinary word (listed at all)."""
        return word in self.zipf_of

    def neighbours(self, word: str) -> Iterable[str]:
        """Listed words one edit away (a letter dropped, added, changed or two swapped)."""
        return (candidate for candidate in edits1(word) if candidate in self.zipf_of)

    def correction(self, word: str, min_zipf: float = 4.5, min_gain: float = 2.0) -> str | None:
        """The word a typo most likely stands for: a common word (``min_zipf``) one edit away
        that is at least ``min_gain`` Zipf (100 times) more frequent than the word as typed.
        ``eigelijk`` -> ``eigenlijk``; ``gitaar`` stays ``gitaar``."""
        # (No common word is longer than this; a longer one would cost a lookup per edit.)
        if not 4 <= len(word) <= 30 or not word.isalpha():
            return None
        own = self.zipf(word)
        best, best_zipf = None, max(min_zipf, own + min_gain)
        for candidate in self.neighbours(word):
            z = self.zipf_of[candidate]
            if z >= best_zipf:
                best, best_zipf = candidate, z
        return best


EMPTY = Lexicon({})


@functools.cache
def load_lexicon() -> Lexicon:
    """The Dutch and English lists of wordfreq, folded like the matcher folds; an empty lexicon
    (every word unknown, as before) when wordfreq is not installed."""
    try:
        import wordfreq
    except ImportError:  # pragma: no cover - wordfreq is a dependency
        log.warning("wordfreq is not installed: every word the FAQ does not use counts as rare")
        return EMPTY
    zipf: dict[str, float] = {}
    for language in LANGUAGES:
        for word, frequency in wordfreq.get_frequency_dict(language, "small").items():
            # Most listed words are folded already; fold() would cost half the start-up.
            plain = word.isascii() and word.isalnum() and word.islower()
            key = word if plain else fold(word)
            if key and " " not in key:
                value = round(math.log10(frequency) + 9, 2)
                if value > zipf.get(key, 0.0):
                    zipf[key] = value
    return Lexicon(zipf)
