"""Words a layout prints on its own ("In simple terms", "Phone"), per language; `labels:` in the content overrides them."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from othandout.pipeline.files import Roots, read_bytes
from othandout.pipeline.load import data_file

FOLDER = Path(__file__).resolve().parents[1] / "data" / "labels"
FALLBACK = "en"


@cache
def shipped(language: str) -> dict[str, str] | None:
    """The label set shipped for a base language such as 'es', or None."""
    path = FOLDER / f"{language}.yaml"
    if not language.isalpha() or not path.is_file():
        return None
    return data_file(read_bytes(path, Roots.of(FOLDER), 64 * 1024).decode("utf-8"))


def keys() -> list[str]:
    """Every label a layout may print; the English set names them all."""
    return list(shipped(FALLBACK) or {})


def base_language(lang: str) -> str:
    """The language of a BCP 47 tag: 'es' for 'es-419'."""
    return lang.split("-")[0].lower()


def missing_set(lang: str, overrides: dict[str, str]) -> list[str]:
    """The label keys an unshipped language must still give (empty when its labels ship or are all given)."""
    if shipped(base_language(lang)) is not None:
        return []
    return [key for key in keys() if key not in overrides]


def resolve(lang: str, overrides: dict[str, str]) -> dict[str, str]:
    """The labels for a language: the shipped set (English when none ships), then the content's own."""
    found = dict(shipped(FALLBACK) or {})
    found.update(shipped(base_language(lang)) or {})
    found.update(overrides)
    return found
