"""Word documents to PDF through LibreOffice, and PDFs joined into one.

The only module that starts another program. It knows .docx and .pdf files, nothing
about plans. One LibreOffice start converts a whole chunk of documents (a start costs
seconds); chunks run in parallel, each LibreOffice with its own temporary profile.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from pypdf import PdfReader, PdfWriter
from pypdf.errors import PyPdfError

from plangen.errors import ConversionError, OutputError
from plangen.files import atomic_write

ENV_VAR = "PLANGEN_SOFFICE"
INSTALL_HINT = (
    "sudo apt-get install libreoffice-writer-nogui fonts-liberation fonts-dejavu "
    "fonts-crosextra-carlito fonts-crosextra-caladea (or: bash scripts/install.sh); "
    f"or set {ENV_VAR} to the soffice program"
)
# Load every input as Word 2007+ XML: otherwise LibreOffice opens a damaged .docx as
# plain text and "converts" it without complaint.
DOCX_FILTER = "MS Word 2007 XML"


def find_soffice() -> str:
    """The LibreOffice program: `$PLANGEN_SOFFICE`, else `soffice` or `libreoffice` on PATH.

    Raises ConversionError (with the install hint) when none is found.
    """
    wanted = os.environ.get(ENV_VAR)
    if wanted:
        found = shutil.which(wanted)
        if found is None:
            raise ConversionError(
                f"LibreOffice not found: {ENV_VAR}={wanted} is not a program that can be run",
                INSTALL_HINT,
            )
        return found
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return found
    raise ConversionError(
        "LibreOffice not found (no soffice or libreoffice on PATH); it is needed for PDF",
        INSTALL_HINT,
    )


def convert_many(
    docx_paths: list[Path], jobs: int = 1, timeout: float = 300
) -> dict[Path, Path | ConversionError]:
    """Convert each .docx to a .pdf beside it; map each given path to its PDF or error.

    The list is split into `jobs` chunks, each converted by one LibreOffice start, the
    chunks in parallel. `timeout` (seconds) applies to each chunk: past it, that
    LibreOffice is killed and all of its chunk's documents fail. Each PDF is checked to
    open with pypdf and written atomically; a failed one leaves any older PDF as it was.
    Raises ConversionError when LibreOffice is not installed.
    """
    if not docx_paths:
        return {}
    soffice = find_soffice()
    results: dict[Path, Path | ConversionError] = {}
    todo: list[Path] = []
    for path in docx_paths:
        if not Path(path).is_file():
            results[path] = ConversionError(f"{path}: no such file")
        else:
            todo.append(path)
    chunks = _chunks(todo, max(1, jobs))
    with ThreadPoolExecutor(max_workers=len(chunks) or 1) as pool:
        for done in pool.map(lambda chunk: _convert_chunk(soffice, chunk, timeout), chunks):
            results.update(done)
    return {path: results[path] for path in docx_paths}


def to_pdf(docx: Path, timeout: float = 300) -> Path:
    """Convert one .docx to the .pdf beside it; return that path or raise ConversionError."""
    outcome = convert_many([docx], timeout=timeout)[docx]
    if isinstance(outcome, ConversionError):
        raise outcome
    return outcome


def combine_pdfs(items: list[tuple[str, Path]], target: Path) -> Path:
    """Write one PDF of all `items` (title, pdf) in order, one bookmark per title.

    Written atomically to `target`, which is returned. Raises ConversionError when an
    item is not a readable PDF, OutputError when `target` cannot be written.
    """
    writer = PdfWriter()
    for title, path in items:
        start = len(writer.pages)
        try:
            writer.append(str(path), import_outline=False)
        except (OSError, PyPdfError, ValueError) as exc:
            raise ConversionError(f"{path}: not a readable PDF ({exc})") from None
        writer.add_outline_item(title=title, page_number=start)
    writer.page_mode = "/UseOutlines"
    with atomic_write(Path(target)) as tmp, open(tmp, "wb") as out:
        writer.write(out)
    return Path(target)


def _chunks(paths: list[Path], jobs: int) -> list[list[Path]]:
    """`paths` in at most `jobs` contiguous chunks of nearly equal size."""
    n = min(jobs, len(paths))
    size, extra = divmod(len(paths), n) if n else (0, 0)
    chunks, start = [], 0
    for i in range(n):
        end = start + size + (i < extra)
        chunks.append(paths[start:end])
        start = end
    return chunks


def _rounds(paths: list[Path]) -> list[list[Path]]:
    """Split `paths` so no round holds two files of the same name (their PDFs would clash)."""
    rounds: list[list[Path]] = []
    for path in paths:
        for group in rounds:
            if all(Path(p).stem != Path(path).stem for p in group):
                group.append(path)
                break
        else:
            rounds.append([path])
    return rounds


def _convert_chunk(
    soffice: str, chunk: list[Path], timeout: float
) -> dict[Path, Path | ConversionError]:
    """Convert `chunk` with one LibreOffice profile (one start per round of unique names)."""
    results: dict[Path, Path | ConversionError] = {}
    with tempfile.TemporaryDirectory(prefix="plangen-pdf-") as work:
        profile = Path(work) / "profile"
        for i, group in enumerate(_rounds(chunk)):
            outdir = Path(work) / f"out{i}"
            outdir.mkdir()
            failure = _run(soffice, profile, outdir, group, timeout)
            for docx in group:
                results[docx] = failure or _collect(docx, outdir / (Path(docx).stem + ".pdf"))
    return results


def _run(
    soffice: str, profile: Path, outdir: Path, docs: list[Path], timeout: float
) -> ConversionError | None:
    """Run one LibreOffice over `docs` into `outdir`; an error when it failed as a whole."""
    command = [
        soffice,
        "--headless",
        "--norestore",
        "--nologo",
        "--nolockcheck",
        f"-env:UserInstallation={profile.as_uri()}",
        f"--infilter={DOCX_FILTER}",
        "--convert-to",
        "pdf:writer_pdf_Export",
        "--outdir",
        str(outdir),
        *(str(Path(d).resolve()) for d in docs),
    ]
    try:
        proc = subprocess.Popen(
            command,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            start_new_session=True,
        )
    except OSError as exc:
        return ConversionError(f"LibreOffice could not be started: {exc}", INSTALL_HINT)
    try:
        proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        _kill_group(proc)
        return ConversionError(
            f"LibreOffice did not finish within {timeout:g} s; no PDF was written",
            "try again with fewer documents per run, or a longer time-out",
        )
    except BaseException:
        _kill_group(proc)
        raise
    return None


def _kill_group(proc: subprocess.Popen[bytes]) -> None:
    """Kill LibreOffice and every process it started, then reap it."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGKILL)
    proc.communicate()


def _collect(docx: Path, made: Path) -> Path | ConversionError:
    """Move the PDF LibreOffice `made` beside `docx`, once it opens with pypdf."""
    if not made.is_file():
        return ConversionError(
            f"{docx}: LibreOffice could not convert it to PDF (not a readable Word document?)",
            "open it in Word or LibreOffice to check it; rebuild it if it is damaged",
        )
    try:
        pages = len(PdfReader(made).pages)
    except (OSError, PyPdfError, ValueError) as exc:
        return ConversionError(f"{docx}: LibreOffice wrote a broken PDF ({exc})")
    if pages == 0:
        return ConversionError(f"{docx}: LibreOffice wrote a PDF with no pages")
    target = Path(docx).with_suffix(".pdf")
    try:
        with atomic_write(target) as tmp:
            shutil.move(made, tmp)
    except OutputError as exc:
        return ConversionError(str(exc), exc.hint)
    return target
