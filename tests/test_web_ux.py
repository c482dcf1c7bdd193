"""The page as coordinators and TA staff meet it (issue 24), through HTTP with Starlette's
TestClient where no browser is needed: messages that lead with the fix, dates as people
type them, page words instead of terminal words, the right next step for a wrong file."""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import corpus
import pytest
from click.testing import CliRunner
from conftest import DISTRICT_EXAMPLE, SYSTEM_EXAMPLE
from starlette.testclient import TestClient
from wordedit import WordEdit

import plangen
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


# ------------------------------------------------------------ 2. words of the page


def test_the_blank_workbook_says_the_page_first_and_the_command_second(
    client: TestClient, tmp_path: Path
) -> None:
    from openpyxl import load_workbook

    saved = tmp_path / "blank.xlsx"
    saved.write_bytes(client.get("/new/system/blank").content)
    sheet = load_workbook(saved)["Instructions"]  # the steps are in column B, by row
    lines = [str(c.value) for row in sheet.iter_rows() for c in row if c.value]
    check = next(line for line in lines if "plangen validate" in line)
    assert check.index('"Make a plan"') < check.index("plangen validate")
    assert not any(line.startswith(("Check your work with:", "Build the")) for line in lines)


def test_no_terminal_words_on_the_word_edits_page_or_the_dashboard(tmp_path: Path) -> None:
    folder = tmp_path / "workbooks"
    folder.mkdir()
    shutil.copy(SYSTEM_EXAMPLE, folder / "sed.xlsx")
    config = ServeConfig(folder=folder, out_dir=tmp_path / "plans", workdir=tmp_path / "w")
    with TestClient(create_app(config), base_url="http://127.0.0.1") as c:
        assert "plangen pull" not in page_text(c.get("/pull").text)
        assert "plangen batch" not in page_text(c.get("/dashboard").text)


# ------------------------------------------------------------ 3. the right next step


@pytest.fixture
def built(tmp_path: Path) -> Path:
    """The Word plan of the System example, as plangen builds it."""
    out = tmp_path / "super_excited_division.docx"
    plangen.write(load(SYSTEM_EXAMPLE), out)
    return out


def pull_page(client: TestClient, plan: Path, book: Path) -> TestClient:
    return client.post(
        "/pull",
        data={"csrf": csrf(client, "/pull")},
        files={
            "plan": (plan.name, plan.read_bytes(), "application/octet-stream"),
            "workbook": (book.name, book.read_bytes(), "application/octet-stream"),
        },
    )


def test_a_word_plan_sent_to_make_a_plan_points_to_bring_back_word_edits(
    client: TestClient, built: Path
) -> None:
    html = send(client, built)
    text = page_text(html)
    assert "super_excited_division.docx is a Word document, not a workbook" in text
    assert "zip file" not in text
    assert re.search(r'<a href="/pull">Bring back Word edits</a> puts', html)
    assert 'action="/plan"' in html  # the upload box to try again


def test_swapped_files_on_the_word_edits_page_say_which_goes_where(
    client: TestClient, built: Path
) -> None:
    text = page_text(pull_page(client, SYSTEM_EXAMPLE, built).text)
    assert (
        f"The two files are swapped: {SYSTEM_EXAMPLE.name} is the workbook, so it goes in "
        "the second box (Its workbook), and super_excited_division.docx, the Word plan, "
        "goes in the first (The plan edited in Word)."
    ) in text
    assert "document.xml" not in text


def test_another_districts_workbook_names_both_districts(
    client: TestClient, built: Path
) -> None:
    text = page_text(pull_page(client, built, DISTRICT_EXAMPLE).text)
    assert (
        'super_excited_division.docx is the system plan of "Super Excited Division", but '
        f'{DISTRICT_EXAMPLE.name} holds the district plan of "Maple Grove Public Schools"; '
        'pair it with the workbook of "Super Excited Division" (nothing was pulled)'
    ) in text
    assert "workbook.xlsx" not in text


# ------------------------------------------------------------ 4. Word edits end to end


def test_word_edits_give_an_updated_workbook_and_its_plan_beside_the_old_figures(
    client: TestClient, built: Path
) -> None:
    from wordedit import WordEdit

    edit = WordEdit(built)
    edit.tick("supports|13|done")
    edit.type_text("supports|13|completed_on", "February 1, 2023")
    edit.save()
    page = pull_page(client, built, SYSTEM_EXAMPLE)
    name = f"super_excited_division.updated-{date.today().isoformat()}.xlsx"
    assert f"The updated workbook is named {name}" in page_text(page.text)
    job = re.search(r'/pull/([0-9a-f]{32})/workbook', page.text)
    assert job
    download = client.get(f"/pull/{job.group(1)}/workbook")
    assert f'filename="{name}"' in download.headers["content-disposition"]
    plan = client.post(f"/pull/{job.group(1)}/plan", data={"csrf": csrf(client, "/pull")})
    rows = re.findall(
        r"<tr[^>]*><th scope=\"row\">([^<]+)</th><td>([^<]*)</td><td>([^<]*)",
        plan.text.split('id="compare"')[1].split("</table>")[0],
    )
    assert ("Coaching supports completed", "13/26", "14/26 ") in rows
    assert "super_excited_division.updated-" in page_text(plan.text)


# ------------------------------------------------------------ 6. every page has a way on


def test_a_district_edited_in_word_says_so_and_what_to_do_with_a_way_back(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(SYSTEM_EXAMPLE, folder / "north.xlsx")
    config = ServeConfig(folder=folder, out_dir=tmp_path / "out", workdir=tmp_path / "w", pdf=False)
    app = create_app(config)
    with TestClient(app, base_url="http://127.0.0.1") as c:
        app.state.dashboard.wait(120)
        page = c.get("/dashboard/plan?name=north.xlsx").text
        assert "edited-in-word" not in page
        assert '<a class="button secondary" href="/dashboard">Back to the dashboard</a>' in page
        edit = WordEdit(tmp_path / "out" / "north.docx")  # a change of content, as Word saves it
        edit.add_paragraph("A paragraph typed in Word.")
        edit.save()
        text = page_text(c.get("/dashboard/plan?name=north.xlsx").text)
        assert "edited in Word This plan was changed in Word after it was built." in text
        assert "use Bring back Word edits with the plan and its workbook (north.xlsx)" in text


def test_the_error_page_has_the_upload_box(client: TestClient) -> None:
    page = client.post(
        "/plan",
        data={"csrf": csrf(client)},
        files={"workbook": ("", b"", "application/octet-stream")},
    )
    assert "No workbook chosen" in page.text
    assert re.search(r'<form method="post" action="/plan"[^>]*>', page.text)
    assert '<input id="workbook" name="workbook" type="file"' in page.text
