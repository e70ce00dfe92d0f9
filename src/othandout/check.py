"""Check stage: hold a rendered document to its layout's contract."""

from __future__ import annotations

import re
from dataclasses import dataclass

from othandout.layouts import Region
from othandout.render import Rendered

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


def _key(anchor: str) -> str:
    """Turn `at-faq.2` into `faq[2]`."""
    parts = anchor.removeprefix("at-").split(".")
    return re.sub(r"\.(\d+)", r"[\1]", ".".join(parts))


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
            inside = _in_region(anchors, region, y)
            near_end = region.safe.bottom - 3 * _line_pt(rendered)
            cut = [_key(name) for name, pos in inside if pos[2] > near_end]
            found.append(Overflow(region, excess, cut or [_key(name) for name, _ in inside[-1:]]))
    return found


def _in_region(anchors: dict[str, tuple[int, float, float]], region: Region, y_end: float) -> list:
    """The `at-` anchors that lie inside a region, in document order."""
    return [(name, pos) for name, pos in anchors.items()
            if name.startswith("at-") and pos[0] == region.page
            and region.box.x <= pos[1] < region.box.right and region.box.y <= pos[2] <= y_end]


def _line_pt(rendered: Rendered) -> float:
    """The height of one body line."""
    return rendered.body_pt * LINE_HEIGHT


def words_for(rendered: Rendered, overflow: Overflow) -> int:
    """Roughly how many words fill `excess_pt` of this region at the body size."""
    lines = overflow.excess_pt / _line_pt(rendered)
    per_line = overflow.region.safe.w / (rendered.body_pt * AVG_CHAR_EM * CHARS_PER_WORD)
    return max(1, round(lines * per_line / 5) * 5)


def overflow_message(rendered: Rendered, overflow: Overflow) -> str:
    """Say where the overflow is and how much to cut, for a non-programmer."""
    region = overflow.region
    spec = region.spec
    inches = overflow.excess_pt / 72
    amount = f"{inches:.1f} in" if inches >= 0.1 else f"{inches * 25.4:.0f} mm"
    same_page = [r for r in rendered.regions if r.page == region.page]
    where = f"page {region.page}"
    if len(same_page) > 1:
        where += f", panel {same_page.index(region) + 1}"
    headings = ", ".join(spec.blocks()) or spec.id
    what = f"shorten {' or '.join(overflow.keys)}" if overflow.keys else "shorten the text there"
    fit = "" if rendered.body_pt <= rendered.layout.manifest.floor_pt else " or use --fit shrink"
    return (f"{rendered.layout.name}: {where} ({spec.label}: {headings}) is {amount} too long, "
            f"about {words_for(rendered, overflow)} words; {what}{fit}")


def contract_problems(rendered: Rendered) -> list[str]:
    """Everything about the document that breaks the layout's contract, in plain words."""
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
    problems += [overflow_message(rendered, o) for o in overflows(rendered)]
    return problems
