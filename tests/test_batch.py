"""Many handouts, fast (outputs/batch.py, pipeline/digest.py): `build --for` a table of sites, rebuilding only what
changed, `--emit-html`, and the commands that must start without WeasyPrint."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from pypdf import PdfReader
from typer.testing import CliRunner

from othandout.cli import app
from othandout.errors import ContentError
from othandout.outputs.batch import check_columns, read_rows, row_content
from othandout.pipeline import digest
from othandout.pipeline.load import load_yaml
from support import CONTENT, fold, text_of

runner = CliRunner()
CSV_HEAD = "slug,organization.name,organization.phone,footer_note\n"


def project(tmp_path: Path, rows: str) -> Path:
    """A folder with the example content.yaml and a sites.csv holding `rows` under the standard header."""
    (tmp_path / "content.yaml").write_text(CONTENT.read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "sites.csv").write_text(CSV_HEAD + rows, encoding="utf-8")
    return tmp_path


def invoke(folder: Path, *args: str):
    """Run the CLI in a folder."""
    cwd = os.getcwd()
    os.chdir(folder)
    try:
        return runner.invoke(app, list(args))
    finally:
        os.chdir(cwd)


# Reading the table

def test_rows_are_numbered_as_a_spreadsheet_shows_them_and_slugs_come_from_the_name(tmp_path: Path) -> None:
    folder = project(tmp_path, "riverside,Riverside Kids,555-0101,\n,East Side Therapy (North),555-0102,\n\n,,,\n")
    rows = read_rows(folder / "sites.csv")
    assert [(r.number, r.slug) for r in rows] == [(2, "riverside"), (3, "east-side-therapy-north")]
    assert rows[1].cells["organization.phone"] == "555-0102"


@pytest.mark.parametrize(("suffix", "text"), [
    (".yaml", "- organization.name: Riverside Kids\n  organization.phone: 555-0101\n- organization.name: East\n"),
    (".json", '[{"organization.name": "Riverside Kids", "organization.phone": "555-0101"},'
              ' {"organization.name": "East"}]'),
])
def test_yaml_and_json_tables_are_lists_of_rows(tmp_path: Path, suffix: str, text: str) -> None:
    path = tmp_path / f"sites{suffix}"
    path.write_text(text, encoding="utf-8")
    assert [(r.number, r.slug) for r in read_rows(path)] == [(1, "riverside-kids"), (2, "east")]


@pytest.mark.parametrize(("rows", "message"), [
    ("a,One,1,\na,Two,2,\n", "sites.csv:row 3, column slug: 'a' is already used by row 2"),
    ("../up,One,1,\n", "sites.csv:row 2, column slug: '../up' is not a folder name"),
    ("", "sites.csv: has no rows"),
])
def test_a_bad_table_is_refused_before_anything_is_made(tmp_path: Path, rows: str, message: str) -> None:
    with pytest.raises(ContentError) as caught:
        read_rows(project(tmp_path, rows) / "sites.csv")
    assert caught.value.message == message


def test_a_yaml_table_that_is_not_a_list_of_rows_says_what_it_should_be(tmp_path: Path) -> None:
    path = tmp_path / "sites.yaml"
    path.write_text("organization.name: One\n", encoding="utf-8")
    with pytest.raises(ContentError, match="sites.yaml: is not a list of rows"):
        read_rows(path)


def test_an_unknown_column_is_named_once_with_a_suggestion(tmp_path: Path) -> None:
    path = tmp_path / "sites.csv"
    path.write_text("organization.name,organization.phne\nOne,\nTwo,\n", encoding="utf-8")
    with pytest.raises(ContentError) as caught:
        check_columns(read_rows(path), path.name)
    assert caught.value.message == "sites.csv, column organization.phne: is not a content key"
    assert caught.value.hint == "did you mean 'organization.phone'?"


def test_a_bad_cell_is_named_by_row_and_column_with_the_content_hint(tmp_path: Path) -> None:
    folder = project(tmp_path, "")
    (folder / "sites.csv").write_text("organization.name,organization.website\nOk,https://ok.example\n"
                                      "Bad,javascript:alert(1)\n", encoding="utf-8")
    base = load_yaml(folder / "content.yaml")
    good, bad = read_rows(folder / "sites.csv")
    assert row_content(base, good, "sites.csv").organization.website == "https://ok.example"
    with pytest.raises(ContentError) as caught:
        row_content(base, bad, "sites.csv")
    assert caught.value.message.startswith("sites.csv:row 3, column organization.website: 'javascript:alert(1)' is "
                                           "not a web address")
    assert caught.value.hint == "write the full address of your website, such as https://www.example.org"


def test_an_empty_cell_keeps_the_content_files_value(tmp_path: Path) -> None:
    folder = project(tmp_path, "one,One Clinic,,\n")
    base = load_yaml(folder / "content.yaml")
    [row] = read_rows(folder / "sites.csv")
    content = row_content(base, row, "sites.csv")
    assert content.organization.name == "One Clinic"
    assert content.organization.phone == base.data["organization"]["phone"]
    assert content.footer_note == base.data["footer_note"]


# Building a batch

def test_every_row_gets_its_own_pdfs_and_a_failing_row_does_not_stop_the_others(tmp_path: Path) -> None:
    too_long = " ".join(["This note is far too long for the bottom line of a one-page handout."] * 30)
    folder = project(tmp_path, f"north,North Kids OT,(555) 010-0101,Printed for North.\n"
                               f"south,South Kids OT,(555) 010-0202,\nlong,Long Note OT,,{too_long}\n")
    result = invoke(folder, "build", "--for", "sites.csv", "--layout", "handout", "--jobs", "2")
    assert result.exit_code == 1, result.output
    for slug, name, phone in (("north", "North Kids OT", "010-0101"), ("south", "South Kids OT", "010-0202")):
        text = fold(text_of((folder / "output" / slug / "handout.pdf").read_bytes()))
        assert name in text and phone in text
    assert "Printed for North." in text_of((folder / "output" / "north" / "handout.pdf").read_bytes())
    assert not (folder / "output" / "long").exists()
    assert "2 of 3 rows built into output/<slug>/: 2 PDFs written, 0 unchanged" in result.stdout
    assert "error: sites.csv:row 4 (long):" in result.stderr
    assert "footer ('Talk with us') is" in result.stderr and "shorten footer_note or use --fit shrink" in result.stderr
    progress = [line for line in result.stdout.splitlines() if line.startswith("[")]
    assert progress != [], "plain progress lines"
    assert any(line.endswith("row 4 long: 0 written, 0 unchanged, 1 failed (see below)") for line in progress), progress

    again = invoke(folder, "build", "--for", "sites.csv", "--layout", "handout", "--jobs", "1")
    assert "2 of 3 rows built into output/<slug>/: 0 PDFs written, 2 unchanged" in again.stdout


def test_a_bad_row_stops_the_batch_before_any_rendering(tmp_path: Path) -> None:
    folder = project(tmp_path, "")
    (folder / "sites.csv").write_text("organization.name,organization.website\nOk,https://ok.example\n"
                                      "Bad,ftp://bad\n", encoding="utf-8")
    result = invoke(folder, "build", "--for", "sites.csv", "--layout", "handout")
    assert result.exit_code == 1
    assert "error: sites.csv:row 3, column organization.website:" in result.stderr
    assert "nothing was made; fix these rows and run the batch again" in result.stderr
    assert not (folder / "output").exists()


def test_layouts_made_side_by_side_are_the_same_bytes_as_one_after_another(tmp_path: Path) -> None:
    folder = project(tmp_path, "")
    for jobs in ("1", "2"):
        result = invoke(folder, "build", "-l", "handout", "-l", "trifold", "--jobs", jobs, "--force",
                        "--out", f"out{jobs}")
        assert result.exit_code == 0, result.output
        assert [line.split()[1] for line in result.stdout.splitlines()] == [f"out{jobs}/handout.pdf",
                                                                            f"out{jobs}/trifold.pdf"]
    for name in ("handout.pdf", "trifold.pdf"):
        assert (folder / "out1" / name).read_bytes() == (folder / "out2" / name).read_bytes()


def test_ctrl_c_stops_a_batch_cleanly(tmp_path: Path) -> None:
    """Exit 130, no half-written PDF or temporary file, no worker left running, rows done are kept."""
    folder = project(tmp_path, "".join(f"site-{n},Site {n} OT,,\n" for n in range(30)))
    process = subprocess.Popen([sys.executable, "-m", "othandout", "build", "--for", "sites.csv", "-l", "handout",
                                "--jobs", "2"], cwd=folder, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               start_new_session=True,
                               preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    assert process.stdout is not None
    first = process.stdout.readline()  # one row finished: the pool is busy with others
    assert first.startswith("[1/30]"), first
    os.killpg(process.pid, signal.SIGINT)
    out, err = process.communicate(timeout=60)
    assert process.returncode == 130, err
    assert "stopped:" in err and "no PDF was left half-written" in err and "Traceback" not in err
    made = list((folder / "output").rglob("*"))
    assert not [p for p in made if p.name.endswith(".tmp") or p.name.startswith(".")]
    for pdf in (p for p in made if p.suffix == ".pdf"):
        assert len(PdfReader(pdf).pages) == 1
    time.sleep(0.5)
    with pytest.raises(ProcessLookupError):  # no worker of the batch's process group is left
        os.killpg(process.pid, 0)


# Rebuilding only what changed

def test_an_unchanged_pdf_is_left_alone_and_any_change_or_force_rebuilds_it(tmp_path: Path) -> None:
    folder = project(tmp_path, "")
    assert invoke(folder, "build", "-l", "handout").exit_code == 0
    pdf = folder / "output" / "handout.pdf"
    made = pdf.stat().st_mtime_ns
    recorded = digest.recorded(pdf)
    assert recorded is not None and len(recorded) == 64

    again = invoke(folder, "build", "-l", "handout")
    assert again.stdout.startswith("unchanged output/handout.pdf") and pdf.stat().st_mtime_ns == made

    forced = invoke(folder, "build", "-l", "handout", "--force")
    assert forced.stdout.startswith("wrote output/handout.pdf") and digest.recorded(pdf) == recorded

    content = folder / "content.yaml"
    content.write_text(content.read_text(encoding="utf-8").replace("(555) 010-0199", "(555) 010-0123"),
                       encoding="utf-8")
    changed = invoke(folder, "build", "-l", "handout")
    assert changed.stdout.startswith("wrote output/handout.pdf") and digest.recorded(pdf) != recorded
    assert "010-0123" in text_of(pdf.read_bytes())

    shrink = invoke(folder, "build", "-l", "handout", "--fit", "shrink")
    assert shrink.stdout.startswith("wrote"), "the options are inputs too"


def test_a_changed_layout_file_rebuilds_its_pdf(tmp_path: Path) -> None:
    folder = project(tmp_path, "")
    assert invoke(folder, "layouts", "copy", "handout").exit_code == 0
    assert invoke(folder, "build", "-l", "handout").exit_code == 0
    css = next((folder / "layouts" / "handout").glob("*.css"))
    css.write_text(css.read_text(encoding="utf-8") + "\n/* a comment changes the inputs */\n", encoding="utf-8")
    assert invoke(folder, "build", "-l", "handout").stdout.startswith("wrote output/handout.pdf")


def test_a_pdf_not_made_by_othandout_is_rebuilt(tmp_path: Path) -> None:
    folder = project(tmp_path, "")
    (folder / "output").mkdir()
    (folder / "output" / "handout.pdf").write_bytes(b"%PDF-1.7\nnot ours\n")
    assert digest.recorded(folder / "output" / "handout.pdf") is None
    assert invoke(folder, "build", "-l", "handout").stdout.startswith("wrote output/handout.pdf")


# --emit-html

def test_emitted_html_is_what_weasyprint_renders(tmp_path: Path) -> None:
    """Raw WeasyPrint on the emitted file prints the same text on the same number of pages as othandout's PDF;
    the file runs no script in a browser."""
    from weasyprint import HTML

    folder = project(tmp_path, "")
    result = invoke(folder, "build", "-l", "trifold", "--emit-html", "html")
    assert result.exit_code == 0, result.output
    page = folder / "html" / "trifold.html"
    text = page.read_text(encoding="utf-8")
    assert "Content-Security-Policy" in text and "default-src 'none'" in text and text.count("<style>") >= 3
    ours = PdfReader(folder / "output" / "trifold.pdf")
    raw = PdfReader(__import__("io").BytesIO(HTML(filename=str(page)).write_pdf()))
    assert len(raw.pages) == len(ours.pages)
    assert [fold(p.extract_text()) for p in raw.pages] == [fold(p.extract_text()) for p in ours.pages]


# Fast commands

@pytest.mark.parametrize("args", [["--help"], ["layouts"], ["check", "--no-layouts"], ["check", "--json"],
                                  ["build"]])
def test_fast_commands_never_import_weasyprint(tmp_path: Path, args: list[str]) -> None:
    """--help, layouts, the reading check and a build with nothing to make start without the renderer."""
    folder = project(tmp_path, "")
    if args == ["build"]:
        assert invoke(folder, "build").exit_code == 0  # made once; the run below has nothing to make
    probe = ("import sys\nfrom othandout.cli import app\n"
             "try:\n    app(sys.argv[1:])\nexcept SystemExit as stop:\n    code = stop.code\n"
             "print('EXIT', code, 'weasyprint' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", probe, *args], cwd=folder, capture_output=True, text=True, timeout=60)
    assert out.stdout.strip().splitlines()[-1] in ("EXIT 0 False", "EXIT None False"), out.stdout[-400:] + out.stderr


def test_check_json_is_machine_readable(tmp_path: Path) -> None:
    result = invoke(project(tmp_path, ""), "check", "--json")
    assert result.exit_code == 0
    assert isinstance(json.loads(result.stdout), dict)
