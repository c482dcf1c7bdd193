"""Time PDF output: `plangen batch --pdf` (LibreOffice started once per chunk) against
the naive way, one `soffice --convert-to pdf` start per document.

Both make the same N PDFs from copies of the example plan. Prints the times and their
ratio (target: batch --pdf / naive <= 0.2). The batch time includes building the .docx
files too, so the ratio is an upper bound for the conversion alone; the time of a batch
without --pdf is printed so the conversion's own share can be read off. A second naive
run uses a profile past LibreOffice's first start (no self-tests at each start), the
naive way at its fastest.

    python3 benchmarks/pdf.py           # 20 plans
    python3 benchmarks/pdf.py --n 50
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "input_examples" / "super_excited_division.xlsx"


def timed(command: list[str]) -> float:
    """Seconds `command` takes; fails loudly if it fails."""
    start = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def batch(folder: Path, out: Path, pdf: bool) -> float:
    command = [sys.executable, "-m", "plangen", "batch", str(folder), "-o", str(out), "--force"]
    return timed(command + (["--pdf"] if pdf else []))


def naive(docs: list[Path], out: Path, work: Path, seeded: bool = False) -> float:
    """One LibreOffice start per document (a warm profile shared by all: fair to naive).

    A profile only ever used headless never records LibreOffice's version, so each start
    runs its first-start self-tests; `seeded`: a profile that has recorded it (as one
    opened once in LibreOffice's window has, or plangen's own), a faster naive."""
    from plangen.pdf.convert import find_soffice
    from plangen.pdf.profile import new_profile

    soffice = find_soffice()
    folder = work / ("naive-seeded" if seeded else "naive-profile")
    profile = (new_profile(folder, soffice) if seeded else folder).as_uri()
    total = 0.0
    for doc in docs:
        total += timed(
            [soffice, "--headless", "--norestore", f"-env:UserInstallation={profile}",
             "--convert-to", "pdf", "--outdir", str(out), str(doc)]
        )  # fmt: skip
    return total


def warm_costs(docs: list[Path], work: Path) -> tuple[float, float] | None:
    """Seconds to start one kept-running LibreOffice, and median seconds per plan in it;
    None without LibreOffice's uno module."""
    import statistics

    from plangen.document.chart_pictures import with_chart_pictures
    from plangen.pdf.convert import find_soffice
    from plangen.pdf.office import WarmOffice, uno_python

    python = uno_python()
    if python is None:
        return None
    with WarmOffice(find_soffice(), python) as office:
        start = time.perf_counter()
        office.start()
        started = time.perf_counter() - start
        each = []
        for i, doc in enumerate(docs[:6]):
            start = time.perf_counter()
            copies = work / f"copies{i}"
            copies.mkdir()
            source = copies / doc.name  # as plangen converts it: charts as pictures
            office.convert(
                source if with_chart_pictures(doc, source) else doc, work / f"warm{i}.pdf"
            )
            each.append(time.perf_counter() - start)
    return started, statistics.median(each[1:])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=20, help="number of plans (default 20)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="plangen-bench-pdf-") as tmp:
        work = Path(tmp)
        folder = work / "in"
        folder.mkdir()
        for i in range(args.n):
            shutil.copy(EXAMPLE, folder / f"district{i:04d}.xlsx")
        docx_only = batch(folder, work / "docx", pdf=False)
        with_pdf = batch(folder, work / "pdf", pdf=True)
        docs = sorted((work / "pdf").rglob("*.docx"))
        pdfs = sorted((work / "pdf").rglob("*.pdf"))
        assert len(docs) == len(pdfs) == args.n, (len(docs), len(pdfs))
        # warm the naive profile once, outside the timing
        naive(docs[:1], work / "warm", work)
        slow = naive(docs, work / "naive", work)
        naive(docs[:1], work / "warm-seeded", work, seeded=True)
        seeded = naive(docs, work / "naive-seeded", work, seeded=True)
        costs = warm_costs(docs, work)
    print(f"{args.n} plans, {os.cpu_count()} CPUs")
    print(f"plangen batch (docx only):  {docx_only:6.1f} s")
    part = with_pdf - docx_only
    print(f"plangen batch --pdf:        {with_pdf:6.1f} s  (PDF part ~{part:.1f} s)")
    print(f"naive, soffice per doc:     {slow:6.1f} s  (PDF only)")
    print(f"ratio batch --pdf / naive:  {with_pdf / slow:.2f}  (target <= 0.2)")
    print(f"ratio PDF part / naive:     {part / slow:.2f}")
    print(f"naive, profile past first start: {seeded:5.1f} s  (no self-tests at each start)")
    print(f"ratio batch --pdf / that:   {with_pdf / seeded:.2f}")
    if costs is not None:
        started, each = costs
        cpus = os.cpu_count() or 1
        floor = started + args.n * each / cpus
        print("where the time goes:")
        converting = args.n * each / cpus
        print(f"  a LibreOffice start:         {started:5.1f} s (while the first plans are built)")
        print(f"  a plan in a running one:     {each:5.2f} s (its copy: load, lay out, PDF)")
        plans = f"{args.n} plans on {cpus} CPUs at that:"
        print(f"  {plans:28s} {converting:5.1f} s (LibreOffice is CPU-bound)")
        print(f"  floor, start + converting:   {floor:5.1f} s = ratio {floor / slow:.2f}")
        print(f"  the rest, {with_pdf - floor:.1f} s: Python starting, building the plans on the")
        print("  same CPUs, LibreOffices stopping")


if __name__ == "__main__":
    main()
