"""A Marp deck (markdown whose front matter says `marp: true`) → its slides, as Marp reads them.

Slides are cut at top-level rules (`---`) and, with `headingDivider`, before
headings of the given levels. Directives come from the front matter and from
HTML comments: global ones (`size`, `style`, `headingDivider`, …) for the
deck, local ones (`paginate`, `header`, `footer`, `class`, `backgroundColor`,
`color`) from their slide on, or for their slide only with a leading `_`.
Every other HTML comment is a speaker note. `![bg …]` pictures are the slide's
backdrop (whole, or one side with `left`/`right`; several side by side), `![w:… h:…]` pictures ask
for a size, and `<div class="X">…</div>` is a callout styled by the deck's CSS
(marp_css.py). What deckbuild does not honour is listed once, as a note.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field, replace
from html.parser import HTMLParser
from pathlib import Path

from .diagnostics import Diagnostic, Severity
from .document import Block, Callout, Document, Heading, Image, block_text, clean_text, iter_blocks, parse_markdown, read_nodes
from .marp_css import PIXEL, UNIT_POINTS, CalloutStyle, css_colour, read_stylesheet
from .marp_directives import GLOBAL_DIRECTIVES, LOCAL_DIRECTIVES, comment_directives, directives, front_matter

HONOURED = {"marp", "style", "headingDivider", "size", "title", "paginate", "header", "footer", "class",
            "backgroundColor", "color"}
SIZES = {"16:9": (16, 9), "4:3": (4, 3)}
BACKDROP_FITS = {"cover": "cover", "contain": "contain", "fit": "contain"}
IMAGE_FILTERS = ("blur", "brightness", "contrast", "drop-shadow", "grayscale", "hue-rotate", "invert", "opacity",
                 "saturate", "sepia")


@dataclass(frozen=True)
class Backdrop:
    """A `![bg …]` picture: behind the whole slide (side ""), or filling its left or right share."""

    image: Image
    side: str = ""
    share: float = 0.5
    fit: str = "cover"  # or "contain": the whole picture shown


@dataclass(frozen=True)
class SlideSettings:
    """The directives in force on one slide."""

    paginate: bool = False
    header: str = ""
    footer: str = ""
    lead: bool = False
    background: str | None = None  # RGB hex
    color: str | None = None


@dataclass(frozen=True)
class MarpSlide:
    line: int
    blocks: tuple[Block, ...]
    notes: tuple[str, ...]
    settings: SlideSettings
    backdrops: tuple[Backdrop, ...] = ()


@dataclass(frozen=True)
class MarpDeck:
    """A Marp file read: its title, slide size (width, height ratio), callout styles and slides."""

    path: Path
    title: str
    size: tuple[int, int]
    styles: dict[str, CalloutStyle]
    slides: tuple[MarpSlide, ...]
    diagnostics: tuple[Diagnostic, ...] = ()

    def document(self) -> Document:
        """Every block of the deck (backdrops included) as one Document: what scanning for pictures, diagrams and links reads."""
        blocks: list[Block] = []
        for slide in self.slides:
            blocks.extend(slide.blocks)
            blocks.extend(backdrop.image for backdrop in slide.backdrops)
        return Document(self.path, tuple(blocks), self.diagnostics)


# --- HTML blocks -------------------------------------------------------------------


class _HtmlEvents(HTMLParser):
    """The comments, `<div class>` openings, `</div>` closings, `<style>` sheets (`scoped` ones
    marked) and other content of an HTML block."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.events: list[tuple[str, str]] = []
        self.style: str | None = None  # inside <style>: "css" or "scoped css"

    def handle_comment(self, data):
        self.events.append(("comment", data))

    def handle_starttag(self, tag, attrs):
        classes = dict(attrs).get("class") or ""
        if tag == "style":
            self.style = "scoped css" if "scoped" in dict(attrs) else "css"
        else:
            self.events.append(("open", classes) if tag == "div" and classes.split() else ("other", tag))

    def handle_endtag(self, tag):
        if tag == "style":
            self.style = None
        else:
            self.events.append(("close", "") if tag == "div" else ("other", tag))

    def handle_data(self, data):
        if self.style:
            self.events.append((self.style, data))
        elif data.strip():
            self.events.append(("other", data))


def _html_events(html: str) -> list[tuple[str, str]]:
    parser = _HtmlEvents()
    parser.feed(html)
    parser.close()
    return parser.events


# --- pictures ------------------------------------------------------------------------


def _length(value: str) -> float | None:
    """`300`, `300px`, `4cm`… in points; None for units deckbuild does not know."""
    for unit, points in UNIT_POINTS.items():
        if value.endswith(unit):
            value, scale = value[: -len(unit)], points
            break
    else:
        scale = PIXEL
    try:
        return float(value) * scale
    except ValueError:
        return None


# --- the reader ------------------------------------------------------------------


@dataclass
class _Slide:
    line: int
    blocks: list = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    carried: dict = field(default_factory=dict)  # local directives from here on
    spot: dict = field(default_factory=dict)  # `_` directives for this slide only
    backdrops: list[Backdrop] = field(default_factory=list)
    open_callouts: list[tuple[tuple[str, ...], int, list]] = field(default_factory=list)

    def add(self, blocks) -> None:
        target = self.open_callouts[-1][2] if self.open_callouts else self.blocks
        target.extend(blocks)

    def has_content(self) -> bool:
        return bool(self.blocks or self.open_callouts or self.backdrops)


class _Reader:
    """Walks a Marp file's top-level markdown nodes once and cuts them into slides."""

    def __init__(self, divider: list[int]) -> None:
        self.divider = divider
        self.slides: list[_Slide] = []
        self.globals: dict = {}
        self.css: list[str] = []  # the `<style>` sheets of the body
        self.ignored: dict[str, int] = {}  # what was not honoured → the first line it was seen on

    def skip(self, what: str, line: int) -> None:
        self.ignored.setdefault(what, line)

    def read(self, text: str, first_line: int, front: dict) -> list[_Slide]:
        """The slides of text; the front matter's directives are set on the first, as Marp does."""
        slide = _Slide(first_line)
        self.slides.append(slide)
        self.assign(slide, front)
        for node, blocks in read_nodes(text):
            line = (node.map or (0, 0))[0] + 1
            if node.type == "hr":
                self.close(slide)
                slide = _Slide(line + 1)
                self.slides.append(slide)
            elif node.type == "html_block":
                self.html(slide, node.content, blocks, line)
            else:
                if node.type == "heading" and int(node.tag[1]) in self.divider and slide.has_content():
                    self.close(slide)
                    slide = _Slide(line)
                    self.slides.append(slide)
                slide.add(self.pictures(slide, blocks))
                for inline in node.walk():  # comments inside a paragraph are notes or directives too
                    if inline.type == "html_inline" and inline.content.startswith("<!--"):
                        self.html(slide, inline.content, (), line)
        self.close(slide)
        return self.slides

    def close(self, slide: _Slide) -> None:
        """End a slide: callouts left open end with it."""
        while slide.open_callouts:
            self.end_callout(slide)

    def html(self, slide: _Slide, html: str, blocks: tuple[Block, ...], line: int) -> None:
        """Comments (directives or notes) and callout openings and closings; any other HTML is read
        as the sessions read it, inside the callouts it opens and closes (a `<div class>` holding
        text with no blank lines around it)."""
        events = _html_events(html)
        for kind, css in events:
            if kind == "css":
                self.css.append(css)
            elif kind == "scoped css":
                self.skip("<style scoped> (its rules would apply to one slide)", line)
        events = [event for event in events if not event[0].endswith("css")]
        if any(kind == "other" for kind, _ in events):
            for _, value in itertools.takewhile(lambda event: event[0] == "open", events):
                slide.open_callouts.append((tuple(value.split()), line, []))
            slide.add(self.pictures(slide, blocks))
            for _ in itertools.takewhile(lambda event: event[0] == "close", reversed(events)):
                self.end_callout(slide)
            return
        for kind, value in events:
            if kind == "comment":
                self.comment(slide, value, line)
            elif kind == "open":
                slide.open_callouts.append((tuple(value.split()), line, []))
            else:
                self.end_callout(slide)

    @staticmethod
    def end_callout(slide: _Slide) -> None:
        if slide.open_callouts:
            classes, start, inner = slide.open_callouts.pop()
            slide.add([Callout(classes, tuple(inner), start)])

    def comment(self, slide: _Slide, body: str, line: int) -> None:
        found = comment_directives(body)
        if found is None:
            if body.strip():
                slide.notes.append(body.strip())
            return
        if "headingDivider" in found:
            self.skip("headingDivider in a comment (the front matter's is)", line)
        self.assign(slide, found)

    def assign(self, slide: _Slide, found: dict) -> None:
        """Directives set on slide: spot (`_`), local from here on, or global."""
        for key, value in found.items():
            if key.startswith("_"):
                slide.spot[key[1:]] = value
            elif key in LOCAL_DIRECTIVES:
                slide.carried[key] = value
            else:
                self.globals[key] = value

    def pictures(self, slide: _Slide, blocks) -> list[Block]:
        """blocks with Marp's picture keywords read: `bg` pictures become the slide's backdrop,
        `w:`/`h:` a picture's size."""
        kept = []
        for block in blocks:
            if not isinstance(block, Image):
                kept.append(block)
                continue
            words = block.alt.split()
            if "bg" in words:
                slide.backdrops.append(self.backdrop(block, words))
            else:
                kept.append(self.sized(block, words))
        return kept

    def sized(self, image: Image, words: list[str]) -> Image:
        width = height = None
        alt = []
        for word in words:
            key, colon, value = word.partition(":")
            if colon and key in ("w", "width"):
                width = _length(value)
            elif colon and key in ("h", "height"):
                height = _length(value)
            elif key in IMAGE_FILTERS:
                self.skip(f"picture filter {key}", image.line)
            else:
                alt.append(word)
        return replace(image, alt=" ".join(alt), width=width, height=height)

    def backdrop(self, image: Image, words: list[str]) -> Backdrop:
        side, share, fit = "", 0.5, "cover"
        alt = []
        for word in words:
            key, _, value = word.partition(":")
            if key == "bg":
                continue
            if key in ("left", "right"):
                side = key
                if value.endswith("%"):
                    share = min(max(float(value[:-1] or 50) / 100, 0.1), 0.9)
            elif key in BACKDROP_FITS:
                fit = BACKDROP_FITS[key]
            elif key in ("auto", "vertical") or key.endswith("%") or key in IMAGE_FILTERS:
                self.skip(f"background picture keyword {key}", image.line)
            else:
                alt.append(word)
        return Backdrop(replace(image, alt=" ".join(alt)), side, share, fit)


def read_marp(path: Path) -> MarpDeck:
    """Read a Marp file; what cannot be read or is not honoured is in the deck's diagnostics."""
    try:
        text = clean_text(path.read_bytes().decode("utf-8"))
    except (UnicodeDecodeError, OSError) as error:
        reason = f"not UTF-8 (byte {error.start}); file skipped" if isinstance(error, UnicodeDecodeError) else \
            f"cannot read: {error.strerror}"
        return MarpDeck(path, path.stem, SIZES["16:9"], {}, (), (Diagnostic(path, 0, Severity.ERROR, reason),))
    front, front_lines = front_matter(text)
    settings = directives(front) if front else {}
    lines = text.split("\n")
    body = "\n" * front_lines + "\n".join(lines[front_lines:])  # line numbers stay the file's
    reader = _Reader(_divider_levels(settings.get("headingDivider")))
    slides = _resolved(reader.read(body, front_lines + 1, settings), path, reader)
    settings = {**settings, **reader.globals}
    stylesheet = read_stylesheet("\n".join([str(settings.get("style") or ""), *reader.css]))
    for what in stylesheet.ignored:
        reader.skip(f"CSS {what}", 1)
    size = str(settings.get("size") or "16:9")
    if size not in SIZES:
        reader.skip(f"size {size} (16:9 and 4:3 are)", 1)
    if settings.get("theme"):
        reader.skip(f"theme {settings['theme']} (decks use the course's theme)", 1)
    for key in settings:
        if key.removeprefix("_") not in HONOURED | {"theme"} and key in GLOBAL_DIRECTIVES + LOCAL_DIRECTIVES:
            reader.skip(f"directive {key}", 1)
        elif key not in GLOBAL_DIRECTIVES + LOCAL_DIRECTIVES:
            reader.skip(f"front matter {key}", 1)
    diagnostics = []
    if reader.ignored:
        first = min(reader.ignored.values())
        listed = "; ".join(reader.ignored)
        diagnostics.append(Diagnostic(path, first, Severity.INFO, f"Marp features not honoured: {listed}",
                                      "see the README's table of Marp features"))
    if not slides:
        diagnostics.append(Diagnostic(path, front_lines, Severity.WARNING, "a Marp deck without slides", "write its first slide"))
    title = str(settings.get("title") or _first_heading(slides) or path.stem)
    return MarpDeck(path, title, SIZES.get(size, SIZES["16:9"]), stylesheet.classes, tuple(slides), tuple(diagnostics))


def _divider_levels(value) -> list[int]:
    """headingDivider: a level N cuts before headings of levels 1..N; a list names the levels."""
    if isinstance(value, bool) or value is None:
        return []
    if isinstance(value, list):
        return [int(level) for level in value if str(level).isdigit()]
    return list(range(1, int(value) + 1)) if str(value).isdigit() else []


def _resolved(raw: list[_Slide], path: Path, reader: _Reader) -> list[MarpSlide]:
    """Each slide with the directives in force on it: local ones carried on from where they are set,
    spot ones (`_`) on their slide only; empty slides left out."""
    carried: dict = {}
    slides = []
    for slide in raw:
        carried.update(slide.carried)
        current = {**carried, **slide.spot}
        for key in ("backgroundImage", "backgroundPosition", "backgroundRepeat", "backgroundSize"):
            if current.get(key):
                reader.skip(f"directive {key}", slide.line)
        classes = str(current.get("class") or "").split()
        for name in classes:
            if name != "lead":
                reader.skip(f"class {name}", slide.line)
        settings = SlideSettings(
            paginate=current.get("paginate") is True,
            header=_inline_text(current.get("header"), path),
            footer=_inline_text(current.get("footer"), path),
            lead="lead" in classes,
            background=_colour(current, "backgroundColor", slide.line, reader),
            color=_colour(current, "color", slide.line, reader),
        )
        if not slide.blocks and not slide.backdrops and not slide.notes:
            continue
        slides.append(MarpSlide(slide.line, tuple(slide.blocks), tuple(slide.notes), settings,
                                tuple(slide.backdrops)))
    return slides


def _colour(directives: dict, key: str, line: int, reader: _Reader) -> str | None:
    """A colour directive as RGB hex; one that is not a CSS colour is noted and left out."""
    value = directives.get(key)
    colour = css_colour(str(value)) if value else None
    if value and colour is None:
        reader.skip(f"{key} {value} (not a CSS colour)", line)
    return colour


def _inline_text(value, path: Path) -> str:
    """A header or footer directive's markdown as the text it shows."""
    if value is None or value is False:
        return ""
    return " ".join(block_text(block) for block in parse_markdown(str(value), path).blocks)


def _first_heading(slides: list[MarpSlide]) -> str:
    for slide in slides:
        for block in iter_blocks(slide.blocks):
            if isinstance(block, Heading):
                return block.title
    return ""
