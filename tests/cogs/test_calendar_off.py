"""Without HTTP_PORT there is no feed: /calendar says so privately and changes nothing."""

from __future__ import annotations

from tests.conftest import Club, only_user_errors


async def test_calendar_without_a_feed_server_says_how_to_enable_it(club: Club) -> None:
    result = await club.alice.slash(club.channel, "calendar")
    assert result.ephemeral
    assert "HTTP_PORT" in result.response.content
    only_user_errors(club)
    assert club.bot.feed_server is None
