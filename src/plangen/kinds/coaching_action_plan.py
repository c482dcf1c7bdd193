"""A plan for internal coaching: a district or building leadership team's action plan for
coaching given by its own staff.

Sections follow the seed "Creating a Plan for Internal Coaching": the team's answers to
the five guiding questions, the coaching process chosen, and action steps by area (the
coaching process, the schedule, policies and guidance, training for coaches and for
staff, rolling out coaching and communication, collecting and using coaching data,
sustainability), with the data the team will collect to know whether coaching works.
Action steps are monitored like a CSDP's supports; reviews are logged but no rhythm is
required, since the seed leaves it to the team.
"""

from __future__ import annotations

from plangen.errors import Issue, warning
from plangen.kinds.common import (
    FIGURES_AS_OF,
    ON_TRACK_LIST,
    PLAN_END,
    STATUS_LIST,
    date_initiated,
    instructions,
    monitored_sheet,
    review_log,
    what_will_be_done,
)
from plangen.model import Plan
from plangen.schema import ChoiceList, Field, FieldType, Focus, PlanKind, Sheet

QUESTIONS: tuple[tuple[str, str], ...] = (
    (
        "1. Where are we now?",
        "How and where coaching happens today, what it looks like, what works and where "
        "the gaps are.",
    ),
    (
        "2. Where are we going?",
        "The vision for better instruction; who would gain from coaching; which teams, "
        "grades or subjects are most in need, ready and committed; good matches; the most "
        "sustainable approach.",
    ),
    (
        "3. How do we get there?",
        "Action steps, timeline, coaches, who is coached and where; the approach that fits "
        "the need; who must learn to coach and how; fidelity; alignment with the data and "
        "the vision.",
    ),
    (
        "4. How will we know coaching works?",
        "How the leadership teams carry out the steps and watch the effect on instruction; "
        "when SAPP, CWIS and walkthrough data are collected and reviewed.",
    ),
    (
        "5. What resources support internal coaching?",
        "Coaching companions, walkthrough tools, practice profiles and other resources; "
        "work with the coaching support team; which resources fit the need.",
    ),
)
AREAS: tuple[str, ...] = (
    "Coaching process",
    "Coaching schedule",
    "Policies and guidance",
    "Training for coaches",
    "Training for staff",
    "Rollout and communication",
    "Coaching data",
    "Sustainability",
)

QUESTION_LIST = ChoiceList("Guiding questions", tuple(q for q, _ in QUESTIONS))
AREA_LIST = ChoiceList("Action areas", AREAS)
SCOPES = ChoiceList("Scopes", ("District", "Building"))
PROCESSES = ChoiceList(
    "Coaching processes",
    (
        "Peer-to-peer",
        "Individual peer-to-a-team",
        "Team-to-team: grade level or content area teams",
        "Team-to-team: building teams in the district",
        "Team-to-team: teams from two districts",
        "Other",
    ),
    open=True,
)
MEASURES = ChoiceList(
    "Coaching measures",
    (
        "Educators receiving coaching",
        "Focus of the coaching",
        "Coaches providing coaching",
        "Where coaching goes well or less well",
        "Coaching sessions held",
        "Coaching meetings held",
        "Quality of the coaching",
        "Training and support for coaches",
        "Full implementation and student outcomes",
        "Walkthrough/Look For and observation data",
        "CWIS data",
        "SAPP data",
    ),
    open=True,
)
REVIEW_TYPES = ChoiceList("Review types", ("Monthly", "Quarterly", "Mid-Year", "End-Year", "Other"))
WATCHED = ("Walkthrough/Look For and observation data", "CWIS data", "SAPP data")

PLAN = Sheet(
    name="Plan",
    key="plan",
    title="The plan",
    help="Whose plan it is and when it runs. One value per row, in column B.",
    form=True,
    fields=(
        Field(
            key="district",
            header="District or building",
            help="The district or building this plan is for, e.g. Riverbend R-IV School District.",
            required=True,
            width=40,
        ),
        Field(
            key="scope",
            header="Scope",
            type=FieldType.CHOICE,
            help="District (the DLT plans for every building) or Building (a BLT plans for "
            "its building).",
            choices=SCOPES,
        ),
        Field(
            key="team",
            header="Leadership team",
            help="The team that wrote the plan and carries it out, e.g. District Leadership "
            "Team with the building leadership teams.",
            required=True,
            width=40,
        ),
        Field(
            key="coordinator",
            header="Lead administrator",
            help="The administrator who keeps the plan up to date (name and role).",
            width=40,
        ),
        date_initiated("2024-08-12"),
        PLAN_END,
        FIGURES_AS_OF,
    ),
)

ANSWERS = Sheet(
    name="Guiding Questions",
    key="answers",
    title="The five guiding questions",
    help="The leadership team's answers (what each question covers is on the Instructions "
    "sheet). Add rows below with the same question for more points.",
    fields=(
        Field(
            key="question",
            header="Question",
            type=FieldType.CHOICE,
            help="One of the five guiding questions.",
            required=True,
            choices=QUESTION_LIST,
            width=40,
        ),
        Field(
            key="answer",
            header="Answer",
            help="The team's answer, in plain sentences.",
            width=90,
            long=True,
        ),
    ),
    prefill=tuple({"question": q} for q, _ in QUESTIONS),
    group_by="question",
    roll="revise",
)

PROCESS = Sheet(
    name="Coaching Process",
    key="process",
    title="The coaching process chosen",
    help="The coaching process (or processes) that fits the district or building best: "
    "one per row, with where it is used and why.",
    fields=(
        Field(
            key="process",
            header="Process",
            type=FieldType.CHOICE,
            help="Peer-to-peer, an individual peer coaching a team, team-to-team, or your own.",
            required=True,
            choices=PROCESSES,
            width=40,
        ),
        Field(
            key="where",
            header="Where and for whom",
            help="Which buildings, teams or staff use it.",
            required=True,
            width=40,
        ),
        Field(
            key="why",
            header="Why it fits",
            help="Why this process suits them.",
            width=60,
            long=True,
        ),
    ),
    min_rows=1,
)

STEPS = monitored_sheet(
    name="Action Steps",
    key="steps",
    title="Coaching plan action steps",
    help="What the team will do, by area: one step per row; tick it off with Status and "
    "Completed on.",
    fields=(
        Field(
            key="area",
            header="Area",
            type=FieldType.CHOICE,
            help="Coaching process, schedule, policies and guidance, training for coaches, "
            "training for staff, rollout and communication, coaching data, sustainability.",
            required=True,
            choices=AREA_LIST,
            width=26,
        ),
        what_will_be_done(key="step", header="Action step"),
        Field(key="lead", header="Who is responsible", help="The person or team.", width=24),
    ),
    min_rows=1,
    group_by="area",
)

DATA = Sheet(
    name="Coaching Data",
    key="data",
    title="Collecting and using coaching data",
    help="What the team will look at to know whether coaching works: one question or "
    "measure per row, with how and when it is collected and who reviews it.",
    fields=(
        Field(
            key="measure",
            header="Question or measure",
            type=FieldType.CHOICE,
            help="e.g. educators receiving coaching, coaching sessions held, CWIS data, SAPP "
            "data; or your own.",
            required=True,
            choices=MEASURES,
            width=36,
        ),
        Field(
            key="how",
            header="How it is collected",
            help="The tool or record used.",
            width=36,
            long=True,
        ),
        Field(key="when", header="When", help="When or how often, e.g. each quarter.", width=20),
        Field(
            key="reviewed_by", header="Reviewed by", help="Who looks at it and decides.", width=22
        ),
        Field(
            key="result",
            header="Latest result",
            help="The latest figure or finding.",
            width=30,
            carry=False,
        ),
        Field(
            key="result_date",
            header="Result date",
            type=FieldType.DATE,
            help="When that result was taken.",
            width=13,
            carry=False,
        ),
    ),
)

REVIEWS = review_log(
    help="Each time the team reviewed the plan: its date, type, whether the action steps "
    "are on track, and what changed.",
    types=REVIEW_TYPES,
    on_track_help="Are the action steps on track? Yes, Partly or No.",
    progress_help="What the coaching data show.",
)
"""The shared review log, with this kind's review types and wording."""


def _every_question_answered(plan: Plan) -> list[Issue]:
    answered = {r["question"] for r in plan.table("answers") if r["answer"]}
    issues = []
    for question, _ in QUESTIONS:
        if question not in answered:
            rows = [r for r in plan.table("answers") if r["question"] == question]
            cell = rows[0].cell("answer") if rows else ""
            issues.append(
                warning(f'"{question}" has no answer', ANSWERS.name, cell, code="unanswered")
            )
    return issues


def _every_area_has_a_step(plan: Plan) -> list[Issue]:
    if not plan.table("steps"):
        return []
    used = {r["area"] for r in plan.table("steps")}
    missing = [a for a in AREAS if a not in used]
    if not missing:
        return []
    return [
        warning(
            "no action step for: " + ", ".join(missing),
            STEPS.name,
            code="area-without-step",
        )
    ]


def _data_shows_effect(plan: Plan) -> list[Issue]:
    if "data" not in plan.tables:
        return []
    if any(r["measure"] in WATCHED for r in plan.table("data")):
        return []
    return [
        warning(
            "no SAPP, CWIS or walkthrough data are planned; say when they will be collected "
            "and reviewed to know whether coaching works",
            DATA.name,
            code="no-effect-data",
        )
    ]


COACHING_ACTION_PLAN = PlanKind(
    name="coaching-action-plan",
    title="Plan for Internal Coaching",
    description="A district or building leadership team's action plan for coaching by its own "
    "staff (seed: Creating a Plan for Internal Coaching).",
    sheets=(PLAN, ANSWERS, PROCESS, STEPS, DATA, REVIEWS),
    lists=(
        STATUS_LIST,
        ON_TRACK_LIST,
        SCOPES,
        QUESTION_LIST,
        PROCESSES,
        AREA_LIST,
        MEASURES,
        REVIEW_TYPES,
    ),
    template="coaching-action-plan.docx",
    example="riverbend_internal_coaching.xlsx",
    schedules=(),
    focus=Focus(sheet="process", field="process"),
    item_noun=("action step", "action steps"),
    rules=(_every_question_answered, _every_area_has_a_step, _data_shows_effect),
    instructions=instructions(
        "This workbook holds one Plan for Internal Coaching: coaching given by the "
        "district's own staff.",
        (
            "Start with the five guiding questions, then choose the coaching process and "
            "write the action steps, area by area. What each question covers:",
            *(f"   {question} {prompt}" for question, prompt in QUESTIONS),
        ),
        2025,
        "Monitor the plan: set each action step's Status and Completed on date, update "
        "the Coaching Data results, and log each review on the Reviews sheet.",
    ),
)
