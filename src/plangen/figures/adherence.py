"""Plan adherence: coaching supports completed out of planned, reviews held against the
schedule, overdue supports and the next review due.

Pure functions over a `Plan`, no I/O. Every figure is computed as of a given date, so the
same workbook and date always give the same numbers.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass, field, replace
from datetime import date, timedelta

from plangen.errors import Issue, warning
from plangen.model import Plan, Record
from plangen.schema import Cadence, Field, FieldType, Schedule
from plangen.workbook.values import format_date

COMPLETED = "Completed"
DROPPED = "Dropped"
MID_YEAR = "Mid-Year"
END_YEAR = "End-Year"
OTHER = "Other"
LAST_REVIEW_WINDOW_DAYS = 183
"""An End-Year review this close to the plan's end counts as its last review."""


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
        plan's figure as of `day`) and not otherwise (the figure as of a past review).
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
        """Whole percent completed, halves rounded up (5/8 is 63%, as in Excel); None
        when nothing is planned."""
        if not self.planned:
            return None
        return (200 * self.completed + self.planned) // (2 * self.planned)

    @property
    def fraction(self) -> str:
        return f"{self.completed}/{self.planned}"

    def to_dict(self) -> dict[str, object]:
        return {"completed": self.completed, "planned": self.planned, "percent": self.percent}


@dataclass(frozen=True)
class GroupTally:
    """The tally of one group (a level, a coaching relationship) of one section."""

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
    """A review the plan kind requires; `held` is the date it took place, None if not yet."""

    name: str
    due: date
    held: date | None
    type: str = ""
    """`Mid-Year`, `End-Year`, or empty for a monthly review."""
    schedule: Schedule | None = field(default=None, compare=False, repr=False)
    """The kind's schedule that requires it."""

    def status(self, as_of: date) -> str:
        """`held`, `missed` (due date passed) or `upcoming` (due on or after `as_of`)."""
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
    """The latest review's answer to "on track?"; None when no review gave one."""
    dropped: list[Item] = field(default_factory=list)
    noun: tuple[str, str] = ("coaching support", "coaching supports")
    """What a monitored item is called (the kind's `item_noun`)."""

    @property
    def missed(self) -> list[ScheduledReview]:
        """Required reviews whose due date passed before `as_of` without being held."""
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
        one, many = self.noun
        if not t.planned:
            if self.dropped:
                n = len(self.dropped)
                return f"No {many} remain planned ({n} dropped)"
            return f"No {many} are planned yet"
        noun = one if t.planned == 1 else many
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
                    "location": r.location,
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
            "overdue": [_item_dict(i) for i in self.overdue],
            "dropped": [_item_dict(i) for i in self.dropped],
            "on_track": self.on_track,
        }


def _item_dict(item: Item) -> dict[str, object]:
    return {
        "section": item.section,
        "group": item.group,
        "support": item.text,
        "target_date": item.target_date.isoformat() if item.target_date else None,
        "location": item.location,
    }


def tracked_items(plan: Plan) -> list[Item]:
    """Every monitored support of the plan, in sheet order."""
    link, match = plan.kind.goal_link.field, plan.kind.goal_link.matches
    goal_of: dict[object, int] = {}
    for row in plan.table("goals"):
        if row[match] is not None and row["number"] is not None:
            goal_of.setdefault(row[match], row["number"])
    items = []
    for sheet in plan.kind.sheets:
        if not sheet.tracked:
            continue
        text_key = _text_field(sheet.fields)
        for record in plan.table(sheet.key):
            value = record[link]
            # a goal number is the goal itself; another link (a concept) is looked up
            goal = value if match == "number" else goal_of.get(value)
            items.append(_item(sheet.name, sheet.group_by, text_key, record, goal))
    return items


def _text_field(fields: tuple[Field, ...]) -> str:
    """The first required free-text field: the support's own words."""
    for fld in fields:
        if fld.type is FieldType.TEXT and fld.required:
            return fld.key
    return fields[0].key


def _item(
    sheet: str, group_by: str | None, text_key: str, record: Record, goal: int | None
) -> Item:
    return Item(
        section=sheet,
        group=str(record.get(group_by, "")) if group_by else "",
        text=record.get(text_key, ""),
        status=record.get("status", COMPLETED if record["completed_on"] else "Not started"),
        target_date=record["target_date"],
        completed_on=record["completed_on"],
        goal=goal,
        location=f"{sheet}!{record.cell(text_key)}",
    )


def tally(items: list[Item], as_of: date, undated: bool = True) -> Tally:
    """Completed out of planned, counting completions dated on or before `as_of`.

    Dropped supports leave the count. See `Item.done_by` for `undated`.
    """
    planned = [i for i in items if not i.dropped]
    return Tally(sum(i.done_by(as_of, undated) for i in planned), len(planned))


def tally_by_group(items: list[Item], as_of: date) -> list[GroupTally]:
    """One tally per (section, group) with a support still planned, in first-seen order."""
    keys: dict[tuple[str, str], list[Item]] = {}
    for item in items:
        keys.setdefault((item.section, item.group), []).append(item)
    tallies = [GroupTally(s, g, tally(group, as_of)) for (s, g), group in keys.items()]
    return [g for g in tallies if g.tally.planned]


def tally_by_goal(items: list[Item], as_of: date) -> list[tuple[int, Tally]]:
    """One tally per SMART goal that a still-planned support names, in goal order."""
    goals = sorted({i.goal for i in items if i.goal is not None and not i.dropped})
    return [(g, tally([i for i in items if i.goal == g], as_of)) for g in goals]


def overdue(items: list[Item], as_of: date) -> list[Item]:
    """Supports past their target date (before `as_of`), neither completed nor dropped.

    A support completed after `as_of` was still overdue on `as_of`.
    """
    return [
        i
        for i in items
        if i.target_date is not None
        and i.target_date < as_of
        and not i.dropped
        and not i.done_by(as_of)
    ]


def review_history(
    plan: Plan, items: list[Item], as_of: date, sheet: str = "reviews"
) -> list[ReviewPoint]:
    """Reviews held from the plan's start to `as_of`, oldest first, each with the tally at
    its date (undated completions left out, as their date is unknown).

    Reviews dated before the plan began or after `as_of` are left out (the reader warns).
    `sheet` is the key of the table sheet that logs them (any sheet with a Date column).
    """
    start = plan.start
    name = next((s.name for s in plan.kind.sheets if s.key == sheet), sheet)
    points = []
    for record in plan.table(sheet):
        when = record["date"]
        if when is None or when > as_of or (start is not None and when < start):
            continue
        points.append(
            ReviewPoint(
                date=when,
                type=record.get("type", ""),
                tally=tally(items, when, undated=False),
                on_track=record["on_track"],
                adjustments=record["adjustments"],
                location=f"{name}!{record.cell('date')}",
            )
        )
    return sorted(points, key=lambda p: p.date)


def required_reviews(
    plan: Plan, held: list[ReviewPoint], as_of: date | None = None
) -> list[ScheduledReview]:
    """The reviews (and other events) the kind's schedules require from the plan's start
    to its end, each with the date it was held (None when not held), in due order.

    `held` are the reviews of the Reviews sheet; events a schedule logs on another sheet
    count when dated on or before `as_of` (any date when None).
    `monthly`: one review in each calendar month after the month the plan began, due on
    the month's last day (the plan's last day in its last month); any review held in
    that month counts.
    `midyear-endyear`: see `midyear_endyear_schedule`. `per-year`: see `_per_year`.
    """
    start, end = plan.start, plan.end
    if start is None or end is None or end < start:
        return []
    schedule: list[ScheduledReview] = []
    for required in plan.kind.schedules:
        logged = held
        if required.sheet != "reviews":
            logged = review_history(plan, [], as_of or date.max, required.sheet)
        schedule += [
            replace(event, schedule=required)
            for event in _events(required, start, end, logged)
        ]
    return sorted(schedule, key=lambda s: s.due)


def _events(
    required: Schedule, start: date, end: date, logged: list[ReviewPoint]
) -> list[ScheduledReview]:
    """The events of one schedule, each with the date it was held."""
    if required.cadence is Cadence.MONTHLY:
        return _monthly(start, end, logged)
    if required.cadence is Cadence.PER_YEAR:
        return _per_year(start, end, logged, required.label, required.times)
    if required.cadence is Cadence.MIDYEAR_ENDYEAR:
        return _match(midyear_endyear_schedule(start, end), logged)
    raise AssertionError(f"unhandled cadence {required.cadence!r}")  # Cadence is closed


def _per_year(
    start: date, end: date, held: list[ReviewPoint], label: str, times: int
) -> list[ScheduledReview]:
    """`times` events: the plan's months split into `times` equal runs, the k-th event due
    at the end of the k-th run and held by the first event logged within that run."""
    months = (end.year - start.year) * 12 + end.month - start.month + 1
    schedule, first = [], start
    for k in range(1, times + 1):
        year, month = divmod(start.year * 12 + start.month - 2 + round(months * k / times), 12)
        due = min(_month_end(year, month + 1), end) if k < times else end
        done = [p.date for p in held if first <= p.date <= due]
        schedule.append(ScheduledReview(f"{label} {k} of {times}", due, min(done, default=None)))
        first = due + timedelta(days=1)
    return schedule


def missed_issues(plan: Plan, schedule: list[ScheduledReview], as_of: date) -> list[Issue]:
    """A warning for each event of a `warn` schedule whose due date passed unlogged.

    `schedule` is `required_reviews` of the plan (worked out once per workbook).
    """
    return [
        warning(
            f"{event.name} was due by {format_date(event.due)} and none is logged",
            plan.kind.sheet(event.schedule.sheet).name,
            code="missed-event",
        )
        for event in schedule
        if event.schedule is not None
        and event.schedule.warn
        and event.status(as_of) == "missed"
    ]


def plan_schedule(plan: Plan, as_of: date) -> list[ScheduledReview]:
    """The events the plan's kind requires, with those held by `as_of` (see
    `required_reviews`); what `missed_issues` and `summarize` both start from."""
    return required_reviews(plan, review_history(plan, [], as_of), as_of)


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _monthly(start: date, end: date, held: list[ReviewPoint]) -> list[ScheduledReview]:
    schedule: list[ScheduledReview] = []
    year, month = start.year, start.month
    while True:
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        if date(year, month, 1) > end:
            return schedule
        due = min(_month_end(year, month), end)
        done = [p.date for p in held if (p.date.year, p.date.month) == (year, month)]
        schedule.append(ScheduledReview(f"{due:%B %Y} review", due, min(done, default=None)))


def midyear_endyear_schedule(start: date, end: date) -> list[ScheduledReview]:
    """The Mid-Year (due January 31) and End-Year (due June 30) reviews of a plan running
    from `start` to `end`, in due order, none held yet.

    Each is required when its due date falls within the plan. When no End-Year review
    falls in the plan's last six months (a plan ending in April), one is due on its last
    day. Names carry the year when the plan has more than one review of a type.
    """
    required: list[tuple[str, date]] = []
    for year in range(start.year, end.year + 1):
        for kind, day in ((MID_YEAR, date(year, 1, 31)), (END_YEAR, date(year, 6, 30))):
            if start <= day <= end:
                required.append((kind, day))
    last_end = max((day for kind, day in required if kind == END_YEAR), default=None)
    if last_end is None or (end - last_end).days > LAST_REVIEW_WINDOW_DAYS:
        required.append((END_YEAR, end))
    required.sort(key=lambda r: r[1])
    kinds = [kind for kind, _ in required]
    return [_named(kind, day, kinds.count(kind) > 1) for kind, day in required]


def _named(kind: str, due: date, with_year: bool) -> ScheduledReview:
    when = "May/June" if due.month in (5, 6) else f"{due:%B}"
    suffix = f" {due.year}" if with_year else ""
    return ScheduledReview(f"{kind} Review ({when}{suffix})", due, None, kind)


def _counts_for(point: ReviewPoint, kind: str, due: date) -> bool:
    """Whether a review of type Other (not named Mid-Year or End-Year) may stand for a
    required review: it must be held in that review's month(s) of the same year."""
    if point.type != OTHER or point.date.year != due.year:
        return False
    months = (1,) if kind == MID_YEAR else (5, 6, due.month)
    return point.date.month in months and point.date <= due


def _match(schedule: list[ScheduledReview], held: list[ReviewPoint]) -> list[ScheduledReview]:
    """Each required review with the earliest review that stands for it.

    A review typed Mid-Year or End-Year stands for the required review nearest to it in
    time (held early or late) when that one is of its type; an End-Year review held in
    January is neither. A review typed Other stands for one held in its month (January;
    May or June); a Monthly review never does. Each review stands for at most one.
    """
    found: dict[int, list[date]] = {}
    for point in held:
        if point.type in (MID_YEAR, END_YEAR):
            if schedule:
                best = min(
                    range(len(schedule)),
                    key=lambda i: (
                        abs((schedule[i].due - point.date).days),
                        schedule[i].type != point.type,
                    ),
                )
                if schedule[best].type == point.type:
                    found.setdefault(best, []).append(point.date)
            continue
        for i, s in enumerate(schedule):
            if _counts_for(point, s.type, s.due):
                found.setdefault(i, []).append(point.date)
                break
    return [
        ScheduledReview(s.name, s.due, min(found.get(i, []), default=None), s.type)
        for i, s in enumerate(schedule)
    ]


def summarize(
    plan: Plan, as_of: date, schedule: list[ScheduledReview] | None = None
) -> Summary:
    """Every adherence figure of `plan` as of `as_of`; `schedule` is `plan_schedule`'s
    answer when already worked out."""
    items = tracked_items(plan)
    history = review_history(plan, items, as_of)
    if schedule is None:
        schedule = required_reviews(plan, history, as_of)
    answered = [p.on_track for p in history if p.on_track]
    return Summary(
        as_of=as_of,
        overall=tally(items, as_of),
        by_group=tally_by_group(items, as_of),
        by_goal=tally_by_goal(items, as_of),
        reviews=history,
        schedule=schedule,
        overdue=overdue(items, as_of),
        on_track=answered[-1] if answered else None,
        dropped=[i for i in items if i.dropped],
        noun=plan.kind.item_noun,
    )
