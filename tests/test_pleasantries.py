"""Which words are pleasantries, and trimming them off the ends of a content phrasing."""

from bot.pleasantries import pleasantry_tokens, trimmed

SMALL_TALK = [("hallo",), ("dank",), ("later",), ("hoe", "gat"), ("goed",)]


def test_one_word_small_talk_is_a_pleasantry_unless_content_uses_it() -> None:
    content = [("hallo", "ik", "werk"), ("ervaringsbewijs", "later", "haal"), ("werk", "dank")]
    answers = [("goed", "begeleid")]
    # "later" inside a phrasing and "goed" in an answer are content; two-word small talk is
    # never a pleasantry by itself.
    assert pleasantry_tokens(SMALL_TALK, content, answers) == {"hallo", "dank"}


def test_trimmed_takes_pleasantries_off_both_ends_only() -> None:
    pleasantries = frozenset({"hallo", "dank"})
    assert trimmed(("hallo", "hallo", "pop", "dank", "maak", "dank"), pleasantries) == (
        "pop",
        "dank",
        "maak",
    )
    assert trimmed(("hallo", "dank"), pleasantries) == ("hallo", "dank")
    assert trimmed((), pleasantries) == ()
