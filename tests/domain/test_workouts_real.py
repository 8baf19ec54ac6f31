"""Every real workout in shared/reference/workouts-real.tsv reads as its meaning column says,
and so does Pacer's own corpus of other real-style workouts (tests/domain/data)."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from bot.domain.workouts import flat_plan
from tests.domain.workout_meaning import problems

ROOT = Path(__file__).resolve().parents[2]
SHARED_TSV = ROOT / ".." / "shared" / "reference" / "workouts-real.tsv"
OWN_TSV = Path(__file__).parent / "data" / "workouts-extra.tsv"


def _rows(path: Path) -> list[tuple[str, str, str]]:
    with path.open(encoding="utf-8") as handle:
        reader = csv.DictReader(handle, delimiter="\t")
        meaning = next(k for k in reader.fieldnames or [] if k.startswith("meaning"))
        return [(row["id"], row["text"], row[meaning]) for row in reader]


SHARED = _rows(SHARED_TSV)
OWN = _rows(OWN_TSV)


def test_the_shared_file_is_all_there() -> None:
    assert len(SHARED) == 29


@pytest.mark.parametrize(("row_id", "text", "meaning"), SHARED, ids=[r[0] for r in SHARED])
def test_shared_real_workout_reads_as_its_meaning(row_id: str, text: str, meaning: str) -> None:
    parts = flat_plan(text, race_distance_m=5000.0, race_seconds=1350.0)
    assert problems(meaning, parts, text) == [], row_id


@pytest.mark.parametrize(("row_id", "text", "meaning"), OWN, ids=[r[0] for r in OWN])
def test_own_corpus_workout_reads_as_its_meaning(row_id: str, text: str, meaning: str) -> None:
    parts = flat_plan(text, race_distance_m=5000.0, race_seconds=1350.0)
    assert problems(meaning, parts, text) == [], row_id
