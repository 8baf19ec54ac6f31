"""A role a session depends on is deleted from the server (issue 12): the answer role can be
given to nobody any more, so the session opens to everyone instead of shutting every member out;
a deleted attendee role is dropped. Both show on the redrawn announcement."""

from __future__ import annotations

from tests.cogs.test_session_roles import announcement, answers, create
from tests.conftest import Club, embed_text, set_channel


async def test_a_deleted_answer_role_opens_the_session_to_everyone(club: Club) -> None:
    await set_channel(club)
    elite = club.guild.create_role("Elite")
    await create(club, role=elite)
    await club.env.advance_time(5)
    assert f"<@&{elite.id}>" in embed_text(announcement(club).embeds[0])

    club.env.backend.delete_role(club.guild.id, elite.id)
    await club.env.advance_time(6)

    text = embed_text(announcement(club).embeds[0])
    assert f"<@&{elite.id}>" not in text
    assert "Only members with" not in text
    clicked = await club.alice.click(announcement(club), label="Going")
    assert "going" in (clicked.response.content or "").lower()
    assert await answers(club) == {club.alice.id: "going"}
    row = await club.bot.db.fetch_one("SELECT answer_role_id FROM sessions WHERE id = 1")
    assert row is not None
    assert row[0] is None
    assert club.env.errors == []


async def test_a_deleted_attendee_role_is_dropped_and_other_sessions_keep_theirs(
    club: Club,
) -> None:
    await set_channel(club)
    runners = club.guild.create_role("Runners")
    elite = club.guild.create_role("Elite")
    await create(club, **{"attendee-role": runners})
    await create(club, title="Hill repeats", **{"attendee-role": elite})
    await club.env.advance_time(5)

    club.env.backend.delete_role(club.guild.id, runners.id)
    await club.env.advance_time(6)

    rows = await club.bot.db.fetch_all("SELECT id, attendee_role_id FROM sessions ORDER BY id")
    assert [(int(r[0]), r[1]) for r in rows] == [(1, None), (2, elite.id)]
    texts = [embed_text(m.embeds[0]) for m in club.channel.history(viewer=club.alice) if m.embeds]
    assert not any(f"<@&{runners.id}>" in text for text in texts)
    assert any(f"<@&{elite.id}>" in text for text in texts)
    assert club.env.errors == []
