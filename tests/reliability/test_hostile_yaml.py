"""Mutated copies of the real knowledge: validation never crashes or hangs, names the file and
line, and a reload keeps the last good knowledge."""

import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bench.botapi import BotApiEmulator
from bot.config import REPOSITORY_KNOWLEDGE
from bot.core import Core
from bot.loading import check_knowledge, load_knowledge
from bot.reloading import reload
from tests.harness import bot_config, running

TARGET = "30-condities-werkplek.yaml"
ORIGINAL = (REPOSITORY_KNOWLEDGE / TARGET).read_bytes()
BOMB = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{c}: &{c} [{', '.join(['*' + chr(ord(c) - 1)] * 9)}]\n" for c in "bcdefghi"
)
MUTATIONS = {
    "truncated": ORIGINAL[: len(ORIGINAL) // 3],
    "wrong types": ORIGINAL.replace(
        b"    alternates:\n      - Interne leernetwerken",
        b"    alternates: 42\n    links: ja\n      - x",
    ),
    "wrong indentation": ORIGINAL.replace(b"\n    answer:", b"\n  answer:", 1),
    "binary garbage": bytes(range(256)) * 40,
    "huge": b"entries:\n" + b"  - id: x\n" * 150_000,
    "duplicate keys": ORIGINAL.replace(
        b"    question: Wat is een referentiepersoon?",
        b"    question: Wat?\n    question: Nog eens?",
    ),
    "alias bomb": BOMB.encode(),
    "deep nesting": b"entries: " + b"[" * 20_000,
    "python tag": b"entries: !!python/object/apply:os.system ['echo pwned']\n",
    "not a mapping": b"- gewoon\n- een lijst\n",
    "tab": ORIGINAL.replace(b"    answer:", b"\tanswer:", 1),
    "bom and crlf": b"\xef\xbb\xbf" + ORIGINAL.replace(b"\n", b"\r\n"),
}


def problems_after(directory: Path, content: bytes) -> tuple[object, list[str], float]:
    (directory / TARGET).write_bytes(content)
    start = time.monotonic()
    knowledge, problems = check_knowledge(directory)
    return knowledge, [str(p) for p in problems], time.monotonic() - start


@pytest.mark.parametrize("name", sorted(MUTATIONS))
def test_mutation_is_reported_with_file_and_line(name: str, knowledge_copy: Path) -> None:
    knowledge, problems, seconds = problems_after(knowledge_copy, MUTATIONS[name])
    assert seconds < 10
    if name == "bom and crlf":
        assert knowledge is not None and problems == []
        return
    assert knowledge is None and problems
    target = str(knowledge_copy / TARGET)
    assert any(p.startswith(target + ":") and p.split(":")[1].isdigit() for p in problems), problems


@pytest.mark.parametrize("name", ["binary garbage", "alias bomb", "truncated"])
def test_reload_keeps_the_last_good_knowledge(name: str, knowledge_copy: Path) -> None:
    live = Core(load_knowledge(knowledge_copy))
    changed = (
        (knowledge_copy / TARGET)
        .read_text(encoding="utf-8")
        .replace("Referentiepersonen zijn een", "Een referentiepersoon is altijd een")
    )
    (knowledge_copy / TARGET).write_text(changed, encoding="utf-8")
    edited = reload(live, knowledge_copy)
    label = live.knowledge.by_id["referentiepersonen"].short_label
    assert edited.core is not None and edited.difference.changed == (label,)
    assert (
        "Een referentiepersoon is altijd" in edited.core.ask("Wat is een referentiepersoon?").body
    )
    (knowledge_copy / TARGET).write_bytes(MUTATIONS[name])
    outcome = reload(edited.core, knowledge_copy)
    assert outcome.core is None and f"{TARGET}:" in outcome.summary()
    # The running bot keeps its last good knowledge: the edited one, not the original.
    assert (
        "Een referentiepersoon is altijd" in edited.core.ask("Wat is een referentiepersoon?").body
    )


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_random_byte_mutations_never_crash(knowledge_copy: Path, data: st.DataObject) -> None:
    content = bytearray(ORIGINAL)
    for _ in range(data.draw(st.integers(1, 8))):
        position = data.draw(st.integers(0, len(content) - 1))
        action = data.draw(st.sampled_from(["flip", "delete", "insert"]))
        byte = data.draw(st.sampled_from(list(b":-#?&*![]{}'\"\t\n \x00\xff|>")))
        if action == "flip":
            content[position] = byte
        elif action == "delete":
            del content[position]
        else:
            content.insert(position, byte)
    knowledge, problems, seconds = problems_after(knowledge_copy, bytes(content))
    assert seconds < 10
    assert (knowledge is None) == bool(problems)
    assert all(p.split(":", 2)[1].isdigit() for p in problems)


@pytest.mark.parametrize("name", ["binary garbage", "alias bomb", "wrong indentation"])
@pytest.mark.asyncio(loop_scope="function")
async def test_running_bot_keeps_answering_and_tells_the_admins(
    name: str, knowledge_copy: Path, tmp_path: Path, emulator: BotApiEmulator
) -> None:
    admin, user = 900, 1
    config = bot_config(
        tmp_path, emulator, knowledge_dir=knowledge_copy, admin_ids=frozenset({admin})
    )
    async with running(config, Core(load_knowledge(knowledge_copy))):
        await emulator.wait_for("setMyCommands", 1)
        (knowledge_copy / TARGET).write_bytes(MUTATIONS[name])
        notice = await emulator.wait_for("sendMessage", 1, timeout=8)
        emulator.push_message("Wat is een referentiepersoon?", chat_id=user, user_id=user)
        sent = await emulator.wait_for("sendMessage", 2)
    assert int(notice[0]["chat_id"]) == admin
    assert f"{TARGET}:" in notice[0]["text"] and str(knowledge_copy) not in notice[0]["text"]
    assert "Referentiepersonen zijn" in sent[1]["text"]
