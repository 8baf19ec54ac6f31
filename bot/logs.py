"""Logging set-up: discord.py's formatter plus a filter that keeps secrets out of every record,
and the sandbox's filter that hides lines meant for developers of a real-Discord bot."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from contextlib import contextmanager

import discord

REDACTED = "[redacted]"
_installed: list[logging.Handler] = []


class RedactSecrets(logging.Filter):
    """Replace any secret that would appear in a formatted record (message or traceback)."""

    def __init__(self, secrets: Iterable[str]) -> None:
        super().__init__()
        self._secrets = tuple(s for s in secrets if s and len(s) >= 8)

    def filter(self, record: logging.LogRecord) -> bool:
        if not self._secrets:
            return True
        message = record.getMessage()
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        cleaned = self._scrub(message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        if record.exc_text:
            record.exc_text = self._scrub(record.exc_text)
        return True

    def _scrub(self, text: str) -> str:
        for secret in self._secrets:
            text = text.replace(secret, REDACTED)
        return text


def setup_logging(level: int, secrets: Iterable[str] = ()) -> None:
    """Log to stderr with discord.py's format; scrub ``secrets`` from every record.

    Calling it again replaces the handler it installed before (no duplicate lines).
    """
    remove_logging()
    handler = logging.StreamHandler()
    handler.addFilter(RedactSecrets(secrets))
    discord.utils.setup_logging(handler=handler, level=level, root=True)
    _installed.append(handler)
    # APScheduler logs every job run at INFO; Pacer logs what each post did instead.
    logging.getLogger("apscheduler").setLevel(max(level, logging.WARNING))


def remove_logging() -> None:
    """Take out the handler :func:`setup_logging` installed (tests that call ``main`` twice)."""
    root = logging.getLogger()
    for handler in _installed:
        root.removeHandler(handler)
    _installed.clear()


#: Start-up lines that speak to a developer connecting to real Discord. In the sandbox they are
#: false alarms (SimCord builds a probe client with no intents and no voice) or suggest Discord was
#: contacted. Keyed by logger name; each entry is the start of the record's message template.
SANDBOX_NOISE: dict[str, tuple[str, ...]] = {
    "discord.state": ("Guilds intent seems to be disabled",),
    "discord.client": (
        "PyNaCl is not installed",
        "davey is not installed",
        "logging in using static token",
    ),
    "bot.app": ("Synced ", "Ready in "),
    "cogs.rsvp": ("Reaction catch-up",),
    "bot.db.database": ("Applied database migration",),
}


class DropMessages(logging.Filter):
    """Drop records whose message template starts with one of ``prefixes``; pass the rest."""

    def __init__(self, prefixes: Iterable[str]) -> None:
        super().__init__()
        self._prefixes = tuple(prefixes)

    def filter(self, record: logging.LogRecord) -> bool:
        return not str(record.msg).startswith(self._prefixes)


#: ``check`` and ``doctor`` migrate a scratch database of their own; saying so would read as if
#: the club's database had been migrated.
SCRATCH_NOISE: dict[str, tuple[str, ...]] = {
    "bot.db.database": ("Applied database migration",),
}


@contextmanager
def quiet_sandbox_logs() -> Iterator[None]:
    """While inside, drop the :data:`SANDBOX_NOISE` lines; every other record (any real warning
    or error) still shows. The filters sit on the emitting loggers, so they work whatever handler
    is installed, and they are removed on exit: ``run`` keeps its logs."""
    with dropping(SANDBOX_NOISE):
        yield


@contextmanager
def dropping(noise: dict[str, tuple[str, ...]]) -> Iterator[None]:
    """While inside, drop records of each named logger whose message template starts with one of
    its prefixes; every other record still shows."""
    installed = []
    for name, prefixes in noise.items():
        logger = logging.getLogger(name)
        drop = DropMessages(prefixes)
        logger.addFilter(drop)
        installed.append((logger, drop))
    try:
        yield
    finally:
        for logger, drop in installed:
            logger.removeFilter(drop)
