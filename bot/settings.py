"""Pacer's settings: built once at start-up and passed down; never read at import time.

``Settings(...)`` is a plain model, so tests build it in code without touching the environment.
``Settings.from_env()`` reads the process environment and ``.env`` (see ``.env.example``).
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    SecretStr,
    ValidationError,
    field_validator,
    model_validator,
)
from pydantic_settings import BaseSettings, SettingsConfigDict

from bot.domain.shards import MAX_SHARDS, Shards, parse_shard_ids

DEFAULT_DATABASE_PATH = Path("data/pacer.db")
_LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")


class SettingsError(Exception):
    """Settings could not be built; ``problems`` lists each bad value in words."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


#: Threads are archived a day after the end and late reactions are read back for a week: the
#: full record of a session is needed at least this long.
MIN_RETENTION_DAYS = 14


#: A valid DATABASE_URL, for error messages.
POSTGRES_EXAMPLE = "postgresql://pacer:secret@localhost:5432/pacer"


def is_postgres_url(url: str) -> bool:
    """Whether ``url`` names a PostgreSQL database (``postgresql://`` or ``postgres://``)."""
    return url.startswith(("postgresql://", "postgres://"))


class Settings(BaseModel):
    """Everything Pacer can be configured with.

    Attributes:
        discord_token: the bot token; None runs nothing but the offline sandbox and checks.
        database_path: the SQLite file (created with its folder if missing).
        database_url: ``postgresql://user:password@host:port/dbname``: use that PostgreSQL
            database instead of the SQLite file (several processes share it; see README.md,
            "Scaling out"). None (the default): the SQLite file.
        shard_count: how many Discord shards the bot runs as, over all its processes (1: no
            sharding; Discord requires it from 2,500 servers).
        shard_ids: the shards this process runs, like ``0-3`` or ``0,2,5``; None: all of
            them. Anything but all needs ``database_url``: one SQLite file serves one process.
        dev_guild_id: a server to sync slash commands to at start-up, for development.
        default_timezone: IANA zone for servers that have not picked one with /setup timezone.
        log_level: DEBUG, INFO, WARNING, ERROR or CRITICAL.
        sync_commands_on_start: sync commands globally at start-up. Only for simulated Discord
            (tests, the sandbox): against real Discord use ``python -m bot sync``.
        coalesce_announcement_edits: at most one announcement edit per message per 5 s. Off
            only to measure what coalescing saves (bench/); never in production.
        sandbox_database_path: where the offline sandbox keeps its data between starts; None
            (the default) starts it fresh every time. Never the same file as ``database_path``.
        http_port: where Pacer's HTTP server (calendar feeds) listens; None (the default) runs
            none. 0 picks a free port (tests).
        http_host: the address it listens on; 127.0.0.1 unless a proxy on another host needs
            it.
        public_url: the address members' calendars reach the server at, like
            ``https://pacer.example.org``; defaults to ``http://<http_host>:<http_port>``.
        retention_days: how long after its start a session keeps its full record (every
            answer and its history, the reactions seen, the log of what was posted); after
            that a daily job keeps only who was going (a compact list), the attendance marks
            and the session itself. At least 14; 0 keeps everything forever.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    discord_token: SecretStr | None = None
    database_path: Path = DEFAULT_DATABASE_PATH
    database_url: str | None = None
    shard_count: int = Field(default=1, ge=1, le=MAX_SHARDS)
    shard_ids: str | None = None
    dev_guild_id: int | None = Field(default=None, gt=0)
    default_timezone: str = "UTC"
    log_level: str = "INFO"
    sync_commands_on_start: bool = False
    coalesce_announcement_edits: bool = True
    sandbox_database_path: Path | None = None
    http_port: int | None = Field(default=None, ge=0, le=65535)
    http_host: str = "127.0.0.1"
    public_url: str | None = None
    retention_days: int = Field(default=90, ge=0, le=36_500)

    @field_validator("retention_days")
    @classmethod
    def _long_enough(cls, value: int) -> int:
        if 0 < value < MIN_RETENTION_DAYS:
            raise ValueError(
                f"{value} days is too short: keep finished sessions at least"
                f" {MIN_RETENTION_DAYS} days (like 90), or 0 to keep them forever"
            )
        return value

    @field_validator("public_url")
    @classmethod
    def _web_address(cls, value: str | None) -> str | None:
        if value is not None and not value.startswith(("http://", "https://")):
            raise ValueError(f"'{value}' is not a web address; use one like https://pacer.example")
        return value

    @field_validator("database_url")
    @classmethod
    def _postgres_address(cls, value: str | None) -> str | None:
        if value is not None and not is_postgres_url(value):
            raise ValueError(
                f"is not a PostgreSQL address; use one like {POSTGRES_EXAMPLE} "
                "(or leave it unset for SQLite)"
            )
        return value

    @model_validator(mode="after")
    def _shards_fit_the_store(self) -> Settings:
        shards = self.shards  # raises ShardError (a ValueError) for a bad SHARD_IDS
        if not shards.all and not self.database_url:
            raise ValueError(
                f"SHARD_IDS={self.shard_ids} runs only {shards.describe()}, but without "
                "DATABASE_URL Pacer uses a SQLite file, which one process serves alone: set "
                "DATABASE_URL=postgresql://... to split shards between processes, or unset "
                "SHARD_IDS"
            )
        if not shards.all and self.http_port is not None and self.public_url is None:
            # Feeds are served by shard 0's process only; links made in the others must
            # point there, not at this machine.
            raise ValueError(
                f"HTTP_PORT={self.http_port} with SHARD_IDS={self.shard_ids}: calendar feeds are "
                "served by the process that owns shard 0 only, so every process needs "
                "PUBLIC_URL set to where that one is reached, like "
                "PUBLIC_URL=https://pacer.example.org"
            )
        return self

    @property
    def shards(self) -> Shards:
        """The shards this process owns.

        Raises:
            ShardError: SHARD_IDS names a shard outside SHARD_COUNT, or is malformed.
        """
        if self.shard_ids is None or not self.shard_ids.strip():
            return Shards(self.shard_count, tuple(range(self.shard_count)))
        return Shards(self.shard_count, parse_shard_ids(self.shard_ids, self.shard_count))

    @field_validator("discord_token", mode="before")
    @classmethod
    def _blank_token_is_none(cls, value: Any) -> Any:
        if isinstance(value, str) and not value.strip():
            return None
        return value

    @field_validator("default_timezone")
    @classmethod
    def _known_timezone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(
                f"'{value}' is not an IANA time zone; use one like Europe/London or "
                "America/New_York"
            ) from None
        return value

    @field_validator("log_level")
    @classmethod
    def _known_level(cls, value: str) -> str:
        upper = value.strip().upper()
        if upper not in _LOG_LEVELS:
            raise ValueError(f"'{value}' is not a log level; use one of {', '.join(_LOG_LEVELS)}")
        return upper

    @property
    def log_level_number(self) -> int:
        """The level as the ``logging`` module's number."""
        return int(logging.getLevelName(self.log_level))

    @classmethod
    def from_env(cls, env_file: str | Path | None = ".env") -> Settings:
        """Build settings from the environment and ``env_file``.

        Raises:
            SettingsError: listing every invalid value.
        """
        try:
            loaded = _EnvSettings(_env_file=env_file)  # type: ignore[call-arg]
            values = {k: v for k, v in loaded.model_dump().items() if v is not None}
            return cls(**values)
        except ValidationError as exc:
            raise SettingsError(describe_validation_error(exc)) from None


class _EnvSettings(BaseSettings):
    model_config = SettingsConfigDict(env_file_encoding="utf-8", extra="ignore")

    discord_token: str | None = None
    database_path: str | None = None
    database_url: str | None = None
    shard_count: str | None = None
    shard_ids: str | None = None
    dev_guild_id: str | None = None
    default_timezone: str | None = None
    log_level: str | None = None
    sandbox_database_path: str | None = None
    http_port: str | None = None
    http_host: str | None = None
    public_url: str | None = None
    retention_days: str | None = None

    # `KEY=` with nothing after it (a line of .env.example emptied) means "use the default",
    # as .env.example promises every line is optional.
    @field_validator(
        "database_path",
        "database_url",
        "shard_count",
        "shard_ids",
        "dev_guild_id",
        "default_timezone",
        "log_level",
        "sandbox_database_path",
        "http_port",
        "http_host",
        "public_url",
        "retention_days",
        mode="before",
    )
    @classmethod
    def _blank_is_none(cls, value: Any) -> Any:
        return None if isinstance(value, str) and not value.strip() else value


#: A valid value of each setting pydantic checks by type or bounds alone: its own messages
#: ("Input should be a valid integer") don't show one.
_EXAMPLES = {
    "DEV_GUILD_ID": "a server's id, like 123456789012345678",
    "HTTP_PORT": "a port from 0 to 65535, like 8080",
    "RETENTION_DAYS": (
        f"whole days from {MIN_RETENTION_DAYS} to 36500, like 90, or 0 to keep them forever"
    ),
}


def describe_validation_error(exc: ValidationError) -> list[str]:
    """Turn pydantic's report into one line per bad setting, without echoing secrets; a
    message of pydantic's own is followed by a valid example of the setting."""
    problems = []
    for error in exc.errors():
        name = ".".join(str(part) for part in error["loc"]).upper() or "settings"
        message = str(error["msg"]).removeprefix("Value error, ")
        if "TOKEN" in name:
            message = "is not a valid token"
        elif error["type"] != "value_error" and name in _EXAMPLES:
            message = f"{message}; use {_EXAMPLES[name]}"
        problems.append(f"{name}: {message}")
    return problems
