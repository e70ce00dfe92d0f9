"""Fit: overflow is found, named and sized; --fit shrink tightens, then shrinks only the regions that need it;
long words and addresses never escape a panel."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from pypdf import PdfReader

from othandout.errors import ContractError
from othandout.pipeline.fit import _Run, ladder, lay_out
from othandout.pipeline.html import Arrangement, Assets, Level
from othandout.pipeline.content import load_content
from othandout.pipeline import flow
from othandout.pipeline.layouts import load_layout
from othandout.pipeline.papers import PaperSpec
from othandout.build import engine
from support import CONTENT, LAYOUTS, ROOT, build_into, chars, content_data, line_of, text_of, user_layout, write_data


def squeeze(text: str) -> str:
    """Text without spaces or hyphens, so line-end hyphenation cannot hide a word."""
    return "".join(ch for ch in text if ch not in " -\u2011\n")


def overflow(path: Path, layout: str, **options: object) -> str:
    """The error message of a build that must overflow; nothing may be written."""
    with pytest.raises(ContractError) as err:
        build_into(path, path.parent / "out", layout, **options)
    assert not (path.parent / "out" / f"{layout}.pdf").exists()
    return str(err.value)


def long_faq(tmp_path: Path, entries: int = 9) -> Path:
    """The shipped content with more FAQ entries than the trifold's FAQ panel can hold."""
    data = content_data()
    data["faq"] = [dict(data["faq"][i % 3], question=f"Question number {i}?") for i in range(entries)]
    return write_data(tmp_path, data)


def test_overflow_names_the_panel_its_headings_how_much_and_what_to_shorten(tmp_path: Path) -> None:
    path = long_faq(tmp_path)
    message = overflow(path, "trifold")
    found = re.fullmatch(r"trifold: page 2, panel 3, inside right \((.*)\) is (\d\.\d) in too long, about (\d+) words; "
                         r"shorten (.*), or use --fit shrink", message)
    assert found, message
    assert "'Quick FAQ'" in found[1]
    assert float(found[2]) > 0.5 and int(found[3]) >= 20
    assert re.search(r"faq\[\d\]\.answer \(line \d+\)", found[4])


def fixed_by(path: Path, key: tuple, words: int, layout: str) -> bool:
    """True when cutting `words` words from the end of one text entry makes the layout build."""
    from othandout.pipeline.load import load_yaml

    data = load_yaml(path).data
    target = data
    for part in key[:-1]:
        target = target[part]
    kept = target[key[-1]].split()
    target[key[-1]] = " ".join(kept[: max(1, len(kept) - words)])
    folder = path.parent / f"cut-{words}"
    folder.mkdir()
    try:
        build_into(write_data(folder, data), folder / "out", layout)
    except ContractError:
        return False
    return True


@pytest.mark.parametrize(("layout", "key"), [("handout", ("footer_note",)), ("trifold", ("faq", 2, "answer"))])
def test_the_word_estimate_fixes_the_overflow_in_one_edit(tmp_path: Path, layout: str, key: tuple) -> None:
    """Cutting as many words as the message says makes it fit; cutting half as many does not (within 25 %+)."""
    data = content_data()
    target = data
    for part in key[:-1]:
        target = target[part]
    target[key[-1]] = " ".join([target[key[-1]]] * 5)
    path = write_data(tmp_path, data)
    words = int(re.search(r"about (\d+) words", overflow(path, layout))[1])
    assert fixed_by(path, key, round(words * 1.25), layout)
    assert not fixed_by(path, key, round(words * 0.5), layout)


def test_fit_shrink_shrinks_only_the_panels_that_need_it_never_the_cover_title(tmp_path: Path) -> None:
    path = long_faq(tmp_path, 6)
    [built] = build_into(path, tmp_path / "out", "trifold", fit="shrink")
    manifest = load_layout("trifold", ROOT).manifest
    flow_panels = {"inside flap", "inside left", "inside middle", "inside right"}
    assert built.shrunk and set(built.shrunk) <= flow_panels
    assert all(manifest.floor_pt <= level.size <= manifest.body_pt for level in built.shrunk.values())
    title_sizes = {round(c["size"], 1) for c in chars(built.path.read_bytes())[0] if c["size"] > 20}
    (tmp_path / "plain").mkdir()
    plain = build_into(write_data(tmp_path / "plain", content_data()), tmp_path / "plain" / "out", "trifold")[0]
    assert title_sizes == {round(c["size"], 1) for c in chars(plain.path.read_bytes())[0] if c["size"] > 20}
    data = built.path.read_bytes()
    assert len(PdfReader(io.BytesIO(data)).pages) == 2
    assert all(f"Question number {i}?" in text_of(data) for i in range(6))


def test_fit_shrink_uses_the_largest_step_that_fits(tmp_path: Path) -> None:
    """One step up the ladder from what --fit shrink chose, the same arrangement overflows."""
    path = long_faq(tmp_path, 6)
    content, layout, spec = load_content(path), load_layout("trifold", tmp_path), PaperSpec()
    assets = Assets.of(content, tmp_path)
    laid = lay_out(content, layout, spec, assets, "shrink", engine())
    steps = ladder(layout)
    shrunk = {rid for rid, level in laid.levels.items() if level != steps[0]}
    assert shrunk and not laid.overflows
    used = steps.index(laid.levels[next(iter(shrunk))])
    larger = {rid: steps[used - 1] if rid in shrunk else level for rid, level in laid.levels.items()}
    attempt = _Run(content, layout, spec, assets, engine()).render(Arrangement(laid.arrangement.pieces, larger))
    assert attempt.overflows


def test_a_small_overflow_is_fitted_by_tighter_spacing_before_smaller_type(tmp_path: Path) -> None:
    data = content_data()
    for section in (0, 1, 2, 3):  # two short bullets more per section: a little too much for the page
        data["sections"][section]["items"] += [{"text": "One more point, to fill the page a little more."} for _ in "ab"]
    path = write_data(tmp_path, data)
    overflow(path, "handout")
    [built] = build_into(path, tmp_path / "out", "handout", fit="shrink")
    assert built.shrunk == {"main area": Level(load_layout("handout", ROOT).manifest.body_pt, tight=True)}


@pytest.mark.parametrize("layout", LAYOUTS)
def test_the_flowing_text_grows_into_spare_room_only_up_to_largest_pt(layout: str) -> None:
    """A4 is taller than Letter: the example leaves over an inch empty there at the designed size."""
    found = load_layout(layout, ROOT)
    manifest, content = found.manifest, load_content(CONTENT)
    paper = "a4" if "a4" in manifest.papers else manifest.papers[0]
    laid = lay_out(content, found, PaperSpec(paper), Assets.of(content, ROOT), "error", engine())
    sizes = {laid.levels[slot.region].size for slot in flow.slots(found)}
    if manifest.largest_pt is None or not sizes:
        assert sizes <= {manifest.body_pt}, "a layout without largest_pt keeps its body size"
    else:
        assert all(manifest.body_pt < size <= manifest.largest_pt for size in sizes), sizes
    assert not laid.overflows


def test_too_much_text_fails_cleanly_at_the_floor(tmp_path: Path) -> None:
    message = overflow(long_faq(tmp_path, 30), "trifold", fit="shrink")
    assert message.startswith("trifold: page 2, panel 3, inside right (")
    assert "even at 10 pt, as small as this layout allows" in message
    assert "--fit shrink" not in message  # already at the floor: shrinking cannot help


@pytest.mark.parametrize("layout", ["handout", "tip-sheet"])
def test_a_footer_stopped_by_its_small_print_says_so_not_the_layout_floor(tmp_path: Path, layout: str) -> None:
    """Its 0.8 em small print reaches 9 pt before the body reaches floor_pt: the floor is not what stopped it."""
    data = content_data()
    data["footer_note"] = " ".join(["This handout is general information and not medical advice; talk with your "
                                    "child's doctor or therapist about your child's own needs."] * 4)
    message = overflow(write_data(tmp_path, data), layout, fit="shrink")
    assert message.startswith(f"{layout}: page 1, footer ('Talk with us') is ")
    assert "even with --fit shrink (its small print is at 9 pt already, the least a reader can read)" in message
    assert "as small as this layout allows" not in message and re.search(r"; shorten footer_note \(line \d+\)$", message)


def test_a_layout_whose_floor_is_its_body_size_says_shrinking_cannot_help(tmp_path: Path) -> None:
    user_layout(tmp_path, "trifold")
    manifest = tmp_path / "layouts" / "trifold" / "layout.yaml"
    manifest.write_text(manifest.read_text(encoding="utf-8").replace("floor_pt: 10", "floor_pt: 11.5"),
                        encoding="utf-8")
    message = overflow(long_faq(tmp_path), "trifold")
    assert "(--fit shrink cannot help: this layout's floor_pt is its body size, 11.5 pt)" in message


def assert_inside_safe_boxes(pdf: bytes, layout: str) -> None:
    """Every character of the PDF lies across inside some region's safe box on its page."""
    found = load_layout(layout, ROOT)
    regions = found.regions(found.manifest.papers[0])
    for number, page in enumerate(chars(pdf), start=1):
        boxes = [r.safe for r in regions if r.page == number]
        for c in page:
            assert any(b.x - 0.5 <= c["x0"] and c["x1"] <= b.right + 0.5 for b in boxes), c["text"]


@pytest.mark.parametrize("layout", ["trifold", "tip-sheet"])
def test_a_300_character_word_stays_inside_its_panel(tmp_path: Path, layout: str) -> None:
    long_word = "Supercalifragilistic" * 15
    data = content_data()
    data["in_simple_terms"] = f"See {long_word} for details."
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
    content = user_layout(tmp_path, css=".callout-text { white-space: nowrap; }")  # the box can no longer wrap
    message = overflow(content, "tip-sheet")
    line = line_of(content.read_text(encoding="utf-8"), "in_simple_terms: >-")
    assert message.startswith("tip-sheet: page 1, main area ('In simple terms', ")
    assert "): 'OT helps kids do the “jobs” of " in message and "' runs 1." in message
    assert message.endswith(f" in past the edge; shorten in_simple_terms (line {line}) or add spaces so it can wrap")


def test_overflow_in_a_one_page_layout_names_the_area(tmp_path: Path) -> None:
    data = content_data()
    data["sections"][0]["items"][0]["short"] = " ".join([data["sections"][0]["items"][0]["text"]] * 6)
    path = write_data(tmp_path, data)
    message = overflow(path, "handout")
    line = line_of(path.read_text(encoding="utf-8"), "short: Pediatric OT focuses")
    assert message.startswith("handout: page 1, main area ('introduction', 'In simple terms', ")
    assert re.search(rf"; shorten (or remove )?sections\[0\]\.items\[0\]\.short \(line {line}\)", message), message


def test_a_section_pushed_off_the_page_is_overflow_never_missing(tmp_path: Path) -> None:
    data = content_data()
    data["in_simple_terms"] = " ".join([data["in_simple_terms"]] * 12)  # fills the tip sheet's main area
    message = overflow(write_data(tmp_path, data), "tip-sheet")
    assert "tip-sheet: page 1, main area (" in message and "runs off the page" not in message
    assert "missing" not in message and "not in the document" not in message


def test_a_footer_overflow_names_the_footer_note_and_the_longest_contact_detail(tmp_path: Path) -> None:
    data = content_data()
    data["footer_note"] = " ".join([data["footer_note"]] * 4)
    path = write_data(tmp_path, data)
    message = overflow(path, "handout")
    line = line_of(path.read_text(encoding="utf-8"), "footer_note: ")
    assert message.startswith("handout: page 1, footer ('Talk with us') is ")
    assert f"shorten footer_note (line {line})" in message
