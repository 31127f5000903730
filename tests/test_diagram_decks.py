"""Every Mermaid block becomes a native, editable group (or groups, one a slide, for a diagram
cut into parts), with all its text."""

from __future__ import annotations

import pytest
from conftest import CORPUS, SAMPLE_COURSE
from deck_reading import open_deck, slide_text
from diagram_testing import drawn_text, missing

from deckbuild.course import discover
from deckbuild.diagrams.build import NATIVE_KINDS, parse_only
from deckbuild.diagrams.model import MermaidError
from deckbuild.discussion import find_discussion
from deckbuild.document import Diagram, iter_blocks, read_document

GROUP = 6  # MSO_SHAPE_TYPE.GROUP
CONNECTOR = 9  # MSO_SHAPE_TYPE.LINE is used by python-pptx for connectors' shape_type


def expected_texts(diagram: Diagram) -> list[str]:
    """The texts a reader must find in the drawn diagram, from its own source."""
    return parse_only(diagram.source, diagram.kind).texts()


def drawn_diagrams(slide) -> list:
    """The native diagrams on a slide: groups of shapes and chart frames."""
    return [shape for shape in slide.shapes if shape.shape_type == GROUP or getattr(shape, "has_chart", False)]


def description(shape) -> str:
    """A drawn diagram's alt text."""
    return shape._element.xpath("./*[1]/p:cNvPr")[0].get("descr") or ""


def parts_joined(drawn: list) -> list[list]:
    """Drawn diagrams in deck order, the parts of one diagram cut over several slides (which
    share its alt text and follow each other) kept together."""
    joined: list[list] = []
    for shape in drawn:
        if joined and shape.shape_type == GROUP and joined[-1][-1].shape_type == GROUP \
                and description(shape) == description(joined[-1][-1]):
            joined[-1].append(shape)
        else:
            joined.append([shape])
    return joined


GRAPH_KINDS = ("graph", "flowchart", "stateDiagram", "stateDiagram-v2", "sequenceDiagram")


def diagrams_on_slides(session_path):
    """Mermaid blocks that get slides (those inside the discussion section go to its notes)."""
    document = read_document(session_path)
    discussion = find_discussion(document)
    hidden = {id(b) for b in iter_blocks(discussion.blocks)} if discussion else set()
    return [b for b in iter_blocks(document.blocks) if isinstance(b, Diagram) and id(b) not in hidden]


@pytest.fixture(scope="module", params=["sample", "corpus"])
def built(request):
    if request.param == "sample":
        return SAMPLE_COURSE, request.getfixturevalue("sample_build")
    if not CORPUS.is_dir():
        pytest.skip("../shared/corpus is not present")
    return CORPUS, request.getfixturevalue("corpus_build")


def test_every_native_block_is_a_group_with_all_its_text(built):
    root, out = built
    native = 0
    for session in discover(root).sessions:
        deck = open_deck(out / "decks" / session.relative.with_suffix(".pptx"))
        groups = parts_joined([shape for slide in deck.slides for shape in drawn_diagrams(slide)])
        blocks = []
        for diagram in diagrams_on_slides(session.path):
            try:
                expected_texts(diagram)
            except MermaidError:
                continue  # drawn as source with a note; checked below
            if diagram.kind in NATIVE_KINDS:
                blocks.append(diagram)
        assert len(groups) == len(blocks), session.relative
        for diagram, parts in zip(blocks, groups):
            native += 1
            assert not missing(expected_texts(diagram), "\n".join(drawn_text(p) for p in parts)), (session.relative, diagram.line)
            assert description(parts[0]) and ":" in description(parts[0])
            if diagram.kind in GRAPH_KINDS:
                connectors = [s for p in parts for s in p.shapes if s.shape_type == CONNECTOR or s._element.tag.endswith("cxnSp")]
                assert connectors, (session.relative, diagram.line)
    assert native > 0


def test_connectors_are_glued_to_their_boxes(sample_build):
    deck = open_deck(sample_build / "decks" / "week_01" / "day_04" / "session_01.pptx")
    group = next(shape for slide in deck.slides for shape in slide.shapes if shape.shape_type == GROUP)
    glued = [c for c in group._element.iter() if c.tag.endswith("}stCxn") or c.tag.endswith("}endCxn")]
    assert glued, "flowchart connectors carry stCxn/endCxn"


def test_blocks_that_cannot_be_drawn_show_source_with_a_note(tmp_path):
    from conftest import build

    course = tmp_path / "course"
    day = course / "week_01" / "day_01"
    day.mkdir(parents=True)
    (day / "session_01.md").write_text(
        "# Session 1: 실험\n\n## 다이어그램\n\n```mermaid\nsequenceDiagram\n  A->>B: 안녕\n  style A fill:#fff\n```\n",
        encoding="utf-8",
    )
    out = tmp_path / "out"
    assert build(course, out) == 0
    slides = list(open_deck(out / "decks" / "week_01" / "day_01" / "session_01.pptx").slides)
    text = "\n".join(slide_text(s) for s in slides)
    assert "style A fill:#fff" in text and "그리지 못해" in text


def test_a_block_that_does_not_parse_is_reported_at_its_line_in_the_file(tmp_path, capsys):
    from deckbuild.cli import main

    day = tmp_path / "week_01" / "day_01"
    day.mkdir(parents=True)
    session = day / "session_01.md"
    session.write_text("# S\n\n## 그림\n\n```mermaid\nsequenceDiagram\n  A->>B: 안녕\n  style A fill:#fff\n```\n", encoding="utf-8")
    main(["check", str(tmp_path)])
    assert f"{session}:8: warning: mermaid sequenceDiagram: 'style' is not allowed in a sequence diagram" in capsys.readouterr().out


def test_scenes_are_cached_and_reused_when_only_text_changes(tmp_path):
    import shutil

    from deckbuild.runner import build_course

    course = tmp_path / "course"
    shutil.copytree(SAMPLE_COURSE, course)
    out = tmp_path / "out"
    build_course(course, out, only=("decks",))
    scenes = sorted((out / ".deckbuild" / "scenes").glob("*.json"))
    assert scenes
    stamps = {path: path.stat().st_mtime_ns for path in scenes}
    session = course / "week_01" / "day_04" / "session_01.md"
    session.write_text(session.read_text(encoding="utf-8") + "\n새 문단.\n", encoding="utf-8")
    result = build_course(course, out, only=("decks",))
    assert result.record.ran == ["deck:week_01/day_04/session_01"]
    assert sorted((out / ".deckbuild" / "scenes").glob("*.json")) == scenes
    assert {path: path.stat().st_mtime_ns for path in scenes} == stamps


def test_a_dense_diagram_gets_the_large_area_and_a_diagnostic():
    from pathlib import Path

    from deckbuild.course import Day, Session
    from deckbuild.document import parse_markdown
    from deckbuild.frames import DiagramFrame
    from deckbuild.plan import Planner
    from deckbuild.theme import load_theme

    chain = " --> ".join(f"N{i}[단계 {i} 처리 노드]" for i in range(40))
    markdown = f"# S\n\n## 흐름\n\n```mermaid\ngraph LR\n  {chain}\n```\n"
    session = Session(Path("session_01.md"), 1, 1, 1, Path("session_01.md"))
    planner = Planner(load_theme("default", SAMPLE_COURSE), "ko")
    deck = planner.plan(parse_markdown(markdown, Path("session_01.md")), "과정", Day(Path("."), 1, 1, None, (session,)), session)
    (frame,) = [f for s in deck.slides for f in getattr(s, "frames", ()) if isinstance(f, DiagramFrame)]
    box = planner.layouts.wide_box
    assert frame.box.x >= box.x - 0.5 and frame.box.x + frame.scene.width * frame.scale <= box.x + box.width + 0.5
    assert any("dense" in d.message for d in deck.diagnostics)
