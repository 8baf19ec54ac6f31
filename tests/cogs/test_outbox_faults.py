"""Exactly once, through every failure (issue 8): faults injected at the worst moments.

Where a fault is one SimCord can't produce itself, the test injects it through a documented
seam and says so:

- "Discord accepted the post, then recording it failed": :func:`refuse_writes_after_post` wraps
  the bot's ``http.request`` (discord.py's single REST entry point) and, right after Discord
  answers the announcement's POST, makes storage refuse writes
  (:func:`tests.faults.refuse_writes`), exactly as a failing disk would at that instant.
- A storage error while saving a reaction: a trigger on ``rsvp_events`` that aborts
  (:func:`tests.faults.fail_writes`), which is what the store raises for a write it can't make.

Both seams work on SQLite and PostgreSQL (see :mod:`tests.faults`).
"""

from __future__ import annotations

import logging
import os
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from bot import create_bot
from bot.settings import Settings
from bot.tree import STORAGE_TROUBLE
from tests.conftest import Club, bot_posts, embed_text, restart, set_channel
from tests.faults import allow_writes, fail_writes, refuse_writes, stop_failing

TUESDAY = datetime(2026, 1, 6, 23, 30, tzinfo=UTC)  # 18:30 in New York, announced at once


async def create(club: Club, **extra: Any) -> None:
    await set_channel(club)
    await club.organizer.slash(
        club.channel,
        "session create",
        title="Tempo",
        date="2026-01-06",
        time="18:30",
        location="Park",
        **extra,
    )


def announcements(club: Club) -> list[Any]:
    return [m for m in bot_posts(club) if m.embeds]


def refuse_writes_after_post(club: Club) -> Callable[[], Awaitable[None]]:
    """The seam: after Discord accepts the next message POST, storage refuses writes.

    Returns a coroutine function that gives storage back.
    """
    bot = club.bot
    original = bot.http.request
    state = {"armed": True}

    async def request(route: Any, **kwargs: Any) -> Any:
        answer = await original(route, **kwargs)
        if state["armed"] and route.method == "POST" and route.path.endswith("/messages"):
            state["armed"] = False
            await refuse_writes(bot.db)
        return answer

    bot.http.request = request  # type: ignore[method-assign]

    async def heal() -> None:
        bot.http.request = original  # type: ignore[method-assign]
        await allow_writes(bot.db)

    return heal


async def delivery(club: Club, kind: str) -> tuple[Any, ...]:
    rows = await club.bot.db.fetch_all(
        "SELECT status, message_id, last_error FROM deliveries WHERE kind = ? ORDER BY id", (kind,)
    )
    return tuple(tuple(row) for row in rows)


async def answer_of(club: Club, member: Any) -> str | None:
    row = await club.bot.db.fetch_one("SELECT state FROM rsvps WHERE user_id = ?", (member.id,))
    return None if row is None else str(row[0])


# -- unknown outcome -------------------------------------------------------------------------------


async def test_a_post_whose_recording_failed_is_found_and_adopted_not_sent_again(
    club: Club,
) -> None:
    await set_channel(club)
    heal = refuse_writes_after_post(club)
    await club.organizer.slash(
        club.channel, "session create", title="Tempo", date="2026-01-06", time="18:30",
        location="Park",
    )  # fmt: skip
    [message] = announcements(club)
    # Discord has it, the database doesn't: the row is still claimed, reactions don't count yet.
    assert (await delivery(club, "announcement"))[0][0] == "claimed"
    await club.alice.react(message, "✅")
    assert await answer_of(club, club.alice) is None
    await heal()

    await club.env.advance_time(3 * 60)  # the claim's 2-minute lease runs out

    assert len(announcements(club)) == 1
    assert await delivery(club, "announcement") == (("sent", message.id, None),)
    assert await answer_of(club, club.alice) == "going"  # her reaction on it counted
    await club.env.advance_time(10)
    latest = announcements(club)[0]
    assert "alice" in embed_text(latest.embeds[0])


async def test_a_crash_right_after_discord_accepted_a_post_never_doubles_it(
    club: Club, settings: Settings
) -> None:
    await set_channel(club)
    refuse_writes_after_post(club)
    await club.organizer.slash(
        club.channel, "session create", title="Tempo", date="2026-01-06", time="18:30",
        location="Park",
    )  # fmt: skip
    [message] = announcements(club)
    await club.ben.react(message, "🤔")

    # The process dies at that instant; the next one starts at once (no hour-long wait).
    await restart(club, settings, crash=True)
    await club.env.advance_time(1)

    assert len(announcements(club)) == 1
    assert await delivery(club, "announcement") == (("sent", message.id, None),)
    assert await answer_of(club, club.ben) == "maybe"
    await club.alice.react(message, "✅")
    assert await answer_of(club, club.alice) == "going"
    await club.env.advance_time(2 * 86400)
    assert len(announcements(club)) == 1


async def test_a_post_that_never_went_out_is_sent_after_the_lookup(
    club: Club, settings: Settings
) -> None:
    await set_channel(club)
    club.env.inject_error("POST", "/channels/*/messages", status=500, times=1)
    await club.organizer.slash(
        club.channel, "session create", title="Tempo", date="2026-01-06", time="18:30",
        location="Park",
    )  # fmt: skip
    # Make it look like the process died while the post was in flight.
    async with club.bot.db.transaction() as conn:
        await conn.execute(
            "UPDATE deliveries SET status = 'claimed', lease_until = due_at"
            " WHERE kind = 'announcement'"
        )
    await restart(club, settings, crash=True)
    await club.env.advance_time(1)

    [message] = announcements(club)
    assert await delivery(club, "announcement") == (("sent", message.id, None),)


# -- reactions -------------------------------------------------------------------------------------


async def test_a_reaction_whose_save_failed_is_not_lost(club: Club, settings: Settings) -> None:
    await create(club)
    [message] = announcements(club)
    await fail_writes(club.bot.db, "storage_fault", "INSERT", "rsvp_events")

    await club.alice.react(message, "✅")

    # Neither the answer nor the "seen" mark was saved: one transaction.
    assert await answer_of(club, club.alice) is None
    seen = await club.bot.db.fetch_all(
        "SELECT * FROM reactions_seen WHERE user_id = ?", (club.alice.id,)
    )
    assert seen == []  # (Pacer's own reactions are remembered under user id 0)
    await stop_failing(club.bot.db, "storage_fault", "rsvp_events")

    await restart(club, settings)  # start-up catch-up reads the reaction back

    assert await answer_of(club, club.alice) == "going"


async def test_a_reaction_survives_a_passing_storage_fault(club: Club) -> None:
    await create(club)
    [message] = announcements(club)
    db = club.bot.db
    # Fails the first write only: the trigger fires while the marker table has a row, and the
    # failure itself can't delete the marker (it is rolled back), so the test removes it.
    async with db.transaction() as conn:
        await conn.execute("CREATE TABLE fault_once (n INTEGER)")
        await conn.execute("INSERT INTO fault_once VALUES (1)")
    await fail_writes(
        db, "storage_fault", "INSERT", "rsvp_events", "(SELECT COUNT(*) FROM fault_once) > 0"
    )
    original = club.bot.services.rsvps.react
    tries = []

    async def react(*args: Any, **kwargs: Any) -> bool:
        tries.append(1)
        try:
            return await original(*args, **kwargs)
        finally:
            async with db.transaction() as conn:
                await conn.execute("DELETE FROM fault_once")

    club.bot.services.rsvps.react = react  # type: ignore[method-assign]

    await club.alice.react(message, "✅")

    assert len(tries) == 2
    assert await answer_of(club, club.alice) == "going"


# -- permission and channel failures ---------------------------------------------------------------


async def test_a_refused_post_is_retried_with_back_off_and_posts_once_allowed(
    club: Club,
) -> None:
    club.env.inject_error("POST", "/channels/*/messages", status=403, code=50013, times=2)
    await create(club)
    assert announcements(club) == []
    [(status, _, error)] = await delivery(club, "announcement")
    assert status == "retrying"
    assert "missing permission" in error
    listing = await club.organizer.slash(club.channel, "session list")
    assert "not posted yet" in embed_text(listing.response.embeds[0])

    await club.env.advance_time(5 * 60)  # second try refused too
    assert announcements(club) == []
    await club.env.advance_time(15 * 60)  # the permission is back by the third

    assert len(announcements(club)) == 1
    assert (await delivery(club, "announcement"))[0][0] == "sent"


async def test_changing_setup_retries_failed_posts_at_once(club: Club) -> None:
    club.env.inject_error("POST", "/channels/*/messages", status=403, code=50013, times=1)
    await create(club)
    assert announcements(club) == []

    # An admin fixes the permission and touches the setup: the post goes out now.
    await set_channel(club)
    await club.env.advance_time(1)

    assert len(announcements(club)) == 1


async def test_organizers_can_retry_a_failed_post_privately(club: Club) -> None:
    club.env.inject_error("POST", "/channels/*/messages", status=404, code=10003, times=1)
    await create(club)
    assert announcements(club) == []

    refused = await club.alice.slash(club.channel, "session retry", session="1")
    assert refused.ephemeral
    assert announcements(club) == []
    result = await club.organizer.slash(club.channel, "session retry", session="1")
    assert result.ephemeral
    assert "Trying 1 post again" in result.response.content
    await club.env.advance_time(1)
    assert len(announcements(club)) == 1

    again = await club.organizer.slash(club.channel, "session retry", session="1")
    assert again.ephemeral
    assert "Nothing to retry" in again.response.content
    assert len(club.env.errors) == 2  # alice's refusal and the nothing-to-retry answer


# -- edits -----------------------------------------------------------------------------------------


def patches(club: Club) -> int:
    return sum(1 for r in club.env.http_requests if r.method == "PATCH" and "/messages/" in r.path)


async def test_a_persistently_failing_edit_backs_off_then_is_recorded(club: Club) -> None:
    await create(club)
    [message] = announcements(club)
    club.env.inject_error("PATCH", "/channels/*/messages/*", status=500, times=None)

    await club.alice.click(message, label="Going")
    await club.env.advance_time(10 * 60)
    ten_minutes = patches(club)
    await club.env.advance_time(50 * 60)

    assert ten_minutes <= 6  # not 121 (one every 5 s)
    assert patches(club) <= 7  # the first try and six with back-off, then given up
    [(status, _, error)] = await delivery(club, "announcement_edit")
    assert status == "failed"
    assert "updating the announcement failed" in error
    listing = await club.organizer.slash(club.channel, "session list")
    assert "announcement edit" in embed_text(listing.response.embeds[0])

    club.env.backend.faults.clear()
    await club.organizer.slash(club.channel, "session retry", session="1")
    await club.env.advance_time(10)
    latest = announcements(club)[0]
    assert "alice" in embed_text(latest.embeds[0])


# -- one process, one database --------------------------------------------------------------------


async def test_an_instance_that_lost_the_database_posts_nothing(
    club: Club, settings: Settings
) -> None:
    await create(club)
    old = club.bot
    # The next instance takes over while the old one's connection is still open (in this one
    # process a crash is simulated; across processes the lease tells live from dead).
    await club.env.restart_bot(create_bot(settings))
    assert old.core is not None
    assert old.publisher is not None
    async with old.db.transaction() as conn:  # a reminder falls due for the old one
        await conn.execute(
            "UPDATE deliveries SET due_at = ? WHERE kind = 'reminder'",
            ("2026-01-01T00:00:00+00:00",),
        )

    await old.publisher.process_due()

    assert old.publisher.closing
    assert "another Pacer took over" in (old.core.guard.lost or "")
    assert len(bot_posts(club)) == 1
    await old.db.close()


@pytest.mark.sqlite_only  # a SQLite file deleted or replaced
async def test_the_database_deleted_under_the_bot_stops_it(
    club: Club, settings: Settings, caplog: pytest.LogCaptureFixture
) -> None:
    await create(club)
    [message] = announcements(club)
    os.unlink(settings.database_path)

    result = await club.alice.click(message, label="Going")

    assert result.response.content == STORAGE_TROUBLE
    await club.env.advance_time(2 * 86400)  # past the 24 h and 1 h reminders
    posted = [m.id for m in bot_posts(club) if not m.flags.ephemeral]
    assert posted == [message.id]
    assert any(
        r.levelno == logging.CRITICAL and "was deleted" in r.getMessage() for r in caplog.records
    )
    assert club.bot.is_closed()
    club.env.errors.clear()


# -- notices checked when sent ---------------------------------------------------------------------


async def test_a_retried_promotion_is_dropped_if_the_member_said_no_since(club: Club) -> None:
    await create(club, capacity=1)
    [message] = announcements(club)
    await club.alice.click(message, label="Going")
    await club.ben.click(message, label="Going")  # waitlisted
    club.env.inject_error("POST", "/channels/*/messages", status=500, times=1)
    await club.alice.click(message, label="Can't")  # Ben is promoted; his DM fails once
    [(status, _, _)] = await delivery(club, "promotion")
    assert status == "retrying"
    await club.ben.click(message, label="Can't")

    await club.env.advance_time(5 * 60)

    [(status, _, reason)] = await delivery(club, "promotion")
    assert (status, reason) == ("skipped", "the member is no longer going")
    dm = club.ben.user.dm_channel
    assert dm is None or dm.last_message is None


async def test_two_quick_time_changes_tell_members_once_and_in_order(club: Club) -> None:
    await create(club)
    [message] = announcements(club)
    await club.alice.click(message, label="Going")
    club.env.inject_error("POST", "/channels/*/messages", status=500, times=1)
    await club.organizer.slash(club.channel, "session edit", session="1", time="19:00")
    await club.organizer.slash(club.channel, "session edit", session="1", time="19:30")
    await club.env.advance_time(5 * 60)

    moved = [m for m in bot_posts(club) if "has moved" in (m.content or "")]
    assert len(moved) == 1
    original, final = TUESDAY, TUESDAY + timedelta(hours=1)
    assert f"<t:{int(original.timestamp())}:F>" in moved[0].content
    assert f"<t:{int(final.timestamp())}:F>" in moved[0].content
    statuses = [row[0] for row in await delivery(club, "time_change")]
    assert statuses == ["superseded", "sent"]


# -- rows that can't be drawn ---------------------------------------------------------------------


async def test_a_post_that_cannot_be_drawn_is_failed_shown_and_blocks_nothing(club: Club) -> None:
    await set_channel(club)
    await club.organizer.slash(
        club.channel, "session create", title="Tempo", date="2026-01-20", time="18:30",
        location="Park", workout="6x800 @ I w/ 400 jog",
    )  # fmt: skip
    # As if stored by a version whose workout lines this one can't read.
    async with club.bot.db.transaction() as conn:
        await conn.execute("UPDATE sessions SET workout_display = NULL")

    start = datetime(2026, 1, 20, 23, 30, tzinfo=UTC)
    await club.env.advance_time((start - club.env.now()).total_seconds() - 3000)

    [(status, _, error)] = await delivery(club, "announcement")
    assert status == "failed"
    assert "can't be drawn" in error
    reminders = [row[0] for row in await delivery(club, "reminder")]
    assert reminders == ["sent", "sent"]
    listing = await club.organizer.slash(club.channel, "session list")
    assert "can't be drawn" in embed_text(listing.response.embeds[0])
