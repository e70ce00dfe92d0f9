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


def font_problems(data: bytes, family: str) -> list[str]:
    """Fonts other than the layout's family mean text fell back to a different font."""
    wanted = _plain(family)
    fonts = {_plain(name): name for name in embedded_fonts(data)}
    if not any(name.startswith(wanted) for name in fonts):
        return [f"the font '{family}' is not in the PDF; text fell back to {', '.join(sorted(fonts.values()))}"]
    others = sorted(name for plain, name in fonts.items() if not plain.startswith(wanted))
    if others:
        return [f"some characters are not in '{family}' and were drawn with {', '.join(others)}"]
    return []


def _plain(name: str) -> str:
    """A font name without spaces, dashes or case, for comparing families."""
    return name.replace(" ", "").replace("-", "").lower()
