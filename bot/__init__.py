"""Pacer: a Discord bot for running clubs.

Importing ``bot`` (or any pure part, like ``bot.domain.pace``) loads nothing else: the app, with
discord.py and the database, is loaded on first use of :func:`create_bot` or :class:`PacerBot`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from bot.app import PacerBot, create_bot

__all__ = ["PacerBot", "create_bot"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        from bot import app

        return getattr(app, name)
    raise AttributeError(f"module 'bot' has no attribute {name!r}")
