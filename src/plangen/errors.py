"""Problems found in a workbook, and the exceptions plangen raises.

Problems are data (`Issue`), collected all at once into a `Report`; exceptions carry a
message meant for the user and, where one helps, a hint of what to do next. Nothing here
prints or exits: the CLI decides what the user sees.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from enum import Enum


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True)
class Issue:
    """One problem, located at a sheet and cell (either may be empty for the whole file)."""

    message: str
    sheet: str = ""
    cell: str = ""
    severity: Severity = Severity.ERROR
    code: str = "invalid"

    @property
    def location(self) -> str:
        """`Supports!C7`, `Supports` or `` when the problem concerns the whole file."""
        if self.sheet and self.cell:
            return f"{self.sheet}!{self.cell}"
        return self.sheet

    def __str__(self) -> str:
        return f"{self.location}: {self.message}" if self.location else self.message

    def to_dict(self) -> dict[str, str]:
        data = asdict(self)
        data["severity"] = self.severity.value
        data["location"] = self.location
        return data


def error(message: str, sheet: str = "", cell: str = "", code: str = "invalid") -> Issue:
    return Issue(message, sheet, cell, Severity.ERROR, code)


def warning(message: str, sheet: str = "", cell: str = "", code: str = "warning") -> Issue:
    return Issue(message, sheet, cell, Severity.WARNING, code)


@dataclass
class Report:
    """Every problem found in one workbook."""

    file: str
    kind: str = ""
    issues: list[Issue] = field(default_factory=list)

    @property
    def errors(self) -> list[Issue]:
        return [i for i in self.issues if i.severity is Severity.ERROR]

    @property
    def warnings(self) -> list[Issue]:
        return [i for i in self.issues if i.severity is Severity.WARNING]

    @property
    def valid(self) -> bool:
        return not self.errors

    def to_dict(self) -> dict[str, object]:
        return {
            "file": self.file,
            "kind": self.kind,
            "valid": self.valid,
            "errors": [i.to_dict() for i in self.errors],
            "warnings": [i.to_dict() for i in self.warnings],
        }


class PlangenError(Exception):
    """An error the user can act on; `str()` is the whole message."""

    hint: str = ""

    def __init__(self, message: str, hint: str = "") -> None:
        super().__init__(message)
        if hint:
            self.hint = hint


class WorkbookError(PlangenError):
    """The file cannot be read as a workbook at all."""


class InvalidPlan(PlangenError):
    """The workbook was read but holds errors; `report` lists every one."""

    def __init__(self, report: Report) -> None:
        n = len(report.errors)
        super().__init__(f"{report.file}: {n} problem{'s' if n != 1 else ''} found")
        self.report = report


class TemplateProblem(PlangenError):
    """A Word template is broken or unsafe."""


class OutputError(PlangenError):
    """An output file could not be written."""


class ConversionError(PlangenError):
    """LibreOffice could not turn a document into PDF."""
