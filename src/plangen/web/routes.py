"""The pages: make a plan from an upload, start a workbook, the dashboard of a folder.

Handlers read the request, call the library (in a worker thread when it blocks) and
render a template. Nothing a browser sends becomes a path: uploads are found by random
ids inside the browser's own session folder, dashboard plans by their name in the
batch's own list.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any
from urllib.parse import quote

from starlette.background import BackgroundTask
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, RedirectResponse, Response
from starlette.routing import Route

import plangen
from plangen import KINDS, ConversionError, PlangenError
from plangen.batch.run import COMBINED_NAME
from plangen.web.dashboard import COLOURS, COLUMNS, STATUSES
from plangen.web.guard import checked_form
from plangen.web.limits import LARGE_DOCX, PDF_QUEUE, pdf_seconds
from plangen.web.plans import PlanView, cached_view, conversion_message, hide_path, view_plan
from plangen.web.workspace import Full, Upload, display_name, new_id

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
    try:
        job = request.app.state.workspace.new_upload(_session(request), name, sent.size or 0)
    except Full:
        await sent.close()
        return no_room(request)
    try:
        with job.workbook.open("wb") as out:
            while chunk := await sent.read(CHUNK):
                out.write(chunk)
        await sent.close()
    except BaseException:
        job.remove()
        raise
    return await start_plan(request, job)


def no_room(request: Request) -> Response:
    """The page for an upload the server's disk quota has no room for."""
    return _pages(request).message(
        request,
        "No room for more plans",
        "The server keeps too many plans right now. Try again later, or make the plan "
        "on your computer with the plangen command.",
        507,
    )


async def start_plan(request: Request, job: Upload) -> Response:
    """Make the plan of `job`'s workbook, start its PDF, and send the browser to its page.

    At most HEAVY_SLOTS plans are made at once; past the waiting limit the upload is
    removed and the page says "busy, try again in a minute" (limits.Busy)."""
    state = request.app.state
    try:
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
    past PDF_QUEUE waiting documents, say the server is busy instead of queueing. Plans
    over LARGE_DOCX use all LibreOffices but one, so a plan of usual size never waits
    behind slow ones."""
    with state.pdf_lock:
        if state.pdf_waiting >= PDF_QUEUE:
            job.write_note(
                "No PDF this time: the server is busy making other PDFs. The Word plan is "
                "complete; send the workbook again in a few minutes for its PDF."
            )
            return
        state.pdf_waiting += 1
    job.pdf_pending = True
    large = job.docx.stat().st_size > LARGE_DOCX
    (state.pdf_large_pool if large else state.pdf_pool).submit(make_pdf, state, job)


def make_pdf(state: Any, job: Upload) -> None:
    """The PDF and page images of an upload's plan (after the page was sent)."""
    try:
        job.write_note(_make_pdf(state, job.docx, job.pdf, job.pages, job.name))
    finally:
        job.pdf_pending = False
        with state.pdf_lock:
            state.pdf_waiting -= 1


def _make_pdf(state: Any, docx: Path, pdf: Path, pages: Path, name: str) -> str:
    """Convert `docx` (to `pdf` beside it) and draw its pages; a message when it failed
    (its time limit fits its size, limits.pdf_seconds)."""
    from plangen.pdf.convert import page_images
    from plangen.pdf.office import OfficeTimeout

    converter = state.converter
    if converter is None:
        return ""
    seconds = 0.0
    try:
        seconds = state.config.pdf_seconds or pdf_seconds(docx.stat().st_size)
        made = converter.convert(docx, timeout=seconds)
    except OfficeTimeout:
        return (
            f"No PDF: this plan took longer than the {seconds:g} seconds a PDF may take "
            "here, so it was stopped. The Word plan is complete: open it in Word and save "
            "it as PDF, or run plangen build --pdf on your computer."
        )
    except OSError:
        return "No PDF: the Word plan could not be read for it."
    except ConversionError as exc:
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
            "ics": f"/plan/{job.id}/file/ics",
            "next": f"/plan/{job.id}/file/next",
            "page": f"/plan/{job.id}/page/",
        },
        docx=job.docx.is_file(),
        pdf=job.pdf.is_file(),
        pages=len(job.page_images()),
        note=job.read_note(),
        pending=job.pdf_pending,
        before=_before(job),
    )


def _before(job: Upload) -> dict[str, Any]:
    """The figures of the workbook before Word edits were brought back; {} when none."""
    try:
        data = json.loads((job.folder / "before.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


async def _plan_response(
    request: Request,
    view: PlanView,
    urls: dict[str, str],
    docx: bool,
    pdf: bool,
    pages: int,
    note: str,
    pending: bool = False,
    before: dict[str, Any] | None = None,
    edited: bool = False,
    from_dashboard: bool = False,
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
        before=before or {},
        edited=edited,
        from_dashboard=from_dashboard,
        pdf_problem=state.pdf_problem,
        pull_available=False,
    )
    return HTMLResponse(page)


def _calendar(workbook: Path, stem: str) -> Response:
    """The plan's dates as an .ics download (404 when the workbook has errors)."""
    from plangen.figures.plan_calendar import plan_calendar

    loaded = plangen.load(workbook)
    if not loaded.valid:
        raise HTTPException(404)
    name = quote(_download(stem, ".ics"))
    return Response(
        plan_calendar(loaded),
        media_type="text/calendar; charset=utf-8",
        headers={"content-disposition": f"attachment; filename*=utf-8''{name}"},
    )


def _next_year(workbook: Path, stem: str) -> Response:
    """Next year's workbook started from this one (`plangen new --from`), as a download."""
    import tempfile

    from plangen.next_year import roll_forward

    with tempfile.TemporaryDirectory(prefix="plangen-next-") as tmp:
        try:
            made = roll_forward(workbook, Path(tmp) / "next.xlsx")
        except PlangenError:
            raise HTTPException(404) from None
        data = made.path.read_bytes()
    name = quote(_download(f"{stem} {made.period}", ".xlsx"))
    return Response(
        data,
        media_type=XLSX_TYPE,
        headers={"content-disposition": f"attachment; filename*=utf-8''{name}"},
    )


async def upload_file(request: Request) -> Response:
    job = _find(request)
    what = request.path_params["what"]
    gate = request.app.state.gate
    if what in ("ics", "next") and not job.workbook.is_file():
        raise HTTPException(404)  # a refused workbook is not kept
    if what == "ics":
        return await gate.run(_calendar, job.workbook, job.stem)
    if what == "next":
        return await gate.run(_next_year, job.workbook, job.stem)
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
    await run_in_threadpool(board.refresh)
    q = request.query_params
    sort = q.get("sort", "district")
    sort = sort if sort in dict(COLUMNS) else "district"
    descending = q.get("order") == "desc"
    status = q.get("status", "")
    status = status if status in STATUSES else ""
    colour = q.get("colour", "")
    colour = colour if colour in COLOURS else ""
    everything = await run_in_threadpool(board.all_rows)
    kinds = sorted({r.kind for r in everything if r.kind})
    kind = q.get("kind", "")
    kind = kind if kind in kinds else ""
    attention = q.get("attention") == "1"
    query = q.get("q", "")[:100]
    rows = await run_in_threadpool(
        board.rows, sort, descending, query, status, colour, kind, attention, everything
    )
    filters = {"q": query, "status": status, "colour": colour, "kind": kind}
    if attention:
        filters["attention"] = "1"
    return _pages(request).render(
        request,
        "dashboard.html",
        rows=rows,
        everything=everything,
        columns=COLUMNS,
        statuses=STATUSES,
        kinds=kinds,
        sort=sort,
        descending=descending,
        status_filter=status,
        colour_filter=colour,
        kind_filter=kind,
        attention=attention,
        filters={k: v for k, v in filters.items() if v},
        query=query,
        progress=board.progress(),
        folder=str(board.folder),
        out_dir=str(board.out_dir),
        summaries=[s for s in (".xlsx", ".csv") if board.summary_file(s)],
        combined=(board.out_dir / COMBINED_NAME).is_file(),
    )


async def dashboard_download(request: Request) -> Response:
    """The batch summary (.xlsx, .csv), every plan in one .zip, or the combined PDF."""
    board = _dashboard(request)
    what = request.path_params["what"]
    if what in ("summary.xlsx", "summary.csv"):
        path = board.summary_file(Path(what).suffix)
        if path is None:
            raise HTTPException(404)
        kind = XLSX_TYPE if what.endswith(".xlsx") else "text/csv; charset=utf-8"
        return FileResponse(path, media_type=kind, filename=what)
    if what == COMBINED_NAME and (board.out_dir / COMBINED_NAME).is_file():
        return FileResponse(
            board.out_dir / COMBINED_NAME, media_type="application/pdf", filename=what
        )
    if what == "plans.zip":
        folder = request.app.state.workspace.root.parent / "dashboard"
        folder.mkdir(parents=True, exist_ok=True)
        target = folder / f"plans-{new_id()}.zip"
        count = await run_in_threadpool(board.zip_plans, target)
        if not count:
            target.unlink(missing_ok=True)
            raise HTTPException(404)
        return FileResponse(
            target,
            media_type="application/zip",
            filename="plans.zip",
            background=BackgroundTask(target.unlink, missing_ok=True),
        )
    raise HTTPException(404)


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
        urls={
            "docx": base + "docx",
            "pdf": base + "pdf",
            "ics": base + "ics",
            "next": base + "next",
            "page": base + "page-",
        },
        docx=docx.is_file(),
        pdf=pdf.is_file(),
        pages=len(list(previews.glob("page-*.png"))),
        note=note,
        edited=_dashboard(request).edited(result),
        from_dashboard=True,
    )


async def folder_plan_file(request: Request) -> Response:
    result = _folder_plan(request)
    what = request.query_params.get("what", "")
    stem = Path(result.name).stem
    if what == "ics":
        return await run_in_threadpool(_calendar, result.workbook, stem)
    if what == "next":
        return await run_in_threadpool(_next_year, result.workbook, stem)
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
    Route("/dashboard/download/{what}", dashboard_download),
    Route("/dashboard/progress", progress),
    Route("/dashboard/plan", folder_plan_page),
    Route("/dashboard/plan/file", folder_plan_file),
]
