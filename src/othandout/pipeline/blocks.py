"""The block registry: every block a layout can show, declared once with its template, anchor, heading and keys."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from othandout.pipeline.content import Content

Key = tuple[str | int, ...]
FLOW = "flow"        # in a manifest: the next flowing sections go here
SECTION = "section"  # in a manifest: {section: <id>} pins one section here when the content has it


@dataclass(frozen=True)
class Block:
    """One block: its manifest name, the content keys it prints, how a reader names it, and when it shows.

    Each function gets the content and the layout's audience (`parents`, `staff` or `everyone`)."""

    name: str
    keys: Callable[[Content, str], list[Key]]
    heading: Callable[[Content, dict[str, str]], str | None] = lambda content, words: None
    shows: Callable[[Content, str], bool] = lambda content, audience: True
    role: str | None = None   # the required part of every layout this block fills
    each: str | None = None   # entries carry their own anchors (`faq` -> faq-0, faq-1, ...)
    text: bool = True         # False when its height is not its text's (a logo, a QR code): cutting words won't help
    help: str = ""

    @property
    def template(self) -> str:
        """Its template, under layouts/_base/ (a layout may override it with a file of the same path)."""
        return f"blocks/{self.name}.html.j2"

    def anchor(self, index: int) -> str:
        """The element id of one entry of a list block, such as faq-2."""
        return f"{self.each or self.name}-{index}"


def title_key(content: Content, audience: str) -> Key:
    """The headline a layout prints: teacher_title on a staff layout when the content has one."""
    return ("teacher_title",) if audience == "staff" and content.teacher_title else ("title",)


def steps_key(content: Content, audience: str) -> str:
    """The call to action a layout prints: teacher_next_steps on a staff layout when the content has them."""
    return "teacher_next_steps" if audience == "staff" and content.teacher_next_steps else "next_steps"


def _org(*names: str) -> Callable[[Content, str], list[Key]]:
    """The filled-in organization keys among `names`."""
    return lambda c, a: [("organization", n) for n in names if getattr(c.organization, n)]


def _points(content: Content, audience: str) -> list[Key]:
    """The key points, or the first four section headings when there are none."""
    if content.key_points:
        return [("key_points", i) for i in range(len(content.key_points))]
    return [("sections", i, "heading") for i in range(len(content.sections))][:4]


BLOCKS: list[Block] = [
    Block("title", lambda c, a: [title_key(c, a)], role="title",
          help="the headline (teacher_title on a staff layout, when there is one)"),
    Block("summary", lambda c, a: [("summary",)], shows=lambda c, a: bool(c.summary), help="the one-line summary"),
    Block("intro", lambda c, a: [("intro",)], heading=lambda c, w: "introduction", shows=lambda c, a: bool(c.intro),
          help="the opening paragraph"),
    Block("in-simple-terms", lambda c, a: [("in_simple_terms",)], heading=lambda c, w: w["in_simple_terms"],
          shows=lambda c, a: bool(c.in_simple_terms), help="the boxed plain-words summary"),
    Block("key-points", _points, heading=lambda c, w: w["key_points"], each="key-points",
          help="key_points, or the first four section headings when there are none"),
    Block("next-steps", lambda c, a: [(steps_key(c, a), i) for i in range(len(getattr(c, steps_key(c, a))))],
          heading=lambda c, w: w["next_steps"], shows=lambda c, a: bool(getattr(c, steps_key(c, a))),
          each="next-steps", help="the call to action: what the reader can do next"),
    Block("faq", lambda c, a: [("faq", i, "answer") for i in range(len(c.faq))], heading=lambda c, w: w["faq"],
          shows=lambda c, a: bool(c.faq), each="faq", help="the questions and answers"),
    Block("org", _org("name", "tagline"), role="organization", text=False, help="logo, name and tagline"),
    Block("contact", _org("phone", "email", "website", "address"), heading=lambda c, w: w["contact"],
          shows=lambda c, a: c.organization.reachable(), role="contact", help="phone, email, website and address"),
    Block("qr", lambda c, a: [("qr",)] if c.qr else [("web_url",)] if c.web_url else _org("website")(c, a),
          shows=lambda c, a: bool(c.qr_target()), text=False, help="a QR code to the web page, with its short address"),
    Block("about", lambda c, a: [k for k in (("reviewed",), ("sources",)) if c.text_at(k)],
          shows=lambda c, a: bool(c.reviewed or c.sources), help="the reviewed date and the sources line"),
    Block("footer-note", lambda c, a: [("footer_note",)], role="footer-note", help="the bottom note, on every handout"),
]
REGISTRY: dict[str, Block] = {block.name: block for block in BLOCKS}


@dataclass(frozen=True)
class Piece:
    """A run of one section's items placed in one slot: the whole section, or its continuation."""

    section: int
    first: int
    last: int                 # exclusive
    pinned: bool = False
    anchors: list[str] = field(default_factory=list)

    @property
    def continued(self) -> bool:
        """True when this piece does not start at the section's first item."""
        return self.first > 0

    @property
    def anchor(self) -> str:
        """The element id of this piece."""
        return f"piece-{self.section}-{self.first}"


def item_anchor(section: int, item: int) -> str:
    """The element id of one bullet of a section."""
    return f"item-{section}-{item}"


def section_keys(content: Content, piece: Piece, condensed: bool) -> list[tuple[str, Key]]:
    """The bullets a piece prints, as (anchor, content key) pairs."""
    items = content.sections[piece.section].items
    return [(item_anchor(piece.section, n), ("sections", piece.section, "items", n,
                                             "short" if condensed and items[n].short else "text"))
            for n in range(piece.first, piece.last)]


def known(name: str) -> bool:
    """True for a block name a manifest may use."""
    return name in REGISTRY or name == FLOW
