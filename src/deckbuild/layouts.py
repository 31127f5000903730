"""The named slide layouts and their boxes, in points from the slide's top-left corner.

Every box a deck places content into is defined here, from the theme's slide
geometry, so that a slide master can later supply the same boxes. The composer
asks for a layout's boxes; it never computes a position of its own.

Layouts: `title` (cover), `agenda`, `text`, `stacked` (lead text above a visual,
optional text below it), `two_columns` (text beside a visual, or two visuals),
`visual` (a visual alone, in the content box or, for a diagram, the wide box) and
`discussion`. A picture's or code block's caption line sits under it in any layout.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from .theme import SlideGeometry

POINTS_PER_INCH = 72
GAP = 10.0  # space between two frames of one slide, points
FOOTER_BAND = 20.0  # height of the band at the bottom that holds the footer and slide number, points
FOOTER_SIZE = 10.0  # type size of the footer and slide number, points
HEADER_BAND = 20.0  # height of the band above the title that holds a Marp deck's header, points

LAYOUT_NAMES = ("title", "agenda", "text", "stacked", "two_columns", "visual", "discussion")


@dataclass(frozen=True)
class Box:
    """A rectangle in points from the slide's top-left corner."""

    x: float
    y: float
    width: float
    height: float

    def centred(self, width: float, height: float) -> "Box":
        """A box of the given size centred in this one."""
        return Box(self.x + (self.width - width) / 2, self.y + (self.height - height) / 2, width, height)


@dataclass(frozen=True)
class SlideLayouts:
    """The boxes of every layout on one slide size."""

    width: float
    height: float
    title_box: Box
    content_box: Box
    cover_title_box: Box
    cover_subtitle_box: Box
    wide_box: Box  # a diagram alone may take this larger area, nearly the slide's whole width
    footer_box: Box  # the footer text, in the band under the content
    number_box: Box  # the slide number, at the band's right end
    date_box: Box  # the master's date placeholder (decks leave it empty)
    header_box: Box | None = None  # a band above the title for a header line (Marp decks that have one)

    @classmethod
    def from_geometry(cls, slide: SlideGeometry) -> "SlideLayouts":
        width = slide.width * POINTS_PER_INCH
        height = slide.height * POINTS_PER_INCH
        margin = slide.margin * POINTS_PER_INCH
        title = Box(margin, margin * 0.5, width - 2 * margin, slide.title_height * POINTS_PER_INCH)
        top = title.y + title.height + margin * 0.3
        band = height - margin * 0.2 - FOOTER_BAND  # top of the footer band
        content = Box(margin, top, width - 2 * margin, band - GAP / 2 - top)
        number_width = 2 * margin
        return cls(
            width, height, title, content,
            cover_title_box=Box(margin, height * 0.28, width - 2 * margin, height * 0.3),
            cover_subtitle_box=Box(margin, height * 0.62, width - 2 * margin, height * 0.2),
            wide_box=Box(margin * 0.4, top - margin * 0.2, width - margin * 0.8, content.y + content.height - top + margin * 0.2),
            footer_box=Box(margin, band, (width - 2 * margin) * 0.6, FOOTER_BAND),
            number_box=Box(width - margin - number_width, band, number_width, FOOTER_BAND),
            date_box=Box(margin + (width - 2 * margin) * 0.6, band, (width - 2 * margin) * 0.4 - number_width, FOOTER_BAND),
        )

    def with_header(self) -> "SlideLayouts":
        """These layouts with a header band at the top: the title and content move down under it."""
        top = self.title_box.y
        shift = HEADER_BAND + top * 0.25

        def lowered(box: Box, shrink: bool) -> Box:
            return replace(box, y=box.y + shift, height=box.height - (shift if shrink else 0))

        return replace(
            self, title_box=lowered(self.title_box, False), content_box=lowered(self.content_box, True),
            wide_box=lowered(self.wide_box, True), header_box=Box(self.title_box.x, top * 0.5, self.title_box.width, HEADER_BAND),
        )

    def beside(self, side: str, share: float) -> tuple[Box, "SlideLayouts"]:
        """A split slide: the box of the picture filling share of the slide's width on side ("left" or
        "right", from edge to edge), and these layouts squeezed into the rest, margins kept."""
        picture_width = self.width * share
        picture = Box(0 if side == "left" else self.width - picture_width, 0, picture_width, self.height)
        margin = self.title_box.x
        left = picture_width + margin if side == "left" else margin
        right = self.width - margin - (picture_width if side == "right" else 0)

        def squeezed(box: Box) -> Box:
            return replace(box, x=left, width=right - left)

        number = self.number_box
        return picture, replace(
            self, title_box=squeezed(self.title_box), content_box=squeezed(self.content_box),
            wide_box=squeezed(self.content_box), footer_box=replace(squeezed(self.footer_box), width=(right - left) * 0.6),
            number_box=replace(number, x=right - number.width),
            header_box=squeezed(self.header_box) if self.header_box else None,
        )

    def stacked(self, top: float, bottom: float) -> tuple[Box, Box, Box]:
        """`stacked`: a text box of height top, the visual's box, a text box of height bottom."""
        box = self.content_box
        top_gap = GAP if top else 0.0
        bottom_gap = GAP if bottom else 0.0
        visual_height = box.height - top - bottom - top_gap - bottom_gap
        upper = Box(box.x, box.y, box.width, top)
        visual = Box(box.x, box.y + top + top_gap, box.width, visual_height)
        lower = Box(box.x, visual.y + visual_height + bottom_gap, box.width, bottom)
        return upper, visual, lower

    def two_columns(self, text_share: float) -> tuple[Box, Box]:
        """`two_columns`: text on the left taking text_share of the width, the visual on the right."""
        box = self.content_box
        text_width = (box.width - GAP) * text_share
        text = Box(box.x, box.y, text_width, box.height)
        visual = Box(box.x + text_width + GAP, box.y, box.width - text_width - GAP, box.height)
        return text, visual
