"""Flowcharts redrawn in rows when one long strip would be unreadable on a slide.

Graphviz's `dot` draws every rank of a graph in one line and puts unconnected parts
side by side (and ignores its own `pack` option), so three unrelated subgraphs or a
chain of twelve steps become a strip whose text is tiny on a 16:9 slide. A person
redrawing such a diagram for a slide breaks it into rows. This module proposes the
same, as a changed graph that `dot` then draws:

- *stacked*: unconnected parts in rows, one row after another along the ranks,
  held there by invisible edges from the deepest node of a row to each part of the next;
- *folded*: a long graph cut between two ranks into segments laid beside each other,
  by telling `dot` that the edges crossing a cut do not constrain the ranks.

Parts and segments keep their source order, subgraph frames are never cut, and the
proposal is made only when its estimated size on the slide is clearly larger.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from .model import Edge, Graph
from .scene import Scene

REARRANGE_GAIN = 1.15  # a proposal must read at least this much larger than the strip
PART_GAP = 28.0  # points between rows and parts, about dot's node and rank separation
MOST_SEGMENTS = 4

Span = tuple[float, float]  # a part's size across a row and along the ranks, in points


@dataclass(frozen=True)
class Rearrangement:
    """A graph changed so `dot` draws it in rows, and the nodes that must then lie in this
    order across (one a segment of a fold; none for stacked parts, whose rows edges hold)."""

    graph: Graph
    reading_order: tuple[str, ...] = ()

    def reads_in_order(self, scene: Scene) -> bool:
        """Whether scene (the changed graph drawn) keeps the reading order: dot does not always
        manage it when a segment starts inside a subgraph."""
        across_x = self.graph.direction not in ("LR", "RL")
        centres = {s.id: s.centre[0] if across_x else s.centre[1] for s in scene.shapes}
        places = [centres.get(node_id, 0.0) for node_id in self.reading_order]
        return all(a < b for a, b in zip(places, places[1:]))


def rearranged(graph: Graph, scene: Scene, slide: tuple[float, float]) -> Rearrangement | None:
    """The graph changed so `dot` draws it in rows, or None when scene (the graph as dot
    drew it) already fits slide (width, height) about as well as any proposal."""
    across_x = graph.direction not in ("LR", "RL")
    proposals = [p for p in (_stacked(graph, scene, across_x, slide), _folded(graph, scene, across_x, slide)) if p]
    if not proposals:
        return None
    fit, changed = max(proposals, key=lambda proposal: proposal[0])
    current = min(slide[0] / scene.width, slide[1] / scene.height)
    return changed if fit >= REARRANGE_GAIN * current else None


def parts(graph: Graph) -> list[list[str]]:
    """The graph's unconnected parts as node ids, in the order the source first names them.

    Nodes joined by any edge belong together, and so does everything inside one
    top-level subgraph, since its frame must stay whole."""
    parent = {node_id: node_id for node_id in graph.nodes}

    def root(node_id: str) -> str:
        while parent[node_id] != node_id:
            parent[node_id] = parent[parent[node_id]]
            node_id = parent[node_id]
        return node_id

    for cluster in graph.clusters:
        members = [n for n in cluster.members() if n in parent]
        for a, b in zip(members, members[1:]):
            parent[root(a)] = root(b)
    for edge in graph.edges:
        ends = [_representative(graph, ref) for ref in (edge.source, edge.target)]
        if all(end in parent for end in ends):
            parent[root(ends[0])] = root(ends[1])
    groups: dict[str, list[str]] = {}
    for node_id in graph.nodes:
        groups.setdefault(root(node_id), []).append(node_id)
    return list(groups.values())


# --- stacked: unconnected parts in rows ---------------------------------------------------


def _stacked(graph: Graph, scene: Scene, across_x: bool, slide) -> tuple[float, Rearrangement] | None:
    groups = parts(graph)
    if len(groups) < 2:
        return None
    spans = [_span(scene, _with_frames(graph, group), across_x) for group in groups]
    fit, rows = max(((_fit(spans, rows, across_x, slide), rows) for rows in _all_row_cuts(spans)), key=lambda o: o[0])
    if len(rows) < 2:
        return None
    position = _rank_position(scene, across_x, graph.direction in ("BT", "RL"))
    edges = []
    for upper, lower in zip(rows, rows[1:]):
        deepest = max((n for part in upper for n in groups[part]), key=position)
        edges += [Edge(deepest, min(groups[part], key=position), line_style="invisible") for part in lower]
    return fit, Rearrangement(replace(graph, edges=[*graph.edges, *edges]))


# --- folded: a long graph cut between ranks into segments side by side --------------------


def _folded(graph: Graph, scene: Scene, across_x: bool, slide) -> tuple[float, Rearrangement] | None:
    position = _rank_position(scene, across_x, graph.direction in ("BT", "RL"))
    levels = sorted({round(position(n)) for n in graph.nodes})
    if len(levels) < 4:
        return None
    rank = {n: levels.index(round(position(n))) for n in graph.nodes}
    cuts = _allowed_cuts(graph, rank, len(levels))
    best: tuple[float, list[list[int]]] | None = None
    for segments in _segmentations(len(levels), cuts):
        members = [[n for n in graph.nodes if rank[n] in segment] for segment in segments]
        spans = [_span(scene, _with_frames(graph, group), across_x) for group in members]
        fit = _fit(spans, [list(range(len(spans)))], across_x, slide)  # the segments make one row
        if best is None or fit > best[0]:
            best = (fit, segments)
    if best is None:
        return None
    segment_of = {n: next(i for i, s in enumerate(best[1]) if rank[n] in s) for n in graph.nodes}
    edges = [edge if _holds_rank(graph, edge, rank, segment_of) else replace(edge, constraint=False) for edge in graph.edges]
    # each segment starts at the first rank again. An edge of no length between nodes of
    # neighbouring segments keeps them in reading order across; dot honours it between nodes
    # outside subgraphs, so each segment is represented by its first node outside one.
    framed = {n for cluster in graph.clusters for n in cluster.members()}
    firsts = []
    for index in range(len(best[1])):
        members = sorted((n for n in graph.nodes if segment_of[n] == index), key=lambda n: rank[n])
        firsts.append(next((n for n in members if n not in framed), members[0]))
    free = [n for n in firsts if n not in framed]
    edges += [Edge(a, b, line_style="invisible", min_ranks=0) for a, b in zip(free, free[1:])]
    # dot starts from the order it reads nodes and frames in: give it the segments' order too
    order = list(graph.nodes)
    nodes = dict(sorted(graph.nodes.items(), key=lambda item: (segment_of[item[0]], order.index(item[0]))))
    clusters = sorted(graph.clusters, key=lambda c: min((segment_of[n] for n in c.members() if n in segment_of), default=0))
    return best[0], Rearrangement(replace(graph, nodes=nodes, edges=edges, clusters=clusters), tuple(firsts))


def _allowed_cuts(graph: Graph, rank: dict[str, int], count: int) -> list[int]:
    """Rank boundaries a fold may cut at: b cuts between ranks b-1 and b. A cut never goes
    through a frame, and only one forward edge may cross it, so that a reader follows one
    arrow from the end of a segment to the start of the next, as along a folded chain."""
    blocked = set()
    for cluster in graph.clusters:
        ranks = [rank[n] for n in cluster.members() if n in rank]
        if ranks:
            blocked.update(range(min(ranks) + 1, max(ranks) + 1))
    crossings = [0] * (count + 1)
    for edge in graph.edges:
        source, target = (_representative(graph, ref) for ref in (edge.source, edge.target))
        if source in rank and target in rank and rank[target] > rank[source]:
            for boundary in range(rank[source] + 1, rank[target] + 1):
                crossings[boundary] += 1
    return [b for b in range(1, count) if b not in blocked and crossings[b] <= 1]


def _segmentations(count: int, cuts: list[int]):
    """Ways to cut ranks 0..count-1 into 2..MOST_SEGMENTS segments of even length at allowed cuts."""
    for pieces in range(2, MOST_SEGMENTS + 1):
        chosen = []
        for k in range(1, pieces):
            ideal = count * k / pieces
            near = min((c for c in cuts if not chosen or c > chosen[-1]), key=lambda c: abs(c - ideal), default=None)
            if near is None:
                break
            chosen.append(near)
        else:
            bounds = [0, *chosen, count]
            yield [set(range(a, b)) for a, b in zip(bounds, bounds[1:])]


def _holds_rank(graph: Graph, edge: Edge, rank: dict[str, int], segment_of: dict[str, int]) -> bool:
    """Whether an edge still decides ranks in the fold: only one going forward inside a segment
    does, so that each segment keeps the ranks dot first gave it (a back edge could otherwise
    turn a segment round once the edges across the cuts no longer hold it)."""
    source, target = (_representative(graph, ref) for ref in (edge.source, edge.target))
    if source not in rank or target not in rank:
        return True
    return segment_of[source] == segment_of[target] and rank[target] > rank[source]


# --- shared helpers -------------------------------------------------------------------


def _representative(graph: Graph, ref: str) -> str:
    """A node standing for an edge end: the node itself, or the first node inside a cluster."""
    if ref in graph.nodes:
        return ref
    for cluster in graph.all_clusters():
        if cluster.id == ref:
            return next(iter(cluster.members()), ref)
    return ref


def _with_frames(graph: Graph, group: list[str]) -> set[str]:
    """Shape ids that draw a group of nodes: the nodes and every top-level frame holding one."""
    ids = set(group)
    return ids | {c.id for c in graph.clusters if set(c.members()) & ids}


def _span(scene: Scene, ids: set[str], across_x: bool) -> Span:
    """The size of the shapes with these ids: (across a row, along the ranks)."""
    shapes = [s for s in scene.shapes if s.id in ids]
    width = max(s.x + s.width for s in shapes) - min(s.x for s in shapes)
    height = max(s.y + s.height for s in shapes) - min(s.y for s in shapes)
    return (width, height) if across_x else (height, width)


def _all_row_cuts(spans: list[Span]):
    """For each row count, the parts cut into consecutive rows with the widest row narrowest."""
    widths = [across for across, _ in spans]
    total = len(widths)

    def row_width(start: int, end: int) -> float:
        return sum(widths[start:end]) + PART_GAP * (end - start - 1)

    # best[k][i]: the narrowest widest row when the first i parts make k rows; cut[k][i]: where the last row starts
    best = [[float("inf")] * (total + 1) for _ in range(total + 1)]
    cut = [[0] * (total + 1) for _ in range(total + 1)]
    best[0][0] = 0.0
    for rows in range(1, total + 1):
        for end in range(rows, total + 1):
            for start in range(rows - 1, end):
                widest = max(best[rows - 1][start], row_width(start, end))
                if widest < best[rows][end]:
                    best[rows][end], cut[rows][end] = widest, start
        bounds, end = [], total
        for k in range(rows, 0, -1):
            start = cut[k][end]
            bounds.append(list(range(start, end)))
            end = start
        yield bounds[::-1]


def _fit(spans: list[Span], rows: list[list[int]], across_x: bool, slide) -> float:
    """How much the parts arranged in rows could grow to fill the slide."""
    across = max(sum(spans[p][0] for p in row) + PART_GAP * (len(row) - 1) for row in rows)
    along = sum(max(spans[p][1] for p in row) for row in rows) + PART_GAP * (len(rows) - 1)
    width, height = (across, along) if across_x else (along, across)
    return min(slide[0] / width, slide[1] / height)


def _rank_position(scene: Scene, across_x: bool, reversed_ranks: bool):
    """A key giving where along the ranks a node's shape lies (BT and RL ranks run backwards)."""
    sign = -1.0 if reversed_ranks else 1.0
    centres = {s.id: sign * (s.centre[1] if across_x else s.centre[0]) for s in scene.shapes}
    return lambda node_id: centres.get(node_id, 0.0)
