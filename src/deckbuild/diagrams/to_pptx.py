"""Scene → one group of native PowerPoint shapes and glued connectors.

Each node becomes the autoshape matching its Mermaid shape, with its text in
the theme's fonts; each edge becomes a connector glued to its shapes' sides, so
moving a box in PowerPoint drags its arrows along. The whole scene is scaled
and placed into a box on the slide; type scales with it.
"""

from __future__ import annotations

from dataclasses import dataclass

from lxml import etree
from pptx.enum.shapes import MSO_CONNECTOR, MSO_SHAPE
from pptx.enum.text import MSO_ANCHOR, PP_ALIGN
from pptx.oxml.ns import qn
from pptx.util import Pt

from ..measure import LINE_PITCH
from ..pptx_xml import add_run, no_shadow, set_alt_text, set_fill, set_frame_layout, set_outline, set_paragraph_layout
from .chart_pptx import ChartWriter
from .connector_path import Preset, preset
from .scene import Scene, SceneConnector, SceneShape

AUTO_SHAPES = {
    "rect": MSO_SHAPE.RECTANGLE,
    "round": MSO_SHAPE.ROUNDED_RECTANGLE,
    "stadium": MSO_SHAPE.FLOWCHART_TERMINATOR,
    "subroutine": MSO_SHAPE.FLOWCHART_PREDEFINED_PROCESS,
    "cylinder": MSO_SHAPE.CAN,
    "circle": MSO_SHAPE.OVAL,
    "double_circle": MSO_SHAPE.OVAL,
    "rhombus": MSO_SHAPE.DIAMOND,
    "hexagon": MSO_SHAPE.HEXAGON,
    "parallelogram": MSO_SHAPE.PARALLELOGRAM,
    "parallelogram_alt": MSO_SHAPE.PARALLELOGRAM,
    "trapezoid": MSO_SHAPE.TRAPEZOID,
    "trapezoid_alt": MSO_SHAPE.TRAPEZOID,
    "asymmetric": MSO_SHAPE.PENTAGON,
    "start": MSO_SHAPE.OVAL,
    "end": MSO_SHAPE.OVAL,
    "fork": MSO_SHAPE.RECTANGLE,
    "join": MSO_SHAPE.RECTANGLE,
    "choice": MSO_SHAPE.DIAMOND,
    "note": MSO_SHAPE.FOLDED_CORNER,
    "frame": MSO_SHAPE.RECTANGLE,
    "lifeline_head": MSO_SHAPE.RECTANGLE,
    "actor": MSO_SHAPE.SMILEY_FACE,
    "activation": MSO_SHAPE.RECTANGLE,
    "block_label": MSO_SHAPE.SNIP_1_RECTANGLE,
    "cloud": MSO_SHAPE.CLOUD,
    "storage": MSO_SHAPE.CAN,
    "ring": MSO_SHAPE.DONUT,
    "cross_circle": MSO_SHAPE.FLOWCHART_SUMMING_JUNCTION,
}
FLIPPED_HORIZONTALLY = {"parallelogram_alt"}
FLIPPED_VERTICALLY = {"trapezoid_alt"}
# Connection-site index of each side, in PowerPoint's preset geometry order: four
# sites (top, left, bottom, right) for the rectangle family, eight for ellipses.
# Shapes whose sites do not sit at the middles of their sides are not glued.
BOX_SITES = {"top": 0, "left": 1, "bottom": 2, "right": 3}
ELLIPSE_SITES = {"top": 0, "left": 2, "bottom": 4, "right": 6}
SITES_BY_KIND = {kind: ELLIPSE_SITES for kind in ("circle", "double_circle", "start", "end")}
UNGLUED = {"hexagon", "parallelogram", "parallelogram_alt", "trapezoid", "trapezoid_alt", "asymmetric", "actor", "text",
           "cloud", "storage", "ring", "cross_circle"}  # LibreOffice numbers these presets' sites its own way
ARROW_ENDS = {"arrow": "triangle", "open": "none", "circle": "oval", "cross": "diamond", "async": "arrow", "none": "none",
              # UML ends; PowerPoint fills every line end, so hollow ones come out filled
              "triangle": "triangle", "diamond": "diamond", "diamond_open": "diamond", "vee": "arrow"}
# UML ends are drawn large so a diamond or triangle reads as one; every other end is medium
ARROW_SIZES = {"triangle": "lg", "diamond": "lg", "diamond_open": "lg", "vee": "lg"}
TEXT_INSET = 2.0
LEFT_TEXT_INSET = 6.0  # left-aligned rows start where the SVG writer starts them


@dataclass(frozen=True)
class _Placed:
    """A written shape and the scene kind it was drawn for (which decides its connection sites)."""

    shape: object
    kind_name: str


class SceneWriter:
    """Writes Scenes into slides with one theme's fonts and language."""

    def __init__(self, latin: str, east_asian: str, lang: str) -> None:
        self.latin = latin
        self.east_asian = east_asian
        self.lang = lang

    def add(self, slide, scene: Scene, x: float, y: float, scale: float, alt_text: str):
        """Add scene as a group at (x, y) points, scaled by scale; returns the group shape
        (for a chart scene, the native chart's graphic frame)."""
        if scene.chart is not None:
            frame = ChartWriter(self.latin, self.east_asian, self.lang).add(slide.shapes, scene, x, y, scale)
            set_alt_text(frame, alt_text)
            return frame
        group = slide.shapes.add_group_shape()
        # python-pptx refits the group after every added shape, which makes a
        # diagram quadratic to write; refit once at the end instead.
        group.shapes._recalculate_extents = lambda: None
        # and it finds each new shape's id by reading every id on the slide; nothing else adds
        # shapes to the slide while the group fills, so counting on from the largest is safe
        group.shapes.turbo_add_enabled = True
        placed = {}
        # bare texts (edge labels, titles) go above the lines, which would otherwise strike them through
        for shape in [s for s in scene.shapes if s.kind != "text"]:
            placed[shape.id] = _Placed(self._shape(group, shape, x, y, scale), shape.kind)
        for connector in scene.connectors:
            self._connector(group, connector, placed, x, y, scale)
        for shape in [s for s in scene.shapes if s.kind == "text"]:
            placed[shape.id] = _Placed(self._shape(group, shape, x, y, scale), shape.kind)
        _fit_group(group._element)
        set_alt_text(group, alt_text)
        return group

    def _shape(self, group, shape: SceneShape, ox: float, oy: float, scale: float):
        left, top = Pt(ox + shape.x * scale), Pt(oy + shape.y * scale)
        width, height = Pt(max(shape.width * scale, 1)), Pt(max(shape.height * scale, 1))
        if shape.kind == "text":
            autoshape = group.shapes.add_textbox(left, top, width, height)
        else:
            autoshape = group.shapes.add_shape(AUTO_SHAPES.get(shape.kind, MSO_SHAPE.RECTANGLE), left, top, width, height)
        if shape.kind in FLIPPED_HORIZONTALLY:
            autoshape._element.spPr.get_or_add_xfrm().set("flipH", "1")
        if shape.kind in FLIPPED_VERTICALLY:
            autoshape._element.spPr.get_or_add_xfrm().set("flipV", "1")
        self._paint(autoshape, shape, scale)
        if shape.text:
            self._text(autoshape, shape, scale)
        autoshape.name = f"{shape.kind} {shape.id}"
        return autoshape

    def _paint(self, autoshape, shape: SceneShape, scale: float) -> None:
        properties = autoshape._element.spPr
        set_fill(properties, shape.fill)
        outline = set_outline(properties, shape.stroke, Pt(max(shape.stroke_width * scale, 0.5)))
        if shape.stroke and shape.dashed:
            _set_dash(outline, "dash")
        if shape.stroke and shape.kind == "double_circle":
            outline.set("cmpd", "dbl")
        if shape.kind != "text":
            no_shadow(autoshape)

    def _text(self, autoshape, shape: SceneShape, scale: float) -> None:
        frame = autoshape.text_frame
        is_frame = shape.kind == "frame"
        left = Pt(LEFT_TEXT_INSET * scale) if shape.align == "left" else None
        set_frame_layout(frame, MSO_ANCHOR.TOP if is_frame else MSO_ANCHOR.MIDDLE, Pt(TEXT_INSET * scale), False, left)
        size = round(shape.font_size * scale * 2) / 2
        for index, line in enumerate(shape.text.split("\n")):
            paragraph = frame.paragraphs[0] if index == 0 else frame.add_paragraph()
            paragraph.alignment = PP_ALIGN.LEFT if is_frame or shape.align == "left" else PP_ALIGN.CENTER
            set_paragraph_layout(paragraph, 0, 0, 0, LINE_PITCH * size)
            add_run(paragraph, line or " ", size, shape.text_color.upper(), self.latin, self.east_asian, self.lang, bold=shape.bold)

    def _connector(self, group, connector: SceneConnector, placed: dict, ox: float, oy: float, scale: float) -> None:
        (x1, y1), (x2, y2) = connector.start, connector.end
        line_shape = group.shapes.add_connector(
            MSO_CONNECTOR.STRAIGHT, Pt(ox + x1 * scale), Pt(oy + y1 * scale), Pt(ox + x2 * scale), Pt(oy + y2 * scale)
        )
        _set_geometry(line_shape._element.spPr, preset(connector), ox, oy, scale)
        source, target = placed.get(connector.source), placed.get(connector.target)
        if source is not None and connector.source_site and source.kind_name not in UNGLUED:
            line_shape._connect_begin_to(source.shape, SITES_BY_KIND.get(source.kind_name, BOX_SITES)[connector.source_site])
        if target is not None and connector.target_site and target.kind_name not in UNGLUED:
            line_shape._connect_end_to(target.shape, SITES_BY_KIND.get(target.kind_name, BOX_SITES)[connector.target_site])
        ln = set_outline(line_shape._element.spPr, connector.color, Pt(max(connector.width * scale, 0.5)))
        if connector.dashed:
            _set_dash(ln, "dash")
        _set_end(ln, "a:headEnd", ARROW_ENDS.get(connector.tail, "none"), ARROW_SIZES.get(connector.tail, "med"))
        _set_end(ln, "a:tailEnd", ARROW_ENDS.get(connector.head, "triangle"), ARROW_SIZES.get(connector.head, "med"))


def _fit_group(group) -> None:
    """Size the group to the boxes its shapes cover. A connector turned a quarter (a route that
    starts with an upright leg) covers its box turned too; python-pptx's own refit reads every
    box unturned, which would make the group stick out past the diagram."""
    boxes = []
    for element in group.iter_shape_elms():
        x, y, width, height = element.x, element.y, element.cx, element.cy
        if round(element.rot) % 180 == 90:
            x, y, width, height = x + (width - height) // 2, y + (height - width) // 2, height, width
        boxes.append((x, y, x + width, y + height))
    if not boxes:
        return
    left, top = min(box[0] for box in boxes), min(box[1] for box in boxes)
    right, bottom = max(box[2] for box in boxes), max(box[3] for box in boxes)
    group.chOff.x = group.x = left
    group.chOff.y = group.y = top
    group.chExt.cx = group.cx = right - left
    group.chExt.cy = group.cy = bottom - top


# Rotations (in degrees, clockwise) and flips tried, in this order, to turn a preset's box axes onto the route's
_ORIENTATIONS = [(rotation, flip_h, flip_v) for rotation in (0, 90, 180, 270) for flip_h in (False, True)
                 for flip_v in (False, True)]
_TURNS = {0: ((1, 0), (0, 1)), 90: ((0, 1), (-1, 0)), 180: ((-1, 0), (0, -1)), 270: ((0, -1), (1, 0))}


def _set_geometry(spPr, shape: Preset, ox: float, oy: float, scale: float) -> None:
    """Write the preset, its adjust values and a box whose rotation and flips carry the preset's own
    x and y axes onto the route's, so PowerPoint draws the path connector_path describes."""
    geometry = spPr.find(qn("a:prstGeom"))
    geometry.set("prst", shape.name)
    for old in geometry.findall(qn("a:avLst")):
        geometry.remove(old)
    adjustments = etree.SubElement(geometry, qn("a:avLst"))
    for index, value in enumerate(shape.adjust, start=1):
        etree.SubElement(adjustments, qn("a:gd"), name=f"adj{index}", fmla=f"val {value}")
    for rotation, flip_h, flip_v in _ORIENTATIONS:
        turned_x, turned_y = _TURNS[rotation]
        x_axis = tuple((-1 if flip_h else 1) * v for v in turned_x)
        y_axis = tuple((-1 if flip_v else 1) * v for v in turned_y)
        if x_axis == shape.x_axis and y_axis == shape.y_axis:
            break
    centre = shape.to_scene((shape.width / 2, shape.height / 2))
    transform = spPr.find(qn("a:xfrm"))
    for name in ("rot", "flipH", "flipV"):
        transform.attrib.pop(name, None)
    if rotation:
        transform.set("rot", str(rotation * 60000))
    if flip_h:
        transform.set("flipH", "1")
    if flip_v:
        transform.set("flipV", "1")
    transform.find(qn("a:off")).set("x", str(Pt(ox + (centre[0] - shape.width / 2) * scale)))
    transform.find(qn("a:off")).set("y", str(Pt(oy + (centre[1] - shape.height / 2) * scale)))
    transform.find(qn("a:ext")).set("cx", str(Pt(shape.width * scale)))
    transform.find(qn("a:ext")).set("cy", str(Pt(shape.height * scale)))


def _set_dash(ln, value: str) -> None:
    for old in ln.findall(qn("a:prstDash")):
        ln.remove(old)
    dash = etree.Element(qn("a:prstDash"), val=value)
    successor = next((ln.find(qn(t)) for t in ("a:round", "a:bevel", "a:miter", "a:headEnd", "a:tailEnd") if ln.find(qn(t)) is not None), None)
    if successor is not None:
        successor.addprevious(dash)
    else:
        ln.append(dash)


def _set_end(ln, tag: str, kind: str, size: str = "med") -> None:
    """Arrowhead at one end of a line: a:headEnd is the start point, a:tailEnd the end point."""
    for old in ln.findall(qn(tag)):
        ln.remove(old)
    if kind == "none":
        return
    end = etree.Element(qn(tag), type=kind, w=size, len=size)
    if tag == "a:headEnd" and ln.find(qn("a:tailEnd")) is not None:
        ln.find(qn("a:tailEnd")).addprevious(end)
    else:
        ln.append(end)
