"""Architecture → Scene through Graphviz `dot`: groups as nested clusters, each service an
icon drawn from native shapes with its title underneath.

Edges are glued to an icon's main shape, so moving the icon in PowerPoint drags them; that
shape is always one whose connection sites PowerPoint and LibreOffice number alike (the
rectangle family, the can, the ellipse): a disk is a circle with its hub drawn on it, and a
cloud service a rounded tile carrying the cloud (the cloud preset's sites are numbered
differently by the two).

The sides named in the source decide the layout's direction: when most edges join
a right side to a left side the diagram runs left to right, otherwise top to
bottom. Edges along that direction order their ends; edges across it keep their
ends in the same rank (`minlen=0`), so `a:B -- T:b` stacks b under a. Every
connector leaves and enters by the sides the source names.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..measure import Measurer
from ..theme import DiagramStyle
from .layout import (
    POINTS_PER_INCH, LayoutError, dot_points, label_cell, run_dot, text_size,
)
from .routing import facing_sites, site_point
from .mermaid.architecture import Architecture, ArchitectureEdge, ArchitectureGroup
from .model import MermaidError
from .scene import Scene, SceneConnector, SceneShape

ICON_WIDTH = 44.0  # the box every service icon is drawn in, in points
ICON_HEIGHT = 36.0
GROUP_ICON = 16.0  # the small icon before a group's title
TITLE_GAP = 4.0
TITLE_PADDING = 4.0
JUNCTION = 8.0
CLUSTER_MARGIN = 14.0
_AXIS = {"left": (-1, 0), "right": (1, 0), "top": (0, -1), "bottom": (0, 1)}


@dataclass(frozen=True)
class _Icon:
    """The shapes of one drawn icon; edges attach to `main`."""

    main: SceneShape
    extras: tuple[SceneShape, ...] = ()


def edge_offset(edge: ArchitectureEdge) -> tuple[int, int]:
    """Where the target lies from the source, as signs (dx, dy), from the two named sides.

    `a:R -- L:b` → (2, 0): b is right of a. `a:B -- T:b` → (0, 2): b is below a.
    """
    source_x, source_y = _AXIS[edge.source_side]
    target_x, target_y = _AXIS[edge.target_side]
    return source_x - target_x, source_y - target_y


def direction(architecture: Architecture) -> str:
    """'LR' when the edges mostly join left and right sides, else 'TB'."""
    across = sum(abs(edge_offset(edge)[0]) for edge in architecture.edges)
    down = sum(abs(edge_offset(edge)[1]) for edge in architecture.edges)
    return "LR" if across >= down and across else "TB"


class ArchitectureLayout:
    """Lays out one Architecture into a Scene with a theme's diagram style and text metrics."""

    def __init__(self, measure: Measurer, style: DiagramStyle) -> None:
        self.measure = measure
        self.style = style
        self.size = style.font_size

    def scene(self, architecture: Architecture) -> Scene:
        if not architecture.services and not architecture.junctions:
            raise MermaidError(1, "the architecture diagram has no services")
        ids = [*architecture.services, *architecture.junctions]
        names = {node_id: f"n{index}" for index, node_id in enumerate(ids)}
        clusters = {group_id: f"cluster_{index}" for index, group_id in enumerate(architecture.groups)}
        sizes = {node_id: self._node_size(architecture, node_id) for node_id in names}
        try:
            layout = run_dot(self._dot(architecture, names, clusters, sizes))
        except (LayoutError, ValueError) as error:
            raise MermaidError(1, str(error)) from error
        _, _, _, top = dot_points(layout["bb"])
        objects = {obj["name"]: obj for obj in layout.get("objects", [])}

        shapes: list[SceneShape] = []
        frames: dict[str, SceneShape] = {}
        for group_id in _outer_first(architecture):
            obj = objects.get(clusters[group_id])
            if obj is not None:
                frames[group_id] = self._group(architecture.groups[group_id], dot_points(obj["bb"]), top, shapes)
        centres = {}
        for node_id, name in names.items():
            x, y = dot_points(objects[name]["pos"])
            centres[node_id] = [x, top - y]
        _order_across(architecture, centres, sizes)
        anchors: dict[str, tuple[SceneShape, SceneShape]] = {}  # node id → (icon, title box)
        for node_id, (x, y) in centres.items():
            width, height = sizes[node_id]
            anchors[node_id] = self._node(architecture, node_id, x - width / 2, y - height / 2, width, shapes)
        connectors = []
        for index, edge in enumerate(architecture.edges):
            connectors.append(self._edge(architecture, edge, anchors, frames))
            if edge.label:
                shapes.append(self._edge_label(index, edge.label, connectors[-1]))
        titles = [*(g.title for g in architecture.groups.values()), *(s.title for s in architecture.services.values())]
        description = ", ".join(text.replace("\n", " ") for text in titles if text)
        return Scene("architecture", 0.0, 0.0, tuple(shapes), tuple(connectors), description, self.size).fitted()

    # --- sizes and DOT ----------------------------------------------------------------

    def _title_size(self, text: str) -> tuple[float, float]:
        width, height = text_size(self.measure, text, self.size)
        return width + 2 * TITLE_PADDING, height + TITLE_PADDING

    def _icon_text_width(self, text: str) -> float:
        return text_size(self.measure, text, self.size * 0.85)[0] + 2 * TITLE_PADDING

    def _node_size(self, architecture: Architecture, node_id: str) -> tuple[float, float]:
        """The box a service needs for its icon and title, or a junction's dot."""
        service = architecture.services.get(node_id)
        if service is None:
            return JUNCTION, JUNCTION
        icon_width = max(ICON_WIDTH, self._icon_text_width(service.icon_text)) if service.icon_text else ICON_WIDTH
        if not service.title:
            return icon_width, ICON_HEIGHT
        title_width, title_height = self._title_size(service.title)
        return max(icon_width, title_width), ICON_HEIGHT + TITLE_GAP + title_height

    def _dot(self, architecture: Architecture, names: dict, clusters: dict, sizes: dict) -> str:
        rankdir = direction(architecture)
        lines = [
            "digraph G {",
            f"graph [rankdir={rankdir}, nodesep=0.45, ranksep=0.6, margin=0, pad=0.1];",
            'node [shape=box, fixedsize=true, label=""];',
        ]
        children: dict[str | None, list[str]] = {}
        for group in architecture.groups.values():
            children.setdefault(group.parent, []).append(group.id)
        members: dict[str | None, list[str]] = {}
        for node_id in names:
            members.setdefault(architecture.group_of(node_id), []).append(node_id)

        def node(node_id: str) -> None:
            width, height = sizes[node_id]
            inches = width / POINTS_PER_INCH, height / POINTS_PER_INCH
            lines.append(f"{names[node_id]} [width={inches[0]:.3f}, height={inches[1]:.3f}];")

        def cluster(group_id: str) -> None:
            group = architecture.groups[group_id]
            title_width, title_height = text_size(self.measure, group.title, self.size, bold=True)
            icon = GROUP_ICON + TITLE_GAP if group.icon else 0.0
            lines.append(f"subgraph {clusters[group_id]} {{")
            lines.append(
                f"label={label_cell(icon + title_width + 12, max(title_height, GROUP_ICON) + 6)}; "
                f"labeljust=l; margin={CLUSTER_MARGIN:.0f};"
            )
            for node_id in members.get(group_id, []):
                node(node_id)
            for child in children.get(group_id, []):
                cluster(child)
            if not members.get(group_id) and not children.get(group_id):
                lines.append(f"{clusters[group_id]}_empty [width=0.8, height=0.3, style=invis];")
            lines.append("}")

        for group_id in children.get(None, []):
            cluster(group_id)
        for node_id in members.get(None, []):
            node(node_id)
        for edge in architecture.edges:
            lines.append(_dot_edge(edge, names, rankdir))
        lines.append("}")
        return "\n".join(lines)

    # --- shapes -----------------------------------------------------------------------

    def _group(self, group: ArchitectureGroup, box: list[float], top: float, shapes: list[SceneShape]) -> SceneShape:
        """A dashed frame with the group's icon and title at its top-left corner."""
        x0, y0, x1, y1 = box
        frame = SceneShape(
            group.id, "frame", x0, top - y1, x1 - x0, y1 - y0, fill=self.style.frame_fill,
            stroke=self.style.frame_stroke, stroke_width=1.25, dashed=True, font_size=self.size,
        )
        shapes.append(frame)
        left = frame.x + 6
        if group.icon:
            icon = self._icon(f"{group.id}@icon", group.icon, left, frame.y + 5, GROUP_ICON, GROUP_ICON)
            shapes.extend((icon.main, *icon.extras))
            left += GROUP_ICON + TITLE_GAP
        if group.title:
            width, height = text_size(self.measure, group.title, self.size, bold=True)
            shapes.append(
                SceneShape(
                    f"{group.id}@title", "text", left, frame.y + 5 + GROUP_ICON / 2 - (height + 4) / 2, width + 8,
                    height + 4, group.title, text_color=self.style.text, font_size=self.size, bold=True, align="left",
                )
            )
        return frame

    def _node(self, architecture: Architecture, node_id: str, x: float, y: float, width: float,
              shapes: list[SceneShape]) -> tuple[SceneShape, SceneShape]:
        """A service's icon and title (or a junction's dot); returns the shapes edges attach to."""
        service = architecture.services.get(node_id)
        if service is None:
            dot = SceneShape(node_id, "circle", x, y, JUNCTION, JUNCTION, fill=self.style.edge, stroke=self.style.edge)
            shapes.append(dot)
            return dot, dot
        if service.icon_text:
            icon_width = max(ICON_WIDTH, self._icon_text_width(service.icon_text))
            main = SceneShape(
                node_id, "round", x + (width - icon_width) / 2, y + 4, icon_width, ICON_HEIGHT - 8, service.icon_text,
                fill=self.style.node_fill, stroke=self.style.node_stroke, stroke_width=1.25,
                text_color=self.style.text, font_size=self.size * 0.85,
            )
            icon = _Icon(main)
        else:
            icon = self._icon(node_id, service.icon, x + (width - ICON_WIDTH) / 2, y, ICON_WIDTH, ICON_HEIGHT, glued=True)
        shapes.extend((icon.main, *icon.extras))
        if not service.title:
            return icon.main, icon.main
        title_width, title_height = self._title_size(service.title)
        title = SceneShape(
            f"{node_id}@title", "rect", x + (width - title_width) / 2, y + ICON_HEIGHT + TITLE_GAP, title_width,
            title_height, service.title, text_color=self.style.text, font_size=self.size,
        )
        shapes.append(title)
        return icon.main, title

    def _icon(self, shape_id: str, name: str, x: float, y: float, width: float, height: float,
              glued: bool = False) -> _Icon:
        """A built-in icon drawn inside the box (x, y, width, height); unknown names are a plain box.
        glued: edges attach to the icon, so its main shape must have sites both applications agree on."""
        fill, stroke, ink = self.style.node_fill, self.style.node_stroke, self.style.node_stroke
        scale = height / ICON_HEIGHT
        cx, cy = x + width / 2, y + height / 2

        def box(kind: str, w: float, h: float, **style) -> SceneShape:
            return SceneShape(shape_id, kind, cx - w / 2, cy - h / 2, w, h, fill=fill, stroke=stroke,
                              stroke_width=1.5 * scale, **style)

        def mark(suffix: str, kind: str, left: float, top: float, w: float, h: float,
                 filled: bool = True) -> SceneShape:
            return SceneShape(f"{shape_id}@{suffix}", kind, left, top, w, h, fill=ink if filled else None,
                              stroke=None if filled else ink, stroke_width=1.25 * scale)

        if name == "cloud" and glued:
            tile = box("round", height * 0.9, height * 0.9)
            cloud = mark("cloud", "cloud", cx - tile.width * 0.35, cy - tile.height * 0.25, tile.width * 0.7, tile.height * 0.5)
            return _Icon(tile, (cloud,))
        if name == "cloud":
            return _Icon(box("cloud", width, height * 0.8))
        if name == "database":
            return _Icon(box("storage", height * 0.8, height))
        if name == "disk":
            main = box("circle", height * 0.92, height * 0.92)
            hub = mark("hub", "circle", cx - main.width / 4, cy - main.height / 4, main.width / 2, main.height / 2, False)
            return _Icon(main, (hub,))
        if name == "server":
            main = box("round", height * 0.9, height)
            left, inner = main.x + 4 * scale, main.width - 8 * scale
            extras = []
            for unit in range(3):
                unit_top = main.y + unit * main.height / 3
                if unit:
                    extras.append(mark(f"bar{unit}", "rect", left, unit_top - 0.75 * scale, inner, 1.5 * scale))
                dot = 4 * scale
                extras.append(mark(f"led{unit}", "circle", main.x + main.width - 6 * scale - dot,
                                   unit_top + main.height / 6 - dot / 2, dot, dot))
            return _Icon(main, tuple(extras))
        if name == "internet":
            main = box("circle", height * 0.92, height * 0.92)
            meridian = mark("meridian", "circle", cx - main.width * 0.22, main.y, main.width * 0.44, main.height, False)
            equator = mark("equator", "rect", main.x, cy - 0.6 * scale, main.width, 1.2 * scale)
            return _Icon(main, (meridian, equator))
        return _Icon(box("round", height * 0.9, height * 0.9))

    # --- edges ------------------------------------------------------------------------

    def _edge(self, architecture: Architecture, edge: ArchitectureEdge, anchors: dict, frames: dict) -> SceneConnector:
        """A connector between the named sides of the two ends (a group's frame for `{group}`)."""
        def anchor(node_id: str, side: str, grouped: bool) -> SceneShape:
            if grouped and architecture.group_of(node_id) in frames:
                return frames[architecture.group_of(node_id)]
            icon, title = anchors[node_id]
            return title if side == "bottom" else icon

        source_site, target_site = edge.source_side, edge.target_side
        source = anchor(edge.source, source_site, edge.source_group)
        target = anchor(edge.target, target_site, edge.target_group)
        if not (_faces(source, source_site, target) and _faces(target, target_site, source)):
            # the layout could not put the ends where the sides say: attach where they do face
            source_site, target_site = facing_sites(anchors[edge.source][0], anchors[edge.target][0])
            source = anchor(edge.source, source_site, edge.source_group)
            target = anchor(edge.target, target_site, edge.target_group)
        start, end = site_point(source, source_site), site_point(target, target_site)
        facing = (source_site, target_site) in (("right", "left"), ("left", "right")) and (
            (end[0] - start[0]) * (1 if source_site == "right" else -1) > 0
        )
        return SceneConnector(
            start, end, source.id, target.id, source_site, target_site, color=self.style.edge, width=1.5,
            head="arrow" if edge.head else "none", tail="arrow" if edge.tail else "none",
            route="elbow" if facing and abs(end[1] - start[1]) > 1 else "straight",
        )

    def _edge_label(self, index: int, label: str, connector: SceneConnector) -> SceneShape:
        """An edge's label beside the middle of its line (above a level line, right of an upright
        or bent one), so the line never runs through the text."""
        width, height = text_size(self.measure, label, self.size * 0.9)
        width, height = width + 8, height + 4
        (x1, y1), (x2, y2) = connector.start, connector.end
        cx, cy = (x1 + x2) / 2, (y1 + y2) / 2
        if connector.route == "straight" and abs(x2 - x1) >= abs(y2 - y1):
            x, y = cx - width / 2, cy - height - 2
        else:
            x, y = cx + 3, cy - height / 2
        return SceneShape(f"edge@{index}", "text", x, y, width, height, label, text_color=self.style.text,
                          font_size=self.size * 0.9)


def _dot_edge(edge: ArchitectureEdge, names: dict, rankdir: str) -> str:
    """One DOT edge that puts the target where the named sides say it lies."""
    dx, dy = edge_offset(edge)
    along, across = (dx, dy) if rankdir == "LR" else (dy, dx)
    source, target = names[edge.source], names[edge.target]
    if along:
        tail, head = (source, target) if along > 0 else (target, source)
        return f"{tail} -> {head};"
    tail, head = (source, target) if across >= 0 else (target, source)
    return f"{tail} -> {head} [minlen=0];"


def _faces(shape: SceneShape, side: str, other: SceneShape) -> bool:
    """Whether other lies beyond the given side of shape."""
    (x, y), (ox, oy) = shape.centre, other.centre
    ux, uy = _AXIS[side]
    reach = (shape.width if ux else shape.height) / 2
    return (ox - x) * ux + (oy - y) * uy > reach


def _order_across(architecture: Architecture, centres: dict[str, list[float]], sizes: dict) -> None:
    """Swap the two ends of an edge across the ranks that dot stacked the wrong way round.

    `a:B -- T:b` in a left-to-right layout puts a and b in one rank, but dot may stack
    b above a; when both sit in the same group, b trades places with a.
    """
    rankdir = direction(architecture)
    axis = 1 if rankdir == "LR" else 0  # the coordinate along a rank
    for _ in range(len(architecture.edges)):
        swapped = False
        for edge in architecture.edges:
            dx, dy = edge_offset(edge)
            along, across = (dx, dy) if rankdir == "LR" else (dy, dx)
            first, second = centres[edge.source], centres[edge.target]
            if (along or not across or abs(first[1 - axis] - second[1 - axis]) > 1
                    or architecture.group_of(edge.source) != architecture.group_of(edge.target)
                    or (second[axis] - first[axis]) * across > 0):
                continue
            # the pair keeps the span it had, the node that should come first now at its start
            leading, trailing = (edge.source, edge.target) if across > 0 else (edge.target, edge.source)
            lead_size, trail_size = sizes[leading][axis], sizes[trailing][axis]
            start = min(centres[leading][axis] - lead_size / 2, centres[trailing][axis] - trail_size / 2)
            stop = max(centres[leading][axis] + lead_size / 2, centres[trailing][axis] + trail_size / 2)
            centres[leading][axis] = start + lead_size / 2
            centres[trailing][axis] = stop - trail_size / 2
            swapped = True
        if not swapped:
            return


def _outer_first(architecture: Architecture) -> list[str]:
    """Group ids with every group before the groups inside it."""
    ordered: list[str] = []

    def visit(parent: str | None) -> None:
        for group in architecture.groups.values():
            if group.parent == parent:
                ordered.append(group.id)
                visit(group.id)

    visit(None)
    return ordered


def draw_architecture(architecture: Architecture, measure: Measurer, style: DiagramStyle) -> Scene:
    """The diagram type's draw step: an Architecture laid out into a Scene."""
    return ArchitectureLayout(measure, style).scene(architecture)
