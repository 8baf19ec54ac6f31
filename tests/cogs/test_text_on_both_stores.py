"""Text a member can type that one store holds and the other can't (issue 15): a NUL character
(PostgreSQL's text refuses it; SQLite keeps it) in a session's title is kept readable on both
stores instead of failing as a storage error on PostgreSQL only."""

from __future__ import annotations

from tests.conftest import Club, set_channel


async def test_a_title_with_a_nul_character_is_saved_on_either_store(club: Club) -> None:
    await set_channel(club)
    result = await club.organizer.slash(
        club.channel,
        "session create",
        title="Hills\x00 repeats",
        date="2026-01-08",
        time="18:30",
        location="Hill",
    )
    assert not club.env.errors, club.env.errors
    assert "Hills" in result.response.content or result.response.embeds
    [(title,)] = await club.bot.db.fetch_all("SELECT title FROM sessions")
    assert title in ("Hills\x00 repeats", "Hills\ufffd repeats")  # SQLite, PostgreSQL
    listing = await club.alice.slash(club.channel, "session list")
    assert "repeats" in str([e.to_dict() for e in listing.response.embeds]) + str(
        listing.response.content
    )
