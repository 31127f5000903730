"""Edge routes and label places for a laid-out graph: each edge gets the glue sides and
route kind (see connector_path) that keep it clear of other nodes, of labels and of
earlier edges, and its label a place on or beside its own route that hides nothing.

Graphviz only places the nodes; routing happens here because a PowerPoint connector
that stays glued to its shapes can draw only a few kinds of line (and LibreOffice
redraws bent and curved ones from their glue sides alone). Edges are routed in
order: candidates are ranked by a cheap cost (the sides that face each other first,
then shorter and simpler lines) and checked one by one until no cheaper one can win.
Labels are placed once every line is known; an edge that still runs through another
label is then routed again round the labels, and kept so only if that tangles less.
"""

from __future__ import annotations

from collections import Counter
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
SHARED_SITE = 25.0  # an end on a side where an earlier edge already ends, for each such edge
CROSSING = 80.0  # crossing an earlier edge's line
NO_LABEL_ROOM = 300.0  # a labelled edge whose middle has no room for its label
KIND_COST = {"straight": 0.0, "elbow": 15.0, "curve": 120.0, "loop": 0.0}
LABEL_GAP = 2.0
LABEL_OFFSETS = (LABEL_GAP, LABEL_GAP + 10, LABEL_GAP + 22, LABEL_GAP + 34)  # how far beside its line a label may sit
RESERVED_SPOT = 15.0  # the place Graphviz kept for a label, tried when it lies within
RESERVED_REACH = 16.0  # this many points of the route


def _label_spots() -> list[tuple[float, float | None, float, int, int]]:
    """Where a label may go, cheapest first: (cost of going there, fraction of the route its centre
    is at, how far beside the line, and to which side); a fraction of None stands for the room
    Graphviz kept, whose cost grows with its distance from the route."""
    spots = [(RESERVED_SPOT, None, 0.0, 0, 0)]
    for fraction in (0.5, 0.4, 0.6, 0.3, 0.7, 0.2, 0.8, 0.1, 0.9):
        shift = abs(fraction - 0.5) * 40
        spots.append((shift, fraction, 0.0, 0, 0))
        for away in LABEL_OFFSETS:
            for dx, dy in ((0, -1), (0, 1), (1, 0), (-1, 0)):
                spots.append((shift + 10 + away, fraction, away, dx, dy))
    return sorted(spots, key=lambda spot: spot[0])


LABEL_SPOTS = _label_spots()
NEAR = 1.0  # points: closer than this counts as touching or aligned


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


def _gap(box: Box, points: list[Point]) -> float:
    """How far a box lies from the nearest point of a polyline."""
    left, top, right, bottom = box
    return min(((max(left - x, 0, x - right)) ** 2 + (max(top - y, 0, y - bottom)) ** 2) ** 0.5
               for x, y in (point_along(points, step / 40) for step in range(41)))


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
    """Routes one graph's edges among its nodes, then places their labels.

    nodes: the shapes an edge may not cross (frames aside); titles: the boxes of frame titles,
    which lines and labels keep clear of. Add every edge with `route`, then `finish`: labels
    are placed once every line is known, and an edge whose line still runs through another
    label is routed again round the labels (kept only when that tangles less)."""

    def __init__(self, nodes: list[SceneShape], titles: list[Box]) -> None:
        self.nodes = [(shape.id, shrunk(box_of(shape))) for shape in nodes]
        # a label keeps a small gap from every node
        self.node_margins = [shrunk(box_of(shape), -LABEL_GAP) for shape in nodes]
        self.titles = titles
        self.edges: dict[int, tuple[SceneConnector, SceneShape, SceneShape]] = {}  # template and ends, by key
        self.connectors: dict[int, SceneConnector] = {}
        self.lines: dict[int, tuple[list[Point], Box]] = {}  # routed lines with their bounds
        self.ends: Counter[tuple[str, str]] = Counter()  # how many edges end at each (shape id, side)
        self.label_sizes: dict[int, tuple[float, float]] = {}
        self.label_centres: dict[int, Point] = {}
        self.labels: dict[int, Box] = {}

    def route(self, key: int, template: SceneConnector, source: SceneShape, target: SceneShape,
              label_size: tuple[float, float] | None = None, label_centre: Point | None = None) -> None:
        """Route an edge (template with its colours and ends) and remember the size of its label and
        the centre Graphviz kept free for it (a place to try when it lies beside the route)."""
        self.edges[key] = (template, source, target)
        if label_size:
            self.label_sizes[key] = label_size
        if label_centre:
            self.label_centres[key] = label_centre
        self._keep(key, self._best(template, source, target, label_size))

    def finish(self) -> list[tuple[int, SceneConnector, Box | None]]:
        """Every edge's connector and its label's box, in the order they were added."""
        for key in self.label_sizes:
            self._place_label(key)
        for key in list(self.connectors):
            if self._tangle(key):
                self._untangle(key)
        return [(key, connector, self.labels.get(key)) for key, connector in self.connectors.items()]

    def _keep(self, key: int, connector: SceneConnector) -> None:
        points = polyline(connector)
        self.connectors[key] = connector
        self.lines[key] = (points, bounds(points))
        self.ends.update(((connector.source, connector.source_site), (connector.target, connector.target_site)))

    def _drop(self, key: int) -> tuple[SceneConnector, Box | None]:
        connector = self.connectors.pop(key)
        del self.lines[key]
        self.ends.subtract(((connector.source, connector.source_site), (connector.target, connector.target_site)))
        return connector, self.labels.pop(key, None)

    def _tangle(self, key: int) -> int:
        """How many other labels an edge's line runs through, plus other lines through its label."""
        points, extent = self.lines[key]
        count = sum(1 for other, box in self.labels.items() if other != key and line_hits(points, shrunk(box), extent))
        own = self.labels.get(key)
        if own is not None:
            count += sum(1 for other, (line, bounds_) in self.lines.items()
                         if other != key and line_hits(line, shrunk(own), bounds_))
            count += sum(1 for node in self.node_margins if boxes_overlap(own, node))
        return count

    def _untangle(self, key: int) -> None:
        """Route an edge again with every other label in place, and its label after it; the old
        route and label come back unless that tangles less."""
        before = self._tangle(key)
        old_connector, old_label = self._drop(key)
        template, source, target = self.edges[key]
        self._keep(key, self._best(template, source, target, self.label_sizes.get(key)))
        if key in self.label_sizes:
            self._place_label(key)
        if self._tangle(key) >= before:
            self._drop(key)
            self._keep(key, old_connector)
            if old_label is not None:
                self.labels[key] = old_label

    def _best(self, template: SceneConnector, source: SceneShape, target: SceneShape,
              label_size: tuple[float, float] | None = None) -> SceneConnector:
        """template with the sides, ends and route kind of the clearest candidate: the straight line
        between the facing sides when nothing is in its way, else the cheapest of all. A labelled
        edge prefers a route with room for its label at its middle."""
        best, best_cost = None, float("inf")
        for base, source_site, target_site, kind in self._candidates(source, target):
            if base >= best_cost:
                break
            connector = replace(template, source=source.id, target=target.id, start=site_point(source, source_site),
                                end=site_point(target, target_site), source_site=source_site, target_site=target_site,
                                route=kind)
            cost = base + SHARED_SITE * (self.ends[connector.source, connector.source_site]
                                         + self.ends[connector.target, connector.target_site])
            cost += self._obstacle_cost(connector, best_cost - cost)
            if label_size and cost < best_cost and not self._room_at_middle(connector, label_size):
                cost += NO_LABEL_ROOM
            if cost < best_cost:
                best, best_cost = connector, cost
        return best

    def _room_at_middle(self, connector: SceneConnector, label_size: tuple[float, float]) -> bool:
        """Whether a label centred on the route's middle covers no node and no frame title."""
        (cx, cy), (width, height) = point_along(polyline(connector), 0.5), label_size
        box = (cx - width / 2, cy - height / 2, cx + width / 2, cy + height / 2)
        return not any(boxes_overlap(box, node) for node in self.node_margins) and \
            not any(boxes_overlap(box, title) for title in self.titles)

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
        starts = {side: site_point(source, side) for side in SIDES}
        ends = {side: site_point(target, side) for side in SIDES}
        for source_site, start in starts.items():
            for target_site, end in ends.items():
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
            lambda: THROUGH_LABEL * sum(1 for box in self.labels.values() if line_hits(points, shrunk(box), extent)),
            lambda: SHARED_LINE * sum(1 for line, _ in self.lines.values() if _segments_share(points, line)),
            lambda: CROSSING * sum(_crossings(points, line) for line, other in self.lines.values() if _meet(extent, other)),
        )
        return _bounded_sum(terms, limit)

    def _place_label(self, key: int) -> None:
        """A label's box on its own route (at its middle when that is clear, else further along or
        beside it, or in the room Graphviz kept for it) where it covers no node, title, label or
        other line. Spots are tried cheapest first and only until none left can win."""
        width, height = self.label_sizes[key]
        points = self.lines[key][0]
        centres: dict[float, Point] = {}
        best, best_cost = None, float("inf")
        for shift, fraction, away, dx, dy in LABEL_SPOTS:
            if shift >= best_cost:
                break
            if fraction is None:  # Graphviz's room, worth its distance from the route
                box = self._reserved_box(key, width, height)
                if box is None:
                    continue
                shift += _gap(box, points)
                if shift > RESERVED_SPOT + RESERVED_REACH:
                    continue
            else:
                if fraction not in centres:
                    centres[fraction] = point_along(points, fraction)
                cx, cy = centres[fraction]
                left = cx - width / 2 + dx * (width / 2 + away)
                top = cy - height / 2 + dy * (height / 2 + away)
                box = (left, top, left + width, top + height)
            cost = shift + self._label_cost(key, box, best_cost - shift)
            if cost < best_cost:
                best, best_cost = box, cost
        self.labels[key] = best

    def _reserved_box(self, key: int, width: float, height: float) -> Box | None:
        if key not in self.label_centres:
            return None
        cx, cy = self.label_centres[key]
        return cx - width / 2, cy - height / 2, cx + width / 2, cy + height / 2

    def _label_cost(self, key: int, box: Box, limit: float) -> float:
        """What covering nodes, titles, labels and other lines costs a label box (up to limit)."""
        terms = (
            lambda: THROUGH_NODE * sum(1 for node in self.node_margins if boxes_overlap(box, node)),
            lambda: THROUGH_NODE * sum(1 for title in self.titles if boxes_overlap(box, title)),
            lambda: THROUGH_NODE * sum(1 for other, label in self.labels.items() if other != key and boxes_overlap(box, label)),
            lambda: THROUGH_LABEL * sum(1 for other, (line, extent) in self.lines.items()
                                        if other != key and line_hits(line, shrunk(box), extent)),
        )
        return _bounded_sum(terms, limit)
