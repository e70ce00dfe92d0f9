"""The contract check refuses a document with the wrong page count, page size or a missing required section.

Each case is a project's own copy of a built-in layout (tmp_path/layouts/<name>) with one honest mistake in its
CSS or layout.yaml; the build must fail with exactly the contract's message and write nothing."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from othandout.errors import ContractError
from othandout.pipeline.layouts import load_layout
from support import LAYOUTS, ROOT, build_into, user_layout
EXTRA_PAGE = "body::after { content: 'spill'; display: block; break-before: page; }"


def refused(content: Path, layout: str, paper: str | None = None) -> str:
    """Build one layout that must break its contract; the whole error message. No PDF may be written."""
    out = content.parent / "out"
    with pytest.raises(ContractError) as err:
        build_into(content, out, layout, paper=paper)
    assert not out.exists() or not any(out.iterdir())
    return str(err.value)


@pytest.mark.parametrize("layout", LAYOUTS)
def test_css_that_adds_a_page_breaks_the_page_count(tmp_path: Path, layout: str) -> None:
    pages = load_layout(layout, ROOT).manifest.pages
    content = user_layout(tmp_path, layout, EXTRA_PAGE)
    assert refused(content, layout) == f"{layout}: has {pages + 1} pages; the layout must have exactly {pages}"


@pytest.mark.parametrize(("layout", "paper", "size", "message"), [
    pytest.param("tip-sheet", "letter", "A4",
                 "tip-sheet: page 1 is 8.27 × 11.69 in; expected 8.50 × 11.00 in (letter portrait)", id="a4-on-letter"),
    pytest.param("tip-sheet", "letter", "8.5in 14in",
                 "tip-sheet: page 1 is 8.50 × 14.00 in; expected 8.50 × 11.00 in (letter portrait)", id="height-only"),
    pytest.param("tip-sheet", "letter", "9.5in 11in",
                 "tip-sheet: page 1 is 9.50 × 11.00 in; expected 8.50 × 11.00 in (letter portrait)", id="width-only"),
    pytest.param("handout", "a4", "A3",
                 "handout: page 1 is 11.69 × 16.54 in; expected 8.27 × 11.69 in (a4 portrait)", id="a3-on-a4"),
    pytest.param("trifold", "letter", "letter",
                 "trifold: page 1 is 8.50 × 11.00 in; expected 11.00 × 8.50 in (letter landscape)\n"
                 "trifold: page 2 is 8.50 × 11.00 in; expected 11.00 × 8.50 in (letter landscape)",
                 id="portrait-trifold"),
])
def test_css_that_overrides_the_page_size_breaks_the_page_size(tmp_path: Path, layout: str, paper: str, size: str,
                                                              message: str) -> None:
    """A layout's own `@page { size }` with !important beats the size othandout writes from layout.yaml."""
    content = user_layout(tmp_path, layout, f"@page {{ size: {size} !important; }}")
    assert refused(content, layout, paper) == message


def test_a_named_page_with_its_own_size_breaks_the_page_size(tmp_path: Path) -> None:
    """`@page name` outranks the plain `@page` rule othandout writes, even without !important."""
    content = user_layout(tmp_path, "tip-sheet", ".page { page: poster; } @page poster { size: A4; }")
    assert refused(content, "tip-sheet") == (
        "tip-sheet: page 1 is 8.27 × 11.69 in; expected 8.50 × 11.00 in (letter portrait)")


def without_block(layout_dir: Path, block: str) -> None:
    """Drop a block from every region's show, columns and after in a copied layout.yaml."""
    path = layout_dir / "layout.yaml"
    manifest = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert any(block in r.get(k, []) or any(block in c for c in r.get("columns", []))
               for r in manifest["regions"] for k in ("show", "after"))
    for region in manifest["regions"]:
        for key in ("show", "after"):
            if key in region:
                region[key] = [b for b in region[key] if b != block]
        if "columns" in region:
            region["columns"] = [[b for b in column if b != block] for column in region["columns"]]
    path.write_text(yaml.safe_dump(manifest, sort_keys=False), encoding="utf-8")


@pytest.mark.parametrize("layout", LAYOUTS)
def test_a_layout_that_no_longer_prints_the_bottom_note_breaks_the_contract(tmp_path: Path, layout: str) -> None:
    content = user_layout(tmp_path, layout)
    without_block(tmp_path / "layouts" / layout, "footer-note")
    assert refused(content, layout) == (f"{layout}: the document is missing the bottom note (footer_note); "
                                        "every layout must print them")


def test_every_missing_part_is_named_at_once(tmp_path: Path) -> None:
    content = user_layout(tmp_path, "tip-sheet")
    for block in ("footer-note", "contact", "title", "flow"):
        without_block(tmp_path / "layouts" / "tip-sheet", block)
    assert refused(content, "tip-sheet") == (
        "tip-sheet: the document is missing a title, at least one section, the bottom note (footer_note) and the "
        "contact details; every layout must print them")


def test_a_part_hidden_by_css_is_missing_too(tmp_path: Path) -> None:
    """The check reads the laid-out document, so a `display: none` in a layout's CSS cannot hide a required part."""
    content = user_layout(tmp_path, "handout", css=".footer-note { display: none; }")
    assert refused(content, "handout") == ("handout: the document is missing the bottom note (footer_note); "
                                           "every layout must print them")


@pytest.mark.parametrize(("points", "shown"), [(72.0, "1.0 in"), (7.2, "0.1 in"), (2.9, "0.05 in"), (0.1, "0.01 in")])
def test_lengths_in_messages_are_inches_on_every_paper(points: float, shown: str) -> None:
    """'3 mm' beside '0.1 in' in one message on a Letter page read as two different units for no reason."""
    from othandout.pipeline.check import size

    assert size(points) == shown


def test_an_entry_in_a_file_not_named_content_yaml_names_its_file(tmp_path: Path) -> None:
    from othandout.pipeline.check import named
    from othandout.pipeline.content import load_content
    from support import CONTENT

    for name, shown in (("content.yaml", "title (line {})"), ("spanish.yaml", "title (spanish.yaml line {})")):
        path = tmp_path / name
        path.write_bytes(CONTENT.read_bytes())
        content = load_content(path)
        assert named(content, ("title",)) == shown.format(content.line(("title",)))
