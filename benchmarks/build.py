"""Build speed, as ratios against baselines measured side by side in this run: `python benchmarks/build.py`.

- cold build (every layout, --force; side by side, then with --jobs 1) against raw WeasyPrint rendering the same
  HTML (from --emit-html) in one process, all timed as whole processes from start to exit;
- a rebuild with nothing changed against the cold build;
- a 100-row batch (`build --for`, trifold) against a loop of one `othandout build` process per row (timed on
  LOOP_ROWS rows and scaled to 100), and against the same batch with --jobs 1;
- the peak memory of one process (the largest of the batch's parent and workers), for 20 and for 100 rows.

Python's compiled bytecode for othandout is written first (`compileall`), as an installed package has it: a
checkout run with PYTHONDONTWRITEBYTECODE set would otherwise compile every module on every start, which adds
about 0.1 s to each command and says nothing about othandout.

Targets on a 2-core machine (issue 12): cold build at most 1.15x raw WeasyPrint; no-change rebuild at most 0.1x a
cold build; the batch at least 10x faster than the loop and 1.7x faster than --jobs 1; under 150 MiB per worker,
not growing with the rows. Nothing here is a test: the figures vary with the machine and its load.
"""

from __future__ import annotations

import csv
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OTHANDOUT = [sys.executable, "-m", "othandout"]
RUNS = 3
ROWS = 100
LOOP_ROWS = 10
RAW = """
import sys
from pathlib import Path
from weasyprint import HTML
for page in sorted(Path(sys.argv[1]).glob("*.html")):
    HTML(filename=str(page)).write_pdf(Path(sys.argv[2]) / (page.stem + ".pdf"), pdf_variant="pdf/ua-1")
"""
PEAK = """
import resource, subprocess, sys
subprocess.run(sys.argv[1:], check=True, capture_output=True)
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
"""


def run(command: list[str], cwd: Path) -> float:
    """Seconds a command takes, from start to exit (it must succeed)."""
    start = time.perf_counter()
    subprocess.run(command, check=True, capture_output=True, cwd=cwd)
    return time.perf_counter() - start


def median(command: list[str], cwd: Path, runs: int = RUNS) -> float:
    """The median of several runs of a command."""
    return statistics.median(run(command, cwd) for _ in range(runs))


def peak_mib(command: list[str], cwd: Path) -> float:
    """The peak resident memory of the largest process a command starts (itself or a worker), in MiB."""
    out = subprocess.run([sys.executable, "-c", PEAK, *command], check=True, capture_output=True, text=True, cwd=cwd)
    return int(out.stdout.strip()) / 1024


def table(path: Path, rows: int) -> None:
    """A table of `rows` clinic sites, each with its own name, phone and bottom note."""
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["slug", "organization.name", "organization.phone", "footer_note"])
        for n in range(rows):
            writer.writerow([f"site-{n:03d}", f"Maple Grove Therapy, site {n}", f"(555) 010-{n:04d}",
                             f"Printed for the families of site {n}."])


def line(label: str, seconds: float, against: float | None = None, name: str = "") -> None:
    """One figure, with its ratio to a baseline."""
    ratio = f"  {seconds / against:5.2f}x {name}" if against else ""
    print(f"{label:<52}{seconds:8.2f} s{ratio}")


def main() -> None:
    """Measure everything in one temporary project and print the figures."""
    import compileall

    import othandout

    compileall.compile_dir(Path(othandout.__file__).parent, quiet=1)
    with tempfile.TemporaryDirectory() as folder:
        project = Path(folder)
        shutil.copy(ROOT / "content.yaml", project / "content.yaml")
        html, raw_out = project / "html", project / "raw"
        raw_out.mkdir()
        subprocess.run([*OTHANDOUT, "build", "--emit-html", str(html)], check=True, capture_output=True, cwd=project)
        pages = len(list(html.glob("*.html")))

        cold = median([*OTHANDOUT, "build", "--force"], project)
        one_by_one = median([*OTHANDOUT, "build", "--force", "--jobs", "1"], project)
        raw = median([sys.executable, "-c", RAW, str(html), str(raw_out)], project)
        unchanged = median([*OTHANDOUT, "build"], project, runs=7)
        print(f"cores: {len(os.sched_getaffinity(0))}; content.yaml, {pages} layouts; median of {RUNS} runs\n")
        line(f"raw WeasyPrint, the {pages} emitted HTML files, 1 process", raw)
        line("othandout build --force (cold, one worker per core)", cold, raw, "raw WeasyPrint (target <= 1.15)")
        line("othandout build --force --jobs 1 (cold)", one_by_one, raw, "raw WeasyPrint")
        line("othandout build, nothing changed", unchanged, cold, "cold build (target <= 0.1)")

        table(project / "sites.csv", ROWS)
        batch = [*OTHANDOUT, "build", "--for", "sites.csv", "--layout", "trifold", "--force", "--out", "batch"]
        parallel = run(batch, project)
        serial = run([*batch, "--jobs", "1"], project)
        loop_dir = project / "loop"
        loop_dir.mkdir()
        start = time.perf_counter()
        for n in range(LOOP_ROWS):
            row = (project / "content.yaml").read_text(encoding="utf-8").replace(
                "Maple Grove Pediatric Therapy", f"Maple Grove Therapy, site {n}", 1)
            (loop_dir / f"row{n}.yaml").write_text(row, encoding="utf-8")
            subprocess.run([*OTHANDOUT, "build", "--content", str(loop_dir / f"row{n}.yaml"), "--layout", "trifold",
                            "--out", str(loop_dir / f"out{n}")], check=True, capture_output=True, cwd=project)
        loop = (time.perf_counter() - start) * ROWS / LOOP_ROWS
        print()
        line(f"{ROWS} trifolds, one process per row (scaled from {LOOP_ROWS})", loop)
        line(f"{ROWS} trifolds, build --for, --jobs 1", serial)
        line(f"{ROWS} trifolds, build --for (one worker per core)", parallel, loop, "the process loop (target <= 0.1)")
        print(f"{'':<52}{'':10}  {parallel / serial:5.2f}x --jobs 1 (target <= 0.59)")

        table(project / "few.csv", 20)
        few = peak_mib([*OTHANDOUT, "build", "--for", "few.csv", "--layout", "trifold", "--force", "--out", "few"],
                       project)
        many = peak_mib(batch, project)
        print()
        print(f"{'peak memory of one process, 20-row batch':<52}{few:8.0f} MiB")
        print(f"{'peak memory of one process, 100-row batch':<52}{many:8.0f} MiB  (target < 150, not growing)")


if __name__ == "__main__":
    main()
