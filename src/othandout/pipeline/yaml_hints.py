"""Explain YAML syntax errors in a content author's words, pointing at the line with a caret."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml
from yaml.reader import ReaderError

from othandout.errors import ContentError

MAX_DEPTH = 32
ALIAS_PROBLEM = "uses a YAML alias (*name); aliases and anchors are not supported"
DEPTH_PROBLEM = f"is nested more than {MAX_DEPTH} levels deep"

_OWN_HINTS = {
    ALIAS_PROBLEM: "write the text out in full instead of using &anchor and *alias",
    DEPTH_PROBLEM: "a handout needs only a few levels; check for stray '[' or '{' characters",
}
_FALLBACK_HINT = "check the indentation and quotes on this line and the one before it"
_QUOTE_FIRST_HINT = (
    "text that starts with a quote mark must be quoted as a whole, for example  title: '\"OT\" for kids'"
)
EXAMPLE_CONTENT = "the example content (othandout init --content example.yaml writes a copy)"
KEY_LINE = re.compile(r"^(\s*(?:-\s+)?)([^\s:#][^:#]*?):\s+(.*)$")
_ODD_SPACES = {
    "\u00a0": "a non-breaking space", "\u2002": "an en space", "\u2003": "an em space",
    "\u2007": "a figure space", "\u2009": "a thin space", "\u200a": "a hair space",
    "\u200b": "an invisible zero-width space", "\u202f": "a narrow non-breaking space",
    "\u3000": "a wide (ideographic) space", "\ufeff": "an invisible zero-width no-break space",
}
_ODD = "".join(_ODD_SPACES)
_FROM_ELSEWHERE = "it often comes from copying text out of Word or a web page"
_ODD_SPACE_HINT = f"delete it and type an ordinary space ({_FROM_ELSEWHERE})"
_ODD_INDENT_HINT = f"delete it and indent with ordinary spaces ({_FROM_ELSEWHERE})"
_INDENT_ODD = re.compile(rf"^ *([{_ODD}])")
_KEY_THEN_ODD = re.compile(rf"^ *(?:- +)?[^\s{_ODD}:#][^:#]*:([{_ODD}])")
_DASH_THEN_ODD = re.compile(rf"^ *-([{_ODD}])")
_BULLETS = "•◦▪▫●○‣⁃∙·–—−‐‑*\uf0b7"
_BULLET_LINE = re.compile(rf"^ *([{_BULLETS}])[ {_ODD}]*[^\s:#][^:#]*:(?:\s|$)")
_DASH_KEY_LINE = re.compile(r"^ *(-)[^\s:#-][^:#]*:(?:\s|$)")
_TAB_IN_TEXT = "a tab character inside the text", "replace the tab with a space, or put the whole text in double quotes"
_NO_SPACE_AFTER_DASH = "a list item needs a space after '-'", "put a space after '-' to start a list item"


def _explain(problem: str, context: str, line: str, col: int) -> tuple[str, str]:
    """Reword a PyYAML problem in a content author's words and guess the usual fix."""
    char = line[col - 1] if 0 < col <= len(line) else ""
    stripped = line.strip()
    if problem in _OWN_HINTS:
        return problem, _OWN_HINTS[problem]
    if char == "\t" and line[: col - 1].rstrip(" \t")[-1:] not in ("", ":", "-"):
        return _TAB_IN_TEXT
    if char == "\t" or "\t" in line[: len(line) - len(line.lstrip())]:
        return "a tab character is not allowed here", "use spaces, not tabs, to indent"
    if "quoted scalar" in context and ("end of stream" in problem or "document separator" in problem):
        return "this quote mark is never closed", "end the text with the same quote mark it starts with"
    if "flow sequence" in context and "expected ','" in problem:
        return "this '[' list is never closed with ']'", "end the list with ']' on the same line"
    if "flow mapping" in context and "expected ','" in problem:
        return "this '{' is never closed with '}'", "end it with '}' on the same line, or remove the '{'"
    if "cannot start any token" in problem:
        return f"text cannot start with '{char}'", "put the whole text in double quotes"
    if "another document" in problem:
        return "a second document ('---') starts here; the file must hold only one", "delete the '---' line"
    if "could not find expected ':'" in problem and re.match(r"^\s*(- )?[A-Za-z_][\w-]*:\S", line):
        return "this key has no space after its ':'", "put a space after ':', as in 'title: What is OT?'"
    if "could not find expected ':'" in problem:
        fix = "write it as 'key: value', or indent it if it continues the text above"
        return "this line has no ':' after its key", fix
    if stripped.startswith("-") and stripped[1:2] not in ("", " ", "-"):
        return _NO_SPACE_AFTER_DASH
    return _explain_layout(problem, line, col)


def _explain_layout(problem: str, line: str, col: int) -> tuple[str, str]:
    """Explain a misplaced ': ', a badly indented line, or text that starts with a quote."""
    match = KEY_LINE.match(line)
    if "mapping values" in problem and ": " in line[: col - 1]:
        quoted = f'{match.group(2)}: "{match.group(3)}"' if match and '"' not in match.group(3) else ""
        example = quoted or 'answer: "No: it helps"'
        return "a second ': ' on this line", f"text containing ': ' must be in quotes, for example  {example}"
    if "mapping values" in problem:
        fix = "indent it with the same number of spaces as the keys it belongs with"
        return "this key is not lined up with the keys above it", fix
    if match and match.group(3)[:1] in ('"', "'"):
        return "text after the closing quote mark", _QUOTE_FIRST_HINT
    if problem.startswith("expected <block end>") or "block mapping" in problem:
        fix = "keys in the same group must start in the same column"
        return "this line is not lined up with the lines above it", fix
    return problem, _FALLBACK_HINT


def _odd_space(line: str) -> tuple[int, str, str] | None:
    """An unusual space (such as U+00A0) in the indentation, after a key's ':' or after a list '-'."""
    if indent := _INDENT_ODD.match(line):
        col, name = indent.start(1) + 1, _space_name(indent.group(1))
        return col, f"{name} is used to indent this line; YAML needs ordinary spaces", _ODD_INDENT_HINT
    for pattern, sign in ((_KEY_THEN_ODD, ":"), (_DASH_THEN_ODD, "-")):
        if found := pattern.match(line):
            col, name = found.start(1) + 1, _space_name(found.group(1))
            return col, f"{name} follows '{sign}' here; YAML needs an ordinary space", _ODD_SPACE_HINT
    return None


def _space_name(char: str) -> str:
    """`a non-breaking space (U+00A0)` for an unusual space character."""
    return f"{_ODD_SPACES[char]} (U+{ord(char):04X})"


def _bullet(line: str) -> tuple[int, str, str] | None:
    """A bullet character (`•`, `–`, `*`) or a dash with no space after it, where a list entry starts."""
    if found := _DASH_KEY_LINE.match(line):
        return found.start(1) + 1, *_NO_SPACE_AFTER_DASH
    if not (found := _BULLET_LINE.match(line)):
        return None
    mark = found.group(1)
    shown = f"'{mark}'" if mark.isprintable() else f"the bullet U+{ord(mark):04X}"
    hint = f"replace {shown} with '-' and a space (bullets like this come from copying a list out of Word or an email)"
    return found.start(1) + 1, f"{shown} is not a list marker; start a list entry with '- '", hint


def _slip(lines: list[str], numbers: list[int]) -> tuple[int, int, str, str] | None:
    """The first unusual space or bullet on the given lines: line, column, problem and hint."""
    for number in numbers:
        line = lines[number - 1] if 0 < number <= len(lines) else ""
        found = _odd_space(line) or _bullet(line)
        if found:
            return number, *found
    return None


def _mark_of(err: yaml.MarkedYAMLError) -> Any:
    """Where to point: the opening mark for an unclosed quote, bracket or key, else the problem."""
    problem, context = err.problem or "", err.context or ""
    opens = "quoted scalar" in context or "flow" in context or "simple key" in context
    at_end = "end of stream" in problem or "<stream end>" in problem or "document separator" in problem
    if err.context_mark and opens and (at_end or "expected ':'" in problem or "expected ','" in problem):
        return err.context_mark
    return err.problem_mark or err.context_mark


def _excerpt(line: str, col: int, width: int = 100) -> tuple[str, int]:
    """A window of at most `width` characters of a line around a column, and the column in it."""
    line = "".join(ch if ch.isprintable() else " " for ch in line)
    if len(line) <= width:
        return line, col
    start = max(0, min(col - width // 2, len(line) - width))
    return line[start : start + width], col - start


def split_lines(text: str) -> list[str]:
    """Split text into lines exactly where YAML counts line breaks."""
    return re.split(r"\r\n|[\r\n\x85\u2028\u2029]", text)


def pointed(path: Path, lines: list[str], line_no: int, col: int, problem: str, hint: str) -> ContentError:
    """A located error that shows the offending line with a caret under the column."""
    line = lines[min(line_no, len(lines)) - 1] if lines else ""
    shown, caret = _excerpt(line, col)
    message = f"{problem}\n    {shown}\n    {' ' * (caret - 1)}^"
    return ContentError(message, hint=hint, where=f"{path.name}:{line_no}:{col}")


def syntax_error(path: Path, text: str, err: yaml.MarkedYAMLError) -> ContentError:
    """Turn a PyYAML error into a located message with the line and a caret."""
    mark = _mark_of(err)
    line_no, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    lines = split_lines(text)
    line = lines[min(line_no, len(lines)) - 1]
    problem, hint = _explain((err.problem or "is not valid YAML").strip(), err.context or "", line, col)
    context_line = err.context_mark.line + 1 if err.context_mark else 0
    slip = None if problem in _OWN_HINTS else _slip(lines, [line_no, line_no - 1, context_line])
    if slip:
        line_no, col, problem, hint = slip
    return pointed(path, lines, line_no, col, problem, hint)


def control_error(path: Path, text: str, err: ReaderError) -> ContentError:
    """Locate a control character that YAML refuses, such as one pasted from another program."""
    before = split_lines(text[: err.position])
    problem = f"a control character (U+{err.character:04X}) is not allowed in the text"
    hint = "delete it; it often comes along when text is copied from another program"
    return pointed(path, split_lines(text), len(before), len(before[-1]) + 1, problem, hint)
