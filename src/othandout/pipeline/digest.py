"""Everything that makes a PDF, as one hash: written into the PDF, so an unchanged build can skip it safely.

The hash covers the validated content (or a batch row merged into it), the logo and QR code, every file of the
layout's folder and the shared base, the options, and the versions of othandout, WeasyPrint and the libraries
and fonts that shape the bytes. It is kept in the PDF's XMP metadata, which is never compressed, so reading it
back needs neither WeasyPrint nor a PDF library."""

from __future__ import annotations

import hashlib
import os
import re
import sys
from functools import cache
from pathlib import Path

from othandout import __version__
from othandout.pipeline.content import Content
from othandout.pipeline.fonts import FACES
from othandout.pipeline.layouts import Layout, base_dir

NAMESPACE = "https://ns.othandout.dev/1.0/"  # our XMP property: <othandout:inputs>hash</othandout:inputs>
RECORD = re.compile(rb'<othandout:inputs xmlns:othandout="' + re.escape(NAMESPACE.encode()) + rb'">([0-9a-f]{64})<')
PACKAGES = ("weasyprint", "pydyf", "pikepdf", "pypdfium2", "fonttools", "pyphen", "segno",
            *(face.package.replace("_", "-") for face in FACES))


@cache
def _libraries() -> str:
    """The versions of everything below othandout that changes the PDF's bytes, read from the installed
    packages' `<name>-<version>.dist-info` folder names (importing importlib.metadata costs more than a build
    with nothing to make may spend)."""
    installed: dict[str, str] = {}
    for entry in reversed(sys.path):  # the first folder on the path wins, as it does for imports
        try:
            names = os.listdir(entry or ".")
        except OSError:
            continue
        for name in names:
            if name.endswith(".dist-info") and "-" in name:
                package, _, release = name[: -len(".dist-info")].rpartition("-")
                installed[package.lower().replace("_", "-").replace(".", "-")] = release
    found = [f"{name}={installed.get(name, '-')}" for name in PACKAGES]
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
    try:
        found = RECORD.search(path.read_bytes()) if path.is_file() else None
    except OSError:
        return None
    return found.group(1).decode() if found else None
