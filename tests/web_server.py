"""A real plangen web server in a thread (uvicorn on 127.0.0.1, a free port) for tests
and scripts, and the system Chromium driven by Playwright."""

from __future__ import annotations

import shutil
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import uvicorn

from plangen.web import ServeConfig, create_app
from plangen.web.server import server_config

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def serving(config: ServeConfig) -> Iterator[str]:
    """Serve `config`'s app on 127.0.0.1 at a free port in a thread; yield its base URL."""
    config.port = free_port()
    server = uvicorn.Server(
        server_config(create_app(config), "127.0.0.1", config.port, log_level="error")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the test server did not start")
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{config.port}/"
    finally:
        server.should_exit = True
        thread.join(60)


def docx_text(path: Path) -> list[str]:
    """Every paragraph and table cell of a .docx, in order (python-docx)."""
    from docx import Document

    doc = Document(str(path))
    lines = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            lines.extend(cell.text for cell in row.cells)
    return lines


def wait_for_dashboard(base: str, seconds: float = 120) -> None:
    """Wait until the server's first batch run is over."""
    import httpx

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        page = httpx.get(base + "dashboard/progress").text
        if "Plans built" in page:
            return
        time.sleep(0.2)
    raise RuntimeError("the dashboard's batch did not finish")


@contextmanager
def chromium() -> Iterator[object]:
    """The system Chromium, headless, driven by Playwright (no browser download)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@contextmanager
def examples_site(root: Path) -> Iterator[str]:
    """A server whose dashboard holds the four example workbooks, built once."""
    folder = root / "workbooks"
    folder.mkdir()
    examples = Path(__file__).resolve().parent.parent / "input_examples"
    for example in sorted(examples.glob("*.xlsx")):
        shutil.copy(example, folder / example.name)
    config = ServeConfig(folder=folder, out_dir=root / "plans", workdir=root / "work")
    with serving(config) as base:
        wait_for_dashboard(base)
        yield base
