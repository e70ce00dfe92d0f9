"""Save-to-PDF time of `othandout watch` for one layout, with the renderer warm: `python benchmarks/watch.py`.

It runs the real `othandout watch --layout handout` in a scratch folder, saves content.yaml with a small change
several times, and times each save until the watcher reports the PDF written (the PDF is on disk by then).
Target: at most 0.5 s on this machine. A benchmark, not a test: it prints the figures and exits 0.
"""

from __future__ import annotations

import queue
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LAYOUT = "handout"
SAVES = 7  # at most 8: the months January to August
TARGET = 0.5


def _lines(stream, found: queue.Queue) -> None:
    """Put each line the watcher prints on a queue, with the time it arrived."""
    for line in stream:
        found.put((time.perf_counter(), line.rstrip("\n")))


def _wait_for(found: queue.Queue, prefix: str, seconds: float = 120) -> float:
    """The arrival time of the next line that starts with `prefix`."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            when, line = found.get(timeout=max(deadline - time.monotonic(), 0.01))
        except queue.Empty:
            break
        if line.startswith(prefix):
            return when
        if line.startswith("error:"):
            raise SystemExit(f"the watcher failed: {line}")
    raise SystemExit(f"no line starting with {prefix!r} within {seconds:g} s")


def main() -> None:
    """Start the watcher, save several times, print each save-to-PDF time and the median."""
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        content = folder / "content.yaml"
        shutil.copy(ROOT / "content.yaml", content)
        original = content.read_text(encoding="utf-8")
        command = [sys.executable, "-m", "othandout", "watch", "--layout", LAYOUT]
        watcher = subprocess.Popen(command, cwd=folder, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                                   bufsize=1)
        found: queue.Queue = queue.Queue()
        threading.Thread(target=_lines, args=(watcher.stdout, found), daemon=True).start()
        try:
            _wait_for(found, "watching ")
            times = []
            for n in range(SAVES):
                time.sleep(0.5)  # let the watcher settle, as between two saves in an editor
                edited = original.replace("reviewed: 2026-11", f"reviewed: 2026-0{n + 1}")  # January, February, ...
                saved = time.perf_counter()
                content.write_text(edited, encoding="utf-8")
                times.append(_wait_for(found, f"wrote output/{LAYOUT}.pdf") - saved)
        finally:
            watcher.terminate()
            watcher.wait(timeout=10)
    print(f"save-to-PDF, {LAYOUT}, warm watcher: " + " ".join(f"{t:.2f}" for t in times) + " s")
    median = statistics.median(times)
    verdict = "within" if median <= TARGET else "OVER"
    print(f"median {median:.2f} s, best {min(times):.2f} s ({verdict} the {TARGET} s target)")
    builds = _warm_builds()
    print(f"for comparison, the warm build alone (no watcher, in this process): median "
          f"{statistics.median(builds):.2f} s, best {min(builds):.2f} s")


def _warm_builds() -> list[float]:
    """Seconds per build of the layout with a warm renderer and no watcher: what the figure above is mostly made of."""
    from othandout.build import BuildOptions, build

    with tempfile.TemporaryDirectory() as scratch:
        options = BuildOptions(content=ROOT / "content.yaml", out=Path(scratch), layouts=[LAYOUT])
        build(options)  # warms the renderer
        times = []
        for _ in range(SAVES):
            start = time.perf_counter()
            build(options)
            times.append(time.perf_counter() - start)
    return times


if __name__ == "__main__":
    main()
