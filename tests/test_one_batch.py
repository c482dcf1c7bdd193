"""`plangen batch` and the web dashboard are one operation (`run_batch`): the same refusals,
the same folder lock, the same definition of a plan edited in Word.

Real workbooks, a real `plangen batch` process, the real web app (Starlette's TestClient,
or `plangen serve` as a process) and a real LibreOffice open-and-save.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import example_copy
from starlette.testclient import TestClient
from web_server import free_port

from plangen.batch.operation import BatchRefused, run_batch
from plangen.pdf.convert import find_soffice
from plangen.web import ServeConfig, create_app

HELD = re.compile(r"another plangen batch \(process (\d+)\) is writing into this folder")


@contextlib.contextmanager
def dashboard_of(folder: Path, out: Path, work: Path) -> Iterator[TestClient]:
    """The web app serving `folder` into `out`, once its first build has ended."""
    app = create_app(ServeConfig(folder=folder, out_dir=out, workdir=work, pdf=False))
    with TestClient(app, base_url="http://127.0.0.1") as client:
        app.state.dashboard.wait(180)
        yield client


def test_serve_into_its_own_folder_leaves_a_district_summary_xlsx_alone(tmp_path: Path) -> None:
    folder = tmp_path / "plans"
    example_copy(folder / "north.xlsx")
    district = example_copy(folder / "summary.xlsx", kind="district")
    before = district.read_bytes()

    with dashboard_of(folder, folder, tmp_path / "w") as client:
        page = client.get("/dashboard").text

    assert district.read_bytes() == before
    assert "summary.xlsx is a workbook, and the batch summary summary.xlsx would replace it" in page
    assert not (folder / "north.docx").exists()  # refused before anything was written
    with pytest.raises(BatchRefused, match="would replace it"):
        run_batch(folder, folder, jobs=1)
    assert district.read_bytes() == before


def test_the_dashboard_refuses_a_plan_whose_pdf_would_be_the_combined_pdf(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    example_copy(folder / "all-plans.xlsx")
    with pytest.raises(BatchRefused, match="combined PDF of --combine"):
        run_batch(folder, tmp_path / "out", combine=True)
    assert not (tmp_path / "out").exists()


def many_workbooks(folder: Path, n: int = 24) -> None:
    for i in range(n):
        example_copy(folder / f"district{i:02}.xlsx", kind="district")


def lock_holder(out: Path) -> int | None:
    """The process holding `out`'s batch lock now, or None when nobody holds it."""
    lock = out / ".plangen-batch.lock"
    if not lock.exists():
        return None
    with lock.open("a+") as handle:
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            handle.seek(0)
            found = re.fullmatch(r"process (\d+)", handle.read().strip())
            return int(found.group(1)) if found else -1
        fcntl.flock(handle.fileno(), fcntl.LOCK_UN)
        return None


@contextlib.contextmanager
def paused_while_holding(proc: subprocess.Popen[str], out: Path) -> Iterator[None]:
    """Stop `proc` (SIGSTOP) once it holds `out`'s lock; let it go on afterwards."""
    deadline = time.monotonic() + 120
    while lock_holder(out) != proc.pid:
        assert proc.poll() is None, proc.communicate()[0]
        assert time.monotonic() < deadline, "the process never held the folder"
        time.sleep(0.005)
    os.kill(proc.pid, signal.SIGSTOP)
    try:
        assert lock_holder(out) == proc.pid, "it finished before it could be paused"
        yield
    finally:
        os.kill(proc.pid, signal.SIGCONT)


def plangen(*args: str | Path) -> list[str]:
    return [sys.executable, "-m", "plangen", *map(str, args)]


def test_a_batch_is_refused_while_serve_builds_into_the_same_folder(tmp_path: Path) -> None:
    folder, out = tmp_path / "in", tmp_path / "out"
    many_workbooks(folder)
    serve = subprocess.Popen(
        plangen("serve", folder, "-o", out, "--port", free_port()),
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip
    try:
        with paused_while_holding(serve, out):
            batch = subprocess.run(
                plangen("batch", folder, "-o", out), capture_output=True, text=True, timeout=120
            )
        assert batch.returncode == 1
        assert f"another plangen batch (process {serve.pid}) is writing" in batch.stderr
        assert "summary:" not in batch.stdout
    finally:
        serve.terminate()
        serve.communicate(timeout=120)


def test_serve_is_refused_while_a_batch_builds_into_the_same_folder(tmp_path: Path) -> None:
    folder, out = tmp_path / "in", tmp_path / "out"
    many_workbooks(folder)
    batch = subprocess.Popen(
        plangen("batch", folder, "-o", out, "-j", "1"),
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip
    try:
        with paused_while_holding(batch, out):
            before = {p.name: p.stat().st_mtime_ns for p in out.iterdir()}
            with dashboard_of(folder, out, tmp_path / "w") as client:
                page = client.get("/dashboard").text
                progress = client.get("/dashboard/progress").text
            after = {p.name: p.stat().st_mtime_ns for p in out.iterdir()}
        held = HELD.search(page)
        assert held and held.group(1) == str(batch.pid)
        assert HELD.search(progress)
        assert after == before  # the dashboard wrote nothing into the held folder
        output, _ = batch.communicate(timeout=300)
        assert batch.returncode == 0, output
        assert "24 workbooks: 24 built" in output
    finally:
        if batch.poll() is None:
            batch.kill()
            batch.communicate()


def soffice_docx(docx: Path, out_dir: Path) -> Path:
    """`docx` opened and saved as .docx by LibreOffice."""
    profile = out_dir / "profile"
    subprocess.run(
        [find_soffice(), f"-env:UserInstallation={profile.as_uri()}", "--headless",
         "--convert-to", "docx:MS Word 2007 XML", "--outdir", str(out_dir), str(docx)],
        check=True, capture_output=True, timeout=180,
    )  # fmt: skip
    return out_dir / docx.name


def test_a_plan_saved_unchanged_by_libreoffice_is_not_edited_on_the_dashboard(
    tmp_path: Path,
) -> None:
    folder, out = tmp_path / "in", tmp_path / "out"
    example_copy(folder / "maple.xlsx", kind="district")
    with dashboard_of(folder, out, tmp_path / "w") as client:
        assert ">built<" in client.get("/dashboard").text
        docx = out / "maple.docx"
        written = docx.read_bytes()
        saved = soffice_docx(docx, tmp_path / "lo")
        assert saved.read_bytes() != written  # other bytes, same content
        docx.write_bytes(saved.read_bytes())
        page = client.get("/dashboard").text
        assert 'class="badge built">built<' in page
        assert 'class="badge edited"' not in page
        assert "0 districts (filtered" in client.get("/dashboard?status=edited").text

    batch = subprocess.run(plangen("batch", folder, "-o", out), capture_output=True, text=True)
    assert batch.returncode == 0, batch.stdout + batch.stderr
    assert "skipped: maple.xlsx" in batch.stdout
    assert docx.read_bytes() == saved.read_bytes()  # unchanged workbook: kept as it is


def test_a_plan_edited_in_word_shows_edited_in_the_batch_summary_too(tmp_path: Path) -> None:
    from openpyxl import load_workbook
    from wordedit import WordEdit

    folder, out = tmp_path / "in", tmp_path / "out"
    example_copy(folder / "maple.xlsx", kind="district")
    assert subprocess.run(plangen("batch", folder, "-o", out), capture_output=True).returncode == 0
    edit = WordEdit(out / "maple.docx")
    edit.add_paragraph("A paragraph typed in Word.")
    edit.save()

    again = subprocess.run(plangen("batch", folder, "-o", out), capture_output=True, text=True)

    assert again.returncode == 1
    assert "1 edited in Word (not replaced)" in again.stdout
    rows = list(load_workbook(out / "summary.xlsx")["Summary"].values)
    assert rows[1][rows[0].index("Status")] == "edited"
