"""Workouts: a small grammar for speed sessions and a per-runner planner. Pure, no I/O.

What a member or organizer types ("6x800 @ I w/ 400 jog", "3 x 1 mile @ T, 1 min rest",
"20 min @ M", "400-800-1200-800-400 @ I w/ 200 jog", "8 x 60s hill @ R w/ jog down",
"2 x 1000 @ goal pace +6s + 2 x 400 @ goal pace -6s") is read by :func:`parse_workout` into
:class:`Block` s, and :func:`plan_workout` turns those into one runner's target time per rep.

Grammar, case-insensitive and forgiving of spaces:

- A workout is up to 10 parts joined by ``+``, ``;``, ``then``, ``, then`` or new lines. A part is
  either a classic's name ("repeat 400s", "ladder", "hill repeats", "cruise intervals", "tempo",
  "goal pace") or ``[REPS x] AMOUNT [hill] @ TARGET [RECOVERY]``; ``at`` works for ``@`` and
  ``×``, ``X``, ``*`` or ``by`` for ``x``.
- AMOUNT is a distance (a bare number is metres; m, km, k, mi, mile) or a time ("20 min", "90s",
  "90 sec", "1:30", "1 h"). "400s" (no space) means 400 m reps, as runners say it; write
  "400 sec" for seconds. Several amounts joined by ``-`` make a ladder, one block per rung; a unit
  on the last rung applies to bare ones ("1-2-3-2-1 min").
- TARGET is a zone (E M T I R, easy, marathon, threshold or tempo, interval, rep or repetition), a
  race pace ("5K pace", "HM pace", "mile pace", anything :func:`~bot.domain.parsing.parse_race`
  reads from 800 m to 100 km) or "goal pace" (the runner's own race), optionally adjusted by signed
  seconds per km ("5K pace +5s", "goal pace -2s/km"). Marathon pace is the M zone.
- RECOVERY follows ``w/``, ``with``, ``and`` or a comma, or sits in brackets: an amount and a
  kind, jog, rest, walk or float ("400 jog", "1 min rest", "90s float"); with no kind it is a
  jog. "half jog" and "equal jog" are half or all of the rep; "jog down" (hill reps only) is back
  down the hill.
- ``hill`` (or ``hills``, ``uphill``) anywhere in a part makes its reps hill reps: run by effort,
  so the plan shows "R effort" and no time.

Recoveries come between reps: every rep is followed by its block's recovery except the very last
rep of the workout, so "6x800 @ I w/ 400 jog" has five 400 m jogs (2 km), and a block's recovery
also follows its last rep when another block comes after it.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from enum import StrEnum

from bot.domain.pace import MILE_M, TrainingPaces, Zone, race_time, time_for, training_paces
from bot.domain.parsing import (
    MAX_RACE_M,
    MIN_RACE_M,
    Race,
    format_duration,
    format_pace,
    parse_distance,
    parse_duration,
    parse_race,
)
from bot.errors import InvalidInput

MAX_WORKOUT_TEXT = 200
MIN_REPS = 1
MAX_REPS = 50
MIN_REP_M = 50.0
MAX_REP_M = 42_200.0
MIN_REP_SECONDS = 10.0
MAX_REP_SECONDS = 3 * 3600.0
MIN_RECOVERY_M = 25.0
MAX_RECOVERY_M = 10_000.0
MIN_RECOVERY_SECONDS = 5.0
MAX_RECOVERY_SECONDS = 3600.0
#: Parts a member may join with "+", ";" or "then".
MAX_PARTS = 10
#: Blocks after ladders are split into rungs: a plan must fit in one embed (25 fields at most).
MAX_BLOCKS = 20
#: A session's volume, reps and recoveries, must stay under this.
MAX_VOLUME_M = 60_000.0
MAX_ADJUST_S_PER_KM = 60.0
#: How fast a walking recovery goes (6 km/h).
WALK_S_PER_KM = 600.0
# Timed parts count toward the volume limit at this pace, since the runner is not known when a
# workout is parsed: 3 h at 4:00/km is 45 km, a long run but a possible one.
_VOLUME_REFERENCE_S_PER_KM = 240.0
_MARATHON_M = 42195.0

EXAMPLES: tuple[str, ...] = (
    "6x800 @ I w/ 400 jog",
    "3 x 1 mile @ T w/ 1 min rest",
    "20 min @ T",
    "10 x 200 @ R w/ 200 jog",
    "5x1000 @ 5K pace w/ 400 jog",
    "4 x 1 km @ 10K pace w/ 2 min jog",
    "5 x 3 min @ I w/ 2 min jog",
    "2 mi @ M",
    "400-800-1200-800-400 @ I w/ 200 jog",
    "8 x 60s hill @ R w/ jog down",
    "2 x 1 mile @ T w/ 1 min rest + 4 x 200 @ R w/ 200 jog",
)

_HINT = (
    "Write reps like 6x800 @ I w/ 400 jog, 3 x 1 mile @ T, 20 min @ M, or name a classic "
    "(repeat 400s, ladder, hill repeats, cruise intervals, goal pace)."
)
_TARGET_HINT = "a target is E, M, T, I or R, a race pace like 5K pace, or goal pace"
_RECOVERY_HINT = (
    "a recovery is an amount and jog, rest, walk or float, like w/ 400 jog or , 90s rest"
)
GOAL_RACE_NEEDED = (
    "workout: 'goal pace' needs your race: add race and time, or save a profile with /profile set"
)


class RecoveryKind(StrEnum):
    """How a runner recovers between reps."""

    JOG = "jog"
    REST = "rest"
    WALK = "walk"
    FLOAT = "float"


@dataclass(frozen=True, slots=True)
class PaceTarget:
    """What a rep is run at: exactly one of a zone, a race's pace, or the runner's goal pace.

    Fields:
        zone: a Daniels zone (E, M, T, I, R).
        race: a race whose equivalent pace is the target ("5K pace").
        goal: the pace of the runner's own race (the one they gave or saved).
        adjust_s_per_km: seconds per km added to the pace (negative is faster).
        effort_only: hill reps: run by feel at that intensity, no time.
    """

    zone: Zone | None = None
    race: Race | None = None
    goal: bool = False
    adjust_s_per_km: float = 0.0
    effort_only: bool = False

    def __post_init__(self) -> None:
        if (self.zone is not None) + (self.race is not None) + self.goal != 1:
            raise ValueError("a target is exactly one of zone, race or goal")

    @property
    def label(self) -> str:
        """How the target reads: "I", "5K pace", "goal pace +6 s/km", "R effort"."""
        if self.zone is not None:
            base = self.zone.value
            text = f"{base} effort" if self.effort_only else base
        elif self.race is not None:
            base = _race_label(self.race)
            text = f"{base} effort" if self.effort_only else f"{base} pace"
        else:
            text = "goal-race effort" if self.effort_only else "goal pace"
        if self.adjust_s_per_km and not self.effort_only:
            sign = "+" if self.adjust_s_per_km > 0 else "-"
            text += f" {sign}{abs(self.adjust_s_per_km):g} s/km"
        return text


@dataclass(frozen=True, slots=True)
class Recovery:
    """The recovery after a rep.

    Fields:
        kind: jog, rest, walk or float.
        distance_m: how far, or None.
        seconds: how long, or None. Both None means back down the hill (hill reps only).
    """

    kind: RecoveryKind
    distance_m: float | None = None
    seconds: float | None = None

    def __post_init__(self) -> None:
        if self.distance_m is not None and self.seconds is not None:
            raise ValueError("a recovery has a distance or a time, not both")

    @property
    def back_down(self) -> bool:
        """Whether this is "jog back down" the hill (its distance is the rep's)."""
        return self.distance_m is None and self.seconds is None

    def describe(self) -> str:
        """Like "400 m jog", "1 min rest" or "jog back down"."""
        if self.distance_m is not None:
            return f"{_format_distance(self.distance_m)} {self.kind.value}"
        if self.seconds is not None:
            return f"{_format_seconds(self.seconds)} {self.kind.value}"
        return f"{self.kind.value} back down"


@dataclass(frozen=True, slots=True)
class Block:
    """Identical reps: ``reps`` times a distance or a time, at one target.

    Fields:
        reps: how many reps (1-50).
        distance_m: each rep's distance, or None for timed reps.
        seconds: each rep's duration, or None for distance reps (exactly one of the two is set).
        target: what each rep is run at.
        recovery: what follows each rep, or None.
        hill: uphill reps, run by effort.
    """

    reps: int
    distance_m: float | None
    seconds: float | None
    target: PaceTarget
    recovery: Recovery | None = None
    hill: bool = False

    def __post_init__(self) -> None:
        if (self.distance_m is None) == (self.seconds is None):
            raise ValueError("a block has a distance or a time per rep, exactly one")

    def describe(self) -> str:
        """Like "6 x 800 m @ I w/ 400 m jog" (reads back through :func:`parse_workout`)."""
        amount = (
            _format_distance(self.distance_m)
            if self.distance_m is not None
            else _format_seconds(self.seconds or 0.0)
        )
        text = f"{self.reps} x {amount}" if self.reps > 1 else amount
        if self.hill:
            text += " hill"
        text += f" @ {self.target.label}"
        if self.recovery is not None:
            text += f" w/ {self.recovery.describe()}"
        return text


@dataclass(frozen=True, slots=True)
class Workout:
    """A parsed workout.

    Fields:
        name: the classic's name ("Repeat 400s"), or None.
        text: text that parses back to this workout: the classic's text, or what was typed,
            tidied (at most 200 characters, fit to store).
        blocks: the blocks in order; a ladder has one block per rung.
    """

    name: str | None
    text: str
    blocks: tuple[Block, ...]

    def describe(self) -> str:
        """Every block, joined by " + "."""
        return " + ".join(self.lines())

    def lines(self) -> list[str]:
        """One line per block, like "6 x 800 m @ I w/ 400 m jog"."""
        return [block.describe() for block in self.blocks]

    @property
    def needs_goal_race(self) -> bool:
        """Whether planning needs the runner's race (some rep is timed at goal pace)."""
        return any(b.target.goal and not b.target.effort_only for b in self.blocks)


@dataclass(frozen=True, slots=True)
class Classic:
    """A well-known session, written in the grammar.

    Fields:
        name: how Pacer shows it ("Repeat 400s").
        description: one line on what it is and what it is for.
        text: the workout in the grammar; :func:`parse_workout` reads it.
        aliases: other names members type (matched ignoring case, spaces and dashes).
    """

    name: str
    description: str
    text: str
    aliases: tuple[str, ...] = ()


CLASSICS: tuple[Classic, ...] = (
    Classic(
        "Repeat 400s",
        "Ten fast 400s at R pace with full 400 m jogs: speed and running economy.",
        "10 x 400 @ R w/ 400 jog",
        ("repeat 400s", "repeat 400", "400s", "400 repeats", "400m repeats", "quarters"),
    ),
    Classic(
        "Ladder",
        "Up and down 400-800-1200-800-400 m at I pace, jogging half of each rep: VO2max work.",
        "400-800-1200-800-400 @ I w/ half jog",
        ("ladder", "ladders", "pyramid", "pyramids", "400-800-1200 ladder"),
    ),
    Classic(
        "Hill repeats",
        "Eight 60-second uphill reps at R effort, jogging back down: strength and power.",
        "8 x 60s hill @ R w/ jog down",
        ("hill repeats", "hills", "hill reps", "hill repeat", "hill workout"),
    ),
    Classic(
        "Cruise intervals",
        "Four miles at T pace with 1 min rest: Daniels' threshold staple.",
        "4 x 1 mile @ T w/ 1 min rest",
        ("cruise intervals", "cruise", "cruise interval", "cruise miles"),
    ),
    Classic(
        "Tempo",
        "20 minutes steady at T pace: comfortably hard.",
        "20 min @ T",
        ("tempo", "tempo run", "threshold run", "tempo 20"),
    ),
    Classic(
        "Goal pace",
        "Reps a little slower than, at, and a little faster than your goal race pace, "
        "so goal pace feels easier.",
        "2 x 1000 @ goal pace +6s w/ 2 min jog + 2 x 1000 @ goal pace w/ 2 min jog"
        " + 2 x 400 @ goal pace -6s w/ 400 jog",
        ("goal pace", "goal-pace set", "goal pace set", "goal pace workout", "race pace set"),
    ),
)


def classic_names() -> list[str]:
    """The classics' names, in library order, for autocomplete."""
    return [classic.name for classic in CLASSICS]


# --- the parser ---------------------------------------------------------------------------------

_FLAGS = re.IGNORECASE | re.ASCII
_CHAR_MAP: dict[int, str | None] = {
    ord("×"): "x",
    ord("–"): "-",
    ord("—"): "-",
    ord("‐"): "-",
    ord("‑"): "-",
    ord("−"): "-",
    ord("＠"): "@",
    **dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff"), None),
}
_SEPARATOR_RE = re.compile(
    r"(\s*(?:,\s*(?:and\s+)?then\b|\band\s+then\b|\bthen\b|\+|;|,)\s*)", _FLAGS
)
_THOUSANDS_RE = re.compile(r"(?<=\d),(?=\d{3}(?!\d))", _FLAGS)
_TARGET_MARK_RE = re.compile(r"\s*@\s*|(?:^|\s+)at\s+", _FLAGS)
_ADJUST_START_RE = re.compile(
    r"^\d+(?:\.\d+)?\s*(?:s|secs?|seconds?)?\s*(?:/\s*km|per\s+km)?\s*(?:$|,|w/|with\b)", _FLAGS
)
_HILL_RE = re.compile(
    r"(?:\bup\s+)?(?:\bthe\s+)?\b(?:up\s*)?hills?(?:\s+(?:repeats?|reps?|sprints?|climbs?))?\b",
    _FLAGS,
)
_REPS_RE = re.compile(r"^(\d+)\s*(?:x|\*|by\b)\s*(.*)$", _FLAGS)
_REP_WORD_RE = re.compile(r"\s*\b(?:repeats?|reps?|repetitions?|intervals?)$", _FLAGS)
_CLOCK_RE = re.compile(r"^\d{1,2}:\d{2}(?::\d{2})?$", _FLAGS)
_DURATION_RE = re.compile(
    r"""^(?:(?P<h>\d+(?:\.\d+)?)\s*(?:h|hrs?|hours?)(?![a-z])\s*)?
    (?:(?P<m>\d+(?:\.\d+)?)\s*(?:min|mins|minutes?|')(?![a-z])\s*)?
    (?:(?P<s>\d+(?:\.\d+)?)(?P<gap>\s*)(?P<su>s|secs?|seconds?|")?)?$""",
    _FLAGS | re.VERBOSE,
)
_PLURAL_DISTANCE_RE = re.compile(r"^(\d+)s$", _FLAGS)
_DISTANCE_RE = re.compile(
    r"^(?P<n>\d+(?:\.\d+)?|\.\d+)?\s*(?P<u>m|meters?|metres?|k|km|kms|kilomet(?:er|re)s?|mi|miles?)?$",
    _FLAGS,
)
_LADDER_SPLIT_RE = re.compile(r"\s*-\s*")
_UNIT_WORD_RE = re.compile(r"^[a-z'\"]+$", _FLAGS)
_BARE_NUMBER_RE = re.compile(r"^(?:\d+(?:\.\d+)?|\.\d+)$")
_NUMBER_PREFIX_RE = re.compile(r"^(?:\d+(?:\.\d+)?|\.\d+)\s*")
_RECOVERY_SEP_RE = re.compile(r"\s*,\s*|\s*w/\s*|\s+with\s+(?:an?\s+)?|\s+and\s+|\s*\(\s*", _FLAGS)
_ADJUST_RE = re.compile(
    r"^(?P<base>.*?)\s*(?P<sign>[+-])\s*(?P<num>\d+(?:\.\d+)?|\.\d+)\s*(?:s|secs?|seconds?)?"
    r"\s*(?:(?:/|per)\s*(?:km|k|kilomet(?:er|re)))?$",
    _FLAGS,
)
_PACE_WORD_RE = re.compile(r"\s*\b(?:pace|effort)$", _FLAGS)
_RACE_WORD_RE = re.compile(r"\s+race$", _FLAGS)

_ZONE_WORDS: dict[str, Zone] = {
    "e": Zone.EASY,
    "easy": Zone.EASY,
    "m": Zone.MARATHON,
    "mp": Zone.MARATHON,
    "marathon": Zone.MARATHON,
    "t": Zone.THRESHOLD,
    "threshold": Zone.THRESHOLD,
    "tempo": Zone.THRESHOLD,
    "i": Zone.INTERVAL,
    "interval": Zone.INTERVAL,
    "intervals": Zone.INTERVAL,
    "vo2": Zone.INTERVAL,
    "vo2max": Zone.INTERVAL,
    "r": Zone.REPETITION,
    "rep": Zone.REPETITION,
    "reps": Zone.REPETITION,
    "repetition": Zone.REPETITION,
    "repetitions": Zone.REPETITION,
}
_GOAL_WORDS = frozenset(
    {"goal", "goal race", "goal-race", "race", "my race", "your race", "target", "target race"}
)

_KIND_WORDS: dict[str, RecoveryKind] = {
    "jog": RecoveryKind.JOG,
    "jogs": RecoveryKind.JOG,
    "jogging": RecoveryKind.JOG,
    "easy": RecoveryKind.JOG,
    "recovery": RecoveryKind.JOG,
    "rest": RecoveryKind.REST,
    "rests": RecoveryKind.REST,
    "standing rest": RecoveryKind.REST,
    "standing": RecoveryKind.REST,
    "walk": RecoveryKind.WALK,
    "walks": RecoveryKind.WALK,
    "walking": RecoveryKind.WALK,
    "float": RecoveryKind.FLOAT,
    "floats": RecoveryKind.FLOAT,
    "floating": RecoveryKind.FLOAT,
}
_KIND_PATTERN = "|".join(sorted((re.escape(k) for k in _KIND_WORDS), key=len, reverse=True))
_KIND_FIRST_RE = re.compile(rf"^(?P<k>{_KIND_PATTERN})\s+(?P<a>.+)$", _FLAGS)
_AMOUNT_FIRST_RE = re.compile(rf"^(?P<a>.+?)\s*(?P<k>{_KIND_PATTERN})?$", _FLAGS)
_BACK_DOWN_RE = re.compile(
    r"^(?P<k>jog|jogging|walk|walking)\s+(?:back\s+down|back|down)(?:\s+(?:the\s+)?hill)?$", _FLAGS
)
_RELATIVE_RE = re.compile(
    rf"^(?P<rel>half|equal|same)(?:[\s-]+(?:the\s+)?(?:distance|time|length|duration))?"
    rf"(?:\s+(?P<k>{_KIND_PATTERN}))?$",
    _FLAGS,
)
_RECOVERY_END_RE = re.compile(rf"\b(?:{_KIND_PATTERN}|down|back)$", _FLAGS)
_RECOVERY_LEAD_RE = re.compile(r"^(?:an?|the)\s+", _FLAGS)
_RECOVERY_TAIL_RE = re.compile(
    r"\s+(?:between(?:\s+reps)?|in\s+between|after\s+each(?:\s+rep)?|each|recovery|recoveries)$",
    _FLAGS,
)


def _quote(text: str, limit: int = 60) -> str:
    shown = text if len(text) <= limit else text[: limit - 3] + "..."
    # Mentions must not fire from an echo of what the member typed.
    shown = shown.replace("@everyone", "@\u200beveryone").replace("@here", "@\u200bhere")
    return "'" + shown.replace("`", "'").replace("<@", "<\u200b@") + "'"


def _unreadable(part: str, whole: str, why: str = "") -> InvalidInput:
    where = "" if part == whole else f" in {_quote(whole)}"
    reason = f": {why}" if why else ""
    return InvalidInput(f"workout: I couldn't read {_quote(part)}{where}{reason}. {_HINT}")


def _tidy(text: str) -> str:
    lines = (" ".join(line.translate(_CHAR_MAP).split()) for line in text.splitlines())
    tidy = "; ".join(line for line in lines if line)
    return _THOUSANDS_RE.sub("", tidy)  # "1,000" is a thousand, not two parts


def _classic_key(text: str) -> str:
    key = re.sub(r"[-_/'.,!]+", " ", text.lower())
    key = " ".join(key.split())
    return key.removeprefix("the ")


_CLASSIC_BY_KEY: dict[str, Classic] = {
    key: classic
    for classic in CLASSICS
    for alias in (classic.name, *classic.aliases)
    for key in (_classic_key(alias), _classic_key(alias).replace(" ", ""))
}


def _find_classic(text: str) -> Classic | None:
    key = _classic_key(text)
    return _CLASSIC_BY_KEY.get(key) or _CLASSIC_BY_KEY.get(key.replace(" ", ""))


def parse_workout(text: str) -> Workout:
    """Read a workout: a classic's name, or reps in Pacer's grammar (see the module docstring).

    Args:
        text: what the member typed, like "6x800 @ I w/ 400 jog" or "cruise intervals".

    Returns:
        The workout; ``name`` is set when it is (or is exactly the same as) a classic.

    Raises:
        InvalidInput: if the text is empty or over 200 characters; if a part can't be read (the
            message quotes it and shows examples); if reps are outside 1-50, a rep outside 50 m to
            42.2 km or 10 s to 3 h, a race pace outside 800 m to 100 km, an adjustment over
            60 s/km; if there are more than 10 parts or 20 blocks, or 60 km or more in all.
    """
    tidy = _tidy(text)
    if not tidy:
        raise InvalidInput(f"workout: this can't be empty. {_HINT}")
    if len(tidy) > MAX_WORKOUT_TEXT:
        raise InvalidInput(
            f"workout: that's over {MAX_WORKOUT_TEXT} characters, too long for one session. {_HINT}"
        )
    classic = _find_classic(tidy)
    if classic is not None:
        return Workout(classic.name, classic.text, _parse_blocks(classic.text))
    blocks = _parse_blocks(tidy)
    return Workout(_classic_named(blocks), tidy, blocks)


def _classic_named(blocks: tuple[Block, ...]) -> str | None:
    for classic, classic_blocks in _CLASSIC_BLOCKS:
        if blocks == classic_blocks:
            return classic.name
    return None


def _split_parts(whole: str) -> list[str]:
    pieces = _SEPARATOR_RE.split(whole)
    parts: list[str] = []
    for index in range(0, len(pieces), 2):
        piece = pieces[index].strip()
        if not piece:
            continue
        separator = pieces[index - 1].strip().lower() if index else ""
        glue = bool(
            parts
            and not _TARGET_MARK_RE.search(piece)
            and _find_classic(piece) is None
            and (separator == "," or (separator == "+" and _ADJUST_START_RE.match(piece)))
        )
        if glue:
            parts[-1] += (", " if separator == "," else " +") + piece
        else:
            parts.append(piece)
    return parts


def _parse_blocks(whole: str) -> tuple[Block, ...]:
    parts = _split_parts(whole)
    if not parts:
        raise InvalidInput(f"workout: I found no reps in {_quote(whole)}. {_HINT}")
    if len(parts) > MAX_PARTS:
        raise InvalidInput(
            f"workout: that's {len(parts)} parts; a session has at most {MAX_PARTS}. {_HINT}"
        )
    blocks: list[Block] = []
    for part in parts:
        classic = _find_classic(part)
        if classic is not None:
            blocks.extend(_parse_blocks(classic.text))
        else:
            blocks.extend(_parse_part(part, whole))
        if len(blocks) > MAX_BLOCKS:
            raise InvalidInput(
                f"workout: that's more than {MAX_BLOCKS} blocks (each ladder rung is one); "
                f"split it into two sessions. {_HINT}"
            )
    result = tuple(blocks)
    _check_volume(result)
    return result


def _check_volume(blocks: tuple[Block, ...]) -> None:
    total = 0.0
    for index, block in enumerate(blocks):
        total += block.reps * _volume_of(block.distance_m, block.seconds)
        recovery = block.recovery
        if recovery is not None and recovery.kind is not RecoveryKind.REST:
            if recovery.back_down:
                each = _volume_of(block.distance_m, block.seconds)
            else:
                each = _volume_of(recovery.distance_m, recovery.seconds)
            total += _recovery_count(blocks, index) * each
    if total >= MAX_VOLUME_M:
        raise InvalidInput(
            f"workout: that's about {total / 1000:.0f} km of running (timed parts counted at "
            f"4:00/km); keep a session under {MAX_VOLUME_M / 1000:.0f} km. {_HINT}"
        )


def _volume_of(distance_m: float | None, seconds: float | None) -> float:
    if distance_m is not None:
        return distance_m
    return (seconds or 0.0) / _VOLUME_REFERENCE_S_PER_KM * 1000.0


def _recovery_count(blocks: tuple[Block, ...], index: int) -> int:
    reps = blocks[index].reps
    return reps if index < len(blocks) - 1 else reps - 1


def _parse_part(part: str, whole: str) -> list[Block]:
    hill = _HILL_RE.search(part) is not None
    text = " ".join(_HILL_RE.sub(" ", part).split()) if hill else part
    mark = _TARGET_MARK_RE.search(text)
    head = (text[: mark.start()] if mark else text).strip()
    if not head:
        raise InvalidInput(
            f"workout: {_quote(part)} needs reps before the @, like 6x800 @ I or 20 min @ T. "
            f"{_HINT}"
        )
    reps, amounts = _parse_head(head, whole)
    if mark is None:
        raise InvalidInput(
            f"workout: {_quote(part)} needs a target after @, like {head} @ I or "
            f"{head} @ 5K pace. {_HINT}"
        )
    rest = text[mark.end() :].strip()
    target_text, recovery_text = _split_target_recovery(rest, hill)
    target = _parse_target(target_text, whole, hill)
    blocks = []
    for distance_m, seconds in amounts:
        recovery = (
            None
            if recovery_text is None
            else _parse_recovery(recovery_text, whole, hill, distance_m, seconds)
        )
        blocks.append(Block(reps, distance_m, seconds, target, recovery, hill))
    return blocks


_Amount = tuple[float | None, float | None]


def _parse_head(head: str, whole: str) -> tuple[int, list[_Amount]]:
    head = _REP_WORD_RE.sub("", head).strip() or head
    match = _REPS_RE.match(head)
    reps, amount_text = (int(match.group(1)), match.group(2).strip()) if match else (1, head)
    if match and not amount_text:
        raise _unreadable(head, whole, "a rep needs a distance or time after the x, like 6x800")
    if not MIN_REPS <= reps <= MAX_REPS:
        raise InvalidInput(
            f"workout: {reps} reps in {_quote(head)} is {'too many' if reps else 'none'}: "
            f"use {MIN_REPS} to {MAX_REPS} reps, like 6x800 @ I. {_HINT}"
        )
    rungs = _LADDER_SPLIT_RE.split(amount_text)
    if len(rungs) == 1:
        return reps, [_parse_rep_amount(amount_text, whole)]
    if match:
        raise _unreadable(head, whole, "write a ladder without reps, like 400-800-1200-800-400 @ I")
    if any(not rung for rung in rungs):
        raise _unreadable(head, whole, "a ladder is amounts joined by -, like 400-800-1200")
    unit = _NUMBER_PREFIX_RE.sub("", rungs[-1])
    if _UNIT_WORD_RE.match(unit):
        rungs = [f"{r} {unit}" if _BARE_NUMBER_RE.match(r) else r for r in rungs]
    return 1, [_parse_rep_amount(rung, whole) for rung in rungs]


def _parse_rep_amount(text: str, whole: str) -> _Amount:
    amount = _parse_amount(text)
    if amount is None:
        raise _unreadable(
            text, whole, "a rep is a distance like 800 or 1 mile, or a time like 3 min or 90s"
        )
    distance_m, seconds = amount
    if distance_m is not None and not MIN_REP_M <= distance_m <= MAX_REP_M:
        size = "short" if distance_m < MIN_REP_M else "long"
        raise InvalidInput(
            f"workout: a rep of {_quote(text)} is too {size}: reps run 50 m to 42.2 km or "
            f"10 s to 3 h (write minutes as min, like 5 x 3 min @ I). {_HINT}"
        )
    if seconds is not None and not MIN_REP_SECONDS <= seconds <= MAX_REP_SECONDS:
        size = "short" if seconds < MIN_REP_SECONDS else "long"
        raise InvalidInput(
            f"workout: a rep of {_quote(text)} is too {size}: timed reps run 10 s to 3 h, "
            f"like 20 min @ T. {_HINT}"
        )
    return amount


def _parse_amount(text: str) -> _Amount | None:
    """A distance or a duration, or None when ``text`` is neither."""
    text = text.strip()
    if _CLOCK_RE.match(text):
        try:
            return None, parse_duration(text)
        except InvalidInput:
            return None
    plural = _PLURAL_DISTANCE_RE.match(text)
    if plural and int(plural.group(1)) >= 100 and int(plural.group(1)) % 100 == 0:
        return float(plural.group(1)), None  # "400s": runners' plural of 400 m reps
    duration = _DURATION_RE.match(text)
    if duration and (duration.group("h") or duration.group("m") or duration.group("su")):
        hours = float(duration.group("h") or 0)
        minutes = float(duration.group("m") or 0)
        seconds = float(duration.group("s") or 0)
        if duration.group("h") and not duration.group("m") and not duration.group("su"):
            minutes, seconds = seconds, 0.0  # "1h30" is an hour and a half
        return None, hours * 3600 + minutes * 60 + seconds
    distance = _DISTANCE_RE.match(text)
    if distance and (distance.group("n") or distance.group("u")):
        try:
            metres = parse_distance(f"{distance.group('n') or 1}{distance.group('u') or 'm'}")
        except InvalidInput:
            return None
        return metres, None
    return None


def _split_target_recovery(rest: str, hill: bool) -> tuple[str, str | None]:
    separator = _RECOVERY_SEP_RE.search(rest)
    if separator is not None:
        recovery = rest[separator.end() :].strip()
        return rest[: separator.start()].strip(), recovery or None
    if _target_or_none(rest, hill) is not None or not _RECOVERY_END_RE.search(rest):
        return rest, None
    # No "w/": the longest start that is a target, and the rest a recovery ("R 200 jog").
    spaces = [m.start() for m in re.finditer(" ", rest)]
    for space in reversed(spaces):
        if _target_or_none(rest[:space], hill) is not None:
            return rest[:space], rest[space + 1 :]
    return rest, None


def _target_or_none(text: str, hill: bool) -> PaceTarget | None:
    try:
        return _parse_target(text, text, hill)
    except InvalidInput:
        return None


def _parse_target(text: str, whole: str, hill: bool) -> PaceTarget:
    text = text.strip()
    if not text:
        raise InvalidInput(
            f"workout: a target is missing after @ in {_quote(whole)}: {_TARGET_HINT}. {_HINT}"
        )
    base, adjust = text, 0.0
    adjusted = _ADJUST_RE.match(text)
    if adjusted is not None:
        base = adjusted.group("base").strip()
        adjust = float(adjusted.group("num")) * (-1 if adjusted.group("sign") == "-" else 1)
        if abs(adjust) > MAX_ADJUST_S_PER_KM:
            raise InvalidInput(
                f"workout: {_quote(text)} adjusts the pace too much: keep it within "
                f"{MAX_ADJUST_S_PER_KM:g} s/km, like 5K pace +5s. {_HINT}"
            )
        if hill and adjust:
            raise InvalidInput(
                f"workout: hill reps are run by effort, so {_quote(text)} has no pace to "
                f"adjust. Write like 8 x 60s hill @ R w/ jog down."
            )
    key = " ".join(_PACE_WORD_RE.sub("", base).lower().split())
    if key in _GOAL_WORDS or key.replace(" ", "-") in _GOAL_WORDS:
        return PaceTarget(goal=True, adjust_s_per_km=adjust, effort_only=hill)
    zone = _ZONE_WORDS.get(key) or _ZONE_WORDS.get(key.replace(" ", ""))
    if zone is not None:
        return PaceTarget(zone=zone, adjust_s_per_km=adjust, effort_only=hill)
    race_key = _RACE_WORD_RE.sub("", key)
    if race_key == "hmp":
        race_key = "hm"
    if not race_key or len(race_key) > 40:
        raise _unreadable(text, whole, _TARGET_HINT)
    try:
        race = parse_race(race_key)
    except InvalidInput:
        raise _unreadable(text, whole, _TARGET_HINT) from None
    if not MIN_RACE_M <= race.distance_m <= MAX_RACE_M:
        raise InvalidInput(
            f"workout: race pace needs a race from 800 m to 100 km, and {_quote(text)} isn't. "
            f"Try 5K pace or 10K pace. {_HINT}"
        )
    if abs(race.distance_m - _MARATHON_M) < 0.5:
        # Daniels' M pace is the marathon race pace: one target, one label.
        return PaceTarget(zone=Zone.MARATHON, adjust_s_per_km=adjust, effort_only=hill)
    return PaceTarget(race=race, adjust_s_per_km=adjust, effort_only=hill)


def _parse_recovery(
    text: str, whole: str, hill: bool, rep_m: float | None, rep_seconds: float | None
) -> Recovery:
    original = text
    text = _RECOVERY_LEAD_RE.sub("", text.strip().removesuffix(")").strip())
    for _ in range(3):
        text = _RECOVERY_TAIL_RE.sub("", text)
    lower = text.lower()
    if lower in _KIND_WORDS:
        raise _unreadable(
            original, whole, f"say how much, like w/ 400 {_KIND_WORDS[lower].value} or w/ 90s"
        )
    back_down = _BACK_DOWN_RE.match(text)
    if back_down is not None:
        if not hill:
            raise _unreadable(
                original, whole, "jog down is for hill reps, like 8 x 60s hill @ R w/ jog down"
            )
        kind = RecoveryKind.WALK if back_down.group("k").lower().startswith("walk") else None
        return Recovery(kind or RecoveryKind.JOG)
    relative = _RELATIVE_RE.match(text)
    if relative is not None:
        kind = _KIND_WORDS[relative.group("k").lower()] if relative.group("k") else None
        share = 0.5 if relative.group("rel").lower() == "half" else 1.0
        distance_m = rep_m * share if rep_m is not None else None
        seconds = rep_seconds * share if rep_seconds is not None else None
        return _checked_recovery(kind, distance_m, seconds, original, whole)
    match = _KIND_FIRST_RE.match(text) or _AMOUNT_FIRST_RE.match(text)
    amount = _parse_amount(match.group("a")) if match else None
    if match is None or amount is None:
        raise _unreadable(original, whole, _RECOVERY_HINT)
    kind = _KIND_WORDS[match.group("k").lower()] if match.group("k") else None
    return _checked_recovery(kind, amount[0], amount[1], original, whole)


def _checked_recovery(
    kind: RecoveryKind | None,
    distance_m: float | None,
    seconds: float | None,
    text: str,
    whole: str,
) -> Recovery:
    kind = kind or RecoveryKind.JOG
    if kind is RecoveryKind.REST and distance_m is not None:
        raise _unreadable(
            text, whole, "rest is timed, like w/ 90s rest; for a distance jog, like w/ 400 jog"
        )
    if distance_m is not None and not MIN_RECOVERY_M <= distance_m <= MAX_RECOVERY_M:
        raise InvalidInput(
            f"workout: the recovery {_quote(text)} should be 25 m to 10 km, like w/ 400 jog. "
            f"{_HINT}"
        )
    if seconds is not None and not MIN_RECOVERY_SECONDS <= seconds <= MAX_RECOVERY_SECONDS:
        raise InvalidInput(
            f"workout: the recovery {_quote(text)} should be 5 s to 1 h, like w/ 90s rest. {_HINT}"
        )
    return Recovery(kind, distance_m, seconds)


def _race_label(race: Race) -> str:
    name = race.name
    return name[0].lower() + name[1:] if name[:1].isalpha() else name


def _format_distance(metres: float) -> str:
    miles = metres / MILE_M
    if miles >= 0.25 and abs(miles * 4 - round(miles * 4)) < 1e-9:
        return f"{round(miles * 4) / 4:g} mi"
    if abs(metres - round(metres)) < 1e-6:
        whole = round(metres)
        if whole > 2000 and whole % 500 == 0:
            return f"{whole / 1000:g} km"
        return f"{whole} m"
    return f"{metres:.1f} m"


def _format_seconds(seconds: float) -> str:
    if seconds % 3600 == 0:
        return f"{seconds / 3600:g} h"
    if seconds % 60 == 0:
        return f"{seconds / 60:g} min"
    if seconds < 120:
        return f"{seconds:g} s"
    return format_duration(seconds)


# --- suggestions --------------------------------------------------------------------------------

_TARGET_COMPLETIONS = ("I", "T", "R", "M", "E", "5K pace", "10K pace", "HM pace", "goal pace")
_AUTOCOMPLETE_MAX = 100  # Discord's limit on a choice's name and value


def workout_suggestions(current: str, limit: int = 25) -> list[str]:
    """Autocomplete for a workout option; never raises.

    Every suggestion is at most 100 characters and parses with :func:`parse_workout`: the text
    typed so far when it already reads, completions of a trailing "@", then classics and
    examples that match.
    """
    if limit <= 0:
        return []
    needle = " ".join(current.split())[:MAX_WORKOUT_TEXT]
    lower = needle.lower()
    found: list[str] = []
    if needle:
        try:
            parse_workout(needle)
        except InvalidInput:
            pass
        else:
            found.append(needle)
        if lower.endswith(("@", " at")):
            found += [f"{needle} {target}" for target in _TARGET_COMPLETIONS]
    key = _classic_key(needle)
    keys = {c.name: [_classic_key(n) for n in (c.name, *c.aliases)] for c in CLASSICS}
    found += [name for name, names in keys.items() if any(n.startswith(key) for n in names)]
    found += [name for name, names in keys.items() if any(key in n for n in names)]
    found += [example for example in EXAMPLES if not lower or example.lower().startswith(lower)]
    unique = list(dict.fromkeys(s for s in found if len(s) <= _AUTOCOMPLETE_MAX))
    return unique[:limit]


# --- the planner --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PlannedBlock:
    """One block with one runner's numbers.

    Fields:
        block: the block.
        s_per_km: target pace, or None for hill reps (run by effort).
        rep_seconds: each rep's time: the target time for distance reps, the duration for timed
            reps; None for distance hill reps.
        rep_distance_m: each rep's distance: the distance itself, or for timed reps how far the
            target pace covers; None for timed hill reps.
        recoveries: how many recoveries follow this block's reps (see the module docstring).
        recovery_distance_m: each recovery's distance (rest is 0), None if unknown or none.
        recovery_seconds: each recovery's time (jogs at easy pace, floats at M, walks at 6 km/h),
            None if unknown or none.
    """

    block: Block
    s_per_km: float | None
    rep_seconds: float | None
    rep_distance_m: float | None
    recoveries: int
    recovery_distance_m: float | None
    recovery_seconds: float | None

    @property
    def per_400_seconds(self) -> float | None:
        """Target time per 400 m (for splits on a track), or None for hill reps."""
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
        each = " each" if self.block.reps > 1 else ""
        if distance_m is None:
            return f"{line}: {self.target_text}{each} ({pace})"
        splits = ""
        if 400 < distance_m <= 2000 and self.per_400_seconds is not None:
            splits = f", {format_duration(self.per_400_seconds)} per 400"
        return f"{line}: {self.target_text}{each} ({pace}{splits})"


@dataclass(frozen=True, slots=True)
class WorkoutPlan:
    """A workout with one runner's target times and the session's totals.

    Fields:
        workout: the workout.
        vdot: the runner's VDOT.
        goal_race: the runner's race, used for goal pace (None if not given).
        blocks: the planned blocks, in order.
        work_distance_m: distance of all reps (timed reps: covered at target pace).
        recovery_distance_m: distance jogged, walked or floated between reps (rest counts 0).
        work_seconds: time of all reps.
        recovery_seconds: time of all recoveries (estimated for distance recoveries).
        complete: False when some hill reps have no known distance or time, so the totals
            count only what is known.
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

    def summary(self) -> str:
        """Like "About 6.8 km (4.8 km of reps) in about 29 min".

        When hill reps leave a distance or time unknown, it says only what is known.
        """
        minutes = max(1, round(self.total_seconds / 60))
        if self.complete:
            return (
                f"About {self.total_distance_m / 1000:.1f} km "
                f"({self.work_distance_m / 1000:.1f} km of reps) in about {minutes} min"
            )
        known = []
        if self.total_distance_m >= 50:
            known.append(f"{self.total_distance_m / 1000:.1f} km")
        if self.total_seconds >= 30:
            known.append(f"{minutes} min")
        if not known:
            return "Hill reps go by effort, so there are no totals"
        return f"Hill reps go by effort: at least {' and '.join(known)}"


def plan_workout(workout: Workout, vdot: float, goal_race: Race | None) -> WorkoutPlan:
    """Each rep's target for one runner, and the session's totals.

    Zones come from :func:`~bot.domain.pace.training_paces` (E is the middle of the easy range),
    race paces from :func:`~bot.domain.pace.race_time`, goal pace from ``goal_race`` at ``vdot``.

    Args:
        workout: a parsed workout.
        vdot: the runner's VDOT (from their race, or their saved profile).
        goal_race: the runner's own race, for "goal pace"; may be None if no rep needs it.

    Returns:
        The plan.

    Raises:
        InvalidInput: if a rep is at goal pace and ``goal_race`` is None.
        ValueError: if ``vdot`` is not a positive number (a bug: VDOTs come from checked races).
    """
    if not math.isfinite(vdot) or vdot <= 0:
        raise ValueError("vdot must be a positive number")
    paces = training_paces(vdot)
    blocks = workout.blocks
    planned = []
    work_m = work_s = recovery_m = recovery_s = 0.0
    complete = True
    for index, block in enumerate(blocks):
        s_per_km = _target_pace(block.target, paces, vdot, goal_race)
        rep_m: float | None = block.distance_m
        rep_s: float | None = block.seconds
        if rep_m is None and rep_s is not None and s_per_km is not None:
            rep_m = rep_s / s_per_km * 1000.0
        elif rep_s is None and rep_m is not None and s_per_km is not None:
            rep_s = time_for(s_per_km, rep_m)
        count = _recovery_count(blocks, index)
        each_m, each_s = _plan_recovery(block.recovery, rep_m, paces)
        planned.append(PlannedBlock(block, s_per_km, rep_s, rep_m, count, each_m, each_s))
        complete = complete and rep_m is not None and rep_s is not None
        work_m += block.reps * (rep_m or 0.0)
        work_s += block.reps * (rep_s or 0.0)
        if block.recovery is not None and count:
            complete = complete and each_m is not None and each_s is not None
            recovery_m += count * (each_m or 0.0)
            recovery_s += count * (each_s or 0.0)
    return WorkoutPlan(
        workout, vdot, goal_race, tuple(planned), work_m, recovery_m, work_s, recovery_s, complete
    )


def _target_pace(
    target: PaceTarget, paces: TrainingPaces, vdot: float, goal_race: Race | None
) -> float | None:
    if target.effort_only:
        return None
    if target.zone is not None:
        base = paces.s_per_km(target.zone)
    elif target.race is not None:
        base = race_time(vdot, target.race.distance_m) / (target.race.distance_m / 1000.0)
    else:
        if goal_race is None:
            raise InvalidInput(GOAL_RACE_NEEDED)
        base = race_time(vdot, goal_race.distance_m) / (goal_race.distance_m / 1000.0)
    return base + target.adjust_s_per_km


def _plan_recovery(
    recovery: Recovery | None, rep_m: float | None, paces: TrainingPaces
) -> tuple[float | None, float | None]:
    if recovery is None:
        return None, None
    if recovery.kind is RecoveryKind.REST:
        return 0.0, recovery.seconds
    s_per_km = {
        RecoveryKind.JOG: paces.s_per_km(Zone.EASY),
        RecoveryKind.FLOAT: paces.marathon_s_per_km,
        RecoveryKind.WALK: WALK_S_PER_KM,
    }[recovery.kind]
    distance_m = rep_m if recovery.back_down else recovery.distance_m
    if distance_m is not None:
        return distance_m, time_for(s_per_km, distance_m)
    if recovery.seconds is not None:
        return recovery.seconds / s_per_km * 1000.0, recovery.seconds
    return None, None


# The classics, read by the same parser as anything a member types.
_CLASSIC_BLOCKS: tuple[tuple[Classic, tuple[Block, ...]], ...] = tuple(
    (classic, _parse_blocks(classic.text)) for classic in CLASSICS
)
