"""Overflow is found and sized, --fit shrink rescues what it can, and long words never escape a panel."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from pypdf import PdfReader

from othandout.check import overflows
from othandout.content import load_content
from othandout.errors import ContractError
from othandout.layouts import PaperSpec, load_layout
from othandout.render import render
from support import LAYOUTS, ROOT, build_into, chars, content_data, line_of, text_of, user_layout, write_data


def squeeze(text: str) -> str:
    """Text without spaces or hyphens, so line-end hyphenation cannot hide a word."""
    return "".join(ch for ch in text if ch not in " -\u2011\n")


def tripled_answer(tmp_path: Path) -> Path:
    """The shipped content with faq[2]'s answer three times as long."""
    data = content_data()
    data["faq"][2]["answer"] = " ".join([data["faq"][2]["answer"]] * 3)
    return write_data(tmp_path, data)


def test_overflow_fails_with_where_and_how_much(tmp_path: Path) -> None:
    path = tripled_answer(tmp_path)
    with pytest.raises(ContractError) as err:
        build_into(path, tmp_path / "out", "trifold")
    line = line_of(path.read_text(encoding="utf-8"), "answer: Clinics, schools")
    assert str(err.value) == (
        "trifold: page 2, panel 3, inside right ('How it helps in real life', 'Quick FAQ') is 1.0 in too long, "
        f"about 20 words; shorten faq[2].answer (line {line}) or use --fit shrink")
    assert not (tmp_path / "out" / "trifold.pdf").exists()


def test_fit_shrink_rescues_a_moderate_overflow(tmp_path: Path) -> None:
    path = tripled_answer(tmp_path)
    [built] = build_into(path, tmp_path / "out", "trifold", fit="shrink")
    manifest = load_layout("trifold", ROOT).manifest
    assert manifest.floor_pt <= built.body_pt < manifest.body_pt
    data = built.path.read_bytes()
    assert len(PdfReader(io.BytesIO(data)).pages) == 2
    answer = squeeze(content_data()["faq"][2]["answer"])
    assert squeeze(text_of(data)).count(answer) == 3


def test_fit_shrink_uses_the_largest_size_that_fits(tmp_path: Path) -> None:
    path = tripled_answer(tmp_path)
    [built] = build_into(path, tmp_path / "out", "trifold", fit="shrink")
    layout = load_layout("trifold", ROOT)
    one_step_up = render(load_content(path), layout, PaperSpec(), path.parent, built.body_pt + 0.25)
    assert overflows(one_step_up), "a quarter point larger would also have fitted"


def test_forty_faq_entries_fail_cleanly_at_the_floor(tmp_path: Path) -> None:
    data = content_data()
    data["faq"] = [{"question": f"Question number {i}?", "answer": data["faq"][i % 3]["answer"]} for i in range(40)]
    path = write_data(tmp_path, data)
    with pytest.raises(ContractError) as err:
        build_into(path, tmp_path / "out", "trifold", fit="shrink")
    message = str(err.value)
    assert message.startswith("trifold: page 2, panel 3, inside right ('How it helps in real life', 'Quick FAQ') is ")
    assert " in too long, about " in message and "shorten " in message and "faq[5].answer (line " in message
    assert "even at 10 pt, the smallest size this layout allows" in message
    assert "--fit shrink" not in message  # already at the floor: shrinking cannot help
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


def assert_inside_safe_boxes(pdf: bytes, layout: str) -> None:
    """Every character of the PDF lies across inside some region's safe box on its page."""
    regions = load_layout(layout, ROOT).regions("letter")
    for number, page in enumerate(chars(pdf), start=1):
        boxes = [r.safe for r in regions if r.page == number]
        for c in page:
            assert any(b.x - 0.5 <= c["x0"] and c["x1"] <= b.right + 0.5 for b in boxes), c["text"]


@pytest.mark.parametrize("layout", ["trifold", "tip-sheet"])
def test_a_300_character_word_stays_inside_its_panel(tmp_path: Path, layout: str) -> None:
    long_word = "Supercalifragilistic" * 15
    data = content_data()
    data["faq"][0]["answer"] = f"See {long_word} for details."
    path = write_data(tmp_path, data)
    [built] = build_into(path, tmp_path / "out", layout, fit="shrink")
    pdf = built.path.read_bytes()
    assert long_word in squeeze(text_of(pdf))
    assert_inside_safe_boxes(pdf, layout)


@pytest.mark.parametrize("layout", LAYOUTS)
def test_a_very_long_email_address_wraps_inside_every_layout(tmp_path: Path, layout: str) -> None:
    email = "front.desk.and.appointments.for.the.whole.team" * 2 + "@maplegrovepediatrictherapy.example"
    data = content_data()
    for key in ("phone", "website", "address"):
        del data["organization"][key]
    data["organization"]["email"] = email
    [built] = build_into(write_data(tmp_path, data), tmp_path / "out", layout)
    pdf = built.path.read_bytes()
    assert email in squeeze(text_of(pdf))
    assert_inside_safe_boxes(pdf, layout)


def test_text_forced_past_the_panel_edge_fails_the_build(tmp_path: Path) -> None:
    content = user_layout(tmp_path, css=".answer { white-space: nowrap; }")  # answers can no longer wrap
    with pytest.raises(ContractError) as err:
        build_into(content, tmp_path / "out", "tip-sheet")
    line = line_of(content.read_text(encoding="utf-8"), "No; it can be helpful") - 1  # the `answer: >-` line
    message = str(err.value)
    assert message.startswith("tip-sheet: page 1, main area ('In simple terms', ")
    assert "): 'No; it can be helpful for mild coordinat…' runs " in message
    assert message.endswith(f" in past the edge; shorten faq[0].answer (line {line}) or add spaces so it can wrap")
    assert not (tmp_path / "out" / "tip-sheet.pdf").exists()


def test_overflow_in_a_one_page_layout_names_the_area(tmp_path: Path) -> None:
    path = tripled_answer(tmp_path)
    with pytest.raises(ContractError) as err:
        build_into(path, tmp_path / "out", "handout", fit="shrink")
    assert str(err.value).startswith("handout: page 1, main area ('introduction', 'In simple terms', ")
    assert "shorten faq[2].answer (line " in str(err.value)


def test_overflow_names_the_longest_entry_first_then_what_fell_off(tmp_path: Path) -> None:
    data = content_data()
    first = data["sections"][1]["items"][0]
    first["text"] = " ".join([first["text"]] * 5)  # the first bullet grows and pushes the last one off the panel
    path = write_data(tmp_path, data)
    text = path.read_text(encoding="utf-8")
    grown, pushed = line_of(text, "text: 'A therapist starts"), line_of(text, "text: Goals are individualized")
    with pytest.raises(ContractError) as err:
        build_into(path, tmp_path / "out", "trifold")
    assert str(err.value).startswith("trifold: page 2, panel 2, inside middle ('What happens in OT sessions') is ")
    assert str(err.value).endswith(f"; shorten sections[1].items[0].text (line {grown}) or "
                                   f"sections[1].items[2].text (line {pushed}), or use --fit shrink")


def test_a_footer_overflow_names_the_longest_contact_detail(tmp_path: Path) -> None:
    data = content_data()
    data["organization"]["address"] = "Building 4, Suite 210, 1234 North Example Boulevard, Springfield, IL 62704"
    path = write_data(tmp_path, data)
    text = path.read_text(encoding="utf-8")
    line, name = line_of(text, "address: Building 4"), line_of(text, "name: Maple Grove")
    with pytest.raises(ContractError) as err:
        build_into(path, tmp_path / "out", "tip-sheet")
    assert str(err.value) == ("tip-sheet: page 1, footer is 0.1 in too long, about 10 words; shorten "
                              f"organization.address (line {line}) or organization.name (line {name})")
