"""Generate input_examples/super_excited_division.xlsx, the filled-in System CSDP example.

The content is the "Super Excited Division" example of the System CSDP template (seed
document 001), reworded, plus a plausible monitoring history up to 2023-02-15. The
script writes the blank guided workbook, then fills it by header name, so it keeps
working when columns move.

Run from the repository root:  python3 scripts/make_examples.py
"""

from __future__ import annotations

import tempfile
from datetime import date
from pathlib import Path
from typing import Any

from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from plangen.kinds.system import SYSTEM
from plangen.schema import FieldType, Sheet
from plangen.workbook import HEADER_ROW, write_blank

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
    OUT.parent.mkdir(parents=True, exist_ok=True)
    book.save(OUT)
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
