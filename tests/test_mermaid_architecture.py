"""architecture-beta: the parser (groups, services, junctions, edges, errors) and the layout
as a reader sees it (every title drawn, services inside their groups, edges on the named sides)."""

from __future__ import annotations

import math
from pathlib import Path

import pytest
from conftest import course_diagrams
from diagram_testing import (
    MEASURE, STYLE, THEME, drawn_ends, mermaid_error, missing, parsed_or_none, scene_text, svg_text, written,
)
from hypothesis import given, settings
from hypothesis import strategies as st
from pptx.oxml.ns import qn
from pptx.util import Emu

from deckbuild.diagrams.architecture_layout import ArchitectureLayout, direction, edge_offset
from deckbuild.diagrams.build import build_scene
from deckbuild.diagrams.routing import site_point
from deckbuild.diagrams.mermaid.architecture import (
    ArchitectureEdge,
    ArchitectureGroup,
    ArchitectureService,
    parse_architecture,
)
from deckbuild.diagrams.model import MermaidError
from deckbuild.diagrams.to_svg import scene_to_svg


def parse(body: str):
    """parse_architecture on body with the header line added."""
    return parse_architecture("architecture-beta\n" + body)


def error_of(body: str) -> MermaidError:
    return mermaid_error(parse, body)


# --- groups, services, junctions ------------------------------------------------------


def test_group_with_icon_title_and_parent():
    model = parse("group cloud(cloud)[운영 클러스터]\ngroup nodes(server)[워커 노드] in cloud\n")
    assert model.groups == {
        "cloud": ArchitectureGroup("cloud", "운영 클러스터", "cloud", None, 2),
        "nodes": ArchitectureGroup("nodes", "워커 노드", "server", "cloud", 3),
    }


def test_group_without_icon_or_title():
    assert parse("group g\n").groups["g"] == ArchitectureGroup("g", "", "", None, 2)


def test_service_in_a_group_with_every_built_in_icon():
    body = "group g(cloud)[G]\n" + "".join(
        f"service s{i}({icon})[서비스 {i}] in g\n" for i, icon in enumerate(("cloud", "server", "database", "disk", "internet"))
    )
    model = parse(body)
    assert [(s.id, s.icon, s.title, s.group) for s in model.services.values()] == [
        ("s0", "cloud", "서비스 0", "g"), ("s1", "server", "서비스 1", "g"), ("s2", "database", "서비스 2", "g"),
        ("s3", "disk", "서비스 3", "g"), ("s4", "internet", "서비스 4", "g"),
    ]


def test_service_at_top_level_with_an_icon_pack_name_and_text_icon():
    model = parse('service a(logos:aws-s3)[S3 버킷]\nservice b "K8s"[쿠버네티스]\n')
    assert model.services["a"] == ArchitectureService("a", "S3 버킷", "logos:aws-s3", "", None, 2)
    assert model.services["b"] == ArchitectureService("b", "쿠버네티스", "", "K8s", None, 3)


@pytest.mark.parametrize(
    "title, shown",
    [('["따옴표 [괄호] 포함"]', "따옴표 [괄호] 포함"), ("[ 공백 포함 ]", "공백 포함"),
     ("[API <br/> 서버]", "API\n서버"), ('["escaped \\" quote"]', 'escaped " quote')],
)
def test_titles(title, shown):
    assert parse(f"service a(server){title}\n").services["a"].title == shown


def test_junction_in_a_group():
    model = parse("group g\njunction j in g\njunction k\n")
    assert (model.junctions["j"].group, model.junctions["k"].group) == ("g", None)
    assert model.group_of("j") == "g"


def test_title_and_accessibility_lines_and_align():
    model = parse("title 배포 구조\naccTitle: 제목\naccDescr: 설명\nservice a(server)[A]\nservice b(server)[B]\nalign row a b\n")
    assert model.title == "배포 구조"
    assert list(model.services) == ["a", "b"]


# --- edges ------------------------------------------------------------------------------


SERVICES = "group g(cloud)[G]\nservice a(server)[A] in g\nservice b(database)[B] in g\njunction j\n"


@pytest.mark.parametrize(
    "line, edge",
    [
        ("a:R -- L:b", ArchitectureEdge("a", "right", "b", "left", line=6)),
        ("a:R --> L:b", ArchitectureEdge("a", "right", "b", "left", head=True, line=6)),
        ("a:B <-- T:b", ArchitectureEdge("a", "bottom", "b", "top", tail=True, line=6)),
        ("a:T <--> B:b", ArchitectureEdge("a", "top", "b", "bottom", head=True, tail=True, line=6)),
        ("a{group}:R -- L:j", ArchitectureEdge("a", "right", "j", "left", source_group=True, line=6)),
        ("j:R --> L:b{group}", ArchitectureEdge("j", "right", "b", "left", target_group=True, head=True, line=6)),
        ("a:R -[호출]- L:b", ArchitectureEdge("a", "right", "b", "left", label="호출", line=6)),
        ("a : L-->R : b", ArchitectureEdge("a", "left", "b", "right", head=True, line=6)),
    ],
)
def test_edges(line, edge):
    assert parse(SERVICES + line + "\n").edges == [edge]


def test_texts_lists_every_title_icon_text_and_label():
    model = parse('group g(cloud)[그룹]\nservice a(server)[에이] in g\nservice b "txt"[비]\na:R -[라벨]- L:b\n')
    assert model.texts() == ["그룹", "에이", "비", "txt", "라벨"]


def test_edge_offsets_read_the_sides():
    model = parse(SERVICES + "a:R -- L:b\na:B -- T:j\nj:L -- R:b\n")
    assert [edge_offset(e) for e in model.edges] == [(2, 0), (0, 2), (-2, 0)]
    assert direction(model) == "LR"
    assert direction(parse(SERVICES + "a:B -- T:b\n")) == "TB"


# --- errors -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "body, line, words",
    [
        ("service a(server)[A] in nowhere\n", 2, "not declared"),
        ("service a(server)[A] in g\ngroup g\n", 2, "not declared"),
        ("group g\ngroup g\n", 3, "twice"),
        ("group g\nservice g(server)\n", 3, "twice"),
        ("group g in g\n", 2, "inside itself"),
        ("service a(server)\na:R -- L:b\n", 3, "not a declared"),
        ("service a(server)\nservice b(server)\na{group}:R -- L:b\n", 4, "in no group"),
        ("service a(server)\na:R -- L:a\n", 3, "itself"),
        ("service a(server)\nservice b(server)\na:X -- L:b\n", 4, "cannot read"),
        ("service a(server)\nservice b(server)\na -- b\n", 4, "cannot read"),
        ("servce a(server)\n", 2, "cannot read"),
    ],
)
def test_errors_name_the_line(body, line, words):
    error = error_of(body)
    assert error.line == line and words in error.message


@pytest.mark.parametrize("source", ["", "%% 주석\n", "architecture\nservice a(server)\n", "graph TD\nA-->B\n"])
def test_missing_header_is_an_error(source):
    with pytest.raises(MermaidError):
        parse_architecture(source)


_FUZZ_WORDS = st.sampled_from(
    ["group", "service", "junction", "a", "b", "g", "in", "(cloud)", "(server)", "[제목]", '"x"', ":", "L", "R", "T",
     "B", "--", "-->", "<--", "-[", "]-", "{group}", "title", "align row", "\n", " ", "%%", "[", "]", "(", ")"]
)


@settings(max_examples=200, deadline=None)
@given(st.one_of(st.text(max_size=60), st.lists(_FUZZ_WORDS, max_size=30).map("".join)))
def test_any_input_gives_a_model_or_a_mermaid_error(body):
    for source in (body, "architecture-beta\n" + body):
        parsed_or_none(parse_architecture, source)


# --- layout -------------------------------------------------------------------------------


PIPELINE = """architecture-beta
    group ci(cloud)[CI 파이프라인]
    group prod(cloud)[운영 클러스터]
    group nodes(server)[워커 노드] in prod
    service git(internet)[Git 저장소] in ci
    service runner(server)[빌드 러너] in ci
    service api(server)[API 서버] in nodes
    service worker(server)[작업자] in nodes
    service db(database)[주문 DB] in prod
    service disk1(disk)[백업 디스크] in prod
    service ext(logos:aws)[외부 서비스]
    junction hub in prod
    git:R --> L:runner
    runner{group}:R -[배포]- L:api
    api:B -- T:worker
    api:R -- L:hub
    hub:R -- L:db
    db:B -- T:disk1
    ext:L -- R:db
"""


def inside(inner, outer) -> bool:
    return (outer.x <= inner.x and inner.x + inner.width <= outer.x + outer.width
            and outer.y <= inner.y and inner.y + inner.height <= outer.y + outer.height)


def test_every_text_is_in_the_scene_and_the_svg():
    scene = build_scene(PIPELINE, "architecture-beta", MEASURE, STYLE)
    texts = parse_architecture(PIPELINE).texts()
    assert not missing(texts, scene_text(scene))
    assert not missing(texts, svg_text(scene_to_svg(scene, THEME.fonts.east_asian)))
    assert scene.kind == "architecture" and scene.connectors


def test_services_and_groups_sit_inside_their_frames():
    model = parse_architecture(PIPELINE)
    scene = ArchitectureLayout(MEASURE, STYLE).scene(model)
    shapes = {shape.id: shape for shape in scene.shapes}
    for service in model.services.values():
        icon, title = shapes[service.id], shapes[f"{service.id}@title"]
        if service.group:
            assert inside(icon, shapes[service.group]) and inside(title, shapes[service.group]), service.id
    assert inside(shapes["nodes"], shapes["prod"])
    assert inside(shapes["hub"], shapes["prod"])
    assert not inside(shapes["ext"], shapes["prod"])
    frames = [shapes["ci"], shapes["prod"]]
    assert not any(inside(shapes[s], frames[0]) for s in ("api", "db"))


def test_titles_sit_under_their_icons_and_inside_their_boxes():
    scene = ArchitectureLayout(MEASURE, STYLE).scene(parse_architecture(PIPELINE))
    shapes = {shape.id: shape for shape in scene.shapes}
    for service in ("git", "runner", "api", "db", "disk1"):
        icon, title = shapes[service], shapes[f"{service}@title"]
        assert title.y >= icon.y + icon.height
        assert abs(title.centre[0] - icon.centre[0]) < 1
        assert MEASURE.width(title.text, title.font_size) <= title.width


def test_icons_are_drawn_as_native_shapes():
    scene = ArchitectureLayout(MEASURE, STYLE).scene(parse_architecture(PIPELINE))
    kinds = {shape.id: shape.kind for shape in scene.shapes}
    assert (kinds["git"], kinds["runner"], kinds["db"], kinds["disk1"], kinds["ext"]) == (
        "circle", "round", "storage", "circle", "round")
    assert kinds["ci@icon"] == "cloud" and kinds["hub"] == "circle"
    assert kinds["runner@bar1"] == "rect" and kinds["git@meridian"] == "circle" and kinds["disk1@hub"] == "circle"


def test_a_cloud_service_is_a_tile_carrying_the_cloud():
    scene = ArchitectureLayout(MEASURE, STYLE).scene(parse("service web(cloud)[웹]\nservice db(database)[DB]\nweb:R --> L:db\n"))
    shapes = {shape.id: shape for shape in scene.shapes}
    tile, cloud = shapes["web"], shapes["web@cloud"]
    assert (tile.kind, cloud.kind) == ("round", "cloud")
    assert tile.x < cloud.x and cloud.x + cloud.width < tile.x + tile.width
    assert tile.y < cloud.y and cloud.y + cloud.height < tile.y + tile.height
    assert scene.connectors[0].source == "web"


# The side of a shape's box each connection site of a preset faces, by index, as
# PowerPoint's preset geometries list them (None: a site between two sides).
SITE_SIDES = {
    "rect": ("top", "left", "bottom", "right"),
    "roundRect": ("top", "left", "bottom", "right"),
    "can": ("top", "left", "bottom", "right"),
    "ellipse": ("top", None, "left", None, "bottom", None, "right", None),
}
EVERY_ICON = """architecture-beta
    group g(cloud)[그룹]
    service web(cloud)[웹] in g
    service api(server)[API] in g
    service db(database)[DB] in g
    service disk1(disk)[디스크]
    service net(internet)[인터넷]
    service other(logos:aws)[외부]
    junction j
    net:R --> L:web
    web:R --> L:api
    api:B --> T:db
    db:R -- L:j
    j:B -- T:disk1
    disk1:L <-- R:other
    api{group}:R -- L:other
"""


def side_middle(shape_element, side: str) -> tuple[float, float]:
    """The middle of one side of a written shape's box, in points."""
    transform = shape_element.find(f"{qn('p:spPr')}/{qn('a:xfrm')}")
    off, ext = transform.find(qn("a:off")), transform.find(qn("a:ext"))
    x, y = Emu(int(off.get("x"))).pt, Emu(int(off.get("y"))).pt
    width, height = Emu(int(ext.get("cx"))).pt, Emu(int(ext.get("cy"))).pt
    return {"top": (x + width / 2, y), "bottom": (x + width / 2, y + height),
            "left": (x, y + height / 2), "right": (x + width, y + height / 2)}[side]


@pytest.mark.parametrize("source", [EVERY_ICON, PIPELINE, *(diagram.source for _, diagram in course_diagrams("architecture-beta"))])
def test_every_connector_is_glued_at_both_ends_to_the_side_it_ends_on(source):
    """Both ends glued to a shape of the group, at the site on the side where the line ends, so
    PowerPoint and LibreOffice draw it there and moving the shape drags it."""
    group = written(build_scene(source, "architecture-beta", MEASURE, STYLE))._element
    shapes = {element.find(f".//{qn('p:cNvPr')}").get("id"): element for element in group.iter(qn("p:sp"))}
    connectors = group.findall(f".//{qn('p:cxnSp')}")
    assert connectors
    for connector in connectors:
        start, end, *_ = drawn_ends(connector)
        for tag, point in (("a:stCxn", start), ("a:endCxn", end)):
            glue = connector.find(f".//{qn(tag)}")
            assert glue is not None, tag
            shape = shapes[glue.get("id")]
            side = SITE_SIDES[shape.find(f".//{qn('a:prstGeom')}").get("prst")][int(glue.get("idx"))]
            assert side is not None and math.dist(point, side_middle(shape, side)) < 0.5, (tag, side)


def test_edges_leave_and_enter_by_the_named_sides():
    scene = ArchitectureLayout(MEASURE, STYLE).scene(parse_architecture(PIPELINE))
    shapes = {shape.id: shape for shape in scene.shapes}
    by_ends = {(c.source, c.target): c for c in scene.connectors}
    first = by_ends[("git", "runner")]
    assert (first.source_site, first.target_site, first.head, first.tail) == ("right", "left", "arrow", "none")
    assert first.start == site_point(shapes["git"], "right") and first.end == site_point(shapes["runner"], "left")
    down = by_ends[("api@title", "worker")]  # a bottom side leaves under the title, not through it
    assert (down.source_site, down.target_site, down.head) == ("bottom", "top", "none")
    assert shapes["worker"].y > shapes["api@title"].y
    grouped = by_ends[("ci", "api")]  # runner{group}: the edge leaves the CI frame
    assert grouped.source_site == "right" and grouped.start == site_point(shapes["ci"], "right")
    label = shapes["edge@1"]  # beside the middle of its line, not on it
    middle = ((grouped.start[0] + grouped.end[0]) / 2, (grouped.start[1] + grouped.end[1]) / 2)
    assert label.text == "배포"
    if grouped.route == "elbow":
        assert label.x > middle[0] and label.y < middle[1] < label.y + label.height
    else:
        assert label.y + label.height < middle[1] and label.x < middle[0] < label.x + label.width


def test_right_to_left_neighbours_run_left_to_right():
    scene = ArchitectureLayout(MEASURE, STYLE).scene(parse_architecture(PIPELINE))
    shapes = {shape.id: shape for shape in scene.shapes}
    assert shapes["git"].x < shapes["runner"].x < shapes["api"].x < shapes["db"].x
    assert shapes["db"].y < shapes["disk1"].y


def test_scene_is_compact():
    scene = ArchitectureLayout(MEASURE, STYLE).scene(parse_architecture(PIPELINE))
    assert 0.8 < scene.width / scene.height < 4


def test_a_diagram_with_only_junctions_and_no_groups():
    scene = ArchitectureLayout(MEASURE, STYLE).scene(parse("junction a\njunction b\na:B -- T:b\n"))
    shapes = {shape.id: shape for shape in scene.shapes}
    assert shapes["a"].y < shapes["b"].y


def test_empty_diagram_is_an_error():
    with pytest.raises(MermaidError):
        ArchitectureLayout(MEASURE, STYLE).scene(parse("group g\n"))


# --- every real diagram ---------------------------------------------------------------


ARCHITECTURES = course_diagrams("architecture-beta")


def test_the_sample_course_has_an_architecture_diagram():
    assert ARCHITECTURES


@pytest.mark.parametrize("where, diagram", ARCHITECTURES, ids=[where for where, _ in ARCHITECTURES])
def test_every_course_architecture_is_drawn_with_all_its_text(where, diagram):
    scene = build_scene(diagram.source, "architecture-beta", MEASURE, STYLE)
    assert not missing(parse_architecture(diagram.source).texts(), scene_text(scene))
    assert 0.8 < scene.width / scene.height < 4.5, Path(where)
