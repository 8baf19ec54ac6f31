"""/drill: show, list and the warm-up routine."""

from __future__ import annotations

import pytest

from tests.conftest import Club, embed_text, only_user_errors


@pytest.mark.parametrize("typed", ["A skip", "a-skip", "askip", "A skp", "a skips"])
async def test_show_is_forgiving_of_spelling(club: Club, typed: str) -> None:
    result = await club.alice.slash(club.channel, "drill show", name=typed)

    embed = result.response.embeds[0]
    assert embed.title == "A skip"
    text = embed_text(embed)
    for section in ("How", "Cues", "Common mistakes", "Dose"):
        assert section in text


async def test_unknown_drill_suggests_real_ones(club: Club) -> None:
    result = await club.alice.slash(club.channel, "drill show", name="moonwalk")

    assert result.ephemeral
    assert "I don't know a drill called 'moonwalk'" in result.response.content
    assert "/drill list" in result.response.content
    only_user_errors(club)


async def test_drill_autocomplete(club: Club) -> None:
    choices = await club.alice.autocomplete(club.channel, "drill show", "name", "ski")
    names = [c["name"] for c in choices]
    assert "A skip" in names
    assert "B skip" in names
    assert len(await club.alice.autocomplete(club.channel, "drill show", "name", "")) >= 16


async def test_list_everything_by_category(club: Club) -> None:
    result = await club.alice.slash(club.channel, "drill list")

    text = embed_text(result.response.embeds[0])
    for category in ("form", "warm-up", "strength/core", "strides", "mobility"):
        assert category in text
    assert "Butt kicks" in text
    assert "Fast feet" in text


async def test_list_one_category(club: Club) -> None:
    result = await club.alice.slash(club.channel, "drill list", category="strides")

    embed = result.response.embeds[0]
    assert embed.title == "Drills: strides"
    assert [f.name for f in embed.fields] == ["strides"]


async def test_routine_runs_from_jog_to_strides(club: Club) -> None:
    result = await club.alice.slash(club.channel, "drill routine")

    names = [f.name for f in result.response.embeds[0].fields]
    assert "jog" in names[0].lower()
    assert "strides" in names[-2].lower() or "strides" in names[-1].lower()
    assert all("(" in name for name in names)  # every step has its duration or dose
