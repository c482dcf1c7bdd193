"""The example builds end to end through the real command."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner
from docx import Document

from plangen.cli import cli


def test_build_example_writes_a_plan_naming_the_division(system_example: Path, tmp_path: Path):
    result = CliRunner().invoke(cli, ["build", str(system_example), "-o", str(tmp_path)])
    assert result.exit_code == 0, result.output
    doc = Document(str(tmp_path / "super_excited_division.docx"))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "Super Excited Division" in text
    assert doc.core_properties.title.endswith("Super Excited Division")
