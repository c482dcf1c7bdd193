"""Time the web page: from sending the example workbook to downloading its .docx and its
PDF, cold (the first upload after the server starts) and warm (later uploads), against
one cold `soffice --convert-to pdf` of the same plan.

A real server (uvicorn on 127.0.0.1, in a thread) and real HTTP requests (httpx).

    python3 benchmarks/serve.py            # 5 warm uploads
    python3 benchmarks/serve.py --n 10
    python3 benchmarks/serve.py --users 10 # 10 users uploading at once (issue 22)

With --users N, N simulated users (each its own browser session) send the example at
the same moment: every one must get their .docx and their PDF; the slowest PDF wait is
reported against one user's alone (the baseline, same server), with the peak memory of
this process (server and clients).
"""

from __future__ import annotations

import argparse
import resource
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
EXAMPLE = ROOT / "input_examples" / "super_excited_division.xlsx"

from web_server import serving  # noqa: E402

from plangen.web import ServeConfig  # noqa: E402


def one_upload(base: str) -> tuple[float, float]:
    """Seconds from sending the workbook to having the .docx, and to having the PDF."""
    with httpx.Client(base_url=base, timeout=120) as client:
        page = client.get("/").text
        csrf = page.split('name="csrf" value="', 1)[1].split('"', 1)[0]
        start = time.perf_counter()
        sent = client.post(
            "/plan",
            data={"csrf": csrf},
            files={"workbook": (EXAMPLE.name, EXAMPLE.read_bytes())},
        )
        assert sent.status_code == 303, sent.text[:300]
        plan = sent.headers["location"]
        assert client.get(plan + "/file/docx").status_code == 200
        docx = time.perf_counter() - start
        deadline = time.monotonic() + 600
        while client.get(plan + "/file/pdf").status_code != 200:
            if time.monotonic() > deadline or 'id="pdf-pending"' not in client.get(plan).text:
                if client.get(plan + "/file/pdf").status_code == 200:
                    break
                raise RuntimeError(f"no PDF for {plan}")
            time.sleep(0.05)
        return docx, time.perf_counter() - start


def many_users(base: str, users: int) -> list[tuple[float, float]]:
    """`users` uploads started at the same moment, each from its own session."""
    results: list[tuple[float, float] | BaseException] = []
    ready = threading.Barrier(users)

    def user() -> None:
        try:
            ready.wait()
            results.append(one_upload(base))
        except BaseException as exc:  # reported below
            results.append(exc)

    threads = [threading.Thread(target=user) for _ in range(users)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    failed = [r for r in results if isinstance(r, BaseException)]
    if failed:
        raise RuntimeError(f"{len(failed)} of {users} users got no plan: {failed[0]}")
    return [r for r in results if not isinstance(r, BaseException)]


def users_main(users: int) -> None:
    """The --users benchmark."""
    with (
        tempfile.TemporaryDirectory(prefix="plangen-bench-serve-") as tmp,
        serving(ServeConfig(workdir=Path(tmp) / "serve")) as base,
    ):
        one_upload(base)  # LibreOffice warm
        alone = statistics.median(one_upload(base)[1] for _ in range(3))
        before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        started = time.perf_counter()
        results = many_users(base, users)
        took = time.perf_counter() - started
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    slowest_docx = max(d for d, _ in results)
    slowest_pdf = max(p for _, p in results)
    print(f"{users} users uploading at once: {len(results)} got their .docx and PDF "
          f"in {took:.1f} s")  # fmt: skip
    print(f"slowest .docx: {slowest_docx:.2f} s   median PDF wait: "
          f"{statistics.median(p for _, p in results):.2f} s   slowest PDF wait: "
          f"{slowest_pdf:.2f} s")  # fmt: skip
    print(f"one user alone (baseline, median of 3): PDF {alone:.2f} s; "
          f"slowest of {users} / alone = {slowest_pdf / alone:.1f}x")  # fmt: skip
    print(f"peak memory of the server and clients: {peak / 1024:.0f} MB "
          f"(+{(peak - before) / 1024:.0f} MB during the {users} uploads)")  # fmt: skip


def cold_soffice(docx: Path, work: Path) -> float:
    """One LibreOffice start converting `docx`, with a new profile (what a page would
    cost without a LibreOffice kept running)."""
    from plangen.pdf.convert import find_soffice

    start = time.perf_counter()
    subprocess.run(
        [find_soffice(), "--headless", f"-env:UserInstallation={(work / 'p').as_uri()}",
         "--convert-to", "pdf", "--outdir", str(work), str(docx)],
        check=True, capture_output=True,
    )  # fmt: skip
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=5, help="warm uploads (default 5)")
    parser.add_argument("--users", type=int, default=0, help="users uploading at once")
    args = parser.parse_args()
    if args.users:
        users_main(args.users)
        return
    with tempfile.TemporaryDirectory(prefix="plangen-bench-serve-") as tmp:
        work = Path(tmp)
        started = time.perf_counter()
        with serving(ServeConfig(workdir=work / "serve")) as base:
            up = time.perf_counter() - started
            cold = one_upload(base)
            warm = [one_upload(base) for _ in range(args.n)]
        docx = next((work / "serve").rglob("plan.docx"), None)
        assert docx is not None
        single = cold_soffice(docx, work / "cold")
    print(f"server start: {up:.2f} s (LibreOffice starts in the background)")
    print(f"cold, first upload:   .docx {cold[0]:.2f} s   PDF {cold[1]:.2f} s")
    wd = statistics.median(d for d, _ in warm)
    wp = statistics.median(p for _, p in warm)
    print(f"warm, median of {args.n}:  .docx {wd:.2f} s   PDF {wp:.2f} s")
    print(f"one cold soffice --convert-to of the plan: {single:.2f} s (PDF only)")


if __name__ == "__main__":
    main()
