"""Edges of flowcharts and state diagrams: routed around nodes, both edges of a pair apart,
self-loops beside their node, labels on their own edge hiding nothing — on the scene, in
the PowerPoint XML, and as LibreOffice draws the deck."""

from __future__ import annotations

import math
import shutil
import subprocess

import pdfplumber
import pytest
from diagram_testing import MEASURE, STYLE, THEME, drawn_ends
from pptx import Presentation
from pptx.oxml.ns import qn
from pptx.util import Pt

from deckbuild.diagrams.build import build_scene
from deckbuild.diagrams.connector_path import OUTWARD, point_along, polyline
from deckbuild.diagrams.readability import box_of, boxes_overlap, line_hits, measure_scene, shrunk
from deckbuild.diagrams.scene import Scene, SceneConnector, SceneShape
from deckbuild.diagrams.routing import LABEL_OFFSETS
from deckbuild.diagrams.to_pptx import SceneWriter

CONTAINER_LIFE = """stateDiagram-v2
    [*] --> Created: docker create
    Created --> Running: docker start
    Running --> Paused: docker pause
    Paused --> Running: docker unpause
    Running --> Stopped: docker stop
    Stopped --> Running: docker start
    Stopped --> Removed: docker rm
    Running --> Running: docker exec
    Removed --> [*]
"""
LONG_EDGE = "graph TB\n    A[시작] --> B[빌드] --> C[테스트] --> D[배포]\n    A -->|건너뛰기| D\n"
ACROSS_GROUPS = """graph LR
    subgraph 개발
        a[코드] --> b[빌드]
    end
    subgraph 운영
        c[배포] --> d[모니터링]
    end
    b --> c
    a -->|핫픽스| d
"""
INTO_COMPOSITE = """stateDiagram-v2
    [*] --> Idle
    Idle --> Working: start
    state Working {
        [*] --> Fetch
        Fetch --> Build
        Build --> [*]
    }
    Working --> Idle: done
    Idle --> Working: retry
"""


def text_width(text: str, size: float, bold: bool) -> float:
    return MEASURE.width(text, size, bold=bold)


def scene_of(source: str) -> Scene:
    kind = source.split()[0]
    return build_scene(source, kind, MEASURE, STYLE)


def shape(scene: Scene, shape_id: str) -> SceneShape:
    return next(s for s in scene.shapes if s.id == shape_id)


def labelled(scene: Scene, text: str) -> SceneShape:
    return next(s for s in scene.shapes if s.kind == "text" and s.text == text)


@pytest.mark.parametrize("source", [LONG_EDGE, ACROSS_GROUPS, INTO_COMPOSITE])
def test_no_connector_crosses_a_node_or_a_label_and_no_texts_overlap(source):
    figures = measure_scene(scene_of(source), text_width)
    assert (figures.through_nodes, figures.through_labels, figures.overlapping_texts) == (0, 0, 0)


def test_a_crowded_diagram_still_has_no_line_through_a_node_and_no_hidden_text():
    figures = measure_scene(scene_of(CONTAINER_LIFE), text_width)
    assert (figures.through_nodes, figures.overlapping_texts) == (0, 0)


def test_an_edge_past_the_nodes_between_its_ends_goes_round_them():
    scene = scene_of(LONG_EDGE)
    skip = next(c for c in scene.connectors if (c.source, c.target) == ("A", "D"))
    for between in ("B", "C"):
        assert not line_hits(polyline(skip), shrunk(box_of(shape(scene, between))))


def test_an_edge_into_a_composite_state_ends_at_its_frame():
    scene = scene_of(INTO_COMPOSITE)
    frame = shape(scene, "Working")
    into = [c for c in scene.connectors if c.target == "Working"]
    assert len(into) == 2 and all(c.source == "Idle" for c in into)
    for connector in into:
        x, y = connector.end
        on_left_or_right = min(abs(x - frame.x), abs(x - frame.x - frame.width)) < 0.5
        on_top_or_bottom = min(abs(y - frame.y), abs(y - frame.y - frame.height)) < 0.5
        assert on_left_or_right or on_top_or_bottom
    assert polyline(into[0]) != polyline(into[1])


def test_both_edges_of_an_opposite_pair_get_their_own_route_and_readable_label():
    scene = scene_of(CONTAINER_LIFE)
    pause = next(c for c in scene.connectors if (c.source, c.target) == ("Running", "Paused"))
    unpause = next(c for c in scene.connectors if (c.source, c.target) == ("Paused", "Running"))
    assert {pause.start, pause.end} != {unpause.start, unpause.end}
    labels = [labelled(scene, "docker pause"), labelled(scene, "docker unpause")]
    assert not boxes_overlap(box_of(labels[0]), box_of(labels[1]))
    for label, connector in zip(labels, (pause, unpause)):
        others = [s for s in scene.shapes if s is not label and s.text]
        assert not any(boxes_overlap(box_of(label), box_of(other)) for other in others if other.kind != "frame")
        assert not any(line_hits(polyline(c), shrunk(box_of(label))) for c in scene.connectors if c is not connector)
        # the label sits on or beside its own edge
        assert gap_to_route(label, connector) <= LABEL_OFFSETS[-1] + 1


def gap_to_route(label: SceneShape, connector: SceneConnector) -> float:
    """How far a label's box lies from the nearest point of a connector's route."""
    points = polyline(connector, steps=32)
    left, top, right, bottom = box_of(label)
    return min(math.hypot(max(left - x, 0, x - right), max(top - y, 0, y - bottom))
               for x, y in (point_along(points, step / 200) for step in range(201)))


def test_a_self_loop_is_a_loop_beside_its_node():
    scene = scene_of(CONTAINER_LIFE)
    loop = next(c for c in scene.connectors if c.source == c.target == "Running")
    running = shape(scene, "Running")
    assert loop.route == "loop" and loop.source_site != loop.target_site
    outside = [p for p in polyline(loop) if not running.x <= p[0] <= running.x + running.width
               or not running.y <= p[1] <= running.y + running.height]
    assert max(max(running.x - x, x - running.x - running.width, running.y - y, y - running.y - running.height)
               for x, y in outside) >= 10


def test_a_connector_through_another_edges_label_is_counted():
    nodes = (SceneShape("a", "rect", 0, 0, 40, 20, "a"), SceneShape("b", "rect", 0, 100, 40, 20, "b"),
             SceneShape("c", "rect", 100, 0, 40, 20, "c"))
    label = SceneShape("label_1", "text", 10, 50, 40, 14, "라벨")
    crossing = SceneConnector((20, 20), (20, 100), "a", "b", "bottom", "top")
    own = SceneConnector((40, 10), (100, 10), "a", "c", "right", "left", label="label_1")
    scene = Scene("flowchart", 200, 200, (*nodes, label), (crossing, own))
    assert measure_scene(scene, text_width).through_labels == 1
    assert measure_scene(Scene("flowchart", 200, 200, (*nodes, label), (own,)), text_width).through_labels == 0


def written(scene: Scene, scale: float = 1.0):
    """The scene written onto a slide at (20, 20): (presentation, group)."""
    presentation = Presentation()
    presentation.slide_width, presentation.slide_height = Pt(720), Pt(540)
    slide = presentation.slides.add_slide(presentation.slide_layouts[6])
    writer = SceneWriter(THEME.fonts.latin, THEME.fonts.east_asian, "ko-KR")
    return presentation, writer.add(slide, scene, 20, 20, scale, "도표")


EVERY_KIND = Scene("flowchart", 200, 220, (
    SceneShape("a", "rect", 0, 0, 40, 20, "a"), SceneShape("b", "rect", 100, 80, 40, 20, "b"),
    SceneShape("c", "rect", 0, 160, 40, 20, "c"),
), (
    SceneConnector((20, 20), (120, 80), "a", "b", "bottom", "top", route="elbow"),  # Z, first leg down
    SceneConnector((40, 10), (100, 90), "a", "b", "right", "left", route="elbow"),  # Z, first leg right
    SceneConnector((120, 100), (40, 170), "b", "c", "bottom", "right", route="elbow"),  # L, down then left
    SceneConnector((0, 10), (0, 170), "a", "c", "left", "left", route="curve"),  # C round the left
    SceneConnector((140, 90), (120, 80), "b", "b", "right", "top", route="loop"),
))


@pytest.mark.parametrize("scene", [EVERY_KIND, scene_of(CONTAINER_LIFE)], ids=["every kind", "container life"])
def test_connectors_are_written_glued_where_the_route_ends_with_presets_libreoffice_keeps(scene):
    _, group = written(scene)
    elements = group._element.findall(qn("p:cxnSp"))
    assert len(elements) == len(scene.connectors)
    kinds = set()
    for element, connector in zip(elements, scene.connectors):
        start, end, kind, adjust, corner = drawn_ends(element)
        kinds.add(kind)
        if kind.startswith("bent"):  # the first leg leaves the side it is glued to, outward
            outward = OUTWARD[connector.source_site]
            leg = (corner[0] - start[0], corner[1] - start[1])
            assert leg[0] * outward[0] + leg[1] * outward[1] > 1 and abs(leg[0] * outward[1] - leg[1] * outward[0]) < 0.1
        assert math.dist(start, (20 + connector.start[0], 20 + connector.start[1])) < 0.1
        assert math.dist(end, (20 + connector.end[0], 20 + connector.end[1])) < 1.1
        assert element.find(f".//{qn('a:stCxn')}") is not None and element.find(f".//{qn('a:endCxn')}") is not None
        if kind == "bentConnector3":
            assert adjust == {"adj1": 50000}  # LibreOffice redraws any other bend half-way anyway
    assert kinds <= {"straightConnector1", "bentConnector2", "bentConnector3", "curvedConnector3", "curvedConnector4"}


def test_a_group_covers_its_turned_connectors_as_drawn():
    """An elbow that starts with an upright leg is written turned a quarter; the group is no wider
    than what it draws."""
    scene = Scene("flowchart", 60, 140, (SceneShape("a", "rect", 0, 0, 40, 20, "a"),
                                         SceneShape("b", "rect", 10, 120, 40, 20, "b")),
                  (SceneConnector((20, 20), (30, 120), "a", "b", "bottom", "top", route="elbow"),))
    _, group = written(scene)
    assert group._element.find(f".//{qn('p:cxnSp')}/{qn('p:spPr')}/{qn('a:xfrm')}").get("rot") in ("5400000", "16200000")
    assert (round(group.left.pt), round(group.top.pt), round(group.width.pt), round(group.height.pt)) == (20, 20, 50, 140)


def test_edge_labels_are_written_above_the_lines():
    _, group = written(scene_of(CONTAINER_LIFE))
    children = [child for child in group._element if child.tag in (qn("p:sp"), qn("p:cxnSp"))]
    last_connector = max(i for i, child in enumerate(children) if child.tag == qn("p:cxnSp"))
    label_positions = [i for i, child in enumerate(children) if "docker pause" in "".join(child.itertext())]
    assert label_positions and min(label_positions) > last_connector


def flattened(item) -> list[tuple[float, float]]:
    """A pdfplumber line or curve as points, its Bézier pieces sampled."""
    if "path" not in item:
        return list(item["pts"])
    points = []
    for command, *args in item["path"]:
        if command in ("m", "l"):
            points.append(args[0])
        elif command == "c":
            start, (c1, c2, end) = points[-1], args
            points += [tuple((1 - t) ** 3 * start[i] + 3 * (1 - t) ** 2 * t * c1[i] + 3 * (1 - t) * t * t * c2[i]
                             + t ** 3 * end[i] for i in (0, 1)) for t in (step / 8 for step in range(1, 9))]
    return points


def _distance_to_path(point, path) -> float:
    return min(_segment_distance(point, a, b) for a, b in zip(path, path[1:]))


def _segment_distance(p, a, b) -> float:
    dx, dy = b[0] - a[0], b[1] - a[1]
    if dx == dy == 0:
        return math.dist(p, a)
    t = max(0.0, min(1.0, ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / (dx * dx + dy * dy)))
    return math.dist(p, (a[0] + t * dx, a[1] + t * dy))


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_libreoffice_draws_each_connector_where_the_scene_routes_it(tmp_path):
    scenes = [EVERY_KIND, scene_of(CONTAINER_LIFE)]
    presentation = Presentation()
    presentation.slide_width, presentation.slide_height = Pt(720), Pt(540)
    writer = SceneWriter(THEME.fonts.latin, THEME.fonts.east_asian, "ko-KR")
    for scene in scenes:
        writer.add(presentation.slides.add_slide(presentation.slide_layouts[6]), scene, 20, 20, 1.0, "도표")
    deck = tmp_path / "routes.pptx"
    presentation.save(deck)
    subprocess.run(["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(deck)],
                   capture_output=True, timeout=180, check=True)
    with pdfplumber.open(tmp_path / "routes.pdf") as pdf:
        pages = [[flattened(item) for item in page.lines + page.curves if item.get("stroke", True)] for page in pdf.pages]
    for scene, paths in zip(scenes, pages):
        for connector in scene.connectors:
            if connector.route == "loop":
                continue  # LibreOffice draws its own loop round the same corner
            points = polyline(connector, steps=16)
            for fraction in (0.25, 0.5, 0.75):
                x, y = point_along(points, fraction)
                assert min(_distance_to_path((20 + x, 20 + y), path) for path in paths if len(path) > 1) < 4, (
                    connector.source, connector.target, connector.route, fraction)


def test_direction_inside_a_subgraph_runs_its_chain_across_the_graph():
    source = ("graph TB\n    x[시작] --> s\n    subgraph s[빌드 단계]\n        direction LR\n"
              "        a[체크아웃] --> b[빌드] --> c[테스트]\n    end\n    s --> y[배포]\n")
    scene = scene_of(source)
    chain = [shape(scene, node_id) for node_id in ("a", "b", "c")]
    assert len({round(node.centre[1]) for node in chain}) == 1
    assert chain[0].centre[0] < chain[1].centre[0] < chain[2].centre[0]
    assert shape(scene, "x").centre[1] < chain[0].centre[1] < shape(scene, "y").centre[1]
