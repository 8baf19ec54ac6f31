"""What the bot posts on its own: announcements, reminders and notices."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

import discord

from bot.db.sessions_repo import SessionRow
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


def announcement_embed(session: SessionRow, roster: str | None = None) -> discord.Embed:
    """The session's announcement; ``roster`` is the RSVP area when there is one."""
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
        embed.add_field(name="Capacity", value=f"{session.capacity} places")
    if roster is not None and not cancelled:
        embed.add_field(name="Who's coming", value=roster[:1024], inline=False)
    footer = f"Session #{session.id}"
    if not cancelled and session.workout_parsed:
        footer += " · My paces gives your own target times"
    embed.set_footer(text=footer)
    return embed


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


def reminder_post(session: SessionRow, offset_s: int | None) -> Post:
    lead = f" ({format_offset(offset_s)} to go)" if offset_s else ""
    link = announcement_link(session)
    text = (
        f"⏰ Reminder{lead}: **{safe(session.title)}** starts {when(session.starts_at)} "
        f"at {safe(session.location)}."
    )
    if link:
        text += f" [See the announcement]({link})"
    return Post(content=text[:2000])


def cancel_post(session: SessionRow, reason: str | None) -> Post:
    because = f" Reason: {safe(reason)}" if reason else ""
    return Post(
        content=(
            f"❌ **{safe(session.title)}** on {discord.utils.format_dt(session.starts_at, 'F')} "
            f"is cancelled.{because}"
        )[:2000]
    )


def time_change_post(session: SessionRow, old_starts_at: datetime) -> Post:
    link = announcement_link(session)
    text = (
        f"🕒 **{safe(session.title)}** has moved: it was "
        f"{discord.utils.format_dt(old_starts_at, 'F')}, it is now {when(session.starts_at)}."
    )
    if link:
        text += f" [See the announcement]({link})"
    return Post(content=text[:2000])
