"""Boxes made of abutting cells (ER entity tables, UML class boxes) linked by relations → Scene.

Each box is built here from its model with our own text metrics, then handed to
Graphviz `dot` as one fixed-size node, so Graphviz only decides where boxes go. Relations
become straight connectors glued to the cells that lie on the facing sides of their boxes
(spread over several cells when a side carries several lines), with the label beside
the middle of the line and the texts that belong to an end (ER cardinalities, UML
multiplicities) just beside that end, each moved clear of other lines and texts.

ER cardinality: PowerPoint has no crow's-foot line end, so each end carries a small
editable text — `1`, `0..1`, `1..N` or `0..N` — and non-identifying relationships are dashed.
UML ends use the native line ends: inheritance and realization a triangle, composition
and aggregation a diamond, association and dependency an open arrow, a lollipop a circle.
PowerPoint line ends are always filled, so the deck cannot draw the hollow triangle and
the hollow aggregation diamond; the handout's SVG draws them hollow.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, replace

from ..measure import Measurer
from ..theme import DiagramStyle
from .layout import (
    POINTS_PER_INCH, TURNED, LayoutError, dot_points, label_cell, run_dot, slide_fit, text_size, turned_name,
)
from .routing import facing_sites, site_point
from .mermaid.class_diagram import ClassDiagram, UmlClass
from .mermaid.er import Entity, EntityRelationshipDiagram
from .model import MermaidError, Style
from .scene import Scene, SceneConnector, SceneShape
from .readability import segment_hits

CELL_PADDING_X = 8.0
CELL_PADDING_Y = 4.0
HEADER_PADDING_X = 12.0
HEADER_PADDING_Y = 6.0
EMPTY_COMPARTMENT = 10.0
NOTE_PADDING = 8.0
END_TEXT_GAP = 3.0
LABEL_GAP = 4.0
SELF_LOOP = 18.0  # how far a box's loop to itself reaches out to the right
FRAME_TITLE_GAP = 6.0
_EPSILON = 0.01
# UML relation end (ClassRelation.source_end / target_end) → SceneConnector head/tail.
UML_ENDS = {"extension": "triangle", "composition": "diamond", "aggregation": "diamond_open", "arrow": "vee",
            "lollipop": "circle", "none": "none"}


@dataclass(frozen=True)
class Box:
    """One unit Graphviz places: its cells in the box's own coordinates (top-left at 0, 0)."""

    id: str
    shapes: tuple[SceneShape, ...]

    @property
    def width(self) -> float:
        return max(s.x + s.width for s in self.shapes)

    @property
    def height(self) -> float:
        return max(s.y + s.height for s in self.shapes)


@dataclass(frozen=True)
class Link:
    """A relation between two boxes: label at the middle, source_text/target_text beside its ends,
    tail/head the line ends at source/target (SceneConnector values)."""

    source: str
    target: str
    label: str = ""
    source_text: str = ""
    target_text: str = ""
    dashed: bool = False
    tail: str = "none"
    head: str = "none"


@dataclass(frozen=True)
class Group:
    """A titled frame around some boxes (a class diagram's namespace)."""

    title: str
    boxes: tuple[str, ...]


@dataclass(frozen=True)
class Drawing:
    """Everything TableLayout places: boxes, links, frames, the author's direction, alt-text summary."""

    kind: str
    boxes: tuple[Box, ...]
    links: tuple[Link, ...]
    groups: tuple[Group, ...] = ()
    direction: str = "TB"
    description: str = ""


def draw_er(diagram: EntityRelationshipDiagram, measure: Measurer, style: DiagramStyle) -> Scene:
    """An ER diagram as tables (bold name over attribute rows) joined by relationship lines."""
    if not diagram.entities:
        raise MermaidError(1, "the ER diagram has no entities")
    builder = _Cells(measure, style)
    names = {entity_id: f"entity{index}" for index, entity_id in enumerate(diagram.entities)}
    boxes = tuple(builder.entity(names[e.id], e) for e in diagram.entities.values())
    links = tuple(
        Link(names[r.source], names[r.target], r.label, r.source_text, r.target_text, dashed=not r.identifying)
        for r in diagram.relationships
    )
    description = ", ".join(
        [e.label for e in diagram.entities.values()]
        + [f"{diagram.entities[r.source].label} {r.source_text}–{r.target_text} {diagram.entities[r.target].label}"
           + (f" ({r.label})" if r.label else "") for r in diagram.relationships]
    )
    drawing = Drawing("er", boxes, links, direction=diagram.direction, description=description.replace("\n", " "))
    return TableLayout(measure, style).scene(drawing)


def draw_class(diagram: ClassDiagram, measure: Measurer, style: DiagramStyle) -> Scene:
    """A class diagram as three-compartment boxes, notes and namespace frames joined by relations."""
    if not diagram.classes and not diagram.notes:
        raise MermaidError(1, "the class diagram has no classes")
    builder = _Cells(measure, style)
    names = {class_id: f"class{index}" for index, class_id in enumerate(diagram.classes)}
    boxes = [builder.uml_class(names[c.id], c) for c in diagram.classes.values()]
    links = [
        Link(names[r.source], names[r.target], r.label, r.source_cardinality, r.target_cardinality, r.dashed,
             UML_ENDS[r.source_end], UML_ENDS[r.target_end])
        for r in diagram.relations
    ]
    for index, note in enumerate(diagram.notes):
        boxes.append(builder.note(f"note{index}", note.text))
        if note.target is not None:
            links.append(Link(f"note{index}", names[note.target], dashed=True))
    groups = tuple(
        Group(name, tuple(names[c.id] for c in diagram.classes.values() if c.namespace == name))
        for name in diagram.namespaces
    )
    description = ", ".join(
        [*diagram.namespaces, *(c.title for c in diagram.classes.values()),
         *(r.label for r in diagram.relations if r.label), *(n.text for n in diagram.notes)]
    )
    drawing = Drawing("class", tuple(boxes), tuple(links), groups, diagram.direction, description.replace("\n", " "))
    return TableLayout(measure, style).scene(drawing)


class _Cells:
    """Builds boxes out of cells sized by our own text metrics."""

    def __init__(self, measure: Measurer, style: DiagramStyle) -> None:
        self.measure = measure
        self.style = style
        self.size = style.font_size

    def _text_width(self, text: str, bold: bool = False) -> float:
        return text_size(self.measure, text, self.size, bold)[0]

    def _lines_height(self, text: str) -> float:
        return max(1, len(text.split("\n"))) * self.measure.line_height(self.size)

    def _title(self, box_id: str, text: str, width: float, style: Style) -> SceneShape:
        """A box's bold title cell on top, in the item's own colours where its style sets them."""
        height = self._lines_height(text) + 2 * HEADER_PADDING_Y
        return SceneShape(box_id, "rect", 0, 0, width, height, text, fill=style.fill or self.style.node_fill,
                          stroke=style.stroke or self.style.node_stroke, text_color=style.color or self.style.text,
                          stroke_width=1.25, font_size=self.size, bold=True)

    def entity(self, box_id: str, entity: Entity) -> Box:
        """A table: the entity's name in a bold header, then one row of cells per attribute —
        type | name | keys | comment, each column present when some row uses it."""
        stroke = entity.style.stroke or self.style.node_stroke
        rows = [(a.type, a.name, a.key_text, a.comment) for a in entity.attributes]
        columns = [c for c in range(4) if any(row[c] for row in rows)]
        widths = [max(self._text_width(row[c]) for row in rows) + 2 * CELL_PADDING_X for c in columns]
        header_width = self._text_width(entity.label, bold=True) + 2 * HEADER_PADDING_X
        if widths and header_width > sum(widths):  # the header is wider: the name column takes the rest
            widths[columns.index(1) if 1 in columns else 0] += header_width - sum(widths)
        width = max(header_width, sum(widths))
        shapes = [self._title(box_id, entity.label, width, entity.style)]
        y = shapes[0].height
        for row_index, row in enumerate(rows):
            height = max(self._lines_height(row[c]) for c in columns) + 2 * CELL_PADDING_Y
            fill = self.style.label_fill if row_index % 2 == 0 else self.style.frame_fill
            x = 0.0
            for column_index, (column, column_width) in enumerate(zip(columns, widths)):
                shapes.append(
                    SceneShape(f"{box_id}_{row_index}_{column_index}", "rect", x, y, column_width, height, row[column],
                               fill=fill, stroke=stroke, text_color=self.style.text, stroke_width=0.75,
                               font_size=self.size, align="left")
                )
                x += column_width
            y += height
        return Box(box_id, tuple(shapes))

    def uml_class(self, box_id: str, uml_class: UmlClass) -> Box:
        """Three compartments: annotations and name (bold), fields, methods (left-aligned)."""
        stroke = uml_class.style.stroke or self.style.node_stroke
        fields, methods = "\n".join(uml_class.fields), "\n".join(uml_class.methods)
        width = max(
            self._text_width(uml_class.title, bold=True) + 2 * HEADER_PADDING_X,
            self._text_width(fields) + 2 * CELL_PADDING_X,
            self._text_width(methods) + 2 * CELL_PADDING_X,
            60.0,
        )
        shapes = [self._title(box_id, uml_class.title, width, uml_class.style)]
        y = shapes[0].height
        for suffix, text in (("fields", fields), ("methods", methods)):
            height = self._lines_height(text) + 2 * CELL_PADDING_Y if text else EMPTY_COMPARTMENT
            shapes.append(
                SceneShape(f"{box_id}_{suffix}", "rect", 0, y, width, height, text, fill=self.style.label_fill,
                           stroke=stroke, text_color=self.style.text, stroke_width=1.25, font_size=self.size,
                           align="left")
            )
            y += height
        return Box(box_id, tuple(shapes))

    def note(self, box_id: str, text: str) -> Box:
        width = self._text_width(text) + 2 * NOTE_PADDING + 6
        height = self._lines_height(text) + 2 * NOTE_PADDING
        return Box(box_id, (
            SceneShape(box_id, "note", 0, 0, width, height, text, fill=self.style.note_fill,
                       stroke=self.style.note_stroke, text_color=self.style.text, font_size=self.size),
        ))


class TableLayout:
    """Places a Drawing's boxes with Graphviz and draws its links between the boxes' edge cells."""

    def __init__(self, measure: Measurer, style: DiagramStyle) -> None:
        self.measure = measure
        self.style = style
        self.label_size = style.font_size * 0.9

    def scene(self, drawing: Drawing) -> Scene:
        """The drawing in its own direction when it fits a slide; otherwise the most readable of
        it and its quarter-turn, each also folded so that two or three ranks share one.

        A chain of four tables drawn top to bottom is a tall strip whose text a slide must
        shrink below reading size; folded, the same chain fills the slide as a 2 × 2 block.
        """
        scene, ranks = self._scene(drawing, drawing.direction)
        if slide_fit(scene) >= 1 or len(drawing.boxes) < 3:
            return scene
        candidates: list[tuple[Scene, bool]] = []
        for direction in (drawing.direction, TURNED[drawing.direction]):
            layout, rows = (scene, ranks) if direction == drawing.direction else self._option(drawing, direction)
            if layout is None:
                continue
            candidates.append((layout, direction != drawing.direction))
            for fold in (2, 3) if not drawing.groups else ():
                folded = self._option(drawing, direction, _fold(rows, fold))[0] if len(rows) > fold else None
                if folded is not None:
                    candidates.append((folded, False))
        best, best_turned = max(candidates, key=lambda candidate: slide_fit(candidate[0]))
        if slide_fit(best) < 1.1 * slide_fit(scene):
            return scene
        if best_turned:  # a folded layout is a block, in neither direction: only a plain turn is reported
            return replace(best, warnings=(f"drawn {turned_name(drawing.direction)} to stay readable",))
        return best

    def _option(self, drawing: Drawing, direction: str, rows: list[list[str]] = ()):
        """Another layout to compare, or (None, []) when Graphviz cannot make it."""
        try:
            return self._scene(drawing, direction, rows)
        except MermaidError:
            return None, []

    def _dot(self, drawing: Drawing, direction: str, rows: list[list[str]]) -> str:
        has_end_texts = any(link.source_text or link.target_text for link in drawing.links)
        lines = [
            "digraph G {",
            # straight edges: only the boxes' places are used, and dot's spline router can crash
            f"graph [rankdir={direction}, nodesep=0.5, ranksep={0.75 if has_end_texts else 0.5}, margin=0, pad=0.1, "
            "splines=line"
            + ("" if drawing.groups else ', pack=true, packmode="array_u"') + "];",
            'node [shape=box, fixedsize=true, label=""];',
        ]
        grouped = set()
        for index, group in enumerate(drawing.groups):
            title_width, title_height = text_size(self.measure, group.title, self.style.font_size, bold=True)
            lines.append(f"subgraph cluster_{index} {{")
            title = label_cell(title_width + 12, title_height + FRAME_TITLE_GAP)
            lines.append(f"label={title}; labeljust=l; margin=14;")
            members = [self._node(box) for box in drawing.boxes if box.id in group.boxes]
            # dot drops an empty cluster, so an empty namespace holds an invisible stand-in
            lines += members or [f"group{index}_empty [width=0.8, height=0.3, style=invis];"]
            lines.append("}")
            grouped.update(group.boxes)
        lines += [self._node(box) for box in drawing.boxes if box.id not in grouped]
        lines += ["{rank=same; " + " ".join(f'"{box_id}";' for box_id in row) + "}" for row in rows if len(row) > 1]
        for link in drawing.links:
            attributes = ""
            if link.label:
                width, height = text_size(self.measure, link.label, self.label_size)
                attributes = f" [label={label_cell(width + 8, height + 4)}]"
            lines.append(f'"{link.source}" -> "{link.target}"{attributes};')
        lines.append("}")
        return "\n".join(lines)

    @staticmethod
    def _node(box: Box) -> str:
        return f'"{box.id}" [width={box.width / POINTS_PER_INCH:.3f}, height={box.height / POINTS_PER_INCH:.3f}];'

    def _scene(self, drawing: Drawing, direction: str, rows: list[list[str]] = ()) -> tuple[Scene, list[list[str]]]:
        """The drawing laid out by dot in direction, each of rows kept in one rank; with the
        boxes of each rank, in rank order."""
        try:
            layout = run_dot(self._dot(drawing, direction, rows))
        except (LayoutError, ValueError) as error:
            raise MermaidError(1, str(error)) from error
        _, _, _, top = dot_points(layout["bb"])
        objects = {obj["name"]: obj for obj in layout.get("objects", [])}
        shapes: list[SceneShape] = []
        for index, group in enumerate(drawing.groups):
            obj = objects.get(f"cluster_{index}")
            if obj is not None:
                x0, y0, x1, y1 = dot_points(obj["bb"])
                shapes.append(
                    SceneShape(f"frame{index}", "frame", x0, top - y1, x1 - x0, y1 - y0, group.title,
                               fill=self.style.frame_fill, stroke=self.style.frame_stroke, text_color=self.style.text,
                               font_size=self.style.font_size, bold=True)
                )
        placed: dict[str, tuple[SceneShape, ...]] = {}
        for box in drawing.boxes:
            cx, cy = dot_points(objects[box.id]["pos"])
            left, upper = cx - box.width / 2, top - cy - box.height / 2
            placed[box.id] = tuple(replace(s, x=s.x + left, y=s.y + upper) for s in box.shapes)
            shapes.extend(placed[box.id])
        connectors, labels = self._links(drawing.links, placed)
        shapes.extend(labels)
        scene = Scene(drawing.kind, 0, 0, tuple(shapes), tuple(connectors), drawing.description,
                      self.style.font_size).fitted()
        along = 1 if direction in ("TB", "BT") else 0
        ranks: dict[float, list[str]] = defaultdict(list)
        for box in drawing.boxes:
            ranks[round(dot_points(objects[box.id]["pos"])[along])].append(box.id)
        return scene, [ranks[key] for key in sorted(ranks, reverse=direction in ("TB", "RL"))]

    # --- links --------------------------------------------------------------------------

    def _links(self, links: tuple[Link, ...], placed: dict[str, tuple[SceneShape, ...]]):
        """Connectors for every link, then their labels, then the texts beside their ends
        (placed last, clear of every line and label)."""
        bounds = {box_id: _bounds(box_id, cells) for box_id, cells in placed.items()}
        ends: dict[tuple[str, str], list[tuple[int, str, float]]] = defaultdict(list)
        sites: dict[int, tuple[str, str]] = {}
        for index, link in enumerate(links):
            if link.source == link.target:
                continue
            sites[index] = facing_sites(bounds[link.source], bounds[link.target])
        self._unclutter(links, sites, placed, bounds)
        for index, (source_site, target_site) in sites.items():
            source, target = bounds[links[index].source], bounds[links[index].target]
            for role, box, other, side in (("source", source, target, source_site),
                                           ("target", target, source, target_site)):
                along = other.centre[0] if side in ("top", "bottom") else other.centre[1]
                ends[(box.id, side)].append((index, role, along))
        attachments: dict[tuple[int, str], SceneShape] = {}
        for (box_id, side), group in ends.items():
            cells = _spread(placed[box_id], bounds[box_id], side, len(group))
            for (index, role, _), cell in zip(sorted(group, key=lambda end: end[2]), cells):
                attachments[(index, role)] = cell
        busy = {cell.id for (index, role), cell in attachments.items() if sites[index][role == "target"] == "right"}
        connectors, segments, routes = [], [], []
        for index, link in enumerate(links):
            if link.source == link.target:
                route = self._self_link(link, placed[link.source], busy, connectors)
            else:
                source_site, target_site = sites[index]
                source_cell, target_cell = attachments[(index, "source")], attachments[(index, "target")]
                start, end = site_point(source_cell, source_site), site_point(target_cell, target_site)
                connectors.append(
                    SceneConnector(start, end, source_cell.id, target_cell.id, source_site, target_site,
                                   color=self.style.edge, dashed=link.dashed, head=link.head, tail=link.tail)
                )
                route = [(start, source_site), (end, target_site)]
            routes.append(route)
            segments += [(a, b) for (a, _), (b, _) in zip(route, route[1:])]
        cells = [cell for box in placed.values() for cell in box]
        labels: list[SceneShape] = []
        for index, (link, route) in enumerate(zip(links, routes)):
            if link.label:
                own = [(a, b) for (a, _), (b, _) in zip(route, route[1:])]
                others = [segment for segment in segments if segment not in own]
                points = [point for point, _ in route]
                labels.append(self._label(f"label{index}", link.label, points, others, cells + labels))
        for index, (link, route) in enumerate(zip(links, routes)):
            for role, text, (point, site) in (("source", link.source_text, route[0]),
                                              ("target", link.target_text, route[-1])):
                if text:
                    labels.append(self._end_text(f"end{index}_{role}", text, point, site, segments, labels))
        return connectors, labels

    @staticmethod
    def _unclutter(links: tuple[Link, ...], sites: dict[int, tuple[str, str]], placed: dict, bounds: dict) -> None:
        """Move line ends off a top or bottom side that has more of them than cells to glue to
        (a class box has one cell there) onto the left or right side, for boxes lying that way."""
        crowded: dict[tuple[str, str], list[tuple[int, int]]] = defaultdict(list)
        for index, pair in sites.items():
            for position, box_id in ((0, links[index].source), (1, links[index].target)):
                if pair[position] in ("top", "bottom"):
                    crowded[(box_id, pair[position])].append((index, position))
        for (box_id, side), group in crowded.items():
            box = bounds[box_id]
            room = len(_edge_cells(placed[box_id], box, side))

            def sideways(end: tuple[int, int]) -> float:
                link = links[end[0]]
                return abs(bounds[link.target if end[1] == 0 else link.source].centre[0] - box.centre[0])

            for index, position in sorted(group, key=sideways, reverse=True)[: max(0, len(group) - room)]:
                link = links[index]
                other = bounds[link.target if position == 0 else link.source]
                if other.x >= box.x + box.width or other.x + other.width <= box.x:
                    pair = list(sites[index])
                    pair[position] = "right" if other.centre[0] > box.centre[0] else "left"
                    sites[index] = (pair[0], pair[1])

    def _self_link(self, link: Link, cells: tuple[SceneShape, ...], busy: set[str], connectors: list) -> list:
        """A link from a box to itself: a loop out of its right side between the top and bottom
        right cells that other lines leave free (over the top right corner when the box has one
        cell there), drawn as straight lines because PowerPoint cannot bend one connector back to
        the side it leaves; both ends are glued. Returns the loop's (point, site) route."""
        box = _bounds(link.source, cells)
        right = _edge_cells(cells, box, "right")
        free = [cell for cell in right if cell.id not in busy]
        right = free if len(free) > 1 else right
        first, last = right[0], right[-1]
        end = site_point(last, "right")
        if first is last:
            start, first_site = site_point(first, "top"), "top"
            corner = box.x + box.width + SELF_LOOP, box.y - SELF_LOOP
            middle = [(start[0], corner[1]), corner, (corner[0], end[1])]
        else:
            start, first_site = site_point(first, "right"), "right"
            middle = [(start[0] + SELF_LOOP, start[1]), (end[0] + SELF_LOOP, end[1])]
        points = [start, *middle, end]
        common = {"color": self.style.edge, "dashed": link.dashed}
        for index, (a, b) in enumerate(zip(points, points[1:])):
            is_first, is_last = index == 0, index == len(points) - 2
            connectors.append(
                SceneConnector(a, b, first.id if is_first else None, last.id if is_last else None,
                               first_site if is_first else None, "right" if is_last else None,
                               head=link.head if is_last else "none", tail=link.tail if is_first else "none", **common)
            )
        return [(start, first_site), *((point, None) for point in middle), (end, "right")]

    def _label(self, shape_id: str, text: str, route: list[tuple[float, float]], segments: list,
               obstacles: list[SceneShape]) -> SceneShape:
        """A link's label beside its route's middle segment — right of a steep line, above a flat
        one — far enough out that the line, drawn over labels in decks, misses it; slid along the
        line, when a box, a label or another line is in the way at the middle."""
        width, height = text_size(self.measure, text, self.label_size)
        width, height = width + 6, height + 2
        middle = (len(route) - 1) // 2
        (x0, y0), (x1, y1) = route[middle], route[middle + 1]
        dx, dy = abs(x1 - x0), abs(y1 - y0)
        spots = []
        for fraction in (0.5, 0.4, 0.6, 0.3, 0.7, 0.2, 0.8):
            cx, cy = x0 + (x1 - x0) * fraction, y0 + (y1 - y0) * fraction
            if dy >= dx:
                spots.append((cx + LABEL_GAP + height / 2 * dx / max(dy, 1e-6), cy - height / 2))
            else:
                spots.append((cx - width / 2, cy - LABEL_GAP - height - width / 2 * dy / dx))
        left, upper = next(
            ((left, upper) for left, upper in spots
             if not any(_overlaps((left, upper, width, height), shape) for shape in obstacles)
             and not any(segment_hits(a, b, (left, upper, left + width, upper + height)) for a, b in segments)),
            spots[0],
        )
        return SceneShape(shape_id, "text", left, upper, width, height, text, text_color=self.style.text,
                          font_size=self.label_size)

    def _end_text(self, shape_id: str, text: str, point: tuple[float, float], side: str,
                  segments: list, placed: list[SceneShape]) -> SceneShape:
        """A cardinality beside a line's end, just outside the box: left of the line or below it
        first (labels go right or above), moved outward until no line or text is in its way."""
        width, height = text_size(self.measure, text, self.label_size)
        width, height = width + 6, height + 2
        x, y = point
        if side in ("top", "bottom"):
            upper = y - height - 1 if side == "top" else y + 1
            options = [(x - END_TEXT_GAP - width, upper, -1, 0), (x + END_TEXT_GAP, upper, 1, 0)]
        else:
            left = x - width - 2 if side == "left" else x + 2
            options = [(left, y + END_TEXT_GAP, 0, 1), (left, y - END_TEXT_GAP - height, 0, -1)]
        spots = [(left + step_x * shift, upper + step_y * shift)
                 for shift in range(0, 41, 4) for left, upper, step_x, step_y in options]
        left, upper = next(
            ((left, upper) for left, upper in spots
             if not any(segment_hits(a, b, (left, upper, left + width, upper + height)) for a, b in segments)
             and not any(_overlaps((left, upper, width, height), shape) for shape in placed)),
            options[0][:2],
        )
        return SceneShape(shape_id, "text", left, upper, width, height, text, text_color=self.style.text,
                          font_size=self.label_size)


def _overlaps(rect: tuple[float, float, float, float], shape: SceneShape) -> bool:
    x, y, width, height = rect
    return x < shape.x + shape.width and shape.x < x + width and y < shape.y + shape.height and shape.y < y + height


def _fold(ranks: list[list[str]], fold: int) -> list[list[str]]:
    """Ranks merged fold at a time: the boxes of ranks 0…fold-1 in one row, and so on."""
    return [[box_id for rank in ranks[start:start + fold] for box_id in rank] for start in range(0, len(ranks), fold)]


def _bounds(box_id: str, cells: tuple[SceneShape, ...]) -> SceneShape:
    """The rectangle around a placed box's cells."""
    x0, y0 = min(s.x for s in cells), min(s.y for s in cells)
    x1, y1 = max(s.x + s.width for s in cells), max(s.y + s.height for s in cells)
    return SceneShape(box_id, "rect", x0, y0, x1 - x0, y1 - y0)


def _edge_cells(cells: tuple[SceneShape, ...], box: SceneShape, side: str) -> list[SceneShape]:
    """The cells whose side lies on the box's side, in order along it."""
    if side == "left":
        found = [s for s in cells if abs(s.x - box.x) < _EPSILON]
    elif side == "right":
        found = [s for s in cells if abs(s.x + s.width - box.x - box.width) < _EPSILON]
    elif side == "top":
        found = [s for s in cells if abs(s.y - box.y) < _EPSILON]
    else:
        found = [s for s in cells if abs(s.y + s.height - box.y - box.height) < _EPSILON]
    along = 0 if side in ("top", "bottom") else 1
    return sorted(found, key=lambda s: s.centre[along])


def _spread(cells: tuple[SceneShape, ...], box: SceneShape, side: str, count: int) -> list[SceneShape]:
    """The cells count line ends on one side attach to: those nearest to evenly spaced points along it."""
    candidates = _edge_cells(cells, box, side)
    along = 0 if side in ("top", "bottom") else 1
    start = box.x if along == 0 else box.y
    length = box.width if along == 0 else box.height
    chosen = []
    for index in range(count):
        ideal = start + (index + 1) * length / (count + 1)
        chosen.append(min(candidates, key=lambda s: abs(site_point(s, side)[along] - ideal)))
    return chosen
