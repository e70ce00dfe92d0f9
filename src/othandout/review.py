"""The readability review behind `othandout check`: the content and each layout's readers, as the quality checks
read them (no WeasyPrint here, so it is fast)."""

from __future__ import annotations

from pathlib import Path

from othandout.errors import OthandoutError
from othandout.pipeline import flow
from othandout.pipeline.content import Content
from othandout.pipeline.layouts import Layout, available, load_layout
from othandout.quality import Article, Audience, Part, Report, Text, report

Key = tuple[str | int, ...]


def review(content: Content, project: Path, names: list[str] | None = None) -> Report:
    """The quality report of the content, with one audience per layout that can be read."""
    layouts = []
    for name in names or list(available(project)):
        try:
            layouts.append(load_layout(name, project))
        except OthandoutError:
            continue  # a broken layout is reported by the contract check, not here
    return report(article(content), [audience(content, layout) for layout in layouts])


def _text(content: Content, key: Key) -> Text | None:
    """The Text at a key, located, or None when it is not filled in."""
    value = content.text_at(key)
    return Text(key, value, content.where(key) or content.file_name) if value else None


def article(content: Content) -> Article:
    """Everything a reader meets in the content, with each text's place in the file."""
    parts = [Part(("sections", i), section.heading, [t for j, item in enumerate(section.items)
                                                    for t in [_text(content, ("sections", i, "items", j, "text"))] if t])
             for i, section in enumerate(content.sections)]
    parts += [Part(("sections", i, "short"), f"{section.heading} (short texts)",
                   [t for j, item in enumerate(section.items) for t in [_text(content, ("sections", i, "items", j,
                                                                                       "short" if item.short else "text"))] if t])
              for i, section in enumerate(content.sections) if any(item.short for item in section.items)]
    if content.key_points:
        parts.append(Part(("key_points",), content.words()["key_points"],
                          [t for n in range(len(content.key_points)) for t in [_text(content, ("key_points", n))] if t]))
    if content.faq:
        parts.append(Part(("faq",), content.words()["faq"],
                          [t for n in range(len(content.faq)) for field in ("question", "answer")
                           for t in [_text(content, ("faq", n, field))] if t]))
    steps = [t for n in range(len(content.next_steps)) for t in [_text(content, ("next_steps", n))] if t]
    return Article(
        lang=content.lang, title=_text(content, ("title",)),  # type: ignore[arg-type]
        intro=_text(content, ("intro",)), summary=_text(content, ("summary",)),
        in_simple_terms=_text(content, ("in_simple_terms",)), parts=parts, next_steps=steps,
        focus_phrase=_text(content, ("seo", "focus_phrase")), meta_description=_text(content, ("seo", "meta_description")),
        extra_plain_words=dict(content.plain_words))


def audience(content: Content, layout: Layout) -> Audience:
    """A layout's readers: its reading-grade target and the parts it prints."""
    shown = {block for region in layout.manifest.regions for block in region.blocks()}
    condensed = any(region.condensed for region in layout.manifest.regions)
    short = {i for i, s in enumerate(content.sections) if any(item.short for item in s.items)}
    keys: list[Key] = [("sections", i, "short") if condensed and i in short else ("sections", i)
                       for i in flow.printed(content, layout)]
    keys += [key for block, key in (("faq", ("faq",)), ("key-points", ("key_points",)))
             if block in shown and content.text_at((key[0], 0)) or block in shown and key == ("faq",) and content.faq]
    return Audience(f"{layout.name} ({layout.manifest.audience})", layout.manifest.reading_grade, keys)
