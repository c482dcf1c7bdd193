"""Random edits to the example's data cells never crash plangen or lose the input."""

from __future__ import annotations

import hashlib
import re
import tempfile
from datetime import date
from pathlib import Path
from typing import Any

from click.testing import CliRunner
from conftest import SYSTEM_EXAMPLE
from docx import Document
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from plangen.cli import cli

BOOK = load_workbook(SYSTEM_EXAMPLE)
DATA_CELLS = [
    (ws.title, cell.coordinate)
    for ws in BOOK.worksheets
    if ws.title not in ("Instructions", "Lists")
    for row in ws.iter_rows(min_row=4, max_row=ws.max_row + 1, max_col=ws.max_column)
    for cell in row
    if ws.title != "Plan" or cell.column == 2
]
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")

TRICKY = st.sampled_from(
    [
        "{{ 7*7 }}",
        "{% for x in y %}",
        "R&D <b>x</b>",
        "_x000B_",
        "=1+1",
        "=A1/0",
        "",
        None,
        "36%",
        "136",
        "Yes",
        "Completed",
        "Dropped",
        "2023-02-30",
        "🎉 שלום",
        " ",
        "\n",
    ]
)
VALUES = st.one_of(
    st.text(max_size=80),
    st.integers(min_value=-(10**6), max_value=10**10),
    st.floats(allow_nan=False, allow_infinity=False),
    st.dates(min_value=date(1900, 3, 1)),
    TRICKY,
)


def excel_escaped(value: Any) -> Any:
    """Control characters as Excel stores them (`_x000B_`); openpyxl refuses them raw."""
    if isinstance(value, str):
        return _CONTROL.sub(lambda m: f"_x{ord(m.group()):04X}_", value)
    return value


LINE = re.compile(
    r"^(error|warning): (?P<file>.+?\.xlsx): "
    r'(?:(?P<sheet>[^!:"]+)(?:![A-Z]{1,3}\d+)?: |sheet "(?P<unreadable>[^"]+)" could not be read)'
)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(where=st.sampled_from(DATA_CELLS), value=VALUES)
def test_any_cell_value_gets_an_answer_and_never_harms_the_input(where, value) -> None:
    sheet, cell = where
    ws = BOOK[sheet]
    old = ws[cell].value
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "mutated.xlsx"
        try:
            ws[cell] = excel_escaped(value)
            BOOK.save(path)
        finally:
            ws[cell] = old
        before = hashlib.sha256(path.read_bytes()).hexdigest()
        runner = CliRunner()

        checked = runner.invoke(cli, ["validate", str(path)])
        assert checked.exit_code in (0, 1), checked.output
        assert checked.exception is None or isinstance(checked.exception, SystemExit)
        for line in checked.output.splitlines():
            if line.startswith(("error:", "warning:")):
                found = LINE.match(line)
                assert found, line
                assert (found["sheet"] or found["unreadable"]) in BOOK.sheetnames, line

        out = Path(tmp) / "out"
        built = runner.invoke(cli, ["build", str(path), "-o", str(out)])
        assert built.exit_code == checked.exit_code, built.output
        assert "Traceback" not in built.output
        docx = out / "mutated.docx"
        if built.exit_code == 0:
            assert Document(str(docx)).paragraphs
        else:
            assert not docx.exists()
        assert not list(Path(tmp).rglob("*.part"))
        assert hashlib.sha256(path.read_bytes()).hexdigest() == before
