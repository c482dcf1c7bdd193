"""Cell values to typed values: tables of what a user may type and what plangen makes of it."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import pytest

from plangen.workbook.values import (
    DAY_FIRST,
    MONTH_FIRST,
    ValueProblem,
    clean_text,
    format_date,
    format_percent,
    match_choice,
    parse_date,
    parse_integer,
    parse_percent,
    parse_yes_no,
    percent_note,
    suggest,
)

OCT_31 = date(2022, 10, 31)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2022-10-31", OCT_31),
        ("2022/10/31", OCT_31),
        ("2023-6-5", date(2023, 6, 5)),
        ("10/31/2022", OCT_31),
        ("10/31/22", OCT_31),
        ("10-31-2022", OCT_31),
        ("31.10.2022", OCT_31),
        ("October 31, 2022", OCT_31),
        ("October 31 2022", OCT_31),
        (" October  31 ,2022 ", OCT_31),
        ("Oct 31, 2022", OCT_31),
        ("31 October 2022", OCT_31),
        ("31 Oct 2022", OCT_31),
        ("31/10/2022", OCT_31),
        ("05/05/2027", date(2027, 5, 5)),
        ("June 2023", date(2023, 6, 1)),
        (44865, OCT_31),
        (44865.0, OCT_31),
        (44865.75, OCT_31),
        (1, date(1899, 12, 31)),
        (OCT_31, OCT_31),
        (datetime(2022, 10, 31, 14, 30), OCT_31),
    ],
)
def test_parse_date_accepts(raw: Any, expected: date) -> None:
    assert parse_date(raw) == expected


@pytest.mark.parametrize(
    ("raw", "order", "expected"),
    [
        ("05/06/2027", DAY_FIRST, date(2027, 6, 5)),
        ("05/06/2027", MONTH_FIRST, date(2027, 5, 6)),
        ("05.06.27", DAY_FIRST, date(2027, 6, 5)),
        ("30/06/2027", DAY_FIRST, date(2027, 6, 30)),
    ],
)
def test_parse_date_reads_the_workbooks_date_order(raw: str, order: str, expected: date) -> None:
    assert parse_date(raw, order) == expected


@pytest.mark.parametrize(
    ("raw", "order", "message"),
    [
        (
            "05/06/2027",
            None,
            '"05/06/2027" could be June 5, 2027 or May 6, 2027; type it as 2027-06-05 or '
            "2027-05-06",
        ),
        (
            "06/30/2027",
            DAY_FIRST,
            '"06/30/2027" is written month-first, but this workbook\'s other dates are '
            "day-first (like 30/06/2027); type it as YYYY-MM-DD, like 2027-06-30",
        ),
        ("TBD", None, 'got "TBD"; leave the cell blank when the date is not known yet'),
        ("N/A", None, 'got "N/A"; leave the cell blank when the date is not known yet'),
        ("Jun 30", None, 'the year is missing in "Jun 30"; type the whole date, like 2023-06-30'),
        ("30 June", None, 'the year is missing in "30 June"; type the whole date, like 2023-06-30'),
    ],
)
def test_parse_date_says_how_to_fix(raw: str, order: str | None, message: str) -> None:
    with pytest.raises(ValueProblem) as problem:
        parse_date(raw, order)
    assert str(problem.value) == message


@pytest.mark.parametrize(
    ("raw", "month_end", "expected"),
    [
        ("November 2026", True, date(2026, 11, 30)),
        ("Feb 2028", True, date(2028, 2, 29)),
        ("November 2026", False, date(2026, 11, 1)),
    ],
)
def test_a_month_alone_is_its_last_day_or_its_first(
    raw: str, month_end: bool, expected: date
) -> None:
    assert parse_date(raw, month_end=month_end) == expected


@pytest.mark.parametrize(
    ("raw", "percent_format", "expected", "note"),
    [
        (1, True, 100.0, None),
        (0.36, True, 36.0, None),
        (1, False, 1.0, "the number 1 is read as 1%; type 100% if you mean all points"),
        (36, False, 36.0, None),
        (
            0.36,
            False,
            36.0,
            "the number 0.36 is read as 36%; format the cell as percent or type the percent "
            "(like 36%) to make it certain",
        ),
        ("1", False, 1.0, None),
    ],
)
def test_a_scores_number_format_decides_its_reading(
    raw: Any, percent_format: bool, expected: float, note: str | None
) -> None:
    assert parse_percent(raw, percent_format) == expected
    assert percent_note(raw, percent_format) == note


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("complete", "Completed"),
        ("done", "Completed"),
        ("finished", "Completed"),
        ("in progess", "In progress"),
        ("banana", None),
    ],
)
def test_suggest_the_closest_list_value(raw: str, expected: str | None) -> None:
    assert suggest(raw, ("Not started", "In progress", "Completed", "Dropped")) == expected


def test_suggest_ignores_spaces_around_slashes() -> None:
    assert suggest("Leadership / Teaming", ("Coaching", "Leadership/Teaming")) == (
        "Leadership/Teaming"
    )


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("next spring", '"next spring"'),
        ("2023-02-30", '"2023-02-30"'),
        (0, '"0"'),
        (-3, '"-3"'),
        (2958466, '"2958466"'),
        (True, '"True"'),
        ("x" * 60, '"' + "x" * 39 + '…"'),
        ("next\r\nspring", '"next spring"'),
        ("  next \t spring\x0b ", '"next spring"'),
    ],
)
def test_parse_date_refuses_with_the_value_shown(raw: Any, shown: str) -> None:
    with pytest.raises(ValueProblem) as problem:
        parse_date(raw)
    assert str(problem.value) == (
        f"expected a date like 2025-09-15, Sept 15, 2025 or 15 Sept 2025; got {shown}"
    )


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (36, 36.0),
        (36.0, 36.0),
        (0.36, 36.0),
        (1.0, 100.0),
        (0, 0.0),
        (100, 100.0),
        ("36%", 36.0),
        (" 36 % ", 36.0),
        ("36", 36.0),
        ("0.36", 36.0),
        ("36.5%", 36.5),
        ("0.5%", 0.5),
        ("100%", 100.0),
        (0.123456, 12.35),
    ],
)
def test_parse_percent_accepts(raw: Any, expected: float) -> None:
    assert parse_percent(raw) == expected


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (101, 'a score must be between 0% and 100%, got "101"'),
        ("101%", 'a score must be between 0% and 100%, got "101%"'),
        (-1, 'a score must be between 0% and 100%, got "-1"'),
        ("high", 'expected a percent like 36%, got "high"'),
        ("36 percent", 'expected a percent like 36%, got "36 percent"'),
        (True, 'expected a percent like 36%, got "True"'),
    ],
)
def test_parse_percent_refuses(raw: Any, message: str) -> None:
    with pytest.raises(ValueProblem) as problem:
        parse_percent(raw)
    assert str(problem.value) == message


@pytest.mark.parametrize(
    ("raw", "expected"),
    [(5, 5), (5.0, 5), ("5", 5), (" 12 ", 12), ("3.0", 3), (0, 0)],
)
def test_parse_integer_accepts(raw: Any, expected: int) -> None:
    assert parse_integer(raw) == expected
    assert isinstance(parse_integer(raw), int)


@pytest.mark.parametrize("raw", [5.5, "5.5", "five", True, "1 2"])
def test_parse_integer_refuses(raw: Any) -> None:
    with pytest.raises(ValueProblem) as problem:
        parse_integer(raw)
    assert str(problem.value).startswith("expected a whole number, got ")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Yes", True),
        ("yes", True),
        (" YES ", True),
        ("Y", True),
        ("x", True),
        ("True", True),
        (True, True),
        (1, True),
        (1.0, True),
        ("✓", True),
        ("No", False),
        ("n", False),
        ("FALSE", False),
        (False, False),
        (0, False),
    ],
)
def test_parse_yes_no_accepts(raw: Any, expected: bool) -> None:
    assert parse_yes_no(raw) is expected


@pytest.mark.parametrize("raw", ["maybe", "Yes please", 2])
def test_parse_yes_no_refuses(raw: Any) -> None:
    with pytest.raises(ValueProblem) as problem:
        parse_yes_no(raw)
    assert str(problem.value).startswith("expected Yes or No, got ")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (None, ""),
        ("  plain  ", "plain"),
        ("line 1\r\nline 2", "line 1\nline 2"),
        ("line 1\rline 2", "line 1\nline 2"),
        ("keeps\ttabs", "keeps\ttabs"),
        ("bell\x07 and vt\x0b and nul\x00 gone", "bell and vt and nul gone"),
        ("\x1fall\x0c\x0e controls\x08", "all controls"),
        ("a_x000B_b", "ab"),
        ("a_x000D__x000A_b", "a\nb"),
        ("noncharacter\ufffe\uffff", "noncharacter"),
        ("R&D <b>", "R&D <b>"),
        ("{{ 7*7 }}", "{{ 7*7 }}"),
        ("שלום 👋", "שלום 👋"),
        (3.0, "3"),
        (3.5, "3.5"),
        (7, "7"),
        (OCT_31, "2022-10-31"),
        (datetime(2022, 10, 31), "2022-10-31"),
        (datetime(2022, 10, 31, 9, 5), "2022-10-31 09:05:00"),
    ],
)
def test_clean_text(raw: Any, expected: str) -> None:
    assert clean_text(raw) == expected


@pytest.mark.parametrize(
    "literal",
    ["_x0041_", "cost_x0030_", "see file_x00E9_.txt"],
)
def test_clean_text_keeps_escape_like_text_that_is_not_a_control_character(literal: str) -> None:
    # The spreadsheet reader has already decoded Excel's escapes: what is left was typed.
    assert clean_text(literal) == literal


@pytest.mark.parametrize(
    ("raw", "allowed", "expected"),
    [
        ("completed", ("Not started", "Completed"), "Completed"),
        ("  not   STARTED ", ("Not started", "Completed"), "Not started"),
        ("Done", ("Not started", "Completed"), None),
    ],
)
def test_match_choice(raw: str, allowed: tuple[str, ...], expected: str | None) -> None:
    assert match_choice(raw, allowed) == expected


@pytest.mark.parametrize(
    ("value", "text"),
    [(OCT_31, "October 31, 2022"), (date(2023, 6, 5), "June 5, 2023"), (None, "")],
)
def test_format_date(value: date | None, text: str) -> None:
    assert format_date(value) == text


@pytest.mark.parametrize(("value", "text"), [(36.0, "36%"), (36.5, "36.5%"), (None, "")])
def test_format_percent(value: float | None, text: str) -> None:
    assert format_percent(value) == text
