"""Workouts as coaches write them: a grammar, named sessions and a per-runner planner. Pure.

Modules, one reason to change each:

- :mod:`.lexing`: number and unit forms (``1,200``, ``1/2 mile``, ``400's``, ``90"``, yards,
  ``m.ss`` read as minutes and seconds in paces).
- :mod:`.grammar`: clauses, reps, sets, recoveries, warm-up and cool-down (its docstring is the
  grammar), and the defaults for what the text leaves open.
- :mod:`.targets`: zones, race and goal paces, explicit times, efforts; timing them for a runner.
- :mod:`.classics`: named sessions (Yasso 800s, Mona fartlek, ladder, tempo, strides, ...).
- :mod:`.model`: the structured workout; :mod:`.plan`: one runner's plan and totals.
- :mod:`.limits`: size limits (refusals) and Daniels' limits (warnings).
- :mod:`.flat`: :func:`flat_plan`, the flattened view used by checks.
- :mod:`.suggestions`: autocomplete.

Range rule: ``4-5 x 1200`` (or ``10-12 sprints``, ``3-4 sets``) is planned at the low end, and
the reply says to add the rest only if the last rep was as good as the first (Daniels: finish
a session feeling you could have done more). A range of recoveries (``rest 30-60 s``) is planned
at its middle.
"""

from bot.domain.workouts.classics import CLASSICS, Classic, classic_names
from bot.domain.workouts.flat import FlatPart, FlatRecovery, flat_plan
from bot.domain.workouts.grammar import (
    MAX_RECOVERY_M,
    MAX_RECOVERY_SECONDS,
    MAX_REP_M,
    MAX_REP_SECONDS,
    MAX_REPS,
    MIN_RECOVERY_M,
    MIN_RECOVERY_SECONDS,
    MIN_REP_M,
    MIN_REP_SECONDS,
    MIN_REPS,
)
from bot.domain.workouts.limits import MAX_BLOCKS, MAX_STEPS, MAX_VOLUME_M, daniels_warnings
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
from bot.domain.workouts.parse import MAX_WORKOUT_TEXT, parse_workout
from bot.domain.workouts.plan import (
    GOAL_RACE_NEEDED,
    PlannedBlock,
    PlannedRecovery,
    PlannedRep,
    WorkoutPlan,
    plan_workout,
)
from bot.domain.workouts.suggestions import EXAMPLES, workout_suggestions
from bot.domain.workouts.targets import MAX_ADJUST_S_PER_KM

__all__ = [
    "CLASSICS",
    "EXAMPLES",
    "GOAL_RACE_NEEDED",
    "MAX_ADJUST_S_PER_KM",
    "MAX_BLOCKS",
    "MAX_RECOVERY_M",
    "MAX_RECOVERY_SECONDS",
    "MAX_REPS",
    "MAX_REP_M",
    "MAX_REP_SECONDS",
    "MAX_STEPS",
    "MAX_VOLUME_M",
    "MAX_WORKOUT_TEXT",
    "MIN_RECOVERY_M",
    "MIN_RECOVERY_SECONDS",
    "MIN_REPS",
    "MIN_REP_M",
    "MIN_REP_SECONDS",
    "Block",
    "Classic",
    "FlatPart",
    "FlatRecovery",
    "Item",
    "PaceTarget",
    "Part",
    "PlannedBlock",
    "PlannedRecovery",
    "PlannedRep",
    "Recovery",
    "RecoveryKind",
    "RepeatSet",
    "Workout",
    "WorkoutPlan",
    "classic_names",
    "daniels_warnings",
    "flat_plan",
    "parse_workout",
    "plan_workout",
    "workout_suggestions",
]
