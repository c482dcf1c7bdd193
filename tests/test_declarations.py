"""A kind's declaration says each thing once, in one way, and refuses what cannot work."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from test_imports import import_graph

from plangen.cli import cli
from plangen.kinds import KINDS, get_kind
from plangen.kinds.common import REVIEWS, YESNO_LIST
from plangen.schema import Cadence, ChoiceList, Field, FieldType, Schedule
from plangen.workbook.blank import HEADER_ROW

SYSTEM = get_kind("system")


def test_field_takes_keywords_only() -> None:
    with pytest.raises(TypeError):
        Field("key", "Header")  # type: ignore[misc]  # the wrong call this test makes
    assert Field(key="k", header="H").type is FieldType.TEXT


def test_an_unknown_cadence_cannot_be_declared() -> None:
    with pytest.raises(TypeError, match="must be a Cadence"):
        Schedule(sheet="reviews", cadence="fortnightly")  # type: ignore[arg-type]  # on purpose
    with pytest.raises(ValueError, match="times"):
        Schedule(sheet="reviews", cadence=Cadence.PER_YEAR)


def test_a_kind_refuses_a_choice_list_it_does_not_declare() -> None:
    mine = ChoiceList("Moods", ("Fine", "Tired"))
    sheet = dataclasses.replace(
        REVIEWS,
        fields=(
            *REVIEWS.fields,
            Field(key="mood", header="Mood", type=FieldType.CHOICE, choices=mine),
        ),
    )
    with pytest.raises(ValueError, match="Reviews/Mood: its list 'Moods' is not among"):
        dataclasses.replace(SYSTEM, sheets=(*SYSTEM.sheets[:-1], sheet))


def test_a_kind_declaring_no_schedule_requires_no_review() -> None:
    from conftest import example_path

    import plangen

    kind = plangen.get_kind("coaching-system")
    assert kind.schedules == ()
    summary = plangen.load(example_path("coaching-system")).require_summary()
    assert list(summary.schedule) == []
    assert summary.missed == [] and summary.next_review is None


def test_every_kind_lists_each_choice_list_once_and_uses_the_shared_ones() -> None:
    for kind in KINDS.values():
        names = [lst.name for lst in kind.lists]
        assert len(names) == len(set(names)), kind.name
        for lst in kind.lists:  # a shared list is the shared object, never a copy
            if lst.name == YESNO_LIST.name:
                assert lst is YESNO_LIST, kind.name


def test_no_kind_imports_another_kind() -> None:
    graph = import_graph()
    kinds = {m for m in graph if m.startswith("plangen.kinds.")} - {"plangen.kinds.common"}
    assert {"plangen.kinds.system", "plangen.kinds.district"} <= kinds
    for module in kinds:
        assert not (graph[module] & kinds), module


def _blank(kind_name: str, folder: Path) -> Any:
    """The workbook `plangen new <kind_name>` writes, opened."""
    path = folder / f"{kind_name}.xlsx"
    result = CliRunner().invoke(cli, ["new", kind_name, str(path)])
    assert result.exit_code == 0, result.output
    return load_workbook(path)


@pytest.mark.parametrize(
    ("kind_name", "note"),
    [
        ("system", "Monthly, Mid-Year, End-Year or Other."),
        ("district", "Monthly, Mid-Year, End-Year or Other."),
        ("coaching-action-plan", "Monthly, Quarterly, Mid-Year, End-Year or Other."),
    ],
)
def test_the_review_logs_type_note_names_every_type_its_kind_offers(
    kind_name: str, note: str, tmp_path: Path
) -> None:
    ws = _blank(kind_name, tmp_path)["Reviews"]
    headers = [c.value for c in ws[HEADER_ROW]]
    column = get_column_letter(headers.index("Type") + 1)
    (dv,) = [
        dv
        for dv in ws.data_validations.dataValidation
        if dv.prompt and str(dv.sqref).startswith(f"{column}{HEADER_ROW + 1}:")
    ]
    assert dv.prompt.startswith(note)


@pytest.mark.parametrize("kind_name", list(KINDS))
def test_every_monitored_sheet_ends_with_the_tracking_columns(
    kind_name: str, tmp_path: Path
) -> None:
    book = _blank(kind_name, tmp_path)
    monitored = [s for s in get_kind(kind_name).sheets if s.tracked]
    assert monitored
    for sheet in monitored:
        headers = [c.value for c in book[sheet.name][HEADER_ROW] if c.value is not None]
        assert headers[-4:] == ["Status", "Target date", "Completed on", "Reason dropped"]
