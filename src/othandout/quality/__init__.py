"""Readability, plain-language, SEO and PEMAT-P checks on an article's text, in pure Python (no WeasyPrint)."""

from othandout.quality.model import Article, Audience, Check, Part, Text
from othandout.quality.output import format_table, to_json
from othandout.quality.report import Report, report

__all__ = ["Article", "Audience", "Check", "Part", "Report", "Text", "format_table", "report", "to_json"]
