"""Configuration from the environment, with an optional ``.env`` file (the environment wins) and
command-line flags (they win over both). Every value is checked when it is read: a mistake
stops the start with a message that names the variable."""

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from types import MappingProxyType

PACKAGE_ROOT = Path(__file__).resolve().parent.parent
REPOSITORY_KNOWLEDGE = PACKAGE_ROOT / "knowledge"
DEFAULT_DB = Path("data") / "werkplekbot.sqlite3"
_INTEGER = re.compile(r"[0-9]+")
_ID_SEPARATORS = re.compile(r"[,\s]+")
# What Telegram accepts as a webhook secret token.
_SECRET = re.compile(r"[A-Za-z0-9_-]{16,256}")


class ConfigError(Exception):
    """A configuration value that cannot be used; the message names the variable."""


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
class Webhook:
    """Webhook mode: where to listen, the public URL Telegram calls, and the secret it sends."""

    enabled: bool = False
    listen: str = "127.0.0.1"
    port: int = 8443
    path: str = "telegram"
    url: str | None = None
    secret: str | None = None
    # Telegram's updates are a few kilobytes; anything far larger is refused unread.
    max_body_bytes: int = 1_000_000


@dataclass(frozen=True)
class Timings:
    """How long the bot waits for things (seconds). Production values by default; tests set
    short ones so that outages and retries take seconds, not minutes."""

    # A reply that cannot be sent is retried for this long (per message), with backoff.
    send_retry_window: float = 900.0
    send_retry_max_delay: float = 60.0
    # Waiting users are told the bot is busy once their update waits this long.
    busy_after: float = 5.0
    # SIGTERM: replies in flight may finish within this; the rest stays in the inbox.
    stop_within: float = 6.0
    heartbeat: float = 15.0
    knowledge_watch: float = 2.0
    database_retry: float = 2.0
    # Health fails when an update waits unhandled longer than this.
    max_waiting: float = 120.0


@dataclass(frozen=True)
class Config:
    """Settings of one run."""

    knowledge_dir: Path
    db_path: Path
    token: str | None = None
    base_url: str | None = None
    # Where files are downloaded from (admins' uploads); derived from base_url when unset.
    base_file_url: str | None = None
    admin_ids: frozenset[int] = frozenset()
    # How the history names an admin's change; an admin without a name gets a pseudonym.
    admin_names: Mapping[int, str] = field(default_factory=lambda: MappingProxyType({}))
    # The shipped knowledge, copied into an empty knowledge directory at the start (Docker).
    knowledge_seed: Path | None = None
    flood_limit: int = 20
    retention_days: int = 180
    # Updates handled at once, and queued at most before Telegram is no longer acknowledged.
    concurrency: int = 8
    queue_limit: int = 200
    # Messages a second to all chats together: Telegram's limit (a local Bot API server, or
    # tests, may allow more).
    rate_limit: int = 30
    # The semantic part of the matcher, when its extra is installed (off: lexical only).
    semantic: bool = True
    webhook: Webhook = Webhook()
    timings: Timings = field(default_factory=Timings)

    @property
    def heartbeat_path(self) -> Path:
        """The status file a running bot refreshes (``werkplekbot health`` reads it)."""
        return self.db_path.with_name("heartbeat")

    @property
    def history_dir(self) -> Path:
        """Versions of the knowledge, one per change made through the bot (bot.history)."""
        return self.db_path.with_name("kennis-versies")

    @property
    def file_url(self) -> str:
        """The Bot API file URL: Telegram's, or the one beside a custom ``base_url``."""
        if self.base_file_url:
            return self.base_file_url
        if self.base_url and self.base_url.rstrip("/").endswith("/bot"):
            return self.base_url.rstrip("/").removesuffix("/bot") + "/file/bot"
        return "https://api.telegram.org/file/bot"

    @property
    def inbox_path(self) -> Path:
        """The durable inbox of the Telegram bot: updates until they are handled."""
        return self.db_path.with_name(self.db_path.stem + ".inbox" + self.db_path.suffix)

    def with_webhook(self, **changes: object) -> "Config":
        """This configuration with webhook settings from the command line (None: unchanged)."""
        given = {key: value for key, value in changes.items() if value is not None}
        webhook = replace(self.webhook, **given)  # type: ignore[arg-type]
        _check_webhook(webhook)
        return replace(self, webhook=webhook)

    @classmethod
    def from_env(
        cls, environ: Mapping[str, str] | None = None, dotenv: Path = Path(".env")
    ) -> "Config":
        """Read and check the variables from ``.env`` and the environment."""
        env = {**read_dotenv(dotenv), **(os.environ if environ is None else environ)}
        knowledge = env.get("WERKPLEKBOT_KNOWLEDGE") or str(_default_knowledge())
        timings = Timings(
            send_retry_window=_number(env, "WERKPLEKBOT_SEND_RETRY_SECONDS", 900, 1, 86400),
            busy_after=_number(env, "WERKPLEKBOT_BUSY_SECONDS", 5, 1, 600),
            stop_within=_number(env, "WERKPLEKBOT_STOP_SECONDS", 6, 1, 60),
            heartbeat=_number(env, "WERKPLEKBOT_HEARTBEAT_SECONDS", 15, 1, 600),
            max_waiting=_number(env, "WERKPLEKBOT_MAX_WAITING_SECONDS", 120, 5, 86400),
        )
        webhook = Webhook(
            listen=env.get("WERKPLEKBOT_WEBHOOK_LISTEN") or Webhook.listen,
            port=_number(env, "WERKPLEKBOT_WEBHOOK_PORT", Webhook.port, 1, 65535),
            path=(env.get("WERKPLEKBOT_WEBHOOK_PATH") or Webhook.path).strip("/"),
            url=env.get("WERKPLEKBOT_WEBHOOK_URL") or None,
            secret=env.get("WERKPLEKBOT_WEBHOOK_SECRET") or None,
        )
        _check_webhook(webhook)
        admin_ids = _admin_ids(env.get("WERKPLEKBOT_ADMIN_IDS", ""))
        return cls(
            knowledge_dir=Path(knowledge),
            db_path=Path(env.get("WERKPLEKBOT_DB") or DEFAULT_DB),
            token=env.get("TELEGRAM_BOT_TOKEN") or None,
            base_url=env.get("TELEGRAM_BASE_URL") or None,
            base_file_url=env.get("TELEGRAM_BASE_FILE_URL") or None,
            admin_ids=admin_ids,
            admin_names=_admin_names(env.get("WERKPLEKBOT_ADMIN_NAMES", ""), admin_ids),
            knowledge_seed=Path(seed) if (seed := env.get("WERKPLEKBOT_KNOWLEDGE_SEED")) else None,
            flood_limit=_number(env, "WERKPLEKBOT_FLOOD_LIMIT", 20, 1, 10_000),
            retention_days=_number(env, "WERKPLEKBOT_RETENTION_DAYS", 180, 1, 3650),
            concurrency=_number(env, "WERKPLEKBOT_CONCURRENCY", 8, 1, 64),
            queue_limit=_number(env, "WERKPLEKBOT_QUEUE_LIMIT", 200, 1, 100_000),
            rate_limit=_number(env, "WERKPLEKBOT_RATE_LIMIT", 30, 1, 100_000),
            semantic=_switch(env, "WERKPLEKBOT_SEMANTIC", True),
            webhook=webhook,
            timings=timings,
        )


def _default_knowledge() -> Path:
    """The repository's knowledge in a checkout; ./knowledge when installed elsewhere."""
    return REPOSITORY_KNOWLEDGE if REPOSITORY_KNOWLEDGE.is_dir() else Path("knowledge")


def _admin_ids(value: str) -> frozenset[int]:
    """User ids separated by commas and/or spaces, each a positive integer."""
    parts = [part for part in _ID_SEPARATORS.split(value.strip()) if part]
    bad = [part for part in parts if not _INTEGER.fullmatch(part) or int(part) == 0]
    if bad:
        raise ConfigError(
            f"WERKPLEKBOT_ADMIN_IDS: '{bad[0]}' is geen Telegram-gebruikers-id. Geef positieve "
            "getallen, gescheiden door komma's en/of spaties, bijvoorbeeld '12345, 67890'."
        )
    return frozenset(int(part) for part in parts)


def _admin_names(value: str, admin_ids: frozenset[int]) -> Mapping[int, str]:
    """``id=name`` pairs separated by commas, for admins in WERKPLEKBOT_ADMIN_IDS."""
    names: dict[int, str] = {}
    for part in filter(None, (p.strip() for p in value.split(","))):
        user_id, _, name = (x.strip() for x in part.partition("="))
        if not _INTEGER.fullmatch(user_id) or not name:
            raise ConfigError(
                f"WERKPLEKBOT_ADMIN_NAMES: '{part}' is geen 'id=naam'. Schrijf bijvoorbeeld "
                "'12345=An Peeters, 67890=Jef'."
            )
        if int(user_id) not in admin_ids:
            raise ConfigError(
                f"WERKPLEKBOT_ADMIN_NAMES: {user_id} staat niet in WERKPLEKBOT_ADMIN_IDS."
            )
        names[int(user_id)] = name[:40]
    return MappingProxyType(names)


def _number(env: Mapping[str, str], name: str, default: float, low: float, high: float) -> int:
    """A whole number in [low, high] from the environment, or the default when unset."""
    value = env.get(name, "").strip()
    if not value:
        return int(default)
    if not _INTEGER.fullmatch(value) or not low <= int(value) <= high:
        raise ConfigError(
            f"{name}: '{value}' is geen geldige waarde; geef een geheel getal van {low:g} tot "
            f"{high:g}."
        )
    return int(value)


def _switch(env: Mapping[str, str], name: str, default: bool) -> bool:
    """On or off from the environment ("1"/"0", "on"/"off", "true"/"false", "ja"/"nee")."""
    value = env.get(name, "").strip().lower()
    if not value:
        return default
    if value in ("1", "on", "true", "yes", "ja"):
        return True
    if value in ("0", "off", "false", "no", "nee"):
        return False
    raise ConfigError(f"{name}: '{value}' is geen geldige waarde; geef 1 (aan) of 0 (uit).")


def _check_webhook(webhook: Webhook) -> None:
    if webhook.secret is not None and not _SECRET.fullmatch(webhook.secret):
        raise ConfigError(
            "WERKPLEKBOT_WEBHOOK_SECRET: gebruik 16 tot 256 tekens, alleen letters, cijfers, '_' "
            "en '-' (dat is wat Telegram toelaat), bijvoorbeeld uit 'openssl rand -hex 32'."
        )
    if webhook.url is not None and not webhook.url.startswith("https://"):
        raise ConfigError("WERKPLEKBOT_WEBHOOK_URL: Telegram roept alleen https://-adressen aan.")
    if not 1 <= webhook.port <= 65535:
        raise ConfigError("WERKPLEKBOT_WEBHOOK_PORT: geef een poort van 1 tot 65535.")
