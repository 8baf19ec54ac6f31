"""One runner's plan: every rep's target, the recoveries between, the session's totals.

Recoveries come between reps: every rep is followed by its block's recovery except the very last
rep of the workout; a block's recovery also follows its last rep when something comes after it;
a set's break (``between``) replaces the recovery after the last rep of each set but the last.
So "6x800 @ I w/ 400 jog" has five 400 m jogs (2 km).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from bot.domain.pace import MILE_M, Zone, time_for, training_paces
from bot.domain.parsing import Race, format_duration, format_pace
from bot.domain.workouts.model import (
    Block,
    Item,
    PaceTarget,
    Part,
    Recovery,
    RecoveryKind,
    RepeatSet,
    Workout,
)
from bot.domain.workouts.targets import Fitness, target_s_per_km
from bot.errors import InvalidInput

#: How fast a walking recovery goes (6 km/h).
WALK_S_PER_KM = 600.0
GOAL_RACE_NEEDED = (
    "workout: 'goal pace' needs your race: add race and time, or save a profile with /profile set"
)


@dataclass(frozen=True, slots=True)
class Step:
    """One rep of the expanded session, before any runner's numbers.

    Fields:
        block: the block it comes from.
        index: which rep of that block (0-based).
        recovery: what follows it, or None (the last rep, or "no rest").
    """

    block: Block
    index: int
    recovery: Recovery | None


def expand(items: tuple[Item, ...]) -> list[Step]:
    """Every rep in order, sets and repeats expanded, each with the recovery that follows."""
    raw: list[tuple[Block, int, Recovery | None, bool]] = []
    _expand_into(items, raw)
    steps = []
    for position, (block, index, recovery, _) in enumerate(raw):
        last = position == len(raw) - 1
        # Nothing is jogged between the last rep and the cool-down: the cool-down is the jog.
        into_cooldown = not last and raw[position + 1][0].part is Part.COOLDOWN
        steps.append(Step(block, index, None if last or into_cooldown else recovery))
    return steps


def _expand_into(
    items: tuple[Item, ...], out: list[tuple[Block, int, Recovery | None, bool]]
) -> None:
    for item in items:
        if isinstance(item, Block):
            for index in range(item.reps):
                out.append((item, index, item.recovery_after(index), False))
            continue
        for time in range(item.times):
            _expand_into(item.items, out)
            if item.between is not None and (time < item.times - 1 or item is not items[-1]):
                block, index, _, _ = out[-1]
                out[-1] = (block, index, item.between, True)


def _set_times(item: RepeatSet) -> int:
    return item.times


@dataclass(frozen=True, slots=True)
class PlannedRecovery:
    """A recovery with one runner's numbers.

    Fields:
        kind: jog, rest, walk, float or back_down.
        distance_m: as written (or the hill's length for back down), or None.
        seconds: as written (or what a send-off or an equal-time jog leaves), or None.
        est_distance_m: distance covered (rest is 0), estimated when timed; None if unknown.
        est_seconds: time taken, estimated when a distance; None if unknown.
    """

    kind: str
    distance_m: float | None
    seconds: float | None
    est_distance_m: float | None
    est_seconds: float | None


@dataclass(frozen=True, slots=True)
class PlannedRep:
    """One rep with one runner's numbers.

    Fields:
        step: the rep and its place.
        part: warmup, work or cooldown.
        s_per_km: target pace, or None when run by effort.
        distance_m: as written, or for timed reps how far the pace covers; None if unknown.
        seconds: as written, or for distance reps the target time; None if unknown.
        recovery: what follows, or None.
    """

    step: Step
    part: str
    s_per_km: float | None
    distance_m: float | None
    seconds: float | None
    recovery: PlannedRecovery | None

    @property
    def target(self) -> PaceTarget:
        """This rep's target."""
        return self.step.block.target_of(self.step.index)


@dataclass(frozen=True, slots=True)
class PlannedBlock:
    """One block with one runner's numbers (its first rep's; see ``rep_paces``).

    Fields:
        block: the block.
        s_per_km: target pace, or None for reps run by effort.
        rep_seconds: each rep's time: the target time for distance reps, the duration for timed
            reps; None when unknown.
        rep_distance_m: each rep's distance, or for timed reps how far the pace covers.
        recoveries: how many recoveries follow this block's reps in the whole session.
        recovery_distance_m: each recovery's distance (rest is 0), None if unknown or none.
        recovery_seconds: each recovery's time (jogs at easy pace, floats at M, walks at
            6 km/h), None if unknown or none.
        rep_paces: each rep's pace when they differ (progressions, cut-downs), else empty.
    """

    block: Block
    s_per_km: float | None
    rep_seconds: float | None
    rep_distance_m: float | None
    recoveries: int
    recovery_distance_m: float | None
    recovery_seconds: float | None
    rep_paces: tuple[float | None, ...] = ()

    @property
    def per_400_seconds(self) -> float | None:
        """Target time per 400 m (for splits on a track), or None when run by effort."""
        return None if self.s_per_km is None else self.s_per_km * 0.4

    @property
    def target_text(self) -> str:
        """The number to aim for: "3:08" per rep, "about 4.43 km" for timed reps, "R effort"."""
        if self.s_per_km is None:
            return self.block.target.label
        if self.block.distance_m is not None:
            return format_duration(self.rep_seconds or 0.0)
        metres = self.rep_distance_m or 0.0
        if metres < 1000:
            return f"about {round(metres, -1):.0f} m"
        return f"about {metres / 1000:.2f} km"

    def describe(self, per_mile: bool = False) -> str:
        """One line, like "6 x 800 m @ I w/ 400 m jog: 3:08 each (3:55/km, 1:34 per 400)"."""
        line = self.block.describe()
        if self.s_per_km is None:
            return f"{line}: by effort, not pace"
        pace = format_pace(self.s_per_km, per_mile)
        distance_m = self.block.distance_m
        each = " each" if self.block.reps > 1 and not self.rep_paces else ""
        if distance_m is None:
            return f"{line}: {self.target_text}{each} ({pace})"
        splits = ""
        if 400 < distance_m <= 2000 and self.per_400_seconds is not None:
            splits = f", {format_duration(self.per_400_seconds)} per 400"
        return f"{line}: {self.target_text}{each} ({pace}{splits})"


@dataclass(frozen=True, slots=True)
class WorkoutPlan:
    """A workout with one runner's targets and the session's totals.

    Fields:
        workout: the workout.
        vdot: the runner's VDOT (from the recent race).
        goal_race: the recent race (the goal when none is saved), or None.
        blocks: the planned blocks, in the workout's order (a set's blocks once each).
        work_distance_m: distance of all reps (timed reps: covered at target pace).
        recovery_distance_m: distance jogged, walked or floated between reps (rest counts 0).
        work_seconds: time of all reps.
        recovery_seconds: time of all recoveries (estimated for distance recoveries).
        complete: False when some reps or recoveries have no known distance or time.
        reps: every rep of the session in order, sets expanded.
        warnings: Daniels' limits this session goes past (see limits.py); empty when none.
        notes: what Pacer decided that the text left open, and where goal paces came from.
    """

    workout: Workout
    vdot: float
    goal_race: Race | None
    blocks: tuple[PlannedBlock, ...]
    work_distance_m: float
    recovery_distance_m: float
    work_seconds: float
    recovery_seconds: float
    complete: bool
    reps: tuple[PlannedRep, ...] = ()
    warnings: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()

    @property
    def total_distance_m(self) -> float:
        """Reps plus recoveries, in metres."""
        return self.work_distance_m + self.recovery_distance_m

    @property
    def total_seconds(self) -> float:
        """Reps plus recoveries, in seconds."""
        return self.work_seconds + self.recovery_seconds

    def lines(self, per_mile: bool = False) -> list[str]:
        """One line per block with its target (see :meth:`PlannedBlock.describe`)."""
        return [block.describe(per_mile) for block in self.blocks]

    def summary(self, per_mile: bool = False) -> str:
        """Like "About 6.8 km (4.8 km of reps) in about 29 min" (or miles).

        When reps run by effort leave a distance or time unknown, it says only what is known.
        """
        minutes = max(1, round(self.total_seconds / 60))
        unit, size = ("mi", MILE_M) if per_mile else ("km", 1000.0)
        if self.complete:
            return (
                f"About {self.total_distance_m / size:.1f} {unit} "
                f"({self.work_distance_m / size:.1f} {unit} of reps) in about {minutes} min"
            )
        known = []
        if self.total_distance_m >= 50:
            known.append(f"{self.total_distance_m / size:.1f} {unit}")
        if self.total_seconds >= 30:
            known.append(f"{minutes} min")
        if not known:
            return "Reps run by effort, so there are no totals"
        return f"Some reps go by effort: at least {' and '.join(known)}"


def plan_workout(
    workout: Workout,
    vdot: float,
    goal_race: Race | None,
    *,
    goal: tuple[Race, float] | None = None,
    per_mile: bool = False,
    weekly_km: float | None = None,
) -> WorkoutPlan:
    """Each rep's target for one runner, and the session's totals.

    Zones come from :func:`~bot.domain.pace.training_paces` (E is the middle of the easy range),
    race paces from Daniels' race equivalents at ``vdot``; goal paces from ``goal`` (a goal race
    and its time), else the equivalent of ``goal_race`` (the recent race) at ``vdot``.

    Args:
        workout: a parsed workout.
        vdot: the runner's VDOT (from their recent race).
        goal_race: the runner's recent race; may be None if no rep needs a goal.
        goal: the runner's goal race and goal time in seconds, or None.
        per_mile: the runner measures in miles (adjustments written without a unit are per
            mile).
        weekly_km: the runner's weekly volume, for Daniels' per-session caps (else absolute).

    Raises:
        InvalidInput: if a rep is at a goal pace and neither ``goal`` nor ``goal_race`` is given.
        ValueError: if ``vdot`` is not a positive number (a bug: VDOTs come from checked races).
    """
    from bot.domain.workouts.limits import daniels_warnings

    if not math.isfinite(vdot) or vdot <= 0:
        raise ValueError("vdot must be a positive number")
    if workout.needs_goal_race and goal is None and goal_race is None:
        raise InvalidInput(GOAL_RACE_NEEDED)
    fitness = Fitness(
        vdot=vdot,
        paces=training_paces(vdot),
        recent=goal_race or Race("5K", 5000.0),
        goal=goal,
        per_m=MILE_M if per_mile else 1000.0,
    )
    # Race equivalents are solved by bisection: time each distinct target once per plan.
    paces: dict[PaceTarget, float | None] = {}
    reps = tuple(_plan_rep(step, fitness, paces) for step in expand(workout.items))
    blocks = tuple(_plan_block(block, reps) for block in workout.blocks)
    work_m = work_s = recovery_m = recovery_s = 0.0
    complete = True
    for rep in reps:
        complete = complete and rep.distance_m is not None and rep.seconds is not None
        work_m += rep.distance_m or 0.0
        work_s += rep.seconds or 0.0
        if rep.recovery is not None:
            complete = (
                complete
                and rep.recovery.est_distance_m is not None
                and rep.recovery.est_seconds is not None
            )
            recovery_m += rep.recovery.est_distance_m or 0.0
            recovery_s += rep.recovery.est_seconds or 0.0
    notes = list(workout.notes)
    if workout.needs_goal_race and goal is None:
        notes.append(
            "No goal race saved: goal paces use your recent race's equivalent "
            "(set one with /profile goal)."
        )
    plan = WorkoutPlan(
        workout=workout,
        vdot=vdot,
        goal_race=goal_race,
        blocks=blocks,
        work_distance_m=work_m,
        recovery_distance_m=recovery_m,
        work_seconds=work_s,
        recovery_seconds=recovery_s,
        complete=complete,
        reps=reps,
        notes=tuple(notes),
    )
    warnings = tuple(daniels_warnings(plan, weekly_km))
    return WorkoutPlan(
        workout=plan.workout,
        vdot=plan.vdot,
        goal_race=plan.goal_race,
        blocks=plan.blocks,
        work_distance_m=plan.work_distance_m,
        recovery_distance_m=plan.recovery_distance_m,
        work_seconds=plan.work_seconds,
        recovery_seconds=plan.recovery_seconds,
        complete=plan.complete,
        reps=plan.reps,
        warnings=warnings,
        notes=plan.notes,
    )


def _plan_rep(step: Step, fitness: Fitness, paces: dict[PaceTarget, float | None]) -> PlannedRep:
    block = step.block
    target = block.target_of(step.index)
    if target not in paces:
        paces[target] = target_s_per_km(target, fitness)
    s_per_km = paces[target]
    distance_m, seconds = block.distance_m, block.seconds
    if distance_m is None and seconds is not None and s_per_km is not None:
        distance_m = seconds / s_per_km * 1000.0
    elif seconds is None and distance_m is not None and s_per_km is not None:
        seconds = time_for(s_per_km, distance_m)
    recovery = _plan_recovery(step.recovery, block, distance_m, seconds, fitness)
    return PlannedRep(step, block.part.value, s_per_km, distance_m, seconds, recovery)


def _plan_recovery(
    recovery: Recovery | None,
    block: Block,
    rep_m: float | None,
    rep_s: float | None,
    fitness: Fitness,
) -> PlannedRecovery | None:
    if recovery is None:
        return None
    paces = fitness.paces
    if recovery.back_down:
        distance = block.distance_m
        easy = WALK_S_PER_KM if recovery.kind is RecoveryKind.WALK else paces.s_per_km(Zone.EASY)
        est_s = time_for(easy, distance) if distance is not None else None
        return PlannedRecovery("back_down", distance, None, distance, est_s)
    seconds = recovery.seconds
    if recovery.sendoff_seconds is not None:
        seconds = max(recovery.sendoff_seconds - (rep_s or 0.0), 0.0) if rep_s else None
    if recovery.time_share is not None:
        seconds = rep_s * recovery.time_share if rep_s is not None else None
    if recovery.kind is RecoveryKind.REST:
        return PlannedRecovery("rest", None, seconds, 0.0, seconds)
    s_per_km = {
        RecoveryKind.JOG: paces.s_per_km(Zone.EASY),
        RecoveryKind.FLOAT: paces.marathon_s_per_km,
        RecoveryKind.WALK: WALK_S_PER_KM,
    }[recovery.kind]
    if recovery.distance_m is not None:
        return PlannedRecovery(
            recovery.kind.value,
            recovery.distance_m,
            None,
            recovery.distance_m,
            time_for(s_per_km, recovery.distance_m),
        )
    if seconds is not None:
        return PlannedRecovery(
            recovery.kind.value, None, seconds, seconds / s_per_km * 1000.0, seconds
        )
    del rep_m
    return PlannedRecovery(recovery.kind.value, None, None, None, None)


def _plan_block(block: Block, reps: tuple[PlannedRep, ...]) -> PlannedBlock:
    mine = [rep for rep in reps if rep.step.block is block]
    first = mine[0] if mine else None
    recoveries = [rep.recovery for rep in mine if rep.recovery is not None]
    each = recoveries[0] if recoveries else None
    paces = tuple(rep.s_per_km for rep in mine[: block.reps])
    varied = len(set(paces)) > 1
    return PlannedBlock(
        block=block,
        s_per_km=first.s_per_km if first else None,
        rep_seconds=first.seconds if first else None,
        rep_distance_m=first.distance_m if first else None,
        recoveries=len(recoveries),
        recovery_distance_m=each.est_distance_m if each else None,
        recovery_seconds=each.est_seconds if each else None,
        rep_paces=paces if varied else (),
    )


def is_work(rep: PlannedRep) -> bool:
    """Whether a planned rep is part of the work (not warm-up or cool-down)."""
    return rep.part == Part.WORK.value
