"""Page flow of the built example plans: which table rows keep with the next one, so a
page never ends or starts with one lone row, summary tables stay whole with their chart,
and the summary follows on without a page break. Read back with python-docx from the real
built plans, then checked in the PDF real LibreOffice makes."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from docx import Document
from docx.oxml.ns import qn
from docx.table import Table, _Row

from plangen.pdf.convert import Converter
from plangen.pipeline import build

EXAMPLES = Path(__file__).resolve().parent.parent / "input_examples"
NAMES = sorted(p.stem for p in EXAMPLES.glob("*.xlsx"))
SUMMARY_TABLES = {  # the small tables of a summary, kept whole: completion by group (by
    # goal) ends in "Completed"; the review history; the required reviews
    ("Date", "Type", "Completed", "On track", "Adjustments"),
    ("Review", "Due by", "Held on", "Status"),
}
SUMMARY_COUNT = {  # by group, by goal, review history, required reviews
    "cedar_ridge_coaching_system": 1,
    "maple_grove_public_schools": 4,
    "riverbend_internal_coaching": 2,
    "super_excited_division": 4,
}


@pytest.fixture(scope="module", params=NAMES)
def plan(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build(EXAMPLES / f"{request.param}.xlsx", tmp_path_factory.mktemp("flow")).docx


def keeps(row: _Row) -> bool:
    """Every paragraph of the row keeps with the next (so Word and LibreOffice keep the
    row on the page of the row below it)."""
    paragraphs = [p for cell in row.cells for p in cell.paragraphs]
    return all(p.paragraph_format.keep_with_next for p in paragraphs)


def headers(table: Table) -> tuple[str, ...]:
    return tuple(cell.text for cell in table.rows[0].cells)


def is_summary(table: Table) -> bool:
    return headers(table)[-1] == "Completed" or headers(table) in SUMMARY_TABLES


def data_rows(table: Table) -> list[_Row]:
    """The rows after the header row, the group rows (one merged cell) left out."""
    return [r for r in table.rows[1:] if len({id(c._tc) for c in r.cells}) > 1]


def test_summary_tables_stay_whole(plan: Path) -> None:
    summary = [t for t in Document(str(plan)).tables if is_summary(t)]
    assert len(summary) == SUMMARY_COUNT[plan.stem], [headers(t) for t in summary]
    for table in summary:
        rows = table.rows[1:]
        assert [keeps(r) for r in rows] == [True] * (len(rows) - 1) + [False], headers(table)


def test_long_tables_may_break_but_never_leave_a_lone_row(plan: Path) -> None:
    long = [
        t for t in Document(str(plan)).tables
        if not is_summary(t) and t.rows[0]._tr.find(f"{qn('w:trPr')}/{qn('w:tblHeader')}")
        is not None and len(data_rows(t)) >= 5
    ]
    assert long, "the plan has long tables (supports, action steps, review log)"
    for table in long:
        rows = data_rows(table)
        kept = [keeps(r) for r in rows]
        assert kept[0] and kept[-2], headers(table)  # first two and last two stay together
        assert not kept[-1], headers(table)
        assert not all(kept[:-1]), headers(table)  # it may still break across pages
        for row in table.rows:
            assert row._tr.find(f"{qn('w:trPr')}/{qn('w:cantSplit')}") is not None


def test_the_summary_follows_on_with_its_headline_kept_with_its_figures(plan: Path) -> None:
    doc = Document(str(plan))
    body = doc.element.body
    assert not body.findall(f".//{qn('w:br')}[@{qn('w:type')}='page']")
    assert not body.findall(f".//{qn('w:pageBreakBefore')}")
    paragraphs = doc.paragraphs
    at = next(i for i, p in enumerate(paragraphs) if p.text.endswith(" Summary")
              and p.style.name == "Unnumbered Heading 1")
    head = paragraphs[at + 1 : at + 4]
    assert head[0].style.name == "Headline"
    assert all(p.paragraph_format.keep_with_next for p in head)
    for name in ("Unnumbered Heading 1", "Unnumbered Heading 2", "Chart", "Intro"):
        assert doc.styles[name].paragraph_format.keep_with_next, name


# --------------------------------------------------------- what LibreOffice makes of it


def pages(pdf: Path) -> list[str]:
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout
    return text.split("\f")[:-1]


@pytest.fixture(scope="module")
def riverbend_pages(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    out = tmp_path_factory.mktemp("riverbend")
    docx = build(EXAMPLES / "riverbend_internal_coaching.xlsx", out).docx
    return pages(Converter().convert(docx))


def page_of(found: list[str], pattern: str) -> int:
    hits = [n for n, text in enumerate(found, 1) if re.search(pattern, text, re.M)]
    assert len(hits) == 1, (pattern, hits)
    return hits[0]


def test_libreoffice_keeps_the_completion_table_on_one_page(riverbend_pages: list[str]) -> None:
    first = page_of(riverbend_pages, r"^\s*Coaching process\s+1/1 \(100%\)")
    assert page_of(riverbend_pages, r"^\s*Sustainability\s+1/3 \(33%\)") == first
    assert page_of(riverbend_pages, r"^\s*Completion by area$") == first  # with its chart


def test_libreoffice_keeps_the_review_log_whole_and_the_summary_follows_on(
    riverbend_pages: list[str],
) -> None:
    log = [page_of(riverbend_pages, rf"^\s*{date}\s+(Monthly|Mid-Year)\s+(Yes|Partly)\s+\S")
           for date in ("October 30, 2024", "December 18, 2024", "January 29, 2025")]
    assert log == [log[0]] * 3
    assert page_of(riverbend_pages, r"^Progress Summary$") == log[0]
    assert len(riverbend_pages) == 6
