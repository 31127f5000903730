"""Mermaid pie, xychart-beta and quadrantChart: parsers, native PowerPoint charts, SVG and the scene cache."""

from __future__ import annotations

import io
import zipfile

import pytest
from conftest import course_diagrams
from diagram_testing import MEASURE, STYLE, THEME, mermaid_error, missing, parsed_or_none, svg_text, written
from hypothesis import given, settings
from hypothesis import strategies as st
from pptx import Presentation
from pptx.enum.chart import XL_CHART_TYPE

from deckbuild.diagrams.build import NATIVE_KINDS, build_scene
from deckbuild.diagrams.chart import Chart, ChartPoint, Series, number, percent, value_scale
from deckbuild.diagrams.mermaid.pie import parse_pie
from deckbuild.diagrams.mermaid.quadrant import parse_quadrant
from deckbuild.diagrams.mermaid.xychart import parse_xychart
from deckbuild.diagrams.scene import Scene
from deckbuild.diagrams.to_svg import scene_to_svg

C = "{http://schemas.openxmlformats.org/drawingml/2006/chart}"
A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"

FRONT_MATTER = """---
config:
  xyChart:
    width: 900
    height: 500
  themeVariables:
    xyChart:
      plotColorPalette: "#4472C4, #ED7D31"
---
"""
PIE = """pie title 컨테이너 런타임 점유율
    "containerd" : 53.5
    "CRI-O" : 21
    "Docker Engine" : 18
    "기타 런타임" : 7.5
"""
XYCHART = FRONT_MATTER + """xychart-beta
    title "빌드 단계별 이미지 크기 (MB)"
    x-axis "빌드 단계" [베이스, "의존성 설치", "멀티스테이지 적용"]
    y-axis "크기 (MB)" 0 --> 1200
    bar [980, 1150, 320]
    line [400, 460, 130]
"""
QUADRANT = """quadrantChart
    title Container image vulnerabilities
    x-axis Low Likelihood --> High Likelihood
    y-axis Low Impact --> High Impact
    quadrant-1 Fix now
    quadrant-2 Plan a fix
    quadrant-3 Accept
    quadrant-4 Monitor
    openssl CVE: [0.82, 0.9]
    curl CVE: [0.7, 0.3] color: #ff3300, radius: 8
    zlib CVE: [0.2, 0.05]
"""
SOURCES = {"pie": PIE, "xychart-beta": XYCHART, "quadrantChart": QUADRANT}


# --- pie --------------------------------------------------------------------------------


def test_pie_with_the_title_on_the_header_line():
    chart = parse_pie(PIE)
    assert (chart.kind, chart.title) == ("pie", "컨테이너 런타임 점유율")
    assert chart.categories == ("containerd", "CRI-O", "Docker Engine", "기타 런타임")
    assert chart.series == (Series("", "pie", (53.5, 21.0, 18.0, 7.5)),)
    assert not chart.show_values


def test_pie_title_on_its_own_line_and_show_data():
    chart = parse_pie('pie showData\n    title 반려동물\n    "개" : 386\n    \'고양이\': 85.25\n')
    assert (chart.title, chart.categories, chart.series[0].values, chart.show_values) == (
        "반려동물", ("개", "고양이"), (386.0, 85.25), True)


@pytest.mark.parametrize("header", ["pie", "pie showData", "pie showData title 제목 있음", "pie title"])
def test_pie_headers(header):
    chart = parse_pie(f'{header}\n"A" : 1\n')
    assert chart.show_values == ("showData" in header)
    assert chart.title == ("제목 있음" if "제목" in header else "")


def test_pie_reads_accessibility_lines_and_comments_without_drawing_them():
    chart = parse_pie('pie\naccTitle: 접근성 제목\n%% 주석\naccDescr: 설명\n"A" : 1\n')
    assert chart.texts() == ["A"]


def test_pie_front_matter_title_and_slice_colours():
    chart = parse_pie('---\ntitle: 앞머리 제목\nconfig:\n  themeVariables:\n    pie1: "#ff0000"\n---\npie\n"A" : 1\n"B" : 2\n')
    assert chart.title == "앞머리 제목"
    assert (chart.color(0), chart.color(1)) == ("FF0000", "F57C00")


@pytest.mark.parametrize(
    "source, line, words",
    [
        ('pie\n"A" : -1\n', 2, "negative"),
        ("pie\ntitle x\n", 1, "at least one slice"),
        ('pie\n"A" : 0\n"B" : 0\n', 1, "zero"),
        ('pie\n"A" : 1\nA : 2\n', 3, "'A : 2'"),
        ('pie\n"A" : 1e5\n', 2, "'\"A\" : 1e5'"),
        ('pie\n"A" : ' + "9" * 400 + "\n", 2, "too large"),
        ("graph TD\n", 1, "expected 'pie'"),
    ],
)
def test_pie_errors(source, line, words):
    error = mermaid_error(parse_pie, source)
    assert error.line == line and words in error.message


# --- xychart ----------------------------------------------------------------------------


def test_xychart_with_front_matter_config():
    chart = parse_xychart(XYCHART)
    assert (chart.kind, chart.title, chart.x_title, chart.y_title) == (
        "xychart", "빌드 단계별 이미지 크기 (MB)", "빌드 단계", "크기 (MB)")
    assert chart.categories == ("베이스", "의존성 설치", "멀티스테이지 적용")
    assert [(s.kind, s.values) for s in chart.series] == [("bar", (980, 1150, 320)), ("line", (400, 460, 130))]
    assert (chart.y_min, chart.y_max, chart.colors, chart.aspect) == (0, 1200, ("4472C4", "ED7D31"), 1.8)
    assert not chart.horizontal and not chart.has_legend and chart.warnings == ()


def test_xychart_quoted_categories_may_hold_commas_and_unquoted_titles_spaces():
    chart = parse_xychart('xychart-beta\ntitle 월별 매출 추이\nx-axis 달 [1월, "2월, 3월", 4월]\nbar [1, 2, 3]\n')
    assert (chart.title, chart.x_title, chart.categories) == ("월별 매출 추이", "달", ("1월", "2월, 3월", "4월"))


def test_xychart_numbers_in_every_form():
    chart = parse_xychart("xychart-beta\nline [+1.3, .6, 2.4, -.34, 7.]\n")
    assert chart.series[0].values == (1.3, 0.6, 2.4, -0.34, 7.0)
    assert chart.categories == ("1", "2", "3", "4", "5")


def test_xychart_numeric_x_axis_spreads_the_values_over_its_range():
    chart = parse_xychart("xychart-beta\nx-axis 노드 수 1 --> 4\nline [10, 20, 30, 40]\n")
    assert (chart.x_title, chart.categories) == ("노드 수", ("1", "2", "3", "4"))
    chart = parse_xychart("xychart-beta\nx-axis 0 --> 1\nline [1, 2, 3]\n")
    assert chart.categories == ("0", "0.5", "1")


@pytest.mark.parametrize(
    "line, title, low, high",
    [('y-axis "응답 시간 (ms)" 0 --> 500', "응답 시간 (ms)", 0, 500), ("y-axis 초", "초", None, None),
     ("y-axis 4000 --> 11000", "", 4000, 11000), ("y-axis", "", None, None)],
)
def test_xychart_y_axis_forms(line, title, low, high):
    chart = parse_xychart(f"xychart-beta\n{line}\nbar [1, 2]\n")
    assert (chart.y_title, chart.y_min, chart.y_max) == (title, low, high)


def test_xychart_several_named_series_get_a_legend():
    chart = parse_xychart('xychart-beta\nx-axis [a, b]\nbar "p50" [1, 2]\nbar [3, 4]\nline 목표 [5, 6]\n')
    assert [s.name for s in chart.series] == ["p50", "", "목표"]
    assert chart.series_names() == ["p50", "bar 2", "목표"]
    assert chart.has_legend and {"p50", "bar 2", "목표"} <= set(chart.texts())


def test_xychart_horizontal_header_and_config():
    assert parse_xychart("xychart-beta horizontal\nbar [1, 2]\n").horizontal
    config = '---\nconfig:\n  xyChart:\n    chartOrientation: horizontal\n    showDataLabel: true\n---\n'
    chart = parse_xychart(config + "xychart-beta\nbar [1, 2]\n")
    assert chart.horizontal and chart.show_values


def test_a_horizontal_chart_with_lines_stays_upright_and_says_so():
    chart = parse_xychart("xychart-beta horizontal\nbar [1, 2]\nline [2, 3]\n")
    assert not chart.horizontal and any("horizontal" in w for w in chart.warnings)


def test_xychart_list_over_several_lines_and_keywords_in_any_case():
    chart = parse_xychart("xychart-beta\nTITLE 제목\nX-AXIS [a,\n  b,\n  c]\nBAR [1,\n 2, 3]\n")
    assert (chart.title, chart.categories, chart.series[0].values) == ("제목", ("a", "b", "c"), (1, 2, 3))


def test_xychart_sizes_are_kept_within_slide_proportions():
    wide = parse_xychart("---\nconfig:\n  xyChart:\n    width: 2000\n    height: 200\n---\nxychart-beta\nbar [1]\n")
    tall = parse_xychart("---\nconfig:\n  xyChart:\n    height: 900\n---\nxychart-beta\nbar [1]\n")
    assert (wide.aspect, tall.aspect) == (2.0, 1.25)


@pytest.mark.parametrize(
    "body, line, words",
    [
        ("x-axis [a, b, c]\nbar [1, 2]\n", 3, "2 values but the x-axis has 3"),
        ("bar [1, x]\n", 2, "'x' is not a number"),
        ("bar []\n", 2, "at least one number"),
        ("y-axis 10 --> 1\nbar [1]\n", 2, "smaller number"),
        ("title 제목\n", 1, "at least one"),
        ("x-axis []\nbar [1]\n", 2, "empty"),
        ("bar [1]\npie [1]\n", 3, "'pie [1]'"),
    ],
)
def test_xychart_errors(body, line, words):
    error = mermaid_error(parse_xychart, "xychart-beta\n" + body)
    assert error.line == line and words in error.message


# --- quadrant ---------------------------------------------------------------------------


def test_quadrant_chart():
    chart = parse_quadrant(QUADRANT)
    assert (chart.kind, chart.title) == ("quadrant", "Container image vulnerabilities")
    assert (chart.x_title, chart.y_title) == ("Low Likelihood → High Likelihood", "Low Impact → High Impact")
    assert chart.quadrants == ("Fix now", "Plan a fix", "Accept", "Monitor")
    assert chart.points == (
        ChartPoint("openssl CVE", 0.82, 0.9),
        ChartPoint("curl CVE", 0.7, 0.3, "FF3300", 8.0),
        ChartPoint("zlib CVE", 0.2, 0.05),
    )
    assert chart.points[2].label_above and not chart.points[0].label_above


def test_quadrant_axes_with_one_end_or_no_spaces_round_the_arrow():
    chart = parse_quadrant("quadrantChart\nx-axis Low Reach\ny-axis Low-->High\nA: [0.5, 0.5]\n")
    assert (chart.x_title, chart.y_title) == ("Low Reach", "Low → High")


def test_quadrant_point_classes_may_be_defined_later_and_own_styles_win():
    chart = parse_quadrant(
        "quadrantChart\nPoint A:::hot: [0.9, 0.0]\nPoint B:::hot: [0.1, 1] color: #00f\n"
        "classDef hot color: #109060, radius : 12, stroke-color: #310085, stroke-width: 10px\n"
    )
    assert chart.points == (ChartPoint("Point A", 0.9, 0.0, "109060", 12.0), ChartPoint("Point B", 0.1, 1.0, "0000FF", 12.0))


def test_quadrant_ignores_styling_it_cannot_draw():
    chart = parse_quadrant("quadrantChart\nA: [0.3, 0.6] stroke-width: 2px, radius: huge, color: nonsense\n")
    assert chart.points == (ChartPoint("A", 0.3, 0.6),)


@pytest.mark.parametrize(
    "body, line, words",
    [
        ("A: [1.5, 0.5]\n", 2, "between 0 and 1"),
        ("A:::nope: [0.5, 0.5]\n", 2, "no classDef 'nope'"),
        ("quadrant-5 x\n", 2, "'quadrant-5 x'"),
        ("A: [0.5]\n", 2, "cannot read"),
    ],
)
def test_quadrant_errors(body, line, words):
    error = mermaid_error(parse_quadrant, "quadrantChart\n" + body)
    assert error.line == line and words in error.message


# --- fuzz -------------------------------------------------------------------------------

_FUZZ_WORDS = st.sampled_from(
    ["pie", "title", "showData", '"A"', ":", "1", "-2", ".5", "xychart-beta", "horizontal", "x-axis", "y-axis",
     "[", "]", ",", "-->", "bar", "line", '"이름"', "quadrantChart", "quadrant-1", "Point A", ":::c", "classDef c",
     "color: #f00", "radius: 5", "[0.3, 0.6]", "\n", " ", "%%", "---", "config:", "  xyChart:", "width: 9", "1e400",
     "9" * 320]
)


@settings(max_examples=200, deadline=None)
@given(st.one_of(st.text(max_size=60), st.lists(_FUZZ_WORDS, max_size=30).map("".join)))
def test_any_input_gives_a_chart_or_a_mermaid_error(body):
    for parse, header in ((parse_pie, "pie\n"), (parse_xychart, "xychart-beta\n"), (parse_quadrant, "quadrantChart\n")):
        for source in (body, header + body):
            chart = parsed_or_none(parse, source)
            if chart is not None:
                assert isinstance(chart, Chart)
                Scene.from_json(Scene("pie", 1, 1, chart=chart).to_json())


_TEXT = st.text(st.characters(exclude_categories=("Cs",)), max_size=14)
_SHARE = st.floats(min_value=0, max_value=1)


@st.composite
def any_chart(draw) -> Chart:
    """A Chart of any kind with the shapes the parsers produce, and awkward text and numbers."""
    kind = draw(st.sampled_from(["pie", "xychart", "quadrant"]))
    if kind == "quadrant":
        points = draw(st.lists(st.builds(ChartPoint, _TEXT, _SHARE, _SHARE, st.none() | st.just("FF3300"),
                                         st.none() | st.floats(0.5, 100)), max_size=6))
        return Chart(kind, draw(_TEXT), x_title=draw(_TEXT), quadrants=tuple(draw(st.lists(_TEXT, min_size=4, max_size=4))),
                     points=tuple(points))
    count = draw(st.integers(1, 8))
    categories = tuple(draw(st.lists(_TEXT, min_size=count, max_size=count)))
    if kind == "pie":
        values = draw(st.lists(st.floats(0, 1e6), min_size=count, max_size=count).filter(lambda v: sum(v) > 0))
        return Chart(kind, draw(_TEXT), categories, (Series("", "pie", tuple(values)),), show_values=draw(st.booleans()))
    numbers = st.lists(st.floats(-1e6, 1e6), min_size=count, max_size=count).map(tuple)
    series = draw(st.lists(st.builds(Series, _TEXT, st.sampled_from(["bar", "line"]), numbers), min_size=1, max_size=3))
    low = draw(st.none() | st.floats(-1e6, 1e6))
    high = None if low is None else low + draw(st.floats(1e-3, 1e6))
    return Chart(kind, draw(_TEXT), categories, tuple(series), draw(_TEXT), draw(_TEXT), low, high,
                 horizontal=draw(st.booleans()), show_values=draw(st.booleans()))


@settings(max_examples=40, deadline=None)
@given(any_chart())
def test_any_chart_can_be_written_to_a_deck_and_to_svg(chart):
    scene = Scene(chart.kind, *chart.size(14), chart=chart)
    svg_text(scene_to_svg(scene, THEME.fonts.east_asian))
    assert written(scene).has_chart


# --- the model's shared decisions -------------------------------------------------------


@pytest.mark.parametrize(
    "values, kind, low, high, ticks",
    [
        ((980, 1150, 320), "bar", 0, 1250, 6),
        ((-5, 12), "bar", -5, 15, 5),
        ((0.3, 0.7), "line", 0.3, 0.7, 5),
        ((5, 5), "line", 5, 10, 6),
    ],
)
def test_value_scale_is_round_and_starts_bars_at_zero(values, kind, low, high, ticks):
    scale = value_scale(Chart("xychart", series=(Series("", kind, values),)))
    assert (scale.low, scale.high, len(scale.ticks())) == (low, high, ticks)


def test_a_fixed_range_gets_ticks_that_end_on_it():
    scale = value_scale(Chart("xychart", series=(Series("", "bar", (1,)),), y_min=0, y_max=1200))
    assert (scale.step, scale.ticks()[-1]) == (200, 1200)


def test_numbers_and_percentages_read_as_written():
    assert [number(v) for v in (42.0, 42.96, -3.4, 0.98, 1e-7)] == ["42", "42.96", "-3.4", "0.98", "1e-07"]
    assert [percent(s) for s in (0.125, 0.005, 0.5349)] == ["13%", "1%", "53%"]


@pytest.mark.parametrize(
    "values, crowded",
    [((5, 3, 2), False), ((50, 30, 15, 4, 1), True), ((40, 30, 20, 4, 3, 3), True), (tuple(range(1, 9)), True),
     ((60, 40), False)],
)
def test_crowded_pies_move_their_names_to_a_legend(values, crowded):
    chart = Chart("pie", categories=tuple("abcdefgh"[: len(values)]), series=(Series("", "pie", values),))
    assert chart.crowded_pie == crowded


# --- scenes, the cache and the writers --------------------------------------------------


def scene_of(kind: str, source: str | None = None) -> Scene:
    return build_scene(source or SOURCES[kind], kind, MEASURE, STYLE)


@pytest.mark.parametrize("kind", ["pie", "xychart-beta", "quadrantChart"])
def test_chart_scenes_are_registered_and_sized_like_slides(kind):
    assert kind in NATIVE_KINDS
    scene = scene_of(kind)
    assert scene.kind == {"pie": "pie", "xychart-beta": "xychart", "quadrantChart": "quadrant"}[kind]
    assert scene.chart is not None and scene.shapes == () and scene.font_size == 14
    assert 1.1 <= scene.width / scene.height <= 2.0 and 300 <= scene.width <= 700
    assert scene.description and scene.texts() == scene.chart.texts()


@pytest.mark.parametrize("kind", ["pie", "xychart-beta", "quadrantChart"])
def test_chart_scenes_survive_the_json_cache(kind):
    scene = scene_of(kind)
    assert Scene.from_json(scene.to_json()) == scene


def test_a_front_matter_title_is_the_chart_title_not_an_extra_shape():
    scene = scene_of("pie", '---\ntitle: 제목\n---\npie\n"A" : 1\n')
    assert scene.shapes == () and scene.chart.title == "제목"


def written_chart(scene: Scene):
    """The chart's frame as written to a slide and read back."""
    return written(scene, 1.2, "차트: 설명")


def chart_texts(chart) -> list[str]:
    return ["".join(t.text or "" for t in p.iter(f"{A}t")) for p in chart._chartSpace.iter(f"{A}p")]


def test_pie_is_a_native_pie_with_names_and_percentages():
    frame = written_chart(scene_of("pie"))
    chart = frame.chart
    assert chart.chart_type == XL_CHART_TYPE.PIE
    assert chart.chart_title.text_frame.text == "컨테이너 런타임 점유율"
    plot = chart.plots[0]
    assert tuple(plot.categories) == ("containerd", "CRI-O", "Docker Engine", "기타 런타임")
    assert plot.series[0].values == (53.5, 21.0, 18.0, 7.5)
    labels = plot.data_labels
    assert labels.show_category_name and labels.show_percentage and labels.number_format == "0%"
    assert frame._element.xpath("./p:nvGraphicFramePr/p:cNvPr")[0].get("descr") == "차트: 설명"
    assert chart._chartSpace.xpath(".//a:ea/@typeface") and set(chart._chartSpace.xpath(".//a:ea/@typeface")) == {
        THEME.fonts.east_asian}


def test_xychart_is_columns_with_a_line_on_the_same_axes():
    chart = written_chart(scene_of("xychart-beta")).chart
    bars, lines = chart.plots
    assert chart.chart_type == XL_CHART_TYPE.COLUMN_CLUSTERED
    assert bars._element.tag == f"{C}barChart" and lines._element.tag == f"{C}lineChart"
    assert [a.get("val") for a in bars._element.findall(f"{C}axId")] == [
        a.get("val") for a in lines._element.findall(f"{C}axId")]
    ids = [int(a.get("val")) for a in chart._chartSpace.iter(f"{C}axId", f"{C}crossAx")]
    assert ids and all(0 < i < 2**31 for i in ids)  # unsigned in the schema, and safe for 32-bit readers
    assert tuple(bars.categories) == ("베이스", "의존성 설치", "멀티스테이지 적용")
    assert [s.values for s in bars.series] == [(980, 1150, 320)]
    assert [s.values for s in lines.series] == [(400, 460, 130)]
    assert chart.chart_title.text_frame.text == "빌드 단계별 이미지 크기 (MB)"
    assert chart.category_axis.axis_title.text_frame.text == "빌드 단계"
    assert chart.value_axis.axis_title.text_frame.text == "크기 (MB)"
    assert (chart.value_axis.minimum_scale, chart.value_axis.maximum_scale, chart.value_axis.major_unit) == (0, 1200, 200)
    colours = chart._chartSpace.xpath(".//c:ser/c:spPr//a:srgbClr/@val")
    assert "4472C4" in colours and "ED7D31" in colours


def test_horizontal_bars_read_top_down():
    source = 'xychart-beta horizontal\nx-axis [인증, 주문]\nbar "p50" [120, 340]\nbar "p95" [300, 820]\n'
    chart = written_chart(scene_of("xychart-beta", source)).chart
    assert chart.chart_type == XL_CHART_TYPE.BAR_CLUSTERED
    assert chart.category_axis.reverse_order and chart.has_legend
    assert [s.name for s in chart.plots[0].series] == ["p50", "p95"]


def test_quadrant_is_a_scatter_whose_axes_cross_in_the_middle():
    chart = written_chart(scene_of("quadrantChart")).chart
    assert chart.chart_type == XL_CHART_TYPE.XY_SCATTER
    points = chart.plots[0].series[0]
    assert points.values == (0.9, 0.3, 0.05)
    x_values = [float(v.text) for v in points._element.iter(f"{C}xVal") for v in v.iter(f"{C}v")]
    assert x_values == [0.82, 0.7, 0.2]
    for axis in (chart.category_axis, chart.value_axis):
        assert (axis.minimum_scale, axis.maximum_scale) == (0, 1)
    assert chart._chartSpace.xpath(".//c:valAx/c:crossesAt/@val") == ["0.5", "0.5"]
    texts = chart_texts(chart)
    for text in ("Fix now", "Plan a fix", "Accept", "Monitor", "openssl CVE", "curl CVE", "zlib CVE",
                 "Low Likelihood → High Likelihood", "Low Impact → High Impact", "Container image vulnerabilities"):
        assert text in texts


def test_the_embedded_sheet_carries_the_fixed_date():
    frame = written_chart(scene_of("pie"))
    blob = frame.chart.part.chart_workbook.xlsx_part.blob
    with zipfile.ZipFile(io.BytesIO(blob)) as archive:
        assert {info.date_time for info in archive.infolist()} == {(2000, 1, 1, 0, 0, 0)}
        assert b"2000-01-01T00:00:00Z</dcterms:created>" in archive.read("docProps/core.xml")


def test_decks_with_charts_are_the_same_bytes_every_time(tmp_path):
    from deckbuild.cli import main

    day = tmp_path / "course" / "week_01" / "day_01"
    day.mkdir(parents=True)
    blocks = "".join(f"## {kind}\n\n```mermaid\n{source}```\n\n" for kind, source in SOURCES.items())
    (day / "session_01.md").write_text(f"# Session 1: 차트\n\n{blocks}", encoding="utf-8")
    decks = []
    for name in ("a", "b"):
        assert main(["build", str(tmp_path / "course"), "-o", str(tmp_path / name), "--only", "decks"]) == 0
        decks.append((tmp_path / name / "decks" / "week_01" / "day_01" / "session_01.pptx").read_bytes())
    assert decks[0] == decks[1]
    charts = [s for slide in Presentation(io.BytesIO(decks[0])).slides for s in slide.shapes if s.has_chart]
    assert [c.chart.chart_type for c in charts] == [XL_CHART_TYPE.PIE, XL_CHART_TYPE.COLUMN_CLUSTERED,
                                                    XL_CHART_TYPE.XY_SCATTER]


@pytest.mark.parametrize("kind", ["pie", "xychart-beta", "quadrantChart"])
def test_svg_draws_every_text_in_the_deck_colours(kind):
    scene = scene_of(kind)
    svg = scene_to_svg(scene, THEME.fonts.east_asian, scene.description)
    assert not missing(scene.texts(), svg_text(svg))
    colours = {scene.chart.color(i) for i in range(max(len(scene.chart.series), len(scene.chart.categories)))}
    if kind == "quadrantChart":
        colours = {p.color or scene.chart.color(0) for p in scene.chart.points}
    assert all(f"#{colour}" in svg for colour in colours)


def test_svg_pie_shows_percentages_and_a_crowded_pie_a_legend():
    svg = scene_to_svg(scene_of("pie"), THEME.fonts.east_asian)
    assert all(share in svg for share in ("54%", "21%", "18%", "8%"))
    crowded = scene_of("pie", 'pie\n"큰 조각" : 95\n"작은 조각" : 4\n"아주 작은 조각" : 1\n')
    assert crowded.chart.crowded_pie
    svg = scene_to_svg(crowded, THEME.fonts.east_asian)
    assert all(name in svg for name in ("큰 조각", "작은 조각", "아주 작은 조각", "95%", "1%"))


@pytest.mark.parametrize("keyword", ["pie", "xychart-beta", "quadrantChart"])
def test_every_chart_in_the_sample_course_and_corpus_is_drawn(keyword):
    for where, block in course_diagrams(keyword):
        scene = build_scene(block.source, block.kind, MEASURE, STYLE)
        assert scene.chart is not None and scene.chart.texts(), where
