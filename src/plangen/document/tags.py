"""Jinja tags in a template part's XML, cleaned up so jinja can read them.

docxtpl joins a tag's pieces and turns `&lt;`, `&gt;` and curly quotes back into what the
author typed. LibreOffice also saves `'` as `&apos;` and `"` as `&quot;` in plain text,
which docxtpl leaves: a template saved by LibreOffice would then fail on any quoted
string. Used by rendering and by the template check alike.
"""

from __future__ import annotations

import re

from docxtpl import DocxTemplate

_INSIDE_TAGS = re.compile(r"(?<=\{[\{%])(.*?)(?=[\}%]\})")


def patch_xml(xml: str) -> str:
    """docxtpl's clean-up of a part's XML, and quotes inside tags as typed."""
    patched = DocxTemplate.patch_xml(None, xml)  # it uses no instance state
    return _INSIDE_TAGS.sub(_unquote, patched)


def _unquote(match: re.Match[str]) -> str:
    return match.group(0).replace("&apos;", "'").replace("&quot;", '"')
