"""Reading a workout: named sessions first, then the grammar, then the size limits."""

from __future__ import annotations

import re

from bot.domain.workouts.classics import CLASSICS, Classic, counted_classic, find_classic
from bot.domain.workouts.grammar import read_items
from bot.domain.workouts.lexing import tidy
from bot.domain.workouts.limits import check_size
from bot.domain.workouts.model import Block, Workout
from bot.domain.workouts.targets import HINT
from bot.errors import InvalidInput

MAX_WORKOUT_TEXT = 400
_PLURAL_ALONE_RE = re.compile(r"^(?P<d>\d{3,4})'?s\b(?!\s*(?:x|×))(?P<rest>.*)$", re.IGNORECASE)
# "mile repeats @ T", "1k reps at 10K pace": repeats named, but not how many.
_REPEATS_ALONE_RE = re.compile(
    r"^(?P<d>(?:1\s*)?(?:mile|km|k|kilomet(?:er|re))|\d{3,4}\s*m?)\s+(?:repeats|reps|repetitions)\b"
    r"(?!\s*(?:x|×|:))(?P<rest>.*)$",
    re.IGNORECASE,
)


def parse_workout(text: str) -> Workout:
    """Read a workout: a named session, or reps in Pacer's grammar (see the package docs).

    Args:
        text: what the member typed, like "6x800 @ I w/ 400 jog" or "Yasso 800s".

    Returns:
        The workout; ``name`` is set when it is (or is exactly the same as) a named session.

    Raises:
        InvalidInput: if the text is empty or over 400 characters; if a part can't be read (the
            message quotes it, says why and shows examples); if reps are outside 1-50, a rep
            outside 50 m to 42.2 km or 6 s to 3 h, a race pace outside 800 m to 100 km, an
            adjustment over 60 s/km; more than 20 blocks or 100 reps, or 60 km or more in all.
    """
    tidied = tidy(text)
    if not tidied:
        raise InvalidInput(f"workout: this can't be empty. {HINT}")
    if len(tidied) > MAX_WORKOUT_TEXT:
        raise InvalidInput(
            f"workout: that's over {MAX_WORKOUT_TEXT} characters, too long for one session. {HINT}"
        )
    classic = find_classic(tidied)
    if classic is not None:
        items, notes = read_items(classic.text)
        return Workout(classic.name, classic.text, items, notes)
    counted = counted_classic(tidied)
    if counted is not None:
        items, notes = read_items(counted)
        workout = Workout(None, tidied, items, notes)
        check_size(items, len(workout.blocks), HINT)
        return Workout(_classic_named(workout.blocks), tidied, items, notes)
    plural = _PLURAL_ALONE_RE.match(tidied)
    if plural is not None and plural.group("rest").strip():
        rest = plural.group("rest").strip()
        raise InvalidInput(
            f"workout: '{tidied[:60]}' says {plural.group('d')}s but not how many: write the "
            f"count, like 8 x {plural.group('d')} {rest}. {HINT}"
        )
    repeats = _REPEATS_ALONE_RE.match(tidied)
    if repeats is not None and not re.search(r"\d\s*[x×]", repeats.group("rest")):
        rep = repeats.group("d").strip()
        rep = rep if rep[0].isdigit() else f"1 {rep}"
        raise InvalidInput(
            f"workout: '{tidied[:60]}' says {repeats.group('d').strip()} repeats but not how "
            f"many: write the count, like 4 x {rep} {repeats.group('rest').strip()}".rstrip()
            + f". {HINT}"
        )
    try:
        items, notes = read_items(tidied)
    except InvalidInput as error:
        raise InvalidInput(_recased(error.message, tidied)) from None
    workout = Workout(None, tidied, items, notes)
    check_size(items, len(workout.blocks), HINT)
    return Workout(_classic_named(workout.blocks), tidied, items, notes)


_QUOTED_RE = re.compile(r"(?<!\w)'([^']+)'(?!\w)")


def _recased(message: str, original: str) -> str:
    """The grammar reads lower case; quote the member's own spelling back to them."""
    lower = original.lower()

    def back(match: re.Match[str]) -> str:
        at = lower.find(match.group(1))
        if at < 0:
            return match.group(0)
        return "'" + original[at : at + len(match.group(1))] + "'"

    return _QUOTED_RE.sub(back, message)


def _classic_named(blocks: tuple[Block, ...]) -> str | None:
    for classic, classic_blocks in _classic_blocks():
        if blocks == classic_blocks:
            return classic.name
    return None


_CACHE: list[tuple[Classic, tuple[Block, ...]]] = []


def _classic_blocks() -> list[tuple[Classic, tuple[Block, ...]]]:
    if not _CACHE:
        for classic in CLASSICS:
            items, notes = read_items(classic.text)
            _CACHE.append((classic, Workout(classic.name, classic.text, items, notes).blocks))
    return _CACHE
