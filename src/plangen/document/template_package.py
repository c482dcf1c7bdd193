"""A Word template's file judged before anything in it is read or rendered.

`check_template_file` refuses a file too big, a part that would unpack too big, and XML
that declares entities. `outside_references` lists everything in a .docx that would make
Word or LibreOffice reach outside the document: external relationships (a linked image,
an attached template, a linked sub-document, `file:///`, `http://`), linked images
(`r:link`) and fields that fetch or run something when they update (INCLUDETEXT,
INCLUDEPICTURE, DDE, DDEAUTO, LINK, IMPORT...). plangen refuses such a template.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

from lxml import etree

from plangen import package_safety
from plangen.errors import TemplateProblem
from plangen.package_safety import TEXT_PART, XmlRefused, parse_xml

MAX_TEXT_PARTS = 10_000_000
"""Largest the parts holding the template's text and tags (body, headers, footers, notes)
may unpack to together: they are checked and rendered at about 4 MB a second. The caps
every file shares are in `package_safety`."""

REACHING_FIELDS = frozenset(
    {"INCLUDETEXT", "INCLUDEPICTURE", "INCLUDE", "IMPORT", "DDE", "DDEAUTO", "LINK", "RD"}
)
"""Field instructions that pull in a file, a picture or another program's data."""
HYPERLINK = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink"
CLICK_SCHEMES = ("http://", "https://", "mailto:")
"""A hyperlink to one of these only acts when a reader clicks it; it is allowed."""

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_REL = re.compile(r"<(?:\w+:)?Relationship\b([^>]*)>")
_LOCAL_URL = re.compile(r'="((?:[Ff][Ii][Ll][Ee]|[Ss][Mm][Bb]|[Ff][Tt][Pp]):[^"]*|\\\\[^"]*)"')
_WEB_SOURCE = re.compile(r'src="([Hh][Tt][Tt][Pp][Ss]?:[^"]*)"')


_FIXES = {
    "attachedTemplate": " (in Word: Developer > Document Template, clear the template's name)",
    "image": " (insert the picture from its file instead of linking to it)",
}
"""What to do about the common cases, added to their line."""


def check_template_file(path: Path) -> None:
    """Raise TemplateProblem unless `path` is a .docx within the caps of
    `package_safety` and `MAX_TEXT_PARTS`."""
    package_safety.check_file(path, TemplateProblem)
    try:
        with zipfile.ZipFile(path) as archive:
            members = package_safety.check_archive(
                path, archive, TemplateProblem, package_safety.is_docx_tree
            )
            text = sum(m.file_size for m in members if TEXT_PART.fullmatch(m.filename))
            if text > MAX_TEXT_PARTS:
                raise TemplateProblem(
                    f"{path}: its text (body, headers, footers, notes) would unpack to "
                    f"{text / 1e6:,.0f} MB of XML, more than the {MAX_TEXT_PARTS / 1e6:,.0f} MB "
                    "plangen renders; refused unread"
                )
    except (OSError, zipfile.BadZipFile) as exc:
        raise TemplateProblem(f"{path}: is not a Word .docx template ({exc})") from None


def outside_references(path: Path) -> list[str]:
    """A line for each thing in the .docx at `path` that reaches outside the document."""
    found: list[str] = []
    with zipfile.ZipFile(path) as archive:
        for name in archive.namelist():
            if not name.endswith((".xml", ".rels")):
                continue
            xml = _as_text(archive.read(name))
            if name.endswith(".rels"):
                found += _external_relationships(name, xml)
            else:
                found += _reaching_fields(name, xml)
                found += [
                    f"{name}: points at {_short(url)} outside the document"
                    for url in _LOCAL_URL.findall(xml) + _WEB_SOURCE.findall(xml)
                ]
    return [f"{path}: {line}" for line in dict.fromkeys(found)]


def _as_text(data: bytes) -> str:
    """An XML part's text in whatever encoding it declares (Word reads UTF-16 parts too,
    so a check of UTF-8 bytes alone could be passed by re-encoding a part)."""
    declared = re.search(rb"""encoding=["']([\w-]+)""", data[:200])
    utf8 = not declared or declared.group(1).lower() in (b"utf-8", b"utf8")
    if b"\x00" not in data[:200] and utf8:
        return data.decode("utf-8", "replace")
    try:
        root = parse_xml(data, recover=True)
    except XmlRefused:
        return ""
    return "" if root is None else etree.tostring(root, encoding="unicode")


def _external_relationships(name: str, xml: str) -> list[str]:
    lines = []
    for attrs in _REL.findall(xml):
        if _attr(attrs, "Type").endswith("/aFChunk"):
            lines.append(f"{name}: an alternative-format chunk imports another document's content")
        if not re.search(r'TargetMode="External"', attrs):
            continue
        target = _attr(attrs, "Target")
        kind = _attr(attrs, "Type").rsplit("/", 1)[-1]
        if _attr(attrs, "Type") == HYPERLINK and target.lower().startswith(CLICK_SCHEMES):
            continue
        line = f"{name}: the {kind} relationship points outside the document: {_short(target)}"
        lines.append(line + _FIXES.get(kind, ""))
    return lines


def _reaching_fields(name: str, xml: str) -> list[str]:
    """Simple fields (`w:fldSimple`) and complex ones (`w:instrText` between `w:fldChar`s)
    whose instruction fetches something, and pictures linked by `r:link`."""
    if "instr" not in xml and ":link=" not in xml:
        return []  # most parts (styles, theme, numbering) hold neither: skip parsing them
    try:
        root = parse_xml(xml.encode("utf-8"), recover=True)
    except XmlRefused:
        return [f"{name}: declares XML entities"]
    if root is None:
        return []
    instructions = [el.get(f"{{{W}}}instr", "") for el in root.iter(f"{{{W}}}fldSimple")]
    open_fields: list[list[str]] = []
    for el in root.iter(f"{{{W}}}fldChar", f"{{{W}}}instrText"):
        kind = el.get(f"{{{W}}}fldCharType")
        if el.tag == f"{{{W}}}instrText":
            if open_fields:
                open_fields[-1].append(el.text or "")
            else:
                instructions.append(el.text or "")
        elif kind == "begin":
            open_fields.append([])
        elif kind == "end" and open_fields:
            instructions.append("".join(open_fields.pop()))
    links = [el for el in root.iter() if el.get(f"{{{R}}}link") is not None]
    lines = [f"{name}: an image is linked from outside instead of held in it (r:link)"] * bool(
        links
    )
    for instruction in instructions:
        words = instruction.split()
        if words and words[0].upper() in REACHING_FIELDS:
            lines.append(
                f"{name}: the {words[0].upper()} field reaches outside the document: "
                f"{_short(' '.join(words))}"
            )
    return lines


def _attr(attrs: str, name: str) -> str:
    found = re.search(rf'\b{name}="([^"]*)"', attrs)
    return found.group(1) if found else ""


def _short(text: str, limit: int = 80) -> str:
    return f'"{text}"' if len(text) <= limit else f'"{text[: limit - 1]}…"'
