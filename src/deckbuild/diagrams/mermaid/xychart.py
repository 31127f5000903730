"""Mermaid `xychart-beta` source → Chart of kind 'xychart'.

Statements: `title`, `x-axis` (a category list `[a, "b c"]` or a numeric range
`min --> max`, each with an optional title), `y-axis` (a title, a range or both),
and any number of `bar [..]` / `line [..]` series, optionally named. The header
may say `horizontal` (honoured for bars only: PowerPoint cannot lay a line
chart on its side). From the block's config the chart honours `xyChart.width`
and `height` (its proportions), `showDataLabel`, `chartOrientation` and
`themeVariables.xyChart.plotColorPalette`; the rest is listed as ignored.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..chart import ASPECTS, DEFAULT_ASPECT, NUMBER, Chart, Series, number, read_number
from ..model import MermaidError
from .common import clean_label, colour, quoted, skip_accessibility, split_header
from .config import DiagramConfig, diagram_config

_HEADER = re.compile(r"^xychart(?:-beta)?(?:\s+(?P<orientation>horizontal|vertical))?$")
_TITLE = re.compile(r"^title(?:\s+(?P<title>.*))?$", re.IGNORECASE)
_CATEGORIES = re.compile(r"^x-axis(?:\s+(?P<title>[^\[]*?))?\s*\[(?P<items>.*)\]$", re.IGNORECASE)
_RANGE = re.compile(
    rf"^(?P<axis>[xy])-axis(?:\s+(?P<title>.*?))?\s+(?P<low>{NUMBER})\s*-->\s*(?P<high>{NUMBER})$", re.IGNORECASE
)
_AXIS_TITLE = re.compile(r"^(?P<axis>[xy])-axis(?:\s+(?P<title>.*))?$", re.IGNORECASE)
_PLOT = re.compile(r"^(?P<kind>bar|line)(?:\s+(?P<name>[^\[]*?))?\s*\[(?P<values>.*)\]$", re.IGNORECASE)
_ITEM = re.compile(r'"[^"]*"|[^,"]+')
_NUMBER = re.compile(rf"^{NUMBER}$")


def parse_xychart(source: str) -> Chart:
    """Read the source of a ```` ```mermaid ```` block that starts with `xychart-beta`.

    Raises MermaidError with the 1-based line of the first statement it cannot read.
    """
    return _XyReader().read(source)


@dataclass
class _Plot:
    """A series as read, with its line for messages about its length."""

    series: Series
    line: int


class _XyReader:
    """Collects the statements of one chart; categories are settled once all series are read."""

    def __init__(self) -> None:
        self.title = ""
        self.categories: list[str] | None = None
        self.x_range: tuple[float, float] | None = None
        self.x_title = ""
        self.y_title = ""
        self.y_range: tuple[float | None, float | None] = (None, None)
        self.plots: list[_Plot] = []

    def read(self, source: str) -> Chart:
        first, header, body = split_header(source, _HEADER, "xychart-beta")
        lines = iter(_joined(body))
        for line, text in lines:
            if not skip_accessibility(text, line, lines):
                self.statement(line, text)
        if not self.plots:
            raise MermaidError(first, "an XY chart needs at least one 'bar [..]' or 'line [..]'")
        config = diagram_config(source)
        orientation = header["orientation"] or str(config.get("xyChart.chartOrientation", "vertical"))
        warnings = []
        if orientation == "horizontal" and any(plot.series.kind == "line" for plot in self.plots):
            # PowerPoint draws lines along horizontal categories only, so a chart with lines stays upright.
            orientation = "vertical"
            warnings.append("horizontal (a chart with lines is drawn upright)")
        return Chart(
            "xychart",
            title=self.title or config.title,
            categories=tuple(self.settled_categories()),
            series=tuple(plot.series for plot in self.plots),
            x_title=self.x_title,
            y_title=self.y_title,
            y_min=self.y_range[0],
            y_max=self.y_range[1],
            horizontal=orientation == "horizontal",
            show_values=config.get("xyChart.showDataLabel") is True,
            colors=_palette(config),
            aspect=_aspect(config),
            warnings=tuple(warnings),
        )

    def statement(self, line: int, text: str) -> None:
        if match := _TITLE.match(text):
            self.title = clean_label(match["title"] or "")
        elif match := _CATEGORIES.match(text):
            self.x_title = clean_label(match["title"] or "")
            self.categories = [clean_label(item) for item in _ITEM.findall(match["items"]) if item.strip()]
            if not self.categories:
                raise MermaidError(line, "the x-axis category list is empty")
        elif match := _RANGE.match(text):
            low, high = read_number(match["low"], line), read_number(match["high"], line)
            if low >= high:
                raise MermaidError(line, f"an axis range goes from the smaller number to the larger: {quoted(text)}")
            if match["axis"].lower() == "x":
                self.x_title, self.x_range, self.categories = clean_label(match["title"] or ""), (low, high), None
            else:
                self.y_title, self.y_range = clean_label(match["title"] or ""), (low, high)
        elif match := _AXIS_TITLE.match(text):
            title = clean_label(match["title"] or "")
            if match["axis"].lower() == "x":
                self.x_title = title
            else:
                self.y_title = title
        elif match := _PLOT.match(text):
            values = tuple(_numbers(match["values"], line))
            self.plots.append(_Plot(Series(clean_label(match["name"] or ""), match["kind"].lower(), values), line))
        else:
            raise MermaidError(line, f"cannot read {quoted(text)}")

    def settled_categories(self) -> list[str]:
        """The x-axis labels: the source's list, else numbers spread over its range (else 1, 2, …)."""
        count = max(len(plot.series.values) for plot in self.plots)
        if self.categories is not None:
            for plot in self.plots:
                if len(plot.series.values) != len(self.categories):
                    raise MermaidError(
                        plot.line,
                        f"{plot.series.kind} has {len(plot.series.values)} values but the x-axis has "
                        f"{len(self.categories)} categories",
                    )
            return self.categories
        if self.x_range is None:
            return [str(i + 1) for i in range(count)]
        low, high = self.x_range
        step = (high - low) / (count - 1) if count > 1 else 0.0
        return [number(round(low + i * step, 6)) for i in range(count)]


def _joined(lines: list[tuple[int, str]]) -> list[tuple[int, str]]:
    """Lines with a `[` list that runs over several lines joined into one (at its first line)."""
    joined: list[tuple[int, str]] = []
    open_list = False
    for line, text in lines:
        if open_list:
            joined[-1] = (joined[-1][0], f"{joined[-1][1]} {text}")
        else:
            joined.append((line, text))
        current = joined[-1][1]
        open_list = current.rfind("[") > current.rfind("]")
    return joined


def _numbers(text: str, line: int) -> list[float]:
    """The numbers of a `[1, 2.5, -3]` list."""
    items = [item.strip() for item in text.split(",")]
    if items == [""]:
        raise MermaidError(line, "a series needs at least one number")
    values = []
    for item in items:
        if not _NUMBER.match(item):
            raise MermaidError(line, f"{quoted(item)} is not a number")
        values.append(read_number(item, line))
    return values


def _palette(config: DiagramConfig) -> tuple[str, ...]:
    """The colours of `plotColorPalette` ("#4472C4, #ED7D31"), unknown ones left out."""
    palette = config.get("themeVariables.xyChart.plotColorPalette", "")
    colours = [colour(part) for part in str(palette).split(",")] if palette else []
    return tuple(c.upper() for c in colours if c)


def _aspect(config: DiagramConfig) -> float:
    """Width over height from `xyChart.width` and `height` (Mermaid's 700 × 500 fill in for
    the one not given), held between the narrowest and widest proportions a slide shows well."""
    width, height = config.get("xyChart.width"), config.get("xyChart.height")
    if width is None and height is None:
        return DEFAULT_ASPECT
    aspect = (_positive(width) or 700.0) / (_positive(height) or 500.0)
    return min(max(aspect, ASPECTS[0]), ASPECTS[1])


def _positive(value) -> float | None:
    """A configured size when it is a positive number."""
    if isinstance(value, (int, float)) and not isinstance(value, bool) and 0 < value < float("inf"):
        return float(value)
    return None
