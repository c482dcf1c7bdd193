"""No WCAG 2.1 A/AA violation on any page of the web page, as axe-core finds them in the
real Chromium (PyPI `axe-playwright-python` bundles axe-core: nothing is fetched).

Every page and state: make a plan, its problems, a plan with its page previews, pull and
its result, the dashboard (with filters), a dashboard plan, the build progress; at a
desktop width and at a phone's (390 px).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from web_server import CHROMIUM, chromium, examples_site

from plangen.cli import cli

playwright = pytest.importorskip("playwright.sync_api")
axe_module = pytest.importorskip("axe_playwright_python.sync_playwright")
pytestmark = pytest.mark.skipif(
    not os.path.exists(CHROMIUM), reason="Chromium is installed by scripts/install.sh"
)
ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "input_examples" / "super_excited_division.xlsx"
WCAG_21_AA = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}
WIDTHS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    with chromium() as b:
        yield b


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A server with a dashboard of the four examples."""
    with examples_site(tmp_path_factory.mktemp("site")) as base:
        yield base


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """A workbook with two problems, and the example's plan with its workbook (for pull)."""
    from openpyxl import load_workbook

    root = tmp_path_factory.mktemp("files")
    broken = root / "broken.xlsx"
    shutil.copy(EXAMPLE, broken)
    book = load_workbook(broken)
    book["Supports"]["E4"] = "next spring"
    book["Focus Areas"]["B5"] = "Yes"
    book["Focus Areas"]["B6"] = "Yes"
    book.save(broken)
    workbook = root / EXAMPLE.name
    shutil.copy(EXAMPLE, workbook)
    result = CliRunner().invoke(cli, ["build", str(workbook), "-o", str(root / "plan")])
    assert result.exit_code == 0, result.output
    return {"broken": broken, "workbook": workbook, "plan": root / "plan" / f"{EXAMPLE.stem}.docx"}


def _visit(page: object, site: str, state: str, files: dict[str, Path]) -> None:
    """Bring `page` to `state`."""
    go = page.goto  # type: ignore[attr-defined]
    if state == "make a plan":
        go(site)
    elif state in ("problems", "plan with previews"):
        go(site)
        chosen = files["broken" if state == "problems" else "workbook"]
        page.set_input_files("#workbook", str(chosen))  # type: ignore[attr-defined]
        with page.expect_navigation():  # type: ignore[attr-defined]  (axe on the new page)
            page.get_by_role("button", name="Make plan").click()  # type: ignore[attr-defined]
        if state == "plan with previews" and shutil.which("soffice"):
            page.wait_for_selector(".pages img", timeout=120_000)  # type: ignore[attr-defined]
    elif state in ("pull", "pull result"):
        go(site + "pull")
        if state == "pull result":
            page.set_input_files("#plan", str(files["plan"]))  # type: ignore[attr-defined]
            page.set_input_files("#pull-workbook", str(files["workbook"]))  # type: ignore[attr-defined]
            with page.expect_navigation():  # type: ignore[attr-defined]
                page.get_by_role("button", name="Bring back the edits").click()  # type: ignore[attr-defined]
    elif state == "dashboard":
        go(site + "dashboard")
    elif state == "dashboard with filters":
        go(site + "dashboard?q=s&status=&sort=percent&order=desc")
    elif state == "dashboard plan":
        go(site + "dashboard/plan?name=super_excited_division.xlsx")
    elif state == "progress":
        go(site + "dashboard/progress")


STATES = [
    "make a plan",
    "problems",
    "plan with previews",
    "pull",
    "pull result",
    "dashboard",
    "dashboard with filters",
    "dashboard plan",
    "progress",
]


@pytest.mark.parametrize("width", sorted(WIDTHS))
@pytest.mark.parametrize("state", STATES)
def test_no_wcag_violation(
    browser: object, site: str, files: dict[str, Path], state: str, width: str
) -> None:
    context = browser.new_context(viewport=WIDTHS[width])  # type: ignore[attr-defined]
    try:
        page = context.new_page()
        _visit(page, site, state, files)
        results = axe_module.Axe().run(page, options=WCAG_21_AA)
        found = [
            (v["id"], v["impact"], [n["target"] for n in v["nodes"]][:5])
            for v in results.response["violations"]
        ]
        assert found == [], f"{state} at {width} width: {found}"
        assert results.response["testEngine"]["name"] == "axe-core"
    finally:
        context.close()


def test_every_coloured_figure_says_its_colour_in_words(browser: object, site: str) -> None:
    """Red, amber and green are never the only sign: each coloured figure names its band."""
    context = browser.new_context()  # type: ignore[attr-defined]
    try:
        page = context.new_page()
        for path in ("dashboard", "dashboard/plan?name=super_excited_division.xlsx"):
            page.goto(site + path)
            badges = page.locator(".pct")
            assert badges.count() >= 3, path
            for i in range(badges.count()):
                badge = badges.nth(i)
                band = next(
                    c
                    for c in badge.get_attribute("class").split()
                    if c in ("green", "amber", "red")
                )
                word = badge.locator("xpath=following-sibling::span[1]")
                assert badge.inner_text().endswith("%"), (path, badge.inner_text())
                assert word.get_attribute("class") == "band" and word.inner_text().strip() == band
    finally:
        context.close()


def test_the_web_pages_pdf_passes_pdfua_check(
    browser: object, site: str, files: dict[str, Path], tmp_path: Path
) -> None:
    """The PDF the web page offers is tagged PDF/UA-1 like the command's."""
    pdfua = pytest.importorskip("pdfua")
    if not shutil.which("soffice"):
        pytest.skip("LibreOffice is installed by scripts/install.sh")
    context = browser.new_context()  # type: ignore[attr-defined]
    try:
        page = context.new_page()
        _visit(page, site, "plan with previews", files)
        link = page.get_by_role("link", name="Download the PDF")
        response = page.request.get(site.rstrip("/") + link.get_attribute("href"))
        assert response.ok
        saved = tmp_path / "from-web.pdf"
        saved.write_bytes(response.body())
    finally:
        context.close()
    report = pdfua.validate(str(saved))
    assert [(f.rule_id, f.message) for f in report.findings] == []
