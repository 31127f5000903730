"""DeckPlan → slide PDF: one 16:9 page per slide, drawn by WeasyPrint from the plan the .pptx is written from.

Every frame becomes an absolutely positioned box at its planned place, with the
planned type size, insets, line pitch and paragraph gaps, so the page shows
what PowerPoint shows: text (in the theme's fonts, selectable, Korean kept
whole between words), code with its Pygments colours, tables with the planned
columns and rows, pictures, and diagrams and charts as vector SVG from their
Scene. The footer and the slide number sit in the master's footer band. Each
slide's title is a bookmark; the document carries the deck's title and
language, and WeasyPrint embeds each font as a subset.
"""

from __future__ import annotations

import io
from html import escape
from pathlib import Path

import pikepdf
from markupsafe import Markup

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
from .measure import LINE_PITCH, SCRIPT_GAP, Measurer, Span
from .pdf import Rendered
from .pdf_assembly import with_fonts
from .plan import DeckPlan, TitleSlide
from .templating import TEMPLATES, WORD_JOINER, templates
from .theme import Theme
from .timestamps import source_date

TABLE_RULE = 1.0  # the white rule between table cells, points (PowerPoint's default table style)
CODE_BORDER = 0.75  # the code box's outline, points (python-pptx's default line)
ACCENT_BAND = 4.0  # height of the cover's accent band, points


def _box_style(box: Box) -> str:
    return f"left:{box.x:.2f}pt;top:{box.y:.2f}pt;width:{box.width:.2f}pt;height:{box.height:.2f}pt"


class SlideHtml:
    """Writes one DeckPlan as an HTML document of absolutely positioned slide pages."""

    def __init__(self, plan: DeckPlan, theme: Theme) -> None:
        self.plan = plan
        self.theme = theme
        self.colors = theme.colors
        # the fonts' own widths (no safety margin), to know how many lines a title takes on the page
        self.measure = Measurer(theme.fonts.metrics_body, theme.fonts.metrics_mono, safety=1.0)

    def _line_frame(self, classes: str, box: Box, html: str, size: float, lines: int, anchor: str,
                    colour: str | None = None, attributes: str = "") -> str:
        """A text frame of lines lines, placed in box as a middle- or bottom-anchored text box places them
        (worked out here: a flex box to do it costs WeasyPrint a seventh of a deck's time)."""
        spare = max(0.0, box.height - 2 * INSET - lines * LINE_PITCH * size)
        top = INSET + (spare / 2 if anchor == "middle" else spare)
        colour_style = f";color:#{colour}" if colour else ""
        return (f'<div class="frame {classes}"{attributes} style="{_box_style(box)};padding-top:{top:.2f}pt;font-size:{size}pt;'
                f'line-height:{LINE_PITCH * size:.2f}pt{colour_style}"><p>{html}</p></div>')

    def document(self, author: str) -> str:
        pages = [self._slide(number, slide, size)
                 for number, (slide, size) in enumerate(zip(self.plan.slides, self.plan.title_sizes), start=1)]
        return templates().get_template("slides.html.j2").render(
            plan=self.plan, theme=self.theme, author=author, pages=pages, inset=INSET,
            script_gap=SCRIPT_GAP, code_border=CODE_BORDER, cell_inset=CELL_INSET, table_rule=TABLE_RULE, date=source_date().strftime("%Y-%m-%dT%H:%M:%SZ"))

    # --- slides -------------------------------------------------------------

    def _slide(self, number: int, planned, title_size: float) -> Markup:
        layouts = self.plan.layouts
        if isinstance(planned, TitleSlide):
            band = Box(layouts.cover_subtitle_box.x, layouts.cover_subtitle_box.y - 0.02 * layouts.height,
                       layouts.cover_subtitle_box.width * 0.25, ACCENT_BAND)
            parts = [self._title(planned.title, title_size, layouts.cover_title_box),
                     f'<div class="band" style="{_box_style(band)}"></div>',
                     self._text_box(layouts.cover_subtitle_box, (TextEntry((Run(planned.subtitle),)),),
                                    self.theme.sizes.subtitle, self.colors.muted)]
        else:  # a slide's own look (a Marp slide's directives) as the deck writer shows it
            look = planned.look
            layouts = look.layouts if look and look.layouts else layouts
            colour = look.color if look else None
            lead = planned.layout == "lead"
            parts = self._look(look, layouts) if look else []
            parts.append(self._title(planned.title, title_size, layouts.cover_title_box if lead else layouts.title_box,
                                     colour, lead))
            parts.extend(self._frame(frame, colour) for frame in planned.frames)
            footer, numbers = (look.footer, look.number) if look else (self.plan.footer, self.plan.numbers)
            parts.extend(self._footer(number, footer, numbers, layouts, colour))
            if look and look.background:
                return Markup(f'<section class="slide" style="background:#{look.background}">{"".join(parts)}</section>')
        return Markup(f'<section class="slide">{"".join(parts)}</section>')

    def _title(self, title: str, size: float, box: Box, colour: str | None = None, centred: bool = False) -> str:
        lines = len(self.measure.wrap([Span(title, bold=True)], box.width - 2 * INSET, size))
        return self._line_frame("title centred" if centred else "title", box, _spaced(title), size, lines, "middle",
                                colour, f' data-title="{escape(title)}"')

    def _look(self, look, layouts) -> list[str]:
        """A slide's background pictures (each column filled or holding its picture whole) and header line."""
        parts = []
        if look.backdrop:
            box, pictures = look.backdrop.box, look.backdrop.pictures
            width = box.width / len(pictures)
            for index, (path, fit) in enumerate(pictures):
                column = Box(box.x + index * width, box.y, width, box.height)
                parts.append(f'<div class="backdrop" role="img" aria-label="{escape(look.backdrop.alt, quote=True)}" '
                             f'style="{_box_style(column)};background-image:url({escape(path.resolve().as_uri(), quote=True)});'
                             f'background-size:{fit}"></div>')
        if look.header:
            parts.append(self._line_frame("footer", layouts.header_box, _spaced(look.header), FOOTER_SIZE, 1, "middle", look.color))
        return parts

    def _footer(self, number: int, footer: str, numbers: bool, layouts, colour: str | None) -> list[str]:
        parts = []
        if footer:  # the planner cut it to one line
            parts.append(self._line_frame("footer", layouts.footer_box, _spaced(footer), FOOTER_SIZE, 1, "middle", colour))
        if numbers:
            parts.append(self._line_frame("footer number", layouts.number_box, str(number), FOOTER_SIZE, 1, "middle", colour))
        return parts

    def _frame(self, frame, colour: str | None = None) -> str:
        if isinstance(frame, TextFrame):
            return self._text_box(frame.box, frame.entries, frame.size, colour or self.colors.text)
        if isinstance(frame, CalloutFrame):
            return self._callout(frame, colour)
        if isinstance(frame, CaptionFrame):
            return self._line_frame("caption", frame.box, _spaced(frame.text), frame.size, 1, "bottom")  # one line's box
        if isinstance(frame, CodeFrame):
            return self._code(frame)
        if isinstance(frame, TableFrame):
            return self._table(frame)
        if isinstance(frame, PictureFrame):
            return self._picture(frame)
        return self._diagram(frame)

    # --- text -----------------------------------------------------------------

    def _text_box(self, box: Box, entries: tuple[TextEntry, ...], size: float, colour: str) -> str:
        paragraphs = "".join(self._paragraph(entry, size) for entry in entries)
        return f'<div class="frame" style="{_box_style(box)};color:#{colour}">{paragraphs}</div>'

    def _paragraph(self, entry: TextEntry, size: float) -> str:
        """One entry as the deck sets it: the marker hanging left of the text, space before, exact pitch."""
        entry_size = size * CODE_IN_TEXT if entry.role == "code" else size
        hanging = MARKER_WIDTH if entry.marker else 0
        style = (f"font-size:{entry_size}pt;line-height:{LINE_PITCH * entry_size:.2f}pt;"
                 f"margin-top:{PARAGRAPH_GAP * entry_size:.2f}pt;padding-left:{entry.level * LEVEL_INDENT + hanging:.2f}pt")
        if entry.centered:
            style += ";text-align:center"
        colour = {"subheading": self.colors.accent, "quote": self.colors.muted}.get(entry.role)
        if colour:
            style += f";color:#{colour}"
        marker = (f'<span class="marker" style="margin-left:-{hanging}pt;width:{hanging}pt">{escape(entry.marker)}</span>'
                  if entry.marker else "")
        return f'<p class="{entry.role}" style="{style}">{marker}{self._runs(entry.runs, entry.role)}</p>'

    def _runs(self, runs: tuple[Run, ...], role: str = "body") -> str:
        """A paragraph's runs, spaced as one text (the scripts meet across runs as well)."""
        text = "".join(run.text for run in runs)
        marks = _widened(text)
        html, start = [], 0
        for run in runs:
            end = start + len(run.text)
            if run.text == "\n":
                html.append("<br>")
                start = end
                continue
            piece = _text_html(text, start, end, marks)
            start = end
            classes = [name for name, on in (("b", run.bold or role == "subheading"), ("i", run.italic or role == "quote"),
                                             ("s", run.strike), ("m", run.code or role == "code"),
                                             ("ic", run.code and role != "code")) if on]
            if classes:
                piece = f'<span class="{" ".join(classes)}">{piece}</span>'
            if run.link and not run.link.startswith("#"):
                piece = f'<a href="{escape(run.link, quote=True)}">{piece}</a>'
            html.append(piece)
        return "".join(html)

    def _callout(self, frame: CalloutFrame, colour: str | None) -> str:
        """A filled box with a bar down its left side, its text right of the bar."""
        style = frame.style
        bar = style.border_width or 0.0
        drawn = bar if style.border else 0.0  # a drawn bar is the box's left border, inside the box
        border = f";border-left:{bar}pt solid #{style.border}" if drawn else ""
        paragraphs = "".join(self._paragraph(entry, frame.size) for entry in frame.entries)
        return (f'<div class="frame" style="{_box_style(frame.box)};padding-left:{INSET + bar - drawn:.2f}pt;'
                f'background:#{style.fill or self.colors.background};color:#{style.color or colour or self.colors.text}'
                f'{border}">{paragraphs}</div>')

    # --- visuals --------------------------------------------------------------

    def _code(self, frame: CodeFrame) -> str:
        colours = token_colours(frame.language, self.theme.pygments_style, self.colors.text)
        lines = []
        for line in frame.lines:
            pieces = "".join(f'<span style="color:#{colour}">{escape(text)}</span>'
                             for text, colour in _spaces_joined(code_line_pieces(line, colours, self.colors.muted)))
            lines.append(f"<div>{pieces or ' '}</div>")
        return (f'<div class="frame code" style="{_box_style(frame.box)};font-size:{frame.size}pt;'
                f'line-height:{LINE_PITCH * frame.size:.2f}pt">{"".join(lines)}</div>')

    def _table(self, frame: TableFrame) -> str:
        columns = "".join(f'<col style="width:{width:.2f}pt">' for width in frame.column_widths)
        rows = []
        for index, (row, height) in enumerate(zip((frame.header, *frame.rows), frame.row_heights)):
            fill = (self.colors.table_header if index == 0 else
                    self.colors.table_stripe if index % 2 == 0 else self.colors.background)
            colour = self.colors.table_header_text if index == 0 else self.colors.text
            cells = "".join(f'<td class="{"b" if index == 0 else ""}">{self._runs(runs)}</td>' for runs in row)
            rows.append(f'<tr style="height:{height:.2f}pt;background:#{fill};color:#{colour}">{cells}</tr>')
        box = frame.box
        return (f'<table style="left:{box.x:.2f}pt;top:{box.y:.2f}pt;width:{sum(frame.column_widths):.2f}pt;'
                f'font-size:{frame.size}pt;line-height:{LINE_PITCH * frame.size:.2f}pt">{columns}{"".join(rows)}</table>')

    def _picture(self, frame: PictureFrame) -> str:
        return (f'<img class="picture" style="{_box_style(frame.box)}" src="{escape(frame.path.resolve().as_uri(), quote=True)}" '
                f'alt="{escape(frame.alt, quote=True)}">')

    def _diagram(self, frame: DiagramFrame) -> str:
        svg = scene_to_svg(frame.scene, self.theme.fonts.east_asian, frame.alt_text, scale=frame.scale)
        return f'<div class="diagram" style="{_box_style(frame.box)}">{svg}</div>'


def _spaces_joined(pieces: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Code pieces with each piece of only spaces joined to the piece after it (spaces have no colour):
    WeasyPrint draws no glyphs for a text box of spaces alone, and copied code would lose them."""
    joined: list[tuple[str, str]] = []
    for text, colour in reversed(pieces):
        if joined and not text.strip():
            joined[-1] = (text + joined[-1][0], joined[-1][1])
        else:
            joined.append((text, colour))
    return joined[::-1]


def _script(char: str) -> str | None:
    """'H' for Hangul, 'L' for Latin-range letters, digits and punctuation, None for spaces and the rest
    (they take the script of the text before them)."""
    if "\uac00" <= char <= "\ud7a3" or "\u1100" <= char <= "\u11ff" or "\u3130" <= char <= "\u318f":
        return "H"
    return "L" if ord(char) < 0x2000 and not char.isspace() else None


def _widened(text: str) -> dict[int, str]:
    """Where text is spaced as LibreOffice spaces it and the planner measured it (SCRIPT_GAP more where
    Hangul meets Latin letters, digits or punctuation): index → 'ws' for a space to widen, 'ls' for a
    character to widen after (where the scripts touch, `CI에서`)."""
    marks: dict[int, str] = {}
    script, strong_end = None, 0
    for index, char in enumerate(text):
        found = _script(char)
        if found and script and found != script:
            space = text.find(" ", strong_end, index)
            marks[space if space >= 0 else index - 1] = "ws" if space >= 0 else "ls"
        if found:
            script, strong_end = found, index + 1
        elif char == "\n":
            script = None
    return marks


def _text_html(text: str, start: int, end: int, marks: dict[int, str]) -> str:
    """text[start:end] as HTML: Korean words kept whole (a word joiner between syllables, see
    templating.keep_words, also where a run ends inside a word) and the widened spaces and characters
    as spans of their class. Widening stays inside one inline run of text, which WeasyPrint breaks into
    lines as the plain text (an empty box for each gap made it break lines early)."""
    html = []
    for index in range(start, end):
        char = text[index]
        if index and _script(text[index - 1]) == _script(char) == "H" and "\uac00" <= char <= "\ud7a3":
            html.append(WORD_JOINER)
        html.append(f'<span class="{marks[index]}">{escape(char)}</span>' if index in marks else escape(char))
    return "".join(html)


def _spaced(text: str) -> str:
    """One line of text (a title, the footer, a caption) as HTML, spaced as the deck shows it."""
    return _text_html(text, 0, len(text), _widened(text))


def slides_html(plan: DeckPlan, theme: Theme, author: str = "") -> str:
    """The deck as one HTML document, a page per slide."""
    return SlideHtml(plan, theme).document(author)


def build_slides_pdf(course_root: str, target: str, session_path: str = "", deck_path: str = "", scene_dir: str = "",
                     scene_salt: str = "") -> None:
    """The doit action: the slide PDF of a session's deck (or of the Marp deck at deck_path), planned as
    the deck task plans it, to target."""
    planned = (plan_deck(course_root, session_path, scene_dir, scene_salt) if session_path
               else plan_marp_deck(course_root, deck_path, scene_dir, scene_salt))
    html = slides_html(planned.plan, planned.theme, planned.settings.organisation)
    rendered = Rendered(html, TEMPLATES, Path(course_root), user_agent=TEMPLATES / "slides_ua.css")
    with pikepdf.open(io.BytesIO(rendered.pdf(outlines=False))) as pdf:  # cutting fonts with HarfBuzz is faster
        write_atomically(Path(target), with_fonts(pdf))
