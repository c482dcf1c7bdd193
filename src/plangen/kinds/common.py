"""Pieces the plan kinds share: the plan's dates, monitored sheets with their tracking
columns, the review log and its note columns, the common drop-down lists, the
Instructions lines and the reference rule. Only what means the same in every kind is
here; wording a kind says its own way is passed in as an argument or stays in the kind.

Each kind module (`system.py`, `district.py`, ...) imports from here, never from
another kind.
"""

from __future__ import annotations

from plangen.errors import Issue, error
from plangen.model import Plan
from plangen.schema import ChoiceList, Field, FieldType, Rule, Sheet

STATUS_LIST = ChoiceList("Status", ("Not started", "In progress", "Completed", "Dropped"))
YESNO_LIST = ChoiceList("Yes/No", ("Yes", "No"))
ON_TRACK_LIST = ChoiceList("On track", ("Yes", "Partly", "No"))
REVIEW_TYPES = ChoiceList("Review types", ("Monthly", "Mid-Year", "End-Year", "Other"))


def date_initiated(example: str) -> Field:
    """The plan's start date (Plan sheet), with an example such as `2022-10-31`."""
    return Field(
        key="date_initiated",
        header="Date initiated",
        type=FieldType.DATE,
        help=f"The date the plan was started, e.g. {example}.",
        required=True,
        month_means="start",
    )


PLAN_END = Field(
    key="plan_end",
    header="Plan ends",
    type=FieldType.DATE,
    help="The plan's last day. Blank means June 30 after the date initiated.",
)
FIGURES_AS_OF = Field(
    key="as_of",
    header="Figures as of",
    type=FieldType.DATE,
    help="The date the monitoring figures are worked out for. Blank means the day the "
    "plan is built.",
)


def tracking_fields() -> tuple[Field, ...]:
    """The columns every monitored coaching support carries."""
    return (
        Field(
            key="status",
            header="Status",
            type=FieldType.CHOICE,
            help="Not started, In progress, Completed or Dropped. Blank means Not started.",
            choices=STATUS_LIST,
            width=14,
        ),
        Field(
            key="target_date",
            header="Target date",
            type=FieldType.DATE,
            help="When this support should be done, e.g. 2023-01-31.",
            width=13,
            aliases=("Due date", "Due by", "Target"),
        ),
        Field(
            key="completed_on",
            header="Completed on",
            type=FieldType.DATE,
            help="The date it was done. Needed when Status is Completed.",
            width=13,
            aliases=("Date completed", "Completion date", "Done on"),
        ),
        Field(
            key="drop_reason",
            header="Reason dropped",
            type=FieldType.TEXT,
            help="Why a dropped support was taken out of the plan. Needed when Status is Dropped.",
            width=24,
        ),
    )


def monitored_sheet(
    *,
    name: str,
    key: str,
    title: str,
    help: str,
    fields: tuple[Field, ...],
    group_by: str,
    min_rows: int = 0,
    aliases: tuple[str, ...] = (),
) -> Sheet:
    """A table sheet of monitored items (supports, steps): `fields`, then the tracking
    columns; adherence counts its rows, grouped by `group_by`."""
    return Sheet(
        name=name,
        key=key,
        aliases=aliases,
        title=title,
        help=help,
        fields=(*fields, *tracking_fields()),
        min_rows=min_rows,
        group_by=group_by,
        tracked=True,
    )


def what_will_be_done(*, key: str, header: str) -> Field:
    """A monitored item's own column: what will be done, in plain sentences."""
    return Field(
        key=key, header=header, help="What will be done.", required=True, width=60, long=True
    )


def progress_column(*, help: str = "Progress toward the SMART goals.") -> Field:
    """A review's (or a progress update's) progress column."""
    return Field(key="progress", header="Progress", help=help, width=40, long=True)


def barriers_column(*, width: int) -> Field:
    """What is in the way, said at a review or a progress update."""
    return Field(
        key="barriers", header="Barriers", help="What is in the way.", width=width, long=True
    )


def accomplishments_column(*, width: int) -> Field:
    """What was achieved, said at a review or a progress update."""
    return Field(
        key="accomplishments",
        header="Accomplishments",
        help="What was achieved.",
        width=width,
        long=True,
    )


def _one_of(values: tuple[str, ...]) -> str:
    """`A, B or C`: a drop-down's values as a column note says them."""
    return f"{', '.join(values[:-1])} or {values[-1]}"


def review_log(
    *,
    help: str = "Each review held: its date, type, whether the goals are on track, and what "
    "changed.",
    types: ChoiceList = REVIEW_TYPES,
    on_track_help: str = "Are the SMART goals on track? Yes, Partly or No.",
    progress_help: str = "Progress toward the SMART goals.",
) -> Sheet:
    """The review log (sheet Reviews): each review's date, type and answers, which adherence
    reads. A kind passes its own `types` of review and wording; the columns stay the same."""
    return Sheet(
        name="Reviews",
        key="reviews",
        aliases=("Review log",),
        roll="drop",
        title="Review log",
        help=help,
        fields=(
            Field(
                key="date",
                header="Date",
                type=FieldType.DATE,
                help="The date of the review.",
                required=True,
                width=13,
            ),
            Field(
                key="type",
                header="Type",
                type=FieldType.CHOICE,
                help=f"{_one_of(types.values)}.",
                required=True,
                choices=types,
                width=12,
            ),
            Field(
                key="on_track",
                header="On track",
                type=FieldType.CHOICE,
                help=on_track_help,
                choices=ON_TRACK_LIST,
                width=11,
            ),
            progress_column(help=progress_help),
            barriers_column(width=30),
            accomplishments_column(width=30),
            Field(
                key="adjustments",
                header="Adjustments",
                help="Changes made to the plan after this review.",
                width=40,
                long=True,
            ),
        ),
    )


REVIEWS = review_log()
"""The review log the System and District plans keep."""


def instructions(
    intro: str,
    how_to_fill: str | tuple[str, ...],
    year: int,
    monitoring: str,
    *,
    builds: str = "plan",
) -> tuple[str, ...]:
    """The Instructions sheet's lines: `intro` (what this workbook holds), how to fill the
    sheets, `how_to_fill` (one line or several: the drop-downs, the order to work in), how
    to type dates (examples in `year`), checking and building on the page, with the
    command second (`builds` names what is built) and `monitoring` (how to keep the plan
    up to date)."""
    hints = (how_to_fill,) if isinstance(how_to_fill, str) else how_to_fill
    return (
        intro,
        "Fill the sheets from left to right. Each sheet starts with a header row; "
        "hover over a header cell to see what goes in that column.",
        *hints,
        f"Dates may be typed as {year}-06-30, 6/30/{year} or June 30, {year}.",
        "Check your work: on the plangen page choose \"Make a plan\" and upload this file; "
        "every problem is listed with its sheet and cell. (In a terminal: "
        "plangen validate <this file>)",
        f"When nothing is wrong, the same page gives you the Word {builds} to download. "
        "(In a terminal: plangen build <this file>)",
        monitoring,
    )


def references_exist(
    target: Sheet,
    target_key: str,
    sources: tuple[tuple[Sheet, str], ...],
    what: str,
    also: tuple[str, ...] = (),
) -> Rule:
    """A rule: each value of the `sources` columns must appear in `target`'s `target_key`
    (or be one of `also`, e.g. "All roles").

    e.g. every Goal number on the Supports sheet names a goal on the Goals sheet. A blank
    source cell is fine; each unknown value is an error at its cell.
    """

    def rule(plan: Plan) -> list[Issue]:
        targets = plan.table(target.key)
        if any(target_key in r.invalid for r in targets):
            return []  # an unreadable target was reported; any reference may mean it
        known = {r[target_key] for r in targets} | set(also)
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
