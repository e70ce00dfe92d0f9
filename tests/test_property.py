"""Any content file a person could hand othandout ends in valid PDFs or a clean, located message.

CI runs a few examples; `HYPOTHESIS_PROFILE=long python -m pytest tests/test_property.py` runs many more.
"""

from __future__ import annotations

import copy
import os
import tempfile
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from othandout.cli import app
from support import content_data

settings.register_profile("ci", max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("long", max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

BASE = content_data()
NASTY = st.sampled_from(["", " ", "😀🧩", "مرحبا بالعالم", "שלום", "\u202eevil", "a\u0000b", "\x07\x1b[31m",
                         "x" * 400, "<script>alert(1)</script>", "{{ 7*7 }}", "}</style>", "&amp;", "\t\n\r"])
TEXT = st.one_of(NASTY, st.text(max_size=120), st.text(alphabet=st.characters(codec="utf-8"), max_size=40))


def paths(value: Any, prefix: tuple = ()) -> list[tuple]:
    """Every key path in plain data."""
    found = [prefix]
    if isinstance(value, dict):
        for key, child in value.items():
            found += paths(child, (*prefix, key))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            found += paths(child, (*prefix, index))
    return found


def apply(data: Any, path: tuple, action: str, text: str) -> Any:
    """Replace, drop, retype or extend the value at a path."""
    data = copy.deepcopy(data)
    if not path:
        return text if action == "retype" else data
    parent = data
    for part in path[:-1]:
        parent = parent[part]
    key = path[-1]
    if action == "replace":
        parent[key] = text
    elif action == "drop":
        del parent[key]
    elif action == "retype":
        parent[key] = [text] if isinstance(parent[key], str) else text
    elif action == "extra" and isinstance(parent, dict):
        parent[f"{key}x"] = text
    return data


MUTATION = st.tuples(st.sampled_from(paths(BASE)), st.sampled_from(["replace", "drop", "retype", "extra"]), TEXT)


@given(st.lists(MUTATION, min_size=1, max_size=4))
def test_any_content_builds_or_fails_cleanly(mutations: list) -> None:
    data = BASE
    for path, action, text in mutations:
        try:
            data = apply(data, path, action, text)
        except (KeyError, IndexError, TypeError):
            continue  # an earlier mutation removed this path
    with tempfile.TemporaryDirectory() as folder:
        content = Path(folder) / "content.yaml"
        content.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
        result = CliRunner().invoke(app, ["check", "--content", str(content), "-l", "tip-sheet", "-l", "trifold"])
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert result.exit_code in (0, 1), result.output
    assert "Traceback" not in result.output
    if result.exit_code == 1:
        assert result.stderr.startswith("error: ")
    else:
        assert result.stdout.count("ok ") == 2
