"""`plangen calendar`: each example's dates as an .ics file, read back with icalendar's
parser and a strict line-by-line check of RFC 5545; UIDs that survive next month's file;
finished items cancelled; workbook text kept literal."""

from __future__ import annotations

import json
import re
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from conftest import example_copy, example_path
from icalendar import Calendar
from openpyxl import load_workbook

from plangen.cli import cli
from plangen.figures.plan_calendar import plan_calendar
from plangen.kinds import KINDS, get_kind
from plangen.pipeline import load

NOW = datetime(2024, 2, 20, 9, 30, tzinfo=timezone.utc)


def run(*args: str | Path) -> Result:
    return CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)


def strict_lines(data: bytes) -> list[str]:
    """The content lines of an iCalendar file after checking its form: UTF-8, CRLF line
    ends, no line over 75 octets, no control character, BEGIN/END nested; unfolded."""
    text = data.decode("utf-8")
    assert text.endswith("\r\n")
    raw = text[:-2].split("\r\n")
    for line in raw:
        assert len(line.encode("utf-8")) <= 75, line
        assert not re.search("[\x00-\x08\x0a-\x1f\x7f]", line), repr(line)
    lines: list[str] = []
    for line in raw:
        if line.startswith((" ", "\t")):
            lines[-1] += line[1:]
        else:
            assert re.match(r"^[A-Z][A-Z0-9-]*[;:]", line), line
            lines.append(line)
    stack: list[str] = []
    for line in lines:
        if line.startswith("BEGIN:"):
            stack.append(line[6:])
        elif line.startswith("END:"):
            assert stack.pop() == line[4:]
    assert not stack
    return lines


def events(data: bytes) -> list:
    cal = Calendar.from_ical(data)
    for component in cal.walk():
        assert not component.errors, component.errors
    assert str(cal["VERSION"]) == "2.0" and cal["PRODID"]
    return list(cal.walk("VEVENT"))


def open_items(workbook: Path) -> dict[str, list[tuple[str, date | None, str]]]:
    """Each monitored sheet's (text, target date, status), read with openpyxl alone."""
    kind = load(workbook).plan.kind
    book = load_workbook(workbook, data_only=True)
    found: dict[str, list[tuple[str, date | None, str]]] = {}
    for sheet in kind.sheets:
        if not sheet.tracked:
            continue
        ws = book[sheet.name]
        headers = [c.value for c in ws[3]]
        text_col = headers.index(
            next(f.header for f in sheet.fields if f.required and f.type.value == "text")
        )
        rows = []
        for row in ws.iter_rows(min_row=4, values_only=True):
            if row[text_col] is None:
                continue
            due = row[headers.index("Target date")]
            rows.append((row[text_col], due.date() if due else None, row[headers.index("Status")]))
        found[sheet.name] = rows
    return found


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_each_example_calendar_parses_back_with_its_events(kind: str, tmp_path: Path) -> None:
    workbook = example_path(kind)
    target = tmp_path / "plan.ics"
    result = run("calendar", workbook, "-o", target)
    assert result.exit_code == 0, result.output
    data = target.read_bytes()
    strict_lines(data)
    found = events(data)
    status = json.loads(run("status", "--json", workbook).output)
    sheets = open_items(workbook)

    def category(event) -> str:
        return str(event.get("CATEGORIES").cats[0])

    own = [e for e in found if str(e["SUMMARY"]).startswith("Review of the ")]
    review_date = load(workbook).plan.fields.get("review_date")
    assert [e.decoded("DTSTART") for e in own] == ([review_date] if review_date else [])
    reviews = [e for e in found if category(e) not in (*sheets, "Plan end") and e not in own]
    assert [re.sub(" (due|held): .*", "", str(e["SUMMARY"])) for e in reviews] == [
        s["name"][:1].upper() + s["name"][1:] for s in status["schedule"]
    ]
    for event, required in zip(reviews, status["schedule"], strict=True):
        assert event.decoded("DTSTART") == date.fromisoformat(required["due"])
        assert (" held: " in str(event["SUMMARY"])) is (required["held"] is not None)
    ends = [e for e in found if category(e) == "Plan end"]
    assert len(ends) == 1 and status["district"] in str(ends[0]["SUMMARY"])
    items = [(t, d, s) for rows in sheets.values() for t, d, s in rows if d]
    item_events = [e for e in found if category(e) in sheets]
    assert len(item_events) == len(items)
    for (text, due, state), event in zip(items, item_events, strict=True):
        assert str(event["DESCRIPTION"]).startswith(text)
        assert event.decoded("DTSTART") == due
        finished = state in ("Completed", "Dropped")
        assert str(event["STATUS"]) == ("CANCELLED" if finished else "CONFIRMED")
        assert ("BEGIN:VALARM" in event.to_ical().decode()) is not finished
    uids = [str(e["UID"]) for e in found]
    assert len(set(uids)) == len(uids)


def test_the_district_calendar_has_every_monthly_review_and_dit_update(tmp_path: Path) -> None:
    data = plan_calendar(load(example_path("district")), now=NOW)
    titles = [str(e["SUMMARY"]) for e in events(data)]
    assert "September 2023 review held: Maple Grove Public Schools" in titles
    assert "June 2024 review due: Maple Grove Public Schools" in titles
    assert sum(t.startswith("DIT progress communication") for t in titles) == 2
    june = next(e for e in events(data) if str(e["SUMMARY"]).startswith("June 2024"))
    assert "Window: June 1, 2024 to June 30, 2024." in str(june["DESCRIPTION"])


def _reverse_supports(book) -> None:
    """Put the Supports sheet's rows in the opposite order (row numbers all change)."""
    ws = book["Supports"]
    rows = [[c.value for c in row] for row in ws.iter_rows(min_row=4) if row[1].value is not None]
    for offset, values in enumerate(reversed(rows)):
        for column, value in enumerate(values, start=1):
            ws.cell(4 + offset, column).value = value


def test_next_months_file_keeps_every_uid_and_cancels_the_finished_item(tmp_path: Path) -> None:
    this_month = example_path("system")
    first = {str(e["UID"]): e for e in events(plan_calendar(load(this_month), now=NOW))}
    book = load_workbook(this_month)
    ws = book["Supports"]
    assert ws["B4"].value.startswith("State systems coaches help")
    assert ws["D4"].value == "In progress"
    ws["D4"], ws["F4"] = "Completed", datetime(2023, 3, 10)
    _reverse_supports(book)
    book["Plan"]["B8"] = datetime(2023, 3, 15)  # Figures as of: a month on
    next_month = tmp_path / "next_month.xlsx"
    book.save(next_month)
    second = {
        str(e["UID"]): e
        for e in events(plan_calendar(load(next_month), now=NOW + timedelta(days=30)))
    }
    assert set(second) == set(first)
    changed = [u for u in first if str(first[u]["STATUS"]) != str(second[u]["STATUS"])]
    assert len(changed) == 1
    done = second[changed[0]]
    assert str(done["SUMMARY"]).startswith("State systems coaches help")
    assert str(first[changed[0]]["STATUS"]) == "CONFIRMED"
    assert str(done["STATUS"]) == "CANCELLED"
    for uid, event in second.items():
        assert int(event["SEQUENCE"]) > int(first[uid]["SEQUENCE"])
        assert event.decoded("DTSTAMP") > first[uid].decoded("DTSTAMP")
        assert event.decoded("DTSTART") == first[uid].decoded("DTSTART")


def test_workbook_text_comes_out_literally_and_cannot_add_properties(tmp_path: Path) -> None:
    hostile = "Call; then\r\nUID:evil@x\nBEGIN:VEVENT\\n,\tdone"
    workbook = example_copy(tmp_path / "hostile.xlsx", {"Supports!B4": hostile})
    data = plan_calendar(load(workbook), now=NOW)
    lines = strict_lines(data)
    assert not any(line.startswith(("UID:evil", "BEGIN:VEVENT\\")) for line in lines)
    found = events(data)
    assert sum(str(e["UID"]) == "evil@x" for e in found) == 0
    assert len(found) == len(events(plan_calendar(load(example_path("system")), now=NOW)))
    event = next(e for e in found if str(e["DESCRIPTION"]).startswith("Call;"))
    assert str(event["DESCRIPTION"]).startswith("Call; then\nUID:evil@x\nBEGIN:VEVENT\\n,\tdone")
    assert str(event["SUMMARY"]).startswith("Call; then UID:evil@x BEGIN:VEVENT\\n, done")


def test_an_invalid_workbook_writes_no_calendar(tmp_path: Path) -> None:
    workbook = example_copy(tmp_path / "bad.xlsx", {"Supports!E4": "next spring"})
    target = tmp_path / "plan.ics"
    result = run("calendar", workbook, "-o", target)
    assert result.exit_code == 1
    assert "Supports" in result.output and "E4" in result.output
    assert not target.exists()


def test_the_plan_page_offers_the_calendar_download(tmp_path: Path) -> None:
    from test_web import client_for, send

    from plangen.web import ServeConfig

    with client_for(ServeConfig(workdir=tmp_path / "work", pdf=False)) as client:
        page = send(client, "maple grove.xlsx", example_path("district").read_bytes())
        assert 'id="download-ics"' in page.text
        ics = client.get(str(page.url) + "/file/ics")
    assert ics.status_code == 200
    assert ics.headers["content-type"].startswith("text/calendar")
    assert ics.headers["content-disposition"].endswith("maple%20grove.ics")
    titles = [str(e["SUMMARY"]) for e in events(ics.content)]
    assert "June 2024 review due: Maple Grove Public Schools" in titles


def test_batch_writes_a_calendar_beside_every_plan(tmp_path: Path) -> None:
    folder, out = tmp_path / "plans", tmp_path / "out"
    for kind in sorted(KINDS):
        example_copy(folder / "north" / get_kind(kind).example, kind=kind)
    first = run("batch", folder, "-o", out, "--jobs", "1")
    assert first.exit_code == 0, first.output
    assert not list(out.rglob("*.ics"))
    again = run("batch", folder, "-o", out, "--jobs", "1", "--calendar")
    assert again.exit_code == 0, again.output
    for kind in sorted(KINDS):
        stem = Path(get_kind(kind).example).stem
        docx, ics = out / "north" / f"{stem}.docx", out / "north" / f"{stem}.ics"
        assert docx.is_file() and ics.is_file()
        strict_lines(ics.read_bytes())
        district = load(folder / "north" / get_kind(kind).example).plan.fields["district"]
        assert any(
            str(e["SUMMARY"]).startswith("Plan ends: " + district) for e in events(ics.read_bytes())
        )
    third = run("batch", folder, "-o", out, "--jobs", "1", "--calendar")
    assert "4 skipped" in third.output
