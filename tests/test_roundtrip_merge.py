"""The round trip under real use (issue 20): pull is a three-way merge with memory,
every value lands on its own record, nothing typed in Word is lost, and the workbook is
changed surgically.

Plans are edited the way Word stores edits (tests/wordedit.py), workbooks the way a
coordinator does (openpyxl, or LibreOffice where it says so), and every check reads the
files back.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import zipfile
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from conftest import DISTRICT_EXAMPLE, SYSTEM_EXAMPLE
from openpyxl import load_workbook
from wordedit import WordEdit

import plangen
from plangen.cli import cli
from plangen.pdf.convert import find_soffice
from plangen.roundtrip.record import read_document

TODAY = date.today().isoformat()
SRC = Path(plangen.__file__).resolve().parent.parent
"""The plangen under test (the pulls run as their own processes)."""
MARCH = "Attend Systems Coaching Institute 101."


def run(*args: str | Path) -> Result:
    return CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)


def build(workbook: Path, out: Path) -> Path:
    result = run("build", workbook, "-o", out)
    assert result.exit_code == 0, result.output
    return out / workbook.with_suffix(".docx").name


@pytest.fixture
def plan(tmp_path: Path) -> tuple[Path, Path]:
    workbook = tmp_path / "sed.xlsx"
    shutil.copyfile(SYSTEM_EXAMPLE, workbook)
    return workbook, build(workbook, tmp_path / "out")


def cells(workbook: Path, sheet: str, *refs: str) -> list[Any]:
    ws = load_workbook(workbook)[sheet]
    out = []
    for ref in refs:
        value = ws[ref].value
        out.append(value.date() if isinstance(value, datetime) else value)
    return out


def set_cells(workbook: Path, sheet: str, values: dict[str, Any]) -> None:
    book = load_workbook(workbook)
    for ref, value in values.items():
        book[sheet][ref] = value
    book.save(workbook)


def soffice(path: Path, out_dir: Path, target: str) -> Path:
    """`path` converted by real LibreOffice to `target` (`docx:MS Word 2007 XML`, `odt`,
    `ods`, `xlsx`) into `out_dir`."""
    profile = out_dir / "profile"
    subprocess.run(
        [find_soffice(), f"-env:UserInstallation={profile.as_uri()}", "--headless",
         "--convert-to", target, "--outdir", str(out_dir), str(path)],
        check=True, capture_output=True, timeout=180,
    )
    return out_dir / path.with_suffix("." + target.split(":")[0]).name


def edit_record(docx: Path, change: Any) -> None:
    """Rewrite the plangen record inside `docx` with `change(data)` (a forged record)."""
    with zipfile.ZipFile(docx) as archive:
        entries = [(i, archive.read(i.filename)) for i in archive.infolist()]
    out_entries = []
    for info, data in entries:
        if re.fullmatch(r"customXml/item\d+\.xml", info.filename) and b"<record>" in data:
            text = re.search(rb"<record>(.*)</record>", data, re.S)
            assert text is not None
            record = json.loads(text.group(1))
            change(record)
            data = (b'<plangen xmlns="urn:plangen:plan:1" version="1"><record>'
                    + json.dumps(record).replace("&", "&amp;").replace("<", "&lt;").encode()
                    + b"</record></plangen>")
        out_entries.append((info, data))
    with zipfile.ZipFile(docx, "w", zipfile.ZIP_DEFLATED) as out:
        for info, data in out_entries:
            out.writestr(info, data)


# ------------------------------------------------------------------ 1. nothing lost


@pytest.mark.parametrize(
    ("edit", "said"),
    [
        (lambda e: e.choose("supports|9|status", "Waiting on principal sign-off"),
         'is "Waiting on principal sign-off" in Word, which is not one of'),
        (lambda e: e.type_text("supports|9|completed_on", "when the FTE is found"),
         "not a date: type it like January 12, 2023"),
        (lambda e: (e.tick("supports|13|done"), e.choose("supports|13|status", "Dropped")),
         'is ticked but its Status says "Dropped"'),
        (lambda e: e.tick("supports|5|done", on=False),
         "was unticked but its Status still says Completed"),
    ],
    ids=["off-list-status", "text-in-date", "ticked-but-dropped", "unticked-but-completed"],
)
def test_a_value_pull_cannot_take_is_never_destroyed_by_build(
    plan: tuple[Path, Path], edit: Any, said: str
) -> None:
    """Case 1: pull says what to type; build and batch keep refusing to replace the
    document until the value is settled."""
    workbook, docx = plan
    e = WordEdit(docx)
    edit(e)
    e.save()
    edited = docx.read_bytes()
    pulled = run("pull", docx, workbook)
    assert pulled.exit_code == 1
    assert said in pulled.output
    built = run("build", workbook, "-o", docx.parent)
    assert built.exit_code == 1
    assert "not yet in the workbook; not replaced" in built.output
    batch = run("batch", workbook.parent, "-o", docx.parent, "--jobs", "1")
    assert batch.exit_code == 1
    assert docx.read_bytes() == edited


# ------------------------------------------------------------------ 2. the right row


def _recurring(tmp_path: Path, identical: bool = False) -> tuple[Path, Path]:
    """The example with the institute twice: March (row 13) and April (row 14)."""
    workbook = tmp_path / "sed.xlsx"
    shutil.copyfile(SYSTEM_EXAMPLE, workbook)
    set_cells(workbook, "Supports", {
        "E13": datetime(2023, 4, 30) if identical else datetime(2023, 3, 31),
        "B14": MARCH, "C14": 2, "D14": "Not started", "E14": datetime(2023, 4, 30),
        "F14": None,
    })
    return workbook, build(workbook, tmp_path / "out")


def _statuses(workbook: Path) -> dict[tuple[str, Any], str]:
    ws = load_workbook(workbook)["Supports"]
    return {
        (r[1].value, r[4].value.date() if r[4].value else None): r[3].value
        for r in ws.iter_rows(min_row=4) if r[1].value
    }


@pytest.mark.parametrize("coordinator", ["delete-a-row-above", "sort-rows", "insert-rows"])
def test_a_tick_lands_on_its_own_support(tmp_path: Path, coordinator: str) -> None:
    """Case 2: a recurring support (same words, March and April); rows deleted, sorted
    or inserted after the build: the tick made on March lands on March."""
    workbook, docx = _recurring(tmp_path)
    e = WordEdit(docx)
    e.tick("supports|13|done")
    e.save()
    book = load_workbook(workbook)
    ws = book["Supports"]
    if coordinator == "delete-a-row-above":
        ws.delete_rows(5)
    elif coordinator == "insert-rows":
        ws.insert_rows(4, 2)
        ws["A4"], ws["B4"], ws["D4"] = "Division Leadership Team", "A new support.", "Not started"
    else:
        rows = [[c.value for c in r] for r in ws.iter_rows(min_row=4, max_row=17)]
        for i, values in enumerate(reversed(rows)):
            for j, value in enumerate(values):
                ws.cell(4 + i, 1 + j).value = value
    book.save(workbook)
    done_before = sum(s == "Completed" for s in _statuses(workbook).values())
    pulled = run("pull", docx, workbook)
    assert pulled.exit_code == 0, pulled.output
    statuses = _statuses(workbook)
    assert statuses[(MARCH, date(2023, 3, 31))] == "Completed"
    assert statuses[(MARCH, date(2023, 4, 30))] == "Not started"
    assert sum(s == "Completed" for s in statuses.values()) == done_before + 1


def test_a_support_copied_in_the_workbook_is_refused_by_name(tmp_path: Path) -> None:
    """Case 2: two identical rows, one copied again in the workbook: which one the tick
    meant cannot be told, so pull names the support and writes nothing."""
    workbook, docx = _recurring(tmp_path, identical=True)
    e = WordEdit(docx)
    e.tick("supports|13|done")
    e.save()
    set_cells(workbook, "Supports", {
        "A18": "District Coordinators/Coaches", "B18": MARCH, "C18": 2, "D18": "Not started",
        "E18": datetime(2023, 4, 30)})
    before = workbook.read_bytes()
    pulled = run("pull", docx, workbook)
    assert pulled.exit_code == 1
    assert (f'Supports!D13: the record "{MARCH}" (row 13 when the plan was built) is in '
            "the workbook 3 times with the same values, and was 2 times in the plan") in (
        pulled.output)
    assert workbook.read_bytes() == before


# ------------------------------------------------------------------ 3. memory


def test_both_sides_completed_is_not_a_conflict_and_keeps_the_real_date(
    plan: tuple[Path, Path],
) -> None:
    workbook, docx = plan
    e = WordEdit(docx)
    e.tick("supports|13|done")
    e.save()
    set_cells(workbook, "Supports", {"D13": "Completed", "F13": datetime(2023, 2, 3)})
    for prefer in ((), ("--prefer", "word")):
        pulled = run("pull", docx, workbook, *prefer)
        assert pulled.exit_code == 0, pulled.output
        assert "conflict" not in pulled.output
    assert cells(workbook, "Supports", "D13", "F13") == ["Completed", date(2023, 2, 3)]


def test_pull_remembers_what_it_took(plan: tuple[Path, Path]) -> None:
    """Case 3: a later pull changes nothing; the coordinator's correction of the date and
    revert of the status stand; build counts nothing as pending."""
    workbook, docx = plan
    e = WordEdit(docx)
    e.tick("supports|13|done")
    e.save()
    first = run("pull", docx, workbook)
    assert first.exit_code == 0, first.output
    assert cells(workbook, "Supports", "D13", "F13") == ["Completed", date.today()]
    again = run("pull", docx, workbook)
    assert again.exit_code == 0, again.output
    assert f"{workbook}: no changes to write" in again.output
    set_cells(workbook, "Supports", {"F13": datetime(2023, 2, 1)})  # the real day
    later = run("pull", docx, workbook)
    assert later.exit_code == 0 and "no changes to write" in later.output, later.output
    assert cells(workbook, "Supports", "F13") == [date(2023, 2, 1)]
    set_cells(workbook, "Supports", {"D13": "In progress", "F13": None})  # reverted
    assert run("pull", docx, workbook).exit_code == 0
    assert cells(workbook, "Supports", "D13", "F13") == ["In progress", None]
    rebuilt = run("build", workbook, "-o", docx.parent)
    assert rebuilt.exit_code == 0, rebuilt.output
    # the memory is a very hidden, protected sheet
    ws = load_workbook(workbook)["_plangen_pulls"]
    assert ws.sheet_state == "veryHidden" and ws.protection.sheet


# ------------------------------------------------------------------ 4. conflicts


def test_a_conflict_changes_nothing_else_of_its_record(plan: tuple[Path, Path]) -> None:
    """Case 4: built In progress, the workbook says Not started, Word ticked: a conflict;
    no Completed-on date is written beside the kept status."""
    workbook, docx = plan
    e = WordEdit(docx)
    e.tick("supports|9|done")
    e.save()
    set_cells(workbook, "Supports", {"D9": "Not started"})
    pulled = run("pull", docx, workbook)
    assert pulled.exit_code == 1
    assert ("conflict: Supports!D9 \"Review the organizational structure to find FTE f…\": "
            "Status was changed in the workbook (In progress → Not started) and in Word "
            "(Completed)") in pulled.output
    assert cells(workbook, "Supports", "D9", "F9") == ["Not started", None]
    kept = run("pull", docx, workbook, "--prefer", "workbook")
    assert kept.exit_code == 1
    assert run("build", workbook, "-o", docx.parent).exit_code == 0  # settled: not pending


# ------------------------------------------------------------------ 5. limits


@pytest.mark.parametrize("typed", ["January 12, 1900", "March 3, 2150"])
def test_a_date_out_of_range_is_refused_at_its_control(
    plan: tuple[Path, Path], typed: str
) -> None:
    workbook, docx = plan
    e = WordEdit(docx)
    e.type_text("supports|9|completed_on", typed)
    e.save()
    pulled = run("pull", docx, workbook)
    assert pulled.exit_code == 1
    assert "Supports!F9: the Completed-on date of" in pulled.output
    assert "a plan's dates are 1990 to 2100: check the year in Word" in pulled.output
    assert cells(workbook, "Supports", "F9") == [None]
    assert run("validate", workbook).exit_code == 0


def test_a_note_longer_than_a_cell_is_refused_never_cut(plan: tuple[Path, Path]) -> None:
    """Cases 5 and #22.12: a 100,000-character note is refused at its control."""
    workbook, docx = plan
    before = cells(workbook, "Reviews", "G6")
    e = WordEdit(docx)
    e.type_text("reviews|6|adjustments", "x" * 100_000)
    e.save()
    pulled = run("pull", docx, workbook)
    assert pulled.exit_code == 1
    assert ("Reviews!G6: the Adjustments of the review \"2023-01-25 / Mid-Year\" typed in "
            "Word is 100,000 characters; a workbook cell holds at most 32,767") in pulled.output
    assert cells(workbook, "Reviews", "G6") == before
    assert run("validate", workbook).exit_code == 0


def test_a_note_like_a_spreadsheet_escape_is_pulled_as_typed(plan: tuple[Path, Path]) -> None:
    """`_x0041_` typed in Word lands as that text (Excel would read it raw as "A"), and
    the pull memory knows it: a second pull has nothing to write, a revert stands."""
    from plangen.workbook.grids import read_grids

    workbook, docx = plan
    typed = "_x0041_ kept as typed, R&D <b>"
    before = cells(workbook, "Reviews", "G6")
    e = WordEdit(docx)
    e.type_text("reviews|6|adjustments", typed)
    e.save()
    pulled = run("pull", docx, workbook)
    assert pulled.exit_code == 0, pulled.output
    assert read_grids(workbook)["Reviews"].rows[5][6] == typed
    again = run("pull", docx, workbook)
    assert again.exit_code == 0 and "no changes to write" in again.output, again.output
    set_cells(workbook, "Reviews", {"G6": before[0]})  # the coordinator reverts it
    assert run("pull", docx, workbook).exit_code == 0
    assert cells(workbook, "Reviews", "G6") == before  # the revert stands


# ------------------------------------------------------------------ 6. files


def _pull_process(docx: Path, workbook: Path) -> subprocess.Popen[bytes]:
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    return subprocess.Popen(
        [sys.executable, "-c", "from plangen.cli import cli; cli()", "pull", str(docx),
         str(workbook)], env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )


def test_two_pulls_at_once_lose_no_update(plan: tuple[Path, Path], tmp_path: Path) -> None:
    """Case 6: two staff members' copies of one plan pulled at the same moment."""
    workbook, docx = plan
    for attempt in range(3):
        shutil.copyfile(SYSTEM_EXAMPLE, workbook)
        docx = build(workbook, tmp_path / f"out{attempt}")
        copies = []
        for name, key in (("a", "supports|13|done"), ("b", "supports|17|done")):
            copy = tmp_path / f"{name}{attempt}" / docx.name
            copy.parent.mkdir()
            shutil.copyfile(docx, copy)
            e = WordEdit(copy)
            e.tick(key)
            e.save()
            copies.append(copy)
        procs = [_pull_process(c, workbook) for c in copies]
        for p in procs:
            out, _ = p.communicate(timeout=120)
            assert p.returncode == 0, out.decode()
        assert cells(workbook, "Supports", "D13", "D17") == ["Completed", "Completed"]


def test_a_read_only_or_open_workbook_is_refused(plan: tuple[Path, Path]) -> None:
    workbook, docx = plan
    e = WordEdit(docx)
    e.tick("supports|13|done")
    e.save()
    before = workbook.read_bytes()
    for lock in (f"~${workbook.name}", f".~lock.{workbook.name}#"):
        (workbook.parent / lock).write_text("someone")
        refused = run("pull", docx, workbook)
        assert refused.exit_code == 1
        assert f"(its lock file {lock} is beside it): close it first" in refused.output
        (workbook.parent / lock).unlink()
    workbook.chmod(0o444)
    try:
        refused = run("pull", docx, workbook)
    finally:
        workbook.chmod(0o644)
    assert refused.exit_code == 1
    assert f"{workbook}: is read-only; nothing was pulled" in refused.output
    assert workbook.read_bytes() == before
    (docx.parent / f"~${docx.name}").write_text("Word has it open")
    built = run("build", workbook, "-o", docx.parent, "--force")
    assert "close it first" in built.output


# ------------------------------------------------------------------ 7. surgical


def _parts(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {n: archive.read(n) for n in archive.namelist()}


def _cells_of(xml: bytes) -> dict[str, bytes]:
    return {m.group(1).decode(): m.group(0) for m in re.finditer(
        rb'<c\b[^>]*\br="([A-Z]+\d+)"[^>]*?(?:/>|>.*?</c>)', xml, re.S)}


def test_pull_changes_only_the_cells_it_changes(plan: tuple[Path, Path], tmp_path: Path) -> None:
    """Case 7, on a workbook LibreOffice saved (shared strings, styles of its own), with
    rich text and a formula with its saved result added: every other part of the file
    is byte-identical, and the changed sheets differ only in the changed cells."""
    workbook, docx = plan
    saved = soffice(workbook, tmp_path / "lo", "xlsx")
    parts = _parts(saved)
    sst = parts["xl/sharedStrings.xml"]
    rich = (b'<si><r><rPr><b val="true"/><sz val="11"/></rPr><t>Bold</t></r><r><rPr>'
            b'<color rgb="FFFF0000"/><sz val="11"/></rPr><t xml:space="preserve"> red</t></r></si>')
    parts["xl/sharedStrings.xml"] = sst.replace(b"</sst>", rich + b"</sst>")
    shutil.copyfile(saved, workbook)
    with zipfile.ZipFile(workbook, "w", zipfile.ZIP_DEFLATED) as out:
        for name, data in parts.items():
            out.writestr(name, data)
    e = WordEdit(docx)
    e.tick("supports|13|done")
    e.choose("supports|17|status", "In progress")
    e.type_text("reviews|6|adjustments", "A new note typed in Word.")
    e.save()
    before = _parts(workbook)
    pulled = run("pull", docx, workbook)
    assert pulled.exit_code == 0, pulled.output
    after = _parts(workbook)
    changed = {n for n in after if before.get(n) != after[n]}
    sheets = {"xl/worksheets/sheet7.xml", "xl/worksheets/sheet12.xml"}
    memory = {"xl/workbook.xml", "xl/_rels/workbook.xml.rels", "[Content_Types].xml",
              "xl/worksheets/plangen_pulls1.xml"}
    assert changed == sheets | memory | {"xl/sharedStrings.xml"}
    for name, cells_changed in (("xl/worksheets/sheet7.xml", {"D13", "F13", "D17"}),
                                ("xl/worksheets/sheet12.xml", {"G6"})):
        old, new = _cells_of(before[name]), _cells_of(after[name])
        assert {r for r in new if old.get(r) != new[r]} == cells_changed
        assert re.sub(rb"<c\b.*?(?:/>|</c>)", b"", before[name], flags=re.S) == re.sub(
            rb"<c\b.*?(?:/>|</c>)", b"", after[name], flags=re.S)
    old_sst = re.sub(rb'count="\d+" uniqueCount="\d+"', b"", before["xl/sharedStrings.xml"])
    new_sst = re.sub(rb'count="\d+" uniqueCount="\d+"', b"", after["xl/sharedStrings.xml"])
    assert new_sst.startswith(old_sst[: -len(b"</sst>")])
    assert rich in after["xl/sharedStrings.xml"]
    assert cells(workbook, "Reviews", "G6") == ["A new note typed in Word."]
    assert cells(workbook, "Supports", "D13", "F13", "D17") == [
        "Completed", date.today(), "In progress"]
    assert run("validate", workbook).exit_code == 0
    again = soffice(workbook, tmp_path / "lo2", "xlsx")  # LibreOffice opens it
    assert cells(again, "Supports", "D13") == ["Completed"]


# ------------------------------------------------------------------ 8. dead ends


def test_a_sheet_renamed_the_way_validate_accepts_is_pulled_into(tmp_path: Path) -> None:
    workbook = tmp_path / "sed.xlsx"
    shutil.copyfile(SYSTEM_EXAMPLE, workbook)
    book = load_workbook(workbook)
    book["Supports"].title = "Supports 2022-23"
    book.save(workbook)
    docx = build(workbook, tmp_path / "out")
    e = WordEdit(docx)
    e.tick("supports|13|done")
    e.save()
    pulled = run("pull", docx, workbook)
    assert pulled.exit_code == 0, pulled.output
    assert pulled.output.startswith(f'Supports 2022-23!D13 "{MARCH}": Status Not started')
    assert cells(workbook, "Supports 2022-23", "D13") == ["Completed"]
    assert run("build", workbook, "-o", docx.parent).exit_code == 0


def test_an_ods_workbook_is_refused_with_a_way_out_that_works(tmp_path: Path) -> None:
    ods = soffice(SYSTEM_EXAMPLE, tmp_path, "ods")
    docx = build(ods, tmp_path / "out")
    e = WordEdit(docx)
    e.tick("supports|13|done")
    e.save()
    refused = run("pull", docx, ods)
    assert refused.exit_code == 1
    assert refused.output == (
        f"error: {ods}: pull writes Excel workbooks (.xlsx) only; nothing was read. Save it "
        "as super_excited_division.xlsx (LibreOffice: File > Save As, Excel 2007-365), pull "
        "into super_excited_division.xlsx, and build from it from then on\n"
    )
    xlsx = soffice(ods, tmp_path / "xlsx", "xlsx")
    pulled = run("pull", docx, xlsx)
    assert pulled.exit_code == 0, pulled.output
    rebuilt = run("build", xlsx, "-o", docx.parent)
    assert rebuilt.exit_code == 0, rebuilt.output


def test_a_plan_that_lost_its_record_is_read_by_its_bookmarks(
    plan: tuple[Path, Path], tmp_path: Path
) -> None:
    """Case 8: saved as .odt and back, the record is gone; the tick is still found."""
    workbook, docx = plan
    e = WordEdit(docx)
    e.tick("supports|13|done")
    e.save()
    odt = soffice(docx, tmp_path / "odt", "odt")
    back = soffice(odt, tmp_path / "back", "docx:MS Word 2007 XML")
    assert read_document(back).record is None
    before = workbook.read_bytes()
    pulled = run("pull", back, workbook)
    assert pulled.exit_code == 1
    assert "holds no plangen record (lost when it was saved through another format" in (
        pulled.output)
    assert (f'conflict: Supports!D13 "{MARCH}": Status is Completed in Word and Not started '
            "in the workbook; type the right one in the workbook") in pulled.output
    assert workbook.read_bytes() == before
    built = run("build", workbook, "-o", back.parent)
    assert built.exit_code == 1
    assert "holds no plangen record (lost when it was saved" in built.output


# ------------------------------------------------------------------ 9. plan period


def test_last_years_plan_is_refused_by_next_years_workbook(plan: tuple[Path, Path]) -> None:
    workbook, docx = plan
    e = WordEdit(docx)
    e.tick("supports|13|done")
    e.save()
    set_cells(workbook, "Plan", {"B5": datetime(2023, 10, 31), "B8": None})
    before = workbook.read_bytes()
    refused = run("pull", docx, workbook)
    assert refused.exit_code == 1
    assert refused.output == (
        f"error: {docx}: is the plan for 2022-10-31 to 2023-06-30; {workbook} holds the plan "
        "for 2023-10-31 to 2024-06-30 (another plan period); nothing was pulled\n"
    )
    assert workbook.read_bytes() == before


# ------------------------------------------------------------------ 10. Figures as of


def test_a_completion_after_figures_as_of_is_explained(plan: tuple[Path, Path]) -> None:
    workbook, docx = plan
    e = WordEdit(docx)
    e.tick("supports|13|done")
    e.save()
    pulled = run("pull", docx, workbook)
    assert pulled.exit_code == 0, pulled.output
    assert (f'note: Supports!F13 "{MARCH}": completed on {TODAY}, after "Figures as of" '
            "2023-02-15 (Plan!B8): the next build does not count it as completed yet"
            ) in pulled.output
    assert cells(workbook, "Plan", "B8") == [date(2023, 2, 15)]  # left as the coordinator set it


# ------------------------------------------------------------------ issue 22


def test_folder_pull_never_writes_outside_the_workbooks_folder(tmp_path: Path) -> None:
    """#22.3: a record naming `../outside.xlsx` or an absolute path is never joined."""
    books, plans = tmp_path / "books", tmp_path / "plans"
    books.mkdir()
    shutil.copyfile(SYSTEM_EXAMPLE, books / "sed.xlsx")
    outside = tmp_path / "outside.xlsx"
    shutil.copyfile(SYSTEM_EXAMPLE, outside)
    docx = build(books / "sed.xlsx", plans)
    evil = plans / "evil.docx"
    docx.rename(evil)
    e = WordEdit(evil)
    e.tick("supports|13|done")
    e.save()
    for target in ("../outside.xlsx", str(outside)):
        edit_record(evil, lambda r, t=target: r.update(workbook=t))
        before = outside.read_bytes()
        pulled = run("pull", plans, books)
        assert pulled.exit_code == 1
        assert f"{evil}: its workbook outside.xlsx is not inside {books}" in pulled.output
        assert outside.read_bytes() == before
        assert not list(tmp_path.glob("outside.before-pull-*"))


def test_the_kind_decides_what_flows_back_not_the_document(plan: tuple[Path, Path]) -> None:
    """#22.4: a forged entry naming the review's Type, with a control tagged for it, is
    ignored: only a review's notes flow back."""
    workbook, docx = plan
    before = cells(workbook, "Reviews", "B6", "C6")
    e = WordEdit(docx)
    control = e.control("reviews|6|adjustments")
    for tag in control.iter("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}tag",
                            "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}alias"):
        tag.set("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}val",
                "plangen reviews|6|type")
    e.type_text("reviews|6|type", "Other")
    e.save()
    edit_record(docx, lambda r: r["values"]["reviews|6"].update(
        fields={"type": "Mid-Year", "date": "2023-01-25"}))
    run("pull", docx, workbook)
    assert cells(workbook, "Reviews", "B6", "C6") == before


def test_district_plan_round_trip_uses_the_readers_sheets(tmp_path: Path) -> None:
    """A district plan's Preparation steps: the tick lands on its own step."""
    workbook = tmp_path / "maple.xlsx"
    shutil.copyfile(DISTRICT_EXAMPLE, workbook)
    docx = build(workbook, tmp_path / "out")
    record = read_document(docx).record
    assert record is not None and record.period and record.build_id
    step = next(k for k, v in record.values.items()
                if k.startswith("preparation|") and v["fields"]["status"] == "Not started")
    e = WordEdit(docx)
    e.tick(f"{step}|done")
    e.save()
    pulled = run("pull", docx, workbook)
    assert pulled.exit_code == 0, pulled.output
    assert "Status Not started → Completed" in pulled.output


def test_the_web_page_says_why_a_pulled_tick_is_not_counted_yet(tmp_path: Path) -> None:
    """Case 10 on the page "Bring back Word edits": the same note as the command."""
    from starlette.testclient import TestClient
    from test_web_ux import csrf, page_text

    from plangen.web import ServeConfig, create_app

    workbook, docx = tmp_path / "sed.xlsx", tmp_path / "sed.docx"
    shutil.copyfile(SYSTEM_EXAMPLE, workbook)
    docx = build(workbook, tmp_path)
    e = WordEdit(docx)
    e.tick("supports|13|done")
    e.save()
    config = ServeConfig(workdir=tmp_path / "work", pdf=False)
    with TestClient(create_app(config), base_url="http://127.0.0.1") as client:
        page = client.post("/pull", data={"csrf": csrf(client, "/pull")}, files={
            "plan": (docx.name, docx.read_bytes(), "application/octet-stream"),
            "workbook": (workbook.name, workbook.read_bytes(), "application/octet-stream"),
        })
    text = page_text(page.text)
    assert f'Supports!D13 "{MARCH}": Status Not started → Completed' in text
    assert (f'completed on {TODAY}, after "Figures as of" 2023-02-15 (Plan!B8): the next '
            "build does not count it as completed yet") in text


# ------------------------------------------------------------------ three monthly cycles


def _independent_count(workbook: Path, entries: dict[str, Any], as_of: date) -> tuple[int, int]:
    """Completed (on or before `as_of`) and planned (not dropped) items, read straight
    from the cells the plan's record names, with openpyxl."""
    book = load_workbook(workbook)
    columns: dict[str, tuple[str, str]] = {}
    for entry in entries.values():
        if "status" in entry["fields"]:
            status, done = entry["cells"]["status"], entry["cells"]["completed_on"]
            columns[entry["sheet"]] = (re.sub(r"\d", "", status), re.sub(r"\d", "", done))
    completed = planned = 0
    for sheet, (status_col, done_col) in columns.items():
        ws = book[sheet]
        rows = [int(re.sub(r"\D", "", e["cells"]["status"])) for e in entries.values()
                if e["sheet"] == sheet and "status" in e["fields"]]
        for row in range(min(rows), ws.max_row + 1):
            status = ws[f"{status_col}{row}"].value
            if status is None and not any(
                ws.cell(row, c).value for c in range(1, 4)
            ):
                continue
            status = status or "Not started"
            if status == "Dropped":
                continue
            planned += 1
            done = ws[f"{done_col}{row}"].value
            if status == "Completed" and done is not None and done.date() <= as_of:
                completed += 1
    return completed, planned


@pytest.mark.parametrize("example", sorted(p.name for p in SYSTEM_EXAMPLE.parent.glob("*.xlsx")))
def test_three_monthly_cycles_with_edits_on_both_sides(example: str, tmp_path: Path) -> None:
    """Each month staff tick a support in Word (with its date) and the coordinator
    completes another in the workbook; pull, then build: the plan's figures, `status
    --json` and a count of the cells agree, and nothing is a conflict."""
    workbook = tmp_path / example
    shutil.copyfile(SYSTEM_EXAMPLE.parent / example, workbook)
    docx = build(workbook, tmp_path / "out")
    record = read_document(docx).record
    assert record is not None
    start = date.fromisoformat(record.period.split("/")[0])
    for cycle in (1, 2, 3):
        record = read_document(docx).record
        assert record is not None
        as_of = date.fromordinal(start.toordinal() + 31 * cycle)
        done_on = date.fromordinal(as_of.toordinal() - 3)
        open_items = sorted(
            (k for k, v in record.values.items()
             if v["fields"].get("status") in ("Not started", "In progress")),
            key=lambda k: (k.split("|")[0], int(k.split("|")[1])),
        )
        assert open_items
        word_item, book_item = open_items[0], open_items[-1]  # one item left: Word only
        e = WordEdit(docx)
        e.tick(f"{word_item}|done")
        e.type_text(f"{word_item}|completed_on", done_on.strftime("%B %d, %Y"))
        e.save()
        if book_item != word_item:
            entry = record.values[book_item]
            set_cells(workbook, entry["sheet"], {
                entry["cells"]["status"]: "Completed",
                entry["cells"]["completed_on"]: datetime(done_on.year, done_on.month,
                                                         done_on.day),
            })
        pulled = run("pull", docx, workbook)
        assert pulled.exit_code == 0, pulled.output
        assert "conflict" not in pulled.output
        again = run("pull", docx, workbook)
        assert "no changes to write" in again.output, again.output
        rebuilt = run("build", workbook, "-o", docx.parent, "--as-of", as_of.isoformat())
        assert rebuilt.exit_code == 0, rebuilt.output
        shown = re.search(r"\((\d+)/(\d+) ", rebuilt.output)
        assert shown is not None, rebuilt.output
        status = json.loads(run("status", workbook, "--json", "--as-of", as_of.isoformat())
                            .output)
        counted = _independent_count(workbook, record.values, as_of)
        assert (int(shown.group(1)), int(shown.group(2))) == counted
        assert (status["overall"]["completed"], status["overall"]["planned"]) == counted
        checked = read_document(docx).record
        assert checked is not None
        assert checked.values[word_item]["fields"]["status"] == "Completed"
        assert checked.values[word_item]["fields"]["completed_on"] == done_on.isoformat()
    assert not list(docx.parent.glob("*.edited-*"))


@pytest.mark.parametrize("example", sorted(p.name for p in SYSTEM_EXAMPLE.parent.glob("*.xlsx")))
def test_rows_sorted_after_the_build_in_every_kind(example: str, tmp_path: Path) -> None:
    """Case 2 in all four kinds: the coordinator reverses the monitored rows after the
    build; the tick made in Word lands on its own item."""
    workbook = tmp_path / example
    shutil.copyfile(SYSTEM_EXAMPLE.parent / example, workbook)
    docx = build(workbook, tmp_path / "out")
    record = read_document(docx).record
    assert record is not None
    words = [v["words"] for v in record.values.values()]
    key, entry = next(
        (k, v) for k, v in sorted(record.values.items())
        if v["fields"].get("status") == "Not started" and words.count(v["words"]) == 1
    )
    e = WordEdit(docx)
    e.tick(f"{key}|done")
    e.save()
    rows = sorted(v["row"] for v in record.values.values() if v["sheet"] == entry["sheet"])
    book = load_workbook(workbook)
    ws = book[entry["sheet"]]
    values = [[c.value for c in ws[r]] for r in rows]
    for r, row_values in zip(rows, reversed(values), strict=True):
        for j, value in enumerate(row_values):
            ws.cell(r, 1 + j).value = value
    book.save(workbook)
    pulled = run("pull", docx, workbook)
    assert pulled.exit_code == 0, pulled.output
    status_col = re.sub(r"\d", "", entry["cells"]["status"])
    ws = load_workbook(workbook)[entry["sheet"]]
    landed = [r for r in rows if any(c.value == entry["words"] for c in ws[r])]
    assert len(landed) == 1
    assert ws[f"{status_col}{landed[0]}"].value == "Completed"
    assert sum(ws[f"{status_col}{r}"].value == "Completed" for r in rows) == 1 + sum(
        v["fields"].get("status") == "Completed" for v in record.values.values()
        if v["sheet"] == entry["sheet"])


def test_the_memory_survives_a_libreoffice_save(plan: tuple[Path, Path], tmp_path: Path) -> None:
    """The coordinator opens the pulled workbook in LibreOffice, sets the status back and
    saves: the next pull still knows it took the tick, and the correction stands."""
    workbook, docx = plan
    e = WordEdit(docx)
    e.tick("supports|13|done")
    e.save()
    assert run("pull", docx, workbook).exit_code == 0
    saved = soffice(workbook, tmp_path / "lo", "xlsx")
    book = load_workbook(saved)
    assert book["_plangen_pulls"].sheet_state in ("hidden", "veryHidden")
    book["Supports"]["D13"] = "In progress"
    book["Supports"]["F13"] = None
    book.save(saved)
    again = run("pull", docx, saved)
    assert again.exit_code == 0, again.output
    assert f"{saved}: no changes to write" in again.output
    assert cells(saved, "Supports", "D13", "F13") == ["In progress", None]
    assert run("build", saved, "-o", docx.parent).exit_code == 0
