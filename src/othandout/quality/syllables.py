"""Count syllables: English with syllapy (a word list with a fallback rule), Spanish by its spelling rules.

Spanish is counted by vowel nuclei, which its spelling shows exactly: each group of vowels is one syllable,
plus one for each hiatus inside it (two of a, e, o, or an accented í or ú beside a, e or o: "le-er", "pa-ís",
"re-ú-ne"); the u of que, qui, gue, gui is silent; a final y is a vowel ("hoy", "muy", "y"). Pyphen's Spanish
hyphenation patterns were tried first: they never split a vowel pair or leave one vowel alone at a line end, so
they count "reúne", "ahí" and "poesía" one syllable short. Other languages have no syllable count here.
"""

from __future__ import annotations

import re
from functools import lru_cache

SYLLABLE_LANGUAGES = ("en", "es")
_PARTS = re.compile("[-\N{HYPHEN}\N{NON-BREAKING HYPHEN}.]")
_SPANISH_VOWELS = re.compile(r"[aeiouáéíóúü]+")
_SILENT_U = re.compile(r"(?<=[qg])u(?=[eiéí])")
_HIATUS = re.compile(r"(?=([aeoáéó][aeoáéóíú]|[íú][aeoáéó]))")


def _english_word(word: str) -> int:
    """Syllables in one English word (no hyphens), from syllapy."""
    import syllapy

    return int(syllapy.count(word.replace("\N{RIGHT SINGLE QUOTATION MARK}", "'")))


def _spanish_word(word: str) -> int:
    """Syllables in one Spanish word (no hyphens): its vowel groups plus the hiatus pairs inside them."""
    word = _SILENT_U.sub("", word.lower())
    word = word[:-1] + "i" if word.endswith("y") else word
    return sum(1 + len(_HIATUS.findall(group)) for group in _SPANISH_VOWELS.findall(word))


@lru_cache(maxsize=20000)
def count(word: str, lang: str) -> int:
    """Syllables in a word (parts of a hyphenated word added up); at least 1 for any word."""
    counter = _english_word if lang == "en" else _spanish_word
    parts = [part for part in _PARTS.split(word) if part]
    return max(1, sum(max(1, counter(part)) if part.isalpha() else 1 for part in parts))
