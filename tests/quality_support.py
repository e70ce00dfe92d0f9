"""Build a quality `Article` and layout `Audience`s from a content.yaml with yaml.safe_load alone (a stand-in for
the real wiring), finding each text's line and column by its first words."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

from othandout.quality import Article, Audience, Part, Text

ROOT = Path(__file__).resolve().parents[1]
SINGLE_BLOCKS = {"intro": "intro", "in-simple-terms": "in_simple_terms", "summary": "summary"}
TARGETS = {"handout": 8.0, "trifold": 8.0, "tip-sheet": 10.0}


def _where(raw: str, text: str, name: str) -> str:
    """`name:line:col` of the text's first words in the raw file (1:1 when they cannot be found)."""
    first = re.findall(r"\S+", text)[:6]
    match = re.search(r"\s+".join(re.escape(w) for w in first), raw) if first else None
    if not match:
        return f"{name}:1:1"
    line = raw.count("\n", 0, match.start()) + 1
    return f"{name}:{line}:{match.start() - raw.rfind(chr(10), 0, match.start())}"


def article_from_content(path: Path, **changes: Any) -> Article:
    """An Article for the content file; `changes` replace top-level keys of the loaded data first."""
    raw = path.read_text(encoding="utf-8")
    data = {**yaml.safe_load(raw), **changes}

    def text(key: tuple, value: Any) -> Text | None:
        """A Text for a value, or None when there is none."""
        return None if value in (None, "") else Text(key, str(value), _where(raw, str(value), path.name))

    parts = [Part((name,), "", [text((name,), data[name])]) for name in ("intro", "in_simple_terms", "summary")
             if data.get(name)]
    for i, section in enumerate(data.get("sections") or []):
        items = [text(("sections", i, "items", j, "text"), item["text"]) for j, item in enumerate(section["items"])]
        parts.append(Part(("sections", i), section["heading"], items))
    faq = [text(("faq", k, field), entry[field]) for k, entry in enumerate(data.get("faq") or [])
           for field in ("question", "answer")]
    if faq:
        parts.append(Part(("faq",), data.get("faq_heading", "Questions parents ask"), faq))
    seo = data.get("seo") or {}
    return Article(
        lang=data.get("lang", "en"), title=text(("title",), data["title"]), intro=text(("intro",), data.get("intro")),
        summary=text(("summary",), data.get("summary")),
        in_simple_terms=text(("in_simple_terms",), data.get("in_simple_terms")), parts=parts,
        next_steps=[text(("next_steps", n), step) for n, step in enumerate(data.get("next_steps") or [])],
        focus_phrase=text(("seo", "focus_phrase"), seo.get("focus_phrase")),
        meta_description=text(("seo", "meta_description"), seo.get("meta_description")),
        extra_plain_words=data.get("plain_words") or {})


def _blocks(region: dict) -> list[str]:
    """The block names a layout region shows, in order."""
    return list(region.get("show", [])) + [b for column in region.get("columns", []) for b in column] \
        + list(region.get("after", []))


def audiences(article_path: Path, layouts: Path = ROOT / "layouts") -> list[Audience]:
    """One Audience per shipped layout: the parts its regions show, with a made-up grade target."""
    sections = [s["id"] for s in yaml.safe_load(article_path.read_text(encoding="utf-8"))["sections"]]
    found = []
    for manifest in sorted(layouts.glob("*/layout.yaml")):
        blocks = [b for region in yaml.safe_load(manifest.read_text())["regions"] for b in _blocks(region)]
        keys = [("sections", sections.index(b)) if b in sections else
                (SINGLE_BLOCKS[b],) if b in SINGLE_BLOCKS else ("faq",) for b in blocks
                if b in sections or b in SINGLE_BLOCKS or b == "faq"]
        name = manifest.parent.name
        found.append(Audience(name, TARGETS.get(name, 8.0), keys))
    return found
