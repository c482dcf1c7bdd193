"""plangen's charts drawn as SVG pictures, for the copy of a plan LibreOffice turns into PDF.

LibreOffice spends a third of a plan's conversion on its three Word charts (about 35 ms
a chart, whatever its options). The PDF does not need Word's "Edit Data", so
`with_chart_pictures` writes a copy of the .docx in which each chart plangen wrote is an
SVG picture of the same size, with the same text alternative, drawn here from the values
in the chart's part. A chart is drawn only when its part is exactly what `chart_xml`
writes for the values it holds (`read_chart`): a chart changed in Word, or one of a
template's own, stays a chart for LibreOffice to draw. The .docx itself is never changed.
"""

from __future__ import annotations

import math
import posixpath
import re
import zipfile
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape, quoteattr

from docx.opc.constants import NAMESPACE, RELATIONSHIP_TYPE
from docx.oxml.ns import nsmap
from lxml import etree

from plangen import package_safety
from plangen.document import chart_xml
from plangen.errors import PlangenError
from plangen.package_safety import XmlRefused, parse_xml

NS = {prefix: nsmap[prefix] for prefix in ("a", "c", "r", "wp", "pic")}
R, PIC = NS["r"], NS["pic"]
RELATIONSHIP = f"{{{NAMESPACE.OPC_RELATIONSHIPS}}}Relationship"
EMU_PER_POINT = 12700
FONT = "Calibri, Carlito, sans-serif"  # the charts' own font; Carlito has its metrics
INK = "#404040"


@dataclass(frozen=True)
class Trend:
    """The adherence trend (`chart_xml.scatter`)."""

    lines: list[chart_xml.XySeries]
    x_min: float
    x_max: float
    x_unit: float


@dataclass(frozen=True)
class Bars:
    """Completion by level, concept or goal (`chart_xml.stacked_bars`)."""

    categories: list[str]
    series: list[tuple[str, list[int], str]]
    axis_colour: str


# ------------------------------------------------------------------ reading a chart part


def read_chart(root: Any) -> Trend | Bars | None:
    """The chart in the chart part `root` when plangen wrote it as it is; None otherwise."""
    try:
        chart: Trend | Bars | None = (
            _read_trend(root)
            if root.find("c:chart/c:plotArea/c:scatterChart", NS) is not None
            else _read_bars(root)
        )
        if chart is None or _canonical(parse_xml(_xml_of(chart).encode())) != _canonical(root):
            return None
    except (AttributeError, TypeError, ValueError, KeyError):  # XmlRefused is a ValueError
        return None
    return chart


def _canonical(root: Any) -> bytes:
    """`root` in canonical form, without the link to its embedded workbook."""
    copy = etree.fromstring(etree.tostring(root))
    for link in copy.findall("c:externalData", NS):
        copy.remove(link)
    return bytes(etree.tostring(copy, method="c14n"))


def _number(text: str | None) -> float:
    """A value as `chart_xml` wrote it (`19`, `42.5`); ValueError when not finite."""
    if text is None:
        raise ValueError("no value")
    value = _count(text) if re.fullmatch(r"-?\d+", text) else float(text)
    if not math.isfinite(value):
        raise ValueError(text)
    return value


def _count(text: str | None) -> int:
    """A count as `chart_xml` wrote it (`3`); ValueError for anything else."""
    if text is None or not re.fullmatch(r"-?\d+", text):
        raise ValueError(text)
    return int(text)


def _colour(element: Any, path: str) -> str:
    """The hex colour (`1F3864`) at `path`; ValueError for anything else."""
    colour = str(element.find(path + "/a:solidFill/a:srgbClr", NS).get("val"))
    if not re.fullmatch(r"[0-9A-Fa-f]{6}", colour):
        raise ValueError(colour)
    return colour


def _read_trend(root: Any) -> Trend:
    lines = []
    for ser in root.iterfind("c:chart/c:plotArea/c:scatterChart/c:ser", NS):
        line = ser.find("c:spPr/a:ln", NS)
        xs = [_number(v.text) for v in ser.iterfind("c:xVal/c:numRef/c:numCache/c:pt/c:v", NS)]
        ys = [_number(v.text) for v in ser.iterfind("c:yVal/c:numRef/c:numCache/c:pt/c:v", NS)]
        lines.append(
            chart_xml.XySeries(
                name=ser.findtext("c:tx/c:strRef/c:strCache/c:pt/c:v", "", NS),
                points=list(zip(xs, ys, strict=True)),
                colour=_colour(ser, "c:spPr/a:ln"),
                width_emu=int(line.get("w")),
                dashed=line.find("a:prstDash", NS) is not None,
                markers=ser.find("c:marker/c:symbol", NS).get("val") == "circle",
                labels=ser.find("c:dLbls", NS) is not None,
            )
        )
    x_axis = root.find("c:chart/c:plotArea/c:valAx", NS)
    return Trend(
        lines,
        float(x_axis.find("c:scaling/c:min", NS).get("val")),
        float(x_axis.find("c:scaling/c:max", NS).get("val")),
        float(x_axis.find("c:majorUnit", NS).get("val")),
    )


def _read_bars(root: Any) -> Bars | None:
    bars = root.find("c:chart/c:plotArea/c:barChart", NS)
    if bars is None:
        return None
    series = []
    categories: list[str] = []
    for ser in bars.iterfind("c:ser", NS):
        categories = [v.text or "" for v in ser.iterfind("c:cat/c:strRef/c:strCache/c:pt/c:v", NS)]
        values = [_count(v.text) for v in ser.iterfind("c:val/c:numRef/c:numCache/c:pt/c:v", NS)]
        name = ser.findtext("c:tx/c:strRef/c:strCache/c:pt/c:v", "", NS)
        series.append((name, values, _colour(ser, "c:spPr")))
    axis = _colour(root.find("c:chart/c:plotArea/c:catAx", NS), "c:spPr/a:ln")
    return Bars(categories, series, axis)


def _xml_of(chart: Trend | Bars) -> str:
    """What `chart_xml` writes for `chart`: equal to the part when plangen wrote it."""
    if isinstance(chart, Bars):
        return chart_xml.stacked_bars(chart.categories, chart.series, chart.axis_colour)
    return chart_xml.scatter(chart.lines, chart.x_min, chart.x_max, chart.x_unit)


# ------------------------------------------------------------------ drawing


def svg(chart: Trend | Bars, width: float, height: float) -> str:
    """`chart` as an SVG picture of `width` x `height` points, laid out like the Word
    chart: 9-point text, 8-point values, the legend below."""
    shapes = (
        _trend(chart, width, height) if isinstance(chart, Trend) else _bars(chart, width, height)
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width:.2f}pt" height="{height:.2f}pt" '
        f'viewBox="0 0 {width:.2f} {height:.2f}">' + "".join(shapes) + "</svg>"
    )


def _text(x: float, y: float, words: str, size: float, anchor: str = "middle",
          fill: str = INK) -> str:  # fmt: skip
    return (
        f'<text x="{x:.2f}" y="{y:.2f}" font-family="{FONT}" font-size="{size}" '
        f'text-anchor="{anchor}" fill="{fill}">{escape(words)}</text>'
    )


def _line(x1: float, y1: float, x2: float, y2: float, colour: str, width: float,
          dash: str = "") -> str:  # fmt: skip
    dashes = f' stroke-dasharray="{dash}"' if dash else ""
    return (
        f'<line x1="{x1:.2f}" y1="{y1:.2f}" x2="{x2:.2f}" y2="{y2:.2f}" stroke="#{colour}" '
        f'stroke-width="{width:.2f}"{dashes}/>'
    )


def _width(words: str, size: float) -> float:
    """About how wide `words` come out in the charts' font (Carlito: half an em a letter)."""
    return 0.5 * size * len(words)


def _percent(value: float) -> str:
    """`42%`: a value as the number format `0"%"` shows it (halves rounded up)."""
    return f"{math.floor(value + 0.5)}%"


def _legend(
    items: list[tuple[str, str]], width: float, baseline: float, symbol: float
) -> list[str]:
    """Legend entries `(symbol SVG drawn at x=0, name)`, centred on one line, `symbol`
    points left for each symbol."""
    gap = 16.0
    sizes = [symbol + _width(name, 9) for _, name in items]
    x = (width - sum(sizes) - gap * (len(items) - 1)) / 2
    shapes = []
    for (mark, name), size in zip(items, sizes, strict=True):
        shapes.append(f'<g transform="translate({x:.2f},{baseline - 3:.2f})">{mark}</g>')
        shapes.append(_text(x + symbol, baseline, name, 9, "start"))
        x += size + gap
    return shapes


def _serial_date(serial: float) -> date:
    return date(1899, 12, 30) + timedelta(days=math.floor(serial))


def _trend(chart: Trend, width: float, height: float) -> list[str]:
    left, right, top, bottom = 34.0, width - 14.0, 14.0, height - 38.0
    span = chart.x_max - chart.x_min or 1.0

    def x_at(x: float) -> float:
        return left + (x - chart.x_min) / span * (right - left)

    def y_at(y: float) -> float:
        return bottom - max(0.0, min(100.0, y)) / 100 * (bottom - top)

    shapes = []
    for step in range(0, 101, 25):
        shapes.append(_line(left, y_at(step), right, y_at(step), "DCE6F2", 0.75))
        shapes.append(_text(left - 5, y_at(step) + 3, f"{step}%", 9, "end"))
    shapes.append(_line(left, bottom, right, bottom, "B3B3B3", 0.75))
    ticks = max(1, min(60, round(span / chart.x_unit))) if chart.x_unit > 0 else 1
    for index in range(ticks + 1):
        serial = chart.x_min + index * span / ticks
        shapes.append(_line(x_at(serial), bottom, x_at(serial), bottom + 4, "B3B3B3", 0.75))
        day = _serial_date(serial)
        shapes.append(_text(x_at(serial), bottom + 14, f"{day:%b} {day.day}", 9))
    legend = []
    for one in chart.lines:
        stroke = one.width_emu / EMU_PER_POINT
        dash = f"{4 * stroke:.2f} {3 * stroke:.2f}" if one.dashed else ""
        points = " ".join(f"{x_at(x):.2f},{y_at(y):.2f}" for x, y in one.points)
        shapes.append(
            f'<polyline points="{points}" fill="none" stroke="#{one.colour}" '
            f'stroke-width="{stroke:.2f}"' + (f' stroke-dasharray="{dash}"' if dash else "") + "/>"
        )
        for x, y in one.points:
            if one.markers:
                shapes.append(
                    f'<circle cx="{x_at(x):.2f}" cy="{y_at(y):.2f}" r="3.5" fill="#{one.colour}"/>'
                )
            if one.labels:
                shapes.append(_text(x_at(x), y_at(y) - 7, _percent(y), 8))
        mark = _line(0, 0, 20, 0, one.colour, stroke, dash)
        if one.markers:
            mark += f'<circle cx="10" cy="0" r="3.5" fill="#{one.colour}"/>'
        legend.append((mark, one.name))
    return shapes + _legend(legend, width, height - 6, 24.0)


def _wrapped(words: str, room: float, size: float) -> list[str]:
    """`words` on one line, or two split at the space that best balances them when one
    line would not fit in `room` points."""
    if _width(words, size) <= room or " " not in words.strip():
        return [words]
    spaces = [i for i, letter in enumerate(words) if letter == " "]
    cut = min(spaces, key=lambda i: abs(len(words) / 2 - i))
    return [words[:cut].strip(), words[cut + 1 :].strip()]


def _bars(chart: Bars, width: float, height: float) -> list[str]:
    top, bottom, right = 6.0, height - 24.0, width - 10.0
    widest = max((_width(label, 9) for label in chart.categories), default=0.0)
    axis = min(widest + 14, 0.45 * width)
    rows = max(1, len(chart.categories))
    slot = (bottom - top) / rows
    thickness = slot / 1.45  # a gap of 45% of a bar between bars
    shapes = [_line(axis, top, axis, bottom, chart.axis_colour, 0.75)]
    for index in range(rows + 1):
        y = top + index * slot
        shapes.append(_line(axis - 4, y, axis, y, chart.axis_colour, 0.75))
    for index, label in enumerate(chart.categories):
        middle = top + (index + 0.5) * slot
        lines = _wrapped(label, axis - 10, 9)
        widest_line = max(_width(words, 9) for words in lines)
        size = max(5.0, min(9.0, 9 * (axis - 10) / widest_line)) if widest_line else 9.0
        for number, words in enumerate(lines):  # a name too long for two lines: smaller
            baseline = middle + size / 3 + (number - (len(lines) - 1) / 2) * (size + 1)
            shapes.append(_text(axis - 6, baseline, words, round(size, 1), "end"))
        total = sum(values[index] for _, values, _ in chart.series if index < len(values))
        x = axis
        for position, (_, values, colour) in enumerate(chart.series):
            value = values[index] if index < len(values) and total > 0 else 0
            size = (right - axis) * max(value, 0) / total if total > 0 else 0.0
            if size > 0:
                shapes.append(
                    f'<rect x="{x:.2f}" y="{middle - thickness / 2:.2f}" width="{size:.2f}" '
                    f'height="{thickness:.2f}" fill="#{colour}"/>'
                )
            if value > 0:
                ink = "#FFFFFF" if position == 0 else INK
                shapes.append(_text(x + size / 2, middle + 3, str(value), 8, fill=ink))
            x += size
    legend = [
        (f'<rect x="0" y="-3" width="6" height="6" fill="#{colour}"/>', name)
        for name, _, colour in chart.series
    ]
    return shapes + _legend(legend, width, height - 6, 10.0)


# ------------------------------------------------------------------ the copy for the PDF


class _Unreadable(PlangenError):
    """The .docx cannot be read safely: it is converted as it is (LibreOffice says why)."""


def with_chart_pictures(docx: Path, target: Path) -> int:
    """Write to `target` a copy of `docx` in which each chart plangen wrote is an SVG
    picture (its size, place and text alternative kept); return how many. With none,
    `target` is not written: convert `docx` itself."""
    try:
        with package_safety.open_package(docx, _Unreadable, _is_xml) as package:
            return _write_copy(package, target)
    except (PlangenError, XmlRefused, KeyError, OSError, zipfile.BadZipFile, ValueError):
        target.unlink(missing_ok=True)
        return 0


def _is_xml(name: str) -> bool:
    return name.endswith((".xml", ".rels"))


def _write_copy(package: zipfile.ZipFile, target: Path) -> int:
    names = set(package.namelist())
    rels_name = "word/_rels/document.xml.rels"
    rels = parse_xml(package.read(rels_name))
    parts = {}
    for rel in rels.iterfind(RELATIONSHIP):
        part = posixpath.normpath(posixpath.join("word", rel.get("Target", "")))
        external = rel.get("TargetMode") == "External"
        if rel.get("Type") == RELATIONSHIP_TYPE.CHART and not external and part in names:
            parts[rel.get("Id")] = part
    if not parts:
        return 0
    body = parse_xml(package.read("word/document.xml"))
    places: dict[str, list[tuple[Any, Any]]] = {}  # chart -> (frame, its drawing) each
    for reference in body.iterfind(".//c:chart", NS):
        frame = reference.getparent()
        places.setdefault(reference.get(f"{{{R}}}id"), []).append(
            (frame, frame.getparent().getparent())
        )
    drawn: dict[str, str] = {}
    for rid, where in places.items():
        extents = [drawing.find("wp:extent", NS) for _, drawing in where]
        if rid not in parts or any(extent is None for extent in extents):
            continue  # every place of a chart becomes its picture, or none does
        chart = read_chart(parse_xml(package.read(parts[rid])))
        if chart is None:
            continue
        cx, cy = (int(extents[0].get(side)) / EMU_PER_POINT for side in ("cx", "cy"))
        drawn[rid] = svg(chart, cx, cy)
        for (frame, drawing), extent in zip(where, extents, strict=True):
            _as_picture(frame, rid, extent)
            described = drawing.find("wp:docPr", NS)
            if described is not None and described.get("descr"):
                described.attrib.pop("title", None)  # LibreOffice would say both
    if not drawn:
        return 0
    media = {}
    for number, rel in enumerate(rels.iterfind(RELATIONSHIP), 1):
        if rel.get("Id") in drawn:
            name = f"media/plangen-chart-{number}.svg"
            while "word/" + name in names:
                name = name.replace(".svg", "-1.svg")
            rel.set("Type", RELATIONSHIP_TYPE.IMAGE)
            rel.set("Target", name)
            media["word/" + name] = drawn[rel.get("Id")].encode()
    types = parse_xml(package.read("[Content_Types].xml"))
    if not any(d.get("Extension", "").lower() == "svg" for d in types):
        default = etree.SubElement(types, f"{{{NAMESPACE.OPC_CONTENT_TYPES}}}Default")
        default.set("Extension", "svg")
        default.set("ContentType", "image/svg+xml")
        types.insert(0, default)
    changed = {
        "word/document.xml": _bytes(body),
        rels_name: _bytes(rels),
        "[Content_Types].xml": _bytes(types),
    }
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as copy:
        for member in package.infolist():
            if member.filename not in media:
                copy.writestr(member, changed.get(member.filename) or package.read(member))
        for name, data in media.items():
            copy.writestr(name, data)
    return len(drawn)


def _bytes(root: Any) -> bytes:
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True))


def _as_picture(frame: Any, rid: str, extent: Any) -> None:
    """Turn the chart frame `frame` (`a:graphicData`) into a picture of the image `rid`."""
    frame.set("uri", PIC)
    for child in list(frame):
        frame.remove(child)
    cx, cy = quoteattr(extent.get("cx")), quoteattr(extent.get("cy"))
    frame.append(
        etree.fromstring(
            f'<pic:pic xmlns:pic="{PIC}" xmlns:a="{NS["a"]}" xmlns:r="{R}"><pic:nvPicPr>'
            '<pic:cNvPr id="0" name="Chart"/><pic:cNvPicPr/></pic:nvPicPr><pic:blipFill>'
            f"<a:blip r:embed={quoteattr(rid)}/><a:stretch><a:fillRect/></a:stretch>"
            f'</pic:blipFill><pic:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx={cx} cy={cy}/>'
            '</a:xfrm><a:prstGeom prst="rect"><a:avLst/></a:prstGeom></pic:spPr></pic:pic>'
        )
    )
