"""Closing leads and lengths typed in odd but meaningful ways (issue 12): zero in any unit is
"at the start", and long numbers are read and then held to the range, whose refusal names it."""

from __future__ import annotations

import pytest

from bot.domain.duration import parse_close_lead, parse_duration
from bot.errors import InvalidInput


@pytest.mark.parametrize("text", ["0", "0m", "0h", "0 min", "0d", "0 days"])
def test_zero_in_any_unit_closes_at_the_start(text: str) -> None:
    assert parse_close_lead(text) == 0


@pytest.mark.parametrize(
    ("text", "minutes"), [("10080m", 10080), ("168h", 10080), ("7 days", 10080), ("1h30", 90)]
)
def test_a_week_in_any_unit_is_read(text: str, minutes: int) -> None:
    assert parse_close_lead(text) == minutes


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("10081m", "at most 7 days"),
        ("300h", "at most 7 days"),
        ("100d", "at most 7 days"),
        ("90", "needs a unit"),
        ("-1h", "can't read"),
    ],
)
def test_a_bad_lead_names_the_field_and_why(text: str, reason: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        parse_close_lead(text)
    assert str(refused.value).startswith("rsvp-closes:")
    assert reason in str(refused.value)
    assert "like 2h" in str(refused.value)


@pytest.mark.parametrize("text", ["99999m", "300h", "0m"])
def test_a_long_or_zero_length_is_refused_as_out_of_range(text: str) -> None:
    with pytest.raises(InvalidInput, match="out of range"):
        parse_duration(text)
