"""Rendering a plan into a Word document with docxtpl, safely.

Templates are rendered in a sandboxed jinja environment with strict undefined values and
autoescape on, so text typed in a workbook (`R&D <b>`, `{{ 7*7 }}`) comes out literally.
The document is written to a temporary file and renamed, so a failure leaves nothing.
"""

from __future__ import annotations

import contextlib
import functools
import io
import re
from collections.abc import Iterator
from copy import deepcopy
from datetime import date, datetime, timezone
from importlib import resources
from pathlib import Path
from typing import Any

import jinja2
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.part import XmlPart
from docx.oxml.parser import element_class_lookup
from docxtpl import DocxTemplate
from jinja2.sandbox import SecurityError
from lxml import etree

from plangen.document import charts, sandbox
from plangen.document.context import build_context
from plangen.document.sandbox import (
    PlanSandbox,
    RenderTimeout,
    RenderTooBig,
    deadline,
    time_limit,
)
from plangen.document.tags import patch_xml
from plangen.document.template_package import outside_references
from plangen.errors import PlangenError, TemplateProblem
from plangen.figures.adherence import Summary
from plangen.files import atomic_write
from plangen.model import Plan
from plangen.roundtrip.record import record_of, stamp


def make_environment() -> jinja2.Environment:
    """The jinja environment every template renders in: hardened sandbox (sandbox.py)."""
    return _CompiledOnce()


class _CompiledOnce(PlanSandbox):
    """The sandboxed environment, compiling each distinct template text once (a batch
    renders the same template parts for every plan; compiling is half the render time)."""

    def from_string(self, source: Any, globals: Any = None, template_class: Any = None) -> Any:
        if globals is not None or template_class is not None or not isinstance(source, str):
            return super().from_string(source, globals, template_class)
        cache: dict[str, Any] = self.__dict__.setdefault("_compiled", {})
        if source not in cache:
            if len(cache) >= 32:
                cache.clear()
            cache[source] = super().from_string(source)
        return cache[source]


@functools.cache
def _shared_environment() -> jinja2.Environment:
    """One environment per process, so its compiled templates are reused."""
    return make_environment()


def default_template(kind_template: str) -> Path:
    """The path of a built-in template file, e.g. `system.docx`."""
    return Path(str(resources.files("plangen") / "templates" / kind_template))


_PATCHED: dict[str, str] = {}
_PARAGRAPH = re.compile(r"<w:p(?: [^>]*)?>.*?</w:p>", re.DOTALL)
_LISTING = re.compile("[\t\a\n\f]")
"""What docxtpl's listing turns into Word: tabs, paragraph marks, line and page breaks."""
_NOTES = tuple(
    f"application/vnd.openxmlformats-officedocument.wordprocessingml.{kind}+xml"
    for kind in ("footnotes", "endnotes")
)


_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_WP = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}"
_BODY_START = re.compile(r"<w:body((?:\s+xmlns:\w+=\"[^\"]*\")*)\s*>")
_XMLNS = re.compile(r'xmlns:(\w+)="([^"]*)"')
_DOCX_PARSER = etree.XMLParser(
    recover=True, resolve_entities=False, no_network=True, huge_tree=False
)
"""docxtpl's parser of a rendered body (recovering), with python-docx's element classes."""
_DOCX_PARSER.set_element_class_lookup(element_class_lookup)


def _tables_to_fix(root: Any) -> bool:
    """True when docxtpl's `fix_tables` would change a table of `root`: a row with more
    cells than the grid has columns, or a grid wider than its widest row."""
    for table in root.iter(f"{_W}tbl"):
        grid = table.find(f"{_W}tblGrid")
        if grid is None:
            return True
        columns = len(grid.findall(f"{_W}gridCol"))
        widest = spanned = 0
        for row in table.iter(f"{_W}tr"):
            cells = row.findall(f"{_W}tc")
            widest = max(widest, len(cells))
            span = 0
            for cell in cells:
                found = cell.find(f"{_W}tcPr/{_W}gridSpan")
                span += int(found.get(f"{_W}val")) if found is not None else 1
            spanned = max(spanned, span)
        if widest > columns or spanned < columns:
            return True
    return False


class _OnceTemplate(DocxTemplate):
    """DocxTemplate whose every text part (body, headers, footers, footnotes, endnotes)
    is rendered once, held to its size cap, and parsed into its tree while the render's
    time and memory limits (`template_limits`) still watch.

    docxtpl renders footnotes again for every section (so a value such as `{{ 7*7 }}`
    typed in a cell would be evaluated on the second pass), leaves endnotes unrendered,
    and keeps the footnotes as text that was parsed only when the document was saved,
    after the limits had ended.
    """

    def render_init(self) -> None:
        """docxtpl's start of a render, and the count of characters rendered so far."""
        super().render_init()
        self._rendered = 0

    def render_xml_part(self, src_xml: str, part: Any, context: Any, jinja_env: Any = None) -> str:
        """docxtpl's render of one part, its output held to `sandbox.MAX_OUTPUT`
        characters for the body, `MAX_PART_OUTPUT` for any other part, and
        `MAX_TOTAL_OUTPUT` for all parts together."""
        body = part is self.docx._part
        limit = sandbox.MAX_OUTPUT if body else sandbox.MAX_PART_OUTPUT
        name = str(part.partname).lstrip("/")
        with sandbox.output_limit(limit, name):
            xml = super().render_xml_part(src_xml, part, context, jinja_env)
        self._rendered += len(xml)
        if self._rendered > sandbox.MAX_TOTAL_OUTPUT:
            raise SecurityError(
                f"the template renders more than {sandbox.MAX_TOTAL_OUTPUT:,} characters in "
                f"all (at {name})"
            )
        return xml

    def fix_tables(self, xml: str) -> Any:
        """docxtpl's parse of the rendered body (and its fix of tables whose columns a
        `{%tc %}` loop changed), then the memory checked at once.

        When no table needs that fix (every plan of the built-in templates), the body is
        parsed inside a copy of the document's own root instead, which then replaces the
        root (`map_tree`): the same document, without docxtpl's move of every element
        from one XML document into another (a third of the render's time)."""
        root = self._in_own_root(xml)
        if root is not None and not _tables_to_fix(root):
            tree = root.find(f"{_W}body")
        else:
            tree = super().fix_tables(xml)
        sandbox.check_memory()
        return tree

    def _in_own_root(self, body_xml: str) -> Any:
        """The document's root element holding `body_xml` as its body, parsed as
        python-docx parses; None when the body's start tag is not the plain one."""
        start = _BODY_START.match(body_xml)
        root = self.docx._element
        if start is None or any(
            root.nsmap.get(prefix) != uri for prefix, uri in _XMLNS.findall(start.group(1))
        ):
            return None
        if root.find(f"{_W}body") is None:
            return None
        # The root's start and end tags around an empty body, from a shell of the root:
        # taking the body out of the root itself would make lxml walk all of it twice.
        shell = root.makeelement(root.tag, root.attrib, nsmap=root.nsmap)
        for child in root:
            shell.append(
                root.makeelement(f"{_W}body") if child.tag == f"{_W}body" else deepcopy(child)
            )
        head, found, tail = etree.tostring(shell, encoding="unicode").partition("<w:body/>")
        if not found:
            return None
        return etree.fromstring(head + "<w:body>" + body_xml[start.end():] + tail, _DOCX_PARSER)

    def fix_docpr_ids(self, tree: Any) -> None:
        """docxtpl's renumbering of every drawing's id (`//wp:docPr`, in document order),
        for a tree of either parser."""
        for element in tree.getroottree().getroot().iter(f"{_WP}docPr"):
            self.docx_ids_index += 1
            element.attrib["id"] = str(self.docx_ids_index)

    def map_tree(self, tree: Any) -> None:
        """docxtpl's placing of the rendered body; a body parsed in a copy of the root
        (`fix_tables`) brings its root along instead."""
        new_root = tree.getparent()
        if new_root is None or new_root is self.docx._element:
            super().map_tree(tree)
            return
        self.docx._part._element = new_root
        self.docx._element = new_root
        self.docx._Document__body = None  # python-docx makes it again from the new root

    def map_headers_footers_xml(self, relKey: str, xml: str) -> None:
        """docxtpl's parse of a rendered header or footer, then the memory checked."""
        super().map_headers_footers_xml(relKey, xml)
        sandbox.check_memory()

    def patch_xml(self, src_xml: str) -> str:
        """docxtpl's tag clean-up of a part's XML, done once per distinct XML text."""
        if src_xml not in _PATCHED:
            if len(_PATCHED) >= 32:
                _PATCHED.clear()
            _PATCHED[src_xml] = patch_xml(src_xml)
        return _PATCHED[src_xml]

    def resolve_listing(self, xml: str) -> str:
        """docxtpl's listing (a line break typed in a cell becomes a Word line break),
        applied only to the paragraphs that hold such a character: the same result, in a
        tenth of the time."""
        if not _LISTING.search(xml):
            return xml
        return _PARAGRAPH.sub(self._listing_of, xml)

    def _listing_of(self, paragraph: re.Match[str]) -> str:
        text = paragraph.group(0)
        return super().resolve_listing(text) if _LISTING.search(text) else text

    def render_footnotes(self, context: dict[str, Any], jinja_env: Any = None) -> None:
        """Render the footnotes and endnotes once each, and parse them into parts with
        trees now (the body's relationship re-pointed, as docxtpl does for headers)."""
        for rel in list(self.docx.part.rels.values()):
            if rel.is_external or rel.target_part.content_type not in _NOTES:
                continue
            part = rel.target_part
            blob = part.blob.decode("utf-8") if isinstance(part.blob, bytes) else part.blob
            xml = self.render_xml_part(self.patch_xml(blob), part, context, jinja_env)
            rendered = XmlPart.load(
                part.partname, part.content_type, xml.encode("utf-8"), part.package
            )
            for inner in part.rels.values():
                rendered.load_rel(inner.reltype, inner._target, inner.rId, inner.is_external)
            rel._target = rendered
            sandbox.check_memory()


def render_plan(
    plan: Plan,
    summary: Summary,
    output: Path,
    template: Path | None = None,
    workbook_name: str | None = None,
) -> Path:
    """Render `plan` and its adherence `summary` into `output` (.docx); return `output`.

    The document carries plangen's record of what it holds (`docrecord`): built from
    `workbook_name` (default: the workbook's file name), and a fingerprint of its content.
    """
    template_path = template or default_template(plan.kind.template)
    context = build_context(plan, summary)
    marks = charts.markers()
    context["adherence"]["charts"] = marks
    with template_limits(template_path, template):
        doc = load_template(template_path)
        doc.render(context, _shared_environment(), autoescape=True)
    specs = charts.plan_charts(summary, plan.start, plan.end, charts.accent_colour(doc.docx))
    charts.place_charts(doc.docx, marks, specs)
    district = context.get("district") or ""
    set_properties(
        doc.docx,
        fit(f"{plan.kind.title}: {district}" if district else plan.kind.title, MAX_PROPERTY_CHARS),
        fit(plan.kind.title, MAX_PROPERTY_CHARS),
    )
    stamp(doc.docx, record_of(plan, workbook_name or plan.source.name, date.today()))
    with atomic_write(output) as tmp:
        doc.save(tmp)
        if template is not None:  # what a custom template built may reach outside
            reaching = outside_references(tmp)
            if reaching:
                raise TemplateProblem(
                    "\n".join(line.replace(str(tmp), str(template_path)) for line in reaching)
                )
    return output


@contextlib.contextmanager
def template_limits(template_path: Path, template: Path | None) -> Iterator[None]:
    """Run the block (checking, compiling and rendering `template_path`) under the time
    and memory limits; any failure becomes one error: a TemplateProblem naming a custom
    `template`, or, for the built-in one (`template` None), the plan's data blamed."""
    seconds = time_limit()
    try:
        with deadline(seconds):
            yield
    except RenderTimeout:
        why = f"the template did not finish within {seconds:g} seconds"
        if template is not None:
            why += " (an endless loop or a recursive macro?)"
        raise _render_failure(template, template_path, why) from None
    except RenderTooBig:
        why = f"the template used more than {sandbox.MAX_MEMORY // 2**20:,} MB of memory"
        raise _render_failure(template, template_path, why + " while rendering; refused") from None
    except PlangenError:
        raise
    except SecurityError as exc:
        raise _render_failure(
            template, template_path, f"the template is not allowed to do this: {exc}"
        ) from None
    except jinja2.TemplateError as exc:
        raise _render_failure(template, template_path, _template_error(exc)) from None
    except Exception as exc:  # a template is code: any failure in it is the template's
        raise _render_failure(
            template,
            template_path,
            f"the template could not be rendered ({type(exc).__name__}: {exc})",
        ) from None


def _render_failure(template: Path | None, path: Path, why: str) -> PlangenError:
    """A failed render: the user's template is blamed, the built-in one never is (a cap
    it hits comes from the plan's data, and only the data can be changed)."""
    if template is not None:
        return TemplateProblem(f"{path}: {why}")
    return PlangenError(
        f"the plan is too large to write with the built-in template ({why})",
        "shorten the longest texts or tables of the workbook",
    )


MAX_PROPERTY_CHARS = 255
"""The longest a document property (title, subject) may be in a .docx."""


def fit(text: str, limit: int) -> str:
    """`text` shortened to `limit` characters, ending in an ellipsis when cut."""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def set_properties(docx: Any, title: str, subject: str) -> None:
    """Make the document's properties true of this plan: its title, plangen as author and
    application, created now; nothing left over from the template (description, keywords,
    thumbnail)."""
    now = datetime.now(timezone.utc).replace(microsecond=0, tzinfo=None)
    props = docx.core_properties
    props.title, props.subject = title, subject
    props.language = document_language(docx)
    props.author = props.last_modified_by = "plangen"
    props.created = props.modified = now
    props.comments = props.keywords = props.category = ""
    props.revision = 1
    package = docx.part.package
    for rel_id, rel in list(package.rels.items()):
        if rel.reltype == RT.THUMBNAIL:
            del package.rels[rel_id]
    for part in package.parts:
        if part.partname == "/docProps/app.xml":
            part._blob = _APP_PROPERTIES


def document_language(docx: Any) -> str:
    """The language the template's styles set for text (`w:docDefaults`), else `en-US`:
    also the package's `dc:language`, so a screen reader picks the right voice."""
    found = docx.styles.element.xpath("w:docDefaults/w:rPrDefault/w:rPr/w:lang/@w:val")
    return str(found[0]) if found else "en-US"


_EXTENDED = "http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"
_APP_PROPERTIES = (
    "<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
    f'<Properties xmlns="{_EXTENDED}"><Application>plangen</Application></Properties>'
).encode()
"""The extended properties of every plan: plangen as the application, and nothing else (a
template's page and word counts, template name or company would be untrue)."""


def load_template(path: Path) -> DocxTemplate:
    """Open a .docx template; TemplateProblem when it is not a Word document."""
    try:
        stat = Path(path).stat()
        data = _template_bytes(str(path), stat.st_mtime_ns, stat.st_size)
        return _OnceTemplate(io.BytesIO(data))
    except Exception as exc:  # python-docx raises several types for a bad package
        raise TemplateProblem(f"{path}: is not a Word .docx template ({exc})") from None


@functools.lru_cache(maxsize=8)
def _template_bytes(path: str, mtime_ns: int, size: int) -> bytes:
    """A template file's bytes, read once per process while the file is unchanged."""
    return Path(path).read_bytes()


def _template_error(exc: jinja2.TemplateError) -> str:
    if isinstance(exc, jinja2.UndefinedError):
        return f"the template uses a value the plan does not have: {exc.message}"
    if isinstance(exc, jinja2.TemplateSyntaxError):
        return f"template syntax error: {exc.message}"
    return f"the template could not be rendered: {exc}"
