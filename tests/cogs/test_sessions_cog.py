"""Sessions as organizers and runners meet them: create, announce, remind, edit, cancel."""

from __future__ import annotations

from datetime import UTC, datetime

from tests.conftest import Club, bot_posts, embed_text, only_user_errors, set_channel


async def test_a_session_is_announced_and_reminded_at_the_right_instants(club: Club) -> None:
    await set_channel(club)
    # Virtual clock starts 2026-01-01 00:00 UTC; New York is UTC-5 in January.
    result = await club.organizer.slash(
        club.channel,
        "session create",
        title="Speed session",
        date="2026-01-20",
        time="18:30",
        location="Cherokee HS track",
        workout="6x800 @ I w/ 400 jog",
    )
    assert result.ephemeral
    assert "Scheduled: Speed session" in embed_text(result.response.embeds[0])
    assert bot_posts(club) == []  # announced 6 days ahead, not now

    starts = datetime(2026, 1, 20, 23, 30, tzinfo=UTC)
    await club.env.advance_time((starts - club.env.now()).total_seconds() - 6 * 86400 - 1)
    assert bot_posts(club) == []
    await club.env.advance_time(1)
    [announcement] = bot_posts(club)
    text = embed_text(announcement.embeds[0])
    assert "Speed session" in text
    assert f"<t:{int(starts.timestamp())}:F>" in text
    assert "Cherokee HS track" in text
    assert "6 x 800 m @ I w/ 400 m jog" in text

    await club.env.advance_time(5 * 86400 - 1)  # one second before the 24 h reminder
    assert len(bot_posts(club)) == 1
    await club.env.advance_time(1)
    messages = bot_posts(club)
    assert len(messages) == 2
    assert "Reminder (24h to go)" in messages[-1].content
    assert str(announcement.id) in messages[-1].content

    await club.env.advance_time(23 * 3600)
    messages = bot_posts(club)
    assert len(messages) == 3
    assert "Reminder (1h to go)" in messages[-1].content
    await club.env.advance_time(7 * 86400)
    assert len(bot_posts(club)) == 3


async def test_a_member_cannot_create_sessions(club: Club) -> None:
    await set_channel(club)
    result = await club.alice.slash(
        club.channel,
        "session create",
        title="Rogue run",
        date="2026-01-20",
        time="18:30",
        location="Anywhere",
    )
    assert result.ephemeral
    assert "Only organizers" in result.response.content
    only_user_errors(club)
    assert await club.bot.db.fetch_all("SELECT * FROM sessions") == []
