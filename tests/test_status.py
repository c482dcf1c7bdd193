"""`plangen status`, its JSON, the built document's Adherence Summary, and the bad
monitoring input that `plangen validate` reports at its cell."""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from conftest import example_copy
from docx import Document

from plangen.cli import cli
from plangen.workbook.values import format_date

# The example as of July 10, 2023: the End-Year review was never held, one more support
# is done, one is dropped, and an Other review was logged in March.
LATER = {
    "Plan!B8": datetime(2023, 7, 10),
    "Supports!D4": "Completed",
    "Supports!F4": datetime(2023, 3, 20),
    "Supports!D13": "Dropped",
    "Supports!G13": "Folded into the division coach's role.",
    "Reviews!A7": datetime(2023, 3, 28),
    "Reviews!B7": "Other",
    "Reviews!C7": "No",
}


def doc_tables(path: Path) -> dict[str, list[list[str]]]:
    """Each table of the document by its first two header cells (`Goal/Completed`)."""
    doc = Document(str(path))
    return {
        "/".join(c.text for c in t.rows[0].cells[:2]): [
            [c.text for c in r.cells] for r in t.rows[1:]
        ]
        for t in doc.tables
    }


def doc_lines(path: Path) -> list[str]:
    """The paragraphs after the Adherence Summary heading."""
    texts = [p.text for p in Document(str(path)).paragraphs]
    return texts[texts.index("Adherence Summary") + 1 :]


def terminal_tables(out: str, titles: tuple[str, ...]) -> dict[str, list[list[str]]]:
    """The rows of each rich table printed by `plangen status`, by title."""
    tables: dict[str, list[list[str]]] = {}
    current = None
    for line in out.splitlines():
        if line.strip() in titles:
            current = tables.setdefault(line.strip(), [])
        elif current is not None and line.startswith("│"):
            current.append([c.strip() for c in line.strip("│").split("│")])
    return tables


def pct(item: dict[str, Any]) -> str:
    return "" if item["percent"] is None else f"{item['percent']}%"


@pytest.mark.parametrize("changes", [{}, LATER], ids=["example", "modified"])
def test_document_status_and_json_agree(tmp_path: Path, changes: dict[str, Any]) -> None:
    workbook = example_copy(tmp_path / "plan.xlsx", changes)
    runner = CliRunner()
    env = {"COLUMNS": "200"}
    figures = json.loads(runner.invoke(cli, ["status", str(workbook), "--json"]).output)
    shown = runner.invoke(cli, ["status", str(workbook)], env=env)
    built = runner.invoke(cli, ["build", str(workbook), "-o", str(tmp_path / "out")])
    assert shown.exit_code == 0 and built.exit_code == 0, shown.output + built.output
    docx = tmp_path / "out" / "plan.docx"
    lines, tables = doc_lines(docx), doc_tables(docx)
    term = terminal_tables(
        shown.output, ("Completion by level", "Completion by SMART goal", "Reviews")
    )
    out_lines = shown.output.splitlines()

    # headline and date
    assert lines[0] == figures["headline"]
    assert f"Figures as of: {format_date(date.fromisoformat(figures['as_of']))}" in lines
    assert (
        out_lines[0] == f"Super Excited Division: {figures['headline']}, as of {figures['as_of']}"
    )
    # by level and by goal
    assert tables["Section/Level"] == [
        [g["section"], g["group"], f"{g['completed']}/{g['planned']} ({pct(g)})"]
        for g in figures["by_group"]
    ]
    assert term["Completion by level"] == [
        [g["section"], g["group"], f"{g['completed']}/{g['planned']}", pct(g)]
        for g in figures["by_group"]
    ]
    assert [r[:2] for r in tables["Goal/Completed"]] == [
        [str(g["goal"]), f"{g['completed']}/{g['planned']} ({pct(g)})"] for g in figures["by_goal"]
    ]
    assert term["Completion by SMART goal"] == [
        [str(g["goal"]), f"{g['completed']}/{g['planned']}", pct(g)] for g in figures["by_goal"]
    ]
    # review trend
    assert [r[:4] for r in tables["Date/Type"]] == [
        [
            format_date(date.fromisoformat(r["date"])),
            r["type"],
            f"{r['completed']}/{r['planned']} ({pct(r)})",
            r["on_track"],
        ]
        for r in figures["reviews"]
    ]
    assert term["Reviews"] == [
        [r["date"], r["type"], f"{r['completed']}/{r['planned']}", r["on_track"]]
        for r in figures["reviews"]
    ]
    # schedule, missed and next review
    assert tables["Review/Due by"] == [
        [
            s["name"],
            format_date(date.fromisoformat(s["due"])),
            format_date(date.fromisoformat(s["held"])) if s["held"] else "",
            s["status"].capitalize(),
        ]
        for s in figures["schedule"]
    ]
    missed = [s for s in figures["schedule"] if s["status"] == "missed"]
    assert [s["name"] for s in missed] == figures["missed_reviews"]
    assert [line for line in out_lines if line.startswith("missed:")] == [
        f"missed: {s['name']}, due {s['due']}" for s in missed
    ]
    nxt = figures["next_review"]
    if nxt:
        assert (
            f"Next review due: {nxt['name']}, due by {format_date(date.fromisoformat(nxt['due']))}"
            in lines
        )
        assert (
            f"Next review due: {nxt['name']}, due by {format_date(date.fromisoformat(nxt['due']))}"
            in out_lines
        )
    else:
        assert "Next review due: No further review is due" in lines
        assert "Next review due: No further review is due" in out_lines
    # overdue supports
    overdue = figures["overdue"]
    assert [r[:3] for r in tables.get("Support/Level", [])] == [
        [o["support"], o["group"], format_date(date.fromisoformat(o["target_date"]))]
        for o in overdue
    ]
    assert [line for line in out_lines if line.startswith("overdue:")] == [
        f"overdue: {o['location']}: {o['support']} (due {o['target_date']})" for o in overdue
    ]
    if changes:
        assert figures["missed_reviews"] == ["End-Year Review (May/June)"]
        assert figures["reviews"][-1]["type"] == "Other"


BAD_INPUT = [
    pytest.param(
        {"Supports!D5": "Completed", "Supports!F5": datetime(2022, 9, 1)},
        "error: {file}: Supports!F5: Completed on 2022-09-01 is before the plan began (2022-10-31)",
        1,
        id="completed-before-start",
    ),
    pytest.param(
        {"Reviews!A7": datetime(2023, 3, 1), "Reviews!B7": "Mid-Year"},
        "warning: {file}: Reviews!A7: the review is dated 2023-03-01, after 2023-02-15; "
        "it is left out of the figures",
        0,
        id="review-in-future",
    ),
    pytest.param(
        {"Supports!D4": "Completed", "Supports!F4": datetime(2023, 3, 1)},
        "warning: {file}: Supports!F4: Completed on 2023-03-01 is after 2023-02-15, the date "
        "of the figures; it is not counted as completed yet",
        0,
        id="completed-after-figures-date",
    ),
    pytest.param(
        {"Reviews!A7": datetime(2022, 10, 1), "Reviews!B7": "Other"},
        "warning: {file}: Reviews!A7: the review is dated 2022-10-01, before the plan began "
        "(2022-10-31); it is left out of the figures",
        0,
        id="review-before-start",
    ),
    pytest.param(
        {"Supports!F5": None},
        "warning: {file}: Supports!D5: marked Completed without a date in Completed on; it "
        "counts as completed but cannot show in the trend",
        0,
        id="completed-without-date",
    ),
    pytest.param(
        {"Supports!D4": "Done"},
        'error: {file}: Supports!D4: Status: did you mean "Completed"? "Done" is not one of '
        "its 4 choices",
        1,
        id="status-outside-list",
    ),
    pytest.param(
        {"Supports!D4": "Dropped"},
        "error: {file}: Supports!G4: a dropped support needs a reason in Reason dropped",
        1,
        id="dropped-without-reason",
    ),
]


@pytest.mark.parametrize(("cells", "line", "code"), BAD_INPUT)
def test_validate_names_the_cell(
    tmp_path: Path, cells: dict[str, Any], line: str, code: int
) -> None:
    workbook = example_copy(tmp_path / "plan.xlsx", cells)
    result = CliRunner().invoke(cli, ["validate", str(workbook)])
    assert line.format(file=workbook) in result.output.splitlines()
    assert result.exit_code == code


@pytest.mark.parametrize(
    ("args", "as_of", "reviews"),
    [([], "2023-02-15", 3), (["--as-of", "2022-12-31"], "2022-12-31", 2)],
    ids=["figures-as-of-in-workbook", "as-of-option"],
)
def test_status_as_of_is_reproducible(
    system_example: Path, args: list[str], as_of: str, reviews: int
) -> None:
    runs = [CliRunner().invoke(cli, ["status", str(system_example), "--json", *args]) for _ in "ab"]
    assert runs[0].exit_code == 0
    assert runs[0].output == runs[1].output
    figures = json.loads(runs[0].output)
    assert figures["as_of"] == as_of
    assert len(figures["reviews"]) == reviews
