"""What members and organizers see of attendance: the "I'm here" button, replies, embeds and the
turnout chart."""

from __future__ import annotations

import io
import re
from datetime import date
from typing import Any

import discord

from bot.domain.attendance import ClubSummary, week_of
from bot.services.attendance import (
    AttendanceConfig,
    BulkMarked,
    Forgotten,
    Marked,
    MyAttendance,
    SessionMarks,
)
from bot.services.registry import services_of
from bot.tree import reply
from bot.ui.actor import actor

#: Discord shows at most 25 fields and 1,024 characters per field.
_FIELD_LIMIT = 1024


class CheckInButton(
    discord.ui.DynamicItem[discord.ui.Button[Any]], template=r"pacer:here:(?P<session>\d+)"
):
    """ "I'm here": the clicking member checks in, during the session's check-in window."""

    def __init__(self, session_id: int) -> None:
        super().__init__(
            discord.ui.Button(
                label="I'm here",
                emoji="📍",
                style=discord.ButtonStyle.success,
                custom_id=f"pacer:here:{session_id}",
            )
        )
        self.session_id = session_id

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction[Any], item: discord.ui.Item[Any], match: re.Match[str]
    ) -> CheckInButton:
        return cls(int(match["session"]))

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        try:
            marked = await services_of(interaction.client).attendance.check_in(
                interaction.guild_id or 0,
                self.session_id,
                interaction.user.id,
                interaction.user.display_name,
            )
            await reply(interaction, checked_in_reply(marked))
        except Exception as error:
            await interaction.client.tree.on_error(interaction, error)


def checked_in_reply(marked: Marked) -> str:
    title = marked.session.title
    if marked.previous is not None and marked.previous == marked.mark:
        if marked.previous.value == "no_show":
            return (
                f"An organizer marked you as a no-show for {title}. If you're here, ask them to "
                "correct it with /attendance mark."
            )
        return f"You're already checked in for {title} ({marked.mark.label})."
    if marked.mark.value == "walk_in":
        return f"Checked in to {title} as a walk-in. Welcome!"
    return f"Checked in to {title}. Have a good session!"


def bulk_marked_reply(marked: BulkMarked) -> str:
    title = marked.session.title
    if not marked.user_ids:
        return (
            f"Everyone who said going to {title} is marked already ({marked.kept}); nothing "
            "changed. Correct one with /attendance mark."
        )
    kept = f" {marked.kept} already marked kept their mark." if marked.kept else ""
    count = len(marked.user_ids)
    return (
        f"Marked {count} member{'s' if count != 1 else ''} who said going as "
        f"{marked.mark.label} for {title}.{kept} Correct anyone, or add walk-ins, with "
        "/attendance mark."
    )


#: The options of `/setup check-in` and `/attendance settings` (one setting, two places).
CHECK_IN_OPTIONS = {
    "before": "Check-in opens this long before the start, like 30m (0m to 24h)",
    "after": "Check-in closes this long after the start, like 2h (0m to 24h)",
    "season_start": "First day of the club's season, MM-DD, like 09-01 (default 01-01)",
}


async def configure_check_in(
    interaction: discord.Interaction[Any],
    before: str | None,
    after: str | None,
    season_start: str | None,
) -> None:
    """Save the check-in window and season start (Manage Server) and reply with them."""
    config = await services_of(interaction.client).attendance.configure(
        actor(interaction),
        interaction.guild_id or 0,
        before=before,
        after=after,
        season=season_start,
    )
    await reply(interaction, settings_reply(config))


def settings_reply(config: AttendanceConfig) -> str:
    """The check-in window and season start, as saved."""
    season = config.season_start or "01-01"
    return (
        f"Check-in: from {config.window.before_s // 60} min before the start to "
        f"{config.window.after_s // 60} min after it. Season starts on {season} (MM-DD)."
    )


def marked_reply(marked: Marked) -> str:
    who = f"<@{marked.user_id}>"
    if marked.previous is None:
        return f"Marked {who} as {marked.mark.label} for {marked.session.title}."
    return (
        f"Corrected {who} for {marked.session.title}: {marked.previous.label} → "
        f"{marked.mark.label}. The change is kept with your name."
    )


def me_embed(mine: MyAttendance) -> discord.Embed:
    embed = discord.Embed(title="Your attendance", colour=discord.Colour.green())
    count = len(mine.season_sessions)
    embed.add_field(
        name=f"This season (since {mine.season_from:%d %b %Y})",
        value=f"{count} session{'s' if count != 1 else ''}",
        inline=True,
    )
    weeks = mine.streak_weeks
    embed.add_field(
        name="Streak", value=f"{weeks} week{'s' if weeks != 1 else ''} in a row", inline=True
    )
    if mine.last is None:
        embed.add_field(name="Last time", value="Not yet: check in with I'm here next session.")
    else:
        stamp = int(mine.last.starts_at.timestamp())
        embed.add_field(name="Last time", value=f"{mine.last.title}, <t:{stamp}:D>", inline=True)
    recent = [
        f"<t:{int(c.starts_at.timestamp())}:d> {c.title}" for c in reversed(mine.season_sessions)
    ]
    if recent:
        embed.add_field(name="Sessions this season", value=_fit(recent), inline=False)
    embed.set_footer(text="Only you can see this. Streak: weeks (Mon-Sun) with a session.")
    return embed


def club_embed(summary: ClubSummary) -> discord.Embed:
    embed = discord.Embed(
        title=f"Attendance: {summary.period.label}",
        description=(
            f"{summary.period.first:%d %b %Y} to {summary.period.last:%d %b %Y}, "
            f"{len(summary.turnout)} session{'s' if len(summary.turnout) != 1 else ''}."
        ),
        colour=discord.Colour.blue(),
    )
    if not summary.turnout:
        embed.description = (embed.description or "") + " No sessions took place in this period."
    rate = summary.show_rate
    embed.add_field(
        name="Show rate",
        value=(
            f"{rate:.0%} ({summary.showed} of {summary.said_going} who said going came)"
            if rate is not None
            else "Nobody said going in this period."
        ),
        inline=False,
    )
    if summary.turnout:
        lines = [
            f"{t.day:%a %d %b} {t.title}: {t.came} came"
            + (f", {t.showed}/{t.said_going} of those going" if t.said_going else "")
            for t in summary.turnout
        ]
        embed.add_field(name="Turnout per session", value=_fit(lines), inline=False)
    embed.add_field(
        name="Regulars (half the sessions or more)",
        value=_fit([f"<@{user}> ({n})" for user, n in summary.regulars]) or "None yet.",
        inline=False,
    )
    embed.add_field(
        name="Not seen for 4 weeks",
        value=_fit([f"<@{user}> (last {day:%d %b %Y})" for user, day in summary.not_seen])
        or "Everyone came recently.",
        inline=False,
    )
    if summary.by_organizer:
        embed.add_field(
            name="Per organizer",
            value=_fit(
                [
                    f"<@{g.key}>: {g.sessions} session{'s' if g.sessions != 1 else ''}, "
                    f"{g.average:.1f} runners on average"
                    for g in summary.by_organizer
                ]
            ),
            inline=False,
        )
    if summary.by_series:
        embed.add_field(
            name="Per weekly series",
            value=_fit(
                [
                    f"{g.label}: {g.sessions} sessions, {g.average:.1f} runners on average"
                    for g in summary.by_series
                ]
            ),
            inline=False,
        )
    embed.set_footer(text="Only organizers can see this.")
    return embed


def session_marks_embed(marks: SessionMarks) -> discord.Embed:
    session = marks.session
    embed = discord.Embed(
        title=f"Attendance: {session.title}",
        description=(
            f"<t:{int(session.starts_at.timestamp())}:F>. Mark or correct anyone with "
            f"/attendance mark session: {session.id} member: state:."
        ),
        colour=discord.Colour.blue(),
    )
    going = [
        f"<@{user}>: {mark.label if mark is not None else 'not marked yet'}"
        for user, mark in marks.going
    ]
    embed.add_field(
        name=f"Said going ({len(marks.going)})", value=_fit(going) or "Nobody.", inline=False
    )
    if marks.others:
        embed.add_field(
            name=f"Also marked ({len(marks.others)})",
            value=_fit([f"<@{user}>: {mark.label}" for user, mark in marks.others]),
            inline=False,
        )
    came = sum(1 for _, m in marks.going if m is not None and m.came) + sum(
        1 for _, m in marks.others if m.came
    )
    embed.set_footer(text=f"{came} came so far. Only organizers can see this.")
    return embed


def forgotten_reply(user_id: int, forgotten: Forgotten) -> str:
    upcoming = len(forgotten.upcoming)
    return (
        f"Deleted <@{user_id}>'s data in this server: {forgotten.marks} attendance "
        f"mark{'s' if forgotten.marks != 1 else ''} with their history, and every answer to this "
        f"server's sessions ({upcoming} upcoming session{'s' if upcoming != 1 else ''}; the "
        "waitlist moved up where they held a place). Their runner profile is shared with other "
        "servers: only they can delete it, with /profile clear."
    )


def _fit(lines: list[str]) -> str:
    """Lines joined up to Discord's field limit, with how many were left out."""
    shown: list[str] = []
    used = 0
    for index, line in enumerate(lines):
        more = f"… and {len(lines) - index} more"
        if used + len(line) + 1 > _FIELD_LIMIT - len(more) - 1:
            shown.append(more)
            break
        shown.append(line)
        used += len(line) + 1
    return "\n".join(shown)


def turnout_chart(summary: ClubSummary) -> bytes | None:
    """A PNG bar chart of turnout per session (came, and how many had said going), or None
    without sessions. Drawn with matplotlib's Agg canvas directly: no pyplot global state, no
    display; CPU-bound, so callers run it in a thread."""
    if not summary.turnout:
        return None
    # Imported here: matplotlib takes a noticeable part of a second to import, and only this
    # command needs it (start-up and `python -m bot check` stay fast).
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator

    bars = _bars(summary)
    figure = Figure(figsize=(8, 3.6), dpi=100)
    FigureCanvasAgg(figure)
    axes = figure.add_subplot()
    positions = list(range(len(bars)))
    labels = [f"{day:%d %b}" for day, _, _ in bars]
    axes.bar(
        [p - 0.2 for p in positions],
        [going for _, going, _ in bars],
        width=0.4,
        label="said going",
        color="#b0bec5",
    )
    axes.bar(
        [p + 0.2 for p in positions],
        [came for _, _, came in bars],
        width=0.4,
        label="came",
        color="#2e7d32",
    )
    step = max(1, len(labels) // 16)
    axes.set_xticks(positions[::step], labels[::step], rotation=45, ha="right", fontsize=8)
    axes.yaxis.set_major_locator(MaxNLocator(integer=True))
    axes.set_ylabel(
        "runners (all sessions of the week)" if len(bars) < len(summary.turnout) else "runners"
    )
    weekly = len(bars) < len(summary.turnout)
    axes.set_title(f"Turnout{' per week' if weekly else ''}, {summary.period.label}")
    tallest = max(max(going, came) for _, going, came in bars)
    axes.set_ylim(0, max(1, tallest) * 1.25)  # headroom so the legend covers no bar
    axes.legend(loc="upper left", fontsize=8, ncols=2, frameon=False)
    axes.spines[["top", "right"]].set_visible(False)
    figure.tight_layout()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()


#: Past this many sessions a bar per session is unreadable at chat size: one bar per week.
_MAX_SESSION_BARS = 40


def _bars(summary: ClubSummary) -> list[tuple[date, int, int]]:
    """(day, said going, came) per session, or per week (Monday) summed over its sessions."""
    if len(summary.turnout) <= _MAX_SESSION_BARS:
        return [(t.day, t.said_going, t.came) for t in summary.turnout]
    weeks: dict[date, list[int]] = {}
    for t in summary.turnout:
        totals = weeks.setdefault(week_of(t.day), [0, 0])
        totals[0] += t.said_going
        totals[1] += t.came
    return [(week, going, came) for week, (going, came) in sorted(weeks.items())]
