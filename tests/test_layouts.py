"""Layouts stage: folders are found, user layouts come first, and a broken layout.yaml gets a located message."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from othandout.errors import LayoutError
from othandout.pipeline.layouts import available, load_layout
from support import CONTENT, ROOT, build_into, line_of, text_of


def copy_layout(project: Path, name: str, source: str = "handout") -> Path:
    """Copy a built-in layout into project/layouts/<name>, renaming its template and CSS; return its folder."""
    folder = project / "layouts" / name
    shutil.copytree(ROOT / "layouts" / source, folder)
    (folder / f"{source}.html.j2").rename(folder / f"{name}.html.j2")
    (folder / f"{source}.css").rename(folder / f"{name}.css")
    shutil.copy(CONTENT, project / "content.yaml")
    return folder


def edited(project: Path, old: str, new: str) -> str:
    """Replace one exact, unique piece of project/layouts/mine/layout.yaml and return the new text."""
    manifest = copy_layout(project, "mine") / "layout.yaml"
    text = manifest.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"expected exactly one {old!r} in the handout's layout.yaml"
    manifest.write_text(text.replace(old, new, 1), encoding="utf-8")
    return text.replace(old, new, 1)


def layout_error(project: Path) -> str:
    """The message loading the layout 'mine' raises."""
    with pytest.raises(LayoutError) as caught:
        load_layout("mine", project)
    return str(caught.value)


def test_a_new_layout_folder_is_found_and_built_without_code(tmp_path: Path) -> None:
    copy_layout(tmp_path, "card")
    assert list(available(tmp_path)) == sorted([*available(ROOT), "card"])
    assert available(tmp_path)["card"] == tmp_path / "layouts" / "card"
    [built] = build_into(tmp_path / "content.yaml", tmp_path / "out", "card")
    assert built.path.name == "card.pdf" and built.pages == 1
    assert "What is occupational therapy for kids?" in text_of(built.path.read_bytes())


def test_a_user_layout_comes_before_the_built_in_one(tmp_path: Path) -> None:
    folder = tmp_path / "layouts" / "handout"
    shutil.copytree(ROOT / "layouts" / "handout", folder)
    assert available(tmp_path)["handout"] == folder
    assert available(tmp_path)["trifold"] == ROOT / "layouts" / "trifold"
    assert load_layout("handout", tmp_path).folder == folder


def test_folders_starting_with_underscore_are_not_layouts() -> None:
    assert "_base" not in available(ROOT)
    assert (ROOT / "layouts" / "_base").is_dir()


@pytest.mark.parametrize(("old", "new", "needle", "col", "message"), [
    ("pages: 1", "pagse: 1", "pagse", 1, "pagse: unknown key 'pagse'\n  hint: did you mean 'pages'?"),
    ("pages: 1", "pages: one", "pages", 1, "pages: expected a whole number, got 'one'"),
    ("orientation: portrait", "orientation: sideways", "orientation", 1,
     "orientation: input should be 'portrait' or 'landscape', got 'sideways'"),
    ("left: 0.5in\n    right: 0.5in\n    top", "left: 3 inches\n    right: 0.5in\n    top", "3 inches", 5,
     "regions[0].left: '3 inches' is not a length\n  hint: write a length such as 0.25in, 6mm, 12pt or 50%"),
    ("id: main", "id: Main Area", "Main Area", 5,
     "regions[0].id: 'Main Area' is not a valid name\n"
     "  hint: names use lower-case letters, digits and dashes, such as inside-flap"),
    ("body_pt: 11.5", "body_pt: 80", "body_pt", 1, "body_pt: input should be less than or equal to 72, got '80'"),
    ("largest_pt: 12.5", "largest_pt: 11", "largest_pt", 1, "largest_pt: 11 is below body_pt (11.5); largest_pt is "
     "the largest size the flowing text may grow to when the page has room"),
])
def test_manifest_mistakes_are_located(tmp_path: Path, old: str, new: str, needle: str, col: int,
                                       message: str) -> None:
    text = edited(tmp_path, old, new)
    assert layout_error(tmp_path) == f"mine/layout.yaml:{line_of(text, needle)}:{col} {message}"


def test_a_missing_manifest_key_names_where_to_add_it(tmp_path: Path) -> None:
    text = edited(tmp_path, "    label: main area\n", "")
    assert layout_error(tmp_path) == (
        f"mine/layout.yaml:{line_of(text, 'id: main')}:5 regions[0].label: missing required key 'label'\n"
        "  hint: add 'label:' under regions[0]")


def test_a_yaml_mistake_in_a_manifest_names_the_layout_folder(tmp_path: Path) -> None:
    text = edited(tmp_path, "pages: 1", "pages: [1")
    assert layout_error(tmp_path) == (
        f"mine/layout.yaml:{line_of(text, 'pages:')}:8 this '[' list is never closed with ']'\n"
        "    pages: [1\n"
        "           ^\n"
        "  hint: end the list with ']' on the same line")


def test_an_empty_manifest_points_to_a_built_in_one(tmp_path: Path) -> None:
    manifest = copy_layout(tmp_path, "mine") / "layout.yaml"
    manifest.write_text("", encoding="utf-8")
    assert layout_error(tmp_path) == (f"{manifest}: file is empty\n"
                                      "  hint: start from the layout.yaml of a built-in layout")


def test_a_region_on_a_page_the_layout_does_not_have(tmp_path: Path) -> None:
    text = edited(tmp_path, "    label: footer\n    page: 1", "    label: footer\n    page: 2")
    assert layout_error(tmp_path) == (f"mine/layout.yaml:{line_of(text, 'page: 2')}:5 regions[1].page: region "
                                      "'footer' is on page 2 of 1\n  hint: use a page from 1 to 1")


def test_every_size_a_new_paper_lacks_is_named_at_once(tmp_path: Path) -> None:
    """Following the worked example: a copied handout given other papers keeps its per-paper sizes."""
    text = edited(tmp_path, "papers: [letter, a4]", "papers: [a3, tabloid]")
    hint = "  hint: give one value for every paper (such as 0.5in), or one for each of a3, tabloid: " \
           "{a3: 0.5in, tabloid: 0.5in}"
    assert layout_error(tmp_path) == (
        f"mine/layout.yaml:{line_of(text, 'bottom: {letter')}:5 regions[0].bottom: region 'main' has no bottom "
        f"for a3 or tabloid\n{hint}\n"
        f"mine/layout.yaml:{line_of(text, 'height: {letter')}:5 regions[1].height: region 'footer' has no height "
        f"for a3 or tabloid\n{hint}")


def test_a_missing_template_is_named(tmp_path: Path) -> None:
    folder = copy_layout(tmp_path, "mine")
    (folder / "mine.html.j2").unlink()
    assert layout_error(tmp_path) == (f"mine: template mine.html.j2 is missing from {folder}\n"
                                      "  hint: add mine.html.j2 to the layout's folder, or name another file in "
                                      "layout.yaml (template: ...)")


def test_a_stylesheet_linked_outside_is_refused_as_outside_not_missing(tmp_path: Path) -> None:
    folder = copy_layout(tmp_path, "mine")
    (folder / "mine.css").unlink()
    (folder / "mine.css").symlink_to("/etc/passwd")
    assert layout_error(tmp_path) == ("mine: stylesheet mine/mine.css: it lies outside the folders othandout may "
                                      "read (a link, or '..', leads out)\n"
                                      "  hint: keep every file the content or a layout uses inside its own folder")
