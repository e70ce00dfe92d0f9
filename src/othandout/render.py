"""Render stage: content + layout -> HTML -> a laid-out WeasyPrint document."""

from __future__ import annotations

import atexit
import json
import logging
import re
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import fontpkg_atkinson_hyperlegible as font_pkg
import jinja2
from jinja2.sandbox import ImmutableSandboxedEnvironment

from othandout.content import Content
from othandout.errors import ContentError, ContractError, LayoutError
from othandout.layouts import Layout, PaperSpec, Region, base_dir

if TYPE_CHECKING:
    from weasyprint import Document

FONT_FAMILY = font_pkg.FAMILY
DEFAULT_ACCENT = "#0b6e75"
# Characters the bundled font lacks, drawn with the nearest character it has.
SUBSTITUTES = str.maketrans({"\u2011": "-", "\u2010": "-", "\u2009": " ", "\u202f": "\u00a0"})


@dataclass
class Rendered:
    """A laid-out document plus what the renderer said while making it."""

    layout: Layout
    spec: PaperSpec
    body_pt: float
    document: Document
    regions: list[Region]
    content: Content
    fetcher: Any
    warnings: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def pdf(self) -> bytes:
        """Write the PDF in memory; attachments fetched now are policed like everything else."""
        with _captured() as records:
            data = self.document.write_pdf()
        self.absorb(records)
        return data

    def absorb(self, records: list[logging.LogRecord]) -> None:
        """Sort renderer log records and refused fetches into errors and warnings, once each."""
        for url, why in self.fetcher.refused:
            if f"refused {url}: {why}" not in self.errors:
                self.errors.append(f"refused {url}: {why}")
        for record in records:
            message = record.getMessage().splitlines()[0]
            if any(url in message for url, _ in self.fetcher.refused):
                continue
            (self.errors if record.levelno >= logging.ERROR else self.warnings).append(message)


class _Capture(logging.Handler):
    """Collect the `weasyprint` logger's warnings and errors during one render."""

    def __init__(self) -> None:
        super().__init__(level=logging.WARNING)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        """Keep the record."""
        self.records.append(record)


def _environment(layout: Layout) -> jinja2.Environment:
    """A sandboxed, strict Jinja environment: autoescape everywhere, undefined is an error."""
    loader = jinja2.FileSystemLoader([str(layout.folder), str(base_dir())])
    return ImmutableSandboxedEnvironment(loader=loader, autoescape=True, undefined=jinja2.StrictUndefined,
                              trim_blocks=True, lstrip_blocks=True, finalize=_finalize)


def _finalize(value: Any) -> Any:
    """Swap characters the font lacks for their nearest equivalents before escaping."""
    return value.translate(SUBSTITUTES) if isinstance(value, str) else value


@cache
def font_codepoints() -> frozenset[int]:
    """Every character the bundled font's regular face can draw."""
    from fontTools.ttLib import TTFont

    return frozenset(TTFont(str(font_pkg.ROOT / "files/AtkinsonHyperlegible-Regular.ttf")).getBestCmap())


IMAGE_SIGNATURES = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"GIF87a", b"GIF89a")


def _logo_uri(content: Content, project: Path) -> str | None:
    """Resolve `organization.logo` to an image file inside the project folder, or explain why not."""
    logo = content.organization.logo
    if not logo:
        return None
    where = content.where(("organization", "logo"))
    if re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]+:", logo) and not re.match(r"^[a-zA-Z]:[\\/]", logo):
        raise ContentError(f"organization.logo: '{logo}' is an address, not a file name; othandout never downloads anything",
                           hint="save the image next to content.yaml and write its file name, such as logo.png",
                           where=where)
    candidate = (project / logo).resolve()
    if not candidate.is_relative_to(project.resolve()):
        raise ContentError(f"organization.logo: '{logo}' is outside the folder of the content file",
                           hint="copy the logo next to content.yaml and give its file name", where=where)
    if not candidate.is_file():
        raise ContentError(f"organization.logo: image file '{logo}' not found",
                           hint=f"put the image in {project.resolve()} (the folder of the content file), "
                                "or fix the file name", where=where)
    try:
        is_image = _is_image(candidate)
    except OSError as err:
        raise ContentError(f"organization.logo: '{logo}' cannot be opened ({err.strerror or err})",
                           hint="check that the file is readable, or save a fresh copy of the logo", where=where) from None
    if not is_image:
        raise ContentError(f"organization.logo: '{logo}' is not a PNG, JPEG, GIF, WebP or SVG image",
                           hint="save the logo as a PNG or SVG file and give that file's name", where=where)
    return candidate.as_uri()


def _is_image(path: Path) -> bool:
    """True when a file starts like an image WeasyPrint can draw (PNG, JPEG, GIF, WebP or SVG).

    An SVG's `<svg` tag may follow a long XML prologue or comment, so its first 64 KiB are searched."""
    with path.open("rb") as handle:
        head = handle.read(65536)
    if head.startswith(IMAGE_SIGNATURES) or (head[:4] == b"RIFF" and head[8:12] == b"WEBP"):
        return True
    return b"<svg" in head.lower()


def html_for(content: Content, layout: Layout, spec: PaperSpec, project: Path) -> str:
    """Fill the layout's template with the content; content is escaped, never run as a template."""
    missing = [sid for sid in layout.manifest.required_sections if sid not in content.ids()]
    if missing:
        raise ContractError(
            f"{layout.name}: needs the section with id '{missing[0]}', which {content.file_name} does not have",
            hint=f"sections in {content.file_name}: {', '.join(s.id for s in content.sections)}; "
                 f"add the missing one back, or build the other layouts with --layout",
        )
    regions = layout.regions(spec.paper)
    pages = [[r for r in regions if r.page == n] for n in range(1, layout.manifest.pages + 1)]
    try:
        template = _environment(layout).get_template(layout.template_name)
        return template.render(content=content, org=content.organization, layout=layout, pages=pages,
                               logo=_logo_uri(content, project), spec=spec, crop_marks=CROP_MARKS)
    except jinja2.TemplateSyntaxError as err:
        raise LayoutError(f"{layout.name}: template problem in {err.name} line {err.lineno}: {err.message}") from None
    except jinja2.TemplateError as err:
        raise LayoutError(f"{layout.name}: template problem: {err}") from None


def geometry_css(layout: Layout, spec: PaperSpec, body_pt: float, accent: str, tall: bool = False) -> str:
    """Page size, bleed, type scale and region boxes, written from the manifest's numbers.

    `tall` makes the page box ten times taller (regions unchanged), so text that runs off the
    page is still laid out and can be measured."""
    width, height = layout.page_size(spec.paper)
    page_height = height * 10 if tall else height
    bleed = layout.bleed_pt(spec.paper) if spec.bleed else 0.0
    rules = [f"@page {{ size: {width:.3f}pt {page_height:.3f}pt; margin: 0; bleed: {bleed:.3f}pt; }}",
             f":root {{ font-size: {body_pt:.3f}pt; --accent: {accent}; --tint: {tint(accent)}; }}",
             f".page {{ width: {width:.3f}pt; height: {height:.3f}pt; }}"]
    for region in layout.regions(spec.paper):
        box, pad = region.box, region.safe.x - region.box.x
        rules.append(f"#region-{region.spec.id} {{ left: {box.x:.3f}pt; top: {box.y:.3f}pt; "
                     f"width: {box.w:.3f}pt; height: {box.h:.3f}pt; padding: {pad:.3f}pt; }}")
        rules.append(_background_rule(region, width, height, bleed))
    rules += crop_mark_rules(width, height, bleed)
    for page, xs in layout.folds(spec.paper).items():
        for index, x in enumerate(xs):
            rules.append(f"#page-{page} .fold-{index + 1} {{ left: {x:.3f}pt; }}")
    return "\n".join(rules)


CROP_MARKS = ("tl-h", "tl-v", "tr-h", "tr-v", "bl-h", "bl-v", "br-h", "br-v")


def crop_mark_rules(width: float, height: float, bleed: float, gap: float = 2.0) -> list[str]:
    """Crop marks in the bleed, drawn above backgrounds (WeasyPrint's own sit under them)."""
    if not bleed:
        return []
    length = bleed - gap
    rules = []
    for name in CROP_MARKS:
        corner, axis = name.split("-")
        x = (-bleed if corner[1] == "l" else width + gap) if axis == "h" else (0 if corner[1] == "l" else width)
        y = (-bleed if corner[0] == "t" else height + gap) if axis == "v" else (0 if corner[0] == "t" else height)
        size = (f"width: {length:.3f}pt; border-top: 0.5pt solid #000" if axis == "h"
                else f"height: {length:.3f}pt; border-left: 0.5pt solid #000")
        rules.append(f".crop-{name} {{ left: {x:.3f}pt; top: {y:.3f}pt; {size}; }}")
    return rules


def tint(accent: str, amount: float = 0.9) -> str:
    """A pale tint of the accent colour (mixed with white) for panels and callouts."""
    rgb = [int(accent[i:i + 2], 16) for i in (1, 3, 5)]
    return "#" + "".join(f"{round(c + (255 - c) * amount):02x}" for c in rgb)


def _background_rule(region: Region, width: float, height: float, bleed: float) -> str:
    """Place a region's background, running into the bleed where it touches a trim edge."""
    box = region.box
    left = box.x - (bleed if box.x < 0.5 else 0)
    top = box.y - (bleed if box.y < 0.5 else 0)
    right = box.right + (bleed if box.right > width - 0.5 else 0)
    bottom = box.bottom + (bleed if box.bottom > height - 0.5 else 0)
    return (f"#bg-{region.spec.id} {{ left: {left:.3f}pt; top: {top:.3f}pt; "
            f"width: {right - left:.3f}pt; height: {bottom - top:.3f}pt; }}")


def font_css() -> str:
    """@font-face rules for the bundled font, read from its Python package."""
    faces = json.loads((font_pkg.ROOT / "metadata.json").read_text())["files"]
    return "\n".join(
        f"@font-face {{ font-family: '{FONT_FAMILY}'; src: url('{(font_pkg.ROOT / f['path']).as_uri()}'); "
        f"font-weight: {f['weight']}; font-style: {f['style']}; }}" for f in faces)


@cache
def _font_config() -> Any:
    """One FontConfiguration per process: a new one each render leaks memory and time."""
    from weasyprint.text.fonts import FontConfiguration

    config = FontConfiguration()
    atexit.register(_remove_font_folder, config)
    return config


def _remove_font_folder(config: Any) -> None:
    """Delete the temporary font folder WeasyPrint made, which it leaves behind at exit."""
    folder = getattr(config, "_folder", None)
    if folder:
        shutil.rmtree(folder, ignore_errors=True)


def render(content: Content, layout: Layout, spec: PaperSpec, project: Path, body_pt: float,
           tall: bool = False) -> Rendered:
    """Lay out one layout; renderer warnings and refused fetches are collected, not printed."""
    from weasyprint import CSS, HTML

    from othandout.fetch import SafeFetcher

    html = html_for(content, layout, spec, project)
    fetcher = SafeFetcher([project, layout.folder, base_dir(), font_pkg.ROOT])
    accent = content.organization.accent_colour or DEFAULT_ACCENT
    with _captured() as records:
        config = _font_config()
        files = [base_dir() / name for name in layout.manifest.base_css] + [layout.stylesheet]
        sheets = [CSS(string=font_css(), url_fetcher=fetcher, font_config=config),
                  *(CSS(filename=str(f), url_fetcher=fetcher, font_config=config) for f in files),
                  CSS(string=geometry_css(layout, spec, body_pt, accent, tall), url_fetcher=fetcher)]
        document = HTML(string=html, base_url=str(layout.folder) + "/", url_fetcher=fetcher).render(
            stylesheets=sheets, font_config=config)
    result = Rendered(layout, spec, body_pt, document, layout.regions(spec.paper), content, fetcher)
    result.absorb(records)
    return result


@contextmanager
def _captured() -> Iterator[list[logging.LogRecord]]:
    """Collect the `weasyprint` logger's warnings and errors while the block runs."""
    capture = _Capture()
    logger = logging.getLogger("weasyprint")
    logger.addHandler(capture)
    try:
        yield capture.records
    finally:
        logger.removeHandler(capture)
