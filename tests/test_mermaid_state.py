"""The stateDiagram parser: states, [*] per scope, transitions, composites, notes, styles, errors."""

from __future__ import annotations

import re

import pytest
from conftest import course_diagrams
from diagram_testing import mermaid_error, parsed_or_none
from hypothesis import given, settings
from hypothesis import strategies as st

from deckbuild.diagrams.mermaid.common import clean_label, source_lines
from deckbuild.diagrams.mermaid.state import parse_state
from deckbuild.diagrams.model import Cluster, Edge, MermaidError, Style


def parse(body: str):
    """parse_state on body with the header line added."""
    return parse_state("stateDiagram-v2\n" + body)


def error_of(body: str) -> MermaidError:
    return mermaid_error(parse, body)


def pairs(graph) -> list[tuple[str, str, str]]:
    return [(edge.source, edge.target, edge.label) for edge in graph.edges]


# --- header and states ----------------------------------------------------------------


@pytest.mark.parametrize("header", ["stateDiagram-v2", "stateDiagram"])
def test_both_headers_give_a_state_graph(header):
    graph = parse_state(f"{header}\nA --> B\n")
    assert (graph.kind, graph.direction) == ("state", "TB")
    assert list(graph.nodes) == ["A", "B"]


@pytest.mark.parametrize("value, direction", [("LR", "LR"), ("TB", "TB"), ("TD", "TB"), ("BT", "BT"), ("rl", "RL")])
def test_direction(value, direction):
    assert parse(f"direction {value}\nA --> B\n").direction == direction


def test_plain_states_are_round_and_labelled_with_their_id():
    graph = parse("개발\nA\n")
    assert [(n.id, n.label, n.shape, n.line) for n in graph.nodes.values()] == [
        ("개발", "개발", "round", 2),
        ("A", "A", "round", 3),
    ]


def test_state_with_a_long_name():
    graph = parse('state "긴 설명 <br/> 둘째 줄" as A\nA --> B\n')
    assert graph.nodes["A"].label == "긴 설명\n둘째 줄"


def test_description_lines_replace_the_id_and_append():
    graph = parse("A : 첫째 줄\nA : 둘째: 줄\nA --> B\n")
    assert graph.nodes["A"].label == "첫째 줄\n둘째: 줄"


def test_description_after_a_long_name_appends_to_it():
    graph = parse('state "이름" as A\nA : 설명\n')
    assert graph.nodes["A"].label == "이름\n설명"


@pytest.mark.parametrize("kind", ["choice", "fork", "join"])
def test_pseudo_state_shapes(kind):
    graph = parse(f"state 분기 <<{kind}>>\nA --> 분기\n분기 --> B\n")
    node = graph.nodes["분기"]
    assert (node.shape, node.label) == (kind, "")
    assert list(graph.nodes) == ["분기", "A", "B"]


def test_shape_can_be_declared_after_first_use():
    assert parse("A --> C\nstate C <<choice>>\n").nodes["C"].shape == "choice"


# --- transitions and [*] --------------------------------------------------------------


def test_labelled_transitions_with_hangul_ids():
    graph = parse("개발 --> 테스트 : 빌드 성공\n테스트-->개발:실패: 재시도\n배포 --> 완료\n")
    assert pairs(graph) == [("개발", "테스트", "빌드 성공"), ("테스트", "개발", "실패: 재시도"), ("배포", "완료", "")]
    assert all(edge.head == "arrow" and edge.line_style == "solid" for edge in graph.edges)
    assert [edge.line for edge in graph.edges] == [2, 3, 4]


def test_state_ids_may_hold_single_dashes():
    assert pairs(parse("feature-x --> main-branch\n")) == [("feature-x", "main-branch", "")]


def test_start_and_end_pseudo_states():
    graph = parse("[*] --> A\nA --> [*]\nB --> [*]\n[*] --> B\n")
    assert pairs(graph) == [("__start__", "A", ""), ("A", "__end__", ""), ("B", "__end__", ""), ("__start__", "B", "")]
    start, end = graph.nodes["__start__"], graph.nodes["__end__"]
    assert (start.shape, start.label, end.shape, end.label) == ("start", "", "end", "")


def test_each_scope_has_its_own_start_and_end():
    graph = parse(
        "[*] --> 배포\n"
        "state 배포 {\n  [*] --> 카나리\n  카나리 --> [*]\n"
        "  state 롤백 {\n    [*] --> 되돌림\n    되돌림 --> [*]\n  }\n}\n"
        "배포 --> [*]\n"
    )
    ids = [node_id for node_id, node in graph.nodes.items() if node.shape in ("start", "end")]
    assert len(ids) == len(set(ids)) == 6
    (deploy,) = graph.clusters
    (rollback,) = deploy.clusters
    assert [graph.nodes[i].shape for i in deploy.nodes if i.startswith("__")] == ["start", "end"]
    assert [graph.nodes[i].shape for i in rollback.nodes if i.startswith("__")] == ["start", "end"]
    assert not set(deploy.nodes) & set(rollback.nodes)
    assert ("__start__", "배포", "") in pairs(graph) and ("배포", "__end__", "") in pairs(graph)


def test_bare_pseudo_state_is_an_error():
    assert error_of("A --> B\n[*]\n").line == 3


# --- composite states -----------------------------------------------------------------


def test_composite_state_becomes_a_cluster_and_may_be_a_transition_end():
    graph = parse("[*] --> 배포\nstate 배포 {\n  카나리 --> 전체\n}\n배포 --> 유지보수 : 출시\n")
    assert graph.clusters == [Cluster("배포", "배포", nodes=["카나리", "전체"], line=3)]
    assert "배포" not in graph.nodes
    assert ("배포", "유지보수", "출시") in pairs(graph)
    assert list(graph.nodes) == ["__start__", "카나리", "전체", "유지보수"]


def test_composite_with_a_title():
    graph = parse('state "배포 단계" as Deploy {\n  A --> B\n}\n')
    assert (graph.clusters[0].id, graph.clusters[0].title) == ("Deploy", "배포 단계")


def test_composites_nest_to_any_depth():
    graph = parse("state L1 {\n state L2 {\n  state L3 {\n   state L4 {\n    A\n   }\n  }\n }\n B\n}\n")
    level, path = graph.clusters[0], []
    while True:
        path.append((level.id, level.nodes))
        if not level.clusters:
            break
        (level,) = level.clusters
    assert path == [("L1", ["B"]), ("L2", []), ("L3", []), ("L4", ["A"])]


def test_states_belong_to_the_composite_where_they_first_appear():
    graph = parse("state C {\n  A --> B\n}\nA --> D\n")
    assert graph.clusters[0].nodes == ["A", "B"]
    assert list(graph.nodes) == ["A", "B", "D"]


def test_composite_direction_and_concurrency_separator():
    graph = parse("state C {\n  direction LR\n  A --> B\n  --\n  X --> Y\n}\n")
    assert graph.clusters[0].direction == "LR"
    assert graph.clusters[0].nodes == ["A", "B", "X", "Y"]
    assert graph.direction == "TB"


def test_concurrency_separator_outside_a_composite_is_an_error():
    assert error_of("A --> B\n--\n").line == 3


def test_unclosed_composite_is_an_error_on_its_opening_line():
    error = error_of("state 바깥 {\n  state 안 {\n  }\n")
    assert error.line == 2 and "바깥" in error.message


def test_extra_closing_brace_is_an_error():
    assert error_of("A --> B\n}\n").line == 3


# --- notes ----------------------------------------------------------------------------


@pytest.mark.parametrize("position", ["right", "left"])
def test_one_line_note(position):
    graph = parse(f"A --> B\nnote {position} of B : 태그는 지우되 <br/> 기록은 남긴다\n")
    note = graph.nodes["note_1"]
    assert (note.shape, note.label, note.line) == ("note", "태그는 지우되\n기록은 남긴다", 3)
    assert graph.edges[-1] == Edge("note_1", "B", line_style="dotted", head="none", line=3)


def test_block_note_and_numbering():
    graph = parse(
        "A --> B\nnote right of A\n    dev, feature-*,\n\n    snapshot 태그\nend note\nnote left of B: 두 번째\n"
    )
    assert graph.nodes["note_1"].label == "dev, feature-*,\nsnapshot 태그"
    assert graph.nodes["note_2"].label == "두 번째"
    assert [(e.source, e.target) for e in graph.edges[1:]] == [("note_1", "A"), ("note_2", "B")]


def test_note_on_an_unknown_state_creates_it():
    graph = parse("note right of 보관 : 메모\n")
    assert list(graph.nodes) == ["보관", "note_1"]


def test_note_ids_avoid_existing_states():
    assert list(parse("note_1 --> B\nnote left of B : 메모\n").nodes) == ["note_1", "B", "note_2"]


def test_note_inside_a_composite_belongs_to_it():
    graph = parse("state C {\n  A\n  note right of A : 메모\n}\n")
    assert graph.clusters[0].nodes == ["A", "note_1"]


def test_unclosed_block_note_is_an_error_on_its_line():
    assert error_of("A --> B\nnote right of A\n  텍스트\n").line == 3


# --- styles ---------------------------------------------------------------------------


def test_class_def_class_and_inline_class():
    graph = parse(
        "classDef 위험 fill:#f96,stroke:#333\nclassDef 굵게 stroke-width:3px,color:#fff\n"
        "A --> B:::위험\nclass A,C 굵게\nC --> [*]\n"
    )
    assert graph.nodes["B"].classes == ["위험"]
    assert graph.nodes["B"].style == Style(fill="ff9966", stroke="333333")
    assert graph.nodes["A"].style == Style(color="ffffff", stroke_width=3.0)
    assert graph.nodes["C"].classes == ["굵게"]


def test_default_class_comes_first_then_classes_then_style():
    graph = parse(
        "classDef default fill:#eeeeee,stroke:#000000\nclassDef hot fill:#ff0000\n"
        "[*] --> A\nA --> B\nclass B hot\nstyle B stroke:#00ff00,stroke-dasharray: 5 5\n"
    )
    assert graph.nodes["A"].style == Style(fill="eeeeee", stroke="000000")
    assert graph.nodes["B"].style == Style(fill="ff0000", stroke="00ff00", dashed=True)
    assert graph.nodes["__start__"].style == Style()


def test_style_lines_apply_to_composites_too():
    graph = parse("state C {\n  A\n}\nstyle C fill:#abcdef\nstyle A fill:#fff\n")
    assert graph.clusters[0].style.fill == "abcdef"
    assert graph.nodes["A"].style.fill == "ffffff"


def test_comments_and_ignored_lines():
    graph = parse("%% 주석\nhide empty description\nscale 350 width\naccTitle: 제목\nA --> B\n")
    assert pairs(graph) == [("A", "B", "")]
    assert graph.edges[0].line == 6


# --- errors ---------------------------------------------------------------------------


@pytest.mark.parametrize("line", ["A -> B", "A --> B --> C", "이건 문장 입니다", "note over A : x", "class A", "A --> B {"])
def test_unknown_lines_quote_the_line(line):
    error = error_of(f"X --> Y\n{line}\n")
    assert error.line == 3 and repr(line)[1:-1] in error.message


@pytest.mark.parametrize("source", ["", "%% 주석\n", "sequenceDiagram\nA->>B: x\n", "stateDiagram-v3\n"])
def test_missing_header_is_an_error(source):
    with pytest.raises(MermaidError):
        parse_state(source)


@pytest.mark.parametrize(
    "line", ["A : #99999999999999999999;", "style A stroke-width:1.2.3", "classDef x stroke-width:."]
)
def test_impossible_codes_and_numbers_are_tolerated(line):
    graph = parse_state(f"stateDiagram-v2\nA\n{line}\n")
    assert "A" in graph.nodes


_FUZZ_WORDS = st.sampled_from(
    ["A", "B", "개발", "[*]", "-->", "--", "-", ":", ":::", ",", "state", '"', "as", "{", "}", "<<choice>>",
     "note", "right of", "left of", "end note", "classDef", "class", "style", "fill:#fff", "direction", "LR",
     "#1;", "<br/>", "\n", " ", "%%", "---"]
)


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(max_size=60), st.lists(_FUZZ_WORDS, max_size=30).map("".join)))
def test_any_input_gives_a_graph_or_a_mermaid_error(body):
    for source in (body, "stateDiagram-v2\n" + body):
        parsed_or_none(parse_state, source)





# --- every real diagram ---------------------------------------------------------------


_TRANSITION = re.compile(r"^(\S+)\s*-->\s*([^\s:]+)\s*(?::(.*))?$")
_LONG_NAME = re.compile(r'^state\s+"([^"]*)"')


def expected_texts(source: str) -> tuple[set[str], set[str], set[str]]:
    """State names, label lines (descriptions, notes, long names) and transition labels from the source."""
    names, lines, labels = set(), set(), set()
    in_note = False
    for _, line in source_lines(source)[1:]:
        transition = _TRANSITION.match(line)
        if in_note:
            in_note = line != "end note"
            lines.update(clean_label(line).split("\n") if in_note else ())
        elif line.startswith("note ") and ":" not in line:
            in_note = True
        elif transition:
            names.update(name for name in transition.group(1, 2) if name != "[*]")
            labels.add(clean_label(transition.group(3) or ""))
        elif _LONG_NAME.match(line):
            lines.update(clean_label(_LONG_NAME.match(line).group(1)).split("\n"))
        elif ":" in line:
            lines.update(clean_label(line.split(":", 1)[1]).split("\n"))
    return names, lines, labels


STATES = course_diagrams("stateDiagram-v2")


def test_the_sample_course_has_state_diagrams():
    assert STATES


@pytest.mark.parametrize("where, diagram", STATES, ids=[where for where, _ in STATES])
def test_every_course_state_diagram_parses_with_all_its_text(where, diagram):
    graph = parse_state(diagram.source)
    names, lines, labels = expected_texts(diagram.source)
    ids = set(graph.nodes) | {cluster.id for cluster in _all_clusters(graph.clusters)}
    shown = {part for node in graph.nodes.values() for part in node.label.split("\n")}
    shown |= {part for cluster in _all_clusters(graph.clusters) for part in cluster.title.split("\n")}
    assert names <= ids
    assert lines <= shown
    assert labels <= {edge.label for edge in graph.edges}


def _all_clusters(clusters: list[Cluster]):
    for cluster in clusters:
        yield cluster
        yield from _all_clusters(cluster.clusters)
