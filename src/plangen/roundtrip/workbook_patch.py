"""Writing values pulled from a plan document into its workbook, keeping everything else.

openpyxl rewrites the workbook (every sheet, drop-down, input message, comment, style,
width and formula it did not change is kept), atomically, after a byte-for-byte copy of
the previous workbook is saved beside it as `name.before-pull-N.xlsx`.
"""

from __future__ import annotations

import re
import shutil
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from plangen.errors import Issue, PlangenError, warning

KEPT_COPY_PATTERN = r"\.(edited|before-pull)-\d+$"
"""Stems of the copies plangen keeps (`plan.edited-1.docx`, `plan.before-pull-1.xlsx`)."""


@dataclass
class Change:
    """One cell to write: `Supports!D7: Status "In progress" -> "Completed"`."""

    sheet: str
    cell: str
    key: str
    label: str
    old: Any
    new: Any
    preferred_word: bool = False

    def __str__(self) -> str:
        line = f"{self.sheet}!{self.cell}: {self.label} {quoted(self.old)} -> {quoted(self.new)}"
        return line + (" (Word preferred over the workbook)" if self.preferred_word else "")


def quoted(value: Any) -> str:
    """A value as a change line shows it: `"text"`, `2023-01-12`, `""` for blank."""
    if value is None or value == "":
        return '""'
    if isinstance(value, date):
        return value.isoformat()
    text = str(value).replace("\n", " / ")
    if len(text) > 60:
        text = text[:57] + "..."
    return f'"{text}"'


def formulas_to_recalculate(workbook: Path) -> list[Issue]:
    """A warning per sheet whose formulas lost their saved results (openpyxl writes
    formulas without them; plangen cannot read such a cell until Excel saves it)."""
    from plangen.workbook.grids import uncached_formulas

    return [
        warning("formulas on this sheet have no saved results now: open the workbook in "
                "Excel or LibreOffice and save it before the next build", sheet, min(cells))
        for sheet, cells in uncached_formulas(workbook).items()
        if cells
    ]


def backup_path(workbook: Path) -> Path:
    """A free name beside `workbook` for its copy: `name.before-pull-N.xlsx`."""
    stem = re.sub(KEPT_COPY_PATTERN, "", workbook.stem)
    n = 1
    while True:
        candidate = workbook.with_name(f"{stem}.before-pull-{n}{workbook.suffix}")
        if not candidate.exists():
            return candidate
        n += 1


def write_changes(workbook: Path, changes: list[Change]) -> Path:
    """Write `changes` into `workbook` in place, atomically, after copying it byte for
    byte beside it; return the copy's path."""
    from openpyxl import load_workbook

    from plangen.files import atomic_write

    try:
        book = load_workbook(workbook, keep_vba=workbook.suffix.lower() == ".xlsm",
                             keep_links=True)
    except Exception as exc:  # openpyxl raises several types for what it cannot keep
        raise PlangenError(f"{workbook}: cannot be written by plangen ({exc})") from None
    for change in changes:
        ws = _sheet(book, change.sheet)
        if ws is None:
            raise PlangenError(f"{workbook}: has no sheet {change.sheet!r} any more")
        cell = ws[change.cell]
        value = change.new
        if isinstance(value, date) and cell.number_format == "General":
            cell.number_format = "yyyy-mm-dd"
        cell.value = value
        if isinstance(value, str) and value.startswith("="):
            cell.data_type = "s"  # text typed in Word is text, never a formula
    backup = backup_path(workbook)
    try:
        with backup.open("xb") as out, workbook.open("rb") as src:
            shutil.copyfileobj(src, out)
        shutil.copystat(workbook, backup)
    except OSError as exc:
        raise PlangenError(f"{backup}: cannot be written ({exc.strerror or exc})") from None
    with atomic_write(workbook) as tmp:
        book.save(tmp)
        shutil.copymode(workbook, tmp)
    return backup


def _sheet(book: Any, name: str) -> Any:
    wanted = name.casefold().replace(" ", "")
    for ws in book.worksheets:
        if ws.title == name or ws.title.casefold().replace(" ", "") == wanted:
            return ws
    return None
