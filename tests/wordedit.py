"""Editing a built plan the way Word stores edits (lxml on the .docx parts).

Word keeps a ticked check box as `w14:checked w14:val="1"` plus the ticked symbol in the
control's run; a date picked or typed into a date control replaces the control's text
(and drops its placeholder flag); a new paragraph is a new `w:p` in the body.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from lxml import etree

from plangen.roundtrip.controls import CHECKBOX, CHECKED, SDT, SDT_PR, W14, own_key, w


class WordEdit:
    """Open a .docx's document part, change it, save it back in place."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        with zipfile.ZipFile(self.path) as archive:
            self.entries = [(i, archive.read(i.filename)) for i in archive.infolist()]
        data = dict((i.filename, d) for i, d in self.entries)
        self.root = etree.fromstring(data["word/document.xml"])

    def control(self, key: str) -> etree._Element:
        found = [s for s in self.root.iter(SDT) if own_key(s) == key]
        assert len(found) == 1, f"{key}: {len(found)} controls"
        return found[0]

    def tick(self, key: str, on: bool = True) -> None:
        sdt = self.control(key)
        sdt.find(f"{SDT_PR}/{CHECKBOX}/{CHECKED}").set(f"{{{W14}}}val", "1" if on else "0")
        sdt.find(f".//{w('t')}").text = "☒" if on else "☐"

    def type_text(self, key: str, text: str) -> None:
        sdt = self.control(key)
        pr = sdt.find(SDT_PR)
        for flag in pr.findall(w("showingPlcHdr")):
            pr.remove(flag)
        runs = sdt.findall(f".//{w('t')}")
        runs[0].text = text
        for extra in runs[1:]:
            extra.text = ""

    def choose(self, key: str, value: str) -> None:
        self.type_text(key, value)

    def remove(self, key: str) -> None:
        sdt = self.control(key)
        sdt.getparent().remove(sdt)

    def add_paragraph(self, text: str) -> None:
        body = self.root.find(w("body"))
        p = etree.SubElement(body, w("p"))
        etree.SubElement(etree.SubElement(p, w("r")), w("t")).text = text
        body.remove(p)
        body.insert(len(body) - 1, p)  # before the final w:sectPr

    def save(self) -> None:
        xml = etree.tostring(self.root, xml_declaration=True, encoding="UTF-8", standalone=True)
        with zipfile.ZipFile(self.path, "w", zipfile.ZIP_DEFLATED) as out:
            for info, data in self.entries:
                out.writestr(info, xml if info.filename == "word/document.xml" else data)
