"""Fixtures for the load, validate and CLI error tests: the shipped content.yaml and edited copies of it."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

SHIPPED = Path(__file__).resolve().parents[1] / "content.yaml"


@pytest.fixture
def shipped() -> str:
    """The text of the content.yaml that ships with othandout."""
    return SHIPPED.read_text(encoding="utf-8")


@pytest.fixture
def write(tmp_path: Path) -> Callable[[str | bytes], Path]:
    """Write text (as UTF-8) or raw bytes to tmp_path/content.yaml and return its path."""

    def _write(data: str | bytes) -> Path:
        path = tmp_path / "content.yaml"
        if isinstance(data, bytes):
            path.write_bytes(data)
        else:
            path.write_text(data, encoding="utf-8")
        return path

    return _write


@pytest.fixture
def variant(shipped: str, write: Callable[[str | bytes], Path]) -> Callable[[str, str], tuple[Path, str]]:
    """Write the shipped content with one exact, unique replacement; return the path and the new text."""

    def _variant(old: str, new: str) -> tuple[Path, str]:
        assert shipped.count(old) == 1, f"expected exactly one {old!r} in the shipped content.yaml"
        text = shipped.replace(old, new)
        return write(text), text

    return _variant
