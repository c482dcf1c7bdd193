"""What every declared plan kind must do, checked for each kind in the registry.

Adding a kind adds its cases here by itself: its blank workbook, its example built and
compared line by line with `tests/golden/<example name>.txt`, every text typed in the
example reaching the plan, its template fields and its built-in template.
Set PLANGEN_UPDATE_GOLDEN=1 to rewrite a missing or changed golden file (read the diff).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook
from test_render import document_text

from plangen.cli import cli
from plangen.document.render import default_template
from plangen.kinds import KINDS
from plangen.pipeline import build, load
from plangen.schema import FieldType, PlanKind

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = Path(__file__).parent / "golden"
ALL = pytest.mark.parametrize("kind", list(KINDS.values()), ids=list(KINDS))


def example(kind: PlanKind) -> Path:
    return ROOT / "input_examples" / kind.example


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Every kind's example built once: kind name -> .docx."""
    out = tmp_path_factory.mktemp("kinds")
    return {name: build(example(kind), out).docx for name, kind in KINDS.items()}


@ALL
def test_new_writes_a_blank_workbook_whose_first_problem_is_the_first_required_field(
    kind: PlanKind, tmp_path: Path
) -> None:
    path = tmp_path / "blank.xlsx"
    result = CliRunner().invoke(cli, ["new", kind.name, str(path)])
    assert result.output == f"wrote {path}: a blank {kind.title} workbook\n"
    book = load_workbook(path)
    assert book.sheetnames == ["Instructions", *(s.name for s in kind.sheets), "Lists"]
    assert book["Instructions"]["A2"].value == f"Plan kind: {kind.name}"
    form = kind.sheets[0]
    first = next(i for i, f in enumerate(form.fields) if f.required)
    checked = CliRunner().invoke(cli, ["validate", str(path)])
    assert checked.exit_code == 1
    assert checked.output.splitlines()[0] == (
        f"error: {path}: {form.name}!B{4 + first}: {form.fields[first].header} is required"
    )


@ALL
def test_new_example_writes_the_example_that_validates_clean(kind: PlanKind, tmp_path: Path):
    path = tmp_path / "ex.xlsx"
    result = CliRunner().invoke(cli, ["new", kind.name, str(path), "--example"])
    assert result.exit_code == 0, result.output
    assert path.read_bytes() == example(kind).read_bytes()
    loaded = load(path)
    assert [str(i) for i in loaded.report.issues] == []
    assert loaded.report.kind == kind.name


@ALL
def test_example_text_matches_its_golden_file_line_by_line(
    kind: PlanKind, built: dict[str, Path]
) -> None:
    golden = GOLDEN / f"{Path(kind.example).stem}.txt"
    text = document_text(built[kind.name])
    if os.environ.get("PLANGEN_UPDATE_GOLDEN") == "1":
        golden.write_text(text, encoding="utf-8")
    assert golden.is_file(), f"no {golden}: run with PLANGEN_UPDATE_GOLDEN=1 and read it"
    expected = golden.read_text(encoding="utf-8").splitlines()
    lines = text.splitlines()
    for number, (want, got) in enumerate(zip(expected, lines, strict=False), start=1):
        assert got == want, f"{golden.name} line {number}"
    assert len(lines) == len(expected)


@ALL
def test_every_text_typed_in_the_example_reaches_the_plan(
    kind: PlanKind, built: dict[str, Path]
) -> None:
    text = " ".join(document_text(built[kind.name]).split())
    plan = load(example(kind)).plan
    missing, seen = [], 0
    for sheet in kind.sheets:
        records = [plan.fields] if sheet.form else [r.values for r in plan.table(sheet.key)]
        for values in records:
            for fld in sheet.fields:
                value = values.get(fld.key)
                if fld.type in (FieldType.TEXT, FieldType.CHOICE) and value:
                    seen += 1
                    if " ".join(str(value).split()) not in text:
                        missing.append(f"{sheet.name}.{fld.header}: {value}")
    assert missing == []
    assert seen > 30


@ALL
def test_fields_lists_a_form_value_and_a_table_value(kind: PlanKind) -> None:
    result = CliRunner().invoke(cli, ["fields", kind.name])
    assert result.exit_code == 0, result.output
    form = kind.sheets[0]
    table = next(s for s in kind.sheets if s.tracked)
    text_key = next(f.key for f in table.fields if f.required and f.type is FieldType.TEXT)
    rows = {line.split("|")[1].strip(): line for line in result.output.splitlines()[2:]}
    assert f"`{form.fields[0].key}`" in rows
    assert form.fields[0].help in rows[f"`{form.fields[0].key}`"]
    assert f"`{table.key}[].{text_key}`" in rows
    assert f"`{table.key}_groups[].entries`" in rows


@ALL
def test_template_export_writes_the_built_in_template_which_checks_fine(
    kind: PlanKind, tmp_path: Path
) -> None:
    path = tmp_path / "mine.docx"
    result = CliRunner().invoke(cli, ["template", "export", kind.name, str(path)])
    assert result.exit_code == 0, result.output
    assert path.read_bytes() == default_template(kind.template).read_bytes()
    checked = CliRunner().invoke(cli, ["template", "check", str(path), "--kind", kind.name])
    assert checked.output == f"{path}: fine for a {kind.name} plan (the example renders)\n"
