"""Trifold geometry from docs/print.md, checked on the real PDF's glyph and shape positions."""

from __future__ import annotations

import io
from collections.abc import Callable

import pdfplumber
import pytest
import yaml

from pathlib import Path

from othandout.pipeline.content import load_content
from othandout.pipeline.layouts import load_layout
from support import CONTENT, IN, built_pdf, chars, content_data, raw_pdf, user_layout, write_data

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
    """Rendered without the contract check, a back cover given too much text spills past its safe zone (the
    renderer cuts text at the sheet's edge, so one of a few lengths lands in the margin)."""
    data = content_data()
    spilled = []
    for times in (10, 13, 16):
        data["footer_note"] = " ".join([content_data()["footer_note"]] * times)  # nothing can flow away from it
        spilled.append(strays(raw_pdf(write_data(tmp_path, data), "trifold", paper), paper))
    assert any(spilled)


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
    assert load_layout("trifold", tmp_path).folder == tmp_path / "layouts" / "trifold"
    return raw_pdf(content, "trifold", paper)


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


def test_sections_flow_left_to_right_across_the_inside() -> None:
    """The sections printed inside (page 2) appear in content order, panel by panel from left to right."""
    content = load_content(CONTENT)
    with pdfplumber.open(io.BytesIO(built_pdf("trifold"))) as pdf:
        text_page = pdf.pages[1]
        found = [text_page.search(s.heading[:18]) for s in content.sections if s.audience in ("parents", "everyone")]
    panels = [panel_of(hits[0]["x0"], hits[0]["x0"] + 1, EDGES["letter"][2]) for hits in found if hits]
    assert len(panels) >= 2 and panels == sorted(panels)
