"""Time the web page: from sending the example workbook to downloading its .docx and its
PDF, cold (the first upload after the server starts) and warm (later uploads), against
one cold `soffice --convert-to pdf` of the same plan.

A real server (uvicorn on 127.0.0.1, in a thread) and real HTTP requests (httpx).

    python3 benchmarks/serve.py            # 5 warm uploads
    python3 benchmarks/serve.py --n 10
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
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
        plan = sent.headers["location"]
        assert client.get(plan + "/file/docx").status_code == 200
        docx = time.perf_counter() - start
        while client.get(plan + "/file/pdf").status_code != 200:
            time.sleep(0.02)
        return docx, time.perf_counter() - start


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
    args = parser.parse_args()
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
