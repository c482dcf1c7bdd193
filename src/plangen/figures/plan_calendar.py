"""The plan's dates as an iCalendar file (RFC 5545) people import into Outlook or Google
Calendar: every required review (due date, its window said in the description), every
monitored item's target date, and the plan's last day.

Event identifiers (UIDs) come from the district, the plan's years and what the event is
(a review's name, an item's sheet, group and own words), never from row numbers: the
file made next month gives the same item the same UID, so importing it again updates
the event instead of adding a second one. An item Completed or Dropped keeps its event
with STATUS:CANCELLED. SEQUENCE grows with the moment the file is made (minutes since
2000), so each newer file's events replace the older ones; DTSTAMP is that moment.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from plangen.errors import OutputError
from plangen.figures.adherence import (
    COMPLETED,
    DROPPED,
    END_YEAR,
    MID_YEAR,
    Item,
    ScheduledReview,
    Summary,
    tracked_items,
)
from plangen.figures.years import plan_period
from plangen.files import atomic_write
from plangen.model import Plan
from plangen.schema import Cadence

if TYPE_CHECKING:
    from icalendar import Event


class Loaded(Protocol):
    """What a calendar needs of a loaded workbook (`pipeline.Loaded` is one): its path,
    its plan and the plan's adherence summary. A protocol, so this module needs nothing
    above it (`pipeline` loads; `pipeline.export_calendar` loads and writes)."""

    workbook: Path
    plan: Plan

    def require_summary(self) -> Summary: ...

PRODID = "-//plangen//Coaching Service Delivery Plan dates//EN"
REMIND_DAYS = 7
"""An open review or item reminds this many days before it is due."""
SUMMARY_CHARS = 90
"""An item's words in the event title are cut (at a word) to this many characters; the
description holds them whole."""
_EPOCH = datetime(2000, 1, 1, tzinfo=timezone.utc)
_NOT_TEXT = re.compile("[\x00-\x08\x0b-\x1f\x7f]")
"""Control characters an iCalendar TEXT value cannot hold (tab and line feed can)."""


def plan_calendar(loaded: Loaded, *, now: datetime | None = None) -> bytes:
    """The iCalendar file of `loaded`'s plan (UTF-8 bytes, CRLF lines).

    `now` (default: this moment) is the file's DTSTAMP and sets its SEQUENCE; the same
    workbook and `now` give the same bytes. Raises InvalidPlan when the workbook has
    errors.
    """
    from icalendar import Calendar

    summary = loaded.require_summary()
    plan = loaded.plan
    stamp = (now or datetime.now(timezone.utc)).astimezone(timezone.utc).replace(microsecond=0)
    sequence = int((stamp - _EPOCH).total_seconds()) // 60
    district = _text(plan.fields.get("district") or loaded.workbook.stem)
    period = plan_period(plan)
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", f"{district}: {plan.kind.title} {period}".strip())
    key = f"{plan.kind.name}|{district.casefold()}|{period}"
    previous: dict[str, date] = {}
    for review in summary.schedule:
        label = review.schedule.label if review.schedule is not None else ""
        after = previous.get(label)
        first = after + timedelta(days=1) if after is not None else plan.start
        window = review_window(review, first)
        previous[label] = review.due
        cal.add_component(_review_event(review, window, key, district, stamp, sequence))
    cal.add_component(_end_event(plan, key, district, period, stamp, sequence))
    review_day = plan.fields.get("review_date")
    if isinstance(review_day, date):  # a date the plan itself sets for its review
        cal.add_component(_review_date_event(plan, review_day, key, district, stamp, sequence))
    seen: Counter[tuple[str, str, str]] = Counter()
    for item in tracked_items(plan):
        ident = (item.section, item.group, " ".join(item.text.split()).casefold())
        seen[ident] += 1
        if item.target_date is None:
            continue
        uid = _uid(key, "item", *ident, str(seen[ident]))
        cal.add_component(_item_event(item, plan, uid, district, stamp, sequence))
    return cal.to_ical()


@dataclass(frozen=True)
class CalendarFile:
    """A plan's calendar written to disk: where, and how many events (how many of them
    cancelled: items completed or dropped)."""

    path: Path
    events: int
    cancelled: int


def write_calendar(
    loaded: Loaded, target: Path | str, *, now: datetime | None = None
) -> CalendarFile:
    """Write `plan_calendar(loaded)` to `target` (atomically, never onto the workbook).

    Raises InvalidPlan when the workbook has errors, OutputError when `target` is the
    workbook itself; nothing is written then.
    """
    target = Path(target)
    if target.resolve() == loaded.workbook.resolve():
        raise OutputError(f"{target}: the calendar would overwrite the workbook itself")
    data = plan_calendar(loaded, now=now)
    with atomic_write(target) as tmp:
        tmp.write_bytes(data)
    return CalendarFile(
        target, data.count(b"BEGIN:VEVENT"), data.count(b"\r\nSTATUS:CANCELLED\r\n")
    )


def _uid(*parts: str) -> str:
    digest = hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()[:32]
    return f"{digest}@plangen"


def _text(value: object) -> str:
    """Workbook text as an iCalendar TEXT value holds it: line breaks as line feeds,
    other control characters removed (icalendar escapes `\\ ; ,` and line feeds)."""
    text = str(value).replace("\r\n", "\n").replace("\r", "\n")
    return _NOT_TEXT.sub("", text)


def _shorten(text: str, limit: int = SUMMARY_CHARS) -> str:
    """`text` on one line, cut at a word to at most `limit` characters (with `…`)."""
    line = " ".join(text.split())
    if len(line) <= limit:
        return line
    cut = line[: limit - 1].rsplit(" ", 1)[0]
    return cut.rstrip(",;:.") + "…"


def _event(uid: str, day: date, title: str, stamp: datetime, sequence: int) -> Event:
    """An all-day event on `day`."""
    from icalendar import Event

    event = Event()
    event.add("uid", uid)
    event.add("dtstamp", stamp)
    event.add("sequence", sequence)
    event.add("summary", title)
    event.add("dtstart", day)
    event.add("dtend", day + timedelta(days=1))
    event.add("transp", "TRANSPARENT")
    return event


def _remind(event: Event, title: str) -> None:
    from icalendar import Alarm

    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("description", title)
    alarm.add("trigger", timedelta(days=-REMIND_DAYS))
    event.add_component(alarm)


def review_window(review: ScheduledReview, start: date | None) -> tuple[date, date]:
    """The days a required review may be held in: its month (a monthly review), January
    (Mid-Year), May to its due date (End-Year); another event (a DIT progress
    communication) from `start`, the day after the one before it or the plan's start."""
    due = review.due
    monthly = review.schedule is not None and review.schedule.cadence is Cadence.MONTHLY
    if review.type == END_YEAR and due.month in (5, 6):
        first = date(due.year, 5, 1)
    elif review.type in (MID_YEAR, END_YEAR) or monthly:
        first = due.replace(day=1)
    else:
        first = start or due
    if start is not None:
        first = max(first, start)
    return min(first, due), due


def _review_event(
    review: ScheduledReview,
    window: tuple[date, date],
    key: str,
    district: str,
    stamp: datetime,
    sequence: int,
) -> Event:
    first, due = window
    name = _text(review.name)
    name = name[:1].upper() + name[1:]
    title = f"{name} due: {district}"
    lines = [
        f"{name} of the plan of {district}: due by {due:%B %-d, %Y}.",
        f"Window: {first:%B %-d, %Y} to {due:%B %-d, %Y}.",
    ]
    if review.held is not None:
        title = f"{name} held: {district}"
        lines.append(f"Held on {review.held:%B %-d, %Y}.")
    event = _event(_uid(key, "review", review.name.casefold()), due, title, stamp, sequence)
    event.add("description", "\n".join(lines))
    other = review.schedule is not None and review.schedule.sheet != "reviews"
    category = review.schedule.label if other and review.schedule else "Plan review"
    event.add("categories", [category[:1].upper() + category[1:]])
    event.add("status", "CONFIRMED")
    if review.held is None:
        _remind(event, title)
    return event


def _end_event(
    plan: Plan, key: str, district: str, period: str, stamp: datetime, sequence: int
) -> Event:
    end = plan.end
    assert end is not None  # a valid plan has a start, so an end
    title = f"Plan ends: {district}, {plan.kind.title} {period}".strip()
    event = _event(_uid(key, "plan-end"), end, title, stamp, sequence)
    event.add(
        "description",
        f"The last day of the {plan.kind.title} of {district} ({period}). Hold the end-year "
        "review and start next year's plan from this one (plangen new KIND NEXT.xlsx "
        "--from THIS.xlsx).",
    )
    event.add("categories", ["Plan end"])
    event.add("status", "CONFIRMED")
    return event


def _review_date_event(
    plan: Plan, day: date, key: str, district: str, stamp: datetime, sequence: int
) -> Event:
    """The review date the Plan sheet gives (the Coaching System's next review)."""
    title = f"Review of the {plan.kind.title}: {district}"
    event = _event(_uid(key, "review-date"), day, title, stamp, sequence)
    event.add("description", f"{district} reviews its {plan.kind.title} (Plan sheet: Review date).")
    event.add("categories", ["Plan review"])
    event.add("status", "CONFIRMED")
    _remind(event, title)
    return event


def _item_event(
    item: Item, plan: Plan, uid: str, district: str, stamp: datetime, sequence: int
) -> Event:
    sheet = next(s for s in plan.kind.sheets if s.name == item.section)
    header = sheet.field(sheet.group_by).header if sheet.group_by else "Group"
    words = _text(item.text)
    group = _text(item.group)
    finished = item.status in (COMPLETED, DROPPED)
    title = f"{_shorten(words)} ({group})" if group else _shorten(words)
    one = plan.kind.item_noun[0]
    lines = [
        words,
        "",
        *([f"{header}: {group}"] if group else []),
        f"Status: {item.status}",
        *([f"Goal: {item.goal}"] if item.goal is not None else []),
        f"A {one} of the plan of {district}; in the workbook at {_text(item.location)}.",
    ]
    assert item.target_date is not None
    event = _event(uid, item.target_date, title, stamp, sequence)
    event.add("description", "\n".join(lines))
    event.add("categories", [_text(item.section)])
    event.add("status", "CANCELLED" if finished else "CONFIRMED")
    if not finished:
        _remind(event, title)
    return event
