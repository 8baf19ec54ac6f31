"""The flat view of a session, for checks: every part in order, sets and repeats expanded.

The structured plan (:func:`~bot.domain.workouts.plan.plan_workout`: sets, repeats, warm-up and
cool-down) is what ``/pace workout``, "My paces" and watch files show; this view answers "what
does the runner do, rep by rep?" in plain numbers.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.domain.parsing import Race, check_performance, format_distance
from bot.domain.workouts.parse import parse_workout
from bot.domain.workouts.plan import PlannedRep, plan_workout
from bot.errors import InvalidInput


@dataclass(frozen=True, slots=True)
class FlatRecovery:
    """What follows a rep.

    Fields:
        kind: "jog", "rest", "walk", "float" or "back_down" (down the hill just climbed).
        distance_m: metres, when the recovery is a distance (back down: the rep's distance when
            known), else None.
        seconds: seconds, when the recovery is timed (a send-off's rest is what the rep leaves
            of it; an equal-time jog is the rep's target time), else None.
    """

    kind: str
    distance_m: float | None
    seconds: float | None


@dataclass(frozen=True, slots=True)
class FlatPart:
    """One part of the session.

    Fields:
        part: "warmup", "work" or "cooldown".
        distance_m: metres as written, or None for timed parts.
        seconds: seconds as written, or None for distance parts.
        hill: an uphill rep.
        s_per_km: the runner's target in seconds per km, or None for reps run by effort
            (hard, strides, all-out, hill sprints) and for warm-ups written without an amount.
        recovery: what follows, or None after the last part or where the text says no rest.
        label: the target in words ("I", "5K pace", "hard").
    """

    part: str
    distance_m: float | None
    seconds: float | None
    hill: bool
    s_per_km: float | None
    recovery: FlatRecovery | None
    label: str


def flat_plan(
    text: str,
    *,
    race_distance_m: float,
    race_seconds: float,
    goal_distance_m: float | None = None,
    goal_seconds: float | None = None,
    per_mile: bool = False,
) -> list[FlatPart]:
    """Every part of ``text`` in order, flattened, with one runner's targets.

    Targets come from Jack Daniels' VDOT tables (Daniels' Running Formula, 3rd ed., Tables 5.1
    and 5.2; see shared/reference/pace-science.md) for the recent race; goal paces, goal
    marathon pace and Yasso 800s (Bart Yasso's rule) from the goal race when one is given, else
    from the recent race's equivalents.

    Args:
        text: the workout as a coach wrote it ("5x5x400 @ race pace, rest 30-60 seconds between
            repeats, 90-120 seconds between sets").
        race_distance_m: the recent race's distance in metres (800 m to 100 km).
        race_seconds: its time in seconds.
        goal_distance_m: a goal race's distance in metres, or None.
        goal_seconds: the goal time in seconds, or None.
        per_mile: the runner measures in miles (adjustments written without a unit, like
            ``MP-10s``, are then per mile; they are per mile anyway when the text uses miles).

    Returns:
        The parts in order (see :class:`FlatPart`).

    Raises:
        InvalidInput: for text Pacer cannot read (the message names the part and why), or a
            race result or goal no human could run.
    """
    race = Race(format_distance(race_distance_m), race_distance_m)
    vdot = check_performance(race, race_seconds)
    goal: tuple[Race, float] | None = None
    if goal_distance_m is not None and goal_seconds is not None:
        goal_race = Race(format_distance(goal_distance_m), goal_distance_m)
        check_performance(goal_race, goal_seconds)
        goal = (goal_race, goal_seconds)
    elif (goal_distance_m is None) != (goal_seconds is None):
        raise InvalidInput("goal: give both the goal race and its time, or neither.")
    plan = plan_workout(parse_workout(text), vdot, race, goal=goal, per_mile=per_mile)
    return [_flat(rep) for rep in plan.reps]


def _flat(rep: PlannedRep) -> FlatPart:
    block = rep.step.block
    recovery = None
    if rep.recovery is not None:
        recovery = FlatRecovery(rep.recovery.kind, rep.recovery.distance_m, rep.recovery.seconds)
    return FlatPart(
        part=rep.part,
        distance_m=block.distance_m,
        seconds=block.seconds,
        hill=block.hill,
        s_per_km=rep.s_per_km,
        recovery=recovery,
        label=rep.target.label,
    )
