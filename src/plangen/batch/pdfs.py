"""PDFs of a batch's plans, made while the batch is still building later plans.

Kept apart from `batch.py` (which knows nothing of PDF): `PlanPdfs.add` takes each
`FileResult` as the batch yields it and hands its .docx to LibreOffices kept running
(`pdf.Converter`).
"""

from __future__ import annotations

from concurrent.futures import Future
from pathlib import Path
from typing import Any

from plangen.batch.run import FileResult
from plangen.errors import PlangenError


class PlanPdfs:
    """The PDFs of a batch's plans, converted while later plans are still being built.

    `add` each result as the batch yields it: a good plan whose PDF is older than its
    .docx goes to LibreOffices kept running (`pdf.Converter`, `jobs` of them). Without
    LibreOffice's `uno` module the plans wait for `finish`, where one LibreOffice start
    converts each of `jobs` chunks (`pdf.convert_many`). `finish` waits for every PDF
    and, with `combine`, joins them into `out_dir/all-plans.pdf`.
    """

    def __init__(self, jobs: int = 1) -> None:
        self.jobs = jobs
        self._converter: Any = None
        self._unavailable: PlangenError | None = None
        self._pending: dict[Path, Future[Path]] = {}
        self._later: list[Path] = []
        converter = self._start()
        if converter is not None:
            converter.start()  # LibreOffice starts while the first plans are built

    def add(self, result: FileResult) -> None:
        """Start converting `result`'s plan unless it failed or its PDF is current."""
        if not result.ok or _pdf_current(result.output):
            return
        converter = self._start()
        if converter is not None and converter.warm:
            self._pending[result.output] = converter.submit(result.output)
        elif converter is not None and result.output not in self._later:
            self._later.append(result.output)

    def close(self, cancel: bool = False) -> None:
        """Stop the LibreOffices (after the documents under way; `cancel`: drop the rest)."""
        if self._converter is not None:
            self._converter.close(cancel)

    def _start(self) -> Any:
        from plangen.pdf.convert import Converter

        if self._converter is None and self._unavailable is None:
            try:
                self._converter = Converter(self.jobs)
            except PlangenError as exc:
                self._unavailable = exc
        return self._converter

    def finish(
        self, results: list[FileResult], out_dir: Path, combine: bool = False
    ) -> tuple[dict[str, str], Path | None]:
        """Wait for every PDF. Returns the workbooks whose PDF failed (name -> why) and
        the combined PDF (None when not asked for or no plan could be converted).
        Raises ConversionError when LibreOffice is not installed."""
        from plangen.pdf.convert import combine_pdfs, convert_many

        try:
            for result in results:
                if result.output not in self._pending:
                    self.add(result)
            if self._unavailable is not None:
                raise self._unavailable
            for docx, outcome in convert_many(self._later, self.jobs).items():
                self._pending[docx] = _done(outcome)
            good = sorted((r for r in results if r.ok), key=lambda r: r.name.lower())
            pdfs: dict[Path, Path] = {}
            failed: dict[str, str] = {}
            for r in good:
                future = self._pending.get(r.output)
                try:
                    pdfs[r.output] = (
                        future.result() if future is not None else r.output.with_suffix(".pdf")
                    )
                except PlangenError as exc:
                    failed[r.name] = str(exc)
        finally:
            self.close()
        combined = None
        if combine:
            items = [
                (str(r.figures.get("district") or r.name), pdfs[r.output])
                for r in good
                if r.output in pdfs
            ]
            if items:
                combined = combine_pdfs(items, Path(out_dir) / "all-plans.pdf")
        return failed, combined


def _done(outcome: Path | PlangenError) -> Future[Path]:
    """A finished future holding `outcome` (a PDF, or the error raised for it)."""
    future: Future[Path] = Future()
    if isinstance(outcome, PlangenError):
        future.set_exception(outcome)
    else:
        future.set_result(outcome)
    return future


def _pdf_current(docx: Path) -> bool:
    """True when the PDF beside `docx` is at least as new as `docx` and tagged (a PDF
    made before plangen wrote tagged PDF/UA is made again)."""
    from plangen.pdf.accessible import is_tagged

    pdf = docx.with_suffix(".pdf")
    try:
        newer = pdf.stat().st_mtime_ns >= docx.stat().st_mtime_ns
    except OSError:
        return False
    return newer and is_tagged(pdf)

