"""Split text into sentences and words, and find sentences that run long.

Each content text is its own unit, so a list item without a final period is one sentence. Inside a text, a
sentence ends at `.`, `!`, `?` or `…` (after any closing quote or bracket) when the next word starts with a
capital, a digit, `¿`, `¡` or an opening quote, and at a line break (a blank line in a `>-` block). A period
inside a listed abbreviation ("e.g.", "Dr.", "p. ej.") never ends a sentence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from othandout.quality.langdata import lang_data
from othandout.quality.model import Key, Text, dotted

LONG_SENTENCE = 20
QUOTE_WORDS = 6
WORD = re.compile("[^\\W_]+(?:[-\N{HYPHEN}\N{NON-BREAKING HYPHEN}'\N{RIGHT SINGLE QUOTATION MARK}.][^\\W_]+)*")
_BOUNDARY = re.compile("[.!?…]+[\"”\N{RIGHT SINGLE QUOTATION MARK}»)\\]]*\\s+|\\s*\n\\s*")
_OPENERS = "¿¡\"“\N{LEFT SINGLE QUOTATION MARK}«([„"
_HIDDEN_DOT = "\u2024"  # ONE DOT LEADER stands in for a period inside an abbreviation while splitting


@dataclass(frozen=True)
class LongSentence:
    """A sentence over the limit, with where it is and its opening words."""

    key: Key
    where: str
    words: int
    quote: str

    @property
    def message(self) -> str:
        """The line for the author: where, how long, the opening words and the aim."""
        return (f'{self.where} {dotted(self.key)}: {self.words} words in one sentence ("{self.quote}"); '
                f"aim for {LONG_SENTENCE} or fewer")


@lru_cache(maxsize=8)
def _abbreviations(lang: str) -> re.Pattern[str] | None:
    """One pattern for the language's abbreviations, any case, any spacing after an inner period."""
    names = sorted(lang_data(lang).abbreviations, key=len, reverse=True)
    if not names:
        return None
    alternatives = [r"\.\s*".join(re.escape(piece.strip()) for piece in name.split(".")) for name in names]
    return re.compile(r"(?<![^\W\d_])(?:" + "|".join(alternatives) + r")", re.IGNORECASE)


def _hide_abbreviation_dots(text: str, lang: str) -> str:
    """Replace the periods inside abbreviations so they cannot end a sentence."""
    pattern = _abbreviations(lang)
    return pattern.sub(lambda m: m.group().replace(".", _HIDDEN_DOT), text) if pattern else text


def split_sentences(text: str, lang: str) -> list[str]:
    """The sentences of one text, in order, with their own punctuation."""
    hidden = _hide_abbreviation_dots(text, lang)
    sentences, start = [], 0
    for match in _BOUNDARY.finditer(hidden):
        rest = hidden[match.end():]
        if "\n" in match.group() or (rest and (rest[0].isupper() or rest[0].isdigit() or rest[0] in _OPENERS)):
            sentences.append(hidden[start:match.end()])
            start = match.end()
    sentences.append(hidden[start:])
    return [s.strip().replace(_HIDDEN_DOT, ".") for s in sentences if WORD.search(s)]


def words(text: str) -> list[str]:
    """The words of a text: letters and digits, joined by hyphens, apostrophes or inner periods."""
    return WORD.findall(text)


def quote(sentence: str, count: int = QUOTE_WORDS) -> str:
    """The sentence's first few words, then an ellipsis when there is more."""
    found = list(WORD.finditer(sentence))
    if len(found) <= count:
        return sentence.strip()
    return sentence[:found[count - 1].end()].strip() + "…"


def long_sentences(texts: list[Text], lang: str, limit: int = LONG_SENTENCE) -> list[LongSentence]:
    """Every sentence over `limit` words, in reading order."""
    found = []
    for text in texts:
        for sentence in split_sentences(text.text, lang):
            count = len(words(sentence))
            if count > limit:
                found.append(LongSentence(text.key, text.where, count, quote(sentence)))
    return found
