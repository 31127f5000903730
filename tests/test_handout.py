"""Handouts read back as a student would hold them: A4, fonts embedded, every session and
heading and diagram label present, bookmarks and contents pointing at the right pages,
nothing outside the margins."""

from __future__ import annotations

import re
import shutil
import subprocess
from collections import Counter

import pdfplumber
import pytest
from conftest import one_day_build
from deck_reading import squash
from pypdf import PdfReader

from deckbuild.diagrams.build import NATIVE_KINDS, build_scene
from deckbuild.diagrams.model import MermaidError
from deckbuild.document import Diagram, iter_blocks, read_document
from deckbuild.measure import Measurer
from deckbuild.theme import load_theme

MM = 72 / 25.4
SIDE_MARGIN = 18 * MM


@pytest.fixture(scope="module", params=["sample", "corpus"])
def handout(request):
    """(course root, course, path of its one day's handout)."""
    root, course, out, relative = one_day_build(request)
    return root, course, out / "handouts" / relative


def page_texts(path) -> list[str]:
    with pdfplumber.open(path) as document:
        return [page.extract_text() or "" for page in document.pages]


def test_every_page_is_a4_and_every_font_embedded(handout):
    _, _, path = handout
    reader = PdfReader(path)
    for page in reader.pages:
        assert abs(float(page.mediabox.width) - 595.28) < 1 and abs(float(page.mediabox.height) - 841.89) < 1
    if shutil.which("pdffonts"):
        listing = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout.splitlines()[2:]
        assert listing and all(line.split()[-5] == "yes" for line in listing)


def test_sessions_headings_and_diagram_labels_are_in_the_text(handout):
    root, course, path = handout
    everything = squash("".join(page_texts(path)))
    theme = load_theme("default", root)
    measure = Measurer(theme.fonts.metrics_body, theme.fonts.metrics_mono)
    with pdfplumber.open(path) as document:
        glyphs = Counter(c["text"] for page in document.pages for c in page.chars if not c["text"].isspace())
    for session in course.sessions:
        document = read_document(session.path)
        assert squash(document.title) in everything
        for heading in document.headings(2):
            assert squash(heading.title) in everything, heading.title
        for block in iter_blocks(document.blocks):
            if isinstance(block, Diagram) and block.kind in NATIVE_KINDS:
                try:
                    scene = build_scene(block.source, block.kind, measure, theme.diagram)
                except MermaidError:
                    continue
                wanted = Counter(c for text in scene.texts() for c in text if not c.isspace())
                assert not wanted - glyphs, (session.relative, block.line)


def test_outline_has_every_session_on_its_page(handout):
    _, course, path = handout
    reader = PdfReader(path)
    texts = page_texts(path)

    def flatten(items):
        for item in items:
            if isinstance(item, list):
                yield from flatten(item)
            else:
                yield item

    entries = {squash(item.title): reader.get_destination_page_number(item) for item in flatten(reader.outline)}
    for session in course.sessions:
        title = squash(read_document(session.path).title)
        assert title in entries, title
        assert title in squash(texts[entries[title]])


def test_contents_page_numbers_point_at_the_headings(handout):
    _, course, path = handout
    texts = page_texts(path)
    contents = "\n".join(texts[1:4])
    for session in course.sessions:
        title = read_document(session.path).title
        match = re.search(re.escape(title) + r"[ .]*?(\d+)\s*$", contents, re.MULTILINE)
        assert match, title
        page = int(match.group(1))
        assert squash(title) in squash(texts[page - 1]), (title, page)


def test_running_header_page_numbers_and_metadata(handout):
    root, course, path = handout
    texts = page_texts(path)
    total = len(texts)
    assert f"2 / {total}" in texts[1] and f"{total} / {total}" in texts[-1]
    assert squash(course.title) in squash(texts[4])
    reader = PdfReader(path)
    assert course.title in reader.metadata.title
    assert reader.trailer["/Root"].get("/Lang") in ("ko", "ko-KR")


def test_no_character_outside_the_margins(handout):
    _, _, path = handout
    with pdfplumber.open(path) as document:
        for number, page in enumerate(document.pages, start=1):
            for char in page.chars:
                assert char["x0"] >= SIDE_MARGIN - 1 and char["x1"] <= float(page.width) - SIDE_MARGIN + 1, (number, char["text"])
                assert 0 <= char["top"] and char["bottom"] <= float(page.height), (number, char["text"])


def test_handouts_per_session_on_request_and_a_remote_image_placeholder(tmp_path):
    from deckbuild.runner import build_course

    course = tmp_path / "course"
    day = course / "week_02" / "day_01"
    day.mkdir(parents=True)
    (course / "course.toml").write_text('title = "과정"\n[handouts]\nper_session = true\n', encoding="utf-8")
    for number in (1, 2):
        (day / f"session_{number}.md").write_text(
            f"# Session {number}: 주제 {number}\n\n## 1. 개요 (10분)\n\n본문 {number}.\n\n"
            "![원격 그림](https://example.com/picture.png)\n\n![바깥 그림](../../../../etc/hostname.png)\n",
            encoding="utf-8",
        )
    result = build_course(course, tmp_path / "out", only=("handouts",))
    assert sorted(name for name in result.record.ran if name.startswith("handout:")) == [
        "handout:week_02/day_01", "handout:week_02/day_01/session_1", "handout:week_02/day_01/session_2"]
    session_pdf = tmp_path / "out" / "handouts" / "week_02" / "day_01" / "session_1.pdf"
    text = "".join(page_texts(session_pdf))
    assert "주제 1" in text and "주제 2" not in text
    assert "https://example.com/picture.png" in text  # a visible placeholder with the address
    assert any("remote image" in d.message for d in result.diagnostics)


def test_the_pdf_fetcher_refuses_files_outside_the_course_and_the_network(tmp_path):
    from deckbuild.pdf import write_pdf

    course = tmp_path / "course"
    course.mkdir()
    html = ('<html><body><p>본문</p><img src="file:///etc/hostname"><img src="https://example.com/x.png">'
            '<link rel="stylesheet" href="file:///usr/share/doc/x.css"></body></html>')
    refused = write_pdf(html, course, course, tmp_path / "out.pdf")
    assert set(refused) == {"file:///etc/hostname", "https://example.com/x.png", "file:///usr/share/doc/x.css"}
