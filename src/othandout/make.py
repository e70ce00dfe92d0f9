"""Making one layout's PDF: lay out (and fit) -> check -> finish. `build` decides what to make and writes it."""

from __future__ import annotations

from othandout.build import Built, BuildOptions, Job, engine
from othandout.errors import ContentError, ContractError
from othandout.pipeline import check, fonts
from othandout.pipeline.blocks import title_key
from othandout.pipeline.content import Content
from othandout.pipeline.finish import Finish, Place, finish
from othandout.pipeline.fit import Laid, lay_out, sized, tall_overflows
from othandout.pipeline.html import Assets, html_lang, standalone
from othandout.pipeline.layouts import Layout
from othandout.pipeline.papers import PaperSpec
from othandout.pipeline.write import write_atomic


def make(content: Content, job: Job, assets: Assets, options: BuildOptions) -> Built:
    """Lay out, check and finish one layout: its Built, with the PDF's bytes for the caller to write, or
    ContractError (the old PDF is never touched here)."""
    layout, spec, target, inputs = job.layout, job.spec, job.target, job.inputs
    laid = lay_out(content, layout, spec, assets, options.fit, engine())
    if options.emit_html:  # what WeasyPrint is given, before the contract is checked: a layout author debugs with it
        write_atomic(standalone(laid.source).encode(), options.emit_html / f"{target.stem}.html",
                     "--emit-html")
    problems = contract_problems(content, layout, spec, laid, options.fit)
    if problems:
        raise ContractError("\n".join(problems))
    data = finish(laid.rendering.pdf(), finishing(content, layout, spec, laid, inputs))
    if laid.measurements.errors:  # what the renderer refused or failed while writing the PDF (attachments, images)
        raise ContractError("\n".join(f"{layout.name}: {error}" for error in laid.measurements.errors))
    if problem := check.font_problem(data, layout.manifest.font):
        raise ContractError(f"{layout.name}: {problem}",
                            hint="make the font-family in the layout's CSS match `font:` in its layout.yaml")
    if laid.measurements.missing_glyphs:  # a layout with its own font: the renderer says what it could not draw
        raise ContractError("\n".join(f"{layout.name}: '{text}' cannot be printed by the layout's font "
                                      f"'{layout.manifest.font}' or any bundled font" for text in laid.measurements.missing_glyphs),
                            hint="remove the character, or give the layout a font that has it")
    warnings = laid.measurements.warnings + check.blank_pages(layout, laid.measurements)
    if options.strict and warnings:
        raise ContractError("\n".join(f"{layout.name}: {w}" for w in warnings),
                            hint="--strict turns renderer warnings into errors; drop it to build anyway")
    shrunk = {r.spec.label: level for r in layout.regions(spec.paper) if (level := laid.levels[r.spec.id]).tight
              or level.size < layout.manifest.body_pt}  # text grown into spare room is not "fitted"
    return Built(layout.name, target, len(laid.measurements.pages), spec.paper, len(data),
                 layout.manifest.body_pt, shrunk, warnings, data)


def contract_problems(content: Content, layout: Layout, spec: PaperSpec, laid: Laid, fit: str = "error") -> list[str]:
    """Everything about the laid-out document that breaks the layout's contract, in plain words (after --fit
    shrink, a region still too long is as small as it may go, so the advice is to cut)."""
    m, src = laid.measurements, laid.source
    problems = [f"{layout.name}: {error}" for error in m.errors] + check.page_problems(layout, spec, src, m)
    overflows = sized(laid, content)
    if any(o.excess == float("inf") for o in overflows):
        tall = tall_overflows(content, layout, spec, laid, engine())
        overflows = [next((t for t in tall if t.region == o.region), o) for o in overflows]
    smallest = fit == "shrink" and layout.manifest.floor_pt < layout.manifest.body_pt
    problems += [check.overflow_message(content, layout, spec, src, o, laid.levels[o.region.spec.id].size, smallest)
                 for o in overflows]
    lost = {o.region.spec.id for o in overflows}
    if missing := check.missing_parts(content, layout, src, m, lost):
        problems.append(missing)
    return problems + check.edge_problems(content, layout, spec, src, m) + check.reading_problems(layout, m)


def finishing(content: Content, layout: Layout, spec: PaperSpec, laid: Laid, inputs: str = "") -> Finish:
    """What the finish stage writes into this layout's PDF."""
    regions = layout.regions(spec.paper)
    title = content.text_at(title_key(content, layout.manifest.audience))
    links = _link_descriptions(content)
    levels = {content.title: 1, **({content.teacher_title: 1} if content.teacher_title else {}),
              **{entry.question: 3 for entry in content.faq}}
    return Finish(title=title, subject=content.seo.meta_description if content.seo else (content.summary or title),
                  keywords=content.seo.focus_phrase if content.seo else "", author=content.organization.name,
                  lang=html_lang(content.lang), places=[Place(r.page, r.box) for r in regions],
                  trim=layout.page_size(spec.paper), offset=spec.offset(),
                  bleed=layout.bleed_pt(spec.paper) if spec.bleed else 0.0, crop_marks=spec.bleed,
                  folds=layout.folds(spec.paper) if spec.fold_marks else {}, links=links, levels=levels,
                  inputs=inputs)


def _link_descriptions(content: Content) -> dict[str, str]:
    """What each link on a handout does, in the content's own words."""
    org, words = content.organization, content.words()
    found = {}
    if org.phone:
        found[org.tel()] = f"{words['phone']}: {org.phone}"
    if org.email:
        found[f"mailto:{org.email}"] = f"{words['email']}: {org.email}"
    if org.website:
        found[org.website] = f"{words['web']}: {org.website}"
    if target := content.qr_target():
        found.setdefault(target, f"{words['web']}: {target}")
    return found


def glyphs(content: Content) -> None:
    """Refuse characters no bundled font can draw, each located, all at once."""
    found = []
    for key, text in check.strings(content.model_dump(), ()):
        for char in sorted({c for c in text if not fonts.drawable(c)}):
            found.append(content.located(key, f"'{char}' (U+{ord(char):04X}) cannot be printed by any bundled font"))
    if found:
        raise ContentError("\n".join(found), hint="remove the character, or give a layout a font that has it "
                                                  "(see docs/layouts.md, `font:`)")


def prepare(content: Content, project: object, layouts: list[Layout]) -> Assets:
    """What the layouts to make share, checked once: every character can be drawn, the logo and the QR code."""
    if any(fonts.bundled(layout.manifest.font) for layout in layouts):
        glyphs(content)
    return Assets.of(content, project)  # type: ignore[arg-type]
