"""The admin views in the console chat, where the local user is admin: /stats, /onbeantwoord,
/versies, /terugzetten N, /herlaad and /kennis, on the same database and knowledge as the
Telegram bot, so a coordinator can try the whole loop on a laptop."""

import time
from dataclasses import dataclass
from pathlib import Path

from bot.core import Core
from bot.database import DAY, Database
from bot.editing import ChangeRefused, apply, restoring
from bot.history import History, listing, version_number
from bot.messages import VERSIONS_EMPTY, VERSIONS_HINT, VERSIONS_TITLE, restored
from bot.reloading import reload
from bot.reports import PERIODS, format_reports
from bot.review import group_unanswered, to_markdown
from bot.snapshots import read_snapshot

COMMANDS = ("/stats", "/onbeantwoord", "/versies", "/terugzetten", "/herlaad", "/kennis")
HELP = (
    "Beheer (jij bent hier beheerder): /stats, /onbeantwoord, /kennis, /herlaad, /versies, "
    "/terugzetten en een versienummer."
)
WHO = "console"


@dataclass
class ConsoleAdmin:
    """Admin commands for one console session; ``core`` is swapped by a reload or restore."""

    knowledge_dir: Path
    history: History
    database: Database | None

    async def handle(self, command: str, argument: str, core: Core) -> tuple[str, Core]:
        """The text to show for an admin command, and the core to answer with from now on."""
        if command == "/kennis":
            files = ", ".join(sorted(read_snapshot(self.knowledge_dir)))
            return f"De kennis staat in {self.knowledge_dir}:\n{files}", core
        if command == "/herlaad":
            outcome = reload(core, self.knowledge_dir)
            return outcome.summary(), outcome.core or core
        if command == "/versies":
            versions = self.history.versions()
            if not versions:
                return VERSIONS_EMPTY, core
            current = self.history.current(self.knowledge_dir)
            return "\n".join(
                [VERSIONS_TITLE, *listing(versions[:10], current), VERSIONS_HINT]
            ), core
        if command == "/terugzetten":
            return self.restore(argument, core)
        if self.database is None:
            return "Zonder database zijn er geen cijfers of onbeantwoorde vragen.", core
        if command == "/stats":
            now = time.time()
            reports = {days: await self.database.report(now - days * DAY) for days in PERIODS}
            return format_reports(reports, core.knowledge), core
        items = await self.database.unanswered(0.0)
        groups = group_unanswered(items, core, await self.database.dismissed())
        return to_markdown(groups, core.knowledge).rstrip(), core

    def restore(self, argument: str, core: Core) -> tuple[str, Core]:
        """/terugzetten N: back to version N, checked like any change."""
        number = version_number(argument)
        if number is None:
            return "Welke versie? Bijvoorbeeld: /terugzetten 3 (zie /versies).", core
        try:
            proposal = restoring(self.knowledge_dir, self.history, number, core)
            if not proposal.applicable:
                return proposal.describe(), core
            version = apply(self.knowledge_dir, self.history, proposal, WHO)
        except ChangeRefused as exc:
            return str(exc)[:1].upper() + str(exc)[1:], core
        outcome = reload(core, self.knowledge_dir)
        return restored(number, version, proposal), outcome.core or core
