"""Writing values pulled from a plan document into its workbook, changing nothing else.

The workbook is patched, not rewritten: only the `<c>` elements of the cells a pull
changes are replaced in their sheet's XML (bytes spliced, so every other byte of the
sheet stays), a string the shared-string table lacks is appended to it, and what the
pull took is remembered in a very hidden, protected sheet `_plangen_pulls`. Every other
part of the file (rich text, text boxes, shapes, charts, conditional formats, formulas
with their saved results) is copied as it was. The workbook is replaced atomically after
a byte-for-byte copy is saved beside it as `name.before-pull-N.xlsx`.

`locked` guards a pull: a workbook open in Excel or LibreOffice (their lock files beside
it), a read-only one or an .ods one is refused, and two pulls into one workbook wait for
each other (an exclusive lock on the file, taken again if the file was replaced).
"""

from __future__ import annotations

import json
import os
import posixpath
import re
import shutil
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from lxml import etree

from plangen.errors import PlangenError
from plangen.files import atomic_write, free_name
from plangen.safetext import spreadsheet_xml_text, text_of_spreadsheet_xml

KEPT_COPY_PATTERN = r"\.(edited|before-pull)-\d+$"
"""Stems of the copies plangen keeps (`plan.edited-1.docx`, `plan.before-pull-1.xlsx`)."""
MEMORY_SHEET = "_plangen_pulls"
"""The very hidden sheet where a workbook remembers what pulls took."""
MEMORY_HEADER = ("Plan", "Build", "Record", "Field", "Value", "Pulled on")

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
_CT = "http://schemas.openxmlformats.org/package/2006/content-types"
_SHEET_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
_SHEET_REL = _REL + "/worksheet"
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)
_DATE_FORMAT_IDS = set(range(14, 23)) | set(range(27, 37)) | set(range(45, 48)) | set(
    range(50, 59)
)


class WorkbookBusy(PlangenError):
    """A workbook pull must not write now (open elsewhere, read-only, not .xlsx)."""


@dataclass
class Change:
    """One cell to write: `Supports!D7 "Attend the institute": Status In progress ->
    Completed`."""

    sheet: str
    cell: str
    key: str
    label: str
    old: Any
    new: Any
    preferred_word: bool = False
    words: str = ""
    field: str = ""

    def __str__(self) -> str:
        named = f' "{short(self.words)}"' if self.words else ""
        line = (
            f"{self.sheet}!{self.cell}{named}: {self.label} {quoted(self.old)} → "
            f"{quoted(self.new)}"
        )
        return line + (" (Word preferred over the workbook)" if self.preferred_word else "")


def short(text: str, limit: int = 50) -> str:
    """`text` on one line, cut to `limit` characters with an ellipsis."""
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


_BARE = {"Not started", "In progress", "Completed", "Dropped", "Yes", "No", "Partly"}


def quoted(value: Any) -> str:
    """A value as a change line shows it: a status or date bare, `(blank)`, other text in
    quotes."""
    if value is None or value == "":
        return "(blank)"
    if isinstance(value, date):
        return value.isoformat()
    text = str(value)
    if text in _BARE:
        return text
    return f'"{short(text.replace(chr(10), " / "), 60)}"'


def backup_path(workbook: Path) -> Path:
    """A free name beside `workbook` for its copy: `name.before-pull-N.xlsx`."""
    stem = re.sub(KEPT_COPY_PATTERN, "", workbook.stem)
    return free_name(workbook.with_name(stem + workbook.suffix), "before-pull")


# ------------------------------------------------------------------ guarding


def lock_files(path: Path) -> list[Path]:
    """The lock files Excel (`~$NAME.xlsx`) and LibreOffice (`.~lock.NAME.xlsx#`) keep
    beside a file they have open."""
    name = path.name
    candidates = [f"~${name}", f"~${name[2:]}" if len(name) > 2 else "", f".~lock.{name}#"]
    return [path.with_name(c) for c in candidates if c and path.with_name(c).exists()]


def open_elsewhere(path: Path, what: str = "workbook") -> str | None:
    """Why `path` must not be written now because Excel, Word or LibreOffice has it open
    (one line naming the lock file); None when it is not open."""
    found = lock_files(Path(path))
    if not found:
        return None
    return (
        f"{path}: the {what} is open in Excel, Word or LibreOffice (its lock file "
        f"{found[0].name} is beside it): close it first, then try again"
    )


def refuse_ods(workbook: Path) -> None:
    """WorkbookBusy for an .ods workbook: pull writes .xlsx only, and says how to go on."""
    if workbook.suffix.lower() == ".ods":
        xlsx = workbook.with_suffix(".xlsx")
        raise WorkbookBusy(
            f"{workbook}: pull writes Excel workbooks (.xlsx) only; nothing was read. Save "
            f"it as {xlsx.name} (LibreOffice: File > Save As, Excel 2007-365), pull into "
            f"{xlsx.name}, and build from it from then on"
        )


@contextmanager
def locked(workbook: Path) -> Iterator[None]:
    """Hold `workbook` for one pull: refused when open elsewhere, read-only or .ods;
    otherwise an exclusive lock, waited for, on the file as it is now (taken again when
    another pull replaced the file while this one waited), so the pull reads the
    workbook under the lock and no update is lost."""
    workbook = Path(workbook)
    refuse_ods(workbook)
    reason = open_elsewhere(workbook)
    if reason:
        raise WorkbookBusy(reason)
    if not os.access(workbook, os.W_OK) or not workbook.stat().st_mode & 0o222:
        raise WorkbookBusy(f"{workbook}: is read-only; nothing was pulled (make it writable "
                           "first, or pull into a copy)")
    if not os.access(workbook.parent, os.W_OK):
        raise WorkbookBusy(f"{workbook}: its folder is read-only; nothing was pulled")
    try:
        import fcntl
    except ImportError:  # Windows: no advisory locks; lock files still guard
        yield
        return
    while True:
        try:
            fd = os.open(workbook, os.O_RDONLY)
        except OSError as exc:
            raise WorkbookBusy(f"{workbook}: cannot be opened ({exc.strerror})") from None
        fcntl.flock(fd, fcntl.LOCK_EX)
        try:
            same = os.fstat(fd).st_ino == os.stat(workbook).st_ino
        except OSError:
            same = False
        if same:
            break
        os.close(fd)
    try:
        yield
    finally:
        os.close(fd)


# ------------------------------------------------------------------ the package


class _Parts(dict[str, bytes]):
    """A workbook's parts by name, each read from the zip when first asked for."""

    def __init__(self, path: Path, infos: list[zipfile.ZipInfo]) -> None:
        super().__init__()
        self.path = path
        self.names = {i.filename for i in infos}

    def __contains__(self, name: object) -> bool:
        return name in self.names

    def __iter__(self) -> Iterator[str]:
        return iter(self.names)

    def __missing__(self, name: str) -> bytes:
        if name not in self.names:
            raise KeyError(name)
        try:
            with zipfile.ZipFile(self.path) as archive:
                data = archive.read(name)
        except (zipfile.BadZipFile, OSError, EOFError) as exc:
            raise PlangenError(f"{self.path}: cannot be read for writing ({exc})") from None
        self[name] = data
        return data

    def get(self, name: str, default: Any = None) -> Any:
        return self[name] if name in self.names else default


class Package:
    """An .xlsx opened for patching: its parts as bytes, in order, and where each sheet's
    part is."""

    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            with zipfile.ZipFile(path) as archive:
                self.infos = archive.infolist()
        except (zipfile.BadZipFile, OSError, EOFError) as exc:
            raise PlangenError(f"{path}: cannot be read for writing ({exc})") from None
        self.data = _Parts(path, self.infos)
        self.changed: dict[str, bytes] = {}
        self.book = self._xml("xl/workbook.xml")
        self.rels = self._xml("xl/_rels/workbook.xml.rels")
        self.targets = {
            r.get("Id"): self._target(r.get("Target", "")) for r in self.rels
        }
        self.types = {r.get("Type", "").rsplit("/", 1)[-1]: self._target(r.get("Target", ""))
                      for r in self.rels}
        self.sheets: dict[str, str] = {}
        for el in self.book.iter(f"{{{_MAIN}}}sheet"):
            target = self.targets.get(el.get(f"{{{_REL}}}id"))
            if target:
                self.sheets[el.get("name", "")] = target
        self.date1904 = any(
            el.get("date1904") in ("1", "true") for el in self.book.iter(f"{{{_MAIN}}}workbookPr")
        )
        self._strings: dict[str, int] | None = None
        self._new_strings: list[str] = []
        self._refs = 0

    @staticmethod
    def _target(target: str) -> str:
        if target.startswith("/"):
            return target.lstrip("/")
        return posixpath.normpath(posixpath.join("xl", target))

    def _xml(self, name: str) -> Any:
        if name not in self.data:
            raise PlangenError(f"{self.path}: is not an Excel workbook (no {name})")
        try:
            return etree.fromstring(self.data[name], _PARSER)
        except etree.XMLSyntaxError as exc:
            raise PlangenError(f"{self.path}: its part {name} is damaged ({exc})") from None

    def get(self, name: str) -> bytes:
        return self.changed.get(name, self.data.get(name, b""))

    # ---------------------------------------------------------------- strings

    def string_index(self, text: str) -> int:
        """The shared-string index of `text` (plain, as a whole), appended when new."""
        if self._strings is None:
            self._strings = {}
            name = self.types.get("sharedStrings")
            if name and name in self.data:
                for i, si in enumerate(self._xml(name).iter(f"{{{_MAIN}}}si")):
                    kids = list(si)
                    if len(kids) == 1 and kids[0].tag == f"{{{_MAIN}}}t":
                        self._strings.setdefault(text_of_spreadsheet_xml(kids[0].text or ""), i)
                self._count = sum(1 for _ in self._xml(name).iter(f"{{{_MAIN}}}si"))
            else:
                self._count = 0
        self._refs += 1
        if text in self._strings:
            return self._strings[text]
        index = self._count + len(self._new_strings)
        self._new_strings.append(text)
        self._strings[text] = index
        return index

    def _write_strings(self) -> None:
        if not self._new_strings:
            return
        name = self.types.get("sharedStrings")
        if not name or name not in self.data:
            raise PlangenError(f"{self.path}: has no shared-string table to add text to")
        xml = self.data[name]
        added = "".join(f'<si><t xml:space="preserve">{spreadsheet_xml_text(s)}</t></si>'
                        for s in self._new_strings).encode()
        if xml.rstrip().endswith(b"/>") and b"<si" not in xml:  # <sst .../>: no strings yet
            head = xml.rstrip()[:-2]
            tag = re.search(rb"<(\w+:)?sst\b", head)
            prefix = tag.group(1) or b"" if tag else b""
            xml = head + b">" + added + b"</" + prefix + b"sst>"
        else:
            end = xml.rfind(b"</")
            xml = xml[:end] + added + xml[end:]
        total = self._count + len(self._new_strings)
        xml = _set_root_attr(xml, b"uniqueCount", str(total).encode())
        count = re.search(rb'\scount="(\d+)"', xml[: xml.find(b">", xml.find(b"sst"))])
        if count:
            xml = _set_root_attr(xml, b"count", str(int(count.group(1)) + self._refs).encode())
        self.changed[name] = xml

    # ---------------------------------------------------------------- styles

    def _date_style(self, style: int) -> int:
        """A cell style showing dates: `style` itself when it does, else one like it."""
        name = self.types.get("styles")
        if not name or name not in self.data:
            return style
        root = etree.fromstring(self.get(name), _PARSER)
        formats = {int(n.get("numFmtId", "0")): n.get("formatCode", "")
                   for n in root.iter(f"{{{_MAIN}}}numFmt")}

        def is_date(fid: int) -> bool:
            if fid in _DATE_FORMAT_IDS:
                return True
            code = re.sub(r'"[^"]*"|\[[^\]]*\]', "", formats.get(fid, "")).lower()
            return bool(code) and "y" in code and "d" in code

        xfs_el = root.find(f"{{{_MAIN}}}cellXfs")
        xfs = list(xfs_el) if xfs_el is not None else []
        if style < len(xfs) and is_date(int(xfs[style].get("numFmtId", "0"))):
            return style
        for i, xf in enumerate(xfs):
            if is_date(int(xf.get("numFmtId", "0"))):
                return i
        if xfs_el is None:
            return style
        model = xfs[style] if style < len(xfs) else etree.Element(f"{{{_MAIN}}}xf")
        new = etree.fromstring(etree.tostring(model))
        new.set("numFmtId", "14")
        new.set("applyNumberFormat", "1")
        xml = self.get(name)
        end = xml.find(b"</", xml.find(b"cellXfs"))
        piece = etree.tostring(new).replace(f' xmlns="{_MAIN}"'.encode(), b"")
        xml = xml[:end] + piece + xml[end:]
        start = xml.find(b"<", xml.find(b"cellXfs") - 3)
        tag_end = xml.find(b">", start)
        xml = xml[:start] + re.sub(rb'count="\d+"', f'count="{len(xfs) + 1}"'.encode(),
                                   xml[start:tag_end]) + xml[tag_end:]
        self.changed[name] = xml
        return len(xfs)

    # ---------------------------------------------------------------- cells

    def set_cells(self, sheet: str, values: dict[str, Any]) -> None:
        """Write `values` (cell reference -> str, date or None) into sheet `sheet`."""
        part = self.sheets.get(sheet)
        if part is None or part not in self.data:
            raise PlangenError(f"{self.path}: has no sheet {sheet!r} any more")
        xml = self.get(part)
        wanted = set(values)
        spans: dict[str, tuple[int, int, str, int]] = {}
        for found in _CELL.finditer(xml):  # one pass over the sheet for every cell
            ref = found.group(2).decode()
            if ref in wanted:
                styled = _STYLE.search(found.group(0)[: found.group(0).find(b">")])
                spans[ref] = (found.start(), found.end(), (found.group(1) or b"").decode(),
                              int(styled.group(1)) if styled else 0)
        pieces = []
        last = 0
        for ref, (start, end, prefix, style) in sorted(spans.items(), key=lambda kv: kv[1][0]):
            pieces += [xml[last:start], self._cell(prefix, ref, style, values[ref])]
            last = end
        xml = b"".join([*pieces, xml[last:]])
        for ref in sorted(wanted - set(spans)):  # cells never written: added to their row
            xml = self._set_cell(xml, sheet, ref, values[ref])
        self.changed[part] = xml

    def _set_cell(self, xml: bytes, sheet: str, ref: str, value: Any) -> bytes:
        found = re.search(
            rb'<(\w+:)?c\b(?=[^>]*\sr="' + ref.encode() + rb'")[^>]*?(?:/>|>.*?</(?:\w+:)?c>)',
            xml, re.S,
        )
        if found:
            prefix = (found.group(1) or b"").decode()
            style = re.search(rb'\ss="(\d+)"', xml[found.start() : xml.find(b">", found.start())])
            new = self._cell(prefix, ref, int(style.group(1)) if style else 0, value)
            return xml[: found.start()] + new + xml[found.end() :]
        row_number = re.match(r"[A-Z]+(\d+)", ref)
        assert row_number is not None
        row = re.search(
            rb'<(\w+:)?row\b(?=[^>]*\sr="' + row_number.group(1).encode()
            + rb'")[^>]*?(/>|>.*?</(?:\w+:)?row>)', xml, re.S,
        )
        if row is None:
            raise PlangenError(f"{self.path}: {sheet}!{ref}: its row is not in the sheet any more")
        prefix = (row.group(1) or b"").decode()
        style = re.search(rb'\ss="(\d+)"', xml[row.start() : xml.find(b">", row.start())])
        new = self._cell(prefix, ref, int(style.group(1)) if style else 0, value)
        body = xml[row.start() : row.end()]
        if body.endswith(b"/>") and row.group(2) == b"/>":
            body = body[:-2] + b">" + new + f"</{prefix}row>".encode()
            return xml[: row.start()] + body + xml[row.end() :]
        column = _column_number(ref)
        at = body.rfind(b"</")
        for cell in re.finditer(rb'<(?:\w+:)?c\b[^>]*\sr="([A-Z]+)\d+"', body):
            if _column_number(cell.group(1).decode()) > column:
                at = cell.start()
                break
        body = body[:at] + new + body[at:]
        return xml[: row.start()] + body + xml[row.end() :]

    def _cell(self, prefix: str, ref: str, style: int, value: Any) -> bytes:
        p = f"{prefix}" if prefix else ""
        if value is None or value == "":
            s = f' s="{style}"' if style else ""
            return f'<{p}c r="{ref}"{s}/>'.encode()
        if isinstance(value, datetime):
            value = value.date()
        if isinstance(value, date):
            style = self._date_style(style)
            base = date(1904, 1, 1) if self.date1904 else date(1899, 12, 30)
            s = f' s="{style}"' if style else ""
            return f'<{p}c r="{ref}"{s}><{p}v>{(value - base).days}</{p}v></{p}c>'.encode()
        s = f' s="{style}"' if style else ""
        name = self.types.get("sharedStrings")
        if not name or name not in self.data:  # a workbook of inline strings stays one
            return (f'<{p}c r="{ref}"{s} t="inlineStr"><{p}is><{p}t xml:space="preserve">'
                    f"{spreadsheet_xml_text(str(value))}</{p}t></{p}is></{p}c>").encode()
        index = self.string_index(str(value))
        return f'<{p}c r="{ref}"{s} t="s"><{p}v>{index}</{p}v></{p}c>'.encode()

    # ---------------------------------------------------------------- memory

    def memory(self) -> list[tuple[str, ...]]:
        """The rows of the pull memory (Plan, Build, Record, Field, Value, Pulled on)."""
        part = self.sheets.get(MEMORY_SHEET)
        if part is None or part not in self.data:
            return []
        strings: list[str] = []
        name = self.types.get("sharedStrings")
        if name and name in self.data:
            strings = [
                text_of_spreadsheet_xml("".join(si.itertext()))
                for si in self._xml(name).iter(f"{{{_MAIN}}}si")
            ]
        rows = []
        for row in self._xml(part).iter(f"{{{_MAIN}}}row"):
            cells: dict[int, str] = {}
            for c in row.iter(f"{{{_MAIN}}}c"):
                col = _column_number(re.sub(r"\d", "", c.get("r", "A")))
                kind = c.get("t")
                if kind == "inlineStr":
                    raw = "".join(t.text or "" for t in c.iter(f"{{{_MAIN}}}t"))
                    text = text_of_spreadsheet_xml(raw)
                else:
                    text = c.findtext(f"{{{_MAIN}}}v") or ""
                    if kind == "s" and text.isdigit() and int(text) < len(strings):
                        text = strings[int(text)]
                cells[col] = text
            values = tuple(cells.get(i, "") for i in range(1, len(MEMORY_HEADER) + 1))
            if values != MEMORY_HEADER and any(values):
                rows.append(values)
        return rows

    def write_memory(self, rows: list[tuple[str, ...]]) -> None:
        """Replace the pull memory by `rows` (adding its very hidden sheet when new)."""
        lines = []
        for r, values in enumerate([MEMORY_HEADER, *rows], start=1):
            cells = "".join(
                f'<c r="{chr(65 + i)}{r}" t="inlineStr"><is><t xml:space="preserve">'
                f"{spreadsheet_xml_text(v)}</t></is></c>"
                for i, v in enumerate(values)
            )
            lines.append(f'<row r="{r}">{cells}</row>')
        xml = (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            f'<worksheet xmlns="{_MAIN}" xmlns:r="{_REL}"><sheetData>{"".join(lines)}'
            '</sheetData><sheetProtection sheet="1" objects="1" scenarios="1" '
            'formatCells="0"/></worksheet>'
        ).encode()
        part = self.sheets.get(MEMORY_SHEET)
        if part is None:
            part = self._add_sheet_part()
        self.changed[part] = xml

    def _add_sheet_part(self) -> str:
        n = 1
        names = set(self.data)
        while f"xl/worksheets/plangen_pulls{n}.xml" in names:
            n += 1
        part = f"xl/worksheets/plangen_pulls{n}.xml"
        ids = {r.get("Id") for r in self.rels}
        k = 1
        while f"rIdPlangen{k}" in ids:
            k += 1
        rid = f"rIdPlangen{k}"
        rels = self.data["xl/_rels/workbook.xml.rels"]
        end = rels.rfind(b"</")
        rels = (rels[:end] + f'<Relationship Id="{rid}" Type="{_SHEET_REL}" '
                f'Target="worksheets/plangen_pulls{n}.xml"/>'.encode() + rels[end:])
        self.changed["xl/_rels/workbook.xml.rels"] = rels
        sheet_ids = [int(s.get("sheetId", "0")) for s in self.book.iter(f"{{{_MAIN}}}sheet")]
        book = self.data["xl/workbook.xml"]
        close = re.search(rb"</(\w+:)?sheets>", book)
        if close is None:
            raise PlangenError(f"{self.path}: its workbook part lists no sheets")
        prefix = (close.group(1) or b"").decode()
        rprefix = next((k for k, v in self.book.nsmap.items() if v == _REL and k), None)
        rattr = f"{rprefix}:id" if rprefix else "r:id"
        extra = "" if rprefix else f' xmlns:r="{_REL}"'
        entry = (f'<{prefix}sheet name="{MEMORY_SHEET}" sheetId="{max(sheet_ids, default=0) + 1}"'
                 f' state="veryHidden" {rattr}="{rid}"{extra}/>').encode()
        self.changed["xl/workbook.xml"] = book[: close.start()] + entry + book[close.start() :]
        types = self.data["[Content_Types].xml"]
        end = types.rfind(b"</")
        self.changed["[Content_Types].xml"] = (
            types[:end] + f'<Override PartName="/{part}" ContentType="{_SHEET_TYPE}"/>'.encode()
            + types[end:]
        )
        self.sheets[MEMORY_SHEET] = part
        self._new_part = part
        return part

    # ---------------------------------------------------------------- saving

    def save(self) -> Path:
        """Write the patched workbook in place, atomically, after copying it byte for
        byte beside it; return the copy's path."""

        self._write_strings()
        backup = backup_path(self.path)
        try:
            with backup.open("xb") as out, self.path.open("rb") as src:
                shutil.copyfileobj(src, out)
            shutil.copystat(self.path, backup)
        except OSError as exc:
            raise PlangenError(f"{backup}: cannot be written ({exc.strerror or exc})") from None
        new_part = getattr(self, "_new_part", None)
        with atomic_write(self.path) as tmp:
            with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as out:
                for info in self.infos:
                    name = info.filename
                    out.writestr(info, self.changed[name] if name in self.changed
                                 else self.data[name])
                if new_part:
                    out.writestr(new_part, self.changed[new_part])
            shutil.copymode(self.path, tmp)
        return backup


_CELL = re.compile(
    rb'<(\w+:)?c\b(?=[^>]*?\sr="([A-Z]+\d+)")[^>]*?(?:/>|>.*?</(?:\w+:)?c>)', re.S
)
_STYLE = re.compile(rb'\ss="(\d+)"')


def _set_root_attr(xml: bytes, name: bytes, value: bytes) -> bytes:
    start = xml.find(b"<", xml.find(b"sst") - 4)
    end = xml.find(b">", start)
    tag = xml[start:end]
    pattern = rb"\s" + name + rb'="\d+"'
    if re.search(pattern, tag):
        tag = re.sub(pattern, b" " + name + b'="' + value + b'"', tag)
    return xml[:start] + tag + xml[end:]


def _column_number(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n


def write_changes(
    workbook: Path, changes: list[Change], memory: list[tuple[str, ...]] | None = None
) -> Path:
    """Write `changes` (and the pull memory, when given) into `workbook` in place,
    surgically and atomically, after copying it byte for byte beside it; return the
    copy's path."""
    package = Package(Path(workbook))
    by_sheet: dict[str, dict[str, Any]] = {}
    for change in changes:
        by_sheet.setdefault(change.sheet, {})[change.cell] = change.new
    for sheet, values in by_sheet.items():
        package.set_cells(sheet, values)
    if memory is not None:
        package.write_memory(memory)
    return package.save()


def read_memory(workbook: Path) -> list[tuple[str, ...]]:
    """The pull memory of `workbook` (empty when it has none or cannot be read)."""
    try:
        return Package(Path(workbook)).memory()
    except PlangenError:
        return []


def memory_value(value: Any) -> str:
    """A taken value as the memory keeps it (JSON: text, ISO date or null)."""
    if isinstance(value, date):
        value = value.isoformat()
    return json.dumps(value, ensure_ascii=False)
