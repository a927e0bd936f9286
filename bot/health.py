"""Health means answering: the running bot writes a small status file, ``werkplekbot health``
(Docker's HEALTHCHECK) judges it. Unhealthy when the file is stale (the process hangs or is
gone), when Telegram has not been reached for too long (no successful getUpdates, webhook call
or API check), or when an update waits unhandled too long."""

import json
import os
import time
from dataclasses import asdict, dataclass
from pathlib import Path


@dataclass(frozen=True)
class Status:
    """One snapshot of a running bot (wall-clock seconds)."""

    written_at: float
    last_contact: float
    oldest_waiting: float  # seconds the oldest unhandled update has waited; 0 when none
    mode: str

    def problems(self, now: float, max_age: float, max_waiting: float) -> list[str]:
        """Why the bot is not healthy, in Dutch; empty when it is."""
        found = []
        if now - self.written_at > max_age:
            found.append(f"geen levensteken sinds {now - self.written_at:.0f} s")
        if now - self.last_contact > max_age:
            found.append(f"Telegram niet bereikt sinds {now - self.last_contact:.0f} s")
        if self.oldest_waiting > max_waiting:
            found.append(f"een bericht wacht al {self.oldest_waiting:.0f} s op antwoord")
        return found


def write_status(path: Path, status: Status) -> None:
    """Replace the status file atomically."""
    temporary = path.with_name(path.name + ".new")
    temporary.write_text(json.dumps(asdict(status)), encoding="ascii")
    os.replace(temporary, path)


def read_status(path: Path) -> Status | None:
    """The last status written, or None."""
    try:
        data = json.loads(path.read_text(encoding="ascii"))
        return Status(**data)
    except (OSError, ValueError, TypeError):
        return None


def check(path: Path, max_age: float, max_waiting: float) -> list[str]:
    """The problems of the bot whose status is at ``path``."""
    status = read_status(path)
    if status is None:
        return [f"geen status in {path}"]
    return status.problems(time.time(), max_age, max_waiting)
