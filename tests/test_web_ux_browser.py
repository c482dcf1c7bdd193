"""The page as coordinators and TA staff meet it (issue 24), in a real browser: Debian's
Chromium driven by Playwright against a real server, real workbooks, real LibreOffice."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator

import pytest
from conftest import SYSTEM_EXAMPLE
from web_server import CHROMIUM, CHROMIUM_ARGS, serving

from plangen.web import ServeConfig

playwright = pytest.importorskip("playwright.sync_api")
pytestmark = pytest.mark.skipif(
    not os.path.exists(CHROMIUM), reason="Chromium is installed by scripts/install.sh"
)


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    with playwright.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


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
