"""Chart → a native PowerPoint chart (a graphic frame whose numbers live in its own sheet).

A pie becomes a pie chart labelled with categories and percentages; an XY chart a
clustered column (or bar) chart, its `line` series moved into a line chart that
shares the same axes; a quadrant chart an XY scatter chart whose axes run 0–1 and
cross at 0.5, so the axes are the quadrant dividers, with the quadrant labels as the
data labels of a second series of invisible points. All text is in the theme's
Latin and East-Asian fonts, sized from the scene's type size times its scale.
"""

from __future__ import annotations

import io
import re
import zipfile

from lxml import etree
from pptx.dml.color import RGBColor
from pptx.enum.chart import XL_CHART_TYPE, XL_LABEL_POSITION, XL_LEGEND_POSITION, XL_MARKER_STYLE
from pptx.enum.chart import XL_TICK_LABEL_POSITION, XL_TICK_MARK
from pptx.oxml.ns import qn
from pptx.util import Pt

from ..pptx_xml import add_run, xml_safe
from ..timestamps import source_date, zip_bytes
from .chart import GRID_COLOR, MARKER, POINT_RADIUS, QUADRANT_LABEL_AT, TICK_SIZE, TITLE_SIZE, Chart, value_scale
from .scene import Scene

_CORE_DATES = re.compile(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(</dcterms:)")


class ChartWriter:
    """Writes chart scenes into slides with one theme's fonts and language."""

    def __init__(self, latin: str, east_asian: str, lang: str) -> None:
        self.latin = latin
        self.east_asian = east_asian
        self.lang = lang

    def add(self, shapes, scene: Scene, x: float, y: float, scale: float):
        """Add scene's chart at (x, y) points, scaled by scale; returns the graphic frame."""
        chart_model = scene.chart
        size = scene.font_size * scale
        kind, data = _chart_data(chart_model)
        frame = shapes.add_chart(kind, Pt(x), Pt(y), Pt(scene.width * scale), Pt(scene.height * scale), data)
        frame.name = f"{chart_model.kind} chart"
        chart = frame.chart
        self._base(chart, chart_model, size)
        if chart_model.kind == "pie":
            self._pie(chart, chart_model, size)
        elif chart_model.kind == "xychart":
            self._xy(chart, chart_model, size, scale)
        else:
            self._quadrant(chart, chart_model, size, scale)
        _number_axes(chart)
        _fix_workbook_dates(chart)
        return frame

    # --- shared ------------------------------------------------------------------------

    def _base(self, chart, model: Chart, size: float) -> None:
        """Fonts for everything, the title, no legend, and no frame around the chart."""
        self._text_properties(chart._chartSpace, size, model.text_color)
        chart.has_legend = False
        if model.title:
            chart.has_title = True
            self._rich(chart.chart_title.text_frame, model.title, size * TITLE_SIZE, model.text_color, bold=True)
            _set_child(chart.chart_title._title, "c:overlay", val="0")
        else:
            chart.has_title = False
        space = chart._chartSpace
        properties = etree.SubElement(space, qn("c:spPr"))
        etree.SubElement(properties, qn("a:noFill"))
        etree.SubElement(etree.SubElement(properties, qn("a:ln")), qn("a:noFill"))
        space.find(qn("c:txPr")).addprevious(properties)

    def _rich(self, text_frame, text: str, size: float, color: str, bold: bool = False) -> None:
        """text as runs in the theme's fonts, one paragraph per line."""
        for index, line in enumerate(text.split("\n")):
            paragraph = text_frame.paragraphs[0] if index == 0 else text_frame.add_paragraph()
            add_run(paragraph, line or " ", size, color, self.latin, self.east_asian, self.lang, bold=bold)

    def _text_properties(self, parent, size: float, color: str, rotate: bool = False) -> None:
        """A c:txPr on parent (chart, axis, labels, legend): size, colour, both fonts, language."""
        for old in parent.findall(qn("c:txPr")):
            parent.remove(old)
        properties = etree.Element(qn("c:txPr"))
        body = etree.SubElement(properties, qn("a:bodyPr"))
        if rotate:
            body.set("rot", "-5400000")
            body.set("vert", "horz")
        etree.SubElement(properties, qn("a:lstStyle"))
        paragraph = etree.SubElement(properties, qn("a:p"))
        run_properties = etree.SubElement(etree.SubElement(paragraph, qn("a:pPr")), qn("a:defRPr"),
                                          sz=str(int(round(size * 100))), b="0", lang=self.lang)
        fill = etree.SubElement(run_properties, qn("a:solidFill"))
        etree.SubElement(fill, qn("a:srgbClr"), val=color)
        etree.SubElement(run_properties, qn("a:latin"), typeface=self.latin)
        etree.SubElement(run_properties, qn("a:ea"), typeface=self.east_asian)
        etree.SubElement(paragraph, qn("a:endParaRPr"), lang=self.lang)
        _insert_in_order(parent, properties)

    def _axis(self, axis, model: Chart, size: float, title: str, vertical: bool) -> None:
        """An axis in the theme's line colour with tick labels and an optional title."""
        axis.format.line.color.rgb = RGBColor.from_string(model.line_color)
        axis.format.line.width = Pt(0.75)
        axis.major_tick_mark = XL_TICK_MARK.NONE
        self._text_properties(axis._element, size * TICK_SIZE, model.text_color)
        if title:
            axis.has_title = True
            text_frame = axis.axis_title.text_frame
            self._rich(text_frame, title, size, model.text_color)
            if vertical:
                body = text_frame._txBody.find(qn("a:bodyPr"))
                body.set("rot", "-5400000")
                body.set("vert", "horz")

    def _legend(self, chart, model: Chart, size: float, position) -> None:
        """A legend at position, beside the plot rather than inside it."""
        chart.has_legend = True
        chart.legend.position = position
        chart.legend.include_in_layout = False
        self._text_properties(chart.legend._element, size * TICK_SIZE, model.text_color)

    # --- pie ---------------------------------------------------------------------------

    def _pie(self, chart, model: Chart, size: float) -> None:
        plot = chart.plots[0]
        plot.vary_by_categories = True
        for index, point in enumerate(plot.series[0].points):
            if index >= len(model.categories):
                break
            point.format.fill.solid()
            point.format.fill.fore_color.rgb = RGBColor.from_string(model.color(index))
            point.format.line.color.rgb = RGBColor(0xFF, 0xFF, 0xFF)
            point.format.line.width = Pt(1)
        plot.has_data_labels = True
        labels = plot.data_labels
        labels.number_format = "0%"
        labels.number_format_is_linked = False
        crowded = model.crowded_pie
        labels.position = XL_LABEL_POSITION.BEST_FIT if crowded else XL_LABEL_POSITION.OUTSIDE_END
        labels.show_category_name = not crowded
        labels.show_value = model.show_values
        labels.show_percentage = True
        self._text_properties(labels._element, size * TICK_SIZE, model.text_color)
        _set_child(labels._element, "c:separator", text="\n")
        _set_child(labels._element, "c:showLeaderLines", val="1")
        if crowded:
            self._legend(chart, model, size, XL_LEGEND_POSITION.RIGHT)

    # --- XY ----------------------------------------------------------------------------

    def _xy(self, chart, model: Chart, size: float, scale: float) -> None:
        bars = chart.plots[0]
        if bars._element.tag == qn("c:barChart"):
            bars.gap_width = 60
            bars.overlap = 0
            if any(s.kind == "line" for s in model.series):
                _move_lines_to_line_chart(bars._element, [s.kind == "line" for s in model.series])
        for plot in chart.plots:
            for series in plot.series:
                colour = RGBColor.from_string(model.color(series.index))
                if plot._element.tag == qn("c:barChart"):
                    series.format.fill.solid()
                    series.format.fill.fore_color.rgb = colour
                    series.invert_if_negative = False
                else:
                    series.smooth = False
                    series.format.line.color.rgb = colour
                    series.format.line.width = Pt(2.25 * scale)
                    series.marker.style = XL_MARKER_STYLE.CIRCLE
                    series.marker.size = max(2, min(72, round(MARKER * scale)))
                    series.marker.format.fill.solid()
                    series.marker.format.fill.fore_color.rgb = colour
                    series.marker.format.line.color.rgb = colour
            if model.show_values:
                plot.has_data_labels = True
                labels = plot.data_labels
                labels.show_value = True
                labels.number_format = "General"
                labels.number_format_is_linked = False
                is_bar = plot._element.tag == qn("c:barChart")
                labels.position = XL_LABEL_POSITION.OUTSIDE_END if is_bar else XL_LABEL_POSITION.ABOVE
                self._text_properties(labels._element, size * TICK_SIZE, model.text_color)
        scale_of_values = value_scale(model)
        values = chart.value_axis
        values.minimum_scale = scale_of_values.low
        values.maximum_scale = scale_of_values.high
        values.major_unit = scale_of_values.step
        values.has_major_gridlines = True
        values.major_gridlines.format.line.color.rgb = RGBColor.from_string(GRID_COLOR)
        values.major_gridlines.format.line.width = Pt(0.5)
        values.tick_labels.number_format = "General"
        values.tick_labels.number_format_is_linked = False
        categories = chart.category_axis
        self._axis(categories, model, size, model.x_title, vertical=model.horizontal)
        self._axis(values, model, size, model.y_title, vertical=not model.horizontal)
        categories.tick_label_position = XL_TICK_LABEL_POSITION.LOW  # below the plot, clear of negative bars
        if model.horizontal:
            categories.reverse_order = True  # first category on top, as Mermaid draws it
            _set_child(values._element, "c:crosses", val="max")  # …with the value axis still at the bottom
        if model.has_legend:
            self._legend(chart, model, size, XL_LEGEND_POSITION.BOTTOM)

    # --- quadrant ----------------------------------------------------------------------

    def _quadrant(self, chart, model: Chart, size: float, scale: float) -> None:
        plot = chart.plots[0]
        points_series, labels_series = plot.series
        for point, source in zip(points_series.points, model.points):
            colour = RGBColor.from_string(source.color or model.color(0))
            point.marker.style = XL_MARKER_STYLE.CIRCLE
            point.marker.size = max(2, min(72, round(2 * (source.radius or POINT_RADIUS) * scale)))
            point.marker.format.fill.solid()
            point.marker.format.fill.fore_color.rgb = colour
            point.marker.format.line.color.rgb = RGBColor(0xFF, 0xFF, 0xFF)
            label = point.data_label
            self._rich(label.text_frame, source.name, size * TICK_SIZE, model.text_color)
            label.position = XL_LABEL_POSITION.ABOVE if source.label_above else XL_LABEL_POSITION.BELOW
        labels_series.marker.style = XL_MARKER_STYLE.NONE
        for point, text in zip(labels_series.points, model.quadrants):
            if text:
                label = point.data_label
                self._rich(label.text_frame, text, size, model.line_color, bold=True)
                label.position = XL_LABEL_POSITION.BELOW
        axes = ((chart.category_axis, model.x_title, False), (chart.value_axis, model.y_title, True))
        for axis, title, vertical in axes:
            axis.minimum_scale, axis.maximum_scale, axis.major_unit = 0.0, 1.0, 0.5
            axis.crosses_at = 0.5
            axis.has_major_gridlines = False
            axis.tick_label_position = XL_TICK_LABEL_POSITION.NONE
            self._axis(axis, model, size, title, vertical)
        _plot_area_box(chart, model)


def _chart_data(model: Chart):
    """The chart type and its sheet: slices, series per category, or the points."""
    from pptx.chart.data import CategoryChartData, XyChartData  # with its spreadsheet writer, only where a deck has a chart

    if model.kind == "quadrant":
        data = XyChartData(number_format="General")
        points = data.add_series("points")
        for point in model.points:
            points.add_data_point(point.x, point.y)
        quadrants = data.add_series("quadrants")
        for x, y in QUADRANT_LABEL_AT:
            quadrants.add_data_point(x, y)
        return XL_CHART_TYPE.XY_SCATTER, data
    data = CategoryChartData(number_format="General")
    data.categories = [xml_safe(category) for category in model.categories]
    if model.kind == "pie":
        data.add_series(xml_safe(model.title) or "pie", model.series[0].values)
        return XL_CHART_TYPE.PIE, data
    for name, series in zip(model.series_names(), model.series):
        data.add_series(xml_safe(name), series.values)
    if not any(s.kind == "bar" for s in model.series):
        return XL_CHART_TYPE.LINE_MARKERS, data
    return (XL_CHART_TYPE.BAR_CLUSTERED if model.horizontal else XL_CHART_TYPE.COLUMN_CLUSTERED), data


def _move_lines_to_line_chart(bar_chart, is_line: list[bool]) -> None:
    """Move the line series out of the bar chart into a c:lineChart on the same two axes.

    python-pptx writes one chart type per chart; PowerPoint combines types by
    listing several charts in the plot area that share axis ids.
    """
    line_chart = etree.Element(qn("c:lineChart"))
    etree.SubElement(line_chart, qn("c:grouping"), val="standard")
    etree.SubElement(line_chart, qn("c:varyColors"), val="0")
    for series, line in zip(bar_chart.findall(qn("c:ser")), is_line):
        if not line:
            continue
        for tag in ("c:invertIfNegative", "c:shape"):
            for old in series.findall(qn(tag)):
                series.remove(old)
        etree.SubElement(series, qn("c:smooth"), val="0")
        line_chart.append(series)
    etree.SubElement(line_chart, qn("c:marker"), val="1")
    for axis in bar_chart.findall(qn("c:axId")):
        etree.SubElement(line_chart, qn("c:axId"), val=axis.get("val"))
    bar_chart.addnext(line_chart)


AXIS_ID_BASE = 1000  # axis ids are numbered 1001, 1002, … in order of first use


def _number_axes(chart) -> None:
    """Give the chart's axes positive ids in document order.

    python-pptx copies the negative ids PowerPoint for Mac once wrote
    (`c:axId val="-2068027336"`); the schema types them as unsigned ints, so
    every c:axId and c:crossAx is renumbered, the same id for the same axis.
    """
    space = chart._chartSpace
    references = [e for e in space.iter(qn("c:axId"), qn("c:crossAx"))]
    numbers: dict[str, str] = {}
    for element in references:
        if element.tag == qn("c:axId"):
            numbers.setdefault(element.get("val"), str(AXIS_ID_BASE + len(numbers) + 1))
    for element in references:
        element.set("val", numbers.get(element.get("val"), element.get("val")))


def _plot_area_box(chart, model: Chart) -> None:
    """The quadrant chart's plot area filled lightly and framed, so the four quadrants read as one square."""
    plot_area = chart._chartSpace.find(qn("c:chart")).find(qn("c:plotArea"))
    properties = etree.Element(qn("c:spPr"))
    etree.SubElement(etree.SubElement(properties, qn("a:solidFill")), qn("a:srgbClr"), val=model.area_color)
    line = etree.SubElement(properties, qn("a:ln"), w=str(Pt(0.75)))
    etree.SubElement(etree.SubElement(line, qn("a:solidFill")), qn("a:srgbClr"), val=model.line_color)
    extension = plot_area.find(qn("c:extLst"))
    if extension is not None:
        extension.addprevious(properties)
    else:
        plot_area.append(properties)


# Children that follow c:txPr in the chart elements it is added to (schema order).
_AFTER_TX_PR = ("c:crossAx", "c:dLblPos", "c:showLegendKey", "c:showVal", "c:externalData", "c:printSettings",
                "c:userShapes", "c:extLst")


def _insert_in_order(parent, element) -> None:
    successor = next((child for child in parent if child.tag in {qn(t) for t in _AFTER_TX_PR}), None)
    if successor is not None:
        successor.addprevious(element)
    else:
        parent.append(element)


# Where a child python-pptx has no setter for goes: right after the first of these siblings
# present (the siblings that may precede it in the schema, nearest first).
_PREDECESSORS = {
    "c:overlay": ("c:layout", "c:tx"),
    "c:separator": ("c:showBubbleSize", "c:showPercent", "c:showSerName", "c:showCatName", "c:showVal"),
    "c:showLeaderLines": ("c:separator", "c:showBubbleSize", "c:showPercent"),
    "c:crosses": ("c:crossAx",),
}


def _set_child(parent, tag: str, text: str | None = None, **attributes) -> None:
    """Set (replace) a simple child element, placed where the schema wants it."""
    for old in parent.findall(qn(tag)):
        parent.remove(old)
    element = etree.Element(qn(tag), **attributes)
    element.text = text
    for predecessor in _PREDECESSORS[tag]:
        found = parent.findall(qn(predecessor))
        if found:
            found[-1].addnext(element)
            return
    parent.insert(0, element)


def _fix_workbook_dates(chart) -> None:
    """Stamp the embedded sheet with the build's fixed date, so equal sources give equal decks
    (XlsxWriter writes the current time into the workbook's core properties)."""
    workbook = chart.part.chart_workbook
    stamp = source_date().strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    with zipfile.ZipFile(io.BytesIO(workbook.xlsx_part.blob)) as archive:
        entries = {name: archive.read(name) for name in archive.namelist()}
    core = entries.get("docProps/core.xml")
    if core is not None:
        entries["docProps/core.xml"] = _CORE_DATES.sub(rb"\g<1>" + stamp + rb"\g<2>", core)
    workbook.update_from_xlsx_blob(zip_bytes(entries))
