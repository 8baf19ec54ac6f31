"""/session: organizers schedule, edit and cancel group sessions; everyone lists them."""

from __future__ import annotations

import io

import discord
from discord import app_commands
from discord.ext import commands

from bot import reactions
from bot.app import PacerBot
from bot.errors import InvalidInput
from bot.services.sessions import GivenRole, SessionChanges, SessionForm
from bot.tree import reply
from bot.ui import embeds
from bot.ui.groups import groups_embed, moved_reply
from bot.ui.rsvp import removed_reply
from cogs.common import actor, session_autocomplete, sessions

SCOPE_CHOICES = [
    app_commands.Choice(name="this session only", value="this"),
    app_commands.Choice(name="this and the rest of its series", value="series"),
]
DESCRIBE = {
    "title": "A short name, like Tuesday speed session",
    "date": "Date in the server's time zone, YYYY-MM-DD (pick from the list)",
    "time": "Start time, like 18:30 or 6:30pm",
    "location": "Where to meet, like Cherokee HS track",
    "workout": 'The workout, like "6x800 @ I w/ 400 jog" (gives runners personal paces)',
    "details": "Anything else runners should know",
    "capacity": "Places available; more RSVPs go on a waitlist",
    "channel": "Post here instead of the server's announcement channel",
    "duration": "How long it lasts, like 90m or 1h30 (default from /setup session-length)",
    "role": "Only members with this role may answer (default: everyone)",
    "attendee_role": "Give this role to members going until the session ends",
    "rsvp_closes": "How long before the start answers close, like 2h or 1d (default: at the start)",
}
RENAMES = {"attendee_role": "attendee-role", "rsvp_closes": "rsvp-closes"}
CLEAR_CHOICES = [
    app_commands.Choice(name="role (anyone may answer again)", value="role"),
    app_commands.Choice(name="attendee-role (stop giving a role)", value="attendee-role"),
]


def given_role(role: discord.Role) -> GivenRole:
    """The attendee role as Pacer can give it: Manage Roles, and a role below Pacer's own top
    role that no integration manages."""
    me = role.guild.me
    problem = None
    if role.is_default() or role.managed:
        problem = f"{role.mention} is managed by Discord or an app, so no one can give it."
    elif me is None or not me.guild_permissions.manage_roles:
        problem = (
            "I need the Manage Roles permission to give it. Ask an admin to grant it, or leave "
            "attendee-role out."
        )
    elif role >= me.top_role:
        problem = (
            f"{role.mention} is not below my own role ({me.top_role.mention}), so I can't give "
            "it. Ask an admin to drag my role above it in Server Settings → Roles."
        )
    return GivenRole(role.id, problem)


async def date_autocomplete(
    interaction: discord.Interaction[PacerBot], current: str
) -> list[app_commands.Choice[str]]:
    if interaction.guild_id is None:
        return []
    return [
        app_commands.Choice(name=label, value=value)
        for label, value in await sessions(interaction).date_choices(interaction.guild_id, current)
    ]


def _can_post(channel: discord.abc.GuildChannel) -> None:
    me = channel.guild.me
    if me is None:
        return
    perms = channel.permissions_for(me)
    if not (perms.view_channel and perms.send_messages and perms.embed_links):
        raise InvalidInput(
            f"channel: I can't post in {channel.mention}. Give me View Channel, Send Messages "
            "and Embed Links there, or pick another channel, like #speed-sessions."
        )


@app_commands.guild_only()
class SessionsCog(commands.GroupCog, group_name="session", group_description="Group sessions"):
    def __init__(self, bot: PacerBot) -> None:
        self.bot = bot
        super().__init__()

    @commands.Cog.listener()
    async def on_guild_role_delete(self, role: discord.Role) -> None:
        await self._roles_gone(role.guild, deleted=role.id)

    @commands.Cog.listener()
    async def on_ready(self) -> None:
        # Roles deleted while Pacer was down: the cache holds every server's roles now.
        for guild in self.bot.guilds:
            await self._roles_gone(guild)

    async def _roles_gone(self, guild: discord.Guild, deleted: int | None = None) -> None:
        roles = frozenset(role.id for role in guild.roles if role.id != deleted)
        for session_id in await self.bot.services.sessions.roles_gone(guild.id, roles):
            self.bot.services.changes.announcement_changed(session_id)

    @app_commands.command(name="create")
    @app_commands.describe(**DESCRIBE, weeks="Repeat weekly for this many weeks (1-52, default 1)")
    @app_commands.rename(**RENAMES)
    @app_commands.autocomplete(date=date_autocomplete)
    async def create(
        self,
        interaction: discord.Interaction[PacerBot],
        title: str,
        date: str,
        time: str,
        location: str,
        workout: str | None = None,
        details: str | None = None,
        weeks: app_commands.Range[int, 1, 52] = 1,
        capacity: app_commands.Range[int, 1, 1000] | None = None,
        channel: discord.TextChannel | None = None,
        duration: str | None = None,
        role: discord.Role | None = None,
        attendee_role: discord.Role | None = None,
        rsvp_closes: str | None = None,
    ) -> None:
        """Schedule a session or a weekly series; Pacer announces and reminds by itself."""
        if channel is not None:
            _can_post(channel)
        form = SessionForm(
            title=title,
            date=date,
            time=time,
            location=location,
            workout=workout,
            details=details,
            weeks=weeks,
            capacity=capacity,
            channel_id=channel.id if channel else None,
            duration=duration,
            answer_role_id=role.id if role else None,
            attendee_role=given_role(attendee_role) if attendee_role else None,
            rsvp_closes=rsvp_closes,
        )
        outcome = await self.bot.services.sessions.create(
            actor(interaction), interaction.guild_id or 0, form
        )
        await reply(interaction, embed=embeds.created_embed(outcome))

    @app_commands.command(name="edit")
    @app_commands.describe(
        session="The session to change (pick from the list)",
        scope="Change only this session, or it and the rest of its series",
        clear="Take the answer role or the attendee role off",
        **DESCRIBE,
    )
    @app_commands.rename(**RENAMES)
    @app_commands.autocomplete(session=session_autocomplete, date=date_autocomplete)
    @app_commands.choices(scope=SCOPE_CHOICES, clear=CLEAR_CHOICES)
    async def edit(
        self,
        interaction: discord.Interaction[PacerBot],
        session: str,
        scope: str = "this",
        title: str | None = None,
        date: str | None = None,
        time: str | None = None,
        location: str | None = None,
        workout: str | None = None,
        details: str | None = None,
        capacity: app_commands.Range[int, 1, 1000] | None = None,
        channel: discord.TextChannel | None = None,
        duration: str | None = None,
        role: discord.Role | None = None,
        attendee_role: discord.Role | None = None,
        rsvp_closes: str | None = None,
        clear: str | None = None,
    ) -> None:
        """Change a session (or the rest of its series); everyone is told of a new time."""
        if channel is not None:
            _can_post(channel)
        changes = SessionChanges(
            title=title,
            date=date,
            time=time,
            location=location,
            workout=workout,
            details=details,
            capacity=capacity,
            channel_id=channel.id if channel else None,
            duration=duration,
            answer_role_id=role.id if role else None,
            attendee_role=given_role(attendee_role) if attendee_role else None,
            rsvp_closes=rsvp_closes,
            clear=clear,
        )
        outcome = await self.bot.services.sessions.edit(
            actor(interaction), interaction.guild_id or 0, session, changes, scope
        )
        await reply(interaction, embed=embeds.edited_embed(outcome))
        await self._publish()

    @app_commands.command(name="cancel")
    @app_commands.describe(
        session="The session to cancel (pick from the list)",
        scope="Cancel only this session, or it and the rest of its series",
        reason="Why, shown on the announcement and in the notice",
    )
    @app_commands.autocomplete(session=session_autocomplete)
    @app_commands.choices(scope=SCOPE_CHOICES)
    async def cancel(
        self,
        interaction: discord.Interaction[PacerBot],
        session: str,
        scope: str = "this",
        reason: str | None = None,
    ) -> None:
        """Cancel a session (or the rest of its series) and tell everyone."""
        outcome = await self.bot.services.sessions.cancel(
            actor(interaction), interaction.guild_id or 0, session, scope, reason
        )
        await reply(interaction, embed=embeds.cancelled_embed(outcome))
        await self._publish()

    @app_commands.command(name="repost")
    @app_commands.describe(session="The session to announce again (pick one)")
    @app_commands.autocomplete(session=session_autocomplete)
    async def repost(self, interaction: discord.Interaction[PacerBot], session: str) -> None:
        """Post a session's announcement again, if it was deleted (organizers)."""
        target = await self.bot.services.sessions.repost(
            actor(interaction), interaction.guild_id or 0, session
        )
        await reply(
            interaction,
            f"Announcing #{target.id} again now; everyone's answers are kept.",
        )
        await self._publish()

    @app_commands.command(name="retry")
    @app_commands.describe(
        session="The session whose failed posts to send again (pick from the list)"
    )
    @app_commands.autocomplete(session=session_autocomplete)
    async def retry(self, interaction: discord.Interaction[PacerBot], session: str) -> None:
        """Send a session's failed posts again, once a permission or channel is fixed."""
        count = await self.bot.services.sessions.retry(
            actor(interaction), interaction.guild_id or 0, session
        )
        await reply(
            interaction,
            f"Trying {count} post{'s' if count != 1 else ''} again now. "
            "If it fails again, /session list says why.",
        )
        await self._publish()

    @app_commands.command(name="list")
    async def list_(self, interaction: discord.Interaction[PacerBot]) -> None:
        """Upcoming sessions in this server."""
        listing = await self.bot.services.sessions.listing(
            actor(interaction), interaction.guild_id or 0
        )
        await reply(interaction, embed=embeds.listing_embed(listing))

    @app_commands.command(name="roster")
    @app_commands.describe(session="The session (pick from the list)")
    @app_commands.autocomplete(session=session_autocomplete)
    async def roster(self, interaction: discord.Interaction[PacerBot], session: str) -> None:
        """Who's coming to a session: the full list, privately."""
        target, roster = await self.bot.services.sessions.roster(
            actor(interaction), interaction.guild_id or 0, session
        )
        await reply(interaction, embed=embeds.roster_embed(target, roster))

    @app_commands.command(name="remove")
    @app_commands.describe(
        session="The session (pick from the list)",
        member="Whose answer to take off (someone who left, a duplicate...)",
    )
    @app_commands.autocomplete(session=session_autocomplete)
    async def remove(
        self, interaction: discord.Interaction[PacerBot], session: str, member: discord.User
    ) -> None:
        """Take a member's answer off a session; their place goes to the waitlist (organizers)."""
        result = await self.bot.services.sessions.remove_answer(
            actor(interaction), interaction.guild_id or 0, session, member.id
        )
        await reply(interaction, removed_reply(result, member.id))
        await reactions.remove_stale(self.bot, result.session, member.id, result.stale_reactions)
        self.bot.services.changes.announcement_changed(result.session.id)
        await self._publish()

    @app_commands.command(name="export")
    @app_commands.describe(session="The session (pick from the list)")
    @app_commands.autocomplete(session=session_autocomplete)
    async def export(self, interaction: discord.Interaction[PacerBot], session: str) -> None:
        """Download a session's roster as a CSV file (organizers)."""
        filename, data = await self.bot.services.sessions.export(
            actor(interaction), interaction.guild_id or 0, session
        )
        await reply(
            interaction,
            "The roster, as it stands now:",
            file=discord.File(io.BytesIO(data), filename=filename),
        )

    @app_commands.command(name="groups")
    @app_commands.describe(
        session="The session (pick from the list)",
        groups="How many groups (1-10); or give spread instead",
        spread="Widest gap in threshold pace within a group, s/km (default 15)",
        publish="Show these groups on the announcement (they then follow the answers)",
    )
    @app_commands.autocomplete(session=session_autocomplete)
    async def groups(
        self,
        interaction: discord.Interaction[PacerBot],
        session: str,
        groups: app_commands.Range[int, 1, 10] | None = None,
        spread: app_commands.Range[int, 1, 120] | None = None,
        publish: bool = False,
    ) -> None:
        """Split the members going into pace groups with their targets (organizers)."""
        result = await self.bot.services.groups.groups(
            actor(interaction),
            interaction.guild_id or 0,
            session,
            count=groups,
            spread_s_per_km=None if spread is None else float(spread),
            publish=publish,
        )
        await reply(interaction, embed=groups_embed(result))
        if publish:
            self.bot.services.changes.announcement_changed(result.session.id)
            await self._publish()

    @app_commands.command(name="groups-move")
    @app_commands.describe(
        session="The session (pick from the list)",
        member="The member going to move",
        group="The group's number as shown, like 2 (the next number starts a new group)",
    )
    @app_commands.autocomplete(session=session_autocomplete)
    async def groups_move(
        self,
        interaction: discord.Interaction[PacerBot],
        session: str,
        member: discord.User,
        group: app_commands.Range[int, 1, 99],
    ) -> None:
        """Move a member to another published pace group (organizers)."""
        moved = await self.bot.services.groups.move(
            actor(interaction), interaction.guild_id or 0, session, member.id, group
        )
        await reply(interaction, moved_reply(moved))
        self.bot.services.changes.announcement_changed(moved.session.id)

    @app_commands.command(name="groups-leader")
    @app_commands.describe(
        session="The session (pick from the list)",
        group="The group's number as shown, like 2",
        member="Who leads it (a member going; they run with that group)",
    )
    @app_commands.autocomplete(session=session_autocomplete)
    async def groups_leader(
        self,
        interaction: discord.Interaction[PacerBot],
        session: str,
        group: app_commands.Range[int, 1, 99],
        member: discord.User,
    ) -> None:
        """Name the leader of a published pace group (organizers)."""
        moved = await self.bot.services.groups.lead(
            actor(interaction), interaction.guild_id or 0, session, group, member.id
        )
        await reply(interaction, moved_reply(moved, leader=True))
        self.bot.services.changes.announcement_changed(moved.session.id)

    @app_commands.command(name="groups-unpublish")
    @app_commands.describe(session="The session (pick from the list)")
    @app_commands.autocomplete(session=session_autocomplete)
    async def groups_unpublish(
        self, interaction: discord.Interaction[PacerBot], session: str
    ) -> None:
        """Take a session's pace groups off its announcement (organizers)."""
        target = await self.bot.services.groups.unpublish(
            actor(interaction), interaction.guild_id or 0, session
        )
        await reply(
            interaction,
            f"Took the pace groups of {target.title} off its announcement; their moves and "
            "leaders are forgotten. Publish again with /session groups publish: True.",
        )
        self.bot.services.changes.announcement_changed(target.id)

    async def _publish(self) -> None:
        # Edits and notices are already in the database; show them now rather than at the
        # next sweep.
        if self.bot.publisher is not None:
            await self.bot.publisher.process_due()


async def setup(bot: PacerBot) -> None:
    await bot.add_cog(SessionsCog(bot))
