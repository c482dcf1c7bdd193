"""Write plangen's base Word document, `src/plangen/templates/base.docx`, from scratch.

The base document holds the look of every plan: page size and margins, the named styles
(headings numbered by Word, the "Plan Table" table style, text styles for table cells),
the numbering definitions, the running header and the "Page N of M" footer. Its body is a
specimen of every style, so a designer who opens it in Word sees what each one looks like;
`scripts/build_templates.py` throws the specimen away and fills the body with each kind's
content and jinja tags.

Run once from the repository root:  python3 scripts/make_base_document.py
Since then `base.docx` is the source of the look: restyle it in Word (Modify Style) and
re-run `scripts/build_templates.py`. Re-running this script starts the look over from
what is written here. See docs/restyling.md.
"""

from __future__ import annotations

import sys
import zipfile
from pathlib import Path

from lxml import etree

BASE = Path(__file__).resolve().parent.parent / "src" / "plangen" / "templates" / "base.docx"

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG = "http://schemas.openxmlformats.org/package/2006/relationships"
DOC_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
NS = f'xmlns:w="{W}" xmlns:r="{R}"'
XML = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'

# The palette, in one place.
NAVY = "1F3864"
BLUE = "2E558C"
GREY = "595959"
RULE = "A6B4C8"
BAND = "F2F5FA"
LABEL = "DCE6F2"
FONT = "Calibri"
SYMBOLS = "Segoe UI Symbol"


def _font(name: str) -> str:
    return f'<w:rFonts w:ascii="{name}" w:hAnsi="{name}" w:eastAsia="{name}" w:cs="{name}"/>'


def paragraph_style(
    style_id: str,
    name: str,
    ppr: str = "",
    rpr: str = "",
    based_on: str | None = "Normal",
    next_style: str | None = None,
) -> str:
    """One `<w:style w:type="paragraph">`; sizes in half-points, spacing in twentieths.
    The properties in `ppr` may come in any order: they are put in the schema's."""
    based = f'<w:basedOn w:val="{based_on}"/>' if based_on else ""
    nxt = f'<w:next w:val="{next_style}"/>' if next_style else ""
    return (
        f'<w:style w:type="paragraph" w:styleId="{style_id}"><w:name w:val="{name}"/>'
        f"{based}{nxt}<w:qFormat/><w:pPr>{_in_schema_order(ppr)}</w:pPr>"
        f"<w:rPr>{rpr}</w:rPr></w:style>"
    )


PPR_ORDER = [
    *("keepNext", "keepLines", "pageBreakBefore", "widowControl", "numPr", "pBdr"),
    *("shd", "tabs", "spacing", "ind", "jc", "outlineLvl"),
]
"""The order of paragraph properties in the schema (CT_PPrBase), for those used here."""


def _in_schema_order(ppr: str) -> str:
    """Paragraph properties sorted into the order Word requires."""
    wrapper = etree.fromstring(f'<w:pPr xmlns:w="{W}">{ppr}</w:pPr>')
    children = sorted(wrapper, key=lambda e: PPR_ORDER.index(etree.QName(e).localname))
    return "".join(
        etree.tostring(child).decode().replace(f' xmlns:w="{W}"', "") for child in children
    )


def _heading(style_id: str, name: str, size: int, color: str, before: int, ppr: str = "") -> str:
    return paragraph_style(
        style_id,
        name,
        f'<w:keepNext/><w:keepLines/>{ppr}<w:spacing w:before="{before}" w:after="80"/>',
        f'<w:b/><w:color w:val="{color}"/><w:sz w:val="{size}"/><w:szCs w:val="{size}"/>',
        next_style="Normal",
    )


def _border(edges: str, size: int = 4, color: str = RULE) -> str:
    return "".join(
        f'<w:{edge} w:val="single" w:sz="{size}" w:space="0" w:color="{color}"/>'
        for edge in edges.split()
    )


PLAN_TABLE = (
    # The table style every table uses: header row, banding, borders, cell margins.
    '<w:style w:type="table" w:styleId="PlanTable"><w:name w:val="Plan Table"/>'
    '<w:basedOn w:val="TableNormal"/><w:uiPriority w:val="59"/><w:qFormat/>'
    '<w:pPr><w:spacing w:after="0" w:line="240" w:lineRule="auto"/></w:pPr>'
    '<w:rPr><w:sz w:val="19"/><w:szCs w:val="19"/></w:rPr>'
    '<w:tblPr><w:tblStyleRowBandSize w:val="1"/><w:tblStyleColBandSize w:val="1"/>'
    '<w:tblInd w:w="0" w:type="dxa"/>'
    f"<w:tblBorders>{_border('top left bottom right insideH insideV')}</w:tblBorders>"
    '<w:tblCellMar><w:top w:w="43" w:type="dxa"/><w:left w:w="86" w:type="dxa"/>'
    '<w:bottom w:w="43" w:type="dxa"/><w:right w:w="86" w:type="dxa"/></w:tblCellMar>'
    "</w:tblPr>"
    '<w:tblStylePr w:type="firstRow"><w:rPr><w:b/><w:color w:val="FFFFFF"/></w:rPr>'
    "<w:tblPr/><w:trPr><w:tblHeader/></w:trPr>"
    f'<w:tcPr><w:shd w:val="clear" w:color="auto" w:fill="{NAVY}"/>'
    "</w:tcPr></w:tblStylePr>"
    '<w:tblStylePr w:type="firstCol"><w:rPr><w:b/></w:rPr><w:tblPr/>'
    f'<w:tcPr><w:shd w:val="clear" w:color="auto" w:fill="{LABEL}"/></w:tcPr></w:tblStylePr>'
    '<w:tblStylePr w:type="band2Horz"><w:tblPr/>'
    f'<w:tcPr><w:shd w:val="clear" w:color="auto" w:fill="{BAND}"/></w:tcPr></w:tblStylePr>'
    "</w:style>"
)

GLANCE_TABLE = (
    # The "At a glance" tiles on page 1: shaded cells parted by white rules.
    '<w:style w:type="table" w:styleId="GlanceTable"><w:name w:val="Glance Table"/>'
    '<w:basedOn w:val="TableNormal"/><w:uiPriority w:val="60"/><w:qFormat/>'
    '<w:pPr><w:spacing w:after="0" w:line="240" w:lineRule="auto"/></w:pPr>'
    '<w:tblPr><w:tblInd w:w="0" w:type="dxa"/>'
    f"<w:tblBorders>{_border('top left bottom right', 4, BAND)}"
    f"{_border('insideV', 24, 'FFFFFF')}</w:tblBorders>"  # a tile: its label row and value row

    '<w:tblCellMar><w:top w:w="86" w:type="dxa"/><w:left w:w="144" w:type="dxa"/>'
    '<w:bottom w:w="86" w:type="dxa"/><w:right w:w="144" w:type="dxa"/></w:tblCellMar>'
    "</w:tblPr>"
    f'<w:tcPr><w:shd w:val="clear" w:color="auto" w:fill="{LABEL}"/></w:tcPr>'
    "</w:style>"
)

STYLES = (
    XML
    + f"<w:styles {NS}>"
    + "<w:docDefaults><w:rPrDefault><w:rPr>"
    + _font(FONT)
    + '<w:sz w:val="21"/><w:szCs w:val="21"/><w:lang w:val="en-US" w:eastAsia="en-US" '
    'w:bidi="ar-SA"/></w:rPr></w:rPrDefault><w:pPrDefault><w:pPr>'
    '<w:spacing w:after="80" w:line="259" w:lineRule="auto"/></w:pPr></w:pPrDefault>'
    "</w:docDefaults>"
    '<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/>'
    "<w:qFormat/></w:style>"
    '<w:style w:type="character" w:default="1" w:styleId="DefaultParagraphFont">'
    '<w:name w:val="Default Paragraph Font"/><w:uiPriority w:val="1"/><w:semiHidden/>'
    "</w:style>"
    '<w:style w:type="table" w:default="1" w:styleId="TableNormal"><w:name w:val="Normal Table"/>'
    '<w:semiHidden/><w:tblPr><w:tblInd w:w="0" w:type="dxa"/><w:tblCellMar>'
    '<w:top w:w="0" w:type="dxa"/><w:left w:w="108" w:type="dxa"/>'
    '<w:bottom w:w="0" w:type="dxa"/><w:right w:w="108" w:type="dxa"/></w:tblCellMar>'
    "</w:tblPr></w:style>"
    '<w:style w:type="numbering" w:default="1" w:styleId="NoList"><w:name w:val="No List"/>'
    "<w:semiHidden/></w:style>"
    + paragraph_style(
        "Title",
        "Title",
        # outline level 1: the plan's title is its first heading, so "At a glance" (level
        # 2) skips no level for a screen reader
        f'<w:pBdr>{_border("bottom", 8, BLUE)}</w:pBdr><w:spacing w:after="60" w:line="240" '
        'w:lineRule="auto"/><w:outlineLvl w:val="0"/>',
        f'<w:color w:val="{NAVY}"/><w:sz w:val="44"/><w:szCs w:val="44"/>',
        next_style="Subtitle",
    )
    + paragraph_style(
        "Subtitle",
        "Subtitle",
        '<w:keepNext/><w:spacing w:after="160"/>',
        f'<w:color w:val="{BLUE}"/><w:sz w:val="30"/><w:szCs w:val="30"/>',
        next_style="Normal",
    )
    + _heading(
        "Heading1",
        "heading 1",
        30,
        NAVY,
        320,
        '<w:numPr><w:ilvl w:val="0"/><w:numId w:val="1"/></w:numPr><w:outlineLvl w:val="0"/>',
    )
    + _heading(
        "Heading2",
        "heading 2",
        24,
        BLUE,
        200,
        '<w:numPr><w:ilvl w:val="1"/><w:numId w:val="1"/></w:numPr><w:outlineLvl w:val="1"/>',
    )
    + _heading("Heading3", "heading 3", 22, BLUE, 160, '<w:outlineLvl w:val="2"/>')
    + _heading(
        "UnnumberedHeading1", "Unnumbered Heading 1", 30, NAVY, 320, '<w:outlineLvl w:val="0"/>'
    )
    + _heading(
        "UnnumberedHeading2", "Unnumbered Heading 2", 24, BLUE, 200, '<w:outlineLvl w:val="1"/>'
    )
    + _heading("TOCHeading", "TOC Heading", 24, NAVY, 240)
    + paragraph_style(
        "TOC1",
        "toc 1",
        '<w:tabs><w:tab w:val="right" w:leader="dot" w:pos="9936"/></w:tabs>'
        '<w:spacing w:after="40"/>',
        next_style="Normal",
    )
    + paragraph_style(
        "TOC2",
        "toc 2",
        '<w:tabs><w:tab w:val="right" w:leader="dot" w:pos="9936"/></w:tabs>'
        '<w:spacing w:after="40"/><w:ind w:left="220"/>',
        next_style="Normal",
    )
    + paragraph_style(
        "GlanceLabel",
        "Glance Label",
        '<w:keepNext/><w:spacing w:after="0" w:line="240" w:lineRule="auto"/>',
        f'<w:color w:val="{GREY}"/><w:sz w:val="17"/><w:szCs w:val="17"/>',
    )
    + paragraph_style(
        "GlanceValue",
        "Glance Value",
        '<w:keepNext/><w:spacing w:before="20" w:after="20" w:line="240" w:lineRule="auto"/>',
        f'<w:b/><w:color w:val="{NAVY}"/><w:sz w:val="32"/><w:szCs w:val="32"/>',
    )
    + paragraph_style(
        "Chart",
        "Chart",
        '<w:keepNext/><w:jc w:val="center"/><w:spacing w:before="60" w:after="120"/>',
    )
    + paragraph_style("Intro", "Intro", "<w:keepNext/>", next_style="Normal")
    + paragraph_style(
        "Headline",
        "Headline",
        '<w:spacing w:before="60" w:after="120"/>',
        f'<w:b/><w:color w:val="{NAVY}"/><w:sz w:val="28"/><w:szCs w:val="28"/>',
    )
    + paragraph_style(
        "ListBullet",
        "List Bullet",
        '<w:numPr><w:numId w:val="2"/></w:numPr><w:ind w:left="360" w:hanging="360"/>',
    )
    + paragraph_style(
        "ListNumber",
        "List Number",
        '<w:numPr><w:numId w:val="3"/></w:numPr><w:ind w:left="360" w:hanging="360"/>',
    )
    + paragraph_style(
        "TableText",
        "Table Text",
        '<w:spacing w:after="20" w:line="240" w:lineRule="auto"/>',
        '<w:sz w:val="19"/><w:szCs w:val="19"/>',
    )
    + paragraph_style(
        "SubScore",
        "Table Text Indented",
        '<w:ind w:left="360"/>',
        based_on="TableText",
    )
    + paragraph_style("TableNote", "Table Note", "", "<w:i/>", based_on="TableText")
    + paragraph_style(
        "TableCentered", "Table Text Centered", '<w:jc w:val="center"/>', based_on="TableText"
    )
    + paragraph_style(
        "TableGroup",
        "Table Group",
        "<w:keepNext/>",
        f'<w:b/><w:color w:val="{NAVY}"/><w:sz w:val="20"/><w:szCs w:val="20"/>',
        based_on="TableText",
    )
    + paragraph_style(
        "Header",
        "header",
        f'<w:pBdr>{_border("bottom", 4, RULE)}</w:pBdr><w:jc w:val="right"/>'
        '<w:spacing w:after="0"/>',
        f'<w:color w:val="{GREY}"/><w:sz w:val="17"/><w:szCs w:val="17"/>',
    )
    + paragraph_style(
        "Footer",
        "footer",
        '<w:jc w:val="center"/><w:spacing w:after="0"/>',
        f'<w:color w:val="{GREY}"/><w:sz w:val="17"/><w:szCs w:val="17"/>',
    )
    + '<w:style w:type="character" w:styleId="Strong"><w:name w:val="Strong"/>'
    '<w:basedOn w:val="DefaultParagraphFont"/><w:qFormat/><w:rPr><w:b/></w:rPr></w:style>'
    + '<w:style w:type="character" w:styleId="CheckBox"><w:name w:val="Check Box"/>'
    f'<w:basedOn w:val="DefaultParagraphFont"/><w:rPr>{_font(SYMBOLS)}'
    '<w:sz w:val="22"/><w:szCs w:val="22"/></w:rPr></w:style>'
    + PLAN_TABLE
    + GLANCE_TABLE
    + "</w:styles>"
)


def _level(ilvl: int, fmt: str, text: str, ppr: str = "", style: str = "", rpr: str = "") -> str:
    pstyle = f'<w:pStyle w:val="{style}"/>' if style else ""
    suffix = '<w:suff w:val="space"/>' if style else ""
    return (
        f'<w:lvl w:ilvl="{ilvl}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/>{pstyle}'
        f'{suffix}<w:lvlText w:val="{text}"/><w:lvlJc w:val="left"/><w:pPr>{ppr}</w:pPr>'
        f"<w:rPr>{rpr}</w:rPr></w:lvl>"
    )


NUMBERING = (
    XML
    + f"<w:numbering {NS}>"
    # 1: section numbers of Heading 1 (1.) and Heading 2 (1.1)
    + '<w:abstractNum w:abstractNumId="0"><w:multiLevelType w:val="multilevel"/>'
    + _level(0, "decimal", "%1.", style="Heading1")
    + _level(1, "decimal", "%1.%2", style="Heading2")
    + "</w:abstractNum>"
    # 2: bullets
    + '<w:abstractNum w:abstractNumId="1"><w:multiLevelType w:val="singleLevel"/>'
    + _level(0, "bullet", "•", '<w:ind w:left="360" w:hanging="360"/>')
    + "</w:abstractNum>"
    # 3: numbered list
    + '<w:abstractNum w:abstractNumId="2"><w:multiLevelType w:val="singleLevel"/>'
    + _level(0, "decimal", "%1.", '<w:ind w:left="360" w:hanging="360"/>')
    + "</w:abstractNum>"
    + '<w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>'
    + '<w:num w:numId="2"><w:abstractNumId w:val="1"/></w:num>'
    + '<w:num w:numId="3"><w:abstractNumId w:val="2"/></w:num>'
    + "</w:numbering>"
)


def _field(instr: str, shown: str) -> str:
    return f'<w:fldSimple w:instr=" {instr} "><w:r><w:t>{shown}</w:t></w:r></w:fldSimple>'


HEADER = (
    XML + f"<w:hdr {NS}>"
    '<w:p><w:pPr><w:pStyle w:val="Header"/></w:pPr>'
    '<w:r><w:t xml:space="preserve">{{ district }} · {{ title }}</w:t></w:r></w:p></w:hdr>'
)

FOOTER = (
    XML + f"<w:ftr {NS}>"
    '<w:p><w:pPr><w:pStyle w:val="Footer"/></w:pPr>'
    '<w:r><w:t xml:space="preserve">Page </w:t></w:r>'
    + _field("PAGE", "1")
    + '<w:r><w:t xml:space="preserve"> of </w:t></w:r>'
    + _field("NUMPAGES", "1")
    + "</w:p></w:ftr>"
)


def _p(style: str, text: str) -> str:
    return (
        f'<w:p><w:pPr><w:pStyle w:val="{style}"/></w:pPr>'
        f'<w:r><w:t xml:space="preserve">{text}</w:t></w:r></w:p>'
    )


def _cell(width: int, style: str, text: str) -> str:
    return f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/></w:tcPr>{_p(style, text)}</w:tc>'


SPECIMEN_TABLE = (
    '<w:tbl><w:tblPr><w:tblStyle w:val="PlanTable"/><w:tblW w:w="9936" w:type="dxa"/>'
    '<w:tblLayout w:type="fixed"/><w:tblLook w:val="0420" w:firstRow="1" w:lastRow="0" '
    'w:firstColumn="0" w:lastColumn="0" w:noHBand="0" w:noVBand="1"/></w:tblPr>'
    '<w:tblGrid><w:gridCol w:w="3312"/><w:gridCol w:w="6624"/></w:tblGrid>'
    "<w:tr><w:trPr><w:tblHeader/></w:trPr>"
    + _cell(3312, "TableText", "Header row")
    + _cell(6624, "TableText", "Plan Table style: header row, borders, banding")
    + "</w:tr><w:tr>"
    + _cell(3312, "TableText", "Table Text")
    + _cell(6624, "TableNote", "Table Note")
    + "</w:tr><w:tr>"
    + _cell(3312, "SubScore", "Table Text Indented (a sub-score)")
    + _cell(6624, "TableCentered", "Table Text Centered")
    + "</w:tr></w:tbl>"
)

GLANCE_SPECIMEN = (
    '<w:tbl><w:tblPr><w:tblStyle w:val="GlanceTable"/><w:tblW w:w="9936" w:type="dxa"/>'
    '<w:tblLayout w:type="fixed"/><w:tblLook w:val="0600" w:firstRow="0" w:lastRow="0" '
    'w:firstColumn="0" w:lastColumn="0" w:noHBand="1" w:noVBand="1"/></w:tblPr>'
    '<w:tblGrid><w:gridCol w:w="4968"/><w:gridCol w:w="4968"/></w:tblGrid><w:tr>'
    + "".join(
        f'<w:tc><w:tcPr><w:tcW w:w="4968" w:type="dxa"/></w:tcPr>'
        f"{_p('GlanceLabel', 'Glance Label')}{_p('GlanceValue', 'Glance Value')}</w:tc>"
        for _ in range(2)
    )
    + "</w:tr></w:tbl>"
)

SECTION = (
    '<w:sectPr><w:headerReference w:type="default" r:id="rIdHeader"/>'
    '<w:footerReference w:type="default" r:id="rIdFooter"/>'
    '<w:pgSz w:w="12240" w:h="15840"/>'
    '<w:pgMar w:top="1080" w:right="1152" w:bottom="1080" w:left="1152" w:header="576" '
    'w:footer="576" w:gutter="0"/><w:cols w:space="720"/></w:sectPr>'
)

DOCUMENT = (
    XML
    + f"<w:document {NS}><w:body>"
    + _p("Title", "Title: the plan's name")
    + _p("Subtitle", "Subtitle: the district")
    + _p("TOCHeading", "TOC Heading")
    + _p("UnnumberedHeading1", "Unnumbered Heading 1")
    + _p("Normal", "Normal: the body text of the plan.")
    + _p("Intro", "Intro: a sentence kept on the page of what follows it.")
    + _p("Heading1", "Heading 1 (numbered by Word)")
    + _p("Heading2", "Heading 2 (numbered by Word)")
    + _p("Heading3", "Heading 3")
    + _p("UnnumberedHeading2", "Unnumbered Heading 2")
    + _p("Headline", "Headline: 13/26 coaching supports completed (50%)")
    + _p("Chart", "Chart: the paragraph holding a chart")
    + _p("ListBullet", "List Bullet")
    + _p("ListNumber", "List Number")
    + SPECIMEN_TABLE
    + _p("Normal", "")
    + GLANCE_SPECIMEN
    + _p("Normal", "")
    + SECTION
    + "</w:body></w:document>"
)

SETTINGS = (
    XML + f"<w:settings {NS}>"
    '<w:zoom w:percent="100"/><w:defaultTabStop w:val="720"/>'
    '<w:characterSpacingControl w:val="doNotCompress"/>'
    '<w:compat><w:compatSetting w:name="compatibilityMode" '
    'w:uri="http://schemas.microsoft.com/office/word" w:val="15"/></w:compat>'
    "</w:settings>"
)

CONTENT_TYPES = (
    XML + '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" '
    'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    + "".join(
        f'<Override PartName="/{part}" ContentType="{ctype}"/>'
        for part, ctype in (
            (
                "word/document.xml",
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
            ),
            (
                "word/styles.xml",
                "application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml",
            ),
            (
                "word/numbering.xml",
                "application/vnd.openxmlformats-officedocument.wordprocessingml.numbering+xml",
            ),
            (
                "word/settings.xml",
                "application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml",
            ),
            (
                "word/header1.xml",
                "application/vnd.openxmlformats-officedocument.wordprocessingml.header+xml",
            ),
            (
                "word/footer1.xml",
                "application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml",
            ),
            ("docProps/core.xml", "application/vnd.openxmlformats-package.core-properties+xml"),
            (
                "docProps/app.xml",
                "application/vnd.openxmlformats-officedocument.extended-properties+xml",
            ),
        )
    )
    + "</Types>"
)

ROOT_RELS = (
    XML + f'<Relationships xmlns="{PKG}">'
    f'<Relationship Id="rId1" Type="{DOC_REL}/officeDocument" Target="word/document.xml"/>'
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/'
    'relationships/metadata/core-properties" Target="docProps/core.xml"/>'
    f'<Relationship Id="rId3" Type="{DOC_REL}/extended-properties" Target="docProps/app.xml"/>'
    "</Relationships>"
)

DOCUMENT_RELS = (
    XML
    + f'<Relationships xmlns="{PKG}">'
    + "".join(
        f'<Relationship Id="{rid}" Type="{DOC_REL}/{kind}" Target="{target}"/>'
        for rid, kind, target in (
            ("rIdStyles", "styles", "styles.xml"),
            ("rIdNumbering", "numbering", "numbering.xml"),
            ("rIdSettings", "settings", "settings.xml"),
            ("rIdHeader", "header", "header1.xml"),
            ("rIdFooter", "footer", "footer1.xml"),
        )
    )
    + "</Relationships>"
)

CORE = (
    XML + '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/'
    'metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" '
    'xmlns:dcterms="http://purl.org/dc/terms/" '
    'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
    "<dc:title>plangen base document</dc:title><dc:creator>plangen</dc:creator>"
    "</cp:coreProperties>"
)

APP = (
    XML + '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/'
    'extended-properties"><Application>plangen</Application></Properties>'
)

PARTS = {
    "[Content_Types].xml": CONTENT_TYPES,
    "_rels/.rels": ROOT_RELS,
    "docProps/core.xml": CORE,
    "docProps/app.xml": APP,
    "word/document.xml": DOCUMENT,
    "word/_rels/document.xml.rels": DOCUMENT_RELS,
    "word/styles.xml": STYLES,
    "word/numbering.xml": NUMBERING,
    "word/settings.xml": SETTINGS,
    "word/header1.xml": HEADER,
    "word/footer1.xml": FOOTER,
}


def main(path: Path = BASE) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in PARTS.items():
            info = zipfile.ZipInfo(name, date_time=(2026, 1, 1, 0, 0, 0))
            archive.writestr(info, text.encode("utf-8"), zipfile.ZIP_DEFLATED)
    print(f"wrote {path}")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else BASE)
