"""Builders of broken and hostile workbooks, each made from code (no binary blobs).

Every builder takes a folder and returns the path of the file (or folder) it made.
Builders that start from the example copy it first; the example itself is never touched.
"""

from __future__ import annotations

import hashlib
import os
import re
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from conftest import SYSTEM_EXAMPLE, example_copy
from openpyxl import load_workbook

OLE_MAGIC = bytes.fromhex("D0CF11E0A1B11AE1")


def digest(path: Path) -> str:
    """sha256 of a file, or of every file under a folder; `missing` when absent."""
    if not path.exists() and not path.is_symlink():
        return "missing"
    if not path.is_dir() and not path.is_file():
        return f"special file {path.stat().st_mode:o}"
    if path.is_dir():
        h = hashlib.sha256()
        for p in sorted(path.rglob("*")):
            if p.is_file():
                h.update(p.name.encode() + p.read_bytes())
        return h.hexdigest()
    return hashlib.sha256(path.read_bytes()).hexdigest()


def copy_example(folder: Path, name: str = "plan.xlsx", source: Path = SYSTEM_EXAMPLE) -> Path:
    """A copy of the example workbook (`source`: another kind's) in `folder`."""
    target = folder / name
    target.write_bytes(source.read_bytes())
    return target


def edited(
    folder: Path,
    edit: Callable[[Any], None],
    name: str = "plan.xlsx",
    source: Path = SYSTEM_EXAMPLE,
) -> Path:
    """The example (`source`: another kind's), opened with openpyxl, changed by
    `edit(workbook)`, saved as `name`."""
    book = load_workbook(source)
    edit(book)
    target = folder / name
    book.save(target)
    return target


def set_cells(
    folder: Path, values: dict[str, Any], name: str = "plan.xlsx", source: Path = SYSTEM_EXAMPLE
) -> Path:
    """The example (`source`: another kind's) with cells set, e.g. {"Data!C4": 36}."""

    def edit(book: Any) -> None:
        for ref, value in values.items():
            sheet, cell = ref.split("!")
            book[sheet][cell] = value

    return edited(folder, edit, name, source)


def set_texts(
    folder: Path, values: dict[str, str], name: str = "plan.xlsx", source: Path = SYSTEM_EXAMPLE
) -> Path:
    """The example with cells holding these texts as typed, even `=1+1` (as Excel stores
    text typed after a leading `'`), e.g. {"Plan!B4": "=1+1"}."""

    def edit(book: Any) -> None:
        for ref, value in values.items():
            sheet, cell = ref.split("!")
            book[sheet][cell] = value
            book[sheet][cell].data_type = "s"

    return edited(folder, edit, name, source)


def patch_part(path: Path, part: str, change: Callable[[bytes], bytes]) -> Path:
    """Rewrite one part of the zip at `path` in place with `change(bytes)`."""
    with zipfile.ZipFile(path) as src:
        items = [(info, src.read(info)) for info in src.infolist()]
    tmp = path.with_suffix(".tmp")
    with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as out:
        for info, data in items:
            out.writestr(info, change(data) if info.filename == part else data)
    os.replace(tmp, path)
    return path


def sheet_part(path: Path, sheet: str) -> str:
    """The zip part name of worksheet `sheet` in a workbook openpyxl wrote."""
    names = load_workbook(path, read_only=True).sheetnames
    return f"xl/worksheets/sheet{names.index(sheet) + 1}.xml"


# ------------------------------------------------------------------ files


def empty(folder: Path) -> Path:
    path = folder / "empty.xlsx"
    path.write_bytes(b"")
    return path


def random_bytes(folder: Path) -> Path:
    path = folder / "noise.xlsx"
    path.write_bytes(bytes((i * 7919 + 13) % 251 for i in range(4096)))
    return path


def truncated(folder: Path) -> Path:
    data = SYSTEM_EXAMPLE.read_bytes()
    path = folder / "truncated.xlsx"
    path.write_bytes(data[: len(data) // 2])
    return path


def old_xls(folder: Path) -> Path:
    path = folder / "old.xlsx"
    path.write_bytes(OLE_MAGIC + bytes(504) + b"Workbook".ljust(512, b"\0"))
    return path


def csv_renamed(folder: Path) -> Path:
    path = folder / "export.xlsx"
    path.write_text("Measure,Score\nDCA Total Score,36%\n", encoding="utf-8")
    return path


def password_protected(folder: Path) -> Path:
    """An OLE2 container holding an EncryptedPackage stream, as Excel writes one."""
    name = "EncryptedPackage".encode("utf-16-le")
    entry = name.ljust(64, b"\0") + (len(name) + 2).to_bytes(2, "little")
    path = folder / "secret.xlsx"
    path.write_bytes(OLE_MAGIC + bytes(504) + entry.ljust(512, b"\0") + bytes(1024))
    return path


def with_macros(folder: Path) -> Path:
    """The example saved as .xlsm with a vbaProject.bin part and its content type."""
    path = copy_example(folder, "macros.xlsm")
    with zipfile.ZipFile(path, "a") as archive:
        archive.writestr("xl/vbaProject.bin", OLE_MAGIC + b'Attribute VB_Name = "Evil"')
    return patch_part(
        path,
        "[Content_Types].xml",
        lambda xml: xml.replace(
            b"</Types>",
            b'<Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject"/>'
            b"</Types>",
        ),
    )


def lock_file(folder: Path) -> Path:
    path = folder / "~$plan.xlsx"
    path.write_bytes(b"\x0bMe" + bytes(162))
    return path


def a_folder(folder: Path) -> Path:
    path = folder / "plans.xlsx"
    path.mkdir()
    return path


def missing(folder: Path) -> Path:
    return folder / "nowhere.xlsx"


ZIP_BOMB_BYTES = 1_200_000_000


def zip_bomb(folder: Path) -> Path:
    """The example with a sheet part that inflates to 1.2 GB of zeros.

    Written in chunks, so building it takes seconds and little memory; only its zip
    directory (declaring the size) should ever be read.
    """
    path = copy_example(folder, "bomb.xlsx")
    chunk = b"\0" * (8 * 1024 * 1024)
    with zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        info = zipfile.ZipInfo("xl/worksheets/sheet99.xml")
        info.compress_type = zipfile.ZIP_DEFLATED
        with archive.open(info, "w", force_zip64=True) as part:
            for _ in range(ZIP_BOMB_BYTES // len(chunk)):
                part.write(chunk)
    return path


_LAUGHS = (
    b'<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol">'
    + b"".join(
        b'<!ENTITY lol%d "%s">' % (i, (b"&lol%d;" % (i - 1) if i > 1 else b"&lol;") * 10)
        for i in range(1, 10)
    )
    + b"]>\n"
)


def entity_bomb(folder: Path) -> Path:
    """The example whose Plan sheet XML declares billion-laughs entities and uses them."""
    path = copy_example(folder, "laughs.xlsx")
    part = sheet_part(path, "Plan")

    def change(xml: bytes) -> bytes:
        body = re.sub(rb"^<\?xml[^>]*\?>\s*", b"", xml)
        body = body.replace(b"Super Excited Division", b"&lol9;")
        return _LAUGHS + body

    return patch_part(path, part, change)


def entity_bomb_late(folder: Path) -> Path:
    """Billion laughs declared after a 4 KB comment, past any quick look at a part's head."""
    path = copy_example(folder, "late_laughs.xlsx")

    def change(xml: bytes) -> bytes:
        body = re.sub(rb"^<\?xml[^>]*\?>\s*", b"", xml)
        body = body.replace(b"Super Excited Division", b"&lol9;")
        comment = b"<!--" + b" " * 4000 + b"-->"
        return _LAUGHS.replace(b"\n<!DOCTYPE", b"\n" + comment + b"<!DOCTYPE", 1) + body

    return patch_part(path, sheet_part(path, "Plan"), change)


def _ods(folder: Path, name: str, content: bytes) -> Path:
    """A LibreOffice .ods zip with the given content.xml."""
    path = folder / name
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("content.xml", content)
    return path


def ods_entity_bomb(folder: Path) -> Path:
    """An .ods whose content.xml declares billion-laughs entities."""
    return _ods(folder, "laughs.ods", _LAUGHS + b"<office:document-content>&lol9;</x>")


def ods_zip_bomb(folder: Path) -> Path:
    """An .ods whose content.xml unpacks to 120 MB of zeros (more than one part may hold),
    written in chunks."""
    path = folder / "bomb.ods"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        with archive.open("content.xml", "w", force_zip64=True) as part:
            for _ in range(120):
                part.write(b"0" * 1_000_000)
    return path


def odt_renamed(folder: Path) -> Path:
    """A Writer .odt document renamed .ods."""
    path = folder / "letter.ods"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        archive.writestr("content.xml", b"<office:document-content/>")
    return path


# ------------------------------------------------------------------ templates


def template_with(folder: Path, *paragraphs: str, name: str = "custom.docx") -> Path:
    """A Word template (python-docx) whose paragraphs hold these texts."""
    from docx import Document

    doc = Document()
    for text in paragraphs:
        doc.add_paragraph(text)
    path = folder / name
    doc.save(str(path))
    return path


def secret_picture(folder: Path, name: str = "secret.png", rgb: bytes = b"\xff\0\0") -> Path:
    """A PNG standing for a private file of the build machine (pure red, 64x64)."""
    import struct
    import zlib

    raw = b"".join(b"\0" + rgb * 64 for _ in range(64))

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", 64, 64, 8, 2, 0, 0, 0)
    png = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw))
    path = folder / name
    path.write_bytes(png + chunk(b"IEND", b""))
    return path


IMAGE_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/image"


def template_linking_image(folder: Path, target: str) -> Path:
    """A template with a picture that is linked (`r:link`) to `target`, not held in it."""
    from docx import Document

    held = secret_picture(folder, "held.png", b"\0\0\xff")
    doc = Document()
    doc.add_paragraph("Plan for {{ district }}")
    doc.add_picture(str(held))
    path = folder / "linked.docx"
    doc.save(str(path))
    patch_part(
        path,
        "word/document.xml",
        lambda xml: re.sub(rb'r:embed="rId\d+"', b'r:link="rIdOutside"', xml),
    )
    rel = (
        f'<Relationship Id="rIdOutside" Type="{IMAGE_REL}" Target="{target}" '
        'TargetMode="External"/></Relationships>'
    ).encode()
    return patch_part(
        path, "word/_rels/document.xml.rels", lambda xml: xml.replace(b"</Relationships>", rel)
    )


def template_with_field(folder: Path, instruction: str, simple: bool) -> Path:
    """A template with one field (`w:fldSimple`, or a complex field split over two
    `w:instrText` runs) whose instruction is `instruction`."""
    path = template_with(folder, "Plan for {{ district }}", "FIELD HERE", name="field.docx")
    half = len(instruction) // 2
    if simple:
        field = f'<w:fldSimple w:instr="{instruction}"><w:r><w:t>x</w:t></w:r></w:fldSimple>'
    else:
        field = (
            '<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
            f'<w:r><w:instrText xml:space="preserve">{instruction[:half]}</w:instrText></w:r>'
            f'<w:r><w:instrText xml:space="preserve">{instruction[half:]}</w:instrText></w:r>'
            '<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>x</w:t></w:r>'
            '<w:r><w:fldChar w:fldCharType="end"/></w:r>'
        )
    return patch_part(
        path,
        "word/document.xml",
        lambda xml: xml.replace(b"<w:r><w:t>FIELD HERE</w:t></w:r>", field.encode()),
    )


def template_with_huge_footer(folder: Path, size: int = 30 * 1024 * 1024, count: int = 1) -> Path:
    """A small template file with `count` footer parts that each unpack to `size` bytes of
    spaces (footer9.xml, footer10.xml...)."""
    path = template_with(folder, "Plan for {{ district }}", name="huge_footer.docx")
    with zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED) as archive:
        for n in range(9, 9 + count):
            with archive.open(f"word/footer{n}.xml", "w") as part:
                part.write(b"<w:ftr>")
                for _ in range(size // (1024 * 1024)):
                    part.write(b" " * (1024 * 1024))
                part.write(b"</w:ftr>")
    return path


def template_with_relationship(folder: Path, kind: str, target: str, external: bool) -> Path:
    """A template whose body has one more relationship, of type `kind` (e.g. "aFChunk")."""
    path = template_with(folder, "Plan for {{ district }}", name="related.docx")
    mode = ' TargetMode="External"' if external else ""
    rel = (
        f'<Relationship Id="rIdMore" Type="http://schemas.openxmlformats.org/officeDocument/'
        f'2006/relationships/{kind}" Target="{target}"{mode}/></Relationships>'
    ).encode()
    return patch_part(
        path, "word/_rels/document.xml.rels", lambda xml: xml.replace(b"</Relationships>", rel)
    )


def template_with_vml_picture(folder: Path, src: str) -> Path:
    """A template with an old-style (VML) picture whose `src` is `src`."""
    path = template_with(folder, "Plan for {{ district }}", "PICTURE HERE", name="vml.docx")
    shape = (
        '<w:r><w:pict><v:shape xmlns:v="urn:schemas-microsoft-com:vml" style="width:20pt;'
        f'height:20pt"><v:imagedata src="{src}"/></v:shape></w:pict></w:r>'
    )
    return patch_part(
        path,
        "word/document.xml",
        lambda xml: xml.replace(b"<w:r><w:t>PICTURE HERE</w:t></w:r>", shape.encode()),
    )


def reencoded(path: Path, part: str, codec: str = "utf-16") -> Path:
    """The zip at `path` with one XML part re-encoded (Word reads UTF-16 parts too)."""

    def change(xml: bytes) -> bytes:
        text = xml.decode("utf-8")
        text = re.sub(r"encoding=['\"][\w-]+['\"]", f'encoding="{codec.upper()}"', text, count=1)
        return text.encode(codec)

    return patch_part(path, part, change)


def chart_bait(folder: Path) -> Path:
    """Text aimed at the charts: a level that looks like a formula or markup (it names a
    bar and a cell of the chart's embedded workbook) and a fake chart marker."""

    def edit(book: Any) -> None:
        supports = book["Supports"]
        for row in range(4, supports.max_row + 1):
            if supports[f"A{row}"].value == "Division Leadership Team":
                supports[f"A{row}"].value = "=HYPERLINK(\"http://x\",\"R&D <b>\")"
                supports[f"A{row}"].data_type = "s"
        book["Observations"]["A4"] = "[plangen-chart by_goal 0123456789abcdef]"

    return edited(folder, edit, "chart_bait.xlsx")


# ------------------------------------------------------------------ hardening (issue 12)


def fifo(folder: Path) -> Path:
    """A named pipe called like a workbook: opening it would wait for a writer forever."""
    path = folder / "pipe.xlsx"
    os.mkfifo(path)
    return path


def not_utf8_name(folder: Path) -> Path:
    """The example under a name whose bytes are not UTF-8 (Latin-1 "café")."""
    path = Path(os.fsdecode(bytes(folder) + b"/caf\xe9.xlsx"))
    example_copy(path)
    return path


def longest_name(folder: Path) -> Path:
    """The example under a 250-byte name (255 is the usual limit of a file name)."""
    return copy_example(folder, "n" * 245 + ".xlsx")


def far_cell(folder: Path, ref: str = "XFD1048576") -> Path:
    """The example with one value in a far corner, e.g. the last cell a sheet can have."""
    return set_cells(folder, {f"Observations!{ref}": "x"}, "far.xlsx")


REPEATED_TEXT = ("The coach meets the team every month to review the data. " * 520)[:30_000]


def repetitive_text(folder: Path) -> Path:
    """60 observations of the same 30,000-character text (openpyxl writes text inline in
    the sheet): a 1.8 MB sheet part that packs to a few KB, as ordinary as text gets."""
    return set_cells(
        folder, {f"Observations!A{row}": REPEATED_TEXT for row in range(4, 64)}, "repeat.xlsx"
    )


def many_shared_texts(folder: Path, count: int = 1_000_001) -> Path:
    """`shared_text_amplified`, its shared strings part holding `count` short texts."""
    path = shared_text_amplified(folder, cells=1)
    texts = b"".join(b"<si><t>%d</t></si>" % i for i in range(count))
    return patch_part(
        path,
        "xl/sharedStrings.xml",
        lambda xml: re.sub(rb"<si>.*</si>", lambda _: texts, xml, flags=re.S),
    )


def shared_text_amplified(folder: Path, cells: int = 20_000) -> Path:
    """`cells` cells all pointing at one 30,000-character shared string: a 1 MB file
    whose cells hold 600 million characters (the reader took 1.8 GB for it)."""
    path = copy_example(folder, "amplified.xlsx")
    rows = b"".join(
        b'<row r="%d"><c r="A%d" t="s"><v>0</v></c></row>' % (r, r) for r in range(4, 4 + cells)
    )
    strings = (
        b'<?xml version="1.0" encoding="UTF-8"?>'
        b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" '
        b'uniqueCount="1"><si><t>' + b"y" * 30_000 + b"</t></si></sst>"
    )
    patch_part(
        path,
        sheet_part(path, "Observations"),
        lambda xml: re.sub(
            rb"<sheetData>.*</sheetData>",
            lambda _: b"<sheetData>" + rows + b"</sheetData>",
            xml,
            flags=re.S,
        ),
    )
    patch_part(
        path,
        "[Content_Types].xml",
        lambda xml: xml.replace(
            b"</Types>",
            b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
            b'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>',
        ),
    )
    patch_part(
        path,
        "xl/_rels/workbook.xml.rels",
        lambda xml: xml.replace(
            b"</Relationships>",
            b'<Relationship Id="rIdStrings" Type="http://schemas.openxmlformats.org/'
            b'officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>'
            b"</Relationships>",
        ),
    )
    with zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/sharedStrings.xml", strings)
    return path


def formatted_cells(folder: Path, rows: int = 200_000) -> Path:
    """The example whose Observations sheet holds `rows` x 10 cells with a format and no
    value (a 47 MB part that packs to a few MB): scanning it must stay short."""
    path = copy_example(folder, "formatted.xlsx")
    letters = [bytes([65 + i]) for i in range(10)]
    body = b"".join(
        b'<row r="%d">' % r + b"".join(b'<c r="%s%d" s="1"/>' % (c, r) for c in letters) + b"</row>"
        for r in range(1, rows + 1)
    )
    return patch_part(
        path,
        sheet_part(path, "Observations"),
        lambda xml: re.sub(
            rb"<sheetData>.*</sheetData>",
            lambda _: b"<sheetData>" + body + b"</sheetData>",
            xml,
            flags=re.S,
        ),
    )


def ods_repeated_cells(folder: Path) -> Path:
    """An .ods of a few hundred bytes whose one valued cell is repeated 16,000 columns
    across 1,000,000 rows (16 billion cells for a reader)."""
    return _ods(
        folder,
        "repeated.ods",
        b'<?xml version="1.0" encoding="UTF-8"?><office:document-content '
        b'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        b'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        b'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body>'
        b'<office:spreadsheet><table:table table:name="Plan">'
        b'<table:table-row table:number-rows-repeated="1000000">'
        b'<table:table-cell table:number-columns-repeated="16000" office:value-type="float" '
        b'office:value="1"><text:p>1</text:p></table:table-cell></table:table-row>'
        b"</table:table></office:spreadsheet></office:body></office:document-content>",
    )


# ------------------------------------------------------------------ plan documents


def docx_with_huge_headers(
    docx: Path, count: int = 4, size: int = 60 * 1024 * 1024
) -> Path:
    """The plan document `docx` given `count` more header parts that each unpack to
    `size` bytes of small paragraphs (a few hundred KB on disk; each header parsed
    would take over a GB). Written in chunks: building it takes little memory."""
    w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    paragraph = b"<w:p><w:r><w:t>x</w:t></w:r></w:p>" * 1000
    with zipfile.ZipFile(docx, "a", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for n in range(count):
            with archive.open(f"word/header{90 + n}.xml", "w", force_zip64=True) as part:
                part.write(f'<w:hdr xmlns:w="{w}">'.encode())
                for _ in range(size // len(paragraph)):
                    part.write(paragraph)
                part.write(b"</w:hdr>")
    return docx


def many_parts(folder: Path, count: int = 2_100) -> Path:
    """The example workbook with `count` more (empty) parts: each costs the reader a
    little, so their number is capped."""
    path = copy_example(folder, "parts.xlsx")
    with zipfile.ZipFile(path, "a") as archive:
        for n in range(count):
            archive.writestr(f"xl/media/empty{n}.bin", b"")
    return path


def template_with_late_doctype(folder: Path) -> Path:
    """A template whose body declares entities after a 8 KB comment (past the first
    kilobytes a quick look at a part's head reads)."""
    path = template_with(folder, "Plan for {{ district }}", name="late.docx")

    def declare(xml: bytes) -> bytes:
        head, _, rest = xml.partition(b"?>")
        prolog = b"<!--" + b" " * 8192 + b'--><!DOCTYPE d [<!ENTITY a "a">]>'
        return head + b"?>" + prolog + rest

    return patch_part(path, "word/document.xml", declare)


_NOTES_CT = "application/vnd.openxmlformats-officedocument.wordprocessingml.{}+xml"


def template_with_parts(
    folder: Path,
    header: list[str] | None = None,
    footnote: list[str] | None = None,
    endnote: list[str] | None = None,
    name: str = "parts.docx",
) -> Path:
    """A Word template (python-docx) whose body names the district and whose header,
    footnote and endnote (each when given) hold these paragraphs."""
    from docx import Document
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from docx.opc.packuri import PackURI
    from docx.opc.part import Part
    from docx.oxml import parse_xml

    w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    doc = Document()
    doc.add_paragraph("Plan for {{ district }}")
    if header:
        doc.sections[0].header.paragraphs[0].text = header[0]
        for text in header[1:]:
            doc.sections[0].header.add_paragraph(text)
    for kind, texts, reltype in (
        ("footnote", footnote, RT.FOOTNOTES),
        ("endnote", endnote, RT.ENDNOTES),
    ):
        if not texts:
            continue
        paragraphs = "".join(f"<w:p><w:r><w:t>{t}</w:t></w:r></w:p>" for t in texts)
        xml = (
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:{kind}s xmlns:w="{w}">'
            f'<w:{kind} w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p>'
            f'</w:{kind}><w:{kind} w:type="continuationSeparator" w:id="0"><w:p><w:r>'
            f'<w:continuationSeparator/></w:r></w:p></w:{kind}><w:{kind} w:id="1">'
            f"{paragraphs}</w:{kind}></w:{kind}s>"
        )
        part = Part(
            PackURI(f"/word/{kind}s.xml"), _NOTES_CT.format(kind + "s"), xml.encode(),
            doc.part.package,
        )
        doc.part.relate_to(part, reltype)
        run = doc.add_paragraph(f"See the {kind}.").add_run()._r
        ref = "footnoteReference" if kind == "footnote" else "endnoteReference"
        run.append(parse_xml(f'<w:{ref} xmlns:w="{w}" w:id="1"/>'))
    path = folder / name
    doc.save(str(path))
    return path
