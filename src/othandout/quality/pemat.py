"""The PEMAT-P items a program can judge from the text alone, each as pass or fail with why, and their score.

Judged here (AHRQ PEMAT-P item numbers): 1 purpose evident, 4 medical terms defined, 8 short sections,
9 informative headers, 11 a summary, 20 at least one action the reader can take. Each is a rough proxy for
what a human rater decides: item 1 looks for the focus phrase (or the title's words) up front, not whether
the purpose is *completely* evident; item 4 knows only the terms on the plain-language list.

Not judged, because they need a person (or the printed page): 2 no distracting content, 3 common everyday
language (the word list is shown, but the item needs a reader's judgment), 5 active voice, 6 clear numbers,
7 no calculations, 10 logical order, 12 visual cues, 15-19 visual aids and tables, 21 addresses the reader
directly, 22 steps broken down, 23 a tangible tool, 25 using charts to act, 26 visual aids to act.
Items 13, 14 and 24 are for audiovisual material or calculations only.
"""

from __future__ import annotations

from othandout.quality.langdata import LangData
from othandout.quality.model import Article, Check, Part
from othandout.quality.plain_language import TERM, PlainHit
from othandout.quality.sentences import split_sentences, words
from othandout.quality.seo import missing_words

PEMAT_TARGET = 0.70
MAX_ITEMS = 7           # item 8: a section with more items than this is not a short chunk
MAX_WORDS = 150         # item 8: nor one with more words than this
_LEADING = ("please", "por favor", "you can", "you may", "puede", "puedes", "pueden")


def purpose(article: Article, data: LangData, lang: str) -> Check:
    """Item 1: the title or the intro's first sentence says what the handout is about."""
    name = "1 purpose stated up front"
    intro = (split_sentences(article.intro.text, lang) or [""])[0] if article.intro else ""
    focus = " ".join(article.focus_phrase.text.split()) if article.focus_phrase else ""
    if focus:
        for where, text in (("title", article.title.text), ("intro's first sentence", intro)):
            if not missing_words(text, focus, data):
                return Check(name, True, f'the {where} names the topic ("{focus}")')
        return Check(name, False, f'neither the title nor the intro\'s first sentence names the topic ("{focus}")')
    topic = [w.lower() for w in words(article.title.text) if w.lower() not in data.function_words]
    if len(words(article.title.text)) >= 3 and any(not missing_words(intro, w, data) for w in topic):
        return Check(name, True, "the title names the topic and the intro's first sentence takes it up")
    return Check(name, False, "the title and the intro's first sentence should both say what the handout is about")


def terms_defined(hits: list[PlainHit]) -> Check:
    """Item 4: every listed term is explained where the reader first meets it."""
    name = "4 terms explained"
    terms = [hit for hit in hits if hit.kind == TERM]
    left: dict[str, PlainHit] = {}
    for hit in terms:
        if not hit.defined:
            left.setdefault(hit.term, hit)
    if not left:
        return Check(name, True, "every listed term is explained where it first appears" if terms
                     else "no terms from the plain-language list")
    shown = "; ".join(f'"{hit.found}" ({hit.where})' for hit in list(left.values())[:3])
    return Check(name, False, f"{len(left)} listed terms are used without an explanation, e.g. {shown}")


def _part_words(part: Part) -> int:
    """How many words a part's texts have."""
    return sum(len(words(text.text)) for text in part.texts)


def chunked(article: Article) -> Check:
    """Item 8: every section is short (at most MAX_ITEMS items and MAX_WORDS words)."""
    name = "8 short sections"
    if sum(len(part.texts) for part in article.parts) <= 2:
        return Check(name, None, "very short material (two texts or fewer): not applicable")
    long = [p for p in article.parts if len(p.texts) > MAX_ITEMS or _part_words(p) > MAX_WORDS]
    if not long:
        return Check(name, True, f"every section has {MAX_ITEMS} items or fewer and {MAX_WORDS} words or fewer")
    shown = "; ".join(f'"{p.heading}" ({len(p.texts)} items, {_part_words(p)} words)' for p in long[:3])
    return Check(name, False, f"split long sections (over {MAX_ITEMS} items or {MAX_WORDS} words): {shown}")


def headings(article: Article, data: LangData) -> Check:
    """Item 9: every section has a heading of two words or more that is not generic ("More information")."""
    name = "9 informative headings"
    vague = data.generic_headings | data.function_words
    # The intro, summary and "in simple terms" box need no heading when they come as parts of their own.
    boxes = {t.key for t in (article.intro, article.summary, article.in_simple_terms) if t is not None}
    poor = [p for p in article.parts if p.key not in boxes
            and (len(words(p.heading)) < 2 or all(w.lower() in vague for w in words(p.heading)))]
    if not poor:
        return Check(name, True, "every section has a heading that says what it is about")
    shown = ", ".join(f'"{p.heading}"' if p.heading.strip() else "(no heading)" for p in poor[:3])
    return Check(name, False, f"say what the section is about in its heading: {shown}")


def summary(article: Article) -> Check:
    """Item 11: an "in simple terms" box or a summary is present."""
    name = "11 a summary"
    for label, text in (('an "in simple terms" box', article.in_simple_terms), ("a summary", article.summary)):
        if text is not None and text.text.strip():
            return Check(name, True, f"there is {label}")
    return Check(name, False, 'add an "in simple terms" box or a one-line summary')


def _first_word(text: str) -> str:
    """The first word of a step after "Please", "You can" and the like, in lower case."""
    plain = text.strip().lstrip("¡¿\"“'\N{LEFT SINGLE QUOTATION MARK}(").lower()
    for lead in _LEADING:
        if plain.startswith(lead + " ") or plain.startswith(lead + ","):
            plain = plain[len(lead):].lstrip(" ,")
    found = words(plain)
    return found[0] if found else ""


def call_to_action(article: Article, data: LangData) -> Check:
    """Item 20: at least one next step starts with a verb the reader can act on ("Call us ...")."""
    name = "20 a call to action"
    steps = [step for step in article.next_steps if step.text.strip()]
    if not steps:
        return Check(name, False, 'add a next step the reader can take, e.g. "Call us to ask about an evaluation"')
    if not data.action_verbs:
        return Check(name, True, f"{len(steps)} next steps (their verbs are not checked in this language)")
    acting = [step for step in steps if _first_word(step.text) in data.action_verbs]
    if acting:
        return Check(name, True, f'{len(acting)} of {len(steps)} next steps start with an action ("{acting[0].text}")')
    return Check(name, False, f'start a next step with what to do, e.g. "Call", "Ask", "Bring" ({steps[0].where})')


def pemat_checks(article: Article, data: LangData, lang: str, hits: list[PlainHit]) -> list[Check]:
    """The judged items in PEMAT-P order."""
    terms = terms_defined(hits) if data.shipped else Check("4 terms explained", None,
                                                            f"no plain-language list for '{lang}'")
    return [purpose(article, data, lang), terms, chunked(article), headings(article, data), summary(article),
            call_to_action(article, data)]


def pemat_score(checks: list[Check]) -> float | None:
    """Passed items over judged items (None when nothing could be judged)."""
    judged = [check for check in checks if check.passed is not None]
    return sum(1 for check in judged if check.passed) / len(judged) if judged else None
