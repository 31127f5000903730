"""DeckPlan → .pptx: places each planned slide with python-pptx, at the planned sizes.

The writer makes no layout decisions of its own: positions and type sizes come
from the plan, colours and fonts from the theme. Every run names the Latin and
East-Asian fonts and carries `lang="ko-KR"` (or the course language), every
slide has a filled title, pictures carry alt text, and SVG images are stored
as SVG with a PNG fallback.
"""

from __future__ import annotations

import io
import zipfile
from functools import lru_cache
from pathlib import Path

from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.enum.shapes import MSO_SHAPE
from pptx.enum.text import MSO_ANCHOR, MSO_AUTO_SIZE, PP_ALIGN
from pptx.util import Pt

from .atomic import write_atomically
from .code_style import lexer_for, style_for
from .diagrams.to_pptx import SceneWriter
from .document import Run
from .images import svg_to_png
from .measure import LINE_PITCH
from .compose import ContentSlide
from .frames import (
    CELL_INSET,
    CODE_IN_TEXT,
    INSET,
    LEVEL_INDENT,
    MARKER_WIDTH,
    PARAGRAPH_GAP,
    WRAP_MARK,
    CaptionFrame,
    CodeFrame,
    DiagramFrame,
    PictureFrame,
    TableFrame,
    TextEntry,
    TextFrame,
)
from .layouts import Box
from .plan import DeckPlan, TitleSlide
from .pptx_xml import add_run, attach_svg, no_shadow, set_alt_text, set_paragraph_layout, xml_safe
from .theme import Theme
from .timestamps import source_date, zip_bytes

TITLE_LAYOUT = 0  # "Title Slide" in python-pptx's default template
TITLE_ONLY_LAYOUT = 5  # "Title Only"
LANGUAGE_TAGS = {"ko": "ko-KR", "en": "en-US"}
PNG_DPI = 200
MAX_PNG_WIDTH = 2400


class DeckWriter:
    """Writes one DeckPlan with one theme."""

    def __init__(self, plan: DeckPlan, theme: Theme, author: str = "") -> None:
        self.plan = plan
        self.theme = theme
        self.fonts = theme.fonts
        self.colors = theme.colors
        self.lang = LANGUAGE_TAGS.get(plan.language, plan.language)
        self.scenes = SceneWriter(theme.fonts.latin, theme.fonts.east_asian, self.lang)
        self.presentation = Presentation()
        self.presentation.slide_width = Pt(theme.slide.width * 72)
        self.presentation.slide_height = Pt(theme.slide.height * 72)
        self._set_properties(author)

    def _set_properties(self, author: str) -> None:
        properties = self.presentation.core_properties
        when = source_date()
        properties.title = xml_safe(self.plan.title)
        properties.author = author
        properties.last_modified_by = "deckbuild"
        properties.language = self.lang
        properties.created = when
        properties.modified = when
        properties.last_printed = when
        properties.revision = 1

    # --- the whole deck -------------------------------------------------

    def write(self, target: Path) -> None:
        """Write the deck to target atomically (a temporary file renamed into place)."""
        for planned, title_size in zip(self.plan.slides, self.plan.title_sizes):
            self._add_slide(planned, title_size)
        buffer = io.BytesIO()
        self.presentation.save(buffer)
        write_atomically(target, repack(buffer.getvalue()))

    def _add_slide(self, planned, title_size: float) -> None:
        layouts = self.plan.layouts
        if isinstance(planned, TitleSlide):
            slide = self.presentation.slides.add_slide(self.presentation.slide_layouts[TITLE_LAYOUT])
            self._title_slide(slide, planned, title_size)
        else:
            slide = self.presentation.slides.add_slide(self.presentation.slide_layouts[TITLE_ONLY_LAYOUT])
            self._set_title(slide, planned.title, title_size, layouts.title_box)
            for frame in planned.frames:
                self._frame_shape(slide, frame)
        if planned.notes:
            self._notes(slide, planned.notes)

    def _frame_shape(self, slide, frame) -> None:
        """Write one planned frame; each shape is named by what it holds (Text, Code, Table, …)."""
        if isinstance(frame, TextFrame):
            shape = self._text_box(slide, frame.box, frame.entries, frame.size)
        elif isinstance(frame, CodeFrame):
            shape = self._code(slide, frame)
        elif isinstance(frame, TableFrame):
            shape = self._table(slide, frame)
        elif isinstance(frame, PictureFrame):
            shape = self._image(slide, frame)
        elif isinstance(frame, CaptionFrame):
            shape = self._caption(slide, frame)
        else:
            shape = self.scenes.add(slide, frame.scene, frame.box.x, frame.box.y, frame.scale, frame.alt_text)
        shape.name = _SHAPE_NAMES[type(frame)] if not isinstance(frame, DiagramFrame) or frame.scene.chart is None else "Chart"

    # --- text primitives --------------------------------------------------

    def _run(self, paragraph, text: str, size: float, color: str, bold=False, italic=False, mono=False, strike=False):
        """Add one run with this theme's fonts (code font for mono) and the course language."""
        latin = self.fonts.mono if mono else self.fonts.latin
        east_asian = self.fonts.mono if mono else self.fonts.east_asian
        return add_run(paragraph, text, size, color, latin, east_asian, self.lang, bold, italic, strike)

    def _add_runs(self, paragraph, runs: tuple[Run, ...], size: float, color: str, role: str = "body") -> None:
        for item in runs:
            if item.text == "\n":
                paragraph.add_line_break()
                continue
            self._run(
                paragraph, item.text, size, self.colors.accent if item.code and role != "code" else color,
                bold=item.bold or role == "subheading", italic=item.italic or role == "quote",
                mono=item.code or role == "code", strike=item.strike,
            )
            if item.link and not item.link.startswith("#"):
                paragraph.runs[-1].hyperlink.address = item.link

    def _frame(self, shape, anchor=MSO_ANCHOR.TOP, inset: float = INSET):
        frame = shape.text_frame
        frame.word_wrap = True
        frame.auto_size = MSO_AUTO_SIZE.NONE
        frame.vertical_anchor = anchor
        frame.margin_left = frame.margin_right = frame.margin_top = frame.margin_bottom = Pt(inset)
        return frame

    def _set_title(self, slide, title: str, size: float, box: Box) -> None:
        shape = slide.shapes.title
        shape.left, shape.top, shape.width, shape.height = Pt(box.x), Pt(box.y), Pt(box.width), Pt(box.height)
        frame = self._frame(shape, MSO_ANCHOR.MIDDLE)
        paragraph = frame.paragraphs[0]
        paragraph.alignment = PP_ALIGN.LEFT
        set_paragraph_layout(paragraph, 0, 0, 0, LINE_PITCH * size)
        self._run(paragraph, title, size, self.colors.title, bold=True)

    def _title_slide(self, slide, planned: TitleSlide, title_size: float) -> None:
        layouts = self.plan.layouts
        box = layouts.cover_subtitle_box
        self._set_title(slide, planned.title, title_size, layouts.cover_title_box)
        subtitle = slide.placeholders[1]
        subtitle.left, subtitle.top, subtitle.width, subtitle.height = Pt(box.x), Pt(box.y), Pt(box.width), Pt(box.height)
        frame = self._frame(subtitle)
        paragraph = frame.paragraphs[0]
        paragraph.alignment = PP_ALIGN.LEFT
        set_paragraph_layout(paragraph, 0, 0, 0, LINE_PITCH * self.theme.sizes.subtitle)
        self._run(paragraph, planned.subtitle, self.theme.sizes.subtitle, self.colors.muted)
        band = slide.shapes.add_shape(MSO_SHAPE.RECTANGLE, Pt(box.x), Pt(box.y - 0.02 * layouts.height), Pt(box.width * 0.25), Pt(4))
        band.fill.solid()
        band.fill.fore_color.rgb = RGBColor.from_string(self.colors.accent)
        band.line.fill.background()
        no_shadow(band)

    def _text_box(self, slide, box: Box, entries: tuple[TextEntry, ...], size: float):
        shape = slide.shapes.add_textbox(Pt(box.x), Pt(box.y), Pt(box.width), Pt(box.height))
        frame = self._frame(shape)
        for index, entry in enumerate(entries):
            paragraph = frame.paragraphs[0] if index == 0 else frame.add_paragraph()
            entry_size = size * CODE_IN_TEXT if entry.role == "code" else size
            hanging = MARKER_WIDTH if entry.marker else 0
            number = int(entry.marker[:-1]) if entry.marker.endswith(".") and entry.marker[:-1].isdigit() else None
            set_paragraph_layout(
                paragraph, entry.level * LEVEL_INDENT + hanging, hanging, PARAGRAPH_GAP * entry_size,
                LINE_PITCH * entry_size, bullet=entry.marker if number is None else None, number=number,
            )
            if entry.centered:
                paragraph.alignment = PP_ALIGN.CENTER
            color = {"subheading": self.colors.accent, "quote": self.colors.muted}.get(entry.role, self.colors.text)
            self._add_runs(paragraph, entry.runs, entry_size, color, entry.role)
        return shape

    # --- code ---------------------------------------------------------------

    def _caption(self, slide, planned: CaptionFrame):
        box = planned.box
        caption = slide.shapes.add_textbox(Pt(box.x), Pt(box.y), Pt(box.width), Pt(box.height))
        paragraph = self._frame(caption, MSO_ANCHOR.BOTTOM).paragraphs[0]
        paragraph.alignment = PP_ALIGN.CENTER
        self._run(paragraph, planned.text, planned.size, self.colors.muted, italic=True)
        return caption

    def _code(self, slide, planned: CodeFrame):
        box = planned.box
        shape = slide.shapes.add_shape(MSO_SHAPE.RECTANGLE, Pt(box.x), Pt(box.y), Pt(box.width), Pt(box.height))
        shape.fill.solid()
        shape.fill.fore_color.rgb = RGBColor.from_string(self.colors.code_background)
        shape.line.color.rgb = RGBColor.from_string(self.colors.code_border)
        no_shadow(shape)
        frame = self._frame(shape)
        colours = _token_colours(planned.language, self.theme.pygments_style, self.colors.text)
        for index, line in enumerate(planned.lines):
            paragraph = frame.paragraphs[0] if index == 0 else frame.add_paragraph()
            paragraph.alignment = PP_ALIGN.LEFT
            set_paragraph_layout(paragraph, 0, 0, 0, LINE_PITCH * planned.size)
            pieces = [(WRAP_MARK, self.colors.muted)] if line.startswith(WRAP_MARK) else []
            body = line[len(WRAP_MARK):] if pieces else line
            pieces.extend(colours(body))
            for text, colour in pieces or [(" ", self.colors.text)]:
                self._run(paragraph, text, planned.size, colour, mono=True)
        return shape

    # --- tables -------------------------------------------------------------

    def _table(self, slide, planned: TableFrame):
        box = planned.box
        rows = [planned.header, *planned.rows]
        height = sum(planned.row_heights)
        frame = slide.shapes.add_table(len(rows), len(planned.column_widths), Pt(box.x), Pt(box.y), Pt(box.width), Pt(height))
        table = frame.table
        for index, width in enumerate(planned.column_widths):
            table.columns[index].width = Pt(width)
        for index, row_height in enumerate(planned.row_heights):
            table.rows[index].height = Pt(row_height)
        for row_index, row in enumerate(rows):
            for column, runs in enumerate(row):
                cell = table.cell(row_index, column)
                cell.margin_left = cell.margin_right = cell.margin_top = cell.margin_bottom = Pt(CELL_INSET)
                cell.vertical_anchor = MSO_ANCHOR.MIDDLE
                cell.fill.solid()
                header = row_index == 0
                fill = self.colors.table_header if header else (self.colors.table_stripe if row_index % 2 == 0 else self.colors.background)
                cell.fill.fore_color.rgb = RGBColor.from_string(fill)
                paragraph = cell.text_frame.paragraphs[0]
                set_paragraph_layout(paragraph, 0, 0, 0, LINE_PITCH * planned.size)
                colour = self.colors.table_header_text if header else self.colors.text
                cell_runs = runs if not header else tuple(Run(r.text, True, r.italic, r.code, r.strike) for r in runs)
                self._add_runs(paragraph, cell_runs or (Run(""),), planned.size, colour)
        return frame

    # --- pictures -----------------------------------------------------------

    def _image(self, slide, planned: PictureFrame):
        box = planned.box
        if planned.path.suffix.lower() == ".svg":
            svg = planned.path.read_bytes()
            width_px = min(MAX_PNG_WIDTH, int(box.width / 72 * PNG_DPI))
            png = svg_to_png(svg, width_px, self.fonts.east_asian)
            picture = slide.shapes.add_picture(io.BytesIO(png), Pt(box.x), Pt(box.y), Pt(box.width), Pt(box.height))
            attach_svg(picture, svg)
        else:
            picture = slide.shapes.add_picture(str(planned.path), Pt(box.x), Pt(box.y), Pt(box.width), Pt(box.height))
        set_alt_text(picture, planned.alt or planned.path.stem)
        return picture

    # --- notes --------------------------------------------------------------

    def _notes(self, slide, notes: str) -> None:
        frame = slide.notes_slide.notes_text_frame
        for index, line in enumerate(notes.split("\n")):
            paragraph = frame.paragraphs[0] if index == 0 else frame.add_paragraph()
            self._run(paragraph, line, self.theme.sizes.caption, self.colors.text)


_SHAPE_NAMES = {TextFrame: "Text", CodeFrame: "Code", TableFrame: "Table", PictureFrame: "Picture",
                DiagramFrame: "Diagram", CaptionFrame: "Caption"}


@lru_cache(maxsize=64)
def _token_colours(language: str, style_name: str, default: str):
    """A function colouring one code line: [(text, RGB hex)], neighbours of one colour merged."""
    lexer = lexer_for(language, stripnl=False, ensurenl=False)
    style = style_for(style_name)

    def colour(line: str) -> list[tuple[str, str]]:
        pieces: list[tuple[str, str]] = []
        for token_type, text in lexer.get_tokens(line):
            if not text:
                continue
            while not style.styles_token(token_type) and token_type.parent is not None:
                token_type = token_type.parent
            hex_colour = style.style_for_token(token_type).get("color") or default
            if pieces and pieces[-1][1] == hex_colour:
                pieces[-1] = (pieces[-1][0] + text, hex_colour)
            else:
                pieces.append((text, hex_colour))
        return pieces

    return colour


def repack(pptx: bytes) -> bytes:
    """The .pptx zip rewritten with fixed timestamps (python-pptx stamps entries with the current time)."""
    with zipfile.ZipFile(io.BytesIO(pptx)) as archive:
        return zip_bytes({info.filename: archive.read(info.filename) for info in archive.infolist()})


def write_deck(plan: DeckPlan, theme: Theme, target: Path, author: str = "") -> None:
    """Write plan as an editable .pptx at target."""
    DeckWriter(plan, theme, author).write(target)
