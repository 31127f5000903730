"""Scene → one group of native PowerPoint shapes and glued connectors.

Each node becomes the autoshape matching its Mermaid shape, with its text in
the theme's fonts; each edge becomes a connector glued to its shapes' sides, so
moving a box in PowerPoint drags its arrows along. The whole scene is scaled
and placed into a box on the slide; type scales with it.

The group's shapes are written as XML text and parsed in one go: building them
through python-pptx's properties, element by element, was half of a diagram's
time. They are the elements python-pptx's autoshapes, text boxes and connectors
would be, styled as before.
"""

from __future__ import annotations

from itertools import count

from pptx.oxml import parse_xml
from pptx.util import Pt

from ..measure import LINE_PITCH
from ..pptx_xml import (
    A_NAMESPACE, DEFAULT_INSETS, FLAT_STYLE, P_NAMESPACE, paragraph_start_xml, run_start_xml, set_alt_text,
    solid_fill_xml, xml_attribute, xml_text,
)
from .chart_pptx import ChartWriter
from .connector_path import Preset, preset
from .scene import Scene, SceneConnector, SceneShape

# The preset geometry drawing each scene kind (other kinds are rectangles)
AUTO_SHAPES = {
    "rect": "rect",
    "round": "roundRect",
    "stadium": "flowChartTerminator",
    "subroutine": "flowChartPredefinedProcess",
    "cylinder": "can",
    "circle": "ellipse",
    "double_circle": "ellipse",
    "rhombus": "diamond",
    "hexagon": "hexagon",
    "parallelogram": "parallelogram",
    "parallelogram_alt": "parallelogram",
    "trapezoid": "trapezoid",
    "trapezoid_alt": "trapezoid",
    "asymmetric": "homePlate",
    "start": "ellipse",
    "end": "ellipse",
    "fork": "rect",
    "join": "rect",
    "choice": "diamond",
    "note": "foldedCorner",
    "frame": "rect",
    "lifeline_head": "rect",
    "actor": "smileyFace",
    "activation": "rect",
    "block_label": "snip1Rect",
    "cloud": "cloud",
    "storage": "can",
    "cross_circle": "flowChartSummingJunction",
}
FLIPPED_HORIZONTALLY = {"parallelogram_alt"}
FLIPPED_VERTICALLY = {"trapezoid_alt"}

# Connection-site index of each side, in PowerPoint's preset geometry order: four
# sites (top, left, bottom, right) for the rectangle family and the can, eight for ellipses.
# LibreOffice 7.4 numbers these presets' sites the same way: the middles of its box's sides
# for the rectangle family and the can, the preset's own eight for an ellipse. Shapes whose
# sites do not sit at the middles of their sides, or that LibreOffice numbers its own way
# (the cloud, whose first site PowerPoint puts on the right), are not glued.
BOX_SITES = {"top": 0, "left": 1, "bottom": 2, "right": 3}
ELLIPSE_SITES = {"top": 0, "left": 2, "bottom": 4, "right": 6}
SITES_BY_KIND = {kind: ELLIPSE_SITES for kind in ("circle", "double_circle", "start", "end")}
UNGLUED = {"hexagon", "parallelogram", "parallelogram_alt", "trapezoid", "trapezoid_alt", "asymmetric", "actor", "text",
           "cloud", "cross_circle"}
ARROW_ENDS = {"arrow": "triangle", "open": "none", "circle": "oval", "cross": "diamond", "async": "arrow", "none": "none",
              # UML ends; PowerPoint fills every line end, so hollow ones come out filled
              "triangle": "triangle", "diamond": "diamond", "diamond_open": "diamond", "vee": "arrow"}
# UML ends are drawn large so a diamond or triangle reads as one; every other end is medium
ARROW_SIZES = {"triangle": "lg", "diamond": "lg", "diamond_open": "lg", "vee": "lg"}
TEXT_INSET = 2.0
LEFT_TEXT_INSET = 6.0  # left-aligned rows start where the SVG writer starts them


NAMESPACES = f'xmlns:a="{A_NAMESPACE}" xmlns:p="{P_NAMESPACE}"'
# The theme references python-pptx gives its connectors
CONNECTOR_STYLE = ('<p:style><a:lnRef idx="2"><a:schemeClr val="accent1"/></a:lnRef><a:fillRef idx="0"><a:schemeClr '
                   'val="accent1"/></a:fillRef><a:effectRef idx="1"><a:schemeClr val="accent1"/></a:effectRef><a:fontRef '
                   'idx="minor"><a:schemeClr val="tx1"/></a:fontRef></p:style>')
TEXT_BOX = ' txBox="1"'
# the text bodies of a text box and of an autoshape without text, as python-pptx makes them
EMPTY_TEXT_BOX = '<p:txBody><a:bodyPr wrap="none"><a:spAutoFit/></a:bodyPr><a:lstStyle/><a:p/></p:txBody>'
EMPTY_SHAPE_TEXT = '<p:txBody><a:bodyPr rtlCol="0" anchor="ctr"/><a:lstStyle/><a:p><a:pPr algn="ctr"/></a:p></p:txBody>'


def _emu(points: float) -> int:
    return int(Pt(points))


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
        ids = count(group.shape_id + 1)  # the group's id is the slide's highest
        written: dict[str, tuple[int, str]] = {}  # scene shape id → (shape id, kind)
        parts = []
        # bare texts (edge labels, titles) go above the lines, which would otherwise strike them through
        for shape in [s for s in scene.shapes if s.kind != "text"]:
            written[shape.id] = (next(ids), shape.kind)
            parts.append(self._shape(written[shape.id][0], shape, x, y, scale))
        for connector in scene.connectors:
            parts.append(self._connector(next(ids), connector, written, x, y, scale))
        for shape in [s for s in scene.shapes if s.kind == "text"]:
            parts.append(self._shape(next(ids), shape, x, y, scale))
        group._element.extend(parse_xml(f'<p:grpSp {NAMESPACES}>{"".join(parts)}</p:grpSp>'))
        _fit_group(group._element)
        set_alt_text(group, alt_text)
        return group

    def _shape(self, shape_id: int, shape: SceneShape, ox: float, oy: float, scale: float) -> str:
        """An autoshape (a text box for kind 'text') with its fill, outline and text."""
        is_text = shape.kind == "text"
        box = (f'<a:off x="{_emu(ox + shape.x * scale)}" y="{_emu(oy + shape.y * scale)}"/>'
               f'<a:ext cx="{_emu(max(shape.width * scale, 1))}" cy="{_emu(max(shape.height * scale, 1))}"/>')
        flip = ' flipH="1"' if shape.kind in FLIPPED_HORIZONTALLY else ' flipV="1"' if shape.kind in FLIPPED_VERTICALLY else ""
        geometry = "rect" if is_text else AUTO_SHAPES.get(shape.kind, "rect")
        fill = solid_fill_xml(shape.fill.upper()) if shape.fill else "<a:noFill/>"
        if shape.stroke:
            compound = ' cmpd="dbl"' if shape.kind == "double_circle" else ""
            dash = '<a:prstDash val="dash"/>' if shape.dashed else ""
            line = f'<a:ln w="{_emu(max(shape.stroke_width * scale, 0.5))}"{compound}>{solid_fill_xml(shape.stroke.upper())}{dash}</a:ln>'
        else:
            line = "<a:ln><a:noFill/></a:ln>"
        flat = "" if is_text else "<a:effectLst/>"
        text = self._text(shape, scale) if shape.text else EMPTY_TEXT_BOX if is_text else EMPTY_SHAPE_TEXT
        return (f'<p:sp><p:nvSpPr><p:cNvPr id="{shape_id}" name="{xml_attribute(f"{shape.kind} {shape.id}")}"/>'
                f'<p:cNvSpPr{TEXT_BOX if is_text else ""}/><p:nvPr/></p:nvSpPr><p:spPr><a:xfrm{flip}>{box}</a:xfrm>'
                f'<a:prstGeom prst="{geometry}"><a:avLst/></a:prstGeom>{fill}{line}{flat}</p:spPr>'
                f'{"" if is_text else FLAT_STYLE}{text}</p:sp>')

    def _text(self, shape: SceneShape, scale: float) -> str:
        """A shape's text body: unwrapped lines in the theme's fonts, centred, or left-aligned at
        the top of a frame."""
        is_frame = shape.kind == "frame"
        anchor = "t" if is_frame else "ctr"
        margins = "".join(f' {side}="{value}"' for side, value in _margins(shape, scale).items())
        margins = f'wrap="none"{margins}'
        body = (f'<a:bodyPr {margins} anchor="{anchor}">' if shape.kind == "text"
                else f'<a:bodyPr rtlCol="0" anchor="{anchor}" {margins}>')
        size = round(shape.font_size * scale * 2) / 2
        align = "l" if is_frame or shape.align == "left" else "ctr"
        paragraph = paragraph_start_xml(align, LINE_PITCH * size)
        run = run_start_xml(self.lang, size, shape.bold, shape.text_color.upper(), self.latin, self.east_asian)
        lines = "".join(f"{paragraph}{run}<a:t>{xml_text(line or ' ')}</a:t></a:r></a:p>" for line in shape.text.split("\n"))
        return f"<p:txBody>{body}<a:noAutofit/></a:bodyPr><a:lstStyle/>{lines}</p:txBody>"

    def _connector(self, shape_id: int, connector: SceneConnector, written: dict, ox: float, oy: float, scale: float) -> str:
        """A connector drawn as its route's preset, glued to the sites of the shapes it joins."""
        glue = ""
        for tag, end, site in (("stCxn", connector.source, connector.source_site),
                               ("endCxn", connector.target, connector.target_site)):
            if end in written and site and written[end][1] not in UNGLUED:
                end_id, kind = written[end]
                glue += f'<a:{tag} id="{end_id}" idx="{SITES_BY_KIND.get(kind, BOX_SITES)[site]}"/>'
        dash = '<a:prstDash val="dash"/>' if connector.dashed else ""
        ends = "".join(_line_end(tag, ARROW_ENDS.get(kind, default), ARROW_SIZES.get(kind, "med"))
                       for tag, kind, default in (("headEnd", connector.tail, "none"), ("tailEnd", connector.head, "triangle")))
        line = f'<a:ln w="{_emu(max(connector.width * scale, 0.5))}">{solid_fill_xml(connector.color.upper())}{dash}{ends}</a:ln>'
        return (f'<p:cxnSp><p:nvCxnSpPr><p:cNvPr id="{shape_id}" name="Connector {shape_id - 1}"/><p:cNvCxnSpPr>{glue}'
                f'</p:cNvCxnSpPr><p:nvPr/></p:nvCxnSpPr><p:spPr>{_geometry(preset(connector), ox, oy, scale)}{line}'
                f'</p:spPr>{CONNECTOR_STYLE}</p:cxnSp>')


def _margins(shape: SceneShape, scale: float) -> dict[str, int]:
    """A text body's margin attributes in the order python-pptx writes them: all four at the inset,
    then the left one again for left-aligned text; one set to its default is left out, and one
    written again after that goes last."""
    margins: dict[str, int] = {}

    def put(side: str, value: int) -> None:
        if value == DEFAULT_INSETS[side]:
            margins.pop(side, None)
        else:
            margins[side] = value

    for side in ("lIns", "rIns", "tIns", "bIns"):
        put(side, _emu(TEXT_INSET * scale))
    if shape.align == "left":
        put("lIns", _emu(LEFT_TEXT_INSET * scale))
    return margins


def _line_end(tag: str, kind: str, size: str) -> str:
    """An arrowhead at one end of a line: a:headEnd is the start point, a:tailEnd the end point."""
    return "" if kind == "none" else f'<a:{tag} type="{kind}" w="{size}" len="{size}"/>'


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


def _geometry(shape: Preset, ox: float, oy: float, scale: float) -> str:
    """The preset, its adjust values and a box whose rotation and flips carry the preset's own
    x and y axes onto the route's, so PowerPoint draws the path connector_path describes."""
    for rotation, flip_h, flip_v in _ORIENTATIONS:
        turned_x, turned_y = _TURNS[rotation]
        x_axis = tuple((-1 if flip_h else 1) * v for v in turned_x)
        y_axis = tuple((-1 if flip_v else 1) * v for v in turned_y)
        if x_axis == shape.x_axis and y_axis == shape.y_axis:
            break
    centre = shape.to_scene((shape.width / 2, shape.height / 2))
    turn = (f' rot="{rotation * 60000}"' if rotation else "") + (' flipH="1"' if flip_h else "") + (' flipV="1"' if flip_v else "")
    adjust = "".join(f'<a:gd name="adj{index}" fmla="val {value}"/>' for index, value in enumerate(shape.adjust, start=1))
    return (f'<a:xfrm{turn}><a:off x="{_emu(ox + (centre[0] - shape.width / 2) * scale)}" '
            f'y="{_emu(oy + (centre[1] - shape.height / 2) * scale)}"/><a:ext cx="{_emu(shape.width * scale)}" '
            f'cy="{_emu(shape.height * scale)}"/></a:xfrm><a:prstGeom prst="{shape.name}"><a:avLst>{adjust}</a:avLst></a:prstGeom>')
