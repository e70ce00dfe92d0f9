"""Regenerate the PNG previews in docs/: `python scripts/previews.py [FOLDER]`.

Every layout from the shipped content.yaml (docs/<layout>-p<N>.png), the Spanish edition's trifold and the
mixed-script corpus file's handout. Each PDF passes its contract first: a preview is never of a refused build."""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

import pypdfium2

from othandout.build import BuildOptions, build

ROOT = Path(__file__).resolve().parents[1]
SCALE = 110 / 72  # 110 dpi: sharp enough to judge spacing, small enough for git
OTHERS = [(ROOT / "examples" / "es" / "content.yaml", "trifold", "es-"),
          (ROOT / "tests" / "corpus" / "mixed-script.yaml", "handout", "mixed-script-")]


def main(out: Path = ROOT / "docs") -> None:
    """Build into a scratch folder and render each page to <out>/<prefix><layout>-p<N>.png."""
    jobs = [(ROOT / "content.yaml", [], ""), *((content, [layout], prefix) for content, layout, prefix in OTHERS)]
    with tempfile.TemporaryDirectory() as scratch:
        for content, layouts, prefix in jobs:
            options = BuildOptions(content=content, out=Path(scratch) / prefix, layouts=layouts, force=True)
            for built in build(options):
                pdf = pypdfium2.PdfDocument(str(built.path))
                for number, page in enumerate(pdf, start=1):
                    target = out / f"{prefix}{built.layout}-p{number}.png"
                    page.render(scale=SCALE).to_pil().save(target, optimize=True)
                    print(target.relative_to(ROOT) if target.is_relative_to(ROOT) else target)
                pdf.close()


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs")
