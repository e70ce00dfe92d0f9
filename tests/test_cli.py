"""The command line: one line per PDF, the layouts listing, exit codes and help."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from othandout import __version__
from othandout.cli import app
from support import CONTENT, LAYOUTS, ROOT, content_data, write_data

runner = CliRunner()


def test_build_prints_one_line_per_pdf(tmp_path: Path) -> None:
    result = runner.invoke(app, ["build", "--content", str(CONTENT), "--out", str(tmp_path), "--layout", "trifold",
                                 "--layout", "tip-sheet"])
    assert result.exit_code == 0, result.output
    lines = result.stdout.strip().splitlines()
    assert len(lines) == 2
    assert re.fullmatch(rf"wrote {re.escape(str(tmp_path))}/trifold\.pdf  2 pages  letter  \d+ KB", lines[0])
    assert re.fullmatch(rf"wrote {re.escape(str(tmp_path))}/tip-sheet\.pdf  1 page  letter  \d+ KB", lines[1])


def test_shrink_says_which_size_it_used(tmp_path: Path) -> None:
    data = content_data()
    data["faq"] = [dict(data["faq"][i % 3], question=f"Question number {i}?") for i in range(6)]
    path = write_data(tmp_path, data)
    failed = runner.invoke(app, ["build", "--content", str(path), "--out", str(tmp_path / "o"), "-l", "trifold"])
    assert failed.exit_code == 1
    assert failed.stderr.startswith("error: trifold: page 2, panel 3, inside right")
    ok = runner.invoke(app, ["build", "--content", str(path), "--out", str(tmp_path / "o"), "-l", "trifold",
                             "--fit", "shrink"])
    assert ok.exit_code == 0, ok.output
    assert re.search(r"\(fitted: inside flap, inside left, inside middle and inside right: (tighter spacing|1[01](\.\d+)? pt)\)$",
                     ok.stdout.strip()), ok.stdout


def test_check_writes_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["check", "--content", str(CONTENT), "-l", "tip-sheet"])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("Reading level (Grade = Flesch-Kincaid grade)\n")
    assert re.search(r"\n\nok tip-sheet  1 page  letter  \d+ KB\n$", result.stdout)
    assert list(tmp_path.iterdir()) == []


def test_init_writes_the_example_content_which_builds(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["init", "--content", "clinic/handouts.yaml"])
    assert result.exit_code == 0, result.output
    assert result.stdout == ("wrote clinic/handouts.yaml, the example content\n"
                             "next: put your own details in its organization block, edit the text, then run: "
                             "othandout build --content clinic/handouts.yaml\n")
    written = tmp_path / "clinic" / "handouts.yaml"
    assert written.read_bytes() == CONTENT.read_bytes()
    checked = runner.invoke(app, ["check", "--content", str(written)])
    assert checked.exit_code == 0, checked.output
    assert sorted(line.split()[1] for line in checked.stdout.splitlines() if line.startswith("ok ")) == sorted(LAYOUTS)


def test_init_never_replaces_a_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "content.yaml").write_text("title: ours\n")
    result = runner.invoke(app, ["init"])
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr == ("error: content.yaml: already exists, so it was left as it was\n"
                             "  hint: edit it and run othandout build, or give a new file name with --content\n")
    assert (tmp_path / "content.yaml").read_text() == "title: ours\n"
    assert [p.name for p in tmp_path.iterdir()] == ["content.yaml"]


def test_layouts_lists_every_layout_with_its_contract() -> None:
    result = runner.invoke(app, ["layouts", "--content", str(CONTENT)])
    assert result.exit_code == 0
    for name in LAYOUTS:
        assert f"\n{name}: " in f"\n{result.stdout}"
    assert "  paper: letter, a4 landscape, exactly 2 pages, body 11.5 pt (floor 10 pt)\n" in result.stdout
    assert "  from: built in, " in result.stdout
    assert "  inside right (page 2): flow, faq\n" in result.stdout
    assert "  flow: what-is-ot, sessions, who-benefits, real-life (the parents sections, in order)\n" in result.stdout


def test_layouts_copy_copies_a_built_in_layout_once(tmp_path: Path) -> None:
    content = tmp_path / "content.yaml"
    content.write_bytes(CONTENT.read_bytes())
    result = runner.invoke(app, ["layouts", "copy", "trifold", "--content", str(content)])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "layouts" / "trifold" / "layout.yaml").read_bytes() == \
        (ROOT / "layouts" / "trifold" / "layout.yaml").read_bytes()
    listed = runner.invoke(app, ["layouts", "--content", str(content)])
    assert "trifold: Trifold FAQ brochure\n  from: this project's own copy, ./layouts/trifold\n" in listed.stdout
    again = runner.invoke(app, ["layouts", "copy", "trifold", "--content", str(content)])
    assert again.exit_code == 1
    assert again.stderr.startswith(f"error: {tmp_path / 'layouts' / 'trifold'} already exists, so nothing was copied")


def test_layouts_copy_of_an_unknown_layout_is_a_usage_error_listing_them(tmp_path: Path) -> None:
    result = runner.invoke(app, ["layouts", "copy", "nosuch", "--content", str(tmp_path / "content.yaml")])
    assert result.exit_code == 2
    assert f"no built-in layout named 'nosuch'; choose from: {', '.join(LAYOUTS)}" in " ".join(result.stderr.split())
    assert not (tmp_path / "layouts").exists()


def test_version() -> None:
    result = runner.invoke(app, ["--version"])
    assert (result.exit_code, result.stdout) == (0, f"othandout {__version__}\n")


@pytest.mark.parametrize("command", ["build", "check", "init", "layouts"])
def test_every_command_is_documented_with_an_example(command: str) -> None:
    result = runner.invoke(app, [command, "--help"])
    assert result.exit_code == 0
    assert "Example: othandout " in result.stdout


def test_unknown_layout_is_a_usage_error_listing_the_layouts() -> None:
    result = runner.invoke(app, ["build", "--content", str(CONTENT), "--layout", "postcard"])
    assert result.exit_code == 2
    assert f"unknown layout 'postcard'; choose from: {', '.join(LAYOUTS)}" in result.stderr


@pytest.mark.parametrize(("option", "value", "allowed"), [("--paper", "legl", "letter, legal, tabloid, half-letter, a3, a4, a5, nor a size such as 5x7in"),
                                                          ("--fit", "squash", "error, shrink")])
def test_an_unknown_choice_is_a_usage_error(option: str, value: str, allowed: str) -> None:
    result = runner.invoke(app, ["build", "--content", str(CONTENT), option, value])
    assert result.exit_code == 2
    assert f"Invalid value for '{option}': '{value}' is not one of {allowed}" in result.stderr
    assert "Traceback" not in result.output


def test_a_choice_may_be_typed_in_capitals(tmp_path: Path) -> None:
    result = runner.invoke(app, ["build", "--content", str(CONTENT), "--out", str(tmp_path), "-l", "tip-sheet",
                                 "--paper", "A4", "--fit", "Error"])
    assert result.exit_code == 0, result.output
    assert re.fullmatch(rf"wrote {re.escape(str(tmp_path))}/tip-sheet-a4\.pdf  1 page  a4  \d+ KB\n", result.stdout)


def test_a_partly_failed_build_says_what_was_written_and_what_was_kept(tmp_path: Path) -> None:
    data = content_data()
    data["faq"] = [dict(data["faq"][i % 3], question=f"Question number {i}?") for i in range(9)]  # the trifold only
    out = tmp_path / "out"
    result = runner.invoke(app, ["build", "--content", str(write_data(tmp_path, data)), "--out", str(out),
                                 "-l", "tip-sheet", "-l", "trifold"])
    assert result.exit_code == 1
    assert result.stdout.startswith(f"wrote {out / 'tip-sheet.pdf'}  1 page  letter  ")
    assert result.stderr.startswith("error: trifold: page 2, panel 3, inside right ")
    assert result.stderr.endswith("\nnote: 1 PDF written; any earlier PDF of the layouts that failed was left as it was\n")
    assert sorted(p.name for p in out.iterdir()) == ["tip-sheet.pdf"]


def test_a_failed_build_does_not_count_unchanged_pdfs_as_written(tmp_path: Path) -> None:
    content = tmp_path / "content.yaml"
    content.write_bytes(CONTENT.read_bytes())
    args = ["build", "--content", str(content), "--out", str(tmp_path / "out"), "-l", "tip-sheet", "-l", "handout"]
    assert runner.invoke(app, ["layouts", "copy", "handout", "--content", str(content)]).exit_code == 0
    assert runner.invoke(app, args).exit_code == 0
    (tmp_path / "layouts" / "handout" / "handout.html.j2").write_text("{{ 1/0 }}", encoding="utf-8")
    result = runner.invoke(app, args)
    assert result.exit_code == 1
    assert result.stdout.startswith("unchanged ") and "tip-sheet.pdf" in result.stdout
    assert result.stderr.startswith("error: handout: template problem in handout.html.j2 line 1: ")
    assert "note:" not in result.stderr, "nothing was written: the tip sheet was left as it was"


def test_unknown_option_is_a_usage_error() -> None:
    result = runner.invoke(app, ["build", "--colour", "red"])
    assert result.exit_code == 2
    assert "No such option: --colour" in result.stderr


def test_bad_content_is_one_clean_line_and_exit_1(tmp_path: Path) -> None:
    path = tmp_path / "content.yaml"
    path.write_text(CONTENT.read_text(encoding="utf-8").replace("\ntitle:", "\ntitel:", 1), encoding="utf-8")
    result = runner.invoke(app, ["build", "--content", str(path), "--out", str(tmp_path / "out")])
    assert result.exit_code == 1
    assert result.stderr == "error: content.yaml:5:1 titel: unknown key 'titel'\n  hint: did you mean 'title'?\n"
    assert not (tmp_path / "out").exists()


def test_renderer_warnings_are_printed_with_a_count(tmp_path: Path) -> None:
    from support import user_layout

    content = user_layout(tmp_path, css="h2 { colour: red; margin: banana; }")
    result = runner.invoke(app, ["build", "--content", str(content), "--out", str(tmp_path / "out"), "-l", "tip-sheet"])
    assert result.exit_code == 0
    assert result.stderr == ("warning: tip-sheet: 2 warnings (--strict makes them errors)\n"
                             "  Ignored `colour: red` at 5:6, unknown property.\n"
                             "  Ignored `margin: banana` at 5:19, invalid value.\n")
