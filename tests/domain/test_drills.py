"""The drill library: packaged data, forgiving look-ups, autocomplete and categories."""

from __future__ import annotations

import copy
import json
import re
from importlib import resources
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.domain.drills import (
    CATEGORIES,
    Drill,
    all_drills,
    drills_in,
    find_drill,
    parse_drill_data,
    search_drills,
    warmup_routine,
)
from bot.errors import InvalidInput, NotFound, UserError


def _raw() -> dict[str, Any]:
    text = resources.files("bot.domain").joinpath("data", "drills.json").read_text("utf-8")
    data: dict[str, Any] = json.loads(text)
    return copy.deepcopy(data)


def _slugs(drills: tuple[Drill, ...] | list[Drill]) -> list[str]:
    return [drill.slug for drill in drills]


# --- the packaged data ------------------------------------------------------------------------


def test_library_has_at_least_sixteen_drills() -> None:
    assert len(all_drills()) >= 16


@pytest.mark.parametrize("category", CATEGORIES)
def test_every_category_has_at_least_two_drills(category: str) -> None:
    assert len([d for d in all_drills() if d.category == category]) >= 2


def test_categories_are_the_five_in_listing_order() -> None:
    assert CATEGORIES == ("form", "warm-up", "strength/core", "strides", "mobility")


@pytest.mark.parametrize(
    ("query", "slug", "category"),
    [
        ("A skip", "a-skip", "form"),
        ("High knees", "high-knees", "form"),
        ("glute kicks", "butt-kicks", "form"),
        ("Butt kicks", "butt-kicks", "form"),
        ("Fast feet", "fast-feet", "form"),
        ("Plank", "plank", "strength/core"),
        ("Side plank", "side-plank", "strength/core"),
        ("Dead bug", "dead-bug", "strength/core"),
        ("B skip", "b-skip", "form"),
        ("Carioca", "carioca", "warm-up"),
        ("Straight-leg bounds", "straight-leg-bounds", "form"),
        ("Bounding", "bounding", "form"),
        ("Strides", "strides", "strides"),
        ("Leg swings", "leg-swings", "mobility"),
        ("Walking lunges", "walking-lunges", "mobility"),
        ("Hip circles", "hip-circles", "mobility"),
        ("Hurdle walkovers", "hurdle-walkovers", "mobility"),
        ("Ankling", "ankling", "form"),
        ("Skipping for height", "skipping-for-height", "form"),
        ("Glute bridge", "glute-bridge", "strength/core"),
        ("Calf raises", "calf-raises", "strength/core"),
        ("A march", "a-march", "form"),
        ("Pogo hops", "pogo-hops", "form"),
        ("Frankenstein walk", "frankenstein-walk", "mobility"),
    ],
)
def test_article_and_brief_drills_are_in_the_library(query: str, slug: str, category: str) -> None:
    drill = find_drill(query)
    assert (drill.slug, drill.category) == (slug, category)


def test_butt_kicks_is_also_known_as_glute_kicks() -> None:
    drill = find_drill("butt kicks")
    assert drill.name == "Butt kicks"
    assert "glute kicks" in drill.aliases


def test_drills_are_sorted_by_category_order_then_name() -> None:
    drills = all_drills()
    keys = [(CATEGORIES.index(d.category), d.name.casefold()) for d in drills]
    assert keys == sorted(keys)


def test_slugs_are_unique_kebab_case() -> None:
    slugs = _slugs(all_drills())
    assert len(set(slugs)) == len(slugs)
    assert all(re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", slug) for slug in slugs)


@pytest.mark.parametrize("drill", all_drills(), ids=lambda d: d.slug)
def test_every_drill_is_complete_and_discord_friendly(drill: Drill) -> None:
    assert drill.category in CATEGORIES
    assert 3 <= len(drill.steps) <= 6
    assert 2 <= len(drill.cues) <= 3
    assert 2 <= len(drill.mistakes) <= 4
    assert re.search(r"\d", drill.dose), "a dose says how much"
    texts = [drill.name, drill.purpose, drill.dose, *drill.aliases, *drill.steps]
    texts += [*drill.cues, *drill.mistakes]
    for text in texts:
        assert text.strip() == text
        assert 0 < len(text) < 200
        assert not text.startswith("#")
        assert "\n" not in text


def test_the_same_drill_object_is_returned_every_call() -> None:
    assert all_drills() is all_drills()
    assert warmup_routine() is warmup_routine()


# --- the warm-up routine ----------------------------------------------------------------------


def test_warmup_goes_jog_then_mobility_then_drills_then_strides() -> None:
    routine = warmup_routine()
    jog, mobility, form, strides, *rest = routine
    assert "jog" in jog.name.lower()
    assert jog.dose == "10-15 min"
    assert jog.drills == ()
    assert {d.category for d in mobility.drills} == {"mobility"}
    assert _slugs(mobility.drills) == [
        "leg-swings",
        "hip-circles",
        "frankenstein-walk",
        "walking-lunges",
    ]
    assert _slugs(form.drills) == [
        "a-march",
        "pogo-hops",
        "a-skip",
        "b-skip",
        "high-knees",
        "butt-kicks",
        "fast-feet",
        "carioca",
    ]
    assert _slugs(strides.drills) == ["strides"]
    assert strides.dose == "4-6 x 80-100 m"
    assert len(rest) == 1
    assert rest[0].note


def test_every_routine_step_has_a_dose_and_a_short_note() -> None:
    for step in warmup_routine():
        assert step.name
        assert step.dose
        assert 0 < len(step.note) < 200


def test_routine_drills_are_library_drills() -> None:
    library = set(all_drills())
    for step in warmup_routine():
        assert set(step.drills) <= library


# --- validation of the data -------------------------------------------------------------------


def test_parse_accepts_the_packaged_data() -> None:
    drills, routine = parse_drill_data(_raw())
    assert drills == all_drills()
    assert routine == warmup_routine()


def _break_duplicate_slug(raw: dict[str, Any]) -> None:
    raw["drills"][1]["slug"] = raw["drills"][0]["slug"]


def _break_shared_alias(raw: dict[str, Any]) -> None:
    raw["drills"][1]["aliases"].append(raw["drills"][0]["name"].upper())


def _break_category(raw: dict[str, Any]) -> None:
    raw["drills"][0]["category"] = "cardio"


def _break_purpose(raw: dict[str, Any]) -> None:
    raw["drills"][0]["purpose"] = "   "


def _break_dose(raw: dict[str, Any]) -> None:
    del raw["drills"][0]["dose"]


def _break_steps(raw: dict[str, Any]) -> None:
    raw["drills"][0]["steps"] = ["Only one step."]


def _break_long_text(raw: dict[str, Any]) -> None:
    raw["drills"][0]["cues"][0] = "x" * 201


def _break_header(raw: dict[str, Any]) -> None:
    raw["drills"][0]["purpose"] = "# Big header"


def _break_slug_case(raw: dict[str, Any]) -> None:
    raw["drills"][0]["slug"] = "A Skip"


def _break_unknown_field(raw: dict[str, Any]) -> None:
    raw["drills"][0]["video"] = "https://example.com"


def _break_routine_slug(raw: dict[str, Any]) -> None:
    raw["routine"][2]["drills"].append("moonwalk")


def _break_routine_note(raw: dict[str, Any]) -> None:
    del raw["routine"][0]["note"]


def _break_empty_routine(raw: dict[str, Any]) -> None:
    raw["routine"] = []


@pytest.mark.parametrize(
    "breaker",
    [
        _break_duplicate_slug,
        _break_shared_alias,
        _break_category,
        _break_purpose,
        _break_dose,
        _break_steps,
        _break_long_text,
        _break_header,
        _break_slug_case,
        _break_unknown_field,
        _break_routine_slug,
        _break_routine_note,
        _break_empty_routine,
    ],
)
def test_parse_rejects_bad_data(breaker: Any) -> None:
    raw = _raw()
    breaker(raw)
    with pytest.raises(ValueError):
        parse_drill_data(raw)


@pytest.mark.parametrize("raw", [None, [], "drills", {"drills": []}, {"routine": []}])
def test_parse_rejects_a_malformed_document(raw: object) -> None:
    with pytest.raises(ValueError):
        parse_drill_data(raw)


# --- find_drill -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "slug"),
    [
        ("a-skip", "a-skip"),
        ("A skip", "a-skip"),
        ("askip", "a-skip"),
        ("A SKIP", "a-skip"),
        ("  a   skip  ", "a-skip"),
        ("a skips", "a-skip"),
        ("A-Skips", "a-skip"),
        ("A-skp", "a-skip"),
        ("Á skip", "a-skip"),
        ("bskp", "b-skip"),
        ("hi knees", "high-knees"),
        ("High-Knees", "high-knees"),
        ("highknee", "high-knees"),
        ("butkicks", "butt-kicks"),
        ("Glute Kicks", "butt-kicks"),
        ("heel flicks", "butt-kicks"),
        ("fastfeet", "fast-feet"),
        ("grapevine", "carioca"),
        ("carioka", "carioca"),
        ("lunges", "walking-lunges"),
        ("swings", "leg-swings"),
        ("stride", "strides"),
        ("pick-ups", "strides"),
        ("hill sprints", "hill-sprints"),
        ("straight leg kicks", "frankenstein-walk"),
        ("Straight-Leg Kicks", "frankenstein-walk"),
        ("straight-leg kiks", "frankenstein-walk"),
        ("frankenstien walk", "frankenstein-walk"),
        ("toy soldier", "frankenstein-walk"),
        ("high kicks", "frankenstein-walk"),
        ("a marh", "a-march"),
        ("march", "a-march"),
        ("pogo", "pogo-hops"),
        ("ankle hops", "pogo-hops"),
        ("single leg calf raises", "calf-raises"),
        ("single-leg bridge", "glute-bridge"),
        ("flys", "flying-sprints"),
        ("accels", "strides"),
        ("dead bugs", "dead-bug"),
        ("dead bg", "dead-bug"),
        ("pank", "plank"),
        ("sid plank", "side-plank"),
        ("bridge", "glute-bridge"),
        ("calf raise", "calf-raises"),
        ("bounds", "bounding"),
        ("straight leg bounds", "straight-leg-bounds"),
        ("hurdle walk-overs", "hurdle-walkovers"),
        ("open the gate", "hip-circles"),
        ("backwards run", "backward-run"),
    ],
)
def test_find_drill_forgives_case_spacing_plurals_and_typos(query: str, slug: str) -> None:
    assert find_drill(query).slug == slug


def test_find_drill_unknown_name_suggests_examples_and_the_list_command() -> None:
    with pytest.raises(NotFound) as caught:
        find_drill("xyz")
    message = caught.value.message
    assert message.startswith("name: I don't know a drill called 'xyz'. Try one of: ")
    assert message.endswith(" — or use /drill list.")
    assert "A skip" in message


def test_find_drill_near_miss_suggests_the_closest_names() -> None:
    with pytest.raises(NotFound) as caught:
        find_drill("skip")
    assert "Try one of: A skip, B skip, Skipping for height — or use /drill list." in str(
        caught.value
    )


def test_find_drill_ambiguous_fragment_asks_instead_of_guessing() -> None:
    with pytest.raises(NotFound) as caught:
        find_drill("side")
    message = caught.value.message
    assert "Side plank" in message
    assert "Lateral shuffle" in message


def test_find_drill_category_name_suggests_drills_in_it() -> None:
    with pytest.raises(NotFound) as caught:
        find_drill("core")
    names = {d.name for d in drills_in("strength/core")}
    suggested = caught.value.message.split("Try one of: ")[1].split(" — ")[0].split(", ")
    assert len(suggested) == 3
    assert set(suggested) <= names


def test_find_drill_not_found_echo_is_short_and_one_line() -> None:
    with pytest.raises(NotFound) as caught:
        find_drill("zzzz\nqqqq " * 9)
    message = caught.value.message
    assert "\n" not in message
    assert len(message) < 200


@pytest.mark.parametrize("query", ["", "   ", "\t\n"])
def test_find_drill_blank_asks_for_a_name_with_an_example(query: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        find_drill(query)
    assert caught.value.message == "name: pick a drill, like A skip."


def test_find_drill_too_long_names_the_field_and_an_example() -> None:
    with pytest.raises(InvalidInput) as caught:
        find_drill("a" * 101)
    assert caught.value.message.startswith("name: ")
    assert "A skip" in caught.value.message


def test_find_drill_accepts_exactly_one_hundred_characters() -> None:
    with pytest.raises(NotFound):
        find_drill("q" * 100)


# --- near misses: a close but different name gets suggestions, never a different drill -------


def _suggested(query: str) -> list[str]:
    with pytest.raises(NotFound) as caught:
        find_drill(query)
    return caught.value.message.split("Try one of: ")[1].split(" — ")[0].split(", ")


def test_straight_leg_kicks_opens_the_frankenstein_walk_not_the_harder_bounds() -> None:
    drill = find_drill("straight leg kicks")
    assert drill.slug == "frankenstein-walk"
    assert drill.category == "mobility"


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        # Straight-leg running is the easier cousin of the bounds, not the same drill.
        ("straight leg run", ["Straight-leg bounds"]),
        ("straight-leg run", ["Straight-leg bounds"]),
        ("straight leg", ["Frankenstein walk", "Straight-leg bounds"]),
        ("single leg bounds", ["Straight-leg bounds", "Bounding"]),
        ("lateral bounds", ["Bounding"]),
        ("b march", ["A march"]),
        ("c skip", ["A skip", "B skip"]),
        ("side skips", ["A skip"]),
        # Strides are fast but relaxed; hill and flying sprints are near all-out.
        ("hill strides", ["Hill sprints", "Strides"]),
        ("uphill strides", ["Hill sprints", "Strides"]),
        ("flying strides", ["Flying sprints", "Strides"]),
        ("knee drives", ["High knees", "A march"]),
        ("kicks", ["Butt kicks", "Frankenstein walk"]),
        ("ankle", ["Ankling", "Pogo hops"]),
        ("ankle walks", ["Walking lunges"]),
        ("hip hops", ["Hip circles", "Pogo hops"]),
        ("tuck jumps", ["Pogo hops"]),
        ("skater hops", ["Pogo hops"]),
        ("box jumps", ["Pogo hops"]),
        ("side lunges", ["Walking lunges"]),
        ("leg raises", ["Calf raises"]),
        ("heel walks", ["Calf raises"]),
        ("dead lift", ["Dead bug"]),
        ("plank jacks", ["Plank", "Side plank"]),
        ("scissor run", ["Backward run"]),
    ],
)
def test_a_close_but_different_name_gets_suggestions(query: str, expected: list[str]) -> None:
    suggested = _suggested(query)
    assert set(expected) <= set(suggested)
    assert len(suggested) <= 3


def _vocabulary() -> list[str]:
    words = {
        word
        for drill in all_drills()
        for label in (drill.slug, drill.name, *drill.aliases)
        for word in re.findall(r"[a-z0-9]+", label.casefold())
    }
    return sorted(words)


def _singular(word: str) -> str:
    return word[:-1] if len(word) > 3 and word.endswith("s") and not word.endswith("ss") else word


def _label_words(drill: Drill) -> set[str]:
    return {
        word
        for label in (drill.slug, drill.name, *drill.aliases)
        for word in re.findall(r"[a-z0-9]+", label.casefold())
    }


@given(st.lists(st.sampled_from(_vocabulary()), min_size=1, max_size=3))
def test_every_drill_word_typed_is_in_the_drill_found(words: list[str]) -> None:
    # Whatever drill words a member strings together, Pacer opens only a drill whose names
    # contain them all (a plural or a word start is fine), or asks: it never swaps one word
    # for another, as "straight leg kicks" once became "straight leg bounds".
    try:
        drill = find_drill(" ".join(words))
    except NotFound:
        return
    names = {_singular(name) for name in _label_words(drill)}
    for word in words:
        assert any(name.startswith(_singular(word)) for name in names), (words, drill.slug)


# --- what the cards say -----------------------------------------------------------------------


def test_strides_are_described_one_way_in_the_card_and_the_warm_up() -> None:
    strides = find_drill("strides")
    step = next(step for step in warmup_routine() if strides in step.drills)
    texts = [strides.purpose, *strides.steps, step.note]
    said = " ".join(texts).casefold()
    assert "top speed" not in said
    assert "90%" not in said
    assert "mile race effort" in strides.purpose
    assert "mile race effort" in step.note
    assert any("mile race effort" in text for text in strides.steps)
    assert "never a sprint" in strides.purpose
    assert step.dose == strides.dose


def test_only_strides_are_called_strides() -> None:
    # Near all-out efforts are sprints: calling them strides would give strides a second meaning.
    for drill in all_drills():
        labels = " ".join((drill.name, *drill.aliases)).casefold()
        if "stride" in labels:
            assert drill.slug == "strides"
    assert "near all-out" in find_drill("hill sprints").purpose
    assert "faster than strides" in find_drill("flying sprints").purpose


@pytest.mark.parametrize("slug", ["calf-raises", "glute-bridge"])
def test_a_two_legged_exercise_doses_both_stages_of_its_progression(slug: str) -> None:
    drill = next(d for d in all_drills() if d.slug == slug)
    assert "one leg" in drill.steps[-1]
    first_stage, second_stage = drill.dose.split("; ")
    assert "each leg" not in first_stage
    assert "each leg" in second_stage


def test_calf_raises_start_on_both_feet_then_go_to_one_leg() -> None:
    calf = find_drill("calf raises")
    assert "both feet" in calf.steps[0]
    assert calf.dose == "3 x 15 on both feet; then 3 x 12-15 each leg"


@pytest.mark.parametrize(
    ("slug", "words"),
    [
        ("a-march", ["knee", "toes up", "under", "skip"]),
        ("pogo-hops", ["ankle", "balls of", "heels", "short"]),
        ("frankenstein-walk", ["straight", "opposite hand", "hamstring"]),
    ],
)
def test_new_drills_coach_how_and_why(slug: str, words: list[str]) -> None:
    drill = next(d for d in all_drills() if d.slug == slug)
    said = " ".join((drill.purpose, *drill.steps, *drill.cues)).casefold()
    for word in words:
        assert word in said
    assert len(drill.mistakes) >= 3
    assert re.search(r"\d+ x \d+", drill.dose)


def test_a_march_comes_before_the_a_skip_and_pogo_hops_before_the_skips() -> None:
    form = next(step for step in warmup_routine() if step.name == "Form drills")
    slugs = _slugs(form.drills)
    assert slugs.index("a-march") < slugs.index("a-skip")
    assert slugs.index("pogo-hops") < slugs.index("a-skip")


def test_straight_leg_bounds_is_a_plyometric_bound() -> None:
    bounds = find_drill("straight-leg bounds")
    said = " ".join((bounds.purpose, *bounds.steps)).casefold()
    assert "plyometric" in said
    assert "flight" in said
    assert not {"straight leg run", "straight-leg run", "scissor run"} & set(bounds.aliases)


# --- search_drills ----------------------------------------------------------------------------


def test_search_blank_lists_drills_in_library_order() -> None:
    assert search_drills("") == list(all_drills()[:25])
    assert search_drills("   ", limit=5) == list(all_drills()[:5])


@pytest.mark.parametrize("limit", [0, -3])
def test_search_with_no_room_returns_nothing(limit: int) -> None:
    assert search_drills("skip", limit=limit) == []
    assert search_drills("", limit=limit) == []


@pytest.mark.parametrize("limit", [1, 3, 25])
def test_search_respects_the_limit(limit: int) -> None:
    assert len(search_drills("e", limit=limit)) <= limit
    assert len(search_drills("e", limit=limit)) == min(limit, len(search_drills("e", 100)))


def test_search_word_prefix_ranks_the_closest_names_first() -> None:
    assert _slugs(search_drills("skip"))[:3] == ["a-skip", "b-skip", "skipping-for-height"]


def test_search_prefix_comes_before_substring() -> None:
    slugs = _slugs(search_drills("plan"))
    assert slugs[:2] == ["plank", "side-plank"]
    results = _slugs(search_drills("bound"))
    assert results.index("bounding") < results.index("straight-leg-bounds")


def test_search_substring_comes_before_fuzzy() -> None:
    # "kick" starts words of Butt kicks and of Frankenstein walk ("straight leg kicks");
    # "pick" (Strides' "pick-ups") is only a near spelling.
    assert _slugs(search_drills("kick")) == ["butt-kicks", "frankenstein-walk"]


def test_search_falls_back_to_fuzzy_for_typos() -> None:
    assert _slugs(search_drills("hi kn"))[0] == "high-knees"
    assert _slugs(search_drills("butkick"))[0] == "butt-kicks"
    assert _slugs(search_drills("carioka"))[0] == "carioca"


def test_search_category_word_lists_that_category() -> None:
    slugs = set(_slugs(search_drills("core")))
    assert slugs == set(_slugs(drills_in("strength/core")))


def test_search_nonsense_returns_nothing() -> None:
    assert search_drills("zzzzqqq") == []


def test_search_survives_huge_and_unicode_input() -> None:
    assert isinstance(search_drills("a" * 100_000), list)
    assert search_drills("🏃‍♀️💨" * 50) == list(all_drills()[:25])
    assert _slugs(search_drills("Á SKÎP"))[0] == "a-skip"


# --- drills_in --------------------------------------------------------------------------------


@pytest.mark.parametrize("category", CATEGORIES)
def test_drills_in_returns_only_that_category(category: str) -> None:
    drills = drills_in(category)
    assert len(drills) >= 2
    assert {d.category for d in drills} == {category}


@pytest.mark.parametrize(
    ("given_name", "category"),
    [
        ("FORM", "form"),
        ("Warm-Up", "warm-up"),
        ("warmup", "warm-up"),
        ("warm up", "warm-up"),
        ("core", "strength/core"),
        ("Strength", "strength/core"),
        ("strength & core", "strength/core"),
        ("stride", "strides"),
        ("Mobility", "mobility"),
    ],
)
def test_drills_in_accepts_common_spellings(given_name: str, category: str) -> None:
    assert drills_in(given_name) == drills_in(category)


@pytest.mark.parametrize("category", [None, "", "  "])
def test_drills_in_without_a_category_lists_everything(category: str | None) -> None:
    assert drills_in(category) == all_drills()


def test_drills_in_unknown_category_lists_the_valid_ones() -> None:
    with pytest.raises(InvalidInput) as caught:
        drills_in("cardio")
    message = caught.value.message
    assert message.startswith("category: 'cardio' isn't a drill category.")
    for category in CATEGORIES:
        assert category in message
    assert "like warm-up" in message


# --- properties -------------------------------------------------------------------------------


@given(st.text(max_size=300), st.integers(min_value=-5, max_value=40))
def test_search_never_raises_and_respects_the_limit(query: str, limit: int) -> None:
    results = search_drills(query, limit=limit)
    assert len(results) <= max(limit, 0)
    assert all(isinstance(d, Drill) for d in results)


@given(st.text(max_size=150))
def test_find_drill_raises_only_user_errors(query: str) -> None:
    outcome: Drill | UserError
    try:
        outcome = find_drill(query)
    except UserError as error:
        outcome = error
    if isinstance(outcome, UserError):
        assert isinstance(outcome, InvalidInput | NotFound)
        assert outcome.message
    else:
        assert outcome in all_drills()


@given(st.sampled_from(all_drills()), st.sampled_from(["name", "slug", "alias"]))
def test_every_name_and_alias_finds_its_own_drill(drill: Drill, which: str) -> None:
    label = {"name": drill.name, "slug": drill.slug}.get(which)
    labels = [label] if label else list(drill.aliases)
    for text in labels:
        assert find_drill(text) == drill
        assert find_drill(text.upper()) == drill
