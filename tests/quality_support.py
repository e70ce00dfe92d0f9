"""Build a quality `Article` and layout `Audience`s from a content.yaml with yaml.safe_load alone (a stand-in for
the real wiring, independent of the layout manifests), finding each text's line and column by its first words."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

from othandout.quality import Article, Audience, Part, Text

ROOT = Path(__file__).resolve().parents[1]
STAFF_SECTIONS = ("signs-in-class", "classroom-strategies", "talk-to-school-ot")


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


def audiences(path: Path) -> list[Audience]:
    """The example's three layouts as audiences (their parts and made-up targets), from the content alone.

    A section's `audience:` says whom it is for; without one, the example's three classroom sections are
    for school staff and the rest for parents."""
    sections = yaml.safe_load(path.read_text(encoding="utf-8"))["sections"]
    staff = [("sections", i) for i, s in enumerate(sections) if s.get("audience", _default_audience(s)) == "staff"]
    parents = [("sections", i) for i, s in enumerate(sections) if ("sections", i) not in staff]
    return [Audience("parent handout", 8.0, [("intro",), ("in_simple_terms",), *parents, ("faq",)]),
            Audience("school staff tip sheet", 10.0, [("in_simple_terms",), *staff, ("faq",)]),
            Audience("trifold brochure", 8.0, [("summary",), ("intro",), ("in_simple_terms",), *parents, ("faq",)])]


def _default_audience(section: dict) -> str:
    """Whom an example section without an `audience:` key is for."""
    return "staff" if section["id"] in STAFF_SECTIONS else "parents"
