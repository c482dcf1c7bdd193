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
from plangen.safetext import for_spreadsheet, put_cell

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
    from openpyxl import Workbook
    from openpyxl.formatting.rule import CellIsRule
    from openpyxl.styles import Font, PatternFill
    from openpyxl.utils import get_column_letter

    book = Workbook()
    ws = book.active
    ws.title = "Summary"
    for column, (_, title, _) in enumerate(COLUMNS, start=1):
        put_cell(ws, 1, column, title).font = Font(bold=True)
    for row_number, row in enumerate(rows, start=2):
        for column, (key, _, _) in enumerate(COLUMNS, start=1):
            put_cell(ws, row_number, column, row[key])
    for i, (key, _, width) in enumerate(COLUMNS, start=1):
        letter = get_column_letter(i)
        ws.column_dimensions[letter].width = width
        if key in DATES:
            for (cell,) in ws.iter_rows(min_row=2, min_col=i, max_col=i):
                cell.number_format = "yyyy-mm-dd"
    last_col = get_column_letter(len(COLUMNS))
    last_row = max(len(rows) + 1, 2)
    ws.auto_filter.ref = f"A1:{last_col}{last_row}"
    ws.freeze_panes = "A2"
    pct = get_column_letter([k for k, _, _ in COLUMNS].index("percent") + 1)
    area = f"{pct}2:{pct}{last_row}"
    fills = {
        "green": PatternFill("solid", start_color="C6EFCE", end_color="C6EFCE"),
        "amber": PatternFill("solid", start_color="FFEB9C", end_color="FFEB9C"),
        "red": PatternFill("solid", start_color="FFC7CE", end_color="FFC7CE"),
    }
    blank = f"ISNUMBER({pct}2)"
    ws.conditional_formatting.add(
        area,
        CellIsRule(operator="greaterThanOrEqual", formula=[str(GREEN_AT)], fill=fills["green"]),
    )
    ws.conditional_formatting.add(
        area,
        CellIsRule(
            operator="between", formula=[str(AMBER_AT), str(GREEN_AT - 1)], fill=fills["amber"]
        ),
    )
    from openpyxl.formatting.rule import FormulaRule

    ws.conditional_formatting.add(
        area, FormulaRule(formula=[f"AND({blank},{pct}2<{AMBER_AT})"], fill=fills["red"])
    )
    book.save(path)
