"""Accessible plans: every example .docx read back as a screen reader meets it, and the
PDFs of the four examples (and a batch joined with --combine) checked with `pdfua`.

The .docx checks: each chart and picture has a text alternative that states numbers;
each table has a header row (or, for the title block, its labels as row headers);
language and title are set; heading levels never skip; the contrast of every text style
against its background is at least 4.5:1 (3:1 for large text).
"""

from __future__ import annotations

import itertools
import re
import shutil
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from docx import Document
from docx.oxml.ns import qn
from lxml import etree

from plangen.cli import cli

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = sorted((ROOT / "input_examples").glob("*.xlsx"))
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {
    "w": W,
    "wp": "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing",
}


@pytest.fixture(scope="module")
def plans(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The four example plans built in one batch (.docx only)."""
    out = tmp_path_factory.mktemp("plans")
    result = CliRunner().invoke(cli, ["batch", str(ROOT / "input_examples"), "-o", str(out)])
    assert result.exit_code == 0, result.output
    return out


def _docx(plans: Path) -> list[Path]:
    found = sorted(plans.glob("*.docx"))
    assert len(found) == len(EXAMPLES) == 4
    return found


def test_every_chart_says_what_it_shows(plans: Path) -> None:
    for path in _docx(plans):
        root = etree.fromstring(zipfile.ZipFile(path).read("word/document.xml"))
        drawings = root.findall(".//wp:docPr", NS)
        assert drawings, path.name
        for pr in drawings:
            descr = pr.get("descr", "")
            # a finding from the figures: counts out of the planned, and percents
            assert re.search(r"\d+ of \d+ \(\d+%\)", descr), (path.name, descr)
            assert pr.get("title"), (path.name, pr.get("name"))


def test_super_excited_trend_reads_its_reviews(plans: Path) -> None:
    root = etree.fromstring(
        zipfile.ZipFile(plans / "super_excited_division.docx").read("word/document.xml")
    )
    trend = root.find(".//wp:docPr[@title='Adherence trend']", NS)
    assert trend is not None
    assert trend.get("descr").startswith(
        "Coaching supports completed at each review: 5 of 26 (19%) on November 30, 2022;"
    )
    assert "11 of 26 (42%) on January 25, 2023" in trend.get("descr")
    assert "100% on June 30, 2023" in trend.get("descr")


def test_every_table_has_headers(plans: Path) -> None:
    for path in _docx(plans):
        doc = Document(str(path))
        for number, table in enumerate(doc.tables, start=1):
            tbl = table._tbl
            first = tbl.findall(qn("w:tr"))[0]
            header_row = first.find(f"{qn('w:trPr')}/{qn('w:tblHeader')}") is not None
            look = tbl.tblPr.find(qn("w:tblLook"))
            row_headers = look is not None and look.get(qn("w:firstColumn")) == "1"
            assert header_row or row_headers, f"{path.name}: table {number} has no headers"


def test_language_and_title_are_set(plans: Path) -> None:
    for path in _docx(plans):
        doc = Document(str(path))
        props = doc.core_properties
        assert props.language == "en-US", path.name
        assert props.title.endswith(doc.paragraphs[1].text), (path.name, props.title)
        assert props.subject and props.subject in props.title
        defaults = doc.styles.element.find(f"{qn('w:docDefaults')}//{qn('w:lang')}")
        assert defaults is not None and defaults.get(qn("w:val")) == "en-US"


def _outline_level(paragraph: etree._Element, styles: dict[str, etree._Element]) -> int | None:
    """The paragraph's heading level (1-9) from its own or its style chain's outline level."""
    own = paragraph.find(f"{qn('w:pPr')}/{qn('w:outlineLvl')}")
    if own is not None:
        return int(own.get(qn("w:val"))) + 1
    style = paragraph.find(f"{qn('w:pPr')}/{qn('w:pStyle')}")
    style_id = style.get(qn("w:val")) if style is not None else "Normal"
    seen = set()
    while style_id and style_id not in seen:
        seen.add(style_id)
        element = styles.get(style_id)
        if element is None:
            return None
        level = element.find(f"{qn('w:pPr')}/{qn('w:outlineLvl')}")
        if level is not None:
            value = int(level.get(qn("w:val")))
            return value + 1 if value < 9 else None
        based = element.find(qn("w:basedOn"))
        style_id = based.get(qn("w:val")) if based is not None else ""
    return None


def test_heading_levels_never_skip(plans: Path) -> None:
    for path in _docx(plans):
        doc = Document(str(path))
        styles = {s.get(qn("w:styleId")): s for s in doc.styles.element.findall(qn("w:style"))}
        levels = [
            (level, "".join(t.text or "" for t in p.iter(qn("w:t"))))
            for p in doc.element.body.iter(qn("w:p"))
            if (level := _outline_level(p, styles)) is not None
        ]
        assert levels and levels[0][0] == 1, (path.name, levels[:2])
        for (before, _), (level, text) in itertools.pairwise(levels):
            assert level <= before + 1, f"{path.name}: {text!r} at level {level} after {before}"


def _luminance(hex_colour: str) -> float:
    channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(foreground: str, background: str) -> float:
    """The WCAG contrast ratio of two colours given as RRGGBB."""
    high, low = sorted((_luminance(foreground), _luminance(background)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_contrast_helper_matches_wcag() -> None:
    assert round(contrast("000000", "FFFFFF"), 1) == 21.0
    assert round(contrast("767676", "FFFFFF"), 2) == 4.54


def test_text_contrast_from_the_styles(plans: Path) -> None:
    """Each run's colour (its own, else its paragraph style's chain) against the shading
    of its cell (its own, else the table style's part for that row) or white."""
    for path in _docx(plans):
        root = etree.fromstring(zipfile.ZipFile(path).read("word/styles.xml"))
        styles = {s.get(f"{{{W}}}styleId"): s for s in root.findall(f"{{{W}}}style")}

        def inherited(
            style_id: str, path_in_style: str, styles: dict[str, etree._Element] = styles
        ) -> str | None:
            seen = set()
            while style_id and style_id not in seen:
                seen.add(style_id)
                style = styles.get(style_id)
                if style is None:
                    return None
                found = style.find(path_in_style, NS)
                if found is not None:
                    return found.get(f"{{{W}}}val") or found.get(f"{{{W}}}fill")
                based = style.find("w:basedOn", NS)
                style_id = based.get(f"{{{W}}}val") if based is not None else ""
            return None

        body = etree.fromstring(zipfile.ZipFile(path).read("word/document.xml"))
        checked = 0
        for run in body.iter(f"{{{W}}}r"):
            if not "".join(t.text or "" for t in run.iter(f"{{{W}}}t")).strip():
                continue
            paragraph = run.getparent()
            while paragraph is not None and paragraph.tag != f"{{{W}}}p":
                paragraph = paragraph.getparent()
            if paragraph is None:
                continue
            style = paragraph.find("w:pPr/w:pStyle", NS)
            style_id = style.get(f"{{{W}}}val") if style is not None else "Normal"
            own = run.find("w:rPr/w:color", NS)
            colour = own.get(f"{{{W}}}val") if own is not None else None
            background, part_colour = _background(paragraph, styles)
            # Word: the run's colour, else its paragraph style's (Normal's does not count
            # against a table style), else the table style's for that part of the table
            styled = inherited(style_id, "w:rPr/w:color") if style_id != "Normal" else None
            colour = colour or styled or part_colour or inherited("Normal", "w:rPr/w:color")
            colour = colour or "000000"
            size = run.find("w:rPr/w:sz", NS)
            half_points = int(
                size.get(f"{{{W}}}val")
                if size is not None
                else inherited(style_id, "w:rPr/w:sz") or 22
            )
            bold = run.find("w:rPr/w:b", NS) is not None or inherited(style_id, "w:rPr/w:b")
            if colour == "auto":
                colour = "000000" if _luminance(background) > 0.18 else "FFFFFF"
            large = half_points >= 36 or (bold is not None and half_points >= 28)
            needed = 3.0 if large else 4.5
            ratio = contrast(colour, background)
            assert ratio >= needed, (path.name, "".join(run.itertext())[:40], colour, background)
            checked += 1
        assert checked > 100, path.name


def _background(
    paragraph: etree._Element, styles: dict[str, etree._Element]
) -> tuple[str, str | None]:
    """The fill behind a paragraph (its cell's shading, else its table style's for the
    row or column, else the table style's, else white), and the text colour the table
    style gives that part of the table (header row, first column), if any."""
    cell = paragraph.getparent()
    if cell is None or cell.tag != f"{{{W}}}tc":
        return "FFFFFF", None
    row = cell.getparent()
    table = row.getparent()
    style = table.find("w:tblPr/w:tblStyle", NS)
    table_style = styles.get(style.get(f"{{{W}}}val")) if style is not None else None
    if table_style is None:
        return "FFFFFF", None
    look = table.find("w:tblPr/w:tblLook", NS)
    parts = []
    if row.find("w:trPr/w:tblHeader", NS) is not None and (
        look is None or look.get(f"{{{W}}}firstRow") != "0"
    ):
        parts.append("firstRow")
    if row.find("w:tc", NS) is cell and (
        look is not None and look.get(f"{{{W}}}firstColumn") == "1"
    ):
        parts.append("firstCol")
    part_colour = fill = None
    for part in parts:
        found = table_style.find(f"w:tblStylePr[@w:type='{part}']/w:rPr/w:color", NS)
        part_colour = part_colour or (found.get(f"{{{W}}}val") if found is not None else None)
        found = table_style.find(f"w:tblStylePr[@w:type='{part}']/w:tcPr/w:shd", NS)
        fill = fill or (found.get(f"{{{W}}}fill") if found is not None else None)
    shading = cell.find("w:tcPr/w:shd", NS)
    if shading is not None and shading.get(f"{{{W}}}fill") not in (None, "auto"):
        return shading.get(f"{{{W}}}fill"), part_colour
    if fill is None:
        found = table_style.find("w:tcPr/w:shd", NS)
        fill = found.get(f"{{{W}}}fill") if found is not None else None
    return (fill if fill not in (None, "auto") else "FFFFFF"), part_colour


# ------------------------------------------------------------------ PDF/UA


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The four example plans as PDFs through real LibreOffice, and all-plans.pdf."""
    pytest.importorskip("pdfua")
    out = tmp_path_factory.mktemp("pdfs")
    result = CliRunner().invoke(
        cli, ["batch", str(ROOT / "input_examples"), "-o", str(out), "--pdf", "--combine"]
    )
    assert result.exit_code == 0, result.output
    return out


@pytest.mark.parametrize("name", [*(p.with_suffix(".pdf").name for p in EXAMPLES), "all-plans.pdf"])
def test_pdf_passes_pdfua_check(pdfs: Path, name: str) -> None:
    from pdfua import validate

    report = validate(str(pdfs / name))
    findings = [(f.rule_id, f.severity.name, f.message) for f in report.findings]
    assert findings == [], findings
    assert report.exit_code == 0


def test_pdf_figures_carry_the_chart_findings(pdfs: Path) -> None:
    import pikepdf

    with pikepdf.open(pdfs / "super_excited_division.pdf") as pdf:
        assert pdf.Root.Lang == "en-US"
        assert pdf.Root.ViewerPreferences.DisplayDocTitle
        alts = [str(e.Alt) for e in _structure(pdf.Root.StructTreeRoot) if e.S == "/Figure"]
    assert len(alts) == 3
    assert alts[0].startswith("Coaching supports completed at each review: 5 of 26 (19%)")
    assert "Goal 2: 6 of 15 (40%)" in alts[2]


def test_combined_pdf_keeps_each_plan_tagged(pdfs: Path) -> None:
    import pikepdf

    with pikepdf.open(pdfs / "all-plans.pdf") as pdf:
        parts = [e for e in _structure(pdf.Root.StructTreeRoot) if e.S == "/Part"]
        figures = [e for e in _structure(pdf.Root.StructTreeRoot) if e.S == "/Figure"]
        bookmarks = [str(item.title) for item in pdf.open_outline().root]
        assert [str(p.T) for p in parts] == bookmarks
        assert len(bookmarks) == 4
        assert all("/Alt" in f for f in figures) and len(figures) >= 8
        assert pdf.Root.MarkInfo.Marked


def _structure(element: object) -> list:  # type: ignore[type-arg]
    """Every structure element under `element`, in document order."""
    import pikepdf

    kids = element.get("/K")  # type: ignore[attr-defined]
    found = []
    for kid in kids if isinstance(kids, pikepdf.Array) else [kids] if kids is not None else []:
        if isinstance(kid, pikepdf.Dictionary) and "/S" in kid:
            found += [kid, *_structure(kid)]
    return found


def test_an_untagged_pdf_from_before_is_made_again(pdfs: Path, tmp_path: Path) -> None:
    """After an upgrade, `batch --pdf` replaces a PDF made before plangen tagged its PDFs,
    even though it is newer than its plan."""
    import os

    from pypdf import PdfWriter

    from plangen.pdf.accessible import is_tagged

    out = tmp_path / "out"
    shutil.copytree(pdfs, out)
    old = out / "super_excited_division.pdf"
    untagged = PdfWriter()
    untagged.append(str(old))  # pypdf keeps the pages, not the structure tree
    untagged.write(str(old))
    os.utime(old, ns=(old.stat().st_atime_ns, old.stat().st_mtime_ns + 10**9))
    assert not is_tagged(old) and is_tagged(out / "maple_grove_public_schools.pdf")
    kept = (out / "maple_grove_public_schools.pdf").stat().st_mtime_ns
    result = CliRunner().invoke(
        cli, ["batch", str(ROOT / "input_examples"), "-o", str(out), "--pdf"]
    )
    assert result.exit_code == 0, result.output
    assert is_tagged(old)
    assert (out / "maple_grove_public_schools.pdf").stat().st_mtime_ns == kept
