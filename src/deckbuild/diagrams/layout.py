"""Graph → Scene through Graphviz `dot`: node sizes from our own text metrics, clusters
as frames, edge labels where Graphviz puts them.

Graphviz is asked only for positions. Every label is handed to it as an empty
HTML table cell of the size we measured, so its own font metrics never matter,
and `dot` runs as a subprocess with a timeout.
"""

from __future__ import annotations

import json
import subprocess
from dataclasses import replace

from ..measure import Measurer
from ..theme import DiagramStyle
from .model import Cluster, Edge, Graph, MermaidError, Node
from .packing import rearranged
from .readability import frame_title_box
from .routing import Router
from .scene import Scene, SceneConnector, SceneShape

DOT_TIMEOUT = 20.0  # seconds; a diagram that needs longer gets a diagnostic instead
PADDING_X = 12.0
LABEL_WRAP_EMS = 12.5  # Mermaid wraps labels at 200 px of its 16 px type
PADDING_Y = 8.0
CLUSTER_TITLE_GAP = 6.0
POINTS_PER_INCH = 72.0
_SIZED_SHAPES = {"start": (14.0, 14.0), "end": (18.0, 18.0), "choice": (26.0, 26.0)}


class LayoutError(Exception):
    """Graphviz failed or took too long."""


def text_size(measure: Measurer, text: str, size: float, bold: bool = False) -> tuple[float, float]:
    """Width of the widest line and height of all lines of a label, in points."""
    lines = text.split("\n") if text else []
    width = max((measure.width(line, size, bold=bold) for line in lines), default=0.0)
    return width, len(lines) * measure.line_height(size)


def node_size(node: Node, measure: Measurer, size: float, direction: str) -> tuple[float, float]:
    """The box a node needs for its label, by shape."""
    if node.shape in _SIZED_SHAPES:
        return _SIZED_SHAPES[node.shape]
    if node.shape in ("fork", "join"):
        return (8.0, 70.0) if direction in ("LR", "RL") else (70.0, 8.0)
    text_width, text_height = text_size(measure, node.label, size)
    width, height = text_width + 2 * PADDING_X, max(text_height, measure.line_height(size)) + 2 * PADDING_Y
    if node.shape == "rhombus":
        width, height = width * 1.5 + 8, height * 1.5 + 4
    elif node.shape in ("circle", "double_circle"):
        width = height = max(width, height) + (8 if node.shape == "double_circle" else 0)
    elif node.shape in ("hexagon", "parallelogram", "parallelogram_alt", "trapezoid", "trapezoid_alt", "asymmetric"):
        width += height * 0.6
    elif node.shape == "cylinder":
        height += 14
    elif node.shape in ("stadium", "round"):
        width += height * 0.3
    return max(width, 40.0), height


def wrapped_text(measure: Measurer, text: str, width: float, size: float) -> str:
    """text with each of its lines broken at spaces into lines no wider than width (a longer
    word keeps a line of its own), as Mermaid wraps labels."""
    lines: list[str] = []
    for line in text.split("\n"):
        broken: list[str] = []
        for word in line.split(" "):
            if broken and measure.width(f"{broken[-1]} {word}", size) <= width:
                broken[-1] = f"{broken[-1]} {word}"
            else:
                broken.append(word)
        lines += broken or [line]
    return "\n".join(lines)


def label_cell(width: float, height: float) -> str:
    """An HTML-like label that reserves exactly width × height points."""
    return (
        f'<<table border="0" cellborder="0" cellpadding="0" cellspacing="0"><tr>'
        f'<td fixedsize="true" width="{max(1, round(width))}" height="{max(1, round(height))}"></td></tr></table>>'
    )


class _DotWriter:
    """Builds the DOT text for a graph and remembers how names map back."""

    def __init__(self, graph: Graph, measure: Measurer, style: DiagramStyle) -> None:
        self.graph = graph
        self.measure = measure
        self.size = style.font_size
        self.node_names = {node_id: f"n{index}" for index, node_id in enumerate(graph.nodes)}
        self.cluster_names: dict[str, str] = {}
        self.cluster_first_node: dict[str, str] = {}
        self.cluster_last_node: dict[str, str] = {}
        self.sizes = {node_id: node_size(node, measure, self.size, graph.direction) for node_id, node in graph.nodes.items()}
        self.lines: list[str] = []

    def write(self) -> str:
        direction = {"TB": "TB", "TD": "TB", "BT": "BT", "LR": "LR", "RL": "RL"}.get(self.graph.direction, "TB")
        self.lines = [
            "digraph G {",
            f'graph [rankdir={direction}, nodesep=0.35, ranksep=0.45, compound=true, margin=0, pad=0.1];',
            'node [shape=box, fixedsize=true, label=""];',
        ]
        placed: set[str] = set()
        for cluster in self.graph.clusters:
            self._cluster(cluster, placed, depth=1)
        for node_id in self.graph.nodes:
            if node_id not in placed:
                self._node(node_id)
        backward = back_edges(self.graph)
        for index, edge in enumerate(self.graph.edges):
            self._edge(index, edge, index in backward)
        self.lines.append("}")
        return "\n".join(self.lines)

    def _node(self, node_id: str) -> None:
        width, height = self.sizes[node_id]
        self.lines.append(f"{self.node_names[node_id]} [width={width / POINTS_PER_INCH:.3f}, height={height / POINTS_PER_INCH:.3f}];")

    def _cluster(self, cluster: Cluster, placed: set[str], depth: int) -> None:
        name = f"cluster_{len(self.cluster_names)}"
        self.cluster_names[cluster.id] = name
        title_width, title_height = text_size(self.measure, cluster.title, self.size, bold=True)
        self.lines.append(f"subgraph {name} {{")
        self.lines.append(f"label={label_cell(title_width + 8, title_height + CLUSTER_TITLE_GAP)}; labeljust=l; margin=12;")
        for node_id in cluster.nodes:
            if node_id in self.node_names and node_id not in placed:
                placed.add(node_id)
                self._node(node_id)
        for child in cluster.clusters:
            self._cluster(child, placed, depth + 1)
        self._across(cluster)
        if not any(n in self.node_names for n in cluster.nodes) and not cluster.clusters:
            # an empty frame still needs something inside for dot to draw it
            self.lines.append(f'{name}_empty [width=0.8, height=0.3, style=invis];')
        self.lines.append("}")
        first = next((n for n in cluster.nodes if n in self.node_names), None)
        if first is None:
            first = next((self.cluster_first_node[c.id] for c in cluster.clusters if c.id in self.cluster_first_node), None)
        if first is not None:
            self.cluster_first_node[cluster.id] = first
        last = next((n for n in reversed(cluster.nodes) if n in self.node_names), None)
        if last is None:
            last = next((self.cluster_last_node[c.id] for c in reversed(cluster.clusters) if c.id in self.cluster_last_node), None)
        if last is not None:
            self.cluster_last_node[cluster.id] = last

    def _across(self, cluster: Cluster) -> None:
        """`direction LR` in a subgraph of a top-to-bottom graph (or TB in a left-to-right one):
        its own nodes share one rank, so its chain runs across the graph's direction. Graphviz has
        one rank direction per graph, so a subgraph holding subgraphs keeps the graph's."""
        vertical = {"TB", "TD", "BT"}
        if cluster.direction is None or cluster.clusters or \
                (cluster.direction in vertical) == (self.graph.direction in vertical):
            return
        members = [self.node_names[node_id] for node_id in cluster.nodes if node_id in self.node_names]
        if len(members) > 1:
            self.lines.append(f"{{rank=same; {'; '.join(members)};}}")

    def _endpoint(self, ref: str, leaving: bool) -> tuple[str | None, str | None]:
        """DOT node name for a node or cluster reference, and the cluster name when it is one.
        An edge leaves a cluster from its last node and enters it at its first, so that what
        follows a subgraph or composite state is ranked after all of it."""
        if ref in self.node_names:
            return self.node_names[ref], None
        inner = (self.cluster_last_node if leaving else self.cluster_first_node).get(ref)
        if inner is not None:
            return self.node_names[inner], self.cluster_names[ref]
        return None, None

    def _edge(self, index: int, edge: Edge, backward: bool) -> None:
        """One edge for dot. A backward edge (one closing a cycle) is handed over reversed: dot
        only ranks with it, and so ranks a cycle in the order the source tells it."""
        tail, tail_cluster = self._endpoint(edge.source, leaving=True)
        head, head_cluster = self._endpoint(edge.target, leaving=False)
        if backward:
            (tail, tail_cluster), (head, head_cluster) = self._endpoint(edge.target, True), self._endpoint(edge.source, False)
        if tail is None or head is None:
            return
        attributes = []
        if edge.label:
            width, height = text_size(self.measure, edge.label, self.size * 0.9)
            attributes.append(f"label={label_cell(width + 8, height + 4)}, id=e{index}")
        if tail_cluster and tail != head:
            attributes.append(f"ltail={tail_cluster}")
        if head_cluster and tail != head:
            attributes.append(f"lhead={head_cluster}")
        if edge.line_style == "invisible":
            attributes.append("style=invis")
        if not edge.constraint:
            attributes.append("constraint=false")
        if edge.min_ranks != 1:
            attributes.append(f"minlen={edge.min_ranks}")
        self.lines.append(f"{tail} -> {head} [{', '.join(attributes)}];" if attributes else f"{tail} -> {head};")


def back_edges(graph: Graph) -> set[int]:
    """Indices of the edges that close a cycle when the graph is walked depth first from its
    nodes in the order the source names them, each node's edges in source order: the edges a
    reader takes as going back (`검증 --> 개발: 테스트 실패` after `개발 --> 검증`)."""
    outgoing: dict[str, list[tuple[int, str]]] = {}
    for index, edge in enumerate(graph.edges):
        outgoing.setdefault(edge.source, []).append((index, edge.target))
    state: dict[str, int] = {}  # 1 while on the walk's path, 2 when done
    backward: set[int] = set()
    for root in [*graph.nodes, *outgoing]:
        if root in state:
            continue
        state[root] = 1
        path = [(root, iter(outgoing.get(root, ())))]
        while path:
            node, edges = path[-1]
            step = next(edges, None)
            if step is None:
                state[node] = 2
                path.pop()
                continue
            index, target = step
            if state.get(target) == 1:
                backward.add(index)
            elif target not in state:
                state[target] = 1
                path.append((target, iter(outgoing.get(target, ()))))
    return backward


def run_dot(dot_source: str) -> dict:
    """Graphviz's JSON for a DOT text, bounded by DOT_TIMEOUT."""
    try:
        result = subprocess.run(
            ["dot", "-Tjson"], input=dot_source, capture_output=True, text=True, timeout=DOT_TIMEOUT, check=False
        )
    except FileNotFoundError as error:
        raise LayoutError("Graphviz 'dot' is not installed") from error
    except subprocess.TimeoutExpired as error:
        raise LayoutError(f"Graphviz took longer than {DOT_TIMEOUT:.0f} s") from error
    if result.returncode != 0:
        raise LayoutError(f"Graphviz failed: {result.stderr.strip()[:200]}")
    return json.loads(result.stdout)


def dot_points(value: str) -> list[float]:
    """The numbers of a Graphviz position or box attribute ("x,y" or "x0,y0,x1,y1")."""
    return [float(part) for part in value.replace(" ", ",").split(",") if part]


class GraphLayout:
    """Lays out one Graph into a Scene with a theme's diagram style and text metrics."""

    def __init__(self, measure: Measurer, style: DiagramStyle) -> None:
        self.measure = measure
        self.style = style

    def scene(self, graph: Graph) -> Scene:
        """The graph laid out in its own direction, with the quarter-turned drawing as an alternative.

        A long `graph LR` chain drawn left to right can be twenty times wider than
        tall and its text unreadably small on a 16:9 slide; drawn top to bottom it
        fills the slide, and a tall chain may read larger beside text. The slide
        composer chooses between the two (handouts show the first); the turn is
        offered only when the diagram cannot already fill a slide at a comfortable size.
        """
        if not graph.nodes:
            raise MermaidError(1, "the diagram has no nodes")
        graph = self._wrapped(graph)
        scene = self._arranged(graph)
        if slide_fit(scene) >= COMFORTABLE_FIT or len(graph.nodes) < 3:
            return scene
        turned = self._arranged(replace(graph, direction=TURNED[graph.direction]))
        turned = replace(turned, warnings=(f"drawn {turned_name(graph.direction)} to stay readable",))
        return replace(scene, alternatives=(turned,))

    def _arranged(self, graph: Graph) -> Scene:
        """The graph drawn by `dot`, redrawn in rows when it cannot fill a slide at its own type
        size and rows fit a slide clearly better than dot's one strip (see packing)."""
        scene = self._scene(graph)
        if slide_fit(scene) >= READABLE_FIT:
            return scene
        changed = rearranged(graph, scene, (SLIDE_WIDTH, SLIDE_HEIGHT))
        if changed is None:
            return scene
        in_rows = replace(self._scene(changed.graph), description=scene.description)  # alt text in the author's order
        return in_rows if slide_fit(in_rows) > slide_fit(scene) and changed.reads_in_order(in_rows) else scene

    def _wrapped(self, graph: Graph) -> Graph:
        """The graph with node labels wrapped between words at Mermaid's label width, as Mermaid
        draws them: a long label makes a taller box rather than a very wide one."""
        width = LABEL_WRAP_EMS * self.style.font_size
        nodes = {}
        for node_id, node in graph.nodes.items():
            label = wrapped_text(self.measure, node.label, width, self.style.font_size)
            nodes[node_id] = replace(node, label=label) if label != node.label else node
        return replace(graph, nodes=nodes)

    def _scene(self, graph: Graph) -> Scene:
        writer = _DotWriter(graph, self.measure, self.style)
        try:
            layout = run_dot(writer.write())
        except (LayoutError, ValueError) as error:
            raise MermaidError(1, str(error)) from error
        x0, y0, x1, y1 = dot_points(layout["bb"])
        height = y1 - y0

        def flip(x: float, y: float) -> tuple[float, float]:
            return x - x0, height - (y - y0)

        objects = {obj["name"]: obj for obj in layout.get("objects", [])}
        shapes: list[SceneShape] = []
        self._frames(graph.clusters, writer, objects, flip, shapes)
        by_id: dict[str, SceneShape] = {shape.id: shape for shape in shapes}
        for node_id, node in graph.nodes.items():
            obj = objects.get(writer.node_names[node_id])
            if obj is None:
                continue
            cx, cy = flip(*dot_points(obj["pos"]))
            width, height_ = writer.sizes[node_id]
            shape = self._node_shape(node, cx - width / 2, cy - height_ / 2, width, height_)
            shapes.append(shape)
            by_id[node_id] = shape
        # where dot reserved each label's room: a place the router may put the label
        reserved = {int(obj["id"][1:]): flip(*dot_points(obj["lp"])) for obj in layout.get("edges", ())
                    if "lp" in obj and str(obj.get("id", "")).startswith("e")}
        connectors, labels = self._edges(graph, by_id, reserved)
        shapes.extend(labels)
        description = _describe(graph)
        return Scene(graph.kind, x1 - x0, height, tuple(shapes), tuple(connectors), description, self.style.font_size).fitted()

    def _frames(self, clusters, writer, objects, flip, shapes) -> None:
        for cluster in clusters:
            obj = objects.get(writer.cluster_names.get(cluster.id, ""))
            if obj is not None:
                bx0, by0, bx1, by1 = dot_points(obj["bb"])
                left, top = flip(bx0, by1)
                right, bottom = flip(bx1, by0)
                style = cluster.style
                shapes.append(
                    SceneShape(
                        cluster.id, "frame", left, top, right - left, bottom - top, cluster.title,
                        fill=style.fill or self.style.frame_fill, stroke=style.stroke or self.style.frame_stroke,
                        text_color=style.color or self.style.text, stroke_width=style.stroke_width or 1.0,
                        dashed=style.dashed, font_size=self.style.font_size, bold=True,
                    )
                )
            self._frames(cluster.clusters, writer, objects, flip, shapes)

    def _node_shape(self, node: Node, x: float, y: float, width: float, height: float) -> SceneShape:
        style = node.style
        if node.shape in ("start", "end", "fork", "join"):
            fill, stroke = style.fill or "222222", style.stroke or "222222"
        elif node.shape == "note":
            fill, stroke = style.fill or self.style.note_fill, style.stroke or self.style.note_stroke
        else:
            fill, stroke = style.fill or self.style.node_fill, style.stroke or self.style.node_stroke
        return SceneShape(
            node.id, node.shape, x, y, width, height, node.label, fill=fill, stroke=stroke,
            text_color=style.color or self.style.text, stroke_width=style.stroke_width or 1.25,
            dashed=style.dashed, font_size=self.style.font_size,
        )

    def _edges(self, graph: Graph, by_id: dict[str, SceneShape], reserved: dict[int, tuple[float, float]]):
        """Each edge routed clear of other nodes and earlier edges, each label on its own route
        clear of every node, frame title, line and other label (see routing.Router); reserved:
        the centre dot gave each edge's label, by edge index."""
        frames = [shape for shape in by_id.values() if shape.kind == "frame"]
        titles = [frame_title_box(frame, lambda text, size, bold: self.measure.width(text, size, bold=bold))
                  for frame in frames if frame.text]
        router = Router([shape for shape in by_id.values() if shape.kind != "frame"], titles)
        for index, edge in enumerate(graph.edges):
            source, target = by_id.get(edge.source), by_id.get(edge.target)
            if source is None or target is None or edge.line_style == "invisible":
                continue
            template = SceneConnector(
                source.centre, target.centre, color=self.style.edge, width=2.5 if edge.line_style == "thick" else 1.25,
                dashed=edge.line_style == "dotted", head=edge.head, tail=edge.tail,
                label=f"label_{index}" if edge.label else "",
            )
            label_size = None
            if edge.label:
                width, height = text_size(self.measure, edge.label, self.style.font_size * 0.9)
                label_size = (width + 8, height + 4)
            router.route(index, template, source, target, label_size, reserved.get(index))
        connectors, labels = [], []
        for index, connector, box in router.finish():
            connectors.append(connector)
            if box is not None:
                left, top, right, bottom = box
                labels.append(
                    SceneShape(
                        connector.label, "text", left, top, right - left, bottom - top, graph.edges[index].label,
                        fill=self.style.label_fill, text_color=self.style.text, font_size=self.style.font_size * 0.9,
                    )
                )
        return connectors, labels


TURNED = {"TB": "LR", "TD": "LR", "BT": "RL", "LR": "TB", "RL": "BT"}
SLIDE_WIDTH, SLIDE_HEIGHT = 870.0, 410.0  # the content area of a 16:9 slide, in points
COMFORTABLE_FIT = 1.5  # a scene that can grow this much on a slide needs no other arrangement
READABLE_FIT = 1.0  # …and one that fills a slide at its own type size is not redrawn in rows


def turned_name(direction: str) -> str:
    return "top to bottom" if direction in ("LR", "RL") else "left to right"


def slide_fit(scene: Scene) -> float:
    """How much a scene can be enlarged (or must shrink) to fill a slide's content area."""
    return min(SLIDE_WIDTH / scene.width, SLIDE_HEIGHT / scene.height)


def _describe(graph: Graph) -> str:
    """What alt text says after the diagram's type: the labels a reader would see, in order."""
    titles = [cluster.title for cluster in graph.all_clusters() if cluster.title]
    labels = [node.label for node in graph.nodes.values() if node.label]
    edge_labels = [edge.label for edge in graph.edges if edge.label]
    return ", ".join(text.replace("\n", " ") for text in (*titles, *labels, *edge_labels))
