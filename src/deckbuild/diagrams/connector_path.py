"""Where a SceneConnector's line runs, as PowerPoint, LibreOffice and the SVG writer draw it.

A connector is one of PowerPoint's preset connectors, drawn in its own box: the
box's x axis points from the start along the first leg, its y axis across. Each
route below is that preset's path, so the deck (which stores the preset and the
box), the SVG (which draws the path) and the readability checks (which test the
path) show one line. LibreOffice redraws a glued bent or curved connector from
its glue sites alone, ignoring adjust values, so routes use only what it redraws
the same way:

- `straight`: one segment (straightConnector1);
- `elbow`: an L between sides at a right angle (bentConnector2), otherwise a Z whose
  middle leg lies half-way (bentConnector3 at its default 50 %);
- `curve`: a C out of two ends on the same side and back, `bulge` beyond the outer
  end (curvedConnector3) — the second edge of a pair;
- `loop`: out of one side of a shape and round its corner into the next side
  (curvedConnector4) — a self-loop.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # scene.py measures connectors with this module
    from .scene import SceneConnector

Point = tuple[float, float]
Piece = tuple[Point, Point, Point, Point]  # a cubic Bézier: start, two control points, end

OUTWARD = {"top": (0.0, -1.0), "bottom": (0.0, 1.0), "left": (-1.0, 0.0), "right": (1.0, 0.0)}
DEFAULT_BULGE = 20.0  # how far LibreOffice's curved connector bows beyond the ends
MIN_EXTENT = 1.0  # a preset box is never thinner than this, so its adjust values stay finite


@dataclass(frozen=True)
class Preset:
    """A preset connector in its box: origin is the start, x_axis and y_axis the box's axes on
    the slide (unit vectors along the scene's axes), width and height its size, adjust its
    adjust values (in 1/100000 of the box) and pieces its path in box coordinates."""

    name: str
    origin: Point
    x_axis: Point
    y_axis: Point
    width: float
    height: float
    adjust: tuple[int, ...]
    pieces: tuple[Piece, ...]

    def to_scene(self, point: Point) -> Point:
        (ox, oy), (ax, ay), (bx, by) = self.origin, self.x_axis, self.y_axis
        return ox + point[0] * ax + point[1] * bx, oy + point[0] * ay + point[1] * by


def _sign(value: float) -> float:
    return -1.0 if value < 0 else 1.0


def _line(a: Point, b: Point) -> Piece:
    return a, a, b, b


def _axes(first_vertical: bool, dx: float, dy: float) -> tuple[Point, Point, float, float]:
    """Box axes for a route whose first leg runs vertically or horizontally towards the end."""
    if first_vertical:
        return (0.0, _sign(dy)), (_sign(dx), 0.0), abs(dy), abs(dx)
    return (_sign(dx), 0.0), (0.0, _sign(dy)), abs(dx), abs(dy)


def preset(connector: SceneConnector) -> Preset:
    """The preset connector and box that draw this connector's route."""
    (x1, y1), (x2, y2) = connector.start, connector.end
    dx, dy = x2 - x1, y2 - y1
    source_vertical = connector.source_site in ("top", "bottom")
    if connector.route == "curve":
        return _curve(connector, dx, dy)
    if connector.route == "loop":
        return _loop(connector, dx, dy)
    if connector.route == "elbow" and dx and dy:
        target_vertical = connector.target_site in ("top", "bottom")
        x_axis, y_axis, width, height = _axes(source_vertical, dx, dy)
        if connector.target_site is not None and source_vertical != target_vertical:
            pieces = (_line((0, 0), (width, 0)), _line((width, 0), (width, height)))
            return Preset("bentConnector2", connector.start, x_axis, y_axis, width, height, (), pieces)
        middle = width / 2
        pieces = (_line((0, 0), (middle, 0)), _line((middle, 0), (middle, height)), _line((middle, height), (width, height)))
        return Preset("bentConnector3", connector.start, x_axis, y_axis, width, height, (50000,), pieces)
    x_axis, y_axis, width, height = _axes(False, dx, dy)
    return Preset("straightConnector1", connector.start, x_axis, y_axis, width, height, (),
                  (_line((0, 0), (width, height)),))


def _curve(connector: SceneConnector, dx: float, dy: float) -> Preset:
    """curvedConnector3: out along the box's x axis to `reach`, across, and back to the end."""
    out_x, out_y = OUTWARD[connector.source_site or "right"]
    along, across = (dx, dy) if out_x else (dy, dx)
    outward = out_x or out_y
    x_axis_sign = _sign(along) if abs(along) >= MIN_EXTENT else outward
    width, height = max(abs(along), MIN_EXTENT), max(abs(across), MIN_EXTENT)
    # the C's outermost leg, bulge beyond whichever end lies further out, in box coordinates
    reach = (max(0.0, along * outward) + (connector.bulge or DEFAULT_BULGE)) * outward * x_axis_sign
    x_axis = (x_axis_sign, 0.0) if out_x else (0.0, x_axis_sign)
    y_axis = (0.0, _sign(across)) if out_x else (_sign(across), 0.0)
    pieces = (((0, 0), (reach / 2, 0), (reach, height / 4), (reach, height / 2)),
              ((reach, height / 2), (reach, 3 * height / 4), ((width + reach) / 2, height), (width, height)))
    return Preset("curvedConnector3", connector.start, x_axis, y_axis, width, height,
                  (round(reach / width * 100000),), pieces)


def _loop(connector: SceneConnector, dx: float, dy: float) -> Preset:
    """curvedConnector4 from one side of a shape round its corner into the next side.

    The box's x axis points inward from the source side (towards the target's site) and
    its y axis outward through the target side, so the loop's legs lie at negative x and
    beyond the box's height."""
    source_out, target_out = OUTWARD[connector.source_site or "right"], OUTWARD[connector.target_site or "top"]
    x_axis = (-source_out[0], -source_out[1])
    y_axis = target_out
    width = max(abs(dx * x_axis[0] + dy * x_axis[1]), MIN_EXTENT)
    height = max(abs(dx * y_axis[0] + dy * y_axis[1]), MIN_EXTENT)
    bulge = connector.bulge or DEFAULT_BULGE
    x2, y4 = -bulge, height + bulge
    x3 = (width + x2) / 2
    y1 = y4 / 2
    pieces = (((0, 0), (x2 / 2, 0), (x2, y1 / 2), (x2, y1)),
              ((x2, y1), (x2, (y1 + y4) / 2), ((x2 + x3) / 2, y4), (x3, y4)),
              ((x3, y4), ((x3 + width) / 2, y4), (width, (height + y4) / 2), (width, height)))
    return Preset("curvedConnector4", connector.start, x_axis, y_axis, width, height,
                  (round(x2 / width * 100000), round(y4 / height * 100000)), pieces)


def path_pieces(connector: SceneConnector) -> list[Piece]:
    """The connector's line as cubic Bézier pieces in scene points."""
    shape = preset(connector)
    return [tuple(shape.to_scene(point) for point in piece) for piece in shape.pieces]


def polyline(connector: SceneConnector, steps: int = 8) -> list[Point]:
    """The path flattened into points (a straight piece stays its two ends)."""
    points = [connector.start]
    for start, control1, control2, end in path_pieces(connector):
        if start == control1 and control2 == end:
            points.append(end)
            continue
        for index in range(1, steps + 1):
            t = index / steps
            u = 1 - t
            points.append(tuple(u ** 3 * start[i] + 3 * u * u * t * control1[i] + 3 * u * t * t * control2[i]
                                + t ** 3 * end[i] for i in (0, 1)))
    return points


def point_along(points: list[Point], fraction: float) -> Point:
    """The point that lies this fraction of the polyline's length from its start."""
    lengths = [((b[0] - a[0]) ** 2 + (b[1] - a[1]) ** 2) ** 0.5 for a, b in zip(points, points[1:])]
    remaining = sum(lengths) * fraction
    for (a, b), length in zip(zip(points, points[1:]), lengths):
        if remaining <= length and length > 0:
            t = remaining / length
            return a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t
        remaining -= length
    return points[-1]
