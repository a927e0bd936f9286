"""Replies: built once, the contract's JSON shape, an honest fallback."""

from dataclasses import replace

import pytest

from bot.core import Core
from bot.knowledge import Knowledge, Settings
from bot.matching import Candidate, Match
from bot.replies import build_reply


def test_answer_reply_has_text_links_and_related(core: Core) -> None:
    reply = core.ask("Wat is een referentiepersoon?")
    assert reply.outcome == "answer" and reply.entry_id == "referentiepersonen"
    entry = core.knowledge.by_id["referentiepersonen"]
    assert reply.title == entry.question  # what the bot understood comes first
    assert reply.text == f"{entry.question}\n\n{entry.answer}"
    assert reply.links and all(link.url.startswith("https://") for link in reply.links)
    assert [c.entry_id for c in reply.related] == ["leernetwerken", "reden-nieuwkomers"]


def test_contract_json_shape(core: Core) -> None:
    data = core.ask("Wat betekent VTO?").to_json()
    assert {"question", "outcome", "entry", "score", "text", "links", "choices"} <= set(data)
    assert data["question"] == "Wat betekent VTO?"
    assert data["outcome"] == "answer" and data["entry"] == "wat-is-vto"
    assert isinstance(data["score"], float) and 0 <= data["score"] <= 100
    assert all(set(link) == {"title", "url"} for link in data["links"])
    assert data["choices"] == []


def test_choices_reply_numbers_the_questions(core: Core) -> None:
    reply = core.ask("leidraad?")
    assert reply.outcome == "choices" and reply.entry_id is None
    assert "Bedoelde je" in reply.text
    for number, choice in enumerate(reply.choices, 1):
        assert f"{number}. {choice.question}" in reply.text
    data = reply.to_json()
    assert data["choices"] == [{"entry": c.entry_id, "question": c.question} for c in reply.choices]


def test_fallback_is_honest_shows_topics_and_contact(core: Core) -> None:
    reply = core.ask("Waar kan ik gitaar leren spelen?")
    assert reply.outcome == "fallback" and reply.entry_id is None
    assert "daar heb ik (nog) geen antwoord op" in reply.text
    for section in core.knowledge.topics:
        assert section.title in reply.text
    assert "Begroeten en bedanken" not in reply.text
    assert core.knowledge.settings.contact in reply.text
    assert reply.links == () and reply.choices == ()


def test_contact_line_comes_from_the_settings(knowledge: Knowledge) -> None:
    custom = replace(knowledge, settings=Settings(contact="Bel An op 1234."))
    assert "Bel An op 1234." in Core(custom).ask("gitaar").text


def test_pick_answers_a_chosen_entry(core: Core) -> None:
    reply = core.pick("boek-baert")
    assert reply is not None and reply.entry_id == "boek-baert"
    assert core.pick("bestaat-niet") is None


def test_one_choice_is_worded_in_the_singular(knowledge: Knowledge) -> None:
    from bot.replies import choices_reply

    one = choices_reply(knowledge, "x", ("wat-is-vto",), 61.0)
    two = choices_reply(knowledge, "x", ("wat-is-vto", "boek-baert"), 61.0)
    assert "Bedoelde je deze vraag?" in one.text and "een van deze" not in one.text
    assert "Bedoelde je een van deze vragen?" in two.text


def test_small_talk_is_marked(core: Core) -> None:
    assert core.ask("hallo").small_talk and not core.ask("wat is vto").small_talk


def test_empty_question_invites_a_question(core: Core) -> None:
    for nothing in ("", "?", "...", "👍"):
        reply = core.ask(nothing)
        assert reply.outcome == "fallback" and "Typ gerust" in reply.text, nothing
        assert "Sorry" not in reply.text


def test_small_talk_is_never_offered_as_a_choice(core: Core) -> None:
    doubt = Match("choices", 60.0, (Candidate("oke", 60.0, "Top", 1.0, 1.0),))
    assert build_reply(core.knowledge, doubt, "stpo").outcome == "fallback"
    mixed = Match(
        "choices", 60.0, (Candidate("oke", 60, "Top", 1, 1), Candidate("mentor", 58, "", 1, 1))
    )
    assert [c.entry_id for c in build_reply(core.knowledge, mixed, "x").choices] == ["mentor"]


@pytest.mark.parametrize(
    ("said", "entry"),
    [
        ("doei", "tot-ziens"),
        ("stop", "tot-ziens"),
        ("sorry", "sorry"),
        ("merci vele malen", "bedankt"),
        ("Wat is een P.O.P.?", "ontwikkelingsplan"),
    ],
)
def test_everyday_words_get_their_answer(core: Core, said: str, entry: str) -> None:
    assert core.ask(said).entry_id == entry
