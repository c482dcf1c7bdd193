"""The web page in a real browser: Debian's Chromium driven by Playwright, against a
real server (uvicorn in a thread), real workbooks, real LibreOffice."""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from web_server import CHROMIUM, chromium, docx_text, examples_site, serving

from plangen.cli import cli
from plangen.web import ServeConfig

playwright = pytest.importorskip("playwright.sync_api")
pytestmark = pytest.mark.skipif(
    not os.path.exists(CHROMIUM), reason="Chromium is installed by scripts/install.sh"
)
ROOT = Path(__file__).resolve().parent.parent
CONTROLS = ("button", "textbox", "searchbox", "combobox", "link", "checkbox")
EXAMPLES = sorted((ROOT / "input_examples").glob("*.xlsx"))


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    with chromium() as b:
        yield b


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A server with a dashboard of the four examples."""
    with examples_site(tmp_path_factory.mktemp("site")) as base:
        yield base


@pytest.fixture
def page(browser: object, site: str) -> Iterator[object]:
    context = browser.new_context(accept_downloads=True)  # type: ignore[attr-defined]
    pg = context.new_page()
    pg.goto(site)
    yield pg
    context.close()


def cli_lines(*args: object) -> list[str]:
    result = CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)
    return (result.stdout + result.stderr).splitlines()


def upload(page: object, path: Path) -> None:
    page.set_input_files("#workbook", str(path))  # type: ignore[attr-defined]
    with page.expect_navigation():  # type: ignore[attr-defined]  (the answer, not the form)
        page.get_by_role("button", name="Make plan").click()  # type: ignore[attr-defined]


def test_upload_the_example_gives_the_headline_and_the_plan_of_plangen_build(
    page: object, tmp_path: Path
) -> None:
    example = ROOT / "input_examples" / "super_excited_division.xlsx"
    asked: list[str] = []
    page.on("request", lambda request: asked.append(request.url))  # type: ignore[attr-defined]
    upload(page, example)
    headline = page.locator("#headline").inner_text()  # type: ignore[attr-defined]
    built = cli_lines("build", example, "-o", tmp_path / "cli")
    assert built[-1].endswith(f"({headline})")
    with page.expect_download() as info:  # type: ignore[attr-defined]
        page.get_by_role("link", name="Download the Word plan (.docx)").click()  # type: ignore[attr-defined]
    download = info.value
    assert download.suggested_filename == "super_excited_division.docx"
    saved = tmp_path / "from-web.docx"
    download.save_as(saved)
    assert docx_text(saved) == docx_text(tmp_path / "cli" / "super_excited_division.docx")
    pages = page.locator(".pages img")  # type: ignore[attr-defined]
    if shutil.which("soffice"):
        page.wait_for_selector(".pages img", timeout=60_000)  # type: ignore[attr-defined]
        assert pages.count() >= 5  # the example plan has 6 pages
        assert page.get_by_role("link", name="Download the PDF").count() == 1  # type: ignore[attr-defined]
    site = page.url.split("/plan/")[0]  # type: ignore[attr-defined]
    assert asked and all(url.startswith(site) for url in asked)  # nothing fetched elsewhere


def test_a_broken_workbook_lists_the_lines_of_plangen_validate(
    page: object, tmp_path: Path
) -> None:
    from openpyxl import load_workbook

    broken = tmp_path / "broken.xlsx"
    shutil.copy(ROOT / "input_examples" / "super_excited_division.xlsx", broken)
    book = load_workbook(broken)
    book["Supports"]["E4"] = "next spring"
    book["Focus Areas"]["B5"] = "Yes"
    book["Focus Areas"]["B6"] = "Yes"
    book.save(broken)
    upload(page, broken)
    rows = page.locator("#problems tbody tr")  # type: ignore[attr-defined]
    shown = []
    for i in range(rows.count()):
        kind, sheet, cell, message = (
            rows.nth(i).locator("td").nth(n).inner_text().strip() for n in range(4)
        )
        where = f"{sheet}!{cell}" if cell else sheet
        shown.append(
            f"{kind}: {broken}: {where}: {message}" if where else f"{kind}: {broken}: {message}"
        )
    expected = [
        line for line in cli_lines("validate", broken) if line.startswith(("error:", "warning:"))
    ]
    assert len(expected) >= 2
    assert shown == expected
    assert page.get_by_role("link", name=re.compile("Download")).count() == 0  # type: ignore[attr-defined]


def test_random_bytes_give_one_plain_message(page: object, tmp_path: Path) -> None:
    junk = tmp_path / "junk.xlsx"
    junk.write_bytes(os.urandom(5000).replace(b"PK", b"pk"))
    upload(page, junk)
    message = page.locator("#unreadable").inner_text()  # type: ignore[attr-defined]
    cli = cli_lines("validate", junk)[0]
    assert cli == f"error: {message.replace('junk.xlsx', str(junk), 1)}"
    body = page.locator("body").inner_text()  # type: ignore[attr-defined]
    assert "Traceback" not in body and str(tmp_path) not in body


def adherence_column(page: object) -> list[tuple[str, int]]:
    rows = page.locator("#plans tbody tr")  # type: ignore[attr-defined]
    out = []
    for i in range(rows.count()):
        cells = rows.nth(i).locator("td")
        name = cells.nth(0).locator("a").inner_text()
        out.append((name, int(cells.nth(2).inner_text().split("%")[0])))  # "72% · green"
    return out


def test_the_dashboard_lists_both_examples_and_sorts_by_adherence(page: object, site: str) -> None:
    import json

    with page.expect_navigation():  # type: ignore[attr-defined]
        page.get_by_role("link", name="Dashboard", exact=True).click()  # type: ignore[attr-defined]
    expected = {}
    for example in EXAMPLES:
        figures = json.loads("\n".join(cli_lines("status", example, "--json")))
        expected[example.name] = figures["overall"]["percent"]
    with page.expect_navigation():  # type: ignore[attr-defined]  (never read the old table)
        page.get_by_role("link", name="Adherence", exact=True).click()  # type: ignore[attr-defined]
    first = adherence_column(page)
    assert len(first) == len(EXAMPLES)
    percents = [p for _, p in first]
    assert sorted(percents) == sorted(expected.values())
    assert percents == sorted(percents, reverse=True)
    with page.expect_navigation():  # type: ignore[attr-defined]
        page.get_by_role("link", name="Adherence", exact=True).click()  # type: ignore[attr-defined]
    assert [p for _, p in adherence_column(page)] == sorted(percents)
    with page.expect_navigation():  # type: ignore[attr-defined]
        page.locator("#plans").get_by_role("link", name="Super Excited Division").click()  # type: ignore[attr-defined]
    assert (
        page.locator("#headline")
        .inner_text()
        .endswith(f"({expected['super_excited_division.xlsx']}%)")
    )  # type: ignore[attr-defined]


def test_every_control_has_a_label_in_the_accessibility_tree(page: object, site: str) -> None:

    client = page.context.new_cdp_session(page)  # type: ignore[attr-defined]
    upload(page, ROOT / "input_examples" / "maple_grove_public_schools.xlsx")
    paths = [
        page.url.removeprefix(site),  # type: ignore[attr-defined]
        "",
        "dashboard",
        "dashboard/plan?name=super_excited_division.xlsx",
        "dashboard/progress",
        "pull",
    ]
    unnamed = []
    for path in paths:
        page.goto(site + path)  # type: ignore[attr-defined]
        tree = client.send("Accessibility.getFullAXTree")["nodes"]
        controls = [
            n for n in tree if n.get("role", {}).get("value") in CONTROLS and not n.get("ignored")
        ]
        assert controls, path
        unnamed += [
            (path, n["role"]["value"])
            for n in controls
            if not n.get("name", {}).get("value", "").strip()
        ]
    assert unnamed == []


def test_the_page_is_usable_with_the_keyboard(page: object, tmp_path: Path) -> None:
    reached = []
    for _ in range(12):
        page.keyboard.press("Tab")  # type: ignore[attr-defined]
        reached.append(
            page.evaluate("document.activeElement.id || document.activeElement.textContent.trim()")
        )  # type: ignore[attr-defined]
    assert "workbook" in reached and "Make plan" in reached
    page.focus("#workbook")  # type: ignore[attr-defined]
    page.set_input_files("#workbook", str(ROOT / "input_examples" / "super_excited_division.xlsx"))  # type: ignore[attr-defined]
    page.keyboard.press("Tab")  # type: ignore[attr-defined]
    page.keyboard.press("Enter")  # type: ignore[attr-defined]
    page.wait_for_selector("#headline")  # type: ignore[attr-defined]


def test_without_the_token_a_non_local_server_refuses(browser: object, tmp_path: Path) -> None:
    config = ServeConfig(host="0.0.0.0", token="s3cret-code", workdir=tmp_path / "work")
    with serving(config) as base:
        context = browser.new_context()  # type: ignore[attr-defined]
        pg = context.new_page()
        response = pg.goto(base)
        assert response.status == 401
        assert pg.get_by_role("button", name="Make plan").count() == 0
        assert (
            pg.request.post(
                base + "plan",
                multipart={"workbook": {"name": "a.xlsx", "mimeType": "x", "buffer": b"PK"}},
            ).status
            == 401
        )
        from playwright.sync_api import expect

        # the form posts and the browser loads the answer: wait for it, never a snapshot
        pg.get_by_label("Access code").fill("wrong")
        pg.get_by_role("button", name="Open plangen").click()
        expect(pg.locator("body")).to_contain_text("not right")
        pg.get_by_label("Access code").fill("s3cret-code")
        pg.get_by_role("button", name="Open plangen").click()
        expect(pg.get_by_role("button", name="Make plan")).to_have_count(1)
        cookie = next(c for c in context.cookies() if c["name"] == "plangen_token")
        assert cookie["httpOnly"] and cookie["sameSite"] == "Strict"
        context.close()


def test_building_every_plan_shows_its_progress_until_done(page: object, site: str) -> None:
    page.goto(site + "dashboard")  # type: ignore[attr-defined]
    page.get_by_label(re.compile("also rebuild plans")).check()  # type: ignore[attr-defined]
    page.get_by_role("button", name="Build the plans").click()  # type: ignore[attr-defined]
    page.wait_for_selector("text=Plans built", timeout=120_000)  # type: ignore[attr-defined]
    assert page.get_by_text(f"{len(EXAMPLES)} of {len(EXAMPLES)} workbooks done").count() == 1  # type: ignore[attr-defined]
    assert page.locator(".done-list .badge").all_inner_texts() == ["built"] * len(EXAMPLES)  # type: ignore[attr-defined]
