"""The erDiagram parser (entities, attribute blocks, aliases, relationships, styles, errors) and
its drawing: tables whose rows fit their header, relationship lines glued to the tables,
cardinalities beside each end, every text on the slide and in the SVG."""

from __future__ import annotations

import pytest
from diagram_testing import MEASURE, STYLE, THEME, by_id, drawn_text, mermaid_error, missing, parsed_or_none
from diagram_testing import svg_text, written
from hypothesis import given, settings
from hypothesis import strategies as st

from deckbuild.diagrams.build import build_scene
from deckbuild.diagrams.routing import site_point
from deckbuild.diagrams.mermaid.er import Attribute, parse_er
from deckbuild.diagrams.model import MermaidError, Style
from deckbuild.diagrams.to_svg import scene_to_svg


def parse(body: str):
    """parse_er on body with the header line added."""
    return parse_er("erDiagram\n" + body)


def error_of(body: str) -> MermaidError:
    return mermaid_error(parse, body)


def relations(diagram) -> list[tuple]:
    return [(r.source, r.target, r.source_cardinality, r.target_cardinality, r.identifying, r.label)
            for r in diagram.relationships]


# --- entities and attribute blocks ------------------------------------------------------


def test_attribute_block_with_keys_and_comments():
    diagram = parse(
        "REPOSITORY {\n"
        '  int id PK "고유 번호"\n'
        "  string name UK\n"
        "  int owner_id FK\n"
        "  datetime created_at\n"
        "}\n"
    )
    (entity,) = diagram.entities.values()
    assert (entity.id, entity.label, entity.line) == ("REPOSITORY", "REPOSITORY", 2)
    assert entity.attributes == [
        Attribute("int", "id", ["PK"], "고유 번호", 3),
        Attribute("string", "name", ["UK"], "", 4),
        Attribute("int", "owner_id", ["FK"], "", 5),
        Attribute("datetime", "created_at", [], "", 6),
    ]


@pytest.mark.parametrize("keys", ["PK, FK", "PK,FK", "pk , fk", "PK ,FK"])
def test_several_keys_separated_by_commas(keys):
    (attribute,) = parse(f'TAG {{\n  int repository_id {keys} "저장소"\n}}\n').entities["TAG"].attributes
    assert (attribute.keys, attribute.key_text, attribute.comment) == (["PK", "FK"], "PK, FK", "저장소")


def test_unusual_types_and_names():
    diagram = parse(
        "ITEM {\n"
        "  decimal(10,2) price\n"
        "  string? nickname\n"
        "  varchar[255] title\n"
        "  `unsigned int` count\n"
        "  int pk_id PK\n"
        "  string 이름 \"한글 이름\"\n"
        "}\n"
    )
    assert [(a.type, a.name, a.keys) for a in diagram.entities["ITEM"].attributes] == [
        ("decimal(10,2)", "price", []), ("string?", "nickname", []), ("varchar[255]", "title", []),
        ("unsigned int", "count", []), ("int", "pk_id", ["PK"]), ("string", "이름", []),
    ]


def test_attribute_without_a_type():
    (attribute,) = parse("A {\n  id PK\n}\n").entities["A"].attributes
    assert (attribute.type, attribute.name, attribute.keys) == ("", "id", ["PK"])


@pytest.mark.parametrize("block", ["A { int id PK }", "A {\nint id PK }", "A { int id PK\n}", "A {int id PK}"])
def test_block_may_open_and_close_on_attribute_lines(block):
    assert [a.name for a in parse(block + "\n").entities["A"].attributes] == ["id"]


def test_several_attributes_on_one_line():
    attributes = parse('A {\n  int id PK string name "이름"\n}\n').entities["A"].attributes
    assert [(a.type, a.name, a.keys, a.comment) for a in attributes] == [("int", "id", ["PK"], ""), ("string", "name", [], "이름")]


@pytest.mark.parametrize("block", ["A { }", "A {}", "A {\n}"])
def test_empty_blocks(block):
    assert parse(block + "\n").entities["A"].attributes == []


def test_blocks_add_up():
    diagram = parse("A {\n  int id\n}\nA {\n  int other\n}\n")
    assert [a.name for a in diagram.entities["A"].attributes] == ["id", "other"]


@pytest.mark.parametrize("declaration, label", [
    ('LAYER["레이어 🧱"]', "레이어 🧱"), ("LAYER[레이어]", "레이어"), ('LAYER[ "레이어" ] {\n}', "레이어"),
    ('LAYER["레이어"] {\n  string digest PK\n}', "레이어"),
])
def test_entity_alias_is_its_label(declaration, label):
    diagram = parse(declaration + "\nMANIFEST ||--|{ LAYER : has\n")
    assert (diagram.entities["LAYER"].id, diagram.entities["LAYER"].label) == ("LAYER", label)
    assert relations(diagram)[0][:2] == ("MANIFEST", "LAYER")


def test_entities_only_in_relationships_keep_first_seen_order():
    diagram = parse("고객 ||--o{ 주문 : 한다\n주문 ||--|{ 주문항목 : 포함\n배송지\n")
    assert list(diagram.entities) == ["고객", "주문", "주문항목", "배송지"]
    assert all(e.attributes == [] and e.label == e.id for e in diagram.entities.values())


def test_quoted_and_dashed_entity_names():
    diagram = parse('"Person . CUSTOMER" ||--o{ LINE-ITEM : "buys"\n"Person . CUSTOMER" {\n  string name\n}\n')
    assert list(diagram.entities) == ["Person . CUSTOMER", "LINE-ITEM"]
    assert diagram.entities["Person . CUSTOMER"].attributes[0].name == "name"


# --- relationships ----------------------------------------------------------------------

LEFT = {"|o": "zero_or_one", "||": "exactly_one", "}o": "zero_or_more", "}|": "one_or_more"}
RIGHT = {"o|": "zero_or_one", "||": "exactly_one", "o{": "zero_or_more", "|{": "one_or_more"}


@pytest.mark.parametrize("left", LEFT)
@pytest.mark.parametrize("right", RIGHT)
@pytest.mark.parametrize("line, identifying", [("--", True), ("..", False), (".-", False), ("-.", False)])
def test_every_cardinality_on_each_side(left, right, line, identifying):
    diagram = parse(f"A {left}{line}{right} B : label\n")
    assert relations(diagram) == [("A", "B", LEFT[left], RIGHT[right], identifying, "label")]


@pytest.mark.parametrize("symbol, kind", [*LEFT.items(), *RIGHT.items()])
def test_mirrored_forms_read_the_same_on_either_side(symbol, kind):
    diagram = parse(f"A {symbol}--{symbol} B : x\n")
    assert relations(diagram)[0][2:4] == (kind, kind)


def test_cardinality_texts():
    diagram = parse("A |o--o{ B : x\nC ||..|{ D : y\n")
    assert [(r.source_text, r.target_text) for r in diagram.relationships] == [("0..1", "0..N"), ("1", "1..N")]


@pytest.mark.parametrize("label, expected", [
    ('"가진다"', "가진다"), ("places", "places"), ('"두 단어"', "두 단어"), ('""', ""), ("여러 단어 라벨", "여러 단어 라벨"),
    ('"줄<br/>바꿈"', "줄\n바꿈"),
])
def test_labels_quoted_or_bare(label, expected):
    assert relations(parse(f"A ||--o{{ B : {label}\n"))[0][5] == expected


def test_label_may_be_left_out_and_spacing_is_free():
    assert relations(parse("A||--o{B\nC }|..|{ D:x\n")) == [
        ("A", "B", "exactly_one", "zero_or_more", True, ""), ("C", "D", "one_or_more", "one_or_more", False, "x"),
    ]


@pytest.mark.parametrize("words, left, right, identifying", [
    ("1 to zero or more", "exactly_one", "zero_or_more", True),
    ("only one optionally to one or many", "exactly_one", "one_or_more", False),
    ("zero or one to many(1)", "zero_or_one", "one_or_more", True),
    ("one or zero to 0+", "zero_or_one", "zero_or_more", True),
    ("1+ optionally to only one", "one_or_more", "exactly_one", False),
    ("many(0) to 1", "zero_or_more", "exactly_one", True),
    ("ONE OR MORE to Zero Or Many", "one_or_more", "zero_or_more", True),
])
def test_cardinality_words(words, left, right, identifying):
    assert relations(parse(f"CAR {words} NAMED-DRIVER : allows\n")) == [("CAR", "NAMED-DRIVER", left, right, identifying, "allows")]


def test_relationship_lines_are_numbered():
    diagram = parse("A ||--o{ B : x\n\n%% 주석\nB ||--|| C : y\n")
    assert [r.line for r in diagram.relationships] == [2, 5]


# --- direction, styles, accessibility ---------------------------------------------------


@pytest.mark.parametrize("value, direction", [("LR", "LR"), ("TB", "TB"), ("TD", "TB"), ("bt", "BT"), ("RL", "RL")])
def test_direction(value, direction):
    assert parse(f"direction {value}\nA ||--o{{ B : x\n").direction == direction


def test_styles_from_class_defs_classes_and_style_lines():
    diagram = parse(
        "classDef hot fill:#f96,stroke:#333\n"
        "classDef default fill:#eee\n"
        "A:::hot ||--o{ B : x\n"
        "C:::hot {\n  int id\n}\n"
        "class B hot\n"
        "style B color:#fff\n"
        "D\n"
    )
    assert diagram.entities["A"].style == Style(fill="ff9966", stroke="333333")
    assert diagram.entities["B"].style == Style(fill="ff9966", stroke="333333", color="ffffff")
    assert diagram.entities["C"].style.fill == "ff9966"
    assert diagram.entities["D"].style == Style(fill="eeeeee")


def test_accessibility_lines_are_skipped():
    diagram = parse("accTitle: 제목\naccDescr: 설명\naccDescr {\n  여러 줄\n  설명\n}\nA ||--o{ B : x\n")
    assert list(diagram.entities) == ["A", "B"]


def test_texts_lists_every_cell_label_and_cardinality():
    diagram = parse('A["가"] {\n  int id PK, FK "설명"\n  name\n}\nA ||--o{ B : "라벨"\n')
    assert diagram.texts() == ["가", "int", "id", "PK, FK", "설명", "name", "B", "라벨", "1", "0..N"]


# --- errors -------------------------------------------------------------------------------


@pytest.mark.parametrize("body, line", [
    ("A {\n  int id\n", 2),  # never closed: reported where it opens
    ("A {\n  int id PK,\n}\n", 3),
    ('A {\n  "comment only"\n}\n', 3),
    ("A {\n  int id\n} B\n", 4),
    ("A -> B\n", 2),
    ("A ||--o{\n", 2),
    ("}\n", 2),
    ("A B C\n", 2),
    ('A {\n  int "unclosed\n}\n', 3),
    ("accDescr {\n  설명\n", 2),
])
def test_errors_name_the_line(body, line):
    assert error_of(body).line == line


def test_header_is_required():
    with pytest.raises(MermaidError) as caught:
        parse_er("graph TD\nA --> B\n")
    assert caught.value.line == 1


_FUZZ_WORDS = st.sampled_from(
    ["A", "B", "엔티티", "||", "|o", "o|", "}o", "o{", "}|", "|{", "--", "..", ":", '"', "{", "}", "[", "]",
     "PK", "FK", "UK", ",", "int", "string", "to", "optionally", "one or more", "1", ":::", "classDef", "class",
     "style", "fill:#fff", "direction", "LR", "accDescr", "`", "~", "\n", " ", "%%", "---"]
)


@settings(max_examples=200, deadline=None)
@given(st.one_of(st.text(max_size=60), st.lists(_FUZZ_WORDS, max_size=30).map("".join)))
def test_any_input_gives_a_diagram_or_a_mermaid_error(body):
    for source in (body, "erDiagram\n" + body):
        parsed_or_none(parse_er, source)


# --- drawing ------------------------------------------------------------------------------

SAMPLE = """erDiagram
    REPOSITORY ||--o{ TAG : "태그를 가진다"
    TAG }o--|| MANIFEST : "가리킨다"
    MANIFEST }o..|{ LAYER : "참조한다"
    REPOSITORY {
        int id PK
        string name UK "예: team/order-api"
    }
    TAG {
        int repository_id PK, FK
        string name PK "예: 1.4"
        string manifest_digest FK
    }
    MANIFEST {
        string digest PK "sha256 다이제스트"
        int size
    }
    LAYER["레이어 🧱"] {
        string digest PK
        int size
    }
    EMPLOYEE ||--o{ EMPLOYEE : manages
"""


@pytest.fixture(scope="module")
def scene():
    return build_scene(SAMPLE, "erDiagram", MEASURE, STYLE)


def tables(scene) -> dict[str, list]:
    """Each entity's shapes: its header (id entityN) then its cells (entityN_row_column)."""
    found: dict[str, list] = {}
    for shape in scene.shapes:
        if shape.id.startswith("entity"):
            found.setdefault(shape.id.split("_")[0], []).append(shape)
    return found


def test_every_text_is_drawn(scene):
    drawn = [shape.text for shape in scene.shapes]
    for text in parse_er(SAMPLE).texts():
        assert text in drawn
    assert scene.kind == "er"
    assert "REPOSITORY" in scene.description and "가리킨다" in scene.description


def test_each_table_is_a_header_over_abutting_rows_of_its_width(scene):
    for header, *cells in tables(scene).values():
        assert header.bold and header.kind == "rect"
        rows: dict[float, list] = {}
        for cell in cells:
            rows.setdefault(round(cell.y, 3), []).append(cell)
            assert cell.align == "left"
            assert MEASURE.width(cell.text, cell.font_size) + 4 <= cell.width
        top = header.y + header.height
        for y in sorted(rows):
            row = sorted(rows[y], key=lambda c: c.x)
            assert y == pytest.approx(top)
            assert row[0].x == pytest.approx(header.x)
            assert row[-1].x + row[-1].width == pytest.approx(header.x + header.width)
            for left, right in zip(row, row[1:]):
                assert left.x + left.width == pytest.approx(right.x)
            top += row[0].height
        assert MEASURE.width(header.text, header.font_size, bold=True) + 4 <= header.width


def test_relationship_lines_end_on_their_tables(scene):
    shapes = by_id(scene)
    glued = [c for c in scene.connectors if c.source and c.target]
    assert len(glued) == 3
    expected = {("entity0", "entity1"), ("entity1", "entity2"), ("entity2", "entity3")}
    assert {(c.source.split("_")[0], c.target.split("_")[0]) for c in glued} == expected
    for connector in scene.connectors:
        if connector.source:
            assert connector.start == pytest.approx(site_point(shapes[connector.source], connector.source_site))
        if connector.target:
            assert connector.end == pytest.approx(site_point(shapes[connector.target], connector.target_site))
        assert (connector.head, connector.tail) == ("none", "none")
    assert [c.dashed for c in glued] == [False, False, True]


def test_cardinalities_sit_beside_their_line_ends_outside_the_tables(scene):
    cells = [s for s in scene.shapes if s.id.startswith("entity")]
    ends = {s.id: s for s in scene.shapes if s.id.startswith("end")}
    assert sorted(s.text for s in ends.values()) == sorted(["1", "0..N", "0..N", "1", "0..N", "1..N", "1", "0..N"])
    points = {}
    for index, connector in enumerate(c for c in scene.connectors if c.source and c.target):
        points[f"end{index}_source"], points[f"end{index}_target"] = connector.start, connector.end
    for shape_id, point in points.items():
        text = ends[shape_id]
        nearest = (max(text.x, min(point[0], text.x + text.width)), max(text.y, min(point[1], text.y + text.height)))
        assert abs(nearest[0] - point[0]) + abs(nearest[1] - point[1]) < 30, shape_id
    for text in ends.values():
        for cell in cells:
            assert not (text.x < cell.x + cell.width - 0.5 and cell.x < text.x + text.width - 0.5
                        and text.y < cell.y + cell.height - 0.5 and cell.y < text.y + text.height - 0.5), (text, cell)


def test_a_self_relationship_loops_over_the_top_right_corner_of_a_header_only_table(scene):
    loop = [c for c in scene.connectors if not (c.source and c.target)]
    assert len(loop) == 4
    assert (loop[0].source, loop[0].source_site, loop[-1].target, loop[-1].target_site) == ("entity4", "top", "entity4", "right")
    assert all(a.end == b.start for a, b in zip(loop, loop[1:]))
    header = next(s for s in scene.shapes if s.id == "entity4")
    assert loop[1].end[0] > header.x + header.width and loop[1].end[1] < header.y


def test_a_long_chain_is_folded_to_fit_a_slide():
    chain = "erDiagram\n" + "".join(f"T{i} ||--o{{ T{i + 1} : 다음\nT{i} {{\n  int id PK\n  string name\n}}\n" for i in range(5))
    scene = build_scene(chain, "erDiagram", MEASURE, STYLE)
    assert 0.5 < scene.width / scene.height < 4


def test_the_deck_group_has_every_text_and_glued_connectors(scene):
    group = written(scene, 0.8, "ER 다이어그램")
    assert not missing(parse_er(SAMPLE).texts(), drawn_text(group))
    xml = group._element.xml
    assert xml.count("<a:stCxn") == 4 and xml.count("<a:endCxn") == 4  # 3 relationships and the loop's two ends
    assert 'prstDash val="dash"' in xml


def test_the_svg_has_every_text(scene):
    svg = scene_to_svg(scene, THEME.fonts.east_asian)
    assert not missing(parse_er(SAMPLE).texts(), svg_text(svg))
