"""/drill: running drills and the pre-session warm-up."""

from __future__ import annotations

import discord
from discord import app_commands
from discord.ext import commands

from bot.app import PacerBot
from bot.services import coaching
from bot.tree import reply
from bot.ui import embeds


async def drill_autocomplete(
    interaction: discord.Interaction[PacerBot], current: str
) -> list[app_commands.Choice[str]]:
    return [
        app_commands.Choice(name=drill.name, value=drill.name)
        for drill in coaching.search_drills(current)
    ]


class DrillsCog(commands.GroupCog, group_name="drill", group_description="Running drills"):
    def __init__(self, bot: PacerBot) -> None:
        self.bot = bot
        super().__init__()

    @app_commands.command(name="show")
    @app_commands.describe(name="The drill, like A skip, high knees or strides")
    @app_commands.autocomplete(name=drill_autocomplete)
    async def show(self, interaction: discord.Interaction[PacerBot], name: str) -> None:
        """How to do a drill: steps, coaching cues, mistakes and dose."""
        drill = coaching.find_drill(name)
        await reply(interaction, embed=embeds.drill_embed(drill), ephemeral=False)

    @app_commands.command(name="list")
    @app_commands.describe(category="Only one kind of drill")
    @app_commands.choices(
        category=[app_commands.Choice(name=c, value=c) for c in coaching.DRILL_CATEGORIES]
    )
    async def list_(
        self, interaction: discord.Interaction[PacerBot], category: str | None = None
    ) -> None:
        """Every drill Pacer can teach, by category."""
        drills = coaching.drills_in(category)
        await reply(interaction, embed=embeds.drill_list_embed(drills, category), ephemeral=False)

    @app_commands.command(name="routine")
    async def routine(self, interaction: discord.Interaction[PacerBot]) -> None:
        """A warm-up routine for before a speed session."""
        await reply(
            interaction, embed=embeds.routine_embed(coaching.warmup_routine()), ephemeral=False
        )


async def setup(bot: PacerBot) -> None:
    await bot.add_cog(DrillsCog(bot))
