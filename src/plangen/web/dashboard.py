"""The TA-center dashboard: every workbook under a folder as `plangen batch` sees it.

The plans are built by `plangen.batch.operation.run_batch`, the very call of `plangen
batch` (the same folder lock, the same refusals; resumable: unchanged workbooks are
skipped), in a background thread; the page reads its progress and results.
Each visit looks at the folder again (`refresh`): a workbook added, changed (by content)
or removed starts a run, so the page is never stale.
"""

from __future__ import annotations

import threading
import time
import zipfile
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from plangen.batch.operation import BatchEvent, run_batch
from plangen.batch.run import BUILT, SKIPPED, FileResult, find_workbooks, sha256
from plangen.errors import PlangenError, Severity
from plangen.roundtrip.protect import word_edits
from plangen.web.plans import colour

EDITED = "edited"
COLUMNS = (
    ("district", "District"),
    ("kind", "Plan kind"),
    ("percent", "Adherence"),
    ("on_track", "On track"),
    ("as_of", "Figures as of"),
    ("last_review", "Last review"),
    ("next_review", "Next review due"),
    ("overdue", "Supports overdue"),
    ("status", "Status"),
)
STATUSES = ("built", EDITED, "invalid", "failed")
COLOURS = ("red", "amber", "green", "none")
STATUS_WORDS = {
    BUILT: "built",
    SKIPPED: "unchanged",
    EDITED: "edited in Word, kept",
    "invalid": "not valid",
    "failed": "failed",
}
"""How the rebuild summary names each outcome of the batch engine."""


@dataclass
class Row:
    """One workbook on the dashboard."""

    name: str
    district: str
    kind: str
    percent: float | None
    on_track: str
    last_review: str
    next_review: str
    overdue: int | None
    status: str
    problem: str
    as_of: str = ""
    problems: int = 0
    """How many errors the workbook has (`problem` is the first, in full)."""
    prior_period: str = ""
    """Last year's plan of the district (its years), when it is in the folder."""
    prior_percent: float | None = None
    """Last year's final adherence figure."""

    @property
    def colour(self) -> str:
        return colour(self.percent)

    @property
    def review_overdue(self) -> bool:
        """True when the next review's due date has passed (today)."""
        return bool(self.next_review) and self.next_review < date.today().isoformat()

    @property
    def attention(self) -> bool:
        """Needs someone: not valid, failed, edited in Word, or a review overdue."""
        return self.status != "built" or self.review_overdue

    @property
    def label(self) -> str:
        """The district's name, or the file's when the workbook names none."""
        return self.district or self.name

    @property
    def change(self) -> str:
        """This year's adherence against last year's final figure, e.g. `+12 points`."""
        if self.percent is None or self.prior_percent is None:
            return ""
        points = self.percent - self.prior_percent
        return f"{points:+g} point{'s' * (abs(points) != 1)}" if points else "no change"


@dataclass
class Progress:
    """Where the current (or last) run of the batch engine is."""

    running: bool = False
    done: int = 0
    total: int = 0
    forced: bool = False
    error: str = ""
    started: float = 0.0
    finished: float = 0.0
    results: dict[str, FileResult] = field(default_factory=dict)
    current: dict[str, FileResult] = field(default_factory=dict)
    """This run's results so far (`results` also holds earlier runs' rows)."""

    def counts(self) -> list[tuple[str, int]]:
        """This run's outcomes in words with their counts, e.g. [("built", 3), ...];
        they add up to `done`."""
        found = Counter(r.status for r in self.current.values())
        return [(STATUS_WORDS.get(k, k), n) for k, n in found.items() if n]


class Dashboard:
    """The workbooks under `folder`, their plans in `out_dir` (kept between runs)."""

    def __init__(self, folder: Path, out_dir: Path, jobs: int | None = None) -> None:
        self.folder, self.out_dir, self.jobs = Path(folder), Path(out_dir), jobs
        self._lock = threading.Lock()
        self._progress = Progress()
        self._thread: threading.Thread | None = None
        self._stopping = threading.Event()
        self._verdicts: dict[tuple[str, int, int, int, int], bool] = {}
        self._hashes: dict[tuple[str, int, int], str] = {}
        self._seen: dict[str, str] = {}
        """Each workbook's name and content hash as the last run found them."""

    def refresh(self) -> bool:
        """Look at the folder again: when a workbook was added, changed (its content) or
        removed since the last run, forget the removed ones and start a run. True when a
        run is going."""
        if self.progress().running:
            return True
        now = self._scan()
        if now == self._seen:
            return False
        with self._lock:
            for name in set(self._progress.results) - set(now):
                del self._progress.results[name]
        return self.start()

    def _scan(self) -> dict[str, str]:
        """Every workbook under the folder by name, with its content hash (cached by
        size and modification time, so an unchanged folder costs one stat a file)."""
        found = {}
        try:
            paths = find_workbooks(self.folder, exclude=self.out_dir)
        except (OSError, PlangenError):
            return dict(self._seen)
        for path in paths:
            try:
                st = path.stat()
            except OSError:
                continue
            key = (str(path), st.st_mtime_ns, st.st_size)
            if key not in self._hashes:
                try:
                    self._hashes[key] = sha256(path)
                except OSError:
                    continue
            found[path.relative_to(self.folder).as_posix()] = self._hashes[key]
        return found

    def start(self, force: bool = False) -> bool:
        """Build the plans in the background (`force`: even unchanged ones); False when a
        run is already going."""
        with self._lock:
            if self._progress.running:
                return False
            kept = self._progress.results
            self._progress = Progress(running=True, forced=force, started=time.time())
            self._progress.results = kept
            self._thread = threading.Thread(target=self._run, args=(force,), daemon=True)
            self._thread.start()
            return True

    def stop(self) -> None:
        """Stop the run after the plans under way (the server is stopping)."""
        self._stopping.set()

    def wait(self, seconds: float | None = None) -> None:
        """Wait for the current run to end (tests and shutdown)."""
        if self._thread is not None:
            self._thread.join(seconds)

    def progress(self) -> Progress:
        """A copy of the current progress."""
        with self._lock:
            p = self._progress
            return Progress(
                p.running, p.done, p.total, p.forced, p.error, p.started, p.finished,
                dict(p.results), dict(p.current),
            )  # fmt: skip

    def _run(self, force: bool) -> None:
        try:
            seen = self._scan()
            done = run_batch(
                self.folder, self.out_dir, jobs=self.jobs, force=force,
                progress=self._note, stop=self._stopping,
            )  # fmt: skip
            if not done.cancelled:
                with self._lock:  # workbooks gone from the folder leave the page
                    p = self._progress
                    p.results = {k: v for k, v in p.results.items() if k in p.current}
                self._seen = seen
        except PlangenError as exc:  # refused (an output on a workbook), or folder held
            with self._lock:
                self._progress.error = str(exc)
            self._seen = seen  # shown until the folder changes or Build is pressed
        except Exception as exc:  # the page must say so, not hang
            with self._lock:
                self._progress.error = f"the batch stopped: {type(exc).__name__}: {exc}"
        finally:
            with self._lock:
                self._progress.running = False
                self._progress.finished = time.time()

    def _note(self, event: BatchEvent) -> None:
        """Keep what `run_batch` reports for the progress page."""
        with self._lock:
            if event.what == "started":
                self._progress.total = event.total
            elif event.what == "result" and event.result is not None:
                self._progress.results[event.result.name] = event.result
                self._progress.current[event.result.name] = event.result
                self._progress.done = event.done

    def result(self, name: str) -> FileResult | None:
        """The latest result of the workbook called `name` (its path below the folder)."""
        with self._lock:
            return self._progress.results.get(name)

    def rows(
        self,
        sort: str = "district",
        descending: bool = False,
        query: str = "",
        status: str = "",
        colour: str = "",
        kind: str = "",
        attention: bool = False,
        every: list[Row] | None = None,
    ) -> list[Row]:
        """The dashboard's rows (of `every`, when `all_rows` was already asked), filtered
        by text `query`, `status`, adherence `colour`, plan `kind` and `attention` (only
        those needing someone), sorted by `sort`."""
        rows = self.all_rows() if every is None else list(every)
        if query:
            q = query.casefold()
            rows = [r for r in rows if q in f"{r.district} {r.name} {r.kind}".casefold()]
        if status:
            rows = [r for r in rows if r.status == status]
        if colour:
            rows = [r for r in rows if r.colour == colour]
        if kind:
            rows = [r for r in rows if r.kind == kind]
        if attention:
            rows = [r for r in rows if r.attention]
        key = sort if sort in dict(COLUMNS) else "district"
        present = [r for r in rows if getattr(r, key) not in (None, "")]
        missing = [r for r in rows if getattr(r, key) in (None, "")]
        present.sort(key=lambda r: (_sortable(getattr(r, key)), r.name.casefold()))
        if descending:
            present.reverse()
        return present + sorted(missing, key=lambda r: r.name.casefold())

    def all_rows(self) -> list[Row]:
        """Every workbook's row, unfiltered, in the folder's order."""
        return [self._row(r) for r in self.progress().results.values()]

    def summary_file(self, suffix: str) -> Path | None:
        """The batch summary (`.xlsx` or `.csv`) in the plans folder; None when not there."""
        path = self.out_dir / f"summary{suffix}"
        return path if suffix in (".xlsx", ".csv") and path.is_file() else None

    def zip_plans(self, target: Path) -> int:
        """Write every built plan (.docx) into the zip `target`, each under its workbook's
        name; how many went in."""
        count = 0
        with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
            for result in self.progress().results.values():
                if result.output.is_file():
                    archive.write(result.output, Path(result.name).with_suffix(".docx").as_posix())
                    count += 1
        return count

    def _row(self, result: FileResult) -> Row:
        f: dict[str, Any] = result.figures
        errors = [i for i in result.issues if i.severity is Severity.ERROR]
        status = "built" if result.status in (BUILT, SKIPPED) else result.status
        if status == "built" and self.edited(result):
            status = EDITED
        return Row(
            name=result.name,
            district=str(f.get("district") or ""),
            kind=str(f.get("kind") or ""),
            percent=f.get("percent"),
            on_track=str(f.get("on_track") or ""),
            last_review=str(f.get("last_review") or ""),
            next_review=str(f.get("next_review") or ""),
            overdue=f.get("overdue"),
            status=status,
            problem=str(errors[0]) if errors else "",
            as_of=str(f.get("as_of") or ""),
            problems=len(errors),
            prior_period=str(f.get("prior_period") or ""),
            prior_percent=f.get("prior_percent"),
        )

    def edited(self, result: FileResult) -> bool:
        """True when the plan of `result` was edited in Word since the batch wrote it, by
        the definition a rebuild uses (`roundtrip.protect.word_edits`: content, not
        bytes); remembered while neither the document nor its workbook changes."""
        try:
            docx, book = result.output.stat(), result.workbook.stat()
        except OSError:
            return False
        key = (str(result.output), docx.st_mtime_ns, docx.st_size, book.st_mtime_ns, book.st_size)
        if key not in self._verdicts:
            written = result.figures.get("docx_sha256")
            self._verdicts[key] = word_edits(result.output, result.workbook, written) is not None
        return self._verdicts[key]


def _sortable(value: Any) -> Any:
    return value.casefold() if isinstance(value, str) else value
