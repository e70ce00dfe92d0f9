"""Readability, plain-language, SEO and PEMAT-P checks on an article's text, in pure Python (no WeasyPrint)."""

from othandout.quality.model import Article, Audience, Check, Part, Text

__all__ = ["Article", "Audience", "Check", "Part", "Text"]
