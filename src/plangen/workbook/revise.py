"""Cells marked for revision: next year's workbook (`plangen new --from`) carries last
year's focus areas, goals and data as drafts whose first text starts with `[Revise]`;
`plangen validate` reports each such cell as an error until the mark is deleted, so a plan
is never built from last year's goals by mistake."""

from __future__ import annotations

from typing import Any

from plangen.errors import Issue, error
from plangen.model import Plan
from plangen.schema import Field, FieldType

REVISE_MARK = "[Revise]"
"""The start of a cell carried from last year as a draft the coordinator must revise."""


def revision_marks(plan: Plan) -> list[Issue]:
    """An error at every text cell that still starts with the `[Revise]` mark."""
    issues = []
    for sheet in plan.kind.sheets:
        texts = [f for f in sheet.fields if f.type is FieldType.TEXT]
        if sheet.form:
            for fld in texts:
                if _marked(plan.fields.get(fld.key)):
                    where = plan.field_cells.get(fld.key, (sheet.name, ""))
                    issues.append(_mark_issue(fld, *where))
            continue
        for record in plan.table(sheet.key):
            for fld in texts:
                if _marked(record[fld.key]):
                    issues.append(_mark_issue(fld, sheet.name, record.cell(fld.key)))
    return issues


def _marked(value: Any) -> bool:
    return isinstance(value, str) and value.lstrip().casefold().startswith(REVISE_MARK.casefold())


def _mark_issue(fld: Field, sheet: str, cell: str) -> Issue:
    return error(
        f"{fld.header} is marked for revision (a draft carried from last year's plan): "
        f'revise it for this year, then delete "{REVISE_MARK}" at its start',
        sheet,
        cell,
        code="revise",
    )
