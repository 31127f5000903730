"""DeckPlan → .pptx: places each planned slide with python-pptx, at the planned sizes.

The writer makes no layout decisions of its own: positions and type sizes come
from the plan, colours and fonts from the theme. Every run names the Latin and
East-Asian fonts and carries `lang="ko-KR"` (or the course language), every
slide has a filled title, pictures carry alt text, and SVG images are stored
as SVG with a PNG fallback.
"""

from __future__ import annotations

import copy
import io
from pathlib import Path

from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.enum.shapes import MSO_SHAPE, PP_PLACEHOLDER
from pptx.enum.text import MSO_ANCHOR, PP_ALIGN
from pptx.oxml.ns import qn
from pptx.util import Pt

from .files import write_atomically
from .code_style import token_colours
from .diagrams.to_pptx import SceneWriter
from .document import Run
from .images import image_size, side_by_side, svg_to_png
from .measure import LINE_PITCH
from .font_embedding import embed_in_entries, same_hangul
from .frames import (
    CELL_INSET,
    CODE_IN_TEXT,
    INSET,
    LEVEL_INDENT,
    MARKER_WIDTH,
    PARAGRAPH_GAP,
    BackdropFrame,
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
from .layouts import FOOTER_SIZE, Box, SlideLayouts
from .plan import DeckPlan, TitleSlide
from .master import MASTER_LAYOUTS, master_package
from .pptx_xml import (
    BlankSlides, add_code_box, add_run, add_slide_number, append_copies, attach_svg, hangul_pieces, no_shadow,
    package_entries, package_trees, place, set_alt_text, set_background_picture, set_frame_layout, set_name, set_paragraph_layout,
    set_table_grid, xml_safe,
)
from .template import DeckTemplate
from .theme import Theme
from .timestamps import source_date, zip_bytes

TITLE_KINDS = (PP_PLACEHOLDER.TITLE, PP_PLACEHOLDER.CENTER_TITLE)
BODY_FONTS = ("+mn-lt", "+mn-ea")  # the theme's minor fonts: a theme change restyles the text
TITLE_FONTS = ("+mj-lt", "+mj-ea")  # the theme's major fonts
LANGUAGE_TAGS = {"ko": "ko-KR", "en": "en-US"}
PNG_DPI = 200
MAX_PNG_WIDTH = 2400


class DeckWriter:
    """Writes one DeckPlan with one theme."""

    def __init__(self, plan: DeckPlan, theme: Theme, author: str = "", template: DeckTemplate | None = None) -> None:
        self.plan = plan
        self.theme = theme
        self.fonts = theme.fonts
        self.colors = theme.colors
        self.lang = LANGUAGE_TAGS.get(plan.language, plan.language)
        self.scenes = SceneWriter(theme.fonts.latin, theme.fonts.east_asian, self.lang)
        # Code's Hangul is set in the body's East Asian face when the code face draws it with the same
        # glyphs (font_embedding.same_hangul): the deck looks the same, the body face it embeds has every
        # syllable, and the code face's cut then differs little from deck to deck (it is made once).
        self.code_hangul = theme.fonts.east_asian if same_hangul(theme.fonts.mono, theme.fonts.east_asian) else ""
        package = template.package if template else master_package(theme, plan.layouts)
        self.presentation = Presentation(io.BytesIO(package))
        by_name = {layout.name: layout for layout in self.presentation.slide_layouts}
        names = template.layout_names if template else {name: name for name in by_name}
        self.master_layouts = {ours: by_name[theirs] for ours, theirs in names.items()}
        self.own_master = template is None  # on a school's master, sizes are stated: its own are not the ones the plan measured
        self.blanks = BlankSlides()
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
        entries = package_entries(self.presentation)
        if self.fonts.embed:  # the fonts travel with the deck (font_embedding.py)
            embed_in_entries(entries, [self.fonts.latin, self.fonts.east_asian], code_families=[self.fonts.mono],
                             trees=package_trees(self.presentation))
        write_atomically(target, zip_bytes(entries))

    def _add_slide(self, planned, title_size: float) -> None:
        """A slide on the master layout its composer layout maps to: title and body text in the
        layout's placeholders, visuals as shapes, then the footer and slide number (and what a
        slide's own look adds: background, colours, header)."""
        layout = self.master_layouts[master_layout(planned)]
        new = self.blanks.add_slide(self.presentation, layout)
        slide = new.slide
        free = [placeholder for kind, placeholder in new.placeholders if kind not in TITLE_KINDS]
        look = getattr(planned, "look", None)
        color = look.color if look else None
        layouts = look.layouts if look and look.layouts else self.plan.layouts
        if isinstance(planned, TitleSlide):
            self._title_slide(slide, new.title, planned, title_size, free)
        else:
            lead = planned.layout == "lead"
            title_box = layouts.cover_title_box if lead else layouts.title_box
            self._set_title(new.title, planned.title, title_size, title_box, color, PP_ALIGN.CENTER if lead else PP_ALIGN.LEFT)
            if look:
                self._look(slide, look)
            for frame in planned.frames:
                self._frame_shape(slide, frame, free, color)
        for placeholder in free:  # a placeholder left empty would show its prompt in PowerPoint
            placeholder._element.getparent().remove(placeholder._element)
        if look:
            self._footer(slide, layout, look.footer, look.number, layouts, color)
        elif not isinstance(planned, TitleSlide):
            self._footer(slide, layout, self.plan.footer, self.plan.numbers)
        if planned.notes:
            self._notes(slide, planned.notes)

    def _look(self, slide, look) -> None:
        """A slide's own background colour, background picture and header line."""
        if look.background:
            slide.background.fill.solid()
            slide.background.fill.fore_color.rgb = RGBColor.from_string(look.background)
        if look.backdrop:
            self._backdrop(slide, look.backdrop)
        if look.header:
            box = (look.layouts or self.plan.layouts).header_box
            shape = slide.shapes.add_textbox(Pt(box.x), Pt(box.y), Pt(box.width), Pt(box.height))
            shape.name = "Header"
            paragraph = self._frame(shape, MSO_ANCHOR.MIDDLE).paragraphs[0]
            set_paragraph_layout(paragraph, 0, 0, 0, LINE_PITCH * FOOTER_SIZE)
            self._run(paragraph, look.header, FOOTER_SIZE, look.color or self.colors.muted)

    def _backdrop(self, slide, backdrop: BackdropFrame) -> None:
        """`![bg]` pictures: the slide's background fill (cut to cover the slide, or whole inside it),
        or a picture filling one side of a split slide. Several become one picture of them side by
        side (a background fill holds one)."""
        box = backdrop.box
        if len(backdrop.pictures) > 1:
            width = min(MAX_PNG_WIDTH, int(box.width / 72 * PNG_DPI))
            height = int(width * box.height / box.width)
            source, svg, fit = io.BytesIO(side_by_side(backdrop.pictures, width, height, self.fonts.east_asian)), None, "cover"
        else:
            ((path, fit),) = backdrop.pictures
            source, svg = self._picture_source(path, box.width), path.read_bytes() if path.suffix.lower() == ".svg" else None
            width, height = image_size(path)
        if backdrop.whole:
            _, relationship = slide.part.get_or_add_image_part(source)
            set_background_picture(slide, relationship, _crop(width / height, box.width / box.height, fit))
            return
        if fit == "contain":
            scale = min(box.width / width, box.height / height)
            box = box.centred(width * scale, height * scale)
        picture = slide.shapes.add_picture(source, Pt(box.x), Pt(box.y), Pt(box.width), Pt(box.height))
        if fit != "contain":
            picture.crop_left, picture.crop_top, picture.crop_right, picture.crop_bottom = _crop(
                width / height, box.width / box.height, "cover")
        if svg:
            attach_svg(picture, svg)
        picture.name = "Background picture"
        set_alt_text(picture, backdrop.alt)

    def _picture_source(self, path: Path, width: float):
        """What python-pptx takes for a picture: the file, or for an SVG a PNG rendering width points wide."""
        if path.suffix.lower() != ".svg":
            return str(path)
        return io.BytesIO(svg_to_png(path.read_bytes(), min(MAX_PNG_WIDTH, int(width / 72 * PNG_DPI)), self.fonts.east_asian))

    def _frame_shape(self, slide, frame, free: list, color: str | None = None) -> None:
        """Write one planned frame: body text into a free body placeholder, a caption into a caption
        placeholder, anything else as a shape named by what it holds (Text, Code, Table, …); color
        is the slide's own text colour, if it has one."""
        if isinstance(frame, TextFrame):
            holder = _take(free, caption=False)
            shape = self._text_box(slide, frame.box, frame.entries, frame.size, holder, color)
        elif isinstance(frame, CalloutFrame):
            shape = self._callout(slide, frame, color)
        elif isinstance(frame, CaptionFrame):
            shape = self._caption(slide, frame, _take(free, caption=True))
        elif isinstance(frame, CodeFrame):
            shape = self._code(slide, frame)
        elif isinstance(frame, TableFrame):
            shape = self._table(slide, frame)
        elif isinstance(frame, PictureFrame):
            shape = self._image(slide, frame)
        else:
            shape = self.scenes.add(slide, frame.scene, frame.box.x, frame.box.y, frame.scale, frame.alt_text)
        set_name(shape, _SHAPE_NAMES[type(frame)] if not isinstance(frame, DiagramFrame) or frame.scene.chart is None else "Chart")

    def _footer(self, slide, layout, footer: str, numbers: bool, layouts: SlideLayouts | None = None,
                color: str | None = None) -> None:
        """The footer text and the slide number (a field PowerPoint keeps up to date), from the
        layout's own footer placeholders, so the master places and styles them (moved into
        layouts' boxes when the slide has its own, coloured when it has its own text colour).
        Written once per layout and look in a process, then copied with the slide's number."""
        number = len(self.presentation.slides)
        kept = (self.blanks.layout_key(layout), footer, numbers, layouts, color, self.own_master, self.lang)
        if kept in _KEPT_FOOTERS:
            for copied in append_copies(slide, _KEPT_FOOTERS[kept]):
                for field in copied.iterfind(_SLIDE_NUMBER_TEXT):
                    field.text = str(number)
            return
        tree = slide.shapes._spTree
        written = len(tree)
        wanted = {PP_PLACEHOLDER.FOOTER: footer, PP_PLACEHOLDER.SLIDE_NUMBER: numbers}
        for placeholder in layout.placeholders:
            kind = placeholder.placeholder_format.type
            if not wanted.get(kind):
                continue
            slide.shapes.clone_placeholder(placeholder)
            shape = slide.shapes[-1]
            if layouts is not None:
                _place(shape, layouts.footer_box if kind == PP_PLACEHOLDER.FOOTER else layouts.number_box)
            paragraph = self._frame(shape, MSO_ANCHOR.MIDDLE).paragraphs[0]
            if kind == PP_PLACEHOLDER.FOOTER:  # on a school's master at the size the plan fitted it to
                add_run(paragraph, footer, None if self.own_master else FOOTER_SIZE, color, *BODY_FONTS, self.lang)
            else:
                add_slide_number(paragraph, number, self.lang, color)
        if len(_KEPT_FOOTERS) < KEPT_FOOTERS:
            _KEPT_FOOTERS[kept] = [copy.deepcopy(element) for element in tree[written:]]

    # --- text primitives --------------------------------------------------

    def _run(self, paragraph, text: str, size: float | None, color: str | None, bold=False, italic=False, mono=False,
             strike=False, fonts: tuple[str, str] = BODY_FONTS) -> list:
        """Add text as a run in the theme's fonts (or the code font) and the course language, and return
        its a:r elements: code's Hangul goes in runs of its own (see code_hangul). A size or colour of
        None is left to the master."""
        if not mono:
            return [add_run(paragraph, text, size, color, *fonts, self.lang, bold, italic, strike)]
        runs = []
        for piece, hangul in hangul_pieces(text) if self.code_hangul else [(text, False)]:
            face = self.code_hangul if hangul else self.fonts.mono
            runs.append(add_run(paragraph, piece, size, color, face, face, self.lang, bold, italic, strike))
        return runs

    def _add_runs(self, paragraph, runs: tuple[Run, ...], size: float | None, color: str | None, role: str = "body") -> None:
        for item in runs:
            if item.text == "\n":
                paragraph.add_line_break()
                continue
            added = len(self._run(
                paragraph, item.text, size, self.colors.accent if item.code and role != "code" else color,
                bold=item.bold or role == "subheading", italic=item.italic or role == "quote",
                mono=item.code or role == "code", strike=item.strike,
            ))  # a count, not the runs: python-pptx's proxies for them are made on asking (paragraph.runs)
            if item.link and not item.link.startswith("#"):
                for run in paragraph.runs[-added:]:
                    run.hyperlink.address = item.link

    def _frame(self, shape, anchor=MSO_ANCHOR.TOP, inset: float = INSET):
        """shape's text frame, wrapping inside its box, anchored and inset."""
        frame = shape.text_frame
        set_frame_layout(frame, anchor, Pt(inset))
        return frame

    def _set_title(self, shape, title: str, size: float, box: Box, color: str | None = None, align=PP_ALIGN.LEFT) -> None:
        """The title in the title placeholder shape, styled by the master (the size only when shrunk, the
        colour only when the slide has its own)."""
        _place(shape, box)
        frame = self._frame(shape, MSO_ANCHOR.MIDDLE)
        paragraph = frame.paragraphs[0]
        paragraph.alignment = align
        set_paragraph_layout(paragraph, 0, 0, 0, LINE_PITCH * size)
        own_size = None if self.own_master and size == self.theme.sizes.title else size
        self._run(paragraph, title, own_size, color, bold=True, fonts=TITLE_FONTS)

    def _title_slide(self, slide, title, planned: TitleSlide, title_size: float, free: list) -> None:
        """The cover: the title, the subtitle in the layout's subtitle placeholder (or a text box),
        and on our own master an accent band between them."""
        layouts = self.plan.layouts
        box = layouts.cover_subtitle_box
        self._set_title(title, planned.title, title_size, layouts.cover_title_box)
        subtitle = free.pop(0) if free else slide.shapes.add_textbox(Pt(box.x), Pt(box.y), Pt(box.width), Pt(box.height))
        _place(subtitle, box)
        frame = self._frame(subtitle)
        paragraph = frame.paragraphs[0]
        set_paragraph_layout(paragraph, 0, 0, 0, LINE_PITCH * self.theme.sizes.subtitle, align="l")
        self._run(paragraph, planned.subtitle, self.theme.sizes.subtitle, self.colors.muted)
        if not self.own_master:  # a school's template brings its own decoration
            return
        band = slide.shapes.add_shape(MSO_SHAPE.RECTANGLE, Pt(box.x), Pt(box.y - 0.02 * layouts.height), Pt(box.width * 0.25), Pt(4))
        band.fill.solid()
        band.fill.fore_color.rgb = RGBColor.from_string(self.colors.accent)
        band.line.fill.background()
        no_shadow(band)

    def _text_box(self, slide, box: Box, entries: tuple[TextEntry, ...], size: float, placeholder=None, color: str | None = None):
        """Text at box: in the body placeholder when there is one (the master's size and colour are
        inherited where the plan keeps them), else in a text box that states them; color, the
        slide's own text colour, is stated everywhere."""
        shape = placeholder if placeholder is not None else slide.shapes.add_textbox(Pt(box.x), Pt(box.y), Pt(box.width), Pt(box.height))
        _place(shape, box)
        self._entries(self._frame(shape), entries, size, placeholder is not None, color)
        return shape

    def _callout(self, slide, planned: CalloutFrame, color: str | None):
        """A callout: a filled box holding its text right of a bar down its left side (the bar a
        shape of its own, drawn over the box)."""
        box, style = planned.box, planned.style
        shape = slide.shapes.add_shape(MSO_SHAPE.RECTANGLE, Pt(box.x), Pt(box.y), Pt(box.width), Pt(box.height))
        shape.fill.solid()
        shape.fill.fore_color.rgb = RGBColor.from_string(style.fill or self.colors.background)
        shape.line.fill.background()
        no_shadow(shape)
        frame = self._frame(shape)
        frame.margin_left = Pt(INSET + (style.border_width or 0))
        self._entries(frame, planned.entries, planned.size, False, style.color or color)
        if style.border and style.border_width:
            bar = slide.shapes.add_shape(MSO_SHAPE.RECTANGLE, Pt(box.x), Pt(box.y), Pt(style.border_width), Pt(box.height))
            bar.fill.solid()
            bar.fill.fore_color.rgb = RGBColor.from_string(style.border)
            bar.line.fill.background()
            bar.name = "Callout bar"
            no_shadow(bar)
        return shape

    def _entries(self, frame, entries: tuple[TextEntry, ...], size: float, in_placeholder: bool, own_color: str | None) -> None:
        """Paragraphs of entries in a text frame, as the planner measured them."""
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
            color = own_color or {"subheading": self.colors.accent, "quote": self.colors.muted}.get(entry.role)
            if color is None and not in_placeholder:
                color = self.colors.text
            own_size = None if in_placeholder and self.own_master and entry_size == self.theme.sizes.body else entry_size
            self._add_runs(paragraph, entry.runs, own_size, color, entry.role)

    # --- code ---------------------------------------------------------------

    def _caption(self, slide, planned: CaptionFrame, placeholder=None):
        """A muted caption line, in the layout's caption placeholder when it has one."""
        box = planned.box
        caption = placeholder if placeholder is not None else slide.shapes.add_textbox(Pt(box.x), Pt(box.y), Pt(box.width), Pt(box.height))
        _place(caption, box)
        paragraph = self._frame(caption, MSO_ANCHOR.BOTTOM).paragraphs[0]
        set_paragraph_layout(paragraph, 0, 0, 0, LINE_PITCH * planned.size)
        paragraph.alignment = PP_ALIGN.CENTER
        self._run(paragraph, planned.text, planned.size, self.colors.muted, italic=True)
        return caption

    def _code(self, slide, planned: CodeFrame):
        """Code in a filled box, one paragraph per planned line, its tokens coloured."""
        box = planned.box
        colours = token_colours(planned.language, self.theme.pygments_style, self.colors.text)
        lines = [code_line_pieces(line, colours, self.colors.muted) or [(" ", self.colors.text)] for line in planned.lines]
        return add_code_box(slide, (Pt(box.x), Pt(box.y), Pt(box.width), Pt(box.height)), _SHAPE_NAMES[CodeFrame],
                            self.colors.code_background.upper(), self.colors.code_border.upper(), Pt(INSET), lines,
                            planned.size, LINE_PITCH * planned.size, self.fonts.mono, self.lang, self.code_hangul)

    # --- tables -------------------------------------------------------------

    def _table(self, slide, planned: TableFrame):
        box = planned.box
        rows = [planned.header, *planned.rows]
        height = sum(planned.row_heights)
        frame = slide.shapes.add_table(len(rows), len(planned.column_widths), Pt(box.x), Pt(box.y), Pt(box.width), Pt(height))
        table = frame.table
        set_table_grid(frame, [Pt(width) for width in planned.column_widths], [Pt(row_height) for row_height in planned.row_heights])
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
        source = self._picture_source(planned.path, box.width)
        picture = slide.shapes.add_picture(source, Pt(box.x), Pt(box.y), Pt(box.width), Pt(box.height))
        if planned.path.suffix.lower() == ".svg":
            attach_svg(picture, planned.path.read_bytes())
        set_alt_text(picture, planned.alt)
        return picture

    # --- notes --------------------------------------------------------------

    def _notes(self, slide, notes: str) -> None:
        frame = self.blanks.notes_text_frame(slide)
        for index, line in enumerate(notes.split("\n")):
            paragraph = frame.paragraphs[0] if index == 0 else frame.add_paragraph()
            self._run(paragraph, line, self.theme.sizes.caption, self.colors.text)


KEPT_FOOTERS = 64
# (layout, footer, look, master, language) → the footer shapes as first written on it, copied since
_KEPT_FOOTERS: dict[tuple, list] = {}
_SLIDE_NUMBER_TEXT = f".//{qn('a:fld')}[@type='slidenum']/{qn('a:t')}"


def master_layout(planned) -> str:
    """The name of the master layout a planned slide is placed on."""
    if planned.layout == "visual" and any(isinstance(frame, CaptionFrame) for frame in planned.frames):
        return MASTER_LAYOUTS["visual_captioned"]
    return MASTER_LAYOUTS[planned.layout]


def _take(free: list, caption: bool):
    """The first free placeholder for body text (a content one) or a caption (a text one), removed from free."""
    for placeholder in free:
        is_caption = placeholder.placeholder_format.type == PP_PLACEHOLDER.BODY
        if is_caption == caption:
            free.remove(placeholder)
            return placeholder
    return None


def _place(shape, box: Box) -> None:
    place(shape, Pt(box.x), Pt(box.y), Pt(box.width), Pt(box.height))


_SHAPE_NAMES = {TextFrame: "Text", CodeFrame: "Code", TableFrame: "Table", PictureFrame: "Picture",
                DiagramFrame: "Diagram", CaptionFrame: "Caption", CalloutFrame: "Callout"}


def _crop(picture_aspect: float, box_aspect: float, fit: str) -> tuple[float, float, float, float]:
    """(left, top, right, bottom) shares of a picture cut away so it covers a box of box_aspect
    ("cover"), or, negative, the room left around it when it is shown whole ("contain")."""
    if picture_aspect > box_aspect:  # wider than the box: cut (or pad) the sides
        share = (1 - box_aspect / picture_aspect) / 2
        sides = (share, 0.0, share, 0.0)
    else:
        share = (1 - picture_aspect / box_aspect) / 2
        sides = (0.0, share, 0.0, share)
    return sides if fit == "cover" else tuple(-side for side in sides)




def write_deck(plan: DeckPlan, theme: Theme, target: Path, author: str = "", template: DeckTemplate | None = None) -> None:
    """Write plan as an editable .pptx at target, on our master or on the course's template."""
    DeckWriter(plan, theme, author, template).write(target)
