"""Opening a file a user gave plangen (a workbook, a Word template, a plan document back
from Word) without letting it take the machine: one set of caps for every zip package,
checked from the file's size and the zip's directory before a byte is unpacked, and one
XML parser for everything parsed into a tree.

The caps (documented with their numbers in docs/threat-model.md):

| cap | value | bounds |
|---|---|---|
| `MAX_FILE_BYTES` | 50 MB | the file on disk |
| `MAX_ENTRIES` | 2,000 | the parts (zip entries) of one file |
| `MAX_PART_BYTES` | 100 MB | any one part, unpacked (a sheet is read as a stream) |
| `MAX_UNPACKED_BYTES` | 200 MB | all parts of one file together, unpacked |
| `MAX_XML_BYTES` | 20 MB | one XML part parsed into a tree (lxml: ~10 bytes a byte) |
| `MAX_TREE_BYTES` | 32 MB | all XML parts of one file parsed into trees, together |

Sizes are bounded, not ratios (repetitive text packs 1000:1). Python's zipfile never
unpacks more than the size the directory declares, so a lying directory cannot pass.
XML that declares a DOCTYPE or entities is refused wherever the declaration sits, and
the parser (`parse_xml`) resolves no entities, reaches no network and builds no huge tree.

`defusedxml` is a dependency although plangen never imports it: openpyxl, which `pull`
uses to write a workbook, parses with it whenever it is installed (and refuses entity
bombs then). plangen's own parsing uses lxml's parser with the options above, since
`defusedxml.lxml` is deprecated.
"""

from __future__ import annotations

import re
import stat
import zipfile
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from lxml import etree

from plangen.errors import PlangenError

MAX_FILE_BYTES = 50_000_000
"""Largest file (on disk, packed) plangen opens."""
MAX_ENTRIES = 2_000
"""Most parts (zip entries) a file may hold; a Word document has a few dozen."""
MAX_PART_BYTES = 100_000_000
"""Largest any one part may unpack to."""
MAX_UNPACKED_BYTES = 200_000_000
"""Largest all parts of a file may unpack to together."""
MAX_XML_BYTES = 20_000_000
"""Largest one XML part parsed into a tree may be (a tree takes about ten times the
XML's size in memory)."""
MAX_TREE_BYTES = 32_000_000
"""Largest all XML parts of one file parsed into trees may be together (a plan of about
5,000 supports): with the tree's size, it keeps reading one file under 500 MB."""

Refusal = Callable[[str], PlangenError]
"""How a caller turns a one-line reason (naming the file) into its own error type."""

_MB = 1_000_000
_DECLARATIONS = (b"<!DOCTYPE", b"<!ENTITY")


def _mb(size: int) -> str:
    return f"{size / _MB:,.0f} MB"


def check_file(path: Path, refuse: Refusal, what: str = "plangen reads") -> int:
    """The size of `path`; refused (`refuse(line)` raised) unless it is a regular file of
    at most `MAX_FILE_BYTES`. `what` ends the size line ("a template may be")."""
    try:
        info = Path(path).stat()
    except FileNotFoundError:
        raise refuse(f"{path}: no such file") from None
    except OSError as exc:
        raise refuse(f"{path}: cannot be read ({exc.strerror or exc})") from None
    if not stat.S_ISREG(info.st_mode):
        raise refuse(
            f"{path}: is not a regular file (a folder, pipe, device or socket); refused unread"
        )
    check_size(path, info.st_size, refuse, what)
    return info.st_size


def check_size(path: Path, size: int, refuse: Refusal, what: str = "plangen reads") -> None:
    """Refused when a file of `size` bytes is over `MAX_FILE_BYTES`."""
    if size > MAX_FILE_BYTES:
        raise refuse(
            f"{path}: is {_mb(size)}, more than the {_mb(MAX_FILE_BYTES)} {what}; refused unread"
        )


def check_archive(
    path: Path,
    archive: zipfile.ZipFile,
    refuse: Refusal,
    trees: Callable[[str], bool] | None = None,
) -> list[zipfile.ZipInfo]:
    """The entries of `archive` (the file at `path`), refused unless they are within the
    caps: their number, each one's and their total unpacked size, the XML parts that will
    be parsed into trees (`trees(name)` true), and no XML part declaring entities."""
    members = archive.infolist()
    if len(members) > MAX_ENTRIES:
        raise refuse(
            f"{path}: holds {len(members):,} parts, more than the {MAX_ENTRIES:,} plangen "
            "opens; refused unread"
        )
    for member in members:
        if member.file_size > MAX_PART_BYTES:
            raise refuse(
                f"{path}: part {member.filename} would unpack to {_mb(member.file_size)}, more "
                f"than the {_mb(MAX_PART_BYTES)} plangen reads in one part; refused unread"
            )
    total = sum(m.file_size for m in members)
    if total > MAX_UNPACKED_BYTES:
        raise refuse(
            f"{path}: would unpack to {_mb(total)}, more than the {_mb(MAX_UNPACKED_BYTES)} "
            "plangen reads; refused unread"
        )
    if trees is not None:
        parsed = [m for m in members if trees(m.filename)]
        for member in parsed:
            if member.file_size > MAX_XML_BYTES:
                raise refuse(
                    f"{path}: part {member.filename} would unpack to {_mb(member.file_size)} "
                    f"of XML, more than the {_mb(MAX_XML_BYTES)} plangen parses in one part; "
                    "refused unread"
                )
        together = sum(m.file_size for m in parsed)
        if together > MAX_TREE_BYTES:
            raise refuse(
                f"{path}: its XML parts would unpack to {_mb(together)}, more than the "
                f"{_mb(MAX_TREE_BYTES)} plangen parses from one file; refused unread"
            )
    for member in members:
        if member.filename.endswith((".xml", ".rels")) and declares_entities(archive, member):
            raise refuse(
                f"{path}: part {member.filename} declares XML entities; refused for safety"
            )
    return members


def open_package(
    path: Path, refuse: Refusal, trees: Callable[[str], bool] | None = None
) -> zipfile.ZipFile:
    """`path` opened as a zip package after `check_file` and `check_archive`; the caller
    closes it. A file that is not a zip is refused as such."""
    check_file(path, refuse)
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, EOFError) as exc:
        raise refuse(f"{path}: is damaged or not a zip package ({exc})") from None
    except OSError as exc:
        raise refuse(f"{path}: cannot be read ({exc.strerror or exc})") from None
    try:
        check_archive(path, archive, refuse, trees)
    except BaseException:
        archive.close()
        raise
    return archive


def declares_entities(archive: zipfile.ZipFile, member: zipfile.ZipInfo) -> bool:
    """True when the XML part `member` holds `<!DOCTYPE` or `<!ENTITY` anywhere (in
    UTF-8 or UTF-16, which Word also reads). Read as a stream: memory stays flat."""
    needles: Iterable[bytes] = _DECLARATIONS
    overlap = 64
    tail = b""
    with archive.open(member) as part:
        first = True
        while chunk := part.read(1 << 20):
            if first:
                needles = _needles_for(chunk[:200])
                first = False
            data = tail + chunk
            if any(n in data for n in needles):
                return True
            tail = data[-overlap:]
    return False


def _needles_for(head: bytes) -> tuple[bytes, ...]:
    if b"\x00" not in head:
        return _DECLARATIONS
    codecs = ("utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be")
    return tuple(n.decode().encode(codec) for n in _DECLARATIONS for codec in codecs)


_PARSER = etree.XMLParser(
    resolve_entities=False, no_network=True, huge_tree=False, load_dtd=False
)
_RECOVERING = etree.XMLParser(
    resolve_entities=False, no_network=True, huge_tree=False, load_dtd=False, recover=True
)


class XmlRefused(ValueError):
    """An XML part that is damaged or declares entities; the message says which."""


def parse_xml(data: bytes, recover: bool = False) -> Any:
    """The root element of the XML `data` (a part from a user's file), parsed with no
    entities resolved, no network and no huge tree; XmlRefused when it is damaged (unless
    `recover`, then None for nothing usable) or declares a DOCTYPE."""
    try:
        root = etree.fromstring(data, _RECOVERING if recover else _PARSER)
    except etree.XMLSyntaxError as exc:
        raise XmlRefused(f"is damaged ({exc})") from None
    if root is not None and root.getroottree().docinfo.internalDTD is not None:
        raise XmlRefused("declares entities; refused unread")
    return root


TEXT_PART = re.compile(r"word/(document|header\d*|footer\d*|footnotes|endnotes)\.xml")
"""The parts of a Word document holding its text: body, headers, footers, notes."""


def is_docx_tree(name: str) -> bool:
    """The parts of a .docx parsed into trees when it is opened (python-docx or plangen):
    every XML part."""
    return name.endswith((".xml", ".rels"))

