"""The contract check refuses a document with the wrong page count, page size or a missing required section.

Each case is a project's own copy of a built-in layout (tmp_path/layouts/<name>) with one honest mistake in its
CSS or layout.yaml; the build must fail with exactly the contract's message and write nothing."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from othandout.errors import ContractError
from support import LAYOUTS, build_into, user_layout

PAGES = {"handout": 1, "tip-sheet": 1, "trifold": 2}  # a new layout needs its page count here
EXTRA_PAGE = "body::after { content: 'spill'; display: block; break-before: page; }"


def refused(content: Path, layout: str, paper: str = "letter") -> str:
    """Build one layout that must break its contract; the whole error message. No PDF may be written."""
    out = content.parent / "out"
    with pytest.raises(ContractError) as err:
        build_into(content, out, layout, paper=paper)
    assert not out.exists() or not any(out.iterdir())
    return str(err.value)


@pytest.mark.parametrize("layout", LAYOUTS)
def test_css_that_adds_a_page_breaks_the_page_count(tmp_path: Path, layout: str) -> None:
    pages = PAGES[layout]
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
    assert block in manifest["required_sections"]
    for region in manifest["regions"]:
        for key in ("show", "after"):
            if key in region:
                region[key] = [b for b in region[key] if b != block]
        if "columns" in region:
            region["columns"] = [[b for b in column if b != block] for column in region["columns"]]
    path.write_text(yaml.safe_dump(manifest, sort_keys=False), encoding="utf-8")


@pytest.mark.parametrize("layout", LAYOUTS)
def test_a_region_that_no_longer_shows_a_required_section_breaks_the_contract(tmp_path: Path, layout: str) -> None:
    content = user_layout(tmp_path, layout)
    without_block(tmp_path / "layouts" / layout, "faq")
    assert refused(content, layout) == f"{layout}: required section 'faq' is not in the document"


def test_every_missing_required_section_is_named(tmp_path: Path) -> None:
    content = user_layout(tmp_path, "tip-sheet")
    without_block(tmp_path / "layouts" / "tip-sheet", "faq")
    without_block(tmp_path / "layouts" / "tip-sheet", "footer-note")
    assert refused(content, "tip-sheet") == ("tip-sheet: required section 'faq' is not in the document\n"
                                             "tip-sheet: required section 'footer-note' is not in the document")
