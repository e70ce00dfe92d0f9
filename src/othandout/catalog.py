"""The layout catalogue: what each layout is, where it comes from and what it shows; copying one to change it."""

from __future__ import annotations

import shutil
from pathlib import Path

from othandout.errors import LayoutError, OthandoutError
from othandout.pipeline import flow
from othandout.pipeline.content import Content
from othandout.pipeline.layouts import Layout, Pin, available, builtin_dir, load_layout


def describe(project: Path, content: Content | None = None) -> list[str]:
    """A few lines per layout; with content, which of its sections each layout prints."""
    lines = []
    for name in available(project):
        try:
            layout = load_layout(name, project)
        except OthandoutError as err:
            lines += [f"{name}: cannot be read", f"  {err.render()}"]
            continue
        lines += _layout_lines(layout, project, content)
    return lines


def _layout_lines(layout: Layout, project: Path, content: Content | None) -> list[str]:
    """The description of one layout."""
    m = layout.manifest
    where = "built in" if layout.builtin else "this project's own copy"
    shown = [f"{layout.name}: {m.title}", f"  from: {where}, {_shown_path(layout.folder, project)}",
             f"  paper: {', '.join(m.papers)} {m.orientation}, exactly {m.pages} page{'s' * (m.pages != 1)}, "
             f"body {m.body_pt:g} pt (floor {m.floor_pt:g} pt)",
             f"  audience: {m.audience}, reading grade {m.reading_grade:g} or below"]
    for region in m.regions:
        parts = [_names(region.show)] + [f"column {n + 1}: {_names(col)}" for n, col in enumerate(region.columns)]
        parts.append(_names(region.after))
        shown.append(f"  {region.label} (page {region.page}): " + "; ".join(p for p in parts if p))
    if content is not None and flow.slots(layout):
        ids = [content.sections[i].id for i in flow.flowing(content, layout)]
        shown.append(f"  flow: {', '.join(ids) if ids else 'no sections'} (the {m.audience} sections, in order)")
    return shown


def _names(blocks: list[str | Pin]) -> str:
    """Block names as a manifest writes them."""
    return ", ".join(b if isinstance(b, str) else f"section {b.section}" for b in blocks)


def _shown_path(folder: Path, project: Path) -> str:
    """A folder relative to the project when it lies inside it."""
    try:
        return "./" + str(folder.resolve().relative_to(project.resolve()))
    except ValueError:
        return str(folder)


def shipped() -> list[str]:
    """The names of the built-in layouts."""
    return sorted(folder.name for folder in builtin_dir().iterdir()
                  if not folder.name.startswith("_") and (folder / "layout.yaml").is_file())


def copy_layout(layout_name: str, project: Path) -> Path:
    """Copy a built-in layout into ./layouts/<name> to change it; never over an existing folder."""
    source = builtin_dir() / layout_name
    if layout_name not in shipped():
        raise LayoutError(f"no built-in layout named '{layout_name}'", hint=f"built-in layouts: {', '.join(shipped())}")
    target = project / "layouts" / layout_name
    if target.exists():
        raise LayoutError(f"{target} already exists, so nothing was copied",
                          hint="edit that copy, or delete it first to start again from the built-in layout")
    shutil.copytree(source, target, symlinks=False)
    return target
