"""One summary view: the plan document, `plangen status --json`, `plangen status` and the
web plan page word each figure the same way, for each of the four kinds.

Real example workbooks; the .docx read back with python-docx; the web page through the
real app (Starlette's TestClient); the commands through click.
"""

from __future__ import annotations

import html
import json
import re
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from conftest import example_path
from docx import Document
from starlette.testclient import TestClient

import plangen
from plangen.cli import cli
from plangen.kinds import KINDS
from plangen.web import ServeConfig, create_app

GROUP_WORDS = {
    "system": "level",
    "district": "concept",
    "coaching-system": "role",
    "coaching-action-plan": "area",
}


def docx_text(path: Path) -> str:
    """Every paragraph and table cell of a .docx, one per line."""
    doc = Document(str(path))
    lines = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            lines += [cell.text for cell in row.cells]
    return "\n".join(lines)


def page_text(page: str) -> str:
    """The words of an HTML page, tags dropped, spaces folded."""
    text = re.sub(r"<[^>]+>", " ", page)
    return " ".join(html.unescape(text).split())


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Any:
    work = tmp_path_factory.mktemp("web")
    with TestClient(
        create_app(ServeConfig(workdir=work, pdf=False)),
        base_url="http://127.0.0.1",
        follow_redirects=True,
    ) as c:
        yield c


def web_page(client: TestClient, workbook: Path) -> str:
    form = client.get("/").text
    token = re.search(r'name="csrf" value="([0-9a-f]+)"', form)
    assert token
    page = client.post(
        "/plan",
        data={"csrf": token.group(1)},
        files={"workbook": (workbook.name, workbook.read_bytes(), "application/octet-stream")},
    )
    assert page.status_code == 200
    return page_text(page.text)


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_document_json_terminal_and_web_word_the_figures_alike(
    kind: str, client: TestClient, tmp_path: Path
) -> None:
    workbook = example_path(kind)
    runner = CliRunner()
    figures = json.loads(runner.invoke(cli, ["status", str(workbook), "--json"]).output)
    terminal = " ".join(
        runner.invoke(cli, ["status", str(workbook)], env={"COLUMNS": "200"}).output.split()
    )
    docx = " ".join(docx_text(plangen.build(workbook, tmp_path).docx).split())
    web = web_page(client, workbook)
    words = figures["words"]

    assert words["group"] == GROUP_WORDS[kind]
    assert words["items"] == KINDS[kind].item_noun[1]
    for text in (figures["headline"], words["by_group"], words["percent"]):
        assert text in docx, (text, "document")
        assert text in web, (text, "web page")
    for text in (figures["headline"], words["by_group"]):
        assert text in terminal, (text, "status")
    assert f"Figures as of: {words['as_of']}" in docx
    assert f"as of {words['as_of']}" in web
    # the by-group table is headed by what it groups, never "Level" for another kind
    group_header = words["group"].capitalize()
    assert f"Section {group_header} Completed" in web
    if kind != "system":
        assert "Completion by level" not in web and "Completion by level" not in terminal
    # what an item is called
    assert words["completed"] == f"{words['items'].capitalize()} completed"
    assert f"{words['completed']} {figures['overall']['completed']}/" in web
    if kind != "coaching-system":  # its cover has no figures table
        assert words["completed"] in docx
    if words["items"] != "coaching supports":
        assert "Supports completed" not in web and "Supports overdue" not in web
    # the next review: the same words everywhere, never "None"
    nxt = words["next_review"]
    assert f"Next review due {nxt}" in web
    assert nxt in docx
    if figures["schedule"] or figures["next_review"]:
        assert f"Next review due: {nxt}" in terminal
    glance = web.split("At a glance", 1)[1].split("Your plan", 1)[0]
    assert "None " not in glance + " " and "None." not in glance
    if figures["reviews"]:
        assert f"{words['on_track']}: {figures['on_track']}" in docx
        assert f"{words['on_track']} {figures['on_track']}" in web
        assert f"{words['on_track']}: {figures['on_track']}" in terminal


def test_a_coaching_system_shows_its_review_date_as_the_next_review(
    client: TestClient, tmp_path: Path
) -> None:
    workbook = example_path("coaching-system")
    figures = plangen.status(workbook)
    assert figures["next_review"] == {"name": "Review date", "due": "2025-06-13", "required": False}
    assert figures["words"]["next_review"] == "June 13, 2025"
    web = web_page(client, workbook)
    assert "Next review due June 13, 2025" in web
    assert "Completion by role" in web and "Completion by level" not in web
    assert "Steps completed 4/11" in web and "Supports completed" not in web
    docx = docx_text(plangen.build(workbook, tmp_path).docx)
    assert "Next review due: June 13, 2025" in docx.splitlines()


def test_a_district_plan_groups_by_concept_everywhere(client: TestClient, tmp_path: Path) -> None:
    workbook = example_path("district")
    web = web_page(client, workbook)
    assert "Completion by concept" in web and "Section Concept Completed" in web
    shown = CliRunner().invoke(cli, ["status", str(workbook)], env={"COLUMNS": "200"}).output
    assert "Completion by concept" in shown.splitlines()
