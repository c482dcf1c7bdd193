"""The Adherence Summary's charts: native Word chart parts with their data, read back."""

from __future__ import annotations

import io
import re
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


# ------------------------------------------------------------------ pictures for the PDF

SVG = "{http://www.w3.org/2000/svg}"


def picture_copy(docx: Path, folder: Path) -> tuple[int, dict[str, etree._Element], str]:
    """The copy LibreOffice turns into PDF: how many charts became pictures, each
    picture's SVG root by part name, and the copy's document.xml."""
    from plangen.document.chart_pictures import with_chart_pictures

    folder.mkdir(parents=True, exist_ok=True)
    copy = folder / docx.name
    drawn = with_chart_pictures(docx, copy)
    if not drawn:
        return 0, {}, ""
    with zipfile.ZipFile(copy) as archive:
        pictures = {
            name: etree.fromstring(archive.read(name))
            for name in archive.namelist()
            if name.endswith(".svg")
        }
        return drawn, pictures, archive.read("word/document.xml").decode()


def shown_text(svg: etree._Element) -> list[str]:
    return [t.text or "" for t in svg.iter(f"{SVG}text")]


def test_the_pdf_copy_draws_every_chart_with_every_value_it_shows(tmp_path: Path) -> None:
    """LibreOffice spends a third of a plan on Word charts; the copy it converts has each
    chart as a picture that shows the chart's names, labels and counts, where the chart
    stood, with the chart's text alternative. The .docx itself is not touched."""
    from conftest import EXAMPLES

    drawn_in_all = 0
    for workbook in sorted(EXAMPLES.glob("*.xlsx")):
        docx = build(workbook, tmp_path / workbook.stem).docx
        before = docx.read_bytes()
        parts = charts(docx)
        drawn, pictures, body = picture_copy(docx, tmp_path / f"{workbook.stem}-copy")
        assert drawn == len(parts) == len(pictures) > 0
        assert "<c:chart " not in body and body.count("<pic:pic ") == drawn
        with zipfile.ZipFile(docx) as archive:
            original = archive.read("word/document.xml").decode()
        for descr in re.findall(r'descr="([^"]*)"', original):
            assert f'descr="{descr}"' in body  # the same text alternative, in order
        texts = [text for svg in pictures.values() for text in shown_text(svg)]
        joined = " ".join(texts)
        for root in parts.values():
            for name in root.iterfind(f".//{C}tx//{C}v"):
                assert name.text in texts  # each series in a legend
            for label in values(root, "cat")[:1]:
                for category in label:
                    assert category in texts or all(w in joined for w in category.split())
            for counts in values(root, "val"):
                for count in counts:
                    assert count == "0" or count in texts
            for ser in root.iter(f"{C}ser"):
                if ser.find(f"{C}dLbls") is not None and ser.find(f"{C}yVal") is not None:
                    for y in ser.find(f"{C}yVal").iter(f"{C}v"):
                        assert f"{round(float(y.text))}%" in texts
        assert docx.read_bytes() == before
        drawn_in_all += drawn
    assert drawn_in_all == 9


def test_a_chart_changed_in_word_is_drawn_as_changed_or_left_for_libreoffice(
    example_docx: Path, tmp_path: Path
) -> None:
    """A value edited in Word ("Edit Data") is drawn as edited; a chart Word changed in
    any other way (here: given a title) is not plangen's any more and stays a chart."""

    def edited(name: str, old: bytes, new: bytes) -> Path:
        path = tmp_path / f"{name}.docx"
        with zipfile.ZipFile(example_docx) as source, zipfile.ZipFile(path, "w") as target:
            for member in source.infolist():
                data = source.read(member)
                if member.filename == "word/charts/chart2.xml":
                    data = data.replace(old, new, 1)
                    assert data != source.read(member)
                target.writestr(member, data)
        return path

    value = edited("value", b"<c:v>3</c:v>", b"<c:v>37</c:v>")
    drawn, pictures, _ = picture_copy(value, tmp_path / "value-copy")
    assert drawn == 3
    assert "37" in [t for svg in pictures.values() for t in shown_text(svg)]

    titled = edited("titled", b'<c:autoTitleDeleted val="1"/>', b'<c:autoTitleDeleted val="0"/>')
    drawn, pictures, body = picture_copy(titled, tmp_path / "titled-copy")
    assert drawn == len(pictures) == 2
    assert body.count("<c:chart ") == 1 and body.count("<pic:pic ") == 2

    markup = b'val="1F3864&quot;/&gt;&lt;script&gt;x&lt;/script&gt;&lt;g a=&quot;"'
    hostile = edited("markup", b'val="1F3864"', markup)  # a colour that is not one
    drawn, pictures, body = picture_copy(hostile, tmp_path / "markup-copy")
    assert drawn == 2 and body.count("<c:chart ") == 1
    assert [e for svg in pictures.values() for e in svg.iter(f"{SVG}script")] == []


def test_chart_labels_come_out_literally_in_the_pdf(tmp_path: Path) -> None:
    from pypdf import PdfReader

    from plangen.pdf.convert import to_pdf

    level = "R&D <b> {{ 7*7 }} x"
    docx = build_cells(EXAMPLE, tmp_path, {("Supports", "A4"): level})
    _, pictures, _ = picture_copy(docx, tmp_path / "copy")
    assert f"{level} (0%)" in [t for svg in pictures.values() for t in shown_text(svg)]
    text = " ".join(page.extract_text() for page in PdfReader(to_pdf(docx)).pages)
    assert f"{level} (0%)" in re.sub(r"\s+", " ", text)


@pytest.mark.parametrize(
    "chart",
    [
        b"<c:chartSpace",  # damaged
        b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><x>&a;</x>',  # entities
        b'<c:chartSpace xmlns:c="http://schemas.openxmlformats.org/drawingml/2006/chart"/>',
    ],
    ids=["damaged", "entities", "empty"],
)
def test_a_chart_part_plangen_cannot_read_leaves_the_document_to_libreoffice(
    example_docx: Path, tmp_path: Path, chart: bytes
) -> None:
    """Nothing of a hostile or foreign chart is drawn, and no copy is left half-written:
    LibreOffice gets the document as it is (and says what it makes of it)."""
    from plangen.document.chart_pictures import with_chart_pictures

    odd = tmp_path / "odd.docx"
    with zipfile.ZipFile(example_docx) as source, zipfile.ZipFile(odd, "w") as target:
        for member in source.infolist():
            data = source.read(member)
            target.writestr(member, chart if member.filename.startswith("word/charts/") and
                            member.filename.endswith(".xml") else data)  # fmt: skip
    copy = tmp_path / "copy" / "odd.docx"
    copy.parent.mkdir()
    drawn = with_chart_pictures(odd, copy)
    assert drawn == 0 and not copy.exists()


def test_a_long_level_name_is_wrapped_and_made_smaller_to_stay_in_the_picture() -> None:
    from plangen.document.chart_pictures import Bars, _width, svg

    name = (
        "District Implementation Team and Regional Implementation Team Members of the Second "
        "Cohort of Schools (0%)"
    )
    series = [("Completed", [0, 1], "1F3864"), ("Not yet completed", [2, 1], "DCE6F2")]
    bars = Bars([name, "Goal 1 (50%)"], series, "8C96A5")
    labels = [
        (float(t.get("x")), float(t.get("font-size")), t.text or "")
        for t in etree.fromstring(svg(bars, 468, 100).encode()).iter(f"{SVG}text")
        if t.get("text-anchor") == "end"
    ]
    assert " ".join(text for _, _, text in labels[:-1]) == name  # on two lines
    assert labels[-1][1:] == (9.0, "Goal 1 (50%)")
    assert labels[0][1] < 9.0  # smaller, so that
    assert all(x - _width(text, size) >= 0 for x, size, text in labels)  # none starts outside
