"""Attacks (issue 15): a shared layout, a logo or a content file is untrusted input.

Each test is one hostile input from the issue, given to the public command line only, since the internals
are being rewritten. The project folder is `tmp_path/proj`: the shipped content.yaml and, for a layout
attack, a copy of the built-in `handout` layout in `proj/layouts/handout` (the project's own copy comes
first). A canary file, `tmp_path/outside/secret.txt`, lies outside the project and holds a random token.

A refused attack must end like this (the issue's "What must be true"):
- exit 1 and an `error:` message naming the offending file, with its line where there is one; never a
  traceback or an "internal problem";
- the other layouts still build: a layout attack builds the broken `handout` copy together with the
  untouched built-in `tip-sheet`, and tip-sheet.pdf must be written;
- nothing leaks: the token is in no PDF (raw bytes, inflated streams, text, metadata) and not on the
  terminal, nothing changes outside output/, and the terminal gets no raw control characters.

An attack that can hang or eat memory runs `python -m othandout` in a subprocess, killed after TIMEOUT_S
and limited to MEMORY_CAP of address space; the others run in-process with Typer's CliRunner. The last
test generates hostile layouts from a small grammar (set HYPOTHESIS_PROFILE=long for many more examples).
"""

from __future__ import annotations

import ctypes
import io
import os
import re
import resource
import secrets
import select
import shutil
import signal
import struct
import subprocess
import sys
import tempfile
import threading
import time
import traceback
import zlib
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, example, given, settings
from hypothesis import strategies as st
from PIL import Image
from pypdf import PdfReader
from typer.testing import CliRunner

from othandout.cli import app
from support import CONTENT, ROOT

TOKEN = f"canary-{secrets.token_hex(8)}"  # lower case, so hex and UTF-16 forms are found case-blind
TIMEOUT_S = 60
MEMORY_CAP = 2 << 30
OTHER = "tip-sheet"  # the untouched built-in layout that must still build next to a broken one
BUILD = ["build", "--layout", "handout", "--layout", OTHER]
# Raw control characters a terminal acts on: C0 but tab and newline, DEL, and C1 (0x9b is a CSI), also as a
# lone byte (a subprocess's output is decoded with surrogateescape, which keeps a raw 0x9b as U+DC9B).
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\udc80-\udc9f]")
MANIFEST = (ROOT / "layouts" / "handout" / "layout.yaml").read_text(encoding="utf-8")
SHIPPED = CONTENT.read_text(encoding="utf-8")
# Puts `leak` (set by the attack on line 2) in a corner of every region, where it changes nothing else.
PRINT = ('{% block region %}{{ super() }}<div style="position: absolute; right: 0; top: -0.3in; '
         'white-space: nowrap; font-size: 4pt">{{ leak | default("") }}</div>{% endblock %}\n')


# --- running the command line ---------------------------------------------------------------------


@dataclass
class Run:
    """What one run of othandout did: exit code, terminal output, and files changed outside output/."""

    code: int
    stdout: str
    stderr: str
    changed: list[str] = field(default_factory=list)

    @property
    def output(self) -> str:
        """Everything printed."""
        return self.stdout + self.stderr


def new_project(folder: Path) -> Path:
    """Make `folder` a project holding the shipped content.yaml; beside it, the canary and a TMPDIR."""
    folder.mkdir()
    (folder / "content.yaml").write_text(SHIPPED, encoding="utf-8")
    (folder.parent / "outside").mkdir()
    secret(folder).write_text(TOKEN + "\n", encoding="utf-8")
    (folder.parent / "tmp").mkdir()  # TMPDIR of the subprocess runs
    return folder


@pytest.fixture
def proj(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A new project folder, as the working folder."""
    folder = new_project(tmp_path / "proj")
    monkeypatch.chdir(folder)
    return folder


def secret(proj: Path) -> Path:
    """The canary file outside the project."""
    return proj.parent / "outside" / "secret.txt"


def snapshot(proj: Path) -> dict[str, tuple]:
    """Every path under the test's folder but output/ and TMPDIR: its type, and a file's size and mtime.

    Links are not followed; a folder's own mtime is left out, since output/ is made inside the project."""
    found: dict[str, tuple] = {}
    for top, folders, files in os.walk(proj.parent):
        folders[:] = [f for f in folders if Path(top, f) not in (proj / "output", proj.parent / "tmp")]
        for name in folders:
            found[str(Path(top, name))] = (Path(top, name).lstat().st_mode,)
        for name in files:
            info = Path(top, name).lstat()
            found[str(Path(top, name))] = (info.st_mode, info.st_size, info.st_mtime_ns)
    return found


def changes(before: dict, after: dict) -> list[str]:
    """Paths created, deleted or modified between two snapshots."""
    return sorted(p for p in before.keys() | after.keys() if before.get(p) != after.get(p))


def cli(*args: str) -> Run:
    """Run othandout in-process in the working folder (the project); a crash is reported with its traceback."""
    proj = Path.cwd()
    before = snapshot(proj)
    result = CliRunner().invoke(app, list(args))
    stderr = result.stderr
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        stderr += "".join(traceback.format_exception(result.exception))
    return Run(result.exit_code, result.stdout, stderr, changes(before, snapshot(proj)))


def _cap_memory() -> None:
    """In the child: limit its address space to MEMORY_CAP."""
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_CAP, MEMORY_CAP))


def _environment(proj: Path, extra: dict[str, str] | None = None) -> dict[str, str]:
    """The environment of a subprocess run: TMPDIR in the test's folder, no debug switch."""
    env = {k: v for k, v in os.environ.items() if k != "OTHANDOUT_DEBUG"}
    return {**env, "TMPDIR": str(proj.parent / "tmp"), **(extra or {})}


def run(*args: str, env: dict[str, str] | None = None) -> Run:
    """Run `python -m othandout` in a subprocess, bounded by TIMEOUT_S and MEMORY_CAP; going past either fails."""
    proj = Path.cwd()
    before = snapshot(proj)
    command = f"othandout {' '.join(args)}"
    try:
        done = subprocess.run([sys.executable, "-m", "othandout", *args], capture_output=True, timeout=TIMEOUT_S,
                              env=_environment(proj, env), preexec_fn=_cap_memory)
    except subprocess.TimeoutExpired:
        done = None  # subprocess.run killed it; fail outside the handler, so the report is not a chained traceback
    if done is None:
        pytest.fail(f"{command} did not finish within {TIMEOUT_S} s")
    stdout, stderr = (stream.decode("utf-8", "surrogateescape") for stream in (done.stdout, done.stderr))
    if "MemoryError" in stderr or "bad_alloc" in stderr:
        pytest.fail(f"{command} ran out of its {MEMORY_CAP >> 30} GiB of memory:\n{stderr[-3000:]}")
    if done.returncode < 0:
        pytest.fail(f"{command} was killed by signal {-done.returncode}:\n{stderr[-3000:]}")
    return Run(done.returncode, stdout, stderr, changes(before, snapshot(proj)))


# --- what every outcome must be ---------------------------------------------------------------------


def leaked(data: bytes) -> bool:
    """True if the token is anywhere in a PDF: its bytes, inflated streams, text or metadata, in any encoding."""
    forms = [TOKEN.encode(), TOKEN.encode("utf-16-be"), TOKEN.encode().hex().encode(),
             TOKEN.encode("utf-16-be").hex().encode()]
    blobs = [data]
    for stream in re.findall(rb"stream\r?\n(.*?)endstream", data, re.S):
        with suppress(zlib.error):
            blobs.append(zlib.decompressobj().decompress(stream))
    if any(form in blob.lower() for blob in blobs for form in forms):
        return True
    with suppress(Exception):  # an unreadable PDF is caught by the tests that want a valid one
        reader = PdfReader(io.BytesIO(data))
        text = "".join(page.extract_text() for page in reader.pages) + str(reader.metadata)
        return TOKEN in "".join(text.split())
    return False


def pdfs(proj: Path) -> list[Path]:
    """The PDFs written to output/."""
    return sorted((proj / "output").glob("*.pdf")) if (proj / "output").is_dir() else []


def assert_clean(result: Run, proj: Path) -> None:
    """No crash, no raw control character on the terminal, no leak, nothing changed outside output/."""
    assert "Traceback" not in result.output and "internal problem" not in result.output, result.output
    raw = sorted(set(CONTROL.findall(result.output)))
    assert not raw, f"the terminal got raw control characters {raw}:\n{result.output!r}"
    assert TOKEN not in result.output, f"the secret was printed:\n{result.output}"
    leaking = [p.name for p in pdfs(proj) if leaked(p.read_bytes())]
    assert not leaking, f"the secret is in {leaking}"
    assert not result.changed, f"changed outside output/: {result.changed}"


def assert_refused(result: Run, proj: Path, file: str, line: int | str | None = None,
                   built: tuple[str, ...] = (OTHER,), names: tuple[str, ...] = ()) -> None:
    """Exit 1, an `error:` naming `file` (at `line`, or "any" line) and `names`, `built` written, nothing leaked."""
    assert_clean(result, proj)
    assert result.code == 1, f"exit {result.code}, want 1 (refused)\n{result.output}"
    found = re.search(r"^error: .*", result.stderr, re.M | re.S)
    assert found, f"no error: message\n{result.output}"
    error = found.group()
    for name in (file, *names):
        assert name in error, f"the message does not name {name}:\n{error}"
    if line is not None:
        number = r"\d+" if line == "any" else str(line)
        assert re.search(rf"{re.escape(file)}(?::|,? line ){number}\b", error), \
            f"the message does not give the line of {file} ({line}):\n{error}"
    missing = [name for name in built if not (proj / "output" / f"{name}.pdf").is_file()]
    assert not missing, f"{missing} not built next to the broken one:\n{result.output}"


# --- making hostile inputs --------------------------------------------------------------------------


def handout(proj: Path) -> Path:
    """A copy of the built-in handout layout in the project's own layouts/ folder."""
    folder = proj / "layouts" / "handout"
    if not folder.exists():
        shutil.copytree(ROOT / "layouts" / "handout", folder)
    return folder


def template(proj: Path, attack: str) -> Path:
    """The handout copy with a template that runs `attack` on line 2 and prints `leak` in every region."""
    attack = attack.replace("SECRET", str(secret(proj))).replace("OUTSIDE", str(secret(proj).parent))
    path = handout(proj) / "handout.html.j2"
    path.write_text(f'{{% extends "base.html.j2" %}}\n{attack}\n{PRINT}', encoding="utf-8")
    return path


def manifest(proj: Path, old: str, new: str) -> int:
    """Replace `old` with `new` in the handout copy's layout.yaml; return the line on which `new` starts."""
    assert MANIFEST.count(old) == 1, f"expected exactly one {old!r} in layout.yaml"
    text = MANIFEST.replace(old, new)
    (handout(proj) / "layout.yaml").write_text(text, encoding="utf-8")
    return text[:text.index(new)].count("\n") + 1


def content(proj: Path, old: str, new: str) -> int:
    """Replace `old` with `new` in content.yaml; return the line on which `new` starts."""
    assert SHIPPED.count(old) == 1, f"expected exactly one {old!r} in content.yaml"
    text = SHIPPED.replace(old, new)
    (proj / "content.yaml").write_text(text, encoding="utf-8")
    return text[:text.index(new)].count("\n") + 1


def logo(proj: Path, name: str, data: bytes) -> int:
    """Save a logo file in the project and name it in content.yaml; return the line of `logo:`."""
    (proj / name).write_bytes(data)
    return content(proj, "  accent_colour:", f"  logo: {name}\n  accent_colour:")


def png(size: tuple[int, int] = (120, 60), mode: str = "RGB", noisy: bool = False) -> bytes:
    """A PNG image (random pixels if `noisy`, so it does not compress)."""
    image = Image.frombytes(mode, size, os.urandom(size[0] * size[1] * 3)) if noisy else Image.new(mode, size)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


# --- 1. a layout template gets plain data: it cannot read, write or reach Python --------------------

READS = {  # today each one puts the canary into the PDF
    "path-read-text": "{% set leak = layout.folder.joinpath('SECRET').read_text() %}",
    "path-read-bytes": "{% set leak = layout.stylesheet.parent.joinpath('SECRET').read_bytes() %}",
    "path-open": "{% set leak = layout.folder.joinpath('SECRET').open().read() %}",
}
ROUTES = {  # today's sandbox stops these, but its message names neither the template nor the line
    "content-class": "{% set leak = content.__class__.__mro__[-1].__subclasses__() %}",
    "self": "{% set leak = self._TemplateReference__context.parent %}",
    "cycler": "{% set leak = cycler.__init__.__globals__.os.popen('cat SECRET').read() %}",
    "joiner": "{% set leak = joiner.__init__.__globals__.os.environ %}",
    "namespace": "{% set leak = namespace.__init__.__globals__ %}",
    "lipsum": "{% set leak = lipsum.__globals__.os.environ %}",
    "range": "{% set leak = range.__globals__['os'].environ %}",
    "format": "{% set leak = '{0.__class__.__init__.__globals__}'.format(content) %}",
    "attr-filter": "{% set leak = (content | attr('__class__')).__subclasses__() %}",
    "undefined": "{% set leak = no_such_name.read_text() %}",
}


@pytest.mark.parametrize("attack", READS)
def test_a_template_cannot_read_a_file_outside(proj: Path, attack: str) -> None:
    """The canary outside the project never reaches the PDF; the template's line is named."""
    template(proj, READS[attack])
    assert_refused(cli(*BUILD), proj, "handout.html.j2", 2)


@pytest.mark.parametrize("attack", ROUTES)
def test_a_template_cannot_reach_python_internals(proj: Path, attack: str) -> None:
    """Every route to modules or objects fails with the template's file and line."""
    template(proj, ROUTES[attack])
    assert_refused(cli(*BUILD), proj, "handout.html.j2", 2)


WRITES = {
    "write-text": "{% set leak = layout.folder.joinpath('OUTSIDE/pwned.txt').write_text('pwned') %}",
    "unlink": "{% set leak = layout.folder.joinpath('SECRET').unlink() %}",
    "mkdir": "{% set leak = layout.folder.joinpath('OUTSIDE/made').mkdir() %}",
}


@pytest.mark.parametrize("attack", WRITES)
def test_a_template_cannot_write_or_delete_files(proj: Path, attack: str) -> None:
    """Nothing outside output/ is created, changed or deleted."""
    template(proj, WRITES[attack])
    assert_refused(cli(*BUILD), proj, "handout.html.j2", 2)


def test_check_runs_no_template_code_either(proj: Path) -> None:
    """`othandout check` renders the same templates: a write from one is refused too."""
    template(proj, WRITES["write-text"])
    result = cli("check", "--layout", "handout", "--layout", OTHER)
    assert_refused(result, proj, "handout.html.j2", 2, built=())
    assert f"ok {OTHER}" in result.stdout
    assert not (proj.parent / "outside" / "pwned.txt").exists()


def test_a_template_cannot_read_the_environment(proj: Path) -> None:
    """/proc/self/environ holds the process's secrets (in a subprocess, so the variable is really in it)."""
    template(proj, "{% set leak = layout.folder.joinpath('/proc/self/environ').read_text()"
                   ".split('CLINIC_API_KEY=')[1][:40] %}")
    assert_refused(run(*BUILD, env={"CLINIC_API_KEY": TOKEN}), proj, "handout.html.j2", 2)


# --- 2. links in a layout folder are followed only inside it ----------------------------------------


def _link_include(proj: Path, folder: Path) -> None:
    """notes.txt links to the canary; the template includes it."""
    (folder / "notes.txt").symlink_to(secret(proj))
    template(proj, '{% set leak %}{% include "notes.txt" %}{% endset %}')


def _link_template(proj: Path, folder: Path) -> None:
    """The template itself is a link to one outside, which prints the token."""
    outside = proj.parent / "outside" / "handout.html.j2"
    outside.write_text(f'{{% extends "base.html.j2" %}}\n{{% set leak = "{TOKEN}" %}}\n{PRINT}', encoding="utf-8")
    (folder / "handout.html.j2").unlink()
    (folder / "handout.html.j2").symlink_to(outside)


def _link_stylesheet(proj: Path, folder: Path) -> None:
    """The stylesheet is a link to one outside, which prints the token in a corner."""
    (folder / "handout.css").unlink()
    (folder / "handout.css").symlink_to(leak_css(proj))


def _link_manifest(proj: Path, folder: Path) -> None:
    """layout.yaml is a link to a (working) manifest outside."""
    outside = proj.parent / "outside" / "layout.yaml"
    outside.write_text(f"# {TOKEN}\n{MANIFEST}", encoding="utf-8")
    (folder / "layout.yaml").unlink()
    (folder / "layout.yaml").symlink_to(outside)


LINKS = {"notes.txt": _link_include, "handout.html.j2": _link_template, "handout.css": _link_stylesheet,
         "layout.yaml": _link_manifest}


@pytest.mark.parametrize("link", LINKS)
def test_a_link_out_of_the_layout_folder_is_refused(proj: Path, link: str) -> None:
    """A link to a file outside the layout folders is named and refused, whatever reads it."""
    LINKS[link](proj, handout(proj))
    assert_refused(cli(*BUILD), proj, link)


# --- 3. a manifest cannot point the renderer at other files -----------------------------------------

BASE_CSS = "base_css: [common.css, sheet.css]\n"
POINTERS = {  # a manifest line naming a file; LEAK is a stylesheet outside that prints the token
    "base-css-dot-dot": f"base_css: [common.css, sheet.css, '{'../' * 40}LEAK']",
    "base-css-absolute": "base_css: [common.css, sheet.css, 'LEAK']",
    "stylesheet-absolute": "stylesheet: LEAK",
    "stylesheet-dot-dot": "stylesheet: ../../../outside/leak.css",
    "template-dot-dot": "template: ../../../outside/secret.txt",
    "stylesheet-missing": "stylesheet: nosuch.css",
}


def leak_css(proj: Path) -> Path:
    """A working copy of the handout's stylesheet, outside the project, that prints the token in a corner."""
    css = (ROOT / "layouts" / "handout" / "handout.css").read_text(encoding="utf-8")
    path = proj.parent / "outside" / "leak.css"
    path.write_text(f'{css}\nbody::before {{ content: "{TOKEN}"; position: absolute; font-size: 4pt; }}\n',
                    encoding="utf-8")
    return path


def point(proj: Path, line: str) -> int:
    """Put a manifest line in place of base_css (if it is one) or after it; return its line number."""
    line = line.replace("LEAK", str(leak_css(proj)))
    if line.startswith("base_css:"):
        return manifest(proj, BASE_CSS, f"{line}\n")
    return manifest(proj, BASE_CSS, f"{BASE_CSS}{line}\n") + 1


@pytest.mark.parametrize("case", POINTERS)
def test_a_manifest_cannot_point_at_a_file_outside_or_missing(proj: Path, case: str) -> None:
    """base_css, stylesheet and template name files in the layout folders only; the manifest line is named."""
    line = point(proj, POINTERS[case])
    assert_refused(cli(*BUILD), proj, "layout.yaml", line)


@pytest.mark.parametrize("device", ["/dev/zero", "/dev/urandom"])
def test_a_stylesheet_that_is_a_device_is_refused_in_time(proj: Path, device: str) -> None:
    """Reading /dev/zero as CSS grows memory without end today."""
    line = point(proj, f"stylesheet: {device}")
    assert_refused(run(*BUILD), proj, "layout.yaml", line)


def _fifo(path: Path) -> None:
    """Replace a file by a named pipe, which blocks whoever opens it to read."""
    path.unlink(missing_ok=True)
    os.mkfifo(path)


PIPES = {  # (the file made a pipe, the layouts to build, the layouts that must be built)
    "stylesheet": ("layouts/handout/handout.css", BUILD, (OTHER,)),
    "manifest": ("layouts/handout/layout.yaml", BUILD, (OTHER,)),
    "content": ("content.yaml", BUILD, ()),
}


@pytest.mark.parametrize("case", PIPES)
def test_a_pipe_in_place_of_a_file_is_refused_in_time(proj: Path, case: str) -> None:
    """A FIFO hangs today's build forever; it must be refused as not a regular file, and named."""
    path, args, built = PIPES[case]
    handout(proj)
    _fifo(proj / path)
    assert_refused(run(*args), proj, Path(path).name, built=built)


def test_a_pipe_in_a_layout_not_asked_for_does_not_stop_the_build(proj: Path) -> None:
    """Building only tip-sheet reads every manifest today (for its warnings) and hangs on the pipe."""
    _fifo(handout(proj) / "layout.yaml")
    result = run("build", "--layout", OTHER)
    assert_clean(result, proj)
    assert result.code in (0, 1), result.output
    assert (proj / "output" / f"{OTHER}.pdf").is_file(), result.output


# --- 4. a logo is read once, checked, and bounded ---------------------------------------------------

IN_CLOSE_NOWRITE = 0x10


@contextmanager
def swap_after_second_read(path: Path, target: Path) -> Iterator[None]:
    """Replace `path` by a link to `target` as soon as it has been opened and closed twice (inotify)."""
    libc = ctypes.CDLL(None, use_errno=True)
    fd = libc.inotify_init1(os.O_NONBLOCK)
    assert fd >= 0 and libc.inotify_add_watch(fd, str(path).encode(), IN_CLOSE_NOWRITE) >= 0
    stop = threading.Event()

    def watch() -> None:
        """Count closes; swap after the second."""
        closes = 0
        while closes < 2 and not stop.is_set():
            if select.select([fd], [], [], 0.05)[0]:
                closes += len(os.read(fd, 4096)) // struct.calcsize("iIII")
        if closes >= 2:
            link = path.with_name(".swap")
            link.symlink_to(target)
            os.replace(link, path)

    thread = threading.Thread(target=watch, daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join(5)
        os.close(fd)


def test_a_logo_swapped_after_it_was_checked_never_reaches_the_pdf(proj: Path) -> None:
    """Today the JPEG is read again from disk while the PDF is written, after every check."""
    buffer = io.BytesIO()
    Image.new("RGB", (120, 60), "red").save(buffer, format="JPEG")
    logo(proj, "logo.jpg", buffer.getvalue())
    with swap_after_second_read(proj / "logo.jpg", secret(proj)):
        result = cli("build", "--layout", OTHER)
    assert "Traceback" not in result.output and "internal problem" not in result.output, result.output
    assert result.code in (0, 1), result.output
    assert TOKEN not in result.output
    assert not [p.name for p in pdfs(proj) if leaked(p.read_bytes())], "the swapped-in secret is in the PDF"


def _use_bomb(levels: int = 6, fan: int = 10) -> bytes:
    """An SVG of 0.7 KB that draws fan**levels rectangles through nested <use> (a million: > 60 s today)."""
    groups = "".join(f'<g id="u{n}">' + f'<use href="#u{n - 1}"/>' * fan + "</g>" for n in range(1, levels + 1))
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="40" height="20"><defs>'
            f'<rect id="u0" width="1" height="1"/>{groups}</defs><use href="#u{levels}"/></svg>').encode()


def test_an_svg_use_bomb_is_refused_in_time(proj: Path) -> None:
    """A million <use> copies from a tiny file: refused by element count or depth, naming the logo."""
    line = logo(proj, "logo.svg", _use_bomb())
    assert_refused(run("build", "--layout", OTHER), proj, "content.yaml", line, built=(), names=("logo.svg",))


def test_a_huge_png_is_refused_by_its_pixel_count(proj: Path) -> None:
    """177 megapixels from a 22 KB file: embedded whole today, with Pillow's raw warning on the terminal."""
    line = logo(proj, "logo.png", png((13300, 13300), mode="1"))
    result = run("build", "--layout", OTHER)
    assert "DecompressionBombWarning" not in result.stderr
    assert_refused(result, proj, "content.yaml", line, built=(), names=("logo.png",))


def _bmp_with_svg_text() -> bytes:
    """A BMP image whose pixels are followed by `<svg`, inside the first 64 KiB."""
    buffer = io.BytesIO()
    Image.new("RGB", (40, 20), "blue").save(buffer, format="BMP")
    return buffer.getvalue() + b"<!-- <svg -->"


def _tiff_with_svg_text() -> bytes:
    """A TIFF image with `<svg` in its description tag."""
    buffer = io.BytesIO()
    Image.new("RGB", (40, 20), "blue").save(buffer, format="TIFF", description="<svg>")
    return buffer.getvalue()


BAD_IMAGES = {
    "truncated-png": lambda: png(noisy=True)[:5000],
    "bmp-with-svg-text": _bmp_with_svg_text,
    "tiff-with-svg-text": _tiff_with_svg_text,
}


@pytest.mark.parametrize("case", BAD_IMAGES)
def test_a_truncated_or_mislabelled_logo_is_refused_with_its_line(proj: Path, case: str) -> None:
    """Today a cut-off PNG prints a black box and a BMP or TIFF passes as SVG, with exit 0."""
    line = logo(proj, "logo.png", BAD_IMAGES[case]())
    assert_refused(cli("build", "--layout", OTHER), proj, "content.yaml", line, built=(), names=("logo.png",))


# --- 5. template execution is bounded and every failure is located ---------------------------------

TEMPLATE_BOMBS = {
    "nested-loops": "{% for i in range(99999) %}{% for j in range(99999) %}{% endfor %}{% endfor %}",
    "huge-string": "{% set leak = 'x' * 2000000000 %}",
    "huge-padding": "{% set leak = 'x' | center(2000000000) %}",
    "huge-output": "{% set leak %}{% for i in range(99999) %}{{ 'x' * 99999 }}{% endfor %}{% endset %}",
    "lipsum": "{% set leak = lipsum(n=99999) %}",
    "format-width": "{% set leak = '{:>1500000000}'.format('a') %}",
    "format-map-width": "{% set leak = '{x:>1500000000}'.format_map({'x': 1}) %}",
    "percent-width": "{% set leak = '%1500000000s' % 'a' %}",
    "format-filter-width": "{% set leak = '%-1500000000d' | format(3) %}",
}


@pytest.mark.parametrize("bomb", TEMPLATE_BOMBS)
def test_a_template_that_loops_or_grows_without_end_is_stopped(proj: Path, bomb: str) -> None:
    """Loops and output are bounded: the layout fails with its line, within the time and memory bounds."""
    template(proj, TEMPLATE_BOMBS[bomb])
    result = run(*BUILD)
    assert_refused(result, proj, "handout.html.j2", 2)
    assert "too much memory" not in result.stderr, "refused before it is built, not after memory ran out"


TEMPLATE_ERRORS = {
    "zero-division": "{% set leak = 1/0 %}",
    "range-too-big": "{% set leak = range(10**9) | list %}",
}


@pytest.mark.parametrize("error", TEMPLATE_ERRORS)
def test_a_template_error_names_its_line_and_the_others_still_build(proj: Path, error: str) -> None:
    """Today these are an "internal problem" (or a message without a line) that stops every layout."""
    template(proj, TEMPLATE_ERRORS[error])
    assert_refused(cli(*BUILD), proj, "handout.html.j2", 2)


def test_a_template_that_includes_itself_is_refused(proj: Path) -> None:
    """Endless inclusion ends in a RecursionError today."""
    (handout(proj) / "handout.html.j2").write_text('{% include "handout.html.j2" %}\n', encoding="utf-8")
    assert_refused(run(*BUILD), proj, "handout.html.j2", 1)


def test_a_template_in_latin_1_names_its_line(proj: Path) -> None:
    """A template saved in Latin-1 is a UnicodeDecodeError today."""
    (handout(proj) / "handout.html.j2").write_bytes(b'{% extends "base.html.j2" %}\n{# Caf\xe9 #}\n')
    assert_refused(cli(*BUILD), proj, "handout.html.j2", 2)


# --- 6. manifest values are bounded ------------------------------------------------------------------


def _regions(count: int) -> str:
    """The shipped manifest plus `count` more regions, empty and one inch square, on page 1."""
    extra = "".join(f"  - {{id: r{n}, label: r{n}, page: 1, left: 1in, width: 1in, top: 1in, height: 1in, "
                    "padding: 0in}\n" for n in range(count))
    return MANIFEST.rstrip("\n") + "\n" + extra


ABSURD = {  # (old, new) in layout.yaml; the new value's line must be named
    "width-100000in": ("    right: 0.5in\n    top: 0.5in\n", "    width: 100000in\n    top: 0.5in\n"),
    "floor-above-body": ("floor_pt: 10\n", "floor_pt: 14\n"),
    "negative-left": ("    left: 0.5in\n    right: 0.5in\n    top", "    left: -40in\n    right: 0.5in\n    top"),
}


@pytest.mark.parametrize("case", ABSURD)
def test_an_absurd_manifest_value_is_refused_with_its_line(proj: Path, case: str) -> None:
    """Today a 100000in region prints text off the page and passes its contract; floor_pt > body_pt is kept."""
    line = manifest(proj, *ABSURD[case])
    assert_refused(cli(*BUILD), proj, "layout.yaml", line)


HUGE = {
    "pages-10000": ("pages: 1\n", "pages: 10000\n"),
    "pages-26-digits": ("pages: 1\n", "pages: 99999999999999999999999999\n"),
}


@pytest.mark.parametrize("case", HUGE)
def test_a_manifest_page_count_past_any_bound_is_refused_in_time(proj: Path, case: str) -> None:
    """10000 pages run past 180 s today; a 26-digit count eats memory until it runs out."""
    line = manifest(proj, *HUGE[case])
    assert_refused(run(*BUILD), proj, "layout.yaml", line)


def test_ten_thousand_regions_are_refused_in_time(proj: Path) -> None:
    """10000 regions run past 180 s today."""
    (handout(proj) / "layout.yaml").write_text(_regions(10_000), encoding="utf-8")
    assert_refused(run(*BUILD), proj, "layout.yaml", "any")


# --- 7. content: what reaches the terminal and the PDF's links --------------------------------------

ESCAPES = {  # (file, old, new): an escape sequence that retitles or clears the terminal
    "content-unknown-key": ("content.yaml", "lang: en\n", 'lang: en\n"\\e]0;pwned\\a\\e[2J": x\n'),
    "content-website": ("content.yaml", "  website: https://maplegrove.example\n",
                        '  website: "https://mg.example/\\e]0;pwned\\a"\n'),
    "layout-unknown-key": ("layout.yaml", "pages: 1\n", 'pages: 1\n"\\e]0;pwned\\a": x\n'),
}


@pytest.mark.parametrize("case", ESCAPES)
def test_an_escape_sequence_in_a_file_is_shown_escaped(proj: Path, case: str) -> None:
    """The message names the line and shows the escape as text, never sending it to the terminal raw."""
    file, old, new = ESCAPES[case]
    line = manifest(proj, old, new) if file == "layout.yaml" else content(proj, old, new)
    line += new.count("\n") - 1  # the hostile key or value is on the last line of `new`
    built = (OTHER,) if file == "layout.yaml" else ()
    assert_refused(cli(*BUILD), proj, file, line, built=built)


CONTROLS = {"nul": "\\0", "bel": "\\a", "esc": "\\e", "del": "\\x7f", "csi": "\\x9b"}
ADDRESSES = {"website": ("https://maplegrove.example", "https://maplegrove.example/{c}x"),
             "email": ("hello@maplegrove.example", "hello{c}@maplegrove.example")}


@pytest.mark.parametrize("char", CONTROLS)
@pytest.mark.parametrize("key", ADDRESSES)
def test_a_control_character_in_a_website_or_email_is_refused(proj: Path, key: str, char: str) -> None:
    """Today they are accepted and go into the PDF's links."""
    shipped, hostile = ADDRESSES[key]
    line = content(proj, f"  {key}: {shipped}\n", f'  {key}: "{hostile.format(c=CONTROLS[char])}"\n')
    assert_refused(cli("build", "--layout", OTHER), proj, "content.yaml", line, built=())


EMAILS = {"subject-and-body": "a@b.example?subject=Hi&body=Go.to", "encoded-bcc": "a@b.io%0Abcc%3Ac%40d.io"}


@pytest.mark.parametrize("case", EMAILS)
def test_an_email_that_is_more_than_an_address_is_refused(proj: Path, case: str) -> None:
    """Today `?subject=...&body=...` becomes a prefilled mailto: link on the PDF."""
    line = content(proj, "  email: hello@maplegrove.example\n", f'  email: "{EMAILS[case]}"\n')
    assert_refused(cli("build", "--layout", OTHER), proj, "content.yaml", line, built=())


SURROGATES = {"title": ("title: What is occupational therapy for kids?\n",
                        'title: "What is occupational therapy for kids? \\ud800"\n'),
              "website": ("  website: https://maplegrove.example\n",
                          '  website: "https://maplegrove.example/\\ud800"\n')}


@pytest.mark.parametrize("key", SURROGATES)
def test_a_lone_surrogate_is_refused_with_its_line(proj: Path, key: str) -> None:
    """A lone surrogate (YAML "\\ud800") is an "internal problem" today."""
    line = content(proj, *SURROGATES[key])
    assert_refused(cli("build", "--layout", OTHER), proj, "content.yaml", line, built=())


def test_twenty_thousand_faq_entries_build_or_are_refused_in_time(proj: Path) -> None:
    """Under the 1 MiB cap, but 2.5 minutes and 1.3 GB today: bounded, in time, or refused with the line."""
    entries = "".join(f"  - question: Why {n}?\n    answer: Because.\n" for n in range(20_000))
    content(proj, "faq:\n", f"faq:\n{entries}")
    assert (proj / "content.yaml").stat().st_size < 1 << 20
    result = run("build", "--layout", OTHER)
    assert_clean(result, proj)
    if result.code != 0:
        assert_refused(result, proj, "content.yaml", "any", built=(), names=("faq",))


# --- 8. signals stop the build cleanly --------------------------------------------------------------

SIGNALS = {"SIGTERM": (signal.SIGTERM, 143), "SIGINT": (signal.SIGINT, 130)}


@pytest.mark.parametrize("name", SIGNALS)
def test_a_signal_stops_the_build_cleanly(proj: Path, name: str) -> None:
    """After the first PDF: exit 128+signal, no temporary file or font folder, and a word on what was written."""
    sig, code = SIGNALS[name]
    proc = subprocess.Popen([sys.executable, "-m", "othandout", "build", "--layout", OTHER, "--layout", "trifold",
                             "--layout", "handout"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            env=_environment(proj), preexec_fn=_cap_memory)
    try:
        deadline = time.monotonic() + TIMEOUT_S
        while not (proj / "output" / f"{OTHER}.pdf").exists() and proc.poll() is None:
            assert time.monotonic() < deadline, f"no {OTHER}.pdf within {TIMEOUT_S} s"
            time.sleep(0.01)
        proc.send_signal(sig)
        stdout, stderr = (s.decode("utf-8", "replace") for s in proc.communicate(timeout=TIMEOUT_S))
    finally:
        proc.kill()
        proc.wait()
    assert proc.returncode == code, f"exit {proc.returncode}, want {code}\n{stdout}{stderr}"
    assert [p.name for p in (proj.parent / "tmp").iterdir()] == [], "left in TMPDIR"
    assert "Traceback" not in stderr and not CONTROL.search(stderr), stderr
    said = re.search(r"stopped: (.+) written; not written: (.+) \(their earlier", stderr)
    assert said, f"stderr should say what was written and what was not:\n{stderr}"
    written, left = (set(names.split(", ")) for names in said.groups())
    assert OTHER in written and left and written | left == {OTHER, "trifold", "handout"}, stderr
    # What it says was written is there, whole; nothing else is (layouts are made side by side, so the stop
    # may come after the second PDF too).
    assert sorted(p.name for p in (proj / "output").iterdir()) == sorted(f"{name}.pdf" for name in written)
    for name in written:
        assert (proj / "output" / f"{name}.pdf").read_bytes().rstrip().endswith(b"%%EOF")


# --- 9. generated hostile layouts --------------------------------------------------------------------

TEMPLATE_FRAGMENTS = [
    *READS.values(), *ROUTES.values(), WRITES["write-text"], *TEMPLATE_ERRORS.values(),
    TEMPLATE_BOMBS["nested-loops"], TEMPLATE_BOMBS["huge-string"], "{% set leak = 'ok' %}",
    '{% set leak %}{% include "handout.html.j2" %}{% endset %}', "{% set leak = '\x1b]0;pwned\x07' %}",
    "{% for x in %}", "{{", "{% set leak = lipsum(n=5) %}",
]
CSS_FRAGMENTS = [
    "", "p { color: red }", "@import url(SECRET);", "body { background: url(SECRET) }", "\x1b[2J { color: red }",
    "p::after { content: counter(x) }", "* { font-size: 1000in }", "@page { size: 100000in 100000in }",
    "p { width: 99999999999px }", "}}}}{{{{", "@font-face { font-family: X; src: url(/dev/zero) }",
]
MANIFEST_FRAGMENTS = [
    ("", ""), ("pages: 1\n", "pages: 10000\n"), ("floor_pt: 10\n", "floor_pt: 24\n"),
    ("    right: 0.5in\n    top: 0.5in\n", "    width: 100000in\n    top: 0.5in\n"),
    (BASE_CSS, f"{BASE_CSS}stylesheet: /dev/zero\n"), (BASE_CSS, f"{BASE_CSS}stylesheet: SECRET\n"),
    (BASE_CSS, f"base_css: [common.css, sheet.css, '{'../' * 40}SECRET']\n"), ("pages: 1\n", "pages: 1\n\x1b[2J: x\n"),
    ("safe: 0.5in", "safe: -9in"), ("body_pt: 11", "body_pt: 1e308"),
]


# Few examples by default (each is a subprocess build of two layouts); HYPOTHESIS_PROFILE=long runs many more.
# No shrinking: an example may take up to TIMEOUT_S, and the failing one is printed as it is.
EXAMPLES = {"long": 200}.get(os.environ.get("HYPOTHESIS_PROFILE", "ci"), 5)


@settings(max_examples=EXAMPLES, deadline=None, phases=[Phase.explicit, Phase.generate],
          suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(TEMPLATE_FRAGMENTS), st.sampled_from(CSS_FRAGMENTS), st.sampled_from(MANIFEST_FRAGMENTS))
@example(READS["path-read-text"], "", ("", ""))  # leaks the canary today
def test_hostile_layouts_property(attack: str, css: str, edit: tuple[str, str]) -> None:
    """Any mix of hostile template, CSS and manifest builds a valid PDF or fails with one located line."""
    with tempfile.TemporaryDirectory() as folder, working_in(new_project(Path(folder) / "proj")) as proj:
        leak = str(leak_css(proj))  # CSS and manifests point at this stylesheet, which prints the token
        template(proj, attack)
        with (handout(proj) / "handout.css").open("a", encoding="utf-8") as sheet:
            sheet.write("\n" + css.replace("SECRET", leak))
        if edit[0]:
            manifest(proj, edit[0], edit[1].replace("SECRET", leak))
        result = run(*BUILD)
        assert_clean(result, proj)
        assert result.code in (0, 1), result.output
        assert (proj / "output" / f"{OTHER}.pdf").is_file(), result.output
        if result.code == 0:
            assert PdfReader(proj / "output" / "handout.pdf").pages, "handout.pdf is not a PDF"
        else:
            errors = [line for line in result.stderr.splitlines() if line.startswith("error: ")]
            assert len(errors) == 1 and "handout" in errors[0], result.stderr


@contextmanager
def working_in(folder: Path) -> Iterator[Path]:
    """Work in `folder` for the block (a hypothesis example cannot use a function-scoped fixture)."""
    here = Path.cwd()
    os.chdir(folder)
    try:
        yield folder
    finally:
        os.chdir(here)
