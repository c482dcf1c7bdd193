"""Time `plangen batch` on N copies of the example against a least-work baseline.

The baseline uses the same libraries doing the least possible work, in one process:
openpyxl reads every workbook, python-docx opens and saves one output document each.
Prints both times, their ratio (target: batch / baseline <= 0.5) and peak memory, and
the CPU time one plan takes in each stage (read, check, summary, render, charts, record,
save), measured in this process over `--stages` plans after one to warm up.

    python3 benchmarks/batch.py            # 200 workbooks
    python3 benchmarks/batch.py --n 1000
    python3 benchmarks/batch.py --n 0 --stages 50   # the stages only
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "input_examples" / "super_excited_division.xlsx"


def make_copies(folder: Path, n: int) -> list[Path]:
    """N copies of the example, 50 to a sub-folder."""
    paths = []
    for i in range(n):
        path = folder / f"group{i // 50:02d}" / f"district{i:04d}.xlsx"
        path.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(EXAMPLE, path)
        paths.append(path)
    return paths


def run_batch(folder: Path, out: Path, jobs: int | None) -> float:
    """Seconds `plangen batch` takes, process start included."""
    command = [sys.executable, "-m", "plangen", "batch", str(folder), "-o", str(out), "--force"]
    if jobs:
        command += ["--jobs", str(jobs)]
    start = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        sys.exit(f"plangen batch failed:\n{done.stdout[-2000:]}\n{done.stderr[-2000:]}")
    return elapsed


def run_baseline(workbooks: list[Path], document: Path, out: Path) -> tuple[float, float]:
    """Seconds and CPU seconds for the least-work baseline, imports included, in this
    process."""
    start, cpu = time.perf_counter(), time.process_time()
    import docx
    import openpyxl

    out.mkdir(parents=True, exist_ok=True)
    for i, path in enumerate(workbooks):
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
        for sheet in book.worksheets:
            for _row in sheet.iter_rows(values_only=True):
                pass
        book.close()
        docx.Document(str(document)).save(str(out / f"{i}.docx"))
    return time.perf_counter() - start, time.process_time() - cpu


class Stages:
    """CPU seconds spent in each stage, each function's own time (what it calls that is
    timed too is counted in that stage, not twice)."""

    def __init__(self) -> None:
        self.cpu: dict[str, float] = defaultdict(float)
        self._inner: list[float] = []

    def wrap(self, owner: Any, name: str, stage: str) -> None:
        original: Callable[..., Any] = getattr(owner, name)

        def timed(*args: Any, **kwargs: Any) -> Any:
            start = time.process_time()
            self._inner.append(0.0)
            try:
                return original(*args, **kwargs)
            finally:
                spent = time.process_time() - start
                self.cpu[stage] += spent - self._inner.pop()
                if self._inner:
                    self._inner[-1] += spent

        setattr(owner, name, timed)


STAGES = ("read", "check", "summary", "render", "charts", "record", "save", "other")


def stage_times(workbooks: list[Path], out: Path) -> tuple[dict[str, float], float]:
    """CPU seconds a plan takes in each stage, and in all, over `workbooks` built one by
    one in this process (the first is built once before, to warm up)."""
    from plangen import pipeline
    from plangen.document import charts, render
    from plangen.workbook import reader

    stages = Stages()
    stages.wrap(reader, "read_grids", "read")
    for name in ("read_plan", "check_dates", "revision_marks", "missed_issues"):
        stages.wrap(pipeline, name, "check")
    for name in ("plan_schedule", "summarize"):
        stages.wrap(pipeline, name, "summary")
    for name in ("build_context", "load_template"):
        stages.wrap(render, name, "render")
    stages.wrap(render._OnceTemplate, "render", "render")
    for name in ("markers", "plan_charts", "accent_colour", "place_charts"):
        stages.wrap(charts, name, "charts")
    for name in ("stamp", "record_of"):
        stages.wrap(render, name, "record")
    stages.wrap(render._OnceTemplate, "save", "save")
    stages.wrap(pipeline, "build", "other")
    pipeline.build(workbooks[0], out / "warm", force=True)
    stages.cpu.clear()
    start = time.process_time()
    for i, path in enumerate(workbooks):
        pipeline.build(path, out / f"s{i}", force=True)
    total = time.process_time() - start
    return {k: v / len(workbooks) for k, v in stages.cpu.items()}, total / len(workbooks)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=200, help="number of workbooks (200)")
    parser.add_argument("--jobs", type=int, default=None, help="plangen batch --jobs")
    parser.add_argument("--stages", type=int, default=20, help="plans timed by stage (20)")
    args = parser.parse_args()
    per_plan = None
    if args.stages:
        with tempfile.TemporaryDirectory(prefix="plangen-stages-") as tmp:
            workbooks = make_copies(Path(tmp) / "in", args.stages)
            per_stage, per_plan = stage_times(workbooks, Path(tmp) / "out")
        print(f"CPU per plan, by stage ({args.stages} plans, one process):")
        for stage in STAGES:
            print(f"  {stage:8} {1000 * per_stage.get(stage, 0.0):6.1f} ms")
        print(f"  {'total':8} {1000 * per_plan:6.1f} ms")
    if not args.n:
        return
    with tempfile.TemporaryDirectory(prefix="plangen-bench-") as tmp:
        folder, out = Path(tmp) / "in", Path(tmp) / "out"
        workbooks = make_copies(folder, args.n)
        batch_s = run_batch(folder, out, args.jobs)
        batch_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        document = next(out.rglob("*.docx"))
        base_s, base_cpu = run_baseline(workbooks, document, Path(tmp) / "baseline")
        base_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(f"workbooks:             {args.n} (jobs: {args.jobs or os.cpu_count()})")
    print(f"plangen batch:         {batch_s:.2f} s ({1000 * batch_s / args.n:.1f} ms/plan)")
    print(f"baseline (1 process):  {base_s:.2f} s ({1000 * base_s / args.n:.1f} ms/plan)")
    print(f"ratio batch/baseline:  {batch_s / base_s:.2f} (target <= 0.5)")
    jobs = args.jobs or os.cpu_count() or 1
    print(f"baseline CPU:          {base_cpu:.2f} s ({1000 * base_cpu / args.n:.1f} ms/plan)")
    if per_plan is not None:
        print(
            f"ratio on {jobs} free CPUs (estimate): {per_plan * args.n / jobs / base_cpu:.2f} "
            "(CPU per plan above x plans / jobs, over the baseline's CPU; process starts "
            "left out)"
        )
    print(f"peak memory, largest plangen process: {batch_kb / 1024:.0f} MB")
    print(f"peak memory, baseline process:        {base_kb / 1024:.0f} MB")


if __name__ == "__main__":
    main()
