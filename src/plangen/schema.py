"""The types a plan kind is declared with: its sheets, columns, drop-down lists, review
schedules.

The kinds themselves are declared in `kinds/`. One `PlanKind` drives the blank workbook
(`plangen new`), the reader, the template names and adherence, so adding a column is one
edit to its kind's declaration.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

from plangen.errors import Issue


class FieldType(str, Enum):
    """What a cell holds; decides how it is parsed and how it is shown."""

    TEXT = "text"
    DATE = "date"
    PERCENT = "percent"
    INTEGER = "integer"
    CHOICE = "choice"
    YESNO = "yes/no"


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


@dataclass(frozen=True, kw_only=True)
class Field:
    """One column of a table sheet, or one labelled row of a form sheet."""

    key: str
    header: str
    type: FieldType = FieldType.TEXT
    help: str = ""
    required: bool = False
    choices: ChoiceList | None = None
    """The drop-down list of a CHOICE or YESNO field; it must be one of `PlanKind.lists`."""
    width: int = 18
    long: bool = False
    """Free text that may run to paragraphs (wider column, wrapped)."""
    aliases: tuple[str, ...] = ()
    """Other headers (or form labels) read as this field, e.g. `Due date` for Target date.
    Case, punctuation and words added around the header (`Status (pick)`) match anyway."""
    month_means: str = "end"
    """A DATE typed as a month alone (`November 2026`): its `end` (last day) or `start`."""
    carry: bool = True
    """`plangen new --from` copies this value into next year's workbook (False: left
    blank there, e.g. last year's approval)."""

    def __post_init__(self) -> None:
        if self.type is FieldType.DATE and "A month alone" not in self.help:
            day = "its last day" if self.month_means == "end" else "its 1st"
            sentence = f"A month alone (November 2026) means {day}."
            object.__setattr__(self, "help", f"{self.help} {sentence}".strip())


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
    roll: str = "keep"
    """What `plangen new --from` does with the rows of this (not monitored) sheet in next
    year's workbook: `keep` them, carry them as drafts marked for `revise`, or `drop`
    them (a log of last year's reviews). Monitored sheets carry their open items."""

    def field(self, key: str) -> Field:
        """The field named `key`; KeyError when the sheet has none."""
        for f in self.fields:
            if f.key == key:
                return f
        raise KeyError(key)


Rule = Callable[[Any], list[Issue]]
"""A validation rule: a check of a whole plan (a `model.Plan`, which this module does not
import, as the plan names its kind), returning every problem found, each at its cell."""


class Cadence(str, Enum):
    """How often a schedule's events are due."""

    MONTHLY = "monthly"
    """One in each calendar month after the month the plan began."""
    MIDYEAR_ENDYEAR = "midyear-endyear"
    """A mid-year review in January and an end-year review by the plan's last day."""
    PER_YEAR = "per-year"
    """`Schedule.times` events, one in each of that many equal stretches of the plan."""


@dataclass(frozen=True, kw_only=True)
class Schedule:
    """Events a plan kind requires, and the table sheet where the held ones are logged.

    A required event with no logged date is `missed` once its due date passes; `warn`
    makes `plangen validate` say so too.
    """

    sheet: str
    cadence: Cadence
    label: str = "review"
    times: int = 0
    """How many events, for `Cadence.PER_YEAR`."""
    warn: bool = False

    def __post_init__(self) -> None:
        if not isinstance(self.cadence, Cadence):
            raise TypeError(f"Schedule.cadence must be a Cadence, not {self.cadence!r}")
        if (self.cadence is Cadence.PER_YEAR) != (self.times > 0):
            raise ValueError("Schedule.times is needed for Cadence.PER_YEAR, and only there")


@dataclass(frozen=True, kw_only=True)
class Focus:
    """What a plan focuses on, for summaries: the values of `field` on the table sheet
    `sheet`, of the rows whose yes/no field `selected_by` is Yes (every row when None)."""

    sheet: str
    field: str
    selected_by: str | None = None


@dataclass(frozen=True, kw_only=True)
class GoalLink:
    """How a monitored item names its SMART goal: its `field` holds a value of the `goals`
    sheet's field `matches`; the goal's number is what adherence groups by."""

    field: str = "goal"
    matches: str = "number"


@dataclass(frozen=True, kw_only=True)
class PlanKind:
    """Everything plangen knows about one kind of plan."""

    name: str
    """The kind's name on the command line: `plangen new system`."""
    title: str
    description: str
    """One sentence: whose plan it is (and its seed document)."""
    sheets: tuple[Sheet, ...]
    lists: tuple[ChoiceList, ...]
    """The drop-down lists, in their order on the Lists sheet."""
    template: str
    """File name of the built-in Word template under `plangen/templates/`."""
    example: str
    """File name of the example workbook under `plangen/examples/`."""
    schedules: tuple[Schedule, ...]
    """Every schedule of required events (reviews and others)."""
    focus: Focus
    goal_link: GoalLink = field(default_factory=GoalLink)
    rules: tuple[Rule, ...] = ()
    """Validation rules that look at the whole plan (one sheet's cells are checked by
    their `Field` declarations)."""
    instructions: tuple[str, ...] = ()
    """The lines of the blank workbook's Instructions sheet."""
    item_noun: tuple[str, str] = ("coaching support", "coaching supports")
    """What a monitored item is called in the adherence headline (singular, plural)."""
    group_noun: str = ""
    """What monitored items are grouped by, in a sentence (`concept`); empty: the
    `group_header` in lower case."""
    review_field: str = ""
    """For a kind without a rhythm of required reviews: the form field holding the date
    of the plan's next review (`review_date`), shown as its next review due."""

    def __post_init__(self) -> None:
        for sheet in self.sheets:
            for fld in sheet.fields:
                if fld.choices is not None and fld.choices not in self.lists:
                    raise ValueError(
                        f"{sheet.name}/{fld.header}: its list {fld.choices.name!r} "
                        f"is not among the lists of plan kind {self.name!r}"
                    )

    def group_header(self) -> str:
        """What monitored items are grouped by, e.g. `Level`: the header of the first
        monitored sheet's `group_by` field (`Group` when it has none)."""
        for sheet in self.sheets:
            if sheet.tracked and sheet.group_by:
                return sheet.field(sheet.group_by).header
        return "Group"

    def sheet(self, key: str) -> Sheet:
        """The sheet whose key is `key`; KeyError when the kind has none."""
        for s in self.sheets:
            if s.key == key:
                return s
        raise KeyError(key)
