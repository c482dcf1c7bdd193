"""Adherence figures (plangen.figures.adherence) as tables of cases over plans built directly."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from plangen.figures.adherence import Summary, Tally, summarize
from plangen.kinds.system import SYSTEM
from plangen.model import Plan, Record
from plangen.schema import Cadence, Schedule

START = date(2022, 10, 31)
AS_OF = date(2023, 2, 15)
DLT = "Division Leadership Team"
COACHES = "District Coordinators/Coaches"


def support(
    status: str = "Not started",
    target: date | None = None,
    done: date | None = None,
    level: str = DLT,
    goal: int | None = None,
    reason: str | None = None,
) -> dict[str, Any]:
    return {
        "level": level,
        "support": f"{status} support",
        "goal": goal,
        "status": status,
        "target_date": target,
        "completed_on": done,
        "drop_reason": reason,
    }


def review(when: date, kind: str = "Monthly", on_track: str | None = "Yes") -> dict[str, Any]:
    return {"date": when, "type": kind, "on_track": on_track, "adjustments": None}


def make_plan(
    supports: list[dict[str, Any]],
    reviews: list[dict[str, Any]] | None = None,
    start: date = START,
    end: date | None = None,
    cadence: Cadence = Cadence.MIDYEAR_ENDYEAR,
) -> Plan:
    """A System plan with the given supports and review log, as the reader would make it,
    its reviews due on `cadence`."""
    kind = replace(SYSTEM, schedules=(Schedule(sheet="reviews", cadence=cadence),))
    tables = {
        "supports": [
            Record("Supports", 4 + n, dict(values), {"support": f"B{4 + n}"})
            for n, values in enumerate(supports)
        ],
        "reviews": [
            Record("Reviews", 4 + n, dict(values), {"date": f"A{4 + n}"})
            for n, values in enumerate(reviews or [])
        ],
    }
    fields = {"district": "Test Division", "date_initiated": start, "plan_end": end}
    return Plan(kind, Path("test.xlsx"), fields, tables)


def figures(summary: Summary) -> dict[str, Any]:
    """The figures a reader of the plan looks at, in plain values."""
    nxt = summary.next_review
    return {
        "headline": summary.headline,
        "overall": summary.overall.fraction,
        "by_group": [(g.group, g.tally.fraction) for g in summary.by_group],
        "by_goal": [(goal, t.fraction) for goal, t in summary.by_goal],
        "trend": [(r.date, r.tally.fraction) for r in summary.reviews],
        "schedule": [(s.name, s.due, s.held, s.status(summary.as_of)) for s in summary.schedule],
        "missed": [s.name for s in summary.missed],
        "next": (nxt.name, nxt.due) if nxt else None,
        "overdue": [i.location for i in summary.overdue],
        "on_track": summary.on_track,
    }


MID = "Mid-Year Review (January)"
END = "End-Year Review (May/June)"
JAN31, JUN30 = date(2023, 1, 31), date(2023, 6, 30)

CASES = [
    pytest.param(
        make_plan([]),
        AS_OF,
        {
            "headline": "No coaching supports are planned yet",
            "overall": "0/0",
            "by_group": [],
            "overdue": [],
        },
        id="no-supports",
    ),
    pytest.param(
        make_plan(
            [
                support("Dropped", date(2022, 12, 1), reason="No funding"),
                support("Dropped", date(2022, 12, 1), level=COACHES, goal=1, reason="Merged"),
            ]
        ),
        AS_OF,
        {
            "headline": "No coaching supports remain planned (2 dropped)",
            "overall": "0/0",
            "by_group": [],
            "by_goal": [],
            "overdue": [],
        },
        id="all-dropped",
    ),
    pytest.param(
        make_plan(
            [
                support("Completed", date(2023, 1, 31), date(2023, 3, 1), goal=1),
                support("Completed", date(2023, 3, 31), date(2023, 2, 15), goal=1),
                support("Completed", date(2023, 3, 31), date(2023, 2, 16), level=COACHES),
            ],
            [review(date(2023, 1, 25), "Mid-Year")],
        ),
        AS_OF,
        {
            "overall": "1/3",
            "by_group": [(DLT, "1/2"), (COACHES, "0/1")],
            "by_goal": [(1, "1/2")],
            "trend": [(date(2023, 1, 25), "0/3")],
            "overdue": ["Supports!B4"],
        },
        id="completion-dated-after-as-of",
    ),
    pytest.param(
        make_plan(
            [support("Completed", done=date(2022, 11, 5))],
            [review(date(2022, 1, 20), "Mid-Year"), review(date(2022, 12, 1))],
        ),
        AS_OF,
        {
            "trend": [(date(2022, 12, 1), "1/1")],
            "schedule": [(MID, JAN31, None, "missed"), (END, JUN30, None, "upcoming")],
            "missed": [MID],
        },
        id="review-before-plan-began",
    ),
    pytest.param(
        make_plan(
            [support("In progress", date(2023, 1, 15))],
            [review(date(2022, 11, 30)), review(date(2023, 1, 20), "Monthly", "Partly")],
        ),
        AS_OF,
        {
            "missed": [MID],
            "next": (END, JUN30),
            "overdue": ["Supports!B4"],
            "on_track": "Partly",
        },
        id="missed-mid-year-monthly-in-january-does-not-count",
    ),
    pytest.param(
        make_plan([support()], [review(date(2023, 1, 12), "Other")]),
        AS_OF,
        {"schedule": [(MID, JAN31, date(2023, 1, 12), "held"), (END, JUN30, None, "upcoming")]},
        id="other-review-in-january-is-the-mid-year",
    ),
    pytest.param(
        make_plan([support()], [review(date(2023, 2, 10), "Mid-Year")]),
        AS_OF,
        {"schedule": [(MID, JAN31, date(2023, 2, 10), "held"), (END, JUN30, None, "upcoming")]},
        id="mid-year-held-late-counts",
    ),
    pytest.param(
        make_plan([support()], [review(date(2023, 1, 20), "End-Year")]),
        AS_OF,
        {"schedule": [(MID, JAN31, None, "missed"), (END, JUN30, None, "upcoming")]},
        id="end-year-review-in-january-is-neither",
    ),
    pytest.param(
        make_plan([support()], [review(date(2023, 5, 3), "Mid-Year")]),
        date(2023, 5, 10),
        {"missed": [MID], "next": (END, JUN30)},
        id="mid-year-review-in-may-is-not-the-mid-year",
    ),
    pytest.param(
        make_plan(
            [
                support("Completed", done=None),
                support("Completed", done=date(2022, 12, 1)),
                support("In progress"),
            ],
            [review(date(2023, 1, 25), "Mid-Year")],
        ),
        AS_OF,
        {"overall": "2/3", "trend": [(date(2023, 1, 25), "1/3")]},
        id="completed-without-date-counts-now-not-in-trend",
    ),
    pytest.param(
        make_plan(
            [support()],
            [review(date(2022, 11, 28)), review(date(2023, 1, 3))],
            cadence=Cadence.MONTHLY,
        ),
        AS_OF,
        {
            "missed": ["December 2022 review"],
            "next": ("February 2023 review", date(2023, 2, 28)),
        },
        id="monthly-with-missed-month",
    ),
    pytest.param(
        make_plan([support()], end=date(2023, 1, 15), cadence=Cadence.MONTHLY),
        date(2023, 1, 20),
        {
            "schedule": [
                ("November 2022 review", date(2022, 11, 30), None, "missed"),
                ("December 2022 review", date(2022, 12, 31), None, "missed"),
                ("January 2023 review", date(2023, 1, 15), None, "missed"),
            ],
            "next": None,
        },
        id="monthly-last-review-due-on-plan-end",
    ),
    pytest.param(
        make_plan([support()], [review(date(2023, 1, 25), "Mid-Year")]),
        date(2023, 1, 31),
        {"missed": [], "next": (END, JUN30)},
        id="next-review-after-mid-year-held",
    ),
    pytest.param(
        make_plan([support()]),
        date(2023, 1, 31),
        {"missed": [], "next": (MID, JAN31)},
        id="next-review-due-today-is-not-missed",
    ),
    pytest.param(
        make_plan([support()], start=date(2023, 2, 6)),
        date(2023, 3, 1),
        {"schedule": [(END, JUN30, None, "upcoming")], "next": (END, JUN30)},
        id="plan-starting-after-january-has-no-mid-year",
    ),
    pytest.param(
        make_plan(
            [support()],
            [review(date(2023, 6, 2), "End-Year"), review(date(2024, 1, 30), "Mid-Year")],
            end=date(2024, 4, 30),
        ),
        date(2024, 5, 15),
        {
            "schedule": [
                ("Mid-Year Review (January 2023)", JAN31, None, "missed"),
                ("End-Year Review (May/June 2023)", JUN30, date(2023, 6, 2), "held"),
                ("Mid-Year Review (January 2024)", date(2024, 1, 31), date(2024, 1, 30), "held"),
                ("End-Year Review (April 2024)", date(2024, 4, 30), None, "missed"),
            ],
            "next": None,
        },
        id="plan-end-given-two-years",
    ),
    pytest.param(
        make_plan([support()], end=date(2023, 8, 31)),
        date(2023, 3, 1),
        {"schedule": [(MID, JAN31, None, "missed"), (END, JUN30, None, "upcoming")]},
        id="plan-end-in-summer-keeps-june-end-year",
    ),
]


@pytest.mark.parametrize(("plan", "as_of", "expected"), CASES)
def test_summary_figures(plan: Plan, as_of: date, expected: dict[str, Any]) -> None:
    got = figures(summarize(plan, as_of))
    assert {key: got[key] for key in expected} == expected


def test_same_plan_and_date_give_the_same_figures() -> None:
    plan = make_plan(
        [support("Completed", done=date(2022, 12, 1)), support("In progress", date(2023, 1, 1))],
        [review(date(2022, 12, 2))],
    )
    assert summarize(plan, AS_OF).to_dict() == summarize(plan, AS_OF).to_dict()


@pytest.mark.parametrize(
    ("completed", "planned", "percent"),
    [(0, 0, None), (0, 3, 0), (5, 8, 63), (1, 8, 13), (2, 3, 67), (1, 3, 33), (4, 4, 100)],
)
def test_percent_rounds_halves_up(completed: int, planned: int, percent: int | None) -> None:
    assert Tally(completed, planned).percent == percent
