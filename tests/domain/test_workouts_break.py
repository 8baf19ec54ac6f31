"""A third corpus of real-style workouts, written the way coaching books, plans, clubs and forums
write them (Daniels, Pfitzinger, Hansons, Higdon, club boards, letsrun), none copied from the
shared file or Pacer's own corpus, each with its meaning for a 22:30 5K runner (VDOT 43.4).

The meaning notation is shared/reference/workouts-real.md's (see tests/domain/workout_meaning.py).
Send-offs ("every 90 seconds", "on the minute", "apart") are checked as a rest shorter than the
send-off; a fourth column gives a goal race ("M 3:30:00") where the workout is about one.
"""

from __future__ import annotations

import pytest

from bot.domain.pace import MILE_M
from bot.domain.workouts import FlatPart, daniels_warnings, flat_plan, parse_workout, plan_workout
from bot.errors import InvalidInput
from tests.domain.workout_meaning import VDOT, _check, alternatives

# (id, text, meaning[, goal])
BREAK: list[tuple[str, ...]] = [
    # Daniels' day notation and zones, H included
    ("B01", "2 x 3 mi T w/ 2 min rest", "2 x 3mi @ T 4:46/km / 2min rest"),
    ("B02", "6 x 1k I w/ 2:30 jg", "6 x 1000m @ I 4:24/km / 150s jog"),
    ("B03", "8 x 200 R w/ 200 jg", "8 x 200m @ R 1:37/400 / 200m jog"),
    ("B04", "6 x 2 min H w/ 1 min jg", "6 x 2min @ Daniels H / 1min jog"),
    ("B05", "5 x 4 min @ H, 3 min jg", "5 x 4min @ Daniels H / 3min jog"),
    # Daniels' "2 E": miles in a plan in miles, else the runner's kilometres (Pacer's rule).
    ("B06", "2 E + 20 min T + 2 E", "2km @ easy + 20min @ T 4:46/km + 2km @ easy"),
    ("B07", "3 x 8 min T (2 min rest)", "3 x 8min @ T 4:46/km / 2min rest"),
    ("B08", "6 x 5 min T w/ 1 min rests", "6 x 5min @ T 4:46/km / 1min rest"),
    (
        "B09",
        "2 x (8 x 200 R w/ 200 jg) w/ 800 jg",
        "7 x 200m @ R 1:37/400 / 200m jog + 200m @ R 1:37/400 / 800m jog"
        " + 7 x 200m @ R 1:37/400 / 200m jog + 200m @ R 1:37/400",
    ),
    ("B10", "40 min M", "40min @ M 5:05/km"),
    ("B11", "10 x 400 R w/ 400 jg", "10 x 400m @ R 1:37/400 / 400m jog"),
    ("B12", "5 x 1 mi @ T pace, 1 min rest between", "5 x 1mi @ T 4:46/km / 1min rest"),
    ("B13", "4 x 1000m at I pace w/ 3 min jog recoveries", "4 x 1000m @ I 4:24/km / 3min jog"),
    # Pfitzinger
    ("B14", "Lactate threshold 8 mi w/ 4 mi @ LT", "2mi @ easy + 4mi @ T 4:46/km + 2mi @ easy"),
    ("B15", "3 x 2 mi @ LT w/ 2 min jog", "3 x 2mi @ T 4:46/km / 2min jog"),
    ("B16", "25 min @ LT pace", "25min @ T 4:46/km"),
    (
        "B17",
        "Marathon-pace run 14 mi w/ 8 mi @ marathon race pace",
        "3mi @ easy + 8mi @ M 5:05/km + 3mi @ easy",
    ),
    ("B18", "5 x 1200m @ 5K race pace w/ 2-3 min jog", "5 x 1200m @ 5K 4:30/km / 150s jog"),
    (
        "B19",
        "VO2max 8 mi w/ 5 x 1000m @ 5K pace",
        "?",
    ),
    ("B20", "General aerobic + speed 8 mi w/ 10 x 100m strides", "?"),
    # Hansons
    ("B21", "12 x 400 @ 5K pace w/ 400 jog", "12 x 400m @ 5K 4:30/km / 400m jog"),
    ("B22", "6 x 800's w/ 400m jog recovery", "6 x 800m @ 5K 4:30/km / 400m jog"),
    ("B23", "3 x 2 mile @ MP-10 sec w/ 800 jog", "3 x 2mi @ 4:59/km / 800m jog"),
    ("B24", "6 x 1 mile @ 10 sec faster than MP w/ 400 jog", "6 x 1mi @ 4:59/km / 400m jog"),
    ("B25", "Tempo 6 miles @ MP", "6mi @ M 5:05/km"),
    ("B26", "2 x 3 mile @ MP - 10s/mi w/ 1 mile jog", "2 x 3mi @ 4:59/km / 1mi jog"),
    ("B27", "4 x 1.5 miles @ strength pace w/ 800m jog", "4 x 1.5mi @ 4:59/km / 800m jog"),
    # Higdon
    ("B28", "5 x 400 at 5-K pace", "5 x 400m @ 5K 4:30/km / ?"),
    ("B29", "Tempo 35 min", "35min @ T 4:46/km"),
    ("B30", "8 x 400 @ 5-K pace, walk/jog 400 between", "8 x 400m @ 5K 4:30/km / 400m jog"),
    ("B31", "30 min tempo run", "30min @ T 4:46/km"),
    ("B32", "Interval: 6 x 800 at 5-K pace, 400 jog", "6 x 800m @ 5K 4:30/km / 400m jog"),
    # club sheets
    ("B33", "4 x 1 mile @ 10K pace, 90 sec recovery", "4 x 1mi @ 10K 4:40/km / 90s"),
    ("B34", "8 x 300m @ mile pace, 100m walk", "8 x 300m @ mile 4:07/km / 100m walk"),
    (
        "B35",
        "Pyramid: 1-2-3-2-1 min hard w/ 1 min jog",
        "60s @ hard effort (not a pace) / 1min jog + 120s @ hard effort (not a pace) / 1min jog"
        " + 180s @ hard effort (not a pace) / 1min jog + 120s @ hard effort (not a pace) / 1min jog"
        " + 60s @ hard effort (not a pace)",
    ),
    ("B36", "12 x 1' hard / 1' easy", "12 x 60s @ hard effort (not a pace) / 60s jog"),
    ("B37", "6 × 3' at 10K pace, 90\" jog", "6 x 3min @ 10K 4:40/km / 90s jog"),
    ("B38", "4 x 2k @ 10K pace w/ 2' rest", "4 x 2km @ 10K 4:40/km / 2min rest"),
    ("B39", "3 x 1.5 mi @ T w/ 3 min jog", "3 x 1.5mi @ T 4:46/km / 3min jog"),
    ("B40", "5 x 600m @ 3K pace w/ 200m walk", "5 x 600m @ 3K 4:21/km / 200m walk"),
    ("B41", "2 x 2 mile @ HMP w/ 1/2 mile jog", "2 x 2mi @ HM 4:54/km / 0.5mi jog"),
    (
        "B42",
        "1 mile @ T, 3 min jog, 4 x 400 @ R w/ 400 jog",
        "1mi @ T 4:46/km / 3min jog + 4 x 400m @ R 1:37/400 / 400m jog",
    ),
    ("B43", "6 x 1000 @ 10k effort, 2 min easy", "6 x 1000m @ 10K 4:40/km / 2min jog"),
    ("B44", "3 x 10 min @ half marathon effort w/ 2 min jog", "3 x 10min @ HM 4:54/km / 2min jog"),
    # forums: explicit times
    ("B45", "6x1k @ 3:50 w/ 2' jog", "6 x 1000m @ 3:50/km / 2min jog"),
    ("B46", "8x800 @ 3:10-3:15, 90s jog", "8 x 800m @ 4:00/km / 90s jog"),
    ("B47", "3x3K @ 12:00, 3' jog", "3 x 3km @ 4:00/km / 3min jog"),
    ("B48", "10 x 400 in 85-88 w/ 60s rest", "10 x 400m @ 3:36/km / 60s rest"),
    ("B49", "5 x 1 mile @ 6:40/mile w/ 1:30 rest", "5 x 1mi @ 6:40/mi / 90s rest"),
    ("B50", "4 mile tempo @ 7:30 pace", "4mi @ 7:30/mi"),
    ("B51", "20 min tempo @ 4:45/km", "20min @ 4:45/km"),
    ("B52", "6 x 1 km @ 4.20/km w/ 90s rest", "6 x 1000m @ 4:20/km / 90s rest"),
    ("B53", "3 x 2 km @ 8.40 w/ 3 min jog", "3 x 2km @ 4:20/km / 3min jog"),
    ("B54", "4 x 1 mi @ 6.45 w/ 2 min rest", "4 x 1mi @ 6:45/mi / 2min rest"),
    ("B55", "6 x 800m @ 2:55 w/ 90s rest", "6 x 800m @ 3:39/km / 90s rest"),
    ("B56", "5 x 1000 @ 3:55-4:00 w/ 2 min jog", "5 x 1000m @ 3:58/km / 2min jog"),
    ("B57", "8 x 400 @ 88 w/ 200 jog", "8 x 400m @ 3:40/km / 200m jog"),
    ("B58", "6 x 200 @ 40 w/ 200 jog", "6 x 200m @ 3:20/km / 200m jog"),
    (
        "B59",
        "3 x 1600 @ 6:40, 6:30, 6:20 w/ 400 jog",
        "1600m @ 4:10/km / 400m jog + 1600m @ 4:04/km / 400m jog + 1600m @ 3:58/km",
    ),
    ("B60", "8 x 400 @ 1:35, 200 jog", "8 x 400m @ 3:58/km / 200m jog"),
    # race paces in other spellings
    ("B61", "6 x 800 @ 5 km pace w/ 400 jog", "6 x 800m @ 5K 4:30/km / 400m jog"),
    ("B62", "5 x 1000m @ 10-K pace, 400 jog", "5 x 1000m @ 10K 4:40/km / 400m jog"),
    ("B63", "4 x 1200 @ 1500m pace w/ 3 min rest", "4 x 1200m @ 4:05/km / 3min rest"),
    ("B64", "6 x 400 @ 3000m pace w/ 200 jog", "6 x 400m @ 3K 4:21/km / 200m jog"),
    ("B65", "4 x 1 mile @ half-marathon pace w/ 1 min jog", "4 x 1mi @ HM 4:54/km / 1min jog"),
    ("B66", "3 x 2 km @ 15K pace w/ 2 min jog", "3 x 2km @ 4:47/km / 2min jog"),
    ("B67", "8 x 600 @ 2 mile pace w/ 200 jog", "8 x 600m @ 4:23/km / 200m jog"),
    ("B68", "5 x 1 km @ M pace w/ 1 min jog", "5 x 1000m @ M 5:05/km / 1min jog"),
    ("B69", "6 x 1 km @ HM pace, 1 min rest", "6 x 1000m @ HM 4:54/km / 1min rest"),
    ("B70", "10 x 400 @ 5000m pace w/ 200 jog", "10 x 400m @ 5K 4:30/km / 200m jog"),
    # adjustments
    ("B71", "14 mi @ MP+20s", "14mi @ 5:17/km"),
    ("B72", "4 x 2 km @ HMP - 5 s/km w/ 2 min jog", "4 x 2km @ 4:49/km / 2min jog"),
    ("B73", "4 x 1 km @ MP-10s w/ 1 min jog", "4 x 1000m @ 4:55/km / 1min jog"),
    # progressions, cut-downs, targets after the list or in a label
    (
        "B74",
        "5 x 1 km getting faster each rep w/ 1 min jog",
        "5 x 1000m @ each rep faster than the last / 1min jog",
    ),
    (
        "B75",
        "Cut-down: 1200, 1000, 800, 600, 400 w/ 200 jog",
        "1200m @ each rep faster than the last / 200m jog + 1000m @ each rep faster than the last"
        " / 200m jog + 800m @ each rep faster than the last / 200m jog + 600m @ each rep faster"
        " than the last / 200m jog + 400m @ each rep faster than the last",
    ),
    ("B76", "4 x 1200, 400 jog, all at 5K pace", "4 x 1200m @ 5K 4:30/km / 400m jog"),
    ("B77", "Threshold: 4 x 8 min, 2 min jog", "4 x 8min @ T 4:46/km / 2min jog"),
    ("B78", "Cruise intervals: 5 x 1 mi w/ 1 min rest", "5 x 1mi @ T 4:46/km / 1min rest"),
    ("B79", "VO2max: 5 x 1000 w/ 400 jog", "5 x 1000m @ I 4:24/km / 400m jog"),
    (
        "B80",
        "3 mile progression: MP, HMP, 10K",
        "1mi @ M 5:05/km + 1mi @ HM 4:54/km + 1mi @ 10K 4:40/km",
    ),
    (
        "B81",
        "4 x 1 mile @ MP, HMP, 10KP, 5KP w/ 2 min jog",
        "1mi @ M 5:05/km / 2min jog + 1mi @ HM 4:54/km / 2min jog + 1mi @ 10K 4:40/km"
        " / 2min jog + 1mi @ 5K 4:30/km",
    ),
    # recoveries: equal time, on/off, send-offs, decreasing, set rests, "| ..."
    ("B82", "5 x 1000 @ I, equal time recovery", "5 x 1000m @ I 4:24/km / 263s jog"),
    ("B83", "6 x 3 min hard, same time jog", "6 x 3min @ hard effort (not a pace) / 3min jog"),
    ("B84", "15 x 1 min on, 1 min off", "15 x 1min @ hard effort (not a pace) / 1min jog"),
    ("B85", "8 x 2' on 1' off", "8 x 2min @ hard effort (not a pace) / 1min jog"),
    ("B86", "10 x 30/30", "10 x 30s @ hard effort (not a pace) / 30s jog"),
    ("B87", "12 x 200 every 90 seconds", "12 x 200m @ I 4:24/km / 90s"),
    ("B88", "8 x 400 @ 5K pace, starting every 2:30", "8 x 400m @ 5K 4:30/km / 150s"),
    ("B89", "10 x 100m on the minute", "10 x 100m @ I 4:24/km / 60s"),
    (
        "B90",
        "4 x 1200 @ 5K pace w/ 4, 3, 2 min jog",
        "4 x 1200m @ 5K 4:30/km / 4min jog, 3min jog, 2min jog",
    ),
    (
        "B91",
        "3 x (3 x 1 min hard, 1 min easy), 3 min between sets",
        "9 x 1min @ hard effort (not a pace) / 1min jog x2, 3min, 1min jog x2, 3min, 1min jog x2",
    ),
    (
        "B92",
        "2 sets of 5 x 300 @ mile pace w/ 100 walk, 5 min between sets",
        "10 x 300m @ mile 4:07/km / 100m walk x4, 5min, 100m walk x4",
    ),
    (
        "B93",
        "3 x 4 x 200 @ R, 200 jog, 400 jog between sets",
        "12 x 200m @ R 1:37/400 / 200m jog x3, 400m jog, 200m jog x3, 400m jog, 200m jog x3",
    ),
    ("B94", "4 x 1 mile @ T | 1 min recovery", "4 x 1mi @ T 4:46/km / 1min"),
    ("B95", "8 x 400m @ 3K pace | 90s rest", "8 x 400m @ 3K 4:21/km / 90s rest"),
    # named sessions
    ("B96", "Yasso 800s x 8", "8 x 800m @ 4:22/km / 400m jog", "M 3:30:00"),
    ("B97", "10 x Yasso 800s", "10 x 800m @ 4:22/km / 400m jog", "M 3:30:00"),
    ("B98", "2 mi WU, Mona fartlek, 2 mi CD", "?"),
    (
        "B99",
        "200-400-600-800-600-400-200 @ mile pace w/ 200 jog",
        "200m @ mile 4:07/km / 200m jog + 400m @ mile 4:07/km / 200m jog + 600m @ mile 4:07/km"
        " / 200m jog + 800m @ mile 4:07/km / 200m jog + 600m @ mile 4:07/km / 200m jog"
        " + 400m @ mile 4:07/km / 200m jog + 200m @ mile 4:07/km",
    ),
    ("B100", "6 x strides", "6 x 100m @ stride: fast, relaxed (not a pace) / ?"),
    ("B101", "8 x 20 sec strides", "8 x 20s @ stride: fast, relaxed (not a pace) / ?"),
    (
        "B102",
        "6 x 8 sec hill sprints",
        "6 x 8s hill @ all-out sprint / hill effort / walk/jog back down",
    ),
    (
        "B103",
        "10 x 200m hill @ 5K effort, jog down",
        "10 x 200m hill @ hard effort (not a pace) / back down",
    ),
    ("B104", "Tempo 4 mi", "4mi @ T 4:46/km"),
    ("B105", "30 min @ tempo pace", "30min @ T 4:46/km"),
    # warm-up and cool-down parts
    (
        "B106",
        "WU 15 min, 3 x 1 mi @ T w/ 1 min rest, CD 10 min",
        "15min @ easy + 2 x 1mi @ T 4:46/km / 1min rest + 1mi @ T 4:46/km / no recovery"
        " + 10min @ easy",
    ),
    (
        "B107",
        "2 mile warm-up / 4 x 1200 @ 5K pace w/ 400 jog / 2 mile cool-down",
        "2mi @ easy + 3 x 1200m @ 5K 4:30/km / 400m jog + 1200m @ 5K 4:30/km / no recovery"
        " + 2mi @ easy",
    ),
    ("B108", "1 mi WU + 20 min T + 1 mi CD", "1mi @ easy + 20min @ T 4:46/km + 1mi @ easy"),
    (
        "B109",
        "10' WU, 6 x 400 @ R, 400 jog, 10' CD",
        "10min @ easy + 5 x 400m @ R 1:37/400 / 400m jog + 400m @ R 1:37/400 / no recovery"
        " + 10min @ easy",
    ),
    # plurals, fractions, yards, decimals, seconds marks
    ("B110", "8 x 400s @ 5K pace w/ 200 jog", "8 x 400m @ 5K 4:30/km / 200m jog"),
    ("B111", "1000s x 5 @ 10K pace w/ 2 min jog", "5 x 1000m @ 10K 4:40/km / 2min jog"),
    ("B112", "4 x 1/4 mile @ mile pace w/ 1/4 mile jog", "4 x 0.25mi @ mile 4:07/km / 0.25mi jog"),
    ("B113", "2 x 1 1/2 miles @ T w/ 3 min jog", "2 x 1.5mi @ T 4:46/km / 3min jog"),
    ("B114", "3 x 3/4 mile @ 5K pace w/ 2 min jog", "3 x 0.75mi @ 5K 4:30/km / 2min jog"),
    ("B115", "6 x 880 yards @ 5K pace w/ 440 yd jog", "6 x 880yd @ 5K 4:30/km / 440yd jog"),
    ("B116", "10 x 110 yds strides", "10 x 110yd @ stride: fast, relaxed (not a pace) / ?"),
    ("B117", "3 x 1.2 km @ I w/ 3 min jog", "3 x 1200m @ I 4:24/km / 3min jog"),
    ("B118", '8 x 90" @ I w/ 90" jog', "8 x 90s @ I 4:24/km / 90s jog"),
    ("B119", '6 x 45" hard / 75" easy', "6 x 45s @ hard effort (not a pace) / 75s jog"),
    ("B120", "6 x 2 min @ comfortably hard w/ 1 min jog", "6 x 2min @ T 4:46/km / 1min jog"),
    # second round: defaults for unwritten recoveries, brackets, labels without a colon
    ("C01", "6 x 1000m @ 5K pace", "6 x 1000m @ 5K 4:30/km / 270s jog"),
    ("C02", "3 x 2 mi @ MP", "3 x 2mi @ M 5:05/km / 120s rest"),
    ("C03", "6 x 1 mile @ MP-10 w/ 400 jog", "6 x 1mi @ 4:59/km / 400m jog"),
    (
        "C04",
        "2 x 6 x 400 @ 5K pace w/ 100m jog, 4 min between sets",
        "12 x 400m @ 5K 4:30/km / 100m jog x5, 4min, 100m jog x5",
    ),
    ("C05", "10 x 400 @ 3K pace w/ 45-60 sec rest", "10 x 400m @ 3K 4:21/km / 52.5s rest"),
    ("C06", "5 × 1000 m @ I w/ 400 m jog", "5 x 1000m @ I 4:24/km / 400m jog"),
    ("C07", "8x1' @ 3K pace / 1' jog", "8 x 1min @ 3K 4:21/km / 1min jog"),
    (
        "C08",
        "1 x 2 mile @ T + 4 x 400 @ R w/ 400 jog",
        "2mi @ T 4:46/km / ? + 4 x 400m @ R 1:37/400 / 400m jog",
    ),
    (
        "C10",
        "6 x 150m strides w/ 150 walk",
        "6 x 150m @ stride: fast, relaxed (not a pace) / 150m walk",
    ),
    (
        "C11",
        "4 x 200m hill sprints, walk down",
        "4 x 200m hill @ all-out sprint / hill effort / walk/jog back down",
    ),
    ("C14", "4 x 1 mile @ LT w/ 2 min jog recovery", "4 x 1mi @ T 4:46/km / 2min jog"),
    ("C15", "6 x 800m (3:20) w/ 400 jog", "6 x 800m @ 4:10/km / 400m jog"),
    ("C16", "5 x 1000m in 3:55 w/ 2 min rest", "5 x 1000m @ 3:55/km / 2min rest"),
    ("C17", "4 x 1600 @ 10K w/ 3:00 jog", "4 x 1600m @ 10K 4:40/km / 3min jog"),
    ("C18", "20 x 1 min @ 5K pace, 1 min jog", "20 x 1min @ 5K 4:30/km / 1min jog"),
    ("C19", "6 x 4 min @ 10K pace w/ 90 sec jog", "6 x 4min @ 10K 4:40/km / 90s jog"),
    (
        "C20",
        "Easy 45 min + 6 x 20 sec strides",
        "45min @ easy + 6 x 20s @ stride: fast, relaxed (not a pace) / ?",
    ),
    ("C21", "2 x 15 min @ HMP w/ 3 min jog", "2 x 15min @ HM 4:54/km / 3min jog"),
    (
        "C22",
        "400m, 800m, 1200m, 800m, 400m @ I w/ half-distance jog",
        "400m @ I 4:24/km / 200m jog + 800m @ I 4:24/km / 400m jog"
        " + 1200m @ I 4:24/km / 600m jog + 800m @ I 4:24/km / 400m jog + 400m @ I 4:24/km",
    ),
    (
        "C23",
        "3 x (2 x 1 mile @ T w/ 1 min rest) w/ 3 min rest",
        "1mi @ T 4:46/km / 1min rest + 1mi @ T 4:46/km / 3min rest"
        " + 1mi @ T 4:46/km / 1min rest + 1mi @ T 4:46/km / 3min rest"
        " + 1mi @ T 4:46/km / 1min rest + 1mi @ T 4:46/km",
    ),
    ("C24", "4 x 1 km @ 5K pace w/ 90 secs", "4 x 1000m @ 5K 4:30/km / 90s"),
    ("C25", "5 x 3 min @ I / 2 min jog", "5 x 3min @ I 4:24/km / 2min jog"),
    ("C26", "6 x 1 mi @ 7:00 w/ 1:00 rest", "6 x 1mi @ 7:00/mi / 1min rest"),
    ("C27", "10 x 1 km @ MP w/ 1 min float", "10 x 1000m @ M 5:05/km / 1min float"),
    ("C28", "3 x 3200 @ T w/ 2 min rest", "3 x 3200m @ T 4:46/km / 2min rest"),
    (
        "C29",
        "8 x 1 min hill @ 5K effort, jog back down",
        "8 x 1min hill @ hard effort (not a pace) / back down",
    ),
    ("C32", "10 x 200 @ 1500 pace w/ 200 jog", "10 x 200m @ 4:05/km / 200m jog"),
    ("C33", "4 x 1 mile @ 5:45-5:50/mi w/ 2 min", "4 x 1mi @ explicit 5:45-5:50 per mile / 2min"),
    ("C34", "8 x 600 @ 3K pace, 2:00 rest", "8 x 600m @ 3K 4:21/km / 2min rest"),
    ("C35", "6 x 1K @ T w/ 60s", "6 x 1000m @ T 4:46/km / 60s"),
    ("C36", "4 x 2 miles @ T pace, 2 min rest", "4 x 2mi @ T 4:46/km / 2min rest"),
    ("C37", "Tempo: 2 mi WU, 4 mi @ T, 2 mi CD", "2mi @ easy + 4mi @ T 4:46/km + 2mi @ easy"),
    ("C38", "3 x 10 min @ T, 2 min jog between", "3 x 10min @ T 4:46/km / 2min jog"),
    ("C39", "Fartlek 10 x 2 min on, 1 min off", "10 x 2min @ hard effort (not a pace) / 1min jog"),
    ("C40", "5 x 5 min @ 10K w/ 2.5 min jog", "5 x 5min @ 10K 4:40/km / 150s jog"),
    ("C41", "12 x 400m @ 5K pace w/ 200m jog recoveries", "12 x 400m @ 5K 4:30/km / 200m jog"),
    ("C42", "4 x 5 min @ T w/ 1 min", "4 x 5min @ T 4:46/km / 1min"),
    ("C43", "6 x 800 @ 10K-5K pace w/ 2 min", "6 x 800m @ between 10K and 5K pace / 2min"),
    ("C44", "3 x 1 mile @ 3K-5K pace w/ 3 min jog", "3 x 1mi @ 4:25/km / 3min jog"),
    ("C45", "5 x 2 min hard (2 min easy)", "5 x 2min @ hard effort (not a pace) / 2min jog"),
    (
        "C46",
        "6 x 1200m @ 10k pace with 400m jog between each",
        "6 x 1200m @ 10K 4:40/km / 400m jog",
    ),
    ("C47", "16 x 400 @ 5K w/ 100m jog", "16 x 400m @ 5K 4:30/km / 100m jog"),
    ("C48", "4 x 400m @ mile pace, 3 min rest", "4 x 400m @ mile 4:07/km / 3min rest"),
    ("C49", "8 x 200 fast w/ 200 jog", "8 x 200m @ hard effort (not a pace) / 200m jog"),
    # third round: goal races, targets after the recovery, set rests, target lists on ladders
    ("D01", "6 x 800 @ goal pace w/ 400 jog", "6 x 800m @ 4:59/km / 400m jog", "HM 1:45:00"),
    ("D02", "Yasso 800s", "10 x 800m @ 4:41/km / 400m jog", "M 3:45:00"),
    ("D03", "8 x 1 mile @ goal marathon pace w/ 400 jog", "8 x 1mi @ M 5:05/km / 400m jog"),
    ("D04", "4 x 1 mile @ GMP w/ 400 jog", "4 x 1mi @ 4:59/km / 400m jog", "M 3:30:00"),
    ("D05", "2 x 20' @ T, 3' jog", "2 x 20min @ T 4:46/km / 3min jog"),
    ("D06", "6 x 1 km (3:50-3:55), 90s jog", "6 x 1000m @ 3:52/km / 90s jog"),
    ("D07", "4 x 1 mile w/ 3 min jog @ 10K pace", "4 x 1mi @ 10K 4:40/km / 3min jog"),
    ("D08", "6 x 400 (75-78 sec), 200 jog", "6 x 400m @ 3:11/km / 200m jog"),
    ("D09", "5 x 1000m with 2-minute jog at 5K pace", "5 x 1000m @ 5K 4:30/km / 2min jog"),
    ("D10", "4 x 1 mile at half-marathon pace with 1:30 jog", "4 x 1mi @ HM 4:54/km / 90s jog"),
    ("D11", "10 x 1 minute hard, 1 minute easy", "10 x 1min @ hard effort (not a pace) / 1min jog"),
    ("D12", "8 × 400 m at mile race pace with 400 m jog", "8 x 400m @ mile 4:07/km / 400m jog"),
    (
        "D13",
        "2 x 2 x 1 mi @ T, 1 min rest, 4 min between sets",
        "4 x 1mi @ T 4:46/km / 1min rest, 4min, 1min rest",
    ),
    ("D14", "6 x (200m @ R, 200m jog)", "6 x 200m @ R 1:37/400 / 200m jog"),
    (
        "D15",
        "5 sets of 4 x 200m @ 3K pace w/ 30s rest, 3 min set rest",
        "20 x 200m @ 3K 4:21/km / 30s rest x3, 3min, 30s rest x3, 3min, 30s rest x3, 3min,"
        " 30s rest x3, 3min, 30s rest x3",
    ),
    (
        "D16",
        "Hill sprints: 6 x 10 sec",
        "6 x 10s hill @ all-out sprint / hill effort / walk/jog back down",
    ),
    (
        "D17",
        "10 x 100m strides, walk back",
        "10 x 100m @ stride: fast, relaxed (not a pace) / 100m walk",
    ),
    ("D18", "6 x 3' hard / 2' easy", "6 x 3min @ hard effort (not a pace) / 2min jog"),
    (
        "D19",
        "1600, 1200, 800, 400 @ 10K, 5K, 3K, mile pace w/ 400 jog",
        "1600m @ 10K 4:40/km / 400m jog + 1200m @ 5K 4:30/km / 400m jog"
        " + 800m @ 3K 4:21/km / 400m jog + 400m @ mile 4:07/km",
    ),
    ("D20", "4 x 1.5 km @ 10K pace w/ 3 min", "4 x 1500m @ 10K 4:40/km / 3min"),
    ("D21", "MP run: 10 mi @ MP", "10mi @ M 5:05/km"),
    ("D22", "Long run 16 mi with last 4 mi @ MP", "12mi @ easy + 4mi @ M 5:05/km"),
    (
        "D23",
        "3 x 1 mile @ T w/ 60s rest, then 3 x 400 @ R w/ 400 jog",
        "3 x 1mi @ T 4:46/km / 60s rest + 3 x 400m @ R 1:37/400 / 400m jog",
    ),
    ("D24", "4 x 3 min @ 5K pace, 2:30 jog", "4 x 3min @ 5K 4:30/km / 150s jog"),
    ("D25", "6 x 600m @ 5K pace w/ 1:00 rest", "6 x 600m @ 5K 4:30/km / 60s rest"),
    ("D26", "2 x 1.5 mi @ 10K pace w/ 800 jog", "2 x 1.5mi @ 10K 4:40/km / 800m jog"),
    ("D27", "5 x 800m @ 2:50-2:55 w/ 2 min jog", "5 x 800m @ 3:36/km / 2min jog"),
    ("D28", "Tempo 3 x 1 mile w/ 1 min jog", "3 x 1mi @ T 4:46/km / 1min jog"),
    (
        "D30",
        "1 mi @ 5K pace, 2 mi @ 10K pace, 1 mi @ 5K pace, 3 min jog between",
        "1mi @ 5K 4:30/km / 3min jog + 2mi @ 10K 4:40/km / 3min jog + 1mi @ 5K 4:30/km",
    ),
    ("D31", "8 x 2 min @ 10K effort w/ 1 min jog", "8 x 2min @ 10K 4:40/km / 1min jog"),
    ("D32", "3 x 5 min @ threshold, 60 sec jog recovery", "3 x 5min @ T 4:46/km / 60s jog"),
    ("D33", "4 x 1000m at 5k race pace (2-3 min rest)", "4 x 1000m @ 5K 4:30/km / 150s rest"),
    ("D34", "10 x 300 @ mile pace w/ 100 jog", "10 x 300m @ mile 4:07/km / 100m jog"),
    ("D35", "5 x 1 km @ 10 km pace, 1 km jog", "5 x 1000m @ 10K 4:40/km / 1000m jog"),
    ("D36", "3 x 2 km @ half marathon pace, 400m jog", "3 x 2km @ HM 4:54/km / 400m jog"),
    # fourth round: worded adjustments per mile, a unit alone in a list, ranges of minutes
    (
        "E01",
        "3 x 1 mile @ 10 seconds per mile faster than 10K pace w/ 3 min jog",
        "3 x 1mi @ 4:34/km / 3min jog",
    ),
    (
        "E02",
        "Mile, 1200, 800, 400 at 5K pace, with equal distance jog",
        "1mi @ 5K 4:30/km / 1mi jog + 1200m @ 5K 4:30/km / 1200m jog"
        " + 800m @ 5K 4:30/km / 800m jog + 400m @ 5K 4:30/km",
    ),
    ("E03", "6 x 1000 @ 5K pace w/ 2-3' jog", "6 x 1000m @ 5K 4:30/km / 150s jog"),
    ("E04", "4 x 400 @ 70-72 sec w/ 3 min", "4 x 400m @ 2:57/km / 3min"),
    ("E05", "5K tempo", "5km @ T 4:46/km"),
    ("E07", "8-10 x 400 @ 5K pace w/ 60 sec rest", "8 x 400m @ 5K 4:30/km / 60s rest"),
    ("E08", "2 x 4 mi @ MP w/ 1 mi easy", "2 x 4mi @ M 5:05/km / 1mi jog"),
    ("E09", "6 x 800 at 10-15 sec faster than 5K pace w/ 400 jog", "6 x 800m @ 4:17/km / 400m jog"),
    ("E10", "12 x 1 min @ 5K pace w/ 1 min walk", "12 x 1min @ 5K 4:30/km / 1min walk"),
    ("E11", "20 min @ HMP", "20min @ HM 4:54/km"),
]

GOALS = {
    "M 3:30:00": (42195.0, 12600.0),
    "M 3:45:00": (42195.0, 13500.0),
    "HM 1:45:00": (21097.5, 6300.0),
}

# B19, B20 and B98 have "?" meanings: checked by their own tests below.
CHECKED = [row for row in BREAK if row[2] != "?"]


def flat(text: str, goal: str | None = None) -> list[FlatPart]:
    kwargs: dict[str, float] = {}
    if goal is not None:
        kwargs = dict(zip(("goal_distance_m", "goal_seconds"), GOALS[goal], strict=True))
    return flat_plan(text, race_distance_m=5000.0, race_seconds=1350.0, **kwargs)  # type: ignore[arg-type]


def wrong(text: str, meaning: str, goal: str | None = None) -> list[str]:
    """What reads wrong, or [] when the workout reads as its meaning."""
    try:
        parts = flat(text, goal)
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


@pytest.mark.parametrize("row", CHECKED, ids=[r[0] for r in CHECKED])
def test_break_workout_reads_as_its_meaning(row: tuple[str, ...]) -> None:
    text, meaning = row[1], row[2]
    goal = row[3] if len(row) > 3 else None
    assert wrong(text, meaning, goal) == []


def test_pfitzinger_day_with_work_inside_keeps_the_work() -> None:
    parts = flat("VO2max 8 mi w/ 5 x 1000m @ 5K pace")
    work = [p for p in parts if p.part == "work"]
    assert len(work) == 5
    assert all(p.distance_m == 1000.0 and p.s_per_km == pytest.approx(270.0, abs=2) for p in work)
    total = sum(p.distance_m or 0.0 for p in parts)
    assert total == pytest.approx(8 * MILE_M, abs=1.0)


def test_general_aerobic_with_strides_keeps_the_strides() -> None:
    parts = flat("General aerobic + speed 8 mi w/ 10 x 100m strides")
    strides = [p for p in parts if p.distance_m == 100.0]
    assert len(strides) == 10
    assert all(p.s_per_km is None for p in strides)


def test_mona_between_warm_up_and_cool_down() -> None:
    parts = flat("2 mi WU, Mona fartlek, 2 mi CD")
    assert [p.part for p in parts] == ["warmup", *["work"] * 14, "cooldown"]
    assert [p.seconds for p in parts[1:15]] == [90.0] * 2 + [60.0] * 4 + [30.0] * 4 + [15.0] * 4


@pytest.mark.parametrize(
    ("text", "named"),
    [
        ("6 x 800 @ zippy w/ 400 jog", "zippy"),
        ("6 x @ T w/ 400 jog", "x @ t"),
        ("800s @ 5K pace", "x"),
        ("5 x 1 mile @ T w/ 2 min rest w/ 400 jog", "jog"),
        ("mile repeats @ T", "but not how many: write the count, like 4 x 1 mile @ t"),
        ("1k reps at 10K pace w/ 2 min jog", "write the count, like 4 x 1k at 10k pace"),
        ("5 x 1000 @ 10k pace w/ 90s rset", "did you mean rest?"),
        ("6 x 800 @ I w/ 400 jgo", "did you mean jog?"),
        ("6 x 800 @ east", "did you mean"),
    ],
)
def test_refusals_name_the_part_and_show_an_example(text: str, named: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        flat(text)
    message = str(refused.value).lower()
    assert named in message
    assert "like" in message


@pytest.mark.parametrize(
    ("text", "word"),
    [
        ("3 x 8 min @ I w/ 4 min jog", "I"),
        ("4 x 1000 @ R w/ 1000 jog", "R"),
        ("12 x 1000 @ I w/ 3 min jog", "I"),
        ("90 min @ T", "T"),
    ],
)
def test_daniels_warnings_for_new_sessions(text: str, word: str) -> None:
    from bot.domain.parsing import Race

    plan = plan_workout(parse_workout(text), VDOT, Race("5K", 5000.0))
    warnings = daniels_warnings(plan)
    assert warnings, text
    assert any(word in w for w in warnings)
