"""Turning raw cell values into typed values, with a plain-words message when they don't fit.

Each parser takes what the spreadsheet reader returned (str, float, int, bool, date,
datetime or None) and returns the typed value, or raises `ValueProblem` whose text names
what was expected and what was found.
"""

from __future__ import annotations

import calendar
import difflib
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
    "%B %d, %Y",
    "%B %d %Y",
    "%b %d, %Y",
    "%b %d %Y",
    "%d %B %Y",
    "%d %b %Y",
)
_MONTH_FORMATS = ("%B %Y", "%b %Y")
_NO_YEAR_FORMATS = ("%B %d", "%b %d", "%d %B", "%d %b", "%m/%d", "%d/%m")
_NUMERIC_DATE = re.compile(r"^(\d{1,2})([/.-])(\d{1,2})\2(\d{4}|\d{2})$")
_NOT_KNOWN = {
    "tbd",
    "tba",
    "n/a",
    "na",
    "n.a.",
    "unknown",
    "?",
    "-",
    "--",
    "none",
    "pending",
    "tbc",
}
_MONTHS = {
    name[:n].casefold(): name
    for name in calendar.month_name[1:]
    for n in range(3, len(name) + 1)
}
"""Every spelling of a month from its first three letters on (`Sept`, `Septem`), each
certain: no two months share their first three letters."""
_MONTH_WORD = re.compile(r"(?<![A-Za-z])([A-Za-z]{3,9})\.?(?![A-Za-z])")
_ORDINAL = re.compile(r"(?<=\d)(st|nd|rd|th)\b", re.IGNORECASE)
DATE_FORMS = "2025-09-15, Sept 15, 2025 or 15 Sept 2025"
"""What the date messages offer as forms that work."""
EXPECTED_DATE = f"expected a date like {DATE_FORMS}"
DAY_FIRST = "day-first"
MONTH_FIRST = "month-first"
"""A workbook's date order: how `05/06/2027` is read (5 June, or May 6)."""
_SAMPLE = {DAY_FIRST: "30/06/2027", MONTH_FIRST: "06/30/2027"}


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
    if text.isprintable():  # no control character, no escape to decode: nothing to do
        return text.strip() if "_x" not in text else _cleaned(text)
    return _cleaned(text)


def _cleaned(text: str) -> str:
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


def date_order_of(raw: Any) -> str | None:
    """The date order a text date proves (`30/06/2027` is day-first); None if it proves none."""
    found = _NUMERIC_DATE.match(clean_text(raw)) if isinstance(raw, str) else None
    if not found:
        return None
    first, second = int(found.group(1)), int(found.group(3))
    if first > 12 >= second:
        return DAY_FIRST
    if second > 12 >= first:
        return MONTH_FIRST
    return None


def parse_date(raw: Any, order: str | None = None, month_end: bool = False) -> date:
    """A calendar date from a date cell, an Excel serial number or text like 2023-06-30.

    `order` is the workbook's date order for text like `05/06/2027` (None: not known, so
    such a date is refused unless day and month are the same or one is over 12).
    A month alone (`November 2026`) is its last day when `month_end`, else its 1st.
    """
    if isinstance(raw, datetime):
        return raw.date()
    if isinstance(raw, date):
        return raw
    if isinstance(raw, bool):
        raise ValueProblem(f"{EXPECTED_DATE}; got {shown(raw)}")
    if isinstance(raw, (int, float)):
        if 1 <= raw < 2958466:  # Excel's serial numbers, 1900-01-01 to 9999-12-31
            return _EXCEL_EPOCH + timedelta(days=int(raw))
        raise ValueProblem(f"{EXPECTED_DATE}; got {shown(raw)}")
    text = " ".join(clean_text(raw).replace(",", ", ").split()).replace(" ,", ",")
    numeric = _NUMERIC_DATE.match(text)
    if numeric:
        return _numeric_date(raw, numeric, order)
    text = month_words(text)
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    for fmt in _MONTH_FORMATS:
        try:
            first = datetime.strptime(text, fmt).date()
        except ValueError:
            continue
        if month_end:
            return first.replace(day=calendar.monthrange(first.year, first.month)[1])
        return first
    if text.casefold() in _NOT_KNOWN:
        raise ValueProblem(f"got {shown(raw)}; leave the cell blank when the date is not known yet")
    for fmt in _NO_YEAR_FORMATS:
        try:
            datetime.strptime(f"{text} 2000", f"{fmt} %Y")
        except ValueError:
            continue
        raise ValueProblem(
            f"the year is missing in {shown(raw)}; type the whole date, like 2023-06-30"
        )
    raise ValueProblem(f"{EXPECTED_DATE}; got {shown(raw)}")


def month_words(text: str) -> str:
    """`text` with each spelling of a month (`Sept.`, `sept`, `SEP`) as its full name, an
    ordinal day (`15th`) as its number and dashes or slashes between words as spaces; only
    when it names a month, so a number-only date is left alone."""

    found = False

    def full(match: re.Match[str]) -> str:
        nonlocal found
        month = _MONTHS.get(match.group(1).casefold())
        found = found or month is not None
        return month or match.group(0)

    named = _MONTH_WORD.sub(full, text)
    if not found:
        return text
    named = _ORDINAL.sub("", named)
    named = re.sub(r"\s*[-/]\s*", " ", named)
    return " ".join(named.replace(",", ", ").split()).replace(" ,", ",")


def _numeric_date(raw: Any, found: re.Match[str], order: str | None) -> date:
    """`05/06/2027` read in the workbook's date order (or its own, when it proves one)."""
    first, second, year = int(found.group(1)), int(found.group(3)), int(found.group(4))
    if len(found.group(4)) == 2:
        year += 2000
    own = date_order_of(clean_text(raw))
    if own is not None and order is not None and own != order:
        raise ValueProblem(
            f"{shown(raw)} is written {own}, but this workbook's other dates are {order} "
            f"(like {_SAMPLE[order]}); type it as YYYY-MM-DD, like 2027-06-30"
        )
    chosen = own or order
    if chosen is None and first != second:
        day_first, month_first = _safe_date(year, second, first), _safe_date(year, first, second)
        raise ValueProblem(
            f"{shown(raw)} could be {format_date(day_first)} or {format_date(month_first)}; "
            f"type it as {day_first.isoformat()} or {month_first.isoformat()}"
        )
    day, month = (first, second) if chosen == DAY_FIRST else (second, first)
    try:
        return date(year, month, day)
    except ValueError:
        raise ValueProblem(f"{EXPECTED_DATE}; got {shown(raw)}") from None


def _safe_date(year: int, month: int, day: int) -> date:
    try:
        return date(year, month, day)
    except ValueError:
        raise ValueProblem(f"{EXPECTED_DATE}; got {year}-{month}-{day}") from None


def parse_percent(raw: Any, percent_format: bool | None = None) -> float:
    """A score in percent: 36, "36%" and "0.36" give 36.

    A number cell formatted as percent holds a fraction (0.36 shows as 36%); one with
    another format holds the percent itself (36), except a fraction below 1 (0.36), which
    is read as 36%. `percent_format` None (format not known): a number up to 1 is a
    fraction. See `percent_note` for the readings worth a warning.
    """
    if isinstance(raw, bool):
        raise ValueProblem(f"expected a percent like 36%, got {shown(raw)}")
    if isinstance(raw, (int, float)):
        if percent_format is True:
            value = float(raw) * 100
        elif percent_format is False:
            value = float(raw) * 100 if 0 < abs(raw) < 1 else float(raw)
        else:
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
        if percent_format is True and 0 <= float(raw) <= 100:
            raise ValueProblem(
                f"the cell is formatted as percent, so {clean_text(raw)} shows as "
                f"{format_percent(round(value, 2))}; type {clean_text(raw)}% instead"
            )
        raise ValueProblem(f"a score must be between 0% and 100%, got {shown(raw)}")
    return round(value, 2)


def percent_note(raw: Any, percent_format: bool | None) -> str | None:
    """Why a number read as a score could mean something else; None when it is clear."""
    if percent_format is not False or isinstance(raw, bool):
        return None
    if not isinstance(raw, (int, float)):
        return None
    if raw == 1:
        return "the number 1 is read as 1%; type 100% if you mean all points"
    if 0 < raw < 1:
        return (
            f"the number {clean_text(raw)} is read as {format_percent(round(raw * 100, 2))}; "
            "format the cell as percent or type the percent (like 36%) to make it certain"
        )
    return None


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


def suggest(raw: Any, allowed: tuple[str, ...]) -> str | None:
    """The allowed value closest to `raw` (`complete` -> `Completed`); None when none is close."""
    wanted = re.sub(r"\s*([/&-])\s*", r"\1", " ".join(clean_text(raw).split())).casefold()
    if not wanted:
        return None
    folded = {re.sub(r"\s*([/&-])\s*", r"\1", v).casefold(): v for v in allowed}
    for key, value in folded.items():
        if key == wanted or (
            len(wanted) >= 4 and (key.startswith(wanted) or wanted.startswith(key))
        ):
            return value
    close = difflib.get_close_matches(wanted, list(folded), n=1, cutoff=0.6)
    if close:
        return folded[close[0]]
    synonyms = {
        "done": "completed",
        "finished": "completed",
        "started": "in progress",
        "ongoing": "in progress",
        "cancelled": "dropped",
        "canceled": "dropped",
    }
    target = synonyms.get(wanted)
    return next((v for k, v in folded.items() if k == target), None)


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
