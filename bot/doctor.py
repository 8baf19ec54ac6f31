"""python -m bot doctor: what stands between this installation and a working club, in plain words.

Runs over REST only (no gateway connection), against the configured token and database: token
accepted, servers joined, slash commands published, and per server its time zone, announcement
channel and the permissions Pacer has in every channel it will post in.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

import discord

from bot.db.guilds_repo import GuildsRepo
from bot.db.sessions_repo import SessionsRepo

log = logging.getLogger(__name__)

#: What Pacer needs in a channel it announces in (README, "Running it on Discord", step 3).
NEEDED_IN_CHANNEL: tuple[tuple[str, str], ...] = (
    ("view_channel", "View Channel"),
    ("send_messages", "Send Messages"),
    ("embed_links", "Embed Links"),
    ("attach_files", "Attach Files"),
    ("add_reactions", "Add Reactions"),
    ("read_message_history", "Read Message History"),
)
#: Permissions Discord reports as missing wherever Send Messages is (discord.py's
#: ``_apply_implicit_permissions``), whatever the server granted.
IMPLIED_BY_SEND = frozenset({"Embed Links", "Attach Files"})
#: Bot permissions integer of the invite link in README (the permissions above, threads, Manage
#: Events for Discord events and Manage Roles for attendee roles).
INVITE_PERMISSIONS = 318096133184
#: Upcoming sessions looked at per server for the channels they post in.
SESSIONS_CHECKED = 200


@dataclass(frozen=True, slots=True)
class Finding:
    """One line of the report: ``ok`` False for something to fix, with what to do in ``text``."""

    ok: bool
    text: str

    def render(self) -> str:
        return f"{'ok     ' if self.ok else 'PROBLEM'} {self.text}"


def invite_url(application_id: int) -> str:
    """The invite link with the scopes and permissions Pacer needs."""
    return discord.utils.oauth_url(
        application_id,
        permissions=discord.Permissions(INVITE_PERMISSIONS),
        scopes=("bot", "applications.commands"),
    )


async def check_commands(
    client: discord.Client, expected: Iterable[str], dev_guild_id: int | None
) -> Finding:
    """Whether every top-level slash command is published where members will look for it."""
    tree = getattr(client, "tree", None)
    if tree is None:
        return Finding(False, "the bot has no command tree")
    where = discord.Object(id=dev_guild_id) if dev_guild_id is not None else None
    published = {command.name for command in await tree.fetch_commands(guild=where)}
    missing = sorted(set(expected) - published)
    place = f"server {dev_guild_id}" if dev_guild_id is not None else "Discord (global)"
    if missing:
        names = ", ".join(f"/{name}" for name in missing)
        return Finding(
            False,
            f"slash commands not published to {place}: {names}. Run: python -m bot sync",
        )
    return Finding(True, f"all {len(published)} slash commands are published to {place}")


async def check_guild(
    client: discord.Client,
    guild_id: int,
    guilds: GuildsRepo,
    sessions: SessionsRepo,
    *,
    default_timezone: str,
    now: datetime,
) -> list[Finding]:
    """Time zone, announcement channel and channel permissions for one server."""
    guild = await client.fetch_guild(guild_id)
    name = f"{guild.name} ({guild.id})"
    row = await guilds.get(guild_id)
    findings: list[Finding] = []
    if row.timezone is None:
        findings.append(
            Finding(
                False,
                f"{name}: time zone not set, so times are read in {default_timezone}. "
                "A server manager runs /setup timezone",
            )
        )
    else:
        findings.append(Finding(True, f"{name}: time zone {row.timezone}"))
    channel_ids: dict[int, str] = {}
    if row.announce_channel_id is None:
        findings.append(
            Finding(
                False,
                f"{name}: no announcement channel. A server manager runs /setup channel",
            )
        )
    else:
        channel_ids[row.announce_channel_id] = "announcement channel"
    for session in await sessions.upcoming(guild_id, now, limit=SESSIONS_CHECKED):
        channel_ids.setdefault(session.channel_id, f"channel of session #{session.id}")
    if not channel_ids:
        return findings
    if client.user is None:
        raise RuntimeError("diagnose() needs a client that has logged in")
    me = await guild.fetch_member(client.user.id)
    for channel_id, role in channel_ids.items():
        findings.append(await _check_channel(guild, me, channel_id, f"{name}: {role}"))
    return findings


async def _check_channel(
    guild: discord.Guild, me: discord.Member, channel_id: int, label: str
) -> Finding:
    try:
        channel = await guild.fetch_channel(channel_id)
    except discord.NotFound:
        return Finding(False, f"{label} {channel_id} no longer exists. Run /setup channel again")
    except discord.Forbidden:
        return Finding(False, f"{label} {channel_id}: Pacer can't see it. Give it View Channel")
    if not isinstance(channel, discord.abc.GuildChannel):
        return Finding(False, f"{label} {channel_id} is not a server channel")
    granted = channel.permissions_for(me)
    lacking = [title for flag, title in NEEDED_IN_CHANNEL if not getattr(granted, flag)]
    where = f"{label} #{channel.name}"
    if not granted.send_messages and granted.view_channel:
        # Discord withholds Embed Links and Attach Files wherever Send Messages is missing, so
        # they read as missing whether or not the server granted them: name the one cause.
        lacking = [t for t in lacking if t not in IMPLIED_BY_SEND]
        return Finding(
            False,
            f"{where}: Pacer is missing {', '.join(lacking)} (Embed Links and Attach Files are "
            "checked again once it can send)",
        )
    if lacking:
        return Finding(False, f"{where}: Pacer is missing {', '.join(lacking)}")
    return Finding(True, f"{where}: every permission Pacer needs")


async def diagnose(
    client: discord.Client,
    guilds: GuildsRepo,
    sessions: SessionsRepo,
    *,
    expected_commands: Iterable[str],
    dev_guild_id: int | None,
    default_timezone: str,
    now: datetime,
) -> list[Finding]:
    """Every check, on a client that has logged in (``client.login``), in reading order."""
    findings: list[Finding] = []
    app = await client.application_info()
    findings.append(Finding(True, f"token accepted: the bot is {app.name} ({app.id})"))
    joined = [guild async for guild in client.fetch_guilds(limit=None)]
    if not joined:
        findings.append(
            Finding(False, f"the bot is in no server yet. Invite it with: {invite_url(app.id)}")
        )
    else:
        findings.append(Finding(True, f"in {len(joined)} server(s)"))
    try:
        findings.append(await check_commands(client, expected_commands, dev_guild_id))
    except discord.HTTPException as exc:
        # Real Discord answers 403 Missing Access for the commands of a server the bot is not
        # in (a wrong DEV_GUILD_ID); the rest of the report is still worth reading.
        place = f"server {dev_guild_id}" if dev_guild_id is not None else "Discord (global)"
        findings.append(
            Finding(False, f"Discord refused to list the commands published to {place} ({exc})")
        )
    if dev_guild_id is not None and dev_guild_id not in {g.id for g in joined}:
        findings.append(
            Finding(False, f"DEV_GUILD_ID {dev_guild_id} is not a server the bot is in")
        )
    for guild in joined:
        try:
            findings += await check_guild(
                client,
                guild.id,
                guilds,
                sessions,
                default_timezone=default_timezone,
                now=now,
            )
        except discord.HTTPException as exc:
            findings.append(Finding(False, f"server {guild.id}: Discord refused a check ({exc})"))
    return findings
