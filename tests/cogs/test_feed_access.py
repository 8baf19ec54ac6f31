"""A member's own calendar feed rechecks channel access on every read (issue 12): a member who
loses access to a private channel, or leaves, no longer gets its sessions."""

from __future__ import annotations

from pathlib import Path

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


async def test_a_member_who_loses_a_private_channel_no_longer_gets_its_sessions(
    club: Club,
) -> None:
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
    _, mine = await links(club, club.alice)
    assert await titles(mine) == ["Coaches only", "Speed session"]

    club.env.backend.remove_member_role(club.guild.id, club.alice.id, coaches.id)
    assert await titles(mine) == ["Speed session"]

    club.guild.remove_member(club.alice)
    assert await titles(mine) == []
