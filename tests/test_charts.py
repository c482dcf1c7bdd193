"""The Adherence Summary's charts: native Word chart parts with their data, read back."""

from __future__ import annotations

import io
import zipfile
from datetime import date
from pathlib import Path

import pytest
from conftest import example_copy
from lxml import etree
from openpyxl import load_workbook
from test_render import EXAMPLE

from plangen.pipeline import build

C = "{http://schemas.openxmlformats.org/drawingml/2006/chart}"
CHART_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/chart"


@pytest.fixture(scope="module")
def example_docx(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build(EXAMPLE, tmp_path_factory.mktemp("charts")).docx


def charts(docx: Path) -> dict[str, etree._Element]:
    """Each chart part of the document body, by its kind (`scatterChart`, `barChart`), in
    the order the document shows them."""
    with zipfile.ZipFile(docx) as archive:
        rels = etree.fromstring(archive.read("word/_rels/document.xml.rels"))
        targets = {r.get("Id"): r.get("Target") for r in rels if r.get("Type") == CHART_REL}
        body = archive.read("word/document.xml").decode()
        out = {}
        for rid, target in targets.items():
            assert f'r:id="{rid}"' in body
            root = etree.fromstring(archive.read(f"word/{target}"))
            plot = root.find(f"{C}chart/{C}plotArea")
            kind = etree.QName(plot[1] if plot[0].tag == f"{C}layout" else plot[0]).localname
            out[f"{kind}{len(out)}"] = root
        return out


def values(root: etree._Element, which: str) -> list[list[str]]:
    """Per series, the cached `xVal`/`yVal`/`cat`/`val` points of a chart."""
    return [
        [v.text for v in part.iter(f"{C}v")]
        for ser in root.iter(f"{C}ser")
        for part in ser.iter(f"{C}{which}")
    ]


def test_the_summary_has_a_trend_chart_and_two_completion_charts(example_docx: Path) -> None:
    assert sorted(charts(example_docx)) == ["barChart1", "barChart2", "scatterChart0"]


def test_the_trend_shows_each_review_against_the_pace_to_100_percent(example_docx: Path) -> None:
    trend = charts(example_docx)["scatterChart0"]
    serial = [(date(*d) - date(1899, 12, 30)).days for d in ((2022, 10, 31), (2023, 6, 30))]
    reviews = [(2022, 11, 30), (2022, 12, 15), (2023, 1, 25)]
    review_serials = [str((date(*d) - date(1899, 12, 30)).days) for d in reviews]
    assert values(trend, "xVal") == [review_serials, [str(s) for s in serial]]
    assert values(trend, "yVal") == [["19", "35", "42"], ["0", "100"]]


def test_completion_bars_name_each_level_with_its_share(example_docx: Path) -> None:
    by_level = charts(example_docx)["barChart1"]
    categories = values(by_level, "cat")[0]
    assert categories[0] == "Division Leadership Team (60%)"
    assert values(by_level, "val")[0][:3] == ["3", "4", "0"]  # completed
    assert values(by_level, "val")[1][:3] == ["2", "2", "2"]  # not yet
    by_goal = charts(example_docx)["barChart2"]
    assert values(by_goal, "cat")[0] == ["Goal 1 (63%)", "Goal 2 (40%)"]


def test_each_chart_has_its_data_in_an_embedded_workbook(example_docx: Path) -> None:
    with zipfile.ZipFile(example_docx) as archive:
        books = [n for n in archive.namelist() if n.startswith("word/embeddings/")]
        assert len(books) == 3
        sheet = load_workbook(io.BytesIO(archive.read(books[1])))["Sheet1"]
    assert sheet["A2"].value == "Division Leadership Team (60%)"
    assert (sheet["B1"].value, sheet["B2"].value, sheet["C2"].value) == ("Completed", 3, 2)


def test_a_name_like_a_formula_stays_text_in_the_chart_workbook(tmp_path: Path) -> None:
    workbook = tmp_path / "formula.xlsx"
    book = load_workbook(EXAMPLE)
    book["Supports"]["A4"].value = "=1+1"
    book["Supports"]["A4"].data_type = "s"  # typed as text, as Excel stores '=1+1
    book.save(workbook)
    docx = build(workbook, tmp_path / "out").docx
    with zipfile.ZipFile(docx) as archive:
        sheet = load_workbook(
            io.BytesIO(archive.read("word/embeddings/Microsoft_Excel_Worksheet2.xlsx"))
        )["Sheet1"]
    assert (sheet["A2"].value, sheet["A2"].data_type) == ("=1+1 (0%)", "s")


def test_text_that_looks_like_a_chart_marker_comes_out_literally(tmp_path: Path) -> None:
    fake = "[plangen-chart trend 0123456789abcdef]"
    docx = build_cells(EXAMPLE, tmp_path, {("Observations", "A4"): fake})
    assert len(charts(docx)) == 3
    with zipfile.ZipFile(docx) as archive:
        assert fake in archive.read("word/document.xml").decode()


def test_a_custom_template_places_a_chart_where_its_tag_stands(tmp_path: Path) -> None:
    from docx import Document

    template = tmp_path / "one_chart.docx"
    doc = Document()
    doc.add_paragraph("{{ adherence.headline }}")
    doc.add_paragraph("{{ adherence.charts.by_goal }}")
    doc.add_paragraph("The end.")
    doc.save(str(template))
    docx = build(EXAMPLE, tmp_path / "out", template=template).docx
    assert list(charts(docx)) == ["barChart0"]
    body = Document(str(docx)).paragraphs
    assert [p.text for p in body] == ["13/26 coaching supports completed (50%)", "", "The end."]
    assert list(body[1]._p.iter(f"{C}chart"))


def build_cells(example: Path, folder: Path, edits: dict[tuple[str, str], object]) -> Path:
    """`example` built in `folder` with `edits` ({(sheet, cell): value}) set first."""
    kind = "district" if "maple" in example.name else "system"
    cells = {f"{sheet}!{cell}": value for (sheet, cell), value in edits.items()}
    workbook = example_copy(folder / example.name, cells, kind=kind)
    return build(workbook, folder / "out").docx


def test_the_chart_workbook_keeps_text_formats_and_dates_as_excel_shows_them(
    tmp_path: Path,
) -> None:
    """The chart workbook plangen writes itself (no xlsxwriter per chart): a level named
    with markup characters comes back exactly, numbers keep the chart's
    number format, and the review dates are spreadsheet date numbers."""
    workbook = tmp_path / "marks.xlsx"
    book = load_workbook(EXAMPLE)
    sheet = book["Supports"]
    old = sheet["A4"].value
    for row in sheet.iter_rows(min_row=4):
        if row[0].value == old:
            row[0].value = "R&D <b>team</b>"
    book.save(workbook)
    docx = build(workbook, tmp_path / "out").docx
    with zipfile.ZipFile(docx) as archive:
        trend = load_workbook(
            io.BytesIO(archive.read("word/embeddings/Microsoft_Excel_Worksheet1.xlsx"))
        )["Sheet1"]
        by_level = load_workbook(
            io.BytesIO(archive.read("word/embeddings/Microsoft_Excel_Worksheet2.xlsx"))
        )["Sheet1"]
    labels = [row[0].value for row in by_level.iter_rows(min_row=2)]
    assert labels[0] == "R&D <b>team</b> (60%)"
    assert (by_level["B2"].number_format, by_level["B2"].data_type) == ("0", "n")
    assert trend["A2"].value == (date(2022, 11, 30) - date(1899, 12, 30)).days


def test_every_value_a_chart_shows_is_in_the_cell_its_edit_data_opens(tmp_path: Path) -> None:
    """Word's "Edit Data" opens the embedded workbook at the cells each series names: in
    every chart of the four example plans, each cached label and number is that cell's."""
    import re

    from conftest import EXAMPLES

    checked = 0
    for workbook in sorted(EXAMPLES.glob("*.xlsx")):
        docx = build(workbook, tmp_path / workbook.stem).docx
        with zipfile.ZipFile(docx) as archive:
            for name in archive.namelist():
                if not re.fullmatch(r"word/charts/chart\d+\.xml", name):
                    continue
                root = etree.fromstring(archive.read(name))
                rels = etree.fromstring(archive.read(f"word/charts/_rels/{name[12:]}.rels"))
                target = rels[0].get("Target").replace("../", "word/")
                sheet = load_workbook(io.BytesIO(archive.read(target)))["Sheet1"]
                for ref in root.iter(f"{C}strRef", f"{C}numRef"):
                    where = ref.findtext(f"{C}f").split("!")[1].replace("$", "")
                    found = sheet[where]
                    cells = [c for row in found for c in row] if ":" in where else [found]
                    for pt in ref.iter(f"{C}pt"):
                        cell = cells[int(pt.get("idx"))]
                        shown = pt.findtext(f"{C}v")
                        value = cell.value
                        assert str(value) == shown or float(value) == float(shown), (name, ref)
                        checked += 1
    assert checked > 100
