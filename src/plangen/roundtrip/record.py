"""What plangen wrote into a plan document, kept inside the .docx itself.

When plangen writes a plan it adds a record to the document: which workbook and plan it
was built from (kind, district, plan id, workbook name), the value of every field that
can flow back (each monitored item's status and completed-on date, each review's notes),
and the fingerprint of the document's content (`controls.content_text`). The record is a
custom XML part (`customXml/itemN.xml`, which Word and LibreOffice both keep); the
fingerprint and the plan's identity are also document properties (docProps/custom.xml,
visible in Word under File > Info > Properties).
"""

from __future__ import annotations

import json
import re
import uuid
import zipfile
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from lxml import etree

from plangen import package_safety
from plangen.errors import PlangenError
from plangen.model import Plan, Record
from plangen.roundtrip.controls import add_bookmarks, content_text, fingerprint
from plangen.workbook.values import clean_text

NS = "urn:plangen:plan:1"
PROPS_NS = "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"
VT_NS = "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"
DS_NS = "http://schemas.openxmlformats.org/officeDocument/2006/customXml"
FMTID = "{D5CDD505-2E9C-101B-9397-08002B2CF9AE}"
_CONTENT_PARTS = re.compile(r"^word/(document|header\d*|footer\d*|footnotes|endnotes)\.xml$")
_REVIEW_NOTES = ("progress", "adjustments")
REVIEW_LOG = "reviews"
"""The sheet key of the review log, whose notes are rich-text controls in the plan."""


class DocumentError(PlangenError):
    """A plan document that cannot be read."""


@dataclass
class PlanRecord:
    """What plangen wrote: the plan's identity, the values that can flow back, the
    fingerprint of the content. `values` maps a record key (`supports|12`) to its sheet,
    row, identity (the text that names the row), cells and field values (dates as ISO
    text, blank as None)."""

    kind: str
    district: str
    plan_id: str
    workbook: str
    built: str
    values: dict[str, dict[str, Any]] = field(default_factory=dict)
    fingerprint: str = ""
    period: str = ""
    """The plan's period, `start/end` (ISO dates); empty in records of older plangens."""
    build_id: str = ""
    """A random id of this build: what the workbook remembers a pull took came from it."""

    def to_json(self) -> str:
        """JSON in ASCII: a file name that is not UTF-8 (kept as surrogates) survives."""
        fields = {name: getattr(self, name) for name in self.__dataclass_fields__}
        return json.dumps(fields, ensure_ascii=True, sort_keys=True)  # asdict copies it all

    @classmethod
    def from_json(cls, text: str) -> PlanRecord:
        """The record written by `to_json`; ValueError when the text is not one (a
        damaged or forged record)."""
        data = json.loads(text)
        if not isinstance(data, dict) or not isinstance(data.get("values"), dict):
            raise ValueError("not a plangen record")
        for key in ("kind", "district", "plan_id", "workbook", "built", "fingerprint"):
            if not isinstance(data.get(key), str):
                raise ValueError(f"no {key}")
        for key in ("period", "build_id"):
            if not isinstance(data.get(key, ""), str):
                raise ValueError(f"bad {key}")
        for key, entry in data["values"].items():
            if not (
                isinstance(key, str)
                and isinstance(entry, dict)
                and isinstance(entry.get("row"), int)
                and all(isinstance(entry.get(k), str) for k in ("sheet", "identity"))
                and all(isinstance(entry.get(k), dict) for k in ("cells", "fields"))
                and isinstance(entry.get("match", {}), dict)
            ):
                raise ValueError(f"bad entry {key!r}")
        return cls(**{k: data[k] for k in cls.__dataclass_fields__ if k in data})


def plan_id(kind: str, district: str) -> str:
    """The identity of a plan: its kind and district (case and spacing ignored)."""
    return f"{kind}:{' '.join(str(district).casefold().split())}"


def flowing_fields(plan: Plan) -> dict[str, tuple[str, ...]]:
    """The fields of each sheet whose values can flow back from Word: status and
    completed-on of every monitored sheet, the notes of the review log."""
    out: dict[str, tuple[str, ...]] = {}
    for sheet in plan.kind.sheets:
        if sheet.tracked:
            out[sheet.key] = ("status", "completed_on")
        elif sheet.key == REVIEW_LOG:
            keys = {f.key for f in sheet.fields}
            notes = tuple(k for k in _REVIEW_NOTES if k in keys)
            if notes:
                out[sheet.key] = notes
    return out


def signature(plan: Plan, sheet_key: str, record: Record) -> dict[str, str | None]:
    """What a row holds besides the values that flow back and the coordinator's own
    tracking (Reason dropped): every other field, as text. A row is found again by it
    after rows were inserted, deleted, sorted or copied."""
    sheet = plan.kind.sheet(sheet_key)
    skip = set(flowing_fields(plan).get(sheet_key, ())) | {"drop_reason"}
    return {
        f.key: None if record[f.key] is None else _plain(record[f.key])
        for f in sheet.fields
        if f.key not in skip
    }


def words(plan: Plan, sheet_key: str, record: Record) -> str:
    """The record in its own words: what will be done (the sheet's first long required
    field), else the text naming the row."""
    sheet = plan.kind.sheet(sheet_key)
    for f in sheet.fields:
        if f.long and f.required and record[f.key]:
            return _plain(record[f.key])
    return identity(plan, sheet_key, record)


def period(plan: Plan) -> str:
    """The plan's period as `start/end` (ISO); empty when the workbook lacks its start."""
    start, end = plan.start, plan.end
    return f"{start.isoformat()}/{end.isoformat()}" if start and end else ""


def identity(plan: Plan, sheet_key: str, record: Record) -> str:
    """The text naming a row (its required values), to find it again if rows moved."""
    sheet = plan.kind.sheet(sheet_key)
    parts = [record[f.key] for f in sheet.fields if f.required]
    return " / ".join(_plain(v) for v in parts if v is not None)


def _plain(value: Any) -> str:
    return value.isoformat() if isinstance(value, date) else str(value)


def record_of(plan: Plan, workbook_name: str, built: date) -> PlanRecord:
    """The record of what a build of `plan` renders (without its fingerprint)."""
    district = str(plan.fields.get("district") or "")
    values: dict[str, dict[str, Any]] = {}
    for sheet_key, keys in flowing_fields(plan).items():
        for record in plan.table(sheet_key):
            values[f"{sheet_key}|{record.row}"] = {
                "sheet": record.sheet,
                "row": record.row,
                "identity": identity(plan, sheet_key, record),
                "words": words(plan, sheet_key, record),
                "match": signature(plan, sheet_key, record),
                "cells": {k: record.cell(k) for k in keys},
                "fields": {k: _stored(k, record[k]) for k in keys},
            }
    return PlanRecord(
        plan.kind.name,
        district,
        plan_id(plan.kind.name, district),
        workbook_name,
        built.isoformat(),
        values,
        period=period(plan),
        build_id=uuid.uuid4().hex,
    )


def _stored(key: str, value: Any) -> Any:
    if key == "status":
        return value or "Not started"
    if isinstance(value, date):
        return value.isoformat()
    return value if value not in ("",) else None


# ------------------------------------------------------------------ writing


def stamp(document: Any, record: PlanRecord) -> None:
    """Add `record` and the fingerprint of `document` (a python-docx Document, rendered)
    to it, as a custom XML part and custom document properties."""
    from docx.opc.constants import CONTENT_TYPE as CT
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from docx.opc.packuri import PackURI
    from docx.opc.part import Part

    package = document.part.package
    add_bookmarks(document.element)
    record.fingerprint = fingerprint_of_parts(_package_parts(package))
    item = Part(
        package.next_partname("/customXml/item%d.xml"), "application/xml",
        _record_xml(record), package,
    )
    document.part.relate_to(item, RT.CUSTOM_XML)
    props_name = PackURI(item.partname.replace("/item", "/itemProps"))
    props = Part(props_name, CT.OFC_CUSTOM_XML_PROPERTIES, _item_props(), package)
    item.relate_to(props, RT.CUSTOM_XML_PROPS)
    custom = Part(
        PackURI("/docProps/custom.xml"), CT.OFC_CUSTOM_PROPERTIES,
        _custom_properties(record), package,
    )
    package.relate_to(custom, RT.CUSTOM_PROPERTIES)


def _package_parts(package: Any) -> dict[str, Any]:
    roots = {}
    for part in package.iter_parts():
        name = str(part.partname).lstrip("/")
        if _CONTENT_PARTS.match(name):
            element = getattr(part, "_element", None)
            roots[name] = element if element is not None else _parse(part.blob, name)
    return roots


def _record_xml(record: PlanRecord) -> bytes:
    root = etree.Element(f"{{{NS}}}plangen", nsmap={None: NS})
    root.set("version", "1")
    etree.SubElement(root, f"{{{NS}}}record").text = record.to_json()
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _item_props() -> bytes:
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="no"?>'
        f'<ds:datastoreItem ds:itemID="{{{str(uuid.uuid4()).upper()}}}" xmlns:ds="{DS_NS}">'
        f'<ds:schemaRefs><ds:schemaRef ds:uri="{NS}"/></ds:schemaRefs></ds:datastoreItem>'
    ).encode()


def _custom_properties(record: PlanRecord) -> bytes:
    root = etree.Element(f"{{{PROPS_NS}}}Properties", nsmap={None: PROPS_NS, "vt": VT_NS})
    for pid, (name, value) in enumerate(
        (("plangen fingerprint", record.fingerprint), ("plangen plan", record.plan_id),
         ("plangen workbook", record.workbook)),
        start=2,
    ):
        prop = etree.SubElement(root, f"{{{PROPS_NS}}}property")
        prop.set("fmtid", FMTID)
        prop.set("pid", str(pid))
        prop.set("name", name)
        shown = value.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
        etree.SubElement(prop, f"{{{VT_NS}}}lpwstr").text = clean_text(shown)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


# ------------------------------------------------------------------ reading

_RECORD_PART = re.compile(r"^customXml/item\d+\.xml$")


def _parse(data: bytes, name: str) -> Any:
    try:
        return package_safety.parse_xml(data)
    except package_safety.XmlRefused as exc:
        raise DocumentError(f"its part {name} {exc}") from None


def _parsed_here(name: str) -> bool:
    """The parts `read_document` parses into trees (their sizes are capped together)."""
    return bool(
        _CONTENT_PARTS.match(name) or _RECORD_PART.match(name) or name == "docProps/custom.xml"
    )


@dataclass
class PlanDocument:
    """A plan document read from disk: its content parts and plangen's record (None
    when the document holds none)."""

    path: Path
    parts: dict[str, Any]
    record: PlanRecord | None
    property_fingerprint: str | None

    @property
    def body(self) -> Any:
        return self.parts["word/document.xml"]

    def fingerprint(self) -> str:
        return fingerprint_of_parts(self.parts)

    def stored_fingerprint(self) -> str | None:
        if self.record is not None and self.record.fingerprint:
            return self.record.fingerprint
        return self.property_fingerprint


def read_document(path: Path) -> PlanDocument:
    """Read a .docx: its content parts and plangen's record. DocumentError when it is
    not a readable Word document."""
    path = Path(path)
    package_safety.check_file(path, DocumentError)
    try:
        with zipfile.ZipFile(path) as archive:
            members = package_safety.check_archive(path, archive, DocumentError, _parsed_here)
            infos = {i.filename: i for i in members}
            if "word/document.xml" not in infos:
                if "xl/workbook.xml" in infos:
                    raise DocumentError(f"{path}: is a workbook, not a Word plan")
                raise DocumentError(f"{path}: is not a Word document (no word/document.xml)")

            def load(name: str) -> Any:
                try:
                    return _parse(archive.read(name), name)
                except DocumentError as exc:
                    raise DocumentError(f"{path}: {exc}") from None

            parts = {n: load(n) for n in infos if _CONTENT_PARTS.match(n)}
            record = None
            for name in sorted(infos):
                if _RECORD_PART.match(name):
                    root = load(name)
                    if root.tag == f"{{{NS}}}plangen":
                        text = root.findtext(f"{{{NS}}}record") or ""
                        try:
                            record = PlanRecord.from_json(text)
                        except (ValueError, TypeError):
                            record = None
            prop = None
            if "docProps/custom.xml" in infos:
                root = load("docProps/custom.xml")
                for el in root.iter(f"{{{PROPS_NS}}}property"):
                    if el.get("name") == "plangen fingerprint":
                        prop = "".join(el.itertext()).strip() or None
    except (zipfile.BadZipFile, EOFError, KeyError) as exc:
        raise DocumentError(f"{path}: is not a Word .docx document ({exc})") from None
    except OSError as exc:
        raise DocumentError(f"{path}: cannot be read ({exc.strerror or exc})") from None
    return PlanDocument(path, parts, record, prop)


def fingerprint_of_parts(parts: dict[str, Any]) -> str:
    """The fingerprint of a document's content parts: the body first, then the other
    parts' texts sorted (LibreOffice renumbers headers and footers); parts with no text
    (empty footnote separators) are left out."""
    body = content_text(parts["word/document.xml"])
    others = sorted(
        text
        for name, root in parts.items()
        if name != "word/document.xml"
        for text in [content_text(root)]
        if text.strip("\u00b6\u21b5|[field] \t\n")
    )
    return fingerprint([body, *others])
