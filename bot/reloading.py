"""Reload the knowledge without a restart: validate, build a new core, report what changed.
A broken edit never replaces the knowledge users are answered from."""

import asyncio
import contextlib
import gc
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from bot.core import Core
from bot.differences import Difference, difference
from bot.loading import Problem, inspect_knowledge, knowledge_files
from bot.messages import sentence

# A summary fits one Telegram message: the first few problems, then a count.
SHOWN_PROBLEMS = 10


@dataclass(frozen=True)
class Reload:
    """The outcome of one reload: a new core, or the problems that kept the old one."""

    core: Core | None
    problems: tuple[Problem, ...] = ()
    difference: Difference = field(default_factory=Difference)
    # What loads but is probably not meant: said, never blocking.
    warnings: tuple[Problem, ...] = ()

    def summary(self) -> str:
        """What changed, or what to fix, in Dutch; short enough for one message however large
        the change (counts, and the first few names)."""
        if self.core is None:
            shown = [f"{Path(p.file).name}:{p.line}: {p.message}" for p in self.problems]
            listed = "\n".join(shown[:SHOWN_PROBLEMS])
            more = len(shown) - SHOWN_PROBLEMS
            if more > 0:
                listed += f"\n… en nog {more} (werkplekbot validate toont ze allemaal)."
            return (
                "De kennis bevat fouten; ik blijf antwoorden met de vorige versie. "
                f"Verbeter dit:\n{listed}"
            )
        if not self.difference:
            return "Kennis herladen: niets veranderd." + self._warnings()
        return f"Kennis herladen. {sentence(self.difference.summary())}" + self._warnings()

    def _warnings(self) -> str:
        if not self.warnings:
            return ""
        shown = [f"{Path(p.file).name}:{p.line}: {p.message}" for p in self.warnings]
        return "\nLet op:\n" + "\n".join(shown[:SHOWN_PROBLEMS])


def reload(current: Core, directory: Path) -> Reload:
    """Validate the directory and build a new core (slow part: call in a thread)."""
    inspection = inspect_knowledge(directory)
    knowledge = inspection.knowledge
    if knowledge is None:
        return Reload(None, inspection.problems)
    core = Core(knowledge, current.thresholds, current.semantic)
    return Reload(core, (), difference(current.knowledge, knowledge), inspection.warnings)


def signature(directory: Path) -> tuple[tuple[str, int, int], ...]:
    """Names, sizes and modification times of the knowledge files: cheap change detection."""
    try:
        return tuple(
            (p.name, p.stat().st_size, p.stat().st_mtime_ns) for p in knowledge_files(directory)
        )
    except OSError:
        return ()


@contextlib.contextmanager
def beside_the_loop() -> Iterator[None]:
    """While a knowledge is built in a thread beside a running bot: no automatic garbage
    collection (a full collection over millions of new objects pauses every thread for
    seconds) and a short switch interval (the event loop gets its turn within half a
    millisecond instead of five). Afterwards the objects alive then (the new core among them)
    are frozen out of later collections, which would otherwise scan them over and over."""
    enabled, interval = gc.isenabled(), sys.getswitchinterval()
    gc.disable()
    sys.setswitchinterval(0.0005)
    try:
        yield
    finally:
        gc.freeze()
        sys.setswitchinterval(interval)
        if enabled:
            gc.enable()


async def reload_async(current: Core, directory: Path) -> Reload:
    """:func:`reload` off the event loop, so answering goes on meanwhile."""
    with beside_the_loop():
        return await asyncio.to_thread(reload, current, directory)
