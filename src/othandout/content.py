"""Validate stage: turn loaded YAML into a typed content model, with located errors."""

from __future__ import annotations

import difflib
import re
import unicodedata
from pathlib import Path
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, PrivateAttr, ValidationError, model_validator

from othandout.errors import ContentError
from othandout.load import EXAMPLE_CONTENT, Loaded, dotted, load_yaml

META_LIMIT = 160
MIN_CONTRAST = 4.5


def _text(value: str) -> str:
    """Strip surrounding white space; refuse text that is empty or holds a control character."""
    value = value.strip()
    if not value:
        raise ValueError("must not be empty")
    if control := next((c for c in value if unicodedata.category(c) == "Cc" and c not in "\n\t"), None):
        raise ValueError(f"contains a control character (U+{ord(control):04X}), which cannot be printed")
    return value


def _http_url(value: str) -> str:
    """Accept only http(s) addresses, so no link can run code or open a local file."""
    value = value.strip()
    if not re.fullmatch(r"https?://[^\s/$.?#][^\s]*", value, re.IGNORECASE):
        raise ValueError(f"{_show(value)} is not a web address; it must start with https:// or http://")
    return value


def _email(value: str) -> str:
    """Accept one plain address such as name@example.org, so the mailto: link on the PDF works."""
    value = value.strip()
    if not re.fullmatch(r"[^@\s<>\"'(),;:]+@[^@\s<>\"'(),;:]+\.[a-zA-Z]{2,}", value):
        raise ValueError(f"{_show(value)} is not an email address")
    return value


def _show(value: Any, limit: int = 60) -> str:
    """Quote a value for a message, with hidden characters made visible and long text cut short."""
    text = value if isinstance(value, str) else str(value)
    return repr(text[:limit] + ("…" if len(text) > limit else ""))


Text = Annotated[str, AfterValidator(_text)]
Url = Annotated[str, AfterValidator(_http_url)]
Email = Annotated[str, AfterValidator(_email)]
SectionId = Annotated[str, Field(pattern=r"^[a-z][a-z0-9-]*$")]
# The blocks in layouts/_base/blocks.html.j2 that are not sections; a section with one of these ids would be hidden.
BLOCK_NAMES = ("title", "teacher-title", "summary", "intro", "in-simple-terms", "org", "contact", "footer-note", "faq")
HexColour = Annotated[str, Field(pattern=r"^#[0-9a-fA-F]{6}$")]


class Model(BaseModel):
    """Base for every content model: unknown keys are errors, values are never coerced."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)

    @model_validator(mode="before")
    @classmethod
    def _empty_is_missing(cls, data: Any) -> Any:
        """Treat an optional key left empty as a missing one, so it takes its default and leaves no gap."""
        if not isinstance(data, dict):
            return data
        return {key: value for key, value in data.items() if not (_blank(value) and _optional(cls, key))}


def _blank(value: Any) -> bool:
    """True for text that is empty or only white space (`phone:` or `phone: ""`)."""
    return isinstance(value, str) and not value.strip()


def _optional(model: type[BaseModel], key: Any) -> bool:
    """True when a model has this key and does not require it."""
    info = model.model_fields.get(key) if isinstance(key, str) else None
    return info is not None and not info.is_required()


class Item(Model):
    """One bullet: optional bold lead-in label, the text, and an optional shorter text for tight layouts."""

    label: Text | None = None
    text: Text
    short: Text | None = None


class Section(Model):
    """A titled section of bullets with a stable id that layouts refer to."""

    id: SectionId
    heading: Text
    intro: Text | None = None
    items: list[Item] = Field(min_length=1)


class FaqEntry(Model):
    """One question and its answer."""

    question: Text
    answer: Text


class Seo(Model):
    """Search notes: the phrase to repeat and the meta description."""

    focus_phrase: Text
    meta_description: Text


class Organization(Model):
    """The clinic or school whose contact details go on every handout."""

    name: Text
    tagline: Text | None = None
    phone: Text | None = None
    email: Email | None = None
    website: Url | None = None
    address: Text | None = None
    logo: Text | None = None
    accent_colour: HexColour | None = None


class Content(Model):
    """The whole article: what every layout draws from."""

    lang: Annotated[str, Field(pattern=r"^[a-z]{2}(-[A-Z]{2})?$")] = "en"
    title: Text
    summary: Text
    teacher_title: Text | None = None
    intro: Text
    in_simple_terms: Text
    sections: list[Section] = Field(min_length=1)
    faq_heading: Text = "Quick FAQ"
    faq: list[FaqEntry] = Field(min_length=1)
    seo: Seo
    footer_note: Text
    organization: Organization
    _source: Loaded | None = PrivateAttr(default=None)

    def section(self, section_id: str) -> Section:
        """Return the section with this id."""
        for section in self.sections:
            if section.id == section_id:
                return section
        raise KeyError(section_id)

    def ids(self) -> list[str]:
        """Every id a layout may require: the sections plus the built-in blocks."""
        return [s.id for s in self.sections] + ["intro", "in-simple-terms", "faq", "footer-note"]

    def warnings(self) -> list[str]:
        """Soft problems worth telling the author about (errors with --strict), located like errors."""
        found: list[tuple[tuple[str, ...], str]] = []
        if len(self.seo.meta_description) > META_LIMIT:
            found.append((("seo", "meta_description"), f"is {len(self.seo.meta_description)} characters; "
                                                        f"search engines cut it after {META_LIMIT}"))
        if self.seo.focus_phrase.lower().rstrip("?") not in self.title.lower():
            found.append((("title",), f"does not contain the focus phrase '{self.seo.focus_phrase}'"))
        accent = self.organization.accent_colour
        if accent and contrast(accent, "#ffffff") < MIN_CONTRAST:
            found.append((("organization", "accent_colour"),
                          f"{accent} has a contrast of {contrast(accent, '#ffffff'):.1f}:1 against white; "
                          f"headings in it are hard to read (use a darker colour, 4.5:1 or more)"))
        return [self.located(key, message) for key, message in found]

    def text_at(self, key: tuple[str | int, ...]) -> str:
        """The text at a key path such as ('faq', 2, 'answer'), or '' if it is not filled in."""
        value: Any = self
        for part in key:
            value = value[part] if isinstance(part, int) else getattr(value, part, None)
        return value if isinstance(value, str) else ""

    @property
    def file_name(self) -> str:
        """The content file's name, for messages."""
        return self._source.path.name if self._source else "the content"

    def where(self, key: tuple[str | int, ...]) -> str | None:
        """`file:line:col` of a key, when the content came from a file."""
        return self._source.where(key) if self._source else None

    def line(self, key: tuple[str | int, ...]) -> int | None:
        """The line of content.yaml that holds a key, when the content came from a file."""
        return self._source.marks.get(key, (None,))[0] if self._source else None

    def located(self, key: tuple[str | int, ...], message: str) -> str:
        """Prefix a message with `file:line:col key:` when the content came from a file."""
        where = f"{self._source.where(key)} " if self._source else ""
        return f"{where}{dotted(key)}: {message}"


def contrast(first: str, second: str) -> float:
    """The WCAG contrast ratio between two hex colours."""
    def luminance(colour: str) -> float:
        channels = [int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    light, dark = sorted((luminance(first), luminance(second)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def unknown_key_hint(model: type[BaseModel], loc: tuple[Any, ...]) -> str:
    """Suggest the nearest allowed key for an unknown one, or list the allowed keys."""
    allowed = allowed_keys(model, loc[:-1])
    close = difflib.get_close_matches(str(loc[-1]), allowed, n=1)
    return f"did you mean '{close[0]}'?" if close else f"allowed keys here: {', '.join(allowed)}"


def allowed_keys(model: type[BaseModel], loc: tuple[Any, ...]) -> list[str]:
    """The keys allowed at a location, for "did you mean" hints."""
    current = _model_at(model, loc)
    return list(current.model_fields) if current else []


def _model_at(model: type[BaseModel], loc: tuple[Any, ...]) -> type[BaseModel] | None:
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


_TYPE_NAMES = {"str": "text", "list": "a list", "dict": "a group of keys", "NoneType": "nothing"}


def _describe(value: Any) -> str:
    """Name a YAML value's kind the way a content author thinks of it."""
    if value == "":
        return "an empty value"
    if isinstance(value, str):
        return f"the text {_show(value)}"
    return _TYPE_NAMES.get(type(value).__name__, type(value).__name__)


def _message(err: dict[str, Any], loaded: Loaded) -> ContentError:
    """Turn one pydantic error into a located, plain-language ContentError."""
    loc = tuple(err["loc"])
    kind = err["type"]
    key = dotted(loc)
    where = loaded.where(loc)
    if kind == "missing":
        parent = loc[:-1]
        return ContentError(
            f"{key}: missing required key '{loc[-1]}'",
            hint=f"add '{loc[-1]}:' under {dotted(parent)}" if parent else f"add '{loc[-1]}:' at the top level",
            where=loaded.where(parent),
        )
    if kind == "extra_forbidden":
        return ContentError(f"{key}: unknown key '{loc[-1]}'", hint=unknown_key_hint(Content, loc), where=where)
    if kind in {"string_type", "list_type", "model_type", "dict_type", "model_attributes_type"}:
        expected = {"string_type": "text", "list_type": "a list (lines starting with '- ')"}.get(kind, "a group of keys")
        got = _describe(err.get("input"))
        hint = _type_hint(kind) if kind in {"string_type", "list_type"} else _keys_hint(loc, err.get("input"))
        return ContentError(f"{key}: expected {expected}, got {got}", hint=hint, where=where)
    if kind == "string_pattern_mismatch":
        what = _PATTERN_NAMES.get(str(loc[-1]), "allowed here")
        return ContentError(f"{key}: {_show(err.get('input'))} is not {what}", hint=_pattern_hint(loc), where=where)
    if kind == "too_short":
        hint = "add an entry on a line starting with '- '"
        return ContentError(f"{key}: must have at least one entry", hint=hint, where=where)
    text = str(err["msg"]).removeprefix("Value error, ")
    return ContentError(f"{key}: {text}", hint=_value_hint(loc, text), where=where)


def _value_hint(loc: tuple[Any, ...], text: str) -> str | None:
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


def _type_hint(kind: str) -> str:
    """A hint for a wrong-type error."""
    if kind == "string_type":
        return "write the text on the same line after the colon, in quotes if it contains ': ' or '#'"
    if kind == "list_type":
        return "put each entry on its own line starting with '- '"
    return "indent the keys that belong here under this key"


def _keys_hint(loc: tuple[Any, ...], value: Any) -> str:
    """A hint for a value where a group of keys belongs: for text as a list entry, name the keys it needs."""
    model = _model_at(Content, loc)
    if not (loc and isinstance(loc[-1], int) and isinstance(value, str) and model):
        return _type_hint("model_type")
    required = [name for name, info in model.model_fields.items() if info.is_required()]
    lead = next((name for name in required if _is_text(model, name)), None)
    example = f"- {lead}: {_as_yaml(value)}" if lead and value.strip() else ""
    if len(required) == 1 and example:
        return f"write it as  {example}"
    needs = f"each entry needs {_and_list([f'{name}:' for name in required])}"
    return f"{needs}, for example  {example}" if example else needs


def _is_text(model: type[BaseModel], name: str) -> bool:
    """True when a field holds free text (Text), so any sentence fits in it."""
    return any(getattr(meta, "func", None) is _text for meta in model.model_fields[name].metadata)


def _as_yaml(value: str, limit: int = 60) -> str:
    """Text as it would be written after a key: on one line, cut short, quoted if YAML needs quotes."""
    text = " ".join(value.split())
    if len(text) > limit:
        text = text[:limit].rsplit(" ", 1)[0] + "…"
    if re.search(r": | #|:$|^[-?:,\[\]{}#&*!|>'\"%@`]", text):
        return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return text


def _and_list(words: list[str]) -> str:
    """Join words as `a`, `a and b` or `a, b and c`."""
    return " and ".join(filter(None, [", ".join(words[:-1]), words[-1]]))


_PATTERN_NAMES = {"accent_colour": "a hex colour", "lang": "a language code", "id": "a valid id"}


def _pattern_hint(loc: tuple[Any, ...]) -> str:
    """A hint for a value that does not match its pattern."""
    last = loc[-1]
    if last == "accent_colour":
        return "use a hex colour such as \"#0b6e75\" (in quotes)"
    if last == "lang":
        return "use a language code such as en or en-US"
    return "ids use lower-case letters, digits and dashes, such as what-is-ot"


def validate(loaded: Loaded) -> Content:
    """Validate loaded data into Content, raising the first problem with its location."""
    if not isinstance(loaded.data, dict):
        raise ContentError(
            f"expected keys such as 'title:' at the top level, got {_describe(loaded.data)}",
            hint=f"start from {EXAMPLE_CONTENT}",
            where=loaded.where(()),
        )
    try:
        content = Content.model_validate(loaded.data)
    except ValidationError as exc:
        raise _message(_first(exc.errors()), loaded) from None
    _check_ids(content, loaded)
    content._source = loaded
    return content


def _first(errors: list[Any]) -> Any:
    """The error to report: an unknown key first, since a misspelt key also makes the real one missing."""
    return next((e for e in errors if e["type"] == "extra_forbidden"), errors[0])


def _check_ids(content: Content, loaded: Loaded) -> None:
    """Refuse two sections with one id, or an id that names a built-in block, since layouts pick sections by id."""
    seen: dict[str, int] = {}
    for index, section in enumerate(content.sections):
        if section.id in BLOCK_NAMES:
            raise ContentError(
                f"sections[{index}].id: '{section.id}' is the name of a part every handout already has "
                f"({', '.join(BLOCK_NAMES)}), so this section would never be printed",
                hint=f"give the section another id, such as 'more-{section.id}'",
                where=loaded.where(("sections", index, "id")),
            )
        if section.id in seen:
            first, _ = loaded.marks.get(("sections", seen[section.id], "id"), (0, 0))
            raise ContentError(
                f"sections[{index}].id: '{section.id}' is already used by sections[{seen[section.id]}] "
                f"on line {first}",
                hint="give each section its own id",
                where=loaded.where(("sections", index, "id")),
            )
        seen[section.id] = index


def load_content(path: Path) -> Content:
    """Load and validate a content file."""
    return validate(load_yaml(path))
