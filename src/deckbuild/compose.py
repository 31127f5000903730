"""Section blocks → composed slides: text and visuals placed together on named layouts.

A person making slides by hand puts a lead-in sentence above the code or
diagram it introduces, a short list beside a tall diagram, and the closing
remark under the picture it explains. The composer does the same by
measurement:

- The paragraph (of at most two lines, with a sub-heading just before it) that
  immediately precedes a visual is its *lead* and always shares its slide.
- Other text that fits one slide is tried as the previous visual's closing
  remark (unless it opens with a sub-heading), then as the next visual's lead,
  kept only where the visual stays large; a line or two always joins, and a
  closing remark may take back the room optional lead text took. Longer text
  fills balanced text slides, a page of it beside a tall visual when that costs
  the visual nothing.
- For each visual the candidate layouts (`visual`, `stacked` at each body size,
  `two_columns` at a few widths; code goes beside text only when no line must
  wrap, tables never) are measured and the one that shows the visual
  largest (diagram text size, picture area, code and table pages and type size)
  wins; ties go to the larger text, then to the stacked layout.
- Two pictures or diagrams in a row share a slide when both stay large; a short
  code block or table stacks under the one before it when it keeps its size.
- A diagram may be drawn in another arrangement (top-to-bottom or
  left-to-right) when its Scene offers one and its text grows by a quarter.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Union

from . import i18n
from .diagnostics import Diagnostic, Severity
from .diagrams.cache import SceneCache
from .diagrams.model import MermaidError
from .diagrams.scene import TURN_GAIN, Scene
from .document import (
    Block, Callout, CodeBlock, Diagram, Heading, Image, ListBlock, Paragraph, Quote, Rule, Run, Table, block_text,
)
from .frames import (
    VISUAL_FRAMES,
    BackdropFrame,
    CalloutFrame,
    CalloutStyle,
    CaptionFrame,
    CodeFrame,
    DiagramFrame,
    Frame,
    FrameFitter,
    PictureFrame,
    TableFrame,
    TextEntry,
    TextFrame,
    caption_height,
    is_stray,
)
from .images import image_size, resolve_image
from .layouts import GAP, Box, SlideLayouts
from .theme import Theme

LEAD_LINES = 2  # a paragraph of at most this many lines right before a visual is its lead
SHORT_SHARE = 0.3  # text at most this share of the content height may join a visual's slide
PAIR_KEEP_QUALITY = 0.75  # two visuals share a slide when each keeps this share of its size alone
TWO_COLUMN_SHARES = (0.32, 0.4, 0.5)  # text column widths tried beside a picture or diagram
KEEP_QUALITY = 0.85  # short text joins a visual's slide when the visual keeps this share of its size
TINY_KEEP_QUALITY = 0.6  # …and a line or two joins even when the visual shrinks to this share,
READABLE_DIAGRAM_TEXT = 12.0  # …as long as a diagram's text stays this large (points)
COMFORTABLE_DIAGRAM_TEXT = 16.0  # any share is fine while a diagram's text stays this large (points)
SPLIT_DIAGRAM_TEXT = 14.0  # a diagram showing smaller text even alone goes over slides in parts, if it has them
CALLOUT_BAR = 4.0  # width of a callout's left bar when its stylesheet gives none (points)


@dataclass(frozen=True)
class SlideLook:
    """What a slide says about itself beyond its frames (a Marp slide's directives): its own layouts
    (a split slide's), header and footer text, whether it shows its number, background and text
    colours (RGB hex) and a background picture."""

    layouts: SlideLayouts | None = None
    header: str = ""
    footer: str = ""
    number: bool = False
    background: str | None = None
    color: str | None = None
    backdrop: BackdropFrame | None = None


@dataclass(frozen=True)
class ContentSlide:
    """A slide below the cover: its title, the layout its frames follow, and the frames; a look of
    its own when it has one (else the deck's footer and numbers)."""

    title: str
    layout: str
    frames: tuple[Frame, ...]
    notes: str = ""
    look: SlideLook | None = None


@dataclass(frozen=True)
class CodeVisual:
    language: str
    text: str
    caption: str = ""


@dataclass(frozen=True)
class PictureVisual:
    path: Path
    alt: str
    natural: tuple[float, float]
    asked: tuple[float | None, float | None] = (None, None)  # a width or height the author asked for, points


@dataclass(frozen=True)
class CalloutVisual:
    entries: tuple[TextEntry, ...]
    style: CalloutStyle


@dataclass(frozen=True)
class DiagramVisual:
    scenes: tuple[Scene, ...]  # the arrangements to choose from
    alt_text: str
    block: Diagram
    source: Path


Visual = Union[CodeVisual, Table, PictureVisual, DiagramVisual, CalloutVisual]
STACKING = (CodeVisual, Table, CalloutVisual)  # visuals that stack under the one before them on its slide


@dataclass
class _Chunk:
    """A visual with the text that shares its slide."""

    visual: Visual
    lead: list[TextEntry] = field(default_factory=list)
    trail: list[TextEntry] = field(default_factory=list)
    own_lead: list[TextEntry] = field(default_factory=list)  # the lead-in it must keep; costs are measured from here


@dataclass(frozen=True)
class _Placement:
    """One candidate: its pages of frames, its layout and how well it shows the visual."""

    layout: str
    pages: tuple[tuple[Frame, ...], ...]
    quality: float  # diagram text size, picture area share, or code/table type size (rounded)
    text_size: float

    def key(self) -> tuple:
        return (-len(self.pages), self.quality, self.text_size)


class Composer:
    """Composes the slides of one section from its blocks."""

    def __init__(self, theme: Theme, language: str, layouts: SlideLayouts, fitter: FrameFitter,
                 scenes: SceneCache, course_root: Path | None, diagnostics: list[Diagnostic]) -> None:
        self.theme = theme
        self.language = language
        self.layouts = layouts
        self.fitter = fitter
        self.scenes = scenes
        self.course_root = course_root
        self.diagnostics = diagnostics
        self.largest_diagram_scale = theme.sizes.title / theme.diagram.font_size
        self.callout_styles: dict[str, CalloutStyle] = {}  # a Marp deck's, by class
        self._placements: dict[tuple, _Placement | None] = {}  # keyed by id(visual): only for one section

    def within(self, box: Box) -> "Composer":
        """A composer for a smaller content area (the discussion's, below its topic)."""
        return self.on(replace(self.layouts, content_box=box, wide_box=box))

    def on(self, layouts: SlideLayouts) -> "Composer":
        """A composer for other layouts (a smaller area, a split slide's), with the same styles."""
        composer = Composer(self.theme, self.language, layouts, self.fitter, self.scenes, self.course_root, self.diagnostics)
        composer.callout_styles = self.callout_styles
        return composer

    def text(self, key: str, **values: object) -> str:
        return i18n.text(self.language, key, **values)

    # --- a section ---------------------------------------------------------

    def compose(self, title: str, blocks: list[Block], source: Path) -> list[ContentSlide]:
        """The slides of one section titled title (without `(계속)` marks)."""
        self._placements = {}
        runs: list[list[list[TextEntry]]] = [[]]  # text runs, each a list of blocks' entries
        visuals: list[Visual] = []
        for block in blocks:
            if isinstance(block, Rule):
                continue
            visual = self._visual(block, source)
            if visual is None:
                entries = self._missing_image(block) if isinstance(block, Image) else self.entries(block, 0)
                if entries:
                    runs[-1].append(entries)
            else:
                visuals.append(visual)
                runs.append([])
        pieces = self._attach_text(runs, visuals)
        slides: list[ContentSlide] = []
        index = 0
        while index < len(pieces):
            piece = pieces[index]
            following = pieces[index + 1] if index + 1 < len(pieces) else None
            both = isinstance(piece, _Chunk) and isinstance(following, _Chunk)
            pair = (self._pair(piece, following) or self._stack(piece, following)) if both else None
            if pair is not None:
                slides.append(ContentSlide(title, pair.layout, pair.pages[0]))
                index += 2
                continue
            if isinstance(piece, _Chunk):
                slides.extend(self._chunk_slides(title, piece))
            else:
                slides.extend(self._text_slides(title, piece))
            index += 1
        return slides

    def _stack(self, first: _Chunk, second: _Chunk) -> _Placement | None:
        """A short code block, table or callout (with its lead-in) under the code, table, callout or
        author-sized picture before it, when the room left on that slide holds it at the size it
        would have on a slide of its own."""
        sized_picture = isinstance(first.visual, PictureVisual) and any(first.visual.asked)
        if not (sized_picture or isinstance(first.visual, STACKING)) or not isinstance(second.visual, STACKING):
            return None
        best = self._best(first.visual, first.lead, first.trail)
        own = self._best(second.visual, second.lead, second.trail)
        if best is None or own is None or len(best.pages) != 1 or len(own.pages) != 1:
            return None
        content = self.layouts.content_box
        tops = [c for c in self._candidates(first.visual, first.lead, first.trail)
                if c.layout != "two_columns" and c.key()[:2] == best.key()[:2]]  # as good for the first visual
        for top in sorted(tops, key=lambda c: -c.text_size):  # the first one's text may get smaller to make room
            if sized_picture:  # the picture moves up under its lead-in, out of the middle of the slide
                top = replace(top, pages=(_packed(top.pages[0], content),))
            start = max(_bottom(frame) for frame in top.pages[0]) + GAP
            room = Box(content.x, start, content.width, content.y + content.height - start)
            if room.height < caption_height(self.theme.sizes.min_code):
                continue
            fitting = [c for c in self.within(room)._candidates(second.visual, second.lead, second.trail)
                       if len(c.pages) == 1 and c.layout != "two_columns" and c.quality >= own.quality
                       and (not second.lead or c.text_size == top.text_size)]  # one text size on the slide
            if fitting:
                below = max(fitting, key=_Placement.key)
                return _Placement("stacked", ((*top.pages[0], *below.pages[0]),), top.quality, top.text_size)
        return None

    def _pair(self, first: _Chunk, second: _Chunk) -> _Placement | None:
        """Two pictures or diagrams with no text between them side by side (the first's lead above),
        when each keeps most of the size it has on a slide of its own."""
        if first.trail or second.lead or not all(isinstance(c.visual, (PictureVisual, DiagramVisual)) for c in (first, second)):
            return None
        alone = [self._best(c.visual, c.lead, c.trail) for c in (first, second)]
        width = self.layouts.content_box.width
        best = None
        for size in self.fitter.body_ladder if first.lead or second.trail else self.fitter.body_ladder[:1]:
            top = self.fitter.text_height(first.lead, size, width) if first.lead else 0.0
            bottom = self.fitter.text_height(second.trail, size, width) if second.trail else 0.0
            upper, box, lower = self.layouts.stacked(top, bottom)
            widths = [box.height * _aspect(c.visual) for c in (first, second)]
            share = widths[0] / sum(widths)
            left = Box(box.x, box.y, (box.width - GAP) * share, box.height)
            right = Box(left.x + left.width + GAP, box.y, box.width - left.width - GAP, box.height)
            frames = [self._place(first.visual, left)[0], self._place(second.visual, right)[0]]  # each with its caption
            qualities = [self._quality([page]) for page in frames]
            if any(q < self._pair_floor(c, a) for q, a, c in zip(qualities, alone, (first, second))):
                continue
            page = (
                *([TextFrame(upper, tuple(first.lead), size)] if first.lead else []), *frames[0], *frames[1],
                *([TextFrame(lower, tuple(second.trail), size)] if second.trail else []),
            )
            placement = _Placement("two_columns", (page,), min(q / a.quality for q, a in zip(qualities, alone)), size)
            if best is None or placement.key() > best.key():
                best = placement
        if best is not None:
            for chunk in (first, second):
                if isinstance(chunk.visual, DiagramVisual):
                    self._report_diagram(chunk.visual, best)
        return best

    def _attach_text(self, runs: list[list[list[TextEntry]]], visuals: list[Visual]) -> list:
        """Text runs and visuals → a list of chunks and free text (lists of entries), in order.

        Run `i` lies between visual `i - 1` and visual `i`: its lead goes to visual `i`. The rest,
        if it fits one slide, becomes the trailing text of visual `i - 1` (unless it opens with a
        sub-heading) or joins the lead of visual `i` where the visual keeps its size; a line or
        two joins them anyway. Longer text keeps its own slides, except a page that fits beside a
        visual at no cost to it.
        """
        chunks = [_Chunk(visual) for visual in visuals]
        free: list[list[TextEntry]] = [[] for _ in runs]
        for index, run in enumerate(runs):
            before = chunks[index - 1] if index > 0 else None
            after = chunks[index] if index < len(chunks) else None
            if after is not None:
                lead_blocks = self._lead(run)
                after.lead = after.own_lead = [e for entries in lead_blocks for e in entries]
                run = run[: len(run) - len(lead_blocks)]
            rest = [e for entries in run for e in entries]
            if not rest:
                continue
            one_page = self.fitter.text_size(rest, self.layouts.content_box) is not None
            new_topic = rest[0].role == "subheading"  # a sub-heading starts what comes next, not a remark
            if one_page and before is not None and not new_topic and self._takes_text(before, before.lead, rest):
                before.trail = rest
                continue
            if before is not None and before.lead != before.own_lead and self._is_short(rest) and not new_topic \
                    and self._takes_text(before, before.own_lead, rest):
                # the remark after the visual needs the room its optional lead text took: that text
                # goes back to a slide of its own, so no continuation holds a line or two
                free[index - 1] = free[index - 1] + before.lead[: len(before.lead) - len(before.own_lead)]
                before.lead, before.trail = before.own_lead, rest
                continue
            if one_page and after is not None and self._takes_text(after, rest + after.lead, after.trail):
                after.lead = rest + after.lead
                continue
            if after is not None and self._is_tiny(rest):
                after.lead = rest + after.lead
                continue
            if before is not None and is_stray(rest) and self._best(before.visual, before.lead, rest):
                before.trail = rest  # a costly place, but better than a slide with a stray line
                continue
            if not self._is_short(rest):
                rest = self._fill_beside(before, rest, after)
            free[index] = rest
        pieces: list = []
        for index, rest in enumerate(free):
            if rest:
                pieces.append(rest)
            if index < len(chunks):
                pieces.append(chunks[index])
        return pieces

    def _fill_beside(self, before: _Chunk | None, rest: list[TextEntry], after: _Chunk | None) -> list[TextEntry]:
        """A page of rest moved beside the visual before it (its first page) or after it (its last),
        where it costs the visual nothing: a tall diagram takes a column, the text the other.
        Returns what is left for text slides."""
        pages = [list(page.entries) for page in self.fitter.text_pages(rest, self.layouts.content_box)]
        if before is not None and not before.trail and self._costs_nothing(before, before.lead, pages[0]):
            before.trail = pages.pop(0)
        if after is not None and pages and self._costs_nothing(after, pages[-1] + after.lead, after.trail):
            after.lead = pages.pop() + after.lead
        return [e for page in pages for e in page]

    def _costs_nothing(self, chunk: _Chunk, lead: list[TextEntry], trail: list[TextEntry]) -> bool:
        """Whether chunk's visual shows as large with this text as with its own, the text readable."""
        now = self._best(chunk.visual, chunk.lead, chunk.trail)
        visual = next(f for f in now.pages[0] if isinstance(f, VISUAL_FRAMES))
        if visual.box.width > self.layouts.two_columns(TWO_COLUMN_SHARES[0])[1].width:
            return False  # it is too wide to have a text column beside it at no cost
        then = self._best(chunk.visual, lead, trail)
        return (
            then is not None and len(then.pages) == len(now.pages) and then.quality >= now.quality
            and then.text_size >= self.fitter.body_ladder[min(2, len(self.fitter.body_ladder) - 1)]
        )

    def _lead(self, run: list[list[TextEntry]]) -> list[list[TextEntry]]:
        """The blocks at the end of run that introduce the visual after it: a paragraph of at most
        two lines, with the sub-heading right before it; or a sub-heading alone."""
        if not run:
            return []
        width = self.layouts.content_box.width
        size = self.fitter.body_ladder[0]
        last = run[-1]
        if len(last) != 1 or last[0].level or last[0].role == "code":
            return []
        if self.fitter.line_count(last, size, width) > LEAD_LINES:
            return []
        if last[0].role != "subheading" and len(run) > 1 and len(run[-2]) == 1 and run[-2][0].role == "subheading":
            return run[-2:]
        return run[-1:]

    def _is_short(self, entries: list[TextEntry]) -> bool:
        box = self.layouts.content_box
        return self.fitter.text_height(entries, self.fitter.body_ladder[0], box.width) <= SHORT_SHARE * box.height

    def _pair_floor(self, chunk: _Chunk, alone: _Placement) -> float:
        """The least quality a visual may keep beside another: most of its own, and a diagram's text
        stays readable if it was."""
        floor = PAIR_KEEP_QUALITY * alone.quality
        if isinstance(chunk.visual, DiagramVisual):
            floor = max(floor, min(alone.quality, self.theme.diagram.min_font_size))
        return floor

    def _is_tiny(self, entries: list[TextEntry]) -> bool:
        """A line or two: on a slide of its own it would be a stray line."""
        return self.fitter.line_count(entries, self.fitter.body_ladder[0], self.layouts.content_box.width) <= LEAD_LINES

    def _takes_text(self, chunk: _Chunk, lead: list[TextEntry], trail: list[TextEntry]) -> bool:
        """Whether chunk's slide may take this lead and trailing text: the visual keeps most of the
        size it has with only its own lead-in (a line or two may cost it more, rather than stand
        alone on a slide; so may the text around a diagram cut over slides, while it stays readable)."""
        base = self._best(chunk.visual, chunk.own_lead, [])
        then = self._best(chunk.visual, lead, trail)
        if then is None or len(then.pages) > len(base.pages):
            return False
        added = [e for e in lead + trail if e not in chunk.lead + chunk.trail]
        share = then.quality / base.quality if base.quality else 1.0
        if share >= KEEP_QUALITY:
            return True
        if isinstance(chunk.visual, DiagramVisual):
            if then.quality >= min(base.quality, COMFORTABLE_DIAGRAM_TEXT):
                return True
            if then.quality < min(base.quality, READABLE_DIAGRAM_TEXT):
                return False
            if len(then.pages) > 1:
                return True  # a diagram cut over slides is opened and closed by its own text
        return self._is_tiny(added) and share >= TINY_KEEP_QUALITY

    # --- slides --------------------------------------------------------------

    def _text_slides(self, title: str, entries: list[TextEntry]) -> list[ContentSlide]:
        pages = self.fitter.text_pages(entries, self.layouts.content_box)
        return [ContentSlide(title, "text", (page,)) for page in pages]

    def _chunk_slides(self, title: str, chunk: _Chunk) -> list[ContentSlide]:
        placement = self._best(chunk.visual, chunk.lead, chunk.trail)
        if placement is None:  # the text cannot share a slide with it at all: text, then the visual
            text = self._text_slides(title, chunk.lead + chunk.trail)
            return text + self._chunk_slides(title, _Chunk(chunk.visual))
        if isinstance(chunk.visual, DiagramVisual):
            self._report_diagram(chunk.visual, placement)
        return [ContentSlide(title, placement.layout, page) for page in placement.pages]

    def _report_diagram(self, visual: DiagramVisual, placement: _Placement) -> None:
        frame = next(f for page in placement.pages for f in page if isinstance(f, DiagramFrame) and f.alt_text == visual.alt_text)
        block, source = visual.block, visual.source
        for warning in frame.scene.warnings:
            self.diagnostics.append(Diagnostic(source, block.line, Severity.INFO, f"{block.kind}: {warning}"))
        if frame.text_size < self.theme.diagram.min_font_size:
            message = f"dense {block.kind}: its text shows at {frame.text_size:.1f} pt"
            self.diagnostics.append(Diagnostic(source, block.line, Severity.INFO, message, "split it into smaller diagrams"))

    # --- layouts ---------------------------------------------------------------

    def _best(self, visual: Visual, lead: list[TextEntry], trail: list[TextEntry]) -> _Placement | None:
        """The candidate layout that shows visual best with this text, or None when none holds the text
        (remembered for the section being composed: the same question comes up several times)."""
        key = (id(visual), tuple(lead), tuple(trail))
        if key not in self._placements:
            candidates = list(self._candidates(visual, lead, trail))
            self._placements[key] = max(candidates, key=_Placement.key) if candidates else None
        return self._placements[key]

    def _candidates(self, visual: Visual, lead: list[TextEntry], trail: list[TextEntry]):
        if not lead and not trail:
            yield self._alone(visual)
            return
        width = self.layouts.content_box.width
        for size in self.fitter.body_ladder:
            top = self.fitter.text_height(lead, size, width) if lead else 0.0
            bottom = self.fitter.text_height(trail, size, width) if trail else 0.0
            upper, box, lower = self.layouts.stacked(top, bottom)
            if box.height < SHORT_SHARE * self.layouts.content_box.height:
                continue
            pages = self._place(visual, box)
            if len(pages) > 1 and isinstance(visual, DiagramVisual):
                pages = self._parts_stacked(visual, top, bottom)
            placed = []
            for number, page in enumerate(pages):
                frames = list(page if number == 0 else _at_top(page, self.layouts.content_box))
                if number == 0 and lead:
                    frames.insert(0, TextFrame(upper, tuple(lead), size))
                if number == len(pages) - 1 and trail:
                    frames.append(TextFrame(_below(frames, lower), tuple(trail), size))
                placed.append(tuple(frames))
            yield _Placement("stacked", tuple(placed), self._quality(pages), size)
        if isinstance(visual, Table):
            return
        for share in TWO_COLUMN_SHARES:
            text_box, box = self.layouts.two_columns(share)
            size = self.fitter.text_size(lead + trail, text_box)
            if size is None:
                continue
            pages = self._place(visual, box)
            if len(pages) > 1 or isinstance(visual, CodeVisual) and not _unwrapped(visual, pages):
                continue  # text beside a visual cut over slides would leave its later pages out
            frames = (TextFrame(text_box, tuple(lead + trail), size), *pages[0])
            yield _Placement("two_columns", (frames,), self._quality(pages), size)

    def _alone(self, visual: Visual) -> _Placement:
        """`visual`: the visual alone in the content area (a diagram in the wider area when that
        shows it larger)."""
        pages = self._place(visual, self.layouts.content_box)
        if isinstance(visual, DiagramVisual):  # a diagram alone may use the slide's whole width
            wide_pages = self._place(visual, self.layouts.wide_box)
            if wide_pages[0][0].text_size > pages[0][0].text_size:
                pages = wide_pages
        return _Placement("visual", tuple(pages), self._quality(pages), 0.0)

    def _place(self, visual: Visual, box: Box) -> list[tuple[Frame, ...]]:
        """visual fitted into box: one tuple of frames per page it needs, each with the visual's
        caption line (a picture's alt text, why a diagram shows as source) right under it."""
        caption = _caption(visual)
        if not caption:
            return [(frame,) for frame in self._fit(visual, box)]
        size = self.theme.sizes.caption
        height = caption_height(size)
        frames = self._fit(visual, replace(box, height=box.height - height - GAP / 2))
        return [(frame, CaptionFrame(Box(box.x, _bottom(frame) + GAP / 2, box.width, height), caption, size)) for frame in frames]

    def _fit(self, visual: Visual, box: Box) -> list[Frame]:
        """visual fitted into box: a frame per page."""
        if isinstance(visual, CodeVisual):
            pages = self.fitter.code_pages(visual.language, visual.text, box)
            return [replace(page, box=replace(box, height=self.fitter.code_height(page))) for page in pages]
        if isinstance(visual, Table):
            return self.fitter.table_pages(visual, box)
        if isinstance(visual, PictureVisual):
            return [self.fitter.picture(visual.path, visual.alt, visual.natural, box, visual.asked)]
        if isinstance(visual, CalloutVisual):
            return list(self.fitter.callout_pages(list(visual.entries), box, visual.style))
        parts = self._parts_shown(visual)
        if parts:
            return [self._diagram(part, box, visual) for part in parts]
        own, *others = [self._diagram(scene, box, visual) for scene in visual.scenes]
        turned = max(others, key=lambda frame: frame.text_size, default=own)
        return [turned if turned.text_size >= TURN_GAIN * own.text_size else own]

    def _parts_stacked(self, visual: DiagramVisual, top: float, bottom: float) -> list[tuple[Frame, ...]]:
        """A diagram's parts a page each, the first under lead text of height top and the last
        above trailing text of height bottom: each part takes the room its own slide leaves."""
        parts = self._parts_shown(visual)
        last = len(parts) - 1
        boxes = [self.layouts.stacked(top if n == 0 else 0.0, bottom if n == last else 0.0)[1] for n in range(len(parts))]
        return [(self._diagram(part, box, visual),) for part, box in zip(parts, boxes)]

    def _diagram(self, scene: Scene, box: Box, visual: DiagramVisual) -> DiagramFrame:
        return self.fitter.diagram(scene, box, self.largest_diagram_scale, visual.alt_text)

    def _parts_shown(self, visual: DiagramVisual) -> tuple[Scene, ...]:
        """The parts a diagram is shown in, one a slide, or () to show it whole: it goes over slides
        when, even alone on a slide, no arrangement shows its text at SPLIT_DIAGRAM_TEXT and the
        parts of one read TURN_GAIN larger. Decided for the visual, not per layout, so every
        layout tried shows the same pages."""
        box = self.layouts.content_box
        whole = max(self._diagram(scene, box, visual).text_size for scene in visual.scenes)
        best: tuple[Scene, ...] = ()
        best_size = 0.0
        for scene in visual.scenes:
            if scene.parts:
                size = min(self._diagram(part, box, visual).text_size for part in scene.parts)
                if size > best_size:
                    best, best_size = scene.parts, size
        return best if whole < SPLIT_DIAGRAM_TEXT and best_size >= TURN_GAIN * whole else ()

    def _quality(self, pages: list[tuple[Frame, ...]]) -> float:
        """How well the visual shows: diagram text size, picture area share, or code/table type size."""
        frame = next(f for f in pages[0] if not isinstance(f, (TextFrame, CaptionFrame)))
        if isinstance(frame, DiagramFrame):  # a diagram cut over slides reads as its smallest part
            smallest = min(f.text_size for page in pages for f in page if isinstance(f, DiagramFrame))
            return round(smallest * 2) / 2
        if isinstance(frame, PictureFrame):
            content = self.layouts.content_box
            return round(frame.box.width * frame.box.height / (content.width * content.height) * 20) / 20
        return frame.size

    # --- blocks → visuals and text ---------------------------------------------

    def _visual(self, block: Block, source: Path) -> Visual | None:
        """The visual a block shows, or None for text (a missing picture becomes text)."""
        if isinstance(block, CodeBlock):
            return CodeVisual(block.language, block.text)
        if isinstance(block, Table):
            return block
        if isinstance(block, Image):
            path, problem = resolve_image(block.src, source, self.course_root or source.parent)
            if problem:
                self.diagnostics.append(Diagnostic(source, block.line, Severity.WARNING, problem))
                return None
            return PictureVisual(path, block.alt, image_size(path), (block.width, block.height))
        if isinstance(block, Callout):
            return CalloutVisual(tuple(e for child in block.blocks for e in self.entries(child, 0)), self.callout_style(block.classes))
        if isinstance(block, Diagram):
            try:
                scene = self.scenes.scene(block.source, block.kind, self.fitter.measure, self.theme.diagram)
            except MermaidError as error:
                caption = self.text("diagram_failed", kind=block.kind or "mermaid", reason=error.message)
                return CodeVisual("text", block.source, caption)
            alt_text = f"{self.text('diagram_' + scene.kind)}: {scene.description}"
            return DiagramVisual((scene, *scene.alternatives), alt_text, block, source)
        return None

    def callout_style(self, classes: tuple[str, ...]) -> CalloutStyle:
        """The look of a callout of these classes: their rules, later classes first, over the theme's
        code box colours and an accent bar."""
        style = CalloutStyle(self.theme.colors.code_background, self.theme.colors.accent, CALLOUT_BAR)
        for name in classes:
            style = self.callout_styles.get(name, CalloutStyle()).over(style)
        return style

    def _missing_image(self, image: Image) -> list[TextEntry]:
        """What stands in for a picture that cannot be shown: its name and its alt text."""
        missing = TextEntry((Run(self.text("image_missing", src=image.src), italic=True),))
        return [missing, *([TextEntry((Run(image.alt),))] if image.alt else [])]

    def entries(self, block: Block, level: int) -> list[TextEntry]:
        """Blocks → writer paragraphs: `**라벨**: 값` becomes a bullet, bold-only a sub-heading."""
        if isinstance(block, Heading):
            return [TextEntry((Run(_with_minutes(block, self.text)),), level, role="subheading")]
        if isinstance(block, Paragraph):
            runs = tuple(run if not run.image else Run(f"[{run.text}]", italic=True)
                         for run in block.runs if run.text or not run.image)  # a decorative icon says nothing
            if _is_bold_only(runs):
                return [TextEntry(runs, level, role="subheading", centered=block.centered)]
            if _is_label_line(runs):
                return [TextEntry(runs, level, marker="•")]
            return [TextEntry(runs, level, centered=block.centered)]
        if isinstance(block, ListBlock):
            entries = []
            for number, item in enumerate(block.items, start=block.start):
                marker = _list_marker(block, number, level, item.checked)
                for index, child in enumerate(item.blocks):
                    child_entries = self.entries(child, level + 1 if isinstance(child, ListBlock) else level)
                    if index == 0 and child_entries and not isinstance(child, ListBlock):
                        first = child_entries[0]
                        child_entries[0] = replace(first, marker=marker, role="body" if first.role == "subheading" else first.role)
                    entries.extend(child_entries)
            return entries
        if isinstance(block, Quote):
            return [replace(entry, role="quote") for child in block.blocks for entry in self.entries(child, level)]
        if isinstance(block, CodeBlock):  # a line per entry, so a page may end between lines
            return [TextEntry((Run(line or " ", code=True),), level, role="code") for line in block.text.split("\n")]
        if isinstance(block, (Table, Image, Diagram)):
            return [TextEntry((Run(block_text(block)),), level)]
        return []


# --- helpers --------------------------------------------------------------


def _caption(visual: Visual) -> str:
    if isinstance(visual, CodeVisual):
        return visual.caption
    if isinstance(visual, PictureVisual):
        return visual.alt
    return ""


def _aspect(visual: Visual) -> float:
    """Width over height of a picture or (the author's arrangement of) a diagram."""
    if isinstance(visual, PictureVisual):
        return visual.natural[0] / visual.natural[1]
    return visual.scenes[0].width / visual.scenes[0].height


def _unwrapped(code: CodeVisual, pages: list[tuple[Frame, ...]]) -> bool:
    """Whether code sits on one page with no line wrapped (code goes beside text only then)."""
    return len(pages) == 1 and len(pages[0][0].lines) == code.text.expandtabs(4).count("\n") + 1


def _at_top(page: tuple[Frame, ...], content: Box) -> tuple[Frame, ...]:
    """A continued page of code or table (with its caption) moved up to the top of the content area."""
    shift = content.y - page[0].box.y
    return tuple(replace(frame, box=replace(frame.box, y=frame.box.y + shift)) for frame in page)


def _packed(page: tuple[Frame, ...], content: Box) -> tuple[Frame, ...]:
    """page with the room above its first visual closed: the visual (and what follows it) moved up
    to sit right under the text above it, or at the top of the content area."""
    index = next(i for i, frame in enumerate(page) if isinstance(frame, VISUAL_FRAMES))
    shift = max((_bottom(frame) + GAP for frame in page[:index]), default=content.y) - page[index].box.y
    return page[:index] + tuple(replace(frame, box=replace(frame.box, y=frame.box.y + shift)) for frame in page[index:])


def _bottom(frame: Frame) -> float:
    """Where a frame's drawing ends (a table's rows may end above its box)."""
    if isinstance(frame, TableFrame):
        return frame.box.y + sum(frame.row_heights)
    return frame.box.y + frame.box.height


def _below(frames: list[Frame], box: Box) -> Box:
    """box moved up to sit just under the code, table or caption that ends the frames above it."""
    last = frames[-1]
    if isinstance(last, (CodeFrame, TableFrame, CaptionFrame, CalloutFrame)):
        return replace(box, y=min(box.y, _bottom(last) + GAP))
    return box


def _with_minutes(heading: Heading, text) -> str:
    if heading.minutes:
        return f"{heading.title} ({text('minutes', n=heading.minutes)})"
    return heading.title


def _is_bold_only(runs: tuple[Run, ...]) -> bool:
    visible = [run for run in runs if run.text.strip()]
    return bool(visible) and all(run.bold for run in visible)


def _is_label_line(runs: tuple[Run, ...]) -> bool:
    """`**라벨**: 값` — a bold first run followed by a colon."""
    if len(runs) < 2 or not runs[0].bold:
        return False
    return runs[0].text.rstrip().endswith(":") or runs[1].text.lstrip().startswith(":")


_BULLETS = ("•", "◦", "▪")


def _list_marker(block: ListBlock, number: int, level: int, checked: bool | None) -> str:
    if checked is not None:
        return "☑" if checked else "☐"
    if block.ordered:
        return f"{number}."
    return _BULLETS[min(level, len(_BULLETS) - 1)]
