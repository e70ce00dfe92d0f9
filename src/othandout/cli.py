"""The command line: parse options, call one entry point per command, print plain lines; OthandoutError -> exit 1."""

from __future__ import annotations

import os
import signal
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Optional

import typer

from othandout import __version__
from othandout.errors import Interrupted, OthandoutError, printable

if TYPE_CHECKING:
    from othandout.build import BuildOptions, Built

app = typer.Typer(add_completion=False, no_args_is_help=True, rich_markup_mode=None,
                  pretty_exceptions_enable=False,
                  help="Turn one content.yaml into print-ready PDF handouts.")


def say(text: str, err: bool = False) -> None:
    """Print one message; text from a content or layout file cannot reach the terminal as control characters."""
    typer.echo(printable(text), err=err)


ContentOpt = Annotated[Path, typer.Option("--content", metavar="FILE", help="The content file.")]
OutOpt = Annotated[Path, typer.Option("--out", metavar="FOLDER", help="Folder for the PDFs.")]
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


def _paper(value: str | None) -> str | None:
    """Accept a shipped paper name or a custom size such as 5x7in, as a usage error (exit 2) otherwise."""
    from othandout.pipeline import papers

    if value is None:
        return None
    if not papers.is_paper(value):
        raise typer.BadParameter(f"'{value}' is not one of {papers.choices()}, nor a size such as 5x7in")
    return value.lower()


PaperOpt = Annotated[Optional[str], typer.Option(metavar="PAPER", callback=_paper, show_default=False,
                                                 help="Paper size: letter, a4, legal, tabloid, half-letter, a3, a5 "
                                                      "or WxHin (default: each layout's first paper).")]
FitOpt = Annotated[str, typer.Option(metavar="error|shrink", callback=_one_of("error", "shrink"),
                                     help="When text is too long: fail (error), or tighten spacing and then shrink "
                                          "the type of the regions that need it, never below the layout's floor.")]
StrictOpt = Annotated[bool, typer.Option("--strict", help="Treat warnings (SEO notes, reading targets, renderer "
                                                          "notes) as errors.")]


def _fail(err: OthandoutError) -> None:
    """Print our error without a traceback and exit 1."""
    say(f"error: {err.render()}", err=True)
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


def _options(content: Path, out: Path, layouts: list[str] | None, paper: str | None, fit: str, strict: bool,
             bleed: bool = False, fold_marks: bool = False, write: bool = True, force: bool = False,
             emit_html: Path | None = None) -> BuildOptions:
    """Check the options against each other and the layouts there are, as usage errors (exit 2)."""
    from othandout.build import BuildOptions
    from othandout.pipeline.papers import PaperSpec

    _check_names(layouts or [], content)
    if fold_marks and not bleed:
        raise typer.BadParameter("fold marks print outside the trim, so they need --bleed (print-shop output)",
                                 param_hint="'--fold-marks'")
    return BuildOptions(content=content, out=out, layouts=layouts or [], fit=fit, strict=strict,  # type: ignore[arg-type]
                        paper=PaperSpec(paper, bleed, fold_marks), write=write, force=force, emit_html=emit_html)


def _run(options: BuildOptions) -> None:
    """Run the pipeline and print one line per PDF; a signal stops it and says what was and wasn't written."""
    from othandout.build import build
    from othandout.pipeline.layouts import available

    written: list[Built] = []
    try:
        build(options, report=lambda built: _report(built, written, options.write),
              warn=lambda m: say(f"warning: {m}", True))
    except OthandoutError as err:
        say(f"error: {err.render()}", err=True)
        made = [b for b in written if not b.unchanged]
        if options.write and made:
            say(f"note: {len(made)} PDF{'s' * (len(made) != 1)} written; any earlier PDF of the layouts that "
                "failed was left as it was", err=True)
        raise typer.Exit(1) from None
    except (KeyboardInterrupt, Interrupted) as stop:
        done = {b.layout for b in written}
        left = [name for name in (options.layouts or list(available(options.content.parent))) if name not in done]
        say(f"stopped: {', '.join(sorted(done)) or 'no PDF'} written; not written: {', '.join(left) or 'none'} "
            "(their earlier PDFs were left as they were)", err=True)
        raise typer.Exit(_code(stop)) from None


def _code(stop: BaseException) -> int:
    """The exit code for a stop: 130 for Ctrl-C, 128 + the signal for others."""
    return stop.code if isinstance(stop, Interrupted) else 130


def _batch(options: BuildOptions, table: Path, jobs: int | None) -> None:
    """Build the layouts once per row of a table, in a pool of workers, with progress and a summary."""
    from othandout.outputs import batch
    from othandout.workers import default_jobs

    workers = jobs or default_jobs()
    done: list[batch.RowResult] = []
    with _Progress(f"making {table.name}") as progress:
        def report(result: batch.RowResult, finished: int, total: int) -> None:
            """One finished row: a step of the bar, or a plain line."""
            done.append(result)
            progress.step(finished, total, _row_line(result))

        try:
            batch.run(options, table, workers, report)
        except OthandoutError as err:
            progress.stop()
            _fail(err)
        except (KeyboardInterrupt, Interrupted) as stop:
            progress.stop()
            say(f"stopped: {len(done)} row{'s' * (len(done) != 1)} finished; no PDF was left half-written, and the "
                "rows not finished kept their earlier PDFs", err=True)
            raise typer.Exit(_code(stop)) from None
    failed = [r for r in done if r.failures]
    made = sum(1 for r in done for b in r.built if not b.unchanged)
    same = sum(1 for r in done for b in r.built if b.unchanged)
    say(f"{len(done) - len(failed)} of {len(done)} rows built into {options.out}/<slug>/: {made} PDF"
        f"{'s' * (made != 1)} written, {same} unchanged")
    for result in sorted(failed, key=lambda r: r.row.number):
        say(f"error: {table.name}:row {result.row.number} ({result.row.slug}):", err=True)
        for failure in result.failures:
            say("  " + failure.replace("\n", "\n  "), err=True)
    if failed:
        raise typer.Exit(1)


def _row_line(result: Any) -> str:
    """`row 3 riverside-kids: 3 written, 1 unchanged`, with `, 1 failed` when some of its layouts failed."""
    made = sum(1 for b in result.built if not b.unchanged)
    line = f"row {result.row.number} {result.row.slug}: {made} written, {len(result.built) - made} unchanged"
    return line + (f", {len(result.failures)} failed (see below)" if result.failures else "")


class _Progress:
    """A progress bar on a terminal (rich, which typer already brings); plain lines when output is piped."""

    def __init__(self, title: str) -> None:
        self.title, self.bar, self.task = title, None, None

    def __enter__(self) -> _Progress:
        if sys.stdout.isatty():
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

            self.bar = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                                TimeRemainingColumn(), transient=True)
            self.bar.start()
            self.task = self.bar.add_task(self.title, total=None)
        return self

    def step(self, finished: int, total: int, line: str) -> None:
        """Advance the bar, or print the row's line."""
        if self.bar is not None:
            self.bar.update(self.task, completed=finished, total=total)
        else:
            say(f"[{finished}/{total}] {line}")

    def stop(self) -> None:
        """Take the bar off the screen (before an error message)."""
        if self.bar is not None:
            self.bar.stop()
            self.bar = None

    def __exit__(self, *exc: object) -> None:
        self.stop()


def _report(built: Built, written: list[Built], write: bool) -> None:
    """Print one line per PDF, and its warnings."""
    written.append(built)
    if built.unchanged:
        say(f"unchanged {built.path}  (made from these same inputs; --force rebuilds it)")
        return
    line = f"wrote {built.path}" if write else f"ok {built.layout}"
    line += f"  {built.pages} page{'s' * (built.pages != 1)}  {built.paper}  {built.size_bytes / 1024:.0f} KB"
    if built.shrunk:
        line += f"  (fitted: {_fitted(built)})"
    say(line)
    if built.warnings:
        count = len(built.warnings)
        say(f"warning: {built.layout}: {count} warning{'s' * (count != 1)} (--strict makes them errors)", err=True)
        for warning in built.warnings:
            say(f"  {warning}", err=True)


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
    out: OutOpt = Path("output"),
    paper: PaperOpt = None,
    fit: FitOpt = "error",
    bleed: Annotated[bool, typer.Option("--bleed", help="Print-shop output: bleed and crop marks, *-print.pdf.")] = False,
    fold_marks: Annotated[bool, typer.Option("--fold-marks", help="With --bleed: marks where the paper folds, "
                                                                  "*-print-folds.pdf.")] = False,
    strict: StrictOpt = False,
    force: Annotated[bool, typer.Option("--force", help="Rebuild every PDF, even one made from these same "
                                                        "inputs.")] = False,
    table: Annotated[Optional[Path], typer.Option("--for", metavar="TABLE", help="A .csv, .yaml or .json table, one "
                                                  "row per site or school, columns named by content key "
                                                  "(organization.name, organization.phone ...): builds the layouts "
                                                  "for every row into FOLDER/<slug>/.")] = None,
    jobs: Annotated[Optional[int], typer.Option("--jobs", "-j", min=1, max=64, metavar="N", show_default=False,
                                                help="PDFs made at once, side by side (the rows of a --for table, "
                                                     "else the layouts; default: one per core).")] = None,
    emit_html: Annotated[Optional[Path], typer.Option("--emit-html", metavar="FOLDER", help="Also write each "
                                                      "layout's self-contained HTML, as given to the renderer, to "
                                                      "open in a browser.")] = None,
) -> None:
    """Build PDFs from content.yaml into output/, checking each against its layout's contract.

    A PDF whose content, layout, options and tool versions are unchanged since it was made is skipped.

    Example: othandout build --layout trifold  (or, for many sites: othandout build --for sites.csv)
    """
    options = _options(content, out, layout, paper, fit, strict, bleed, fold_marks, force=force, emit_html=emit_html)
    if table is not None:
        _batch(options, table, jobs)
    else:
        from othandout.workers import default_jobs

        options.jobs = jobs or default_jobs()
        _run(options)


@app.command("check")
def check_command(
    layout: LayoutOpt = None,
    content: ContentOpt = Path("content.yaml"),
    paper: PaperOpt = None,
    fit: FitOpt = "error",
    strict: StrictOpt = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print the reading report as JSON, for scripts.")] = False,
    layouts_too: Annotated[bool, typer.Option("--layouts/--no-layouts", help="Also lay out every layout and check "
                                              "its contract (slower).")] = True,
) -> None:
    """Say how readable the text is, then check every layout's contract without writing any PDF.

    The reading report gives the grade of each section and layout against its readers' target, sentences over
    20 words, words with a plainer alternative, the SEO rules and the PEMAT-P items a program can judge.

    Example: othandout check --no-layouts
    """
    from othandout.pipeline.content import load_content
    from othandout.quality import format_table, to_json
    from othandout.review import review

    _check_names(layout or [], content)
    try:
        report = review(load_content(content), content.parent, layout)
    except OthandoutError as err:
        _fail(err)
    say(to_json(report) if as_json else format_table(report, width=_width()))
    if layouts_too and not as_json:
        say("")
        from othandout.workers import default_jobs

        options = _options(content, Path("output"), layout, paper, fit, strict, write=False)
        options.jobs = default_jobs()
        _run(options)
    if strict and report.missed:
        say("error: " + "\n".join(report.missed) + "\n  hint: --strict fails when a reading target is missed",
            err=True)
        raise typer.Exit(1)


def _width() -> int:
    """The terminal's width for tables (100 when it is not a terminal)."""
    import shutil

    return max(60, min(120, shutil.get_terminal_size((100, 24)).columns))


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
    say(f"wrote {content}, the example content\n"
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
    from othandout.catalog import copy_layout, describe, shipped

    try:
        if action is None:
            say("\n".join(describe(content.parent, _content_if_any(content))))
        elif action == "copy" and name:
            if name not in shipped():  # a usage error, like an unknown --layout (exit 2)
                raise typer.BadParameter(f"no built-in layout named '{name}'; choose from: {', '.join(shipped())}",
                                         param_hint="'NAME'")
            target = copy_layout(name, content.parent)
            say(f"copied the built-in {name} layout to {target}; edit it there (othandout uses it first)")
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
        say(f"wrote {write_site(content, out)}")
    except OthandoutError as err:
        _fail(err)


@app.command("preview")
def preview_command(
    layout: LayoutOpt = None,
    content: ContentOpt = Path("content.yaml"),
    out: Annotated[Path, typer.Option("--out", metavar="FOLDER", help="Folder for the PDFs; "
                                      "the images go into its preview/ folder.")] = Path("output"),
    paper: PaperOpt = None,
) -> None:
    """Build, then write a PNG of every page and contact-sheet.png into output/preview/ (no PDF viewer needed).

    The images are drawn with pdfium, which puts a line that mixes Arabic or Hebrew with Latin words in the
    wrong order; the PDF itself is right. Example: othandout preview --layout trifold
    """
    from othandout.outputs.preview import write_previews

    options = _options(content, out, layout, paper, "error", False)
    try:
        found = write_previews(options, warn=lambda message: say(f"warning: {message}", err=True))
    except OthandoutError as err:
        _fail(err)
    count = len(found.pages)
    say(f"wrote {count} page image{'s' * (count != 1)} and {found.sheet.name} into {found.sheet.parent}")


@app.command("watch")
def watch_command(
    layout: LayoutOpt = None,
    content: ContentOpt = Path("content.yaml"),
    out: OutOpt = Path("output"),
    paper: PaperOpt = None,
    fit: FitOpt = "error",
) -> None:
    """Build, then rebuild the layouts a saved change affects (content, logo, ./layouts) until Ctrl-C.

    Example: othandout watch --layout handout
    """
    from othandout.outputs.watch import Watcher

    options = _options(content, out, layout, paper, fit, False)
    try:
        Watcher(options, say=say, shout=lambda line: say(line, err=True)).run()
    except KeyboardInterrupt:
        pass
    say("stopped watching")


def _content_if_any(path: Path) -> Any:
    """The content at `path` when it exists and is valid, else None (listing layouts needs no content)."""
    from othandout.pipeline.content import load_content

    try:
        return load_content(path) if path.is_file() else None
    except OthandoutError:
        return None


def _stop(signum: int, frame: Any) -> None:
    """Turn SIGTERM into a clean stop (temporary files and font folders are removed on the way out)."""
    raise Interrupted(128 + signum)


def _cap_memory(limit: int = 3 * 1024**3) -> None:
    """Keep one run under a few GB of address space, so a hostile input fails with MemoryError, not the machine."""
    try:
        import resource

        soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        if soft == resource.RLIM_INFINITY or soft > limit:
            resource.setrlimit(resource.RLIMIT_AS, (min(limit, hard) if hard != resource.RLIM_INFINITY else limit, hard))
    except (ImportError, ValueError, OSError):
        pass


def main() -> None:
    """Entry point for the `othandout` console script; a bug still ends in one line, not a traceback."""
    signal.signal(signal.SIGTERM, _stop)
    _cap_memory()
    try:
        app()
    except (KeyboardInterrupt, Interrupted) as stop:  # stopped outside a build: nothing half-written
        sys.exit(stop.code if isinstance(stop, Interrupted) else 130)
    except MemoryError:
        say("error: this input needs more memory than othandout allows; check the content, logo and layouts", True)
        sys.exit(1)
    except Exception as err:  # noqa: BLE001 - the last guard between a bug and a clinic's screen
        if os.environ.get("OTHANDOUT_DEBUG"):
            raise
        say(f"error: internal problem ({type(err).__name__}: {err}); "
            "please report it (set OTHANDOUT_DEBUG=1 to see details)", err=True)
        sys.exit(1)
