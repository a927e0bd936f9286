"""Language data and a light stemmer for Dutch (and the English that colleagues mix in).

Snowball's Dutch stemmer strips the ``ge-`` prefix, which turns *begeleiding* into *beleid*
(policy) and *loopbaangesprek* into *loopbaansprek*; in this domain that confuses exactly the
words that matter. The light stemmer below only removes inflection (plurals, diminutives,
adjective endings) and folds long vowels, so both sides of a comparison land on one form.
"""

import functools
import re
from collections.abc import Iterator

# Words that open a question ("wa" is Flemish for "wat").
QUESTION_WORDS = frozenset(
    "wat wa hoe hoezo waarom wie welke welk wanneer waar what how why who which when where".split()
)

# Function words that carry no topic. Question words that do discriminate between entries
# (waarom, wanneer, welke) are deliberately absent: "Waarom werkplekleren?" differs from
# "Werkplekleren?".
STOPWORDS = frozenset(
    """
    aan al alle allemaal alles als alsjeblieft alstublieft altijd ander andere anders ben bent
    bij binnen daar daarbij daarin daarom daarvan dan dat de deze die dit doe doen doet
    door dus echt een eens eigenlijk en enkel er even ge gedaan geen gewoon graag had hadden
    heb hebben hebt heeft hem hen het hier hij hoe hun ik in is ja je jij jou jouw jullie kan
    kun kunnen kunt laat maar me mee men met mij mijn moet moeten mogen naar net niet nog
    nou nu of ok oke okay om onder ons onze ook op over precies s sommige soms t te tegen toch
    tot u uit van veel voor vaak waar wat we wel wie wij wil willen word worden wordt zal
    zeer zelf ze zich zij zijn zo zou zouden zullen w
    ga gaan gaat ging zeg zegt zeggen zei vind vindt vinden krijg krijgt krijgen kom komt komen
    zit zitten sta staat staan hoor hoort horen weet weten wilt
    juist weer iets zoiets ergens iemand iedereen dingen ding he hee hoor zeker
    betekent betekend betekenen betekenis bedoeld bedoelt bedoelen bedoeling verstaan verstaat
    definitie uitleg uitleggen houdt dient dienen verband tussen relatie maak maakt maken gemaakt
    a about am an and any are be been but by can could do does did for from get have i if it
    me my of on or our please should so that the their them there this to us was we what with
    would you your mean means meaning explain describe tell which lot much very really
    """.split()
)

_VOWEL_RUN = re.compile(r"(aa|ee|oo|uu)")
_DIMINUTIVES = ("tjes", "tje", "jes", "je")


# Longer words (pasted text, a run of letters) are stemmed without the cache: it is bounded
# by count, and must not fill with such words.
_CACHED_STEM_LENGTH = 40


def stem(word: str) -> str:
    """Reduce a folded Dutch word to a light stem (inflection only, long vowels folded)."""
    return _cached_stem(word) if len(word) <= _CACHED_STEM_LENGTH else _stem(word)


# Every phrasing, answer and question is stemmed word by word, and the same words recur.
# Bounded: a long-running bot meets ever new words.
@functools.lru_cache(maxsize=1 << 16)
def _cached_stem(word: str) -> str:
    return _stem(word)


def _stem(word: str) -> str:
    if len(word) <= 3 or not word.isalpha():
        return word
    for suffix in _DIMINUTIVES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            word = word[: -len(suffix)]
            break
    if word.endswith("heden"):
        word = word[:-5] + "heid"
    elif word.endswith("en") and len(word) >= 5:
        word = word[:-2]
        if len(word) >= 3 and word[-1] == word[-2] and word[-1] not in "aeiou":
            word = word[:-1]
    elif word.endswith("s") and len(word) >= 5 and (word[-2] in "aiorlnm" or word[-3:] == "ies"):
        word = word[:-1]
    elif word.endswith("t") and len(word) >= 5 and word[-2] not in "aeioust":
        word = word[:-1]
    if word.endswith("e") and len(word) >= 5:
        word = word[:-1]
    elif word.endswith("ing") and len(word) >= 7:
        word = word[:-3]  # the verb's stem: investering ~ investeren, inwerking ~ inwerken
    return _VOWEL_RUN.sub(lambda m: m.group(0)[0], word)


LETTERS = "abcdefghijklmnopqrstuvwxyz"


def edits1(word: str) -> Iterator[str]:
    """Every distinct string one edit away from ``word``: a letter dropped, added or changed,
    or two neighbouring letters swapped."""
    seen = {word}
    for i in range(len(word) + 1):
        left, right = word[:i], word[i:]
        candidates = [left + c + right for c in LETTERS]
        if right:
            candidates.append(left + right[1:])
            candidates += [left + c + right[1:] for c in LETTERS]
        if len(right) > 1:
            candidates.append(left + right[1] + right[0] + right[2:])
        for candidate in candidates:
            if candidate not in seen:
                seen.add(candidate)
                yield candidate


# How Flemish dialects and chat spell a standard word: "lyst" (lijst), "verstoan" (verstaan),
# "lere" (leren: the final n dropped). Each rewrite undoes one habit. (Limburg "oe" for "oo",
# as in "gewoen", is left out: "oe" is everywhere in standard Dutch, and "ervoer" or "stoepen"
# would turn into other words.)
_DIALECT_REWRITES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"y"), "ij"),
    (re.compile(r"oa(?=[^aeiou][aeiou])"), "a"),  # an open syllable: "ervoaring"
    (re.compile(r"oa"), "aa"),
    (re.compile(r"(?<=[^aeiou])e$"), "en"),
)


def dialect_variants(word: str) -> tuple[str, ...]:
    """The standard spellings a dialect spelling of ``word`` may stand for (every combination of
    the rewrites that changes it), for the caller to keep the one it knows."""
    variants = [word]
    for pattern, replacement in _DIALECT_REWRITES:
        variants += [changed for v in variants if (changed := pattern.sub(replacement, v)) != v]
    return tuple(dict.fromkeys(variants[1:]))
