"""Everyday word frequencies (wordfreq): what is ordinary Dutch, and what a typo stands for."""

from bot.dutch import edits1
from bot.lexicon import Lexicon, load_lexicon


def test_common_and_rare_words() -> None:
    lexicon = load_lexicon()
    assert lexicon.zipf("eigenlijk") > 5 > lexicon.zipf("gitaar") > 4
    assert lexicon.zipf("werkplekleren") == 0.0 and not lexicon.known("asdfghjkl")
    assert lexicon.zipf("the") > 7  # English too


def test_correction_only_towards_a_much_more_common_word() -> None:
    lexicon = load_lexicon()
    assert lexicon.correction("eigelijk") == "eigenlijk"
    assert lexicon.correction("tusen") == "tussen"
    assert lexicon.correction("gitaar") is None  # a word in its own right
    assert lexicon.correction("mentr") is None  # "mentor" is not common enough to assume
    assert lexicon.correction("wa") is None  # too short to guess


def test_correction_rule_on_a_small_lexicon() -> None:
    lexicon = Lexicon({"eigenlijk": 5.5, "eigen": 5.8, "gitaar": 4.2, "gitaren": 3.1})
    assert lexicon.correction("eigelijk") == "eigenlijk"
    assert lexicon.correction("gitaren") is None  # listed itself: not a typo
    assert lexicon.correction("gitaa") is None  # gitaar is under min_zipf
    assert lexicon.correction("gitaa", min_zipf=4.0) == "gitaar"


def test_edits1_covers_every_kind_of_typo() -> None:
    variants = set(edits1("mentor"))
    for typo in ("mentr", "mentoor", "mnetor", "mentar"):
        assert typo in variants
    assert "mentor" not in variants and "mtr" not in variants


def test_every_word_is_keyed_as_the_matcher_folds_it() -> None:
    from bot.text import fold

    zipf = load_lexicon().zipf_of
    # Listed words that are folded already skip fold() at load; the rest go through it.
    assert all(fold(word) == word for word in zipf)
    assert "een" in zipf and "cafe" in zipf and "café" not in zipf
