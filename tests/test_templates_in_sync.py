"""The committed Word templates hold what scripts/build_templates.py makes.

Compared: the content and its structure (each paragraph's style and text with its jinja
tags, each table's style, rows and cells, the header and footer), not the bytes. So a
built-in template restyled and saved in Word (styles.xml changed, runs re-numbered, rsid
attributes added) still passes, while a lost tag or section fails.
"""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from lxml import etree

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "scripts" / "build_templates.py"
COMMITTED = ROOT / "src" / "plangen" / "templates"
KIND_TEMPLATES = sorted(p.name for p in COMMITTED.glob("*.docx") if p.name != "base.docx")
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


@pytest.fixture(scope="module")
def rebuilt(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The templates the script writes into a fresh folder."""
    out = tmp_path_factory.mktemp("templates")
    subprocess.run([sys.executable, str(SCRIPT), str(out)], check=True, capture_output=True)
    return out


def _text(element: etree._Element) -> str:
    return "".join(t.text or "" for t in element.iter(f"{W}t", f"{W}instrText"))


def _style(element: etree._Element, path: str) -> str:
    found = element.find(path)
    return "" if found is None else found.get(f"{W}val", "")


def blocks(element: etree._Element) -> list[str]:
    """Paragraphs as `style: text`, tables as `[table style]` then `| cell | cell |` rows."""
    lines = []
    for child in element:
        if child.tag == f"{W}p":
            lines.append(f"{_style(child, f'{W}pPr/{W}pStyle')}: {_text(child)}")
        elif child.tag == f"{W}tbl":
            lines.append(f"[table {_style(child, f'{W}tblPr/{W}tblStyle')}]")
            for row in child.iter(f"{W}tr"):
                cells = [" / ".join(blocks(tc)) for tc in row.iter(f"{W}tc")]
                lines.append("| " + " | ".join(cells) + " |")
        elif child.tag == f"{W}sdt":
            content = child.find(f"{W}sdtContent")
            lines.extend(blocks(content) if content is not None else [])
    return lines


def structure(path: Path) -> dict[str, list[str]]:
    """Each content part of a .docx (document, headers, footers) as lines of blocks."""
    with zipfile.ZipFile(path) as archive:
        out = {}
        for name in archive.namelist():
            if name == "word/document.xml" or name.startswith(("word/header", "word/footer")):
                root = etree.fromstring(archive.read(name))
                body = root.find(f"{W}body")
                out[name] = blocks(body if body is not None else root)
        return out


def style_ids(path: Path, kind: str) -> set[str]:
    with zipfile.ZipFile(path) as archive:
        root = etree.fromstring(archive.read("word/styles.xml"))
    return {s.get(f"{W}styleId") for s in root.iter(f"{W}style") if s.get(f"{W}type") == kind}


def test_the_script_makes_every_committed_template_and_no_other(rebuilt: Path) -> None:
    assert sorted(p.name for p in rebuilt.glob("*.docx")) == KIND_TEMPLATES


@pytest.mark.parametrize("name", KIND_TEMPLATES)
def test_committed_template_has_the_content_its_script_makes(rebuilt: Path, name: str) -> None:
    committed, fresh = structure(COMMITTED / name), structure(rebuilt / name)
    assert any(n.startswith("word/footer") for n in committed)
    assert committed == fresh, (
        f"{name} differs in content from what scripts/build_templates.py makes; "
        "run python3 scripts/build_templates.py and commit the result"
    )


@pytest.mark.parametrize("name", KIND_TEMPLATES)
def test_every_style_a_template_uses_is_defined_in_it(name: str) -> None:
    path = COMMITTED / name
    used = set()
    with zipfile.ZipFile(path) as archive:
        for part in archive.namelist():
            if part == "word/document.xml" or part.startswith(("word/header", "word/footer")):
                root = etree.fromstring(archive.read(part))
                for tag, kind in (
                    ("pStyle", "paragraph"),
                    ("tblStyle", "table"),
                    ("rStyle", "character"),
                ):
                    used |= {(e.get(f"{W}val"), kind) for e in root.iter(f"{W}{tag}")}
    assert ("PlanTable", "table") in used
    missing = {sid for sid, kind in used if sid not in style_ids(path, kind)}
    assert not missing


def test_a_template_restyled_in_word_still_counts_as_in_sync(rebuilt: Path, tmp_path: Path) -> None:
    """Only styles.xml changes when a TA center restyles a template: that is fine."""
    restyled = tmp_path / "system.docx"
    with zipfile.ZipFile(rebuilt / "system.docx") as src, zipfile.ZipFile(restyled, "w") as out:
        for item in src.infolist():
            data = src.read(item)
            if item.filename == "word/styles.xml":
                data = data.replace(b'w:val="1F3864"', b'w:val="7B2C2C"')
            out.writestr(item, data)
    with zipfile.ZipFile(restyled) as new, zipfile.ZipFile(rebuilt / "system.docx") as old:
        assert new.read("word/styles.xml") != old.read("word/styles.xml")
    assert structure(restyled) == structure(rebuilt / "system.docx")


PPR_ORDER = [
    *("pStyle", "keepNext", "keepLines", "pageBreakBefore", "framePr", "widowControl"),
    *("numPr", "suppressLineNumbers", "pBdr", "shd", "tabs", "suppressAutoHyphens"),
    *("spacing", "ind", "contextualSpacing", "jc", "outlineLvl", "rPr", "sectPr", "pPrChange"),
]
"""Paragraph properties in the order of the schema (CT_PPr), which Word insists on."""


@pytest.mark.parametrize("name", [*KIND_TEMPLATES, "base.docx"])
def test_properties_are_each_given_once_and_in_the_order_word_requires(name: str) -> None:
    with zipfile.ZipFile(COMMITTED / name) as archive:
        parts = [archive.read(n) for n in ("word/document.xml", "word/styles.xml")]
    for root in map(etree.fromstring, parts):
        for props in root.iter(f"{W}tblPr", f"{W}pPr", f"{W}rPr", f"{W}tcPr"):
            tags = [etree.QName(c).localname for c in props]
            assert len(tags) == len(set(tags)), tags
        for ppr in root.iter(f"{W}pPr"):
            tags = [etree.QName(c).localname for c in ppr]
            assert tags == sorted(tags, key=PPR_ORDER.index), tags
