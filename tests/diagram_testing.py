"""What the diagram tests share: the default theme and its text metrics, a parser's error,
and reading back what a drawing shows (the scene, the SVG, the shape written to a slide)."""

from __future__ import annotations

import io
import math
import xml.etree.ElementTree as ElementTree

import pytest
from conftest import SAMPLE_COURSE
from deck_reading import squash
from pptx import Presentation
from pptx.oxml.ns import qn
from pptx.util import Emu

from deckbuild.diagrams.mindmap_layout import slide_scale
from deckbuild.diagrams.model import MermaidError
from deckbuild.diagrams.to_pptx import SceneWriter
from deckbuild.measure import Measurer
from deckbuild.theme import load_theme

THEME = load_theme("default", SAMPLE_COURSE)
MEASURE = Measurer(THEME.fonts.metrics_body, THEME.fonts.metrics_mono)
STYLE = THEME.diagram
SVG = "{http://www.w3.org/2000/svg}"


def mermaid_error(parse, source: str) -> MermaidError:
    """The MermaidError parse raises for source."""
    with pytest.raises(MermaidError) as caught:
        parse(source)
    return caught.value


def parsed_or_none(parse, source: str):
    """parse(source), or None when it raises MermaidError (any other exception fails the test)."""
    try:
        return parse(source)
    except MermaidError:
        return None


def missing(texts, drawn: str) -> list[str]:
    """The texts that drawn does not show, white space ignored."""
    drawn = squash(drawn)
    return [text for text in texts if squash(text) not in drawn]


def scene_text(scene) -> str:
    return "\n".join(scene.texts())


def svg_text(svg: str) -> str:
    """The text of an SVG's <text> elements; it must have no foreignObject."""
    root = ElementTree.fromstring(svg)
    assert root.find(f".//{SVG}foreignObject") is None
    return "".join("".join(text.itertext()) for text in root.iter(f"{SVG}text"))


def drawn_text(shape) -> str:
    """All text a drawn diagram shows: its shapes' text, or for a chart every label in the chart part."""
    if getattr(shape, "has_chart", False):
        chart_xml = shape.chart._chartSpace
        return "\n".join(t.text or "" for t in chart_xml.iter() if t.tag.endswith("}t") or t.tag.endswith("}v"))
    return "\n".join(s.text_frame.text for s in shape.shapes if s.has_text_frame)


def written(scene, scale: float = 1.0, description: str = ""):
    """The shape SceneWriter puts on a slide for scene (a group, or a chart's frame), read back
    from the saved deck."""
    presentation = Presentation()
    slide = presentation.slides.add_slide(presentation.slide_layouts[6])
    SceneWriter(THEME.fonts.latin, THEME.fonts.east_asian, "ko-KR").add(slide, scene, 20, 30, scale, description)
    buffer = io.BytesIO()
    presentation.save(buffer)
    (shape,) = Presentation(buffer).slides[0].shapes
    return shape


def by_id(scene) -> dict:
    """A scene's shapes by id."""
    return {shape.id: shape for shape in scene.shapes}


def overlapping(shapes) -> list[tuple[str, str]]:
    """The texts of every two shapes whose boxes overlap."""
    shapes = list(shapes)
    return [(a.text, b.text) for i, a in enumerate(shapes) for b in shapes[i + 1:]
            if a.x < b.x + b.width and b.x < a.x + a.width and a.y < b.y + b.height and b.y < a.y + a.height]


def readable(scene) -> bool:
    """Whether the scene's type, enlarged or shrunk to fill a slide, is at least the theme's smallest size."""
    return scene.font_size * slide_scale(scene.width, scene.height) >= STYLE.min_font_size


def drawn_ends(connector_element):
    """Where PowerPoint draws a connector's two ends (points), its preset and adjust values and
    the first corner of a bent one, from its box, rotation and flips."""
    transform = connector_element.find(f"{qn('p:spPr')}/{qn('a:xfrm')}")
    off, ext = transform.find(qn("a:off")), transform.find(qn("a:ext"))
    x, y = Emu(int(off.get("x"))).pt, Emu(int(off.get("y"))).pt
    width, height = Emu(int(ext.get("cx"))).pt, Emu(int(ext.get("cy"))).pt
    turn = math.radians(int(transform.get("rot", "0")) / 60000)
    flip_x = -1 if transform.get("flipH") == "1" else 1
    flip_y = -1 if transform.get("flipV") == "1" else 1
    centre = (x + width / 2, y + height / 2)

    def placed(local_x: float, local_y: float) -> tuple[float, float]:
        dx, dy = (local_x - width / 2) * flip_x, (local_y - height / 2) * flip_y
        return (centre[0] + dx * math.cos(turn) - dy * math.sin(turn), centre[1] + dx * math.sin(turn) + dy * math.cos(turn))

    geometry = connector_element.find(f"{qn('p:spPr')}/{qn('a:prstGeom')}")
    adjust = {gd.get("name"): int(gd.get("fmla").split()[1]) for gd in geometry.iter(qn("a:gd"))}
    # where the first leg of a bent connector turns (bentConnector3 at its adj1, bentConnector2 at the far side)
    turn_at = width * adjust.get("adj1", 100000) / 100000
    return placed(0, 0), placed(width, height), geometry.get("prst"), adjust, placed(turn_at, 0)
