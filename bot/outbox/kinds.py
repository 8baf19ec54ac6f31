"""The one declaration of what the outbox delivers: kinds, typed payloads, statuses and rules.

Pure: no discord, no database, no clock (``now`` is always a parameter). The database stores a
kind's name and its payload as JSON; nothing else spells the kinds. To add a kind: declare its
payload and :class:`KindSpec` here, and its rendering in :mod:`bot.outbox.render`.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, fields
from datetime import datetime
from enum import StrEnum
from typing import Any, ClassVar


class Kind(StrEnum):
    """What an outbox row does (stored by value; validated here, not by the schema)."""

    ANNOUNCEMENT = "announcement"
    REMINDER = "reminder"
    TIME_CHANGE = "time_change"
    CANCEL_NOTICE = "cancel_notice"
    PROMOTION = "promotion"
    #: The rest of a notice's mentions when they don't fit in one message.
    MENTIONS = "mentions"
    #: Not posted: the record that redrawing an announcement kept failing (see the editor).
    ANNOUNCEMENT_EDIT = "announcement_edit"
    #: Not a message: bring the session's Discord scheduled event in step with the session.
    DISCORD_EVENT = "discord_event"
    #: Not a message: open the session's thread on its announcement, or archive it.
    THREAD = "thread"
    #: Not posted: at the start, the announcement is redrawn with answers closed.
    CLOSE = "close"
    #: Not posted: the check-in window opens or closes, so the announcement is redrawn with
    #: its "I'm here" button shown or taken away.
    CHECK_IN = "check_in"
    #: By DM only: a member going to a session with published pace groups has no profile.
    PROFILE_NOTE = "profile_note"
    #: Not a message: give or take a session's attendee role so it matches who is going.
    ATTENDEE_ROLE = "attendee_role"
    #: A reminder by DM to one member going who asked for them (/profile reminders).
    REMINDER_DM = "reminder_dm"


class Status(StrEnum):
    """Where a row stands (stored by value; validated here, not by the schema)."""

    PENDING = "pending"  # waiting for due_at
    CLAIMED = "claimed"  # a sender has it; lease_until says when it is presumed dead
    RETRYING = "retrying"  # failed, tried again at due_at; shown to organizers meanwhile
    SENT = "sent"
    SKIPPED = "skipped"  # by a stated rule (cancelled, started, superseded reminder, stale)
    SUPERSEDED = "superseded"  # replaced by a newer plan before it fell due
    FAILED = "failed"  # given up; shown to organizers, who can retry it


#: Rows that fall due by time.
OPEN_STATUSES = (Status.PENDING, Status.RETRYING)
#: Rows organizers are told about while their session is still ahead.
PROBLEM_STATUSES = (Status.FAILED, Status.RETRYING)


class Late(StrEnum):
    """Why a delivery that fell due is skipped instead of sent (stored as the row's reason)."""

    CANCELLED = "session cancelled"
    STARTED = "session already started"
    SUPERSEDED = "superseded by a later reminder"
    MEMBER_CHANGED = "the member is no longer going"
    TIME_CHANGED_AGAIN = "superseded by a later time change"
    NOBODY_TO_TELL = "never announced and nobody answered"
    NO_ANNOUNCEMENT = "no announcement to close"
    START_MOVED = "superseded: the start moved"


# -- payloads -------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Announcement:
    """``replaces``: the message of an announcement being reposted (deleted just before this is
    posted; a failed delete fails the row, which is retried)."""

    kind: ClassVar[Kind] = Kind.ANNOUNCEMENT
    replaces: int | None = None


@dataclass(frozen=True, slots=True)
class Reminder:
    """``offset_s``: the lead time before the start, in seconds."""

    kind: ClassVar[Kind] = Kind.REMINDER
    offset_s: int


@dataclass(frozen=True, slots=True)
class TimeChange:
    """The start members last heard of, and the start this notice announces (aware UTC).

    ``new_starts_at`` is None only for rows written before it was recorded.
    """

    kind: ClassVar[Kind] = Kind.TIME_CHANGE
    old_starts_at: datetime
    new_starts_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class CancelNotice:
    kind: ClassVar[Kind] = Kind.CANCEL_NOTICE
    reason: str | None = None


@dataclass(frozen=True, slots=True)
class Promotion:
    """The member moved up from the waitlist."""

    kind: ClassVar[Kind] = Kind.PROMOTION
    user_id: int


@dataclass(frozen=True, slots=True)
class Mentions:
    """Members a notice is for who did not fit in its first message (``part`` from 2)."""

    kind: ClassVar[Kind] = Kind.MENTIONS
    user_ids: tuple[int, ...]
    part: int = 2


@dataclass(frozen=True, slots=True)
class AnnouncementEdit:
    kind: ClassVar[Kind] = Kind.ANNOUNCEMENT_EDIT


@dataclass(frozen=True, slots=True)
class DiscordEvent:
    """Make the session's Discord scheduled event match it now: created once announced,
    updated on an edit, cancelled with it, active from its start and completed after its end
    (see :mod:`bot.outbox.events`)."""

    kind: ClassVar[Kind] = Kind.DISCORD_EVENT


@dataclass(frozen=True, slots=True)
class ThreadStep:
    """``action``: "open" (on the announcement, members going added), "add" (``user_id``,
    who answered going once it was open) or "archive" (a day after the end); see
    :mod:`bot.outbox.threads`."""

    kind: ClassVar[Kind] = Kind.THREAD
    action: str = "open"
    user_id: int | None = None


@dataclass(frozen=True, slots=True)
class Close:
    """Answers close at the session's start: its announcement is redrawn closed.

    ``starts_at``: the start it closes at (aware UTC); a row left behind by a moved start is
    stale.
    """

    kind: ClassVar[Kind] = Kind.CLOSE
    starts_at: datetime


@dataclass(frozen=True, slots=True)
class CheckIn:
    """The check-in window's ``edge`` ("open" or "close") as planned, at ``at`` (aware UTC).
    Doing it redraws the announcement, which shows "I'm here" only inside the window as it is
    when drawn, so a row left behind by a moved start or window only redraws it again."""

    kind: ClassVar[Kind] = Kind.CHECK_IN
    edge: str
    at: datetime


@dataclass(frozen=True, slots=True)
class ProfileNote:
    """Tell the member, once per server, how to add a profile to be placed in a pace group."""

    kind: ClassVar[Kind] = Kind.PROFILE_NOTE
    user_id: int


@dataclass(frozen=True, slots=True)
class AttendeeRole:
    """Make ``role_id`` match, for ``user_id`` (None: every member going to the session), what
    the sessions say now: held while the member is going to a session with that attendee role
    that has not ended (see :mod:`bot.outbox.roles`). Idempotent, so doing it again is safe."""

    kind: ClassVar[Kind] = Kind.ATTENDEE_ROLE
    role_id: int
    user_id: int | None = None


@dataclass(frozen=True, slots=True)
class ReminderDm:
    """The reminder at ``offset_s`` before the start, by DM to ``user_id`` (written when the
    channel's reminder is recorded). Closed DMs skip it, never retried."""

    kind: ClassVar[Kind] = Kind.REMINDER_DM
    user_id: int
    offset_s: int = 0


Payload = (
    Announcement
    | Reminder
    | TimeChange
    | CancelNotice
    | Promotion
    | Mentions
    | AnnouncementEdit
    | DiscordEvent
    | ThreadStep
    | Close
    | CheckIn
    | ProfileNote
    | AttendeeRole
    | ReminderDm
)

#: Posts that go to the session's thread once it has one (the announcement stays in the
#: channel).
IN_THREAD = (Kind.REMINDER, Kind.TIME_CHANGE, Kind.CANCEL_NOTICE, Kind.MENTIONS, Kind.PROMOTION)


# -- what the rules read --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Current:
    """The state a due row is checked against when it is about to go out.

    Attributes:
        starts_at: the session's start now (aware UTC).
        cancelled: whether the session is cancelled now.
        member_state: for member notices, that member's RSVP state now ("going", "waitlist",
            "maybe", "no") or None when they have no answer.
        later_reminder_due: a reminder with a shorter lead for the same session is due too.
        announced: an announcement of the session was ever posted (even if since deleted).
        audience: how many members answered going, maybe or waitlist.
    """

    starts_at: datetime
    cancelled: bool
    member_state: str | None = None
    later_reminder_due: bool = False
    announced: bool = True
    audience: int = 0


@dataclass(frozen=True, slots=True)
class Decision:
    """Whether to post a due delivery; ``reason`` (a :class:`Late`) says why not."""

    send: bool
    reason: str | None


def _never_stale(payload: Any, current: Current) -> str | None:
    return None


def _promotion_stale(payload: Any, current: Current) -> str | None:
    return None if current.member_state == "going" else Late.MEMBER_CHANGED


def _time_change_stale(payload: Any, current: Current) -> str | None:
    new = payload.new_starts_at
    return Late.TIME_CHANGED_AGAIN if new is not None and new != current.starts_at else None


def _close_stale(payload: Any, current: Current) -> str | None:
    if payload.starts_at != current.starts_at:
        return Late.START_MOVED
    return None if current.announced else Late.NO_ANNOUNCEMENT


@dataclass(frozen=True, slots=True)
class KindSpec:
    """Per-kind rules.

    Attributes:
        payload: the payload dataclass.
        posts: False for bookkeeping rows that are never sent (announcement edits).
        survives_cancel: still sent when the session is cancelled (the cancel notice itself).
        one_of_several: of several rows of this kind due at once for a session, only the one
            with the shortest lead goes out (reminders after downtime).
        replaces_pending: a new row of this kind closes the session's pending ones (two quick
            time changes: only the latest is told).
        dm_first: sent by DM to the payload's member, in the channel if their DMs are closed.
        dm_only: with ``dm_first``, never in the channel: skipped when their DMs are closed,
            never retried (a private note or a personal reminder has no place in public; a
            closed DM for a reminder also turns the member's DM reminders off).
        shows_roster: drawn with everyone's answers (the announcement).
        pings_members: mentions members who answered; those who left the server are checked
            for first and neither pinged nor kept on the roster.
        tells_audience: a change notice for everyone who answered going, maybe or waitlist;
            skipped only when nobody can have heard of the session (never announced, no
            answers).
        stale: the reason the row no longer matches the current state, or None. A payload with
            a ``user_id`` is checked with that member's current RSVP state.
        after_start: still done once the session has started (a Discord event is completed
            after the end).
        mirrors_event: not a message: it acts on the session's Discord scheduled event.
        on_thread: not a message: it opens or archives the session's thread.
        at_start: due at the start and meant for it, so exempt from "session already started"
            (closing answers: the one deliberate exception). Not posted: it redraws the
            announcement.
        redraws: not posted: doing it redraws the announcement (closing answers, the
            check-in window's edges).
        on_roles: not a message: it gives or takes members' attendee role.
        after_announcement: never goes out before the session's announcement (a reminder points
            to it): held while the announcement is still to go out.
    """

    payload: type[Any]
    posts: bool = True
    survives_cancel: bool = False
    one_of_several: bool = False
    replaces_pending: bool = False
    dm_first: bool = False
    dm_only: bool = False
    shows_roster: bool = False
    pings_members: bool = False
    tells_audience: bool = False
    stale: Callable[[Any, Current], str | None] = _never_stale
    after_start: bool = False
    mirrors_event: bool = False
    on_thread: bool = False
    at_start: bool = False
    redraws: bool = False
    on_roles: bool = False
    after_announcement: bool = False

    @property
    def not_a_message(self) -> bool:
        """Acts on Discord itself (an event, a thread, roles), which its keeper looks up before
        acting, rather than posting a message."""
        return self.mirrors_event or self.on_thread or self.on_roles


KINDS: Mapping[Kind, KindSpec] = {
    Kind.ANNOUNCEMENT: KindSpec(Announcement, shows_roster=True),
    Kind.REMINDER: KindSpec(
        Reminder, one_of_several=True, pings_members=True, after_announcement=True
    ),
    Kind.TIME_CHANGE: KindSpec(
        TimeChange,
        replaces_pending=True,
        tells_audience=True,
        pings_members=True,
        stale=_time_change_stale,
    ),
    Kind.CANCEL_NOTICE: KindSpec(
        CancelNotice, survives_cancel=True, tells_audience=True, pings_members=True
    ),
    Kind.MENTIONS: KindSpec(Mentions, survives_cancel=True),
    Kind.PROMOTION: KindSpec(Promotion, dm_first=True, stale=_promotion_stale),
    Kind.ANNOUNCEMENT_EDIT: KindSpec(AnnouncementEdit, posts=False),
    Kind.DISCORD_EVENT: KindSpec(
        DiscordEvent, survives_cancel=True, after_start=True, mirrors_event=True
    ),
    Kind.THREAD: KindSpec(ThreadStep, survives_cancel=True, after_start=True, on_thread=True),
    Kind.CLOSE: KindSpec(Close, posts=False, at_start=True, redraws=True, stale=_close_stale),
    Kind.CHECK_IN: KindSpec(CheckIn, posts=False, after_start=True, redraws=True),
    Kind.PROFILE_NOTE: KindSpec(ProfileNote, dm_first=True, dm_only=True, stale=_promotion_stale),
    Kind.REMINDER_DM: KindSpec(ReminderDm, dm_first=True, dm_only=True, stale=_promotion_stale),
    Kind.ATTENDEE_ROLE: KindSpec(
        AttendeeRole, survives_cancel=True, after_start=True, on_roles=True
    ),
}


def spec(kind: str) -> KindSpec:
    """The rules of ``kind``.

    Raises:
        ValueError: for a kind this Pacer does not know (a row from a newer version).
    """
    return KINDS[Kind(kind)]


def encode(payload: Payload) -> str | None:
    """The payload as stored: JSON with datetimes in ISO 8601; None when it has no fields."""
    # Payloads are flat; reading the fields directly is several times cheaper than asdict's
    # deep copy, which counts when a settings change re-plans thousands of sessions.
    data = {
        field.name: value.isoformat() if isinstance(value, datetime) else value
        for field in fields(payload)
        if (value := getattr(payload, field.name)) is not None
    }
    return json.dumps(data, sort_keys=True) if data else None


def decode(kind: str, stored: str | None, offset_s: int | None = None) -> Payload:
    """Read a stored payload back into its dataclass.

    ``offset_s`` fills a reminder written before payloads were typed (it was a column only).

    Raises:
        ValueError: for an unknown kind or a payload that does not fit it (named in the message).
    """
    cls = spec(kind).payload
    raw: dict[str, Any] = json.loads(stored) if stored else {}
    if cls is Reminder and "offset_s" not in raw and offset_s is not None:
        raw["offset_s"] = offset_s
    values: dict[str, Any] = {}
    for field in fields(cls):
        if field.name not in raw:
            continue
        value = raw[field.name]
        if isinstance(value, str) and field.name.endswith("_at"):
            value = datetime.fromisoformat(value)
        if isinstance(value, list):
            value = tuple(value)
        values[field.name] = value
    try:
        payload: Payload = cls(**values)
    except TypeError as exc:
        raise ValueError(f"{kind} payload {stored!r} doesn't fit: {exc}") from exc
    return payload


def decide(
    kind: str, payload: Payload, due_at: datetime, now: datetime, current: Current
) -> Decision:
    """Decide whether a row that has fallen due (maybe late, after downtime) still goes out.

    Rules, first match wins:

    1. The session is cancelled and the kind does not survive a cancel: skip, "session
       cancelled".
    2. ``now`` is at or after the start: skip, "session already started" (every kind but
       those acting after the start, the Discord event and the thread, and the one due at the
       start, closing answers: telling people after the start helps nobody).
    3. A closer row of a one-of-several kind is due too: skip, "superseded by a later reminder",
       so a member gets one reminder, not a burst.
    4. A change notice (cancel, time change) for a session never announced that nobody
       answered: skip, "never announced and nobody answered" (nobody can have heard of it).
    5. The kind's own check against the current state (a promoted member who since said no; a
       time change that a later one replaced): skip with its reason.
    6. Otherwise send, however late.

    Raises:
        ValueError: for an unknown kind, a naive datetime, or a row not due yet (``now`` before
            ``due_at``): a bug in the caller, never a reason to skip.
    """
    rules = spec(kind)
    for instant, name in ((due_at, "due_at"), (current.starts_at, "starts_at"), (now, "now")):
        if instant.tzinfo is None or instant.utcoffset() is None:
            raise ValueError(f"{name} must be an aware datetime, got {instant!r}")
    if now < due_at:
        raise ValueError(f"{kind} is not due until {due_at.isoformat()}, now is {now.isoformat()}")
    if current.cancelled and not rules.survives_cancel:
        return Decision(send=False, reason=Late.CANCELLED)
    if now >= current.starts_at and not (rules.after_start or rules.at_start):
        return Decision(send=False, reason=Late.STARTED)
    if rules.one_of_several and current.later_reminder_due:
        return Decision(send=False, reason=Late.SUPERSEDED)
    if rules.tells_audience and not current.announced and current.audience == 0:
        return Decision(send=False, reason=Late.NOBODY_TO_TELL)
    stale = rules.stale(payload, current)
    if stale is not None:
        return Decision(send=False, reason=stale)
    return Decision(send=True, reason=None)


def nonce(delivery_id: int) -> str:
    """Stable per row, so Discord drops a retry within its de-duplication window (25 chars max)."""
    return f"pacer-d{delivery_id}"


def fingerprint(content: str | None, embed_title: str | None, embed_footer: str | None) -> str:
    """What identifies a post among the channel's recent messages when its outcome is unknown.

    Content, embed title and footer are what Discord returns unchanged for the bot's own
    messages; the nonce is not returned by a history read, so it can't be used for this.
    """
    text = "\x1f".join(
        part.strip() for part in (content or "", embed_title or "", embed_footer or "")
    )
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]
