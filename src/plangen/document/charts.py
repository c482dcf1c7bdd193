"""Native, editable Word charts of a plan's adherence, placed where a template asks.

A template asks for a chart by putting `{{ adherence.charts.trend }}` (or `by_group`,
`by_goal`) in a paragraph of its own. While rendering, that value is a marker holding a
token made for that render (`markers`), so text typed in a workbook can never place a
chart; afterwards `place_charts` puts a chart where each marker came out. Each chart is a
chart part (DrawingML, written by `chart_xml`) with its data in an
embedded workbook, so Word's "Edit Data" works, and LibreOffice draws it in the PDF.
"""

from __future__ import annotations

import functools
import io
import re
import secrets
import zipfile
from dataclasses import dataclass
from datetime import date, datetime, timezone
from typing import Any

import xlsxwriter
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.part import Part
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Inches
from lxml import etree

from plangen.document import chart_xml
from plangen.figures.adherence import Summary, Tally
from plangen.safetext import spreadsheet_xml_text
from plangen.workbook.grids import column_letter
from plangen.workbook.values import format_date

CHART_TYPE = "application/vnd.openxmlformats-officedocument.drawingml.chart+xml"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
C = "http://schemas.openxmlformats.org/drawingml/2006/chart"
A = "http://schemas.openxmlformats.org/drawingml/2006/main"
NAVY, GREY, LIGHT = "1F3864", "8C96A5", "DCE6F2"
WIDTH = 6.5  # inches
NAMES = ("trend", "by_group", "by_goal")
DESCRIPTIONS = {
    "trend": "(chart: supports completed at each review, against the pace to 100% at the "
    "plan's end)",
    "by_group": "(chart: completion by level or concept)",
    "by_goal": "(chart: completion by SMART goal)",
}
"""What `adherence.charts.*` holds outside a render (the field list, template checks)."""


def markers() -> dict[str, str]:
    """A marker per chart name, unguessable, made fresh for one render."""
    token = secrets.token_hex(8)
    return {name: f"[plangen-chart {name} {token}]" for name in NAMES}


@dataclass(frozen=True)
class ChartSpec:
    """One chart: its title, its chart part's XML (`chart_xml`), its height in inches
    and its finding in words."""

    title: str
    xml: str
    height: float
    description: str = ""
    """The chart's finding in words, from its figures: its text alternative (`descr`)."""


def _serial(day: date) -> int:
    """`day` as a spreadsheet date number (days since 1899-12-30)."""
    return (day - date(1899, 12, 30)).days


def trend_chart(
    summary: Summary, start: date | None, end: date | None, accent: str = NAVY
) -> ChartSpec | None:
    """Percent completed at each review, and the straight line from 0% at the plan's start
    to 100% at its end. None when the plan has no start or end date."""
    if start is None or end is None or end <= start:
        return None
    # Completed first: LibreOffice leaves out the line of a scatter chart's first series
    # when a later series has other x values (measured, LibreOffice 7.4).
    points = [(r.date, r.tally.percent) for r in summary.reviews if r.tally.percent is not None]
    series = []
    if points:
        series.append(
            chart_xml.XySeries(
                "Completed at each review",
                [(_serial(day), percent) for day, percent in points],
                accent,
                28575,
                markers=True,
                labels=True,
            )
        )
    series.append(
        chart_xml.XySeries(
            "Planned pace (to 100% at the plan's end)",
            [(_serial(start), 0), (_serial(end), 100)],
            GREY,
            19050,
            dashed=True,
        )
    )
    xml = chart_xml.scatter(series, _serial(start), _serial(end), (end - start).days / 6)

    items = summary.noun[1]
    if summary.reviews:
        held = "; ".join(
            f"{_share(r.tally)} on {format_date(r.date)}" for r in summary.reviews
        )
        seen = f"{items.capitalize()} completed at each review: {held}"
    else:
        seen = f"No review logged yet; {_share(summary.overall)} {items} completed"
    description = (
        f"{seen}; the planned pace rises from 0% on {format_date(start)} "
        f"to 100% on {format_date(end)}."
    )
    return ChartSpec("Adherence trend", xml, 2.8, description)


def _share(tally: Tally) -> str:
    """`5 of 26 (19%)`."""
    percent = "" if tally.percent is None else f" ({tally.percent}%)"
    return f"{tally.completed} of {tally.planned}{percent}"


def completion_chart(
    title: str, rows: list[tuple[str, Tally]], accent: str = NAVY, items: str = "supports"
) -> ChartSpec | None:
    """A bar per row: supports completed and not yet completed, as shares of the planned.
    None when no row has anything planned. `items` names what is counted, in words."""
    rows = [(label, tally) for label, tally in rows if tally.planned]
    if not rows:
        return None
    xml = chart_xml.stacked_bars(
        [f"{label} ({tally.percent}%)" for label, tally in rows],
        [("Completed", [t.completed for _, t in rows], accent),
         ("Not yet completed", [t.planned - t.completed for _, t in rows], LIGHT)],
        axis_colour=GREY,
    )
    height = 0.75 + 0.32 * len(rows)
    shares = "; ".join(f"{label}: {_share(tally)}" for label, tally in rows)
    done = [label for label, tally in rows if tally.completed == tally.planned]
    least = min(rows, key=lambda row: (row[1].completed / row[1].planned, rows.index(row)))
    finding = (
        f"all complete: {', '.join(done)}" if len(done) == len(rows)
        else f"lowest: {least[0]} ({least[1].percent}%)"
    )
    description = f"{title}, {items} completed of those planned. {shares}; {finding}."
    return ChartSpec(title, xml, height, description)


_HEX = re.compile(r"[0-9A-Fa-f]{6}")


def plan_charts(
    summary: Summary, start: date | None, end: date | None, accent: str | None = None
) -> dict[str, ChartSpec]:
    """The charts of one plan, by name; a chart with nothing to show is left out.
    `accent` (hex, e.g. `1F3864`) colours the completed parts; plangen's navy when None."""
    colour = accent.upper() if accent and _HEX.fullmatch(accent) else NAVY
    groups = [(g.group, g.tally) for g in summary.by_group]
    if len({label for label, _ in groups}) < len(groups):  # a level in two sections
        groups = [(f"{g.group}, {g.section}", g.tally) for g in summary.by_group]
    items = summary.noun[1]
    specs = {
        "trend": trend_chart(summary, start, end, colour),
        "by_group": completion_chart("Completion by level or concept", groups, colour, items),
        "by_goal": completion_chart(
            "Completion by SMART goal",
            [(f"Goal {goal}", t) for goal, t in summary.by_goal],
            colour,
            items,
        ),
    }
    return {name: spec for name, spec in specs.items() if spec is not None}


# ------------------------------------------------------------------ into the document


def accent_colour(document: Any) -> str | None:
    """The colour of the document's Heading 1 style (hex), so a restyled template's charts
    match its headings; None when the style has no colour of its own."""
    try:
        colour = document.styles["Heading 1"].font.color
        return str(colour.rgb) if colour.type is not None and colour.rgb is not None else None
    except (KeyError, ValueError, AttributeError):
        return None


def place_charts(document: Any, marks: dict[str, str], specs: dict[str, ChartSpec]) -> None:
    """Replace each marker in the body of `document` (python-docx) by its chart; a
    marker whose chart has nothing to show is removed (its paragraph too, when empty)."""
    body = document.element.body
    by_mark = {mark: name for name, mark in marks.items()}
    token = next(iter(marks.values())).rsplit(" ", 1)[-1] if marks else ""
    ident = 1000
    while token:
        found = body.xpath(f'.//w:t[contains(., "{token}")]')
        if not found:
            return
        for text in found:
            mark = next((m for m in by_mark if m in (text.text or "")), None)
            if mark is None:  # the token without a whole marker: leave the text be
                text.text = (text.text or "").replace(token, "")
                continue
            ident += 1
            _replace(text, mark, specs.get(by_mark[mark]), document.part, ident)


def _replace(text: Any, mark: str, spec: ChartSpec | None, part: Any, ident: int) -> None:
    """Split the run of `text` at the first `mark`, putting the chart of `spec` between."""
    run = text.getparent()
    before, _, after = (text.text or "").partition(mark)
    text.text = before
    if after:
        tail = etree.fromstring(etree.tostring(run))
        tail.find(qn("w:t")).text = after
        run.addnext(tail)
    if spec is not None:
        run.addnext(_drawing_run(part, spec, ident))
    paragraph = run.getparent()
    if not before:
        paragraph.remove(run)
    if spec is None and not "".join(paragraph.itertext()).strip():
        paragraph.getparent().remove(paragraph)


def chart_space(spec: ChartSpec) -> Any:
    """The chart part's root element, without a workbook link yet."""
    return etree.fromstring(spec.xml)


def _drawing_run(document_part: Any, spec: ChartSpec, ident: int) -> Any:
    package = document_part.package
    space = chart_space(spec)
    chart_part = Part(package.next_partname("/word/charts/chart%d.xml"), CHART_TYPE, b"", package)
    book = Part(
        package.next_partname("/word/embeddings/Microsoft_Excel_Worksheet%d.xlsx"),
        XLSX_TYPE,
        embedded_workbook(space),
        package,
    )
    book_rel = chart_part.relate_to(book, RT.PACKAGE)
    external = etree.SubElement(space, f"{{{C}}}externalData")
    external.set(qn("r:id"), book_rel)
    etree.SubElement(external, f"{{{C}}}autoUpdate").set("val", "0")
    chart_part._blob = etree.tostring(
        space, xml_declaration=True, encoding="UTF-8", standalone=True
    )
    rel = document_part.relate_to(chart_part, RT.CHART)
    cx, cy = Inches(WIDTH), Inches(spec.height)
    title, descr = (
        text.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")
        for text in (spec.title, spec.description or spec.title)
    )
    return parse_xml(
        f"<w:r {nsdecls('w', 'wp', 'a', 'r')}><w:drawing>"
        f'<wp:inline distT="0" distB="0" distL="0" distR="0"><wp:extent cx="{cx}" cy="{cy}"/>'
        '<wp:effectExtent l="0" t="0" r="0" b="0"/>'
        f'<wp:docPr id="{ident}" name="Chart {ident}" descr="{descr}" title="{title}"/>'
        "<wp:cNvGraphicFramePr/>"
        '<a:graphic><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/chart">'
        f'<c:chart xmlns:c="{C}" r:id="{rel}"/></a:graphicData></a:graphic>'
        "</wp:inline></w:drawing></w:r>"
    )


def embedded_workbook(space: Any) -> bytes:
    """The workbook behind a chart (Word's "Edit Data") whose part's root element is
    `space`: every cell a chart formula names, filled from the chart's cached values. Text
    is written as text (a shared string), so a name like `=1+1` is never a formula.

    The parts that are the same in every such workbook (relationships, theme, workbook,
    properties) are xlsxwriter's, made once per process (`_constant_parts`); the sheet,
    its strings and its number formats are written here, as xlsxwriter writes them."""
    cells: dict[tuple[int, int], tuple[str, str]] = {}  # (row, col) -> (kind, value / code)
    codes: dict[str, int] = {}  # number format -> its cell style (1, 2, ...)
    strings: dict[str, int] = {}  # shared string -> its index, in the order written
    count = 0
    for ref in space.iter(f"{{{C}}}strRef", f"{{{C}}}numRef"):
        where = _cells((ref.findtext(f"{{{C}}}f") or "").split("!", 1)[-1])
        cache = ref.find(f"{{{C}}}strCache")
        if cache is None:
            cache = ref.find(f"{{{C}}}numCache")
        if cache is None:
            continue
        code = cache.findtext(f"{{{C}}}formatCode") or "General"
        is_number = ref.tag == f"{{{C}}}numRef"
        for pt in cache.iter(f"{{{C}}}pt"):
            index = int(pt.get("idx", "0"))
            if index >= len(where):
                continue
            value = pt.findtext(f"{{{C}}}v") or ""
            if is_number:
                style = codes.setdefault(code, len(codes) + 1)
                cells[where[index]] = ("n", f"{float(value):.16g}|{style}")
            else:
                count += 1  # every string written counts, as in xlsxwriter's
                cells[where[index]] = ("s", str(strings.setdefault(value, len(strings))))
    rows: dict[int, list[str]] = {}
    spans: dict[int, tuple[int, int]] = {}  # per block of 16 rows, as xlsxwriter writes them
    for row, col in cells:
        low, high = spans.get(row // 16, (col, col))
        spans[row // 16] = (min(low, col), max(high, col))
    for (row, col), (kind, value) in sorted(cells.items()):
        ref = f"{column_letter(1 + col)}{row + 1}"
        if kind == "n":
            number, xf = value.split("|")
            rows.setdefault(row, []).append(f'<c r="{ref}" s="{xf}"><v>{number}</v></c>')
        else:
            rows.setdefault(row, []).append(f'<c r="{ref}" t="s"><v>{value}</v></c>')
    if cells:
        (low_row, _), (high_row, _) = min(cells), max(cells)
        low_col, high_col = min(c for _, c in cells), max(c for _, c in cells)
        dimension = f"{column_letter(1 + low_col)}{low_row + 1}"
        if (high_row, high_col) != (low_row, low_col):
            dimension += f":{column_letter(1 + high_col)}{high_row + 1}"
    else:
        dimension = "A1"
    sheet = (
        f'{_XML_HEAD}<worksheet xmlns="{_MAIN}" xmlns:r="{_REL}"><dimension ref="{dimension}"/>'
        '<sheetViews><sheetView tabSelected="1" workbookViewId="0"/></sheetViews>'
        '<sheetFormatPr defaultRowHeight="15"/><sheetData>'
        + "".join(
            f'<row r="{r + 1}" spans="{spans[r // 16][0] + 1}:{spans[r // 16][1] + 1}">'
            f'{"".join(c)}</row>'
            for r, c in rows.items()
        )
        + '</sheetData><pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" '
        'header="0.3" footer="0.3"/></worksheet>'
    )
    shared = (
        f'{_XML_HEAD}<sst xmlns="{_MAIN}" count="{count}" uniqueCount="{len(strings)}">'
        + "".join(_shared_string(text) for text in strings)
        + "</sst>"
    )
    now = datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    parts = dict(_constant_parts())
    core = parts["docProps/core.xml"]
    parts["docProps/core.xml"] = core.replace(b"2000-01-01T00:00:00Z", now.encode())
    parts["xl/sharedStrings.xml"] = shared.encode("utf-8")
    parts["xl/styles.xml"] = _styles(tuple(codes)).encode("utf-8")
    parts["xl/worksheets/sheet1.xml"] = sheet.encode("utf-8")
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, data)
    return out.getvalue()


_XML_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_BUILT_IN_FORMATS = {"General": 0, "0": 1, "0.00": 2, "#,##0": 3, "#,##0.00": 4, "0%": 9,
                     "0.00%": 10, "0.00E+00": 11, "mm-dd-yy": 14, "d-mmm-yy": 15, "@": 49}


def _shared_string(text: str) -> str:
    """One `<si>` of the shared strings, escaped, spaces kept as xlsxwriter keeps them."""
    escaped = spreadsheet_xml_text(text)
    if text != text.strip() or "\n" in text or "\t" in text:
        return f'<si><t xml:space="preserve">{escaped}</t></si>'
    return f"<si><t>{escaped}</t></si>"


@functools.lru_cache(maxsize=16)
def _styles(codes: tuple[str, ...]) -> str:
    """The styles part: the default cell style, then one per number format in `codes`."""
    custom: dict[str, int] = {}
    xfs = ['<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>']
    for code in codes:
        number = _BUILT_IN_FORMATS.get(code)
        if number is None:
            number = custom.setdefault(code, 164 + len(custom))
        xfs.append(
            f'<xf numFmtId="{number}" fontId="0" fillId="0" borderId="0" xfId="0" '
            'applyNumberFormat="1"/>'
        )
    formats = ""
    if custom:
        formats = f'<numFmts count="{len(custom)}">' + "".join(
            f'<numFmt numFmtId="{number}" formatCode="{_attribute(code)}"/>'
            for code, number in custom.items()
        ) + "</numFmts>"
    return (
        f'{_XML_HEAD}<styleSheet xmlns="{_MAIN}">{formats}<fonts count="1"><font><sz val="11"/>'
        '<color theme="1"/><name val="Calibri"/><family val="2"/><scheme val="minor"/></font>'
        '</fonts><fills count="2"><fill><patternFill patternType="none"/></fill><fill>'
        '<patternFill patternType="gray125"/></fill></fills><borders count="1"><border><left/>'
        '<right/><top/><bottom/><diagonal/></border></borders><cellStyleXfs count="1">'
        '<xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
        f'<cellXfs count="{len(xfs)}">{"".join(xfs)}</cellXfs><cellStyles count="1">'
        '<cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles><dxfs count="0"/>'
        '<tableStyles count="0" defaultTableStyle="TableStyleMedium9" '
        'defaultPivotStyle="PivotStyleLight16"/></styleSheet>'
    )


def _attribute(text: str) -> str:
    return (
        text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        .replace('"', "&quot;")
    )


@functools.cache
def _constant_parts() -> dict[str, bytes]:
    """Every part of an xlsxwriter workbook of one sheet and one shared string, by name
    in xlsxwriter's order, made once per process; its creation time is 2000-01-01 (the
    caller puts in its own)."""
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True})
    book.set_properties({"created": datetime(2000, 1, 1)})
    book.add_worksheet("Sheet1").write_string(0, 0, "x")
    book.close()
    with zipfile.ZipFile(out) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


_RANGE = re.compile(r"\$?([A-Z]{1,3})\$?(\d+)(?::\$?([A-Z]{1,3})\$?(\d+))?")


def _column(letters: str) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + ord(letter) - 64
    return number


def _cells(reference: str) -> list[tuple[int, int]]:
    """`$A$2:$A$4` as zero-based (row, column) pairs, one column or one row."""
    found = _RANGE.fullmatch(reference)
    if found is None:
        raise ValueError(f"not a cell range: {reference!r}")
    low_col, low_row = _column(found[1]), int(found[2])
    high_col, high_row = (_column(found[3]), int(found[4])) if found[3] else (low_col, low_row)
    return [
        (row - 1, col - 1)
        for row in range(low_row, high_row + 1)
        for col in range(low_col, high_col + 1)
    ]
