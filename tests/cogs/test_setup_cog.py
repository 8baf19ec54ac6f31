"""/setup as server managers meet it: where, when and in which zone Pacer posts, and who may."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import discord
import pytest
from simcord import OptionError, SetupError

from tests.conftest import Club, embed_text, only_user_errors

SETUP_SUBCOMMANDS = ("channel", "timezone", "organizer-role", "reminders", "announce-ahead")


def add_manager(club: Club, name: str = "admin") -> Any:
    """A member with Manage Server (and nothing else)."""
    role = club.guild.create_role(
        f"{name} role", permissions=discord.Permissions(manage_guild=True)
    )
    return club.guild.add_member(club.env.create_user(name), roles=[role])


def bot_messages(club: Club) -> list[discord.Message]:
    return [m for m in club.channel.history(viewer=club.alice) if m.author.bot]


def field(embed: discord.Embed, name: str) -> str:
    [value] = [f.value for f in embed.fields if f.name == name]
    return value or ""


async def settings_rows(club: Club) -> list[tuple[Any, ...]]:
    rows = await club.bot.db.fetch_all(
        "SELECT guild_id, announce_channel_id, timezone, organizer_role_id, reminder_offsets,"
        " announce_days FROM guild_settings"
    )
    return [tuple(row) for row in rows]


async def let_through(club: Club, member: Any) -> None:
    """What an admin can do in Server Settings > Integrations: show /setup to one member."""
    [setup] = [c for c in await club.bot.tree.fetch_commands() if c.name == "setup"]
    club.guild.set_command_permissions(setup, {member: True})


def options_for(club: Club, subcommand: str, role: Any) -> dict[str, Any]:
    return {
        "channel": {"channel": club.channel},
        "timezone": {"timezone": "Europe/London"},
        "organizer-role": {"role": role},
        "reminders": {"offsets": "2h"},
        "announce-ahead": {"days": 3},
    }[subcommand]


async def create_session(club: Club, member: Any, **overrides: Any) -> Any:
    options = {
        "title": "Speed session",
        "date": "2026-01-20",
        "time": "18:30",
        "location": "Cherokee HS track",
    } | overrides
    return await member.slash(club.channel, "session create", **options)


async def test_a_server_manager_configures_pacer_and_show_reflects_every_value(
    club: Club,
) -> None:
    admin = add_manager(club)
    pacers = club.guild.create_role("Pacers")

    result = await admin.slash(club.channel, "setup channel", channel=club.channel)
    assert result.ephemeral
    assert f"Announcements will go to <#{club.channel.id}>" in result.response.content
    embed = result.response.embeds[0]
    assert field(embed, "Announcement channel") == f"<#{club.channel.id}>"

    suggested = await admin.autocomplete(club.channel, "setup timezone", "timezone", "york")
    assert {"name": "America/New_York", "value": "America/New_York"} in suggested
    london = await admin.autocomplete(club.channel, "setup timezone", "timezone", "lond")
    assert london[0] == {"name": "Europe/London", "value": "Europe/London"}
    # Typed by hand in lower case, the zone is still found and stored by its real name.
    result = await admin.slash(club.channel, "setup timezone", timezone="europe/london")
    assert result.ephemeral
    assert "Dates and times are now read in Europe/London." in result.response.content
    assert field(result.response.embeds[0], "Time zone") == "Europe/London"

    result = await admin.slash(club.channel, "setup organizer-role", role=pacers)
    assert result.ephemeral
    assert f"<@&{pacers.id}> can now organize sessions." in result.response.content
    assert f"<@&{pacers.id}>" in field(result.response.embeds[0], "Organizer role")

    result = await admin.slash(club.channel, "setup reminders", offsets="24h,1h,15m")
    assert result.ephemeral
    assert "Reminder times saved" in result.response.content
    assert field(result.response.embeds[0], "Reminders") == "24h, 1h, 15m before"
    [row] = await settings_rows(club)
    assert row[4] == "86400,3600,900"

    result = await admin.slash(club.channel, "setup reminders", offsets="none")
    assert result.ephemeral
    assert field(result.response.embeds[0], "Reminders") == "none"

    result = await admin.slash(club.channel, "setup announce-ahead", days=3)
    assert result.ephemeral
    assert "Saved" in result.response.content
    assert (
        field(result.response.embeds[0], "Announced")
        == "3 days ahead (or with the first reminder if earlier)"
    )

    shown = await admin.slash(club.channel, "setup show")
    assert shown.ephemeral
    embed = shown.response.embeds[0]
    assert embed.title == "Pacer settings for this server"
    assert field(embed, "Announcement channel") == f"<#{club.channel.id}>"
    assert field(embed, "Time zone") == "Europe/London"
    assert field(embed, "Organizer role") == f"<@&{pacers.id}> (and Manage Events)"
    assert field(embed, "Reminders") == "none"
    assert field(embed, "Announced") == "3 days ahead (or with the first reminder if earlier)"

    assert await settings_rows(club) == [
        (club.guild.id, club.channel.id, "Europe/London", pacers.id, "", 3)
    ]
    assert club.env.errors == []


async def test_setup_show_before_any_setup_gives_the_defaults(club: Club) -> None:
    admin = add_manager(club)

    shown = await admin.slash(club.channel, "setup show")

    assert shown.ephemeral
    embed = shown.response.embeds[0]
    assert field(embed, "Announcement channel") == "not set"
    assert field(embed, "Time zone") == "America/New_York"
    assert field(embed, "Organizer role") == "not set (and Manage Events)"
    assert field(embed, "Reminders") == "24h, 1h before"
    assert field(embed, "Announced") == "6 days ahead (or with the first reminder if earlier)"
    assert await settings_rows(club) == []


@pytest.mark.parametrize("who", ["alice", "organizer"])
async def test_setup_is_hidden_from_members_without_manage_server(club: Club, who: str) -> None:
    member = getattr(club, who)

    assert not any(name.startswith("setup") for name in member.available_commands(club.channel))
    with pytest.raises(SetupError, match="default-member-permissions"):
        await member.slash(club.channel, "setup channel", channel=club.channel)
    assert await settings_rows(club) == []
    assert club.env.errors == []


@pytest.mark.parametrize("who", ["alice", "organizer"])
@pytest.mark.parametrize("subcommand", SETUP_SUBCOMMANDS)
async def test_setup_changes_are_refused_at_run_time_without_manage_server(
    club: Club, who: str, subcommand: str
) -> None:
    member = getattr(club, who)
    await let_through(club, member)
    role = club.guild.create_role("Pacers")

    result = await member.slash(
        club.channel, f"setup {subcommand}", **options_for(club, subcommand, role)
    )

    assert result.ephemeral
    assert "Only members with the Manage Server permission" in result.response.content
    assert await settings_rows(club) == []
    only_user_errors(club)


@pytest.mark.parametrize("who", ["alice", "organizer"])
async def test_setup_show_is_refused_at_run_time_without_manage_server(
    club: Club, who: str
) -> None:
    member = getattr(club, who)
    await let_through(club, member)

    result = await member.slash(club.channel, "setup show")

    assert result.ephemeral
    assert "Only members with the Manage Server permission" in result.response.content
    assert not result.response.embeds
    only_user_errors(club)


@pytest.mark.parametrize(
    ("subcommand", "options", "phrases"),
    [
        (
            "timezone",
            {"timezone": "Mars/Olympus"},
            ["'Mars/Olympus' isn't a time zone I know", "like America/New_York"],
        ),
        ("timezone", {"timezone": ""}, ["timezone: this can't be empty", "like America/New_York"]),
        ("reminders", {"offsets": "soon"}, ["'soon' isn't a lead time", "like 24h,1h,15m"]),
        (
            "reminders",
            {"offsets": "2 minutes"},
            ["too close to the start, the least is 5m", "like 24h,1h,15m"],
        ),
        ("reminders", {"offsets": "9d"}, ["'9d' is too far ahead, the most is 7d", "like 24h,1h"]),
        (
            "reminders",
            {"offsets": "24h,12h,6h,2h,1h,15m"},
            ["more than 5 reminders", "like 24h,1h,15m"],
        ),
    ],
    ids=["unknown-zone", "empty-zone", "word", "too-close", "too-far", "six-lead-times"],
)
async def test_bad_setup_values_are_refused_privately_and_change_nothing(
    club: Club, subcommand: str, options: dict[str, Any], phrases: list[str]
) -> None:
    admin = add_manager(club)

    result = await admin.slash(club.channel, f"setup {subcommand}", **options)

    assert result.ephemeral
    for phrase in phrases:
        assert phrase in result.response.content
    assert await settings_rows(club) == []
    only_user_errors(club)


@pytest.mark.parametrize("days", [40, -1])
async def test_announce_ahead_out_of_range_is_stopped_by_discord(club: Club, days: int) -> None:
    admin = add_manager(club)

    # The option is a Range[0, 28]: Discord's client refuses to send it, so the bot never runs.
    with pytest.raises(OptionError, match="Option 'days' of 'setup announce-ahead' must be"):
        await admin.slash(club.channel, "setup announce-ahead", days=days)

    assert await settings_rows(club) == []
    assert club.env.errors == []
    shown = await admin.slash(club.channel, "setup show")
    assert (
        field(shown.response.embeds[0], "Announced")
        == "6 days ahead (or with the first reminder if earlier)"
    )


async def test_the_organizer_role_lets_its_members_create_sessions(club: Club) -> None:
    admin = add_manager(club)
    await admin.slash(club.channel, "setup channel", channel=club.channel)
    pacers = club.guild.create_role("Pacers")
    pat = club.guild.add_member(club.env.create_user("pat"), roles=[pacers])

    before = await create_session(club, pat)
    assert before.ephemeral
    assert "Only organizers" in before.response.content

    await admin.slash(club.channel, "setup organizer-role", role=pacers)
    created = await create_session(club, pat, title="Pat's tempo run")
    refused = await create_session(club, club.alice, title="Alice's run")

    assert created.ephemeral
    assert "Scheduled: Pat's tempo run" in embed_text(created.response.embeds[0])
    assert refused.ephemeral
    assert "Only organizers" in refused.response.content
    assert f"<@&{pacers.id}>" in refused.response.content
    assert "/setup organizer-role" in refused.response.content
    rows = await club.bot.db.fetch_all("SELECT title, created_by FROM sessions")
    assert [tuple(r) for r in rows] == [("Pat's tempo run", pat.id)]
    only_user_errors(club, count=2)


async def test_new_reminder_times_replan_upcoming_sessions(club: Club) -> None:
    admin = add_manager(club)
    await admin.slash(club.channel, "setup channel", channel=club.channel)
    # 2026-01-11 18:30 in New York (UTC-5): ten days after the virtual clock's start.
    await create_session(club, club.organizer, date="2026-01-11")
    starts = datetime(2026, 1, 11, 23, 30, tzinfo=UTC)
    [(session_id,)] = await club.bot.db.fetch_all("SELECT id FROM sessions")

    result = await admin.slash(club.channel, "setup reminders", offsets="2h")

    assert result.ephemeral
    assert "upcoming sessions now follow them" in result.response.content
    rows = await club.bot.db.fetch_all(
        "SELECT kind, offset_s, status, due_at FROM deliveries WHERE session_id = ? ORDER BY id",
        (session_id,),
    )
    reminders = {(r["offset_s"], r["status"]) for r in rows if r["kind"] == "reminder"}
    assert reminders == {(86400, "superseded"), (3600, "superseded"), (7200, "pending")}
    [new] = [r for r in rows if r["offset_s"] == 7200]
    assert datetime.fromisoformat(new["due_at"]) == starts - timedelta(hours=2)
    [announcement] = [
        r for r in rows if r["kind"] == "announcement" and r["status"] == "pending"
    ]  # re-planned with the rest, still six days ahead
    assert datetime.fromisoformat(announcement["due_at"]) == starts - timedelta(days=6)

    await club.env.advance_time((starts - club.env.now()).total_seconds() + 3600)

    messages = bot_messages(club)
    assert len(messages) == 2
    assert "Speed session" in embed_text(messages[0].embeds[0])
    assert "Reminder (2h to go)" in messages[1].content
    assert f"<t:{int(starts.timestamp())}:F>" in messages[1].content
    statuses = await club.bot.db.fetch_all(
        "SELECT offset_s, status FROM deliveries WHERE kind = 'reminder' ORDER BY offset_s"
    )
    assert [tuple(r) for r in statuses] == [
        (3600, "superseded"),
        (7200, "sent"),
        (86400, "superseded"),
    ]


async def test_a_reminder_further_ahead_than_the_announcement_does_not_come_first(
    club: Club,
) -> None:
    admin = add_manager(club)
    await admin.slash(club.channel, "setup channel", channel=club.channel)
    await create_session(club, club.organizer, date="2026-01-11")  # announced 6 days ahead
    starts = datetime(2026, 1, 11, 23, 30, tzinfo=UTC)

    await admin.slash(club.channel, "setup reminders", offsets="7d")
    await club.env.advance_time((starts - timedelta(days=7) - club.env.now()).total_seconds())

    # A reminder links to the announcement, so the announcement is posted first.
    messages = bot_messages(club)
    assert len(messages) == 2
    assert messages[0].embeds
    assert "Speed session" in embed_text(messages[0].embeds[0])
    assert "Reminder (7d to go)" in messages[1].content
    assert str(messages[0].id) in messages[1].content


async def test_sessions_are_read_in_the_server_time_zone(club: Club) -> None:
    admin = add_manager(club)
    await admin.slash(club.channel, "setup channel", channel=club.channel)
    await admin.slash(club.channel, "setup timezone", timezone="Europe/London")

    result = await create_session(club, club.organizer, date="2026-01-20", time="18:30")

    # London is on UTC in January: 18:30 there is 18:30 UTC, not New York's 23:30 UTC.
    starts = datetime(2026, 1, 20, 18, 30, tzinfo=UTC)
    assert f"<t:{int(starts.timestamp())}:F>" in embed_text(result.response.embeds[0])
    [row] = await club.bot.db.fetch_all("SELECT starts_at, timezone FROM sessions")
    assert datetime.fromisoformat(row["starts_at"]) == starts
    assert row["timezone"] == "Europe/London"

    await club.env.advance_time((starts - timedelta(days=6) - club.env.now()).total_seconds())
    [announcement] = bot_messages(club)
    assert f"<t:{int(starts.timestamp())}:F>" in embed_text(announcement.embeds[0])
