"""Template stage: content, a layout and a flow plan -> the HTML and CSS the engine lays out (no WeasyPrint here)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from othandout.errors import LayoutError
from othandout.pipeline import blocks, fonts, images
from othandout.pipeline.blocks import REGISTRY, Piece, item_anchor, steps_key, title_key
from othandout.pipeline.content import Content
from othandout.pipeline.files import FileRefused, Roots, read_bytes
from othandout.pipeline.flow import pinned
from othandout.pipeline.layouts import Layout, Pin, Region, base_dir
from othandout.pipeline.papers import MARK_LENGTH, PaperSpec
from othandout.pipeline.sandbox import Sandbox, render

DEFAULT_ACCENT = "#0b6e75"
MAX_CSS_BYTES = 512 * 1024
Key = tuple[str | int, ...]


@dataclass(frozen=True)
class Level:
    """How one region is set: its body size in points, and whether spacing is tightened to fit."""

    size: float
    tight: bool = False


@dataclass(frozen=True)
class Arrangement:
    """One way to set a layout: each flow slot's pieces, each region's level, and extra space per gap in slots."""

    pieces: list[list[Piece]]
    levels: dict[str, Level]
    spreads: dict[int, float] = field(default_factory=dict)


@dataclass(frozen=True)
class Entry:
    """A printed entry: the element id it carries, its content key, and its region."""

    anchor: str
    key: Key
    region: str
    text: bool = True  # its element's height is its text's, so shortening the text shortens it


@dataclass(frozen=True)
class Stylesheet:
    """CSS text and the folder its url()s resolve against."""

    text: str
    base: Path


@dataclass(frozen=True)
class Assets:
    """What every layout of one build shares: the checked logo and the QR code, made once."""

    logo: dict[str, str] | None
    qr: dict[str, str] | None

    @classmethod
    def of(cls, content: Content, project: Path) -> Assets:
        """Check and read the logo, and draw the QR code."""
        return cls(_picture(images.logo(content, project)), images.qr(content))


@dataclass
class Source:
    """Everything the engine needs for one document, as plain data."""

    html: str
    css: list[Stylesheet]
    entries: list[Entry]
    headings: dict[str, list[str]]  # per region, what a reader sees it is about (for messages)
    roots: list[Path]            # the folders the renderer may read (fonts, the layout's own files)
    sheet: tuple[float, float]   # the PDF page size in points (the trim size plus any bleed and slug)
    offset: float                # points from the sheet's corner to the trim corner


def html_lang(lang: str) -> str:
    """The tag the PDF and hyphenation use: plain `en` is US English."""
    return "en-US" if lang.lower() == "en" else lang


def environment(layout: Layout) -> Sandbox:
    """The bounded template sandbox for a layout: its own folder first, then the shared base (one per folder, so
    templates are compiled once; a template changed on disk is compiled again)."""
    return _environment(layout.folder.resolve())


@cache
def _environment(folder: Path) -> Sandbox:
    """The sandbox for one layout folder."""
    return Sandbox([folder, base_dir()], t=fonts.typeset, heading=fonts.heading, continued=fonts.continued,
                   addr=fonts.address)


def source(content: Content, layout: Layout, spec: PaperSpec, assets: Assets, arrangement: Arrangement,
           tall: bool = False) -> Source:
    """Fill the layout's template and write its CSS; content is escaped, never run as a template."""
    regions = layout.regions(spec.paper)
    entries: list[Entry] = []
    context = {
        "doc": _document(content, layout),
        "c": content.model_dump(mode="json"),
        "words": content.words(),
        "logo": assets.logo,
        "qr": assets.qr,
        "contact": contact_lines(content),
        "reviewed": reviewed_month(content),
        "pages": _pages(content, layout, regions, arrangement.pieces, arrangement.levels, entries),
        "marks": {"crop": spec.bleed, "folds": spec.fold_marks},
        "layout": {"name": layout.name, "title": layout.manifest.title, "audience": layout.manifest.audience},
        "headline": content.text_at(title_key(content, layout.manifest.audience)),
        "steps": getattr(content, steps_key(content, layout.manifest.audience)),
    }
    html = render(environment(layout), layout.template_name, context, layout.name)
    width, height = layout.page_size(spec.paper)
    offset = spec.offset()
    css = [Stylesheet(fonts.font_css(), base_dir()), *_files(layout),
           Stylesheet(geometry_css(content, layout, spec, regions, arrangement, tall), layout.folder)]
    return Source(html, css, entries, _headings(content, layout, context["pages"]),
                  [layout.folder, base_dir(), *fonts.roots()],
                  (width + 2 * offset, height * (10 if tall else 1) + 2 * offset), offset)


STANDALONE_POLICY = "default-src 'none'; style-src 'unsafe-inline'; font-src file: data:; img-src file: data:"


def standalone(src: Source) -> str:
    """The document as one HTML file, its stylesheets inlined in the order the engine applies them: open it in a
    browser, or give it to WeasyPrint to render exactly what othandout renders (fonts stay file URLs). A browser
    is told to run no script and fetch nothing from the network, whatever the layout's template holds."""
    texts = [re.sub("(?i)</style", r"<\\/style", sheet.text) for sheet in src.css]
    styles = "".join(f"<style>\n{text}\n</style>\n" for text in texts)
    base = (f'<meta http-equiv="Content-Security-Policy" content="{STANDALONE_POLICY}">\n'
            f'<base href="{src.roots[0].resolve().as_uri()}/">\n')
    head = re.search(r"<head[^>]*>", src.html)
    if head is None:
        return base + styles + src.html
    at = head.end()
    tail = src.html.index("</head>", at) if "</head>" in src.html[at:] else at
    return src.html[:at] + "\n" + base + src.html[at:tail] + styles + src.html[tail:]


def _document(content: Content, layout: Layout) -> dict[str, Any]:
    """The document's language and metadata: the tip sheet is titled with teacher_title."""
    title = content.text_at(title_key(content, layout.manifest.audience))
    seo = content.seo
    return {"lang": html_lang(content.lang), "title": title, "author": content.organization.name,
            "description": seo.meta_description if seo else content.summary or content.intro or title,
            "keywords": seo.focus_phrase if seo else ""}


def reviewed_month(content: Content) -> str | None:
    """The reviewed date as a reader writes it: `November 2026`, `noviembre de 2026` (the label set names the
    months and orders them with the year)."""
    if not content.reviewed:
        return None
    year, month, *_ = content.reviewed.split("-")
    words = content.words()
    months = [m.strip() for m in words["months"].split(",")]
    name = months[int(month) - 1] if len(months) == 12 else month
    return words["month_year"].replace("{month}", name).replace("{year}", year)


def _headings(content: Content, layout: Layout, pages: list[dict[str, Any]]) -> dict[str, list[str]]:
    """Per region, the headings a reader sees there, in order."""
    words, found = content.words(), {}
    for page in pages:
        for region in page["regions"]:
            items = [*region["show"], *(i for col in region["columns"] for i in col), *region["after"]]
            names = []
            for item in items:
                if item["block"] == "flow":
                    names += [p["heading"] for p in item["pieces"]]
                elif item["block"] == "section":
                    names.append(item["heading"])
                elif heading := REGISTRY[item["block"]].heading(content, words):
                    names.append(heading)
            found[region["id"]] = names
    return found


def _picture(picture: images.Picture | None) -> dict[str, str] | None:
    """A picture as plain data for the template."""
    return {"src": picture.src, "alt": picture.alt} if picture else None


def contact_lines(content: Content) -> list[dict[str, str]]:
    """Phone, email, website and address as label, printed value and link."""
    org, words = content.organization, content.words()
    lines = []
    if org.phone:
        lines.append({"kind": "phone", "label": words["phone"], "value": org.phone, "href": org.tel()})
    if org.email:
        lines.append({"kind": "email", "label": words["email"], "value": org.email, "href": f"mailto:{org.email}"})
    if org.website:
        lines.append({"kind": "web", "label": words["web"], "value": org.shown_website(), "href": org.website})
    if org.address:
        lines.append({"kind": "visit", "label": words["visit"], "value": org.address, "href": ""})
    return lines


def _pages(content: Content, layout: Layout, regions: list[Region], slots: list[list[Piece]],
           levels: dict[str, Level], entries: list[Entry]) -> list[dict[str, Any]]:
    """Pages, each with its regions in reading order, each with its blocks resolved to plain data."""
    flow = iter(enumerate(slots))
    pages = []
    for number in range(1, layout.manifest.pages + 1):
        placed = []
        for region in (r for r in regions if r.page == number):
            spec, level = region.spec, levels.get(region.spec.id)
            lists = [[_item(content, name, spec.id, spec.condensed, flow, entries, layout.manifest.audience)
                      for name in names]
                     for names in spec.lists()]
            placed.append({"id": spec.id, "label": spec.label, "style": spec.style, "tight": bool(level and level.tight),
                           "show": [i for i in lists[0] if i], "after": [i for i in lists[-1] if i],
                           "columns": [[i for i in col if i] for col in lists[1:-1]]})
        pages.append({"number": number, "regions": placed})
    return pages


def _item(content: Content, name: str | Pin, region: str, condensed: bool, flow: Any, entries: list[Entry],
          audience: str) -> dict[str, Any] | None:
    """One block of a region as plain data (None when the content leaves it empty, so it closes up)."""
    if isinstance(name, Pin):
        piece = pinned(content, name)
        return _piece(content, piece, region, condensed, entries) if piece else None
    if name == blocks.FLOW:
        index, pieces = next(flow, (-1, []))
        return {"block": "flow", "template": "blocks/flow.html.j2", "anchor": f"slot-{index}",
                "pieces": [_piece(content, p, region, condensed, entries) for p in pieces]}
    block = REGISTRY[name]
    if not block.shows(content, audience):
        return None
    anchor = f"{region}-{name}"
    keys = block.keys(content, audience)
    if block.each:
        entries += [Entry(block.anchor(i), key, region, block.text) for i, key in enumerate(keys)]
    else:
        entries += [Entry(anchor, key, region, block.text and len(keys) == 1) for key in keys]
    return {"block": name, "template": block.template, "anchor": anchor, "region": region}


def _piece(content: Content, piece: Piece, region: str, condensed: bool, entries: list[Entry]) -> dict[str, Any]:
    """A section, or the part of it that falls in one slot, as plain data."""
    section = content.sections[piece.section]
    items = []
    for anchor, key in blocks.section_keys(content, piece, condensed):
        item = section.items[key[3]]  # type: ignore[index]
        entries.append(Entry(anchor, key, region))
        items.append({"anchor": anchor, "label": item.label, "text": content.text_at(key)})
    if not piece.continued:
        entries.append(Entry(piece.anchor, ("sections", piece.section, "heading"), region))
    return {"block": "section", "template": "blocks/section.html.j2", "anchor": piece.anchor, "id": section.id,
            "index": piece.section, "heading": section.heading, "continued": piece.continued,
            "intro": None if piece.continued else section.intro, "items": items,
            "first_anchor": item_anchor(piece.section, piece.first)}


def _files(layout: Layout) -> list[Stylesheet]:
    """The shared base CSS files the manifest names, then the layout's own, read through the one reader."""
    wanted = [(base_dir(), name) for name in layout.manifest.base_css] + [(layout.folder, layout.stylesheet)]
    sheets = []
    for folder, name in wanted:
        if Path(name).is_absolute() or ".." in Path(name).parts:
            raise LayoutError(f"{layout.name}: stylesheet '{name}' must be a file name inside the layout folder",
                              hint="copy the CSS into the layout's folder and name it there")
        try:
            data = read_bytes(folder / name, Roots.of(folder), MAX_CSS_BYTES, shown=f"{folder.name}/{name}")
            sheets.append(Stylesheet(data.decode("utf-8"), folder))
        except FileRefused as err:
            raise LayoutError(f"{layout.name}: stylesheet {err.message}", hint=err.hint or
                              "check base_css and stylesheet in layout.yaml") from None
        except UnicodeDecodeError:
            raise LayoutError(f"{layout.name}: stylesheet {folder.name}/{name} is not UTF-8 text",
                              hint="save the CSS as UTF-8 in your editor") from None
    return sheets


def geometry_css(content: Content, layout: Layout, spec: PaperSpec, regions: list[Region], arrangement: Arrangement,
                 tall: bool = False) -> str:
    """Page size, colours, type sizes and region boxes, written from the manifest's numbers.

    `tall` makes the sheet ten times taller (regions unchanged), so text that runs off the page is still laid out."""
    width, height = layout.page_size(spec.paper)
    offset = spec.offset()
    bleed = layout.bleed_pt(spec.paper) if spec.bleed else 0.0
    accent = content.organization.accent_colour or DEFAULT_ACCENT
    rules = [f"@page {{ size: {width + 2 * offset:.3f}pt {height * (10 if tall else 1) + 2 * offset:.3f}pt; "
             f"margin: {offset:.3f}pt; }}",
             f":root {{ font-size: {layout.manifest.body_pt:.3f}pt; --accent: {accent}; --tint: {tint(accent)}; "
             f"--accent-dark: {shade(accent)}; --mark-length: {MARK_LENGTH:.1f}pt; }}",
             f".page {{ width: {width:.3f}pt; height: {height:.3f}pt; }}"]
    for region in regions:
        box, level = region.box, arrangement.levels.get(region.spec.id, Level(layout.manifest.body_pt))
        rules.append(f"#region-{region.spec.id} {{ left: {box.x:.3f}pt; top: {box.y:.3f}pt; width: {box.w:.3f}pt; "
                     f"height: {box.h:.3f}pt; padding: {region.safe.x - box.x:.3f}pt; font-size: {level.size:.3f}pt; }}")
        rules.append(_background_rule(region, width, height, bleed))
    for slot, extra in sorted(arrangement.spreads.items()):  # columns evened out: a little more space per gap
        rules.append(f"#slot-{slot} li, #slot-{slot} .section {{ padding-bottom: {extra:.3f}pt; }}")
    return "\n".join(rules)


def tint(accent: str, amount: float = 0.9) -> str:
    """A pale tint of the accent colour (mixed with white) for panels and callouts."""
    rgb = [int(accent[i:i + 2], 16) for i in (1, 3, 5)]
    return "#" + "".join(f"{round(c + (255 - c) * amount):02x}" for c in rgb)


def shade(accent: str, amount: float = 0.25) -> str:
    """A darker shade of the accent (mixed with black), for small text on the tint."""
    rgb = [int(accent[i:i + 2], 16) for i in (1, 3, 5)]
    return "#" + "".join(f"{round(c * (1 - amount)):02x}" for c in rgb)


def _background_rule(region: Region, width: float, height: float, bleed: float) -> str:
    """Place a region's background, running into the bleed where it touches a trim edge."""
    box = region.box
    left = box.x - (bleed if box.x < 0.5 else 0)
    top = box.y - (bleed if box.y < 0.5 else 0)
    right = box.right + (bleed if box.right > width - 0.5 else 0)
    bottom = box.bottom + (bleed if box.bottom > height - 0.5 else 0)
    return (f"#bg-{region.spec.id} {{ left: {left:.3f}pt; top: {top:.3f}pt; "
            f"width: {right - left:.3f}pt; height: {bottom - top:.3f}pt; }}")
