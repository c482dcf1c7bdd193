"""Where uploads and their plans live: one folder per browser session, one per upload.

Nothing a browser sends becomes part of a path: session and upload ids are random
tokens checked against a pattern, files inside have fixed names (`workbook.xlsx`,
`plan.docx`, `plan.pdf`), and the name a user gave their file is kept only as text.
"""

from __future__ import annotations

import json
import re
import secrets
import shutil
import time
import unicodedata
from dataclasses import dataclass
from pathlib import Path

_ID = re.compile(r"[0-9a-f]{32}")
WORKBOOK, DOCX, PDF, PAGES = "workbook", "plan.docx", "plan.pdf", "pages"
SUFFIXES = (".xlsx", ".xlsm", ".ods")
"""The kinds of workbook an upload may be saved as (the reader needs the right one)."""


def workbook_suffix(name: str) -> str:
    """`.xlsx`, `.xlsm` or `.ods` from a user's file name; `.xlsx` for anything else."""
    suffix = Path(name).suffix.lower()
    return suffix if suffix in SUFFIXES else ".xlsx"


def new_id() -> str:
    """A random 128-bit id in hex."""
    return secrets.token_hex(16)


def valid_id(value: str | None) -> bool:
    """True when `value` looks like an id made by `new_id`."""
    return bool(value) and _ID.fullmatch(value or "") is not None


def display_name(filename: str | None, default: str = "workbook.xlsx") -> str:
    """The last part of a file name a browser sent, without control characters; text only."""
    name = (filename or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(c for c in name if unicodedata.category(c)[0] != "C").strip()
    return name[:120] or default


@dataclass
class Upload:
    """One uploaded workbook and what was made from it."""

    folder: Path
    name: str

    @property
    def id(self) -> str:
        return self.folder.name

    @property
    def workbook(self) -> Path:
        """The uploaded workbook: `workbook.xlsx` (or .xlsm, .ods as the user's name says)."""
        return self.folder / (WORKBOOK + workbook_suffix(self.name))

    @property
    def docx(self) -> Path:
        return self.folder / DOCX

    @property
    def pdf(self) -> Path:
        return self.folder / PDF

    @property
    def pages(self) -> Path:
        return self.folder / PAGES

    @property
    def stem(self) -> str:
        """The user's name for the workbook without its extension, for downloads."""
        return self.name.rsplit(".", 1)[0] if "." in self.name else self.name

    @property
    def pdf_pending(self) -> bool:
        """True while the PDF of this upload's plan is being made."""
        return (self.folder / "pdf.pending").exists()

    @pdf_pending.setter
    def pdf_pending(self, value: bool) -> None:
        marker = self.folder / "pdf.pending"
        if value:
            marker.touch()
        else:
            marker.unlink(missing_ok=True)

    def write_note(self, text: str) -> None:
        """Keep a message for the plan's page (a PDF that could not be made)."""
        (self.folder / "note.txt").write_text(text, encoding="utf-8")

    def read_note(self) -> str:
        try:
            return (self.folder / "note.txt").read_text(encoding="utf-8")
        except OSError:
            return ""

    def page_images(self) -> list[Path]:
        return sorted(self.pages.glob("page-*.png"), key=lambda p: int(p.stem.split("-")[-1]))


class Workspace:
    """Session folders under `root`; sessions idle for `keep_seconds` are removed."""

    def __init__(self, root: Path, keep_seconds: float = 6 * 3600) -> None:
        self.root = Path(root)
        self.keep_seconds = keep_seconds
        self.root.mkdir(parents=True, exist_ok=True)

    def new_upload(self, session: str, name: str) -> Upload:
        """A fresh, empty upload folder of `session` for a workbook called `name`."""
        if not valid_id(session):
            raise ValueError("bad session id")
        self.sweep()
        folder = self.root / session / new_id()
        folder.mkdir(parents=True)
        (folder / "meta.json").write_text(json.dumps({"name": name}), encoding="utf-8")
        return Upload(folder, name)

    def find(self, session: str, upload: str) -> Upload | None:
        """The upload `upload` of `session`; None when either id is unknown or malformed."""
        if not (valid_id(session) and valid_id(upload)):
            return None
        folder = self.root / session / upload
        try:
            meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        return Upload(folder, str(meta.get("name", WORKBOOK + ".xlsx")))

    def sweep(self) -> None:
        """Remove the folders of sessions not used for `keep_seconds`."""
        limit = time.time() - self.keep_seconds
        for folder in self.root.iterdir():
            try:
                if folder.is_dir() and folder.stat().st_mtime < limit:
                    shutil.rmtree(folder, ignore_errors=True)
            except OSError:
                continue
