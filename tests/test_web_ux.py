"""The page as coordinators and TA staff meet it (issue 24), through HTTP with Starlette's
TestClient where no browser is needed: messages that lead with the fix, dates as people
type them, page words instead of terminal words, the right next step for a wrong file."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import corpus
import pytest
from click.testing import CliRunner
from starlette.testclient import TestClient

from plangen import load
from plangen.cli import cli
from plangen.web import ServeConfig, create_app


@pytest.fixture
def client(tmp_path: Path) -> Iterator[TestClient]:
    app = create_app(ServeConfig(workdir=tmp_path / "work", pdf=False))
    with TestClient(app, base_url="http://127.0.0.1", follow_redirects=True) as c:
        yield c


def csrf(client: TestClient, path: str = "/") -> str:
    found = re.search(r'name="csrf" value="([0-9a-f]+)"', client.get(path).text)
    assert found
    return found.group(1)


def send(client: TestClient, path: Path, name: str | None = None) -> str:
    page = client.post(
        "/plan",
        data={"csrf": csrf(client)},
        files={"workbook": (name or path.name, path.read_bytes(), "application/octet-stream")},
    )
    return page.text


def page_text(html: str) -> str:
    """The words of a page as a reader sees them (tags dropped, entities decoded)."""
    import html as html_lib

    return " ".join(html_lib.unescape(re.sub(r"<[^>]+>", " ", html)).split())


# ------------------------------------------------------------ 1. messages lead with the fix


def test_an_off_list_value_says_the_closest_first_in_command_page_and_json(
    client: TestClient, tmp_path: Path
) -> None:
    path = corpus.set_cells(tmp_path, {"Supports!D4": "Finished"})
    expected = 'Status: did you mean "Completed"? "Finished" is not one of its 4 choices'
    command = CliRunner().invoke(cli, ["validate", str(path)])
    assert f"Supports!D4: {expected}\n" in command.stderr
    assert "Not started" not in command.stderr  # the list only when nothing is close
    as_json = json.loads(CliRunner().invoke(cli, ["validate", "--json", str(path)]).stdout)
    assert [i["message"] for i in as_json["errors"]] == [expected]
    assert expected in page_text(send(client, path))


def test_the_whole_list_only_when_nothing_is_close(tmp_path: Path) -> None:
    path = corpus.set_cells(tmp_path, {"Supports!D4": "banana"})
    assert [str(i) for i in load(path).report.errors] == [
        "Supports!D4: Status: expected one of Not started, In progress, Completed, Dropped; "
        'got "banana"'
    ]


@pytest.mark.parametrize(
    "typed",
    ["Sept 15, 2025", "Sept. 15, 2025", "15 Sept 2025", "sept 15 2025", "15-Sep-2025",
     "September 15th, 2025", "SEPT. 15, 2025", "15th Sept. 2025"],
)  # fmt: skip
def test_dates_as_people_type_them_read_in_a_workbook(tmp_path: Path, typed: str) -> None:
    loaded = load(corpus.set_cells(tmp_path, {"Supports!E4": typed}))
    assert loaded.valid, [str(i) for i in loaded.report.errors]
    assert loaded.plan.tables["supports"][0].values["target_date"] == date(2025, 9, 15)


def test_a_date_that_does_not_read_says_which_forms_work(tmp_path: Path) -> None:
    loaded = load(corpus.set_cells(tmp_path, {"Supports!E4": "Septober 15, 2025"}))
    assert [str(i) for i in loaded.report.errors] == [
        "Supports!E4: Target date: expected a date like 2025-09-15, Sept 15, 2025 or "
        '15 Sept 2025; got "Septober 15, 2025"'
    ]
