"""Targets: what a rep is run at, read from a coach's words, and timed for one runner.

Reading (:func:`read_target`): Daniels' zones E M T I R and H (his "hard", run at I effort),
Pfitzinger's LT (lactate threshold: Daniels' T), race paces in every usual spelling (``5K pace``,
``5KP``, ``10k race effort``, ``HMP``, ``MP``, ``mile pace``, ``3K``), ranges between two race
paces (``between 10K and 5K pace``, ``10km - 5km pace``: the middle), goal paces (``goal pace``,
``race pace``, ``goal marathon pace``), explicit times (``1:30`` per rep, ``4:50/km``,
``5:50-5:55`` per mile, ``75`` seconds per rep), effort words (``hard``, ``all-out``, ``strides``)
and adjustments (``MP-10s``, ``5K pace +5 s/km``).

Timing (:func:`target_s_per_km`): zones from Daniels' tables (pace-science.md), race paces from
his race equivalents, goal paces from the runner's goal race (or, without one, the recent race's
equivalent), Yasso 800s from Bart Yasso's rule (the goal marathon's h:mm as each 800's m:ss).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.domain.pace import MILE_M, TrainingPaces, Zone, race_time, vdot_from_race
from bot.domain.parsing import MAX_RACE_M, MIN_RACE_M, Race, parse_race
from bot.domain.workouts.lexing import FLAGS, read_clock
from bot.domain.workouts.model import PaceTarget
from bot.errors import InvalidInput

MAX_ADJUST_S_PER_KM = 60.0
HINT = (
    "Write reps like 6x800 @ I w/ 400 jog, 3 x 1 mile @ T, 2 x (4 x 400 @ R w/ 400 jog) "
    "w/ 800 jog, or name a session (Yasso 800s, Mona fartlek, ladder, tempo)."
)
#: "slightly slower/faster than goal": the Goal pace classic's step (TrainwithMarc, 2019).
GOAL_STEP_S_PER_KM = 6.0
_MARATHON_M = 42195.0
FIVE_K = Race("5K", 5000.0)

ZONE_WORDS: dict[str, tuple[Zone, str | None]] = {
    "e": (Zone.EASY, None),
    "easy": (Zone.EASY, None),
    "m": (Zone.MARATHON, None),
    "mp": (Zone.MARATHON, None),
    "marathon": (Zone.MARATHON, None),
    "full marathon": (Zone.MARATHON, None),
    "t": (Zone.THRESHOLD, None),
    "threshold": (Zone.THRESHOLD, None),
    "tempo": (Zone.THRESHOLD, None),
    "tempo run": (Zone.THRESHOLD, None),
    # The usual definition of tempo effort in US plans (Higdon, Runner's World).
    "comfortably hard": (Zone.THRESHOLD, None),
    "cruise": (Zone.THRESHOLD, None),
    "lt": (Zone.THRESHOLD, "LT"),
    "lactate threshold": (Zone.THRESHOLD, "LT"),
    "i": (Zone.INTERVAL, None),
    "interval": (Zone.INTERVAL, None),
    "intervals": (Zone.INTERVAL, None),
    "vo2": (Zone.INTERVAL, None),
    "vo2max": (Zone.INTERVAL, None),
    "vo2 max": (Zone.INTERVAL, None),
    "h": (Zone.INTERVAL, "H"),
    "long": (Zone.EASY, None),
    "long run": (Zone.EASY, None),
    "medium-long": (Zone.EASY, None),
    "medium-long run": (Zone.EASY, None),
    "medium long run": (Zone.EASY, None),
    "general aerobic": (Zone.EASY, None),
    "aerobic": (Zone.EASY, None),
    "easy run": (Zone.EASY, None),
    "recovery run": (Zone.EASY, None),
    "r": (Zone.REPETITION, None),
    "rep": (Zone.REPETITION, None),
    "reps": (Zone.REPETITION, None),
    "repetition": (Zone.REPETITION, None),
    "repetitions": (Zone.REPETITION, None),
}
EFFORT_WORDS: dict[str, str] = {
    "hard": "hard",
    "rpe-h": "hard",
    "rpe h": "hard",
    "fast": "fast",
    "quick": "fast",
    "strong": "strong",
    "all-out": "all-out",
    "all out": "all-out",
    "max": "all-out",
    "max effort": "all-out",
    "maximal": "all-out",
    "sprint": "all-out sprint",
    "sprints": "all-out sprint",
    "sprinting": "all-out sprint",
    "as hard as you can": "all-out",
    "stride": "stride: fast, relaxed",
    "strides": "stride: fast, relaxed",
    "accel": "stride: fast, relaxed",
    "accels": "stride: fast, relaxed",
    "acceleration": "stride: fast, relaxed",
    "accelerations": "stride: fast, relaxed",
    "pickup": "stride: fast, relaxed",
    "pickups": "stride: fast, relaxed",
    "moderate": "moderate",
    "steady": "steady",
    "controlled": "controlled",
    "relaxed": "relaxed",
    "on": "hard",
    "effort": "hill effort",
}
_GOAL_WORDS = frozenset(
    {
        "goal",
        "goal race",
        "goal-race",
        "race",
        "my race",
        "your race",
        "target",
        "target race",
        "gp",
    }
)
_GOAL_MARATHON_WORDS = frozenset(
    {"goal marathon", "gmp", "goal mp", "goal m", "target marathon", "marathon goal", "mgp"}
)
_FILLER_RE = re.compile(
    r"^(?:@|at|@ ?at|about|around|approx\.?|~|your|current|a|the|an|in)\s+", FLAGS
)
_PACE_WORD_RE = re.compile(r"\s*\b(?:pace|paced|effort|intensity|speed|tempo)$", FLAGS)
_RACE_WORD_RE = re.compile(r"\s+race$", FLAGS)
_ADJUST_RE = re.compile(
    r"^(?P<base>.*?)\s*(?P<sign>[+-])\s*(?P<num>\d+(?:\.\d+)?)(?:\s*-\s*(?P<to>\d+(?:\.\d+)?))?"
    r"\s*(?:s|secs?|seconds?|\")?\s*(?:(?:/|per)\s*(?P<unit>km|k|kilomet(?:er|re)|mi|mile))?$",
    FLAGS,
)
_RELATIVE_GOAL_RE = re.compile(
    r"^(?:(?:a\s+)?(?:little|bit|slightly|just)\s+)?(?P<dir>slower|faster)\s+than\s+"
    r"(?:goal|race|target)(?:\s+(?:race\s+)?pace)?$",
    FLAGS,
)
_BETWEEN_RE = re.compile(
    r"^(?:between\s+)?(?P<a>[\w. ]+?)\s*(?:-|to|and|/)\s*(?P<b>[\w. ]+?)"
    r"(?:\s+(?:race\s+)?(?:pace|effort))?$",
    FLAGS,
)
_EXPLICIT_RE = re.compile(
    r"^(?P<a>\d{1,2}:\d{2}(?:\.\d)?|\d{1,4})(?:\s*-\s*(?P<b>\d{1,2}:\d{2}|\d{1,4}))?"
    r"(?P<su>\s*(?:s|secs?|seconds?|\"))?"
    r"\s*(?:(?:/|per|a|min/|min\s+per)\s*(?P<unit>km|k|kilomet(?:er|re)|mi|mile|400|400m|"
    r"lap|800|800m|200|200m|rep))?\s*(?:pace)?$",
    FLAGS,
)
# "10 sec faster than MP", "15-20 s/mi slower than marathon pace": an adjustment in words.
_ADJUST_WORDS_RE = re.compile(
    r"^(?P<num>\d+(?:\.\d+)?(?:\s*-\s*\d+(?:\.\d+)?)?)\s*(?:s|secs?|seconds?|\")?"
    r"\s*(?P<unit>(?:/|per|a)\s*(?:km|k|kilomet(?:er|re)|mi|mile))?"
    r"\s+(?P<dir>faster|quicker|slower)\s+than\s+(?P<base>.+)$",
    FLAGS,
)
_RACE_SUFFIX_P_RE = re.compile(r"^(\d+(?:\.\d+)?\s*(?:k|km|mi|mile))p$", FLAGS)


@dataclass(frozen=True, slots=True)
class Explicit:
    """A time the coach wrote, before it is known per what: ``seconds`` per ``per_m``.

    ``per_m`` is None when the text did not say (then per rep, per mile or per km, whichever
    is a running pace for the rep: see :func:`explicit_s_per_km`).
    """

    seconds: float
    per_m: float | None


_LEADING_NUMBER_RE = re.compile(r"^[\d.]+\s*", FLAGS)
_RACE_CHARS_RE = re.compile(r"^[\w. -]+$", FLAGS)
_PLAIN_NUMBER_RE = re.compile(r"\d+(?:\.\d+)?", FLAGS)


def read_target(
    text: str, *, hill: bool = False, miles: bool = False, rep_m: float | None = None
) -> PaceTarget | None:
    """A target from a coach's words, or None when ``text`` isn't one.

    Args:
        text: normalised words after "@" or "at" ("5k pace", "mp-10s", "1:30").
        hill: hill reps: any pace becomes effort only.
        miles: the workout measures in miles (adjustments without a unit are per mile).
        rep_m: the rep's distance, to tell a per-rep time from a per-mile pace.

    Raises:
        InvalidInput: for an adjustment beyond 60 s/km, or a race pace outside 800 m-100 km.
    """
    text = text.strip().strip(".,;:!").strip()
    for _ in range(3):
        text = _FILLER_RE.sub("", text).strip()
    if not text:
        return None
    worded = _ADJUST_WORDS_RE.match(text)
    if worded is not None:
        sign = "+" if worded.group("dir") == "slower" else "-"
        unit = re.sub(r"^(?:per|a)\s*", "/", worded.group("unit") or "")
        text = f"{worded.group('base')} {sign}{worded.group('num')}s{unit}"
    relative = _RELATIVE_GOAL_RE.match(text)
    if relative is not None:
        step = GOAL_STEP_S_PER_KM if relative.group("dir") == "slower" else -GOAL_STEP_S_PER_KM
        return PaceTarget(goal=True, adjust_s_per_km=step, effort_only=hill)
    explicit = _read_explicit(text)
    if explicit is not None:
        if hill:
            return PaceTarget(effort="hill effort", effort_only=True)
        s_per_km = explicit_s_per_km(explicit, rep_m, miles)
        if s_per_km is not None:
            # Keep the coach's spelling ("8:20", "550-555"): it reads back to the same pace.
            return PaceTarget(explicit_s_per_km=s_per_km, word=text)
    base, adjust, per_m = text, 0.0, None
    adjusted = _ADJUST_RE.match(text)
    if adjusted is not None and adjusted.group("base"):
        base = adjusted.group("base").strip()
        low = float(adjusted.group("num"))
        high = float(adjusted.group("to") or low)
        adjust = (low + high) / 2 * (-1 if adjusted.group("sign") == "-" else 1)
        unit = (adjusted.group("unit") or "").lower()
        per_m = MILE_M if unit.startswith("mi") else 1000.0 if unit else None
        if per_m is None and miles:
            per_m = MILE_M
        per_km = adjust * (1000.0 / per_m if per_m else 1.0)
        if abs(per_km) > MAX_ADJUST_S_PER_KM:
            raise InvalidInput(
                f"workout: '{text}' adjusts the pace too much: keep it within "
                f"{MAX_ADJUST_S_PER_KM:g} s/km, like 5K pace +5s or MP-10s. {HINT}"
            )
    target = _read_base(base, hill)
    if target is None:
        return None
    if adjust:
        if target.effort is not None or target.effort_only:
            raise InvalidInput(
                f"workout: '{text}' is run by effort, so it has no pace to adjust. "
                "Write like 8 x 60s hill @ R w/ jog down, or 6 x 800 @ 5K pace +5s. " + HINT
            )
        return _with_adjust(target, adjust, per_m)
    return target


def _with_adjust(target: PaceTarget, adjust: float, per_m: float | None) -> PaceTarget:
    return PaceTarget(
        zone=target.zone,
        race=target.race,
        goal=target.goal,
        adjust_s_per_km=adjust,
        effort_only=target.effort_only,
        race_to=target.race_to,
        goal_marathon=target.goal_marathon,
        yasso=target.yasso,
        explicit_s_per_km=target.explicit_s_per_km,
        adjust_per_m=per_m,
        word=target.word,
    )


def _read_base(text: str, hill: bool) -> PaceTarget | None:
    key = " ".join(text.lower().split())
    if key in EFFORT_WORDS:
        return PaceTarget(effort=EFFORT_WORDS[key], effort_only=True)
    key = _PACE_WORD_RE.sub("", key).strip() or key
    if key in EFFORT_WORDS:
        return PaceTarget(effort=EFFORT_WORDS[key], effort_only=True)
    if key in _GOAL_MARATHON_WORDS:
        return PaceTarget(goal_marathon=True, effort_only=hill)
    if key in _GOAL_WORDS or key.replace(" ", "-") in _GOAL_WORDS:
        return PaceTarget(goal=True, effort_only=hill)
    if key.endswith(" goal") and _race_or_none(key.removesuffix(" goal")) is not None:
        key = "goal " + key.removesuffix(" goal")  # "10K goal pace" is "goal 10K pace"
    if _PLAIN_NUMBER_RE.fullmatch(key) and key != text.lower().strip() and float(key) >= 800:
        key = f"{key}m"  # "1500 pace": a race written as a bare distance in metres
    if key.startswith("goal ") and _race_or_none(key.removeprefix("goal ")) is not None:
        race = _race_or_none(key.removeprefix("goal "))
        if race is not None and abs(race.distance_m - _MARATHON_M) < 0.5:
            return PaceTarget(goal_marathon=True, effort_only=hill)
        return PaceTarget(goal=True, race=race, effort_only=hill)
    if key in ("strength", "hansons strength"):
        # Hansons' strength pace: marathon goal pace less 10 s per mile.
        return PaceTarget(
            zone=Zone.MARATHON,
            adjust_s_per_km=-10.0,
            adjust_per_m=MILE_M,
            word="strength",
            effort_only=hill,
        )
    if key in ("yasso", "yasso pace"):
        return PaceTarget(yasso=True, effort_only=hill)
    zone = ZONE_WORDS.get(key) or ZONE_WORDS.get(key.removesuffix(" pace"))
    if zone is not None:
        return PaceTarget(zone=zone[0], word=zone[1], effort_only=hill)
    race = _race_or_none(key)
    if race is not None:
        return _race_target(race, None, hill, text)
    between = _BETWEEN_RE.match(key)
    if between is not None:
        first = _race_or_none(between.group("a"))
        second = _race_or_none(between.group("b"))
        if first is None and second is not None:
            # "5-10k pace": the unit of the second end applies to the first.
            unit = _LEADING_NUMBER_RE.sub("", between.group("b"))
            first = _race_or_none(between.group("a") + unit)
        if first is not None and second is not None:
            return _race_target(first, second, hill, text)
    return None


def _race_target(race: Race, race_to: Race | None, hill: bool, text: str) -> PaceTarget:
    for each in (race, race_to):
        if each is not None and not MIN_RACE_M <= each.distance_m <= MAX_RACE_M:
            raise InvalidInput(
                f"workout: '{text}' is no race pace: a race pace needs a race from 800 m to "
                f"100 km, and {each.name} isn't. Try one like 5K pace or 10K pace. {HINT}"
            )
    if race_to is None and abs(race.distance_m - _MARATHON_M) < 0.5:
        # Daniels' M pace is the marathon race pace: one target, one label.
        return PaceTarget(zone=Zone.MARATHON, effort_only=hill)
    if race_to is not None and race_to.distance_m > race.distance_m:
        race, race_to = race_to, race
    return PaceTarget(race=race, race_to=race_to, effort_only=hill)


def _race_or_none(text: str) -> Race | None:
    key = " ".join(text.split())
    key = _RACE_WORD_RE.sub("", key).strip()
    key = _PACE_WORD_RE.sub("", key).strip()
    key = _RACE_WORD_RE.sub("", key).strip()
    suffix = _RACE_SUFFIX_P_RE.match(key)
    if suffix is not None:
        key = suffix.group(1)
    key = {"hmp": "hm", "half marathon": "hm", "half-marathon": "hm", "1 mile": "mile"}.get(
        key, key
    )
    if not key or len(key) > 30 or not _RACE_CHARS_RE.match(key):
        return None
    if _PLAIN_NUMBER_RE.fullmatch(key):
        return None  # a bare number is a time or a distance, never a race
    try:
        return parse_race(key)
    except InvalidInput:
        return None


def _read_explicit(text: str) -> Explicit | None:
    match = _EXPLICIT_RE.match(text.replace(" min/", " /"))
    if match is None:
        return None
    if match.group("su"):  # "90 seconds": seconds, never m:ss
        if ":" in match.group("a") or ":" in (match.group("b") or ""):
            return None
        low = float(match.group("a"))
        high = float(match.group("b") or low)
        return Explicit((low + high) / 2, None)
    first = _time_value(match.group("a"))
    second = _time_value(match.group("b")) if match.group("b") else first
    if first is None or second is None:
        return None
    unit = (match.group("unit") or "").lower()
    per_m: float | None
    if unit.startswith(("k", "kilomet")):
        per_m = 1000.0
    elif unit.startswith("mi"):
        per_m = MILE_M
    elif unit in ("400", "400m", "lap"):
        per_m = 400.0
    elif unit in ("800", "800m"):
        per_m = 800.0
    elif unit in ("200", "200m"):
        per_m = 200.0
    else:
        per_m = None
    return Explicit((first + second) / 2, per_m)


def _time_value(text: str) -> float | None:
    if ":" in text:
        minutes, seconds = text.split(":")
        if float(seconds) >= 60:
            return None
        return int(minutes) * 60 + float(seconds)
    number = int(text)
    if len(text) >= 3 and number % 100 < 60:
        # "550" after @ is 5:50, as US plans write paces without the colon.
        return (number // 100) * 60.0 + number % 100
    if len(text) <= 2:
        return float(number)
    return None


#: A rep's pace must land here to count as a running pace (2:00/km to 12:00/km).
_RUNNING_S_PER_KM = (120.0, 720.0)


def explicit_s_per_km(explicit: Explicit, rep_m: float | None, miles: bool) -> float | None:
    """Seconds per km for a written time: per the unit it names; else per rep when that is a
    running pace, else per mile (miles) or per km. None when nothing is a running pace."""
    low, high = _RUNNING_S_PER_KM
    if explicit.per_m is not None:
        s_per_km = explicit.seconds * 1000.0 / explicit.per_m
        return s_per_km if low <= s_per_km <= high else None
    if rep_m is not None:
        per_rep = explicit.seconds * 1000.0 / rep_m
        if low <= per_rep <= high:
            return per_rep
    per_unit = explicit.seconds * 1000.0 / (MILE_M if miles else 1000.0)
    return per_unit if low <= per_unit <= high else None


def clock_seconds(text: str) -> float:
    """Seconds in "3:32" or "3:32:00" (used for Yasso's goal marathon)."""
    return read_clock(text)


# --- timing ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Fitness:
    """What a runner's targets come from.

    Fields:
        vdot: from the recent race (zones and race paces: Daniels).
        paces: Daniels' training paces at ``vdot``.
        recent: the recent race.
        goal: the goal race and its time in seconds, or None (then goal paces are the recent
            race's equivalents).
        per_m: the runner's unit for adjustments without one (1000 or a mile).
    """

    vdot: float
    paces: TrainingPaces
    recent: Race
    goal: tuple[Race, float] | None = None
    per_m: float = 1000.0


def target_s_per_km(target: PaceTarget, fitness: Fitness) -> float | None:
    """The runner's pace for ``target`` in seconds per km, or None when it is run by effort."""
    if target.effort_only or target.effort is not None:
        return None
    if target.goal and target.race is not None:
        base = _goal_race_pace(target.race, fitness)
    elif target.zone is not None:
        base = fitness.paces.s_per_km(target.zone)
    elif target.race is not None:
        base = race_pace(fitness.vdot, target.race.distance_m)
        if target.race_to is not None:
            base = (base + race_pace(fitness.vdot, target.race_to.distance_m)) / 2
    elif target.explicit_s_per_km is not None:
        base = target.explicit_s_per_km
    elif target.goal:
        if fitness.goal is not None:
            race, seconds = fitness.goal
            base = seconds / (race.distance_m / 1000.0)
        else:
            base = race_pace(fitness.vdot, fitness.recent.distance_m)
    else:
        marathon_s = goal_marathon_seconds(fitness)
        # Yasso: a 3:10 marathon goal means each 800 in 3:10 (minutes:seconds).
        base = marathon_s / 60.0 / 0.8 if target.yasso else marathon_s / (_MARATHON_M / 1000.0)
    per_m = target.adjust_per_m or fitness.per_m
    return base + target.adjust_s_per_km * 1000.0 / per_m


def _goal_race_pace(race: Race, fitness: Fitness) -> float:
    """ "goal 10K pace": the goal itself when it is that race, else its equivalent over that
    distance (from the goal, or from the recent race when no goal is saved)."""
    if fitness.goal is None:
        return race_pace(fitness.vdot, race.distance_m)
    goal_race, seconds = fitness.goal
    if abs(goal_race.distance_m - race.distance_m) < 0.5:
        return seconds / (race.distance_m / 1000.0)
    return race_pace(vdot_from_race(goal_race.distance_m, seconds), race.distance_m)


def goal_marathon_seconds(fitness: Fitness) -> float:
    """The goal marathon time: the goal race if it is a marathon, else the marathon equivalent
    of the goal race (or of the recent race when there is no goal), in seconds."""
    if fitness.goal is not None:
        race, seconds = fitness.goal
        if abs(race.distance_m - _MARATHON_M) < 0.5:
            return seconds
        return race_time(vdot_from_race(race.distance_m, seconds), _MARATHON_M)
    return race_time(fitness.vdot, _MARATHON_M)


def race_pace(vdot: float, distance_m: float) -> float:
    """Daniels' race-equivalent pace over ``distance_m`` at ``vdot``, in seconds per km."""
    return race_time(vdot, distance_m) / (distance_m / 1000.0)
