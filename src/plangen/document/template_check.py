"""Checking a Word template without rendering it (`plangen template check`, and every
build with a custom template).

Finds jinja syntax errors (quoting the paragraph they are in), names the plan kind does
not provide, and tags split across runs of differently formatted text. The trial render
of the kind's example that follows is `pipeline.check_template`.
"""

from __future__ import annotations

import functools
import re
import zipfile
from pathlib import Path
from typing import Any

import jinja2
from jinja2 import meta

from plangen.document.render import make_environment
from plangen.document.tags import patch_xml
from plangen.document.template_package import TEXT_PART, check_template_file, outside_references
from plangen.errors import TemplateProblem
from plangen.package_safety import XmlRefused, parse_xml
from plangen.schema import PlanKind

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_PARTS = TEXT_PART
_TAG = re.compile(r"\{[{%].*?[}%]\}|\{[{%]", re.S)


def template_parts(path: Path) -> dict[str, str]:
    """The XML of each part of a .docx that holds text (body, headers, footers, notes)."""
    try:
        with zipfile.ZipFile(path) as zf:
            return {n: zf.read(n).decode("utf-8") for n in zf.namelist() if _PARTS.fullmatch(n)}
    except (OSError, zipfile.BadZipFile, UnicodeDecodeError) as exc:
        raise TemplateProblem(f"{path}: is not a Word .docx template ({exc})") from None


def _quote(text: str, limit: int = 70) -> str:
    text = " ".join(text.split())
    return f'"{text}"' if len(text) <= limit else f'"{text[: limit - 1]}…"'


def split_tags(path: Path, parts: dict[str, str]) -> list[str]:
    """A line for each `{{ … }}` / `{% … %}` whose text is spread over several runs."""
    problems = []
    for name, xml in parts.items():
        try:
            root = parse_xml(xml.encode("utf-8"))
        except XmlRefused as exc:
            problems.append(f"{path}: part {name} {exc}")
            continue
        for p in root.iter(f"{W}p"):
            runs = [t.text or "" for t in p.iter(f"{W}t")]
            text = "".join(runs)
            if "{" not in text:
                continue
            ends, total = [], 0
            for run in runs:
                total += len(run)
                ends.append(total)
            for m in _TAG.finditer(text):
                first = next(i for i, end in enumerate(ends) if end > m.start())
                last = next(i for i, end in enumerate(ends) if end >= m.end())
                if first != last:
                    problems.append(
                        f"{path}: the tag {_quote(m.group(), 40)} in {_quote(text)} is split "
                        "across runs of text; retype it in one go, with no formatting change "
                        "inside, or paste it as plain text"
                    )
    return problems


def _patched(parts: dict[str, str]) -> dict[str, str]:
    return {name: re.sub(r"<w:p([ >])", r"\n<w:p\1", patch_xml(xml)) for name, xml in parts.items()}


def syntax_and_names(
    path: Path, parts: dict[str, str], env: jinja2.Environment, known: set[str], kind: str
) -> list[str]:
    """Lines for jinja syntax errors (with their paragraph) and names `known` lacks."""
    problems: list[str] = []
    unknown: set[str] = set()
    for xml in _patched(parts).values():
        try:
            parsed = env.parse(xml)
        except jinja2.TemplateSyntaxError as exc:
            lines = xml.splitlines()
            line = lines[exc.lineno - 1] if 0 < exc.lineno <= len(lines) else ""
            where = _quote(re.sub(r"<[^>]+>", "", line))
            problems.append(f"{path}: syntax error in {where}: {exc.message}")
            continue
        unknown |= meta.find_undeclared_variables(parsed)
    for name in sorted(unknown - known - set(env.globals)):
        problems.append(
            f"{path}: {name!r} is not a value of a {kind} plan (see `plangen fields {kind}`)"
        )
    return problems


def preflight(path: Path, kind: PlanKind, context: dict[str, Any]) -> list[str]:
    """Every problem found without rendering: syntax errors, unknown names, split tags.

    Remembered while the file is unchanged, so a batch checks its template once.
    """
    try:
        stamp = Path(path).stat().st_mtime_ns
    except OSError as exc:
        raise TemplateProblem(f"{path}: cannot be read ({exc.strerror})") from None
    check_template_file(path)
    return list(_preflight(str(path), stamp, kind.name, frozenset(context)))


@functools.lru_cache(maxsize=16)
def _preflight(path: str, stamp: int, kind: str, known: frozenset[str]) -> tuple[str, ...]:
    parts = template_parts(Path(path))
    problems = syntax_and_names(Path(path), parts, make_environment(), set(known), kind)
    reaching = outside_references(Path(path))
    return tuple(problems + split_tags(Path(path), parts) + reaching)
