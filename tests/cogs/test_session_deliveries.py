"""Announcements and reminders arrive at their instants, exactly once, across DST and restarts."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot import create_bot
from bot.settings import Settings
from tests.conftest import Club, bot_posts, embed_text, restart, set_channel

SERIES_TUESDAYS = [  # 18:30 in New York: EST (UTC-5) until 8 March 2026, EDT (UTC-4) after
    datetime(2026, 2, 24, 23, 30, tzinfo=UTC),
    datetime(2026, 3, 3, 23, 30, tzinfo=UTC),
    datetime(2026, 3, 10, 22, 30, tzinfo=UTC),
    datetime(2026, 3, 17, 22, 30, tzinfo=UTC),
    datetime(2026, 3, 24, 22, 30, tzinfo=UTC),
    datetime(2026, 3, 31, 22, 30, tzinfo=UTC),
]


async def create_series(club: Club, weeks: int = 6, date: str = "2026-02-24") -> None:
    await set_channel(club)
    await club.organizer.slash(
        club.channel,
        "session create",
        title="Speed session",
        date=date,
        time="6:30pm",
        location="Cherokee HS track",
        workout="6x800 @ I w/ 400 jog",
        weeks=weeks,
    )
    assert not club.env.errors, club.env.errors


def expected_posts(starts: list[datetime]) -> list[tuple[datetime, str]]:
    events = []
    for start in starts:
        events.append((start - timedelta(days=6), "announcement"))
        events.append((start - timedelta(hours=24), "24h"))
        events.append((start - timedelta(hours=1), "1h"))
    return sorted(events)


def kind_of(message) -> str:  # type: ignore[no-untyped-def]
    if message.embeds:
        return "announcement"
    if "Reminder (24h to go)" in message.content:
        return "24h"
    if "Reminder (1h to go)" in message.content:
        return "1h"
    return message.content


async def advance_to(club: Club, instant: datetime) -> None:
    seconds = (instant - club.env.now()).total_seconds()
    if seconds > 0:
        await club.env.advance_time(seconds)


async def test_weekly_series_across_dst_posts_everything_at_its_instant(club: Club) -> None:
    await create_series(club)

    for instant, kind in expected_posts(SERIES_TUESDAYS):
        before = len(bot_posts(club))
        await advance_to(club, instant - timedelta(seconds=1))
        assert len(bot_posts(club)) == before, f"{kind} came early for {instant}"
        await advance_to(club, instant)
        posts = bot_posts(club)
        assert len(posts) == before + 1, f"{kind} missing at {instant}"
        assert kind_of(posts[-1]) == kind

    announcements = [m for m in bot_posts(club) if m.embeds]
    for week, (message, start) in enumerate(zip(announcements, SERIES_TUESDAYS, strict=True), 1):
        text = embed_text(message.embeds[0])
        assert f"<t:{int(start.timestamp())}:F>" in text
        assert f"Week {week} of 6" in text
    await club.env.advance_time(14 * 86400)
    assert len(bot_posts(club)) == 18


async def test_graceful_restart_keeps_the_schedule(club: Club, settings: Settings) -> None:
    await create_series(club, weeks=2)
    await advance_to(club, SERIES_TUESDAYS[0] - timedelta(days=3))
    assert [kind_of(m) for m in bot_posts(club)] == ["announcement"]

    await restart(club, settings)
    await advance_to(club, SERIES_TUESDAYS[1] + timedelta(hours=1))

    assert [kind_of(m) for m in bot_posts(club)] == [
        "announcement",
        "24h",
        "1h",
        "announcement",
        "24h",
        "1h",
    ]


async def test_crash_restart_keeps_the_schedule(club: Club, settings: Settings) -> None:
    await create_series(club, weeks=2)
    await advance_to(club, SERIES_TUESDAYS[0] - timedelta(hours=3))

    await restart(club, settings, crash=True)
    await advance_to(club, SERIES_TUESDAYS[1] + timedelta(hours=1))

    assert [kind_of(m) for m in bot_posts(club)] == [
        "announcement",
        "24h",
        "1h",
        "announcement",
        "24h",
        "1h",
    ]


async def test_a_reminder_missed_while_down_goes_out_at_start_up(
    club: Club, settings: Settings
) -> None:
    await create_series(club, weeks=1)
    start = SERIES_TUESDAYS[0]
    await advance_to(club, start - timedelta(hours=25))
    await club.bot.close()
    await advance_to(club, start - timedelta(hours=20))  # the 24 h reminder fell due while down

    await club.env.restart_bot(create_bot(settings))

    posts = bot_posts(club)
    assert [kind_of(m) for m in posts] == ["announcement", "24h"]
    await advance_to(club, start)
    assert [kind_of(m) for m in bot_posts(club)] == ["announcement", "24h", "1h"]


async def test_down_across_two_reminders_sends_only_the_closer_one(
    club: Club, settings: Settings
) -> None:
    await create_series(club, weeks=1)
    start = SERIES_TUESDAYS[0]
    await advance_to(club, start - timedelta(hours=25))
    await club.bot.close()
    await advance_to(club, start - timedelta(minutes=30))

    await club.env.restart_bot(create_bot(settings))

    assert [kind_of(m) for m in bot_posts(club)] == ["announcement", "1h"]
    rows = await club.bot.db.fetch_all(
        "SELECT offset_s, status, last_error FROM deliveries WHERE kind = 'reminder'"
        " ORDER BY offset_s DESC"
    )
    assert [tuple(r) for r in rows] == [
        (86400, "skipped", "superseded by a later reminder"),
        (3600, "sent", None),
    ]


async def test_down_past_the_start_skips_with_the_reason(club: Club, settings: Settings) -> None:
    await create_series(club, weeks=1)
    start = SERIES_TUESDAYS[0]
    await advance_to(club, start - timedelta(hours=25))
    await club.bot.close()
    await advance_to(club, start + timedelta(minutes=5))

    await club.env.restart_bot(create_bot(settings))

    assert [kind_of(m) for m in bot_posts(club)] == ["announcement"]
    rows = await club.bot.db.fetch_all(
        "SELECT status, last_error FROM deliveries WHERE kind = 'reminder'"
    )
    assert {tuple(r) for r in rows} == {("skipped", "session already started")}


@pytest.mark.parametrize("crash", [False, True])
async def test_many_restarts_never_double_a_post(
    club: Club, settings: Settings, crash: bool
) -> None:
    await create_series(club, weeks=3)
    # Past the last session's end (90 minutes), so its Discord event is completed too.
    end = SERIES_TUESDAYS[2] + timedelta(hours=2)
    instant = SERIES_TUESDAYS[0] - timedelta(days=7)
    while instant < end:
        instant += timedelta(hours=17, minutes=13)  # lands at many different points
        await advance_to(club, min(instant, end))
        await restart(club, settings, crash=crash)
    await advance_to(club, end)

    assert [kind_of(m) for m in bot_posts(club)] == ["announcement", "24h", "1h"] * 3
    statuses = await club.bot.db.fetch_all("SELECT DISTINCT status FROM deliveries")
    assert {r[0] for r in statuses} == {"sent"}
    # One Discord event per occurrence, never doubled by a restart, each completed.
    events = club.env.backend.guilds[club.guild.id].scheduled_events.values()
    assert sorted(e.status for e in events) == [3, 3, 3]
