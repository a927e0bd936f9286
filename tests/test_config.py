"""Configuration: the variables from the environment and an optional .env, every value checked
with a message that names the variable; webhook settings from flags too."""

from pathlib import Path

import pytest

from bot.config import DEFAULT_DB, REPOSITORY_KNOWLEDGE, Config, ConfigError
from tests.harness import run_cli


def test_defaults_without_environment(tmp_path: Path) -> None:
    config = Config.from_env({}, dotenv=tmp_path / "missing.env")
    assert config.knowledge_dir == REPOSITORY_KNOWLEDGE
    assert config.db_path == DEFAULT_DB
    assert config.token is None and config.base_url is None and config.admin_ids == frozenset()
    assert not config.webhook.enabled and config.webhook.listen == "127.0.0.1"


def test_dotenv_is_read_and_environment_wins(tmp_path: Path) -> None:
    dotenv = tmp_path / ".env"
    dotenv.write_text(
        "# comment\n"
        "TELEGRAM_BOT_TOKEN='123:abc'\n"
        "export WERKPLEKBOT_DB=/tmp/x.sqlite3\n"
        "WERKPLEKBOT_ADMIN_IDS=1, 22\n"
        "WERKPLEKBOT_WEBHOOK_SECRET=from-the-dotenv-file-0123\n"
        "not a line\n",
        encoding="utf-8",
    )
    config = Config.from_env({"WERKPLEKBOT_DB": "/data/db.sqlite3"}, dotenv=dotenv)
    assert config.token == "123:abc"
    assert config.db_path == Path("/data/db.sqlite3")
    assert config.admin_ids == frozenset({1, 22})
    assert config.webhook.secret == "from-the-dotenv-file-0123"  # .env reaches the webhook too


@pytest.mark.parametrize(
    ("value", "admins"),
    [("777 778", {777, 778}), ("777,778", {777, 778}), (" 1 ,\t2  3 ", {1, 2, 3}), ("", set())],
)
def test_admin_ids_separated_by_commas_and_or_spaces(value: str, admins: set[int]) -> None:
    config = Config.from_env({"WERKPLEKBOT_ADMIN_IDS": value}, dotenv=Path("/nonexistent"))
    assert config.admin_ids == frozenset(admins)


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("WERKPLEKBOT_ADMIN_IDS", "777;778"),
        ("WERKPLEKBOT_ADMIN_IDS", "12²"),
        ("WERKPLEKBOT_ADMIN_IDS", "-3"),
        ("WERKPLEKBOT_ADMIN_IDS", "0"),
        ("WERKPLEKBOT_FLOOD_LIMIT", "²"),
        ("WERKPLEKBOT_FLOOD_LIMIT", "0"),
        ("WERKPLEKBOT_RETENTION_DAYS", "veel"),
        ("WERKPLEKBOT_WEBHOOK_PORT", "70000"),
        ("WERKPLEKBOT_WEBHOOK_SECRET", "kort"),
        ("WERKPLEKBOT_WEBHOOK_URL", "http://bot.example.org/hook"),
    ],
)
def test_a_bad_value_is_refused_naming_the_variable(name: str, value: str) -> None:
    with pytest.raises(ConfigError, match=name):
        Config.from_env({name: value}, dotenv=Path("/nonexistent"))


def test_command_line_stops_with_the_variable_named() -> None:
    result = run_cli("ask", "wat is vto", env={"WERKPLEKBOT_ADMIN_IDS": "12²"})
    assert result.returncode == 2
    assert "WERKPLEKBOT_ADMIN_IDS" in result.stderr and "Traceback" not in result.stderr


def test_webhook_flags_override_the_environment(tmp_path: Path) -> None:
    config = Config.from_env(
        {"WERKPLEKBOT_WEBHOOK_PORT": "9000", "WERKPLEKBOT_WEBHOOK_SECRET": "a" * 32},
        dotenv=tmp_path / "none",
    )
    changed = config.with_webhook(enabled=True, port=8443, listen=None)
    assert changed.webhook.enabled and changed.webhook.port == 8443
    assert changed.webhook.secret == "a" * 32 and changed.webhook.listen == "127.0.0.1"
    with pytest.raises(ConfigError, match="WERKPLEKBOT_WEBHOOK_SECRET"):
        config.with_webhook(secret="te kort")
