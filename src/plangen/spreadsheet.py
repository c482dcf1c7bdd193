"""Spreadsheet files in: checking a file is a safe .xlsx, and reading its sheets as grids
of raw values (python-calamine).

This module judges no meaning: `reader.py` turns grids into a plan. The blank workbook
is written by `blank.py`.
"""

from __future__ import annotations

import contextlib
import html
import os
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import python_calamine

from plangen.errors import WorkbookError

MAX_UNPACKED_BYTES = 200 * 1024 * 1024
"""A workbook whose parts would unpack to more than this is refused before reading."""
MAX_RATIO = 200
"""A part that unpacks to more than this many times its packed size (and > 1 MB) is a bomb."""
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTED_MARK = "EncryptedPackage".encode("utf-16-le")
"""Row of the header in table sheets plangen writes; the reader looks for it anywhere."""


@dataclass
class Grid:
    """The raw values of one sheet, rows from 1, columns from 1 (A)."""

    name: str
    rows: list[list[Any]]
    formulas: dict[str, str] = field(default_factory=dict)
    """Cells (`B7`) holding a formula but no saved result, with the formula's text."""
    merged: list[str] = field(default_factory=list)
    """Merged ranges (`A6:A7`); only the first cell of each holds a value."""
    percent_cells: set[str] | None = None
    """Cells formatted as percent (`C7`); None when formats are not known (.ods)."""

    def merged_range(self, cell: str) -> str | None:
        """The merged range `cell` belongs to, other than as its first cell; else None."""
        col, row = _split_cell(cell)
        for ref in self.merged:
            first, _, last = ref.partition(":")
            (c1, r1), (c2, r2) = _split_cell(first), _split_cell(last or first)
            if c1 <= col <= c2 and r1 <= row <= r2 and (col, row) != (c1, r1):
                return ref
        return None

    def value(self, row: int, column: int) -> Any:
        """The raw value at (row, column), 1-based; `""` outside the used range."""
        if 1 <= row <= len(self.rows):
            cells = self.rows[row - 1]
            if 1 <= column <= len(cells):
                return cells[column - 1]
        return ""


def _split_cell(ref: str) -> tuple[int, int]:
    """`AB12` -> (28, 12)."""
    found = re.match(r"([A-Z]+)(\d+)", ref.upper())
    if not found:
        return 0, 0
    column = 0
    for letter in found.group(1):
        column = column * 26 + ord(letter) - 64
    return column, int(found.group(2))


def check_file(path: Path) -> None:
    """Raise WorkbookError unless `path` is an .xlsx workbook that is safe to read."""
    name = path.name
    if not path.exists():
        raise WorkbookError(f"{path}: no such file")
    if path.is_dir():
        raise WorkbookError(f"{path}: is a folder, not a workbook", "plangen batch reads folders")
    if name.startswith("~$"):
        raise WorkbookError(
            f"{path}: is an Office lock file, not a workbook",
            "open the workbook without the ~$ in its name",
        )
    try:
        with path.open("rb") as handle:
            head = handle.read(8)
            size = os.fstat(handle.fileno()).st_size
    except OSError as exc:
        raise WorkbookError(f"{path}: cannot be read ({exc.strerror})") from None
    if size == 0:
        raise WorkbookError(f"{path}: the file is empty")
    if head == _OLE_MAGIC:
        raise _ole_error(path)
    if not head.startswith(b"PK"):
        raise WorkbookError(
            f"{path}: is not an .xlsx workbook (it looks like {_describe(path)})",
            "open it in Excel or LibreOffice and save it as Excel Workbook (.xlsx)",
        )
    _check_zip(path)


def _ole_error(path: Path) -> WorkbookError:
    data = path.read_bytes()
    if _ENCRYPTED_MARK in data:
        return WorkbookError(
            f"{path}: is protected with a password",
            "save a copy without a password (File > Info > Protect Workbook) and use that",
        )
    return WorkbookError(
        f"{path}: is an old Excel 97-2003 (.xls) file",
        "open it in Excel or LibreOffice and save it as Excel Workbook (.xlsx)",
    )


def _describe(path: Path) -> str:
    with path.open("rb") as handle:
        sample = handle.read(2048)
    try:
        text = sample.decode("utf-8")
    except UnicodeDecodeError:
        return "binary data"
    return "CSV text" if "," in text or ";" in text or "\t" in text else "plain text"


_ODS_MIME = b"application/vnd.oasis.opendocument.spreadsheet"


def _is_ods(archive: zipfile.ZipFile, names: set[str]) -> bool:
    """An OpenDocument spreadsheet (LibreOffice's .ods): its mimetype part says so."""
    if "mimetype" not in names or "content.xml" not in names:
        return False
    with archive.open("mimetype") as part:
        return part.read(len(_ODS_MIME) + 1).strip() == _ODS_MIME


def _check_zip(path: Path) -> None:
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
            names = {m.filename for m in members}
            if "xl/workbook.xml" not in names and not _is_ods(archive, names):
                if "EncryptedPackage" in names:
                    raise WorkbookError(f"{path}: is protected with a password")
                raise WorkbookError(
                    f"{path}: is a zip file but not a spreadsheet",
                    "plangen reads .xlsx workbooks (Excel) and .ods (LibreOffice); "
                    "save it as Excel 2007-365 (.xlsx)",
                )
            total = sum(m.file_size for m in members)
            if total > MAX_UNPACKED_BYTES:
                raise WorkbookError(
                    f"{path}: would unpack to {total / 1e6:,.0f} MB, more than the "
                    f"{MAX_UNPACKED_BYTES / 1e6:,.0f} MB plangen reads; refused unread"
                )
            for member in members:
                packed = max(member.compress_size, 1)
                if member.file_size > 1_000_000 and member.file_size / packed > MAX_RATIO:
                    raise WorkbookError(
                        f"{path}: part {member.filename} would unpack to {member.file_size:,} "
                        "bytes from far fewer; refused unread as a zip bomb"
                    )
            for member in members:
                if member.filename.endswith((".xml", ".rels")):
                    with archive.open(member) as part:
                        head = part.read(2048)
                    if b"<!DOCTYPE" in head or b"<!ENTITY" in head:
                        raise WorkbookError(
                            f"{path}: part {member.filename} declares XML entities; "
                            "refused for safety"
                        )
    except zipfile.BadZipFile:
        raise WorkbookError(
            f"{path}: is damaged or incomplete (not a whole .xlsx file)",
            "open it in Excel or LibreOffice and save it again",
        ) from None
    except OSError as exc:
        raise WorkbookError(f"{path}: cannot be read ({exc})") from None


def read_grids(path: Path) -> dict[str, Grid]:
    """Every worksheet of `path` as a grid of raw values, by sheet name.

    Values are cached results for formulas (blank when the file holds none), dates as
    `date`/`datetime`, numbers as `float` or `int`, blank cells as `""`.
    """
    check_file(path)
    try:
        book = python_calamine.CalamineWorkbook.from_path(str(path))
        try:
            grids = {}
            for meta in book.sheets_metadata:
                if str(meta.typ).endswith("WorkSheet"):
                    grids[meta.name] = Grid(meta.name, _sheet_rows(book, meta.name, path))
        finally:
            book.close()
        for name, extras in sheet_extras(path).items():
            if name in grids:
                grids[name].formulas = extras.formulas
                grids[name].merged = extras.merged
                grids[name].percent_cells = extras.percent_cells
        return grids
    except WorkbookError:
        raise
    except Exception as exc:  # calamine raises several types for damaged parts
        raise WorkbookError(
            f"{path}: could not be read as a workbook ({_first_line(exc)})",
            "open it in Excel or LibreOffice and save it again as .xlsx",
        ) from None


@dataclass
class SheetExtras:
    """What calamine does not give of one sheet, read from its XML."""

    formulas: dict[str, str] = field(default_factory=dict)
    merged: list[str] = field(default_factory=list)
    percent_cells: set[str] = field(default_factory=set)


_SHEET_TAG = re.compile(rb"<(?:\w+:)?sheet\b([^>]*)>")
_REL_TAG = re.compile(rb"<(?:\w+:)?Relationship\b([^>]*)>")
_CELL_TAG = re.compile(rb"<(?:\w+:)?c\b([^>]*?)(?:/>|>(.*?)</(?:\w+:)?c>)", re.S)
_FORMULA_TAG = re.compile(rb"<(?:\w+:)?f\b[^>]*?(?:/>|>(.*?)</(?:\w+:)?f>)", re.S)
_FILLED_VALUE = re.compile(rb"<(?:\w+:)?(?:v|t)\b[^>/]*>[^<]")
_MERGE_TAG = re.compile(rb"<(?:\w+:)?mergeCell\b[^>]*?\bref=\"([A-Z]+\d+(?::[A-Z]+\d+)?)\"")
_NUMFMT_TAG = re.compile(rb"<(?:\w+:)?numFmt\b([^>]*)>")
_CELLXFS = re.compile(rb"<(?:\w+:)?cellXfs\b[^>]*>(.*?)</(?:\w+:)?cellXfs>", re.S)
_XF_TAG = re.compile(rb"<(?:\w+:)?xf\b([^>]*)>")
_PERCENT_BUILTIN = {"9", "10"}
MAX_MERGED_RANGES = 10_000
"""Merged ranges looked at per sheet (each blank cell is checked against them)."""


def _attr(tag: bytes, name: bytes) -> str:
    found = re.search(rb"(?:^|\s)(?:\w+:)?" + name + rb'="([^"]*)"', tag)
    return html.unescape(found.group(1).decode("utf-8")) if found else ""


def uncached_formulas(path: Path) -> dict[str, dict[str, str]]:
    """Formula cells with no saved result, by sheet name: {"Goals": {"A4": "0+1"}}."""
    return {n: e.formulas for n, e in sheet_extras(path).items() if e.formulas}


def _percent_styles(archive: zipfile.ZipFile, names: set[str]) -> set[str]:
    """Indexes of the cell styles (`s="3"`) whose number format shows a percent."""
    if "xl/styles.xml" not in names:
        return set()
    xml = archive.read("xl/styles.xml")
    percent_formats = set(_PERCENT_BUILTIN)
    for tag in _NUMFMT_TAG.findall(xml):
        code = re.sub(r'"[^"]*"|\\.', "", _attr(tag, b"formatCode"))
        if "%" in code:
            percent_formats.add(_attr(tag, b"numFmtId"))
    xfs = _CELLXFS.search(xml)
    tags = _XF_TAG.findall(xfs.group(1)) if xfs else []
    return {str(i) for i, tag in enumerate(tags) if _attr(tag, b"numFmtId") in percent_formats}


def sheet_extras(path: Path) -> dict[str, SheetExtras]:
    """Per sheet name: formula cells with no saved result, merged ranges, percent cells.

    openpyxl and some other tools write formulas without their results; a reader then
    sees a blank. Regular expressions over the parts keep this cheap; .ods files give
    nothing (calamine reads their values).
    """
    found: dict[str, SheetExtras] = {}
    with zipfile.ZipFile(path) as archive:
        names = set(archive.namelist())
        if "xl/_rels/workbook.xml.rels" not in names:
            return found
        percent_styles = _percent_styles(archive, names)
        styled = (
            re.compile(
                rb'<(?:\w+:)?c\b[^>]*?\bs="(?:'
                + "|".join(sorted(percent_styles)).encode()
                + rb')"[^>]*>'
            )
            if percent_styles
            else None
        )
        targets = {}
        for tag in _REL_TAG.findall(archive.read("xl/_rels/workbook.xml.rels")):
            target = _attr(tag, b"Target")
            part = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
            targets[_attr(tag, b"Id")] = part
        for tag in _SHEET_TAG.findall(archive.read("xl/workbook.xml")):
            part = targets.get(_attr(tag, b"id"), "")
            if part not in names:
                continue
            xml = archive.read(part)
            extras = found.setdefault(_attr(tag, b"name"), SheetExtras())
            merges = _MERGE_TAG.findall(xml)[:MAX_MERGED_RANGES]
            extras.merged = [m.decode("ascii") for m in merges]
            if styled is not None:
                extras.percent_cells = {_attr(m.group(0), b"r") for m in styled.finditer(xml)}
            if b"<f" not in xml and b":f" not in xml:
                continue
            for attrs, body in _CELL_TAG.findall(xml):
                formula = _FORMULA_TAG.search(body or b"")
                if formula and not _FILLED_VALUE.search(body):
                    text = (formula.group(1) or b"").decode("utf-8", "replace")
                    extras.formulas[_attr(attrs, b"r")] = html.unescape(text)
    return found


@contextlib.contextmanager
def _native_stderr_silenced() -> Iterator[None]:
    """Send file descriptor 2 to /dev/null meanwhile: a Rust panic inside calamine prints
    its own backtrace there, which must not reach the user (plangen reports it instead)."""
    try:
        saved = os.dup(2)
    except OSError:
        yield
        return
    try:
        with open(os.devnull, "wb") as null:
            os.dup2(null.fileno(), 2)
        yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)


def _sheet_rows(book: Any, name: str, path: Path) -> list[list[Any]]:
    """The rows of one sheet; WorkbookError naming it when calamine panics on a value."""
    try:
        with _native_stderr_silenced():
            return book.get_sheet_by_name(name).to_python(skip_empty_area=False)
    except BaseException as exc:  # pyo3's PanicException is not an Exception
        if type(exc).__name__ != "PanicException":
            raise
        raise WorkbookError(
            f'{path}: sheet "{name}" could not be read (a value is out of range: '
            f"{_first_line(exc)})",
            "a cell formatted as a date may hold a number outside the range of dates "
            "(Excel shows it as #####); fix or clear it",
        ) from None


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0][:160] if text else type(exc).__name__
