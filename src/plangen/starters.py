"""Files a user starts from: a blank or example workbook, a copy of a built-in template."""

from __future__ import annotations

from pathlib import Path

from plangen.document.render import default_template
from plangen.files import atomic_write
from plangen.kinds import example_workbook
from plangen.schema import PlanKind


def new_workbook(kind: PlanKind, path: Path | str, *, example: bool = False) -> Path:
    """Write a blank, guided workbook of `kind` to `path` (the kind's filled-in example
    with `example=True`); return `path`. An existing file is replaced."""
    from plangen.workbook.blank import write_blank

    path = Path(path)
    if example:
        with atomic_write(path) as tmp:
            tmp.write_bytes(example_workbook(kind).read_bytes())
    else:
        write_blank(kind, path)
    return path


def export_template(kind: PlanKind, path: Path | str) -> Path:
    """Write the built-in Word template of `kind` to `path`, as a starting point for a
    template of one's own; return `path`. An existing file is replaced."""
    path = Path(path)
    with atomic_write(path) as tmp:
        tmp.write_bytes(default_template(kind.template).read_bytes())
    return path
