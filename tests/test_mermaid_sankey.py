"""sankey-beta: the CSV parser (quotes, blank lines, errors, loops) and the layout as a reader
sees it (columns by depth, heights and flow widths proportional to values, every name drawn)."""

from __future__ import annotations

import math

import pytest
from conftest import course_diagrams
from diagram_testing import MEASURE, STYLE, mermaid_error, missing, parsed_or_none, scene_text
from hypothesis import given, settings
from hypothesis import strategies as st

from deckbuild.diagrams.build import build_scene
from deckbuild.diagrams.mermaid.sankey import SankeyLink, parse_sankey
from deckbuild.diagrams.model import MermaidError
from deckbuild.diagrams.sankey_layout import SankeyLayout, columns, format_value


def parse(body: str):
    """parse_sankey on body with the header line added."""
    return parse_sankey("sankey-beta\n" + body)


def error_of(body: str) -> MermaidError:
    return mermaid_error(parse, body)


# --- rows ---------------------------------------------------------------------------------


def test_rows_nodes_and_lines():
    sankey = parse("이미지,베이스 OS,80\n\n이미지,런타임,120.5\n%% 주석\n런타임,표준 라이브러리,70\n")
    assert sankey.nodes == ["이미지", "베이스 OS", "런타임", "표준 라이브러리"]
    assert sankey.links == [
        SankeyLink("이미지", "베이스 OS", 80.0, 2),
        SankeyLink("이미지", "런타임", 120.5, 4),
        SankeyLink("런타임", "표준 라이브러리", 70.0, 6),
    ]
    assert sankey.texts() == sankey.nodes


def test_quoted_fields_hold_commas_and_quotes():
    sankey = parse('"셸, 기본 도구",OS,30\n"말 ""따옴표""", OS , 1e2\n')
    assert [(l.source, l.target, l.value) for l in sankey.links] == [
        ("셸, 기본 도구", "OS", 30.0), ('말 "따옴표"', "OS", 100.0)]


def test_repeated_flows_are_kept_and_throughput_is_the_larger_side():
    sankey = parse("a,b,10\na,b,5\nb,c,20\n")
    assert len(sankey.links) == 3
    assert (sankey.throughput("a"), sankey.throughput("b"), sankey.throughput("c")) == (15, 20, 20)


@pytest.mark.parametrize(
    "row, words",
    [
        ("a,b", "found 2"),
        ("a,b,3,4", "found 4"),
        ("a,b,많음", "not a number"),
        ("a,b,1_000", "not a number"),
        ("a,b,-3", "at least 0"),
        ("a,b,1e999", "at least 0"),
        (",b,3", "both a source and a target"),
        ('"a,b,3', "CSV"),
        ("a,a,3", "loop"),
    ],
)
def test_bad_rows_name_the_line(row, words):
    error = error_of("x,y,1\n" + row + "\n")
    assert error.line == 3 and words in error.message


def test_a_flow_closing_a_loop_is_refused():
    error = error_of("a,b,1\nb,c,1\nc,a,1\n")
    assert error.line == 4 and "loop" in error.message


@pytest.mark.parametrize("source", ["", "sankey\na,b,1\n", "graph TD\nA-->B\n"])
def test_bad_headers_are_errors(source):
    with pytest.raises(MermaidError):
        parse_sankey(source)


@settings(max_examples=200, deadline=None)
@given(st.one_of(
    st.text(max_size=60),
    st.lists(st.sampled_from(["a", "b", "c", "이미지", ",", '"', "1", "2.5", "-", "e", "\n", " ", "%%", ""]),
             max_size=40).map("".join),
))
def test_any_input_gives_a_sankey_or_a_mermaid_error(body):
    for source in (body, "sankey-beta\n" + body):
        parsed_or_none(parse_sankey, source)


def test_values_read_as_people_write_them():
    assert [format_value(v) for v in (1200, 12.5, 0.25, 3.0, 1234.567)] == ["1,200", "12.5", "0.25", "3", "1,234.57"]


# --- layout -------------------------------------------------------------------------------


IMAGE = """sankey-beta
이미지 전체,베이스 OS,80
이미지 전체,언어 런타임,120
이미지 전체,의존성 패키지,150
이미지 전체,애플리케이션 코드,25
베이스 OS,"셸, 기본 도구",30
베이스 OS,시스템 라이브러리,50
언어 런타임,표준 라이브러리,70
언어 런타임,인터프리터,50
의존성 패키지,웹 프레임워크,60
의존성 패키지,DB 드라이버,40
의존성 패키지,테스트 도구,50
애플리케이션 코드,소스 파일,25
"""


def layout(source: str):
    sankey = parse_sankey(source)
    return sankey, SankeyLayout(MEASURE, STYLE).scene(sankey)


def test_columns_follow_the_longest_chain_and_sinks_go_last():
    sankey = parse("a,b,5\nb,c,5\na,c,2\na,d,1\n")
    assert columns(sankey) == {"a": 0, "b": 1, "c": 2, "d": 2}


def test_every_name_and_value_is_drawn():
    sankey, scene = layout(IMAGE)
    assert not missing([*sankey.texts(), "이미지 전체 (375)", "셸, 기본 도구 (30)"], scene_text(scene))
    assert scene.kind == "sankey"


def test_nodes_stand_in_columns_by_depth():
    sankey, scene = layout(IMAGE)
    bars = {name: scene.shapes[index] for index, name in enumerate(sankey.nodes)}
    assert bars["이미지 전체"].x < bars["베이스 OS"].x < bars["소스 파일"].x
    assert bars["베이스 OS"].x == bars["의존성 패키지"].x
    assert bars["소스 파일"].x == bars["테스트 도구"].x


def test_node_heights_and_flow_widths_are_proportional_to_values():
    sankey, scene = layout(IMAGE)
    bars = {name: scene.shapes[index] for index, name in enumerate(sankey.nodes)}
    scale = bars["이미지 전체"].height / 375
    for name in sankey.nodes:
        assert math.isclose(bars[name].height, sankey.throughput(name) * scale, rel_tol=1e-6)
    assert len(scene.connectors) == len(sankey.links)
    for link, flow in zip(sankey.links, scene.connectors):
        assert math.isclose(flow.width, link.value * scale, rel_tol=1e-6)
        assert flow.head == "none" and flow.tail == "none" and flow.source is None


def test_flows_run_from_source_to_target_in_the_source_colour():
    sankey, scene = layout(IMAGE)
    bars = {name: scene.shapes[index] for index, name in enumerate(sankey.nodes)}
    for link, flow in zip(sankey.links, scene.connectors):
        source, target = bars[link.source], bars[link.target]
        assert source.x + source.width <= flow.start[0] < flow.end[0] <= target.x
        assert source.y <= flow.start[1] <= source.y + source.height
        assert target.y <= flow.end[1] <= target.y + target.height
        assert flow.color != source.fill and all(int(flow.color[i:i + 2], 16) >= int(source.fill[i:i + 2], 16)
                                                 for i in (0, 2, 4))


def band(flow) -> list[tuple[float, float]]:
    """The corners of a thick straight line with flat ends."""
    (x1, y1), (x2, y2) = flow.start, flow.end
    length = math.hypot(x2 - x1, y2 - y1)
    nx, ny = -(y2 - y1) / length * flow.width / 2, (x2 - x1) / length * flow.width / 2
    return [(x1 + nx, y1 + ny), (x2 + nx, y2 + ny), (x2 - nx, y2 - ny), (x1 - nx, y1 - ny)]


def overlapping(first: list, second: list) -> bool:
    """Whether two convex polygons overlap (no separating axis among their edges' normals)."""
    for polygon in (first, second):
        for (ax, ay), (bx, by) in zip(polygon, polygon[1:] + polygon[:1]):
            axis = (ay - by, bx - ax)
            one = [x * axis[0] + y * axis[1] for x, y in first]
            two = [x * axis[0] + y * axis[1] for x, y in second]
            if max(one) <= min(two) + 1e-6 or max(two) <= min(one) + 1e-6:
                return False
    return True


def corners(shape) -> list[tuple[float, float]]:
    return [(shape.x, shape.y), (shape.x + shape.width, shape.y), (shape.x + shape.width, shape.y + shape.height),
            (shape.x, shape.y + shape.height)]


def test_labels_and_bars_keep_clear_of_flows_and_of_each_other():
    sankey, scene = layout(IMAGE)
    labels = [s for s in scene.shapes if s.id.startswith("label:")]
    boxes = scene.shapes
    for i, a in enumerate(boxes):
        for b in boxes[i + 1:]:
            assert not overlapping(corners(a), corners(b)), (a.text, b.text)
    for shape in boxes:
        for flow in scene.connectors:
            assert not overlapping(corners(shape), band(flow)), (shape.id, shape.text, flow)
    assert len(labels) == len(sankey.nodes)


def test_scene_is_compact():
    _, scene = layout(IMAGE)
    assert 1.2 < scene.width / scene.height < 3.2


def test_a_sankey_without_flows_is_an_error():
    with pytest.raises(MermaidError):
        layout("sankey-beta\n")


# --- every real diagram ---------------------------------------------------------------


SANKEYS = course_diagrams("sankey-beta")


def test_the_sample_course_has_a_sankey():
    assert SANKEYS


@pytest.mark.parametrize("where, diagram", SANKEYS, ids=[where for where, _ in SANKEYS])
def test_every_course_sankey_is_drawn_with_all_its_text(where, diagram):
    scene = build_scene(diagram.source, "sankey-beta", MEASURE, STYLE)
    assert not missing(parse_sankey(diagram.source).texts(), scene_text(scene))
