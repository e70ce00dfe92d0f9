"""Load stage: every unreadable or malformed file gives one exact, located, plain-language message."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml

from othandout.pipeline.content import load_content
from othandout.errors import ContentError
from support import line_of, line_text
from othandout.pipeline.load import MAX_BYTES, load_yaml


def load_error(path: Path) -> str:
    """The message load_yaml raises for a file."""
    with pytest.raises(ContentError) as exc:
        load_yaml(path)
    return str(exc.value)


# --- files that are not small UTF-8 text --------------------------------------------------------


NO_FILE_HINT = "give the path of your content.yaml with --content, or run othandout init to start from the example"
EMPTY_HINT = "start from the example content (othandout init --content example.yaml writes a copy)"


def test_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "nosuch.yaml"
    assert load_error(path) == f"{path}: no such file\n  hint: {NO_FILE_HINT}"


def test_folder_instead_of_file(tmp_path: Path) -> None:
    assert load_error(tmp_path) == f"{tmp_path}: is a folder, not a file\n  hint: give the path of the .yaml file itself"


def test_empty_file(write) -> None:
    path = write("")
    assert load_error(path) == f"{path}: file is empty\n  hint: {EMPTY_HINT}"


def test_whitespace_only_file(write) -> None:
    path = write("  \n\n\t\n   ")
    assert load_error(path) == f"{path}: file is empty\n  hint: {EMPTY_HINT}"


def test_comments_only_file(write, shipped: str) -> None:
    comments = "".join(line + "\n" for line in shipped.splitlines() if line.startswith("#"))
    path = write(comments + "\n   # indented comment\n\n")
    assert load_error(path) == (
        f"{path}: file has only comments and blank lines, no content\n"
        f"  hint: {EMPTY_HINT}"
    )


def test_latin1_bytes_are_located(write, shipped: str) -> None:
    text = shipped.replace("title: What is", "title: Qu'é is", 1)
    path = write(_latin1_title(text))
    line = line_of(text, "title: Qu'é is")
    col = line_text(text, "title: Qu'é is").index("é") + 1
    assert load_error(path) == (
        f"content.yaml:{line}:{col} is not UTF-8 text: byte 0xe9 is not a UTF-8 character "
        "(often an accented letter such as é saved as Latin-1 or Windows-1252)\n"
        "  hint: save the file as UTF-8 in your editor (File > Save with Encoding > UTF-8)"
    )


def _latin1_title(text: str) -> bytes:
    """UTF-8 bytes of the text, except the é in the title line, which is Latin-1 (one byte 0xe9)."""
    head, tail = text.split("title: Qu'é is", 1)
    return head.encode() + "title: Qu'é is".encode("latin-1") + tail.encode()


def test_binary_blob_with_nul_bytes(write) -> None:
    path = write(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00")
    assert load_error(path) == f"{path}: is a binary file, not YAML text\n  hint: save the content as plain text (UTF-8)"


def test_utf16_is_named_as_such(write, shipped: str) -> None:
    path = write(shipped.encode("utf-16"))
    assert load_error(path) == (
        f"{path}: is saved as UTF-16, not UTF-8\n"
        "  hint: save the file as UTF-8 in your editor (File > Save with Encoding > UTF-8)"
    )


def test_utf8_byte_order_mark_is_accepted(write, shipped: str) -> None:
    assert load_yaml(write(shipped.encode("utf-8-sig"))).data["lang"] == "en"


def test_control_character_is_located(variant) -> None:
    path, text = variant("lang: en\n", "lang: en\x1b[0m\n")
    assert load_error(path) == (
        f"content.yaml:{line_of(text, 'lang: en')}:9 a control character (U+001B) is not allowed in the text\n"
        "    lang: en [0m\n"
        "            ^\n"
        "  hint: delete it; it often comes along when text is copied from another program"
    )


def test_file_over_one_mib_is_refused_before_parsing(write, shipped: str) -> None:
    padding = "# padding\n" * ((MAX_BYTES - len(shipped.encode())) // 10 + 1)
    path = write(shipped + padding)  # valid YAML: only the size check can refuse it
    size = path.stat().st_size
    assert size > MAX_BYTES
    start = time.monotonic()
    message = load_error(path)
    assert time.monotonic() - start < 0.1
    assert message == (
        f"{path}: file is {size:,} bytes, over the limit of 1 MiB (1,048,576 bytes)\n"
        "  hint: a handout's content is a few KB; check that this is the right file"
    )


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_a_named_pipe_is_refused_at_once_instead_of_read(tmp_path: Path) -> None:
    """A FIFO would block the build forever (or feed it endlessly): it is not a file to read."""
    path = tmp_path / "content.yaml"
    os.mkfifo(path)
    start = time.monotonic()
    message = load_error(path)
    assert time.monotonic() - start < 1
    assert message == f"{path}: is a named pipe, not a regular file\n  hint: give the path of a plain text .yaml file"


def test_file_of_exactly_one_mib_is_accepted(write, shipped: str) -> None:
    room = MAX_BYTES - len(shipped.encode()) - 1
    path = write(shipped + "#" * room + "\n")
    assert path.stat().st_size == MAX_BYTES
    assert load_yaml(path).data["lang"] == "en"


# --- malformed YAML: file:line:column, the line, a caret, and the usual fix ----------------------


def test_tab_indentation(variant) -> None:
    path, text = variant("  name: Maple", "\tname: Maple")
    line = line_of(text, "\tname: Maple")
    shown = line_text(text, "\tname: Maple").replace("\t", " ")
    assert load_error(path) == (
        f"content.yaml:{line}:1 a tab character is not allowed here\n"
        f"    {shown}\n"
        "    ^\n"
        "  hint: use spaces, not tabs, to indent"
    )


def test_tab_after_colon(variant) -> None:
    path, text = variant("lang: en\n", "lang:\ten\n")
    assert load_error(path) == (
        f"content.yaml:{line_of(text, 'lang:')}:6 a tab character is not allowed here\n"
        "    lang: en\n"
        "         ^\n"
        "  hint: use spaces, not tabs, to indent"
    )


def test_unquoted_colon_in_text(variant, shipped: str) -> None:
    old = line_text(shipped, "answer: Usually like play")
    path, text = variant(old, "    answer: No: it helps")
    assert load_error(path) == (
        f"content.yaml:{line_of(text, 'answer: No: it helps')}:15 a second ': ' on this line\n"
        "        answer: No: it helps\n"
        "                  ^\n"
        '  hint: text containing \': \' must be in quotes, for example  answer: "No: it helps"'
    )


def test_tab_inside_text(variant) -> None:
    path, text = variant("summary: Helping children", "summary: Helping\tchildren")
    assert load_error(path) == (
        f"content.yaml:{line_of(text, 'summary: ')}:17 a tab character inside the text\n"
        f"    {line_text(text, 'summary: ').replace(chr(9), ' ')}\n"
        f"    {' ' * 16}^\n"
        "  hint: replace the tab with a space, or put the whole text in double quotes"
    )


ODD_SPACES = [
    ("\u00a0", "a non-breaking space (U+00A0)"),
    ("\u2007", "a figure space (U+2007)"),
    ("\u202f", "a narrow non-breaking space (U+202F)"),
    ("\u3000", "a wide (ideographic) space (U+3000)"),
    ("\ufeff", "an invisible zero-width no-break space (U+FEFF)"),
]
ODD_SPACE_HINT = ("delete it and type an ordinary space "
                  "(it often comes from copying text out of Word or a web page)")


@pytest.mark.parametrize(("space", "name"), ODD_SPACES, ids=[f"U+{ord(s[0]):04X}" for s in ODD_SPACES])
def test_unusual_space_after_colon(variant, space: str, name: str) -> None:
    path, text = variant("summary: Helping", f"summary:{space}Helping")
    assert load_error(path) == (
        f"content.yaml:{line_of(text, 'summary:')}:9 {name} follows ':' here; YAML needs an ordinary space\n"
        f"    {line_text(text, 'summary:').replace(space, ' ')}\n"
        f"    {' ' * 8}^\n"
        f"  hint: {ODD_SPACE_HINT}"
    )


@pytest.mark.parametrize(("old", "new", "sign"), [
    ("      - label: Fidgets", "      - label:\u00a0Fidgets", ":"),
    ("      - label: Fidgets", "      -\u00a0label: Fidgets", "-"),
])
def test_non_breaking_space_in_a_list_entry(variant, old: str, new: str, sign: str) -> None:
    path, text = variant(old, new)
    line = line_text(text, "Fidgets")
    col = line.index("\u00a0") + 1
    assert load_error(path) == (
        f"content.yaml:{line_of(text, 'Fidgets')}:{col} a non-breaking space (U+00A0) follows '{sign}' here; "
        "YAML needs an ordinary space\n"
        f"    {line.replace(chr(0xa0), ' ')}\n"
        f"    {' ' * (col - 1)}^\n"
        f"  hint: {ODD_SPACE_HINT}"
    )


@pytest.mark.parametrize(("old", "new"), [
    ("  name: Maple", "\u00a0 name: Maple"),  # YAML reports this on the next line
    ("  tagline: Pediatric", " \u00a0tagline: Pediatric"),
])
def test_non_breaking_space_in_indentation(variant, old: str, new: str) -> None:
    path, text = variant(old, new)
    col = new.index("\u00a0") + 1
    assert load_error(path) == (
        f"content.yaml:{line_of(text, new)}:{col} a non-breaking space (U+00A0) is used to indent this line; "
        "YAML needs ordinary spaces\n"
        f"    {line_text(text, new).replace(chr(0xa0), ' ')}\n"
        f"    {' ' * (col - 1)}^\n"
        "  hint: delete it and indent with ordinary spaces "
        "(it often comes from copying text out of Word or a web page)"
    )


@pytest.mark.parametrize(("old", "bullet"), [
    ("      - label: Fidgets", "•"),
    ("      - label: Seating changes", "•"),  # the first entry: YAML reports this on the next line
    ("  - question: Is OT only", "•"),  # the first entry of a top-level list
    ("      - label: Fidgets", "–"),  # Word's autocorrected dash
    ("      - label: Fidgets", "*"),
])
def test_bullet_instead_of_a_list_dash(variant, old: str, bullet: str) -> None:
    new = old.replace("-", bullet, 1)
    path, text = variant(old, new)
    col = new.index(bullet) + 1
    assert load_error(path) == (
        f"content.yaml:{line_of(text, new)}:{col} '{bullet}' is not a list marker; start a list entry with '- '\n"
        f"    {line_text(text, new)}\n"
        f"    {' ' * (col - 1)}^\n"
        f"  hint: replace '{bullet}' with '-' and a space "
        "(bullets like this come from copying a list out of Word or an email)"
    )


@pytest.mark.parametrize(("old", "new"), [
    ("  - question: Where does", "  -question: Where does"),
    ("      - label: Seating changes", "      -label: Seating changes"),  # a first entry: YAML reports the next line
    ("      - text: >-\n          Pediatric OT", "      -text: >-\n          Pediatric OT"),  # ... two lines on
])
def test_missing_space_after_dash(variant, old: str, new: str) -> None:
    path, text = variant(old, new)
    first = new.split("\n")[0]
    col = first.index("-") + 1
    assert load_error(path) == (
        f"content.yaml:{line_of(text, first)}:{col} a list item needs a space after '-'\n"
        f"    {line_text(text, first)}\n"
        f"    {' ' * (col - 1)}^\n"
        "  hint: put a space after '-' to start a list item"
    )


def test_key_indented_too_far(variant) -> None:
    path, text = variant("    heading: What happens in OT", "     heading: What happens in OT")
    assert load_error(path) == (
        f"content.yaml:{line_of(text, 'heading: What happens in OT')}:13 this key is not lined up with the keys above it\n"
        f"    {line_text(text, 'heading: What happens in OT')}\n"
        "                ^\n"
        "  hint: indent it with the same number of spaces as the keys it belongs with"
    )


def test_text_starting_with_a_quote(variant) -> None:
    path, text = variant("title: What is", 'title: "What" is')
    needle = 'title: "What"'
    assert load_error(path) == (
        f"content.yaml:{line_of(text, needle)}:15 text after the closing quote mark\n"
        f"    {line_text(text, needle)}\n"
        "                  ^\n"
        "  hint: text that starts with a quote mark must be quoted as a whole, for example  title: '\"OT\" for kids'"
    )


def test_unclosed_quote_at_end_of_file(write, shipped: str) -> None:
    path = write(shipped + 'faq_heading: "Questions\n')
    line = len(shipped.split("\n"))
    assert load_error(path) == (
        f"content.yaml:{line}:14 this quote mark is never closed\n"
        '    faq_heading: "Questions\n'
        "                 ^\n"
        "  hint: end the text with the same quote mark it starts with"
    )


def test_unclosed_quote_that_swallows_later_keys(variant, shipped: str) -> None:
    old = line_text(shipped, "teacher_title: ")
    assert old.endswith('"')
    path, text = variant(old, old[:-1])
    opened = text.index(old[:-1]) + len(old) - 1
    last = text[: text.index('"', opened)].count("\n") + 1
    assert load_error(path) == (
        f"content.yaml:{line_of(text, 'teacher_title: ')}:16 teacher_title: the quote mark \" that starts this text "
        f"is not closed on its line, so the text runs on to line {last} and swallows the keys after it\n"
        '  hint: end the text with " on the same line'
    )


def test_multi_line_quoted_text_is_still_fine(variant, shipped: str) -> None:
    old = line_text(shipped, "teacher_title: ")
    path, _ = variant(old, old[:-1] + '\n  and more tips: for everyone"')
    assert load_yaml(path).data["teacher_title"].endswith("and more tips: for everyone")


def test_second_document(write, shipped: str) -> None:
    path = write(shipped + "---\nlang: fr\n")
    assert load_error(path) == (
        f"content.yaml:{len(shipped.split(chr(10)))}:1 a second document ('---') starts here; the file must hold only one\n"
        "    ---\n"
        "    ^\n"
        "  hint: delete the '---' line"
    )


@pytest.mark.parametrize(("opened", "problem", "hint"), [
    ("[en", "this '[' list is never closed with ']'", "end the list with ']' on the same line"),
    ("{en", "this '{' is never closed with '}'", "end it with '}' on the same line, or remove the '{'"),
])
def test_unclosed_bracket_points_at_where_it_opens(variant, opened: str, problem: str, hint: str) -> None:
    path, text = variant("lang: en\n", f"lang: {opened}\n")
    assert load_error(path) == (
        f"content.yaml:{line_of(text, 'lang: ')}:7 {problem}\n"
        f"    lang: {opened}\n"
        "          ^\n"
        f"  hint: {hint}"
    )


@pytest.mark.parametrize(("old", "new", "key", "example"), [
    ("address: 123 Example Street, Springfield", "address: 123 Example Street #4, Springfield",
     "organization.address", 'address: "123 Example Street #4, Springfield"'),
    ("phone: (555) 010-0199", "phone: (555) 010-0199   # main desk", "organization.phone",
     'phone: "(555) 010-0199 # main desk"'),
])
def test_text_after_a_hash_is_not_silently_dropped(variant, old: str, new: str, key: str, example: str) -> None:
    path, text = variant(old, new)
    line = line_text(text, new)
    col = line.index(" #", line.index(":") + 1) + 2
    assert load_error(path) == (
        f"content.yaml:{line_of(text, new)}:{col} {key}: YAML reads ' #' and what follows as a comment, "
        "so this text would be left out\n"
        f"    {line}\n"
        f"    {' ' * (col - 1)}^\n"
        f"  hint: put the whole text in double quotes, for example  {example}  (a note to yourself goes on its own line)"
    )


@pytest.mark.parametrize(("old", "new", "key", "example"), [
    ('accent_colour: "#0b6e75"', "accent_colour: #0b6e75", "organization.accent_colour", 'accent_colour: "#0b6e75"'),
    ("phone: (555) 010-0199", "phone:   # we will add it later", "organization.phone",
     'phone: "# we will add it later"'),
])
def test_a_hash_right_after_the_colon_may_be_a_note_or_the_text(variant, old: str, new: str, key: str,
                                                                example: str) -> None:
    path, text = variant(old, new)
    line = line_text(text, new)
    col = line.index("#") + 1
    assert load_error(path) == (
        f"content.yaml:{line_of(text, new)}:{col} {key}: YAML reads ' #' and what follows as a comment, "
        "so this text would be left out\n"
        f"    {line}\n"
        f"    {' ' * (col - 1)}^\n"
        "  hint: a note to yourself goes on its own line; if this is the text, put it in double quotes, "
        f"for example  {example}"
    )


@pytest.mark.parametrize(("old", "new", "key_path", "value"), [
    ("  - id: sessions\n", "  - id: sessions  # layouts use this id: don't rename it\n", ("sections", 1, "id"),
     "sessions"),
    ("  website: https://maplegrove.example", "  website: https://maplegrove.example  # the new site",
     ("organization", "website"), "https://maplegrove.example"),
])
def test_a_note_after_a_one_word_value_or_an_empty_value_is_fine(variant, old, new, key_path, value) -> None:
    path, _ = variant(old, new)
    data = load_yaml(path).data
    for key in key_path:
        data = data[key]
    assert data == value


def test_a_quoted_hash_and_a_comment_on_its_own_line_are_fine(variant) -> None:
    path, _ = variant("address: 123 Example Street, Springfield",
                      '# the front desk\n  address: "123 Example Street #4, Springfield"  # after quotes: a comment')
    assert load_yaml(path).data["organization"]["address"] == "123 Example Street #4, Springfield"


# --- duplicate keys: both line numbers -----------------------------------------------------------


KEEP_ONE = "keep one of them; YAML would silently drop the first"
NEW_ENTRY = "if this starts a new entry, put '- ' before it; otherwise keep one of them"


@pytest.mark.parametrize(("old", "new", "first", "again", "where", "hint"), [
    ("lang: en\n", "lang: en\nlang: fr\n", "lang: en", "lang: fr", "1 lang", KEEP_ONE),
    ("    answer: Usually like play", "    answer: Yes.\n    answer: Usually like play", "answer: Yes.",
     "answer: Usually like play", "5 faq[1].answer", NEW_ENTRY),
    ("  - question: Where does", "    question: Where does", "question: Does it look", "question: Where does",
     "5 faq[1].question", NEW_ENTRY),  # a missing '- ' makes two entries one
    ("  address: 123", "  phone: 555-0100\n  address: 123", "phone: (555)", "phone: 555-0100",
     "3 organization.phone", KEEP_ONE),
])
def test_duplicate_key_names_both_lines(variant, old: str, new: str, first: str, again: str, where: str,
                                        hint: str) -> None:
    path, text = variant(old, new)
    first_line, again_line = line_of(text, first), line_of(text, again)
    key = where.rsplit(".", 1)[-1].split(" ")[-1]
    assert load_error(path) == (
        f"content.yaml:{again_line}:{where}: duplicate key '{key}' "
        f"(first on line {first_line}, again on line {again_line})\n"
        f"  hint: {hint}"
    )


# --- aliases and nesting: refused before they can expand ----------------------------------------

BOMB = 'lol0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]\n' + "".join(
    f"lol{n}: &a{n} [{', '.join([f'*a{n - 1}'] * 9)}]\n" for n in range(1, 10)
)

_CHILD = """
import json, sys, time
from pathlib import Path
from othandout.errors import ContentError
from othandout.pipeline.load import load_yaml
start = time.monotonic()
try:
    load_yaml(Path(sys.argv[1]))
    message = "loaded"
except ContentError as err:
    message = str(err)
print(json.dumps({"seconds": time.monotonic() - start, "message": message}))
"""


def _cap_memory() -> None:
    """Limit the child process to 1 GiB of memory."""
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))


def test_alias_bomb_is_refused_quickly(write, shipped: str) -> None:
    path = write(shipped + BOMB)
    # In a child process with capped memory and time, so a lost guard fails this test instead of the machine.
    done = subprocess.run([sys.executable, "-c", _CHILD, str(path)], capture_output=True, text=True, timeout=20,
                          preexec_fn=_cap_memory if sys.platform != "win32" else None)
    assert done.returncode == 0, done.stderr[-2000:]
    result = json.loads(done.stdout)
    text = shipped + BOMB
    assert result["seconds"] < 0.5
    assert result["message"] == (
        f"content.yaml:{line_of(text, 'lol1: ')}:12 uses a YAML alias (*name); aliases and anchors are not supported\n"
        f"    {line_text(text, 'lol1: ')}\n"
        "               ^\n"
        "  hint: write the text out in full instead of using &anchor and *alias"
    )


def test_deep_nesting_is_refused(write, shipped: str) -> None:
    depth = 100_000
    path = write(shipped + "extra: " + "[" * depth + "]" * depth + "\n")
    line = len(shipped.split("\n"))
    start = time.monotonic()
    message = load_error(path)
    assert time.monotonic() - start < 2
    assert message == (
        f"content.yaml:{line}:39 is nested more than 32 levels deep\n"
        f"    {('extra: ' + '[' * 93)}\n"
        f"    {' ' * 38}^\n"
        "  hint: a handout needs only a few levels; check for stray '[' or '{' characters"
    )


# --- YAML 1.1 implicit types are not applied ---------------------------------------------------

TYPED = [
    ("  phone: (555) 010-0199", "  phone: 0123456", ("organization", "phone"), "0123456"),
    ("  address: 123 Example Street, Springfield", "  address: 9:30", ("organization", "address"), "9:30"),
    ("  tagline: Pediatric occupational therapy", "  tagline: no", ("organization", "tagline"), "no"),
    ("lang: en\n", "lang: en\nlabels:\n  faq: 1.10\n", ("labels", "faq"), "1.10"),
]


def test_yaml_1_1_would_have_changed_these_values() -> None:
    assert yaml.safe_load("a: 0123456\nb: 9:30\nc: no\nd: 1.10") == {"a": 42798, "b": 570, "c": False, "d": 1.1}


@pytest.mark.parametrize(("old", "new", "key", "value"), TYPED, ids=[t[3] for t in TYPED])
def test_load_yaml_keeps_values_as_typed(variant, old: str, new: str, key: tuple[str, ...], value: str) -> None:
    data = load_yaml(variant(old, new)[0]).data
    for part in key:
        data = data[part]
    assert data == value


def test_load_content_keeps_values_as_typed(shipped: str, write) -> None:
    text = shipped
    for old, new, _, _ in TYPED:
        assert text.count(old) == 1
        text = text.replace(old, new)
    content = load_content(write(text))
    assert content.organization.phone == "0123456"
    assert content.organization.address == "9:30"
    assert content.organization.tagline == "no"
    assert content.words()["faq"] == "1.10"


def test_null_and_booleans_stay_text(write) -> None:
    data = load_yaml(write("a: null\nb: ~\nc: true\nd: 2024-01-01\ne: !!int 5\n")).data
    assert data == {"a": "null", "b": "~", "c": "true", "d": "2024-01-01", "e": "5"}


def test_shipped_content_loads_with_key_positions(shipped: str) -> None:
    loaded = load_yaml(Path(__file__).resolve().parents[1] / "content.yaml")
    assert loaded.where(("faq", 1, "answer")) == f"content.yaml:{line_of(shipped, 'answer: Usually like play')}:5"
    assert loaded.where(("faq", 1, "nosuch")) == loaded.where(("faq", 1))


def test_a_list_entry_indented_deeper_than_the_one_above_is_not_joined_to_it(variant) -> None:
    """YAML reads it as more of the entry above: 'Call us … child. - Write down …', one bullet, exit 0."""
    old = "  - Write down the daily tasks"
    path, text = variant(old, " " + old)
    line = line_of(text, "   - Write down the daily tasks")
    assert load_error(path) == (
        f"content.yaml:{line}:4 next_steps[0]: line {line} starts with '- ' but is indented deeper than the entry "
        "above it, so YAML joins it to that entry's text\n"
        "  hint: line its '- ' up with the '- ' of the entry above (the same number of spaces before it)")


def test_a_dash_inside_wrapped_text_is_still_text(write) -> None:
    path = write("title: Kids\nintro: Play helps - a lot - and so does\n  rest - every day.\n")
    assert load_yaml(path).data["intro"] == "Play helps - a lot - and so does rest - every day."


def test_a_key_without_a_space_after_its_colon_says_so(variant) -> None:
    path, text = variant("title: What", "title:What")
    assert load_error(path) == (
        f"content.yaml:{line_of(text, 'title:What')}:1 this key has no space after its ':'\n"
        "    title:What is occupational therapy for kids?\n"
        "    ^\n"
        "  hint: put a space after ':', as in 'title: What is OT?'")
