"""Replies to a member's RSVP, and the RSVP buttons."""

from __future__ import annotations

import re
from typing import Any

import discord

from bot import reactions
from bot.domain.rsvp import Response, State
from bot.outbox.render import safe
from bot.services.registry import services_of
from bot.services.rsvps import RsvpResult
from bot.tree import in_time, reply
from bot.ui.actor import role_ids_of


def rsvp_reply(result: RsvpResult, leftover: tuple[str, ...] = ()) -> str:
    """What the member is told once their answer is saved; ``leftover`` are their reactions on
    the announcement that Pacer could not take away, which no longer count."""
    text = _answer_text(result)
    if leftover:
        shown = " ".join(leftover)
        text += (
            f"\nYour {shown} reaction on the announcement is left over and no longer counts: "
            "your latest answer, this one, is the one that counts."
        )
    return text


def _answer_text(result: RsvpResult) -> str:
    session = result.session
    title = safe(session.title[:100])
    start = discord.utils.format_dt(session.starts_at, "F")
    if result.state is State.GOING:
        places = (
            f" ({result.going} of {session.capacity} places taken)"
            if session.capacity is not None
            else f" ({result.going} going)"
        )
        return f"✅ You're going to **{title}**, {start}{places}."
    if result.state is State.WAITLIST:
        return (
            f"⏳ **{title}** is full: you're **#{result.position} on the waitlist**. "
            "You'll be told as soon as a place opens up."
        )
    if result.state is State.MAYBE:
        return f"🤔 Marked as maybe for **{title}**, {start}."
    if result.state is State.NO:
        return f"❌ Got it: you can't make **{title}**, {start}."
    return f"Your answer for **{title}** is removed."


def dm_reminders_text(enabled: bool) -> str:
    """What a member is told after turning reminders by DM on or off."""
    if enabled:
        return (
            "🔔 Reminders by DM are **on**: besides the channel, I'll DM you the reminders of "
            "sessions you're going to. Turn them off with /profile reminders dm: off."
        )
    return "🔕 Reminders by DM are **off**: you'll see reminders in the channel only."


class DmRemindersButton(
    discord.ui.DynamicItem[discord.ui.Button[Any]], template=r"pacer:dm-reminders:(?P<session>\d+)"
):
    """ "DM reminders": turns the clicking member's reminders by DM on or off, privately."""

    def __init__(self, session_id: int) -> None:
        super().__init__(
            discord.ui.Button(
                label="DM reminders",
                emoji="🔔",
                style=discord.ButtonStyle.secondary,
                custom_id=f"pacer:dm-reminders:{session_id}",
            )
        )
        self.session_id = session_id

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction[Any], item: discord.ui.Item[Any], match: re.Match[str]
    ) -> DmRemindersButton:
        return cls(int(match["session"]))

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        try:
            choice = await services_of(interaction.client).dm_reminders.set_mine(
                interaction.user.id, None
            )
            await reply(interaction, dm_reminders_text(choice.enabled))
        except Exception as error:
            await interaction.client.tree.on_error(interaction, error)


async def tell_if_dms_closed(interaction: discord.Interaction[Any]) -> None:
    """Once after a reminder by DM bounced, tell the member privately (a follow-up to the
    reply just sent)."""
    notice = await services_of(interaction.client).dm_reminders.closed_notice(interaction.user.id)
    if notice is not None:
        await reply(interaction, notice)


def removed_reply(result: RsvpResult, user_id: int) -> str:
    """For the organizer who took a member's answer off a session."""
    title = safe(result.session.title[:100])
    was = result.state.value if result.state is not None else "no answer"
    text = f"Removed <@{user_id}>'s answer ({was}) from **{title}**."
    if result.state is State.GOING and result.session.capacity is not None:
        text += (
            f" {result.going} of {result.session.capacity} places are taken now; a freed place "
            "goes to the first on the waitlist who is still in the server."
        )
    return text


_BUTTONS = {
    Response.GOING: (discord.ButtonStyle.success, "Going"),
    Response.MAYBE: (discord.ButtonStyle.secondary, "Maybe"),
    Response.NO: (discord.ButtonStyle.danger, "Can't"),
}


class RsvpButton(
    discord.ui.DynamicItem[discord.ui.Button[Any]],
    template=r"pacer:rsvp:(?P<session>\d+):(?P<status>going|maybe|no)",
):
    """Going / Maybe / Can't: the answer is saved, then confirmed privately."""

    def __init__(self, session_id: int, response: Response) -> None:
        style, label = _BUTTONS[response]
        super().__init__(
            discord.ui.Button(
                label=label,
                style=style,
                custom_id=f"pacer:rsvp:{session_id}:{response.value}",
            )
        )
        self.session_id = session_id
        self.response = response

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction[Any], item: discord.ui.Item[Any], match: re.Match[str]
    ) -> RsvpButton:
        return cls(int(match["session"]), Response(match["status"]))

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        try:
            services = services_of(interaction.client)
            result = await in_time(
                interaction,
                services.rsvps.respond(
                    interaction.guild_id or 0,
                    self.session_id,
                    interaction.user.id,
                    interaction.user.display_name,
                    self.response,
                    "button",
                    role_ids_of(interaction.user),
                ),
            )
            client = interaction.client
            left = reactions.leftover(client, result.session, result.stale_reactions)
            await reply(interaction, rsvp_reply(result, left))
            await tell_if_dms_closed(interaction)
            await reactions.remove_stale(
                client, result.session, interaction.user.id, result.stale_reactions
            )
            if result.changed:
                services.changes.announcement_changed(self.session_id)
        except Exception as error:
            await interaction.client.tree.on_error(interaction, error)
