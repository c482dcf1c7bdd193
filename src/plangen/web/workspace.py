"""Where uploads and their plans live: one folder per browser session, one per upload.

Nothing a browser sends becomes part of a path: session and upload ids are random
tokens checked against a pattern, files inside have fixed names (`workbook.xlsx`,
`plan.docx`, `plan.pdf`), and the name a user gave their file is kept only as text.
"""

from __future__ import annotations

import contextlib
import json
import os
import pickle
import re
import secrets
import shutil
import tempfile
import time
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from plangen.files import process_alive

_ID = re.compile(r"[0-9a-f]{32}")
WORKBOOK, DOCX, PDF, PAGES = "workbook", "plan.docx", "plan.pdf", "pages"
SUFFIXES = (".xlsx", ".xlsm", ".ods")
"""The kinds of workbook an upload may be saved as (the reader needs the right one)."""
SESSION_QUOTA = 100_000_000
"""Bytes one browser session may keep; its oldest uploads are removed to make room."""
TOTAL_QUOTA = 2_000_000_000
"""Bytes all sessions together may keep; past it uploads are refused until some go."""
WORKDIR_PREFIX = "plangen-serve-"
OWNER = "owner.json"


class Full(Exception):
    """The server's storage for uploads is full."""


def _started(pid: int) -> str:
    """When process `pid` started (clock ticks since boot), to tell it from a later
    process given the same number; empty when unknown."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[19]
    except (OSError, IndexError):
        return ""


def new_workdir(parent: Path) -> Path:
    """A new work folder for this server under `parent`, naming its process."""
    folder = Path(tempfile.mkdtemp(prefix=WORKDIR_PREFIX, dir=parent))
    owner = {"pid": os.getpid(), "started": _started(os.getpid())}
    (folder / OWNER).write_text(json.dumps(owner), encoding="utf-8")
    return folder


def sweep_dead_workdirs(parent: Path) -> list[Path]:
    """Remove the work folders under `parent` of servers that are gone (killed, even by
    the OOM killer, without their clean-up); return them. A running server's is kept."""
    removed = []
    for folder in parent.glob(WORKDIR_PREFIX + "*"):
        try:
            owner = json.loads((folder / OWNER).read_text(encoding="utf-8"))
            pid, started = int(owner["pid"]), str(owner["started"])
        except (OSError, ValueError, KeyError, TypeError):
            continue  # not one of ours, or an older plangen's: left alone
        if folder.is_symlink() or not folder.is_dir():
            continue
        if process_alive(pid) and _started(pid) == started:
            continue
        shutil.rmtree(folder, ignore_errors=True)
        removed.append(folder)
    return removed


def folder_size(folder: Path) -> int:
    """Bytes of the files under `folder`."""
    total = 0
    for path in folder.rglob("*"):
        with contextlib.suppress(OSError):
            if path.is_file() and not path.is_symlink():
                total += path.stat().st_size
    return total


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

    def save_view(self, view: Any) -> None:
        """Keep what the plan page shows, so a view never reads the workbook again."""
        tmp = self.folder / "view.tmp"
        tmp.write_bytes(pickle.dumps(view, protocol=pickle.HIGHEST_PROTOCOL))
        tmp.replace(self.folder / "view.pickle")

    def load_view(self) -> Any:
        """The view kept by `save_view` (written by this server only); None without one."""
        try:
            return pickle.loads((self.folder / "view.pickle").read_bytes())
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError):
            return None

    def remove(self) -> None:
        """Delete this upload and everything made from it."""
        shutil.rmtree(self.folder, ignore_errors=True)

    def drop_workbook(self) -> None:
        """Delete the uploaded workbook (a refused upload keeps no bytes)."""
        self.workbook.unlink(missing_ok=True)

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
    """Session folders under `root`; sessions idle for `keep_seconds` are removed.

    A session keeps at most `session_quota` bytes (its oldest uploads go to make room),
    all sessions together at most `total_quota` (past it, `new_upload` raises Full).
    """

    def __init__(
        self,
        root: Path,
        keep_seconds: float = 6 * 3600,
        session_quota: int = SESSION_QUOTA,
        total_quota: int = TOTAL_QUOTA,
    ) -> None:
        self.root = Path(root)
        self.keep_seconds = keep_seconds
        self.session_quota, self.total_quota = session_quota, total_quota
        self.root.mkdir(parents=True, exist_ok=True)

    def new_upload(self, session: str, name: str, size: int = 0) -> Upload:
        """A fresh, empty upload folder of `session` for a workbook called `name` of
        `size` bytes; Full when the server has no room for it."""
        if not valid_id(session):
            raise ValueError("bad session id")
        self.sweep()
        self._make_room(self.root / session, size)
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

    def _make_room(self, session: Path, size: int) -> None:
        """Remove the oldest uploads of `session` until `size` more bytes fit its quota;
        Full when all sessions together would pass the total quota."""
        uploads = sorted(
            (p for p in session.iterdir() if p.is_dir()) if session.is_dir() else [],
            key=lambda p: p.stat().st_mtime,
        )
        sizes = {p: folder_size(p) for p in uploads}
        used = sum(sizes.values())
        for oldest in uploads:
            if used + size <= self.session_quota:
                break
            shutil.rmtree(oldest, ignore_errors=True)
            used -= sizes[oldest]
        if folder_size(self.root) + size > self.total_quota:
            raise Full

    def sweep(self) -> None:
        """Remove the folders of sessions not used for `keep_seconds`."""
        limit = time.time() - self.keep_seconds
        for folder in self.root.iterdir():
            try:
                if folder.is_dir() and folder.stat().st_mtime < limit:
                    shutil.rmtree(folder, ignore_errors=True)
            except OSError:
                continue
