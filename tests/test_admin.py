"""Admin features against the emulator: refusal for non-admins, reload (broken and fixed)
while users ask, statistics, the review of unanswered questions, and /vergeet."""

import asyncio
import re
import sqlite3
import time
from pathlib import Path

import pytest

from bench.botapi import BotApiEmulator
from bot.core import Core
from bot.loading import load_knowledge
from bot.storage import QUESTION, Interaction, Storage
from tests.harness import NOW, bot_config, buttons, running, werkplekbot

ADMIN, USER = 900, 1
ROOT = Path(__file__).resolve().parent.parent


def texts(api: BotApiEmulator, chat: int) -> list[str]:
    """Everything the bot sent to one chat."""
    return [m["text"] for m in api.sent() if int(m["chat_id"]) == chat]


def message(chat: int) -> dict:
    return {"message_id": 50, "date": NOW, "chat": {"id": chat, "type": "private"}, "text": "x"}


@pytest.mark.asyncio(loop_scope="function")
async def test_non_admin_gets_no_data_from_any_admin_command(
    core: Core, tmp_path: Path, emulator: BotApiEmulator
) -> None:
    config = bot_config(tmp_path, emulator, admin_ids=frozenset({ADMIN}))
    async with running(config, core):
        emulator.push_message("gitaar spelen", chat_id=USER, user_id=USER)
        await emulator.wait_for("sendMessage", 1)
        for command in ("/herlaad", "/stats", "/onbeantwoord"):
            emulator.push_message(command, chat_id=USER, user_id=USER)
        await emulator.wait_for("sendMessage", 4)
        emulator.push_callback("d:0123456789abcdef", message(USER), user_id=USER)
        answer = (await emulator.wait_for("answerCallbackQuery", 1))[0]
    refusals = texts(emulator, USER)[1:]
    assert refusals == [refusals[0]] * 3 and "alleen voor de beheerders" in refusals[0]
    assert "gitaar" not in " ".join(refusals) and "alleen voor de beheerders" in answer["text"]


@pytest.mark.asyncio(loop_scope="function")
async def test_broken_edit_keeps_answering_and_fixed_file_goes_live(
    core: Core, knowledge_copy: Path, tmp_path: Path, emulator: BotApiEmulator
) -> None:
    config = bot_config(
        tmp_path, emulator, knowledge_dir=knowledge_copy, admin_ids=frozenset({ADMIN})
    )
    path = knowledge_copy / "30-condities-werkplek.yaml"
    original = path.read_text(encoding="utf-8")
    broken_line = original.splitlines().index("    question: Wat is een referentiepersoon?") + 1
    live_core = Core(load_knowledge(knowledge_copy))
    async with running(config, live_core):
        asked = 0

        async def ask(question: str) -> None:
            nonlocal asked
            emulator.push_message(question, chat_id=USER, user_id=USER)
            asked += 1

        await ask("wat is vto")
        path.write_text(
            original.replace(
                "question: Wat is een referentiepersoon?",
                "question: Opgelet: wat is een referentiepersoon?",
            )
        )
        for _ in range(5):
            await ask("Wat is een referentiepersoon?")
        emulator.push_message("/herlaad", chat_id=ADMIN, user_id=ADMIN)
        for _ in range(5):
            await ask("wat is een POP")
            await asyncio.sleep(0.05)
        await emulator.wait_for("sendMessage", asked + 1)
        report = texts(emulator, ADMIN)
        assert any(f"{path}:{broken_line}:" in text for text in report), report
        user_replies = texts(emulator, USER)
        assert len(user_replies) == asked and not any("iets mis" in t for t in user_replies)
        assert sum(t.startswith("Referentiepersonen zijn") for t in user_replies) == 5

        # The admin fixes the file and adds an entry: live within 5 s, without /herlaad.
        fixed = original + (
            "\n  - id: intervisie-uitleg\n    question: Hoe werkt intervisie bij ons?\n"
            "    alternates: [Intervisiemoment plannen]\n"
            "    answer: Intervisie is samen leren uit ervaringen met collega's.\n"
        )
        saved = time.monotonic()
        path.write_text(fixed, encoding="utf-8")
        while True:
            await ask("Hoe werkt intervisie bij ons?")
            await emulator.wait_for("sendMessage", asked + len(report))
            if texts(emulator, USER)[-1].startswith("Intervisie is samen leren"):
                break
            assert time.monotonic() - saved < 5, texts(emulator, USER)[-1]
            await asyncio.sleep(0.25)
        notices = texts(emulator, ADMIN)
        assert any("nieuw: intervisie-uitleg" in text for text in notices), notices


def vto_answered(storage: Storage, user: int, created_at: float = 0.0) -> Interaction:
    """An answered "wat is vto" of one user."""
    return Interaction(
        storage.pseudonym(user),
        "private",
        QUESTION,
        "wat is vto",
        "answer",
        "wat-is-vto",
        100.0,
        created_at=created_at,
    )


async def seed(db: Path, core: Core, groups: dict[str, list[str]], answered: int) -> None:
    """A history: paraphrase groups that fell back, plus answered questions."""
    storage = await Storage.open(db)
    for n, questions in enumerate(groups.values()):
        for question in questions:
            match = core.match(question)
            storage.record(
                Interaction(
                    storage.pseudonym(n),
                    "private",
                    QUESTION,
                    question,
                    match.outcome,
                    match.entry_id,
                    match.score,
                )
            )
    for n in range(answered):
        storage.record(vto_answered(storage, 100 + n))
    await storage.close()


PARAPHRASES = {
    "verlof": [
        "Hoeveel verlofdagen heb ik?",
        "hoeveel verlofdagen heb ik nog",
        "verlofdagen?",
        "Hoeveel verlofdagen heb ik nog dit jaar?",
    ]
    * 10,
    "brand": [
        "Wanneer is de opleiding brandveiligheid?",
        "opleiding brandveiligheid wanneer",
        "brandveiligheid opleiding datum",
    ]
    * 10,
    "wifi": ["Wat is de code van de wifi?", "wifi code", "code wifi gasten"] * 5,
    "ervaringsbewijs": ["Hoe behaal je een ervaringsbewijs?", "hoe haal ik een ervaringsbewijs"]
    * 5,
}


@pytest.mark.asyncio(loop_scope="function")
async def test_review_groups_a_seeded_history_and_remembers_dismissals(
    core: Core, tmp_path: Path, emulator: BotApiEmulator
) -> None:
    await seed(tmp_path / "db.sqlite3", core, PARAPHRASES, answered=200 - 95)
    config = bot_config(tmp_path, emulator, admin_ids=frozenset({ADMIN}))
    async with running(config, core):
        emulator.push_message("/onbeantwoord", chat_id=ADMIN, user_id=ADMIN)
        sent = await emulator.wait_for("sendMessage", 5)
        header, *groups = sent
        assert header["text"].startswith("4 groepen")
        assert [g["text"].split("\n")[0] for g in groups] == [
            "<b>1. Hoeveel verlofdagen heb ik?</b> (40×)",
            "<b>2. Wanneer is de opleiding brandveiligheid?</b> (30×)",
            "<b>3. Wat is de code van de wifi?</b> (15×)",
            "<b>4. Hoe behaal je een ervaringsbewijs?</b> (5×)",  # its paraphrase is answered
        ]
        assert all("<pre>" in g["text"] for g in groups)
        assert "Nieuwe vraag" in groups[0]["text"] and "  - id: " in groups[0]["text"]
        # Asked in choices: the snippet adds the phrasing to one of the two candidates.
        assert re.search(r"alternates:&#x27; van &#x27;[a-z-]*ervaringsbewijs", groups[3]["text"])
        dismiss = buttons(groups[2])[0]["callback_data"]
        emulator.push_callback(dismiss, message(ADMIN), user_id=ADMIN)
        await emulator.wait_for("editMessageReplyMarkup", 1)
        emulator.push_message("/onbeantwoord", chat_id=ADMIN, user_id=ADMIN)
        again = (await emulator.wait_for("sendMessage", 9))[5:]
    assert again[0]["text"].startswith("3 groepen")
    assert "wifi" not in " ".join(m["text"] for m in again)
    markdown = werkplekbot(tmp_path, "review").stdout
    assert markdown.startswith("# Onbeantwoorde vragen") and "## 1. Hoeveel verlofdagen" in markdown
    assert "wifi" not in markdown and "```yaml" in markdown


@pytest.mark.asyncio(loop_scope="function")
async def test_stats_for_admins_are_aggregates(
    core: Core, tmp_path: Path, emulator: BotApiEmulator
) -> None:
    await seed(tmp_path / "db.sqlite3", core, {"brand": PARAPHRASES["brand"][:3]}, answered=7)
    config = bot_config(tmp_path, emulator, admin_ids=frozenset({ADMIN}))
    async with running(config, core):
        emulator.push_message("/stats", chat_id=ADMIN, user_id=ADMIN)
        text = (await emulator.wait_for("sendMessage", 1))[0]["text"]
    assert "Laatste 7 dagen" in text and "Laatste 30 dagen" in text
    assert "vragen            10" in text and "beantwoord        7 (70%)" in text
    assert "wat-is-vto" in text and "brandveiligheid" not in text


@pytest.mark.asyncio(loop_scope="function")
async def test_forget_removes_only_that_users_rows(
    core: Core, tmp_path: Path, emulator: BotApiEmulator
) -> None:
    config = bot_config(tmp_path, emulator)
    async with running(config, core):
        for user in (1, 2):
            emulator.push_message("Wat is een referentiepersoon?", chat_id=user, user_id=user)
        sent = await emulator.wait_for("sendMessage", 2)
        vote = {**message(1), "message_id": 999, "reply_markup": sent[0]["reply_markup"]}
        emulator.push_callback("v:-:referentiepersonen", vote, user_id=1)
        await emulator.wait_for("editMessageReplyMarkup", 1)
        emulator.push_message("/vergeet", chat_id=1, user_id=1)
        confirm = (await emulator.wait_for("sendMessage", 4))[-1]
        assert [b["callback_data"] for b in buttons(confirm)] == ["f:ja", "f:nee"]
        emulator.push_callback("f:ja", message(1), user_id=1)
        done = (await emulator.wait_for("editMessageText", 1))[0]
    assert "Gewist" in done["text"] and "(2 regels)" in done["text"]
    with sqlite3.connect(tmp_path / "db.sqlite3") as db:
        users = db.execute("SELECT COUNT(DISTINCT user_key), COUNT(*) FROM interactions").fetchone()
        votes = db.execute("SELECT COUNT(*) FROM votes").fetchone()[0]
    assert users == (1, 1) and votes == 0


@pytest.mark.asyncio(loop_scope="function")
async def test_retention_purges_old_history_at_start(
    core: Core, tmp_path: Path, emulator: BotApiEmulator
) -> None:
    db = tmp_path / "db.sqlite3"
    storage = await Storage.open(db)
    old = time.time() - 200 * 86400
    for created in (old, time.time()):
        storage.record(vto_answered(storage, 1, created))
    await storage.close()
    async with running(bot_config(tmp_path, emulator, retention_days=180), core):
        await emulator.wait_for("setMyCommands", 1)
        await asyncio.sleep(0.2)
    with sqlite3.connect(db) as connection:
        (count,) = connection.execute("SELECT COUNT(*) FROM interactions").fetchone()
    assert count == 1


def test_review_as_csv(tmp_path: Path, core: Core) -> None:
    asyncio.run(seed(tmp_path / "db.sqlite3", core, {"wifi": PARAPHRASES["wifi"]}, answered=1))
    result = werkplekbot(tmp_path, "review", "--csv")
    rows = result.stdout.splitlines()
    assert rows[0] == "group,group_count,question,count,candidate,why"
    assert rows[1].startswith("1,15,Wat is de code van de wifi?,5,")
