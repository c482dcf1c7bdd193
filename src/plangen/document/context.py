"""The values a Word template sees, built from a plan and its adherence summary.

Generated from the kind's declaration: every form field is a top-level name, every table
sheet a list of rows (`supports`), and every grouped sheet also a list of groups
(`supports_groups`, each with `name` and `entries`). Values are display strings (dates as
`October 31, 2022`, scores as `36%`), yes/no fields are booleans. `template_fields.py`
describes the same names for template authors.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from plangen.document.charts import DESCRIPTIONS
from plangen.figures.adherence import Item, Summary, Tally
from plangen.figures.view import SummaryView, view_of
from plangen.model import Plan, Record
from plangen.schema import Field, FieldType, Sheet
from plangen.workbook.values import format_date, format_percent

BAR_WIDTH = 10


def display(fld: Field, value: Any) -> Any:
    """How one value appears in the document: a string, or a bool for yes/no fields."""
    if fld.type is FieldType.YESNO:
        return bool(value)
    if value is None:
        return ""
    if fld.type is FieldType.DATE:
        return format_date(value)
    if fld.type is FieldType.PERCENT:
        return format_percent(value)
    return str(value)


def row_context(sheet: Sheet, record: Record) -> dict[str, Any]:
    """One table row as the template sees it."""
    row = {f.key: display(f, record[f.key]) for f in sheet.fields}
    row["ref"] = f"{sheet.key}|{record.row}"
    if sheet.tracked:
        status = record.get("status", "Not started")
        row["done"] = status == "Completed"
        row["dropped"] = status == "Dropped"
        row["status_text"] = status_text(record)
    return row


def status_text(record: Record) -> str:
    """A support's status in a few words: `Completed January 12, 2023`, `Due March 1, 2023`.

    The date's spaces are no-break spaces, so a narrow Status column never splits a date.
    """
    status = record.get("status", "Not started")
    if status == "Completed":
        done = record["completed_on"]
        return f"Completed {_unbroken(format_date(done))}" if done else "Completed"
    if status == "Dropped":
        reason = record["drop_reason"]
        return f"Dropped: {reason}" if reason else "Dropped"
    target = record["target_date"]
    return f"{status}; due {_unbroken(format_date(target))}" if target else status


def _unbroken(text: str) -> str:
    return text.replace(" ", "\u00a0")


def group_rows(sheet: Sheet, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Rows grouped by the sheet's `group_by` field, groups in first-seen order."""
    groups: dict[str, list[dict[str, Any]]] = {}
    for row in rows:
        groups.setdefault(row[sheet.group_by or ""], []).append(row)
    return [{"name": name, "entries": rows} for name, rows in groups.items()]


def bar(tally: Tally) -> str:
    """A text bar of `BAR_WIDTH` blocks, filled in proportion to the share completed."""
    if not tally.planned:
        return ""
    filled = round(BAR_WIDTH * tally.completed / tally.planned)
    return "█" * filled + "░" * (BAR_WIDTH - filled)


def tally_context(tally: Tally) -> dict[str, Any]:
    percent = tally.percent
    return {
        "completed": tally.completed,
        "planned": tally.planned,
        "fraction": tally.fraction,
        "percent": "" if percent is None else f"{percent}%",
        "bar": bar(tally),
    }


def adherence_context(view: SummaryView) -> dict[str, Any]:
    """The Adherence Summary section's values, worded as `figures.view` words them."""
    summary = view.summary
    return {
        "as_of": view.as_of_text,
        "headline": view.headline,
        "item_noun": view.item,
        "items_noun": view.items,
        "overall": tally_context(summary.overall),
        "share": view.percent_text,
        "on_track": view.on_track_text,
        "by_group": [
            {"section": g.section, "group": g.group, **tally_context(g.tally)}
            for g in summary.by_group
        ],
        "by_goal": [{"goal": goal, **tally_context(t)} for goal, t in summary.by_goal],
        "reviews": [
            {
                "date": format_date(r.date),
                "type": r.type,
                "on_track": r.on_track or "",
                "adjustments": r.adjustments or "",
                **tally_context(r.tally),
            }
            for r in summary.reviews
        ],
        "schedule": [
            {
                "name": s.name,
                "due": format_date(s.due),
                "held": format_date(s.held),
                "status": s.status(summary.as_of).capitalize(),
            }
            for s in summary.schedule
        ],
        "missed": [{"name": s.name, "due": format_date(s.due)} for s in summary.missed],
        "next_review": view.next_review_text,
        "next_review_name": view.next_review_name,
        "next_review_due": view.next_review_due_text,
        "overdue": [_item_context(i, summary.as_of) for i in summary.overdue],
        "overdue_count": len(summary.overdue),
        "charts": dict(DESCRIPTIONS),
    }


def _item_context(item: Item, as_of: date) -> dict[str, Any]:
    late = (as_of - item.target_date).days if item.target_date else 0
    return {
        "section": item.section,
        "group": item.group,
        "support": item.text,
        "target_date": format_date(item.target_date),
        "days_late": late,
    }


def build_context(plan: Plan, summary: Summary) -> dict[str, Any]:
    """Everything a template of the plan's kind can use."""
    kind = plan.kind
    context: dict[str, Any] = {"title": kind.title, "kind": kind.name}
    for sheet in kind.sheets:
        if sheet.form:
            for fld in sheet.fields:
                context[fld.key] = display(fld, plan.fields.get(fld.key))
            continue
        rows = [row_context(sheet, r) for r in plan.table(sheet.key)]
        context[sheet.key] = rows
        if sheet.group_by:
            context[f"{sheet.key}_groups"] = group_rows(sheet, rows)
    context["plan_end"] = format_date(plan.end)
    context["as_of"] = format_date(summary.as_of)
    context["adherence"] = adherence_context(view_of(plan, summary))
    return context
