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
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from plangen import __version__
from plangen.errors import Issue, PlangenError, error
from plangen.files import atomic_write

MANIFEST = ".plangen-batch.json"
JOURNAL = ".plangen-batch.journal"
BUILT, SKIPPED, INVALID, FAILED = "built", "skipped", "invalid", "failed"


@dataclass
class FileResult:
    """What happened to one workbook.

    `status` is `built`, `skipped` (unchanged since its last good build; its document is
    there), `invalid` (the workbook has errors) or `failed` (unreadable, or the plan could
    not be made). `figures` holds the summary columns, JSON-ready (dates as ISO text).
    """

    workbook: Path
    name: str
    output: Path
    status: str
    issues: list[Issue] = field(default_factory=list)
    figures: dict[str, Any] = field(default_factory=dict)
    key: str = ""

    @property
    def ok(self) -> bool:
        """True when the plan's document exists and is current (built or skipped)."""
        return self.status in (BUILT, SKIPPED)


def find_workbooks(folder: Path, exclude: Path | None = None) -> list[Path]:
    """Every .xlsx and .xlsm under `folder`, sorted; no Office lock files (`~$a.xlsx`), no hidden
    files or folders, nothing inside `exclude` (the output folder)."""
    folder = Path(folder)
    skip = exclude.resolve() if exclude is not None else None
    if skip is not None and skip == folder.resolve():
        skip = None  # plans beside their workbooks: leave out only the summary
    summary = (exclude / "summary.xlsx").resolve() if exclude is not None else None
    found = []
    for path in folder.rglob("*"):
        rel = path.relative_to(folder)
        if path.suffix.lower() not in (".xlsx", ".xlsm") or path.name.startswith("~$"):
            continue
        if any(part.startswith(".") for part in rel.parts) or not path.is_file():
            continue
        resolved = path.resolve()
        if resolved == summary or (skip is not None and resolved.is_relative_to(skip)):
            continue
        found.append(path)
    return sorted(found, key=lambda p: p.relative_to(folder).as_posix().lower())


def sha256(path: Path) -> str:
    """Hex sha256 of a file's bytes."""
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


class Manifest:
    """What each output was last built from: output name -> {key, figures}.

    Each success is appended to a journal at once (so a killed batch loses nothing);
    `save` folds the journal into the JSON file atomically.
    """

    def __init__(self, out_dir: Path) -> None:
        self.path = Path(out_dir) / MANIFEST
        self.journal = Path(out_dir) / JOURNAL
        self.entries: dict[str, dict[str, Any]] = {}
        with contextlib.suppress(OSError, ValueError):
            data = json.loads(self.path.read_text(encoding="utf-8"))
            self.entries.update(data.get("plans", {}))
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
        data = {"plangen": __version__, "plans": dict(sorted(self.entries.items()))}
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
    ) -> None:
        self.folder = Path(folder)
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
        """The workbook's path below `folder`, e.g. `north/plan.xlsx`."""
        return workbook.relative_to(self.folder).as_posix()

    def _base_key(self) -> str:
        from plangen.kinds import KINDS
        from plangen.render import default_template

        if self.template is not None:
            templates = [sha256(self.template)]
        else:
            templates = sorted(sha256(default_template(k.template)) for k in KINDS.values())
        as_of = self.as_of.isoformat() if self.as_of else ""
        return "|".join([__version__, as_of, *templates])

    def run(self) -> Iterator[FileResult]:
        """Build every workbook; yield each result as it is known (skipped ones first)."""
        self.out_dir.mkdir(parents=True, exist_ok=True)
        remove_partial_files(self.out_dir)
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
                try:
                    key = hashlib.sha256(f"{base}|{sha256(workbook)}".encode()).hexdigest()
                except OSError as exc:
                    problem = error(f"cannot be read ({exc.strerror or exc})")
                    yield FileResult(workbook, name, output, FAILED, [problem])
                    continue
                entry = None if self.force else manifest.current(out_name, key)
                if entry is not None and output.is_file():
                    yield FileResult(
                        workbook, name, output, SKIPPED, [], dict(entry["figures"]), key
                    )
                    continue
                tasks.append(_Task(workbook, name, output, key, self.as_of, self.template))
            yield from self._build_all(tasks, lambda r: self._note(manifest, r))
        finally:
            manifest.save()

    def _note(self, manifest: Manifest, result: FileResult) -> None:
        out_name = result.output.relative_to(self.out_dir).as_posix()
        if result.status == BUILT:
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
        methods = multiprocessing.get_all_start_methods()
        ctx = multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")
        if "forkserver" in methods:
            ctx.set_forkserver_preload(["plangen.pipeline", "plangen.batch"])
        workers = min(self.jobs, len(tasks))
        with ProcessPoolExecutor(workers, mp_context=ctx, initializer=_warm_up) as pool:
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


def _outcome(future: Future[FileResult], task: _Task) -> FileResult:
    """The result of a finished worker; a worker that died made its plan fail."""
    try:
        return future.result()
    except Exception as exc:
        problem = error(f"the worker building it stopped ({exc or type(exc).__name__})")
        return FileResult(task.workbook, task.name, task.output, FAILED, [problem])


def remove_partial_files(out_dir: Path) -> None:
    """Delete temporary `.name.*.part` files a killed earlier run left in `out_dir`."""
    for part in Path(out_dir).rglob(".*.part"):
        with contextlib.suppress(OSError):
            part.unlink()


def _warm_up() -> None:
    """Worker start: leave Ctrl-C to the main process; import what a build needs once."""
    import signal

    import plangen.pipeline  # noqa: F401

    signal.signal(signal.SIGINT, signal.SIG_IGN)


def build_one(task: _Task) -> FileResult:
    """Load and write one workbook (`plangen.load`, `plangen.write`); every problem
    becomes part of the result."""
    from plangen.pipeline import load, write

    result = FileResult(task.workbook, task.name, task.output, FAILED, key=task.key)
    try:
        loaded = load(task.workbook, as_of=task.as_of)
        result.figures = plan_figures(loaded.plan)
        if loaded.summary is None:
            result.status = INVALID
            result.issues = loaded.report.errors + loaded.report.warnings
            return result
        result.figures.update(summary_figures(loaded.summary))
        write(loaded, task.output, template=task.template)
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


def summary_figures(summary: Any) -> dict[str, Any]:
    """The adherence columns of one plan's `Summary`."""
    nxt = summary.next_review
    last = summary.reviews[-1].date.isoformat() if summary.reviews else None
    return {
        "completed": summary.overall.completed,
        "planned": summary.overall.planned,
        "percent": summary.overall.percent,
        "last_review": last,
        "next_review": nxt.due.isoformat() if nxt else None,
        "on_track": summary.on_track or "",
    }


def make_pdfs(
    results: list[FileResult], out_dir: Path, jobs: int = 1, combine: bool = False
) -> tuple[dict[str, str], Path | None]:
    """Convert every good plan to PDF beside its .docx (a PDF newer than its .docx is
    kept); with `combine`, also `out_dir/all-plans.pdf` in name order, a bookmark per
    district. Returns the workbooks whose PDF failed (name -> why) and the combined PDF
    (None when not asked for or no plan could be converted)."""
    from plangen.pdf import combine_pdfs, convert_many

    good = sorted((r for r in results if r.ok), key=lambda r: r.name.lower())
    pdfs: dict[Path, Path] = {}
    stale = []
    for r in good:
        pdf = r.output.with_suffix(".pdf")
        if pdf.is_file() and pdf.stat().st_mtime_ns >= r.output.stat().st_mtime_ns:
            pdfs[r.output] = pdf
        else:
            stale.append(r.output)
    converted = convert_many(stale, jobs=jobs) if stale else {}
    failed: dict[str, str] = {}
    for r in good:
        outcome = converted.get(r.output, pdfs.get(r.output))
        if isinstance(outcome, Path):
            pdfs[r.output] = outcome
        else:
            failed[r.name] = str(outcome or "its PDF could not be made")
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
