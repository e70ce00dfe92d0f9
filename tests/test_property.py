"""Any content file a person could hand othandout ends in valid PDFs or a clean message, in bounded time.

Hypothesis builds content files from the shipped content.yaml, either structurally valid (string values
replaced or extended) or mutated (keys dropped, retyped, added), with strings that include unicode, emoji,
right-to-left text, control characters, very long words and empty strings. Each example runs the real
`python -m othandout build` (all layouts: handout, tip-sheet, trifold) in a subprocess, so the check covers
the console entry point, and:

- the exit code is 0 or 1, never a traceback or an "internal problem";
- exit 1 comes with an `error: ...` message on stderr;
- every PDF written has the layout's page count, paper size and orientation, and still shows the
  content's unchanged title and section headings (exit 0 means every layout was written);
- the run finishes within BOUND_S seconds of wall-clock time (a hang is killed and fails the test).
  A normal example takes about 0.7 s (content error) to 3.5 s (three PDFs) on a 2-core machine.

Profiles (chosen with the HYPOTHESIS_PROFILE environment variable):
- `ci` (default): a few examples plus the shipped content, about 30-45 s in total.
- `long`: many more examples for local runs, e.g.
  `HYPOTHESIS_PROFILE=long .venv/bin/python -m pytest -q tests/test_property.py` (about 10-20 min).
"""

from __future__ import annotations

import copy
import io
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, event, example, given, settings
from hypothesis import strategies as st
import pypdfium2
from pypdf import PdfReader

from othandout.pipeline.layouts import load_layout
from othandout.pipeline.papers import PaperSpec
from support import LAYOUTS, ROOT, content_data, fold

# Hypothesis' own deadline stays off (the subprocess time varies with machine load); BOUND_S below is the
# time limit, measured around each CLI run and enforced by killing a run that goes past it.
settings.register_profile("ci", max_examples=14, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("long", max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

BOUND_S = 30.0  # several times the slowest normal example (about 3.5 s), so CI never flakes but a hang fails
PAPER_PT = {"letter": (612.0, 792.0), "a4": (595.276, 841.89)}

BASE = content_data()
MANIFESTS = {name: load_layout(name, ROOT).manifest for name in LAYOUTS}
NASTY = st.sampled_from(["", " ", "😀🧩", "مرحبا بالعالم", "שלום", "\u202eevil", "a\u0000b", "\x07\x1b[31m",
                         "x" * 400, "<script>alert(1)</script>", "{{ 7*7 }}", "}</style>", "&amp;", "\t\n\r"])
TEXT = st.one_of(NASTY, st.text(max_size=120), st.text(alphabet=st.characters(codec="utf-8"), max_size=40))


def paths(value: Any, prefix: tuple = ()) -> list[tuple]:
    """Every key path in plain data."""
    found = [prefix]
    if isinstance(value, dict):
        for key, child in value.items():
            found += paths(child, (*prefix, key))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            found += paths(child, (*prefix, index))
    return found


def at(data: Any, path: tuple) -> Any:
    """The value at a key path."""
    for part in path:
        data = data[part]
    return data


def apply(data: Any, path: tuple, action: str, text: str) -> Any:
    """Replace, extend, drop, retype or add next to the value at a path."""
    data = copy.deepcopy(data)
    if not path:
        return text if action == "retype" else data
    parent = at(data, path[:-1])
    key = path[-1]
    if action == "replace":
        parent[key] = text
    elif action == "append":
        parent[key] = f"{parent[key]} {text}"
    elif action == "drop":
        del parent[key]
    elif action == "retype":
        parent[key] = [text] if isinstance(parent[key], str) else text
    elif action == "extra" and isinstance(parent, dict):
        parent[f"{key}x"] = text
    return data


STRING_PATHS = [path for path in paths(BASE) if isinstance(at(BASE, path), str)]
# Structurally valid: same keys and types, only the strings change.
VALID_EDIT = st.tuples(st.sampled_from(STRING_PATHS), st.sampled_from(["replace", "append", "append"]), TEXT)
# Mutated: anything may be dropped, retyped or added.
MUTATION = st.tuples(st.sampled_from(paths(BASE)), st.sampled_from(["replace", "drop", "retype", "extra"]), TEXT)
EDITS = st.one_of(st.lists(VALID_EDIT, min_size=1, max_size=4), st.lists(MUTATION, min_size=1, max_size=4))


def known_texts(data: Any, layout: str) -> list[str]:
    """Text from the shipped content that survived the edits and that this layout must print."""
    if not isinstance(data, dict):
        return []
    manifest = MANIFESTS[layout]
    title = "teacher_title" if manifest.audience == "staff" and data.get("teacher_title") else "title"
    known = [BASE[title]] if data.get(title) == BASE[title] else []
    base_headings = {s["id"]: s["heading"] for s in BASE["sections"]}
    for section in data.get("sections") or []:
        if isinstance(section, dict) and section.get("audience") in (manifest.audience, "everyone") \
                and section.get("heading") == base_headings.get(section.get("id")):
            known.append(section["heading"])
    return known


def check_pdf(path: Path, layout: str, paper: str, data: Any) -> None:
    """The written PDF has the layout's page count, paper and orientation, and prints the known text."""
    manifest = MANIFESTS[layout]
    body = path.read_bytes()
    reader = PdfReader(io.BytesIO(body))
    assert len(reader.pages) == manifest.pages, f"{path.name}: {len(reader.pages)} pages, want {manifest.pages}"
    short, long = PAPER_PT[paper]
    want = (long, short) if manifest.orientation == "landscape" else (short, long)
    for number, page in enumerate(reader.pages, 1):
        size = (float(page.mediabox.width), float(page.mediabox.height))
        assert abs(size[0] - want[0]) < 1 and abs(size[1] - want[1]) < 1, f"{path.name} p{number}: {size}"
    # Text through pdfium: when a character is missing from the font, WeasyPrint embeds an Encoding CMap that
    # pypdf and pdfminer misread (the bold text comes out as b"\x00M\x00A..." or not at all); pdfium reads it.
    document = pypdfium2.PdfDocument(body)
    try:
        text = fold(" ".join(page.get_textpage().get_text_range() for page in document))
    finally:
        document.close()
    missing = [known for known in known_texts(data, layout) if fold(known) not in text]
    assert not missing, f"{path.name} lacks {missing}"


def run_cli(args: list[str], cwd: str) -> tuple[subprocess.CompletedProcess, float]:
    """Run `python -m othandout ...`; fail the test if it does not finish within BOUND_S seconds."""
    env = {k: v for k, v in os.environ.items() if k != "OTHANDOUT_DEBUG"}
    start = time.monotonic()
    try:
        result = subprocess.run([sys.executable, "-m", "othandout", *args], cwd=cwd, env=env, capture_output=True,
                                text=True, encoding="utf-8", errors="replace", timeout=BOUND_S)
    except subprocess.TimeoutExpired:
        pytest.fail(f"othandout {' '.join(args)} did not finish within {BOUND_S:g} s")
    return result, time.monotonic() - start


@given(EDITS, st.sampled_from(["letter", "a4"]), st.sampled_from(["error", "shrink"]))
@example([], "letter", "error")  # the shipped content: every layout builds
@example([(("sections", 0, "heading"), "append", "مرحبا 😀"), (("intro",), "append", "שלום " + "x" * 60),
          (("title",), "append", "\u202eevil")], "a4", "shrink")
def test_any_content_builds_or_fails_cleanly(edits: list, paper: str, fit: str) -> None:
    data = BASE
    for path, action, text in edits:
        try:
            data = apply(data, path, action, text)
        except (KeyError, IndexError, TypeError):
            continue  # an earlier edit removed or retyped this path
    with tempfile.TemporaryDirectory() as folder:
        content, out = Path(folder) / "content.yaml", Path(folder) / "out"
        content.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
        result, elapsed = run_cli(["build", "--content", str(content), "--out", str(out),
                                   "--paper", paper, "--fit", fit], folder)
        output = result.stdout + result.stderr
        assert elapsed < BOUND_S, f"took {elapsed:.1f} s"
        assert result.returncode in (0, 1), output
        assert "Traceback" not in output and "internal problem" not in output, output
        written = sorted(out.glob("*.pdf")) if out.exists() else []
        expected = {out / f"{name}{PaperSpec(paper).suffix(MANIFESTS[name].papers[0])}.pdf": name
                    for name in LAYOUTS if paper in MANIFESTS[name].papers}
        assert set(written) <= set(expected), written
        assert sorted(line.split()[1] for line in result.stdout.splitlines() if line.startswith("wrote ")) \
            == [str(path) for path in written], output
        if result.returncode == 0:
            assert set(written) == set(expected), output
        else:
            assert any(line.startswith("error: ") and line[7:].strip() for line in result.stderr.splitlines()), output
        event(f"exit {result.returncode}, {len(written)} PDF(s) written")
        for path in written:  # also the layouts that passed when another one failed
            check_pdf(path, expected[path], paper, data)
