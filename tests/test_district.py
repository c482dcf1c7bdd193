"""The District Individualized CSDP kind: blank workbook, example document, validation.

Set PLANGEN_UPDATE_GOLDEN=1 to rewrite tests/golden/maple_grove_public_schools.txt from
the current output (then read the diff before committing it).
"""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import DISTRICT_EXAMPLE, EditExample
from openpyxl import load_workbook
from test_render import document_text

from plangen import build, load
from plangen.cli import cli
from plangen.figures.adherence import summarize
from plangen.kinds import get_kind
from plangen.schema import FieldType
from plangen.workbook.grids import read_grids
from plangen.workbook.reader import detect_kind

DISTRICT = get_kind("district")
EXAMPLE = DISTRICT_EXAMPLE
GOLDEN = Path(__file__).parent / "golden" / "maple_grove_public_schools.txt"


@pytest.fixture(scope="module")
def district_docx(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The Maple Grove example built once into a .docx."""
    return build(EXAMPLE, tmp_path_factory.mktemp("district")).docx


def validate_lines(workbook: Path, *args: str) -> tuple[int, list[str]]:
    result = CliRunner().invoke(cli, ["validate", str(workbook), *args])
    return result.exit_code, result.output.splitlines()


# ------------------------------------------------------------------ the blank workbook


def test_new_district_writes_a_blank_workbook_read_as_a_district_plan(tmp_path: Path) -> None:
    path = tmp_path / "x.xlsx"
    result = CliRunner().invoke(cli, ["new", "district", str(path)])
    assert result.exit_code == 0, result.output
    book = load_workbook(path)
    assert book.sheetnames[1:-1] == [s.name for s in DISTRICT.sheets]
    assert book["Instructions"]["A2"].value == "Plan kind: district"
    code, lines = validate_lines(path)
    assert code == 1
    assert f"error: {path}: Plan!B4: District is required" in lines


def test_kind_is_told_apart_by_sheet_names_without_instructions(
    tmp_path: Path, system_example: Path
) -> None:
    for source, kind in ((EXAMPLE, "district"), (system_example, "system")):
        copy = tmp_path / source.name
        book = load_workbook(source)
        del book["Instructions"]
        book.save(copy)
        assert detect_kind(read_grids(copy), copy).name == kind


# ------------------------------------------------------------------ the example document


def test_example_document_text_matches_the_golden_file(district_docx: Path) -> None:
    text = document_text(district_docx)
    if os.environ.get("PLANGEN_UPDATE_GOLDEN"):
        GOLDEN.write_text(text, encoding="utf-8")
    assert text == GOLDEN.read_text(encoding="utf-8")


def test_every_typed_text_cell_reaches_the_plan(district_docx: Path) -> None:
    text = " ".join(document_text(district_docx).split())
    plan = load(EXAMPLE).plan
    missing = []
    for sheet in DISTRICT.sheets:
        records = [plan.fields] if sheet.form else [r.values for r in plan.table(sheet.key)]
        for values in records:
            for fld in sheet.fields:
                value = values.get(fld.key)
                typed = fld.type in (FieldType.TEXT, FieldType.CHOICE) and value
                if typed and " ".join(str(value).split()) not in text:
                    missing.append(f"{sheet.name}.{fld.header}: {value}")
    assert missing == []


def test_example_figures_show_supports_done_an_overdue_one_and_the_dit_update() -> None:
    loaded = load(EXAMPLE)
    assert loaded.report.issues == []
    summary = summarize(loaded.plan, loaded.as_of)
    assert summary.headline == "7/12 coaching supports completed (58%)"
    assert [i.text[:29] for i in summary.overdue] == ["Adapt the data review protocol"[:29]]
    dit = [s for s in summary.schedule if s.name.startswith("DIT")]
    assert [(s.name, s.due, s.held) for s in dit] == [
        ("DIT progress communication 1 of 2", date(2024, 1, 31), date(2023, 12, 6)),
        ("DIT progress communication 2 of 2", date(2024, 6, 30), None),
    ]
    monthly = [s.status(summary.as_of) for s in summary.schedule if s.name.endswith("review")]
    assert monthly == ["held"] * 6 + ["upcoming"] * 4
    # supports and preparation name their goal through its coaching concept
    assert [(g, t.fraction) for g, t in summary.by_goal] == [(1, "4/6"), (2, "3/6")]


def test_accuracy_in_question_is_listed_as_an_area_for_improvement(district_docx: Path) -> None:
    text = document_text(district_docx)
    assert "Data accuracy: SWIS office discipline referrals, 2022-23" in text
    assert text.count("The accuracy of this data is in question.") == 1


# ------------------------------------------------------------------ validation


def test_three_concepts_are_refused_at_the_third_concepts_cell(edit_example: EditExample) -> None:
    workbook = edit_example(
        {
            "SMART Goals!A6": 3,
            "SMART Goals!B6": "Coaching system",
            "SMART Goals!C6": "By June 2024 the DIT will draft a coaching plan.",
            "SMART Goals!D6": date(2024, 6, 30),
            "Measures!A9": 3,
            "Measures!B9": "DCA items",
            "Measures!C9": "DCA item 26.",
        },
        kind="district",
    )
    code, lines = validate_lines(workbook)
    assert code == 1
    assert lines[0] == (
        f"error: {workbook}: SMART Goals!B6: select 1-2 coaching concepts; 3 are selected"
    )


def test_fidelity_only_measure_is_warned_at_its_cell(edit_example: EditExample) -> None:
    fidelity = "Fidelity and outcome data across schools"
    workbook = edit_example({"Measures!B4": fidelity, "Measures!B5": fidelity}, kind="district")
    code, lines = validate_lines(workbook)
    assert code == 0
    assert lines[0] == (
        f"warning: {workbook}: Measures!B4: goal 1 is measured only by fidelity and outcome "
        "data across schools; pair it with a more immediate measure (DCA items, "
        "observations, product reviews or a coaching survey)"
    )


def test_missing_dit_communication_is_flagged(edit_example: EditExample, tmp_path: Path) -> None:
    workbook = edit_example({f"DIT Updates!{c}4": None for c in "ABCD"}, kind="district")
    code, lines = validate_lines(workbook)
    assert code == 0
    assert lines[0] == (
        f"warning: {workbook}: DIT Updates: DIT progress communication 1 of 2 was due by "
        "January 31, 2024 and none is logged"
    )
    text = document_text(build(workbook, tmp_path / "out").docx)
    assert "DIT progress communication 1 of 2 | January 31, 2024 |  | Missed" in text


def test_support_for_a_concept_without_a_goal_is_refused(edit_example: EditExample) -> None:
    workbook = edit_example({"Coaching Supports!A4": "Resource alignment"}, kind="district")
    code, lines = validate_lines(workbook)
    assert code == 1
    assert lines[0] == (
        f"error: {workbook}: Coaching Supports!A4: there is no SMART goal with the coaching "
        'concept "Resource alignment" on the SMART Goals sheet'
    )


def test_a_concept_added_on_the_lists_sheet_can_be_chosen(edit_example: EditExample) -> None:
    ours = "Family and community engagement"
    edits: dict[str, object] = {"SMART Goals!B5": ours}
    edits |= {f"Coaching Supports!A{r}": ours for r in range(8, 12)}
    edits |= {f"Preparation!A{r}": ours for r in (6, 7)}
    code, lines = validate_lines(edit_example(edits, kind="district"))
    assert code == 1
    assert "SMART Goals!B5: Coaching concept: expected one of" in lines[0]
    edits["Lists!F10"] = ours
    code, lines = validate_lines(edit_example(edits, kind="district"))
    assert (code, lines[-1].split(": ", 1)[1]) == (0, "valid (0 errors, 0 warnings)")


def test_system_schedule_is_unchanged(system_example: Path) -> None:
    loaded = load(system_example)
    names = [s.name for s in summarize(loaded.plan, loaded.as_of).schedule]
    assert names == ["Mid-Year Review (January)", "End-Year Review (May/June)"]
