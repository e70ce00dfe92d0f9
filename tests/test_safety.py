"""Safety: content is data, never markup or template code, and the renderer fetches nothing it shouldn't.

Most tests build the one-page tip sheet. Network tests point at a local HTTP server that counts every
connection; a control test proves the same hostile layout *does* hit that server when SafeFetcher is
swapped for WeasyPrint's default fetcher, so a zero count means the protection held, not that the
probe was never tried.
"""

from __future__ import annotations

import http.server
import io
import os
import shutil
import stat
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.request import Request

import pytest
from PIL import Image
from pypdf import PdfReader
from support import ROOT, build_into, content_data, text_of, write_data
from weasyprint.urls import URLFetcher

import othandout.pipeline.engine
import othandout.pipeline.files
from othandout.errors import OthandoutError
from othandout.pipeline.engine import MAX_RESOURCE_BYTES, SafeFetcher

BUILTIN = ROOT / "layouts"
SECRET = "SECRET-TOKEN-7d41c9"


# --- helpers ---------------------------------------------------------------------------------------


class Server(http.server.ThreadingHTTPServer):
    """A local HTTP server that counts connections and remembers requested paths."""

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.connections = 0
        self.paths: list[str] = []

    def verify_request(self, request: object, client_address: object) -> bool:
        """Count every connection, even one that never sends a request line."""
        self.connections += 1
        return True

    def url(self, path: str) -> str:
        """An absolute URL on this server."""
        return f"http://127.0.0.1:{self.server_address[1]}/{path}"


class _Handler(http.server.BaseHTTPRequestHandler):
    """Answer every GET with a tiny PNG and record the path."""

    def do_GET(self) -> None:
        """Serve the PNG."""
        self.server.paths.append(self.path)  # type: ignore[attr-defined]
        body = png_bytes()
        self.send_response(200)
        self.send_header("Content-Type", "image/png")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        """Keep test output quiet."""


@pytest.fixture
def server() -> Iterator[Server]:
    """A running counting server on a free port, shut down however the test ends."""
    httpd = Server()
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)
    thread.start()
    try:
        yield httpd
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(5)


def png_bytes(size: int = 4) -> bytes:
    """A tiny red PNG."""
    buffer = io.BytesIO()
    Image.new("RGB", (size, size), "red").save(buffer, format="PNG")
    return buffer.getvalue()


def project(tmp_path: Path, data: dict | None = None) -> Path:
    """A project folder `tmp_path/proj` holding content.yaml; returns the content path."""
    folder = tmp_path / "proj"
    folder.mkdir(exist_ok=True)
    return write_data(folder, content_data() if data is None else data)


def user_layout(content: Path, name: str, template: str, css_extra: str = "", css_first: str = "") -> Path:
    """Copy the built-in tip sheet into the project's own layouts/<name>/, with template and CSS changed."""
    folder = content.parent / "layouts" / name
    shutil.copytree(BUILTIN / "tip-sheet", folder)
    css = (folder / "tip-sheet.css").read_text(encoding="utf-8")
    (folder / "tip-sheet.css").unlink()
    (folder / "tip-sheet.html.j2").unlink()
    (folder / f"{name}.css").write_text(f"{css_first}\n{css}\n{css_extra}\n", encoding="utf-8")
    (folder / f"{name}.html.j2").write_text(template, encoding="utf-8")
    return folder


def in_main_region(html: str) -> str:
    """A tip-sheet template that adds `html` to the main region, in its empty bottom corner so it changes nothing else."""
    return ('{% extends "base.html.j2" %}\n{% block region %}{{ super() }}\n{% if region.id == "main" %}'
            '<div style="position: absolute; right: 0; bottom: 0; white-space: nowrap; font-size: 9pt">'
            f"{html}</div>{{% endif %}}\n{{% endblock %}}\n")


def secret_outside(tmp_path: Path) -> Path:
    """A file next to, not inside, the project folder."""
    path = tmp_path / "secret.txt"
    path.write_text(SECRET + "\n", encoding="utf-8")
    return path


def images(reader: PdfReader) -> list[dict]:
    """Every image XObject on every page, looking inside form XObjects and patterns too."""
    found: list[dict] = []
    for page in reader.pages:
        _collect_images(page.get("/Resources"), found, set())
    return found


def _collect_images(resources: object, found: list[dict], seen: set[int]) -> None:
    """Walk a resources dictionary for images."""
    resources = resources.get_object() if resources is not None else None
    if not resources or id(resources) in seen:
        return
    seen.add(id(resources))
    for kind in ("/XObject", "/Pattern"):
        for ref in (resources.get(kind) or {}).values():
            obj = ref.get_object()
            if obj.get("/Subtype") == "/Image":
                found.append(obj)
            _collect_images(obj.get("/Resources"), found, seen)


def pdfs(folder: Path) -> list[Path]:
    """PDFs in a folder (none if it does not exist)."""
    return sorted(folder.glob("*.pdf")) if folder.is_dir() else []


def snapshot(folder: Path) -> dict[str, tuple[int, int]]:
    """Every path under a folder with its size and mtime."""
    return {str(p.relative_to(folder)): (p.lstat().st_size, p.lstat().st_mtime_ns) for p in folder.rglob("*")}


# --- 1. content is data: escaped, never run as a template --------------------------------------------

HOSTILE = {
    "teacher_title": "<script>alert(1)</script> Tips",
    "in_simple_terms": "{{ 7*7 }} and {% raw %} stay as typed.",
    "signs": "<img src=x onerror=alert(1)> in class",
    "faq_answer": "</style><style>body{display:none}</style>",
    "org_name": 'Clinic "><b onclick=x>bold</b>',
}


def test_markup_and_template_syntax_in_content_print_literally(tmp_path: Path) -> None:
    data = content_data()
    data["title"] = "</title><script>alert(1)</script>"
    data["teacher_title"] = HOSTILE["teacher_title"]
    data["in_simple_terms"] = HOSTILE["in_simple_terms"]
    signs = next(s for s in data["sections"] if s["id"] == "signs-in-class")
    signs["items"][0] = {"text": HOSTILE["signs"]}
    data["teacher_next_steps"][0] = HOSTILE["faq_answer"]
    data["organization"]["name"] = HOSTILE["org_name"]
    [built] = build_into(project(tmp_path, data), tmp_path / "out", "tip-sheet")
    pdf = built.path.read_bytes()
    text = text_of(pdf)
    flat = "".join(text.split())  # a long run of markup may break across lines
    for value in HOSTILE.values():
        assert "".join(value.split()) in flat, value
    assert "49 and" not in text  # {{ 7*7 }} was not evaluated
    assert PdfReader(io.BytesIO(pdf)).metadata.title == data["teacher_title"]  # <title> was not broken out of


# --- 2. organization.logo stays inside the content folder ------------------------------------------


def _logo_escape(tmp_path: Path) -> str:
    """A logo symlink inside the project that points at a file outside it."""
    (tmp_path / "proj").mkdir(exist_ok=True)
    (tmp_path / "proj" / "logo.png").symlink_to(secret_outside(tmp_path))
    return "logo.png"


def _logo_to_etc(tmp_path: Path) -> str:
    """A logo symlink inside the project that points at /etc/hostname."""
    (tmp_path / "proj").mkdir(exist_ok=True)
    (tmp_path / "proj" / "logo.png").symlink_to("/etc/hostname")
    return "logo.png"


def _logo_folder(tmp_path: Path) -> str:
    """A folder where the logo should be."""
    (tmp_path / "proj" / "logo.png").mkdir(parents=True)
    return "logo.png"


def _logo_fifo(tmp_path: Path) -> str:
    """A named pipe where the logo should be: reading it would hang the build."""
    (tmp_path / "proj").mkdir(exist_ok=True)
    os.mkfifo(tmp_path / "proj" / "logo.png")
    return "logo.png"


BAD_LOGOS = {
    "absolute": lambda tmp_path: "/etc/hostname",
    "absolute-secret": lambda tmp_path: str(secret_outside(tmp_path)),
    "dot-dot": lambda tmp_path: "../../etc/passwd",
    "dot-dot-to-root": lambda tmp_path: "../" * 40 + "etc/passwd",
    "dot-dot-secret": lambda tmp_path: "../" + secret_outside(tmp_path).name,
    "symlink-out": _logo_escape,
    "symlink-etc": _logo_to_etc,
    "missing": lambda tmp_path: "missing.png",
    "folder": _logo_folder,
    "fifo": _logo_fifo,
}


@pytest.mark.parametrize("case", BAD_LOGOS)
def test_a_logo_outside_the_content_folder_or_not_a_file_is_refused(tmp_path: Path, case: str) -> None:
    logo = BAD_LOGOS[case](tmp_path)
    data = content_data()
    data["organization"]["logo"] = logo
    content = project(tmp_path, data)
    with pytest.raises(OthandoutError) as caught:
        build_into(content, tmp_path / "out", "tip-sheet")
    assert "organization.logo" in str(caught.value)
    assert not pdfs(tmp_path / "out")


@pytest.mark.parametrize("scheme", ["http", "https"])
def test_a_logo_on_a_local_web_server_fails_cleanly_with_zero_requests(tmp_path: Path, server: Server,
                                                                      scheme: str) -> None:
    data = content_data()
    data["organization"]["logo"] = server.url("logo.png").replace("http:", f"{scheme}:")
    content = project(tmp_path, data)
    with pytest.raises(OthandoutError) as caught:
        build_into(content, tmp_path / "out", "trifold")
    assert "organization.logo: " in str(caught.value) and "othandout never downloads anything" in str(caught.value)
    assert server.connections == 0
    assert not pdfs(tmp_path / "out")


def test_a_png_logo_inside_the_content_folder_is_drawn(tmp_path: Path) -> None:
    data = content_data()
    data["organization"]["logo"] = "art/logo.png"
    content = project(tmp_path, data)
    (content.parent / "art").mkdir()
    (content.parent / "art" / "logo.png").write_bytes(png_bytes(5))
    [built] = build_into(content, tmp_path / "out", "tip-sheet")
    found = images(PdfReader(built.path))
    assert [(img["/Width"], img["/Height"]) for img in found] == [(5, 5)]


def test_an_svg_logo_cannot_pull_in_files_from_outside(tmp_path: Path) -> None:
    secret = secret_outside(tmp_path)
    data = content_data()
    data["organization"]["logo"] = "logo.svg"
    content = project(tmp_path, data)
    (content.parent / "logo.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" width="40" height="20">'
        f'<image href="{secret.as_uri()}" width="10" height="10"/></svg>', encoding="utf-8")
    with pytest.raises(OthandoutError, match="links to another file"):
        build_into(content, tmp_path / "out", "tip-sheet")
    assert not pdfs(tmp_path / "out")


def test_an_svg_logo_cannot_read_files_through_an_xml_entity(tmp_path: Path) -> None:
    secret = secret_outside(tmp_path)
    data = content_data()
    data["organization"]["logo"] = "logo.svg"
    content = project(tmp_path, data)
    (content.parent / "logo.svg").write_text(
        f'<?xml version="1.0"?>\n<!DOCTYPE svg [<!ENTITY x SYSTEM "{secret.as_uri()}">]>\n'
        '<svg xmlns="http://www.w3.org/2000/svg" width="200" height="20"><text x="0" y="15">&x;</text></svg>',
        encoding="utf-8")
    try:
        build_into(content, tmp_path / "out", "tip-sheet")
    except OthandoutError:
        pass
    for pdf in pdfs(tmp_path / "out"):
        assert SECRET not in text_of(pdf.read_bytes())


# --- 3a. a hostile user layout reaches neither the network nor files outside the project ------------

FILE_PROBES = ("file:///etc/hostname", "file:///etc/passwd")


def evil_layout(content: Path, server: Server, secret: Path) -> None:
    """A user layout `evil` that tries every way a template or stylesheet can make WeasyPrint fetch."""
    html = (f'<img src="{server.url("img.png")}" alt="" style="width: 2pt">'
            f'<object data="{server.url("object.png")}" type="image/png" style="width: 2pt"></object>'
            f'<embed src="{server.url("embed.png")}" type="image/png" style="width: 2pt">'
            f'<svg width="2" height="2"><image href="{server.url("svg-image.png")}" width="2" height="2"/></svg>'
            f'<link rel="stylesheet" href="{server.url("link.css")}">'
            f'<style>@import url({server.url("style-import.css")});</style>'
            f'<link rel="attachment" href="file:///etc/hostname">'
            f'<link rel="attachment" href="{server.url("attachment.txt")}">'
            f'<img src="{FILE_PROBES[0]}" alt="" style="width: 2pt">'
            f'<img src="{"../" * 40}etc/passwd" alt="" style="width: 2pt">'
            f'<img src="{secret.as_uri()}" alt="" style="width: 2pt">')
    css_first = f"@import url({server.url('x.css')});"
    css_extra = (f"@font-face {{ font-family: Evil; src: url({server.url('font.woff')}); }}\n"
                 f".region-bg {{ background: url({server.url('bg.png')}); }}\n"
                 f".org::before {{ content: url({server.url('content.png')}); }}\n"
                 f"ul {{ list-style-image: url({server.url('bullet.png')}); }}\n")
    user_layout(content, "evil", in_main_region(html), css_extra, css_first)


# What WeasyPrint fetches from the evil layout at render time when nothing stops it (see the control test).
RENDER_TIME_PROBES = {"/x.css", "/bg.png", "/img.png", "/font.woff", "/content.png", "/bullet.png",
                      "/link.css", "/style-import.css", "/object.png", "/embed.png"}


def test_a_hostile_user_layout_fails_cleanly_without_touching_the_network(tmp_path: Path, server: Server) -> None:
    secret = secret_outside(tmp_path)
    content = project(tmp_path)
    evil_layout(content, server, secret)
    with pytest.raises(OthandoutError) as caught:
        build_into(content, tmp_path / "out", "evil")
    message = str(caught.value)
    assert "refused" in message
    for url in (*FILE_PROBES, secret.as_uri()):
        assert f"refused {url}" in message
    assert server.connections == 0
    assert server.paths == []
    assert not pdfs(tmp_path / "out")


def test_control_the_evil_layout_does_hit_the_server_without_safe_fetcher(
        tmp_path: Path, server: Server, monkeypatch: pytest.MonkeyPatch) -> None:
    """Proves the probes are live: with WeasyPrint's own fetcher every one of them is requested."""

    class Permissive(URLFetcher):
        """WeasyPrint's default fetcher, shaped like SafeFetcher."""

        def __init__(self, roots: list[Path]) -> None:
            super().__init__(timeout=5)
            self.refused: list[tuple[str, str]] = []

    monkeypatch.setattr(othandout.pipeline.engine, "SafeFetcher", Permissive)
    content = project(tmp_path)
    evil_layout(content, server, secret_outside(tmp_path))
    try:
        build_into(content, tmp_path / "out", "evil")
    except OthandoutError:
        pass
    assert RENDER_TIME_PROBES <= set(server.paths)


def test_a_user_layout_cannot_attach_files_to_the_pdf(tmp_path: Path, server: Server) -> None:
    """Attachments are fetched while the PDF is written, after layout; they are policed all the same."""
    secret = secret_outside(tmp_path)
    content = project(tmp_path)
    html = (f'<link rel="attachment" href="{secret.as_uri()}">'
            f'<link rel="attachment" href="{server.url("attachment.txt")}">'
            f'<a rel="attachment" href="{secret.as_uri()}">a</a>')
    user_layout(content, "attach", in_main_region(html))
    with pytest.raises(OthandoutError) as caught:
        build_into(content, tmp_path / "out", "attach")
    assert f"refused {secret.as_uri()}" in str(caught.value)
    assert f"refused {server.url('attachment.txt')}" in str(caught.value)
    assert server.connections == 0
    assert not pdfs(tmp_path / "out")


def test_a_user_layout_template_cannot_reach_python_internals(tmp_path: Path) -> None:
    content = project(tmp_path)
    user_layout(content, "ssti", in_main_region("PID{{ cycler.__init__.__globals__.os.getpid() }}"))
    with pytest.raises(OthandoutError, match="unsafe"):
        build_into(content, tmp_path / "out", "ssti")


# --- 3b. the fetcher on its own --------------------------------------------------------------------


@pytest.fixture
def root(tmp_path: Path) -> Path:
    """A fetch root with one good file, a folder, escaping links and a pipe; a secret sits beside it."""
    folder = tmp_path / "root"
    (folder / "sub").mkdir(parents=True)
    (folder / "ok.css").write_text("p { color: red }", encoding="utf-8")
    (folder / "escape.png").symlink_to(secret_outside(tmp_path))
    (folder / "etc.png").symlink_to("/etc/hostname")
    (folder / "random.png").symlink_to("/dev/urandom")
    (folder / "loop.png").symlink_to(folder / "loop.png")
    os.mkfifo(folder / "pipe.css")
    with open(folder / "huge.png", "wb") as handle:
        handle.truncate(MAX_RESOURCE_BYTES + 1)  # sparse: costs no disk
    return folder


REFUSED = {
    "http": lambda r, s: s.url("a.css"),
    "https": lambda r, s: s.url("a.css").replace("http:", "https:"),
    "ftp": lambda r, s: s.url("a.css").replace("http:", "ftp:"),
    "upper-case scheme": lambda r, s: s.url("a.css").replace("http:", "HTTP:"),
    "protocol-relative": lambda r, s: s.url("a.css").removeprefix("http:"),
    "etc-passwd": lambda r, s: "file:///etc/passwd",
    "dot-dot": lambda r, s: f"{r.as_uri()}/../secret.txt",
    "percent-dot-dot": lambda r, s: f"{r.as_uri()}/%2e%2e/secret.txt",
    "percent-dot-dot-upper": lambda r, s: f"{r.as_uri()}/%2E%2E/%2E%2E/%2E%2E/%2E%2E/%2E%2E/%2E%2E/etc/passwd",
    "percent-slash": lambda r, s: f"{r.as_uri()}/..%2fsecret.txt",
    "symlink-out": lambda r, s: f"{r.as_uri()}/escape.png",
    "symlink-etc": lambda r, s: f"{r.as_uri()}/etc.png",
    "symlink-device": lambda r, s: f"{r.as_uri()}/random.png",
    "symlink-loop": lambda r, s: f"{r.as_uri()}/loop.png",
    "dev-urandom": lambda r, s: "file:///dev/urandom",
    "directory": lambda r, s: f"{r.as_uri()}/sub",
    "root-itself": lambda r, s: f"{r.as_uri()}/",
    "fifo": lambda r, s: f"{r.as_uri()}/pipe.css",
    "too-big": lambda r, s: f"{r.as_uri()}/huge.png",
    "missing": lambda r, s: f"{r.as_uri()}/missing.png",
    "other-host": lambda r, s: f"file://127.0.0.1{r}/ok.css",
    "relative": lambda r, s: "file:ok.css",
    "nul-byte": lambda r, s: f"{r.as_uri()}/ok.css%00.png",
    "bad-data": lambda r, s: "data:no-comma",
    "unparsable": lambda r, s: "http://[::1/a.css",
}


@pytest.mark.parametrize("case", REFUSED)
def test_the_fetcher_refuses_and_records(root: Path, server: Server, case: str, monkeypatch) -> None:
    monkeypatch.chdir(root)  # so a relative file: URL would find ok.css if it were allowed
    url = REFUSED[case](root, server)
    fetcher = SafeFetcher([root])
    start = time.monotonic()
    with pytest.raises(ValueError, match="refused"):
        _fetch_with_deadline(fetcher, url)
    assert time.monotonic() - start < 2
    assert [u for u, _ in fetcher.refused] == [url]
    assert server.connections == 0


def _fetch_with_deadline(fetcher: SafeFetcher, url: str, seconds: float = 5) -> object:
    """Fetch in a daemon thread so a regression that blocks (a pipe, a device) fails instead of hanging."""
    outcome: list = []

    def run() -> None:
        try:
            outcome.append(("ok", fetcher.fetch(url)))
        except BaseException as err:  # noqa: BLE001 - handed back to the test
            outcome.append(("err", err))

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(seconds)
    assert outcome, f"fetching {url} blocked for {seconds} s"
    kind, value = outcome[0]
    if kind == "err":
        raise value
    return value


@pytest.mark.parametrize(("url", "why"), [("file:///dev/urandom", "not a regular file"),
                                          ("file:///dev/zero", "not a regular file"),
                                          ("file:///dev/null", "not a regular file")])
def test_devices_are_refused_as_not_regular_files_even_under_a_root(url: str, why: str) -> None:
    fetcher = SafeFetcher([Path("/dev")])
    with pytest.raises(ValueError, match=why):
        _fetch_with_deadline(fetcher, url)
    assert fetcher.refused == [(url, "is a device, not a regular file")]


def test_the_fetcher_serves_a_regular_file_inside_the_root(root: Path) -> None:
    fetcher = SafeFetcher([root])
    response = fetcher.fetch((root / "ok.css").as_uri())
    assert response.read() == b"p { color: red }"
    assert response.content_type == "text/css"
    assert fetcher.refused == []


def test_the_fetcher_follows_a_symlink_that_stays_inside_the_root(root: Path) -> None:
    (root / "alias.css").symlink_to(root / "ok.css")
    response = SafeFetcher([root]).fetch((root / "alias.css").as_uri())
    assert response.read() == b"p { color: red }"
    assert response.url == (root / "ok.css").as_uri()


def test_the_fetcher_decodes_a_file_url_only_once(root: Path) -> None:
    (root / "100%41.css").write_text("odd", encoding="utf-8")
    (root / "100A.css").write_text("wrong file", encoding="utf-8")
    response = SafeFetcher([root]).fetch(f"{root.as_uri()}/100%2541.css")
    assert response.read() == b"odd"


def test_the_fetcher_serves_data_uris(root: Path) -> None:
    fetcher = SafeFetcher([root])
    assert fetcher.fetch("data:text/plain,hello%20there").read() == b"hello there"
    response = fetcher.fetch("data:image/png;base64,iVBORw0KGgo=")
    assert (response.read(), response.content_type) == (b"\x89PNG\r\n\x1a\n", "image/png")
    assert fetcher.refused == []


def test_a_urllib_style_open_cannot_smuggle_a_request_past_the_checks(root: Path, server: Server) -> None:
    """URLFetcher.open(Request) stashes the request for its next fetch; a data: fetch must not replay it."""
    fetcher = SafeFetcher([root])
    with pytest.raises(ValueError, match="refused"):
        fetcher.open(Request(server.url("stashed")))
    assert fetcher.fetch("data:,x").read() == b"x"
    assert server.connections == 0


def test_a_file_swapped_for_a_pipe_after_it_was_checked_is_refused(root: Path, monkeypatch) -> None:
    """The file opened is the file checked: a swap between stat() and open() cannot make the fetch block."""
    target = root / "swap.css"
    target.write_text("p {}", encoding="utf-8")
    real_open = os.open

    def swapping_open(path, flags, *args, **kwargs):  # type: ignore[no-untyped-def]
        if Path(path) == target:
            target.unlink()
            os.mkfifo(target)
        return real_open(path, flags, *args, **kwargs)

    monkeypatch.setattr(othandout.pipeline.files.os, "open", swapping_open)
    fetcher = SafeFetcher([root])
    with pytest.raises(ValueError, match="refused"):
        _fetch_with_deadline(fetcher, target.as_uri())
    assert stat.S_ISFIFO(target.lstat().st_mode)


def test_a_folder_swapped_for_a_link_after_the_check_is_refused(root: Path, tmp_path: Path, monkeypatch) -> None:
    """The file opened is the file checked: a folder on the path turned into a link cannot redirect the read."""
    (root / "sub" / "a.css").write_text("p {}", encoding="utf-8")
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "elsewhere" / "a.css").write_text(SECRET, encoding="utf-8")
    real_open = os.open

    def swapping_open(path, flags, *args, **kwargs):  # type: ignore[no-untyped-def]
        if Path(path) == root / "sub" / "a.css":
            (root / "sub").rename(root / "old-sub")
            (root / "sub").symlink_to(tmp_path / "elsewhere")
        return real_open(path, flags, *args, **kwargs)

    monkeypatch.setattr(othandout.pipeline.files.os, "open", swapping_open)
    fetcher = SafeFetcher([root])
    with pytest.raises(ValueError, match="refused"):
        fetcher.fetch((root / "sub" / "a.css").as_uri())
    assert (root / "sub").is_symlink()


# --- 4. the project's own layouts come first -------------------------------------------------------


def test_the_projects_own_layout_shadows_the_built_in_one(tmp_path: Path) -> None:
    content = project(tmp_path)
    user_layout(content, "tip-sheet", in_main_region("USERTEMPLATEMARK"),
                css_extra='#region-footer::before { content: "USERCSSMARK"; position: absolute; right: 0; '
                          "top: 0.02in; font-size: 9pt; }")
    [built] = build_into(content, tmp_path / "out", "tip-sheet")
    text = text_of(built.path.read_bytes())
    assert "USERTEMPLATEMARK" in text
    assert "USERCSSMARK" in text


# --- 5. a build reads content.yaml and writes only into --out --------------------------------------


def test_a_build_changes_nothing_but_the_out_folder(tmp_path: Path) -> None:
    data = content_data()
    data["organization"]["logo"] = "logo.png"
    content = project(tmp_path, data)
    (content.parent / "logo.png").write_bytes(png_bytes())
    user_layout(content, "mine", '{% extends "base.html.j2" %}\n')
    out = tmp_path / "out"
    before_bytes, before_stat = content.read_bytes(), content.stat()
    before = snapshot(tmp_path)
    build_into(content, out, "tip-sheet")
    build_into(content, out, "mine")
    assert content.read_bytes() == before_bytes
    assert content.stat().st_mtime_ns == before_stat.st_mtime_ns
    after = snapshot(tmp_path)
    assert {k: v for k, v in after.items() if not k.startswith("out")} == before
    assert sorted(p.name for p in out.iterdir()) == ["mine.pdf", "tip-sheet.pdf"]
