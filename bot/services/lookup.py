"""Finding the session a member named, in their own server only."""

from __future__ import annotations

import re

from bot.db.sessions_repo import SessionRow, SessionsRepo
from bot.errors import NotFound

_SESSION_REF = re.compile(r"^\s*#?(\d{1,18})\s*$")


async def resolve_session(sessions: SessionsRepo, guild_id: int, reference: str) -> SessionRow:
    """The session a member named (its number, as autocomplete gives it), in this server only.

    Raises:
        NotFound: for anything that is not a session of this server.
    """
    match = _SESSION_REF.match(reference or "")
    session = await sessions.get(int(match.group(1)), guild_id) if match is not None else None
    if session is None:
        shown = (reference or "").strip()[:40].replace("`", "'").replace("@", "@\u200b")
        raise NotFound(
            f"session: I can't find a session '{shown}' in this server. Pick one from the "
            "list as you type, or see /session list."
        )
    return session
