"""Diagrams too long for one slide: flowcharts redrawn in rows (unconnected parts stacked, long
graphs folded between ranks) and long sequence diagrams cut into parts, one a slide."""

from __future__ import annotations

from diagram_testing import MEASURE, STYLE

from deckbuild.diagrams.build import build_scene
from deckbuild.diagrams.layout import slide_fit
from deckbuild.diagrams.mermaid.flowchart import parse_flowchart
from deckbuild.diagrams.packing import parts
from deckbuild.diagrams.scene import Scene

SUBGRAPHS = """graph TD
    subgraph "구조"
        A[MAJOR.MINOR.PATCH] --> B[MAJOR: 호환되지 않는 변경]
        A --> C[MINOR: 기능 추가]
        A --> D[PATCH: 버그 수정]
    end
    subgraph "사전 릴리스"
        E[1.2.3-alpha.1 알파]
        F[1.2.3-beta.2 베타]
        G[1.2.3-rc.1 후보]
    end
    subgraph "빌드 메타데이터"
        H[1.2.3+20240115 빌드 정보]
        I[1.2.3+exp.sha.5114f85 복합 정보]
    end
"""


def scene(source: str) -> Scene:
    return build_scene(source, "graph", MEASURE, STYLE)


def frame(drawn: Scene, title: str):
    return next(s for s in drawn.shapes if s.kind == "frame" and s.text == title)


def nodes(drawn: Scene):
    return {s.id: s for s in drawn.shapes if s.kind not in ("frame", "text")}


def overlap(a: tuple[float, float], b: tuple[float, float]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def test_parts_are_joined_by_edges_and_by_their_subgraph():
    graph = parse_flowchart(SUBGRAPHS + "    X[따로] --> Y[떨어진 노드]\n    Z[혼자]\n")
    assert parts(graph) == [["A", "B", "C", "D"], ["E", "F", "G"], ["H", "I"], ["X", "Y"], ["Z"]]


def test_unconnected_subgraphs_are_stacked_in_rows():
    drawn = scene(SUBGRAPHS)
    frames = [frame(drawn, title) for title in ("구조", "사전 릴리스", "빌드 메타데이터")]
    bands = [(f.y, f.y + f.height) for f in frames]
    assert any(not overlap(a, b) for a in bands for b in bands if a != b)  # not one strip: some frame lies below another
    strip_width = sum(f.width for f in frames)
    assert drawn.width < strip_width
    assert drawn.height > max(f.height for f in frames)


def test_a_long_chain_is_folded_and_every_step_is_kept():
    chain = " --> ".join(f"S{n}[단계 {n}: 이미지 빌드와 검증]" for n in range(12))
    drawn = scene(f"graph LR\n    {chain}\n")
    shapes = nodes(drawn)
    assert sorted(shapes) == sorted(f"S{n}" for n in range(12))
    rows = {round(shapes[f"S{n}"].centre[1]) for n in range(12)}
    assert len(rows) >= 2  # folded into segments laid one under another
    assert len(drawn.connectors) == 11  # every edge still drawn, the ones across a fold too
    as_one_row = sum(s.width for s in shapes.values())
    assert slide_fit(drawn) > 1.5 * 870.0 / as_one_row


def test_a_fold_never_cuts_a_subgraph():
    steps = " --> ".join(f"S{n}[단계 {n} 처리]" for n in range(12))
    drawn = scene(f"graph LR\n    {steps}\n    subgraph \"검증 구간\"\n        S5\n        S6\n    end\n")
    box = frame(drawn, "검증 구간")
    shapes = nodes(drawn)
    assert len({round(s.centre[1]) for s in shapes.values()}) >= 2  # folded
    for name, shape in shapes.items():
        within = box.x <= shape.centre[0] <= box.x + box.width and box.y <= shape.centre[1] <= box.y + box.height
        assert within == (name in ("S5", "S6")), name  # the frame holds its own steps whole, no others


def test_a_branching_graph_is_not_folded_where_several_edges_cross():
    # every rank boundary is crossed by two edges: no cut a reader could follow as one arrow
    source = "graph LR\n" + "".join(f"    A{n}[위 {n}단계] --> A{n + 1}[위 {n + 1}단계]\n    B{n}[아래 {n}단계] --> B{n + 1}[아래 {n + 1}단계]\n    A{n} --> B{n + 1}\n" for n in range(8))
    drawn = scene(source)
    shapes = nodes(drawn)
    upper = sorted(shapes[f"A{n}"].centre[0] for n in range(9))
    assert upper == [shapes[f"A{n}"].centre[0] for n in range(9)]  # still left to right, one rank after another


def test_a_diagram_that_fits_is_left_as_dot_draws_it():
    drawn = scene("graph TB\n    A[시작] --> B[빌드]\n    C[테스트]\n")
    shapes = nodes(drawn)
    assert abs(shapes["A"].centre[1] - shapes["C"].centre[1]) < 1  # the two parts side by side, as written


# --- sequence diagrams in parts ------------------------------------------------------------

def sequence(messages: int, block: str = "") -> str:
    rows = "".join(f"    A->>B: {n}번째 요청을 보낸다\n    B-->>A: {n}번째 응답\n" for n in range(messages))
    return "sequenceDiagram\n    participant A as 클라이언트\n    participant B as 서버\n    autonumber\n" + rows + block


def message_texts(drawn: Scene) -> list[str]:
    return [s.text for s in drawn.shapes if s.kind == "text" and s.text[:1].isdigit()]


def test_a_short_sequence_has_no_parts():
    assert build_scene(sequence(4), "sequenceDiagram", MEASURE, STYLE).parts == ()


def test_a_long_sequence_is_cut_into_parts_that_keep_every_message_in_order():
    drawn = build_scene(sequence(14), "sequenceDiagram", MEASURE, STYLE)
    assert len(drawn.parts) >= 2
    assert [t for part in drawn.parts for t in message_texts(part)] == message_texts(drawn)
    assert message_texts(drawn.parts[1])[0].startswith(f"{len(message_texts(drawn.parts[0])) + 1}.")  # numbering goes on
    for part in drawn.parts:
        heads = [s for s in part.shapes if s.kind == "lifeline_head"]
        assert sorted(s.text for s in heads) == ["서버", "서버", "클라이언트", "클라이언트"]  # heads on every part
        assert part.width == drawn.width and part.height < drawn.height


def test_a_cut_never_falls_inside_a_block():
    block = "    loop 레이어마다\n" + "".join(f"        A->>B: 레이어 {n} 확인\n" for n in range(6)) + "    end\n"
    drawn = build_scene(sequence(8, block), "sequenceDiagram", MEASURE, STYLE)
    holding = [part for part in drawn.parts if any(s.kind == "frame" for s in part.shapes)]
    assert len(holding) == 1
    assert sum(t.endswith("확인") for t in message_texts(holding[0])) == 6


def test_a_sequence_with_activation_bars_stays_whole():
    rows = "".join(f"    A->>+B: 요청 {n}\n    B-->>-A: 응답 {n}\n" for n in range(14))
    assert build_scene("sequenceDiagram\n" + rows, "sequenceDiagram", MEASURE, STYLE).parts == ()


def test_a_sequence_wider_than_a_slide_offers_its_long_texts_wrapped():
    long = "다이제스트로 고정된 파드를 만들어 달라는 요청과 그 서명 확인을 한꺼번에 보낸다"
    source = ("sequenceDiagram\n    participant A as 배포 도구\n    participant B as 어드미션 컨트롤러\n    participant C as 레지스트리\n"
              f"    A->>B: {long}\n    B->>C: {long}\n    Note left of A: {long}\n")
    drawn = build_scene(source, "sequenceDiagram", MEASURE, STYLE)
    (narrow,) = drawn.alternatives
    assert narrow.width < drawn.width
    assert "\n" in next(s.text for s in narrow.shapes if s.text.startswith("다이제스트"))
    squeeze = lambda texts: sorted(t.replace("\n", " ") for t in texts)
    assert squeeze(narrow.texts()) == squeeze(drawn.texts())  # the same words, only broken into lines


def test_a_sequence_that_fits_a_slide_keeps_one_drawing():
    assert build_scene(sequence(3), "sequenceDiagram", MEASURE, STYLE).alternatives == ()


# --- ranks as the source tells them -----------------------------------------------------------

def centre_y(drawn: Scene, node_id: str) -> float:
    return nodes(drawn)[node_id].centre[1]


def test_a_cycle_is_ranked_in_the_order_the_source_tells_it():
    drawn = build_scene("stateDiagram-v2\n    [*] --> 개발\n    개발 --> 검증: CI 빌드 성공\n    검증 --> 개발: 테스트 실패\n"
                        "    검증 --> 후보: 스캔 통과\n", "stateDiagram-v2", MEASURE, STYLE)
    assert centre_y(drawn, "개발") < centre_y(drawn, "검증") < centre_y(drawn, "후보")


def test_what_follows_a_subgraph_is_ranked_after_all_of_it():
    drawn = scene("graph TB\n    subgraph S[\"단계\"]\n        X[처음] --> Y[중간] --> W[끝]\n    end\n    S --> Z[다음]\n")
    assert centre_y(drawn, "Z") > centre_y(drawn, "W")
