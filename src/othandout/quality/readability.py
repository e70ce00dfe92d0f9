"""Reading level of a set of texts: Flesch-Kincaid grade and SMOG for English, Fernández-Huerta and
Szigriszt-Pazos (INFLESZ) for Spanish, and no formula (said plainly) for other languages.

English: the grade checked against a target is the Flesch-Kincaid grade; SMOG is shown beside it (it is
meant for 30 sentences or more and often reads a grade or two higher).

Spanish: Fernández-Huerta (1959, with the sign correction later published for its sentence term) is Flesch
Reading Ease refitted for Spanish, on a 0-100 scale where higher is easier, and published with a grade table:
90-100 grade 4, 80-90 grade 5, 70-80 grade 6, 60-70 grades 7-8, 50-60 pre-university, 30-50 university,
0-30 graduate. The comparable grade joins those bands linearly: 100 -> 4, 90 -> 5, 80 -> 6, 70 -> 7,
60 -> 9, 50 -> 12, 30 -> 16, 0 -> 18 (so grade 8 is a score of 65, the middle of "normal"). Szigriszt-Pazos
perspicuity is shown with its INFLESZ band (Barrio-Cantalejo 2008), for Spanish-speaking reviewers.

Why the formulas are computed here: each is one published line of arithmetic over counts of sentences, words
and syllables, and the counts are what matters. textstat, the maintained library for these formulas, counts
with its own sentence splitter and Pyphen's hyphenation patterns, which miscount Spanish syllables (see
syllables.py) and would not give the per-sentence lines the report prints. So the counts come from our sentence
model and syllables.py (syllapy for English), and the formulas are applied to them here.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from itertools import pairwise

from othandout.quality.model import Text
from othandout.quality.sentences import split_sentences, words
from othandout.quality.syllables import SYLLABLE_LANGUAGES, count

SMOG_SENTENCES = 30
_FH_GRADES = [(100.0, 4.0), (90.0, 5.0), (80.0, 6.0), (70.0, 7.0), (60.0, 9.0), (50.0, 12.0), (30.0, 16.0),
              (0.0, 18.0)]
_INFLESZ = [(80.0, "muy fácil (very easy)"), (65.0, "bastante fácil (fairly easy)"), (55.0, "normal"),
            (40.0, "algo difícil (somewhat hard)"), (float("-inf"), "muy difícil (very hard)")]


@dataclass(frozen=True)
class Measure:
    """One formula's result on its own scale."""

    name: str           # "Flesch-Kincaid grade", "SMOG", "Fernández-Huerta", "Szigriszt-Pazos"
    value: float
    scale: str          # "US school grade" or "0-100, higher is easier"
    band: str = ""      # a named band on that scale, when the formula has one


@dataclass(frozen=True)
class Score:
    """Counts and formulas for some text; `grade` is the comparable US school grade (None: no formula)."""

    words: int
    sentences: int
    syllables: int
    polysyllables: int
    measures: list[Measure]
    grade: float | None
    note: str = ""


def fh_grade(score: float) -> float:
    """The US grade band of a Fernández-Huerta score (see the module docstring for the table)."""
    if score >= _FH_GRADES[0][0]:
        return _FH_GRADES[0][1]
    for (high, high_grade), (low, low_grade) in pairwise(_FH_GRADES):
        if score >= low:
            return low_grade + (score - low) / (high - low) * (high_grade - low_grade)
    return _FH_GRADES[-1][1]


def inflesz(score: float) -> str:
    """The INFLESZ band of a Szigriszt-Pazos score."""
    return next(band for floor, band in _INFLESZ if score >= floor)


def _english(w: int, s: int, syl: int, poly: int) -> tuple[list[Measure], float, str]:
    """Flesch-Kincaid grade (the grade) and SMOG."""
    fk = 0.39 * w / s + 11.8 * syl / w - 15.59
    smog = 1.0430 * math.sqrt(poly * SMOG_SENTENCES / s) + 3.1291
    note = f"SMOG is meant for {SMOG_SENTENCES} sentences or more; this has {s}" if s < SMOG_SENTENCES else ""
    return ([Measure("Flesch-Kincaid grade", round(fk, 1), "US school grade"),
             Measure("SMOG", round(smog, 1), "US school grade")], max(0.0, fk), note)


def _spanish(w: int, s: int, syl: int) -> tuple[list[Measure], float, str]:
    """Fernández-Huerta (gives the grade) and Szigriszt-Pazos with its INFLESZ band."""
    fh = 206.84 - 60.0 * syl / w - 1.02 * w / s
    sp = 206.835 - 62.3 * syl / w - w / s
    return ([Measure("Fernández-Huerta", round(fh, 1), "0-100, higher is easier"),
             Measure("Szigriszt-Pazos", round(sp, 1), "0-100, higher is easier", inflesz(sp))], fh_grade(fh), "")


def score(texts: list[Text], lang: str) -> Score:
    """Count the texts' words, sentences and syllables and apply the language's formulas."""
    sentences = [sentence for text in texts for sentence in split_sentences(text.text, lang)]
    found = [word for sentence in sentences for word in words(sentence)]
    w, s = len(found), len(sentences)
    if lang not in SYLLABLE_LANGUAGES:
        return Score(w, s, 0, 0, [], None, f"no reading-grade formula for '{lang}' text; sentence lengths only")
    counts = [count(word, lang) for word in found]
    syl, poly = sum(counts), sum(1 for c in counts if c >= 3)
    if not w:
        return Score(0, 0, 0, 0, [], None, "no text")
    measures, grade, note = _english(w, s, syl, poly) if lang == "en" else _spanish(w, s, syl)
    return Score(w, s, syl, poly, measures, round(grade, 1), note)
