"""/session refusals as organizers and runners meet them: bad input, wrong member, wrong server,
wrong moment. Each is answered privately, names the problem with a valid example, and changes
nothing."""

from __future__ import annotations

from typing import Any

import discord
import pytest
from simcord import OptionError

from tests.conftest import Club, embed_text, only_user_errors

VALID = {
    "title": "Speed session",
    "date": "2026-01-20",
    "time": "18:30",
    "location": "Cherokee HS track",
}


def add_manager(club: Club) -> Any:
    role = club.guild.create_role("Admin", permissions=discord.Permissions(manage_guild=True))
    return club.guild.add_member(club.env.create_user("admin"), roles=[role])


async def create(club: Club, member: Any | None = None, **overrides: Any) -> Any:
    """/session create with valid options, posting to club.channel, changed by ``overrides``."""
    options: dict[str, Any] = {**VALID, "channel": club.channel} | overrides
    options = {name: value for name, value in options.items() if value is not None}
    return await (member or club.organizer).slash(club.channel, "session create", **options)


async def create_id(club: Club, **overrides: Any) -> int:
    result = await create(club, **overrides)
    assert "Scheduled:" in embed_text(result.response.embeds[0]), result.response.content
    [(session_id,)] = await club.bot.db.fetch_all("SELECT MAX(id) FROM sessions")
    return int(session_id)


async def snapshot(club: Club) -> tuple[list[tuple[Any, ...]], ...]:
    """Everything sessions commands may write."""
    tables = []
    for table in ("series", "sessions", "deliveries"):
        rows = await club.bot.db.fetch_all(f"SELECT * FROM {table} ORDER BY id")  # noqa: S608
        tables.append([tuple(row) for row in rows])
    return tuple(tables)


async def assert_nothing_stored(club: Club) -> None:
    assert await snapshot(club) == ([], [], [])


def bot_messages(club: Club) -> list[discord.Message]:
    return [m for m in club.channel.history(viewer=club.alice) if m.author.bot]


# ---------------------------------------------------------------- /session create: bad input


@pytest.mark.parametrize(
    ("overrides", "phrases"),
    [
        (
            {"date": "2025-12-31"},
            ["date: Wed 31 Dec 2025, 18:30 is in the past (America/New_York)", "like 2026-01-07"],
        ),
        (
            {"date": "next tuesday"},
            ["date: 'next tuesday' isn't a date", "use YYYY-MM-DD, like 2026-03-10"],
        ),
        (
            {"date": "2026-13-01"},
            ["date: 2026-13-01 doesn't exist: months go from 01 to 12", "like 2026-03-10"],
        ),
        (
            {"date": "2026-02-30"},
            ["date: 2026-02-30 doesn't exist: February 2026 has 28 days", "like 2026-02-28"],
        ),
        (
            {"time": "25:00"},
            ["time: '25:00' isn't a time of day: hours go from 00 to 23", "18:30 or 6:30pm"],
        ),
        ({"time": "6:75pm"}, ["time: '6:75pm' isn't a time of day", "18:30 or 6:30pm"]),
        (
            {"date": "2026-03-08", "time": "2:30"},
            [
                "time: 02:30 on Sun 8 Mar 2026 doesn't exist in America/New_York",
                "Pick a time outside 02:00-03:00",
            ],
        ),
        ({"title": ""}, ["title: this can't be empty", "Try Tuesday speed session"]),
        ({"title": "   "}, ["title: this can't be empty", "Try Tuesday speed session"]),
        (
            {"title": "x" * 101},
            ["title: that's 101 characters; keep it to 100", "like Tuesday speed session"],
        ),
        ({"location": ""}, ["location: this can't be empty", "Try Cherokee HS track"]),
        ({"location": " \t "}, ["location: this can't be empty", "Try Cherokee HS track"]),
        (
            {"details": "d" * 1001},
            ["details: that's 1001 characters; keep it to 1000", "like bring spikes"],
        ),
    ],
    ids=[
        "past-date",
        "words-for-date",
        "month-13",
        "february-30",
        "hour-25",
        "minute-75",
        "spring-forward-gap",
        "empty-title",
        "blank-title",
        "long-title",
        "empty-location",
        "blank-location",
        "long-details",
    ],
)
async def test_create_with_bad_input_is_refused_privately_and_stores_nothing(
    club: Club, overrides: dict[str, Any], phrases: list[str]
) -> None:
    result = await create(club, **overrides)

    assert result.ephemeral
    for phrase in phrases:
        assert phrase in result.response.content
    assert not result.response.embeds
    await assert_nothing_stored(club)
    assert bot_messages(club) == []
    only_user_errors(club)


async def test_create_without_an_announcement_channel_points_to_setup_channel(
    club: Club,
) -> None:
    result = await create(club, channel=None)

    assert result.ephemeral
    assert "channel: there's no announcement channel yet" in result.response.content
    assert "/setup channel #speed-sessions" in result.response.content
    await assert_nothing_stored(club)
    only_user_errors(club)


async def test_create_uses_the_channel_set_with_setup_channel(club: Club) -> None:
    admin = add_manager(club)
    await admin.slash(club.channel, "setup channel", channel=club.channel)

    result = await create(club, channel=None)

    assert "Scheduled: Speed session" in embed_text(result.response.embeds[0])
    [(channel_id,)] = await club.bot.db.fetch_all("SELECT channel_id FROM sessions")
    assert channel_id == club.channel.id
    assert club.env.errors == []


@pytest.mark.parametrize(
    ("option", "value", "problem"),
    [
        ("weeks", 0, "must be ≥ 1, got 0"),
        ("weeks", 53, "must be ≤ 52, got 53"),
        ("capacity", 0, "must be ≥ 1, got 0"),
    ],
)
async def test_create_with_numbers_out_of_range_is_stopped_by_discord(
    club: Club, option: str, value: int, problem: str
) -> None:
    # Range options: Discord's client refuses to send these, so the bot never sees them.
    with pytest.raises(OptionError, match=f"Option '{option}' of 'session create' {problem}"):
        await create(club, **{option: value})

    await assert_nothing_stored(club)
    assert club.env.errors == []


async def test_a_workout_that_cannot_be_read_is_kept_as_free_text_and_the_organizer_told(
    club: Club,
) -> None:
    result = await create(club, workout="run fast-ish")

    assert result.ephemeral
    embed = result.response.embeds[0]
    assert "Scheduled: Speed session" in embed_text(embed)
    [note] = [f.value for f in embed.fields if f.name == "Note"]
    assert "kept as free text" in (note or "")
    assert "won't get personal paces" in (note or "")
    assert "6x800 @ I w/ 400 jog" in (note or "")
    [row] = await club.bot.db.fetch_all("SELECT workout, workout_parsed FROM sessions")
    assert tuple(row) == ("run fast-ish", 0)
    assert club.env.errors == []


async def test_a_workout_that_can_be_read_gives_no_note(club: Club) -> None:
    result = await create(club, workout="6x800 @ I w/ 400 jog")

    embed = result.response.embeds[0]
    assert "Scheduled: Speed session" in embed_text(embed)
    assert [f for f in embed.fields if f.name == "Note"] == []
    assert "free text" not in embed_text(embed)
    [row] = await club.bot.db.fetch_all("SELECT workout_parsed FROM sessions")
    assert row[0] == 1


async def test_date_autocomplete_offers_upcoming_dates_from_the_server_today(club: Club) -> None:
    choices = await club.organizer.autocomplete(club.channel, "session create", "date", "")

    # 2026-01-01 00:00 UTC is still 31 December, 19:00, in New York, the server's zone.
    values = [choice["value"] for choice in choices]
    assert values[:3] == ["2025-12-31", "2026-01-01", "2026-01-02"]
    assert choices[0]["name"] == "Wed 31 Dec 2025 (today)"
    assert choices[1]["name"] == "Thu 1 Jan 2026 (tomorrow)"
    assert len(values) == 25
    assert values == sorted(values)
    assert all(len(v) == 10 and v[4] == "-" and v[7] == "-" for v in values)

    typed = await club.organizer.autocomplete(club.channel, "session create", "date", "2026-01-2")
    # "2026-01-2" is itself a date (2 January), then the dates it begins, up to four weeks ahead.
    assert [c["value"] for c in typed] == ["2026-01-02"] + [f"2026-01-{d}" for d in range(20, 28)]


async def test_date_autocomplete_starts_from_today_in_a_zone_already_in_the_new_year(
    club: Club,
) -> None:
    admin = add_manager(club)
    await admin.slash(club.channel, "setup timezone", timezone="Europe/London")

    choices = await club.organizer.autocomplete(club.channel, "session create", "date", "")

    assert choices[0] == {"name": "Thu 1 Jan 2026 (today)", "value": "2026-01-01"}


# ---------------------------------------------------------------- edit and cancel: who and which


async def test_a_member_cannot_edit_or_cancel_a_session(club: Club) -> None:
    session_id = await create_id(club)
    before = await snapshot(club)

    edited = await club.alice.slash(
        club.channel, "session edit", session=str(session_id), time="19:00"
    )
    cancelled = await club.alice.slash(club.channel, "session cancel", session=str(session_id))

    for result in (edited, cancelled):
        assert result.ephemeral
        assert "Only organizers can do this: members with Manage Events" in result.response.content
        assert "/setup organizer-role" in result.response.content
    assert await snapshot(club) == before
    only_user_errors(club, count=2)


@pytest.fixture
async def other_club(club: Club) -> Any:
    """A second server the bot is in, with its own organizer and one session."""
    guild = club.env.create_guild("Run Club 2")
    channel = guild.create_text_channel("track-nights")
    organizers = guild.create_role("Coach", permissions=discord.Permissions(manage_events=True))
    coach = guild.add_member(club.env.create_user("coach2"), roles=[organizers])
    result = await coach.slash(
        channel,
        "session create",
        title="Other club intervals",
        date="2026-01-21",
        time="19:00",
        location="Other track",
        channel=channel,
    )
    assert "Scheduled: Other club intervals" in embed_text(result.response.embeds[0])
    return guild, channel, coach


async def test_sessions_of_another_server_are_not_found(club: Club, other_club: Any) -> None:
    own_id = await create_id(club)
    [(foreign_id,)] = await club.bot.db.fetch_all(
        "SELECT id FROM sessions WHERE guild_id != ?", (club.guild.id,)
    )
    before = await snapshot(club)

    edited = await club.organizer.slash(
        club.channel, "session edit", session=str(foreign_id), title="Hijacked"
    )
    cancelled = await club.organizer.slash(
        club.channel, "session cancel", session=f"#{foreign_id}", reason="mine now"
    )

    for result in (edited, cancelled):
        assert result.ephemeral
        assert "session: I can't find a session" in result.response.content
        assert "in this server" in result.response.content
        assert "/session list" in result.response.content
    assert await snapshot(club) == before
    rows = await club.bot.db.fetch_all("SELECT id, title, status FROM sessions ORDER BY id")
    assert [tuple(r) for r in rows] == [
        (foreign_id, "Other club intervals", "scheduled"),
        (own_id, "Speed session", "scheduled"),
    ]
    only_user_errors(club, count=2)


async def test_session_autocomplete_lists_only_this_server_sessions(
    club: Club, other_club: Any
) -> None:
    own_id = await create_id(club)
    _guild, channel, coach = other_club
    [(foreign_id,)] = await club.bot.db.fetch_all(
        "SELECT id FROM sessions WHERE guild_id != ?", (club.guild.id,)
    )

    here = await club.organizer.autocomplete(club.channel, "session edit", "session", "")
    by_id = await club.organizer.autocomplete(
        club.channel, "session cancel", "session", f"#{foreign_id}"
    )
    by_title = await club.organizer.autocomplete(club.channel, "session edit", "session", "other")
    there = await coach.autocomplete(channel, "session edit", "session", "")

    assert [c["value"] for c in here] == [str(own_id)]
    assert "Speed session" in here[0]["name"]
    assert by_id == []
    assert by_title == []
    assert [c["value"] for c in there] == [str(foreign_id)]


@pytest.mark.parametrize(
    "reference",
    ["abc", "#999999", "", "'; DROP TABLE sessions; --"],
    ids=["word", "unknown-id", "empty", "sql"],
)
async def test_garbage_session_references_are_not_found(club: Club, reference: str) -> None:
    await create_id(club)
    before = await snapshot(club)

    edited = await club.organizer.slash(
        club.channel, "session edit", session=reference, location="Elsewhere"
    )
    cancelled = await club.organizer.slash(club.channel, "session cancel", session=reference)

    for result in (edited, cancelled):
        assert result.ephemeral
        assert "session: I can't find a session" in result.response.content
        assert "Pick one from the list as you type, or see /session list" in (
            result.response.content
        )
    assert await snapshot(club) == before
    only_user_errors(club, count=2)


# ---------------------------------------------------------------- edit and cancel: when


async def test_an_edit_with_nothing_to_change_is_refused(club: Club) -> None:
    session_id = await create_id(club)
    before = await snapshot(club)

    result = await club.organizer.slash(club.channel, "session edit", session=str(session_id))

    assert result.ephemeral
    assert "Nothing to change" in result.response.content
    assert "like time: 18:45" in result.response.content
    assert await snapshot(club) == before
    only_user_errors(club)


async def test_a_cancelled_session_cannot_be_edited_or_cancelled_again(club: Club) -> None:
    session_id = await create_id(club)
    done = await club.organizer.slash(club.channel, "session cancel", session=str(session_id))
    assert "Cancelled 1 session" in embed_text(done.response.embeds[0])
    before = await snapshot(club)

    edited = await club.organizer.slash(
        club.channel, "session edit", session=str(session_id), time="19:00"
    )
    again = await club.organizer.slash(club.channel, "session cancel", session=str(session_id))

    for result in (edited, again):
        assert result.ephemeral
        assert "That session is cancelled" in result.response.content
        assert "/session create" in result.response.content
    assert await snapshot(club) == before
    [row] = await club.bot.db.fetch_all("SELECT status, starts_at FROM sessions")
    assert row["status"] == "cancelled"
    only_user_errors(club, count=2)


async def test_a_session_that_has_started_cannot_be_edited_or_cancelled(club: Club) -> None:
    # 06:30 on 1 January in New York is 11:30 UTC, eleven and a half hours away.
    session_id = await create_id(club, date="2026-01-01", time="6:30")
    await club.env.advance_time(12 * 3600)
    before = await snapshot(club)

    edited = await club.organizer.slash(
        club.channel, "session edit", session=str(session_id), location="Elsewhere"
    )
    cancelled = await club.organizer.slash(club.channel, "session cancel", session=str(session_id))

    for result in (edited, cancelled):
        assert result.ephemeral
        assert "That session has already started, so it can't be changed now." in (
            result.response.content
        )
    assert await snapshot(club) == before
    [row] = await club.bot.db.fetch_all("SELECT status, location FROM sessions")
    assert tuple(row) == ("scheduled", "Cherokee HS track")
    only_user_errors(club, count=2)


# ---------------------------------------------------------------- /session list


async def test_a_member_lists_upcoming_sessions_without_failed_posts(club: Club) -> None:
    # The announcement of the first session fails (no permission; retried later), which only
    # organizers are shown.
    club.env.inject_error("POST", "/channels/*/messages", status=403, code=50013, times=1)
    first = await create_id(club, title="Track Tuesday", date="2026-01-03")
    second = await create_id(club, title="Hill Thursday", date="2026-01-22", location="Big hill")
    [(status,)] = await club.bot.db.fetch_all(
        "SELECT status FROM deliveries WHERE session_id = ? AND kind = 'announcement'", (first,)
    )
    assert status == "retrying"

    listed = await club.alice.slash(club.channel, "session list")
    seen_by_organizer = await club.organizer.slash(club.channel, "session list")

    assert listed.ephemeral
    embed = listed.response.embeds[0]
    text = embed_text(embed)
    assert embed.title == "Upcoming sessions"
    assert f"#{first}" in text
    assert "Track Tuesday" in text
    assert f"#{second}" in text
    assert "Hill Thursday" in text
    assert "at Big hill" in text
    assert "Posts that failed" not in text
    assert [f.name for f in embed.fields] == []
    assert "Posts that failed (organizers only)" in embed_text(seen_by_organizer.response.embeds[0])
    assert club.env.errors == []


async def test_a_member_listing_an_empty_schedule_is_told_nothing_is_scheduled(
    club: Club,
) -> None:
    listed = await club.alice.slash(club.channel, "session list")

    assert listed.ephemeral
    assert "Nothing scheduled" in embed_text(listed.response.embeds[0])
