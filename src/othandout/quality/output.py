"""Show a report: a plain-text table for a terminal (no colour codes) or JSON for scripts."""

from __future__ import annotations

import json
import textwrap
from dataclasses import asdict
from typing import Any

from othandout.quality.model import Check
from othandout.quality.readability import Score
from othandout.quality.report import Report

_SHORT = {"SMOG": "SMOG", "Fernández-Huerta": "F-Huerta", "Szigriszt-Pazos": "INFLESZ"}
_STATUS = {True: "pass", False: "FAIL", None: "n/a"}


def _fit(text: str, width: int) -> str:
    """Cut text to a width, ending in an ellipsis when cut."""
    return text if len(text) <= width else text[:max(1, width - 1)] + "…"


def _wrap(text: str, width: int, indent: str = "  ") -> list[str]:
    """Wrap a message to the width, continuation lines indented further."""
    return textwrap.wrap(text, width, initial_indent=indent, subsequent_indent=indent + "    ",
                         break_on_hyphens=False, break_long_words=False) or [indent]


def _extra(score: Score) -> list[str]:
    """The score's measures shown beside the grade (the grade's own formula is the Grade column)."""
    return [f"{m.value:.1f}" for m in score.measures if m.name in _SHORT]


def _headers(report: Report) -> tuple[str, list[str]]:
    """What the Grade column means, and the other measures' column names."""
    scored = next((p.score for p in report.parts if p.score.measures), None)
    if scored is None:
        return "no reading-grade formula for this language", []
    names = [_SHORT[m.name] for m in scored.measures if m.name in _SHORT]
    meaning = ("Grade = Flesch-Kincaid grade" if scored.measures[0].name == "Flesch-Kincaid grade"
               else "Grade = US grade band from Fernández-Huerta; INFLESZ = Szigriszt-Pazos, higher is easier")
    return meaning, names


def _row(label: str, cells: list[str], width: int) -> str:
    """One table row: a label cut to fit, then right-aligned cells."""
    right = "".join(f"{cell:>10}" for cell in cells)
    room = max(12, width - len(right) - 3)
    return f"  {_fit(label, room):<{room}} {right}".rstrip()


def _grade(score: Score) -> str:
    """The grade, or a dash when there is none."""
    return "-" if score.grade is None else f"{score.grade:.1f}"


def _reading(report: Report, width: int) -> list[str]:
    """The per-section and per-layout reading-level tables."""
    meaning, names = _headers(report)
    lines = [*_wrap(f"Reading level ({meaning})", width, indent=""),
             _row("Section", ["Words", "Sentences", "Grade", *names], width)]
    lines += [_row(p.label, [str(p.score.words), str(p.score.sentences), _grade(p.score), *_extra(p.score)],
                   width) for p in report.parts]
    if report.layouts:
        lines += ["", _row("Layout", ["Target", "Grade", *names, "Result"], width)]
        for layout in report.layouts:
            over = f"{(layout.score.grade or 0.0) - layout.target:.1f} over"
            result = {True: "ok", None: "n/a"}.get(layout.passed, over)
            cells = [f"<= {layout.target:g}", _grade(layout.score), *_extra(layout.score), result]
            lines.append(_row(layout.name, cells, width))
    return lines


def _checks(title: str, checks: list[Check], width: int) -> list[str]:
    """A titled list of pass/fail checks with why."""
    lines = [title]
    for check in checks:
        lines += _wrap(f"{_STATUS[check.passed]:<5} {check.name}: {check.why}", width)
    return lines


def format_table(report: Report, width: int = 100) -> str:
    """The report as plain text for a terminal, lines at most `width` wide where words allow."""
    lines = _reading(report, width)
    lines += ["", f"Long sentences (over 20 words): {len(report.long_sentences)}"]
    lines += [line for item in report.long_sentences for line in _wrap(item.message, width)]
    lines += ["", f"Words from the plain-language list: {len(report.plain_words)}"]
    lines += [line for hit in report.plain_words for line in _wrap(hit.message, width)]
    lines += ["", *_checks("SEO", report.seo, width)]
    judged = [c for c in report.pemat if c.passed is not None]
    score = "n/a" if report.pemat_score is None else f"{report.pemat_score:.0%}"
    lines += [""] + _checks(f"PEMAT-P, items a program can judge: {sum(1 for c in judged if c.passed)} of "
                            f"{len(judged)} pass ({score}; target {report.pemat_target:.0%})", report.pemat, width)
    if report.notes:
        lines += ["", "Notes"] + [line for note in report.notes for line in _wrap(note, width)]
    missed = report.missed
    lines += ["", "Targets missed:" if missed else "All targets met."]
    lines += [line for item in missed for line in _wrap(item, width)]
    return "\n".join(lines) + "\n"


def to_dict(report: Report) -> dict[str, Any]:
    """The report as plain JSON-ready data, with each finding's message and the targets missed."""
    data = asdict(report)
    for item, found in zip(data["long_sentences"], report.long_sentences, strict=True):
        item["message"] = found.message
    for item, hit in zip(data["plain_words"], report.plain_words, strict=True):
        item["message"] = hit.message
    for item, layout in zip(data["layouts"], report.layouts, strict=True):
        item["hardest"] = [{"key": list(p.key), "heading": p.heading, "grade": p.score.grade} for p in layout.hardest]
    data["missed"] = report.missed
    return data


def to_json(report: Report) -> str:
    """The report as JSON text (UTF-8 characters kept, two-space indent)."""
    return json.dumps(to_dict(report), ensure_ascii=False, indent=2)
