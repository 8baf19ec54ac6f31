"""The one place Pacer reads the time.

``discord.utils.utcnow()`` is what SimCord's virtual clock drives, so tests and the sandbox can move
time; production gets the real UTC time. Nothing else in the bot may read the clock.
"""

from __future__ import annotations

from datetime import datetime

import discord


def now() -> datetime:
    """The current instant as an aware UTC datetime."""
    return discord.utils.utcnow()
