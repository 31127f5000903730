"""The classDiagram parser (classes, members, generics, annotations, relations, cardinalities,
notes, namespaces, styles, errors) and its drawing: three-compartment boxes, UML line ends,
notes and namespace frames, every text on the slide and in the SVG."""

from __future__ import annotations

import pytest
from diagram_testing import MEASURE, STYLE, THEME, by_id, drawn_text, mermaid_error, missing, parsed_or_none
from diagram_testing import svg_text, written
from hypothesis import given, settings
from hypothesis import strategies as st

from deckbuild.diagrams.build import build_scene
from deckbuild.diagrams.routing import site_point
from deckbuild.diagrams.mermaid.class_diagram import ClassNote, generic_text, member_text, parse_class
from deckbuild.diagrams.model import MermaidError, Style
from deckbuild.diagrams.to_svg import scene_to_svg


def parse(body: str):
    """parse_class on body with the header line added."""
    return parse_class("classDiagram\n" + body)


def error_of(body: str) -> MermaidError:
    return mermaid_error(parse, body)


def relations(diagram) -> list[tuple]:
    return [(r.source, r.target, r.source_end, r.target_end, r.dashed) for r in diagram.relations]


# --- members, generics, annotations -------------------------------------------------------


def test_class_block_splits_fields_and_methods():
    diagram = parse(
        "class Image {\n"
        "  +String digest\n"
        "  -List~Layer~ layers\n"
        "  #int size\n"
        "  ~String internal\n"
        "  +pull(tag) bool\n"
        "  +layers() List~Layer~\n"
        "  +push()\n"
        "}\n"
    )
    image = diagram.classes["Image"]
    assert (image.label, image.line) == ("Image", 2)
    assert image.fields == ["+String digest", "-List<Layer> layers", "#int size", "~String internal"]
    assert image.methods == ["+pull(tag) : bool", "+layers() : List<Layer>", "+push()"]


@pytest.mark.parametrize("written, shown", [
    ("+count()$ int", "+count()$ : int"), ("+count() int$", "+count()$ : int"), ("someStatic()$", "someStatic()$"),
    ("+area()* double", "+area()* : double"), ("+area() double*", "+area()* : double"), ("draw()*", "draw()*"),
    ("+get(key) : String", "+get(key) : String"), ("+put(Map~K, V~ items) void", "+put(Map<K, V> items) : void"),
    ("String someField$", "String someField$"), ("+List~List~int~~ grid", "+List<List<int>> grid"),
])
def test_member_text_keeps_visibility_and_markers(written, shown):
    assert member_text(written) == shown


@pytest.mark.parametrize("written, shown", [
    ("List~int~", "List<int>"), ("Map~K, V~", "Map<K, V>"), ("List~List~int~~", "List<List<int>>"),
    ("Map~String, List~int~~ x", "Map<String, List<int>> x"), ("a~b", "a~b"), ("~", "~"), ("plain", "plain"),
])
def test_generic_text(written, shown):
    assert generic_text(written) == shown


def test_one_line_members():
    diagram = parse("Layer : +int size\nLayer : +extract(path) void\nLayer: -String digest\n")
    assert (diagram.classes["Layer"].fields, diagram.classes["Layer"].methods) == (
        ["+int size", "-String digest"], ["+extract(path) : void"])


@pytest.mark.parametrize("body", [
    "class Shape {\n  <<interface>>\n  +draw()\n}\n",
    "<<interface>> Shape\nShape : +draw()\n",
    "class Shape <<interface>> {\n  +draw()\n}\n",
    "Shape : +draw()\n<<interface>> Shape\n",
])
def test_annotations(body):
    shape = parse(body).classes["Shape"]
    assert (shape.annotations, shape.methods, shape.title) == (["interface"], ["+draw()"], "«interface»\nShape")


def test_generic_class_and_labels():
    diagram = parse('class Box~T~\nclass Animal["동물 🐾"]\nclass `Odd Name!`\nBox~T~ --> Animal\n')
    assert [(c.id, c.label) for c in diagram.classes.values()] == [
        ("Box", "Box<T>"), ("Animal", "동물 🐾"), ("Odd Name!", "Odd Name!")]
    assert relations(diagram) == [("Box", "Animal", "none", "arrow", False)]


@pytest.mark.parametrize("block", ["class A { +int x }", "class A {\n+int x }", "class A {}", "class A {\n}"])
def test_class_blocks_open_and_close_anywhere(block):
    assert parse(block + "\n").classes["A"].fields == (["+int x"] if "x" in block else [])


def test_lone_names_and_first_seen_order():
    diagram = parse("Zebra\nAnimal <|-- Duck\nclass 오리\n")
    assert list(diagram.classes) == ["Zebra", "Animal", "Duck", "오리"]


# --- relations --------------------------------------------------------------------------

ENDS = [("<|", "extension"), ("*", "composition"), ("o", "aggregation"), ("<", "arrow"), ("()", "lollipop"), ("", "none")]
RIGHT_ENDS = [("|>", "extension"), ("*", "composition"), ("o", "aggregation"), (">", "arrow"), ("()", "lollipop"), ("", "none")]


@pytest.mark.parametrize("left, left_kind", ENDS)
@pytest.mark.parametrize("right, right_kind", RIGHT_ENDS)
@pytest.mark.parametrize("line, dashed", [("--", False), ("..", True)])
def test_every_end_and_line(left, left_kind, right, right_kind, line, dashed):
    diagram = parse(f"A {left}{line}{right} B\n")
    assert relations(diagram) == [("A", "B", left_kind, right_kind, dashed)]


@pytest.mark.parametrize("arrow, expected", [
    ("<|--", ("extension", "none", False)), ("--|>", ("none", "extension", False)), ("..|>", ("none", "extension", True)),
    ("*--", ("composition", "none", False)), ("o--", ("aggregation", "none", False)), ("-->", ("none", "arrow", False)),
    ("..>", ("none", "arrow", True)), ("--", ("none", "none", False)), ("..", ("none", "none", True)),
    ("<|--|>", ("extension", "extension", False)), ("<-->", ("arrow", "arrow", False)), ("*--*", ("composition", "composition", False)),
])
def test_the_named_relations(arrow, expected):
    assert relations(parse(f"classA {arrow} classB\n"))[0][2:] == expected


def test_cardinalities_and_labels():
    diagram = parse('Customer "1" --> "*" Ticket : 구매\nGalaxy "1" *-- "many" Star\nA --> "0..1" B: x : y\n')
    assert [(r.source_cardinality, r.target_cardinality, r.label) for r in diagram.relations] == [
        ("1", "*", "구매"), ("1", "many", ""), ("", "0..1", "x : y")]


def test_spacing_is_free_and_o_needs_a_gap():
    diagram = parse("A<|--B\nFoo -- oscar\nBar --o Baz\n")
    assert relations(diagram) == [("A", "B", "extension", "none", False), ("Foo", "oscar", "none", "none", False),
                                  ("Bar", "Baz", "none", "aggregation", False)]


def test_dotted_and_hangul_names():
    diagram = parse("app.models.이미지 <|-- app.models.레이어 : 상속\n")
    assert relations(diagram) == [("app.models.이미지", "app.models.레이어", "extension", "none", False)]


# --- notes, namespaces, direction, styles ---------------------------------------------------


def test_notes():
    diagram = parse('note "전체 메모"\nnote for Tag "태그는<br/>바뀔 수 있다"\n')
    assert diagram.notes == [ClassNote("전체 메모", None, 2), ClassNote("태그는\n바뀔 수 있다", "Tag", 3)]
    assert list(diagram.classes) == ["Tag"]


def test_namespaces_hold_the_classes_declared_inside():
    diagram = parse("namespace 레지스트리 {\n  class Repository\n  class Tag {\n    +String name\n  }\n  Blob\n}\nRepository --> Other\n")
    assert diagram.namespaces == ["레지스트리"]
    assert {c.id: c.namespace for c in diagram.classes.values()} == {
        "Repository": "레지스트리", "Tag": "레지스트리", "Blob": "레지스트리", "Other": None}
    assert diagram.classes["Tag"].fields == ["+String name"]


@pytest.mark.parametrize("value, direction", [("LR", "LR"), ("TB", "TB"), ("TD", "TB"), ("bt", "BT"), ("RL", "RL")])
def test_direction(value, direction):
    assert parse(f"direction {value}\nA --> B\n").direction == direction


def test_styles():
    diagram = parse(
        "classDef hot fill:#f96,stroke:#333\nclassDef default fill:#eee\nclass A:::hot\nB:::hot\n"
        'cssClass "C,D" hot\nstyle D color:#fff\nE\n'
    )
    hot = Style(fill="ff9966", stroke="333333")
    assert [diagram.classes[c].style for c in "ABC"] == [hot, hot, hot]
    assert diagram.classes["D"].style == Style(fill="ff9966", stroke="333333", color="ffffff")
    assert diagram.classes["E"].style == Style(fill="eeeeee")


def test_interaction_and_accessibility_lines_are_skipped():
    diagram = parse('click A href "https://x"\nlink A "https://x"\ncallback A "f"\naccTitle: t\naccDescr {\n 설명\n}\nA --> B\n')
    assert list(diagram.classes) == ["A", "B"]


def test_both_headers():
    assert list(parse_class("classDiagram-v2\nA --> B\n").classes) == ["A", "B"]


def test_texts_lists_titles_members_labels_cardinalities_notes_and_namespaces():
    diagram = parse('namespace N {\n  class A {\n    <<interface>>\n    +int x\n    +f() int\n  }\n}\nA "1" --> "*" B : 라벨\nnote for B "메모"\n')
    assert diagram.texts() == ["«interface»\nA", "+int x", "+f() : int", "B", "라벨", "1", "*", "메모", "N"]


# --- errors -------------------------------------------------------------------------------


@pytest.mark.parametrize("body, line", [
    ("class A {\n  +int x\n", 2),
    ("class A {\n  +int x\n} extra\n", 4),
    ("namespace N {\n  class A\n", 2),
    ("namespace N {\n  namespace M {\n", 3),
    ("}\n", 2),
    ("A -> B\n", 2),
    ("A --> \n", 2),
    ("note for\n", 2),
    ("accDescr {\n  설명\n", 2),
    ("class\n", 2),
])
def test_errors_name_the_line(body, line):
    assert error_of(body).line == line


_FUZZ_WORDS = st.sampled_from(
    ["A", "B", "클래스", "class", "<|", "|>", "*", "o", "<", ">", "()", "--", "..", ":", '"', "{", "}", "[", "]", "~", "`",
     "<<interface>>", "+", "-", "#", "$", "(", ")", "note", "for", "namespace", "direction", "LR", ":::", "classDef",
     "cssClass", "style", "fill:#fff", "click", "accDescr", "\n", " ", "%%", "---"]
)


@settings(max_examples=200, deadline=None)
@given(st.one_of(st.text(max_size=60), st.lists(_FUZZ_WORDS, max_size=30).map("".join)))
def test_any_input_gives_a_diagram_or_a_mermaid_error(body):
    for source in (body, "classDiagram\n" + body):
        parsed_or_none(parse_class, source)


# --- drawing ------------------------------------------------------------------------------

SAMPLE = """classDiagram
    class Tag {
        +String name
        +resolve() Manifest
    }
    class Manifest {
        <<interface>>
        +String digest
        +layers() List~Layer~
    }
    class Image {
        +String id
        +history()$ List~String~
    }
    class Layer {
        +String digest
        +int size
    }
    Tag "N" --> "1" Manifest : 가리킴
    Manifest "1" *-- "1" Image : 설정 객체
    Manifest "1" o-- "1..*" Layer : 레이어 목록
    Image <|.. Layer
    Image ..> Tag
    Layer --|> Layer : 자기 참조
    note for Layer "같은 레이어를 여러 이미지가 공유"
    namespace 저장 {
        class Blob
    }
    Blob -- Layer
"""


@pytest.fixture(scope="module")
def scene():
    return build_scene(SAMPLE, "classDiagram", MEASURE, STYLE)


def test_every_text_is_drawn(scene):
    drawn = "\n".join(shape.text for shape in scene.shapes).split("\n")
    for text in parse_class(SAMPLE).texts():
        assert all(line in drawn for line in text.split("\n")), text
    assert scene.kind == "class"
    assert "Manifest" in scene.description


def test_each_class_is_three_abutting_compartments_of_one_width(scene):
    shapes = by_id(scene)
    for index in range(5):
        title, fields, methods = (shapes[f"class{index}{suffix}"] for suffix in ("", "_fields", "_methods"))
        assert title.bold and (fields.align, methods.align) == ("left", "left")
        assert title.x == fields.x == methods.x and title.width == fields.width == methods.width
        assert title.y + title.height == pytest.approx(fields.y)
        assert fields.y + fields.height == pytest.approx(methods.y)
        for shape in (title, fields, methods):
            for line in shape.text.split("\n"):
                assert MEASURE.width(line, shape.font_size, bold=shape.bold) + 4 <= shape.width
            if shape.text:
                assert len(shape.text.split("\n")) * MEASURE.line_height(shape.font_size) <= shape.height


def test_relation_ends_map_to_uml_line_ends(scene):
    shapes = by_id(scene)

    def owner(shape_id):
        return shape_id.split("_")[0] if shape_id else None

    ends = {(owner(c.source), owner(c.target)): (c.tail, c.head, c.dashed) for c in scene.connectors if c.source and c.target}
    assert ends[("class0", "class1")] == ("none", "vee", False)
    assert ends[("class1", "class2")] == ("diamond", "none", False)
    assert ends[("class1", "class3")] == ("diamond_open", "none", False)
    assert ends[("class2", "class3")] == ("triangle", "none", True)
    assert ends[("class2", "class0")] == ("none", "vee", True)
    assert ends[("note0", "class3")] == ("none", "none", True)
    for connector in scene.connectors:
        if connector.source:
            assert connector.start == pytest.approx(site_point(shapes[connector.source], connector.source_site))
        if connector.target:
            assert connector.end == pytest.approx(site_point(shapes[connector.target], connector.target_site))


def test_self_relation_loops_on_the_right_side(scene):
    loop = [c for c in scene.connectors if (c.source or "").startswith("class3") and c.target is None]
    (first,) = loop
    assert first.source_site == "right" and first.tail == "none"
    last = next(c for c in scene.connectors if c.source is None and (c.target or "").startswith("class3"))
    assert last.target_site == "right" and last.head == "triangle"


def test_note_and_namespace_frame(scene):
    shapes = by_id(scene)
    assert shapes["note0"].kind == "note" and shapes["note0"].text == "같은 레이어를 여러 이미지가 공유"
    frame, blob = shapes["frame0"], shapes["class4"]
    assert frame.kind == "frame" and frame.text == "저장"
    assert frame.x < blob.x and blob.x + blob.width < frame.x + frame.width
    assert frame.y < blob.y and shapes["class4_methods"].y + shapes["class4_methods"].height < frame.y + frame.height
    assert scene.shapes.index(frame) < scene.shapes.index(blob)


def test_an_empty_namespace_still_gets_its_frame():
    scene = build_scene("classDiagram\nnamespace 빈곳 {\n}\nA --> B\n", "classDiagram", MEASURE, STYLE)
    assert [s.text for s in scene.shapes if s.kind == "frame"] == ["빈곳"]


def test_multiplicities_sit_next_to_their_ends(scene):
    texts = {s.id: s for s in scene.shapes if s.id.startswith("end")}
    assert sorted(s.text for s in texts.values()) == sorted(["N", "1", "1", "1", "1", "1..*"])


def test_the_deck_uses_native_uml_line_ends(scene):
    group = written(scene, 0.7, "클래스")
    assert not missing(parse_class(SAMPLE).texts(), drawn_text(group))
    xml = group._element.xml
    for end in ('type="diamond" w="lg"', 'type="triangle" w="lg"', 'type="arrow" w="lg"'):
        assert end in xml
    assert xml.count("<a:stCxn") >= 7


def test_the_svg_draws_hollow_uml_ends(scene):
    svg = scene_to_svg(scene, THEME.fonts.east_asian)
    for marker in ("triangle", "diamond_open", "diamond", "vee"):
        assert f'url(#{marker}-' in svg
    assert not missing(parse_class(SAMPLE).texts(), svg_text(svg))
