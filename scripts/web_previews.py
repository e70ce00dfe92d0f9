"""Regenerate docs/web-phone.png, docs/web-desktop.png and docs/contact-sheet.png: `python scripts/web_previews.py`.

The web page is written from the shipped content.yaml and photographed whole in Debian's chromium (through
playwright, as tests/test_web.py does) at 360 and 1280 px wide; the contact sheet is `othandout preview`'s.
Needs what scripts/setup.sh installs."""

from __future__ import annotations

import io
import sys
import tempfile
from pathlib import Path

from PIL import Image
from playwright.sync_api import sync_playwright

from othandout.build import BuildOptions
from othandout.outputs.preview import write_previews
from othandout.outputs.web import write_site

ROOT = Path(__file__).resolve().parents[1]
WIDTHS = {"phone": 360, "desktop": 1280}


def _small_png(data: bytes, target: Path) -> None:
    """Save a screenshot as a 256-colour PNG: the same to the eye, a third of the bytes in git."""
    with Image.open(io.BytesIO(data)) as image:
        image.convert("RGB").quantize(256, dither=Image.Dither.NONE).save(target, optimize=True)


def main(out: Path = ROOT / "docs") -> None:
    """Write the three images into `out`."""
    with tempfile.TemporaryDirectory() as scratch:
        site = write_site(ROOT / "content.yaml", Path(scratch) / "web")
        with sync_playwright() as driver:
            browser = driver.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
            for device, width in WIDTHS.items():
                page = browser.new_page(viewport={"width": width, "height": 800})
                page.goto(site.as_uri())
                target = out / f"web-{device}.png"
                _small_png(page.screenshot(full_page=True), target)
                print(target.relative_to(ROOT))
                page.close()
            browser.close()
        found = write_previews(BuildOptions(content=ROOT / "content.yaml", out=Path(scratch) / "output"))
        _small_png(found.sheet.read_bytes(), out / "contact-sheet.png")
        print((out / "contact-sheet.png").relative_to(ROOT))


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs")
