"""plangen: Coaching Service Delivery Plans from Excel workbooks.

The library (see docs/library.md); the `plangen` command is a thin layer over it::

    import plangen

    loaded = plangen.load("input_examples/super_excited_division.xlsx")
    if loaded.valid:
        plangen.write(loaded, "output/super_excited_division.docx")

The names below are imported on first use, so `import plangen` (and the command's
start) stays fast.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

from plangen.version import __version__

if TYPE_CHECKING:
    from plangen.batch.operation import BatchRefused, BatchResult, run_batch
    from plangen.document.template_fields import TemplateField
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
    from plangen.figures.plan_calendar import plan_calendar
    from plangen.kinds import KINDS, example_workbook, get_kind
    from plangen.next_year import roll_forward
    from plangen.pdf.convert import to_pdf
    from plangen.pipeline import (
        Built,
        Loaded,
        build,
        check_template,
        export_calendar,
        list_fields,
        load,
        output_path,
        status,
        write,
    )
    from plangen.roundtrip.protect import EditedPlan
    from plangen.roundtrip.pull import PullRefused, PullResult, pull, pull_folders
    from plangen.schema import PlanKind
    from plangen.starters import export_template, new_workbook

_EXPORTS: dict[str, str] = {
    **dict.fromkeys(("BatchRefused", "BatchResult", "run_batch"), "plangen.batch.operation"),
    **dict.fromkeys(
        (
            "ConversionError",
            "InvalidPlan",
            "Issue",
            "OutputError",
            "PlangenError",
            "Report",
            "Severity",
            "TemplateProblem",
            "WorkbookError",
        ),
        "plangen.errors",
    ),
    **dict.fromkeys(("KINDS", "example_workbook", "get_kind"), "plangen.kinds"),
    "to_pdf": "plangen.pdf.convert",
    "export_calendar": "plangen.pipeline",
    "plan_calendar": "plangen.figures.plan_calendar",
    "roll_forward": "plangen.next_year",
    **dict.fromkeys(
        (
            "Built",
            "Loaded",
            "build",
            "check_template",
            "load",
            "output_path",
            "status",
            "write",
        ),
        "plangen.pipeline",
    ),
    "EditedPlan": "plangen.roundtrip.protect",
    **dict.fromkeys(
        ("PullRefused", "PullResult", "pull", "pull_folders"), "plangen.roundtrip.pull"
    ),
    "PlanKind": "plangen.schema",
    "export_template": "plangen.starters",
    "new_workbook": "plangen.starters",
    "TemplateField": "plangen.document.template_fields",
    "list_fields": "plangen.pipeline",
}

__all__ = [
    "KINDS",
    "BatchRefused",
    "BatchResult",
    "Built",
    "ConversionError",
    "EditedPlan",
    "InvalidPlan",
    "Issue",
    "Loaded",
    "OutputError",
    "PlanKind",
    "PlangenError",
    "PullRefused",
    "PullResult",
    "Report",
    "Severity",
    "TemplateField",
    "TemplateProblem",
    "WorkbookError",
    "__version__",
    "build",
    "check_template",
    "example_workbook",
    "export_calendar",
    "export_template",
    "get_kind",
    "list_fields",
    "load",
    "new_workbook",
    "output_path",
    "plan_calendar",
    "pull",
    "pull_folders",
    "roll_forward",
    "run_batch",
    "status",
    "to_pdf",
    "write",
]


def __getattr__(name: str) -> Any:
    """Import a public name's module the first time the name is used."""
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'plangen' has no attribute {name!r}")
    value = getattr(import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_EXPORTS})
