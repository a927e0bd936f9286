"""Configuration: the contract's variables from the environment and an optional .env."""

from pathlib import Path

from bot.config import DEFAULT_DB, REPOSITORY_KNOWLEDGE, Config


def test_defaults_without_environment(tmp_path: Path) -> None:
    config = Config.from_env({}, dotenv=tmp_path / "missing.env")
    assert config.knowledge_dir == REPOSITORY_KNOWLEDGE
    assert config.db_path == DEFAULT_DB
    assert config.token is None and config.base_url is None and config.admin_ids == frozenset()


def test_dotenv_is_read_and_environment_wins(tmp_path: Path) -> None:
    dotenv = tmp_path / ".env"
    dotenv.write_text(
        "# comment\n"
        "TELEGRAM_BOT_TOKEN='123:abc'\n"
        "export WERKPLEKBOT_DB=/tmp/x.sqlite3\n"
        "WERKPLEKBOT_ADMIN_IDS=1, 22,nope,-3\n"
        "not a line\n",
        encoding="utf-8",
    )
    config = Config.from_env({"WERKPLEKBOT_DB": "/data/db.sqlite3"}, dotenv=dotenv)
    assert config.token == "123:abc"
    assert config.db_path == Path("/data/db.sqlite3")
    assert config.admin_ids == frozenset({1, 22, -3})
