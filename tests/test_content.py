"""Validate stage: every content mistake gives one exact message with its key path, line and a hint."""

from __future__ import annotations

from pathlib import Path

import pytest

from othandout.pipeline.content import META_LIMIT, load_content
from othandout.errors import ContentError
from support import line_of, line_text

SHIPPED = Path(__file__).resolve().parents[1] / "content.yaml"


def content_error(path: Path) -> str:
    """The message load_content raises for a file."""
    with pytest.raises(ContentError) as exc:
        load_content(path)
    return str(exc.value)


def test_shipped_content_is_valid_and_has_no_warnings() -> None:
    assert load_content(SHIPPED).warnings() == []


# --- unknown keys ---------------------------------------------------------------------------------


def test_misspelt_top_level_key_suggests_the_right_one(variant) -> None:
    path, text = variant("title: What", "titel: What")
    assert content_error(path) == (
        f"content.yaml:{line_of(text, 'titel: ')}:1 titel: unknown key 'titel'\n  hint: did you mean 'title'?"
    )


def test_misspelt_nested_key_suggests_the_right_one(variant) -> None:
    path, text = variant("  phone: ", "  phon: ")
    assert content_error(path) == (
        f"content.yaml:{line_of(text, 'phon: ')}:3 organization.phon: unknown key 'phon'\n  hint: did you mean 'phone'?"
    )


def test_unknown_key_like_no_other_lists_the_allowed_keys(variant) -> None:
    path, text = variant("  phone: ", "  xyzzy: 1\n  phone: ")
    assert content_error(path) == (
        f"content.yaml:{line_of(text, 'xyzzy: ')}:3 organization.xyzzy: unknown key 'xyzzy'\n"
        "  hint: allowed keys here: name, tagline, phone, email, website, address, logo, logo_alt, accent_colour"
    )


# --- wrong types and missing keys ---------------------------------------------------------------


def test_faq_given_text_instead_of_a_list(shipped: str, write) -> None:
    start, end = shipped.index("\nfaq:\n") + 1, shipped.index("\nseo:\n")
    text = shipped[:start] + "faq: Is OT only for severe issues?\n" + shipped[end:]
    assert content_error(write(text)) == (
        f"content.yaml:{line_of(text, 'faq: ')}:1 faq: expected a list (lines starting with '- '), "
        "got the text 'Is OT only for severe issues?'\n"
        "  hint: put each entry on its own line starting with '- '"
    )


def test_an_empty_faq_means_no_faq(shipped: str, write) -> None:
    """The FAQ is optional: `faq:` with nothing under it is the same as leaving it out (the layouts close up)."""
    start, end = shipped.index("\nfaq:\n") + 1, shipped.index("\n# What the reader can do next")
    assert load_content(write(shipped[:start] + "faq:\n" + shipped[end:])).faq == []


def test_answer_given_a_list(variant, shipped: str) -> None:
    old = line_text(shipped, "answer: Usually like play")
    path, _ = variant(old, "    answer:\n      - Usually like play.\n      - Always chosen with care.")
    assert content_error(path) == (
        f"content.yaml:{line_of(shipped, 'answer: Usually like play')}:5 faq[1].answer: expected text, got a list\n"
        "  hint: write the text on the same line after the colon, in quotes if it contains ': ' or '#'"
    )


def test_missing_answer_points_at_its_faq_entry(variant, shipped: str) -> None:
    old = line_text(shipped, "answer: Usually like play")
    path, text = variant(old + "\n", "")
    question = line_text(text, "Does it look like")
    assert question.startswith("  - question: ")
    assert content_error(path) == (
        f"content.yaml:{line_of(text, 'Does it look like')}:5 faq[1].answer: missing required key 'answer'\n"
        "  hint: add 'answer:' under faq[1]"
    )


def test_missing_top_level_key(variant) -> None:
    path, text = variant("footer_note: ", "# footer_note: ")
    first_key = line_of(text, "lang: en")
    assert content_error(path) == (
        f"content.yaml:{first_key}:1 footer_note: missing required key 'footer_note'\n"
        "  hint: add 'footer_note:' at the top level"
    )


def test_every_problem_is_named_at_once_each_with_its_line_and_hint(write) -> None:
    """Fixing one problem per build, four builds for four missing keys, is what a user should not have to do."""
    path = write("lang: en\nsections:\n  - id: a\n    heading: A\n    items:\n      - label: Tip\n"
                 "  - heading: B\n    items: []\norganization:\n  phone: 555-0110\n")
    assert content_error(path) == (
        "content.yaml:1:1 title: missing required key 'title'\n  hint: add 'title:' at the top level\n"
        "content.yaml:6:9 sections[0].items[0].text: missing required key 'text'\n"
        "  hint: add 'text:' under sections[0].items[0]\n"
        "content.yaml:7:5 sections[1].id: missing required key 'id'\n  hint: add 'id:' under sections[1]\n"
        "content.yaml:8:5 sections[1].items: must have at least one entry\n"
        "  hint: add an entry on a line starting with '- '\n"
        "content.yaml:1:1 footer_note: missing required key 'footer_note'\n"
        "  hint: add 'footer_note:' at the top level\n"
        "content.yaml:9:1 organization.name: missing required key 'name'\n  hint: add 'name:' under organization"
    )


def test_a_misspelt_key_is_named_without_calling_the_real_one_missing(write) -> None:
    path = write("titel: OT\nsections:\n  - id: a\n    heading: A\n    items:\n      - text: Tip\n"
                 "footer_note: Note\norganization:\n  name: Clinic\n")
    assert content_error(path) == "content.yaml:1:1 titel: unknown key 'titel'\n  hint: did you mean 'title'?"


def test_top_level_list_instead_of_keys(write) -> None:
    assert content_error(write("# content\n- title: OT\n")) == (
        "content.yaml:2:1 expected keys such as 'title:' at the top level, got a list\n"
        "  hint: start from the example content (othandout init --content example.yaml writes a copy)"
    )



def test_a_list_entry_written_as_text_names_the_key_it_needs(variant, shipped: str) -> None:
    old = line_text(shipped, "text: A fidget can help")
    path, text = variant(line_text(shipped, "label: Fidgets") + "\n" + old, "      - A fidget can help a student")
    assert content_error(path) == (
        f"content.yaml:{line_of(text, '- A fidget')}:9 sections[5].items[1]: expected a group of keys, "
        "got the text 'A fidget can help a student'\n"
        "  hint: write it as  - text: A fidget can help a student"
    )


def test_a_faq_entry_written_as_text_names_the_keys_it_needs(shipped: str, write) -> None:
    start = shipped.index("  - question: Is OT only")
    end = shipped.index("  - question: Does it look")
    text = shipped[:start] + "  - Is OT only for severe issues?\n" + shipped[end:]
    assert content_error(write(text)) == (
        f"content.yaml:{line_of(text, '- Is OT only')}:5 faq[0]: expected a group of keys, "
        "got the text 'Is OT only for severe issues?'\n"
        "  hint: each entry needs question: and answer:, for example  - question: Is OT only for severe issues?"
    )


def test_a_section_written_as_text_gets_an_example_in_a_text_key(variant) -> None:
    path, text = variant("  - id: sessions\n", "  - How it works\n  - id: sessions\n")
    assert content_error(path) == (
        f"content.yaml:{line_of(text, '- How it works')}:5 sections[1]: expected a group of keys, "
        "got the text 'How it works'\n"
        "  hint: each entry needs id:, heading: and items:, for example  - heading: How it works"
    )


@pytest.mark.parametrize(("typed", "example"), [
    ("'Note: a fidget helps'", '"Note: a fidget helps"'),
    ('"#1 tip"', '"#1 tip"'),
    ("A fidget can help a student manage sensory needs during seated work.",
     "A fidget can help a student manage sensory needs during…"),
])
def test_the_example_entry_is_valid_yaml_and_short(variant, shipped: str, typed: str, example: str) -> None:
    old = line_text(shipped, "label: Fidgets") + "\n" + line_text(shipped, "text: A fidget can help")
    path, _ = variant(old, f"      - {typed}")
    assert content_error(path).endswith(f"  hint: write it as  - text: {example}")


def test_an_empty_list_entry_names_the_keys_it_needs(shipped: str, write) -> None:
    start = shipped.index("  - question: Is OT only")
    end = shipped.index("  - question: Does it look")
    text = shipped[:start] + "  -\n" + shipped[end:]
    assert content_error(write(text)) == (
        f"content.yaml:{line_of(text, 'faq:') + 1}:4 faq[0]: "
        "expected a group of keys, got an empty value\n"
        "  hint: each entry needs question: and answer:"
    )


def test_text_where_keys_belong_outside_a_list_asks_for_indented_keys(shipped: str, write) -> None:
    start, end = shipped.index("\nseo:\n") + 1, shipped.index("\nfooter_note:")
    text = shipped[:start] + "seo: what is occupational therapy for kids\n" + shipped[end:]
    assert content_error(write(text)) == (
        f"content.yaml:{line_of(text, 'seo: ')}:1 seo: expected a group of keys, "
        "got the text 'what is occupational therapy for kids'\n"
        "  hint: indent the keys that belong here under this key"
    )


# --- empty optional values ------------------------------------------------------------------------

OPTIONAL = [  # (the shipped line to empty, or an anchor line to add the key after; the key; how to read it back)
    ("  tagline: Pediatric", "tagline", lambda c: c.organization.tagline),
    ("  phone: (555)", "phone", lambda c: c.organization.phone),
    ("  email: hello@", "email", lambda c: c.organization.email),
    ("  website: https://", "website", lambda c: c.organization.website),
    ("  address: 123", "address", lambda c: c.organization.address),
    ("  accent_colour: ", "accent_colour", lambda c: c.organization.accent_colour),
    ("teacher_title: ", "teacher_title", lambda c: c.teacher_title),
    ("      - label: Fidgets", "label", lambda c: c.section("classroom-strategies").items[1].label),
    ("        short: It builds fine", "short", lambda c: c.section("what-is-ot").items[1].short),
]


@pytest.mark.parametrize("empty", ["", '""', "''", '"   "'])
@pytest.mark.parametrize(("needle", "key", "read"), OPTIONAL, ids=[key for _, key, _ in OPTIONAL])
def test_an_empty_optional_value_is_missing(variant, shipped: str, needle: str, key: str, read, empty: str) -> None:
    old = line_text(shipped, needle)
    indent = old[: len(old) - len(old.lstrip(" -"))]
    path, _ = variant(old, f"{indent}{key}: {empty}".rstrip())
    assert read(load_content(path)) is None


@pytest.mark.parametrize("empty", ["", '""'])
def test_an_empty_section_intro_is_missing(variant, empty: str) -> None:
    path, _ = variant("heading: What happens in OT sessions\n",
                      f"heading: What happens in OT sessions\n    intro: {empty}\n")
    assert load_content(path).section("sessions").intro is None


@pytest.mark.parametrize(("old", "new", "read", "default"), [
    ("faq:\n", "labels:\n  faq:\nfaq:\n", lambda c: c.words()["faq"], "Quick FAQ"),
    ("lang: en\n", "lang: ''\n", lambda c: c.lang, "en"),
])
def test_an_empty_optional_value_takes_its_default(variant, old: str, new: str, read, default: str) -> None:
    path, _ = variant(old, new)
    assert read(load_content(path)) == default


@pytest.mark.parametrize(("needle", "key", "where"), [
    ("  name: Maple", "name", "organization.name"),
    ("  - question: Is OT only", "question", "faq[0].question"),
    ("    answer: Usually like play", "answer", "faq[1].answer"),
    ("title: What is", "title", "title"),
])
def test_an_empty_required_value_is_still_an_error(variant, shipped: str, needle: str, key: str, where: str) -> None:
    old = line_text(shipped, needle)
    indent = old[: len(old) - len(old.lstrip(" -"))]
    path, _ = variant(old, f'{indent}{key}: ""')
    assert content_error(path) == (
        f"content.yaml:{line_of(shipped, needle)}:{len(indent) + 1} {where}: must not be empty\n"
        f"  hint: write the text after '{key}:'"
    )

# --- values that are not allowed ------------------------------------------------------------------


def test_section_id_with_bad_characters(variant) -> None:
    path, text = variant("id: sessions", "id: Sessions!")
    assert content_error(path) == (
        f"content.yaml:{line_of(text, 'id: Sessions!')}:5 sections[1].id: 'Sessions!' is not a valid id\n"
        "  hint: ids use lower-case letters, digits and dashes, such as what-is-ot"
    )


def test_duplicate_section_ids(variant) -> None:
    path, text = variant("id: sessions", "id: what-is-ot")
    first, again = [n for n, line in enumerate(text.split("\n"), 1) if "id: what-is-ot" in line]
    assert content_error(path) == (
        f"content.yaml:{again}:5 sections[1].id: 'what-is-ot' is already used by sections[0] on line {first}\n"
        "  hint: give each section its own id"
    )


def test_a_section_may_take_any_id_even_a_block_name(variant) -> None:
    """Layouts flow sections by audience and pin them as {section: id}, so no id can hide a section."""
    path, _ = variant("id: sessions", "id: faq")
    assert load_content(path).sections[1].id == "faq"


@pytest.mark.parametrize("empty", ['""', "''", "", "   "])
def test_empty_text(variant, shipped: str, empty: str) -> None:
    old = line_text(shipped, "text: A fidget can help")
    path, _ = variant(old, f"        text: {empty}")
    line = line_of(shipped, "text: A fidget can help")  # the replacement is one line, so nothing moves
    assert content_error(path) == (
        f"content.yaml:{line}:9 sections[5].items[1].text: must not be empty\n  hint: write the text after 'text:'"
    )


@pytest.mark.parametrize(("escape", "code"), [("\\x07", "0007"), ("\\e[31m", "001B"), ("\\u0085", "0085")])
def test_an_escaped_control_character_is_refused(variant, escape: str, code: str) -> None:
    path, text = variant("title: What is occupational therapy for kids?",
                         f'title: "What is occupational{escape} therapy for kids?"')
    line = line_of(text, 'title: "What')
    assert content_error(path) == (
        f"content.yaml:{line}:1 title: contains a control character (U+{code}), "
        "which cannot be printed\n"
        "  hint: look for a backslash escape such as \\x07 or \\u0007 in the quoted text and delete it"
    )


def test_line_breaks_and_tabs_in_text_are_allowed(variant) -> None:
    path, _ = variant("title: What is occupational therapy for kids?",
                      'title: "What is occupational therapy for kids?\\n\\tA guide"')
    assert load_content(path).title == "What is occupational therapy for kids?\n\tA guide"


@pytest.mark.parametrize("address", ["javascript:alert(1)", "file:///etc/passwd", "maplegrove.example",
                                     "https://maple grove.example", "ftp://maplegrove.example"])
def test_website_must_be_http(variant, address: str) -> None:
    path, text = variant("website: https://maplegrove.example", f"website: {address}")
    assert content_error(path) == (
        f"content.yaml:{line_of(text, 'website: ')}:3 organization.website: '{address}' is not a web address; "
        "it must start with https:// or http://\n"
        "  hint: write the full address of your website, such as https://www.example.org"
    )


def test_http_website_is_accepted(variant) -> None:
    path, _ = variant("website: https://maplegrove.example", "website: HTTP://maplegrove.example/about?x=1")
    assert load_content(path).organization.website == "HTTP://maplegrove.example/about?x=1"


@pytest.mark.parametrize("address", ["hello@maplegrove", "hello at maplegrove.example", "hello@@maplegrove.example",
                                     "hello@maplegrove.example, desk@maplegrove.example", "mailto:hello@maplegrove.example"])
def test_email_must_be_one_address(variant, address: str) -> None:
    path, text = variant("email: hello@maplegrove.example", f"email: {address}")
    assert content_error(path) == (
        f"content.yaml:{line_of(text, 'email: ')}:3 organization.email: '{address}' is not an email address\n"
        "  hint: write one address such as hello@example.org"
    )


@pytest.mark.parametrize(("typed", "shown"), [
    ('"red} body{display:none}"', "'red} body{display:none}'"),
    ('"#0b6e75\\n} body{display:none}"', "'#0b6e75\\n} body{display:none}'"),
    ('"#0b6e75\\n"', "'#0b6e75\\n'"),
    ("red", "'red'"),
])
def test_accent_colour_must_be_hex(variant, typed: str, shown: str) -> None:
    path, text = variant('accent_colour: "#0b6e75"', f"accent_colour: {typed}")
    assert content_error(path) == (
        f"content.yaml:{line_of(text, 'accent_colour: ')}:3 organization.accent_colour: {shown} is not a hex colour\n"
        '  hint: use a hex colour such as "#0b6e75" (in quotes)'
    )


def test_long_bad_value_is_cut_short(variant) -> None:
    path, text = variant("id: sessions", "id: " + "x" * 100 + "!")
    assert content_error(path) == (
        f"content.yaml:{line_of(text, 'id: xxx')}:5 sections[1].id: '{'x' * 60}…' is not a valid id\n"
        "  hint: ids use lower-case letters, digits and dashes, such as what-is-ot"
    )


# --- warnings -------------------------------------------------------------------------------------


def _with_meta(shipped: str, write, description: str) -> Path:
    """Write the shipped content with a one-line meta description."""
    start = shipped.index("  meta_description:")
    end = shipped.index("\n\n", start)
    return write(shipped[:start] + f"  meta_description: {description}" + shipped[end:])


def test_meta_description_over_the_limit_warns(shipped: str, write) -> None:
    description = "Learn what occupational therapy for kids is. " * 4
    description = description[: META_LIMIT + 1].strip() + "s"
    assert len(description) > META_LIMIT
    path = _with_meta(shipped, write, description)
    line = line_of(path.read_text(encoding="utf-8"), "meta_description:")
    assert load_content(path).warnings() == [
        f"content.yaml:{line}:3 seo.meta_description: is {len(description)} characters; "
        "search engines cut it after 160"
    ]


def test_meta_description_at_the_limit_is_fine(shipped: str, write) -> None:
    description = ("Learn what occupational therapy for kids is. " * 4)[:META_LIMIT - 1] + "."
    assert len(description) == META_LIMIT == 160
    assert load_content(_with_meta(shipped, write, description)).warnings() == []


def test_title_without_focus_phrase_warns(variant) -> None:
    path, text = variant("title: What is occupational therapy for kids?", "title: OT for kids, explained")
    assert load_content(path).warnings() == [
        f"content.yaml:{line_of(text, 'title: OT')}:1 title: does not contain the focus phrase "
        "'what is occupational therapy for kids'"
    ]


def test_a_pale_accent_colour_is_a_warning(variant) -> None:
    path, text = variant('accent_colour: "#0b6e75"', 'accent_colour: "#ffcc00"')
    assert load_content(path).warnings() == [
        f"content.yaml:{line_of(text, 'accent_colour')}:3 organization.accent_colour: #ffcc00 has a contrast of 1.5:1 against white; headings in it are hard to read "
        "(use a darker colour, 4.5:1 or more)"]
