"""Spreadsheet files in: checking a file is a safe .xlsx, and reading its sheets as grids
of raw values (python-calamine).

This module judges no meaning: `reader.py` turns grids into a plan. The blank workbook
is written by `blank.py`.
"""

from __future__ import annotations

import contextlib
import functools
import html
import os
import posixpath
import re
import stat
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import python_calamine

from plangen import package_safety
from plangen.errors import WorkbookError

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTED_MARK = "EncryptedPackage".encode("utf-16-le")
"""Row of the header in table sheets plangen writes; the reader looks for it anywhere."""


@functools.lru_cache(maxsize=1024)
def column_letter(column: int) -> str:
    """A 1-based column number as its letters (1 -> `A`, 28 -> `AB`), as openpyxl's
    `get_column_letter` writes it, without importing openpyxl (a fifth of a build's
    start-up)."""
    if not 1 <= column <= 18278:
        raise ValueError(f"Invalid column index {column}")
    letters = ""
    while column:
        column, rest = divmod(column - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


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
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        raise WorkbookError(f"{path}: no such file") from None
    except OSError as exc:
        raise WorkbookError(f"{path}: cannot be read ({exc.strerror or exc})") from None
    if stat.S_ISDIR(mode):
        raise WorkbookError(f"{path}: is a folder, not a workbook", "plangen batch reads folders")
    if not stat.S_ISREG(mode):
        raise WorkbookError(
            f"{path}: is not a regular file (a pipe, device or socket); refused unread"
        )
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
    package_safety.check_size(path, size, WorkbookError)
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


WORD, WORKBOOK = "word", "workbook"


def office_kind(path: Path) -> str:
    """`workbook` for an .xlsx or .ods, `word` for a .docx (by content, not by name);
    `` for anything else or a file that cannot be opened."""
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
            if "xl/workbook.xml" in names or _is_ods(archive, names):
                return WORKBOOK
            return WORD if "word/document.xml" in names else ""
    except (OSError, zipfile.BadZipFile, ValueError):
        return ""


def _check_zip(path: Path) -> None:
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
            names = {m.filename for m in members}
            if "xl/workbook.xml" not in names and not _is_ods(archive, names):
                if "EncryptedPackage" in names:
                    raise WorkbookError(f"{path}: is protected with a password")
                if "word/document.xml" in names:
                    raise WorkbookError(
                        f"{path}: is a Word document, not a workbook",
                        "a plan is made from its workbook (.xlsx); to bring edits made in "
                        "a Word plan back into its workbook, use plangen pull",
                    )
                raise WorkbookError(
                    f"{path}: is a zip file but not a spreadsheet",
                    "plangen reads .xlsx workbooks (Excel) and .ods (LibreOffice); "
                    "save it as Excel 2007-365 (.xlsx)",
                )
            package_safety.check_archive(path, archive, WorkbookError)
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
    `date`/`datetime`, numbers as `float` or `int`, blank cells as `""`. The sheets are
    scanned first (streaming, nothing held), so a sheet whose filled cells span more than
    `MAX_CELLS` is refused before the reader would allocate them.
    """
    check_file(path)
    try:
        with zipfile.ZipFile(path) as archive:
            scans = scan_sheets(archive, path)
            found_extras = archive_extras(archive)
        text = sum(scan.text for scan in scans.values())
        if text > MAX_TEXT_CHARS:
            name = max(scans, key=lambda n: scans[n].text)
            raise WorkbookError(
                f"{path}: {name}: its cells would hold {scans[name].text:,} characters of "
                f"text (the workbook {text:,}), more than the {MAX_TEXT_CHARS:,} plangen reads",
                "a cell repeated many times holds its text each time; clear what is not "
                "part of the plan",
            )
        cells = sum(scan.cells for scan in scans.values())
        if cells > MAX_CELLS:
            name = max(scans, key=lambda n: scans[n].cells)
            scan = scans[name]
            everything = f" (all sheets together {cells:,} cells)" if cells != scan.cells else ""
            raise WorkbookError(
                f"{path}: {name}!{scan.far_cell}: this filled cell makes the sheet "
                f"{scan.rows:,} rows by {scan.columns:,} columns{everything}, more than the "
                f"{MAX_CELLS:,} cells plangen reads",
                f"clear the cells beyond your table in the sheet {name}",
            )
        with path.open("rb") as handle:
            book = _open_book(path, handle)
            try:
                grids = {}
                for meta in book.sheets_metadata:
                    if str(meta.typ).endswith("WorkSheet"):
                        grids[meta.name] = Grid(meta.name, _sheet_rows(book, meta.name, path))
            finally:
                book.close()
        for name, scan in scans.items():
            if name in grids:
                grids[name].formulas = scan.formulas
        for name, extras in found_extras.items():
            if name in grids:
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


def _open_book(path: Path, handle: Any) -> Any:
    """calamine's workbook: by path (it tells .ods from .xlsx by the name), or from the open
    file when the name is not UTF-8 (calamine cannot open such a path)."""
    try:
        name = str(path).encode("utf-8").decode("utf-8")
    except UnicodeError:
        return python_calamine.CalamineWorkbook.from_filelike(handle)
    return python_calamine.CalamineWorkbook.from_path(name)


MAX_CELLS = 1_000_000
"""Most cells (rows x columns of each sheet's filled area, all sheets together) a
workbook may span: the reader holds them all, about 45 bytes each; a plan's tables fill
a few thousand."""

MAX_TEXT_CHARS = 50_000_000
"""Most characters of text all cells of a workbook may hold (a short file can repeat one
long shared text in every cell: 1.2 MB took 1.8 GB before this cap)."""

@dataclass
class SheetExtras:
    """What calamine does not give of one sheet, read from its XML."""

    formulas: dict[str, str] = field(default_factory=dict)
    merged: list[str] = field(default_factory=list)
    percent_cells: set[str] = field(default_factory=set)


_SHEET_TAG = re.compile(rb"<(?:\w+:)?sheet\b([^>]*)>")
_REL_TAG = re.compile(rb"<(?:\w+:)?Relationship\b([^>]*)>")
_CELL_REF = re.compile(r"^([A-Za-z]{1,3})(\d{1,7})$")
_CELL_TAG = re.compile(rb"<(?:\w+:)?c\b([^>]*?)(?:/>|>(.*?)</(?:\w+:)?c>)", re.S)
_FORMULA_TAG = re.compile(rb"<(?:\w+:)?f\b[^>]*?(?:/>|>(.*?)</(?:\w+:)?f>)", re.S)
_ANY_FORMULA = re.compile(rb"<(?:\w+:)?f[ >/]")
_FILLED_VALUE = re.compile(rb"<(?:\w+:)?(?:v|t)\b[^>/]*>[^<]")
_MERGE_TAG = re.compile(rb"<(?:\w+:)?mergeCell\b[^>]*?\bref=\"([A-Z]+\d+(?::[A-Z]+\d+)?)\"")
_NUMFMT_TAG = re.compile(rb"<(?:\w+:)?numFmt\b([^>]*)>")
_CELLXFS = re.compile(rb"<(?:\w+:)?cellXfs\b[^>]*>(.*?)</(?:\w+:)?cellXfs>", re.S)
_XF_TAG = re.compile(rb"<(?:\w+:)?xf\b([^>]*)>")
_PERCENT_BUILTIN = {"9", "10"}
MAX_MERGED_RANGES = 10_000
"""Merged ranges looked at per sheet (each blank cell is checked against them)."""


@functools.cache
def _attribute(name: bytes) -> re.Pattern[bytes]:
    return re.compile(rb"(?:^|\s)(?:\w+:)?" + name + rb'="([^"]*)"')


def _attr(tag: bytes, name: bytes) -> str:
    found = _attribute(name).search(tag)
    if found is None:
        return ""
    value = found.group(1).decode("utf-8")
    return html.unescape(value) if "&" in value else value


@dataclass
class SheetScan:
    """What a streaming pass over one sheet's XML found, before any reader allocates it."""

    rows: int = 0
    columns: int = 0
    far_cell: str = ""
    """A filled cell at the far corner's row or column, to name in an error."""
    formulas: dict[str, str] = field(default_factory=dict)
    """Cells (`B7`) holding a formula but no saved result, with the formula's text."""
    text: int = 0
    """Characters of text the sheet's cells hold (shared strings counted once per cell
    that uses them); an upper bound unless `exact`."""
    exact: bool = True

    @property
    def cells(self) -> int:
        """The cells of the rectangle a reader allocates for the sheet."""
        return self.rows * self.columns


def scan_sheets(archive: zipfile.ZipFile, path: Path | str = "") -> dict[str, SheetScan]:
    """Each worksheet's filled extent and its formulas without a saved result, by name.

    The XML is parsed as a stream by expat (memory does not grow with the sheet; entity
    declarations are refused): a cell counts as filled when it holds a value, an inline
    string or a formula. Worksheet parts no sheet name points at are scanned too (under
    their part name), so nothing reaches the reader unscanned.
    """
    names = set(archive.namelist())
    targets: dict[str, str] = {}
    if "xl/_rels/workbook.xml.rels" in names:
        for tag in _REL_TAG.findall(archive.read("xl/_rels/workbook.xml.rels")):
            target = _attr(tag, b"Target").replace("\\", "/")
            part = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
            targets[_attr(tag, b"Id")] = posixpath.normpath(part)
    strings = [p for p in targets.values() if p.lower().endswith("sharedstrings.xml")]
    shared = _shared_lengths(archive, [p for p in strings if p in names], path)
    parts: dict[str, str] = {}
    if "xl/workbook.xml" in names:
        for tag in _SHEET_TAG.findall(archive.read("xl/workbook.xml")):
            part = targets.get(_attr(tag, b"id"), "")
            if part in names:
                parts[_attr(tag, b"name")] = part
    for member in sorted(names - set(parts.values())):
        if _WORKSHEET_PART.search(member):
            parts[member] = member
    found: dict[str, SheetScan] = {}
    if not parts and "content.xml" in names:  # an .ods: all its tables in one part
        with archive.open("content.xml") as stream:
            return _scan_ods(stream, path)
    longest = max(shared, default=0)
    quick, careful = _CellBudget(MAX_CELLS), _CellBudget(MAX_CELLS)
    name = ""
    try:
        for name, part in parts.items():
            with archive.open(part) as stream:
                scan = _quick_scan(stream, longest, quick)
            if scan is None:
                with archive.open(part) as stream:
                    scan = _scan_sheet(stream, part, path, shared, careful)
            found[name] = scan
        text = sum(scan.text for scan in found.values())
        if text > MAX_TEXT_CHARS or sum(scan.cells for scan in found.values()) > MAX_CELLS:
            for name, scan in found.items():
                if not scan.exact:
                    with archive.open(parts[name]) as stream:
                        found[name] = _scan_sheet(stream, parts[name], path, shared, careful)
    except _TooManyCells:
        raise WorkbookError(
            f"{path}: {name}: the workbook's sheets hold more than the {MAX_CELLS:,} cells "
            "(filled or only formatted) plangen reads",
            f"clear the cells beyond your table in the sheet {name}, formats included",
        ) from None
    return found


class _OdsScanner:
    """expat handlers measuring each table of an .ods: rows and columns up to the last
    cell holding a value, repeats (`number-rows-repeated`, `number-columns-repeated`)
    included, which is what a reader allocates."""

    def __init__(self) -> None:
        self.found: dict[str, SheetScan] = {}
        self.scan = SheetScan()
        self.row = self.column = self.row_repeat = 0

    def start(self, tag: str, attrs: dict[str, str]) -> None:
        name = tag.rsplit(":", 1)[-1]
        if name == "table" and tag.startswith(_ODS_TABLE):
            self.scan = self.found.setdefault(attrs.get(f"{_ODS_TABLE}:name", ""), SheetScan())
            self.row = 0
        elif name == "table-row":
            self.row_repeat = _repeat(attrs.get(f"{_ODS_TABLE}:number-rows-repeated"))
            self.row += self.row_repeat
            self.column = 0
        elif name in ("table-cell", "covered-table-cell"):
            self.column += _repeat(attrs.get(f"{_ODS_TABLE}:number-columns-repeated"))
            if f"{_ODS_OFFICE}:value-type" in attrs:
                scan = self.scan
                scan.rows, scan.columns = max(scan.rows, self.row), max(scan.columns, self.column)
                scan.far_cell = f"{column_letter(min(self.column, 16384))}{self.row}"


_ODS_TABLE = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
_ODS_OFFICE = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"


def _repeat(value: str | None) -> int:
    try:
        return max(1, int(value or 1))
    except ValueError:
        return 1


def _scan_ods(stream: Any, path: Path | str) -> dict[str, SheetScan]:
    from xml.parsers import expat

    scanner = _OdsScanner()
    parser = expat.ParserCreate(namespace_separator=":")
    parser.StartElementHandler = scanner.start
    parser.StartDoctypeDeclHandler = _refuse_entities
    parser.EntityDeclHandler = _refuse_entities
    _feed(parser, stream, "content.xml", path)
    return scanner.found


class _TooManyCells(Exception):
    """More cell elements than `MAX_CELLS` in a workbook's sheets: stop scanning."""


@dataclass
class _CellBudget:
    """Cell elements (filled or only formatted) the scan may still meet; scanning time
    stays bounded whatever a sheet holds."""

    left: int = 0

    def spend(self, count: int) -> None:
        self.left -= count
        if self.left < 0:
            raise _TooManyCells


_WORKSHEET_PART = re.compile(r"(?:^|/)worksheets/[^/]+\.xml$", re.I)


def _shared_lengths(
    archive: zipfile.ZipFile, parts: list[str], path: Path | str
) -> Sequence[int]:
    """The length of each shared string (cells of type `s` refer to them by index), as a
    compact array; more than `MAX_CELLS` shared strings are refused (no sheet can use
    them all)."""
    from array import array
    from xml.parsers import expat

    part = next(iter(parts), "xl/sharedStrings.xml")
    lengths = array("q")
    if part not in archive.namelist():
        return lengths
    current = [0]
    parser = expat.ParserCreate()
    parser.StartDoctypeDeclHandler = _refuse_entities
    parser.EntityDeclHandler = _refuse_entities

    def start(tag: str, attrs: dict[str, str]) -> None:
        if tag.rsplit(":", 1)[-1] == "si":
            current[0] = 0

    def end(tag: str) -> None:
        if tag.rsplit(":", 1)[-1] == "si":
            lengths.append(current[0])
            if len(lengths) > MAX_CELLS:
                raise _TooManyCells

    def text(data: str) -> None:
        current[0] += len(data)

    parser.StartElementHandler, parser.EndElementHandler = start, end
    parser.CharacterDataHandler = text
    try:
        with archive.open(part) as stream:
            _feed(parser, stream, part, path)
    except _TooManyCells:
        raise WorkbookError(
            f"{path}: part {part} holds more than {MAX_CELLS:,} texts, more than plangen reads"
        ) from None
    return lengths


_CELL_WITH_REF = re.compile(rb' r="([A-Z]{1,3})(\d{1,7})"')
"""A cell's reference: the only `r` attribute of a sheet that holds letters and digits."""
_CELL_OPENINGS = (b"<c ", b"<c>", b"<c/")
_CAREFUL_MARKS = re.compile(rb":[cf][ >/]|<f[ >/]|<!")
"""Prefixed cells, formulas and declarations: the careful pass handles them."""


def _quick_scan(
    stream: Any, longest: int = 0, budget: _CellBudget | None = None
) -> SheetScan | None:
    """The extent of every cell (filled or only formatted) from a pass over the XML in
    1 MB chunks with byte counts and one regex; None when a careful pass is needed: the
    sheet has a formula or a declaration, a cell whose reference is not found, or an
    extent past `MAX_CELLS` (which may be formatting only)."""
    scan = SheetScan(exact=False)
    letters: set[bytes] = set()
    tail = b""
    while True:
        chunk = stream.read(1 << 20)
        data = tail + chunk
        cut = data.rfind(b"<") if chunk else -1
        if cut > 0:
            data, tail = data[:cut], data[cut:]
        else:
            tail = b""
        if _CAREFUL_MARKS.search(data):
            return None
        openings = sum(data.count(opening) for opening in _CELL_OPENINGS)
        if budget is not None:
            budget.spend(openings)
        refs = _CELL_WITH_REF.findall(data)
        if len(refs) != openings:
            return None
        scan.text += len(data) + longest * data.count(b' t="s"')
        if refs:
            letters.update(col for col, _ in refs)
            scan.rows = max(scan.rows, max(int(row) for _, row in refs))
        if not chunk:
            break
    scan.columns = max((column_index(c.decode()) for c in letters), default=0)
    return None if scan.rows * scan.columns > MAX_CELLS else scan


class _SheetScanner:
    """expat handlers that follow rows and cells; an XML entity declaration stops it."""

    def __init__(self, shared: Sequence[int] = (), budget: _CellBudget | None = None):
        self.scan = SheetScan()
        self.budget = budget or _CellBudget(MAX_CELLS)
        self.shared = shared
        self.is_shared = False
        self.index: list[str] = []
        self.row = self.column = 0
        self.ref = ""
        self.formula: list[str] | None = None
        self.value = False
        self.inside = ""  # "f", "v" or "t" while in one of those elements of a cell

    def start(self, tag: str, attrs: dict[str, str]) -> None:
        name = tag.rsplit(":", 1)[-1]
        if name == "row":
            self.row = int(attrs.get("r") or self.row + 1)
            self.column = 0
        elif name == "c":
            self.budget.spend(1)
            match = _CELL_REF.match(attrs.get("r") or "")
            if match:
                self.column, self.row = column_index(match.group(1)), int(match.group(2))
            else:
                self.column += 1
            self.ref = f"{column_letter(min(max(self.column, 1), 16384))}{self.row}"
            self.formula, self.value, self.inside = None, False, ""
            self.is_shared, self.index = attrs.get("t") == "s", []
        elif name == "f":
            self.formula, self.inside = [], "f"
        elif name in ("v", "t"):
            self.inside = name

    def text(self, data: str) -> None:
        if self.inside == "f" and self.formula is not None:
            self.formula.append(data)
        elif self.inside in ("v", "t") and data:
            self.value = True
            if self.is_shared and self.inside == "v":
                self.index.append(data)
            else:
                self.scan.text += len(data)

    def end(self, tag: str) -> None:
        name = tag.rsplit(":", 1)[-1]
        if name in ("f", "v", "t"):
            self.inside = ""
        elif name == "c":
            scan = self.scan
            if self.formula is not None or self.value:
                if self.row > scan.rows or self.column > scan.columns:
                    scan.far_cell = self.ref
                scan.rows, scan.columns = max(scan.rows, self.row), max(scan.columns, self.column)
            if self.formula is not None and not self.value:
                scan.formulas[self.ref] = "".join(self.formula)
            if self.index:
                with contextlib.suppress(ValueError, IndexError):
                    scan.text += self.shared[int("".join(self.index))]


_CONTROL = re.compile(
    rb"[\x00-\x08\x0b\x0c\x0e-\x1f]"
    rb"|&#(?:0*(?:[0-8]|1[124-9]|2\d|3[01])|x0*(?:[0-8bcBC]|1[0-9a-fA-F]));"
)
"""Control characters, raw or as references: not XML, but Excel's reader skips them."""


class _EntityDeclared(Exception):
    pass


def _refuse_entities(*args: Any) -> None:
    raise _EntityDeclared


def _scan_sheet(
    stream: Any,
    part: str,
    path: Path | str = "",
    shared: Sequence[int] = (),
    budget: _CellBudget | None = None,
) -> SheetScan:
    from xml.parsers import expat

    scanner = _SheetScanner(shared, budget)
    parser = expat.ParserCreate(namespace_separator=":")
    parser.StartElementHandler = scanner.start
    parser.EndElementHandler = scanner.end
    parser.CharacterDataHandler = scanner.text
    parser.StartDoctypeDeclHandler = _refuse_entities
    parser.EntityDeclHandler = _refuse_entities
    _feed(parser, stream, part, path)
    return scanner.scan


def _feed(parser: Any, stream: Any, part: str, path: Path | str) -> None:
    """Parse `stream` in 64 KB chunks, control characters dropped (Excel skips them)."""
    from xml.parsers import expat

    tail = b""
    try:
        while chunk := stream.read(1 << 16):
            data = tail + chunk
            cut = data.rfind(b"&")
            if cut != -1 and b";" not in data[cut:]:
                data, tail = data[:cut], data[cut:]  # a reference split between chunks
            else:
                tail = b""
            parser.Parse(_CONTROL.sub(b"", data), False)
        parser.Parse(_CONTROL.sub(b"", tail), True)
    except _EntityDeclared:
        raise WorkbookError(
            f"{path}: part {part} declares XML entities; refused for safety"
        ) from None
    except expat.ExpatError as exc:
        raise WorkbookError(
            f"{path}: part {part} is damaged ({exc})",
            "open it in Excel or LibreOffice and save it again",
        ) from None


def column_index(letters: str) -> int:
    """1 for A, 27 for AA, 16384 for XFD."""
    number = 0
    for letter in letters.upper():
        number = number * 26 + ord(letter) - 64
    return number


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
    with zipfile.ZipFile(path) as archive:
        return archive_extras(archive)


def archive_extras(archive: zipfile.ZipFile) -> dict[str, SheetExtras]:
    """`sheet_extras` of a workbook already open as `archive`."""
    found: dict[str, SheetExtras] = {}
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
        if b"mergeCell" in xml:
            merges = _MERGE_TAG.findall(xml)[:MAX_MERGED_RANGES]
            extras.merged = [m.decode("ascii") for m in merges]
        if styled is not None and any(f's="{i}"'.encode() in xml for i in percent_styles):
            extras.percent_cells = {_attr(m.group(0), b"r") for m in styled.finditer(xml)}
        if not _ANY_FORMULA.search(xml):  # `<formula1>` of a drop-down is not one
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
