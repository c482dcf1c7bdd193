"""PDF plans through real LibreOffice: text, pages, fonts, bad input, joined PDFs."""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from conftest import SYSTEM_EXAMPLE
from pypdf import PdfReader, PdfWriter

from plangen.cli import cli
from plangen.errors import ConversionError
from plangen.pdf.convert import Converter, combine_pdfs, convert_many, find_soffice
from plangen.pdf.office import WarmOffice, uno_python
from plangen.pdf.profile import new_profile, office_version

EXAMPLE_PAGES = 9


def run(*args: str | Path) -> Result:
    return CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)


def words(reader: PdfReader) -> str:
    """All the text of a PDF, whitespace collapsed (lines wrap differently than in Word)."""
    return re.sub(r"\s+", " ", " ".join(page.extract_text() for page in reader.pages))


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example plan built with `plangen build --pdf`; the folder holding .docx and .pdf."""
    out = tmp_path_factory.mktemp("built")
    result = run("build", SYSTEM_EXAMPLE, "-o", out, "--pdf")
    assert result.exit_code == 0, result.output
    assert f"wrote {out / 'super_excited_division.pdf'}" in result.output
    return out


def test_built_pdf_holds_the_plan(built: Path) -> None:
    reader = PdfReader(built / "super_excited_division.pdf")
    text = words(reader)
    assert len(reader.pages) == EXAMPLE_PAGES
    assert "Super Excited Division" in text
    assert "By June 2023 the DLT will show strong team operating procedures" in text
    assert "13/26 coaching supports completed (50%)" in text
    assert f"Page 1 of {EXAMPLE_PAGES}" in text


def test_built_pdf_uses_metric_compatible_fonts(built: Path) -> None:
    reader = PdfReader(built / "super_excited_division.pdf")
    fonts = {
        str(font["/BaseFont"]).split("+")[-1]
        for page in reader.pages
        for font in page["/Resources"]["/Font"].values()
    }
    assert "Carlito" in fonts  # Calibri's metric twin: the lines break as in Word
    assert not {f for f in fonts if f.startswith(("Liberation", "DejaVuSans-Bold"))}


def test_corrupt_docx_gives_an_error_not_a_pdf(built: Path, tmp_path: Path) -> None:
    bad = tmp_path / "bad.docx"
    data = (built / "super_excited_division.docx").read_bytes()
    bad.write_bytes(data[: len(data) // 2])
    good = shutil.copy(built / "super_excited_division.docx", tmp_path / "good.docx")
    results = convert_many([bad, Path(good)])
    assert isinstance(results[bad], ConversionError)
    assert str(results[bad]) == (
        f"{bad}: LibreOffice could not convert it to PDF (not a readable Word document?)"
    )
    assert not (tmp_path / "bad.pdf").exists()
    assert results[Path(good)] == tmp_path / "good.pdf"
    assert len(PdfReader(tmp_path / "good.pdf").pages) == EXAMPLE_PAGES
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.docx", "good.docx", "good.pdf"]


def test_time_out_kills_libreoffice_and_writes_nothing(tmp_path: Path) -> None:
    """A 500-page document takes LibreOffice several seconds of CPU (16 s here), far past
    the 1 s allowed: a busy machine only makes it slower, never a pass by chance."""
    from docx import Document

    doc = Document()
    for i in range(6000):
        doc.add_paragraph(f"Paragraph {i}: " + "The coaching team meets each month. " * 7)
    docx = tmp_path / "slow.docx"
    doc.save(str(docx))
    outcome = convert_many([docx], timeout=1)[docx]
    assert isinstance(outcome, ConversionError)
    assert "did not finish within 1 s" in str(outcome)
    assert not (tmp_path / "slow.pdf").exists()


def blank_pdf(path: Path, pages: int) -> Path:
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=612, height=792)
    writer.write(path)
    return path


def test_combine_pdfs_bookmarks_each_part(built: Path, tmp_path: Path) -> None:
    items = [
        ("Super Excited Division", built / "super_excited_division.pdf"),
        ("Maple Grove", blank_pdf(tmp_path / "a.pdf", 2)),
        ("Cedar Falls", blank_pdf(tmp_path / "b.pdf", 1)),
    ]
    target = combine_pdfs(items, tmp_path / "all-plans.pdf")
    reader = PdfReader(target)
    assert len(reader.pages) == EXAMPLE_PAGES + 3
    marks = [(m.title, reader.get_destination_page_number(m)) for m in reader.outline]
    assert marks == [
        ("Super Excited Division", 0),
        ("Maple Grove", EXAMPLE_PAGES),
        ("Cedar Falls", EXAMPLE_PAGES + 2),
    ]


def test_build_without_libreoffice_still_writes_the_docx(
    system_example: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PLANGEN_SOFFICE", str(tmp_path / "no-such-soffice"))
    result = run("build", system_example, "-o", tmp_path, "--pdf")
    docx = tmp_path / "super_excited_division.docx"
    assert result.exit_code == 1
    assert docx.is_file()
    assert not (tmp_path / "super_excited_division.pdf").exists()
    assert (
        f"error: {docx} was written, but not its PDF: LibreOffice not found: "
        f"PLANGEN_SOFFICE={tmp_path / 'no-such-soffice'} is not a program that can be run"
    ) in result.output
    assert "hint: sudo apt-get install libreoffice-writer-nogui" in result.output


def test_page_one_shows_the_plan_at_a_glance(built: Path) -> None:
    page_one = re.sub(
        r"\s+", " ", PdfReader(built / "super_excited_division.pdf").pages[0].extract_text()
    )
    assert "At a glance" in page_one
    # the tiles' labels are the table's header row, then their values (a screen reader
    # names each value by its label)
    for row in (
        "Coaching supports completed On track Next review due Past their target date",
        "50% 13 of 26 planned Partly at the latest review June 30, 2023 End-Year Review "
        "(May/June) 1 coaching support not done in time",
    ):
        assert row in page_one


def test_contents_give_the_page_each_section_starts_on(built: Path) -> None:
    reader = PdfReader(built / "super_excited_division.pdf")
    page_one = reader.pages[0].extract_text()
    starts = {}
    for number, page in enumerate(reader.pages, 1):
        for line in page.extract_text().splitlines() if number > 1 else []:
            if line.strip() in ("4. Coaching Process", "Adherence Summary"):
                starts.setdefault(line.strip(), number)
    # the contents line itself is on page 1; the section's heading is on a later page
    coaching = re.search(r"4\. Coaching Process\.+\s*(\d+)", page_one)
    summary = re.search(r"Adherence Summary\.+\s*(\d+)", page_one)
    assert coaching and summary, page_one
    assert int(coaching.group(1)) == starts["4. Coaching Process"] > 1
    assert int(summary.group(1)) == starts["Adherence Summary"] > 1


def test_libreoffice_draws_the_charts_into_the_pdf(built: Path) -> None:
    text = words(PdfReader(built / "super_excited_division.pdf"))
    assert "Completed at each review Planned pace (to 100% at the plan's end)" in text
    assert "Division Leadership Team (60%)" in text
    assert "Goal 1 (63%)" in text and "Goal 2 (40%)" in text
    assert "█" not in text


def test_the_profile_plangen_makes_spares_libreoffices_first_start_self_tests(
    built: Path, tmp_path: Path
) -> None:
    """A new profile looks to LibreOffice like an upgrade, and on an upgrade it first runs
    drawing self-tests (two thirds of a start). plangen's profile says this version has
    run before: no self-tests, the same PDF."""
    soffice = find_soffice()
    assert re.fullmatch(r"\d+\.\d+", office_version(soffice) or "")
    docx = built / "super_excited_division.docx"
    profiles = {"plain": tmp_path / "plain", "plangen": new_profile(tmp_path / "plangen", soffice)}
    for name, profile in profiles.items():
        subprocess.run(
            [soffice, "--headless", f"-env:UserInstallation={profile.as_uri()}",
             "--convert-to", "pdf", "--outdir", str(tmp_path / f"{name}-pdf"), str(docx)],
            check=True, capture_output=True, timeout=180,
        )  # fmt: skip
    assert (profiles["plain"] / "user" / "GraphicsRenderTests.log").is_file()  # they ran
    assert not (profiles["plangen"] / "user" / "GraphicsRenderTests.log").exists()
    plain, ours = (
        PdfReader(tmp_path / f"{name}-pdf" / "super_excited_division.pdf") for name in profiles
    )
    assert len(ours.pages) == len(plain.pages) == EXAMPLE_PAGES
    assert words(ours) == words(plain)


def test_a_libreoffice_of_unknown_version_gets_a_profile_it_makes_itself(tmp_path: Path) -> None:
    installed = tmp_path / "office" / "program" / "soffice"
    installed.parent.mkdir(parents=True)
    installed.write_text("#!/bin/sh\n")
    assert office_version(str(installed)) is None  # no settings beside it: nothing guessed
    profile = new_profile(tmp_path / "profile", str(installed))
    assert list((profile / "user").iterdir()) == []
    registry = tmp_path / "office" / "share" / "registry"
    registry.mkdir(parents=True)
    (registry / "main.xcd").write_text(
        '<prop oor:name="ooSetupVersion">\n  <value>25.8</value>\n</prop>', encoding="utf-8"
    )
    office_version.cache_clear()
    assert office_version(str(installed)) == "25.8"
    settings = new_profile(tmp_path / "second", str(installed)) / "user"
    assert "<value>25.8</value>" in (settings / "registrymodifications.xcu").read_text()


@pytest.mark.skipif(uno_python() is None, reason="needs LibreOffice's uno module (python3-uno)")
def test_a_libreoffice_kept_running_converts_again_after_it_died(
    built: Path, tmp_path: Path
) -> None:
    docx = built / "super_excited_division.docx"
    with WarmOffice(find_soffice(), uno_python() or "") as office:
        office.convert(docx, tmp_path / "first.pdf")
        assert office.starts == 1
        office.convert(docx, tmp_path / "second.pdf")
        assert office.starts == 1  # the same LibreOffice, not a new start
        assert office._office is not None
        os.killpg(office._office.pid, signal.SIGKILL)
        office.convert(docx, tmp_path / "third.pdf")
        assert office.starts == 2
    for name in ("first", "second", "third"):
        assert len(PdfReader(tmp_path / f"{name}.pdf").pages) == EXAMPLE_PAGES


@pytest.mark.skipif(uno_python() is None, reason="needs LibreOffice's uno module (python3-uno)")
def test_a_damaged_document_does_not_stop_the_converter(built: Path, tmp_path: Path) -> None:
    bad = tmp_path / "bad.docx"
    bad.write_bytes(b"PK\x03\x04" + b"not a document" * 50)
    good = Path(shutil.copy(built / "super_excited_division.docx", tmp_path / "good.docx"))
    with Converter(jobs=1) as converter:
        failed, made = converter.submit(bad), converter.submit(good)
        with pytest.raises(ConversionError, match="not a readable Word document"):
            failed.result()
        assert made.result() == tmp_path / "good.pdf"
    assert not (tmp_path / "bad.pdf").exists()
    assert words(PdfReader(tmp_path / "good.pdf")).startswith(
        words(PdfReader(built / "super_excited_division.pdf"))[:200]
    )


def _processes_naming(text: str) -> list[int]:
    """Live processes whose command line holds `text`."""
    found = []
    for entry in Path("/proc").iterdir():
        try:
            if entry.name.isdigit() and text.encode() in (entry / "cmdline").read_bytes():
                stat = (entry / "stat").read_text().rsplit(")", 1)[1].split()
                if stat[0] != "Z":
                    found.append(int(entry.name))
        except OSError:
            continue
    return found


@pytest.mark.skipif(uno_python() is None, reason="needs LibreOffice's uno module (python3-uno)")
def test_kill_9_of_a_batch_with_pdf_leaves_no_libreoffice_and_no_profile(tmp_path: Path) -> None:
    folder, out, temp = tmp_path / "in", tmp_path / "out", tmp_path / "temp"
    folder.mkdir()
    temp.mkdir()
    for i in range(8):
        shutil.copy(SYSTEM_EXAMPLE, folder / f"plan{i}.xlsx")
    proc = subprocess.Popen(
        [sys.executable, "-m", "plangen", "batch", str(folder), "-o", str(out), "--pdf"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={**os.environ, "TMPDIR": str(temp)},
    )
    deadline = time.monotonic() + 120
    while not list(out.glob("*.pdf")) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert _processes_naming(str(temp))  # LibreOffice is running, converting
    proc.kill()
    proc.wait()
    deadline = time.monotonic() + 15
    while (_processes_naming(str(temp)) or list(temp.iterdir())) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert _processes_naming(str(temp)) == []
    assert list(temp.glob("plangen-office-*")) == []


def test_without_the_uno_module_batch_pdf_still_makes_every_pdf(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PLANGEN_UNO_PYTHON", "")
    uno_python.cache_clear()
    try:
        folder = tmp_path / "in"
        folder.mkdir()
        for name in ("a", "b", "c"):
            shutil.copy(SYSTEM_EXAMPLE, folder / f"{name}.xlsx")
        result = run("batch", folder, "-o", tmp_path / "out", "--pdf", "-j", "2")
        assert result.exit_code == 0, result.output
        assert sorted(p.name for p in (tmp_path / "out").glob("*.pdf")) == [
            "a.pdf",
            "b.pdf",
            "c.pdf",
        ]
    finally:
        uno_python.cache_clear()
