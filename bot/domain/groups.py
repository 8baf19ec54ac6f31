"""Pace groups: split runners into groups of similar fitness, by threshold pace.

Runners are compared at threshold (T) pace from their VDOT (Daniels' Running Formula, T pace
from :func:`bot.domain.pace.training_paces`), the pace club coaches use to build groups because
it sits between easy and interval running and is what "15 s/km apart" usually refers to.

Two rules, both on runners sorted fastest first (a group is always a run of neighbours in that
order: splitting anywhere else only widens a group):

- **Maximum spread**: the fewest groups in which no two runners' T paces differ by more than the
  spread. Greedy: open a group at the fastest runner left and add runners while they are within
  the spread of it. Opening each group as late as possible is optimal for covering points on a
  line with intervals of fixed width (the classic greedy interval-cover argument, e.g. Kleinberg &
  Tardos, *Algorithm Design*, 4.1).
- **Group count**: exactly ``min(count, runners)`` groups with the widest group as narrow as
  possible (the linear partition problem, solved by dynamic programming over split points,
  Skiena, *The Algorithm Design Manual*, 8.5), ties going to the more even sizes.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache

from bot.domain.pace import training_paces
from bot.errors import InvalidInput

#: Bounds for the options, so a typo can't ask for nonsense.
MAX_GROUPS = 10
MIN_SPREAD_S_PER_KM = 1
MAX_SPREAD_S_PER_KM = 120


@dataclass(frozen=True, slots=True)
class Runner:
    """A runner to place: their id and VDOT."""

    user_id: int
    vdot: float

    @property
    def threshold_s_per_km(self) -> float:
        return _threshold_s_per_km(self.vdot)


@lru_cache(maxsize=4096)
def _threshold_s_per_km(vdot: float) -> float:
    # Solved by bisection in pace.py: sorting and the DP read it many times per runner.
    return training_paces(vdot).threshold_s_per_km


@dataclass(frozen=True, slots=True)
class PaceGroup:
    """Runners fastest first, and the spread of their T paces in s/km."""

    runners: tuple[Runner, ...]

    @property
    def fastest_s_per_km(self) -> float:
        return self.runners[0].threshold_s_per_km

    @property
    def slowest_s_per_km(self) -> float:
        return self.runners[-1].threshold_s_per_km

    @property
    def spread_s_per_km(self) -> float:
        return self.slowest_s_per_km - self.fastest_s_per_km

    @property
    def middle(self) -> Runner:
        """The median runner (the slower of the two middle ones): the group's pace-setter."""
        return self.runners[len(self.runners) // 2]


def _sorted(runners: Sequence[Runner]) -> list[Runner]:
    # Fastest first; the id settles ties so the same answers give the same groups.
    return sorted(runners, key=lambda r: (r.threshold_s_per_km, r.user_id))


def by_spread(runners: Sequence[Runner], spread_s_per_km: float) -> list[PaceGroup]:
    """The fewest groups whose T paces differ by at most ``spread_s_per_km`` inside each.

    Raises:
        InvalidInput: a spread outside 1-120 s/km (names the ``spread`` option).
    """
    if not (
        math.isfinite(spread_s_per_km)
        and MIN_SPREAD_S_PER_KM <= spread_s_per_km <= MAX_SPREAD_S_PER_KM
    ):
        raise InvalidInput(
            f"spread: {spread_s_per_km:g} s/km is outside {MIN_SPREAD_S_PER_KM}-"
            f"{MAX_SPREAD_S_PER_KM} s/km. Give the widest gap in threshold pace within a group, "
            "like 15."
        )
    groups: list[list[Runner]] = []
    for runner in _sorted(runners):
        if groups and runner.threshold_s_per_km - groups[-1][0].threshold_s_per_km <= (
            spread_s_per_km + 1e-9
        ):
            groups[-1].append(runner)
        else:
            groups.append([runner])
    return [PaceGroup(tuple(group)) for group in groups]


def by_count(runners: Sequence[Runner], count: int) -> list[PaceGroup]:
    """Exactly ``min(count, len(runners))`` groups, the widest as narrow as possible and then
    the largest as small as possible.

    Raises:
        InvalidInput: a count outside 1-10 (names the ``groups`` option).
    """
    if not 1 <= count <= MAX_GROUPS:
        raise InvalidInput(f"groups: {count} is not from 1 to {MAX_GROUPS}. Try 3.")
    ordered = _sorted(runners)
    n = len(ordered)
    if n == 0:
        return []
    k = min(count, n)
    pace = [r.threshold_s_per_km for r in ordered]
    inf = (math.inf, math.inf)
    # best[g][j]: (widest spread, largest size) splitting the first j runners into g groups.
    best = [[inf] * (n + 1) for _ in range(k + 1)]
    cut = [[0] * (n + 1) for _ in range(k + 1)]
    best[0][0] = (0.0, 0)
    for g in range(1, k + 1):
        for j in range(g, n + 1):
            for i in range(g - 1, j):
                before = best[g - 1][i]
                if before == inf:
                    continue
                spread = round(pace[j - 1] - pace[i], 6)
                value = (max(before[0], spread), max(before[1], j - i))
                if value < best[g][j]:
                    best[g][j], cut[g][j] = value, i
    groups: list[PaceGroup] = []
    j = n
    for g in range(k, 0, -1):
        i = cut[g][j]
        groups.append(PaceGroup(tuple(ordered[i:j])))
        j = i
    return groups[::-1]


# -- published groups ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class NumberedGroup:
    """A published group: its stable number (as shown, "Group 2"), its runners with a profile
    (fastest first), members an organizer moved here without a profile, and its leader (a member
    of the group) or None."""

    number: int
    runners: tuple[Runner, ...]
    unranked: tuple[int, ...] = ()
    leader: int | None = None

    @property
    def members(self) -> tuple[int, ...]:
        return tuple(r.user_id for r in self.runners) + self.unranked

    @property
    def pace_group(self) -> PaceGroup | None:
        return PaceGroup(self.runners) if self.runners else None


@dataclass(frozen=True, slots=True)
class Arrangement:
    """Published groups as they stand now: groups fastest first (groups with no runner with a
    profile last, by number), and the members going with no profile and no group."""

    groups: tuple[NumberedGroup, ...]
    no_profile: tuple[int, ...]

    def group_of(self, user_id: int) -> NumberedGroup | None:
        return next((g for g in self.groups if user_id in g.members), None)


def split(
    runners: Sequence[Runner], *, count: int | None, spread_s_per_km: float | None
) -> list[PaceGroup]:
    """Groups by the published rule: ``count`` groups, else at most ``spread_s_per_km`` apart."""
    if count is not None:
        return by_count(runners, count)
    return by_spread(runners, _spread(spread_s_per_km))


def arrange(
    runners: Sequence[Runner],
    no_profile: Sequence[int],
    placed: Mapping[int, int],
    leaders: Mapping[int, int],
    *,
    count: int | None,
    spread_s_per_km: float | None,
) -> Arrangement:
    """Published groups kept in step with the answers.

    ``runners`` and ``no_profile`` are the members going now (with and without a profile);
    ``placed`` maps a member to the group number they were given (by the rule when the groups
    were published, or by an organizer's move); ``leaders`` maps a group number to its leader.

    - A placed member still going stays in their group, whatever the rule would say now (an
      organizer's move is never undone). A member no longer going is simply not shown.
    - A runner going who was not placed joins the group that still fits them: with a spread
      rule, one whose T-pace range with them stays within the spread; with a count rule, any.
      Of those, the one whose range is nearest their T pace (ties: the lower number). Each
      newcomer is placed against the placed runners only, so newcomers never move each other.
    - Newcomers that fit no group are split among themselves by the same rule, in new groups
      numbered after the highest number in use.
    - A member going without a profile who was not placed is listed apart.
    - A group's leader is shown only while they are in that group.
    """
    members: dict[int, list[Runner]] = {}
    unranked: dict[int, list[int]] = {}
    newcomers: list[Runner] = []
    for runner in runners:
        if runner.user_id in placed:
            members.setdefault(placed[runner.user_id], []).append(runner)
        else:
            newcomers.append(runner)
    apart: list[int] = []
    for user_id in no_profile:
        if user_id in placed:
            unranked.setdefault(placed[user_id], []).append(user_id)
        else:
            apart.append(user_id)
    ranges = {
        number: (min(r.threshold_s_per_km for r in group), max(r.threshold_s_per_km for r in group))
        for number, group in members.items()
    }
    left_over: list[Runner] = []
    for runner in _sorted(newcomers):
        pace = runner.threshold_s_per_km
        best: tuple[float, int] | None = None
        for number, (fast, slow) in sorted(ranges.items()):
            width = max(slow, pace) - min(fast, pace)
            if count is None and width > _spread(spread_s_per_km) + 1e-9:
                continue
            distance = max(fast - pace, pace - slow, 0.0)
            if best is None or distance < best[0]:
                best = (distance, number)
        if best is None:
            left_over.append(runner)
        else:
            members[best[1]].append(runner)
    if left_over:
        first = max([*placed.values(), 0], default=0) + 1
        fresh = split(left_over, count=count, spread_s_per_km=spread_s_per_km)
        for offset, group in enumerate(fresh):
            members[first + offset] = list(group.runners)
    groups = []
    for number in sorted(set(members) | set(unranked)):
        ranked = tuple(_sorted(members.get(number, [])))
        others = tuple(sorted(unranked.get(number, [])))
        leader = leaders.get(number)
        inside = leader is not None and (
            leader in others or any(r.user_id == leader for r in ranked)
        )
        groups.append(NumberedGroup(number, ranked, others, leader if inside else None))
    groups.sort(
        key=lambda g: (
            (0, g.runners[0].threshold_s_per_km, g.number) if g.runners else (1, 0.0, g.number)
        )
    )
    return Arrangement(tuple(g for g in groups if g.members), tuple(sorted(apart)))


def _spread(spread_s_per_km: float | None) -> float:
    return 15.0 if spread_s_per_km is None else spread_s_per_km
