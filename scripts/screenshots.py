"""Screenshots of every page of `plangen serve` at laptop (1366) and phone (390) widths,
from Debian's Chromium, for looking at the pages and for docs/serve.png.

    python3 scripts/screenshots.py OUTDIR
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from web_server import CHROMIUM, CHROMIUM_ARGS, serving, wait_for_dashboard  # noqa: E402

from plangen.web import ServeConfig  # noqa: E402

EXAMPLES = sorted((ROOT / "input_examples").glob("*.xlsx"))
WIDTHS = {"laptop": (1366, 860), "phone": (390, 844)}


def broken_workbook(folder: Path) -> Path:
    from openpyxl import load_workbook

    path = folder / "broken.xlsx"
    book = load_workbook(EXAMPLES[-1])
    book["Supports"]["E4"] = "next spring"
    book["Focus Areas"]["B5"] = "Yes"
    book["Focus Areas"]["B6"] = "Yes"
    book.save(path)
    return path


def main() -> None:
    from playwright.sync_api import sync_playwright

    out = Path(sys.argv[1])
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="plangen-shots-") as tmp:
        work = Path(tmp)
        folder = work / "workbooks"
        folder.mkdir()
        for example in EXAMPLES:
            shutil.copy(example, folder / example.name)
        shutil.copy(broken_workbook(work), folder / "broken.xlsx")
        junk = work / "junk.xlsx"
        junk.write_bytes(os.urandom(3000))
        config = ServeConfig(folder=folder, out_dir=work / "plans", workdir=work / "serve")
        with serving(config) as base, sync_playwright() as p:
            wait_for_dashboard(base)
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            for tag, (width, height) in WIDTHS.items():
                page = browser.new_page(viewport={"width": width, "height": height})

                def shot(name: str, page=page, tag=tag) -> None:
                    # load the page previews below the fold (loading="lazy") as a reader
                    # scrolling down would, so the picture shows them
                    for img in page.locator("img[loading=lazy]").all():
                        img.scroll_into_view_if_needed()
                    page.wait_for_function("[...document.images].every(i => i.complete)")
                    page.screenshot(path=str(out / f"{name}-{tag}.png"), full_page=True)

                page.goto(base)
                shot("home")
                for name, path in [("problems", work / "broken.xlsx"), ("unreadable", junk),
                                   ("plan", EXAMPLES[-1])]:  # fmt: skip
                    page.goto(base)
                    page.set_input_files("#workbook", str(path))
                    page.get_by_role("button", name="Make plan").click()
                    page.wait_for_load_state()
                    if name == "plan":
                        page.wait_for_selector(".pages img", timeout=60_000)
                        page.wait_for_selector("#pdf-pending", state="detached", timeout=60_000)
                    shot(name)
                page.goto(base + "dashboard")
                shot("dashboard")
                page.goto(base + "dashboard/progress")
                shot("progress")
                page.goto(base + "plan/" + "0" * 32)
                shot("message")
            browser.close()
    print(f"screenshots in {out}")


if __name__ == "__main__":
    main()
