"""The knowledge lint of ``werkplekbot validate --strict``."""

from pathlib import Path

from bot.cli import main
from bot.core import Core
from bot.lint import lint
from bot.loading import load_knowledge


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
