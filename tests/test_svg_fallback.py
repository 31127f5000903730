"""The PNG fallback of an SVG picture shows Hangul, Latin and colour emoji, with no empty boxes:
it matches WeasyPrint's drawing of the same SVG (rasterised by pdftoppm) and every character
draws a real glyph."""

from __future__ import annotations

import base64
import io
import shutil
import subprocess

import pytest
from conftest import SAMPLE_COURSE
from deck_reading import open_deck
from PIL import Image, ImageChops, ImageStat

from deckbuild.images import prepared_svg, rasterise, svg_to_png
from deckbuild.runner import build_course
from deckbuild.theme import load_theme

FAMILY = load_theme("default", SAMPLE_COURSE).fonts.east_asian
WIDTH, HEIGHT, SCALE = 480, 200, 2
# Text in greys, so that every coloured pixel belongs to an emoji.
LINES = [("Arial", 32, "#000000", "🏛️ 아키텍처 Layer"),
         ("Helvetica, sans-serif", 28, "#333333", "👆 클릭 ✅ Done"),
         ("Malgun Gothic", 24, "#555555", "경고 배포 🚀 OK 👨‍💻")]
SVG = (f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" viewBox="0 0 {WIDTH} {HEIGHT}">'
       f'<rect width="{WIDTH}" height="{HEIGHT}" fill="#ffffff"/>'
       + "".join(f'<text x="20" y="{60 + 57 * n}" font-family="{family}" font-size="{size}" fill="{fill}">{text}</text>'
                 for n, (family, size, fill, text) in enumerate(LINES))
       + "</svg>").encode()
NO_GLYPH = "\U0010fffd"  # no font has it: what a missing glyph looks like


def png(data: bytes) -> Image.Image:
    return Image.open(io.BytesIO(data)).convert("RGB")


def single(character: str) -> Image.Image:
    svg = (f'<svg xmlns="http://www.w3.org/2000/svg" width="60" height="60"><rect width="60" height="60" fill="#fff"/>'
           f'<text x="6" y="44" font-family="Arial" font-size="40">{character}</text></svg>')
    return png(svg_to_png(svg.encode(), 120, FAMILY))


def colourful(image: Image.Image) -> int:
    """Pixels that are not grey: emoji drawn in colour have many, grey text and empty boxes none."""
    return sum(1 for pixel in image.get_flattened_data() if max(pixel) - min(pixel) > 30)


def difference(a: Image.Image, b: Image.Image) -> tuple[float, float]:
    """Mean difference and the share of clearly different cells, compared at a quarter size
    (so antialiasing and sub-pixel placement do not count)."""
    size = (a.width // 4, a.height // 4)
    cells = ImageChops.difference(a.resize(size, Image.BOX), b.resize(size, Image.BOX)).convert("L")
    values = cells.get_flattened_data()
    return ImageStat.Stat(cells).mean[0] / 255, sum(1 for value in values if value > 64) / len(values)


@pytest.fixture(scope="module")
def reference(tmp_path_factory) -> Image.Image:
    """WeasyPrint (Pango, with per-glyph font fallback and colour emoji) drawing the same SVG
    text as deckbuild hands to its renderer, rasterised by poppler's pdftoppm."""
    if shutil.which("pdftoppm") is None:
        pytest.skip("pdftoppm (poppler-utils) is not installed")
    from weasyprint import HTML

    folder = tmp_path_factory.mktemp("reference")
    url = "data:image/svg+xml;base64," + base64.b64encode(prepared_svg(SVG, FAMILY).encode()).decode()
    HTML(string=f'<style>@page {{ size: {WIDTH}px {HEIGHT}px; margin: 0 }} body {{ margin: 0 }}'
                f' img {{ display: block; width: {WIDTH}px; height: {HEIGHT}px }}</style><img src="{url}">'
         ).write_pdf(folder / "reference.pdf")
    subprocess.run(["pdftoppm", "-png", "-r", str(96 * SCALE), "-singlefile", str(folder / "reference.pdf"),
                    str(folder / "reference")], check=True, timeout=60)
    return Image.open(folder / "reference.png").convert("RGB")


def test_the_fallback_matches_a_reference_rendering(reference):
    rendered = png(svg_to_png(SVG, WIDTH * SCALE, FAMILY))
    assert rendered.size == reference.size
    mean, cells = difference(rendered, reference)
    assert mean < 0.015 and cells < 0.01, (mean, cells)
    assert colourful(rendered) > 0.8 * colourful(reference) > 0


def test_a_line_of_empty_boxes_does_not_pass_for_the_reference(reference):
    boxes = SVG
    for _, _, _, text in LINES:
        boxes = boxes.replace(text.encode(), "".join(NO_GLYPH if not c.isspace() else c for c in text).encode())
    mean, cells = difference(png(svg_to_png(boxes, WIDTH * SCALE, FAMILY)), reference)
    assert cells > 0.03


def test_every_character_draws_a_real_glyph():
    missing = single(NO_GLYPH)
    for character in {c for _, _, _, text in LINES for c in text if not c.isspace() and c not in "\ufe0f\u200d"}:
        drawn = single(character)
        assert difference(drawn, missing)[1] > 0.02, f"{character!r} (U+{ord(character):04X}) shows as an empty box"
        if ord(character) > 0x2000 and not 0xAC00 <= ord(character) <= 0xD7A3:
            assert colourful(drawn) > 50, f"{character!r} is not in colour"


def test_the_deck_carries_a_colour_fallback(tmp_path):
    day = tmp_path / "course" / "week_01" / "day_01"
    day.mkdir(parents=True)
    (day / "figure.svg").write_bytes(SVG)
    (day / "session_01.md").write_text("# Session 1: 그림\n\n## 개요 (5분)\n\n![그림](figure.svg)\n", encoding="utf-8")
    assert build_course(tmp_path / "course", tmp_path / "out", only=("decks",)).status == 0
    deck = open_deck(tmp_path / "out" / "decks" / "week_01" / "day_01" / "session_01.pptx")
    pictures = [shape for slide in deck.slides for shape in slide.shapes if shape.shape_type == 13]
    assert len(pictures) == 1 and pictures[0].image.content_type == "image/png"
    assert colourful(png(pictures[0].image.blob)) > 500


def test_the_png_is_as_wide_as_asked_and_covered_to_its_last_row_and_column():
    """700 × 500 at 1,658 px is 1,184.3 px tall: the PNG is 1,185 rows, and a rectangle filling the
    SVG fills every one of them (no transparent strip at an edge)."""
    svg = '<svg xmlns="http://www.w3.org/2000/svg" width="700" height="500"><rect width="700" height="500" fill="#c00"/></svg>'
    image = Image.open(io.BytesIO(rasterise(svg, 1658, FAMILY))).convert("RGBA")
    assert image.size == (1658, 1185)
    assert image.getextrema() == ((204, 204), (0, 0), (0, 0), (255, 255))


def test_a_picture_shown_less_than_a_pixel_wide_still_gets_a_png():
    svg = b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="900"><rect width="10" height="900"/></svg>'
    assert png(svg_to_png(svg, 0, FAMILY)).size == (1, 90)


def test_an_svg_resvg_cannot_read_is_a_value_error_not_a_panic():
    with pytest.raises(ValueError, match="resvg cannot draw this SVG"):
        rasterise("<html/>", 100, FAMILY)
