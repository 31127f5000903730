"""Remote pictures on request: fetched once from a local HTTP server into the build's cache, with a
time limit, a size limit, pictures only (by content), http(s) redirects only; each failure is one
warning at its file:line and keeps the placeholder; a rebuild needs no network; the manifest lists
what was fetched. Without the option nothing is fetched."""

from __future__ import annotations

import hashlib
import io
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from deck_reading import open_deck, slide_text, squash
from PIL import Image
from pypdf import PdfReader

from deckbuild.diagnostics import Severity
from deckbuild.remote import RemoteImages
from deckbuild.runner import build_course


def picture() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (120, 80), "#3a7").save(buffer, "PNG")
    return buffer.getvalue()


PICTURE = picture()
SVG = b'<svg xmlns="http://www.w3.org/2000/svg" width="40" height="20"><rect width="40" height="20" fill="#c33"/></svg>'
# path → (status, content type, body, seconds to wait first, extra headers)
ROUTES = {
    "/figure.png": (200, "image/png", PICTURE, 0, {}),
    "/figure.svg": (200, "image/svg+xml", SVG, 0, {}),
    "/missing.png": (404, "text/html", b"<h1>Not Found</h1>", 0, {}),
    "/page.png": (200, "text/html", b"<html>a page, not a picture</html>", 0, {}),
    "/liar.png": (200, "image/png", b"<html>a page that says it is a picture</html>", 0, {}),
    "/huge.png": (200, "image/png", PICTURE + b"\0" * (11 * 1024 * 1024), 0, {}),
    "/slow.png": (200, "image/png", PICTURE, 3, {}),
    "/to-file.png": (302, "text/plain", b"", 0, {"Location": "file:///etc/passwd"}),
    "/to-ftp.png": (302, "text/plain", b"", 0, {"Location": "ftp://127.0.0.1/x.png"}),
    "/to-figure.png": (302, "text/plain", b"", 0, {"Location": "/figure.png"}),
    "/tracker.svg": (200, "image/svg+xml",
                     b'<svg xmlns="http://www.w3.org/2000/svg" width="9" height="9"><image href="http://example.com/x.png"/></svg>',
                     0, {}),
}


class Server:
    """A local HTTP server on 127.0.0.1 that counts the requests it gets."""

    def __init__(self) -> None:
        requests: list[str] = []
        self.requests = requests

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                requests.append(self.path)
                status, kind, body, wait, headers = ROUTES.get(self.path, (404, "text/plain", b"no", 0, {}))
                time.sleep(wait)
                self.send_response(status)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(body)))
                for name, value in headers.items():
                    self.send_header(name, value)
                self.end_headers()
                try:
                    self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError):
                    pass

            def log_message(self, *arguments) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def server():
    running = Server()
    yield running
    running.close()


@pytest.mark.parametrize("path, problem", [
    ("/missing.png", "remote image not fetched (HTTP 404)"),
    ("/page.png", "remote image not fetched (not a picture: the server says text/html)"),
    ("/liar.png", "remote image is not a picture (PNG, JPEG, GIF, BMP or SVG)"),
    ("/huge.png", "remote image not fetched (larger than 10 MB)"),
    ("/slow.png", "remote image not fetched (timed out)"),
    ("/to-file.png", "remote image not fetched (redirect to file:///etc/passwd refused)"),
    ("/to-ftp.png", "remote image not fetched (redirect to ftp://127.0.0.1/x.png refused)"),
    ("/tracker.svg", "remote SVG refers to the network (http://example.com/x.png)"),
])
def test_each_failure_is_named_and_nothing_is_kept(server, tmp_path, path, problem):
    cache = RemoteImages(tmp_path / "cache", timeout=1.0)
    started = time.monotonic()
    found, reason = cache.fetch(server.url + path, tmp_path)
    assert time.monotonic() - started < 5
    assert found is None and reason == f"{problem}: {server.url}{path}"
    assert [p.name for p in (tmp_path / "cache").iterdir()] == ["index.json"]


def test_a_picture_is_fetched_once_and_stored_by_its_content(server, tmp_path):
    cache = RemoteImages(tmp_path / "cache")
    first, problem = cache.fetch(server.url + "/figure.png", tmp_path)
    assert problem is None and first.name == hashlib.sha256(PICTURE).hexdigest() + ".png"
    assert first.read_bytes() == PICTURE
    redirected, _ = cache.fetch(server.url + "/to-figure.png", tmp_path)
    assert redirected == first  # the same content is one file
    again, _ = RemoteImages(tmp_path / "cache").fetch(server.url + "/figure.png", tmp_path)
    assert again == first and server.requests.count("/figure.png") == 2  # the redirect's, then the first


def course_with_remote_pictures(root: Path, url: str, toml: str = "") -> Path:
    day = root / "week_01" / "day_01"
    day.mkdir(parents=True)
    if toml:
        (root / "course.toml").write_text(toml, encoding="utf-8")
    (day / "session_01.md").write_text(
        "# Session 1: 원격 그림\n\n## 개요 (5분)\n\n설명 문단입니다.\n\n"
        f"![받아 올 그림]({url}/figure.png)\n\n## 벡터 (5분)\n\n![벡터 그림]({url}/figure.svg)\n\n"
        f"## 없는 그림 (5분)\n\n![없는 그림]({url}/missing.png)\n", encoding="utf-8")
    return root


def pictures_in(deck_path: Path) -> int:
    return sum(shape.shape_type == 13 for slide in open_deck(deck_path).slides for shape in slide.shapes)


def test_a_build_fetches_on_request_and_rebuilds_offline(server, tmp_path):
    course = course_with_remote_pictures(tmp_path / "course", server.url)
    out, dist = tmp_path / "out", tmp_path / "dist"
    session = course / "week_01" / "day_01" / "session_01.md"

    first = build_course(course, out, dist=dist, fetch_remote=True)
    assert first.status == 0
    warnings = {(d.file, d.line, d.message) for d in first.diagnostics if d.severity == Severity.WARNING}
    assert warnings == {(session, 15, f"remote image not fetched (HTTP 404): {server.url}/missing.png")}
    deck = out / "decks" / "week_01" / "day_01" / "session_01.pptx"
    assert pictures_in(deck) == 2
    handout = PdfReader(out / "handouts" / "week_01" / "day_01.pdf")
    assert sum(len(page.images) for page in handout.pages) >= 1
    manifest = json.loads((dist / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["remote_images"] == [
        {"url": f"{server.url}/figure.png", "sha256": hashlib.sha256(PICTURE).hexdigest(), "bytes": len(PICTURE)},
        {"url": f"{server.url}/figure.svg", "sha256": hashlib.sha256(SVG).hexdigest(), "bytes": len(SVG)},
    ]

    server.close()  # from now on the network is gone
    fetched = [path for path in server.requests if path != "/missing.png"]
    again = build_course(course, out, dist=dist, fetch_remote=True)
    assert again.status == 0 and again.record.ran == []
    assert [path for path in server.requests if path != "/missing.png"] == fetched
    session.write_text(session.read_text(encoding="utf-8") + "\n한 줄 더.\n", encoding="utf-8")
    edited = build_course(course, out, only=("decks",), fetch_remote=True)
    assert edited.status == 0 and "deck:week_01/day_01/session_01" in edited.record.ran
    assert pictures_in(deck) == 2


def test_without_the_option_nothing_is_fetched(server, tmp_path):
    course = course_with_remote_pictures(tmp_path / "course", server.url)
    result = build_course(course, tmp_path / "out", only=("decks",))
    assert server.requests == []
    messages = {d.message for d in result.diagnostics}
    assert f"remote image not fetched during a build: {server.url}/figure.png" in messages
    deck = tmp_path / "out" / "decks" / "week_01" / "day_01" / "session_01.pptx"
    assert pictures_in(deck) == 0
    assert squash(f"이미지를 표시할 수 없습니다: {server.url}/figure.png") in squash(
        "".join(slide_text(slide) for slide in open_deck(deck).slides))


def test_course_toml_asks_for_fetching(server, tmp_path):
    course = course_with_remote_pictures(tmp_path / "course", server.url, 'remote_images = "fetch"\n')
    assert build_course(course, tmp_path / "out", only=("decks",)).status == 0
    assert "/figure.png" in server.requests
    assert pictures_in(tmp_path / "out" / "decks" / "week_01" / "day_01" / "session_01.pptx") == 2


def test_a_wrong_remote_images_setting_is_an_error(tmp_path):
    course = course_with_remote_pictures(tmp_path / "course", "http://127.0.0.1:9", 'remote_images = "always"\n')
    result = build_course(course, tmp_path / "out", only=("decks",))
    assert any(d.message == "remote_images is \"fetch\" or \"off\", not 'always'" for d in result.diagnostics)


def test_the_command_line_option_fetches(server, tmp_path):
    from deckbuild.cli import main

    course = course_with_remote_pictures(tmp_path / "course", server.url)
    out = tmp_path / "out"
    assert main(["build", str(course), "-o", str(out), "--only", "decks", "--fetch-remote", "-n", "1"]) == 0
    assert "/figure.png" in server.requests
    assert pictures_in(out / "decks" / "week_01" / "day_01" / "session_01.pptx") == 2
