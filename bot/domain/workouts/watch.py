"""One runner's plan as watch steps: warm-up, reps with pace bands, recoveries, repeats, cool-down.

This is the shape of a FIT workout (``workout_step`` messages, repeats as "repeat until steps
complete") before any bytes: :mod:`bot.services.watch` encodes it. Pure.

Repeats: identical passes in a row (the same rep, target and recovery) become one repeat step;
a pass that differs (the last rep with no recovery before the cool-down, the last set with no set
break, a progression's different targets) is written out after the repeat. Expanding the steps
gives exactly the plan's reps and recoveries, in order.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from bot.domain.pace import Zone, training_paces
from bot.domain.parsing import format_duration, format_pace
from bot.domain.workouts.model import Block, Item, Part, RepeatSet, format_distance, format_seconds
from bot.domain.workouts.plan import PlannedRecovery, PlannedRep, WorkoutPlan

#: Half the pace band per zone, in seconds per km: the band is target - w (fast end) to
#: target + w (slow end). Easy running is a range by design; the quality zones are tight, but
#: not tighter than a wrist GPS's pace reading holds over a short rep.
BAND_HALF_WIDTH_S_PER_KM: dict[Zone, float] = {
    Zone.EASY: 15.0,
    Zone.MARATHON: 8.0,
    Zone.THRESHOLD: 6.0,
    Zone.INTERVAL: 5.0,
    Zone.REPETITION: 5.0,
}


class Intensity(StrEnum):
    """A step's intensity, as FIT names it (``intensity`` type)."""

    WARMUP = "warmup"
    ACTIVE = "active"
    RECOVERY = "recovery"
    REST = "rest"
    COOLDOWN = "cooldown"


@dataclass(frozen=True, slots=True)
class PaceBand:
    """A pace target with room either side.

    Fields:
        target_s_per_km: the runner's target pace.
        fast_s_per_km: the quick end (target minus the zone's half-width).
        slow_s_per_km: the slow end (target plus the zone's half-width).
        zone: the zone whose width was used (the zone whose pace is nearest the target).
    """

    target_s_per_km: float
    fast_s_per_km: float
    slow_s_per_km: float
    zone: Zone


@dataclass(frozen=True, slots=True)
class WatchStep:
    """One step the watch runs.

    Fields:
        name: what the watch shows, like "800 m @ I" or "400 m jog".
        intensity: warm-up, active (a rep), recovery, rest or cool-down.
        distance_m: the step ends after this distance, or None.
        seconds: the step ends after this time, or None (neither: ends at the lap button).
        band: the pace band, or None (warm-up, cool-down, recoveries, reps run by effort).
        notes: the runner's numbers in words, like "3:08 (3:55/km)", or "".
    """

    name: str
    intensity: Intensity
    distance_m: float | None
    seconds: float | None
    band: PaceBand | None = None
    notes: str = ""


@dataclass(frozen=True, slots=True)
class WatchRepeat:
    """Steps run ``times`` times in all.

    Fields:
        times: how many times the steps run (2 or more).
        steps: the steps of one pass (steps or nested repeats).
    """

    times: int
    steps: tuple[WatchStep | WatchRepeat, ...]


WatchNode = WatchStep | WatchRepeat


@dataclass(frozen=True, slots=True)
class WatchWorkout:
    """A workout for the watch.

    Fields:
        name: the workout's name, like "Tuesday track 2026-12-01".
        steps: the steps, in order.
    """

    name: str
    steps: tuple[WatchNode, ...]


def pace_band(s_per_km: float, vdot: float) -> PaceBand:
    """The band around ``s_per_km``, as wide as the zone whose pace is nearest it at ``vdot``.

    Zone paces are Daniels' (:func:`~bot.domain.pace.training_paces`); a race, goal or written
    pace takes the width of the zone it is closest to.

    Raises:
        ValueError: if ``vdot`` is not positive.
    """
    paces = training_paces(vdot)
    zone = min(Zone, key=lambda z: abs(paces.s_per_km(z) - s_per_km))
    half = BAND_HALF_WIDTH_S_PER_KM[zone]
    return PaceBand(s_per_km, max(s_per_km - half, 1.0), s_per_km + half, zone)


def watch_workout(plan: WorkoutPlan, name: str, per_mile: bool = False) -> WatchWorkout:
    """The runner's plan as watch steps (see the module docstring for repeats).

    Args:
        plan: the runner's plan.
        name: the workout's name (the session and date).
        per_mile: show paces in the notes per mile.

    Raises:
        ValueError: if the plan's reps do not follow its workout (a bug).
    """
    reps = list(plan.reps)
    cursor = _Cursor(reps)
    steps: list[WatchNode] = []
    for item in plan.workout.items:
        steps.extend(_item_steps(item, cursor, plan.vdot, per_mile))
    if cursor.position != len(reps):
        raise ValueError("the plan has reps its workout does not")
    return WatchWorkout(name=name, steps=tuple(steps))


def flatten(steps: tuple[WatchNode, ...]) -> list[WatchStep]:
    """Every step in the order the watch runs them, repeats expanded."""
    out: list[WatchStep] = []
    for node in steps:
        if isinstance(node, WatchRepeat):
            for _ in range(node.times):
                out.extend(flatten(node.steps))
        else:
            out.append(node)
    return out


class _Cursor:
    def __init__(self, reps: list[PlannedRep]) -> None:
        self.reps = reps
        self.position = 0

    def take(self, block: Block) -> PlannedRep:
        if self.position >= len(self.reps) or self.reps[self.position].step.block is not block:
            raise ValueError("the plan's reps do not follow its workout")
        rep = self.reps[self.position]
        self.position += 1
        return rep


def _item_steps(item: Item, cursor: _Cursor, vdot: float, per_mile: bool) -> list[WatchNode]:
    passes: list[tuple[WatchNode, ...]] = []
    if isinstance(item, RepeatSet):
        for _ in range(item.times):
            one: list[WatchNode] = []
            for inner in item.items:
                one.extend(_item_steps(inner, cursor, vdot, per_mile))
            passes.append(tuple(one))
    else:
        for _ in range(item.reps):
            passes.append(_rep_steps(cursor.take(item), vdot, per_mile))
    return _runs(passes)


def _runs(passes: list[tuple[WatchNode, ...]]) -> list[WatchNode]:
    out: list[WatchNode] = []
    index = 0
    while index < len(passes):
        end = index + 1
        while end < len(passes) and passes[end] == passes[index]:
            end += 1
        count = end - index
        if count > 1 and passes[index]:
            out.append(WatchRepeat(count, passes[index]))
        else:
            for one in passes[index:end]:
                out.extend(one)
        index = end
    return out


def _rep_steps(rep: PlannedRep, vdot: float, per_mile: bool) -> tuple[WatchNode, ...]:
    block = rep.step.block
    target = rep.target
    intensity = {
        Part.WARMUP: Intensity.WARMUP,
        Part.COOLDOWN: Intensity.COOLDOWN,
    }.get(block.part, Intensity.ACTIVE)
    amount = block.amount_text()
    band = None
    notes = ""
    if block.part is Part.WORK:
        hill = " hill" if block.hill and "hill" not in target.label else ""
        name = f"{amount}{hill} @ {target.label}"
        if rep.s_per_km is not None and not target.effort_only:
            band = pace_band(rep.s_per_km, vdot)
            pace = format_pace(rep.s_per_km, per_mile)
            notes = (
                f"{format_duration(rep.seconds)} ({pace})"
                if block.distance_m is not None and rep.seconds is not None
                else pace
            )
        else:
            notes = "by effort"
    else:
        word = "Warm-up" if block.part is Part.WARMUP else "Cool-down"
        name = f"{word} {amount}".strip()
    steps: list[WatchNode] = [
        WatchStep(name, intensity, block.distance_m, block.seconds, band, notes)
    ]
    if rep.recovery is not None and (step := _recovery_step(rep.recovery)) is not None:
        steps.append(step)
    return tuple(steps)


def _recovery_step(recovery: PlannedRecovery) -> WatchStep | None:
    """The recovery as a step, or None when it leaves no time (a send-off the rep used up)."""
    intensity = Intensity.REST if recovery.kind == "rest" else Intensity.RECOVERY
    if recovery.kind == "back_down":
        name = "Jog back down"
        return WatchStep(name, intensity, recovery.distance_m, None)
    if recovery.distance_m is not None:
        return WatchStep(
            f"{format_distance(recovery.distance_m)} {recovery.kind}",
            intensity,
            recovery.distance_m,
            None,
        )
    if recovery.seconds is not None:
        seconds = round(recovery.seconds)
        if seconds <= 0:
            return None
        return WatchStep(f"{format_seconds(seconds)} {recovery.kind}", intensity, None, seconds)
    return WatchStep(recovery.kind.capitalize(), intensity, None, None)
