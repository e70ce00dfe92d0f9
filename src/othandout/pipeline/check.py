"""Check stage: hold a laid-out document to its layout's contract, from plain measurements (no WeasyPrint here)."""

from __future__ import annotations

import io
import math
import unicodedata
from dataclasses import dataclass

from othandout.pipeline.content import Content, contrast
from othandout.pipeline.measure import Measurements, Rect
from othandout.pipeline.html import Entry, Source
from othandout.pipeline.layouts import Layout, Region
from othandout.pipeline.load import dotted
from othandout.pipeline.papers import PaperSpec

TOLERANCE_PT = 0.5
MIN_TEXT_PT = 9.0
MIN_CONTRAST = 4.5
Key = tuple[str | int, ...]


@dataclass(frozen=True)
class Overflow:
    """A region whose content runs past its safe bottom edge (by `excess` points; inf when not yet measured)."""

    region: Region
    excess: float
    keys: list[Key]
    words: int


def box_on(m: Measurements, anchor: str, page: int) -> Rect | None:
    """An element's rectangle on a page, if it was laid out there."""
    return next((r for r in m.boxes.get(anchor, []) if r.page == page), None)


def overflows(layout: Layout, spec: PaperSpec, source: Source, m: Measurements) -> list[Overflow]:
    """Regions whose content ends below their safe box, or whose content fell off the page."""
    found = []
    edge = source.sheet[1] - 2 * source.offset - 1  # the trim's bottom edge: content cut there fell off the page
    for region in layout.regions(spec.paper):
        body = box_on(m, f"body-{region.spec.id}", region.page)
        entries = [e for e in source.entries if e.region == region.spec.id]
        # The body's box, or any text lower down (floats and positioned boxes can escape the body's box).
        texts = [run.rect.y1 for run in m.texts if run.region == region.spec.id and run.rect.page == region.page]
        bottom = max(([body.y1] if body else []) + texts, default=math.inf)
        cut = body is None or bottom >= edge  # content that reached the sheet's edge was cut there
        excess = math.inf if cut else bottom - region.safe.bottom
        if excess > TOLERANCE_PT:
            found.append(_sized(region, excess, entries, m))
    return found


def _sized(region: Region, excess: float, entries: list[Entry], m: Measurements) -> Overflow:
    """What to shorten (the tallest text entry, then those past the bottom edge) and about how many words must go."""
    heights: dict[Key, float] = {}
    past: list[Key] = []
    for entry in entries:
        rect = box_on(m, entry.anchor, region.page)
        if rect is None or rect.y1 > region.safe.bottom + TOLERANCE_PT:
            past.append(entry.key)
        if rect is not None and entry.text and entry.key[-1] != "heading":
            heights[entry.key] = heights.get(entry.key, 0.0) + rect.y1 - rect.y0
    tallest = max(heights, key=heights.__getitem__) if heights else None
    keys = list(dict.fromkeys([*([tallest] if tallest else []), *past]))
    return Overflow(region, excess, keys, 0)


def with_words(overflow: Overflow, content: Content, m: Measurements, source: Source) -> Overflow:
    """The overflow with its word estimate: the whole lines of the first entry named that must go, in its words."""
    if overflow.excess == math.inf or not overflow.keys:
        return overflow
    region = overflow.region
    entry = next((e for e in source.entries if e.key == overflow.keys[0] and e.region == region.spec.id), None)
    rect = box_on(m, entry.anchor, region.page) if entry else None
    words = len(content.text_at(overflow.keys[0]).split())
    lines = _lines(m, rect) if rect else 0
    if not lines or not words:
        return Overflow(region, overflow.excess, overflow.keys, max(5, round(overflow.excess / 3)))
    line_height = (rect.y1 - rect.y0) / lines  # type: ignore[union-attr]
    cut = math.ceil((overflow.excess + TOLERANCE_PT) / line_height) * words / lines
    return Overflow(region, overflow.excess, overflow.keys, max(1, math.ceil(cut)))


def _lines(m: Measurements, rect: Rect) -> int:
    """How many lines of text lie inside a rectangle."""
    tops = {round(r.rect.y0) for r in m.texts
            if r.rect.page == rect.page and rect.y0 - 1 <= r.rect.y0 and r.rect.y1 <= rect.y1 + 1
            and rect.x0 - 1 <= r.rect.x0 and r.rect.x1 <= rect.x1 + 1}
    return len(tops)


def place(layout: Layout, spec: PaperSpec, region: Region, source: Source) -> str:
    """Name a region as a reader finds it: `page 2, panel 3, inside right ('Quick FAQ')`."""
    same_page = sorted((r for r in layout.regions(spec.paper) if r.page == region.page), key=lambda r: r.box.x)
    panel = f"panel {same_page.index(region) + 1}, " if layout.manifest.folded else ""
    shows = ", ".join(f"'{h}'" for h in source.headings.get(region.spec.id, []))
    return f"page {region.page}, {panel}{region.spec.label}" + (f" ({shows})" if shows else "")


def size(points: float) -> str:
    """A length in inches: tenths, or hundredths (at least 0.01) when under a tenth of an inch."""
    inches = points / 72
    return f"{inches:.1f} in" if inches >= 0.1 else f"{max(0.01, math.ceil(inches * 100) / 100):.2f} in"


def named(content: Content, key: Key) -> str:
    """`faq[2].answer (line 140)` (`(spanish.yaml line 140)` for a file not named content.yaml), or just the key
    path when the line is unknown."""
    line, name = content.line(key), content.file_name
    return f"{dotted(key)} ({'' if name == 'content.yaml' else name + ' '}line {line})" if line else dotted(key)


def listing(keys: list[str], most: int = 3) -> str:
    """`a or b`, or `a, b, c or 5 more entries after them` for long lists."""
    if len(keys) <= most:
        return " or ".join(keys)
    more = len(keys) - most
    return f"{', '.join(keys[:most])} or {more} more {'entry' if more == 1 else 'entries'} after them"


def overflow_message(content: Content, layout: Layout, spec: PaperSpec, source: Source, overflow: Overflow,
                     size_pt: float, smallest: bool) -> str:
    """Say where the overflow is and how much to cut, for a non-programmer (`smallest`: --fit shrink already set
    it as small as it may go)."""
    manifest = layout.manifest
    if overflow.excess == math.inf:
        amount = "runs off the page"
    else:
        amount = f"is {size(overflow.excess)} too long, about {overflow.words} word{'s' * (overflow.words != 1)}"
    keys = [named(content, k) for k in overflow.keys]
    what = f"{'shorten or remove' if len(keys) > 3 else 'shorten'} {listing(keys)}" if keys else "shorten the text there"
    fit = ""
    if smallest and size_pt <= manifest.floor_pt:
        amount += f" even at {size_pt:g} pt, as small as this layout allows"
    elif smallest:  # stopped above the floor: smaller type would put the region's small print under 9 pt
        amount += f" even with --fit shrink (its small print is at {MIN_TEXT_PT:g} pt already, the least a reader can read)"
    elif manifest.floor_pt >= manifest.body_pt:
        what += f" (--fit shrink cannot help: this layout's floor_pt is its body size, {manifest.body_pt:g} pt)"
    else:
        fit = (", or" if len(keys) > 1 else " or") + " use --fit shrink"
    return f"{layout.name}: {place(layout, spec, overflow.region, source)} {amount}; {what}{fit}"


def missing_parts(content: Content, layout: Layout, source: Source, m: Measurements, lost: set[str]) -> str | None:
    """One message naming every part a layout must print that the document lacks (overflowing regions excepted)."""
    shown = {e.key[0] for e in source.entries if e.region in lost or e.anchor in m.boxes}
    pieces = any(a.startswith(("piece-", "key-points-")) for a in m.boxes) or any(
        e.key[0] in ("sections", "key_points") and e.region in lost for e in source.entries)
    missing = []
    if not shown & {"title", "teacher_title"}:
        missing.append("a title")
    if not pieces:
        missing.append("at least one section")
    if "footer_note" not in shown:
        missing.append("the bottom note (footer_note)")
    if content.organization.reachable() and not any(e.anchor.endswith("-contact") and (e.anchor in m.boxes or e.region in lost)
                                                    for e in source.entries):
        missing.append("the contact details")
    if not missing:
        return None
    return f"{layout.name}: the document is missing {_and(missing)}; every layout must print them"


def _and(words: list[str]) -> str:
    """`a`, `a and b`, or `a, b and c`."""
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} and {words[-1]}"


def page_problems(layout: Layout, spec: PaperSpec, source: Source, m: Measurements) -> list[str]:
    """The page count and every page's size."""
    manifest, problems = layout.manifest, []
    if len(m.pages) != manifest.pages:
        problems.append(f"{layout.name}: has {len(m.pages)} pages; the layout must have exactly {manifest.pages}")
    want_w, want_h = source.sheet
    trim_w, trim_h = layout.page_size(spec.paper)
    for number, (w, h) in enumerate(m.pages, start=1):
        if abs(w - want_w) > 1 or abs(h - want_h) > 1:
            problems.append(f"{layout.name}: page {number} is {w / 72:.2f} × {h / 72:.2f} in; expected "
                            f"{want_w / 72:.2f} × {want_h / 72:.2f} in ({spec.paper} {manifest.orientation}"
                            + (", with bleed" if spec.bleed else "") + ")")
    return problems


def edge_problems(content: Content, layout: Layout, spec: PaperSpec, source: Source, m: Measurements) -> list[str]:
    """Text that runs past the left, right or top edge of its region's safe box, one message per region."""
    regions = {(r.page, r.spec.id): r for r in layout.regions(spec.paper)}
    found: dict[tuple[int, str], str] = {}
    for run in m.texts:
        region = regions.get((run.rect.page, run.region or ""))
        if region is None or (run.rect.page, region.spec.id) in found:
            continue
        # The em box, centred in the run's box, stands for the glyphs: a script with tall line boxes (Arabic)
        # must not count as past the top when its letters are inside.
        top = run.rect.y0 + max(0.0, run.rect.y1 - run.rect.y0 - run.size) / 2
        across = max(run.rect.x1 - region.safe.right, region.safe.x - run.rect.x0)
        past = max(across, region.safe.y - top)
        if past > TOLERANCE_PT:
            key = _key_holding(content, run.text)
            fix = (f"shorten {named(content, key)} or add spaces so it can wrap" if key else "shorten it") \
                if across >= past else "the layout places it too high; move the region down in its layout.yaml"
            found[(run.rect.page, region.spec.id)] = (f"{layout.name}: {place(layout, spec, region, source)}: "
                                                      f"'{clip(run.text.strip())}' runs {size(past)} past the edge; {fix}")
    return list(found.values())


def blank_pages(layout: Layout, m: Measurements) -> list[str]:
    """Pages that print no text at all: the content is too short for the layout (a brochure's inside left white)."""
    printed = {run.rect.page for run in m.texts if run.text.strip()}
    return [f"page {number} prints nothing: the content is too short to reach it; add sections, FAQ entries or "
            f"next steps, or use a one-page layout" for number in range(1, len(m.pages) + 1) if number not in printed]


def reading_problems(layout: Layout, m: Measurements) -> list[str]:
    """Text under 9 pt, and text whose colour does not stand out 4.5:1 from what is painted behind it."""
    problems = []
    small = [run for run in m.texts if run.size < MIN_TEXT_PT - 0.05]
    if small:
        problems.append(f"{layout.name}: '{clip(small[0].text.strip())}' prints at {small[0].size:.1f} pt"
                        + (f" (and {len(small) - 1} more runs)" if len(small) > 1 else "")
                        + f"; nothing may print under {MIN_TEXT_PT:g} pt")
    seen = set()
    for run in m.texts:
        ratio = contrast(run.colour, run.background)
        if ratio < MIN_CONTRAST and (run.colour, run.background) not in seen:
            seen.add((run.colour, run.background))
            problems.append(f"{layout.name}: '{clip(run.text.strip())}' is {run.colour} on {run.background}, a "
                            f"contrast of {ratio:.2f}:1; text needs {MIN_CONTRAST:g}:1 (use a darker accent_colour)")
    return problems


def _key_holding(content: Content, text: str) -> Key | None:
    """The content key whose text contains a fragment of rendered text."""
    fragment = clip(text.strip(), 10**6).rstrip("-\u2010")[:40]
    for key, value in strings(content.model_dump(), ()):
        if fragment and fragment in value.replace("\u2011", "-"):
            return key
    return None


def strings(value: object, key: tuple) -> list[tuple[tuple, str]]:
    """Every string in a dumped model with its key path."""
    if isinstance(value, str):
        return [(key, value)]
    if isinstance(value, dict):
        return [pair for k, v in value.items() for pair in strings(v, (*key, k))]
    if isinstance(value, list):
        return [pair for i, v in enumerate(value) for pair in strings(v, (*key, i))]
    return []


def clip(text: str, most: int = 40) -> str:
    """A fragment short enough to quote in a message, without the invisible break and join marks typesetting adds."""
    text = "".join(c for c in text if unicodedata.category(c) != "Cf")
    return text if len(text) <= most else text[:most] + "…"


def embedded_fonts(data: bytes) -> set[str]:
    """The base names of the fonts embedded in a PDF, without subset prefixes."""
    import pikepdf

    names = set()
    with pikepdf.open(io.BytesIO(data)) as pdf:
        for page in pdf.pages:
            for font in page.obj.get("/Resources", {}).get("/Font", {}).values():
                names.add(str(font.get("/BaseFont", "")).lstrip("/").split("+")[-1])
    return names


def _plain(name: str) -> str:
    """A font name without spaces, dashes or case, for comparing families."""
    return name.replace(" ", "").replace("-", "").lower()


def font_problem(data: bytes, family: str) -> str | None:
    """Say so when the layout's font is not embedded at all (the whole text fell back)."""
    fonts = embedded_fonts(data)
    if any(_plain(name).startswith(_plain(family)) for name in fonts):
        return None
    return f"the font '{family}' is not in the PDF; the text fell back to {', '.join(sorted(fonts)) or 'nothing'}"
