"""Load stage: read a YAML file into plain data, keeping the line and column of every key."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from yaml.composer import Composer
from yaml.constructor import SafeConstructor
from yaml.events import AliasEvent
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from yaml.parser import Parser
from yaml.reader import Reader, ReaderError
from yaml.resolver import BaseResolver
from yaml.scanner import Scanner

from othandout.errors import ContentError

MAX_BYTES = 1024 * 1024
MAX_DEPTH = 32
ALIAS_PROBLEM = "uses a YAML alias (*name); aliases and anchors are not supported"
DEPTH_PROBLEM = f"is nested more than {MAX_DEPTH} levels deep"

Path_ = tuple[str | int, ...]


@dataclass
class Loaded:
    """Plain data from a YAML file plus the `line:col` of each key path."""

    path: Path
    data: Any
    marks: dict[Path_, tuple[int, int]] = field(default_factory=dict)
    lines: list[str] = field(default_factory=list, repr=False)
    inline_comments: bool = False

    def where(self, key_path: Path_) -> str:
        """`file:line:col` for a key path, falling back to its nearest known parent."""
        probe = tuple(key_path)
        while probe not in self.marks and probe:
            probe = probe[:-1]
        line, col = self.marks.get(probe, (1, 1))
        return f"{self.path.name}:{line}:{col}"


class _StringResolver(BaseResolver):
    """A resolver with no implicit types: every plain scalar stays the text the person typed."""


class _NoAliasComposer(Composer):
    """A composer that refuses aliases and deep nesting, so no input can blow up memory or the stack."""

    _depth = 0

    def compose_node(self, parent: Node | None, index: Any) -> Node:
        """Refuse `*alias` before it can be followed, and nesting deeper than MAX_DEPTH."""
        event = self.peek_event()
        if isinstance(event, AliasEvent):
            raise yaml.MarkedYAMLError(problem=ALIAS_PROBLEM, problem_mark=event.start_mark)
        if self._depth >= MAX_DEPTH:
            raise yaml.MarkedYAMLError(problem=DEPTH_PROBLEM, problem_mark=event.start_mark)
        self._depth += 1
        try:
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


class _Loader(Reader, Scanner, Parser, _NoAliasComposer, SafeConstructor, _StringResolver):
    """PyYAML's safe loader with string-only scalars and no aliases."""

    def __init__(self, stream: str) -> None:
        Reader.__init__(self, stream)
        Scanner.__init__(self)
        Parser.__init__(self)
        _NoAliasComposer.__init__(self)
        SafeConstructor.__init__(self)
        _StringResolver.__init__(self)


_OWN_HINTS = {
    ALIAS_PROBLEM: "write the text out in full instead of using &anchor and *alias",
    DEPTH_PROBLEM: "a handout needs only a few levels; check for stray '[' or '{' characters",
}
_FALLBACK_HINT = "check the indentation and quotes on this line and the one before it"
_UTF8_HINT = "save the file as UTF-8 in your editor (File > Save with Encoding > UTF-8)"
_QUOTE_FIRST_HINT = (
    "text that starts with a quote mark must be quoted as a whole, for example  title: '\"OT\" for kids'"
)
EXAMPLE_CONTENT = "the example content (othandout init --content example.yaml writes a copy)"
_KEY_LINE = re.compile(r"^(\s*(?:-\s+)?)([^\s:#][^:#]*?):\s+(.*)$")
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
    if "could not find expected ':'" in problem:
        fix = "write it as 'key: value', or indent it if it continues the text above"
        return "this line has no ':' after its key", fix
    if stripped.startswith("-") and stripped[1:2] not in ("", " ", "-"):
        return _NO_SPACE_AFTER_DASH
    return _explain_layout(problem, line, col)


def _explain_layout(problem: str, line: str, col: int) -> tuple[str, str]:
    """Explain a misplaced ': ', a badly indented line, or text that starts with a quote."""
    match = _KEY_LINE.match(line)
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


def _split_lines(text: str) -> list[str]:
    """Split text into lines exactly where YAML counts line breaks."""
    return re.split(r"\r\n|[\r\n\x85\u2028\u2029]", text)


def _pointed(path: Path, lines: list[str], line_no: int, col: int, problem: str, hint: str) -> ContentError:
    """A located error that shows the offending line with a caret under the column."""
    line = lines[min(line_no, len(lines)) - 1] if lines else ""
    shown, caret = _excerpt(line, col)
    message = f"{problem}\n    {shown}\n    {' ' * (caret - 1)}^"
    return ContentError(message, hint=hint, where=f"{path.name}:{line_no}:{col}")


def _syntax_error(path: Path, text: str, err: yaml.MarkedYAMLError) -> ContentError:
    """Turn a PyYAML error into a located message with the line and a caret."""
    mark = _mark_of(err)
    line_no, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    lines = _split_lines(text)
    line = lines[min(line_no, len(lines)) - 1]
    problem, hint = _explain((err.problem or "is not valid YAML").strip(), err.context or "", line, col)
    context_line = err.context_mark.line + 1 if err.context_mark else 0
    slip = None if problem in _OWN_HINTS else _slip(lines, [line_no, line_no - 1, context_line])
    if slip:
        line_no, col, problem, hint = slip
    return _pointed(path, lines, line_no, col, problem, hint)


def _control_error(path: Path, text: str, err: ReaderError) -> ContentError:
    """Locate a control character that YAML refuses, such as one pasted from another program."""
    before = _split_lines(text[: err.position])
    problem = f"a control character (U+{err.character:04X}) is not allowed in the text"
    hint = "delete it; it often comes along when text is copied from another program"
    return _pointed(path, _split_lines(text), len(before), len(before[-1]) + 1, problem, hint)


def _read_bytes(path: Path) -> bytes:
    """Read at most MAX_BYTES + 1 bytes of a file, refusing folders, missing and oversized files."""
    if not path.exists():
        raise ContentError(f"{path}: no such file", hint="give the path of your content.yaml with --content, "
                                                        "or run othandout init to start from the example")
    if path.is_dir():
        raise ContentError(f"{path}: is a folder, not a file", hint="give the path of the .yaml file itself")
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise _too_big(path, size)
        with path.open("rb") as handle:
            raw = handle.read(MAX_BYTES + 1)
    except OSError as err:
        raise ContentError(f"{path}: cannot be read ({err.strerror or err})") from None
    if len(raw) > MAX_BYTES:
        raise _too_big(path, None)
    return raw


def _too_big(path: Path, size: int | None) -> ContentError:
    """The error for a file over MAX_BYTES, refused before it is parsed."""
    told = f"is {size:,} bytes, over" if size is not None else "is over"
    return ContentError(
        f"{path}: file {told} the limit of 1 MiB ({MAX_BYTES:,} bytes)",
        hint="a handout's content is a few KB; check that this is the right file",
    )


def _decode(path: Path, raw: bytes) -> str:
    """Decode file bytes as UTF-8, naming the line and column of the first bad byte."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ContentError(f"{path}: is saved as UTF-16, not UTF-8", hint=_UTF8_HINT)
    if b"\x00" in raw:
        raise ContentError(f"{path}: is a binary file, not YAML text", hint="save the content as plain text (UTF-8)")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line_start = raw.rfind(b"\n", 0, err.start) + 1
        line = raw[: err.start].count(b"\n") + 1
        col = len(raw[line_start : err.start].decode("utf-8", errors="replace")) + 1
        raise ContentError(
            f"is not UTF-8 text: byte 0x{raw[err.start]:02x} is not a UTF-8 character "
            "(often an accented letter such as é saved as Latin-1 or Windows-1252)",
            hint=_UTF8_HINT,
            where=f"{path.name}:{line}:{col}",
        ) from None


def _read_text(path: Path, hint: str) -> str:
    """Read a content file as UTF-8 text, refusing what is not a small, non-empty text file."""
    text = _decode(path, _read_bytes(path))
    if not text.strip():
        raise ContentError(f"{path}: file is empty", hint=hint)
    if all(ln.lstrip().startswith("#") or not ln.strip() for ln in text.splitlines()):
        raise ContentError(f"{path}: file has only comments and blank lines, no content", hint=hint)
    return text


def _build(node: Node, key_path: Path_, loaded: Loaded, path: Path) -> Any:
    """Turn a composed node into plain data, recording marks and refusing duplicate keys."""
    loaded.marks.setdefault(key_path, (node.start_mark.line + 1, node.start_mark.column + 1))
    if isinstance(node, ScalarNode):
        _check_comment_after(node, key_path, loaded)
        return node.value
    if isinstance(node, SequenceNode):
        return [_build(item, (*key_path, i), loaded, path) for i, item in enumerate(node.value)]
    if isinstance(node, MappingNode):
        result: dict[str, Any] = {}
        first_seen: dict[str, int] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, ScalarNode):
                mark = key_node.start_mark
                raise ContentError("a key must be plain text", where=f"{path.name}:{mark.line + 1}:{mark.column + 1}")
            key = key_node.value
            line = key_node.start_mark.line + 1
            if key in first_seen:
                raise ContentError(
                    f"{dotted((*key_path, key))}: duplicate key '{key}' "
                    f"(first on line {first_seen[key]}, again on line {line})",
                    hint=_duplicate_hint(key_path),
                    where=f"{path.name}:{line}:{key_node.start_mark.column + 1}",
                )
            first_seen[key] = line
            loaded.marks[(*key_path, key)] = (line, key_node.start_mark.column + 1)
            _check_quote_ends(key_node, value_node, (*key_path, key), loaded)
            result[key] = _build(value_node, (*key_path, key), loaded, path)
        return result
    raise ContentError("unsupported YAML node", where=loaded.where(key_path))  # pragma: no cover


def _duplicate_hint(key_path: Path_) -> str:
    """Inside a list entry a repeated key usually means a missing '- '; elsewhere, one copy must go."""
    if key_path and isinstance(key_path[-1], int):
        return "if this starts a new entry, put '- ' before it; otherwise keep one of them"
    return "keep one of them; YAML would silently drop the first"


def _check_quote_ends(key_node: Node, value: Node, key_path: Path_, loaded: Loaded) -> None:
    """Refuse quoted text that swallows the keys after it because its closing quote is missing."""
    if not isinstance(value, ScalarNode) or value.style not in ('"', "'") or not loaded.lines:
        return
    indent = key_node.start_mark.column
    for number in range(value.start_mark.line + 1, value.end_mark.line + 1):
        text = loaded.lines[number]
        if len(text) - len(text.lstrip(" ")) <= indent and _KEY_LINE.match(text):
            raise ContentError(
                f"{dotted(key_path)}: the quote mark {value.style} that starts this text is not closed on its line, "
                f"so the text runs on to line {value.end_mark.line + 1} and swallows the keys after it",
                hint=f"end the text with {value.style} on the same line",
                where=f"{loaded.path.name}:{value.start_mark.line + 1}:{value.start_mark.column + 1}",
            )


_COMMENT_AFTER = re.compile(r"[ \t]+#")
# Values that never hold a space, so a ' #' after them can only be a note: `- id: sessions  # don't rename`.
_ONE_WORD_KEYS = frozenset({"id", "lang", "website", "email", "logo", "accent_colour"})


def _check_comment_after(value: ScalarNode, key_path: Path_, loaded: Loaded) -> None:
    """Refuse unquoted text followed by ` #`, which YAML silently drops as a comment (`Suite #4`).

    A note after a one-word value, such as an id or a web address, loses nothing and is allowed."""
    key = key_path[-1] if key_path and isinstance(key_path[-1], str) else "text"
    if value.style is not None or loaded.inline_comments or not loaded.lines or (value.value and key in _ONE_WORD_KEYS):
        return
    line = loaded.lines[value.end_mark.line]
    found = _COMMENT_AFTER.match(line, value.end_mark.column)
    if not found:
        return
    whole = f"{value.value} {line[found.end() - 1:].strip()}".strip()
    example = f'{key}: "{whole if len(whole) <= 60 else whole[:60] + "…"}"'
    hint = f"put the whole text in double quotes, for example  {example}  (a note to yourself goes on its own line)"
    if not value.value:  # `phone: # later` is a note; `address: #4 Main St` is text: say both
        hint = f"a note to yourself goes on its own line; if this is the text, put it in double quotes, for example  {example}"
    raise _pointed(
        loaded.path, loaded.lines, value.end_mark.line + 1, found.end(),
        f"{dotted(key_path)}: YAML reads ' #' and what follows as a comment, so this text would be left out", hint,
    )


def dotted(key_path: Path_) -> str:
    """Format a key path as `faq[1].answer`."""
    out = ""
    for part in key_path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(top level)"


def _compose(text: str) -> Node | None:
    """Parse text into one YAML node tree (or None when there is no document)."""
    loader = _Loader(text)
    try:
        return loader.get_single_node()
    finally:
        loader.dispose()


def load_yaml(path: Path, example: str = EXAMPLE_CONTENT,
              inline_comments: bool = False) -> Loaded:
    """Read and parse a YAML file safely into plain data with key marks.

    `example` is what to start from if the file is empty; `inline_comments` allows `key: value  # note`."""
    hint = f"start from {example}"
    text = _read_text(path, hint)
    try:
        node = _compose(text)
    except ReaderError as err:
        raise _control_error(path, text, err) from None
    except yaml.MarkedYAMLError as err:
        raise _syntax_error(path, text, err) from None
    except yaml.YAMLError as err:
        raise ContentError(f"{path}: is not valid YAML: {err}") from None
    loaded = Loaded(path=path, data=None, lines=_split_lines(text), inline_comments=inline_comments)
    if node is None:
        raise ContentError(f"{path}: file is empty", hint=hint)
    loaded.data = _build(node, (), loaded, path)
    return loaded


