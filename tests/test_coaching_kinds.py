"""The District Coaching System and the Plan for Internal Coaching: their own checks and
figures, and a batch over all four kinds."""

from __future__ import annotations

import csv
import shutil
from dataclasses import replace
from datetime import date
from pathlib import Path

from click.testing import CliRunner
from openpyxl import load_workbook
from test_render import document_text

from plangen.cli import cli
from plangen.figures.adherence import summarize
from plangen.kinds import KINDS, get_kind
from plangen.pipeline import build, load
from plangen.workbook.grids import read_grids
from plangen.workbook.reader import detect_kind

ROOT = Path(__file__).resolve().parent.parent
SYSTEM = get_kind("coaching-system")
ACTION = get_kind("coaching-action-plan")
CEDAR = ROOT / "input_examples" / SYSTEM.example
RIVERBEND = ROOT / "input_examples" / ACTION.example


def edited(source: Path, tmp_path: Path, edits: dict[str, object]) -> Path:
    """A copy of `source` with `edits` ({"Sheet!B7": value}; None clears) written."""
    workbook = tmp_path / source.name
    book = load_workbook(source)
    for ref, value in edits.items():
        sheet, cell = ref.split("!")
        book[sheet][cell] = value
    book.save(workbook)
    return workbook


def validate(workbook: Path) -> tuple[int, list[str]]:
    result = CliRunner().invoke(cli, ["validate", str(workbook)])
    return result.exit_code, result.output.splitlines()


# ------------------------------------------------------------------ coaching-system


def test_coaching_system_counts_steps_and_requires_no_reviews() -> None:
    loaded = load(CEDAR)
    summary = summarize(loaded.plan, loaded.as_of)
    assert summary.headline == "4/11 steps completed (36%)"
    assert summary.schedule == [] and summary.next_review is None
    assert [(g.group, g.tally.fraction) for g in summary.by_group] == [
        ("All roles", "3/4"),
        ("School Leadership Team Coach", "0/3"),
        ("Instructional Coach", "1/2"),
        ("District Coordinator", "0/1"),
        ("Early Childhood Leadership Team Coach", "0/1"),
    ]
    assert [(i.location, i.target_date) for i in summary.overdue] == [
        ("Steps!C7", date(2025, 1, 31))
    ]


def test_coaching_system_status_shows_its_review_date_and_no_review_log() -> None:
    result = CliRunner().invoke(cli, ["status", str(CEDAR)])
    lines = result.output.splitlines()
    assert lines[0] == "Cedar Ridge Community Schools: 4/11 steps completed (36%), as of 2025-02-14"
    assert lines[1] == "Next review due: June 13, 2025"  # the plan's Review date, as in the plan
    assert lines[2] == "Completion by role"
    assert not any(line.startswith(("On track", "Reviews")) for line in lines)
    assert lines[-1].startswith("overdue: Steps!C7: Select a school leadership team coach")


def test_a_role_without_a_component_is_warned_at_the_role(tmp_path: Path) -> None:
    workbook = edited(CEDAR, tmp_path, {f"Components!{c}12": None for c in "ABC"})
    assert validate(workbook) == (
        0,
        [
            f'warning: {workbook}: Roles!A5: the role "School Leadership Team Coach" has '
            "nothing on the Components sheet for: Time allocated to coaching",
            f"{workbook}: valid (0 errors, 1 warning)",
        ],
    )


def test_a_component_for_an_unknown_role_is_an_error(tmp_path: Path) -> None:
    workbook = edited(CEDAR, tmp_path, {"Components!A7": "Bus Route Coach"})
    code, lines = validate(workbook)
    assert code == 1
    assert lines[0] == (
        f'error: {workbook}: Components!A7: there is no coaching role "Bus Route Coach" on '
        "the Roles sheet"
    )


def test_dca_score_above_two_and_approval_before_draft_are_errors(tmp_path: Path) -> None:
    edits: dict[str, object] = {"DCA Items!C5": 3, "Plan!B9": date(2024, 11, 1)}
    edits |= {f"DCA Items!{c}4": None for c in "ABCD"}
    workbook = edited(CEDAR, tmp_path, edits)
    code, lines = validate(workbook)
    assert code == 1
    assert lines[:3] == [
        f"error: {workbook}: DCA Items!C5: Score: a DCA item is scored 0, 1 or 2; got 3",
        f"error: {workbook}: Plan!B9: the approval is dated before the draft",
        f"warning: {workbook}: DCA Items: DCA item 18 is not listed; the coaching system "
        "relates to items 18, 25, 26 and 27",
    ]


def test_an_unapproved_system_is_marked_draft(tmp_path: Path) -> None:
    workbook = edited(CEDAR, tmp_path, {"Plan!B8": None, "Plan!B9": None})
    text = document_text(build(workbook, tmp_path / "out").docx)
    assert "DRAFT: not yet approved by executive leadership" in text
    assert "Approved by | Not yet approved" in text
    approved = document_text(build(CEDAR, tmp_path / "approved").docx)
    assert "DRAFT" not in approved


# ------------------------------------------------------------------ coaching-action-plan


def test_action_plan_counts_action_steps_and_their_trend() -> None:
    loaded = load(RIVERBEND)
    summary = summarize(loaded.plan, loaded.as_of)
    assert summary.headline == "11/17 action steps completed (65%)"
    assert [r.tally.fraction for r in summary.reviews] == ["9/17", "11/17", "11/17"]
    assert summary.on_track == "Partly"
    assert summary.schedule == []
    assert [i.location for i in summary.overdue] == ["Action Steps!B6"]


def test_an_unanswered_question_is_warned_and_shown(tmp_path: Path) -> None:
    workbook = edited(RIVERBEND, tmp_path, {"Guiding Questions!B8": None})
    code, lines = validate(workbook)
    assert (code, lines[0]) == (
        0,
        f'warning: {workbook}: Guiding Questions!B8: "5. What resources support internal '
        'coaching?" has no answer',
    )
    text = document_text(build(workbook, tmp_path / "out").docx)
    assert text.split("5. What resources support internal coaching?")[1].splitlines()[2] == (
        "Not answered yet."
    )


def test_an_area_without_steps_and_no_effect_data_are_warned(tmp_path: Path) -> None:
    edits: dict[str, object] = {"Action Steps!A13": "Training for coaches"}
    edits |= {f"Coaching Data!A{row}": "Coaching meetings held" for row in (8, 9, 10)}
    workbook = edited(RIVERBEND, tmp_path, edits)
    code, lines = validate(workbook)
    assert (code, lines[:2]) == (
        0,
        [
            f"warning: {workbook}: Action Steps: no action step for: Training for staff",
            f"warning: {workbook}: Coaching Data: no SAPP, CWIS or walkthrough data are "
            "planned; say when they will be collected and reviewed to know whether coaching "
            "works",
        ],
    )


# ------------------------------------------------------------------ all four kinds


def test_each_kind_is_told_apart_by_its_sheet_names(tmp_path: Path) -> None:
    for kind in KINDS.values():
        copy = tmp_path / kind.example
        book = load_workbook(ROOT / "input_examples" / kind.example)
        del book["Instructions"]
        book.save(copy)
        assert detect_kind(read_grids(copy), copy).name == kind.name


def test_batch_over_all_four_kinds_builds_and_summarizes_each(tmp_path: Path) -> None:
    folder, out = tmp_path / "in", tmp_path / "out"
    folder.mkdir()
    for kind in KINDS.values():
        shutil.copy(ROOT / "input_examples" / kind.example, folder)
    result = CliRunner().invoke(cli, ["batch", str(folder), "-o", str(out), "-j", "2"])
    assert result.exit_code == 0, result.output
    assert "4 built, 0 skipped (unchanged), 0 invalid, 0 failed" in result.output
    assert sorted(p.name for p in out.glob("*.docx")) == sorted(
        Path(k.example).stem + ".docx" for k in KINDS.values()
    )
    with (out / "summary.csv").open(encoding="utf-8-sig") as fh:
        rows = {r["Plan kind"]: r for r in csv.DictReader(fh)}
    assert sorted(rows) == sorted(k.title for k in KINDS.values())
    cedar, river = rows[SYSTEM.title], rows[ACTION.title]
    assert (cedar["District"], cedar["Status"]) == ("Cedar Ridge Community Schools", "built")
    assert cedar["Focus areas"].split("; ")[:2] == [
        "District Coordinator",
        "School Leadership Team Coach",
    ]
    assert (cedar["Supports completed"], cedar["Supports planned"], cedar["Adherence %"]) == (
        "4",
        "11",
        "36",
    )
    assert (cedar["Last review"], cedar["Next review due"]) == ("", "2025-06-13")
    assert river["Focus areas"] == ("Peer-to-peer; Team-to-team: grade level or content area teams")
    assert (river["Adherence %"], river["Last review"], river["On track"]) == (
        "65",
        "2025-01-29",
        "Partly",
    )


def test_all_roles_is_not_a_role_and_a_role_is_listed_once(tmp_path: Path) -> None:
    workbook = edited(CEDAR, tmp_path, {"Roles!A8": "all roles", "Roles!A7": "Instructional Coach"})
    code, lines = validate(workbook)
    assert code == 1
    assert lines[:2] == [
        f'error: {workbook}: Roles!A7: the role "Instructional Coach" is listed twice',
        f'error: {workbook}: Roles!A8: "All roles" is not a role; name each role',
    ]
    assert not any(line.startswith("warning:") for line in lines)


def test_a_kind_with_nothing_monitored_has_empty_figures_not_an_error() -> None:
    untracked = replace(
        SYSTEM,
        sheets=tuple(s for s in SYSTEM.sheets if not s.tracked),
        rules=SYSTEM.rules[:1],
    )
    loaded = load(CEDAR, kind=untracked)
    assert loaded.report.valid
    summary = summarize(loaded.plan, loaded.as_of)
    assert (summary.headline, summary.schedule, summary.overdue) == (
        "No steps are planned yet",
        [],
        [],
    )
    assert summary.to_dict()["overall"] == {"completed": 0, "planned": 0, "percent": None}
