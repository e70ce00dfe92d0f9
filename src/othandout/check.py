"""Check stage: hold a rendered document to its layout's contract."""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from weasyprint.formatting_structure import boxes

from othandout.content import Content
from othandout.layouts import Region
from othandout.load import dotted
from othandout.render import FONT_FAMILY, SUBSTITUTES, Rendered, font_codepoints

PX_TO_PT = 0.75
TOLERANCE_PT = 0.5
AVG_CHAR_EM = 0.5
CHARS_PER_WORD = 6.0
LINE_HEIGHT = 1.36


Key = tuple[str | int, ...]


@dataclass
class Overflow:
    """A region whose content runs past its safe bottom edge."""

    region: Region
    excess_pt: float
    keys: list[str]
    words_per_pt: float | None = None


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
            found.append(_overflow(rendered, anchors, region, excess))
    return found


def _overflow(rendered: Rendered, anchors: dict[str, tuple[int, float, float]], region: Region,
              excess: float) -> Overflow:
    """Size an overflow and pick what to shorten: the tallest entry, then those past the bottom edge."""
    content, line = rendered.content, _line_pt(rendered)
    heights: dict[Key, float] = {}
    past = []
    for anchor, key in _entries(content, region):
        start, end = anchors.get(f"at-{anchor}"), anchors.get(f"to-{anchor}")
        if end is None or end[0] != region.page or end[2] + line > region.safe.bottom + TOLERANCE_PT:
            past.append(key)
        if start and end and start[0] == end[0] == region.page:
            heights[key] = end[2] - start[2] + line
    if not heights and not past:  # no bullets or FAQ here: name the region's longest texts
        texts = sorted(_block_keys(content, region), key=lambda k: -len(content.text_at(k)))
        return Overflow(region, excess, [_named(content, k) for k in texts[:2]])
    tallest = max(heights, key=heights.__getitem__) if heights else None
    density = _words(content, tallest) / heights[tallest] if tallest else None
    keys = [_named(content, k) for k in dict.fromkeys([*([tallest] if tallest else []), *past])]
    return Overflow(region, excess, keys, density)


def _words(content: Content, key: Key) -> int:
    """The words an entry prints: a FAQ answer counts its question too."""
    words = len(content.text_at(key).split())
    return words + len(content.text_at((*key[:2], "question")).split()) if key[0] == "faq" else words


def _entries(content: Content, region: Region) -> list[tuple[str, Key]]:
    """The bullets and FAQ answers a region shows, in order, as (anchor name, content key)."""
    found: list[tuple[str, Key]] = []
    for block in region.spec.blocks():
        if block == "faq":
            found += [(f"faq.{n}", ("faq", n, "answer")) for n in range(len(content.faq))]
        for s, section in enumerate(content.sections):
            if section.id == block:
                found += [(f"sections.{s}.items.{n}",
                           ("sections", s, "items", n, "short" if region.spec.condensed and item.short else "text"))
                          for n, item in enumerate(section.items)]
    return found


_BLOCK_KEYS: dict[str, list[Key]] = {
    "title": [("title",)], "teacher-title": [("teacher_title",)], "summary": [("summary",)],
    "intro": [("intro",)], "in-simple-terms": [("in_simple_terms",)],  # the bottom note is kept verbatim
    "org": [("organization", "name"), ("organization", "tagline")],
    "contact": [("organization", k) for k in ("name", "phone", "email", "website", "address")],
}


def _block_keys(content: Content, region: Region) -> list[Key]:
    """The content keys of a region's single-text blocks (title, contact details, notes) that are filled in."""
    return [k for block in region.spec.blocks() for k in _BLOCK_KEYS.get(block, []) if content.text_at(k)]


def _named(content: Content, key: Key) -> str:
    """`faq[2].answer (line 140)`, or just the key path when the line is unknown."""
    line = content.line(key)
    return f"{dotted(key)} (line {line})" if line else dotted(key)


def _line_pt(rendered: Rendered) -> float:
    """The height of one body line."""
    return rendered.body_pt * LINE_HEIGHT


def words_for(rendered: Rendered, overflow: Overflow) -> int:
    """Roughly how many words fill `excess_pt`: at the density of the region's tallest entry, or of a full line."""
    if overflow.words_per_pt:
        words = overflow.excess_pt * overflow.words_per_pt
    else:
        per_line = overflow.region.safe.w / (rendered.body_pt * AVG_CHAR_EM * CHARS_PER_WORD)
        words = overflow.excess_pt / _line_pt(rendered) * per_line
    return max(5, round(words / 5) * 5)


def _place(rendered: Rendered, region: Region) -> str:
    """Name a region as a reader finds it: `page 2, panel 3, inside right ('Quick FAQ')`."""
    same_page = [r for r in rendered.regions if r.page == region.page]
    panel = f"panel {same_page.index(region) + 1}, " if rendered.layout.manifest.folded else ""
    shows = ", ".join(f"'{h}'" for h in _headings(rendered, region))
    return f"page {region.page}, {panel}{region.spec.label}" + (f" ({shows})" if shows else "")


def _size(points: float) -> str:
    """A length in inches, or in whole millimetres (at least 1) when under a tenth of an inch."""
    inches = points / 72
    return f"{inches:.1f} in" if inches >= 0.1 else f"{max(1, math.ceil(inches * 25.4))} mm"


def overflow_message(rendered: Rendered, overflow: Overflow) -> str:
    """Say where the overflow is and how much to cut, for a non-programmer."""
    if overflow.excess_pt == float("inf"):
        amount = "runs off the page"
    else:
        amount = f"is {_size(overflow.excess_pt)} too long, about {words_for(rendered, overflow)} words"
    verb = "shorten or remove" if len(overflow.keys) > 3 else "shorten"
    what = f"{verb} {_listing(overflow.keys)}" if overflow.keys else "shorten the text there"
    manifest = rendered.layout.manifest
    if manifest.floor_pt >= rendered.body_pt < manifest.body_pt:
        amount += f" even at {manifest.floor_pt:g} pt, the smallest size this layout allows"
    fit = ""
    if rendered.body_pt > manifest.floor_pt:
        fit = (", or" if len(overflow.keys) > 1 else " or") + " use --fit shrink"
    return f"{rendered.layout.name}: {_place(rendered, overflow.region)} {amount}; {what}{fit}"


def wide_text(rendered: Rendered) -> list[str]:
    """Text that runs past the left or right edge of its region's safe box, one message per region."""
    regions = {(r.page, r.spec.id): r for r in rendered.regions}
    found: dict[tuple[int, str], str] = {}
    for number, page in enumerate(rendered.document.pages, start=1):
        for region_id, box in _text_boxes(page._page_box):  # WeasyPrint's laid-out boxes: the only horizontal truth
            region = regions.get((number, region_id))
            text = box.text.strip()
            if region is None or not text or (number, region_id) in found:
                continue
            left, right = box.position_x * PX_TO_PT, (box.position_x + box.width) * PX_TO_PT
            past = max(right - region.safe.right, region.safe.x - left)
            if past > TOLERANCE_PT:
                key = _key_holding(rendered.content, text)
                fix = f"shorten {key} or add spaces so it can wrap" if key else "shorten it"
                found[(number, region_id)] = (f"{rendered.layout.name}: {_place(rendered, region)}: "
                                              f"'{_clip(text)}' runs {_size(past)} past the edge; {fix}")
    return list(found.values())


def _text_boxes(box: Any, region: str | None = None) -> Iterator[tuple[str | None, Any]]:
    """Every text box under a box, with the id of the region it sits in."""
    element = getattr(box, "element", None)
    box_id = element.get("id", "") if element is not None else ""
    if region is None and box_id.startswith("region-"):
        region = box_id.removeprefix("region-")
    if isinstance(box, boxes.TextBox):
        yield region, box
    for child in getattr(box, "children", ()):
        yield from _text_boxes(child, region)


def _key_holding(content: Content, text: str) -> str | None:
    """The content key whose text contains a fragment of rendered text, named with its line."""
    fragment = text.rstrip("-\u2010")[:40]
    for key, value in _strings(content.model_dump(), ()):
        if fragment in value.translate(SUBSTITUTES):
            return _named(content, key)
    return None


def _clip(text: str, most: int = 40) -> str:
    """A fragment short enough to quote in a message."""
    return text if len(text) <= most else text[:most] + "…"


def _listing(keys: list[str], most: int = 3) -> str:
    """`a or b`, or `a, b, c or 5 more entries` for long lists."""
    if len(keys) <= most:
        return " or ".join(keys)
    more = len(keys) - most
    return f"{', '.join(keys[:most])} or {more} more {'entry' if more == 1 else 'entries'} after them"


def _headings(rendered: Rendered, region: Region) -> list[str]:
    """The headings a reader sees in a region, to name it in messages."""
    content = rendered.content
    names = {s.id: s.heading for s in content.sections} | {"faq": content.faq_heading, "intro": "introduction",
                                                          "in-simple-terms": "In simple terms"}
    return [names[b] for b in region.spec.blocks() if b in names]


def glyph_problems(content: Content) -> list[str]:
    """Characters in the content that the font cannot draw, located by file, line and key."""
    known = font_codepoints()
    found = []
    for key, text in _strings(content.model_dump(), ()):
        missing = sorted({c for c in text.translate(SUBSTITUTES) if ord(c) not in known and c.isprintable()})
        if missing:
            chars = ", ".join(f"'{c}' (U+{ord(c):04X})" for c in missing)
            found.append(content.located(key, f"{FONT_FAMILY} has no {chars}; "
                                              "it may print in another font or as an empty box"))
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
    return problems + wide_text(rendered)
