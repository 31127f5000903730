"""Gantt → Scene with our own layout: a row per task, its name on the left, a bar from start
to end on a time axis, sections as tinted bands with their names in a column of their own.

Bars are coloured by state (done grey, active stronger, crit red) and milestones are small
rhombi. Ticks fall on calendar steps (hours, days, weeks, months …), the smallest step whose
labels do not crowd each other; labels follow `axisFormat` (d3's `%Y %m %d %H %M …`).
The chart's width follows its height, so a short chart stays close to a slide's proportions.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from ..measure import Measurer
from ..theme import DiagramStyle
from .mermaid.gantt import WEEKDAYS, Gantt, GanttTask, add_months
from .mindmap_layout import SLIDE_BOX, ArrangedLayout, text_block, tint
from .scene import Scene, SceneConnector, SceneShape

TITLE_STEP = 2.0
PAD_X = 8.0
PAD_Y = 4.0
NAME_WRAPS = (300.0, 220.0, 160.0)  # widths task names may wrap at, the most preferred first
SECTION_WRAP = 120.0
BAR_HEIGHT = 16.0
MILESTONE_SIZE = 18.0
MIN_BAR_WIDTH = 3.0
TITLE_GAP = 10.0
TICK_LENGTH = 4.0
TICK_LABEL_GAP = 3.0
WIDTH_RANGE = (620.0, 1000.0)  # the chart's width, chosen from its height within these bounds
MIN_TIME_WIDTH = 320.0
MIN_TICK_SPACING = 36.0
MAX_TICKS = 60
BAND_TINT = 0.9
GRID = "D5DBE1"
DONE = ("BDBDBD", "757575")
CRIT = ("EF9A9A", "C62828")
CRIT_ACTIVE = ("E57373", "B71C1C")

_UNIT_SECONDS = {"millisecond": 0.001, "second": 1, "minute": 60, "hour": 3600, "day": 86400, "week": 604800,
                 "month": 2629746, "year": 31556952}
# Tick steps tried from the finest; beyond a thousand years the steps keep growing tenfold.
_STEPS = (
    [(n, "millisecond") for n in (1, 10, 100)] + [(n, "second") for n in (1, 5, 15, 30)]
    + [(n, "minute") for n in (1, 5, 15, 30)] + [(n, "hour") for n in (1, 3, 6, 12)]
    + [(1, "day"), (2, "day"), (1, "week"), (1, "month"), (3, "month")]
    + [(n * 10 ** k, "year") for k in range(4) for n in (1, 2, 5)]
)
# Tick labels by step when the source sets no axisFormat (Mermaid's own default is %Y-%m-%d).
_DEFAULT_FORMATS = {"millisecond": "%S.%L", "second": "%H:%M:%S", "minute": "%H:%M", "hour": "%H:%M"}
_DIRECTIVE = re.compile(r"%([-_0]?)(.)", re.DOTALL)


@dataclass(frozen=True)
class _Row:
    """One task as drawn: its wrapped name, the row's top and height."""

    task: GanttTask
    name: str
    top: float
    height: float


def draw_gantt(gantt: Gantt, measure: Measurer, style: DiagramStyle) -> Scene:
    """The gantt laid out into a Scene (the draw function of the `gantt` diagram type)."""
    return GanttLayout(measure, style).scene(gantt)


class GanttLayout(ArrangedLayout):
    """Lays out one Gantt into a Scene with a theme's diagram style and text metrics."""

    def arrangements(self, gantt: Gantt) -> Iterable[Scene]:
        """The chart with task names wrapped at each of NAME_WRAPS."""
        return (self._arranged(gantt, wrap) for wrap in NAME_WRAPS)

    def _arranged(self, gantt: Gantt, name_wrap: float) -> Scene:
        section_texts = {name: text_block(self.measure, name, self.size, SECTION_WRAP, bold=True)
                         for name in gantt.sections}
        section_width = max((w for _, w, _ in section_texts.values()), default=-2 * PAD_X) + 2 * PAD_X
        names = [text_block(self.measure, task.name, self.size, name_wrap) for task in gantt.tasks]
        name_width = max(w for _, w, _ in names) + 2 * PAD_X
        title = None
        if gantt.title:
            title = text_block(self.measure, gantt.title, self.size + TITLE_STEP, 2 * name_wrap + SECTION_WRAP,
                               bold=True)
        top = title[2] + TITLE_GAP if title else 0.0
        axis_room = self.measure.line_height(self.size) + TICK_LENGTH + TICK_LABEL_GAP
        if gantt.top_axis:
            top += axis_room
        rows = []
        for task, (name, _, height) in zip(gantt.tasks, names):
            row_height = max(height + 2 * PAD_Y, BAR_HEIGHT + 2 * PAD_Y, MILESTONE_SIZE + 2)
            rows.append(_Row(task, name, top, row_height))
            top += row_height
        chart_top, chart_bottom = rows[0].top, top
        left = section_width + name_width
        height = chart_bottom + (0 if gantt.top_axis else axis_room)
        width = min(max(height * SLIDE_BOX[0] / SLIDE_BOX[1], WIDTH_RANGE[0]), WIDTH_RANGE[1])
        time = _TimeScale(gantt, left, max(width - left, MIN_TIME_WIDTH))
        right = time.right + time.inset
        shapes = self._bands(rows, section_texts, section_width, right)
        if title:
            text, title_width, title_height = title
            shapes.append(SceneShape("gantt_title", "text", (right - title_width - 8) / 2, 0.0, title_width + 8,
                                     title_height, text, text_color=self.style.text, font_size=self.size + TITLE_STEP,
                                     bold=True))
        ticks = self._ticks(gantt, time)
        for i, (moment, _) in enumerate(ticks):
            shapes.append(SceneShape(f"grid_{i}", "rect", time.x(moment) - 0.4, chart_top, 0.8,
                                     chart_bottom - chart_top, fill=GRID))
        connectors = self._axis(gantt, time, ticks, chart_top, chart_bottom, shapes)
        for row in rows:
            shapes.append(SceneShape(f"name_{row.task.line}", "text", section_width, row.top, name_width, row.height,
                                     row.name, text_color=self.style.text, font_size=self.size, align="left"))
            shapes.append(self._bar(row, time))
        return Scene("gantt", 0.0, 0.0, tuple(shapes), tuple(connectors), _describe(gantt), self.size).fitted()

    def _bands(self, rows: list[_Row], section_texts: dict, section_width: float, right: float) -> list[SceneShape]:
        """A tinted band behind each run of rows of one section, with the section's name at its left."""
        shapes = []
        runs: list[list[_Row]] = []
        for row in rows:
            if runs and runs[-1][0].task.section == row.task.section:
                runs[-1].append(row)
            else:
                runs.append([row])
        order = list(section_texts)
        for run in runs:
            section = run[0].task.section
            if not section:
                continue
            colour = self.colours[order.index(section) % len(self.colours)]
            band_top, band_bottom = run[0].top, run[-1].top + run[-1].height
            line = run[0].task.line
            shapes.append(SceneShape(f"band_{line}", "frame", 0.0, band_top, right, band_bottom - band_top,
                                     fill=tint(colour, BAND_TINT)))
            text, _, height = section_texts[section]
            label_height = min(height + 2 * PAD_Y, band_bottom - band_top)
            shapes.append(SceneShape(f"section_{line}", "text", 0.0, (band_top + band_bottom - label_height) / 2,
                                     section_width, label_height, text, text_color=self.style.text,
                                     font_size=self.size, bold=True, align="left"))
        return shapes

    def _ticks(self, gantt: Gantt, time: "_TimeScale") -> list[tuple[datetime, str]]:
        """Tick times and labels: the source's tickInterval, else the finest step whose labels fit."""
        if gantt.tick_interval:
            count, unit = gantt.tick_interval
            ticks = self._tick_labels(gantt, time, count, unit)
            if ticks is not None:
                return ticks[:: max(1, _crowding(self.measure, self.size, time, ticks))]
        for count, unit in _STEPS:
            ticks = self._tick_labels(gantt, time, count, unit)
            if ticks is not None and _crowding(self.measure, self.size, time, ticks) == 1:
                return ticks
        return [(time.start, format_time(time.start, gantt.axis_format or "%Y"))]

    def _tick_labels(self, gantt: Gantt, time: "_TimeScale", count: int, unit: str) -> list | None:
        """(time, label) at every step of count units within the chart's span; None when that is too many."""
        if time.seconds / (count * _UNIT_SECONDS[unit]) > MAX_TICKS:
            return None
        pattern = gantt.axis_format or _DEFAULT_FORMATS.get(unit, "%Y-%m-%d")
        moments = []
        moment = _floor(time.start, count, unit, gantt.weekday)
        try:
            while moment <= time.end:
                if moment >= time.start:
                    moments.append(moment)
                moment = _step(moment, count, unit)
        except (OverflowError, ValueError):
            pass
        return [(m, format_time(m, pattern)) for m in moments]

    def _axis(self, gantt: Gantt, time: "_TimeScale", ticks, chart_top: float, chart_bottom: float,
              shapes: list) -> list[SceneConnector]:
        """The axis line with a tick and a label at each tick time, below the rows or above them."""
        y = chart_top if gantt.top_axis else chart_bottom
        direction = -1 if gantt.top_axis else 1
        connectors = [SceneConnector((time.left, y), (time.right, y), color=self.style.edge, width=1.25, head="none")]
        height = self.measure.line_height(self.size)
        for i, (moment, label) in enumerate(ticks):
            x = time.x(moment)
            connectors.append(SceneConnector((x, y), (x, y + direction * TICK_LENGTH), color=self.style.edge,
                                             width=1.0, head="none"))
            if label:
                width = self.measure.width(label, self.size) + 4
                label_top = y + direction * (TICK_LENGTH + TICK_LABEL_GAP) - (height if direction < 0 else 0.0)
                shapes.append(SceneShape(f"tick_{i}", "text", x - width / 2, label_top, width, height, label,
                                         text_color=self.style.text, font_size=self.size))
        return connectors

    def _bar(self, row: _Row, time: "_TimeScale") -> SceneShape:
        """The task's bar (a rhombus for a milestone), coloured by its state."""
        task = row.task
        base = self.colours[0]
        fill, stroke, stroke_width = tint(base, 0.45), base, 1.0
        if task.active:
            fill, stroke_width = tint(base, 0.15), 2.0
        if task.done:
            fill, stroke = DONE
        if task.crit:
            fill, stroke = (DONE[0], CRIT[1]) if task.done else CRIT_ACTIVE if task.active else CRIT
        middle = row.top + row.height / 2
        start, end = time.x(task.start), time.x(task.end)
        if task.milestone:
            centre = (start + end) / 2
            if not (task.done or task.crit or task.active):
                fill = base
            return SceneShape(f"bar_{task.line}", "rhombus", centre - MILESTONE_SIZE / 2, middle - MILESTONE_SIZE / 2,
                              MILESTONE_SIZE, MILESTONE_SIZE, fill=fill, stroke=stroke, stroke_width=stroke_width)
        return SceneShape(f"bar_{task.line}", "rect", start, middle - BAR_HEIGHT / 2, max(end - start, MIN_BAR_WIDTH),
                          BAR_HEIGHT, fill=fill, stroke=stroke, stroke_width=stroke_width)


class _TimeScale:
    """Maps times between the earliest start and the latest end onto x from left to right."""

    def __init__(self, gantt: Gantt, left: float, width: float) -> None:
        self.start = min(task.start for task in gantt.tasks)
        self.end = max(task.end for task in gantt.tasks)
        if self.end == self.start:
            self.end = self.start + timedelta(days=1)
        self.seconds = (self.end - self.start).total_seconds()
        self.inset = PAD_X + MILESTONE_SIZE / 2  # a milestone at either end stays inside the chart
        self.left, self.right = left + self.inset, left + width - self.inset

    def x(self, moment: datetime) -> float:
        return self.left + (moment - self.start).total_seconds() / self.seconds * (self.right - self.left)


def _crowding(measure: Measurer, size: float, time: _TimeScale, ticks: list) -> int:
    """Show every n-th label so neighbouring labels keep apart; 1 when all fit."""
    if len(ticks) < 2:
        return 1
    widest = max(measure.width(label, size) for _, label in ticks) + 10
    spacing = min(time.x(b) - time.x(a) for (a, _), (b, _) in zip(ticks, ticks[1:]))
    need = max(widest, MIN_TICK_SPACING)
    return 1 if spacing >= need else int(need // max(spacing, 0.01)) + 1


def _floor(moment: datetime, count: int, unit: str, weekday: str) -> datetime:
    """The last tick time of this step at or before moment, on calendar boundaries."""
    if unit == "millisecond":
        return moment.replace(microsecond=moment.microsecond - moment.microsecond % (count * 1000))
    if unit == "second":
        return moment.replace(microsecond=0, second=moment.second - moment.second % count)
    if unit == "minute":
        return moment.replace(microsecond=0, second=0, minute=moment.minute - moment.minute % count)
    if unit == "hour":
        return moment.replace(microsecond=0, second=0, minute=0, hour=moment.hour - moment.hour % count)
    day = moment.replace(microsecond=0, second=0, minute=0, hour=0)
    if unit == "day":
        return day - timedelta(days=(day.day - 1) % count)
    if unit == "week":
        return day - timedelta(days=(day.weekday() - WEEKDAYS.index(weekday)) % 7)
    if unit == "month":
        return day.replace(day=1, month=day.month - (day.month - 1) % count)
    return day.replace(day=1, month=1, year=max(1, day.year - day.year % count))


def _step(moment: datetime, count: int, unit: str) -> datetime:
    if unit == "month":
        return add_months(moment, count)
    if unit == "year":
        return add_months(moment, 12 * count)
    return moment + timedelta(seconds=count * _UNIT_SECONDS[unit])


_MONTH_NAMES = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
                "November", "December")
_DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def format_time(moment: datetime, pattern: str) -> str:
    """moment in a d3 time format: %Y %y %m %d %e %H %I %M %S %L %p %a %A %b %B %j %w %u %s %Q %%;
    `%-d` drops the padding, `%_d` pads with a space. Unknown directives stay as written."""
    def directive(match: re.Match) -> str:
        flag, code = match.groups()
        values = {
            "Y": (moment.year, 4), "y": (moment.year % 100, 2), "m": (moment.month, 2), "d": (moment.day, 2),
            "e": (moment.day, -2), "H": (moment.hour, 2), "I": ((moment.hour - 1) % 12 + 1, 2),
            "M": (moment.minute, 2), "S": (moment.second, 2), "L": (moment.microsecond // 1000, 3),
            "j": (moment.timetuple().tm_yday, 3), "w": ((moment.weekday() + 1) % 7, 1), "u": (moment.weekday() + 1, 1),
        }
        if code in values:
            value, width = values[code]
            pad = " " if width < 0 or flag == "_" else "0"
            return str(value) if flag == "-" else str(value).rjust(abs(width), pad if flag != "0" else "0")
        names = {
            "a": _DAY_NAMES[moment.weekday()][:3], "A": _DAY_NAMES[moment.weekday()],
            "b": _MONTH_NAMES[moment.month - 1][:3], "B": _MONTH_NAMES[moment.month - 1],
            "p": "PM" if moment.hour >= 12 else "AM", "%": "%",
            "s": str(int((moment - datetime(1970, 1, 1)).total_seconds())),
            "Q": str(int((moment - datetime(1970, 1, 1)).total_seconds() * 1000)),
        }
        return names.get(code, match.group(0))
    return _DIRECTIVE.sub(directive, pattern)


def _describe(gantt: Gantt) -> str:
    """`title; section: task (start – end), …` for alt text."""
    moments = [m for task in gantt.tasks for m in (task.start, task.end)]
    if len({m.date() for m in moments}) == 1:
        pattern = "%H:%M"
    elif all(m.time() == datetime.min.time() for m in moments):
        pattern = "%Y-%m-%d"
    else:
        pattern = "%Y-%m-%d %H:%M"

    def when(moment: datetime) -> str:
        return format_time(moment, pattern)
    parts = [gantt.title] if gantt.title else []
    current, items = None, []
    for task in gantt.tasks:
        if task.section != current and items:
            parts.append(f"{current}: {', '.join(items)}" if current else ", ".join(items))
            items = []
        current = task.section
        span = when(task.start) if task.milestone else f"{when(task.start)} – {when(task.end)}"
        items.append(f"{task.name.replace(chr(10), ' ')} ({span})")
    parts.append(f"{current}: {', '.join(items)}" if current else ", ".join(items))
    return "; ".join(parts)
