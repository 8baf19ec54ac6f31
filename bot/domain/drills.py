"""Running drills and the club warm-up: a small packaged library and forgiving look-ups. Pure.

The library lives in ``bot/domain/data/drills.json`` and is read once through
:mod:`importlib.resources`, then checked: a bad edit to the data fails loudly at start-up instead
of showing members a half-empty card. Look-ups forgive case, spacing, hyphens, plurals and small
typos, because members type drill names on a phone in the middle of a warm-up.
"""

from __future__ import annotations

import difflib
import functools
import json
import logging
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from importlib import resources

from bot.errors import InvalidInput, NotFound

log = logging.getLogger(__name__)

#: Drill categories, in the order Pacer lists them.
CATEGORIES: tuple[str, ...] = ("form", "warm-up", "strength/core", "strides", "mobility")

#: Longest name a member may type; Discord caps autocomplete input at 100 characters too.
MAX_QUERY_LENGTH = 100
#: Longest string in the data, so any field fits an embed line without wrapping into a wall.
MAX_TEXT_LENGTH = 200
#: Most single-letter edits (insert, delete, replace, swap two neighbours) find_drill accepts as
#: a typo, by length of the normalised name: none up to 3 letters, 1 up to 6, then 2. A ratio
#: of whole strings is not enough: "straight leg kicks" scored 0.76 against "straight leg run"
#: and opened Straight-leg bounds, a different and harder drill.
TYPO_EDITS_BY_LENGTH: tuple[tuple[int, int], ...] = ((3, 0), (6, 1))
MAX_TYPO_EDITS = 2
#: How close a name must be to be suggested when nothing matched.
SUGGEST_CUTOFF = 0.5
#: Autocomplete is a list the member picks from, so it can afford looser fuzzy matches.
SEARCH_FUZZY_CUTOFF = 0.6
#: ...but once some names match literally, only near-certain typos are added after them.
FUZZY_CUTOFF_WITH_LITERAL = 0.8

_DATA_FILE = "drills.json"
_EXAMPLE_SLUGS = ("a-skip", "high-knees", "strides")
_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_WORD = re.compile(r"[a-z0-9]+")
_DRILL_FIELDS = frozenset(
    {"slug", "name", "aliases", "category", "purpose", "steps", "cues", "mistakes", "dose"}
)
_STEP_FIELDS = frozenset({"name", "dose", "drills", "note"})


@dataclass(frozen=True, slots=True)
class Drill:
    """One running drill, as shown on its card.

    Attributes:
        slug: stable kebab-case id, e.g. ``"a-skip"``.
        name: display name, e.g. ``"A skip"``.
        aliases: other names members use for it.
        category: one of :data:`CATEGORIES`.
        purpose: what the drill is for, in one or two sentences.
        steps: how to do it, as short imperative steps.
        cues: short phrases to think about while doing it.
        mistakes: common faults to avoid.
        dose: how much to do, e.g. ``"2 x 20 m"``.
    """

    slug: str
    name: str
    aliases: tuple[str, ...]
    category: str
    purpose: str
    steps: tuple[str, ...]
    cues: tuple[str, ...]
    mistakes: tuple[str, ...]
    dose: str


@dataclass(frozen=True, slots=True)
class RoutineStep:
    """One step of the club warm-up.

    Attributes:
        name: what the step is, e.g. ``"Easy jog"``.
        dose: how long or how many, e.g. ``"10-15 min"``.
        drills: the drills done in this step, in order (may be empty).
        note: one short coaching note.
    """

    name: str
    dose: str
    drills: tuple[Drill, ...]
    note: str


@dataclass(frozen=True, slots=True)
class _Entry:
    drill: Drill
    keys: tuple[str, ...]  # compact keys of the slug, name and aliases
    starts: tuple[str, ...]  # compact keys from every word start, so "kick" finds "butt kicks"
    labels: tuple[tuple[frozenset[str], str], ...]  # each label's words and compact key


@dataclass(frozen=True, slots=True)
class _Library:
    drills: tuple[Drill, ...]
    routine: tuple[RoutineStep, ...]
    entries: tuple[_Entry, ...]
    exact: Mapping[str, Drill]
    by_key: Mapping[str, Drill]
    vocabulary: frozenset[str]  # every word of every name and alias


def _singular(word: str) -> str:
    # Crude but enough for drill names: "skips", "knees", "lunges"; keep "press", "abs", "30s".
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


def _words(text: str) -> list[str]:
    folded = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(char for char in folded if not unicodedata.combining(char))
    return [_singular(word) for word in _WORD.findall(plain)]


def _compact(text: str) -> str:
    return "".join(_words(text))


def _word_starts(text: str) -> tuple[str, ...]:
    words = _words(text)
    return tuple("".join(words[i:]) for i in range(len(words)))


_CATEGORY_KEYS: dict[str, str] = {
    **{_compact(category): category for category in CATEGORIES},
    "warmup": "warm-up",
    "strength": "strength/core",
    "core": "strength/core",
    "strengthandcore": "strength/core",
    "stride": "strides",
}


def _check_text(value: object, where: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"{where} must be a non-empty string")
    text = value.strip()
    if len(text) > MAX_TEXT_LENGTH:
        raise ValueError(f"{where} is longer than {MAX_TEXT_LENGTH} characters")
    if "\n" in text or text.startswith("#"):
        raise ValueError(f"{where} must be one plain line, not a markdown header")
    return text


def _check_texts(
    obj: Mapping[str, object], field: str, where: str, *, least: int, most: int
) -> tuple[str, ...]:
    value = obj.get(field)
    if not isinstance(value, list):
        raise ValueError(f"{where}.{field} must be a list of strings")
    if not least <= len(value) <= most:
        raise ValueError(f"{where}.{field} must have {least} to {most} items, not {len(value)}")
    return tuple(_check_text(item, f"{where}.{field}[{i}]") for i, item in enumerate(value))


def _check_object(value: object, fields: frozenset[str], where: str) -> dict[str, object]:
    if not isinstance(value, dict) or not all(isinstance(key, str) for key in value):
        raise ValueError(f"{where} must be an object")
    unknown = set(value) - fields
    if unknown:
        raise ValueError(f"{where} has unknown fields: {', '.join(sorted(unknown))}")
    return value


def _parse_drill(value: object, where: str) -> Drill:
    obj = _check_object(value, _DRILL_FIELDS, where)
    slug = _check_text(obj.get("slug"), f"{where}.slug")
    if not _SLUG.fullmatch(slug):
        raise ValueError(f"{where}.slug {slug!r} must be kebab-case")
    where = f"drill {slug!r}"
    category = _check_text(obj.get("category"), f"{where}.category")
    if category not in CATEGORIES:
        raise ValueError(f"{where}.category {category!r} is not one of {', '.join(CATEGORIES)}")
    return Drill(
        slug=slug,
        name=_check_text(obj.get("name"), f"{where}.name"),
        aliases=_check_texts(obj, "aliases", where, least=0, most=20),
        category=category,
        purpose=_check_text(obj.get("purpose"), f"{where}.purpose"),
        steps=_check_texts(obj, "steps", where, least=3, most=6),
        cues=_check_texts(obj, "cues", where, least=2, most=3),
        mistakes=_check_texts(obj, "mistakes", where, least=2, most=4),
        dose=_check_text(obj.get("dose"), f"{where}.dose"),
    )


def _parse_step(value: object, where: str, by_slug: Mapping[str, Drill]) -> RoutineStep:
    obj = _check_object(value, _STEP_FIELDS, where)
    slugs = _check_texts(obj, "drills", where, least=1, most=20) if "drills" in obj else ()
    missing = [slug for slug in slugs if slug not in by_slug]
    if missing:
        raise ValueError(f"{where} names unknown drills: {', '.join(missing)}")
    return RoutineStep(
        name=_check_text(obj.get("name"), f"{where}.name"),
        dose=_check_text(obj.get("dose"), f"{where}.dose"),
        drills=tuple(by_slug[slug] for slug in slugs),
        note=_check_text(obj.get("note"), f"{where}.note"),
    )


def parse_drill_data(raw: object) -> tuple[tuple[Drill, ...], tuple[RoutineStep, ...]]:
    """Build and check the drill library from decoded JSON.

    Args:
        raw: the decoded document, ``{"drills": [...], "routine": [...]}``.

    Returns:
        The drills, sorted by category order then name, and the warm-up routine in order.

    Raises:
        ValueError: the data is malformed: a missing, empty or over-long field, an unknown
            category, a slug or alias used twice, or a routine step naming an unknown drill.
    """
    if not isinstance(raw, dict):
        raise ValueError("drill data must be an object with 'drills' and 'routine'")
    raw_drills, raw_routine = raw.get("drills"), raw.get("routine")
    if not isinstance(raw_drills, list) or not raw_drills:
        raise ValueError("drill data needs a non-empty 'drills' list")
    if not isinstance(raw_routine, list) or not raw_routine:
        raise ValueError("drill data needs a non-empty 'routine' list")

    drills = [_parse_drill(value, f"drills[{i}]") for i, value in enumerate(raw_drills)]
    owners: dict[str, str] = {}
    for drill in drills:
        for label in {drill.slug, drill.name, *drill.aliases}:
            key = _compact(label)
            if not key:
                raise ValueError(f"drill {drill.slug!r}: {label!r} has no letters or digits")
            owner = owners.setdefault(key, drill.slug)
            if owner != drill.slug:
                raise ValueError(f"{label!r} names both {owner!r} and {drill.slug!r}")
    by_slug = {drill.slug: drill for drill in drills}
    if len(by_slug) != len(drills):
        raise ValueError("drill slugs must be unique")

    ordered = tuple(sorted(drills, key=lambda d: (CATEGORIES.index(d.category), d.name.casefold())))
    routine = tuple(
        _parse_step(value, f"routine[{i}]", by_slug) for i, value in enumerate(raw_routine)
    )
    return ordered, routine


def _labels(drill: Drill) -> tuple[str, ...]:
    return (drill.slug, drill.name, *drill.aliases)


@functools.cache
def _library() -> _Library:
    text = resources.files("bot.domain").joinpath("data", _DATA_FILE).read_text(encoding="utf-8")
    drills, routine = parse_drill_data(json.loads(text))
    entries = tuple(
        _Entry(
            drill=drill,
            keys=tuple(dict.fromkeys(_compact(label) for label in _labels(drill))),
            starts=tuple(
                dict.fromkeys(start for label in _labels(drill) for start in _word_starts(label))
            ),
            labels=tuple(
                dict.fromkeys(
                    (frozenset(_words(label)), _compact(label)) for label in _labels(drill)
                )
            ),
        )
        for drill in drills
    )
    log.debug("Loaded %d drills and a %d-step warm-up", len(drills), len(routine))
    return _Library(
        drills=drills,
        routine=routine,
        entries=entries,
        exact={label.casefold(): d for d in drills for label in _labels(d)},
        by_key={key: entry.drill for entry in entries for key in entry.keys},
        vocabulary=frozenset(
            word for entry in entries for words, _ in entry.labels for word in words
        ),
    )


def all_drills() -> tuple[Drill, ...]:
    """Every drill, sorted by category (in :data:`CATEGORIES` order) then name.

    The packaged data is read and checked on the first call and kept for the process.

    Raises:
        ValueError: the packaged data is malformed (a bug in ``drills.json``, not user input).
    """
    return _library().drills


def warmup_routine() -> tuple[RoutineStep, ...]:
    """The club warm-up, in order: easy jog, dynamic mobility, form drills, strides, then go.

    Raises:
        ValueError: the packaged data is malformed.
    """
    return _library().routine


def _similarity(query: str, key: str) -> float:
    return difflib.SequenceMatcher(None, query, key, autojunk=False).ratio()


def _ranked(query: str, entries: Iterable[_Entry]) -> list[tuple[float, Drill]]:
    scored = [
        (max(_similarity(query, key) for key in entry.keys), entry.drill) for entry in entries
    ]
    # sorted() is stable, so equal scores keep the library's category-then-name order.
    return sorted(scored, key=lambda pair: -pair[0])


def _echo(text: str) -> str:
    shown = " ".join(text.split()).replace("`", "'").replace("@", "@\u200b")
    return shown if len(shown) <= 40 else shown[:39] + "…"


def _not_found(text: str, suggestions: Iterable[Drill]) -> NotFound:
    names = [drill.name for drill in suggestions]
    if not names:
        by_slug = {drill.slug: drill for drill in all_drills()}
        names = [by_slug[slug].name for slug in _EXAMPLE_SLUGS if slug in by_slug]
    return NotFound(
        f"name: I don't know a drill called '{_echo(text)}'. "
        f"Try one of: {', '.join(names)} — or use /drill list."
    )


def _edits(typed: str, name: str, most: int) -> int:
    """Optimal string alignment distance, or ``most + 1`` as soon as it must exceed ``most``.

    Counts inserted, deleted and replaced letters and swapped neighbours ("frankenstien").
    """
    if abs(len(typed) - len(name)) > most:
        return most + 1
    before: list[int] = []
    previous = list(range(len(name) + 1))
    for i, letter in enumerate(typed, 1):
        current = [i] + [0] * len(name)
        for j, other in enumerate(name, 1):
            current[j] = min(
                previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (letter != other)
            )
            if i > 1 and j > 1 and letter == name[j - 2] and typed[i - 2] == other:
                current[j] = min(current[j], before[j - 2] + 1)
        if min(current) > most:
            return most + 1
        before, previous = previous, current
    return previous[-1]


def _typo_edits_allowed(name_key: str) -> int:
    for longest, edits in TYPO_EDITS_BY_LENGTH:
        if len(name_key) <= longest:
            return edits
    return MAX_TYPO_EDITS


def _typo_distance(
    words: frozenset[str], key: str, entry: _Entry, vocabulary: frozenset[str]
) -> int:
    """Fewest edits from the query to one of the drill's names, or -1 if none is a typo of it.

    A word that is itself a drill word ("kicks", "run", "march") is what the member meant, not a
    typo: a name without it is a different drill, however close the spelling.
    """
    known = words & vocabulary
    best = -1
    for label_words, label_key in entry.labels:
        if not known <= label_words:
            continue
        allowed = _typo_edits_allowed(label_key)
        edits = _edits(key, label_key, allowed)
        if edits <= allowed and (best < 0 or edits < best):
            best = edits
    return best


def find_drill(query: str) -> Drill:
    """Find the drill a member named, forgiving case, spacing, hyphens, plurals and typos.

    Tries an exact slug, name or alias first, then the same ignoring case, spaces, hyphens and
    plurals ("a skips", "Butt-Kicks"), then the start of a name found in only one drill
    ("swings", "march"), then a typo of one name: at most 1 edit for names up to 6 letters, 2
    for longer ones ("hi knees", "butkicks", "A-skp"), and only when every drill word the member
    typed is in that name. So a close but different name ("straight leg run", "b march",
    "hill strides") never opens a different drill: it gets suggestions instead.

    Args:
        query: what the member typed.

    Returns:
        The matching drill.

    Raises:
        InvalidInput: the query is blank or longer than :data:`MAX_QUERY_LENGTH` characters.
        NotFound: no drill is a match or a typo of one, or two drills are equally close; the
            message suggests up to three near names and points to ``/drill list``.
    """
    text = query.strip()
    if not text:
        raise InvalidInput("name: pick a drill, like A skip.")
    if len(text) > MAX_QUERY_LENGTH:
        raise InvalidInput(
            f"name: drill names are under {MAX_QUERY_LENGTH} characters; try one like A skip."
        )
    library = _library()
    exact = library.exact.get(text.casefold())
    if exact is not None:
        return exact
    words = _words(text)
    key = "".join(words)
    if not key:
        raise _not_found(text, ())
    normalised = library.by_key.get(key)
    if normalised is not None:
        return normalised

    # The start of a name in several drills ("skip", "side") is ambiguous: ask rather than guess.
    if len(key) >= 4:
        starting = [e for e in library.entries if any(s.startswith(key) for s in e.starts)]
        if len(starting) == 1:
            return starting[0].drill
        if starting:
            raise _not_found(text, [drill for _, drill in _ranked(key, starting)[:3]])
    if key in _CATEGORY_KEYS:
        raise _not_found(text, drills_in(_CATEGORY_KEYS[key])[:3])

    typed = frozenset(words)
    typos = sorted(
        (distance, index)
        for index, entry in enumerate(library.entries)
        if (distance := _typo_distance(typed, key, entry, library.vocabulary)) >= 0
    )
    if len(typos) == 1 or (typos and typos[0][0] < typos[1][0]):
        return library.entries[typos[0][1]].drill
    # Drills that share a word with the query ("knee drives": High knees, A march) are better
    # suggestions than names that merely look alike letter by letter.
    sharing = [e for e in library.entries if any(typed & words for words, _ in e.labels)]
    if sharing:
        raise _not_found(text, [drill for _, drill in _ranked(key, sharing)[:3]])
    ranked = _ranked(key, library.entries)
    raise _not_found(text, [drill for score, drill in ranked[:3] if score >= SUGGEST_CUTOFF])


def _rank_key(row: tuple[int, float, int, Drill]) -> tuple[int, float, int]:
    return row[0], row[1], row[2]


def search_drills(query: str, limit: int = 25) -> list[Drill]:
    """Drills for a Discord autocomplete list, best matches first.

    Names that start with the query (at any word) come first, then names containing it, then
    drills in a matching category, then names close in spelling. Never raises, whatever the text.

    Args:
        query: what the member has typed so far; blank lists drills in library order.
        limit: the most drills to return (Discord shows at most 25 choices).

    Returns:
        At most ``limit`` drills (none if ``limit`` is below 1).
    """
    if limit < 1:
        return []
    library = _library()
    # Only a prefix is read: autocomplete input is capped at 100 characters anyway.
    key = _compact(query[:MAX_QUERY_LENGTH])
    if not key:
        return list(library.drills[:limit])

    categories = {category for alias, category in _CATEGORY_KEYS.items() if alias.startswith(key)}
    literal: list[tuple[int, float, int, Drill]] = []
    fuzzy: list[tuple[int, float, int, Drill]] = []
    for index, entry in enumerate(library.entries):
        # Within a tier, the name the query covers most of comes first: "skip" -> A skip
        # before Skipping for height.
        starts = [len(key) / len(start) for start in entry.starts if start.startswith(key)]
        inside = [len(key) / len(k) for k in entry.keys if key in k]
        if starts:
            literal.append((0, -max(starts), index, entry.drill))
        elif inside:
            literal.append((1, -max(inside), index, entry.drill))
        elif entry.drill.category in categories:
            literal.append((2, 0.0, index, entry.drill))
        else:
            score = max(
                max(_similarity(key, k), _similarity(key, k[: len(key)])) for k in entry.keys
            )
            fuzzy.append((3, -score, index, entry.drill))
    # Guess at typos loosely only when nothing matched literally, so "kick" lists Butt kicks
    # alone rather than also Strides (via "pick-ups").
    cutoff = SEARCH_FUZZY_CUTOFF if not literal else FUZZY_CUTOFF_WITH_LITERAL
    ranked = sorted(literal, key=_rank_key) + sorted(
        (row for row in fuzzy if -row[1] >= cutoff), key=_rank_key
    )
    return [drill for *_, drill in ranked[:limit]]


def drills_in(category: str | None) -> tuple[Drill, ...]:
    """The drills in one category, or every drill when no category is given.

    Args:
        category: a category name, matched ignoring case, spaces and hyphens; "warmup",
            "core", "strength" and "stride" work too. ``None`` or blank means all drills.

    Returns:
        The drills, sorted by name within the category.

    Raises:
        InvalidInput: the category is not one Pacer knows; the message lists the valid ones.
    """
    if category is None or not category.strip():
        return all_drills()
    wanted = _CATEGORY_KEYS.get(_compact(category[:MAX_QUERY_LENGTH]))
    if wanted is None:
        raise InvalidInput(
            f"category: '{_echo(category)}' isn't a drill category. "
            f"Pick one of {', '.join(CATEGORIES)}, like warm-up."
        )
    return tuple(drill for drill in all_drills() if drill.category == wanted)
