"""The engine: the one WeasyPrint adapter. HTML and CSS in, a PDF and plain measurements out; logs per render."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
import weasyprint
from weasyprint.formatting_structure import boxes

from othandout.pipeline import fonts
from othandout.pipeline.engine import Engine, Rect
from othandout.pipeline.html import Source, Stylesheet


def source(body: str, css: str = "", width: float = 200.0, height: float = 200.0) -> Source:
    """A one-page document for the engine alone."""
    html = f'<html lang="en"><head><title>t</title></head><body>{body}</body></html>'
    sheet = Stylesheet(f"@page {{ size: {width}pt {height}pt; margin: 0; }} body {{ margin: 0; }} {css}", Path("/"))
    return Source(html, [Stylesheet(fonts.font_css(), Path("/")), sheet], [], {}, fonts.roots(), (width, height), 0.0)


def test_the_private_weasyprint_api_the_engine_reads_is_still_there() -> None:
    """If this fails after a WeasyPrint upgrade, engine.measure() must be ported (see the pin in pyproject.toml)."""
    assert weasyprint.__version__.startswith("70.")
    document = weasyprint.HTML(string="<p id=a>x</p>").render()
    page_box = document.pages[0]._page_box
    found = []

    def walk(box: object) -> None:
        if isinstance(box, boxes.TextBox):
            found.append(box)
        for child in getattr(box, "children", ()):
            walk(child)

    walk(page_box)
    [text] = found
    assert text.text == "x" and text.style["font_size"] > 0 and text.style["color"].alpha == 1
    assert callable(text.border_box_x) and callable(text.border_height)
    assert set(document.pages[0].anchors["a"]) and len(document.pages[0].anchors["a"]) == 4


def test_measurements_give_boxes_text_runs_colours_and_what_is_behind_them() -> None:
    css = "#box { position: absolute; left: 10pt; top: 20pt; width: 100pt; background: #0b6e75; color: #ffffff; " \
          "font-size: 12pt; font-family: 'Atkinson Hyperlegible'; } #box p { margin: 0; }"
    m = Engine().render(source('<div id="box"><p id="p">Hello</p></div>', css), "t").measurements
    assert m.pages == [pytest.approx((200.0, 200.0))]
    [rect] = m.boxes["box"]
    assert (rect.page, round(rect.x0), round(rect.y0), round(rect.x1)) == (1, 10, 20, 110)
    [run] = [r for r in m.texts if r.text == "Hello"]
    assert (run.colour, run.background, run.size, run.weight) == ("#ffffff", "#0b6e75", 12.0, 400)


def test_renderer_messages_go_to_the_render_that_is_running_in_each_thread() -> None:
    """Two renders at once (threads, watch mode) each keep their own WeasyPrint log records."""
    import logging

    from othandout.pipeline.engine import _captured

    barrier, results = threading.Barrier(2), {}

    def render(name: str) -> None:
        with _captured() as records:
            barrier.wait()
            for n in range(50):
                logging.getLogger("weasyprint").warning("%s %d", name, n)
            barrier.wait()
        results[name] = [r.getMessage() for r in records]

    threads = [threading.Thread(target=render, args=(name,)) for name in ("one", "two")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == {name: [f"{name} {n}" for n in range(50)] for name in ("one", "two")}


def test_two_renders_one_after_the_other_keep_their_own_messages() -> None:
    engine = Engine()
    first = engine.render(source("<p>x</p>", "p { colour: 1; }"), "one").measurements.warnings
    second = engine.render(source("<p>x</p>", "p { margn: 1; }"), "two").measurements.warnings
    assert [w.split(" at ")[0] for w in first] == ["Ignored `colour: 1`"]
    assert [w.split(" at ")[0] for w in second] == ["Ignored `margn: 1`"]


def test_missing_characters_are_measured_when_the_pdf_is_drawn_not_logged() -> None:
    rendering = Engine().render(source("<p>Bike \U0001f6b2</p>", "p { font-family: 'Atkinson Hyperlegible'; }"), "t")
    rendering.pdf()  # glyphs are looked up as the text is drawn
    assert rendering.measurements.missing_glyphs == ["\U0001f6b2"]
    assert not any(".notdef" in w for w in rendering.measurements.warnings)


def test_the_pdf_is_tagged_pdf_ua() -> None:
    import io

    import pikepdf

    data = Engine().render(source("<h1>Title</h1><p>Text</p>"), "t").pdf()
    with pikepdf.open(io.BytesIO(data)) as pdf:
        assert "/StructTreeRoot" in pdf.Root and pdf.Root.MarkInfo.Marked


def test_the_engine_removes_its_font_folder_when_closed() -> None:
    engine = Engine()
    engine.render(source("<p>x</p>", "p { font-family: 'Atkinson Hyperlegible'; }"), "t")
    folder = engine.fonts._folder
    assert folder is not None and Path(folder).exists()
    engine.close()
    assert not Path(folder).exists()


def test_rect_is_plain_data() -> None:
    assert Rect(1, 0, 0, 1, 1) == Rect(1, 0.0, 0.0, 1.0, 1.0)


@pytest.mark.parametrize("url", ["http://127.0.0.1:9/x.png", "file:///etc/hostname"])
def test_what_the_fetcher_refuses_is_an_error_of_that_render(url: str) -> None:
    rendering = Engine().render(source(f'<img src="{url}" alt="">'), "t")
    assert any(e.startswith(f"refused {url}") for e in rendering.measurements.errors)
