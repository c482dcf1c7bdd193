"""`plangen batch`: every workbook of a folder, a summary across them, resumable."""

from __future__ import annotations

import csv
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner
from conftest import example_copy, example_path
from docx import Document

from plangen.cli import cli


@pytest.fixture
def mixed_folder(system_example: Path, tmp_path: Path) -> Path:
    """Good, invalid and broken workbooks, a lock file, hidden files, a repeated name."""
    folder = tmp_path / "in"
    example_copy(folder / "north" / "plan.xlsx", {"Plan!B4": "North Division"})
    example_copy(folder / "south" / "plan.xlsx", {"Plan!B4": "South Division"})
    example_copy(folder / "east.xlsx", {"Plan!B4": "East Division"})
    example_copy(folder / "invalid.xlsx", {"Plan!B4": ""})
    (folder / "broken.xlsx").write_text("not a workbook")
    (folder / "~$east.xlsx").write_text("Office lock file")
    (folder / ".hidden.xlsx").write_text("hidden")
    (folder / ".cache").mkdir()
    (folder / ".cache" / "old.xlsx").write_text("hidden folder")
    return folder


def _docx_text(path: Path) -> str:
    return "\n".join(p.text for p in Document(str(path)).paragraphs)


def test_batch_builds_every_good_plan_and_summarizes_all(mixed_folder: Path, tmp_path: Path):
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["batch", str(mixed_folder), "-o", str(out), "-j", "2"])

    assert result.exit_code == 1, result.output
    assert "Division or district is required" in result.output
    assert "5 workbooks: 3 built, 0 skipped (unchanged), 1 invalid, 1 failed" in result.output
    assert "North Division" in _docx_text(out / "north" / "plan.docx")
    assert "South Division" in _docx_text(out / "south" / "plan.docx")
    assert (out / "east.docx").is_file()
    assert not (out / "invalid.docx").exists() and not (out / "broken.docx").exists()
    assert not list(out.rglob("*.part"))

    book = openpyxl.load_workbook(out / "summary.xlsx")
    sheet = book.active
    rows = list(sheet.iter_rows(values_only=True))
    header = rows[0]
    by_file = {r[0]: dict(zip(header, r, strict=True)) for r in rows[1:]}
    assert sorted(by_file) == [
        "broken.xlsx",
        "east.xlsx",
        "invalid.xlsx",
        "north/plan.xlsx",
        "south/plan.xlsx",
    ]
    assert by_file["south/plan.xlsx"]["District"] == "South Division"
    assert by_file["south/plan.xlsx"]["Status"] == "built"
    assert by_file["invalid.xlsx"]["Status"] == "invalid"
    assert "Plan!B" in by_file["invalid.xlsx"]["First problem"]
    assert by_file["broken.xlsx"]["Status"] == "failed"
    north = by_file["north/plan.xlsx"]
    assert (north["Supports completed"], north["Supports planned"]) == (13, 26)
    assert north["Adherence %"] == 50
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == f"A1:{openpyxl.utils.get_column_letter(len(header))}{len(rows)}"
    rules = [rule for cf in sheet.conditional_formatting for rule in cf.rules]
    fills = {rule.dxf.fill.fgColor.rgb[-6:] for rule in rules}
    assert fills == {"C6EFCE", "FFEB9C", "FFC7CE"}  # green, amber, red on adherence %

    with (out / "summary.csv").open(encoding="utf-8-sig", newline="") as fh:
        csv_rows = list(csv.DictReader(fh))
    assert [(r["File"], r["Status"]) for r in csv_rows] == [
        ("broken.xlsx", "failed"),
        ("east.xlsx", "built"),
        ("invalid.xlsx", "invalid"),
        ("north/plan.xlsx", "built"),
        ("south/plan.xlsx", "built"),
    ]


def test_rerun_skips_unchanged_plans_but_keeps_their_figures(system_example: Path, tmp_path):
    folder, out = tmp_path / "in", tmp_path / "out"
    example_copy(folder / "a.xlsx")
    changed = example_copy(folder / "b.xlsx")
    runner = CliRunner()
    assert runner.invoke(cli, ["batch", str(folder), "-o", str(out), "-j", "1"]).exit_code == 0
    first = (out / "a.docx").stat().st_mtime_ns
    example_copy(changed, {"Plan!B4": "Changed Division"})

    again = runner.invoke(cli, ["batch", str(folder), "-o", str(out), "-j", "1"])

    assert again.exit_code == 0, again.output
    assert "1 built, 1 skipped (unchanged)" in again.output
    assert (out / "a.docx").stat().st_mtime_ns == first
    assert "Changed Division" in _docx_text(out / "b.docx")
    with (out / "summary.csv").open(encoding="utf-8-sig", newline="") as fh:
        rows = {r["File"]: r for r in csv.DictReader(fh)}
    assert rows["a.xlsx"]["Status"] == "built"
    assert rows["a.xlsx"]["Supports completed"] == "13"

    forced = runner.invoke(cli, ["batch", str(folder), "-o", str(out), "-j", "1", "--force"])
    assert "2 built, 0 skipped" in forced.output


def test_killed_batch_resumes_without_rebuilding_or_leaving_partial_files(
    system_example: Path, tmp_path: Path
):
    folder, out = tmp_path / "in", tmp_path / "out"
    for i in range(8):
        example_copy(folder / f"plan{i}.xlsx")
    command = [sys.executable, "-m", "plangen", "batch", str(folder), "-o", str(out), "-j", "1"]
    proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 60
    while not list(out.glob("*.docx")) and time.monotonic() < deadline:
        time.sleep(0.01)
    proc.send_signal(signal.SIGTERM)
    proc.communicate(timeout=30)
    done = {p.name: p.stat().st_mtime_ns for p in out.glob("*.docx")}
    assert 1 <= len(done) < 8
    assert not list(out.rglob("*.part"))

    rerun = subprocess.run(command, capture_output=True, text=True, timeout=120)

    assert rerun.returncode == 0, rerun.stdout + rerun.stderr
    skipped = re.findall(r"skipped: (plan\d)\.xlsx", rerun.stdout)
    assert len(skipped) >= len(done) - 1  # the one finishing as it was killed may rebuild
    assert f"8 workbooks: {8 - len(skipped)} built, {len(skipped)} skipped" in rerun.stdout
    for name in skipped:
        assert (out / f"{name}.docx").stat().st_mtime_ns == done[f"{name}.docx"]
    assert len(list(out.glob("*.docx"))) == 8
    assert not list(out.rglob("*.part"))


def test_partial_files_of_a_dead_process_are_removed_and_live_ones_kept(system_example, tmp_path):
    folder, out = tmp_path / "in", tmp_path / "out"
    example_copy(folder / "a.xlsx")
    out.mkdir()
    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()
    stale = out / f".pg{gone.pid}-x1y2.part"
    stale.write_bytes(b"half a document of a killed batch")
    in_progress = out / f".pg{os.getpid()}-a9b8.part"
    in_progress.write_bytes(b"a document another running process is writing")

    result = CliRunner().invoke(cli, ["batch", str(folder), "-o", str(out)])

    assert result.exit_code == 0, result.output
    assert not stale.exists()
    assert in_progress.read_bytes() == b"a document another running process is writing"
    assert (out / "a.docx").is_file()


def test_a_folder_without_workbooks_is_a_usage_error(tmp_path: Path):
    result = CliRunner().invoke(cli, ["batch", str(tmp_path), "-o", str(tmp_path / "out")])
    assert result.exit_code == 2
    assert "no .xlsx or .xlsm workbooks found" in result.output


def test_pdf_and_combine_make_one_pdf_per_plan_and_a_bookmarked_whole(
    system_example: Path, tmp_path: Path
):
    pytest.importorskip("plangen.pdf.convert")
    from pypdf import PdfReader

    folder, out = tmp_path / "in", tmp_path / "out"
    example_copy(folder / "b.xlsx", {"Plan!B4": "Beta Division"})
    example_copy(folder / "a.xlsx", {"Plan!B4": "Alpha Division"})

    result = CliRunner().invoke(
        cli, ["batch", str(folder), "-o", str(out), "--pdf", "--combine"], catch_exceptions=False
    )

    assert result.exit_code == 0, result.output
    assert "Alpha Division" in PdfReader(out / "a.pdf").pages[0].extract_text()
    combined = PdfReader(out / "all-plans.pdf")
    assert [item.title for item in combined.outline] == ["Alpha Division", "Beta Division"]
    assert len(combined.pages) == len(PdfReader(out / "a.pdf").pages) * 2


def test_a_folder_of_both_kinds_builds_both_and_lists_both(tmp_path: Path):
    folder = tmp_path / "in"
    for kind in ("system", "district"):
        example_copy(folder / example_path(kind).name, kind=kind)
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["batch", str(folder), "-o", str(out), "--jobs", "1"])
    assert result.exit_code == 0, result.output
    with (out / "summary.csv").open(encoding="utf-8-sig") as handle:
        rows = {row["District"]: row for row in csv.DictReader(handle)}
    assert rows["Super Excited Division"]["Plan kind"] == "System Coaching Service Delivery Plan"
    assert rows["Super Excited Division"]["Focus areas"] == "Leadership/Teaming; Coaching"
    district = rows["Maple Grove Public Schools"]
    assert district["Plan kind"] == "District Individualized Coaching Service Delivery Plan"
    assert district["Focus areas"] == "Team operating procedures; Data-based decision making"
    assert (district["Supports completed"], district["Supports planned"]) == ("7", "12")
    assert (out / "maple_grove_public_schools.docx").is_file()
    assert (out / "super_excited_division.docx").is_file()
