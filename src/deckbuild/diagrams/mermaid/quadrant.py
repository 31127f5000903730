"""Mermaid `quadrantChart` source → Chart of kind 'quadrant'.

Statements: `title`, `x-axis Low --> High` and `y-axis Low --> High` (the arrow
and its far end are optional), `quadrant-1` … `quadrant-4` labels (1 is the top
right, then counter-clockwise), points `Name: [x, y]` with x and y in 0..1,
and point styling (`Name:::class: [x, y] color: #f30, radius: 8` and
`classDef class color: …, radius: …`) of which colour and radius are kept.
"""

from __future__ import annotations

import re

from ..chart import NUMBER, Chart, ChartPoint, read_number
from ..model import MermaidError
from .common import body_lines, clean_label, colour, quoted, skip_accessibility
from .config import diagram_config

_HEADER = re.compile(r"^quadrantChart$")
_TITLE = re.compile(r"^title(?:\s+(?P<title>.*))?$", re.IGNORECASE)
_AXIS = re.compile(r"^(?P<axis>[xy])-axis(?:\s+(?P<low>.*?))??(?:\s*-->\s*(?P<high>.*))?$", re.IGNORECASE)
_QUADRANT = re.compile(r"^quadrant-(?P<number>[1-4])(?:\s+(?P<label>.*))?$", re.IGNORECASE)
_CLASS_DEF = re.compile(r"^classDef\s+(?P<name>[\w-]+)\s+(?P<style>.+)$", re.IGNORECASE)
_POINT = re.compile(
    rf"^(?P<name>.+?)(?::::(?P<class>[\w-]+))?\s*:\s*\[\s*(?P<x>{NUMBER})\s*,\s*(?P<y>{NUMBER})\s*\]\s*(?P<style>.*)$"
)
_RADIUS = re.compile(rf"^{NUMBER}(?:px)?$")
ARROW = " → "


def parse_quadrant(source: str) -> Chart:
    """Read the source of a ```` ```mermaid ```` block that starts with `quadrantChart`.

    Raises MermaidError with the 1-based line of the first statement it cannot read.
    """
    lines = iter(body_lines(source, _HEADER, "quadrantChart"))
    title = ""
    axes = {"x": "", "y": ""}
    quadrants = ["", "", "", ""]
    classes: dict[str, dict] = {}
    points: list[tuple[int, re.Match]] = []
    for line, text in lines:
        if skip_accessibility(text, line, lines):
            continue
        if match := _TITLE.match(text):
            title = clean_label(match["title"] or "")
        elif match := _AXIS.match(text):
            ends = [clean_label(match[end] or "") for end in ("low", "high")]
            axes[match["axis"].lower()] = ARROW.join(end for end in ends if end)
        elif match := _QUADRANT.match(text):
            quadrants[int(match["number"]) - 1] = clean_label(match["label"] or "")
        elif match := _CLASS_DEF.match(text):
            classes[match["name"]] = _style(match["style"])
        elif match := _POINT.match(text):
            points.append((line, match))
        else:
            raise MermaidError(line, f"cannot read {quoted(text)}")
    return Chart(
        "quadrant",
        title=title or diagram_config(source).title,
        x_title=axes["x"],
        y_title=axes["y"],
        quadrants=tuple(quadrants),
        points=tuple(_point(match, line, classes) for line, match in points),
    )


def _point(match: re.Match, line: int, classes: dict[str, dict]) -> ChartPoint:
    """A point from its statement; its own style goes over its class's (classes may come later)."""
    x, y = read_number(match["x"], line), read_number(match["y"], line)
    if not (0 <= x <= 1 and 0 <= y <= 1):
        raise MermaidError(line, f"a point's x and y lie between 0 and 1: {quoted(match.group(0))}")
    if match["class"] and match["class"] not in classes:
        raise MermaidError(line, f"no classDef {match['class']!r} for this point")
    style = {**classes.get(match["class"] or "", {}), **_style(match["style"])}
    return ChartPoint(clean_label(match["name"]), x, y, style.get("color"), style.get("radius"))


def _style(text: str) -> dict:
    """The colour and radius of `color: #ff3300, radius: 10, stroke-width: 2px` (other keys are not drawn)."""
    style = {}
    for item in text.split(","):
        key, _, value = item.partition(":")
        key, value = key.strip().lower(), value.strip()
        if key == "color" and colour(value):
            style["color"] = colour(value).upper()
        elif key == "radius" and _RADIUS.match(value):
            radius = float(value.removesuffix("px"))
            if 0 < radius <= 100:
                style["radius"] = radius
    return style
