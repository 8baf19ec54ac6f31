"""/session groups as organizers use it: the members going split by their saved fitness, with
each group's targets, and members without a profile listed apart."""

from __future__ import annotations

from tests.conftest import Club, embed_text, only_user_errors, set_channel


async def going_with_profiles(club: Club, workout: str | None = "6x800 @ I w/ 400 jog") -> list:
    await set_channel(club)
    extra = {"workout": workout} if workout else {}
    await club.organizer.slash(
        club.channel,
        "session create",
        title="Speed session",
        date="2026-01-06",
        time="18:30",
        location="Cherokee HS track",
        **extra,
    )
    carol = club.guild.add_member(club.env.create_user("carol"))
    dave = club.guild.add_member(club.env.create_user("dave"))
    for member, time in ((club.alice, "18:00"), (club.ben, "18:20"), (carol, "25:00")):
        await member.slash(club.channel, "profile set", race="5K", time=time)
    for member in (club.alice, club.ben, carol, dave):
        await member.slash(club.channel, "rsvp", session="1", status="going")
    return [carol, dave]


def fields(result: object) -> dict[str, str]:
    embed = result.response.embeds[0]  # type: ignore[attr-defined]
    return {f.name: f.value for f in embed.fields}


async def test_groups_split_by_fitness_with_targets_and_no_profile_apart(club: Club) -> None:
    carol, dave = await going_with_profiles(club)
    result = await club.organizer.slash(club.channel, "session groups", session="1")
    assert result.ephemeral
    text = embed_text(result.response.embeds[0])
    assert "at most 15 s/km apart at threshold pace" in text
    names = list(fields(result))
    assert names[0].startswith("Group 1 · T ")
    assert names[0].endswith("· 2 runners")
    assert names[1].startswith("Group 2 · T ")
    assert names[1].endswith("· 1 runner")
    first, second = fields(result)[names[0]], fields(result)[names[1]]
    assert f"<@{club.alice.id}> <@{club.ben.id}>" in first
    assert f"<@{carol.id}>" in second
    assert "800 m" in first
    assert "800 m" in second
    # The faster group's targets are faster: the first target time differs.
    assert first.split("\n")[1] != second.split("\n")[1]
    assert names[2] == "No profile (1)"
    assert f"<@{dave.id}>" in fields(result)[names[2]]
    assert "/profile set" in fields(result)[names[2]]
    # Individual VDOTs are never shown.
    assert "VDOT" not in text


async def test_a_group_count_puts_everyone_in_that_many_groups(club: Club) -> None:
    await going_with_profiles(club)
    one = await club.organizer.slash(club.channel, "session groups", session="1", groups=1)
    assert next(iter(fields(one))).endswith("· 3 runners")
    three = await club.organizer.slash(club.channel, "session groups", session="1", groups=3)
    assert [n.split(" · ")[0] for n in fields(three)][:3] == ["Group 1", "Group 2", "Group 3"]
    narrow = await club.organizer.slash(club.channel, "session groups", session="1", spread=1)
    assert sum(n.startswith("Group") for n in fields(narrow)) == 3


async def test_groups_are_for_organizers_and_need_a_workout_and_one_rule(club: Club) -> None:
    await going_with_profiles(club, workout=None)
    member = await club.alice.slash(club.channel, "session groups", session="1")
    assert "Only organizers" in member.response.content
    none = await club.organizer.slash(club.channel, "session groups", session="1")
    assert none.ephemeral
    assert "has no workout" in none.response.content
    both = await club.organizer.slash(
        club.channel, "session groups", session="1", groups=2, spread=15
    )
    assert "give one of them, not both" in both.response.content
    only_user_errors(club, 3)
