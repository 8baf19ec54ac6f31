"""What the bot posts on its own, drawn from view models: announcements, reminders, notices.

Every function here reads a :class:`~bot.outbox.views.PostView` and a typed payload, nothing
else. Adding a kind means one function here and its entry in :data:`RENDERERS`.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import discord

from bot.domain.rsvp import Roster, RosterEntry
from bot.domain.schedule import format_offset
from bot.outbox.kinds import (
    CancelNotice,
    Kind,
    Mentions,
    Payload,
    ProfileNote,
    Promotion,
    Reminder,
    ReminderDm,
    TimeChange,
    fingerprint,
)
from bot.outbox.views import GroupsView, PostView, SessionView

PACER_BLUE = discord.Colour(0x3498DB)
CANCELLED_RED = discord.Colour(0xE74C3C)
#: Discord's limit on a message's text.
MAX_CONTENT = 2000
ROSTER_LIMIT = 1024
#: What a started session's announcement says (answers given until then stand).
CLOSED_LINE = "**Answers closed at the start.**"
#: A notice for more members going than this pings the session's attendee role instead of
#: each of them (one mention instead of several messages of mentions).
ROLE_PING_OVER = 20


class RenderError(Exception):
    """A row that can't be drawn (its reason is recorded on the row and shown to organizers)."""


@dataclass(frozen=True, slots=True)
class Buttons:
    """The persistent buttons under an announcement (built by the poster's view factory).

    ``answers_open``: False once the session has started: Going/Maybe/Can't are drawn disabled
    (same custom ids, so a click from a client that has not refreshed still gets a private
    "closed" reply).
    """

    session_id: int
    answers_open: bool = True
    #: The session's pace groups are published: a "Groups" button shows a member theirs.
    groups: bool = False
    #: Inside the check-in window: "I'm here" is offered.
    check_in: bool = True


@dataclass(frozen=True, slots=True)
class Post:
    """A message ready to send: text, embed, buttons, and exactly who may be pinged."""

    content: str | None = None
    embed: discord.Embed | None = None
    mention_user_ids: tuple[int, ...] = field(default_factory=tuple)
    buttons: Buttons | None = None
    #: Members this post is for who did not fit: they follow in more messages.
    overflow: tuple[int, ...] = field(default_factory=tuple)
    #: Roles pinged (a big group's attendee role).
    mention_role_ids: tuple[int, ...] = field(default_factory=tuple)

    @property
    def allowed_mentions(self) -> discord.AllowedMentions:
        # Members' text never pings: only the listed members and roles, never @everyone.
        return discord.AllowedMentions(
            everyone=False,
            roles=[discord.Object(id=role_id) for role_id in self.mention_role_ids] or False,
            users=[discord.Object(id=user_id) for user_id in self.mention_user_ids],
            replied_user=False,
        )

    @property
    def fingerprint(self) -> str:
        embed = self.embed
        return fingerprint(
            self.content,
            embed.title if embed is not None else None,
            embed.footer.text if embed is not None else None,
        )


def safe(text: str) -> str:
    """Member-typed text for message content: markdown and mentions shown literally."""
    return discord.utils.escape_mentions(discord.utils.escape_markdown(text))


def when(instant: datetime) -> str:
    """A start in every reader's own time zone: full date and time, then relative."""
    return f"{discord.utils.format_dt(instant, 'F')} ({discord.utils.format_dt(instant, 'R')})"


def announcement_embed(
    session: SessionView, roster: Roster | None = None, groups: GroupsView | None = None
) -> discord.Embed:
    """The session's announcement, with its roster of RSVPs and its published pace groups."""
    cancelled = session.cancelled
    title = f"CANCELLED: {session.title}" if cancelled else session.title
    embed = discord.Embed(title=title[:256], colour=CANCELLED_RED if cancelled else PACER_BLUE)
    lines = []
    if cancelled:
        reason = f": {session.cancel_reason}" if session.cancel_reason else "."
        lines.append(f"**This session is cancelled{reason[:300]}**")
    elif session.answers_closed and session.answers_close_at is not None:
        lines.append(
            f"**Answers closed {discord.utils.format_dt(session.answers_close_at, 'f')}.**"
        )
    elif session.answers_closed:
        lines.append(CLOSED_LINE)
    if session.details:
        lines.append(session.details[:1500])
    if lines:
        embed.description = "\n\n".join(lines)
    embed.add_field(name="When", value=when(session.starts_at), inline=False)
    embed.add_field(name="Where", value=session.location[:1024], inline=False)
    if session.workout is not None:
        embed.add_field(name="Workout", value=workout_text(session)[:1024], inline=False)
    if session.weeks > 1:
        embed.add_field(name="Series", value=f"Week {session.position} of {session.weeks}")
    if session.capacity is not None:
        places = "place" if session.capacity == 1 else "places"
        embed.add_field(name="Capacity", value=f"{session.capacity} {places}")
    answers = answers_text(session)
    if answers and not cancelled:
        embed.add_field(name="Answers", value=answers, inline=False)
    if roster is not None and not cancelled:
        embed.add_field(name="Who's coming", value=roster_text(session, roster), inline=False)
    footer = f"Session #{session.id}"
    if groups is not None and not cancelled:
        # Within Discord's 6,000 characters for the whole embed, footer included.
        room = EMBED_LIMIT - len(embed) - len("Pace groups") - FOOTER_ROOM
        embed.add_field(
            name="Pace groups", value=groups_text(groups, min(ROSTER_LIMIT, room)), inline=False
        )
    if not cancelled and not session.answers_closed:
        # One answer per member: a reaction, a button or /rsvp, whichever came last.
        footer += " · Your latest answer counts"
    if not cancelled and session.workout is not None and session.workout.parsed:
        footer += " · My paces gives your own target times"
    embed.set_footer(text=footer)
    return embed


#: Discord's limit on all of an embed's text, and what the footer may take of it.
EMBED_LIMIT = 6000
FOOTER_ROOM = 120


def groups_text(groups: GroupsView, budget: int = ROSTER_LIMIT) -> str:
    """One line per published group, fastest first ("**Group 2** · led by Ana: Ana, Ben"),
    then who is going with no profile; names only (a pace shows only beside runners who chose
    to show it). Every group keeps its line: names past the budget become "+N more"."""
    budget = max(budget, 40)
    if not groups.groups and not groups.no_profile:
        return "Nobody is going yet."
    heads = []
    for group in groups.groups:
        led = f" · led by {safe(group.leader[:32])}" if group.leader else ""
        heads.append((f"**Group {group.number}**{led}", group.names))
    if groups.no_profile:
        heads.append(("No profile (/profile set to be placed)", groups.no_profile))
    per_line = max((budget - 2 * len(heads)) // len(heads), 12)
    lines = []
    for head, names in heads:
        room = per_line - len(head) - 2
        lines.append(f"{head}: {_plain_names(names, room)}" if room > 8 else head[:per_line])
    text = "\n".join(lines)
    return text if len(text) <= budget else text[: budget - 1] + "…"


def _plain_names(names: tuple[str, ...], budget: int) -> str:
    shown: list[str] = []
    used = 0
    for index, raw in enumerate(names):
        name = safe(raw[:48])
        reserve = len(f" +{len(names) - index} more")
        if used + len(name) + 2 + reserve > budget:
            return ", ".join(shown) + f" +{len(names) - index} more"
        shown.append(name)
        used += len(name) + 2
    return ", ".join(shown)


def answers_text(session: SessionView) -> str:
    """Who may answer, until when, and the role members going get (empty: the defaults)."""
    lines = []
    if session.answers_close_at is not None and not session.answers_closed:
        lines.append(f"Close {when(session.answers_close_at)}")
    if session.answer_role_id is not None:
        lines.append(f"Only members with <@&{session.answer_role_id}> can answer")
    if session.attendee_role_id is not None:
        lines.append(f"Members going get <@&{session.attendee_role_id}> until the end")
    return "\n".join(lines)


def _names(entries: tuple[RosterEntry, ...], budget: int, numbered: bool = False) -> str:
    """Display names within ``budget`` characters. Names, not mentions: Discord shows a
    mention in an embed as a raw id to anyone whose client has not loaded that member."""
    shown: list[str] = []
    used = 0
    for index, entry in enumerate(entries):
        plain = safe(entry.display_name[:32]) or str(entry.user_id)
        name = f"{entry.position}. {plain}" if numbered else plain
        rest = len(entries) - index
        reserve = len(f" +{rest} more")
        if used + len(name) + 2 + reserve > budget:
            return ", ".join(shown) + f" +{rest} more"
        shown.append(name)
        used += len(name) + 2
    return ", ".join(shown)


def roster_text(session: SessionView, roster: Roster) -> str:
    """Counts for each answer and who gave them, always within one embed field."""
    if not roster.everyone:
        if session.answers_closed:
            return "Nobody answered."
        return "No answers yet: react ✅ 🤔 ❌ or use the buttons below."
    places = f"/{session.capacity}" if session.capacity is not None else ""
    lines = [(f"✅ **Going {len(roster.going)}{places}**", roster.going, False)]
    if roster.waitlist:
        lines.append((f"⏳ **Waitlist {len(roster.waitlist)}**", roster.waitlist, True))
    if roster.maybe:
        lines.append((f"🤔 **Maybe {len(roster.maybe)}**", roster.maybe, False))
    budget = (ROSTER_LIMIT - 40) // len(lines)
    text = "\n".join(
        f"{label}: {_names(entries, budget - len(label), numbered)}" if entries else label
        for label, entries, numbered in lines
    )
    if roster.no:
        text += f"\n❌ Can't make it: {len(roster.no)}"
    return text[:ROSTER_LIMIT]


#: What a notice's own text may take of its first message; mentions get the rest (at least
#: 500 characters, about 21 mentions). Escaping can double member-typed text (a title of 100, a
#: reason of 300, a location of 100 characters), so the longest notice, about 1,250 characters,
#: is shown whole; anything longer is cut between words, never inside an escape.
MAX_TEXT = 1400


def _mentions(user_ids: tuple[int, ...], budget: int) -> tuple[str, tuple[int, ...]]:
    """As many mentions as fit in ``budget`` characters, in order, and who they are."""
    shown: list[int] = []
    used = 0
    for user_id in user_ids:
        piece = len(f"<@{user_id}>") + (1 if shown else 0)
        if used + piece > budget:
            break
        shown.append(user_id)
        used += piece
    return " ".join(f"<@{user_id}>" for user_id in shown), tuple(shown)


def _clip(text: str, limit: int) -> str:
    """``text`` whole if it fits in ``limit`` characters, else cut at the last space before
    it and marked with an ellipsis; a dangling escape backslash is dropped so the cut never
    escapes what follows."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if " " in cut:
        cut = cut[: cut.rindex(" ")]
    return cut.rstrip("\\ ") + "…"


def _continued(part: int) -> str:
    return f"(continued, part {part}) "


def mention_chunks(user_ids: tuple[int, ...], first_part: int = 2) -> list[tuple[int, ...]]:
    """Split members who did not fit in a notice into follow-up messages, each within
    Discord's 2,000 characters (about 85 mentions a message)."""
    chunks: list[tuple[int, ...]] = []
    rest = user_ids
    part = first_part
    while rest:
        _, shown = _mentions(rest, MAX_CONTENT - len(_continued(part + 99)))
        chunks.append(shown)
        rest = rest[len(shown) :]
        part += 1
    return chunks


def workout_text(session: SessionView) -> str:
    """The workout as its reps, one block a line; free text as typed, flagged."""
    workout = session.workout
    if workout is None:
        return ""
    if not workout.parsed:
        return f"{workout.text[:900]}\n*(free text: no personal paces)*"
    heading = f"**{workout.name}**\n" if workout.name else ""
    return heading + "\n".join(workout.lines)


def _with_members(text: str, label: str, members: tuple[int, ...]) -> Post:
    """The text, then everyone it is for: as many mentions as fit, the rest in ``overflow``
    (posted right after as continuation messages, so everyone is pinged)."""
    if not members:
        return Post(content=text[:MAX_CONTENT])
    head = f"{_clip(text, MAX_TEXT)}\n{label}: "
    mentions, pinged = _mentions(members, MAX_CONTENT - len(head))
    return Post(
        content=head + mentions,
        mention_user_ids=pinged,
        overflow=members[len(pinged) :],
    )


def _with_going(text: str, going: tuple[int, ...], role_id: int | None = None) -> Post:
    if role_id is not None and len(going) > ROLE_PING_OVER:
        # Everyone going holds the attendee role: one role mention reaches them all.
        head = f"{_clip(text, MAX_TEXT)}\nGoing ({len(going)}): "
        return Post(content=f"{head}<@&{role_id}>", mention_role_ids=(role_id,))
    return _with_members(text, f"Going ({len(going)})", going)


def _with_audience(text: str, view: PostView) -> Post:
    counts = [
        f"{label} {len(ids)}"
        for label, ids in (
            ("going", view.going),
            ("waitlist", view.waitlist),
            ("maybe", view.maybe),
        )
        if ids
    ]
    label = f"For everyone who answered ({', '.join(counts)})" if counts else ""
    role_id = view.session.attendee_role_id
    if role_id is not None and len(view.going) > ROLE_PING_OVER:
        # The members going hold the attendee role: it is pinged once instead of each of them.
        post = _with_members(f"{text}\n{label}: <@&{role_id}>", "Also", view.waitlist + view.maybe)
        return dataclasses.replace(post, mention_role_ids=(role_id,))
    return _with_members(text, label, view.audience)


def announcement_post(view: PostView, payload: Payload) -> Post:
    session = view.session
    return Post(
        embed=announcement_embed(session, view.roster, view.groups),
        buttons=(
            None
            if session.cancelled
            else Buttons(
                session.id,
                answers_open=not session.answers_closed,
                # With a workout there are groups to show: organizers preview them from the
                # button before publishing; members see their own once published.
                groups=view.groups is not None or session.workout is not None,
                check_in=session.check_in_open,
            )
        ),
    )


def reminder_post(view: PostView, payload: Payload) -> Post:
    if not isinstance(payload, Reminder):
        raise RenderError(f"a reminder needs a reminder payload, not {payload!r}")
    session = view.session
    lead = f" ({format_offset(payload.offset_s)} to go)" if payload.offset_s else ""
    link = session.announcement_link
    text = (
        f"⏰ Reminder{lead}: **{safe(session.title[:100])}** starts {when(session.starts_at)} "
        f"at {safe(session.location[:100])}."
    )
    if link:
        text += f" [See the announcement]({link})"
    if not view.going:
        text += " Nobody has said they're going yet."
    return _with_going(text, view.going, session.attendee_role_id)


def cancel_post(view: PostView, payload: Payload) -> Post:
    if not isinstance(payload, CancelNotice):
        raise RenderError(f"a cancel notice needs its payload, not {payload!r}")
    session = view.session
    because = f" Reason: {safe(payload.reason[:300])}" if payload.reason else ""
    text = (
        f"❌ **{safe(session.title[:100])}** on "
        f"{discord.utils.format_dt(session.starts_at, 'F')} is cancelled.{because}"
    )
    return _with_audience(text, view)


def time_change_post(view: PostView, payload: Payload) -> Post:
    if not isinstance(payload, TimeChange):
        raise RenderError(f"a time change needs its payload, not {payload!r}")
    session = view.session
    link = session.announcement_link
    text = (
        f"🕒 **{safe(session.title[:100])}** has moved: it was "
        f"{discord.utils.format_dt(payload.old_starts_at, 'F')}, it is now "
        f"{when(session.starts_at)}."
    )
    if link:
        text += f" [See the announcement]({link})"
    return _with_audience(text, view)


def mentions_post(view: PostView, payload: Payload) -> Post:
    """The rest of a notice's members, after its first message."""
    if not isinstance(payload, Mentions):
        raise RenderError(f"a continuation needs its members, not {payload!r}")
    mentions, pinged = _mentions(payload.user_ids, MAX_CONTENT - len(_continued(payload.part)))
    return Post(content=_continued(payload.part) + mentions, mention_user_ids=pinged)


def promotion_text(session: SessionView) -> str:
    """For the member moved up from the waitlist (sent by DM)."""
    link = session.announcement_link
    text = (
        f"🎉 A place opened up: you're now **going** to **{safe(session.title[:100])}**, "
        f"{when(session.starts_at)} at {safe(session.location[:100])}."
    )
    if link:
        text += f" [See the announcement]({link})"
    return text


def promotion_dm(view: PostView, payload: Payload) -> Post:
    """The promotion by DM: no mention needed, it is their own inbox."""
    return Post(content=promotion_text(view.session))


def promotion_post(view: PostView, payload: Payload) -> Post:
    """The fallback when the member's DMs are closed: a mention in the channel."""
    if not isinstance(payload, Promotion):
        raise RenderError(f"a promotion needs its payload, not {payload!r}")
    return Post(
        content=f"<@{payload.user_id}> {promotion_text(view.session)}"[:MAX_CONTENT],
        mention_user_ids=(payload.user_id,),
    )


def profile_note_dm(view: PostView, payload: Payload) -> Post:
    """For a member going without a profile once groups are published (by DM, once)."""
    if not isinstance(payload, ProfileNote):
        raise RenderError(f"a profile note needs its member, not {payload!r}")
    session = view.session
    link = session.announcement_link
    text = (
        f"🏃 The pace groups for **{safe(session.title[:100])}** ({when(session.starts_at)}) "
        "are out, and you're going, but Pacer has no race for you, so you're listed apart. "
        "Add a recent race with `/profile set race: 5K time: 22:30` (any race, your own "
        "time): you'll be placed in the group that fits you and get your own targets with "
        "the Groups button. Your profile's paces stay private unless you choose "
        "`/profile public-pace public: True`."
    )
    if link:
        text += f" [See the announcement]({link})"
    return Post(content=text[:MAX_CONTENT])


def _channel_only(view: PostView, payload: Payload) -> Post:
    raise RenderError("this note is sent by DM only")


Renderer = Callable[[PostView, Any], Post]

#: How each posted kind is drawn in its channel.
RENDERERS: dict[Kind, Renderer] = {
    Kind.ANNOUNCEMENT: announcement_post,
    Kind.REMINDER: reminder_post,
    Kind.CANCEL_NOTICE: cancel_post,
    Kind.TIME_CHANGE: time_change_post,
    Kind.PROMOTION: promotion_post,
    Kind.MENTIONS: mentions_post,
    Kind.PROFILE_NOTE: _channel_only,
}


def reminder_dm(view: PostView, payload: Payload) -> Post:
    """A reminder by DM to one member going (no mentions: it is their own inbox)."""
    if not isinstance(payload, ReminderDm):
        raise RenderError(f"a DM reminder needs its payload, not {payload!r}")
    session = view.session
    lead = f" ({format_offset(payload.offset_s)} to go)" if payload.offset_s else ""
    text = (
        f"⏰ Reminder{lead}: you're going to **{safe(session.title[:100])}**, "
        f"{when(session.starts_at)} at {safe(session.location[:100])}."
    )
    if session.announcement_link:
        text += f" [See the announcement]({session.announcement_link})"
    text += "\n-# You get these because you turned on /profile reminders."
    return Post(content=text[:MAX_CONTENT])


#: How kinds that go by DM first are drawn there.
DM_RENDERERS: dict[Kind, Renderer] = {
    Kind.PROMOTION: promotion_dm,
    Kind.PROFILE_NOTE: profile_note_dm,
    Kind.REMINDER_DM: reminder_dm,
}


def render(kind: str, view: PostView, payload: Payload, *, dm: bool = False) -> Post:
    """Draw one delivery.

    Raises:
        RenderError: the kind has no rendering, or the view or payload can't be drawn (the
            message says why).
    """
    table = DM_RENDERERS if dm else RENDERERS
    try:
        renderer = table[Kind(kind)]
    except (KeyError, ValueError):
        raise RenderError(f"Pacer doesn't know how to draw a {kind!r} post") from None
    try:
        return renderer(view, payload)
    except RenderError:
        raise
    except Exception as exc:
        raise RenderError(f"the post can't be drawn ({exc.__class__.__name__}: {exc})") from exc
