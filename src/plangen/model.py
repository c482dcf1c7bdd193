"""The plan as read from a workbook: typed values, each remembering its cell."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from plangen.schema import PlanKind


@dataclass
class Record:
    """One row of a table sheet (or the single record of a form sheet).

    `values` maps field keys to parsed values; a blank cell is `None`. `cells` maps
    field keys to their cell reference (`C7`).
    """

    sheet: str
    row: int
    values: dict[str, Any]
    cells: dict[str, str] = field(default_factory=dict)
    invalid: set[str] = field(default_factory=set)
    """Keys whose cell was reported invalid (their value is None): rules that depend on
    them stay silent, so one wrong value gives one message."""

    def __getitem__(self, key: str) -> Any:
        return self.values.get(key)

    def get(self, key: str, default: Any = None) -> Any:
        value = self.values.get(key)
        return default if value is None else value

    def cell(self, key: str) -> str:
        """Cell reference of `key`, e.g. `C7`; empty when the column is absent."""
        return self.cells.get(key, "")


@dataclass
class Plan:
    """A whole plan: its kind, its form fields and its table records by sheet key."""

    kind: PlanKind
    source: Path
    fields: dict[str, Any]
    tables: dict[str, list[Record]]
    field_cells: dict[str, tuple[str, str]] = field(default_factory=dict)
    """Form field key -> (sheet name, cell)."""
    sheet_titles: dict[str, str] = field(default_factory=dict)
    """Sheet key -> the sheet's name in the workbook as found (`Supports 2026-27`)."""

    def table(self, key: str) -> list[Record]:
        return self.tables.get(key, [])

    @property
    def focus(self) -> list[str]:
        """What the plan focuses on (areas, concepts; the kind's `focus`), in sheet order,
        each once."""
        focus = self.kind.focus
        values = (
            str(r[focus.field])
            for r in self.table(focus.sheet)
            if r[focus.field] and (focus.selected_by is None or r[focus.selected_by])
        )
        return list(dict.fromkeys(values))

    @property
    def start(self) -> date | None:
        """The date the plan was initiated; None when the workbook lacks it."""
        value = self.fields.get("date_initiated")
        return value if isinstance(value, date) else None

    @property
    def end(self) -> date | None:
        """The plan's last day: the given end date, else the June 30 after its start."""
        value = self.fields.get("plan_end")
        if isinstance(value, date):
            return value
        start = self.start
        if start is None:
            return None
        year = start.year + 1 if start.month > 6 else start.year
        return date(year, 6, 30)
