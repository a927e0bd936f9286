"""Shared fixtures: the shipped knowledge, a core on it, and writable copies to break."""

import shutil
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import pytest_asyncio

from bench.botapi import BotApiEmulator
from bot.config import REPOSITORY_KNOWLEDGE
from bot.core import Core
from bot.knowledge import Knowledge
from bot.loading import load_knowledge


@pytest.fixture(scope="session")
def knowledge() -> Knowledge:
    """The knowledge shipped in the repository."""
    return load_knowledge(REPOSITORY_KNOWLEDGE)


@pytest.fixture(scope="session")
def core(knowledge: Knowledge) -> Core:
    """A core on the shipped knowledge."""
    return Core(knowledge)


@pytest.fixture
def knowledge_copy(tmp_path: Path) -> Path:
    """A writable copy of the shipped knowledge directory."""
    target = tmp_path / "knowledge"
    shutil.copytree(REPOSITORY_KNOWLEDGE, target)
    return target


@pytest_asyncio.fixture(loop_scope="function")
async def emulator() -> AsyncIterator[BotApiEmulator]:
    """A Bot API emulator on loopback."""
    server = BotApiEmulator().start()
    yield server
    server.stop()
