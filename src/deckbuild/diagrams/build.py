"""Mermaid source → Scene: pick the parser and layout for the diagram's type."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Callable

from ..measure import Measurer
from ..theme import DiagramStyle
from .architecture_layout import draw_architecture
from .gitgraph_layout import draw_gitgraph
from .layout import GraphLayout
from .mermaid.architecture import parse_architecture
from .mermaid.class_diagram import parse_class
from .mermaid.er import parse_er
from .chart import Chart
from .mermaid.common import source_lines
from .mermaid.gitgraph import parse_gitgraph
from .mermaid.sankey import parse_sankey
from .mermaid.config import diagram_config
from .mermaid.flowchart import parse_flowchart
from .mermaid.gantt import parse_gantt
from .mermaid.mindmap import parse_mindmap
from .mermaid.timeline import parse_timeline
from .mermaid.pie import parse_pie
from .mermaid.quadrant import parse_quadrant
from .mermaid.xychart import parse_xychart
from .mermaid.sequence import parse_sequence
from .mermaid.state import parse_state
from .model import MermaidError
from .scene import Scene
from .gantt_layout import draw_gantt
from .mindmap_layout import draw_mindmap
from .sankey_layout import draw_sankey
from .sequence_layout import SequenceLayout
from .timeline_layout import draw_timeline
from .table_layout import draw_class, draw_er


@dataclass(frozen=True)
class DiagramType:
    """How one Mermaid keyword is drawn: parse reads the source into a model (raising
    MermaidError), draw lays the model out into a Scene. Every model has a
    `texts()` method listing what a reader must find in the drawing."""

    parse: Callable[[str], object]
    draw: Callable[[object, Measurer, DiagramStyle], Scene]


def _graph_layout(graph, measure: Measurer, style: DiagramStyle) -> Scene:
    return GraphLayout(measure, style).scene(graph)


def _sequence_layout(sequence, measure: Measurer, style: DiagramStyle) -> Scene:
    return SequenceLayout(measure, style).scene(sequence)


def _chart_scene(chart: Chart, measure: Measurer, style: DiagramStyle) -> Scene:
    """A chart needs no layout: a scene sized for the base type size holding the chart in the theme's colours."""
    chart = replace(chart, text_color=style.text, line_color=style.edge, area_color=style.frame_fill)
    width, height = chart.size(style.font_size)
    return Scene(chart.kind, width, height, description=chart.describe(), font_size=style.font_size,
                 warnings=chart.warnings, chart=chart)


# Every Mermaid keyword deckbuild draws natively; anything else is shown as source.
DIAGRAM_TYPES: dict[str, DiagramType] = {
    "graph": DiagramType(parse_flowchart, _graph_layout),
    "flowchart": DiagramType(parse_flowchart, _graph_layout),
    "stateDiagram": DiagramType(parse_state, _graph_layout),
    "stateDiagram-v2": DiagramType(parse_state, _graph_layout),
    "sequenceDiagram": DiagramType(parse_sequence, _sequence_layout),
    "pie": DiagramType(parse_pie, _chart_scene),
    "xychart-beta": DiagramType(parse_xychart, _chart_scene),
    "xychart": DiagramType(parse_xychart, _chart_scene),
    "quadrantChart": DiagramType(parse_quadrant, _chart_scene),
    "architecture-beta": DiagramType(parse_architecture, draw_architecture),
    "gitGraph": DiagramType(parse_gitgraph, draw_gitgraph),
    "gitGraph:": DiagramType(parse_gitgraph, draw_gitgraph),
    "sankey-beta": DiagramType(parse_sankey, draw_sankey),
    "mindmap": DiagramType(parse_mindmap, draw_mindmap),
    "timeline": DiagramType(parse_timeline, draw_timeline),
    "gantt": DiagramType(parse_gantt, draw_gantt),
    "erDiagram": DiagramType(parse_er, draw_er),
    "classDiagram": DiagramType(parse_class, draw_class),
    "classDiagram-v2": DiagramType(parse_class, draw_class),
}
NATIVE_KINDS = tuple(DIAGRAM_TYPES)


def _diagram_type(source: str, kind: str) -> DiagramType:
    if kind not in DIAGRAM_TYPES:
        header = next(iter(source_lines(source)), (1, ""))[0]
        raise MermaidError(header, f"'{kind}' is not a Mermaid diagram type deckbuild knows")
    return DIAGRAM_TYPES[kind]


# Far beyond real diagrams (at most ~120 lines and ~60 labels): larger blocks are refused
# so that a generated or pasted monster cannot stall a build.
MAX_DIAGRAM_LINES = 2_000
MAX_DIAGRAM_TEXTS = 500


def parse_only(source: str, kind: str):
    """The parsed model of a block (MermaidError when it does not parse or is too large to
    draw), without laying it out."""
    diagram_type = _diagram_type(source, kind)
    lines = source.count("\n") + 1
    if lines > MAX_DIAGRAM_LINES:
        raise MermaidError(1, f"too large to draw: {lines:,} lines (at most {MAX_DIAGRAM_LINES:,})")
    model = diagram_type.parse(source)
    texts = len(model.texts())
    if texts > MAX_DIAGRAM_TEXTS:
        raise MermaidError(1, f"too large to draw: {texts:,} labels (at most {MAX_DIAGRAM_TEXTS:,}); split it")
    return model


def build_scene(source: str, kind: str, measure: Measurer, style: DiagramStyle) -> Scene:
    """Parse and lay out one Mermaid block with the colours its own config sets;
    MermaidError when it cannot be drawn."""
    config = diagram_config(source)
    scene = _diagram_type(source, kind).draw(parse_only(source, kind), measure, config.style(style))
    if config.title:
        scene = scene.titled(config.title, measure.width)
    return scene
