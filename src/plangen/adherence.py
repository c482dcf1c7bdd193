"""Plan adherence: coaching supports completed out of planned, reviews held against the
schedule, overdue supports and the next review due.

Pure functions over a `Plan`, no I/O. Every figure is computed as of a given date, so the
same workbook and date always give the same numbers.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass, field
from datetime import date

from plangen.model import Plan, Record
from plangen.schema import Field, FieldType

COMPLETED = "Completed"
DROPPED = "Dropped"


@dataclass(frozen=True)
class Item:
    """One monitored coaching support (or preparation step)."""

    section: str
    group: str
    text: str
    status: str
    target_date: date | None
    completed_on: date | None
    goal: int | None
    location: str

    @property
    def dropped(self) -> bool:
        return self.status == DROPPED

    def done_by(self, day: date, undated: bool = True) -> bool:
        """Completed on or before `day`.

        A support marked Completed without a date counts when `undated` is true (the
        plan's current figure) and not otherwise (the figure as of a past review).
        """
        if self.status != COMPLETED:
            return False
        if self.completed_on is None:
            return undated
        return self.completed_on <= day


@dataclass(frozen=True)
class Tally:
    """Supports completed out of those planned (dropped ones leave the count)."""

    completed: int
    planned: int

    @property
    def percent(self) -> int | None:
        """Whole percent completed; None when nothing is planned."""
        if not self.planned:
            return None
        return round(100 * self.completed / self.planned)

    @property
    def fraction(self) -> str:
        return f"{self.completed}/{self.planned}"

    def to_dict(self) -> dict[str, object]:
        return {"completed": self.completed, "planned": self.planned, "percent": self.percent}


@dataclass(frozen=True)
class GroupTally:
    section: str
    group: str
    tally: Tally


@dataclass(frozen=True)
class ReviewPoint:
    """A review held, with the adherence figure as of its date."""

    date: date
    type: str
    tally: Tally
    on_track: str | None
    adjustments: str | None
    location: str


@dataclass(frozen=True)
class ScheduledReview:
    """A review the plan kind requires; `held` is the date it took place, if it did."""

    name: str
    due: date
    held: date | None

    def status(self, as_of: date) -> str:
        """`held`, `missed` (due date passed) or `upcoming`."""
        if self.held is not None:
            return "held"
        return "missed" if self.due < as_of else "upcoming"


@dataclass
class Summary:
    """Every adherence figure of one plan as of one date."""

    as_of: date
    overall: Tally
    by_group: list[GroupTally]
    by_goal: list[tuple[int, Tally]]
    reviews: list[ReviewPoint]
    schedule: list[ScheduledReview]
    overdue: list[Item]
    on_track: str | None
    dropped: list[Item] = field(default_factory=list)

    @property
    def missed(self) -> list[ScheduledReview]:
        return [s for s in self.schedule if s.status(self.as_of) == "missed"]

    @property
    def next_review(self) -> ScheduledReview | None:
        """The first required review not yet held whose due date has not passed."""
        upcoming = [s for s in self.schedule if s.status(self.as_of) == "upcoming"]
        return upcoming[0] if upcoming else None

    @property
    def headline(self) -> str:
        """e.g. `5/7 coaching supports completed (71%)`."""
        t = self.overall
        if not t.planned:
            return "No coaching supports are planned yet"
        noun = "coaching support" if t.planned == 1 else "coaching supports"
        return f"{t.fraction} {noun} completed ({t.percent}%)"

    def to_dict(self) -> dict[str, object]:
        nxt = self.next_review
        return {
            "as_of": self.as_of.isoformat(),
            "headline": self.headline,
            "overall": self.overall.to_dict(),
            "by_group": [
                {"section": g.section, "group": g.group, **g.tally.to_dict()} for g in self.by_group
            ],
            "by_goal": [{"goal": goal, **t.to_dict()} for goal, t in self.by_goal],
            "reviews": [
                {
                    "date": r.date.isoformat(),
                    "type": r.type,
                    **r.tally.to_dict(),
                    "on_track": r.on_track,
                    "adjustments": r.adjustments,
                }
                for r in self.reviews
            ],
            "schedule": [
                {
                    "name": s.name,
                    "due": s.due.isoformat(),
                    "held": s.held.isoformat() if s.held else None,
                    "status": s.status(self.as_of),
                }
                for s in self.schedule
            ],
            "missed_reviews": [s.name for s in self.missed],
            "next_review": (
                {"name": nxt.name, "due": nxt.due.isoformat()} if nxt is not None else None
            ),
            "overdue": [
                {
                    "section": i.section,
                    "group": i.group,
                    "support": i.text,
                    "target_date": i.target_date.isoformat() if i.target_date else None,
                    "location": i.location,
                }
                for i in self.overdue
            ],
            "on_track": self.on_track,
        }


def tracked_items(plan: Plan) -> list[Item]:
    """Every monitored support of the plan, in sheet order."""
    items = []
    for sheet in plan.kind.sheets:
        if not sheet.tracked:
            continue
        text_key = _text_field(sheet.fields)
        for record in plan.table(sheet.key):
            items.append(_item(sheet.name, sheet.group_by, text_key, record))
    return items


def _text_field(fields: tuple[Field, ...]) -> str:
    """The first required free-text field: the support's own words."""
    for fld in fields:
        if fld.type is FieldType.TEXT and fld.required:
            return fld.key
    return fields[0].key


def _item(sheet: str, group_by: str | None, text_key: str, record: Record) -> Item:
    return Item(
        section=sheet,
        group=str(record.get(group_by, "")) if group_by else "",
        text=record.get(text_key, ""),
        status=record.get("status", "Not started"),
        target_date=record["target_date"],
        completed_on=record["completed_on"],
        goal=record["goal"],
        location=f"{sheet}!{record.cell(text_key)}",
    )


def tally(items: list[Item], as_of: date, undated: bool = True) -> Tally:
    """Completed out of planned, counting completions dated on or before `as_of`.

    Dropped supports leave the count. See `Item.done_by` for `undated`.
    """
    planned = [i for i in items if not i.dropped]
    return Tally(sum(i.done_by(as_of, undated) for i in planned), len(planned))


def tally_by_group(items: list[Item], as_of: date) -> list[GroupTally]:
    """One tally per (section, group), in the order the groups first appear."""
    keys: dict[tuple[str, str], list[Item]] = {}
    for item in items:
        keys.setdefault((item.section, item.group), []).append(item)
    return [GroupTally(s, g, tally(group, as_of)) for (s, g), group in keys.items()]


def tally_by_goal(items: list[Item], as_of: date) -> list[tuple[int, Tally]]:
    """One tally per SMART goal that supports name, in goal order."""
    goals = sorted({i.goal for i in items if i.goal is not None})
    return [(g, tally([i for i in items if i.goal == g], as_of)) for g in goals]


def overdue(items: list[Item], as_of: date) -> list[Item]:
    """Supports past their target date and neither completed nor dropped."""
    return [
        i
        for i in items
        if i.target_date is not None
        and i.target_date < as_of
        and not i.dropped
        and not i.done_by(as_of)
    ]


def review_history(plan: Plan, items: list[Item], as_of: date) -> list[ReviewPoint]:
    """Reviews held on or before `as_of`, oldest first, each with the tally at its date."""
    points = []
    for record in plan.table("reviews"):
        when = record["date"]
        if when is None or when > as_of:
            continue
        points.append(
            ReviewPoint(
                date=when,
                type=record.get("type", ""),
                tally=tally(items, when, undated=False),
                on_track=record["on_track"],
                adjustments=record["adjustments"],
                location=f"Reviews!{record.cell('date')}",
            )
        )
    return sorted(points, key=lambda p: p.date)


def required_reviews(plan: Plan, held: list[ReviewPoint]) -> list[ScheduledReview]:
    """The reviews the plan's kind requires between its start and end, with when each was held.

    `monthly`: one review in each month after the month the plan began, due on the
    month's last day. `midyear-endyear`: a Mid-Year review due January 31 and an
    End-Year review due on the plan's last day (June 30 unless the plan says otherwise).
    """
    start, end = plan.start, plan.end
    if start is None or end is None:
        return []
    if plan.kind.review_schedule == "monthly":
        return _monthly(start, end, held)
    return _midyear_endyear(start, end, held)


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _monthly(start: date, end: date, held: list[ReviewPoint]) -> list[ScheduledReview]:
    schedule = []
    year, month = start.year, start.month
    while True:
        month += 1
        if month > 12:
            year, month = year + 1, 1
        due = _month_end(year, month)
        if date(year, month, 1) > end:
            break
        done = [p.date for p in held if (p.date.year, p.date.month) == (year, month)]
        schedule.append(ScheduledReview(f"{due:%B %Y} review", due, min(done) if done else None))
    return schedule


def _midyear_endyear(start: date, end: date, held: list[ReviewPoint]) -> list[ScheduledReview]:
    mid_due = date(end.year if end.month >= 2 else end.year - 1, 1, 31)
    schedule = []
    if start <= mid_due:
        mid = [
            p.date
            for p in held
            if p.type == "Mid-Year" or (p.date.month == 1 and p.type != "End-Year")
        ]
        schedule.append(
            ScheduledReview("Mid-Year Review (January)", mid_due, min(mid) if mid else None)
        )
    end_year = [
        p.date
        for p in held
        if p.type == "End-Year" or (p.date.month in (5, 6) and p.type != "Mid-Year")
    ]
    schedule.append(
        ScheduledReview("End-Year Review (May/June)", end, min(end_year) if end_year else None)
    )
    return schedule


def summarize(plan: Plan, as_of: date) -> Summary:
    """Every adherence figure of `plan` as of `as_of`."""
    items = tracked_items(plan)
    history = review_history(plan, items, as_of)
    return Summary(
        as_of=as_of,
        overall=tally(items, as_of),
        by_group=tally_by_group(items, as_of),
        by_goal=tally_by_goal(items, as_of),
        reviews=history,
        schedule=required_reviews(plan, history),
        overdue=overdue(items, as_of),
        on_track=history[-1].on_track if history else None,
        dropped=[i for i in items if i.dropped],
    )
