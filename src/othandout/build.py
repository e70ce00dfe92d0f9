"""The pipeline: load -> validate -> render (and fit) -> check -> write."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from othandout.check import contract_problems, glyph_problems, overflows
from othandout.content import Content, load_content
from othandout.errors import ContractError, LayoutError, OthandoutError
from othandout.layouts import Layout, PaperSpec, available, load_layout
from othandout.pdf import fallback_fonts, missing_font
from othandout.render import FONT_FAMILY, Rendered, render
from othandout.write import write_atomic

FIT_STEP_PT = 0.25
Fit = Literal["error", "shrink"]


@dataclass
class BuildOptions:
    """What one `othandout build` was asked to do."""

    content: Path = Path("content.yaml")
    out: Path = Path("output")
    layouts: list[str] = field(default_factory=list)
    paper: PaperSpec = field(default_factory=PaperSpec)
    fit: Fit = "error"
    strict: bool = False
    write: bool = True


@dataclass
class Built:
    """One PDF that passed its contract."""

    layout: str
    path: Path
    pages: int
    paper: str
    size_bytes: int
    body_pt: float
    shrunk: bool
    warnings: list[str]


def _shrink_sizes(layout: Layout) -> list[float]:
    """Body sizes to try below the default, largest first, down to the floor."""
    top, floor = layout.manifest.body_pt, layout.manifest.floor_pt
    sizes = []
    size = top - FIT_STEP_PT
    while size > floor + 1e-6:
        sizes.append(round(size, 2))
        size -= FIT_STEP_PT
    return [*sizes, floor] if floor < top else []


def render_fitted(content: Content, layout: Layout, spec: PaperSpec, project: Path, fit: Fit) -> Rendered:
    """Render at the layout's size; with `shrink`, binary-search the largest size that fits."""
    first = render(content, layout, spec, project, layout.manifest.body_pt)
    sizes = _shrink_sizes(layout)
    if fit == "error" or not overflows(first) or not sizes:
        return first
    smallest = render(content, layout, spec, project, sizes[-1])
    if overflows(smallest):
        return smallest
    best, low, high = smallest, 0, len(sizes) - 2
    while low <= high:
        middle = (low + high) // 2
        attempt = render(content, layout, spec, project, sizes[middle])
        if overflows(attempt):
            low = middle + 1
        else:
            best, high = attempt, middle - 1
    return best


def _layouts(options: BuildOptions, project: Path) -> list[Layout]:
    """Load every layout asked for (all of them by default) before rendering any."""
    names = options.layouts or list(available(project))
    layouts = [load_layout(name, project) for name in names]
    for layout in layouts:
        if options.paper.paper not in layout.manifest.papers:
            raise OthandoutError(f"{layout.name}: does not support {options.paper.paper} paper",
                                 hint=f"papers for this layout: {', '.join(layout.manifest.papers)}")
    return layouts


def build_one(content: Content, layout: Layout, options: BuildOptions, project: Path) -> Built:
    """Render, check and write one layout, or raise ContractError without touching the old PDF."""
    rendered = render_fitted(content, layout, options.paper, project, options.fit)
    data = rendered.pdf()
    if problem := missing_font(data, layout.manifest.font):
        raise ContractError(f"{layout.name}: {problem}",
                            hint="make the font-family in the layout's CSS match `font:` in its layout.yaml")
    measured = None
    if any(o.excess_pt == float("inf") for o in overflows(rendered)):
        measured = render(content, layout, options.paper, project, rendered.body_pt, tall=True)
    problems = [f"{layout.name}: {error}" for error in rendered.errors] + contract_problems(rendered, measured)
    if problems:
        raise ContractError("\n".join(problems))
    # Characters the bundled font lacks were reported once, with their key, by content_warnings: drop the
    # renderer's repeats. A layout with its own font keeps them, since that report was about another font.
    reported = layout.manifest.font == FONT_FAMILY and bool(glyph_problems(content))
    warnings = [w for w in rendered.warnings if not (reported and w.startswith(".notdef glyph"))]
    if not reported:
        warnings += fallback_fonts(data, layout.manifest.font)
    if options.strict and warnings:
        raise ContractError("\n".join(f"{layout.name}: {w}" for w in warnings),
                            hint="--strict turns renderer warnings into errors; drop it to build anyway")
    target = options.out / f"{layout.name}{options.paper.suffix}.pdf"
    if options.write:
        write_atomic(data, target)
    return Built(layout.name, target, len(rendered.document.pages), options.paper.paper, len(data),
                 rendered.body_pt, rendered.body_pt < layout.manifest.body_pt, warnings)


def content_warnings(content: Content, project: Path) -> list[str]:
    """Soft problems in the content: SEO notes, contrast, characters the font lacks, sections no layout prints."""
    try:
        shown: set[str] | None = {block for name in available(project)
                                  for region in load_layout(name, project).manifest.regions for block in region.blocks()}
    except OthandoutError:
        shown = None  # a broken layout that was not asked for must not stop the build, nor be guessed at
    unshown = [content.located(("sections", n), f"section '{s.id}' is printed nowhere: no layout shows it "
                                                  "(a layout's layout.yaml lists the sections it shows)")
               for n, s in enumerate(content.sections) if shown is not None and s.id not in shown]
    return [*content.warnings(), *glyph_problems(content), *unshown]


def _quiet(_: object) -> None:
    """The default reporter: say nothing."""


def build(options: BuildOptions, report: Callable[[Built], None] = _quiet,
          warn: Callable[[str], None] = _quiet) -> list[Built]:
    """Build every requested layout; all failures are gathered into one ContractError at the end."""
    # Load and validate the content, and every layout, before any rendering.
    content = load_content(options.content)
    project = options.content.parent
    layouts = _layouts(options, project)
    soft = content_warnings(content, project)
    if soft and options.strict:
        raise OthandoutError("\n".join(soft), hint="--strict turns content warnings into errors")
    for message in soft:
        warn(message)
    # Render, check and write each layout; a failing one leaves its earlier PDF untouched.
    built, failures = [], []
    for layout in layouts:
        try:
            result = build_one(content, layout, options, project)
        except (ContractError, LayoutError) as err:  # this layout fails; the others are still built
            failures.append(err.render())
            continue
        built.append(result)
        report(result)
    if failures:
        raise ContractError("\n".join(failures))
    return built
