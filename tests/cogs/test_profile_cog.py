"""/profile: a runner's own saved race."""

from __future__ import annotations

from tests.conftest import Club, embed_text, only_user_errors


async def test_set_show_and_clear_a_profile(club: Club) -> None:
    saved = await club.alice.slash(club.channel, "profile set", race="half", time="1:35:20")
    assert saved.ephemeral
    assert "Saved" in saved.response.content
    assert "Half marathon in 1:35:20" in embed_text(saved.response.embeds[0])

    shown = await club.alice.slash(club.channel, "profile show")
    assert shown.ephemeral
    text = embed_text(shown.response.embeds[0])
    assert "Half marathon in 1:35:20" in text
    assert "VDOT **4" in text
    assert "Threshold" in text

    cleared = await club.alice.slash(club.channel, "profile clear")
    assert "Deleted" in cleared.response.content
    row = await club.bot.db.fetch_one("SELECT * FROM profiles WHERE user_id = ?", (club.alice.id,))
    assert row is None


async def test_profiles_are_private_to_each_runner(club: Club) -> None:
    await club.alice.slash(club.channel, "profile set", race="5K", time="22:30")

    result = await club.ben.slash(club.channel, "profile show")

    assert result.ephemeral
    assert "haven't saved a race" in result.response.content
    assert "/profile set" in result.response.content
    only_user_errors(club)


async def test_setting_again_replaces_the_race(club: Club) -> None:
    await club.alice.slash(club.channel, "profile set", race="5K", time="22:30")
    await club.alice.slash(club.channel, "profile set", race="10K", time="45:00")

    rows = await club.bot.db.fetch_all("SELECT race_name FROM profiles")
    assert [r[0] for r in rows] == ["10K"]


async def test_a_bad_time_stores_nothing(club: Club) -> None:
    result = await club.alice.slash(club.channel, "profile set", race="5K", time="22:75")

    assert result.ephemeral
    assert "'22:75' isn't a time" in result.response.content
    assert await club.bot.db.fetch_all("SELECT * FROM profiles") == []
    only_user_errors(club)


async def test_clearing_nothing_says_so(club: Club) -> None:
    result = await club.ben.slash(club.channel, "profile clear")
    assert "nothing to delete" in result.response.content


async def test_profile_survives_a_restart(club: Club, settings) -> None:  # type: ignore[no-untyped-def]
    from bot import create_bot

    await club.alice.slash(club.channel, "profile set", race="5K", time="22:30")
    await club.bot.close()
    await club.env.restart_bot(create_bot(settings))

    result = await club.alice.slash(club.channel, "profile show")
    assert "5K in 22:30" in embed_text(result.response.embeds[0])


async def test_show_lists_the_dm_reminder_and_public_pace_choices(club: Club) -> None:
    await club.alice.slash(club.channel, "profile set", race="5K", time="22:30")

    before = embed_text((await club.alice.slash(club.channel, "profile show")).response.embeds[0])
    await club.alice.slash(club.channel, "profile reminders", dm="on")
    await club.alice.slash(club.channel, "profile public-pace", public=True)
    after = embed_text((await club.alice.slash(club.channel, "profile show")).response.embeds[0])

    assert "Reminders by DM: **off**" in before
    assert "Pace in public groups: **hidden**" in before
    assert "Reminders by DM: **on**" in after
    assert "Pace in public groups: **shown**" in after
    # Ben's choices are his own.
    await club.ben.slash(club.channel, "profile set", race="5K", time="25:00")
    ben = embed_text((await club.ben.slash(club.channel, "profile show")).response.embeds[0])
    assert "Reminders by DM: **off**" in ben
    assert "Pace in public groups: **hidden**" in ben
