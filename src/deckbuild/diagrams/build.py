"""Mermaid source → Scene: pick the parser and layout for the diagram's type, and cache.

Scenes are cached on disk by a hash of the source, the theme's diagram style
and the tool's code, so each diagram is laid out once however many outputs use
it and however often the text around it changes.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Callable

from ..measure import Measurer
from ..theme import DiagramStyle
from .layout import GraphLayout
from .mermaid.common import source_lines
from .mermaid.config import diagram_config
from .mermaid.flowchart import parse_flowchart
from .mermaid.sequence import parse_sequence
from .mermaid.state import parse_state
from .model import MermaidError
from .scene import Scene
from .sequence_layout import SequenceLayout


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


# Every Mermaid keyword deckbuild draws natively; anything else is shown as source.
DIAGRAM_TYPES: dict[str, DiagramType] = {
    "graph": DiagramType(parse_flowchart, _graph_layout),
    "flowchart": DiagramType(parse_flowchart, _graph_layout),
    "stateDiagram": DiagramType(parse_state, _graph_layout),
    "stateDiagram-v2": DiagramType(parse_state, _graph_layout),
    "sequenceDiagram": DiagramType(parse_sequence, _sequence_layout),
}
NATIVE_KINDS = tuple(DIAGRAM_TYPES)


def _diagram_type(source: str, kind: str) -> DiagramType:
    if kind not in DIAGRAM_TYPES:
        header = next(iter(source_lines(source)), (1, ""))[0]
        raise MermaidError(header, f"'{kind}' is not a Mermaid diagram type deckbuild knows")
    return DIAGRAM_TYPES[kind]


def parse_only(source: str, kind: str):
    """The parsed model of a block (MermaidError when it does not parse), without laying it out."""
    return _diagram_type(source, kind).parse(source)


def build_scene(source: str, kind: str, measure: Measurer, style: DiagramStyle) -> Scene:
    """Parse and lay out one Mermaid block with the colours its own config sets;
    MermaidError when it cannot be drawn."""
    diagram_type = _diagram_type(source, kind)
    config = diagram_config(source)
    scene = diagram_type.draw(diagram_type.parse(source), measure, config.style(style))
    if config.title:
        scene = scene.titled(config.title, measure.width)
    return scene


class SceneCache:
    """Scenes stored as JSON files named by a hash of everything that shapes them."""

    def __init__(self, folder: Path | None, salt: str) -> None:
        self.folder = folder
        self.salt = salt

    def key(self, source: str, style: DiagramStyle, measure: Measurer) -> str:
        digest = hashlib.sha256(self.salt.encode())
        digest.update(repr(sorted(asdict(style).items())).encode())
        digest.update(f"{measure.body_family}|{measure.mono_family}|{measure.safety}".encode())
        digest.update(source.encode())
        return digest.hexdigest()[:32]

    def scene(self, source: str, kind: str, measure: Measurer, style: DiagramStyle) -> Scene:
        """The cached Scene for source, laid out now when not cached yet."""
        if self.folder is None:
            return build_scene(source, kind, measure, style)
        path = self.folder / f"{self.key(source, style, measure)}.json"
        if path.is_file():
            try:
                return Scene.from_json(path.read_text(encoding="utf-8"))
            except (ValueError, TypeError, KeyError):
                pass
        scene = build_scene(source, kind, measure, style)
        self.folder.mkdir(parents=True, exist_ok=True)
        temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        temporary.write_text(scene.to_json(), encoding="utf-8")
        temporary.replace(path)
        return scene
