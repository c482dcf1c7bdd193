"""Time how pull finds each recorded value's row (`roundtrip.pull.match_rows`) as plans
grow: N supports in the workbook, N entries in the plan's record, rows shuffled.

Matching indexes rows by what they held when the plan was built, so the time grows with
N (linear): 8 times the rows should take about 8 times as long, never 64 (quadratic,
issue 22 item 5: 4,000 x 4,000 took 36 s). Prints the seconds for each N and the ratio
of the largest to the smallest against the ratio of their sizes.

    python3 benchmarks/pull_matching.py
    python3 benchmarks/pull_matching.py --sizes 500 4000 16000
"""

from __future__ import annotations

import argparse
import random
import time
from datetime import date, timedelta
from pathlib import Path

from plangen.kinds import get_kind
from plangen.model import Plan, Record
from plangen.roundtrip.pull import match_rows
from plangen.roundtrip.record import record_of


def plan_of(n: int, seed: int = 1) -> Plan:
    """A system plan with `n` supports, every tenth repeating another's words."""
    kind = get_kind("system")
    start = date(2025, 7, 1)
    rows = []
    for i in range(n):
        words = f"Support number {i // 10 if i % 10 == 0 else i}: meet the team and plan."
        values = {
            "level": "Division Leadership Team", "support": words, "goal": 1 + i % 3,
            "status": "Not started", "target_date": start + timedelta(days=i % 300),
            "completed_on": None, "drop_reason": None,
        }
        rows.append(Record("Supports", 4 + i, values, {k: f"A{4 + i}" for k in values}))
    plan = Plan(kind, Path("bench.xlsx"), {"district": "Bench", "date_initiated": start},
                {"supports": rows})
    return plan


def seconds(n: int) -> float:
    """Seconds to match a record of `n` entries against `n` shuffled rows."""
    plan = plan_of(n)
    record = record_of(plan, "bench.xlsx", date(2025, 7, 1))
    entries = [(k, v) for k, v in record.values.items() if k.startswith("supports|")]
    rows = plan.tables["supports"]
    random.Random(n).shuffle(rows)
    for i, row in enumerate(rows):  # sorted in the workbook: every row has a new number
        row.row = 4 + i
    began = time.perf_counter()
    found = match_rows(plan, "supports", entries)
    took = time.perf_counter() - began
    assert len(found) == n and all(isinstance(v, Record) for v in found.values())
    return took


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[500, 4000])
    sizes = sorted(parser.parse_args().sizes)
    times = {n: min(seconds(n) for _ in range(3)) for n in sizes}
    for n, t in times.items():
        print(f"{n:>6} rows x {n} entries: {t * 1000:8.1f} ms")
    small, large = sizes[0], sizes[-1]
    print(f"time ratio {times[large] / times[small]:.1f} for {large / small:.0f}x the rows "
          f"(linear: ~{large / small:.0f}, quadratic: ~{(large / small) ** 2:.0f})")


if __name__ == "__main__":
    main()
