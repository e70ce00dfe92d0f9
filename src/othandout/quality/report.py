"""Put the checks together: reading level per section and per layout, long sentences, listed words, SEO and
PEMAT-P, and the targets missed (for `--strict`)."""

from __future__ import annotations

from dataclasses import dataclass

from othandout.quality.langdata import lang_data, language
from othandout.quality.model import Article, Audience, Check, Key, dotted, reader_texts
from othandout.quality.pemat import PEMAT_TARGET, pemat_checks, pemat_score
from othandout.quality.plain_language import PlainHit, find_plain
from othandout.quality.readability import Score, score
from othandout.quality.sentences import LongSentence, long_sentences
from othandout.quality.seo import seo_checks
from othandout.quality.syllables import SYLLABLE_LANGUAGES

HARDEST_SHOWN = 3


@dataclass(frozen=True)
class PartScore:
    """One section's reading level."""

    key: Key
    heading: str
    score: Score

    @property
    def label(self) -> str:
        """The heading, or the key path for a part shown without one (the intro)."""
        return self.heading.strip() or dotted(self.key)


@dataclass(frozen=True)
class LayoutScore:
    """One layout's reading level (the parts it prints, together) against its audience's target."""

    name: str
    target: float
    score: Score
    passed: bool | None                 # None: no formula for this language, or no text
    hardest: list[PartScore]            # its sections over the target, hardest first

    @property
    def message(self) -> str:
        """The missed target in plain words."""
        hardest = ", ".join(f'"{p.label}" ({p.score.grade:.1f})' for p in self.hardest[:HARDEST_SHOWN])
        formula = self.score.measures[0]
        source = "Flesch-Kincaid" if formula.name.startswith("Flesch") else f"from {formula.name} {formula.value:.1f}"
        return (f"{self.name}: reads at grade {self.score.grade:.1f} ({source}); "
                f"the target is grade {self.target:g} or below"
                + (f". Hardest sections: {hardest}" if hardest else ""))


@dataclass(frozen=True)
class Report:
    """Everything `othandout check` says about readability; `missed` lists the targets missed."""

    lang: str
    notes: list[str]
    parts: list[PartScore]
    layouts: list[LayoutScore]
    long_sentences: list[LongSentence]
    plain_words: list[PlainHit]         # listed words the text does not explain
    seo: list[Check]
    pemat: list[Check]
    pemat_score: float | None
    pemat_target: float = PEMAT_TARGET

    @property
    def missed(self) -> list[str]:
        """Targets missed, in plain words: reading grade per layout, failed SEO rules, the PEMAT-P 70% line."""
        found = [layout.message for layout in self.layouts if layout.passed is False]
        found += [f"SEO: {check.name}: {check.why}" for check in self.seo if check.passed is False]
        if self.pemat_score is not None and self.pemat_score < self.pemat_target:
            judged = [c for c in self.pemat if c.passed is not None]
            passed = sum(1 for c in judged if c.passed)
            found.append(f"PEMAT-P: {passed} of {len(judged)} items a program can judge pass "
                         f"({self.pemat_score:.0%}); the target is {self.pemat_target:.0%}")
        return found


def _layout(audience: Audience, article: Article, parts: list[PartScore], lang: str) -> LayoutScore:
    """Score the parts a layout prints, together, against its target."""
    wanted = {tuple(key) for key in audience.part_keys}
    texts = [text for part in article.parts if part.key in wanted for text in part.texts]
    together = score(texts, lang)
    passed = None if together.grade is None else together.grade <= audience.grade_target
    over = [p for p in parts if p.key in wanted and p.score.grade is not None and p.score.grade > audience.grade_target]
    hardest = sorted(over, key=lambda p: p.score.grade or 0.0, reverse=True)
    return LayoutScore(audience.name, audience.grade_target, together, passed, hardest)


def _notes(article: Article, audiences: list[Audience], lang: str) -> list[str]:
    """Plain notes on what could not be judged, and layout parts the article lacks."""
    notes = []
    if lang not in SYLLABLE_LANGUAGES:
        notes.append(f"No reading-grade formula for '{article.lang}' text: sentence lengths and word lists only.")
    if not lang_data(lang).shipped:
        notes.append(f"No plain-language list ships for '{article.lang}'; only the content's own words are checked.")
    keys = {part.key for part in article.parts}
    for audience in audiences:
        unknown = [dotted(tuple(k)) for k in audience.part_keys if tuple(k) not in keys]
        if unknown:
            notes.append(f"{audience.name}: the article has no {', '.join(unknown)}; left out of its reading level.")
    return notes


def report(article: Article, audiences: list[Audience]) -> Report:
    """Run every check on the article for the given layouts' audiences."""
    lang = language(article.lang)
    data = lang_data(lang)
    parts = [PartScore(part.key, part.heading, score(part.texts, lang)) for part in article.parts]
    hits = find_plain(article, lang)
    seo = seo_checks(article, data)
    pemat = pemat_checks(article, data, lang, hits)
    return Report(
        lang=article.lang,
        notes=_notes(article, audiences, lang),
        parts=parts,
        layouts=[_layout(audience, article, parts, lang) for audience in audiences],
        long_sentences=long_sentences(reader_texts(article), lang),
        plain_words=[hit for hit in hits if not hit.defined],
        seo=seo,
        pemat=pemat,
        pemat_score=pemat_score(pemat),
    )
