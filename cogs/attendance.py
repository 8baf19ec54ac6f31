"""/attendance: who actually came. Members check in and read their own history; organizers mark,
read the club's figures and export; server managers delete a member's data on request."""

from __future__ import annotations

import asyncio
import io

import discord
from discord import app_commands
from discord.ext import commands

from bot import reactions
from bot.app import PacerBot
from bot.services.attendance import parse_mark
from bot.tree import reply
from bot.ui import attendance as ui
from cogs.common import actor, session_autocomplete

STATE_CHOICES = [
    app_commands.Choice(name="attended", value="attended"),
    app_commands.Choice(name="no-show", value="no_show"),
    app_commands.Choice(name="walk-in (came without saying going)", value="walk_in"),
]
PERIOD = "4w (last 4 weeks, the default), 3m (last 3 months) or a year like 2026"


@app_commands.guild_only()
class AttendanceCog(
    commands.GroupCog, group_name="attendance", group_description="Who actually came"
):
    def __init__(self, bot: PacerBot) -> None:
        self.bot = bot
        super().__init__()

    @app_commands.command(name="mark")
    @app_commands.describe(
        session="The session (pick from the list)",
        member="Who to mark",
        state="attended, no-show or walk-in",
    )
    @app_commands.autocomplete(session=session_autocomplete)
    @app_commands.choices(state=STATE_CHOICES)
    async def mark(
        self,
        interaction: discord.Interaction[PacerBot],
        session: str,
        member: discord.User,
        state: str,
    ) -> None:
        """Mark or correct a member's attendance, up to 7 days after the start (organizers)."""
        marked = await self.bot.services.attendance.mark(
            actor(interaction),
            interaction.guild_id or 0,
            session,
            member.id,
            member.display_name,
            parse_mark(state),
        )
        await reply(interaction, ui.marked_reply(marked))

    @app_commands.command(name="mark-all")
    @app_commands.describe(
        session="The session (pick from the list)",
        state="attended or no-show, for everyone who said going and isn't marked yet",
    )
    @app_commands.autocomplete(session=session_autocomplete)
    @app_commands.choices(state=STATE_CHOICES[:2])
    async def mark_all(
        self, interaction: discord.Interaction[PacerBot], session: str, state: str
    ) -> None:
        """Mark everyone who said going and isn't marked yet, at once (organizers)."""
        marked = await self.bot.services.attendance.mark_going(
            actor(interaction), interaction.guild_id or 0, session, parse_mark(state)
        )
        await reply(interaction, ui.bulk_marked_reply(marked))

    @app_commands.command(name="session")
    @app_commands.describe(session="The session (pick from the list)")
    @app_commands.autocomplete(session=session_autocomplete)
    async def session(self, interaction: discord.Interaction[PacerBot], session: str) -> None:
        """Everyone going and how each is marked, to mark attendance from (organizers)."""
        marks = await self.bot.services.attendance.session_marks(
            actor(interaction), interaction.guild_id or 0, session
        )
        await reply(interaction, embed=ui.session_marks_embed(marks))

    @app_commands.command(name="me")
    async def me(self, interaction: discord.Interaction[PacerBot]) -> None:
        """Your sessions this season, your streak and your last time, privately."""
        mine = await self.bot.services.attendance.me(interaction.guild_id or 0, interaction.user.id)
        await reply(interaction, embed=ui.me_embed(mine))

    @app_commands.command(name="club")
    @app_commands.describe(period=PERIOD)
    async def club(
        self, interaction: discord.Interaction[PacerBot], period: str | None = None
    ) -> None:
        """The club's turnout, show rate, regulars and who hasn't come lately (organizers)."""
        summary = await self.bot.services.attendance.club(
            actor(interaction), interaction.guild_id or 0, period
        )
        # Drawing takes about half a second (more on a busy machine): acknowledge first, as
        # Discord drops an interaction not answered within 3 s.
        await interaction.response.defer(ephemeral=True, thinking=True)
        chart = await asyncio.to_thread(ui.turnout_chart, summary)
        embed = ui.club_embed(summary)
        if chart is None:
            await reply(interaction, embed=embed)
            return
        embed.set_image(url="attachment://turnout.png")
        await reply(
            interaction, embed=embed, file=discord.File(io.BytesIO(chart), filename="turnout.png")
        )

    @app_commands.command(name="export")
    @app_commands.describe(period=PERIOD)
    async def export(
        self, interaction: discord.Interaction[PacerBot], period: str | None = None
    ) -> None:
        """Download attendance as a CSV file (organizers)."""
        filename, data = await self.bot.services.attendance.export_csv(
            actor(interaction), interaction.guild_id or 0, period
        )
        await reply(
            interaction,
            "Attendance, one line per member per session:",
            file=discord.File(io.BytesIO(data), filename=filename),
        )

    @app_commands.command(name="forget")
    @app_commands.describe(member="Whose data to delete in this server (on their request)")
    async def forget(
        self, interaction: discord.Interaction[PacerBot], member: discord.User
    ) -> None:
        """Delete a member's attendance and answers in this server (Manage Server)."""
        forgotten = await self.bot.services.attendance.forget(
            actor(interaction), interaction.guild_id or 0, member.id
        )
        await reply(interaction, ui.forgotten_reply(member.id, forgotten))
        for result in forgotten.upcoming:
            await reactions.remove_stale(
                self.bot, result.session, member.id, result.stale_reactions
            )
            self.bot.services.changes.announcement_changed(result.session.id)
        if self.bot.publisher is not None:
            await self.bot.publisher.process_due()

    @app_commands.command(name="settings")
    @app_commands.describe(**ui.CHECK_IN_OPTIONS)
    @app_commands.rename(season_start="season-start")
    async def settings(
        self,
        interaction: discord.Interaction[PacerBot],
        before: str | None = None,
        after: str | None = None,
        season_start: str | None = None,
    ) -> None:
        """The check-in window and the season start (Manage Server)."""
        await ui.configure_check_in(interaction, before, after, season_start)


async def setup(bot: PacerBot) -> None:
    await bot.add_cog(AttendanceCog(bot))
