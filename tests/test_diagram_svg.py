"""The SVG writer draws the same Scene for handouts: WeasyPrint renders it with every label."""

from __future__ import annotations

import io
from collections import Counter

import pdfplumber
from conftest import SAMPLE_COURSE
from diagram_testing import MEASURE, STYLE, THEME, missing, svg_text

from deckbuild.course import discover
from deckbuild.diagrams.build import NATIVE_KINDS, build_scene
from deckbuild.diagrams.to_svg import scene_to_svg
from deckbuild.document import Diagram, iter_blocks, read_document


def sample_scenes():
    for session in discover(SAMPLE_COURSE).sessions:
        for block in iter_blocks(read_document(session.path).blocks):
            if isinstance(block, Diagram) and block.kind in NATIVE_KINDS:
                yield build_scene(block.source, block.kind, MEASURE, STYLE)


def test_svg_has_plain_text_for_every_label_and_no_foreign_object():
    for scene in sample_scenes():
        svg = scene_to_svg(scene, THEME.fonts.east_asian, scene.description)
        assert not missing(scene.texts(), svg_text(svg))


def test_weasyprint_renders_every_label():
    from weasyprint import HTML

    scenes = list(sample_scenes())
    figures = "".join(f"<figure>{scene_to_svg(scene, THEME.fonts.east_asian)}</figure>" for scene in scenes)
    html = f"<html lang='ko'><body style='font-family: Noto Sans CJK KR'>{figures}</body></html>"
    pdf = HTML(string=html).write_pdf()
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        drawn = Counter(char["text"] for page in document.pages for char in page.chars if not char["text"].isspace())
    wanted = Counter(char for scene in scenes for text in scene.texts() for char in text if not char.isspace())
    missing = wanted - drawn  # every glyph of every label is drawn (extracted lines interleave, glyphs do not)
    assert not missing, missing
