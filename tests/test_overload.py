"""Overload: when Telegram's rate limit holds replies back, waiting users are told once that it
is busy, and updates beyond the queue's bound stay at Telegram (unacknowledged) instead of
piling up in memory."""

import asyncio
import time
from dataclasses import replace
from pathlib import Path

import pytest

from bench.botapi import BotApiEmulator
from bot.core import Core
from bot.messages import BUSY_NOTICE
from tests.harness import FAST, bot_config, running


@pytest.mark.asyncio(loop_scope="function")
async def test_waiting_users_hear_once_that_it_is_busy_and_the_queue_stays_bounded(
    core: Core, tmp_path: Path, emulator: BotApiEmulator
) -> None:
    config = bot_config(
        tmp_path,
        emulator,
        rate_limit=4,  # replies a second: far fewer than arrive
        queue_limit=8,
        concurrency=2,
        timings=replace(FAST, busy_after=1.0),
    )
    chats = range(500, 530)
    async with running(config, core):
        await emulator.wait_for("setMyCommands", 1)
        for chat in chats:
            last = emulator.push_message("wat is vto", chat_id=chat, user_id=chat)
        await asyncio.sleep(1.2)
        # Two handled, eight queued, the rest of the fetched batch waits for room: nothing more
        # is fetched (and so acknowledged) meanwhile. Telegram still holds the rest.
        acknowledged_while_busy = max(emulator.offsets)
        # About 8 s at 4 replies a second; the deadline only bounds a run that never ends (a
        # CI machine running other workers beside this one can take several times as long).
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            answers = [m for m in emulator.sent() if m["text"] != BUSY_NOTICE]
            if len(answers) == len(chats):
                break
            await asyncio.sleep(0.1)
    assert acknowledged_while_busy <= last
    per_chat: dict[int, list[str]] = {}
    for message in emulator.sent():
        per_chat.setdefault(int(message["chat_id"]), []).append(message["text"])
    assert set(per_chat) == set(chats)
    for chat, texts in per_chat.items():
        assert texts.count(BUSY_NOTICE) <= 1, (chat, texts)
        assert texts[-1] != BUSY_NOTICE and "VTO" in texts[-1]
    told = [chat for chat, texts in per_chat.items() if BUSY_NOTICE in texts]
    assert len(told) >= 3  # the later ones in the queue waited more than a second


@pytest.mark.asyncio(loop_scope="function")
async def test_no_busy_notice_follows_an_answer_while_its_record_is_written(
    core: Core, tmp_path: Path, emulator: BotApiEmulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    from bot.telegram.inbox import Inbox

    written = asyncio.Event()
    finish = Inbox.finish

    async def slow_finish(self: Inbox, update_id: int, batch: object) -> None:
        # A busy database: the answer is out, its record takes a while (the busy check runs
        # every second meanwhile).
        await asyncio.sleep(2.5)
        await finish(self, update_id, batch)  # type: ignore[arg-type]
        written.set()

    monkeypatch.setattr(Inbox, "finish", slow_finish)
    config = bot_config(tmp_path, emulator, timings=replace(FAST, busy_after=0.2))
    async with running(config, core):
        emulator.push_message("wat is vto", chat_id=600, user_id=600)
        await asyncio.wait_for(written.wait(), 10)
    texts = [m["text"] for m in emulator.sent() if int(m["chat_id"]) == 600]
    assert len(texts) == 1 and "VTO" in texts[0], texts
