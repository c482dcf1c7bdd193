"""plangen: Coaching Service Delivery Plans from Excel workbooks.

The library (see docs/library.md); the `plangen` command is a thin layer over it::

    import plangen

    loaded = plangen.load("input_examples/maple_grove_public_schools.xlsx")
    if loaded.valid:
        plangen.write(loaded, "output/maple_grove.docx")
"""

from importlib.metadata import PackageNotFoundError, version

from plangen.errors import (
    ConversionError,
    InvalidPlan,
    Issue,
    OutputError,
    PlangenError,
    Report,
    Severity,
    TemplateProblem,
    WorkbookError,
)
from plangen.kinds import KINDS, example_workbook, get_kind
from plangen.pdf import to_pdf
from plangen.pipeline import (
    Built,
    Loaded,
    build,
    check_template,
    load,
    output_path,
    status,
    write,
)
from plangen.schema import PlanKind
from plangen.starters import export_template, new_workbook
from plangen.template_fields import TemplateField, list_fields

try:
    __version__ = version("plangen")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0+unknown"

__all__ = [
    "KINDS",
    "Built",
    "ConversionError",
    "InvalidPlan",
    "Issue",
    "Loaded",
    "OutputError",
    "PlanKind",
    "PlangenError",
    "Report",
    "Severity",
    "TemplateField",
    "TemplateProblem",
    "WorkbookError",
    "__version__",
    "build",
    "check_template",
    "example_workbook",
    "export_template",
    "get_kind",
    "list_fields",
    "load",
    "new_workbook",
    "output_path",
    "status",
    "to_pdf",
    "write",
]
