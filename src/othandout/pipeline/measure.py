"""What a laid-out document measures, as plain data: pages, element boxes, text runs and the renderer's notes.

The engine fills it; the check and fit stages read it. Nothing here imports WeasyPrint."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Rect:
    """A rectangle on a page, in points from the trim corner."""

    page: int
    x0: float
    y0: float
    x1: float
    y1: float


@dataclass(frozen=True)
class TextRun:
    """One laid-out run of text with what a reader sees: size, weight, colour and the colour behind it."""

    rect: Rect
    text: str
    size: float
    weight: int
    colour: str
    background: str
    region: str | None


@dataclass
class Measurements:
    """What the check stage needs to know about a laid-out document, as plain data."""

    pages: list[tuple[float, float]]
    boxes: dict[str, list[Rect]]
    texts: list[TextRun]
    missing_glyphs: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
