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
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation

from plangen.files import atomic_write
from plangen.safetext import text_only
from plangen.schema import Field, FieldType, PlanKind, Sheet

HEADER_ROW = 3
"""The row of column headers on every sheet of the blank workbook."""
INSTRUCTIONS_HEADER_ROW = 4
"""The Instructions sheet's header row (its row 3 holds a note when there is one)."""
INSTRUCTIONS_HEADERS = ("Topic", "What to know")
LISTS_HEADER_ROW = 2
"""The Lists sheet's header row: the name of each list."""

_FONT = "Calibri"
_NAVY = "1F3864"
_TITLE_FONT = Font(name=_FONT, size=16, bold=True, color=_NAVY)
_SECTION_FONT = Font(name=_FONT, size=12, bold=True, color=_NAVY)
_HINT_FONT = Font(name=_FONT, italic=True, color="595959")
_HEADER_FONT = Font(name=_FONT, bold=True, color="FFFFFF")
_HEADER_FILL = PatternFill("solid", fgColor="1F4E79")
_REQUIRED_FILL = PatternFill("solid", fgColor="833C0B")
_LABEL_FONT = Font(name=_FONT, bold=True)
_WRAP = Alignment(wrap_text=True, vertical="top")
_DATA_ROWS = 200
"""How far down drop-downs and input hints reach in a blank table sheet."""
_EXTRA_ENTRIES = 50
"""Empty, editable cells under an extendable list on the Lists sheet."""
_FORM_TEXT_WIDTH = 70
"""The Plan sheet's "What goes here" column."""
_NAME_WIDTH, _TEXT_WIDTH = 30, 90
"""The Instructions sheet's columns: names, then wrapped text."""


def write_blank(kind: PlanKind, path: Path) -> None:
    """Write the blank, guided workbook of `kind` to `path` (atomically)."""
    save_book(blank_book(kind), path)


def save_book(book: Workbook, path: Path) -> None:
    """Save a workbook plangen made (no cell a formula) to `path`, atomically."""
    text_only(book)
    with atomic_write(path) as tmp:
        book.save(tmp)


def blank_book(kind: PlanKind) -> Workbook:
    """The blank, guided workbook of `kind`, in memory (see `write_blank`)."""
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
    for ws in book.worksheets:
        _fit_page_width(ws)
    book.properties.title = f"{kind.title} workbook"
    book.properties.subject = kind.name
    book.properties.creator = "plangen"
    return book


def _fit_page_width(ws: Any) -> None:
    """Print the sheet as wide as one page, as many pages down as it needs; landscape when
    its columns are wider than a portrait page; the header row on every page."""
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    width = sum((d.width or 0) for d in ws.column_dimensions.values())
    ws.page_setup.orientation = "landscape" if width > 130 else "portrait"
    ws.page_margins.left = ws.page_margins.right = 0.5
    header = {"Instructions": INSTRUCTIONS_HEADER_ROW, "Lists": LISTS_HEADER_ROW}.get(
        ws.title, HEADER_ROW
    )
    ws.print_title_rows = f"{header}:{header}"  # also tells Excel which row is the header


def _fit_height(ws: Any, row: int, text: str, width: float) -> None:
    """Make `row` tall enough for `text` wrapped in a cell `width` characters wide
    (LibreOffice does not size rows of wrapped text when it opens a file)."""
    per_line = max(1, int(width * 1.2))
    lines = sum(max(1, -(-len(part) // per_line)) for part in text.split("\n"))
    current = ws.row_dimensions[row].height or 15
    ws.row_dimensions[row].height = max(current, 15 * lines + 1)


def _write_instructions(ws: Any, kind: PlanKind) -> None:
    ws.title = "Instructions"
    ws["A1"] = kind.title
    ws["A1"].font = _TITLE_FONT
    ws.row_dimensions[1].height = 24
    ws["A2"] = f"Plan kind: {kind.name}"
    ws["A2"].font = _HINT_FONT
    ws.column_dimensions["A"].width = _NAME_WIDTH
    ws.column_dimensions["B"].width = _TEXT_WIDTH
    # A header row, then one line a row, no merged cells: a screen reader reads the sheet
    # in order, naming each column by its header (row 3 is left for a note of its own).
    for column, header in enumerate(INSTRUCTIONS_HEADERS, start=1):
        cell = ws.cell(INSTRUCTIONS_HEADER_ROW, column, header)  # not a column's colour
        cell.font, cell.fill = _SECTION_FONT, PatternFill("solid", fgColor="DCE6F2")
    row = INSTRUCTIONS_HEADER_ROW + 1
    step = 0
    for line in kind.instructions:
        if not line.startswith(" "):  # an indented line goes on with the step above it
            step += 1
            ws.cell(row, 1, f"Step {step}").alignment = Alignment(vertical="top")
        ws.cell(row, 2, line.strip()).alignment = _WRAP
        _fit_height(ws, row, line, _TEXT_WIDTH)
        row += 1
    row += 1
    ws.cell(row, 1, "How to read the sheets").font = _SECTION_FONT
    row += 1
    for label, fill, text in _legend(kind):
        cell = ws.cell(row, 1, label)
        cell.alignment = Alignment(wrap_text=True, vertical="top", indent=1)
        if fill is not None:
            cell.fill, cell.font = fill, _HEADER_FONT
        else:
            cell.font = _LABEL_FONT
        ws.cell(row, 2, text).alignment = _WRAP
        _fit_height(ws, row, text, _TEXT_WIDTH)
        row += 1
    row += 1
    for sheet in kind.sheets:
        title = ws.cell(row, 1, sheet.name)
        title.font, title.alignment = _SECTION_FONT, Alignment(vertical="top")
        ws.cell(row, 2, sheet.help).alignment = _WRAP
        _fit_height(ws, row, sheet.help, _TEXT_WIDTH)
        row += 1
        for fld in sheet.fields:
            name = ws.cell(row, 1, fld.header)
            if not sheet.form:  # the same colour as the column's header on its sheet
                name.fill = _REQUIRED_FILL if fld.required else _HEADER_FILL
                name.font = _HEADER_FONT
            name.alignment = Alignment(wrap_text=True, vertical="top", indent=1)
            text = _describe_field(fld, kind)
            ws.cell(row, 2, text).alignment = _WRAP
            _fit_height(ws, row, text, _TEXT_WIDTH)
            row += 1
        row += 1


def _legend(kind: PlanKind) -> list[tuple[str, PatternFill | None, str]]:
    """What the colours, drop-downs and the Lists sheet mean: (label, fill, text)."""
    extendable = [lst.name for lst in kind.lists if lst.extendable]
    lists_text = (
        "The hidden Lists sheet holds the values of the drop-downs; it is locked so a list is "
        "not changed by accident."
    )
    if extendable:
        lists_text += (
            f" A list marked (extendable) ({', '.join(extendable)}) takes your own entries: "
            "right-click a sheet tab, choose Unhide (Show Sheet in LibreOffice), pick Lists, "
            "and type in the empty cells under that list; only those cells can be edited."
        )
    return [
        (
            "Required column",
            _REQUIRED_FILL,
            "A header in this colour: every row you fill needs a value in this column "
            "(on the Plan sheet, a field noted Required).",
        ),
        ("Optional column", _HEADER_FILL, "A header in this colour: fill it when it applies."),
        (
            "Drop-down",
            None,
            "A cell with a drop-down offers the usual values. Where a column's note below says "
            "'or type your own', other text is accepted too; otherwise pick from the list.",
        ),
        ("Notes", None, "Hover over a header cell to see its note; the notes are also below."),
        ("Lists sheet", None, lists_text),
    ]


def _describe_field(fld: Field, kind: PlanKind) -> str:
    parts = [fld.help]
    if fld.required:
        parts.append("Required.")
    if fld.choices:
        lst = fld.choices
        how = "pick from the list or type your own" if lst.open else "pick from the list"
        parts.append(f"({how}: {', '.join(lst.values)})")
    return " ".join(p for p in parts if p)


def _write_lists(book: Workbook, kind: PlanKind) -> dict[str, str]:
    """The hidden, locked Lists sheet; only the empty cells under an extendable list can
    be typed in. Returns each list's cell range, for the drop-downs."""
    ws = book.create_sheet("Lists")
    ws["A1"] = (
        "The values of the drop-downs. Add your own entries only under a list marked "
        "(extendable), in its empty cells."
    )
    ws["A1"].font = _HINT_FONT
    ranges = {}
    for column, lst in enumerate(kind.lists, start=1):
        letter = get_column_letter(column)
        header = ws.cell(
            LISTS_HEADER_ROW, column, lst.name + (" (extendable)" if lst.extendable else "")
        )
        header.font = _HEADER_FONT
        header.fill = _HEADER_FILL
        for offset, value in enumerate(lst.values, start=3):
            ws.cell(offset, column, value)
        last = 2 + len(lst.values) + (_EXTRA_ENTRIES if lst.extendable else 0)
        for row in range(3 + len(lst.values), last + 1):
            ws.cell(row, column).protection = Protection(locked=False)
        ranges[lst.name] = f"{quote_sheetname('Lists')}!${letter}$3:${letter}${last}"
        ws.column_dimensions[letter].width = max(16, min(50, max(len(v) for v in lst.values) + 2))
    ws.freeze_panes = "A3"
    ws.sheet_state = "hidden"
    ws.protection.sheet = True  # no password: a guard against slips, not a lock
    return ranges


def _validation_for(fld: Field, kind: PlanKind, ranges: dict[str, str]) -> DataValidation:
    prompt = _describe_field(fld, kind)[:255]
    title = fld.header[:32]
    if fld.type in (FieldType.CHOICE, FieldType.YESNO) and fld.choices:
        lst = fld.choices
        dv = DataValidation(type="list", formula1=f"={ranges[lst.name]}", allow_blank=True)
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
        label = ws.cell(row, 1, fld.header)
        label.font, label.alignment = _LABEL_FONT, Alignment(vertical="top")
        text = _describe_field(fld, kind)
        ws.cell(row, 3, text).alignment = _WRAP
        ws.cell(row, 2).alignment = Alignment(vertical="top")
        _fit_height(ws, row, text, _FORM_TEXT_WIDTH)
        dv = _validation_for(fld, kind, ranges)
        ws.add_data_validation(dv)
        dv.add(f"B{row}")
        if fld.type is FieldType.DATE:
            ws.cell(row, 2).number_format = "yyyy-mm-dd"
    ws.column_dimensions["A"].width = 26
    ws.column_dimensions["B"].width = 44
    ws.column_dimensions["C"].width = _FORM_TEXT_WIDTH
    ws.freeze_panes = f"A{HEADER_ROW + 1}"
