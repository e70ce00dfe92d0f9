"""The project's documents: every file they or the code point to is in the repository."""

from __future__ import annotations

import re
import subprocess

import pytest

from support import ROOT

TRACKED = [ROOT / name for name in subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True,
                                                    check=True).stdout.split()]
TEXT = [p for p in TRACKED if p.suffix in {".md", ".py", ".yaml", ".j2", ".css", ".sh", ".toml"} and p.is_file()]
# A Markdown document anywhere, or an image in docs/ (other .png names in tests are files they make).
DOC_REFERENCE = re.compile(r"(?<![\w/.-])((?:[\w.-]+/)*[\w.-]+\.md|docs/[\w./-]+\.png)\b")


@pytest.mark.parametrize("path", TEXT, ids=[str(p.relative_to(ROOT)) for p in TEXT])
def test_every_document_a_file_names_is_in_the_repository(path) -> None:
    named = set(DOC_REFERENCE.findall(path.read_text(encoding="utf-8")))
    missing = [n for n in named if not (ROOT / n).exists() and not (path.parent / n).exists()
               and not n.startswith("output/")]
    assert not missing, f"{path.relative_to(ROOT)} names {missing}, which the repository does not have"


LAYOUTS_DOC = (ROOT / "docs/layouts.md").read_text(encoding="utf-8")


def test_every_manifest_key_is_documented() -> None:
    from othandout.pipeline.layouts import Manifest, RegionSpec

    missing = [key for model in (Manifest, RegionSpec) for key in model.model_fields if f"`{key}`" not in LAYOUTS_DOC]
    assert not missing, f"docs/layouts.md does not explain {missing}"


def test_every_block_is_documented() -> None:
    from othandout.pipeline.blocks import FLOW, REGISTRY

    missing = [name for name in [*REGISTRY, FLOW] if f"| `{name}` |" not in LAYOUTS_DOC]
    assert not missing, f"docs/layouts.md does not list the blocks {missing}"


def test_every_css_variable_othandout_writes_is_documented() -> None:
    import re

    from othandout.pipeline import html

    written = set(re.findall(r"(--[a-z-]+):", (ROOT / "src/othandout/pipeline/html.py").read_text(encoding="utf-8")))
    written |= set(re.findall(r"(--[a-z-]+):", (ROOT / "layouts/_base/common.css").read_text(encoding="utf-8")))
    assert written and html
    missing = [name for name in written if f"`{name}`" not in LAYOUTS_DOC and name != "--mark-length"]
    assert not missing, f"docs/layouts.md does not explain {missing}"


README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_the_readme_names_every_command() -> None:
    from typer.main import get_command

    from othandout.cli import app

    missing = [name for name in get_command(app).commands if f"othandout {name}" not in README]  # type: ignore[attr-defined]
    assert not missing, f"README.md does not show {missing}"


def test_the_readme_explains_every_content_key() -> None:
    from othandout.pipeline.content import Content, Item, Organization, Section, Seo

    keys = [k for model in (Content, Organization, Section, Item, Seo) for k in model.model_fields]
    missing = sorted({k for k in keys if f"`{k}`" not in README})
    assert not missing, f"README.md does not explain the content keys {missing}"


def test_the_readmes_test_command_is_the_one_ci_runs() -> None:
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8").strip().splitlines()[-1]
    assert f"```sh\n{ci}\n```" in README


def test_the_readme_lists_every_exit_code_the_cli_uses() -> None:
    codes = {"0", "1", "2", "130", "143"}
    assert all(f"| {code} |" in README for code in codes)
    source = (ROOT / "src" / "othandout" / "cli.py").read_text(encoding="utf-8")
    assert "128 + signum" in source and "130" in source  # 143 is SIGTERM's 128 + 15
