"""Turning raw cell values into typed values, with a plain-words message when they don't fit.

Each parser takes what the spreadsheet reader returned (str, float, int, bool, date,
datetime or None) and returns the typed value, or raises `ValueProblem` whose text names
what was expected and what was found.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta
from typing import Any

# Characters XML 1.0 forbids (Excel lets users type some of them, and writes others as
# _x000B_ escapes that readers decode); a .docx holding them will not open.
_XML_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
# Only escapes of control characters are decoded: the reader has already decoded the
# file's escapes, so `_x0041_` left in a value is text the user typed.
_EXCEL_ESCAPE = re.compile(r"_x(00[01][0-9A-Fa-f])_")
_EXCEL_EPOCH = date(1899, 12, 30)
_DATE_FORMATS = (
    "%Y-%m-%d",
    "%Y/%m/%d",
    "%m/%d/%Y",
    "%m/%d/%y",
    "%m-%d-%Y",
    "%d.%m.%Y",
    "%B %d, %Y",
    "%B %d %Y",
    "%b %d, %Y",
    "%b %d %Y",
    "%d %B %Y",
    "%d %b %Y",
    "%B %Y",
    "%b %Y",
)


class ValueProblem(ValueError):
    """A cell's value does not fit its column; the text is the user-facing message."""


def clean_text(raw: Any) -> str:
    """Text as typed, minus characters a Word document cannot hold; `` for blank.

    Line breaks are kept (as `\\n`); Windows line ends become `\\n`.
    """
    if raw is None:
        return ""
    if isinstance(raw, float) and raw.is_integer():
        text = str(int(raw))
    elif isinstance(raw, datetime):
        text = raw.date().isoformat() if raw.time() == time(0) else raw.isoformat(" ")
    elif isinstance(raw, date):
        text = raw.isoformat()
    else:
        text = str(raw)
    text = _EXCEL_ESCAPE.sub(_unescape_excel, text)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return _XML_FORBIDDEN.sub("", text).strip()


def _unescape_excel(match: re.Match[str]) -> str:
    return chr(int(match.group(1), 16))


def shown(raw: Any, limit: int = 40) -> str:
    """A raw value quoted for an error message, on one line, shortened if long."""
    text = " ".join(clean_text(raw).split())
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    return f'"{text}"'


def parse_date(raw: Any) -> date:
    """A calendar date from a date cell, an Excel serial number or text like 2023-06-30."""
    if isinstance(raw, datetime):
        return raw.date()
    if isinstance(raw, date):
        return raw
    if isinstance(raw, bool):
        raise ValueProblem(f"expected a date like 2023-06-30, got {shown(raw)}")
    if isinstance(raw, (int, float)):
        if 1 <= raw < 2958466:  # Excel's serial numbers, 1900-01-01 to 9999-12-31
            return _EXCEL_EPOCH + timedelta(days=int(raw))
        raise ValueProblem(f"expected a date like 2023-06-30, got {shown(raw)}")
    text = " ".join(clean_text(raw).replace(",", ", ").split()).replace(" ,", ",")
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueProblem(f"expected a date like 2023-06-30, got {shown(raw)}")


def parse_percent(raw: Any) -> float:
    """A score in percent: 36, 0.36 (a cell formatted as percent) and "36%" all give 36."""
    if isinstance(raw, bool):
        raise ValueProblem(f"expected a percent like 36%, got {shown(raw)}")
    if isinstance(raw, (int, float)):
        value = float(raw) * 100 if 0 < abs(raw) <= 1 else float(raw)
    else:
        text = clean_text(raw).replace(" ", "")
        had_sign = text.endswith("%")
        try:
            value = float(text.rstrip("%"))
        except ValueError:
            raise ValueProblem(f"expected a percent like 36%, got {shown(raw)}") from None
        if not had_sign and 0 < value <= 1 and "." in text:
            value *= 100
    if not 0 <= value <= 100:
        raise ValueProblem(f"a score must be between 0% and 100%, got {shown(raw)}")
    return round(value, 2)


def parse_integer(raw: Any) -> int:
    """A whole number from a number cell or text like "5"."""
    if isinstance(raw, bool):
        raise ValueProblem(f"expected a whole number, got {shown(raw)}")
    if isinstance(raw, (int, float)):
        if float(raw).is_integer():
            return int(raw)
        raise ValueProblem(f"expected a whole number, got {shown(raw)}")
    text = clean_text(raw)
    try:
        number = float(text)
    except ValueError:
        raise ValueProblem(f"expected a whole number, got {shown(raw)}") from None
    if not number.is_integer():
        raise ValueProblem(f"expected a whole number, got {shown(raw)}")
    return int(number)


def parse_yes_no(raw: Any) -> bool:
    """True for Yes/Y/X/True/1, False for No/N/False/0."""
    if isinstance(raw, bool):
        return raw
    text = clean_text(raw).lower()
    if text in {"yes", "y", "x", "true", "1", "✓", "✔"}:
        return True
    if text in {"no", "n", "false", "0"}:
        return False
    raise ValueProblem(f"expected Yes or No, got {shown(raw)}")


def match_choice(raw: Any, allowed: tuple[str, ...]) -> str | None:
    """The allowed value `raw` names, ignoring case and spacing; None when none matches."""
    wanted = " ".join(clean_text(raw).split()).casefold()
    for value in allowed:
        if " ".join(value.split()).casefold() == wanted:
            return value
    return None


def format_date(value: date | None) -> str:
    """A date as a plan shows it: `October 31, 2022`; `` for None."""
    if value is None:
        return ""
    return f"{value:%B} {value.day}, {value.year}"


def format_percent(value: float | None) -> str:
    """36.0 -> `36%`, 36.5 -> `36.5%`; `` for None."""
    if value is None:
        return ""
    return f"{value:g}%"
