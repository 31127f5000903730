"""Scene: a laid-out diagram — positioned shapes, connectors and texts — in points.

The Scene is the single source for both writers: `to_pptx` turns it into a
group of native PowerPoint shapes and connectors, `to_svg` into vector art for
handouts, so deck and handout show the same picture. Coordinates start at the
top-left corner; shapes are listed in drawing order (frames before what they hold).
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field, replace

from .chart import Chart
from .connector_path import polyline


TURN_GAIN = 1.25  # a scene's other arrangement is shown only when it reads this much larger than the author's


@dataclass(frozen=True)
class SceneShape:
    """A shape with optional centred text.

    kind: a node shape from model.SHAPES, or 'frame' (a titled cluster or block,
    text at its top-left), 'text' (a bare label), 'lifeline_head', 'activation'.
    Colours are hex without '#'; fill None means no fill. align: 'center', or
    'left' for text that starts at the left edge (table rows, frame titles).
    """

    id: str
    kind: str
    x: float
    y: float
    width: float
    height: float
    text: str = ""
    fill: str | None = None
    stroke: str | None = None
    text_color: str = "222222"
    stroke_width: float = 1.0
    dashed: bool = False
    font_size: float = 14.0
    bold: bool = False
    align: str = "center"

    @property
    def centre(self) -> tuple[float, float]:
        return self.x + self.width / 2, self.y + self.height / 2


@dataclass(frozen=True)
class SceneConnector:
    """A line from start to end, glued to shapes when source/target ids are given.

    head/tail: 'arrow', 'open' (no head), 'circle', 'cross', 'none', or the UML ends
    'triangle', 'diamond', 'diamond_open' and 'vee' (open arrowhead).
    route: 'straight', 'elbow', 'curve' or 'loop' (see connector_path, which draws each);
    bulge: how far a curve or loop bows out beyond its ends' sides (0: the default).
    Sites are the sides the ends attach to: 'top', 'left', 'bottom', 'right' (None when
    not glued). label: the id of the text shape that labels this connector, if any.
    """

    start: tuple[float, float]
    end: tuple[float, float]
    source: str | None = None
    target: str | None = None
    source_site: str | None = None
    target_site: str | None = None
    color: str = "555555"
    width: float = 1.25
    dashed: bool = False
    head: str = "arrow"
    tail: str = "none"
    route: str = "straight"
    bulge: float = 0.0
    label: str = ""


@dataclass(frozen=True)
class Scene:
    """A whole diagram: its size, shapes, connectors and a description for alt text.

    chart: set for pie, XY and quadrant charts, which are written as native charts
    (deck) or drawn from their numbers (SVG) instead of from shapes.
    """

    kind: str
    width: float
    height: float
    shapes: tuple[SceneShape, ...] = ()
    connectors: tuple[SceneConnector, ...] = ()
    description: str = ""
    font_size: float = 14.0
    warnings: tuple[str, ...] = field(default=())
    chart: Chart | None = None
    alternatives: tuple["Scene", ...] = ()  # the same diagram in other arrangements, for the slide composer
    parts: tuple["Scene", ...] = ()  # the diagram cut into consecutive pieces, one a slide, when whole it reads too small

    def fitted(self, margin: float = 4.0) -> "Scene":
        """The scene moved and sized so everything in it lies inside (0, 0)–(width, height)."""
        # a straight or bent line lies between its ends; a curve or loop bows out beyond them
        lines = [point for c in self.connectors
                 for point in (polyline(c) if c.route in ("curve", "loop") else (c.start, c.end))]
        xs = [v for s in self.shapes for v in (s.x, s.x + s.width)] + [p[0] for p in lines]
        ys = [v for s in self.shapes for v in (s.y, s.y + s.height)] + [p[1] for p in lines]
        if not xs:
            return self
        dx, dy = margin - min(xs), margin - min(ys)
        shapes = tuple(replace(s, x=s.x + dx, y=s.y + dy) for s in self.shapes)
        connectors = tuple(
            replace(c, start=(c.start[0] + dx, c.start[1] + dy), end=(c.end[0] + dx, c.end[1] + dy)) for c in self.connectors
        )
        return replace(self, shapes=shapes, connectors=connectors, width=max(xs) - min(xs) + 2 * margin,
                       height=max(ys) - min(ys) + 2 * margin)

    def titled(self, title: str, measure_width, gap: float = 8.0) -> "Scene":
        """The scene with a bold title line above it (front matter `title:`).

        measure_width(text, size, bold) gives the title's width in points. A chart shows
        the title itself (its parser reads it), so a chart scene stays as it is."""
        if self.chart is not None:
            return self
        size = self.font_size * 1.15
        width = measure_width(title, size, True) + 8
        height = size * 1.6
        moved = self.fitted(0.0)
        shapes = tuple(replace(s, y=s.y + height + gap) for s in moved.shapes)
        connectors = tuple(
            replace(c, start=(c.start[0], c.start[1] + height + gap), end=(c.end[0], c.end[1] + height + gap))
            for c in moved.connectors
        )
        heading = SceneShape("title", "text", (max(moved.width, width) - width) / 2, 0.0, width, height, title,
                             font_size=size, bold=True)
        alternatives = tuple(other.titled(title, measure_width, gap) for other in self.alternatives)
        parts = (self.parts[0].titled(title, measure_width, gap), *self.parts[1:]) if self.parts else ()
        return replace(moved, shapes=(heading, *shapes), connectors=connectors, alternatives=alternatives,
                       parts=parts).fitted()

    def texts(self) -> list[str]:
        """Every text the scene shows."""
        chart_texts = self.chart.texts() if self.chart is not None else []
        return [shape.text for shape in self.shapes if shape.text] + chart_texts

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False, sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> "Scene":
        return cls.from_dict(json.loads(text))

    @classmethod
    def from_dict(cls, data: dict) -> "Scene":
        alternatives = tuple(cls.from_dict(other) for other in data.pop("alternatives", ()))
        parts = tuple(cls.from_dict(part) for part in data.pop("parts", ()))
        shapes = tuple(SceneShape(**shape) for shape in data.pop("shapes"))
        connectors = tuple(
            SceneConnector(**{**c, "start": tuple(c["start"]), "end": tuple(c["end"])}) for c in data.pop("connectors")
        )
        chart = data.pop("chart", None)
        return cls(shapes=shapes, connectors=connectors, chart=Chart.from_dict(chart) if chart is not None else None,
                   alternatives=alternatives, parts=parts,
                   **{k: tuple(v) if k == "warnings" else v for k, v in data.items()})
