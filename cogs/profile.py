"""/profile: a runner's saved race, for personal paces."""

from __future__ import annotations

import discord
from discord import app_commands
from discord.ext import commands

from bot.app import PacerBot
from bot.tree import reply
from bot.ui import embeds
from cogs.pace import RACE_HELP, TIME_HELP, race_autocomplete


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
        shown = await self.bot.services.profiles.set(interaction.user.id, race, time)
        await reply(
            interaction,
            "Saved. Your paces now follow this race.",
            embed=embeds.profile_embed(shown.profile, shown.paces),
        )

    @app_commands.command(name="show")
    async def show(self, interaction: discord.Interaction[PacerBot]) -> None:
        """Show your saved race, VDOT and training paces (only you see it)."""
        shown = await self.bot.services.profiles.show(interaction.user.id)
        await reply(interaction, embed=embeds.profile_embed(shown.profile, shown.paces))

    @app_commands.command(name="clear")
    async def clear(self, interaction: discord.Interaction[PacerBot]) -> None:
        """Delete everything Pacer stores about your running profile."""
        deleted = await self.bot.services.profiles.clear(interaction.user.id)
        text = (
            "Deleted: Pacer no longer stores a race for you."
            if deleted
            else "There was nothing to delete: you had no saved race."
        )
        await reply(interaction, text)


async def setup(bot: PacerBot) -> None:
    await bot.add_cog(ProfileCog(bot))
