"""Sankey → Scene: nodes in columns by depth, flows as thick straight lines.

A node's column is the length of the longest chain of flows that reaches it; nodes
nothing flows out of go to the last column, as Mermaid justifies them. Node heights
and flow widths use one scale, so both are proportional to the values. Each flow
leaves its source at its own band of the node's right side and enters its target
at a band of the left side, in the light colour of its source, without an arrowhead.
Names and throughputs label the nodes: left of the first column, right of the last,
above the nodes between, whose columns are as wide as those labels so no flow crosses one.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace

from ..measure import Measurer
from ..theme import DiagramStyle
from .layout import text_size
from .mermaid.sankey import Sankey, SankeyLink
from .mindmap_layout import palette, tint
from .model import MermaidError
from .scene import Scene, SceneConnector, SceneShape

NODE_WIDTH = 12.0
NODE_GAP = 12.0  # between the slots of two nodes in a column
FLOW_GAP = 1.5  # between a node's side and the end of a flow
COLUMN_GAP = 120.0  # the length of the flows between two columns
LABEL_GAP = 5.0  # between a node and its label
LABEL_PAD_X = 4.0
LABEL_PAD_Y = 2.0
VALUES_ASPECT = 0.42  # the tallest column's nodes together are this fraction of the width
MIN_VALUES_HEIGHT = 120.0
MIN_FLOW_WIDTH = 1.0
FLOW_TINT = 0.55
SWEEPS = 3


def format_value(value: float) -> str:
    """A value as a reader expects it: `1,200`, `12.5`, `0.25`."""
    if value == int(value):
        return f"{int(value):,}"
    return f"{value:,.2f}".rstrip("0").rstrip(".")


def columns(sankey: Sankey) -> dict[str, int]:
    """Each node's column: the longest chain of flows reaching it; sinks in the last column."""
    sources: dict[str, list[str]] = {name: [] for name in sankey.nodes}
    for link in sankey.links:
        sources[link.target].append(link.source)
    depth: dict[str, int] = {}
    for name in sankey.nodes:
        stack = [name]
        while stack:  # depth-first without recursion: the parser refused loops
            current = stack[-1]
            pending = [s for s in sources[current] if s not in depth]
            if pending:
                stack.extend(pending)
                continue
            stack.pop()
            depth[current] = 1 + max((depth[s] for s in sources[current]), default=-1)
    last = max(depth.values())
    has_outflow = {link.source for link in sankey.links}
    return {name: depth[name] if name in has_outflow else last for name in sankey.nodes}


@dataclass
class _Node:
    """A node being placed: its column, value, label and the box of its bar."""

    name: str
    column: int
    value: float
    height: float
    label: str
    label_size: tuple[float, float]
    colour: str
    top: float = 0.0
    left: float = 0.0
    width: float = NODE_WIDTH
    outgoing: list[SankeyLink] = field(default_factory=list)
    incoming: list[SankeyLink] = field(default_factory=list)

    @property
    def centre(self) -> float:
        return self.top + self.height / 2


class SankeyLayout:
    """Lays out one Sankey into a Scene with a theme's diagram style and text metrics."""

    def __init__(self, measure: Measurer, style: DiagramStyle) -> None:
        self.measure = measure
        self.style = style
        self.size = style.font_size

    def scene(self, sankey: Sankey) -> Scene:
        if not sankey.links:
            raise MermaidError(1, "the Sankey diagram has no flows")
        column_of = columns(sankey)
        count = max(column_of.values()) + 1
        colours = palette(self.style)
        nodes: dict[str, _Node] = {}
        for index, name in enumerate(sankey.nodes):
            value = sankey.throughput(name)
            label = f"{name} ({format_value(value)})"
            width, height = text_size(self.measure, label, self.size)
            nodes[name] = _Node(name, column_of[name], value, 0.0, label,
                                (width + 2 * LABEL_PAD_X, height + 2 * LABEL_PAD_Y), colours[index % len(colours)])
        for link in sankey.links:
            nodes[link.source].outgoing.append(link)
            nodes[link.target].incoming.append(link)
        stacks = [[node for node in nodes.values() if node.column == c] for c in range(count)]
        # inner columns are as wide as their labels, which sit above their nodes, clear of every flow
        widths = [NODE_WIDTH if c in (0, count - 1) else max(NODE_WIDTH, *(n.label_size[0] for n in stacks[c]))
                  for c in range(count)]
        lefts = [sum(widths[:c]) + c * COLUMN_GAP for c in range(count)]
        most = max(sum(node.value for node in stack) for stack in stacks)
        values_height = max((lefts[-1] + widths[-1]) * VALUES_ASPECT, MIN_VALUES_HEIGHT)
        scale = values_height / most if most > 0 else 0.0
        for node in nodes.values():
            node.height = max(node.value * scale, MIN_FLOW_WIDTH)
            node.left, node.width = lefts[node.column], widths[node.column]
        self._order(stacks, nodes, count)
        shapes: list[SceneShape] = []
        for index, name in enumerate(sankey.nodes):
            node = nodes[name]
            shapes.append(SceneShape(f"node:{index}", "rect", node.left, node.top, node.width, node.height,
                                     fill=node.colour, stroke=node.colour, stroke_width=0.75))
        for index, name in enumerate(sankey.nodes):
            shapes.append(self._label(nodes[name], index, count))
        description = ", ".join(
            f"{link.source} → {link.target} {format_value(link.value)}" for link in sankey.links
        )
        return Scene("sankey", 0.0, 0.0, tuple(shapes), tuple(self._flows(nodes, scale)), description,
                     self.size).fitted()

    def _stack(self, stack: list[_Node], column: int, last: int) -> float:
        """Place a column's nodes top to bottom with room for their labels; returns its height."""
        y = 0.0
        for node in stack:
            label_height = node.label_size[1]
            if column in (0, last):
                slot = max(node.height, label_height)
                node.top = y + (slot - node.height) / 2
            else:
                node.top = y + label_height + LABEL_GAP
                slot = label_height + LABEL_GAP + node.height
            y += slot + NODE_GAP
        return y - NODE_GAP

    def _order(self, stacks: list[list[_Node]], nodes: dict[str, _Node], count: int) -> None:
        """Order each column by where its nodes' flows come from (and then go to), to untangle
        crossings, and centre the columns on each other."""
        last = count - 1
        for column, stack in enumerate(stacks):
            self._stack(stack, column, last)
        for sweep in range(SWEEPS):
            forward = sweep % 2 == 0
            for column in (range(1, count) if forward else range(count - 2, -1, -1)):
                def key(node: _Node) -> float:
                    links = node.incoming if forward else node.outgoing
                    ends = [(nodes[l.source if forward else l.target].centre, l.value or 1.0) for l in links]
                    total = sum(weight for _, weight in ends)
                    return sum(y * weight for y, weight in ends) / total if total else node.centre
                stacks[column].sort(key=key)
                self._stack(stacks[column], column, last)
        heights = [self._stack(stack, column, last) for column, stack in enumerate(stacks)]
        tallest = max(heights)
        for stack, height in zip(stacks, heights):
            for node in stack:
                node.top += (tallest - height) / 2

    def _flows(self, nodes: dict[str, _Node], scale: float) -> list[SceneConnector]:
        """One thick straight line per flow, from its band on the source to its band on the target."""
        starts: dict[int, float] = {}
        ends: dict[int, float] = {}
        for node in nodes.values():
            y = node.top
            for link in sorted(node.outgoing, key=lambda l: nodes[l.target].centre):
                starts[id(link)] = y + link.value * scale / 2
                y += link.value * scale
            y = node.top
            for link in sorted(node.incoming, key=lambda l: nodes[l.source].centre):
                ends[id(link)] = y + link.value * scale / 2
                y += link.value * scale
        flows = []
        for node in nodes.values():
            for link in node.outgoing:
                target = nodes[link.target]
                width = max(link.value * scale, MIN_FLOW_WIDTH)
                x1, y1 = node.left + node.width + FLOW_GAP, starts[id(link)]
                x2, y2 = target.left - FLOW_GAP, ends[id(link)]
                # a thick line ends square to its direction: pull the ends in so no corner enters a
                # node (pulling them in steepens the line, so settle the inset over a few rounds)
                inset = 0.0
                for _ in range(20):
                    settled = width / 2 * abs(y2 - y1) / math.hypot(max(x2 - x1 - 2 * inset, 1.0), y2 - y1)
                    if abs(settled - inset) < 0.01:
                        break
                    inset = settled
                flows.append(SceneConnector((x1 + inset, y1), (x2 - inset, y2), color=tint(node.colour, FLOW_TINT),
                                            width=width, head="none"))
        return flows

    def _label(self, node: _Node, index: int, count: int) -> SceneShape:
        """The node's name and value: left of the first column, right of the last, above the
        nodes between."""
        width, height = node.label_size
        label = SceneShape(f"label:{index}", "text", 0.0, node.centre - height / 2, width, height, node.label,
                           text_color=self.style.text, font_size=self.size)
        if node.column == 0:
            return replace(label, x=node.left - LABEL_GAP - width)
        if node.column == count - 1:
            return replace(label, x=node.left + node.width + LABEL_GAP)
        return replace(label, x=node.left + (node.width - width) / 2, y=node.top - LABEL_GAP - height)


def draw_sankey(sankey: Sankey, measure: Measurer, style: DiagramStyle) -> Scene:
    """The diagram type's draw step: a Sankey laid out into a Scene."""
    return SankeyLayout(measure, style).scene(sankey)
