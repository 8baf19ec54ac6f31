"""Persistent buttons on announcements: ``DynamicItem`` s whose custom id carries the session,
so they keep working on old messages and across restarts."""

from __future__ import annotations

import io
import re
from typing import Any

import discord

from bot.domain.rsvp import Response
from bot.outbox.render import Buttons
from bot.services.registry import services_of
from bot.tree import reply
from bot.ui.attendance import CheckInButton
from bot.ui.groups import GroupsButton
from bot.ui.rsvp import DmRemindersButton, RsvpButton
from bot.ui.watch import WatchButton


class PacesButton(
    discord.ui.DynamicItem[discord.ui.Button[Any]], template=r"pacer:paces:(?P<session>\d+)"
):
    """ "My paces": the clicking runner's own target time per rep, privately."""

    def __init__(self, session_id: int) -> None:
        super().__init__(
            discord.ui.Button(
                label="My paces",
                emoji="⏱️",
                style=discord.ButtonStyle.secondary,
                custom_id=f"pacer:paces:{session_id}",
            )
        )
        self.session_id = session_id

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction[Any], item: discord.ui.Item[Any], match: re.Match[str]
    ) -> PacesButton:
        return cls(int(match["session"]))

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        from bot.ui.embeds import workout_embed

        try:
            plan = await services_of(interaction.client).sessions.paces_for(
                interaction.guild_id or 0, self.session_id, interaction.user.id
            )
            await reply(interaction, embed=workout_embed(plan))
        except Exception as error:
            await interaction.client.tree.on_error(interaction, error)


class CalendarButton(
    discord.ui.DynamicItem[discord.ui.Button[Any]], template=r"pacer:ics:(?P<session>\d+)"
):
    """ "Add to calendar": an .ics file for this occurrence, privately."""

    def __init__(self, session_id: int) -> None:
        super().__init__(
            discord.ui.Button(
                label="Add to calendar",
                emoji="📅",
                style=discord.ButtonStyle.secondary,
                custom_id=f"pacer:ics:{session_id}",
            )
        )
        self.session_id = session_id

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction[Any], item: discord.ui.Item[Any], match: re.Match[str]
    ) -> CalendarButton:
        return cls(int(match["session"]))

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        try:
            filename, data = await services_of(interaction.client).sessions.calendar_file(
                interaction.guild_id or 0, self.session_id
            )
            await reply(
                interaction,
                "Here's this session for your calendar (it updates nothing automatically: "
                "download it again if the time changes).",
                file=discord.File(io.BytesIO(data), filename=filename),
            )
        except Exception as error:
            await interaction.client.tree.on_error(interaction, error)


DYNAMIC_ITEMS: tuple[type[discord.ui.DynamicItem[Any]], ...] = (
    RsvpButton,
    PacesButton,
    CalendarButton,
    WatchButton,
    CheckInButton,
    GroupsButton,
    DmRemindersButton,
)


def buttons_view(buttons: Buttons) -> discord.ui.View:
    """The buttons under an announcement (the outbox leaves them off once it is cancelled)."""
    return announcement_view(
        buttons.session_id,
        answers_open=buttons.answers_open,
        groups=buttons.groups,
        check_in=buttons.check_in,
    )


def announcement_view(
    session_id: int, *, answers_open: bool = True, groups: bool = False, check_in: bool = True
) -> discord.ui.View:
    """The buttons under an announcement: answers (disabled once answers close) and, once
    pace groups are published, "Groups"; then personal tools."""
    view = discord.ui.View(timeout=None)
    for response in Response:
        button = RsvpButton(session_id, response)
        button.item.row = 0
        button.item.disabled = not answers_open
        view.add_item(button)
    if groups:
        # On the answers' row (4 of 5), leaving the tools' row room for one more.
        shown = GroupsButton(session_id)
        shown.item.row = 0
        view.add_item(shown)
    # "I'm here" only inside the check-in window: the outbox redraws the announcement when the
    # window opens and when it closes. A client that has not refreshed can still click it; the
    # reply then says when check-in opens, or that it closed.
    # "DM reminders" is a member's own choice, not an answer: with the tools, never disabled
    # (5 of 5 on that row while check-in is open).
    tools: list[discord.ui.DynamicItem[Any]] = [
        DmRemindersButton(session_id),
        PacesButton(session_id),
        CalendarButton(session_id),
        WatchButton(session_id),
    ]
    if check_in:
        tools.append(CheckInButton(session_id))
    for tool in tools:
        tool.item.row = 1
        view.add_item(tool)
    return view
