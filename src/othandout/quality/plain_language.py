"""Find words from the plain-language list: hard terms that need explaining and words with a plainer swap.

A term counts as explained (and is not flagged) where parentheses follow it, "fine motor skills (small hand
movements)", or where it is itself in parentheses after an explanation, "small hand movements (fine motor
skills)". Once explained, it stays explained for the rest of that section. Matching is by whole words and
phrases, in any case, and also finds the plural of the last word (in English also its -ed and -ing forms).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from othandout.quality.langdata import lang_data
from othandout.quality.model import Article, Key, Text, dotted

TERM, WORD = "term", "word"
_APOSTROPHES = "['\N{RIGHT SINGLE QUOTATION MARK}]"
_HYPHENS = "\N{HYPHEN}\N{NON-BREAKING HYPHEN}-"  # the ASCII hyphen last, so it is literal inside [...]


@dataclass(frozen=True)
class PlainHit:
    """One use of a listed word: where, as written, the list's entry and whether the text explains it."""

    key: Key
    where: str
    found: str
    term: str
    plain: str
    kind: str           # TERM (keep it, but explain it) or WORD (swap it)
    defined: bool

    @property
    def message(self) -> str:
        """The line for the author."""
        if self.kind == TERM:
            return f'{self.where} {dotted(self.key)}: "{self.found}" is not explained; try "{self.plain}"'
        return f'{self.where} {dotted(self.key)}: "{self.found}"; try "{self.plain}"'


def _endings(word: str, lang: str) -> set[str]:
    """The word with simple plural (and, in English, -ed/-ing) endings added or taken off."""
    forms = {word, word + "s"}
    if lang == "en":
        forms |= {word + "es", word + "ed", word + "d", word + "ing", word[:-1] + "ing"} if word.endswith("e") \
            else {word + "es", word + "ed", word + "ing"}
        if word.endswith("y"):
            forms |= {word[:-1] + "ies", word[:-1] + "ied"}
    elif lang == "es":
        forms.add(word + "es")
        if word.endswith("ón"):
            forms.add(word[:-2] + "ones")
        if word.endswith("z"):
            forms.add(word[:-1] + "ces")
    if word.endswith("s") and len(word) > 3:
        forms.add(word[:-1])
        if word.endswith(("es", "ies")):
            forms.add(word[:-3] + "y" if word.endswith("ies") else word[:-2])
    return forms


def _forms(entry: str, lang: str) -> set[str]:
    """Every form of an entry that matches: the last word varies, the words before it do not."""
    head, _, last = entry.lower().rpartition(" ")
    return {f"{head} {form}".strip() for form in _endings(last, lang)}


def _normal(text: str) -> str:
    """Lower case, one space between words, one kind of hyphen and apostrophe."""
    text = re.sub(r"\s+", " ", text.lower()).replace("\N{RIGHT SINGLE QUOTATION MARK}", "'")
    return re.sub(f"[{_HYPHENS}]", "-", text)


@lru_cache(maxsize=16)
def _matcher(entries: tuple[tuple[str, str, str], ...], lang: str) -> tuple[re.Pattern[str], dict[str, str]]:
    """One pattern for all entries (longest first) and a map from each matching form to its entry."""
    by_form = {_normal(form): term for term, _, _ in entries for form in _forms(term, lang)}
    pieces = [re.escape(form).replace(r"\ ", r"\s+").replace(r"\-", f"[{_HYPHENS}]").replace("'", _APOSTROPHES)
              for form in sorted(by_form, key=len, reverse=True)]
    boundary_before, boundary_after = rf"(?<![\w{_HYPHENS}])", rf"(?![\w{_HYPHENS}])"
    pattern = re.compile(boundary_before + "(?:" + "|".join(pieces) + ")" + boundary_after, re.IGNORECASE)
    return pattern, by_form


def entries(lang: str, extra: dict[str, str]) -> dict[str, tuple[str, str]]:
    """The list for a language plus the content's own words: term -> (plain alternative, kind)."""
    data = lang_data(lang)
    found = {term: (plain, TERM) for term, plain in data.terms.items()}
    found.update({term: (plain, WORD) for term, plain in data.words.items()})
    found.update({str(term): (str(plain), WORD) for term, plain in extra.items() if str(term).strip()})
    return found


def _explained(text: str, start: int, end: int) -> bool:
    """True when parentheses follow the match, or the match is itself in parentheses."""
    return text[end:].lstrip().startswith("(") or (text[:start].rstrip().endswith("(")
                                                   and text[end:].lstrip().startswith(")"))


def _scan(scope: list[Text], table: dict[str, tuple[str, str]], lang: str) -> list[PlainHit]:
    """Every listed word in one section's texts, explained where the section has explained it before."""
    if not table:
        return []
    pattern, by_form = _matcher(tuple((t, p, k) for t, (p, k) in sorted(table.items())), lang)
    explained: set[str] = set()
    hits = []
    for text in scope:
        for match in pattern.finditer(text.text):
            term = by_form[_normal(match.group())]
            plain, kind = table[term]
            here = _explained(text.text, match.start(), match.end())
            hits.append(PlainHit(text.key, text.where, match.group(), term, plain, kind, here or term in explained))
            if here:
                explained.add(term)
    return hits


def scopes(article: Article) -> list[list[Text]]:
    """The texts grouped as a reader meets them: each section together, every other text on its own."""
    groups = [[t] for t in (article.title, article.intro, article.summary, article.in_simple_terms) if t]
    groups += [list(part.texts) for part in article.parts] + [[t] for t in article.next_steps]
    seen: set[Key] = set()
    unique = []
    for group in groups:
        kept = [t for t in group if t.key not in seen]
        seen.update(t.key for t in kept)
        if kept:
            unique.append(kept)
    return unique


def find_plain(article: Article, lang: str) -> list[PlainHit]:
    """Every use of a listed word in the article, in reading order, explained or not."""
    table = entries(lang, article.extra_plain_words)
    return [hit for scope in scopes(article) for hit in _scan(scope, table, lang)]
