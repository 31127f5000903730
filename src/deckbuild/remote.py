"""Remote pictures, fetched only when the user asks (`--fetch-remote`, or `remote_images = "fetch"`
in course.toml): each http(s) picture is downloaded once into a content-addressed cache in the
output folder's state, and every later build reads it from there, offline.

A download has a time limit and a size limit, follows redirects only to http(s), and keeps only
a file that is a picture by its content (the Content-Type header must say image/ too); anything
else is one warning at the reference's file:line, and the picture's placeholder stays.

Task actions look fetched pictures up through `active_cache`, which makes one cache the
active one for the duration of a task: the composer and the handout writer resolve image
references without knowing where the cache lives.
"""

from __future__ import annotations

import contextlib
import contextvars
import hashlib
import http.client
import json
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlparse

from .files import write_atomically

TIMEOUT_SECONDS = 10.0
MAX_BYTES = 10 * 1024 * 1024
INDEX = "index.json"
_CHUNK = 64 * 1024


class _HttpOnlyRedirects(urllib.request.HTTPRedirectHandler):
    """Follows a redirect only to another http(s) address (urllib itself would also follow ftp)."""

    def redirect_request(self, request, response, code, message, headers, new_url):
        if urlparse(new_url).scheme not in ("http", "https"):
            raise urllib.error.HTTPError(request.full_url, code, message, headers, response)
        return super().redirect_request(request, response, code, message, headers, new_url)


_OPENER = urllib.request.build_opener(_HttpOnlyRedirects)


class RemoteImages:
    """The cache of fetched pictures in folder: `<sha256><suffix>` files and an index of URL → file."""

    def __init__(self, folder: Path, timeout: float = TIMEOUT_SECONDS, limit: int = MAX_BYTES) -> None:
        self.folder = folder
        self.timeout = timeout
        self.limit = limit
        self.index: dict[str, dict] = {}
        with contextlib.suppress(OSError, ValueError):
            self.index = json.loads((folder / INDEX).read_text(encoding="utf-8"))

    def fetch(self, url: str, course_root: Path) -> tuple[Path | None, str | None]:
        """The cached picture for url, downloading it the first time (and again after a failure);
        or None and why not. Either way the index remembers the outcome for the build's tasks."""
        if self.has(url):
            return self.folder / self.index[url]["file"], None
        try:
            data = self._download(url)
        except urllib.error.HTTPError as error:
            refused = f"redirect to {error.headers.get('Location')} refused" if 300 <= error.code < 400 else ""
            problem = f"remote image not fetched ({refused or f'HTTP {error.code}'}): {url}"
        except (OSError, ValueError, http.client.HTTPException) as error:  # URLError and timeouts are OSErrors
            problem = f"remote image not fetched ({getattr(error, 'reason', None) or error}): {url}"
        else:
            problem = self._store(url, data, course_root)
        if problem:
            self._record(url, {"problem": problem})
            return None, problem
        return self.folder / self.index[url]["file"], None

    def _download(self, url: str) -> bytes:
        """The body at url, within the time and size limits."""
        address = "https:" + url if url.startswith("//") else url
        if urlparse(address).scheme not in ("http", "https"):
            raise ValueError("only http and https pictures are fetched")
        deadline = time.monotonic() + self.timeout
        with _OPENER.open(urllib.request.Request(address, headers={"User-Agent": "deckbuild"}),
                          timeout=self.timeout) as response:
            kind = response.headers.get_content_type()
            if not kind.startswith("image/"):
                raise ValueError(f"not a picture: the server says {kind}")
            if int(response.headers.get("Content-Length") or 0) > self.limit:
                raise ValueError(f"larger than {self.limit // (1024 * 1024)} MB")
            body = bytearray()
            while chunk := response.read(_CHUNK):
                body += chunk
                if len(body) > self.limit:
                    raise ValueError(f"larger than {self.limit // (1024 * 1024)} MB")
                if time.monotonic() > deadline:
                    raise TimeoutError(f"took longer than {self.timeout:g} s")
        return bytes(body)

    def _store(self, url: str, data: bytes, course_root: Path) -> str | None:
        """Keep data as url's picture when its content is one; the problem otherwise."""
        from .images import picture_problem, sniff_format

        suffix = sniff_format(data)
        if suffix is None:
            return f"remote image is not a picture (PNG, JPEG, GIF, BMP or SVG): {url}"
        digest = hashlib.sha256(data).hexdigest()
        path = self.folder / f"{digest}{suffix}"
        write_atomically(path, data)
        problem = picture_problem(path, course_root)
        if problem:
            path.unlink()
            return f"remote {problem}: {url}"
        self._record(url, {"file": path.name, "sha256": digest, "bytes": len(data)})
        return None

    def _record(self, url: str, entry: dict) -> None:
        if self.index.get(url) == entry:
            return
        self.index[url] = entry
        write_atomically(self.folder / INDEX, json.dumps(self.index, indent=1, sort_keys=True))

    def has(self, url: str) -> bool:
        """Whether url's picture is in the cache."""
        entry = self.index.get(url, {})
        return "file" in entry and (self.folder / entry["file"]).is_file()

    def keep(self, urls: set[str]) -> None:
        """Forget the pictures no session uses any more, so the index lists what this build shows."""
        stale = set(self.index) - urls
        if stale:
            self.index = {url: entry for url, entry in self.index.items() if url in urls}
            write_atomically(self.folder / INDEX, json.dumps(self.index, indent=1, sort_keys=True))


def fetched_entries(folder: Path) -> dict[str, dict]:
    """URL → {file, sha256, bytes} of the pictures fetched into folder (none when nothing was)."""
    return {url: entry for url, entry in RemoteImages(folder).index.items() if "file" in entry}


_ACTIVE: contextvars.ContextVar[Path | None] = contextvars.ContextVar("active_cache", default=None)


@contextlib.contextmanager
def active_cache(folder: str):
    """Within this block, remote picture references resolve through the cache in folder
    ("" for none: a build that does not fetch)."""
    token = _ACTIVE.set(Path(folder) if folder else None)
    try:
        yield
    finally:
        _ACTIVE.reset(token)


def fetched_picture(url: str) -> tuple[Path | None, str | None]:
    """The fetched picture for url in the active cache, or None and why there is none."""
    folder = _ACTIVE.get()
    entry = RemoteImages(folder).index.get(url, {}) if folder is not None else {}
    if "file" in entry and (folder / entry["file"]).is_file():
        return folder / entry["file"], None
    return None, entry.get("problem", f"remote image not fetched during a build: {url}")


def cache_folders() -> list[Path]:
    """The active cache folder, for the PDF writer's list of folders it may read."""
    folder = _ACTIVE.get()
    return [folder] if folder is not None else []
