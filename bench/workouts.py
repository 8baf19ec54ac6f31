"""Benchmark: parse + plan time for every real workout in shared/reference/workouts-real.tsv
and Pacer's own corpus (budget: under 1 ms each).

Prints figures; asserts nothing. Run: .venv/bin/python bench/workouts.py
"""

from __future__ import annotations

import csv
import statistics
import timeit
from pathlib import Path

from bot.domain.pace import vdot_from_race
from bot.domain.parsing import Race
from bot.domain.workouts import parse_workout, plan_workout

ROOT = Path(__file__).resolve().parents[1]
FILES = (
    ROOT / ".." / "shared" / "reference" / "workouts-real.tsv",
    ROOT / "tests" / "domain" / "data" / "workouts-extra.tsv",
)
FIVE_K = Race("5K", 5000.0)
VDOT = vdot_from_race(5000.0, 1350.0)


def _texts(path: Path) -> list[tuple[str, str]]:
    with path.open(encoding="utf-8") as handle:
        return [(row["id"], row["text"]) for row in csv.DictReader(handle, delimiter="\t")]


def main() -> None:
    runs = 200
    for path in FILES:
        rows = _texts(path)
        per_workout: list[tuple[float, str]] = []
        for row_id, text in rows:

            def call(text: str = text) -> None:
                plan_workout(parse_workout(text), VDOT, FIVE_K)

            best = min(timeit.repeat(call, number=runs, repeat=5)) / runs * 1000
            per_workout.append((best, row_id))
        times = sorted(t for t, _ in per_workout)
        slowest = max(per_workout)
        print(
            f"{path.name} ({len(rows)} workouts): median {statistics.median(times):.3f} ms, "
            f"p90 {times[int(len(times) * 0.9)]:.3f} ms, slowest {slowest[0]:.3f} ms "
            f"({slowest[1]}), parse + plan per workout"
        )


if __name__ == "__main__":
    main()
