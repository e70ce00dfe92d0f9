"""Layouts: find `layouts/<name>/layout.yaml`, validate the manifest, and place its regions on a paper."""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, ValidationInfo, field_validator

from othandout.errors import LayoutError, OthandoutError
from othandout.pipeline import blocks, papers
from othandout.pipeline.files import FileRefused, Roots, resolve
from othandout.pipeline.load import Loaded, dotted, load_yaml
from othandout.pipeline.validation import Wording, located

Length = Annotated[str, Field(pattern=r"^-?\d+(\.\d+)?(in|mm|pt|%)$")]
PerPaper = Length | dict[str, Length]
Slug = Annotated[str, Field(pattern=r"^[a-z][a-z0-9-]*$", max_length=40)]
MAX_PAGES, MAX_REGIONS, MAX_BLOCKS = 8, 30, 40
LENGTH_KEYS = {"left", "width", "right", "top", "height", "bottom", "padding", "safe"}


def builtin_dir() -> Path:
    """The built-in layouts: inside the installed package, or the repository's `layouts/`."""
    packaged = Path(__file__).resolve().parents[1] / "layouts"
    return packaged if packaged.is_dir() else Path(__file__).resolve().parents[3] / "layouts"


def base_dir() -> Path:
    """The shared base: page skeleton, block templates and common CSS."""
    return builtin_dir() / "_base"


class _Manifest(BaseModel):
    """Base for manifest models: unknown keys are mistakes."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class Pin(_Manifest):
    """`{section: id}` in a region's blocks: show that section here when the content has it."""

    section: Slug


BlockName = Slug | Pin


class RegionSpec(_Manifest):
    """A panel or area of a page, with the blocks it shows."""

    id: Slug
    label: str
    page: int = Field(ge=1, le=MAX_PAGES)
    left: PerPaper = "0in"
    width: PerPaper | None = None
    right: PerPaper | None = None
    top: PerPaper | None = None
    height: PerPaper | None = None
    bottom: PerPaper = "0in"
    padding: Length = "0.3in"
    style: Slug = "plain"
    condensed: bool = False
    show: list[BlockName] = Field(default=[], max_length=MAX_BLOCKS)
    columns: list[list[BlockName]] = Field(default=[], max_length=4)
    after: list[BlockName] = Field(default=[], max_length=MAX_BLOCKS)

    def lists(self) -> list[list[BlockName]]:
        """Its block lists in reading order: show, each column, after."""
        return [self.show, *self.columns, self.after]

    def blocks(self) -> list[str]:
        """Every block name this region shows, in order (a pin counts as 'section')."""
        return [b if isinstance(b, str) else blocks.SECTION for names in self.lists() for b in names]

    def pins(self) -> list[str]:
        """The section ids pinned here."""
        return [b.section for names in self.lists() for b in names if isinstance(b, Pin)]


class Manifest(_Manifest):
    """A layout's contract and structure, as declared in `layout.yaml`."""

    title: str
    description: str
    audience: Literal["parents", "staff", "everyone"] = "everyone"
    reading_grade: float = Field(default=8.0, ge=1, le=18)
    orientation: Literal["portrait", "landscape"]
    papers: list[str] = Field(min_length=1, max_length=12)
    pages: int = Field(ge=1, le=MAX_PAGES)
    folded: bool = False
    safe: Length = "0.25in"
    body_pt: float = Field(ge=9, le=72)
    floor_pt: float = Field(ge=9, le=72)
    largest_pt: float | None = Field(default=None, ge=9, le=72)  # the flowing text may grow to this with room
    font: str = "Atkinson Hyperlegible"  # the family the layout's CSS asks for; the PDF must embed it
    reading_order: list[Slug] = []
    regions: list[RegionSpec] = Field(min_length=1, max_length=MAX_REGIONS)
    base_css: list[str] = ["common.css"]
    template: str | None = None
    stylesheet: str | None = None

    @field_validator("papers")
    @classmethod
    def _papers(cls, value: list[str]) -> list[str]:
        """Every paper is a shipped name or a custom size such as 5x7in."""
        for name in value:
            if not papers.is_paper(name):
                raise ValueError(f"'{name}' is not a paper size; use one of {papers.choices()}, "
                                 "or a custom size such as 5x7in or 148x105mm")
        return [name.lower() for name in value]

    @field_validator("floor_pt")
    @classmethod
    def _floor(cls, value: float, info: ValidationInfo) -> float:
        """The shrink floor cannot be above the body size."""
        body = info.data.get("body_pt")
        if body is not None and value > body:
            raise ValueError(f"{value:g} is above body_pt ({body:g}); the floor is the smallest size "
                             "--fit shrink may use")
        return value

    @field_validator("largest_pt")
    @classmethod
    def _largest(cls, value: float | None, info: ValidationInfo) -> float | None:
        """Growing text is set at least at the body size."""
        body = info.data.get("body_pt")
        if value is not None and body is not None and value < body:
            raise ValueError(f"{value:g} is below body_pt ({body:g}); largest_pt is the largest size the flowing "
                             "text may grow to when the page has room")
        return value


WORDING = Wording(
    model=Manifest, error=LayoutError,
    patterns={key: ("a length", "write a length such as 0.25in, 6mm, 12pt or 50%") for key in LENGTH_KEYS},
    default_pattern=("a valid name", "names use lower-case letters, digits and dashes, such as inside-flap"),
)


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

    def holds(self, x: float, y: float) -> bool:
        """True when a point lies inside the box."""
        return self.x <= x <= self.right and self.y <= y <= self.bottom


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
    builtin: bool = True

    @property
    def template_name(self) -> str:
        """The layout's Jinja template file name."""
        return self.manifest.template or f"{self.name}.html.j2"

    @property
    def stylesheet(self) -> str:
        """The layout's own CSS file name."""
        return self.manifest.stylesheet or f"{self.name}.css"

    def page_size(self, paper: str) -> tuple[float, float]:
        """Trim width and height in points for a paper, orientation applied."""
        found = papers.paper(paper)
        return (found.height, found.width) if self.manifest.orientation == "landscape" else (found.width, found.height)

    def regions(self, paper: str) -> list[Region]:
        """Every region placed on the given paper, in reading order."""
        width, height = self.page_size(paper)
        placed = {}
        for spec in self.manifest.regions:
            x, w = _horizontal(spec, paper, width)
            y, h = _vertical(spec, paper, height)
            box = Box(x, y, w, h)
            placed[spec.id] = Region(spec, box, box.inset(papers.to_pt(spec.padding, width)), spec.page)
        order = self.manifest.reading_order or list(placed)
        return [placed[rid] for rid in order]

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
        return papers.paper(paper).bleed

    def safe_pt(self, paper: str) -> float:
        """The manifest's safe distance from every trim edge and fold."""
        return papers.to_pt(self.manifest.safe, self.page_size(paper)[0])


def _pick(value: str | dict[str, str], paper: str) -> str:
    """Choose the per-paper value of a length."""
    return value if isinstance(value, str) else value[paper]


def _horizontal(spec: RegionSpec, paper: str, page_w: float) -> tuple[float, float]:
    """Left edge and width of a region: `width` if given, else up to `right` from the right edge."""
    left = papers.to_pt(_pick(spec.left, paper), page_w)
    if spec.width is not None:
        return left, papers.to_pt(_pick(spec.width, paper), page_w)
    right = papers.to_pt(_pick(spec.right, paper), page_w) if spec.right is not None else 0.0
    return left, page_w - left - right


def _vertical(spec: RegionSpec, paper: str, page_h: float) -> tuple[float, float]:
    """Top and height of a region: from `top` down, or `height` up from `bottom`."""
    bottom = page_h - papers.to_pt(_pick(spec.bottom, paper), page_h)
    if spec.height is None:
        top = papers.to_pt(_pick(spec.top, paper), page_h) if spec.top is not None else 0.0
        return top, bottom - top
    h = papers.to_pt(_pick(spec.height, paper), page_h)
    top = papers.to_pt(_pick(spec.top, paper), page_h) if spec.top is not None else bottom - h
    return top, h


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


def is_builtin(folder: Path) -> bool:
    """True for a layout shipped with othandout."""
    return folder.resolve().parent == builtin_dir().resolve()


def load_layout(name: str, project: Path) -> Layout:
    """Load and validate one layout by name (once per process while its folder's files are unchanged)."""
    folders = available(project)
    if name not in folders:
        raise LayoutError(f"unknown layout '{name}'", hint=f"choose one of: {', '.join(folders)}")
    folder = folders[name]
    return _load(name, folder, _stamp(folder))


def _stamp(folder: Path) -> tuple:
    """The names, sizes and times of a layout folder's files, to know when a loaded layout is stale."""
    try:
        return tuple(sorted((p.name, p.stat().st_size, p.stat().st_mtime_ns) for p in folder.iterdir()))
    except OSError:
        return ()


@lru_cache(maxsize=64)
def _load(name: str, folder: Path, stamp: tuple) -> Layout:
    """Read and check one layout folder's manifest."""
    try:
        loaded = load_yaml(folder / "layout.yaml", example="the layout.yaml of a built-in layout",
                           inline_comments=True, roots=Roots.of(folder))
    except OthandoutError as err:
        where = f"{folder.name}/{err.where}" if err.where else None
        raise LayoutError(err.message, hint=err.hint, where=where) from None
    try:
        manifest = Manifest.model_validate(loaded.data)
    except ValidationError as exc:
        raise located(exc, loaded, Wording(**{**WORDING.__dict__, "prefix": f"{folder.name}/"})) from None
    layout = Layout(name, folder, manifest, is_builtin(folder))
    _check_manifest(layout, loaded)
    return layout


def _check_manifest(layout: Layout, loaded: Loaded) -> None:
    """Catch manifest mistakes that types alone cannot: pages, papers, blocks, reading order and sizes."""
    m = layout.manifest
    where = lambda key: f"{layout.folder.name}/{loaded.where(key)}"  # noqa: E731 - a one-line locator
    ids = [r.id for r in m.regions]
    unset = []
    for index, region in enumerate(m.regions):
        if region.page > m.pages:
            raise LayoutError(f"regions[{index}].page: region '{region.id}' is on page {region.page} of {m.pages}",
                              where=where(("regions", index, "page")), hint=f"use a page from 1 to {m.pages}")
        _check_blocks(region, index, where)
        for key in ("left", "width", "right", "top", "height", "bottom"):
            value = getattr(region, key)
            missing = [p for p in m.papers if isinstance(value, dict) and p not in value]
            if missing:
                each = ", ".join(f"{p}: 0.5in" for p in m.papers)
                unset.append(LayoutError(f"regions[{index}].{key}: region '{region.id}' has no {key} for "
                                         f"{' or '.join(missing)}", where=where(("regions", index, key)),
                                         hint=f"give one value for every paper (such as 0.5in), or one for each "
                                              f"of {', '.join(m.papers)}: {{{each}}}"))
    if unset:
        raise LayoutError(unset[0].message, hint=unset[0].hint, where=unset[0].where, more=unset[1:])
    _check_files(layout, where)
    if m.reading_order and sorted(m.reading_order) != sorted(ids):
        raise LayoutError("reading_order: must name every region once", where=where(("reading_order",)),
                          hint=f"the regions are: {', '.join(ids)}")
    for paper in m.papers:
        for region in layout.regions(paper):
            index = ids.index(region.spec.id)
            _check_placed(layout, region, paper, lambda key, i=index: where(("regions", i, key)))


def _check_blocks(region: RegionSpec, index: int, where: Any) -> None:
    """Every block name is known (did you mean?), and `flow` appears at most once per list."""
    for key, names in (("show", region.show), *((("columns", c), col) for c, col in enumerate(region.columns)),
                       ("after", region.after)):
        path = ("regions", index, *(key if isinstance(key, tuple) else (key,)))
        strings = [n for n in names if isinstance(n, str)]
        for position, name in enumerate(names):
            if isinstance(name, str) and not blocks.known(name):
                close = difflib.get_close_matches(name, [*blocks.REGISTRY, blocks.FLOW], n=1)
                hint = f"did you mean '{close[0]}'?" if close else f"blocks: {', '.join([*blocks.REGISTRY, blocks.FLOW])}"
                raise LayoutError(f"{dotted((*path, position))}: unknown block '{name}'", where=where((*path, position)),
                                  hint=hint + " (pin a section with {section: its-id})")
        if strings.count(blocks.FLOW) > 1:
            raise LayoutError(f"{dotted(path)}: 'flow' appears twice", where=where(path),
                              hint="a list shows the flowing sections once")


def _check_files(layout: Layout, where: Any) -> None:
    """The template and stylesheets a manifest names are plain file names of files in the layout's folder or base."""
    m = layout.manifest
    named = [(("template",), layout.template_name, layout.folder), (("stylesheet",), layout.stylesheet, layout.folder),
             *((("base_css", n), name, base_dir()) for n, name in enumerate(m.base_css))]
    for key, name, folder in named:
        path = Path(name)
        if path.is_absolute() or len(path.parts) != 1 or name in (".", ".."):
            raise LayoutError(f"{dotted(key)}: '{name}' must be a file name in {'the shared base' if folder != layout.folder else 'the layout folder'}, "
                              "not a path", where=where(key) if key[0] in m.model_fields_set else None,
                              hint="copy the file into the layout's folder and give its name")
        try:
            resolve(folder / name, Roots.of(folder), f"{folder.name}/{name}")
        except FileRefused as err:
            if key[0] not in m.model_fields_set:  # the default file name, which nothing in the manifest names
                gone = not (folder / name).exists() and not (folder / name).is_symlink()
                raise LayoutError(f"{layout.name}: {key[0]} {name} is missing from {folder}" if gone else
                                  f"{layout.name}: {key[0]} {err.message}",
                                  hint=f"add {name} to the layout's folder, or name another file in layout.yaml "
                                       f"({key[0]}: ...)" if gone else err.hint) from None
            raise LayoutError(f"{dotted(key)}: {err.message}", hint=err.hint or "check the file name",
                              where=where(key)) from None


def _check_placed(layout: Layout, region: Region, paper: str, where: Any) -> None:
    """A region lies on its page, with room for text inside its padding; a problem names the key to change."""
    width, height = layout.page_size(paper)
    box, safe, spec = region.box, region.safe, region.spec
    culprit = ("left" if box.x < -0.5 else ("width" if spec.width is not None else "right") if box.right > width + 0.5
               else "top" if box.y < -0.5 else ("height" if spec.height is not None else "bottom")
               if box.bottom > height + 0.5 else None)
    if culprit:
        raise LayoutError(f"regions: '{spec.id}' runs off the {paper} page "
                          f"({box.x / 72:.2f}, {box.y / 72:.2f} to {box.right / 72:.2f}, {box.bottom / 72:.2f} in; "
                          f"the page is {width / 72:.2f} × {height / 72:.2f} in)", where=where(culprit),
                          hint=f"change its {culprit}")
    if safe.w < 36 or safe.h < 36:
        raise LayoutError(f"regions: '{spec.id}' leaves less than 0.5 in for text on {paper} paper",
                          where=where("padding"), hint="make it larger or its padding smaller")
    margin = layout.safe_pt(paper)
    edges = [safe.x, safe.y, width - safe.right, height - safe.bottom]
    edges += [abs(x - edge) for x in layout.folds(paper).get(region.page, []) for edge in (safe.x, safe.right)]
    if min(edges) < margin - 0.5:
        raise LayoutError(f"regions: '{region.spec.id}' lets text come {min(edges) / 72:.2f} in from a trim edge or "
                          f"fold on {paper} paper; this layout's safe zone is {margin / 72:.2f} in", where=where("padding"),
                          hint="give the region more padding, or move it in from the edge")
