"""The knowledge lint of ``werkplekbot validate --strict``."""

import re
from pathlib import Path

import pytest

from bot.cli import main
from bot.core import Core
from bot.lint import FOREIGN_GAP, MAX_ALTERNATES, foreign_owner, lint
from bot.loading import load_knowledge
from bot.matching import Candidate, Match


def lint_copy(directory: Path) -> list[str]:
    return [str(p) for p in lint(Core(load_knowledge(directory)))]


def edit(path: Path, old: str, new: str) -> int:
    """Replace a line's text in a knowledge file; the 1-based line of the replacement."""
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return text[: text.index(old)].count("\n") + 1


def test_shipped_knowledge_passes_the_strict_lint(knowledge_copy: Path, capsys) -> None:
    assert lint_copy(knowledge_copy) == []
    assert main(["validate", "--strict", str(knowledge_copy)]) == 0


def test_failing_entry_tests_are_named(knowledge_copy: Path, capsys) -> None:
    path = knowledge_copy / "10-waarom-populair.yaml"
    must = edit(
        path,
        "      - Kost leren op de werkvloer veel geld?",
        "      - Wat is een referentiepersoon?",
    )
    must_not = edit(
        path, "      - not: Wat is werkplekleren?", "      - not: Is werkplekleren goedkoper?"
    )
    problems = lint_copy(knowledge_copy)
    assert any(p.startswith(f"{path}:{must}: ") and "'referentiepersonen'" in p for p in problems)
    assert any(
        p.startswith(f"{path}:{must_not}: ") and "mag 'reden-kosten' niet" in p for p in problems
    )
    assert main(["validate", "--strict", str(knowledge_copy)]) == 1
    assert f"{path}:{must}:" in capsys.readouterr().out


def test_phrasing_of_another_entry_is_found(knowledge_copy: Path) -> None:
    path = knowledge_copy / "30-condities-werkplek.yaml"
    line = edit(
        path,
        "      - Intervisie met collega's",
        "      - Hoe schrijf ik mijn persoonlijk ontwikkelingsplan?",
    )
    problems = lint_copy(knowledge_copy)
    assert any(p.startswith(f"{path}:{line}: ") and "'ontwikkelingsplan'" in p for p in problems)


@pytest.mark.parametrize(
    ("own", "foreign"),
    [
        (50.0, False),
        (40.0 - FOREIGN_GAP + 0.1, False),
        (40.0 - FOREIGN_GAP - 0.1, True),
        (0.0, True),
    ],
)
def test_a_phrasing_is_foreign_only_when_its_own_entry_is_well_behind_the_third(
    own: float, foreign: bool
) -> None:
    # An upload elsewhere moves scores by a few points: a phrasing whose own entry runs just
    # behind the first three must not fail it.
    scores = {"reden-kosten": 80.0, "mentor": 45.0, "reflectietijd": 40.0, "bijleren": own}
    ranked = tuple(
        Candidate(entry, score, "…", 0.9, 0.9)
        for entry, score in sorted(scores.items(), key=lambda item: -item[1])
    )
    owner = foreign_owner(Match("answer", 80.0, ranked), "bijleren")
    assert (owner.entry_id if owner else None) == ("reden-kosten" if foreign else None)
    assert foreign_owner(Match("answer", 80.0, ranked), "reden-kosten") is None


def test_colliding_entries_are_found(knowledge_copy: Path) -> None:
    path = knowledge_copy / "30-condities-werkplek.yaml"
    line = edit(
        path,
        "    question: Wat is een intern leernetwerk?",
        "    question: Wat is een loopbaangesprek in een leernetwerk?",
    )
    edit(path, "      - Interne leernetwerken", "      - Loopbaangesprekken in een leernetwerk")
    edit(
        path,
        "    question: Wat heeft een loopbaangesprek met werkplekleren te maken?",
        "    question: Wat is een leernetwerkgesprek over de loopbaan?",
    )
    problems = lint_copy(knowledge_copy)
    assert any(f"{path}:" in p and "lijken te sterk op elkaar" in p for p in problems), problems
    assert any(p.startswith(f"{path}:{line}: ") for p in problems), problems


def cut_entry(path: Path, entry_id: str) -> str:
    """Remove an entry's block from a knowledge file; returns the block."""
    text = path.read_text(encoding="utf-8")
    start = text.index(f"  - id: {entry_id}\n")
    end = text.find("\n  - id: ", start + 1)
    end = len(text) if end < 0 else end + 1
    path.write_text(text[:start] + text[end:], encoding="utf-8")
    return text[start:end]


def drop_related(directory: Path, entry_id: str) -> None:
    """Remove ``entry_id`` from every ``related:`` list."""
    for path in directory.glob("*.yaml"):
        text = path.read_text(encoding="utf-8")
        text = re.sub(rf"(related: \[[^\]]*?)(, {entry_id}\b|\b{entry_id}, )", r"\1", text)
        path.write_text(text, encoding="utf-8")


def test_adding_the_mentor_entry_fails_nothing_unrelated(knowledge_copy: Path) -> None:
    # The issue: adding "Wat is een mentor?" made 'Welke investering vraagt werkplekleren?'
    # "look more like" the small-talk-like entry 'Waar kan ik jou iets over vragen?'.
    path = knowledge_copy / "30-condities-werkplek.yaml"
    block = cut_entry(path, "mentor")
    drop_related(knowledge_copy, "mentor")
    assert "Wat is een mentor?" in block
    assert lint_copy(knowledge_copy) == []
    path.write_text(path.read_text(encoding="utf-8") + "\n" + block, encoding="utf-8")
    assert lint_copy(knowledge_copy) == []
    core = Core(load_knowledge(knowledge_copy))
    assert core.match("Welke investering vraagt werkplekleren?").entry_id == "reden-kosten"


NEW_ENTRIES = {
    "buddy": """
  - id: buddy
    question: Wat is een buddysysteem voor nieuwe collega's?
    alternates:
      - Krijg ik een buddy als ik start?
      - Buddy op de werkvloer
      - Een vaste collega die je de eerste weken wegwijs maakt
      - Buddy system for new staff
      - Wa is da, ne buddy?
    answer: >-
      Een buddy is een collega die een nieuwe medewerker de eerste weken wegwijs maakt.
    links:
      - title: Leren in de Social Profit
        url: https://www.lerenindesocialprofit.be/
""",
    "e-learning": """
  - id: e-learning
    question: Telt e-learning ook als werkplekleren?
    alternates:
      - Is een online cursus werkplekleren?
      - E-learning tijdens de dienst
      - Leren met filmpjes op het werk
      - Online leren op de werkvloer
      - Does e-learning count as workplace learning?
    answer: >-
      E-learning is een vorm van opleiding; het wordt werkplekleren als je het meteen in je
      werk toepast.
    links:
      - title: Leren in de Social Profit
        url: https://www.lerenindesocialprofit.be/
""",
}


@pytest.mark.parametrize("name", sorted(NEW_ENTRIES))
def test_adding_an_entry_only_fails_checks_that_involve_it(knowledge_copy: Path, name: str) -> None:
    """Lint stays local: a new entry can only fail its own lines, or a phrasing of a real
    neighbour, one sharing a word with the new entry that not half the FAQ uses."""
    path = knowledge_copy / "30-condities-werkplek.yaml"
    before = path.read_text(encoding="utf-8")
    first = before.count("\n") + 2
    path.write_text(before + NEW_ENTRIES[name], encoding="utf-8")
    core = Core(load_knowledge(knowledge_copy))
    analyzer, entries = core.matcher.analyzer, core.knowledge.entries
    uses = {e.id: {t for p in e.phrasings for t in analyzer.tokens(p)} for e in entries}
    common = {
        t
        for t in set().union(*uses.values())
        if 2 * sum(t in u for u in uses.values()) > len(entries)
    }
    own = uses[name] - common
    for problem in lint(core):
        inside = problem.file == str(path) and problem.line >= first
        phrasing = str(problem).split("'")[1]
        assert inside or own & set(analyzer.tokens(phrasing)), str(problem)


def test_every_shipped_entry_has_its_own_short_label(knowledge_copy: Path) -> None:
    knowledge = load_knowledge(knowledge_copy)
    labels = [entry.label for entry in knowledge.entries]
    assert all(0 < len(label) <= 32 for label in labels)
    assert len({label.casefold() for label in labels}) == len(labels)
    path = knowledge_copy / "30-condities-werkplek.yaml"
    line = edit(path, "    label: Tijd voor reflectie", "    label: Wat is een mentor?")
    problems = lint_copy(knowledge_copy)
    assert any("hetzelfde label" in p and "'reflectietijd'" in p for p in problems), problems
    assert line > 0


def alternates(count: int, word: str) -> str:
    return "".join(f"      - {word} vraag nummer {n}\n" for n in range(count))


def line_of(path: Path, text: str) -> int:
    content = path.read_text(encoding="utf-8")
    return content[: content.index(text)].count("\n") + 1


def alternate_count(directory: Path, entry_id: str) -> int:
    return len(load_knowledge(directory).by_id[entry_id].alternates)


def warnings_of(directory: Path) -> list[str]:
    return [str(p) for p in lint(Core(load_knowledge(directory))) if p.is_warning]


def test_too_few_or_too_many_alternates_warn(knowledge_copy: Path, capsys) -> None:
    path = knowledge_copy / "30-condities-werkplek.yaml"
    text = path.read_text(encoding="utf-8")
    start = text.index("    alternates:\n", text.index("id: werkplekcondities"))
    end = text.index("    answer:", start)
    path.write_text(text[:start] + "    alternates: [Condities op de werkplek]\n" + text[end:])
    few = line_of(path, "  - id: werkplekcondities")
    many_path = knowledge_copy / "40-meer-info.yaml"
    have = alternate_count(knowledge_copy, "meer-info")
    extra = MAX_ALTERNATES - have + 2
    edit(many_path, "      - Meer info over werkplekleren\n", alternates(extra, "bronnenlijst"))
    many = line_of(many_path, "  - id: meer-info")
    warnings = warnings_of(knowledge_copy)
    assert len(warnings) == 2, warnings
    assert warnings[0].startswith(
        f"{path}:{few}: waarschuwing: 'werkplekcondities' heeft 1 alternate (aangeraden: 5 tot "
        f"{MAX_ALTERNATES}): voeg er nog 4 toe"
    )
    assert warnings[1].startswith(
        f"{many_path}:{many}: waarschuwing: 'meer-info' heeft {have + extra - 1} "
    )
    # Warnings do not fail the strict validate.
    assert main(["validate", "--strict", str(knowledge_copy)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("OK: ") and " 2 waarschuwingen:\n" in out


def test_learned_alternates_count_too(knowledge_copy: Path) -> None:
    have = alternate_count(knowledge_copy, "meer-info")
    extra = MAX_ALTERNATES - have + 1
    learned = "learned:\n  - id: meer-info\n    alternates:\n" + alternates(extra, "leesvoer")
    (knowledge_copy / "geleerd.yaml").write_text(learned, encoding="utf-8")
    warnings = warnings_of(knowledge_copy)
    assert len(warnings) == 1, warnings
    expected = f"'meer-info' heeft {have + extra} alternates, waarvan {extra} onder 'learned'"
    assert expected in warnings[0]


def test_names_a_phone_would_cut_on_a_button_warn(knowledge_copy: Path) -> None:
    edit(
        knowledge_copy / "10-waarom-populair.yaml",
        "section: Voordelen van werkplekleren",
        "section: Waarom is werkplekleren vandaag zo populair?",
    )
    edit(
        knowledge_copy / "00-basis.yaml",
        "title: VDAB (zoek “ervaringsbewijs”)",
        "title: VDAB – ervaringsbewijs en erkenning van competenties",
    )
    warnings = warnings_of(knowledge_copy)
    assert len(warnings) == 2, warnings
    assert (
        "het onderwerp 'Waarom is werkplekleren vandaag zo populair?' (section:)" in warnings[1]
        and "te lang voor een knop (44 tekens, maximaal 32)" in warnings[1]
    )
    assert "de link 'VDAB – ervaringsbewijs en erkenning van competenties' van " in warnings[0]


# Colleagues' wordings an admin can add from Telegram to the fullest shipped entry before the
# alternates warning calls it too broad.
ROOM_FOR_COLLEAGUES = 5


def test_fullest_entry_has_room_for_colleagues_wordings(knowledge_copy: Path) -> None:
    knowledge = load_knowledge(knowledge_copy)
    small_talk = knowledge.small_talk_ids
    fullest = max(
        (e for e in knowledge.entries if e.id not in small_talk), key=lambda e: len(e.alternates)
    )
    learned = f"learned:\n  - id: {fullest.id}\n    alternates:\n" + alternates(
        ROOM_FOR_COLLEAGUES, "collega"
    )
    (knowledge_copy / "geleerd.yaml").write_text(learned, encoding="utf-8")
    assert not [w for w in warnings_of(knowledge_copy) if "alternates" in w]


def test_small_talk_has_no_maximum(knowledge_copy: Path) -> None:
    path = knowledge_copy / "95-beleefdheden.yaml"
    greetings = ("Hallo allemaal", "Hoi hoi", "Hey daar", "Hallo collega", "Hiya", "Heey", "Yo")
    edit(
        path, "      - Hallo daar\n", "".join(f"      - {g}\n" for g in ("Hallo daar", *greetings))
    )
    assert len(load_knowledge(knowledge_copy).by_id["groet"].alternates) > 15
    assert warnings_of(knowledge_copy) == []


def test_a_content_phrasing_may_open_or_close_with_a_pleasantry(knowledge_copy: Path) -> None:
    # Left out of the phrasing as out of a question; else "hallo" would become a content word
    # and "Hallo werkplekbot!" would no longer greet.
    path = knowledge_copy / "30-condities-werkplek.yaml"
    edit(
        path,
        "      - Referentiepersonen\n",
        "      - Referentiepersonen\n      - Hallo, wat doet een referentiepersoon?\n"
        "      - Heeft elk team een referentiepersoon? Merci!\n",
    )
    assert lint_copy(knowledge_copy) == []
    core = Core(load_knowledge(knowledge_copy), semantic=False)
    assert core.match("Hallo werkplekbot!").entry_id == "groet"
    assert core.match("Merci Werkplekbot").entry_id == "bedankt"
    assert core.match("hallo, wat doet een referentiepersoon").entry_id == "referentiepersonen"


def test_small_talk_survives_its_words_in_the_middle_of_content(knowledge_copy: Path) -> None:
    # "verkeerd" in a story makes it a content word; "sorry" still says what the message is.
    path = knowledge_copy / "30-condities-werkplek.yaml"
    edit(
        path,
        "      - Referentiepersonen\n",
        "      - Referentiepersonen\n"
        "      - Wie helpt ons als er verkeerde medicatie gegeven is en niemand het weet?\n",
    )
    core = Core(load_knowledge(knowledge_copy), semantic=False)
    assert core.match("oeps sorry kheb ma wa verkeerd getypt").entry_id == "sorry"
    assert core.match("Merci, tot ziens!").entry_id == "tot-ziens"


def test_a_test_question_listed_outside_the_faq_says_where_it_is(knowledge_copy: Path) -> None:
    question = "Kost leren op de werkvloer veel geld?"
    outside = knowledge_copy / "97-buiten-bereik.yaml"
    outside.write_text(outside.read_text(encoding="utf-8") + f"  - {question}\n", "utf-8")
    problems = [p for p in lint_copy(knowledge_copy) if question in p]
    assert len(problems) == 1, problems
    assert "staat bij de vragen buiten bereik (out_of_scope): haal ze daar weg." in problems[0]


def test_a_phrasing_that_asks_about_the_askers_own_case_warns(knowledge_copy: Path) -> None:
    # Asked in other words it would be offered, not answered: the phrasing teaches the entry
    # a question it does not answer.
    path = knowledge_copy / "30-condities-werkplek.yaml"
    line = edit(
        path,
        "      - Ik ben teamleider in een kinderdagverblijf. Hoe volgt een peter een starter op?\n",
        "      - Hoeveel uur per week krijgt een peter om een starter op te volgen?\n",
    )
    warnings = warnings_of(knowledge_copy)
    assert len(warnings) == 1, warnings
    assert warnings[0].startswith(
        f"{path}:{line}: waarschuwing: 'Hoeveel uur per week krijgt een peter om een starter op "
        "te volgen?' vraagt naar een getal, een regel, een datum of een persoon"
    )
