"""The page as coordinators and TA staff meet it (issue 24), in a real browser: Debian's
Chromium driven by Playwright against a real server, real workbooks, real LibreOffice."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import SYSTEM_EXAMPLE
from web_server import CHROMIUM, chromium, serving, wait_for_dashboard

from plangen.web import ServeConfig

playwright = pytest.importorskip("playwright.sync_api")
pytestmark = pytest.mark.skipif(
    not os.path.exists(CHROMIUM), reason="Chromium is installed by scripts/install.sh"
)


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    with chromium() as b:
        yield b


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    root = tmp_path_factory.mktemp("ux")
    with serving(ServeConfig(workdir=root / "work")) as base:
        yield base


def new_page(browser: object, width: int = 1366, height: int = 900) -> object:
    context = browser.new_context(  # type: ignore[attr-defined]
        accept_downloads=True, viewport={"width": width, "height": height}
    )
    return context.new_page()


@pytest.mark.skipif(not shutil.which("soffice"), reason="the PDF needs LibreOffice")
def test_focus_stays_on_the_download_link_while_the_pdf_is_made(
    browser: object, site: str
) -> None:
    page = new_page(browser)
    page.goto(site)  # type: ignore[attr-defined]
    page.set_input_files("#workbook", str(SYSTEM_EXAMPLE))  # type: ignore[attr-defined]
    page.get_by_role("button", name="Make plan").click()  # type: ignore[attr-defined]
    page.wait_for_selector("#download-docx")  # type: ignore[attr-defined]
    assert page.locator("#pdf-pending").count() == 1  # type: ignore[attr-defined]
    page.focus("#download-docx")  # type: ignore[attr-defined]
    page.evaluate("window.notReloaded = true")  # type: ignore[attr-defined]
    page.wait_for_selector("#download-pdf", timeout=90_000)  # type: ignore[attr-defined]
    page.wait_for_selector(".pages img", timeout=30_000)  # type: ignore[attr-defined]
    assert page.evaluate("window.notReloaded === true")  # type: ignore[attr-defined]
    assert page.evaluate("document.activeElement.id") == "download-docx"  # type: ignore[attr-defined]
    status = page.locator("#pdf-status")  # type: ignore[attr-defined]
    assert status.get_attribute("aria-live") == "polite"
    assert page.locator("#pdf-pending").count() == 0  # type: ignore[attr-defined]
    page.context.close()  # type: ignore[attr-defined]


@pytest.mark.skipif(not shutil.which("soffice"), reason="the PDF needs LibreOffice")
def test_without_javascript_the_page_still_updates_itself(browser: object, site: str) -> None:
    context = browser.new_context(java_script_enabled=False)  # type: ignore[attr-defined]
    page = context.new_page()
    page.goto(site)
    page.set_input_files("#workbook", str(SYSTEM_EXAMPLE))
    page.get_by_role("button", name="Make plan").click()
    page.wait_for_selector("#download-pdf", timeout=90_000)
    context.close()


# ------------------------------------------------------------ 7. the dashboard


@pytest.fixture(scope="module")
def forty(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    """A server whose dashboard holds 40 generated districts (one not valid)."""
    from districts import make_districts

    root = tmp_path_factory.mktemp("forty")
    make_districts(root / "workbooks", 40)
    config = ServeConfig(
        folder=root / "workbooks", out_dir=root / "plans", workdir=root / "work", pdf=False
    )
    with serving(config) as base:
        wait_for_dashboard(base, 300)
        yield base, root


def test_forty_districts_the_table_starts_within_the_first_screen(
    browser: object, forty: tuple[str, Path]
) -> None:
    base, _ = forty
    page = new_page(browser, 1366, 900)
    page.goto(base + "dashboard")  # type: ignore[attr-defined]
    rows = page.locator("#plans tbody tr")  # type: ignore[attr-defined]
    assert rows.count() == 40
    top = page.evaluate("document.querySelector('#plans').getBoundingClientRect().top")  # type: ignore[attr-defined]
    assert top < 900 - 100  # the caption, headings and the first rows show
    chart = page.evaluate("document.querySelector('.chart').getBoundingClientRect().height")  # type: ignore[attr-defined]
    assert chart < 200
    first = rows.nth(0).locator("td").nth(0).inner_text()
    assert first.startswith("Alder County Schools 1")  # district names, not file names
    invalid = page.locator("#plans tbody tr", has_text="not valid")  # type: ignore[attr-defined]
    assert "Target date: expected a date like" in invalid.inner_text()  # in full
    assert 'got "next spring"' in invalid.inner_text()
    page.context.close()  # type: ignore[attr-defined]


def test_filters_by_colour_kind_and_attention(browser: object, forty: tuple[str, Path]) -> None:
    base, _ = forty
    page = new_page(browser)
    page.goto(base + "dashboard")  # type: ignore[attr-defined]
    legend = page.locator(".legend a").all_inner_texts()  # type: ignore[attr-defined]
    counts = {t.split(" ", 1)[1]: int(t.split(" ", 1)[0]) for t in legend}
    assert counts["red"] + counts["amber"] + counts["green"] + counts.get("no figure", 0) == 40
    assert counts["red"] and counts["amber"] and counts["green"]
    page.select_option("#colour", "red")  # type: ignore[attr-defined]
    with page.expect_navigation():  # type: ignore[attr-defined]  (never read the old table)
        page.get_by_role("button", name="Show", exact=True).click()  # type: ignore[attr-defined]
    reds = page.locator("#plans tbody .pct").all_inner_texts()  # type: ignore[attr-defined]
    assert len(reds) == counts["red"] and all(float(p.rstrip("%")) < 40 for p in reds)
    page.goto(base + "dashboard?attention=1")  # type: ignore[attr-defined]
    assert page.locator("#plans tbody tr").count() >= 1  # type: ignore[attr-defined]
    page.select_option("#kind", index=1)  # type: ignore[attr-defined]
    with page.expect_navigation():  # type: ignore[attr-defined]
        page.get_by_role("button", name="Show", exact=True).click()  # type: ignore[attr-defined]
    assert "(filtered, of 40)" in page.locator("#plans caption").inner_text()  # type: ignore[attr-defined]
    page.context.close()  # type: ignore[attr-defined]


def test_the_summary_and_all_plans_downloads_open(
    browser: object, forty: tuple[str, Path], tmp_path: Path
) -> None:
    import csv
    import zipfile

    from docx import Document
    from openpyxl import load_workbook

    base, _ = forty
    page = new_page(browser)
    page.goto(base + "dashboard")  # type: ignore[attr-defined]
    saved = {}
    for name in ("summary (.xlsx)", "summary (.csv)", "all plans (.zip of Word files)"):
        with page.expect_download() as info:  # type: ignore[attr-defined]
            page.get_by_role("link", name=name).click()  # type: ignore[attr-defined]
        saved[name] = tmp_path / info.value.suggested_filename
        info.value.save_as(saved[name])
    assert load_workbook(saved["summary (.xlsx)"]).active.max_row >= 41
    with saved["summary (.csv)"].open(encoding="utf-8-sig") as f:
        assert len(list(csv.reader(f))) >= 41
    with zipfile.ZipFile(saved["all plans (.zip of Word files)"]) as archive:
        names = archive.namelist()
        assert len(names) == 39  # every valid district's plan
        archive.extract(names[0], tmp_path)
    assert Document(str(tmp_path / names[0])).paragraphs
    page.context.close()  # type: ignore[attr-defined]


def test_a_workbook_dropped_into_the_folder_appears_on_the_next_visit(
    browser: object, forty: tuple[str, Path]
) -> None:
    base, root = forty
    page = new_page(browser)
    page.goto(base + "dashboard")  # type: ignore[attr-defined]
    assert page.locator("text=Super Excited Division").count() == 0  # type: ignore[attr-defined]
    shutil.copy(SYSTEM_EXAMPLE, root / "workbooks" / "dropped.xlsx")
    page.goto(base + "dashboard")  # type: ignore[attr-defined]
    row = page.locator("#plans tbody tr", has_text="Super Excited Division")  # type: ignore[attr-defined]
    row.locator(".pct").wait_for(timeout=60_000)
    assert row.locator(".pct").inner_text() == "50%"
    assert "2023-02-15" in row.inner_text()  # figures as of
    (root / "workbooks" / "dropped.xlsx").unlink()
    page.goto(base + "dashboard")  # type: ignore[attr-defined]
    assert page.locator("#plans tbody tr", has_text="Super Excited Division").count() == 0  # type: ignore[attr-defined]
    page.context.close()  # type: ignore[attr-defined]


# ------------------------------------------------------------ 8. phone


@pytest.mark.parametrize("width", [320, 390])
def test_no_page_scrolls_sideways_on_a_phone(
    browser: object, forty: tuple[str, Path], width: int
) -> None:
    from conftest import DISTRICT_EXAMPLE

    base, _ = forty
    page = new_page(browser, width, 800)
    wide = (  # the page, a scrolling region, or anything sticking out past the screen
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        " + Math.max(0, ...[...document.querySelectorAll('.scroll')]"
        ".map(e => e.scrollWidth - e.clientWidth))"
        " + Math.max(0, ...[...document.querySelectorAll('main *')]"
        ".filter(e => !e.closest('.scroll, .sr'))"
        ".map(e => Math.ceil(e.getBoundingClientRect().right) - window.innerWidth))"
    )
    seen = {}
    pages = ("", "dashboard", "dashboard/progress", "pull", "no-such-page",
             "dashboard/plan?name=district-008.xlsx",
             "dashboard/plan?name=district-001.xlsx")  # fmt: skip
    for path in pages:
        page.goto(base + path)  # type: ignore[attr-defined]
        seen[path] = page.evaluate(wide)  # type: ignore[attr-defined]
    for example in (SYSTEM_EXAMPLE, DISTRICT_EXAMPLE):
        page.goto(base)  # type: ignore[attr-defined]
        page.set_input_files("#workbook", str(example))  # type: ignore[attr-defined]
        page.get_by_role("button", name="Make plan").click()  # type: ignore[attr-defined]
        page.wait_for_selector("#headline")  # type: ignore[attr-defined]
        seen[example.name] = page.evaluate(wide)  # type: ignore[attr-defined]
    assert seen == dict.fromkeys(seen, 0)
    page.goto(base + "dashboard")  # type: ignore[attr-defined]
    assert not page.get_by_text("choose a column heading to sort").is_visible()  # type: ignore[attr-defined]
    sizes = page.evaluate(  # type: ignore[attr-defined]
        "[...document.querySelectorAll('.chart *')].filter(e => e.childNodes.length"
        " && [...e.childNodes].some(n => n.nodeType === 3 && n.textContent.trim()))"
        ".map(e => parseFloat(getComputedStyle(e).fontSize))"
    )
    assert sizes and min(sizes) >= 11
    page.context.close()  # type: ignore[attr-defined]
