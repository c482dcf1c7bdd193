"""The whole flow for one workbook: read, validate, summarize, render.

`cli.py` and `batch.py` both call these functions; they raise plangen errors and never
print.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from plangen.adherence import Summary, missed_issues, summarize
from plangen.errors import InvalidPlan, OutputError, Report
from plangen.model import Plan
from plangen.protect import EditedPlan, edits_in, keep_edited_copy, remove_stale_pdf
from plangen.reader import check_dates, read_plan
from plangen.render import render_plan
from plangen.schema import PlanKind


@dataclass
class Loaded:
    """A workbook read and checked: the plan, every problem, and the date of its figures."""

    plan: Plan
    report: Report
    as_of: date


@dataclass
class Built:
    """A plan written to disk."""

    loaded: Loaded
    summary: Summary
    docx: Path
    kept: Path | None = None
    """Where the edited document it replaced was kept (`--force`), else None."""


def figures_date(plan: Plan, as_of: date | None) -> date:
    """The date the figures are computed for: `as_of`, else the plan's own, else today."""
    if as_of is not None:
        return as_of
    own = plan.fields.get("as_of")
    return own if isinstance(own, date) else date.today()


def load(workbook: Path, kind: PlanKind | None = None, as_of: date | None = None) -> Loaded:
    """Read and validate `workbook`; the report holds every problem (none raised for them).

    Raises WorkbookError when the file is not a readable workbook.
    """
    plan, report = read_plan(Path(workbook), kind)
    when = figures_date(plan, as_of)
    report.issues.extend(check_dates(plan, when))
    report.issues.extend(missed_issues(plan, when))
    return Loaded(plan, report, when)


def output_path(workbook: Path, out_dir: Path, suffix: str = ".docx") -> Path:
    """Where the plan of `workbook` goes: `<out_dir>/<workbook name><suffix>`."""
    return Path(out_dir) / (Path(workbook).stem + suffix)


def build(
    workbook: Path,
    out_dir: Path,
    kind: PlanKind | None = None,
    as_of: date | None = None,
    template: Path | None = None,
    target: Path | None = None,
    force: bool = False,
) -> Built:
    """Validate `workbook` and render its plan into `out_dir` (or exactly `target`).

    Raises InvalidPlan (with the report) when the workbook has errors, EditedPlan when
    the existing document holds edits a rebuild would destroy (with `force`, it is kept
    beside the new one instead); nothing is written then. The PDF beside the old
    document is removed (it would be older than the new one).
    """
    loaded = load(workbook, kind, as_of)
    if not loaded.report.valid:
        raise InvalidPlan(loaded.report)
    docx = target or output_path(workbook, out_dir)
    if docx.resolve() == Path(workbook).resolve():
        raise OutputError(f"{docx}: the output would overwrite the workbook itself")
    summary = summarize(loaded.plan, loaded.as_of)
    kept = None
    reason = edits_in(docx, loaded.plan, Path(workbook))
    if reason is not None:
        if not force:
            raise EditedPlan(reason)
        kept = keep_edited_copy(docx)
    render_plan(loaded.plan, summary, docx, template)
    remove_stale_pdf(docx)
    return Built(loaded, summary, docx, kept)
