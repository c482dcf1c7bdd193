"""The library as docs/library.md shows it: its example runs and builds a real plan."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from docx import Document

import plangen

LIBRARY_PAGE = Path(__file__).resolve().parent.parent / "docs" / "library.md"


def python_blocks(page: Path) -> list[str]:
    return re.findall(r"```python\n(.*?)```", page.read_text(encoding="utf-8"), re.S)


def test_the_documented_example_builds_a_plan(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    blocks = python_blocks(LIBRARY_PAGE)
    assert blocks, "docs/library.md has no python example"
    monkeypatch.chdir(tmp_path)
    for code in blocks:
        exec(compile(code, str(LIBRARY_PAGE), "exec"), {"__name__": "__doc_example__"})
    docx = tmp_path / "plans" / "super_excited_division.docx"
    text = "\n".join(p.text for p in Document(str(docx)).paragraphs)
    assert "Super Excited Division" in text
    example = plangen.example_workbook(plangen.get_kind("system"))
    headline = plangen.load(example, as_of=date(2023, 2, 15)).require_summary().headline
    assert capsys.readouterr().out.splitlines()[-1] == (
        f"wrote {Path('plans') / 'super_excited_division.docx'} - {headline}"
    )
    assert headline in text


def test_every_documented_name_is_exported() -> None:
    table = LIBRARY_PAGE.read_text(encoding="utf-8").split("## The functions", 1)[1]
    names = set(re.findall(r"^\| `(\w+)", table, re.M)) | {"KINDS", "get_kind"}
    assert names <= set(plangen.__all__), names - set(plangen.__all__)
    assert all(callable(getattr(plangen, n)) for n in names - {"KINDS"})


def test_write_refuses_an_invalid_plan_and_writes_nothing(tmp_path: Path) -> None:
    blank = plangen.new_workbook(plangen.get_kind("system"), tmp_path / "blank.xlsx")
    loaded = plangen.load(blank)
    assert not loaded.valid and loaded.summary is None
    with pytest.raises(plangen.InvalidPlan) as caught:
        plangen.write(loaded, tmp_path / "plan.docx")
    assert caught.value.report is loaded.report
    assert not (tmp_path / "plan.docx").exists()


def test_write_refuses_to_overwrite_its_workbook(tmp_path: Path) -> None:
    workbook = plangen.new_workbook(
        plangen.get_kind("district"), tmp_path / "d.xlsx", example=True
    )
    before = workbook.read_bytes()
    with pytest.raises(plangen.OutputError, match="would overwrite the workbook"):
        plangen.write(plangen.load(workbook), workbook)
    assert workbook.read_bytes() == before


def test_every_public_name_can_be_imported() -> None:
    assert set(plangen.__all__) == {"__version__", *plangen._EXPORTS}
    for name in plangen.__all__:
        assert getattr(plangen, name) is not None, name
    assert set(plangen.__all__) <= set(dir(plangen))
    with pytest.raises(AttributeError, match="no attribute 'pipline'"):
        plangen.pipline  # noqa: B018
