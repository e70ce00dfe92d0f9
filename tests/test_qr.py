"""The QR code on the handout's footer and the trifold's back cover: an independent decoder (zxing-cpp) reads it
from the page drawn at 300 dpi as exactly the content's QR target; its short address is printed; it is at least
0.8 in wide with its quiet zone; and a content with no web address has none."""

from __future__ import annotations

import ctypes
from pathlib import Path

import pypdfium2
import pypdfium2.raw as pdfium_c
import pytest
import zxingcpp

from othandout.pipeline.content import load_content
from othandout.pipeline.layouts import load_layout
from support import CONTENT, IN, ROOT, build_into, built_pdf, content_data, text_of, write_data
from support import LAYOUTS as ALL_LAYOUTS

DPI = 300
LAYOUTS = [name for name in ALL_LAYOUTS  # the layouts whose manifests show the `qr` block
           if any("qr" in region.blocks() for region in load_layout(name, ROOT).manifest.regions)]


def decoded(pdf: bytes) -> list[tuple[int, str, tuple[float, float]]]:
    """Every QR code on every page: its page index, text, and centre in PDF points (origin bottom left)."""
    found = []
    document = pypdfium2.PdfDocument(pdf)
    try:
        for index, page in enumerate(document):
            height = page.get_height()
            for code in zxingcpp.read_barcodes(page.render(scale=DPI / 72).to_pil(), formats=zxingcpp.BarcodeFormat.QRCode):
                corners = [code.position.top_left, code.position.top_right, code.position.bottom_right,
                           code.position.bottom_left]
                x = sum(p.x for p in corners) / 4 * 72 / DPI
                y = height - sum(p.y for p in corners) / 4 * 72 / DPI
                found.append((index, code.text, (x, y)))
    finally:
        document.close()
    return found


def white_squares(pdf: bytes) -> list[tuple[int, tuple[float, float, float, float]]]:
    """Every white, square filled path of 0.5 in or more (a QR code's light background, quiet zone included):
    its page index and bounds (left, bottom, right, top) in points."""
    found = []
    document = pypdfium2.PdfDocument(pdf)
    try:
        for index, page in enumerate(document):
            for obj in page.get_objects(max_depth=8):
                if obj.type != pdfium_c.FPDF_PAGEOBJ_PATH:
                    continue
                left, bottom, right, top = obj.get_bounds()
                if right - left < 0.5 * IN or abs((right - left) - (top - bottom)) > 0.5:
                    continue
                rgba = [ctypes.c_uint() for _ in range(4)]
                pdfium_c.FPDFPageObj_GetFillColor(obj, *rgba)
                if [c.value for c in rgba[:3]] == [255, 255, 255]:
                    found.append((index, (left, bottom, right, top)))
    finally:
        document.close()
    return found


def _flat(text: str) -> str:
    """Text without spaces, so an address broken across lines still matches."""
    return "".join(text.split())


@pytest.mark.parametrize("layout", LAYOUTS)
def test_the_qr_code_decodes_to_exactly_the_qr_target(layout: str) -> None:
    content = load_content(CONTENT)
    codes = decoded(built_pdf(layout))
    assert [text for _, text, _ in codes] == [content.qr_target()]
    assert codes[0][0] == 0  # the handout's footer; the trifold's back cover, on the outside sheet


@pytest.mark.parametrize("layout", LAYOUTS)
def test_the_short_address_is_printed_under_the_code(layout: str) -> None:
    text = text_of(built_pdf(layout))
    assert "maplegrove.example" in text
    assert "https://" not in text, "the printed address is the short one"


@pytest.mark.parametrize("layout", LAYOUTS)
def test_the_code_is_at_least_0_8_in_with_its_quiet_zone(layout: str) -> None:
    data = built_pdf(layout)
    [(page, _, (x, y))] = decoded(data)
    around = [box for p, box in white_squares(data) if p == page and box[0] < x < box[2] and box[1] < y < box[3]]
    assert len(around) == 1, "one light square, quiet zone included, lies under the decoded code"
    left, bottom, right, top = around[0]
    assert right - left >= 0.8 * IN, f"{(right - left) / IN:.2f} in"
    assert abs((right - left) - (top - bottom)) < 0.5
    if layout == "trifold":  # on the back cover, the middle panel of page 1
        assert 3.625 * IN < left and right < 7.3125 * IN


@pytest.fixture(scope="module")
def own_address(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    """Both layouts built from content whose `qr:` leads to a page of its own, not the clinic's website."""
    folder = tmp_path_factory.mktemp("qr-own")
    data = content_data()
    data["qr"] = "https://ot.example/kids"  # short: a longer address takes a second line the handout's footer lacks
    path = write_data(folder, data)
    return {layout: build_into(path, folder / "out", layout)[0].data for layout in LAYOUTS}


@pytest.mark.parametrize("layout", LAYOUTS)
def test_the_qr_key_chooses_the_target_and_its_short_address_is_printed(own_address: dict[str, bytes],
                                                                         layout: str) -> None:
    data = own_address[layout]
    assert [text for _, text, _ in decoded(data)] == ["https://ot.example/kids"]
    assert "ot.example/kids" in _flat(text_of(data))


@pytest.fixture(scope="module")
def no_address(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    """Both layouts built from content with no website, `web_url` or `qr`."""
    folder = tmp_path_factory.mktemp("qr-none")
    data = content_data()
    for key in ("web_url", "qr"):
        data.pop(key, None)
    del data["organization"]["website"]
    path = write_data(folder, data)
    return {layout: build_into(path, folder / "out", layout)[0].data for layout in LAYOUTS}


@pytest.mark.parametrize("layout", LAYOUTS)
def test_no_web_address_means_no_qr_code_and_no_caption(no_address: dict[str, bytes], layout: str) -> None:
    data = no_address[layout]
    assert decoded(data) == []
    assert white_squares(data) == [], "no QR code image"
    text = text_of(data)
    assert "Scan to read this online" not in text
    assert "maplegrove.example" not in text.replace("hello@maplegrove.example", "")
    assert "Scan to read this online" in text_of(built_pdf("trifold")), "control: the caption shows when there is a code"
