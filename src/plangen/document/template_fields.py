"""Every name a Word template of a plan kind can use, with its type and an example.

The names, types and examples are worked out when asked: the kind's example workbook is
loaded (`pipeline.example_context`) and its real template context built
(`context.build_context`), then walked here (`fields_in`), so they follow the
declaration. The descriptions are written by hand: the declaration's `Field.help`, or
`DERIVED` below for the names `context.py` adds. A list of rows is `supports`; a value
in each of its rows is `supports[].level` (in a template:
`{% for s in supports %}{{ s.level }}`).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from plangen.schema import PlanKind

DERIVED: dict[str, str] = {
    "title": "The plan kind's title.",
    "kind": "The plan kind's name.",
    "as_of": "The date the adherence figures are worked out for.",
    "plan_end": "The plan's last day (June 30 after the start when left blank).",
    "[].ref": "Where the row comes from, e.g. `supports|12` (sheet and workbook row): the "
    "key of its content controls, so edits made in Word can flow back (`plangen pull`).",
    "[].done": "True when the support's Status is Completed.",
    "[].dropped": "True when the support's Status is Dropped.",
    "[].status_text": "The status in a few words: `Completed January 12, 2023`.",
    "_groups": "The rows grouped by {group}, groups in first-seen order.",
    "_groups[].name": "The group's {group}.",
    "_groups[].entries": "The group's rows, each with the same values as a row of {sheet}.",
    "adherence": "The Adherence Summary's figures.",
    "completed": "How many supports are completed.",
    "planned": "How many supports are planned (dropped ones not counted).",
    "fraction": "`completed/planned`, e.g. `7/19`.",
    "percent": "The share completed, e.g. `37%` (empty when none is planned).",
    "bar": "A 10-block text bar of the share completed.",
    "headline": "One sentence: supports completed, reviews held.",
    "on_track": "The latest review's answer to: are the SMART goals on track?",
    "by_group": "Completion for each level or relationship.",
    "by_goal": "Completion for each SMART goal.",
    "reviews": "Each review logged, with the supports completed by its date.",
    "schedule": "The required reviews: when due, when held, status.",
    "missed": "Required reviews whose due date passed with none held.",
    "next_review": "The next required review and its due date; for a kind without "
    "required reviews, the plan's own review date (if it gives one).",
    "next_review_name": "The next required review's name (or that none is due).",
    "next_review_due": "The next review's due date (`—` when none is due).",
    "adherence.charts": "Native Word charts; put one alone in a paragraph.",
    "adherence.charts.trend": "A chart: supports completed at each review, against the "
    "straight line to 100% at the plan's end.",
    "adherence.charts.by_group": "A chart: completion by level or concept.",
    "adherence.charts.by_goal": "A chart: completion by SMART goal.",
    "adherence.share": "The share of planned supports completed (`50%`), or `None planned`.",
    "overdue_count": "How many supports are not done past their target date.",
    "overdue": "Supports not done past their target date.",
    "days_late": "Days past the target date.",
    "overall": "Completion of every monitored support.",
    "section": "The sheet the support is on (Supports, Coaching Process).",
    "group": "The level or coaching relationship.",
    "goal": "The SMART goal's number.",
    "date": "The date of the review.",
    "type": "The review's type.",
    "adjustments": "Changes made after the review.",
    "name": "The review's name.",
    "due": "The date it is due by.",
    "held": "The date it was held (empty when not yet).",
    "status": "Held, due, or missed.",
    "support": "The support's text.",
    "target_date": "Its target date.",
}


@dataclass(frozen=True)
class TemplateField:
    """One name a template can use: `district`, `supports[].level`, `adherence.headline`."""

    name: str
    type: str
    """`text`, `yes/no`, `number`, `list`, `group` (a dict of values) or `date`."""
    example: str
    help: str

    def to_dict(self) -> dict[str, str]:
        return asdict(self)


def fields_in(kind: PlanKind, context: dict[str, Any]) -> list[TemplateField]:
    """Every variable, list and value in a list's rows of `context`, a template context
    of `kind` (`pipeline.list_fields` gives the example workbook's)."""
    out: list[TemplateField] = []
    for key, value in context.items():
        _walk(kind, key, value, out)
    return out


def _walk(kind: PlanKind, name: str, value: Any, out: list[TemplateField]) -> None:
    out.append(TemplateField(name, _type(kind, name, value), _example(value), _help(kind, name)))
    if isinstance(value, dict):
        for key, item in value.items():
            _walk(kind, f"{name}.{key}", item, out)
    elif isinstance(value, list):
        rows: dict[str, Any] = {}
        for row in value:
            for key, item in row.items() if isinstance(row, dict) else ():
                if key not in rows or (item not in ("", None, []) and rows[key] in ("", [])):
                    rows[key] = item
        for key, item in rows.items():
            _walk(kind, f"{name}[].{key}", item, out)


def _type(kind: PlanKind, name: str, value: Any) -> str:
    if isinstance(value, bool):
        return "yes/no"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, list):
        return "list"
    if isinstance(value, dict):
        return "group"
    fld = _declared(kind, name)
    return fld.type.value if fld is not None and fld.type.value in ("date", "percent") else "text"


def _example(value: Any) -> str:
    if isinstance(value, list):
        return f"{len(value)} row{'s' * (len(value) != 1)}"
    if isinstance(value, dict):
        return ""
    text = str(value).replace("\n", " ")
    return text if len(text) <= 40 else text[:39] + "…"


def _declared(kind: PlanKind, name: str) -> Any:
    """The declaration's Field behind `name` (`district`, `supports[].level`), or None."""
    parts = name.replace("_groups[].entries", "").split("[].")
    for sheet in kind.sheets:
        if sheet.form and len(parts) == 1:
            for fld in sheet.fields:
                if fld.key == parts[0]:
                    return fld
        elif not sheet.form and len(parts) == 2 and parts[0] == sheet.key:
            for fld in sheet.fields:
                if fld.key == parts[1]:
                    return fld
    return None


def _help(kind: PlanKind, name: str) -> str:
    fld = _declared(kind, name)
    if fld is not None:
        return fld.help
    leaf = name.rsplit(".", 1)[-1]
    for sheet in kind.sheets:
        if name == sheet.key:
            return f"{sheet.title}: one row per line of the {sheet.name} sheet."
        if name.startswith(f"{sheet.key}_groups"):
            group = sheet.field(sheet.group_by).header.lower() if sheet.group_by else ""
            key = name.removeprefix(sheet.key)
            if key.startswith("_groups[].entries[]."):
                return _help(kind, sheet.key + key.removeprefix("_groups[].entries"))
            return DERIVED.get(key, "").format(group=group, sheet=sheet.key)
        if name.startswith(f"{sheet.key}[]."):
            return DERIVED.get(name.removeprefix(sheet.key), "")
    return DERIVED.get(name, DERIVED.get(leaf.removeprefix("[]."), ""))


def as_text(fields: list[TemplateField]) -> str:
    """The field list as a Markdown table."""
    lines = ["| name | type | example | what it is |", "|---|---|---|---|"]
    for f in fields:
        example = f.example.replace("|", "\\|")
        lines.append(f"| `{f.name}` | {f.type} | {example} | {f.help.replace('|', '/')} |")
    return "\n".join(lines) + "\n"
