"""The command line: parse options, run the pipeline, turn OthandoutError into a message and exit 1."""

from __future__ import annotations

import os
import sys
from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer

from othandout import __version__
from othandout.errors import OthandoutError

app = typer.Typer(add_completion=False, no_args_is_help=True, rich_markup_mode=None,
                  pretty_exceptions_enable=False,
                  help="Turn one content.yaml into print-ready PDF handouts.")


class Paper(str, Enum):
    """Paper sizes."""

    letter = "letter"
    a4 = "a4"


class FitMode(str, Enum):
    """What to do when content is too long for a page or panel."""

    error = "error"
    shrink = "shrink"


ContentOpt = Annotated[Path, typer.Option("--content", help="The content file.", dir_okay=True)]
LayoutOpt = Annotated[Optional[list[str]], typer.Option("--layout", "-l", help="A layout to build (repeatable; default: all).")]
PaperOpt = Annotated[Paper, typer.Option(help="Paper size.")]
FitOpt = Annotated[FitMode, typer.Option(help="When text is too long: fail (error) or shrink the type, never below the layout's floor.")]
StrictOpt = Annotated[bool, typer.Option("--strict", help="Treat warnings (missing glyphs, SEO notes) as errors.")]


def _fail(err: OthandoutError) -> None:
    """Print our error without a traceback and exit 1."""
    typer.echo(f"error: {err.render()}", err=True)
    raise typer.Exit(1)


def _check_names(names: list[str], content: Path) -> None:
    """Refuse unknown layout names as a usage error (exit 2) listing the valid ones."""
    from othandout.layouts import available

    known = available(content.parent)
    for name in names:
        if name not in known:
            raise typer.BadParameter(f"unknown layout '{name}'; choose from: {', '.join(known)}",
                                     param_hint="'--layout'")


def _version(value: bool) -> None:
    """Print the version and stop."""
    if value:
        typer.echo(f"othandout {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version.")] = False,
) -> None:
    """Turn one content.yaml into print-ready PDF handouts, each checked against its layout's contract."""


def _run(content: Path, out: Path, layouts: list[str] | None, paper: Paper, fit: FitMode, strict: bool,
         bleed: bool, fold_marks: bool, write: bool) -> None:
    """Run the pipeline and print one line per PDF."""
    from othandout.build import BuildOptions, build
    from othandout.layouts import PaperSpec

    _check_names(layouts or [], content)
    options = BuildOptions(content=content, out=out, layouts=layouts or [], fit=fit.value, strict=strict,
                           paper=PaperSpec(paper.value, bleed, fold_marks), write=write)

    def report(built) -> None:
        size = f"{built.size_bytes / 1024:.0f} KB"
        line = f"wrote {built.path}" if write else f"ok {built.layout}"
        line += f"  {built.pages} page{'s' * (built.pages != 1)}  {built.paper}  {size}"
        if built.shrunk:
            line += f"  (body text shrunk to {built.body_pt:g} pt to fit)"
        typer.echo(line)
        if built.warnings:
            count = len(built.warnings)
            typer.echo(f"warning: {built.layout}: {count} warning{'s' * (count != 1)} (--strict makes them errors)",
                       err=True)
            for warning in built.warnings:
                typer.echo(f"  {warning}", err=True)

    try:
        build(options, report=report, warn=lambda message: typer.echo(f"warning: {message}", err=True))
    except OthandoutError as err:
        _fail(err)


@app.command("build")
def build_command(
    layout: LayoutOpt = None,
    content: ContentOpt = Path("content.yaml"),
    out: Annotated[Path, typer.Option("--out", help="Folder for the PDFs.")] = Path("output"),
    paper: PaperOpt = Paper.letter,
    fit: FitOpt = FitMode.error,
    bleed: Annotated[bool, typer.Option("--bleed", help="Print-shop output: bleed, crop marks, *-print.pdf.")] = False,
    fold_marks: Annotated[bool, typer.Option("--fold-marks", help="Draw short marks where the paper folds.")] = False,
    strict: StrictOpt = False,
) -> None:
    """Build PDFs from content.yaml into output/, checking each against its layout's contract.

    Example: othandout build --layout trifold
    """
    _run(content, out, layout, paper, fit, strict, bleed, fold_marks, write=True)


@app.command("check")
def check_command(
    layout: LayoutOpt = None,
    content: ContentOpt = Path("content.yaml"),
    paper: PaperOpt = Paper.letter,
    fit: FitOpt = FitMode.error,
    strict: StrictOpt = False,
) -> None:
    """Validate content.yaml and check every layout's contract without writing any PDF.

    Example: othandout check --content content.yaml
    """
    _run(content, Path("output"), layout, paper, fit, strict, False, False, write=False)


@app.command("layouts")
def layouts_command(
    content: ContentOpt = Path("content.yaml"),
) -> None:
    """List every layout with its contract: paper, orientation, pages and required sections.

    Example: othandout layouts
    """
    from othandout.layouts import available, load_layout

    try:
        for name in available(content.parent):
            m = load_layout(name, content.parent).manifest
            typer.echo(f"{name}: {m.title}\n  paper: {', '.join(m.papers)} {m.orientation}, exactly {m.pages} "
                       f"page{'s' * (m.pages != 1)}, body {m.body_pt:g} pt (floor {m.floor_pt:g} pt)\n"
                       f"  required sections: {', '.join(m.required_sections)}")
    except OthandoutError as err:
        _fail(err)


def main() -> None:
    """Entry point for the `othandout` console script; a bug still ends in one line, not a traceback."""
    try:
        app()
    except Exception as err:  # noqa: BLE001 - the last guard between a bug and a clinic's screen
        if os.environ.get("OTHANDOUT_DEBUG"):
            raise
        typer.echo(f"error: internal problem ({type(err).__name__}: {err}); "
                   "please report it (set OTHANDOUT_DEBUG=1 to see details)", err=True)
        sys.exit(1)
