"""Chart → SVG elements with plain `<text>`, for handouts.

Draws what the deck's native chart shows, from the same Chart: pie slices
labelled with category and percentage, bars and lines on a value axis with the
same scale, ticks and category labels, and the quadrant square with its labels
and named points — in the same colours. Text is measured in the handout's font
to leave room for labels.
"""

from __future__ import annotations

import math
from xml.sax.saxutils import escape, quoteattr

from ..measure import LINE_PITCH, Measurer, Span
from ..pptx_xml import xml_safe
from .chart import GRID_COLOR, MARKER, POINT_RADIUS, QUADRANT_LABEL_AT, TICK_SIZE, TITLE_SIZE, Chart, number, percent
from .chart import value_scale
from .scene import Scene

GAP = 6.0  # between a label and what it labels
BAR_GAP = 0.6  # space between category groups, as a share of a group's width (PowerPoint's gap width 60)
MAX_LABEL_LINES = 3
INSIDE_SHARE = 0.08  # a crowded pie's slices at least this big carry their numbers inside


class _Canvas:
    """Collects SVG elements for one chart and knows its font, sizes and colours."""

    def __init__(self, scene: Scene, font_family: str) -> None:
        self.chart: Chart = scene.chart
        self.width, self.height = scene.width, scene.height
        self.size = scene.font_size
        self.tick = scene.font_size * TICK_SIZE
        self.pad = scene.font_size * 0.6
        self.font_family = font_family
        self.measure = Measurer(font_family, font_family, safety=1.0)
        self.parts: list[str] = []

    def text(self, x: float, y: float, text: str, size: float, color: str, anchor: str = "middle",
             bold: bool = False, rotate: bool = False) -> None:
        """Lines of text whose block is vertically centred on y (rotated a quarter turn left when rotate)."""
        lines = xml_safe(text).split("\n")
        pitch = LINE_PITCH * size
        first = y - pitch * (len(lines) - 1) / 2 + size * 0.35
        weight = ' font-weight="bold"' if bold else ""
        turn = f' transform="rotate(-90 {x:.1f} {y:.1f})"' if rotate else ""
        spans = "".join(f'<tspan x="{x:.1f}" y="{first + i * pitch:.1f}">{escape(line)}</tspan>'
                        for i, line in enumerate(lines))
        self.parts.append(f'<text font-family={quoteattr(self.font_family)} font-size="{size:.1f}"{weight} '
                          f'fill="#{color}" text-anchor="{anchor}"{turn}>{spans}</text>')

    def line(self, x1: float, y1: float, x2: float, y2: float, color: str, width: float = 0.75) -> None:
        self.parts.append(f'<path d="M{x1:.1f},{y1:.1f} L{x2:.1f},{y2:.1f}" stroke="#{color}" '
                          f'stroke-width="{width:.2f}" fill="none"/>')

    def rect(self, x: float, y: float, w: float, h: float, fill: str, stroke: str | None = None) -> None:
        outline = f' stroke="#{stroke}" stroke-width="0.75"' if stroke else ""
        self.parts.append(f'<rect x="{x:.1f}" y="{y:.1f}" width="{max(w, 0):.1f}" height="{max(h, 0):.1f}" '
                          f'fill="#{fill}"{outline}/>')

    def circle(self, x: float, y: float, r: float, fill: str, stroke: str) -> None:
        self.parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{r:.1f}" fill="#{fill}" stroke="#{stroke}" '
                          f'stroke-width="1"/>')

    def width_of(self, text: str, size: float, bold: bool = False) -> float:
        return max(self.measure.width(line, size, bold) for line in text.split("\n"))

    def wrapped(self, text: str, width: float, size: float) -> str:
        """text broken into lines no wider than width (at most MAX_LABEL_LINES)."""
        lines = self.measure.wrap([Span(text)], max(width, size), size)
        return "\n".join(lines[:MAX_LABEL_LINES])

    def title(self) -> float:
        """Draw the chart title at the top; returns where the rest of the chart starts."""
        if not self.chart.title:
            return self.pad
        size = self.size * TITLE_SIZE
        text = self.wrapped(self.chart.title, self.width - 2 * self.pad, size)
        height = LINE_PITCH * size * (text.count("\n") + 1)
        self.text(self.width / 2, self.pad + height / 2, text, size, self.chart.text_color, bold=True)
        return self.pad + height + self.size * 0.5


def chart_svg(scene: Scene, font_family: str) -> list[str]:
    """SVG elements drawing scene's chart inside (0, 0)–(scene.width, scene.height)."""
    canvas = _Canvas(scene, font_family)
    top = canvas.title()
    if canvas.chart.kind == "pie":
        _pie(canvas, top)
    elif canvas.chart.kind == "xychart":
        _xy(canvas, top)
    else:
        _quadrant(canvas, top)
    return canvas.parts


# --- pie ---------------------------------------------------------------------------------


def _pie(canvas: _Canvas, top: float) -> None:
    """Slices clockwise from 12 o'clock, labelled outside with name and share; a crowded pie
    lists the names in a legend on the right and labels its slices with numbers only."""
    chart = canvas.chart
    values = chart.series[0].values
    crowded = chart.crowded_pie
    labels = []
    for category, value, share in zip(chart.categories, values, chart.percentages()):
        lines = ([] if crowded else [category]) + ([number(value)] if chart.show_values else []) + [percent(share)]
        labels.append("\n".join(lines))
    right = canvas.width - canvas.pad
    if crowded:
        right = _pie_legend(canvas, top, canvas.height - canvas.pad) - canvas.size
    label_width = max(canvas.width_of(label, canvas.tick) for label in labels)
    label_height = max(LINE_PITCH * canvas.tick * (label.count("\n") + 1) for label in labels)
    bottom = canvas.height - canvas.pad
    radius = min((bottom - top) / 2 - GAP - label_height, (right - canvas.pad) / 2 - GAP - label_width)
    radius = max(radius, canvas.size)
    cx, cy = (canvas.pad + right) / 2, (top + bottom) / 2
    start = 0.0
    outside = []
    for index, share in enumerate(chart.percentages()):
        sweep = share * 2 * math.pi
        _slice(canvas, cx, cy, radius, start, sweep, chart.color(index))
        middle = start + sweep / 2
        if crowded and share >= INSIDE_SHARE:
            x, y = cx + radius * 0.62 * math.sin(middle), cy - radius * 0.62 * math.cos(middle)
            canvas.text(x, y, labels[index], canvas.tick, chart.text_color)
        else:
            outside.append((middle, labels[index]))
        start += sweep
    _pie_labels(canvas, (cx, cy, radius), outside, label_height, top, bottom)


def _pie_legend(canvas: _Canvas, top: float, bottom: float) -> float:
    """The slice names in a column at the right, centred vertically; returns the column's left edge."""
    chart = canvas.chart
    swatch = canvas.tick * 0.8
    width = swatch + 4 + max(canvas.width_of(c, canvas.tick) for c in chart.categories)
    left = canvas.width - canvas.pad - width
    pitch = LINE_PITCH * canvas.tick
    y = (top + bottom) / 2 - pitch * (len(chart.categories) - 1) / 2
    for index, category in enumerate(chart.categories):
        canvas.rect(left, y + pitch * index - swatch / 2, swatch, swatch, chart.color(index))
        canvas.text(left + swatch + 4, y + pitch * index, category, canvas.tick, chart.text_color, "start")
    return left


def _slice(canvas: _Canvas, cx: float, cy: float, r: float, start: float, sweep: float, colour: str) -> None:
    """A wedge from angle start (radians clockwise from 12 o'clock) over sweep."""
    if sweep <= 0:
        return
    if sweep >= 2 * math.pi - 1e-9:
        canvas.circle(cx, cy, r, colour, "FFFFFF")
        return
    x1, y1 = cx + r * math.sin(start), cy - r * math.cos(start)
    x2, y2 = cx + r * math.sin(start + sweep), cy - r * math.cos(start + sweep)
    large = 1 if sweep > math.pi else 0
    arc = f"A{r:.1f},{r:.1f} 0 {large} 1 {x2:.2f},{y2:.2f}"
    canvas.parts.append(f'<path d="M{cx:.1f},{cy:.1f} L{x1:.2f},{y1:.2f} {arc} Z" fill="#{colour}" '
                        'stroke="#FFFFFF" stroke-width="1"/>')


def _pie_labels(canvas: _Canvas, circle, placed, label_height: float, top: float, bottom: float) -> None:
    """Labels just outside their slices, on each side spread apart vertically where they would
    overlap and kept clear of the circle, with a leader line to the slice when moved."""
    cx, cy, radius = circle
    reach = radius + GAP
    for side in (1, -1):
        items = [(angle, label) for angle, label in placed if (math.sin(angle) >= 0) == (side == 1)]
        wanted = [cy - (reach + label_height / 2) * math.cos(angle) for angle, _ in items]
        order = sorted(range(len(items)), key=lambda i: wanted[i])
        spread = _spread([wanted[i] for i in order], label_height, top + label_height / 2, bottom - label_height / 2)
        for index, y in zip(order, spread):
            angle, label = items[index]
            dy = abs(y - cy)
            along = math.sqrt(reach * reach - dy * dy) if dy < reach else 0.0
            moved = abs(y - wanted[index]) > 1
            x = cx + side * (along if moved else reach * abs(math.sin(angle)))
            if moved:
                edge_x, edge_y = cx + radius * math.sin(angle), cy - radius * math.cos(angle)
                canvas.line(edge_x, edge_y, x, y, canvas.chart.line_color, 0.5)
            canvas.text(x, y, label, canvas.tick, canvas.chart.text_color, "start" if side == 1 else "end")


def _spread(wanted: list[float], height: float, low: float, high: float) -> list[float]:
    """Sorted label centres moved apart to at least height, kept between low and high where room allows."""
    ys = list(wanted)
    for i in range(1, len(ys)):
        ys[i] = max(ys[i], ys[i - 1] + height)
    limit = high
    for i in reversed(range(len(ys))):
        ys[i] = min(ys[i], limit)
        limit = ys[i] - height
    floor = low
    for i in range(len(ys)):
        ys[i] = max(ys[i], floor)
        floor = ys[i] + height
    return ys


# --- XY ----------------------------------------------------------------------------------


def _xy(canvas: _Canvas, top: float) -> None:
    """Room for the legend, axis titles, tick and category labels, then the plot in what is left.
    Upright charts carry categories along the bottom; horizontal ones down the left side."""
    chart = canvas.chart
    scale = value_scale(chart)
    ticks = scale.ticks()
    tick_texts = [number(t) for t in ticks]
    bottom = canvas.height - canvas.pad
    if chart.has_legend:
        bottom = _legend(canvas, bottom) - GAP
    title_size = LINE_PITCH * canvas.size
    left = canvas.pad
    if chart.horizontal:
        if chart.y_title:
            canvas.text(canvas.width / 2, bottom - title_size / 2, chart.y_title, canvas.size, chart.text_color)
            bottom -= title_size + GAP / 2
        bottom -= LINE_PITCH * canvas.tick + GAP  # value tick labels
        if chart.x_title:
            left += title_size
        labels = [canvas.wrapped(c, canvas.width * 0.3, canvas.tick) for c in chart.categories]
        left += max(canvas.width_of(label, canvas.tick) for label in labels) + GAP
        right = canvas.width - canvas.pad - canvas.width_of(tick_texts[-1], canvas.tick) / 2
        plot = (left, top, right, bottom)
        if chart.x_title:
            canvas.text(canvas.pad + title_size / 2, (top + bottom) / 2, chart.x_title, canvas.size, chart.text_color,
                        rotate=True)
    else:
        if chart.x_title:
            canvas.text(canvas.width / 2, bottom - title_size / 2, chart.x_title, canvas.size, chart.text_color)
            bottom -= title_size + GAP / 2
        if chart.y_title:
            left += title_size
        left += max(canvas.width_of(t, canvas.tick) for t in tick_texts) + GAP
        right = canvas.width - canvas.pad
        slot = (right - left) / max(len(chart.categories), 1)
        labels = [canvas.wrapped(c, slot - 2, canvas.tick) for c in chart.categories]
        bottom -= max(label.count("\n") + 1 for label in labels) * LINE_PITCH * canvas.tick + GAP
        plot = (left, top + canvas.tick / 2, right, bottom)
        if chart.y_title:
            canvas.text(canvas.pad + title_size / 2, (plot[1] + bottom) / 2, chart.y_title, canvas.size,
                        chart.text_color, rotate=True)
    _xy_plot(canvas, plot, scale, ticks, tick_texts, labels, chart.horizontal)


def _xy_plot(canvas: _Canvas, plot, scale, ticks, tick_texts, labels, categories_vertical: bool) -> None:
    """Gridlines, axes, tick and category labels, bars, lines and their values inside plot."""
    chart = canvas.chart
    left, top, right, bottom = plot
    count = max(len(chart.categories), 1)

    def along(value: float) -> float:
        """Where a value falls on the value axis."""
        share = (min(max(value, scale.low), scale.high) - scale.low) / (scale.high - scale.low)
        return left + share * (right - left) if categories_vertical else bottom - share * (bottom - top)

    slot = ((bottom - top) if categories_vertical else (right - left)) / count
    start = top if categories_vertical else left
    for tick, text in zip(ticks, tick_texts):
        place = along(tick)
        if categories_vertical:
            canvas.line(place, top, place, bottom, GRID_COLOR, 0.5)
            canvas.text(place, bottom + GAP + canvas.tick * 0.6, text, canvas.tick, chart.text_color)
        else:
            canvas.line(left, place, right, place, GRID_COLOR, 0.5)
            canvas.text(left - GAP, place, text, canvas.tick, chart.text_color, "end")
    for index, label in enumerate(labels):
        centre = start + slot * (index + 0.5)
        if categories_vertical:
            canvas.text(left - GAP, centre, label, canvas.tick, chart.text_color, "end")
        else:
            lines = label.count("\n") + 1
            canvas.text(centre, bottom + GAP + LINE_PITCH * canvas.tick * lines / 2, label, canvas.tick,
                        chart.text_color)
    base = along(min(max(0.0, scale.low), scale.high))
    bars = [(i, s) for i, s in enumerate(chart.series) if s.kind == "bar"]
    group = slot / (1 + BAR_GAP)
    thickness = group / max(len(bars), 1)
    for position, (index, series) in enumerate(bars):
        for category, value in enumerate(series.values):
            offset = start + slot * category + (slot - group) / 2 + position * thickness
            end = along(value)
            if categories_vertical:
                canvas.rect(min(base, end), offset, abs(end - base), thickness, chart.color(index))
                if chart.show_values:
                    canvas.text(max(base, end) + 3, offset + thickness / 2, number(value), canvas.tick,
                                chart.text_color, "start")
            else:
                canvas.rect(offset, min(base, end), thickness, abs(end - base), chart.color(index))
                if chart.show_values:
                    canvas.text(offset + thickness / 2, min(base, end) - canvas.tick * 0.7, number(value),
                                canvas.tick, chart.text_color)
    if categories_vertical:
        canvas.line(left, top, left, bottom, chart.line_color)
        canvas.line(left, bottom, right, bottom, chart.line_color)
    else:
        canvas.line(left, top, left, bottom, chart.line_color)
        canvas.line(left, base, right, base, chart.line_color)
    for index, series in enumerate(chart.series):
        if series.kind != "line":
            continue
        points = [(start + slot * (i + 0.5), along(v)) for i, v in enumerate(series.values)]
        if categories_vertical:
            points = [(x, y) for y, x in points]
        colour = chart.color(index)
        path = " ".join(f"{'M' if i == 0 else 'L'}{x:.1f},{y:.1f}" for i, (x, y) in enumerate(points))
        canvas.parts.append(f'<path d="{path}" stroke="#{colour}" stroke-width="2.25" fill="none" '
                            'stroke-linejoin="round"/>')
        for (x, y), value in zip(points, series.values):
            canvas.circle(x, y, MARKER / 2, colour, colour)
            if chart.show_values:
                canvas.text(x, y - MARKER / 2 - canvas.tick * 0.7, number(value), canvas.tick, chart.text_color)


def _legend(canvas: _Canvas, bottom: float) -> float:
    """The series names in one centred row above bottom; returns the row's top."""
    chart = canvas.chart
    swatch = canvas.tick * 0.8
    names = chart.series_names()
    widths = [swatch + 4 + canvas.width_of(name, canvas.tick) for name in names]
    total = sum(widths) + 2 * canvas.tick * (len(widths) - 1)
    x = (canvas.width - total) / 2
    y = bottom - LINE_PITCH * canvas.tick / 2
    for index, (name, width) in enumerate(zip(names, widths)):
        canvas.rect(x, y - swatch / 2, swatch, swatch, chart.color(index))
        canvas.text(x + swatch + 4, y, name, canvas.tick, chart.text_color, "start")
        x += width + 2 * canvas.tick
    return bottom - LINE_PITCH * canvas.tick


# --- quadrant ----------------------------------------------------------------------------


def _quadrant(canvas: _Canvas, top: float) -> None:
    chart = canvas.chart
    title_size = LINE_PITCH * canvas.size
    bottom = canvas.height - canvas.pad
    if chart.x_title:
        canvas.text(canvas.width / 2, bottom - title_size / 2, chart.x_title, canvas.size, chart.text_color)
        bottom -= title_size + GAP
    left = canvas.pad + (title_size + GAP if chart.y_title else 0)
    right = canvas.width - canvas.pad
    if chart.y_title:
        canvas.text(canvas.pad + title_size / 2, (top + bottom) / 2, chart.y_title, canvas.size, chart.text_color,
                    rotate=True)
    width, height = right - left, bottom - top
    canvas.rect(left, top, width, height, chart.area_color, chart.line_color)
    canvas.line(left + width / 2, top, left + width / 2, bottom, chart.line_color)
    canvas.line(left, top + height / 2, right, top + height / 2, chart.line_color)
    for (x, y), label in zip(QUADRANT_LABEL_AT, chart.quadrants):
        if label:
            text = canvas.wrapped(label, width / 2 - 2 * GAP, canvas.size)
            lines = text.count("\n") + 1
            centre_y = top + (1 - y) * height + GAP + LINE_PITCH * canvas.size * lines / 2
            canvas.text(left + x * width, centre_y, text, canvas.size, chart.line_color, bold=True)
    for point in chart.points:
        x, y = left + point.x * width, top + (1 - point.y) * height
        radius = point.radius or POINT_RADIUS
        canvas.circle(x, y, radius, point.color or chart.color(0), "FFFFFF")
        offset = radius + GAP / 2 + canvas.tick * 0.6
        canvas.text(x, y - offset if point.label_above else y + offset, point.name, canvas.tick, chart.text_color)
