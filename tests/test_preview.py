"""othandout preview: a PNG of every page of every layout built, and one contact sheet of them side by side."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image
from typer.testing import CliRunner

from othandout.build import BuildOptions
from othandout.cli import app
from othandout.errors import ContractError
from othandout.outputs.preview import DPI, SHEET_SCALE, write_previews
from support import CONTENT, content_data, write_data


def test_every_page_of_every_layout_and_one_contact_sheet(tmp_path: Path) -> None:
    found = write_previews(BuildOptions(content=CONTENT, out=tmp_path, layouts=["tip-sheet", "trifold"]))
    folder = tmp_path / "preview"
    assert found.pages == [folder / "tip-sheet-p1.png", folder / "trifold-p1.png", folder / "trifold-p2.png"]
    assert found.sheet == folder / "contact-sheet.png"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["preview", "tip-sheet.pdf", "trifold.pdf"]
    with Image.open(found.pages[0]) as portrait, Image.open(found.pages[1]) as landscape:
        assert portrait.size == (round(8.5 * DPI), 11 * DPI)
        assert landscape.size == (11 * DPI, round(8.5 * DPI))
        accent = (0x0B, 0x6E, 0x75)
        assert accent in {colour for _, colour in landscape.convert("RGB").getcolors(1 << 20)}, "drawn, not blank"
    with Image.open(found.sheet) as sheet:
        side_by_side = (8.5 + 11) * DPI * SHEET_SCALE  # the tip sheet's column, then the trifold's
        two_pages = 2 * 8.5 * DPI * SHEET_SCALE         # the trifold's pages, one under the other
        assert side_by_side < sheet.width < side_by_side + 200
        assert two_pages < sheet.height < two_pages + 200


def test_a_preview_after_a_build_draws_the_pdf_that_was_left_as_it_was(tmp_path: Path) -> None:
    """The build before it made the PDF; this one skips it (same inputs) and still draws it."""
    options = BuildOptions(content=CONTENT, out=tmp_path, layouts=["handout"])
    first = write_previews(options)
    drawn = first.pages[0].read_bytes()
    first.pages[0].unlink()
    assert write_previews(options).pages == first.pages
    assert first.pages[0].read_bytes() == drawn


def test_a_failing_layout_is_left_out_and_its_error_still_raised(tmp_path: Path) -> None:
    data = content_data()
    data["faq"] = [dict(data["faq"][i % 3], question=f"Question number {i}?") for i in range(9)]  # the trifold only
    with pytest.raises(ContractError, match="trifold: page 2"):
        write_previews(BuildOptions(content=write_data(tmp_path, data), out=tmp_path / "out",
                                    layouts=["tip-sheet", "trifold"]))
    assert sorted(p.name for p in (tmp_path / "out" / "preview").iterdir()) == ["contact-sheet.png",
                                                                                "tip-sheet-p1.png"]


def test_the_command_prints_one_line_and_its_help_names_the_pdfium_caveat(tmp_path: Path,
                                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "content.yaml").write_bytes(CONTENT.read_bytes())
    result = CliRunner().invoke(app, ["preview", "--layout", "handout"])
    assert (result.exit_code, result.stdout) == (0, "wrote 1 page image and contact-sheet.png into output/preview\n")
    assert (tmp_path / "output" / "handout.pdf").is_file()
    help_text = " ".join(CliRunner().invoke(app, ["preview", "--help"]).stdout.split())
    assert "Example: othandout preview" in help_text
    assert "Arabic or Hebrew" in help_text
