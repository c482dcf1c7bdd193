"""Generate the filled-in example workbook of every plan kind in input_examples/.

The System CSDP example is input_examples/super_excited_division.xlsx; the coaching
examples' content is in coaching_examples.py.

The content is the "Super Excited Division" example of the System CSDP template (seed
document 001), reworded, plus a plausible monitoring history up to 2023-02-15. The
script writes the blank guided workbook, then fills it by header name, so it keeps
working when columns move.

Run from the repository root:  python3 scripts/make_examples.py
"""

from __future__ import annotations

import shutil
import tempfile
from datetime import date
from pathlib import Path
from typing import Any

from coaching_examples import ACTION_PLAN, COACHING_SYSTEM_EXAMPLE
from openpyxl import Workbook, load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from plangen.kinds.coaching_action_plan import COACHING_ACTION_PLAN
from plangen.kinds.coaching_system import COACHING_SYSTEM
from plangen.kinds.district import DISTRICT
from plangen.kinds.system import SYSTEM
from plangen.schema import FieldType, PlanKind, Sheet
from plangen.workbook.blank import HEADER_ROW, write_blank

OUT = Path(__file__).resolve().parent.parent / "input_examples" / SYSTEM.example

Row = dict[str, Any]

PLAN: Row = {
    "district": "Super Excited Division",
    "date_initiated": date(2022, 10, 31),
    "plan_end": None,
    "coordinator": "Division MTSS Coordinator",
    "as_of": date(2023, 2, 15),
}

DATA: list[Row] = [
    {"measure": "DCA Total Score", "sub_score": "No", "score": 0.36},
    {"measure": "Organizational Leadership", "sub_score": "Yes", "score": 0.37},
    {"measure": "Data System for Decision Making", "sub_score": "Yes", "score": 0.40},
    {"measure": "Competency", "sub_score": "Yes", "score": 0.29},
    {
        "measure": "TFI Total Aggregated Score",
        "sub_score": "No",
        "score": 0.15,
        "n": 5,
        "note": "A 50% decrease from the previous year.",
    },
    {"measure": "Tier 1 Aggregated Score", "sub_score": "Yes", "score": 0.47},
    {"measure": "Teaming", "sub_score": "Yes", "score": 0.50},
    {"measure": "Implementation", "sub_score": "Yes", "score": 0.39},
    {"measure": "Evaluation", "sub_score": "Yes", "score": 0.38},
]

OBSERVATIONS: list[Row] = [
    {
        "observation": "A few installation components are in place, but most have not been "
        "started yet."
    },
    {
        "observation": "The team's operating procedures are weak: norms are not always kept and "
        "action items are not followed up consistently."
    },
    {
        "observation": "The team meets only about 3 times a year, and attendance at each meeting "
        "is below 80%."
    },
    {
        "observation": "Staff turnover in the division has left no steady coaching structure, and "
        "implementation at the school sites is slipping."
    },
    {
        "observation": "School teams say informally that all staff need to hear more about the "
        "work going on at the district level and how the DLT supports schools."
    },
]

FOCUS_SELECTED = ("Leadership/Teaming", "Coaching")

GOALS: list[Row] = [
    {
        "number": 1,
        "goal": "By June 2023 the DLT will show strong team operating procedures: a score of "
        "2 on DCA item 4, at least 6 meetings scheduled with 80% attendance, and "
        "written documentation of these processes.",
        "measures": "DCA item 4 score; consistent with coach observation and meeting minutes.",
        "target_date": date(2023, 6, 30),
    },
    {
        "number": 2,
        "goal": "By June 2023 the DLT will explore building a coaching system that supports "
        "schools' implementation so every school has equitable access to "
        "high-quality coaching.",
        "measures": "A score of 1 on DCA item 25; a 49% increase in Tier 1 Total TFI "
        "aggregated scores (implementing with fidelity).",
        "target_date": date(2023, 6, 30),
    },
]

DLT, COORD, SCHOOL = (
    "Division Leadership Team",
    "District Coordinators/Coaches",
    "School Building Coaches",
)
SUPPORTS: list[Row] = [
    {
        "level": DLT,
        "goal": 1,
        "status": "In progress",
        "target_date": date(2023, 3, 31),
        "support": "State systems coaches help the leadership team develop its operating "
        "procedures and a coaching structure.",
    },
    {
        "level": DLT,
        "goal": 1,
        "status": "Completed",
        "target_date": date(2022, 11, 30),
        "completed_on": date(2022, 11, 15),
        "support": "Put 6 meetings on the division calendar, with decision rules for when a "
        "meeting may be cancelled.",
    },
    {
        "level": DLT,
        "goal": 1,
        "status": "Completed",
        "target_date": date(2022, 11, 30),
        "completed_on": date(2022, 11, 1),
        "support": "Add a standing agenda item to review the previous meeting's action items.",
    },
    {
        "level": DLT,
        "goal": 1,
        "status": "Completed",
        "target_date": date(2022, 12, 31),
        "completed_on": date(2022, 12, 14),
        "support": "Review the current meeting norms to build a shared purpose and vision for a "
        "new way of working.",
    },
    {
        "level": DLT,
        "goal": 1,
        "status": "In progress",
        "target_date": date(2023, 3, 15),
        "support": "State systems coaches co-facilitate the DLT with the division coordinator, "
        "moving by mid-year to a 'you do' with the coordinator leading.",
    },
    {
        "level": COORD,
        "goal": 2,
        "status": "In progress",
        "target_date": date(2023, 1, 31),
        "support": "Review the organizational structure to find FTE for a division coaching role.",
    },
    {
        "level": COORD,
        "goal": 2,
        "status": "Completed",
        "target_date": date(2023, 1, 31),
        "completed_on": date(2023, 1, 20),
        "support": "Define what coaching looks like in the division by writing coaching roles "
        "and responsibilities.",
    },
    {
        "level": COORD,
        "goal": 1,
        "status": "Completed",
        "target_date": date(2022, 11, 30),
        "completed_on": date(2022, 11, 10),
        "support": "Set aside time to send reminders before each meeting.",
    },
    {
        "level": COORD,
        "goal": 2,
        "status": "Completed",
        "target_date": date(2022, 12, 31),
        "completed_on": date(2022, 12, 9),
        "support": "Plan interim coaching supports for school buildings and share the plan with "
        "school leads.",
    },
    {
        "level": COORD,
        "goal": 2,
        "status": "Not started",
        "target_date": date(2023, 4, 30),
        "support": "Attend Systems Coaching Institute 101.",
    },
    {
        "level": COORD,
        "status": "Completed",
        "target_date": date(2023, 2, 28),
        "completed_on": date(2023, 2, 10),
        "support": "Set up progress monitoring for both goals.",
    },
    {
        "level": SCHOOL,
        "goal": 2,
        "status": "In progress",
        "target_date": date(2023, 5, 31),
        "support": "State systems coaches coach the school coaches until a division coach is "
        "named.",
    },
    {
        "level": SCHOOL,
        "goal": 2,
        "status": "Dropped",
        "drop_reason": "Folded into the individual school support below after the mid-year review.",
        "support": "Targeted professional learning for school leadership teams on the TFI "
        "Teaming and Implementation components.",
    },
    {
        "level": SCHOOL,
        "goal": 2,
        "status": "Not started",
        "target_date": date(2023, 5, 31),
        "support": "Individual support to schools on the targeted TFI Implementation components.",
    },
]

STATE, SITE = "Division Coaches (State to Division)", "Building Coaches (Division to Site)"
PROCESS: list[Row] = [
    {
        "relationship": STATE,
        "process": "Consultation",
        "goal": 2,
        "status": "Completed",
        "target_date": date(2022, 11, 30),
        "completed_on": date(2022, 11, 18),
        "activity": "State Coach 1 attends and gives interim support to 2 schools until a "
        "division coach is allocated.",
    },
    {
        "relationship": STATE,
        "process": "Consultation",
        "goal": 2,
        "status": "Completed",
        "target_date": date(2022, 11, 30),
        "completed_on": date(2022, 11, 22),
        "activity": "State coach 2 attends and gives interim support to 3 schools until a "
        "division coach is allocated.",
    },
    {
        "relationship": STATE,
        "process": "Modeling",
        "goal": 2,
        "status": "Not started",
        "target_date": date(2023, 4, 30),
        "activity": "Model ('I do') coaching of school teams for the division coach in 3 "
        "assigned schools, while giving direct support to 2 schools.",
    },
    {
        "relationship": STATE,
        "process": "Coaching conversations",
        "status": "Completed",
        "target_date": date(2022, 12, 31),
        "completed_on": date(2022, 12, 2),
        "activity": "Use the Coaching Reflection Protocol to give feedback and discuss within "
        "3 days.",
    },
    {
        "relationship": STATE,
        "process": "Documentation/data review",
        "goal": 2,
        "status": "In progress",
        "target_date": date(2023, 3, 31),
        "activity": "Review aggregated progress-monitoring data and help allocate coaching and "
        "professional learning by need.",
    },
    {
        "relationship": STATE,
        "process": "Consultation",
        "goal": 2,
        "status": "Completed",
        "target_date": date(2023, 1, 31),
        "completed_on": date(2023, 1, 25),
        "activity": "Review and revise the division coaches' roles and responsibilities, giving "
        "feedback to adjust them as needed.",
    },
    {
        "relationship": STATE,
        "process": "Consultation",
        "goal": 2,
        "status": "Not started",
        "target_date": date(2023, 4, 30),
        "activity": "Assess the division coach's strengths and needs for supporting "
        "implementation across schools.",
    },
    {
        "relationship": STATE,
        "process": "Direct observation",
        "goal": 1,
        "status": "Completed",
        "target_date": date(2022, 12, 31),
        "completed_on": date(2022, 12, 15),
        "activity": "Observe directly and give feedback to the division coordinator on setting "
        "up and facilitating the DLT.",
    },
    {
        "relationship": STATE,
        "process": "Direct observation",
        "goal": 1,
        "status": "In progress",
        "target_date": date(2023, 5, 31),
        "activity": "State coaches observe the DLT and give the division coordinator feedback on "
        "its use of operating procedures and keeping to norms.",
    },
    {
        "relationship": SITE,
        "process": "Direct observation",
        "goal": 2,
        "status": "Not started",
        "target_date": date(2023, 5, 31),
        "activity": "Once the position is allocated, the division coach observes the state "
        "coaches in the 3 assigned schools.",
    },
    {
        "relationship": SITE,
        "process": "Consultation",
        "goal": 2,
        "status": "Not started",
        "target_date": date(2023, 5, 31),
        "activity": "Assess the school coach's strengths and needs for supporting "
        "implementation in the building.",
    },
    {
        "relationship": SITE,
        "process": "Coaching conversations",
        "status": "In progress",
        "target_date": date(2023, 6, 30),
        "activity": "Debrief meetings monthly with the Coaching Reflection Protocol, within 3 "
        "days of each meeting.",
    },
    {
        "relationship": SITE,
        "process": "Co-facilitating",
        "goal": 2,
        "status": "Completed",
        "target_date": date(2023, 2, 28),
        "completed_on": date(2023, 2, 8),
        "activity": "Help building teams design and deliver staff professional development that "
        "deepens understanding of MTSS and capacity for related classroom practices "
        "(TFI 1.7-1.9).",
    },
]

FREQUENCY: list[Row] = [
    {"level": "Division Coaches", "item": "DLT meeting every month."},
    {
        "level": "Division Coaches",
        "item": "Monthly pre/post meetings of the division coordinator/coach and the state coach "
        "to debrief and reflect on the DLT.",
    },
    {"level": "Division Coaches", "item": "School-based leadership team meetings monthly (x3)."},
    {"level": "Building Coaches", "item": "MTSS leadership meetings monthly (x5)."},
    {
        "level": "Building Coaches",
        "item": "Pre/post meetings between the division coach and school coach to debrief and "
        "reflect on team meetings (e.g. agenda, data review).",
    },
    {
        "level": "Building Coaches",
        "item": "The division coach schedules the pre/post debriefing and reflection meetings "
        "with the school coach.",
    },
]

FEEDBACK: list[Row] = [
    {
        "direction": "Division to Building",
        "item": "An electronic reflection log after each distinct coaching session.",
    },
    {
        "direction": "Division to Building",
        "item": "Division-to-building coach support to write a summary of reflections, next steps "
        "and any resources requested, within three days.",
    },
    {"direction": "Division to Building", "item": "Coaching reflection protocol."},
    {
        "direction": "Division to Building",
        "item": "Explore a formal communication plan from the DLT to building teams.",
    },
    {"direction": "Building to Division", "item": "Report implementation barriers to the DLT."},
    {
        "direction": "Building to Division",
        "item": "Reflection Protocol after each meeting, for one year.",
    },
    {
        "direction": "Building to Division",
        "item": "Write a summary of reflections, next steps and any resources requested, within "
        "three days.",
    },
    {"direction": "Building to Division", "item": "Coaching reflection protocol."},
]

MONITORING: list[Row] = [
    {
        "review": "Mid-Year Review (January)",
        "covers": "Progress on every plan component (systems & support structure for coaching, "
        "coaching process, frequency of coaching support, feedback & communication), "
        "movement in each focus area using the Implementation Matrix (1A, 1B, 1H), and "
        "progress toward the SMART goals. Goal 1: at least DCA item 4 scoring, coaching "
        "observations and DLT meeting minutes (scheduling, attendance, processes). "
        "Goal 2: at least DCA item 25 scoring and Tier 1 TFI scores for Implementation "
        "and Teaming. The CSDP is modified if needed.",
    },
    {
        "review": "End-Year Review (May/June)",
        "covers": "The same as the mid-year review, allowing for any changes made at mid-year.",
    },
]

REVIEWS: list[Row] = [
    {
        "date": date(2022, 11, 30),
        "type": "Monthly",
        "on_track": "Yes",
        "progress": "Six DLT meetings are on the calendar; action-item review is a standing "
        "agenda item.",
        "barriers": "No FTE yet for a division coach.",
        "accomplishments": "Meeting reminders go out before each meeting.",
        "adjustments": "None.",
    },
    {
        "date": date(2022, 12, 15),
        "type": "Monthly",
        "on_track": "Yes",
        "progress": "Norms reviewed; attendance at the December DLT meeting was 85%.",
        "barriers": "Holiday schedule limits school visits.",
        "accomplishments": "Interim coaching plan shared with school leads.",
        "adjustments": "None.",
    },
    {
        "date": date(2023, 1, 25),
        "type": "Mid-Year",
        "on_track": "Partly",
        "progress": "Goal 1 is on track: 3 of 6 meetings held with attendance at or above 80%. "
        "Goal 2 is behind: the division coach role is defined but not funded.",
        "barriers": "The division coach position is still not allocated.",
        "accomplishments": "Coaching roles and responsibilities written and reviewed.",
        "adjustments": "Targeted school professional learning folded into individual school "
        "support; the overdue FTE review is escalated to the DLT.",
    },
]

TABLES: dict[str, list[Row]] = {
    "data": DATA,
    "observations": OBSERVATIONS,
    "goals": GOALS,
    "supports": SUPPORTS,
    "process": PROCESS,
    "frequency": FREQUENCY,
    "feedback": FEEDBACK,
    "monitoring": MONITORING,
    "reviews": REVIEWS,
}


def header_columns(ws: Worksheet, sheet: Sheet) -> dict[str, int]:
    """Map each field key of `sheet` to its column number, found by header text."""
    found = {ws.cell(HEADER_ROW, c).value: c for c in range(1, ws.max_column + 1)}
    return {f.key: found[f.header] for f in sheet.fields}


def put(ws: Worksheet, row: int, column: int, value: Any, ftype: FieldType) -> None:
    """Write one value, giving dates and percents their number formats."""
    cell = ws.cell(row, column, value)
    if ftype is FieldType.DATE:
        cell.number_format = "yyyy-mm-dd"
    elif ftype is FieldType.PERCENT:
        cell.number_format = "0%"


def fill_form(ws: Worksheet, sheet: Sheet, values: Row) -> None:
    """Fill a form sheet: find each field's label in column A, write its value in B."""
    rows = {ws.cell(r, 1).value: r for r in range(HEADER_ROW + 1, ws.max_row + 1)}
    for fld in sheet.fields:
        if values.get(fld.key) is not None:
            put(ws, rows[fld.header], 2, values[fld.key], fld.type)


def fill_table(ws: Worksheet, sheet: Sheet, records: list[Row]) -> None:
    """Write `records` below the header row, one per row, columns found by header."""
    columns = header_columns(ws, sheet)
    for row, record in enumerate(records, start=HEADER_ROW + 1):
        for fld in sheet.fields:
            if record.get(fld.key) is not None:
                put(ws, row, columns[fld.key], record[fld.key], fld.type)


def select_focus_areas(ws: Worksheet, sheet: Sheet, selected: tuple[str, ...]) -> None:
    """Mark Selected = Yes on the prefilled focus-area rows named in `selected`, No elsewhere."""
    columns = header_columns(ws, sheet)
    for row in range(HEADER_ROW + 1, HEADER_ROW + 1 + len(sheet.prefill)):
        area = ws.cell(row, columns["area"]).value
        ws.cell(row, columns["selected"], "Yes" if area in selected else "No")


# ------------------------------------------------------------ the district example
# Maple Grove Public Schools is fictional: a District Individualized CSDP (seed 000)
# for the 2023-24 year, monitored monthly up to 2024-02-20.

DISTRICT_OUT = OUT.parent / DISTRICT.example
PACKAGED = OUT.parent.parent / "src" / "plangen" / "examples"
TOP, DBDM = "Team operating procedures", "Data-based decision making"
DIT = "DIT members"

DISTRICT_PLAN: Row = {
    "district": "Maple Grove Public Schools",
    "coordinator": "Dana Whitfield, District MTSS Coordinator",
    "date_initiated": date(2023, 8, 28),
    "plan_end": date(2024, 6, 30),
    "as_of": date(2024, 2, 20),
}

BASELINE: list[Row] = [
    {
        "source": "Installation checklist",
        "data": "Items 3 and 7: written DIT roles and a meeting calendar",
        "shows": "Neither is in place: meetings are set month to month and no one is named "
        "to take notes or keep time.",
    },
    {
        "source": "District Capacity Assessment (DCA)",
        "data": "DCA total score (spring 2023)",
        "score": 0.42,
        "shows": "Below the 80% target; the Leadership scale is the lowest.",
    },
    {
        "source": "District Capacity Assessment (DCA)",
        "data": "DCA item 4: team operating procedures",
        "score": 0.5,
        "shows": "Scored 1 of 2: agendas exist, but roles and decision rules are not used.",
    },
    {
        "source": "District Capacity Assessment (DCA)",
        "data": "DCA item 18: data system for decision making",
        "score": 0.0,
        "shows": "Scored 0: the DIT does not review school data on a set schedule.",
    },
    {
        "source": "Product reviews",
        "data": "DIT agendas and minutes, January to May 2023",
        "shows": "4 of 9 minutes record action items with owners and due dates.",
    },
    {
        "source": "Observations",
        "data": "Coordinator observation of two DIT meetings",
        "shows": "Data are shown but not used to decide anything; discussions run past "
        "the agenda and end without next steps.",
    },
    {
        "source": "Fidelity and outcome data across schools",
        "data": "TFI Tier 1, aggregated across 6 schools",
        "score": 0.58,
        "shows": "Below the 70% fidelity criterion in 4 of 6 schools.",
    },
    {
        "source": "Fidelity and outcome data across schools",
        "data": "SWIS office discipline referrals, 2022-23",
        "shows": "Referrals rose 12% from the year before, mostly in two middle schools.",
        "accuracy_in_question": "Yes",
    },
    {
        "source": "Fidelity and outcome data across schools",
        "data": "Acadience Reading, winter composite",
        "shows": "61% of K-3 students at or above benchmark.",
    },
]

SUMMARY: list[Row] = [
    {
        "point": "The DIT meets, but without shared operating procedures: no standing "
        "calendar, no assigned roles and few recorded action items (DCA item 4, installation "
        "checklist, minutes)."
    },
    {
        "point": "Data reach the team but do not drive its decisions; there is no schedule "
        "for reviewing school fidelity and outcome data (DCA item 18, observations)."
    },
    {
        "point": "SWIS referral counts differ between schools in how referrals are entered, "
        "so the district trend cannot be trusted yet."
    },
]

DISTRICT_GOALS: list[Row] = [
    {
        "number": 1,
        "concept": TOP,
        "goal": "By May 2024 the DIT will use written operating procedures (roles, a yearly "
        "meeting calendar, norms and an action-item log) at every meeting, raising DCA item "
        "4 from 1 to 2.",
        "target_date": date(2024, 5, 31),
    },
    {
        "number": 2,
        "concept": DBDM,
        "goal": "By June 2024 the DIT will review school fidelity and outcome data at least "
        "4 times using a problem-solving protocol, with each review ending in a recorded "
        "decision, raising DCA item 18 from 0 to 1.",
        "target_date": date(2024, 6, 30),
    },
]

MEASURES: list[Row] = [
    {"goal": 1, "type": "DCA items", "measure": "DCA item 4 in the spring 2024 assessment."},
    {
        "goal": 1,
        "type": "Product reviews",
        "measure": "Monthly review of minutes: roles filled and action items with owners.",
    },
    {"goal": 2, "type": "DCA items", "measure": "DCA item 18 in the spring 2024 assessment."},
    {
        "goal": 2,
        "type": "Observations",
        "measure": "Coordinator observation of data reviews using the protocol checklist.",
    },
    {
        "goal": 2,
        "type": "Fidelity and outcome data across schools",
        "measure": "TFI Tier 1 across schools, as a supplemental, slower measure.",
    },
]

DISTRICT_SUPPORTS: list[Row] = [
    {
        "concept": TOP,
        "method": "Fluency building: teaching",
        "support": "Teach the DIT the purpose of operating procedures with the team "
        "procedures module, and draft roles and norms together.",
        "frequency": "September DIT meeting",
        "timeline": "September",
        "people": "Coordinator, all DIT members",
        "status": "Completed",
        "target_date": date(2023, 9, 30),
        "completed_on": date(2023, 9, 20),
    },
    {
        "concept": TOP,
        "method": "Fluency building: modeling",
        "support": "Model the facilitator role at two meetings, thinking aloud about the "
        "agenda, time checks and closing with action items.",
        "frequency": "October and November DIT meetings",
        "timeline": "October to November",
        "people": "Coordinator, DIT chair",
        "status": "Completed",
        "target_date": date(2023, 11, 30),
        "completed_on": date(2023, 11, 15),
    },
    {
        "concept": TOP,
        "method": "Fluency building: co-facilitation",
        "support": "Co-facilitate with the DIT chair, handing over one agenda section more "
        "each meeting.",
        "frequency": "Monthly DIT meeting",
        "timeline": "December to March",
        "people": "Coordinator, DIT chair",
        "status": "In progress",
        "target_date": date(2024, 3, 31),
    },
    {
        "concept": TOP,
        "method": "Feedback: product reviews",
        "support": "Review each meeting's minutes against the operating procedures and send "
        "written feedback to the chair and note taker.",
        "frequency": "After every DIT meeting",
        "timeline": "October to May",
        "people": "Coordinator, DIT chair, note taker",
        "feedback": "Written, within 3 school days, naming one strength and one next step.",
        "status": "In progress",
        "target_date": date(2024, 5, 31),
    },
    {
        "concept": DBDM,
        "method": "Fluency building: teaching",
        "support": "Teach the problem-solving protocol with last year's TFI and Acadience "
        "data as the practice set.",
        "frequency": "November DIT meeting",
        "timeline": "November",
        "people": "Coordinator, all DIT members",
        "status": "Completed",
        "target_date": date(2023, 11, 30),
        "completed_on": date(2023, 11, 15),
    },
    {
        "concept": DBDM,
        "method": "Adaptation to local context",
        "support": "Adapt the data review protocol to Maple Grove's data calendar and "
        "report formats, with the data specialist.",
        "frequency": "Two working sessions",
        "timeline": "December to January",
        "people": "Coordinator, district data specialist",
        "status": "In progress",
        "target_date": date(2024, 1, 31),
    },
    {
        "concept": DBDM,
        "method": "Feedback: observations",
        "support": "Observe each data review and debrief with the team on how well the "
        "protocol led to a decision.",
        "frequency": "Quarterly data review meetings",
        "timeline": "January to June",
        "people": "Coordinator, DIT members",
        "feedback": "Verbal debrief at the end of the meeting, then a written summary within "
        "a week.",
        "status": "Not started",
        "target_date": date(2024, 6, 15),
    },
    {
        "concept": DBDM,
        "method": "Prompting the team or members",
        "support": "Send a reminder before each data review naming the reports to bring and "
        "who presents them.",
        "frequency": "One week before each data review",
        "timeline": "January to June",
        "people": "Coordinator, school data leads",
        "status": "Completed",
        "target_date": date(2024, 1, 31),
        "completed_on": date(2024, 1, 10),
    },
]

DISTRICT_PREPARATION: list[Row] = [
    {
        "concept": TOP,
        "type": "Allocating time",
        "step": "Block two hours before each DIT meeting to plan the co-facilitated sections.",
        "status": "Completed",
        "target_date": date(2023, 9, 15),
        "completed_on": date(2023, 9, 1),
    },
    {
        "concept": TOP,
        "type": "Communication with leaders and the DIT",
        "step": "Meet the assistant superintendent to agree on the DIT's meeting calendar "
        "and the chair's role.",
        "status": "Completed",
        "target_date": date(2023, 9, 30),
        "completed_on": date(2023, 9, 12),
    },
    {
        "concept": DBDM,
        "type": "Reviewing resources",
        "step": "Review the problem-solving protocol materials and sample data sets.",
        "status": "Completed",
        "target_date": date(2023, 11, 1),
        "completed_on": date(2023, 10, 27),
    },
    {
        "concept": DBDM,
        "type": "Preparing to co-facilitate",
        "step": "Rehearse the first data review with the data specialist.",
        "status": "Not started",
        "target_date": date(2024, 3, 15),
    },
]

DISTRICT_REVIEWS: list[Row] = [
    {
        "date": date(2023, 9, 27),
        "type": "Monthly",
        "on_track": "Yes",
        "progress": "Roles and norms drafted with the DIT.",
        "adjustments": "None.",
    },
    {
        "date": date(2023, 10, 25),
        "type": "Monthly",
        "on_track": "Yes",
        "progress": "First modeled meeting held; minutes now list action items.",
        "adjustments": "None.",
    },
    {
        "date": date(2023, 11, 29),
        "type": "Monthly",
        "on_track": "Yes",
        "progress": "Protocol taught; the team practised it on last year's data.",
        "adjustments": "None.",
    },
    {
        "date": date(2023, 12, 13),
        "type": "Monthly",
        "on_track": "Partly",
        "progress": "Co-facilitation started; the chair led the opening section.",
        "barriers": "The data specialist is on leave until January.",
        "adjustments": "Adapting the protocol moved to January after the data specialist's leave.",
    },
    {
        "date": date(2024, 1, 24),
        "type": "Monthly",
        "on_track": "Partly",
        "progress": "Reminders go out before data reviews; protocol adaptation still open.",
        "accomplishments": "Every school data lead received the first reminder on time.",
        "adjustments": "Add a second working session with the data specialist in February.",
    },
    {
        "date": date(2024, 2, 14),
        "type": "Monthly",
        "on_track": "Yes",
        "progress": "The chair now runs half the agenda; the adapted protocol is in draft.",
        "adjustments": "None.",
    },
]

DIT_UPDATES: list[Row] = [
    {
        "date": date(2023, 12, 6),
        "accomplishments": "Roles, norms and a meeting calendar adopted; minutes record "
        "action items with owners.",
        "barriers": "Data specialist on leave in December; SWIS entry differs by school.",
        "progress": "Goal 1 on track; goal 2 started with the protocol training.",
    },
]

DISTRICT_TABLES: dict[str, list[Row]] = {
    "baseline": BASELINE,
    "summary": SUMMARY,
    "goals": DISTRICT_GOALS,
    "measures": MEASURES,
    "supports": DISTRICT_SUPPORTS,
    "preparation": DISTRICT_PREPARATION,
    "reviews": DISTRICT_REVIEWS,
    "dit_updates": DIT_UPDATES,
}


def make_example(kind: PlanKind, forms: dict[str, Row], tables: dict[str, list[Row]]) -> None:
    """Write `kind`'s blank workbook, fill its form sheets and tables (prefilled rows are
    overwritten from the top) and save it as the kind's example."""
    with tempfile.TemporaryDirectory() as tmp:
        blank = Path(tmp) / "blank.xlsx"
        write_blank(kind, blank)
        book = load_workbook(blank)
    for key, values in forms.items():
        fill_form(book[kind.sheet(key).name], kind.sheet(key), values)
    for key, records in tables.items():
        sheet = kind.sheet(key)
        fill_table(book[sheet.name], sheet, records)
    save_example(book, OUT.parent / kind.example)


EXAMPLES: list[tuple[PlanKind, tuple[dict[str, Row], dict[str, list[Row]]]]] = [
    (DISTRICT, ({"plan": DISTRICT_PLAN}, DISTRICT_TABLES)),
    (COACHING_SYSTEM, COACHING_SYSTEM_EXAMPLE),
    (COACHING_ACTION_PLAN, ACTION_PLAN),
]
"""Each kind's example content (form sheets, tables), filled into its blank workbook.
The System CSDP is made by `main` itself (its prefilled focus areas are selected)."""


def main() -> None:
    """Write the blank workbook, fill it and save it to input_examples/."""
    with tempfile.TemporaryDirectory() as tmp:
        blank = Path(tmp) / "blank.xlsx"
        write_blank(SYSTEM, blank)
        book = load_workbook(blank)
    fill_form(book[SYSTEM.sheet("plan").name], SYSTEM.sheet("plan"), PLAN)
    focus = SYSTEM.sheet("focus_areas")
    select_focus_areas(book[focus.name], focus, FOCUS_SELECTED)
    for key, records in TABLES.items():
        sheet = SYSTEM.sheet(key)
        fill_table(book[sheet.name], sheet, records)
    save_example(book, OUT)
    for kind, (forms, tables) in EXAMPLES:
        make_example(kind, forms, tables)


def save_example(book: Workbook, path: Path) -> None:
    """Save an example to input_examples/ and the same bytes into the package, where
    `plangen new --example` and the template tools find it once installed."""
    path.parent.mkdir(parents=True, exist_ok=True)
    book.save(path)
    PACKAGED.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(path, PACKAGED / path.name)
    print(f"wrote {path} and {PACKAGED / path.name}")


if __name__ == "__main__":
    main()
