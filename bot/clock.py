"""The one place Pacer reads the time.

``discord.utils.utcnow()`` is what SimCord's virtual clock drives, so tests and the sandbox can move
time; production gets the real UTC time. Services get a :class:`Clock` passed in by the
composition root (``bot/composition.py``); nothing else in the bot may read the clock.
"""

from __future__ import annotations

import time
from datetime import datetime
from typing import Protocol

import discord


class Clock(Protocol):
    """Where services read the current instant."""

    def now(self) -> datetime:
        """The current instant as an aware UTC datetime."""
        ...


class SystemClock:
    """The bot's clock: Discord's UTC time (SimCord's virtual clock in tests and the sandbox)."""

    def now(self) -> datetime:
        return discord.utils.utcnow()


def now() -> datetime:
    """The current instant as an aware UTC datetime (for adapters that can't be handed a clock,
    like APScheduler's own time reads)."""
    return discord.utils.utcnow()


def monotonic() -> float:
    """Seconds on a clock that never jumps, for measuring how long a step took (start-up
    figures, catch-up); not an instant."""
    return time.monotonic()
