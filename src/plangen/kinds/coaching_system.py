"""The District Coaching System: a district's written process for equitable, high-quality
coaching across its schools.

Sections follow the seeds on developing a district coaching system: the district's
definition of coaching (and how it differs from training and from consultation; systems
vs instructional coaching), each coaching role the district has and what the components
say for it (conditions that warrant coaching, recruitment and selection, supervision and
accountability, decision-making authority, time allocated, the Coaching Service Delivery
Plan), the DCA items it answers, who drafted and approved it, and the steps to develop
and use it. Only those steps are monitored: the seeds give the system no review rhythm.
"""

from __future__ import annotations

from plangen.errors import Issue, error, warning
from plangen.kinds.common import (
    STATUS_LIST,
    instructions,
    monitored_sheet,
    references_exist,
    what_will_be_done,
)
from plangen.model import Plan
from plangen.schema import ChoiceList, Field, FieldType, Focus, PlanKind, Sheet

ALL_ROLES = "All roles"
COMPONENTS: tuple[str, ...] = (
    "Conditions that warrant coaching",
    "Recruitment and selection",
    "Supervision and accountability",
    "Decision-making authority",
    "Time allocated to coaching",
    "Coaching Service Delivery Plan",
)
"""Components 2-7 of the system, said per role (component 1, the definition, is
district-wide and has its own sheet)."""
DCA_ITEMS: tuple[tuple[int, str], ...] = (
    (18, ""),
    (
        25,
        "The district has a coaching system that supports schools in using effective innovations.",
    ),
    (26, "The DIT uses a coaching service delivery plan."),
    (27, "The DIT uses data on coaching effectiveness."),
)
MAX_DCA_SCORE = 2

ROLES_LIST = ChoiceList(
    "Coaching roles",
    (
        "District Coordinator",
        "School Leadership Team Coach",
        "Instructional Coach",
        "Multi-disciplinary Team Coach",
    ),
    open=True,
)
ROLE_OR_ALL = ChoiceList("Role or all roles", (ALL_ROLES, *ROLES_LIST.values), open=True)
COACHING_TYPES = ChoiceList(
    "Coaching types", ("Systems coaching", "Instructional coaching", "Both")
)
COMPONENT_LIST = ChoiceList("Components", COMPONENTS)
STEP_TYPES = ChoiceList(
    "Step types",
    (
        "Draft",
        "Finalize",
        "Approval by executive leadership",
        "Share with coaches and teams",
        "Select coaches",
        "Train coaches",
        "CSDP in place",
        "Collect coaching effectiveness data",
    ),
    open=True,
)

PLAN = Sheet(
    name="Plan",
    key="plan",
    title="The coaching system",
    help="Whose coaching system it is, who drafted and approved it, and when it is "
    "reviewed. One value per row, in column B.",
    form=True,
    fields=(
        Field(
            key="district",
            header="District",
            help="The district whose coaching system this is, e.g. Cedar Ridge Community Schools.",
            required=True,
            width=40,
        ),
        Field(
            key="date_initiated",
            header="Development began",
            type=FieldType.DATE,
            help="The date the district started developing the system, e.g. 2024-09-16.",
            required=True,
            month_means="start",
        ),
        Field(
            key="drafted_by",
            header="Drafted by",
            help="Who drafted the system (names and roles, or the team).",
            required=True,
            width=40,
        ),
        Field(
            key="drafted_on",
            header="Date drafted",
            type=FieldType.DATE,
            help="When the draft was finished.",
            carry=False,
        ),
        Field(
            key="approved_by",
            header="Approved by",
            help="Who in executive leadership approved the system (name and role). Blank "
            "while it is a draft.",
            width=40,
            carry=False,
        ),
        Field(
            key="approved_on",
            header="Date approved",
            type=FieldType.DATE,
            help="When it was approved.",
            carry=False,
        ),
        Field(
            key="review_date",
            header="Review date",
            type=FieldType.DATE,
            help="When the district will next review the system.",
        ),
        Field(
            key="shared_with",
            header="Shared with",
            help="How the system is shared with coaches and implementation teams.",
            width=40,
            long=True,
        ),
        Field(
            key="plan_end",
            header="Steps run until",
            type=FieldType.DATE,
            help="The last day of the steps below. Blank means June 30 after development began.",
        ),
        Field(
            key="as_of",
            header="Figures as of",
            type=FieldType.DATE,
            help="The date the step figures are worked out for. "
            "Blank means the day the plan is built.",
        ),
    ),
)

DEFINITION = Sheet(
    name="Definition",
    key="definition",
    title="Component 1: the district's definition of coaching",
    help="The district's own words, used by every coaching role. One value per row, in column B.",
    form=True,
    fields=(
        Field(
            key="definition_of_coaching",
            header="Definition of coaching",
            help="What coaching means in this district.",
            required=True,
            width=70,
            long=True,
        ),
        Field(
            key="vs_training",
            header="Coaching vs training",
            help="How coaching differs from training (presenting material to build new "
            "knowledge or skill).",
            required=True,
            long=True,
        ),
        Field(
            key="vs_consultation",
            header="Coaching vs consultation",
            help="How coaching differs from consultation (support given away from the "
            "setting where the work happens).",
            required=True,
            long=True,
        ),
        Field(
            key="systems_coaching",
            header="Systems coaching",
            help="Coaching that builds a team's capacity to use an effective innovation; "
            "who receives it here (DIT, SLT, MDT).",
            required=True,
            long=True,
        ),
        Field(
            key="instructional_coaching",
            header="Instructional coaching",
            help="Coaching on a practice or program with individual staff; who receives it here.",
            required=True,
            long=True,
        ),
    ),
)

ROLES = Sheet(
    name="Roles",
    key="roles",
    title="Coaching roles",
    help="Every coaching role in the district, one per row: the usual ones are in the "
    "list; add any other the district has.",
    fields=(
        Field(
            key="role",
            header="Role",
            type=FieldType.CHOICE,
            help="The coaching role; pick one or type your own, e.g. Preschool Classroom Coach.",
            required=True,
            choices=ROLES_LIST,
            width=32,
        ),
        Field(
            key="type",
            header="Coaching type",
            type=FieldType.CHOICE,
            help="Systems coaching (a team), instructional coaching (individual staff) or both.",
            required=True,
            choices=COACHING_TYPES,
            width=20,
        ),
        Field(
            key="coaches",
            header="Who is coached",
            help="The team or staff this role coaches, e.g. the school leadership team.",
            required=True,
            width=34,
        ),
        Field(
            key="purpose",
            header="Purpose",
            help="What the role is for, in a sentence or two.",
            width=60,
            long=True,
        ),
    ),
    min_rows=1,
)

COMPONENT_TEXT = Sheet(
    name="Components",
    key="components",
    title="Components 2-7 for each role",
    help="What each component says for each role, one per row. Role = All roles for what "
    "holds for every role.",
    fields=(
        Field(
            key="role",
            header="Role",
            type=FieldType.CHOICE,
            help="A role from the Roles sheet, or All roles.",
            required=True,
            choices=ROLE_OR_ALL,
            width=32,
        ),
        Field(
            key="component",
            header="Component",
            type=FieldType.CHOICE,
            help="Which component this row is about.",
            required=True,
            choices=COMPONENT_LIST,
            width=32,
        ),
        Field(
            key="text",
            header="What the district says",
            help="The district's guideline for this role and component.",
            required=True,
            width=90,
            long=True,
        ),
    ),
    min_rows=1,
    group_by="role",
)

DCA = Sheet(
    name="DCA Items",
    key="dca",
    title="Related District Capacity Assessment items",
    help="How the coaching system answers each DCA item it relates to. Items 18, 25, 26 "
    "and 27 are listed; score each 0, 1 or 2 as the team last scored it.",
    fields=(
        Field(
            key="item",
            header="Item",
            type=FieldType.INTEGER,
            help="The DCA item number.",
            required=True,
            width=7,
        ),
        Field(
            key="asks",
            header="What the item looks at",
            help="The item's subject, in a few words.",
            width=44,
            long=True,
        ),
        Field(
            key="score",
            header="Score",
            type=FieldType.INTEGER,
            help=f"The item's latest score: 0, 1 or {MAX_DCA_SCORE} (blank when not scored yet).",
            width=8,
        ),
        Field(
            key="addresses",
            header="How the coaching system addresses it",
            help="Which parts of the system move this item toward full credit.",
            width=70,
            long=True,
        ),
    ),
    prefill=tuple(
        {"item": str(item), **({"asks": asks} if asks else {})} for item, asks in DCA_ITEMS
    ),
    roll="revise",
)

STEPS = monitored_sheet(
    name="Steps",
    key="steps",
    title="Steps to develop and use the coaching system",
    help="The timeline for drafting, finalizing and using each part of the system, by "
    "role. One step per row; tick it off with Status and Completed on.",
    fields=(
        Field(
            key="role",
            header="Role",
            type=FieldType.CHOICE,
            help="The role this step is for, or All roles.",
            required=True,
            choices=ROLE_OR_ALL,
            width=30,
        ),
        Field(
            key="type",
            header="Step type",
            type=FieldType.CHOICE,
            help="Draft, finalize, approval, sharing, selecting or training coaches, a CSDP in "
            "place, coaching effectiveness data; or type your own.",
            choices=STEP_TYPES,
            width=26,
        ),
        what_will_be_done(key="step", header="Step"),
        Field(key="lead", header="Who leads it", help="The person or team responsible.", width=24),
    ),
    min_rows=1,
    group_by="role",
)


def _roles_listed_once(plan: Plan) -> list[Issue]:
    seen: set[str] = set()
    issues = []
    for record in plan.table("roles"):
        role = record["role"]
        if role in seen:
            issues.append(
                error(f'the role "{role}" is listed twice', ROLES.name, record.cell("role"))
            )
        if role and role.casefold() == ALL_ROLES.casefold():
            issues.append(
                error(
                    f'"{ALL_ROLES}" is not a role; name each role', ROLES.name, record.cell("role")
                )
            )
        seen.add(role)
    return issues


def _every_role_has_every_component(plan: Plan) -> list[Issue]:
    said: dict[str, set[str]] = {}
    for record in plan.table("components"):
        said.setdefault(record["role"], set()).add(record["component"])
    shared = said.get(ALL_ROLES, set())
    issues = []
    for record in plan.table("roles"):
        have = shared | said.get(record["role"], set())
        missing = [c for c in COMPONENTS if c not in have]
        if missing and record["role"] and record["role"].casefold() != ALL_ROLES.casefold():
            issues.append(
                warning(
                    f'the role "{record["role"]}" has nothing on the Components sheet for: '
                    + ", ".join(missing),
                    ROLES.name,
                    record.cell("role"),
                    code="component-missing",
                )
            )
    return issues


def _dca_items(plan: Plan) -> list[Issue]:
    issues = []
    listed = [r["item"] for r in plan.table("dca")]
    for record in plan.table("dca"):
        score = record["score"]
        if score is not None and score > MAX_DCA_SCORE:
            issues.append(
                error(
                    f"Score: a DCA item is scored 0, 1 or {MAX_DCA_SCORE}; got {score}",
                    DCA.name,
                    record.cell("score"),
                )
            )
        if record["item"] is not None and listed.count(record["item"]) > 1:
            issues.append(
                error(f"item {record['item']} is listed twice", DCA.name, record.cell("item"))
            )
            listed.remove(record["item"])
    absent = [str(item) for item, _ in DCA_ITEMS if item not in listed]
    if absent and plan.tables.get("dca") is not None:
        issues.append(
            warning(
                f"DCA item{'s' * (len(absent) > 1)} {', '.join(absent)} "
                f"{'are' if len(absent) > 1 else 'is'} not listed; the coaching system "
                "relates to items 18, 25, 26 and 27",
                DCA.name,
                code="dca-item-missing",
            )
        )
    return issues


def _approval_in_order(plan: Plan) -> list[Issue]:
    f = plan.fields
    cells = plan.field_cells
    issues = []
    begun, drafted, approved, review = (
        f.get("date_initiated"),
        f.get("drafted_on"),
        f.get("approved_on"),
        f.get("review_date"),
    )

    def where(key: str) -> str:
        return cells.get(key, (PLAN.name, ""))[1]

    for earlier, later, key, text in (
        (begun, drafted, "drafted_on", "the draft is dated before development began"),
        (drafted, approved, "approved_on", "the approval is dated before the draft"),
        (
            approved or drafted,
            review,
            "review_date",
            "the review date is before the system was approved (or drafted)",
        ),
    ):
        if earlier is not None and later is not None and later < earlier:
            issues.append(error(text, PLAN.name, where(key)))
    if f.get("approved_by") and approved is None:
        issues.append(
            warning(
                "Approved by is filled but Date approved is blank", PLAN.name, where("approved_on")
            )
        )
    if approved is not None and not f.get("approved_by"):
        issues.append(
            warning(
                "Date approved is filled but Approved by is blank", PLAN.name, where("approved_by")
            )
        )
    return issues


COACHING_SYSTEM = PlanKind(
    name="coaching-system",
    title="District Coaching System",
    description="A district's written process for equitable, high-quality coaching: its "
    "definition of coaching and, per coaching role, conditions, selection, supervision, "
    "authority, time and CSDP (seeds: District Coaching System modules).",
    sheets=(PLAN, DEFINITION, ROLES, COMPONENT_TEXT, DCA, STEPS),
    lists=(STATUS_LIST, ROLES_LIST, ROLE_OR_ALL, COACHING_TYPES, COMPONENT_LIST, STEP_TYPES),
    template="coaching-system.docx",
    example="cedar_ridge_coaching_system.xlsx",
    schedules=(),
    focus=Focus(sheet="roles", field="role"),
    item_noun=("step", "steps"),
    review_field="review_date",
    rules=(
        _roles_listed_once,
        references_exist(
            ROLES,
            "role",
            ((COMPONENT_TEXT, "role"), (STEPS, "role")),
            "coaching role",
            also=(ALL_ROLES,),
        ),
        _every_role_has_every_component,
        _dca_items,
        _approval_in_order,
    ),
    instructions=instructions(
        "This workbook holds one District Coaching System: the district's written process "
        "for equitable, high-quality coaching across its schools.",
        "Name every coaching role on the Roles sheet, then say on the Components sheet "
        "what each of components 2-7 means for each role (Role = All roles for what holds "
        "for every role).",
        2025,
        "Track the steps to draft, approve and use the system on the Steps sheet (Status, "
        "Completed on). Once executive leadership approves it, fill Approved by and Date "
        "approved on the Plan sheet.",
        builds="document",
    ),
)
