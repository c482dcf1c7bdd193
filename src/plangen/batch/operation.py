"""`run_batch`: the whole batch as one library call, the same for the command and the web.

It finds the workbooks, refuses a run whose outputs would land on a workbook, holds the
output folder's lock, builds (resuming: unchanged plans are skipped), writes the summary,
makes the PDFs and returns every result as data. `plangen batch` and the web dashboard
both call it, so both get the same lock and the same refusals; nothing here prints.
"""

from __future__ import annotations

import contextlib
import signal
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from plangen.batch.pdfs import PlanPdfs
from plangen.batch.run import EDITED, FAILED, INVALID, SKIPPED, Batch, FileResult
from plangen.batch.summary_table import write_summary
from plangen.batch.years import link_years
from plangen.errors import PlangenError


class BatchRefused(PlangenError):
    """The batch did not start: no workbook under the folder, or one of its outputs (the
    summary, a plan's PDF, the combined PDF) would land on a workbook or another output.
    Nothing was written."""


@dataclass
class BatchEvent:
    """What `run_batch` tells its `progress` callback, as it happens.

    `what` is `started` (`total` workbooks found, the folder is held), `result` (one more
    workbook done: `result`, `done` of `total`), `summary` (every plan is built and the
    summary written: `batch` holds the results so far) or `pdfs` (`total` plans go to PDF).
    """

    what: str
    total: int = 0
    done: int = 0
    result: FileResult | None = None
    batch: BatchResult | None = None


@dataclass
class BatchResult:
    """What a batch did: one `FileResult` per workbook (in the order they finished), the
    summary it wrote, the plans whose PDF failed (name -> why) and the combined PDF."""

    results: list[FileResult] = field(default_factory=list)
    summary_xlsx: Path | None = None
    summary_csv: Path | None = None
    pdf_failed: dict[str, str] = field(default_factory=dict)
    combined: Path | None = None
    cancelled: bool = False

    @property
    def ok(self) -> bool:
        """True when every plan is current and every PDF asked for was made."""
        return not self.cancelled and not self.pdf_failed and all(r.ok for r in self.results)

    def count(self, status: str) -> int:
        """How many workbooks ended with `status` (`built`, `skipped`, `invalid`, ...)."""
        return sum(r.status == status for r in self.results)

    def counts(self) -> dict[str, int]:
        """Workbooks per status, every status named (0 when none)."""
        statuses = ("built", SKIPPED, INVALID, FAILED, EDITED)
        return {s: self.count(s) for s in statuses}


def workers(jobs: int | None, pdf: bool) -> tuple[int, int]:
    """How many processes build plans and how many LibreOffices convert them. With PDFs,
    LibreOffice is the slow part (a plan converts in about 0.35 s and builds in 0.06 s),
    so unless `jobs` says otherwise plans are built in this process and every CPU gets a
    LibreOffice."""
    import os

    cpus = os.cpu_count() or 1
    if jobs:
        return jobs, jobs
    return (1, cpus) if pdf else (cpus, cpus)


def run_batch(
    source: Path,
    out: Path,
    *,
    jobs: int | None = None,
    force: bool = False,
    as_of: date | None = None,
    template: Path | None = None,
    pdf: bool = False,
    combine: bool = False,
    calendar: bool = False,
    progress: Callable[[BatchEvent], None] | None = None,
    stop: threading.Event | None = None,
) -> BatchResult:
    """Build the plan of every workbook under `source` into `out`, and the summary.

    Raises `BatchRefused` (nothing written) when there is no workbook or an output would
    land on a workbook (e.g. a district's `summary.xlsx` in `out`, or a plan whose PDF
    would be `all-plans.pdf` with `combine`); `OutputError` when another batch (a
    command or a web page) holds `out`. Unchanged plans are skipped unless `force`; a
    plan edited in Word is not replaced (status `edited`) unless `force`. With `pdf`,
    each plan's PDF beside it; with `combine`, also `out/all-plans.pdf`. `progress` is
    called with each `BatchEvent`. With `calendar`, each plan's dates as `<plan>.ics`
    beside it. When `stop` is set, the plans under way are finished
    and the run returns `cancelled` without a summary. SIGTERM stops the run like Ctrl-C
    (KeyboardInterrupt) when called from the main thread.
    """
    source, out = Path(source), Path(out)
    builders, converters = workers(jobs, pdf or combine)
    job = Batch(source, out, builders, force, as_of, template, calendar)
    if not job.workbooks:
        raise BatchRefused(f"no .xlsx or .xlsm workbooks found under {source}")
    collisions = job.collisions(combine)
    if collisions:
        raise BatchRefused("\n".join(collisions))
    tell = progress or (lambda event: None)
    with _sigterm_interrupts(), job.locked():
        return _run_locked(job, out, pdf or combine, combine, converters, tell, stop)


def _run_locked(
    job: Batch,
    out: Path,
    pdf: bool,
    combine: bool,
    converters: int,
    tell: Callable[[BatchEvent], None],
    stop: threading.Event | None,
) -> BatchResult:
    """The batch, its summary and PDFs, while this process holds the output folder."""
    done = BatchResult()
    total = len(job.workbooks)
    tell(BatchEvent("started", total=total))
    pdfs = PlanPdfs(converters) if pdf else None
    try:
        for result in job.run():
            done.results.append(result)
            if pdfs is not None:
                pdfs.add(result)
            tell(BatchEvent("result", total=total, done=len(done.results), result=result))
            if stop is not None and stop.is_set():
                done.cancelled = True
                break
        if done.cancelled:
            if pdfs is not None:
                pdfs.close(cancel=True)
            return done
        link_years(done.results)
        done.summary_xlsx, done.summary_csv = write_summary(done.results, out)
    except BaseException:
        if pdfs is not None:
            pdfs.close(cancel=True)
        raise
    tell(BatchEvent("summary", total=total, done=total, batch=done))
    if pdfs is not None:
        tell(BatchEvent("pdfs", total=sum(r.ok for r in done.results)))
        done.pdf_failed, done.combined = pdfs.finish(done.results, out, combine)
    return done


def _interrupt(signum: int, frame: Any) -> None:
    raise KeyboardInterrupt


@contextlib.contextmanager
def _sigterm_interrupts() -> Iterator[None]:
    """SIGTERM raises KeyboardInterrupt while the batch runs (its workers and
    LibreOffices are then stopped as for Ctrl-C); only the main thread can do so."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    before = signal.signal(signal.SIGTERM, _interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, before)
