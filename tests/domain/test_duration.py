"""Session lengths as organizers type them."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.domain.duration import MAX_MINUTES, MIN_MINUTES, parse_close_lead, parse_duration
from bot.errors import InvalidInput


@pytest.mark.parametrize(
    ("text", "minutes"),
    [
        ("90m", 90),
        ("90 min", 90),
        ("45 minutes", 45),
        ("1h30", 90),
        ("1h 30m", 90),
        ("1 hour 30 minutes", 90),
        ("2h", 120),
        ("2 HOURS", 120),
        ("1:30", 90),
        ("0:45", 45),
        ("10m", MIN_MINUTES),
        ("24h", MAX_MINUTES),
        ("  1h05 ", 65),
    ],
)
def test_lengths_are_read_in_minutes(text: str, minutes: int) -> None:
    assert parse_duration(text) == minutes


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("", "can't be empty"),
        ("   ", "can't be empty"),
        ("90", "needs a unit"),
        ("5m", "out of range"),
        ("25h", "out of range"),
        ("1h75", "doesn't fit"),
        ("1:75", "isn't a length"),
        ("1.5h", "can't read"),
        ("ninety", "can't read"),
        ("90 parsecs", "can't read"),
        ("-90m", "can't read"),
        ("9" * 40, "too long"),
    ],
)
def test_bad_lengths_name_the_field_and_show_an_example(text: str, says: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        parse_duration(text)
    assert caught.value.message.startswith("duration: ")
    assert says in caught.value.message
    assert "90m" in caught.value.message


@given(st.text(max_size=3000))
def test_any_text_is_a_length_or_a_user_error(text: str) -> None:
    try:
        minutes = parse_duration(text)
    except InvalidInput:
        return
    assert MIN_MINUTES <= minutes <= MAX_MINUTES


@pytest.mark.parametrize(
    ("text", "minutes"),
    [
        ("0", 0),
        ("start", 0),
        ("at the start", 0),
        ("2h", 120),
        ("30m", 30),
        ("1h30", 90),
        ("1d", 1440),
        ("2 days", 2880),
        ("7d", 7 * 1440),
    ],
)
def test_close_lead_reads_what_organizers_type(text: str, minutes: int) -> None:
    assert parse_close_lead(text) == minutes


@pytest.mark.parametrize("text", ["8d", "banana", "", "2", "-1h"])
def test_close_lead_refuses_with_the_field_and_an_example(text: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        parse_close_lead(text)
    assert caught.value.message.startswith("rsvp-closes:")
    assert "2h" in caught.value.message
