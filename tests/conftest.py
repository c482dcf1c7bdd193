"""Shared fixtures: the example workbook and a place to build plans."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "input_examples"
SYSTEM_EXAMPLE = EXAMPLES / "super_excited_division.xlsx"


@pytest.fixture
def system_example() -> Path:
    """The Super Excited Division example workbook (read-only: copy before changing)."""
    return SYSTEM_EXAMPLE
