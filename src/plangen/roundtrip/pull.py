"""Bringing values edited in a plan document back into its workbook (`plangen pull`).

The document's keyed controls (`controls.py`) are compared with plangen's record of what
it rendered (`docrecord.py`) and with the workbook as it is now:

- a value changed in Word only is a change, written into its cell;
- a value changed in Word and also in the workbook since the build (to something else)
  is a conflict: the workbook's value is kept unless Word is preferred;
- a ticked Done box means Status Completed, completed on the day of the pull unless a
  date was typed; a control that is no longer in the document is reported, never read
  as "unticked"; a key found twice (a row copied in Word) is reported and not pulled.

The workbook is written in place with openpyxl (every sheet, drop-down, input message,
comment, style, width and formula kept), atomically, after a byte-for-byte copy of the
previous workbook is saved beside it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from plangen.errors import Issue, PlangenError, Severity, error, warning
from plangen.kinds.common import STATUS_LIST
from plangen.model import Plan, Record
from plangen.roundtrip.controls import Control, read_controls
from plangen.roundtrip.record import PlanDocument, flowing_fields, identity, plan_id, read_document
from plangen.roundtrip.workbook_patch import (
    KEPT_COPY_PATTERN,
    Change,
    formulas_to_recalculate,
    quoted,
    write_changes,
)
from plangen.workbook.values import ValueProblem, clean_text, parse_date

EMPTY_DATES = {"", "—", "–", "-"}
KEPT_COPY = re.compile(KEPT_COPY_PATTERN)
"""Stems of the copies plangen keeps (`plan.edited-1.docx`, `plan.before-pull-1.xlsx`)."""
_LABELS = {"done": "Done", "status": "Status", "completed_on": "Completed on"}


class PullRefused(PlangenError):
    """A document that cannot be pulled into this workbook (not a plangen plan, or
    built from another plan)."""


@dataclass
class Conflict:
    """A value changed both in the workbook since the build and in Word."""

    sheet: str
    cell: str
    label: str
    built: Any
    workbook: Any
    word: Any

    def __str__(self) -> str:
        return (
            f"{self.sheet}!{self.cell}: {self.label} was changed in the workbook "
            f"({quoted(self.built)} -> {quoted(self.workbook)}) and in Word ({quoted(self.word)}); "
            "the workbook's value is kept (--prefer word takes Word's)"
        )


@dataclass
class PullResult:
    """What a pull found, and what it wrote."""

    document: Path
    workbook: Path
    changes: list[Change] = field(default_factory=list)
    conflicts: list[Conflict] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)
    backup: Path | None = None
    written: bool = False
    unpulled: int = 0
    """Values edited in Word that the workbook does not hold (changes, conflicts, and
    edits of rows no longer in the workbook)."""

    @property
    def ok(self) -> bool:
        """True when nothing needs the user: no conflict, no error."""
        return not self.conflicts and not any(
            i.severity is Severity.ERROR for i in self.issues
        )


# ------------------------------------------------------------------ comparing


def check_same_plan(doc: PlanDocument, plan: Plan, workbook: Path) -> None:
    """PullRefused unless `doc` was built by plangen from the plan `workbook` holds."""
    record = doc.record
    if record is None:
        raise PullRefused(
            f"{doc.path}: holds no plangen record (not written by plangen, or the record "
            "was removed); nothing to pull"
        )
    district = str(plan.fields.get("district") or "")
    if record.plan_id != plan_id(plan.kind.name, district):
        raise PullRefused(
            f"{doc.path}: was built from another plan ({record.kind} plan of "
            f'"{record.district}", workbook {record.workbook}), not from {workbook} '
            f'({plan.kind.name} plan of "{district}"); nothing was pulled'
        )


def compare(
    doc: PlanDocument, plan: Plan, today: date, prefer_word: bool = False
) -> PullResult:
    """Every change, conflict and problem between `doc` and the workbook's `plan`."""
    result = PullResult(doc.path, plan.source)
    record = doc.record
    assert record is not None
    controls = read_controls(doc.body)
    if not controls:
        result.issues.append(
            warning(f"{doc.path.name} has no plangen controls left (check boxes, statuses, "
                    "dates); nothing to pull")
        )
        return result
    flows = flowing_fields(plan)
    order = {key: i for i, key in enumerate(flows)}
    entries = sorted(
        record.values.items(),
        key=lambda kv: (order.get(kv[0].split("|", 1)[0], len(order)), kv[1]["row"]),
    )
    for key, entry in entries:
        sheet_key = key.split("|", 1)[0]
        if sheet_key not in flows:
            continue
        current = _find_record(plan, sheet_key, entry)
        word = _word_values(key, entry, controls, sheet_key, plan, today, result)
        built = entry["fields"]
        for fld, new in word.items():
            if new == built.get(fld):
                continue
            if current is None:
                result.unpulled += 1
                result.issues.append(
                    error(f'the row "{_short(entry["identity"])}" is no longer in the workbook; '
                          f"its {_label(plan, sheet_key, fld)} edited in Word was not pulled",
                          entry["sheet"], f"row {entry['row']}")
                )
                continue
            now = _current(current, fld)
            cell = current.cell(fld)
            label = _label(plan, sheet_key, fld)
            if now == new:
                continue
            result.unpulled += 1
            if not cell:
                result.issues.append(
                    error(f"the workbook has no {label} column; not pulled", current.sheet)
                )
            elif now == built.get(fld) or prefer_word:
                result.changes.append(
                    Change(current.sheet, cell, key, label, _shown(now), _shown(new),
                           now != built.get(fld))
                )
                if fld == "status" and new == "Dropped" and not current["drop_reason"]:
                    result.issues.append(
                        warning("set to Dropped in Word: type why in its Reason dropped "
                                "cell before the next build", current.sheet,
                                current.cell("drop_reason") or cell)
                    )
            else:
                result.conflicts.append(
                    Conflict(current.sheet, cell, label, _shown(built.get(fld)), _shown(now),
                             _shown(new))
                )
    return result


def _short(text: str) -> str:
    return text if len(text) <= 50 else text[:47] + "..."


def _label(plan: Plan, sheet_key: str, fld: str) -> str:
    try:
        return plan.kind.sheet(sheet_key).field(fld).header
    except KeyError:
        return _LABELS.get(fld, fld)


def _shown(value: Any) -> Any:
    if isinstance(value, str) and re.fullmatch(r"\d{4}-\d\d-\d\d", value):
        return date.fromisoformat(value)
    return value


def _find_record(plan: Plan, sheet_key: str, entry: dict[str, Any]) -> Record | None:
    """The workbook row a recorded row is now: same row and text, else the one row with
    the same text (rows inserted above it), else None."""
    rows = plan.table(sheet_key)
    for record in rows:
        if record.row == entry["row"] and identity(plan, sheet_key, record) == entry["identity"]:
            return record
    same = [r for r in rows if identity(plan, sheet_key, r) == entry["identity"]]
    return same[0] if len(same) == 1 else None


def _current(record: Record, fld: str) -> Any:
    value = record[fld]
    if fld == "status":
        return value or "Not started"
    if isinstance(value, date):
        return value.isoformat()
    return value if value not in ("",) else None


def _one(
    controls: dict[str, list[Control]], key: str, sheet: str, cell: str, what: str,
    result: PullResult,
) -> Control | None:
    """The control of `key`; None (with the reason reported) when it was deleted or
    copied."""
    found = controls.get(key, [])
    if not found:
        result.issues.append(
            warning(f"the {what} is no longer in the document (deleted?); nothing was "
                    "pulled from it", sheet, cell)
        )
        return None
    if len(found) > 1:
        result.issues.append(
            error(f"the {what} is in the document {len(found)} times (a row copied?); "
                  "not pulled: type the value in the workbook", sheet, cell)
        )
        return None
    return found[0]


def _word_values(
    key: str, entry: dict[str, Any], controls: dict[str, list[Control]], sheet_key: str,
    plan: Plan, today: date, result: PullResult,
) -> dict[str, Any]:
    """The values Word holds for one recorded row, in the record's terms (status text,
    ISO dates, note text); a field Word tells nothing about is left out."""
    sheet, cells, built = entry["sheet"], entry["cells"], entry["fields"]
    if "status" not in built:
        out = {}
        for fld in built:
            label = _label(plan, sheet_key, fld)
            control = _one(controls, f"{key}|{fld}", sheet, cells.get(fld, ""),
                           f"{label} of this review", result)
            if control is not None:
                text = clean_text(control.text)
                out[fld] = None if control.placeholder or text in EMPTY_DATES else text
        return out
    what = f'row "{_short(entry["identity"].split(" / ")[-1])}"'
    done = _one(controls, f"{key}|done", sheet, cells["status"], f"Done box of {what}", result)
    status_c = _one(controls, f"{key}|status", sheet, cells["status"],
                    f"Status of {what}", result)
    date_c = _one(controls, f"{key}|completed_on", sheet, cells["completed_on"],
                  f"Completed-on date of {what}", result)
    out: dict[str, Any] = {}
    status = built["status"]
    if status_c is not None:
        typed = clean_text(status_c.text)
        matched = next((s for s in STATUS_LIST.values if s.casefold() == typed.casefold()), None)
        if matched is None:
            result.issues.append(
                error(f'the Status "{typed}" in Word is not one of '
                      f"{', '.join(STATUS_LIST.values)}; not pulled", sheet, cells["status"])
            )
        else:
            status = matched
    built_done = built["status"] == "Completed"
    if done is not None and done.checked is not None and done.checked != built_done:
        if done.checked and status not in ("Completed", built["status"]):
            result.issues.append(
                error(f'the Done box is ticked but Status says "{status}"; not pulled: '
                      "make them agree", sheet, cells["status"])
            )
            return out
        if done.checked:
            status = "Completed"
        elif status == "Completed":
            result.issues.append(
                error("the Done box was unticked but Status still says Completed; not "
                      "pulled: choose a Status", sheet, cells["status"])
            )
            return out
    if status != built["status"]:
        out["status"] = status
    if date_c is not None:
        typed_date = _typed_date(date_c, sheet, cells["completed_on"], result)
        if typed_date is not False:
            out["completed_on"] = typed_date
    if out.get("status") == "Completed" and not out.get("completed_on", built["completed_on"]):
        out["completed_on"] = today.isoformat()
    return out


def _typed_date(control: Control, sheet: str, cell: str, result: PullResult) -> Any:
    """The ISO date a date control shows; None when empty; False when it cannot be read
    (reported)."""
    text = " ".join(clean_text(control.text).split())  # no-break spaces too
    if control.placeholder or text in EMPTY_DATES:
        return None
    try:
        return parse_date(text).isoformat()
    except ValueProblem:
        if control.full_date:
            try:
                return parse_date(control.full_date[:10]).isoformat()
            except ValueProblem:
                pass
        result.issues.append(
            error(f'the Completed-on date "{text}" typed in Word is not a date (type it like '
                  "January 12, 2023); not pulled", sheet, cell)
        )
        return False


# ------------------------------------------------------------------ the whole pull


def pull(
    document: Path,
    workbook: Path,
    today: date | None = None,
    dry_run: bool = False,
    prefer_word: bool = False,
) -> PullResult:
    """Compare `document` with `workbook` and, unless `dry_run`, write every change into
    the workbook (keeping a copy of the previous one beside it). Raises PullRefused when
    the document is not a plan of this workbook, WorkbookError when the workbook cannot
    be read, DocumentError when the document cannot."""
    from plangen.workbook.reader import read_plan

    doc = read_document(document)
    plan, _ = read_plan(Path(workbook))
    check_same_plan(doc, plan, Path(workbook))
    result = compare(doc, plan, today or date.today(), prefer_word)
    if result.changes and not dry_run:
        result.backup = write_changes(Path(workbook), result.changes)
        result.written = True
        result.issues.extend(formulas_to_recalculate(Path(workbook)))
    return result


def pending_edits(doc: PlanDocument, plan: Plan) -> int:
    """How many values edited in `doc` the workbook's `plan` does not hold."""
    if doc.record is None:
        return 0
    return compare(doc, plan, date.today()).unpulled


def find_pairs(plans: Path, workbooks: Path) -> list[tuple[Path, Path | None, str]]:
    """Each plan document under `plans` with its workbook under `workbooks` (the one it
    was built from, by the name its record holds, else the same relative path), or None
    and why. Copies plangen kept (`name.edited-1.docx`), hidden files and Office lock
    files are left out."""
    pairs: list[tuple[Path, Path | None, str]] = []
    for docx in sorted(plans.rglob("*.docx")):
        rel = docx.relative_to(plans)
        if any(p.startswith((".", "~$")) for p in rel.parts) or KEPT_COPY.search(docx.stem):
            continue
        try:
            record = read_document(docx).record
        except PlangenError as exc:
            pairs.append((docx, None, str(exc)))
            continue
        if record is None:
            pairs.append((docx, None, "holds no plangen record; skipped"))
            continue
        candidates = [workbooks / record.workbook] + [
            workbooks / rel.with_suffix(s) for s in (".xlsx", ".xlsm")
        ]
        found = next((c for c in candidates if c.is_file()), None)
        pairs.append((docx, found, "" if found else f"its workbook {record.workbook} is not "
                      f"under {workbooks}"))
    return pairs
