"""A WeasyPrint URL fetcher that reads only the project's own files and never the network."""

from __future__ import annotations

import os
import stat
from pathlib import Path
from urllib.parse import SplitResult, urlsplit
from urllib.request import DataHandler, Request, url2pathname

from weasyprint.urls import URLFetcher, URLFetcherResponse

MAX_RESOURCE_BYTES = 20 * 1024 * 1024
MEDIA_TYPES = {".css": "text/css", ".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg",
               ".svg": "image/svg+xml", ".gif": "image/gif", ".webp": "image/webp", ".ttf": "font/ttf",
               ".otf": "font/otf", ".woff": "font/woff", ".woff2": "font/woff2"}
LOCAL_HOSTS = {"", "localhost"}
# O_NONBLOCK: opening a FIFO or device never waits; O_NOFOLLOW: the checked file cannot become a link.
OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0)


class Refused(ValueError):
    """A URL the fetcher will not read; the message says why."""


class SafeFetcher(URLFetcher):
    """Serve `data:` URIs and regular files under the allowed folders; refuse and record the rest."""

    def __init__(self, roots: list[Path]) -> None:
        super().__init__(allowed_protocols={"file", "data"}, allow_redirects=False, fail_on_errors=False)
        self.roots = [root.resolve() for root in roots]
        self.refused: list[tuple[str, str]] = []

    def fetch(self, url: str, headers: dict | None = None) -> URLFetcherResponse:
        """Fetch one URL, or raise after recording why it was refused."""
        try:
            return self._fetch(url)
        except Refused as why:
            self.refused.append((url, str(why)))
            raise ValueError(f"refused {url}: {why}") from None

    def _fetch(self, url: str) -> URLFetcherResponse:
        """Serve one URL or raise Refused."""
        parts = _split(url)
        if parts.scheme.lower() == "data":
            return _data(url)
        if parts.scheme.lower() != "file":
            raise Refused("othandout never fetches from the network")
        return _read(self._inside(parts))

    def _inside(self, parts: SplitResult) -> Path:
        """The real path of a local file URL, symlinks followed, if it lies under an allowed folder."""
        if parts.netloc.lower() not in LOCAL_HOSTS:
            raise Refused(f"it names another machine ({parts.netloc})")
        raw = url2pathname(parts.path)
        if "\0" in raw or not os.path.isabs(raw):
            raise Refused("it is not an absolute file path")
        try:
            real = Path(raw).resolve(strict=True)
        except (OSError, RuntimeError):
            raise Refused("file not found") from None
        if not any(real.is_relative_to(root) for root in self.roots):
            raise Refused("it is outside the project folder")
        return real


def _split(url: str) -> SplitResult:
    """Split a URL, treating one urllib cannot parse as refused."""
    try:
        return urlsplit(url)
    except ValueError:
        raise Refused("it is not a valid URL") from None


def _data(url: str) -> URLFetcherResponse:
    """Decode a `data:` URI in memory, without going through urllib's openers."""
    try:
        with DataHandler().data_open(Request(url)) as response:
            media = response.headers["Content-Type"]
            return URLFetcherResponse(url, response.read(), headers={"Content-Type": media})
    except ValueError:
        raise Refused("it is not a valid data: URI") from None


def _read(real: Path) -> URLFetcherResponse:
    """Read a regular file of at most MAX_RESOURCE_BYTES, checking the file actually opened."""
    try:
        checked = _regular(real.stat())
        fd = os.open(real, OPEN_FLAGS)
    except OSError:
        raise Refused("it cannot be opened") from None
    with os.fdopen(fd, "rb") as handle:
        opened = _regular(os.fstat(fd))
        if (opened.st_dev, opened.st_ino) != (checked.st_dev, checked.st_ino):
            raise Refused("it changed while being read")
        body = handle.read(MAX_RESOURCE_BYTES + 1)
    if len(body) > MAX_RESOURCE_BYTES:
        raise Refused("it is larger than 20 MiB")
    media = MEDIA_TYPES.get(real.suffix.lower(), "application/octet-stream")
    return URLFetcherResponse(real.as_uri(), body, headers={"Content-Type": media})


def _regular(info: os.stat_result) -> os.stat_result:
    """Pass a regular file of at most MAX_RESOURCE_BYTES; refuse devices, pipes, folders and huge files."""
    if not stat.S_ISREG(info.st_mode):
        raise Refused("it is not a regular file")
    if info.st_size > MAX_RESOURCE_BYTES:
        raise Refused("it is larger than 20 MiB")
    return info
