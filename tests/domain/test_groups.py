"""The pace-group rule on its edge cases: one runner, all equal, one far faster, none."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.domain.groups import Runner, by_count, by_spread
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
