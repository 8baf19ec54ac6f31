"""The small view models the outbox renders from (pure).

Rendering never sees a database row and never parses stored text: the service builds these from
what the database holds, including the workout's display lines saved when it was typed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.domain.rsvp import Roster


@dataclass(frozen=True, slots=True)
class WorkoutView:
    """A workout as shown: its name and one line per block, or free text (no personal paces)."""

    text: str
    name: str | None = None
    lines: tuple[str, ...] = ()
    parsed: bool = False


@dataclass(frozen=True, slots=True)
class SessionView:
    """What a post says about a session. ``starts_at`` is aware UTC."""

    id: int
    guild_id: int
    channel_id: int
    title: str
    location: str
    starts_at: datetime
    details: str | None = None
    workout: WorkoutView | None = None
    capacity: int | None = None
    position: int = 1
    weeks: int = 1
    cancelled: bool = False
    cancel_reason: str | None = None
    announcement_message_id: int | None = None
    #: The session has started: its announcement says answers are closed, buttons disabled.
    answers_closed: bool = False
    #: Inside the check-in window: the announcement offers "I'm here".
    check_in_open: bool = True
    #: When answers close, if before the start (None: at the start).
    answers_close_at: datetime | None = None
    #: Only members with this role may answer (None: everyone).
    answer_role_id: int | None = None
    #: Given to members going until the end (None: none).
    attendee_role_id: int | None = None

    @property
    def announcement_link(self) -> str | None:
        """The link to the announcement, as Discord builds it, or None if there is none."""
        if self.announcement_message_id is None:
            return None
        return (
            f"https://discord.com/channels/{self.guild_id}/{self.channel_id}/"
            f"{self.announcement_message_id}"
        )


@dataclass(frozen=True, slots=True)
class GroupLine:
    """One published pace group as the announcement shows it: display names (with the
    threshold pace of runners who chose to show it) and its leader's name."""

    number: int
    names: tuple[str, ...]
    leader: str | None = None


@dataclass(frozen=True, slots=True)
class GroupsView:
    """A session's published pace groups, fastest first, and who is going with no profile."""

    groups: tuple[GroupLine, ...]
    no_profile: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class PostView:
    """Everything one delivery's post needs.

    Attributes:
        session: the session as it is now.
        going: ids of the members going, in the order they got their place (for pings).
        roster: everyone's answer (announcements only).
        waitlist: ids of the members waiting, first first.
        maybe: ids of the members who said maybe.
        groups: the published pace groups (announcements only), or None.
    """

    session: SessionView
    going: tuple[int, ...] = ()
    roster: Roster | None = None
    waitlist: tuple[int, ...] = ()
    maybe: tuple[int, ...] = ()
    groups: GroupsView | None = None

    @property
    def audience(self) -> tuple[int, ...]:
        """Everyone a change notice is for: going, then waitlist, then maybe."""
        return self.going + self.waitlist + self.maybe
