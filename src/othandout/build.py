"""The pipeline: load and validate the content and layouts, decide what to make, then make each PDF.

A PDF whose recorded inputs (see pipeline/digest.py) match this build's is left as it is, and nothing heavy
(WeasyPrint, the renderer's checks) is even imported for it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from othandout import workers
from othandout.errors import ContractError, LayoutError, OthandoutError
from othandout.pipeline import digest, flow
from othandout.pipeline.content import Content, load_content
from othandout.pipeline.files import FileRefused, Roots, read_bytes
from othandout.pipeline.layouts import Layout, available, load_layout
from othandout.pipeline.papers import PaperSpec
from othandout.pipeline.write import write_atomic

if TYPE_CHECKING:
    from othandout.pipeline.engine import Engine
    from othandout.pipeline.html import Assets, Level

Fit = Literal["error", "shrink"]

_ENGINE: Engine | None = None


def engine() -> Engine:
    """The process's one warm renderer (WeasyPrint is imported only when something is rendered)."""
    global _ENGINE
    if _ENGINE is None:
        from othandout.pipeline.engine import Engine

        _ENGINE = Engine()
    return _ENGINE


@dataclass
class BuildOptions:
    """What one `othandout build` was asked to do."""

    content: Path = Path("content.yaml")
    out: Path = Path("output")
    layouts: list[str] = field(default_factory=list)
    paper: PaperSpec = field(default_factory=lambda: PaperSpec(None))  # each layout on its own first paper
    fit: Fit = "error"
    strict: bool = False
    write: bool = True
    force: bool = False  # rebuild even when a PDF's recorded inputs match
    emit_html: Path | None = None  # also write each layout's self-contained HTML here
    jobs: int = 1  # layouts made at once, each in its own worker process when more than one


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
    unchanged: bool = False  # skipped: the PDF on disk was made from exactly these inputs


@dataclass(frozen=True)
class Job:
    """One PDF to make: the layout, its paper, where it goes and the hash of what makes it."""

    layout: Layout
    spec: PaperSpec
    target: Path
    inputs: str


def _quiet(_: object) -> None:
    """The default reporter: say nothing."""


def build(options: BuildOptions, report: Callable[[Built], None] = _quiet,
          warn: Callable[[str], None] = _quiet) -> list[Built]:
    """Build every requested layout; each failing layout is gathered into one ContractError at the end."""
    content = load_content(options.content)
    soft = content_warnings(content, options.content.parent)
    if soft and options.strict:
        raise OthandoutError("\n".join(soft), hint="--strict turns content warnings into errors")
    for message in soft:
        warn(message)
    failures: list[str] = []
    built = build_loaded(content, options, report, failures)
    if failures:
        raise ContractError("\n".join(failures))
    return built


def build_loaded(content: Content, options: BuildOptions, report: Callable[[Built], None] = _quiet,
                 failures: list[str] | None = None) -> list[Built]:
    """Build the layouts for already validated content; failures are gathered in `failures` (raised if None)."""
    gathered: list[str] = [] if failures is None else failures
    project = options.content.parent
    layouts, broken = _layouts(options, project)
    gathered.extend(broken)
    # Decide what to make: a PDF made from exactly these inputs is left as it is.
    built, todo = [], []
    for layout in layouts:
        try:
            job = plan_job(content, layout, options, project)
        except ContractError as err:
            gathered.append(err.render())
            continue
        if options.write and not options.force and not options.emit_html and digest.recorded(job.target) == job.inputs:
            built.append(Built(layout.name, job.target, 0, job.spec.paper or "", job.target.stat().st_size,
                               layout.manifest.body_pt, {}, [], unchanged=True))
            report(built[-1])
        else:
            todo.append(job)
    # Make the others (side by side with --jobs); a failing one leaves its earlier PDF untouched.
    if todo:
        from othandout.make import prepare

        shared = (content, prepare(content, project, [job.layout for job in todo]), todo, options)
        for outcome in workers.run(_make, range(len(todo)), options.jobs, _share, shared):
            if isinstance(outcome, str):
                gathered.append(outcome)
                continue
            if options.write:  # here, not in the worker: a stop never leaves a PDF it does not report
                write_atomic(outcome.data, outcome.path)
            built.append(outcome)
            report(outcome)
    if failures is None and gathered:
        raise ContractError("\n".join(gathered))
    return built


_SHARED: dict[str, Any] = {}


def _share(content: Content, assets: Assets, todo: list[Job], options: BuildOptions) -> None:
    """What every job of this build shares, kept where each worker finds it."""
    _SHARED.update(content=content, assets=assets, todo=todo, options=options)


def _make(index: int) -> Built | str:
    """Make one job's PDF (in a worker, or here; the caller writes it): the Built, or the message it failed with."""
    from othandout.make import make

    try:
        return make(_SHARED["content"], _SHARED["todo"][index], _SHARED["assets"], _SHARED["options"])
    except (ContractError, LayoutError) as err:
        return err.render()


def plan_job(content: Content, layout: Layout, options: BuildOptions, project: Path) -> Job:
    """The job for one layout: its paper, its file and the hash of its inputs (a layout with no sections for its
    audience cannot be made)."""
    if flow.slots(layout) and not flow.flowing(content, layout) and not flow.printed(content, layout):
        raise ContractError(f"{layout.name}: prints sections for {layout.manifest.audience}, and {content.file_name} "
                            "has none", hint="add a section, or give one `audience: everyone`")
    spec = options.paper.on(layout.manifest.papers)
    target = options.out / f"{layout.name}{spec.suffix(layout.manifest.papers[0])}.pdf"
    inputs = digest.inputs(content, layout, f"{spec}|{options.fit}|{options.strict}", _logo_bytes(content, project))
    return Job(layout, spec, target, inputs)


def _logo_bytes(content: Content, project: Path) -> bytes | None:
    """The logo file's bytes for the inputs hash (None when it cannot be read; making the PDF then says why)."""
    if not content.organization.logo:
        return None
    try:
        return read_bytes(project / content.organization.logo, Roots.of(project), 5 * 1024 * 1024)
    except (FileRefused, OSError, ValueError):
        return None


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
        for unfolded in [one for one in layouts if not one.manifest.folded]:
            if options.layouts:  # asked for by name: say why; building every layout: the folded ones only
                failures.append(f"{unfolded.name}: has no folds, so --fold-marks has nothing to mark")
            layouts.remove(unfolded)
    return layouts, failures


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
