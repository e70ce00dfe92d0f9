"""Previews: build, then draw every page of every PDF as a PNG, and one contact sheet of all layouts side by side.

Pages are drawn with pdfium, so no PDF viewer is needed. pdfium orders a line that mixes Arabic or Hebrew with
Latin text wrongly (the PDF itself is right, as poppler's pdftoppm shows)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from othandout.build import BuildOptions, Built, build
from othandout.errors import OthandoutError
from othandout.pipeline import fonts
from othandout.pipeline.write import write_atomic

DPI = 100
SHEET_SCALE = 0.5       # the contact sheet shows pages at half the preview size (50 dpi)
GAP, MARGIN, LABEL = 24, 24, 34
BACKGROUND, INK, EDGE = "#eef1f3", "#1d2a33", "#b8c2c8"


@dataclass
class Previews:
    """What one preview run wrote."""

    pages: list[Path] = field(default_factory=list)
    sheet: Path | None = None


def write_previews(options: BuildOptions, report: Callable[[Built], None] = lambda built: None,
                   warn: Callable[[str], None] = lambda message: None) -> Previews:
    """Build the layouts, then write `<layout>-p<N>.png` per page and `contact-sheet.png` into `out/preview/`.

    A layout that fails to build is left out; the others are still drawn, then the build's error is raised."""
    built: list[Built] = []

    def keep(result: Built) -> None:
        """Remember each PDF written, and pass it on."""
        built.append(result)
        report(result)

    failure: OthandoutError | None = None
    try:
        build(options, report=keep, warn=warn)
    except OthandoutError as err:
        if not built:
            raise
        failure = err
    folder = options.out / "preview"
    found = Previews()
    columns = []
    for result in built:
        images = pages(result.data or result.path.read_bytes())  # an unchanged PDF was not made again
        for number, image in enumerate(images, start=1):
            found.pages.append(_save(image, folder / f"{result.path.stem}-p{number}.png"))
        stale = folder / f"{result.path.stem}-p{len(images) + 1}.png"  # the layout had more pages before
        stale.unlink(missing_ok=True)
        columns.append((result.path.stem, images))
    found.sheet = _save(contact_sheet(columns), folder / "contact-sheet.png")
    if failure:
        raise failure
    return found


def pages(pdf: bytes, dpi: int = DPI) -> list:
    """Every page of a PDF as a Pillow image."""
    import pypdfium2

    document = pypdfium2.PdfDocument(pdf)
    try:
        return [page.render(scale=dpi / 72).to_pil().convert("RGB") for page in document]
    finally:
        document.close()


def contact_sheet(columns: list[tuple[str, list]]) -> object:
    """One image: a column per layout, its name on top and its pages below one another, all at one scale."""
    from PIL import Image, ImageDraw

    shrunk = [(name, [p.resize((round(p.width * SHEET_SCALE), round(p.height * SHEET_SCALE)), Image.LANCZOS)
                      for p in images]) for name, images in columns]
    widths = [max((p.width for p in images), default=0) for _, images in shrunk]
    heights = [sum(p.height for p in images) + GAP * max(len(images) - 1, 0) for _, images in shrunk]
    sheet = Image.new("RGB", (2 * MARGIN + sum(widths) + GAP * max(len(widths) - 1, 0),
                              2 * MARGIN + LABEL + max(heights, default=0)), BACKGROUND)
    draw, font = ImageDraw.Draw(sheet), _font(20)
    x = MARGIN
    for (name, images), width in zip(shrunk, widths):
        draw.text((x, MARGIN), name, fill=INK, font=font)
        y = MARGIN + LABEL
        for page in images:
            sheet.paste(page, (x, y))
            draw.rectangle((x - 1, y - 1, x + page.width, y + page.height), outline=EDGE)
            y += page.height + GAP
        x += width + GAP
    return sheet


def _font(size: int) -> object:
    """The bundled Atkinson Hyperlegible, bold, for the sheet's labels."""
    from PIL import ImageFont

    files = fonts.font_files(fonts.MAIN)
    bold = next((f for f in files if f["weight"] == 700 and f["style"] == "normal"), files[0])
    return ImageFont.truetype(str(fonts.MAIN.root / bold["path"]), size)


def _save(image: object, target: Path) -> Path:
    """Write a PNG atomically (a failed run leaves the earlier preview whole)."""
    import io

    data = io.BytesIO()
    image.save(data, format="PNG", optimize=True)  # type: ignore[attr-defined]
    write_atomic(data.getvalue(), target)
    return target
