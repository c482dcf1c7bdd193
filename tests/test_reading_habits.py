"""What a coordinator's Excel habits make of a workbook: renamed sheets and edited headers,
day-first and month-only dates, total rows, score formats, merged and "ditto" cells,
off-list values, LibreOffice's .ods. Each case: the exact message, or the value read."""

from __future__ import annotations

import re
import shutil
import subprocess
import uuid
from datetime import date
from pathlib import Path
from typing import Any

import corpus
import pytest
from conftest import EXAMPLES, SYSTEM_EXAMPLE
from openpyxl import load_workbook

from plangen.kinds import KINDS, get_kind
from plangen.workbook.reader import read_plan
from plangen.workbook.values import parse_date

DISTRICT_EXAMPLE = EXAMPLES / "maple_grove_public_schools.xlsx"
SUPPORTS_LAST_ROW = 17
"""Last filled row of the Supports sheet of the System example."""


def issues(path: Path) -> list[str]:
    """Every problem the reader finds, as `Sheet!Cell: message` lines, in its order."""
    return [str(i) for i in read_plan(path)[1].issues]


def edit(tmp_path: Path, change: Any, source: Path = SYSTEM_EXAMPLE) -> Path:
    """A copy of an example changed by `change(workbook)`."""
    book = load_workbook(source)
    change(book)
    target = tmp_path / "plan.xlsx"
    book.save(target)
    return target


# ------------------------------------------------------------ 1. sheet and column names


def test_the_example_supports_end_where_this_file_says() -> None:
    rows = [r.row for r in read_plan(SYSTEM_EXAMPLE)[0].table("supports")]
    assert rows[-1] == SUPPORTS_LAST_ROW


def test_a_renamed_optional_sheet_is_read_and_named(tmp_path: Path) -> None:
    def rename(book: Any) -> None:
        book["Reviews"].title = "Monthly Reviews"

    plan, report = read_plan(edit(tmp_path, rename))
    assert [str(i) for i in report.issues] == [
        'Reviews: the sheet "Monthly Reviews" is read as the "Reviews" sheet'
    ]
    assert len(plan.table("reviews")) == len(read_plan(SYSTEM_EXAMPLE)[0].table("reviews"))


def test_a_sheet_with_a_year_added_is_read(tmp_path: Path) -> None:
    def rename(book: Any) -> None:
        book["Supports"].title = "Supports 2026-27"

    plan, report = read_plan(edit(tmp_path, rename))
    assert [str(i) for i in report.issues] == [
        'Supports: the sheet "Supports 2026-27" is read as the "Supports" sheet'
    ]
    assert len(plan.table("supports")) == 14


def test_two_sheets_that_could_be_one_are_an_error_naming_both(tmp_path: Path) -> None:
    def split(book: Any) -> None:
        book["Reviews"].title = "Reviews 2022"
        book.copy_worksheet(book["Reviews 2022"]).title = "Reviews 2023"

    assert issues(edit(tmp_path, split)) == [
        'Reviews: the sheets "Reviews 2022", "Reviews 2023" could each be the "Reviews" '
        'sheet; rename the one to read "Reviews"'
    ]


def test_a_sheet_renamed_beyond_recognition_but_holding_the_data_is_an_error(
    tmp_path: Path,
) -> None:
    def rename(book: Any) -> None:
        book["Reviews"].title = "Log"

    assert issues(edit(tmp_path, rename)) == [
        'Reviews: the sheet "Reviews" is missing, but the sheet "Log" has its columns; '
        'rename it "Reviews"'
    ]


def test_an_edited_header_is_read_and_named(tmp_path: Path) -> None:
    path = corpus.set_cells(tmp_path, {"Supports!D3": "Status (pick)"})
    plan, report = read_plan(path)
    assert [str(i) for i in report.issues] == [
        'Supports!D3: column "Status (pick)" is read as "Status"'
    ]
    assert plan.table("supports")[0]["status"] == "In progress"


def test_due_date_is_the_target_date(tmp_path: Path) -> None:
    path = corpus.set_cells(tmp_path, {"Supports!E3": "Due date"})
    plan, report = read_plan(path)
    assert [str(i) for i in report.issues] == [
        'Supports!E3: column "Due date" is read as "Target date"'
    ]
    assert plan.table("supports")[0]["target_date"] == date(2023, 3, 31)


def test_an_unknown_header_over_a_known_columns_data_is_an_error(tmp_path: Path) -> None:
    path = corpus.set_cells(tmp_path, {"Supports!E3": "Finish date"})
    assert issues(path) == [
        'Supports: no "Target date" column in the header row (row 3); column E "Finish '
        'date" holds values: if they are the Target date, rename its header to "Target date"'
    ]


def test_two_columns_that_could_be_one_are_an_error_naming_both(tmp_path: Path) -> None:
    path = corpus.set_cells(
        tmp_path, {"Supports!D3": "Status (pick)", "Supports!H3": "Status (old)"}
    )
    assert issues(path) == [
        'Supports: the columns D3 "Status (pick)", H3 "Status (old)" could each be "Status"; '
        'rename the one to read "Status"'
    ]


def test_a_form_label_with_words_added_is_read_and_named(tmp_path: Path) -> None:
    path = corpus.set_cells(tmp_path, {"Plan!A5": "Date initiated (yyyy-mm-dd)"})
    plan, report = read_plan(path)
    assert [str(i) for i in report.issues] == [
        'Plan!A5: "Date initiated (yyyy-mm-dd)" is read as "Date initiated"'
    ]
    assert plan.fields["date_initiated"] == date(2022, 10, 31)


def test_a_renamed_form_label_holding_a_value_is_an_error(tmp_path: Path) -> None:
    path = corpus.set_cells(tmp_path, {"Plan!A6": "Ends on", "Plan!B6": "2023-06-30"})
    assert issues(path) == [
        'Plan: no row labelled "Plan ends" in column A; row 6 "Ends on" holds a value: if it '
        'is the Plan ends, rename its label to "Plan ends"'
    ]


def test_a_deleted_optional_form_row_is_a_warning(tmp_path: Path) -> None:
    path = edit(tmp_path, lambda b: b["Plan"].delete_rows(6))
    plan, report = read_plan(path)
    assert [str(i) for i in report.issues] == [
        'Plan: no row labelled "Plan ends" in column A; it is read as blank'
    ]
    assert plan.fields["plan_end"] is None


# ------------------------------------------------------------ 2, 3, 9. dates


def test_one_day_first_date_makes_the_workbook_day_first(tmp_path: Path) -> None:
    path = corpus.set_cells(tmp_path, {"Supports!E4": "30/06/2023", "Supports!E5": "05/06/2023"})
    plan, report = read_plan(path)
    assert report.errors == []
    assert [r["target_date"] for r in plan.table("supports")[:2]] == [
        date(2023, 6, 30),
        date(2023, 6, 5),
    ]


def test_an_ambiguous_date_without_evidence_is_an_error(tmp_path: Path) -> None:
    path = corpus.set_cells(tmp_path, {"Supports!E5": "05/06/2023"})
    assert issues(path) == [
        'Supports!E5: Target date: "05/06/2023" could be June 5, 2023 or May 6, 2023; type it '
        "as 2023-06-05 or 2023-05-06"
    ]


def test_a_date_against_the_workbooks_order_is_an_error(tmp_path: Path) -> None:
    path = corpus.set_cells(
        tmp_path,
        {"Supports!E4": "30/03/2023", "Supports!E6": "28/02/2023", "Supports!E5": "11/30/2022"},
    )
    assert issues(path) == [
        'Supports!E5: Target date: "11/30/2022" is written month-first, but this workbook\'s '
        "other dates are day-first (like 30/06/2027); type it as YYYY-MM-DD, like 2027-06-30"
    ]


def test_a_month_alone_is_the_months_end_as_target_and_its_start_as_start(
    tmp_path: Path,
) -> None:
    path = corpus.set_cells(tmp_path, {"Supports!E4": "March 2023", "Plan!B5": "October 2022"})
    plan, report = read_plan(path)
    assert report.issues == []
    assert plan.table("supports")[0]["target_date"] == date(2023, 3, 31)
    assert plan.fields["date_initiated"] == date(2022, 10, 1)


def test_the_input_help_says_what_a_month_alone_means() -> None:
    supports = get_kind("system").sheet("supports")
    plan = get_kind("system").sheet("plan")
    assert supports.field("target_date").help.endswith(
        "A month alone (November 2026) means its last day."
    )
    assert plan.field("date_initiated").help.endswith(
        "A month alone (November 2026) means its 1st."
    )


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_every_kinds_start_date_reads_a_month_alone_as_its_first_day(kind: str) -> None:
    """A plan typed as starting in "September 2024" starts on the 1st, never the 30th."""
    start = next(
        f for s in get_kind(kind).sheets for f in s.fields if f.key == "date_initiated"
    )
    assert parse_date("September 2024", month_end=start.month_means == "end") == date(2024, 9, 1)
    assert start.help.endswith("A month alone (November 2026) means its 1st.")


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("TBD", 'got "TBD"; leave the cell blank when the date is not known yet'),
        ("N/A", 'got "N/A"; leave the cell blank when the date is not known yet'),
        ("Jun 30", 'the year is missing in "Jun 30"; type the whole date, like 2023-06-30'),
    ],
)
def test_a_date_placeholder_says_how_to_fix(tmp_path: Path, typed: str, message: str) -> None:
    path = corpus.set_cells(tmp_path, {"Supports!E4": typed})
    assert issues(path) == [f"Supports!E4: Target date: {message}"]


# ------------------------------------------------------------ 4. totals and notes


def test_a_total_row_is_skipped_with_a_warning_not_counted(tmp_path: Path) -> None:
    row = SUPPORTS_LAST_ROW + 1
    path = corpus.set_cells(
        tmp_path, {f"Supports!A{row}": "Total", f"Supports!B{row}": "4 supports"}
    )
    plan, report = read_plan(path)
    assert [str(i) for i in report.issues] == [
        f'Supports!A{row}: "Total" looks like a total row; it is skipped, not counted. Keep '
        "totals off the sheet (plangen counts for you)"
    ]
    assert len(plan.table("supports")) == 14


def test_a_note_under_the_table_is_skipped_with_a_warning(tmp_path: Path) -> None:
    row = SUPPORTS_LAST_ROW + 2
    path = corpus.set_cells(tmp_path, {f"Supports!A{row}": "Note: dates are estimates"})
    plan, report = read_plan(path)
    assert [str(i) for i in report.issues] == [
        f'Supports!A{row}: "Note: dates are estimates" looks like a note under the table; it '
        "is skipped. Put notes in a column of their own or on another sheet"
    ]
    assert len(plan.table("supports")) == 14


def test_a_measure_called_total_score_is_data(tmp_path: Path) -> None:
    path = corpus.set_cells(tmp_path, {"Data!A4": "Total Score"})
    plan, report = read_plan(path)
    assert report.issues == []
    assert plan.table("data")[0]["measure"] == "Total Score"


def test_an_observation_starting_with_note_is_data(tmp_path: Path) -> None:
    path = corpus.set_cells(tmp_path, {"Observations!A4": "Note: attendance dropped"})
    plan, report = read_plan(path)
    assert report.issues == []
    assert plan.table("observations")[0]["observation"] == "Note: attendance dropped"


# ------------------------------------------------------------ 5. score formats


def _score(tmp_path: Path, value: Any, number_format: str) -> tuple[Any, list[str]]:
    def change(book: Any) -> None:
        book["Data"]["C4"] = value
        book["Data"]["C4"].number_format = number_format

    plan, report = read_plan(edit(tmp_path, change))
    return plan.table("data")[0]["score"], [str(i) for i in report.issues]


def test_the_number_1_in_a_percent_cell_is_100_percent(tmp_path: Path) -> None:
    assert _score(tmp_path, 1, "0%") == (100.0, [])


def test_the_number_1_in_a_general_cell_is_1_percent_with_a_warning(tmp_path: Path) -> None:
    assert _score(tmp_path, 1, "General") == (
        1.0,
        ["Data!C4: Score (%): the number 1 is read as 1%; type 100% if you mean all points"],
    )


def test_the_text_1_is_1_percent(tmp_path: Path) -> None:
    assert _score(tmp_path, "1", "General") == (1.0, [])


def test_36_in_a_general_cell_is_36_percent(tmp_path: Path) -> None:
    assert _score(tmp_path, 36, "General") == (36.0, [])


def test_a_custom_percent_format_counts_as_percent(tmp_path: Path) -> None:
    assert _score(tmp_path, 0.365, "0.0%") == (36.5, [])


# ------------------------------------------------------------ 6. no cascades, no Python


def test_one_wrong_goal_number_gives_one_error(tmp_path: Path) -> None:
    path = corpus.set_cells(tmp_path, {"Goals!A4": "Goal 1"})
    assert issues(path) == ['Goals!A4: Goal: expected a whole number, got "Goal 1"']


def test_one_wrong_district_goal_number_gives_one_error(tmp_path: Path) -> None:
    def change(book: Any) -> None:
        book["SMART Goals"]["A4"] = "Goal 1"

    path = edit(tmp_path, change, DISTRICT_EXAMPLE)
    assert issues(path) == ['SMART Goals!A4: Goal: expected a whole number, got "Goal 1"']


def test_a_wrong_status_does_not_also_complain_about_its_dates(tmp_path: Path) -> None:
    path = corpus.set_cells(tmp_path, {"Supports!D5": "Finished"})
    assert issues(path) == [
        'Supports!D5: Status: did you mean "Completed"? "Finished" is not one of its 4 choices'
    ]


BAD_CELLS: list[dict[str, Any]] = [
    {"Goals!A4": "Goal 1"},
    {"Goals!A4": None},
    {"Supports!C4": "one"},
    {"Supports!C4": 99},
    {"Supports!D4": None, "Supports!F4": "soon"},
    {"Supports!D5": "Dropped"},
    {"Supports!A4": None, "Supports!B4": None},
    {"Reviews!A4": "TBD", "Reviews!C4": "maybe"},
    {"Plan!B5": None, "Plan!B8": "later"},
    {"Data!C4": "high", "Data!B5": "perhaps", "Data!D4": 2.5},
    {"Focus Areas!B4": "Yes", "Focus Areas!B5": "Yes", "Focus Areas!B6": "Yes"},
    {"Supports!A18": "Total", "Supports!B18": "4 supports"},
]
_PYTHON_IN_TEXT = re.compile(r"\bNone\b|<class|'[^']*'(?=[,)\]]|$)|\[\s*'|\(\s*'")


@pytest.mark.parametrize("cells", BAD_CELLS)
def test_messages_show_no_python(tmp_path: Path, cells: dict[str, Any]) -> None:
    found = issues(corpus.set_cells(tmp_path, cells))
    assert found
    for line in found:
        assert not _PYTHON_IN_TEXT.search(line), line


def test_district_messages_show_no_python(tmp_path: Path) -> None:
    def change(book: Any) -> None:
        book["SMART Goals"]["A4"] = None
        book["SMART Goals"]["B4"] = "Team Operating Procedure"
        book["Measures"]["A4"] = "x"

    found = issues(edit(tmp_path, change, DISTRICT_EXAMPLE))
    assert found
    for line in found:
        assert not _PYTHON_IN_TEXT.search(line), line


# ------------------------------------------------------------ 7. did you mean


def test_an_off_list_concept_gets_the_closest_and_where_to_add_it(tmp_path: Path) -> None:
    def change(book: Any) -> None:
        book["SMART Goals"]["B4"] = "Team Operating Procedure"

    lines = issues(edit(tmp_path, change, DISTRICT_EXAMPLE))
    assert lines[0] == (
        'SMART Goals!B4: Coaching concept: did you mean "Team operating procedures"? '
        '"Team Operating Procedure" is not one of its 7 choices. To use "Team Operating '
        'Procedure", add it to the "Coaching concepts" list on the Lists sheet.'
    )


@pytest.mark.parametrize(("typed", "meant"), [("complete", "Completed"), ("done", "Completed")])
def test_an_off_list_status_gets_the_closest(tmp_path: Path, typed: str, meant: str) -> None:
    path = corpus.set_cells(tmp_path, {"Supports!D4": typed})
    assert issues(path) == [
        f'Supports!D4: Status: did you mean "{meant}"? "{typed}" is not one of its 4 choices'
    ]


# ------------------------------------------------------------ 8. merged and ditto cells


def test_a_blank_under_a_level_says_to_fill_every_row(tmp_path: Path) -> None:
    path = corpus.set_cells(tmp_path, {"Supports!A5": None})
    assert issues(path) == [
        'Supports!A5: Level is required; a blank does not repeat the row above ("Division '
        'Leadership Team"): type the value in every row'
    ]


def test_a_merged_level_says_it_is_merged(tmp_path: Path) -> None:
    path = edit(tmp_path, lambda b: b["Supports"].merge_cells("A4:A5"))
    assert issues(path) == [
        "Supports!A5: Level: this cell is part of the merged cells A4:A5, which hold their "
        "value only in A4; unmerge them and type the value in every row"
    ]


# ------------------------------------------------------------ 9. LibreOffice's .ods


@pytest.fixture(scope="module")
def ods_example(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if shutil.which("soffice") is None:
        pytest.skip("LibreOffice is not installed")
    folder = tmp_path_factory.mktemp("ods")
    profile = f"file:///tmp/plangen-ods-{uuid.uuid4().hex}"
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation={profile}",
            "--headless",
            "--convert-to",
            "ods",
            "--outdir",
            str(folder),
            str(SYSTEM_EXAMPLE),
        ],
        capture_output=True,
        timeout=180,
        check=True,
    )
    return folder / "super_excited_division.ods"


def test_an_ods_workbook_reads_like_its_xlsx(ods_example: Path) -> None:
    plan, report = read_plan(ods_example)
    original, _ = read_plan(SYSTEM_EXAMPLE)
    assert [str(i) for i in report.errors] == []
    for sheet in ("supports", "reviews", "data", "goals"):
        assert [r.values for r in plan.table(sheet)] == [r.values for r in original.table(sheet)]
    assert plan.fields == original.fields


def test_validate_prints_what_was_taken_for_what(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from plangen.cli import cli

    def change(book: Any) -> None:
        book["Reviews"].title = "Monthly Reviews"
        book["Supports"]["D3"] = "Status (pick)"
        book["Supports"]["E5"] = "05/06/2023"

    path = edit(tmp_path, change)
    result = CliRunner().invoke(cli, ["validate", str(path)])
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        f'error: {path}: Supports!E5: Target date: "05/06/2023" could be June 5, 2023 or May '
        "6, 2023; type it as 2023-06-05 or 2023-05-06",
        f'warning: {path}: Reviews: the sheet "Monthly Reviews" is read as the "Reviews" sheet',
        f'warning: {path}: Supports!D3: column "Status (pick)" is read as "Status"',
        f"{path}: not valid (1 error, 2 warnings)",
    ]
