"""/help, the welcome message sent when Pacer joins a server, and the setup checklist.

Rendering only. The command list is read from the command tree itself, so a new command shows up
in /help without anyone remembering to add it; only who it is for is decided here.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import discord

from bot.services.setup import GuildConfig

PACER_GREEN = discord.Colour(0x2ECC71)
#: Discord allows 1,024 characters in an embed field's value.
FIELD_LIMIT = 1024

#: Commands (qualified names) that only organizers may run; the rest of /session is for everyone.
ORGANIZER_COMMANDS = frozenset(
    {
        "session create",
        "session edit",
        "session cancel",
        "session export",
        "session retry",
        "session repost",
        "session remove",
        "session groups",
        "session groups-move",
        "session groups-leader",
        "session groups-unpublish",
        "attendance club",
        "attendance mark",
        "attendance mark-all",
        "attendance export",
        "attendance session",
    }
)
#: Command groups whose every subcommand is for server managers (Manage Server).
ADMIN_GROUPS = frozenset({"setup"})
#: Single commands for server managers in groups that are otherwise for members.
ADMIN_COMMANDS = frozenset({"attendance forget", "attendance settings"})

SETUP_STEPS = (
    "**1.** `/setup channel` picks where sessions are announced and reminded.",
    "**2.** `/setup timezone` sets the club's time zone (dates and times are typed in it).",
    "**3.** `/setup organizer-role` lets a role create sessions (Manage Events works already).",
)
NEXT_STEP = "Then an organizer runs `/session create`; `/help` lists everything."


@dataclass(frozen=True, slots=True)
class CommandLine:
    """One command as /help lists it: ``qualified_name`` without the slash."""

    qualified_name: str
    description: str
    #: Discord offers it only in a server, never in a DM with Pacer.
    server_only: bool = False


def audience(qualified_name: str) -> str:
    """Who a command is for: "admin", "organizer" or "member"."""
    if qualified_name.split(" ", 1)[0] in ADMIN_GROUPS or qualified_name in ADMIN_COMMANDS:
        return "admin"
    if qualified_name in ORGANIZER_COMMANDS:
        return "organizer"
    return "member"


def _field_chunks(lines: Iterable[str]) -> list[str]:
    """Whole lines packed into values that fit one embed field each (never cut a line)."""
    chunks: list[str] = []
    current = ""
    for line in lines:
        candidate = f"{current}\n{line}" if current else line
        if len(candidate) > FIELD_LIMIT and current:
            chunks.append(current)
            current = line
        else:
            current = candidate
    if current:
        chunks.append(current)
    return chunks


def help_embed(
    commands: Iterable[CommandLine], *, is_organizer: bool, in_server: bool = True
) -> discord.Embed:
    """The /help reply: what Pacer does, then the commands by who uses them.

    Organizer and admin commands are listed for everyone (so members know whom to ask), but under
    their own headings. In a DM (``in_server`` False) only the commands Discord offers there are
    listed; the server-only ones are named by group, to be looked up with /help in the server.
    """
    embed = discord.Embed(
        title="Pacer: your running club's coach and organizer",
        description=(
            "Personal paces from a recent race (Jack Daniels' VDOT system), drills and a warm-up, "
            "and club sessions that announce and remind themselves, with RSVPs by reaction, "
            "button or `/rsvp`.\n"
            "Start with `/profile set race:5K time:22:30`, then `/pace workout` or the **My "
            "paces** button on a session."
        ),
        colour=PACER_GREEN,
    )
    groups: dict[str, list[str]] = {"member": [], "organizer": [], "admin": []}
    elsewhere: dict[str, None] = {}
    for command in sorted(commands, key=lambda c: c.qualified_name):
        if command.server_only and not in_server:
            elsewhere[f"`/{command.qualified_name.split(' ', 1)[0]}`"] = None
            continue
        groups[audience(command.qualified_name)].append(
            f"`/{command.qualified_name}`: {command.description}"
        )
    headings = {
        "member": "For every member",
        "organizer": "For organizers (Manage Events, Manage Server or the organizer role)",
        "admin": "For server managers (Manage Server)",
    }
    for key, heading in headings.items():
        for index, chunk in enumerate(_field_chunks(groups[key])):
            embed.add_field(
                name=heading if index == 0 else f"{heading} (continued)", value=chunk, inline=False
            )
    if elsewhere:
        embed.add_field(
            name="In your club's server",
            value=(
                f"{', '.join(elsewhere)} work only in a server Pacer is in, not in this DM: "
                "run `/help` there to see them."
            ),
            inline=False,
        )
    if is_organizer:
        embed.add_field(name="Setting up", value="\n".join(SETUP_STEPS), inline=False)
    embed.set_footer(text="Every reply to a mistake is private and shows a valid example.")
    return embed


def welcome_text(guild_name: str) -> str:
    """What Pacer says when it joins a server: the three setup steps, plainly."""
    steps = "\n".join(SETUP_STEPS)
    return (
        f"Thanks for adding **Pacer** to {discord.utils.escape_markdown(guild_name)}! "
        f"Three steps to get the club going (Manage Server needed):\n{steps}\n{NEXT_STEP}"
    )


def missing_setup(config: GuildConfig) -> list[str]:
    """The setup steps a server has not done yet, in the order to do them."""
    missing = []
    if config.announce_channel_id is None:
        missing.append(SETUP_STEPS[0])
    if not config.timezone_chosen:
        missing.append(SETUP_STEPS[1] + f" Until then: {config.timezone}.")
    if config.organizer_role_id is None:
        missing.append(SETUP_STEPS[2] + " (optional)")
    return missing
