"""The matcher: exact phrasings always answer, traps of naive fuzzy matching are avoided."""

from dataclasses import replace
from pathlib import Path

import pytest

from bot.core import Core
from bot.knowledge import Knowledge
from bot.loading import load_knowledge
from bot.matching import Candidate, Matcher, Thresholds, decide
from bot.replies import OWN_CASE_INTRO


def test_every_known_phrasing_answers_its_own_entry(core: Core, knowledge: Knowledge) -> None:
    for entry in knowledge.entries:
        for phrasing in entry.phrasings:
            match = core.match(phrasing)
            assert (match.outcome, match.entry_id) == ("answer", entry.id), phrasing
            assert match.score == 100.0 and match.exact


def test_known_phrasing_answers_after_normalisation(core: Core) -> None:
    for variant in ["WAT IS WERKPLEKLEREN", "wat is werkplek-leren??", "Wat is  werkplékleren !"]:
        assert core.match(variant).entry_id == "wat-is-werkplekleren", variant


@pytest.mark.parametrize(
    "question",
    [
        "Waar kan ik gitaar leren spelen?",  # shares "leren" with half the FAQ
        "Wanneer is de opleiding brandveiligheid?",  # shares "opleiding"
        "Wat is de cultuur van Japan?",  # shares "cultuur" with a keyword alternate
        "Hoeveel verlofdagen heb ik nog?",
        "",
        "   ",
        "?!?",
        "de het een",
    ],
)
def test_out_of_scope_is_not_answered(core: Core, question: str) -> None:
    assert core.match(question).outcome != "answer"


def test_one_shared_word_is_not_a_match(core: Core) -> None:
    # rapidfuzz's WRatio gives ~85 here, token_set_ratio 100 for a subset of words.
    match = core.match("Waar staat de printer in de organisatie?")
    assert match.outcome == "fallback"


def test_typos_and_split_compounds_are_recovered(core: Core) -> None:
    assert core.match("wat is een loopbaangesprk").entry_id == "loopbaangesprekken"
    assert core.match("wat is een referentie persoon").entry_id == "referentiepersonen"
    offered = [c.entry_id for c in core.match("wat is werplekleren").candidates]
    assert "wat-is-werkplekleren" in offered[:2]


def test_flemish_and_english_through_the_synonym_table(core: Core) -> None:
    assert core.match("wa is da eigenlijk, werkplekleren?").entry_id == "wat-is-werkplekleren"
    assert core.match("What is a personal development plan?").entry_id == "ontwikkelingsplan"


def test_flemish_chat_words_are_read_as_standard_dutch(core: Core) -> None:
    words = [w for _, w in core.matcher.analyzer.analyse("kwil de stiel leren op den tas")]
    assert words == ["vak", "leren", "werk"]  # "kwil": "ik wil", function words
    assert core.match("kwil bijleren op den tas, hoe doe ik da").entry_id == "bijleren"


def test_greeting_around_a_question_does_not_hide_it(core: Core) -> None:
    assert core.match("Hallo! Wat is een POP?").entry_id == "ontwikkelingsplan"
    assert core.match("hallo").entry_id == "groet"
    assert core.match("Hallo, hoeveel verlofdagen heb ik?").outcome == "fallback"
    # A greeting does not hide a question made only of function words either.
    assert core.match("Hallo, wie ben je?").entry_id == "wie-ben-je"
    assert core.match("hallo, wat kan je?").entry_id == "wat-kan-je"


def test_a_bot_name_that_small_talk_alone_uses_is_no_pleasantry_to_answer(
    knowledge_copy: Path,
) -> None:
    path = knowledge_copy / "95-beleefdheden.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("Ik ben Werkplekbot.", "Ik ben Werkplekbot, je bot."), "utf-8")
    core = Core(load_knowledge(knowledge_copy), semantic=False)
    assert core.match("Bot, bot!").outcome == "fallback"  # no pleasantry in it: no IndexError
    assert core.match("Bedankt, bot!").entry_id == "bedankt"


@pytest.mark.parametrize(
    ("message", "entry"),
    [
        ("Bedankt, Werkplekbot!", "bedankt"),  # the bot's name says whom it is for
        ("Goeiemiddag Werkplekbot", "groet"),
        ("hoi bot", "groet"),
        ("merci bot", "bedankt"),
        ("dakn je, werkplekbot", "bedankt"),  # a typo the matcher reads as "dank"
        ("ok merci, tot ziens", "tot-ziens"),  # several pleasantries: the last is answered
        ("thanks and bye!", "tot-ziens"),
        ("dank je, tot later", "tot-ziens"),
        ("Wie is Werkplekbot?", "wie-ben-je"),  # the name alone is a question
        # "ziens" is no "zien" (a verb of content phrasings): not "Wat is Werkplekbot?"
        ("tot ziens werkplekbot", "tot-ziens"),
        ("Ik ga ervandoor, tot een volgende keer!", "tot-ziens"),
        ("salut, tot de volgende!", "tot-ziens"),
        ("Thanks a lot, that really helped!", "bedankt"),
    ],
)
def test_small_talk_with_the_bots_name_or_several_pleasantries(
    core: Core, message: str, entry: str
) -> None:
    assert core.match(message).entry_id == entry


@pytest.mark.parametrize(
    ("message", "entry"),
    [
        ("goedemorgen! de nachtdienst zit erop, eerst een koffie", "groet"),
        ("oké, dat maakt het een pak duidelijker voor ons team. dank je wel!", "bedankt"),
        ("de kinderen komen binnen, ik moet gaan. doei en tot later", "tot-ziens"),
        ("oeps, dat bericht was voor mijn collega bedoeld. excuseer", "sorry"),
    ],
)
def test_a_message_without_a_question_around_a_pleasantry_is_small_talk(
    core: Core, message: str, entry: str
) -> None:
    # The words around it are chatter the FAQ does not answer; the pleasantry is what to say.
    assert core.match(message).entry_id == entry


@pytest.mark.parametrize("message", ["waarom?", "Hoe?", "why?", "Waarom da?"])
def test_a_question_word_alone_asks_about_nothing(core: Core, message: str) -> None:
    # With no answer before it (a conversation reads it as a follow-up), there is no topic.
    assert core.match(message).outcome == "fallback"


def test_a_question_beside_a_pleasantry_is_still_a_question(core: Core) -> None:
    # With a question mark, or with content the matcher answers, the pleasantry is courtesy.
    assert core.match("dank je, maar wanneer krijg ik mijn loonbrief?").entry_id is None
    assert core.match("Merci, en wat is een POP dan").entry_id == "ontwikkelingsplan"
    # A sentence that opens with a question word asks, question mark or not: the greeting
    # before it is no answer.
    story = (
        "hallo werkplekbot. ik ben nieuw hier, een beetje verward. wat is werkplekleren eigenlijk"
    )
    match = core.match(story)
    assert match.entry_id != "groet"
    assert match.candidates[0].entry_id == "wat-is-werkplekleren"
    # An exclamation is no question, and nor is chatter the matcher finds nothing in.
    assert core.match("wat een drukte vandaag, merci").entry_id == "bedankt"
    assert core.match("hallo daar, hoe gaat het mt jou").entry_id == "groet"


@pytest.mark.parametrize(
    ("question", "entry"),
    [
        ("krijg ik extra loon als mentor?", "mentor"),
        ("wanneer is mijn volgende loopbaangesprek?", "loopbaangesprekken"),
        ("wie is de referentiepersoon dementie op onze afdeling?", "referentiepersonen"),
        ("wie is de VTO-verantwoordelijke in onze organisatie?", "wat-is-vto"),
        ("wie is bij ons de VTO-verantwoordelijke en hoe bereik ik die?", "wat-is-vto"),
        # Once the synonyms drop "ziekenhuis", the normal form of "Wat doet een
        # VTO-verantwoordelijke?": still a person asked for.
        ("Wie is de VTO-verantwoordelijke in ons ziekenhuis?", "wat-is-vto"),
        ("hoe heet mijn mentor?", "mentor"),
        (
            "Ik ben stagebegeleider. Welke score moet ik geven als mijn stagiair net voldoende is?",
            "interne-bedrijfscoach",
        ),
        ("Wie is hier eigenlijk mijn mentor? Kheb da nooit gehoord van mijn chef.", "mentor"),
        ("wat is mijn mentor zijn naam?", "mentor"),
        ("moet ik mijn POP tegen vrijdag binnen hebben?", "ontwikkelingsplan"),
        ("Wat is de deadline voor mijn POP? Mijn chef vroeg het.", "ontwikkelingsplan"),
        ("bij wie moe'k zijn voor mijn POP", "ontwikkelingsplan"),
        ("Onze VTO-verantwoordelijke gaat met pensioen. Wie neemt haar taken over?", "wat-is-vto"),
        (
            "Mijn POP moet in het HR-programma staan, maar ik kan niet inloggen. Wat nu?",
            "ontwikkelingsplan",
        ),
        ("hoeveel kost die opleiding mij zelf?", "reden-kosten"),
        ("staat reflectietijd in mijn uurrooster?", "reflectietijd"),
        ("telt reflectietijd mee in mijn contract?", "reflectietijd"),
        # A number, a duration or a rule: the page gives none.
        ("Hoeveel uur reflectietijd per week is wettelijk verplicht?", "reflectietijd"),
        ("How much does the Baert book cost?", "boek-baert"),
        ("hoe lang duurt een mentoropleiding?", "mentor"),
        ("hoeveel mentoren hebben we ook op de afdeling?", "mentor"),
        # Permission, a standard, a procedure's papers, a place: the organisation's or the law's.
        ("Mag ik weigeren om mentor te zijn?", "mentor"),
        ("Welke normen gelden voor een VTO-plan?", "wat-is-vto"),
        ("Welke papieren heb ik nodig voor een ervaringsbewijs?", "wat-is-ervaringsbewijs"),
        ("Bestaan er in de regio Kortrijk interne leernetwerken?", "leernetwerken"),
        ("Weet jij wie bij ons de referentiepersoon voor handhygiëne is?", "referentiepersonen"),
        ("Telt de tijd voor reflectiemomenten mee als arbeidstijd?", "reflectietijd"),
        # The asker's own quarrel, complaint or paperwork.
        ("Mijn mentor en ik kunnen niet met elkaar overweg. Wat moet ik doen?", "mentor"),
        (
            "Mijn stagebegeleider kleineert me voor de bewoners, wat kan ik daartegen doen?",
            "interne-bedrijfscoach",
        ),
        (
            "Ik heb ruzie met een collega over de reflectiemomenten. Hoe lossen we dat op?",
            "reflectietijd",
        ),
        ("Hoe schrijf ik een goed stageverslag over mijn mentor?", "interne-bedrijfscoach"),
        ("Kan je dat reflectieverslag voor mij schrijven?", "reflectietijd"),
        ("Mijn mentor kraakt me af waar iedereen bij staat. Hoe ga ik daarmee om?", "mentor"),
        ("Wie wordt mijn mentor op de nieuwe afdeling?", "mentor"),
        ("Heeft mijn leidinggevende mijn POP al goedgekeurd?", "ontwikkelingsplan"),
        ("Waar vind ik het formulier om een loopbaangesprek aan te vragen?", "loopbaangesprekken"),
        ("Heb je een sjabloon voor een POP?", "ontwikkelingsplan"),
        ("Hoe stel ik een agenda op voor mijn loopbaangesprek?", "loopbaangesprekken"),
        ("Kun je een stappenplan schrijven om nieuwkomers in te werken?", "reden-nieuwkomers"),
        ("Wat is de prijs van het boek van Baert?", "boek-baert"),
    ],
)
def test_a_question_about_the_askers_own_case_offers_the_concept(
    core: Core, question: str, entry: str
) -> None:
    match = core.match(question)
    assert (match.outcome, match.own_case) == ("choices", True)
    assert [c.entry_id for c in match.candidates] == [entry]
    reply = core.ask(question)
    assert reply.body == OWN_CASE_INTRO
    assert [c.entry_id for c in reply.choices] == [entry]


def test_an_own_case_question_that_would_get_choices_gets_the_same_word(core: Core) -> None:
    match = core.match("Krijg ik extra loon als ik mentor word van de nieuwe stagiairs?")
    assert (match.outcome, match.own_case) == ("choices", True)
    assert len(match.candidates) > 1  # the choices it would have had
    reply = core.ask("Krijg ik extra loon als ik mentor word van de nieuwe stagiairs?")
    assert reply.body == OWN_CASE_INTRO


@pytest.mark.parametrize(
    "question",
    [
        "wie is Herman Baert?",
        "Wanneer is een werkplek een goede leeromgeving?",
        "Ik word volgende maand mentor, wat wordt er van mij verwacht?",
        "wie is mijn mentor?",  # the words of "Wat is een mentor?", which says whom to ask
        "Hoe heet het boek van Herman Baert?",
        "Op mijn rooster staat VTO, wat betekent dat?",
        "In mijn contract staat iets over werkplekleren. Wat wordt daarmee bedoeld?",
        "Kost werkplekleren veel tijd voor mezelf?",
        "Is mijn afdeling al een lerende organisatie?",
        "Loont het om mentor te worden?",
        "Heb ik recht op reflectietijd?",
        "Hoe doen we aan werkplekleren in onze organisatie?",
        "Wanneer heb ik recht op een loopbaangesprek?",
        # A degree, not a number; a deadline the story gives as context, not one it asks for.
        "Maakt de missie uit voor hoeveel we leren op het werk?",
        "Ik moet tegen vrijdag een tekst over werkplekcondities schrijven. Wat zijn dat?",
        # "mag" inside the question, a town the story gives as context.
        "Wat mag ik van mijn mentor verwachten?",
        "Mag ik van mijn leidinggevende verwachten dat die tijd maakt om te leren?",
        "Ik werk in een woonzorgcentrum in de buurt van Gent. Wat is een POP?",
        # A courtesy before the question, a conflict the story names, what goes in a POP.
        "Mag ik iets vragen? Wat is een faciliterende managementstijl?",
        "ik ben opvoeder. na een crisis gaan we door, volgend conflict. waarom is reflectie nodig?",
        "We hadden er thuis bijna ruzie over, haha. Wat is het verschil tussen een opleiding en "
        "werkplekleren?",
        "Hoe schrijf ik op wat ik volgend jaar wil bijleren?",
        "Hangt er een prijskaartje aan werkplekleren?",
        "HR stuurde me een formulier over een POP. Wat is een persoonlijk ontwikkelingsplan?",
        # However many: a concession, not a number asked.
        "Mijn team wil niets leren, hoeveel kansen we ook geven. Waarom is leergierigheid nodig?",
    ],
)
def test_questions_that_only_look_personal_are_answered(core: Core, question: str) -> None:
    assert core.match(question).outcome == "answer"


def test_a_word_of_pasted_text_is_not_split_as_a_compound(core: Core) -> None:
    # It used to try every cut at every level (a RecursionError, or minutes for some texts).
    analyzer = core.matcher.analyzer
    assert analyzer.split("werkplekleren") == ("werk", "plek", "leren")
    pasted = "werkplekleren" * 300
    assert analyzer.split(pasted) == (pasted,)
    assert core.match("werk" * 1000).outcome == "fallback"


def test_ambiguous_question_offers_choices(core: Core) -> None:
    match = core.match("leidraad?")
    assert match.outcome == "choices"
    offered = [c.entry_id for c in match.candidates]
    assert {"leidraad-ku-leuven", "leidraad-onderwijs-vlaanderen"} <= set(offered)
    assert 1 <= len(offered) <= 3


def test_decision_follows_the_thresholds(knowledge: Knowledge) -> None:
    question = "Is leren op het werk goedkoper?"
    never = Thresholds(answer=101, choices=101, fused_answer=101, fused_choices=101)
    strict = Matcher(knowledge, never).match(question)
    assert strict.outcome == "fallback"
    always = Thresholds(
        answer=1,
        margin=0,
        choices=1,
        fused_answer=1,
        fused_margin=0,
        fused_choices=1,
        fused_split_margin=0,
    )
    lenient = Matcher(knowledge, always).match(question)
    assert lenient.outcome == "answer"
    assert lenient.entry_id == "reden-kosten"
    # Without the semantic part the lexical thresholds decide.
    assert Matcher(knowledge, never, semantic=False).match(question).outcome == "fallback"


def test_candidates_explain_the_score(core: Core) -> None:
    match = core.match("Is werkplekleren goedkoper dan een cursus?")
    best = match.candidates[0]
    assert best.entry_id == "reden-kosten"
    assert 0 < best.query_coverage <= 1 and 0 < best.phrasing_coverage <= 1
    assert best.phrasing in {p for p in core.knowledge.by_id["reden-kosten"].phrasings}
    scores = [c.score for c in match.candidates]
    assert scores == sorted(scores, reverse=True)


def test_very_long_message_is_handled(core: Core) -> None:
    match = core.match("werkplekleren " * 5000)
    assert match.outcome in ("answer", "choices")


def test_the_issue_examples(core: Core) -> None:
    # Confident wrong answers for a concept the page names.
    assert core.match("wat is een mentor").entry_id == "mentor"
    assert core.match("wie is mijn mentor").entry_id != "reden-kosten"
    # Fallbacks where the bot should know.
    assert core.match("hoe kan ik bijleren op mijn werk").entry_id == "bijleren"
    assert core.match("wa is da eigelijk werkplekleren").entry_id == "wat-is-werkplekleren"
    assert core.match("wa zijn de voorwaardes").entry_id == "voorwaarden-baert"
    question = "Wat is het verschil tussen werkplekleren en een opleiding?"
    assert core.match(question).entry_id == "opleiding-of-werkplekleren"


def test_dialect_and_not_knowing_well_are_read_for_what_they_ask(core: Core) -> None:
    # "Niet goed weten" says nothing good: not "Wat maakt een werkplek tot een goede
    # leeromgeving?" (found in a walk-through). Dialect spellings: "verstoan", "voorwoarden".
    question = "kweten ni goe wa da werkplekleren nu ins is, kunde da efkes uitleggen?"
    assert core.match(question).entry_id == "wat-is-werkplekleren"
    assert core.match("welke voorwoarden noemt Baert").entry_id == "voorwaarden-baert"
    # "Kunde gij" says "je" twice ("kan je" + "gij"): once.
    assert core.match("allee wa kunde gij allemaal?").entry_id == "wat-kan-je"
    # A farewell's "volgende keer" asks about nothing next.
    assert core.match("allei, salu eh, tot de volgende keer").entry_id == "tot-ziens"
    # ... but beside content, "tot de volgende" is no farewell.
    waiting = core.match("moet ik wachten tot de volgende opleiding om bij te leren?")
    assert waiting.entry_id == "reden-flexibiliteit"


def test_an_unknown_ordinary_word_weighs_less_than_an_unknown_rare_one(core: Core) -> None:
    # Neither word is in the FAQ; "vandaag" is everyday Dutch, "gitaar" a topic of its own.
    plain = core.match("krachtige leeromgeving vandaag").candidates[0]
    rare = core.match("krachtige leeromgeving gitaar").candidates[0]
    assert plain.entry_id == rare.entry_id == "krachtige-leeromgeving"
    assert plain.query_coverage > rare.query_coverage
    assert core.match("Waar kan ik gitaar leren spelen?").outcome == "fallback"


def test_short_words_with_one_typo_are_corrected_where_safe(core: Core) -> None:
    assert core.match("wat is een mnetor").entry_id == "mentor"  # two letters swapped
    assert core.match("wat betekent VOT").entry_id == "wat-is-vto"
    matcher = core.matcher
    assert matcher._resolve_short("mnetor") == (("mentor", pytest.approx(0.85)),)
    assert matcher._resolve_short("gitaar") == ()  # an everyday word is no typo
    assert matcher._resolve_short("ovt") == ()  # three letters: only a swap of two


def test_a_filler_word_that_splits_into_known_parts_is_no_target(knowledge_copy: Path) -> None:
    # "lijk" and "eigen" known make "eigenlijk" a compound of the knowledge, while the filler
    # word itself is dropped from every phrasing: a question of function words only must still
    # be scored (it once raised a KeyError).
    (knowledge_copy / "geleerd.yaml").write_text(
        "learned:\n  - id: bijleren\n"
        '    alternates: ["Leer ik op eigen houtje?", "Is dat lijk een cursus?"]\n',
        encoding="utf-8",
    )
    matcher = Matcher(load_knowledge(knowledge_copy), semantic=False)
    assert matcher.analyzer.split("eigenlijk") == ("eigen", "lijk")
    match = matcher.match("wie zijt gij eigenlijk?")
    assert match.candidates and match.candidates[0].entry_id == "wie-ben-je"


def test_a_question_outside_the_faq_as_written_is_not_answered(knowledge: Knowledge) -> None:
    lexical = Matcher(knowledge, semantic=False)
    for question in knowledge.out_of_scope:
        match = lexical.match(question)
        assert match.outcome == "fallback" and match.exact and match.out_of_scope, question
    # Even one the bot would answer: an admin's word is final, for that wording.
    asked = "Is werkplekleren vandaag echt zo populair?"
    assert lexical.match(asked).entry_id == "waarom-populair"
    declined = Matcher(replace(knowledge, out_of_scope=(asked,)), semantic=False)
    assert declined.match("is werkplekleren vandaag echt zo populair").outcome == "fallback"
    assert declined.match("Waarom is werkplekleren zo populair?").entry_id == "waarom-populair"


def test_a_greeting_in_a_phrasing_does_not_take_another_entrys_question(
    knowledge: Knowledge,
) -> None:
    # Its words without the greeting are referentiepersonen's own question: exact matches
    # read the whole phrasing, as validation compares them.
    mentor = knowledge.by_id["mentor"]
    greeted = replace(
        mentor, alternates=(*mentor.alternates, "Hallo, wat is een referentiepersoon?")
    )
    entries = tuple(greeted if e.id == "mentor" else e for e in knowledge.entries)
    matcher = Matcher(replace(knowledge, entries=entries), semantic=False)
    assert matcher.match("Wat is een referentiepersoon?").entry_id == "referentiepersonen"
    assert matcher.match("Hallo, wat is een referentiepersoon?").entry_id == "mentor"


def _fused(entry_id: str, score: float, probability: float, lead: float) -> Candidate:
    return Candidate(
        entry_id, score, "", 0.5, 0.5, lexical=score, similarity=0.9, probability=probability,
        meaning=score, outside_lead=lead,
    )  # fmt: skip


def test_a_sure_classifier_answers_a_little_below_the_thresholds() -> None:
    settings = Thresholds()
    # Below the ordinary answer threshold and margin, at the sure rule's.
    score = settings.sure_answer
    assert score < settings.fused_answer and settings.sure_margin < settings.fused_margin
    sure_p, lead = settings.sure_probability, -settings.sure_lead
    runner_up = _fused("mentor", score - settings.sure_margin, 0.01, lead)
    sure = (_fused("bijleren", score, sure_p, lead), runner_up)
    assert decide(sure, settings).outcome == "answer"
    assert decide(sure, replace(settings, sure_probability=1.01)).outcome == "choices"
    for unsure in (
        (_fused("bijleren", score, sure_p - 0.01, lead), runner_up),  # not sure enough
        (_fused("bijleren", score, sure_p, lead + 0.001), runner_up),  # near one outside
        (_fused("bijleren", score - 0.5, sure_p, lead), runner_up),  # too low
        (replace(sure[0], probability=None), runner_up),  # no classifier
        (sure[0], replace(runner_up, score=score - settings.sure_margin + 0.5)),  # too close
    ):
        assert decide(unsure, settings).outcome == "choices"


def test_a_plain_question_in_other_words_is_answered_when_the_classifier_is_sure(
    knowledge: Knowledge,
) -> None:
    question = "Is er een officieel papier waarmee je kunt aantonen wat je na jaren praktijk kunt?"
    assert Core(knowledge).match(question).entry_id == "wat-is-ervaringsbewijs"
    unsure = Core(knowledge, replace(Thresholds(), sure_probability=1.01)).match(question)
    assert unsure.outcome == "choices"
