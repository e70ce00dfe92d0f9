"""The web page: the same content as one standalone, responsive, accessible page, with its CSS and fonts beside it.

`othandout web` writes output/web/index.html, style.css and fonts/ (only the bundled faces the content needs),
so the page works offline and from any static host. The template is layouts/_web/index.html.j2, filled in the
same sandbox as the layouts, with plain data from the content model."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import quote

from othandout.errors import OthandoutError
from othandout.pipeline import check, fonts
from othandout.pipeline.content import Content, Section, contrast, load_content
from othandout.pipeline.files import FileRefused, Roots, read_bytes
from othandout.pipeline.html import DEFAULT_ACCENT, Assets, contact_lines, reviewed_month, html_lang, shade, tint
from othandout.pipeline.layouts import builtin_dir
from othandout.pipeline.sandbox import Sandbox, render
from othandout.pipeline.write import write_atomic

TEMPLATE = "index.html.j2"
STYLESHEET = "site.css"
MAX_CSS_BYTES = 256 * 1024
MAX_FONT_BYTES = 8 * 1024 * 1024
MIN_CONTRAST = 4.5
RTL_LANGUAGES = {"ar", "he", "fa", "ur", "yi", "ps", "sd", "ug", "dv", "ckb"}
# Ids the page gives its own parts; a section whose id is one of them is prefixed so no id repeats.
OWN_IDS = {"main-content", "next-steps", "next-steps-heading", "for-staff", "staff-next-steps", "faq", "contact",
           "about"}


def web_dir() -> Path:
    """The web page's template and CSS, beside the layouts' shared base (`layouts/_web/`)."""
    return builtin_dir() / "_web"


def write_site(content_path: Path, out: Path) -> Path:
    """Write index.html, its stylesheet and the fonts it uses into `out`; return the index.html path."""
    # Load and validate the content, check the logo and draw the QR code, exactly as the PDFs do.
    content = load_content(content_path)
    assets = Assets.of(content, content_path.parent)
    faces = faces_used(content)
    # Fill the template and write the stylesheet; nothing is written until both succeed.
    page = render(_environment(), TEMPLATE, context(content, assets), "web page")
    css = font_css(faces) + "\n" + colour_css(content) + "\n" + _read_css()
    # Fonts first, then the stylesheet, then the page, each atomically: a failure leaves the old page whole.
    for source, name in font_files(faces):
        write_atomic(_read_font(source), out / "fonts" / name)
    write_atomic(css.encode("utf-8"), out / "style.css")
    write_atomic(page.encode("utf-8"), out / "index.html")
    return out / "index.html"


def _environment() -> Sandbox:
    """The template sandbox for the web page, with the filters the layouts use."""
    return Sandbox([web_dir()], t=fonts.typeset, heading=fonts.heading, addr=fonts.web_address)


def context(content: Content, assets: Assets) -> dict[str, Any]:
    """Everything the page template shows, as plain data."""
    words = content.words()
    everyone = [s for s in content.sections if s.audience != "staff"]
    staff = [s for s in content.sections if s.audience == "staff"]
    contact = contact_lines(content)
    return {
        "doc": document(content),
        "ld": structured_data(content),
        "c": content.model_dump(mode="json"),
        "words": words,
        "logo": assets.logo,
        "qr": assets.qr,
        "contact": contact,
        "calls": [line for line in contact if line["kind"] in ("phone", "email")],
        "reviewed": reviewed_month(content),
        "sections": [_section(s) for s in everyone],
        "staff": {"heading": content.teacher_title or words["for_staff"],
                  "sections": [_section(s) for s in staff],
                  "steps": content.teacher_next_steps} if staff or content.teacher_next_steps else None,
    }


def document(content: Content) -> dict[str, str]:
    """The page's language, title, description and addresses, for <head>."""
    org, seo = content.organization, content.seo
    lang = html_lang(content.lang)
    title = content.title
    if seo and not has_phrase(title, seo.focus_phrase, content.lang):
        title = f"{seo.focus_phrase[:1].upper()}{seo.focus_phrase[1:]}: {title}"
    return {"lang": lang, "dir": "rtl" if lang.split("-")[0].lower() in RTL_LANGUAGES else "ltr",
            "title": f"{title} | {org.name}", "headline": content.title, "description": description(content),
            "keywords": seo.focus_phrase if seo else "", "author": org.name, "canonical": canonical(content) or "",
            "og_locale": lang.replace("-", "_"), "reviewed": content.reviewed or "", "stylesheet": "style.css"}


def description(content: Content) -> str:
    """The meta description: the SEO one, else the summary, the intro or the title."""
    text = content.seo.meta_description if content.seo else content.summary or content.intro or content.title
    return " ".join(text.split())


def canonical(content: Content) -> str | None:
    """The page's own address: `web_url`, else the organization's website."""
    return content.web_url or content.organization.website


def structured_data(content: Content) -> dict[str, Any]:
    """schema.org JSON-LD for a health article: a MedicalWebPage published by the clinic."""
    org = content.organization
    publisher = {"@type": "Organization", "name": org.name,
                 **{key: value for key, value in (("url", org.website), ("telephone", org.phone),
                                                  ("email", org.email), ("address", org.address)) if value}}
    data: dict[str, Any] = {"@context": "https://schema.org", "@type": "MedicalWebPage", "name": content.title,
                            "headline": content.title, "description": description(content),
                            "inLanguage": html_lang(content.lang), "publisher": publisher}
    if url := canonical(content):
        data["url"] = url
    if content.reviewed:
        data["dateModified"] = data["lastReviewed"] = content.reviewed
    if content.seo:
        data["keywords"] = content.seo.focus_phrase
    return data


def has_phrase(text: str, phrase: str, lang: str) -> bool:
    """True when the text holds the focus phrase as the SEO check counts it: as written, or all its words."""
    from othandout.quality.langdata import lang_data, language
    from othandout.quality.seo import missing_words

    return not missing_words(text, phrase, lang_data(language(lang)))


def focus_heading(content: Content) -> str | None:
    """The first heading shown as an h2 that holds the focus phrase, or None (none does, or no phrase is set)."""
    if not content.seo:
        return None
    headings = [s.heading for s in content.sections if s.audience != "staff"]
    if any(s.audience == "staff" for s in content.sections) or content.teacher_next_steps:
        headings.append(content.teacher_title or content.words()["for_staff"])
    return next((h for h in headings if has_phrase(h, content.seo.focus_phrase, content.lang)), None)


def _section(section: Section) -> dict[str, Any]:
    """One section as plain data, with an id that no part of the page shares."""
    anchor = f"section-{section.id}" if section.id in OWN_IDS else section.id
    return {"id": anchor, "heading": section.heading, "intro": section.intro,
            "items": [{"label": item.label, "text": item.text} for item in section.items]}


def faces_used(content: Content) -> list[fonts.Face]:
    """The bundled faces the page needs: the main one, and each fallback some word of the content is set in."""
    used = {fonts.MAIN}
    for _, text in check.strings(content.model_dump(), ()):
        for word in fonts.WORD.findall(text):
            used.add(fonts.face_for(word) or fonts.MAIN)
    return [face for face in fonts.FACES if face in used]


def font_files(faces: list[fonts.Face]) -> list[tuple[Path, str]]:
    """Each font file of the faces, with the name it is copied under."""
    return [(face.root / f["path"], Path(f["path"]).name) for face in faces for f in fonts.font_files(face)]


def font_css(faces: list[fonts.Face]) -> str:
    """@font-face rules pointing at the copies in fonts/, and the classes that pick a fallback face."""
    rules = ["/* Fonts: the bundled faces this page uses, copied into fonts/ beside it */"]
    for face in faces:
        for f in fonts.font_files(face):
            weight = f["weight"] or "100 900"
            rules.append(f"@font-face {{ font-family: '{face.family}'; "
                         f"src: url('fonts/{quote(Path(f['path']).name)}') format('truetype'); "
                         f"font-weight: {weight}; font-style: {f['style']}; font-display: swap; }}")
    rules += [f".{face.css_class} {{ font-family: '{face.family}', sans-serif; }}" for face in fonts.FALLBACKS]
    return "\n".join(rules)


def colour_css(content: Content) -> str:
    """The content's accent colour, and a darker one for text that keeps 4.5:1 on white and on the pale tint."""
    accent = content.organization.accent_colour or DEFAULT_ACCENT
    pale = tint(accent, 0.92)
    return ("/* Variables: from organization.accent_colour */\n"
            f":root {{ --accent: {accent}; --tint: {pale}; --accent-text: {readable(accent, pale)}; }}")


def readable(colour: str, background: str) -> str:
    """The colour, darkened just enough for a contrast of 4.5:1 on `background` (and so on white)."""
    for step in range(21):
        darker = shade(colour, step / 20)
        if contrast(darker, background) >= MIN_CONTRAST:
            return darker
    return "#000000"


def _read_css() -> str:
    """The page's own stylesheet, read through the one reader."""
    try:
        return read_bytes(web_dir() / STYLESHEET, Roots.of(web_dir()), MAX_CSS_BYTES).decode("utf-8")
    except (FileRefused, UnicodeDecodeError) as err:
        raise OthandoutError(f"the web page's stylesheet cannot be read: {err}",
                             hint="reinstall othandout") from None


def _read_font(path: Path) -> bytes:
    """A bundled font file, read through the one reader."""
    return read_bytes(path, Roots.of(*fonts.roots()), MAX_FONT_BYTES)
