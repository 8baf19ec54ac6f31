"""/pace as a member meets it: real bot, simulated Discord."""

from __future__ import annotations

import pytest

from tests.conftest import Club, embed_text, only_user_errors


async def test_zones_for_a_5k_shows_vdot_and_every_zone(club: Club) -> None:
    result = await club.alice.slash(club.channel, "pace zones", race="5K", time="19:57")

    assert not result.ephemeral
    text = embed_text(result.response.embeds[0])
    assert "VDOT **50.0**" in text
    for zone in ("Easy", "Marathon", "Threshold", "Interval", "Repetition"):
        assert zone in text
    assert "4:15/km" in text  # threshold at VDOT 50
    assert "400 m in 1:34" in text  # interval per 400
    assert "400 m in 1:27" in text  # repetition per 400
    assert "/mi" in text


async def test_zones_flags_a_vdot_outside_the_tables(club: Club) -> None:
    result = await club.alice.slash(club.channel, "pace zones", race="5K", time="40:00")
    assert "outside Daniels' published tables" in embed_text(result.response.embeds[0])


@pytest.mark.parametrize(
    ("race", "time", "expected"),
    [
        ("5K", "25:61", "'25:61' isn't a time"),
        ("5K", "0:00", "more than 0:00"),
        ("5K", "0:05", "faster than any human"),
        ("5 parsecs", "22:30", "isn't a race I know"),
        ("-5k", "22:30", "isn't a race I know"),
        ("5K", "   ", "can't be empty"),
    ],
)
async def test_zones_bad_input_gets_a_private_specific_error(
    club: Club, race: str, time: str, expected: str
) -> None:
    result = await club.alice.slash(club.channel, "pace zones", race=race, time=time)

    assert result.ephemeral
    assert expected in result.response.content
    assert "like" in result.response.content  # a valid example
    only_user_errors(club)


async def test_race_autocomplete_offers_distances(club: Club) -> None:
    choices = await club.alice.autocomplete(club.channel, "pace zones", "race", "ha")
    assert choices[0]["value"] == "Half marathon"
    everything = await club.alice.autocomplete(club.channel, "pace zones", "race", "")
    assert [c["name"] for c in everything][:2] == ["1500m", "Mile"]
    custom = await club.alice.autocomplete(club.channel, "pace zones", "race", "12 km")
    assert custom[0]["value"] == "12 km"


async def test_predict_lists_every_standard_distance(club: Club) -> None:
    result = await club.alice.slash(club.channel, "pace predict", race="10K", time="41:21")

    text = embed_text(result.response.embeds[0])
    for name in ("1500m", "Mile", "3K", "2 mile", "5K", "10K", "15K", "Half marathon", "Marathon"):
        assert f"**{name}**" in text
    assert "**Marathon**: 3:10:4" in text  # Daniels' VDOT 50 row: 3:10:49
    assert "← your race" in text
    assert "Riegel" in text


async def test_convert_shows_every_unit(club: Club) -> None:
    result = await club.alice.slash(club.channel, "pace convert", pace="4:30/km")

    text = embed_text(result.response.embeds[0])
    assert "4:30/km" in text
    assert "7:15/mi" in text
    assert "13.3" in text  # km/h
    assert "8.3" in text  # mph
    assert "1:48.0" in text  # 400 m lap


async def test_convert_from_mph(club: Club) -> None:
    result = await club.alice.slash(club.channel, "pace convert", pace="8 mph")
    assert "7:30/mi" in embed_text(result.response.embeds[0])


async def test_convert_refuses_nonsense(club: Club) -> None:
    result = await club.alice.slash(club.channel, "pace convert", pace="fast")
    assert result.ephemeral
    assert "isn't a pace" in result.response.content
    assert "4:30/km" in result.response.content
    only_user_errors(club)


async def test_splits_default_to_400m_laps(club: Club) -> None:
    result = await club.alice.slash(club.channel, "pace splits", race="5K", time="20:00")

    text = embed_text(result.response.embeds[0])
    assert "Every 400 m lap in **1:36.0**" in text
    assert "4:00/km" in text
    assert "Per mile" in text


async def test_splits_with_a_custom_lap(club: Club) -> None:
    result = await club.alice.slash(club.channel, "pace splits", race="mile", time="6:00", lap=200)
    assert "Every 200 m lap in **0:44.7**" in embed_text(result.response.embeds[0])


async def test_splits_refuse_a_lap_longer_than_the_race(club: Club) -> None:
    result = await club.alice.slash(
        club.channel, "pace splits", race="1500m", time="6:00", lap=5000
    )
    assert result.ephemeral
    assert "longer than the 1500m" in result.response.content
    only_user_errors(club)


async def test_workout_with_race_and_time_gives_each_rep_a_target(club: Club) -> None:
    result = await club.alice.slash(
        club.channel, "pace workout", workout="6x800 @ I w/ 400 jog", race="5K", time="19:57"
    )

    assert result.ephemeral
    text = embed_text(result.response.embeds[0])
    assert "**3:08** each" in text
    assert "from your 5K in 19:57" in text
    assert "6.8 km" in text


async def test_workout_uses_the_saved_profile(club: Club) -> None:
    await club.alice.slash(club.channel, "profile set", race="10K", time="41:21")

    result = await club.alice.slash(club.channel, "pace workout", workout="10 x 200m @ R")

    text = embed_text(result.response.embeds[0])
    assert "your saved 10K in 41:21" in text
    assert "**0:43** each" in text or "**0:44** each" in text


async def test_workout_without_profile_says_how_to_save_one(club: Club) -> None:
    result = await club.ben.slash(club.channel, "pace workout", workout="20 min @ M")

    assert result.ephemeral
    assert "/profile set" in result.response.content
    only_user_errors(club)


async def test_workout_names_the_part_it_could_not_read(club: Club) -> None:
    result = await club.alice.slash(
        club.channel, "pace workout", workout="6x800 @ fastish", race="5K", time="20:00"
    )

    assert result.ephemeral
    assert "'fastish'" in result.response.content
    assert "6x800 @ I w/ 400 jog" in result.response.content
    only_user_errors(club)


async def test_workout_needs_both_race_and_time(club: Club) -> None:
    result = await club.alice.slash(club.channel, "pace workout", workout="ladder", race="5K")
    assert "give both race and time" in result.response.content
    only_user_errors(club)


async def test_named_classic_goal_pace_set(club: Club) -> None:
    result = await club.alice.slash(
        club.channel, "pace workout", workout="goal pace", race="5K", time="20:00"
    )
    text = embed_text(result.response.embeds[0])
    assert "Goal pace" in text
    assert "**4:00** each" in text  # 1000 m at 5K goal pace 4:00/km


async def test_workout_autocomplete_offers_classics(club: Club) -> None:
    choices = await club.alice.autocomplete(club.channel, "pace workout", "workout", "lad")
    assert any("Ladder" in c["name"] for c in choices)
