"""Print-perfect: balanced pages and line breaks a designer would sign off, read back from the real PDFs.

The rules (docs/print.md): a one-page sheet's columns end level and leave no wide empty band above the footer;
no folded panel is mostly empty while another is full; at most two hyphenated lines in a row, none in headings
or names or short words; no line starts with a dash or closing punctuation; a heading never ends on a lone
word; every panel starts with a heading or a designed element."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from pathlib import Path

import pdfplumber
import pytest

from othandout.pipeline.content import load_content
from othandout.pipeline.layouts import Region, load_layout
from othandout.build import Built
from othandout.errors import ContractError
from support import CONTENT, LAYOUTS, ROOT, build_into, built_pdf, content_data, write_data

IN = 72.0
EXAMPLES = {"example": CONTENT}
MAY_BE_REFUSED = {"long-clinic"}  # more than some layouts hold even at their smallest size
for _extra in ("examples/es/content.yaml", "tests/corpus/long-clinic.yaml"):
    if (ROOT / _extra).is_file():
        EXAMPLES[Path(_extra).parent.name if "examples" in _extra else Path(_extra).stem] = ROOT / _extra


def lines_of(data: bytes) -> Iterator[tuple[int, list[dict]]]:
    """Every printed line as its words, per page, in reading order within columns (grouped by top and x band)."""
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        for number, page in enumerate(pdf.pages, start=1):
            words = page.extract_words(extra_attrs=["size", "fontname"], keep_blank_chars=False, use_text_flow=True)
            line: list[dict] = []
            for word in words:
                if line and (abs(word["top"] - line[-1]["top"]) > 2 or word["x0"] < line[-1]["x0"]):
                    yield number, line
                    line = []
                line.append(word)
            if line:
                yield number, line


_CACHE: dict[tuple[str, str, str | None], Built] = {}


def result(name: str, layout: str, paper: str | None = None) -> Built:
    """A layout built once per session from one of the example files (with --fit shrink, which the long one needs),
    on its first paper or the one named."""
    import tempfile

    key = (name, layout, paper)
    if key not in _CACHE:
        with tempfile.TemporaryDirectory() as out:
            try:
                [_CACHE[key]] = build_into(EXAMPLES[name], Path(out), layout, fit="shrink", paper=paper)
            except ContractError as refused:
                if name not in MAY_BE_REFUSED:
                    raise
                _CACHE[key] = refused  # type: ignore[assignment]
    found = _CACHE[key]
    if isinstance(found, ContractError):  # test_corpus.py checks what the refusal says
        pytest.skip(f"{layout} refuses {name} even with --fit shrink: {found.message.splitlines()[0][:90]}")
    return found


def built(name: str, layout: str, paper: str | None = None) -> bytes:
    """The PDF of a layout built from one of the example files, on its first paper or the one named."""
    return built_pdf(layout, paper) if name == "example" else result(name, layout, paper).data


def region(layout: str, rid: str, paper: str | None = None) -> Region:
    """A region of a layout on its first paper or the one named."""
    found = load_layout(layout, ROOT)
    return next(r for r in found.regions(paper or found.manifest.papers[0]) if r.spec.id == rid)


def papers(layout: str) -> list[str]:
    """The papers a layout is made for."""
    return load_layout(layout, ROOT).manifest.papers


@pytest.mark.parametrize("paper", papers("handout"))
@pytest.mark.parametrize("name", EXAMPLES)
def test_the_handouts_columns_end_within_a_quarter_inch(name: str, paper: str) -> None:
    main, footer = region("handout", "main", paper), region("handout", "footer", paper)
    middle = main.box.x + main.box.w / 2
    with pdfplumber.open(io.BytesIO(built(name, "handout", paper))) as pdf:
        chars = [c for c in pdf.pages[0].chars if c["text"].strip() and c["bottom"] < footer.box.y]
    columns_top = max(c["top"] for c in chars if c["size"] > 20) + 40  # below the masthead, title and intro
    left = max(c["bottom"] for c in chars if c["x1"] < middle and c["top"] > columns_top)
    right = max(c["bottom"] for c in chars if c["x0"] > middle and c["top"] > columns_top)
    assert abs(left - right) <= 0.25 * IN, f"columns end {abs(left - right) / IN:.2f} in apart"


@pytest.mark.parametrize(("layout", "most"), [("tip-sheet", 0.75), ("handout", 0.8)])
@pytest.mark.parametrize("paper", papers("tip-sheet"))
@pytest.mark.parametrize("name", EXAMPLES)
def test_a_one_pager_leaves_no_wide_empty_band_above_its_footer(name: str, paper: str, layout: str,
                                                                most: float) -> None:
    """The flowing text grows into spare room (largest_pt) before the columns are spread: the handout on A4 left
    1.6 in empty, the tip sheet 0.9 in."""
    footer = region(layout, "footer", paper)
    with pdfplumber.open(io.BytesIO(built(name, layout, paper))) as pdf:
        page = pdf.pages[0]
        content_end = max(c["bottom"] for c in page.chars if c["text"].strip() and c["bottom"] < footer.box.y)
        rules = [r["top"] for r in page.rects + page.lines if r["top"] < footer.box.y]
    end = max([content_end, *rules])
    assert footer.box.y - end <= most * IN, f"{(footer.box.y - end) / IN:.2f} in of empty band above the footer"


@pytest.mark.parametrize("name", EXAMPLES)
def test_no_trifold_panel_is_mostly_empty_while_another_is_shrunk(name: str) -> None:
    layout = load_layout("trifold", ROOT)
    data = built(name, "trifold")
    panels = [r for r in layout.regions("letter") if "flow" in r.spec.blocks()]
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        fills = []
        for panel in panels:
            chars = [c for c in pdf.pages[panel.page - 1].chars
                     if panel.box.x <= c["x0"] < panel.box.right and c["text"].strip()]
            fills.append((max(c["bottom"] for c in chars) - panel.safe.y) / panel.safe.h)
    shrunk = name != "example" and bool(result(name, "trifold").shrunk)
    assert not shrunk or min(fills) >= 0.7, f"panel fills {[round(f, 2) for f in fills]} while text was shrunk"
    assert max(fills) <= 1.0


def text_words(path: Path) -> set[str]:
    """Every word the content file holds, lower-cased."""
    return {w.lower() for w in re.findall(r"[\w’'‑-]+", path.read_text(encoding="utf-8"))}


def hyphenation_breaks(data: bytes, words: set[str]) -> list[tuple[list[dict], list[dict]]]:
    """Pairs of consecutive lines where the first ends in a word broken by hyphenation (not a real hyphen)."""
    found, previous = [], None
    for _, line in lines_of(data):
        if previous and previous[-1]["text"].endswith("-"):
            head, tail = previous[-1]["text"].rstrip("-"), re.sub(r"\W+$", "", line[0]["text"])
            whole = (head + tail).lower()
            if whole in words or re.sub(r"\W", "", whole) in {re.sub(r"\W", "", w) for w in words}:
                if f"{head}-{tail}".lower() not in words:
                    found.append((previous, line))
        previous = line
    return found


@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("name", EXAMPLES)
def test_line_breaks_a_designer_would_sign_off(name: str, layout: str) -> None:
    data = built(name, layout)
    words = text_words(EXAMPLES[name])
    breaks = hyphenation_breaks(data, words)
    lines = [line for _, line in lines_of(data)]
    broken = {id(first) for first, _ in breaks}
    runs = max((sum(1 for _ in group) for key, group in _groups([id(line) in broken for line in lines]) if key),
               default=0)
    assert runs <= 2, "three hyphenated lines in a row"
    for first, _ in breaks:
        head = first[-1]
        assert not (head["fontname"].endswith("Bold") and head["size"] > 12), f"a heading is hyphenated: {head['text']}"
        assert len(re.sub(r"\W", "", head["text"])) >= 3, f"a short piece before a break: {head['text']}"
    for line in lines:
        assert not re.match(r"^[\u2013\u2014)\]},.;:!?]", line[0]["text"]), f"a line starts with {line[0]['text']!r}"


def _groups(flags: list[bool]) -> Iterator[tuple[bool, Iterator[bool]]]:
    """Runs of equal flags."""
    import itertools

    return itertools.groupby(flags)


@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("name", EXAMPLES)
def test_a_heading_never_ends_on_a_lone_word(name: str, layout: str) -> None:
    content = load_content(EXAMPLES[name])
    headings = {s.heading for s in content.sections} | {content.title, content.teacher_title}
    headings |= {f"{h} ({content.words()['continued']})" for h in set(headings) if h}  # carried on to a column
    lines = [line for _, line in lines_of(built(name, layout))]
    for first, second in zip(lines, lines[1:]):
        joined = " ".join(w["text"] for w in first + second).replace("\u00a0", " ")
        ends = [h for h in headings if h and joined == h]
        alone = len(" ".join(w["text"] for w in second).split()) == 1  # words glued by a no-break space count apart
        if ends and alone and first[0]["size"] >= second[0]["size"]:
            assert len(ends[0].split()) < 3, f"'{ends[0]}' ends on one word"


@pytest.mark.parametrize("layout", LAYOUTS)
def test_every_panel_starts_with_a_heading_or_a_designed_element(layout: str) -> None:
    found = load_layout(layout, ROOT)
    body = found.manifest.body_pt
    with pdfplumber.open(io.BytesIO(built_pdf(layout))) as pdf:
        for r in found.regions(found.manifest.papers[0]):
            chars = sorted((c for c in pdf.pages[r.page - 1].chars if c["text"].strip()
                            and r.box.x <= c["x0"] < r.box.right and r.box.y <= c["top"] < r.box.bottom),
                           key=lambda c: (round(c["top"]), c["x0"]))
            if not chars:
                continue
            first = chars[0]
            designed = "Bold" in first["fontname"] or first["size"] >= body * 1.1 or \
                any(rect["x0"] <= first["x0"] and rect["top"] <= first["top"] <= rect["bottom"] and rect["x1"] - rect["x0"] < r.box.w
                    for rect in pdf.pages[r.page - 1].rects)
            assert designed, f"{layout}: {r.spec.label} starts with a plain paragraph ({first['text']}…)"


@pytest.mark.parametrize(("size", "layout"), [((200, 200), "handout"), ((1600, 200), "handout"),
                                              ((400, 400), "trifold"), ((1600, 200), "poster")])
def test_a_logo_is_big_enough_to_read_and_keeps_its_shape(tmp_path: Path, size: tuple[int, int], layout: str) -> None:
    from PIL import Image

    data = content_data()
    data["organization"]["logo"] = "logo.png"
    Image.new("RGB", size, "#0b6e75").save(tmp_path / "logo.png")
    [result] = build_into(write_data(tmp_path, data), tmp_path / "out", layout)
    with pdfplumber.open(io.BytesIO(result.data)) as pdf:
        [image] = [i for p in pdf.pages for i in p.images if i["srcsize"] == size]
    assert image["height"] >= 0.5 * IN - 0.5
    assert image["width"] / image["height"] == pytest.approx(size[0] / size[1], rel=0.02)
