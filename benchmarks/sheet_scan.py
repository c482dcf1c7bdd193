"""Time the streaming pre-scan of every sheet (filled extent, unsaved formulas) that
`read_grids` does before calamine reads a workbook, against calamine's read alone.

Prints both times per workbook and their ratio (scan / calamine read), for the example
and for a sheet of 20,000 filled rows; and the peak memory of refusing XFD1048576.

    python3 benchmarks/sheet_scan.py
"""

from __future__ import annotations

import resource
import shutil
import sys
import tempfile
import time
import zipfile
from pathlib import Path

import python_calamine
from openpyxl import load_workbook

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
from plangen.workbook.grids import read_grids, scan_sheets  # noqa: E402

EXAMPLE = ROOT / "input_examples" / "super_excited_division.xlsx"


def best_of(action, runs: int = 5) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return min(times)


def calamine_read(path: Path) -> None:
    book = python_calamine.CalamineWorkbook.from_path(str(path))
    for name in book.sheet_names:
        book.get_sheet_by_name(name).to_python(skip_empty_area=False)


def scan(path: Path) -> None:
    with zipfile.ZipFile(path) as archive:
        scan_sheets(archive, path)


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        big = Path(tmp) / "big.xlsx"
        book = load_workbook(EXAMPLE)
        sheet = book["Observations"]
        for row in range(4, 20_004):
            sheet.cell(row, 1, f"Observation number {row}, seen in the team meeting")
        book.save(big)
        far = Path(tmp) / "far.xlsx"
        shutil.copyfile(EXAMPLE, far)
        book = load_workbook(EXAMPLE)
        book["Observations"]["XFD1048576"] = "x"
        book.save(far)
        for path in (EXAMPLE, big):
            read = best_of(lambda p=path: calamine_read(p))
            scanned = best_of(lambda p=path: scan(p))
            print(
                f"{path.name}: calamine {read * 1000:.1f} ms, scan {scanned * 1000:.1f} ms, "
                f"ratio {scanned / read:.2f}"
            )
        before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        start = time.perf_counter()
        try:
            read_grids(far)
        except Exception as exc:  # the refusal is the point
            print(f"far.xlsx refused in {time.perf_counter() - start:.2f} s: {exc}")
        grown = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before
        print(f"peak memory grew by {grown / 1024:.0f} MB")


if __name__ == "__main__":
    main()
