"""The plain data the quality checks read (an article, its layouts' audiences) and a pass/fail check result."""

from __future__ import annotations

from dataclasses import dataclass, field

Key = tuple[str | int, ...]


@dataclass(frozen=True)
class Text:
    """One piece of text the reader meets, with its content key path and its place in the file."""

    key: Key            # content key path, e.g. ("sections", 2, "items", 0, "text")
    text: str
    where: str          # "content.yaml:42:7", formatted by the caller


@dataclass(frozen=True)
class Part:
    """One section of the article as a reader meets it: a heading and its texts."""

    key: Key            # ("sections", 2), ("intro",) or ("faq",)
    heading: str
    texts: list[Text]


@dataclass(frozen=True)
class Article:
    """Everything the checks read from one content file."""

    lang: str                           # BCP 47 tag: "en", "en-US", "es", "es-419", "fr" ...
    title: Text
    intro: Text | None
    summary: Text | None                # a one-line summary
    in_simple_terms: Text | None        # the "in simple terms" box
    parts: list[Part]                   # the sections, and the FAQ as one part
    next_steps: list[Text]              # call-to-action items
    focus_phrase: Text | None           # SEO
    meta_description: Text | None
    extra_plain_words: dict[str, str] = field(default_factory=dict)  # the author's own hard word -> plain word


@dataclass(frozen=True)
class Audience:
    """One layout's readers: its name for messages, its reading-grade target and the parts it prints."""

    name: str                           # "parents handout"
    grade_target: float                 # e.g. 8.0: grade 8 or below
    part_keys: list[Key]                # which of Article.parts this layout prints


@dataclass(frozen=True)
class Check:
    """One rule's result: passed (True/False, or None when it could not be judged) and why, in plain words."""

    name: str
    passed: bool | None
    why: str


def dotted(key: Key) -> str:
    """Format a key path as `sections[2].items[0].text`."""
    out = ""
    for part in key:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(top level)"


def reader_texts(article: Article) -> list[Text]:
    """Every text a reader meets, in reading order, each key once (the meta description is not printed)."""
    texts = [article.title, article.intro, article.summary, article.in_simple_terms]
    texts += [text for part in article.parts for text in part.texts] + list(article.next_steps)
    seen: set[Key] = set()
    unique = []
    for text in texts:
        if text is not None and text.key not in seen:
            seen.add(text.key)
            unique.append(text)
    return unique
