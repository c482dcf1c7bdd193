"""Broken and hostile workbooks: every one gets a clear answer, nothing crashes or is lost."""

from __future__ import annotations

import gc
import os
import resource
import subprocess
import time
import uuid
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import corpus
import pytest
from click.testing import CliRunner, Result
from docx import Document

from plangen import load
from plangen.cli import cli

SLOW_SECONDS = 10


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
    (corpus.entity_bomb_late, "unrecognized entity"),
    (corpus.ods_entity_bomb, "declares XML entities"),
    (corpus.ods_zip_bomb, "refused unread as a zip bomb"),
    (corpus.odt_renamed, "is a zip file but not a spreadsheet"),
]


@pytest.mark.parametrize(
    ("builder", "phrase"), FILE_CASES, ids=lambda c: getattr(c, "__name__", "")
)
def test_unreadable_files_are_refused_in_plain_words(builder, phrase, tmp_path: Path):
    check_refused(builder(tmp_path), tmp_path, phrase)


def test_zip_bomb_is_refused_from_its_directory_fast_and_small(tmp_path: Path):
    bomb = corpus.zip_bomb(tmp_path)
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.monotonic()
    check_refused(bomb, tmp_path, "refused unread")
    assert time.monotonic() - started < 3
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
        ({"Supports!D4": "Finished"}, "Supports!D4: Status: expected one of"),
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
