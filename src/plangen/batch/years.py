"""Year over year: a district's plan of last year beside this year's in a batch.

Each built plan records its years (`2023-24`) and its final adherence figure (supports
completed out of planned as of the plan's last day). After a batch, every plan whose
district (case and spaces aside) has an earlier plan of the same kind in the folder gets
that plan's years, final figure and the change in points; the summary and the dashboard
show them beside this year's figure.
"""

from __future__ import annotations

from collections.abc import Iterable
from itertools import pairwise

from plangen.batch.run import FileResult
from plangen.figures.years import plan_years

PRIOR_KEYS = ("prior_period", "prior_percent", "prior_file", "change")


def link_years(results: Iterable[FileResult]) -> None:
    """Give each result whose district has an earlier plan of the same kind among
    `results` the figures `prior_period`, `prior_percent` (that plan's final figure),
    `prior_file` and `change` (this year's % minus last year's, in points)."""
    groups: dict[tuple[str, str], list[FileResult]] = {}
    for result in results:
        for key in PRIOR_KEYS:
            result.figures.pop(key, None)
        f = result.figures
        district = " ".join(str(f.get("district") or "").split()).casefold()
        if district and f.get("kind") and f.get("date_initiated"):
            groups.setdefault((district, str(f["kind"])), []).append(result)
    for plans in groups.values():
        plans.sort(key=lambda r: str(r.figures["date_initiated"]))
        for earlier, later in pairwise(plans):
            if earlier.figures["date_initiated"] == later.figures["date_initiated"]:
                continue
            final = _final(earlier)
            if final is None:
                continue
            percent = later.figures.get("percent")
            later.figures.update(
                prior_period=_period(earlier),
                prior_percent=final,
                prior_file=earlier.name,
                change=None if percent is None else percent - final,
            )


def _final(result: FileResult) -> int | None:
    """The final figure of an earlier plan: recorded when it was built, else read again
    (a plan skipped since a plangen that did not record it)."""
    if "final_percent" in result.figures:
        return result.figures["final_percent"]
    if not result.ok:
        return None
    from plangen.errors import PlangenError
    from plangen.pipeline import load

    try:
        loaded = load(result.workbook)
    except PlangenError:
        return None
    if not loaded.valid:
        return None
    result.figures.update(plan_years(loaded.plan))
    return result.figures["final_percent"]


def _period(result: FileResult) -> str:
    return str(result.figures.get("period") or result.figures.get("date_initiated") or "")
