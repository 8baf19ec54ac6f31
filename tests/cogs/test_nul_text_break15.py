"""Text with a NUL character (U+0000): SQLite stores it, PostgreSQL's text refuses it, so on
PostgreSQL a title with one failed as if the storage were down ("try again later", which never
helped). It shows as nothing, so it is dropped on both stores."""

from __future__ import annotations

from tests.conftest import Club, only_user_errors, set_channel


async def test_a_nul_character_in_a_session_text_is_dropped_and_the_session_saved(
    club: Club,
) -> None:
    await set_channel(club)
    result = await club.organizer.slash(
        club.channel,
        "session create",
        title="Track\x00night",
        date="2026-01-06",
        time="06:00",
        location="Track\x00",
        details="bring\x00 spikes",
    )

    assert "storage" not in (result.response.content or ""), result.response.content
    assert not club.env.errors
    rows = await club.bot.db.fetch_all("SELECT title, location, details FROM sessions")
    assert [tuple(row) for row in rows] == [("Tracknight", "Track", "bring spikes")]


async def test_a_title_of_only_a_nul_character_is_refused_as_empty(club: Club) -> None:
    await set_channel(club)
    result = await club.organizer.slash(
        club.channel,
        "session create",
        title="\x00",
        date="2026-01-06",
        time="06:00",
        location="Track",
    )

    assert result.ephemeral
    assert "title: this can't be empty" in result.response.content
    only_user_errors(club)
    assert await club.bot.db.fetch_all("SELECT id FROM sessions") == []
