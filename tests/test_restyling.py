"""A TA center's own look (docs/restyling.md): the look comes from the template's styles,
and a template restyled and saved again still builds the same plan."""

from __future__ import annotations

import re
import subprocess
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from docx import Document
from test_render import EXAMPLE, GOLDEN, document_text

from plangen.cli import cli
from plangen.pdf.convert import find_soffice
from plangen.pipeline import build


def export(tmp_path: Path) -> Path:
    template = tmp_path / "ours.docx"
    result = CliRunner().invoke(cli, ["template", "export", "system", str(template)])
    assert result.exit_code == 0, result.output
    return template


def without_page_numbers(text: str) -> str:
    """Plan text with the page numbers of fields taken out (they follow the layout)."""
    text = re.sub(r"\t\d+$", "\t#", text, flags=re.M)
    return re.sub(r"Page \d+ of \d+", "Page # of #", text)


def test_a_heading_colour_changed_in_the_styles_reaches_every_heading(tmp_path: Path) -> None:
    template = export(tmp_path)
    restyled = tmp_path / "red.docx"
    with zipfile.ZipFile(template) as src, zipfile.ZipFile(restyled, "w") as out:
        for item in src.infolist():
            data = src.read(item)
            if item.filename == "word/styles.xml":  # what Modify Style › Font colour does
                data = data.replace(
                    b'<w:color w:val="1F3864"/><w:sz w:val="30"/>',
                    b'<w:color w:val="C00000"/><w:sz w:val="30"/>',
                )
            out.writestr(item, data)
    doc = Document(str(build(EXAMPLE, tmp_path / "out", template=restyled).docx))
    assert str(doc.styles["Heading 1"].font.color.rgb) == "C00000"
    headings = [p for p in doc.paragraphs if p.style.name == "Heading 1"]
    assert len(headings) == 7
    assert all(r.font.color.rgb is None for p in headings for r in p.runs)  # no direct colour


@pytest.mark.skipif(not __import__("shutil").which("soffice"), reason="needs LibreOffice")
def test_a_template_saved_by_libreoffice_builds_the_same_plan(tmp_path: Path) -> None:
    template = export(tmp_path)
    saved = tmp_path / "saved"
    subprocess.run(
        [
            find_soffice(),
            "--headless",
            f"-env:UserInstallation={(tmp_path / 'p').as_uri()}",
            "--convert-to",
            "docx:MS Word 2007 XML",
            "--outdir",
            str(saved),
            str(template),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    check = CliRunner().invoke(
        cli, ["template", "check", str(saved / "ours.docx"), "--kind", "system"]
    )
    assert check.exit_code == 0, check.output
    built = build(EXAMPLE, tmp_path / "out", template=saved / "ours.docx").docx
    expected = without_page_numbers(GOLDEN.read_text(encoding="utf-8"))
    assert without_page_numbers(document_text(built)) == expected
    with zipfile.ZipFile(built) as archive:
        assert len([n for n in archive.namelist() if n.startswith("word/charts/chart")]) == 3


def test_quotes_saved_as_entities_by_libreoffice_still_work_in_tags(tmp_path: Path) -> None:
    template = tmp_path / "quoted.docx"
    doc = Document()
    doc.add_paragraph("{{ district ~ ' plan' }}{% if coordinator %} by {{ \"x\" }}{% endif %}")
    doc.save(str(template))
    with zipfile.ZipFile(template) as src:
        items = [(i, src.read(i)) for i in src.infolist()]
    with zipfile.ZipFile(template, "w") as out:
        for item, data in items:
            if item.filename == "word/document.xml":  # as LibreOffice writes the text
                data = data.replace(b"' plan'", b"&apos; plan&apos;").replace(
                    b'"x"', b"&quot;x&quot;"
                )
            out.writestr(item, data)
    check = CliRunner().invoke(cli, ["template", "check", str(template), "--kind", "system"])
    assert check.exit_code == 0, check.output
    built = build(EXAMPLE, tmp_path / "out", template=template).docx
    assert Document(str(built)).paragraphs[0].text == "Super Excited Division plan by x"


def test_charts_take_the_colour_of_the_heading_1_style(tmp_path: Path) -> None:
    template = export(tmp_path)
    restyled = tmp_path / "green.docx"
    with zipfile.ZipFile(template) as src, zipfile.ZipFile(restyled, "w") as out:
        for item in src.infolist():
            data = src.read(item)
            if item.filename == "word/styles.xml":
                data = data.replace(
                    b'<w:color w:val="1F3864"/><w:sz w:val="30"/>',
                    b'<w:color w:val="2E7D32"/><w:sz w:val="30"/>',
                )
            out.writestr(item, data)
    built = build(EXAMPLE, tmp_path / "out", template=restyled).docx
    with zipfile.ZipFile(built) as archive:
        bars = archive.read("word/charts/chart2.xml").decode()
    assert '<a:srgbClr val="2E7D32"/>' in bars and "1F3864" not in bars
