"""The bundled fonts: the main face, the fallbacks for other scripts, which characters each can draw, and typesetting.

Every word is drawn in one face: a word with a character the main face lacks is set whole in the first fallback
that has all of its characters, so no word mixes fonts. A character no bundled font has is an error, located."""

from __future__ import annotations

import html
import json
import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from markupsafe import Markup

from othandout.pipeline.files import Roots, read_bytes


@dataclass(frozen=True)
class Face:
    """One bundled family: its CSS name, the class that selects it, and its package folder."""

    family: str
    css_class: str
    package: str
    rtl: bool = False

    @property
    def root(self) -> Path:
        """The package folder holding its files."""
        module = __import__(self.package)
        return Path(module.ROOT)


MAIN = Face("Atkinson Hyperlegible", "", "fontpkg_atkinson_hyperlegible")
FALLBACKS = (Face("Noto Sans", "fb-latin", "fontpkg_noto_sans"),
             Face("Tajawal", "fb-arabic", "fontpkg_tajawal", rtl=True),
             Face("Noto Sans Arabic", "fb-arabic-more", "fontpkg_noto_sans_arabic", rtl=True),
             Face("Heebo", "fb-hebrew", "fontpkg_heebo", rtl=True))
FACES = (MAIN, *FALLBACKS)
# Characters the main face lacks that print as their nearest equivalent, so no fallback face is needed.
SUBSTITUTES = str.maketrans({"\u2010": "-", "\u2009": " ", "\u202f": "\u00a0", "\u00ad": ""})
NO_BREAK_HYPHEN = "\u2011"
ZERO_WIDTH_SPACE = "\u200b"  # a break opportunity that prints nothing and stays out of the PDF's text
WORD_JOINER = "\u2060"       # no break here: keeps a dash or closing mark on the line of the word before it
GLUED_DASH = re.compile(r"(?<=\S)([\u2013\u2014])")
WORD = re.compile(r"\S+")
GLUED_CHARS = 16  # a heading's last two words shorter than this together share a line (see heading())
# A right-to-left run: words of one script (Hebrew, or Arabic) with the spaces, digits and punctuation between
# them. A comma between an Arabic and a Hebrew word ends the run, so a list of language names keeps its order.
_HEBREW, _ARABIC = "\u0590-\u05ff\ufb1d-\ufb4f", "\u0600-\u08ff\ufb50-\ufdff\ufe70-\ufeff"
RTL = re.compile("|".join(f"[{s}]+(?:[\\s{s}.,:;!?()0-9-]*[{s}])?" for s in (_HEBREW, _ARABIC)))
ISOLATE, POP = "\u2067", "\u2069"  # right-to-left isolate: the run is ordered on its own, whatever surrounds it


def bundled(family: str) -> bool:
    """True for a family othandout ships (so it knows every character it can draw)."""
    return family in {face.family for face in FACES}


def font_files(face: Face) -> list[dict]:
    """The font files of a face with their weight and style, from its package's metadata."""
    return json.loads(read_bytes(face.root / "metadata.json", Roots.of(face.root), 256 * 1024))["files"]


@cache
def codepoints(face: Face) -> frozenset[int]:
    """Every character a face's regular file can draw."""
    from fontTools.ttLib import TTFont

    regular = next(f for f in font_files(face) if f["style"] == "normal")
    return frozenset(TTFont(str(face.root / regular["path"]), lazy=True).getBestCmap())


def drawable(char: str) -> bool:
    """True when some bundled face draws the character (spaces and invisible format characters always pass)."""
    if char.isspace() or unicodedata.category(char) == "Cf" or char == NO_BREAK_HYPHEN:
        return True
    sub = char.translate(SUBSTITUTES)
    return not sub or any(ord(sub) in codepoints(face) for face in FACES)


def face_for(word: str) -> Face | None:
    """The face a word is set in: the main face when it has every character, else the first fallback that does."""
    codes = {ord(c) for c in word.translate(SUBSTITUTES) if not c.isspace()} - {0x2011}
    return next((face for face in FACES if codes <= codepoints(face)), None)


def font_css() -> str:
    """@font-face rules for every bundled face (variable files declare their weight range)."""
    rules = []
    for face in FACES:
        for f in font_files(face):  # a variable file (no fixed weight) serves both weights the layouts use
            for weight in [f["weight"]] if f["weight"] else [400, 700]:
                rules.append(f"@font-face {{ font-family: '{face.family}'; src: url('{(face.root / f['path']).as_uri()}'); "
                             f"font-weight: {weight}; font-style: {f['style']}; }}")
    # A fallback face draws each precomposed letter as one glyph (no `ccmp` decomposition into base + mark, whose
    # shared glyphs make copied text read "Mnh" for "Minh"); Arabic and Hebrew are never slanted (no italic there,
    # and asking for one would fetch a system font).
    classes = [f".{face.css_class} {{ font-family: '{face.family}'; font-feature-settings: \"ccmp\" 0;"
               f"{' font-style: normal;' if face.rtl else ''} }}" for face in FALLBACKS]
    return "\n".join([*rules, *classes])


def roots() -> list[Path]:
    """The folders the renderer may read fonts from."""
    return [face.root for face in FACES]


def typeset(text: str) -> Markup:
    """Escape text for HTML; set words the main face lacks in a fallback, keep non-breaking hyphens unbroken."""
    out = []
    last = 0
    for found in WORD.finditer(text):
        out.append(html.escape(text[last:found.start()]))
        out.append(_word(found.group()))
        last = found.end()
    out.append(html.escape(text[last:]))
    return Markup(_isolate_rtl(GLUED_DASH.sub(WORD_JOINER + r"\1", "".join(out))))


def heading(text: str, glue: int = GLUED_CHARS) -> Markup:
    """A heading, typeset so its last line never holds a single word: the last two words share a line when
    they are shorter than `glue` characters together (a column's heading can glue more than a cover's large
    title in a narrow panel, where a longer pair could not wrap)."""
    words = text.split()
    if len(words) >= 3 and len(words[-2]) + len(words[-1]) < glue:
        text = "\u00a0".join(text.rsplit(" ", 1))
    return typeset(text)


def continued(text: str, mark: str, glue: int = 24) -> Markup:
    """A section's heading carried on to the next column: its last word, or last two when they are shorter than
    `glue` together, and the smaller "(continued)" mark stay on one line (a no-break space before a span of
    another size makes the renderer break the line too early, so the run is one no-wrap span)."""
    words = text.split(" ")
    kept = 2 if len(words) >= 3 and len(words[-2]) + len(words[-1]) < glue else 1
    head, last = " ".join(words[:-kept]), " ".join(words[-kept:])
    return Markup(f'{typeset(head + " ") if head else ""}<span class="nobr">{typeset(last)} '
                  f'<span class="continued-mark">({typeset(mark)})</span></span>')


def _word(word: str) -> str:
    """One word, escaped, wrapped in its fallback face and in a no-break span when it holds U+2011."""
    face = face_for(word)
    shown = html.escape(word.translate(SUBSTITUTES).replace(NO_BREAK_HYPHEN, "-"))
    if NO_BREAK_HYPHEN in word:
        shown = f'<span class="nobr">{shown}</span>'
    if face is not None and face is not MAIN and not face.rtl:
        shown = f'<span class="{face.css_class}">{shown}</span>'
    return shown


def _isolate_rtl(escaped: str) -> str:
    """Wrap each right-to-left run (Arabic, Hebrew) in a span with its direction and face, and isolate it with
    Unicode's own marks, which the renderer follows (it ignores CSS `unicode-bidi: isolate`)."""
    def wrap(found: re.Match[str]) -> str:
        run = found.group()
        face = face_for(html.unescape(run)) or FALLBACKS[1]
        return f'<span class="rtl {face.css_class}" dir="rtl">{ISOLATE}{run}{POP}</span>'
    return RTL.sub(wrap, escaped)


def address(text: str, mark: str = ZERO_WIDTH_SPACE) -> Markup:
    """A phone number, email or web address: never hyphenated, breakable only after / . @ or - (nothing inserted
    into the PDF's text). A web page passes "<wbr>", so a reader who copies the address copies only it."""
    parts = re.split(r"(?<=[/.@-])", text)
    return Markup(mark.join(html.escape(p) for p in parts))


def web_address(text: str) -> Markup:
    """An address on the web page: breakable after / . @ or - with <wbr>, which copies as nothing."""
    return address(text, "<wbr>")
