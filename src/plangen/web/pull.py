"""Bring back Word edits: a plan edited in Word and its workbook in, the updated
workbook and the list of changes out, by the same engine as `plangen pull`.

Offered only when this plangen has that engine (`plangen.pull`).
"""

from __future__ import annotations

import importlib.util
import json
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import FileResponse, RedirectResponse, Response
from starlette.routing import Route

from plangen.errors import PlangenError, Severity
from plangen.web.guard import checked_form
from plangen.web.plans import hide_path
from plangen.web.workspace import Upload, display_name

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CHUNK = 1 << 16


def available() -> bool:
    """True when this plangen can bring Word edits back (`plangen pull`)."""
    return importlib.util.find_spec("plangen.roundtrip.pull") is not None


def run_pull(job: Upload) -> dict[str, Any]:
    """Pull the edits of the upload's plan into its workbook; what happened, as text."""
    from plangen.roundtrip.pull import pull

    def plain(text: str) -> str:
        return hide_path(hide_path(text, job.docx, "the plan"), job.workbook, job.name)

    try:
        result = pull(job.docx, job.workbook)
    except PlangenError as exc:
        return {"refused": plain(str(exc))}
    return {
        "changes": [str(c) for c in result.changes],
        "conflicts": [plain(str(c)) for c in result.conflicts],
        "issues": [
            ("error" if i.severity is Severity.ERROR else "warning", plain(str(i)))
            for i in result.issues
        ],
        "written": result.written,
    }


async def form(request: Request) -> Response:
    if not available():
        raise HTTPException(404)
    return request.app.state.pages.render(request, "pull.html", outcome=None, job=None)


async def send(request: Request) -> Response:
    if not available():
        raise HTTPException(404)
    pages = request.app.state.pages
    data = await checked_form(request, max_files=2)
    plan, book = data.get("plan"), data.get("workbook")
    if not (isinstance(plan, UploadFile) and plan.filename) or not (
        isinstance(book, UploadFile) and book.filename
    ):
        return pages.message(
            request, "Two files are needed", "Choose the plan edited in Word and its workbook."
        )
    job = request.app.state.workspace.new_upload(
        request.scope["state"]["session"], display_name(book.filename)
    )
    for sent, target in ((plan, job.docx), (book, job.workbook)):
        with target.open("wb") as out:
            while chunk := await sent.read(CHUNK):
                out.write(chunk)
        await sent.close()
    outcome = await run_in_threadpool(run_pull, job)
    (job.folder / "pull.json").write_text(json.dumps(outcome), encoding="utf-8")
    return RedirectResponse(f"/pull/{job.id}", 303)


def _job(request: Request) -> tuple[Upload, dict[str, Any]]:
    job = request.app.state.workspace.find(
        request.scope["state"]["session"], request.path_params["upload"]
    )
    try:
        outcome = json.loads((job.folder / "pull.json").read_text(encoding="utf-8"))
    except (AttributeError, OSError, ValueError):
        raise HTTPException(404) from None
    return job, outcome


async def result(request: Request) -> Response:
    job, outcome = _job(request)
    return request.app.state.pages.render(request, "pull.html", outcome=outcome, job=job)


async def workbook(request: Request) -> Response:
    job, outcome = _job(request)
    if not outcome.get("written"):
        raise HTTPException(404)
    name = job.stem.replace('"', "'") + ".xlsx"
    return FileResponse(job.workbook, media_type=XLSX_TYPE, filename=name)


ROUTES = [
    Route("/pull", form),
    Route("/pull", send, methods=["POST"]),
    Route("/pull/{upload}", result),
    Route("/pull/{upload}/workbook", workbook),
]
