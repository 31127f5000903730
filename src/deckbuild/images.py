"""Local images: where a reference points, whether the file is a picture we can show, how big
it is, and SVG → PNG.

A picture file that is not what its name says (a Git LFS pointer, an empty or
truncated file, too many pixels, an SVG with a DOCTYPE, malformed XML, or
references out of the course) is refused here, so both writers show a
placeholder and the rest of the deck and handout builds.

PowerPoint shows SVG only alongside a PNG fallback, and older viewers only
the PNG, so every SVG is also rasterised (resvg, which falls back glyph by
glyph to the installed fonts: Hangul, and emoji in colour).
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import math
import os
import re
import warnings
import xml.etree.ElementTree as ElementTree
from functools import lru_cache
from pathlib import Path
from urllib.parse import unquote, urlparse

import defusedxml.ElementTree as SafeElementTree
from defusedxml import DefusedXmlException
from PIL import Image as PillowImage
from PIL import ImageFile

from .remote import fetched_picture

from .files import cached_bytes, user_cache
from .measure import locate

REMOTE = re.compile(r"^[a-z][a-z0-9+.-]*://|^//", re.IGNORECASE)
RASTER_SUFFIXES = {".png", ".jpg", ".jpeg", ".gif", ".bmp", ".webp"}
_LENGTH = re.compile(r"^\s*([0-9.]+)\s*(px|pt|in|cm|mm)?\s*$")
_UNIT_TO_PX = {None: 1.0, "px": 1.0, "pt": 96 / 72, "in": 96.0, "cm": 96 / 2.54, "mm": 96 / 25.4}
DEFAULT_SVG_SIZE = (800.0, 600.0)
# A picture's pixel budget: 50 megapixels (~200 MB decoded) is far beyond what a slide or an A4
# page shows, and keeps a decompression bomb from taking the build's memory.
MAX_PIXELS = 50_000_000
# An SVG far longer than wide (or the reverse) would show as a line on a slide, and its PNG
# fallback would be a pixel wide; such a picture is refused.
MAX_SVG_PROPORTION = 1000
# What python-pptx can put in a deck (and WeasyPrint in a handout), by the format Pillow detects.
PICTURE_FORMATS = {"PNG", "JPEG", "GIF", "BMP"}
LFS_POINTER = b"version https://git-lfs.github.com/spec/"
_CSS_URL = re.compile(r"""url\(\s*['"]?([^'")\s]*)""")
_HREFS = ("href", "{http://www.w3.org/1999/xlink}href")
PNG_VERSION = 3  # bump when the PNG made for an SVG changes without resvg changing


def resolve_image(src: str, markdown_file: Path, course_root: Path) -> tuple[Path | None, str | None]:
    """The picture an image reference shows, or None and the reason it cannot be shown
    (missing, remote, out of the course, or a file that is not a picture we can show)."""
    path, problem = locate_image(src, markdown_file, course_root)
    if path is not None:
        problem = picture_problem(path, course_root)
        if problem:
            return None, f"{problem}: {src}"
    return path, problem


def locate_image(src: str, markdown_file: Path, course_root: Path) -> tuple[Path | None, str | None]:
    """The local file an image reference points to, whatever it holds, or None and the reason.

    Only files inside the course folder are used: `../../..` paths and symlinks
    that lead elsewhere are refused. A remote picture is used only when a build
    fetched it (remote.active_cache).
    """
    if REMOTE.match(src):
        return fetched_picture(src)
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


_SIGNATURES = {b"\x89PNG\r\n\x1a\n": ".png", b"\xff\xd8\xff": ".jpg", b"GIF87a": ".gif", b"GIF89a": ".gif", b"BM": ".bmp"}


def sniff_format(data: bytes) -> str | None:
    """The file suffix data's first bytes call for (".png", ".svg", …), or None when it is no
    picture we show; `picture_problem` then checks the whole file."""
    if data.lstrip()[:1] == b"<":
        return ".svg" if b"<svg" in data[:4096] else None
    return next((suffix for signature, suffix in _SIGNATURES.items() if data.startswith(signature)), None)


def picture_problem(path: Path, course_root: Path) -> str | None:
    """Why the file at path cannot be shown as a picture, or None; remembered per file version."""
    stat = path.stat()
    return _content_problem(path, course_root.resolve(), stat.st_size, stat.st_mtime_ns)


@lru_cache(maxsize=512)
def _content_problem(path: Path, course_root: Path, size: int, modified: int) -> str | None:
    if size == 0:
        return "image file is empty"
    with path.open("rb") as file:
        head = file.read(len(LFS_POINTER))
    if head == LFS_POINTER:
        return "image is a Git LFS pointer, not the picture (run `git lfs pull`)"
    if path.suffix.lower() == ".svg":
        return _svg_problem(path, course_root)
    return _raster_problem(path)


def _raster_problem(path: Path) -> str | None:
    """Refuse what Pillow cannot read, formats a deck cannot hold, too many pixels, and truncated data."""
    limit = f"{MAX_PIXELS // 1_000_000} megapixels"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PillowImage.DecompressionBombWarning)
        try:
            with PillowImage.open(path) as image:
                if image.format not in PICTURE_FORMATS:
                    return f"image format {image.format} cannot go into a deck (convert it to PNG)"
                if image.width * image.height > MAX_PIXELS:
                    return f"image has too many pixels: {image.width} × {image.height} (the limit is {limit})"
                _load_strictly(image)
        except PillowImage.DecompressionBombError:
            return f"image has too many pixels (the limit is {limit})"
        except PillowImage.UnidentifiedImageError:
            return "image file is not a picture (PNG, JPEG, GIF, BMP or SVG)"
        except (OSError, SyntaxError, ValueError) as error:
            return f"image file is truncated or damaged ({error})"
    return None


def _load_strictly(image: PillowImage.Image) -> None:
    """Decode image, raising on truncated data even where WeasyPrint (on import) has told
    Pillow to pad such images, so every process judges a picture alike."""
    padding = ImageFile.LOAD_TRUNCATED_IMAGES
    ImageFile.LOAD_TRUNCATED_IMAGES = False
    try:
        image.load()
    finally:
        ImageFile.LOAD_TRUNCATED_IMAGES = padding


def _svg_problem(path: Path, course_root: Path) -> str | None:
    """Refuse SVG with a DOCTYPE or entities, malformed XML, another root element, and references
    to files outside the course or to the network."""
    try:
        root = SafeElementTree.parse(path, forbid_dtd=True).getroot()
    except DefusedXmlException:
        return "SVG with a DOCTYPE or XML entities is not used"
    except ElementTree.ParseError as error:
        return f"SVG is not well-formed XML ({error})"
    if _local_name(root.tag) != "svg":
        return f"not an SVG: its root element is <{_local_name(root.tag)}>"
    for name in ("width", "height"):
        value = (root.get(name) or "").strip()
        if value.startswith("-") or _svg_length(value) == 0:
            return f"SVG has no size ({name}=\"{value}\")"
    width, height = _root_size(root)
    if max(width / height, height / width) > MAX_SVG_PROPORTION:
        return f"SVG too thin to show: {width:g} × {height:g} (at most {MAX_SVG_PROPORTION}:1 either way)"
    for element in root.iter():
        references = [element.get(name) for name in _HREFS if element.get(name)]
        for text in (element.get("style"), element.text if _local_name(element.tag) == "style" else None):
            references.extend(_CSS_URL.findall(text or ""))
        for reference in references:
            problem = _reference_problem(reference.strip(), path, course_root)
            if problem:
                return problem
    return None


def _local_name(tag: str) -> str:
    """An element's name without its namespace: `{http://www.w3.org/2000/svg}text` → `text`."""
    return tag.rpartition("}")[2]


def _reference_problem(reference: str, svg: Path, course_root: Path) -> str | None:
    """Why an SVG's reference (href or CSS url) may not be followed: the network, or a file outside the course."""
    if not reference or reference.startswith(("#", "data:")):
        return None
    parsed = urlparse(reference)
    if parsed.scheme not in ("", "file") or parsed.netloc:
        return f"SVG refers to the network ({reference})"
    target = (svg.parent / unquote(parsed.path)).resolve()
    if not target.is_relative_to(course_root):
        return f"SVG refers to a file outside the course ({reference})"
    return None


def _svg_length(value: str | None) -> float | None:
    match = _LENGTH.match(value or "")
    return float(match.group(1)) * _UNIT_TO_PX[match.group(2)] if match else None


def svg_size(path: Path) -> tuple[float, float]:
    """An SVG's size in pixels from width/height, else its viewBox."""
    try:
        root = ElementTree.parse(path).getroot()
    except ElementTree.ParseError:
        return DEFAULT_SVG_SIZE
    return _root_size(root)


def _root_size(root: ElementTree.Element) -> tuple[float, float]:
    """The size of an SVG root element: width and height, else its viewBox's, else the default."""
    width, height = _svg_length(root.get("width")), _svg_length(root.get("height"))
    if width and height:
        return width, height
    view_box = (root.get("viewBox") or "").replace(",", " ").split()
    with contextlib.suppress(ValueError):
        if len(view_box) == 4 and float(view_box[2]) > 0 and float(view_box[3]) > 0:
            return float(view_box[2]), float(view_box[3])
    return DEFAULT_SVG_SIZE


def image_size(path: Path) -> tuple[float, float]:
    """Width and height in pixels of a raster or SVG image."""
    if path.suffix.lower() == ".svg":
        return svg_size(path)
    with PillowImage.open(path) as image:
        return float(image.width), float(image.height)


# Emoji sequences become their parts before rendering: resvg falls back glyph by glyph, but loses
# its place when the emoji font joins several characters into one glyph (its issue #861), and
# then draws the rest of the line as empty boxes. Variation selectors, joiners, skin tones and
# keycap marks are dropped (a ZWJ sequence shows its parts, as Unicode prescribes where a
# sequence is unsupported) and flag letters become capital letters.
_EMOJI_PARTS = {**dict.fromkeys([0xFE0E, 0xFE0F, 0x200D, 0x20E3, *range(0x1F3FB, 0x1F400)]),
                **{code: chr(ord("A") + code - 0x1F1E6) for code in range(0x1F1E6, 0x1F200)}}
_CSS_FONT = re.compile(r"((?:^|[;{\s])font(?:-family)?\s*:\s*)([^;}]*[^;}\s])")


def prepared_svg(svg: bytes, family: str) -> str:
    """The SVG as resvg should draw it: family added as the last choice of every font list (a
    font that is not installed would otherwise drop its text), emoji sequences as their parts."""

    def with_family(css: str) -> str:
        return _CSS_FONT.sub(lambda match: f"{match.group(1)}{match.group(2)}, {family}", css)

    root = SafeElementTree.fromstring(svg, forbid_dtd=True)
    for element in root.iter():
        if element.get("font-family"):
            element.set("font-family", f"{element.get('font-family')}, {family}")
        if element.get("style"):
            element.set("style", with_family(element.get("style")))
        if element.text:
            text = element.text.translate(_EMOJI_PARTS)
            element.text = with_family(text) if _local_name(element.tag) == "style" else text
        if element.tail:
            element.tail = element.tail.translate(_EMOJI_PARTS)
    return ElementTree.tostring(root, encoding="unicode")


def svg_to_png(svg: bytes, width_px: int, font_family: str) -> bytes:
    """Rasterise SVG bytes to a PNG `width_px` wide with resvg, nothing fetched.

    Every glyph a font lacks comes from a font that has it (Hangul from the
    CJK font, emoji in colour from Noto Color Emoji); font_family is the font
    for text that names none, and the last choice of every font list.
    Rasterising is a good part of a deck's time, so PNGs are kept in the user's
    cache, named by the SVG, the width, the font file and the tool's versions; a
    deck built again (or another deck showing the same picture) takes it from there,
    and decks built side by side that want it at once rasterise it once.
    """
    import resvg

    font = locate(font_family)
    stamp = os.stat(font.path).st_mtime_ns
    versions = f"{PNG_VERSION}|{resvg.__version__}"
    key = hashlib.sha256(f"{versions}|{width_px}|{font_family}|{font.path}|{font.index}|{stamp}|".encode() + svg)
    cached = user_cache("svg-png") / f"{key.hexdigest()[:32]}.png"
    return cached_bytes(cached, lambda: rasterise(prepared_svg(svg, font_family), width_px, font_family))[0]


def rasterise(svg: str, width_px: int, font_family: str) -> bytes:
    """resvg's PNG of svg (prepared_svg's text) width_px wide and as tall as its proportions ask,
    rounded up to whole pixels and stretched that fraction of a pixel so that the last row is
    filled. Nothing is cached: svg_to_png is what the writers call."""
    from resvg import render, usvg

    try:
        tree = usvg.Tree.from_str(svg, _resvg_options(font_family))
        width, height = tree.int_size()
        width_px = max(1, width_px)
        height_px = max(1, math.ceil(width_px * height / width))
        # The binding takes an affine transform in row order (a, b, c, d, e, f): x' = a·x + b·y + c, y' = d·x + e·y + f.
        return bytes(render(tree, (width_px / width, 0, 0, 0, height_px / height, 0), bg_size=(width_px, height_px)))
    except BaseException as error:  # the binding reports an SVG it cannot draw as a Rust panic, not an Exception
        if type(error).__name__ != "PanicException":
            raise
        raise ValueError(f"resvg cannot draw this SVG: {error}") from None


@lru_cache(maxsize=4)
def _resvg_options(font_family: str):
    """resvg's options with the installed fonts listed once per process (not once per picture), and
    font_family's regular and bold files read into memory once. resvg reads a listed font file
    whole each time it lays out text in it: for a CJK collection (about 19 MB a file) that was a
    third of a picture's time. The faces are the same, so the pictures are too."""
    from resvg import usvg

    options = usvg.Options.default()
    for path in sorted({locate(font_family).path, locate(font_family, True).path}):
        options.load_font_data(Path(path).read_bytes())
    options.load_system_fonts()
    options.font_family = font_family
    return options


def side_by_side(pictures: tuple[tuple[Path, str], ...], width_px: int, height_px: int, font_family: str) -> bytes:
    """A PNG width_px × height_px of pictures in equal columns, each (path, fit) cut to cover its
    column ("cover") or shown whole and centred in it ("contain"), the rest transparent."""
    sheet = PillowImage.new("RGBA", (width_px, height_px), (0, 0, 0, 0))
    column = width_px // len(pictures)
    for index, (path, fit) in enumerate(pictures):
        if path.suffix.lower() == ".svg":
            source = io.BytesIO(svg_to_png(path.read_bytes(), min(2 * column, 2400), font_family))
        else:
            source = path
        with PillowImage.open(source) as opened:
            image = opened.convert("RGBA")
        scale = (max if fit == "cover" else min)(column / image.width, height_px / image.height)
        image = image.resize((max(1, round(image.width * scale)), max(1, round(image.height * scale))), PillowImage.LANCZOS)
        left, top = (image.width - column) // 2, (image.height - height_px) // 2
        if fit == "cover":
            sheet.paste(image.crop((left, top, left + column, top + height_px)), (index * column, 0))
        else:
            sheet.paste(image, (index * column - left, -top), image)
    buffer = io.BytesIO()
    sheet.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()
