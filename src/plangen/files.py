"""Writing output files so that a failure never leaves half a file behind."""

from __future__ import annotations

import contextlib
import os
import re
import stat
import tempfile
from collections.abc import Iterator
from pathlib import Path

from plangen.errors import OutputError

PART_PREFIX = ".pg"
"""Temporary files are `.pg<pid>-<random>.part` beside their target: short (a legal
250-byte name still fits), and naming the process that writes them, so a clean-up can
tell a file in progress from one a dead process left."""
_PART_NAME = re.compile(r"^\.pg(\d+)-[^/]*\.part$")


def _file_mode() -> int:
    """The mode a new file gets from the umask (mkstemp's own 0600 would carry over)."""
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


_FILE_MODE = _file_mode()


def _mode_for(target: Path) -> int:
    """The mode of the file `target` replaces (a private plan stays private), else the
    umask's."""
    try:
        info = os.stat(target)
    except OSError:
        return _FILE_MODE
    return stat.S_IMODE(info.st_mode) if stat.S_ISREG(info.st_mode) else _FILE_MODE


@contextlib.contextmanager
def atomic_write(target: Path) -> Iterator[Path]:
    """Yield a temporary path beside `target`; on success rename it onto `target`.

    On any exception the temporary file is removed and `target` is left as it was.
    A file that is replaced keeps its permission mode. OSErrors (a folder that cannot
    be written, a full disk) become `OutputError`.
    """
    target = Path(target)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, name = tempfile.mkstemp(
            prefix=f"{PART_PREFIX}{os.getpid()}-", suffix=".part", dir=target.parent
        )
        os.close(fd)
        os.chmod(name, _mode_for(target))
    except OSError as exc:
        raise OutputError(f"{target}: cannot be written ({exc.strerror or exc})") from None
    tmp = Path(name)
    try:
        yield tmp
        os.chmod(tmp, _mode_for(target))
        os.replace(tmp, target)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise OutputError(f"{target}: cannot be written ({exc.strerror or exc})") from None
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def process_alive(pid: int) -> bool:
    """True while process `pid` exists and is not a zombie waiting for its parent."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # it exists, owned by someone else
    with contextlib.suppress(OSError, IndexError):
        stat_line = Path(f"/proc/{pid}/stat").read_text()
        return stat_line.rsplit(")", 1)[1].split()[0] != "Z"
    return True


def remove_stale_parts(folder: Path) -> list[Path]:
    """Delete temporary files under `folder` whose writing process is gone; return them.

    A temporary file of a running process (another batch, a build) is never touched.
    """
    removed = []
    for part in Path(folder).rglob(f"{PART_PREFIX}*.part"):
        found = _PART_NAME.match(part.name)
        if found is None or process_alive(int(found.group(1))):
            continue
        with contextlib.suppress(OSError):
            part.unlink()
            removed.append(part)
    return removed


def link_inside(root: Path, target: Path) -> Path | None:
    """The first symbolic link on the way from `root` (not itself) down to `target`
    (included); None when there is none. Output folders are written only through real
    folders: `plans/north -> /elsewhere` must not make a plan land in /elsewhere."""
    root, target = Path(root), Path(target)
    try:
        parts = target.relative_to(root).parts
    except ValueError:
        return None
    path = root
    for part in parts:
        path = path / part
        if path.is_symlink():
            return path
    return None


def free_name(path: Path, label: str) -> Path:
    """The first name `stem.LABEL-N.suffix` beside `path` (N from 1) that no file has:
    where plangen keeps a copy it must never write over (`plan.edited-1.docx`)."""
    n = 1
    while True:
        candidate = path.with_name(f"{path.stem}.{label}-{n}{path.suffix}")
        if not candidate.exists():
            return candidate
        n += 1
