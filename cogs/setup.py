"""/setup: where and when Pacer posts, for server managers."""

from __future__ import annotations

import discord
from discord import app_commands
from discord.ext import commands

from bot.app import PacerBot
from bot.domain.schedule import timezone_suggestions
from bot.tree import in_time, reply
from bot.ui import attendance as attendance_ui
from bot.ui import embeds
from cogs.common import actor


async def timezone_autocomplete(
    interaction: discord.Interaction[PacerBot], current: str
) -> list[app_commands.Choice[str]]:
    return [app_commands.Choice(name=name, value=name) for name in timezone_suggestions(current)]


#: What Pacer needs in its announcement channel, as README's invite step lists it.
NEEDED_TO_ANNOUNCE = (
    ("view_channel", "View Channel"),
    ("send_messages", "Send Messages"),
    ("embed_links", "Embed Links"),
    ("add_reactions", "Add Reactions"),
    ("read_message_history", "Read Message History"),
)


def _channel_problem(guild: discord.Guild | None, channel_id: int | None) -> str | None:
    """Why Pacer can't announce in the configured channel today, or None (also when unset:
    that is its own step)."""
    if guild is None or channel_id is None or guild.me is None:
        return None
    channel = guild.get_channel(channel_id)
    if channel is None:
        return "The announcement channel no longer exists: run `/setup channel` again."
    granted = channel.permissions_for(guild.me)
    lacking = [title for flag, title in NEEDED_TO_ANNOUNCE if not getattr(granted, flag)]
    if not lacking:
        return None
    return f"Pacer can't post properly in {channel.mention}: give it {', '.join(lacking)}."


@app_commands.guild_only()
@app_commands.default_permissions(manage_guild=True)
class SetupCog(
    commands.GroupCog, group_name="setup", group_description="Pacer's settings for this server"
):
    def __init__(self, bot: PacerBot) -> None:
        self.bot = bot
        super().__init__()

    async def _show(self, interaction: discord.Interaction[PacerBot], note: str) -> None:
        config = await self.bot.services.setup.show(actor(interaction), interaction.guild_id or 0)
        problem = _channel_problem(interaction.guild, config.announce_channel_id)
        check_in = attendance_ui.settings_reply(
            await self.bot.services.attendance.config(config.guild_id)
        )
        await reply(
            interaction,
            note,
            embed=embeds.setup_embed(config, channel_problem=problem, check_in=check_in),
        )

    @app_commands.command(name="channel")
    @app_commands.describe(channel="Where session announcements and reminders go")
    async def channel(
        self, interaction: discord.Interaction[PacerBot], channel: discord.TextChannel
    ) -> None:
        """Pick the channel for session announcements and reminders."""
        change = await self.bot.services.setup.set_channel(
            actor(interaction), interaction.guild_id or 0, channel.id
        )
        me = channel.guild.me
        warning = ""
        if me is not None:
            perms = channel.permissions_for(me)
            if not (perms.send_messages and perms.embed_links and perms.add_reactions):
                warning = (
                    f"\nHeads up: I can't post properly in {channel.mention} yet. Give me View "
                    "Channel, Send Messages, Embed Links, Add Reactions and Read Message History."
                )
        moved = embeds.moved_text(change.moved, change.previous)
        await self._show(
            interaction, f"Announcements will go to {channel.mention}.{moved}{warning}"
        )

    @app_commands.command(name="timezone")
    @app_commands.describe(timezone="IANA time zone name, like America/New_York or Europe/London")
    @app_commands.autocomplete(timezone=timezone_autocomplete)
    async def timezone(self, interaction: discord.Interaction[PacerBot], timezone: str) -> None:
        """Set the time zone dates and times are typed in."""
        change = await self.bot.services.setup.set_timezone(
            actor(interaction), interaction.guild_id or 0, timezone
        )
        await reply(
            interaction,
            f"Dates and times are now read in {change.config.timezone}.",
            embeds=[
                embeds.setup_embed(
                    change.config,
                    channel_problem=_channel_problem(
                        interaction.guild, change.config.announce_channel_id
                    ),
                ),
                embeds.zone_change_embed(change),
            ],
        )

    @app_commands.command(name="organizer-role")
    @app_commands.describe(role="Members with this role can create and manage sessions")
    async def organizer_role(
        self, interaction: discord.Interaction[PacerBot], role: discord.Role
    ) -> None:
        """Let a role organize sessions (besides members with Manage Events)."""
        await self.bot.services.setup.set_organizer_role(
            actor(interaction), interaction.guild_id or 0, role.id
        )
        await self._show(interaction, f"{role.mention} can now organize sessions.")

    @app_commands.command(name="reminders")
    @app_commands.describe(offsets='Lead times before each session, like "24h,1h" or "none"')
    async def reminders(self, interaction: discord.Interaction[PacerBot], offsets: str) -> None:
        """Set when reminders go out before each session."""
        await in_time(
            interaction,
            self.bot.services.setup.set_reminders(
                actor(interaction), interaction.guild_id or 0, offsets
            ),
        )
        await self._show(interaction, "Reminder times saved; upcoming sessions now follow them.")

    @app_commands.command(name="announce-ahead")
    @app_commands.describe(days="How many days before a session its announcement is posted (0-28)")
    async def announce_ahead(
        self, interaction: discord.Interaction[PacerBot], days: app_commands.Range[int, 0, 28]
    ) -> None:
        """Set how many days ahead each session is announced."""
        await in_time(
            interaction,
            self.bot.services.setup.set_announce_days(
                actor(interaction), interaction.guild_id or 0, days
            ),
        )
        await self._show(interaction, "Saved; sessions not yet announced now follow it.")

    @app_commands.command(name="session-length")
    @app_commands.describe(length="How long sessions last unless created with a duration, like 90m")
    async def session_length(self, interaction: discord.Interaction[PacerBot], length: str) -> None:
        """Set how long sessions last by default (for Discord events and calendars)."""
        config = await self.bot.services.setup.set_session_length(
            actor(interaction), interaction.guild_id or 0, length
        )
        await self._show(
            interaction,
            f"New sessions last {config.session_minutes} minutes unless created with a duration.",
        )

    @app_commands.command(name="discord-events")
    @app_commands.describe(enabled="Mirror announced sessions in the server's Events list")
    async def discord_events(
        self, interaction: discord.Interaction[PacerBot], enabled: bool
    ) -> None:
        """Mirror announced sessions as Discord scheduled events (or stop)."""
        await self.bot.services.setup.set_discord_events(
            actor(interaction), interaction.guild_id or 0, enabled
        )
        guild = interaction.guild
        warning = ""
        if enabled and guild is not None and not guild.me.guild_permissions.manage_events:
            warning = (
                "\nHeads up: I don't have Manage Events, so no event can be made yet; "
                "/session list shows it until the permission is given."
            )
        note = (
            "Announced sessions in channels every member can see get a Discord event. "
            '"Interested" there is not an RSVP.'
            if enabled
            else "Sessions are no longer mirrored; the events Pacer made are being removed."
        )
        await self._show(interaction, note + warning)

    @app_commands.command(name="threads")
    @app_commands.describe(when="When a thread opens on each session's announcement")
    @app_commands.choices(
        when=[
            app_commands.Choice(name="off", value="off"),
            app_commands.Choice(name="with the announcement", value="announcement"),
            app_commands.Choice(name="at the first reminder", value="first-reminder"),
        ]
    )
    async def threads(self, interaction: discord.Interaction[PacerBot], when: str) -> None:
        """Open a thread per session for its talk, reminders and notices (or not)."""
        await self.bot.services.setup.set_threads(
            actor(interaction), interaction.guild_id or 0, when
        )
        note = (
            "No threads for new sessions."
            if when == "off"
            else "Each session gets a thread on its announcement: members going are added, and "
            "its reminders and notices go there. It is archived a day after the end."
        )
        await self._show(interaction, note)

    @app_commands.command(name="calendar-feed")
    @app_commands.describe(reset="Replace the link: the old one stops working at once")
    async def calendar_feed(
        self, interaction: discord.Interaction[PacerBot], reset: bool = False
    ) -> None:
        """Show the server's calendar feed link, or replace it if it leaked."""
        feeds = self.bot.services.feeds
        who, guild_id = actor(interaction), interaction.guild_id or 0
        if reset:
            url = await feeds.reset(who, guild_id)
            note = f"New calendar feed link (the old one no longer works): <{url}>"
        else:
            url = await feeds.server_link(who, guild_id)
            note = (
                f"The server's calendar feed: <{url}>. It holds sessions of channels every "
                "member can see. Members get it, and their own, with /calendar."
            )
        await reply(interaction, note)

    @app_commands.command(name="check-in")
    @app_commands.describe(**attendance_ui.CHECK_IN_OPTIONS)
    @app_commands.rename(season_start="season-start")
    async def check_in(
        self,
        interaction: discord.Interaction[PacerBot],
        before: str | None = None,
        after: str | None = None,
        season_start: str | None = None,
    ) -> None:
        """When members can check in ("I'm here"), and the season start (Manage Server)."""
        await attendance_ui.configure_check_in(interaction, before, after, season_start)

    @app_commands.command(name="show")
    async def show(self, interaction: discord.Interaction[PacerBot]) -> None:
        """Show Pacer's settings for this server."""
        await self._show(interaction, "")

    # The server's default unit (workouts branch): kept apart from the other settings so that
    # it merges cleanly.
    @app_commands.command(name="units")
    @app_commands.describe(units="The unit runners here see first until they pick their own")
    @app_commands.choices(
        units=[
            app_commands.Choice(name="kilometres", value="km"),
            app_commands.Choice(name="miles", value="mi"),
        ]
    )
    async def units(self, interaction: discord.Interaction[PacerBot], units: str) -> None:
        """Set the server's default unit for paces (each runner can still pick their own)."""
        chosen = await self.bot.services.units.set_server(
            actor(interaction), interaction.guild_id or 0, units
        )
        word = "miles" if chosen == "mi" else "kilometres"
        await reply(
            interaction,
            f"Runners here now see **{word}** first, unless they chose with /profile units.",
        )


async def setup(bot: PacerBot) -> None:
    await bot.add_cog(SetupCog(bot))
