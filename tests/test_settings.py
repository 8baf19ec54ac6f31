"""Settings: built in code for tests, from the environment for the real bot."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from bot.settings import DEFAULT_DATABASE_PATH, Settings, SettingsError


def test_settings_build_in_code_without_a_token(tmp_path: Path) -> None:
    settings = Settings(database_path=tmp_path / "x.db")
    assert settings.discord_token is None
    assert settings.database_path == tmp_path / "x.db"


def test_defaults() -> None:
    settings = Settings()
    assert settings.database_path == DEFAULT_DATABASE_PATH
    assert settings.default_timezone == "UTC"
    assert settings.log_level == "INFO"


def test_token_never_shows_in_repr() -> None:
    settings = Settings(discord_token="MTIzNDU2.secret-token-value")
    assert "secret-token-value" not in repr(settings)
    assert "secret-token-value" not in str(settings)


def test_from_env_reads_every_setting(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("DISCORD_TOKEN", "abc.def.ghi-token")
    monkeypatch.setenv("DATABASE_PATH", str(tmp_path / "club.db"))
    monkeypatch.setenv("DEV_GUILD_ID", "1234")
    monkeypatch.setenv("DEFAULT_TIMEZONE", "Europe/London")
    monkeypatch.setenv("LOG_LEVEL", "debug")
    settings = Settings.from_env(env_file=None)
    assert settings.discord_token is not None
    assert settings.discord_token.get_secret_value() == "abc.def.ghi-token"
    assert settings.database_path == tmp_path / "club.db"
    assert settings.dev_guild_id == 1234
    assert settings.default_timezone == "Europe/London"
    assert settings.log_level == "DEBUG"


def test_from_env_reads_a_dotenv_file(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for name in ("DISCORD_TOKEN", "DEV_GUILD_ID", "DEFAULT_TIMEZONE", "LOG_LEVEL", "DATABASE_PATH"):
        monkeypatch.delenv(name, raising=False)
    env_file = tmp_path / ".env"
    env_file.write_text("DEFAULT_TIMEZONE=Asia/Tokyo\nDISCORD_TOKEN=\nDEV_GUILD_ID=\n")
    settings = Settings.from_env(env_file=env_file)
    assert settings.default_timezone == "Asia/Tokyo"
    assert settings.discord_token is None
    assert settings.dev_guild_id is None


def test_every_bad_value_is_listed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DEV_GUILD_ID", "not-a-number")
    monkeypatch.setenv("DEFAULT_TIMEZONE", "Mars/Olympus")
    monkeypatch.setenv("LOG_LEVEL", "loud")
    with pytest.raises(SettingsError) as raised:
        Settings.from_env(env_file=None)
    problems = "\n".join(raised.value.problems)
    assert len(raised.value.problems) == 3
    assert "DEV_GUILD_ID" in problems
    assert "Mars/Olympus" in problems
    assert "LOG_LEVEL" in problems


def test_the_sandbox_database_is_read_and_blank_means_fresh(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("SANDBOX_DATABASE_PATH", str(tmp_path / "sandbox.db"))
    assert Settings.from_env(env_file=None).sandbox_database_path == tmp_path / "sandbox.db"

    monkeypatch.delenv("SANDBOX_DATABASE_PATH")
    env_file = tmp_path / ".env"
    env_file.write_text("SANDBOX_DATABASE_PATH=\n")
    assert Settings.from_env(env_file=env_file).sandbox_database_path is None


def test_shards_default_to_all_of_one() -> None:
    settings = Settings()
    assert settings.shards.count == 1
    assert settings.shards.all


def test_part_of_the_shards_needs_postgresql() -> None:
    with pytest.raises(ValidationError, match="one process serves alone"):
        Settings(shard_count=16, shard_ids="0-3")
    settings = Settings(shard_count=16, shard_ids="0-3", database_url="postgresql://h/pacer")
    assert settings.shards.ids == (0, 1, 2, 3)


def test_all_shards_of_several_are_fine_with_sqlite() -> None:
    assert Settings(shard_count=4, shard_ids="0-3").shards.all


def test_shards_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SHARD_COUNT", "8")
    monkeypatch.setenv("SHARD_IDS", "4-7")
    monkeypatch.setenv("DATABASE_URL", "postgresql://pacer@db/pacer")
    settings = Settings.from_env(env_file=None)
    assert settings.shards.ids == (4, 5, 6, 7)
    assert settings.database_url == "postgresql://pacer@db/pacer"


def test_a_database_url_that_is_not_postgresql_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", "mysql://x/y")
    with pytest.raises(SettingsError, match="DATABASE_URL: is not a PostgreSQL address"):
        Settings.from_env(env_file=None)
