"""Read the "meaning" notation of shared/reference/workouts-real.md and check a flat plan by it.

A meaning is groups joined by `` + ``: ``[N x ]AMOUNT[ hill] @ TARGET[ / RECOVERY]``, every rep
of a group followed by its recovery, the session's last rep by none; ``| OR |`` separates
alternatives (a range of reps: Pacer's range rule must give one of them). Targets are for a
runner whose recent race is a 5K in 22:30 (VDOT 43.4).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.domain.pace import MILE_M, race_time, training_paces, vdot_from_race
from bot.domain.workouts import FlatPart

YARD_M = 0.9144
VDOT = vdot_from_race(5000.0, 1350.0)
PACES = training_paces(VDOT)
FIVE_K_S_PER_KM = 270.0
TEN_K_S_PER_KM = 280.0
#: Pace tolerance: the tables' rounding plus Pacer's own (pace-science.md allows 2 s/km).
PACE_TOLERANCE = 2.0

_AMOUNT_RE = re.compile(r"^(?P<n>\d+(?:\.\d+)?)(?P<u>m|km|mi|yd|s|min)$")
_GROUP_RE = re.compile(r"^(?:(?P<reps>\d+) x )?(?P<amount>\S+)(?P<hill> hill)? @ (?P<rest>.+)$")


@dataclass(frozen=True)
class Expected:
    part: str
    distance_m: float | None
    seconds: float | None
    hill: bool
    target: str
    recovery: str | None  # None: nothing follows; "?" any; else the meaning's words


def _amount(text: str) -> tuple[float | None, float | None]:
    match = _AMOUNT_RE.match(text)
    assert match is not None, text
    number, unit = float(match.group("n")), match.group("u")
    metres = {"m": 1.0, "km": 1000.0, "mi": MILE_M, "yd": YARD_M}
    if unit in metres:
        return number * metres[unit], None
    return None, number * (60.0 if unit == "min" else 1.0)


def alternatives(meaning: str) -> list[list[Expected]]:
    """Each alternative's parts, in order."""
    return [_one(alt.strip()) for alt in meaning.split("| OR |")]


def _one(meaning: str) -> list[Expected]:
    parts: list[Expected] = []
    groups = [g.strip() for g in meaning.split(" + ")]
    for index, group in enumerate(groups):
        match = _GROUP_RE.match(group)
        assert match is not None, group
        reps = int(match.group("reps") or 1)
        distance_m, seconds = _amount(match.group("amount"))
        rest = match.group("rest")
        target, _, recovery = rest.rpartition(" / ")
        if not target or recovery.startswith(("hill effort", "hard")) or "@" in recovery:
            target, recovery = rest, ""
        if target.endswith(" / hill effort"):
            target = target.removesuffix(" / hill effort")
        recoveries = _recoveries(recovery, reps)
        easy = target.strip() == "easy"
        part = "work"
        if easy and len(groups) > 1 and index == 0:
            part = "warmup"
        elif easy and len(groups) > 1 and index == len(groups) - 1:
            part = "cooldown"
        for rep in range(reps):
            parts.append(
                Expected(
                    part,
                    distance_m,
                    seconds,
                    bool(match.group("hill")),
                    target,
                    recoveries[rep] if recoveries else None,
                )
            )
    if parts:
        last = parts[-1]
        parts[-1] = Expected(last.part, last.distance_m, last.seconds, last.hill, last.target, None)
    return parts


def _recoveries(text: str, reps: int) -> list[str | None]:
    text = text.strip()
    if not text:
        return [None] * reps
    if "," in text:  # "45s rest x4, 105s rest, ...": one per rep
        found: list[str | None] = []
        for piece in text.split(","):
            words, _, times = piece.strip().partition(" x")
            found += [words.strip()] * (int(times) if times else 1)
        return found + [None] * (reps - len(found))
    return [text] * reps


def target_problem(expected: str, s_per_km: float | None) -> str | None:
    """Why ``s_per_km`` is not what the meaning's target says, or None when it is."""

    def near(value: float) -> str | None:
        if s_per_km is None or abs(s_per_km - value) > PACE_TOLERANCE:
            return f"expected about {value:.1f} s/km for {expected!r}, got {s_per_km}"
        return None

    if "(not a pace)" in expected or expected.startswith(("all-out", "hard", "stride")):
        return None if s_per_km is None else f"expected effort only, got {s_per_km}"
    if expected == "easy":
        low, high = PACES.easy_fast_s_per_km, PACES.easy_slow_s_per_km
        ok = s_per_km is None or low - 1 <= s_per_km <= high + 1
        return None if ok else f"expected easy pace, got {s_per_km}"
    if "between 10K and 5K" in expected:
        ok = s_per_km is not None and FIVE_K_S_PER_KM - 1 <= s_per_km <= TEN_K_S_PER_KM + 1
        return None if ok else f"expected between 4:30 and 4:40/km, got {s_per_km}"
    if "Daniels H" in expected:
        return near(PACES.interval_s_per_km)
    if "goal marathon time" in expected:
        yasso = race_time(VDOT, 42195.0) / 60.0 / 0.8
        return near(FIVE_K_S_PER_KM) and near(yasso)
    if "slightly slower than goal" in expected:
        ok = s_per_km is not None and FIVE_K_S_PER_KM < s_per_km <= FIVE_K_S_PER_KM + 15
        return None if ok else f"expected a little slower than 4:30/km, got {s_per_km}"
    if "slightly faster than goal" in expected:
        ok = s_per_km is not None and FIVE_K_S_PER_KM - 15 <= s_per_km < FIVE_K_S_PER_KM
        return None if ok else f"expected a little faster than 4:30/km, got {s_per_km}"
    explicit = re.search(r"explicit (\d+):(\d\d)-(\d+):(\d\d) per mile", expected)
    if explicit is not None:
        a = int(explicit.group(1)) * 60 + int(explicit.group(2))
        b = int(explicit.group(3)) * 60 + int(explicit.group(4))
        return near((a + b) / 2 / MILE_M * 1000.0)
    per_km = re.search(r"(\d+):(\d\d)/km", expected)
    if per_km is not None:
        return near(int(per_km.group(1)) * 60 + int(per_km.group(2)))
    per_mi = re.search(r"(\d+):(\d\d)/mi", expected)
    if per_mi is not None:
        return near((int(per_mi.group(1)) * 60 + int(per_mi.group(2))) / MILE_M * 1000.0)
    per_400 = re.search(r"(\d+):(\d\d)/400", expected)
    if per_400 is not None:
        value = (int(per_400.group(1)) * 60 + int(per_400.group(2))) / 0.4
        if s_per_km is None or abs(s_per_km - value) > 2.0 / 0.4:
            return f"expected about {value:.1f} s/km for {expected!r}, got {s_per_km}"
        return None
    if "each rep faster" in expected:
        return None if s_per_km is not None else "a cut-down rep needs a pace"
    raise AssertionError(f"the checker can't read the target {expected!r}")


def recovery_problem(expected: str | None, part: FlatPart, sendoff: bool) -> str | None:
    """Why the part's recovery is not what the meaning says, or None when it is."""
    got = part.recovery
    if expected == "?":
        if got is None:
            return None
        ok = got.kind in ("jog", "walk", "rest", "float", "back_down")
        return None if ok else f"odd recovery {got}"
    if expected is None or expected == "no recovery":
        return None if got is None else f"expected no recovery, got {got}"
    if got is None:
        return f"expected {expected!r}, got none"
    if "back down" in expected:
        return None if got.kind == "back_down" else f"expected back down, got {got}"
    words = expected.split()
    distance_m, seconds = _amount(words[0])
    kind = words[1] if len(words) > 1 else None
    if kind is not None and kind != got.kind:
        return f"expected a {kind}, got {got}"
    if distance_m is not None:
        ok = got.distance_m is not None and abs(got.distance_m - distance_m) < 1.0
        return None if ok else f"expected {distance_m:.0f} m, got {got}"
    assert seconds is not None
    if sendoff:
        # A send-off's rest is what the rep leaves of the minute; the tsv rounds it up to 20 s.
        ok = got.seconds is not None and 0 < got.seconds <= seconds
        return None if ok else f"expected a short send-off rest, got {got}"
    ok = got.seconds is not None and abs(got.seconds - seconds) < 0.5
    return None if ok else f"expected {seconds:g} s, got {got}"


def problems(meaning: str, parts: list[FlatPart], text: str) -> list[str]:
    """Everything wrong with ``parts`` against every alternative; empty when one matches."""
    found: list[list[str]] = []
    for expected in alternatives(meaning):
        found.append(_check(expected, parts, sendoff="apart" in text.lower()))
        if not found[-1]:
            return []
    return min(found, key=len)


def _check(expected: list[Expected], parts: list[FlatPart], sendoff: bool) -> list[str]:
    if len(expected) != len(parts):
        return [f"expected {len(expected)} parts, got {len(parts)}"]
    issues = []
    faster: list[float] = []
    for index, (want, got) in enumerate(zip(expected, parts, strict=True)):
        where = f"part {index + 1}"
        if want.part != got.part:
            issues.append(f"{where}: expected {want.part}, got {got.part}")
        if want.distance_m is not None and (
            got.distance_m is None or abs(got.distance_m - want.distance_m) > 1.0
        ):
            issues.append(f"{where}: expected {want.distance_m:.1f} m, got {got.distance_m}")
        if want.seconds is not None and (
            got.seconds is None or abs(got.seconds - want.seconds) > 0.5
        ):
            issues.append(f"{where}: expected {want.seconds:g} s, got {got.seconds}")
        if want.hill != got.hill:
            issues.append(f"{where}: hill should be {want.hill}")
        problem = target_problem(want.target, got.s_per_km)
        if problem:
            issues.append(f"{where}: {problem}")
        if "each rep faster" in want.target and got.s_per_km is not None:
            if faster and got.s_per_km >= faster[-1]:
                issues.append(f"{where}: not faster than the rep before")
            faster.append(got.s_per_km)
        problem = recovery_problem(want.recovery, got, sendoff)
        if problem:
            issues.append(f"{where}: {problem}")
    return issues
