"""The only module that talks to WeasyPrint: HTML and CSS in, a PDF and plain measurements out.

It keeps one warm renderer (font configuration, parsed shared stylesheets), captures WeasyPrint's log messages
per render (safe with several renders in one process), and reads files only through the one reader. WeasyPrint's
laid-out boxes (`page._page_box`) are private: they are read here and nowhere else, and `tests/test_engine.py`
fails loudly when a new WeasyPrint changes them (the reason weasyprint is pinned below 71)."""

from __future__ import annotations

import atexit
import contextvars
import logging
import re
import shutil
import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from urllib.request import DataHandler, Request, url2pathname

from weasyprint import CSS, HTML
from weasyprint.formatting_structure import boxes as wboxes
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse

from othandout.errors import LayoutError
from othandout.pipeline.files import FileRefused, Roots, read_bytes
from othandout.pipeline.html import Source
from othandout.pipeline.measure import Measurements, Rect, TextRun

PX = 0.75  # points per CSS pixel
MAX_RESOURCE_BYTES = 20 * 1024 * 1024
RENDER_SECONDS = 60
MEDIA_TYPES = {".css": "text/css", ".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg",
               ".svg": "image/svg+xml", ".gif": "image/gif", ".webp": "image/webp", ".ttf": "font/ttf",
               ".otf": "font/otf", ".woff": "font/woff", ".woff2": "font/woff2"}
MAX_URL_SHOWN = 160  # a refused address longer than this is shown by its start and its end (the file name)
NOTDEF = re.compile(r'\.notdef glyph rendered for Unicode string unsupported by fonts: "(.*)"')
_RECORDS: contextvars.ContextVar[list[logging.LogRecord] | None] = contextvars.ContextVar("records", default=None)


class SafeFetcher(URLFetcher):
    """Serve `data:` URIs and regular files under the allowed folders (through the one reader); refuse the rest."""

    def __init__(self, roots: list[Path]) -> None:
        super().__init__(allowed_protocols={"file", "data"}, allow_redirects=False, fail_on_errors=False)
        self.roots = Roots.of(*roots)
        self.refused: list[tuple[str, str]] = []

    def fetch(self, url: str, headers: dict | None = None) -> URLFetcherResponse:
        """Fetch one URL, or raise after recording why it was refused."""
        try:
            return self._fetch(url)
        except FileRefused as err:
            self.refused.append((url, err.why))
            raise ValueError(f"refused {url}: {err.why}") from None

    def _fetch(self, url: str) -> URLFetcherResponse:
        """Serve one URL or raise FileRefused."""
        try:
            parts = urlsplit(url)
        except ValueError:
            raise FileRefused(url, "it is not a valid URL") from None
        if parts.scheme.lower() == "data":
            return _data(url)
        if parts.scheme.lower() != "file":
            raise FileRefused(url, "othandout never fetches from the network")
        if parts.netloc.lower() not in ("", "localhost"):
            raise FileRefused(url, f"it names another machine ({parts.netloc})")
        raw = url2pathname(parts.path)
        if "\0" in raw or not Path(raw).is_absolute():
            raise FileRefused(url, "it is not an absolute file path")
        path = Path(raw)
        body = read_bytes(path, self.roots, MAX_RESOURCE_BYTES, shown=url)
        media = MEDIA_TYPES.get(path.suffix.lower(), "application/octet-stream")
        return URLFetcherResponse(path.resolve().as_uri(), body, headers={"Content-Type": media})


def _data(url: str) -> URLFetcherResponse:
    """Decode a `data:` URI in memory, without going through urllib's openers."""
    try:
        with DataHandler().data_open(Request(url)) as response:
            return URLFetcherResponse(url, response.read(), headers={"Content-Type": response.headers["Content-Type"]})
    except ValueError:
        raise FileRefused(url[:40], "it is not a valid data: URI") from None


class _Router(logging.Handler):
    """Send each WeasyPrint log record to the render that is running in this thread or task."""

    def emit(self, record: logging.LogRecord) -> None:
        """Keep the record for the current render, if any."""
        records = _RECORDS.get()
        if records is not None:
            records.append(record)


_ROUTER = _Router(level=logging.WARNING)
logging.getLogger("weasyprint").addHandler(_ROUTER)
logging.getLogger("weasyprint").propagate = False


@contextmanager
def _captured() -> Iterator[list[logging.LogRecord]]:
    """Collect this render's WeasyPrint warnings and errors (other threads keep their own)."""
    records: list[logging.LogRecord] = []
    token = _RECORDS.set(records)
    try:
        yield records
    finally:
        _RECORDS.reset(token)


class RenderTimeout(Exception):
    """A render took longer than its budget."""


@contextmanager
def _budget(seconds: float, name: str) -> Iterator[None]:
    """Stop a render that runs past its time budget (main thread only; elsewhere the caller bounds it)."""
    if threading.current_thread() is not threading.main_thread() or not hasattr(signal, "setitimer"):
        yield
        return

    def expire(signum: int, frame: Any) -> None:
        raise RenderTimeout(name)

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


class Engine:
    """A warm WeasyPrint: one font configuration and parsed shared stylesheets, reused by every render."""

    def __init__(self) -> None:
        self.fonts = FontConfiguration()
        self._sheets: dict[tuple[str, Path], CSS] = {}
        atexit.register(self.close)

    def close(self) -> None:
        """Delete the temporary font folder WeasyPrint made, which it leaves behind at exit, and let the font
        configuration go while Python can still run its clean-up (the engine is not used after this)."""
        folder = getattr(self.fonts, "_folder", None)
        if folder:
            shutil.rmtree(folder, ignore_errors=True)
        self._sheets.clear()
        self.fonts = None  # type: ignore[assignment]

    def _css(self, text: str, base: Path, fetcher: SafeFetcher, shared: bool) -> CSS:
        """A parsed stylesheet; shared ones (fonts, the base CSS) are parsed once per engine."""
        key = (text, base)
        if shared and key in self._sheets:
            return self._sheets[key]
        sheet = CSS(string=text, base_url=base.resolve().as_uri() + "/", url_fetcher=fetcher, font_config=self.fonts)
        if shared:
            self._sheets[key] = sheet
        return sheet

    def render(self, source: Source, name: str, shared: int = 0) -> Rendering:
        """Lay out a document; `shared` is how many leading stylesheets are the same for every render."""
        fetcher = SafeFetcher(source.roots)
        with _captured() as records, _budget(RENDER_SECONDS, name):
            try:
                sheets = [self._css(s.text, s.base, fetcher, i < shared) for i, s in enumerate(source.css)]
                document = HTML(string=source.html, base_url=source.roots[0].resolve().as_uri() + "/",
                                url_fetcher=fetcher).render(stylesheets=sheets, font_config=self.fonts)
            except RenderTimeout:
                raise LayoutError(f"{name}: laying out took longer than {RENDER_SECONDS} s, so it was stopped",
                                  hint="a layout's CSS or template makes the page too heavy; simplify it") from None
            except MemoryError:
                raise LayoutError(f"{name}: laying out needed too much memory, so it was stopped") from None
        rendering = Rendering(document, fetcher, source.offset)
        rendering.absorb(records)
        return rendering


class Rendering:
    """A laid-out document: its measurements now, its PDF on request."""

    def __init__(self, document: Any, fetcher: SafeFetcher, offset: float) -> None:
        self._document = document
        self._fetcher = fetcher
        self.measurements = measure(document, offset)

    def absorb(self, records: list[logging.LogRecord]) -> None:
        """Sort log records and refused fetches into errors, warnings and missing glyphs, once each."""
        m = self.measurements
        for url, why in self._fetcher.refused:
            shown = url if len(url) <= MAX_URL_SHOWN else f"{url[:60]}…{url[-(MAX_URL_SHOWN - 61):]}"
            message = f"refused {shown}: {why}"
            if message not in m.errors:
                m.errors.append(message)
        for record in records:
            message = record.getMessage().splitlines()[0]
            if any(url in message for url, _ in self._fetcher.refused):
                continue
            if glyph := NOTDEF.search(message):
                m.missing_glyphs.append(glyph.group(1))
            elif record.levelno >= logging.ERROR:
                m.errors.append(message)
            elif message not in m.warnings:
                m.warnings.append(message)

    def pdf(self) -> bytes:
        """Write the tagged PDF (PDF/UA-1) in memory; anything fetched now is policed like before."""
        with _captured() as records:
            data = self._document.write_pdf(pdf_variant="pdf/ua-1")
        self.absorb(records)
        return data


def measure(document: Any, offset: float) -> Measurements:
    """Page sizes, every id's rectangles and every text run, in points from the trim corner."""
    pages, found, texts = [], {}, []
    for number, page in enumerate(document.pages, start=1):
        pages.append((page.width * PX, page.height * PX))
        for name, (x0, y0, x1, y1) in page.anchors.items():
            found.setdefault(name, []).append(Rect(number, x0 * PX - offset, y0 * PX - offset,
                                                   x1 * PX - offset, y1 * PX - offset))
        texts += _texts(page._page_box, number, offset)
    return Measurements(pages, found, texts)


def _texts(root: Any, page: int, offset: float) -> list[TextRun]:
    """Every text box of a page with its size, weight, colour, the colour painted behind it and its region."""
    painted: list[tuple[Rect, str]] = []
    runs: list[TextRun] = []

    def walk(box: Any, region: str | None) -> None:
        element = getattr(box, "element", None)
        box_id = element.get("id", "") if element is not None else ""
        region = box_id.removeprefix("region-") if box_id.startswith("region-") else region
        style = box.style
        if style["background_color"].alpha > 0 and box.width and box.height:
            painted.append((_rect(box, page, offset), _hex(style["background_color"])))
        if isinstance(box, wboxes.TextBox) and box.text.strip():
            rect = _rect(box, page, offset)
            cx, cy = (rect.x0 + rect.x1) / 2, (rect.y0 + rect.y1) / 2
            behind = next((c for r, c in reversed(painted) if r.x0 <= cx <= r.x1 and r.y0 <= cy <= r.y1), "#ffffff")
            runs.append(TextRun(rect, box.text, style["font_size"] * PX, int(style["font_weight"]),
                                _hex(style["color"]), behind, region))
        for child in getattr(box, "children", ()):
            walk(child, region)

    walk(root, None)
    return runs


def _rect(box: Any, page: int, offset: float) -> Rect:
    """A box's border rectangle in points from the trim corner."""
    x, y = box.border_box_x(), box.border_box_y()
    return Rect(page, x * PX - offset, y * PX - offset, (x + box.border_width()) * PX - offset,
                (y + box.border_height()) * PX - offset)


def _hex(colour: Any) -> str:
    """A WeasyPrint colour as #rrggbb, blended over white when it is translucent."""
    alpha = colour.alpha
    return "#" + "".join(f"{round(255 * (c * alpha + 1 - alpha)):02x}" for c in colour.to("srgb").coordinates)
