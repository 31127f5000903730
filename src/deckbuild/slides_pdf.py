"""DeckPlan → slide PDF: one page per slide, drawn directly from the plan the .pptx is written from.

Every frame is drawn where the plan placed it, with the planned type size,
insets, line pitch and paragraph gaps, so the page shows what PowerPoint
shows. Text is broken into lines by the planner's own measure (the fonts'
widths, Korean kept whole between words) and each line is written glyph by
glyph at its place (`pdf_canvas`, faces from `pdf_faces`): selectable, in the
theme's fonts, wider where Hangul meets Latin as LibreOffice and the measure
set it. Code keeps its Pygments colours, tables their planned columns and
rows; diagrams, charts and pictures are figures WeasyPrint draws once each
(`slide_figures`). The footer and the slide number sit in the master's footer
band. Each slide's title is a bookmark; the document carries the deck's title
and language, and each face is embedded once as a subset (`pdf_fonts`).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pikepdf

from .code_style import token_colours
from .deck import plan_deck, plan_marp_deck
from .diagrams.to_svg import scene_to_svg
from .document import Run
from .files import write_atomically
from .frames import (
    CELL_INSET,
    CODE_IN_TEXT,
    INSET,
    LEVEL_INDENT,
    MARKER_WIDTH,
    PARAGRAPH_GAP,
    CalloutFrame,
    CaptionFrame,
    CodeFrame,
    DiagramFrame,
    PictureFrame,
    TableFrame,
    TextEntry,
    TextFrame,
    code_line_pieces,
)
from .layouts import FOOTER_SIZE, Box
from .measure import EMOJI_FAMILY, LINE_PITCH, SCRIPT_GAP, FontNotFound, Measurer, Span
from .pdf_assembly import with_fonts
from .pdf_canvas import PageCanvas, Piece
from .pdf_faces import INVISIBLE, FaceChain, FontUse, installed_face
from .plan import DeckPlan, TitleSlide
from .slide_figures import Figures, backdrop, drawing, picture
from .theme import Theme
from .timestamps import source_date

TABLE_RULE = 1.0  # the white rule between table cells, points (PowerPoint's default table style)
CODE_BORDER = 0.75  # the code box's outline, points (python-pptx's default line)
ACCENT_BAND = 4.0  # height of the cover's accent band, points
STRIKE_RISE = 0.3  # a line-through this many ems above the baseline
UNDERLINE_DROP = 0.1  # an underline this many ems below it
DECORATION = 0.05  # their thickness, ems
BREAK_TRIES = 3  # how often a paragraph is broken again when a drawn line comes out wider than the measure said


@dataclass(frozen=True)
class Ink:
    """How a stretch of text is set: face style, colour (None: the paragraph's), decorations, link."""

    bold: bool = False
    italic: bool = False
    mono: bool = False
    strike: bool = False
    colour: str | None = None
    link: str = ""


class SlidePdf:
    """Draws one DeckPlan as the pages of a new PDF."""

    def __init__(self, plan: DeckPlan, theme: Theme) -> None:
        self.plan, self.theme, self.colors = plan, theme, theme.colors
        self.pdf = pikepdf.new()
        self.fonts = FontUse(self.pdf)
        self.pictures: dict = {}
        self.figures = Figures(self.pdf, theme, plan.language)
        fonts = theme.fonts
        try:
            emoji = [installed_face(EMOJI_FAMILY)]
        except FontNotFound:
            emoji = []
        self.chains = {
            (False, False): FaceChain([installed_face(fonts.latin), installed_face(fonts.east_asian), *emoji]),
            (True, False): FaceChain([installed_face(fonts.latin, True), installed_face(fonts.east_asian, True), *emoji]),
            (False, True): FaceChain([installed_face(fonts.mono), *emoji]),
            (True, True): FaceChain([installed_face(fonts.mono, True), *emoji]),  # the measure counts its widths as regular
        }
        # the fonts' own widths (no safety margin): lines break where the fonts' text reaches the box's edge
        self.measure = Measurer(fonts.metrics_body, fonts.metrics_mono, safety=1.0)
        self.canvases: list[tuple[PageCanvas, float]] = []
        self.titles: list[str] = []

    def write(self, course_root: Path, author: str) -> pikepdf.Pdf:
        """The PDF of every slide (its fonts still to be embedded: pdf_assembly.with_fonts)."""
        for number, (slide, size) in enumerate(zip(self.plan.slides, self.plan.title_sizes), start=1):
            self._slide(number, slide, size)
        self.figures.render(course_root)
        for canvas, width in self.canvases:
            self.pdf.pages.append(pikepdf.Page(self.pdf.make_indirect(canvas.page(width))))
        self.fonts.finish()
        with self.pdf.open_outline() as outline:
            outline.root.extend(pikepdf.OutlineItem(title, index) for index, title in enumerate(self.titles))
        date = source_date().strftime("D:%Y%m%d%H%M%SZ")
        self.pdf.docinfo = self.pdf.make_indirect(pikepdf.Dictionary(
            Title=pikepdf.String(self.plan.title), Author=pikepdf.String(author), Creator=pikepdf.String("deckbuild"),
            CreationDate=pikepdf.String(date), ModDate=pikepdf.String(date)))
        self.pdf.Root.Lang = pikepdf.String(self.plan.language)
        return self.pdf

    # --- slides -------------------------------------------------------------

    def _slide(self, number: int, planned, title_size: float) -> None:
        layouts = self.plan.layouts
        canvas = PageCanvas(self.pdf, layouts.height, self.fonts, self.pictures)
        self.canvases.append((canvas, layouts.width))
        self.titles.append(planned.title)
        if isinstance(planned, TitleSlide):
            canvas.rect(0, 0, layouts.width, layouts.height, self.colors.background)
            self._title(canvas, planned.title, title_size, layouts.cover_title_box)
            subtitle = layouts.cover_subtitle_box
            canvas.rect(subtitle.x, subtitle.y - 0.02 * layouts.height, subtitle.width * 0.25, ACCENT_BAND, self.colors.accent)
            self._paragraphs(canvas, subtitle, (TextEntry((Run(planned.subtitle),)),), self.theme.sizes.subtitle, self.colors.muted)
            return
        look = planned.look  # a slide's own look (a Marp slide's directives) as the deck writer shows it
        layouts = look.layouts if look and look.layouts else layouts
        colour = look.color if look else None
        canvas.rect(0, 0, layouts.width, layouts.height, (look.background if look else None) or self.colors.background)
        if look:
            self._look(canvas, look, layouts)
        lead = planned.layout == "lead"
        self._title(canvas, planned.title, title_size, layouts.cover_title_box if lead else layouts.title_box, colour, lead)
        for frame in planned.frames:
            self._frame(canvas, frame, colour)
        footer, numbers = (look.footer, look.number) if look else (self.plan.footer, self.plan.numbers)
        if footer:  # the planner cut it to one line
            self._line_frame(canvas, layouts.footer_box, footer, FOOTER_SIZE, "middle", Ink(colour=colour or self.colors.muted))
        if numbers:
            self._line_frame(canvas, layouts.number_box, str(number), FOOTER_SIZE, "middle",
                             Ink(colour=colour or self.colors.muted), align="right")

    def _title(self, canvas: PageCanvas, title: str, size: float, box: Box, colour: str | None = None,
               centred: bool = False) -> None:
        self._line_frame(canvas, box, title, size, "middle", Ink(bold=True, colour=colour or self.colors.title),
                         align="center" if centred else "left")

    def _look(self, canvas: PageCanvas, look, layouts) -> None:
        """A slide's background pictures (each column filled or holding its picture whole) and header line."""
        if look.backdrop:
            box, pictures = look.backdrop.box, look.backdrop.pictures
            width = box.width / len(pictures)
            for index, (path, fit) in enumerate(pictures):
                self.figures.place(canvas, backdrop(path, fit), box.x + index * width, box.y, width, box.height)
        if look.header:
            self._line_frame(canvas, layouts.header_box, look.header, FOOTER_SIZE, "middle",
                             Ink(colour=look.color or self.colors.muted))

    def _line_frame(self, canvas: PageCanvas, box: Box, text: str, size: float, anchor: str, ink: Ink,
                    align: str = "left") -> None:
        """A title, footer, header, number or caption: its lines placed as a middle- or bottom-anchored
        text box places them."""
        runs = (Run(text, bold=ink.bold, italic=ink.italic),)
        lines = self._lines(runs, box.width - 2 * INSET, size, ink)
        spare = max(0.0, box.height - 2 * INSET - len(lines) * LINE_PITCH * size)
        top = box.y + INSET + (spare / 2 if anchor == "middle" else spare)
        self._draw_lines(canvas, lines, box.x + INSET, top, box.width - 2 * INSET, size, ink.colour, align)

    def _frame(self, canvas: PageCanvas, frame, colour: str | None) -> None:
        if isinstance(frame, TextFrame):
            self._paragraphs(canvas, frame.box, frame.entries, frame.size, colour or self.colors.text)
        elif isinstance(frame, CalloutFrame):
            self._callout(canvas, frame, colour)
        elif isinstance(frame, CaptionFrame):  # one line's box
            self._line_frame(canvas, frame.box, frame.text, frame.size, "bottom", Ink(italic=True, colour=self.colors.muted),
                             align="center")
        elif isinstance(frame, CodeFrame):
            self._code(canvas, frame)
        elif isinstance(frame, TableFrame):
            self._table(canvas, frame)
        elif isinstance(frame, PictureFrame):
            box = frame.box
            self.figures.place(canvas, picture(frame.path, frame.alt), box.x, box.y, box.width, box.height)
        else:
            self._diagram(canvas, frame)

    # --- text -----------------------------------------------------------------

    def _paragraphs(self, canvas: PageCanvas, box: Box, entries: tuple[TextEntry, ...], size: float, colour: str,
                    left: float = 0.0) -> None:
        """Entries as the deck sets them from the box's top: the marker hanging left of the text, space
        before each paragraph but the first, exact pitch; left is extra room on the left (a callout's bar)."""
        top = box.y + INSET
        for index, entry in enumerate(entries):
            entry_size = size * CODE_IN_TEXT if entry.role == "code" else size
            if index:
                top += PARAGRAPH_GAP * entry_size
            hanging = MARKER_WIDTH if entry.marker else 0
            indent = left + entry.level * LEVEL_INDENT
            width = box.width - 2 * INSET - left - entry.level * LEVEL_INDENT - hanging
            role_colour = {"subheading": self.colors.accent, "quote": self.colors.muted}.get(entry.role, colour)
            ink = Ink(bold=entry.role == "subheading", italic=entry.role == "quote", mono=entry.role == "code",
                      colour=role_colour)
            lines = self._lines(entry.runs, width, entry_size, ink)
            if entry.marker:
                marker = self._lines((Run(entry.marker),), float("inf"), entry_size, Ink(colour=role_colour))
                self._draw_lines(canvas, marker, box.x + INSET + indent, top, MARKER_WIDTH, entry_size, role_colour)
            self._draw_lines(canvas, lines, box.x + INSET + indent + hanging, top, width, entry_size, role_colour,
                             "center" if entry.centered else "left")
            top += len(lines) * LINE_PITCH * entry_size

    def _lines(self, runs: tuple[Run, ...], width: float, size: float, base: Ink) -> list[list[tuple[str, Ink, float]]]:
        """The runs broken into lines as the measure breaks them: each line its characters, with their ink
        and the room added after each where Hangul meets Latin (SCRIPT_GAP)."""
        chars: list[tuple[str, Ink, float]] = []
        text = "".join(run.text for run in runs)
        gaps = _widened(text)
        for run in runs:
            ink = Ink(bold=base.bold or run.bold, italic=base.italic or run.italic, mono=base.mono or run.code,
                      strike=run.strike, colour=self.colors.accent if (run.code and not base.mono) or
                      (run.link and not run.link.startswith("#")) else base.colour,
                      link=run.link if run.link and not run.link.startswith("#") else "")
            start = len(chars)
            chars.extend((char, ink, SCRIPT_GAP * size if start + offset in gaps else 0.0)
                         for offset, char in enumerate(run.text))
        lines: list[list[tuple[str, Ink, float]]] = []
        segment: list[tuple[str, Ink, float]] = []
        for item in [*chars, ("\n", base, 0.0)]:
            if item[0] != "\n":
                segment.append(item)
                continue
            limit = width
            for _ in range(BREAK_TRIES):  # a line the gaps the measure leaves out make too wide is broken narrower
                broken = self._broken(segment, limit, size)
                over = max(self._width(line, size) for line in broken) - width
                if over <= 0.01:
                    break
                limit -= over
            lines.extend(broken)
            segment = []
        return lines

    def _broken(self, segment: list[tuple[str, Ink, float]], width: float, size: float) -> list[list[tuple[str, Ink, float]]]:
        """A stretch of characters without hard breaks, in the lines the measure breaks it into."""
        spans = [Span(char, ink.bold and not ink.mono, ink.mono) for char, ink, _ in segment]
        lines, position = [], 0
        for number, line in enumerate(self.measure.wrap(_joined(spans), width, size)):
            if number:  # the spaces a break swallowed
                while position < len(segment) and segment[position][0] == " " and not line.startswith(" "):
                    position += 1
            lines.append(segment[position:position + len(line)])
            position += len(line)
        return lines

    def _width(self, line: list[tuple[str, Ink, float]], size: float) -> float:
        """How wide a line is drawn, points."""
        return sum(self.chains[(ink.bold, ink.mono)].glyph(char).advance * size + gap
                   for char, ink, gap in line if char not in INVISIBLE)

    def _draw_lines(self, canvas: PageCanvas, lines: list[list[tuple[str, Ink, float]]], x: float, top: float,
                    width: float, size: float, colour: str, align: str = "left") -> None:
        """Lines from top at the exact pitch, each baseline where CSS would put it (half the leading above)."""
        pitch = LINE_PITCH * size
        for line in lines:
            pieces, inks = self._pieces(line, colour)
            if not pieces:
                top += pitch
                continue
            face = self.chains[(False, inks[0].mono)].faces[0]
            baseline = top + (pitch - (face.ascent + face.descent) * size) / 2 + face.ascent * size
            length = sum(piece.width(size) for piece in pieces)
            start = x + {"left": 0.0, "center": (width - length) / 2, "right": width - length}[align]
            edges = canvas.text(start, baseline, size, pieces)
            for ink, piece, left, right in zip(inks, pieces, edges, edges[1:]):
                if ink.strike:
                    canvas.line(left, baseline - STRIKE_RISE * size, right, baseline - STRIKE_RISE * size, piece.colour,
                                DECORATION * size)
                if ink.link:
                    canvas.line(left, baseline + UNDERLINE_DROP * size, right, baseline + UNDERLINE_DROP * size,
                                piece.colour, DECORATION * size)
                    canvas.link(left, top, right, top + pitch, ink.link)
            top += pitch

    def _pieces(self, line: list[tuple[str, Ink, float]], colour: str) -> tuple[list[Piece], list[Ink]]:
        """A line's characters as pieces of one ink each (invisible characters left out)."""
        pieces: list[Piece] = []
        inks: list[Ink] = []
        glyphs, gaps = [], []
        for index, (char, ink, gap) in enumerate(line):
            if char not in INVISIBLE:
                glyphs.append(self.chains[(ink.bold, ink.mono)].glyph(char))
                gaps.append(gap)
            if glyphs and (index + 1 == len(line) or line[index + 1][1] != ink):
                pieces.append(Piece(tuple(glyphs), tuple(gaps), ink.colour or colour, ink.italic))
                inks.append(ink)
                glyphs, gaps = [], []
        return pieces, inks

    def _callout(self, canvas: PageCanvas, frame: CalloutFrame, colour: str | None) -> None:
        """A filled box with a bar down its left side, its text right of the bar."""
        style, box = frame.style, frame.box
        bar = style.border_width or 0.0
        canvas.rect(box.x, box.y, box.width, box.height, style.fill or self.colors.background)
        if style.border and bar:
            canvas.rect(box.x, box.y, bar, box.height, style.border)
        self._paragraphs(canvas, box, frame.entries, frame.size, style.color or colour or self.colors.text, left=bar)

    # --- visuals --------------------------------------------------------------

    def _code(self, canvas: PageCanvas, frame: CodeFrame) -> None:
        box, size = frame.box, frame.size
        canvas.rect(box.x + CODE_BORDER / 2, box.y + CODE_BORDER / 2, box.width - CODE_BORDER, box.height - CODE_BORDER,
                    self.colors.code_background, self.colors.code_border, CODE_BORDER)
        colours = token_colours(frame.language, self.theme.pygments_style, self.colors.text)
        lines = [[(char, Ink(mono=True, colour=colour), 0.0) for text, colour in code_line_pieces(line, colours, self.colors.muted)
                  for char in text.expandtabs(8)] for line in frame.lines]
        self._draw_lines(canvas, lines, box.x + CODE_BORDER + INSET, box.y + CODE_BORDER + INSET,
                         box.width - 2 * (CODE_BORDER + INSET), size, self.colors.text)

    def _table(self, canvas: PageCanvas, frame: TableFrame) -> None:
        """Rows filled as PowerPoint's default table style fills them, white rules between the cells, each
        cell's text centred on its row's middle."""
        box, size = frame.box, frame.size
        width = sum(frame.column_widths)
        top = box.y
        for index, (row, height) in enumerate(zip((frame.header, *frame.rows), frame.row_heights)):
            fill = (self.colors.table_header if index == 0 else
                    self.colors.table_stripe if index % 2 == 0 else self.colors.background)
            canvas.rect(box.x, top, width, height, fill)
            ink = Ink(bold=index == 0, colour=self.colors.table_header_text if index == 0 else self.colors.text)
            left = box.x
            for runs, column in zip(row, frame.column_widths):
                inner = column - TABLE_RULE - 2 * CELL_INSET
                lines = self._lines(runs, inner, size, ink)
                text_top = top + (height - len(lines) * LINE_PITCH * size) / 2
                self._draw_lines(canvas, lines, left + TABLE_RULE / 2 + CELL_INSET, text_top, inner, size, ink.colour)
                left += column
            top += height
        left = box.x
        for column in (0.0, *frame.column_widths):
            left += column
            canvas.line(left, box.y, left, top, "FFFFFF", TABLE_RULE)
        rule = box.y
        for height in (0.0, *frame.row_heights):
            rule += height
            canvas.line(box.x, rule, box.x + width, rule, "FFFFFF", TABLE_RULE)

    def _diagram(self, canvas: PageCanvas, frame: DiagramFrame) -> None:
        scene, box = frame.scene, frame.box
        svg = scene_to_svg(scene, self.theme.fonts.east_asian, frame.alt_text, scale=frame.scale)
        figure = drawing(svg, scene.width * frame.scale, scene.height * frame.scale, frame.alt_text)
        self.figures.place(canvas, figure, box.x, box.y, box.width, box.height)


def _joined(spans: list[Span]) -> list[Span]:
    """One span per stretch of characters of the same style."""
    joined: list[Span] = []
    for span in spans:
        if joined and (joined[-1].bold, joined[-1].mono) == (span.bold, span.mono):
            joined[-1] = Span(joined[-1].text + span.text, span.bold, span.mono)
        else:
            joined.append(span)
    return joined


def _script(char: str) -> str | None:
    """'H' for Hangul, 'L' for Latin-range letters, digits and punctuation, None for spaces and the rest
    (they take the script of the text before them)."""
    if "\uac00" <= char <= "\ud7a3" or "\u1100" <= char <= "\u11ff" or "\u3130" <= char <= "\u318f":
        return "H"
    return "L" if ord(char) < 0x2000 and not char.isspace() else None


def _widened(text: str) -> set[int]:
    """Where text is spaced as LibreOffice spaces it and the planner measured it: the indexes of the
    characters SCRIPT_GAP is added after where Hangul meets Latin letters, digits or punctuation (the
    space between them, or the last character before the turn where they touch, `CI에서`)."""
    marks: set[int] = set()
    script, strong_end = None, 0
    for index, char in enumerate(text):
        found = _script(char)
        if found and script and found != script:
            space = text.find(" ", strong_end, index)
            marks.add(space if space >= 0 else index - 1)
        if found:
            script, strong_end = found, index + 1
        elif char == "\n":
            script = None
    return marks


def build_slides_pdf(course_root: str, target: str, session_path: str = "", deck_path: str = "", scene_dir: str = "",
                     scene_salt: str = "") -> None:
    """The doit action: the slide PDF of a session's deck (or of the Marp deck at deck_path), planned as
    the deck task plans it, to target."""
    planned = (plan_deck(course_root, session_path, scene_dir, scene_salt) if session_path
               else plan_marp_deck(course_root, deck_path, scene_dir, scene_salt))
    drawing = SlidePdf(planned.plan, planned.theme)
    try:
        pdf = drawing.write(Path(course_root), planned.settings.organisation)
        write_atomically(Path(target), with_fonts(pdf))
    finally:
        drawing.figures.close()
