"""Limits: what a session may hold (refusals) and Daniels' advice (warnings, never refusals).

Refusals keep a plan sane and fit for one message: at most 20 blocks and 100 reps once sets are
expanded, and under 60 km of running (timed parts counted at 4:00/km, since the runner is not
known when a workout is read).

Warnings follow Jack Daniels (Daniels' Running Formula, 3rd ed., ch. 4): I reps longer than about
5 minutes and R reps longer than about 2 minutes stop training what they are for; a session's
T running is capped at 10% of weekly mileage, I at the lesser of 8% and 10 km, R at the lesser
of 5% and 8 km. Pacer does not know a runner's weekly mileage, so without it the absolute caps
apply: I 10 km, R 8 km, and for T about 60 minutes (Daniels' longest steady-threshold
prescription, which he puts at "about 1 hour of race effort").
"""

from __future__ import annotations

from bot.domain.pace import Zone
from bot.domain.workouts.model import Item, Recovery, RecoveryKind
from bot.domain.workouts.plan import WorkoutPlan, expand, is_work
from bot.errors import InvalidInput

MAX_BLOCKS = 20
MAX_STEPS = 100
MAX_VOLUME_M = 60_000.0
# Timed parts count toward the volume limit at this pace: 3 h at 4:00/km is 45 km.
_VOLUME_REFERENCE_S_PER_KM = 240.0

#: "About 5 minutes": Pacer warns past 5:30, so Daniels' own 1200s at I stay quiet for most.
I_REP_MAX_SECONDS = 5.5 * 60.0
R_REP_MAX_SECONDS = 2 * 60.0
I_SESSION_MAX_M = 10_000.0
R_SESSION_MAX_M = 8_000.0
T_SESSION_MAX_SECONDS = 60 * 60.0
I_WEEKLY_SHARE = 0.08
R_WEEKLY_SHARE = 0.05
T_WEEKLY_SHARE = 0.10


def check_size(items: tuple[Item, ...], block_count: int, hint: str) -> None:
    """Refuse a session too big to plan or show.

    Raises:
        InvalidInput: more than 20 blocks, 100 reps once expanded, or 60 km in all.
    """
    if block_count > MAX_BLOCKS:
        raise InvalidInput(
            f"workout: that's more than {MAX_BLOCKS} blocks (each ladder rung is one); "
            f"split it into two sessions. {hint}"
        )
    steps = expand(items)
    if len(steps) > MAX_STEPS:
        raise InvalidInput(
            f"workout: that's {len(steps)} reps once sets are counted; a session has at most "
            f"{MAX_STEPS}. {hint}"
        )
    total = 0.0
    for step in steps:
        block = step.block
        total += _volume_of(block.distance_m, block.seconds)
        total += _recovery_volume(step.recovery, block.distance_m, block.seconds)
    if total >= MAX_VOLUME_M:
        raise InvalidInput(
            f"workout: that's about {total / 1000:.0f} km of running (timed parts counted at "
            f"4:00/km); keep a session under {MAX_VOLUME_M / 1000:.0f} km. {hint}"
        )


def _recovery_volume(recovery: Recovery | None, rep_m: float | None, rep_s: float | None) -> float:
    if recovery is None or recovery.kind is RecoveryKind.REST:
        return 0.0
    if recovery.back_down:
        return _volume_of(rep_m, rep_s)
    return _volume_of(recovery.distance_m, recovery.seconds)


def _volume_of(distance_m: float | None, seconds: float | None) -> float:
    if distance_m is not None:
        return distance_m
    return (seconds or 0.0) / _VOLUME_REFERENCE_S_PER_KM * 1000.0


def daniels_warnings(plan: WorkoutPlan, weekly_km: float | None = None) -> list[str]:
    """Daniels' limits this plan goes past, in words (see the module docstring).

    Args:
        plan: a runner's plan.
        weekly_km: the runner's weekly volume in km, or None (absolute caps only).
    """
    warnings: list[str] = []
    volume_m = {Zone.THRESHOLD: 0.0, Zone.INTERVAL: 0.0, Zone.REPETITION: 0.0}
    t_seconds = 0.0
    long_i = long_r = 0.0
    for rep in plan.reps:
        zone = rep.target.zone
        if zone not in volume_m or not is_work(rep):
            continue
        volume_m[zone] += rep.distance_m or 0.0
        seconds = rep.seconds or 0.0
        if zone is Zone.THRESHOLD:
            t_seconds += seconds
        if zone is Zone.INTERVAL and seconds > I_REP_MAX_SECONDS:
            long_i = max(long_i, seconds)
        if zone is Zone.REPETITION and seconds > R_REP_MAX_SECONDS:
            long_r = max(long_r, seconds)
    if long_i:
        warnings.append(
            f"I reps of {_minutes(long_i)}: Daniels keeps I reps to about 5 minutes "
            "(longer ones turn into threshold work); try 5 x 3-5 min."
        )
    if long_r:
        warnings.append(
            f"R reps of {_minutes(long_r)}: Daniels keeps R reps to about 2 minutes "
            "(usually 200-400 m) with full recovery."
        )
    weekly_m = weekly_km * 1000.0 if weekly_km else None
    caps = {
        Zone.INTERVAL: min(I_SESSION_MAX_M, I_WEEKLY_SHARE * weekly_m)
        if weekly_m
        else I_SESSION_MAX_M,
        Zone.REPETITION: min(R_SESSION_MAX_M, R_WEEKLY_SHARE * weekly_m)
        if weekly_m
        else R_SESSION_MAX_M,
    }
    for zone, cap in caps.items():
        if volume_m[zone] > cap:
            warnings.append(
                f"{volume_m[zone] / 1000:.1f} km at {zone.value} is past Daniels' cap for one "
                f"session ({cap / 1000:.0f} km"
                + (f", {'8' if zone is Zone.INTERVAL else '5'}% of your week" if weekly_m else "")
                + ")."
            )
    t_cap_m = T_WEEKLY_SHARE * weekly_m if weekly_m else None
    if (t_cap_m is not None and volume_m[Zone.THRESHOLD] > t_cap_m) or (
        t_cap_m is None and t_seconds > T_SESSION_MAX_SECONDS
    ):
        cap_text = f"10% of your week, {t_cap_m / 1000:.1f} km" if t_cap_m else "about 60 minutes"
        warnings.append(
            f"{t_seconds / 60:.0f} min at T is past Daniels' cap for one session ({cap_text})."
        )
    return warnings


def _minutes(seconds: float) -> str:
    whole, rest = divmod(round(seconds), 60)
    return f"{whole} min" if not rest else f"{whole}:{rest:02d}"
