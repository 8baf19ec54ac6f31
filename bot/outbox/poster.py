"""The narrow interface the publisher acts on Discord through, and the failures it reports.

The publisher knows nothing of discord.py: it sends, edits, finds and reacts through a
:class:`Poster`, and reads outcomes as the exceptions below. Scheduled events, threads and roles
join as more methods here (``create_event`` and the rest of :class:`EventPoster`; threads and
roles would follow) reporting the same failures, so retry, back-off and "shown to organizers"
work for them unchanged.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from bot.outbox.render import Post


@dataclass(frozen=True, slots=True)
class Target:
    """Where a post goes: a channel, or a member's DMs (``user_id``)."""

    channel_id: int | None = None
    user_id: int | None = None


@dataclass(frozen=True, slots=True)
class Posted:
    """A message Discord holds."""

    channel_id: int
    message_id: int


class DeliveryError(Exception):
    """A post or edit that did not happen; the text says why (safe to show organizers)."""


class Refused(DeliveryError):
    """Missing permission (403): retried with back-off and whenever organizers change setup."""


class Gone(DeliveryError):
    """The channel or message no longer exists (404)."""


class DmClosed(DeliveryError):
    """The member doesn't accept DMs from the bot (403 50007) or left."""


class Transient(DeliveryError):
    """A server error or a network fault: retried with back-off."""


class Full(DeliveryError):
    """Discord's limit is reached (100 scheduled or active events per server): retried with
    back-off, so the session gets its event once a nearer one is over."""


@dataclass(frozen=True, slots=True)
class EventDraft:
    """What a session's Discord scheduled event shows (an external event: a place, not a
    voice channel). ``name`` and ``location`` up to 100 characters, ``description`` up to
    1,000 (Discord's limits); times aware UTC."""

    name: str
    location: str
    starts_at: datetime
    ends_at: datetime
    description: str


@dataclass(frozen=True, slots=True)
class EventSeen:
    """A scheduled event the server has now. ``status``: scheduled, active, completed or
    cancelled; ``ours``: created by the bot."""

    id: int
    starts_at: datetime
    status: str
    ours: bool
    description: str


class EventPoster(Protocol):
    """What the outbox needs to mirror sessions in Discord's Events list. Every method raises
    only :class:`DeliveryError` (``Refused`` for a missing Manage Events)."""

    async def can_manage_events(self, guild_id: int) -> bool:
        """Whether the bot holds Manage Events in the server now."""

    async def everyone_can_view(self, channel_id: int) -> bool:
        """Whether every member (the @everyone role) can view the channel."""

    async def events(self, guild_id: int) -> list[EventSeen]:
        """The server's scheduled events now, every creator's."""

    async def create_event(self, guild_id: int, draft: EventDraft) -> int:
        """Create an external event; returns its id."""

    async def update_event(
        self, guild_id: int, event_id: int, draft: EventDraft | None, status: str | None
    ) -> None:
        """Redraw the event (``draft``) and/or move it to ``status`` (active, completed,
        cancelled)."""

    async def delete_event(self, guild_id: int, event_id: int) -> None:
        """Delete the event; one already gone is fine."""


class ThreadPoster(Protocol):
    """What the outbox needs for a thread per session. Every method raises only
    :class:`DeliveryError`."""

    async def thread_exists(self, thread_id: int) -> bool:
        """Whether the thread is there (archived or not)."""

    async def open_thread(self, channel_id: int, message_id: int, name: str) -> int:
        """Start a public thread on the message; returns its id (the message's)."""

    async def add_to_thread(self, thread_id: int, user_ids: list[int]) -> None:
        """Add members to the thread (best effort: one who can't be added is skipped)."""

    async def archive_thread(self, thread_id: int) -> None:
        """Archive the thread; one already gone is fine."""


class RolePoster(Protocol):
    """What the outbox needs for attendee roles. Raises only :class:`DeliveryError`
    (``Refused`` without Manage Roles or for a role above Pacer's, ``Gone`` for a deleted
    role); a member who left is no failure."""

    async def set_role(self, guild_id: int, user_id: int, role_id: int, *, give: bool) -> None:
        """Give (or take) the role; giving one held, or taking one not held, is fine."""


class Poster(EventPoster, ThreadPoster, RolePoster, Protocol):
    """What the publisher needs from Discord. Every method raises only :class:`DeliveryError`."""

    async def wait_ready(self) -> None:
        """Return once the connection can post."""

    async def send(self, target: Target, post: Post, nonce: str) -> Posted:
        """Post ``post``; ``nonce`` lets Discord drop a retry it has already seen."""

    async def edit(self, posted: Posted, post: Post) -> None:
        """Redraw a message the bot posted (never pings)."""

    async def find(
        self, target: Target, fingerprint: str, since: datetime, skip: Iterable[int]
    ) -> Posted | None:
        """The bot's own message in ``target`` posted at or after ``since`` whose
        :attr:`Post.fingerprint` is ``fingerprint``, leaving out message ids in ``skip``."""

    async def delete(self, posted: Posted) -> None:
        """Delete a message the bot posted; one already gone is fine."""

    async def react(self, posted: Posted, emojis: Iterable[str]) -> None:
        """Add the bot's own reactions (best effort)."""

    async def reactions(self, posted: Posted, emojis: Iterable[str]) -> dict[str, dict[int, str]]:
        """Who (id -> display name) reacts with each of ``emojis`` now, bots left out."""
