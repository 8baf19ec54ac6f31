"""The pace groups an organizer sees for a session (privately)."""

from __future__ import annotations

import discord

from bot.domain.parsing import format_pace
from bot.services.groups import SessionGroups

#: Discord allows 25 fields and 1,024 characters per field.
_FIELD_LIMIT = 1024
_MAX_GROUP_FIELDS = 20


def groups_embed(result: SessionGroups) -> discord.Embed:
    """One field per group: members (mentions), its threshold-pace range and its targets; then
    the members going with no profile. Paces are per group, never per runner: profiles are
    shared across servers and individual fitness is the runner's to show."""
    session = result.session
    embed = discord.Embed(
        title=f"Pace groups: {session.title}",
        description=(
            f"<t:{int(session.starts_at.timestamp())}:F> · {result.rule}. Targets are planned at "
            "each group's middle runner; the range is the group's threshold (T) pace."
        ),
        colour=discord.Colour.orange(),
    )
    if not result.groups:
        embed.add_field(
            name="No groups yet",
            value="Nobody going has a saved profile."
            if result.no_profile
            else "Nobody is going yet.",
            inline=False,
        )
    for number, planned in enumerate(result.groups[:_MAX_GROUP_FIELDS], start=1):
        group = planned.group
        fast = format_pace(group.fastest_s_per_km, result.per_mile)
        slow = format_pace(group.slowest_s_per_km, result.per_mile)
        # "3:52-3:56/km": the unit once, after the range.
        pace = slow if fast == slow else f"{fast.split('/')[0]}-{slow}"
        members = " ".join(f"<@{runner.user_id}>" for runner in group.runners)
        lines = [members, *(f"• {line}" for line in planned.plan.lines(result.per_mile))]
        size = len(group.runners)
        embed.add_field(
            name=f"Group {number} · T {pace} · {size} runner{'s' if size != 1 else ''}",
            value=_fit(lines),
            inline=False,
        )
    if result.no_profile:
        embed.add_field(
            name=f"No profile ({len(result.no_profile)})",
            value=_fit(
                [
                    " ".join(f"<@{user}>" for user in result.no_profile),
                    "They can add one with /profile set race: 5K time: 22:30 (any recent race), "
                    "then run this again.",
                ]
            ),
            inline=False,
        )
    embed.set_footer(text="Only you can see this.")
    return embed


def _fit(lines: list[str]) -> str:
    text = "\n".join(lines)
    return text if len(text) <= _FIELD_LIMIT else text[: _FIELD_LIMIT - 1] + "…"
