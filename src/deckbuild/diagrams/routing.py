"""Edge routes and label places for a laid-out graph: each edge gets the glue sides and
route kind (see connector_path) that keep it clear of other nodes, of labels and of
earlier edges, and its label a place on or beside its own route that hides nothing.

Graphviz only places the nodes; routing happens here because a PowerPoint connector
that stays glued to its shapes can draw only a few kinds of line (and LibreOffice
redraws bent and curved ones from their glue sides alone). Edges are routed in
order: candidates are ranked by a cheap cost (the sides that face each other first,
then shorter and simpler lines) and checked one by one until no cheaper one can win.
"""

from __future__ import annotations

from dataclasses import replace

from .connector_path import DEFAULT_BULGE, OUTWARD, Point, point_along, polyline
from .readability import Box, bounds, box_of, boxes_overlap, line_hits, shrunk
from .scene import SceneConnector, SceneShape

SIDES = ("bottom", "right", "top", "left")
# what a candidate route costs, in points of line length
THROUGH_NODE = 10_000.0
THROUGH_LABEL = 2_000.0
SHARED_LINE = 3_000.0  # on top of an earlier edge's line (both edges of a pair on one line)
OTHER_SIDES = 40.0  # not the sides facing each other
SHARED_SITE = 60.0  # an end on a side where an earlier edge already ends
CROSSING = 80.0  # crossing an earlier edge's line
KIND_COST = {"straight": 0.0, "elbow": 15.0, "curve": 120.0, "loop": 0.0}
LABEL_GAP = 2.0
NEAR = 1.0


def site_point(shape: SceneShape, site: str) -> Point:
    """Where a side's connection site lies (the middle of that side)."""
    cx, cy = shape.centre
    return {
        "top": (cx, shape.y),
        "bottom": (cx, shape.y + shape.height),
        "left": (shape.x, cy),
        "right": (shape.x + shape.width, cy),
    }[site]


def facing_sites(source: SceneShape, target: SceneShape) -> tuple[str, str]:
    """Which sides an edge leaves and enters by, from where the two shapes lie."""
    (sx, sy), (tx, ty) = source.centre, target.centre
    dx, dy = tx - sx, ty - sy
    vertical_gap = abs(dy) - (source.height + target.height) / 2
    horizontal_gap = abs(dx) - (source.width + target.width) / 2
    if vertical_gap >= horizontal_gap:
        return ("bottom", "top") if dy >= 0 else ("top", "bottom")
    return ("right", "left") if dx >= 0 else ("left", "right")


def _outward(vector: Point, site: str) -> float:
    ux, uy = OUTWARD[site]
    return vector[0] * ux + vector[1] * uy


def _bounded_sum(terms, limit: float) -> float:
    """The sum of the terms' values, evaluated in order and stopped once it reaches limit."""
    total = 0.0
    for term in terms:
        total += term()
        if total >= limit:
            break
    return total


def _rough_length(start: Point, end: Point, kind: str) -> float:
    """The length of a route, cheaply: exact for a straight line or an elbow, near enough for a curve."""
    dx, dy = abs(end[0] - start[0]), abs(end[1] - start[1])
    if kind == "straight":
        return (dx * dx + dy * dy) ** 0.5
    return dx + dy + (2 * DEFAULT_BULGE if kind == "curve" else 0.0)


def _segments_share(first: list[Point], second: list[Point]) -> bool:
    """Whether two lines run along each other (a common level or upright stretch, or the same
    two ends)."""
    if {first[0], first[-1]} == {second[0], second[-1]}:
        return True
    for a, b in zip(first, first[1:]):
        for c, d in zip(second, second[1:]):
            for axis in (0, 1):
                other = 1 - axis
                if abs(a[other] - b[other]) < NEAR and abs(c[other] - d[other]) < NEAR and abs(a[other] - c[other]) < NEAR:
                    low = max(min(a[axis], b[axis]), min(c[axis], d[axis]))
                    high = min(max(a[axis], b[axis]), max(c[axis], d[axis]))
                    if high - low > 4 * NEAR:
                        return True
    return False


def _meet(first: Box, second: Box) -> bool:
    return first[0] <= second[2] and second[0] <= first[2] and first[1] <= second[3] and second[1] <= first[3]


def _crossings(first: list[Point], second: list[Point]) -> int:
    """How many times two lines cross (touching at an end does not count)."""
    return sum(1 for a, b in zip(first, first[1:]) for c, d in zip(second, second[1:]) if _segments_cross(a, b, c, d))


def _segments_cross(a: Point, b: Point, c: Point, d: Point) -> bool:
    def side(p: Point, q: Point, r: Point) -> float:
        return (q[0] - p[0]) * (r[1] - p[1]) - (q[1] - p[1]) * (r[0] - p[0])

    return side(a, b, c) * side(a, b, d) < -NEAR and side(c, d, a) * side(c, d, b) < -NEAR


class Router:
    """Routes one graph's edges among its nodes; remembers lines and labels as it goes.

    nodes: the shapes an edge may not cross (frames aside); titles: the boxes of frame titles,
    which lines and labels keep clear of."""

    def __init__(self, nodes: list[SceneShape], titles: list[Box]) -> None:
        self.nodes = [(shape.id, shrunk(box_of(shape))) for shape in nodes]
        # a label keeps a small gap from every node
        self.node_margins = [shrunk(box_of(shape), -LABEL_GAP) for shape in nodes]
        self.titles = titles
        self.lines: list[tuple[list[Point], Box]] = []  # routed lines with their bounds
        self.ends: set[tuple[str, str]] = set()  # (shape id, side) where an edge ends
        self.labels: list[tuple[str, Box]] = []

    def route(self, template: SceneConnector, source: SceneShape, target: SceneShape) -> SceneConnector:
        """template with the sides, ends and route kind of the clearest candidate: the straight line
        between the facing sides when nothing is in its way, else the cheapest of all."""
        best, best_cost = None, float("inf")
        for base, source_site, target_site, kind in self._candidates(source, target):
            if base >= best_cost:
                break
            connector = replace(template, source=source.id, target=target.id, start=site_point(source, source_site),
                                end=site_point(target, target_site), source_site=source_site, target_site=target_site,
                                route=kind)
            cost = base + SHARED_SITE * (((connector.source, connector.source_site) in self.ends)
                                         + ((connector.target, connector.target_site) in self.ends))
            cost += self._obstacle_cost(connector, best_cost - cost)
            if cost < best_cost:
                best, best_cost = connector, cost
        points = polyline(best)
        self.lines.append((points, bounds(points)))
        self.ends |= {(best.source, best.source_site), (best.target, best.target_site)}
        return best

    def _candidates(self, source: SceneShape, target: SceneShape):
        """(cost before obstacles, source side, target side, route kind) of every route worth trying,
        cheapest first; the straight line between the facing sides comes first on its own, as it
        usually wins and the others need not be listed."""
        if source is target:
            yield from ((0.0, a, b, "loop") for a, b in (("right", "top"), ("left", "top"), ("right", "bottom"), ("left", "bottom")))
            return
        preferred = facing_sites(source, target)
        start, end = site_point(source, preferred[0]), site_point(target, preferred[1])
        if "straight" in self._kinds(start, end, *preferred):
            yield _rough_length(start, end, "straight"), preferred[0], preferred[1], "straight"
        found = []
        for source_site in SIDES:
            for target_site in SIDES:
                start, end = site_point(source, source_site), site_point(target, target_site)
                for kind in self._kinds(start, end, source_site, target_site):
                    base = _rough_length(start, end, kind) + KIND_COST[kind]
                    base += 0.0 if (source_site, target_site) == preferred else OTHER_SIDES
                    found.append((base, source_site, target_site, kind))
        yield from sorted(found)

    @staticmethod
    def _kinds(start: Point, end: Point, source_site: str, target_site: str) -> list[str]:
        """The route kinds that leave the source side outward and enter the target side from outside
        (an elbow between sides at a right angle is an L, between opposite sides a Z)."""
        forward = (end[0] - start[0], end[1] - start[1])
        backward = (-forward[0], -forward[1])
        if source_site == target_site:
            return ["curve"]
        if _outward(forward, source_site) <= NEAR or _outward(backward, target_site) <= NEAR:
            return []
        aligned = abs(forward[0]) < NEAR or abs(forward[1]) < NEAR
        return ["straight"] if aligned else ["straight", "elbow"]

    def _obstacle_cost(self, connector: SceneConnector, limit: float) -> float:
        """What the nodes, titles and earlier lines a route runs through or along cost it (counted
        only until the cost reaches limit, past which the route cannot win)."""
        points = polyline(connector)
        extent = bounds(points)
        ends = {connector.source, connector.target}
        terms = (
            lambda: THROUGH_NODE * sum(1 for node_id, box in self.nodes
                                       if node_id not in ends and line_hits(points, box, extent)),
            lambda: THROUGH_LABEL * sum(1 for box in self.titles if line_hits(points, shrunk(box), extent)),
            lambda: SHARED_LINE * sum(1 for line, _ in self.lines if _segments_share(points, line)),
            lambda: CROSSING * sum(_crossings(points, line) for line, other in self.lines if _meet(extent, other)),
        )
        return _bounded_sum(terms, limit)

    def place_label(self, connector: SceneConnector, label_id: str, width: float, height: float) -> Point:
        """The top-left corner for a label on its own route (at its middle when that is clear,
        else further along or beside it) where it covers no node, title, label or other line."""
        points = polyline(connector)
        best, best_cost = None, float("inf")
        for shift, (x, y) in sorted(self._label_spots(points, width, height), key=lambda spot: spot[0]):
            if shift >= best_cost:
                break
            box = (x, y, x + width, y + height)
            cost = shift + self._label_cost(box, points, best_cost - shift)
            if cost < best_cost:
                best, best_cost = (x, y), cost
        self.labels.append((label_id, (best[0], best[1], best[0] + width, best[1] + height)))
        return best

    @staticmethod
    def _label_spots(points: list[Point], width: float, height: float):
        """(cost of moving there, top-left corner) for spots along the route, nearest the middle first."""
        for fraction in (0.5, 0.4, 0.6, 0.3, 0.7, 0.2, 0.8, 0.1, 0.9):
            cx, cy = point_along(points, fraction)
            shift = abs(fraction - 0.5) * 40
            yield shift, (cx - width / 2, cy - height / 2)
            for dx, dy in ((0, -1), (0, 1), (1, 0), (-1, 0)):
                yield shift + 10, (cx - width / 2 + dx * (width / 2 + LABEL_GAP), cy - height / 2 + dy * (height / 2 + LABEL_GAP))

    def _label_cost(self, box: Box, own: list[Point], limit: float) -> float:
        """What covering nodes, titles, labels and other lines costs a label box (up to limit)."""
        terms = (
            lambda: THROUGH_NODE * sum(1 for node in self.node_margins if boxes_overlap(box, node)),
            lambda: THROUGH_NODE * sum(1 for title in self.titles if boxes_overlap(box, title)),
            lambda: THROUGH_NODE * sum(1 for _, label in self.labels if boxes_overlap(box, label)),
            lambda: THROUGH_LABEL * sum(1 for line, extent in self.lines
                                        if line != own and line_hits(line, shrunk(box), extent)),
        )
        return _bounded_sum(terms, limit)
