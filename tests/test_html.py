"""The template stage: geometry CSS from the manifest, blocks filled from the content, logos checked and inlined."""

from __future__ import annotations

import os
from pathlib import Path

import pdfplumber
import pytest
from PIL import Image
from pypdf import PdfReader

from othandout.errors import ContentError, ContractError
from othandout.pipeline.content import Content, load_content
from othandout.pipeline.html import Arrangement, Level, contact_lines, geometry_css, tint
from othandout.pipeline.layouts import load_layout
from othandout.pipeline.papers import PaperSpec
from support import CONTENT, LAYOUT_PAPERS, ROOT, build_into, content_data, line_of, user_layout, words, write_data


def trifold_css(spec: PaperSpec, levels: dict[str, Level] | None = None) -> str:
    """The trifold's geometry CSS for the shipped content."""
    layout = load_layout("trifold", ROOT)
    return geometry_css(load_content(CONTENT), layout, spec, layout.regions(spec.paper),
                        Arrangement([], levels or {}))


def test_geometry_css_places_trifold_panels_from_the_manifest() -> None:
    css = trifold_css(PaperSpec("letter"))
    assert "@page { size: 792.000pt 612.000pt; margin: 0.000pt; }" in css
    assert "#region-inside-flap { left: 0.000pt; top: 0.000pt; width: 261.000pt; height: 612.000pt;" in css
    assert "#region-front-cover { left: 526.500pt; top: 0.000pt; width: 265.500pt;" in css
    assert ":root { font-size: 11.500pt; --accent: #0b6e75; --tint: #e7f0f1; --accent-dark: #" in css


def test_each_region_gets_its_own_type_size() -> None:
    css = trifold_css(PaperSpec("letter"), {"inside-right": Level(10.25, tight=True)})
    assert "padding: 25.200pt; font-size: 10.250pt; }" in css.split("#region-inside-right")[1].split("\n")[0]
    assert "font-size: 11.500pt; }" in css.split("#region-front-cover")[1].split("\n")[0]


def test_bleed_grows_the_sheet_by_bleed_and_slug_and_extends_edge_backgrounds() -> None:
    spec = PaperSpec("letter", bleed=True)
    css = trifold_css(spec)
    assert f"@page {{ size: {792 + 2 * spec.offset():.3f}pt {612 + 2 * spec.offset():.3f}pt; " \
           f"margin: {spec.offset():.3f}pt; }}" in css
    assert "#bg-front-cover { left: 526.500pt; top: -9.000pt; width: 274.500pt; height: 630.000pt; }" in css
    assert "#bg-back-cover { left: 261.000pt; top: -9.000pt; width: 265.500pt; height: 630.000pt; }" in css


def test_tint_mixes_the_accent_with_white() -> None:
    assert tint("#000000") == "#e6e6e6"
    assert tint("#ffffff") == "#ffffff"


def test_renderer_warnings_are_counted_and_strict_fails_on_them(tmp_path: Path) -> None:
    content = user_layout(tmp_path, css="h2 { colour: red; margin: banana; }")
    [built] = build_into(content, tmp_path / "out", "tip-sheet")
    assert [w.split(" at ")[0] for w in built.warnings] == ["Ignored `colour: red`", "Ignored `margin: banana`"]
    with pytest.raises(ContractError) as err:
        build_into(content, tmp_path / "out", "tip-sheet", strict=True)
    assert str(err.value).startswith("tip-sheet: Ignored `colour: red` at ")
    assert "\ntip-sheet: Ignored `margin: banana` at " in str(err.value)


def test_a_layout_whose_font_is_missing_fails(tmp_path: Path) -> None:
    content = user_layout(tmp_path, css='html, h1, h2, p, li, strong { font-family: "No Such Font"; }')
    with pytest.raises(ContractError) as err:
        build_into(content, tmp_path / "out", "tip-sheet")
    assert str(err.value).startswith("tip-sheet: the font 'Atkinson Hyperlegible' is not in the PDF; "
                                     "the text fell back to ")
    assert not (tmp_path / "out" / "tip-sheet.pdf").exists()


def test_the_font_checked_is_the_one_the_manifest_names(tmp_path: Path) -> None:
    content = user_layout(tmp_path)
    manifest = tmp_path / "layouts" / "tip-sheet" / "layout.yaml"
    manifest.write_text(manifest.read_text(encoding="utf-8") + "font: Brand Serif\n", encoding="utf-8")
    with pytest.raises(ContractError) as err:
        build_into(content, tmp_path / "out", "tip-sheet")
    assert str(err.value) == ("tip-sheet: the font 'Brand Serif' is not in the PDF; the text fell back to "
                              "Atkinson-Hyperlegible, Atkinson-Hyperlegible-Bold, Atkinson-Hyperlegible-Italic\n"
                              "  hint: make the font-family in the layout's CSS match `font:` in its layout.yaml")


@pytest.mark.parametrize("name", ["handout", "tip-sheet", "trifold"])
def test_the_website_and_email_are_links_in_the_pdf(tmp_path: Path, name: str) -> None:
    [built] = build_into(CONTENT, tmp_path, name)
    links = {annot.get_object()["/A"].get("/URI") for page in PdfReader(built.path).pages
             for annot in page.get("/Annots", []) if "/A" in annot.get_object()}
    assert {"https://maplegrove.example", "mailto:hello@maplegrove.example", "tel:5550100199"} <= links


PHONES = {"(715) 555-0127 ext. 204": "tel:7155550127;ext=204", "+1 (608) 555-0143 x12": "tel:+16085550143;ext=12",
          "555-0110, extension 3": "tel:5550110;ext=3", "(555) 010-0199": "tel:5550100199"}


@pytest.mark.parametrize("phone", PHONES)
def test_a_phone_link_dials_the_number_and_keeps_its_extension_apart(phone: str) -> None:
    """An extension's digits joined to the number would dial a wrong number."""
    data = content_data()
    data["organization"].update(phone=phone, website="https://www.example.org/")
    lines = {line["kind"]: line for line in contact_lines(Content.model_validate(data))}
    assert lines["phone"]["href"] == PHONES[phone] and lines["phone"]["value"] == phone
    assert lines["web"]["value"] == "www.example.org"  # printed as typed, but for https:// and the last slash


@pytest.mark.parametrize(("name", "paper"), LAYOUT_PAPERS)
def test_a_usual_length_web_address_fits_beside_the_qr_code(tmp_path: Path, name: str, paper: str) -> None:
    """26 characters as printed: the QR code's caption under it took two lines, and the footer overflowed."""
    data = content_data()
    data["organization"]["website"] = "https://www.brightvoicesspeech.com"
    [built] = build_into(write_data(tmp_path, data), tmp_path / "out", name, paper=paper)
    assert "www.brightvoicesspeech.com" in [w["text"] for page in words(built.path.read_bytes()) for w in page]


@pytest.mark.parametrize(("name", "paper"), LAYOUT_PAPERS)
@pytest.mark.parametrize("size", [(400, 200), (200, 200), (1600, 200)])
def test_every_layout_still_fits_with_a_logo(tmp_path: Path, name: str, paper: str, size: tuple[int, int]) -> None:
    data = content_data()
    data["organization"]["logo"] = "logo.png"
    content = write_data(tmp_path, data)
    Image.new("RGB", size, "#0b6e75").save(tmp_path / "logo.png")
    [built] = build_into(content, tmp_path / "out", name, paper=paper)
    drawn = [obj for page in PdfReader(built.path).pages
             for obj in page["/Resources"].get("/XObject", {}).values() if obj.get_object()["/Subtype"] == "/Image"]
    assert [(o.get_object()["/Width"], o.get_object()["/Height"]) for o in drawn][:1] == [size]


@pytest.mark.parametrize(("logo", "message", "hint"), [
    ("http://127.0.0.1:9/logo.png", "'http://127.0.0.1:9/logo.png' is an address, not a file name; "
     "othandout never downloads anything", "save the image next to content.yaml and write its file name, such as logo.png"),
    ("notes.txt", "'notes.txt' is not a PNG, JPEG, GIF, WebP or SVG image",
     "save the logo as a PNG or SVG file and give that file's name"),
    ("missing.png", "image file 'missing.png' not found",
     "put the image in {folder} (the folder of the content file), or fix the file name"),
])
def test_a_logo_that_cannot_be_used_is_named_with_its_line(tmp_path: Path, logo: str, message: str, hint: str) -> None:
    data = content_data()
    data["organization"]["logo"] = logo
    content = write_data(tmp_path, data)
    (tmp_path / "notes.txt").write_text("not an image", encoding="utf-8")
    with pytest.raises(ContentError) as err:
        build_into(content, tmp_path / "out", "tip-sheet")
    line = line_of(content.read_text(encoding="utf-8"), "logo: ")
    assert str(err.value) == (f"content.yaml:{line}:3 organization.logo: {message}\n"
                              f"  hint: {hint.format(folder=tmp_path.resolve())}")


def test_an_svg_logo_after_a_long_prologue_is_drawn_and_sits_on_white_on_the_cover(tmp_path: Path) -> None:
    data = content_data()
    data["organization"]["logo"] = "logo.svg"
    content = write_data(tmp_path, data)
    prologue = '<?xml version="1.0"?>\n<!-- ' + "exported by a drawing program; " * 100 + "-->\n"
    (tmp_path / "logo.svg").write_text(prologue + '<svg xmlns="http://www.w3.org/2000/svg" width="40" height="20">'
                                       '<rect width="40" height="20" fill="#d2691e"/></svg>', encoding="utf-8")
    [built] = build_into(content, tmp_path / "out", "trifold")
    with pdfplumber.open(built.path) as pdf:
        rects = pdf.pages[0].rects
    logos = [r for r in rects if tuple(round(c, 2) for c in r["non_stroking_color"]) == (0.82, 0.41, 0.12)]
    front = next(r for r in load_layout("trifold", ROOT).regions("letter") if r.spec.id == "front-cover")
    assert len(logos) == 1 and logos[0]["x0"] > front.box.x
    cover_logo = logos[0]  # on the brand-colour cover a white chip surrounds it, so a teal logo stays visible
    assert cover_logo["width"] == pytest.approx(2 * cover_logo["height"])
    assert any(tuple(r["non_stroking_color"]) == (1.0, 1.0, 1.0) and r["width"] < front.box.w / 2
               and r["x0"] < cover_logo["x0"] and r["x1"] > cover_logo["x1"]
               and r["top"] < cover_logo["top"] and r["bottom"] > cover_logo["bottom"] for r in rects)


def test_a_logo_that_cannot_be_opened_is_named(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data = content_data()
    data["organization"]["logo"] = "logo.png"
    content = write_data(tmp_path, data)
    Image.new("RGB", (40, 20), "#0b6e75").save(tmp_path / "logo.png")

    real_open = os.open

    def locked(path: object, *args: object, **kwargs: object) -> int:
        """Stand in for a logo the user may not read (root, as in CI, reads everything)."""
        if str(path).endswith("logo.png"):
            raise PermissionError(13, "Permission denied")
        return real_open(path, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr("othandout.pipeline.files.os.open", locked)
    with pytest.raises(ContentError) as err:
        build_into(content, tmp_path / "out", "tip-sheet")
    line = line_of(content.read_text(encoding="utf-8"), "logo: ")
    assert str(err.value) == (f"content.yaml:{line}:3 organization.logo: 'logo.png' cannot be opened (Permission denied)\n"
                              "  hint: check that the file is readable, or save a fresh copy of the logo")


def test_a_line_break_typed_in_the_content_is_kept(tmp_path: Path) -> None:
    data = content_data()
    data["sections"][6]["items"][0]["text"] = "Qwerty first paragraph.\n\nZxcvb second paragraph."
    [built] = build_into(write_data(tmp_path, data), tmp_path / "out", "tip-sheet")
    found = {w["text"]: w for w in words(built.path.read_bytes())[0] if w["text"] in ("Qwerty", "Zxcvb")}
    assert found["Zxcvb"]["x0"] == pytest.approx(found["Qwerty"]["x0"], abs=0.5)  # starts its own line
    assert found["Zxcvb"]["top"] > found["Qwerty"]["top"] + 5
