"""Load stage: read a YAML file into plain data, keeping the line and column of every key."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from yaml.composer import Composer
from yaml.constructor import SafeConstructor
from yaml.events import AliasEvent
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from yaml.parser import Parser
from yaml.reader import Reader
from yaml.resolver import BaseResolver
from yaml.scanner import Scanner

from othandout.errors import ContentError

MAX_BYTES = 1024 * 1024

Path_ = tuple[str | int, ...]


@dataclass
class Loaded:
    """Plain data from a YAML file plus the `line:col` of each key path."""

    path: Path
    data: Any
    marks: dict[Path_, tuple[int, int]] = field(default_factory=dict)

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
    """A composer that refuses aliases, so an alias bomb can never expand."""

    def compose_node(self, parent: Node | None, index: Any) -> Node:
        """Refuse `*alias` before it can be followed."""
        if self.check_event(AliasEvent):
            event = self.peek_event()
            raise yaml.MarkedYAMLError(
                problem="uses a YAML alias (*name); aliases and anchors are not supported",
                problem_mark=event.start_mark,
            )
        return super().compose_node(parent, index)


class _Loader(Reader, Scanner, Parser, _NoAliasComposer, SafeConstructor, _StringResolver):
    """PyYAML's safe loader with string-only scalars and no aliases."""

    def __init__(self, stream: str) -> None:
        Reader.__init__(self, stream)
        Scanner.__init__(self)
        Parser.__init__(self)
        _NoAliasComposer.__init__(self)
        SafeConstructor.__init__(self)
        _StringResolver.__init__(self)


def _hint_for(line: str, problem: str) -> str:
    """Guess the usual cause of a YAML syntax error from the offending line."""
    if "alias" in problem:
        return "write the text out in full instead of using &anchor and *alias"
    if "\t" in line[: len(line) - len(line.lstrip())] or "tab" in problem:
        return "use spaces, not tabs, to indent"
    stripped = line.strip()
    if stripped.startswith("-") and len(stripped) > 1 and stripped[1] not in " -":
        return "put a space after '-' to start a list item"
    if stripped.count(": ") > 1 or ("mapping values" in problem):
        return "text containing ': ' must be in quotes, for example  answer: \"No: it helps\""
    return "check the indentation and quotes on this line and the one before it"


def _syntax_error(path: Path, text: str, err: yaml.MarkedYAMLError) -> ContentError:
    """Turn a PyYAML error into a located message with the line and a caret."""
    mark = err.problem_mark or err.context_mark
    line_no, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    lines = text.splitlines() or [""]
    line = lines[min(line_no, len(lines)) - 1]
    problem = (err.problem or err.context or "is not valid YAML").strip()
    shown = line.replace("\t", " ")
    message = f"{problem}\n    {shown}\n    {' ' * (col - 1)}^"
    return ContentError(message, hint=_hint_for(line, problem), where=f"{path.name}:{line_no}:{col}")


def _read_text(path: Path) -> str:
    """Read a content file as UTF-8 text, refusing what is not a small text file."""
    if not path.exists():
        raise ContentError(f"{path}: no such file", hint="give the path of your content.yaml with --content")
    if path.is_dir():
        raise ContentError(f"{path}: is a folder, not a file", hint="give the path of the .yaml file itself")
    size = path.stat().st_size
    if size > MAX_BYTES:
        raise ContentError(
            f"{path}: file is {size / 1024 / 1024:.1f} MiB; the limit is 1 MiB",
            hint="a handout's content is a few KB; check that this is the right file",
        )
    raw = path.read_bytes()
    if b"\x00" in raw:
        raise ContentError(f"{path}: is a binary file, not YAML text", hint="save the content as plain text (UTF-8)")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = raw[: err.start].count(b"\n") + 1
        raise ContentError(
            f"is not UTF-8 text (byte 0x{raw[err.start]:02x} at line {line})",
            hint="save the file as UTF-8 in your editor (File > Save with Encoding > UTF-8)",
            where=f"{path.name}:{line}:1",
        ) from None
    if not text.strip() or all(ln.lstrip().startswith("#") or not ln.strip() for ln in text.splitlines()):
        raise ContentError(f"{path}: file is empty", hint="start from the content.yaml that ships with othandout")
    return text


def _build(node: Node, key_path: Path_, loaded: Loaded, path: Path) -> Any:
    """Turn a composed node into plain data, recording marks and refusing duplicate keys."""
    loaded.marks.setdefault(key_path, (node.start_mark.line + 1, node.start_mark.column + 1))
    if isinstance(node, ScalarNode):
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
                    f"{dotted((*key_path, key))}: duplicate key '{key}' (first on line {first_seen[key]}, again on line {line})",
                    hint="keep one of them; YAML would silently drop the first",
                    where=f"{path.name}:{line}:{key_node.start_mark.column + 1}",
                )
            first_seen[key] = line
            loaded.marks[(*key_path, key)] = (line, key_node.start_mark.column + 1)
            result[key] = _build(value_node, (*key_path, key), loaded, path)
        return result
    raise ContentError("unsupported YAML node", where=loaded.where(key_path))  # pragma: no cover


def dotted(key_path: Path_) -> str:
    """Format a key path as `faq[1].answer`."""
    out = ""
    for part in key_path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(top level)"


def load_yaml(path: Path) -> Loaded:
    """Read and parse a YAML file safely into plain data with key marks."""
    text = _read_text(path)
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
    except yaml.MarkedYAMLError as err:
        raise _syntax_error(path, text, err) from None
    except yaml.YAMLError as err:
        raise ContentError(f"{path}: is not valid YAML: {err}") from None
    finally:
        loader.dispose()
    loaded = Loaded(path=path, data=None)
    if node is None:
        raise ContentError(f"{path}: file is empty", hint="start from the content.yaml that ships with othandout")
    loaded.data = _build(node, (), loaded, path)
    return loaded


