"""Benchmark: the pure maths behind one /pace zones reply (budget: under 1 ms).

Prints figures; asserts nothing. Run: .venv/bin/python bench/pace_zones.py
"""

from __future__ import annotations

import statistics
import timeit

from bot.services.coaching import predict, zones


def main() -> None:
    runs = 2000
    for name, call in (
        ("/pace zones (parse + VDOT + all zones)", lambda: zones("5K", "22:30")),
        ("/pace predict (9 race equivalents)", lambda: predict("10K", "45:00")),
    ):
        samples = timeit.repeat(call, number=runs, repeat=5)
        per_call_ms = [s / runs * 1000 for s in samples]
        print(
            f"{name}: median {statistics.median(per_call_ms):.3f} ms, "
            f"best {min(per_call_ms):.3f} ms per reply ({runs} x 5 runs)"
        )


if __name__ == "__main__":
    main()
