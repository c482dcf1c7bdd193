"""The pages: make a plan from an upload, start a workbook, the dashboard of a folder.

Handlers read the request, call the library (in a worker thread when it blocks) and
render a template. Nothing a browser sends becomes a path: uploads are found by random
ids inside the browser's own session folder, dashboard plans by their name in the
batch's own list.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any
from urllib.parse import quote

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, RedirectResponse, Response
from starlette.routing import Route

import plangen
from plangen import KINDS, ConversionError, PlangenError
from plangen.web.dashboard import COLUMNS, STATUSES
from plangen.web.guard import checked_form
from plangen.web.limits import PDF_QUEUE, pdf_seconds
from plangen.web.plans import PlanView, cached_view, conversion_message, hide_path, view_plan
from plangen.web.workspace import Full, Upload, display_name

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CHUNK = 1 << 16


def _pages(request: Request) -> Any:
    return request.app.state.pages


def _session(request: Request) -> str:
    return str(request.scope["state"]["session"])


async def home(request: Request) -> Response:
    return _pages(request).render(request, "home.html", kinds=list(KINDS.values()))


async def upload(request: Request) -> Response:
    """Save the workbook sent, make its plan, and show the plan's page."""
    form = await checked_form(request, max_files=1)
    sent = form.get("workbook")
    if not isinstance(sent, UploadFile) or not sent.filename:
        return _pages(request).message(
            request, "No workbook chosen", "Choose a workbook, then Make plan."
        )
    name = display_name(sent.filename)
    state = request.app.state
    try:
        job = state.workspace.new_upload(_session(request), name, sent.size or 0)
    except Full:
        await sent.close()
        return _pages(request).message(
            request,
            "No room for more plans",
            "The server keeps too many plans right now. Try again later, or make the plan "
            "on your computer with the plangen command.",
            507,
        )
    try:
        with job.workbook.open("wb") as out:
            while chunk := await sent.read(CHUNK):
                out.write(chunk)
        await sent.close()
        built = await state.gate.run(make_plan, job)
    except BaseException:
        job.remove()
        raise
    if built and state.converter is not None:
        queue_pdf(state, job)
    return RedirectResponse(f"/plan/{job.id}", 303)


def make_plan(job: Upload) -> bool:
    """Build the plan of an uploaded workbook; True when its .docx was written.

    What the plan page shows is kept with the upload; a workbook that makes no plan
    (unreadable or with errors) is deleted at once, its problems kept as text.
    """
    view, loaded = view_plan(job.workbook, job.name)
    view.summary = None  # the page needs only the figures drawn from it
    job.save_view(view)
    if loaded is None or not view.valid:
        job.drop_workbook()
        return False
    try:
        plangen.write(loaded, job.docx)
    except PlangenError as exc:
        job.write_note(hide_path(str(exc), job.workbook, job.name))
        return False
    return True


def queue_pdf(state: Any, job: Upload) -> None:
    """Make the PDF of an upload's plan in the background, when a LibreOffice is free;
    past PDF_QUEUE waiting documents, say the server is busy instead of queueing."""
    with state.pdf_lock:
        if state.pdf_waiting >= PDF_QUEUE:
            job.write_note(
                "No PDF this time: the server is busy making other PDFs. The Word plan is "
                "complete; send the workbook again in a few minutes for its PDF."
            )
            return
        state.pdf_waiting += 1
    job.pdf_pending = True
    state.pdf_pool.submit(make_pdf, state, job)


def make_pdf(state: Any, job: Upload) -> None:
    """The PDF and page images of an upload's plan (after the page was sent)."""
    try:
        job.write_note(_make_pdf(state, job.docx, job.pdf, job.pages, job.name))
    finally:
        job.pdf_pending = False
        with state.pdf_lock:
            state.pdf_waiting -= 1


def _make_pdf(state: Any, docx: Path, pdf: Path, pages: Path, name: str) -> str:
    """Convert `docx` (to `pdf` beside it) and draw its pages; a message when it failed."""
    from plangen.pdf.convert import page_images
    from plangen.pdf.office import OfficeTimeout

    converter = state.converter
    if converter is None:
        return ""
    try:
        seconds = state.config.pdf_seconds or pdf_seconds(docx.stat().st_size)
        made = converter.convert(docx, timeout=seconds)
    except OfficeTimeout:
        return (
            f"No PDF: this plan took longer than the {seconds:g} seconds a PDF may take "
            "here, so it was stopped. The Word plan is complete: open it in Word and save "
            "it as PDF, or run plangen build --pdf on your computer."
        )
    except (ConversionError, OSError) as exc:
        if not isinstance(exc, ConversionError):
            return "No PDF: the Word plan could not be read for it."
        return conversion_message(exc, docx, name)
    if made != pdf:
        made.replace(pdf)
    page_images(pdf, pages)
    return ""


def _download(stem: str, suffix: str) -> str:
    """A download's file name from the user's own name (no quotes to break the header)."""
    return stem.replace('"', "'") + suffix


def _find(request: Request) -> Upload:
    job = request.app.state.workspace.find(_session(request), request.path_params["upload"])
    if job is None:
        raise HTTPException(404)
    return job


async def plan_page(request: Request) -> Response:
    job = _find(request)
    view = job.load_view()
    if view is None:  # an upload of an earlier plangen: read once, then kept
        if not job.workbook.is_file():
            raise HTTPException(404)
        view, _ = await request.app.state.gate.run(view_plan, job.workbook, job.name)
        view.summary = None
        job.save_view(view)
    return await _plan_response(
        request,
        view,
        urls={
            "docx": f"/plan/{job.id}/file/docx",
            "pdf": f"/plan/{job.id}/file/pdf",
            "page": f"/plan/{job.id}/page/",
        },
        docx=job.docx.is_file(),
        pdf=job.pdf.is_file(),
        pages=len(job.page_images()),
        note=job.read_note(),
        pending=job.pdf_pending,
    )


async def _plan_response(
    request: Request,
    view: PlanView,
    urls: dict[str, str],
    docx: bool,
    pdf: bool,
    pages: int,
    note: str,
    pending: bool = False,
) -> Response:
    """The plan page, rendered in a worker thread (thousands of problems take time)."""
    state = request.app.state
    page = await state.gate.run(
        _pages(request).text,
        request,
        "plan.html",
        view=view,
        urls=urls,
        docx=docx,
        pdf=pdf,
        pages=pages,
        note=note,
        pending=pending,
        pdf_problem=state.pdf_problem,
        pull_available=False,
    )
    return HTMLResponse(page)


async def upload_file(request: Request) -> Response:
    job = _find(request)
    what = request.path_params["what"]
    if what == "docx" and job.docx.is_file():
        return FileResponse(job.docx, media_type=DOCX_TYPE, filename=_download(job.stem, ".docx"))
    if what == "pdf" and job.pdf.is_file():
        return FileResponse(
            job.pdf, media_type="application/pdf", filename=_download(job.stem, ".pdf")
        )
    raise HTTPException(404)


async def upload_page_image(request: Request) -> Response:
    job = _find(request)
    return _page_image(job.page_images(), request.path_params["n"])


def _page_image(images: list[Path], n: int) -> Response:
    if not 1 <= n <= len(images):
        raise HTTPException(404)
    return FileResponse(images[n - 1], media_type="image/png")


async def new_workbook(request: Request) -> Response:
    """Download a blank guided workbook, or the example, of a plan kind."""
    kind = KINDS.get(request.path_params["kind"])
    which = request.path_params["which"]
    if kind is None or which not in ("blank", "example"):
        raise HTTPException(404)
    if which == "example":
        path = plangen.example_workbook(kind)
        return FileResponse(path, media_type=XLSX_TYPE, filename=path.name)
    folder = request.app.state.workspace.root.parent / "blank"
    path = folder / f"{kind.name}.xlsx"
    if not path.is_file():
        await run_in_threadpool(plangen.new_workbook, kind, path)
    return FileResponse(path, media_type=XLSX_TYPE, filename=f"new_{kind.name}_plan.xlsx")


def _dashboard(request: Request) -> Any:
    board = request.app.state.dashboard
    if board is None:
        raise HTTPException(404)
    return board


async def dashboard(request: Request) -> Response:
    board = _dashboard(request)
    q = request.query_params
    sort = q.get("sort", "district")
    sort = sort if sort in dict(COLUMNS) else "district"
    descending = q.get("order") == "desc"
    status = q.get("status", "")
    status = status if status in STATUSES else ""
    query = q.get("q", "")[:100]
    rows = await run_in_threadpool(board.rows, sort, descending, query, status)
    return _pages(request).render(
        request,
        "dashboard.html",
        rows=rows,
        columns=COLUMNS,
        statuses=STATUSES,
        sort=sort,
        descending=descending,
        status_filter=status,
        query=query,
        progress=board.progress(),
        folder=str(board.folder),
        out_dir=str(board.out_dir),
    )


async def rebuild(request: Request) -> Response:
    board = _dashboard(request)
    form = await checked_form(request)
    board.start(force=form.get("force") == "1")
    return RedirectResponse("/dashboard/progress", 303)


async def progress(request: Request) -> Response:
    board = _dashboard(request)
    return _pages(request).render(request, "progress.html", progress=board.progress())


def _folder_plan(request: Request) -> Any:
    result = _dashboard(request).result(request.query_params.get("name", ""))
    if result is None:
        raise HTTPException(404)
    return result


def _preview_folder(request: Request, name: str) -> Path:
    key = hashlib.sha256(name.encode()).hexdigest()[:32]
    return request.app.state.workspace.root.parent / "dashboard" / key


async def folder_plan_page(request: Request) -> Response:
    result = _folder_plan(request)
    state = request.app.state
    view = await state.gate.run(cached_view, result.workbook, result.name)
    docx, pdf = result.output, result.output.with_suffix(".pdf")
    previews = _preview_folder(request, result.name)
    note = ""
    if view.valid and docx.is_file() and state.converter is not None:
        stale = not pdf.is_file() or pdf.stat().st_mtime_ns < docx.stat().st_mtime_ns
        if stale or not any(previews.glob("page-*.png")):
            note = await run_in_threadpool(_make_pdf, state, docx, pdf, previews, result.name)
    base = f"/dashboard/plan/file?name={quote(result.name)}&what="
    return await _plan_response(
        request,
        view,
        urls={"docx": base + "docx", "pdf": base + "pdf", "page": base + "page-"},
        docx=docx.is_file(),
        pdf=pdf.is_file(),
        pages=len(list(previews.glob("page-*.png"))),
        note=note,
    )


async def folder_plan_file(request: Request) -> Response:
    result = _folder_plan(request)
    what = request.query_params.get("what", "")
    stem = Path(result.name).stem
    if what == "docx" and result.output.is_file():
        return FileResponse(result.output, media_type=DOCX_TYPE, filename=f"{stem}.docx")
    pdf = result.output.with_suffix(".pdf")
    if what == "pdf" and pdf.is_file():
        return FileResponse(pdf, media_type="application/pdf", filename=f"{stem}.pdf")
    if what.startswith("page-") and what[5:].isdigit():
        images = sorted(
            _preview_folder(request, result.name).glob("page-*.png"),
            key=lambda p: int(p.stem.split("-")[-1]),
        )
        return _page_image(images, int(what[5:]))
    raise HTTPException(404)


ROUTES = [
    Route("/", home),
    Route("/plan", upload, methods=["POST"]),
    Route("/plan/{upload}", plan_page),
    Route("/plan/{upload}/file/{what}", upload_file),
    Route("/plan/{upload}/page/{n:int}", upload_page_image),
    Route("/new/{kind}/{which}", new_workbook),
    Route("/dashboard", dashboard),
    Route("/dashboard/rebuild", rebuild, methods=["POST"]),
    Route("/dashboard/progress", progress),
    Route("/dashboard/plan", folder_plan_page),
    Route("/dashboard/plan/file", folder_plan_file),
]
