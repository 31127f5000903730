"""GitGraph → Scene: a lane per branch, time running along the lanes.

Commits are drawn in the order they were made, each a step further along than the
one before (further where ids or tags on one lane need the room), on their branch's
lane and in its colour: a dot, a hollow ring for a merge, a square for HIGHLIGHT, a
crossed circle for REVERSE. Lines join each commit to its parents: along the lane to the
previous commit, across lanes from the fork point and from the merged branch (a
cherry-pick's source line is dashed).
Branch names start their lanes; tags sit beside their commit, the authors' ids
under it.
"""

from __future__ import annotations

from ..measure import Measurer
from ..theme import DiagramStyle
from .layout import text_size
from .routing import site_point
from .mermaid.gitgraph import GitBranch, GitCommit, GitGraph
from .mindmap_layout import ink, palette, tint
from .model import MermaidError
from .scene import Scene, SceneConnector, SceneShape

RADIUS = 9.0  # of a commit dot, in points
LABEL_PAD_X = 8.0
LABEL_PAD_Y = 3.0
GAP = 6.0  # between a commit and its id or tags, and between stacked tags
MIN_STEP = 40.0  # between consecutive commits
LANE_MARGIN = 10.0
SMALL = 0.85  # ids and tags, relative to the base type size
# The sides a line leaves a commit by and enters the next one by, as time runs in each direction.
FORWARD = {"LR": ("right", "left"), "TB": ("bottom", "top"), "BT": ("top", "bottom")}


def branch_order(graph: GitGraph) -> list[GitBranch]:
    """Branches in lane order, as Mermaid sorts them: by `order:`, those without one
    (main first) before any ordered one, keeping the order they were made in."""
    count = len(graph.branches)

    def key(indexed: tuple[int, GitBranch]) -> float:
        index, branch = indexed
        if branch.order is not None:
            return float(branch.order)
        return 0.0 if index == 0 else index / (count + 1)

    return [branch for _, branch in sorted(enumerate(graph.branches), key=key)]


class GitGraphLayout:
    """Lays out one GitGraph into a Scene with a theme's diagram style and text metrics."""

    def __init__(self, measure: Measurer, style: DiagramStyle) -> None:
        self.measure = measure
        self.style = style
        self.size = style.font_size
        self.small = style.font_size * SMALL

    def _box(self, text: str, size: float, bold: bool = False) -> tuple[float, float]:
        width, height = text_size(self.measure, text, size, bold)
        return width + 2 * LABEL_PAD_X, height + 2 * LABEL_PAD_Y

    def scene(self, graph: GitGraph) -> Scene:
        if not graph.commits:
            raise MermaidError(1, "the git graph has no commits")
        branches = branch_order(graph)
        lane = {branch.name: index for index, branch in enumerate(branches)}
        colours = palette(self.style)
        colour = {branch.name: colours[index % len(colours)] for index, branch in enumerate(branches)}
        labels = {branch.name: self._box(branch.name, self.size, bold=True) for branch in branches}
        ids = {c.id: self._box(c.id, self.small) for c in graph.commits if c.custom_id}
        tags = {c.id: [self._box(tag, self.small) for tag in c.tags] for c in graph.commits}
        across = graph.direction == "LR"
        if across:
            above = max((sum(h + GAP for _, h in boxes) for boxes in tags.values()), default=0.0)
            below = max((h + GAP for _, h in ids.values()), default=0.0)
            lane_gap = 2 * RADIUS + above + below + LANE_MARGIN
            start = max(w for w, _ in labels.values()) + 2 * GAP + RADIUS
        else:
            left = max((sum(w + GAP for w, _ in boxes) for boxes in tags.values()), default=0.0)
            right = max((w + GAP for w, _ in ids.values()), default=0.0)
            lane_gap = max([2 * RADIUS + left + right + LANE_MARGIN, *(w + GAP for w, _ in labels.values())])
            start = max(h for _, h in labels.values()) + 2 * GAP + RADIUS
        times = _times(graph, ids, tags, 0 if across else 1)
        span = times[-1]

        def centre(sequence: int, branch: str) -> tuple[float, float]:
            position = start + (times[sequence] if graph.direction != "BT" else span - times[sequence])
            return (position, lane[branch] * lane_gap) if across else (lane[branch] * lane_gap, position)

        first, last = start - RADIUS - 2 * GAP, start + span + RADIUS + 2 * GAP
        shapes: list[SceneShape] = []
        connectors: list[SceneConnector] = []
        dots: dict[str, SceneShape] = {}
        for sequence, commit in enumerate(graph.commits):
            cx, cy = centre(sequence, commit.branch)
            dots[commit.id] = self._commit(commit, cx, cy, colour[commit.branch])
        forward, backward = FORWARD[graph.direction]
        far = last if graph.direction != "BT" else first
        for branch in branches:
            label = self._branch_label(branch, labels[branch.name], colour[branch.name], lane[branch.name] * lane_gap,
                                       graph.direction, first, last)
            shapes.append(label)
            # a dashed guide along the lane: from the name to the first commit, and on from the last
            on_lane = [dots[c.id] for c in graph.commits if c.branch == branch.name]
            guide = dict(color=tint(colour[branch.name], 0.55), width=1.0, dashed=True, head="none")
            x, y = site_point(label, forward)
            end = (far, y) if across else (x, far)
            if on_lane:
                connectors.append(SceneConnector((x, y), site_point(on_lane[0], backward), label.id, on_lane[0].id,
                                                 forward, backward, **guide))
                x, y = site_point(on_lane[-1], forward)
                end = (far, y) if across else (x, far)
            connectors.append(SceneConnector((x, y), end, on_lane[-1].id if on_lane else label.id, None, forward,
                                             None, **guide))
        for sequence, commit in enumerate(graph.commits):
            cx, cy = centre(sequence, commit.branch)
            shapes.append(dots[commit.id])
            shapes.extend(self._commit_labels(commit, cx, cy, ids.get(commit.id), tags[commit.id], across))
        by_id = {commit.id: commit for commit in graph.commits}
        along, between = [], []  # lines between lanes go first, so lanes are drawn over their ends
        for commit in graph.commits:
            for index, parent in enumerate(commit.parents):
                same_lane = by_id[parent].branch == commit.branch
                line_colour = colour[commit.branch] if index == 0 else colour[by_id[parent].branch]
                (along if same_lane else between).append(self._line(
                    dots[parent], dots[commit.id], same_lane, line_colour,
                    commit.kind == "cherry-pick" and index == 1, graph.direction))
        connectors += between + along
        description = ", ".join([b.name for b in branches] + [t for c in graph.commits for t in c.tags])
        return Scene("gitgraph", 0.0, 0.0, tuple(shapes), tuple(connectors), description, self.size).fitted()

    def _branch_label(self, branch: GitBranch, box: tuple[float, float], colour: str, offset: float,
                      direction: str, first: float, last: float) -> SceneShape:
        """The branch's name in a box of its colour, where its lane starts (before the first commit)."""
        width, height = box
        if direction == "LR":
            x, y = first - width, offset - height / 2
        elif direction == "TB":
            x, y = offset - width / 2, first - height
        else:
            x, y = offset - width / 2, last
        return SceneShape(f"branch:{branch.name}", "round", x, y, width, height, branch.name, fill=colour,
                          stroke=colour, text_color=ink(colour, self.style), font_size=self.size, bold=True)

    def _commit(self, commit: GitCommit, cx: float, cy: float, colour: str) -> SceneShape:
        """A commit's mark: a dot; a hollow ring for a merge, a dashed light one for a cherry-pick,
        a square for HIGHLIGHT, a crossed circle for REVERSE."""
        kind, fill, size, stroke_width, dashed = "circle", colour, 2 * RADIUS, 2.0, False
        if commit.type == "HIGHLIGHT":
            kind, size = "rect", 2 * RADIUS - 2
        elif commit.type == "REVERSE":
            kind, fill = "cross_circle", tint(colour, 0.8)
        elif commit.kind == "merge":
            fill, stroke_width = self.style.label_fill, 4.0
        elif commit.kind == "cherry-pick":
            fill, dashed = tint(colour, 0.7), True
        return SceneShape(f"commit:{commit.id}", kind, cx - size / 2, cy - size / 2, size, size, fill=fill,
                          stroke=colour, stroke_width=stroke_width, dashed=dashed)

    def _commit_labels(self, commit: GitCommit, cx: float, cy: float, id_box, tag_boxes,
                       across: bool) -> list[SceneShape]:
        """The author's id under the commit (beside it when lanes run down) and its tags above (or before it)."""
        shapes = []
        if id_box is not None:
            width, height = id_box
            x, y = (cx - width / 2, cy + RADIUS + GAP / 2) if across else (cx + RADIUS + GAP / 2, cy - height / 2)
            shapes.append(SceneShape(f"id:{commit.id}", "text", x, y, width, height, commit.id,
                                     text_color=self.style.text, font_size=self.small))
        offset = RADIUS + GAP
        for index, (tag, (width, height)) in enumerate(zip(commit.tags, tag_boxes)):
            if across:
                x, y = cx - width / 2, cy - offset - height
                offset += height + GAP
            else:
                x, y = cx - offset - width, cy - height / 2
                offset += width + GAP
            shapes.append(SceneShape(f"tag:{commit.id}:{index}", "round", x, y, width, height, tag,
                                     fill=self.style.note_fill, stroke=self.style.note_stroke,
                                     text_color=self.style.text, font_size=self.small))
        return shapes

    def _line(self, parent: SceneShape, child: SceneShape, same_lane: bool, colour: str, dashed: bool,
              direction: str) -> SceneConnector:
        """The line from a parent commit to its child, leaving forward along the time axis.

        Left to right, a line between lanes is an elbow: along the parent's lane, across at
        half-way, along the child's lane; so it never runs through the ids under the commits.
        """
        source_site, target_site = FORWARD[direction]
        return SceneConnector(
            site_point(parent, source_site), site_point(child, target_site), parent.id, child.id, source_site,
            target_site, color=colour, width=2.5, dashed=dashed, head="none",
            route="elbow" if direction == "LR" and not same_lane else "straight",
        )


def _times(graph: GitGraph, ids: dict, tags: dict, axis: int) -> list[float]:
    """Each commit's distance along the time axis from the first: at least MIN_STEP after
    the commit before it, far enough from earlier commits on its lane that their ids and
    tags (measured along axis 0 = widths, 1 = heights) do not touch, and far enough from
    a parent on another lane that the line between them turns clear of both."""
    times: list[float] = []
    # branch → (time, extent) of the latest commit on it that has an id, and one that has tags
    latest: tuple[dict[str, tuple[float, float]], dict[str, tuple[float, float]]] = ({}, {})
    position: dict[str, tuple[float, str, tuple[float, float]]] = {}  # commit id → (time, branch, extents)
    for commit in graph.commits:
        extents = (ids[commit.id][axis] if commit.id in ids else 0.0,
                   max((box[axis] for box in tags[commit.id]), default=0.0))
        time = times[-1] + MIN_STEP if times else 0.0
        for parent in commit.parents:
            if position[parent][1] != commit.branch:
                # an elbow from another lane turns half-way: clear of both commits' ids and tags
                time = max(time, position[parent][0] + max(*extents, *position[parent][2]) + GAP)
        for extent, seen in zip(extents, latest):
            if extent and commit.branch in seen:
                earlier_time, earlier_extent = seen[commit.branch]
                time = max(time, earlier_time + (extent + earlier_extent) / 2 + GAP)
        for extent, seen in zip(extents, latest):
            if extent:
                seen[commit.branch] = (time, extent)
        times.append(time)
        position[commit.id] = (time, commit.branch, extents)
    return times


def draw_gitgraph(graph: GitGraph, measure: Measurer, style: DiagramStyle) -> Scene:
    """The diagram type's draw step: a GitGraph laid out into a Scene."""
    return GitGraphLayout(measure, style).scene(graph)
