"""Mermaid source → Scene: pick the parser and layout for the diagram's type, and cache.

Scenes are cached on disk by a hash of the source, the theme's diagram style
and the tool's code, so each diagram is laid out once however many outputs use
it and however often the text around it changes.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import asdict
from pathlib import Path

from ..measure import Measurer
from ..theme import DiagramStyle
from .layout import GraphLayout
from .mermaid.flowchart import parse_flowchart
from .mermaid.sequence import parse_sequence
from .mermaid.state import parse_state
from .model import MermaidError
from .scene import Scene
from .sequence_layout import SequenceLayout

FLOWCHART_KINDS = ("graph", "flowchart")
STATE_KINDS = ("stateDiagram-v2", "stateDiagram")
SEQUENCE_KINDS = ("sequenceDiagram",)
NATIVE_KINDS = FLOWCHART_KINDS + STATE_KINDS + SEQUENCE_KINDS


def parse_only(source: str, kind: str) -> None:
    """Check that a block parses (raises MermaidError otherwise), without laying it out."""
    if kind in FLOWCHART_KINDS:
        parse_flowchart(source)
    elif kind in STATE_KINDS:
        parse_state(source)
    elif kind in SEQUENCE_KINDS:
        parse_sequence(source)
    else:
        raise MermaidError(1, f"'{kind}' diagrams are not drawn as shapes yet")


def build_scene(source: str, kind: str, measure: Measurer, style: DiagramStyle) -> Scene:
    """Parse and lay out one Mermaid block; MermaidError when it cannot be drawn."""
    if kind in FLOWCHART_KINDS:
        return GraphLayout(measure, style).scene(parse_flowchart(source))
    if kind in STATE_KINDS:
        return GraphLayout(measure, style).scene(parse_state(source))
    if kind in SEQUENCE_KINDS:
        return SequenceLayout(measure, style).scene(parse_sequence(source))
    raise MermaidError(1, f"'{kind}' diagrams are not drawn as shapes yet")


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
