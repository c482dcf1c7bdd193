"""Reading a plan document's content controls and the fingerprint of its other content.

A control whose value flows back to the workbook carries its plangen key
(`supports|12|done`: sheet key, workbook row, field) as both its tag and its title
(`w:alias`), prefixed `plangen `. Word keeps both; LibreOffice drops the tag, keeps the
title and wraps check boxes in a second control, so the key is looked for on the control
and on the controls inside it. python-docx has no content-control API: this is lxml.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

from lxml import etree

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W14 = "http://schemas.microsoft.com/office/word/2010/wordml"
KEY_PREFIX = "plangen "


def w(name: str) -> str:
    return f"{{{W}}}{name}"


SDT, SDT_PR, SDT_CONTENT = w("sdt"), w("sdtPr"), w("sdtContent")
CHECKBOX, CHECKED = f"{{{W14}}}checkbox", f"{{{W14}}}checked"
TICKED_SYMBOLS = {"☒", "☑", "✔", "✓", "✗", "✘", "x", "X"}
UNTICKED_SYMBOLS = {"☐", ""}


@dataclass
class Control:
    """One keyed content control as found in a document.

    `checked` is True/False for a check box and None when the control is not one (or
    its state cannot be told); `text` is what the control shows (paragraphs joined by
    newlines); `placeholder` is True while it shows its placeholder (no value).
    """

    key: str
    kind: str
    text: str
    checked: bool | None = None
    full_date: str | None = None
    placeholder: bool = False


_KEY_HOLDERS, _VAL = (w("tag"), w("alias")), w("val")
_BOOKMARK, _NAME = w("bookmarkStart"), w("name")
BOOKMARK_PREFIX = "pg__"
"""Bookmark names carrying a key: `pg__supports__12__done` (LibreOffice keeps them)."""


def bookmark_name(key: str) -> str:
    """The bookmark name that carries `key` (Word allows 40 letters, digits and `_`)."""
    return BOOKMARK_PREFIX + key.replace("|", "__")


def own_key(sdt: Any) -> str | None:
    """The plangen key of this control: its tag, else its title, else a `pg__` bookmark
    just before it or at the start of its content (where LibreOffice moves it); None
    when it has none."""
    pr = sdt.find(SDT_PR)
    if pr is not None:
        for name in _KEY_HOLDERS:
            el = pr.find(name)
            value = el.get(_VAL, "") if el is not None else ""
            if value.startswith(KEY_PREFIX) and len(value) > len(KEY_PREFIX):
                return value[len(KEY_PREFIX) :].strip()
    content = sdt.find(SDT_CONTENT)
    candidates = [sdt.getprevious(), *(content[:2] if content is not None else [])]
    for el in candidates:
        if el is not None and el.tag == _BOOKMARK:
            name = el.get(_NAME, "")
            if name.startswith(BOOKMARK_PREFIX):
                return name[len(BOOKMARK_PREFIX) :].replace("__", "|")
    return None


def add_bookmarks(root: Any) -> None:
    """Put a `pg__` bookmark around every keyed control under `root` that has none, so
    the key survives editors that drop tags and titles."""
    ids = [int(b.get(w("id"), "0")) for b in root.iter(w("bookmarkStart"))
           if b.get(w("id"), "").isdigit()]
    next_id = max(ids, default=0) + 1
    for sdt in list(root.iter(SDT)):
        key = own_key(sdt)
        prev = sdt.getprevious()
        if key is None or (prev is not None and prev.tag == w("bookmarkStart")):
            continue
        start, end = etree.Element(w("bookmarkStart")), etree.Element(w("bookmarkEnd"))
        start.set(w("id"), str(next_id))
        start.set(w("name"), bookmark_name(key))
        end.set(w("id"), str(next_id))
        sdt.addprevious(start)
        sdt.addnext(end)
        next_id += 1


def _keyed_ancestor(sdt: Any) -> str | None:
    parent = sdt.getparent()
    while parent is not None:
        if parent.tag == SDT:
            key = own_key(parent)
            if key is not None:
                return key
        parent = parent.getparent()
    return None


def read_controls(root: Any) -> dict[str, list[Control]]:
    """Every keyed control under `root` (a document part's XML), by key. A key found
    more than once (a row copied and pasted in Word) has several entries."""
    found: dict[str, list[Control]] = {}
    for sdt in root.iter(SDT):
        key = own_key(sdt)
        if key is None or _keyed_ancestor(sdt) == key:
            continue
        found.setdefault(key, []).append(_control(key, sdt))
    return found


def _control(key: str, sdt: Any) -> Control:
    props = [sdt.find(SDT_PR), *(s.find(SDT_PR) for s in sdt.iter(SDT) if s is not sdt)]
    props = [p for p in props if p is not None]
    kind, full_date, checked = "text", None, None
    placeholder = any(p.find(w("showingPlcHdr")) is not None for p in props)
    for pr in props:
        if pr.find(CHECKBOX) is not None:
            kind = "checkbox"
            state = pr.find(f"{CHECKBOX}/{CHECKED}")
            if state is not None:
                checked = state.get(f"{{{W14}}}val", "0").strip().lower() in ("1", "true", "on")
        elif pr.find(w("dropDownList")) is not None or pr.find(w("comboBox")) is not None:
            kind = "dropdown"
        elif pr.find(w("date")) is not None:
            kind = "date"
            full_date = pr.find(w("date")).get(w("fullDate"))
    text = control_text(sdt)
    if kind == "checkbox" and checked is None:
        symbol = text.strip()
        if symbol in TICKED_SYMBOLS or symbol in UNTICKED_SYMBOLS:
            checked = symbol in TICKED_SYMBOLS
    return Control(key, kind, text, checked, full_date, placeholder)


def control_text(sdt: Any) -> str:
    """What a control shows: its runs' text, paragraphs and line breaks as newlines."""
    content = sdt.find(SDT_CONTENT)
    if content is None:
        return ""
    paragraphs: list[str] = []
    current: list[str] = []
    for el in content.iter(w("t"), w("br"), w("cr"), w("tab"), w("p")):
        if el.tag == w("p"):
            if current or paragraphs:
                paragraphs.append("".join(current))
            current = []
        elif el.tag == w("t"):
            current.append(el.text or "")
        elif el.tag == w("tab"):
            current.append("\t")
        else:
            current.append("\n")
    paragraphs.append("".join(current))
    return "\n".join(paragraphs).strip("\n")


# ------------------------------------------------------------------ fingerprint

_T, _FLD_CHAR, _FLD_SIMPLE, _FLD_TYPE = w("t"), w("fldChar"), w("fldSimple"), w("fldCharType")
_MARKS = {w("p"): "\u00b6", w("tr"): "\u21b5", w("tc"): "|", w("tab"): "\t", w("br"): "\n"}
_IMAGES = {w("drawing"), w("pict"), w("object")}
_SKIPPED = {SDT_PR, w("instrText"), w("delText"), w("rPr"), w("pPr"), w("tblPr"), w("tcPr"),
            w("trPr"), w("sectPr"), w("tblGrid"), w("bookmarkStart"), w("bookmarkEnd")}
_CHECKED_VAL = f"{{{W14}}}val"


def content_text(root: Any) -> str:
    """A part's content as plangen judges edits: text, paragraph and table structure,
    check-box states and pictures; the value of every keyed control is left out (those
    flow back with `plangen pull`), formatting and field results (page numbers) too."""
    out: list[str] = []
    _walk(root, out, [0])
    return "".join(out)


def _walk(el: Any, out: list[str], field_depth: list[int]) -> None:
    for child in el:
        tag = child.tag
        if tag in _SKIPPED or not isinstance(tag, str):
            continue
        if tag == _T:
            if not field_depth[0]:
                out.append(child.text or "")
            continue
        if tag == SDT:
            key = own_key(child)
            if key is not None:
                out.append(f"[{key}]")
                continue
        elif tag == _FLD_CHAR:
            kind = child.get(_FLD_TYPE)
            if kind == "begin":
                if not field_depth[0]:
                    out.append("[field]")
                field_depth[0] += 1
            elif kind == "end":
                field_depth[0] = max(0, field_depth[0] - 1)
            continue
        elif tag == _FLD_SIMPLE:
            out.append("[field]")
            continue
        elif tag == CHECKED:
            out.append("[x]" if child.get(_CHECKED_VAL, "0") in ("1", "true") else "[ ]")
            continue
        elif tag in _IMAGES:
            out.append("[picture]")
            continue
        mark = _MARKS.get(tag)
        if mark is not None:
            out.append(mark)
        if len(child):
            _walk(child, out, field_depth)


def fingerprint(texts: list[str]) -> str:
    """sha256 of the content texts of a document's parts (order of parts ignored for
    headers and footers, whose part names LibreOffice renumbers)."""
    digest = hashlib.sha256()
    for text in texts:
        digest.update(text.encode("utf-8"))
        digest.update(b"\x00")
    return digest.hexdigest()
