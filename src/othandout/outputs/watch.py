"""Watch mode: rebuild the layouts a saved file affects, with the renderer kept warm between builds.

The content file and the logo affect every layout asked for; a file in the project's own `layouts/<name>/`
affects that layout alone. A failed build prints its error and waits for the next save; the build writes
atomically, so the last good PDF stays in place."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable
from pathlib import Path

from othandout.build import BuildOptions, Built, build, engine
from othandout.errors import OthandoutError
from othandout.pipeline.content import load_content
from othandout.pipeline.layouts import available, builtin_dir

Say = Callable[[str], None]
IGNORED_SUFFIXES = (".tmp", ".swp", ".swx", ".bak", "~")
IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".gif", ".webp", ".svg"}


@dataclasses.dataclass
class Watcher:
    """What to watch and build: the build options (their `layouts` are the ones asked for; none means all)."""

    options: BuildOptions
    say: Say = print     # one line per PDF written
    shout: Say = print   # errors and warnings

    @property
    def project(self) -> Path:
        """The folder of the content file, which holds the logo and the project's own layouts."""
        return self.options.content.resolve().parent

    def affected(self, changed: Iterable[Path]) -> list[str]:
        """The layouts to rebuild for these changed paths: all asked for when the content, the logo or the shared
        base changed; a layout whose own folder changed; none for anything else."""
        paths = {Path(p).resolve() for p in changed}
        images = any(p.suffix.lower() in IMAGE_SUFFIXES for p in paths)  # the content is read only to find the logo
        if self.options.content.resolve() in paths or (images and self._logo() in paths):
            return self._asked()
        own = self.project / "layouts"
        names: set[str] = set()
        for path in paths:
            if _scratch(path) or not path.is_relative_to(own) or path == own:
                continue
            folder = path.relative_to(own).parts[0]
            if folder == "_base" and own == builtin_dir().resolve():  # the shared base, in othandout's own repository
                return self._asked()
            names.add(folder)
        folders = available(self.project)  # a folder there is a layout only when othandout uses it (it has layout.yaml)
        return [name for name in self._asked() if name in names and name in folders
                and folders[name].resolve() == own / name]

    def rebuild(self, names: list[str]) -> bool:
        """Build these layouts, printing each PDF written or the error; never raises for a user's mistake."""
        if not names:
            return True
        options = dataclasses.replace(self.options, layouts=names)
        try:
            build(options, report=self._report, warn=lambda message: self.shout(f"warning: {message}"))
        except OthandoutError as err:
            self.shout(f"error: {err.render()}")
            self.shout("note: the last good PDF of each failed layout was kept; save again to retry")
            return False
        except Exception as err:  # noqa: BLE001 - a bug must not end a watch the user is relying on
            self.shout(f"error: internal problem ({type(err).__name__}: {err}); please report it")
            return False
        return True

    def handle(self, changed: Iterable[Path]) -> list[str]:
        """Rebuild what the changed paths affect; return the layouts it rebuilt."""
        names = self.affected(changed)
        if names:
            self.rebuild(names)
        return names

    def run(self, stop_event: object | None = None) -> None:
        """Build once, then rebuild on every save until Ctrl-C (or `stop_event` is set)."""
        import watchfiles

        engine()  # warm the renderer once; every build reuses it
        self.rebuild(self._asked())
        self.say(f"watching {self._shown(self.project)} for changes (Ctrl-C to stop)")
        for changes in watchfiles.watch(self.project, stop_event=stop_event, debounce=800, step=30,  # type: ignore[arg-type]
                                        raise_interrupt=False, watch_filter=self._relevant):
            self.handle(Path(path) for _, path in changes)

    def _relevant(self, _change: object, path: str) -> bool:
        """A cheap first sieve for the watcher (`affected` decides): a file named like the content, an image (the
        logo may be any), or a file under the project's layouts/; never the PDFs being written."""
        found = Path(path)
        return (found.name == self.options.content.name or found.suffix.lower() in IMAGE_SUFFIXES
                or found.is_relative_to(self.project / "layouts"))

    def _asked(self) -> list[str]:
        """The layouts asked for, or every layout the project has now."""
        return list(self.options.layouts or available(self.project))

    def _logo(self) -> Path | None:
        """The logo file the content names now, or None (no logo, or the content does not load)."""
        try:
            name = load_content(self.options.content).organization.logo
        except OthandoutError:
            return None
        return (self.project / name).resolve() if name else None

    def _report(self, built: Built) -> None:
        """One line per PDF written."""
        self.say(f"wrote {self._shown(built.path)}  {built.pages} page{'s' * (built.pages != 1)}  {built.paper}")

    @staticmethod
    def _shown(path: Path) -> str:
        """A path relative to the working folder when it lies inside it."""
        try:
            return str(path.resolve().relative_to(Path.cwd()))
        except ValueError:
            return str(path)


def _scratch(path: Path) -> bool:
    """True for an editor's or othandout's temporary file (`.name.swp`, `name~`, `.name-x.tmp`)."""
    return path.name.startswith((".", "#")) or path.name.endswith(IGNORED_SUFFIXES)
