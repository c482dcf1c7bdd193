"""A plan as the page shows it: the library's report and figures, put into rows.

Everything here is read from the public library (`plangen.load`); nothing about plans
is decided here.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import plangen
from plangen import ConversionError, Loaded, PlangenError, Report, Severity
from plangen.batch.summary_table import AMBER_AT, GREEN_AT
from plangen.figures.adherence import Summary
from plangen.figures.view import SummaryView
from plangen.workbook.grids import WORD, office_kind
from plangen.workbook.values import format_date


def colour(percent: float | None) -> str:
    """`green`, `amber`, `red` by the batch summary's thresholds; `none` when no figure."""
    if percent is None:
        return "none"
    return "green" if percent >= GREEN_AT else "amber" if percent >= AMBER_AT else "red"


@dataclass
class ProblemRow:
    severity: str
    sheet: str
    cell: str
    message: str
    hint: str = ""


@dataclass
class PlanView:
    """What the plan page shows of one workbook."""

    name: str
    unreadable: str = ""
    word_file: bool = False
    """The file sent is a Word document (a plan, most likely), not a workbook."""
    kind: str = ""
    district: str = ""
    problems: list[ProblemRow] = field(default_factory=list)
    valid: bool = False
    headline: str = ""
    percent: float | None = None
    as_of: str = ""
    glance: list[tuple[str, str]] = field(default_factory=list)
    by_group: list[dict[str, Any]] = field(default_factory=list)
    overdue: list[dict[str, str]] = field(default_factory=list)
    summary: Summary | None = None
    figures: SummaryView | None = None
    """The summary's figures with their words (group title, item names, next review)."""

    @property
    def colour(self) -> str:
        return colour(self.percent)

    @property
    def hints(self) -> bool:
        """True when some problem has a hint (the table then has a "How to fix" column)."""
        return any(p.hint for p in self.problems)

    @property
    def errors(self) -> int:
        return sum(p.severity == "error" for p in self.problems)

    @property
    def warnings(self) -> int:
        return sum(p.severity == "warning" for p in self.problems)


def problem_rows(report: Report) -> list[ProblemRow]:
    """Every problem, errors first, as the table shows them."""
    return [
        ProblemRow(
            "error" if i.severity is Severity.ERROR else "warning",
            i.sheet,
            i.cell,
            i.message,
            str(getattr(i, "hint", "") or ""),
        )
        for i in report.errors + report.warnings
    ]


def view_plan(
    workbook: Path, name: str, as_of: date | None = None
) -> tuple[PlanView, Loaded | None]:
    """Read `workbook` (shown as `name`) and describe it; the loaded plan when readable."""
    view = PlanView(name=name)
    try:
        loaded = plangen.load(workbook, as_of=as_of)
    except PlangenError as exc:
        view.unreadable = hide_path(str(exc), workbook, name)
        view.word_file = office_kind(workbook) == WORD
        return view, None
    view.kind = loaded.plan.kind.title
    view.district = str(loaded.plan.fields.get("district") or "")
    view.problems = problem_rows(loaded.report)
    view.valid = loaded.valid
    if loaded.summary is not None:
        describe_summary(view, loaded.require_view())
    return view, loaded


CACHED_VIEWS = 16
"""Views of the dashboard's workbooks kept in memory (each read once per change)."""
_views: OrderedDict[tuple[str, int, int, str], PlanView] = OrderedDict()
_views_lock = threading.Lock()


def cached_view(workbook: Path, name: str) -> PlanView:
    """`view_plan(workbook, name)`'s view, read again only when the file changed."""
    try:
        info = workbook.stat()
        key = (str(workbook.resolve()), info.st_mtime_ns, info.st_size, name)
    except OSError:
        return view_plan(workbook, name)[0]
    with _views_lock:
        if key in _views:
            _views.move_to_end(key)
            return _views[key]
    view = view_plan(workbook, name)[0]
    view.summary = None
    with _views_lock:
        _views[key] = view
        while len(_views) > CACHED_VIEWS:
            _views.popitem(last=False)
    return view


def describe_summary(view: PlanView, figures: SummaryView) -> None:
    """Fill the headline and the at-a-glance figures of `view` from the summary view
    (`figures.view`: the words the plan document and `plangen status` use)."""
    summary = figures.summary
    view.summary = summary
    view.figures = figures
    view.headline = figures.headline
    view.percent = summary.overall.percent
    view.as_of = figures.as_of_text
    view.glance = figures.glance()
    view.by_group = [
        {
            "section": g.section,
            "group": g.group,
            "fraction": g.tally.fraction,
            "percent": g.tally.percent,
            "colour": colour(g.tally.percent),
        }
        for g in summary.by_group
    ]
    view.overdue = [
        {
            "where": i.location,
            "support": i.text,
            "due": format_date(i.target_date),
        }
        for i in summary.overdue
    ]


def hide_path(message: str, path: Path, name: str) -> str:
    """`message` with the server's path of the file replaced by the user's name for it."""
    for form in (str(path.resolve()), str(path)):
        message = message.replace(form, name)
    return message


def conversion_message(exc: ConversionError, path: Path, name: str) -> str:
    """A conversion error without server paths, with its hint."""
    text = hide_path(str(exc), path, name)
    return f"{text} ({exc.hint})" if exc.hint else text
