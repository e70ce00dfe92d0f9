"""The pipeline end to end: atomic writes, failures that lose nothing, strictness, missing sections."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from pypdf import PdfReader

from othandout.build import BuildOptions, build
from othandout.errors import ContentError, ContractError, OthandoutError
from support import CONTENT, build_into, content_data, line_of, user_layout, write_data


def test_a_failed_build_leaves_the_previous_pdf_byte_identical(tmp_path: Path) -> None:
    out = tmp_path / "out"
    [good] = build_into(CONTENT, out, "trifold")
    before = good.path.read_bytes()
    data = content_data()
    data["faq"][2]["answer"] = " ".join([data["faq"][2]["answer"]] * 6)
    with pytest.raises(ContractError):
        build_into(write_data(tmp_path, data), out, "trifold")
    assert good.path.read_bytes() == before
    assert sorted(p.name for p in out.iterdir()) == ["trifold.pdf"]  # no temporary files left behind


def test_invalid_content_leaves_the_previous_pdf_untouched(tmp_path: Path) -> None:
    out = tmp_path / "out"
    [good] = build_into(CONTENT, out, "tip-sheet")
    before = good.path.read_bytes()
    broken = tmp_path / "bad" / "content.yaml"
    broken.parent.mkdir()
    broken.write_text(CONTENT.read_text(encoding="utf-8").replace("title:", "titel:", 1), encoding="utf-8")
    with pytest.raises(ContentError):
        build_into(broken, out, "tip-sheet")
    assert good.path.read_bytes() == before


def test_two_builds_at_once_into_one_folder_both_finish(tmp_path: Path) -> None:
    out = tmp_path / "out"
    command = [sys.executable, "-m", "othandout", "build", "--content", str(CONTENT), "--out", str(out),
               "--layout", "tip-sheet"]
    runs = [subprocess.Popen(command, cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE) for _ in range(2)]
    for run in runs:
        assert run.wait(timeout=120) == 0, run.stderr.read()
    assert len(PdfReader(out / "tip-sheet.pdf").pages) == 1
    assert sorted(p.name for p in out.iterdir()) == ["tip-sheet.pdf"]


def test_a_long_running_process_leaves_no_temporary_folders_behind(tmp_path: Path) -> None:
    """WeasyPrint's font folder outlives a process (such as pytest) that keeps renders alive; we remove it."""
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    script = tmp_path / "test_keep.py"
    script.write_text(
        "from pathlib import Path\n"
        "from othandout.build import BuildOptions, build\n"
        "KEPT = []\n"
        "def test_build():\n"
        f"    KEPT.append(build(BuildOptions(content=Path({str(CONTENT)!r}), out=Path({str(tmp_path / 'out')!r}),"
        " layouts=['tip-sheet'])))\n")
    run = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(script)],
                         capture_output=True, text=True, env={**os.environ, "TMPDIR": str(scratch)}, cwd=tmp_path)
    assert run.returncode == 0, run.stdout
    assert [p.name for p in scratch.iterdir() if p.name.startswith("weasyprint-")] == []


def test_out_that_is_a_file_is_refused_plainly(tmp_path: Path) -> None:
    not_a_folder = tmp_path / "notafolder.pdf"
    not_a_folder.write_bytes(b"keep me")
    with pytest.raises(OthandoutError) as err:
        build_into(CONTENT, not_a_folder, "tip-sheet")
    assert str(err.value) == (f"cannot write into {not_a_folder}: it is a file, not a folder\n"
                              "  hint: choose another folder with --out")
    assert not_a_folder.read_bytes() == b"keep me"


def test_a_folder_in_the_way_of_the_pdf_is_refused_plainly(tmp_path: Path) -> None:
    (tmp_path / "out" / "tip-sheet.pdf").mkdir(parents=True)
    with pytest.raises(OthandoutError) as err:
        build_into(CONTENT, tmp_path / "out", "tip-sheet")
    assert str(err.value) == (f"cannot write {tmp_path / 'out' / 'tip-sheet.pdf'}: a folder of that name is in the way\n"
                              "  hint: move or rename that folder, or choose another folder with --out")


def test_a_layout_whose_audience_has_no_sections_fails_alone(tmp_path: Path) -> None:
    data = content_data()
    data["sections"] = [s for s in data["sections"] if s.get("audience") != "parents"]
    with pytest.raises(ContractError) as err:
        build(BuildOptions(content=write_data(tmp_path, data), out=tmp_path / "out", layouts=["trifold", "tip-sheet"]))
    assert str(err.value) == ("trifold: prints sections for parents, and content.yaml has none\n"
                              "  hint: add a section, or give one `audience: everyone`")
    assert [p.name for p in (tmp_path / "out").iterdir()] == ["tip-sheet.pdf"]


def test_a_broken_template_fails_its_layout_and_the_others_still_build(tmp_path: Path) -> None:
    content = user_layout(tmp_path, "handout", template="{% extends 'base.html.j2' %}{% block nosuch %}")
    with pytest.raises(ContractError) as err:
        build(BuildOptions(content=content, out=tmp_path / "out", layouts=["handout", "tip-sheet"]))
    assert str(err.value) == ("handout: template problem in handout.html.j2 line 1: Unexpected end of template. "
                              "Jinja was looking for the following tags: 'endblock'. "
                              "The innermost block that needs to be closed is 'block'.")
    assert [p.name for p in (tmp_path / "out").iterdir()] == ["tip-sheet.pdf"]


def test_strict_turns_content_warnings_into_errors(tmp_path: Path) -> None:
    data = content_data()
    data["seo"]["meta_description"] = "x" * 170
    path = write_data(tmp_path, data)
    with pytest.raises(OthandoutError) as err:
        build_into(path, tmp_path / "out", "tip-sheet", strict=True)
    line = line_of(path.read_text(encoding="utf-8"), "meta_description:")
    message = f"content.yaml:{line}:3 seo.meta_description: is 170 characters; search engines cut it after 160"
    assert str(err.value).startswith(message)
    warnings: list[str] = []
    build(BuildOptions(content=path, out=tmp_path / "out", layouts=["tip-sheet"]), warn=warnings.append)
    assert warnings == [message]


def test_a_character_no_bundled_font_has_fails_the_build_located(tmp_path: Path) -> None:
    data = content_data()
    data["sections"][4]["items"][0]["text"] = "Yes \u263a indeed \U0001f44d."  # a smiley and a thumbs-up
    path = write_data(tmp_path, data)
    with pytest.raises(ContentError) as err:
        build(BuildOptions(content=path, out=tmp_path / "out", layouts=["tip-sheet", "trifold"]))
    where = f"content.yaml:{line_of(path.read_text(encoding='utf-8'), 'Yes')}"
    assert re.fullmatch(rf"{where}:\d+ sections\[4\]\.items\[0\]\.text: '\u263a' \(U\+263A\) cannot be printed by "
                        rf"any bundled font\n{where}:\d+ sections\[4\]\.items\[0\]\.text: '\U0001f44d' \(U\+1F44D\) "
                        "cannot be printed by any bundled font\n  hint: remove the character, or give a layout a font "
                        "that has it \\(see docs/layouts.md, `font:`\\)", str(err.value)), str(err.value)
    assert not (tmp_path / "out").exists()


def test_a_section_no_layout_prints_is_a_warning(tmp_path: Path) -> None:
    path = user_layout(tmp_path, "tip-sheet")  # this project's own tip sheet is for parents
    manifest = tmp_path / "layouts" / "tip-sheet" / "layout.yaml"
    manifest.write_text(manifest.read_text(encoding="utf-8").replace("audience: staff", "audience: parents"),
                        encoding="utf-8")
    warnings: list[str] = []
    build(BuildOptions(content=path, out=tmp_path / "out", layouts=["handout"]), warn=warnings.append)
    staff = [n for n, s in enumerate(content_data()["sections"]) if s.get("audience") == "staff"]
    assert [w.split(" ", 1)[1] for w in warnings] == [
        f"sections[{n}]: section '{content_data()['sections'][n]['id']}' is printed nowhere: no layout shows sections "
        "for audience 'staff'" for n in staff]


def test_no_section_is_called_printed_nowhere_while_a_layout_cannot_be_read(tmp_path: Path) -> None:
    data = content_data()
    data["sections"].append({"id": "our-team", "heading": "Our team", "items": [{"text": "Friendly therapists."}]})
    path = write_data(tmp_path, data)
    mine = tmp_path / "layouts" / "mine"
    mine.mkdir(parents=True)
    (mine / "layout.yaml").write_text("pagse: 1\nregions: [{id: page, blocks: [our-team]}]\n", encoding="utf-8")
    warnings: list[str] = []
    build(BuildOptions(content=path, out=tmp_path / "out", layouts=["tip-sheet"]), warn=warnings.append)
    assert warnings == []  # 'mine' may show our-team, and it was not asked for


def test_a_layout_with_its_own_font_fails_on_what_that_font_cannot_draw(tmp_path: Path) -> None:
    user_layout(tmp_path, css='html, h1, h2, h3, p, li, strong, span, div { font-family: "DejaVu Sans"; }'
                              " .region-body { font-size: 0.85em; }")  # a wider face: room for it
    manifest = tmp_path / "layouts" / "tip-sheet" / "layout.yaml"
    manifest.write_text(manifest.read_text(encoding="utf-8") + "font: DejaVu Sans\n", encoding="utf-8")
    data = content_data()
    data["footer_note"] = "Information from public sources."  # the wider face needs room in the footer
    data["sections"][4]["items"][0]["text"] = "Yes \u263a, by bike."  # DejaVu Sans has the smiley
    [built] = build_into(write_data(tmp_path, data), tmp_path / "out", "tip-sheet", fit="shrink")
    assert built.warnings == []
    data["sections"][4]["items"][0]["text"] = "Yes \u263a, by \U0001f6b2."  # and not the bicycle
    with pytest.raises(ContractError) as err:
        build_into(write_data(tmp_path, data), tmp_path / "out", "tip-sheet", fit="shrink")
    assert str(err.value) == ("tip-sheet: '\U0001f6b2' cannot be printed by the layout's font 'DejaVu Sans' or any "
                              "bundled font\n  hint: remove the character, or give the layout a font that has it")


def test_paper_and_bleed_choose_the_file_name(tmp_path: Path) -> None:
    [a4] = build_into(CONTENT, tmp_path, "tip-sheet", paper="a4")
    [shop] = build_into(CONTENT, tmp_path, "tip-sheet", bleed=True)
    assert (a4.path.name, shop.path.name) == ("tip-sheet-a4.pdf", "tip-sheet-print.pdf")
