"""Print-shop output: bleed, trim and bleed boxes, and crop and fold marks a print shop accepts.

Marks are read back from the PDF as drawn lines and held to docs/print.md: crop marks lie wholly outside the
bleed box, at least the bleed's width from the trim; fold marks lie only outside the trim; both are artifacts
drawn in registration colour (every separation)."""

from __future__ import annotations

import io
from pathlib import Path

import pdfplumber
import pikepdf
import pytest
from pypdf import PdfReader

from othandout.pipeline.layouts import load_layout
from othandout.pipeline.papers import PaperSpec
from support import CONTENT, IN, LAYOUT_PAPERS, LAYOUTS, ROOT, built_pdf

FOLDED = [(name, paper) for name, paper in LAYOUT_PAPERS if load_layout(name, ROOT).manifest.folded]


def boxes(page: pikepdf.Page) -> tuple[list[float], list[float], list[float]]:
    """The media, bleed and trim boxes of a page."""
    return ([float(v) for v in page.MediaBox], [float(v) for v in page.BleedBox], [float(v) for v in page.TrimBox])


def lines(data: bytes) -> list[list[tuple[float, float, float, float]]]:
    """Each page's drawn lines as (x0, y0, x1, y1) in PDF space (origin at the bottom left)."""
    pages = []
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        for page in pdf.pages:
            h = float(page.height)
            pages.append([(ln["x0"], h - ln["bottom"], ln["x1"], h - ln["top"]) for ln in page.lines])
    return pages


def outside(line: tuple[float, float, float, float], box: list[float], by: float = 0.0) -> bool:
    """True when a line lies wholly outside a box grown by `by` on every side."""
    x0, y0, x1, y1 = line
    left, bottom, right, top = box[0] - by, box[1] - by, box[2] + by, box[3] + by
    return max(x0, x1) < left or min(x0, x1) > right or max(y0, y1) < bottom or min(y0, y1) > top


@pytest.mark.parametrize(("layout", "paper"), LAYOUT_PAPERS)
def test_bleed_output_has_trim_and_bleed_boxes_inside_a_sheet_with_room_for_marks(layout: str, paper: str) -> None:
    spec = PaperSpec(paper, bleed=True)
    width, height = load_layout(layout, ROOT).page_size(paper)
    bleed, offset = load_layout(layout, ROOT).bleed_pt(paper), spec.offset()
    with pikepdf.open(io.BytesIO(built_pdf(layout, paper, bleed=True))) as pdf:
        assert len(pdf.pages) == load_layout(layout, ROOT).manifest.pages
        for page in pdf.pages:
            media, bleedbox, trim = boxes(page)
            assert media == pytest.approx([0, 0, width + 2 * offset, height + 2 * offset], abs=0.01)
            assert trim == pytest.approx([offset, offset, offset + width, offset + height], abs=0.01)
            assert bleedbox == pytest.approx([offset - bleed, offset - bleed, offset + width + bleed,
                                              offset + height + bleed], abs=0.01)


@pytest.mark.parametrize(("layout", "paper"), LAYOUT_PAPERS)
def test_crop_marks_lie_outside_the_bleed_a_bleed_away_from_the_trim(layout: str, paper: str) -> None:
    data = built_pdf(layout, paper, bleed=True)
    bleed = load_layout(layout, ROOT).bleed_pt(paper)
    with pikepdf.open(io.BytesIO(data)) as pdf:
        page_boxes = [boxes(page) for page in pdf.pages]
    for drawn, (_, bleedbox, trim) in zip(lines(data), page_boxes):
        marks = [ln for ln in drawn if outside(ln, trim)]
        assert len(marks) == 8, "two marks at each corner"
        assert all(outside(ln, bleedbox) and outside(ln, trim, by=bleed) for ln in marks)
        for x0, y0, x1, y1 in marks:  # each mark continues a trim edge: horizontal ones its top or bottom
            if abs(y0 - y1) < 0.01:
                assert min(abs(y0 - trim[1]), abs(y0 - trim[3])) < 0.01
            else:
                assert abs(x0 - x1) < 0.01 and min(abs(x0 - trim[0]), abs(x0 - trim[2])) < 0.01


@pytest.mark.parametrize(("layout", "paper"), LAYOUT_PAPERS[:2])
def test_marks_are_artifacts_in_registration_colour(layout: str, paper: str) -> None:
    with pikepdf.open(io.BytesIO(built_pdf(layout, paper, bleed=True))) as pdf:
        page = pdf.pages[0]
        spaces = [v for v in page.Resources.ColorSpace.values() if v[0] == pikepdf.Name.Separation]
        assert [str(v[1]) for v in spaces] == ["/All"]
        ops = pikepdf.parse_content_stream(page)
        marked = [i for i, (operands, op) in enumerate(ops) if str(op) == "BMC" and operands[0] == "/Artifact"]
        assert any(str(op) == "SCN" for _, op in ops[marked[-1]:])


def test_plain_output_has_no_marks_and_no_extra_boxes() -> None:
    with pikepdf.open(io.BytesIO(built_pdf("trifold"))) as pdf:
        for page in pdf.pages:
            assert "/TrimBox" not in page.obj or boxes(page)[2] == boxes(page)[0]
            assert not any(v[0] == pikepdf.Name.Separation for v in page.Resources.get("/ColorSpace", {}).values())


@pytest.mark.parametrize(("layout", "paper"), FOLDED)
def test_fold_marks_sit_at_the_folds_outside_the_trim(layout: str, paper: str) -> None:
    data = built_pdf(layout, paper, bleed=True, fold_marks=True)
    spec = PaperSpec(paper, bleed=True, fold_marks=True)
    folds = load_layout(layout, ROOT).folds(paper)
    bleed = load_layout(layout, ROOT).bleed_pt(paper)
    with pikepdf.open(io.BytesIO(data)) as pdf:
        page_boxes = [boxes(page) for page in pdf.pages]
    for number, (drawn, (_, bleedbox, trim)) in enumerate(zip(lines(data), page_boxes), start=1):
        xs = [spec.offset() + x for x in folds[number]]
        at_folds = [ln for ln in drawn if ln[0] == ln[2] and any(abs(ln[0] - x) < 0.01 for x in xs)]
        assert len(at_folds) == 2 * len(xs), "one mark above and one below each fold"
        assert all(outside(ln, trim, by=bleed) and outside(ln, bleedbox) for ln in at_folds)


def glyph_origins(data: bytes) -> list[list[tuple[str, float, float]]]:
    """Each text run's origin relative to the page's trim box, per page."""
    pages = []
    for page in PdfReader(io.BytesIO(data)).pages:
        found: list[tuple[str, float, float]] = []
        left, bottom = float(page.trimbox.left), float(page.trimbox.bottom)

        def visit(text: str, cm: list, tm: list, *_) -> None:
            if text.strip():
                x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
                y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
                found.append((text, round(x - left, 2), round(y - bottom, 2)))

        page.extract_text(visitor_text=visit)
        pages.append(found)
    return pages


@pytest.mark.parametrize(("layout", "paper"), LAYOUT_PAPERS)
def test_bleed_does_not_move_the_text_on_the_trimmed_page(layout: str, paper: str) -> None:
    plain, bled = glyph_origins(built_pdf(layout, paper)), glyph_origins(built_pdf(layout, paper, bleed=True))
    assert all(plain) and [[t for t, _, _ in page] for page in bled] == [[t for t, _, _ in page] for page in plain]
    assert all(abs(a[1] - b[1]) < 0.02 and abs(a[2] - b[2]) < 0.02 for pa, pb in zip(plain, bled) for a, b in zip(pa, pb))


def test_the_file_name_says_which_marks_a_pdf_has() -> None:
    names = [PaperSpec(p, bleed=b, fold_marks=f).suffix() for p, b, f in
             [("letter", False, False), ("a4", False, False), ("letter", True, False), ("a4", True, True)]]
    assert names == ["", "-a4", "-print", "-a4-print-folds"]
    assert PaperSpec("tabloid").suffix("tabloid") == "" and PaperSpec("a3").suffix("tabloid") == "-a3"


def test_fold_marks_for_every_layout_make_only_the_folded_ones(tmp_path: Path) -> None:
    """A one-pager has no folds: a '-print-folds' copy of it would only repeat its '-print' PDF."""
    from othandout.build import BuildOptions, build
    from othandout.errors import ContractError

    folded = sorted(name for name in LAYOUTS if load_layout(name, ROOT).manifest.folded)
    built = build(BuildOptions(content=CONTENT, out=tmp_path, paper=PaperSpec(None, bleed=True, fold_marks=True)))
    assert sorted(b.layout for b in built) == folded
    assert sorted(p.name for p in tmp_path.iterdir()) == [f"{name}-print-folds.pdf" for name in folded]
    with pytest.raises(ContractError, match="handout: has no folds, so --fold-marks has nothing to mark"):
        build(BuildOptions(content=CONTENT, out=tmp_path, layouts=["handout"],
                           paper=PaperSpec(None, bleed=True, fold_marks=True)))


def test_a_bleed_is_the_print_shop_standard() -> None:
    assert load_layout("trifold", ROOT).bleed_pt("letter") == pytest.approx(0.125 * IN)
    assert load_layout("trifold", ROOT).bleed_pt("a4") == pytest.approx(3 * 72 / 25.4)
