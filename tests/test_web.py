"""The web app's safety and plumbing, through HTTP (Starlette's TestClient: the real app,
real workbooks, real files); the browser tests are in test_web_browser.py."""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import corpus
import pytest
from conftest import SYSTEM_EXAMPLE
from starlette.testclient import TestClient
from wordedit import WordEdit

from plangen import load
from plangen.kinds import KINDS
from plangen.web import ServeConfig, create_app

EXAMPLE_BYTES = SYSTEM_EXAMPLE.read_bytes()


def client_for(config: ServeConfig) -> TestClient:
    return TestClient(create_app(config), base_url="http://127.0.0.1", follow_redirects=True)


@pytest.fixture
def work(tmp_path: Path) -> Path:
    return tmp_path / "work"


@pytest.fixture
def client(work: Path) -> Iterator[TestClient]:
    with client_for(ServeConfig(workdir=work, pdf=False)) as c:
        yield c


def csrf(client: TestClient) -> str:
    page = client.get("/").text
    found = re.search(r'name="csrf" value="([0-9a-f]+)"', page)
    assert found, page
    return found.group(1)


def send(client: TestClient, name: str, data: bytes, token: str | None = None) -> object:
    return client.post(
        "/plan",
        data={"csrf": csrf(client) if token is None else token},
        files={"workbook": (name, data, "application/octet-stream")},
    )


def files_under(folder: Path) -> list[str]:
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())


def test_the_example_becomes_a_plan_with_its_word_download(client: TestClient) -> None:
    page = send(client, "super_excited_division.xlsx", EXAMPLE_BYTES)
    assert page.status_code == 200
    assert "13/26 coaching supports completed (50%)" in page.text
    docx = client.get(str(page.url) + "/file/docx")
    assert docx.status_code == 200
    assert docx.headers["content-disposition"] == (
        'attachment; filename="super_excited_division.docx"'
    )
    assert docx.content[:2] == b"PK"
    assert "No PDF here: PDF output is turned off for this server." in page.text


def test_another_browser_session_cannot_see_an_upload(client: TestClient, work: Path) -> None:
    page = send(client, "mine.xlsx", EXAMPLE_BYTES)
    with client_for(ServeConfig(workdir=work, pdf=False)) as other:
        assert other.get(str(page.url)).status_code == 404
        assert other.get(str(page.url) + "/file/docx").status_code == 404
    assert client.get(str(page.url) + "/file/docx").status_code == 200


@pytest.mark.parametrize(
    "name", ["../../evil.xlsx", "/etc/passwd", "..\\..\\evil.xlsx", "a\x00b.xlsx", "<b>x</b>.xlsx"]
)
def test_an_uploaded_name_never_becomes_a_path(client: TestClient, work: Path, name: str) -> None:
    page = send(client, name, EXAMPLE_BYTES)
    assert page.status_code == 200
    written = files_under(work)
    assert all(re.fullmatch(r"sessions/[0-9a-f]{32}/[0-9a-f]{32}/[a-z.]+", f) for f in written)
    assert not (work.parent / "evil.xlsx").exists()
    assert "<b>x</b>" not in page.text  # shown as text, escaped


def test_an_upload_over_the_cap_is_refused_in_plain_words(work: Path) -> None:
    with client_for(ServeConfig(workdir=work, pdf=False, max_upload=200_000)) as c:
        page = send(c, "big.xlsx", b"PK" + b"\0" * 300_000)
    assert page.status_code == 413
    assert "Files up to 0.2 MB can be sent here" in page.text
    assert not any(f.endswith("workbook.xlsx") for f in files_under(work))


def test_a_form_without_its_token_or_from_another_site_is_refused(client: TestClient) -> None:
    assert send(client, "a.xlsx", EXAMPLE_BYTES, token="0" * 64).status_code == 403
    other_site = client.post(
        "/plan",
        data={"csrf": csrf(client)},
        files={"workbook": ("a.xlsx", EXAMPLE_BYTES)},
        headers={"origin": "http://evil.example"},
    )
    assert other_site.status_code == 403
    assert "sent from another site" in other_site.text


def test_a_local_server_answers_only_to_local_names(client: TestClient) -> None:
    """A web page elsewhere cannot reach it by pointing its own name at 127.0.0.1."""
    assert client.get("/", headers={"host": "attacker.example"}).status_code == 421


def test_a_non_local_server_needs_its_token(work: Path) -> None:
    config = ServeConfig(host="0.0.0.0", token="right-code", workdir=work, pdf=False)
    with client_for(config) as c:
        assert c.get("/").status_code == 401
        assert c.get("/?token=wrong").status_code == 403
        assert c.get("/?token=right-code").status_code == 200
        assert c.get("/").status_code == 200  # kept in the cookie
    with pytest.raises(ValueError, match="needs an access token"):
        create_app(ServeConfig(host="0.0.0.0", token=None))


def test_errors_are_plain_pages(client: TestClient) -> None:
    for url, status in [("/plan/" + "0" * 32, 404), ("/plan/../../etc/passwd", 404),
                        ("/new/nosuchkind/blank", 404), ("/dashboard", 404)]:  # fmt: skip
        page = client.get(url)
        assert page.status_code == status, url
        assert "Traceback" not in page.text and "<h1>" in page.text
    assert client.get("/plan").status_code == 405


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_start_a_workbook_of_every_kind(client: TestClient, kind: str, tmp_path: Path) -> None:
    blank = client.get(f"/new/{kind}/blank")
    assert blank.status_code == 200
    path = tmp_path / "blank.xlsx"
    path.write_bytes(blank.content)
    assert load(path).plan.kind.name == kind
    example = client.get(f"/new/{kind}/example")
    path.write_bytes(example.content)
    assert load(path).report.valid


def test_temporary_files_go_when_the_server_stops(tmp_path: Path) -> None:
    app = create_app(ServeConfig(pdf=False))
    with TestClient(app, base_url="http://127.0.0.1") as c:
        c.post("/plan", data={"csrf": csrf(c)}, files={"workbook": ("a.xlsx", EXAMPLE_BYTES)})
        root = app.state.workspace.root.parent
        assert files_under(root)
    assert not root.exists()


HOSTILE: list[tuple[Callable[[Path], Path], str]] = [
    (corpus.empty, "the file is empty"),
    (corpus.random_bytes, "is not an .xlsx workbook"),
    (corpus.truncated, "damaged or incomplete"),
    (corpus.old_xls, "old Excel 97-2003 (.xls)"),
    (corpus.csv_renamed, "CSV text"),
    (corpus.password_protected, "protected with a password"),
    (corpus.entity_bomb, "declares XML entities"),
    (corpus.zip_bomb, "refused unread"),
]


@pytest.mark.parametrize(("builder", "phrase"), HOSTILE, ids=lambda c: getattr(c, "__name__", ""))
def test_hostile_uploads_get_a_plain_message(
    client: TestClient, builder: Callable[[Path], Path], phrase: str, tmp_path: Path
) -> None:
    path = builder(tmp_path)
    page = send(client, "plan.xlsx", path.read_bytes())
    assert page.status_code == 200
    assert phrase in page.text
    assert "Traceback" not in page.text and str(tmp_path) not in page.text


def test_text_typed_in_cells_comes_out_literally(client: TestClient, tmp_path: Path) -> None:
    path = corpus.set_cells(tmp_path, {"Plan!B4": "R&D <b>{{ 7*7 }}</b>"})
    page = send(client, "plan.xlsx", path.read_bytes())
    assert "R&amp;D &lt;b&gt;{{ 7*7 }}&lt;/b&gt;" in page.text


def test_the_dashboard_shows_a_plan_edited_in_word(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(SYSTEM_EXAMPLE, folder / "north.xlsx")
    config = ServeConfig(folder=folder, out_dir=tmp_path / "out", workdir=tmp_path / "w", pdf=False)
    app = create_app(config)
    with TestClient(app, base_url="http://127.0.0.1") as c:
        app.state.dashboard.wait(120)
        assert ">built<" in c.get("/dashboard").text
        edit = WordEdit(tmp_path / "out" / "north.docx")
        edit.add_paragraph("A paragraph typed in Word.")
        edit.save()
        assert ">edited in Word<" in c.get("/dashboard").text
        assert c.get("/dashboard?status=edited").text.count("north.xlsx") >= 1
        assert "0 districts" in c.get("/dashboard?status=invalid").text
        edited = (tmp_path / "out" / "north.docx").read_bytes()
        form = c.get("/dashboard").text
        found = re.search(r'name="csrf" value="([0-9a-f]+)"', form)
        assert found
        token = found.group(1)
        c.post("/dashboard/rebuild", data={"csrf": token})
        app.state.dashboard.wait(120)
        assert (tmp_path / "out" / "north.docx").read_bytes() == edited  # kept by default
        c.post("/dashboard/rebuild", data={"csrf": token, "force": "1"})
        app.state.dashboard.wait(120)
        assert ">built<" in c.get("/dashboard").text


def test_serve_on_a_port_in_use_says_so_in_one_line() -> None:
    import socket

    from click.testing import CliRunner

    from plangen.cli import cli

    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = CliRunner().invoke(cli, ["serve", "--port", str(port)])
    assert result.exit_code == 1
    assert result.stderr == (
        f"error: cannot listen on 127.0.0.1:{port} (Address already in use)\n"
        "  hint: another program uses that port: choose another with --port\n"
    )


def test_a_body_over_the_cap_without_a_length_is_cut_off(work: Path) -> None:
    def chunks() -> Iterator[bytes]:
        yield b'--x\r\nContent-Disposition: form-data; name="workbook"; filename="a.xlsx"\r\n\r\n'
        for _ in range(40):
            yield b"\0" * 10_000

    with client_for(ServeConfig(workdir=work, pdf=False, max_upload=200_000)) as c:
        page = c.post(
            "/plan", content=chunks(), headers={"content-type": "multipart/form-data; boundary=x"}
        )
    assert page.status_code == 413
    assert "Files up to 0.2 MB can be sent here" in page.text


def test_without_libreoffice_the_page_says_so_and_gives_the_word_plan(
    work: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PLANGEN_SOFFICE", "no-such-soffice")
    with client_for(ServeConfig(workdir=work)) as c:
        page = send(c, "plan.xlsx", EXAMPLE_BYTES)
        assert c.get(str(page.url) + "/file/docx").status_code == 200
    assert (
        "No PDF here: LibreOffice not found: PLANGEN_SOFFICE=no-such-soffice is not a program "
        "that can be run. The Word plan is complete without it."
    ) in page.text
    assert "Download the PDF" not in page.text


def test_bring_back_word_edits_is_offered_from_every_page(client: TestClient) -> None:
    assert client.get("/pull").status_code == 200
    home = client.get("/").text
    assert '<li><a href="/pull">Bring back Word edits</a></li>' in home
    assert 'its workbook: <a href="/pull">bring back Word edits</a>.' in home


def test_an_unedited_plan_brings_back_nothing(client: TestClient) -> None:
    page = send(client, "plan.xlsx", EXAMPLE_BYTES)
    docx = client.get(str(page.url) + "/file/docx").content
    back = client.post(
        "/pull",
        data={"csrf": csrf(client)},
        files={"plan": ("plan.docx", docx), "workbook": ("plan.xlsx", EXAMPLE_BYTES)},
    )
    assert back.status_code == 200
    assert "0 changes" in back.text and "already holds everything" in back.text


def test_a_libreoffice_ods_workbook_makes_its_plan(client: TestClient, tmp_path: Path) -> None:
    import subprocess

    from plangen.pdf.convert import find_soffice

    profile = (tmp_path / "profile").as_uri()
    subprocess.run(
        [find_soffice(), "--headless", f"-env:UserInstallation={profile}", "--convert-to",
         "ods", "--outdir", str(tmp_path), str(SYSTEM_EXAMPLE)],
        check=True, capture_output=True,
    )  # fmt: skip
    ods = tmp_path / "super_excited_division.ods"
    page = send(client, "district.ods", ods.read_bytes())
    assert "13/26 coaching supports completed (50%)" in page.text
