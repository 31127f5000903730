"""What makes a laid-out diagram hard to read, counted on its Scene.

- a connector running through a node that is not one of its ends (a node: a shape
  some connector is glued to, frames aside — entering a frame is how an edge reaches
  what it holds);
- a connector running through another edge's label or a frame's title;
- two texts overlapping: node boxes, edge labels and frame titles.

Used by the layout's tests and by benchmarks/diagrams.py's readability report.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from .connector_path import Point, polyline
from .scene import Scene, SceneShape

TOUCH = 1.5  # points: a line or box that only grazes another by this much does not count
Box = tuple[float, float, float, float]  # left, top, right, bottom


@dataclass(frozen=True)
class Readability:
    connectors: int
    through_nodes: int  # connectors running through a node that is not one of their ends
    through_labels: int  # connectors running through another edge's label or a frame's title
    overlapping_texts: int  # pairs of texts that overlap


def box_of(shape: SceneShape) -> Box:
    return shape.x, shape.y, shape.x + shape.width, shape.y + shape.height


def shrunk(box: Box, by: float = TOUCH) -> Box:
    return box[0] + by, box[1] + by, box[2] - by, box[3] - by


def segment_hits(a: Point, b: Point, box: Box) -> bool:
    """Whether the segment a–b passes through the inside of box (Liang–Barsky clipping)."""
    left, top, right, bottom = box
    if left >= right or top >= bottom:
        return False
    t0, t1 = 0.0, 1.0
    dx, dy = b[0] - a[0], b[1] - a[1]
    for p, q in ((-dx, a[0] - left), (dx, right - a[0]), (-dy, a[1] - top), (dy, bottom - a[1])):
        if p == 0:
            if q < 0:
                return False
            continue
        t = q / p
        if p < 0:
            t0 = max(t0, t)
        else:
            t1 = min(t1, t)
        if t0 > t1:
            return False
    return True


def bounds(points: list[Point]) -> Box:
    """The smallest box holding every point."""
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    return min(xs), min(ys), max(xs), max(ys)


def line_hits(points: list[Point], box: Box, extent: Box | None = None) -> bool:
    """Whether a polyline passes through the inside of box (extent: the line's bounds, when known)."""
    left, top, right, bottom = extent or bounds(points)
    if right <= box[0] or left >= box[2] or bottom <= box[1] or top >= box[3]:
        return False
    return any(segment_hits(a, b, box) for a, b in zip(points, points[1:]))


def boxes_overlap(first: Box, second: Box) -> bool:
    return min(first[2], second[2]) - max(first[0], second[0]) > TOUCH and \
        min(first[3], second[3]) - max(first[1], second[1]) > TOUCH


def frame_title_box(shape: SceneShape, text_width: Callable[[str, float, bool], float]) -> Box:
    """Where a frame's title is written: its top-left corner, as wide as the widest line."""
    lines = shape.text.split("\n")
    width = max(text_width(line, shape.font_size, shape.bold) for line in lines) + 8
    return shape.x, shape.y, shape.x + min(width, shape.width), shape.y + len(lines) * shape.font_size * 1.3 + 4


def text_boxes(scene: Scene, text_width: Callable[[str, float, bool], float]) -> list[tuple[str, Box]]:
    """Every shape's text area: a frame's title, any other shape's whole box."""
    boxes = []
    for shape in scene.shapes:
        if not shape.text:
            continue
        boxes.append((shape.id, frame_title_box(shape, text_width) if shape.kind == "frame" else box_of(shape)))
    return boxes


def measure_scene(scene: Scene, text_width: Callable[[str, float, bool], float]) -> Readability:
    """The scene's connectors through nodes and labels, and its overlapping texts."""
    shapes = {shape.id: shape for shape in scene.shapes}
    glued = {end for c in scene.connectors for end in (c.source, c.target) if end}
    nodes = [shapes[i] for i in glued if i in shapes and shapes[i].kind != "frame"]
    labels = [shape for shape in scene.shapes if shape.kind == "text" and shape.id != "title" and shape.id not in glued]
    titles = [frame_title_box(shape, text_width) for shape in scene.shapes if shape.kind == "frame" and shape.text]
    through_nodes = through_labels = 0
    for connector in scene.connectors:
        points = polyline(connector)
        ends = {connector.source, connector.target}
        if any(line_hits(points, shrunk(box_of(node))) for node in nodes if node.id not in ends):
            through_nodes += 1
        if any(line_hits(points, shrunk(box_of(label))) for label in labels if label.id != connector.label) or \
                any(line_hits(points, shrunk(title)) for title in titles):
            through_labels += 1
    boxes = text_boxes(scene, text_width)
    overlapping = sum(1 for index, (_, first) in enumerate(boxes) for _, second in boxes[index + 1:]
                      if boxes_overlap(first, second))
    return Readability(len(scene.connectors), through_nodes, through_labels, overlapping)

