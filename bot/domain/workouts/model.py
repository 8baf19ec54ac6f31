"""The structured workout: targets, recoveries, blocks of identical reps and repeated sets.

This is what the parser builds and what ``/pace workout``, "My paces" and watch files show:
sets stay sets here; :mod:`bot.domain.workouts.flat` expands them for checks.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from bot.domain.pace import MILE_M, Zone
from bot.domain.parsing import Race, format_duration


class RecoveryKind(StrEnum):
    """How a runner recovers between reps."""

    JOG = "jog"
    REST = "rest"
    WALK = "walk"
    FLOAT = "float"


class Part(StrEnum):
    """Where a block sits in the session."""

    WARMUP = "warmup"
    WORK = "work"
    COOLDOWN = "cooldown"


@dataclass(frozen=True, slots=True)
class PaceTarget:
    """What a rep is run at: exactly one base, optionally adjusted.

    Fields:
        zone: a Daniels zone (E, M, T, I, R; Daniels' H is I effort, labelled "H").
        race: a race whose equivalent pace is the target ("5K pace").
        race_to: with ``race``, the other end of "between 10K and 5K pace" (the middle is used).
        goal: the runner's goal race pace (their recent race when no goal is saved); with
            ``race``, the goal pace over that distance ("goal 10K pace").
        goal_marathon: the goal marathon pace ("goal marathon pace", "GMP").
        yasso: Yasso 800s: each 800 in the goal marathon's hours:minutes as minutes:seconds.
        explicit_s_per_km: a pace the coach wrote ("@ 1:30" per 400 becomes 225 s/km).
        effort: an effort word with no pace ("hard", "all-out", "stride").
        adjust_s: seconds added per ``adjust_per_m`` metres (negative is faster).
        adjust_per_m: 1000 (per km), 1609.344 (per mile), or None: the runner's unit.
        effort_only: run by feel at that intensity, no time (hill reps, effort words).
        word: how the coach named it, when that differs from the plain label ("H", "LT").
        assumed: no target was written; Pacer chose this one (see the grammar's defaults).
    """

    zone: Zone | None = None
    race: Race | None = None
    goal: bool = False
    adjust_s_per_km: float = 0.0
    effort_only: bool = False
    race_to: Race | None = None
    goal_marathon: bool = False
    yasso: bool = False
    explicit_s_per_km: float | None = None
    effort: str | None = None
    adjust_per_m: float | None = 1000.0
    word: str | None = None
    assumed: bool = field(default=False, compare=False)

    def __post_init__(self) -> None:
        bases = (
            (self.zone is not None)
            + (self.race is not None and not self.goal)
            + self.goal
            + self.goal_marathon
            + self.yasso
            + (self.explicit_s_per_km is not None)
            + (self.effort is not None)
        )
        if bases != 1:
            raise ValueError("a target has exactly one base")
        if self.race_to is not None and self.race is None:
            raise ValueError("race_to needs race")

    @property
    def adjust_s(self) -> float:
        """The adjustment as written (in seconds per ``adjust_per_m``)."""
        return self.adjust_s_per_km

    @property
    def needs_goal(self) -> bool:
        """Whether the pace depends on the runner's goal race."""
        return not self.effort_only and (self.goal or self.goal_marathon or self.yasso)

    @property
    def label(self) -> str:
        """How the target reads: "I", "5K pace", "goal pace +6 s/km", "R effort", "hard"."""
        if self.effort is not None:
            return self.effort
        if self.goal and self.race is not None:
            text = f"goal {_race_label(self.race)} {'effort' if self.effort_only else 'pace'}"
        elif self.zone is not None:
            base = self.word or self.zone.value
            text = f"{base} effort" if self.effort_only else base
        elif self.race is not None and self.word is not None:
            text = self.word
        elif self.race is not None:
            base = _race_label(self.race)
            if self.race_to is not None:
                base = f"between {_race_label(self.race)} and {_race_label(self.race_to)}"
            text = f"{base} effort" if self.effort_only else f"{base} pace"
        elif self.explicit_s_per_km is not None:
            text = self.word or f"{format_duration(self.explicit_s_per_km)}/km"
        elif self.yasso:
            text = "Yasso pace"
        elif self.goal_marathon:
            text = "goal marathon effort" if self.effort_only else "goal marathon pace"
        else:
            text = "goal-race effort" if self.effort_only else "goal pace"
        if self.adjust_s_per_km and not self.effort_only:
            sign = "+" if self.adjust_s_per_km > 0 else "-"
            unit = {1000.0: "/km", MILE_M: "/mi"}.get(self.adjust_per_m or 0.0, "")
            text += f" {sign}{abs(self.adjust_s_per_km):g} s{unit}"
        return text


@dataclass(frozen=True, slots=True)
class Recovery:
    """The recovery after a rep.

    Fields:
        kind: jog, rest, walk or float.
        distance_m: how far, or None.
        seconds: how long, or None.
        time_share: a share of the rep's time ("equal-time jog" is 1.0), known once planned.
        sendoff_seconds: reps start this often ("starting one minute apart"): the rest is what
            the rep leaves of it.
        With none of these set it is back down the hill (hill reps).
    """

    kind: RecoveryKind
    distance_m: float | None = None
    seconds: float | None = None
    time_share: float | None = None
    sendoff_seconds: float | None = None

    def __post_init__(self) -> None:
        given = [
            v
            for v in (self.distance_m, self.seconds, self.time_share, self.sendoff_seconds)
            if v is not None
        ]
        if len(given) > 1:
            raise ValueError("a recovery has one amount")

    @property
    def back_down(self) -> bool:
        """Whether this is "jog back down" the hill (its distance is the rep's)."""
        return (
            self.distance_m is None
            and self.seconds is None
            and self.time_share is None
            and self.sendoff_seconds is None
        )

    def describe(self) -> str:
        """Like "400 m jog", "1 min rest", "equal-time jog" or "jog back down"."""
        if self.distance_m is not None:
            return f"{format_distance(self.distance_m)} {self.kind.value}"
        if self.seconds is not None:
            return f"{format_seconds(self.seconds)} {self.kind.value}"
        if self.time_share is not None:
            share = "equal" if self.time_share == 1 else f"{self.time_share:g}x"
            return f"{share}-time {self.kind.value}"
        if self.sendoff_seconds is not None:
            return f"starting every {format_seconds(self.sendoff_seconds)}"
        return f"{self.kind.value} back down"


@dataclass(frozen=True, slots=True)
class Block:
    """Identical reps: ``reps`` times a distance or a time.

    Fields:
        reps: how many reps (1-50); for a range ("4-5 x"), the low end (see ``reps_max``).
        distance_m: each rep's distance, or None for timed reps.
        seconds: each rep's duration, or None for distance reps (exactly one of the two is set,
            except a warm-up or cool-down written without an amount, like "CD").
        target: what each rep is run at.
        recovery: what follows each rep, or None.
        hill: uphill reps, run by effort.
        part: warm-up, work or cool-down.
        reps_max: the high end of a written range, or None.
        targets: one target per rep when the coach listed them (progressions), else empty.
        recoveries: one recovery per gap when they change (decreasing rests), else empty.
        cutdown: each rep faster than the last, with no paces written.
    """

    reps: int
    distance_m: float | None
    seconds: float | None
    target: PaceTarget
    recovery: Recovery | None = None
    hill: bool = False
    part: Part = Part.WORK
    reps_max: int | None = None
    targets: tuple[PaceTarget, ...] = ()
    recoveries: tuple[Recovery | None, ...] = ()
    cutdown: bool = False

    def __post_init__(self) -> None:
        both_none = self.distance_m is None and self.seconds is None
        if (self.distance_m is not None and self.seconds is not None) or (
            both_none and self.part is Part.WORK
        ):
            raise ValueError("a block has a distance or a time per rep, exactly one")

    def target_of(self, index: int) -> PaceTarget:
        """The target of rep ``index`` (0-based)."""
        if self.targets:
            return self.targets[min(index, len(self.targets) - 1)]
        return self.target

    def recovery_after(self, index: int) -> Recovery | None:
        """The recovery after rep ``index`` (0-based)."""
        if self.recoveries:
            return self.recoveries[min(index, len(self.recoveries) - 1)]
        return self.recovery

    def amount_text(self) -> str:
        """Like "800 m", "3 min", or "" for a warm-up written without an amount."""
        if self.distance_m is not None:
            return format_distance(self.distance_m)
        if self.seconds is not None:
            return format_seconds(self.seconds)
        return ""

    def describe(self) -> str:
        """Like "6 x 800 m @ I w/ 400 m jog" (reads back through the parser)."""
        amount = self.amount_text()
        if self.part is not Part.WORK:
            word = "warm-up" if self.part is Part.WARMUP else "cool-down"
            return f"{amount} {word}".strip() if amount else word
        count = f"{self.reps}-{self.reps_max}" if self.reps_max else str(self.reps)
        text = f"{count} x {amount}" if self.reps > 1 or self.reps_max else amount
        if self.hill:
            text += " hill"
        if self.cutdown:
            text += " cut-down"
        if self.targets and not (self.targets[0].word or "").startswith("cut-down"):
            text += " (" + ", ".join(t.label for t in self.targets) + ")"
        elif (word := self.target.word or "").startswith("cut-down"):
            text += f" ({word.replace('cut-down ', 'step ')})"
        elif not self.targets:
            text += f" @ {self.target.label}"
        if self.recoveries:
            text += " w/ " + ", ".join(r.describe() if r else "no rest" for r in self.recoveries)
        elif self.recovery is not None:
            text += f" w/ {self.recovery.describe()}"
        return text


@dataclass(frozen=True, slots=True)
class RepeatSet:
    """A group of blocks run ``times`` times, with ``between`` after each but the last.

    Fields:
        times: how many times (for a range, the low end; see ``times_max``).
        items: what one set holds, in order (blocks or nested sets).
        between: the set break, or None (then each set's last recovery is kept).
        times_max: the high end of a written range, or None.
    """

    times: int
    items: tuple[Block | RepeatSet, ...]
    between: Recovery | None = None
    times_max: int | None = None

    def blocks(self) -> list[Block]:
        """The blocks inside, once each, in order."""
        found: list[Block] = []
        for item in self.items:
            found.extend(item.blocks() if isinstance(item, RepeatSet) else [item])
        return found

    def describe(self) -> str:
        """Like "2 x (4 x 400 m @ R w/ 400 m jog) w/ 800 m jog"."""
        inner = " + ".join(item.describe() for item in self.items)
        count = f"{self.times}-{self.times_max}" if self.times_max else str(self.times)
        text = f"{count} x ({inner})"
        if self.between is not None:
            text += f" w/ {self.between.describe()} between sets"
        return text


Item = Block | RepeatSet


@dataclass(frozen=True, slots=True)
class Workout:
    """A parsed workout.

    Fields:
        name: the named session ("Yasso 800s"), or None.
        text: text that parses back to this workout: the classic's text, or what was typed,
            tidied (fit to store).
        items: blocks and sets in order.
        notes: what Pacer decided that the text left open (a range's low end, a default target).
    """

    name: str | None
    text: str
    items: tuple[Item, ...]
    notes: tuple[str, ...] = ()

    @property
    def blocks(self) -> tuple[Block, ...]:
        """Every block, once each, in order (a set's blocks appear once)."""
        found: list[Block] = []
        for item in self.items:
            found.extend(item.blocks() if isinstance(item, RepeatSet) else [item])
        return tuple(found)

    def describe(self) -> str:
        """Every item, joined by " + "."""
        return " + ".join(self.lines())

    def lines(self) -> list[str]:
        """One line per item, like "6 x 800 m @ I w/ 400 m jog"."""
        return [item.describe() for item in self.items]

    @property
    def needs_goal_race(self) -> bool:
        """Whether planning needs the runner's race (some rep is timed at goal pace)."""
        return any(t.needs_goal for b in self.blocks for t in (b.target, *b.targets))


def _race_label(race: Race) -> str:
    name = race.name
    return name[0].lower() + name[1:] if name[:1].isalpha() else name


def format_distance(metres: float) -> str:
    """A rep distance as coaches write it: "400 m", "1 mi", "0.75 mi", "5 km", "440 yd"."""
    miles = metres / MILE_M
    if miles >= 0.25 and abs(miles * 4 - round(miles * 4)) < 1e-9:
        return f"{round(miles * 4) / 4:g} mi"
    yards = metres / 0.9144
    if abs(yards - round(yards)) < 1e-6 and round(yards) % 10 == 0 and metres % 1 > 1e-6:
        return f"{round(yards)} yd"
    if abs(metres - round(metres)) < 1e-6:
        whole = round(metres)
        if whole > 2000 and whole % 500 == 0:
            return f"{whole / 1000:g} km"
        return f"{whole} m"
    return f"{metres:.1f} m"


def format_seconds(seconds: float) -> str:
    """A rep or rest time: "90 s", "3 min", "1 h", "2:30"."""
    if seconds % 3600 == 0:
        return f"{seconds / 3600:g} h"
    if seconds % 60 == 0:
        return f"{seconds / 60:g} min"
    if seconds < 120:
        return f"{seconds:g} s"
    return format_duration(seconds)
