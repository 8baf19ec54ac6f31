"""What the bot posts on its own: announcements, reminders and notices."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

import discord

from bot.db.sessions_repo import SessionRow
from bot.domain.rsvp import Roster, RosterEntry
from bot.domain.schedule import format_offset
from bot.domain.workouts import parse_workout
from bot.services.sessions import jump_url

PACER_BLUE = discord.Colour(0x3498DB)
CANCELLED_RED = discord.Colour(0xE74C3C)


@dataclass(frozen=True, slots=True)
class Post:
    """A message ready to send: text, embed, and exactly who may be pinged."""

    content: str | None = None
    embed: discord.Embed | None = None
    mention_user_ids: tuple[int, ...] = field(default_factory=tuple)

    @property
    def allowed_mentions(self) -> discord.AllowedMentions:
        # Members' text never pings: only the listed members, never roles or @everyone.
        return discord.AllowedMentions(
            everyone=False,
            roles=False,
            users=[discord.Object(id=user_id) for user_id in self.mention_user_ids],
            replied_user=False,
        )


def safe(text: str) -> str:
    """Member-typed text for message content: markdown and mentions shown literally."""
    return discord.utils.escape_mentions(discord.utils.escape_markdown(text))


def when(instant: datetime) -> str:
    """A start in every reader's own time zone: full date and time, then relative."""
    return f"{discord.utils.format_dt(instant, 'F')} ({discord.utils.format_dt(instant, 'R')})"


def announcement_link(session: SessionRow) -> str | None:
    return jump_url(session.guild_id, session.channel_id, session.announcement_message_id)


def announcement_embed(session: SessionRow, roster: Roster | None = None) -> discord.Embed:
    """The session's announcement, with its roster of RSVPs."""
    cancelled = session.cancelled
    title = f"CANCELLED: {session.title}" if cancelled else session.title
    embed = discord.Embed(
        title=title[:256],
        colour=CANCELLED_RED if cancelled else PACER_BLUE,
    )
    lines = []
    if cancelled:
        reason = f": {session.cancel_reason}" if session.cancel_reason else "."
        lines.append(f"**This session is cancelled{reason[:300]}**")
    if session.details:
        lines.append(session.details[:1500])
    if lines:
        embed.description = "\n\n".join(lines)
    embed.add_field(name="When", value=when(session.starts_at), inline=False)
    embed.add_field(name="Where", value=session.location[:1024], inline=False)
    if session.workout:
        embed.add_field(name="Workout", value=workout_text(session)[:1024], inline=False)
    if session.weeks > 1:
        embed.add_field(name="Series", value=f"Week {session.position} of {session.weeks}")
    if session.capacity is not None:
        places = "place" if session.capacity == 1 else "places"
        embed.add_field(name="Capacity", value=f"{session.capacity} {places}")
    if roster is not None and not cancelled:
        embed.add_field(name="Who's coming", value=roster_text(session, roster), inline=False)
    footer = f"Session #{session.id}"
    if not cancelled:
        # One answer per member: a reaction, a button or /rsvp, whichever came last.
        footer += " · Your latest answer counts"
    if not cancelled and session.workout_parsed:
        footer += " · My paces gives your own target times"
    embed.set_footer(text=footer)
    return embed


ROSTER_LIMIT = 1024


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


def roster_text(session: SessionRow, roster: Roster) -> str:
    """Counts for each answer and who gave them, always within one embed field."""
    if not roster.everyone:
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


def _mentions(user_ids: list[int], budget: int = 1200) -> tuple[str, tuple[int, ...]]:
    """Mentions that ping (message content), within ``budget`` characters."""
    shown: list[int] = []
    used = 0
    for user_id in user_ids:
        piece = len(f"<@{user_id}> ")
        if used + piece > budget:
            break
        shown.append(user_id)
        used += piece
    text = " ".join(f"<@{user_id}>" for user_id in shown)
    if len(shown) < len(user_ids):
        text += f" +{len(user_ids) - len(shown)} more"
    return text, tuple(shown)


def workout_text(session: SessionRow) -> str:
    """The workout as its reps, one block a line; free text as typed, flagged."""
    if session.workout is None:
        return ""
    if not session.workout_parsed:
        return f"{session.workout[:900]}\n*(free text: no personal paces)*"
    workout = parse_workout(session.workout)
    lines = workout.lines()
    heading = f"**{workout.name}**\n" if workout.name else ""
    return heading + "\n".join(lines)


def _with_going(text: str, going: list[int]) -> Post:
    if not going:
        return Post(content=text[:2000])
    mentions, pinged = _mentions(going)
    return Post(
        content=f"{text[:700]}\nGoing ({len(going)}): {mentions}"[:2000], mention_user_ids=pinged
    )


def reminder_post(session: SessionRow, offset_s: int | None, going: list[int]) -> Post:
    lead = f" ({format_offset(offset_s)} to go)" if offset_s else ""
    link = announcement_link(session)
    text = (
        f"⏰ Reminder{lead}: **{safe(session.title[:100])}** starts {when(session.starts_at)} "
        f"at {safe(session.location[:100])}."
    )
    if link:
        text += f" [See the announcement]({link})"
    if not going:
        text += " Nobody has said they're going yet."
    return _with_going(text, going)


def cancel_post(session: SessionRow, reason: str | None, going: list[int]) -> Post:
    because = f" Reason: {safe(reason[:300])}" if reason else ""
    text = (
        f"❌ **{safe(session.title[:100])}** on "
        f"{discord.utils.format_dt(session.starts_at, 'F')} is cancelled.{because}"
    )
    return _with_going(text, going)


def time_change_post(session: SessionRow, old_starts_at: datetime, going: list[int]) -> Post:
    link = announcement_link(session)
    text = (
        f"🕒 **{safe(session.title[:100])}** has moved: it was "
        f"{discord.utils.format_dt(old_starts_at, 'F')}, it is now {when(session.starts_at)}."
    )
    if link:
        text += f" [See the announcement]({link})"
    return _with_going(text, going)


def promotion_text(session: SessionRow) -> str:
    """For the member moved up from the waitlist (sent by DM)."""
    link = announcement_link(session)
    text = (
        f"🎉 A place opened up: you're now **going** to **{safe(session.title[:100])}**, "
        f"{when(session.starts_at)} at {safe(session.location[:100])}."
    )
    if link:
        text += f" [See the announcement]({link})"
    return text


def promotion_channel_post(session: SessionRow, user_id: int) -> Post:
    """The fallback when the member's DMs are closed: a mention in the channel."""
    return Post(
        content=f"<@{user_id}> {promotion_text(session)}"[:2000], mention_user_ids=(user_id,)
    )
