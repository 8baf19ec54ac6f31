"""migrate-db's checksum must tell apart row sets that differ (issue 15, found breaking it): it
joined each row's values with tabs and wrote NULL as ``\\N``, so a tab moved from one column to
the next, a NULL copied as the text ``\\N``, or a number copied as its digits in text all
checksummed the same as the source."""

from __future__ import annotations

import pytest

from bot.db.transfer import _checksum


@pytest.mark.parametrize(
    ("source", "copy"),
    [
        ([("a\tb", "c")], [("a", "b\tc")]),
        ([(1, None)], [(1, "\\N")]),
        ([(1, 5)], [(1, "5")]),
        ([(1, 2.5)], [(1, "2.5")]),
        ([("a\nb",)], [("a",), ("b",)]),
        ([(1, "x")], [(1, "x"), (1, "x")]),
    ],
)
def test_rows_that_differ_checksum_differently(
    source: list[tuple[object, ...]], copy: list[tuple[object, ...]]
) -> None:
    assert _checksum(source) != _checksum(copy), f"{source!r} and {copy!r} checksum the same"


@pytest.mark.parametrize(
    ("source", "copy"),
    [
        ([(1, "x"), (2, None)], [(2, None), (1, "x")]),  # row order is not content
        ([(1, 1)], [(1, True)]),  # SQLite has no booleans: 1 is PostgreSQL's true
        ([(1, "Zürich 🏃 東京", 0.1 + 0.2)], [(1, "Zürich 🏃 東京", 0.30000000000000004)]),
    ],
)
def test_the_same_rows_checksum_the_same(
    source: list[tuple[object, ...]], copy: list[tuple[object, ...]]
) -> None:
    assert _checksum(source) == _checksum(copy)
