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


async def test_straight_leg_kicks_shows_the_frankenstein_walk(club: Club) -> None:
    result = await club.alice.slash(club.channel, "drill show", name="straight leg kicks")

    assert not result.ephemeral
    embed = result.response.embeds[0]
    assert embed.title == "Frankenstein walk"
    text = embed_text(embed)
    assert "Straight-leg bounds" not in text
    assert "mobility" in text


@pytest.mark.parametrize(
    ("typed", "suggested"),
    [
        ("straight leg run", ["Straight-leg bounds"]),
        ("b march", ["A march"]),
        ("hill strides", ["Hill sprints", "Strides"]),
        ("knee drives", ["High knees", "A march"]),
        ("tuck jumps", ["Pogo hops"]),
    ],
)
async def test_a_close_but_different_name_is_privately_offered_suggestions(
    club: Club, typed: str, suggested: list[str]
) -> None:
    result = await club.alice.slash(club.channel, "drill show", name=typed)

    assert result.ephemeral
    assert not result.response.embeds
    content = result.response.content
    assert f"name: I don't know a drill called '{typed}'. Try one of: " in content
    for name in suggested:
        assert name in content
    assert club.channel.last_message is None or not club.channel.last_message.embeds
    only_user_errors(club)


@pytest.mark.parametrize(
    ("typed", "title", "dose"),
    [
        ("A-march", "A march", "2 x 20 m"),
        ("pogo hops", "Pogo hops", "2 x 20 hops in place; later 2 x 15 m forward"),
        ("frankenstein", "Frankenstein walk", "2 x 15-20 m (about 10 kicks each leg)"),
        ("toy soldiers", "Frankenstein walk", "2 x 15-20 m (about 10 kicks each leg)"),
    ],
)
async def test_new_drills_have_full_cards(club: Club, typed: str, title: str, dose: str) -> None:
    result = await club.alice.slash(club.channel, "drill show", name=typed)

    embed = result.response.embeds[0]
    assert embed.title == title
    fields = {field.name: field.value for field in embed.fields}
    assert set(fields) == {"How", "Cues", "Common mistakes", "Dose", "Category"}
    assert fields["Dose"] == dose
    assert embed.description


@pytest.mark.parametrize(
    ("typed", "first", "absent"),
    [
        ("straight leg kicks", "Frankenstein walk", "Straight-leg bounds"),
        ("pogo", "Pogo hops", "Ankling"),
        ("a mar", "A march", "B skip"),
        ("franken", "Frankenstein walk", "Straight-leg bounds"),
        ("hill spr", "Hill sprints", "Glute bridge"),
    ],
)
async def test_autocomplete_puts_the_named_drill_first(
    club: Club, typed: str, first: str, absent: str
) -> None:
    choices = await club.alice.autocomplete(club.channel, "drill show", "name", typed)

    names = [choice["name"] for choice in choices]
    assert names[0] == first
    assert absent not in names
    assert all(choice["value"] == choice["name"] for choice in choices)


async def test_autocomplete_offers_both_straight_leg_drills_while_typing(club: Club) -> None:
    choices = await club.alice.autocomplete(club.channel, "drill show", "name", "straight leg")

    assert [c["name"] for c in choices][:2] == ["Frankenstein walk", "Straight-leg bounds"]


async def test_routine_includes_the_new_drills_and_one_meaning_of_strides(club: Club) -> None:
    result = await club.alice.slash(club.channel, "drill routine")

    fields = {field.name: field.value for field in result.response.embeds[0].fields}
    mobility = next(value for name, value in fields.items() if "Dynamic mobility" in name)
    form = next(value for name, value in fields.items() if "Form drills" in name)
    strides = next(value for name, value in fields.items() if "Strides" in name)
    assert "Frankenstein walk" in mobility
    assert form.index("A march") < form.index("Pogo hops") < form.index("A skip")
    assert "mile race effort" in strides
    assert "top speed" not in strides
