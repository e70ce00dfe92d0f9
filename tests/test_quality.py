"""othandout.quality: reading grades, long sentences, the plain-language list, SEO rules, PEMAT-P items, the report."""

from __future__ import annotations

import dataclasses
import json
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from quality_support import ROOT, article_from_content, audiences

from othandout.quality import Article, Audience, Part, Text, format_table, report, to_json
from othandout.quality.langdata import lang_data
from othandout.quality.readability import fh_grade, score
from othandout.quality.sentences import split_sentences
from othandout.quality.syllables import count

CONTENT = ROOT / "content.yaml"
THIRTY = ("Children who find it hard to hold a pencil or use scissors often get help from an occupational "
          "therapist who plans short play sessions around the daily skills they need.")


def text(key: tuple, value: str, line: int = 1) -> Text:
    """A Text at a made-up place in content.yaml."""
    return Text(key, value, f"content.yaml:{line}:7")


def section(index: int, heading: str, *items: str) -> Part:
    """A section part whose items are texts at lines 40, 41, ..."""
    return Part(("sections", index), heading,
                [text(("sections", index, "items", j, "text"), item, 40 + j) for j, item in enumerate(items)])


def easy_article(**changes: object) -> Article:
    """A short, plain English handout that meets every target; `changes` replace its fields."""
    article = Article(
        lang="en",
        title=text(("title",), "What is occupational therapy for kids?", 4),
        intro=text(("intro",), "Occupational therapy for kids helps children do everyday things. It is fun.", 9),
        summary=text(("summary",), "OT helps kids play, learn and care for themselves.", 7),
        in_simple_terms=text(("in_simple_terms",), "OT helps kids do the jobs of childhood.", 12),
        parts=[section(0, "What occupational therapy for kids is", "OT helps kids with daily tasks.",
                       "Kids play games that build skills."),
               section(1, "What happens in a visit", "The therapist watches your child play.",
                       "Then you talk about goals.")],
        next_steps=[text(("next_steps", 0), "Call us to ask about an evaluation.", 90)],
        focus_phrase=text(("seo", "focus_phrase"), "what is occupational therapy for kids", 95),
        meta_description=text(("seo", "meta_description"), "Learn what OT for kids is and how it helps.", 96),
    )
    return dataclasses.replace(article, **changes)


EVERYONE = [Audience("parents handout", 8.0, [("sections", 0), ("sections", 1)])]


def check(found: list, name: str):
    """The check whose name starts with `name`."""
    return next(c for c in found if c.name.startswith(name))


# Sentences -----------------------------------------------------------------------------------------------------

def test_abbreviations_do_not_end_a_sentence() -> None:
    found = split_sentences("Kids (e.g., those with ADHD) see Dr. Lee at 9 a.m. on Monday, i.e. before school. "
                            "Bring a snack.", "en")
    assert found == ["Kids (e.g., those with ADHD) see Dr. Lee at 9 a.m. on Monday, i.e. before school.",
                     "Bring a snack."]


def test_spanish_question_and_exclamation_marks_end_sentences() -> None:
    found = split_sentences("¿Qué es la terapia ocupacional? ¡Es divertida! La Dra. Ruiz, p. ej. en la escuela, "
                            "ayuda a los niños.", "es")
    assert found == ["¿Qué es la terapia ocupacional?", "¡Es divertida!",
                     "La Dra. Ruiz, p. ej. en la escuela, ayuda a los niños."]


def test_each_list_item_is_its_own_sentence_even_without_a_period() -> None:
    items = [text(("sections", 0, "items", j, "text"), item) for j, item in
             enumerate(["Trouble holding a pencil", "Trouble with buttons and zippers", "Tires fast in PE"])]
    assert score(items, "en").sentences == 3
    assert split_sentences("First line\nSecond line", "en") == ["First line", "Second line"]


# Long sentences --------------------------------------------------------------------------------------------

def test_a_30_word_sentence_is_listed_with_its_place_and_opening_words() -> None:
    article = easy_article(parts=[section(0, "Who OT helps", "Kids with many needs see OTs.", THIRTY)])
    found = report(article, EVERYONE).long_sentences
    assert [s.message for s in found] == [
        'content.yaml:41:7 sections[0].items[1].text: 30 words in one sentence ("Children who find it hard to…"); '
        "aim for 20 or fewer"]


def test_a_20_word_sentence_is_not_long() -> None:
    twenty = " ".join(THIRTY.split()[:19]) + " today."
    article = easy_article(parts=[section(0, "Who OT helps", twenty)])
    assert report(article, EVERYONE).long_sentences == []


# Syllables and reading grades ------------------------------------------------------------------------------

@pytest.mark.parametrize(("word", "syllables"), [
    ("niños", 2), ("terapia", 3), ("ocupacional", 5), ("actividades", 5), ("que", 1), ("guerra", 2), ("guía", 2),
    ("pingüino", 3), ("hoy", 1), ("y", 1), ("cuidado", 3), ("ciudad", 2), ("guion", 1),
    # hiatus and vowel-h-vowel: pyphen's hyphenation counts these one short
    ("poesía", 4), ("país", 2), ("leer", 2), ("oído", 3), ("reúne", 3), ("ahí", 2), ("búho", 2), ("aéreo", 4)])
def test_spanish_syllables(word: str, syllables: int) -> None:
    assert count(word, "es") == syllables


@pytest.mark.parametrize(("word", "syllables"), [
    ("occupational", 5), ("therapy", 3), ("children", 2), ("self-regulation", 5), ("kids", 1), ("child’s", 1)])
def test_english_syllables(word: str, syllables: int) -> None:
    assert count(word, "en") == syllables


def test_english_is_scored_with_flesch_kincaid_and_smog() -> None:
    found = score([text(("intro",), "Occupational therapy helps children.")], "en")
    assert (found.words, found.sentences, found.syllables, found.polysyllables) == (4, 1, 11, 2)
    assert {m.name: m.value for m in found.measures} == {"Flesch-Kincaid grade": 18.4, "SMOG": 11.2}
    assert found.grade == 18.4


@pytest.mark.parametrize("tag", ["es", "es-419", "es_MX"])
def test_spanish_is_scored_with_the_spanish_formulas(tag: str) -> None:
    article = easy_article(lang=tag, parts=[section(0, "Qué es", "La niña come pan.")])
    [part] = report(article, []).parts
    measures = {m.name: m for m in part.score.measures}
    assert set(measures) == {"Fernández-Huerta", "Szigriszt-Pazos"}
    assert measures["Fernández-Huerta"].value == 112.8  # 206.84 - 60 * 6/4 - 1.02 * 4
    assert measures["Szigriszt-Pazos"].band.startswith("muy fácil")
    assert part.score.grade == 4.0


def test_a_spanish_layout_target_is_checked_on_the_mapped_grade() -> None:
    hard = ("La intervención terapéutica individualizada favorece la adquisición progresiva de habilidades "
            "comunicativas, cognitivas y socioemocionales imprescindibles para la participación escolar.")
    article = easy_article(lang="es", parts=[section(0, "Qué es", hard)], focus_phrase=None)
    found = report(article, [Audience("folleto para padres", 8.0, [("sections", 0)])])
    [missed] = [line for line in found.missed if line.startswith("folleto")]
    assert re.match(r"folleto para padres: reads at grade \d+\.\d \(from Fernández-Huerta -?\d+\.\d\); "
                    r"the target is grade 8 or below", missed), missed
    assert all(len(line) <= 100 for line in format_table(found).splitlines())


def test_harder_spanish_reads_at_a_higher_grade() -> None:
    easy = score([text(("a",), "La niña come pan. El sol sale. Mi casa es azul.")], "es")
    hard = score([text(("a",), "La intervención terapéutica individualizada favorece la adquisición progresiva de "
                               "habilidades comunicativas, cognitivas y socioemocionales imprescindibles.")], "es")
    assert easy.grade is not None and hard.grade is not None
    assert hard.grade > 12 > 6 > easy.grade


@pytest.mark.parametrize(("fh", "grade"), [(100, 4), (90, 5), (80, 6), (70, 7), (65, 8), (60, 9), (50, 12), (30, 16),
                                           (0, 18), (120, 4), (-10, 18)])
def test_fernandez_huerta_grade_bands(fh: float, grade: float) -> None:
    assert fh_grade(fh) == grade


def test_a_language_without_a_formula_is_said_plainly_and_misses_nothing() -> None:
    long_fr = ("Les enfants qui ont du mal à tenir un crayon ou à utiliser des ciseaux à l'école reçoivent "
               "souvent l'aide d'une ergothérapeute qui prépare de courtes séances de jeu chaque semaine.")
    article = easy_article(lang="fr", parts=[section(0, "Qui en profite", long_fr)], focus_phrase=None)
    found = report(article, EVERYONE)
    assert found.parts[0].score.grade is None and found.parts[0].score.measures == []
    assert "no reading-grade formula for 'fr'" in found.parts[0].score.note
    assert any("No reading-grade formula for 'fr'" in note for note in found.notes)
    assert found.layouts[0].passed is None
    assert [s.words for s in found.long_sentences] == [31]
    assert not any(line.startswith("parents handout") for line in found.missed)


# Plain-language list -----------------------------------------------------------------------------------------

def test_the_shipped_lists_have_fifty_entries_each() -> None:
    for lang in ("en", "es"):
        data = lang_data(lang)
        assert len(data.terms) + len(data.words) >= 50, lang
        assert all(k.strip() and v.strip() for k, v in {**data.terms, **data.words}.items())


def test_a_jargon_word_is_flagged_with_its_place() -> None:
    article = easy_article(parts=[section(0, "How OT helps", "Kids play games.", "Therapists facilitate play.")])
    [hit] = report(article, EVERYONE).plain_words
    assert hit.message == 'content.yaml:41:7 sections[0].items[1].text: "facilitate"; try "help"'


def test_plurals_and_verb_forms_match_but_other_words_do_not() -> None:
    article = easy_article(parts=[section(0, "How OT helps", "We utilized Accommodations, two deficits and one "
                                          "transition.", "An assistant helps.")])
    assert [h.found for h in report(article, EVERYONE).plain_words] == ["utilized", "Accommodations", "deficits",
                                                                         "transition"]


def test_a_term_explained_in_parentheses_is_not_flagged() -> None:
    article = easy_article(parts=[
        section(0, "Skills OT builds", "It builds fine motor skills (small hand movements).",
                "Later, fine motor skills get easier.", "It builds big body movements (gross motor skills)."),
        section(1, "At school", "Fine motor skills matter for handwriting.")])
    hits = report(article, EVERYONE).plain_words
    assert [(h.key, h.found) for h in hits] == [(("sections", 1, "items", 0, "text"), "Fine motor skills")]
    assert hits[0].message.startswith('content.yaml:40:7 sections[1].items[0].text: "Fine motor skills" is not '
                                      'explained; try "small hand movements (fine motor skills)"')


def test_the_content_can_add_its_own_words() -> None:
    article = easy_article(parts=[section(0, "At home", "Give proprioceptive input before meals.")],
                           extra_plain_words={"proprioceptive input": "deep pressure, like a tight hug"})
    assert [(h.found, h.plain) for h in report(article, EVERYONE).plain_words] == [
        ("proprioceptive input", "deep pressure, like a tight hug")]


def test_the_spanish_list_is_used_for_spanish() -> None:
    article = easy_article(lang="es-419", parts=[section(
        0, "Cómo ayuda", "Las intervenciones facilitan el juego.", "Mejora la motricidad fina (movimientos pequeños "
        "de las manos) y la motricidad gruesa.")])
    found = report(article, EVERYONE).plain_words
    assert [h.found for h in found] == ["intervenciones", "facilitan", "motricidad gruesa"]


# SEO -----------------------------------------------------------------------------------------------------------

def test_the_example_article_meets_the_seo_rules() -> None:
    found = report(article_from_content(CONTENT), [])
    assert [c.passed for c in found.seo] == [True, True, True, True]


@pytest.mark.parametrize(("changes", "rule"), [
    ({"title": text(("title",), "OT at a glance", 4)}, "focus phrase in the title"),
    ({"intro": text(("intro",), "Many children need help with daily tasks.", 9)}, "focus phrase in the intro"),
    ({"parts": [section(0, "Daily tasks", "OT helps kids.")]}, "focus phrase in a section heading"),
    ({"meta_description": text(("seo", "meta_description"), "x" * 161, 96)}, "meta description at most 160"),
])
def test_each_seo_rule_fails_on_an_article_that_breaks_it(changes: dict, rule: str) -> None:
    found = report(easy_article(**changes), EVERYONE)
    assert [c.name for c in found.seo if c.passed is False] == [check(found.seo, rule).name]
    assert any(line.startswith(f"SEO: {rule}") for line in found.missed)


def test_a_meta_description_of_160_characters_passes_and_none_is_not_judged() -> None:
    at_limit = report(easy_article(meta_description=text(("seo", "meta_description"), "x" * 160)), EVERYONE)
    assert check(at_limit.seo, "meta description").passed is True
    unset = report(easy_article(meta_description=None, focus_phrase=None), EVERYONE)
    assert [c.passed for c in unset.seo] == [None, None, None, None]
    assert not any(line.startswith("SEO") for line in unset.missed)


# PEMAT-P -------------------------------------------------------------------------------------------------------

def test_an_easy_complete_article_passes_every_item_and_misses_no_target() -> None:
    found = report(easy_article(), EVERYONE)
    assert [(c.name, c.passed) for c in found.pemat] == [
        ("1 purpose stated up front", True), ("4 terms explained", True), ("8 short sections", True),
        ("9 informative headings", True), ("11 a summary", True), ("20 a call to action", True)]
    assert found.pemat_score == 1.0
    assert found.missed == []


def test_removing_next_steps_fails_the_call_to_action() -> None:
    found = report(easy_article(next_steps=[]), EVERYONE)
    assert check(found.pemat, "20").passed is False
    no_verb = report(easy_article(next_steps=[text(("next_steps", 0), "Evaluations are available.")]), EVERYONE)
    assert check(no_verb.pemat, "20").passed is False
    polite = report(easy_article(next_steps=[text(("next_steps", 0), "Please bring your child's school work.")]),
                    EVERYONE)
    assert check(polite.pemat, "20").passed is True


@pytest.mark.parametrize(("changes", "item"), [
    ({"title": text(("title",), "Notes", 4), "focus_phrase": None}, "1 "),
    ({"parts": [section(0, "Skills OT builds", "OT helps with sensory processing.")]}, "4 "),
    ({"parts": [section(0, "What occupational therapy for kids is", *["Kids play."] * 8)]}, "8 "),
    ({"parts": [section(0, "What occupational therapy for kids is", "Kids play."),
                section(1, "More information", "Call us.")]}, "9 "),
    ({"summary": None, "in_simple_terms": None}, "11 "),
])
def test_each_pemat_item_fails_on_an_article_that_breaks_it(changes: dict, item: str) -> None:
    found = report(easy_article(**changes), EVERYONE)
    assert [c.name for c in found.pemat if c.passed is False] == [check(found.pemat, item).name]
    assert check(found.pemat, item).why


def test_the_pemat_score_is_judged_against_the_70_percent_line() -> None:
    two_fail = report(easy_article(next_steps=[], summary=None, in_simple_terms=None), EVERYONE)
    assert two_fail.pemat_score == pytest.approx(4 / 6)
    assert any(line.startswith("PEMAT-P: 4 of 6 items") and "70%" in line for line in two_fail.missed)
    one_fail = report(easy_article(next_steps=[]), EVERYONE)
    assert one_fail.pemat_score == pytest.approx(5 / 6)
    assert not any(line.startswith("PEMAT-P") for line in one_fail.missed)


# Layout targets, the table and JSON ---------------------------------------------------------------------------

def test_a_layout_over_its_grade_target_is_missed_and_names_its_hardest_section() -> None:
    article = easy_article(parts=[section(0, "Who OT helps", THIRTY), section(1, "What happens", "Kids play.")])
    found = report(article, [Audience("parents handout", 6.0, [("sections", 0), ("sections", 1)]),
                             Audience("easy part only", 6.0, [("sections", 1)])])
    [missed] = [line for line in found.missed if "grade" in line]
    assert re.fullmatch(r'parents handout: reads at grade \d+\.\d \(Flesch-Kincaid\); the target is grade 6 or below\. '
                        r'Hardest sections: "Who OT helps" \(\d+\.\d\)', missed), missed
    assert [layout.passed for layout in found.layouts] == [False, True]


def test_the_table_is_plain_text_within_the_width() -> None:
    found = report(article_from_content(CONTENT), audiences(CONTENT))
    table = format_table(found, width=100)
    assert "\x1b" not in table
    assert all(len(line) <= 100 for line in table.splitlines())
    for heading in ("Reading level", "Layout", "Long sentences (over 20 words): ", "Words from the plain-language",
                    "SEO", "PEMAT-P"):
        assert heading in table
    assert ("Targets missed:" in table) == bool(found.missed) != ("All targets met." in table)
    assert 'sections[2].items[2].text: 36 words in one sentence ("Kids with conditions like ADHD, autism…")' \
        in " ".join(table.split())


def test_json_has_every_finding_and_the_missed_targets() -> None:
    found = report(article_from_content(CONTENT), audiences(CONTENT))
    data = json.loads(to_json(found))
    assert data["missed"] == found.missed
    assert data["long_sentences"][0]["message"] == found.long_sentences[0].message
    assert data["plain_words"][0]["key"] == list(found.plain_words[0].key)
    assert [layout["name"] for layout in data["layouts"]] == ["parent handout", "school staff tip sheet",
                                                              "trifold brochure"]
    assert data["pemat_target"] == 0.7


# The shipped example ---------------------------------------------------------------------------------------

def test_the_example_reads_at_a_plausible_grade() -> None:
    article = article_from_content(CONTENT)
    whole = report(article, [Audience("whole article", 8.0, [part.key for part in article.parts])])
    assert 11 <= whole.layouts[0].score.grade <= 15
    assert all(9 <= layout.score.grade <= 16 for layout in report(article, audiences(CONTENT)).layouts)


def test_the_examples_longest_sentence_is_found_at_its_line() -> None:
    lines = CONTENT.read_text(encoding="utf-8").splitlines()
    line = next(n for n, t in enumerate(lines, 1) if "Kids with conditions like ADHD" in t)
    found = report(article_from_content(CONTENT), [])
    kids = next(s for s in found.long_sentences if s.quote.startswith("Kids with conditions"))
    assert (kids.where.split(":")[1], kids.words) == (str(line), 36)


def test_the_report_on_the_example_is_fast() -> None:
    article, layouts = article_from_content(CONTENT), audiences(CONTENT)
    sentences = sum(len(split_sentences(t.text, "en")) for part in article.parts for t in part.texts)
    assert sentences >= 30
    start = time.perf_counter()
    report(article, layouts)
    elapsed = time.perf_counter() - start
    print(f"report on the example ({sentences} sentences): {elapsed * 1000:.0f} ms")
    assert elapsed < 2.0


# Offline and without WeasyPrint -----------------------------------------------------------------------------

OFFLINE_RUN = """
import socket, sys, time
def refuse(*args, **kwargs):
    raise OSError("network use in othandout.quality")
socket.socket = socket.create_connection = socket.getaddrinfo = refuse  # before anything is imported
start = time.perf_counter()
sys.path.insert(0, sys.argv[1])
from quality_support import ROOT, article_from_content, audiences
from othandout.quality import report, format_table, to_json
import dataclasses
article = article_from_content(ROOT / "content.yaml")
found = report(article, audiences(ROOT / "content.yaml"))
format_table(found), to_json(found)
spanish = dataclasses.replace(article, lang="es", parts=article.parts[:1])
report(spanish, [])
print(f"{time.perf_counter() - start:.3f}", "weasyprint" in sys.modules, "syllapy" in sys.modules)
"""


def test_the_report_runs_with_no_network_and_no_weasyprint(tmp_path: Path) -> None:
    """In a fresh interpreter whose sockets all fail: import, load the lists, score English and Spanish."""
    run = subprocess.run([sys.executable, "-c", OFFLINE_RUN, str(Path(__file__).parent)], capture_output=True,
                         text=True, cwd=tmp_path, timeout=60)
    assert run.returncode == 0, run.stderr
    seconds, weasyprint, syllapy = run.stdout.split()
    print(f"fresh interpreter, import + report on the example + a Spanish report: {float(seconds) * 1000:.0f} ms")
    assert (weasyprint, syllapy) == ("False", "True")


def test_no_quality_module_imports_weasyprint() -> None:
    package = ROOT / "src" / "othandout" / "quality"
    importing = re.compile(r"^\s*(import|from)\s+(weasyprint|othandout\.(render|check|build|pdf))\b", re.MULTILINE)
    assert not [p.name for p in package.glob("*.py") if importing.search(p.read_text(encoding="utf-8"))]


def test_the_report_runs_in_a_network_namespace_with_no_network(tmp_path: Path) -> None:
    """The same run with the network truly gone (`unshare -n`), where the machine allows it."""
    if not shutil.which("unshare") or subprocess.run(["unshare", "-n", "true"], capture_output=True).returncode:
        pytest.skip("unshare -n is not allowed here")
    run = subprocess.run(["unshare", "-n", sys.executable, "-c", OFFLINE_RUN, str(Path(__file__).parent)],
                         capture_output=True, text=True, cwd=tmp_path, timeout=60)
    assert run.returncode == 0, run.stderr
