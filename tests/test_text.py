"""Normalisation: folding, the light stemmer, synonyms and compound splitting."""

from bot.dutch import stem
from bot.knowledge import Knowledge
from bot.text import (
    SPLIT_CACHE_SIZE,
    Analyzer,
    asks,
    fold,
    knowledge_analyzer,
    question_sentences,
)


def test_fold_drops_case_accents_punctuation_and_apostrophes() -> None:
    assert fold("Creëer een Leercultuur!? Collega's — «VTO-beleid»") == (
        "creeer een leercultuur collegas vto beleid"
    )


def test_fold_drops_the_dots_of_abbreviations_only() -> None:
    assert (
        fold("Wat is een P.O.P.? i.p.v. het v.t.o.-beleid") == "wat is een pop ipv het vto beleid"
    )
    assert fold("ik ga. a. b werk.nl") == "ik ga a b werk nl"


def test_an_abbreviation_does_not_end_a_sentence() -> None:
    message = "Ik ben nieuw. Wat is een P.O.P. en hoe maak ik er een? Merci."
    assert question_sentences(message) == ["Wat is een P.O.P. en hoe maak ik er een?"]
    assert question_sentences("Ik ben nieuw. Wat is dat?") == ["Wat is dat?"]


def test_a_sentence_that_opens_with_a_question_word_asks_without_a_question_mark() -> None:
    message = "ik ben nieuw hier. wat is werkplekleren eigenlijk"
    assert question_sentences(message) == ["wat is werkplekleren eigenlijk"]
    assert asks(message) and asks("hallo, wat is een POP")
    # An exclamation, or a question word that opens a clause, does not ask.
    assert question_sentences("Wat een drukte. Waar ik werk, is het altijd zo.") == []
    assert not asks("goeiemorgen! wat een drukte, merci")


def test_fold_of_only_punctuation_or_whitespace_is_empty() -> None:
    assert fold("?!… \t\n ") == ""


def test_stem_joins_singular_and_plural() -> None:
    pairs = [
        ("loopbaangesprekken", "loopbaangesprek"),
        ("mentoren", "mentor"),
        ("personen", "persoon"),
        ("organisaties", "organisatie"),
        ("stagiairs", "stagiair"),
        ("mogelijkheden", "mogelijkheid"),
        ("leren", "leer"),
        ("investering", "investeren"),
    ]
    for a, b in pairs:
        assert stem(a) == stem(b), (a, b)


def test_stem_keeps_begeleiding_apart_from_beleid() -> None:
    # Snowball's Dutch stemmer maps both to "beleid"; ours must not.
    assert stem("begeleiding") != stem("beleid")


def test_synonyms_apply_longest_phrase_first() -> None:
    analyzer = Analyzer({"leren op de werkplek": "werkplekleren", "werkplek": "werkvloer"})
    assert analyzer.words("Leren op de werkplek") == ["werkplekleren"]
    assert analyzer.words("de werkplek") == ["de", "werkvloer"]


def test_empty_synonym_drops_the_word() -> None:
    assert Analyzer({"allez": ""}).words("allez wat is vto") == ["wat", "is", "vto"]


def test_compounds_split_into_parts_known_on_their_own() -> None:
    analyzer = Analyzer.for_texts({}, ["leren op de werkplek", "een gesprek over je loopbaan"])
    assert analyzer.tokens("werkplekleren") == analyzer.tokens("werkplek leren")
    assert analyzer.tokens("loopbaangesprekken") == analyzer.tokens("loopbaan gesprek")


def test_compound_with_linking_s_splits() -> None:
    analyzer = Analyzer.for_texts({}, ["ontwikkeling", "een plan"])
    assert analyzer.tokens("ontwikkelingsplan") == analyzer.tokens("ontwikkeling plan")


def test_unknown_words_are_not_split() -> None:
    analyzer = Analyzer.for_texts({}, ["werkplek leren"])
    assert analyzer.tokens("brandveiligheid") == ("brandveiligheid",)


def test_only_function_words_are_kept_rather_than_lost() -> None:
    analyzer = Analyzer({})
    assert analyzer.tokens("Wie ben je?") == ("wie", "ben", "je")
    assert analyzer.tokens("Wat is werkplekleren?") == (stem("werkplekleren"),)


def test_split_and_spelling_caches_are_bounded() -> None:
    from bot.lexicon import load_lexicon

    analyzer = Analyzer.for_texts({}, ["leren op de werkplek"], load_lexicon())
    for n in range(SPLIT_CACHE_SIZE + 500):
        analyzer.tokens(f"onbekendwoord{n:06d}")
    assert analyzer.cached_words == (SPLIT_CACHE_SIZE, SPLIT_CACHE_SIZE)
    # Words too long to be compounds (pasted runs of letters) are not kept at all.
    fresh = Analyzer.for_texts({}, ["leren op de werkplek"], load_lexicon())
    fresh.tokens("x" * 300 + "leren")
    assert fresh.cached_words == (0, 0)


def test_typo_in_an_ordinary_filler_word_is_read_as_that_word() -> None:
    from bot.lexicon import load_lexicon

    analyzer = Analyzer.for_texts({}, ["wat is werkplekleren"], load_lexicon())
    # "eigelijk" is one letter from "eigenlijk", a filler word: dropped like it.
    assert analyzer.tokens("wat is eigelijk werkplekleren") == analyzer.tokens(
        "wat is werkplekleren"
    )
    # An ordinary word stays itself; an unknown word with no common neighbour too.
    assert analyzer.tokens("gitaar") == (stem("gitaar"),)
    assert analyzer.tokens("leefgroep") == (stem("leefgroep"),)
    # A word one letter from a word of the knowledge is left for the matcher's correction.
    assert analyzer.tokens("werkpleklerne") == (stem("werkpleklerne"),)
    # Without a lexicon nothing is corrected.
    plain = Analyzer.for_texts({}, ["wat is werkplekleren"])
    assert stem("eigelijk") in plain.tokens("wat is eigelijk werkplekleren")


def test_a_corrected_typo_can_complete_a_synonym_phrase() -> None:
    from bot.lexicon import load_lexicon

    synonyms = {"nieuwe collegas": "nieuwkomers"}
    analyzer = Analyzer.for_texts(
        synonyms, ["Hoe helpt werkplekleren nieuwkomers?"], load_lexicon()
    )
    # "niewe" is read as "nieuwe" before the synonyms, so the phrase is found.
    assert analyzer.tokens("niewe collegas") == analyzer.tokens("nieuwe collegas")
    assert analyzer.tokens("niewe collegas") == (stem("nieuwkomers"),)


def test_dialect_spellings_are_read_as_the_standard_word() -> None:
    from bot.lexicon import load_lexicon

    analyzer = Analyzer.for_texts(
        {}, ["Welke voorwaarden staan op de lijst van het ervaringsbewijs?"], load_lexicon()
    )
    # A word of the knowledge: West-Flemish "oa" and "y" for "aa" and "ij".
    assert analyzer.tokens("voorwoarden") == analyzer.tokens("voorwaarden")
    assert analyzer.tokens("ervoaringsbewys") == analyzer.tokens("ervaringsbewijs")
    assert analyzer.tokens("lyst") == analyzer.tokens("lijst")
    # An ordinary word: "oa" for "aa", the final n dropped ("lere" is not "were").
    assert analyzer.tokens("wie kan da verstoan") == analyzer.tokens("wie kan da verstaan")
    assert analyzer.tokens("lere") == analyzer.tokens("leren")
    # A word that is ordinary as it stands keeps its own meaning ("zegge" is sedge, but listed).
    assert analyzer.tokens("gitaar") == (stem("gitaar"),)
    assert analyzer.tokens("zegge") == (stem("zegge"),)


def test_dialect_variants_undo_one_habit_each_and_every_combination() -> None:
    from bot.dutch import dialect_variants

    assert dialect_variants("lyst") == ("lijst",)
    assert dialect_variants("ervoaring") == ("ervaring", "ervaaring")
    assert "ervaringsbewijs" in dialect_variants("ervoaringsbewys")
    assert dialect_variants("lere") == ("leren",)
    assert dialect_variants("werk") == ()
    # "oe" is standard Dutch: "ervoer" stays itself.
    assert dialect_variants("ervoer") == ()


def test_analyse_keeps_the_word_of_every_token() -> None:
    analyzer = Analyzer.for_texts({}, ["leren op de werkplek"])
    pairs = analyzer.analyse("Werkplekleren en gitaren")
    assert pairs == (
        (stem("werkplek"), "werkplek"),
        (stem("leren"), "leren"),
        (stem("gitaren"), "gitaren"),
    )
    assert analyzer.tokens("Werkplekleren en gitaren") == tuple(t for t, _ in pairs)


def test_the_standard_reading_spells_out_dialect_chat_and_synonyms() -> None:
    from bot.lexicon import load_lexicon

    analyzer = Analyzer.for_texts(
        {"kheb": "ik heb", "da": "dat", "mor": "maar", "rusthuis": ""},
        ["Kan ik mijn ervaring laten erkennen zonder diploma?"],
        load_lexicon(),
    )
    # Each sentence keeps its end, so the model still sees where the question is.
    spelled = analyzer.standard(
        "Kheb geen diploma mor wel ervoaring in het rusthuis. Kan ik da laten erkennen?"
    )
    assert spelled == "ik heb geen diploma maar wel ervaring in het. kan ik dat laten erkennen?"
    assert analyzer.standard("Kan ik da ?!") == "kan ik dat?"
    assert analyzer.standard('Hij vroeg: "kan ik da laten erkennen?"') == (
        "hij vroeg kan ik dat laten erkennen?"
    )
    # Nothing to rewrite: no second reading (case and punctuation do not count).
    assert analyzer.standard("Kan ik mijn ervaring laten erkennen?") is None
    assert analyzer.standard("  ") is None
    assert analyzer.standard("In het rusthuis.") == "in het."
    assert analyzer.standard("Rusthuis!") is None  # every word dropped: nothing to read


def test_checking_and_matching_a_knowledge_share_one_analyzer(knowledge: Knowledge) -> None:
    from bot.core import Core

    matcher = Core(knowledge, semantic=False).matcher
    assert knowledge_analyzer(knowledge.synonyms, knowledge.entries) is matcher.analyzer
    other = knowledge_analyzer({}, knowledge.entries)
    assert other is not matcher.analyzer  # another knowledge, another analyzer
