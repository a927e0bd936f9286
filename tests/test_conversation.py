"""Follow-ups: what a message means after what the bot said before (bot.conversation), the
same for the console, ``chat --json`` and Telegram."""

from pathlib import Path

import pytest

from bench.conversations import (
    DEV_CONVERSATION_SETS,
    run_conversations,
)
from bot.conversation import (
    START,
    State,
    after,
    answer_items,
    converse,
    next_best,
    ordinal,
    topics_menu,
)
from bot.core import Core
from bot.replies import OWN_CASE_INTRO

# With the other tests that evaluate the session's core: one worker, one set of question
# vectors (the semantic part embeds each question once).
pytestmark = pytest.mark.xdist_group("core")


def talk(core: Core, *messages: str) -> list:
    """The replies to a conversation."""
    state: State = START
    replies = []
    for message in messages:
        turn = converse(core, state, message)
        state = turn.state
        replies.append(turn.reply)
    return replies


@pytest.mark.parametrize(
    ("text", "position"),
    [("2", 2), ("de tweede", 2), ("en de derde?", 3), ("nummer 4", 4), ("de 5e", 5),
     ("laatste", -1), ("wat is de tweede voorwaarde", None), ("2 collega's", None),
     ("vertel meer over de derde", 3), ("wat is de tweede?", 2), ("doe maar de tweede", 2),
     ("uhm de tweede", 2), ("tweede pls", 2), ("ik wil de vierde", 4)],
)  # fmt: skip
def test_ordinals(text: str, position: int | None) -> None:
    assert ordinal(text) == position


def test_after_an_answer_that_lists_things_an_ordinal_may_name_them(core: Core) -> None:
    assert ordinal("de vijfde reden graag", things=True) == 5
    assert ordinal("de vijfde reden graag") is None
    for first, then, entry in [
        ("welke voorwaarden stimuleren werkplekleren", "vertel meer over de derde voorwaarde",
         "voorwaarde-structuur"),
        ("waarom is werkplekleren zo populair tegenwoordig", "de vijfde reden graag",
         "reden-nieuwkomers"),
    ]:  # fmt: skip
        _, picked = talk(core, first, then)
        assert picked.entry_id == entry, then
    # After related questions, "the second condition" is not their second.
    state = converse(core, START, "wat is een mentor").state
    other = converse(core, state, "wat is de tweede voorwaarde")
    assert not other.picked and other.reply.entry_id != state.listed[1].entry_id
    # Around a number or "een", a request asks something else.
    for asked in ("geef me een tip", "wat is 20?", "ik wil een"):
        assert ordinal(asked, things=True) is None, asked


def test_an_ordinal_picks_a_point_the_answer_lists(core: Core) -> None:
    first, third = talk(
        core, "Welke voorwaarden stimuleren werkplekleren volgens Baert?", "en de derde?"
    )
    assert first.entry_id == "voorwaarden-baert"
    assert third.entry_id == "voorwaarde-structuur"


def test_a_listed_entry_can_be_named_by_its_words(core: Core) -> None:
    first, costs = talk(core, "waarom is werkplekleren populair", "die over de kosten")
    assert first.entry_id == "waarom-populair" and costs.entry_id == "reden-kosten"
    # A question complete in itself, about an entry outside the list, is a new question.
    _, other = talk(core, "waarom is werkplekleren populair", "wat is een POP?")
    assert other.entry_id == "ontwikkelingsplan"
    # Words that fit no listed entry better than the others name none of them, and a question
    # about something the FAQ does not know is not read as one of the list.
    _, none = talk(core, "waarom is werkplekleren populair", "en mijn verlof dan?")
    assert none.outcome == "fallback"
    _, vouchers = talk(
        core, "waarom is werkplekleren populair", "hoeveel kosten de maaltijdcheques?"
    )
    assert vouchers.outcome != "answer"


def test_a_follow_up_with_one_plausible_entry_for_its_words_gets_it(core: Core) -> None:
    alone = core.match("en van de vdab?")
    assert alone.outcome == "choices" and len(alone.candidates) == 1
    serv, vdab = talk(
        core, "wat is die publicatie van de serv over werken en leren", "en van de vdab?"
    )
    assert serv.entry_id == "publicatie-serv"
    assert vdab.entry_id == alone.candidates[0].entry_id == "handleiding-vdab-bedrijfscoach"
    # Words the FAQ does not know keep a follow-up out, one plausible entry or not: the
    # previous answer adds nothing to what the message gets alone. (Alone, "en de kosten van
    # een auto?" is answered with the costs of werkplekleren, 56 against 52 to answer: a
    # wrong answer docs/BENCHMARKS.md counts among the out-of-scope ones.)
    for off_topic in ("en de kosten van een auto?", "en de cultuur in Japan?"):
        _, reply = talk(core, "wat is een mentor", off_topic)
        assert reply.entry_id == core.match(off_topic).entry_id != "mentor", off_topic
    _, reply = talk(core, "wat is een mentor", "en de cultuur in Japan?")
    assert reply.outcome != "answer"


def test_a_number_picks_a_choice_and_yes_takes_the_first(core: Core) -> None:
    doubt, picked = talk(core, "leidraad?", "2")
    assert doubt.outcome == "choices" and picked.entry_id == doubt.choices[1].entry_id
    for agreed in (
        "ja", "ja da", "ja graag", "Ja, die!", "jaja, da bedoel ik", "ja, doe maar", "exact",
        "ja hoor", "zeker", "yup", "jup", "ja aub",
    ):  # fmt: skip
        doubt, yes = talk(core, "leidraad?", agreed)
        assert yes.entry_id == doubt.choices[0].entry_id, agreed
    for asked in ("is dat zeker?", "klopt dat?"):
        _, question = talk(core, "leidraad?", asked)
        assert question.outcome != "answer", asked


@pytest.mark.parametrize(("said", "position"), [("ja, de 2de", 1), ("ja die laatste", -1)])
def test_yes_with_a_position_picks_that_choice(core: Core, said: str, position: int) -> None:
    doubt, picked = talk(core, "leidraad?", said)
    assert picked.entry_id == doubt.choices[position].entry_id


def test_yes_with_words_of_its_own_is_not_a_yes(core: Core) -> None:
    _, reply = talk(core, "leidraad?", "ja, wat is een mentor?")
    assert reply.entry_id == "mentor"


def test_a_number_beyond_the_list_says_which_there_are(core: Core) -> None:
    _, beyond = talk(core, "leidraad?", "7")
    assert beyond.outcome == "choices" and "Kies een nummer van 1 tot" in beyond.body


def test_a_follow_up_is_read_with_the_previous_topic(core: Core) -> None:
    _, how = talk(core, "wat is een POP?", "en hoe maak ik er zo een?")
    assert how.entry_id == "ontwikkelingsplan"
    _, why = talk(core, "wat is een loopbaangesprek", "waarom?")
    assert why.entry_id == "loopbaangesprekken"
    _, newcomers = talk(core, "waarom is werkplekleren populair", "en voor nieuwkomers?")
    assert newcomers.entry_id == "reden-nieuwkomers"


@pytest.mark.parametrize(
    ("first", "follow_up", "entry"),
    [
        ("wat is een ervaringsbewijs", "hoe krijg ik zo'n ding?", "wat-is-ervaringsbewijs"),
        ("wat is een mentor", "wie wordt zo'n iemand?", "mentor"),
        ("wat is een leernetwerk", "hoe vaak doe je zo'n ding?", "leernetwerken"),
        ("wat is een persoonlijk ontwikkelingsplan", "hoe maak ik er zo eentje?",
         "ontwikkelingsplan"),
        ("is werkplekleren goedkoper dan een opleiding", "hoezo, welke investering dan?",
         "reden-kosten"),
        ("wat is een persoonlijk ontwikkelingsplan", "kun je een voorbeeld geven?",
         "ontwikkelingsplan"),
    ],
)  # fmt: skip
def test_such_a_thing_points_back(core: Core, first: str, follow_up: str, entry: str) -> None:
    _, reply = talk(core, first, follow_up)
    assert (reply.outcome, reply.entry_id) == ("answer", entry)


def test_a_joined_follow_up_about_someone_new_is_not_the_previous_answer(core: Core) -> None:
    # "die" points at the new subject; "dat" at the previous answer.
    _, boss = talk(
        core, "hoe kan ik zelf bijleren in mijn job", "en de leidinggevende, wat moet die doen?"
    )
    assert boss.entry_id == "voorwaarde-management"
    _, boss = talk(core, "hoe kan ik zelf bijleren in mijn job", "en de leidinggevende dan?")
    assert boss.entry_id == "voorwaarde-management"
    # "het" right after "en" is the article of the new subject, not a pronoun.
    _, boss = talk(
        core, "hoe kan ik zelf bijleren in mijn job", "en het management, wat moet die doen?"
    )
    assert boss.entry_id == "voorwaarde-management"
    _, cost = talk(core, "wat is een ervaringsbewijs", "en wat kost het?")
    assert cost.entry_id == "wat-is-ervaringsbewijs"
    _, cost = talk(core, "wat is een ervaringsbewijs", "en het kost veel?")  # a pronoun
    assert cost.entry_id == "wat-is-ervaringsbewijs"
    _, cost = talk(core, "wat is een ervaringsbewijs", "en wat kost dat?")
    assert cost.entry_id == "wat-is-ervaringsbewijs"


@pytest.mark.parametrize(
    ("first", "then", "entry"),
    [
        # Its own words name a related question of the answer, well ahead of the answer.
        ("wat is het verschil tussen een opleiding en werkplekleren", "en wat kost dat?",
         "reden-kosten"),
        ("wa zijn de voorwaarden van baert", "in welk boek staat da?", "boek-baert"),
        ("wat is een interne bedrijfscoach", "is there a manual for that?",
         "handleiding-vdab-bedrijfscoach"),
        # Not a related question of this answer: "that is all I know" about it.
        ("wat is een ervaringsbewijs", "en wat kost dat?", "wat-is-ervaringsbewijs"),
        # Pointing into the answer, not at it: about the answer.
        ("wat is een intern leernetwerk", "hoe verloopt de communicatie daarin?", "leernetwerken"),
        ("wat is een intern leernetwerk", "en wie is daar referentiepersoon?", "leernetwerken"),
        # A word every entry uses names nothing.
        ("wat is een ervaringsbewijs", "en wat heeft werkplekleren daarmee te maken?",
         "reden-ervaringsbewijs"),
    ],
)  # fmt: skip
def test_a_follow_up_pointing_back_can_name_a_related_question(
    core: Core, first: str, then: str, entry: str
) -> None:
    _, reply = talk(core, first, then)
    assert reply.entry_id == entry, (then, reply.entry_id)


def test_the_others_after_a_point_of_a_list_are_that_list(core: Core) -> None:
    _, others = talk(
        core, "wat is een faciliterende managementstijl", "en welke andere zijn er nog?"
    )
    assert others.entry_id == "voorwaarden-baert" and others.outcome == "answer"
    # An answer no list names: the others are not known, so it stays with the answer.
    _, others = talk(core, "wat is een mentor", "en de andere?")
    assert others.entry_id == "mentor" and "weet ik niet meer" in others.body


def test_more_gives_the_same_entry_with_its_way_further(core: Core) -> None:
    first, more = talk(core, "wat is een referentiepersoon", "vertel me er eens meer over")
    assert more.entry_id == first.entry_id and more.related
    # Not dressed as a new answer: no title or links of its own, the question named in the text.
    assert not more.title and not more.links
    assert more.body.startswith(f"Over “{first.title}” weet ik niet meer dan wat hierboven staat")


def test_a_message_that_answers_on_its_own_is_not_taken_as_a_follow_up(core: Core) -> None:
    _, small_talk = talk(core, "wat is werkplekleren", "wat kunde gij allemaal")
    assert small_talk.entry_id == "wat-kan-je"
    _, okay = talk(core, "wat is werkplekleren", "ok")
    assert okay.entry_id == "oke"


def test_thanks_leave_the_answer_and_its_list_standing(core: Core) -> None:
    first, _, second = talk(core, "wat is een mentor", "merci", "de tweede")
    assert second.entry_id == first.related[1].entry_id
    first, _, why = talk(core, "wat is een mentor", "oké", "waarom?")
    assert why.entry_id == first.entry_id


def test_after_a_list_a_follow_up_does_not_point_past_it(core: Core) -> None:
    first, offered, then = talk(core, "wat is een mentor", "leidraad?", "en hoe krijg ik er een?")
    assert first.entry_id == "mentor" and offered.outcome == "choices"
    assert then.outcome == "fallback"
    # A fallback shows the topics: that ends the answer's context too.
    _, lost, why = talk(core, "wat is een POP?", "hoeveel verlof heb ik nog", "waarom?")
    assert lost.outcome == why.outcome == "fallback"


@pytest.mark.parametrize(
    "follow_up",
    ["waarom?", "waar?", "echt?", "where?", "en hoe begin ik daaraan?", "ok, en verder?",
     "kun je dat korter zeggen?"],
)  # fmt: skip
def test_a_bare_question_word_leans_on_the_answer(core: Core, follow_up: str) -> None:
    first, then = talk(core, "wat is een POP?", follow_up)
    assert then.entry_id == first.entry_id and then.body.startswith(f"Over “{first.title}”")


@pytest.mark.parametrize("said", ["ja", "ja graag", "jaja"])
def test_yes_under_an_answer_asks_what_more_and_lists_its_questions(core: Core, said: str) -> None:
    first, then = talk(core, "wat is een POP?", said)
    assert then.entry_id == first.entry_id and then.related == first.related
    assert then.body.startswith("Graag! Kies hieronder wat je nog wil weten")
    _, ok = talk(core, "wat is een POP?", "ok")  # only acknowledges
    assert ok.small_talk and not ok.related


@pytest.mark.parametrize(
    ("first", "then", "entry"),
    [
        ("wat is een mentor", "zijn er nog andere bronnen?", "bron"),
        ("is werkplekleren goedkoper?", "waarom doen ze da allemaal, da werkplekleren", None),
    ],
)
def test_one_of_the_knowledges_own_questions_is_not_a_follow_up(
    core: Core, first: str, then: str, entry: str | None
) -> None:
    alone = core.match(then)
    assert alone.exact
    before, reply = talk(core, first, then)
    assert reply.entry_id == (entry or alone.entry_id) != before.entry_id
    # Joined on with "en", a question of function words stays a follow-up.
    _, joined = talk(core, "wat is een ervaringsbewijs", "en hoe vraag ik dat aan?")
    assert joined.entry_id == "wat-is-ervaringsbewijs"


def test_a_question_about_the_askers_own_case_is_not_answered_in_a_conversation_either(
    core: Core,
) -> None:
    alone = core.match("wie is mijn leidinggevende?")
    assert alone.own_case
    _, reply = talk(core, "hoe lang duurt de inwerkperiode bij ons?", "wie is mijn leidinggevende?")
    assert reply.outcome == "choices" and reply.body == OWN_CASE_INTRO
    # Pointing back at the answer just given: that entry, offered with the same word.
    for first, then, entry in [
        ("wat is een mentor", "en krijg ik daar extra voor betaald?", "mentor"),
        ("waarom is reflectietijd nodig", "staat da dan in mijn uurrooster?", "reflectietijd"),
        ("wie ben je", "en wordt dat betaald?", "wie-ben-je"),  # read together: a fallback
        # Words the FAQ does not know ("duurt", "week"): still about the answer just given.
        ("wat is een referentiepersoon", "en hoe lang duurt dat per week?", "referentiepersonen"),
        ("hoe kan ik zelf bijleren", "hoeveel uur per week mag ik daarvoor gebruiken?", "bijleren"),
        # The person, not the concept.
        (
            "wat is een interne bedrijfscoach",
            "en wie is dat op onze afdeling?",
            "interne-bedrijfscoach",
        ),
        (
            "wat heeft een loopbaangesprek met werkplekleren te maken",
            "wanneer is het mijne dit jaar?",
            "loopbaangesprekken",
        ),
        # Read with the previous question this one is "mentor", a phrasing: still offered.
        ("wat is een mentor", "wie is dat bij ons?", "mentor"),
        ("wat is een mentor", "bij wie moet ik daarvoor zijn?", "mentor"),
        ("wat is een intern leernetwerk", "hoe schrijf ik me daarvoor in?", "leernetwerken"),
        (
            "wat is een intern leernetwerk",
            "hebben wij da ook in onze thuiszorgdienst?",
            "leernetwerken",
        ),
        (
            "wat is een interne bedrijfscoach",
            "wie is da bij ons in t woonzorgcentrum?",
            "interne-bedrijfscoach",
        ),
        (
            "waarom is reflectietijd nodig",
            "mag ik dat tijdens mijn werkuren doen?",
            "reflectietijd",
        ),
    ]:
        _, reply = talk(core, first, then)
        assert reply.outcome == "choices" and reply.body == OWN_CASE_INTRO
        assert [c.entry_id for c in reply.choices] == [entry]
    # Without a word pointing back, offered as the question alone finds it (not yet the entry
    # before, which "mijn volgende" means), but not answered.
    _, reply = talk(core, "wat is een loopbaangesprek", "wanneer heb ik mijn volgende?")
    assert reply.outcome == "choices" and reply.body == OWN_CASE_INTRO
    # How to do something in one's own organisation is no own case.
    _, how = talk(core, "wat is werkplekleren", "hoe doen we dat in onze organisatie?")
    assert how.entry_id == "werkplekleren-bevorderen" and how.outcome == "answer"
    # Not pointing back at the answer, a number about something else is not about it.
    for then in [
        "hoeveel verlofdagen heb ik nog?",
        "hoeveel verlofdagen heb ik nog dit jaar?",
        "hoeveel verlofdagen heb ik er nog?",
        "hoeveel verdient een poetsvrouw daar?",
        "wanneer is mijn volgende loonbrief, weet je dat?",
    ]:
        _, leave = talk(core, "wat is een referentiepersoon", then)
        assert "referentiepersonen" not in [c.entry_id for c in leave.choices], then


def test_the_er_of_there_is_does_not_point_back(core: Core) -> None:
    _, conditions = talk(core, "wat is een POP?", "welke andere condities zijn er nog?")
    assert conditions.entry_id == "lijst-werkplekcondities"
    _, guides = talk(core, "wat is een mentor", "Is er een leidraad?")
    assert guides.outcome == "choices" and "leidraad-ku-leuven" in [
        c.entry_id for c in guides.choices
    ]
    # Without words of its own, "zijn er nog andere?" still asks about the answer before.
    first, more = talk(core, "wat is een POP?", "zijn er nog andere?")
    assert more.entry_id == first.entry_id


def test_an_ordinal_beyond_a_picked_answers_list_goes_on_in_the_list_it_came_from(
    core: Core,
) -> None:
    listing, third, fifth, second = talk(
        core, "Welke voorwaarden noemt Baert?", "de derde", "en de vijfde", "de tweede"
    )
    items = [c.entry_id for c in answer_items(core, core.knowledge.by_id[listing.entry_id])]
    assert (third.entry_id, fifth.entry_id) == (items[2], items[4])
    assert len(fifth.related) >= 2  # within its own list, a position picks from that list
    assert second.entry_id == fifth.related[1].entry_id


def test_a_number_beyond_the_related_questions_says_which_there_are(core: Core) -> None:
    first, beyond = talk(core, "wat is een POP?", "7")
    count = len(first.related)
    assert beyond.body.startswith(f"Kies een nummer van 1 tot {count}")


def test_a_new_question_ignores_the_context_and_an_unexplained_one_falls_back(
    core: Core,
) -> None:
    _, vto = talk(core, "wat is een POP?", "Wat betekent VTO?")
    assert vto.entry_id == "wat-is-vto"
    _, leave = talk(core, "wat is een POP?", "en mijn verlof dan?")
    assert leave.outcome == "fallback"


def test_without_context_a_follow_up_falls_back(core: Core) -> None:
    (alone,) = talk(core, "de tweede")
    assert alone.outcome == "fallback"


def test_a_topic_picked_by_number_lists_its_questions(core: Core) -> None:
    state = after(core, START, topics_menu(core.knowledge))
    topic = converse(core, state, "1").reply
    assert topic.menu == "topic" and topic.choices


@pytest.mark.parametrize("path", DEV_CONVERSATION_SETS)
def test_development_conversations_stay_right(core: Core, path: Path) -> None:
    results = run_conversations(core, path)
    right = sum(result.right for result in results)
    assert right >= 0.85 * len(results), [r for r in results if not r.right]


def test_other_questions_come_from_both_parts_even_when_the_words_decide(core: Core) -> None:
    question = "Wat bedoelt Baert met een gedecentraliseerde structuur?"
    match = core.match(question)
    assert match.entry_id == "voorwaarde-structuur"
    if core.matcher.semantic is None:
        pytest.skip("the semantic extra is not installed")
    assert match.explain()["semantic"] is False  # the words decided, the model was not asked
    # 👎 and inline mode still offer the entries close in meaning.
    others = next_best(core, question, leave_out=("voorwaarde-structuur",))
    assert len(others) >= 2 and "boek-baert" in others


@pytest.mark.parametrize("word", ["menu", "Terug", "onderwerpen"])
def test_a_navigation_word_opens_the_topics(core: Core, word: str) -> None:
    _, menu, topic = talk(core, "wat is een mentor", word, "2")
    assert menu.menu == "topics" and menu.topics
    assert topic.menu == "topic" and topic.choices


@pytest.mark.parametrize(("said", "position"), [("de voorlaatste", -2), ("the second one", 1)])
def test_more_ways_to_name_a_place_in_the_list(core: Core, said: str, position: int) -> None:
    listing, picked = talk(core, "welke voorwaarden stimuleren werkplekleren", said)
    points = answer_items(core, core.knowledge.by_id[listing.entry_id])
    assert picked.entry_id == points[position].entry_id


def test_the_next_one_follows_the_list_the_answer_was_picked_from(core: Core) -> None:
    listing, first, second, third = talk(
        core, "welke voorwaarden stimuleren werkplekleren", "1", "en de volgende?", "volgende"
    )
    points = answer_items(core, core.knowledge.by_id[listing.entry_id])
    assert [r.entry_id for r in (first, second, third)] == [p.entry_id for p in points[:3]]


@pytest.mark.parametrize(
    ("first", "then", "entry"),
    [
        ("wa is een faciliterende managementstijl", "waarom is da belangrijk?", None),
        ("waarom is tijd voor reflectie nodig", "geef eens een voorbeeld", None),
        ("waarom is tijd voor reflectie nodig", "geef ne keer een voorbeeldje", None),
        ("waarom is werkplekleren zo populair", "vertel ies meer over de vierde", "reden-kosten"),
        (
            "wat is een ervaringsbewijs",
            "en wat heeft werkplekleren daarmee te maken",
            "reden-ervaringsbewijs",
        ),
        ("wat is een pop", "wat is die publicatie van de serv", "publicatie-serv"),
        # A subject named before the comma: its "dat" points at it.
        (
            "wat is een ervaringsbewijs",
            "en een interne bedrijfscoach, wat is dat?",
            "interne-bedrijfscoach",
        ),
        ("wat is een ervaringsbewijs", "hoe vraag ik dat aan?", None),
    ],
)
def test_flemish_pointers_requests_and_articles(
    core: Core, first: str, then: str, entry: str | None
) -> None:
    answered, reply = talk(core, first, then)
    # None: the answer before ("that is all I know" about it, with its related questions).
    assert reply.entry_id == (entry or answered.entry_id), (then, reply.entry_id)


@pytest.mark.parametrize(
    "audience",
    ["en voor vrijwilligers?", "and for older staff?", "kan dat ook online?", "en in de praktijk?"],
)
def test_the_answer_before_for_someone_it_does_not_name(core: Core, audience: str) -> None:
    answered, reply = talk(core, "wat is een referentiepersoon", audience)
    assert reply.entry_id == answered.entry_id and "weet ik niet meer" in reply.body
    _, leave = talk(core, "wat is een referentiepersoon", "en mijn verlof dan?")
    assert leave.outcome != "answer"


def test_a_greeting_is_no_subject_to_follow_up_on(core: Core) -> None:
    (alone,) = talk(core, "populair")
    _, after_greeting = talk(core, "hallo", "populair")
    assert after_greeting.outcome == alone.outcome == "choices"


def test_thanks_after_an_answer_is_thanks_not_a_follow_up(core: Core) -> None:
    # "that"/"dat" points at the answer to thank for it (found in an emulator walk-through).
    for thanks in ("Thanks a lot, that really helped!", "bedankt, dat helpt me verder"):
        _, reply = talk(core, "wat is werkplekleren", thanks)
        assert reply.entry_id == "bedankt", thanks
    # With a question in it, it still leans on the answer before.
    _, more = talk(core, "wat is werkplekleren", "ok, en hoe doe ik dat")
    assert more.entry_id == "wat-is-werkplekleren" and not more.title


def test_a_question_outside_the_faq_is_no_follow_up(core: Core) -> None:
    # Few words of its own, and unanswered alone: it would read as a follow-up and get
    # "Over … weet ik niet meer dan wat hierboven staat".
    for previous, listed in (
        ("wat is een mentor", "Wat voor weer wordt het morgen?"),
        ("Kost werkplekleren veel geld?", "Wat vind jij eigenlijk van onze directeur?"),
    ):
        assert listed in core.knowledge.out_of_scope
        answer, outside = talk(core, previous, listed)
        assert answer.outcome == "answer" and outside.outcome == "fallback", (previous, listed)
