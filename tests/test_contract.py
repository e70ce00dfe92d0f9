"""Every layout folder, on every paper it supports, meets its contract in the real PDF."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from othandout.content import load_content
from othandout.layouts import load_layout
from support import CONTENT, IN, LAYOUT_PAPERS, LAYOUTS, ROOT, built_pdf, chars, text_of

SIZES_IN = {"letter": (8.5, 11.0), "a4": (210 / 25.4, 297 / 25.4)}


def expected_size(layout: str, paper: str) -> tuple[float, float]:
    """Trim size in inches from the manifest's paper and orientation."""
    w, h = SIZES_IN[paper]
    return (h, w) if load_layout(layout, ROOT).manifest.orientation == "landscape" else (w, h)


@pytest.mark.parametrize(("layout", "paper"), LAYOUT_PAPERS)
def test_page_count_and_size(layout: str, paper: str) -> None:
    reader = PdfReader(io.BytesIO(built_pdf(layout, paper)))
    assert len(reader.pages) == load_layout(layout, ROOT).manifest.pages
    want = expected_size(layout, paper)
    for page in reader.pages:
        got = (float(page.mediabox.width) / IN, float(page.mediabox.height) / IN)
        assert got == pytest.approx(want, abs=0.01)


@pytest.mark.parametrize("layout", LAYOUTS)
def test_required_sections_headings_and_faq_are_in_the_text(layout: str) -> None:
    content = load_content(CONTENT)
    text = text_of(built_pdf(layout))
    for section_id in load_layout(layout, ROOT).manifest.required_sections:
        if section_id == "faq":
            for entry in content.faq:
                assert entry.question in text
        elif section_id not in ("intro", "in-simple-terms", "footer-note"):
            assert content.section(section_id).heading in text


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
    assert meta.title == content.title
    assert meta.subject == content.seo.meta_description
    assert content.seo.focus_phrase in meta["/Keywords"]
    assert meta.author == content.organization.name
    assert reader.trailer["/Root"]["/Lang"] == "en"


@pytest.mark.parametrize("layout", LAYOUTS)
def test_body_text_is_big_enough(layout: str) -> None:
    """Most characters (the body) are at least the layout's floor size."""
    floor = load_layout(layout, ROOT).manifest.floor_pt
    sizes = [round(c["size"], 1) for page in chars(built_pdf(layout)) for c in page]
    body = max(set(sizes), key=sizes.count)
    assert body >= floor


@pytest.mark.parametrize("layout", LAYOUTS)
def test_only_the_bundled_font_is_embedded(layout: str) -> None:
    fonts = {c["fontname"].split("+")[-1] for page in chars(built_pdf(layout)) for c in page}
    assert fonts and all(name.startswith("Atkinson-Hyperlegible") for name in fonts), fonts


@pytest.mark.parametrize("layout", LAYOUTS)
def test_output_is_byte_identical_between_builds(layout: str) -> None:
    first = built_pdf(layout)
    built_pdf.cache_clear()
    assert built_pdf(layout) == first


def test_the_shipped_accent_colour_reads_well_on_white() -> None:
    from othandout.content import contrast

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
    assert "WEB maplegrove.example" in text
    assert "PHONE" not in text and "EMAIL" not in text and "VISIT" not in text


BLEED_IN = {"letter": 0.125, "a4": 3 / 25.4}  # what a print shop asks for on each paper, per side


def glyph_origins(data: bytes) -> list[list[tuple[str, float, float]]]:
    """Each text run's origin in PDF user space (not relative to any box), per page."""
    pages = []
    for page in PdfReader(io.BytesIO(data)).pages:
        found: list[tuple[str, float, float]] = []

        def visit(text: str, cm: list, tm: list, *_) -> None:
            if text.strip():
                x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
                y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
                found.append((text, round(x, 2), round(y, 2)))

        page.extract_text(visitor_text=visit)
        pages.append(found)
    return pages


@pytest.mark.parametrize(("layout", "paper"), LAYOUT_PAPERS)
def test_bleed_grows_the_sheet_around_an_unchanged_trim_box(layout: str, paper: str) -> None:
    """--bleed: MediaBox = BleedBox = trim + the bleed on every side; TrimBox = the trim size, offset by the bleed."""
    data = built_pdf(layout, paper, bleed=True)
    reader = PdfReader(io.BytesIO(data))
    assert len(reader.pages) == load_layout(layout, ROOT).manifest.pages
    w, h = (v * IN for v in expected_size(layout, paper))
    b = BLEED_IN[paper] * IN
    for page in reader.pages:
        media = [float(v) for v in page.mediabox]
        assert media == pytest.approx([-b, -b, w + b, h + b], abs=0.01)
        assert [float(v) for v in page.bleedbox] == pytest.approx(media, abs=0.01)
        assert [float(v) for v in page.trimbox] == pytest.approx([0, 0, w, h], abs=0.01)  # `b` in from each edge


@pytest.mark.parametrize(("layout", "paper"), LAYOUT_PAPERS)
def test_bleed_does_not_move_the_text_on_the_trimmed_page(layout: str, paper: str) -> None:
    """Every text run sits at the same place in the trim box with and without --bleed."""
    plain, bled = glyph_origins(built_pdf(layout, paper)), glyph_origins(built_pdf(layout, paper, bleed=True))
    assert all(plain) and bled == plain
