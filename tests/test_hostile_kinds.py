"""The hostile corpus run on every plan kind's example, cells found from its declaration.

`test_hostile.py` holds the whole corpus on the System CSDP; here the cases that depend
on a kind's sheets (odd text, missing sheets and columns, merged cells, bad values,
formulas, over-long text) run on each kind, so a new kind is covered when it is declared.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import corpus
import pytest
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from test_hostile import build_ok, check_invalid

from plangen.kinds import KINDS
from plangen.pipeline import load
from plangen.schema import Field, FieldType, PlanKind, Sheet

ROOT = Path(__file__).resolve().parent.parent
ALL = pytest.mark.parametrize("kind", list(KINDS.values()), ids=list(KINDS))
ODD = (
    "{{ 7*7 }} and {% for x in y %}{% endfor %}",
    "R&D <b>bold</b> & more",
    "🎉 مرحبا بالعالم שלום",
    "{%p if true %}first line\nsecond line",
)


def source(kind: PlanKind) -> Path:
    return ROOT / "input_examples" / kind.example


def cell_of(kind: PlanKind, sheet: Sheet, fld: Field, record: int = 0) -> str:
    """`Sheet!B7`: where `fld` of the `record`-th row (the form's value) sits in the example."""
    ws = load_workbook(source(kind), read_only=True)[sheet.name]
    rows = [list(r) for r in ws.iter_rows(values_only=True)]
    if sheet.form:
        row = next(i for i, r in enumerate(rows, 1) if r and r[0] == fld.header)
        return f"{sheet.name}!B{row}"
    header = next(i for i, r in enumerate(rows, 1) if fld.header in r)
    column = rows[header - 1].index(fld.header) + 1
    return f"{sheet.name}!{get_column_letter(column)}{header + 1 + record}"


def tracked(kind: PlanKind) -> tuple[Sheet, Field]:
    """The kind's first monitored sheet and its item text column."""
    sheet = next(s for s in kind.sheets if s.tracked)
    return sheet, next(f for f in sheet.fields if f.required and f.type is FieldType.TEXT)


def text_cells(kind: PlanKind) -> list[str]:
    """One free-text cell on every sheet that has a text field."""
    cells = []
    for sheet in kind.sheets:
        texts = [f for f in sheet.fields if f.type is FieldType.TEXT]
        if texts:
            chosen = next((f for f in texts if f.long), texts[0])
            cells.append(cell_of(kind, sheet, chosen))
    return cells


@ALL
def test_odd_text_on_every_sheet_reaches_the_plan_literally(kind: PlanKind, tmp_path: Path):
    cells = text_cells(kind)
    values = {cell: ODD[i % len(ODD)] for i, cell in enumerate(cells)}
    path = corpus.set_cells(tmp_path, values, source=source(kind))
    assert load(path).report.valid
    text = " ".join(build_ok(path, tmp_path / "out").split())
    for value in set(values.values()):
        assert " ".join(value.split()) in text
    assert " 49 and" not in text


@ALL
def test_a_missing_required_sheet_is_named(kind: PlanKind, tmp_path: Path):
    sheet = next(s for s in kind.sheets if not s.form and s.min_rows)
    path = corpus.edited(tmp_path, lambda b: b.remove(b[sheet.name]), source=source(kind))
    check_invalid(path, tmp_path, f'{sheet.name}: the sheet "{sheet.name}" is missing')


@ALL
def test_a_renamed_required_header_names_the_column(kind: PlanKind, tmp_path: Path):
    sheet, fld = tracked(kind)
    header_cell = cell_of(kind, sheet, fld, record=-1)
    path = corpus.set_cells(tmp_path, {header_cell: "What we do"}, source=source(kind))
    row = header_cell.rsplit("!", 1)[1].lstrip("ABCDEFGHIJ")
    check_invalid(
        path, tmp_path, f'{sheet.name}: no "{fld.header}" column in the header row (row {row})'
    )


@ALL
def test_merged_cells_across_items_name_the_emptied_cell(kind: PlanKind, tmp_path: Path):
    sheet, fld = tracked(kind)
    first, second = cell_of(kind, sheet, fld, 0), cell_of(kind, sheet, fld, 1)
    span = f"{first.split('!')[1]}:{second.split('!')[1]}"
    path = corpus.edited(tmp_path, lambda b: b[sheet.name].merge_cells(span), source=source(kind))
    check_invalid(
        path, tmp_path, f"{second}: {fld.header}: this cell is part of the merged cells {span}"
    )


def _bad_values(kind: PlanKind) -> list[tuple[dict[str, Any], str]]:
    form = kind.sheets[0]
    start = form.field("date_initiated")
    sheet, fld = tracked(kind)
    status, target = sheet.field("status"), sheet.field("target_date")
    return [
        ({cell_of(kind, form, start): "next tuesday"}, f"{start.header}: expected a date"),
        ({cell_of(kind, sheet, status): "Finished"}, "Status: did you mean \"Completed\"?"),
        ({cell_of(kind, sheet, fld): "x" * 40_000}, "is 32,767 characters long"),
        ({cell_of(kind, sheet, target): "=1+1"}, "has no saved result; open and save"),
    ]


@ALL
@pytest.mark.parametrize("case", range(4), ids=["date", "status", "too-long", "formula"])
def test_bad_values_are_named_by_cell(kind: PlanKind, case: int, tmp_path: Path):
    cells, phrase = _bad_values(kind)[case]
    path = corpus.set_cells(tmp_path, cells, source=source(kind))
    (where,) = cells
    lines = check_invalid(path, tmp_path, where)
    assert any(where in line and phrase in line for line in lines), lines
