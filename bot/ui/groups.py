"""Pace groups: what an organizer sees (privately), the "Groups" button a member presses to see
their own group, and the replies to moves and leaders."""

from __future__ import annotations

import re
from typing import Any

import discord

from bot.domain.parsing import format_pace
from bot.services.groups import GroupPlan, Moved, MyGroup, SessionGroups
from bot.services.registry import services_of
from bot.tree import reply
from bot.ui.actor import actor

#: Discord allows 25 fields and 1,024 characters per field.
_FIELD_LIMIT = 1024
_MAX_GROUP_FIELDS = 20
#: How to add a profile, in one line (used wherever a member without one is mentioned).
ADD_PROFILE = "/profile set race: 5K time: 22:30 (any recent race)"


def _pace_range(planned: GroupPlan, per_mile: bool) -> str | None:
    group = planned.group
    if group is None:
        return None
    fast = format_pace(group.fastest_s_per_km, per_mile)
    slow = format_pace(group.slowest_s_per_km, per_mile)
    # "3:52-3:56/km": the unit once, after the range.
    return slow if fast == slow else f"{fast.split('/')[0]}-{slow}"


def groups_embed(result: SessionGroups) -> discord.Embed:
    """One field per group: members (mentions), its threshold-pace range and its targets; then
    the members going with no profile. Paces are per group, never per runner: profiles are
    shared across servers and individual fitness is the runner's to show."""
    session = result.session
    state = (
        "Published on the announcement (names only, and the pace of runners who chose to show it)."
        if result.published
        else f"A preview: /session groups session: #{session.id} publish: True shows these "
        "groups on the announcement."
    )
    embed = discord.Embed(
        title=f"Pace groups: {session.title}",
        description=(
            f"<t:{int(session.starts_at.timestamp())}:F> · {result.rule}. Targets are planned at "
            "each group's middle runner; the range is the group's threshold (T) pace.\n" + state
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
    for position, planned in enumerate(result.groups[:_MAX_GROUP_FIELDS], start=1):
        number = planned.number if result.published else position
        members = " ".join(f"<@{user}>" for user in planned.members)
        lines = [members]
        if planned.leader is not None:
            lines.append(f"Leader: <@{planned.leader}>")
        if planned.plan is not None:
            lines += [f"• {line}" for line in planned.plan.lines(result.per_mile)]
        size = len(planned.members)
        pace = _pace_range(planned, result.per_mile)
        head = f"Group {number} · T {pace}" if pace else f"Group {number}"
        embed.add_field(
            name=f"{head} · {size} runner{'s' if size != 1 else ''}",
            value=_fit(lines),
            inline=False,
        )
    if result.no_profile:
        embed.add_field(
            name=f"No profile ({len(result.no_profile)})",
            value=_fit(
                [
                    " ".join(f"<@{user}>" for user in result.no_profile),
                    f"They can add one with {ADD_PROFILE}"
                    + (
                        "; they're told so once, by DM."
                        if result.published
                        else ", then run this again."
                    ),
                ]
            ),
            inline=False,
        )
    embed.set_footer(text="Only you can see this.")
    return embed


def my_group_embed(mine: MyGroup, user_id: int) -> discord.Embed:
    """A member's own group: who runs with them, the leader and the group's targets, in their
    unit. Raises nothing: a member in no group is told why and what to do."""
    session = mine.session
    embed = discord.Embed(title=f"Your pace group: {session.title}", colour=discord.Colour.orange())
    group = mine.group
    if group is None:
        embed.description = (
            f"You're going but have no profile, so you're in no group yet. Add one with "
            f"{ADD_PROFILE}: you'll be placed in the group that fits you."
            if mine.no_profile
            else "You're in no group: groups are for members going. Answer Going and you'll be "
            "placed in the group that fits your profile."
        )
        return embed
    others = [f"<@{u}>" for u in group.members if u != user_id]
    embed.description = f"You're in **Group {group.number}**" + (
        f" with {', '.join(others)}." if others else ", on your own for now."
    )
    if group.leader is not None:
        leader = "you" if group.leader == user_id else f"<@{group.leader}>"
        embed.add_field(name="Leader", value=leader, inline=False)
    pace = _pace_range(group, mine.per_mile)
    if pace:
        embed.add_field(name="Group's threshold pace", value=f"T {pace}", inline=False)
    if group.plan is not None:
        embed.add_field(
            name="The group's targets",
            value=_fit(
                [f"• {line}" for line in group.plan.lines(mine.per_mile)]
                + ["Planned at the group's middle runner; My paces gives your own."]
            ),
            inline=False,
        )
    elif mine.no_profile:
        embed.add_field(
            name="Targets",
            value=f"An organizer placed you here. Add a profile for targets: {ADD_PROFILE}.",
            inline=False,
        )
    embed.set_footer(text="Only you can see this.")
    return embed


def moved_reply(moved: Moved, *, leader: bool = False) -> str:
    who = f"<@{moved.user_id}>"
    title = moved.session.title
    if leader:
        text = f"{who} now leads Group {moved.group_no} of {title}."
        if moved.before is not None and moved.before != moved.group_no:
            text += f" They were in Group {moved.before}, so they move with it."
        elif moved.before is None:
            text += " They were listed apart, so they're placed in it."
        return text + " The announcement updates in a few seconds."
    if moved.before == moved.group_no:
        return (
            f"{who} was already in Group {moved.group_no} of {title}; they stay there whatever "
            "answers come next."
        )
    was = f" (was Group {moved.before})" if moved.before is not None else ""
    return (
        f"Moved {who} to Group {moved.group_no} of {title}{was}. They stay there whatever answers "
        "come next; the announcement updates in a few seconds."
    )


def _fit(lines: list[str]) -> str:
    text = "\n".join(lines)
    return text if len(text) <= _FIELD_LIMIT else text[: _FIELD_LIMIT - 1] + "…"


class GroupsButton(
    discord.ui.DynamicItem[discord.ui.Button[Any]], template=r"pacer:groups:(?P<session>\d+)"
):
    """ "Groups", privately: a member's own published pace group; before the groups are
    published, an organizer gets the split as ``/session groups`` shows it (with how to
    publish), a member that they aren't published yet."""

    def __init__(self, session_id: int) -> None:
        super().__init__(
            discord.ui.Button(
                label="Groups",
                emoji="👥",
                style=discord.ButtonStyle.secondary,
                custom_id=f"pacer:groups:{session_id}",
            )
        )
        self.session_id = session_id

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction[Any], item: discord.ui.Item[Any], match: re.Match[str]
    ) -> GroupsButton:
        return cls(int(match["session"]))

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        try:
            service = services_of(interaction.client).groups
            guild_id = interaction.guild_id or 0
            if not await service.is_published(guild_id, self.session_id) and (
                await service.may_organize(actor(interaction), guild_id)
            ):
                preview = await service.groups(actor(interaction), guild_id, f"#{self.session_id}")
                await reply(interaction, embed=groups_embed(preview))
                return
            mine = await service.mine(guild_id, self.session_id, interaction.user.id)
            await reply(interaction, embed=my_group_embed(mine, interaction.user.id))
        except Exception as error:
            await interaction.client.tree.on_error(interaction, error)
