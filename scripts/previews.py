"""Regenerate the PNG previews in docs/ from the shipped content.yaml: `python scripts/previews.py`."""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

import pypdfium2

from othandout.build import BuildOptions, build

ROOT = Path(__file__).resolve().parents[1]
SCALE = 110 / 72  # 110 dpi: sharp enough to judge spacing, small enough for git


def main(out: Path = ROOT / "docs") -> None:
    """Build every layout into a scratch folder and render each page to docs/<layout>-p<N>.png."""
    with tempfile.TemporaryDirectory() as scratch:
        for built in build(BuildOptions(content=ROOT / "content.yaml", out=Path(scratch))):
            pdf = pypdfium2.PdfDocument(str(built.path))
            for number, page in enumerate(pdf, start=1):
                target = out / f"{built.layout}-p{number}.png"
                page.render(scale=SCALE).to_pil().save(target, optimize=True)
                print(target.relative_to(ROOT))
            pdf.close()


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs")
