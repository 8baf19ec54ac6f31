"""Editing and cancelling sessions, the announcement's buttons, and Discord faults."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import discord
from icalendar import Calendar

from bot.settings import Settings
from tests.conftest import (
    Club,
    bot_posts,
    embed_text,
    make_admin,
    only_user_errors,
    restart,
    set_channel,
)

# 2026-01-13 and 2026-01-20, 18:30 in New York (UTC-5 in January)
FIRST = datetime(2026, 1, 13, 23, 30, tzinfo=UTC)
SECOND = FIRST + timedelta(days=7)


async def create(club: Club, weeks: int = 2, **extra: object) -> None:
    await set_channel(club)
    await club.organizer.slash(
        club.channel,
        "session create",
        title="Speed session",
        date="2026-01-13",
        time="18:30",
        location="Cherokee HS track",
        weeks=weeks,
        **extra,
    )


async def advance_to(club: Club, instant: datetime) -> None:
    seconds = (instant - club.env.now()).total_seconds()
    if seconds > 0:
        await club.env.advance_time(seconds)


def announcement(club: Club, session_id: int) -> discord.Message:
    for message in bot_posts(club):
        if message.embeds and (message.embeds[0].footer.text or "").startswith(
            f"Session #{session_id}"
        ):
            return message
    raise AssertionError(f"no announcement for session {session_id}")


async def test_moving_a_session_replans_reminders_and_tells_everyone(club: Club) -> None:
    await create(club, weeks=1)
    await advance_to(club, FIRST - timedelta(days=3))
    assert len(bot_posts(club)) == 1  # the announcement

    result = await club.organizer.slash(club.channel, "session edit", session="1", time="19:15")

    assert "Updated 1 session" in embed_text(result.response.embeds[0])
    moved = FIRST + timedelta(minutes=45)
    posts = bot_posts(club)
    assert "has moved" in posts[-1].content
    assert f"<t:{int(FIRST.timestamp())}:F>" in posts[-1].content
    assert f"<t:{int(moved.timestamp())}:F>" in posts[-1].content
    assert f"<t:{int(moved.timestamp())}:F>" in embed_text(announcement(club, 1).embeds[0])

    await advance_to(club, moved)
    reminders = [m.content for m in bot_posts(club) if "Reminder" in m.content]
    assert len(reminders) == 2  # the old 24 h and 1 h reminders were never sent
    rows = await club.bot.db.fetch_all(
        "SELECT due_at, status FROM deliveries WHERE kind = 'reminder' ORDER BY id"
    )
    assert [r[1] for r in rows] == ["superseded", "superseded", "sent", "sent"]
    assert rows[3][0] == (moved - timedelta(hours=1)).isoformat()


async def test_moving_before_the_announcement_just_replans_it(club: Club) -> None:
    await create(club, weeks=1)
    await club.organizer.slash(club.channel, "session edit", session="1", date="2026-01-15")

    assert bot_posts(club) == []  # nobody saw the old time: no notice
    new_start = FIRST + timedelta(days=2)
    await advance_to(club, new_start - timedelta(days=6))
    [posted] = bot_posts(club)
    assert f"<t:{int(new_start.timestamp())}:F>" in embed_text(posted.embeds[0])


async def test_editing_one_occurrence_leaves_the_rest_of_the_series(club: Club) -> None:
    await create(club)
    await club.organizer.slash(
        club.channel, "session edit", session="1", location="Cherry Hill East HS"
    )
    rows = await club.bot.db.fetch_all("SELECT id, location FROM sessions ORDER BY id")
    assert [tuple(r) for r in rows] == [(1, "Cherry Hill East HS"), (2, "Cherokee HS track")]


async def test_editing_the_series_changes_this_and_later_occurrences(club: Club) -> None:
    await create(club, weeks=3)
    await club.organizer.slash(
        club.channel, "session edit", session="2", scope="series", time="7pm", title="Hills"
    )
    rows = await club.bot.db.fetch_all("SELECT id, title, starts_at FROM sessions ORDER BY id")
    assert [r[1] for r in rows] == ["Speed session", "Hills", "Hills"]
    assert rows[0][2] == FIRST.isoformat()
    assert rows[1][2] == (SECOND + timedelta(minutes=30)).isoformat()
    assert rows[2][2] == (SECOND + timedelta(days=7, minutes=30)).isoformat()


async def test_cancelling_one_occurrence_marks_it_and_drops_its_posts(club: Club) -> None:
    await create(club)
    await advance_to(club, FIRST - timedelta(days=2))

    result = await club.organizer.slash(
        club.channel, "session cancel", session="1", reason="Track closed for a meet"
    )

    assert "Cancelled 1 session" in embed_text(result.response.embeds[0])
    text = embed_text(announcement(club, 1).embeds[0])
    assert "CANCELLED" in text
    assert "Track closed for a meet" in text
    assert not announcement(club, 1).components  # no buttons on a cancelled session
    notice = bot_posts(club)[-1].content
    assert "is cancelled" in notice
    assert "Track closed for a meet" in notice
    # Nothing of the cancelled session is left to go out: not even the check-in window's edges.
    pending = await club.bot.db.fetch_all(
        "SELECT kind FROM deliveries WHERE session_id = 1 AND status IN ('pending', 'retrying')"
        " AND kind <> 'discord_event'"
    )
    assert [row[0] for row in pending] == []
    await advance_to(club, SECOND)
    contents = [m.content for m in bot_posts(club)]
    assert sum("Reminder" in c for c in contents) == 2  # only the second session's


async def test_cancelling_the_series(club: Club) -> None:
    await create(club, weeks=3)
    await club.organizer.slash(club.channel, "session cancel", session="2", scope="series")

    rows = await club.bot.db.fetch_all("SELECT id, status FROM sessions ORDER BY id")
    assert [tuple(r) for r in rows] == [(1, "scheduled"), (2, "cancelled"), (3, "cancelled")]
    await advance_to(club, SECOND + timedelta(days=8))
    announced = [m for m in bot_posts(club) if m.embeds]
    assert len(announced) == 1  # week 1 only; weeks 2 and 3 were cancelled before announcing
    assert not any("is cancelled" in m.content for m in bot_posts(club))


async def test_session_list_shows_upcoming_sessions(club: Club) -> None:
    await create(club)
    result = await club.alice.slash(club.channel, "session list")
    text = embed_text(result.response.embeds[0])
    assert result.ephemeral
    assert "`#1` **Speed session**" in text
    assert "week 2 of 2" in text


async def test_my_paces_gives_each_runner_their_own_targets(club: Club, settings: Settings) -> None:
    await create(club, weeks=1, workout="6x800 @ I w/ 400 jog")
    await advance_to(club, FIRST - timedelta(days=6))
    await club.alice.slash(club.channel, "profile set", race="5K", time="19:57")

    mine = await club.alice.click(announcement(club, 1), label="My paces")
    assert mine.ephemeral
    assert "**3:08** each" in embed_text(mine.response.embeds[0])

    theirs = await club.ben.click(announcement(club, 1), label="My paces")
    assert theirs.ephemeral
    assert "/profile set" in theirs.response.content
    only_user_errors(club)

    await restart(club, settings)  # buttons on old messages keep working
    again = await club.alice.click(announcement(club, 1), label="My paces")
    assert "**3:08** each" in embed_text(again.response.embeds[0])


async def test_add_to_calendar_sends_an_ics_file(club: Club) -> None:
    await create(club, weeks=1)
    await advance_to(club, FIRST - timedelta(days=6))

    result = await club.alice.click(announcement(club, 1), label="Add to calendar")

    assert result.ephemeral
    [attachment] = result.response.attachments
    assert attachment.filename == "pacer-speed-session-2026-01-13.ics"
    calendar = Calendar.from_ical(await attachment.read())
    [event] = calendar.walk("VEVENT")
    assert event.decoded("DTSTART").hour == 18
    assert str(event["LOCATION"]) == "Cherokee HS track"


async def test_missing_permission_is_recorded_shown_and_retried(club: Club) -> None:
    locked = club.guild.create_text_channel(
        "locked",
        overwrites={club.guild.me: discord.PermissionOverwrite(send_messages=False)},
    )
    admin = await make_admin(club)
    warned = await admin.slash(club.channel, "setup channel", channel=locked)
    assert "I can't post properly" in warned.response.content

    await club.organizer.slash(
        club.channel,
        "session create",
        title="Tempo",
        date="2026-01-05",
        time="18:30",
        location="Park",
    )

    rows = await club.bot.db.fetch_all(
        "SELECT status, last_error FROM deliveries WHERE kind = 'announcement'"
    )
    assert rows[0][0] == "retrying"  # until the session starts, or at once on a setup change
    assert "missing permission" in rows[0][1]
    listing = await club.organizer.slash(club.channel, "session list")
    assert "Posts that failed" in embed_text(listing.response.embeds[0])
    member_view = await club.alice.slash(club.channel, "session list")
    assert "Posts that failed" not in embed_text(member_view.response.embeds[0])


async def test_server_errors_are_retried_and_posted_once(club: Club) -> None:
    await create(club, weeks=1)
    club.env.inject_error("POST", "/channels/*/messages", status=500, times=2)

    await advance_to(club, FIRST - timedelta(days=6) + timedelta(minutes=5))
    assert bot_posts(club) == []  # failed now and after 1 minute; next try at +6 minutes
    await advance_to(club, FIRST - timedelta(days=6) + timedelta(minutes=6))

    announced = [m for m in bot_posts(club) if m.embeds]
    assert len(announced) == 1
    [row] = await club.bot.db.fetch_all(
        "SELECT status, attempts FROM deliveries WHERE kind = 'announcement'"
    )
    assert row[0] == "sent"
    assert row[1] == 3  # two failures, then sent with the same nonce


async def test_a_deleted_announcement_is_not_edited_again(club: Club) -> None:
    await create(club, weeks=1)
    await advance_to(club, FIRST - timedelta(days=6))
    club.env.inject_error("PATCH", "/channels/*/messages/*", status=404, code=10008, times=None)

    await club.organizer.slash(club.channel, "session edit", session="1", location="Gym")

    [row] = await club.bot.db.fetch_all("SELECT announcement_message_id FROM sessions")
    assert row[0] is None
