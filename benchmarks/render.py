"""Render timings with ratios against a baseline measured in the same run: `python benchmarks/render.py`.

Baseline: one `othandout build --layout X` process per layout (what a shell loop would do).
Measured: one process for all layouts, warm in-process renders, and the cost of `--fit shrink`.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CONTENT = ROOT / "content.yaml"
RUNS = 3


def timed(action) -> float:
    """Seconds one call takes."""
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def median_of(action, runs: int = RUNS) -> float:
    """The median of several timings."""
    return statistics.median(timed(action) for _ in range(runs))


def cli(*args: str) -> None:
    """Run the CLI in a fresh process."""
    subprocess.run([sys.executable, "-m", "othandout", *args], check=True, capture_output=True, cwd=ROOT)


def main() -> None:
    """Print each figure and its ratio to the baseline."""
    from othandout.build import render_fitted
    from othandout.content import load_content
    from othandout.layouts import PaperSpec, available, load_layout
    from othandout.render import render

    names = list(available(ROOT))
    with tempfile.TemporaryDirectory() as out:
        per_process = median_of(lambda: [cli("build", "--out", out, "--layout", n) for n in names])
        one_process = median_of(lambda: cli("build", "--out", out))
        help_time = median_of(lambda: cli("--help"))
    print(f"baseline: {len(names)} layouts, one process each  {per_process:6.2f} s")
    print(f"all layouts in one process                  {one_process:6.2f} s  ({per_process / one_process:.1f}x faster)")
    print(f"othandout --help (weasyprint not imported)  {help_time:6.2f} s")

    content = load_content(CONTENT)
    for name in names:
        layout = load_layout(name, ROOT)
        warm = median_of(lambda: render(content, layout, PaperSpec(), ROOT, layout.manifest.body_pt), 5)
        print(f"warm render, {name:<10}                    {warm * 1000:6.0f} ms")

    trifold = load_layout("trifold", ROOT)
    faq = list(content.faq)
    faq[2] = faq[2].model_copy(update={"answer": " ".join([faq[2].answer] * 3)})
    long = content.model_copy(update={"faq": faq})
    plain = median_of(lambda: render(long, trifold, PaperSpec(), ROOT, trifold.manifest.body_pt))
    shrink = median_of(lambda: render_fitted(long, trifold, PaperSpec(), ROOT, "shrink"))
    print(f"trifold, 3x FAQ answer: one render          {plain * 1000:6.0f} ms")
    print(f"trifold, 3x FAQ answer: --fit shrink        {shrink * 1000:6.0f} ms  ({shrink / plain:.1f}x one render)")


if __name__ == "__main__":
    main()
