"""othandout watch: which layouts a change affects, rebuilding them with the warm renderer, errors that do not end
the watch and keep the last good PDF, and the real command rebuilding on save and stopping on Ctrl-C."""

from __future__ import annotations

import os
import queue
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from PIL import Image

from othandout import build
from othandout.build import BuildOptions
from othandout.outputs.watch import Watcher
from support import CONTENT, LAYOUTS, ROOT, content_data, write_data


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A project folder: content.yaml with a logo, and its own copy of the tip sheet layout."""
    data = content_data()
    data["organization"]["logo"] = "art/logo.png"
    (tmp_path / "art").mkdir()
    Image.new("RGB", (120, 40), "#0b6e75").save(tmp_path / "art" / "logo.png")
    write_data(tmp_path, data)
    shutil.copytree(ROOT / "layouts" / "tip-sheet", tmp_path / "layouts" / "tip-sheet")
    return tmp_path


def watcher(project: Path, *layouts: str) -> tuple[Watcher, list[str], list[str]]:
    """A watcher for the project, with what it says and shouts gathered in two lists."""
    said: list[str] = []
    shouted: list[str] = []
    options = BuildOptions(content=project / "content.yaml", out=project / "output", layouts=list(layouts))
    return Watcher(options, say=said.append, shout=shouted.append), said, shouted


ALL = sorted(LAYOUTS)


@pytest.mark.parametrize(("changed", "expected"), [
    (["content.yaml"], ALL),
    (["art/logo.png"], ALL),
    (["layouts/tip-sheet/tip-sheet.css"], ["tip-sheet"]),
    (["layouts/tip-sheet/blocks/qr.html.j2"], ["tip-sheet"]),
    (["layouts/tip-sheet/layout.yaml", "layouts/tip-sheet/tip-sheet.css"], ["tip-sheet"]),
    (["layouts/tip-sheet/.tip-sheet.css.swp", "layouts/tip-sheet/tip-sheet.css~"], []),
    (["output/handout.pdf", "output/.handout-x1.tmp"], []),
    (["notes.txt", "art/other.png"], []),
    (["layouts/trifold/trifold.css"], []),  # not one of this project's layouts, so not a layout at all
])
def test_what_a_change_rebuilds_when_all_layouts_are_asked_for(project: Path, changed: list[str],
                                                                expected: list[str]) -> None:
    found, _, _ = watcher(project)
    assert sorted(found.affected({project / p for p in changed})) == expected


def test_only_the_layouts_asked_for_are_rebuilt(project: Path) -> None:
    found, _, _ = watcher(project, "handout")
    assert found.affected({project / "content.yaml"}) == ["handout"]
    assert found.affected({project / "layouts" / "tip-sheet" / "tip-sheet.css"}) == []
    both, _, _ = watcher(project, "handout", "tip-sheet")
    assert both.affected({project / "layouts" / "tip-sheet" / "tip-sheet.css"}) == ["tip-sheet"]


def test_a_relative_content_path_is_understood(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(project)
    found = Watcher(BuildOptions(content=Path("content.yaml"), layouts=["tip-sheet"]))
    assert found.affected({project / "content.yaml"}) == ["tip-sheet"]
    assert found.affected({project / "layouts" / "tip-sheet" / "layout.yaml"}) == ["tip-sheet"]


def test_a_change_rebuilds_with_the_same_warm_renderer_and_an_error_keeps_the_last_good_pdf(project: Path) -> None:
    found, said, shouted = watcher(project, "tip-sheet")
    pdf = project / "output" / "tip-sheet.pdf"
    warm = build.engine()
    assert found.handle({project / "content.yaml"}) == ["tip-sheet"]
    assert said == [f"wrote {project / 'output' / 'tip-sheet.pdf'}  1 page  letter"]
    good = pdf.read_bytes()

    css = project / "layouts" / "tip-sheet" / "tip-sheet.css"
    css.write_text(css.read_text(encoding="utf-8") + "\n.steps li { font-size: 3em; }\n", encoding="utf-8")
    assert found.handle({css}) == ["tip-sheet"]
    assert shouted[0].startswith("error: tip-sheet: page 1"), shouted
    assert shouted[-1] == "note: the last good PDF of each failed layout was kept; save again to retry"
    assert pdf.read_bytes() == good

    content = project / "content.yaml"
    content.write_text(content.read_text(encoding="utf-8") + "\nbroken: [\n", encoding="utf-8")
    found.handle({content})
    assert shouted[-2].startswith("error: content.yaml:"), shouted
    assert pdf.read_bytes() == good
    assert build.engine() is warm, "one renderer for the whole watch"


def test_an_unexpected_problem_is_shouted_not_raised(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    found, _, shouted = watcher(project, "tip-sheet")

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr("othandout.outputs.watch.build", broken)
    assert found.rebuild(["tip-sheet"]) is False
    assert shouted == ["error: internal problem (RuntimeError: boom); please report it"]


def _lines(stream, found: queue.Queue) -> None:
    """Put every line a process prints on a queue."""
    for line in stream:
        found.put(line.rstrip("\n"))


def _until(found: queue.Queue, start: str, seconds: float, seen: list[str]) -> str:
    """The next line that starts with `start`, within `seconds`; every line read is added to `seen`."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            line = found.get(timeout=0.2)
        except queue.Empty:
            continue
        seen.append(line)
        if line.startswith(start):
            return line
    raise AssertionError(f"no line starting with {start!r} within {seconds} s; got {seen}")


def test_the_real_command_rebuilds_on_save_and_stops_on_ctrl_c(tmp_path: Path) -> None:
    content = tmp_path / "content.yaml"
    content.write_bytes(CONTENT.read_bytes())
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    process = subprocess.Popen([sys.executable, "-m", "othandout", "watch", "--layout", "tip-sheet"], cwd=tmp_path,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env)
    found: queue.Queue = queue.Queue()
    threading.Thread(target=_lines, args=(process.stdout, found), daemon=True).start()
    seen: list[str] = []
    try:
        _until(found, "wrote output/tip-sheet.pdf", 60, seen)
        _until(found, "watching ", 10, seen)
        pdf = tmp_path / "output" / "tip-sheet.pdf"
        before = pdf.stat().st_mtime_ns
        time.sleep(0.3)
        content.write_text(content.read_text(encoding="utf-8").replace("reviewed: 2026-11", "reviewed: 2026-05"),
                           encoding="utf-8")
        _until(found, "wrote output/tip-sheet.pdf", 20, seen)
        assert pdf.stat().st_mtime_ns > before
        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=15) == 0, seen
        _until(found, "stopped watching", 5, seen)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert not any(line.startswith(("error", "Traceback")) for line in seen), seen


def test_the_command_is_documented_with_an_example() -> None:
    from typer.testing import CliRunner

    from othandout.cli import app

    result = CliRunner().invoke(app, ["watch", "--help"])
    assert result.exit_code == 0
    assert "Example: othandout watch" in result.stdout
