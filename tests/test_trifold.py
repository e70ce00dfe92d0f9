"""Trifold geometry from docs/print.md, checked on the real PDF's glyph and shape positions."""

from __future__ import annotations

import io
from collections.abc import Callable

import pdfplumber
import pytest
import yaml
from pypdf import PdfReader

from pathlib import Path

from othandout.content import load_content
from othandout.layouts import PaperSpec, load_layout
from othandout.render import render
from support import CONTENT, IN, ROOT, built_pdf, chars, content_data, user_layout, write_data

MM = 72 / 25.4
SAFE = 0.25 * IN
# Panel edges (left to right) per paper and page, straight from docs/print.md, in points.
EDGES = {
    "letter": {1: [0, 3.625 * IN, 7.3125 * IN, 11 * IN], 2: [0, 3.6875 * IN, 7.375 * IN, 11 * IN]},
    "a4": {1: [0, 97 * MM, 197 * MM, 297 * MM], 2: [0, 100 * MM, 200 * MM, 297 * MM]},
}
HEIGHT = {"letter": 8.5 * IN, "a4": 210 * MM}


def panel_of(x0: float, x1: float, edges: list[float]) -> int | None:
    """The panel a glyph lies in with its safe margins, or None when it strays."""
    for index, (left, right) in enumerate(zip(edges, edges[1:])):
        if left + SAFE - 0.01 <= x0 and x1 <= right - SAFE + 0.01:
            return index
    return None


def strays(pdf: bytes, paper: str) -> str:
    """The characters that cross a fold or leave their panel's safe zone."""
    found = []
    for number, page in enumerate(chars(pdf), start=1):
        edges = EDGES[paper][number]
        found += [c["text"] for c in page if panel_of(c["x0"], c["x1"], edges) is None
                  or c["top"] < SAFE or c["bottom"] > HEIGHT[paper] - SAFE]
    return "".join(found)


@pytest.mark.parametrize("paper", ["letter", "a4"])
def test_every_glyph_is_inside_a_panel_safe_zone(paper: str) -> None:
    assert strays(built_pdf("trifold", paper), paper) == ""


@pytest.mark.parametrize("paper", ["letter", "a4"])
def test_the_geometry_check_sees_an_overfilled_panel(tmp_path: Path, paper: str) -> None:
    """Rendered without the contract check, a panel given too much text spills past its safe zone."""
    data = content_data()
    data["faq"][2]["answer"] = " ".join([data["faq"][2]["answer"]] * 6)
    path = write_data(tmp_path, data)
    rendered = render(load_content(path), load_layout("trifold", ROOT), PaperSpec(paper), tmp_path, 11.5)
    assert strays(rendered.pdf(), paper) != ""


def missed_folds(pdf: bytes, paper: str) -> list[float]:
    """docs/print.md's folds on page one that the panel backgrounds miss: the flap's tint must end at the first fold
    and the cover's colour start at the second. The folds missed, in points rounded to 0.1."""
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        wide = [r for r in doc.pages[0].rects if r["width"] > 2 * IN and r["height"] > 7 * IN]
    lefts = {round(r["x0"], 1) for r in wide}
    rights = {round(r["x1"], 1) for r in wide}
    first_fold, second_fold = (round(x, 1) for x in EDGES[paper][1][1:3])
    return [fold for fold, edges in ((first_fold, rights), (second_fold, lefts)) if fold not in edges]


@pytest.mark.parametrize("paper", ["letter", "a4"])
def test_panel_backgrounds_meet_the_folds(paper: str) -> None:
    assert missed_folds(built_pdf("trifold", paper), paper) == []


def user_trifold(tmp_path: Path, paper: str, css: str = "", edit: Callable[[dict], None] | None = None) -> bytes:
    """Render a project's own copy of the trifold (tmp_path/layouts/trifold) with extra CSS and an edited
    layout.yaml, without the contract check."""
    content = user_layout(tmp_path, "trifold", css)
    if edit is not None:
        path = tmp_path / "layouts" / "trifold" / "layout.yaml"
        manifest = yaml.safe_load(path.read_text(encoding="utf-8"))
        edit(manifest)
        path.write_text(yaml.safe_dump(manifest, sort_keys=False), encoding="utf-8")
    layout = load_layout("trifold", tmp_path)
    assert layout.folder == tmp_path / "layouts" / "trifold"
    return render(load_content(content), layout, PaperSpec(paper), tmp_path, layout.manifest.body_pt).pdf()


@pytest.mark.parametrize("paper", ["letter", "a4"])
def test_the_geometry_check_sees_css_that_moves_a_panel_over_a_fold(tmp_path: Path, paper: str) -> None:
    """A CSS change that slides the back cover's text 11-25 pt left puts it over the first fold's safe zone."""
    pdf = user_trifold(tmp_path, paper, "#region-back-cover { left: 250pt !important; }")
    assert strays(pdf, paper) != ""
    assert missed_folds(pdf, paper) == []  # the backgrounds did not move: only the glyph check can see this


@pytest.mark.parametrize("paper", ["letter", "a4"])
def test_the_geometry_check_sees_css_that_moves_a_panel_background(tmp_path: Path, paper: str) -> None:
    pdf = user_trifold(tmp_path, paper, "#bg-front-cover { left: 500pt !important; }")
    assert missed_folds(pdf, paper) == [round(EDGES[paper][1][2], 1)]


@pytest.mark.parametrize("paper", ["letter", "a4"])
def test_the_geometry_checks_see_a_layout_yaml_that_moves_a_fold(tmp_path: Path, paper: str) -> None:
    """Narrowing the inside flap in a copied layout.yaml moves the first fold away from docs/print.md's."""

    def narrow_flap(manifest: dict) -> None:
        flap, back = manifest["regions"][:2]
        assert (flap["id"], back["id"]) == ("inside-flap", "back-cover")
        flap["width"] = {"letter": "3.5in", "a4": "94mm"}
        back["left"] = {"letter": "3.5in", "a4": "94mm"}
        back["width"] = {"letter": "3.8125in", "a4": "103mm"}  # the second fold stays put

    pdf = user_trifold(tmp_path, paper, edit=narrow_flap)
    assert missed_folds(pdf, paper) == [round(EDGES[paper][1][1], 1)]
    assert strays(pdf, paper) != ""  # the back cover's text now starts inside the old fold's safe zone


def test_front_cover_title_is_in_the_right_third_of_page_one() -> None:
    title = load_content(CONTENT).title
    page = chars(built_pdf("trifold"))[0]
    big = [c for c in page if c["size"] > 20]
    assert "".join(c["text"] for c in big).replace(" ", "") == title.replace(" ", "")
    assert min(c["x0"] for c in big) > 11 * IN * 2 / 3


def test_inside_panels_read_left_to_right_on_page_two() -> None:
    content = load_content(CONTENT)
    with pdfplumber.open(io.BytesIO(built_pdf("trifold"))) as pdf:
        text_page = pdf.pages[1]

        def x_of(phrase: str) -> float:
            found = text_page.search(phrase)
            assert found, phrase
            return found[0]["x0"]

        order = [x_of(content.section("what-is-ot").heading[:20]), x_of(content.section("sessions").heading),
                 x_of(content.faq_heading)]
    assert order == sorted(order)
    assert [panel_of(x, x + 1, EDGES["letter"][2]) for x in order] == [0, 1, 2]


@pytest.mark.parametrize(("paper", "bleed_pt", "size_in"),
                         [("letter", 9.0, (11.25, 8.75)), ("a4", 3 * MM, ((297 + 6) / 25.4, (210 + 6) / 25.4))])
def test_bleed_grows_the_page_and_sets_the_trim_box(paper: str, bleed_pt: float, size_in: tuple) -> None:
    reader = PdfReader(io.BytesIO(built_pdf("trifold", paper, bleed=True)))
    for page in reader.pages:
        media, trim = page.mediabox, page.trimbox
        assert (float(media.width) / IN, float(media.height) / IN) == pytest.approx(size_in, abs=0.01)
        assert float(trim.left) - float(media.left) == pytest.approx(bleed_pt, abs=0.05)
        assert float(trim.width) == pytest.approx(EDGES[paper][1][-1], abs=0.05)
        assert float(trim.height) == pytest.approx(HEIGHT[paper], abs=0.05)
        assert float(page.bleedbox.width) == pytest.approx(float(media.width), abs=0.05)


def test_bleed_backgrounds_run_to_the_sheet_edge_and_crop_marks_are_drawn() -> None:
    with pdfplumber.open(io.BytesIO(built_pdf("trifold", bleed=True))) as pdf:
        page = pdf.pages[0]
        left, top, right, bottom = page.bbox  # the whole sheet, bleed included
        cover = [r for r in page.rects if r["height"] > 8 * IN and r["x1"] >= right - 0.5]
        marks = [r for r in page.rects if max(r["width"], r["height"]) < 9]
    assert cover, "the cover colour must run into the right-hand bleed"
    assert cover[0]["top"] <= top + 0.5 and cover[0]["bottom"] >= bottom - 0.5
    assert len(marks) >= 8


@pytest.mark.parametrize("paper", ["letter", "a4"])
def test_fold_marks_sit_on_the_folds_outside_the_text(paper: str) -> None:
    with pdfplumber.open(io.BytesIO(built_pdf("trifold", paper, fold_marks=True))) as pdf:
        for number, page in enumerate(pdf.pages, start=1):
            marks = [r for r in page.rects if r["width"] < 1 and r["height"] < 0.3 * IN]
            folds = EDGES[paper][number][1:3]
            for fold in folds:
                on_fold = [r for r in marks if abs((r["x0"] + r["x1"]) / 2 - fold) < 0.3]
                assert {r["top"] < SAFE for r in on_fold} == {True, False}, fold  # one at the top, one at the foot
            assert all(min(abs((r["x0"] + r["x1"]) / 2 - f) for f in folds) < 0.3 for r in marks)
            assert all(r["bottom"] <= SAFE or r["top"] >= HEIGHT[paper] - SAFE for r in marks)
