"""The web app of `plangen serve`: configuration, pages, and its start and stop."""

from __future__ import annotations

import contextlib
import logging
import secrets
import shutil
import tempfile
import threading
from collections.abc import AsyncIterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import Mount
from starlette.staticfiles import StaticFiles

from plangen import __version__
from plangen.errors import ConversionError
from plangen.web.dashboard import Dashboard
from plangen.web.guard import Guard, code_hash, is_local
from plangen.web.limits import PDF_JOBS, RETRY_SECONDS, Busy, Gate
from plangen.web.workspace import Workspace, new_workdir, sweep_dead_workdirs

HERE = Path(__file__).parent
MAX_UPLOAD = 10_000_000
"""Bytes a request may carry: a plan's workbook is well under 1 MB."""


@dataclass
class ServeConfig:
    """How `plangen serve` runs.

    `token` is required (and must be given) when `host` is not a loopback address; the
    app keeps only its hash and sets `token` to None. `workdir` holds uploads and their
    plans (a new temporary folder when None, removed at stop; those of servers that died
    are removed at start). `folder`/`out_dir`: the dashboard's workbooks and where their
    plans go. `secure`: browsers reach the server over HTTPS through a reverse proxy, so
    cookies are `Secure` and `__Host-`.
    """

    host: str = "127.0.0.1"
    port: int = 8000
    token: str | None = None
    folder: Path | None = None
    out_dir: Path | None = None
    workdir: Path | None = None
    max_upload: int = MAX_UPLOAD
    pdf: bool = True
    """Make PDFs (and page previews) when LibreOffice is installed."""
    jobs: int | None = None
    secure: bool = False
    pdf_jobs: int = PDF_JOBS
    pdf_seconds: float | None = None
    """Each PDF's time limit; None: one that fits the document's size (limits.py)."""
    extra: dict[str, Any] = field(default_factory=dict)


class Pages:
    """The jinja environment of the page templates (autoescaped) and plain pages."""

    def __init__(self) -> None:
        self.env = jinja2.Environment(
            loader=jinja2.FileSystemLoader(HERE / "templates"),
            autoescape=True,
            undefined=jinja2.StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
        )
        self.env.globals["version"] = __version__

    def render(self, request: Request, name: str, code: int = 200, **values: Any) -> Response:
        return HTMLResponse(self.text(request, name, **values), code)

    def text(self, request: Request, name: str, **values: Any) -> str:
        """The page `name` as text (to render a large page in a worker thread)."""
        state = request.scope.get("state", {})
        return self.env.get_template(name).render(
            request=request,
            csrf=state.get("csrf", ""),
            dashboard=getattr(request.app.state, "dashboard", None),
            **values,
        )

    def message(self, request: Request, title: str, text: str, status: int = 400) -> Response:
        """A page with one plain message; never a traceback."""
        return self.render(request, "message.html", status, title=title, text=text)

    def login(self, request: Request, wrong: bool, status: int) -> Response:
        return self.render(request, "login.html", status, wrong=wrong)


def create_app(config: ServeConfig) -> Starlette:
    """The web app for `config`; its LibreOffice and work folder live as long as it runs."""
    from plangen.web import pull, routes

    if not is_local(config.host) and not config.token:
        raise ValueError("a server on a non-local address needs an access token")
    token_hash = code_hash(config.token) if config.token else None
    config.token = None  # only its hash is kept
    pages = Pages()
    owned = config.workdir is None
    if owned:
        sweep_dead_workdirs(Path(tempfile.gettempdir()))
    workdir = config.workdir or new_workdir(Path(tempfile.gettempdir()))

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        app.state.converter = None
        app.state.pdf_problem = ""
        app.state.pdf_lock = threading.Lock()
        app.state.pdf_waiting = 0
        if config.pdf:
            try:
                from plangen.pdf.convert import Converter

                app.state.converter = Converter(config.pdf_jobs, timeout=600)
                app.state.converter.start()
                jobs = app.state.converter.jobs
                app.state.pdf_pool = ThreadPoolExecutor(2 * jobs, thread_name_prefix="plangen-pdf")
                # large plans get one LibreOffice fewer: one is always left for the others
                app.state.pdf_large_pool = ThreadPoolExecutor(
                    max(1, jobs - 1), thread_name_prefix="plangen-pdf-large"
                )
            except ConversionError as exc:
                app.state.pdf_problem = str(exc)
        else:
            app.state.pdf_problem = "PDF output is turned off for this server."
        if app.state.dashboard is not None:
            app.state.dashboard.start()
        try:
            yield
        finally:
            if app.state.converter is not None:
                app.state.converter.close(cancel=True)  # stops LibreOffice at once
                app.state.pdf_pool.shutdown(wait=True, cancel_futures=True)
                app.state.pdf_large_pool.shutdown(wait=True, cancel_futures=True)
            if app.state.dashboard is not None:
                app.state.dashboard.stop()
                app.state.dashboard.wait(60)
            if owned:
                shutil.rmtree(workdir, ignore_errors=True)

    async def http_error(request: Request, exc: Exception) -> Response:
        status = getattr(exc, "status_code", 500)
        titles = {
            400: "Nothing was sent",
            403: "Please try again",
            404: "Not found",
            405: "Not allowed",
            413: "File too large",
        }
        if status == 404:
            text = "There is no such page here, or it belongs to another browser session."
        else:
            detail = getattr(exc, "detail", "")
            text = detail if isinstance(detail, str) and status < 500 else ""
        return pages.message(request, titles.get(status, "Something went wrong"), text, status)

    async def busy(request: Request, exc: Exception) -> Response:
        response = pages.message(
            request,
            "Busy, try again in a minute",
            "plangen is making other plans right now and has no room for this one. "
            "Nothing was lost: go back and send it again in a minute.",
            503,
        )
        response.headers["retry-after"] = str(RETRY_SECONDS)
        return response

    async def server_error(request: Request, exc: Exception) -> Response:
        logging.getLogger("plangen.web").error(
            "%s %s failed", request.method, request.url.path, exc_info=exc
        )
        return pages.message(
            request,
            "Something went wrong",
            "plangen could not finish this request. Nothing was changed; try again, "
            "and if it keeps failing, run the same step with the plangen command to see why.",
            500,
        )

    local = is_local(config.host)
    bound = config.host.strip("[]")
    allowed = ("127.0.0.1", "localhost", "::1", bound) if local else None
    app = Starlette(
        debug=False,
        routes=[
            *routes.ROUTES,
            *pull.ROUTES,
            Mount("/static", StaticFiles(directory=HERE / "static")),
        ],
        middleware=[
            Middleware(
                Guard,
                token_hash=None if local else token_hash,
                secret=secrets.token_bytes(32),
                max_body=config.max_upload,
                allowed_hosts=allowed,
                pages=pages,
                secure=config.secure,
            )
        ],
        exception_handlers={HTTPException: http_error, Busy: busy, Exception: server_error},
        lifespan=lifespan,
    )
    app.state.config = config
    app.state.pages = pages
    app.state.gate = Gate()
    app.state.workspace = Workspace(workdir / "sessions")
    app.state.dashboard = (
        Dashboard(config.folder, config.out_dir or Path("output"), config.jobs)
        if config.folder is not None
        else None
    )
    return app
