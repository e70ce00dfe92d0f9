"""Shared helpers for the tests: build PDFs once per session and read them back with pdfplumber/pypdf."""

from __future__ import annotations

import io
import re
import shutil
import tempfile
from functools import cache
from pathlib import Path

import pdfplumber
from pypdf import PdfReader

from othandout.build import BuildOptions, Built, build, engine
from othandout.pipeline.layouts import available, load_layout
from othandout.pipeline.papers import PaperSpec

ROOT = Path(__file__).resolve().parents[1]
CONTENT = ROOT / "content.yaml"
LAYOUTS = list(available(ROOT))
LAYOUT_PAPERS = [(name, paper) for name in LAYOUTS for paper in load_layout(name, ROOT).manifest.papers]
IN = 72.0


@cache
def built_pdf(layout: str, paper: str | None = None, bleed: bool = False, fold_marks: bool = False) -> bytes:
    """Build one layout from the shipped content (once per session) and return the PDF bytes."""
    with tempfile.TemporaryDirectory() as out:
        [result] = build(BuildOptions(content=CONTENT, out=Path(out), layouts=[layout],
                                      paper=PaperSpec(paper, bleed, fold_marks)))
        return result.path.read_bytes()


def build_into(content: Path, out: Path, layout: str, **options) -> list[Built]:
    """Build one layout from a given content file."""
    paper = PaperSpec(options.pop("paper", None), options.pop("bleed", False), options.pop("fold_marks", False))
    return build(BuildOptions(content=content, out=out, layouts=[layout], paper=paper, **options))


def raw_pdf(content: Path, layout: str, paper: str | None = None, fit: str = "error") -> bytes:
    """Lay out one layout and write its PDF without the contract check (to see what a broken check would let by)."""
    from othandout.pipeline.content import load_content
    from othandout.pipeline.fit import lay_out
    from othandout.pipeline.html import Assets

    loaded = load_content(content)
    found = load_layout(layout, content.parent)
    laid = lay_out(loaded, found, PaperSpec(paper).on(found.manifest.papers), Assets.of(loaded, content.parent),
                   fit, engine())  # type: ignore[arg-type]
    return laid.rendering.pdf()


def text_of(data: bytes) -> str:
    """All the text of a PDF, whitespace folded, hyphenation at line ends undone."""
    reader = PdfReader(io.BytesIO(data))
    return fold(" ".join(page.extract_text() for page in reader.pages))


def fold(text: str) -> str:
    """Fold whitespace and rejoin words hyphenated at a line break."""
    text = re.sub(r"-\s*\n\s*", "", text)
    return " ".join(text.replace("\u00a0", " ").split())


def chars(data: bytes) -> list[list[dict]]:
    """pdfplumber's characters, per page, with positions in points from the top-left of the trim box."""
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        return [[c for c in page.chars if c["text"].strip()] for page in pdf.pages]


def words(data: bytes) -> list[list[dict]]:
    """pdfplumber's words per page."""
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        return [page.extract_words() for page in pdf.pages]


def write_content(tmp_path: Path, text: str) -> Path:
    """Write a content file into a fresh folder and return its path."""
    path = tmp_path / "content.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def content_data() -> dict:
    """The shipped content as plain data (every scalar a string), ready to mutate."""
    from othandout.pipeline.load import load_yaml

    return load_yaml(CONTENT).data


def write_data(tmp_path: Path, data: dict) -> Path:
    """Dump mutated content data to tmp_path/content.yaml."""
    import yaml

    return write_content(tmp_path, yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100))


def user_layout(tmp_path: Path, name: str = "tip-sheet", css: str = "", template: str | None = None) -> Path:
    """Copy a built-in layout into tmp_path/layouts/<name>, append CSS, optionally replace the template."""
    target = tmp_path / "layouts" / name
    shutil.copytree(ROOT / "layouts" / name, target)
    with (target / f"{name}.css").open("a", encoding="utf-8") as handle:
        handle.write("\n" + css)
    if template is not None:
        (target / f"{name}.html.j2").write_text(template, encoding="utf-8")
    (tmp_path / "content.yaml").write_bytes(CONTENT.read_bytes())
    return tmp_path / "content.yaml"


def line_of(text: str, needle: str) -> int:
    """The 1-based number of the one line of `text` that contains `needle`."""
    found = [n for n, line in enumerate(text.split("\n"), 1) if needle in line]
    assert len(found) == 1, f"{needle!r} is on lines {found}"
    return found[0]


def line_text(text: str, needle: str) -> str:
    """The whole line of `text` that contains `needle`."""
    return text.split("\n")[line_of(text, needle) - 1]
