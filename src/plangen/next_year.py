"""Next year's plan started from this year's (`plangen new KIND NEXT.xlsx --from THIS.xlsx`).

The new workbook is the guided blank workbook of the kind (drop-downs, notes,
Instructions), filled from last year's:

- the Plan sheet's names (district, team, coordinator, people) are carried; its dates are
  the new period's (Figures as of blank), another date on it (a review date) moves a
  year on; values a kind declares `carry=False` (the draft's and approval's dates and
  names, last year's results) are left blank;
- monitored items (supports, steps) not Completed or Dropped are carried with their status
  and a note "Carried from <period>" on their own words; each target date is moved by the
  whole years the period moved, into the new period (never left blank); completed or
  dropped items stay in last year's plan;
- sheets a kind declares `roll="revise"` (focus areas, goals, baseline data) are carried as
  drafts: in each row the first text the user wrote starts with `[Revise]`, and `plangen
  validate` reports every such cell as an error until the mark is deleted, so the plan is
  not built from last year's goals by mistake; `roll="drop"` sheets (the review log) start
  empty; other sheets are carried as they were.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from plangen.errors import InvalidPlan, OutputError, PlangenError
from plangen.figures.adherence import (
    COMPLETED,
    DROPPED,
    ScheduledReview,
    required_reviews,
)
from plangen.figures.years import plan_period
from plangen.model import Plan, Record
from plangen.safetext import put_cell
from plangen.schema import Field, FieldType, PlanKind, Sheet
from plangen.workbook.blank import HEADER_ROW, blank_book, save_book
from plangen.workbook.revise import REVISE_MARK

_NOTE_FONT = Font(name="Calibri", bold=True, color="833C0B")
_PERIOD_KEYS = ("date_initiated", "plan_end", "as_of")


@dataclass(frozen=True)
class Carried:
    """A monitored item carried into next year's workbook."""

    sheet: str
    cell: str
    text: str
    status: str
    target: date | None
    was: date | None
    """Its target date in last year's plan."""


@dataclass(frozen=True)
class Mark:
    """A cell carried as a draft marked for revision."""

    sheet: str
    cell: str
    header: str
    text: str


@dataclass
class NextYear:
    """What `roll_forward` wrote and what the coordinator must revise."""

    path: Path
    source: Path
    kind: PlanKind
    district: str
    old_period: str
    start: date
    end: date
    carried: list[Carried] = field(default_factory=list)
    revise: list[Mark] = field(default_factory=list)
    kept: dict[str, int] = field(default_factory=dict)
    """Sheet name -> rows carried as they were."""
    left: dict[str, int] = field(default_factory=dict)
    """What stays in last year's plan: `completed`, `dropped` items, and rows of each
    sheet started empty (by sheet name)."""
    reviews: list[ScheduledReview] = field(default_factory=list)
    """The new period's required reviews."""

    @property
    def period(self) -> str:
        """The new plan's years, e.g. `2024-25`."""
        if self.start.year == self.end.year:
            return f"{self.start:%Y}"
        return f"{self.start:%Y}-{self.end:%y}"


def shift_years(day: date, years: int) -> date:
    """`day` moved by whole `years` (February 29 becomes February 28)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def next_period(start: date, end: date) -> tuple[date, date]:
    """The period after `start`..`end`: the same days, moved by the fewest whole years
    that start it after `end` (one year for a school-year plan)."""
    years = 1
    while shift_years(start, years) <= end:
        years += 1
    return shift_years(start, years), shift_years(end, years)


def roll_forward(
    source: Path | str,
    target: Path | str,
    *,
    kind: PlanKind | None = None,
    period: tuple[date, date] | None = None,
    today: date | None = None,
) -> NextYear:
    """Write next year's guided workbook of `source`'s plan to `target` (see the module).

    `period` (start, end) defaults to `next_period` of the source plan's; `kind`, when
    given, must be the source's kind. Raises InvalidPlan when `source` has errors,
    PlangenError for another kind or a period that does not start after the source
    plan's start, OutputError when `target` is `source`; nothing is written then.
    """
    from plangen.pipeline import load

    source, target = Path(source), Path(target)
    if target.resolve() == source.resolve():
        raise OutputError(f"{target}: next year's workbook would overwrite this year's")
    loaded = load(source)
    plan = loaded.plan
    if kind is not None and plan.kind is not kind:
        raise PlangenError(
            f"{source} holds a {plan.kind.name} plan, not a {kind.name} plan",
            hint=f"plangen new {plan.kind.name} {target} --from {source}",
        )
    if not loaded.valid:
        raise InvalidPlan(loaded.report)
    old_start, old_end = plan.start, plan.end
    assert old_start is not None and old_end is not None  # required of a valid plan
    start, end = period or next_period(old_start, old_end)
    if start <= old_start or end < start:
        raise PlangenError(
            f"the new plan's period {start.isoformat()} to {end.isoformat()} must start "
            f"after this plan began ({old_start.isoformat()}) and end after it starts"
        )
    years = max(1, round((start - old_start).days / 365.25))
    result = NextYear(
        path=target,
        source=source,
        kind=plan.kind,
        district=str(plan.fields.get("district") or ""),
        old_period=plan_period(plan),
        start=start,
        end=end,
    )
    book = blank_book(plan.kind)
    writer = _Writer(book, plan, result, years)
    for sheet in plan.kind.sheets:
        if sheet.form:
            writer.form(sheet)
        elif sheet.tracked:
            writer.items(sheet)
        elif sheet.roll == "drop":
            if plan.table(sheet.key):
                result.left[sheet.name] = len(plan.table(sheet.key))
        else:
            writer.rows(sheet, revise=sheet.roll == "revise")
    writer.extend_lists()
    writer.note(source.name, today or date.today())
    result.reviews = required_reviews(
        Plan(plan.kind, target, {"date_initiated": start, "plan_end": end}, {}), []
    )
    save_book(book, target)
    return result


class _Writer:
    """Fills the blank workbook `book` from last year's `plan`."""

    def __init__(self, book: Any, plan: Plan, result: NextYear, years: int) -> None:
        self.book, self.plan, self.result, self.years = book, plan, result, years
        self.extra: dict[str, list[str]] = {}

    def _date(self, day: date) -> date:
        """A date of last year's plan moved into the new period."""
        moved = shift_years(day, self.years)
        return min(max(moved, self.result.start), self.result.end)

    def _put(self, ws: Any, row: int, column: int, fld: Field, value: Any) -> Any:
        if value is None:
            return None
        if fld.type is FieldType.YESNO:
            value = "Yes" if value else "No"
        elif fld.choices is not None and fld.choices.extendable and value not in fld.choices.values:
            self.extra.setdefault(fld.choices.name, []).append(str(value))
        cell = put_cell(ws, row, column, value)
        if fld.type is FieldType.PERCENT:
            cell.value = float(value) / 100
            cell.number_format = "0%" if float(value).is_integer() else "0.0#%"
        elif fld.type is FieldType.DATE:
            cell.number_format = "yyyy-mm-dd"
        if fld.long:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        return cell

    def form(self, sheet: Sheet) -> None:
        ws = self.book[sheet.name]
        period = {"date_initiated": self.result.start, "plan_end": self.result.end}
        for row, fld in enumerate(sheet.fields, start=HEADER_ROW + 1):
            value = self.plan.fields.get(fld.key)
            if fld.key in _PERIOD_KEYS:
                value = period.get(fld.key)
            elif not fld.carry:
                value = None
            elif fld.type is FieldType.DATE and value is not None:
                value = self._date(value)  # a date ahead, like a review date
            self._put(ws, row, 2, fld, value)

    def items(self, sheet: Sheet) -> None:
        ws = self.book[sheet.name]
        text_key = _own_words(sheet)
        row = HEADER_ROW + 1
        groups: list[Any] = []
        open_groups: set[Any] = set()
        for record in self.plan.table(sheet.key):
            status = record.get("status", "")
            group = record[sheet.group_by] if sheet.group_by else None
            if group is not None and group not in groups:
                groups.append(group)
            if status not in (COMPLETED, DROPPED):
                open_groups.add(group)
            if status in (COMPLETED, DROPPED):
                key = "completed" if status == COMPLETED else "dropped"
                self.result.left[key] = self.result.left.get(key, 0) + 1
                continue
            was = record["target_date"]
            target = self._date(was) if was is not None else None
            for column, fld in enumerate(sheet.fields, start=1):
                value = record[fld.key]
                if fld.key in ("completed_on", "drop_reason") or not fld.carry:
                    value = None
                elif fld.key == "target_date":
                    value = target
                elif fld.type is FieldType.DATE and value is not None:
                    value = self._date(value)
                cell = self._put(ws, row, column, fld, value)
                if fld.key == text_key and cell is not None:
                    cell.comment = Comment(
                        _carried_note(self.result.old_period, status, was, target),
                        "plangen",
                        width=300,
                        height=90,
                    )
                    self.result.carried.append(
                        Carried(
                            sheet.name,
                            cell.coordinate,
                            str(record[text_key]),
                            status or "Not started",
                            target,
                            was,
                        )
                    )
            row += 1
        emptied = [g for g in groups if g not in open_groups]
        for group in emptied:
            words = f"{REVISE_MARK} Plan next year's {self.plan.kind.item_noun[1]} for {group}"
            text_fld = sheet.field(text_key)
            column = sheet.fields.index(text_fld) + 1
            self._put(ws, row, column, text_fld, words + " (last year's were all done).")
            if sheet.group_by:
                group_fld = sheet.field(sheet.group_by)
                self._put(ws, row, sheet.fields.index(group_fld) + 1, group_fld, group)
            self.result.revise.append(
                Mark(sheet.name, f"{get_column_letter(column)}{row}", text_fld.header, "")
            )
            row += 1

    def rows(self, sheet: Sheet, revise: bool) -> None:
        ws = self.book[sheet.name]
        records = self.plan.table(sheet.key)
        if not records:
            return
        if sheet.prefill:  # last year's rows replace the list written into the blank
            for values in ws.iter_rows(
                min_row=HEADER_ROW + 1, max_row=HEADER_ROW + len(sheet.prefill)
            ):
                for cell in values:
                    cell.value = None
        for row, record in enumerate(records, start=HEADER_ROW + 1):
            mark = _mark_key(sheet, record) if revise else None
            for column, fld in enumerate(sheet.fields, start=1):
                value = record[fld.key] if fld.carry else None
                if fld.type is FieldType.DATE and value is not None:
                    value = self._date(value)
                if fld.key == mark:
                    value = f"{REVISE_MARK} {value}"
                cell = self._put(ws, row, column, fld, value)
                if fld.key == mark and cell is not None:
                    self.result.revise.append(
                        Mark(sheet.name, cell.coordinate, fld.header, str(record[fld.key]))
                    )
        if not revise:
            self.result.kept[sheet.name] = len(records)

    def extend_lists(self) -> None:
        """Entries of extendable lists that carried cells use, added on the Lists sheet."""
        ws = self.book["Lists"]
        for column, lst in enumerate(self.plan.kind.lists, start=1):
            for offset, value in enumerate(dict.fromkeys(self.extra.get(lst.name, ()))):
                put_cell(ws, 3 + len(lst.values) + offset, column, value)

    def note(self, source: str, today: date) -> None:
        """A line at the top of the Instructions sheet: where this workbook came from."""
        ws = self.book["Instructions"]
        r = self.result
        text = (
            f"Next year's plan ({r.period}, {r.start.isoformat()} to {r.end.isoformat()}), "
            f"started on {today.isoformat()} from {source} ({r.old_period}). Revise every cell "
            f'that starts with "{REVISE_MARK}" and delete the mark; plangen validate lists them.'
        )
        cell = ws.cell(3, 1, text)
        cell.font, cell.alignment = _NOTE_FONT, Alignment(wrap_text=True, vertical="top")
        ws.merge_cells(start_row=3, start_column=1, end_row=3, end_column=2)
        ws.row_dimensions[3].height = 32


def _own_words(sheet: Sheet) -> str:
    """The key of a monitored item's own words: its first required text column."""
    for fld in sheet.fields:
        if fld.type is FieldType.TEXT and fld.required:
            return fld.key
    return sheet.fields[0].key


def _mark_key(sheet: Sheet, record: Record) -> str | None:
    """Which cell of a carried draft row holds the mark: its first text the user wrote
    (required text first); None for a row that holds only what the blank prefills."""
    prefilled = {k for values in sheet.prefill for k in values}
    written = [
        f for f in sheet.fields if f.key not in prefilled and record[f.key] not in (None, False, "")
    ]
    if sheet.prefill and not written:
        return None
    texts = [
        f
        for f in sheet.fields
        if f.type is FieldType.TEXT and f.carry and isinstance(record[f.key], str) and record[f.key]
    ]
    texts.sort(key=lambda f: not f.required)
    return texts[0].key if texts else None


def _carried_note(period: str, status: str, was: date | None, target: date | None) -> str:
    state = status or "Not started"
    text = f"Carried from {period} ({state})."
    if was is not None and target is not None:
        text += f" Target date {was.isoformat()} moved to {target.isoformat()}: check it."
    return text
