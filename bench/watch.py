"""Benchmark: a FIT workout file per runner (plan to watch steps to bytes with Garmin's FIT SDK)
for every real workout in shared/reference/workouts-real.tsv and Pacer's own corpus.

Prints figures; asserts nothing. Run: .venv/bin/python bench/watch.py
"""

from __future__ import annotations

import csv
import statistics
import timeit
from datetime import UTC, date, datetime
from pathlib import Path

from bot.domain.pace import vdot_from_race
from bot.domain.parsing import Race
from bot.domain.workouts import parse_workout, plan_workout
from bot.services.watch import fit_workout_file
from bot.services.workouts import PersonalPlan

ROOT = Path(__file__).resolve().parents[1]
FILES = (
    ROOT / ".." / "shared" / "reference" / "workouts-real.tsv",
    ROOT / "tests" / "domain" / "data" / "workouts-extra.tsv",
)
VDOT = vdot_from_race(5000.0, 1350.0)
CREATED = datetime(2026, 11, 30, tzinfo=UTC)


def _texts(path: Path) -> list[tuple[str, str]]:
    with path.open(encoding="utf-8") as handle:
        return [(row["id"], row["text"]) for row in csv.DictReader(handle, delimiter="\t")]


def main() -> None:
    runs = 50
    for path in FILES:
        timings: list[tuple[float, str, int]] = []
        for row_id, text in _texts(path):
            personal = PersonalPlan(plan_workout(parse_workout(text), VDOT, Race("5K", 5000.0)), "")

            def call(personal: PersonalPlan = personal) -> bytes:
                return fit_workout_file(personal, "Speed session", date(2026, 12, 1), CREATED).data

            size = len(call())
            best = min(timeit.repeat(call, number=runs, repeat=3)) / runs
            timings.append((best * 1000, row_id, size))
        times = sorted(t for t, _, _ in timings)
        slowest = max(timings)
        sizes = [s for _, _, s in timings]
        print(
            f"{path.name}: {len(timings)} files, median {statistics.median(times):.2f} ms, "
            f"p90 {times[int(len(times) * 0.9)]:.2f} ms, slowest {slowest[0]:.2f} ms "
            f"({slowest[1]}), size median {statistics.median(sizes):.0f} B, max {max(sizes)} B"
        )


if __name__ == "__main__":
    main()
