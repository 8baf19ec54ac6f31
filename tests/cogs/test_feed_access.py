"""A member's own calendar feed rechecks channel access on every read (issue 12): a member who
loses access to a private channel, or leaves, no longer gets its sessions."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import discord
import pytest

from bot.settings import Settings
from tests.cogs.test_calendar_feed import create, fetch, links, use_channel, vevents
from tests.conftest import Club


@pytest.fixture
def settings(tmp_path: Path, database_url: str | None) -> Settings:
    return Settings(
        database_path=tmp_path / "pacer.db",
        database_url=database_url,
        default_timezone="America/New_York",
        sync_commands_on_start=True,
        http_port=0,
    )


async def titles(url: str) -> list[str]:
    return sorted(str(e["SUMMARY"]) for e in vevents((await fetch(url))[2]))


async def going_to_a_public_and_a_private_session(club: Club) -> tuple[Any, str, str]:
    """Alice, a coach, is going to "Speed session" (a public channel) and "Coaches only" (a
    channel only the Coaches role sees). Returns the Coaches role and the server's and Alice's
    feed URLs."""
    await use_channel(club)
    coaches = club.guild.create_role("Coaches")
    private = club.guild.create_text_channel(
        "coaches",
        overwrites={
            club.guild.default_role: discord.PermissionOverwrite(view_channel=False),
            coaches: discord.PermissionOverwrite(view_channel=True),
            club.organizer: discord.PermissionOverwrite(view_channel=True),
            club.guild.me: discord.PermissionOverwrite(view_channel=True),
        },
    )
    club.env.backend.add_member_role(club.guild.id, club.alice.id, coaches.id)
    await create(club, "Speed session", "2026-01-13")
    await create(club, "Coaches only", "2026-01-14", channel=private)
    await club.alice.slash(club.channel, "rsvp", session="1", status="going")
    await club.alice.slash(private, "rsvp", session="2", status="going")
    server, mine = await links(club, club.alice)
    return coaches, server, mine


async def test_a_member_who_loses_a_private_channel_no_longer_gets_its_sessions(
    club: Club,
) -> None:
    coaches, _, mine = await going_to_a_public_and_a_private_session(club)
    assert await titles(mine) == ["Coaches only", "Speed session"]

    club.env.backend.remove_member_role(club.guild.id, club.alice.id, coaches.id)
    assert await titles(mine) == ["Speed session"]

    club.guild.remove_member(club.alice)
    assert await titles(mine) == []
