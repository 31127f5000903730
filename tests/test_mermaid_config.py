"""Settings inside a Mermaid block: front matter and %%{init}%%, honoured where they map onto the theme."""

from __future__ import annotations

from deckbuild.diagrams.build import build_scene
from deckbuild.diagrams.mermaid.config import diagram_config
from deckbuild.measure import Measurer
from deckbuild.document import Diagram
from deckbuild.scan import diagram_problems
from deckbuild.theme import DiagramStyle, load_theme

FRONT = """---
title: 빌드 단계
config:
  theme: base
  themeVariables:
    primaryColor: "#ffcc00"
    lineColor: "#333"
  flowchart:
    curve: basis
---
graph TB
  A[시작] --> B[끝]
"""


def test_front_matter_title_colours_and_unused_settings():
    config = diagram_config(FRONT)
    assert config.title == "빌드 단계"
    assert config.get("themeVariables.primaryColor") == "#ffcc00"
    assert config.ignored == ("flowchart.curve",)
    style = config.style(DiagramStyle())
    assert (style.node_fill, style.edge) == ("FFCC00", "333333")


def test_init_directive_is_read_and_merged_over_front_matter():
    source = "%%{init: {'theme':'forest', 'themeVariables': {'primaryColor': '#BB2528'}}}%%\ngraph LR\n A --> B\n"
    config = diagram_config(source)
    assert config.get("themeVariables.primaryColor") == "#BB2528"
    assert config.ignored == ("theme: forest",)
    assert config.style(DiagramStyle()).node_fill == "BB2528"


def test_unreadable_settings_are_reported_not_raised():
    assert diagram_config("%%{init: {'theme': 'base'}%%\ngraph LR\n").ignored == ("%%{init}%% (not readable)",)
    assert diagram_config("---\n- a list\n---\ngraph LR\n").ignored == ("front matter (not a mapping)",)
    assert diagram_config("graph LR\n A --> B\n").ignored == ()


def test_title_and_colours_reach_the_drawing(tmp_path):
    theme = load_theme("default", tmp_path)
    measure = Measurer(theme.fonts.metrics_body, theme.fonts.metrics_mono)
    scene = build_scene(FRONT, "graph", measure, theme.diagram)
    title = scene.shapes[0]
    assert (title.text, title.bold) == ("빌드 단계", True)
    assert all(title.y + title.height <= s.y for s in scene.shapes[1:])
    assert {s.fill for s in scene.shapes if s.text in ("시작", "끝")} == {"FFCC00"}


def test_ignored_settings_are_an_info_note_at_the_block(tmp_path):
    path = tmp_path / "session.md"
    notes = diagram_problems(Diagram("graph", FRONT, 10), path)
    assert [(n.line, n.severity.name.lower(), n.message) for n in notes] == [
        (11, "info", "mermaid graph: settings not used by deckbuild: flowchart.curve")]


def test_an_unknown_diagram_type_is_a_warning_at_its_header_line(tmp_path):
    notes = diagram_problems(Diagram("radar", "%% 레이더\nradar\n  axis A, B\n", 5), tmp_path / "s.md")
    assert [(n.line, n.severity.name.lower()) for n in notes] == [(7, "warning")]
    assert "'radar' is not a Mermaid diagram type" in notes[0].message
