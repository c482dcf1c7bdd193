"""The web server and the PDF conversions under attack (issue 22): a page that froze
every user, memory and disk without bounds, PDFs stuck behind one slow document,
LibreOffice outliving plangen, slow clients, planted sessions, links in output folders.

Real servers (`plangen serve` in a process, or uvicorn in a thread), real workbooks,
real LibreOffice, real `kill -9`.
"""

from __future__ import annotations

import datetime
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

import corpus
import httpx
import pytest
from conftest import SYSTEM_EXAMPLE
from openpyxl import load_workbook
from starlette.testclient import TestClient
from web_server import free_port, serving

from plangen.web import ServeConfig, create_app
from plangen.web.server import HEADER_SECONDS

LINUX = pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs Linux /proc")
HAS_OFFICE = shutil.which("soffice") is not None or shutil.which("libreoffice") is not None
OFFICE = pytest.mark.skipif(not HAS_OFFICE, reason="needs LibreOffice")


def many_supports(folder: Path, count: int, status: str, name: str = "big.xlsx") -> Path:
    """The example with `count` more supports; "Completed" ones have no date (a warning
    each), "Not started" ones are plain rows (a long plan, a slow PDF)."""
    book = load_workbook(SYSTEM_EXAMPLE)
    sheet = book["Supports"]
    start = sheet.max_row + 1
    for i in range(count):
        row = (
            "Division Leadership Team",
            f"Support number {i} for the leadership team",
            1,
            status,
            datetime.datetime(2023, 3, 31),
        )
        for col, value in enumerate(row, 1):
            sheet.cell(start + i, col, value)
    target = folder / name
    book.save(target)
    return target


def long_supports(folder: Path, count: int = 1500, chars: int = 20_000) -> Path:
    """The example with `count` supports of `chars` characters each (a 3.4 MB workbook
    holding 30 MB of text) and one bad status: a large plan whose page lists its error."""
    book = load_workbook(SYSTEM_EXAMPLE)
    sheet = book["Supports"]
    start = sheet.max_row + 1
    words = ("coach", "team", "review", "data", "plan", "school", "meeting", "goal")
    for i in range(count):
        text = " ".join(words[(i * 7 + j * 3) % 8] + str(j % 97) for j in range(chars // 8))
        row = (
            "Division Leadership Team",
            text[:chars],
            1,
            "Not started",
            datetime.datetime(2023, 3, 31),
        )
        for col, value in enumerate(row, 1):
            sheet.cell(start + i, col, value)
    sheet.cell(start, 4, "Bogus status")
    target = folder / "long.xlsx"
    book.save(target)
    return target


def csrf_of(page: str) -> str:
    found = re.search(r'name="csrf" value="([0-9a-f]+)"', page)
    assert found, page[:500]
    return found.group(1)


def upload(client: httpx.Client | TestClient, path: Path, name: str | None = None) -> str:
    """Send a workbook from the home page's form; the plan page's URL."""
    token = csrf_of(client.get("/").text)
    sent = client.post(
        "/plan",
        data={"csrf": token},
        files={"workbook": (name or path.name, path.read_bytes())},
        follow_redirects=False,
    )
    assert sent.status_code == 303, sent.text[:500]
    return str(sent.headers["location"])


def marked_processes(mark: str) -> list[int]:
    """Processes (not zombies) whose environment holds `mark`: everything a plangen run
    with that mark started, LibreOffice included, whatever session it moved to."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            if mark.encode() not in (entry / "environ").read_bytes():
                continue
            state = (entry / "stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue
        if state != "Z":
            found.append(int(entry.name))
    return found


def office_processes(mark: str) -> list[int]:
    """The LibreOffice processes among `marked_processes(mark)`."""
    found = []
    for pid in marked_processes(mark):
        try:
            command = Path(f"/proc/{pid}/cmdline").read_bytes()
        except OSError:
            continue
        if b"office" in command or b"uno_convert" in command:
            found.append(pid)
    return found


def wait_until(check: object, seconds: float, step: float = 0.1) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():  # type: ignore[operator]
            return True
        time.sleep(step)
    return bool(check())  # type: ignore[operator]


def peak_kb(pid: int) -> int:
    """The highest resident memory process `pid` has used so far (VmHWM), in KB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    raise AssertionError("no VmHWM")


@contextmanager
def serve_process(
    tmp: Path, *args: str, mark: str = "", pdf: bool = False
) -> Iterator[tuple[subprocess.Popen[str], str, Path]]:
    """A real `plangen serve` in its own process; yield it, the URL it printed and the
    file its stderr goes to. Stopped (and every process it started) at the end."""
    env = dict(os.environ, PLANGEN_TEST_MARK=mark or uuid.uuid4().hex, TMPDIR=str(tmp))
    if not pdf:
        env["PLANGEN_SOFFICE"] = "no-such-office-program"
    port = free_port()
    errors = tmp / "serve.stderr"
    with errors.open("w") as err:
        proc = subprocess.Popen(
            [sys.executable, "-m", "plangen", "serve", "--port", str(port), *args],
            stdout=subprocess.PIPE,
            stderr=err,
            text=True,
            env=env,
            start_new_session=True,
        )
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()
        found = re.search(r"serving (\S+) ", line)
        assert found, (line, errors.read_text())
        url = found.group(1)
        assert wait_until(lambda: _answers(url), 60), errors.read_text()
        yield proc, url, errors
    finally:
        if proc.poll() is None:
            os.kill(proc.pid, signal.SIGKILL)
        proc.wait(30)
        for pid in marked_processes(env["PLANGEN_TEST_MARK"]):
            os.kill(pid, signal.SIGKILL)


def _answers(url: str) -> bool:
    try:
        return httpx.get(url, timeout=5).status_code in (200, 401)
    except httpx.HTTPError:
        return False


# 1. One upload froze the server for everyone -----------------------------------------


def test_thousands_of_warnings_never_freeze_other_users(tmp_path: Path) -> None:
    """The plan page of a workbook with 4,000 warnings rendered on the event loop in
    quadratic time: every other user waited 10-38 s. Now other pages answer at once."""
    workbook = many_supports(tmp_path, 4000, "Completed")
    with (
        serving(ServeConfig(workdir=tmp_path / "work", pdf=False)) as base,
        httpx.Client(base_url=base, timeout=120) as heavy,
    ):
        plan = upload(heavy, workbook)
        done: list[str] = []

        def view() -> None:
            for _ in range(3):
                done.append(heavy.get(plan).text)

        viewer = threading.Thread(target=view)
        viewer.start()
        slowest = 0.0
        with httpx.Client(base_url=base, timeout=120) as other:
            while viewer.is_alive():
                start = time.monotonic()
                assert other.get("/").status_code == 200
                slowest = max(slowest, time.monotonic() - start)
                time.sleep(0.05)
        viewer.join()
    assert slowest < 3, f"another user waited {slowest:.1f} s"
    assert len(done) == 3
    assert done[0].count('<tr class="warning">') == 4000


# 2. Every view re-read the workbook, without bound -----------------------------------


@LINUX
def test_twelve_parallel_views_of_a_large_plan_stay_under_500_mb(tmp_path: Path) -> None:
    workbook = long_supports(tmp_path)
    with (
        serve_process(tmp_path) as (proc, url, _errors),
        httpx.Client(base_url=url, timeout=300) as client,
    ):
        plan = upload(client, workbook)
        before = peak_kb(proc.pid)
        codes: list[int] = []

        def view() -> None:
            with httpx.Client(base_url=url, timeout=300, cookies=client.cookies) as c:
                codes.append(c.get(plan).status_code)

        threads = [threading.Thread(target=view) for _ in range(12)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        growth_mb = (peak_kb(proc.pid) - before) / 1024
    print(f"12 parallel views of a 30 MB-of-text plan: +{growth_mb:.0f} MB peak")
    assert growth_mb < 500
    assert codes.count(200) + codes.count(503) == 12 and 200 in codes


def test_past_the_waiting_limit_the_page_says_busy(tmp_path: Path) -> None:
    from plangen.web.limits import Gate

    app = create_app(ServeConfig(workdir=tmp_path / "work", pdf=False))
    app.state.gate = Gate(slots=1, waiting=0)
    app.state.gate._inside = 1  # one plan is being made
    with TestClient(app, base_url="http://127.0.0.1") as client:
        page = client.post(
            "/plan",
            data={"csrf": csrf_of(client.get("/").text)},
            files={"workbook": ("a.xlsx", SYSTEM_EXAMPLE.read_bytes())},
        )
    assert page.status_code == 503
    assert "Busy, try again in a minute" in page.text
    assert page.headers["retry-after"] == "60"
    assert not [p for p in (tmp_path / "work").rglob("workbook*")]


# 3. PDFs waited behind one slow document ---------------------------------------------


@OFFICE
def test_a_slow_pdf_never_holds_up_another_users_pdf(tmp_path: Path) -> None:
    slow = many_supports(tmp_path, 1500, "Not started", "slow.xlsx")
    with (
        serving(ServeConfig(workdir=tmp_path / "work")) as base,
        httpx.Client(base_url=base, timeout=120) as a,
        httpx.Client(base_url=base, timeout=120) as b,
    ):
        slow_plan = upload(a, slow)
        assert wait_until(lambda: "pdf-pending" in a.get(slow_plan).text, 10)
        time.sleep(1)  # the slow document is converting
        start = time.monotonic()
        quick_plan = upload(b, SYSTEM_EXAMPLE)
        got = wait_until(lambda: b.get(quick_plan + "/file/pdf").status_code == 200, 120, 0.2)
        waited = time.monotonic() - start
        slow_still = a.get(slow_plan + "/file/pdf").status_code == 404
    assert got, "the second user's PDF never came"
    print(f"second user's PDF after {waited:.1f} s, the slow one still converting: {slow_still}")
    assert slow_still, "the slow document finished first: the test proved nothing"


@OFFICE
def test_two_slow_pdfs_never_hold_up_a_usual_plans_pdf(tmp_path: Path) -> None:
    """Two large plans (one user, or an attacker) would take both LibreOffices of a
    2-CPU server; one is kept for plans of usual size."""
    slow = many_supports(tmp_path, 1500, "Not started", "slow.xlsx")
    with (
        serving(ServeConfig(workdir=tmp_path / "work", pdf_jobs=2)) as base,
        httpx.Client(base_url=base, timeout=120) as a,
        httpx.Client(base_url=base, timeout=120) as b,
    ):
        slow_plans = [upload(a, slow), upload(a, slow)]
        time.sleep(1)
        quick_plan = upload(b, SYSTEM_EXAMPLE)
        got = wait_until(lambda: b.get(quick_plan + "/file/pdf").status_code == 200, 120, 0.2)
        pending = sum(a.get(p + "/file/pdf").status_code == 404 for p in slow_plans)
    assert got, "the usual plan's PDF never came"
    assert pending == 2, "a slow document finished first: the test proved nothing"


@OFFICE
def test_a_pdf_past_its_time_limit_says_so_and_keeps_the_word_plan(tmp_path: Path) -> None:
    slow = many_supports(tmp_path, 1500, "Not started", "slow.xlsx")
    with (
        serving(ServeConfig(workdir=tmp_path / "work", pdf_seconds=2)) as base,
        httpx.Client(base_url=base, timeout=120) as client,
    ):
        plan = upload(client, slow)
        assert wait_until(lambda: "pdf-pending" not in client.get(plan).text, 60, 0.3)
        page = client.get(plan).text
        assert client.get(plan + "/file/docx").status_code == 200
    assert "took longer than the 2 seconds a PDF may take here" in page
    assert "The Word plan is complete" in page


# 4. LibreOffice outlived plangen ------------------------------------------------------


@LINUX
@OFFICE
def test_kill_9_of_batch_pdf_stops_libreoffice_at_once(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    many_supports(folder, 1500, "Not started", "slow.xlsx")
    out = tmp_path / "out"
    mark = uuid.uuid4().hex
    proc = subprocess.Popen(
        [sys.executable, "-m", "plangen", "batch", str(folder), "-o", str(out), "--pdf"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=dict(os.environ, PLANGEN_TEST_MARK=mark),
        start_new_session=True,
    )
    try:
        assert wait_until(lambda: (out / "slow.docx").is_file(), 120)
        assert wait_until(lambda: len(office_processes(mark)) >= 2, 60)
        time.sleep(3)  # well into converting a document that takes ~30 s or more
        assert not (out / "slow.pdf").exists()
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        gone = wait_until(lambda: not office_processes(mark), 5)
        left = office_processes(mark)
    finally:
        for pid in marked_processes(mark):
            os.kill(pid, signal.SIGKILL)
    assert gone, f"LibreOffice kept running after kill -9: {left}"


@LINUX
@OFFICE
def test_ctrl_c_stops_the_server_and_its_libreoffice_within_seconds(tmp_path: Path) -> None:
    slow = many_supports(tmp_path, 1500, "Not started", "slow.xlsx")
    mark = uuid.uuid4().hex
    with serve_process(tmp_path, mark=mark, pdf=True) as (proc, url, errors):
        with httpx.Client(base_url=url, timeout=120) as client:
            plan = upload(client, slow)
            assert "pdf-pending" in client.get(plan).text
        time.sleep(3)
        start = time.monotonic()
        os.kill(proc.pid, signal.SIGINT)
        with suppress(subprocess.TimeoutExpired):
            proc.wait(20)
        stopped = time.monotonic() - start
        assert proc.poll() is not None, "Ctrl-C did not stop the server within 20 s"
        assert wait_until(lambda: not office_processes(mark), 5), office_processes(mark)
    print(f"Ctrl-C during a conversion: stopped in {stopped:.1f} s")
    assert "Traceback" not in errors.read_text()


# 5. Slowloris ---------------------------------------------------------------------------


@LINUX
@pytest.mark.parametrize("host", ["127.0.0.1", "0.0.0.0"])
def test_dripped_headers_are_cut_off_and_service_goes_on(tmp_path: Path, host: str) -> None:
    """40 clients dripping their headers a byte a second: each is cut off within
    HEADER_SECONDS (before the access code is even asked for, with --host), a normal
    request is answered meanwhile, and the log stays a few lines long."""
    with serve_process(tmp_path, "--host", host) as (_proc, url, errors):
        port = int(url.rstrip("/").rsplit(":", 1)[1])
        slow = []
        for _ in range(40):
            s = socket.create_connection(("127.0.0.1", port), timeout=5)
            s.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n")
            slow.append(s)
        start = time.monotonic()
        closed: set[int] = set()
        answered = None
        while len(closed) < len(slow) and time.monotonic() - start < HEADER_SECONDS + 10:
            for i, s in enumerate(slow):
                if i in closed:
                    continue
                try:
                    s.sendall(b"X")
                    s.settimeout(0.001)
                    if s.recv(1024) == b"":
                        closed.add(i)
                except (BlockingIOError, TimeoutError):
                    pass
                except OSError:
                    closed.add(i)
            if answered is None and time.monotonic() - start > 2:
                answered = httpx.get(url, timeout=10).status_code
            time.sleep(1)
        elapsed = time.monotonic() - start
        for s in slow:
            s.close()
        log = errors.read_text()
    assert len(closed) == len(slow), f"{len(slow) - len(closed)} slow clients still held"
    assert elapsed < HEADER_SECONDS + 5
    assert answered in (200, 401)
    assert "Traceback" not in log and len(log) < 5000, log[-2000:]


def _own_address() -> str:
    """This machine's address on its network (not loopback); empty without one."""
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
            s.connect(("10.255.255.255", 9))
            address = str(s.getsockname()[0])
    except OSError:
        return ""
    return "" if address.startswith("127.") else address


@LINUX
@pytest.mark.skipif(not _own_address(), reason="needs a network address")
def test_one_client_cannot_take_every_connection(tmp_path: Path) -> None:
    """With --host, one address holds at most MAX_PER_CLIENT connections: the next is
    closed at once (the clients here come from this machine's network address)."""
    from plangen.web.server import MAX_PER_CLIENT

    address = _own_address()
    with serve_process(tmp_path, "--host", "0.0.0.0") as (_proc, url, _errors):
        port = int(url.rstrip("/").rsplit(":", 1)[1])
        held = [socket.create_connection((address, port), timeout=5) for _ in range(MAX_PER_CLIENT)]
        time.sleep(0.5)
        extra = socket.create_connection((address, port), timeout=5)
        extra.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
        try:
            refused = extra.recv(1024) == b""
        except OSError:
            refused = True
        extra.close()
        local = httpx.get(url, timeout=10).status_code  # other clients are still served
        for s in held:
            s.close()
    assert refused
    assert local == 401


def test_a_dripped_upload_is_cut_off_at_the_body_deadline(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Headers in time, then an upload a byte a second: cut off at BODY_SECONDS (120 s;
    2 s here), so a slow body cannot hold a connection either."""
    import plangen.web.server as server

    monkeypatch.setattr(server, "BODY_SECONDS", 2.0)
    with serving(ServeConfig(workdir=tmp_path / "work", pdf=False)) as base:
        port = int(base.rstrip("/").rsplit(":", 1)[1])
        with socket.create_connection(("127.0.0.1", port), timeout=10) as s:
            s.sendall(
                b"POST /plan HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                b"Content-Type: multipart/form-data; boundary=x\r\nContent-Length: 100000\r\n\r\n"
            )
            start = time.monotonic()
            cut = False
            while time.monotonic() - start < 10:
                try:
                    s.sendall(b"-")
                    s.settimeout(1)
                    if s.recv(1024) == b"":
                        cut = True
                        break
                except TimeoutError:
                    continue
                except OSError:
                    cut = True
                    break
            elapsed = time.monotonic() - start
        assert httpx.get(base, timeout=10).status_code == 200
    assert cut and elapsed < 6, f"held for {elapsed:.1f} s"


# 6. Disk ---------------------------------------------------------------------------------


def test_refused_uploads_keep_no_bytes(tmp_path: Path) -> None:
    work = tmp_path / "work"
    junk = os.urandom(9_000_000)
    with TestClient(
        create_app(ServeConfig(workdir=work, pdf=False)), base_url="http://127.0.0.1"
    ) as c:
        token = csrf_of(c.get("/").text)
        for i in range(8):
            page = c.post("/plan", data={"csrf": token}, files={"workbook": (f"r{i}.xlsx", junk)})
            assert "is not an .xlsx workbook" in page.text
        kept = sum(p.stat().st_size for p in work.rglob("*") if p.is_file())
    assert kept < 1_000_000, f"{kept / 1e6:.1f} MB kept of 8 refused uploads"


def test_a_session_keeps_its_quota_and_the_server_its_total(tmp_path: Path) -> None:
    work = tmp_path / "work"
    app = create_app(ServeConfig(workdir=work, pdf=False))
    app.state.workspace.session_quota = 300_000
    with TestClient(app, base_url="http://127.0.0.1") as c:
        for _ in range(8):
            assert (
                c.post(
                    "/plan",
                    data={"csrf": csrf_of(c.get("/").text)},
                    files={"workbook": ("a.xlsx", SYSTEM_EXAMPLE.read_bytes())},
                ).status_code
                == 200
            )
        used = sum(p.stat().st_size for p in work.rglob("*") if p.is_file())
        assert used <= 300_000 + 200_000
        assert len(list((work / "sessions").glob("*/*"))) < 8
        app.state.workspace.total_quota = 1000  # another session's uploads fill it
        page = c.post(
            "/plan",
            data={"csrf": csrf_of(c.get("/").text)},
            files={"workbook": ("a.xlsx", SYSTEM_EXAMPLE.read_bytes())},
        )
    assert page.status_code == 507
    assert "No room for more plans" in page.text


@LINUX
def test_work_folders_of_killed_servers_are_swept_at_start(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with serve_process(tmp_path) as (proc, url, _errors):
        with httpx.Client(base_url=url, timeout=60) as client:
            upload(client, SYSTEM_EXAMPLE)
        os.kill(proc.pid, signal.SIGKILL)  # as the OOM killer does
        proc.wait()
    left = list(tmp_path.glob("plangen-serve-*"))
    assert left, "the killed server left nothing: the test proved nothing"
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    app = create_app(ServeConfig(pdf=False))
    with TestClient(app, base_url="http://127.0.0.1"):
        assert [p for p in left if p.exists()] == []
        assert app.state.workspace.root.exists()  # a running server's own is kept
        create_app(ServeConfig(pdf=False))
        assert app.state.workspace.root.exists()


# 7. Session fixation -------------------------------------------------------------------


def test_a_planted_session_cookie_is_replaced(tmp_path: Path) -> None:
    planted = "a" * 32
    with TestClient(
        create_app(ServeConfig(workdir=tmp_path / "w", pdf=False)), base_url="http://127.0.0.1"
    ) as victim:
        victim.cookies.set("plangen_session", planted)
        page = victim.get("/")
        minted = page.cookies.get("plangen_session")
        assert minted and planted not in minted
        with TestClient(
            create_app(ServeConfig(workdir=tmp_path / "w2", pdf=False)), base_url="http://127.0.0.1"
        ) as attacker:
            attacker.cookies.set("plangen_session", planted)
            assert csrf_of(attacker.get("/").text) != csrf_of(victim.get("/").text)
        plan = upload(victim, SYSTEM_EXAMPLE)
        assert victim.get(plan).status_code == 200
    assert not (tmp_path / "w" / "sessions" / planted).exists()


# 8. Links inside output folders ---------------------------------------------------------


def test_a_link_inside_the_output_folder_is_not_followed(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from plangen.cli import cli

    folder = tmp_path / "in"
    (folder / "north").mkdir(parents=True)
    corpus.copy_example(folder / "north", "north.xlsx")
    corpus.copy_example(folder, "south.xlsx")
    out = tmp_path / "plans"
    out.mkdir()
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (out / "north").symlink_to(elsewhere, target_is_directory=True)
    result = CliRunner().invoke(cli, ["batch", str(folder), "-o", str(out), "-j", "1"])
    assert list(elsewhere.iterdir()) == []
    assert (out / "south.docx").is_file()
    text = re.sub(r"[\s│]+", " ", result.output)  # the table wraps long lines
    assert "is a symbolic link" in text and "never writes through links" in text, text
    assert result.exit_code != 0


# 9, 10. --host ---------------------------------------------------------------------------


@LINUX
def test_serve_answers_the_address_it_prints(tmp_path: Path) -> None:
    with serve_process(tmp_path, "--host", "127.0.0.2") as (_proc, url, _errors):
        assert "127.0.0.2" in url
        page = httpx.get(url, timeout=10)
    assert page.status_code == 200 and "Make plan" in page.text


def test_the_server_keeps_a_hash_of_the_access_code_and_the_cookie_is_not_it(
    tmp_path: Path,
) -> None:
    code = "the-right-code-" + uuid.uuid4().hex
    config = ServeConfig(host="0.0.0.0", token=code, workdir=tmp_path / "w", pdf=False)
    app = create_app(config)
    assert config.token is None
    with TestClient(app, base_url="http://127.0.0.1", follow_redirects=False) as c:
        assert c.get("/").status_code == 401
        sent = c.post("/login", data={"token": code})
        assert sent.status_code == 303
        cookie = sent.cookies.get("plangen_token")
        assert cookie and code not in cookie
        assert c.get("/").status_code == 200
        c.cookies.set("plangen_token", code)
        assert c.get("/").status_code == 401  # the code itself is not a cookie that works


def test_behind_an_https_proxy_cookies_are_secure_and_host_only(tmp_path: Path) -> None:
    config = ServeConfig(
        host="0.0.0.0", token="code", workdir=tmp_path / "w", pdf=False, secure=True
    )
    with TestClient(create_app(config), base_url="https://127.0.0.1", follow_redirects=False) as c:
        sent = c.post("/login", data={"token": "code"})
        header = sent.headers["set-cookie"]
        assert header.startswith("__Host-plangen_token=") and "Secure" in header
        page = c.get("/")
        assert page.status_code == 200
        assert "__Host-plangen_session=" in page.headers["set-cookie"]
        assert "Secure" in page.headers["set-cookie"]
