"""Paper sizes as data (data/papers.yaml) plus custom `WxH` sizes, and lengths in points."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from othandout.pipeline.files import Roots, read_bytes
from othandout.pipeline.load import data_file

FILE = Path(__file__).resolve().parents[1] / "data" / "papers.yaml"
PT_PER = {"in": 72.0, "mm": 72 / 25.4, "pt": 1.0}
LENGTH = r"-?\d+(?:\.\d+)?(?:in|mm|pt)"
CUSTOM = re.compile(r"(\d+(?:\.\d+)?)x(\d+(?:\.\d+)?)(in|mm)")
MAX_SIDE_PT = 48 * 72  # a poster of 4 feet: anything bigger is a typing slip


@dataclass(frozen=True)
class Paper:
    """A named paper: its portrait size and bleed, in points."""

    name: str
    width: float
    height: float
    bleed: float


def to_pt(value: str, whole: float = 0.0) -> float:
    """Convert a length (`3.625in`, `97mm`, `12pt`, `50%` of `whole`) to points."""
    found = re.fullmatch(r"(-?\d+(?:\.\d+)?)(in|mm|pt|%)", value)
    if not found:
        raise ValueError(f"{value!r} is not a length")
    number, unit = float(found[1]), found[2]
    return number * whole / 100 if unit == "%" else number * PT_PER[unit]


@cache
def named() -> dict[str, Paper]:
    """The shipped paper sizes, by name."""
    data = data_file(read_bytes(FILE, Roots.of(FILE.parent), 64 * 1024).decode("utf-8"))
    return {name: Paper(name, to_pt(v["width"]), to_pt(v["height"]), to_pt(v["bleed"])) for name, v in data.items()}


def paper(name: str) -> Paper:
    """A shipped paper by name, or a custom `WxHin` / `WxHmm` size; ValueError when it is neither."""
    name = name.lower()
    if name in named():
        return named()[name]
    found = CUSTOM.fullmatch(name)
    if not found:
        raise ValueError(f"'{name}' is not a paper size")
    unit = found[3]
    width, height = (float(found[1]) * PT_PER[unit], float(found[2]) * PT_PER[unit])
    if not (72 <= width <= MAX_SIDE_PT and 72 <= height <= MAX_SIDE_PT):
        raise ValueError(f"'{name}' is not a printable size (each side between 1 in and 48 in)")
    return Paper(name, min(width, height), max(width, height), 9.0 if unit == "in" else 3 * PT_PER["mm"])


def is_paper(name: str) -> bool:
    """True for a shipped or well-formed custom paper size."""
    try:
        paper(name)
    except ValueError:
        return False
    return True


def choices() -> str:
    """The shipped names, for messages."""
    return ", ".join(named())


MARK_GAP = 1.0      # crop marks start this far beyond the bleed, so they never touch it
MARK_LENGTH = 18.0  # a quarter inch
SLUG_EXTRA = MARK_GAP + MARK_LENGTH + 6.0


@dataclass(frozen=True)
class PaperSpec:
    """The paper options of one build: which paper (None: each layout's first), and the print-shop extras."""

    paper: str | None = "letter"
    bleed: bool = False
    fold_marks: bool = False

    def suffix(self, default: str = "letter") -> str:
        """The file name suffix: `-a4` (a paper other than the layout's first), `-print` (bleed and crop marks)
        and `-folds` (fold marks)."""
        return (f"-{self.paper}" if self.paper and self.paper != default else "") + \
            ("-print" if self.bleed else "") + ("-folds" if self.fold_marks else "")

    def on(self, layout_papers: list[str]) -> PaperSpec:
        """This spec with a paper: the one asked for, or the layout's first."""
        return PaperSpec(self.paper or layout_papers[0], self.bleed, self.fold_marks)

    def offset(self) -> float:
        """Points from the sheet's corner to the trim corner: bleed plus the slug that holds the marks."""
        return paper(self.paper or "letter").bleed + SLUG_EXTRA if self.bleed else 0.0
