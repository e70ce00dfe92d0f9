"""The command line: a content mistake is one `error:` message on stderr and exit 1, never a traceback."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from othandout.cli import app
from support import line_of

runner = CliRunner()


def check(path: Path, *extra: str):
    """Run `othandout check --content PATH` and return the result."""
    return runner.invoke(app, ["check", "--content", str(path), *extra])


def assert_fails_cleanly(result, message: str) -> None:
    """Exit 1 with exactly `error: MESSAGE` on stderr, nothing on stdout and no traceback."""
    assert result.exit_code == 1, result.output
    assert isinstance(result.exception, SystemExit)
    assert result.stdout == ""
    assert result.stderr == f"error: {message}\n"
    assert result.output.startswith("error: ")
    assert "Traceback" not in result.output


def test_misspelt_key(variant) -> None:
    path, text = variant("title: What", "titel: What")
    assert_fails_cleanly(check(path), f"content.yaml:{line_of(text, 'titel: ')}:1 titel: unknown key 'titel'\n"
                                      "  hint: did you mean 'title'?")


def test_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "nosuch.yaml"
    assert_fails_cleanly(check(path), f"{path}: no such file\n  hint: give the path of your content.yaml "
                                      "with --content, or run othandout init to start from the example")


def test_folder(tmp_path: Path) -> None:
    assert_fails_cleanly(check(tmp_path), f"{tmp_path}: is a folder, not a file\n"
                                          "  hint: give the path of the .yaml file itself")


def test_binary_file(write) -> None:
    path = write(b"\x00\x01\x02")
    assert_fails_cleanly(check(path), f"{path}: is a binary file, not YAML text\n"
                                      "  hint: save the content as plain text (UTF-8)")


def test_yaml_syntax_error_shows_the_line(variant) -> None:
    path, text = variant("lang: en\n", "lang: en\nfaq_heading: Questions: answered\n")
    assert_fails_cleanly(check(path), f"content.yaml:{line_of(text, 'faq_heading')}:23 a second ': ' on this line\n"
                                      "    faq_heading: Questions: answered\n"
                                      "                          ^\n"
                                      "  hint: text containing ': ' must be in quotes, for example  "
                                      'faq_heading: "Questions: answered"')


def test_alias(variant) -> None:
    path, text = variant("lang: en\n", "lang: &l en\nfaq_heading: *l\n")
    assert_fails_cleanly(check(path), f"content.yaml:{line_of(text, 'faq_heading')}:14 uses a YAML alias (*name); "
                                      "aliases and anchors are not supported\n"
                                      "    faq_heading: *l\n"
                                      "                 ^\n"
                                      "  hint: write the text out in full instead of using &anchor and *alias")


def test_deep_nesting(write) -> None:
    path = write("title: " + "[" * 50_000 + "\n")
    result = check(path)
    assert result.exit_code == 1
    assert result.output.startswith("error: content.yaml:1:39 is nested more than 32 levels deep\n")
    assert "Traceback" not in result.output


def test_unsafe_website(variant) -> None:
    path, text = variant("website: https://maplegrove.example", "website: javascript:alert(1)")
    assert_fails_cleanly(check(path), f"content.yaml:{line_of(text, 'website: ')}:3 organization.website: "
                                      "'javascript:alert(1)' is not a web address; it must start with https:// or http://\n"
                                      "  hint: write the full address of your website, such as https://www.example.org")
