"""The District Individualized Coaching Service Delivery Plan: a coordinator's plan for
coaching one District Implementation Team (DIT).

Sections follow the seed on developing and using these plans: area of focus, baseline
data by source with a summary, SMART goals on 1-2 coaching concepts with effectiveness
measures, coaching supports and preparation per concept, monthly monitoring and
communicating coaching progress to the DIT two to three times a year.
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
    accomplishments_column,
    barriers_column,
    date_initiated,
    instructions,
    monitored_sheet,
    progress_column,
    references_exist,
    what_will_be_done,
)
from plangen.model import Plan
from plangen.schema import (
    Cadence,
    ChoiceList,
    Field,
    FieldType,
    Focus,
    GoalLink,
    PlanKind,
    Schedule,
    Sheet,
)

MAX_CONCEPTS = 2
AREA_OF_FOCUS = "Installation and use of a district implementation infrastructure"
FIDELITY = "Fidelity and outcome data across schools"

CONCEPTS = ChoiceList(
    "Coaching concepts",
    (
        "Team operating procedures",
        "Data-based decision making",
        "Communication and feedback loops",
        "Coaching system",
        "Professional learning system",
        "Selection of effective innovations",
        "Resource alignment",
    ),
    extendable=True,
)
SOURCES = ChoiceList(
    "Baseline sources",
    (
        "Installation checklist",
        "District Capacity Assessment (DCA)",
        "Product reviews",
        "Observations",
        FIDELITY,
    ),
)
MEASURE_TYPES = ChoiceList(
    "Measure types",
    ("DCA items", "Observations", "Product reviews", "Coaching survey", FIDELITY),
)
METHODS = ChoiceList(
    "Coaching methods",
    (
        "Fluency building: teaching",
        "Fluency building: modeling",
        "Fluency building: co-facilitation",
        "Feedback: observations",
        "Feedback: product reviews",
        "Adaptation to local context",
        "Prompting the team or members",
    ),
    open=True,
)
PREPARATION_TYPES = ChoiceList(
    "Preparation types",
    (
        "Allocating time",
        "Communication with leaders and the DIT",
        "Reviewing resources",
        "Preparing to co-facilitate",
    ),
    open=True,
)


def _concept(help_text: str) -> Field:
    return Field(
        key="concept",
        header="Coaching concept",
        type=FieldType.CHOICE,
        help=help_text,
        required=True,
        choices=CONCEPTS,
        width=30,
    )


PLAN = Sheet(
    name="Plan",
    key="plan",
    title="The plan",
    help="Whose plan it is and when it runs. One value per row, in column B.",
    form=True,
    fields=(
        Field(
            key="district",
            header="District",
            help="The district whose implementation team is coached, e.g. Maple Grove "
            "Public Schools.",
            required=True,
            width=40,
        ),
        Field(
            key="coordinator",
            header="Coordinator",
            help="The coordinator who coaches the DIT and keeps this plan (name and role).",
            required=True,
            width=40,
        ),
        Field(
            key="area_of_focus",
            header="Area of focus",
            help=f"Blank means: {AREA_OF_FOCUS}.",
            width=40,
        ),
        date_initiated("2023-08-28"),
        PLAN_END,
        FIGURES_AS_OF,
    ),
)

BASELINE = Sheet(
    name="Baseline Data",
    key="baseline",
    title="Baseline data",
    help=(
        "One data point per row, by source: incomplete installation checklist items, DCA "
        "items and scale scores, product reviews, observations, fidelity and outcome data "
        "across schools (TFI, SWIS, Acadience, EWI)."
    ),
    fields=(
        Field(
            key="source",
            header="Source",
            type=FieldType.CHOICE,
            help="Where the data comes from.",
            required=True,
            choices=SOURCES,
            width=30,
        ),
        Field(
            key="data",
            header="Data",
            help="The item, score or product, e.g. DCA item 4: team operating procedures.",
            required=True,
            width=40,
        ),
        Field(
            key="score",
            header="Score (%)",
            type=FieldType.PERCENT,
            help="A score as a percent of points possible: 36, 36% or 0.36 (optional).",
            width=11,
        ),
        Field(
            key="shows",
            header="What it shows",
            help="What the data says about implementation.",
            required=True,
            width=60,
            long=True,
        ),
        Field(
            key="accuracy_in_question",
            header="Accuracy in question",
            type=FieldType.YESNO,
            help="Yes when the accuracy of this data is doubtful; the plan lists it as an area "
            "for improvement.",
            choices=YESNO_LIST,
            width=12,
        ),
    ),
    min_rows=1,
    group_by="source",
    roll="revise",
)

SUMMARY = Sheet(
    name="Baseline Summary",
    key="summary",
    title="Summary of baseline data",
    help="What the data indicates are areas for improvement to keep implementation moving "
    "forward. One point per row.",
    fields=(
        Field(
            key="point",
            header="Area for improvement",
            help="One finding in plain sentences.",
            required=True,
            width=100,
            long=True,
        ),
    ),
    min_rows=1,
    roll="revise",
)

GOALS = Sheet(
    name="SMART Goals",
    key="goals",
    title="SMART goals",
    help=f"One SMART goal per row, each framed around one coaching concept (at most "
    f"{MAX_CONCEPTS} concepts in all).",
    fields=(
        Field(
            key="number",
            header="Goal",
            type=FieldType.INTEGER,
            help="The goal's number: 1, 2.",
            required=True,
            width=7,
        ),
        _concept(
            "The concept coached, from the DIT Coaching Concepts (listed in priority order; "
            "add your own at the end of the list on the Lists sheet)."
        ),
        Field(
            key="goal",
            header="SMART goal",
            help="Specific, measurable, achievable, realistic and time-bound; name the "
            "concept and the effectiveness measure.",
            required=True,
            width=70,
            long=True,
        ),
        Field(
            key="target_date",
            header="Target date",
            type=FieldType.DATE,
            help="When the goal should be met, e.g. 2024-06-30.",
            required=True,
            width=13,
        ),
    ),
    min_rows=1,
    roll="revise",
)

MEASURES = Sheet(
    name="Measures",
    key="measures",
    title="Effectiveness measures",
    help="The data that will show the team improved implementation because of coaching. "
    "Pair fidelity and outcome data with a more immediate measure.",
    fields=(
        Field(
            key="goal",
            header="Goal",
            type=FieldType.INTEGER,
            help="The SMART goal measured.",
            required=True,
            width=7,
        ),
        Field(
            key="type",
            header="Measure type",
            type=FieldType.CHOICE,
            help="DCA items, observations, product reviews, coaching survey, or fidelity and "
            "outcome data across schools.",
            required=True,
            choices=MEASURE_TYPES,
            width=30,
        ),
        Field(
            key="measure",
            header="Measure",
            help="What exactly is looked at, e.g. DCA item 4 moves from 1 to 2.",
            required=True,
            width=70,
            long=True,
        ),
    ),
    min_rows=1,
)

SUPPORTS = monitored_sheet(
    name="Coaching Supports",
    key="supports",
    aliases=("Supports",),
    title="Coaching supports",
    help="How coaching support is provided for each concept: one support per row.",
    fields=(
        _concept("The concept this support coaches (one of the SMART goals' concepts)."),
        Field(
            key="method",
            header="Method",
            type=FieldType.CHOICE,
            help="From the continuum of coaching methods; pick one or type your own.",
            required=True,
            choices=METHODS,
            width=28,
        ),
        Field(
            key="support",
            header="Coaching support",
            help="The support in detail: what the coach does.",
            required=True,
            width=60,
            long=True,
        ),
        Field(
            key="frequency",
            header="Frequency",
            help="When and where, e.g. monthly DIT meeting.",
            width=24,
        ),
        Field(key="timeline", header="Timeline", help="e.g. September to December.", width=18),
        Field(key="people", header="People involved", help="Who takes part.", width=24),
        Field(
            key="feedback",
            header="Feedback expectations",
            help="How and when feedback is given, where it applies.",
            width=36,
            long=True,
        ),
    ),
    min_rows=1,
    group_by="concept",
)

PREPARATION = monitored_sheet(
    name="Preparation",
    key="preparation",
    title="Preparation required",
    help="What the coach must do to be able to provide the supports: one step per row.",
    fields=(
        _concept("The concept this preparation serves."),
        Field(
            key="type",
            header="Preparation",
            type=FieldType.CHOICE,
            help="Allocating time, communication, reviewing resources, preparing to co-facilitate.",
            choices=PREPARATION_TYPES,
            width=30,
        ),
        what_will_be_done(key="step", header="Step"),
    ),
    group_by="concept",
)

DIT_UPDATES = Sheet(
    name="DIT Updates",
    key="dit_updates",
    title="Communicating coaching progress to the DIT",
    help="Two to three times a year: each time coaching progress was shared with the "
    "District Implementation Team.",
    fields=(
        Field(
            key="date",
            header="Date",
            type=FieldType.DATE,
            help="When it was shared.",
            required=True,
            width=13,
        ),
        accomplishments_column(width=40),
        barriers_column(width=40),
        progress_column(),
    ),
    roll="drop",
)


def _at_most_two_concepts(plan: Plan) -> list[Issue]:
    seen: list[str] = []
    for record in plan.table("goals"):
        concept = record["concept"]
        if concept is None or concept in seen:
            continue
        seen.append(concept)
        if len(seen) == MAX_CONCEPTS + 1:
            total = len({r["concept"] for r in plan.table("goals") if r["concept"]})
            return [
                error(
                    f"select 1-{MAX_CONCEPTS} coaching concepts; {total} are selected",
                    GOALS.name,
                    record.cell("concept"),
                )
            ]
    return []


def _measures_not_fidelity_only(plan: Plan) -> list[Issue]:
    issues = []
    for goal in plan.table("goals"):
        number = goal["number"]
        if number is None:
            continue  # blank or invalid: reported at its cell already
        measures = [m for m in plan.table("measures") if m["goal"] == number]
        if not measures:
            issues.append(
                warning(
                    f"goal {number} has no effectiveness measure on the Measures sheet",
                    GOALS.name,
                    goal.cell("number"),
                )
            )
        elif all(m["type"] == FIDELITY for m in measures):
            issues.append(
                warning(
                    f"goal {number} is measured only by fidelity and outcome data across "
                    "schools; pair it with a more immediate measure (DCA items, observations, "
                    "product reviews or a coaching survey)",
                    MEASURES.name,
                    measures[0].cell("type"),
                    code="fidelity-only",
                )
            )
    return issues


DISTRICT = PlanKind(
    name="district",
    title="District Individualized Coaching Service Delivery Plan",
    description="A coordinator's plan for coaching a District Implementation Team "
    "(seed: Development and Use of District Individualized CSDPs).",
    sheets=(
        PLAN,
        BASELINE,
        SUMMARY,
        GOALS,
        MEASURES,
        SUPPORTS,
        PREPARATION,
        REVIEWS,
        DIT_UPDATES,
    ),
    lists=(
        YESNO_LIST,
        STATUS_LIST,
        ON_TRACK_LIST,
        REVIEW_TYPES,
        SOURCES,
        CONCEPTS,
        MEASURE_TYPES,
        METHODS,
        PREPARATION_TYPES,
    ),
    template="district.docx",
    example="maple_grove_public_schools.xlsx",
    group_noun="concept",
    schedules=(
        Schedule(sheet="reviews", cadence=Cadence.MONTHLY),
        Schedule(
            sheet="dit_updates",
            cadence=Cadence.PER_YEAR,
            label="DIT progress communication",
            times=2,
            warn=True,
        ),
    ),
    focus=Focus(sheet="goals", field="concept"),
    goal_link=GoalLink(field="concept", matches="concept"),
    rules=(
        _at_most_two_concepts,
        references_exist(GOALS, "number", ((MEASURES, "goal"),), "SMART goal"),
        references_exist(
            GOALS,
            "concept",
            ((SUPPORTS, "concept"), (PREPARATION, "concept")),
            "SMART goal with the coaching concept",
        ),
        _measures_not_fidelity_only,
    ),
    instructions=instructions(
        "This workbook holds one District Individualized Coaching Service Delivery Plan.",
        "Coaching concepts are listed in priority order on the hidden Lists sheet; add your "
        "own at the end of that list (see Lists sheet below). Select 1-2 concepts, one per "
        "SMART goal.",
        2024,
        "Monitor the plan monthly: tick off supports and preparation (Status, Completed "
        "on), log each review on the Reviews sheet, and log each time progress is shared "
        "with the DIT (two to three times a year) on the DIT Updates sheet.",
    ),
)
