"""/pace: zones, predictions, conversions, splits and personal workout targets."""

from __future__ import annotations

import discord
from discord import app_commands
from discord.ext import commands

from bot.app import PacerBot
from bot.services import coaching
from bot.tree import reply
from bot.ui import embeds, watch

RACE_HELP = "Race distance: 5K, 10K, half marathon, mile, or any distance like 12 km"
TIME_HELP = "Your finishing time, mm:ss or h:mm:ss, like 22:30 or 1:35:20"


async def race_autocomplete(
    interaction: discord.Interaction[PacerBot], current: str
) -> list[app_commands.Choice[str]]:
    return [
        app_commands.Choice(name=race.name, value=race.name)
        for race in coaching.race_suggestions(current)
    ]


async def workout_autocomplete(
    interaction: discord.Interaction[PacerBot], current: str
) -> list[app_commands.Choice[str]]:
    return [
        app_commands.Choice(name=text[:100], value=text[:100])
        for text in coaching.workout_suggestions(current)
    ]


class PaceCog(commands.GroupCog, group_name="pace", group_description="Pace zones and race maths"):
    def __init__(self, bot: PacerBot) -> None:
        self.bot = bot
        super().__init__()

    @app_commands.command(name="zones")
    @app_commands.describe(race=RACE_HELP, time=TIME_HELP)
    @app_commands.autocomplete(race=race_autocomplete)
    async def zones(self, interaction: discord.Interaction[PacerBot], race: str, time: str) -> None:
        """Your VDOT and training paces (easy, marathon, threshold, interval, rep) from a race."""
        report = coaching.zones(race, time)
        units = await self.bot.services.units.units_for(interaction.user.id, interaction.guild_id)
        await reply(interaction, embed=embeds.zones_embed(report, units), ephemeral=False)

    @app_commands.command(name="predict")
    @app_commands.describe(race=RACE_HELP, time=TIME_HELP)
    @app_commands.autocomplete(race=race_autocomplete)
    async def predict(
        self, interaction: discord.Interaction[PacerBot], race: str, time: str
    ) -> None:
        """Equivalent times from 1500 m to the marathon for a race result."""
        report = coaching.predict(race, time)
        await reply(interaction, embed=embeds.predict_embed(report), ephemeral=False)

    @app_commands.command(name="convert")
    @app_commands.describe(pace="A pace or speed, like 4:30/km, 7:15/mi, 13.3 km/h or 8 mph")
    async def convert(self, interaction: discord.Interaction[PacerBot], pace: str) -> None:
        """Convert a pace between min/km, min/mile, km/h, mph and 400 m laps."""
        parsed = coaching.convert(pace)
        await reply(interaction, embed=embeds.convert_embed(parsed), ephemeral=False)

    @app_commands.command(name="splits")
    @app_commands.describe(
        race=RACE_HELP,
        time="Goal time, mm:ss or h:mm:ss, like 22:30",
        lap="Lap length in metres (default 400)",
    )
    @app_commands.autocomplete(race=race_autocomplete)
    async def splits(
        self,
        interaction: discord.Interaction[PacerBot],
        race: str,
        time: str,
        lap: app_commands.Range[int, coaching.MIN_LAP_M, coaching.MAX_LAP_M] = 400,
    ) -> None:
        """Even splits per lap, per km and per mile for a goal time."""
        report = coaching.splits(race, time, lap)
        await reply(interaction, embed=embeds.splits_embed(report), ephemeral=False)

    @app_commands.command(name="workout")
    @app_commands.describe(
        workout='Reps like "6x800 @ I w/ 400 jog", "20 min @ M", or a classic like "ladder"',
        race="Race for your paces (else your saved /profile)",
        time="Time for that race, like 22:30 (else your saved /profile)",
        file="Also send it as a .fit workout file for your watch (Garmin, Coros, Wahoo, ...)",
    )
    @app_commands.autocomplete(workout=workout_autocomplete, race=race_autocomplete)
    async def workout(
        self,
        interaction: discord.Interaction[PacerBot],
        workout: str,
        race: str | None = None,
        time: str | None = None,
        file: bool = False,
    ) -> None:
        """Your own target time for every rep of a workout, privately."""
        if not file:
            plan = await self.bot.services.workouts.plan_for(
                interaction.user.id, workout, race, time, guild_id=interaction.guild_id
            )
            await reply(interaction, embed=embeds.workout_embed(plan), ephemeral=True)
            return
        plan, fit = await self.bot.services.watch.for_workout(
            interaction.user.id, workout, race, time, guild_id=interaction.guild_id
        )
        await reply(
            interaction,
            watch.watch_text(fit),
            embed=embeds.workout_embed(plan),
            file=watch.watch_file(fit),
            ephemeral=True,
        )


async def setup(bot: PacerBot) -> None:
    await bot.add_cog(PaceCog(bot))
