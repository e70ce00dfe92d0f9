"""The block registry: each block declared once, with one template, and manifests held to it."""

from __future__ import annotations

from pathlib import Path

import pytest

from othandout.errors import LayoutError
from othandout.pipeline.blocks import FLOW, REGISTRY
from othandout.pipeline.layouts import base_dir, load_layout
from support import LAYOUTS, ROOT, line_of, line_text, user_layout

TEMPLATES = {p.stem.removesuffix(".html") for p in (base_dir() / "blocks").glob("*.html.j2")}


def test_every_registered_block_has_a_template_and_every_template_a_block() -> None:
    assert {block.template for block in REGISTRY.values()} == {f"blocks/{name}.html.j2" for name in REGISTRY}
    assert TEMPLATES == {*REGISTRY, FLOW, "section"}


@pytest.mark.parametrize("layout", LAYOUTS)
def test_every_shipped_layout_names_only_registered_blocks(layout: str) -> None:
    blocks = {b for region in load_layout(layout, ROOT).manifest.regions for b in region.blocks()}
    assert blocks <= {*REGISTRY, FLOW, "section"}


def test_an_unknown_block_is_a_located_error_with_a_suggestion(tmp_path: Path) -> None:
    user_layout(tmp_path, "tip-sheet")
    manifest = tmp_path / "layouts" / "tip-sheet" / "layout.yaml"
    text = manifest.read_text(encoding="utf-8").replace("show: [org, title, in-simple-terms]",
                                                         "show: [org, titel, in-simple-terms]")
    manifest.write_text(text, encoding="utf-8")
    with pytest.raises(LayoutError) as err:
        load_layout("tip-sheet", tmp_path)
    assert str(err.value) == (
        f"tip-sheet/layout.yaml:{line_of(text, 'titel')}:{line_text(text, 'titel').index('titel') + 1} "
        "regions[0].show[1]: unknown block 'titel'\n"
        "  hint: did you mean 'title'? (pin a section with {section: its-id})")


def test_a_pinned_section_is_shown_where_the_manifest_puts_it_and_leaves_the_flow(tmp_path: Path) -> None:
    import pdfplumber

    from support import build_into

    content = user_layout(tmp_path, "trifold")
    manifest = tmp_path / "layouts" / "trifold" / "layout.yaml"
    manifest.write_text(manifest.read_text(encoding="utf-8").replace(
        "show: [contact, qr, about, footer-note]", "show: [{section: real-life}, contact, qr, about, footer-note]"),
        encoding="utf-8")
    [built] = build_into(content, tmp_path / "out", "trifold", fit="shrink")
    back = next(r for r in load_layout("trifold", tmp_path).regions("letter") if r.spec.id == "back-cover")
    with pdfplumber.open(built.path) as pdf:
        hits = [(n, h) for n, page in enumerate(pdf.pages, 1) for h in page.search("How it helps in real life")]
    assert [n for n, _ in hits] == [1]  # printed once, on the outside sheet
    assert back.box.x <= hits[0][1]["x0"] <= back.box.right
