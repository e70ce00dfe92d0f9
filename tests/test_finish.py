"""The finish stage and what it guarantees readers: tagged PDF/UA-1 checked by an independent checker (page), a
structure tree and bookmarks in the layout's reading order, no empty tags, described links, metadata in the
document info and XMP, and text that is big enough and stands out from what it is printed on."""

from __future__ import annotations

import io
from pathlib import Path

import page
import pikepdf
import pytest

from othandout.errors import ContractError
from othandout.pipeline.content import load_content
from othandout.pipeline.layouts import load_layout
from support import CONTENT, LAYOUT_PAPERS, LAYOUTS, ROOT, build_into, built_pdf, content_data, user_layout, write_data


def ua_failures(data: bytes) -> list[str]:
    """The PDF/UA-1 rules the independent checker says the PDF breaks."""
    report = page.validate_pdf_bytes(data, profile="ua1")
    return sorted({f"{f.rule_id}: {f.message}" for f in report.failures})


@pytest.mark.parametrize(("layout", "paper"), LAYOUT_PAPERS)
def test_every_layout_and_paper_is_pdf_ua_1(layout: str, paper: str) -> None:
    assert ua_failures(built_pdf(layout, paper)) == []


@pytest.mark.parametrize("layout", LAYOUTS)
def test_print_shop_output_with_marks_is_pdf_ua_1_too(layout: str) -> None:
    folded = load_layout(layout, ROOT).manifest.folded
    assert ua_failures(built_pdf(layout, bleed=True, fold_marks=folded)) == []


def test_a_shrunk_build_and_a_users_own_layout_are_pdf_ua_1(tmp_path: Path) -> None:
    data = content_data()
    data["faq"] = [dict(data["faq"][i % 3], question=f"Question number {i}?") for i in range(6)]
    [shrunk] = build_into(write_data(tmp_path, data), tmp_path / "out", "trifold", fit="shrink")
    assert shrunk.shrunk and ua_failures(shrunk.data) == []
    own = tmp_path / "own"
    own.mkdir()
    [mine] = build_into(user_layout(own, "tip-sheet", css="h2 { letter-spacing: 0.02em; }"), own / "out", "tip-sheet")
    assert ua_failures(mine.data) == []


def test_the_checker_fails_an_untagged_pdf() -> None:
    """Control: the same document written without tags (WeasyPrint's default) breaks PDF/UA-1 rules."""
    from othandout.build import engine
    from othandout.pipeline.fit import lay_out
    from othandout.pipeline.html import Assets
    from othandout.pipeline.papers import PaperSpec

    content = load_content(CONTENT)
    laid = lay_out(content, load_layout("handout", ROOT), PaperSpec(), Assets.of(content, ROOT), "error", engine())
    untagged = laid.rendering._document.write_pdf()  # noqa: SLF001 - the control needs the raw, untagged writer
    assert ua_failures(untagged)


def structure(data: bytes) -> list[tuple[str, int, str]]:
    """The structure tree, depth first: (tag, depth, first text of its page area) is too much; (tag, depth) suffices."""
    found: list[tuple[str, int, str]] = []
    with pikepdf.open(io.BytesIO(data)) as pdf:
        def walk(element: pikepdf.Object, depth: int) -> None:
            if isinstance(element, pikepdf.Dictionary) and "/S" in element:
                found.append((str(element.S), depth, ""))
                kids = element.get("/K")
                for kid in (kids if isinstance(kids, pikepdf.Array) else [kids] if kids is not None else []):
                    walk(kid, depth + 1)
        walk(pdf.Root.StructTreeRoot.K[0] if isinstance(pdf.Root.StructTreeRoot.K, pikepdf.Array)
             else pdf.Root.StructTreeRoot.K, 0)
    return found


@pytest.mark.parametrize("layout", LAYOUTS)
def test_the_first_heading_is_the_h1_title_and_no_tag_is_empty(layout: str) -> None:
    tags = structure(built_pdf(layout))
    headings = [tag for tag, _, _ in tags if tag in ("/H1", "/H2", "/H3")]
    assert headings[0] == "/H1" and headings.count("/H1") == 1
    with pikepdf.open(io.BytesIO(built_pdf(layout))) as pdf:
        def empty(element: pikepdf.Object) -> bool:
            kids = element.get("/K")
            return kids is None or (isinstance(kids, pikepdf.Array) and len(kids) == 0)
        elements = []

        def walk(element: pikepdf.Object) -> None:
            if isinstance(element, pikepdf.Dictionary) and "/S" in element:
                elements.append(element)
                kids = element.get("/K")
                for kid in (kids if isinstance(kids, pikepdf.Array) else [kids] if kids is not None else []):
                    walk(kid)
        walk(pdf.Root.StructTreeRoot.K[0])
        assert not [str(e.S) for e in elements if empty(e)]


def reading_texts(data: bytes) -> list[str]:
    """The text of each top-level structure element, in the order the structure tree gives them."""
    import pypdfium2
    import pypdfium2.raw as raw

    document = pypdfium2.PdfDocument(data)
    texts: dict[tuple[int, int], str] = {}
    for number in range(len(document)):
        textpage = document[number].get_textpage()
        for obj in document[number].get_objects(max_depth=3):
            mcid = raw.FPDFPageObj_GetMarkedContentID(obj.raw)
            if mcid >= 0 and obj.type == 1:
                left, bottom, right, top = obj.get_bounds()
                texts[(number, mcid)] = texts.get((number, mcid), "") + textpage.get_text_bounded(left, bottom, right, top)
    with pikepdf.open(io.BytesIO(data)) as pdf:
        pages = {p.objgen: n for n, p in enumerate(pdf.pages)}

        def collect(element: pikepdf.Object, page_no: int | None) -> str:
            if isinstance(element, pikepdf.Dictionary):
                page_no = pages.get(element.Pg.objgen, page_no) if "/Pg" in element else page_no
                if "/MCID" in element:
                    return texts.get((page_no, int(element.MCID)), "")
                kids = element.get("/K")
                return " ".join(collect(k, page_no) for k in (kids if isinstance(kids, pikepdf.Array) else [kids])
                                if k is not None)
            if isinstance(element, int) or getattr(element, "_type_code", None) == pikepdf.ObjectType.integer:
                return texts.get((page_no, int(element)), "")
            return ""
        return [" ".join(collect(k, None).split()) for k in pdf.Root.StructTreeRoot.K[0].K]


def test_the_trifold_reads_front_cover_then_inside_then_back_cover() -> None:
    content = load_content(CONTENT)
    order = reading_texts(built_pdf("trifold"))
    first = lambda needle: next(i for i, text in enumerate(order) if needle in text)  # noqa: E731
    cover, flap = first(content.title[:20]), first(content.words()["in_simple_terms"])
    sections = [first(s.heading[:18]) for s in content.sections if s.audience == "parents"]
    back = first(content.footer_note[:30])
    assert cover == 0 and cover < flap <= min(sections) and max(sections) < back == len(order) - 1
    assert sections == sorted(sections)  # the panels that hold them are read in order: flap, left, middle, right


def test_the_bookmarks_follow_the_reading_order_and_nest_by_level() -> None:
    content = load_content(CONTENT)
    with pikepdf.open(io.BytesIO(built_pdf("trifold"))) as pdf, pdf.open_outline() as outline:
        [top] = list(outline.root)
        titles = [item.title for item in top.children]
    assert top.title == content.title
    sections = [s.heading for s in content.sections if s.audience == "parents"]
    assert [t for t in titles if t in sections] == sections
    assert titles.index(content.words()["faq"]) > titles.index(sections[-1])


@pytest.mark.parametrize("layout", LAYOUTS)
def test_the_bookmarks_come_in_the_order_a_screen_reader_reads(layout: str) -> None:
    """Down one column, then the next: never across the columns by height."""
    data = built_pdf(layout)
    read = " ".join(" ".join(text.split()) for text in reading_texts(data))
    with pikepdf.open(io.BytesIO(data)) as pdf, pdf.open_outline() as outline:
        titles: list[str] = []

        def collect(items: list[pikepdf.OutlineItem]) -> None:
            for item in items:
                titles.append(" ".join(item.title.split()))
                collect(list(item.children))
        collect(list(outline.root))
    assert len(titles) > 1
    where = [read.find(title) for title in titles]
    assert -1 not in where, [t for t, w in zip(titles, where) if w == -1]
    assert where == sorted(where), titles


def test_the_clinic_name_is_read_once_on_the_trifold() -> None:
    name = load_content(CONTENT).organization.name
    assert sum(text.count(name) for text in reading_texts(built_pdf("trifold"))) == 1


@pytest.mark.parametrize("layout", LAYOUTS)
def test_labels_keep_their_case_and_links_say_where_they_go(layout: str) -> None:
    from support import text_of

    content = load_content(CONTENT)
    data = built_pdf(layout)
    text = text_of(data)
    shown = {b for r in load_layout(layout, ROOT).manifest.regions for b in r.blocks()}
    if "in-simple-terms" in shown:
        assert content.words()["in_simple_terms"] in text  # stored as typed; capitals would be CSS's job
    assert content.words()["in_simple_terms"].upper() not in text and content.words()["contact"].upper() not in text
    with pikepdf.open(io.BytesIO(data)) as pdf:
        links = [(str(a.A.URI), str(a.get("/Contents", ""))) for p in pdf.pages for a in p.get("/Annots", [])
                 if a.get("/Subtype") == "/Link"]
    assert links and all(description for _, description in links)
    assert ("tel:5550100199", f"Phone: {content.organization.phone}") in links


@pytest.mark.parametrize("layout", LAYOUTS)
def test_title_subject_keywords_and_language_are_in_the_info_and_the_xmp(layout: str) -> None:
    content = load_content(CONTENT)
    staff = load_layout(layout, ROOT).manifest.audience == "staff"
    title = content.teacher_title if staff else content.title
    with pikepdf.open(io.BytesIO(built_pdf(layout))) as pdf:
        info, meta = pdf.docinfo, pdf.open_metadata()
        assert (str(info.Title), str(info.Subject), str(info.Keywords)) == (
            title, content.seo.meta_description, content.seo.focus_phrase)
        assert meta["dc:title"] == title and meta["dc:description"] == content.seo.meta_description
        assert meta["pdf:Keywords"] == content.seo.focus_phrase and meta["pdfuaid:part"] == "1"
        assert str(pdf.Root.Lang) == "en-US" and pdf.Root.ViewerPreferences.DisplayDocTitle


def test_the_logo_has_alt_text_from_the_content(tmp_path: Path) -> None:
    from PIL import Image

    data = content_data()
    data["organization"]["logo"] = "logo.png"
    data["organization"]["logo_alt"] = "Maple Grove leaf logo"
    path = write_data(tmp_path, data)
    Image.new("RGB", (200, 100), "#0b6e75").save(tmp_path / "logo.png")
    [built] = build_into(path, tmp_path / "out", "handout")
    figures = [(str(tag)) for tag, _, _ in structure(built.data) if tag == "/Figure"]
    assert figures
    with pikepdf.open(io.BytesIO(built.data)) as pdf:
        alts = set()

        def walk(element: pikepdf.Object) -> None:
            if isinstance(element, pikepdf.Dictionary) and "/S" in element:
                if element.S == "/Figure":
                    alts.add(str(element.get("/Alt", "")))
                kids = element.get("/K")
                for kid in (kids if isinstance(kids, pikepdf.Array) else [kids] if kids is not None else []):
                    walk(kid)
        walk(pdf.Root.StructTreeRoot.K[0])
    assert "Maple Grove leaf logo" in alts


def test_a_low_contrast_accent_fails_naming_the_colours_the_ratio_and_the_layout(tmp_path: Path) -> None:
    data = content_data()
    data["organization"]["accent_colour"] = "#4aa3df"  # a light blue: 2.7:1 on white
    with pytest.raises(ContractError) as err:
        build_into(write_data(tmp_path, data), tmp_path / "out", "trifold")
    message = str(err.value)
    assert "trifold: '" in message and " is #4aa3df on #ffffff, a contrast of 2.7" in message
    assert "text needs 4.5:1 (use a darker accent_colour)" in message


def test_an_accent_that_passes_on_white_is_also_checked_on_the_tint(tmp_path: Path) -> None:
    """#1976d2 is 4.6:1 on white but 4.0:1 on its own tint: headings on tinted panels use the darker shade."""
    data = content_data()
    data["organization"]["accent_colour"] = "#1976d2"
    [built] = build_into(write_data(tmp_path, data), tmp_path / "out", "trifold")
    assert built.pages == 2


@pytest.mark.parametrize("layout", LAYOUTS)
def test_no_text_prints_under_9_pt(layout: str) -> None:
    from support import chars

    assert min(round(c["size"], 2) for page in chars(built_pdf(layout)) for c in page) >= 9


def test_no_text_prints_under_9_pt_at_the_shrink_floor(tmp_path: Path) -> None:
    from support import chars

    data = content_data()
    data["faq"] = [dict(data["faq"][i % 3], question=f"Question number {i}?") for i in range(9)]
    data["footer_note"] = " ".join([data["footer_note"]] * 2)
    [built] = build_into(write_data(tmp_path, data), tmp_path / "out", "trifold", fit="shrink")
    assert min(level.size for level in built.shrunk.values()) <= 10.5
    assert min(round(c["size"], 2) for page in chars(built.data) for c in page) >= 9
