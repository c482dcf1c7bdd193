"""The registry of plan kinds plangen knows."""

from __future__ import annotations

from plangen.kinds.coaching_action_plan import COACHING_ACTION_PLAN
from plangen.kinds.coaching_system import COACHING_SYSTEM
from plangen.kinds.district import DISTRICT
from plangen.kinds.system import SYSTEM
from plangen.schema import PlanKind

KINDS: dict[str, PlanKind] = {
    kind.name: kind for kind in (SYSTEM, DISTRICT, COACHING_SYSTEM, COACHING_ACTION_PLAN)
}


def get_kind(name: str) -> PlanKind:
    """The kind called `name`; KeyError (naming the known kinds) when there is none."""
    try:
        return KINDS[name]
    except KeyError:
        raise KeyError(f"unknown plan kind {name!r}; known kinds: {', '.join(KINDS)}") from None
