"""Scene → SVG with plain `<text>` (no foreignObject), for handouts and previews.

The same Scene the deck writer uses, drawn with the same colours and the
theme's fonts, so a handout shows the picture the slide shows.
"""

from __future__ import annotations

from xml.sax.saxutils import escape, quoteattr

from ..measure import LINE_PITCH
from .chart_svg import chart_svg
from .connector_path import path_pieces
from .scene import Scene, SceneConnector, SceneShape

ARROW_MARKERS = {"arrow": "arrow", "async": "arrow", "cross": "cross", "circle": "circle",
                 "triangle": "triangle", "diamond": "diamond", "diamond_open": "diamond_open", "vee": "vee"}


def _path(shape: SceneShape) -> str:
    """SVG geometry for a shape kind, inside its box."""
    x, y, w, h = shape.x, shape.y, shape.width, shape.height
    right, bottom, cx, cy = x + w, y + h, x + w / 2, y + h / 2
    kind = shape.kind
    if kind in ("circle", "double_circle", "start", "end"):
        return f'<ellipse cx="{cx:.1f}" cy="{cy:.1f}" rx="{w / 2:.1f}" ry="{h / 2:.1f}"'
    if kind in ("rhombus", "choice"):
        return f'<polygon points="{cx:.1f},{y:.1f} {right:.1f},{cy:.1f} {cx:.1f},{bottom:.1f} {x:.1f},{cy:.1f}"'
    if kind == "hexagon":
        d = min(h / 2, w / 4)
        return f'<polygon points="{x + d:.1f},{y:.1f} {right - d:.1f},{y:.1f} {right:.1f},{cy:.1f} {right - d:.1f},{bottom:.1f} {x + d:.1f},{bottom:.1f} {x:.1f},{cy:.1f}"'
    if kind in ("parallelogram", "parallelogram_alt", "trapezoid", "trapezoid_alt"):
        d = min(h * 0.5, w / 4)
        top_left, top_right, bottom_left, bottom_right = {
            "parallelogram": (x + d, right, x, right - d),
            "parallelogram_alt": (x, right - d, x + d, right),
            "trapezoid": (x + d, right - d, x, right),
            "trapezoid_alt": (x, right, x + d, right - d),
        }[kind]
        return f'<polygon points="{top_left:.1f},{y:.1f} {top_right:.1f},{y:.1f} {bottom_right:.1f},{bottom:.1f} {bottom_left:.1f},{bottom:.1f}"'
    if kind == "asymmetric":
        d = min(h / 2, w / 4)
        return f'<polygon points="{x:.1f},{y:.1f} {right - d:.1f},{y:.1f} {right:.1f},{cy:.1f} {right - d:.1f},{bottom:.1f} {x:.1f},{bottom:.1f}"'
    if kind in ("cylinder", "storage"):
        r = min(7.0, h / 4) if kind == "cylinder" else min(w, h) / 8  # storage: PowerPoint's can proportions
        return (f'<path d="M{x:.1f},{y + r:.1f} A{w / 2:.1f},{r:.1f} 0 0 1 {right:.1f},{y + r:.1f} L{right:.1f},{bottom - r:.1f} '
                f'A{w / 2:.1f},{r:.1f} 0 0 1 {x:.1f},{bottom - r:.1f} Z M{x:.1f},{y + r:.1f} A{w / 2:.1f},{r:.1f} 0 0 0 {right:.1f},{y + r:.1f}"')
    if kind == "cross_circle":  # a circle with an X, as PowerPoint's summing junction
        dx, dy = w * 0.3536, h * 0.3536
        return (f'<path d="M{x:.1f},{cy:.1f} A{w / 2:.1f},{h / 2:.1f} 0 1 1 {right:.1f},{cy:.1f} A{w / 2:.1f},{h / 2:.1f} 0 1 1 {x:.1f},{cy:.1f} Z '
                f'M{cx - dx:.1f},{cy - dy:.1f} L{cx + dx:.1f},{cy + dy:.1f} M{cx + dx:.1f},{cy - dy:.1f} L{cx - dx:.1f},{cy + dy:.1f}"')
    if kind == "cloud":
        return f'<path d="{_cloud(x, y, w, h)}"'
    if kind == "note":
        fold = min(10.0, w / 5, h / 3)
        return f'<path d="M{x:.1f},{y:.1f} H{right:.1f} V{bottom - fold:.1f} L{right - fold:.1f},{bottom:.1f} H{x:.1f} Z"'
    radius = {"round": 6.0, "stadium": h / 2}.get(kind, 0.0)
    extra = f' rx="{radius:.1f}"' if radius else ""
    return f'<rect x="{x:.1f}" y="{y:.1f}" width="{w:.1f}" height="{h:.1f}"{extra}'


# A cloud's outline as bumps between points on a unit box, clockwise from the bottom left;
# it touches the middle of each side, where PowerPoint's cloud has its connection sites.
_CLOUD_POINTS = ((0.2, 0.88), (0.0, 0.5), (0.22, 0.18), (0.5, 0.0), (0.8, 0.14), (1.0, 0.5), (0.78, 0.9), (0.5, 1.0))


def _cloud(x: float, y: float, w: float, h: float) -> str:
    points = [(x + px * w, y + py * h) for px, py in _CLOUD_POINTS]
    d = [f"M{points[-1][0]:.1f},{points[-1][1]:.1f}"]
    previous = points[-1]
    for point in points:
        radius = 0.6 * ((point[0] - previous[0]) ** 2 + (point[1] - previous[1]) ** 2) ** 0.5
        d.append(f"A{radius:.1f},{radius:.1f} 0 0 1 {point[0]:.1f},{point[1]:.1f}")
        previous = point
    return " ".join(d) + " Z"


def _shape(shape: SceneShape, font_family: str) -> list[str]:
    parts = []
    if shape.kind != "text" or shape.fill:
        fill = f"#{shape.fill}" if shape.fill else "none"
        stroke = f'stroke="#{shape.stroke}" stroke-width="{shape.stroke_width:.2f}"' if shape.stroke else 'stroke="none"'
        dash = ' stroke-dasharray="5 4"' if shape.dashed else ""
        parts.append(f'{_path(shape)} fill="{fill}" {stroke}{dash}/>')
    if shape.kind == "subroutine":
        parts.append(f'<path d="M{shape.x + 8:.1f},{shape.y:.1f} V{shape.y + shape.height:.1f} M{shape.x + shape.width - 8:.1f},{shape.y:.1f} V{shape.y + shape.height:.1f}" stroke="#{shape.stroke or "555555"}" fill="none"/>')
    if shape.text:
        parts.append(_text(shape, font_family))
    return parts


def _text(shape: SceneShape, font_family: str) -> str:
    lines = shape.text.split("\n")
    pitch = LINE_PITCH * shape.font_size
    weight = ' font-weight="bold"' if shape.bold else ""
    if shape.kind == "frame":
        anchor, x, first = "start", shape.x + 6, shape.y + 4 + shape.font_size
    else:
        anchor, x = ("start", shape.x + 6) if shape.align == "left" else ("middle", shape.x + shape.width / 2)
        first = shape.y + shape.height / 2 - pitch * (len(lines) - 1) / 2 + shape.font_size * 0.35
    spans = "".join(
        f'<tspan x="{x:.1f}" y="{first + i * pitch:.1f}">{escape(line)}</tspan>' for i, line in enumerate(lines)
    )
    return (f'<text font-family={quoteattr(font_family)} font-size="{shape.font_size:.1f}"{weight} '
            f'fill="#{shape.text_color}" text-anchor="{anchor}">{spans}</text>')


def _connector(connector: SceneConnector) -> str:
    pieces = path_pieces(connector)
    d = f"M{pieces[0][0][0]:.1f},{pieces[0][0][1]:.1f}"
    for start, control1, control2, end in pieces:
        if start == control1 and control2 == end:
            d += f" L{end[0]:.1f},{end[1]:.1f}"
        else:
            d += f" C{control1[0]:.1f},{control1[1]:.1f} {control2[0]:.1f},{control2[1]:.1f} {end[0]:.1f},{end[1]:.1f}"
    dash = ' stroke-dasharray="5 4"' if connector.dashed else ""
    head = ARROW_MARKERS.get(connector.head)
    tail = ARROW_MARKERS.get(connector.tail)
    markers = (f' marker-end="url(#{head}-{connector.color})"' if head else "") + (
        f' marker-start="url(#{tail}-{connector.color})"' if tail else "")
    return f'<path d="{d}" fill="none" stroke="#{connector.color}" stroke-width="{connector.width:.2f}"{dash}{markers}/>'


def _markers(scene: Scene) -> str:
    colours = sorted({c.color for c in scene.connectors})
    defs = []
    for colour in colours:
        defs.append(f'<marker id="arrow-{colour}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#{colour}"/></marker>')
        defs.append(f'<marker id="circle-{colour}" viewBox="0 0 10 10" refX="5" refY="5" markerWidth="6" markerHeight="6"><circle cx="5" cy="5" r="4" fill="#{colour}"/></marker>')
        defs.append(f'<marker id="cross-{colour}" viewBox="0 0 10 10" refX="5" refY="5" markerWidth="7" markerHeight="7"><path d="M1,1 L9,9 M9,1 L1,9" stroke="#{colour}" stroke-width="2"/></marker>')
        # UML ends: hollow triangle (inheritance), filled and hollow diamonds, open arrowhead
        defs.append(f'<marker id="triangle-{colour}" viewBox="0 0 12 12" refX="11" refY="6" markerWidth="10" markerHeight="10" orient="auto-start-reverse"><path d="M1,1 L11,6 L1,11 z" fill="#ffffff" stroke="#{colour}" stroke-width="1.2" stroke-dasharray="none"/></marker>')
        for name, fill in (("diamond", colour), ("diamond_open", "ffffff")):
            defs.append(f'<marker id="{name}-{colour}" viewBox="0 0 16 10" refX="15.5" refY="5" markerWidth="12" markerHeight="7.5" orient="auto-start-reverse"><path d="M0.5,5 L8,0.5 L15.5,5 L8,9.5 z" fill="#{fill}" stroke="#{colour}" stroke-width="1" stroke-dasharray="none"/></marker>')
        defs.append(f'<marker id="vee-{colour}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="8" markerHeight="8" orient="auto-start-reverse"><path d="M1,1 L9,5 L1,9" fill="none" stroke="#{colour}" stroke-width="1.5" stroke-dasharray="none"/></marker>')
    return "<defs>" + "".join(defs) + "</defs>"


def scene_to_svg(scene: Scene, font_family: str, alt_text: str = "", unit: str = "pt", background: str = "",
                 scale: float = 1.0) -> str:
    """The scene as a standalone SVG document sized in points (unit "": in user units, which
    resvg needs: it refuses a size in points), drawn scale times its own size, transparent or on a
    background colour (hex)."""
    body = [_markers(scene)]
    if background:
        body.append(f'<rect width="100%" height="100%" fill="#{background}"/>')
    frames = [s for s in scene.shapes if s.kind == "frame"]
    others = [s for s in scene.shapes if s.kind != "frame"]
    for shape in frames:
        body.extend(_shape(shape, font_family))
    body.extend(_connector(c) for c in scene.connectors)
    for shape in others:
        body.extend(_shape(shape, font_family))
    if scene.chart is not None:
        body.extend(chart_svg(scene, font_family))
    title = f"<title>{escape(alt_text)}</title>" if alt_text else ""
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{scene.width * scale:.1f}{unit}" height="{scene.height * scale:.1f}{unit}" '
        f'viewBox="0 0 {scene.width:.1f} {scene.height:.1f}" role="img">{title}' + "".join(body) + "</svg>"
    )
