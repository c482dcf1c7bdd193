"""Every command through click's CliRunner: the exact lines a user sees and the exit codes."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import click
import pytest
from click.testing import CliRunner, Result
from conftest import example_copy

import plangen
from plangen import load
from plangen.cli import cli
from plangen.kinds import KINDS


def run(*args: str | Path) -> Result:
    """`plangen ARGS` as a user runs it; stdout and stderr kept apart."""
    return CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def example(tmp_path: Path) -> Path:
    """A private copy of the example workbook."""
    return example_copy(tmp_path / "super_excited_division.xlsx")


@pytest.fixture
def four_focus_areas(tmp_path: Path) -> Path:
    """The example with Stakeholder Engagement and Organizational Alignment also selected."""
    return example_copy(tmp_path / "four.xlsx", {"Focus Areas!B5": "Yes", "Focus Areas!B6": "Yes"})


@pytest.fixture
def bad_date(tmp_path: Path) -> Path:
    """The example with the first support's target date typed as words."""
    return example_copy(tmp_path / "bad_date.xlsx", {"Supports!E4": "next spring"})


# ------------------------------------------------------------------ help


def _commands() -> list[str]:
    return sorted(cli.commands)


def test_every_command_and_option_has_help() -> None:
    assert cli.help
    for name in _commands():
        command = cli.commands[name]
        assert command.help, f"plangen {name} has no help text"
        for param in command.params:
            if isinstance(param, click.Option):
                assert param.help, f"plangen {name} {param.opts[0]} has no help text"


@pytest.mark.parametrize("name", ["new", "validate", "build", "status"])
def test_help_of_each_command(name: str) -> None:
    result = run(name, "--help")
    assert result.exit_code == 0
    assert result.stdout.startswith(f"Usage: cli {name} [OPTIONS]")
    first_line = cli.commands[name].help.strip().splitlines()[0]
    assert first_line in result.stdout


def test_top_level_help_lists_the_commands() -> None:
    result = run("--help")
    assert result.exit_code == 0
    for name in ("new", "validate", "build", "status"):
        assert f"  {name} " in result.stdout


# ------------------------------------------------------------------ new


def test_new_writes_a_blank_workbook_that_validate_reads(tmp_path: Path) -> None:
    path = tmp_path / "my_division.xlsx"
    result = run("new", "system", path)
    assert result.exit_code == 0
    assert result.stdout == (
        f"wrote {path}: a blank System Coaching Service Delivery Plan workbook\n"
    )
    check = run("validate", path)
    assert check.exit_code == 1
    assert f"error: {path}: Plan!B4: Division or district is required" in check.stderr.splitlines()


def test_new_with_an_unknown_kind_is_a_usage_error(tmp_path: Path) -> None:
    result = run("new", "county", tmp_path / "x.xlsx")
    assert result.exit_code == 2
    known = ", ".join(f"'{k}'" for k in sorted(KINDS))
    assert result.stderr.splitlines()[-1] == (
        f"Error: Invalid value for '{{{'|'.join(sorted(KINDS))}}}': 'county' is not one of {known}."
    )
    assert not (tmp_path / "x.xlsx").exists()


def test_new_refuses_to_overwrite_without_force(example: Path) -> None:
    before = digest(example)
    result = run("new", "system", example)
    assert result.exit_code == 2
    assert result.stderr.splitlines()[-1] == (
        f"Error: {example} already exists; use --force to overwrite it"
    )
    assert digest(example) == before


def test_new_with_force_overwrites(example: Path) -> None:
    result = run("new", "system", example, "--force")
    assert result.exit_code == 0
    assert run("validate", example).exit_code == 1  # blank again


def test_new_wants_an_xlsx_name(tmp_path: Path) -> None:
    result = run("new", "system", tmp_path / "plan.xls")
    assert result.exit_code == 2
    assert result.stderr.splitlines()[-1] == (
        "Error: Invalid value for PATH: the workbook's name must end in .xlsx"
    )


def test_unknown_option_is_a_usage_error(example: Path) -> None:
    result = run("validate", example, "--bogus")
    assert result.exit_code == 2
    last = result.stderr.splitlines()[-1]  # click 8.1 and 8.2+ word it slightly apart
    assert last.startswith("Error: No such option")
    assert "--bogus" in last


def test_missing_argument_is_a_usage_error() -> None:
    result = run("build")
    assert result.exit_code == 2
    assert result.stderr.splitlines()[-1] == "Error: Missing argument 'WORKBOOK'."


# ------------------------------------------------------------------ validate


def test_validate_the_example(example: Path) -> None:
    result = run("validate", example)
    assert result.exit_code == 0
    assert result.stdout == f"{example}: valid (0 errors, 0 warnings)\n"
    assert result.stderr == ""


def test_validate_four_focus_areas(four_focus_areas: Path) -> None:
    before = digest(four_focus_areas)
    result = run("validate", four_focus_areas)
    assert result.exit_code == 1
    assert result.stderr == (
        f"error: {four_focus_areas}: Focus Areas!B8: at most 3 focus areas may be selected; 4 are\n"
    )
    assert result.stdout == f"{four_focus_areas}: not valid (1 error, 0 warnings)\n"
    assert digest(four_focus_areas) == before


def test_validate_bad_date(bad_date: Path) -> None:
    result = run("validate", bad_date)
    assert result.exit_code == 1
    assert result.stderr == (
        f"error: {bad_date}: Supports!E4: Target date: expected a date like "
        '2025-09-15, Sept 15, 2025 or 15 Sept 2025; got "next spring"\n'
    )


def test_a_value_on_two_lines_is_still_one_error_line(tmp_path: Path) -> None:
    path = example_copy(tmp_path / "w.xlsx", {"Goals!D4": "end of\nJune"})
    result = run("validate", path)
    assert result.exit_code == 1
    assert result.stderr == (
        f"error: {path}: Goals!D4: Target date: expected a date like 2025-09-15, "
        'Sept 15, 2025 or 15 Sept 2025; got "end of June"\n'
    )


def test_validate_json_is_the_library_report(four_focus_areas: Path) -> None:
    result = run("validate", four_focus_areas, "--json")
    assert result.exit_code == 1
    printed = json.loads(result.stdout)
    assert printed == load(four_focus_areas).report.to_dict()
    assert printed["valid"] is False
    assert printed["errors"][0]["location"] == "Focus Areas!B8"


def test_validate_json_of_a_valid_workbook(example: Path) -> None:
    result = run("validate", example, "--json")
    assert result.exit_code == 0
    assert json.loads(result.stdout) == load(example).report.to_dict()


def test_validate_a_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "nope.xlsx"
    result = run("validate", path)
    assert result.exit_code == 1
    assert result.stderr == f"error: {path}: no such file\n"


def test_validate_a_text_file(tmp_path: Path) -> None:
    path = tmp_path / "plan.xlsx"
    path.write_text("Measure,Score\nDCA,36\n")
    result = run("validate", path)
    assert result.exit_code == 1
    assert result.stderr == (
        f"error: {path}: is not an .xlsx workbook (it looks like CSV text)\n"
        "  hint: open it in Excel or LibreOffice and save it as Excel Workbook (.xlsx)\n"
    )


def test_validate_json_of_a_file_that_is_no_workbook(tmp_path: Path) -> None:
    path = tmp_path / "plan.xlsx"
    path.write_bytes(b"")
    result = run("validate", path, "--json")
    assert result.exit_code == 1
    printed = json.loads(result.stdout)
    assert printed["valid"] is False
    assert [e["message"] for e in printed["errors"]] == [f"{path}: the file is empty"]


def test_validate_with_a_bad_as_of_date(example: Path) -> None:
    result = run("validate", example, "--as-of", "soon")
    assert result.exit_code == 2
    assert "expected a date like 2023-06-30, got 'soon'" in result.stderr


# ------------------------------------------------------------------ build


def test_build_the_example(example: Path, tmp_path: Path) -> None:
    before = digest(example)
    out = tmp_path / "out"
    result = run("build", example, "-o", out)
    assert result.exit_code == 0
    docx = out / "super_excited_division.docx"
    assert result.stdout == f"wrote {docx} (13/26 coaching supports completed (50%))\n"
    assert result.stderr == ""
    assert sorted(p.name for p in out.iterdir()) == ["super_excited_division.docx"]
    assert digest(example) == before


def test_build_of_an_invalid_workbook_writes_nothing(bad_date: Path, tmp_path: Path) -> None:
    before = digest(bad_date)
    out = tmp_path / "out"
    result = run("build", bad_date, "-o", out)
    assert result.exit_code == 1
    assert result.stderr == (
        f"error: {bad_date}: Supports!E4: Target date: expected a date like "
        '2025-09-15, Sept 15, 2025 or 15 Sept 2025; got "next spring"\n'
        f"error: {bad_date}: 1 problem found\n"
    )
    assert not out.exists() or list(out.iterdir()) == []
    assert digest(bad_date) == before


def test_build_onto_a_file_is_a_usage_error(example: Path, tmp_path: Path) -> None:
    blocker = tmp_path / "out"
    blocker.write_text("not a folder")
    result = run("build", example, "-o", blocker)
    assert result.exit_code == 2
    assert result.stderr.splitlines()[-1] == f"Error: {blocker} is a file; -o takes a folder"


# ------------------------------------------------------------------ status


def test_status_of_the_example(example: Path) -> None:
    before = digest(example)
    result = run("status", example)
    assert result.exit_code == 0
    text = " ".join(result.stdout.split())
    assert text.startswith(
        "Super Excited Division: 13/26 coaching supports completed (50%), as of 2023-02-15"
    )
    assert "On track for the SMART goals (latest review): Partly" in text
    assert "Next review due: End-Year Review (May/June), due by June 30, 2023" in text
    assert "overdue: Supports!B9: Review the organizational structure" in text
    assert digest(example) == before


def test_status_json_is_the_library_report(example: Path) -> None:
    result = run("status", example, "--json")
    assert result.exit_code == 0
    printed = json.loads(result.stdout)
    assert printed == json.loads(json.dumps(plangen.status(example)))
    assert (printed["district"], printed["kind"]) == ("Super Excited Division", "system")
    assert printed["file"] == str(example)
    assert printed["headline"] == plangen.load(example).require_summary().headline


def test_status_of_an_invalid_workbook(four_focus_areas: Path) -> None:
    result = run("status", four_focus_areas)
    assert result.exit_code == 1
    assert result.stderr == (
        f"error: {four_focus_areas}: Focus Areas!B8: at most 3 focus areas may be selected; "
        "4 are\n"
        f"error: {four_focus_areas}: 1 problem found\n"
    )
    assert result.stdout == ""


@pytest.mark.parametrize(
    "args",
    [
        ("validate",),
        ("validate", "--json"),
        ("status",),
        ("status", "--json"),
        ("build", "-o", "OUT"),
    ],
)
def test_no_command_changes_the_input(example: Path, tmp_path: Path, args: tuple[str, ...]) -> None:
    before = digest(example)
    command, *rest = args
    rest = [str(tmp_path / "out") if a == "OUT" else a for a in rest]
    run(command, example, *rest)
    assert digest(example) == before
    assert sorted(p.name for p in example.parent.iterdir() if p.suffix == ".xlsx") == [example.name]
