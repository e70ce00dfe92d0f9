"""Everything that makes a PDF, as one hash: written into the PDF, so an unchanged build can skip it safely.

The hash covers the validated content (or a batch row merged into it), the logo and QR code, every file of the
layout's folder and the shared base, the options, and the versions of othandout, WeasyPrint and the libraries
and fonts that shape the bytes. Reading it back needs pikepdf only, not WeasyPrint."""

from __future__ import annotations

import hashlib
import io
from functools import cache
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from othandout import __version__
from othandout.pipeline.content import Content
from othandout.pipeline.layouts import Layout, base_dir

KEY = "/OthandoutInputs"
PACKAGES = ("weasyprint", "pydyf", "pikepdf", "pypdfium2", "fonttools", "pyphen", "segno", "fontpkg-atkinson-hyperlegible",
            "fontpkg-noto-sans", "fontpkg-noto-sans-arabic", "fontpkg-heebo")


@cache
def _libraries() -> str:
    """The versions of everything below othandout that changes the PDF's bytes."""
    found = []
    for name in PACKAGES:
        try:
            found.append(f"{name}={version(name)}")
        except PackageNotFoundError:
            found.append(f"{name}=-")
    return f"othandout={__version__};" + ";".join(found)


def _folder(folder: Path) -> str:
    """A hash of a folder's files: names, sizes and contents (layout folders are small)."""
    digest = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
        digest.update(str(path.relative_to(folder)).encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def inputs(content: Content, layout: Layout, options: str, logo: bytes | None) -> str:
    """The hash of everything that makes this layout's PDF (the QR code follows from the content)."""
    digest = hashlib.sha256()
    for part in (_libraries(), content.model_dump_json(), _folder(layout.folder), _folder(base_dir()), options):
        digest.update(part.encode() + b"\0")
    digest.update(logo or b"")
    return digest.hexdigest()


def recorded(path: Path) -> str | None:
    """The inputs hash a PDF was made from, or None (no file, not ours, unreadable)."""
    if not path.is_file():
        return None
    import pikepdf

    try:
        with pikepdf.open(io.BytesIO(path.read_bytes())) as pdf:
            value = pdf.docinfo.get(KEY)
            return str(value) if value is not None else None
    except (pikepdf.PdfError, OSError, ValueError):
        return None
