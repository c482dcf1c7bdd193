"""From sheet grids to a typed `Plan`, collecting every problem with its sheet and cell.

Columns are found by their header text, so reordered or extra columns do not matter.
Form sheets (label in column A, value in column B) are found by their labels.
"""

from __future__ import annotations

import difflib
import functools
import re
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Any

from plangen.errors import Issue, Report, WorkbookError, error, warning
from plangen.kinds import KINDS, get_kind
from plangen.model import Plan, Record
from plangen.schema import Field, FieldType, PlanKind, Sheet
from plangen.workbook.grids import Grid, column_letter, read_grids
from plangen.workbook.values import (
    DAY_FIRST,
    MONTH_FIRST,
    ValueProblem,
    clean_text,
    date_order_of,
    match_choice,
    parse_date,
    parse_integer,
    parse_percent,
    parse_yes_no,
    percent_note,
    shown,
    suggest,
)

_HEADER_SEARCH_ROWS = 15
MAX_CELL_CHARS = 32_767
"""Excel's own limit on a cell's text."""
EARLIEST_DATE, LATEST_DATE = date(1990, 1, 1), date(2100, 12, 31)
"""Dates a plan may hold; one outside is a typing slip (9999-12-31, 1900-01-00)."""
MAX_PLAN_YEARS = 10
"""Longest a plan may run, from Date initiated to Plan ends."""


def read_plan(path: Path, kind: PlanKind | None = None) -> tuple[Plan, Report]:
    """Read and validate the workbook at `path`.

    Returns the plan (missing or invalid values are None in it) and the report of every
    problem. Raises `WorkbookError` when the file is not a readable workbook at all.
    """
    path = Path(path)
    grids = read_grids(path)
    report = Report(file=str(path))
    if kind is None:
        kind = detect_kind(grids, path)
    report.kind = kind.name
    choices = Choices(
        _choice_values(kind, grids),
        {lst.name: lst.open for lst in kind.lists},
        {lst.name for lst in kind.lists if lst.extendable},
    )
    reading = Reading(choices, date_order(grids))
    found = _match_sheets(kind, grids, report.issues)
    fields: dict[str, Any] = {}
    field_cells: dict[str, tuple[str, str]] = {}
    tables: dict[str, list[Record]] = {}
    for sheet in kind.sheets:
        grid = found.get(sheet.key)
        if grid is None:
            if not sheet.form:
                tables[sheet.key] = []
            continue
        if sheet.form:
            record = _read_form(grid, sheet, reading, report.issues)
            fields.update(record.values)
            field_cells.update({k: (sheet.name, c) for k, c in record.cells.items()})
        else:
            tables[sheet.key] = _read_table(grid, sheet, reading, report.issues)
    sheets = [(s.name, found.get(s.key)) for s in kind.sheets] + [("Lists", grids.get("Lists"))]
    report.issues.extend(_unsaved_formulas(sheets, report.issues))
    report.issues.extend(_plan_span(fields, field_cells))
    plan = Plan(kind, path, fields, tables, field_cells, {k: g.name for k, g in found.items()})
    for rule in kind.rules:
        report.issues.extend(rule(plan))
    return plan, report


def _plan_span(fields: dict[str, Any], cells: dict[str, tuple[str, str]]) -> list[Issue]:
    """A plan running longer than `MAX_PLAN_YEARS` (its schedule of reviews would be
    endless): an error at Plan ends."""
    start, end = fields.get("date_initiated"), fields.get("plan_end")
    if not (isinstance(start, date) and isinstance(end, date) and "plan_end" in cells):
        return []
    try:
        latest = start.replace(year=start.year + MAX_PLAN_YEARS)
    except ValueError:  # February 29
        latest = start.replace(year=start.year + MAX_PLAN_YEARS, day=28)
    if end <= latest:
        return []
    sheet, cell = cells["plan_end"]
    return [
        error(
            f"Plan ends: the plan would run from {start.isoformat()} to {end.isoformat()}; "
            f"a plan runs at most {MAX_PLAN_YEARS} years (to {latest.isoformat()}), "
            "check the year",
            sheet,
            cell,
            code="plan-too-long",
        )
    ]


def _unsaved_formulas(
    sheets: list[tuple[str, Grid | None]], found: list[Issue]
) -> list[Issue]:
    """Formulas without a saved result in the sheets of the plan (name, grid) that no
    field reported yet (a cell outside the columns read still may be meant as data:
    never guess)."""
    reported = {(i.sheet, i.cell) for i in found if i.code == "formula-without-value"}
    issues = []
    for name, grid in sheets:
        if grid is None:
            continue
        for cell, formula in grid.formulas.items():
            if (name, cell) not in reported:
                issues.append(
                    error(
                        f"the formula ={formula} has no saved result; open and save the "
                        "workbook in Excel or LibreOffice so its value is stored",
                        name,
                        cell,
                        code="formula-without-value",
                    )
                )
    return issues


def detect_kind(grids: dict[str, Grid], path: Path) -> PlanKind:
    """The plan kind a workbook holds: from its Instructions sheet, else its sheet names."""
    instructions = grids.get("Instructions")
    if instructions is not None:
        label = clean_text(instructions.value(2, 1))
        if label.lower().startswith("plan kind:"):
            name = label.split(":", 1)[1].strip()
            if name in KINDS:
                return get_kind(name)
    names = [_words(n) for n in grids]

    def score(kind: PlanKind) -> int:
        return sum(any(_match(n, _sheet_names(s)) for n in names) for s in kind.sheets)

    best = max(KINDS.values(), key=score)
    if not score(best):
        raise WorkbookError(
            f"{path}: has none of the sheets of a plan (found {', '.join(grids) or 'no sheets'})",
            "start from a blank workbook: plangen new system PATH",
        )
    return best


def date_order(grids: dict[str, Grid]) -> str | None:
    """The workbook's date order, from its text dates that prove one (`30/06/2027`).

    The order most of them prove wins; a date written the other way is an error at its
    cell. None when no text date proves an order.
    """
    counts = {DAY_FIRST: 0, MONTH_FIRST: 0}
    for grid in grids.values():
        for row in grid.rows:
            for raw in row:
                if isinstance(raw, str) and len(raw) <= 12:
                    order = date_order_of(raw)
                    if order is not None:
                        counts[order] += 1
    if not any(counts.values()):
        return None
    return DAY_FIRST if counts[DAY_FIRST] >= counts[MONTH_FIRST] else MONTH_FIRST


_WORD = re.compile(r"[^\W_]+")
_NOT_PLAN_SHEETS = ("instructions", "lists")
EXACT, ALIAS, VARIANT = 3, 2, 1
MAX_WORDS_ADDED = 3
"""A header with more words around a known one (a sentence) is not taken for it."""


@functools.lru_cache(maxsize=4096)
def _words(text: Any) -> tuple[str, ...]:
    """A header or sheet name as its words: `Status (pick)` -> ("status", "pick")."""
    return tuple(_WORD.findall(clean_text(text).casefold()))


@functools.lru_cache(maxsize=8192)
def _match(words: tuple[str, ...], names: tuple[str, ...]) -> int:
    """EXACT when `words` are the first of `names` (case and punctuation aside), ALIAS
    when another of them, VARIANT when they hold one with words added (`Supports
    2026-27`); else 0."""
    wanted = [_words(n) for n in names]
    if wanted and words == wanted[0]:
        return EXACT
    if words in wanted[1:]:
        return ALIAS
    for w in wanted:
        if (
            w
            and len(words) - len(w) <= MAX_WORDS_ADDED
            and any(words[i : i + len(w)] == w for i in range(len(words) - len(w) + 1))
        ):
            return VARIANT
    return 0


def _sheet_names(sheet: Sheet) -> tuple[str, ...]:
    return (sheet.name, *sheet.aliases)


def _field_names(fld: Field) -> tuple[str, ...]:
    return (fld.header, *fld.aliases)


def _assign(
    labels: dict[int, Any], wanted: dict[str, tuple[str, ...]]
) -> tuple[dict[str, int], dict[str, int], dict[str, list[int]]]:
    """Which label (by position) each wanted name is: exact matches first, then variants
    among the labels left. Returns (found, the variants among them, ambiguous ones with
    every candidate)."""
    words = {pos: w for pos, text in labels.items() if text != "" and (w := _words(text))}
    found: dict[str, int] = {}
    variants: dict[str, int] = {}
    ambiguous: dict[str, list[int]] = {}
    matches = {
        key: [(p, m) for p, w in words.items() if (m := _match(w, names))]
        for key, names in wanted.items()
    }
    for strength in (EXACT, ALIAS, VARIANT):
        taken = set(found.values()) | {p for ps in ambiguous.values() for p in ps}
        candidates: dict[str, list[int]] = {}
        for key in wanted:
            if key in found or key in ambiguous:
                continue
            hits = [p for p, m in matches[key] if m == strength and p not in taken]
            if hits:
                candidates[key] = hits
        claims: dict[int, list[str]] = {}
        for key, hits in candidates.items():
            for pos in hits:
                claims.setdefault(pos, []).append(key)
        for key, hits in candidates.items():
            if len(hits) > 1 or len(claims[hits[0]]) > 1:
                ambiguous[key] = hits
            else:
                found[key] = hits[0]
                if strength != EXACT:
                    variants[key] = hits[0]
    return found, variants, ambiguous


def _match_sheets(kind: PlanKind, grids: dict[str, Grid], issues: list[Issue]) -> dict[str, Grid]:
    """The grid of each sheet of `kind`, by sheet key; problems and variants to `issues`."""
    names = list(grids)
    labels = {
        i: n for i, n in enumerate(names) if _words(n) not in [(w,) for w in _NOT_PLAN_SHEETS]
    }
    found, variants, ambiguous = _assign(labels, {s.key: _sheet_names(s) for s in kind.sheets})
    grids_of = {key: grids[names[pos]] for key, pos in found.items()}
    for sheet in kind.sheets:
        if sheet.key in ambiguous:
            candidates = ", ".join(f'"{names[p]}"' for p in ambiguous[sheet.key])
            issues.append(
                error(
                    f'the sheets {candidates} could each be the "{sheet.name}" sheet; '
                    f'rename the one to read "{sheet.name}"',
                    sheet.name,
                    code="ambiguous-sheet",
                )
            )
        elif sheet.key in variants:
            issues.append(
                warning(
                    f'the sheet "{names[variants[sheet.key]]}" is read as the "{sheet.name}" sheet',
                    sheet.name,
                    code="sheet-variant",
                )
            )
        elif sheet.key not in found:
            taken = set(found.values()) | {p for ps in ambiguous.values() for p in ps}
            left = [names[p] for p in labels if p not in taken]
            issues.append(_missing_sheet(sheet, names, [grids[n] for n in left]))
    return grids_of


def _missing_sheet(sheet: Sheet, names: list[str], left: list[Grid]) -> Issue:
    """A sheet not found: an error when required or when another sheet holds its data."""
    for grid in left:
        if _holds_data_of(grid, sheet):
            return error(
                f'the sheet "{sheet.name}" is missing, but the sheet "{grid.name}" has its '
                f'{"labels" if sheet.form else "columns"}; rename it "{sheet.name}"',
                sheet.name,
                code="missing-sheet",
            )
    if sheet.form or sheet.min_rows:
        return error(
            f'the sheet "{sheet.name}" is missing (the workbook has '
            f"{', '.join(names) or 'no sheets'}); name the sheet that holds it "
            f'"{sheet.name}"',
            sheet.name,
            code="missing-sheet",
        )
    return warning(
        f'the sheet "{sheet.name}" is missing; that section of the plan will be empty',
        sheet.name,
        code="missing-sheet",
    )


def _holds_data_of(grid: Grid, sheet: Sheet) -> bool:
    """True when `grid` has at least two of `sheet`'s headers (or labels) and data."""
    wanted = {f.key: _field_names(f) for f in sheet.fields}
    if sheet.form:
        labels = {r: row[0] for r, row in enumerate(grid.rows[:60], start=1) if row}
        return len(_assign(labels, wanted)[0]) >= min(2, len(wanted))
    for r, row in enumerate(grid.rows[:_HEADER_SEARCH_ROWS], start=1):
        found = _assign(dict(enumerate(row, start=1)), wanted)[0]
        if len(found) >= min(2, len(wanted)) and len(grid.rows) > r:
            return True
    return False


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


def _norm(text: Any) -> str:
    return " ".join(clean_text(text).casefold().rstrip("*").split())


@dataclass(frozen=True)
class Choices:
    """Allowed values of each drop-down list, and which lists accept other text too."""

    values: dict[str, tuple[str, ...]]
    open: dict[str, bool]
    extendable: set[str] = field(default_factory=set)


@dataclass(frozen=True)
class Reading:
    """What reading every cell of one workbook needs: its lists and its date order."""

    choices: Choices
    order: str | None = None


def _parse(fld: Field, raw: Any, reading: Reading, percent_format: bool | None = None) -> Any:
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
        when = parse_date(raw, reading.order, month_end=fld.month_means == "end")
        if not EARLIEST_DATE <= when <= LATEST_DATE:
            raise ValueProblem(
                f"{when.isoformat()} is outside the dates a plan can hold "
                f"({EARLIEST_DATE.isoformat()} to {LATEST_DATE.isoformat()}); "
                "type the date like 2023-06-30"
            )
        return when
    if fld.type is FieldType.PERCENT:
        return parse_percent(raw, percent_format)
    if fld.type is FieldType.INTEGER:
        return parse_integer(raw)
    if fld.type is FieldType.YESNO:
        return parse_yes_no(raw)
    choices = reading.choices
    name = fld.choices.name if fld.choices else ""
    allowed = choices.values.get(name, ())
    found = match_choice(raw, allowed)
    if found is not None:
        return found
    if choices.open.get(name, False):
        return clean_text(raw) or None
    raise ValueProblem(off_list(raw, allowed, name, name in choices.extendable))


def off_list(raw: Any, allowed: tuple[str, ...], name: str, extendable: bool) -> str:
    """The message for a value not on its list: the closest value first, the whole list
    only when none is close."""
    close = suggest(raw, allowed)
    if close is not None:
        count = f"one of its {len(allowed)} choices" if len(allowed) > 1 else "its choice"
        message = f'did you mean "{close}"? {shown(raw)} is not {count}'
    else:
        message = f"expected one of {', '.join(allowed)}; got {shown(raw)}"
    if extendable:
        message += f'. To use {shown(raw)}, add it to the "{name}" list on the Lists sheet.'
    return message


def _read_form(grid: Grid, sheet: Sheet, reading: Reading, issues: list[Issue]) -> Record:
    labels = {r: row[0] for r, row in enumerate(grid.rows, start=1) if row}
    found, variants, ambiguous = _assign(labels, {f.key: _field_names(f) for f in sheet.fields})
    record = Record(sheet.name, 0, {})
    for fld in sheet.fields:
        row = found.get(fld.key)
        if fld.key in ambiguous:
            rows = ", ".join(f'A{r} "{clean_text(labels[r])}"' for r in ambiguous[fld.key])
            issues.append(
                error(
                    f'{rows} could each be "{fld.header}"; keep one row labelled "{fld.header}"',
                    sheet.name,
                    code="ambiguous-field",
                )
            )
        if row is None:
            record.values[fld.key] = None
            if fld.key in ambiguous:
                continue
            likely = _likely_label(grid, labels, set(found.values()), fld)
            text = f'no row labelled "{fld.header}" in column A'
            if likely is not None:
                text += (
                    f'; row {likely} "{clean_text(labels[likely])}" holds a value: if it is '
                    f'the {fld.header}, rename its label to "{fld.header}"'
                )
            if fld.required or likely is not None:
                issues.append(error(text, sheet.name, code="missing-field"))
            else:
                issues.append(
                    warning(f"{text}; it is read as blank", sheet.name, code="missing-field")
                )
            continue
        if fld.key in variants:
            issues.append(
                warning(
                    f'"{clean_text(labels[row])}" is read as "{fld.header}"',
                    sheet.name,
                    f"A{row}",
                    code="label-variant",
                )
            )
        cell = f"B{row}"
        record.cells[fld.key] = cell
        record.values[fld.key] = _parse_cell(fld, grid, row, 2, reading, sheet, record, issues)
    return record


def _parse_cell(
    fld: Field,
    grid: Grid,
    row: int,
    column: int,
    reading: Reading,
    sheet: Sheet,
    record: Record,
    issues: list[Issue],
) -> Any:
    """The typed value of one cell; problems go to `issues`, invalid keys to `record`."""
    cell = f"{column_letter(column)}{row}"
    raw = grid.value(row, column)
    formula = grid.formulas.get(cell)
    if formula is not None and clean_text(raw) == "":
        record.invalid.add(fld.key)
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
    percent_format = None if grid.percent_cells is None else cell in grid.percent_cells
    try:
        value = _parse(fld, raw, reading, percent_format)
    except ValueProblem as problem:
        record.invalid.add(fld.key)
        issues.append(error(f"{fld.header}: {problem}", sheet.name, cell))
        return None
    if fld.type is FieldType.PERCENT and value is not None:
        note = percent_note(raw, percent_format)
        if note:
            issues.append(warning(f"{fld.header}: {note}", sheet.name, cell, code="score-format"))
    if value is None:
        merged = grid.merged_range(cell)
        if merged is not None:
            record.invalid.add(fld.key)
            issues.append(
                error(
                    f"{fld.header}: this cell is part of the merged cells {merged}, which hold "
                    f"their value only in {merged.split(':')[0]}; unmerge them and type the "
                    "value in every row",
                    sheet.name,
                    cell,
                    code="merged-cell",
                )
            )
            return None
    if value is None and fld.required:
        record.invalid.add(fld.key)
        above = clean_text(grid.value(row - 1, column)) if not sheet.form and row > 1 else ""
        ditto = fld.key == sheet.group_by or fld.type is FieldType.CHOICE
        if ditto and above and _is_data_row_above(grid, row, column, fld):
            issues.append(
                error(
                    f"{fld.header} is required; a blank does not repeat the row above "
                    f"({shown(above)}): type the value in every row",
                    sheet.name,
                    cell,
                    code="required",
                )
            )
        else:
            issues.append(error(f"{fld.header} is required", sheet.name, cell, code="required"))
    return value


def _is_data_row_above(grid: Grid, row: int, column: int, fld: Field) -> bool:
    """True when the cell above holds a value, not the header (`Level` over `Level`)."""
    return _match(_words(grid.value(row - 1, column)), _field_names(fld)) != EXACT


def _find_header(
    grid: Grid, sheet: Sheet
) -> tuple[int, dict[str, int], dict[str, int], dict[str, list[int]]]:
    """The header row, the column of each field found in it, the variants among them and
    the ambiguous fields with their candidate columns (row 0 if no header)."""
    wanted = {f.key: _field_names(f) for f in sheet.fields}
    best: tuple[int, dict[str, int], dict[str, int], dict[str, list[int]]] = (0, {}, {}, {})
    for row_index, row in enumerate(grid.rows[:_HEADER_SEARCH_ROWS], start=1):
        found, variants, ambiguous = _assign(dict(enumerate(row, start=1)), wanted)
        score = (len(found) + len(ambiguous), len(found) - len(variants))
        if score > (len(best[1]) + len(best[3]), len(best[1]) - len(best[2])):
            best = (row_index, found, variants, ambiguous)
            if score == (len(wanted), len(wanted)):  # every field, by its own name
                break
    return best


_TOTAL_ROW = re.compile(r"^(((grand|sub)[\s-]*)?totals?|sum|count|average)\s*:?\s*[\d.,%]*$", re.I)
"""A first cell that is only a total's label (`Total`, `Grand total:`, `Sum 12`); a
measure called `Total score` is data."""
_NOTE_ROW = re.compile(r"^(notes?|nb|n\.b\.|source|sources)\b\s*:|^\*", re.I)
_SIGNIFICANT = re.compile(r"[^\W\d_]{3,}")


def _skipped_row(grid: Grid, row_index: int, columns: dict[str, int]) -> Issue | None:
    """A warning when the row is a total or a note under the table, which is not read."""
    row = grid.rows[row_index - 1]
    filled = [(c, v) for c, v in enumerate(row, start=1) if clean_text(v)]
    if not filled:
        return None
    column, first = filled[0]
    text = clean_text(first)
    where = f"{column_letter(column)}{row_index}"
    in_table = [c for c, _ in filled if c in columns.values()]
    if _TOTAL_ROW.match(text):
        return warning(
            f"{shown(first)} looks like a total row; it is skipped, not counted. Keep totals "
            "off the sheet (plangen counts for you)",
            grid.name,
            where,
            code="total-row",
        )
    if _NOTE_ROW.match(text) and len(in_table) <= 1 < len(columns):
        return warning(
            f"{shown(first)} looks like a note under the table; it is skipped. Put notes in "
            "a column of their own or on another sheet",
            grid.name,
            where,
            code="note-row",
        )
    return None


def _read_table(grid: Grid, sheet: Sheet, reading: Reading, issues: list[Issue]) -> list[Record]:
    header_row, columns, variants, ambiguous = _find_header(grid, sheet)
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
    header = grid.rows[header_row - 1]
    for key, candidates in ambiguous.items():
        fld = sheet.field(key)
        listed = ", ".join(
            f'{column_letter(c)}{header_row} "{clean_text(header[c - 1])}"' for c in candidates
        )
        issues.append(
            error(
                f'the columns {listed} could each be "{fld.header}"; rename the one to read '
                f'"{fld.header}"',
                sheet.name,
                code="ambiguous-column",
            )
        )
    for key, col in variants.items():
        issues.append(
            warning(
                f'column "{clean_text(header[col - 1])}" is read as "{sheet.field(key).header}"',
                sheet.name,
                f"{column_letter(col)}{header_row}",
                code="column-variant",
            )
        )
    taken = set(columns.values()) | {c for cs in ambiguous.values() for c in cs}
    missing = []
    for fld in sheet.fields:
        if fld.key in columns or fld.key in ambiguous:
            continue
        likely = _likely_column(grid, header_row, taken, fld)
        if fld.required or likely is not None:
            missing.append(fld)
            text = f'no "{fld.header}" column in the header row (row {header_row})'
            if likely is not None:
                text += (
                    f'; column {column_letter(likely)} "{clean_text(header[likely - 1])}" '
                    f"holds values: if they are the {fld.header}, rename its header to "
                    f'"{fld.header}"'
                )
            issues.append(error(text, sheet.name, code="missing-column"))
        else:
            issues.append(
                warning(
                    f'no "{fld.header}" column in the header row (row {header_row}); '
                    "it is read as blank",
                    sheet.name,
                    code="missing-column",
                )
            )
    if missing or ambiguous:
        return []
    records = []
    for row_index in range(header_row + 1, len(grid.rows) + 1):
        unsaved = any(
            f"{column_letter(col)}{row_index}" in grid.formulas for col in columns.values()
        )
        if not unsaved and all(
            clean_text(grid.value(row_index, col)) == "" for col in columns.values()
        ):
            continue
        skipped = _skipped_row(grid, row_index, columns)
        if skipped is not None:
            issues.append(replace(skipped, sheet=sheet.name))
            continue
        record = Record(sheet.name, row_index, {})
        for fld in sheet.fields:
            at = columns.get(fld.key)
            if at is None:
                record.values[fld.key] = None
                continue
            record.cells[fld.key] = f"{column_letter(at)}{row_index}"
            record.values[fld.key] = _parse_cell(
                fld, grid, row_index, at, reading, sheet, record, issues
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


def _likely_label(grid: Grid, labels: dict[int, Any], taken: set[int], fld: Field) -> int | None:
    """An unclaimed form row whose label looks like `fld`'s and that holds a value."""
    for row, text in labels.items():
        if (
            row not in taken
            and _looks_like(clean_text(text), fld)
            and clean_text(grid.value(row, 2))
        ):
            return row
    return None


def _looks_like(label: str, fld: Field) -> bool:
    """True when `label` shares a word with `fld`'s header or aliases, or is spelt close."""
    if not label or len(label) > 60:
        return False
    names = _field_names(fld)
    wanted_words = {w for n in names for w in _SIGNIFICANT.findall(n.casefold())}
    words = set(_SIGNIFICANT.findall(label.casefold()))
    return bool(words & wanted_words) or any(
        difflib.SequenceMatcher(None, label.casefold(), n.casefold()).ratio() >= 0.75 for n in names
    )


def _likely_column(grid: Grid, header_row: int, taken: set[int], fld: Field) -> int | None:
    """An unclaimed column whose header looks like `fld`'s and that holds values."""
    for col, text in enumerate(grid.rows[header_row - 1], start=1):
        if col in taken or not _looks_like(clean_text(text), fld):
            continue
        if any(clean_text(grid.value(r, col)) for r in range(header_row + 1, len(grid.rows) + 1)):
            return col
    return None


def _check_tracking(sheet: Sheet, records: list[Record]) -> list[Issue]:
    """Status, dates and reasons of monitored supports that contradict each other."""
    issues = []
    for record in records:
        status, done = record["status"], record["completed_on"]
        if status is None:
            status = "Completed" if done else "Not started"
            record.values["status"] = status
        if record.invalid & {"status", "completed_on"}:
            continue  # reported at its cell; the rest would only guess
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
