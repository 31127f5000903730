"""Mindmap → Scene with our own layout: the root in the middle, first-level branches split
between its right and left sides, and each branch's subtree as a tidy tree growing outwards.

Each first-level branch has its own colour (the theme's node colour first, then a small
palette): the branch box is filled with it, its descendants get a light tint of it, and
the lines to them are drawn in it. Labels wrap at a width chosen so the whole map fits a
16:9 slide at the largest type; lines are glued connectors without arrowheads.

The colour and text helpers and the ArrangedLayout base here are shared by the timeline and
Gantt layouts.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field

from ..measure import Measurer, Span
from ..theme import DiagramStyle
from .mermaid.mindmap import Mindmap, MindmapNode
from .scene import Scene, SceneConnector, SceneShape

# The deck's content area in points (a 16:9 slide with the default theme's margins), and
# the most a scene is enlarged into it: layouts pick the variant that shows type largest.
SLIDE_BOX = (888.0, 418.0)
MAX_SCALE = 20.0 / 14.0
# Past this scale (type at 90 % of the base size) wider labels and fewer rows matter more
# than larger type when layouts choose between their variants.
COMFORTABLE_SCALE = 0.9
# Colours after the theme's own node colour, dark enough to carry white text.
PALETTE = ("E65100", "2E7D32", "6A1B9A", "C62828", "00838F", "AD1457", "5D4037", "455A64", "827717", "283593")

ROOT_SIZE_STEP = 2.0  # the root's type is this much larger than the rest
PAD_X = 10.0
PAD_Y = 5.0
ROOT_GAP = 40.0  # from the root to its branches
LEVEL_GAP = 28.0  # from a node to its children
BRANCH_GAP = 16.0  # between first-level subtrees on one side
SIBLING_GAP = 6.0  # between deeper subtrees
DESCENDANT_TINT = 0.82
WRAP_WIDTHS = (220.0, 170.0, 130.0, 100.0)
# Mermaid's mindmap shapes as scene kinds: a plain node is a rounded box, a cloud a pill,
# a bang a double ring.
KINDS = {"default": "round", "rect": "rect", "round": "round", "circle": "circle", "bang": "double_circle",
         "cloud": "stadium", "hexagon": "hexagon"}
_OVALS = ("circle", "double_circle")


# --- helpers shared with the timeline and Gantt layouts ---------------------------------


def slide_scale(width: float, height: float) -> float:
    """How much a scene of this size is enlarged (or shrunk) to fill the slide's content area."""
    return min(SLIDE_BOX[0] / max(width, 1.0), SLIDE_BOX[1] / max(height, 1.0), MAX_SCALE)


def most_readable(candidates) -> Scene:
    """Of scenes listed from the most to the least preferred arrangement, the first whose type
    shows (nearly) as large on a slide as any, counting scales past COMFORTABLE_SCALE as equal."""
    best = None
    for scene in candidates:
        score = min(slide_scale(scene.width, scene.height), COMFORTABLE_SCALE)
        if best is None or score > best[0] * 1.01:
            best = (score, scene)
    return best[1]


def palette(style: DiagramStyle) -> tuple[str, ...]:
    """Colours for branches, sections and periods: the theme's node colour, then PALETTE."""
    first = style.node_stroke.upper()
    return (first, *(c for c in PALETTE if c != first))


def tint(colour: str, amount: float) -> str:
    """colour mixed with white: amount 0 keeps it, 1 gives white."""
    channels = [int(colour[i:i + 2], 16) for i in (0, 2, 4)]
    return "".join(f"{round(c + (255 - c) * amount):02X}" for c in channels)


def ink(fill: str, style: DiagramStyle) -> str:
    """White text on dark fills, the theme's text colour on light ones."""
    def linear(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = (linear(int(fill[i:i + 2], 16)) for i in (0, 2, 4))
    return "FFFFFF" if 0.2126 * r + 0.7152 * g + 0.0722 * b < 0.3 else style.text


def text_block(measure: Measurer, text: str, size: float, wrap: float | None = None,
               bold: bool = False) -> tuple[str, float, float]:
    """text as it is drawn (wrapped at wrap points, when given), with its width and height."""
    lines = measure.wrap([Span(text, bold=bold)], wrap, size) if wrap else text.split("\n")
    width = max((measure.width(line, size, bold=bold) for line in lines), default=0.0)
    return "\n".join(lines), width, len(lines) * measure.line_height(size)


class ArrangedLayout:
    """A layout that draws its model in several arrangements, listed by arrangements() from the
    most to the least preferred, and keeps the one most readable on a slide."""

    def __init__(self, measure: Measurer, style: DiagramStyle) -> None:
        self.measure = measure
        self.style = style
        self.size = style.font_size
        self.colours = palette(style)

    def scene(self, model) -> Scene:
        """The arrangement whose type shows largest on a slide (the earlier one on a near tie)."""
        return most_readable(self.arrangements(model))

    def arrangements(self, model) -> Iterable[Scene]:
        raise NotImplementedError


# --- the mindmap layout -----------------------------------------------------------------


@dataclass
class _Box:
    """A node being placed: its drawn text and size, colour, subtree height and position."""

    node: MindmapNode
    depth: int
    colour: str
    text: str
    width: float
    height: float
    kind: str
    children: list["_Box"] = field(default_factory=list)
    span: float = 0.0
    x: float = 0.0
    y: float = 0.0

    @property
    def centre_y(self) -> float:
        return self.y + self.height / 2


def draw_mindmap(mindmap: Mindmap, measure: Measurer, style: DiagramStyle) -> Scene:
    """The mindmap laid out into a Scene (the draw function of the `mindmap` diagram type)."""
    return MindmapLayout(measure, style).scene(mindmap)


class MindmapLayout(ArrangedLayout):
    """Lays out one Mindmap into a Scene with a theme's diagram style and text metrics."""

    def arrangements(self, mindmap: Mindmap) -> Iterable[Scene]:
        """The map with labels wrapped at each of WRAP_WIDTHS."""
        return (self._arranged(mindmap, wrap) for wrap in WRAP_WIDTHS)

    def _arranged(self, mindmap: Mindmap, wrap: float) -> Scene:
        root = self._root_box(mindmap.root, wrap)
        branches = [self._box(child, 1, self.colours[i % len(self.colours)], wrap)
                    for i, child in enumerate(mindmap.root.children)]
        root.children = branches
        for branch in branches:
            self._span(branch)
        right, left = self._split(branches)
        root.x, root.y = -root.width / 2, -root.height / 2
        for side, sign in ((right, 1), (left, -1)):
            total = sum(b.span for b in side) + BRANCH_GAP * max(len(side) - 1, 0)
            top = -total / 2
            anchor = root.width / 2 + ROOT_GAP if sign > 0 else -root.width / 2 - ROOT_GAP
            for branch in side:
                self._place(branch, anchor, top, sign)
                top += branch.span + BRANCH_GAP
        shapes, connectors = [], []
        sides = {id(b): 1 for b in right} | {id(b): -1 for b in left}
        self._draw(root, 0, shapes, connectors, sides)
        return Scene("mindmap", 0.0, 0.0, tuple(shapes), tuple(connectors), _describe(mindmap), self.size).fitted()

    def _root_box(self, node: MindmapNode, wrap: float) -> _Box:
        """The root: an ellipse (or the shape the source gives it) around its bold label."""
        size = self.size + ROOT_SIZE_STEP
        longest_word = max((self.measure.width(word, size, bold=True) for word in node.label.split()), default=0.0)
        text, width, height = text_block(self.measure, node.label, size, max(wrap * 0.8, longest_word), bold=True)
        kind = "circle" if node.shape in ("default", "circle") else KINDS[node.shape]
        width, height = self._fit(kind, width, height)
        if kind in _OVALS:
            height = max(height, width * 0.55)
        return _Box(node, 0, self.style.node_stroke.upper(), text, width, height, kind)

    def _box(self, node: MindmapNode, depth: int, colour: str, wrap: float) -> _Box:
        text, width, height = text_block(self.measure, node.label, self.size, wrap, bold=depth == 1)
        kind = KINDS[node.shape]
        width, height = self._fit(kind, width, height)
        box = _Box(node, depth, colour, text, width, height, kind)
        box.children = [self._box(child, depth + 1, colour, wrap) for child in node.children]
        return box

    def _fit(self, kind: str, text_width: float, text_height: float) -> tuple[float, float]:
        """The shape size that holds a text block of this size, by kind."""
        width, height = text_width + 2 * PAD_X, max(text_height, self.measure.line_height(self.size)) + 2 * PAD_Y
        if kind in _OVALS:  # an ellipse √2 times the text block holds its corners
            width, height = text_width * math.sqrt(2) + 2 * PAD_Y, text_height * math.sqrt(2) + 2 * PAD_Y
            if kind == "double_circle":
                width, height = width + 8, height + 8
        elif kind == "hexagon":
            width += height * 0.6
        elif kind == "stadium":
            width += height * 0.5
        return width, height

    def _span(self, box: _Box) -> None:
        """How tall box's subtree is: its children stacked, or the box itself when taller."""
        for child in box.children:
            self._span(child)
        stacked = sum(c.span for c in box.children) + SIBLING_GAP * max(len(box.children) - 1, 0)
        box.span = max(box.height, stacked)

    @staticmethod
    def _split(branches: list[_Box]) -> tuple[list[_Box], list[_Box]]:
        """The first branches go right and the rest left, cut where the two sides are closest in height."""
        def height(side: list[_Box]) -> float:
            return sum(b.span for b in side) + BRANCH_GAP * max(len(side) - 1, 0)
        cut = min(range(1, len(branches) + 1), key=lambda k: (max(height(branches[:k]), height(branches[k:])), -k),
                  default=0)
        return branches[:cut], branches[cut:]

    def _place(self, box: _Box, anchor: float, top: float, sign: int) -> None:
        """Put box's subtree in the band from top down, growing right (sign 1) or left (-1) of anchor."""
        box.x = anchor if sign > 0 else anchor - box.width
        if box.children:
            stacked = sum(c.span for c in box.children) + SIBLING_GAP * (len(box.children) - 1)
            child_top = top + (box.span - stacked) / 2
            child_anchor = box.x + box.width + LEVEL_GAP if sign > 0 else box.x - LEVEL_GAP
            for child in box.children:
                self._place(child, child_anchor, child_top, sign)
                child_top += child.span + SIBLING_GAP
            middle = (box.children[0].centre_y + box.children[-1].centre_y) / 2
            middle = min(max(middle, top + box.height / 2), top + box.span - box.height / 2)
        else:
            middle = top + box.span / 2
        box.y = middle - box.height / 2

    def _draw(self, box: _Box, sign: int, shapes: list, connectors: list, sides: dict) -> None:
        """The shape of box and its subtree, and the lines from box to its children."""
        shapes.append(self._shape(box))
        for child in box.children:
            side = sides.get(id(child), sign)
            out, into = ("right", "left") if side > 0 else ("left", "right")
            start = (box.x + box.width, box.centre_y) if side > 0 else (box.x, box.centre_y)
            end = (child.x, child.centre_y) if side > 0 else (child.x + child.width, child.centre_y)
            connectors.append(SceneConnector(
                start, end, _id(box), _id(child), out, into, color=child.colour,
                width=2.0 if box.depth == 0 else 1.5, head="none", route="straight" if box.depth == 0 else "elbow",
            ))
            self._draw(child, side, shapes, connectors, sides)

    def _shape(self, box: _Box) -> SceneShape:
        if box.depth == 0:
            fill, stroke, text_colour = self.style.node_fill, self.style.node_stroke, self.style.text
            return SceneShape(_id(box), box.kind, box.x, box.y, box.width, box.height, box.text, fill=fill,
                              stroke=stroke, text_color=text_colour, stroke_width=2.5,
                              font_size=self.size + ROOT_SIZE_STEP, bold=True)
        if box.depth == 1:
            return SceneShape(_id(box), box.kind, box.x, box.y, box.width, box.height, box.text, fill=box.colour,
                              stroke=box.colour, text_color=ink(box.colour, self.style), stroke_width=1.5,
                              font_size=self.size, bold=True)
        fill = tint(box.colour, DESCENDANT_TINT)
        return SceneShape(_id(box), box.kind, box.x, box.y, box.width, box.height, box.text, fill=fill,
                          stroke=box.colour, text_color=ink(fill, self.style), font_size=self.size)


def _id(box: _Box) -> str:
    return f"node_{box.node.line}"


def _describe(mindmap: Mindmap) -> str:
    """`root: branch (child, child); branch …` for alt text."""
    def flat(text: str) -> str:
        return text.replace("\n", " ")
    parts = []
    for branch in mindmap.root.children:
        children = ", ".join(flat(c.label) for c in branch.children if c.label)
        parts.append(f"{flat(branch.label)} ({children})" if children else flat(branch.label))
    return f"{flat(mindmap.root.label)}: {'; '.join(parts)}" if parts else flat(mindmap.root.label)
