"""Word and workbook stay one plan: edits made in Word survive a rebuild, and ticks,
statuses, dates and review notes edited in Word flow back with `plangen pull`.

Documents are edited the way Word stores edits (tests/wordedit.py) and, where it says
so, opened and saved by real LibreOffice.
"""

from __future__ import annotations

import copy
import shutil
import subprocess
import zipfile
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from conftest import EXAMPLES
from docx import Document
from openpyxl import load_workbook
from wordedit import WordEdit

import plangen
from plangen.cli import cli
from plangen.pdf.convert import find_soffice
from plangen.roundtrip.controls import read_controls
from plangen.roundtrip.record import read_document

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W14 = "http://schemas.microsoft.com/office/word/2010/wordml"

ROOT = Path(__file__).resolve().parent.parent
SYSTEM_EXAMPLE = ROOT / "input_examples" / "super_excited_division.xlsx"
DISTRICT_EXAMPLE = ROOT / "input_examples" / "maple_grove_public_schools.xlsx"
TODAY = date.today().isoformat()


def run(*args: str | Path) -> Result:
    return CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)


@pytest.fixture
def plan(tmp_path: Path) -> tuple[Path, Path]:
    """A copy of the example workbook and its plan built into tmp_path/out."""
    workbook = tmp_path / "super_excited_division.xlsx"
    shutil.copyfile(SYSTEM_EXAMPLE, workbook)
    result = run("build", workbook, "-o", tmp_path / "out")
    assert result.exit_code == 0, result.output
    return workbook, tmp_path / "out" / "super_excited_division.docx"


def edit_like_word(docx: Path) -> None:
    """Tick support 13 (Not started), type its date, choose In progress for support 17,
    rewrite a review's adjustments, and add a paragraph."""
    edit = WordEdit(docx)
    edit.tick("supports|13|done")
    edit.type_text("supports|13|completed_on", "February 1, 2023")
    edit.choose("supports|17|status", "In progress")
    edit.type_text("reviews|6|adjustments", "Escalate the FTE review & ask <DLT>.")
    edit.add_paragraph("A paragraph typed in Word.")
    edit.save()


EXPECTED_CHANGES = [
    'Supports!D13 "Attend Systems Coaching Institute 101.": Status Not started → Completed',
    'Supports!F13 "Attend Systems Coaching Institute 101.": Completed on (blank) → 2023-02-01',
    'Supports!D17 "Individual support to schools on the targeted TFI…": Status Not started'
    " → In progress",
    'Reviews!G6 "2023-01-25 / Mid-Year": Adjustments "Targeted school professional learning'
    ' folded into individua…" → "Escalate the FTE review & ask <DLT>."',
]


def soffice_docx(docx: Path, out_dir: Path) -> Path:
    """`docx` opened and saved as .docx by LibreOffice."""
    profile = out_dir / "profile"
    subprocess.run(
        [find_soffice(), f"-env:UserInstallation={profile.as_uri()}", "--headless",
         "--convert-to", "docx:MS Word 2007 XML", "--outdir", str(out_dir), str(docx)],
        check=True, capture_output=True, timeout=180,
    )
    return out_dir / docx.name


def checked(docx: Path, key: str) -> bool | None:
    return read_controls(read_document(docx).body)[key][0].checked


# ------------------------------------------------------------------ the whole cycle


def test_an_edited_plan_is_kept_and_its_ticks_flow_back(plan: tuple[Path, Path]) -> None:
    workbook, docx = plan
    edit_like_word(docx)
    edited = docx.read_bytes()

    refused = run("build", workbook, "-o", docx.parent)
    assert refused.exit_code == 1
    kept = docx.with_name("super_excited_division.edited-1.docx")
    assert refused.output.splitlines() == [
        f"error: {docx}: was edited since plangen wrote it; not replaced. Its ticks, statuses "
        f"and dates go into the workbook with: plangen pull {docx} {workbook}; --force "
        f"rebuilds it and keeps this copy as {kept.name}"
    ]
    assert docx.read_bytes() == edited

    forced = run("build", workbook, "-o", docx.parent, "--force")
    assert forced.exit_code == 0, forced.output
    assert f"kept the edited plan as {kept}" in forced.output
    assert kept.read_bytes() == edited
    assert "A paragraph typed in Word." not in [p.text for p in Document(docx).paragraphs]

    before = workbook.read_bytes()
    dry = run("pull", kept, workbook, "--dry-run")
    assert dry.exit_code == 0, dry.output
    assert dry.output.splitlines() == [
        *EXPECTED_CHANGES, f"{workbook}: 4 changes (dry run: nothing written)"
    ]
    assert workbook.read_bytes() == before

    pulled = run("pull", kept, workbook)
    assert pulled.exit_code == 0, pulled.output
    backup = workbook.with_name("super_excited_division.before-pull-1.xlsx")
    assert pulled.output.splitlines() == [
        *EXPECTED_CHANGES, f"{workbook}: 4 changes written (the previous workbook is {backup})"
    ]
    assert backup.read_bytes() == before
    sheet = load_workbook(workbook)["Supports"]
    assert sheet["D13"].value == "Completed"
    assert sheet["F13"].value.date() == date(2023, 2, 1)

    rebuilt = run("build", workbook, "-o", docx.parent)
    assert rebuilt.exit_code == 0, rebuilt.output
    assert "(14/26 coaching supports completed (54%))" in rebuilt.output
    assert checked(docx, "supports|13|done") is True
    assert not docx.with_name("super_excited_division.edited-2.docx").exists()


def test_a_tick_alone_is_pulled_before_the_plan_is_rebuilt(plan: tuple[Path, Path]) -> None:
    workbook, docx = plan
    edit = WordEdit(docx)
    edit.tick("supports|13|done")
    edit.save()
    refused = run("build", workbook, "-o", docx.parent)
    assert refused.exit_code == 1
    assert refused.output.startswith(
        f"error: {docx}: holds 1 value edited in Word (ticks, statuses, dates, notes) not "
        "yet in the workbook; not replaced."
    )
    pulled = run("pull", docx, workbook)
    assert pulled.output.splitlines()[:2] == [
        'Supports!D13 "Attend Systems Coaching Institute 101.": Status Not started → Completed',
        f'Supports!F13 "Attend Systems Coaching Institute 101.": Completed on (blank) → {TODAY}',
    ]
    rebuilt = run("build", workbook, "-o", docx.parent, "--as-of", TODAY)
    assert rebuilt.exit_code == 0, rebuilt.output
    assert checked(docx, "supports|13|done") is True
    assert not list(docx.parent.glob("*.edited-*"))


def test_an_unedited_plan_is_replaced_and_its_old_pdf_removed(plan: tuple[Path, Path]) -> None:
    workbook, docx = plan
    pdf = docx.with_suffix(".pdf")
    pdf.write_bytes(b"%PDF-1.4 an old plan")
    result = run("build", workbook, "-o", docx.parent)
    assert result.exit_code == 0, result.output
    assert not pdf.exists()


def test_a_document_plangen_did_not_write_is_not_replaced(tmp_path: Path) -> None:
    workbook = tmp_path / "super_excited_division.xlsx"
    shutil.copyfile(SYSTEM_EXAMPLE, workbook)
    docx = tmp_path / "out" / "super_excited_division.docx"
    docx.parent.mkdir()
    Document().save(docx)
    mine = docx.read_bytes()
    result = run("build", workbook, "-o", docx.parent)
    assert result.exit_code == 1
    assert result.output == (
        f"error: {docx}: was not written by plangen (no plangen record); not replaced "
        "(--force rebuilds it and keeps this copy as super_excited_division.edited-1.docx)\n"
    )
    assert docx.read_bytes() == mine
    assert run("build", workbook, "-o", docx.parent, "--force").exit_code == 0
    assert docx.with_name("super_excited_division.edited-1.docx").read_bytes() == mine
    # a second forced rebuild of an edited plan never overwrites the first kept copy
    Document().save(docx)
    assert run("build", workbook, "-o", docx.parent, "--force").exit_code == 0
    assert docx.with_name("super_excited_division.edited-1.docx").read_bytes() == mine
    assert docx.with_name("super_excited_division.edited-2.docx").exists()


# ------------------------------------------------------------------ conflicts and gaps


def set_cell(workbook: Path, sheet: str, cell: str, value: object) -> None:
    book = load_workbook(workbook)
    book[sheet][cell] = value
    book.save(workbook)


def test_a_value_changed_in_both_is_a_conflict(plan: tuple[Path, Path]) -> None:
    workbook, docx = plan
    edit = WordEdit(docx)
    edit.choose("supports|9|status", "Dropped")
    edit.tick("supports|13|done")
    edit.save()
    set_cell(workbook, "Supports", "D9", "Completed")
    set_cell(workbook, "Supports", "F9", date(2023, 2, 2))
    result = run("pull", docx, workbook)
    assert result.exit_code == 1
    lines = [line for line in result.output.splitlines() if not line.startswith("note:")]
    assert lines == [
        'Supports!D13 "Attend Systems Coaching Institute 101.": Status Not started → Completed',
        f'Supports!F13 "Attend Systems Coaching Institute 101.": Completed on (blank) → {TODAY}',
        'conflict: Supports!D9 "Review the organizational structure to find FTE f…": Status '
        "was changed in the workbook (In progress → Completed) and in Word (Dropped); the "
        "workbook's value is kept (--prefer word takes Word's; --prefer workbook settles it as "
        "it is)",
        f"{workbook}: 2 changes written (the previous workbook is "
        f"{workbook.with_name('super_excited_division.before-pull-1.xlsx')})",
    ]
    assert load_workbook(workbook)["Supports"]["D9"].value == "Completed"
    preferred = run("pull", docx, workbook, "--prefer", "word")
    assert preferred.exit_code == 0, preferred.output
    assert preferred.output.splitlines()[0] == (
        'Supports!D9 "Review the organizational structure to find FTE f…": Status Completed '
        "→ Dropped (Word preferred over the workbook)"
    )
    assert load_workbook(workbook)["Supports"]["D9"].value == "Dropped"
    assert workbook.with_name("super_excited_division.before-pull-2.xlsx").exists()


def test_a_deleted_control_is_reported_not_unticked(plan: tuple[Path, Path]) -> None:
    workbook, docx = plan
    edit = WordEdit(docx)
    edit.remove("supports|5|done")  # a ticked (Completed) support's box
    edit.save()
    result = run("pull", docx, workbook, "--dry-run")
    assert result.exit_code == 0
    assert result.output.splitlines() == [
        f"warning: {docx}: Supports!D5: the Done box of \"Put 6 meetings on the division "
        "calendar, with dec…\" is no longer in the document (deleted?); nothing was pulled "
        "from it",
        f"{workbook}: 0 changes (dry run: nothing written)",
    ]


def test_a_copied_control_is_not_pulled(plan: tuple[Path, Path]) -> None:
    workbook, docx = plan
    edit = WordEdit(docx)
    box = edit.control("supports|13|done")
    box.addnext(copy.deepcopy(box))
    edit.tick("supports|4|done")
    edit.save()
    # the copy keeps its tag and title: two controls with one key
    result = run("pull", docx, workbook, "--dry-run")
    assert result.exit_code == 1
    assert (
        f"error: {docx}: Supports!D13: the Done box of \"Attend Systems Coaching "
        "Institute 101.\" is in the document 2 times (a row copied?); not pulled: type the "
        "value in the workbook"
    ) in result.output.splitlines()


def test_a_date_that_is_not_a_date_is_an_error_at_its_cell(plan: tuple[Path, Path]) -> None:
    workbook, docx = plan
    edit = WordEdit(docx)
    edit.type_text("supports|9|completed_on", "next spring")
    edit.save()
    result = run("pull", docx, workbook)
    assert result.exit_code == 1
    assert result.output.splitlines()[0] == (
        f"error: {docx}: Supports!F9: the Completed-on date of \"Review the organizational "
        'structure to find FTE f…" is "next spring" in Word, not a date: type it like '
        "January 12, 2023; not pulled"
    )


def test_a_plan_of_another_workbook_is_refused(plan: tuple[Path, Path], tmp_path: Path) -> None:
    _, docx = plan
    other = tmp_path / "maple.xlsx"
    shutil.copyfile(DISTRICT_EXAMPLE, other)
    before = other.read_bytes()
    result = run("pull", docx, other)
    assert result.exit_code == 1
    assert result.output == (
        f'error: {docx}: is the system plan of "Super Excited Division", but {other} holds '
        'the district plan of "Maple Grove Public Schools"; pair it with the workbook of '
        '"Super Excited Division" (nothing was pulled)\n'
    )
    assert other.read_bytes() == before


def test_district_plan_controls_flow_back(tmp_path: Path) -> None:
    workbook = tmp_path / "maple.xlsx"
    shutil.copyfile(DISTRICT_EXAMPLE, workbook)
    assert run("build", workbook, "-o", tmp_path).exit_code == 0
    docx = tmp_path / "maple.docx"
    record = read_document(docx).record
    assert record is not None
    step = next(k for k, v in record.values.items()
                if k.startswith("preparation|") and v["fields"]["status"] == "Not started")
    edit = WordEdit(docx)
    edit.tick(f"{step}|done")
    edit.save()
    result = run("pull", docx, workbook, "--dry-run")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[0].startswith("Preparation!")
    assert result.output.splitlines()[0].endswith("Status Not started → Completed")


# ------------------------------------------------------------------ LibreOffice


def test_libreoffice_open_and_save_keeps_keys_boxes_and_values(
    plan: tuple[Path, Path], tmp_path: Path
) -> None:
    workbook, docx = plan
    untouched = soffice_docx(docx, tmp_path / "lo-plain")
    assert read_document(untouched).fingerprint() == read_document(docx).stored_fingerprint()

    edit_like_word(docx)
    saved = soffice_docx(docx, tmp_path / "lo")
    with zipfile.ZipFile(saved) as archive:  # LibreOffice dropped every tag and title
        assert b"<w:tag " not in archive.read("word/document.xml")
    controls = read_controls(read_document(saved).body)
    assert controls["supports|13|done"][0].checked is True
    assert controls["supports|5|done"][0].checked is True
    assert controls["supports|4|done"][0].checked is False
    assert controls["supports|17|status"][0].text == "In progress"
    assert controls["supports|13|completed_on"][0].text == "February 1, 2023"
    assert len(controls) == len(read_controls(read_document(docx).body))

    refused = run("build", workbook, "-o", saved.parent)
    assert refused.exit_code == 1
    dry = run("pull", saved, workbook, "--dry-run")
    assert dry.exit_code == 0, dry.output
    assert dry.output.splitlines()[:-1] == EXPECTED_CHANGES


def test_pulled_workbook_keeps_lists_messages_comments_widths(
    plan: tuple[Path, Path], tmp_path: Path
) -> None:
    workbook, docx = plan
    edit_like_word(docx)

    def looks(path: Path) -> dict[str, object]:
        book = load_workbook(path)
        return {
            ws.title: (
                sorted((str(dv.sqref), dv.formula1, dv.prompt, dv.type)
                       for dv in ws.data_validations.dataValidation),
                sorted((c.coordinate, c.comment.text) for row in ws.iter_rows()
                       for c in row if c.comment),
                {k: round(d.width, 2) for k, d in ws.column_dimensions.items() if d.width},
            )
            for ws in book.worksheets
            if ws.title != "_plangen_pulls"
        }

    before_bytes, before = workbook.read_bytes(), looks(workbook)
    assert run("pull", docx, workbook).exit_code == 0
    assert looks(workbook) == before
    assert workbook.with_name("super_excited_division.before-pull-1.xlsx").read_bytes() == (
        before_bytes
    )
    validated = run("validate", workbook)
    assert validated.exit_code == 0, validated.output
    # LibreOffice opens it: saved again by LibreOffice, the lists and messages are there
    profile = tmp_path / "profile"
    subprocess.run(
        [find_soffice(), f"-env:UserInstallation={profile.as_uri()}", "--headless",
         "--convert-to", "xlsx", "--outdir", str(tmp_path / "lo"), str(workbook)],
        check=True, capture_output=True, timeout=180,
    )
    again = load_workbook(tmp_path / "lo" / workbook.name)
    supports = again["Supports"]
    assert supports["D13"].value == "Completed"
    prompts = {dv.prompt for dv in supports.data_validations.dataValidation}
    assert any(p and "Completed" in p for p in prompts)
    assert any(c.comment for row in supports.iter_rows(max_row=3) for c in row)


# ------------------------------------------------------------------ batch


def test_batch_keeps_an_edited_plan_and_builds_the_others(tmp_path: Path) -> None:
    books = tmp_path / "workbooks"
    books.mkdir()
    for name in ("east", "west"):
        shutil.copyfile(SYSTEM_EXAMPLE, books / f"{name}.xlsx")
    shutil.copyfile(DISTRICT_EXAMPLE, books / "maple.xlsx")
    plans = tmp_path / "plans"
    first = run("batch", books, "-o", plans, "--jobs", "1")
    assert first.exit_code == 0, first.output
    east = plans / "east.docx"
    edit_like_word(east)
    edited = east.read_bytes()
    west_before = (plans / "west.docx").read_bytes()
    for name in ("east", "west"):  # both workbooks change: both plans are due again
        set_cell(books / f"{name}.xlsx", "Supports", "D4", "Completed")
        set_cell(books / f"{name}.xlsx", "Supports", "F4", date(2023, 1, 9))

    again = run("batch", books, "-o", plans, "--jobs", "1")
    assert again.exit_code == 1
    assert east.read_bytes() == edited
    assert (plans / "west.docx").read_bytes() != west_before
    assert "[1/3] skipped: maple.xlsx" in again.output
    assert "edited: east.xlsx" in again.output and "built: west.xlsx" in again.output
    assert (
        "3 workbooks: 1 built, 1 skipped (unchanged), 0 invalid, 0 failed, 1 edited in Word "
        "(not replaced)"
    ) in " ".join(again.output.split())
    rows = {
        line.split(",")[0]: line
        for line in (plans / "summary.csv").read_text(encoding="utf-8-sig").splitlines()
    }
    assert ",edited,\"" in rows["east.xlsx"]
    assert f"{east}: was edited since plangen wrote it; not replaced." in rows["east.xlsx"]
    assert ",built," in rows["west.xlsx"]
    sheet = load_workbook(plans / "summary.xlsx")["Summary"]
    header = [c.value for c in sheet[1]]
    column = header.index("Status")
    statuses = {r[0].value: r[column].value for r in sheet.iter_rows(min_row=2)}
    assert statuses == {"east.xlsx": "edited", "maple.xlsx": "built", "west.xlsx": "built"}

    pulled = run("pull", plans, books, "--dry-run")
    assert pulled.exit_code == 0, pulled.output
    lines = pulled.output.splitlines()
    start = lines.index(f"{east} -> {books / 'east.xlsx'}")
    assert lines[start + 1 : start + 5] == EXPECTED_CHANGES
    assert f"{books / 'west.xlsx'}: 0 changes (dry run: nothing written)" in lines
    assert lines[-1] == "3 plans: 3 pulled cleanly, 0 to look at (conflicts or problems above)"

    forced = run("batch", books, "-o", plans, "--jobs", "1", "--force")
    assert forced.exit_code == 0, forced.output
    kept = plans / "east.edited-1.docx"
    assert f"kept the edited plan as {kept}" in forced.output.splitlines()
    assert kept.read_bytes() == edited
    assert read_document(east).fingerprint() == read_document(east).stored_fingerprint()

    # copies kept by pull are not workbooks of the batch, nor plans of pull
    shutil.copyfile(books / "west.xlsx", books / "west.before-pull-1.xlsx")
    rerun = run("batch", books, "-o", plans, "--jobs", "1")
    assert "3 workbooks: 0 built, 3 skipped" in rerun.output
    assert not (plans / "west.before-pull-1.docx").exists()
    assert str(kept) not in run("pull", plans, books, "--dry-run").output


@pytest.mark.parametrize("example", sorted(p.name for p in EXAMPLES.glob("*.xlsx")))
def test_every_check_box_in_a_plan_flows_back(example: str, tmp_path: Path) -> None:
    """A box staff can tick in Word is one `plangen pull` brings back: it carries a
    plangen key. A choice made in the workbook (a focus area selected) is a mark, not a
    box, so no tick is ever stranded in the document."""
    out = tmp_path / "plan.docx"
    plangen.write(plangen.load(EXAMPLES / example), out)
    body = Document(str(out)).element.body
    boxes = [
        el.getparent().getparent() for el in body.iter(f"{{{W14}}}checkbox")
    ]  # checkbox -> sdtPr -> sdt
    tags = [sdt.find(f"{{{W}}}sdtPr/{{{W}}}tag") for sdt in boxes]
    assert boxes
    assert [t is not None and t.get(f"{{{W}}}val", "").startswith("plangen ") for t in tags] == [
        True
    ] * len(boxes)
