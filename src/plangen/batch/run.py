"""Building the plans of every workbook in a folder: workers, resumable outputs, results.

`Batch` finds the workbooks, skips those unchanged since their last good build (the
manifest `OUTDIR/.plangen-batch.json`), builds the rest in worker processes and yields
one `FileResult` per workbook as it finishes. One bad workbook never stops the others.
Nothing here prints; `cli.py` shows the progress.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import multiprocessing
import os
import re
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from plangen.errors import Issue, OutputError, PlangenError, error
from plangen.figures.view import view_of
from plangen.files import atomic_write, link_inside, process_alive, remove_stale_parts
from plangen.roundtrip.protect import word_edits
from plangen.roundtrip.pull import KEPT_COPY
from plangen.version import __version__

MANIFEST = ".plangen-batch.json"
JOURNAL = ".plangen-batch.journal"
LOCK = ".plangen-batch.lock"
SUMMARY_NAMES = ("summary.xlsx", "summary.csv")
COMBINED_NAME = "all-plans.pdf"
BUILT, SKIPPED, INVALID, FAILED = "built", "skipped", "invalid", "failed"
EDITED = "edited"
"""The plan's document was edited in Word since plangen wrote it: not replaced."""


@dataclass
class FileResult:
    """What happened to one workbook.

    `status` is `built`, `skipped` (unchanged since its last good build; its document is
    there), `invalid` (the workbook has errors), `edited` (its document was edited in
    Word since plangen wrote it, so it was not replaced) or `failed` (unreadable, or the
    plan could not be made). `kept` is where an edited document replaced with `force`
    was kept. `figures` holds the summary columns, JSON-ready (dates as ISO text).
    """

    workbook: Path
    name: str
    output: Path
    status: str
    issues: list[Issue] = field(default_factory=list)
    figures: dict[str, Any] = field(default_factory=dict)
    key: str = ""
    kept: Path | None = None

    @property
    def ok(self) -> bool:
        """True when the plan's document exists and is current (built or skipped)."""
        return self.status in (BUILT, SKIPPED)


def find_workbooks(folder: Path, exclude: Path | None = None) -> list[Path]:
    """Every .xlsx and .xlsm under `folder`, sorted; no Office lock files (`~$a.xlsx`), no hidden
    files or folders, nothing inside `exclude` (the output folder), no summary plangen
    wrote (anywhere under `folder`).

    Symlinked sub-folders are followed, each real folder once (a link back up is no loop).
    """
    folder = Path(folder)
    skip = exclude.resolve() if exclude is not None else None
    if skip is not None and skip == folder.resolve():
        skip = None  # plans beside their workbooks: leave out only plangen's own files
    ours = own_summary(exclude) if exclude is not None else None
    found = []
    seen_dirs: set[tuple[int, int]] = set()
    for root, dirs, files in os.walk(folder, followlinks=True):
        with contextlib.suppress(OSError):
            info = os.stat(root)
            if (info.st_dev, info.st_ino) in seen_dirs:
                dirs[:] = []
                continue
            seen_dirs.add((info.st_dev, info.st_ino))
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in files:
            path = Path(root) / name
            if path.suffix.lower() not in (".xlsx", ".xlsm") or name.startswith(("~$", ".")):
                continue
            if not path.is_file():
                continue
            if KEPT_COPY.search(path.stem):  # a workbook's copy kept by plangen pull
                continue
            resolved = path.resolve()
            if resolved == ours or (skip is not None and resolved.is_relative_to(skip)):
                continue
            if name.lower() == SUMMARY_NAMES[0] and own_summary(path.parent) == resolved:
                continue  # the summary of an earlier batch into this folder
            found.append(path)
    return sorted(found, key=lambda p: p.relative_to(folder).as_posix().lower())


def own_summary(out_dir: Path) -> Path | None:
    """`out_dir/summary.xlsx` when plangen wrote it, so a re-run into the input folder
    does not take it for a district's workbook: its sha256 is in the manifest, or (an
    older plangen's) its sheet "Summary" starts with the columns File and District."""
    path = Path(out_dir) / SUMMARY_NAMES[0]
    if not path.is_file():
        return None
    with contextlib.suppress(OSError, ValueError, AttributeError):
        data = json.loads((Path(out_dir) / MANIFEST).read_text(encoding="utf-8"))
        if data.get("summary_sha256") == sha256(path):
            return path.resolve()
    from plangen.workbook.grids import read_grids

    try:
        grid = read_grids(path).get("Summary")
    except PlangenError:
        return None
    if grid is not None and [grid.value(1, 1), grid.value(1, 2)] == ["File", "District"]:
        return path.resolve()
    return None


def _summary_or_absent(path: Path) -> bool:
    """True when `path` does not exist or is a batch summary plangen wrote."""
    return not path.exists() or own_summary(path.parent) is not None


def shown_name(path: Path) -> str:
    """A path as text that can always be printed and saved: bytes that are not UTF-8
    (a name from another system) become \ufffd."""
    return os.fsencode(str(path)).decode("utf-8", "replace")


def sha256(path: Path) -> str:
    """Hex sha256 of a file's bytes, read in 1 MB blocks (memory stays flat); a file
    larger than any workbook plangen reads gets no digest (its build refuses it)."""
    from plangen.package_safety import MAX_FILE_BYTES

    with Path(path).open("rb") as handle:
        if os.fstat(handle.fileno()).st_size > MAX_FILE_BYTES:
            return "too-large"
        digest = hashlib.sha256()
        while block := handle.read(1 << 20):
            digest.update(block)
        return digest.hexdigest()


class Manifest:
    """What each output was last built from: output name -> {key, figures}.

    Each success is appended to a journal at once (so a killed batch loses nothing);
    `save` folds the journal into the JSON file atomically.
    """

    def __init__(self, out_dir: Path) -> None:
        self.path = Path(out_dir) / MANIFEST
        self.journal = Path(out_dir) / JOURNAL
        self.entries: dict[str, dict[str, Any]] = {}
        self.summary_sha256 = ""
        with contextlib.suppress(OSError, ValueError, AttributeError):
            data = json.loads(self.path.read_text(encoding="utf-8"))
            self.entries.update(data.get("plans", {}))
            self.summary_sha256 = str(data.get("summary_sha256") or "")
        with contextlib.suppress(OSError):
            for line in self.journal.read_text(encoding="utf-8").splitlines():
                with contextlib.suppress(ValueError, KeyError, TypeError):
                    item = json.loads(line)
                    self.entries[item["output"]] = item["entry"]

    def current(self, output: str, key: str) -> dict[str, Any] | None:
        """The entry of `output` when it was built from `key`; None otherwise."""
        entry = self.entries.get(output)
        return entry if entry is not None and entry.get("key") == key else None

    def record(self, output: str, key: str, figures: dict[str, Any]) -> None:
        entry = {"key": key, "figures": figures}
        self.entries[output] = entry
        self.journal.parent.mkdir(parents=True, exist_ok=True)
        with self.journal.open("a", encoding="utf-8") as fh:
            fh.write(json.dumps({"output": output, "entry": entry}) + "\n")

    def forget(self, output: str) -> None:
        self.entries.pop(output, None)

    def save(self) -> None:
        data: dict[str, Any] = {
            "plangen": __version__,
            "plans": dict(sorted(self.entries.items())),
        }
        if self.summary_sha256:
            data["summary_sha256"] = self.summary_sha256
        with atomic_write(self.path) as tmp:
            tmp.write_text(json.dumps(data, indent=1), encoding="utf-8")
        self.journal.unlink(missing_ok=True)


@dataclass
class _Task:
    workbook: Path
    name: str
    output: Path
    key: str
    as_of: date | None
    template: Path | None
    force: bool = False
    calendar: bool = False


class Batch:
    """The plans of every workbook under `folder`, written to `out_dir`.

    `out_dir/<relative folder>/<workbook stem>.docx` for each workbook, so workbooks of
    the same name in different folders never overwrite each other.
    """

    def __init__(
        self,
        folder: Path,
        out_dir: Path,
        jobs: int | None = None,
        force: bool = False,
        as_of: date | None = None,
        template: Path | None = None,
        calendar: bool = False,
    ) -> None:
        self.folder = Path(folder)
        self.calendar = calendar
        """Also write each plan's dates as `<plan>.ics` beside it (`plangen calendar`)."""
        self.out_dir = Path(out_dir)
        self.jobs = max(1, jobs or os.cpu_count() or 1)
        self.force = force
        self.as_of = as_of
        self.template = template
        self.workbooks = find_workbooks(self.folder, exclude=self.out_dir)

    def output_for(self, workbook: Path) -> Path:
        """Where the plan of `workbook` goes, keeping its folder below `folder`."""
        return self.out_dir / workbook.relative_to(self.folder).with_suffix(".docx")

    def name_of(self, workbook: Path) -> str:
        """The workbook's path below `folder`, e.g. `north/plan.xlsx` (always printable)."""
        return shown_name(Path(workbook.relative_to(self.folder).as_posix()))

    def collisions(self, combine: bool = False) -> list[str]:
        """Outputs of the batch itself that would land on an input workbook or on another
        output, one sentence each (the CLI refuses the run, exit 2)."""
        inputs = {p.resolve().as_posix().lower(): p for p in self.workbooks}
        found = []
        for name in SUMMARY_NAMES:
            target = (self.out_dir / name).resolve().as_posix().lower()
            if target in inputs:
                found.append(
                    f"{shown_name(inputs[target])} is a workbook, and the batch summary "
                    f"{name} would replace it; rename it or choose another -o folder"
                )
        summary = self.out_dir / SUMMARY_NAMES[0]
        if summary.resolve().as_posix().lower() not in inputs and not _summary_or_absent(
            summary
        ):
            found.append(
                f"{shown_name(summary)} is a workbook plangen did not write, and the batch "
                "summary would replace it; move it or choose another -o folder"
            )
        if combine:
            combined = (self.out_dir / COMBINED_NAME).resolve().as_posix().lower()
            for workbook in self.workbooks:
                pdf_path = self.output_for(workbook).with_suffix(".pdf")
                if pdf_path.resolve().as_posix().lower() == combined:
                    found.append(
                        f"the PDF of {shown_name(workbook)} would be {COMBINED_NAME}, the "
                        "combined PDF of --combine; rename the workbook or leave out --combine"
                    )
        return found

    @contextlib.contextmanager
    def locked(self) -> Iterator[None]:
        """Hold the output folder for this batch; OutputError at once when another batch
        holds it (two batches into one folder would undo each other's work)."""
        self.out_dir.mkdir(parents=True, exist_ok=True)
        with _folder_lock(self.out_dir):
            yield

    def _base_key(self) -> str:
        from plangen.document.render import default_template
        from plangen.kinds import KINDS

        if self.template is not None:
            templates = [sha256(self.template)]
        else:
            templates = sorted(sha256(default_template(k.template)) for k in KINDS.values())
        as_of = self.as_of.isoformat() if self.as_of else ""
        return "|".join([__version__, as_of, *templates])

    def run(self) -> Iterator[FileResult]:
        """Build every workbook; yield each result as it is known (skipped ones first)."""
        self.out_dir.mkdir(parents=True, exist_ok=True)
        remove_stale_parts(self.out_dir)
        manifest = Manifest(self.out_dir)
        base = self._base_key()
        tasks: list[_Task] = []
        seen: dict[str, str] = {}
        try:
            for workbook in self.workbooks:
                name, output = self.name_of(workbook), self.output_for(workbook)
                out_name = output.relative_to(self.out_dir).as_posix()
                if out_name.lower() in seen:
                    problem = error(f"its plan would overwrite that of {seen[out_name.lower()]}")
                    yield FileResult(workbook, name, output, FAILED, [problem])
                    continue
                seen[out_name.lower()] = name
                link = link_inside(self.out_dir, output)
                if link is not None:
                    problem = error(
                        f"not written: {link} in the output folder is a symbolic link (to "
                        f"{os.readlink(link)}), and plangen never writes through links there; "
                        "remove the link, or choose another output folder"
                    )
                    yield FileResult(workbook, name, output, FAILED, [problem])
                    continue
                try:
                    key = hashlib.sha256(f"{base}|{sha256(workbook)}".encode()).hexdigest()
                except OSError as exc:
                    problem = error(f"cannot be read ({exc.strerror or exc})")
                    yield FileResult(workbook, name, output, FAILED, [problem])
                    continue
                entry = None if self.force else manifest.current(out_name, key)
                ics = not self.calendar or output.with_suffix(".ics").is_file()
                if entry is not None and output.is_file() and ics:
                    figures = dict(entry["figures"])
                    why = word_edits(output, workbook, figures.get("docx_sha256"))
                    status, issues = (EDITED, [error(why, code="edited")]) if why else (SKIPPED, [])
                    yield FileResult(workbook, name, output, status, issues, figures, key)
                    continue
                task = _Task(workbook, name, output, key, self.as_of, self.template, self.force)
                task.calendar = self.calendar
                tasks.append(task)
            yield from self._build_all(tasks, lambda r: self._note(manifest, r))
        finally:
            manifest.save()

    def _note(self, manifest: Manifest, result: FileResult) -> None:
        out_name = result.output.relative_to(self.out_dir).as_posix()
        if result.status == BUILT:
            result.figures["docx_sha256"] = sha256(result.output)  # tells a later Word edit
            manifest.record(out_name, result.key, result.figures)
        else:
            manifest.forget(out_name)

    def _build_all(
        self, tasks: list[_Task], note: Callable[[FileResult], None]
    ) -> Iterator[FileResult]:
        """Build `tasks`, `note` each result, then yield it. When stopped early, plans the
        workers were still building are finished and noted, not lost."""
        if self.jobs == 1 or len(tasks) <= 1:
            for task in tasks:
                result = build_one(task)
                note(result)
                yield result
            return
        ctx = _worker_context()
        workers = min(self.jobs, len(tasks))
        with ProcessPoolExecutor(
            workers, mp_context=ctx, initializer=_warm_up, initargs=(os.getpid(),)
        ) as pool:
            futures: dict[Future[FileResult], _Task] = {
                pool.submit(build_one, task): task for task in tasks
            }
            noted: set[Future[FileResult]] = set()
            try:
                for future in as_completed(futures):
                    noted.add(future)
                    result = _outcome(future, futures[future])
                    note(result)
                    yield result
            finally:
                pool.shutdown(wait=True, cancel_futures=True)
                for future in futures:
                    if future not in noted and future.done() and not future.cancelled():
                        note(_outcome(future, futures[future]))


def _worker_context() -> Any:
    """How workers start: forked from this process when it runs one thread only (they
    start at once, with everything a build needs already imported here), else from a
    fork server (forking a process whose other threads may hold locks is unsafe: a web
    server, a progress bar on a terminal), else spawned (not POSIX)."""
    import threading

    methods = multiprocessing.get_all_start_methods()
    if "fork" in methods and threading.active_count() == 1:
        import plangen.pipeline  # noqa: F401  (imported once, here, for every worker)

        return multiprocessing.get_context("fork")
    if "forkserver" in methods:
        ctx = multiprocessing.get_context("forkserver")
        ctx.set_forkserver_preload(["plangen.pipeline", "plangen.batch.run"])
        return ctx
    return multiprocessing.get_context("spawn")


def _outcome(future: Future[FileResult], task: _Task) -> FileResult:
    """The result of a finished worker; a worker that died made its plan fail."""
    try:
        return future.result()
    except Exception as exc:
        problem = error(f"the worker building it stopped ({exc or type(exc).__name__})")
        return FileResult(task.workbook, task.name, task.output, FAILED, [problem])


def remember_summary(out_dir: Path, xlsx: Path) -> None:
    """Note in the manifest which summary.xlsx plangen wrote (see `own_summary`)."""
    manifest = Manifest(out_dir)
    manifest.summary_sha256 = sha256(xlsx)
    manifest.save()


@contextlib.contextmanager
def _folder_lock(out_dir: Path) -> Iterator[None]:
    """An exclusive `flock` on `out_dir/.plangen-batch.lock`, released when the process
    ends however it ends (the kernel drops it), so a killed batch never leaves it held."""
    try:
        import fcntl
    except ImportError:  # not POSIX: no lock
        yield
        return
    path = Path(out_dir) / LOCK
    try:
        handle = path.open("a+", encoding="utf-8")
    except OSError as exc:
        raise OutputError(f"{out_dir}: cannot be written ({exc.strerror or exc})") from None
    with handle:
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            handle.seek(0)
            written = handle.read(40).strip()
            holder = written if re.fullmatch(r"process \d+", written) else "another process"
            raise OutputError(
                f"{out_dir}: another plangen batch ({holder}) is writing into this folder; "
                "wait until it ends, or choose another -o folder"
            ) from None
        handle.seek(0)
        handle.truncate()
        handle.write(f"process {os.getpid()}")
        handle.flush()
        try:
            yield
        finally:
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


def _warm_up(batch_pid: int) -> None:
    """Worker start: die with the batch, leave Ctrl-C to the main process; import what a
    build needs once."""
    import signal

    import plangen.pipeline  # noqa: F401

    exit_with(batch_pid)
    signal.signal(signal.SIGINT, signal.SIG_IGN)


WATCH_SECONDS = 0.5
"""How often a worker checks that the batch that started it is still alive."""


def exit_with(batch_pid: int) -> None:
    """End this process when the process `batch_pid` ends, even by `kill -9`.

    Linux: the kernel sends SIGKILL when this process's parent (the batch itself, or the
    forkserver, which ends with the batch) dies (`PR_SET_PDEATHSIG`). Everywhere: a daemon thread
    checks every `WATCH_SECONDS` that `batch_pid` is still alive and exits at once if not.
    """
    import signal
    import threading
    import time

    with contextlib.suppress(Exception):
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        pr_set_pdeathsig = 1
        libc.prctl(pr_set_pdeathsig, signal.SIGKILL, 0, 0, 0)

    def watch() -> None:
        while process_alive(batch_pid):
            time.sleep(WATCH_SECONDS)
        os._exit(1)

    threading.Thread(target=watch, name="plangen-batch-watch", daemon=True).start()


def build_one(task: _Task) -> FileResult:
    """Load and write one workbook (`plangen.load`, `plangen.write`); every problem
    becomes part of the result."""
    from plangen.figures.years import plan_years
    from plangen.pipeline import load, write_plan
    from plangen.roundtrip.protect import EditedPlan

    result = FileResult(task.workbook, task.name, task.output, FAILED, key=task.key)
    try:
        loaded = load(task.workbook, as_of=task.as_of)
        result.figures = plan_figures(loaded.plan)
        if loaded.summary is None:
            result.status = INVALID
            result.issues = loaded.report.errors + loaded.report.warnings
            return result
        result.figures.update(view_of(loaded.plan, loaded.summary).table_figures())
        result.figures.update(plan_years(loaded.plan))
        try:
            _, result.kept = write_plan(
                loaded, task.output, template=task.template, force=task.force,
                workbook_name=task.name,
            )
        except EditedPlan as exc:
            result.status, result.issues = EDITED, [error(str(exc), code="edited")]
            return result
        if task.calendar:
            from plangen.figures.plan_calendar import write_calendar

            write_calendar(loaded, task.output.with_suffix(".ics"))
        result.status, result.issues = BUILT, loaded.report.warnings
    except PlangenError as exc:
        result.issues = [error(str(exc))]
    except Exception as exc:  # one bad workbook must never stop the batch
        result.issues = [error(f"unexpected failure: {type(exc).__name__}: {exc}")]
    return result


def plan_figures(plan: Any) -> dict[str, Any]:
    """The summary columns read from the plan itself (no adherence figures)."""
    if plan is None:
        return {}
    start = plan.start
    return {
        "district": plan.fields.get("district") or "",
        "kind": plan.kind.title,
        "date_initiated": start.isoformat() if start else None,
        "focus_areas": "; ".join(plan.focus),
    }
