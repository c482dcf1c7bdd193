"""Word documents to PDF through LibreOffice, and PDFs joined into one.

With `office.py`, the only module that starts another program. It knows .docx and .pdf
files, nothing about plans but their charts: LibreOffice converts a copy in which the
charts plangen wrote are pictures (`document.chart_pictures`). `Converter` keeps up to N
LibreOffices running (warm) and converts documents as they are submitted, so a batch
converts its first plans while later ones are still being built, and the web page gets a
PDF without a LibreOffice start. Where LibreOffice's `uno` module is missing, one
LibreOffice start converts a whole chunk of documents instead (a start costs as much as
a plan or two), each with its own profile.
"""

from __future__ import annotations

import contextlib
import os
import queue
import shutil
import signal
import subprocess
import tempfile
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

import pikepdf
from pikepdf import PdfError

from plangen.document.chart_pictures import with_chart_pictures
from plangen.errors import ConversionError, OutputError
from plangen.files import atomic_write
from plangen.pdf.accessible import EXPORT_FILTER, combine, finish
from plangen.pdf.office import DocumentRefused, OfficeTimeout, WarmOffice, uno_python
from plangen.pdf.profile import new_profile

ENV_VAR = "PLANGEN_SOFFICE"
INSTALL_HINT = (
    "sudo apt-get install libreoffice-writer-nogui fonts-liberation fonts-dejavu "
    "fonts-crosextra-carlito fonts-crosextra-caladea (or: bash scripts/install.sh); "
    f"or set {ENV_VAR} to the soffice program"
)
# Load every input as Word 2007+ XML: otherwise LibreOffice opens a damaged .docx as
# plain text and "converts" it without complaint.
DOCX_FILTER = "MS Word 2007 XML"
DAMAGED_HINT = "open it in Word or LibreOffice to check it; rebuild it if it is damaged"


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


class Converter:
    """Converts .docx files to PDFs beside them, as they are submitted, `jobs` at a time.

    Each of the `jobs` threads owns a LibreOffice kept running between documents
    (restarted when it dies); without LibreOffice's `uno` module each document gets a
    LibreOffice start of its own. `timeout` (seconds) applies to each document. Use as a
    context manager, or call `close()`: it stops the LibreOffices.
    Raises ConversionError when LibreOffice is not installed.
    """

    def __init__(self, jobs: int = 1, timeout: float = 300) -> None:
        self.soffice = find_soffice()
        self.timeout = timeout
        self.jobs = max(1, jobs)
        python = uno_python()
        self.warm = python is not None
        self._offices = (
            [WarmOffice(self.soffice, python, timeout) for _ in range(self.jobs)] if python else []
        )
        self._free: queue.Queue[WarmOffice] = queue.Queue()
        for office in self._offices:
            self._free.put(office)
        # two threads an office: one finishes a PDF while the other keeps the office busy
        threads = 2 * self.jobs if self._offices else self.jobs
        self._pool = ThreadPoolExecutor(max_workers=threads, thread_name_prefix="plangen-pdf")

    def __enter__(self) -> Converter:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def start(self) -> None:
        """Start the LibreOffices in the background, so the first document need not wait."""
        for office in self._offices:
            self._pool.submit(_quietly, office.start)

    def submit(self, docx: Path) -> Future[Path]:
        """Convert `docx` in the background; the future gives the PDF or raises
        ConversionError."""
        return self._pool.submit(self.convert, Path(docx))

    def convert(self, docx: Path, timeout: float | None = None) -> Path:
        """Write the PDF beside `docx` and return it; raise ConversionError when it fails
        (OfficeTimeout past `timeout` seconds, the converter's own when None)."""
        docx = Path(docx)
        seconds = self.timeout if timeout is None else timeout
        if not docx.is_file():
            raise ConversionError(f"{docx}: no such file")
        if not self._offices:
            outcome = _convert_chunk(self.soffice, [docx], seconds)[docx]
        else:
            with tempfile.TemporaryDirectory(prefix="plangen-pdf-") as work:
                made = Path(work) / (docx.stem + ".pdf")
                self._in_office(docx, _with_pictures(docx, Path(work)), made, seconds)
                outcome = _collect(docx, made)  # while that LibreOffice does the next one
        if isinstance(outcome, ConversionError):
            raise outcome
        return outcome

    def _in_office(self, docx: Path, source: Path, made: Path, seconds: float) -> None:
        """Have a free LibreOffice write `made` from `source` (`docx` or its copy for the
        PDF; none made when it refuses it: `_collect` says so), and give it back at once."""
        office = self._take()
        try:
            office.convert(source, made, seconds)
        except DocumentRefused:
            pass
        except OfficeTimeout:
            raise
        except ConversionError as exc:
            raise ConversionError(
                str(exc).replace(str(source.resolve()), str(docx)), DAMAGED_HINT
            ) from None
        finally:
            self._give_back(office)

    def close(self, cancel: bool = False) -> None:
        """Wait for submitted documents, then stop every LibreOffice. With `cancel`, stop
        them at once: documents under way fail, those waiting are never started."""
        if cancel:
            for office in self._offices:
                office.abort()
        self._pool.shutdown(wait=True, cancel_futures=cancel)
        for office in self._offices:
            office.close()

    def _take(self) -> WarmOffice:
        """A LibreOffice not in use; waits for one when all are busy."""
        return self._free.get()

    def _give_back(self, office: WarmOffice) -> None:
        self._free.put(office)


def _quietly(start: Callable[[], object]) -> None:
    with contextlib.suppress(ConversionError):
        start()


def convert_many(
    docx_paths: list[Path], jobs: int = 1, timeout: float = 300
) -> dict[Path, Path | ConversionError]:
    """Convert each .docx to a .pdf beside it; map each given path to its PDF or error.

    Up to `jobs` LibreOffices convert at the same time (kept warm, see `Converter`);
    where LibreOffice's `uno` module is missing, the list is split into `jobs` chunks,
    each converted by one LibreOffice start, the chunks in parallel. `timeout` (seconds)
    applies to each document (to each chunk without `uno`): past it, that LibreOffice is
    killed. Each PDF is checked to have a page and written atomically; a failed one
    leaves any older PDF as it was. Raises ConversionError when LibreOffice is not
    installed.
    """
    if not docx_paths:
        return {}
    soffice = find_soffice()
    if uno_python() is not None:
        with Converter(min(jobs, len(docx_paths)), timeout) as converter:
            futures = {path: converter.submit(path) for path in docx_paths}
            return {path: _outcome(future) for path, future in futures.items()}
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


def _outcome(future: Future[Path]) -> Path | ConversionError:
    """The PDF of a finished conversion, or its error."""
    try:
        return future.result()
    except ConversionError as exc:
        return exc


def to_pdf(docx: Path, timeout: float = 300) -> Path:
    """Convert one .docx to the .pdf beside it; return that path or raise ConversionError."""
    outcome = convert_many([docx], timeout=timeout)[docx]
    if isinstance(outcome, ConversionError):
        raise outcome
    return outcome


def combine_pdfs(
    items: list[tuple[str, Path]], target: Path, title: str = "Coaching Service Delivery Plans"
) -> Path:
    """Write one PDF of all `items` (title, pdf) in order, one bookmark per title; tagged
    like its plans (each plan a part of its structure), `title` shown as its title.

    Written atomically to `target`, which is returned. Raises ConversionError when an
    item is not a readable PDF, OutputError when `target` cannot be written.
    """
    for _, path in items:
        try:
            with pikepdf.open(path) as pdf:
                pdf.pages[0]  # a readable PDF with a page
        except (OSError, PdfError, ValueError, IndexError) as exc:
            raise ConversionError(f"{path}: not a readable PDF ({exc})") from None
    with atomic_write(Path(target)) as tmp:
        try:
            combine(items, Path(tmp), title)
        except PdfError as exc:
            raise ConversionError(f"the PDFs could not be joined ({exc})") from None
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
        profile = new_profile(Path(work) / "profile", soffice)
        for i, group in enumerate(_rounds(chunk)):
            outdir, copies = Path(work) / f"out{i}", Path(work) / f"in{i}"
            outdir.mkdir()
            copies.mkdir()
            sources = [_with_pictures(docx, copies) for docx in group]
            failure = _run(soffice, profile, outdir, sources, timeout)
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
        EXPORT_FILTER,  # tagged, PDF/UA-1
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


def _with_pictures(docx: Path, folder: Path) -> Path:
    """What LibreOffice converts for `docx`: its copy in `folder` with plangen's charts as
    pictures (a third less work), or `docx` itself when it has none."""
    copy = folder / Path(docx).name
    return copy if with_chart_pictures(Path(docx), copy) else Path(docx)


def _kill_group(proc: subprocess.Popen[bytes]) -> None:
    """Kill LibreOffice and every process it started, then reap it."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGKILL)
    proc.communicate()


def _collect(docx: Path, made: Path) -> Path | ConversionError:
    """Move the PDF LibreOffice `made` beside `docx`, once it is finished
    (`accessible.finish`) and has a page."""
    if not made.is_file():
        return ConversionError(
            f"{docx}: LibreOffice could not convert it to PDF (not a readable Word document?)",
            "open it in Word or LibreOffice to check it; rebuild it if it is damaged",
        )
    target = Path(docx).with_suffix(".pdf")
    try:
        with atomic_write(target) as tmp:
            # with the text alternatives and row headers LibreOffice leaves out
            if finish(made, docx, tmp) == 0:
                raise _NoPages
    except _NoPages:
        return ConversionError(f"{docx}: LibreOffice wrote a PDF with no pages")
    except (PdfError, ValueError) as exc:
        return ConversionError(f"{docx}: its PDF could not be read or finished ({exc})")
    except OutputError as exc:
        return ConversionError(str(exc), exc.hint)
    return target


class _NoPages(Exception):
    """LibreOffice's PDF has no page: nothing is put in place."""


def page_images(pdf: Path, folder: Path, dpi: int = 50, timeout: float = 60) -> list[Path]:
    """PNG images of `pdf`'s pages (`folder/page-1.png`, ...; poppler's `pdftoppm`).

    Drawn in a temporary folder beside `folder`, then moved into place, so a reader never
    sees half an image. Returns [] when pdftoppm is not installed or fails: previews are
    a convenience.
    """
    program = shutil.which("pdftoppm")
    if program is None:
        return []
    folder.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f".{folder.name}.", dir=folder.parent))
    try:
        subprocess.run(
            [program, "-png", "-r", str(dpi), str(pdf), str(work / "page")],
            stdin=subprocess.DEVNULL,
            capture_output=True,
            timeout=timeout,
            check=True,
        )
        shutil.rmtree(folder, ignore_errors=True)
        os.replace(work, folder)
    except (OSError, subprocess.SubprocessError):
        return []
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return sorted(folder.glob("page-*.png"), key=lambda p: int(p.stem.rsplit("-", 1)[1]))
