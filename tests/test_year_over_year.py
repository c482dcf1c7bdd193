"""Year over year: with last year's plan beside this year's in the folder, the batch
summary and the dashboard show last year's final figure next to this year's."""

from __future__ import annotations

import csv
import json
from datetime import datetime
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from conftest import example_copy, example_path
from openpyxl import load_workbook

from plangen.cli import cli
from plangen.workbook.revise import REVISE_MARK


def run(*args: str | Path) -> Result:
    return CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)


def this_year(last_year: Path, target: Path) -> Path:
    """Next year's plan of `last_year` (plangen new --from), revised, with one carried
    support completed and its figures as of 2024-11-15."""
    assert run("new", "district", target, "--from", last_year).exit_code == 0
    book = load_workbook(target)
    for ws in book.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and cell.value.startswith(REVISE_MARK):
                    cell.value = cell.value.removeprefix(REVISE_MARK).strip()
    supports = book["Coaching Supports"]
    supports["H4"], supports["J4"] = "Completed", datetime(2024, 10, 30)
    plan = book["Plan"]
    plan["B9"] = datetime(2024, 11, 15)  # Figures as of
    book.save(target)
    return target


@pytest.fixture(scope="module")
def batch(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Result]:
    folder = tmp_path_factory.mktemp("years")
    last = example_copy(folder / "workbooks" / "maple_grove_2023-24.xlsx", kind="district")
    this_year(last, folder / "workbooks" / "maple_grove_2024-25.xlsx")
    example_copy(folder / "workbooks" / "super_excited_division.xlsx", kind="system")
    out = folder / "plans"
    return out, run("batch", folder / "workbooks", "-o", out, "--jobs", "1")


def test_the_summary_shows_last_years_final_figure_beside_this_years(
    batch: tuple[Path, Result],
) -> None:
    out, result = batch
    assert result.exit_code == 0, result.output
    with (out / "summary.csv").open(encoding="utf-8-sig") as fh:
        rows = {r["File"]: r for r in csv.DictReader(fh)}
    final = json.loads(
        run("status", "--json", "--as-of", "2024-06-30", example_path("district")).output
    )["overall"]["percent"]
    now = rows["maple_grove_2024-25.xlsx"]
    assert now["Last year"] == "2023-24"
    assert now["Last year's adherence %"] == str(final)
    assert now["Change (points)"] == str(int(now["Adherence %"]) - final)
    assert now["Adherence %"] == "17"  # 1 of 6 supports (5 carried, 1 new) done by November
    assert rows["maple_grove_2023-24.xlsx"]["Last year"] == ""
    assert rows["super_excited_division.xlsx"]["Last year's adherence %"] == ""
    sheet = load_workbook(out / "summary.xlsx")["Summary"]
    headers = [c.value for c in sheet[1]]
    assert headers.index("Last year's adherence %") == headers.index("Adherence %") + 2


def test_the_dashboard_shows_last_years_figure(batch: tuple[Path, Result], tmp_path: Path) -> None:
    from test_web import client_for

    from plangen.web import ServeConfig

    out, _ = batch
    config = ServeConfig(workdir=tmp_path / "work", pdf=False, folder=out.parent / "workbooks",
                         out_dir=out)  # fmt: skip
    with client_for(config) as client:
        board = client.app.state.dashboard
        board.start()
        board.wait(120)
        page = client.get("/dashboard").text
        base = "/dashboard/plan/file?name=maple_grove_2024-25.xlsx&what="
        ics, nxt = client.get(base + "ics"), client.get(base + "next")
    assert "last year (2023-24): 58%, -41 points" in page
    assert ics.status_code == 200 and ics.content.startswith(b"BEGIN:VCALENDAR")
    assert b"2024-25" in ics.content
    assert nxt.status_code == 200 and nxt.content[:2] == b"PK"
