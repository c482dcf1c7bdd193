"""The rendered Word document, read back with python-docx: its text, styles and fields.

Set PLANGEN_UPDATE_GOLDEN=1 to rewrite tests/golden/super_excited_division.txt from the
current output (then read the diff before committing it).
"""

from __future__ import annotations

import os
import zipfile
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from conftest import SYSTEM_EXAMPLE, example_copy
from docx import Document
from docx.oxml.ns import qn
from lxml import etree
from openpyxl import load_workbook

from plangen import build
from plangen.kinds import get_kind
from plangen.schema import FieldType

GOLDEN = Path(__file__).parent / "golden" / "super_excited_division.txt"
SYSTEM = get_kind("system")
W14 = "http://schemas.microsoft.com/office/word/2010/wordml"


# ------------------------------------------------------------------ reading a document back


def paragraph_text(p: Any) -> str:
    """The text of a `<w:p>`, including content controls; a `<w:br/>` is a newline."""
    out = []
    for el in p.iter(qn("w:t"), qn("w:br"), qn("w:tab"), qn("w:cr")):
        if el.tag == qn("w:t"):
            out.append(el.text or "")
        elif el.tag == qn("w:tab"):
            out.append("\t")
        elif el.get(qn("w:type")) != "page":
            out.append("\n")
    return "".join(out)


def block_lines(element: Any) -> list[str]:
    """Paragraphs and table rows (`cell | cell`) of a body, header, footer or cell."""
    lines = []
    for child in element.iterchildren():
        if child.tag == qn("w:p"):
            lines.append(paragraph_text(child))
        elif child.tag == qn("w:tbl"):
            for tr in child.iterchildren(qn("w:tr")):
                cells = [" / ".join(block_lines(tc)) for tc in tr.iterchildren(qn("w:tc"))]
                lines.append(" | ".join(cells))
        elif child.tag == qn("w:sdt"):
            content = child.find(qn("w:sdtContent"))
            if content is not None:
                lines.extend(block_lines(content))
    return lines


def document_text(path: Path) -> str:
    """A .docx as text: its header, body (tables row by row) and footer, in order."""
    doc = Document(str(path))
    section = doc.sections[0]
    parts = [
        "[header]",
        *block_lines(section.header._element),
        "[body]",
        *block_lines(doc.element.body),
        "[footer]",
        *block_lines(section.footer._element),
    ]
    return "\n".join(parts) + "\n"


# ------------------------------------------------------------------ fixtures


EXAMPLE = SYSTEM_EXAMPLE


@pytest.fixture(scope="module")
def example_docx(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example workbook built once into a .docx."""
    return build(EXAMPLE, tmp_path_factory.mktemp("example")).docx


def build_edited(folder: Path, cells: dict[str, str]) -> Path:
    """The example with `cells` ({"Sheet!B7": text}) set, built in `folder`."""
    return build(example_copy(folder / EXAMPLE.name, cells), folder / "out").docx


# ------------------------------------------------------------------ (a) golden text


def test_example_document_text_matches_the_golden_file(example_docx: Path) -> None:
    text = document_text(example_docx)
    if os.environ.get("PLANGEN_UPDATE_GOLDEN") == "1":
        GOLDEN.parent.mkdir(parents=True, exist_ok=True)
        GOLDEN.write_text(text, encoding="utf-8")
    assert text == GOLDEN.read_text(encoding="utf-8")


# ------------------------------------------------------------------ (b) every free-text cell

UNSHOWN: set[tuple[str, str]] = set()
"""Free-text fields the System template does not print yet (a known gap, reported)."""

TEXT_FIELDS = [
    pytest.param(
        sheet.key,
        fld.key,
        id=f"{sheet.key}.{fld.key}",
        marks=[
            pytest.mark.xfail(
                strict=True,
                reason="the template leaves this field out; remove the mark when it is shown",
            )
        ]
        if (sheet.key, fld.key) in UNSHOWN
        else [],
    )
    for sheet in SYSTEM.sheets
    for fld in sheet.fields
    if fld.type is FieldType.TEXT
]


Marked = tuple[dict[tuple[str, str], list[str]], str]
"""Markers written, by (sheet key, field key), and the built document's text."""


def _mark_free_text(workbook: Path) -> dict[tuple[str, str], list[str]]:
    """Overwrite every filled free-text cell of `workbook` with a unique marker.

    Returns the markers written, by (sheet key, field key). Columns and labels are
    found by their header text, as the reader finds them.
    """
    book = load_workbook(workbook)
    markers: dict[tuple[str, str], list[str]] = {}

    def put(ws: Any, row: int, column: int, sheet_key: str, field_key: str) -> None:
        if ws.cell(row, column).value in (None, ""):
            return
        marker = f"MARK{sum(len(v) for v in markers.values()):03d}{field_key.upper()}Z"
        ws.cell(row, column, marker)
        markers.setdefault((sheet_key, field_key), []).append(marker)

    for sheet in SYSTEM.sheets:
        ws = book[sheet.name]
        if sheet.form:
            labels = {ws.cell(r, 1).value: r for r in range(1, ws.max_row + 1)}
            for fld in sheet.fields:
                if fld.type is FieldType.TEXT:
                    put(ws, labels[fld.header], 2, sheet.key, fld.key)
            continue
        header_row = next(
            r for r in range(1, 16) if {c.value for c in ws[r]} >= {f.header for f in sheet.fields}
        )
        columns = {c.value: c.column for c in ws[header_row]}
        for row in range(header_row + 1, ws.max_row + 1):
            if all(ws.cell(row, columns[f.header]).value in (None, "") for f in sheet.fields):
                continue
            for fld in sheet.fields:
                if fld.type is FieldType.TEXT:
                    put(ws, row, columns[fld.header], sheet.key, fld.key)
    book.save(workbook)
    return markers


@pytest.fixture(scope="module")
def marked(tmp_path_factory: pytest.TempPathFactory) -> Marked:
    """The example with every free-text cell marked, built; (markers, document text)."""
    folder = tmp_path_factory.mktemp("marked")
    workbook = example_copy(folder / EXAMPLE.name)
    markers = _mark_free_text(workbook)
    return markers, document_text(build(workbook, folder / "out").docx)


@pytest.mark.parametrize(("sheet_key", "field_key"), TEXT_FIELDS)
def test_text_typed_in_any_free_text_cell_reaches_the_document(
    marked: Marked, sheet_key: str, field_key: str
) -> None:
    markers, text = marked
    written = markers.get((sheet_key, field_key), [])
    if not written:
        pytest.skip("the example leaves this field blank")
    missing = [m for m in written if m not in text]
    assert missing == [], f"{len(missing)} of {len(written)} cells do not reach the document"


def test_the_example_fills_most_free_text_fields(
    marked: Marked,
) -> None:
    markers, _ = marked
    assert len(markers) >= len(TEXT_FIELDS) - 1
    assert sum(len(v) for v in markers.values()) > 80


# ------------------------------------------------------------------ (c) hostile text

HOSTILE = {
    "Observations!A4": "R&D <b>bold</b> & co",
    "Observations!A5": "{{ 7*7 }} and {% if true %}yes{% endif %}",
    "Observations!A6": "emoji 🎉👩🏽‍🏫 done",
    "Observations!A7": "RTL: مرحبا بالعالم and שלום עולם",
    "Observations!A8": "first line\nsecond line",
    "Goals!B4": "{% if %} broken {{",
    "Supports!B4": "vertical_x000B_tab",
    "Supports!A4": "R&D {{ 7*7 }} level",
    "Goals!C4": "measure one\r\nmeasure two",
    "Plan!B4": "R&D <Division> {{ 7*7 }}",
}


@pytest.fixture(scope="module")
def hostile_docx(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example with hostile text in a few cells, built."""
    return build_edited(tmp_path_factory.mktemp("hostile"), HOSTILE)


@pytest.mark.parametrize(
    "literal",
    [
        "R&D <b>bold</b> & co",
        "{{ 7*7 }} and {% if true %}yes{% endif %}",
        "{% if %} broken {{",
        "emoji 🎉👩🏽‍🏫 done",
        "RTL: مرحبا بالعالم and שלום עולם",
        "R&D {{ 7*7 }} level",
        "R&D <Division> {{ 7*7 }} · System Coaching Service Delivery Plan",
    ],
)
def test_hostile_text_comes_out_literally(hostile_docx: Path, literal: str) -> None:
    assert literal in document_text(hostile_docx)


def test_hostile_district_name_is_the_literal_title(hostile_docx: Path) -> None:
    title = Document(str(hostile_docx)).core_properties.title
    assert title == "System Coaching Service Delivery Plan: R&D <Division> {{ 7*7 }}"


@pytest.mark.parametrize(
    ("first", "second"),
    [("first line", "second line"), ("measure one", "measure two")],
    ids=["body paragraph", "table cell"],
)
def test_a_line_break_in_a_cell_is_a_line_break_in_one_paragraph(
    hostile_docx: Path, first: str, second: str
) -> None:
    body = Document(str(hostile_docx)).element.body
    (paragraph,) = [p for p in body.iter(qn("w:p")) if first in paragraph_text(p)]
    assert paragraph_text(paragraph) == f"{first}\n{second}"
    xml = etree.tostring(paragraph, encoding="unicode")
    assert xml.index(first) < xml.index("<w:br/>") < xml.index(second)


def test_a_control_character_is_stripped_and_the_document_opens(hostile_docx: Path) -> None:
    text = document_text(hostile_docx)
    assert "verticaltab" in text
    assert "\x0b" not in text


# ------------------------------------------------------------------ (d) structure

SEED_SECTIONS = [
    "Data to Support the Need",
    "Focus Areas and SMART Goals",
    "Description of Systems & Support Structure for Coaching",
    "Coaching Process",
    "Frequency",
    "Feedback & Communication Plans",
    "Plan for Monitoring Adherence",
]
"""The seven sections of the System CSDP template (seed 001), in its order; Word numbers
them 1 to 7 through the Heading 1 style."""


def test_core_title_names_the_plan_and_division(example_docx: Path) -> None:
    props = Document(str(example_docx)).core_properties
    assert props.title == "System Coaching Service Delivery Plan: Super Excited Division"


def test_the_seven_sections_are_heading_1_in_the_seed_order(example_docx: Path) -> None:
    doc = Document(str(example_docx))
    headings = [p.text for p in doc.paragraphs if p.style.name == "Heading 1"]
    assert headings == SEED_SECTIONS
    unnumbered = [p.text for p in doc.paragraphs if p.style.name == "Unnumbered Heading 1"]
    assert unnumbered == ["Background", "Adherence Summary"]


def test_section_numbers_come_from_the_heading_style_numbering(example_docx: Path) -> None:
    doc = Document(str(example_docx))
    num_pr = doc.styles["Heading 1"].element.pPr.numPr
    num_id = num_pr.numId.val
    numbering = doc.part.numbering_part.element
    num = next(n for n in numbering.num_lst if n.numId == num_id)
    abstract = next(
        a
        for a in numbering.findall(qn("w:abstractNum"))
        if a.get(qn("w:abstractNumId")) == str(num.abstractNumId.val)
    )
    level0 = abstract.find(qn("w:lvl"))
    assert level0.find(qn("w:lvlText")).get(qn("w:val")) == "%1."
    assert doc.styles["Unnumbered Heading 1"].element.pPr.numPr is None
    assert not any(p.text[:1].isdigit() for p in doc.paragraphs if "Heading" in p.style.name)


def test_the_contents_list_links_every_section_with_its_page(example_docx: Path) -> None:
    doc = Document(str(example_docx))
    entries = [p for p in doc.paragraphs if p.style.name == "toc 1"]
    texts = [p._p.xpath("string(.//w:hyperlink/w:r[1]/w:t)") for p in entries]
    numbered = [f"{n}. {s}" for n, s in enumerate(SEED_SECTIONS, 1)]
    assert texts == ["Background", *numbered, "Adherence Summary"]
    marks = {b.get(qn("w:name")) for b in doc.element.body.iter(qn("w:bookmarkStart"))}
    for p in entries:
        anchor = p._p.find(qn("w:hyperlink")).get(qn("w:anchor"))
        assert anchor in marks
        assert f"PAGEREF {anchor}" in "".join(t.text for t in p._p.iter(qn("w:instrText")))


def test_document_properties_are_true_of_the_built_plan(example_docx: Path) -> None:
    props = Document(str(example_docx)).core_properties
    assert props.author == props.last_modified_by == "plangen"
    assert props.comments == props.keywords == ""
    assert abs((datetime.now(UTC) - props.created.replace(tzinfo=UTC)).total_seconds()) < 600
    with zipfile.ZipFile(example_docx) as archive:
        assert not [n for n in archive.namelist() if "thumbnail" in n]
        app = archive.read("docProps/app.xml").decode()
        core = archive.read("docProps/core.xml").decode()
    assert "<Application>plangen</Application>" in app
    assert "python-docx" not in core + app


def test_properties_left_in_a_custom_template_do_not_reach_the_plan(tmp_path: Path) -> None:
    template = tmp_path / "from_python_docx.docx"
    doc = Document()  # python-docx's default: a thumbnail, "generated by python-docx", 2013
    doc.add_paragraph("Plan of {{ district }}")
    doc.save(str(template))
    built = build(EXAMPLE, tmp_path / "out", template=template).docx
    props = Document(str(built)).core_properties
    assert (props.author, props.comments, props.created.year) == ("plangen", "", date.today().year)
    with zipfile.ZipFile(built) as archive:
        assert not [n for n in archive.namelist() if "thumbnail" in n]
        app = archive.read("docProps/app.xml").decode()
        core = archive.read("docProps/core.xml").decode()
    assert "python-docx" not in core
    assert "<Application>plangen</Application>" in app
    assert "Word" not in app and "Normal.dotm" not in app


def test_sub_scores_are_indented_by_their_paragraph_style(example_docx: Path) -> None:
    doc = Document(str(example_docx))
    table = next(t for t in doc.tables if t.rows[0].cells[0].text == "Measure")
    styles = {row.cells[0].text: row.cells[0].paragraphs[0].style.name for row in table.rows[1:]}
    assert styles["DCA Total Score"] == "Table Text"
    assert styles["Organizational Leadership"] == "Table Text Indented"
    assert doc.styles["Table Text Indented"].paragraph_format.left_indent > 0


def test_every_table_has_the_named_table_style(example_docx: Path) -> None:
    doc = Document(str(example_docx))
    assert [t.style.name for t in doc.tables].count("Glance Table") == 1  # page 1 tiles
    assert {t.style.name for t in doc.tables} == {"Plan Table", "Glance Table"}
    body = doc.element.body
    assert not list(body.iter(qn("w:rFonts"))), "fonts come from styles, not from runs"


def test_footer_numbers_the_pages(example_docx: Path) -> None:
    footer = Document(str(example_docx)).sections[0].footer._element
    simple = [f.get(qn("w:instr")).split()[0] for f in footer.iter(qn("w:fldSimple"))]
    complex_ = [(t.text or "").split()[0] for t in footer.iter(qn("w:instrText")) if t.text]
    assert [*simple, *complex_] == ["PAGE", "NUMPAGES"]


def _checkbox_rows(doc: Any, header: str) -> dict[str, str]:
    """Second-column text -> w14:checked value of the table whose header has `header`."""
    for table in doc.tables:
        if header in [c.text for c in table.rows[0].cells]:
            rows = {}
            for row in table.rows[1:]:
                checked = row._tr.find(f".//{{{W14}}}checked")
                if checked is not None:
                    rows[row.cells[1].text] = checked.get(f"{{{W14}}}val")
            return rows
    raise AssertionError(f"no table with a {header!r} column")


def test_selected_focus_areas_are_marked_and_others_not(example_docx: Path) -> None:
    """Focus areas are chosen in the workbook: the plan marks them (☒/☐ as text), it
    offers no box to tick that could not flow back."""
    table = next(
        t for t in Document(str(example_docx)).tables if t.rows[0].cells[1].text == "Focus area"
    )
    rows = {row.cells[1].text: row.cells[0].text for row in table.rows[1:]}
    assert len(rows) == 11
    selected = {"Leadership/Teaming", "Coaching"}
    assert {area for area, mark in rows.items() if mark == "☒"} == selected
    assert {mark for area, mark in rows.items() if area not in selected} == {"☐"}
    assert table._tbl.find(f".//{{{W14}}}checkbox") is None


def test_completed_supports_are_checked(example_docx: Path) -> None:
    rows = _checkbox_rows(Document(str(example_docx)), "Support")
    assert rows["Set up progress monitoring for both goals."] == "1"
    assert rows["Attend Systems Coaching Institute 101."] == "0"
    assert sum(val == "1" for val in rows.values()) == 7
