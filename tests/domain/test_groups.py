"""The pace-group rule on its edge cases: one runner, all equal, one far faster, none."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.domain.groups import Arrangement, Runner, arrange, by_count, by_spread
from bot.errors import InvalidInput


def ids(groups: list) -> list[list[int]]:  # type: ignore[type-arg]
    return [[r.user_id for r in g.runners] for g in groups]


def test_no_runners_no_groups() -> None:
    assert by_spread([], 15) == []
    assert by_count([], 3) == []


def test_one_runner_is_one_group() -> None:
    assert ids(by_spread([Runner(1, 50)], 15)) == [[1]]
    assert ids(by_count([Runner(1, 50)], 3)) == [[1]]


def test_all_equal_is_one_group_by_spread_and_even_groups_by_count() -> None:
    runners = [Runner(i, 45.0) for i in range(6)]
    assert ids(by_spread(runners, 15)) == [[0, 1, 2, 3, 4, 5]]
    assert [len(g.runners) for g in by_count(runners, 3)] == [2, 2, 2]


def test_a_runner_far_faster_than_everyone_runs_alone() -> None:
    runners = [Runner(9, 75.0)] + [Runner(i, 40 + i * 0.2) for i in range(5)]
    assert ids(by_count(runners, 2))[0] == [9]
    assert ids(by_spread(runners, 15))[0] == [9]


def test_fastest_first_and_split_at_the_widest_gaps() -> None:
    runners = [Runner(1, 60), Runner(2, 59), Runner(3, 50), Runner(4, 49), Runner(5, 40)]
    assert ids(by_count(runners, 3)) == [[1, 2], [3, 4], [5]]


def test_spread_is_measured_at_threshold_pace() -> None:
    # VDOT 50 runs T at about 4:15/km, VDOT 48 about 4:24: 9 s/km apart.
    a, b = Runner(1, 50), Runner(2, 48)
    gap = b.threshold_s_per_km - a.threshold_s_per_km
    assert 5 < gap < 12
    assert ids(by_spread([a, b], gap + 0.5)) == [[1, 2]]
    assert ids(by_spread([a, b], gap - 0.5)) == [[1], [2]]


@pytest.mark.parametrize("spread", [0, 121, float("nan")])
def test_bad_spread(spread: float) -> None:
    with pytest.raises(InvalidInput, match=r"^spread: .* like 15\."):
        by_spread([Runner(1, 50)], spread)


@pytest.mark.parametrize("count", [0, 11])
def test_bad_count(count: int) -> None:
    with pytest.raises(InvalidInput, match=r"^groups: "):
        by_count([Runner(1, 50)], count)


vdots = st.lists(st.floats(30, 85), min_size=1, max_size=25)


@given(vdots, st.floats(1, 120))
def test_spread_groups_keep_everyone_within_the_spread(values: list[float], spread: float) -> None:
    groups = by_spread([Runner(i, v) for i, v in enumerate(values)], spread)
    assert sorted(r.user_id for g in groups for r in g.runners) == list(range(len(values)))
    assert all(g.spread_s_per_km <= spread + 1e-6 for g in groups)
    # Fewest groups: each group's first runner is out of reach of the group before.
    for before, after in itertools.pairwise(groups):
        assert after.fastest_s_per_km - before.fastest_s_per_km > spread


@given(vdots, st.integers(1, 10))
def test_count_groups_are_exact_and_no_wider_than_any_greedy_split(
    values: list[float], count: int
) -> None:
    runners = [Runner(i, v) for i, v in enumerate(values)]
    groups = by_count(runners, count)
    assert len(groups) == min(count, len(values))
    assert sorted(r.user_id for g in groups for r in g.runners) == list(range(len(values)))
    widest = max(g.spread_s_per_km for g in groups)
    # The smallest spread whose greedy split needs no more groups can't beat the optimum.
    spreads = sorted(
        {round(a.threshold_s_per_km - b.threshold_s_per_km, 6) for a in runners for b in runners}
    )
    feasible = [s for s in spreads if 1 <= s <= 120 and len(by_spread(runners, s)) <= count]
    if feasible:
        assert widest <= feasible[0] + 1e-6


# -- published groups: answers change, organizers' moves and leaders stay ------------------------


def shown(arrangement: Arrangement) -> list[tuple[int, list[int], int | None]]:
    return [(g.number, list(g.members), g.leader) for g in arrangement.groups]


FAST, MID, SLOW = Runner(1, 60), Runner(2, 59), Runner(3, 45)


def test_arrange_keeps_placed_runners_whatever_the_rule_says_now() -> None:
    # An organizer put the fast runner with the slow one: the rule never moves them back.
    placed = {1: 2, 2: 1, 3: 2}
    result = arrange([FAST, MID, SLOW], [], placed, {}, count=None, spread_s_per_km=15)
    assert shown(result) == [(2, [1, 3], None), (1, [2], None)]


def test_a_newcomer_joins_the_nearest_group_that_still_fits() -> None:
    placed = {1: 1, 3: 2}
    newcomer = Runner(4, 58.5)
    result = arrange([FAST, SLOW, newcomer], [], placed, {}, count=None, spread_s_per_km=15)
    assert shown(result) == [(1, [1, 4], None), (2, [3], None)]


def test_a_newcomer_far_faster_than_everyone_opens_a_new_group_numbered_after_the_rest() -> None:
    placed = {2: 1, 3: 2}
    far = Runner(9, 80)
    result = arrange([far, MID, SLOW], [], placed, {}, count=None, spread_s_per_km=15)
    assert shown(result) == [(3, [9], None), (1, [2], None), (2, [3], None)]
    # With a group count the newcomer always joins the nearest group: the count stays.
    counted = arrange([far, MID, SLOW], [], placed, {}, count=2, spread_s_per_km=None)
    assert shown(counted) == [(1, [9, 2], None), (2, [3], None)]


def test_newcomers_do_not_move_each_other() -> None:
    placed = {1: 1}
    a, b = Runner(5, 59.5), Runner(6, 59.0)
    alone = arrange([FAST, a], [], placed, {}, count=None, spread_s_per_km=15)
    both = arrange([FAST, a, b], [], placed, {}, count=None, spread_s_per_km=15)
    assert alone.group_of(5) is not None
    assert both.group_of(5) is not None
    assert alone.group_of(5).number == both.group_of(5).number == 1  # type: ignore[union-attr]


def test_members_no_longer_going_are_not_shown_and_empty_groups_disappear() -> None:
    placed = {1: 1, 2: 1, 3: 2}
    result = arrange([FAST], [], placed, {2: 3}, count=None, spread_s_per_km=15)
    assert shown(result) == [(1, [1], None)]


def test_no_profiles_are_listed_apart_unless_an_organizer_placed_them() -> None:
    result = arrange([], [7, 8], {8: 1}, {1: 8}, count=None, spread_s_per_km=15)
    assert shown(result) == [(1, [8], 8)]
    assert result.no_profile == (7,)
    nobody = arrange([], [7], {}, {}, count=3, spread_s_per_km=None)
    assert nobody.groups == ()
    assert nobody.no_profile == (7,)


def test_one_runner_and_all_equal_runners_published_then_joined() -> None:
    one = arrange([FAST], [], {}, {}, count=None, spread_s_per_km=15)
    assert shown(one) == [(1, [1], None)]
    equal = [Runner(i, 45.0) for i in range(1, 5)]
    placed = {1: 1, 2: 1}
    result = arrange(equal, [], placed, {}, count=None, spread_s_per_km=15)
    assert shown(result) == [(1, [1, 2, 3, 4], None)]


def test_a_leader_shows_only_while_in_their_group() -> None:
    placed = {1: 1, 2: 1, 3: 2}
    led = arrange([FAST, MID, SLOW], [], placed, {1: 2, 2: 1}, count=None, spread_s_per_km=15)
    # Runner 1 leads group 2 but runs in group 1: not shown as its leader.
    assert shown(led) == [(1, [1, 2], 2), (2, [3], None)]


@given(vdots, st.floats(1, 120), st.data())
def test_arrange_shows_every_runner_going_exactly_once(
    values: list[float], spread: float, data: st.DataObject
) -> None:
    runners = [Runner(i, v) for i, v in enumerate(values)]
    placed = data.draw(
        st.dictionaries(st.sampled_from(range(len(values))), st.integers(1, 5), max_size=5)
    )
    result = arrange(runners, [], placed, {}, count=None, spread_s_per_km=spread)
    members = [u for g in result.groups for u in g.members]
    assert sorted(members) == list(range(len(values)))
    for user_id, number in placed.items():
        assert result.group_of(user_id).number == number  # type: ignore[union-attr]
