"""The command line: parse options, run the pipeline, turn OthandoutError into a message and exit 1."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Optional

import typer

from othandout import __version__
from othandout.errors import OthandoutError

if TYPE_CHECKING:
    from othandout.build import Built

app = typer.Typer(add_completion=False, no_args_is_help=True, rich_markup_mode=None,
                  pretty_exceptions_enable=False,
                  help="Turn one content.yaml into print-ready PDF handouts.")


ContentOpt = Annotated[Path, typer.Option("--content", metavar="FILE", help="The content file.")]
LayoutOpt = Annotated[Optional[list[str]], typer.Option("--layout", "-l", metavar="NAME",
                                                        help="A layout to build (repeatable; default: all).")]


def _one_of(*allowed: str) -> Callable[[str], str]:
    """An option callback that accepts only the listed words, as a usage error (exit 2) otherwise."""
    def check(value: str) -> str:
        """Pass an allowed value through, in lower case (`A4` is `a4`)."""
        if value.lower() not in allowed:
            raise typer.BadParameter(f"'{value}' is not one of {', '.join(allowed)}")
        return value.lower()
    return check


def _paper(value: str) -> str:
    """Accept a shipped paper name or a custom size such as 5x7in, as a usage error (exit 2) otherwise."""
    from othandout.pipeline import papers

    if not papers.is_paper(value):
        raise typer.BadParameter(f"'{value}' is not one of {papers.choices()}, nor a size such as 5x7in")
    return value.lower()


PaperOpt = Annotated[str, typer.Option(metavar="PAPER", callback=_paper,
                                       help="Paper size: letter, a4, legal, tabloid, half-letter, a3, a5 or WxHin.")]
FitOpt = Annotated[str, typer.Option(metavar="error|shrink", callback=_one_of("error", "shrink"),
                                     help="When text is too long: fail (error) or shrink the type, "
                                          "never below the layout's floor.")]
StrictOpt = Annotated[bool, typer.Option("--strict", help="Treat warnings (missing glyphs, SEO notes) as errors.")]


def _fail(err: OthandoutError) -> None:
    """Print our error without a traceback and exit 1."""
    typer.echo(f"error: {err.render()}", err=True)
    raise typer.Exit(1)


def _check_names(names: list[str], content: Path) -> None:
    """Refuse unknown layout names as a usage error (exit 2) listing the valid ones."""
    from othandout.pipeline.layouts import available

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


def _run(content: Path, out: Path, layouts: list[str] | None, paper: str, fit: str, strict: bool,
         bleed: bool, fold_marks: bool, write: bool) -> None:
    """Run the pipeline and print one line per PDF."""
    from othandout.build import BuildOptions, build
    from othandout.pipeline.papers import PaperSpec

    _check_names(layouts or [], content)
    options = BuildOptions(content=content, out=out, layouts=layouts or [], fit=fit, strict=strict,  # type: ignore[arg-type]
                           paper=PaperSpec(paper, bleed, fold_marks), write=write)
    written: list[Built] = []

    def report(built: Built) -> None:
        """Print one line per PDF, and its warnings."""
        written.append(built)
        size = f"{built.size_bytes / 1024:.0f} KB"
        line = f"wrote {built.path}" if write else f"ok {built.layout}"
        line += f"  {built.pages} page{'s' * (built.pages != 1)}  {built.paper}  {size}"
        if built.shrunk:
            line += f"  (fitted: {_fitted(built)})"
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
        typer.echo(f"error: {err.render()}", err=True)
        if write and written:
            typer.echo(f"note: {len(written)} PDF{'s' * (len(written) != 1)} written; any earlier PDF of the "
                       "layouts that failed was left as it was", err=True)
        raise typer.Exit(1) from None


def _fitted(built: Built) -> str:
    """`inside flap and inside right: tighter spacing; footer: 10.5 pt` for the regions --fit shrink changed."""
    by_level: dict[object, list[str]] = {}
    for where, level in built.shrunk.items():
        by_level.setdefault(level, []).append(where)
    parts = []
    for level, where in by_level.items():
        how = f"{level.size:g} pt" if level.size < built.body_pt else "tighter spacing"  # type: ignore[attr-defined]
        named = where[0] if len(where) == 1 else f"{', '.join(where[:-1])} and {where[-1]}"
        parts.append(f"{named}: {how}")
    return "; ".join(parts)


@app.command("build")
def build_command(
    layout: LayoutOpt = None,
    content: ContentOpt = Path("content.yaml"),
    out: Annotated[Path, typer.Option("--out", metavar="FOLDER", help="Folder for the PDFs.")] = Path("output"),
    paper: PaperOpt = "letter",
    fit: FitOpt = "error",
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
    paper: PaperOpt = "letter",
    fit: FitOpt = "error",
    strict: StrictOpt = False,
) -> None:
    """Validate content.yaml and check every layout's contract without writing any PDF.

    Example: othandout check --content content.yaml
    """
    _run(content, Path("output"), layout, paper, fit, strict, False, False, write=False)


@app.command("init")
def init_command(
    content: Annotated[Path, typer.Option("--content", metavar="FILE", help="Where to write it.")]
    = Path("content.yaml"),
) -> None:
    """Write the example content.yaml to start from; an existing file is never replaced.

    Example: othandout init
    """
    from othandout.pipeline.write import write_example

    try:
        write_example(content)
    except OthandoutError as err:
        _fail(err)
    then = "othandout build" + ("" if content == Path("content.yaml") else f" --content {content}")
    typer.echo(f"wrote {content}, the example content\n"
               f"next: put your own details in its organization block, edit the text, then run: {then}")


@app.command("layouts")
def layouts_command(
    action: Annotated[Optional[str], typer.Argument(metavar="[copy NAME]", help="`copy NAME` copies a built-in "
                                                    "layout into ./layouts/NAME to change it.")] = None,
    name: Annotated[Optional[str], typer.Argument(metavar="", show_default=False)] = None,
    content: ContentOpt = Path("content.yaml"),
) -> None:
    """List every layout: where it comes from, its paper, pages and audience, and what each region shows.

    Example: othandout layouts copy trifold
    """
    from othandout.catalog import copy_layout, describe

    try:
        if action is None:
            loaded = _content_if_any(content)
            typer.echo("\n".join(describe(content.parent, loaded)))
        elif action == "copy" and name:
            target = copy_layout(name, content.parent)
            typer.echo(f"copied the built-in {name} layout to {target}; edit it there (othandout uses it first)")
        else:
            raise typer.BadParameter("use `othandout layouts` to list them, or `othandout layouts copy NAME`")
    except OthandoutError as err:
        _fail(err)


@app.command("web")
def web_command(
    content: ContentOpt = Path("content.yaml"),
    out: Annotated[Path, typer.Option("--out", metavar="FOLDER", help="Folder for the page.")] = Path("output/web"),
) -> None:
    """Write the content as one standalone, accessible web page: index.html, its CSS and fonts.

    Example: othandout web --out output/web
    """
    from othandout.outputs.web import write_site

    try:
        typer.echo(f"wrote {write_site(content, out)}")
    except OthandoutError as err:
        _fail(err)


@app.command("preview")
def preview_command(
    layout: LayoutOpt = None,
    content: ContentOpt = Path("content.yaml"),
    out: Annotated[Path, typer.Option("--out", metavar="FOLDER", help="Folder for the PDFs; "
                                      "the images go into its preview/ folder.")] = Path("output"),
    paper: PaperOpt = "letter",
) -> None:
    """Build, then write a PNG of every page and contact-sheet.png into output/preview/ (no PDF viewer needed).

    The images are drawn with pdfium, which puts a line that mixes Arabic or Hebrew with Latin words in the
    wrong order; the PDF itself is right. Example: othandout preview --layout trifold
    """
    from othandout.build import BuildOptions
    from othandout.outputs.preview import write_previews
    from othandout.pipeline.papers import PaperSpec

    _check_names(layout or [], content)
    try:
        found = write_previews(BuildOptions(content=content, out=out, layouts=layout or [], paper=PaperSpec(paper)),
                               warn=lambda message: typer.echo(f"warning: {message}", err=True))
    except OthandoutError as err:
        _fail(err)
    count = len(found.pages)
    typer.echo(f"wrote {count} page image{'s' * (count != 1)} and {found.sheet.name} into {found.sheet.parent}")


@app.command("watch")
def watch_command(
    layout: LayoutOpt = None,
    content: ContentOpt = Path("content.yaml"),
    out: Annotated[Path, typer.Option("--out", metavar="FOLDER", help="Folder for the PDFs.")] = Path("output"),
    paper: PaperOpt = "letter",
    fit: FitOpt = "error",
) -> None:
    """Build, then rebuild the layouts a saved change affects (content, logo, ./layouts) until Ctrl-C.

    Example: othandout watch --layout handout
    """
    from othandout.build import BuildOptions
    from othandout.outputs.watch import Watcher
    from othandout.pipeline.papers import PaperSpec

    _check_names(layout or [], content)
    options = BuildOptions(content=content, out=out, layouts=layout or [], paper=PaperSpec(paper), fit=fit)  # type: ignore[arg-type]
    try:
        Watcher(options, say=typer.echo, shout=lambda line: typer.echo(line, err=True)).run()
    except KeyboardInterrupt:
        pass
    typer.echo("stopped watching")


def _content_if_any(path: Path) -> object:
    """The content at `path` when it exists and is valid, else None (listing layouts needs no content)."""
    from othandout.pipeline.content import load_content

    try:
        return load_content(path) if path.is_file() else None
    except OthandoutError:
        return None


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
