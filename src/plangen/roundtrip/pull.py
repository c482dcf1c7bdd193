"""Bringing values edited in a plan document back into its workbook (`plangen pull`).

Pull is a three-way merge. For every value that flows back (decided by the plan kind's
declaration: each monitored item's Status and Completed on, each review's notes) there
are three versions: what the plan was built from (the record in the .docx), what Word
holds now, and what the workbook holds now.

- Word unchanged (or already taken by an earlier pull of this build): nothing.
- Workbook unchanged: Word's value is taken.
- Both equal: nothing, never a conflict.
- Otherwise a conflict: reported with all three; the workbook's value is kept (unless
  Word is preferred) and nothing else of that record changes.

A ticked Done box means Status Completed on the date typed in Word, else the date the
workbook has, else the day of the pull; the workbook remembers what it took (a very hidden
sheet, keyed by the plan and the build), so a later pull never dates it again, never
applies a taken value twice and a coordinator's later correction stands.

Each recorded value lands on its own record: the row is found by everything it held
when the plan was built (`record.signature`), not by its row number. Values Word holds
that the workbook cannot take (a status off the list, text in a date control, a date out
of range, a note longer than a cell holds, a box that contradicts its status) are
reported at their control with what to type, and count as edits a rebuild would lose.
"""

from __future__ import annotations

import json
import re
from contextlib import nullcontext
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from plangen.errors import Issue, PlangenError, Severity, error, warning
from plangen.kinds.common import STATUS_LIST
from plangen.model import Plan, Record
from plangen.roundtrip.controls import Control, read_controls
from plangen.roundtrip.record import (
    PlanDocument,
    flowing_fields,
    identity,
    period,
    plan_id,
    read_document,
    signature,
    words,
)
from plangen.roundtrip.workbook_patch import (
    KEPT_COPY_PATTERN,
    Change,
    WorkbookBusy,
    locked,
    memory_value,
    quoted,
    read_memory,
    refuse_ods,
    short,
    write_changes,
)
from plangen.workbook.values import ValueProblem, clean_text, match_choice, parse_date

EMPTY_DATES = {"", "—", "–", "-"}
KEPT_COPY = re.compile(KEPT_COPY_PATTERN)
"""Stems of the copies plangen keeps (`plan.edited-1.docx`, `plan.before-pull-1.xlsx`)."""
_LABELS = {"done": "Done", "status": "Status", "completed_on": "Completed on"}
WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".ods")

__all__ = ["Conflict", "PullRefused", "PullResult", "WorkbookBusy", "pull", "pull_folders"]


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
    words: str = ""
    unknown_base: bool = False

    def __str__(self) -> str:
        named = f' "{short(self.words)}"' if self.words else ""
        if self.unknown_base:
            return (
                f"{self.sheet}!{self.cell}{named}: {self.label} is {quoted(self.word)} in Word "
                f"and {quoted(self.workbook)} in the workbook; type the right one in the "
                "workbook"
            )
        return (
            f"{self.sheet}!{self.cell}{named}: {self.label} was changed in the workbook "
            f"({quoted(self.built)} → {quoted(self.workbook)}) and in Word "
            f"({quoted(self.word)}); the workbook's value is kept (--prefer word takes Word's; "
            "--prefer workbook settles it as it is)"
        )


@dataclass
class PullResult:
    """What a pull found, and what it wrote."""

    document: Path
    workbook: Path
    changes: list[Change] = field(default_factory=list)
    conflicts: list[Conflict] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    """Plain lines for the reader: completions after "Figures as of" and how they count."""
    backup: Path | None = None
    written: bool = False
    unpulled: int = 0
    """Values edited in Word that the workbook does not hold (changes, conflicts, values
    it cannot take, edits of rows no longer found)."""
    taken: list[tuple[str, ...]] = field(default_factory=list)
    """Rows to add to the workbook's pull memory."""

    @property
    def ok(self) -> bool:
        """True when nothing needs the user: no conflict, no error."""
        return not self.conflicts and not any(
            i.severity is Severity.ERROR for i in self.issues
        )


# ------------------------------------------------------------------ identity


def check_same_plan(doc: PlanDocument, plan: Plan, workbook: Path) -> None:
    """PullRefused unless `doc` was built by plangen from the plan `workbook` holds (same
    kind, district and plan period)."""
    record = doc.record
    if record is None:
        return
    district = str(plan.fields.get("district") or "")
    if record.plan_id != plan_id(plan.kind.name, district):
        raise PullRefused(
            f'{doc.path}: is the {record.kind} plan of "{record.district}", but {workbook} '
            f'holds the {plan.kind.name} plan of "{district}"; pair it with the workbook of '
            f'"{record.district}" (nothing was pulled)'
        )
    now = period(plan)
    if record.period and now and record.period != now:
        built, held = (p.replace("/", " to ") for p in (record.period, now))
        raise PullRefused(
            f"{doc.path}: is the plan for {built}; {workbook} holds the plan for {held} "
            "(another plan period); nothing was pulled"
        )


# ------------------------------------------------------------------ finding rows


def match_rows(
    plan: Plan, sheet_key: str, entries: list[tuple[str, dict[str, Any]]]
) -> dict[str, Record | str]:
    """The workbook row each recorded entry is now, by everything it held when built
    (rows with the same values matched in their order), or why it cannot be told. One
    pass over the rows and one over the entries (an index by signature)."""

    def key_of(sig: object) -> str:
        return json.dumps(sig, sort_keys=True, ensure_ascii=True, default=str)

    rows: dict[str, list[Record]] = {}
    with_signature = any("match" in e for _, e in entries)
    for record in plan.table(sheet_key):
        sig: dict[str, Any] = (
            signature(plan, sheet_key, record)
            if with_signature
            else {"identity": identity(plan, sheet_key, record)}
        )
        rows.setdefault(key_of(sig), []).append(record)
    groups: dict[str, list[tuple[str, dict[str, Any]]]] = {}
    for key, entry in entries:
        held = entry.get("match") if with_signature else {"identity": entry.get("identity")}
        groups.setdefault(key_of(held), []).append((key, entry))
    found: dict[str, Record | str] = {}
    for held_key, members in groups.items():
        members.sort(key=lambda kv: kv[1]["row"])
        now = sorted(rows.get(held_key, []), key=lambda r: r.row)
        if len(now) == len(members):
            for (key, _), record in zip(members, now, strict=True):
                found[key] = record
        elif not now:
            for key, _ in members:
                found[key] = ("is no longer in the workbook, or was changed there since the "
                              "plan was built (its other columns)")
        else:
            for key, _ in members:
                found[key] = (
                    f"is in the workbook {len(now)} times with the same values, and was "
                    f"{len(members)} time{'s' * (len(members) != 1)} in the plan (a row "
                    "copied or deleted?); which row is meant cannot be told"
                )
    return found


# ------------------------------------------------------------------ Word's values


@dataclass
class _Word:
    """The values Word holds for one record, in the record's terms, and what it holds
    that cannot be taken (errors at the control)."""

    values: dict[str, Any] = field(default_factory=dict)
    problems: list[Issue] = field(default_factory=list)
    dated: bool = False
    """A Completed-on date was typed (not derived from a tick)."""


def _label(plan: Plan, sheet_key: str, fld: str) -> str:
    try:
        return plan.kind.sheet(sheet_key).field(fld).header
    except KeyError:
        return _LABELS.get(fld, fld)


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


def word_values(
    plan: Plan, sheet_key: str, key: str, built: dict[str, Any], cells: dict[str, str],
    sheet: str, named: str, controls: dict[str, list[Control]], result: PullResult,
) -> _Word:
    """What Word holds for the record `key` (fields of the kind's declaration only),
    checked with the reader's own parsers and limits."""
    from plangen.workbook.reader import EARLIEST_DATE, LATEST_DATE, MAX_CELL_CHARS

    out = _Word()
    fields = flowing_fields(plan).get(sheet_key, ())
    what_row = f'"{short(named)}"'
    if "status" not in fields:
        for fld in fields:
            label = _label(plan, sheet_key, fld)
            control = _one(controls, f"{key}|{fld}", sheet, cells.get(fld, ""),
                           f"{label} of the review {what_row}", result)
            if control is None:
                continue
            text = clean_text(control.text)
            value = None if control.placeholder or text in EMPTY_DATES else text
            if value is not None and len(value) > MAX_CELL_CHARS:
                out.problems.append(error(
                    f"the {label} of the review {what_row} typed in Word is {len(value):,} "
                    f"characters; a workbook cell holds at most {MAX_CELL_CHARS:,}: shorten "
                    "it in Word (or keep the rest elsewhere), then pull again; not pulled",
                    sheet, cells.get(fld, "")))
                continue
            out.values[fld] = value
        return out
    choices = STATUS_LIST.values
    try:
        status_field = plan.kind.sheet(sheet_key).field("status")
        if status_field.choices is not None:
            choices = status_field.choices.values
    except KeyError:
        pass
    cell_status, cell_date = cells.get("status", ""), cells.get("completed_on", "")
    done = _one(controls, f"{key}|done", sheet, cell_status, f"Done box of {what_row}", result)
    status_c = _one(controls, f"{key}|status", sheet, cell_status, f"Status of {what_row}",
                    result)
    date_c = _one(controls, f"{key}|completed_on", sheet, cell_date,
                  f"Completed-on date of {what_row}", result)
    built_status = built.get("status") or "Not started"
    status = built_status
    if status_c is not None:
        typed = clean_text(status_c.text)
        matched = match_choice(typed, choices)
        if matched is None:
            out.problems.append(error(
                f'the Status of {what_row} is "{short(typed, 60)}" in Word, which is not one '
                f"of {', '.join(choices)}: choose one of them in Word (or type it in the "
                "workbook); not pulled", sheet, cell_status))
            return out
        status = matched
    built_done = built_status == "Completed"
    if done is not None and done.checked is not None and done.checked != built_done:
        if done.checked and status not in ("Completed", built_status):
            out.problems.append(error(
                f'the Done box of {what_row} is ticked but its Status says "{status}": '
                "untick it or choose Completed in Word; not pulled", sheet, cell_status))
            return out
        if done.checked:
            status = "Completed"
        elif status == "Completed":
            out.problems.append(error(
                f"the Done box of {what_row} was unticked but its Status still says "
                "Completed: choose another Status in Word; not pulled", sheet, cell_status))
            return out
    out.values["status"] = status
    if date_c is not None:
        text = " ".join(clean_text(date_c.text).split())
        if date_c.placeholder or text in EMPTY_DATES:
            out.values["completed_on"] = None
        else:
            when: date | None = None
            for raw in (text, (date_c.full_date or "")[:10]):
                try:
                    when = parse_date(raw)
                    break
                except ValueProblem:
                    continue
            if when is None:
                out.problems.append(error(
                    f'the Completed-on date of {what_row} is "{short(text, 40)}" in Word, '
                    "not a date: type it like January 12, 2023; not pulled", sheet, cell_date))
                return out
            if not EARLIEST_DATE <= when <= LATEST_DATE:
                out.problems.append(error(
                    f"the Completed-on date of {what_row} is {when.isoformat()} in Word; a "
                    f"plan's dates are {EARLIEST_DATE.year} to {LATEST_DATE.year}: check the "
                    "year in Word; not pulled", sheet, cell_date))
                return out
            out.values["completed_on"] = when.isoformat()
            out.dated = out.values["completed_on"] != built.get("completed_on")
    return out


def _now(record: Record, fld: str) -> Any:
    value = record[fld]
    if fld == "status":
        return value or "Not started"
    if isinstance(value, date):
        return value.isoformat()
    return value if value not in ("",) else None


def _shown(value: Any) -> Any:
    if isinstance(value, str) and re.fullmatch(r"\d{4}-\d\d-\d\d", value):
        return date.fromisoformat(value)
    return value


# ------------------------------------------------------------------ the merge


def compare(
    doc: PlanDocument,
    plan: Plan,
    today: date,
    prefer: str | None = None,
    memory: list[tuple[str, ...]] | None = None,
) -> PullResult:
    """Every change, conflict and problem between `doc` and the workbook's `plan`, by
    the three-way merge (see the module); `memory` is the workbook's pull memory."""
    result = PullResult(doc.path, plan.source)
    controls = read_controls(doc.body)
    if doc.record is None:
        return _without_record(doc, plan, controls, result)
    record = doc.record
    if not controls:
        result.issues.append(
            warning(f"{doc.path.name} has no plangen controls left (check boxes, statuses, "
                    "dates); nothing to pull")
        )
        return result
    build = record.build_id or record.fingerprint
    taken: dict[tuple[str, str], Any] = {}
    for row in memory or []:
        if len(row) >= 5 and row[0] == record.plan_id and row[1] == build:
            try:
                taken[(row[2], row[3])] = json.loads(row[4])
            except ValueError:
                continue
    flows = flowing_fields(plan)
    by_sheet: dict[str, list[tuple[str, dict[str, Any]]]] = {k: [] for k in flows}
    for key, entry in record.values.items():
        sheet_key = key.split("|", 1)[0]
        if sheet_key in by_sheet:  # the kind decides what flows back, not the document
            by_sheet[sheet_key].append((key, entry))
    for sheet_key, entries in by_sheet.items():
        entries.sort(key=lambda kv: kv[1]["row"])
        found = match_rows(plan, sheet_key, entries)
        for key, entry in entries:
            _merge_record(plan, sheet_key, key, entry, found[key], controls, taken,
                          record.plan_id, build, today, prefer, result)
    _figures_note(plan, result)
    return result


def _merge_record(
    plan: Plan, sheet_key: str, key: str, entry: dict[str, Any], current: Record | str,
    controls: dict[str, list[Control]], taken: dict[tuple[str, str], Any], pid: str,
    build: str, today: date, prefer: str | None, result: PullResult,
) -> None:
    fields = flowing_fields(plan)[sheet_key]
    raw_built = entry.get("fields", {})
    built = {f: raw_built.get(f) for f in fields}
    if "status" in built:
        built["status"] = built["status"] or "Not started"
    named = entry.get("words") or str(entry.get("identity", "")).split(" / ")[-1]
    sheet_title = plan.sheet_titles.get(sheet_key, plan.kind.sheet(sheet_key).name)
    cells = current.cells if isinstance(current, Record) else entry.get("cells", {})
    word = word_values(plan, sheet_key, key, built, cells, sheet_title, named, controls, result)
    result.issues.extend(word.problems)
    result.unpulled += len(word.problems)
    edited = {  # Word's values that differ from the build and from what a pull took
        f: v for f, v in word.values.items()
        if v != built[f] and ((key, f) not in taken or v != taken[(key, f)])
    }
    if not isinstance(current, Record):
        if edited or word.problems:
            result.unpulled += len(edited)
            labels = " and ".join(_label(plan, sheet_key, f) for f in edited) or "value"
            recorded = entry.get("cells", {})
            cell = next((recorded[f] for f in (*edited, *fields) if isinstance(
                recorded.get(f), str)), "")
            result.issues.append(error(
                f'the record "{short(named)}" (row {entry.get("row")} when the plan was '
                f"built) {current}; its {labels} edited in Word was not pulled: type it in "
                "the workbook", sheet_title, cell))
        return
    changes: list[Change] = []
    conflicts: list[Conflict] = []
    remember: dict[str, Any] = {}
    for fld, new in edited.items():
        now = _now(current, fld)
        base = built[fld]
        if (key, fld) in taken and now == taken[(key, fld)]:
            base = now  # the workbook as an earlier pull left it
        label = _label(plan, sheet_key, fld)
        cell = current.cell(fld)
        if now == new:
            remember[fld] = new
            continue
        if not cell:
            result.issues.append(error(f"the workbook has no {label} column; not pulled",
                                       sheet_title))
            result.unpulled += 1
            continue
        if now == base or prefer == "word":
            changes.append(Change(sheet_title, cell, key, label, _shown(now), _shown(new),
                                  now != base, named, fld))
        else:
            conflicts.append(Conflict(sheet_title, cell, label, _shown(base), _shown(now),
                                      _shown(new), named))
    if conflicts:
        result.conflicts.extend(conflicts)
        if prefer == "workbook":  # declined: remembered, so it is not pending again
            remember.update({c_fld: word.values[c_fld] for c_fld in edited
                             if _now(current, c_fld) != word.values[c_fld]})
            changes = []
        else:
            result.unpulled += len(conflicts) + len(changes)
            changes = []  # a conflict changes nothing else of its record
    result.unpulled += len(changes)
    status_change = next((c for c in changes if c.field == "status"), None)
    if (
        status_change is not None
        and status_change.new == "Completed"
        and "completed_on" in fields
        and not any(c.field == "completed_on" for c in changes)
        and _now(current, "completed_on") is None
        and current.cell("completed_on")
    ):
        changes.append(Change(sheet_title, current.cell("completed_on"), key,
                              _label(plan, sheet_key, "completed_on"), None, today,
                              False, named, "completed_on"))
    for change in changes:
        remember[change.field] = word.values.get(change.field, _plain(change.new))
        if change.field == "status" and change.new == "Dropped" and not current["drop_reason"]:
            result.issues.append(warning(
                f'"{short(named)}" was set to Dropped in Word: type why in its Reason '
                "dropped cell before the next build", sheet_title,
                current.cell("drop_reason") or change.cell))
    result.changes.extend(changes)
    for fld, value in remember.items():
        if fld in word.values:
            result.taken.append((pid, build, key, fld, memory_value(value), today.isoformat()))


def _plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value


def _figures_note(plan: Plan, result: PullResult) -> None:
    """A line for each pulled completion after the workbook's "Figures as of": the next
    build does not count it yet (pull leaves Figures as of as the coordinator set it)."""
    as_of = plan.fields.get("as_of")
    if not isinstance(as_of, date):
        return
    where = plan.field_cells.get("as_of")
    at = f" ({where[0]}!{where[1]})" if where else ""
    for change in result.changes:
        if change.field == "completed_on" and isinstance(change.new, date) and change.new > as_of:
            result.notes.append(
                f'{change.sheet}!{change.cell} "{short(change.words)}": completed on '
                f'{change.new.isoformat()}, after "Figures as of" {as_of.isoformat()}{at}: '
                "the next build does not count it as completed yet (it stays due or overdue "
                "in the figures); set Figures as of to that day or later, or leave it blank "
                "(the day of the build), to count it"
            )


def _without_record(
    doc: PlanDocument, plan: Plan, controls: dict[str, list[Control]], result: PullResult
) -> PullResult:
    """A plan whose record was lost (saved through .odt, or by an editor that drops it):
    its values are read by their bookmarks and every difference from the workbook is a
    conflict to resolve by hand; nothing is written."""
    if not controls:
        raise PullRefused(
            f"{doc.path}: holds no plangen record and no plangen controls (not written by "
            "plangen, or its record was removed); nothing to pull"
        )
    result.issues.append(error(
        f"{doc.path.name} holds no plangen record (lost when it was saved through another "
        "format, such as .odt, or damaged): its values were read by their bookmarks, and "
        "each one that differs from the workbook is listed as a conflict; type the right "
        "ones in the workbook, then build with --force (the document is kept beside the "
        "new one); nothing was written"))
    for sheet_key, fields in flowing_fields(plan).items():
        sheet_title = plan.sheet_titles.get(sheet_key, plan.kind.sheet(sheet_key).name)
        for current in plan.table(sheet_key):
            key = f"{sheet_key}|{current.row}"
            if not any(f"{key}|{f}" in controls for f in (*fields, "done")):
                continue
            built = {f: _now(current, f) for f in fields}
            named = words(plan, sheet_key, current)
            quiet = PullResult(doc.path, plan.source)
            word = word_values(plan, sheet_key, key, built, current.cells, sheet_title,
                               named, controls, quiet)
            result.issues.extend(word.problems)
            result.unpulled += len(word.problems)
            for fld, value in word.values.items():
                if value != built[fld] and current.cell(fld):
                    result.unpulled += 1
                    result.conflicts.append(Conflict(
                        sheet_title, current.cell(fld), _label(plan, sheet_key, fld), None,
                        _shown(built[fld]), _shown(value), named, unknown_base=True))
    return result


# ------------------------------------------------------------------ the whole pull


def pull(
    document: Path,
    workbook: Path,
    today: date | None = None,
    dry_run: bool = False,
    prefer_word: bool = False,
    prefer: str | None = None,
) -> PullResult:
    """Merge `document`'s values into `workbook` and, unless `dry_run`, write the changes
    (and what was taken) into the workbook, surgically, keeping a copy of the previous
    one beside it. `prefer` is "word" (Word's value wins a conflict), "workbook" (the
    workbook's wins, remembered so the value is not pending again) or None (conflicts
    are only reported). Raises PullRefused when the document is not a plan of this
    workbook, WorkbookBusy when the workbook cannot be written now (open elsewhere,
    read-only, .ods), WorkbookError or DocumentError when a file cannot be read."""
    from plangen.workbook.grids import WORD, WORKBOOK, office_kind
    from plangen.workbook.reader import read_plan

    if office_kind(Path(document)) == WORKBOOK and office_kind(Path(workbook)) == WORD:
        raise PullRefused(
            f"{document}: is a workbook and {workbook} a Word plan: the two are swapped; "
            "give the Word plan first, then its workbook"
        )
    workbook = Path(workbook)
    if prefer_word:
        prefer = "word"
    refuse_ods(workbook)
    doc = read_document(Path(document))
    with nullcontext() if dry_run else locked(workbook):
        plan, _ = read_plan(workbook)  # under the lock: what another pull wrote is seen
        check_same_plan(doc, plan, workbook)
        memory = read_memory(workbook)
        result = compare(doc, plan, today or date.today(), prefer, memory)
        if (result.changes or result.taken) and not dry_run:
            known = set(memory)
            rows = memory + [t for t in result.taken if t not in known]
            result.backup = write_changes(workbook, result.changes, rows)
            result.written = True
    return result


def pending_edits(doc: PlanDocument, plan: Plan, workbook: Path | None = None) -> int:
    """How many values edited in `doc` the workbook's `plan` does not hold (and that no
    pull took), counting values pull cannot read."""
    if doc.record is None:
        return 0
    memory = read_memory(workbook) if workbook is not None else []
    return compare(doc, plan, date.today(), None, memory).unpulled


# ------------------------------------------------------------------ folders


@dataclass
class FolderPull:
    """One plan of a folder pull: its workbook (None when none was found), the result
    or why it was refused."""

    document: Path
    workbook: Path | None
    result: PullResult | None = None
    refused: str = ""

    @property
    def ok(self) -> bool:
        return self.result is not None and self.result.ok


def _workbooks_under(folder: Path) -> dict[str, list[Path]]:
    """Every workbook inside `folder` (symlinks leading out of it, hidden files, lock
    files and copies plangen kept left out), by relative path without suffix and by
    file name."""
    root = folder.resolve()
    index: dict[str, list[Path]] = {}
    for path in sorted(folder.rglob("*")):
        rel = path.relative_to(folder)
        if (
            path.suffix.lower() not in WORKBOOK_SUFFIXES
            or any(p.startswith((".", "~$")) for p in rel.parts)
            or KEPT_COPY.search(path.stem)
            or not path.is_file()
        ):
            continue
        try:
            path.resolve().relative_to(root)
        except ValueError:
            continue
        index.setdefault("rel:" + rel.with_suffix("").as_posix(), []).append(path)
        index.setdefault("name:" + path.name.casefold(), []).append(path)
    return index


def find_pairs(plans: Path, workbooks: Path) -> list[tuple[Path, Path | None, str]]:
    """Each plan document under `plans` with its workbook found inside `workbooks`: the
    one at the same relative path (as `plangen batch` writes them), else the one whose
    file name the record holds (a name looked up among the workbooks found, never a path
    joined), or None and why. The pull then checks the pair against the workbook's own
    identity. Copies plangen kept, hidden files and lock files are left out."""
    index = _workbooks_under(workbooks)
    pairs: list[tuple[Path, Path | None, str]] = []
    for docx in sorted(plans.rglob("*.docx")):
        rel = docx.relative_to(plans)
        if any(p.startswith((".", "~$")) for p in rel.parts) or KEPT_COPY.search(docx.stem):
            continue
        same = index.get("rel:" + rel.with_suffix("").as_posix(), [])
        if len(same) == 1:
            pairs.append((docx, same[0], ""))
            continue
        try:
            record = read_document(docx).record
        except PlangenError as exc:
            pairs.append((docx, None, str(exc)))
            continue
        if record is None:
            pairs.append((docx, None, "holds no plangen record; skipped"))
            continue
        name = record.workbook.replace("\\", "/").rsplit("/", 1)[-1]
        named = index.get("name:" + name.casefold(), [])
        if len(named) == 1:
            pairs.append((docx, named[0], ""))
        else:
            why = (f"its workbook {name} is in {workbooks} {len(named)} times" if named
                   else f"its workbook {name} is not inside {workbooks}")
            pairs.append((docx, None, why))
    return pairs


def pull_folders(
    plans: Path,
    workbooks: Path,
    today: date | None = None,
    dry_run: bool = False,
    prefer: str | None = None,
) -> list[FolderPull]:
    """Pull every plan document under `plans` into its workbook inside `workbooks`
    (`find_pairs`); one `FolderPull` per plan, refusals as data."""
    out = []
    for docx, book, why in find_pairs(Path(plans), Path(workbooks)):
        if book is None:
            out.append(FolderPull(docx, None, refused=f"{docx}: {why}"))
            continue
        try:
            out.append(FolderPull(docx, book, pull(docx, book, today, dry_run, prefer=prefer)))
        except PlangenError as exc:
            out.append(FolderPull(docx, book, refused=str(exc)))
    return out
