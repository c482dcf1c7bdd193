"""The adherence summary as every reader shows it: its figures and their words, per kind.

`SummaryView` is made once from a plan and its `Summary` (`view_of`). The Word context
(`document.context`), `plangen status` and `status --json` (`pipeline.Loaded.status`),
the batch summary table (`batch.run`) and the web plan page (`web.plans`) all read it,
so a figure is named the same way everywhere: what the items are (coaching supports,
steps, action steps), what they are grouped by (level, concept, role, area), and the next
review (the next required review of a kind with a rhythm of reviews, else the review
date the plan gives, else none).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from plangen.figures.adherence import ReviewPoint, Summary, Tally
from plangen.model import Plan
from plangen.workbook.values import format_date

NO_REVIEW_DUE = "No further review is due"
NO_DATE = "—"
"""Shown where a date would be when there is none (never the word None)."""


@dataclass(frozen=True)
class NextReview:
    """The next review: `name` (a required review's name, or the plan's `Review date`
    header) and `due`; `required` when a schedule of the kind asks for it."""

    name: str
    due: date
    required: bool

    @property
    def text(self) -> str:
        """`End-Year Review (May/June), due by June 30, 2023`, or `June 13, 2025` for a
        review date the plan gives."""
        if self.required:
            return f"{self.name}, due by {format_date(self.due)}"
        return format_date(self.due)


@dataclass(frozen=True)
class SummaryView:
    """One plan's adherence figures with the words its kind uses for them."""

    summary: Summary
    kind: str
    """The kind's name (`system`, `district`, `coaching-system`, `coaching-action-plan`)."""
    item: str
    """One monitored item: `coaching support`, `step`, `action step`."""
    items: str
    """Many of them: `coaching supports`, `steps`, `action steps`."""
    group: str
    """What the items are grouped by, in a sentence: `level`, `concept`, `role`, `area`."""
    has_goals: bool
    next_review: NextReview | None

    @property
    def as_of(self) -> date:
        return self.summary.as_of

    @property
    def as_of_text(self) -> str:
        """`February 15, 2023`."""
        return format_date(self.summary.as_of)

    @property
    def overall(self) -> Tally:
        return self.summary.overall

    @property
    def headline(self) -> str:
        """`13/26 coaching supports completed (50%)`."""
        return self.summary.headline

    @property
    def percent_text(self) -> str:
        """`50%`, or `None planned`."""
        return f"{self.overall.percent}%" if self.overall.planned else "None planned"

    @property
    def completed_label(self) -> str:
        """`Coaching supports completed`, `Steps completed`, `Action steps completed`."""
        return f"{self.items.capitalize()} completed"

    @property
    def group_header(self) -> str:
        """The by-group table's column: `Level`, `Concept`, `Role`, `Area`."""
        return self.group.capitalize()

    @property
    def group_title(self) -> str:
        """`Completion by level` (concept, role, area)."""
        return f"Completion by {self.group}"

    @property
    def on_track_label(self) -> str:
        """`On track for the SMART goals (latest review)`, or `On track (latest review)`
        for a kind without SMART goals."""
        what = " for the SMART goals" if self.has_goals else ""
        return f"On track{what} (latest review)"

    @property
    def on_track_text(self) -> str:
        return self.summary.on_track or "Not yet reviewed"

    @property
    def last_review(self) -> ReviewPoint | None:
        return self.summary.reviews[-1] if self.summary.reviews else None

    @property
    def last_review_text(self) -> str:
        """`January 25, 2023 (Mid-Year)`, or `No review yet`."""
        last = self.last_review
        if last is None:
            return "No review yet"
        return f"{format_date(last.date)} ({last.type})" if last.type else format_date(last.date)

    @property
    def next_review_text(self) -> str:
        return self.next_review.text if self.next_review else NO_REVIEW_DUE

    @property
    def next_review_name(self) -> str:
        return self.next_review.name if self.next_review else NO_REVIEW_DUE

    @property
    def next_review_due_text(self) -> str:
        return format_date(self.next_review.due) if self.next_review else NO_DATE

    @property
    def overdue_label(self) -> str:
        """`Coaching supports past their target date` (steps, action steps)."""
        return f"{self.items.capitalize()} past their target date"

    def glance(self) -> list[tuple[str, str]]:
        """The at-a-glance figures: label and value, as the web page lists them."""
        s = self.summary
        rows = [
            (self.completed_label, self.overall.fraction),
            ("Adherence", self.percent_text),
            (self.on_track_label, self.on_track_text),
            ("Last review", self.last_review_text),
            ("Next review due", self.next_review_text),
        ]
        if s.schedule:
            rows.append(("Required reviews missed", str(len(s.missed))))
        rows += [
            (self.overdue_label, str(len(s.overdue))),
            (f"{self.items.capitalize()} dropped", str(len(s.dropped))),
        ]
        return rows

    def words(self) -> dict[str, str]:
        """The words of the figures, JSON-ready (`status --json`'s `words`)."""
        return {
            "item": self.item,
            "items": self.items,
            "group": self.group,
            "completed": self.completed_label,
            "by_group": self.group_title,
            "on_track": self.on_track_label,
            "as_of": self.as_of_text,
            "percent": self.percent_text,
            "next_review": self.next_review_text,
        }

    def to_dict(self) -> dict[str, Any]:
        """Every figure and its words, JSON-ready (dates as ISO text): what
        `status --json` prints after the file, district and kind."""
        data = self.summary.to_dict()
        nxt = self.next_review
        data["next_review"] = (
            {"name": nxt.name, "due": nxt.due.isoformat(), "required": nxt.required}
            if nxt is not None
            else None
        )
        data["words"] = self.words()
        return data

    def table_figures(self) -> dict[str, Any]:
        """The adherence columns of the batch summary table (dates as ISO text)."""
        last = self.last_review
        return {
            "completed": self.overall.completed,
            "planned": self.overall.planned,
            "percent": self.overall.percent,
            "last_review": last.date.isoformat() if last else None,
            "next_review": self.next_review.due.isoformat() if self.next_review else None,
            "on_track": self.summary.on_track or "",
            "overdue": len(self.summary.overdue),
            "as_of": self.as_of.isoformat(),
        }


def next_review(plan: Plan, summary: Summary) -> NextReview | None:
    """The next required review (a kind with a rhythm of reviews); for a kind without
    one, the date its `review_field` gives (e.g. a District Coaching System's Review
    date), as the plan itself shows it; else None."""
    nxt = summary.next_review
    if nxt is not None:
        return NextReview(nxt.name, nxt.due, required=True)
    kind = plan.kind
    if summary.schedule or not kind.review_field:
        return None
    due = plan.fields.get(kind.review_field)
    if not isinstance(due, date):
        return None
    header = next(
        (f.header for s in kind.sheets if s.form for f in s.fields if f.key == kind.review_field),
        "Review date",
    )
    return NextReview(header, due, required=False)


def view_of(plan: Plan, summary: Summary) -> SummaryView:
    """The summary view of `plan`'s adherence `summary`."""
    kind = plan.kind
    one, many = kind.item_noun
    return SummaryView(
        summary=summary,
        kind=kind.name,
        item=one,
        items=many,
        group=kind.group_noun or kind.group_header().lower(),
        has_goals=any(s.key == "goals" for s in kind.sheets),
        next_review=next_review(plan, summary),
    )
