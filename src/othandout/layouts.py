"""Layouts: find `layouts/<name>/layout.yaml`, validate the manifest, compute page geometry."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from othandout.content import unknown_key_hint
from othandout.errors import LayoutError, OthandoutError
from othandout.load import Loaded, dotted, load_yaml

PT_PER = {"in": 72.0, "mm": 72 / 25.4, "pt": 1.0}
PAPERS_PT = {"letter": (612.0, 792.0), "a4": (595.2756, 841.8898)}
BLEED_PT = {"letter": 9.0, "a4": 3 * 72 / 25.4}
Length = Annotated[str, Field(pattern=r"^-?\d+(\.\d+)?(in|mm|pt|%)$")]
PerPaper = Length | dict[Literal["letter", "a4"], Length]
Slug = Annotated[str, Field(pattern=r"^[a-z][a-z0-9-]*$")]


def builtin_dir() -> Path:
    """The built-in layouts: inside the installed package, or the repository's `layouts/`."""
    packaged = Path(__file__).parent / "layouts"
    return packaged if packaged.is_dir() else Path(__file__).resolve().parents[2] / "layouts"


class _Manifest(BaseModel):
    """Base for manifest models: unknown keys are mistakes."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class RegionSpec(_Manifest):
    """A panel or area of a page, with the blocks it shows."""

    id: Slug
    label: str
    page: int = Field(ge=1)
    left: PerPaper = "0in"
    width: PerPaper | None = None
    right: PerPaper | None = None
    top: PerPaper | None = None
    height: PerPaper | None = None
    bottom: PerPaper = "0in"
    padding: Length = "0.3in"
    style: Slug = "plain"
    condensed: bool = False
    show: list[Slug] = []
    columns: list[list[Slug]] = []
    after: list[Slug] = []

    def blocks(self) -> list[str]:
        """Every block this region shows, in order."""
        return [*self.show, *(b for col in self.columns for b in col), *self.after]


class Manifest(_Manifest):
    """A layout's contract and structure, as declared in `layout.yaml`."""

    title: str
    description: str
    orientation: Literal["portrait", "landscape"]
    papers: list[Literal["letter", "a4"]] = Field(min_length=1)
    pages: int = Field(ge=1)
    folded: bool = False
    safe: Length = "0.25in"
    body_pt: float = Field(ge=6, le=24)
    floor_pt: float = Field(ge=6, le=24)
    font: str = "Atkinson Hyperlegible"  # the family the layout's CSS asks for; the PDF must embed it
    required_sections: list[Slug]
    regions: list[RegionSpec] = Field(min_length=1)
    base_css: list[str] = ["common.css"]
    template: str | None = None
    stylesheet: str | None = None


def to_pt(value: str, whole: float) -> float:
    """Convert a manifest length (`3.625in`, `97mm`, `50%`) to points."""
    number, unit = re.fullmatch(r"(-?\d+(?:\.\d+)?)(in|mm|pt|%)", value).groups()  # type: ignore[union-attr]
    return float(number) * whole / 100 if unit == "%" else float(number) * PT_PER[unit]


def _pick(value: str | dict[str, str], paper: str) -> str:
    """Choose the per-paper value of a length."""
    return value if isinstance(value, str) else value[paper]


def _horizontal(spec: RegionSpec, paper: str, page_w: float) -> tuple[float, float]:
    """Left edge and width of a region: `width` if given, else up to `right` from the right edge."""
    left = to_pt(_pick(spec.left, paper), page_w)
    if spec.width is not None:
        return left, to_pt(_pick(spec.width, paper), page_w)
    right = to_pt(_pick(spec.right, paper), page_w) if spec.right is not None else 0.0
    return left, page_w - left - right


def _vertical(spec: RegionSpec, paper: str, page_h: float) -> tuple[float, float]:
    """Top and height of a region: from `top` down, or `height` up from `bottom`."""
    bottom = page_h - to_pt(_pick(spec.bottom, paper), page_h)
    if spec.height is None:
        top = to_pt(_pick(spec.top, paper), page_h) if spec.top is not None else 0.0
        return top, bottom - top
    h = to_pt(_pick(spec.height, paper), page_h)
    top = to_pt(_pick(spec.top, paper), page_h) if spec.top is not None else bottom - h
    return top, h


@dataclass(frozen=True)
class Box:
    """A rectangle in points from the page's top-left trim corner."""

    x: float
    y: float
    w: float
    h: float

    @property
    def right(self) -> float:
        """The right edge."""
        return self.x + self.w

    @property
    def bottom(self) -> float:
        """The bottom edge."""
        return self.y + self.h

    def inset(self, by: float) -> Box:
        """The box shrunk by `by` on every side."""
        return Box(self.x + by, self.y + by, self.w - 2 * by, self.h - 2 * by)


@dataclass(frozen=True)
class Region:
    """A region placed on a paper: its trim box and its safe (text) box."""

    spec: RegionSpec
    box: Box
    safe: Box
    page: int


@dataclass
class Layout:
    """A layout folder with its validated manifest."""

    name: str
    folder: Path
    manifest: Manifest

    @property
    def template_name(self) -> str:
        """The layout's Jinja template file name."""
        return self.manifest.template or f"{self.name}.html.j2"

    @property
    def stylesheet(self) -> Path:
        """The layout's own CSS file."""
        return self.folder / (self.manifest.stylesheet or f"{self.name}.css")

    def page_size(self, paper: str) -> tuple[float, float]:
        """Trim width and height in points for a paper, orientation applied."""
        w, h = PAPERS_PT[paper]
        return (h, w) if self.manifest.orientation == "landscape" else (w, h)

    def regions(self, paper: str) -> list[Region]:
        """Every region placed on the given paper."""
        width, height = self.page_size(paper)
        placed = []
        for spec in self.manifest.regions:
            x, w = _horizontal(spec, paper, width)
            y, h = _vertical(spec, paper, height)
            box = Box(x, y, w, h)
            padding = to_pt(spec.padding, width)
            placed.append(Region(spec, box, box.inset(padding), spec.page))
        return placed

    def folds(self, paper: str) -> dict[int, list[float]]:
        """Fold lines per page: the inner edges between a folded layout's panels."""
        if not self.manifest.folded:
            return {}
        width, _ = self.page_size(paper)
        found: dict[int, list[float]] = {}
        for region in self.regions(paper):
            if 0.5 < region.box.x < width - 0.5:
                found.setdefault(region.page, []).append(region.box.x)
        return {page: sorted(xs) for page, xs in found.items()}

    def bleed_pt(self, paper: str) -> float:
        """The bleed a print shop wants on this paper."""
        return BLEED_PT[paper]


def _layout_dirs(project: Path) -> list[Path]:
    """Where layouts are looked for: the project's own `layouts/` first, then the built-ins."""
    own = project / "layouts"
    builtin = builtin_dir()
    return [own, builtin] if own.is_dir() and own.resolve() != builtin.resolve() else [builtin]


def available(project: Path) -> dict[str, Path]:
    """Map each layout name to its folder, the project's own shadowing the built-in ones."""
    found: dict[str, Path] = {}
    for root in reversed(_layout_dirs(project)):
        for manifest in sorted(root.glob("*/layout.yaml")):
            if not manifest.parent.name.startswith("_"):
                found[manifest.parent.name] = manifest.parent
    return dict(sorted(found.items()))


LENGTH_KEYS = {"left", "width", "right", "top", "height", "bottom", "padding", "safe"}
_EXPECTED = {"int_parsing": "a whole number", "float_parsing": "a number", "bool_parsing": "true or false",
             "list_type": "a list (lines starting with '- ')", "dict_type": "a group of keys",
             "model_type": "a group of keys", "string_type": "text"}


def _manifest_error(err: dict[str, Any], loaded: Loaded, folder: str) -> LayoutError:
    """Turn one pydantic error in a layout.yaml into a located message in plain words."""
    loc = tuple(err["loc"])
    if err["type"] == "missing":
        parent = loc[:-1]
        return LayoutError(f"{dotted(loc)}: missing required key '{loc[-1]}'",
                           hint=f"add '{loc[-1]}:'" + (f" under {dotted(parent)}" if parent else ""),
                           where=f"{folder}/{loaded.where(parent)}")
    while loc and loc not in loaded.marks:  # drop pydantic's union tags, such as 'str' or 'dict[...]'
        loc = loc[:-1]
    where = f"{folder}/{loaded.where(loc)}"
    if err["type"] == "extra_forbidden":
        return LayoutError(f"{dotted(loc)}: unknown key '{loc[-1]}'", hint=unknown_key_hint(Manifest, loc),
                           where=where)
    got = err.get("input")
    if isinstance(got, str) and err["type"] == "string_pattern_mismatch":
        length = any(part in LENGTH_KEYS for part in loc[-2:])
        return LayoutError(f"{dotted(loc)}: {got!r} is not {'a length' if length else 'a valid name'}",
                           hint="write a length such as 0.25in, 6mm, 12pt or 50%" if length else
                           "names use lower-case letters, digits and dashes, such as inside-flap",
                           where=where)
    expected = _EXPECTED.get(err["type"])
    problem = f"expected {expected}" if expected else str(err["msg"])[0].lower() + str(err["msg"])[1:]
    return LayoutError(f"{dotted(loc)}: {problem}, got {got!r}" if isinstance(got, str) else
                       f"{dotted(loc)}: {problem}", where=where)


def load_layout(name: str, project: Path) -> Layout:
    """Load and validate one layout by name."""
    folders = available(project)
    if name not in folders:
        raise LayoutError(f"unknown layout '{name}'", hint=f"choose one of: {', '.join(folders)}")
    folder = folders[name]
    try:
        loaded = load_yaml(folder / "layout.yaml", example="the layout.yaml of a built-in layout",
                           inline_comments=True)
    except OthandoutError as err:
        where = f"{folder.name}/{err.where}" if err.where else None
        raise LayoutError(err.message, hint=err.hint, where=where) from None
    try:
        manifest = Manifest.model_validate(loaded.data)
    except ValidationError as exc:
        errors = exc.errors()  # an unknown key first: a misspelt key also makes the real one missing
        first = next((e for e in errors if e["type"] == "extra_forbidden"), errors[0])
        raise _manifest_error(first, loaded, folder.name) from None
    layout = Layout(name, folder, manifest)
    _check_manifest(layout)
    return layout


def _check_manifest(layout: Layout) -> None:
    """Catch manifest mistakes that types alone cannot: pages, papers and the template file."""
    m = layout.manifest
    for region in m.regions:
        if region.page > m.pages:
            raise LayoutError(f"{layout.name}: region '{region.id}' is on page {region.page} of {m.pages}")
        for key in ("left", "width", "right", "top", "height", "bottom"):
            value = getattr(region, key)
            missing = [p for p in m.papers if isinstance(value, dict) and p not in value]
            if missing:
                raise LayoutError(f"{layout.name}: region '{region.id}' {key} has no value for {missing[0]}")
    if not (layout.folder / layout.template_name).is_file():
        raise LayoutError(f"{layout.name}: template {layout.template_name} is missing from {layout.folder}")


def base_dir() -> Path:
    """The shared base: templates, block macros and common CSS."""
    return builtin_dir() / "_base"


@dataclass
class PaperSpec:
    """The paper options of one build."""

    paper: str = "letter"
    bleed: bool = False
    fold_marks: bool = False

    @cached_property
    def suffix(self) -> str:
        """The file name suffix: `-a4` and/or `-print`."""
        return ("-a4" if self.paper == "a4" else "") + ("-print" if self.bleed else "")
