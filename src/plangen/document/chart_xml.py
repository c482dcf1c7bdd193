"""The XML of a chart part (DrawingML `c:chartSpace`) for plangen's two kinds of chart.

Written as text in one pass: a scatter chart with lines (the adherence trend) and a
100% stacked bar chart (completion by level, concept or goal). The elements, their order
and their cell references are python-pptx's, which plangen used before (the same XML
for every chart of the examples, checked element by element), so Word's "Edit Data"
finds each value in the cell `charts.embedded_workbook` fills from the references
written here (`tests/test_charts.py` checks every one).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape

from plangen.workbook.grids import column_letter

_NAMESPACES = (
    'xmlns:c="http://schemas.openxmlformats.org/drawingml/2006/chart" '
    'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
)
_X_AXIS, _Y_AXIS = "-2128940872", "-2129643912"  # any two ids; these are python-pptx's
_CATEGORY_AXIS, _VALUE_AXIS = "-2068027336", "-2113994440"
_SHOW_VALUE = (
    '<c:showLegendKey val="0"/><c:showVal val="1"/><c:showCatName val="0"/>'
    '<c:showSerName val="0"/><c:showPercent val="0"/><c:showBubbleSize val="0"/>'
    '<c:showLeaderLines val="1"/>'
)
_TICKS = '<c:majorTickMark val="out"/><c:minorTickMark val="none"/><c:tickLblPos val="nextTo"/>'
_FRAME_AND_FONT = (  # no fill and no frame round the chart; 9 pt Calibri for its text
    "<c:spPr><a:noFill/><a:ln><a:noFill/></a:ln></c:spPr>"
    '<c:txPr><a:bodyPr/><a:lstStyle/><a:p><a:pPr><a:defRPr sz="900">'
    '<a:latin typeface="Calibri"/></a:defRPr></a:pPr><a:endParaRPr lang="en-US"/></a:p>'
    "</c:txPr>"
)


def _circle_marker(colour: str) -> str:
    """A filled circle of 7 points in `colour` (hex) at each point of a series."""
    fill = f'<a:solidFill><a:srgbClr val="{colour}"/></a:solidFill>'
    return (
        f'<c:marker><c:symbol val="circle"/><c:size val="7"/><c:spPr>{fill}<a:ln>{fill}</a:ln>'
        "</c:spPr></c:marker>"
    )


_NO_MARKER = '<c:marker><c:symbol val="none"/></c:marker>'

_PERCENT_LABELS = (
    '<c:dLbls><c:numFmt formatCode="0&quot;%&quot;" sourceLinked="0"/><c:txPr><a:bodyPr/>'
    '<a:lstStyle/><a:p><a:pPr><a:defRPr sz="800"/></a:pPr></a:p></c:txPr>'
    f'<c:dLblPos val="t"/>{_SHOW_VALUE}</c:dLbls>'
)
"""Each point's value as a percent (`42%`), in 8 points, above the point."""


def _line(colour: str, width_emu: int, dashed: bool) -> str:
    """A series' line: `colour` (hex), `width_emu` wide (12700 to a point)."""
    dash = '<a:prstDash val="dash"/>' if dashed else ""
    return (
        f'<c:spPr><a:ln w="{width_emu}"><a:solidFill><a:srgbClr val="{colour}"/></a:solidFill>'
        f"{dash}</a:ln></c:spPr>"
    )


@dataclass(frozen=True)
class XySeries:
    """One line of a scatter chart: its name, its (x, y) points and how it is drawn: a
    line of `colour` (hex) `width_emu` wide (12700 to a point), dashed or not, with a
    circle of its colour at each point (`markers`) and each point's percent above it
    (`labels`)."""

    name: str
    points: Sequence[tuple[float, float]]
    colour: str
    width_emu: int
    dashed: bool = False
    markers: bool = False
    labels: bool = False


def _name(ref: str, name: str) -> str:
    return (
        f'<c:tx><c:strRef><c:f>{ref}</c:f><c:strCache><c:ptCount val="1"/>'
        f'<c:pt idx="0"><c:v>{escape(name)}</c:v></c:pt></c:strCache></c:strRef></c:tx>'
    )


def _numbers(ref: str, values: Sequence[float]) -> str:
    points = "".join(f'<c:pt idx="{i}"><c:v>{v}</c:v></c:pt>' for i, v in enumerate(values))
    return (
        f"<c:numRef><c:f>{ref}</c:f><c:numCache><c:formatCode>0</c:formatCode>"
        f'<c:ptCount val="{len(values)}"/>{points}</c:numCache></c:numRef>'
    )


def _texts(ref: str, values: Sequence[str]) -> str:
    points = "".join(f'<c:pt idx="{i}"><c:v>{escape(v)}</c:v></c:pt>' for i, v in enumerate(values))
    return (
        f'<c:strRef><c:f>{ref}</c:f><c:strCache><c:ptCount val="{len(values)}"/>{points}'
        "</c:strCache></c:strRef>"
    )


def scatter(series: Sequence[XySeries], x_min: float, x_max: float, x_unit: float) -> str:
    """A scatter chart with straight lines: x from `x_min` to `x_max` (date numbers,
    labelled `mmm d`, a tick every `x_unit`), y from 0% to 100% by 25% with light
    gridlines, the legend below. In the embedded workbook each series is a block of
    column A (x) and B (y) under its name in B, one blank row between blocks."""
    body = []
    top = 1
    for index, one in enumerate(series):
        first, last = top + 1, top + len(one.points)
        body.append(
            f'<c:ser><c:idx val="{index}"/><c:order val="{index}"/>'
            + _name(f"Sheet1!$B${top}", one.name)
            + _line(one.colour, one.width_emu, one.dashed)
            + (_circle_marker(one.colour) if one.markers else _NO_MARKER)
            + (_PERCENT_LABELS if one.labels else "")
            + "<c:xVal>"
            + _numbers(f"Sheet1!$A${first}:$A${last}", [x for x, _ in one.points])
            + "</c:xVal><c:yVal>"
            + _numbers(f"Sheet1!$B${first}:$B${last}", [y for _, y in one.points])
            + '</c:yVal><c:smooth val="0"/></c:ser>'
        )
        top = last + 2
    x_axis = (
        f'<c:valAx><c:axId val="{_X_AXIS}"/><c:scaling><c:orientation val="minMax"/>'
        f'<c:max val="{float(x_max)!r}"/><c:min val="{float(x_min)!r}"/></c:scaling>'
        '<c:delete val="0"/><c:axPos val="b"/><c:numFmt formatCode="mmm d" sourceLinked="0"/>'
        f'{_TICKS}<c:crossAx val="{_Y_AXIS}"/><c:crosses val="autoZero"/>'
        f'<c:crossBetween val="midCat"/><c:majorUnit val="{float(x_unit)!r}"/></c:valAx>'
    )
    y_axis = (
        f'<c:valAx><c:axId val="{_Y_AXIS}"/><c:scaling><c:orientation val="minMax"/>'
        '<c:max val="100.0"/><c:min val="0.0"/></c:scaling><c:delete val="0"/>'
        '<c:axPos val="l"/><c:majorGridlines><c:spPr><a:ln><a:solidFill>'
        '<a:srgbClr val="DCE6F2"/></a:solidFill></a:ln></c:spPr></c:majorGridlines>'
        '<c:numFmt formatCode="0&quot;%&quot;" sourceLinked="0"/>'
        f'{_TICKS}<c:crossAx val="{_X_AXIS}"/><c:crosses val="autoZero"/>'
        '<c:crossBetween val="midCat"/><c:majorUnit val="25.0"/></c:valAx>'
    )
    return (
        f'<c:chartSpace {_NAMESPACES}><c:roundedCorners val="0"/><c:chart>'
        '<c:autoTitleDeleted val="1"/><c:plotArea><c:scatterChart>'
        '<c:scatterStyle val="lineMarker"/><c:varyColors val="0"/>'
        + "".join(body)
        + f'<c:axId val="{_X_AXIS}"/><c:axId val="{_Y_AXIS}"/></c:scatterChart>'
        + x_axis
        + y_axis
        + '</c:plotArea><c:legend><c:legendPos val="b"/><c:layout/><c:overlay val="0"/>'
        '</c:legend><c:plotVisOnly val="1"/><c:dispBlanksAs val="gap"/>'
        f'<c:showDLblsOverMax val="0"/></c:chart>{_FRAME_AND_FONT}</c:chartSpace>'
    )


def _counts(font: str) -> str:
    """Data labels showing each value (a zero shows nothing) in the run properties `font`."""
    return (
        '<c:dLbls><c:numFmt formatCode="0;;;" sourceLinked="0"/><c:txPr><a:bodyPr/>'
        f"<a:lstStyle/><a:p><a:pPr>{font}</a:pPr></a:p></c:txPr>{_SHOW_VALUE}</c:dLbls>"
    )


def stacked_bars(
    categories: Sequence[str],
    series: Sequence[tuple[str, Sequence[int], str]],
    axis_colour: str,
) -> str:
    """Horizontal 100% stacked bars, a bar per category (the first on top), a segment
    per series `(name, values, colour)`, each segment's count written on it in 8 points
    (white on the first series; a zero is not written), no value axis, the legend below.
    In the embedded workbook the categories are column A from row 2, each series a
    column from B with its name in row 1."""
    last = len(categories) + 1
    category_ref = f"Sheet1!$A$2:$A${last}"
    white = _counts(
        '<a:defRPr sz="800"><a:solidFill><a:srgbClr val="FFFFFF"/></a:solidFill></a:defRPr>'
    )
    plain = _counts('<a:defRPr sz="800"/>')
    body = []
    for index, (name, values, colour) in enumerate(series):
        column = column_letter(index + 2)
        body.append(
            f'<c:ser><c:idx val="{index}"/><c:order val="{index}"/>'
            + _name(f"Sheet1!${column}$1", name)
            + f'<c:spPr><a:solidFill><a:srgbClr val="{colour}"/></a:solidFill></c:spPr>'
            '<c:invertIfNegative val="0"/>'
            + (white if index == 0 else "")
            + "<c:cat>"
            + _texts(category_ref, categories)
            + "</c:cat><c:val>"
            + _numbers(f"Sheet1!${column}$2:${column}${last}", values)
            + "</c:val></c:ser>"
        )
    return (
        f'<c:chartSpace {_NAMESPACES}><c:date1904 val="0"/><c:roundedCorners val="0"/>'
        '<c:chart><c:autoTitleDeleted val="1"/><c:plotArea><c:barChart>'
        '<c:barDir val="bar"/><c:grouping val="percentStacked"/>'
        + "".join(body)
        + plain
        + '<c:gapWidth val="45"/><c:overlap val="100"/>'
        f'<c:axId val="{_CATEGORY_AXIS}"/><c:axId val="{_VALUE_AXIS}"/></c:barChart>'
        f'<c:catAx><c:axId val="{_CATEGORY_AXIS}"/><c:scaling><c:orientation val="maxMin"/>'
        f'</c:scaling><c:delete val="0"/><c:axPos val="l"/>{_TICKS}'
        f'<c:spPr><a:ln><a:solidFill><a:srgbClr val="{axis_colour}"/></a:solidFill></a:ln>'
        f'</c:spPr><c:crossAx val="{_VALUE_AXIS}"/><c:crosses val="autoZero"/>'
        '<c:auto val="1"/><c:lblAlgn val="ctr"/><c:lblOffset val="100"/>'
        '<c:noMultiLvlLbl val="0"/></c:catAx>'
        f'<c:valAx><c:axId val="{_VALUE_AXIS}"/><c:scaling/><c:delete/><c:axPos val="b"/>'
        f'{_TICKS}<c:crossAx val="{_CATEGORY_AXIS}"/><c:crosses val="autoZero"/></c:valAx>'
        '</c:plotArea><c:legend><c:legendPos val="b"/><c:overlay val="0"/></c:legend>'
        f'<c:dispBlanksAs val="gap"/></c:chart>{_FRAME_AND_FONT}</c:chartSpace>'
    )
