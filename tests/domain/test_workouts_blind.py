"""A blind corpus: 60 workouts written the way real sources write them (Daniels' Running Formula
tables and 2Q plans, Pfitzinger's Advanced Marathoning, Hansons, Higdon, Runner's World, club track
sheets, LetsRun/Reddit posts, high-school XC sheets), written without looking at the other corpora,
each with its meaning for a 22:30 5K runner (VDOT 43.4) in workout_meaning.py's notation.

Send-offs ("every", "apart", "on the minute") are checked as a rest shorter than the send-off.
The last rep before a cool-down has no recovery: the cool-down follows it.
``GAPS`` names the workouts Pacer does not read right yet, each with the reason; every other row
must read as its meaning.
"""

from __future__ import annotations

import pytest

from bot.domain.workouts import FlatPart, flat_plan
from bot.errors import InvalidInput
from tests.domain.workout_meaning import _check, alternatives

T, INT, R, M = "T 4:46/km", "I 4:24/km", "R 1:38/400", "M 5:05/km"
K5, K10, HM, MILE, K3 = "5K 4:30/km", "10K 4:40/km", "HM 4:54/km", "mile 4:07/km", "3K 4:21/km"
#: Hansons' MP-10s is per mile: 8:11/mi - 10 s = 8:01/mi, 4:59/km.
MP10 = "MP-10s/mi 4:59/km"

BLIND: list[tuple[str, str, str]] = [
    ("daniels-cruise-miles", "5 x 1 mile @ T w/ 1 min rest", f"5 x 1mi @ {T} / 60s rest"),
    ("daniels-i-1000", "5 x 1000m at I pace with 3 min jog", f"5 x 1000m @ {INT} / 180s jog"),
    ("daniels-r-200", "8 x 200 R w/ 200 jog", f"8 x 200m @ {R} / 200m jog"),
    ("daniels-h-3min", "6 x 3 min H w/ 2 min jg", "6 x 3min @ Daniels H / 120s jog"),
    (
        "daniels-2q-e-t-e",
        "2 E + 3 x 1 mi T w/ 1 min rests + 2 E",
        f"2mi @ easy + 3 x 1mi @ {T} / 60s rest x2, no recovery + 2mi @ easy",
    ),
    ("daniels-20-t", "20 min T", f"20min @ {T}"),
    ("daniels-2x15-t", "2 x 15 min T w/ 3 min rest", f"2 x 15min @ {T} / 180s rest"),
    ("daniels-6k-m", "6 km @ M", f"6km @ {M}"),
    ("daniels-5x5-i", "5 x 5 min @ I pace w/ 4 min jog", f"5 x 5min @ {INT} / 240s jog"),
    (
        "daniels-r-400-200",
        "4 x 400 R w/ 400 jg + 4 x 200 R w/ 200 jg",
        f"4 x 400m @ {R} / 400m jog + 4 x 200m @ {R} / 200m jog",
    ),
    ("pfitz-lt-label", "Lactate threshold: 4 mi @ LT", f"4mi @ {T}"),
    (
        "pfitz-vo2-1000",
        "5 x 1000m @ 5K race pace, 400m jog recovery",
        f"5 x 1000m @ {K5} / 400m jog",
    ),
    ("pfitz-hmp-5k", "2 x 5 km @ HMP, 3 min jog", f"2 x 5km @ {HM} / 180s jog"),
    ("pfitz-strides", "10 x 100m strides", "10 x 100m @ strides / ?"),
    ("hansons-speed-1mi", "6 x 1 mile @ 10K pace w/ 400m jog", f"6 x 1mi @ {K10} / 400m jog"),
    (
        "hansons-strength-2mi",
        "3 x 2 miles @ MP-10s w/ 800m jog",
        f"3 x 2mi @ {MP10} / 800m jog",
    ),
    ("hansons-speed-400", "12 x 400m @ 5K pace w/ 400m jog", f"12 x 400m @ {K5} / 400m jog"),
    ("hansons-tempo", "8 miles @ MP", f"8mi @ {M}"),
    ("higdon-400s", "8 x 400 5K pace", f"8 x 400m @ {K5} / ?"),
    ("higdon-hills", "Hills: 8 x 60 sec uphill, jog down", "8 x 60s hill @ hard / back down"),
    ("yasso-800s", "10 x 800 Yasso w/ 400 jog", "10 x 800m @ goal marathon time / 400m jog"),
    (
        "mona-fartlek",
        "Mona fartlek",
        "2 x 90s @ hard / 90s float + 4 x 60s @ hard / 60s float"
        " + 4 x 30s @ hard / 30s float + 4 x 15s @ hard / 15s float",
    ),
    ("fartlek-on-off", "10 x 1 min on / 1 min off", "10 x 1min @ hard / 60s"),
    (
        "pyramid-minutes",
        "1-2-3-4-3-2-1 min w/ equal jog",
        "1min @ hard / 60s jog + 2min @ hard / 120s jog + 3min @ hard / 180s jog"
        " + 4min @ hard / 240s jog + 3min @ hard / 180s jog + 2min @ hard / 120s jog"
        " + 1min @ hard / 60s jog",
    ),
    (
        "club-sets-400-300-200",
        "3 x (400, 300, 200) @ mile pace w/ 100 jog, 400 jog between sets",
        f"9 x 100m @ {MILE} / 100m jog",  # placeholder replaced below
    ),
    (
        "club-sets-3x3x300",
        "3 x (3 x 300 @ R, 300 jog), 5 min between sets",
        f"9 x 300m @ {R} / 300m jog x2, 300s, 300m jog x2, 300s, 300m jog x2",
    ),
    (
        "range-800-i",
        "4-6 x 800m @ I w/ 2 min jog",
        f"4 x 800m @ {INT} / 120s jog | OR | 5 x 800m @ {INT} / 120s jog"
        f" | OR | 6 x 800m @ {INT} / 120s jog",
    ),
    (
        "range-miles-t",
        "3-4 x 1 mile @ T, 1 min rest",
        f"3 x 1mi @ {T} / 60s rest | OR | 4 x 1mi @ {T} / 60s rest",
    ),
    ("yards-440", "6 x 440 yds @ 5K pace w/ 220 yd jog", f"6 x 440yd @ {K5} / 220yd jog"),
    ("half-mile", "4 x 1/2 mile @ 10K pace, 1/4 mile jog", f"4 x 0.5mi @ {K10} / 0.25mi jog"),
    ("apostrophe-800s", "6 800's @ 3K pace w/ 2:00 rest", f"6 x 800m @ {K3} / 120s rest"),
    ("seconds-quote", '8 x 90" hard w/ 90" easy', "8 x 90s @ hard / 90s"),
    ("explicit-400", "10 x 400 @ 1:40 w/ 200 jog", "10 x 400m @ 1:40/400 / 200m jog"),
    (
        "explicit-mile-range",
        "3 x mile @ 7:05-7:10, 3 min jog",
        "3 x 1mi @ explicit 7:05-7:10 per mile / 180s jog",
    ),
    ("m.ss-per-km", "5 x 1km @ 4.20/km, 90s rest", "5 x 1km @ 4:20/km / 90s rest"),
    ("hmp-3mi", "2 x 3 mi @ HMP w/ 1 mi jog", f"2 x 3mi @ {HM} / 1mi jog"),
    ("10kp-2k-prime", "5 x 2k @ 10KP, 2' jog", f"5 x 2km @ {K10} / 120s jog"),
    (
        "between-10k-5k",
        "6 x 1k between 10K and 5K pace, 90 sec jog",
        "6 x 1km @ between 10K and 5K / 90s jog",
    ),
    (
        "cut-down-miles",
        "4 x 1 mile cut-down from MP to 10K pace, 3 min jog",
        "4 x 1mi @ each rep faster / 180s jog",
    ),
    (
        "wu-cd-miles",
        "2 mi WU, 6 x 800 @ I w/ 400 jog, 2 mi CD",
        f"2mi @ easy + 6 x 800m @ {INT} / 400m jog x5, no recovery + 2mi @ easy",
    ),
    (
        "wu-cd-minutes",
        "15 min easy, 4 x 5 min @ T w/ 1 min rest, 10 min easy",
        f"15min @ easy + 4 x 5min @ {T} / 60s rest x3, no recovery + 10min @ easy",
    ),
    ("strides-20s", "6 x 20 sec strides", "6 x 20s @ strides / ?"),
    ("hill-sprints", "8 x 10 sec hill sprints, walk back", "8 x 10s hill @ all-out / ?"),
    ("sendoff-every-2min", "8 x 300 @ mile pace every 2 min", f"8 x 300m @ {MILE} / 120s"),
    (
        "decreasing-rests",
        "4 x 1200 @ I with 3, 2, 1 min rest",
        f"4 x 1200m @ {INT} / 180s, 120s, 60s",
    ),
    ("pipe-recovery", "5 x 1000m @ 5K | 2 min recovery", f"5 x 1000m @ {K5} / 120s"),
    (
        "target-after-list",
        "400, 800, 1200, 800, 400 all at 5K pace w/ 400 jog",
        f"400m @ {K5} / 400m jog + 800m @ {K5} / 400m jog + 1200m @ {K5} / 400m jog"
        f" + 800m @ {K5} / 400m jog + 400m @ {K5}",
    ),
    ("label-threshold", "Threshold: 3 x 10 min, 2 min jog", f"3 x 10min @ {T} / 120s jog"),
    ("reddit-6x1k", "6x1k @ 5k pace, 2:30 jog rest", f"6 x 1km @ {K5} / 150s jog"),
    ("letsrun-20x400-in", "20 x 400 in 95 w/ 60 sec rest", "20 x 400m @ 1:35/400 / 60s rest"),
    ("xc-mile-explicit", "3 x mile @ 6:50, 400 jog", "3 x 1mi @ 6:50/mi / 400m jog"),
    (
        "rw-ladder",
        "Ladder: 200, 400, 600, 800, 600, 400, 200 at 5K pace with 200m jog",
        f"200m @ {K5} / 200m jog + 400m @ {K5} / 200m jog + 600m @ {K5} / 200m jog"
        f" + 800m @ {K5} / 200m jog + 600m @ {K5} / 200m jog + 400m @ {K5} / 200m jog"
        f" + 200m @ {K5}",
    ),
    ("3k-600s", "6 x 600 @ 3K pace, 2 min jog", f"6 x 600m @ {K3} / 120s jog"),
    ("mile-300-walk", "4 x 300m @ mile pace, 300m walk", f"4 x 300m @ {MILE} / 300m walk"),
    ("hard-easy-min", "10 x 1 min hard, 1 min easy", "10 x 60s @ hard / 60s"),
    (
        "tempo-wu-cd",
        "Tempo: 2 mi WU, 3 mi @ T, 2 mi CD",
        f"2mi @ easy + 3mi @ {T} + 2mi @ easy",
    ),
    (
        "two-blocks",
        "2 x 2 mi @ 10K pace w/ 3 min rest, then 4 x 400 @ mile pace w/ 400 jog",
        f"2 x 2mi @ {K10} / 180s rest + 4 x 400m @ {MILE} / 400m jog",
    ),
    (
        "sets-of-200",
        "3 sets of 4 x 200 @ R, 200 jog, 600 jog between sets",
        f"12 x 200m @ {R} / 200m jog x3, 600m jog, 200m jog x3, 600m jog, 200m jog x3",
    ),
    ("mp-quarter-jog", "4 x 1 mi @ MP w/ 1/4 mi jog", f"4 x 1mi @ {M} / 0.25mi jog"),
    ("400s-at-5k", "8x400's @ 5k", f"8 x 400m @ {K5} / ?"),
]

_SETS_400_300_200 = " + ".join(
    [f"400m @ {MILE} / 100m jog + 300m @ {MILE} / 100m jog + 200m @ {MILE} / 400m jog"] * 2
    + [f"400m @ {MILE} / 100m jog + 300m @ {MILE} / 100m jog + 200m @ {MILE}"]
)
BLIND = [
    (name, text, _SETS_400_300_200 if name == "club-sets-400-300-200" else meaning)
    for name, text, meaning in BLIND
]

#: Workouts Pacer does not read right yet, with the reason.
GAPS: dict[str, str] = {
    "pyramid-minutes": (
        "a minutes pyramid with no target is planned at 5K pace (the grammar's default for "
        "untargeted reps); this meaning says effort only. A judgment call, left for the lead."
    ),
    "cut-down-miles": (
        "a cut-down between two named paces ('from MP to 10K pace') is refused: a target that "
        "steps each rep from one pace to another needs a new PaceTarget shape, not a regex."
    ),
}


def wrong(text: str, meaning: str) -> list[str]:
    """What reads wrong, or [] when the workout reads as its meaning."""
    try:
        parts: list[FlatPart] = flat_plan(text, race_distance_m=5000.0, race_seconds=1350.0)
    except InvalidInput as error:
        return [f"refused: {error}"]
    lowered = text.lower()
    sendoff = any(w in lowered for w in ("apart", "every", "on the minute"))
    found: list[list[str]] = []
    for expected in alternatives(meaning):
        found.append(_check(expected, parts, sendoff))
        if not found[-1]:
            return []
    return min(found, key=len)


def test_the_corpus_has_sixty_distinct_workouts() -> None:
    assert len(BLIND) == 60
    assert len({name for name, _, _ in BLIND}) == 60
    assert set(GAPS) <= {name for name, _, _ in BLIND}


CHECKED = [row for row in BLIND if row[0] not in GAPS]


@pytest.mark.parametrize("row", CHECKED, ids=[r[0] for r in CHECKED])
def test_blind_workout_reads_as_its_meaning(row: tuple[str, str, str]) -> None:
    assert wrong(row[1], row[2]) == []


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("6 x 1k @ 5K pace, 2:30 jog rest", "jog"),
        ("6 x 1k @ 5K pace, 90s walk break", "walk"),
        ("6 x 1k @ 5K pace, 200m float rest", "float"),
        ("6 x 1k @ 5K pace, 2 min rest", "rest"),
        ("6 x 1k @ 5K pace, 2 min standing rest", "rest"),
    ],
)
def test_a_way_of_moving_outranks_the_word_rest(text: str, kind: str) -> None:
    parts = flat_plan(text, race_distance_m=5000.0, race_seconds=1350.0)
    assert parts[0].recovery is not None
    assert parts[0].recovery.kind == kind


def test_all_at_after_a_list_targets_every_rep() -> None:
    text = "400, 800, 1200 all at 5K pace w/ 400 jog"
    parts = flat_plan(text, race_distance_m=5000.0, race_seconds=1350.0)
    assert [p.distance_m for p in parts] == [400.0, 800.0, 1200.0]
    assert all(p.s_per_km is not None and abs(p.s_per_km - 270.0) < 2 for p in parts)
