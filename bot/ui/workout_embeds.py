"""A runner's workout plan as an embed: sets, recoveries, warm-up and cool-down, Daniels'
warnings, in the runner's own unit first. Rendering only: the numbers come from the planner.

Discord allows 25 fields of 1,024 characters and 6,000 characters in all: one field per part of
the session (a block or a set), then the total and any warnings; longer sessions say how many
parts were left out.
"""

from __future__ import annotations

import discord

from bot.domain.pace import MILE_M
from bot.domain.parsing import format_duration, format_pace
from bot.domain.workouts import Block, Part, PlannedBlock, RepeatSet, WorkoutPlan
from bot.services.workouts import PersonalPlan

PACER_GREEN = discord.Colour(0x2ECC71)
WARNING_AMBER = discord.Colour(0xF1C40F)
MAX_PART_FIELDS = 22  # 25 fields at most: the parts, the total, the warnings, one "more" line
MAX_EMBED_CHARS = 5800  # under Discord's 6,000, leaving room for the footer
_PART_WORDS = {Part.WARMUP: "Warm-up", Part.COOLDOWN: "Cool-down"}


def workout_embed(personal: PersonalPlan) -> discord.Embed:
    """The runner's targets for every part of the session, privately."""
    plan = personal.plan
    per_mile = personal.per_mile
    unit = "miles" if per_mile else "km"
    title = plan.workout.name or "Your workout"
    lines = [f"Paces {personal.source}, shown in **{unit}** first."]
    if personal.goal:
        lines.append(f"Goal paces: {personal.goal}.")
    lines += [f"• {note}" for note in plan.notes if not note.startswith("No goal race saved")]
    embed = discord.Embed(
        title=f"{title}: your targets"[:256],
        description="\n".join(lines)[:4000],
        colour=WARNING_AMBER if plan.warnings else PACER_GREEN,
    )
    planned = {id(p.block): p for p in plan.blocks}
    used = len(embed.title or "") + len(embed.description or "")
    items = plan.workout.items
    shown = 0
    for item in items:
        name, value = _item_field(item, planned, per_mile)
        if shown >= MAX_PART_FIELDS or used + len(name) + len(value) > MAX_EMBED_CHARS - 600:
            break
        embed.add_field(name=name[:256], value=value[:1024], inline=False)
        used += len(name[:256]) + len(value[:1024])
        shown += 1
    if shown < len(items):
        embed.add_field(
            name="More",
            value=f"{len(items) - shown} more parts: see the workout text for the rest.",
            inline=False,
        )
    embed.add_field(name="Total", value=plan.summary(per_mile)[:1024], inline=False)
    if plan.warnings:
        embed.add_field(
            name="Daniels' limits",
            value="\n".join(f"⚠️ {w}" for w in plan.warnings)[:1024],
            inline=False,
        )
    return embed


def _item_field(
    item: Block | RepeatSet, planned: dict[int, PlannedBlock], per_mile: bool
) -> tuple[str, str]:
    if isinstance(item, Block):
        return _block_name(item), _block_value(planned[id(item)], per_mile)
    lines = []
    for inner in item.blocks():
        lines.append(f"**{_block_name(inner)}**: {_block_value(planned[id(inner)], per_mile)}")
    if item.between is not None:
        lines.append(f"Between sets: {item.between.describe()}")
    count = f"{item.times}-{item.times_max}" if item.times_max else str(item.times)
    return f"{count} sets of", "\n".join(lines)


def _block_name(block: Block) -> str:
    word = _PART_WORDS.get(block.part)
    if word is not None:
        amount = block.amount_text()
        return f"{word}: {amount} easy" if amount else word
    return block.describe()


def _block_value(planned: PlannedBlock, per_mile: bool) -> str:
    block = planned.block
    if block.part is not Part.WORK:
        if planned.s_per_km is None:
            return "Easy running, as long as you like."
        return f"Easy: {_paces(planned.s_per_km, per_mile)}"
    if planned.s_per_km is None:
        return f"By effort ({block.target.label}), not pace."
    if planned.rep_paces:
        steps = [
            f"{i}. **{_rep_target(block, pace, per_mile)}** · {_paces(pace, per_mile)}"
            for i, pace in enumerate(planned.rep_paces, 1)
            if pace is not None
        ]
        return "\n".join(steps)
    each = " each" if block.reps > 1 else ""
    pace = planned.s_per_km
    line = f"**{_rep_target(block, pace, per_mile)}**{each} · {_paces(pace, per_mile)}"
    if block.distance_m is not None and 400 < block.distance_m <= 2000:
        line += f" · {format_duration(pace * 0.4)} per 400 m"
    return line


def _rep_target(block: Block, s_per_km: float, per_mile: bool) -> str:
    """The number to aim for: the rep's time, or for timed reps how far it goes."""
    if block.distance_m is not None:
        return format_duration(s_per_km * block.distance_m / 1000.0)
    metres = (block.seconds or 0.0) / s_per_km * 1000.0
    if per_mile:
        return f"about {metres / MILE_M:.2f} mi"
    if metres < 1000:
        return f"about {round(metres, -1):.0f} m"
    return f"about {metres / 1000:.2f} km"


def _paces(s_per_km: float, per_mile: bool) -> str:
    km, mile = format_pace(s_per_km), format_pace(s_per_km, per_mile=True)
    return f"{mile} · {km}" if per_mile else f"{km} · {mile}"


def plan_lines(plan: WorkoutPlan, per_mile: bool) -> list[str]:
    """The plan as plain lines (for logs and tests): one per part."""
    planned = {id(p.block): p for p in plan.blocks}
    return [" ".join(_item_field(item, planned, per_mile)) for item in plan.workout.items]
