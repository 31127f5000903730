"""MarpDeck → DeckPlan: the author's slides, fitted like session slides, nothing added.

Each Marp slide is composed by the same Composer as a session's sections (its
first heading is its title), so a slide that holds more than fits continues on
`(계속)` slides and Mermaid blocks become native diagrams. There is no title
slide, agenda or discussion slide of ours: a `lead` slide is the deck's own
centred title slide. A slide's directives become its SlideLook: header and
footer text, its number, background and text colours, and its `![bg]`
picture — behind the whole slide, or one side of it with the slide's content
squeezed into the other side.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from . import i18n
from .compose import ContentSlide, SlideLook
from .diagnostics import Diagnostic, Severity
from .diagrams.cache import SceneCache
from .document import Block, Heading
from .frames import BackdropFrame, TextFrame
from .images import resolve_image
from .layouts import Box, SlideLayouts
from .marp import MarpDeck, MarpSlide
from .plan import DeckPlan, Planner, continued
from .template import DeckTemplate
from .theme import Theme


def marp_layouts(theme: Theme, deck: MarpDeck, template: DeckTemplate | None) -> SlideLayouts:
    """The deck's slide boxes: the theme's geometry at the deck's size (a school's template keeps its
    own), with a header band when some slide has a header."""
    if template:
        layouts = template.layouts
    else:
        across, down = deck.size
        layouts = SlideLayouts.from_geometry(replace(theme.slide, width=theme.slide.height * across / down))
    return layouts.with_header() if any(slide.settings.header for slide in deck.slides) else layouts


class MarpPlanner:
    """Plans one Marp deck with one theme (and the course's template, when it has one)."""

    def __init__(self, theme: Theme, language: str, deck: MarpDeck, scenes: SceneCache | None = None,
                 course_root: Path | None = None, template: DeckTemplate | None = None) -> None:
        self.deck = deck
        self.course_root = course_root or deck.path.parent
        self.planner = Planner(theme, language, scenes, course_root, template, marp_layouts(theme, deck, template))
        self.composer = self.planner.composer
        self.composer.callout_styles = deck.styles
        self.layouts = self.planner.layouts
        self.diagnostics = self.planner.diagnostics
        if template and deck.size != (16, 9):
            self.diagnostics.append(Diagnostic(deck.path, 1, Severity.INFO,
                                               "size: the course's template sets the slide size"))

    def plan(self) -> DeckPlan:
        slides: list[ContentSlide] = []
        title = self.deck.title
        for marp_slide in self.deck.slides:
            heading = _title_heading(marp_slide.blocks)
            title = heading.title if heading else title
            blocks = list(marp_slide.blocks[1:] if heading else marp_slide.blocks)
            slides.extend(self._slides(marp_slide, title, blocks))
        sizes = tuple(self.planner.title_size(s.title, self._title_box(s)) for s in slides)
        return DeckPlan(self.deck.title, self.planner.language, tuple(slides), self.layouts, sizes,
                        footer="", numbers=False, diagnostics=tuple(self.diagnostics))

    def _title_box(self, slide: ContentSlide) -> Box:
        layouts = slide.look.layouts if slide.look and slide.look.layouts else self.layouts
        return layouts.cover_title_box if slide.layout == "lead" else layouts.title_box

    def _slides(self, marp_slide: MarpSlide, title: str, blocks: list[Block]) -> list[ContentSlide]:
        """One Marp slide's slides (more when it continues), each with the slide's look; its notes
        go on the first."""
        look = self._look(marp_slide)
        layouts = look.layouts or self.layouts
        composer = self.composer.on(layouts) if look.layouts else self.composer
        lead = self._lead(title, blocks, layouts) if marp_slide.settings.lead else None
        slides = [lead] if lead else composer.compose(title, blocks, self.deck.path) or [ContentSlide(title, "visual", ())]
        notes = "\n\n".join(marp_slide.notes)
        return [replace(slide, look=look) for slide in continued(slides, i18n.text(self.planner.language, "continued"), notes, "")]

    def _lead(self, title: str, blocks: list[Block], layouts: SlideLayouts) -> ContentSlide | None:
        """A centred title slide: the title in the cover's title box, the rest composed under it, text
        centred, when it fits there on one slide (None otherwise: the slide is composed as any other)."""
        cover, content = layouts.cover_title_box, layouts.content_box
        below = cover.y + cover.height
        area = Box(content.x, below, content.width, content.y + content.height - below)
        slides = self.composer.on(layouts).within(area).compose(title, blocks, self.deck.path)
        if len(slides) > 1:
            return None
        frames = slides[0].frames if slides else ()
        centred = (replace(f, entries=tuple(replace(e, centered=True) for e in f.entries)) if isinstance(f, TextFrame) else f
                   for f in frames)
        return ContentSlide(title, "lead", tuple(centred))

    def _look(self, marp_slide: MarpSlide) -> SlideLook:
        settings = marp_slide.settings
        layouts, backdrop = None, None
        pictures = []
        for picture in marp_slide.backdrops:
            path, problem = resolve_image(picture.image.src, self.deck.path, self.course_root)
            if problem:
                self.diagnostics.append(Diagnostic(self.deck.path, picture.image.line, Severity.WARNING, problem))
            else:
                pictures.append((picture, path))
        if pictures:
            split = next((picture for picture, _ in pictures if picture.side), None)
            if split:
                box, layouts = self.layouts.beside(split.side, split.share)
            else:
                box = Box(0, 0, self.layouts.width, self.layouts.height)
            alt = " ".join(picture.image.alt for picture, _ in pictures if picture.image.alt)
            backdrop = BackdropFrame(box, tuple((path, picture.fit) for picture, path in pictures), alt, whole=split is None)
        boxes = layouts or self.layouts
        return SlideLook(
            layouts=layouts,
            header=self.planner.fitted_line(settings.header, boxes.header_box) if settings.header else "",
            footer=self.planner.fitted_line(settings.footer, boxes.footer_box) if settings.footer else "",
            number=settings.paginate, background=settings.background, color=settings.color, backdrop=backdrop,
        )


def _title_heading(blocks: tuple[Block, ...]) -> Heading | None:
    """The heading that opens a slide: its title."""
    return blocks[0] if blocks and isinstance(blocks[0], Heading) else None

