"""A folder of many districts' workbooks (the System example under other names, with
different progress), for the dashboard at 40 and 400 districts."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from conftest import SYSTEM_EXAMPLE

DONE_ROWS = (5, 6, 7, 10, 11, 12, 14)
OPEN_ROWS = (4, 8, 9, 13, 15, 17)
NAMES = (
    "Alder", "Birch", "Cedar", "Dogwood", "Elm", "Fir", "Ginkgo", "Hawthorn", "Ironwood",
    "Juniper", "Larch", "Maple", "Nutmeg", "Oak", "Pine", "Quince", "Redwood", "Spruce",
    "Tamarack", "Upas", "Viburnum", "Walnut", "Yew", "Zelkova",
)  # fmt: skip


def district_name(i: int) -> str:
    place = "Valley" if i // len(NAMES) % 2 else "County"
    return f"{NAMES[i % len(NAMES)]} {place} Schools {i + 1}"


def make_districts(folder: Path, count: int, invalid: tuple[int, ...] = (7,)) -> list[Path]:
    """`count` workbooks in `folder` (district-001.xlsx, ...): each its own district name,
    adherence spread from red to green; those numbered in `invalid` hold a bad date."""
    from openpyxl import load_workbook

    folder.mkdir(parents=True, exist_ok=True)
    made = []
    for i in range(count):
        book = load_workbook(SYSTEM_EXAMPLE)
        book["Plan"]["B4"] = district_name(i)
        supports = book["Supports"]
        for row in DONE_ROWS[: i % (len(DONE_ROWS) + 1)]:
            supports[f"D{row}"] = "In progress"
            supports[f"F{row}"] = None
        if i % 5 == 0:
            for row in OPEN_ROWS:
                supports[f"D{row}"] = "Completed"
                supports[f"F{row}"] = datetime(2023, 1, 10)
        if i in invalid:
            supports["E4"] = "next spring"
        path = folder / f"district-{i + 1:03d}.xlsx"
        book.save(path)
        made.append(path)
    return made
