"""Never destroying edits made in a plan document when it is built again.

Before a plan is written over an existing .docx, `edits_in` judges that document:

- its content fingerprint (text, tables, pictures, check boxes outside the keyed values;
  see `controls.content_text`) differs from the one plangen recorded: edited in Word;
- it holds no plangen record (plangen did not write it): counts as edited;
- its content is as written, but its ticks, statuses, dates or notes differ from the
  workbook and no pull took them (the workbook's pull memory), including values pull
  cannot read (a status off the list, text in a date): would be lost, so also refused;
- it is open in Word or LibreOffice (their lock file beside it): refused;
- otherwise it may be replaced (a LibreOffice open/save that changed nothing keeps the
  fingerprint: it is judged by content, not bytes).

`word_edits` is the same verdict for a plan document and its workbook: the one
definition of "edited in Word" that `build`, `batch` and the web dashboard all use.
`keep_edited_copy` saves an edited document beside it under a new name that says so.
"""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

from plangen.errors import OutputError, PlangenError
from plangen.files import free_name
from plangen.model import Plan
from plangen.roundtrip.pull import pending_edits
from plangen.roundtrip.record import read_document


class EditedPlan(PlangenError):
    """A plan document holding edits a rebuild would destroy."""


def edits_in(docx: Path, plan: Plan, workbook: Path) -> str | None:
    """Why `docx` must not be replaced by a new build of `plan`, in one plain line
    naming the file and what to do; None when it may be (or does not exist)."""
    docx = Path(docx)
    if not docx.exists():
        return None
    from plangen.roundtrip.workbook_patch import open_elsewhere

    busy = open_elsewhere(docx, "plan")
    if busy:
        return busy.replace("then try again", "then build again")
    keep = f"--force rebuilds it and keeps this copy as {edited_copy_name(docx).name}"
    pull = f"plangen pull {docx} {workbook}"
    try:
        doc = read_document(docx)
    except PlangenError as exc:
        why = str(exc).removeprefix(f"{docx}: ")
        return f"{docx}: is not a plan plangen can read ({why}); not replaced ({keep})"
    stored = doc.stored_fingerprint()
    if stored is None or doc.record is None:  # without the record, ticks cannot be judged
        from plangen.roundtrip.controls import read_controls

        if read_controls(doc.body):
            return (
                f"{docx}: holds no plangen record (lost when it was saved through another "
                "format, such as .odt, or damaged); not replaced. See what differs from the "
                f"workbook with: {pull}; {keep}"
            )
        return f"{docx}: was not written by plangen (no plangen record); not replaced ({keep})"
    if doc.fingerprint() != stored:
        return (
            f"{docx}: was edited since plangen wrote it; not replaced. Its ticks, statuses "
            f"and dates go into the workbook with: {pull}; {keep}"
        )
    pending = pending_edits(doc, plan, workbook)
    if pending:
        return (
            f"{docx}: holds {pending} value{'s' * (pending != 1)} edited in Word (ticks, "
            "statuses, dates, notes) not yet in the workbook; not replaced. "
            f"Run {pull} and build again; {keep}"
        )
    return None


def word_edits(docx: Path, workbook: Path, as_written: str | None = None) -> str | None:
    """Why a rebuild from `workbook` would refuse to replace `docx` (`edits_in`): it was
    edited in Word since plangen wrote it, judged by content, not bytes; None when not.
    `as_written`, the sha256 of the bytes plangen wrote, saves reading the workbook when
    `docx` still has those very bytes (then it holds no edit). None as well when `docx`
    does not exist or the workbook cannot be read (no plan to judge it against)."""
    docx = Path(docx)
    if not docx.is_file():
        return None
    if as_written is not None and _sha256(docx) == as_written:
        return None
    from plangen.workbook.reader import read_plan  # read only when the bytes differ

    try:
        plan, _ = read_plan(Path(workbook))
    except PlangenError:
        return None
    return edits_in(docx, plan, Path(workbook))


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while block := handle.read(1 << 20):
            digest.update(block)
    return digest.hexdigest()


def edited_copy_name(docx: Path) -> Path:
    """A free name beside `docx` for its edited copy: `name.edited-N.docx`."""
    return free_name(docx, "edited")


def keep_edited_copy(docx: Path) -> Path:
    """Copy `docx` to `edited_copy_name(docx)` (never over an existing file)."""
    while True:
        target = edited_copy_name(docx)
        try:
            with target.open("xb") as out, docx.open("rb") as src:
                shutil.copyfileobj(src, out)
            shutil.copystat(docx, target)
            return target
        except FileExistsError:
            continue
        except OSError as exc:
            raise OutputError(f"{target}: cannot be written ({exc.strerror or exc})") from None


def remove_stale_pdf(docx: Path) -> None:
    """Remove the PDF beside `docx`: it shows the plan before this build."""
    pdf = Path(docx).with_suffix(".pdf")
    try:
        pdf.unlink(missing_ok=True)
    except OSError as exc:
        raise OutputError(f"{pdf}: is out of date and cannot be removed ({exc.strerror})") from None
