"""Check the finished PDF bytes with an independent reader (pypdf): fonts and page boxes."""

from __future__ import annotations

import io

from pypdf import PdfReader


def embedded_fonts(data: bytes) -> set[str]:
    """The base names of the fonts embedded in a PDF, without subset prefixes."""
    reader = PdfReader(io.BytesIO(data))
    names = set()
    for page in reader.pages:
        fonts = page.get("/Resources", {}).get_object().get("/Font", {})
        for ref in fonts.get_object().values():
            base = str(ref.get_object().get("/BaseFont", ""))
            names.add(base.lstrip("/").split("+")[-1])
    return names


def missing_font(data: bytes, family: str) -> str | None:
    """Say so when the layout's font is not embedded at all (the whole text fell back)."""
    fonts = embedded_fonts(data)
    if any(_plain(name).startswith(_plain(family)) for name in fonts):
        return None
    return f"the font '{family}' is not in the PDF; the text fell back to {', '.join(sorted(fonts)) or 'nothing'}"


def fallback_fonts(data: bytes, family: str) -> list[str]:
    """Fonts other than the layout's that some characters were drawn with."""
    others = sorted(name for name in embedded_fonts(data) if not _plain(name).startswith(_plain(family)))
    return [f"some characters are not in '{family}' and were drawn with {', '.join(others)}"] if others else []


def _plain(name: str) -> str:
    """A font name without spaces, dashes or case, for comparing families."""
    return name.replace(" ", "").replace("-", "").lower()
