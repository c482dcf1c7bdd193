"""The System Coaching Service Delivery Plan: a division's plan for its coaching system.

Sections follow the System CSDP template: data to support the need, focus areas and
SMART goals, systems and support structure, coaching process, frequency, feedback and
communication, and the plan for monitoring adherence.
"""

from __future__ import annotations

from plangen.errors import Issue, error, warning
from plangen.kinds.common import (
    FIGURES_AS_OF,
    ON_TRACK_LIST,
    PLAN_END,
    REVIEW_TYPES,
    REVIEWS,
    STATUS_LIST,
    YESNO_LIST,
    date_initiated,
    instructions,
    monitored_sheet,
    references_exist,
    what_will_be_done,
)
from plangen.model import Plan
from plangen.schema import Cadence, ChoiceList, Field, FieldType, Focus, PlanKind, Schedule, Sheet

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
SCHEDULED_REVIEWS = ChoiceList(
    "Scheduled reviews", ("Mid-Year Review (January)", "End-Year Review (May/June)"), open=True
)
FOCUS_AREA_LIST = ChoiceList("Focus areas", tuple(name for name, _ in FOCUS_AREAS))

SERVES_GOAL = Field(
    key="goal",
    header="Goal",
    type=FieldType.INTEGER,
    help="The SMART goal it serves (optional).",
    width=7,
)
"""The Goal column of the Supports and Coaching Process sheets."""

PLAN = Sheet(
    name="Plan",
    key="plan",
    title="The plan",
    help="Who the plan is for and when it starts. One value per row, in column B.",
    form=True,
    fields=(
        Field(
            key="district",
            header="Division or district",
            help="The division or district this plan serves, e.g. Super Excited Division.",
            required=True,
            width=40,
        ),
        date_initiated("2022-10-31"),
        PLAN_END,
        Field(
            key="coordinator",
            header="Coordinator",
            help="Who keeps this plan up to date (name and role).",
            width=40,
        ),
        FIGURES_AS_OF,
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
            key="measure",
            header="Measure",
            help="What was measured, e.g. DCA Total Score, TFI Tier 1 Aggregated Score, Teaming.",
            required=True,
            width=44,
        ),
        Field(
            key="sub_score",
            header="Sub-score",
            type=FieldType.YESNO,
            help="Yes when this row is a sub-score of the total above it.",
            choices=YESNO_LIST,
            width=11,
        ),
        Field(
            key="score",
            header="Score (%)",
            type=FieldType.PERCENT,
            help="The score as a percent of points possible: 36, 36% or 0.36.",
            width=11,
        ),
        Field(
            key="n",
            header="N",
            type=FieldType.INTEGER,
            help="How many schools or teams the score aggregates (blank for one).",
            width=7,
        ),
        Field(
            key="note",
            header="Note",
            help="What the score shows, e.g. a change from the previous year.",
            width=44,
            long=True,
        ),
    ),
    min_rows=1,
    roll="revise",
)

OBSERVATIONS = Sheet(
    name="Observations",
    key="observations",
    title="Data to support the need: qualitative observations",
    help="What the team has seen: one observation per row, as many rows as needed.",
    fields=(
        Field(
            key="observation",
            header="Observation",
            help="An observation in plain sentences. Line breaks are kept.",
            required=True,
            width=100,
            long=True,
        ),
    ),
    roll="revise",
)

FOCUS = Sheet(
    name="Focus Areas",
    key="focus_areas",
    title="Focus areas",
    help=f"Mark Selected = Yes for at most {MAX_FOCUS_AREAS} areas. Do not rename the areas.",
    fields=(
        Field(
            key="area",
            header="Focus area",
            type=FieldType.CHOICE,
            help="One of the focus areas of the implementation matrix.",
            required=True,
            choices=FOCUS_AREA_LIST,
            width=52,
        ),
        Field(
            key="selected",
            header="Selected",
            type=FieldType.YESNO,
            help=f"Yes for the areas this plan coaches (at most {MAX_FOCUS_AREAS}).",
            choices=YESNO_LIST,
            width=11,
        ),
        Field(
            key="codes",
            header="Matrix codes",
            help="Implementation matrix items (filled in).",
            width=22,
        ),
    ),
    prefill=tuple({"area": name, "codes": codes} for name, codes in FOCUS_AREAS),
    roll="revise",
)

GOALS = Sheet(
    name="Goals",
    key="goals",
    title="SMART goals",
    help="One SMART goal per row, each with how its effect will be measured.",
    fields=(
        Field(
            key="number",
            header="Goal",
            type=FieldType.INTEGER,
            help="The goal's number: 1, 2, ...",
            required=True,
            width=7,
        ),
        Field(
            key="goal",
            header="SMART goal",
            help="Specific, measurable, achievable, realistic and time-bound.",
            required=True,
            width=70,
            long=True,
        ),
        Field(
            key="measures",
            header="Effectiveness measures",
            help="How you will know: DCA items, observations, product reviews, survey results.",
            width=40,
            long=True,
        ),
        Field(
            key="target_date",
            header="Target date",
            type=FieldType.DATE,
            help="When the goal should be met, e.g. 2023-06-30.",
            width=13,
        ),
    ),
    min_rows=1,
    roll="revise",
)

SUPPORTS = monitored_sheet(
    name="Supports",
    key="supports",
    title="Description of systems & support structure for coaching",
    help="The supports required at each level of the coaching infrastructure. One per row.",
    fields=(
        Field(
            key="level",
            header="Level",
            type=FieldType.CHOICE,
            help="The level this support serves; pick one or type your own.",
            required=True,
            choices=LEVELS,
            width=30,
        ),
        what_will_be_done(key="support", header="Support"),
        SERVES_GOAL,
    ),
    min_rows=1,
    group_by="level",
)

PROCESS = monitored_sheet(
    name="Coaching Process",
    key="process",
    title="Coaching process",
    help="How coaching will be provided, by coaching relationship. One activity per row.",
    fields=(
        Field(
            key="relationship",
            header="Coaching relationship",
            type=FieldType.CHOICE,
            help="Who coaches whom, e.g. Division Coaches (State to Division).",
            required=True,
            choices=RELATIONSHIPS,
            width=34,
        ),
        Field(
            key="activity",
            header="Activity",
            help="What the coach will do.",
            required=True,
            width=60,
            long=True,
        ),
        Field(
            key="process",
            header="Process",
            type=FieldType.CHOICE,
            help="The coaching process used (optional).",
            choices=PROCESSES,
            width=24,
        ),
        SERVES_GOAL,
    ),
    min_rows=1,
    group_by="relationship",
)

FREQUENCY = Sheet(
    name="Frequency",
    key="frequency",
    title="Frequency",
    help="How often the coaching processes happen, by level. One item per row.",
    fields=(
        Field(
            key="level",
            header="Level",
            type=FieldType.CHOICE,
            help="Whose schedule this is, e.g. Division Coaches.",
            required=True,
            choices=FREQUENCY_LEVELS,
            width=26,
        ),
        Field(
            key="item",
            header="How often",
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
            key="direction",
            header="Direction",
            type=FieldType.CHOICE,
            help="e.g. Division to Building, Building to Division.",
            required=True,
            choices=DIRECTIONS,
            width=26,
        ),
        Field(
            key="item",
            header="Feedback or communication",
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
            key="review",
            header="Review",
            type=FieldType.CHOICE,
            help="e.g. Mid-Year Review (January).",
            required=True,
            choices=SCHEDULED_REVIEWS,
            width=30,
        ),
        Field(
            key="covers",
            header="What the review covers",
            required=True,
            width=90,
            long=True,
            help="Which plan components, focus areas and measures are reviewed.",
        ),
    ),
    min_rows=1,
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
    description="A division's plan for coaching across its levels (seed: System CSDP template).",
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
    schedules=(Schedule(sheet="reviews", cadence=Cadence.MIDYEAR_ENDYEAR),),
    focus=Focus(sheet="focus_areas", field="area", selected_by="selected"),
    rules=(
        _at_most_three_focus_areas,
        _focus_areas_listed_once,
        references_exist(GOALS, "number", ((SUPPORTS, "goal"), (PROCESS, "goal")), "SMART goal"),
        _monitoring_twice_a_year,
    ),
    instructions=instructions(
        "This workbook holds one System Coaching Service Delivery Plan (CSDP).",
        "Cells with a drop-down offer the usual values; where a column's note says 'or type "
        "your own', other text is accepted too.",
        2023,
        "Monitor the plan: set each support's Status and Completed on date, and log every "
        "review on the Reviews sheet (mid-year in January, end-year in May/June).",
    ),
)
