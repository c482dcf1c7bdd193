"""Shared fixtures: the example workbooks, and copies of them with some cells changed."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from plangen.kinds import get_kind

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "input_examples"


def example_path(kind: str) -> Path:
    """The example workbook of a plan kind, as a user sees it in `input_examples/`."""
    return EXAMPLES / get_kind(kind).example


SYSTEM_EXAMPLE = example_path("system")
DISTRICT_EXAMPLE = example_path("district")


def example_copy(
    target: Path,
    cells: Mapping[str, Any] | None = None,
    *,
    kind: str = "system",
    edit: Callable[[Any], None] | None = None,
) -> Path:
    """A copy of `kind`'s example at `target` (folders made), with `cells` set
    (`{"Supports!E4": "next spring"}`; None clears a cell) and then `edit(workbook)` run
    on the openpyxl workbook. The example itself is never changed."""
    target.parent.mkdir(parents=True, exist_ok=True)
    if not cells and edit is None:
        shutil.copyfile(example_path(kind), target)
        return target
    book = load_workbook(example_path(kind))
    for ref, value in (cells or {}).items():
        sheet, cell = ref.rsplit("!", 1)
        book[sheet][cell] = value
    if edit is not None:
        edit(book)
    book.save(target)
    return target


@pytest.fixture
def system_example() -> Path:
    """The Super Excited Division example workbook (read-only: copy before changing)."""
    return SYSTEM_EXAMPLE


EditExample = Callable[..., Path]


@pytest.fixture
def edit_example(tmp_path: Path) -> EditExample:
    """`edit_example(cells, kind=..., name=...)`: a copy of a kind's example in this test's
    folder with `cells` set (see `example_copy`)."""

    def make(
        cells: Mapping[str, Any] | None = None, *, kind: str = "system", name: str = ""
    ) -> Path:
        return example_copy(tmp_path / (name or get_kind(kind).example), cells, kind=kind)

    return make
