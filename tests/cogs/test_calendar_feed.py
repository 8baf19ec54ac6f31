"""Calendar feeds over real HTTP on 127.0.0.1 (issue 12): the server's feed (open channels
only) and a member's own, following edits and cancels, revocable; read back with icalendar's
parser, a second reader beside the one that wrote them."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import aiohttp
import discord
import pytest
from icalendar import Calendar
from simcord.backend.errors import SetupError

from bot.settings import Settings
from tests.conftest import Club, make_admin
from tests.conftest import set_channel as use_channel

FIRST = datetime(2026, 1, 13, 23, 30, tzinfo=UTC)  # 18:30 in New York


@pytest.fixture
def settings(tmp_path: Path, database_url: str | None) -> Settings:
    return Settings(
        database_path=tmp_path / "pacer.db",
        database_url=database_url,
        default_timezone="America/New_York",
        sync_commands_on_start=True,
        http_port=0,  # a free port on 127.0.0.1
    )


async def fetch(url: str) -> tuple[int, str, bytes]:
    async with aiohttp.ClientSession() as http, http.get(url) as response:
        return response.status, response.content_type, await response.read()


def vevents(body: bytes) -> list[Any]:
    return list(Calendar.from_ical(body).walk("VEVENT"))


async def links(club: Club, member: Any) -> tuple[str, str]:
    result = await member.slash(club.channel, "calendar")
    assert result.ephemeral
    urls = [part.strip("<>.") for part in result.response.content.split() if "http" in part]
    server, mine = urls
    return server, mine


async def create(club: Club, title: str, date: str, **extra: Any) -> None:
    await club.organizer.slash(
        club.channel,
        "session create",
        title=title,
        date=date,
        time="18:30",
        location="Cherokee HS track",
        **extra,
    )
    assert not club.env.errors, club.env.errors


async def test_the_server_feed_follows_edits_and_cancels_and_leaves_private_ones_out(
    club: Club,
) -> None:
    await use_channel(club)
    private = club.guild.create_text_channel(
        "coaches",
        overwrites={
            club.guild.default_role: discord.PermissionOverwrite(view_channel=False),
            club.organizer: discord.PermissionOverwrite(view_channel=True),
            club.guild.me: discord.PermissionOverwrite(view_channel=True),
        },
    )
    await create(club, "Speed session", "2026-01-13", duration="1h15")
    await create(club, "Coaches only", "2026-01-14", channel=private)
    server, _ = await links(club, club.alice)
    assert server.startswith("http://127.0.0.1:")

    status, kind, body = await fetch(server)
    assert (status, kind) == (200, "text/calendar")
    [event] = vevents(body)
    assert str(event["SUMMARY"]) == "Speed session"
    assert event.decoded("DTSTART") == FIRST
    assert event.decoded("DTSTART").tzinfo is not None
    assert str(event["DTSTART"].params["TZID"]) == "America/New_York"
    assert event.decoded("DTEND") - event.decoded("DTSTART") == timedelta(minutes=75)
    assert str(event["STATUS"]) == "CONFIRMED"
    first_sequence = int(event["SEQUENCE"])

    await club.organizer.slash(club.channel, "session edit", session="1", time="19:00")
    [event] = vevents((await fetch(server))[2])
    assert event.decoded("DTSTART") == FIRST + timedelta(minutes=30)
    assert int(event["SEQUENCE"]) > first_sequence
    assert str(event["UID"]) == "pacer-session-1@pacer"

    await club.organizer.slash(club.channel, "session cancel", session="1", reason="meet")
    [event] = vevents((await fetch(server))[2])
    assert str(event["STATUS"]) == "CANCELLED"


async def test_a_members_own_feed_holds_the_sessions_they_are_going_to(club: Club) -> None:
    await use_channel(club)
    await create(club, "Speed session", "2026-01-13")
    await create(club, "Long run", "2026-01-17")
    await club.env.advance_time(3600)  # both announced (6 days ahead)
    await club.alice.slash(club.channel, "rsvp", session="2", status="going")
    await club.ben.slash(club.channel, "rsvp", session="1", status="no")

    _, alice_feed = await links(club, club.alice)
    _, ben_feed = await links(club, club.ben)
    assert alice_feed != ben_feed
    assert [str(e["SUMMARY"]) for e in vevents((await fetch(alice_feed))[2])] == ["Long run"]
    assert vevents((await fetch(ben_feed))[2]) == []


async def test_a_reset_revokes_the_old_link_and_only_managers_may(club: Club) -> None:
    await use_channel(club)
    await create(club, "Speed session", "2026-01-13")
    old, _ = await links(club, club.alice)
    # /setup is for managers: Discord doesn't even offer it to an organizer.
    with pytest.raises(SetupError, match="not visible"):
        await club.organizer.slash(club.channel, "setup calendar-feed", reset=True)
    assert (await fetch(old))[0] == 200

    admin = await make_admin(club)
    result = await admin.slash(club.channel, "setup calendar-feed", reset=True)
    assert result.ephemeral
    assert "old one no longer works" in result.response.content
    assert (await fetch(old))[0] == 404
    new, _ = await links(club, club.alice)
    assert new != old
    assert (await fetch(new))[0] == 200
    assert (await fetch(new.replace("/calendar/", "/calendar/x")))[0] == 404
