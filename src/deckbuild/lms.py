"""The course as markdown for a learning-management system, its Mermaid diagrams as pictures.

LMSs render markdown but not Mermaid. Each markdown file is written to the same
relative path with every Mermaid block deckbuild can draw replaced by an image
link to a picture of it: SVG from the Scene the handouts use, or PNG rasterised
from that SVG by resvg (glyph-by-glyph font fallback). Pictures are named by a
hash of the block's source, so an unchanged diagram keeps its name. Everything
else is kept line for line; a block that cannot be drawn stays code.
"""

from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, unquote

from .course import read_settings
from .diagrams.cache import SceneCache
from .diagrams.model import MermaidError
from .diagrams.scene import Scene
from .diagnostics import write_report
from .document import diagram_kind, fence_language, markdown_tokens
from .files import write_atomically
from .images import REMOTE
from .measure import Measurer
from .scan import diagram_warning
from .theme import load_theme

DIAGRAM_DIR = "diagrams"  # the export's folder of diagram pictures
IMAGE_FORMATS = ("svg", "png")
PNG_PIXELS_PER_POINT = 2  # 144 dpi: sharp on high-density screens
PNG_MAX_WIDTH = 2400  # pixels; as wide as the widest PNG fallback in a deck
_OPENING_FENCE = re.compile(r"^(.*?)(`{3,}|~{3,})")
_LIST_MARKER = re.compile(r"(^|\s|>)([-+*]|\d{1,9}[.)])\s")
_INTERRUPTS_PARAGRAPH = re.compile(r"^(#{1,6}(\s|$)|[-+*]\s|1[.)]\s|`{3,}|~{3,})")  # (quote marks removed)
_DESTINATION = re.compile(r"(\]\(\s*)(<[^>\n]*>|[^\s()<>]+)")
_REFERENCE = re.compile(r"^((?:\s*>)*\s{0,3}\[[^\]]+\]:\s*)(<[^>\n]*>|\S+)")  # [label]: destination
_IMG_SRC = re.compile(r"""(<img\b[^>]*?\bsrc\s*=\s*)(["'])(.*?)\2""", re.IGNORECASE)
_ALT_SYNTAX = re.compile(r"([\\\[\]*_`<&])")  # what markdown would read as syntax inside alt text


def diagram_file(source: str, image_format: str) -> Path:
    """Where a Mermaid block's picture goes in the export, named by a hash of its source."""
    return Path(DIAGRAM_DIR) / f"{hashlib.sha256(source.encode()).hexdigest()[:16]}.{image_format}"


@dataclass(frozen=True)
class MermaidFence:
    """A Mermaid code block in a markdown text: its lines (`start` to before `end`, from 0) and source."""

    start: int
    end: int
    source: str


def mermaid_fences(text: str) -> list[MermaidFence]:
    """Every Mermaid block of a markdown text, nested in lists and quotes too, in order."""
    return [MermaidFence(token.map[0], token.map[1], token.content.rstrip("\n"))
            for token in markdown_tokens(text)
            if token.type == "fence" and fence_language(token.info) == "mermaid" and token.map]


def markdown_image(alt: str, url: str) -> str:
    """An image link whose alt text markdown shows as written (its syntax characters escaped)."""
    escaped = _ALT_SYNTAX.sub(r"\\\1", " ".join(alt.split()))
    return f"![{escaped}]({url})"


def link_to(target: Path, exported: Path, base_url: str) -> str:
    """The URL an exported file (relative path in the export) uses for target (relative path in
    the export): relative to the file, or below base_url when one is given."""
    if base_url:
        return url_below(base_url, target)
    return quote(Path(os.path.relpath(target, exported.parent)).as_posix())


def url_below(base_url: str, target: Path) -> str:
    """The URL of target (relative path in the export) where the export is served from base_url."""
    return f"{base_url.rstrip('/')}/{quote(target.as_posix())}"


class DiagramPictures:
    """The scenes of a course's diagrams (from the build's scene cache) and their pictures."""

    def __init__(self, course_root: Path, scene_dir: Path, scene_salt: str) -> None:
        settings = read_settings(course_root)
        self.theme = load_theme(settings.theme, course_root)
        self.language = settings.language
        self.measure = Measurer(self.theme.fonts.metrics_body, self.theme.fonts.metrics_mono)
        self.scenes = SceneCache(scene_dir, scene_salt)

    def scene(self, source: str) -> Scene:
        """The scene a block is drawn as, as the handout arranges it; MermaidError when it cannot be drawn."""
        from .html_writer import page_arrangement

        return page_arrangement(self.scenes.scene(source, diagram_kind(source), self.measure, self.theme.diagram))

    def alt(self, scene: Scene) -> str:
        """The picture's alt text: the diagram's type and description, as in decks and handouts."""
        from .html_writer import diagram_alt

        return diagram_alt(scene, self.language)

    def picture(self, scene: Scene, image_format: str) -> bytes:
        """The scene as an SVG document, or as a PNG rasterised from it at 144 dpi; on the theme's
        background colour, so it reads on an LMS page in a dark mode too."""
        from .diagrams.to_svg import scene_to_svg

        font, background = self.theme.fonts.east_asian, self.theme.colors.background
        alt = self.alt(scene)
        if image_format == "svg":
            return scene_to_svg(scene, font, alt, background=background).encode()
        from .images import svg_to_png

        width = min(PNG_MAX_WIDTH, round(scene.width * PNG_PIXELS_PER_POINT))
        return svg_to_png(scene_to_svg(scene, font, alt, unit="", background=background).encode(), width, font)


def export_markdown(course_root: str, source: str, out_dir: str, scene_dir: str, scene_salt: str,
                    image_format: str, base_url: str, report: str) -> None:
    """doit action: one markdown file of the course into the export, its drawable Mermaid blocks
    as image links (the pictures are their own tasks) and, with base_url, its local pictures
    pointing below base_url. A warning for each block left as code goes to the report file."""
    root, path = Path(course_root), Path(source)
    exported = path.relative_to(root)
    pictures = DiagramPictures(root, Path(scene_dir), scene_salt)
    text = path.read_bytes().decode("utf-8").lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    lines = text.split("\n")
    if base_url:
        lines = rebased_pictures(text, path, root, base_url)
    problems = []
    for fence in reversed(mermaid_fences(text)):
        try:
            scene = pictures.scene(fence.source)
        except MermaidError as error:
            problems.append(diagram_warning(path, fence.start + 1, diagram_kind(fence.source), error))
            continue
        url = link_to(diagram_file(fence.source, image_format), exported, base_url)
        lines[fence.start:fence.end] = picture_lines(lines, fence, markdown_image(pictures.alt(scene), url))
    write_atomically(Path(out_dir) / exported, "\n".join(lines))
    write_report(Path(report), problems[::-1])


def picture_lines(lines: list[str], fence: MermaidFence, image: str) -> list[str]:
    """The lines that replace a fence: the image link in the fence's place (after its list marker
    or quote marks), set apart by a blank line from a neighbour it would otherwise join: a
    paragraph or table line before it, or text after it that would continue its paragraph (or,
    as `---`, turn it into a heading)."""
    prefix = _OPENING_FENCE.match(lines[fence.start]).group(1)
    blank = "".join(char for char in prefix if char == ">")
    before = lines[fence.start - 1].replace(">", "").strip() if fence.start > 0 else ""
    after = lines[fence.end].replace(">", "").strip() if fence.end < len(lines) else ""
    joins_before = before and not _LIST_MARKER.search(prefix)
    joins_after = after and not _INTERRUPTS_PARAGRAPH.match(after)
    return [*([blank] if joins_before else []), prefix + image, *([blank] if joins_after else [])]


def rebased_pictures(text: str, path: Path, course_root: Path, base_url: str) -> list[str]:
    """The lines of text with every local picture (markdown images, inline or by reference, and
    `<img src>`) pointing at its copy below base_url; code and pictures outside the course are
    left alone."""
    from markdown_it.common.normalize_url import normalizeLink

    lines = text.split("\n")
    tokens = markdown_tokens(text)
    pictures = {child.attrs["src"] for token in tokens for child in token.children or () if child.type == "image"}
    code = {number for token in tokens if token.type in ("fence", "code_block") and token.map for number in range(*token.map)}

    def rebased(destination: str) -> str | None:
        if REMOTE.match(destination) or destination.startswith(("/", "#", "data:")):
            return None
        file = (path.parent / unquote(destination.split("#")[0].split("?")[0])).resolve()
        if not file.is_file() or not file.is_relative_to(course_root.resolve()):
            return None
        return url_below(base_url, file.relative_to(course_root.resolve()))

    def rebased_destination(match: re.Match) -> str:
        destination = match.group(2).strip("<>")
        new = rebased(destination) if normalizeLink(destination) in pictures else None
        return match.group(0) if new is None else match.group(1) + new

    def rebased_tag(match: re.Match) -> str:
        return f"{match.group(1)}{match.group(2)}{rebased(match.group(3)) or match.group(3)}{match.group(2)}"

    for number, line in enumerate(lines):
        if number not in code:
            line = _DESTINATION.sub(rebased_destination, line)
            line = _REFERENCE.sub(rebased_destination, line)
            lines[number] = _IMG_SRC.sub(rebased_tag, line)
    return lines


def export_diagram(course_root: str, source: str, target: str, scene_dir: str, scene_salt: str, image_format: str) -> None:
    """doit action: the picture of one Mermaid block (nothing when it cannot be drawn: its
    markdown then keeps the block as code)."""
    pictures = DiagramPictures(Path(course_root), Path(scene_dir), scene_salt)
    try:
        write_atomically(Path(target), pictures.picture(pictures.scene(source), image_format))
    except MermaidError:
        pass


def copy_file(source: str, target: str) -> None:
    """doit action: a picture or linked file of the course copied into the export as it is."""
    write_atomically(Path(target), Path(source).read_bytes())
