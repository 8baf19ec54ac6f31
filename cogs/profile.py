"""/profile: a runner's recent race (their paces), goal race and unit."""

from __future__ import annotations

import discord
from discord import app_commands
from discord.ext import commands

from bot.app import PacerBot
from bot.domain.parsing import format_duration
from bot.tree import reply
from bot.ui import embeds
from bot.ui.rsvp import dm_reminders_text
from cogs.pace import RACE_HELP, TIME_HELP, race_autocomplete

UNIT_CHOICES = [
    app_commands.Choice(name="kilometres", value="km"),
    app_commands.Choice(name="miles", value="mi"),
]


DM_CHOICES = [
    app_commands.Choice(name="on", value="on"),
    app_commands.Choice(name="off", value="off"),
]


class ProfileCog(
    commands.GroupCog, group_name="profile", group_description="Your race for personal paces"
):
    def __init__(self, bot: PacerBot) -> None:
        self.bot = bot
        super().__init__()

    @app_commands.command(name="set")
    @app_commands.describe(race=RACE_HELP, time=TIME_HELP)
    @app_commands.autocomplete(race=race_autocomplete)
    async def set_(self, interaction: discord.Interaction[PacerBot], race: str, time: str) -> None:
        """Save a recent race so workouts and sessions show your own paces."""
        shown = await self.bot.services.profiles.set(
            interaction.user.id, race, time, interaction.guild_id
        )
        await reply(
            interaction,
            "Saved. Your paces now follow this race.",
            embed=embeds.profile_embed(shown.profile, shown.paces, shown.units, shown.goal_text),
        )
        await self._groups_changed(interaction.user.id)

    @app_commands.command(name="goal")
    @app_commands.describe(
        race="Your goal race: marathon, half marathon, 10K, 5K, or any distance like 12 km",
        time="Your goal time, mm:ss or h:mm:ss, like 3:30:00",
    )
    @app_commands.autocomplete(race=race_autocomplete)
    async def goal(self, interaction: discord.Interaction[PacerBot], race: str, time: str) -> None:
        """Save a goal race: goal paces and Yasso 800s aim at it; your paces stay your own."""
        goal = await self.bot.services.profiles.set_goal(interaction.user.id, race, time)
        await reply(
            interaction,
            f"Saved your goal: **{goal.race_name} in {format_duration(goal.seconds)}** "
            f"(VDOT {goal.vdot:.1f}). Goal pace, goal marathon pace and Yasso 800s now aim at "
            "it; your training paces still follow the race you saved with /profile set.",
        )

    @app_commands.command(name="units")
    @app_commands.describe(units="Show paces and distances in kilometres or miles first")
    @app_commands.choices(units=UNIT_CHOICES)
    async def units(self, interaction: discord.Interaction[PacerBot], units: str) -> None:
        """Choose kilometres or miles for your paces."""
        chosen = await self.bot.services.units.set_mine(interaction.user.id, units)
        word = "miles" if chosen == "mi" else "kilometres"
        await reply(
            interaction,
            f"Saved: your replies lead with **{word}**. An adjustment written without a unit, "
            f"like MP-10s, is now per {'mile' if chosen == 'mi' else 'km'}.",
        )

    @app_commands.command(name="public-pace")
    @app_commands.describe(
        public="True: published pace groups show your threshold pace beside your name"
    )
    async def public_pace(self, interaction: discord.Interaction[PacerBot], public: bool) -> None:
        """Choose whether public pace groups show your pace (off unless you turn it on)."""
        for session_id in await self.bot.services.groups.set_public_pace(
            interaction.user.id, public
        ):
            self.bot.services.changes.announcement_changed(session_id)
        text = (
            "Saved: published pace groups now show your threshold (T) pace beside your name, in "
            "every server where you're going to a session. Turn it off with "
            "/profile public-pace public: False."
            if public
            else "Saved: published pace groups show only your name. Your race and paces stay "
            "private (only you see /profile show)."
        )
        await reply(interaction, text)

    @app_commands.command(name="reminders")
    @app_commands.describe(dm="on: also get the reminders of sessions you're going to by DM")
    @app_commands.choices(dm=DM_CHOICES)
    async def reminders(self, interaction: discord.Interaction[PacerBot], dm: str) -> None:
        """Get the reminders of sessions you're going to by DM too (or stop)."""
        choice = await self.bot.services.dm_reminders.set_mine(interaction.user.id, dm == "on")
        await reply(interaction, dm_reminders_text(choice.enabled))

    @app_commands.command(name="show")
    async def show(self, interaction: discord.Interaction[PacerBot]) -> None:
        """Show your saved race, goal, VDOT and training paces (only you see it)."""
        user_id = interaction.user.id
        shown = await self.bot.services.profiles.show(user_id, interaction.guild_id)
        dm = await self.bot.services.dm_reminders.mine(user_id)
        public = await self.bot.services.groups.shows_pace(user_id)
        await reply(
            interaction,
            embed=embeds.profile_embed(
                shown.profile,
                shown.paces,
                shown.units,
                shown.goal_text,
                dm_reminders=dm.enabled,
                public_pace=public,
            ),
        )

    @app_commands.command(name="clear")
    async def clear(self, interaction: discord.Interaction[PacerBot]) -> None:
        """Delete everything Pacer stores about your running profile."""
        deleted = await self.bot.services.profiles.clear(interaction.user.id)
        text = (
            "Deleted: Pacer no longer stores a race, goal or unit for you."
            if deleted
            else "There was nothing to delete: you had no saved race."
        )
        await reply(interaction, text)
        await self._groups_changed(interaction.user.id)

    async def _groups_changed(self, user_id: int) -> None:
        # Published pace groups place (or list apart) members by their profile.
        for session_id in await self.bot.services.groups.profile_changed(user_id):
            self.bot.services.changes.announcement_changed(session_id)


async def setup(bot: PacerBot) -> None:
    await bot.add_cog(ProfileCog(bot))
