"""The content corpus: clinics' own files (another topic, the Spanish edition, a long clinic, a minimal file,
mixed scripts) built on every layout and paper, and read back from the PDFs.

What a layout prints is derived from its manifest (its audience's sections, each block its regions show), never
listed here by layout name. Each (file, layout, paper) is built once per session."""

from __future__ import annotations

import io
import re
import unicodedata
from functools import cache

import pdfplumber
import pikepdf
import pyphen
import pytest
from pypdf import PdfReader

from othandout.build import BuildOptions, Built, build
from othandout.make import glyphs
from othandout.errors import OthandoutError
from othandout.pipeline import flow
from othandout.pipeline.blocks import FLOW, REGISTRY
from othandout.pipeline.content import Content, load_content
from othandout.pipeline.labels import shipped
from othandout.pipeline.layouts import Layout, load_layout
from othandout.pipeline.papers import PaperSpec
from support import CONTENT, LAYOUTS, ROOT, built_pdf, fold

SPANISH = ROOT / "examples" / "es" / "content.yaml"
CORPUS = {"es": SPANISH, **{path.stem: path for path in sorted((ROOT / "tests" / "corpus").glob("*.yaml"))}}
SHRINK = {"long-clinic"}  # too long for some layouts at their normal size: built with --fit shrink
PAPERS = ("letter", "a4")  # a layout made for neither (a poster) is built on its own papers


def papers_of(layout: str) -> list[str]:
    """The papers a layout is built on here: letter and A4 where it takes them, else its own first two."""
    own = load_layout(layout, ROOT).manifest.papers
    return [p for p in PAPERS if p in own] or own[:2]


PLACES = [(layout, paper) for layout in LAYOUTS for paper in papers_of(layout)]
CASES = [(name, layout, paper) for name in CORPUS for layout, paper in PLACES]
ADDRESS_KEYS = {"phone", "email", "website", "web_url", "qr"}  # checked whole by the contact-details test
SLACK_PT = 6.0  # an address must clear a line's width by this much before its break counts as avoidable
RTL = re.compile(r"[\u0590-\u05ff\u0600-\u06ff]")
# The labels each block prints on its own (the contact lines' labels follow the details that are filled in).
BLOCK_LABELS = {"in-simple-terms": ["in_simple_terms"], "next-steps": ["next_steps"], "faq": ["faq"],
                "contact": ["contact"]}
CONTACT_LABELS = {"phone": "phone", "email": "email", "website": "web", "address": "visit"}


# Building, once per session

@cache
def outcome(name: str, layout: str, paper: str, fit: str) -> Built | str:
    """Build one corpus file on one layout and paper: the Built, or the message the build was refused with."""
    try:
        [built] = build(BuildOptions(content=CORPUS[name], layouts=[layout], paper=PaperSpec(paper), fit=fit,
                                     write=False))
    except OthandoutError as err:
        return str(err)
    return built


def pdf(name: str, layout: str, paper: str) -> bytes:
    """The PDF of a corpus case. A refused build fails the test; the long file, refused even with --fit shrink,
    is skipped here (its messages are tested on their own)."""
    result = outcome(name, layout, paper, "shrink" if name in SHRINK else "error")
    if isinstance(result, str):
        if name in SHRINK:
            pytest.skip(f"{name} does not fit {layout} on {paper} even with --fit shrink (message tested below)")
        pytest.fail(f"{name} was refused on {layout} ({paper}):\n{result}")
    return result.data


@cache
def raw_text(data: bytes) -> str:
    """pypdf's text of every page, lines kept, non-breaking spaces as spaces."""
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages).replace("\u00a0", " ")


@cache
def plumbed(data: bytes) -> list[list[dict]]:
    """pdfplumber's characters per page (text, font, size and box), once per PDF."""
    keep = ("text", "fontname", "size", "x0", "x1", "top")
    with pdfplumber.open(io.BytesIO(data)) as document:
        return [[{k: c[k] for k in keep} for c in page.chars] for page in document.pages]


def norm(text: str) -> str:
    """Text as it is compared: NFKC (Arabic presentation forms to letters), a non-breaking hyphen as '-',
    line-end hyphenation undone and whitespace folded."""
    return fold(unicodedata.normalize("NFKC", text.replace("\u2011", "-")))


def layout_of(name: str) -> Layout:
    """A layout by name, from the repository's layouts."""
    return load_layout(name, ROOT)


# What a layout prints, from its manifest

def shown_blocks(content: Content, layout: Layout) -> list[str]:
    """The blocks a layout's regions show that this content fills in, in manifest order."""
    names = dict.fromkeys(b for region in layout.manifest.regions for b in region.blocks())
    audience = layout.manifest.audience
    return [n for n in names if n in REGISTRY and REGISTRY[n].shows(content, audience)]


def section_texts(content: Content, layout: Layout) -> list[str]:
    """Headings, intros, labels and bullets of the sections a layout prints (`short` where its regions are condensed)."""
    regions = [r for r in layout.manifest.regions if FLOW in r.blocks() or r.pins()]
    condensed = {r.condensed for r in regions}
    texts: list[str] = []
    for index in flow.printed(content, layout):
        section = content.sections[index]
        texts += [section.heading, section.intro or ""]
        for item in section.items:
            texts.append(item.label or "")
            if condensed == {True}:
                texts.append(item.short or item.text)
            elif condensed == {False} or not item.short:
                texts.append(item.text)
    return [t for t in texts if t]


def block_texts(content: Content, layout: Layout) -> list[str]:
    """The content every block a layout shows prints (phone, email and web addresses aside), and the reviewed
    line as it reads."""
    audience, words, texts = layout.manifest.audience, content.words(), []
    for name in shown_blocks(content, layout):
        texts += [content.text_at(key) for key in REGISTRY[name].keys(content, audience)
                  if key[-1] not in ADDRESS_KEYS and key != ("reviewed",)]
        if name == "faq":
            texts += [entry.question for entry in content.faq]
        if name == "about" and content.reviewed:
            texts.append(f"{words['reviewed']} {month(content)}")
    return [t for t in texts if t]


def month(content: Content) -> str:
    """`November 2026`, `noviembre de 2026`: the content's language names the month and orders it with the year."""
    year, number, *_ = (content.reviewed or "").split("-")
    words = content.words()
    name = [m.strip() for m in words["months"].split(",")][int(number) - 1]
    return words["month_year"].replace("{month}", name).replace("{year}", year)


def sentences(text: str) -> list[str]:
    """A text cut into sentences."""
    return [s for s in re.split(r"(?<=[.!?])\s+", text.strip()) if s]


def printed_in(sentence: str, text: str) -> bool:
    """True when a sentence is in the folded PDF text: a typed hyphen may have been joined at a line end, and a
    line may end after a dash or slash."""
    pattern = re.escape(norm(sentence))
    pattern = pattern.replace(r"\-", "-?").replace("—", "—\\s?").replace("–", "–\\s?").replace("/", "/\\s?")
    return re.search(pattern, text) is not None


def addresses(content: Content, layout: Layout) -> list[str]:
    """The phone number, email and web addresses a layout prints, as printed (web addresses without
    https:// and a trailing slash, but with www. as typed)."""
    org, blocks, found = content.organization, shown_blocks(content, layout), []
    if "contact" in blocks:
        found += [org.phone, org.email, org.website and short_url(org.website)]
    if "qr" in blocks:
        found.append(short_url(content.qr_target() or ""))
    return [a for a in found if a]


def short_url(url: str) -> str:
    """A web address as handouts print it."""
    return re.sub(r"^https?://", "", url).rstrip("/")


def labels_printed(content: Content, layout: Layout) -> list[str]:
    """The label keys a layout prints for this content (the QR caption is hidden on some layouts by their CSS)."""
    org, blocks, keys = content.organization, shown_blocks(content, layout), []
    for name in blocks:
        keys += BLOCK_LABELS.get(name, [])
    if "contact" in blocks:
        keys += [label for field, label in CONTACT_LABELS.items() if getattr(org, field)]
    if "about" in blocks:
        keys += [k for k, filled in (("reviewed", content.reviewed), ("sources", content.sources)) if filled]
    return keys


# The corpus files

@pytest.mark.parametrize("name", list(CORPUS))
def test_corpus_files_are_valid_content(name: str) -> None:
    content = load_content(CORPUS[name])
    glyphs(content)  # every character can be printed by a bundled font
    assert content.warnings() == []


@pytest.mark.parametrize(("name", "layout", "paper"), [c for c in CASES if c[0] not in SHRINK])
def test_builds_at_its_normal_size(name: str, layout: str, paper: str) -> None:
    result = outcome(name, layout, paper, "error")
    assert not isinstance(result, str), f"{name} was refused on {layout} ({paper}):\n{result}"
    assert result.shrunk == {}


@pytest.mark.parametrize(("name", "layout", "paper"), [c for c in CASES if c[0] not in SHRINK])
def test_a_page_left_blank_is_warned_about(name: str, layout: str, paper: str) -> None:
    """A brochure whose inside prints nothing would go to the printer with exit 0 and no word."""
    result = outcome(name, layout, paper, "error")
    assert not isinstance(result, str), result
    blank = [n for n, chars in enumerate(plumbed(result.data), start=1) if not any(c["text"].strip() for c in chars)]
    if (name, layout) == ("minimal", "trifold"):
        assert blank == [2], "one short section leaves the brochure's inside white"
    said = [w for w in result.warnings if "prints nothing" in w]
    assert said == [f"page {n} prints nothing: the content is too short to reach it; add sections, FAQ entries or "
                    "next steps, or use a one-page layout" for n in blank]


@pytest.mark.parametrize(("name", "layout", "paper"), CASES)
def test_every_sentence_a_layout_prints_is_in_its_pdf(name: str, layout: str, paper: str) -> None:
    content, chosen = load_content(CORPUS[name]), layout_of(layout)
    text = norm(raw_text(pdf(name, layout, paper)))
    missing = [f"{s!r}, the PDF reads {near(text, norm(s))!r}"
               for t in section_texts(content, chosen) + block_texts(content, chosen) for s in sentences(t)
               if not RTL.search(s) and not printed_in(s, text)]  # right-to-left: see the logical-order test
    assert missing == [], f"{name} on {layout} ({paper}) does not print:\n" + "\n".join(missing)


@pytest.mark.parametrize(("name", "layout", "paper"), CASES)
def test_contact_details_print_whole(name: str, layout: str, paper: str) -> None:
    """Never hyphenated, nothing inserted, and broken (after / . @ or -) only when the address could not move
    whole to the next line."""
    data = pdf(name, layout, paper)
    content, text = load_content(CORPUS[name]), raw_text(data)
    problems = []
    for address in addresses(content, layout_of(layout)):
        pattern = "".join(re.escape(c) + ("\n?" if c in "/.@-" else "") if c != " " else "[ \n]" for c in address)
        printed = re.findall(pattern, text)
        if not printed:
            problems.append(f"{address!r} is not in the text whole: {near(text, address)!r}")
        if any("\n" in p for p in printed):  # broken over lines: was there room to keep it whole?
            problems += avoidable_breaks(data, address)
    assert problems == []


def near(text: str, wanted: str) -> str:
    """The text where an address or sentence should be (found by its first words), for a failure message."""
    start = text.find(wanted[: max(4, len(wanted) // 3)])
    return text[max(0, start - 10): start + len(wanted) + 15] if start >= 0 else "(not found)"


def spaced(chars: list[dict]) -> list[dict]:
    """A page's characters, one each, with a space where a gap is drawn and a newline where a line ends."""
    found: list[dict] = []
    for char in (c for c in chars if len(c["text"]) == 1):
        last = found[-1] if found else None
        if last is not None and abs(char["top"] - last["top"]) > 0.3 * char["size"]:
            found.append({"text": "\n"})
        elif last is not None and char["x0"] - last["x1"] > 0.15 * char["size"] and char["text"] != " ":
            found.append({"text": " "})
        found.append(char)
    return [c for n, c in enumerate(found) if c["text"] != " " or found[n - 1]["text"] != " "]


def avoidable_breaks(data: bytes, address: str) -> list[str]:
    """An address broken over lines although the line it starts on is wide enough to hold it whole (so it could
    have moved whole to the next line)."""
    pattern = "".join(re.escape(c) + ("\n?" if c in "/.@-" else "") if c != " " else "[ \n]" for c in address)
    pattern = r"(?<![\w@./-])" + pattern + r"(?![\w@/-]|\.\w)"
    found = []
    for number, page in enumerate(plumbed(data), 1):
        chars = spaced(page)
        joined = "".join(c["text"] for c in chars)
        for hit in re.finditer(pattern, joined):
            run = [c for c in chars[hit.start(): hit.end()] if c["text"].strip()]
            lines = sorted({round(c["top"]) for c in run})
            if len(lines) < 2:
                continue
            first = [c for c in run if round(c["top"]) == lines[0]]
            last = [c for c in run if round(c["top"]) == lines[-1]]
            width = sum(c["x1"] - c["x0"] for c in run) + address.count(" ") * 0.3 * run[0]["size"]
            room = max(c["x1"] for c in first) - min(c["x0"] for c in last)
            if width + SLACK_PT <= room:
                found.append(f"page {number}: {address!r} is broken over {len(lines)} lines though it is "
                             f"{width:.0f} pt wide and the line it starts on holds {room:.0f} pt")
    return found


# Languages

def label_pairs() -> list[tuple[str, str]]:
    """(English, Spanish) patterns for every label that differs between the two shipped sets; a month counts
    when a year follows it ("May 2026", not the verb "may")."""
    english, spanish = shipped("en") or {}, shipped("es") or {}
    pairs = [(re.escape(english[k]), re.escape(spanish[k])) for k in english
             if k not in ("months", "month_year", "logo_alt") and english[k].lower() != spanish[k].lower()]
    months = zip(*(map(str.strip, labels["months"].split(",")) for labels in (english, spanish)))
    return pairs + [(rf"{en} \d{{4}}", rf"{es} (de )?\d{{4}}") for en, es in months if en.lower() != es.lower()]


def says(text: str, pattern: str) -> bool:
    """True when the text holds the pattern as whole words, in any case (a layout's CSS may set capitals)."""
    return re.search(rf"\b{pattern}\b", text, re.IGNORECASE) is not None


@pytest.mark.parametrize(("layout", "paper"), PLACES)
def test_the_spanish_edition_prints_spanish_labels_only(layout: str, paper: str) -> None:
    """Each label the English example prints on a layout prints in Spanish on the Spanish edition (the two
    articles have one structure), and no English label prints there."""
    english_text = norm(raw_text(built_pdf(layout, paper)))
    text = norm(raw_text(pdf("es", layout, paper)))
    pairs = label_pairs()
    assert [es for en, es in pairs if says(english_text, en) and not says(text, es)] == []
    assert [en for en, _ in pairs if says(text, en)] == []


def bad_breaks(data: bytes, source: str, language: str) -> tuple[list[str], int]:
    """Words broken at a line end where the language's pyphen dictionary allows no break (hard hyphens in the
    source aside), and how many breaks there were."""
    dictionary = pyphen.Pyphen(lang=language, left=1, right=1)
    bad, count = [], 0
    for before, after in re.findall(r"([^\W\d_]+)-\n([^\W\d_]+)", raw_text(data)):
        if f"{before}-{after}" in source:
            continue
        count += 1
        word = before + after
        if len(before) not in dictionary.positions(word.lower()):
            bad.append(f"{before}-{after} (where {language} allows {dictionary.inserted(word)})")
    return bad, count


@pytest.mark.parametrize("layout", LAYOUTS)
def test_plain_en_hyphenates_in_us_english(layout: str) -> None:
    """The example's PDF is tagged en-US, and every word it breaks at a line end breaks where US English allows."""
    data = built_pdf(layout, papers_of(layout)[0])
    assert str(PdfReader(io.BytesIO(data)).trailer["/Root"]["/Lang"]) == "en-US"
    bad, _ = bad_breaks(data, " ".join(CONTENT.read_text(encoding="utf-8").split()), "en_US")
    assert bad == []


def test_the_example_breaks_words_to_check() -> None:
    """The hyphenation test above has breaks to look at: the example breaks words on its layouts."""
    source = " ".join(CONTENT.read_text(encoding="utf-8").split())
    assert sum(bad_breaks(built_pdf(layout, papers_of(layout)[0]), source, "en_US")[1] for layout in LAYOUTS) > 0


@pytest.mark.parametrize(("layout", "paper"), PLACES)
def test_the_spanish_edition_hyphenates_in_spanish(layout: str, paper: str) -> None:
    data = pdf("es", layout, paper)
    assert str(PdfReader(io.BytesIO(data)).trailer["/Root"]["/Lang"]) == "es-419"
    bad, _ = bad_breaks(data, " ".join(SPANISH.read_text(encoding="utf-8").split()), "es")
    assert bad == []


# Scripts

def notdef_glyphs(data: bytes) -> list[str]:
    """Every glyph drawn as .notdef (glyph 0 of a Type0 font), as 'page N: font'."""
    found: list[str] = []
    with pikepdf.open(io.BytesIO(data)) as document:
        for number, page in enumerate(document.pages, 1):
            found += _notdef_in(page.obj, page.obj.get("/Resources"), number)
    return found


def _notdef_in(stream: pikepdf.Object, resources: pikepdf.Object | None, number: int) -> list[str]:
    """The .notdef glyphs of one content stream, following its form XObjects."""
    fonts = resources.get("/Font", {}) if resources is not None else {}
    forms = resources.get("/XObject", {}) if resources is not None else {}
    font, found = None, []
    for operands, operator in pikepdf.parse_content_stream(stream):
        op = str(operator)
        if op == "Tf":
            font = fonts.get(str(operands[0]))
        elif op in ("Tj", "TJ", "'", '"') and font is not None:
            assert font.Subtype == "/Type0", f"font {font.get('/BaseFont')} is {font.Subtype}, not Type0"
            strings = operands[0] if op == "TJ" else operands[-1:]
            codes = [bytes(s) for s in strings if isinstance(s, pikepdf.String)]
            glyphs = [_gid(font, int.from_bytes(c[i:i + 2], "big")) for c in codes for i in range(0, len(c), 2)]
            found += [f"page {number}: {font.BaseFont}" for g in glyphs if g == 0]
        elif op == "Do":
            form = forms.get(str(operands[0]))
            if form is not None and form.get("/Subtype") == "/Form":
                found += _notdef_in(form, form.get("/Resources", resources), number)
    return found


def _gid(font: pikepdf.Object, cid: int) -> int:
    """The glyph a CID draws, through the font's CIDToGIDMap."""
    mapping = font.DescendantFonts[0].get("/CIDToGIDMap", pikepdf.Name.Identity)
    if isinstance(mapping, pikepdf.Stream):
        table = mapping.read_bytes()
        return int.from_bytes(table[2 * cid: 2 * cid + 2], "big")
    return cid


@pytest.mark.parametrize(("layout", "paper"), PLACES)
def test_mixed_scripts_draw_no_notdef_glyph(layout: str, paper: str) -> None:
    assert notdef_glyphs(pdf("mixed-script", layout, paper)) == []


@pytest.mark.parametrize(("layout", "paper"), PLACES)
def test_mixed_scripts_draw_each_word_in_one_font(layout: str, paper: str) -> None:
    """All the letters of a word share one font (punctuation after a word may be in the sentence's font)."""
    mixed = []
    for number, page in enumerate(plumbed(pdf("mixed-script", layout, paper)), 1):
        for word in letter_runs(page):
            faces = {c["fontname"].split("+")[-1] for c in word}
            if len(faces) > 1:
                mixed.append(f"page {number}: {''.join(c['text'] for c in word)!r} in {sorted(faces)}")
    assert mixed == []


def letter_runs(chars: list[dict]) -> list[list[dict]]:
    """The page's words as runs of letters drawn side by side on one line (a glyph with no text of its own,
    part of a cluster, belongs to the word it is drawn in)."""
    runs: list[list[dict]] = [[]]
    for char in chars:
        letter = not char["text"] or unicodedata.category(char["text"][0])[0] in "LM"
        last = runs[-1][-1] if runs[-1] else None
        apart = last is not None and (abs(char["top"] - last["top"]) > 0.3 * char["size"]
                                      or not -0.5 <= char["x0"] - last["x1"] <= 0.25 * char["size"])
        if not letter or apart:
            runs.append([])
        if letter:
            runs[-1].append(char)
    return [run for run in runs if len(run) > 1]


@pytest.mark.parametrize(("layout", "paper"), PLACES)
def test_mixed_scripts_use_only_bundled_fonts(layout: str, paper: str) -> None:
    """Every font in the PDF is one othandout ships, so a word never falls to a font of the machine."""
    from othandout.pipeline.fonts import FACES

    bundled = {face.family.replace(" ", "").lower() for face in FACES}
    used = {(c["fontname"].split("+")[-1], c["text"]) for page in plumbed(pdf("mixed-script", layout, paper))
            for c in page}
    strays = sorted({f"{font}: {text}" for font, text in used
                     if not any(font.replace("-", "").lower().startswith(b) for b in bundled)})
    assert strays == []


@pytest.mark.parametrize(("layout", "paper"), PLACES)
def test_arabic_and_hebrew_read_in_logical_order(layout: str, paper: str) -> None:
    """Every sentence with Arabic or Hebrew in it comes out of the text layer with its words as typed, in order:
    each letter right, each right-to-left word in logical order. Punctuation where the direction changes is not
    compared: a text extractor guesses which side of a run a quote mark or comma belongs to (pypdf reads the
    same page as `Русский, العربية ,עברית`); where the page draws them is checked by the next test."""
    content, chosen = load_content(CORPUS["mixed-script"]), layout_of(layout)
    text = words_only(norm(raw_text(pdf("mixed-script", layout, paper))))
    typed = [s for t in section_texts(content, chosen) + block_texts(content, chosen) for s in sentences(t)
             if RTL.search(s)]
    assert typed, "the layout prints no Arabic or Hebrew: nothing to check"
    misread = [f"{s!r}, the PDF reads {near(text, words_only(norm(s)))!r}" for s in typed
               if words_only(norm(s)) not in text]
    assert misread == [], "\n".join(misread)


def words_only(text: str) -> str:
    """The words of a text, one space apart, without punctuation (a hyphen joined at a line end is undone)."""
    return " ".join(re.sub(r"[^\w\s-]", " ", text).replace("- ", "").split())


@pytest.mark.parametrize(("layout", "paper"), PLACES)
def test_a_list_of_language_names_keeps_its_order_on_the_page(layout: str, paper: str) -> None:
    """In an English sentence, `Русский, العربية, עברית` is drawn left to right in that order: an Arabic and a
    Hebrew name are separate right-to-left runs, each drawn right to left."""
    content = load_content(CORPUS["mixed-script"])
    names = ["Русский", "العربية", "עברית"]
    assert all(name in content.footer_note for name in names), "the corpus file's footer note lists them"
    chars = [c for page in plumbed(pdf("mixed-script", layout, paper)) for c in page]
    spans = []
    for name in names:
        found = find_drawn(chars, name)
        assert found is not None, f"{name!r} is not drawn as one word"
        spans.append(found)
    assert spans == sorted(spans), f"drawn in the order {[names[spans.index(x)] for x in sorted(spans)]}"


def find_drawn(chars: list[dict], word: str) -> tuple[float, float] | None:
    """The (top, left) of the first place a word is drawn: its letters on one line, left to right for a
    left-to-right word and right to left for Arabic or Hebrew."""
    rtl = bool(RTL.search(word))
    letters = [unicodedata.normalize("NFKC", c["text"]) for c in chars]
    wanted = list(word)
    for start, char in enumerate(chars):
        line = [c for c in chars if abs(c["top"] - char["top"]) < 0.3 * char["size"]]
        ordered = sorted(line, key=lambda c: -c["x0"] if rtl else c["x0"])
        text = "".join(unicodedata.normalize("NFKC", c["text"]) for c in ordered)
        if letters[start] == wanted[0] and word in text:
            at = text.index(word)
            return (round(char["top"]), ordered[at]["x0"] if not rtl else ordered[at + len(word) - 1]["x0"])
    return None


# The minimal file

@pytest.mark.parametrize(("layout", "paper"), PLACES)
def test_the_minimal_file_closes_up(layout: str, paper: str) -> None:
    """Nothing the minimal file leaves out leaves a heading or label behind."""
    content, chosen = load_content(CORPUS["minimal"]), layout_of(layout)
    text = norm(raw_text(pdf("minimal", layout, paper)))
    words = content.words()
    printed = set(labels_printed(content, chosen))
    every = [*(k for keys in BLOCK_LABELS.values() for k in keys), *CONTACT_LABELS.values(),
             "reviewed", "sources", "qr_caption"]
    absent = [words[k] for k in every if k not in printed]
    assert [w for w in absent if re.search(rf"\b{re.escape(w)}\b", text, re.IGNORECASE)] == []


@pytest.mark.parametrize(("layout", "paper"), PLACES)
def test_a_lone_section_starts_where_a_reader_starts(layout: str, paper: str) -> None:
    """The minimal file's one section is set in the layout's first flow place (the first column or panel in
    reading order), not in a later one with empty columns before it."""
    content, chosen = load_content(CORPUS["minimal"]), layout_of(layout)
    if not flow.slots(chosen):
        pytest.skip(f"{layout} flows no sections")
    first = flow.slots(chosen)[0]
    region = next(r for r in chosen.regions(paper) if r.spec.id == first.region)
    left, width = region.safe.x, region.safe.w
    if first.column is not None:
        width /= len(region.spec.columns)
        left += first.column * width
    heading = content.sections[0].heading.split()[0]
    with pdfplumber.open(io.BytesIO(pdf("minimal", layout, paper))) as document:
        spots = [(number, w["x0"]) for number, page in enumerate(document.pages, 1)
                 for w in page.extract_words() if w["text"] == heading]
    assert spots, f"'{heading}' is not on the page"
    assert [(n, round(x)) for n, x in spots if n == region.page and left - 1 <= x < left + width] != [], (
        f"the section heading is at (page, x) {[(n, round(x)) for n, x in spots]}; the first flow place is "
        f"{first.region} (column {first.column}) on page {region.page}, x {left:.0f} to {left + width:.0f} pt")


# The long clinic file: fitted with --fit shrink, or refused with a message that says what to do

KEY_AT_LINE = re.compile(r"([a-z_]+(?:\[\d+\])?(?:\.[a-z_]+(?:\[\d+\])?)*) \(line (\d+)\)")


def message_problems(message: str, layout: str, content: Content) -> list[str]:
    """What is wrong with a refusal message: a line that names no layout, a hidden character, a key whose line
    is wrong, or a section said to be missing."""
    problems = []
    for line in message.splitlines():
        if line.startswith("  hint: "):
            continue
        if not line.startswith(f"{layout}: "):
            problems.append(f"names no layout: {line}")
        if hidden := [c for c in line if unicodedata.category(c) in ("Cf", "Cc")]:
            problems.append(f"holds a hidden U+{ord(hidden[0]):04X}: {line!r}")
        if "not in the document" in line:
            problems.append(f"calls an overflowing section missing: {line}")
    for key, number in KEY_AT_LINE.findall(message):
        path = tuple(int(i) if i else part for part, i in re.findall(r"([a-z_]+)|\[(\d+)\]", key))
        if content.line(path) != int(number):
            problems.append(f"{key} is on line {content.line(path)}, not line {number}")
    return problems


def long_message(layout: str, paper: str, fit: str) -> str | None:
    """The long file's refusal message on one layout, or None when it builds."""
    result = outcome("long-clinic", layout, paper, fit)
    return result if isinstance(result, str) else None


# At normal size the long file is tried on letter only: the refusal messages do not depend on the paper, and each
# of its builds is slow (the file is built with --fit shrink on every paper below).
LETTER = [(layout, paper) for layout, paper in PLACES if paper == "letter"]


def test_the_long_file_needs_shrink_somewhere() -> None:
    assert any(long_message(layout, paper, "error") for layout, paper in LETTER)


@pytest.mark.parametrize(("layout", "paper"), LETTER)
def test_the_long_file_at_normal_size_builds_or_says_what_to_cut(layout: str, paper: str) -> None:
    message = long_message(layout, paper, "error")
    if message is None:
        return
    assert message_problems(message, layout, load_content(CORPUS["long-clinic"])) == []
    assert "too long" in message or "runs off the page" in message


@pytest.mark.parametrize(("layout", "paper"), PLACES)
def test_the_long_file_with_shrink_builds_or_says_why_shrink_cannot(layout: str, paper: str) -> None:
    message = long_message(layout, paper, "shrink")
    if message is None:
        return
    assert message_problems(message, layout, load_content(CORPUS["long-clinic"])) == []
    overflows = [line for line in message.splitlines() if "too long" in line or "runs off" in line]
    assert [line for line in overflows if "use --fit shrink" in line] == [], "advises --fit shrink, already used"
    assert [line for line in overflows if "even at" not in line and "even with --fit shrink" not in line
            and "cannot help" not in line] == []
