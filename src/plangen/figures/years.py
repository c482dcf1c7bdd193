"""A plan's years and its final figure: what next year's plan and a batch's year over
year compare with."""

from __future__ import annotations

from typing import Any

from plangen.figures.adherence import tally, tracked_items
from plangen.model import Plan


def plan_period(plan: Plan) -> str:
    """The plan's years, e.g. `2023-24` (one year: `2024`); empty without a start."""
    start, end = plan.start, plan.end
    if start is None or end is None:
        return ""
    return f"{start:%Y}" if start.year == end.year else f"{start:%Y}-{end:%y}"


def plan_years(plan: Plan) -> dict[str, Any]:
    """`period` (e.g. `2023-24`) and `final_percent`: supports completed out of planned as
    of the plan's last day (None when nothing is planned or the plan has no dates)."""
    end = plan.end
    final = tally(tracked_items(plan), end).percent if end is not None else None
    return {"period": plan_period(plan), "final_percent": final}
