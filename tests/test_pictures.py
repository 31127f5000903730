"""Broken and hostile pictures cost one picture, never the deck or the handout: each is one warning at
the session's file:line, a visible placeholder on its slide and in the handout, and the rest builds,
in bounded time and memory."""

from __future__ import annotations

import io
import json
import os
import struct
import subprocess
import sys
import time
import zlib
from pathlib import Path

import pytest
import weasyprint  # noqa: F401  importing it tells Pillow to pad truncated images; the check must not care
from deck_reading import open_deck, slide_text, squash
from PIL import Image as PillowImage
from pypdf import PdfReader

from deckbuild.images import MAX_PIXELS, picture_problem
from deckbuild.runner import build_course

NOTICE = "이미지를 표시할 수 없습니다"
SVG_OPEN = '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="200" height="100">'


def png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def bomb_png(side: int) -> bytes:
    """A real grey PNG of side × side pixels whose zeros compress to about a thousandth of their size."""
    compressor, row = zlib.compressobj(9), b"\0" * (side + 1)
    data = b"".join(compressor.compress(row) for _ in range(side)) + compressor.flush()
    header = struct.pack(">IIBBBBB", side, side, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + png_chunk(b"IHDR", header) + png_chunk(b"IDAT", data) + png_chunk(b"IEND", b"")


def noisy(format: str) -> bytes:
    buffer = io.BytesIO()
    PillowImage.effect_noise((320, 200), 60).convert("RGB").save(buffer, format)
    return buffer.getvalue()


# file name → (content, the start of its warning)
BROKEN = {
    "lfs.png": (b"version https://git-lfs.github.com/spec/v1\noid sha256:" + b"0" * 64 + b"\nsize 48213\n",
                "image is a Git LFS pointer, not the picture (run `git lfs pull`)"),
    "empty.png": (b"", "image file is empty"),
    "text.png": (b"this is not a picture\n", "image file is not a picture"),
    "cut.png": (noisy("PNG")[:3000], "image file is truncated or damaged"),
    "cut.jpg": (noisy("JPEG")[:2000], "image file is truncated or damaged"),
    "bomb.png": (bomb_png(12_000), "image has too many pixels: 12000 × 12000 (the limit is 50 megapixels)"),
    "huge.png": (bomb_png(20_000)[:4000], "image has too many pixels"),
    "photo.webp": (noisy("WEBP"), "image format WEBP cannot go into a deck (convert it to PNG)"),
    "entity.svg": (('<?xml version="1.0"?>\n<!DOCTYPE svg [<!ENTITY secret SYSTEM "file:///etc/passwd">]>\n'
                    f'{SVG_OPEN}<text y="20">&secret;</text></svg>').encode(), "SVG with a DOCTYPE or XML entities is not used"),
    "laughs.svg": (('<!DOCTYPE svg [<!ENTITY a "ha"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
                    '<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>'
                    f'{SVG_OPEN}<text y="20">&c;</text></svg>').encode(), "SVG with a DOCTYPE or XML entities is not used"),
    "malformed.svg": (f'{SVG_OPEN}<g><text>열린 태그</svg>'.encode(), "SVG is not well-formed XML"),
    "page.svg": (b"<html><body>not an svg</body></html>", "not an SVG: its root element is <html>"),
    "file-url.svg": (f'{SVG_OPEN}<image href="file:///etc/hostname" width="10" height="10"/></svg>'.encode(),
                     "SVG refers to a file outside the course (file:///etc/hostname)"),
    "climb.svg": (f'{SVG_OPEN}<image xlink:href="../../../../../../etc/passwd" width="9" height="9"/></svg>'.encode(),
                  "SVG refers to a file outside the course (../../../../../../etc/passwd)"),
    "network.svg": (f'{SVG_OPEN}<image href="https://example.com/tracker.png" width="9" height="9"/></svg>'.encode(),
                    "SVG refers to the network (https://example.com/tracker.png)"),
    "thread.svg": (b'<svg xmlns="http://www.w3.org/2000/svg" width="1" height="20000"><rect width="1" height="20000"/></svg>',
                   "SVG too thin to show: 1 × 20000 (at most 1000:1 either way)"),
    "css.svg": (f'{SVG_OPEN}<style>@import url("http://example.com/x.css");</style><rect width="9" height="9"/></svg>'.encode(),
                "SVG refers to the network (http://example.com/x.css)"),
}
GOOD = {
    "fine.png": noisy("PNG"),
    "fine.svg": f'{SVG_OPEN}<rect width="200" height="100" fill="#def"/><text x="10" y="50">좋은 그림</text>'
                f'<use href="#r"/><rect id="r" style="fill:url(#g)" width="1" height="1"/></svg>'.encode(),
}


@pytest.fixture(scope="module")
def course(tmp_path_factory) -> tuple[Path, dict[str, int]]:
    """One session with a section per picture (each broken one and two good ones); returns its lines."""
    root = tmp_path_factory.mktemp("pictures") / "course"
    images = root / "week_01" / "images"
    day = root / "week_01" / "day_01"
    images.mkdir(parents=True)
    day.mkdir()
    lines = ["# Session 1: 그림 시험", ""]
    where: dict[str, int] = {}
    for number, name in enumerate([*BROKEN, *GOOD], start=1):
        content = BROKEN[name][0] if name in BROKEN else GOOD[name]
        (images / name).write_bytes(content)
        lines += [f"## {number}. {name} 그림 (5분)", "", f"그림 {number}번을 봅니다.", ""]
        where[name] = len(lines) + 1
        lines += [f"![그림 {number}: {name}](../images/{name})", ""]
    lines += ["## 마무리 (5분)", "", "그림이 깨져도 나머지는 그대로 나옵니다.", ""]
    (day / "session_01.md").write_text("\n".join(lines), encoding="utf-8")
    return root, where


@pytest.mark.parametrize("name", BROKEN)
def test_each_broken_picture_is_refused_quickly_with_its_reason(course, name):
    root, _ = course
    started = time.perf_counter()
    problem = picture_problem(root / "week_01" / "images" / name, root)
    assert time.perf_counter() - started < 2.0
    assert problem is not None and problem.startswith(BROKEN[name][1])


@pytest.mark.parametrize("name", GOOD)
def test_good_pictures_pass(course, name):
    root, _ = course
    assert picture_problem(root / "week_01" / "images" / name, root) is None


def test_the_pixel_limit_is_fifty_megapixels():
    assert MAX_PIXELS == 50_000_000


def test_check_gives_one_warning_per_broken_picture_at_its_line(course):
    root, where = course
    result = subprocess.run([sys.executable, "-m", "deckbuild.cli", "check", str(root), "--format", "json"],
                            capture_output=True, text=True, timeout=120)
    session = root / "week_01" / "day_01" / "session_01.md"
    warnings = [d for d in json.loads(result.stdout)["diagnostics"] if d["severity"] == "warning"]
    assert sorted((d["line"], d["message"].rpartition(": ../images/")[2]) for d in warnings) == \
        sorted((where[name], name) for name in BROKEN)
    for d in warnings:
        name = d["message"].rpartition(": ../images/")[2]
        assert d["file"] == str(session) and d["message"].startswith(BROKEN[name][1])


# The peak is VmHWM, this process's own high-water mark: getrusage's ru_maxrss would also count
# what the forked test runner held before exec.
MEASURED_BUILD = """
import re, sys, time
from pathlib import Path
from deckbuild.cli import main
started = time.perf_counter()
status = main(["build", sys.argv[1], "-o", sys.argv[2], "-n", "1", "--only", "decks,handouts"])
peak_kb = re.search(r"VmHWM:\\s*(\\d+) kB", Path("/proc/self/status").read_text()).group(1)
print(status, peak_kb, time.perf_counter() - started)
"""


@pytest.fixture(scope="module")
def built(course, tmp_path_factory) -> Path:
    """The course built in a process of its own, which reports its peak memory and time."""
    root, _ = course
    out = tmp_path_factory.mktemp("pictures-out")
    result = subprocess.run([sys.executable, "-c", MEASURED_BUILD, str(root), str(out)], capture_output=True, text=True,
                            timeout=300)
    status, peak_kb, seconds = result.stdout.split()
    assert status == "0", result.stderr
    assert "Traceback" not in result.stderr
    assert int(peak_kb) < 600_000, f"peak memory {int(peak_kb) // 1024} MB"
    assert float(seconds) < 120
    return out


def test_the_deck_shows_a_placeholder_for_each_broken_picture_and_the_rest(built):
    deck = open_deck(built / "decks" / "week_01" / "day_01" / "session_01.pptx")
    texts = [squash(slide_text(slide)) for slide in deck.slides]
    for name in BROKEN:
        assert any(squash(f"{NOTICE}: ../images/{name}") in text for text in texts), name
    pictures = [shape for slide in deck.slides for shape in slide.shapes if shape.shape_type == 13]
    assert len(pictures) == len(GOOD)
    assert any(squash("그림이 깨져도 나머지는 그대로 나옵니다.") in text for text in texts)


def test_the_handout_shows_a_placeholder_for_each_broken_picture_and_the_rest(built):
    pdf = PdfReader(built / "handouts" / "week_01" / "day_01.pdf")
    text = squash("".join(page.extract_text() for page in pdf.pages).replace("\u2060", ""))
    for name in BROKEN:
        assert squash(f"{NOTICE}: ../images/{name}") in text, name
    assert text.count(squash(NOTICE)) == len(BROKEN)
    assert squash("그림이 깨져도 나머지는 그대로 나옵니다.") in text
    images = sum(len(page.images) for page in pdf.pages)
    assert images >= 1  # the good PNG (the good SVG is drawn as vectors)


def test_fixing_a_broken_picture_rebuilds_its_outputs_and_clears_the_warning(tmp_path):
    day = tmp_path / "course" / "week_01" / "day_01"
    day.mkdir(parents=True)
    picture = day / "figure.png"
    picture.write_bytes(BROKEN["lfs.png"][0])
    (day / "session_01.md").write_text("# Session 1: 그림\n\n## 개요 (5분)\n\n설명.\n\n![그림](figure.png)\n", encoding="utf-8")
    out = tmp_path / "out"
    first = build_course(tmp_path / "course", out, only=("decks",))
    assert [d.line for d in set(first.diagnostics) if "Git LFS pointer" in d.message] == [7]
    picture.write_bytes(GOOD["fine.png"])
    os.utime(picture, ns=(time.time_ns() + 10**9, time.time_ns() + 10**9))
    second = build_course(tmp_path / "course", out, only=("decks",))
    assert second.record.ran == ["deck:week_01/day_01/session_01"]
    assert not [d for d in second.diagnostics if "image" in d.message]
    deck = open_deck(out / "decks" / "week_01" / "day_01" / "session_01.pptx")
    assert any(shape.shape_type == 13 for slide in deck.slides for shape in slide.shapes)
