"""The seed's SEO rules: the focus phrase in the title, the intro and a section heading; a meta description
of at most 160 characters.

The phrase counts as present when it appears as written, or when all its words except function words
("what", "is", "for") appear, in any order, a plural counting as its singular (as common SEO tools do).
"""

from __future__ import annotations

from othandout.quality.langdata import LangData
from othandout.quality.model import Article, Check, Text, dotted
from othandout.quality.sentences import words

META_MAX = 160


def _stem(word: str) -> str:
    """A word in lower case without a simple plural ending."""
    word = word.lower().replace("\N{RIGHT SINGLE QUOTATION MARK}", "'")
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    return word[:-1] if word.endswith("s") and len(word) > 3 else word


def has_phrase(text: str, phrase: str) -> bool:
    """True when the text has the phrase as written (any case, any punctuation between words)."""
    have, want = [w.lower() for w in words(text)], [w.lower() for w in words(phrase)]
    return any(have[i:i + len(want)] == want for i in range(len(have) - len(want) + 1))


def missing_words(text: str, phrase: str, data: LangData) -> list[str]:
    """The focus phrase's words not in the text: [] when the phrase is there as written or all its words are."""
    if has_phrase(text, phrase):
        return []
    stems = {_stem(w) for w in words(text)}
    return [w for w in words(phrase) if w.lower() not in data.function_words and _stem(w) not in stems]


def _has(text: str, phrase: str) -> str:
    """How the text has the phrase: as written, or its words."""
    return f'"{phrase}"' if has_phrase(text, phrase) else f'the words of "{phrase}"'



def _in_text(name: str, text: Text | None, phrase: str, data: LangData) -> Check:
    """The phrase in one text (the title or the intro)."""
    if text is None or not text.text.strip():
        return Check(f"focus phrase in the {name}", False, f"there is no {name}; write one that uses \"{phrase}\"")
    missing = missing_words(text.text, phrase, data)
    if not missing:
        return Check(f"focus phrase in the {name}", True, f"the {name} has {_has(text.text, phrase)}")
    return Check(f"focus phrase in the {name}", False,
                 f'{text.where} {dotted(text.key)}: the {name} lacks "{", ".join(missing)}" from "{phrase}"')


def _in_heading(article: Article, phrase: str, data: LangData) -> Check:
    """The phrase in at least one section heading."""
    name = "focus phrase in a section heading"
    for part in article.parts:
        if not missing_words(part.heading, phrase, data):
            return Check(name, True, f'the heading "{part.heading}" has {_has(part.heading, phrase)}')
    return Check(name, False, f'no section heading has "{phrase}"; use it in one')


def _meta(article: Article) -> Check:
    """The meta description is set and at most META_MAX characters long."""
    name = f"meta description at most {META_MAX} characters"
    meta = article.meta_description
    if meta is None or not meta.text.strip():
        return Check(name, None, "no meta description is set")
    length = len(" ".join(meta.text.split()))
    if length <= META_MAX:
        return Check(name, True, f"the meta description has {length} characters")
    return Check(name, False, f"{meta.where} {dotted(meta.key)}: the meta description has {length} characters; "
                              f"cut it to {META_MAX} or fewer")


def seo_checks(article: Article, data: LangData) -> list[Check]:
    """The four SEO rules, each passed, failed or not judged (no focus phrase, no meta description)."""
    focus = article.focus_phrase
    phrase = " ".join(focus.text.split()) if focus else ""
    if not phrase:
        why = "no focus phrase is set"
        found = [Check(f"focus phrase in the {n}", None, why) for n in ("title", "intro")]
        found.append(Check("focus phrase in a section heading", None, why))
    else:
        found = [_in_text("title", article.title, phrase, data), _in_text("intro", article.intro, phrase, data),
                 _in_heading(article, phrase, data)]
    return [*found, _meta(article)]
