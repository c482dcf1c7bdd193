"""The reader on workbooks built here: blank workbooks from `write_blank`, filled with openpyxl."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from plangen.errors import WorkbookError
from plangen.kinds import get_kind
from plangen.workbook.blank import HEADER_ROW, write_blank
from plangen.workbook.reader import read_plan

SYSTEM = get_kind("system")

MINIMAL: dict[str, list[dict[str, Any]]] = {
    "Data": [{"Measure": "DCA Total Score", "Score (%)": 36}],
    "Goals": [{"Goal": 1, "SMART goal": "Hold 6 DLT meetings by June 2023."}],
    "Supports": [{"Level": "Division Leadership Team", "Support": "Schedule 6 meetings."}],
    "Coaching Process": [
        {"Coaching relationship": "Division Coaches (State to Division)", "Activity": "Model."}
    ],
    "Monitoring": [
        {"Review": "Mid-Year Review (January)", "What the review covers": "Everything."},
        {"Review": "End-Year Review (May/June)", "What the review covers": "The same."},
    ],
}
"""The least a System workbook needs to be valid, by sheet name and header text."""
MINIMAL_PLAN = {"Division or district": "Test Division", "Date initiated": date(2022, 10, 31)}
MINIMAL_FOCUS = ("Coaching",)


def _blank(cache: Path) -> Path:
    """The blank System workbook, written once per test session into `cache`."""
    path = cache / "blank.xlsx"
    if not path.exists():
        write_blank(SYSTEM, path)
    return path


@pytest.fixture(scope="session")
def blank_workbook(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A blank System workbook shared by the tests (read-only: copy before changing)."""
    return _blank(tmp_path_factory.mktemp("blank"))


def columns(ws: Any, header_row: int = HEADER_ROW) -> dict[str, int]:
    """Header text -> column number of a table sheet."""
    return {c.value: c.column for c in ws[header_row] if c.value is not None}


def fill(
    source: Path,
    target: Path,
    tables: dict[str, list[dict[str, Any]]] | None = None,
    plan: dict[str, Any] | None = None,
    focus: tuple[str, ...] = (),
) -> Path:
    """Copy `source` to `target` and fill it: table rows by header, Plan values by label."""
    shutil.copyfile(source, target)
    book = load_workbook(target)
    for sheet_name, rows in (tables or {}).items():
        ws = book[sheet_name]
        cols = columns(ws)
        for row_index, values in enumerate(rows, start=HEADER_ROW + 1):
            for header, value in values.items():
                ws.cell(row_index, cols[header], value)
    if plan:
        ws = book["Plan"]
        labels = {ws.cell(r, 1).value: r for r in range(1, ws.max_row + 1)}
        for label, value in plan.items():
            ws.cell(labels[label], 2, value)
    if focus:
        ws = book["Focus Areas"]
        cols = columns(ws)
        for r in range(HEADER_ROW + 1, ws.max_row + 1):
            if ws.cell(r, cols["Focus area"]).value in focus:
                ws.cell(r, cols["Selected"], "Yes")
    book.save(target)
    return target


def fill_minimal(source: Path, target: Path, **changes: Any) -> Path:
    """`source` filled with the minimal valid plan; `changes` replace tables/plan/focus."""
    tables = {**MINIMAL, **changes.get("tables", {})}
    return fill(
        source,
        target,
        tables,
        {**MINIMAL_PLAN, **changes.get("plan", {})},
        changes.get("focus", MINIMAL_FOCUS),
    )


def lines(path: Path) -> list[str]:
    """Every problem the reader finds, as `Sheet!Cell: message` lines, in its order."""
    _, report = read_plan(path)
    return [str(i) for i in report.issues]


def test_minimal_workbook_is_valid(blank_workbook: Path, tmp_path: Path) -> None:
    plan, report = read_plan(fill_minimal(blank_workbook, tmp_path / "w.xlsx"))
    assert report.issues == []
    assert report.kind == "system"
    assert plan is not None
    assert plan.fields["district"] == "Test Division"
    assert plan.fields["date_initiated"] == date(2022, 10, 31)
    assert [r["area"] for r in plan.table("focus_areas") if r["selected"]] == ["Coaching"]


def test_columns_are_found_by_header_after_reordering_and_extra_columns(
    blank_workbook: Path, tmp_path: Path
) -> None:
    path = fill_minimal(blank_workbook, tmp_path / "w.xlsx")
    book = load_workbook(path)
    ws = book["Supports"]
    ws.delete_rows(HEADER_ROW, ws.max_row)
    header = ["My notes", "Status", "Support", "Target date", "Extra", "Level", "Goal"]
    for column, text in enumerate(header, start=1):
        ws.cell(HEADER_ROW, column, text)
    row = ["ignore me", "Completed", "Plan interim supports.", None, 42, "School Building Coaches"]
    for column, value in enumerate([*row, 1], start=1):
        ws.cell(HEADER_ROW + 1, column, value)
    ws.cell(HEADER_ROW + 1, 4, date(2023, 1, 31))
    ws.cell(HEADER_ROW + 2, 1, "a note alone is not a support")
    book.save(path)

    plan, report = read_plan(path)
    assert [str(i) for i in report.errors] == []
    (support,) = plan.table("supports")
    assert support.values["level"] == "School Building Coaches"
    assert support.values["support"] == "Plan interim supports."
    assert support.values["status"] == "Completed"
    assert support.values["target_date"] == date(2023, 1, 31)
    assert support.values["goal"] == 1
    assert support.cells["level"] == "F4"
    assert support.cells["support"] == "C4"
    assert "completed_on" not in support.cells


def test_header_text_matches_ignoring_case_spaces_and_a_trailing_star(
    blank_workbook: Path, tmp_path: Path
) -> None:
    path = fill_minimal(blank_workbook, tmp_path / "w.xlsx")
    book = load_workbook(path)
    ws = book["Goals"]
    cols = columns(ws)
    ws.cell(HEADER_ROW, cols["SMART goal"], "  smart   GOAL* ")
    book.save(path)
    plan, report = read_plan(path)
    assert report.errors == []
    assert plan.table("goals")[0]["goal"] == "Hold 6 DLT meetings by June 2023."


def test_blank_rows_between_data_are_skipped(blank_workbook: Path, tmp_path: Path) -> None:
    path = fill_minimal(
        blank_workbook,
        tmp_path / "w.xlsx",
        tables={
            "Observations": [
                {"Observation": "First."},
                {"Observation": "   "},
                {},
                {"Observation": "Second,\r\non two lines."},
            ]
        },
    )
    plan, report = read_plan(path)
    assert report.issues == []
    observations = plan.table("observations")
    assert [r["observation"] for r in observations] == ["First.", "Second,\non two lines."]
    assert [r.row for r in observations] == [4, 7]


def test_missing_sheets_are_named(blank_workbook: Path, tmp_path: Path) -> None:
    path = fill_minimal(blank_workbook, tmp_path / "w.xlsx")
    book = load_workbook(path)
    for name in ("Goals", "Frequency"):
        del book[name]
    book.save(path)
    plan, report = read_plan(path)
    assert [str(i) for i in report.errors] == [
        'Goals: the sheet "Goals" is missing (the workbook has Instructions, Plan, Data, '
        "Observations, Focus Areas, Supports, Coaching Process, Feedback, Monitoring, Reviews, "
        'Lists); name the sheet that holds it "Goals"'
    ]
    assert [str(i) for i in report.warnings] == [
        'Frequency: the sheet "Frequency" is missing; that section of the plan will be empty'
    ]
    assert plan.table("frequency") == []


def test_a_sheet_renamed_with_other_case_and_spacing_is_still_found(
    blank_workbook: Path, tmp_path: Path
) -> None:
    path = fill_minimal(blank_workbook, tmp_path / "w.xlsx")
    book = load_workbook(path)
    book["Coaching Process"].title = "coaching  process"
    book.save(path)
    assert lines(path) == []


def test_missing_required_column(blank_workbook: Path, tmp_path: Path) -> None:
    path = fill_minimal(blank_workbook, tmp_path / "w.xlsx")
    book = load_workbook(path)
    ws = book["Supports"]
    ws.cell(HEADER_ROW, columns(ws)["Support"], "What we do")
    book.save(path)
    assert lines(path) == ['Supports: no "Support" column in the header row (row 3)']


def test_missing_optional_column_is_a_warning_not_silence(
    blank_workbook: Path, tmp_path: Path
) -> None:
    path = fill_minimal(blank_workbook, tmp_path / "w.xlsx")
    book = load_workbook(path)
    ws = book["Data"]
    ws.delete_cols(columns(ws)["Score (%)"])
    book.save(path)
    plan, report = read_plan(path)
    assert report.errors == []
    assert [str(i) for i in report.warnings] == [
        'Data: no "Score (%)" column in the header row (row 3); it is read as blank'
    ]
    assert plan.table("data")[0]["score"] is None


def test_a_header_without_its_punctuation_is_the_same_column(
    blank_workbook: Path, tmp_path: Path
) -> None:
    path = fill_minimal(blank_workbook, tmp_path / "w.xlsx")
    book = load_workbook(path)
    ws = book["Data"]
    ws.cell(HEADER_ROW, columns(ws)["Score (%)"], "SCORE")
    book.save(path)
    plan, report = read_plan(path)
    assert report.issues == []
    assert plan.table("data")[0]["score"] == 36


def test_missing_form_row(blank_workbook: Path, tmp_path: Path) -> None:
    path = fill_minimal(blank_workbook, tmp_path / "w.xlsx")
    book = load_workbook(path)
    ws = book["Plan"]
    ws.cell(HEADER_ROW + 2, 1, "Started")  # the "Date initiated" label
    book.save(path)
    assert lines(path) == ['Plan: no row labelled "Date initiated" in column A']


def test_required_field_blank(blank_workbook: Path, tmp_path: Path) -> None:
    path = fill_minimal(
        blank_workbook,
        tmp_path / "w.xlsx",
        tables={
            "Supports": [
                {"Level": "Division Leadership Team", "Support": "Schedule 6 meetings."},
                {"Level": "Division Leadership Team", "Goal": 1},
            ]
        },
        plan={"Division or district": None},
    )
    assert lines(path) == [
        "Plan!B4: Division or district is required",
        "Supports!B5: Support is required",
    ]


def test_every_problem_is_reported_at_once(blank_workbook: Path, tmp_path: Path) -> None:
    path = fill_minimal(
        blank_workbook,
        tmp_path / "w.xlsx",
        plan={"Date initiated": "the first of term"},
        tables={
            "Data": [
                {"Measure": "DCA Total Score", "Score (%)": 136},
                {"Measure": "Teaming", "Sub-score": "maybe", "N": 2.5},
            ],
            "Supports": [
                {
                    "Level": "Division Leadership Team",
                    "Support": "Schedule 6 meetings.",
                    "Status": "Finished",
                    "Target date": "next spring",
                    "Goal": 7,
                },
                {"Level": "Division Leadership Team", "Support": "Drop me.", "Status": "Dropped"},
            ],
        },
        focus=("Coaching", "Advanced Tiers", "Universal Screening", "Progress Monitoring"),
    )
    assert lines(path) == [
        "Plan!B5: Date initiated: expected a date like 2025-09-15, Sept 15, 2025 or 15 Sept "
        '2025; got "the first of term"',
        'Data!C4: Score (%): a score must be between 0% and 100%, got "136"',
        'Data!B5: Sub-score: expected Yes or No, got "maybe"',
        'Data!D5: N: expected a whole number, got "2.5"',
        'Supports!D4: Status: did you mean "Completed"? "Finished" is not one of its 4 choices',
        "Supports!E4: Target date: expected a date like 2025-09-15, Sept 15, 2025 or 15 Sept "
        '2025; got "next spring"',
        "Supports!G5: a dropped support needs a reason in Reason dropped",
        "Focus Areas!B14: at most 3 focus areas may be selected; 4 are",
        "Supports!C4: there is no SMART goal 7 on the Goals sheet",
    ]


def test_open_lists_accept_other_text_and_closed_lists_match_loosely(
    blank_workbook: Path, tmp_path: Path
) -> None:
    path = fill_minimal(
        blank_workbook,
        tmp_path / "w.xlsx",
        tables={
            "Supports": [
                {"Level": "Regional Office", "Support": "Visit.", "Status": "  in PROGRESS "},
            ]
        },
    )
    plan, report = read_plan(path)
    assert report.issues == []
    (support,) = plan.table("supports")
    assert (support["level"], support["status"]) == ("Regional Office", "In progress")


def test_text_that_looks_like_an_excel_escape_is_kept(blank_workbook: Path, tmp_path: Path) -> None:
    # Excel saves a typed "_x0041_" as "_x005F_x0041_"; and a vertical tab as "_x000B_".
    path = fill_minimal(
        blank_workbook,
        tmp_path / "w.xlsx",
        tables={"Observations": [{"Observation": "code _x005F_x0041_ and tab_x000B_stop"}]},
    )
    plan, _ = read_plan(path)
    assert plan.table("observations")[0]["observation"] == "code _x0041_ and tabstop"


def test_kind_is_detected_from_the_instructions_sheet(blank_workbook: Path, tmp_path: Path) -> None:
    path = fill_minimal(blank_workbook, tmp_path / "w.xlsx")
    _, report = read_plan(path)
    assert report.kind == "system"


def test_kind_is_detected_from_sheet_names_without_instructions(
    blank_workbook: Path, tmp_path: Path
) -> None:
    path = fill_minimal(blank_workbook, tmp_path / "w.xlsx")
    book = load_workbook(path)
    del book["Instructions"]
    book.save(path)
    _, report = read_plan(path)
    assert report.kind == "system"
    assert report.issues == []


def test_a_workbook_with_no_plan_sheets_is_refused(tmp_path: Path) -> None:
    from openpyxl import Workbook

    book = Workbook()
    book.active.title = "Budget"
    book.create_sheet("Staff")
    path = tmp_path / "budget.xlsx"
    book.save(path)
    with pytest.raises(WorkbookError) as raised:
        read_plan(path)
    assert str(raised.value) == f"{path}: has none of the sheets of a plan (found Budget, Staff)"
    assert raised.value.hint == "start from a blank workbook: plangen new system PATH"


def test_the_example_reads_without_problems(system_example: Path) -> None:
    plan, report = read_plan(system_example)
    assert report.issues == []
    assert plan.fields["district"] == "Super Excited Division"
    assert len(plan.table("supports")) == 14
    assert len(plan.table("process")) == 13


def test_an_empty_blank_workbook_points_at_the_first_row_to_fill(blank_workbook: Path) -> None:
    found = lines(blank_workbook)
    assert "Data!A4: the sheet is empty: fill at least 1 row below the header" in found
    assert "Plan!B5: Date initiated is required" in found
