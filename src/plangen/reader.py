"""From sheet grids to a typed `Plan`, collecting every problem with its sheet and cell.

Columns are found by their header text, so reordered or extra columns do not matter.
Form sheets (label in column A, value in column B) are found by their labels.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from openpyxl.utils import get_column_letter

from plangen.errors import Issue, Report, WorkbookError, error, warning
from plangen.kinds import KINDS, get_kind
from plangen.model import Plan, Record
from plangen.schema import Field, FieldType, PlanKind, Sheet
from plangen.spreadsheet import Grid, read_grids
from plangen.values import (
    ValueProblem,
    clean_text,
    match_choice,
    parse_date,
    parse_integer,
    parse_percent,
    parse_yes_no,
    shown,
)

_HEADER_SEARCH_ROWS = 15
MAX_CELL_CHARS = 32_767
"""Excel's own limit on a cell's text."""


def read_plan(path: Path, kind: PlanKind | None = None) -> tuple[Plan, Report]:
    """Read and validate the workbook at `path`.

    Returns the plan (missing or invalid values are None in it) and the report of every
    problem. Raises `WorkbookError` when the file is not a readable .xlsx workbook at all.
    """
    path = Path(path)
    grids = read_grids(path)
    report = Report(file=str(path))
    if kind is None:
        kind = detect_kind(grids, path)
    report.kind = kind.name
    choices = Choices(_choice_values(kind, grids), {lst.name: lst.open for lst in kind.lists})
    fields: dict[str, Any] = {}
    field_cells: dict[str, tuple[str, str]] = {}
    tables: dict[str, list[Record]] = {}
    for sheet in kind.sheets:
        grid = _find_grid(grids, sheet.name)
        if grid is None:
            report.issues.append(_missing_sheet(sheet))
            if not sheet.form:
                tables[sheet.key] = []
            continue
        if sheet.form:
            record = _read_form(grid, sheet, choices, report.issues)
            fields.update(record.values)
            field_cells.update({k: (sheet.name, c) for k, c in record.cells.items()})
        else:
            tables[sheet.key] = _read_table(grid, sheet, choices, report.issues)
    plan = Plan(kind, path, fields, tables, field_cells)
    for rule in kind.rules:
        report.issues.extend(rule(plan))
    return plan, report


def detect_kind(grids: dict[str, Grid], path: Path) -> PlanKind:
    """The plan kind a workbook holds: from its Instructions sheet, else its sheet names."""
    instructions = grids.get("Instructions")
    if instructions is not None:
        label = clean_text(instructions.value(2, 1))
        if label.lower().startswith("plan kind:"):
            name = label.split(":", 1)[1].strip()
            if name in KINDS:
                return get_kind(name)
    names = {n.casefold() for n in grids}
    best = max(KINDS.values(), key=lambda k: sum(s.name.casefold() in names for s in k.sheets))
    if not any(s.name.casefold() in names for s in best.sheets):
        raise WorkbookError(
            f"{path}: has none of the sheets of a plan (found {', '.join(grids) or 'no sheets'})",
            "start from a blank workbook: plangen new system PATH",
        )
    return best


def _find_grid(grids: dict[str, Grid], name: str) -> Grid | None:
    if name in grids:
        return grids[name]
    wanted = name.casefold().replace(" ", "")
    for key, grid in grids.items():
        if key.casefold().replace(" ", "") == wanted:
            return grid
    return None


def _missing_sheet(sheet: Sheet) -> Issue:
    if sheet.form or sheet.min_rows:
        return error(f'the sheet "{sheet.name}" is missing', sheet.name, code="missing-sheet")
    return warning(
        f'the sheet "{sheet.name}" is missing; that section of the plan will be empty',
        sheet.name,
        code="missing-sheet",
    )


def _norm(text: Any) -> str:
    return " ".join(clean_text(text).casefold().rstrip("*").split())


def _choice_values(kind: PlanKind, grids: dict[str, Grid]) -> dict[str, tuple[str, ...]]:
    """Allowed values of each list; extendable lists add what the Lists sheet holds."""
    values = {lst.name: lst.values for lst in kind.lists}
    grid = grids.get("Lists")
    if grid is None:
        return values
    for lst in kind.lists:
        if not lst.extendable:
            continue
        for row_index, row in enumerate(grid.rows[:_HEADER_SEARCH_ROWS], start=1):
            for col_index, cell in enumerate(row, start=1):
                if _norm(cell).startswith(_norm(lst.name)):
                    extra = [
                        clean_text(grid.value(r, col_index))
                        for r in range(row_index + 1, len(grid.rows) + 1)
                    ]
                    merged = list(lst.values) + [v for v in extra if v and v not in lst.values]
                    values[lst.name] = tuple(merged)
                    break
    return values


@dataclass(frozen=True)
class Choices:
    """Allowed values of each drop-down list, and which lists accept other text too."""

    values: dict[str, tuple[str, ...]]
    open: dict[str, bool]


def _parse(fld: Field, raw: Any, choices: Choices) -> Any:
    """The typed value of one cell; None for blank. Raises ValueProblem."""
    if (isinstance(raw, str) and raw.strip() == "") or raw is None:
        return None
    if fld.type is FieldType.TEXT:
        text = clean_text(raw)
        if len(text) >= MAX_CELL_CHARS:
            raise ValueProblem(
                f"is {len(text):,} characters long, Excel's limit, so its end may be cut off; "
                "shorten it"
            )
        return text or None
    if fld.type is FieldType.DATE:
        return parse_date(raw)
    if fld.type is FieldType.PERCENT:
        return parse_percent(raw)
    if fld.type is FieldType.INTEGER:
        return parse_integer(raw)
    if fld.type is FieldType.YESNO:
        return parse_yes_no(raw)
    allowed = choices.values.get(fld.choices or "", ())
    found = match_choice(raw, allowed)
    if found is not None:
        return found
    if choices.open.get(fld.choices or "", False):
        return clean_text(raw) or None
    raise ValueProblem(f"expected one of {', '.join(allowed)}; got {shown(raw)}")


def _read_form(grid: Grid, sheet: Sheet, choices: Choices, issues: list[Issue]) -> Record:
    labels: dict[str, int] = {}
    for row_index, row in enumerate(grid.rows, start=1):
        label = _norm(row[0]) if row else ""
        if label and label not in labels:
            labels[label] = row_index
    record = Record(sheet.name, 0, {})
    for fld in sheet.fields:
        row = labels.get(_norm(fld.header))
        if row is None:
            record.values[fld.key] = None
            if fld.required:
                issues.append(
                    error(
                        f'no row labelled "{fld.header}" in column A',
                        sheet.name,
                        code="missing-field",
                    )
                )
            continue
        cell = f"B{row}"
        record.cells[fld.key] = cell
        record.values[fld.key] = _parse_cell(
            fld, grid.value(row, 2), choices, sheet, cell, issues, grid.formulas.get(cell)
        )
    return record


def _parse_cell(
    fld: Field,
    raw: Any,
    choices: Choices,
    sheet: Sheet,
    cell: str,
    issues: list[Issue],
    formula: str | None = None,
) -> Any:
    """The typed value of one cell; problems go to `issues` (`formula`: one unsaved)."""
    if formula is not None and clean_text(raw) == "":
        issues.append(
            error(
                f"{fld.header}: the formula ={formula} has no saved result; open and save "
                "the workbook in Excel or LibreOffice so its value is stored",
                sheet.name,
                cell,
                code="formula-without-value",
            )
        )
        return None
    try:
        value = _parse(fld, raw, choices)
    except ValueProblem as problem:
        issues.append(error(f"{fld.header}: {problem}", sheet.name, cell))
        return None
    if value is None and fld.required:
        issues.append(error(f"{fld.header} is required", sheet.name, cell, code="required"))
    return value


def _find_header(grid: Grid, sheet: Sheet) -> tuple[int, dict[str, int]]:
    """The header row and the column of each field found in it (row 0 if none)."""
    wanted = {_norm(f.header): f.key for f in sheet.fields}
    best_row, best = 0, {}
    for row_index, row in enumerate(grid.rows[:_HEADER_SEARCH_ROWS], start=1):
        found: dict[str, int] = {}
        for col_index, cell in enumerate(row, start=1):
            key = wanted.get(_norm(cell))
            if key and key not in found:
                found[key] = col_index
        if len(found) > len(best):
            best_row, best = row_index, found
    return best_row, best


def _read_table(grid: Grid, sheet: Sheet, choices: Choices, issues: list[Issue]) -> list[Record]:
    header_row, columns = _find_header(grid, sheet)
    missing = [f for f in sheet.fields if f.required and f.key not in columns]
    if not header_row:
        issues.append(
            error(
                "no header row found (expected columns "
                + ", ".join(f'"{f.header}"' for f in sheet.fields)
                + ")",
                sheet.name,
                code="missing-header",
            )
        )
        return []
    for fld in missing:
        issues.append(
            error(
                f'no "{fld.header}" column in the header row (row {header_row})',
                sheet.name,
                code="missing-column",
            )
        )
    if missing:
        return []
    for fld in sheet.fields:
        if fld.key not in columns:
            issues.append(
                warning(
                    f'no "{fld.header}" column in the header row (row {header_row}); '
                    "it is read as blank",
                    sheet.name,
                    code="missing-column",
                )
            )
    records = []
    for row_index in range(header_row + 1, len(grid.rows) + 1):
        raws = {key: grid.value(row_index, col) for key, col in columns.items()}
        if all(clean_text(v) == "" for v in raws.values()):
            continue
        record = Record(sheet.name, row_index, {})
        for fld in sheet.fields:
            col = columns.get(fld.key)
            if col is None:
                record.values[fld.key] = None
                continue
            cell = f"{get_column_letter(col)}{row_index}"
            record.cells[fld.key] = cell
            record.values[fld.key] = _parse_cell(
                fld, raws[fld.key], choices, sheet, cell, issues, grid.formulas.get(cell)
            )
        records.append(record)
    if sheet.max_rows is not None and len(records) > sheet.max_rows:
        extra = records[sheet.max_rows]
        issues.append(
            error(
                f"at most {sheet.max_rows} rows are allowed; {len(records)} are filled",
                sheet.name,
                f"A{extra.row}",
            )
        )
    if len(records) < sheet.min_rows:
        issues.append(
            error(
                f"the sheet is empty: fill at least {sheet.min_rows} "
                f"row{'s' if sheet.min_rows > 1 else ''} below the header",
                sheet.name,
                f"A{header_row + 1}",
                code="empty",
            )
        )
    if sheet.tracked:
        issues.extend(_check_tracking(sheet, records))
    return records


def _check_tracking(sheet: Sheet, records: list[Record]) -> list[Issue]:
    """Status, dates and reasons of monitored supports that contradict each other."""
    issues = []
    for record in records:
        status, done = record["status"], record["completed_on"]
        if status is None:
            status = "Completed" if done else "Not started"
            record.values["status"] = status
        if status == "Completed" and done is None:
            issues.append(
                warning(
                    "marked Completed without a date in Completed on; it counts as completed "
                    "but cannot show in the trend",
                    sheet.name,
                    record.cell("status"),
                    code="completed-without-date",
                )
            )
        if status == "Dropped" and not record["drop_reason"]:
            issues.append(
                error(
                    "a dropped support needs a reason in Reason dropped",
                    sheet.name,
                    record.cell("drop_reason") or record.cell("status"),
                    code="dropped-without-reason",
                )
            )
        if done is not None and status not in ("Completed", "Dropped"):
            issues.append(
                warning(
                    f"has a Completed on date but its Status is {status}; it is not counted "
                    "as completed",
                    sheet.name,
                    record.cell("completed_on"),
                )
            )
    return issues


def check_dates(plan: Plan, as_of: date) -> list[Issue]:
    """Dates that contradict the plan's start or the date of the figures (`as_of`)."""
    issues: list[Issue] = []
    start = plan.start
    for sheet in plan.kind.sheets:
        if sheet.tracked and start is not None:
            for record in plan.table(sheet.key):
                done = record["completed_on"]
                if done is not None and done < start:
                    issues.append(
                        error(
                            f"Completed on {done.isoformat()} is before the plan began "
                            f"({start.isoformat()})",
                            sheet.name,
                            record.cell("completed_on"),
                            code="completed-before-start",
                        )
                    )
                elif done is not None and done > as_of and record["status"] == "Completed":
                    issues.append(
                        warning(
                            f"Completed on {done.isoformat()} is after {as_of.isoformat()}, "
                            "the date of the figures; it is not counted as completed yet",
                            sheet.name,
                            record.cell("completed_on"),
                            code="completed-after-as-of",
                        )
                    )
    reviews = next((s for s in plan.kind.sheets if s.key == "reviews"), None)
    if reviews is not None:
        for record in plan.table("reviews"):
            when = record["date"]
            if when is None:
                continue
            if when > as_of:
                issues.append(
                    warning(
                        f"the review is dated {when.isoformat()}, after {as_of.isoformat()}; "
                        "it is left out of the figures",
                        reviews.name,
                        record.cell("date"),
                        code="review-in-future",
                    )
                )
            elif start is not None and when < start:
                issues.append(
                    warning(
                        f"the review is dated {when.isoformat()}, before the plan began "
                        f"({start.isoformat()}); it is left out of the figures",
                        reviews.name,
                        record.cell("date"),
                        code="review-before-start",
                    )
                )
    return issues
