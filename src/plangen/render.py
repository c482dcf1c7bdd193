"""Rendering a plan into a Word document with docxtpl, safely.

Templates are rendered in a sandboxed jinja environment with strict undefined values and
autoescape on, so text typed in a workbook (`R&D <b>`, `{{ 7*7 }}`) comes out literally.
The document is written to a temporary file and renamed, so a failure leaves nothing.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import Any

import jinja2
from docxtpl import DocxTemplate
from jinja2.sandbox import ImmutableSandboxedEnvironment

from plangen.adherence import Summary
from plangen.context import build_context
from plangen.errors import TemplateProblem
from plangen.files import atomic_write
from plangen.model import Plan


def make_environment() -> jinja2.Environment:
    """The jinja environment every template renders in: sandboxed, strict, escaping."""
    return ImmutableSandboxedEnvironment(undefined=jinja2.StrictUndefined, autoescape=True)


def default_template(kind_template: str) -> Path:
    """The path of a built-in template file, e.g. `system.docx`."""
    return Path(str(resources.files("plangen") / "templates" / kind_template))


_FOOTNOTES = "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"


class _OnceTemplate(DocxTemplate):
    """DocxTemplate that renders the footnotes part once, not once per section.

    docxtpl renders footnotes again for every section, so a value such as `{{ 7*7 }}`
    typed in a cell would be evaluated on the second pass.
    """

    def render_footnotes(self, context: dict[str, Any], jinja_env: Any = None) -> None:
        for part in self.docx.part.package.parts:
            if part.content_type == _FOOTNOTES:
                blob = part.blob.decode("utf-8") if isinstance(part.blob, bytes) else part.blob
                xml = self.render_xml_part(self.patch_xml(blob), part, context, jinja_env)
                part._blob = xml.encode("utf-8")


def render_plan(plan: Plan, summary: Summary, output: Path, template: Path | None = None) -> Path:
    """Render `plan` and its adherence `summary` into `output` (.docx); return `output`."""
    template_path = template or default_template(plan.kind.template)
    context = build_context(plan, summary)
    doc = load_template(template_path)
    try:
        doc.render(context, make_environment(), autoescape=True)
    except jinja2.TemplateError as exc:
        raise TemplateProblem(f"{template_path}: {_template_error(exc)}") from None
    except Exception as exc:  # a template is code: any failure in it is the template's
        raise TemplateProblem(
            f"{template_path}: the template could not be rendered ({type(exc).__name__}: {exc})"
        ) from None
    district = context.get("district") or ""
    doc.docx.core_properties.title = (
        f"{plan.kind.title}: {district}" if district else plan.kind.title
    )
    doc.docx.core_properties.subject = plan.kind.title
    doc.docx.core_properties.author = "plangen"
    with atomic_write(output) as tmp:
        doc.save(tmp)
    return output


def load_template(path: Path) -> DocxTemplate:
    """Open a .docx template; TemplateProblem when it is not a Word document."""
    try:
        return _OnceTemplate(path)
    except Exception as exc:  # python-docx raises several types for a bad package
        raise TemplateProblem(f"{path}: is not a Word .docx template ({exc})") from None


def _template_error(exc: jinja2.TemplateError) -> str:
    if isinstance(exc, jinja2.UndefinedError):
        return f"the template uses a value the plan does not have: {exc.message}"
    if isinstance(exc, jinja2.TemplateSyntaxError):
        return f"template syntax error: {exc.message}"
    return f"the template could not be rendered: {exc}"
