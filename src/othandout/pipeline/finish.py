"""Finish stage: make the written PDF what readers and print shops need (pikepdf and pdfium; no WeasyPrint).

- The structure tree reads in the layout's reading order (the folded brochure: front cover, the inside, then the
  back cover), with no empty tags and no page wrappers; bookmarks follow the same order.
- Every link says where it goes; title, subject, keywords, author and language are in both the document info and
  the XMP metadata.
- Print-shop output gets its TrimBox and BleedBox, and crop marks (and fold marks, if asked for) drawn outside the
  bleed in registration colour, as artifacts."""

from __future__ import annotations

import io
from collections import Counter
from dataclasses import dataclass, field

import pikepdf
import pypdfium2
import pypdfium2.raw as pdfium_c

from othandout.pipeline import digest
from othandout.pipeline.layouts import Box
from othandout.pipeline.papers import MARK_GAP, MARK_LENGTH

MARK_WIDTH = 0.25


@dataclass(frozen=True)
class Place:
    """A region where a reader's eye goes, in reading order: its page and its box in trim coordinates."""

    page: int
    box: Box


@dataclass(frozen=True)
class Finish:
    """What the finished PDF must say and show."""

    title: str
    subject: str
    keywords: str
    author: str
    lang: str
    places: list[Place]                         # in reading order
    trim: tuple[float, float]                   # trim width and height in points
    offset: float = 0.0                         # sheet corner to trim corner
    bleed: float = 0.0
    crop_marks: bool = False
    folds: dict[int, list[float]] = field(default_factory=dict)  # fold marks to draw, per page
    links: dict[str, str] = field(default_factory=dict)          # URI -> what it does, for screen readers
    levels: dict[str, int] = field(default_factory=dict)         # bookmark title -> heading level
    inputs: str = ""                                             # the hash of what made it (digest.inputs)


def finish(data: bytes, f: Finish) -> bytes:
    """The PDF with its structure in reading order, its metadata and links described, and its print marks."""
    regions = _mcid_places(data, f)
    with pikepdf.open(io.BytesIO(data)) as pdf:
        _structure(pdf, regions)
        _outline(pdf, f)
        _links(pdf, f)
        _metadata(pdf, f)
        if f.crop_marks:
            for number, page in enumerate(pdf.pages, start=1):
                _boxes_and_marks(pdf, page, f, f.folds.get(number, []))
        out = io.BytesIO()
        pdf.save(out, deterministic_id=True, compress_streams=True, object_stream_mode=pikepdf.ObjectStreamMode.generate)
    return out.getvalue()


def _place_of(f: Finish, page: int, x: float, y: float, height: float) -> int:
    """The reading-order index of the region holding a point in PDF coordinates (bottom-left origin)."""
    tx, ty = x - f.offset, height - y - f.offset
    for index, place in enumerate(f.places):
        if place.page == page and place.box.x - 1 <= tx <= place.box.right + 1 and place.box.y - 1 <= ty <= place.box.bottom + 1:
            return index
    return len(f.places)


def _mcid_places(data: bytes, f: Finish) -> dict[tuple[int, int], int]:
    """(page number, MCID) -> reading-order index of the region its marked content sits in."""
    found: dict[tuple[int, int], int] = {}
    document = pypdfium2.PdfDocument(data)
    try:
        for number in range(len(document)):
            page = document[number]
            height = page.get_height()
            for obj in page.get_objects(max_depth=3):
                mcid = pdfium_c.FPDFPageObj_GetMarkedContentID(obj.raw)
                if mcid >= 0 and (number + 1, mcid) not in found:
                    left, bottom, right, top = obj.get_bounds()
                    found[(number + 1, mcid)] = _place_of(f, number + 1, (left + right) / 2, (bottom + top) / 2, height)
            page.close()
    finally:
        document.close()
    return found


def _structure(pdf: pikepdf.Pdf, places: dict[tuple[int, int], int]) -> None:
    """Drop empty elements and page wrappers, then order the document's regions as a reader reads them."""
    root = pdf.Root.get("/StructTreeRoot")
    if root is None:
        return
    document = root.K[0] if isinstance(root.K, pikepdf.Array) else root.K
    pages = {page.objgen: n for n, page in enumerate(pdf.pages, start=1)}
    top = []
    for child in list(document.K):
        if _empty(child):
            continue
        grand = [g for g in child.K if not _empty(g)] if str(child.get("/S")) == "/Div" and _is_page(child, pdf) else [child]
        for element in grand:
            _prune(element)
            element.P = document
            top.append(element)
    rank = {id(e): _rank(e, places, pages) for e in top}
    top.sort(key=lambda e: rank[id(e)])
    document.K = pikepdf.Array(top)


def _is_page(element: pikepdf.Object, pdf: pikepdf.Pdf) -> bool:
    """True for the element of a whole page's wrapper (a Div whose children span the page's regions)."""
    kids = element.get("/K")
    return isinstance(kids, pikepdf.Array) and all(isinstance(k, pikepdf.Dictionary) and "/S" in k for k in kids)


def _empty(element: pikepdf.Object) -> bool:
    """True for a structure element with no content below it."""
    if isinstance(element, int) or not isinstance(element, pikepdf.Dictionary):
        return False
    if "/S" not in element:
        return False  # a marked-content or object reference
    kids = element.get("/K")
    if kids is None:
        return True
    if isinstance(kids, pikepdf.Array):
        return all(_empty(k) for k in kids)
    return _empty(kids)


def _prune(element: pikepdf.Object) -> None:
    """Remove empty descendants of an element."""
    kids = element.get("/K")
    if isinstance(kids, pikepdf.Array):
        kept = [k for k in kids if not _empty(k)]
        for k in kept:
            if isinstance(k, pikepdf.Dictionary) and "/S" in k:
                _prune(k)
        element.K = pikepdf.Array(kept)


def _rank(element: pikepdf.Object, places: dict[tuple[int, int], int], pages: dict[tuple[int, int], int]) -> int:
    """The reading-order index most of an element's content sits in."""
    votes: Counter[int] = Counter()
    for page, mcid in _mcids(element, None, pages):
        votes[places.get((page, mcid), 10**6)] += 1
    return votes.most_common(1)[0][0] if votes else 10**6


def _mcids(element: pikepdf.Object, page: int | None, pages: dict[tuple[int, int], int]) -> list[tuple[int, int]]:
    """Every (page, MCID) below a structure element."""
    if isinstance(element, int) or (isinstance(element, pikepdf.Object) and element._type_code == pikepdf.ObjectType.integer):
        return [(page or 0, int(element))]
    if not isinstance(element, pikepdf.Dictionary):
        return []
    if "/Pg" in element:
        page = pages.get(element.Pg.objgen, page)
    if "/MCID" in element:
        return [(page or 0, int(element.MCID))]
    kids = element.get("/K")
    if kids is None:
        return []
    items = list(kids) if isinstance(kids, pikepdf.Array) else [kids]
    return [pair for k in items for pair in _mcids(k, page, pages)]


def _outline(pdf: pikepdf.Pdf, f: Finish) -> None:
    """Rebuild the bookmarks in reading order, nested by heading level."""
    pages = {page.objgen: n for n, page in enumerate(pdf.pages, start=1)}
    with pdf.open_outline() as outline:
        flat = []

        def collect(items: list[pikepdf.OutlineItem]) -> None:
            for item in items:
                flat.append(item)
                collect(list(item.children))
        collect(list(outline.root))
        keyed = []
        for n, item in enumerate(flat):
            dest = item.destination
            if not isinstance(dest, pikepdf.Array) or len(dest) < 4:
                keyed.append(((10**6, n), item))
                continue
            page = pages.get(dest[0].objgen, 0)
            height = float(pdf.pages[page - 1].MediaBox[3]) if page else 0.0
            x, y = float(dest[2] or 0), float(dest[3] or 0)
            # By region in reading order, then in the document's own order: a region's columns read one after
            # the other, not across by height.
            keyed.append(((_place_of(f, page, x + 1, y - 1, height), n), item))
        keyed.sort(key=lambda pair: pair[0])
        outline.root.clear()
        stack: list[tuple[int, pikepdf.OutlineItem]] = []
        for _, item in keyed:
            title = " ".join(item.title.split())  # no-break spaces that keep a heading's last words together
            level = f.levels.get(title, 2)
            fresh = pikepdf.OutlineItem(title, destination=item.destination)
            while stack and stack[-1][0] >= level:
                stack.pop()
            (stack[-1][1].children if stack else outline.root).append(fresh)
            stack.append((level, fresh))


def _links(pdf: pikepdf.Pdf, f: Finish) -> None:
    """Give every link annotation a description a screen reader can say."""
    for page in pdf.pages:
        for annot in page.get("/Annots", []):
            action = annot.get("/A")
            if annot.get("/Subtype") == "/Link" and action is not None and "/URI" in action:
                uri = str(action.URI)
                annot.Contents = pikepdf.String(f.links.get(uri, uri))


def _metadata(pdf: pikepdf.Pdf, f: Finish) -> None:
    """Title, subject, keywords, author and language in the document info and the XMP metadata."""
    pdf.docinfo["/Title"] = pikepdf.String(f.title)
    pdf.docinfo["/Subject"] = pikepdf.String(f.subject)
    pdf.docinfo["/Keywords"] = pikepdf.String(f.keywords)
    pdf.docinfo["/Author"] = pikepdf.String(f.author)
    pdf.docinfo["/Creator"] = pikepdf.String("othandout")
    pdf.Root.Lang = pikepdf.String(f.lang)
    pikepdf.models.PdfMetadata.register_xml_namespace(digest.NAMESPACE, "othandout")
    with pdf.open_metadata(set_pikepdf_as_editor=False, update_docinfo=False) as meta:
        meta["dc:title"] = f.title
        meta["dc:description"] = f.subject
        meta["pdf:Keywords"] = f.keywords
        meta["dc:creator"] = [f.author]
        meta["dc:language"] = [f.lang]
        meta["pdfuaid:part"] = "1"
        if f.inputs:
            meta[f"{{{digest.NAMESPACE}}}inputs"] = f.inputs


def _boxes_and_marks(pdf: pikepdf.Pdf, page: pikepdf.Page, f: Finish, folds: list[float]) -> None:
    """Set the trim and bleed boxes and draw crop (and fold) marks in the slug, outside the bleed."""
    width, height = f.trim
    o, b = f.offset, f.bleed
    page.TrimBox = pikepdf.Array([o, o, o + width, o + height])
    page.BleedBox = pikepdf.Array([o - b, o - b, o + width + b, o + height + b])
    start, end = b + MARK_GAP, b + MARK_GAP + MARK_LENGTH
    lines = []
    for x in (o, o + width):
        for y in (o, o + height):
            sx = -1 if x == o else 1
            sy = -1 if y == o else 1
            lines.append((x + sx * start, y, x + sx * end, y))   # horizontal, beside the corner
            lines.append((x, y + sy * start, x, y + sy * end))   # vertical, above or below the corner
    for fold in folds:
        x = o + fold
        lines += [(x, o - start, x, o - end), (x, o + height + start, x, o + height + end)]
    registration = pdf.make_indirect(pikepdf.Array([
        pikepdf.Name.Separation, pikepdf.Name.All, pikepdf.Name.DeviceCMYK,
        pikepdf.Dictionary(FunctionType=2, Domain=[0, 1], C0=[0, 0, 0, 0], C1=[1, 1, 1, 1], N=1)]))
    if "/Resources" not in page.obj:
        page.obj.Resources = pikepdf.Dictionary()
    if "/ColorSpace" not in page.obj.Resources:
        page.obj.Resources.ColorSpace = pikepdf.Dictionary()
    page.obj.Resources.ColorSpace["/OthRegistration"] = registration
    ops = "".join(f"{x0:.3f} {y0:.3f} m {x1:.3f} {y1:.3f} l " for x0, y0, x1, y1 in lines)
    stream = f"/Artifact BMC q /OthRegistration CS 1 SCN {MARK_WIDTH} w 0 J {ops}S Q EMC\n".encode()
    page.contents_add(pikepdf.Stream(pdf, stream), prepend=False)
