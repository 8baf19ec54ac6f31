"""The records services hand to the UI (frozen dataclasses), re-exported so the UI never
imports the database layer."""

from __future__ import annotations

from bot.db.profiles_repo import ProfileRow as ProfileRow
from bot.db.sessions_repo import SessionRow as SessionRow

__all__ = ["ProfileRow", "SessionRow"]
