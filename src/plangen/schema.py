"""Declarations of a plan kind: its sheets, columns, types and drop-down lists.

One `PlanKind` drives both the blank workbook (`plangen new`) and the reader, so adding
a column is one edit here, not three.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

from plangen.errors import Issue, error


class FieldType(str, Enum):
    """What a cell holds; decides how it is parsed and how it is shown."""

    TEXT = "text"
    DATE = "date"
    PERCENT = "percent"
    INTEGER = "integer"
    CHOICE = "choice"
    YESNO = "yes/no"


@dataclass(frozen=True)
class Field:
    """One column of a table sheet, or one labelled row of a form sheet."""

    key: str
    header: str
    type: FieldType = FieldType.TEXT
    help: str = ""
    required: bool = False
    choices: str | None = None
    """Name of a list in `PlanKind.lists` (for CHOICE fields)."""
    width: int = 18
    long: bool = False
    """Free text that may run to paragraphs (wider column, wrapped)."""
    aliases: tuple[str, ...] = ()
    """Other headers (or form labels) read as this field, e.g. `Due date` for Target date.
    Case, punctuation and words added around the header (`Status (pick)`) match anyway."""
    month_means: str = "end"
    """A DATE typed as a month alone (`November 2026`): its `end` (last day) or `start`."""

    def __post_init__(self) -> None:
        if self.type is FieldType.DATE and "A month alone" not in self.help:
            day = "its last day" if self.month_means == "end" else "its 1st"
            sentence = f"A month alone (November 2026) means {day}."
            object.__setattr__(self, "help", f"{self.help} {sentence}".strip())


@dataclass(frozen=True)
class ChoiceList:
    """A drop-down list written to the Lists sheet.

    `open` lists suggest values but accept any text (levels a district names itself);
    `extendable` lists take their values from the workbook's Lists sheet, so a
    coordinator can add entries there.
    """

    name: str
    values: tuple[str, ...]
    open: bool = False
    extendable: bool = False


@dataclass(frozen=True)
class Sheet:
    """A sheet of the workbook.

    A `form` sheet has one labelled value per row (label in column A, value in B).
    A table sheet has a header row and one record per row below it.
    """

    name: str
    key: str
    title: str
    help: str
    fields: tuple[Field, ...]
    aliases: tuple[str, ...] = ()
    """Other sheet names read as this sheet (case, punctuation and words added around the
    name, like `Supports 2026-27`, match anyway)."""
    form: bool = False
    min_rows: int = 0
    max_rows: int | None = None
    group_by: str | None = None
    """Field whose value groups the records (a level, a direction)."""
    tracked: bool = False
    """Records are coaching supports whose completion is monitored."""
    prefill: tuple[dict[str, str], ...] = ()
    """Rows written into the blank workbook (e.g. the fixed list of focus areas)."""

    def field(self, key: str) -> Field:
        """The field named `key`; KeyError when the sheet has none."""
        for f in self.fields:
            if f.key == key:
                return f
        raise KeyError(key)


Rule = Callable[[Any], list[Issue]]
"""A check of a whole plan (a `model.Plan`, which this module does not import, as the
plan names its kind): every problem found, each at its cell."""


@dataclass(frozen=True)
class Schedule:
    """Events a plan kind requires, and the table sheet where the held ones are logged.

    `rule` is `monthly` (one each month after the plan began), `midyear-endyear`
    (January and the plan's last day) or `per-year` (`times` events, one in each of
    `times` equal stretches of the plan period). A required event with no logged date
    is `missed` once its due date passes; `warn` makes `plangen validate` say so too.
    """

    sheet: str
    rule: str
    label: str = "review"
    times: int = 0
    warn: bool = False


@dataclass(frozen=True)
class PlanKind:
    """Everything plangen knows about one kind of plan."""

    name: str
    title: str
    summary: str
    sheets: tuple[Sheet, ...]
    lists: tuple[ChoiceList, ...]
    template: str
    example: str
    """File name of the example workbook under input_examples/."""
    review_schedule: str
    """`monthly` or `midyear-endyear`: how often the plan must be reviewed."""
    rules: tuple[Rule, ...] = ()
    instructions: tuple[str, ...] = field(default_factory=tuple)
    schedules: tuple[Schedule, ...] = ()
    goal_link: tuple[str, str] = ("goal", "number")
    """How a monitored item names its SMART goal: (its field, the field of the `goals`
    sheet that value matches); the goal's number is what adherence groups by."""
    focus: tuple[str, str, str | None] = ("", "", None)
    """What the plan focuses on, for summaries: (sheet key, field, yes/no field that
    selects rows or None for every row), e.g. the selected focus areas."""
    """Every schedule of required events; empty means the Reviews sheet on
    `review_schedule`."""

    def required_schedules(self) -> tuple[Schedule, ...]:
        """The kind's schedules (its reviews on `review_schedule` when none is declared)."""
        return self.schedules or (Schedule("reviews", self.review_schedule),)

    def sheet(self, key: str) -> Sheet:
        """The sheet whose key is `key`; KeyError when the kind has none."""
        for s in self.sheets:
            if s.key == key:
                return s
        raise KeyError(key)

    def choice_list(self, name: str) -> ChoiceList:
        """The drop-down list called `name`."""
        for lst in self.lists:
            if lst.name == name:
                return lst
        raise KeyError(name)


def references_exist(
    target: Sheet, target_key: str, sources: tuple[tuple[Sheet, str], ...], what: str
) -> Rule:
    """A rule: each value of the `sources` columns must appear in `target`'s `target_key`.

    e.g. every Goal number on the Supports sheet names a goal on the Goals sheet. A blank
    source cell is fine; each unknown value is an error at its cell.
    """

    def rule(plan: Any) -> list[Issue]:
        targets = plan.table(target.key)
        if any(target_key in r.invalid for r in targets):
            return []  # an unreadable target was reported; any reference may mean it
        known = {r[target_key] for r in targets}
        issues = []
        for sheet, key in sources:
            for record in plan.table(sheet.key):
                value = record[key]
                if value is not None and value not in known:
                    named = value if isinstance(value, int) else f'"{value}"'
                    issues.append(
                        error(
                            f"there is no {what} {named} on the {target.name} sheet",
                            sheet.name,
                            record.cell(key),
                        )
                    )
        return issues

    rule.__name__ = f"_{'_'.join(dict.fromkeys(s.key for s, _ in sources))}_refer_to_{target.key}"
    return rule


STATUS_LIST = ChoiceList("Status", ("Not started", "In progress", "Completed", "Dropped"))
YESNO_LIST = ChoiceList("Yes/No", ("Yes", "No"))
ON_TRACK_LIST = ChoiceList("On track", ("Yes", "Partly", "No"))


def tracking_fields() -> tuple[Field, ...]:
    """The columns every monitored coaching support carries."""
    return (
        Field(
            "status",
            "Status",
            FieldType.CHOICE,
            "Not started, In progress, Completed or Dropped. Blank means Not started.",
            choices="Status",
            width=14,
        ),
        Field(
            "target_date",
            "Target date",
            FieldType.DATE,
            "When this support should be done, e.g. 2023-01-31.",
            width=13,
            aliases=("Due date", "Due by", "Target"),
        ),
        Field(
            "completed_on",
            "Completed on",
            FieldType.DATE,
            "The date it was done. Needed when Status is Completed.",
            width=13,
            aliases=("Date completed", "Completion date", "Done on"),
        ),
        Field(
            "drop_reason",
            "Reason dropped",
            FieldType.TEXT,
            "Why a dropped support was taken out of the plan. Needed when Status is Dropped.",
            width=24,
        ),
    )
