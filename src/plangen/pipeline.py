"""The flow for one workbook: read → check → summarize (`load`), then render → write (`write`).

These are plangen's library functions (exported from `plangen`); `cli.py`, `batch.py`
and any other program call them. They raise plangen errors and never print.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from plangen.document.context import build_context
from plangen.document.render import render_plan, template_limits
from plangen.document.template_check import preflight
from plangen.document.template_fields import TemplateField, fields_in
from plangen.errors import InvalidPlan, OutputError, PlangenError, Report, TemplateProblem
from plangen.figures.adherence import Summary, missed_issues, plan_schedule, summarize
from plangen.figures.view import SummaryView, view_of
from plangen.kinds import example_workbook
from plangen.model import Plan
from plangen.roundtrip.protect import EditedPlan, edits_in, keep_edited_copy, remove_stale_pdf
from plangen.roundtrip.workbook_patch import open_elsewhere
from plangen.schema import PlanKind
from plangen.workbook.reader import check_dates, read_plan
from plangen.workbook.revise import revision_marks

if TYPE_CHECKING:
    from plangen.figures.plan_calendar import CalendarFile


@dataclass
class Loaded:
    """A workbook read and checked: the plan, every problem, the date of its figures and,
    when the plan is valid, its adherence summary (None otherwise)."""

    workbook: Path
    plan: Plan
    report: Report
    as_of: date
    summary: Summary | None

    @property
    def valid(self) -> bool:
        """True when the workbook has no errors (warnings allowed)."""
        return self.report.valid

    def status(self) -> dict[str, Any]:
        """Whose plan this is and its adherence figures, JSON-ready (`plangen status --json`).

        Raises InvalidPlan when the workbook has errors.
        """
        return {
            "file": str(self.workbook),
            "district": self.plan.fields.get("district") or "",
            "kind": self.plan.kind.name,
            **self.require_view().to_dict(),
        }

    def require_view(self) -> SummaryView:
        """The adherence summary with its words (`figures.view`); InvalidPlan when the
        plan has errors."""
        return view_of(self.plan, self.require_summary())

    def require_summary(self) -> Summary:
        """The adherence summary; InvalidPlan (with the report) when the plan has errors."""
        if self.summary is None:
            raise InvalidPlan(self.report)
        return self.summary


@dataclass
class Built:
    """A plan written to disk."""

    loaded: Loaded
    summary: Summary
    docx: Path
    kept: Path | None = None
    """Where the edited document it replaced was kept (`force`), else None."""


def figures_date(plan: Plan, as_of: date | None) -> date:
    """The date the figures are computed for: `as_of`, else the plan's own, else today."""
    if as_of is not None:
        return as_of
    own = plan.fields.get("as_of")
    return own if isinstance(own, date) else date.today()


def load(
    workbook: Path | str, *, kind: PlanKind | None = None, as_of: date | None = None
) -> Loaded:
    """Read and check `workbook`, and summarize its plan when it is valid.

    The report holds every problem (none is raised for them). `kind` is needed only when
    the workbook does not say which kind it is; `as_of` defaults to the workbook's
    'Figures as of' date, else today. Raises WorkbookError when the file is not a
    readable workbook.
    """
    path = Path(workbook)
    plan, report = read_plan(path, kind)
    when = figures_date(plan, as_of)
    schedule = plan_schedule(plan, when)
    report.issues.extend(check_dates(plan, when))
    report.issues.extend(revision_marks(plan))
    report.issues.extend(missed_issues(plan, schedule, when))
    summary = summarize(plan, when, schedule) if report.valid else None
    return Loaded(path, plan, report, when, summary)


def output_path(workbook: Path, out_dir: Path, suffix: str = ".docx") -> Path:
    """Where the plan of `workbook` goes: `<out_dir>/<workbook name><suffix>`."""
    return Path(out_dir) / (Path(workbook).stem + suffix)


def write(
    loaded: Loaded,
    target: Path | str,
    *,
    template: Path | str | None = None,
    force: bool = False,
    workbook_name: str | None = None,
) -> Path:
    """Render `loaded`'s plan into the Word document `target`; return `target`.

    A custom `template` is checked first and every problem reported at once. Raises
    InvalidPlan when the workbook has errors, OutputError when `target` is the workbook
    itself, TemplateProblem for a bad template, EditedPlan when `target` holds edits made
    in Word that a rebuild would destroy (with `force` it is kept beside the new one as
    `<name>.edited-N.docx` instead); nothing is written then. The PDF beside `target` is
    removed (it would be older than the new document).
    """
    return write_plan(
        loaded, target, template=template, force=force, workbook_name=workbook_name
    )[0]


def write_plan(
    loaded: Loaded,
    target: Path | str,
    *,
    template: Path | str | None = None,
    force: bool = False,
    workbook_name: str | None = None,
) -> tuple[Path, Path | None]:
    """`write`, also returning where an edited document it replaced was kept (or None)."""
    summary = loaded.require_summary()
    target = Path(target)
    if target.resolve() == loaded.workbook.resolve():
        raise OutputError(f"{target}: the output would overwrite the workbook itself")
    if template is not None:
        template = Path(template)
        with template_limits(template, template):  # jinja runs code while compiling, too
            problems = preflight(template, loaded.plan.kind, build_context(loaded.plan, summary))
        if problems:
            raise TemplateProblem("\n".join(problems))
    kept = None
    busy = open_elsewhere(target, "plan")
    if busy:  # never replaced while Word or LibreOffice has it open, not even with force
        raise OutputError(busy.replace("then try again", "then build again"))
    reason = edits_in(target, loaded.plan, loaded.workbook)
    if reason is not None:
        if not force:
            raise EditedPlan(reason)
        kept = keep_edited_copy(target)
    render_plan(loaded.plan, summary, target, template, workbook_name=workbook_name)
    remove_stale_pdf(target)
    return target, kept


def build(
    workbook: Path | str,
    out_dir: Path | str = "output",
    *,
    kind: PlanKind | None = None,
    as_of: date | None = None,
    template: Path | str | None = None,
    target: Path | str | None = None,
    force: bool = False,
) -> Built:
    """`load` `workbook` and `write` its plan as `<out_dir>/<workbook name>.docx` (or
    exactly `target`).

    Raises InvalidPlan (with the report) when the workbook has errors, EditedPlan when
    the existing document holds edits made in Word (see `write`; `force` keeps it beside
    the new one); nothing is written then.
    """
    loaded = load(workbook, kind=kind, as_of=as_of)
    docx = Path(target) if target is not None else output_path(Path(workbook), Path(out_dir))
    _, kept = write_plan(loaded, docx, template=template, force=force)
    return Built(loaded, loaded.require_summary(), docx, kept)


def status(
    workbook: Path | str, *, kind: PlanKind | None = None, as_of: date | None = None
) -> dict[str, Any]:
    """Whose plan `workbook` holds and its adherence figures, JSON-ready.

    The same structure `plangen status --json` prints. Raises InvalidPlan when the
    workbook has errors.
    """
    return load(workbook, kind=kind, as_of=as_of).status()


def check_template(template: Path | str, kind: PlanKind) -> list[str]:
    """Every problem of the Word template `template` for `kind`; empty when it is fine.

    Checks without rendering first (syntax, unknown names, split tags), then renders the
    kind's example workbook with it into a temporary folder. Raises PlangenError when the
    kind's example workbook cannot be found.
    """
    template = Path(template)
    loaded = load(example_workbook(kind), kind=kind)
    summary = loaded.require_summary()
    with template_limits(template, template):  # jinja runs code while compiling, too
        problems = preflight(template, kind, build_context(loaded.plan, summary))
    if problems:
        return problems
    with tempfile.TemporaryDirectory(prefix="plangen-check-") as tmp:
        try:
            render_plan(loaded.plan, summary, Path(tmp) / "trial.docx", template)
        except PlangenError as exc:
            problems.append(str(exc))
    return problems


def export_calendar(
    workbook: Path | str,
    target: Path | str,
    *,
    kind: PlanKind | None = None,
    as_of: date | None = None,
    now: datetime | None = None,
) -> CalendarFile:
    """`load` `workbook` and write its plan's calendar to `target` (`plangen calendar`).

    Raises InvalidPlan (with the report) when the workbook has errors.
    """
    from plangen.figures.plan_calendar import write_calendar

    return write_calendar(load(workbook, kind=kind, as_of=as_of), target, now=now)


def example_context(kind: PlanKind) -> dict[str, Any]:
    """The real template context of the kind's example workbook (loaded here, so the
    names a template can use follow the declaration)."""
    loaded = load(example_workbook(kind), kind=kind)
    return build_context(loaded.plan, loaded.require_summary())


def list_fields(kind: PlanKind) -> list[TemplateField]:
    """Every value, list and value in a list's rows that a template of `kind` can use,
    with its type, an example (from the kind's example workbook) and a description."""
    return fields_in(kind, example_context(kind))
