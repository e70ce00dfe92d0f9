"""Turn a pydantic validation error into one located message in plain words (content files and manifests alike)."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel, ValidationError

from othandout.errors import OthandoutError
from othandout.pipeline.load import Loaded, dotted

STRUCTURE = {"string_type": "text", "list_type": "a list (lines starting with '- ')", "dict_type": "a group of keys",
             "model_type": "a group of keys", "model_attributes_type": "a group of keys"}
SCALARS = {"int_parsing": "a whole number", "int_type": "a whole number", "float_parsing": "a number",
           "float_type": "a number", "bool_parsing": "true or false", "bool_type": "true or false"}
_TYPE_NAMES = {"str": "text", "list": "a list", "dict": "a group of keys", "NoneType": "nothing"}


@dataclass(frozen=True)
class Wording:
    """How one kind of file words its errors: its model, error class and per-key patterns and hints."""

    model: type[BaseModel]
    error: type[OthandoutError]
    prefix: str = ""                                            # before file:line:col, e.g. "mine/"
    patterns: dict[str, tuple[str, str]] = field(default_factory=dict)  # last key -> (what it must be, hint)
    default_pattern: tuple[str, str] = ("allowed here", "check the value")
    renamed: dict[str, str] = field(default_factory=dict)       # an old key -> the hint naming its new place


def show(value: Any, limit: int = 60) -> str:
    """Quote a value for a message, with hidden characters made visible and long text cut short."""
    text = value if isinstance(value, str) else str(value)
    return repr(text[:limit] + ("…" if len(text) > limit else ""))


def first_error(exc: ValidationError) -> dict[str, Any]:
    """The error to report: an unknown key first, since a misspelt key also makes the real one missing."""
    errors = exc.errors()
    return next((e for e in errors if e["type"] == "extra_forbidden"), errors[0])


def located(exc: ValidationError, loaded: Loaded, wording: Wording) -> OthandoutError:
    """Every problem of a validation error as one error: each located, in plain words, with a hint (an unknown
    key's first; while there is one, no key is called missing, since a misspelt key also makes the real one so)."""
    errors = exc.errors()
    unknown = [e for e in errors if e["type"] == "extra_forbidden"]
    others = [e for e in errors if e["type"] != "extra_forbidden" and not (unknown and e["type"] == "missing")]
    chosen = unknown + others
    found: dict[str, OthandoutError] = {}
    for err in chosen:
        problem = _located_one(err, loaded, wording)
        found.setdefault(f"{problem.where} {problem.message.partition(':')[0]}", problem)  # one per key
    first, *more = list(found.values())[:MOST_PROBLEMS]
    if more:
        return wording.error(first.message, hint=first.hint, where=first.where, more=more)
    return first


MOST_PROBLEMS = 12  # listed at once; more than this and the first ones are enough to start with


def _located_one(err: dict[str, Any], loaded: Loaded, wording: Wording) -> OthandoutError:
    """One problem of a validation error, as a located message with a hint."""
    loc, kind, got = tuple(err["loc"]), err["type"], err.get("input")
    if kind == "missing":
        parent = loc[:-1]
        hint = f"add '{loc[-1]}:' under {dotted(parent)}" if parent else f"add '{loc[-1]}:' at the top level"
        return wording.error(f"{dotted(loc)}: missing required key '{loc[-1]}'", hint=hint,
                             where=wording.prefix + loaded.where(parent))
    while loc and loc not in loaded.marks and kind != "extra_forbidden":  # drop pydantic's union tags ('str', ...)
        loc = loc[:-1]
    key, where = dotted(loc), wording.prefix + loaded.where(loc)
    message, hint = _explain(kind, loc, got, err, wording)
    return wording.error(f"{key}: {message}", hint=hint, where=where)


def _explain(kind: str, loc: tuple[Any, ...], got: Any, err: dict[str, Any], wording: Wording) -> tuple[str, str | None]:
    """The message after the key, and its hint, for one kind of error."""
    if kind == "extra_forbidden":
        return f"unknown key '{loc[-1]}'", wording.renamed.get(str(loc[-1])) or unknown_key_hint(wording.model, loc)
    if kind in STRUCTURE:
        hint = _type_hint(kind) if kind in {"string_type", "list_type"} else _keys_hint(wording.model, loc, got)
        return f"expected {STRUCTURE[kind]}, got {describe(got)}", hint
    if kind in SCALARS:
        return f"expected {SCALARS[kind]}" + (f", got {got!r}" if isinstance(got, str) else ""), None
    if kind == "string_pattern_mismatch":
        what, hint = wording.patterns.get(str(loc[-1]), wording.default_pattern)
        return f"{show(got)} is not {what}", hint
    if kind == "too_short":
        return "must have at least one entry", "add an entry on a line starting with '- '"
    if kind == "too_long":
        most = err.get("ctx", {}).get("max_length")
        return f"has more entries than the {most} allowed", "split the content into two handouts, or cut entries"
    text = str(err["msg"]).removeprefix("Value error, ")
    if kind == "value_error":
        return text, value_hint(loc, text)
    text = text[0].lower() + text[1:]
    return text + (f", got {got!r}" if isinstance(got, str) else ""), None


def value_hint(loc: tuple[Any, ...], text: str) -> str | None:
    """A hint for a value our own validators refused."""
    if text == "must not be empty":
        return f"write the text after '{loc[-1]}:'"
    if "control character" in text:
        return "look for a backslash escape such as \\x07 or \\u0007 in the quoted text and delete it"
    if "email address" in text:
        return "write one address such as hello@example.org"
    if "web address" in text:
        return "write the full address of your website, such as https://www.example.org"
    return None


def describe(value: Any) -> str:
    """Name a YAML value's kind the way a content author thinks of it."""
    if value == "":
        return "an empty value"
    if isinstance(value, str):
        return f"the text {show(value)}"
    return _TYPE_NAMES.get(type(value).__name__, type(value).__name__)


def _type_hint(kind: str) -> str:
    """A hint for a wrong-type error."""
    if kind == "string_type":
        return "write the text on the same line after the colon, in quotes if it contains ': ' or '#'"
    if kind == "list_type":
        return "put each entry on its own line starting with '- '"
    return "indent the keys that belong here under this key"


def unknown_key_hint(model: type[BaseModel], loc: tuple[Any, ...]) -> str:
    """Suggest the nearest allowed key for an unknown one, or list the allowed keys."""
    allowed = allowed_keys(model, loc[:-1])
    close = difflib.get_close_matches(str(loc[-1]), allowed, n=1)
    return f"did you mean '{close[0]}'?" if close else f"allowed keys here: {', '.join(allowed)}"


def allowed_keys(model: type[BaseModel], loc: tuple[Any, ...]) -> list[str]:
    """The keys allowed at a location, for "did you mean" hints."""
    current = model_at(model, loc)
    return list(current.model_fields) if current else []


def model_at(model: type[BaseModel], loc: tuple[Any, ...]) -> type[BaseModel] | None:
    """The model that describes a location, or the nearest one above an unknown key."""
    current: type[BaseModel] | None = model
    for part in loc:
        if isinstance(part, int) or current is None:
            continue
        info = current.model_fields.get(part)
        if info is None:
            break
        current = _model_in(info.annotation)
    return current


def _model_in(annotation: Any) -> type[BaseModel] | None:
    """Find the model class inside `X`, `list[X]` or `X | None`."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()):
        found = _model_in(arg)
        if found:
            return found
    return None


def _keys_hint(model: type[BaseModel], loc: tuple[Any, ...], value: Any) -> str:
    """A hint for a value where a group of keys belongs: for text as a list entry, name the keys it needs."""
    inner = model_at(model, loc)
    if not (loc and isinstance(loc[-1], int) and isinstance(value, str) and inner):
        return _type_hint("model_type")
    required = [name for name, info in inner.model_fields.items() if info.is_required()]
    lead = next((name for name in required if _is_text(inner, name)), None)
    example = f"- {lead}: {as_yaml(value)}" if lead and value.strip() else ""
    if len(required) == 1 and example:
        return f"write it as  {example}"
    needs = f"each entry needs {and_list([f'{name}:' for name in required])}"
    return f"{needs}, for example  {example}" if example else needs


def _is_text(model: type[BaseModel], name: str) -> bool:
    """True when a field holds free text, so any sentence fits in it."""
    return any(getattr(meta, "free_text", False) for meta in model.model_fields[name].metadata)


def as_yaml(value: str, limit: int = 60) -> str:
    """Text as it would be written after a key: on one line, cut short, quoted if YAML needs quotes."""
    text = " ".join(value.split())
    if len(text) > limit:
        text = text[:limit].rsplit(" ", 1)[0] + "…"
    if re.search(r": | #|:$|^[-?:,\[\]{}#&*!|>'\"%@`]", text):
        return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return text


def and_list(words: list[str]) -> str:
    """Join words as `a`, `a and b` or `a, b and c`."""
    return " and ".join(filter(None, [", ".join(words[:-1]), words[-1]]))
