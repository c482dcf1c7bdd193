"""The System Coaching Service Delivery Plan: a division's plan for its coaching system.

Sections follow the System CSDP template: data to support the need, focus areas and
SMART goals, systems and support structure, coaching process, frequency, feedback and
communication, and the plan for monitoring adherence.
"""

from __future__ import annotations

from plangen.errors import Issue, error, warning
from plangen.model import Plan
from plangen.schema import (
    ON_TRACK_LIST,
    STATUS_LIST,
    YESNO_LIST,
    ChoiceList,
    Field,
    FieldType,
    PlanKind,
    Sheet,
    references_exist,
    tracking_fields,
)

FOCUS_AREAS: tuple[tuple[str, str], ...] = (
    ("Leadership/Teaming", "1A, 1B"),
    ("Stakeholder Engagement", "4A, 4B"),
    ("Organizational Alignment", "1C, 1D, 1E, 1F, 5A"),
    ("Data Systems and Decision-making Processes", "2A, 2B, 2C"),
    ("Coaching", "1H"),
    ("Professional Learning", "1G, 3E"),
    ("Continuum of Evidence-based Tiered Supports/Practices", "3A, 3B, 3C, 3D"),
    ("Evaluation of Process", "6A, 6B"),
    ("Universal Screening", "5B, 5C"),
    ("Progress Monitoring", "3D, 5D, 5E"),
    ("Advanced Tiers", "3B, 5E"),
)
MAX_FOCUS_AREAS = 3

LEVELS = ChoiceList(
    "Levels",
    ("Division Leadership Team", "District Coordinators/Coaches", "School Building Coaches"),
    open=True,
)
RELATIONSHIPS = ChoiceList(
    "Coaching relationships",
    ("Division Coaches (State to Division)", "Building Coaches (Division to Site)"),
    open=True,
)
FREQUENCY_LEVELS = ChoiceList(
    "Frequency levels", ("Division Coaches", "Building Coaches"), open=True
)
DIRECTIONS = ChoiceList("Directions", ("Division to Building", "Building to Division"), open=True)
PROCESSES = ChoiceList(
    "Coaching processes",
    (
        "Direct observation",
        "Documentation/data review",
        "Modeling",
        "Co-facilitating",
        "Coaching conversations",
        "Fading process",
        "Consultation",
    ),
    open=True,
)
REVIEW_TYPES = ChoiceList("Review types", ("Monthly", "Mid-Year", "End-Year", "Other"))
SCHEDULED_REVIEWS = ChoiceList(
    "Scheduled reviews", ("Mid-Year Review (January)", "End-Year Review (May/June)"), open=True
)
FOCUS_AREA_LIST = ChoiceList("Focus areas", tuple(name for name, _ in FOCUS_AREAS))

PLAN = Sheet(
    name="Plan",
    key="plan",
    title="The plan",
    help="Who the plan is for and when it starts. One value per row, in column B.",
    form=True,
    fields=(
        Field(
            "district",
            "Division or district",
            help="The division or district this plan serves, e.g. Super Excited Division.",
            required=True,
            width=40,
        ),
        Field(
            "date_initiated",
            "Date initiated",
            FieldType.DATE,
            "The date the plan was started, e.g. 2022-10-31.",
            required=True,
            month_means="start",
        ),
        Field(
            "plan_end",
            "Plan ends",
            FieldType.DATE,
            "The plan's last day. Blank means June 30 after the date initiated.",
        ),
        Field(
            "coordinator",
            "Coordinator",
            help="Who keeps this plan up to date (name and role).",
            width=40,
        ),
        Field(
            "as_of",
            "Figures as of",
            FieldType.DATE,
            "The date the monitoring figures are worked out for. Blank means the day the "
            "plan is built.",
        ),
    ),
)

DATA = Sheet(
    name="Data",
    key="data",
    title="Data to support the need: quantitative scores",
    help=(
        "One score per row: a total, then its sub-scores with Sub-score set to Yes. "
        "Scores may be written 36, 36% or 0.36."
    ),
    fields=(
        Field(
            "measure",
            "Measure",
            help="What was measured, e.g. DCA Total Score, TFI Tier 1 Aggregated Score, Teaming.",
            required=True,
            width=44,
        ),
        Field(
            "sub_score",
            "Sub-score",
            FieldType.YESNO,
            "Yes when this row is a sub-score of the total above it.",
            choices="Yes/No",
            width=11,
        ),
        Field(
            "score",
            "Score (%)",
            FieldType.PERCENT,
            "The score as a percent of points possible: 36, 36% or 0.36.",
            width=11,
        ),
        Field(
            "n",
            "N",
            FieldType.INTEGER,
            "How many schools or teams the score aggregates (blank for one).",
            width=7,
        ),
        Field(
            "note",
            "Note",
            help="What the score shows, e.g. a change from the previous year.",
            width=44,
            long=True,
        ),
    ),
    min_rows=1,
)

OBSERVATIONS = Sheet(
    name="Observations",
    key="observations",
    title="Data to support the need: qualitative observations",
    help="What the team has seen: one observation per row, as many rows as needed.",
    fields=(
        Field(
            "observation",
            "Observation",
            help="An observation in plain sentences. Line breaks are kept.",
            required=True,
            width=100,
            long=True,
        ),
    ),
)

FOCUS = Sheet(
    name="Focus Areas",
    key="focus_areas",
    title="Focus areas",
    help=f"Mark Selected = Yes for at most {MAX_FOCUS_AREAS} areas. Do not rename the areas.",
    fields=(
        Field(
            "area",
            "Focus area",
            FieldType.CHOICE,
            "One of the focus areas of the implementation matrix.",
            required=True,
            choices="Focus areas",
            width=52,
        ),
        Field(
            "selected",
            "Selected",
            FieldType.YESNO,
            f"Yes for the areas this plan coaches (at most {MAX_FOCUS_AREAS}).",
            choices="Yes/No",
            width=11,
        ),
        Field("codes", "Matrix codes", help="Implementation matrix items (filled in).", width=22),
    ),
    prefill=tuple({"area": name, "codes": codes} for name, codes in FOCUS_AREAS),
)

GOALS = Sheet(
    name="Goals",
    key="goals",
    title="SMART goals",
    help="One SMART goal per row, each with how its effect will be measured.",
    fields=(
        Field(
            "number",
            "Goal",
            FieldType.INTEGER,
            "The goal's number: 1, 2, ...",
            required=True,
            width=7,
        ),
        Field(
            "goal",
            "SMART goal",
            help="Specific, measurable, achievable, realistic and time-bound.",
            required=True,
            width=70,
            long=True,
        ),
        Field(
            "measures",
            "Effectiveness measures",
            help="How you will know: DCA items, observations, product reviews, survey results.",
            width=40,
            long=True,
        ),
        Field(
            "target_date",
            "Target date",
            FieldType.DATE,
            "When the goal should be met, e.g. 2023-06-30.",
            width=13,
        ),
    ),
    min_rows=1,
)

SUPPORTS = Sheet(
    name="Supports",
    key="supports",
    title="Description of systems & support structure for coaching",
    help="The supports required at each level of the coaching infrastructure. One per row.",
    fields=(
        Field(
            "level",
            "Level",
            FieldType.CHOICE,
            "The level this support serves; pick one or type your own.",
            required=True,
            choices="Levels",
            width=30,
        ),
        Field("support", "Support", help="What will be done.", required=True, width=60, long=True),
        Field("goal", "Goal", FieldType.INTEGER, "The SMART goal it serves (optional).", width=7),
        *tracking_fields(),
    ),
    min_rows=1,
    group_by="level",
    tracked=True,
)

PROCESS = Sheet(
    name="Coaching Process",
    key="process",
    title="Coaching process",
    help="How coaching will be provided, by coaching relationship. One activity per row.",
    fields=(
        Field(
            "relationship",
            "Coaching relationship",
            FieldType.CHOICE,
            "Who coaches whom, e.g. Division Coaches (State to Division).",
            required=True,
            choices="Coaching relationships",
            width=34,
        ),
        Field(
            "activity",
            "Activity",
            help="What the coach will do.",
            required=True,
            width=60,
            long=True,
        ),
        Field(
            "process",
            "Process",
            FieldType.CHOICE,
            "The coaching process used (optional).",
            choices="Coaching processes",
            width=24,
        ),
        Field("goal", "Goal", FieldType.INTEGER, "The SMART goal it serves (optional).", width=7),
        *tracking_fields(),
    ),
    min_rows=1,
    group_by="relationship",
    tracked=True,
)

FREQUENCY = Sheet(
    name="Frequency",
    key="frequency",
    title="Frequency",
    help="How often the coaching processes happen, by level. One item per row.",
    fields=(
        Field(
            "level",
            "Level",
            FieldType.CHOICE,
            "Whose schedule this is, e.g. Division Coaches.",
            required=True,
            choices="Frequency levels",
            width=26,
        ),
        Field(
            "item",
            "How often",
            help="e.g. Monthly DLT meetings.",
            required=True,
            width=70,
            long=True,
        ),
    ),
    group_by="level",
)

FEEDBACK = Sheet(
    name="Feedback",
    key="feedback",
    title="Feedback & communication plans",
    help="How feedback moves between the levels, by direction. One item per row.",
    fields=(
        Field(
            "direction",
            "Direction",
            FieldType.CHOICE,
            "e.g. Division to Building, Building to Division.",
            required=True,
            choices="Directions",
            width=26,
        ),
        Field(
            "item",
            "Feedback or communication",
            required=True,
            width=70,
            long=True,
            help="A form, a log, a protocol or a timeline.",
        ),
    ),
    group_by="direction",
)

MONITORING = Sheet(
    name="Monitoring",
    key="monitoring",
    title="Plan for monitoring adherence",
    help="The reviews the plan will have (at least mid-year and end-year) and what each covers.",
    fields=(
        Field(
            "review",
            "Review",
            FieldType.CHOICE,
            "e.g. Mid-Year Review (January).",
            required=True,
            choices="Scheduled reviews",
            width=30,
        ),
        Field(
            "covers",
            "What the review covers",
            required=True,
            width=90,
            long=True,
            help="Which plan components, focus areas and measures are reviewed.",
        ),
    ),
    min_rows=1,
)

REVIEWS = Sheet(
    name="Reviews",
    key="reviews",
    aliases=("Review log",),
    title="Review log",
    help="Each review held: its date, type, whether the goals are on track, and what changed.",
    fields=(
        Field("date", "Date", FieldType.DATE, "The date of the review.", required=True, width=13),
        Field(
            "type",
            "Type",
            FieldType.CHOICE,
            "Monthly, Mid-Year, End-Year or Other.",
            required=True,
            choices="Review types",
            width=12,
        ),
        Field(
            "on_track",
            "On track",
            FieldType.CHOICE,
            "Are the SMART goals on track? Yes, Partly or No.",
            choices="On track",
            width=11,
        ),
        Field("progress", "Progress", help="Progress toward the SMART goals.", width=40, long=True),
        Field("barriers", "Barriers", help="What is in the way.", width=30, long=True),
        Field("accomplishments", "Accomplishments", help="What was achieved.", width=30, long=True),
        Field(
            "adjustments",
            "Adjustments",
            help="Changes made to the plan after this review.",
            width=40,
            long=True,
        ),
    ),
)


def _at_most_three_focus_areas(plan: Plan) -> list[Issue]:
    selected = [r for r in plan.table("focus_areas") if r["selected"]]
    if not selected:
        first = plan.table("focus_areas")[:1]
        cell = first[0].cell("selected") if first else ""
        return [error("select at least one focus area (Selected = Yes)", FOCUS.name, cell)]
    if len(selected) > MAX_FOCUS_AREAS:
        extra = selected[MAX_FOCUS_AREAS]
        return [
            error(
                f"at most {MAX_FOCUS_AREAS} focus areas may be selected; {len(selected)} are",
                FOCUS.name,
                extra.cell("selected"),
            )
        ]
    return []


def _focus_areas_listed_once(plan: Plan) -> list[Issue]:
    seen: set[str] = set()
    issues = []
    for record in plan.table("focus_areas"):
        area = record["area"]
        if area in seen:
            issues.append(error(f'"{area}" is listed twice', FOCUS.name, record.cell("area")))
        seen.add(area)
    return issues


def _monitoring_twice_a_year(plan: Plan) -> list[Issue]:
    if 0 < len(plan.table("monitoring")) < 2:
        return [
            warning(
                "the plan should be reviewed at least twice a year (mid-year and end-year)",
                MONITORING.name,
            )
        ]
    return []


SYSTEM = PlanKind(
    name="system",
    title="System Coaching Service Delivery Plan",
    summary="A division's plan for coaching across its levels (seed: System CSDP template).",
    sheets=(
        PLAN,
        DATA,
        OBSERVATIONS,
        FOCUS,
        GOALS,
        SUPPORTS,
        PROCESS,
        FREQUENCY,
        FEEDBACK,
        MONITORING,
        REVIEWS,
    ),
    lists=(
        YESNO_LIST,
        STATUS_LIST,
        ON_TRACK_LIST,
        FOCUS_AREA_LIST,
        LEVELS,
        RELATIONSHIPS,
        PROCESSES,
        FREQUENCY_LEVELS,
        DIRECTIONS,
        SCHEDULED_REVIEWS,
        REVIEW_TYPES,
    ),
    template="system.docx",
    example="super_excited_division.xlsx",
    review_schedule="midyear-endyear",
    focus=("focus_areas", "area", "selected"),
    rules=(
        _at_most_three_focus_areas,
        _focus_areas_listed_once,
        references_exist(GOALS, "number", ((SUPPORTS, "goal"), (PROCESS, "goal")), "SMART goal"),
        _monitoring_twice_a_year,
    ),
    instructions=(
        "This workbook holds one System Coaching Service Delivery Plan (CSDP).",
        "Fill the sheets from left to right. Each sheet starts with a header row; "
        "hover over a header cell to see what goes in that column.",
        "Cells with a drop-down offer the usual values; where a column's note says 'or type "
        "your own', other text is accepted too.",
        "Dates may be typed as 2023-06-30, 6/30/2023 or June 30, 2023.",
        "Check your work with:  plangen validate <this file>",
        "Build the plan with:   plangen build <this file>",
        "Monitor the plan: set each support's Status and Completed on date, and log every "
        "review on the Reviews sheet (mid-year in January, end-year in May/June).",
    ),
)
