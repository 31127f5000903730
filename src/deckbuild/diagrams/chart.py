"""Chart: what a Mermaid `pie`, `xychart-beta` or `quadrantChart` says, ready for both writers.

Charts are not laid out into shapes: the deck gets a native PowerPoint chart
(its data editable in PowerPoint's sheet) and the handout an SVG drawn from
the same numbers, so both share this model and the few decisions made here —
colours, the value axis scale, the percentages and the scene's proportions.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from .model import MermaidError

# Colours of series, slices and points when the source sets none (hex, no '#').
PALETTE = ("1976D2", "F57C00", "388E3C", "7B1FA2", "C62828", "00838F", "F9A825", "5D4037", "455A64", "AD1457")
# Scene size in points at the base type size: wide enough for labels, 16:9-ish to 4:3-ish.
CHART_WIDTH = 480.0
DEFAULT_ASPECT = CHART_WIDTH / 304.0
ASPECTS = (1.25, 2.0)  # the narrowest and widest proportions a configured size is held to
QUADRANT_SIZE = (448.0, 384.0)
# Where each quadrant's label sits (x, y in 0..1): Mermaid numbers them from the top right,
# counter-clockwise, and hangs each label from the top middle of its quadrant.
QUADRANT_LABEL_AT = ((0.75, 1.0), (0.25, 1.0), (0.25, 0.5), (0.75, 0.5))
GRID_COLOR = "D5DBE1"  # value-axis gridlines, lighter than the axes
# A pie with more slices than this, two neighbouring slices thinner than CROWDED_SHARE, or a
# sliver thinner than SLIVER_SHARE is crowded: names beside thin slices would run into each other.
CROWDED_SLICES = 6
CROWDED_SHARE = 0.05
SLIVER_SHARE = 0.025
# Type sizes relative to the scene's base size, and line markers, shared by both writers.
TICK_SIZE = 0.85  # tick labels, data labels, point names and the legend
TITLE_SIZE = 1.15
MARKER = 7.0  # points across a line's markers; a quadrant point's default radius is 5
POINT_RADIUS = 5.0
# A number as chart sources write it: 42, -3.4, .98, 1200.
NUMBER = r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)"
LARGEST = 1e15


@dataclass(frozen=True)
class Series:
    """One row of numbers: a `bar` or `line` of an XY chart, or the slices of a pie ('pie')."""

    name: str
    kind: str
    values: tuple[float, ...]


@dataclass(frozen=True)
class ChartPoint:
    """A named point of a quadrant chart, x and y in 0..1; color/radius when the source styles it."""

    name: str
    x: float
    y: float
    color: str | None = None
    radius: float | None = None

    @property
    def label_above(self) -> bool:
        """Names go below their points, except near the bottom edge, where they go above."""
        return self.y < 0.12


@dataclass(frozen=True)
class Chart:
    """A pie, XY or quadrant chart.

    kind: 'pie', 'xychart' or 'quadrant'. categories are the slice labels (pie) or the
    x-axis labels (xychart). x_title/y_title are the axis titles; a quadrant chart's read
    "Low → High". y_min/y_max: the value axis range the source fixes (None: automatic).
    quadrants: the labels of quadrant-1 … quadrant-4. show_values: numbers next to slices,
    bars and points. colors: the source's palette (empty: PALETTE). aspect: width/height.
    text_color/line_color/area_color: the theme's text, axis and plot-area colours.
    warnings: settings in the block that the chart cannot honour.
    """

    kind: str
    title: str = ""
    categories: tuple[str, ...] = ()
    series: tuple[Series, ...] = ()
    x_title: str = ""
    y_title: str = ""
    y_min: float | None = None
    y_max: float | None = None
    horizontal: bool = False
    show_values: bool = False
    colors: tuple[str, ...] = ()
    aspect: float = DEFAULT_ASPECT
    quadrants: tuple[str, ...] = ("", "", "", "")
    points: tuple[ChartPoint, ...] = ()
    text_color: str = "1F2933"
    line_color: str = "455A64"
    area_color: str = "F6F8FB"
    warnings: tuple[str, ...] = field(default=())

    def texts(self) -> list[str]:
        """Every text a reader must find in the chart: titles, labels, legend and point names."""
        texts = [self.title, self.x_title, self.y_title, *self.categories, *self.quadrants]
        if self.has_legend:
            texts += self.series_names()
        texts += [p.name for p in self.points]
        return [t for t in texts if t]

    def series_names(self) -> list[str]:
        """Each series' name, unnamed ones numbered by kind ("bar 1", "line 1") for the legend and sheet."""
        counts: dict[str, int] = {}
        names = []
        for series in self.series:
            counts[series.kind] = counts.get(series.kind, 0) + 1
            names.append(series.name or f"{series.kind} {counts[series.kind]}")
        return names

    @property
    def has_legend(self) -> bool:
        """An XY chart shows a legend when the source names any series (Mermaid draws none otherwise)."""
        return self.kind == "xychart" and any(s.name for s in self.series)

    def color(self, index: int) -> str:
        """The colour of series (or slice) number index."""
        palette = self.colors or PALETTE
        return palette[index % len(palette)].upper()

    def size(self, font_size: float) -> tuple[float, float]:
        """The scene's width and height in points for type set at font_size."""
        grow = font_size / 14.0
        if self.kind == "quadrant":
            return QUADRANT_SIZE[0] * grow, QUADRANT_SIZE[1] * grow
        return CHART_WIDTH * grow, CHART_WIDTH * grow / self.aspect

    def percentages(self) -> list[float]:
        """Each pie slice's share of the whole, 0..1."""
        values = self.series[0].values if self.series else ()
        total = sum(values)
        return [v / total if total else 0.0 for v in values]

    @property
    def crowded_pie(self) -> bool:
        """A pie whose slices are too many or too thin to carry their names: the names go to a
        legend beside it and the slices keep only their numbers (as Mermaid draws every pie)."""
        shares = self.percentages()
        thin = any(a < CROWDED_SHARE and b < CROWDED_SHARE for a, b in zip(shares, shares[1:] + shares[:1]))
        sliver = min(shares, default=1.0) < SLIVER_SHARE
        return len(shares) > CROWDED_SLICES or (len(shares) > 2 and (thin or sliver))

    def describe(self) -> str:
        """A plain summary for alt text: the title and every number the chart shows."""
        parts = [self.title] if self.title else []
        if self.kind == "pie":
            shares = self.percentages()
            values = self.series[0].values if self.series else ()
            parts += [f"{c} {number(v)} ({percent(share)})" for c, v, share in zip(self.categories, values, shares)]
        elif self.kind == "xychart":
            if self.categories:
                parts.append(f"{self.x_title or 'x'}: {', '.join(self.categories)}")
            for series in self.series:
                name = series.name or series.kind
                parts.append(f"{name} ({self.y_title})" if self.y_title else name)
                parts[-1] += ": " + ", ".join(number(v) for v in series.values)
        else:
            parts += [self.x_title, self.y_title]
            parts += [f"quadrant-{i + 1} {label}" for i, label in enumerate(self.quadrants) if label]
            parts += [f"{p.name} ({number(p.x)}, {number(p.y)})" for p in self.points]
        return "; ".join(part.replace("\n", " ") for part in parts if part)

    @classmethod
    def from_dict(cls, data: dict) -> "Chart":
        """The Chart from its `dataclasses.asdict` form, as a cached Scene's JSON holds it."""
        data = dict(data)
        series = tuple(Series(s["name"], s["kind"], tuple(s["values"])) for s in data.pop("series"))
        points = tuple(ChartPoint(**p) for p in data.pop("points"))
        tuples = {k: tuple(data.pop(k)) for k in ("categories", "colors", "quadrants", "warnings")}
        return cls(series=series, points=points, **tuples, **data)


@dataclass(frozen=True)
class Scale:
    """A value axis: from low to high in steps of step (ticks at low, low + step, … up to high)."""

    low: float
    high: float
    step: float

    def ticks(self) -> list[float]:
        count = int(math.floor((self.high - self.low) / self.step + 1e-9))
        return [_tidy(self.low + i * self.step) for i in range(count + 1)]


def value_scale(chart: Chart) -> Scale:
    """The value axis both writers draw: the source's range, else a round range around the data
    that starts at zero when bars are drawn (bars measured from anything else mislead)."""
    values = [v for s in chart.series for v in s.values]
    if chart.y_min is not None and chart.y_max is not None:
        low, high = chart.y_min, chart.y_max
        steps = [_nice_step((high - low) / parts) for parts in (5, 4, 6, 8, 3)]
        even = [step for step in steps if abs((high - low) / step - round((high - low) / step)) < 1e-9]
        return Scale(low, high, even[0] if even else steps[0])
    low = min(values, default=0.0)
    high = max(values, default=1.0)
    if any(s.kind == "bar" for s in chart.series):
        low, high = min(low, 0.0), max(high, 0.0)
    if chart.y_min is not None:
        low = chart.y_min
    if chart.y_max is not None:
        high = chart.y_max
    if high <= low:
        high = low + (abs(low) or 1.0)
    step = _nice_step((high - low) / 5)
    if chart.y_min is None:
        low = _tidy(math.floor(low / step + 1e-9) * step)
    if chart.y_max is None:
        high = _tidy(math.ceil(high / step - 1e-9) * step)
    return Scale(low, high, step)


def percent(share: float) -> str:
    """A share as a whole percentage rounded half up, as PowerPoint's "0%" format shows it."""
    return f"{math.floor(share * 100 + 0.5)}%"


def _tidy(value: float) -> float:
    """value without the binary noise of float steps (0.30000000000000004 → 0.3)."""
    return float(f"{value:.12g}")


def _nice_step(rough: float) -> float:
    """1, 2, 2.5 or 5 times a power of ten, the smallest not below rough."""
    if rough <= 0:
        return 1.0
    power = 10.0 ** math.floor(math.log10(rough))
    return next(factor * power for factor in (1, 2, 2.5, 5, 10) if factor * power >= rough * (1 - 1e-9))


def number(value: float) -> str:
    """A number as a reader writes it: 42, 42.96, -3.4, 0.98, 1200000."""
    if value == int(value) and abs(value) < 1e15:
        return str(int(value))
    text = f"{value:.6f}".rstrip("0").rstrip(".")
    return text if text not in ("0", "-0") else f"{value:.3g}"


def read_number(text: str, line: int) -> float:
    """A NUMBER from the source; MermaidError beyond ±LARGEST, where axis arithmetic would overflow."""
    value = float(text)
    if not abs(value) <= LARGEST:
        raise MermaidError(line, f"{text[:20]}{'…' if len(text) > 20 else ''} is too large a number for a chart")
    return value
