"""Build plangen's Word templates with python-docx, so every jinja tag sits in one run.

Run from the repository root:  python3 scripts/build_templates.py
It rewrites src/plangen/templates/*.docx; a test checks the committed files match.
A template change is a change to this script, reviewable as a diff.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

from docx import Document
from docx.document import Document as DocumentObject
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Inches, Pt, RGBColor
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph

TEMPLATES = Path(__file__).resolve().parent.parent / "src" / "plangen" / "templates"
NAVY = RGBColor(0x1F, 0x38, 0x64)
BLUE = RGBColor(0x2E, 0x55, 0x8C)
GREY = RGBColor(0x59, 0x59, 0x59)
HEADER_FILL = "1F3864"
GROUP_FILL = "DCE6F2"
BODY_WIDTH = 6.9  # inches between the margins of a Letter page


# ------------------------------------------------------------------ document set-up


def new_document() -> DocumentObject:
    """A Letter document with plangen's styles."""
    doc = Document()
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Inches(8.5), Inches(11)
    for side in ("left_margin", "right_margin"):
        setattr(section, side, Inches(0.8))
    section.top_margin = section.bottom_margin = Inches(0.75)
    styles = doc.styles
    normal = styles["Normal"]
    normal.font.name = "Calibri"
    normal.font.size = Pt(10.5)
    normal.element.rPr.rFonts.set(qn("w:eastAsia"), "Calibri")
    normal.paragraph_format.space_after = Pt(4)
    normal.paragraph_format.line_spacing = 1.08
    for name, size, color, before in (
        ("Title", 24, NAVY, 0),
        ("Heading 1", 15, NAVY, 16),
        ("Heading 2", 12, BLUE, 10),
        ("Heading 3", 11, BLUE, 8),
    ):
        style = styles[name]
        style.font.name = "Calibri"
        style.font.size = Pt(size)
        style.font.bold = name != "Title"
        style.font.color.rgb = color
        style.paragraph_format.space_before = Pt(before)
        style.paragraph_format.space_after = Pt(4)
        style.paragraph_format.keep_with_next = True
        rfonts = style.element.rPr.rFonts
        for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
            rfonts.set(qn(attr), "Calibri")
        for theme_attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
            if rfonts.get(qn(theme_attr)) is not None:
                del rfonts.attrib[qn(theme_attr)]
    subtitle = styles["Subtitle"]
    subtitle.font.size = Pt(15)
    subtitle.font.color.rgb = BLUE
    subtitle.font.italic = False
    return doc


def header_and_footer(doc: DocumentObject, header_text: str) -> None:
    """A small running header and a `Page N of M` footer."""
    section = doc.sections[0]
    head = section.header.paragraphs[0]
    head.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    run = head.add_run(header_text)
    run.font.size = Pt(8.5)
    run.font.color.rgb = GREY
    foot = section.footer.paragraphs[0]
    foot.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for piece in ("Page ", "PAGE", " of ", "NUMPAGES"):
        if piece.isupper():
            field = parse_xml(
                f'<w:fldSimple {nsdecls("w")} w:instr=" {piece} "><w:r><w:rPr><w:sz w:val="17"/>'
                f'<w:color w:val="595959"/></w:rPr><w:t>1</w:t></w:r></w:fldSimple>'
            )
            foot._p.append(field)
        else:
            run = foot.add_run(piece)
            run.font.size = Pt(8.5)
            run.font.color.rgb = GREY


# ------------------------------------------------------------------ paragraphs


def para(doc: DocumentObject | _Cell, text: str = "", style: str | None = None) -> Paragraph:
    """A paragraph whose text is one run (so a tag in it is never split)."""
    p = doc.add_paragraph(style=style)
    if text:
        p.add_run(text)
    return p


def tag(doc: DocumentObject, text: str) -> None:
    """A paragraph-level jinja tag (`{%p for ... %}`), removed when rendered."""
    para(doc, text)


def label_value(doc: DocumentObject | _Cell, label: str, value: str) -> Paragraph:
    """`Label: value` with the label bold."""
    p = doc.add_paragraph()
    p.add_run(label).bold = True
    p.add_run(value)
    return p


# ------------------------------------------------------------------ tables


def shade(cell: _Cell, fill: str) -> None:
    tc_pr = cell._tc.get_or_add_tcPr()
    tc_pr.append(parse_xml(f'<w:shd {nsdecls("w")} w:val="clear" w:color="auto" w:fill="{fill}"/>'))


def _row_flag(row, name: str) -> None:  # type: ignore[no-untyped-def]
    tr_pr = row._tr.get_or_add_trPr()
    tr_pr.append(OxmlElement(name))


def set_cell_text(
    cell: _Cell, text: str, bold: bool = False, white: bool = False, size: float | None = None
) -> Paragraph:
    p = cell.paragraphs[0]
    run = p.add_run(text)
    run.bold = bold
    if white:
        run.font.color.rgb = RGBColor(0xFF, 0xFF, 0xFF)
    if size:
        run.font.size = Pt(size)
    p.paragraph_format.space_after = Pt(1)
    return p


def new_table(doc: DocumentObject, headers: list[str], widths: list[float]) -> Table:
    """A table with a shaded header row that repeats on every page."""
    table = doc.add_table(rows=1, cols=len(headers))
    table.style = doc.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    for column, width in zip(table.columns, widths, strict=True):
        column.width = Inches(width)
    for cell, text, width in zip(table.rows[0].cells, headers, widths, strict=True):
        cell.width = Inches(width)
        set_cell_text(cell, text, bold=True, white=True, size=9.5)
        shade(cell, HEADER_FILL)
    _row_flag(table.rows[0], "w:tblHeader")
    _row_flag(table.rows[0], "w:cantSplit")
    return table


def loop_table(
    doc: DocumentObject,
    headers: list[str],
    widths: list[float],
    loop: str,
    cells: list[str | Callable[[Paragraph], None]],
) -> Table:
    """A table with a header row and one row per item of `loop` (`r in data`)."""
    table = new_table(doc, headers, widths)
    tag_row(table, f"{{%tr for {loop} %}}")
    data_row(table, cells, widths)
    tag_row(table, "{%tr endfor %}")
    return table


def tag_row(table: Table, text: str) -> None:
    """A row holding only a `{%tr ... %}` tag; docxtpl replaces the whole row."""
    row = table.add_row()
    row.cells[0].paragraphs[0].add_run(text)


def data_row(
    table: Table,
    texts: list[str | Callable[[Paragraph], None]],
    widths: list[float],
    size: float = 9.5,
) -> None:
    """A row of cells, each a text (one run) or a function that fills the paragraph."""
    row = table.add_row()
    _row_flag(row, "w:cantSplit")
    for cell, content, width in zip(row.cells, texts, widths, strict=True):
        cell.width = Inches(width)
        p = cell.paragraphs[0]
        p.paragraph_format.space_after = Pt(1)
        if callable(content):
            content(p)
        else:
            run = p.add_run(content)
            run.font.size = Pt(size)


def group_row(table: Table, text: str) -> None:
    """A full-width shaded row naming a group (a level, a relationship)."""
    row = table.add_row()
    _row_flag(row, "w:cantSplit")
    merged = row.cells[0].merge(row.cells[-1])
    set_cell_text(merged, text, bold=True, size=10)
    shade(merged, GROUP_FILL)
    # a group heading stays with the first item below it
    merged.paragraphs[0].paragraph_format.keep_with_next = True


def checkbox(expr_checked: str, key: str | None = None) -> Callable[[Paragraph], None]:
    """A Word check-box content control, ticked when `expr_checked` is true.

    With `key` (a jinja expression for the plangen key, e.g. `s.ref ~ '|done'`) the box
    carries that key, so `plangen pull` can bring a tick made in Word back.
    """

    def fill(p: Paragraph) -> None:
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        p._p.append(content_control(checkbox_props(expr_checked), symbol_run(expr_checked), key))

    return fill


# ------------------------------------------------------------------ content controls
# Self-contained: each returns XML text or fills a paragraph, so a new document builder
# can re-use them unchanged. A control that flows back carries its plangen key
# (`supports|12|done`: sheet, workbook row, field) twice, as its tag and as its title
# (alias): LibreOffice drops tags but keeps titles, Word keeps both.

STATUS_CHOICES = ("Not started", "In progress", "Completed", "Dropped")


def content_control(props: str, content: str, key: str | None = None) -> object:
    """A run-level `<w:sdt>`: `props` (XML inside sdtPr), `content` (runs), keyed by the
    jinja expression `key` (tag and title) when given."""
    keyed = ""
    if key is not None:
        value = "{{ " + key + " }}"
        keyed = f'<w:alias w:val="plangen {value}"/><w:tag w:val="plangen {value}"/>'
    return parse_xml(
        f"<w:sdt {nsdecls('w', 'w14')}><w:sdtPr>{keyed}{props}</w:sdtPr>"
        f"<w:sdtContent>{content}</w:sdtContent></w:sdt>"
    )


def checkbox_props(expr_checked: str) -> str:
    """The w14:checkbox properties of a check box ticked when `expr_checked` is true."""
    return (
        "<w14:checkbox>"
        f'<w14:checked w14:val="{{% if {expr_checked} %}}1{{% else %}}0{{% endif %}}"/>'
        '<w14:checkedState w14:val="2612" w14:font="Segoe UI Symbol"/>'
        '<w14:uncheckedState w14:val="2610" w14:font="Segoe UI Symbol"/>'
        "</w14:checkbox>"
    )


def symbol_run(expr_checked: str) -> str:
    """The run showing a check box's state (☒ or ☐)."""
    return (
        '<w:r><w:rPr><w:rFonts w:ascii="Segoe UI Symbol" w:hAnsi="Segoe UI Symbol"/>'
        '<w:sz w:val="22"/></w:rPr>'
        f"<w:t>{{% if {expr_checked} %}}☒{{% else %}}☐{{% endif %}}</w:t></w:r>"
    )


def text_run(expr: str, size: float = 9.5) -> str:
    """One run showing the jinja expression `expr`."""
    return (
        f'<w:r><w:rPr><w:sz w:val="{round(size * 2)}"/></w:rPr>'
        f'<w:t xml:space="preserve">{{{{ {expr} }}}}</w:t></w:r>'
    )


def dropdown_control(key: str, expr: str, choices: tuple[str, ...]) -> object:
    """A drop-down list control showing `expr`, offering `choices`."""
    items = "".join(f'<w:listItem w:displayText="{c}" w:value="{c}"/>' for c in choices)
    return content_control(f"<w:dropDownList>{items}</w:dropDownList>", text_run(expr), key)


def date_control(key: str, expr: str) -> object:
    """A date control showing `expr` (a date as text), "—" when it is empty."""
    props = (
        f"{{% if not {expr} %}}<w:showingPlcHdr/>{{% endif %}}"
        '<w:date><w:dateFormat w:val="MMMM d, yyyy"/><w:lid w:val="en-US"/>'
        '<w:storeMappedDataAs w:val="dateTime"/><w:calendar w:val="gregorian"/></w:date>'
    )
    return content_control(props, text_run(f"{expr} or '—'"), key)


def text_control(key: str, expr: str) -> object:
    """A rich-text control showing `expr` (a note whose edits flow back), "—" when it is
    empty."""
    props = f"{{% if not {expr} %}}<w:showingPlcHdr/>{{% endif %}}<w:richText/>"
    return content_control(props, text_run(f"{expr} or '—'"), key)


def keyed_line(label: str, control: object) -> Callable[[Paragraph], None]:
    """Fill a paragraph with an optional `label` run and a content `control`."""

    def fill(p: Paragraph) -> None:
        if label:
            p.add_run(label).font.size = Pt(9.5)
        p._p.append(control)

    return fill


def status_cell(row: str = "s") -> Callable[[Paragraph], None]:
    """A monitored item's Status drop-down, its Completed-on date control, and its due
    date or reason dropped (shown only)."""
    status = dropdown_control(
        f"{row}.ref ~ '|status'", f"{row}.status or 'Not started'", STATUS_CHOICES
    )
    done_on = date_control(f"{row}.ref ~ '|completed_on'", f"{row}.completed_on")
    return cell_lines(
        keyed_line("", status),
        keyed_line("Completed on: ", done_on),
        f"{{%p if {row}.drop_reason %}}",
        f"Reason: {{{{ {row}.drop_reason }}}}",
        "{%p elif " + row + ".target_date and not " + row + ".done %}",
        f"Due {{{{ {row}.target_date }}}}",
        "{%p endif %}",
    )


TICK_TO_RECORD = (
    "To record a completed support, tick its Done box in Word (or set its Status and date); "
    "plangen pull then brings it into the workbook."
)


def grouped_tracked_table(
    doc: DocumentObject,
    groups: str,
    text_key: str,
    text_header: str,
    extra: list[tuple[str, str, float]],
) -> None:
    """Monitored supports by group: a check box, the support, extra columns, status."""
    text_width = BODY_WIDTH - 0.45 - 1.75 - sum(w for _, _, w in extra)
    widths = [0.45, text_width, *[w for _, _, w in extra], 1.75]
    table = new_table(doc, ["Done", text_header, *[h for h, _, _ in extra], "Status"], widths)
    tag_row(table, f"{{%tr for g in {groups} %}}")
    group_row(table, "{{ g.name }}")
    tag_row(table, "{%tr for s in g.entries %}")
    data_row(
        table,
        [
            checkbox("s.done", "s.ref ~ '|done'"),
            f"{{{{ s.{text_key} }}}}",
            *[f"{{{{ s.{key} }}}}" for _, key, _ in extra],
            status_cell(),
        ],
        widths,
    )
    tag_row(table, "{%tr endfor %}")
    tag_row(table, "{%tr endfor %}")


def grouped_bullets(doc: DocumentObject, groups: str, item_key: str) -> None:
    """A heading per group, its items as bullets."""
    tag(doc, f"{{%p for g in {groups} %}}")
    para(doc, "{{ g.name }}", "Heading 3")
    tag(doc, "{%p for i in g.entries %}")
    para(doc, f"{{{{ i.{item_key} }}}}", "List Bullet")
    tag(doc, "{%p endfor %}")
    tag(doc, "{%p endfor %}")


# ------------------------------------------------------------------ the System CSDP

BACKGROUND = (
    "A Coaching Service Delivery Plan (CSDP) sets out, ahead of time, the coaching a team "
    "will receive and why. It names the supports each level of the coaching system will "
    "provide, how and how often they will be delivered, and how everyone will know the "
    "coaching is working. The plan is the shared reference for continuous improvement of "
    "the multi-tiered system of supports (MTSS): it is revisited during the year and "
    "adjusted as the team grows, always aiming at aligned systems and better services and "
    "outcomes for every student."
)

CONSIDERATIONS = (
    (
        "Data to support the need",
        "Which numbers and observations point to these focus areas and call for coaching?",
    ),
    (
        "Focus areas",
        "Which concepts or skills will be coached, what improvement in implementation is "
        "expected, and which measures (DCA items, observations, product reviews, surveys) "
        "will show it?",
    ),
    (
        "Systems and support structure for coaching",
        "What must each level of the division's coaching infrastructure provide?",
    ),
    (
        "Coaching process",
        "Which processes (observation, data review, modeling, co-facilitation, coaching "
        "conversations, fading, consultation) will build the team's knowledge and skill in "
        "each focus area?",
    ),
    (
        "Frequency",
        "How often will each process happen, and how will that change as staff gain skill?",
    ),
    (
        "Feedback and communication",
        "How will feedback travel in both directions between levels, in what form, and how "
        "quickly?",
    ),
    (
        "Monitoring adherence",
        "At least twice a year, review and update the plan: is the team on track for its "
        "SMART goals in time, and what needs to change?",
    ),
)


def build_system() -> DocumentObject:
    doc = new_document()
    header_and_footer(doc, "{{ district }} · System Coaching Service Delivery Plan")

    para(doc, "System Coaching Service Delivery Plan", "Title")
    para(doc, "{{ district }}", "Subtitle")
    widths = [1.9, BODY_WIDTH - 1.9]
    info = doc.add_table(rows=0, cols=2)
    info.style = doc.styles["Table Grid"]
    info.autofit = False
    for column, width in zip(info.columns, widths, strict=True):
        column.width = Inches(width)
    for label, value in (
        ("Division or district", "{{ district }}"),
        ("Date initiated", "{{ date_initiated }}"),
        ("Plan period", "{{ date_initiated }} to {{ plan_end }}"),
        ("Coordinator", "{{ coordinator }}"),
        ("Figures as of", "{{ as_of }}"),
    ):
        row = info.add_row()
        row.cells[0].width, row.cells[1].width = Inches(widths[0]), Inches(widths[1])
        set_cell_text(row.cells[0], label, bold=True)
        shade(row.cells[0], GROUP_FILL)
        set_cell_text(row.cells[1], value)

    para(doc, "Background", "Heading 1")
    para(doc, BACKGROUND)
    para(doc, "Seven questions guide the plan:")
    for name, question in CONSIDERATIONS:
        p = doc.add_paragraph(style="List Number")
        p.add_run(f"{name}. ").bold = True
        p.add_run(question)

    para(doc, "1. Data to Support the Need", "Heading 1")
    para(doc, "Quantitative data", "Heading 2")
    widths = [2.9, 0.8, 0.6, BODY_WIDTH - 4.3]
    loop_table(
        doc,
        ["Measure", "Score", "N", "Note"],
        widths,
        "r in data",
        [
            "{% if r.sub_score %}\u2003\u2003◦ {% endif %}{{ r.measure }}",
            "{{ r.score }}",
            "{{ r.n }}",
            "{{ r.note }}",
        ],
    )
    para(doc, "Qualitative observations", "Heading 2")
    tag(doc, "{%p for o in observations %}")
    para(doc, "{{ o.observation }}", "List Bullet")
    tag(doc, "{%p endfor %}")

    para(doc, "2. Focus Areas and SMART Goals", "Heading 1")
    para(doc, "Focus areas (a maximum of 3 are selected)", "Heading 2")
    widths = [0.75, BODY_WIDTH - 0.75 - 1.9, 1.9]
    loop_table(
        doc,
        ["Selected", "Focus area", "Matrix codes"],
        widths,
        "f in focus_areas",
        [checkbox("f.selected"), "{{ f.area }}", "{{ f.codes }}"],
    )
    para(doc, "SMART goals", "Heading 2")
    widths = [0.5, 3.7, 1.65, 1.05]
    loop_table(
        doc,
        ["Goal", "SMART goal", "Effectiveness measures", "Target date"],
        widths,
        "g in goals",
        ["{{ g.number }}", "{{ g.goal }}", "{{ g.measures }}", "{{ g.target_date }}"],
    )

    para(doc, "3. Description of Systems & Support Structure for Coaching", "Heading 1")
    para(
        doc,
        "The supports required at each level of the coaching infrastructure. A ticked box "
        "marks a support already completed.",
    )
    para(doc, TICK_TO_RECORD).runs[0].italic = True
    grouped_tracked_table(doc, "supports_groups", "support", "Support", [("Goal", "goal", 0.5)])

    para(doc, "4. Coaching Process", "Heading 1")
    para(doc, "How coaching is provided in each coaching relationship.")
    grouped_tracked_table(
        doc,
        "process_groups",
        "activity",
        "Activity",
        [("Process", "process", 1.2), ("Goal", "goal", 0.5)],
    )

    para(doc, "5. Frequency", "Heading 1")
    grouped_bullets(doc, "frequency_groups", "item")

    para(doc, "6. Feedback & Communication Plans", "Heading 1")
    grouped_bullets(doc, "feedback_groups", "item")

    para(doc, "7. Plan for Monitoring Adherence", "Heading 1")
    tag(doc, "{%p for m in monitoring %}")
    para(doc, "{{ m.review }}", "Heading 3")
    para(doc, "{{ m.covers }}")
    tag(doc, "{%p endfor %}")
    para(doc, "Review log", "Heading 2")
    review_log(doc, with_type=True)

    adherence_section(doc)
    return doc


def review_log(doc: DocumentObject, with_type: bool) -> None:
    """Every review logged: date, (type), on track, progress with accomplishments and
    barriers, adjustments."""
    headers = ["Date", *(["Type"] if with_type else []), "On track", "Progress", "Adjustments"]
    widths = [1.2, *([0.8] if with_type else []), 0.8]
    rest = BODY_WIDTH - sum(widths)
    widths += [round(rest * 0.55, 2), round(rest * 0.45, 2)]
    loop_table(
        doc,
        headers,
        widths,
        "r in reviews",
        [
            "{{ r.date }}",
            *(["{{ r.type }}"] if with_type else []),
            "{{ r.on_track }}",
            cell_lines(
                keyed_line("", text_control("r.ref ~ '|progress'", "r.progress")),
                "{%p if r.accomplishments %}",
                "Accomplishments: {{ r.accomplishments }}",
                "{%p endif %}",
                "{%p if r.barriers %}",
                "Barriers: {{ r.barriers }}",
                "{%p endif %}",
            ),
            keyed_line("", text_control("r.ref ~ '|adjustments'", "r.adjustments")),
        ],
    )
    tag(doc, "{%p if not reviews %}")
    para(doc, "No review has been logged yet.")
    tag(doc, "{%p endif %}")


def adherence_section(doc: DocumentObject, group: str = "Level") -> None:
    """The Adherence Summary: headline, by `group` (a level), review history, schedule,
    overdue."""
    page_break = doc.add_paragraph()
    page_break.add_run().add_break(WD_BREAK.PAGE)
    para(doc, "Adherence Summary", "Heading 1")
    p = para(doc)
    run = p.add_run("{{ adherence.headline }}")
    run.bold = True
    run.font.size = Pt(14)
    run.font.color.rgb = NAVY
    label_value(doc, "Figures as of: ", "{{ adherence.as_of }}")
    label_value(doc, "On track for the SMART goals (latest review): ", "{{ adherence.on_track }}")
    label_value(doc, "Next review due: ", "{{ adherence.next_review }}")

    para(doc, f"Completion by {group.lower()}", "Heading 2")
    widths = [2.0, 2.3, 0.85, 1.75]
    loop_table(
        doc,
        ["Section", group, "Completed", "Progress"],
        widths,
        "g in adherence.by_group",
        ["{{ g.section }}", "{{ g.group }}", "{{ g.fraction }} ({{ g.percent }})", "{{ g.bar }}"],
    )

    para(doc, "Completion by SMART goal", "Heading 2")
    tag(doc, "{%p if adherence.by_goal %}")
    widths = [0.8, 1.2, 1.75]
    loop_table(
        doc,
        ["Goal", "Completed", "Progress"],
        widths,
        "g in adherence.by_goal",
        ["{{ g.goal }}", "{{ g.fraction }} ({{ g.percent }})", "{{ g.bar }}"],
    )
    tag(doc, "{%p else %}")
    para(doc, "No support names a SMART goal.")
    tag(doc, "{%p endif %}")

    para(doc, "Review history", "Heading 2")
    para(doc, "Supports completed by the date of each review, so the trend shows at a glance.")
    widths = [1.25, 0.85, 0.85, 1.75, 0.75, 1.45]
    table = new_table(
        doc, ["Date", "Type", "Completed", "Progress", "On track", "Adjustments"], widths
    )
    tag_row(table, "{%tr for r in adherence.reviews %}")
    data_row(
        table,
        [
            "{{ r.date }}",
            "{{ r.type }}",
            "{{ r.fraction }} ({{ r.percent }})",
            "{{ r.bar }}",
            "{{ r.on_track }}",
            "{{ r.adjustments }}",
        ],
        widths,
    )
    tag_row(table, "{%tr endfor %}")
    tag(doc, "{%p if not adherence.reviews %}")
    para(doc, "No review has been logged yet.")
    tag(doc, "{%p endif %}")

    para(doc, "Required reviews", "Heading 2")
    widths = [2.9, 1.5, 1.5, 1.0]
    loop_table(
        doc,
        ["Review", "Due by", "Held on", "Status"],
        widths,
        "s in adherence.schedule",
        ["{{ s.name }}", "{{ s.due }}", "{{ s.held }}", "{{ s.status }}"],
    )

    para(doc, "Supports past their target date", "Heading 2")
    tag(doc, "{%p if adherence.overdue %}")
    widths = [3.4, 1.8, 1.1, 0.6]
    loop_table(
        doc,
        ["Support", group, "Target date", "Days late"],
        widths,
        "o in adherence.overdue",
        ["{{ o.support }}", "{{ o.group }}", "{{ o.target_date }}", "{{ o.days_late }}"],
    )
    tag(doc, "{%p else %}")
    para(doc, "No support is past its target date.")
    tag(doc, "{%p endif %}")


# ------------------------------------------------------------------ the District CSDP

DISTRICT_BACKGROUND = (
    "This plan sets out the coaching the district coordinator will give the District "
    "Implementation Team (DIT) this year, and why. Baseline data show where implementation "
    "needs support; one or two coaching concepts are chosen from the DIT Coaching Concepts, "
    "each with a SMART goal and measures of coaching effectiveness; the coaching supports "
    "and the preparation they need are then planned step by step. The plan is reviewed "
    "every month and coaching progress is shared with the DIT two to three times a year."
)

MONTHLY_STEPS = (
    "Update coaching supports and preparation: check off what has been completed.",
    "Update coaching plan adherence: the date of the review, supports completed out of the "
    "total, and whether the team is on track to meet the SMART goals in time.",
    "Review the remaining supports and preparation, and refine the plan where needed.",
    "Prepare for, and plan to provide, the next supports in the plan.",
)


def info_table(doc: DocumentObject, rows: list[tuple[str, str]]) -> None:
    """A two-column table of labelled values, labels shaded."""
    widths = [1.9, BODY_WIDTH - 1.9]
    info = doc.add_table(rows=0, cols=2)
    info.style = doc.styles["Table Grid"]
    info.autofit = False
    for column, width in zip(info.columns, widths, strict=True):
        column.width = Inches(width)
    for label, value in rows:
        row = info.add_row()
        row.cells[0].width, row.cells[1].width = Inches(widths[0]), Inches(widths[1])
        set_cell_text(row.cells[0], label, bold=True)
        shade(row.cells[0], GROUP_FILL)
        set_cell_text(row.cells[1], value)


def cell_lines(*lines: str | Callable[[Paragraph], None]) -> Callable[[Paragraph], None]:
    """Fill a table cell with one paragraph per line (each line one run, 9.5 pt, or a
    function that fills the paragraph)."""

    def fill(p: Paragraph) -> None:
        cell = p._parent
        for index, line in enumerate(lines):
            target = p if index == 0 else cell.add_paragraph()
            target.paragraph_format.space_after = Pt(1)
            if callable(line):
                line(target)
                continue
            run = target.add_run(line)
            run.font.size = Pt(9.5)
            if line.startswith(("Feedback", "{{ s.timeline")):
                run.italic = True

    return fill


def build_district() -> DocumentObject:
    doc = new_document()
    header_and_footer(doc, "{{ district }} · District Individualized CSDP")

    para(doc, "District Individualized Coaching Service Delivery Plan", "Title")
    para(doc, "{{ district }}", "Subtitle")
    info_table(
        doc,
        [
            ("District", "{{ district }}"),
            ("Coordinator", "{{ coordinator }}"),
            (
                "Area of focus",
                "{% if area_of_focus %}{{ area_of_focus }}{% else %}Installation and use of "
                "a district implementation infrastructure{% endif %}",
            ),
            ("Plan period", "{{ date_initiated }} to {{ plan_end }}"),
            ("Figures as of", "{{ as_of }}"),
        ],
    )
    para(doc, "About this plan", "Heading 1")
    para(doc, DISTRICT_BACKGROUND)

    para(doc, "1. Baseline Data", "Heading 1")
    para(doc, "The data reviewed to find where coaching will keep implementation moving forward.")
    widths = [2.4, 0.75, BODY_WIDTH - 3.15]
    table = new_table(doc, ["Data", "Score", "What it shows"], widths)
    tag_row(table, "{%tr for g in baseline_groups %}")
    group_row(table, "{{ g.name }}")
    tag_row(table, "{%tr for r in g.entries %}")
    data_row(
        table,
        [
            "{{ r.data }}",
            "{{ r.score }}",
            cell_lines(
                "{{ r.shows }}",
                "{%p if r.accuracy_in_question %}",
                "⚠ The accuracy of this data is in question.",
                "{%p endif %}",
            ),
        ],
        widths,
    )
    tag_row(table, "{%tr endfor %}")
    tag_row(table, "{%tr endfor %}")
    para(doc, "Summary of baseline data: areas for improvement", "Heading 2")
    tag(doc, "{%p for s in summary %}")
    para(doc, "{{ s.point }}", "List Bullet")
    tag(doc, "{%p endfor %}")
    tag(doc, "{%p for r in baseline if r.accuracy_in_question %}")
    para(
        doc,
        "Data accuracy: {{ r.data }} ({{ r.source }}) may not be accurate; making this data "
        "trustworthy is an area for improvement.",
        "List Bullet",
    )
    tag(doc, "{%p endfor %}")

    para(doc, "2. SMART Goals", "Heading 1")
    para(doc, "Coaching concepts and goals", "Heading 2")
    widths = [0.5, 1.6, 3.7, 1.1]
    loop_table(
        doc,
        ["Goal", "Coaching concept", "SMART goal", "Target date"],
        widths,
        "g in goals",
        ["{{ g.number }}", "{{ g.concept }}", "{{ g.goal }}", "{{ g.target_date }}"],
    )
    para(doc, "Effectiveness measures", "Heading 2")
    para(
        doc,
        "The data that will show the team improved implementation as a result of coaching.",
    )
    widths = [0.5, 2.0, BODY_WIDTH - 2.5]
    loop_table(
        doc,
        ["Goal", "Measure type", "Measure"],
        widths,
        "m in measures",
        ["{{ m.goal }}", "{{ m.type }}", "{{ m.measure }}"],
    )

    para(doc, "3. Coaching Supports", "Heading 1")
    para(
        doc,
        "How coaching support is provided for each concept, by method from the continuum of "
        "coaching methods. A ticked box marks a support already completed.",
    )
    para(doc, TICK_TO_RECORD).runs[0].italic = True
    widths = [0.5, 1.05, 2.1, 1.1, 1.0, 1.15]
    table = new_table(
        doc, ["Done", "Method", "Coaching support", "When", "People involved", "Status"], widths
    )
    tag_row(table, "{%tr for g in supports_groups %}")
    group_row(table, "{{ g.name }}")
    tag_row(table, "{%tr for s in g.entries %}")
    data_row(
        table,
        [
            checkbox("s.done", "s.ref ~ '|done'"),
            "{{ s.method }}",
            cell_lines(
                "{{ s.support }}",
                "{%p if s.feedback %}",
                "Feedback: {{ s.feedback }}",
                "{%p endif %}",
            ),
            cell_lines("{{ s.frequency }}", "{{ s.timeline }}"),
            "{{ s.people }}",
            status_cell(),
        ],
        widths,
    )
    tag_row(table, "{%tr endfor %}")
    tag_row(table, "{%tr endfor %}")

    para(doc, "4. Preparation Required", "Heading 1")
    para(doc, "What the coordinator does to be ready to provide the supports.")
    grouped_tracked_table(
        doc, "preparation_groups", "step", "Preparation step", [("Preparation", "type", 1.7)]
    )

    para(doc, "5. Monitoring and Use of the Plan", "Heading 1")
    para(doc, "The plan is reviewed every month:")
    for step in MONTHLY_STEPS:
        para(doc, step, "List Number")
    para(doc, "Monthly reviews", "Heading 2")
    review_log(doc, with_type=False)

    para(doc, "6. Communicating Coaching Progress", "Heading 1")
    para(
        doc,
        "Two to three times a year the coordinator shares accomplishments, barriers and "
        "progress with the District Implementation Team, to improve the district coaching "
        "system and find further implementation supports.",
    )
    widths = [1.2, 1.9, 1.9, 1.9]
    loop_table(
        doc,
        ["Date", "Accomplishments", "Barriers", "Progress"],
        widths,
        "d in dit_updates",
        ["{{ d.date }}", "{{ d.accomplishments }}", "{{ d.barriers }}", "{{ d.progress }}"],
    )
    tag(doc, "{%p if not dit_updates %}")
    para(doc, "No progress communication has been logged yet.")
    tag(doc, "{%p endif %}")

    adherence_section(doc, "Concept")
    return doc


BUILDERS: dict[str, Callable[[], DocumentObject]] = {
    "system.docx": build_system,
    "district.docx": build_district,
}


def main(out_dir: Path = TEMPLATES) -> None:
    out_dir.mkdir(parents=True, exist_ok=True)
    for name, build in BUILDERS.items():
        doc = build()
        doc.core_properties.title = "plangen template"
        doc.core_properties.author = "plangen"
        doc.save(out_dir / name)
        print(f"wrote {out_dir / name}")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else TEMPLATES)
