"""A WeasyPrint URL fetcher that reads only the project's own files and never the network."""

from __future__ import annotations

import stat
from pathlib import Path
from urllib.parse import unquote, urlsplit
from urllib.request import url2pathname

from weasyprint.urls import URLFetcher, URLFetcherResponse

MAX_RESOURCE_BYTES = 20 * 1024 * 1024
MEDIA_TYPES = {".css": "text/css", ".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg",
               ".svg": "image/svg+xml", ".gif": "image/gif", ".webp": "image/webp", ".ttf": "font/ttf",
               ".otf": "font/otf", ".woff": "font/woff", ".woff2": "font/woff2"}


class SafeFetcher(URLFetcher):
    """Serve `data:` URIs and regular files under the allowed folders; refuse and record the rest."""

    def __init__(self, roots: list[Path]) -> None:
        super().__init__(allowed_protocols={"file", "data"}, allow_redirects=False, fail_on_errors=False)
        self.roots = [root.resolve() for root in roots]
        self.refused: list[tuple[str, str]] = []

    def fetch(self, url: str, headers: dict | None = None) -> URLFetcherResponse:
        """Fetch one URL, or raise after recording why it was refused."""
        scheme = urlsplit(url).scheme.lower()
        if scheme == "data":
            return super().fetch(url, headers)
        if scheme != "file":
            return self._refuse(url, "othandout never fetches from the network")
        path = Path(url2pathname(unquote(urlsplit(url).path)))
        try:
            real = path.resolve(strict=True)
            info = real.stat()
        except OSError:
            return self._refuse(url, "file not found")
        if not any(real.is_relative_to(root) for root in self.roots):
            return self._refuse(url, "it is outside the project folder")
        if not stat.S_ISREG(info.st_mode) or info.st_size > MAX_RESOURCE_BYTES:
            return self._refuse(url, "not a regular file under 20 MiB")
        body = real.read_bytes()
        media = MEDIA_TYPES.get(real.suffix.lower(), "application/octet-stream")
        return URLFetcherResponse(real.as_uri(), body, headers={"Content-Type": media})

    def _refuse(self, url: str, why: str) -> URLFetcherResponse:
        """Record a refused URL and make WeasyPrint skip it."""
        self.refused.append((url, why))
        raise ValueError(f"refused {url}: {why}")
