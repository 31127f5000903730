"""Local images: where a reference points, how big the picture is, and SVG → PNG.

PowerPoint shows SVG only alongside a PNG fallback, and older viewers only
the PNG, so every SVG is also rasterised (CairoSVG; text is drawn with the
fonts fontconfig offers, which include a Hangul font once set up).
"""

from __future__ import annotations

import hashlib
import os
import re
import xml.etree.ElementTree as ElementTree
from pathlib import Path

from PIL import Image as PillowImage

from .files import user_cache, write_atomically
from .measure import locate

REMOTE = re.compile(r"^[a-z][a-z0-9+.-]*://|^//", re.IGNORECASE)
RASTER_SUFFIXES = {".png", ".jpg", ".jpeg", ".gif", ".bmp", ".webp"}
_LENGTH = re.compile(r"^\s*([0-9.]+)\s*(px|pt|in|cm|mm)?\s*$")
_UNIT_TO_PX = {None: 1.0, "px": 1.0, "pt": 96 / 72, "in": 96.0, "cm": 96 / 2.54, "mm": 96 / 25.4}
DEFAULT_SVG_SIZE = (800.0, 600.0)
PNG_VERSION = 1  # bump when the PNG made for an SVG changes without cairosvg changing


def resolve_image(src: str, markdown_file: Path, course_root: Path) -> tuple[Path | None, str | None]:
    """The local file an image reference points to, or None and the reason it cannot be used.

    Only files inside the course folder are used: `../../..` paths and symlinks
    that lead elsewhere are refused.
    """
    if REMOTE.match(src):
        return None, f"remote image not fetched during a build: {src}"
    if not src:
        return None, "image without a source"
    path = (markdown_file.parent / src.split("#")[0].split("?")[0]).resolve()
    if not path.is_relative_to(course_root.resolve()):
        return None, f"image outside the course folder not used: {src}"
    if not path.is_file():
        return None, f"image not found: {src}"
    if path.suffix.lower() not in RASTER_SUFFIXES | {".svg"}:
        return None, f"unsupported image format: {src}"
    return path, None


def _svg_length(value: str | None) -> float | None:
    match = _LENGTH.match(value or "")
    return float(match.group(1)) * _UNIT_TO_PX[match.group(2)] if match else None


def svg_size(path: Path) -> tuple[float, float]:
    """An SVG's size in pixels from width/height, else its viewBox."""
    try:
        root = ElementTree.parse(path).getroot()
    except ElementTree.ParseError:
        return DEFAULT_SVG_SIZE
    width, height = _svg_length(root.get("width")), _svg_length(root.get("height"))
    if width and height:
        return width, height
    view_box = (root.get("viewBox") or "").replace(",", " ").split()
    if len(view_box) == 4:
        return float(view_box[2]), float(view_box[3])
    return DEFAULT_SVG_SIZE


def image_size(path: Path) -> tuple[float, float]:
    """Width and height in pixels of a raster or SVG image."""
    if path.suffix.lower() == ".svg":
        return svg_size(path)
    with PillowImage.open(path) as image:
        return float(image.width), float(image.height)


_FONT_ATTRIBUTE = re.compile(rb"""font-family\s*=\s*("[^"]*"|'[^']*')""")
_FONT_PROPERTY = re.compile(rb"font-family\s*:\s*[^;\"'}>]+")
_SVG_OPEN = re.compile(rb"<svg\b[^>]*>")


def with_font(svg: bytes, family: str) -> bytes:
    """The SVG with every font-family set to family.

    Cairo draws text with one font and no per-glyph fallback, so an SVG asking
    for Arial would show Hangul as empty boxes; a CJK font covers both scripts.
    """
    name = family.encode()
    svg = _FONT_ATTRIBUTE.sub(b'font-family="' + name + b'"', svg)
    svg = _FONT_PROPERTY.sub(b"font-family: " + name, svg)
    root = _SVG_OPEN.search(svg)
    if root is None or b"font-family" in root.group(0):
        return svg
    return svg[: root.start() + 4] + b' font-family="' + name + b'"' + svg[root.start() + 4 :]


def svg_to_png(svg: bytes, width_px: int, font_family: str) -> bytes:
    """Rasterise SVG bytes to a PNG `width_px` wide, text in font_family, nothing fetched.

    Rasterising is a fifth of a deck's time, so PNGs are kept in the user's cache,
    named by the SVG, the width, the font file and the tool's versions; a deck
    built again (or another deck showing the same picture) takes it from there.
    """
    import cairosvg  # cairo loads slowly; `check` and no-op builds never need it

    font = locate(font_family)
    stamp = os.stat(font.path).st_mtime_ns
    key = hashlib.sha256(f"{PNG_VERSION}|{cairosvg.__version__}|{width_px}|{font_family}|{font.path}|{font.index}|{stamp}|".encode() + svg)
    cached = user_cache("svg-png") / f"{key.hexdigest()[:32]}.png"
    try:
        return cached.read_bytes()
    except OSError:
        pass
    from cairosvg.surface import PNGSurface

    png = PNGSurface.convert(
        bytestring=with_font(svg, font_family), output_width=width_px, unsafe=False, url_fetcher=_refuse_fetch
    )
    try:
        write_atomically(cached, png)
    except OSError:
        pass  # no writable cache: rasterise every time
    return png


def _refuse_fetch(url, *args, **kwargs):
    raise ValueError(f"external resource not loaded: {url}")
