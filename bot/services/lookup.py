"""Finding the session a member named, in their own server only."""

from __future__ import annotations

import re

from bot.db.sessions_repo import SessionRow, SessionsRepo
from bot.errors import NotFound
from bot.services.access import Actor

_SESSION_REF = re.compile(r"^\s*#?(\d{1,18})\s*$")


async def resolve_session(
    sessions: SessionsRepo, guild_id: int, reference: str, viewer: Actor | None = None
) -> SessionRow:
    """The session a member named (its number, as autocomplete gives it), in this server only,
    and only if ``viewer`` can view its channel.

    Raises:
        NotFound: for anything that is not a session of this server the member can see (the
            same words either way, so a private channel's sessions give nothing away).
    """
    match = _SESSION_REF.match(reference or "")
    session = await sessions.get(int(match.group(1)), guild_id) if match is not None else None
    if session is not None and viewer is not None and not viewer.can_view(session.channel_id):
        session = None
    if session is None:
        shown = (reference or "").strip()[:40].replace("`", "'").replace("@", "@\u200b")
        raise NotFound(
            f"session: I can't find a session '{shown}' in this server. Pick one from the "
            "list as you type, or see /session list."
        )
    return session
