"""The registry of plan kinds plangen knows."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from plangen.errors import PlangenError
from plangen.kinds.district import DISTRICT
from plangen.kinds.system import SYSTEM
from plangen.schema import PlanKind

KINDS: dict[str, PlanKind] = {kind.name: kind for kind in (SYSTEM, DISTRICT)}


def get_kind(name: str) -> PlanKind:
    """The kind called `name`; KeyError (naming the known kinds) when there is none."""
    try:
        return KINDS[name]
    except KeyError:
        raise KeyError(f"unknown plan kind {name!r}; known kinds: {', '.join(KINDS)}") from None


def example_workbook(kind: PlanKind) -> Path:
    """The kind's example workbook, shipped inside the package (`plangen/examples/`)."""
    path = Path(str(resources.files("plangen") / "examples" / kind.example))
    if path.is_file():
        return path
    raise PlangenError(
        f"the example workbook {kind.example} of kind {kind.name} was not found",
        hint="reinstall plangen, or run `python scripts/make_examples.py` in its repository",
    )
