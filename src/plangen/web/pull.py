"""Bring back Word edits: a plan edited in Word and its workbook in, the updated
workbook and the list of changes out, by the same engine as `plangen pull`.
"""

from __future__ import annotations

import json
import shutil
from datetime import date
from typing import Any

from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import FileResponse, RedirectResponse, Response
from starlette.routing import Route

from plangen.errors import PlangenError, Severity
from plangen.web.guard import checked_form
from plangen.web.plans import hide_path, view_plan
from plangen.web.workspace import Full, Upload, display_name
from plangen.workbook.grids import WORD, WORKBOOK, office_kind

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CHUNK = 1 << 16


def wrong_files(job: Upload, plan_name: str) -> str:
    """What is wrong with the two files sent, in the page's words; `` when each is what
    its box asks for."""
    plan, book = office_kind(job.docx), office_kind(job.workbook)
    if plan == WORKBOOK and book == WORD:
        return (
            f"The two files are swapped: {plan_name} is the workbook, so it goes in the "
            f"second box (Its workbook), and {job.name}, the Word plan, goes in the first "
            "(The plan edited in Word)."
        )
    if plan != WORD:
        also = " It is a workbook: its Word plan goes in the first box." if plan else ""
        return f"{plan_name} is not a Word plan (.docx).{also}"
    if book != WORKBOOK:
        also = " It is a Word document: the workbook (.xlsx) goes here." if book else ""
        return f"{job.name} is not a workbook (.xlsx).{also}"
    return ""


def updated_name(job: Upload, today: date | None = None) -> str:
    """The download name of an updated workbook: `NAME.updated-2026-12-04.xlsx`, never the
    name of the workbook sent."""
    stem = job.stem.replace('"', "'")
    return f"{stem}.updated-{(today or date.today()).isoformat()}{job.workbook.suffix}"


def run_pull(job: Upload, plan_name: str = "The Word plan") -> dict[str, Any]:
    """Pull the edits of the upload's plan into its workbook; what happened, as text."""
    from plangen.roundtrip.pull import pull

    def plain(text: str) -> str:
        text = text.replace(f"{job.docx}: ", f"{plan_name} ")
        return hide_path(hide_path(text, job.docx, plan_name), job.workbook, job.name)

    wrong = wrong_files(job, plan_name)
    if wrong:
        return {"refused": wrong, "retry": True}
    before, _ = view_plan(job.workbook, job.name)
    try:
        result = pull(job.docx, job.workbook)
    except PlangenError as exc:
        return {"refused": plain(str(exc)), "retry": True}
    return {
        "before": {"headline": before.headline, "glance": before.glance},
        "download": updated_name(job),
        "changes": [str(c) for c in result.changes],
        "conflicts": [plain(str(c)) for c in result.conflicts],
        "issues": [
            ("error" if i.severity is Severity.ERROR else "warning", plain(str(i)))
            for i in result.issues
        ],
        "notes": [plain(n) for n in result.notes],
        "written": result.written,
    }


async def form(request: Request) -> Response:
    return request.app.state.pages.render(request, "pull.html", outcome=None, job=None)


async def send(request: Request) -> Response:
    pages = request.app.state.pages
    data = await checked_form(request, max_files=2)
    plan, book = data.get("plan"), data.get("workbook")
    if not (isinstance(plan, UploadFile) and plan.filename) or not (
        isinstance(book, UploadFile) and book.filename
    ):
        return pages.message(
            request, "Two files are needed", "Choose the plan edited in Word and its workbook."
        )
    from plangen.web.routes import no_room

    try:
        job = request.app.state.workspace.new_upload(
            request.scope["state"]["session"],
            display_name(book.filename),
            (plan.size or 0) + (book.size or 0),
        )
    except Full:
        return no_room(request)
    for sent, target in ((plan, job.docx), (book, job.workbook)):
        with target.open("wb") as out:
            while chunk := await sent.read(CHUNK):
                out.write(chunk)
        await sent.close()
    try:
        outcome = await request.app.state.gate.run(
            run_pull, job, display_name(plan.filename, "plan.docx")
        )
    except BaseException:
        job.remove()
        raise
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
    name = outcome.get("download") or updated_name(job)
    return FileResponse(job.workbook, media_type=XLSX_TYPE, filename=name)


async def updated_plan(request: Request) -> Response:
    """Make the plan of the updated workbook (a new upload) and show it beside the old
    figures."""
    from plangen.web.routes import start_plan

    job, outcome = _job(request)
    await checked_form(request)
    if not outcome.get("written"):
        raise HTTPException(404)
    name = str(outcome.get("download") or updated_name(job))
    try:
        fresh = request.app.state.workspace.new_upload(
            request.scope["state"]["session"], name, job.workbook.stat().st_size
        )
    except Full:
        from plangen.web.routes import no_room

        return no_room(request)
    shutil.copyfile(job.workbook, fresh.workbook)
    (fresh.folder / "before.json").write_text(
        json.dumps(outcome.get("before") or {}), encoding="utf-8"
    )
    return await start_plan(request, fresh)


ROUTES = [
    Route("/pull", form),
    Route("/pull", send, methods=["POST"]),
    Route("/pull/{upload}", result),
    Route("/pull/{upload}/workbook", workbook),
    Route("/pull/{upload}/plan", updated_plan, methods=["POST"]),
]
