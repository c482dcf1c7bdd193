"""The blank, guided workbook of a plan kind (`plangen new`), written with openpyxl.

Made from the kind's declaration: an Instructions sheet, one sheet per declared sheet
(headers with notes, drop-downs, input messages, date formats) and a hidden, protected
Lists sheet holding the drop-down values.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation

from plangen.files import atomic_write
from plangen.schema import Field, FieldType, PlanKind, Sheet

HEADER_ROW = 3
"""The row of column headers on every sheet of the blank workbook."""

_TITLE_FONT = Font(size=14, bold=True, color="1F3864")
_HINT_FONT = Font(italic=True, color="595959")
_HEADER_FONT = Font(bold=True, color="FFFFFF")
_HEADER_FILL = PatternFill("solid", fgColor="1F4E79")
_REQUIRED_FILL = PatternFill("solid", fgColor="833C0B")
_LABEL_FONT = Font(bold=True)
_WRAP = Alignment(wrap_text=True, vertical="top")
_DATA_ROWS = 200
"""How far down drop-downs and input hints reach in a blank table sheet."""


def write_blank(kind: PlanKind, path: Path) -> None:
    """Write the blank, guided workbook of `kind` to `path` (atomically)."""
    book = Workbook()
    _write_instructions(book.active, kind)
    list_ranges = _write_lists(book, kind)
    for sheet in kind.sheets:
        ws = book.create_sheet(sheet.name)
        if sheet.form:
            _write_form(ws, sheet, kind, list_ranges)
        else:
            _write_table(ws, sheet, kind, list_ranges)
    book.move_sheet("Lists", offset=len(book.sheetnames))
    book.properties.title = f"{kind.title} workbook"
    book.properties.subject = kind.name
    with atomic_write(path) as tmp:
        book.save(tmp)


def _write_instructions(ws: Any, kind: PlanKind) -> None:
    ws.title = "Instructions"
    ws["A1"] = kind.title
    ws["A1"].font = _TITLE_FONT
    ws["A2"] = f"Plan kind: {kind.name}"
    ws["A2"].font = _HINT_FONT
    row = 4
    for line in kind.instructions:
        ws.cell(row, 1, line).alignment = _WRAP
        row += 1
    row += 1
    for sheet in kind.sheets:
        ws.cell(row, 1, sheet.name).font = Font(bold=True, size=12, color="1F3864")
        ws.cell(row, 2, sheet.help).alignment = _WRAP
        row += 1
        for fld in sheet.fields:
            ws.cell(row, 1, f"   {fld.header}")
            ws.cell(row, 2, _describe_field(fld, kind)).alignment = _WRAP
            row += 1
        row += 1
    ws.column_dimensions["A"].width = 34
    ws.column_dimensions["B"].width = 100


def _describe_field(fld: Field, kind: PlanKind) -> str:
    parts = [fld.help]
    if fld.required:
        parts.append("Required.")
    if fld.choices:
        lst = kind.choice_list(fld.choices)
        how = "pick from the list or type your own" if lst.open else "pick from the list"
        parts.append(f"({how}: {', '.join(lst.values)})")
    return " ".join(p for p in parts if p)


def _write_lists(book: Workbook, kind: PlanKind) -> dict[str, str]:
    ws = book.create_sheet("Lists")
    ws["A1"] = "Drop-down lists. Lists marked (extendable) take new entries at their end."
    ws["A1"].font = _HINT_FONT
    ranges = {}
    for column, lst in enumerate(kind.lists, start=1):
        letter = get_column_letter(column)
        header = ws.cell(2, column, lst.name + (" (extendable)" if lst.extendable else ""))
        header.font = _HEADER_FONT
        header.fill = _HEADER_FILL
        for offset, value in enumerate(lst.values, start=3):
            ws.cell(offset, column, value)
        last = 2 + len(lst.values) + (50 if lst.extendable else 0)
        ranges[lst.name] = f"{quote_sheetname('Lists')}!${letter}$3:${letter}${last}"
        ws.column_dimensions[letter].width = max(16, min(50, max(len(v) for v in lst.values) + 2))
    ws.freeze_panes = "A3"
    return ranges


def _validation_for(fld: Field, kind: PlanKind, ranges: dict[str, str]) -> DataValidation:
    prompt = _describe_field(fld, kind)[:255]
    title = fld.header[:32]
    if fld.type in (FieldType.CHOICE, FieldType.YESNO) and fld.choices:
        lst = kind.choice_list(fld.choices)
        dv = DataValidation(type="list", formula1=f"={ranges[fld.choices]}", allow_blank=True)
        if lst.open or lst.extendable:
            dv.errorStyle = "warning"
        dv.error = f"Pick a value from the list ({lst.name})."
        dv.errorTitle = "Not in the list"
    elif fld.type is FieldType.DATE:
        dv = DataValidation(type="date", operator="greaterThan", formula1="1", allow_blank=True)
        dv.errorStyle = "warning"
        dv.error = "Type a date like 2023-06-30."
        dv.errorTitle = "Not a date"
    elif fld.type is FieldType.INTEGER:
        dv = DataValidation(
            type="whole", operator="greaterThanOrEqual", formula1="0", allow_blank=True
        )
        dv.error = "Type a whole number."
        dv.errorTitle = "Not a whole number"
    else:
        dv = DataValidation(allow_blank=True)
    dv.showErrorMessage = dv.type is not None
    dv.showInputMessage = True
    dv.promptTitle = title
    dv.prompt = prompt
    return dv


def _write_table(ws: Any, sheet: Sheet, kind: PlanKind, ranges: dict[str, str]) -> None:
    ws["A1"] = sheet.title
    ws["A1"].font = _TITLE_FONT
    ws["A2"] = sheet.help
    ws["A2"].font = _HINT_FONT
    last_row = HEADER_ROW + max(_DATA_ROWS, len(sheet.prefill))
    for column, fld in enumerate(sheet.fields, start=1):
        letter = get_column_letter(column)
        cell = ws.cell(HEADER_ROW, column, fld.header)
        cell.font = _HEADER_FONT
        cell.fill = _REQUIRED_FILL if fld.required else _HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        cell.comment = Comment(_describe_field(fld, kind), "plangen", width=300, height=120)
        ws.column_dimensions[letter].width = fld.width
        dv = _validation_for(fld, kind, ranges)
        ws.add_data_validation(dv)
        dv.add(f"{letter}{HEADER_ROW + 1}:{letter}{last_row}")
        if fld.type is FieldType.DATE:
            for row in range(HEADER_ROW + 1, last_row + 1):
                ws.cell(row, column).number_format = "yyyy-mm-dd"
        if fld.long:
            for row in range(HEADER_ROW + 1, HEADER_ROW + 1 + len(sheet.prefill) + 20):
                ws.cell(row, column).alignment = _WRAP
    for offset, values in enumerate(sheet.prefill, start=HEADER_ROW + 1):
        for column, fld in enumerate(sheet.fields, start=1):
            if fld.key in values:
                ws.cell(offset, column, values[fld.key])
    ws.freeze_panes = f"A{HEADER_ROW + 1}"
    ws.row_dimensions[HEADER_ROW].height = 30


def _write_form(ws: Any, sheet: Sheet, kind: PlanKind, ranges: dict[str, str]) -> None:
    ws["A1"] = sheet.title
    ws["A1"].font = _TITLE_FONT
    ws["A2"] = sheet.help
    ws["A2"].font = _HINT_FONT
    for column, header in enumerate(("Field", "Value", "What goes here"), start=1):
        cell = ws.cell(HEADER_ROW, column, header)
        cell.font = _HEADER_FONT
        cell.fill = _HEADER_FILL
    for row, fld in enumerate(sheet.fields, start=HEADER_ROW + 1):
        ws.cell(row, 1, fld.header).font = _LABEL_FONT
        ws.cell(row, 3, _describe_field(fld, kind)).alignment = _WRAP
        dv = _validation_for(fld, kind, ranges)
        ws.add_data_validation(dv)
        dv.add(f"B{row}")
        if fld.type is FieldType.DATE:
            ws.cell(row, 2).number_format = "yyyy-mm-dd"
    ws.column_dimensions["A"].width = 26
    ws.column_dimensions["B"].width = 44
    ws.column_dimensions["C"].width = 70
    ws.freeze_panes = f"A{HEADER_ROW + 1}"
