"""The installed package: a wheel in a venv of its own, seeing only the dependencies pyproject.toml declares."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from importlib.metadata import PackageNotFoundError, distribution
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from pypdf import PdfReader

from support import CONTENT, ROOT

# Every module of the package, then every outside module any of them imports, at the top or inside a function
# (watch mode imports watchfiles only when it starts): a dependency missing from pyproject.toml fails here.
IMPORT_ALL = """
import ast, importlib, pkgutil, sys
from pathlib import Path
import othandout
for m in pkgutil.walk_packages(othandout.__path__, 'othandout.'):
    importlib.import_module(m.name)
outside = set()
for source in Path(othandout.__file__).parent.rglob('*.py'):
    for node in ast.walk(ast.parse(source.read_text(encoding='utf-8'))):
        if isinstance(node, ast.Import):
            outside |= {alias.name.split('.')[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            outside.add(node.module.split('.')[0])
outside -= {'othandout', '__future__', *sys.stdlib_module_names}
for name in sorted(outside):
    importlib.import_module(name)
print(othandout.__file__)
print(*sorted(outside))
"""


def _requirements(metadata: str) -> list[Requirement]:
    """The `Requires-Dist` lines of a METADATA text."""
    return [Requirement(line.split(":", 1)[1]) for line in metadata.splitlines() if line.startswith("Requires-Dist:")]


def _closure(requirements: list[Requirement]) -> set[str]:
    """Every distribution the requirements pull in (extras followed, markers evaluated), from this interpreter."""
    found: set[str] = set()
    todo = [(r, "") for r in requirements]
    while todo:
        req, extra = todo.pop()
        if req.marker and not req.marker.evaluate({"extra": extra}):
            continue
        try:
            dist = distribution(req.name)
        except PackageNotFoundError:
            pytest.fail(f"{req.name} is required but not installed in the test interpreter")
        key = f"{dist.metadata['Name']}[{','.join(sorted(req.extras))}]"
        if key in found:
            continue
        found.add(key)
        todo += [(r, e) for r in _requirements(dist.read_text("METADATA") or "") for e in ("", *req.extras)]
    return {key.split("[")[0] for key in found}


def _link(names: set[str], site: Path) -> None:
    """Make exactly these distributions importable in `site`, by linking their top-level files from this interpreter."""
    for name in names:
        dist = distribution(name)
        root = Path(dist.locate_file(""))
        for top in {Path(str(f)).parts[0] for f in dist.files or []} - {".."}:
            target = site / top
            if not target.exists():
                target.symlink_to(root / top)


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A non-editable wheel of othandout in a fresh venv (no system packages) plus only its declared dependencies."""
    work = tmp_path_factory.mktemp("installed")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "--no-build-isolation", "--no-index",
                    "-w", work / "dist", ROOT], check=True, capture_output=True)
    [wheel] = (work / "dist").glob("othandout-*.whl")
    venv = work / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", venv], check=True)
    python = venv / "bin" / "python"
    subprocess.run([sys.executable, "-m", "pip", "--python", python, "install", "-q", "--no-deps", "--no-index", wheel],
                   check=True, capture_output=True)
    with zipfile.ZipFile(wheel) as archive:
        metadata = next(archive.read(n).decode() for n in archive.namelist() if n.endswith(".dist-info/METADATA"))
    site = Path(subprocess.run([python, "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
                               capture_output=True, text=True, check=True).stdout.strip())
    _link(_closure(_requirements(metadata)), site)
    return venv, site


def _run(venv: Path, args: list, cwd: Path) -> subprocess.CompletedProcess:
    """Run a command of the venv with nothing from the caller's Python environment."""
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV", "PYTHONHOME")}
    return subprocess.run([str(a) for a in args], cwd=cwd, capture_output=True, text=True, env=env)


def test_the_installed_package_builds_outside_the_repository(installed: tuple[Path, Path], tmp_path: Path) -> None:
    """init then build in an empty folder, with layouts, fonts and the example from the wheel."""
    venv, site = installed
    init = _run(venv, [venv / "bin" / "othandout", "init"], tmp_path)
    assert init.returncode == 0, init.stderr
    assert (tmp_path / "content.yaml").read_bytes() == CONTENT.read_bytes()
    run = _run(venv, [venv / "bin" / "othandout", "build", "--layout", "trifold"], tmp_path)
    assert run.returncode == 0, run.stderr
    reader = PdfReader(tmp_path / "output" / "trifold.pdf")
    assert len(reader.pages) == 2
    assert (float(reader.pages[0].mediabox.width), float(reader.pages[0].mediabox.height)) == (792.0, 612.0)
    where = _run(venv, [venv / "bin" / "python", "-c", "from othandout.pipeline.layouts import builtin_dir; print(builtin_dir())"],
                 tmp_path)
    assert where.stdout.startswith(str(site)), where.stdout + where.stderr


def test_every_module_imports_with_only_the_declared_dependencies(installed: tuple[Path, Path], tmp_path: Path) -> None:
    """A dependency missing from pyproject.toml is missing here too, so some module fails to import."""
    venv, site = installed
    run = _run(venv, [venv / "bin" / "python", "-c", IMPORT_ALL], tmp_path)
    assert run.returncode == 0, run.stderr
    where, imported = run.stdout.splitlines()
    assert where.startswith(str(site))
    assert {"weasyprint", "typer", "watchfiles", "syllapy", "segno"} <= set(imported.split())  # lazy ones too


@pytest.mark.parametrize("module", ["typer", "watchfiles"])
def test_the_venv_sees_nothing_but_what_was_linked(installed: tuple[Path, Path], tmp_path: Path, module: str) -> None:
    """Control: with one declared dependency unlinked (imported at the top, or only inside a function), the check
    fails (nothing leaks in from outside)."""
    venv, site = installed
    link = site / module
    target = link.readlink()
    link.unlink()
    try:
        run = _run(venv, [venv / "bin" / "python", "-c", IMPORT_ALL], tmp_path)
    finally:
        link.symlink_to(target)
    assert run.returncode != 0
    assert f"No module named '{module}'" in run.stderr


def test_the_quality_word_lists_ship_in_the_wheel(installed: tuple[Path, Path], tmp_path: Path) -> None:
    """`othandout check`'s plain-language lists are package data, read from the installed package."""
    venv, site = installed
    code = ("from othandout.quality.langdata import lang_data\n"
            "print(*(len(lang_data(lang).terms) + len(lang_data(lang).words) for lang in ('en', 'es')))")
    run = _run(venv, [venv / "bin" / "python", "-c", code], tmp_path)
    assert run.returncode == 0, run.stderr
    assert all(int(n) >= 50 for n in run.stdout.split()), run.stdout
    assert (site / "othandout" / "data" / "plain" / "es.yaml").is_file()


def test_the_installed_package_writes_the_web_page(installed: tuple[Path, Path], tmp_path: Path) -> None:
    """`othandout web` finds its template and CSS (layouts/_web) and the fonts in the installed package."""
    venv, _ = installed
    (tmp_path / "content.yaml").write_bytes(CONTENT.read_bytes())
    run = _run(venv, [venv / "bin" / "othandout", "web"], tmp_path)
    assert (run.returncode, run.stdout) == (0, "wrote output/web/index.html\n"), run.stderr
    assert (tmp_path / "output" / "web" / "fonts" / "AtkinsonHyperlegible-Regular.ttf").is_file()
