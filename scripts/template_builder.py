"""The pieces scripts/build_templates.py makes plan templates of.

`Builder` opens the base document (`src/plangen/templates/base.docx`: page, named styles,
numbering, header and footer; see docs/restyling.md), drops its specimen body and adds
content: paragraphs and tables in the base document's named styles, and jinja tags, each
tag in one run. No formatting is set here except the shading of group rows (Word has no
row styles) and the page flow of table rows (which rows keep with the next one). Below
it, the sections several kinds share (title block, monitored-support tables, review log,
Adherence Summary).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from copy import deepcopy
from pathlib import Path

from docx import Document
from docx.document import Document as DocumentObject
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Inches, Pt
from docx.table import Table, _Cell, _Row
from docx.text.paragraph import Paragraph

from plangen.schema import PlanKind

TEMPLATES = Path(__file__).resolve().parent.parent / "src" / "plangen" / "templates"
BASE = TEMPLATES / "base.docx"
BODY_WIDTH = 6.9  # inches between the margins of the base document's Letter page
GROUP_FILL = "DCE6F2"  # group rows: Word has no row styles, so this one shading is set here
TABLE_STYLE = "Plan Table"
HEADER_LOOK = "0420"  # the table style's header row and row banding
LABEL_LOOK = "0680"  # the table style's first column (labels), no banding
GLANCE_LOOK = "0600"  # no header row, no banding
# Which rows of a loop keep with the row below them (jinja tests on the loop):
NO_LONE_ROW = "not loop.last and (loop.first or loop.revindex == 2)"  # a long table may
# break across pages, but never leaves its first or its last row alone on a page
WHOLE = "not loop.last"  # a short summary table stays on one page (with its chart)
GROUPED_NO_LONE_ROW = (  # the same in a grouped table (`group` is the group's loop)
    "not (loop.last and group.last) and ((loop.first and (group.first or not loop.last))"
    " or loop.revindex == 2 or (loop.last and group.revindex == 2))"
)  # ... nor its last group's header with one row alone at the top of a page
LOOKS = {  # which of the table style's parts apply: w:tblLook, both ways Word writes it
    look: {
        "val": look,
        "firstRow": str(int(bool(int(look, 16) & 0x20))),
        "lastRow": "0",
        "firstColumn": str(int(bool(int(look, 16) & 0x80))),
        "lastColumn": "0",
        "noHBand": str(int(bool(int(look, 16) & 0x200))),
        "noVBand": "1",
    }
    for look in (GLANCE_LOOK, HEADER_LOOK, LABEL_LOOK)
}

Line = tuple[str, str]  # (text, paragraph style) of one paragraph in a table cell
Content = str | Sequence[Line] | Callable[[Paragraph], None]


class Builder:
    """One template under construction: the base document and its contents entries."""

    def __init__(self) -> None:
        self.doc: DocumentObject = Document(str(BASE))
        body = self.doc.element.body
        for child in list(body):
            if child.tag != qn("w:sectPr"):
                body.remove(child)
        self.contents: list[tuple[str, str, str]] = []  # (style id, text, bookmark)
        self.numbers = [0, 0]  # the last Heading 1 and Heading 2 numbers Word shows
        self.bookmarks = 0
        self.contents_at: Paragraph | None = None

    # -------------------------------------------------------------- paragraphs

    def para(self, text: str = "", style: str | None = None) -> Paragraph:
        """A paragraph whose text is one run (so a tag in it is never split)."""
        p = self.doc.add_paragraph(style=style)
        if text:
            p.add_run(text)
        return p

    def tag(self, text: str) -> None:
        """A paragraph holding only a `{%p ... %}` tag; docxtpl removes the paragraph."""
        self.para(text)

    def heading(self, text: str, level: int = 1, numbered: bool = True) -> None:
        """A heading (Word numbers the numbered ones), bookmarked for the contents list."""
        p = self.para(style=f"Heading {level}" if numbered else f"Unnumbered Heading {level}")
        self.bookmarks += 1
        ident = self.bookmarks
        mark = f"_Toc_plangen_{ident}"
        p._p.append(_bookmark("Start", ident, mark))
        p.add_run(text)
        p._p.append(_bookmark("End", ident, mark))
        if level == 1:  # the contents list names the sections, not their parts
            self.numbers = [self.numbers[0] + numbered, 0]
            label = f"{self.numbers[0]}. " if numbered else ""
            self.contents.append(("TOC1", label + text, mark))
        else:
            self.numbers[1] += numbered

    def label_value(self, label: str, value: str) -> Paragraph:
        """`Label: value`, the label in the Strong character style."""
        p = self.doc.add_paragraph()
        p.add_run(label, style="Strong")
        p.add_run(value)
        return p

    def contents_here(self) -> None:
        """Mark where the contents list goes (filled in by `finish`, once headings are known)."""
        self.para("Contents", "TOC Heading")
        self.contents_at = self.para()

    def finish(self) -> DocumentObject:
        """Write the contents list: each heading, a link to it and its page (PAGEREF)."""
        if self.contents_at is not None:
            anchor = self.contents_at._p
            for style_id, text, mark in self.contents:
                anchor.addprevious(_contents_entry(style_id, text, mark))
            anchor.getparent().remove(anchor)
        return self.doc

    # -------------------------------------------------------------- tables

    def table(
        self,
        headers: list[str],
        widths: list[float],
        look: str = HEADER_LOOK,
        style: str = TABLE_STYLE,
    ) -> Table:
        """A table in the Plan Table style; its header row repeats on every page."""
        table = self.doc.add_table(rows=0, cols=len(widths))
        table.style = self.doc.styles[style]
        table.autofit = False
        tbl_pr = table._tbl.tblPr
        tbl_w = tbl_pr.find(qn("w:tblW"))
        tbl_w.set(qn("w:w"), str(_twips(sum(widths))))
        tbl_w.set(qn("w:type"), "dxa")
        tbl_pr.find(qn("w:tblLook")).attrib.update(
            {qn(f"w:{key}"): value for key, value in LOOKS[look].items()}
        )
        for column, width in zip(table.columns, widths, strict=True):
            column.width = Inches(width)
        if headers:
            row = self.row(table, list(headers), widths)
            row._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))
            for cell in row.cells:
                cell.paragraphs[0].paragraph_format.keep_with_next = True
        return table

    def row(self, table: Table, contents: list[Content], widths: list[float]) -> _Row:
        """A row that does not split across pages; each cell a text, lines or a filler."""
        row = table.add_row()
        row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))
        for cell, content, width in zip(row.cells, contents, widths, strict=True):
            cell.width = Inches(width)
            fill_cell(cell, content)
        return row

    def loop_table(
        self,
        headers: list[str],
        widths: list[float],
        loop: str,
        cells: list[Content],
        keep: str = NO_LONE_ROW,
    ) -> Table:
        """A header row and one row per item of `loop` (`r in data`); the rows for which
        the jinja test `keep` holds stay on the page of the row below them."""
        table = self.table(headers, widths)
        self.tag_row(table, f"{{%tr for {loop} %}}")
        self.loop_rows(table, cells, widths, keep)
        self.tag_row(table, "{%tr endfor %}")
        return table

    def loop_rows(self, table: Table, cells: list[Content], widths: list[float], keep: str) -> None:
        """The row of one loop item, in two forms: kept with the next row when the jinja
        test `keep` holds (every paragraph keeps with the next: Word and LibreOffice then
        move the two rows together), free to end a page otherwise."""
        self.tag_row(table, f"{{%tr if {keep} %}}")
        keep_with_next(self.row(table, cells, widths))
        self.tag_row(table, "{%tr else %}")
        self.row(table, cells, widths)
        self.tag_row(table, "{%tr endif %}")

    def tag_row(self, table: Table, text: str) -> None:
        """A row holding only a `{%tr ... %}` tag; docxtpl replaces the whole row."""
        table.add_row().cells[0].paragraphs[0].add_run(text)

    def group_row(self, table: Table, text: str) -> None:
        """A full-width row naming a group (a level, a relationship), kept with what follows."""
        row = table.add_row()
        row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))
        merged = row.cells[0].merge(row.cells[-1])
        fill_cell(merged, [(text, "Table Group")])
        merged._tc.get_or_add_tcPr().append(
            parse_xml(f'<w:shd {nsdecls("w")} w:val="clear" w:color="auto" w:fill="{GROUP_FILL}"/>')
        )

    def grouped_table(
        self,
        groups: str,
        headers: list[str],
        widths: list[float],
        cells: list[Content],
    ) -> None:
        """One group row per group of `groups`, then a row per entry `s`."""
        table = self.table(headers, widths)
        self.tag_row(table, f"{{%tr for g in {groups} %}}")
        self.tag_row(table, "{%tr set group = loop %}")
        self.group_row(table, "{{ g.name }}")
        self.tag_row(table, "{%tr for s in g.entries %}")
        self.loop_rows(table, cells, widths, GROUPED_NO_LONE_ROW)
        self.tag_row(table, "{%tr endfor %}")
        self.tag_row(table, "{%tr endfor %}")

    def glance(self, tiles: list[tuple[str, str, str]]) -> None:
        """A row of tiles in the Glance Table style: a label, a big value, a detail each.
        The labels are the table's header row (a screen reader names each value by its
        label); the values and details its one data row, drawn as one tile with the label."""
        widths = [BODY_WIDTH / len(tiles)] * len(tiles)
        table = self.table([], widths, look=GLANCE_LOOK, style="Glance Table")
        labels = self.row(table, [[(label, "Glance Label")] for label, _, _ in tiles], widths)
        labels._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))
        values = self.row(
            table,
            [[(value, "Glance Value"), (detail, "Glance Label")] for _, value, detail in tiles],
            widths,
        )
        for row, edge in ((labels, "bottom"), (values, "top")):  # no gap inside a tile
            for cell in row.cells:
                cell._tc.get_or_add_tcPr().append(
                    parse_xml(f'<w:tcMar {nsdecls("w")}><w:{edge} w:w="0" w:type="dxa"/></w:tcMar>')
                )
                cell.paragraphs[0].paragraph_format.keep_with_next = True

    def none_recorded(self, items: str, text: str = "None recorded.") -> None:
        """`text` in place of an empty list (the same words in every kind)."""
        self.tag(f"{{%p if not {items} %}}")
        self.para(text)
        self.tag("{%p endif %}")

    def grouped_bullets(self, groups: str, item_key: str) -> None:
        """An unnumbered Heading 2 per group (under the section's Heading 1, no level
        skipped), its items as bullets."""
        self.tag(f"{{%p for g in {groups} %}}")
        self.para("{{ g.name }}", "Unnumbered Heading 2")
        self.tag("{%p for i in g.entries %}")
        self.para(f"{{{{ i.{item_key} }}}}", "List Bullet")
        self.tag("{%p endfor %}")
        self.tag("{%p endfor %}")
        self.none_recorded(groups)


def keep_with_next(row: _Row) -> _Row:
    """Every paragraph of `row` keeps with the next one, so the row stays with the next row."""
    for cell in row.cells:
        for p in cell.paragraphs:
            p.paragraph_format.keep_with_next = True
    return row


def fill_cell(cell: _Cell, content: Content) -> None:
    """Text (Table Text), lines of (text, style), or a function filling the first paragraph."""
    first = cell.paragraphs[0]
    if callable(content):
        content(first)
        return
    lines = [(content, "Table Text")] if isinstance(content, str) else list(content)
    for index, (text, style) in enumerate(lines):
        p = first if index == 0 else cell.add_paragraph()
        p.style = cell.part.document.styles[style]
        p.add_run(text)


def checkbox(expr_checked: str, key: str) -> Callable[[Paragraph], None]:
    """A Word check-box content control, ticked when `expr_checked` is true, carrying the
    plangen key `key` (a jinja expression, e.g. `s.ref ~ '|done'`) so `plangen pull`
    brings a tick made in Word back. Every check box flows back: what only shows a state
    is a `tick_mark`."""

    def fill(p: Paragraph) -> None:
        p.style = p.part.document.styles["Table Text Centered"]
        p._p.append(content_control(checkbox_props(expr_checked), symbol_run(expr_checked), key))

    return fill


def tick_mark(expr_checked: str) -> Callable[[Paragraph], None]:
    """☒ or ☐ as text, for a choice made in the workbook (not a box to tick in Word)."""

    def fill(p: Paragraph) -> None:
        p.style = p.part.document.styles["Table Text Centered"]
        run = symbol_run(expr_checked).replace("<w:r>", f"<w:r {nsdecls('w')}>", 1)
        p._p.append(parse_xml(run))

    return fill


# ------------------------------------------------------------------ content controls
# Self-contained pieces: each returns XML or fills a paragraph. A control whose value
# flows back (`plangen pull`) carries its plangen key (`supports|12|done`: sheet, workbook
# row, field) as its tag and its title; plangen adds a bookmark with the key at render
# time (LibreOffice drops tags and titles, keeps bookmarks).

STATUS_CHOICES = ("Not started", "In progress", "Completed", "Dropped")
TICK_TO_RECORD = (
    "To record a completed support, tick its Done box in Word (or set its Status and date); "
    "plangen pull then brings it into the workbook."
)


def content_control(props: str, content: str, key: str | None = None) -> object:
    """A run-level `<w:sdt>`: `props` (XML inside sdtPr), `content` (runs), keyed by the
    jinja expression `key` (tag and title, and locked against deletion) when given."""
    keyed = ""
    if key is not None:
        value = "{{ " + key + " }}"
        keyed = (  # locked: the control cannot be deleted in Word, its value can be changed
            f'<w:alias w:val="plangen {value}"/><w:tag w:val="plangen {value}"/>'
            '<w:lock w:val="sdtLocked"/>'
        )
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
        '<w:r><w:rPr><w:rStyle w:val="CheckBox"/></w:rPr>'
        f"<w:t>{{% if {expr_checked} %}}☒{{% else %}}☐{{% endif %}}</w:t></w:r>"
    )


def text_run(expr: str) -> str:
    """One run showing the jinja expression `expr` (in its paragraph's style)."""
    return f'<w:r><w:t xml:space="preserve">{{{{ {expr} }}}}</w:t></w:r>'


def dropdown_control(key: str, expr: str, choices: tuple[str, ...]) -> object:
    """A drop-down list control showing `expr`, offering `choices`."""
    items = "".join(f'<w:listItem w:displayText="{c}" w:value="{c}"/>' for c in choices)
    return content_control(f"<w:dropDownList>{items}</w:dropDownList>", text_run(expr), key)


def date_control(key: str, expr: str) -> object:
    """A date control showing `expr` (a date as text, never split across lines), "—" when
    it is empty."""
    props = (
        f"{{% if not {expr} %}}<w:showingPlcHdr/>{{% endif %}}"
        '<w:date><w:dateFormat w:val="MMMM d, yyyy"/><w:lid w:val="en-US"/>'
        '<w:storeMappedDataAs w:val="dateTime"/><w:calendar w:val="gregorian"/></w:date>'
    )
    shown = f"({expr} or '—') | replace(' ', '\\u00a0')"
    return content_control(props, text_run(shown), key)


def text_control(key: str, expr: str) -> object:
    """A rich-text control showing `expr` (a note whose edits flow back), "—" when it is
    empty."""
    props = f"{{% if not {expr} %}}<w:showingPlcHdr/>{{% endif %}}<w:richText/>"
    return content_control(props, text_run(f"{expr} or '—'"), key)


def keyed_line(label: str, control: object) -> Callable[[Paragraph], None]:
    """Fill a paragraph with an optional `label` run and a copy of the content `control`
    (a copy each time, so the same filler can fill several rows)."""

    def fill(p: Paragraph) -> None:
        if label:
            p.add_run(label)
        p._p.append(deepcopy(control))

    return fill


def cell_lines(
    lines: Sequence[tuple[str | Callable[[Paragraph], None], str]],
) -> Callable[[Paragraph], None]:
    """Fill a cell with one paragraph per (text or filler, paragraph style)."""

    def fill(first: Paragraph) -> None:
        cell = first._parent
        for index, (content, style) in enumerate(lines):
            p = first if index == 0 else cell.add_paragraph()
            p.style = p.part.document.styles[style]
            if callable(content):
                content(p)
            else:
                p.add_run(content)

    return fill


def status_cell(row: str = "s") -> Callable[[Paragraph], None]:
    """A monitored item's Status drop-down and Completed-on date control (both flow back),
    then its reason dropped or due date (shown only)."""
    status = dropdown_control(
        f"{row}.ref ~ '|status'", f"{row}.status or 'Not started'", STATUS_CHOICES
    )
    done_on = date_control(f"{row}.ref ~ '|completed_on'", f"{row}.completed_on")
    return cell_lines(
        [
            (keyed_line("", status), "Table Text"),
            (keyed_line("Completed on: ", done_on), "Table Note"),
            (f"{{%p if {row}.drop_reason %}}", "Table Text"),
            (f"Reason: {{{{ {row}.drop_reason }}}}", "Table Note"),
            (f"{{%p elif {row}.target_date and not {row}.done %}}", "Table Text"),
            (f"Due {{{{ {row}.target_date | replace(' ', '\\u00a0') }}}}", "Table Note"),
            ("{%p endif %}", "Table Text"),
        ]
    )


def note_control(field: str, row: str = "r") -> Callable[[Paragraph], None]:
    """A review note (`progress`, `adjustments`) in a rich-text control that flows back."""
    return keyed_line("", text_control(f"{row}.ref ~ '|{field}'", f"{row}.{field}"))


def _twips(inches: float) -> int:
    return round(inches * 1440)


def _bookmark(edge: str, ident: int, name: str) -> object:
    name_attr = f' w:name="{name}"' if edge == "Start" else ""
    return parse_xml(f'<w:bookmark{edge} {nsdecls("w")} w:id="{ident}"{name_attr}/>')


def _contents_entry(style_id: str, text: str, mark: str) -> object:
    """One contents line: the heading's text linked to it, a tab, its page number.

    The page number is a PAGEREF field, which LibreOffice works out when it makes the PDF
    and Word updates on opening (`w:dirty`). A Word TOC field would show LibreOffice's
    stale cached numbers in the PDF, so the contents are these lines instead.
    """
    return parse_xml(
        f'<w:p {nsdecls("w")}><w:pPr><w:pStyle w:val="{style_id}"/></w:pPr>'
        f'<w:hyperlink w:anchor="{mark}" w:history="1"><w:r><w:t xml:space="preserve">'
        f"{_escape(text)}</w:t></w:r><w:r><w:tab/></w:r>"
        '<w:r><w:fldChar w:fldCharType="begin" w:dirty="true"/></w:r>'
        f'<w:r><w:instrText xml:space="preserve"> PAGEREF {mark} \\h </w:instrText></w:r>'
        '<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>1</w:t></w:r>'
        '<w:r><w:fldChar w:fldCharType="end"/></w:r></w:hyperlink></w:p>'
    )


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


# ------------------------------------------------------------------ shared sections


def title_block(
    b: Builder,
    title: str,
    rows: list[tuple[str, str]],
    *,
    notice: tuple[str, str] | None = None,
    glance: bool = True,
) -> None:
    """The plan's title, the district, a `notice` (a jinja condition and the headline
    shown when it holds), a table of labelled values, the at-a-glance tiles and the
    contents."""
    b.para(title, "Title")
    b.para("{{ district }}", "Subtitle")
    if notice:
        condition, text = notice
        b.tag(f"{{%p if {condition} %}}")
        b.para(text, "Headline")
        b.tag("{%p endif %}")
    widths = [1.9, BODY_WIDTH - 1.9]
    table = b.table([], widths, look=LABEL_LOOK)
    for label, value in rows:
        b.row(table, [label, value], widths)
    if not glance:
        b.contents_here()
        return
    b.heading("At a glance", 2, numbered=False)
    b.glance(
        [
            (
                "{{ adherence.items_noun|capitalize }} completed",
                "{{ adherence.share }}",
                "{{ adherence.overall.completed }} of {{ adherence.overall.planned }} planned",
            ),
            ("On track", "{{ adherence.on_track }}", "at the latest review"),
            (
                "Next review due",
                "{{ adherence.next_review_due }}",
                "{{ adherence.next_review_name }}",
            ),
            (
                "Past their target date",
                "{{ adherence.overdue_count }}",
                "{% if adherence.overdue_count == 1 %}{{ adherence.item_noun }}{% else %}"
                "{{ adherence.items_noun }}{% endif %} not done in time",
            ),
        ]
    )
    b.contents_here()


STATUS_WIDTH = 1.75


def tracked_table(
    b: Builder, groups: str, text_key: str, text_header: str, extra: list[tuple[str, str, float]]
) -> None:
    """Monitored supports by group: a check box, the support, extra columns, status."""
    text_width = BODY_WIDTH - 0.5 - STATUS_WIDTH - sum(w for _, _, w in extra)
    b.grouped_table(
        groups,
        ["Done", text_header, *[h for h, _, _ in extra], "Status"],
        [0.5, text_width, *[w for _, _, w in extra], STATUS_WIDTH],
        [
            checkbox("s.done", "s.ref ~ '|done'"),
            f"{{{{ s.{text_key} }}}}",
            *[f"{{{{ s.{key} }}}}" for _, key, _ in extra],
            status_cell(),
        ],
    )


def review_log(b: Builder, with_type: bool) -> None:
    """Every review logged: date, (type), on track, progress with accomplishments and
    barriers, adjustments."""
    headers = ["Date", *(["Type"] if with_type else []), "On track", "Progress", "Adjustments"]
    widths = [1.35, *([0.8] if with_type else []), 0.8]
    rest = BODY_WIDTH - sum(widths)
    widths += [round(rest * 0.55, 2), round(rest - round(rest * 0.55, 2), 2)]
    b.loop_table(
        headers,
        widths,
        "r in reviews",
        [
            "{{ r.date }}",
            *(["{{ r.type }}"] if with_type else []),
            "{{ r.on_track }}",
            cell_lines([
                (note_control("progress"), "Table Text"),
                ("{%p if r.accomplishments %}", "Table Text"),
                ("Accomplishments: {{ r.accomplishments }}", "Table Text"),
                ("{%p endif %}", "Table Text"),
                ("{%p if r.barriers %}", "Table Text"),
                ("Barriers: {{ r.barriers }}", "Table Text"),
                ("{%p endif %}", "Table Text"),
            ]),
            cell_lines([(note_control("adjustments"), "Table Text")]),
        ],
    )
    b.none_recorded("reviews", "No review has been logged yet.")


def adherence_section(
    b: Builder,
    kind: PlanKind,
    group: str,
    *,
    item: str = "support",
    name: str = "Adherence",
    blank_before: bool = True,
    next_review: str | None = None,
) -> None:
    """The `name` Summary of how far the monitored items (each an `item`) are done:
    headline, completion by `group` (and by sheet when `kind` monitors several), by SMART
    goal when it has goals, the trend and review history when it logs reviews, the
    required reviews when it has a schedule, and the items past their target date.
    The next review due is shown when the kind requires reviews, or when `next_review`
    names it (a tag, e.g. the plan's own review date)."""
    items = f"{item.capitalize()}s"
    has_goals = any(s.key == "goals" for s in kind.sheets)
    logs_reviews = any(s.key == "reviews" for s in kind.sheets)
    by_sheet = sum(s.tracked for s in kind.sheets) > 1
    if blank_before:  # the kinds whose summary used to start a page keep their empty
        spacer = b.para().paragraph_format  # paragraph, now one point high
        spacer.space_before = spacer.space_after = Pt(0)
        spacer.line_spacing = Pt(1)
    # No page break before the summary: it follows on, so no page is left holding only the
    # end of the section before it (docs/design-notes.md, "Page flow").
    b.heading(f"{name} Summary", numbered=False)
    heads = [  # kept with what follows (Word keeps them with the first chart)
        b.para("{{ adherence.headline }}", "Headline"),
        b.label_value("Figures as of: ", "{{ adherence.as_of }}"),
    ]
    if logs_reviews:
        goals = " for the SMART goals" if has_goals else ""
        heads.append(
            b.label_value(f"On track{goals} (latest review): ", "{{ adherence.on_track }}")
        )
    if kind.schedules and next_review is None:
        next_review = "{{ adherence.next_review }}"
    if next_review:
        heads.append(b.label_value("Next review due: ", next_review))
    for p in heads:
        p.paragraph_format.keep_with_next = True

    if logs_reviews:
        b.heading(f"{name} trend", 2, numbered=False)
        b.para(
            f"{items} completed out of those planned at each review (dots), against the "
            "straight line from the plan's start to 100% at its end.",
            "Intro",
        )
        trend = b.para("{{ adherence.charts.trend }}", "Chart")
        trend.paragraph_format.keep_with_next = False  # a heading follows, not its table

    b.heading(f"Completion by {group.lower()}", 2, numbered=False)
    b.para("{{ adherence.charts.by_group }}", "Chart")
    if by_sheet:
        b.loop_table(
            ["Section", group, "Completed"],
            [2.4, BODY_WIDTH - 2.4 - 1.3, 1.3],
            "g in adherence.by_group",
            ["{{ g.section }}", "{{ g.group }}", "{{ g.fraction }} ({{ g.percent }})"],
            keep=WHOLE,
        )
    else:
        b.loop_table(
            [group, "Completed"],
            [BODY_WIDTH - 1.7, 1.7],
            "g in adherence.by_group",
            ["{{ g.group }}", "{{ g.fraction }} ({{ g.percent }})"],
            keep=WHOLE,
        )

    if has_goals:
        b.heading("Completion by SMART goal", 2, numbered=False)
        b.tag("{%p if adherence.by_goal %}")
        b.para("{{ adherence.charts.by_goal }}", "Chart")
        b.loop_table(
            ["Goal", "Completed"],
            [BODY_WIDTH - 1.3, 1.3],
            "g in adherence.by_goal",
            ["{{ g.goal }}", "{{ g.fraction }} ({{ g.percent }})"],
            keep=WHOLE,
        )
        b.tag("{%p else %}")
        b.para(f"No {item} names a SMART goal.")
        b.tag("{%p endif %}")

    if logs_reviews:
        b.heading("Review history", 2, numbered=False)
        b.para(f"{items} completed by the date of each review.", "Intro")
        b.loop_table(
            ["Date", "Type", "Completed", "On track", "Adjustments"],
            [1.25, 0.9, 1.0, 0.8, BODY_WIDTH - 3.95],
            "r in adherence.reviews",
            [
                "{{ r.date }}",
                "{{ r.type }}",
                "{{ r.fraction }} ({{ r.percent }})",
                "{{ r.on_track }}",
                "{{ r.adjustments }}",
            ],
            keep=WHOLE,
        )
        b.none_recorded("adherence.reviews", "No review has been logged yet.")

    if kind.schedules:
        b.heading("Required reviews", 2, numbered=False)
        b.loop_table(
            ["Review", "Due by", "Held on", "Status"],
            [2.9, 1.5, 1.5, 1.0],
            "s in adherence.schedule",
            ["{{ s.name }}", "{{ s.due }}", "{{ s.held }}", "{{ s.status }}"],
            keep=WHOLE,
        )

    b.heading(f"{items} past their target date", 2, numbered=False)
    b.tag("{%p if adherence.overdue %}")
    b.loop_table(
        [item.capitalize(), group, "Target date", "Days late"],
        [3.3, 1.75, 1.1, 0.75],
        "o in adherence.overdue",
        ["{{ o.support }}", "{{ o.group }}", "{{ o.target_date }}", "{{ o.days_late }}"],
    )
    b.tag("{%p else %}")
    b.para(f"No {item} is past its target date.")
    b.tag("{%p endif %}")
