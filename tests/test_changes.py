"""Admins change the knowledge from Telegram, against the emulator: /kennis sends the files, an
uploaded file is previewed and applied (live at once, and after a restart), a broken one
changes nothing, a review group goes to an entry in one tap, /terugzetten goes back."""

import io
import time
import zipfile
from pathlib import Path
from typing import Any

import pytest

from bench.botapi import WAIT, BotApiEmulator
from bot.config import Config
from bot.core import Core
from bot.database import Database
from bot.history import History
from bot.loading import load_knowledge
from bot.pseudonyms import Pseudonyms, key_path, load_key
from bot.records import QUESTION, Batch, Interaction
from bot.snapshots import read_snapshot
from tests.harness import bot_config, buttons, running, sent_message

ADMIN, USER = 900, 1

BUDDY = """\
section: Condities op de werkplek
entries:
  - id: buddy
    question: Wat is een buddy?
    label: Wat is een buddy?
    alternates:
      - Krijg ik een buddy als ik begin?
      - Wat doet een buddy voor een nieuwe collega?
      - Buddysysteem
      - Een buddy voor starters
      - What is a buddy?
    answer: >-
      Een buddy is een collega die een nieuwe collega de eerste weken wegwijs maakt: vragen
      beantwoorden, voorstellen aan het team en samen de eerste diensten lopen.
    tests:
      - wie is mijn buddy
"""


@pytest.fixture
def core(knowledge_copy: Path) -> Core:
    """A core of its own: a change swaps it, and the old one is taken apart."""
    return Core(load_knowledge(knowledge_copy))


def to_chat(api: BotApiEmulator, chat: int, method: str = "sendMessage") -> list[dict[str, Any]]:
    """What the bot sent to one chat with ``method``."""
    return [m for m in api.sent(method) if int(m["chat_id"]) == chat]


def button(message: dict[str, Any], text: str) -> dict[str, Any]:
    """The button of a message whose text contains ``text``."""
    found = [b for b in buttons(message) if text in b["text"]]
    assert found, (text, buttons(message))
    return found[0]


def admin_config(tmp_path: Path, emulator: BotApiEmulator, knowledge: Path) -> Config:
    """The bot with ADMIN as its admin and a copy of the knowledge it may change."""
    return bot_config(tmp_path, emulator, knowledge_dir=knowledge, admin_ids=frozenset({ADMIN}))


async def press(api: BotApiEmulator, message: dict[str, Any], text: str) -> None:
    """An admin taps a button of a message the bot sent."""
    data = button(message, text)["callback_data"]
    api.push_callback(data, sent_message(message, 60), user_id=ADMIN)


async def edited_to(api: BotApiEmulator, text: str, timeout: float = WAIT) -> dict[str, Any]:
    """The first edit of a message to a text containing ``text``."""
    edits = await api.wait_for("editMessageText", 1, timeout)
    while not any(text in e["text"] for e in edits):
        edits = await api.wait_for("editMessageText", len(edits) + 1, timeout)
    return next(e for e in edits if text in e["text"])


async def answered_by(api: BotApiEmulator, question: str, chat: int, expected: str) -> str:
    """Ask as a user; the reply's text (it must contain ``expected``)."""
    before = len(to_chat(api, chat))
    api.push_message(question, chat_id=chat, user_id=chat)
    await api.wait_for_text(chat, expected, timeout=5)
    return str(to_chat(api, chat)[before]["text"])


@pytest.mark.asyncio(loop_scope="function")
async def test_download_upload_preview_apply_live_and_after_restart(
    core: Core, knowledge_copy: Path, tmp_path: Path, emulator: BotApiEmulator
) -> None:
    config = bot_config(
        tmp_path,
        emulator,
        knowledge_dir=knowledge_copy,
        admin_ids=frozenset({ADMIN}),
        admin_names={ADMIN: "An"},
    )
    before = read_snapshot(knowledge_copy)
    async with running(config, core):
        emulator.push_message("/kennis", chat_id=ADMIN, user_id=ADMIN)
        await emulator.wait_for("sendDocument", 1)
        name, data, params = emulator.documents(ADMIN)[0]
        assert name.startswith("werkplekbot-kennis-") and name.endswith(".zip")
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            assert {n: archive.read(n) for n in archive.namelist()} == before
        assert "stuur het terug als document" in params["caption"]

        emulator.push_document(BUDDY.encode(), "50-buddy.yaml", chat_id=ADMIN, user_id=ADMIN)
        preview = (await emulator.wait_for_text(ADMIN, "Voorstel"))[-1]
        assert "Voorstel: bestand 50-buddy.yaml" in preview["text"]
        assert "Nieuw: “Wat is een buddy?”" in preview["text"]
        assert "✓ “wie is mijn buddy” → Wat is een buddy?" in preview["text"]
        assert [b["text"] for b in buttons(preview)] == ["✅ Toepassen", "✖️ Annuleren"]
        assert read_snapshot(knowledge_copy) == before  # nothing changes before "Toepassen"
        await answered_by(emulator, "wat is een buddy", USER, "Sorry")

        await press(emulator, preview, "Toepassen")
        applied = await edited_to(emulator, "Toegepast")
        assert "✅ Toegepast door An: versie 2." in applied["text"]
        assert "Nieuw: “Wat is een buddy?”" in applied["text"] and "reply_markup" not in applied
        await answered_by(emulator, "wat is een buddy", USER + 1, "Een buddy is een collega")
    assert (knowledge_copy / "50-buddy.yaml").read_text(encoding="utf-8") == BUDDY
    # A restart: the bot loads the knowledge directory again and answers from it.
    restarted = Core(load_knowledge(knowledge_copy))
    async with running(config, restarted):
        await answered_by(emulator, "wat is een buddy", USER + 2, "Een buddy is een collega")
    versions = History(config.history_dir).versions()
    assert [(v.number, v.who) for v in versions] == [(2, "An"), (1, "—")]
    assert versions[0].summary == "bestand 50-buddy.yaml: nieuw: “Wat is een buddy?”"
    assert History(config.history_dir).files(1) == before


@pytest.mark.asyncio(loop_scope="function")
async def test_broken_upload_names_file_and_line_and_changes_nothing(
    core: Core, knowledge_copy: Path, tmp_path: Path, emulator: BotApiEmulator
) -> None:
    config = admin_config(tmp_path, emulator, knowledge_copy)
    before = read_snapshot(knowledge_copy)
    broken = BUDDY.replace("      - Buddysysteem\n", "      - Buddy: wat is dat\n")
    broken_line = broken.splitlines().index("      - Buddy: wat is dat") + 1
    async with running(config, core):
        emulator.push_document(broken.encode(), "50-buddy.yaml", chat_id=ADMIN, user_id=ADMIN)
        refusal = (await emulator.wait_for_text(ADMIN, "Niet toegepast"))[-1]
        assert f"<code>50-buddy.yaml:{broken_line}</code>" in refusal["text"]
        assert "aanhalingstekens" in refusal["text"] and "reply_markup" not in refusal
        assert str(knowledge_copy) not in refusal["text"]  # no server paths

        # A stranger's knowledge file is only a message: nothing is read from it.
        emulator.push_document(BUDDY.encode(), "50-buddy.yaml", chat_id=USER, user_id=USER)
        reply = (await emulator.wait_for_text(USER, "alleen tekst"))[-1]
        assert "reply_markup" in reply
        # A zip without knowledge files, a file with a path-like name: refused, said why.
        emulator.push_document(b"not a zip", "kennis.zip", chat_id=ADMIN, user_id=ADMIN)
        await emulator.wait_for_text(ADMIN, "geen geldig zip-bestand")
        emulator.push_document(BUDDY.encode(), "../x y.yaml", chat_id=ADMIN, user_id=ADMIN)
        await emulator.wait_for_text(ADMIN, "kan geen kennisbestand zijn")
        # A file saved with another extension: the admin is told the name it needs.
        emulator.push_document(BUDDY.encode(), "buddy.yaml.txt", chat_id=ADMIN, user_id=ADMIN)
        named = (await emulator.wait_for_text(ADMIN, "kan geen kennisbestand zijn", 2))[-1]
        assert "buddy.yaml.txt" in named["text"] and "eindigt op .yaml" in named["text"]
    assert read_snapshot(knowledge_copy) == before
    assert len(emulator.sent("getFile")) == 2  # the stranger's and the misnamed file: not read
    assert History(config.history_dir).versions() == []


@pytest.mark.asyncio(loop_scope="function")
async def test_zip_is_the_whole_knowledge_and_cancel_changes_nothing(
    core: Core, knowledge_copy: Path, tmp_path: Path, emulator: BotApiEmulator
) -> None:
    config = admin_config(tmp_path, emulator, knowledge_copy)
    before = read_snapshot(knowledge_copy)
    files = {**before, "50-buddy.yaml": BUDDY.encode()}
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in files.items():
            archive.writestr(f"kennis/{name}", data)  # a folder, as a phone zips it
    async with running(config, core):
        emulator.push_document(buffer.getvalue(), "kennis.zip", chat_id=ADMIN, user_id=ADMIN)
        preview = (await emulator.wait_for_text(ADMIN, "Voorstel"))[-1]
        assert "Voorstel: zip-bestand kennis.zip</b>\nNieuw: “Wat is een buddy?”" in preview["text"]
        await press(emulator, preview, "Annuleren")
        await edited_to(emulator, "Geannuleerd: er is niets veranderd")
        await press(emulator, preview, "Toepassen")  # pressed after all: it is gone
        toast = (await emulator.wait_for("answerCallbackQuery", 2))[-1]
        assert "verlopen" in toast["text"]
        # A zip without one of the files: the admin is told which, whatever else is wrong.
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            for name, data in before.items():
                if name != "40-meer-info.yaml":
                    archive.writestr(name, data)
        emulator.push_document(buffer.getvalue(), "kennis.zip", chat_id=ADMIN, user_id=ADMIN)
        told = (await emulator.wait_for_text(ADMIN, "zonder 40-meer-info.yaml"))[-1]
        # Refused (other files refer to its entries), and the title says what is missing.
        assert told["text"].startswith(
            "<b>Niet toegepast: zip-bestand kennis.zip, zonder 40-meer-info.yaml</b>"
        )
    assert read_snapshot(knowledge_copy) == before


async def seed_unanswered(db_path: Path, question: str, users: int) -> None:
    """``users`` colleagues asked ``question`` and got no answer."""
    pseudonyms = Pseudonyms(load_key(key_path(db_path)))
    database = await Database.open(db_path)
    for n in range(users):
        record = Interaction(
            pseudonyms.of(100 + n), "private", QUESTION, question, "fallback", None, 20.0
        )
        await database.write(Batch(f"seed{n}", (record,)))
    await database.close()


@pytest.mark.asyncio(loop_scope="function")
async def test_one_tap_from_unanswered_question_to_answer_and_back(
    core: Core, knowledge_copy: Path, tmp_path: Path, emulator: BotApiEmulator
) -> None:
    config = admin_config(tmp_path, emulator, knowledge_copy)
    question = "Hoe helpt werkplekleren een organisatie om te innoveren?"
    match = core.match(question)
    assert match.outcome != "answer"
    entry = core.knowledge.by_id[match.candidates[0].entry_id]
    await seed_unanswered(config.db_path, question, 3)
    before = read_snapshot(knowledge_copy)
    async with running(config, core):
        emulator.push_message("/onbeantwoord", chat_id=ADMIN, user_id=ADMIN)
        page = (await emulator.wait_for_text(ADMIN, "Groep 1 van 1"))[-1]
        assert f"<b>{question}</b> (3×)" in page["text"]
        assert all(len(b["text"]) <= 40 for b in buttons(page))
        add = button(page, "➕ Bij: ")
        assert add["text"] == f"➕ Bij: {entry.short_label}"

        await press(emulator, page, "➕ Bij: ")
        preview = (await emulator.wait_for_text(ADMIN, "Voorstel"))[-1]
        assert f"Voorstel: 1 vraag toevoegen aan “{entry.short_label}”</b>" in preview["text"]
        assert f"Gewijzigd: “{entry.short_label}”" in preview["text"]
        assert "Wie deze vraag stelt, krijgt dan dit antwoord: “" in preview["text"]
        await press(emulator, preview, "Toepassen")
        await edited_to(emulator, "Toegepast")
        reply = await answered_by(emulator, question, USER, entry.question)
        assert reply.startswith(f"<b>{entry.question}</b>")
        learned = (knowledge_copy / "geleerd.yaml").read_text(encoding="utf-8")
        assert f"  - id: {entry.id}\n    alternates:\n      - {question}\n" in learned
        # The hand-written files stay as they were.
        assert read_snapshot(knowledge_copy).keys() - {"geleerd.yaml"} == before.keys()
        assert all(read_snapshot(knowledge_copy)[n] == before[n] for n in before)
        # Out of /onbeantwoord once added.
        emulator.push_message("/onbeantwoord", chat_id=ADMIN, user_id=ADMIN)
        await emulator.wait_for_text(ADMIN, "Geen onbeantwoorde vragen")

        # Something that is no version number is said to be so, with the versions there are.
        emulator.push_message("/terugzetten abc", chat_id=ADMIN, user_id=ADMIN)
        wrong = (await emulator.wait_for_text(ADMIN, "geen versienummer"))[-1]
        assert wrong["text"].startswith("“abc” is geen versienummer.\n\n<b>Versies van de kennis")
        assert wrong["text"].endswith("Naar welke versie wil je terug?")
        assert buttons(wrong)
        # /terugzetten offers the earlier versions; the one before the change undoes it.
        emulator.push_message("/terugzetten", chat_id=ADMIN, user_id=ADMIN)
        choice = (await emulator.wait_for_text(ADMIN, "Naar welke versie"))[-1]
        assert "v2 (nu)" in choice["text"]
        assert [b["text"][:12] for b in buttons(choice)] == ["↩️ Versie 1 "]
        await press(emulator, choice, "Versie 1")
        restored = (await emulator.wait_for_text(ADMIN, "Teruggezet"))[-1]
        assert "Teruggezet naar versie 1; dat is nu versie 3." in restored["text"]
        assert f"\nGewijzigd: “{entry.short_label}”.\n" in restored["text"]
        assert "/terugzetten 2" in restored["text"]
        reply = await answered_by(emulator, question, USER + 1, "")
        assert not reply.startswith(f"<b>{entry.question}</b>")
        # Unanswered again, so back in /onbeantwoord.
        emulator.push_message("/onbeantwoord", chat_id=ADMIN, user_id=ADMIN)
        await emulator.wait_for_text(ADMIN, "Groep 1 van 1", 2)
        emulator.push_message("/versies", chat_id=ADMIN, user_id=ADMIN)
        # The third listing: both /terugzetten showed one.
        listing = (await emulator.wait_for_text(ADMIN, "Versies van de kennis", 3))[-1]["text"]
        assert listing.index("v3 (nu)") < listing.index("v2 ·")
        assert "terug naar versie 1" in listing
    assert read_snapshot(knowledge_copy) == before


@pytest.mark.asyncio(loop_scope="function")
async def test_a_group_becomes_a_draft_that_loads_only_once_completed(
    core: Core, knowledge_copy: Path, tmp_path: Path, emulator: BotApiEmulator
) -> None:
    config = admin_config(tmp_path, emulator, knowledge_copy)
    await seed_unanswered(config.db_path, "wat is een leerwandeling", 2)
    async with running(config, core):
        emulator.push_message("/onbeantwoord", chat_id=ADMIN, user_id=ADMIN)
        page = (await emulator.wait_for_text(ADMIN, "Groep 1 van 1"))[-1]
        await press(emulator, page, "Nieuwe vraag")
        await emulator.wait_for("sendDocument", 1)
        name, data, params = emulator.documents(ADMIN)[0]
        assert name.startswith("nieuw-") and name.endswith(".yaml")
        assert "stuur dit bestand terug" in params["caption"]
        draft = data.decode()
        assert "question: Wat is een leerwandeling?\n    alternates:\n      # Hoe vragen" in draft
        assert "[]" not in draft  # an admin adds "- ..." lines under the comment

        emulator.push_document(data, name, chat_id=ADMIN, user_id=ADMIN)
        refusal = (await emulator.wait_for_text(ADMIN, "Niet toegepast"))[-1]
        assert "leeg" in refusal["text"]
        completed = (
            draft + "      Een leerwandeling is een bezoek aan een andere afdeling om te leren.\n"
        )
        emulator.push_document(completed.encode(), name, chat_id=ADMIN, user_id=ADMIN)
        preview = (await emulator.wait_for_text(ADMIN, "Voorstel"))[-1]
        assert "Nieuw: “Wat is een leerwandeling?”" in preview["text"]


@pytest.mark.asyncio(loop_scope="function")
async def test_a_read_only_knowledge_still_answers_and_says_why_it_cannot_change(
    core: Core,
    knowledge_copy: Path,
    tmp_path: Path,
    emulator: BotApiEmulator,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # (Root writes into a read-only directory, and CI may run as root: the refusal the
    # system would give is stood in for; tests/test_editing.py checks the real one.)
    reason = f"de map {knowledge_copy} is niet schrijfbaar (Read-only file system)"
    monkeypatch.setattr("bot.telegram.changes.why_not_writable", lambda directory: reason)
    config = admin_config(tmp_path, emulator, knowledge_copy)
    async with running(config, core):
        emulator.push_message("/kennis", chat_id=ADMIN, user_id=ADMIN)
        await emulator.wait_for("sendDocument", 1)
        assert (
            "Aanpassen via de bot kan hier dus niet" in emulator.documents(ADMIN)[0][2]["caption"]
        )
        emulator.push_document(BUDDY.encode(), "50-buddy.yaml", chat_id=ADMIN, user_id=ADMIN)
        preview = (await emulator.wait_for_text(ADMIN, "Voorstel"))[-1]
        assert "niet schrijfbaar (Read-only file system)" in preview["text"]
        assert "reply_markup" not in preview  # no "Toepassen" that cannot work
        await answered_by(emulator, "wat is vto", USER, "VTO")


@pytest.mark.asyncio(loop_scope="function")
async def test_an_uploaded_mentor_entry_replaces_the_shipped_one_until_restored(
    core: Core, knowledge_copy: Path, tmp_path: Path, emulator: BotApiEmulator
) -> None:
    config = admin_config(tmp_path, emulator, knowledge_copy)
    mentor = (
        "section: Mentoren\nentries:\n  - id: onze-mentor\n    question: Wat is een mentor?\n"
        "    alternates: [Mentorschap, Wat doet een mentor?]\n"
        "    answer: Bij ons is je mentor de collega die je eerste maand met je meeloopt.\n"
    )
    async with running(config, core):
        emulator.push_document(mentor.encode(), "mentor.yaml", chat_id=ADMIN, user_id=ADMIN)
        preview = (await emulator.wait_for_text(ADMIN, "Voorstel"))[-1]
        assert (
            "Let op: jouw “Wat is een mentor?” vervangt de vraag die al in "
            "30-condities-werkplek.yaml stond" in preview["text"]
        )
        assert "Ze houdt de naam &#x27;mentor&#x27;" in preview["text"]
        assert "Gewijzigd: “Wat is een mentor?” (" in preview["text"]
        assert "antwoord" in preview["text"] and "onderwerp" in preview["text"]
        await press(emulator, preview, "Toepassen")
        await edited_to(emulator, "Toegepast")
        await answered_by(emulator, "wat is een mentor", USER, "je eerste maand met je meeloopt")
        emulator.push_message("/terugzetten 1", chat_id=ADMIN, user_id=ADMIN)
        # Going back checks the whole knowledge like any change: over WAIT at times when the
        # whole suite shares two cores.
        await emulator.wait_for_text(ADMIN, "Teruggezet naar versie 1", timeout=3 * WAIT)
        reply = await answered_by(emulator, "wat is een mentor", USER + 1, "Wat is een mentor?")
        assert "eerste maand" not in reply and "ervaren collega" in reply


def long_preview_file() -> bytes:
    """Ten entries whose tests make a preview longer than one Telegram message."""
    out = "section: Praktisch\nentries:\n"
    topics = "fietsvergoeding thuiswerk parkeerplaats laptopbeleid verlofregeling ziekmelding"
    for topic in (*topics.split(), "teambuilding", "kerstpakket", "opleidingsbudget", "rooster"):
        asked = (
            f"Ik werk hier al een tijdje en vroeg me af hoe het zit met de {topic} voor wie "
            "deeltijds werkt en soms in het weekend komt, en bij wie moet ik daarvoor zijn, "
            "en welk formulier moet ik daarvoor invullen, en tegen wanneer precies?"
        )
        out += (
            f"  - id: {topic}\n    question: Hoe werkt de {topic} bij ons precies?\n"
            f"    alternates:\n      - {asked}\n    answer: Zie het intranet.\n"
            f"    tests:\n      - {asked}\n"
        )
    return out.encode()


@pytest.mark.asyncio(loop_scope="function")
async def test_a_preview_too_long_for_one_message_still_says_it_was_applied(
    core: Core, knowledge_copy: Path, tmp_path: Path, emulator: BotApiEmulator
) -> None:
    config = admin_config(tmp_path, emulator, knowledge_copy)
    async with running(config, core):
        emulator.push_document(long_preview_file(), "60-praktisch.yaml", ADMIN, ADMIN)
        await emulator.wait_for_text(ADMIN, "Toepassen")
        parts = to_chat(emulator, ADMIN)
        assert len(parts) >= 2 and sum(len(m["text"]) for m in parts) > 4096
        await press(emulator, [m for m in parts if "reply_markup" in m][-1], "Toepassen")
        applied = (await emulator.wait_for_text(ADMIN, "Toegepast"))[-1]
        assert "Toegepast" in applied["text"] and len(applied["text"]) < 200
        buttons_off = await emulator.wait_for("editMessageReplyMarkup", 1)
        assert "reply_markup" not in buttons_off[0] or not buttons_off[0]["reply_markup"]


@pytest.mark.asyncio(loop_scope="function")
async def test_the_file_watcher_waits_for_a_change_being_written(
    core: Core,
    knowledge_copy: Path,
    tmp_path: Path,
    emulator: BotApiEmulator,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    record = History.record

    def slowly(self: History, *args: Any) -> Any:
        # Writing takes a while (a slow volume): several watcher rounds pass meanwhile.
        time.sleep(1.0)
        return record(self, *args)

    monkeypatch.setattr(History, "record", slowly)
    config = admin_config(tmp_path, emulator, knowledge_copy)
    async with running(config, core):
        emulator.push_document(BUDDY.encode(), "50-buddy.yaml", chat_id=ADMIN, user_id=ADMIN)
        preview = (await emulator.wait_for_text(ADMIN, "Voorstel"))[-1]
        await press(emulator, preview, "Toepassen")
        await edited_to(emulator, "Toegepast")
        notices = [m["text"] for m in to_chat(emulator, ADMIN) if "herladen" in m["text"]]
        assert notices == []


@pytest.mark.asyncio(loop_scope="function")
async def test_help_tells_an_admin_how_to_change_the_knowledge(
    core: Core, knowledge_copy: Path, tmp_path: Path, emulator: BotApiEmulator
) -> None:
    config = admin_config(tmp_path, emulator, knowledge_copy)
    async with running(config, core):
        emulator.push_message("/help", chat_id=ADMIN, user_id=ADMIN)
        emulator.push_message("/help", chat_id=USER, user_id=USER)
        admin = (await emulator.wait_for_text(ADMIN, "Zo werk ik"))[-1]["text"]
        user = (await emulator.wait_for_text(USER, "Zo werk ik"))[-1]["text"]
    assert "Voor beheerders" in admin and "/kennis" in admin and "/terugzetten" in admin
    assert "Voor beheerders" not in user and "/kennis" not in user
