"""The cross-district summary of a batch: one row per workbook, as .xlsx and .csv.

Adherence % is coloured green at 70% or more, amber from 40% to 69%, red below 40%.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from datetime import date
from pathlib import Path
from typing import Any

from plangen.batch.run import SKIPPED, FileResult, remember_summary
from plangen.files import atomic_write
from plangen.safetext import clean_for_xlsx, for_spreadsheet
from plangen.workbook.grids import column_letter

GREEN_AT, AMBER_AT = 70, 40
"""Adherence % from which a plan is green (on course) and amber; below AMBER_AT: red."""

COLUMNS: tuple[tuple[str, str, int], ...] = (
    ("file", "File", 34),
    ("district", "District", 26),
    ("kind", "Plan kind", 28),
    ("date_initiated", "Date initiated", 14),
    ("focus_areas", "Focus areas", 40),
    ("completed", "Supports completed", 12),
    ("planned", "Supports planned", 12),
    ("percent", "Adherence %", 12),
    ("prior_period", "Last year", 10),
    ("prior_percent", "Last year's adherence %", 12),
    ("change", "Change (points)", 10),
    ("last_review", "Last review", 13),
    ("next_review", "Next review due", 15),
    ("on_track", "On track", 10),
    ("status", "Status", 10),
    ("problem", "First problem", 60),
)
DATES = {"date_initiated", "last_review", "next_review"}


def summary_row(result: FileResult) -> dict[str, Any]:
    """The summary row of one workbook; `skipped` (unchanged) plans count as built."""
    row: dict[str, Any] = {key: result.figures.get(key) for key, _, _ in COLUMNS}
    row["file"] = result.name
    row["status"] = "built" if result.status == SKIPPED else result.status
    errors = [i for i in result.issues if i.severity.value == "error"]
    row["problem"] = str(errors[0]) if errors else ""
    for key in DATES:
        if row[key]:
            row[key] = date.fromisoformat(row[key])
    return row


def write_summary(results: Iterable[FileResult], out_dir: Path) -> tuple[Path, Path]:
    """Write `out_dir/summary.xlsx` and `out_dir/summary.csv`, rows in file order."""
    rows = [summary_row(r) for r in sorted(results, key=lambda r: r.name.lower())]
    xlsx, csv_path = Path(out_dir) / "summary.xlsx", Path(out_dir) / "summary.csv"
    with atomic_write(xlsx) as tmp:
        _write_xlsx(rows, tmp)
    with atomic_write(csv_path) as tmp, tmp.open("w", newline="", encoding="utf-8-sig") as fh:
        writer = csv.writer(fh)
        writer.writerow([title for _, title, _ in COLUMNS])
        for row in rows:
            writer.writerow([_csv_value(row[k]) for k, _, _ in COLUMNS])
    remember_summary(Path(out_dir), xlsx)
    return xlsx, csv_path


def _csv_value(value: Any) -> Any:
    """A CSV field: blank for None, ISO dates, numbers as numbers, text formula-safe."""
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    return for_spreadsheet(value)


def _write_xlsx(rows: list[dict[str, Any]], path: Path) -> None:
    """The summary as a workbook (XlsxWriter, which every build has imported already):
    bold headers, column widths, dates as dates, a filter and frozen header row, and
    adherence % coloured by band. Text is always written as text, never a formula."""
    import xlsxwriter

    book = xlsxwriter.Workbook(
        str(path),
        {"strings_to_formulas": False, "strings_to_numbers": False, "strings_to_urls": False},
    )
    ws = book.add_worksheet("Summary")
    bold, day = book.add_format({"bold": True}), book.add_format({"num_format": "yyyy-mm-dd"})
    for column, (key, title, width) in enumerate(COLUMNS):
        ws.write_string(0, column, title, bold)
        ws.set_column(column, column, width, day if key in DATES else None)
    for row_number, row in enumerate(rows, start=1):
        for column, (key, _, _) in enumerate(COLUMNS):
            _put(ws, row_number, column, row[key], day)
    last_row = max(len(rows), 1)
    ws.autofilter(0, 0, last_row, len(COLUMNS) - 1)
    ws.freeze_panes(1, 0)
    pct = [k for k, _, _ in COLUMNS].index("percent")
    cell = f"{column_letter(pct + 1)}2"
    bands = (
        ("C6EFCE", {"type": "cell", "criteria": ">=", "value": GREEN_AT}),
        ("FFEB9C", {"type": "cell", "criteria": "between", "minimum": AMBER_AT,
                    "maximum": GREEN_AT - 1}),
        ("FFC7CE", {"type": "formula", "criteria": f"=AND(ISNUMBER({cell}),{cell}<{AMBER_AT})"}),
    )
    for colour, rule in bands:
        fill = book.add_format({"bg_color": f"#{colour}", "fg_color": f"#{colour}"})
        ws.conditional_format(1, pct, last_row, pct, {**rule, "format": fill})
    book.close()


def _put(ws: Any, row: int, column: int, value: Any, day: Any) -> None:
    """One cell: text as text (characters an .xlsx cannot hold left out), numbers as
    numbers, dates as dates; nothing for None."""
    if value is None or value == "":
        return
    if isinstance(value, str):
        ws.write_string(row, column, clean_for_xlsx(value))
    elif isinstance(value, bool):
        ws.write_boolean(row, column, value)
    elif isinstance(value, (int, float)):
        ws.write_number(row, column, value)
    elif isinstance(value, date):
        ws.write_datetime(row, column, value, day)
    else:
        ws.write_string(row, column, clean_for_xlsx(str(value)))

