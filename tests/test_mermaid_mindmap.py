"""The mindmap parser (indentation, node shapes, decorations, errors) and its layout:
root in the middle, branches on both sides, every child joined to its parent."""

from __future__ import annotations

import math

import pytest
from conftest import course_diagrams
from deck_reading import squash
from diagram_testing import MEASURE, STYLE, by_id, mermaid_error, overlapping, parsed_or_none, readable
from hypothesis import given, settings
from hypothesis import strategies as st

from deckbuild.diagrams.build import build_scene
from deckbuild.diagrams.mermaid.mindmap import Mindmap, parse_mindmap
from deckbuild.diagrams.mindmap_layout import draw_mindmap, ink, tint
from deckbuild.diagrams.model import MermaidError

SAMPLE = """mindmap
  root((좋은 Dockerfile))
    명시성
      버전 고정
        베이스 이미지 태그
        패키지 버전
      exec 형식 실행
    재현성
      잠금 파일
      외부 다운로드 최소화
    최소 권한
      비루트 사용자
        USER 지시어
      비밀 마운트
    효율성
      변경 빈도 순 배치
    유지보수성
      주석
"""


def tree(mindmap: Mindmap) -> list[tuple[int, str, str]]:
    return [(depth, node.label, node.shape) for depth, node in mindmap.root.walk()]


def error_of(source: str) -> MermaidError:
    return mermaid_error(parse_mindmap, source)


# --- parser ---------------------------------------------------------------------------


def test_hierarchy_follows_indentation():
    mindmap = parse_mindmap(SAMPLE)
    assert tree(mindmap)[:6] == [
        (0, "좋은 Dockerfile", "circle"), (1, "명시성", "default"), (2, "버전 고정", "default"),
        (3, "베이스 이미지 태그", "default"), (3, "패키지 버전", "default"), (2, "exec 형식 실행", "default"),
    ]
    assert [c.label for c in mindmap.root.children] == ["명시성", "재현성", "최소 권한", "효율성", "유지보수성"]
    assert mindmap.root.line == 2 and mindmap.root.children[0].children[0].line == 4


def test_a_child_belongs_to_the_nearest_node_above_that_is_indented_less():
    mindmap = parse_mindmap("mindmap\nR\n      A\n   B\n     C\n  D\n")
    (a, b, d) = mindmap.root.children  # B is indented less than A: a sibling, not A's child
    assert [a.label, b.label, d.label] == ["A", "B", "D"]
    assert [c.label for c in b.children] == ["C"] and not a.children and not d.children


def test_tabs_count_as_indentation():
    mindmap = parse_mindmap("mindmap\nroot\n\tA\n\t\tB\n\tC\n")
    assert tree(mindmap) == [(0, "root", "default"), (1, "A", "default"), (2, "B", "default"), (1, "C", "default")]


@pytest.mark.parametrize(
    "line, label, shape",
    [
        ("id[사각형]", "사각형", "rect"),
        ("id(둥근 사각형)", "둥근 사각형", "round"),
        ("id((원))", "원", "circle"),
        ("id))쾅((", "쾅", "bang"),
        ("id)구름(", "구름", "cloud"),
        ("id{{육각형}}", "육각형", "hexagon"),
        ("그냥 글자", "그냥 글자", "default"),
        ("[아이디 없음]", "아이디 없음", "rect"),
        ('id["괄호 (포함) 라벨"]', "괄호 (포함) 라벨", "rect"),
        ("id[첫 줄<br/>둘째 줄]", "첫 줄\n둘째 줄", "rect"),
        ('id["`**굵은** 글자`"]', "굵은 글자", "rect"),
        ("빈칸[]", "빈칸", "rect"),
        ("설명 (괄호) 뒤에도 글자", "설명 (괄호) 뒤에도 글자", "default"),
    ],
)
def test_node_shapes(line, label, shape):
    child = parse_mindmap(f"mindmap\n  root\n    {line}\n").root.children[0]
    assert (child.label, child.shape) == (label, shape)


def test_icons_and_classes_are_not_nodes():
    mindmap = parse_mindmap("mindmap\n  root((중심))\n    A\n    ::icon(fa fa-book)\n    :::urgent large\n    B\n")
    assert tree(mindmap) == [(0, "중심", "circle"), (1, "A", "default"), (1, "B", "default")]


def test_comments_blank_lines_and_init_are_skipped():
    mindmap = parse_mindmap("%%{init: {'theme':'base'}}%%\nmindmap\n\n  root\n  %% 주석\n    A\n")
    assert tree(mindmap) == [(0, "root", "default"), (1, "A", "default")]


def test_texts_lists_every_label():
    assert parse_mindmap(SAMPLE).texts()[:3] == ["좋은 Dockerfile", "명시성", "버전 고정"]
    assert len(parse_mindmap(SAMPLE).texts()) == 17


@pytest.mark.parametrize(
    "source, line",
    [
        ("mindmap\n  root\n    A\n  B\n", 4),  # a second root
        ("mindmap\n    root\n  A\n", 3),  # indented less than the root
        ("mindmap\n", 1),
        ("mindmap\n%% 주석만\n", 1),
        ("", 1),
        ("graph TD\n A\n", 1),
    ],
)
def test_errors_name_the_line(source, line):
    assert error_of(source).line == line


_FUZZ_WORDS = st.sampled_from(
    ["mindmap", "root", "((", "))", "(", ")", "[", "]", "{{", "}}", "::icon(", ":::", "A", "노드", "<br/>",
     '"', "`", "**", "\n", "  ", "\t", "%%", "---"]
)


@settings(max_examples=200, deadline=None)
@given(body=st.one_of(st.text(max_size=60), st.lists(_FUZZ_WORDS, max_size=30).map("".join)))
def test_any_input_gives_a_drawable_mindmap_or_a_mermaid_error(body):
    for source in (body, "mindmap\n" + body):
        mindmap = parsed_or_none(parse_mindmap, source)
        assert mindmap is None or draw_mindmap(mindmap, MEASURE, STYLE).shapes


@pytest.mark.parametrize("where, diagram", course_diagrams("mindmap"), ids=lambda v: v if isinstance(v, str) else "")
def test_every_real_mindmap_parses_with_one_node_per_line(where, diagram):
    mindmap = parse_mindmap(diagram.source)
    lines = [line for line in diagram.source.splitlines()[1:] if line.strip()]
    assert len(list(mindmap.root.walk())) == len(lines), where


# --- layout ---------------------------------------------------------------------------


def node_id(node) -> str:
    return f"node_{node.line}"


def test_every_label_is_drawn_once():
    mindmap = parse_mindmap(SAMPLE)
    scene = draw_mindmap(mindmap, MEASURE, STYLE)
    assert sorted(squash(s.text) for s in scene.shapes) == sorted(squash(t) for t in mindmap.texts())
    assert scene.kind == "mindmap" and scene.description.startswith("좋은 Dockerfile: 명시성 (버전 고정")


def test_no_two_nodes_overlap():
    assert not overlapping(draw_mindmap(parse_mindmap(SAMPLE), MEASURE, STYLE).shapes)


def test_every_child_is_joined_to_its_parent_without_arrowheads():
    mindmap = parse_mindmap(SAMPLE)
    scene = draw_mindmap(mindmap, MEASURE, STYLE)
    shapes = by_id(scene)
    links = {(c.source, c.target): c for c in scene.connectors}
    pairs = [(node_id(parent), node_id(child)) for _, parent in mindmap.root.walk() for child in parent.children]
    assert set(links) == set(pairs)
    for (source, target), line in links.items():
        assert line.head == "none" and line.tail == "none"
        parent, child = shapes[source], shapes[target]
        # the line leaves the parent's side facing the child and enters the child's near side
        if child.x > parent.x:
            assert (line.source_site, line.target_site) == ("right", "left")
            assert line.start == pytest.approx((parent.x + parent.width, parent.y + parent.height / 2))
            assert line.end == pytest.approx((child.x, child.y + child.height / 2))
        else:
            assert (line.source_site, line.target_site) == ("left", "right")
            assert line.end == pytest.approx((child.x + child.width, child.y + child.height / 2))


def test_root_is_an_ellipse_in_the_middle_with_branches_on_both_sides():
    mindmap = parse_mindmap(SAMPLE)
    scene = draw_mindmap(mindmap, MEASURE, STYLE)
    shapes = by_id(scene)
    root = shapes[node_id(mindmap.root)]
    assert root.kind == "circle" and root.bold
    sides = {"right": 0, "left": 0}
    for branch in mindmap.root.children:
        branch_box = shapes[node_id(branch)]
        side = "right" if branch_box.x > root.x + root.width else "left"
        sides[side] += 1
        for _, node in branch.walk():  # a branch's whole subtree grows away from the root on its side
            box = shapes[node_id(node)]
            assert box.x >= root.x + root.width if side == "right" else box.x + box.width <= root.x
    assert sides["right"] >= 1 and sides["left"] >= 1
    # the first branches go right, top to bottom; the rest left
    right = [shapes[node_id(b)] for b in mindmap.root.children[:sides["right"]]]
    assert all(b.x > root.x for b in right) and [b.y for b in right] == sorted(b.y for b in right)


def test_children_stack_in_source_order_and_parents_sit_between_them():
    mindmap = parse_mindmap(SAMPLE)
    shapes = by_id(draw_mindmap(mindmap, MEASURE, STYLE))
    for _, node in mindmap.root.walk():
        if node is mindmap.root or len(node.children) < 2:
            continue
        tops = [shapes[node_id(c)].y for c in node.children]
        assert tops == sorted(tops)
        centre = shapes[node_id(node)].centre[1]
        assert tops[0] <= centre <= tops[-1] + shapes[node_id(node.children[-1])].height


def test_each_branch_has_its_own_colour():
    mindmap = parse_mindmap(SAMPLE)
    scene = draw_mindmap(mindmap, MEASURE, STYLE)
    shapes = by_id(scene)
    colours = []
    for branch in mindmap.root.children:
        colour = shapes[node_id(branch)].fill
        colours.append(colour)
        assert shapes[node_id(branch)].text_color in ("FFFFFF", STYLE.text)
        for depth, node in branch.walk():
            if depth:
                assert shapes[node_id(node)].stroke == colour and shapes[node_id(node)].fill == tint(colour, 0.82)
    assert len(set(colours)) == len(colours)
    assert colours[0] == STYLE.node_stroke.upper()


def test_text_fits_inside_every_node():
    scene = draw_mindmap(parse_mindmap(SAMPLE), MEASURE, STYLE)
    for shape in scene.shapes:
        lines = shape.text.split("\n")
        width = max(MEASURE.width(line, shape.font_size, bold=shape.bold) for line in lines)
        height = len(lines) * MEASURE.line_height(shape.font_size)
        if shape.kind == "circle":  # the text block's corners lie inside the ellipse
            assert (width / shape.width) ** 2 + (height / shape.height) ** 2 <= 1.0
        else:
            assert width + 8 <= shape.width and height <= shape.height


def test_shapes_follow_the_source():
    mindmap = parse_mindmap("mindmap\n  r[루트]\n    a(둥근)\n    b{{육각}}\n    c)구름(\n    d))쾅((\n    e((원))\n")
    kinds = {s.text: s.kind for s in draw_mindmap(mindmap, MEASURE, STYLE).shapes}
    assert kinds == {"루트": "rect", "둥근": "round", "육각": "hexagon", "구름": "stadium", "쾅": "double_circle",
                     "원": "circle"}


def test_a_forty_node_mindmap_is_readable_on_a_slide():
    lines = ["mindmap", "  root((쿠버네티스 운영 체크리스트))"]
    for b in range(6):
        lines.append(f"    {b + 1}번째 영역 이름")
        for c in range(3):
            lines.append(f"      세부 항목 {b}-{c} 설명")
            if c < 2 or b % 2:
                lines.append(f"        더 깊은 항목 {b}-{c} 보충 설명")
    mindmap = parse_mindmap("\n".join(lines))
    assert 30 <= len(mindmap.texts()) <= 40
    scene = draw_mindmap(mindmap, MEASURE, STYLE)
    assert readable(scene)
    assert 1.2 <= scene.width / scene.height <= 3.5


def test_long_labels_wrap():
    label = "아주 긴 설명이 들어간 노드 라벨은 여러 줄로 나뉘어야 슬라이드에서 읽힙니다"
    scene = draw_mindmap(parse_mindmap(f"mindmap\n  root\n    {label}\n"), MEASURE, STYLE)
    shape = next(s for s in scene.shapes if "아주" in s.text)
    assert "\n" in shape.text and squash(shape.text) == squash(label)


def test_a_root_alone_is_drawn():
    scene = draw_mindmap(parse_mindmap("mindmap\n  root((혼자))\n"), MEASURE, STYLE)
    assert [s.text for s in scene.shapes] == ["혼자"] and not scene.connectors


def test_ink_picks_readable_text():
    style = STYLE
    assert ink("1976D2", style) == "FFFFFF" and ink("FFF8C5", style) == style.text
    assert tint("000000", 0.5) == "808080" and tint("1976D2", 0) == "1976D2"


@pytest.mark.parametrize("where, diagram", course_diagrams("mindmap"), ids=lambda v: v if isinstance(v, str) else "")
def test_every_real_mindmap_draws_readably(where, diagram):
    scene = build_scene(diagram.source, "mindmap", MEASURE, STYLE)
    assert readable(scene), where
    assert not overlapping(scene.shapes)
    assert math.isclose(min(s.x for s in scene.shapes), 4.0)
