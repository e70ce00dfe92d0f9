"""Which language a tag names, and that language's shipped word lists (data/plain/<lang>.yaml)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib.resources import files

import yaml

SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass(frozen=True)
class LangData:
    """One language's lists: terms to explain, plain swaps, action verbs, function words, generic headings..."""

    lang: str
    terms: dict[str, str]
    words: dict[str, str]
    action_verbs: frozenset[str]
    function_words: frozenset[str]
    generic_headings: frozenset[str]
    abbreviations: tuple[str, ...]
    shipped: bool                       # False when othandout has no list for this language


def language(tag: str) -> str:
    """The primary language of a BCP 47 tag, in lower case: "es-419" -> "es", "en_US" -> "en"."""
    return tag.replace("_", "-").split("-")[0].strip().lower()


@lru_cache(maxsize=8)
def lang_data(lang: str) -> LangData:
    """The shipped lists for a language ("en", "es"), or empty lists when there are none."""
    resource = files("othandout").joinpath("data", "plain", f"{lang}.yaml")
    if not (lang.isascii() and lang.isalpha()) or not resource.is_file():
        return LangData(lang, {}, {}, frozenset(), frozenset(), frozenset(), (), shipped=False)
    data = yaml.load(resource.read_text(encoding="utf-8"), Loader=SafeLoader) or {}
    return LangData(
        lang=lang,
        terms={str(k): str(v) for k, v in (data.get("terms") or {}).items()},
        words={str(k): str(v) for k, v in (data.get("words") or {}).items()},
        action_verbs=frozenset(str(v).lower() for v in data.get("action_verbs") or []),
        function_words=frozenset(str(v).lower() for v in data.get("function_words") or []),
        generic_headings=frozenset(str(v).lower() for v in data.get("generic_headings") or []),
        abbreviations=tuple(str(v) for v in data.get("abbreviations") or []),
        shipped=True,
    )
