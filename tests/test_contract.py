"""Every layout folder, on every paper it supports, meets its contract in the real PDF."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from othandout.pipeline.content import load_content
from othandout.pipeline.layouts import load_layout
from support import CONTENT, IN, LAYOUT_PAPERS, LAYOUTS, ROOT, built_pdf, chars, fold, text_of

def expected_size(layout: str, paper: str) -> tuple[float, float]:
    """Trim size in inches from the paper's data and the manifest's orientation."""
    from othandout.pipeline.papers import paper as named

    w, h = named(paper).width / IN, named(paper).height / IN
    return (h, w) if load_layout(layout, ROOT).manifest.orientation == "landscape" else (w, h)


@pytest.mark.parametrize(("layout", "paper"), LAYOUT_PAPERS)
def test_page_count_and_size(layout: str, paper: str) -> None:  # noqa: D103 - the name says it
    reader = PdfReader(io.BytesIO(built_pdf(layout, paper)))
    assert len(reader.pages) == load_layout(layout, ROOT).manifest.pages
    want = expected_size(layout, paper)
    for page in reader.pages:
        got = (float(page.mediabox.width) / IN, float(page.mediabox.height) / IN)
        assert got == pytest.approx(want, abs=0.01)


@pytest.mark.parametrize("layout", LAYOUTS)
def test_every_section_for_the_layouts_audience_and_its_blocks_are_in_the_text(layout: str) -> None:
    """What a layout prints follows from its manifest: its audience's sections, and each block it shows."""
    content = load_content(CONTENT)
    manifest = load_layout(layout, ROOT).manifest
    text = fold(text_of(built_pdf(layout)))
    shown = {block for region in manifest.regions for block in region.blocks()}
    for section in content.sections if "flow" in shown else []:
        if section.audience in ("everyone", manifest.audience) or manifest.audience == "everyone":
            assert fold(section.heading) in text
    if "key-points" in shown:
        assert all(fold(point) in text for point in content.key_points)
    if "faq" in shown:
        assert all(fold(entry.question) in text for entry in content.faq)
    if "next-steps" in shown:
        steps = content.teacher_next_steps if manifest.audience == "staff" else content.next_steps
        assert all(fold(step) in text for step in steps)


@pytest.mark.parametrize("layout", LAYOUTS)
def test_bottom_note_and_contact_details_on_every_layout(layout: str) -> None:
    content = load_content(CONTENT)
    text = text_of(built_pdf(layout))
    assert content.footer_note in text
    org = content.organization
    for detail in (org.name, org.phone, org.email, org.address):
        assert detail in text


@pytest.mark.parametrize("layout", LAYOUTS)
def test_metadata(layout: str) -> None:
    content = load_content(CONTENT)
    reader = PdfReader(io.BytesIO(built_pdf(layout)))
    meta = reader.metadata
    staff = load_layout(layout, ROOT).manifest.audience == "staff"
    assert meta.title == (content.teacher_title if staff else content.title)
    assert meta.subject == content.seo.meta_description
    assert content.seo.focus_phrase in meta["/Keywords"]
    assert meta.author == content.organization.name
    assert reader.trailer["/Root"]["/Lang"] == "en-US"


@pytest.mark.parametrize("layout", LAYOUTS)
def test_body_text_is_big_enough(layout: str) -> None:
    """Most characters (the body) are at least the layout's floor size."""
    floor = load_layout(layout, ROOT).manifest.floor_pt
    sizes = [round(c["size"], 1) for page in chars(built_pdf(layout)) for c in page]
    body = max(set(sizes), key=sizes.count)
    assert body >= floor


@pytest.mark.parametrize("layout", LAYOUTS)
def test_only_the_layouts_font_is_embedded_for_english_text(layout: str) -> None:
    fonts = {c["fontname"].split("+")[-1] for page in chars(built_pdf(layout)) for c in page}
    assert fonts and all(name.startswith("Atkinson-Hyperlegible") for name in fonts), fonts


@pytest.mark.parametrize("layout", LAYOUTS)
def test_output_is_byte_identical_between_builds(layout: str) -> None:
    first = built_pdf(layout)
    built_pdf.cache_clear()
    assert built_pdf(layout) == first


def test_the_shipped_accent_colour_reads_well_on_white() -> None:
    from othandout.pipeline.content import contrast

    assert contrast(load_content(CONTENT).organization.accent_colour, "#ffffff") >= 4.5


@pytest.mark.parametrize(("layout", "paper"), LAYOUT_PAPERS)
def test_all_text_keeps_the_layouts_safe_margin_from_the_trim(layout: str, paper: str) -> None:
    manifest = load_layout(layout, ROOT).manifest
    safe = float(manifest.safe.removesuffix("in")) * IN
    width, height = (v * IN for v in expected_size(layout, paper))
    for page in chars(built_pdf(layout, paper)):
        slack = 0.5  # points: rounding of glyph advances
        outside = [c["text"] for c in page if c["x0"] < safe - slack or c["x1"] > width - safe + slack
                   or c["top"] < safe - slack or c["bottom"] > height - safe + slack]
        assert not outside, "".join(outside)


def test_missing_contact_details_leave_no_gap(tmp_path) -> None:
    from support import build_into, content_data, write_data

    data = content_data()
    for key in ("phone", "email", "address"):
        del data["organization"][key]
    [built] = build_into(write_data(tmp_path, data), tmp_path / "out", "tip-sheet")
    text = text_of(built.path.read_bytes())
    assert "Web maplegrove.example" in text
    assert "Phone" not in text and "Email" not in text and "Visit" not in text
