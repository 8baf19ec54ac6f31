"""A settings change re-plans a server's sessions in chunks after the reply (issue 11): a crash
mid-way is resumed at start-up, rows of the old plan never go out meanwhile, and a second change
takes over cleanly.

The crash is injected through a documented seam: a TEMP trigger that aborts the re-plan's
second cursor move, which is what SQLite raises for a write it can't make at that instant; the
chunk is rolled back and the process is then restarted as if it had died (the trigger goes with
its connection).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.outbox import service
from bot.services.access import Actor
from bot.settings import Settings
from tests.conftest import Club, bot_posts, make_admin, restart, set_channel
from tests.faults import fail_writes

# 18:30 in New York on five Tuesdays (23:30 UTC).
STARTS = [datetime(2026, 1, 6, 23, 30, tzinfo=UTC) + timedelta(weeks=n) for n in range(5)]


async def create_series(club: Club) -> None:
    await set_channel(club)
    await club.organizer.slash(
        club.channel, "session create", title="Tempo", date="2026-01-06", time="18:30",
        location="Park", weeks=len(STARTS),
    )  # fmt: skip


async def test_a_crash_mid_replan_is_resumed_and_every_reminder_goes_out_once_at_the_new_time(
    club: Club, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(service, "REPLAN_CHUNK", 2)
    await create_series(club)
    admin = await make_admin(club)
    # The process dies as the second chunk is recorded (a trigger aborts that write).
    await fail_writes(
        club.bot.db, "crash_mid_replan", "UPDATE OF after_id", "replans",
        "OLD.after_id IS NOT NULL",
    )  # fmt: skip

    result = await admin.slash(club.channel, "setup reminders", offsets="2h")

    assert result.ephemeral
    assert "upcoming sessions now follow them" in result.response.content
    # The first chunk (the two nearest sessions) is done; the rest is still marked pending.
    [mark] = await club.bot.db.fetch_all("SELECT after_starts_at FROM replans")
    assert datetime.fromisoformat(mark[0]) == STARTS[1]
    # Days pass with the re-plan stuck: the later sessions' old rows fall due (announcements)
    # and are re-planned on the spot, never posted by the old plan.
    await club.env.advance_time((STARTS[2] - club.env.now()).total_seconds() - 3600)

    await restart(club, settings, crash=True)
    assert await club.env.bot.db.fetch_all("SELECT * FROM replans") == []
    await club.env.advance_time((STARTS[-1] - club.env.now()).total_seconds() + 60)

    reminders = [m.content for m in bot_posts(club) if "Reminder" in (m.content or "")]
    assert len(reminders) == len(STARTS)
    assert all("Reminder (2h to go)" in text for text in reminders)
    sent = await club.env.bot.db.fetch_all(
        "SELECT s.starts_at, d.offset_s, d.due_at, d.sent_at FROM deliveries d"
        " JOIN sessions s ON s.id = d.session_id"
        " WHERE d.kind = 'reminder' AND d.status = 'sent' ORDER BY s.starts_at"
    )
    assert [datetime.fromisoformat(r["starts_at"]) for r in sent] == STARTS
    for row in sent:
        assert row["offset_s"] == 7200
        due = datetime.fromisoformat(row["starts_at"]) - timedelta(hours=2)
        assert datetime.fromisoformat(row["due_at"]) == due
        assert datetime.fromisoformat(row["sent_at"]) == due
    announcements = [m for m in bot_posts(club) if m.embeds]
    assert len(announcements) == len(STARTS)
    # Nothing of the old plan is left open.
    left = await club.env.bot.db.fetch_all(
        "SELECT COUNT(*) FROM deliveries WHERE status IN ('pending', 'retrying', 'claimed')"
        " AND kind IN ('reminder', 'announcement')"
    )
    assert left[0][0] == 0


async def test_a_second_change_while_re_planning_takes_over(
    club: Club, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(service, "REPLAN_CHUNK", 1)
    await create_series(club)
    setup = club.bot.services.setup
    outbox = club.bot.services.outbox
    admin = Actor(user_id=1, manage_guild=True)

    # Straight through the service, back to back: the first pass has done at most a chunk.
    await setup.set_reminders(admin, club.guild.id, "3h")
    [first] = await club.bot.db.fetch_all("SELECT generation FROM replans")
    await setup.set_reminders(admin, club.guild.id, "45m")
    [second] = await club.bot.db.fetch_all("SELECT generation FROM replans")
    assert second["generation"] == first["generation"] + 1  # still pending, started over
    await outbox.replans_done()

    pending = await club.bot.db.fetch_all(
        "SELECT session_id, offset_s FROM deliveries WHERE kind = 'reminder'"
        " AND status = 'pending' ORDER BY session_id"
    )
    assert [r["offset_s"] for r in pending] == [2700] * len(STARTS)
    assert len({r["session_id"] for r in pending}) == len(STARTS)
    assert await club.bot.db.fetch_all("SELECT * FROM replans") == []
    assert (await setup.config(club.guild.id)).reminder_offsets == (2700,)


async def test_a_year_of_sessions_created_running_arms_only_the_horizon_and_all_are_found(
    club: Club,
) -> None:
    await set_channel(club)
    for series in range(5):  # 260 upcoming sessions, more than a first page would hold
        await club.organizer.slash(
            club.channel, "session create", title=f"Series {series}", date="2026-01-06",
            time=f"{6 + series:02d}:00", location="Track", weeks=52,
        )  # fmt: skip
    scheduler = club.bot.scheduler
    assert scheduler is not None
    armed = scheduler.armed()
    pending = await club.bot.db.fetch_all(
        "SELECT id, due_at FROM deliveries WHERE status = 'pending'"
    )
    assert len(pending) > 1000  # a year of announcements, reminders and closes is stored
    horizon = club.env.now() + scheduler.horizon
    within = {row["id"] for row in pending if datetime.fromisoformat(row["due_at"]) <= horizon}
    assert armed == within  # and only what falls due within the horizon is held as a job

    [(farthest,)] = await club.bot.db.fetch_all(
        "SELECT id FROM sessions ORDER BY starts_at DESC, id DESC LIMIT 1"
    )

    by_number = await club.alice.autocomplete(club.channel, "rsvp", "session", f"#{farthest}")
    by_title = await club.alice.autocomplete(club.channel, "rsvp", "session", "series 4 (week 52")

    assert str(farthest) in [choice["value"] for choice in by_number]
    assert [choice["value"] for choice in by_title] == [str(farthest)]
