"""Changing the knowledge without Telegram: snapshots, zips, the history of versions, checked
proposals, the learned file, seeding, and refusals that leave everything as it was."""

import io
import logging
import os
import zipfile
from pathlib import Path

import pytest
import yaml

from bot import snapshots
from bot.config import Config, ConfigError
from bot.core import Core
from bot.differences import Difference
from bot.editing import (
    LEARNED_FILE,
    ChangeRefused,
    Replaced,
    _same,
    apply,
    building,
    propose,
    with_file,
    with_files,
    with_learned,
)
from bot.history import FIRST, OUTSIDE, History, version_number
from bot.loading import CACHE_DIR, load_knowledge
from bot.messages import zip_leaves_out
from bot.reloading import reload
from bot.snapshots import (
    MAX_TOTAL_BYTES,
    SnapshotError,
    digest,
    from_zip,
    read_snapshot,
    seed,
    to_zip,
    why_not_writable,
    write_snapshot,
)
from bot.yamlfile import plain


@pytest.fixture
def core(knowledge_copy: Path) -> Core:
    return Core(load_knowledge(knowledge_copy), semantic=False)


def test_snapshot_round_trips_through_a_zip_and_back_to_disk(
    knowledge_copy: Path, tmp_path: Path
) -> None:
    files = read_snapshot(knowledge_copy)
    assert from_zip(to_zip(files)) == files
    target = tmp_path / "elders"
    target.mkdir()
    (target / "weg.yaml").write_text("section: Weg\n")
    write_snapshot(target, files)
    assert read_snapshot(target) == files  # weg.yaml is gone
    assert not [p for p in target.iterdir() if p.name.startswith(".")]  # no partial files


def test_zip_refusals_say_why() -> None:
    with pytest.raises(SnapshotError, match="geen geldig zip"):
        from_zip(b"PK nope")
    with pytest.raises(SnapshotError, match=r"geen enkel \.yaml"):
        from_zip(to_zip({"lees.txt": b"hallo"}))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("a/x.yaml", "a: 1\n")
        archive.writestr("b/x.yaml", "a: 2\n")
    with pytest.raises(SnapshotError, match="twee keer"):
        from_zip(buffer.getvalue())
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("groot.yaml", b"#" * (MAX_TOTAL_BYTES + 1))
    assert len(bomb.getvalue()) < 100_000
    with pytest.raises(SnapshotError, match="te groot"):
        from_zip(bomb.getvalue())
    with pytest.raises(SnapshotError, match="kan geen kennisbestand zijn"):
        from_zip(to_zip({"x" * 130 + ".yaml": b"a: 1\n"}))


def test_history_keeps_the_version_before_the_first_change_and_hand_edits(
    tmp_path: Path,
) -> None:
    history = History(tmp_path / "versies", keep=3)
    one, two = {"a.yaml": b"1"}, {"a.yaml": b"2"}
    history.note_current(one, 100.0)
    history.note_current(one, 101.0)  # already kept: no new version
    history.record(two, "An", "+ iets", 102.0)
    history.note_current({"a.yaml": b"edited by hand"}, 103.0)
    versions = history.versions()
    assert [(v.number, v.who, v.summary) for v in versions] == [
        (3, "onbekend", OUTSIDE),
        (2, "An", "+ iets"),
        (1, "—", FIRST),
    ]
    assert history.files(2) == two and versions[1].digest == digest(two)
    history.record(one, "Jef", "terug", 104.0)
    assert [v.number for v in history.versions()] == [4, 3, 2]  # the oldest goes


def test_propose_checks_a_copy_and_apply_keeps_the_version_before(
    core: Core, knowledge_copy: Path, tmp_path: Path
) -> None:
    before = read_snapshot(knowledge_copy)
    broken = with_files(knowledge_copy, {"50-x.yaml": b"entries:\n  - id: x\n    question: [\n"})
    refused = propose(knowledge_copy, broken, "bestand 50-x.yaml", core)
    assert not refused.applicable and refused.problems[0].file == "50-x.yaml"
    assert "Niet toegepast: bestand 50-x.yaml" in refused.describe()
    assert read_snapshot(knowledge_copy) == before

    files = with_learned(
        knowledge_copy, "mentor", ["wie is mijn peter", "Wat is een mentor"], core.knowledge
    )
    proposal = propose(knowledge_copy, files, "toevoegen", core)
    assert proposal.applicable, proposal.problems
    assert proposal.difference.changed == ("Wat is een mentor?",)
    assert proposal.difference.details == ("1 formulering erbij",)  # the known one is left out
    history = History(tmp_path / "versies")
    version = apply(knowledge_copy, history, proposal, "An")
    assert version.number == 2 and history.files(1) == before
    assert Core(load_knowledge(knowledge_copy)).ask("wie is mijn peter").entry_id == "mentor"
    assert read_snapshot(knowledge_copy).keys() - before.keys() == {LEARNED_FILE}

    # Made from files that are no longer there: refused, nothing written.
    with pytest.raises(ChangeRefused, match="intussen gewijzigd"):
        apply(knowledge_copy, history, proposal, "An")
    with pytest.raises(ChangeRefused, match="kent deze vragen al"):
        with_learned(knowledge_copy, "mentor", ["Wat is een mentor?"], core.knowledge)


def test_a_change_and_going_back_embed_its_new_phrasings_once(
    knowledge_copy: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    current = Core(load_knowledge(knowledge_copy))
    if current.matcher.semantic is None:
        pytest.skip("the semantic extra is not installed")
    history = History(tmp_path / "versies")
    asked = ["wie loopt er eigenlijk mee met een nieuwe collega op de afdeling"]
    files = with_learned(knowledge_copy, "mentor", asked, current.knowledge)
    with caplog.at_level(logging.INFO, logger="bot.semantic"):
        proposal = propose(knowledge_copy, files, "toevoegen", current)
        assert "Embedded" in caplog.text  # the check reads the new phrasing
        caplog.clear()
        apply(knowledge_copy, history, proposal, "An")
        applied = Core(load_knowledge(knowledge_copy))
        back = propose(knowledge_copy, history.files(1), "terug naar versie 1", applied)
        apply(knowledge_copy, history, back, "An")
        restored = Core(load_knowledge(knowledge_copy))
    assert "Embedded" not in caplog.text, caplog.text
    assert applied.matcher.semantic is not None and restored.matcher.semantic is not None
    assert restored.knowledge == current.knowledge


def test_learned_phrasing_that_belongs_elsewhere_is_refused_with_the_reason(
    core: Core, knowledge_copy: Path
) -> None:
    taken = core.knowledge.by_id["wat-is-vto"].question
    files = with_learned(knowledge_copy, "mentor", [taken], core.knowledge)
    proposal = propose(knowledge_copy, files, "toevoegen", core)
    assert not proposal.applicable
    assert any(p.file == LEARNED_FILE and "dezelfde vraag" in p.message for p in proposal.problems)


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only directories")
def test_a_read_only_knowledge_is_explained(
    core: Core, knowledge_copy: Path, tmp_path: Path
) -> None:
    files = with_learned(knowledge_copy, "mentor", ["wie is mijn peter"], core.knowledge)
    proposal = propose(knowledge_copy, files, "toevoegen", core)
    knowledge_copy.chmod(0o555)
    try:
        assert why_not_writable(knowledge_copy) is not None
        with pytest.raises(ChangeRefused, match="niet aanpassen"):
            apply(knowledge_copy, History(tmp_path / "versies"), proposal, "An")
    finally:
        knowledge_copy.chmod(0o755)


def test_seed_fills_only_an_empty_directory(knowledge_copy: Path, tmp_path: Path) -> None:
    target = tmp_path / "data" / "kennis"
    assert seed(target, knowledge_copy)
    assert read_snapshot(target) == read_snapshot(knowledge_copy)
    # The shipped vectors come along: a container's first start embeds nothing again.
    shipped = sorted((knowledge_copy / CACHE_DIR).glob("*.npz"))
    assert shipped
    assert [p.read_bytes() for p in shipped] == [
        (target / CACHE_DIR / p.name).read_bytes() for p in shipped
    ]
    (target / "00-basis.yaml").write_text("section: Eigen\n")
    assert not seed(target, knowledge_copy)  # an admin's knowledge is never overwritten
    assert (target / "00-basis.yaml").read_text() == "section: Eigen\n"


def test_admin_names_and_file_url_from_the_environment(tmp_path: Path) -> None:
    env = {"WERKPLEKBOT_ADMIN_IDS": "12, 34", "WERKPLEKBOT_ADMIN_NAMES": "12=An Peeters, 34=Jef"}
    config = Config.from_env(env, dotenv=tmp_path / ".env")
    assert dict(config.admin_names) == {12: "An Peeters", 34: "Jef"}
    assert config.file_url == "https://api.telegram.org/file/bot"
    assert config.history_dir == config.db_path.with_name("kennis-versies")
    local = Config.from_env({"TELEGRAM_BASE_URL": "http://127.0.0.1:8081/bot"}, tmp_path / ".e")
    assert local.file_url == "http://127.0.0.1:8081/file/bot"
    for bad in ("12", "56=Els", "An=12"):
        with pytest.raises(ConfigError, match="WERKPLEKBOT_ADMIN_NAMES"):
            Config.from_env({**env, "WERKPLEKBOT_ADMIN_NAMES": bad}, dotenv=tmp_path / ".env")


def test_an_uploaded_entry_replaces_the_one_with_its_id_elsewhere(
    core: Core, knowledge_copy: Path
) -> None:
    mentor = core.knowledge.by_id["mentor"]
    text = (
        "section: Mentoren\nentries:\n  - id: mentor\n    question: Wat is een mentor?\n"
        "    answer: Een mentor is een ervaren collega die je wegwijs maakt.\n"
    )
    files, replaced = with_file(knowledge_copy, "50-mentor.yaml", text.encode())
    assert replaced == (Replaced("mentor", "Wat is een mentor?", Path(mentor.location.file).name),)
    old = files[Path(mentor.location.file).name].decode()
    assert "id: mentor\n" not in old and "id: interne-bedrijfscoach" in old
    proposal = propose(knowledge_copy, files, "bestand 50-mentor.yaml", core)
    assert proposal.applicable, proposal.problems
    assert proposal.difference.changed == ("Wat is een mentor?",)
    assert proposal.difference.added == () and proposal.difference.removed == ()
    # The rest of the old file is as it was written: only the entry's lines are gone.
    before = (knowledge_copy / Path(mentor.location.file).name).read_text().splitlines()
    cut = len(before) - len(old.splitlines())
    start = mentor.location.line - 1
    assert old.splitlines() == before[:start] + before[start + cut :]
    assert before[start] == "  - id: mentor" and before[start + cut].startswith("  - id: ")


def test_an_uploaded_entry_with_the_same_question_takes_over_the_old_one(
    core: Core, knowledge_copy: Path
) -> None:
    mentor = core.knowledge.by_id["mentor"]
    text = (
        "section: Begeleiding\nentries:\n  - id: wat-is-een-mentor\n"
        "    question: wat is een MENTOR\n    alternates:\n      - Wie is mijn mentor?\n"
        "      - Mentorschap\n    answer: Een mentor begeleidt je in je eerste weken.\n"
        "  - id: buddy\n    question: Wat is een buddy?\n    answer: Een collega naast je.\n"
        "    related: [wat-is-een-mentor]\n"
    )
    files, replaced = with_file(knowledge_copy, "50-mentor.yaml", text.encode())
    name = Path(mentor.location.file).name
    assert replaced == (Replaced("mentor", "Wat is een mentor?", name, "wat-is-een-mentor"),)
    new = files["50-mentor.yaml"].decode()
    assert "  - id: mentor\n" in new and "related: [mentor]" in new
    assert "id: mentor\n" not in files[name].decode()
    proposal = propose(knowledge_copy, files, "bestand 50-mentor.yaml", core)
    assert proposal.applicable, proposal.describe()
    assert proposal.difference.changed == ("wat is een MENTOR",)
    assert proposal.difference.added == ("Wat is een buddy?",)
    # Entries elsewhere that pointed to the old entry still do.
    assert "mentor" in core.knowledge.by_id["reflectietijd"].related


def test_problems_of_a_change_name_files_not_server_paths(core: Core, knowledge_copy: Path) -> None:
    text = (
        "section: Begeleiding\nentries:\n  - id: peter\n    question: Wat is een peter?\n"
        "    alternates:\n      - Wat is een mentor?\n    answer: Een ervaren collega.\n"
    )
    files, _ = with_file(knowledge_copy, "50-peter.yaml", text.encode())
    proposal = propose(knowledge_copy, files, "bestand 50-peter.yaml", core)
    assert not proposal.applicable
    described = proposal.describe()
    mentor = core.knowledge.by_id["mentor"].phrasing_locations[0]  # its question
    assert "50-peter.yaml:4:" in described
    assert f"{Path(mentor.file).name}:{mentor.line}" in described
    assert "/" not in described.replace("https://", ""), described


def test_problems_in_the_files_a_change_writes_come_first(core: Core, knowledge_copy: Path) -> None:
    # The upload takes over 'mentor' but has no topic: its own problem is the cause, the
    # dangling references elsewhere are knock-on.
    text = "entries:\n  - id: mentor\n    question: Wat is een mentor?\n    answer: Een coach.\n"
    files, _ = with_file(knowledge_copy, "50-mentor.yaml", text.encode())
    proposal = propose(knowledge_copy, files, "bestand 50-mentor.yaml", core)
    assert not proposal.applicable
    lines = proposal.describe().splitlines()
    assert lines[2].startswith("50-mentor.yaml:"), lines


def test_a_file_whose_only_entry_moves_out_is_removed(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text(
        "section: A\nentries:\n  - id: x\n    question: Wat is x?\n    answer: X.\n"
    )
    files, moved = with_file(tmp_path, "b.yaml", b"section: B\nentries:\n  - id: x\n")
    assert moved == (Replaced("x", "Wat is x?", "a.yaml"),) and "a.yaml" not in files


def test_cutting_an_entry_leaves_the_others_exactly_as_they_were(tmp_path: Path) -> None:
    # The last lines of the cut entry's text start with "#": they are not comments of the
    # next entry, and nothing of them sticks to another entry.
    (tmp_path / "a.yaml").write_text(
        "section: A\nentries:\n  - id: x\n    question: Wat is x?\n    answer: X.\n"
        "  - id: y\n    question: Wat is y?\n    answer: |-\n      Y.\n      #leren #kosten\n"
        "  # z komt hierna\n  - id: z\n    question: Wat is z?\n    answer: Z.\n"
    )
    files, _ = with_file(tmp_path, "b.yaml", b"section: B\nentries:\n  - id: y\n")
    assert files["a.yaml"].decode() == (
        "section: A\nentries:\n  - id: x\n    question: Wat is x?\n    answer: X.\n"
        "  # z komt hierna\n  - id: z\n    question: Wat is z?\n    answer: Z.\n"
    )
    # Flow style cannot be cut by lines: the file is written anew, with the same data.
    (tmp_path / "a.yaml").write_text(
        "section: A\nentries: [{id: x, question: 'Wat is x?', answer: X.},\n"
        "  {id: y, question: 'Wat is y?', answer: Y.}]\n"
    )
    files, _ = with_file(tmp_path, "b.yaml", b"section: B\nentries:\n  - id: y\n")
    assert yaml.safe_load(files["a.yaml"]) == {
        "section": "A",
        "entries": [{"id": "x", "question": "Wat is x?", "answer": "X."}],
    }


def test_a_version_keeps_every_file_that_loads(core: Core, knowledge_copy: Path) -> None:
    (knowledge_copy / "extra info.yaml").write_text(
        "section: Extra\nentries:\n  - id: extra\n    question: Wat is een leerlijn?\n"
        "    answer: Een reeks leerstappen.\n"
    )
    core = Core(load_knowledge(knowledge_copy), semantic=False)
    history = History(knowledge_copy.parent / "versies")
    buddy = (
        b"section: B\nentries:\n  - id: buddy\n    question: Wat is een buddy?\n"
        b"    answer: Een collega die je wegwijs maakt.\n"
    )
    files = with_files(knowledge_copy, {"50-buddy.yaml": buddy})
    apply(knowledge_copy, history, propose(knowledge_copy, files, "x", core), "An")
    assert "extra info.yaml" in history.files(1)
    (knowledge_copy / "extra info.yaml").unlink()
    now = Core(load_knowledge(knowledge_copy), semantic=False)
    write_back = propose(knowledge_copy, history.files(1), "terug", now)
    assert write_back.applicable, write_back.describe()
    apply(knowledge_copy, history, write_back, "An")
    assert (knowledge_copy / "extra info.yaml").is_file()


def test_warnings_are_shown_but_do_not_block_a_change_or_a_reload(
    core: Core, knowledge_copy: Path
) -> None:
    few = (
        "section: Condities op de werkplek\nentries:\n  - id: buddy\n"
        "    question: Wat is een buddy?\n    alternates: [Buddysysteem]\n"
        "    answer: Een buddy maakt een nieuwe collega wegwijs.\n"
    )
    files, _ = with_file(knowledge_copy, "50-buddy.yaml", few.encode())
    proposal = propose(knowledge_copy, files, "bestand 50-buddy.yaml", core)
    assert proposal.applicable and not proposal.problems
    assert [w.file for w in proposal.warnings] == ["50-buddy.yaml"]
    text = proposal.describe()
    assert "Let op (dit houdt niets tegen):\n50-buddy.yaml:3: waarschuwing: " in text

    (knowledge_copy / "synoniemen.yaml").write_text("", encoding="utf-8")
    outcome = reload(core, knowledge_copy)
    assert outcome.core is not None
    assert "\nLet op:\nsynoniemen.yaml:1: " in outcome.summary()


def test_a_change_that_cannot_be_written_whole_leaves_the_knowledge_as_it_was(
    core: Core, knowledge_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = read_snapshot(knowledge_copy)
    text = (
        "section: Mentoren\nentries:\n  - id: mentor\n    question: Wat is een mentor?\n"
        "    answer: Een mentor is een ervaren collega die je wegwijs maakt.\n"
    )
    files, _ = with_file(knowledge_copy, "50-mentor.yaml", text.encode())
    proposal = propose(knowledge_copy, files, "bestand 50-mentor.yaml", core)
    real = snapshots._write_atomically
    calls = []

    def full_disk(path: Path, data: bytes) -> None:
        calls.append(path.name)
        if len(calls) == 2:  # the second file of the change
            raise OSError(28, "No space left on device")
        real(path, data)

    monkeypatch.setattr(snapshots, "_write_atomically", full_disk)
    with pytest.raises(ChangeRefused, match="het opslaan lukte niet"):
        apply(knowledge_copy, History(knowledge_copy.parent / "versies"), proposal, "An")
    assert read_snapshot(knowledge_copy) == before


def test_a_change_made_from_an_older_knowledge_is_refused_not_applied_over_a_newer(
    core: Core, knowledge_copy: Path
) -> None:
    history = History(knowledge_copy.parent / "versies")
    mentor = core.knowledge.by_id["mentor"]
    base, files = building(
        knowledge_copy,
        lambda: with_learned(knowledge_copy, "mentor", ["wie is mijn peter"], core.knowledge),
    )
    other = with_learned(knowledge_copy, mentor.id, ["mentor gezocht"], core.knowledge)
    apply(knowledge_copy, history, propose(knowledge_copy, other, "ander", core), "Bo")
    stale = propose(knowledge_copy, files, "eerst gemaakt", core, base)
    with pytest.raises(ChangeRefused, match="intussen gewijzigd"):
        apply(knowledge_copy, history, stale, "An")
    assert "mentor gezocht" in (knowledge_copy / LEARNED_FILE).read_text()


@pytest.mark.parametrize(
    ("typed", "number"),
    [("3", 3), ("v12", 12), (" 4 ", 4), ("²", None), ("drie", None), ("", None)],
)
def test_version_numbers_an_admin_types(typed: str, number: int | None) -> None:
    assert version_number(typed) == number


def test_taking_over_an_entry_renames_every_reference_or_nothing(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text(
        "section: A\nentries:\n  - id: mentor\n    question: Wat is een mentor?\n    answer: M.\n"
        "  - id: leren\n    question: Wat is bijleren?\n    answer: L.\n"
        "    alternates: [Wie helpt mij bijleren?, Hoe leer ik bij?]\n"
    )
    block = (
        "section: B\nentries:\n  - id: nieuw\n    question: wat is een mentor\n    answer: N.\n"
        "  - id: buddy\n    question: Wat is een buddy?\n    answer: B.\n    related:\n"
        "      - nieuw\n      - leren\n"
    )
    files, replaced = with_file(tmp_path, "b.yaml", block.encode())
    assert [r.was for r in replaced] == ["nieuw"]
    assert yaml.safe_load(files["b.yaml"])["entries"][1]["related"] == ["mentor", "leren"]
    # Written so that the id cannot be changed (flow style): nothing is taken over or cut.
    flow = "section: B\nentries:\n  - {id: nieuw, question: 'wat is een mentor', answer: N.}\n"
    files, replaced = with_file(tmp_path, "b.yaml", flow.encode())
    assert replaced == () and "id: mentor" in files["a.yaml"].decode()
    # An entry with the id of one entry and the question of another replaces only the first.
    both = "section: B\nentries:\n  - id: leren\n    question: Wat is een mentor?\n    answer: X.\n"
    files, replaced = with_file(tmp_path, "b.yaml", both.encode())
    assert [(r.entry_id, r.was) for r in replaced] == [("leren", "")]
    assert "id: mentor" in files["a.yaml"].decode()
    # Questions without words are never "the same question".
    assert not _same("🙂", "👍")


def test_an_entry_moves_out_of_a_file_written_in_any_style_the_bot_loads(
    tmp_path: Path,
) -> None:
    # Flow lists with "?" in them: the bot's YAML reader accepts them, so cutting must too.
    (tmp_path / "a.yaml").write_text(
        "section: A\nentries:\n  - id: x\n    question: Wat is x?\n    answer: X.\n"
        "    alternates: [Wie is x?, Waar is x?]\n"
        "  - id: y\n    question: Wat is y?\n    answer: Y.\n"
    )
    load_knowledge(tmp_path)
    new = b"section: B\nentries:\n  - id: y\n    question: Wat is y nu?\n    answer: Y2.\n"
    files, replaced = with_file(tmp_path, "b.yaml", new)
    assert [r.entry_id for r in replaced] == ["y"]
    assert [e["id"] for e in plain(files["a.yaml"].decode())["entries"]] == ["x"]


def test_a_change_is_summed_up_in_words_naming_at_most_six_questions() -> None:
    change = Difference(
        added=tuple(f"Nieuw {n}" for n in range(6)),
        changed=("Oud", "Ouder", "Oudst"),
        removed=("Weg",),
        synonyms=(2, 1),
    )
    assert change.summary() == (
        "nieuw: “Nieuw 0”, “Nieuw 1”, “Nieuw 2”, “Nieuw 3”, “Nieuw 4”, “Nieuw 5”; "
        "gewijzigd: 3 vragen; verwijderd: 1 vraag; synoniemen: 2 erbij, 1 weg"
    )
    assert Difference(changed=("A", "B"), removed=("C…",)).summary() == (
        "gewijzigd: “A”, “B”; verwijderd: “C…”"
    )


def test_a_zip_that_leaves_out_files_names_them() -> None:
    assert "in je zip ontbreekt het bestand a.yaml van" in zip_leaves_out(["a.yaml"])
    assert "in je zip ontbreken de bestanden a.yaml, b.yaml van" in zip_leaves_out(
        ["a.yaml", "b.yaml"]
    )


def test_a_problem_of_the_whole_knowledge_is_named_so_not_by_a_temporary_folder(
    core: Core, knowledge_copy: Path
) -> None:
    files = {n: b for n, b in read_snapshot(knowledge_copy).items() if n != "synoniemen.yaml"}
    proposal = propose(knowledge_copy, files, "zip-bestand kennis.zip", core)
    whole = [str(w) for w in proposal.warnings if "synoniemen" in w.message]
    assert whole and whole[0].startswith("de kennis: waarschuwing: ")
    assert "werkplekbot-" not in proposal.describe()


def test_a_change_of_the_questions_outside_the_faq_is_a_change(
    core: Core, knowledge_copy: Path
) -> None:
    name = "97-buiten-bereik.yaml"
    text = (knowledge_copy / name).read_text(encoding="utf-8")
    added = text + "  - Wie vult de automaat met frisdrank bij?\n"
    files, _ = with_file(knowledge_copy, name, added.encode())
    proposal = propose(knowledge_copy, files, name, core)
    assert proposal.applicable, proposal.problems
    assert proposal.difference.out_of_scope == (1, 0)
    assert "Vragen buiten bereik: 1 erbij, 0 weg." in proposal.describe()
    assert proposal.summary() == f"{name}: vragen buiten bereik: 1 erbij, 0 weg"
