"""Calendar feeds: a server's sessions, and a member's own, as iCalendar over HTTP.

A feed is reached by an unguessable token in its URL (``/calendar/<token>.ics``); a server's
token is replaced with ``/setup calendar-feed reset:True``, so a leaked link can be revoked.
The server feed holds sessions of channels every member can see (asked of Discord through
``public_channels``, which the composition root provides); a member's feed holds the sessions
they are going to or waiting for. Both keep recent past sessions for a while and list cancelled
ones as cancelled, so subscribed calendars follow every edit and cancel.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import TYPE_CHECKING

from bot.db.feeds_repo import SERVER_FEED, FeedsRepo
from bot.db.rsvps_repo import RsvpsRepo
from bot.db.sessions_repo import SessionRow, SessionsRepo
from bot.domain.rsvp import State
from bot.errors import InvalidInput
from bot.services.access import Actor, require_manager
from bot.services.calendar import CalendarEvent, feed_ics

if TYPE_CHECKING:
    from bot.clock import Clock

#: ``(guild_id, user_id, channel_ids)`` -> those of the channels the member can view now (an
#: empty set when they left the server), or None when it could not be checked.
Viewable = Callable[[int, int, list[int]], Awaitable[frozenset[int] | None]]
#: ``(guild_id, channel_ids)`` -> those of the channels every member of the server can view.
PublicChannels = Callable[[int, list[int]], Awaitable[frozenset[int]]]

#: The shape of a token :func:`secrets.token_urlsafe` makes (URL-safe base64).
_TOKEN = re.compile(r"[A-Za-z0-9_-]{16,64}")
#: How far back a feed keeps past sessions (calendar apps drop what leaves a feed).
KEEP_PAST = timedelta(days=30)
#: Most sessions in one feed (a year of a busy club's weekly sessions and more).
MAX_FEED_SESSIONS = 2000
FEED_OFF = (
    "Calendar feeds aren't enabled on this Pacer: whoever runs it sets HTTP_PORT and "
    "PUBLIC_URL. Meanwhile, use the Add to calendar button on an announcement."
)


class FeedService:
    def __init__(
        self,
        feeds: FeedsRepo,
        sessions: SessionsRepo,
        rsvps: RsvpsRepo,
        *,
        clock: Clock,
        base_url: str | None,
        public_channels: PublicChannels | None = None,
        viewable: Viewable | None = None,
    ) -> None:
        """``base_url``: where the feeds are served (``https://pacer.example``), None when the
        HTTP server is off; ``public_channels``: which channels every member can see (set once
        Discord is connected; until then no channel counts as public); ``viewable``: which
        channels a member can view now (set with ``public_channels``), so a member's own feed drops
        the sessions of a channel they lost access to."""
        self._feeds = feeds
        self._sessions = sessions
        self._rsvps = rsvps
        self._clock = clock
        self.base_url = base_url
        self.public_channels = public_channels
        self.viewable = viewable

    def _url(self, token: str) -> str:
        if self.base_url is None:
            raise InvalidInput(FEED_OFF)
        return f"{self.base_url.rstrip('/')}/calendar/{token}.ics"

    async def links(self, actor: Actor, guild_id: int) -> tuple[str, str]:
        """The server's feed URL and the member's own, made on first use.

        Raises:
            InvalidInput: the feeds are not enabled on this Pacer.
        """
        if self.base_url is None:
            raise InvalidInput(FEED_OFF)
        server = await self._token(guild_id, SERVER_FEED)
        mine = await self._token(guild_id, actor.user_id)
        return self._url(server), self._url(mine)

    async def reset(self, actor: Actor, guild_id: int) -> str:
        """Replace the server feed's token; the old link stops working at once.

        Raises:
            NotAllowed: unless the member can manage the server.
            InvalidInput: the feeds are not enabled on this Pacer.
        """
        require_manager(actor)
        if self.base_url is None:
            raise InvalidInput(FEED_OFF)
        token = secrets.token_urlsafe(24)
        await self._feeds.set_token(guild_id, SERVER_FEED, token, self._clock.now())
        return self._url(token)

    async def server_link(self, actor: Actor, guild_id: int) -> str:
        """The server feed's URL, for managers (``/setup calendar-feed``)."""
        require_manager(actor)
        if self.base_url is None:
            raise InvalidInput(FEED_OFF)
        return self._url(await self._token(guild_id, SERVER_FEED))

    async def _token(self, guild_id: int, user_id: int) -> str:
        token = await self._feeds.token(guild_id, user_id)
        if token is None:
            token = secrets.token_urlsafe(24)
            await self._feeds.set_token(guild_id, user_id, token, self._clock.now())
        return token

    async def feed(self, token: str) -> bytes | None:
        """The calendar a token opens, or None for an unknown (or revoked) token."""
        if _TOKEN.fullmatch(token) is None:  # not one Pacer makes: unknown, without a lookup
            return None
        owner = await self._feeds.owner(token)
        if owner is None:
            return None
        guild_id, user_id = owner
        now = self._clock.now()
        sessions = await self._sessions.upcoming(
            guild_id, now - KEEP_PAST, limit=MAX_FEED_SESSIONS, include_cancelled=True
        )
        if user_id == SERVER_FEED:
            public = await self._public(guild_id, sorted({s.channel_id for s in sessions}))
            chosen = [s for s in sessions if s.channel_id in public]
            name = "Pacer sessions"
        else:
            states = await self._rsvps.states_for_user(user_id, [s.id for s in sessions])
            chosen = [s for s in sessions if states.get(s.id) in (State.GOING, State.WAITLIST)]
            chosen = await self._still_visible(guild_id, user_id, chosen)
            name = "My Pacer sessions"
        return feed_ics([_event(s) for s in chosen], now, name)

    async def _still_visible(
        self, guild_id: int, user_id: int, sessions: list[SessionRow]
    ) -> list[SessionRow]:
        """The member's sessions whose channel they can still view, checked on every read (a
        member who lost access to a private channel, or left, no longer gets its sessions).
        When that can't be checked now, only channels every member sees are kept."""
        channel_ids = sorted({s.channel_id for s in sessions})
        allowed = None
        if self.viewable is not None and channel_ids:
            allowed = await self.viewable(guild_id, user_id, channel_ids)
        if allowed is None:
            allowed = await self._public(guild_id, channel_ids)
        return [s for s in sessions if s.channel_id in allowed]

    async def _public(self, guild_id: int, channel_ids: list[int]) -> frozenset[int]:
        if self.public_channels is None or not channel_ids:
            return frozenset()
        return await self.public_channels(guild_id, channel_ids)


def _event(session: SessionRow) -> CalendarEvent:
    description = "\n\n".join(part for part in (session.workout, session.details) if part)
    url = (
        None
        if session.announcement_message_id is None
        else f"https://discord.com/channels/{session.guild_id}/{session.channel_id}/"
        f"{session.announcement_message_id}"
    )
    return CalendarEvent(
        uid=f"pacer-session-{session.id}@pacer",
        title=session.title,
        starts_at=session.starts_at,
        duration_minutes=session.duration_s // 60,
        timezone=session.timezone,
        location=session.location,
        description=description,
        url=url,
        cancelled=session.cancelled,
        sequence=session.version,
    )
