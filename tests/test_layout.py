"""How a built plan is laid out: tables full width, headings kept with what follows, empty
sections saying so, dates kept whole. Read back from real documents with python-docx."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from conftest import example_copy
from docx import Document
from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph
from test_render import block_lines

from plangen.kinds import get_kind
from plangen.pipeline import build

EXAMPLES = Path(__file__).resolve().parent.parent / "input_examples"
SYSTEM = EXAMPLES / get_kind("system").example
DISTRICT = EXAMPLES / get_kind("district").example
BODY_TWIPS = 9936  # 6.9 inches between the margins


@pytest.fixture(scope="module", params=["system", "district"])
def plan_docx(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    example = SYSTEM if request.param == "system" else DISTRICT
    return build(example, tmp_path_factory.mktemp(request.param)).docx


def _table_width(table: Any) -> int:
    return sum(int(col.get(qn("w:w"))) for col in table._tbl.tblGrid.iter(qn("w:gridCol")))


def test_every_table_is_as_wide_as_the_text(plan_docx: Path) -> None:
    doc = Document(str(plan_docx))
    smart = [t for t in doc.tables if "SMART goal" in [c.text for c in t.rows[0].cells]]
    assert smart, "the SMART goal table is there"
    assert {_table_width(t) for t in smart} == {BODY_TWIPS}
    full = [t for t in doc.tables if _table_width(t) == BODY_TWIPS]
    assert len(full) >= len(doc.tables) - 2  # the two narrow adherence tables


def test_a_heading_or_intro_is_kept_on_the_page_of_the_table_below_it(plan_docx: Path) -> None:
    doc = Document(str(plan_docx))
    checked = 0
    for table in doc.tables:
        before = table._tbl.getprevious()
        if before is None or before.tag != qn("w:p"):
            continue
        style = Paragraph(before, doc._body).style
        if style.name == "toc 1":  # the title block's table comes before the contents
            continue
        assert style.paragraph_format.keep_with_next, f"{style.name} before a table"
        if table.rows[0]._tr.find(f"{qn('w:trPr')}/{qn('w:tblHeader')}") is not None:
            assert table.rows[0].cells[0].paragraphs[0].paragraph_format.keep_with_next
        checked += 1
    assert checked >= 8


def test_headings_and_intros_keep_with_the_next_paragraph(plan_docx: Path) -> None:
    doc = Document(str(plan_docx))
    for name in ("Heading 1", "Heading 2", "Heading 3", "Unnumbered Heading 1", "Intro"):
        assert doc.styles[name].paragraph_format.keep_with_next, name


def test_status_dates_are_never_split_across_lines(plan_docx: Path) -> None:
    doc = Document(str(plan_docx))
    cells = [
        "".join(row.cells[-1]._tc.itertext())
        for table in doc.tables
        if table.rows[0].cells[-1].text == "Status"
        for row in table.rows[1:]
    ]
    dates = [
        found
        for text in cells
        for found in re.findall(r"(?:January|February|March|April|May|June|July|August|"
                                r"September|October|November|December)\S*\s*\d+,\s*\d{4}", text)
    ]
    assert len(dates) > 5
    for found in dates:
        assert " " not in found and "\u00a0" in found, found


def test_empty_observations_say_none_recorded(tmp_path: Path) -> None:
    edits: dict[tuple[str, str], object] = {
        ("Observations", f"A{row}"): None for row in range(4, 24)
    }
    docx = build_cells(SYSTEM, tmp_path, edits)
    lines = block_lines(Document(str(docx)).element.body)
    at = lines.index("Qualitative observations")
    assert lines[at + 1] == "None recorded."


@pytest.mark.parametrize("example", [SYSTEM, DISTRICT], ids=["system", "district"])
def test_an_empty_review_log_says_so_in_the_same_words_in_both_kinds(
    example: Path, tmp_path: Path
) -> None:
    edits: dict[tuple[str, str], Any] = {
        ("Reviews", f"{col}{row}"): None for row in range(4, 40) for col in "ABCDEFGH"
    }
    lines = block_lines(Document(str(build_cells(example, tmp_path, edits))).element.body)
    assert lines.count("No review has been logged yet.") == 2  # the log and the history


def test_a_full_summary_has_no_none_recorded(plan_docx: Path) -> None:
    lines = block_lines(Document(str(plan_docx)).element.body)
    assert "None recorded." not in lines


def build_cells(example: Path, folder: Path, edits: dict[tuple[str, str], object]) -> Path:
    """`example` built in `folder` with `edits` ({(sheet, cell): value}) set first."""
    kind = "district" if "maple" in example.name else "system"
    cells = {f"{sheet}!{cell}": value for (sheet, cell), value in edits.items()}
    workbook = example_copy(folder / example.name, cells, kind=kind)
    return build(workbook, folder / "out").docx
