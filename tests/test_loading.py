"""Loading and validating knowledge: every problem named as FILE:LINE with a usable hint."""

import re
from pathlib import Path

import pytest

from bot.config import REPOSITORY_KNOWLEDGE
from bot.core import Core
from bot.knowledge import Knowledge
from bot.lint import MAX_ALTERNATES, MIN_ALTERNATES
from bot.loading import (
    KnowledgeError,
    check_knowledge,
    inspect_knowledge,
    load_knowledge,
)
from bot.reloading import reload
from bot.text import fold

GOOD_ENTRY = """\
section: Test
entries:
  - id: wat-is-vto
    question: Wat betekent VTO?
    alternates:
      - Waar staat VTO voor?
    answer: VTO staat voor vorming, training en opleiding.
    links:
      - title: Bron
        url: https://www.example.org/
"""


def problems_for(tmp_path: Path, text: str, name: str = "fout.yaml") -> list[str]:
    """Validate a directory holding one file with ``text``; the problems as strings."""
    (tmp_path / name).write_text(text, encoding="utf-8")
    knowledge, problems = check_knowledge(tmp_path)
    assert (knowledge is None) == bool(problems)
    return [str(p) for p in problems]


def test_shipped_knowledge_is_valid(knowledge: Knowledge) -> None:
    assert len(knowledge.entries) >= 35
    assert len(knowledge.synonyms) >= 50


def test_every_source_section_and_bullet_has_its_own_entry(knowledge: Knowledge) -> None:
    required = {
        # Waarom populair: overview and the six reasons
        "waarom-populair",
        "reden-verandering",
        "reden-flexibiliteit",
        "reden-arbeidsmarkt",
        "reden-kosten",
        "reden-nieuwkomers",
        "reden-ervaringsbewijs",
        # Stimulerende voorwaarden: overview, the six, the book, the ideal, krachtige leeromgeving
        "voorwaarden-baert",
        "voorwaarde-missie",
        "voorwaarde-management",
        "voorwaarde-structuur",
        "voorwaarde-communicatie",
        "voorwaarde-cultuur",
        "voorwaarde-medewerkers",
        "boek-baert",
        "lerende-organisatie",
        "krachtige-leeromgeving",
        # Condities op de werkplek: overview, the four examples, the fuller list
        "werkplekcondities",
        "loopbaangesprekken",
        "ontwikkelingsplan",
        "leernetwerken",
        "referentiepersonen",
        "lijst-werkplekcondities",
        # Nog meer info: overview and each resource
        "meer-info",
        "leidraad-onderwijs-vlaanderen",
        "publicatie-serv",
        "handleiding-vdab-bedrijfscoach",
        "leidraad-ku-leuven",
        # Obvious next questions and small talk
        "wat-is-werkplekleren",
        "wat-is-vto",
        "wat-is-ervaringsbewijs",
        "groet",
        "bedankt",
        "wie-ben-je",
        "wat-kan-je",
    }
    assert required <= set(knowledge.by_id)


def test_entries_are_complete(knowledge: Knowledge) -> None:
    for entry in knowledge.entries:
        assert len(entry.id) <= 32
        assert MIN_ALTERNATES <= len(entry.alternates) <= MAX_ALTERNATES, entry.id
        prose = " ".join(line for line in entry.answer.splitlines() if not line.startswith("•"))
        sentences = len(re.findall(r"[.!?:](\s|$)", prose))
        assert 1 <= sentences <= 6, entry.id
        small_talk = entry.id in knowledge.small_talk_ids
        assert small_talk or entry.links, entry.id


def test_links_are_only_the_certain_ones(knowledge: Knowledge) -> None:
    allowed = {
        "https://www.lerenindesocialprofit.be/?cid=3&pagina=113-het-bevorderen-van-werkplekleren",
        "https://www.lerenindesocialprofit.be/",
        "https://onderwijs.vlaanderen.be/",
        "https://www.serv.be/",
        "https://www.vdab.be/",
        "https://www.kuleuven.be/",
        "https://www.vlaanderen.be/",
    }
    urls = {link.url for entry in knowledge.entries for link in entry.links}
    assert urls <= allowed


def test_small_talk_is_not_a_topic(knowledge: Knowledge) -> None:
    titles = [section.title for section in knowledge.topics]
    assert "Begroeten en bedanken" not in titles and "Over Werkplekbot" in titles
    assert "Stimulerende voorwaarden" in titles


def test_export_shape(knowledge: Knowledge) -> None:
    exported = knowledge.to_json()
    entry = exported["entries"][0]
    assert {"id", "question", "alternates", "answer", "links", "section"} <= set(entry)
    assert set(entry["links"][0]) == {"title", "url"}
    assert exported["out_of_scope"] == list(knowledge.out_of_scope)


def test_good_file_loads(tmp_path: Path) -> None:
    assert problems_for(tmp_path, GOOD_ENTRY) == []
    loaded = load_knowledge(tmp_path)
    assert loaded.by_id["wat-is-vto"].section == "Test"


@pytest.mark.parametrize(
    ("text", "line", "hint"),
    [
        (GOOD_ENTRY.replace("answer: VTO", "answer: Let op: VTO"), 7, "tussen aanhalingstekens"),
        (GOOD_ENTRY.replace("    answer:", "\tanswer:"), 7, "tab"),
        (GOOD_ENTRY.replace("    answer:", "      answer:"), 7, "inspringen"),
        (GOOD_ENTRY.replace("answer: VTO", 'answer: "VTO'), 7, "aanhalingsteken"),
        (
            GOOD_ENTRY.replace("      - Waar staat VTO voor?", "      - @VTO"),
            6,
            "niet beginnen met @",
        ),
        (GOOD_ENTRY.replace("Waar staat VTO voor?", "Wat is VTO #afkorting"), 6, "commentaar"),
        (GOOD_ENTRY.replace("      - Waar staat VTO voor?", "      - ? Waar staat VTO"), 6, "'? '"),
    ],
)
def test_yaml_pitfalls_are_explained(tmp_path: Path, text: str, line: int, hint: str) -> None:
    problems = problems_for(tmp_path, text)
    assert problems, text
    assert problems[0].startswith(f"{tmp_path / 'fout.yaml'}:{line}: "), problems
    assert hint in problems[0], problems


@pytest.mark.parametrize(
    ("change", "line", "hint"),
    [
        (("    answer: VTO staat voor vorming, training en opleiding.\n", ""), 3, "'answer'"),
        (("id: wat-is-vto", "id: " + "x" * 33), 3, "te lang"),
        (("id: wat-is-vto", "id: Wat is VTO"), 3, "kleine letters"),
        (("https://www.example.org/", "http://www.example.org/"), 10, "https://"),
        (("https://www.example.org/", "https://example"), 10, "geen geldig webadres"),
        (("    alternates:", "    alternate:"), 5, "Bedoel je 'alternates'?"),
        (("      - Waar staat VTO voor?", "      - yes"), 6, "aanhalingstekens"),
        (("      - Waar staat VTO voor?", "      - Wat is: VTO"), 6, "dubbele punt"),
        (("section: Test\n", ""), 2, "onderwerp"),
        (
            ("    answer: VTO staat", "    question: Nog eens\n    answer: VTO staat"),
            7,
            "twee keer",
        ),
    ],
)
def test_entry_problems(tmp_path: Path, change: tuple[str, str], line: int, hint: str) -> None:
    problems = problems_for(tmp_path, GOOD_ENTRY.replace(*change))
    expected = f"{tmp_path / 'fout.yaml'}:{line}: "
    assert any(p.startswith(expected) and hint in p for p in problems), problems


def test_problems_across_files(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text(GOOD_ENTRY, encoding="utf-8")
    other = (
        GOOD_ENTRY.replace("Waar staat VTO voor?", "Waar staat V.T.O. voor?").replace(
            "Wat betekent VTO?", "Wat wil VTO zeggen?"
        )
        + "    related: [wat-is-vtoo]\n"
    )
    (tmp_path / "b.yaml").write_text(other, encoding="utf-8")
    problems = [str(p) for p in check_knowledge(tmp_path)[1]]
    b = tmp_path / "b.yaml"
    assert any(p.startswith(f"{b}:3: ") and "bestaat al" in p for p in problems), problems
    assert any(p.startswith(f"{b}:11: ") and "Bedoel je 'wat-is-vto'?" in p for p in problems)
    assert not any("dezelfde vraag" in p for p in problems if "a.yaml" in p)


def test_same_phrasing_in_two_entries(tmp_path: Path) -> None:
    second = (
        GOOD_ENTRY.split("entries:\n")[1]
        .replace("wat-is-vto", "vto-uitleg")
        .replace("Wat betekent VTO?", "Wat is het VTO-beleid?")
    )
    problems = problems_for(tmp_path, GOOD_ENTRY + second)
    assert any(":14: " in p and "dezelfde vraag" in p and "'wat-is-vto'" in p for p in problems)


def test_binary_file_is_named(tmp_path: Path) -> None:
    (tmp_path / "ok.yaml").write_text(GOOD_ENTRY, encoding="utf-8")
    (tmp_path / "kapot.yaml").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00garbage")
    problems = [str(p) for p in check_knowledge(tmp_path)[1]]
    assert len(problems) == 1 and problems[0].startswith(f"{tmp_path / 'kapot.yaml'}:1: ")


def test_non_utf8_file_is_named(tmp_path: Path) -> None:
    problems = problems_for(tmp_path, "", name="a.yaml")
    (tmp_path / "a.yaml").write_bytes(GOOD_ENTRY.replace("Test", "Tést").encode("latin-1"))
    problems = [str(p) for p in check_knowledge(tmp_path)[1]]
    assert problems and "UTF-8" in problems[0] and ":1: " in problems[0]


def test_alias_bomb_is_refused_quickly(tmp_path: Path) -> None:
    bomb = ['a: &a ["x", "x", "x", "x", "x", "x", "x", "x", "x"]']
    for level in "bcdefghij":
        previous = chr(ord(level) - 1)
        bomb.append(f"{level}: &{level} [{', '.join(['*' + previous] * 9)}]")
    problems = problems_for(tmp_path, "synonyms:\n" + "\n".join("  " + b for b in bomb))
    assert problems and "verwijzingen" in problems[0]


def test_empty_directory_is_a_problem(tmp_path: Path) -> None:
    problems = [str(p) for p in check_knowledge(tmp_path)[1]]
    assert problems == [
        f"{tmp_path}: geen enkele vraag gevonden. Zet je vragen in "
        ".yaml-bestanden in deze map, onder 'entries:'."
    ]


def test_load_knowledge_raises_with_all_problems(knowledge_copy: Path) -> None:
    path = knowledge_copy / "10-waarom-populair.yaml"
    original = path.read_text(encoding="utf-8")
    path.write_text(original.replace("  - id: reden-kosten", "  - id reden"))
    # The parser notices the broken line on the line after it.
    line = original.splitlines().index("  - id: reden-kosten") + 2
    with pytest.raises(KnowledgeError) as caught:
        load_knowledge(knowledge_copy)
    problems = [str(p) for p in caught.value.problems]
    # Only the syntax error: what other files refer to may be in the unreadable file.
    assert len(problems) == 1 and problems[0].startswith(f"{path}:{line}: "), problems


def test_question_without_searchable_words(tmp_path: Path) -> None:
    text = GOOD_ENTRY.replace("      - Waar staat VTO voor?", "      - '?!'")
    problems = problems_for(tmp_path, text)
    assert any(":6: " in p and "geen woorden" in p for p in problems)


def test_folded_ids_are_unique_across_shipped_phrasings(knowledge: Knowledge) -> None:
    seen: dict[str, str] = {}
    for entry in knowledge.entries:
        for phrasing in entry.phrasings:
            assert seen.setdefault(fold(phrasing), entry.id) == entry.id, phrasing


def test_repository_knowledge_path_exists() -> None:
    assert (REPOSITORY_KNOWLEDGE / "synoniemen.yaml").is_file()


def test_phrasings_differing_only_in_compound_spacing_are_one_question(tmp_path: Path) -> None:
    entries = """\
section: Test
entries:
  - id: een
    question: Wat is een team coachingplan?
    answer: Antwoord een.
  - id: twee
    question: Wat is een teamcoaching plan?
    answer: Het plan van een team voor coaching.
"""
    problems = problems_for(tmp_path, entries)
    assert any(":7: " in p and "dezelfde vraag" in p and "'een'" in p for p in problems), problems


def test_label_is_optional_short_and_derived_when_absent(tmp_path: Path) -> None:
    long_label = GOOD_ENTRY.replace(
        "    question: Wat betekent VTO?\n",
        "    question: Wat betekent VTO?\n    label: Vorming, training en opleiding uitgelegd\n",
    )
    assert any(":5: " in p and "te lang" in p for p in problems_for(tmp_path, long_label))
    (tmp_path / "fout.yaml").write_text(
        GOOD_ENTRY.replace(
            "    question: Wat betekent VTO?\n", "    question: Wat betekent VTO?\n    label: VTO\n"
        ),
        encoding="utf-8",
    )
    assert load_knowledge(tmp_path).by_id["wat-is-vto"].short_label == "VTO"


def test_every_shipped_label_fits_a_button(knowledge: Knowledge) -> None:
    for entry in knowledge.entries:
        assert 0 < len(entry.short_label) <= 32, entry.id


def test_learned_alternates_join_their_entry_and_keep_their_own_lines(tmp_path: Path) -> None:
    (tmp_path / "vto.yaml").write_text(GOOD_ENTRY, encoding="utf-8")
    learned = "learned:\n  - id: wat-is-vto\n    alternates:\n      - Wat houdt VTO in?\n"
    (tmp_path / "geleerd.yaml").write_text(learned, encoding="utf-8")
    knowledge = load_knowledge(tmp_path)
    entry = knowledge.by_id["wat-is-vto"]
    assert entry.alternates == ("Waar staat VTO voor?", "Wat houdt VTO in?")
    assert [str(w) for w in entry.phrasing_locations] == [
        f"{tmp_path / 'vto.yaml'}:4",
        f"{tmp_path / 'vto.yaml'}:6",
        f"{tmp_path / 'geleerd.yaml'}:4",
    ]


def test_learned_for_an_unknown_id(tmp_path: Path) -> None:
    (tmp_path / "vto.yaml").write_text(GOOD_ENTRY, encoding="utf-8")
    problems = problems_for(
        tmp_path,
        "learned:\n  - id: wat-is-vt\n    alternates: [iets anders]\n",
        "geleerd.yaml",
    )
    assert len(problems) == 1
    assert problems[0].endswith(
        "geleerd.yaml:2: 'learned' verwijst naar 'wat-is-vt', maar die id bestaat niet. "
        "Bedoel je 'wat-is-vto'?"
    )


EMPTIED = {
    "zero bytes": "",
    "only comments": "# Condities op de werkplek.\n# (alles weg)\n",
}


@pytest.mark.parametrize("content", sorted(EMPTIED))
def test_an_emptied_file_is_named_as_the_cause(knowledge_copy: Path, content: str) -> None:
    emptied = knowledge_copy / "30-condities-werkplek.yaml"
    gone = {e.id for e in load_knowledge(knowledge_copy).entries if e.location.file == str(emptied)}
    emptied.write_text(EMPTIED[content], encoding="utf-8")
    inspection = inspect_knowledge(knowledge_copy)
    assert [str(w) for w in inspection.warnings] == [
        f"{emptied}:1: waarschuwing: dit bestand is leeg (of heeft alleen commentaar). Zet de "
        "inhoud terug, of verwijder het bestand als het weg mag."
    ]
    problems = [str(p) for p in inspection.problems]
    assert problems and all(
        "(misschien stond ze in het lege bestand 30-condities-werkplek.yaml?)" in p
        for p in problems
    ), problems
    # One problem per missing id, not one per entry that refers to it.
    named = [re.findall(r"verwijst naar '([a-z0-9-]+)'", p)[0] for p in problems]
    assert len(named) == len(set(named)) and set(named) <= gone
    several = next(p for p in problems if "'werkplekcondities'" in p)
    assert re.search(r"Ook in 20-stimulerende-voorwaarden\.yaml:\d+ en 40-meer-info", several)
    # A weak look-alike is no help when the id stood in the emptied file.
    assert not any("Bedoel je" in p for p in problems), problems


def test_entries_with_nothing_under_them_is_the_named_problem(knowledge_copy: Path) -> None:
    emptied = knowledge_copy / "30-condities-werkplek.yaml"
    emptied.write_text("section: Condities op de werkplek\nentries:\n", encoding="utf-8")
    problems = [str(p) for p in check_knowledge(knowledge_copy)[1]]
    assert f"{emptied}:2: onder 'entries:' staan geen vragen." in " ".join(problems)
    assert all(p.startswith(f"{emptied}:") or "lege bestand 30-" in p for p in problems)
    # Written on purpose, an empty list or a topic without entries only warns.
    emptied.write_text("section: Condities\nentries: []\n", encoding="utf-8")
    assert f"{emptied}:2: " in str(inspect_knowledge(knowledge_copy).warnings[0])
    emptied.write_text("section: Condities\n", encoding="utf-8")
    assert "geen vragen" in str(inspect_knowledge(knowledge_copy).warnings[0])


def test_learned_alternates_for_an_emptied_file_name_it(tmp_path: Path) -> None:
    (tmp_path / "vto.yaml").write_text("# weg\n", encoding="utf-8")
    (tmp_path / "ander.yaml").write_text(GOOD_ENTRY.replace("wat-is-vto", "iets"), "utf-8")
    learned = "learned:\n  - id: wat-is-vto\n    alternates: [Wat houdt VTO in?]\n"
    problems = problems_for(tmp_path, learned, "geleerd.yaml")
    assert problems == [
        f"{tmp_path / 'geleerd.yaml'}:2: 'learned' verwijst naar 'wat-is-vto', maar die id "
        "bestaat niet (misschien stond ze in het lege bestand vto.yaml?)."
    ]


def test_a_missing_id_without_an_emptied_file_is_reported_once(tmp_path: Path) -> None:
    first = GOOD_ENTRY + "    related: [wat-is-vtoo]\n"
    second = GOOD_ENTRY.split("entries:\n")[1].replace("wat-is-vto", "ander").replace("VTO", "POP")
    problems = problems_for(tmp_path, first + second + "    related: [wat-is-vtoo]\n")
    assert problems == [
        f"{tmp_path / 'fout.yaml'}:11: 'related' verwijst naar 'wat-is-vtoo', maar die id "
        "bestaat niet. Bedoel je 'wat-is-vto'? Ook in fout.yaml:20."
    ]


def test_no_synonyms_or_contact_line_warns_but_loads(knowledge_copy: Path) -> None:
    synonyms = knowledge_copy / "synoniemen.yaml"
    synonyms.write_text("", encoding="utf-8")
    (knowledge_copy / "instellingen.yaml").unlink()
    assert check_knowledge(knowledge_copy)[1] == ()
    assert load_knowledge(knowledge_copy).synonyms == {}
    warnings = [str(w) for w in inspect_knowledge(knowledge_copy).warnings]
    assert len(warnings) == 2, warnings
    contact, missing_synonyms = warnings
    assert contact.startswith(f"{knowledge_copy}: waarschuwing: er is geen contactzin")
    assert "standaardzin" in contact and "instellingen.yaml" in contact
    assert missing_synonyms.startswith(
        f"{synonyms}:1: waarschuwing: dit bestand is leeg: er zijn dus geen synoniemen."
    )
    assert "Vlaamse woorden" in missing_synonyms
    # With only the key left, the same warning; no problem.
    synonyms.write_text("synonyms:\n", encoding="utf-8")
    assert check_knowledge(knowledge_copy)[1] == ()
    assert "er zijn geen synoniemen" in str(inspect_knowledge(knowledge_copy).warnings[1])


def test_the_shipped_knowledge_has_no_warnings() -> None:
    inspection = inspect_knowledge(REPOSITORY_KNOWLEDGE)
    assert inspection.problems == () and inspection.warnings == ()


def test_a_reload_goes_through_with_warnings(knowledge_copy: Path, core: Core) -> None:
    (knowledge_copy / "synoniemen.yaml").write_text("", encoding="utf-8")
    outcome = reload(core, knowledge_copy)
    assert outcome.core is not None and outcome.problems == ()


def test_a_reload_says_what_changed_beside_the_entries(knowledge_copy: Path, core: Core) -> None:
    assert reload(core, knowledge_copy).summary() == "Kennis herladen: niets veranderd."
    with (knowledge_copy / "synoniemen.yaml").open("a", encoding="utf-8") as synonyms:
        synonyms.write("  gemeenschap van leerders: lerende organisatie\n")
    with (knowledge_copy / "97-buiten-bereik.yaml").open("a", encoding="utf-8") as outside:
        outside.write("  - Hoeveel kost een parkeerkaart voor het personeel?\n")
    assert reload(core, knowledge_copy).summary() == (
        "Kennis herladen. Synoniemen: 1 erbij, 0 weg; vragen buiten bereik: 1 erbij, 0 weg."
    )


@pytest.mark.parametrize(
    "url",
    [
        "https://www.vdab,be/",
        "https://www.vdab.be,/",
        "https://-vdab.be/",
        "https://vdab-.be/",
        "https://vdab..be/",
        "https://vdab.b3/",
        "https://192.168.1.1/",
        "https://www.vdab_be.be/",
        "https://www.vdab.be:poort/",
    ],
)
def test_a_link_to_no_valid_host_name_is_a_problem(tmp_path: Path, url: str) -> None:
    problems = problems_for(tmp_path, GOOD_ENTRY.replace("https://www.example.org/", url))
    assert len(problems) == 1 and problems[0].startswith(f"{tmp_path / 'fout.yaml'}:10: ")
    assert "geen geldig webadres" in problems[0], problems


@pytest.mark.parametrize(
    "url",
    [
        "https://www.vdab.be:8443/pad?x=1",
        "https://www.bücher.de/",
        "https://xn--bcher-kva.de/",
        "https://münchen.xn--p1ai/",
        "https://sub-domein.voorbeeld.vlaanderen/",
    ],
)
def test_valid_host_names_pass(tmp_path: Path, url: str) -> None:
    assert problems_for(tmp_path, GOOD_ENTRY.replace("https://www.example.org/", url)) == []


@pytest.mark.parametrize(
    ("change", "line", "says"),
    [
        (
            ("answer: VTO staat voor vorming, training en opleiding.", "answer:"),
            7,
            "het antwoord is leeg",
        ),
        (
            ("answer: VTO staat voor vorming, training en opleiding.", 'answer: ""'),
            7,
            "het antwoord is leeg",
        ),
        (
            ("answer: VTO staat voor vorming, training en opleiding.", "answer: >-"),
            7,
            "het antwoord is leeg",
        ),
        (
            ("answer: VTO staat voor vorming, training en opleiding.", "answer: ~"),
            7,
            "het antwoord is leeg",
        ),
        (("question: Wat betekent VTO?", "question:"), 4, "de vraag is leeg"),
        (("id: wat-is-vto", "id:"), 3, "de id is leeg"),
        (("title: Bron", "title:"), 9, "de titel van de link is leeg"),
        (("url: https://www.example.org/", "url:"), 10, "het webadres is leeg"),
        (("- Waar staat VTO voor?", "-"), 6, "in 'alternates' staat een leeg item"),
    ],
)
def test_an_empty_value_says_it_is_empty(
    tmp_path: Path, change: tuple[str, str], line: int, says: str
) -> None:
    problems = problems_for(tmp_path, GOOD_ENTRY.replace(*change))
    assert problems and problems[0].startswith(f"{tmp_path / 'fout.yaml'}:{line}: {says}")
    assert not any("dubbele punt" in p for p in problems), problems


def test_an_empty_section_is_reported_once(tmp_path: Path) -> None:
    second = GOOD_ENTRY.split("entries:\n")[1].replace("wat-is-vto", "ander").replace("VTO", "X")
    problems = problems_for(tmp_path, GOOD_ENTRY.replace("section: Test", "section:") + second)
    assert problems == [
        f"{tmp_path / 'fout.yaml'}:1: het onderwerp is leeg: schrijf het achter 'section:'."
    ]


MISSING_DASH = [
    # An alternate in the middle, and the last one.
    (
        "      - Waar staat VTO voor?\n",
        "      - Waar staat VTO voor?\n      Wat is VTO\n      - VTO?\n",
        7,
    ),
    ("      - Waar staat VTO voor?\n", "      - Waar staat VTO voor?\n      Wat is VTO\n", 7),
    # The second entry, at the entries' indentation and at the fields' indentation.
    ("    links:", "  id: tweede\n    question: Tweede?\n    answer: Twee.\n    links:", 8),
    ("    links:", "\n    id: tweede\n    question: Tweede?\n    answer: Twee.\n    links:", 9),
    # A second link.
    (
        "        url: https://www.example.org/\n",
        "        url: https://www.example.org/\n      title: B\n      url: https://b.be/\n",
        11,
    ),
]


@pytest.mark.parametrize(("old", "new", "line"), MISSING_DASH)
def test_a_missing_dash_is_reported_on_its_line(
    tmp_path: Path, old: str, new: str, line: int
) -> None:
    text = GOOD_ENTRY.replace(old, new)
    assert text != GOOD_ENTRY
    problems = problems_for(tmp_path, text)
    assert len(problems) == 1 and problems[0].startswith(f"{tmp_path / 'fout.yaml'}:{line}: ")
    assert "'- '" in problems[0], problems


def test_questions_outside_the_faq_load_in_order_once(tmp_path: Path) -> None:
    (tmp_path / "vto.yaml").write_text(GOOD_ENTRY, encoding="utf-8")
    outside = "out_of_scope:\n  - Wanneer krijg ik mijn loon?\n  - verlof\n  - verlof\n"
    (tmp_path / "buiten.yaml").write_text(outside, encoding="utf-8")
    knowledge = load_knowledge(tmp_path)
    assert knowledge.out_of_scope == ("Wanneer krijg ik mijn loon?", "verlof")
    assert load_knowledge(REPOSITORY_KNOWLEDGE).out_of_scope  # the shipped ones


@pytest.mark.parametrize(
    ("text", "line", "hint"),
    [
        ("out_of_scope: verlof\n", 1, "'out_of_scope' moet een lijst zijn"),
        ("out_of_scope:\n  - verlof\n  - ''\n", 3, "in 'out_of_scope' staat een leeg item"),
        (
            "out_of_scope:\n  - verlof\n  - waar staat vto voor\n",
            3,
            "'waar staat vto voor' staat bij de vragen buiten bereik (out_of_scope), maar is "
            "dezelfde vraag als 'Wat betekent VTO?' bij 'wat-is-vto' (",
        ),
        ("out_of_scope:\n  - verlof\n  - '?'\n", 3, "'?' (bij de vragen buiten bereik) bevat geen"),
        ("out_of_scop:\n  - verlof\n", 1, "Bedoel je 'out_of_scope'?"),
    ],
)
def test_questions_outside_the_faq_problems(
    tmp_path: Path, text: str, line: int, hint: str
) -> None:
    (tmp_path / "vto.yaml").write_text(GOOD_ENTRY, encoding="utf-8")
    problems = problems_for(tmp_path, text, "buiten.yaml")
    assert len(problems) == 1, problems
    assert problems[0].startswith(f"{tmp_path / 'buiten.yaml'}:{line}: "), problems
    assert hint in problems[0], problems
