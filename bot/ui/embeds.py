"""Embeds for Pacer's replies. Rendering only: the numbers come from services."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from zoneinfo import ZoneInfo

import discord

from bot.domain.drills import Drill, RoutineStep
from bot.domain.pace import KM_M, MILE_M, TrainingPaces, Zone
from bot.domain.parsing import Pace, format_distance, format_duration, format_pace
from bot.domain.rsvp import Roster, State
from bot.domain.schedule import format_in_zone, format_offset
from bot.services.coaching import PredictReport, SplitsReport, ZonesReport
from bot.services.sessions import Listing, Outcome, shorten
from bot.services.setup import GuildConfig, ZoneChange
from bot.services.types import ProfileRow, SessionRow
from bot.services.workouts import PersonalPlan
from bot.ui import help as help_ui
from bot.ui import workout_embeds

PACER_GREEN = discord.Colour(0x2ECC71)
#: An embed description holds 4,096 characters; leave room for Discord's own counting.
DESCRIPTION_LIMIT = 4000
SOURCE_NOTE = "Jack Daniels' VDOT system (Daniels' Running Formula, 3rd ed.)"


def _vdot_line(vdot: float, in_tables: bool) -> str:
    line = f"VDOT **{vdot:.1f}**"
    if not in_tables:
        line += " (outside Daniels' published tables, 30-85: treat these numbers as rough)"
    return line


def _per(s_per_km: float, metres: float) -> str:
    return format_duration(s_per_km * metres / KM_M)


def _both(s_per_km: float) -> str:
    return f"{format_pace(s_per_km)} · {format_pace(s_per_km, per_mile=True)}"


def zones_embed(report: ZonesReport, units: str = "km") -> discord.Embed:
    result, paces = report.result, report.paces
    embed = discord.Embed(
        title=f"Training paces from {result.race.name} in {format_duration(result.seconds)}",
        description=_vdot_line(result.vdot, result.in_tables),
        colour=PACER_GREEN,
    )
    for zone in Zone:
        embed.add_field(
            name=f"{zone.value} · {zone.label}",
            value=f"{_unit_first(_zone_paces(paces, zone), units)}\n*{zone.purpose}*",
            inline=False,
        )
    embed.set_footer(text=SOURCE_NOTE)
    return embed


def _unit_first(text: str, units: str) -> str:
    """ "4:46/km · 7:41/mi · ..." with the runner's unit leading."""
    if units != "mi":
        return text
    pieces = text.split(" · ")
    pieces[0], pieces[1] = pieces[1], pieces[0]
    return " · ".join(pieces)


def _zone_paces(paces: TrainingPaces, zone: Zone) -> str:
    if zone is Zone.EASY:
        fast, slow = paces.easy_fast_s_per_km, paces.easy_slow_s_per_km
        return (
            f"{format_duration(fast)}-{format_pace(slow)} · "
            f"{format_duration(fast * MILE_M / KM_M)}-{format_pace(slow, per_mile=True)}"
        )
    pace = paces.s_per_km(zone)
    text = _both(pace)
    if zone in (Zone.THRESHOLD, Zone.INTERVAL):
        text += f" · 400 m in {_per(pace, 400)}"
    if zone is Zone.REPETITION:
        text += f" · 400 m in {_per(pace, 400)} · 200 m in {_per(pace, 200)}"
    return text


def predict_embed(report: PredictReport) -> discord.Embed:
    result = report.result
    lines = []
    for p in report.predictions:
        marker = " ← your race" if p.is_source else ""
        lines.append(
            f"**{p.race.name}**: {format_duration(p.seconds)} "
            f"({format_pace(p.seconds / p.race.distance_m * KM_M)}) "
            f"· Riegel {format_duration(p.riegel_seconds)}{marker}"
        )
    embed = discord.Embed(
        title=f"Race equivalents for {result.race.name} in {format_duration(result.seconds)}",
        description=_vdot_line(result.vdot, result.in_tables) + "\n\n" + "\n".join(lines),
        colour=PACER_GREEN,
    )
    embed.set_footer(
        text=f"{SOURCE_NOTE}. Riegel's formula is shown as a second opinion; equivalents assume "
        "training for the distance."
    )
    return embed


def convert_embed(pace: Pace) -> discord.Embed:
    s = pace.s_per_km
    kmh = 3600.0 / s
    embed = discord.Embed(title="Pace conversion", colour=PACER_GREEN)
    embed.add_field(name="Per km", value=format_pace(s))
    embed.add_field(name="Per mile", value=format_pace(s, per_mile=True))
    embed.add_field(name="400 m lap", value=format_duration(s * 0.4, tenths=True))
    embed.add_field(name="km/h", value=f"{kmh:.1f}")
    embed.add_field(name="mph", value=f"{kmh * KM_M / MILE_M:.1f}")
    embed.add_field(name="Marathon at this pace", value=format_duration(s * 42.195))
    return embed


def splits_embed(report: SplitsReport) -> discord.Embed:
    lap_time = report.seconds * report.lap_m / report.race.distance_m
    embed = discord.Embed(
        title=f"Even splits: {report.race.name} in {format_duration(report.seconds)}",
        description=(
            f"Every {report.lap_m} m lap in **{format_duration(lap_time, tenths=True)}** · "
            f"{_both(report.s_per_km)}"
        ),
        colour=PACER_GREEN,
    )
    embed.add_field(
        name=f"{report.lap_m} m laps (elapsed)",
        value=_split_table(report.laps, report.seconds, report.race.distance_m),
        inline=False,
    )
    for unit_m, name in ((KM_M, "Per km (elapsed)"), (MILE_M, "Per mile (elapsed)")):
        marks: list[tuple[float, float]] = []
        reached = unit_m
        while reached < report.race.distance_m - 1e-6:
            marks.append((reached, report.seconds * reached / report.race.distance_m))
            reached += unit_m
        if marks:
            marks.append((report.race.distance_m, report.seconds))
            embed.add_field(
                name=name,
                value=_split_table(tuple(marks), report.seconds, report.race.distance_m),
                inline=True,
            )
    return embed


def _split_table(marks: Sequence[tuple[float, float]], total: float, distance_m: float) -> str:
    rows = [f"{format_distance(d):>8}  {format_duration(t)}" for d, t in marks]
    limit = 14
    if len(rows) > limit:
        hidden = len(rows) - limit
        rows = [*rows[: limit - 1], f"… {hidden} more", rows[-1]]
    return "```\n" + "\n".join(rows) + "\n```"


def profile_embed(
    profile: ProfileRow,
    paces: TrainingPaces,
    units: str = "km",
    goal: str | None = None,
    *,
    dm_reminders: bool | None = None,
    public_pace: bool | None = None,
) -> discord.Embed:
    """/profile show: the race, goal, VDOT, units and training paces; with ``dm_reminders`` and
    ``public_pace``, the member's choices for reminders by DM and pace in public groups."""
    goal_line = (
        f"Goal: **{goal}** (goal paces and Yasso 800s aim at it)"
        if goal
        else ("Goal: none (/profile goal sets one; goal paces use this race's equivalents)")
    )
    embed = discord.Embed(
        title="Your running profile",
        description=(
            f"Race: **{profile.race_name} in {format_duration(profile.seconds)}** "
            "(it sets your paces)\n"
            f"{goal_line}\n"
            f"{_vdot_line(profile.vdot, 30 <= profile.vdot <= 85)}\n"
            f"Units: **{'miles' if units == 'mi' else 'km'}** (/profile units)\n"
            + _choices_line(dm_reminders, public_pace)
            + f"Saved {discord.utils.format_dt(profile.updated_at, 'D')}"
        ),
        colour=PACER_GREEN,
    )
    for zone in Zone:
        embed.add_field(
            name=f"{zone.value} · {zone.label}", value=_unit_first(_zone_paces(paces, zone), units)
        )
    embed.set_footer(
        text="Used for /pace workout and the My paces button. /profile clear deletes it."
    )
    return embed


def _choices_line(dm_reminders: bool | None, public_pace: bool | None) -> str:
    parts = []
    if dm_reminders is not None:
        parts.append(f"Reminders by DM: **{'on' if dm_reminders else 'off'}** (/profile reminders)")
    if public_pace is not None:
        shown = "shown" if public_pace else "hidden"
        parts.append(f"Pace in public groups: **{shown}** (/profile public-pace)")
    return "".join(f"{part}\n" for part in parts)


def drill_embed(drill: Drill) -> discord.Embed:
    embed = discord.Embed(title=drill.name, description=drill.purpose, colour=PACER_GREEN)
    embed.add_field(
        name="How", value="\n".join(f"{i}. {s}" for i, s in enumerate(drill.steps, 1)), inline=False
    )
    embed.add_field(name="Cues", value="\n".join(f"• {c}" for c in drill.cues), inline=False)
    embed.add_field(
        name="Common mistakes", value="\n".join(f"• {m}" for m in drill.mistakes), inline=False
    )
    embed.add_field(name="Dose", value=drill.dose)
    embed.add_field(name="Category", value=drill.category)
    return embed


def drill_list_embed(drills: Sequence[Drill], category: str | None) -> discord.Embed:
    title = f"Drills: {category}" if category else "Drills"
    embed = discord.Embed(title=title, colour=PACER_GREEN)
    by_category: dict[str, list[Drill]] = {}
    for drill in drills:
        by_category.setdefault(drill.category, []).append(drill)
    for name, items in by_category.items():
        embed.add_field(
            name=name, value="\n".join(f"**{d.name}** · {d.dose}" for d in items), inline=False
        )
    embed.set_footer(text="Use /drill show name for steps, cues and mistakes to avoid.")
    return embed


def routine_embed(steps: Sequence[RoutineStep]) -> discord.Embed:
    embed = discord.Embed(
        title="Warm-up before a speed session",
        description="About 30-35 minutes. Start easy; finish ready to run fast.",
        colour=PACER_GREEN,
    )
    for number, step in enumerate(steps, 1):
        lines = [step.note] if step.note else []
        lines += [f"• {d.name} · {d.dose}" for d in step.drills]
        embed.add_field(
            name=f"{number}. {step.name} ({step.dose})",
            value="\n".join(lines) or step.dose,
            inline=False,
        )
    return embed


def workout_embed(personal: PersonalPlan) -> discord.Embed:
    """The runner's workout targets (rendered in :mod:`bot.ui.workout_embeds`)."""
    return workout_embeds.workout_embed(personal)


def setup_embed(
    config: GuildConfig, *, channel_problem: str | None = None, check_in: str | None = None
) -> discord.Embed:
    """/setup show: the server's settings (``check_in``: the check-in window and season, as
    ``/setup check-in`` says them), and under "Still to do" the steps not done yet and
    ``channel_problem`` (why Pacer can't announce in the chosen channel), if any."""
    embed = discord.Embed(title="Pacer settings for this server", colour=PACER_GREEN)
    channel = f"<#{config.announce_channel_id}>" if config.announce_channel_id else "not set"
    role = f"<@&{config.organizer_role_id}>" if config.organizer_role_id else "not set"
    reminders = (
        ", ".join(format_offset(s) for s in config.reminder_offsets) + " before"
        if config.reminder_offsets
        else "none"
    )
    embed.add_field(name="Announcement channel", value=channel, inline=False)
    embed.add_field(name="Time zone", value=config.timezone)
    embed.add_field(name="Organizer role", value=f"{role} (and Manage Events)")
    embed.add_field(name="Reminders", value=reminders)
    embed.add_field(name="Announced", value=announced_text(config.announce_days))
    embed.add_field(name="Session length", value=f"{config.session_minutes} min unless set")
    events = {
        True: "on",
        False: "off",
        None: "on when Pacer has Manage Events",
    }[config.discord_events]
    embed.add_field(name="Discord events", value=events)
    threads = {
        None: "off",
        "announcement": "with each announcement",
        "first-reminder": "at the first reminder",
    }.get(config.threads_when, "off")
    embed.add_field(name="Threads", value=threads)
    if check_in is not None:
        embed.add_field(name="Check-in", value=check_in, inline=False)
    missing = help_ui.missing_setup(config)
    if channel_problem is not None:
        missing.insert(0, channel_problem)
    if missing:
        embed.add_field(name="Still to do", value="\n".join(missing)[:1024], inline=False)
    return embed


def zone_change_embed(change: ZoneChange) -> discord.Embed:
    """After /setup timezone: the sessions already scheduled, same instants, in the new zone."""
    zone = change.config.zone
    embed = discord.Embed(title="Sessions already scheduled keep their start", colour=PACER_GREEN)
    if not change.upcoming:
        embed.description = "No upcoming sessions: nothing else changed."
        return embed
    lines = [_session_line(s, zone=zone) for s in change.upcoming]
    head = f"Nobody's start moved. In {change.config.timezone} (was {change.previous}) they are:"
    embed.description = (
        head
        + "\n"
        + fit_lines(lines, DESCRIPTION_LIMIT - len(head) - 1, _numbers_left(change.upcoming))
    )
    embed.set_footer(text="To move one, use /session edit: its time is read in the new zone.")
    return embed


def moved_text(moved: tuple[int, ...], previous: int | None) -> str:
    """After /setup channel: which upcoming sessions follow to the new channel."""
    if not moved or previous is None:
        return ""
    numbers = ", ".join(f"#{i}" for i in moved[:20]) + (
        f" and {len(moved) - 20} more" if len(moved) > 20 else ""
    )
    return (
        f"\n{len(moved)} upcoming session{'s' if len(moved) != 1 else ''} not announced yet "
        f"will be announced there too ({numbers}); those already announced in <#{previous}> "
        "stay there with their reminders."
    )


def announced_text(days: int) -> str:
    """The announce-ahead setting in words, including its bounds."""
    if days == 0:
        return "on the day (at 00:00, or with the first reminder if earlier)"
    return f"{days} day{'s' if days != 1 else ''} ahead (or with the first reminder if earlier)"


def _session_line(
    session: SessionRow, mine: State | None = None, zone: ZoneInfo | None = None
) -> str:
    """One session on one line: number, whole title, start (and in words with the server's zone
    where the reply set it), series position, state."""
    series = f" · week {session.position} of {session.weeks}" if session.weeks > 1 else ""
    state = " · **cancelled**" if session.cancelled else ""
    you = f" · you: {mine.value}" if mine is not None else ""
    words = f" ({format_in_zone(session.starts_at, zone)})" if zone is not None else ""
    return (
        f"`#{session.id}` **{escape(session.title)}** · "
        f"{discord.utils.format_dt(session.starts_at, 'F')}{words}{series}{state}{you}"
    )


def escape(text: str) -> str:
    return discord.utils.escape_markdown(text)


def fit_lines(lines: Sequence[str], limit: int, more: Callable[[int], str]) -> str:
    """Whole lines within ``limit`` characters; if some don't fit, ``more(n)`` on its own line
    says how many are left out. Never cuts a line or a word."""
    shown: list[str] = []
    used = 0
    for index, line in enumerate(lines):
        rest = len(lines) - index
        tail = len(more(rest)) + 1 if rest > 1 else 0
        if used + len(line) + 1 + tail > limit:
            return "\n".join([*shown, more(rest)])
        shown.append(line)
        used += len(line) + 1
    return "\n".join(shown)


def _numbers_left(
    sessions: Sequence[SessionRow], hint: str = "see /session list"
) -> Callable[[int], str]:
    def more(count: int) -> str:
        rest = sessions[-count:]
        span = f"#{rest[0].id}" if count == 1 else f"#{rest[0].id}-#{rest[-1].id}"
        return f"… and {count} more ({span}): {hint}."

    return more


def _session_lines(outcome: Outcome) -> str:
    zone = ZoneInfo(outcome.timezone)
    lines = [_session_line(s, zone=zone) for s in outcome.sessions]
    return fit_lines(lines, DESCRIPTION_LIMIT, _numbers_left(outcome.sessions))


def created_embed(outcome: Outcome) -> discord.Embed:
    first = outcome.sessions[0]
    count = len(outcome.sessions)
    embed = discord.Embed(
        title=f"Scheduled: {first.title}" + (f" (weekly, {count} sessions)" if count > 1 else ""),
        colour=PACER_GREEN,
    )
    embed.description = _session_lines(outcome)
    embed.add_field(
        name="What happens next",
        value=f"Each session is announced in <#{first.channel_id}> ahead of time, then reminded. "
        f"Times are read in {outcome.timezone}. Use /session edit or /session cancel with the "
        "#number.",
        inline=False,
    )
    for note in outcome.notes:
        embed.add_field(name="Note", value=shorten(note, 1024), inline=False)
    return embed


def edited_embed(outcome: Outcome) -> discord.Embed:
    """Which occurrences changed and how, each on its own lines; unchanged ones are counted."""
    zone = ZoneInfo(outcome.timezone)
    changed = [s for s in outcome.sessions if s.id in outcome.changes]
    blocks = []
    for session in changed:
        lines = [_session_line(session, zone=zone)]
        for change in outcome.changes[session.id]:
            before, after = _brief(change.before), _brief(change.after)
            if change.field in MEMBER_TEXT:
                before, after = escape(before), escape(after)
            lines.append(f"  {change.field}: {before} → {after}")
        blocks.append("\n".join(lines))
    unchanged = len(outcome.sessions) - len(changed)
    embed = discord.Embed(
        title=f"Updated {len(changed)} session" + ("s" if len(changed) != 1 else ""),
        description=fit_lines(blocks, DESCRIPTION_LIMIT, _numbers_left(changed))
        or "Nothing changed: every field already had that value.",
        colour=PACER_GREEN,
    )
    if unchanged:
        embed.add_field(
            name="Unchanged",
            value=f"{unchanged} session{'s' if unchanged != 1 else ''} already had these values.",
            inline=False,
        )
    for note in outcome.notes:
        embed.add_field(name="Note", value=shorten(note, 1024), inline=False)
    return embed


#: Fields organizers type: markdown in them is shown literally.
MEMBER_TEXT = frozenset({"title", "location", "details", "workout"})


def _brief(value: str) -> str:
    return shorten(" ".join(value.split()), 120)


def cancelled_embed(outcome: Outcome) -> discord.Embed:
    return discord.Embed(
        title=f"Cancelled {len(outcome.sessions)} session"
        + ("s" if len(outcome.sessions) != 1 else ""),
        description=_session_lines(outcome),
        colour=discord.Colour(0xE74C3C),
    )


def listing_embed(listing: Listing) -> discord.Embed:
    embed = discord.Embed(title="Upcoming sessions", colour=PACER_GREEN)
    if not listing.sessions:
        embed.description = "Nothing scheduled. Organizers can add one with /session create."
    else:
        lines = []
        for session in listing.sessions:
            mine = listing.mine.get(session.id)
            lines.append(f"{_session_line(session, mine)}\n  at {escape(session.location)}")
        embed.description = fit_lines(
            lines,
            DESCRIPTION_LIMIT,
            _numbers_left(listing.sessions, "type their #number in /rsvp or /session roster"),
        )
    if listing.problems:
        embed.add_field(
            name="Posts that failed (organizers only)",
            value=fit_lines(
                [f"• {shorten(p, 200)}" for p in listing.problems],
                1024,
                lambda n: f"… and {n} more.",
            ),
            inline=False,
        )
    embed.set_footer(
        text="Pass the #number (or pick from the list) to /session edit, cancel or /rsvp."
    )
    return embed


def roster_embed(session: SessionRow, roster: Roster) -> discord.Embed:
    """The full roster, privately: every name, numbered, within the embed limits."""
    embed = discord.Embed(
        title=f"Who's coming: {session.title[:200]}",
        description=discord.utils.format_dt(session.starts_at, "F"),
        colour=PACER_GREEN,
    )
    places = f"/{session.capacity}" if session.capacity is not None else ""
    groups = (
        (f"Going ({len(roster.going)}{places})", roster.going),
        (f"Waitlist ({len(roster.waitlist)})", roster.waitlist),
        (f"Maybe ({len(roster.maybe)})", roster.maybe),
        (f"Can't make it ({len(roster.no)})", roster.no),
    )
    total = 0
    for name, entries in groups:
        lines = [
            f"{entry.position or index}. <@{entry.user_id}>"
            + (f" ({escape(entry.display_name)})" if entry.display_name else "")
            for index, entry in enumerate(entries, 1)
        ]
        value = _fit(lines, 1024) if lines else "nobody"
        total += len(name) + len(value)
        if total > 5500:
            embed.set_footer(text="Too many to show here: use /session export for everyone.")
            break
        embed.add_field(name=name, value=value, inline=False)
    return embed


def _fit(lines: list[str], limit: int) -> str:
    shown: list[str] = []
    used = 0
    for index, line in enumerate(lines):
        more = f"… +{len(lines) - index} more (see /session export)"
        if used + len(line) + 1 + len(more) > limit:
            return "\n".join([*shown, more])
        shown.append(line)
        used += len(line) + 1
    return "\n".join(shown)
