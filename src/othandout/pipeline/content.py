"""Validate stage: turn loaded YAML into a typed content model, with located errors."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, PrivateAttr, ValidationError, create_model, model_validator

from othandout.errors import ContentError
from othandout.pipeline import labels as label_sets
from othandout.pipeline.load import Loaded, dotted, load_yaml
from othandout.pipeline.validation import Wording, describe, located, show
from othandout.pipeline.yaml_hints import EXAMPLE_CONTENT

META_LIMIT = 160
MIN_CONTRAST = 4.5
# Bounds that keep the worst accepted file fast to build: a handout is a few KB of text.
MAX_TEXT = 3000
MAX_SECTIONS, MAX_ITEMS, MAX_FAQ, MAX_STEPS = 12, 15, 30, 8


class FreeText:
    """Marks a field that holds free text (any sentence fits), for hints that show an example entry."""

    free_text = True


def _text(value: str) -> str:
    """Strip surrounding white space; refuse text that is empty, too long, or holds a character that cannot print."""
    value = value.strip()
    if not value:
        raise ValueError("must not be empty")
    if control := next((c for c in value if unicodedata.category(c) == "Cc" and c not in "\n\t"), None):
        raise ValueError(f"contains a control character (U+{ord(control):04X}), which cannot be printed")
    if lone := next((c for c in value if unicodedata.category(c) == "Cs"), None):
        raise ValueError(f"contains half of a character pair (U+{ord(lone):04X}), which cannot be printed")
    if len(value) > MAX_TEXT:
        raise ValueError(f"is {len(value):,} characters long; a handout entry holds at most {MAX_TEXT:,}")
    return value


def _printable(value: str) -> str:
    """Refuse hidden characters in one-word values such as an address."""
    if hidden := next((c for c in value if unicodedata.category(c) in ("Cc", "Cs", "Cf", "Zl", "Zp")), None):
        raise ValueError(f"contains a hidden character (U+{ord(hidden):04X})")
    return value


def _http_url(value: str) -> str:
    """Accept only http(s) addresses, so no link can run code or open a local file."""
    value = _printable(value.strip())
    if not re.fullmatch(r"https?://[^\s/$.?#][^\s]*", value, re.IGNORECASE) or len(value) > 500:
        raise ValueError(f"{show(value)} is not a web address; it must start with https:// or http://")
    return value


EMAIL = re.compile(r"[\w.+'-]+@(?:[^\W_](?:[\w-]*[^\W_])?\.)+[^\W\d_]{2,}")


def _email(value: str) -> str:
    """Accept one plain address such as name@example.org, so the mailto: link on the PDF works."""
    value = _printable(value.strip())
    if not EMAIL.fullmatch(value) or ".." in value or len(value) > 254:
        raise ValueError(f"{show(value)} is not an email address")
    return value


def reviewed_month(value: str) -> str:
    """Accept a date as YYYY-MM or YYYY-MM-DD."""
    found = re.fullmatch(r"(\d{4})-(\d{2})(?:-(\d{2}))?", value.strip())
    if not found or not 1 <= int(found[2]) <= 12 or (found[3] and not 1 <= int(found[3]) <= 31):
        raise ValueError(f"{show(value)} is not a date such as 2026-11 or 2026-11-29")
    return value.strip()


Text = Annotated[str, AfterValidator(_text), FreeText()]
Url = Annotated[str, AfterValidator(_http_url)]
Email = Annotated[str, AfterValidator(_email)]
Month = Annotated[str, AfterValidator(reviewed_month)]
SectionId = Annotated[str, Field(pattern=r"^[a-z][a-z0-9-]{0,59}$")]
Lang = Annotated[str, Field(pattern=r"^[a-zA-Z]{2,3}(-[a-zA-Z0-9]{2,8})*$", max_length=35)]
HexColour = Annotated[str, Field(pattern=r"^#[0-9a-fA-F]{6}$")]
Audience = Literal["parents", "staff", "everyone"]


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
    """A titled section of bullets; its audience decides which layouts print it."""

    id: SectionId
    heading: Text
    audience: Audience = "everyone"
    intro: Text | None = None
    items: list[Item] = Field(min_length=1, max_length=MAX_ITEMS)


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
    logo_alt: Text | None = None
    accent_colour: HexColour | None = None

    def reachable(self) -> bool:
        """True when families have a way to reach the organization."""
        return any((self.phone, self.email, self.website, self.address))

    def tel(self) -> str:
        """The phone number as a tel: link (RFC 3966): its digits, and an extension ("ext. 204") as ;ext=204."""
        number, extension = self.phone or "", ""
        if found := _EXTENSION.search(number):
            number, extension = number[:found.start()], found.group(1)
        digits = re.sub(r"[^\d+]", "", number)
        return f"tel:{digits};ext={extension}" if extension else f"tel:{digits}"

    def shown_website(self) -> str:
        """The website as printed: without the scheme or a trailing slash, otherwise exactly as typed."""
        return shown_address(self.website or "")


_EXTENSION = re.compile(r"(?i)\s*,?\s*(?:ext\.?|extension|x|#)\s*(\d+)\s*$")


def shown_address(url: str) -> str:
    """A web address as printed: without "https://" and a trailing slash (a reader types it as it is)."""
    return re.sub(r"^https?://", "", url).rstrip("/")


Labels = create_model("Labels", __base__=Model, **{key: (Text | None, None) for key in label_sets.keys()})  # type: ignore[call-overload]


class Content(Model):
    """The whole article: what every layout draws from."""

    lang: Lang = "en"
    labels: Labels = Field(default_factory=Labels)  # type: ignore[valid-type]
    title: Text
    teacher_title: Text | None = None
    summary: Text | None = None
    intro: Text | None = None
    in_simple_terms: Text | None = None
    key_points: list[Text] = Field(default=[], max_length=6)
    sections: list[Section] = Field(min_length=1, max_length=MAX_SECTIONS)
    faq: list[FaqEntry] = Field(default=[], max_length=MAX_FAQ)
    next_steps: list[Text] = Field(default=[], max_length=MAX_STEPS)
    teacher_next_steps: list[Text] = Field(default=[], max_length=MAX_STEPS)
    plain_words: dict[str, Text] = Field(default={}, max_length=200)  # your own hard words -> plainer ones
    reviewed: Month | None = None
    sources: Text | None = None
    seo: Seo | None = None
    web_url: Url | None = None
    qr: Url | None = None
    footer_note: Text
    organization: Organization
    _source: Loaded | None = PrivateAttr(default=None)

    def section(self, section_id: str) -> Section:
        """The section with this id."""
        return next(s for s in self.sections if s.id == section_id)

    def words(self) -> dict[str, str]:
        """The labels this content prints with: its language's set, then its own `labels:`."""
        return label_sets.resolve(self.lang, self.labels.model_dump(exclude_none=True))

    def qr_target(self) -> str | None:
        """Where the QR code leads: `qr`, else `web_url`, else the organization's website."""
        return self.qr or self.web_url or self.organization.website

    def warnings(self) -> list[str]:
        """Soft problems worth telling the author about (errors with --strict), located like errors."""
        found: list[tuple[tuple[str, ...], str]] = []
        if self.seo and len(self.seo.meta_description) > META_LIMIT:
            found.append((("seo", "meta_description"), f"is {len(self.seo.meta_description)} characters; "
                                                        f"search engines cut it after {META_LIMIT}"))
        if self.seo and self.seo.focus_phrase.lower().rstrip("?") not in self.title.lower():
            found.append((("title",), f"does not contain the focus phrase '{self.seo.focus_phrase}'"))
        accent = self.organization.accent_colour
        if accent and contrast(accent, "#ffffff") < MIN_CONTRAST:
            found.append((("organization", "accent_colour"),
                          f"{accent} has a contrast of {contrast(accent, '#ffffff'):.1f}:1 against white; "
                          f"headings in it are hard to read (use a darker colour, 4.5:1 or more)"))
        if missing := label_sets.missing_set(self.lang, self.labels.model_dump(exclude_none=True)):
            found.append((("lang",), f"no labels ship for '{self.lang}', so the layouts' own words print in "
                                     f"English; add them under labels: ({', '.join(missing)})"))
        if not self.organization.reachable():
            found.append((("organization",), "has no phone, email, website or address, so families have no way "
                                             "to reach you from the handout"))
        return [self.located(key, message) for key, message in found]

    def text_at(self, key: tuple[str | int, ...]) -> str:
        """The text at a key path such as ('faq', 2, 'answer'), or '' if it is not filled in."""
        value: Any = self
        for part in key:
            if isinstance(part, int):
                value = value[part] if isinstance(value, list) and part < len(value) else None
            else:
                value = getattr(value, part, None)
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


WORDING = Wording(
    model=Content, error=ContentError,
    patterns={"accent_colour": ("a hex colour", "use a hex colour such as \"#0b6e75\" (in quotes)"),
              "lang": ("a language code", "use a language tag such as en, en-US, es or es-419"),
              "id": ("a valid id", "ids use lower-case letters, digits and dashes, such as what-is-ot")},
    renamed={"faq_heading": "the FAQ's heading is a label now: write  labels:  then, indented,  faq: Your heading"},
)


def contrast(first: str, second: str) -> float:
    """The WCAG contrast ratio between two hex colours."""
    def luminance(colour: str) -> float:
        channels = [int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    light, dark = sorted((luminance(first), luminance(second)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def validate(loaded: Loaded) -> Content:
    """Validate loaded data into Content, raising the first problem with its location."""
    if not isinstance(loaded.data, dict):
        raise ContentError(f"expected keys such as 'title:' at the top level, got {describe(loaded.data)}",
                           hint=f"start from {EXAMPLE_CONTENT}", where=loaded.where(()))
    try:
        content = Content.model_validate(loaded.data)
    except ValidationError as exc:
        raise located(exc, loaded, WORDING) from None
    _check_ids(content, loaded)
    content._source = loaded
    return content


def _check_ids(content: Content, loaded: Loaded) -> None:
    """Refuse two sections with one id, since layouts may pin a section by its id."""
    seen: dict[str, int] = {}
    for index, section in enumerate(content.sections):
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
