"""Tagged PDF/UA-1: what LibreOffice's export leaves undone, and PDFs joined with their tags.

LibreOffice (7.4) writes a tagged PDF that declares PDF/UA-1 when asked (`EXPORT_OPTIONS`),
with headings, lists, tables, the title shown and the language set. Two things of the
Word document do not reach it: a chart's text alternative (`wp:docPr descr`: every chart
becomes a `/Figure` without `/Alt`) and a table's row headers (the labels in the first
column of a table whose style marks its first column). `finish` puts both in, from the
.docx, matching figures and tables in document order. `combine` joins tagged PDFs into one
whose structure tree holds each plan as a part, so the joined PDF is as accessible as the
plans.
"""

from __future__ import annotations

import contextlib
import json
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pikepdf
from lxml import etree
from pikepdf import Array, Dictionary, Name

EXPORT_OPTIONS = {"UseTaggedPDF": True, "PDFUACompliance": True}
"""LibreOffice's PDF export filter data: a tagged PDF that declares PDF/UA-1."""

EXPORT_FILTER = "pdf:writer_pdf_Export:" + json.dumps(
    {
        name: {"type": "boolean", "value": str(value).lower()}
        for name, value in EXPORT_OPTIONS.items()
    }
)
"""`--convert-to` with those options, as LibreOffice's command line takes them."""

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
WP = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
NS = {"w": W, "wp": WP}


@dataclass(frozen=True)
class TableShape:
    """How a Word table names its headers: leading header rows, labels in column one."""

    header_rows: int
    row_headers: bool


@dataclass(frozen=True)
class WordFacts:
    """What the tagged PDF needs from the .docx: text alternatives and table headers."""

    alternatives: list[str]
    tables: list[TableShape]


def word_facts(docx: Path) -> WordFacts:
    """Each drawing's text alternative (`descr`, else its title or name) and each table's
    headers, in the body's order. Empty when the .docx cannot be read."""
    try:
        with zipfile.ZipFile(docx) as package:
            root = etree.fromstring(package.read("word/document.xml"))
    except (OSError, KeyError, zipfile.BadZipFile, etree.XMLSyntaxError):
        return WordFacts([], [])
    alternatives = [
        (pr.get("descr") or pr.get("title") or pr.get("name") or "Picture").strip()
        for pr in root.iterfind(".//w:body//wp:docPr", NS)
    ]
    tables = []
    for tbl in root.iterfind(".//w:body//w:tbl", NS):
        rows = tbl.findall("w:tr", NS)
        header_rows = 0
        for row in rows:
            if row.find("w:trPr/w:tblHeader", NS) is None:
                break
            header_rows += 1
        look = tbl.find("w:tblPr/w:tblLook", NS)
        first_column = look is not None and (
            look.get(f"{{{W}}}firstColumn") in ("1", "true", "on")
            or bool(int(look.get(f"{{{W}}}val", "0") or "0", 16) & 0x80)
        )
        tables.append(TableShape(header_rows, first_column and header_rows == 0))
    return WordFacts(alternatives, tables)


def is_tagged(pdf: Path) -> bool:
    """True when `pdf` is a tagged PDF (a structure tree, `/MarkInfo` marked); False when
    it is not, or cannot be read."""
    try:
        with pikepdf.open(pdf) as doc:
            mark = doc.Root.get("/MarkInfo")
            return "/StructTreeRoot" in doc.Root and mark is not None and bool(mark.get("/Marked"))
    except (OSError, pikepdf.PdfError):
        return False


def finish(pdf: Path, docx: Path, target: Path) -> int:
    """Write `pdf` (LibreOffice's tagged export of `docx`) to `target` with what the export
    leaves out: the text alternative of each figure and the row headers of each table (an
    untagged PDF is written as it is). Returns its number of pages; with none, nothing is
    written. (A new file: pikepdf takes three times as long to rewrite one in place.)"""
    facts = word_facts(docx)
    with pikepdf.open(pdf) as doc:
        pages = len(doc.pages)
        tree = doc.Root.get("/StructTreeRoot")
        if not pages:
            return 0
        if tree is None:
            doc.save(target)
            return pages
        elements = [(e, e.get("/S")) for e in _elements(tree)]  # one walk: pikepdf is slow
        figures = [e for e, kind in elements if kind == Name.Figure]
        for figure, alt in zip(figures, _padded(facts.alternatives, len(figures)), strict=True):
            if "/Alt" not in figure and "/ActualText" not in figure:
                figure.Alt = pikepdf.String(alt)
        tables = [e for e, kind in elements if kind == Name.Table]
        if len(tables) == len(facts.tables):
            for table, shape in zip(tables, facts.tables, strict=True):
                _mark_headers(table, shape)
        doc.save(target)
    return pages


def _padded(alternatives: list[str], count: int) -> list[str]:
    """`count` alternatives: those of the .docx in order, then a plain word."""
    return (alternatives + ["Chart"] * count)[:count]


def _kids(element: pikepdf.Object) -> list[pikepdf.Object]:
    kids = element.get("/K")
    if kids is None:
        return []
    return list(kids) if isinstance(kids, Array) else [kids]


def _elements(element: pikepdf.Object) -> Iterator[pikepdf.Object]:
    """Every structure element under `element`, in document order."""
    for kid in _kids(element):
        if isinstance(kid, Dictionary) and "/S" in kid:
            yield kid
            yield from _elements(kid)


def _mark_headers(table: pikepdf.Object, shape: TableShape) -> None:
    """Cells of the header rows become column headers; with `row_headers`, the first cell
    of each other row a row header; every other cell a data cell."""
    rows = [kid for kid in _elements(table) if kid.get("/S") == Name.TR]
    for index, row in enumerate(rows):
        cells = [c for c in _kids(row) if isinstance(c, Dictionary) and "/S" in c]
        for position, cell in enumerate(cells):
            if index < shape.header_rows:
                scope = Name.Column
            elif shape.row_headers and position == 0:
                scope = Name.Row
            else:
                if shape.header_rows or shape.row_headers:
                    cell.S = Name.TD
                    if "/A" in cell:
                        del cell["/A"]
                continue
            cell.S = Name.TH
            cell.A = Dictionary(O=Name.Table, Scope=scope)


# ------------------------------------------------------------------ joined PDFs


def combine(items: list[tuple[str, Path]], target: Path, title: str) -> None:
    """Write one tagged PDF of `items` (bookmark title, pdf) in order to `target`: their
    pages, their structure trees as parts of one document (each titled), one bookmark per
    item, `title` shown, the first item's language. Raises pikepdf.PdfError (or OSError)
    when an item cannot be read."""
    out = pikepdf.new()
    document = out.make_indirect(Dictionary(Type=Name.StructElem, S=Name.Document, K=Array()))
    root = out.make_indirect(Dictionary(Type=Name.StructTreeRoot, K=document))
    document.P = root
    joined = _Joined(out, document)
    starts: list[tuple[str, int]] = []
    language: pikepdf.Object | None = None
    with contextlib.ExitStack() as sources:  # page contents are copied when `out` is saved
        for name, path in items:
            source = sources.enter_context(pikepdf.open(path))
            starts.append((name, len(out.pages)))
            if language is None:
                language = source.Root.get("/Lang")
            joined.append(source, name)
        root.ParentTree = out.make_indirect(Dictionary(Nums=joined.numbers))
        root.ParentTreeNextKey = joined.offset
        if joined.roles:
            root.RoleMap = joined.roles
        out.Root.StructTreeRoot = root
        out.Root.MarkInfo = Dictionary(Marked=True)
        out.Root.ViewerPreferences = Dictionary(DisplayDocTitle=True)
        out.Root.Lang = language if language is not None else pikepdf.String("en-US")
        out.Root.PageMode = Name.UseOutlines
        with out.open_outline() as outline:
            for name, first in starts:
                outline.root.append(pikepdf.OutlineItem(name, first))
        out.docinfo.Title = pikepdf.String(title)
        out.docinfo.Producer = pikepdf.String("plangen")
        with out.open_metadata(set_pikepdf_as_editor=False) as meta:
            meta["dc:title"] = title
            meta["pdfuaid:part"] = "1"
        out.save(target)


class _Joined:
    """The structure of a PDF being joined: parts, parent tree entries, role map."""

    def __init__(self, out: pikepdf.Pdf, document: pikepdf.Object) -> None:
        self.out, self.document = out, document
        self.numbers = Array()
        self.roles = Dictionary()
        self.offset = 0

    def append(self, source: pikepdf.Pdf, name: str) -> None:
        """`source`'s pages, and its structure tree as a part titled `name`; the keys
        linking its pages and links to their structure shifted past those before it."""
        first = len(self.out.pages)
        self.out.pages.extend(source.pages)
        tree = source.Root.get("/StructTreeRoot")
        if tree is None:
            return
        copied = self.out.copy_foreign(tree)
        for key, value in _number_tree(copied.get("/ParentTree")):
            self.numbers.append(key + self.offset)
            self.numbers.append(value)
        for page in self.out.pages[first:]:
            if "/StructParents" in page.obj:
                page.obj.StructParents = int(page.obj.StructParents) + self.offset
            for annot in page.obj.get("/Annots", Array()):
                if "/StructParent" in annot:
                    annot.StructParent = int(annot.StructParent) + self.offset
        for role, standard in copied.get("/RoleMap", Dictionary()).items():
            self.roles[role] = standard
        part = self.out.make_indirect(
            Dictionary(Type=Name.StructElem, S=Name.Part, P=self.document, T=pikepdf.String(name))
        )
        kids = Array()
        for top in _kids(copied):
            for kid in _kids(top) if top.get("/S") == Name.Document else [top]:
                if isinstance(kid, Dictionary):
                    kid.P = part
                kids.append(kid)
        part.K = kids
        self.document.K.append(part)
        self.offset += _next_key(copied)


def _number_tree(node: pikepdf.Object | None) -> Iterator[tuple[int, pikepdf.Object]]:
    """The (key, value) pairs of a number tree, its kids' included."""
    if node is None:
        return
    nums = node.get("/Nums", Array())
    for i in range(0, len(nums) - 1, 2):
        yield int(nums[i]), nums[i + 1]
    for kid in node.get("/Kids", Array()):
        yield from _number_tree(kid)


def _next_key(tree: pikepdf.Object) -> int:
    """The first parent-tree key a structure tree does not use."""
    keys = [key for key, _ in _number_tree(tree.get("/ParentTree"))]
    stated = int(tree.get("/ParentTreeNextKey", 0))
    return max(stated, max(keys, default=-1) + 1)
