"""Autocomplete for a workout option: text that already reads, named sessions, examples."""

from __future__ import annotations

from bot.domain.workouts.classics import CLASSICS, classic_key
from bot.domain.workouts.parse import MAX_WORKOUT_TEXT, parse_workout
from bot.errors import InvalidInput

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
    "2 x (4 x 400 @ R w/ 400 jog) w/ 800 jog",
    "2 mi WU, 4-5 x 1200 @ I w/ 3 min jog, 2 mi CD",
    "10 x 1 min on / 1 min off",
    "5 x 1 mi @ MP-10s w/ 400 jog",
)

_TARGET_COMPLETIONS = ("I", "T", "R", "M", "E", "5K pace", "10K pace", "HM pace", "goal pace")
_AUTOCOMPLETE_MAX = 100  # Discord's limit on a choice's name and value


def workout_suggestions(current: str, limit: int = 25) -> list[str]:
    """Autocomplete for a workout option; never raises.

    Every suggestion is at most 100 characters and parses: the text typed so far when it
    already reads, completions of a trailing "@", then named sessions and examples that match.
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
    key = classic_key(needle)
    keys = {c.name: [classic_key(n) for n in (c.name, *c.aliases)] for c in CLASSICS}
    found += [name for name, names in keys.items() if any(n.startswith(key) for n in names)]
    found += [name for name, names in keys.items() if any(key in n for n in names)]
    found += [example for example in EXAMPLES if not lower or example.lower().startswith(lower)]
    unique = list(dict.fromkeys(s for s in found if len(s) <= _AUTOCOMPLETE_MAX))
    return unique[:limit]
