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
from othandout.pipeline.files import FileRefused, Roots, read_bytes
from othandout.pipeline.yaml_hints import (ALIAS_PROBLEM, DEPTH_PROBLEM, EXAMPLE_CONTENT, KEY_LINE, MAX_DEPTH,
                                           control_error, pointed, split_lines, syntax_error)

MAX_BYTES = 1024 * 1024
_UTF8_HINT = "save the file as UTF-8 in your editor (File > Save with Encoding > UTF-8)"

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


def _read_bytes(path: Path, roots: Roots | None) -> bytes:
    """Read a YAML file through the one reader, with messages for a missing, folder, odd or oversized file."""
    if not path.exists() and not path.is_symlink():
        raise ContentError(f"{path}: no such file", hint="give the path of your content.yaml with --content, "
                                                        "or run othandout init to start from the example")
    if path.is_dir():
        raise ContentError(f"{path}: is a folder, not a file", hint="give the path of the .yaml file itself")
    try:
        return read_bytes(path, roots or Roots.of(path.resolve().parent), MAX_BYTES, shown=str(path))
    except FileRefused as err:
        if err.why.startswith("it is larger than"):
            raise _too_big(path, path.stat().st_size if path.is_file() else None) from None
        raise ContentError(err.message, hint=err.hint or "give the path of a plain text .yaml file") from None


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


def _read_text(path: Path, hint: str, roots: Roots | None) -> str:
    """Read a content file as UTF-8 text, refusing what is not a small, non-empty text file."""
    text = _decode(path, _read_bytes(path, roots))
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
        _check_joined_entry(node, key_path, loaded)
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
        if len(text) - len(text.lstrip(" ")) <= indent and KEY_LINE.match(text):
            raise ContentError(
                f"{dotted(key_path)}: the quote mark {value.style} that starts this text is not closed on its line, "
                f"so the text runs on to line {value.end_mark.line + 1} and swallows the keys after it",
                hint=f"end the text with {value.style} on the same line",
                where=f"{loaded.path.name}:{value.start_mark.line + 1}:{value.start_mark.column + 1}",
            )


def _check_joined_entry(value: ScalarNode, key_path: Path_, loaded: Loaded) -> None:
    """Refuse unquoted text that runs on to a line starting with '- ': a list entry indented deeper than the one
    above it, which YAML silently joins to that entry's text ("Call us - Write it down")."""
    if value.style or not loaded.lines or value.end_mark.line <= value.start_mark.line:
        return
    for number in range(value.start_mark.line + 1, value.end_mark.line + 1):
        text = loaded.lines[number]
        if text.lstrip(" ").startswith("- "):
            raise ContentError(
                f"{dotted(key_path)}: line {number + 1} starts with '- ' but is indented deeper than the entry "
                "above it, so YAML joins it to that entry's text",
                hint="line its '- ' up with the '- ' of the entry above (the same number of spaces before it)",
                where=f"{loaded.path.name}:{number + 1}:{len(text) - len(text.lstrip(' ')) + 1}")


_COMMENT_AFTER = re.compile(r"[ \t]+#")
# Values that never hold a space, so a ' #' after them can only be a note: `- id: sessions  # don't rename`.
_ONE_WORD_KEYS = frozenset({"id", "lang", "website", "email", "logo", "accent_colour"})


def _check_comment_after(value: ScalarNode, key_path: Path_, loaded: Loaded) -> None:
    """Refuse unquoted text followed by ` #`, which YAML silently drops as a comment (`Suite #4`).

    A note after a one-word value, such as an id or a web address, loses nothing and is allowed."""
    key = key_path[-1] if key_path and isinstance(key_path[-1], str) else "text"
    if value.style or loaded.inline_comments or not loaded.lines or (value.value and key in _ONE_WORD_KEYS):
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
    raise pointed(
        loaded.path, loaded.lines, value.end_mark.line + 1, found.end(),
        f"{dotted(key_path)}: YAML reads ' #' and what follows as a comment, so this text would be left out", hint,
    )


def dotted(key_path: Path_) -> str:
    """Format a key path as `faq[1].answer`."""
    out = ""
    for part in key_path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(top level)"


if yaml.__with_libyaml__:
    from yaml._yaml import CParser  # type: ignore[import-not-found]

    class _FastLoader(_NoAliasComposer, CParser, SafeConstructor, _StringResolver):  # type: ignore[name-defined, misc]
        """The same loader on libyaml's parser (several times faster); our composer still refuses aliases."""

        def __init__(self, stream: str) -> None:
            CParser.__init__(self, stream)
            _NoAliasComposer.__init__(self)
            SafeConstructor.__init__(self)
            _StringResolver.__init__(self)


def _compose(text: str) -> Node | None:
    """Parse text into one YAML node tree (or None when there is no document); a file that libyaml refuses is
    parsed again in pure Python, whose error messages the hints are written for (so is a file with a tab, which
    libyaml accepts in places where the hints explain it)."""
    if yaml.__with_libyaml__ and "\t" not in text:
        fast = _FastLoader(text)
        try:
            return fast.get_single_node()
        except yaml.YAMLError:
            pass
        finally:
            fast.dispose()
    loader = _Loader(text)
    try:
        return loader.get_single_node()
    finally:
        loader.dispose()


def load_yaml(path: Path, example: str = EXAMPLE_CONTENT, inline_comments: bool = False,
              roots: Roots | None = None) -> Loaded:
    """Read and parse a YAML file safely into plain data with key marks.

    `example` is what to start from if the file is empty; `inline_comments` allows `key: value  # note`;
    `roots` are the folders the file (after links) must lie in (default: its own folder)."""
    hint = f"start from {example}"
    text = _read_text(path, hint, roots)
    try:
        node = _compose(text)
    except ReaderError as err:
        raise control_error(path, text, err) from None
    except yaml.MarkedYAMLError as err:
        raise syntax_error(path, text, err) from None
    except yaml.YAMLError as err:
        raise ContentError(f"{path}: is not valid YAML: {err}") from None
    loaded = Loaded(path=path, data=None, lines=split_lines(text), inline_comments=inline_comments)
    if node is None:
        raise ContentError(f"{path}: file is empty", hint=hint)
    loaded.data = _build(node, (), loaded, path)
    return loaded




def data_file(text: str) -> Any:
    """Parse one of othandout's own data files (papers, labels), with libyaml when it is there."""
    return yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))  # noqa: S506 - a safe loader
