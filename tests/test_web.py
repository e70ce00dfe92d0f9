"""The web page: its head (language, title, description, canonical, Open Graph, JSON-LD), one h1, the focus phrase
in an h2, every section and link; then the real page in Debian's chromium at phone and desktop widths, checked
with axe-core for WCAG 2 A and AA."""

from __future__ import annotations

import json
import os
import re
import sys
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import quote

import pytest
from typer.testing import CliRunner

from othandout.cli import app
from othandout.errors import ContentError
from othandout.outputs.web import focus_heading, has_phrase, write_site
from othandout.pipeline import fonts
from othandout.pipeline.content import load_content
from support import CONTENT, content_data, write_data

CHROMIUM = Path("/usr/bin/chromium")
AXE = Path(sys.prefix) / "share" / "axe" / "axe.min.js"  # scripts/setup.sh puts it there
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
WIDTHS = {"phone": 360, "desktop": 1280}


class Page(HTMLParser):
    """The parts of a page the tests read: every element's attributes, and the text of each heading and title."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str]]] = []
        self.texts: dict[str, list[str]] = {}
        self.all_text: list[str] = []
        self._open: list[str] = []
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, {k: v or "" for k, v in attrs}))
        if tag in ("title", "h1", "h2", "h3", "script"):
            self._open.append(tag)
            self.texts.setdefault(tag, []).append("")

    def handle_endtag(self, tag: str) -> None:
        if self._open and self._open[-1] == tag:
            self._open.pop()

    def handle_data(self, data: str) -> None:
        self.all_text.append(data)
        if self._open:
            self.texts[self._open[-1]][-1] += data

    def find(self, tag: str, **attrs: str) -> list[dict[str, str]]:
        """The attributes of every `tag` element whose attributes include `attrs`."""
        return [a for t, a in self.elements if t == tag and all(a.get(k.replace("_", ":")) == v for k, v in attrs.items())]

    def meta(self, **attrs: str) -> str:
        """The content of the one <meta> element with these attributes."""
        [found] = self.find("meta", **attrs)
        return found["content"]

    def text(self, tag: str) -> list[str]:
        """The text of every `tag` element, spaces folded and invisible break hints removed."""
        return [_plain(t) for t in self.texts.get(tag, [])]

    @property
    def body(self) -> str:
        """All text of the page, folded."""
        return _plain(" ".join(self.all_text))


def _plain(text: str) -> str:
    """Text as a reader sees it: no zero-width spaces, no-break spaces as spaces, white space folded."""
    text = text.replace("\u200b", "").replace("\u2060", "").replace("\u2011", "-").replace("\u00a0", " ")
    return " ".join(text.split())


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The web page of the shipped content."""
    return write_site(CONTENT, tmp_path_factory.mktemp("site") / "web")


@pytest.fixture(scope="module")
def page(site: Path) -> Page:
    return Page(site.read_text(encoding="utf-8"))


def test_it_writes_the_page_its_stylesheet_and_the_fonts_beside_it(site: Path) -> None:
    folder = site.parent
    assert site.name == "index.html"
    css = (folder / "style.css").read_text(encoding="utf-8")
    fonts = re.findall(r"url\('fonts/([^']+)'\)", css)
    assert fonts and all((folder / "fonts" / name).is_file() for name in fonts)
    assert "AtkinsonHyperlegible-Regular.ttf" in fonts
    assert not re.search(r"url\((?!'fonts/)", css), "the stylesheet loads nothing but the fonts beside it"
    assert "@media print" in css and "@media (min-width: 60em)" in css


def test_the_head_has_language_title_description_canonical_and_open_graph(page: Page) -> None:
    content = load_content(CONTENT)
    [html] = page.find("html")
    assert html["lang"] == "en-US"
    [title] = page.text("title")
    assert title == f"{content.title} | {content.organization.name}"
    assert has_phrase(title, content.seo.focus_phrase, "en")
    description = " ".join(content.seo.meta_description.split())
    assert page.meta(name="description") == description
    assert [link["href"] for link in page.find("link", rel="canonical")] == ["https://maplegrove.example"]
    assert page.meta(property="og:type") == "article"
    assert page.meta(property="og:title") == content.title
    assert page.meta(property="og:description") == description
    assert page.meta(property="og:url") == "https://maplegrove.example"
    assert page.meta(property="og:locale") == "en_US"
    assert page.find("meta", name="viewport")


def test_the_structured_data_is_a_medical_web_page_published_by_the_clinic(page: Page) -> None:
    [script] = page.find("script", type="application/ld+json")
    [text] = page.text("script")
    data = json.loads(text)
    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "MedicalWebPage"
    assert data["inLanguage"] == "en-US"
    assert data["dateModified"] == "2026-11"
    assert data["publisher"] == {"@type": "Organization", "name": "Maple Grove Pediatric Therapy (example clinic)",
                                 "url": "https://maplegrove.example", "telephone": "(555) 010-0199",
                                 "email": "hello@maplegrove.example", "address": "123 Example Street, Springfield"}
    assert data["url"] == "https://maplegrove.example"


def test_one_h1_the_focus_phrase_in_an_h2_and_every_part_of_the_article(page: Page) -> None:
    content = load_content(CONTENT)
    assert page.text("h1") == [content.title]
    assert focus_heading(content) == "What occupational therapy for kids is"
    assert focus_heading(content) in page.text("h2")
    h2, h3 = page.text("h2"), page.text("h3")
    parents = [s.heading for s in content.sections if s.audience == "parents"]
    staff = [s.heading for s in content.sections if s.audience == "staff"]
    assert [h for h in h2 if h in parents] == parents
    assert h2.index(parents[-1]) < h2.index("Quick FAQ") < h2.index(content.teacher_title)  # parents, then staff
    assert [h for h in h3 if h in staff] == staff
    assert [e.question for e in content.faq] == [h for h in h3 if h.endswith("?")]
    assert "What you can do next" in h2 and "Talk with us" in h2
    body = page.body
    for text in [content.intro, content.in_simple_terms, content.footer_note, *content.next_steps,
                 *content.teacher_next_steps, *(i.text for s in content.sections for i in s.items),
                 *(e.answer for e in content.faq)]:
        assert _plain(text) in body
    assert "Reviewed November 2026" in body and content.sources in body


def test_phone_email_and_web_are_links(page: Page) -> None:
    hrefs = [a["href"] for a in page.find("a")]
    assert hrefs.count("tel:5550100199") == 2  # the call to action and the contact details
    assert hrefs.count("mailto:hello@maplegrove.example") == 2
    assert "https://maplegrove.example" in hrefs
    assert all(h.startswith(("tel:", "mailto:", "https://", "#")) for h in hrefs), hrefs
    [qr] = page.find("img", **{"class": "qr-code"})
    assert qr["src"].startswith("data:image/svg+xml;base64,") and "maplegrove.example" in qr["alt"]


def test_addresses_break_with_wbr_and_copy_as_typed(site: Path) -> None:
    """A zero-width space inside the shown email would be copied with it, and the address would not work."""
    html = site.read_text(encoding="utf-8")
    assert "\u200b" not in html
    assert "hello@<wbr>maplegrove.<wbr>example" in html


def test_staff_sections_without_a_teacher_title_get_the_label_and_spanish_is_spanish(tmp_path: Path) -> None:
    data = content_data()
    del data["teacher_title"]
    data["lang"] = "es"
    html = Page(write_site(write_data(tmp_path, data), tmp_path / "web").read_text(encoding="utf-8"))
    assert html.find("html")[0]["lang"] == "es"
    assert html.meta(property="og:locale") == "es"
    assert "Para maestros y personal escolar" in html.text("h2")
    assert "Ir al contenido principal" in html.body
    assert json.loads(html.text("script")[0])["inLanguage"] == "es"


def test_no_web_address_means_no_canonical_no_og_url_and_no_qr_code(tmp_path: Path) -> None:
    data = content_data()
    for key in ("web_url", "qr"):
        data.pop(key, None)
    del data["organization"]["website"]
    html = Page(write_site(write_data(tmp_path, data), tmp_path / "web").read_text(encoding="utf-8"))
    assert not html.find("link", rel="canonical")
    assert not html.find("meta", property="og:url")
    assert not html.find("img", **{"class": "qr-code"})
    assert "Scan to read this online" not in html.body
    assert "url" not in json.loads(html.text("script")[0])


def test_web_url_is_the_canonical_address_and_the_qr_target(tmp_path: Path) -> None:
    data = content_data()
    data["web_url"] = "https://maplegrove.example/handouts/ot-for-kids"
    html = Page(write_site(write_data(tmp_path, data), tmp_path / "web").read_text(encoding="utf-8"))
    assert html.find("link", rel="canonical")[0]["href"] == data["web_url"]
    assert "maplegrove.example/handouts/ot-for-kids" in html.body


def test_the_logo_is_inlined_and_a_script_the_main_face_lacks_brings_its_font(tmp_path: Path) -> None:
    from PIL import Image

    data = content_data()
    data["organization"]["logo"] = "logo.png"
    data["footer_note"] = "Information in English; معلومات باللغة العربية."
    Image.new("RGB", (90, 30), "#0b6e75").save(tmp_path / "logo.png")
    site = write_site(write_data(tmp_path, data), tmp_path / "web")
    html = Page(site.read_text(encoding="utf-8"))
    [logo] = html.find("img", **{"class": "logo"})
    assert logo["src"].startswith("data:image/png;base64,") and logo["alt"] == (
        "Maple Grove Pediatric Therapy (example clinic) logo")
    assert html.find("span", dir="rtl")
    arabic = fonts.face_for("العربية")
    assert arabic is not None and arabic.rtl
    for entry in fonts.font_files(arabic):
        name = Path(entry["path"]).name
        assert (site.parent / "fonts" / name).is_file()
        assert f"url('fonts/{quote(name)}')" in (site.parent / "style.css").read_text()
    assert not (site.parent / "fonts" / "NotoSans[wdth,wght].ttf").exists(), "only the faces the content needs"


def test_text_is_escaped_and_the_json_ld_cannot_close_its_script(tmp_path: Path) -> None:
    data = content_data()
    data["title"] = "What is occupational therapy for kids </script><b>?"
    data["seo"]["meta_description"] = 'Kids "OT" & <more>'
    text = write_site(write_data(tmp_path, data), tmp_path / "web").read_text(encoding="utf-8")
    assert "<b>" not in text and text.count("</script>") == 1
    html = Page(text)
    assert html.text("h1") == [data["title"]]
    assert json.loads(html.text("script")[0])["headline"] == data["title"]
    assert html.meta(name="description") == data["seo"]["meta_description"]


def test_a_content_mistake_is_a_located_error_and_writes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "content.yaml"
    path.write_text(CONTENT.read_text(encoding="utf-8").replace("\ntitle:", "\ntitel:", 1), encoding="utf-8")
    with pytest.raises(ContentError, match="unknown key 'titel'"):
        write_site(path, tmp_path / "web")
    assert not (tmp_path / "web").exists()


def test_the_command_prints_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "content.yaml").write_bytes(CONTENT.read_bytes())
    result = CliRunner().invoke(app, ["web"])
    assert (result.exit_code, result.stdout) == (0, "wrote output/web/index.html\n"), result.output
    assert (tmp_path / "output" / "web" / "style.css").is_file()
    help_text = CliRunner().invoke(app, ["web", "--help"]).stdout
    assert "Example: othandout web" in help_text


# The page in a real browser -------------------------------------------------------------------------------------


def _need(condition: bool, why: str) -> None:
    """Skip when a browser tool is missing on a developer's machine; fail in CI, where setup.sh installs them."""
    if not condition:
        if os.environ.get("CI"):
            pytest.fail(f"{why}; scripts/setup.sh --test installs it")
        pytest.skip(f"{why}; run scripts/setup.sh --test")


@pytest.fixture(scope="module")
def browser():
    """Debian's chromium, driven by playwright (its own browser download is not used)."""
    _need(CHROMIUM.exists(), f"{CHROMIUM} is not installed")
    _need(AXE.is_file(), f"axe-core is not at {AXE}")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _need(False, "playwright is not installed")
    with sync_playwright() as driver:
        launched = driver.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"])
        yield launched
        launched.close()


def _in_chromium(browser, site: Path, width: int, shot: Path) -> None:
    """Open the page at a width, photograph it whole, and assert it fits, uses its font and passes axe-core."""
    view = browser.new_page(viewport={"width": width, "height": 800})
    try:
        view.goto(site.as_uri())
        view.wait_for_load_state("load")
        view.screenshot(path=str(shot), full_page=True)
        from PIL import Image

        with Image.open(shot) as image:
            assert image.width == width and image.height > 800
        assert view.evaluate("document.documentElement.scrollWidth") <= width, "nothing runs off the side"
        assert view.evaluate("[...document.fonts].some(f => f.family.includes('Atkinson') && f.status === 'loaded')")
        view.add_script_tag(path=str(AXE))
        result = view.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", AXE_TAGS)
        problems = [f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
                    for v in result["violations"]]
        assert not problems, "\n".join(problems)
        assert len(result["passes"]) > 10
    finally:
        view.close()


@pytest.mark.parametrize("device", WIDTHS)
def test_the_page_in_chromium_fits_the_screen_and_has_no_wcag_violations(browser, site: Path, tmp_path: Path,
                                                                         device: str) -> None:
    _in_chromium(browser, site, WIDTHS[device], tmp_path / f"web-{device}.png")


def test_a_pale_accent_colour_is_darkened_for_text_so_the_page_still_passes(browser, tmp_path: Path) -> None:
    data = content_data()
    data["organization"]["accent_colour"] = "#f5c400"  # a sunny yellow: 1.6:1 on white
    site = write_site(write_data(tmp_path, data), tmp_path / "web")
    _in_chromium(browser, site, WIDTHS["phone"], tmp_path / "web-yellow.png")


def test_printed_the_page_keeps_the_qr_code_and_the_phone_number_as_plain_text(browser, site: Path) -> None:
    view = browser.new_page(viewport={"width": 360, "height": 800})
    try:
        view.goto(site.as_uri())
        style = "([sel, prop]) => getComputedStyle(document.querySelector(sel))[prop]"
        assert view.evaluate(style, [".qr", "display"]) == "none", "a phone screen leaves the code out"
        view.emulate_media(media="print")
        assert view.evaluate(style, [".qr", "display"]) == "block"
        assert view.evaluate(style, [".skip", "display"]) == "none"
        assert view.evaluate(style, [".call-phone", "display"]) == "inline"
        assert view.evaluate(style, [".call-phone", "background-color"]) == "rgba(0, 0, 0, 0)"
        assert view.evaluate(style, [".staff", "break-before"]) == "page"
        pdf = view.pdf(format="Letter")
        assert pdf.startswith(b"%PDF")
    finally:
        view.close()
