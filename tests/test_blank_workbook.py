"""`plangen new system`: the blank, guided workbook a coordinator fills in."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from conftest import example_path
from openpyxl import load_workbook
from openpyxl.utils import column_index_from_string, get_column_letter
from test_reader import fill_minimal

from plangen.cli import cli
from plangen.kinds import KINDS, get_kind
from plangen.kinds.system import FOCUS_AREA_LIST
from plangen.schema import FieldType, Sheet
from plangen.workbook.blank import HEADER_ROW

SYSTEM = get_kind("system")
TABLES = [s for s in SYSTEM.sheets if not s.form]
FORMS = [s for s in SYSTEM.sheets if s.form]


@pytest.fixture(scope="module")
def blank(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The workbook `plangen new system` writes."""
    path = tmp_path_factory.mktemp("new") / "my_division.xlsx"
    result = CliRunner().invoke(cli, ["new", "system", str(path)])
    assert result.exit_code == 0, result.output
    return path


@pytest.fixture(scope="module")
def book(blank: Path) -> Any:
    return load_workbook(blank)


def validations(ws: Any) -> dict[str, Any]:
    """Column letter -> the data validation covering that column's first data cell."""
    found = {}
    for dv in ws.data_validations.dataValidation:
        for cell_range in dv.sqref.ranges:
            found[get_column_letter(cell_range.min_col)] = dv
    return found


def test_sheets_are_instructions_then_one_per_declared_sheet_then_lists(book: Any) -> None:
    assert book.sheetnames == ["Instructions", *(s.name for s in SYSTEM.sheets), "Lists"]


def test_instructions_name_the_kind_and_every_sheet_and_column(book: Any) -> None:
    ws = book["Instructions"]
    assert ws["A1"].value == SYSTEM.title
    assert ws["A2"].value == "Plan kind: system"
    column_a = {str(c.value).strip() for c in ws["A"] if c.value}
    for sheet in SYSTEM.sheets:
        assert sheet.name in column_a
        assert {f.header for f in sheet.fields} <= column_a
    text = " ".join(str(c.value) for row in ws.iter_rows() for c in row if c.value)
    assert "plangen validate" in text


@pytest.mark.parametrize("sheet", SYSTEM.sheets, ids=lambda s: s.name)
def test_header_rows_are_frozen(book: Any, sheet: Sheet) -> None:
    assert book[sheet.name].freeze_panes == f"A{HEADER_ROW + 1}"


@pytest.mark.parametrize("sheet", TABLES, ids=lambda s: s.name)
def test_table_headers_widths_and_input_messages(book: Any, sheet: Sheet) -> None:
    ws = book[sheet.name]
    headers = [c.value for c in ws[HEADER_ROW] if c.value is not None]
    assert headers == [f.header for f in sheet.fields]
    dvs = validations(ws)
    for column, fld in enumerate(sheet.fields, start=1):
        letter = get_column_letter(column)
        width = ws.column_dimensions[letter].width
        assert 6 <= width <= 100, f"{sheet.name}!{letter} is {width} wide"
        if fld.long:
            assert width >= 30, f"{fld.header} holds paragraphs but is only {width} wide"
        dv = dvs[letter]
        assert dv.showInputMessage
        assert dv.promptTitle == fld.header[:32]
        assert dv.prompt and len(dv.prompt) <= 255  # Excel refuses longer input messages
        assert fld.help[:40] in dv.prompt
        (cells,) = dv.sqref.ranges
        assert (cells.min_col, cells.max_col) == (column, column)
        assert cells.min_row == HEADER_ROW + 1
        assert cells.max_row >= HEADER_ROW + 200
        assert ws.cell(HEADER_ROW, column).comment is not None


@pytest.mark.parametrize("sheet", FORMS, ids=lambda s: s.name)
def test_form_labels_and_input_messages(book: Any, sheet: Sheet) -> None:
    ws = book[sheet.name]
    labels = [ws.cell(r, 1).value for r in range(HEADER_ROW + 1, ws.max_row + 1)]
    assert labels == [f.header for f in sheet.fields]
    prompts = {str(dv.sqref): dv for dv in ws.data_validations.dataValidation}
    for row, fld in enumerate(sheet.fields, start=HEADER_ROW + 1):
        assert prompts[f"B{row}"].promptTitle == fld.header[:32]
        assert prompts[f"B{row}"].prompt
    assert ws.column_dimensions["B"].width >= 30


CHOICE_COLUMNS = [
    pytest.param(sheet, fld, id=f"{sheet.name}.{fld.header}")
    for sheet in SYSTEM.sheets
    for fld in sheet.fields
    if fld.type in (FieldType.CHOICE, FieldType.YESNO)
]


@pytest.mark.parametrize(("sheet", "fld"), CHOICE_COLUMNS)
def test_choice_columns_offer_their_list(book: Any, sheet: Sheet, fld: Any) -> None:
    ws = book[sheet.name]
    if sheet.form:
        row = HEADER_ROW + 1 + [f.key for f in sheet.fields].index(fld.key)
        dv = {str(d.sqref): d for d in ws.data_validations.dataValidation}[f"B{row}"]
    else:
        letter = get_column_letter([f.key for f in sheet.fields].index(fld.key) + 1)
        dv = validations(ws)[letter]
    assert dv.type == "list"
    match = re.fullmatch(r"='?Lists'?!\$([A-Z]+)\$(\d+):\$([A-Z]+)\$(\d+)", dv.formula1)
    assert match, dv.formula1
    column = column_index_from_string(match.group(1))
    first, last = int(match.group(2)), int(match.group(4))
    lists = book["Lists"]
    offered = [lists.cell(r, column).value for r in range(first, last + 1)]
    expected = fld.choices.values
    assert [v for v in offered if v is not None] == list(expected)
    if fld.choices.open:
        assert dv.errorStyle == "warning"  # other text is allowed, with a warning
    else:
        assert dv.errorStyle in (None, "stop")


def test_focus_areas_are_prefilled(book: Any) -> None:
    ws = book["Focus Areas"]
    areas = [ws.cell(r, 1).value for r in range(HEADER_ROW + 1, HEADER_ROW + 12)]
    assert areas == list(FOCUS_AREA_LIST.values)
    assert ws.cell(HEADER_ROW + 1, 3).value == "1A, 1B"


def test_a_minimally_filled_blank_workbook_validates(blank: Path, tmp_path: Path) -> None:
    path = fill_minimal(blank, tmp_path / "filled.xlsx")
    result = CliRunner().invoke(cli, ["validate", str(path)])
    assert result.exit_code == 0, result.output
    assert result.stdout == f"{path}: valid (0 errors, 0 warnings)\n"


def test_the_untouched_blank_workbook_lists_what_is_missing(blank: Path) -> None:
    result = CliRunner().invoke(cli, ["validate", str(blank)])
    assert result.exit_code == 1
    assert result.stdout == f"{blank}: not valid (8 errors, 0 warnings)\n"


def test_packaged_examples_are_the_input_examples():
    """The examples shipped in the package (for `new --example`, `fields`) match the repo's."""
    from importlib import resources

    from plangen.kinds import KINDS

    for kind in KINDS.values():
        packaged = Path(str(resources.files("plangen") / "examples" / kind.example))
        assert packaged.read_bytes() == example_path(kind.name).read_bytes(), kind.example


def test_new_example_writes_a_workbook_that_builds(tmp_path: Path):
    path = tmp_path / "mine.xlsx"
    result = CliRunner().invoke(cli, ["new", "district", str(path), "--example"])
    assert result.exit_code == 0, result.output
    result = CliRunner().invoke(cli, ["build", str(path), "-o", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "mine.docx").is_file()


# ------------------------------------------------------------------ reads and prints well


def test_lists_sheet_is_hidden_and_locked_but_extendable_lists_take_entries(
    tmp_path: Path,
) -> None:
    path = tmp_path / "district.xlsx"
    assert CliRunner().invoke(cli, ["new", "district", str(path)]).exit_code == 0
    ws = load_workbook(path)["Lists"]
    assert ws.sheet_state == "hidden"
    assert ws.protection.sheet is True
    district = get_kind("district")
    for column, lst in enumerate(district.lists, start=1):
        first_empty = ws.cell(3 + len(lst.values), column)
        assert ws.cell(3, column).protection.locked  # the given values cannot be changed
        assert first_empty.protection.locked is not lst.extendable, lst.name
    assert any(lst.extendable for lst in district.lists)


def test_every_sheet_prints_one_page_wide(book: Any) -> None:
    for ws in book.worksheets:
        assert ws.sheet_properties.pageSetUpPr.fitToPage, ws.title
        assert (ws.page_setup.fitToWidth, ws.page_setup.fitToHeight) == (1, 0), ws.title


def test_instructions_have_a_wide_wrapped_text_column_and_a_colour_legend(book: Any) -> None:
    ws = book["Instructions"]
    assert ws.column_dimensions["B"].width >= 80
    assert (ws["A4"].value, ws["B4"].value) == ("Topic", "What to know")
    first_line = ws["B5"]
    assert ws["A5"].value == "Step 1" and first_line.value == SYSTEM.instructions[0]
    assert first_line.alignment.wrap_text and not ws.merged_cells.ranges
    labels = {c.value: c for c in ws["A"] if c.value}
    header = book["Supports"].cell(HEADER_ROW, 1)  # Level: required
    assert labels["Required column"].fill.fgColor.rgb == header.fill.fgColor.rgb
    optional = book["Data"].cell(HEADER_ROW, 5)  # Note: optional
    assert labels["Optional column"].fill.fgColor.rgb == optional.fill.fgColor.rgb
    assert labels["Required column"].fill.fgColor.rgb != optional.fill.fgColor.rgb
    text = " ".join(str(c.value) for row in ws.iter_rows() for c in row if c.value)
    assert "marked 'open'" not in text
    assert "or type your own" in text


def test_a_wrapped_instruction_row_is_tall_enough_for_its_lines(book: Any) -> None:
    ws = book["Instructions"]
    for row in ws.iter_rows(min_row=4):
        cell = row[1] if row[1].value else row[0]
        if isinstance(cell.value, str) and len(cell.value) > 130:
            assert (ws.row_dimensions[cell.row].height or 15) >= 30, cell.coordinate


def test_a_plan_sheet_note_of_two_lines_gets_a_row_of_two_lines(tmp_path: Path) -> None:
    path = tmp_path / "district.xlsx"
    assert CliRunner().invoke(cli, ["new", "district", str(path)]).exit_code == 0
    plan = load_workbook(path)["Plan"]
    note = plan.cell(HEADER_ROW + 1, 3)  # District: 94 characters, two lines at width 70
    assert note.value.startswith("The district whose implementation team is coached")
    assert plan.column_dimensions["C"].width == 70
    assert plan.row_dimensions[note.row].height >= 30
    assert (plan.row_dimensions[HEADER_ROW + 3].height or 15) < 30  # a one-line note


def test_libreoffice_prints_the_blank_workbook_on_few_whole_pages(
    blank: Path, tmp_path: Path
) -> None:
    from pypdf import PdfReader

    from plangen.pdf.convert import find_soffice

    profile = (tmp_path / "profile").as_uri()
    subprocess.run(
        [
            find_soffice(),
            "--headless",
            f"-env:UserInstallation={profile}",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(blank),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    reader = PdfReader(tmp_path / "my_division.pdf")
    assert len(reader.pages) <= 2 + len(SYSTEM.sheets) + 2
    first = re.sub(r"\s+", " ", reader.pages[0].extract_text())
    assert SYSTEM.title in first
    assert "How to read the sheets" in first
    printed = " ".join(p.extract_text() for p in reader.pages)
    assert "The values of the drop-downs" not in printed  # the Lists sheet is hidden


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_every_sheet_has_a_header_row_excel_can_identify_and_nothing_merged(
    kind: str, tmp_path: Path
) -> None:
    """Print titles name each sheet's header row (Excel repeats it and a screen reader
    reads it as the header); no merged cell anywhere; the Instructions read in order."""
    path = tmp_path / f"{kind}.xlsx"
    assert CliRunner().invoke(cli, ["new", kind, str(path)]).exit_code == 0
    book = load_workbook(path)
    for ws in book.worksheets:
        assert ws.print_title_rows, ws.title
        row = int(ws.print_title_rows.split(":")[0].lstrip("$"))
        headers = [c.value for c in ws[row] if c.value is not None]
        assert headers and all(isinstance(h, str) and h.strip() for h in headers), ws.title
        assert len(headers) == ws.max_column or ws.title == "Instructions", ws.title
        assert not ws.merged_cells.ranges, (ws.title, ws.merged_cells.ranges)
    ws = book["Instructions"]
    wanted = [line.strip() for line in KINDS[kind].instructions]
    lines = [row[1] for row in ws.iter_rows(min_row=5, values_only=True)]
    assert lines[: len(wanted)] == wanted
