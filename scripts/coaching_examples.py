"""The content of the two coaching examples, for make_examples.py.

Cedar Ridge Community Schools (a District Coaching System, seeds 002 and 003) and the
Riverbend R-IV School District (a Plan for Internal Coaching, seed 004) are fictional.
Facts and structure follow the seeds; every sentence is written for plangen.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from plangen.kinds import coaching_action_plan, coaching_system

Row = dict[str, Any]

# ------------------------------------------------------------ District Coaching System

ALL = coaching_system.ALL_ROLES
DC, SLT, IC, MDT = coaching_system.ROLES_LIST.values
ECLT = "Early Childhood Leadership Team Coach"
"""A role of Cedar Ridge's own, not in the kind's list."""
CONDITIONS, SELECTION, SUPERVISION, AUTHORITY, TIME, CSDP = coaching_system.COMPONENTS

SYSTEM_PLAN: Row = {
    "district": "Cedar Ridge Community Schools",
    "date_initiated": date(2024, 9, 16),
    "drafted_by": "District Implementation Team, led by Priya Raman (District MTSS Coordinator)",
    "drafted_on": date(2024, 11, 20),
    "approved_by": "Dr. Lena Ortiz, Superintendent, with the executive cabinet",
    "approved_on": date(2024, 12, 10),
    "review_date": date(2025, 6, 13),
    "shared_with": "Posted on the staff portal; walked through with every coach at the "
    "January coach network meeting and with each school leadership team by its coach.",
    "plan_end": date(2025, 6, 30),
    "as_of": date(2025, 2, 14),
}

DEFINITION: Row = {
    "definition_of_coaching": "In Cedar Ridge, coaching is support given where the work "
    "happens (in a team's meeting, in a classroom) so that staff put what they learned "
    "in training into practice as it was meant to be used. Coaching is never part of "
    "evaluation; its purpose is better outcomes for students.",
    "vs_training": "Training brings new knowledge and skills, usually to a group and away "
    "from the daily setting. Coaching comes after training and helps each person or team "
    "use those skills in their own setting. One person may do both, but the skills, the "
    "tasks and the measures of success are not the same.",
    "vs_consultation": "When the coach is not present where the practice is used and "
    "works only from what someone reports, or hands over ready-made materials without "
    "knowing whether they fit, the support is consultation. It is useful, but this "
    "system does not count it as coaching.",
    "systems_coaching": "Builds a team's capacity to use, and to support others in using, an "
    "effective innovation such as MTSS. Here it is given to the DIT, the school "
    "leadership teams, the multi-disciplinary teams and the preschool leadership team.",
    "instructional_coaching": "Helps individual teachers and paraprofessionals improve instruction "
    "with a particular practice or program, such as the K-5 reading intervention.",
}

ROLES: list[Row] = [
    {
        "role": DC,
        "type": "Systems coaching",
        "coaches": "The District Implementation Team (DIT)",
        "purpose": "Helps the DIT install and use the district's implementation "
        "infrastructure, and supports the other coaches.",
    },
    {
        "role": SLT,
        "type": "Systems coaching",
        "coaches": "The school leadership team of one or two schools",
        "purpose": "Helps each school leadership team plan, use and review MTSS in its school.",
    },
    {
        "role": IC,
        "type": "Instructional coaching",
        "coaches": "K-5 teachers and paraprofessionals",
        "purpose": "Helps staff use the reading intervention program and core reading "
        "practices well.",
    },
    {
        "role": MDT,
        "type": "Both",
        "coaches": "The multi-disciplinary team of each secondary school",
        "purpose": "Helps the team run advanced-tier problem solving and supports the "
        "interventionists who carry out its plans.",
    },
    {
        "role": ECLT,
        "type": "Systems coaching",
        "coaches": "The preschool leadership team",
        "purpose": "Brings the district's MTSS work to the two preschool sites.",
    },
]

COMPONENTS: list[Row] = [
    {
        "role": ALL,
        "component": CONDITIONS,
        "text": "Coaching is offered when staff or a team have been trained in a practice "
        "the district adopted and begin using it, when data show a practice is not yet "
        "used as intended, or when a team asks for help with a new part of MTSS.",
    },
    {
        "role": ALL,
        "component": AUTHORITY,
        "text": "Coaches advise, model and give feedback; they do not evaluate staff or "
        "make personnel decisions. Decisions about a practice stay with the team or "
        "administrator who owns it; coaches take barriers they cannot remove to the DIT.",
    },
    {
        "role": ALL,
        "component": CSDP,
        "text": "Every coach keeps a Coaching Service Delivery Plan for each team or group "
        "coached, reviews it monthly and shares progress with the team two to three "
        "times a year.",
    },
    {
        "role": DC,
        "component": SELECTION,
        "text": "Named by the superintendent from central office staff with MTSS "
        "experience; completes systems coaching training in the first year.",
    },
    {
        "role": DC,
        "component": SUPERVISION,
        "text": "Reports to the Assistant Superintendent for Instruction; brings coaching "
        "data to the DIT every quarter.",
    },
    {
        "role": DC,
        "component": TIME,
        "text": "Half of the coordinator's position (0.5 FTE) is set aside for coaching.",
    },
    {
        "role": SLT,
        "component": SELECTION,
        "text": "Posted inside the district each spring; the principal and the district "
        "coordinator interview candidates against this role description together.",
    },
    {
        "role": SLT,
        "component": SUPERVISION,
        "text": "The principal oversees the daily work; the district coordinator oversees "
        "coaching quality through a monthly coach network meeting.",
    },
    {
        "role": SLT,
        "component": TIME,
        "text": "At least four hours a month per school: the team meeting, planning with "
        "the chair and a debrief with the principal.",
    },
    {
        "role": IC,
        "component": CONDITIONS,
        "text": "Also when a teacher asks for support, or when walkthrough data show a "
        "reading practice is not yet in place.",
    },
    {
        "role": IC,
        "component": SELECTION,
        "text": "Certified teachers with five or more years of reading instruction and "
        "training in the intervention program; chosen by a panel of principals and the "
        "literacy director.",
    },
    {
        "role": IC,
        "component": SUPERVISION,
        "text": "The literacy director reviews each coach's coaching log monthly.",
    },
    {
        "role": IC,
        "component": TIME,
        "text": "A full-time role; at least 70% of the week is spent with teachers in classrooms.",
    },
    {
        "role": MDT,
        "component": SELECTION,
        "text": "A school psychologist or interventionist with advanced-tier experience, "
        "chosen by the district coordinator with the principal.",
    },
    {
        "role": MDT,
        "component": SUPERVISION,
        "text": "The director of student services; coaching notes reviewed each quarter.",
    },
    {
        "role": MDT,
        "component": TIME,
        "text": "Two hours for each team meeting plus one hour to prepare.",
    },
    {
        "role": ECLT,
        "component": SELECTION,
        "text": "Chosen from the early childhood staff by the early childhood director.",
    },
    {
        "role": ECLT,
        "component": SUPERVISION,
        "text": "The early childhood director, with the district coordinator.",
    },
    {
        "role": ECLT,
        "component": TIME,
        "text": "Three hours a month.",
    },
]

DCA: list[Row] = [
    {
        "item": 18,
        "addresses": "To be scored with the DIT at the spring DCA administration, citing "
        "the approved system.",
    },
    {
        "item": 25,
        "score": 0,
        "addresses": "The approved system is the evidence for this item; sharing it with "
        "every coach and team moves it toward full credit.",
    },
    {
        "item": 26,
        "score": 1,
        "addresses": "Component 7 asks every coach to keep a CSDP for each team coached.",
    },
    {
        "item": 27,
        "score": 0,
        "addresses": "The district coordinator's step on coaching effectiveness data brings "
        "survey and log results to the DIT each quarter.",
    },
]


def _step(role: str, kind: str, step: str, lead: str, target: date, **more: Any) -> Row:
    return {"role": role, "type": kind, "step": step, "lead": lead, "target_date": target, **more}


def _done(on: date) -> dict[str, Any]:
    return {"status": "Completed", "completed_on": on}


STEPS: list[Row] = [
    _step(
        ALL,
        "Draft",
        "Draft the definition of coaching and each role's components with the DIT.",
        "Priya Raman",
        date(2024, 11, 22),
        **_done(date(2024, 11, 20)),
    ),
    _step(
        ALL,
        "Approval by executive leadership",
        "Present the final draft to the superintendent and cabinet for approval.",
        "Priya Raman",
        date(2024, 12, 13),
        **_done(date(2024, 12, 10)),
    ),
    _step(
        ALL,
        "Share with coaches and teams",
        "Walk every coach through the approved system at the January coach network meeting.",
        "Priya Raman",
        date(2025, 1, 31),
        **_done(date(2025, 1, 22)),
    ),
    _step(
        SLT,
        "Select coaches",
        "Select a school leadership team coach for each of the six schools with the new "
        "guidelines.",
        "Principals",
        date(2025, 1, 31),
        status="In progress",
    ),
    _step(
        SLT,
        "Train coaches",
        "Enroll the new coaches in systems coaching training.",
        "Priya Raman",
        date(2025, 4, 30),
    ),
    _step(
        SLT,
        "CSDP in place",
        "Each coach writes a CSDP with the school leadership team.",
        "SLT coaches",
        date(2025, 5, 30),
    ),
    _step(
        IC,
        "Select coaches",
        "Confirm the two reading coaches already in place meet the selection criteria.",
        "Literacy director",
        date(2025, 1, 17),
        **_done(date(2025, 1, 10)),
    ),
    _step(
        IC,
        "CSDP in place",
        "Each reading coach writes a CSDP for the grade-level teams coached.",
        "Reading coaches",
        date(2025, 3, 14),
        status="In progress",
    ),
    _step(
        MDT,
        "Select coaches",
        "Name an MDT coach at each of the two middle schools.",
        "Student services director",
        date(2025, 2, 28),
        status="Dropped",
        drop_reason="Since the January schedule change the two middle schools share one "
        "multi-disciplinary team and one coach.",
    ),
    _step(
        DC,
        "Collect coaching effectiveness data",
        "Set up a coaching survey and log so effectiveness data reach the DIT every quarter "
        "(DCA item 27).",
        "Priya Raman",
        date(2025, 3, 31),
        status="In progress",
    ),
    _step(
        ECLT,
        "Select coaches",
        "Choose the preschool leadership team coach.",
        "Early childhood director",
        date(2025, 2, 28),
    ),
    _step(
        ALL,
        "Review",
        "Review the system with the DIT and the executive cabinet, and set the next review date.",
        "DIT",
        date(2025, 6, 13),
    ),
]

COACHING_SYSTEM_EXAMPLE: tuple[dict[str, Row], dict[str, list[Row]]] = (
    {"plan": SYSTEM_PLAN, "definition": DEFINITION},
    {"roles": ROLES, "components": COMPONENTS, "dca": DCA, "steps": STEPS},
)

# ------------------------------------------------------------ Plan for Internal Coaching

Q1, Q2, Q3, Q4, Q5 = coaching_action_plan.QUESTION_LIST.values

ACTION_PLAN_PLAN: Row = {
    "district": "Riverbend R-IV School District",
    "scope": "District",
    "team": "District Leadership Team with the three building leadership teams",
    "coordinator": "Marcus Bell, Assistant Superintendent",
    "date_initiated": date(2024, 8, 12),
    "plan_end": date(2025, 6, 30),
    "as_of": date(2025, 3, 7),
}

ANSWERS: list[Row] = [
    {
        "question": Q1,
        "answer": "Coaching happens informally: a few middle school teachers visit each "
        "other's rooms, but nothing is scheduled or recorded.",
    },
    {
        "question": Q2,
        "answer": "Every classroom uses the assessment-capable learner strategies the "
        "district trained on last year.",
    },
    {
        "question": Q3,
        "answer": "Peer-to-peer coaching at the middle school and team-to-team coaching "
        "among the grade 3-5 teams; twelve teachers trained as coaches in the fall; "
        "coaching days built into the calendar.",
    },
    {
        "question": Q4,
        "answer": "The DLT reviews the coaching log each month, walkthrough data each "
        "quarter, and the SAPP and CWIS results in the fall and spring, and adjusts the "
        "plan after each review.",
    },
    {
        "question": Q5,
        "answer": "The coaching companion and the practice profile for the chosen strategies "
        "guide each cycle; our CST facilitator joins the DLT each quarter and helps train "
        "the coaches.",
    },
    {
        "question": Q1,
        "answer": "What works: teachers who took part say the visits changed their lessons. "
        "Gaps: no coaching at the elementary schools or the high school, and no time set "
        "aside for it.",
    },
    {
        "question": Q2,
        "answer": "The grade 3-5 teams and the middle school math team are the most ready "
        "and asked for coaching first.",
    },
]

PROCESS: list[Row] = [
    {
        "process": "Peer-to-peer",
        "where": "Riverbend Middle School: core teachers who volunteer",
        "why": "Teachers there already visit each other; pairing them makes what works a routine.",
    },
    {
        "process": "Team-to-team: grade level or content area teams",
        "where": "Grades 3-5 at both elementary schools",
        "why": "The teams share planning time, so one team can host another during it.",
    },
]


def _action(area: str, step: str, lead: str, target: date, **more: Any) -> Row:
    return {"area": area, "step": step, "lead": lead, "target_date": target, **more}


ACTION_STEPS: list[Row] = [
    _action(
        "Coaching process",
        "Confirm the two coaching processes with each building leadership team.",
        "Marcus Bell",
        date(2024, 8, 30),
        **_done(date(2024, 8, 30)),
    ),
    _action(
        "Coaching schedule",
        "Put four coaching days a semester in the district calendar, with substitutes for "
        "the host classrooms.",
        "Marcus Bell",
        date(2024, 9, 13),
        **_done(date(2024, 9, 13)),
    ),
    _action(
        "Coaching schedule",
        "Give every coach and partner 45 minutes a week in school hours for coaching.",
        "Principals",
        date(2024, 10, 31),
        status="In progress",
    ),
    _action(
        "Coaching schedule",
        "Try coaching during the late-start mornings.",
        "Principals",
        date(2024, 11, 15),
        status="Dropped",
        drop_reason="The board cancelled late starts for 2024-25.",
    ),
    _action(
        "Policies and guidance",
        "Write the criteria for choosing coaches from the essential functions of the SBIC "
        "practice profile.",
        "DLT",
        date(2024, 9, 27),
        **_done(date(2024, 9, 27)),
    ),
    _action(
        "Policies and guidance",
        "Publish a one-page guide for staff: coaching is voluntary to start, never part of "
        "evaluation, and confidential.",
        "DLT",
        date(2024, 10, 4),
        **_done(date(2024, 10, 4)),
    ),
    _action(
        "Policies and guidance",
        "Write the coaching procedure for coaches: planning talk, visit, feedback within "
        "two days, next steps.",
        "DLT",
        date(2024, 10, 18),
        **_done(date(2024, 10, 18)),
    ),
    _action(
        "Training for coaches",
        "All twelve coaches complete the SBIC module before coaching starts.",
        "CST facilitator",
        date(2024, 10, 25),
        **_done(date(2024, 10, 25)),
    ),
    _action(
        "Training for coaches",
        "Add a spring session for coaches on written feedback.",
        "CST facilitator",
        date(2025, 4, 11),
    ),
    _action(
        "Training for staff",
        "Introduce coaching to all staff at the October professional development day.",
        "Principals",
        date(2024, 10, 14),
        **_done(date(2024, 10, 14)),
    ),
    _action(
        "Rollout and communication",
        "Share the coaching plan and the first schedule with staff by email and at "
        "building meetings.",
        "Principals",
        date(2024, 10, 28),
        **_done(date(2024, 10, 28)),
    ),
    _action(
        "Rollout and communication",
        "Open a suggestion form and a standing staff-meeting item for questions and "
        "concerns about coaching.",
        "BLT chairs",
        date(2024, 11, 8),
        **_done(date(2024, 11, 8)),
    ),
    _action(
        "Coaching data",
        "Set up a coaching log that counts educators coached, coaches, sessions and meetings.",
        "Marcus Bell",
        date(2024, 11, 1),
        **_done(date(2024, 11, 1)),
    ),
    _action(
        "Coaching data",
        "Check coaches' fidelity to the coaching procedure with a short observation "
        "checklist each quarter.",
        "CST facilitator",
        date(2025, 3, 31),
        status="In progress",
    ),
    _action(
        "Coaching data",
        "Tell all staff what the coaching data show, and what was decided, after each review.",
        "Principals",
        date(2025, 4, 30),
        status="In progress",
    ),
    _action(
        "Sustainability",
        "Decide how often the DLT reviews the coaching data: every month.",
        "DLT",
        date(2024, 8, 30),
        **_done(date(2024, 8, 30)),
    ),
    _action(
        "Sustainability",
        "Plan SBIC training for coaches who join next year.",
        "Marcus Bell",
        date(2025, 5, 30),
    ),
    _action(
        "Sustainability",
        "Add the coaching model to the August orientation for new staff.",
        "Principals",
        date(2025, 6, 30),
    ),
]

DATA: list[Row] = [
    {
        "measure": "Educators receiving coaching",
        "how": "Coaching log",
        "when": "Monthly",
        "reviewed_by": "DLT",
        "result": "41 of 96 teachers",
        "result_date": date(2025, 2, 28),
    },
    {
        "measure": "Coaches providing coaching",
        "how": "Coaching log",
        "when": "Monthly",
        "reviewed_by": "DLT",
        "result": "12 coaches",
        "result_date": date(2025, 2, 28),
    },
    {
        "measure": "Coaching sessions held",
        "how": "Coaching log",
        "when": "Monthly",
        "reviewed_by": "DLT",
        "result": "118 sessions since October",
        "result_date": date(2025, 2, 28),
    },
    {
        "measure": "Quality of the coaching",
        "how": "Observation checklist of the coaching procedure; partner survey",
        "when": "Each quarter",
        "reviewed_by": "DLT with the CST facilitator",
        "result": "9 of 12 coaches followed every step",
        "result_date": date(2025, 1, 24),
    },
    {
        "measure": "Walkthrough/Look For and observation data",
        "how": "Look For tool for the chosen strategies",
        "when": "Each quarter",
        "reviewed_by": "Building leadership teams",
        "result": "Strategies seen in 38% of visits (fall: 21%)",
        "result_date": date(2025, 1, 31),
    },
    {
        "measure": "CWIS data",
        "how": "Collaborative Work Implementation Survey",
        "when": "Fall and spring windows",
        "reviewed_by": "DLT",
        "result": "Fall average 3.4 of 5",
        "result_date": date(2024, 10, 15),
    },
    {
        "measure": "SAPP data",
        "how": "Self-Assessment Practice Profile",
        "when": "September and April",
        "reviewed_by": "Building leadership teams",
        "result": "Baseline taken by 88 staff",
        "result_date": date(2024, 9, 20),
    },
]

REVIEWS: list[Row] = [
    {
        "date": date(2024, 10, 30),
        "type": "Monthly",
        "on_track": "Yes",
        "progress": "Coaches trained; the schedule is in place.",
        "adjustments": "None.",
    },
    {
        "date": date(2024, 12, 18),
        "type": "Monthly",
        "on_track": "Yes",
        "progress": "Coaching under way in all three buildings; 24 educators coached.",
        "barriers": "Substitutes are hard to find in December.",
        "adjustments": "Host visits moved to January.",
    },
    {
        "date": date(2025, 1, 29),
        "type": "Mid-Year",
        "on_track": "Partly",
        "progress": "Walkthrough data up from 21% to 38%; weekly coaching time is not yet "
        "protected at the high school.",
        "barriers": "The high school bell schedule.",
        "accomplishments": "41 educators coached.",
        "adjustments": "The high school principal protects a weekly coaching block by March.",
    },
]

ACTION_PLAN: tuple[dict[str, Row], dict[str, list[Row]]] = (
    {"plan": ACTION_PLAN_PLAN},
    {
        "answers": ANSWERS,
        "process": PROCESS,
        "steps": ACTION_STEPS,
        "data": DATA,
        "reviews": REVIEWS,
    },
)
