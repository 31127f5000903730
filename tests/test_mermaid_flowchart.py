"""The flowchart parser: Mermaid `graph`/`flowchart` source becomes a Graph of nodes, edges and clusters."""

from __future__ import annotations

import random
import re
from pathlib import Path

import pytest
from diagram_testing import parsed_or_none
from hypothesis import given, settings
from hypothesis import strategies as st

from deckbuild.diagrams.mermaid.common import clean_label
from deckbuild.diagrams.mermaid.flowchart import parse_flowchart
from deckbuild.diagrams.model import Cluster, MermaidError, Style
from deckbuild.document import Diagram, iter_blocks, read_document

ROOT = Path(__file__).resolve().parents[1]
SLIDES = ROOT / "slides"
CORPUS = ROOT.parent / "shared" / "corpus"


def edge_pairs(graph) -> list[tuple[str, str]]:
    return [(edge.source, edge.target) for edge in graph.edges]


def all_clusters(clusters: list[Cluster]):
    for cluster in clusters:
        yield cluster
        yield from all_clusters(cluster.clusters)


# --- Header -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "header, direction",
    [("graph TB", "TB"), ("graph TD", "TB"), ("flowchart BT", "BT"), ("graph LR", "LR"), ("flowchart RL", "RL"),
     ("graph", "TB"), ("flowchart TD;", "TB")],
)
def test_header_sets_kind_and_direction(header, direction):
    graph = parse_flowchart(f"{header}\n    A --> B\n")
    assert (graph.kind, graph.direction) == ("flowchart", direction)


def test_front_matter_title_is_read_and_skipped():
    graph = parse_flowchart('---\ntitle: "배포 흐름"\n---\ngraph LR\n    A --> B\n')
    assert graph.title == "배포 흐름"
    assert list(graph.nodes) == ["A", "B"]


# --- Nodes --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "written, shape",
    [("A[t]", "rect"), ("A(t)", "round"), ("A([t])", "stadium"), ("A[[t]]", "subroutine"), ("A[(t)]", "cylinder"),
     ("A((t))", "circle"), ("A(((t)))", "double_circle"), ("A{t}", "rhombus"), ("A{{t}}", "hexagon"),
     ("A[/t/]", "parallelogram"), ("A[\\t\\]", "parallelogram_alt"), ("A[/t\\]", "trapezoid"),
     ("A[\\t/]", "trapezoid_alt"), ("A>t]", "asymmetric")],
)
def test_node_shapes(written, shape):
    node = parse_flowchart(f"graph TB\n    {written} --> B\n").nodes["A"]
    assert (node.shape, node.label) == (shape, "t")


def test_bare_node_is_a_rect_labelled_with_its_id():
    node = parse_flowchart("graph TB\n    Alone\n").nodes["Alone"]
    assert (node.label, node.shape, node.line) == ("Alone", "rect", 2)


def test_node_ids_with_underscores_dashes_and_digits():
    graph = parse_flowchart("graph LR\n    node_1[하나] --> api-gw[API 게이트웨이] --> A1\n")
    assert list(graph.nodes) == ["node_1", "api-gw", "A1"]
    assert edge_pairs(graph) == [("node_1", "api-gw"), ("api-gw", "A1")]


def test_quoted_labels_may_hold_brackets_and_parentheses():
    graph = parse_flowchart('graph LR\n    A["소스 커밋 (PR 병합)"] --> B{"치명 취약점 [CRITICAL]?"}\n    C("a {b}")\n')
    assert graph.nodes["A"].label == "소스 커밋 (PR 병합)"
    assert (graph.nodes["B"].label, graph.nodes["B"].shape) == ("치명 취약점 [CRITICAL]?", "rhombus")
    assert (graph.nodes["C"].label, graph.nodes["C"].shape) == ("a {b}", "round")


def test_br_becomes_a_line_break():
    graph = parse_flowchart("graph TB\n    A[order-api:1.4<br/>소스 레이어 3 MB] --> B[a<br>b<br />c]\n")
    assert graph.nodes["A"].label == "order-api:1.4\n소스 레이어 3 MB"
    assert graph.nodes["B"].label == "a\nb\nc"


def test_labels_keep_emoji_hangul_and_punctuation():
    graph = parse_flowchart("graph TB\n    A[🔍 스캐너: 취약점 & 비밀/키 검사] --> B[🟢 작은 크기, 보안 강화]\n")
    assert graph.nodes["A"].label == "🔍 스캐너: 취약점 & 비밀/키 검사"
    assert graph.nodes["B"].label == "🟢 작은 크기, 보안 강화"


def test_quoted_label_spanning_lines_is_joined():
    graph = parse_flowchart('graph TB\n    A["첫 줄\n    둘째 줄\n    셋째 줄"] --> B\n    B --> C\n')
    assert graph.nodes["A"].label == "첫 줄\n둘째 줄\n셋째 줄"
    assert edge_pairs(graph) == [("A", "B"), ("B", "C")]
    assert [edge.line for edge in graph.edges] == [2, 5]


def test_a_bracketed_label_may_continue_over_lines_as_in_mermaid():
    source = ("graph TB\n    A[컨테이너] --> E[데이터 영속성<br/>• Volumes: 최고\n    • Bind mounts: 개발용\n"
              "    • tmpfs: 메모리]\n    E --> F{확인\n    완료?}\n")
    graph = parse_flowchart(source)
    assert graph.nodes["E"].label == "데이터 영속성\n• Volumes: 최고\n• Bind mounts: 개발용\n• tmpfs: 메모리"
    assert (graph.nodes["F"].label, graph.nodes["F"].shape) == ("확인\n완료?", "rhombus")
    assert edge_pairs(graph) == [("A", "E"), ("E", "F")]
    assert [edge.line for edge in graph.edges] == [2, 5]


def test_redeclaration_keeps_or_updates_the_label():
    graph = parse_flowchart("graph TB\n    A[처음] --> B[비]\n    A --> C\n    B{바뀐 라벨} --> C\n")
    assert graph.nodes["A"].label == "처음"
    assert (graph.nodes["B"].label, graph.nodes["B"].shape) == ("바뀐 라벨", "rhombus")
    assert list(graph.nodes) == ["A", "B", "C"]


# --- Edges --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "link, line_style, head, tail",
    [("-->", "solid", "arrow", "none"), ("---", "solid", "none", "none"), ("-.->", "dotted", "arrow", "none"),
     ("-.-", "dotted", "none", "none"), ("==>", "thick", "arrow", "none"), ("===", "thick", "none", "none"),
     ("<-->", "solid", "arrow", "arrow"), ("--o", "solid", "circle", "none"), ("--x", "solid", "cross", "none"),
     ("o--o", "solid", "circle", "circle"), ("x--x", "solid", "cross", "cross"), ("~~~", "invisible", "none", "none"),
     ("--->", "solid", "arrow", "none"), ("-..->", "dotted", "arrow", "none"), ("-...-", "dotted", "none", "none"),
     ("====>", "thick", "arrow", "none"), ("<-.->", "dotted", "arrow", "arrow"), ("<==>", "thick", "arrow", "arrow")],
)
def test_edge_kinds(link, line_style, head, tail):
    graph = parse_flowchart(f"graph LR\n    A {link} B\n    C[씨]{link}D\n")
    assert edge_pairs(graph) == [("A", "B"), ("C", "D")]
    for edge in graph.edges:
        assert (edge.line_style, edge.head, edge.tail, edge.label) == (line_style, head, tail, "")


@pytest.mark.parametrize(
    "written, line_style, head",
    [("A -->|최초 1회만| B", "solid", "arrow"), ("A-->|최초 1회만|B", "solid", "arrow"),
     ("A -- 최초 1회만 --> B", "solid", "arrow"), ("A -. 최초 1회만 .-> B", "dotted", "arrow"),
     ("A == 최초 1회만 ==> B", "thick", "arrow"), ("A ---|최초 1회만| B", "solid", "none"),
     ("A -.->|최초 1회만| B", "dotted", "arrow"), ('A -->|"최초 1회만"| B', "solid", "arrow"),
     ("A -. 최초 1회만 .- B", "dotted", "none"), ("A -- 최초 1회만 --- B", "solid", "none")],
)
def test_edge_label_forms(written, line_style, head):
    (edge,) = parse_flowchart(f"graph LR\n    {written}\n").edges
    assert (edge.source, edge.target, edge.label) == ("A", "B", "최초 1회만")
    assert (edge.line_style, edge.head) == (line_style, head)


def test_edge_labels_keep_br_and_parentheses():
    (edge,) = parse_flowchart("graph LR\n    A -->|스캔 요청<br/>(매일)| B\n").edges
    assert edge.label == "스캔 요청\n(매일)"


def test_chains_give_one_edge_per_link():
    graph = parse_flowchart("graph LR\n    A --> B -.-> C -->|t| D ==> E\n")
    assert edge_pairs(graph) == [("A", "B"), ("B", "C"), ("C", "D"), ("D", "E")]
    assert [edge.line_style for edge in graph.edges] == ["solid", "dotted", "solid", "thick"]
    assert graph.edges[2].label == "t"


def test_ampersand_on_both_sides():
    graph = parse_flowchart("graph LR\n    A & B --> C & D\n    D --> E & F[에프] --> G\n")
    assert edge_pairs(graph) == [
        ("A", "C"), ("A", "D"), ("B", "C"), ("B", "D"), ("D", "E"), ("D", "F"), ("E", "G"), ("F", "G"),
    ]
    assert graph.nodes["F"].label == "에프"


def test_nodes_declared_inline_in_edges():
    graph = parse_flowchart("graph TD\n    A[시작] --> B{판단}\n    B -->|예| C[(저장소)]\n")
    assert [(n.id, n.label, n.shape) for n in graph.nodes.values()] == [
        ("A", "시작", "rect"), ("B", "판단", "rhombus"), ("C", "저장소", "cylinder"),
    ]


def test_edge_line_is_the_source_line():
    graph = parse_flowchart("graph TB\n\n    A --> B\n    %% 설명\n    B --> C\n")
    assert [edge.line for edge in graph.edges] == [3, 5]


# --- Subgraphs ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "opening, cluster_id, title",
    [('subgraph "레지스트리 (원본)"', "subgraph_1", "레지스트리 (원본)"),
     ('subgraph build["빌드 단계 (1)"]', "build", "빌드 단계 (1)"),
     ("subgraph build[빌드 단계]", "build", "빌드 단계"),
     ("subgraph build", "build", "build"),
     ("subgraph 셸 없는 이미지", "subgraph_1", "셸 없는 이미지")],
)
def test_subgraph_title_forms(opening, cluster_id, title):
    graph = parse_flowchart(f"graph TB\n    {opening}\n        A[에이] --> B\n    end\n    C\n")
    (cluster,) = graph.clusters
    assert (cluster.id, cluster.title, cluster.nodes, cluster.line) == (cluster_id, title, ["A", "B"], 2)
    assert list(graph.nodes) == ["A", "B", "C"]


def test_nested_subgraphs_with_direction():
    source = """graph TB
    subgraph "회사 인프라"
        direction LR
        subgraph dc["본사 데이터센터"]
            subgraph "빌드 구역"
                subgraph deep[가장 안쪽]
                    direction TB
                    X[엑스]
                end
                CI[CI 러너] --> SCAN[스캐너]
            end
            PROXY[풀스루 캐시]
        end
        ECR[복제본]
    end
    HUB[Docker Hub] --> PROXY
"""
    graph = parse_flowchart(source)
    (outer,) = graph.clusters
    (datacenter,) = outer.clusters
    (zone,) = datacenter.clusters
    (deep,) = zone.clusters
    assert (outer.title, outer.direction, outer.nodes) == ("회사 인프라", "LR", ["ECR"])
    assert (datacenter.id, datacenter.title, datacenter.direction) == ("dc", "본사 데이터센터", None)
    assert datacenter.nodes == ["PROXY"]
    assert (zone.title, zone.nodes) == ("빌드 구역", ["CI", "SCAN"])
    assert (deep.id, deep.direction, deep.nodes) == ("deep", "TB", ["X"])
    assert len({cluster.id for cluster in all_clusters(graph.clusters)}) == 4


def test_a_node_belongs_to_the_subgraph_that_mentions_it_first():
    source = """graph LR
    Q1{판단} -->|예| DS
    subgraph "셸 없음"
        DS[distroless static]
        A[에이]
    end
    subgraph "셸 있음"
        A --> B[비]
    end
    A --> C
"""
    graph = parse_flowchart(source)
    shell_less, shell = graph.clusters
    # DS is used at top level first but declared in the subgraph: like Mermaid, it lands there.
    assert shell_less.nodes == ["DS", "A"]
    assert shell.nodes == ["B"]
    assert list(graph.nodes) == ["Q1", "DS", "A", "B", "C"]


def test_edges_may_target_subgraph_ids():
    source = """graph LR
    client --> backend
    subgraph backend[백엔드]
        api[API]
    end
    subgraph "저장소"
        db[(DB)]
    end
    backend -.-> external
    subgraph external
        s3[S3]
    end
"""
    graph = parse_flowchart(source)
    assert edge_pairs(graph) == [("client", "backend"), ("backend", "external")]
    assert list(graph.nodes) == ["client", "api", "db", "s3"]
    assert [cluster.id for cluster in graph.clusters] == ["backend", "subgraph_1", "external"]


def test_a_labelled_node_with_a_written_subgraph_id_becomes_that_subgraph():
    """Mermaid draws `subgraph B["Docker Host"]` and a node `B[…]` as the one subgraph."""
    source = 'graph LR\n    A[클라이언트] --> B[호스트]\n    subgraph B["Docker Host"]\n        C[엔진]\n    end\n    B --> D[레지스트리]\n'
    graph = parse_flowchart(source)
    assert list(graph.nodes) == ["A", "C", "D"]
    assert [(cluster.id, cluster.title, cluster.nodes) for cluster in graph.clusters] == [("B", "Docker Host", ["C"])]
    assert edge_pairs(graph) == [("A", "B"), ("B", "D")]


def test_generated_cluster_ids_are_unique():
    source = 'graph TB\n    subgraph "가"\n    A\n    end\n    subgraph "나"\n    subgraph_2\n    end\n' 'subgraph 다\nend\n'
    graph = parse_flowchart(source)
    assert [cluster.id for cluster in graph.clusters] == ["subgraph_1", "subgraph_3", "다"]


def test_a_single_word_title_that_names_a_labelled_node_is_that_subgraph():
    """Mermaid draws `X --> API[API 서버]` and `subgraph API` as the subgraph, the edge ending at it."""
    graph = parse_flowchart("graph TB\n    X --> API[API 서버]\n    subgraph API\n        B\n    end\n")
    assert list(graph.nodes) == ["X", "B"]
    assert [(cluster.id, cluster.title) for cluster in graph.clusters] == [("API", "API")]
    assert edge_pairs(graph) == [("X", "API")]


# --- Styles ---------------------------------------------------------------------------------


def test_style_lines_on_nodes_and_subgraphs():
    source = """graph TB
    subgraph zone["구역"]
        A[에이]
    end
    B
    style A fill:#E3F2FD,stroke:#1976d2,stroke-width:2px,color:#fff,stroke-dasharray: 5 5
    style zone fill:#fff3e0,stroke:#f57c00
    style B fill:#abc
"""
    graph = parse_flowchart(source)
    assert graph.nodes["A"].style == Style("e3f2fd", "1976d2", "ffffff", 2.0, True)
    assert graph.nodes["B"].style == Style(fill="aabbcc")
    assert graph.clusters[0].style == Style(fill="fff3e0", stroke="f57c00")


def test_classdef_class_and_triple_colon():
    source = """graph LR
    classDef default fill:#eeeeee,stroke:#999999
    classDef hot,warm fill:#ffcdd2
    classDef bold stroke-width:3px,stroke:#d32f2f
    A:::hot --> B:::bold
    C[씨]:::warm
    class A,B bold
    class C, B hot
    D
    style A fill:#c8e6c9
"""
    graph = parse_flowchart(source)
    nodes = graph.nodes
    assert nodes["A"].classes == ["hot", "bold"]
    assert nodes["A"].style == Style(fill="c8e6c9", stroke="d32f2f", stroke_width=3.0)
    assert nodes["B"].classes == ["bold", "hot"]
    assert nodes["B"].style == Style(fill="ffcdd2", stroke="d32f2f", stroke_width=3.0)
    assert (nodes["C"].classes, nodes["C"].style) == (["warm", "hot"], Style(fill="ffcdd2", stroke="999999"))
    assert (nodes["D"].classes, nodes["D"].style) == ([], Style(fill="eeeeee", stroke="999999"))
    assert edge_pairs(graph) == [("A", "B")]


def test_class_before_the_node_and_on_a_subgraph():
    source = "graph TB\n    class X,grp hot\n    classDef hot fill:#f96\n    subgraph grp\n        X\n    end\n"
    graph = parse_flowchart(source)
    assert graph.nodes["X"].style == Style(fill="ff9966")
    assert graph.clusters[0].style == Style(fill="ff9966")


# --- Ignored statements and comments -----------------------------------------------------------


def test_ignored_statements_comments_and_semicolons():
    source = """%%{init: {'theme': 'base'}}%%
graph LR;
    %% 주석 줄
    accTitle: 접근성 제목
    accDescr: 접근성 설명
    accDescr {
        여러 줄 설명
    }
    A[에이; 세미콜론] --> B; B --> C;
    C -->|a;b| D %% 줄 끝 주석
    linkStyle 0 stroke:#ff3,stroke-width:4px;
    click A "https://example.com" "툴팁"
    click B callback
"""
    graph = parse_flowchart(source)
    assert graph.direction == "LR"
    assert list(graph.nodes) == ["A", "B", "C", "D"]
    assert graph.nodes["A"].label == "에이; 세미콜론"
    assert edge_pairs(graph) == [("A", "B"), ("B", "C"), ("C", "D")]
    assert graph.edges[2].label == "a;b"
    assert [edge.line for edge in graph.edges] == [9, 9, 10]


def test_semicolons_inside_entities_and_flags_do_not_split():
    graph = parse_flowchart("graph LR\n    A>깃발; 세미] -- #quot;인용#quot; --> B; B --> C\n")
    assert graph.nodes["A"].label == "깃발; 세미"
    assert [(edge.source, edge.target, edge.label) for edge in graph.edges] == [("A", "B", '"인용"'), ("B", "C", "")]


# --- Errors ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "source, line, message",
    [("", 1, "empty diagram"),
     ("%% 주석만\n", 1, "empty diagram"),
     ("sequenceDiagram\n    A->>B: hi\n", 1, "unknown diagram header: 'sequenceDiagram'"),
     ("graph XY\n    A --> B\n", 1, "unknown direction 'XY'"),
     ("graph TB\n    A --> B\n    subgraph x[엑스]\n        C\n", 4, "unclosed subgraph 'x' (opened on line 3)"),
     ("graph TB\n    A --> B\n    end\n", 3, "'end' without an open subgraph"),
     ("graph TB\n    A --> B\n    A --> B )\n", 3, "cannot read node or edge: 'A --> B )'"),
     ("graph TB\n    A -->\n", 2, "edge without a target"),
     ("graph TB\n    A --> B[열림\n    C --> D\n", 2, "a node label is never closed"),
     ('graph TB\n    A["열림] --> B\n', 2, "a quoted label is never closed"),
     ("graph TB\n    A -- 라벨 B\n", 2, "edge label opened with '--' is never closed"),
     ("graph TB\n    subgraph s[가]\n    end\n    subgraph s[나]\n    end\n", 4, "subgraph id 's' is already used on line 2"),
     ("graph TB\n    A\n    style A\n", 3, "cannot read style"),
     ("graph TB\n    A\n    direction UP\n", 3, "unknown direction in 'direction UP'"),
     ("graph TB\n    🙂 --> A\n", 2, "cannot read node or edge: '🙂 --> A'")],
)
def test_errors_name_the_line_and_what_was_not_understood(source, line, message):
    with pytest.raises(MermaidError) as caught:
        parse_flowchart(source)
    assert caught.value.line == line
    assert message in caught.value.message


FUZZ_TOKENS = (
    list(' \n\t-.=>~<xo|[](){}/\\"&:;%#`AB가_1🙂')
    + ["graph", "flowchart", "TB", "LR", "subgraph", "end", "direction", "style", "classDef", "class", ":::",
       "linkStyle", "click", "accDescr", "-->", "---", "-.->", "==>", "<-->", "~~~", "<br/>", "#quot;", "#9;", "---\n",
       "fill:#f9f", "stroke-width:2px"]
)


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(FUZZ_TOKENS), max_size=40).map("".join))
def test_random_text_raises_only_mermaid_error(text):
    for source in (text, "graph TB\n" + text):
        parsed_or_none(parse_flowchart, source)


def test_mangled_real_diagrams_raise_only_mermaid_error():
    sources = [source for _, source in real_flowcharts()]
    generator = random.Random(7)
    for _ in range(1000):
        chars = list(generator.choice(sources))
        for _ in range(generator.randint(1, 6)):
            position = generator.randrange(len(chars))
            action = generator.random()
            if action < 0.4:
                del chars[position]
            elif action < 0.8:
                chars.insert(position, generator.choice('[](){}|"-.>=&;:%\n'))
            else:
                chars[position:position + 5] = []
        parsed_or_none(parse_flowchart, "".join(chars))


# --- Size (speed is measured in benchmarks/, never asserted here) -------------------------------------


def test_a_thirty_node_diagram_with_groups_parses():
    lines = ["graph TB"]
    for group in range(3):
        lines.append(f'    subgraph "그룹 {group} (설명)"')
        lines += [f"        N{group}_{i}[노드 {group}-{i}<br/>설명 줄] --> N{group}_{i + 1}" for i in range(9)]
        lines.append("    end")
    lines += [f"    N{g}_9 -.->|연결 {g}| N{g + 1}_0" for g in range(2)]
    lines += [f"    style N{g}_0 fill:#e3f2fd,stroke:#1976d2" for g in range(3)]
    source = "\n".join(lines)
    graph = parse_flowchart(source)
    assert len(graph.nodes) == 30 and len(graph.clusters) == 3 and len(graph.edges) == 29


# --- Every real flowchart ------------------------------------------------------------------------------

_KEYWORD_LINE = re.compile(r"(?:graph|flowchart|subgraph|end|style|classDef|class|linkStyle|click|direction)\b")
_LABEL_PARTS = re.compile(r'"[^"]*"|\|[^|]*\||\[[^\]]*\]|\([^)]*\)|\{[^}]*\}')
_TEXT_LINK = re.compile(r"\s(?:--|==|-\.)\s.*?(?:-{2,}[->]|\.+->?|={2,}[=>])")
_LINKS = re.compile(r"<?(?:-{2,}>|-{3,}|-\.+->?|={2,}>|={3,}|~{3,})")
_PLAIN_LABEL = re.compile(r'\w\[([^\]"/\\(\[][^\]"]*)\]')
_PIPE = re.compile(r"\|([^|]+)\|")
_QUOTED_TITLE = re.compile(r'^subgraph\s+(?:\w+\s*\[)?"([^"]+)"')


def real_flowcharts() -> list[tuple[str, str]]:
    """(where, source) of every graph/flowchart block in the sample course and, when present, the corpus."""
    roots = [SLIDES] + ([CORPUS] if CORPUS.is_dir() else [])
    found = []
    for root in roots:
        for path in sorted(root.rglob("*.md")):
            for block in iter_blocks(read_document(path).blocks):
                if isinstance(block, Diagram) and block.kind in ("graph", "flowchart"):
                    found.append((f"{path.relative_to(root.parent)}:{block.line}", block.source))
    return found


def statements(source: str) -> list[str]:
    """Node-and-edge lines, found the crude way: stripped, keyword lines and comments left out."""
    lines = (line.strip() for line in source.splitlines())
    return [line for line in lines if line and not line.startswith("%%") and not _KEYWORD_LINE.match(line)]


def skeleton(line: str) -> str:
    """A statement with its labels blanked and `-- text -->` links reduced to `-->`."""
    return _TEXT_LINK.sub(" --> ", _LABEL_PARTS.sub(" ", line))


def rough_ids(source: str) -> set[str]:
    """Node ids written in statements: skeletons split at links and '&', `:::class` dropped."""
    ids = set()
    for line in statements(source):
        for part in _LINKS.split(skeleton(line)):
            for piece in part.split("&"):
                piece = piece.split(":::")[0].strip()
                if piece:
                    ids.add(piece)
    return ids


def test_every_real_flowchart_parses_and_keeps_its_text():
    flowcharts = real_flowcharts()
    assert flowcharts, "the sample course has flowcharts"
    problems = []
    for where, source in flowcharts:
        try:
            graph = parse_flowchart(source)
        except MermaidError as error:
            problems.append(f"{where}: {error}")
            continue
        clusters = list(all_clusters(graph.clusters))
        lines = statements(source)
        titles = [line.strip() for line in source.splitlines() if line.strip().startswith("subgraph")]
        checks = {
            "node ids": (set(graph.nodes), rough_ids(source) - {cluster.id for cluster in clusters}),
            "edge count": (len(graph.edges), sum(len(_LINKS.findall(skeleton(line))) for line in lines)),
            "node labels": ({clean_label(m) for line in lines for m in _PLAIN_LABEL.findall(line)}
                            - {node.label for node in graph.nodes.values()}, set()),
            "edge labels": ({clean_label(m) for line in lines for m in _PIPE.findall(line)}
                            - {edge.label for edge in graph.edges}, set()),
            "titles": ({clean_label(m) for line in titles for m in _QUOTED_TITLE.findall(line)}
                       - {cluster.title for cluster in clusters}, set()),
            "cluster count": (len(clusters), len(titles)),
        }
        if not graph.nodes:
            problems.append(f"{where}: no nodes")
        for what, (got, wanted) in checks.items():
            if got != wanted:
                problems.append(f"{where}: {what}: {got!r} != {wanted!r}")
    assert not problems, "\n".join(problems)


def test_impossible_character_codes_stay_as_written():
    graph = parse_flowchart("graph TB\n    A[#" + "9" * 5000 + ";]\n")
    assert graph.nodes["A"].label == "#" + "9" * 5000 + ";"
