"""Configuration from the environment, with an optional ``.env`` file (the environment wins)."""

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

REPOSITORY_KNOWLEDGE = Path(__file__).resolve().parent.parent / "knowledge"
DEFAULT_DB = Path("data") / "werkplekbot.sqlite3"


def read_dotenv(path: Path) -> dict[str, str]:
    """``KEY=VALUE`` lines of a .env file; comments, blank and malformed lines are skipped."""
    values: dict[str, str] = {}
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return values
    for line in lines:
        line = line.strip()
        if not line or line.startswith("#") or "=" not in line:
            continue
        key, _, value = line.removeprefix("export ").partition("=")
        value = value.strip()
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
            value = value[1:-1]
        values[key.strip()] = value
    return values


@dataclass(frozen=True)
class Config:
    """Settings of one run."""

    knowledge_dir: Path
    db_path: Path
    token: str | None = None
    base_url: str | None = None
    admin_ids: frozenset[int] = frozenset()
    flood_limit: int = 20
    retention_days: int = 180

    @property
    def heartbeat_path(self) -> Path:
        """The file a running bot touches to show it is alive (Docker's HEALTHCHECK reads it)."""
        return self.db_path.with_name("heartbeat")

    @classmethod
    def from_env(
        cls, environ: Mapping[str, str] | None = None, dotenv: Path = Path(".env")
    ) -> "Config":
        """Read the contract's variables from ``.env`` and the environment."""
        env = {**read_dotenv(dotenv), **(os.environ if environ is None else environ)}
        knowledge = env.get("WERKPLEKBOT_KNOWLEDGE") or str(REPOSITORY_KNOWLEDGE)
        admins = frozenset(
            int(part)
            for part in env.get("WERKPLEKBOT_ADMIN_IDS", "").replace(" ", "").split(",")
            if part.lstrip("-").isdigit()
        )
        return cls(
            knowledge_dir=Path(knowledge),
            db_path=Path(env.get("WERKPLEKBOT_DB") or DEFAULT_DB),
            token=env.get("TELEGRAM_BOT_TOKEN") or None,
            base_url=env.get("TELEGRAM_BASE_URL") or None,
            admin_ids=admins,
            flood_limit=_positive_int(env.get("WERKPLEKBOT_FLOOD_LIMIT"), 20),
            retention_days=_positive_int(env.get("WERKPLEKBOT_RETENTION_DAYS"), 180),
        )


def _positive_int(value: str | None, default: int) -> int:
    return int(value) if value and value.isdigit() and int(value) > 0 else default
