"""Images: the logo, checked and read once into a data: URI, and the QR code, drawn as vector SVG."""

from __future__ import annotations

import base64
import io
import re
import warnings
import xml.etree.ElementTree as ElementTree
from dataclasses import dataclass
from pathlib import Path

from othandout.errors import ContentError
from othandout.pipeline.content import Content, shown_address
from othandout.pipeline.files import FileRefused, Roots, read_bytes

MAX_LOGO_BYTES = 5 * 1024 * 1024
MAX_PIXELS = 25_000_000
MAX_SVG_ELEMENTS = 5000
RASTER = {b"\x89PNG\r\n\x1a\n": ("PNG", "image/png", (".png",)), b"\xff\xd8\xff": ("JPEG", "image/jpeg", (".jpg", ".jpeg")),
          b"GIF87a": ("GIF", "image/gif", (".gif",)), b"GIF89a": ("GIF", "image/gif", (".gif",))}
NAMES = {".png": "PNG", ".jpg": "JPEG", ".jpeg": "JPEG", ".gif": "GIF", ".webp": "WebP", ".svg": "SVG"}


@dataclass(frozen=True)
class Picture:
    """An image ready for a template: its data: URI and its text alternative."""

    src: str
    alt: str


def logo(content: Content, project: Path) -> Picture | None:
    """The organization's logo, checked, read once and inlined, or a located ContentError saying why not."""
    name = content.organization.logo
    if not name:
        return None
    where = content.where(("organization", "logo"))
    if re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]+:", name) and not re.match(r"^[a-zA-Z]:[\\/]", name):
        raise ContentError(f"organization.logo: '{name}' is an address, not a file name; othandout never downloads anything",
                           hint="save the image next to content.yaml and write its file name, such as logo.png",
                           where=where)
    data = _read(project / name, project, name, where)
    media = _check(data, name, where)
    alt = content.organization.logo_alt or content.words()["logo_alt"].format(name=content.organization.name)
    return Picture(f"data:{media};base64,{base64.b64encode(data).decode()}", alt)


def _read(path: Path, project: Path, name: str, where: str | None) -> bytes:
    """Read the logo through the one reader, turning a refusal into a located, plain message."""
    try:
        return read_bytes(path, Roots.of(project), MAX_LOGO_BYTES, shown=name)
    except FileRefused as err:
        if err.why == "no such file":
            raise ContentError(f"organization.logo: image file '{name}' not found",
                               hint=f"put the image in {project.resolve()} (the folder of the content file), "
                                    "or fix the file name", where=where) from None
        if "outside" in err.why:
            raise ContentError(f"organization.logo: '{name}' is outside the folder of the content file",
                               hint="copy the logo next to content.yaml and give its file name", where=where) from None
        hint = ("check that the file is readable, or save a fresh copy of the logo" if "cannot be opened" in err.why
                else "save the logo as a PNG or SVG file of a few hundred KB next to content.yaml")
        raise ContentError(f"organization.logo: '{name}' {err.why.removeprefix('it ')}", hint=hint,
                           where=where) from None


def _check(data: bytes, name: str, where: str | None) -> str:
    """The media type of a logo that is a whole, modest image whose name matches what it is."""
    kind, media, suffixes = next((v for sig, v in RASTER.items() if data.startswith(sig)), (None, None, ()))
    if kind is None and data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        kind, media, suffixes = "WebP", "image/webp", (".webp",)
    if kind is None and _svg_root(data):
        kind, media, suffixes = "SVG", "image/svg+xml", (".svg",)
    suffix = Path(name).suffix.lower()
    if kind is None:
        raise ContentError(f"organization.logo: '{name}' is not a PNG, JPEG, GIF, WebP or SVG image",
                           hint="save the logo as a PNG or SVG file and give that file's name", where=where)
    if suffix not in suffixes:
        shown = NAMES.get(suffix, f"'{suffix or 'no'}'")
        raise ContentError(f"organization.logo: '{name}' is a {kind} image with a {shown} name",
                           hint=f"rename the file to end in {suffixes[0]} and change organization.logo to match",
                           where=where)
    problem = _svg_problem(data) if kind == "SVG" else _raster_problem(data)
    if problem:
        raise ContentError(f"organization.logo: '{name}' {problem}",
                           hint="save a fresh copy of the logo at a normal size (a few hundred pixels across)",
                           where=where)
    return media  # type: ignore[return-value]


def _svg_root(data: bytes) -> bool:
    """True when the file is XML whose root element is <svg>."""
    try:
        root = ElementTree.fromstring(data)
    except ElementTree.ParseError:
        return False
    return root.tag in ("svg", "{http://www.w3.org/2000/svg}svg")


def _svg_problem(data: bytes) -> str | None:
    """Why an SVG cannot be a logo: it declares entities, links to other files, or is too heavy to draw."""
    if b"<!DOCTYPE" in data.upper() or b"<!ENTITY" in data.upper():
        return "declares XML entities (<!DOCTYPE or <!ENTITY), which a logo never needs"
    root = ElementTree.fromstring(data)
    for element in root.iter():
        for name, value in element.attrib.items():
            if name.endswith("href") and not value.strip().startswith(("#", "data:")):
                return f"links to another file ({value[:60]}); a logo must be one self-contained file"
    drawn = _drawn(root)
    if drawn > MAX_SVG_ELEMENTS:
        return (f"draws {drawn:,} shapes once its <use> copies are counted; a logo needs far fewer "
                f"(at most {MAX_SVG_ELEMENTS:,})")
    return None


def _drawn(root: ElementTree.Element) -> int:
    """How many elements an SVG draws with every <use> expanded (stopping early past the limit, and at loops)."""
    ids = {e.get("id"): e for e in root.iter() if e.get("id")}
    sizes: dict[int, int] = {}

    def size(element: ElementTree.Element, depth: int) -> int:
        if id(element) in sizes:
            return sizes[id(element)]
        if depth > 32:
            return MAX_SVG_ELEMENTS + 1  # a reference loop or absurd nesting
        total = 1 + sum(size(child, depth + 1) for child in element)
        if str(element.tag).endswith("use"):
            target = next((v for k, v in element.attrib.items() if k.endswith("href")), "").lstrip("#")
            if target in ids:
                total += size(ids[target], depth + 1)
        sizes[id(element)] = total = min(total, MAX_SVG_ELEMENTS + 1)
        return total

    return size(root, 0)


def _raster_problem(data: bytes) -> str | None:
    """Why a PNG, JPEG, GIF or WebP cannot be used (too many pixels, truncated or damaged), or None."""
    from PIL import Image, ImageFile

    lenient, ImageFile.LOAD_TRUNCATED_IMAGES = ImageFile.LOAD_TRUNCATED_IMAGES, False  # WeasyPrint turns it on
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as image:
                if image.width * image.height > MAX_PIXELS:
                    return (f"is {image.width:,} × {image.height:,} pixels; a logo needs at most "
                            f"{MAX_PIXELS // 1_000_000} megapixels")
                image.verify()  # every chunk present and intact
            with Image.open(io.BytesIO(data)) as image:
                image.load()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        return f"has too many pixels; a logo needs at most {MAX_PIXELS // 1_000_000} megapixels"
    except (OSError, SyntaxError, ValueError, EOFError):
        return "is truncated or damaged, so it cannot be drawn"
    finally:
        ImageFile.LOAD_TRUNCATED_IMAGES = lenient
    return None


def qr(content: Content) -> dict[str, str] | None:
    """The QR code to the content's web page as a vector SVG data: URI, with the address printed under it."""
    target = content.qr_target()
    if not target:
        return None
    import segno

    code = segno.make(target, error="m", micro=False)
    out = io.BytesIO()
    code.save(out, kind="svg", scale=1, border=4, omitsize=True, xmldecl=False, dark="#000000", light="#ffffff",
              title=content.words()["qr_caption"])
    short = shown_address(target)
    return {"src": "data:image/svg+xml;base64," + base64.b64encode(out.getvalue()).decode(), "url": target,
            "short": short, "alt": f"{content.words()['qr_caption']}: {short}"}
