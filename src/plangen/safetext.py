"""Text from a workbook made safe for where plangen puts it: a terminal or a spreadsheet.

`for_terminal` drops the characters a terminal acts on (escape sequences, bell, other
C0/C1 controls, bidirectional overrides); `for_spreadsheet` keeps a text value from being
read as a formula by Excel, LibreOffice or Google Sheets (OWASP's CSV-injection advice).
"""

from __future__ import annotations

import re
from typing import Any
from xml.sax.saxutils import escape

_CONTROLS = re.compile(
    "\x1b(?:\\[[0-?]*[ -/]*[@-~]|\\][^\x07\x1b]*(?:\x07|\x1b\\\\)?|[@-_])"  # CSI, OSC, Fe
    "|[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]"
)
"""Escape sequences whole, then any remaining C0/C1 control (but tab and line feed), DEL,
and the bidirectional marks and overrides that reorder what a terminal shows."""

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
"""First characters that make a spreadsheet program read a text value as a formula."""


def for_terminal(text: Any) -> str:
    """`text` as a string with escape sequences and control characters removed."""
    return _CONTROLS.sub("", str(text))


def for_spreadsheet(value: Any) -> Any:
    """A value to write into a spreadsheet cell: text starting like a formula gets a
    leading `'` (so `=1+1` shows as text); numbers, dates and other values are unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


_XLSX_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")
"""Characters an .xlsx cannot hold (openpyxl refuses them)."""


_LOOKS_ESCAPED = re.compile(r"_(x[0-9A-Fa-f]{4}_)")
"""Text a spreadsheet reads as the escape of a character (`_x0041_` is "A")."""


def clean_for_xlsx(text: str) -> str:
    """`text` without the control characters an .xlsx cannot hold."""
    return _XLSX_ILLEGAL.sub("", text)


def put_cell(ws: Any, row: int, column: int, value: Any) -> Any:
    """Write `value` into an openpyxl sheet at (row, column) and return the cell.

    Text is always a text cell, never a formula, whatever it starts with (`=1+1` is
    stored and shown as the four characters typed); numbers and dates stay numbers.
    """
    if isinstance(value, str):  # openpyxl writes `_x0041_` as it is, which reads as "A"
        value = _LOOKS_ESCAPED.sub(r"_x005F_\1", clean_for_xlsx(value))
    cell = ws.cell(row, column, value)
    if isinstance(value, str):
        cell.data_type = "s"
    return cell


def text_only(book: Any) -> None:
    """Make every cell of an openpyxl workbook that would be written as a formula a text
    cell instead: a workbook plangen writes holds no formula (drop-downs use validations)."""
    for ws in book.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if cell.data_type == "f":
                    cell.data_type = "s"



def spreadsheet_xml_text(text: str) -> str:
    """`text` for the `<t>` of a spreadsheet part, so a reader shows what was typed: XML
    escaped, and a run like `_x0041_` (which Excel and LibreOffice read as the escape of
    a character, `A`) escaped itself as `_x005F_x0041_`, as Excel writes it."""
    return _LOOKS_ESCAPED.sub(r"_x005F_\1", escape(text))


_ESCAPED = re.compile(r"_x([0-9A-Fa-f]{4})_")


def text_of_spreadsheet_xml(raw: str) -> str:
    """What a spreadsheet shows for the `<t>` text `raw`: each `_xHHHH_` is the character
    HHHH (`_x005F_x0041_` is the text `_x0041_`); the reverse of `spreadsheet_xml_text`
    after XML parsing."""
    return _ESCAPED.sub(lambda found: chr(int(found.group(1), 16)), raw)
