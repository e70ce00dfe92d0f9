"""The pipeline: load -> validate -> lay out (and fit) -> check -> finish -> write, once per layout."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from othandout.errors import ContentError, ContractError, LayoutError, OthandoutError
from othandout.pipeline import check, flow, fonts
from othandout.pipeline.blocks import title_key
from othandout.pipeline.content import Content, load_content
from othandout.pipeline.engine import Engine
from othandout.pipeline.finish import Finish, Place, finish
from othandout.pipeline.fit import Fit, Laid, lay_out, sized, tall_overflows
from othandout.pipeline.html import Assets, Level, html_lang
from othandout.pipeline.layouts import Layout, available, load_layout
from othandout.pipeline.papers import PaperSpec
from othandout.pipeline.write import write_atomic

_ENGINE: Engine | None = None


def engine() -> Engine:
    """The process's one warm renderer."""
    global _ENGINE
    if _ENGINE is None:
        _ENGINE = Engine()
    return _ENGINE


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
    body_pt: float             # the layout's designed body size
    shrunk: dict[str, Level]  # the regions --fit shrink set tighter or smaller, by label
    warnings: list[str]
    data: bytes = field(repr=False, default=b"")


def _quiet(_: object) -> None:
    """The default reporter: say nothing."""


def build(options: BuildOptions, report: Callable[[Built], None] = _quiet,
          warn: Callable[[str], None] = _quiet) -> list[Built]:
    """Build every requested layout; each failing layout is gathered into one ContractError at the end."""
    # Load and validate the content, and check what every layout shares (characters, logo), before any rendering.
    content = load_content(options.content)
    project = options.content.parent
    layouts, failures = _layouts(options, project)
    if any(fonts.bundled(layout.manifest.font) for layout in layouts):
        glyphs(content)
    assets = Assets.of(content, project)
    soft = content_warnings(content, project)
    if soft and options.strict:
        raise OthandoutError("\n".join(soft), hint="--strict turns content warnings into errors")
    for message in soft:
        warn(message)
    # Lay out, check, finish and write each layout; a failing one leaves its earlier PDF untouched.
    built = []
    for layout in layouts:
        try:
            result = build_one(content, layout, assets, options)
        except (ContractError, LayoutError) as err:
            failures.append(err.render())
            continue
        built.append(result)
        report(result)
    if failures:
        raise ContractError("\n".join(failures))
    return built


def _layouts(options: BuildOptions, project: Path) -> tuple[list[Layout], list[str]]:
    """Load every layout asked for (all by default); a broken one is a failure of its own, not of the build."""
    layouts, failures = [], []
    for name in options.layouts or list(available(project)):
        try:
            layout = load_layout(name, project)
        except LayoutError as err:
            failures.append(err.render())
            continue
        if options.paper.paper and options.paper.paper not in layout.manifest.papers:
            if options.layouts:  # asked for by name: say why it cannot be built
                failures.append(OthandoutError(f"{layout.name}: does not support {options.paper.paper} paper",
                                               hint=f"papers for this layout: {', '.join(layout.manifest.papers)}"
                                               ).render())
            continue  # building every layout on one paper: those made for other papers are left out
        layouts.append(layout)
    if options.paper.fold_marks:
        for layout in [l for l in layouts if not layout.manifest.folded]:
            failures.append(f"{layout.name}: has no folds, so --fold-marks has nothing to mark")
            layouts.remove(layout)
    return layouts, failures


def build_one(content: Content, layout: Layout, assets: Assets, options: BuildOptions) -> Built:
    """Lay out, check, finish and write one layout, or raise ContractError without touching the old PDF."""
    if flow.slots(layout) and not flow.flowing(content, layout) and not flow.printed(content, layout):
        raise ContractError(f"{layout.name}: prints sections for {layout.manifest.audience}, and {content.file_name} "
                            "has none", hint="add a section, or give one `audience: everyone`")
    spec = options.paper.on(layout.manifest.papers)
    laid = lay_out(content, layout, spec, assets, options.fit, engine())
    problems = contract_problems(content, layout, spec, laid)
    if problems:
        raise ContractError("\n".join(problems))
    data = finish(laid.rendering.pdf(), finishing(content, layout, spec, laid))
    if laid.measurements.errors:  # what the renderer refused or failed while writing the PDF (attachments, images)
        raise ContractError("\n".join(f"{layout.name}: {error}" for error in laid.measurements.errors))
    if problem := check.font_problem(data, layout.manifest.font):
        raise ContractError(f"{layout.name}: {problem}",
                            hint="make the font-family in the layout's CSS match `font:` in its layout.yaml")
    if laid.measurements.missing_glyphs:  # a layout with its own font: the renderer says what it could not draw
        raise ContractError("\n".join(f"{layout.name}: '{text}' cannot be printed by the layout's font "
                                      f"'{layout.manifest.font}' or any bundled font" for text in laid.measurements.missing_glyphs),
                            hint="remove the character, or give the layout a font that has it")
    warnings = laid.measurements.warnings
    if options.strict and warnings:
        raise ContractError("\n".join(f"{layout.name}: {w}" for w in warnings),
                            hint="--strict turns renderer warnings into errors; drop it to build anyway")
    target = options.out / f"{layout.name}{spec.suffix(layout.manifest.papers[0])}.pdf"
    if options.write:
        write_atomic(data, target)
    shrunk = {r.spec.label: laid.levels[r.spec.id] for r in layout.regions(spec.paper)
              if laid.levels[r.spec.id] != Level(layout.manifest.body_pt)}
    return Built(layout.name, target, len(laid.measurements.pages), spec.paper, len(data),
                 layout.manifest.body_pt, shrunk, warnings, data)


def contract_problems(content: Content, layout: Layout, spec: PaperSpec, laid: Laid) -> list[str]:
    """Everything about the laid-out document that breaks the layout's contract, in plain words."""
    m, src = laid.measurements, laid.source
    problems = [f"{layout.name}: {error}" for error in m.errors] + check.page_problems(layout, spec, src, m)
    overflows = sized(laid, content)
    if any(o.excess == float("inf") for o in overflows):
        tall = tall_overflows(content, layout, spec, laid, engine())
        overflows = [next((t for t in tall if t.region == o.region), o) for o in overflows]
    floor = layout.manifest.floor_pt
    problems += [check.overflow_message(content, layout, spec, src, o, laid.levels[o.region.spec.id].size,
                                        laid.levels[o.region.spec.id].size <= floor and floor < layout.manifest.body_pt)
                 for o in overflows]
    lost = {o.region.spec.id for o in overflows}
    if missing := check.missing_parts(content, layout, src, m, lost):
        problems.append(missing)
    return problems + check.edge_problems(content, layout, spec, src, m) + check.reading_problems(layout, m)


def finishing(content: Content, layout: Layout, spec: PaperSpec, laid: Laid) -> Finish:
    """What the finish stage writes into this layout's PDF."""
    regions = layout.regions(spec.paper)
    title = content.text_at(title_key(content, layout.manifest.audience))
    links = _link_descriptions(content)
    levels = {content.title: 1, **({content.teacher_title: 1} if content.teacher_title else {}),
              **{entry.question: 3 for entry in content.faq}}
    return Finish(title=title, subject=content.seo.meta_description if content.seo else (content.summary or title),
                  keywords=content.seo.focus_phrase if content.seo else "", author=content.organization.name,
                  lang=html_lang(content.lang), places=[Place(r.page, r.box) for r in regions],
                  trim=layout.page_size(spec.paper), offset=spec.offset(),
                  bleed=layout.bleed_pt(spec.paper) if spec.bleed else 0.0, crop_marks=spec.bleed,
                  folds=layout.folds(spec.paper) if spec.fold_marks else {}, links=links, levels=levels)


def _link_descriptions(content: Content) -> dict[str, str]:
    """What each link on a handout does, in the content's own words."""
    import re

    org, words = content.organization, content.words()
    found = {}
    if org.phone:
        found["tel:" + re.sub(r"[^\d+]", "", org.phone)] = f"{words['phone']}: {org.phone}"
    if org.email:
        found[f"mailto:{org.email}"] = f"{words['email']}: {org.email}"
    if org.website:
        found[org.website] = f"{words['web']}: {org.website}"
    if target := content.qr_target():
        found.setdefault(target, f"{words['web']}: {target}")
    return found


def glyphs(content: Content) -> None:
    """Refuse characters no bundled font can draw, each located, all at once."""
    found = []
    for key, text in check.strings(content.model_dump(), ()):
        for char in sorted({c for c in text if not fonts.drawable(c)}):
            found.append(content.located(key, f"'{char}' (U+{ord(char):04X}) cannot be printed by any bundled font"))
    if found:
        raise ContentError("\n".join(found), hint="remove the character, or give a layout a font that has it "
                                                  "(see docs/layouts.md, `font:`)")


def content_warnings(content: Content, project: Path) -> list[str]:
    """Soft problems in the content: SEO notes, labels, reachability, sections that no layout prints."""
    try:
        printed = {i for name in available(project) for i in flow.printed(content, load_layout(name, project))}
    except OthandoutError:
        printed = None  # a broken layout that was not asked for must not stop the build, nor be guessed at
    unshown = [content.located(("sections", n), f"section '{s.id}' is printed nowhere: no layout shows sections "
                                                  f"for audience '{s.audience}'")
               for n, s in enumerate(content.sections) if printed is not None and n not in printed]
    return [*content.warnings(), *unshown]
