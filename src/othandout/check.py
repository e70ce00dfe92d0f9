"""Check stage: hold a rendered document to its layout's contract."""

from __future__ import annotations

import re
from dataclasses import dataclass

from othandout.content import Content
from othandout.layouts import Region
from othandout.load import dotted
from othandout.render import FONT_FAMILY, SUBSTITUTES, Rendered, font_codepoints

PX_TO_PT = 0.75
TOLERANCE_PT = 0.5
AVG_CHAR_EM = 0.5
CHARS_PER_WORD = 6.0
LINE_HEIGHT = 1.36


@dataclass
class Overflow:
    """A region whose content runs past its safe bottom edge."""

    region: Region
    excess_pt: float
    keys: list[str]


def _anchors(rendered: Rendered) -> dict[str, tuple[int, float, float]]:
    """Every anchor as (page number, x pt, y pt)."""
    found = {}
    for number, page in enumerate(rendered.document.pages, start=1):
        for name, (x, y, *_) in page.anchors.items():
            found.setdefault(name, (number, x * PX_TO_PT, y * PX_TO_PT))
    return found


def overflows(rendered: Rendered) -> list[Overflow]:
    """Regions whose end marker lies below their safe box, or on another page."""
    anchors = _anchors(rendered)
    found = []
    for region in rendered.regions:
        page, _, y = anchors.get(f"end-{region.spec.id}", (region.page, 0.0, float("inf")))
        if page != region.page:
            y = float("inf")
        excess = y - region.safe.bottom
        if excess > TOLERANCE_PT:
            found.append(Overflow(region, excess, _to_cut(rendered, anchors, region)))
    return found


def _to_cut(rendered: Rendered, anchors: dict[str, tuple[int, float, float]], region: Region) -> list[str]:
    """Keys worth shortening in an overflowing region: its tallest entry, then those past the bottom edge."""
    line = _line_pt(rendered)
    heights: dict[str, float] = {}
    past = []
    for anchor, key in _entries(rendered, region):
        start, end = anchors.get(f"at-{anchor}"), anchors.get(f"to-{anchor}")
        if end is None or end[0] != region.page or end[2] + line > region.safe.bottom + TOLERANCE_PT:
            past.append(key)
        if start and end and start[0] == end[0] == region.page:
            heights[key] = end[2] - start[2]
    tallest = [max(heights, key=heights.__getitem__)] if heights else []
    return list(dict.fromkeys([*tallest, *past]))


def _entries(rendered: Rendered, region: Region) -> list[tuple[str, str]]:
    """The bullets and FAQ answers a region shows, in order: (anchor name, `key (line N)` to name them by)."""
    content = rendered.content
    found: list[tuple[str, tuple[str | int, ...]]] = []
    for block in region.spec.blocks():
        if block == "faq":
            found += [(f"faq.{n}", ("faq", n, "answer")) for n in range(len(content.faq))]
        for s, section in enumerate(content.sections):
            if section.id == block:
                found += [(f"sections.{s}.items.{n}",
                           ("sections", s, "items", n, "short" if region.spec.condensed and item.short else "text"))
                          for n, item in enumerate(section.items)]
    return [(anchor, _named(content, key)) for anchor, key in found]


def _named(content: Content, key: tuple[str | int, ...]) -> str:
    """`faq[2].answer (line 140)`, or just the key path when the line is unknown."""
    line = content.line(key)
    return f"{dotted(key)} (line {line})" if line else dotted(key)


def _line_pt(rendered: Rendered) -> float:
    """The height of one body line."""
    return rendered.body_pt * LINE_HEIGHT


def words_for(rendered: Rendered, overflow: Overflow) -> int:
    """Roughly how many words fill `excess_pt` of this region at the body size."""
    lines = overflow.excess_pt / _line_pt(rendered)
    per_line = overflow.region.safe.w / (rendered.body_pt * AVG_CHAR_EM * CHARS_PER_WORD)
    return max(5, round(lines * per_line / 5) * 5)


def overflow_message(rendered: Rendered, overflow: Overflow) -> str:
    """Say where the overflow is and how much to cut, for a non-programmer."""
    region = overflow.region
    same_page = [r for r in rendered.regions if r.page == region.page]
    where = f"page {region.page}, " + (f"panel {same_page.index(region) + 1}, " if rendered.layout.manifest.folded else "")
    inches = overflow.excess_pt / 72
    if inches == float("inf"):
        amount = "runs off the page"
    else:
        size = f"{inches:.1f} in" if inches >= 0.1 else f"{inches * 25.4:.0f} mm"
        amount = f"is {size} too long, about {words_for(rendered, overflow)} words"
    what = f"shorten {_listing(overflow.keys)}" if overflow.keys else "shorten the text there"
    manifest = rendered.layout.manifest
    if manifest.floor_pt >= rendered.body_pt < manifest.body_pt:
        amount += f" even at {manifest.floor_pt:g} pt, the smallest size this layout allows"
    fit = ""
    if rendered.body_pt > manifest.floor_pt:
        fit = (", or" if len(overflow.keys) > 1 else " or") + " use --fit shrink"
    shows = ", ".join(f"'{h}'" for h in _headings(rendered, region))
    return f"{rendered.layout.name}: {where}{region.spec.label} ({shows}) {amount}; {what}{fit}"


def _listing(keys: list[str], most: int = 3) -> str:
    """`a or b`, or `a, b, c or 5 more entries` for long lists."""
    if len(keys) <= most:
        return " or ".join(keys)
    return f"{', '.join(keys[:most])} or {len(keys) - most} more entries after them"


def _headings(rendered: Rendered, region: Region) -> list[str]:
    """The headings a reader sees in a region, to name it in messages."""
    content = rendered.content
    names = {s.id: s.heading for s in content.sections} | {"faq": content.faq_heading, "intro": "introduction",
                                                          "in-simple-terms": "In simple terms"}
    return [names[b] for b in region.spec.blocks() if b in names] or [region.spec.label]


def glyph_problems(rendered: Rendered) -> list[str]:
    """Characters in the content that the font cannot draw, with the key that holds them."""
    known = font_codepoints()
    found = []
    for key, text in _strings(rendered.content.model_dump(), ()):
        missing = sorted({c for c in text.translate(SUBSTITUTES) if ord(c) not in known and c.isprintable()})
        if missing:
            chars = ", ".join(f"'{c}' (U+{ord(c):04X})" for c in missing)
            found.append(f"{dotted(key)}: {FONT_FAMILY} has no {chars}; it will print in another font")
    return found


def _strings(value: object, key: tuple) -> list[tuple[tuple, str]]:
    """Every string in a dumped model with its key path."""
    if isinstance(value, str):
        return [(key, value)]
    if isinstance(value, dict):
        return [pair for k, v in value.items() for pair in _strings(v, (*key, k))]
    if isinstance(value, list):
        return [pair for i, v in enumerate(value) for pair in _strings(v, (*key, i))]
    return []


def contract_problems(rendered: Rendered, measured: Rendered | None = None) -> list[str]:
    """Everything about the document that breaks the layout's contract, in plain words.

    `measured` is a tall-page render of the same content, used to size overflows that ran off the page."""
    layout, spec = rendered.layout, rendered.spec
    manifest = layout.manifest
    pages = rendered.document.pages
    problems = []
    if len(pages) != manifest.pages:
        problems.append(f"{layout.name}: has {len(pages)} pages; the layout must have exactly {manifest.pages}")
    want_w, want_h = layout.page_size(spec.paper)
    for number, page in enumerate(pages, start=1):
        w, h = page.width * PX_TO_PT, page.height * PX_TO_PT
        if abs(w - want_w) > 1 or abs(h - want_h) > 1:
            problems.append(f"{layout.name}: page {number} is {w / 72:.2f} × {h / 72:.2f} in; "
                            f"expected {want_w / 72:.2f} × {want_h / 72:.2f} in ({spec.paper} {manifest.orientation})")
    anchors = _anchors(rendered)
    for section in manifest.required_sections:
        if f"sec-{section}" not in anchors:
            problems.append(f"{layout.name}: required section '{section}' is not in the document")
    found = overflows(rendered)
    if measured is not None and any(o.excess_pt == float("inf") for o in found):
        found = overflows(measured) or found
    problems += [overflow_message(rendered, o) for o in found]
    return problems
