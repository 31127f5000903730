"""Timeline → Scene with our own layout: periods as boxes along a horizontal axis, each
period's events stacked below it, sections as tinted frames with a coloured header.

All columns share one width. A long timeline wraps into several rows, and labels wrap
inside their columns; of those arrangements the one that shows type largest on a 16:9
slide is drawn. A section cut by a row break gets a frame and header in each row.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, replace

from ..measure import Measurer
from ..theme import DiagramStyle
from .mermaid.timeline import Timeline, TimelinePeriod
from .mindmap_layout import ArrangedLayout, ink, text_block, tint
from .scene import Scene, SceneConnector, SceneShape

TITLE_STEP = 2.0  # the title's type is this much larger than the rest
PAD_X = 8.0
PAD_Y = 5.0
COLUMN_GAP = 14.0
SECTION_GAP = 16.0  # between the frames of two sections
FRAME_PAD = 7.0
HEADER_GAP = 8.0  # below a section header
AXIS_GAP = 28.0  # between the periods and their events; the axis runs through its middle
EVENT_GAP = 8.0
ROW_GAP = 20.0
TITLE_GAP = 10.0
WRAP_WIDTHS = (170.0, 140.0, 115.0, 95.0)
MAX_ROWS = 5
PERIOD_TINT = 0.35  # periods inside a titled section, lighter than its header
EVENT_TINT = 0.85
FRAME_TINT = 0.93


@dataclass(frozen=True)
class _Column:
    """One period as drawn: its section's index, colour and title, and its texts already wrapped."""

    period: TimelinePeriod
    section: int
    section_title: str
    colour: str
    label: tuple[str, float]  # (text, height)
    events: tuple[tuple[str, float], ...]


def draw_timeline(timeline: Timeline, measure: Measurer, style: DiagramStyle) -> Scene:
    """The timeline laid out into a Scene (the draw function of the `timeline` diagram type)."""
    return TimelineLayout(measure, style).scene(timeline)


class TimelineLayout(ArrangedLayout):
    """Lays out one Timeline into a Scene with a theme's diagram style and text metrics."""

    def arrangements(self, timeline: Timeline) -> Iterable[Scene]:
        """The timeline in up to MAX_ROWS rows with labels wrapped at each of WRAP_WIDTHS;
        fewer rows and wider labels first."""
        count = len(timeline.periods)
        per_row = sorted({math.ceil(count / rows) for rows in range(1, min(count, MAX_ROWS) + 1)}, reverse=True)
        return (self._arranged(timeline, wrap, n) for n in per_row for wrap in WRAP_WIDTHS)

    def _columns(self, timeline: Timeline, wrap: float) -> tuple[list[_Column], float]:
        """Every period's wrapped texts and colour, and the one column width that holds them all."""
        titled = any(s.title for s in timeline.sections if s.periods)
        columns, widest, colour_index = [], 0.0, 0
        for index, section in enumerate(timeline.sections):
            for period in section.periods:
                colour = self.colours[(index if titled else colour_index) % len(self.colours)]
                colour_index += 1
                label, label_width, label_height = text_block(self.measure, period.label, self.size, wrap, bold=True)
                events = []
                widest = max(widest, label_width)
                for event in period.events:
                    text, width, height = text_block(self.measure, event, self.size, wrap)
                    events.append((text, height))
                    widest = max(widest, width)
                columns.append(_Column(period, index, section.title, colour, (label, label_height), tuple(events)))
        return columns, widest + 2 * PAD_X

    def _arranged(self, timeline: Timeline, wrap: float, per_row: int) -> Scene:
        columns, width = self._columns(timeline, wrap)
        headed = any(c.section_title for c in columns)
        shapes: list[SceneShape] = []
        frames: list[SceneShape] = []
        connectors: list[SceneConnector] = []
        top = 0.0
        right_edge = 0.0
        for start in range(0, len(columns), per_row):
            row = columns[start:start + per_row]
            top, row_right = self._row(row, width, top, headed, shapes, frames, connectors)
            top += ROW_GAP
            right_edge = max(right_edge, row_right)
        if timeline.title:
            size = self.size + TITLE_STEP
            text, _, height = text_block(self.measure, timeline.title, size, max(right_edge, 200.0), bold=True)
            offset = height + TITLE_GAP
            shapes = [_moved(s, offset) for s in shapes]
            frames = [_moved(s, offset) for s in frames]
            connectors = [_moved_line(c, offset) for c in connectors]
            shapes.insert(0, SceneShape("timeline_title", "text", 0.0, 0.0, right_edge, height, text,
                                        text_color=self.style.text, font_size=size, bold=True))
        return Scene("timeline", 0.0, 0.0, tuple(frames + shapes), tuple(connectors), _describe(timeline),
                     self.size).fitted()

    def _row(self, row: list[_Column], width: float, top: float, headed: bool,
             shapes: list, frames: list, connectors: list) -> tuple[float, float]:
        """Draw one row of periods from top down; returns its bottom and right edge."""
        pieces: list[list[int]] = []  # runs of columns of one section, as indexes into row
        for i, column in enumerate(row):
            if pieces and row[pieces[-1][0]].section == column.section:
                pieces[-1].append(i)
            else:
                pieces.append([i])
        xs, piece_edges, x = [0.0] * len(row), [], 0.0
        for piece in pieces:
            left = x
            x += FRAME_PAD
            for i in piece:
                xs[i] = x
                x += width + COLUMN_GAP
            x += FRAME_PAD - COLUMN_GAP
            piece_edges.append((left, x))
            x += SECTION_GAP
        right = x - SECTION_GAP
        headers = []
        for piece, (left, piece_right) in zip(pieces, piece_edges):
            first = row[piece[0]]
            if first.section_title:
                text, _, height = text_block(self.measure, first.section_title, self.size,
                                             piece_right - left - 2 * PAD_X, bold=True)
                headers.append((piece, left, piece_right, text, height + 2 * PAD_Y))
        header_height = max((h[4] for h in headers), default=0.0)
        period_top = top + (header_height + HEADER_GAP if headed else FRAME_PAD)
        period_height = max(c.label[1] for c in row) + 2 * PAD_Y
        axis_y = period_top + period_height + AXIS_GAP / 2
        event_top = period_top + period_height + AXIS_GAP
        bottom = event_top
        for i, column in enumerate(row):
            bottom = max(bottom, self._column(column, xs[i], width, period_top, period_height, event_top,
                                              shapes, connectors))
        bottom += FRAME_PAD
        for piece, left, piece_right, text, height in headers:
            colour = row[piece[0]].colour
            number = f"{row[piece[0]].section}_{row[piece[0]].period.line}"
            frames.append(SceneShape(f"section_{number}", "frame", left, top, piece_right - left, bottom - top,
                                     fill=tint(colour, FRAME_TINT), stroke=tint(colour, 0.5)))
            shapes.append(SceneShape(f"section_{number}_title", "rect", left, top, piece_right - left, height, text,
                                     fill=colour, stroke=colour, text_color=ink(colour, self.style),
                                     font_size=self.size, bold=True))
        connectors.append(SceneConnector((-4.0, axis_y), (right + 14.0, axis_y), color=self.style.edge, width=2.0,
                                         head="arrow"))
        return bottom, right + 14.0

    def _column(self, column: _Column, x: float, width: float, period_top: float, period_height: float,
                event_top: float, shapes: list, connectors: list) -> float:
        """A period box and its events below it, joined top to bottom; returns the column's bottom."""
        titled = bool(column.section_title)
        fill = tint(column.colour, PERIOD_TINT) if titled else column.colour
        period_id = f"period_{column.period.line}"
        shapes.append(SceneShape(period_id, "round", x, period_top, width, period_height, column.label[0], fill=fill,
                                 stroke=column.colour, text_color=ink(fill, self.style), stroke_width=1.5,
                                 font_size=self.size, bold=True))
        above, above_bottom, y = period_id, period_top + period_height, event_top
        event_fill = tint(column.colour, EVENT_TINT)
        for number, (text, height) in enumerate(column.events):
            event_id = f"{period_id}_event_{number}"
            box_height = height + 2 * PAD_Y
            shapes.append(SceneShape(event_id, "rect", x, y, width, box_height, text, fill=event_fill,
                                     stroke=column.colour, text_color=ink(event_fill, self.style), font_size=self.size))
            connectors.append(SceneConnector((x + width / 2, above_bottom), (x + width / 2, y), above, event_id,
                                             "bottom", "top", color=column.colour, width=1.25, dashed=True,
                                             head="none"))
            above, above_bottom = event_id, y + box_height
            y += box_height + EVENT_GAP
        return above_bottom


def _moved(shape: SceneShape, dy: float) -> SceneShape:
    return replace(shape, y=shape.y + dy)


def _moved_line(connector: SceneConnector, dy: float) -> SceneConnector:
    (x1, y1), (x2, y2) = connector.start, connector.end
    return replace(connector, start=(x1, y1 + dy), end=(x2, y2 + dy))


def _describe(timeline: Timeline) -> str:
    """`title; section: period (event, event), …` for alt text."""
    def flat(text: str) -> str:
        return text.replace("\n", " ")
    parts = [flat(timeline.title)] if timeline.title else []
    for section in timeline.sections:
        periods = ", ".join(
            f"{flat(p.label)} ({', '.join(flat(e) for e in p.events)})" if p.events else flat(p.label)
            for p in section.periods
        )
        if periods:
            parts.append(f"{flat(section.title)}: {periods}" if section.title else periods)
    return "; ".join(parts)
