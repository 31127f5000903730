"""The gantt parser (settings, task forms, dates, durations, after/until, errors) and its
layout: bars on a time axis in the right places and sizes, sections as bands, ticks."""

from __future__ import annotations

from datetime import datetime

import pytest
from conftest import course_diagrams
from deck_reading import squash
from diagram_testing import MEASURE, STYLE, by_id, mermaid_error, parsed_or_none, readable
from hypothesis import given, settings
from hypothesis import strategies as st

from deckbuild.diagrams.build import build_scene
from deckbuild.diagrams.gantt_layout import draw_gantt, format_time
from deckbuild.diagrams.mermaid.gantt import Gantt, add_duration, add_months, parse_date, parse_gantt
from deckbuild.diagrams.model import MermaidError

SAMPLE = """gantt
    title 이미지 관리 체계 도입 계획
    dateFormat YYYY-MM-DD
    axisFormat %m/%d
    excludes weekends
    todayMarker off
    section 준비
    현재 이미지 목록과 태그 현황 조사 :done, a1, 2025-03-03, 4d
    태그 규칙 합의 :done, a2, after a1, 3d
    section 구축
    레지스트리 태그 불변성 설정 :active, b1, after a2, 5d
    CI 파이프라인에 스캔 단계 추가 :crit, b2, after b1, 1w
    section 전환
    운영 서비스 순차 전환 :c1, after b2, 10d
    전환 완료 점검 :milestone, m1, after c1, 0d
"""


def d(text: str) -> datetime:
    return datetime.fromisoformat(text)


def spans(gantt: Gantt) -> list[tuple[str, str, str, str]]:
    return [(t.name, t.id, t.start.isoformat(" "), t.end.isoformat(" ")) for t in gantt.tasks]


def parse(body: str, date_format: str = "YYYY-MM-DD") -> Gantt:
    return parse_gantt(f"gantt\n  dateFormat {date_format}\n{body}")


def error_of(source: str) -> MermaidError:
    return mermaid_error(parse_gantt, source)


# --- parser ---------------------------------------------------------------------------


def test_sample_tasks_states_and_sections():
    gantt = parse_gantt(SAMPLE)
    assert gantt.title == "이미지 관리 체계 도입 계획"
    assert (gantt.date_format, gantt.axis_format) == ("YYYY-MM-DD", "%m/%d")
    assert gantt.sections == ["준비", "구축", "전환"]
    assert [(t.id, t.start, t.end) for t in gantt.tasks] == [
        ("a1", d("2025-03-03"), d("2025-03-07")), ("a2", d("2025-03-07"), d("2025-03-10")),
        ("b1", d("2025-03-10"), d("2025-03-15")), ("b2", d("2025-03-15"), d("2025-03-22")),
        ("c1", d("2025-03-22"), d("2025-04-01")), ("m1", d("2025-04-01"), d("2025-04-01")),
    ]
    states = [(t.done, t.active, t.crit, t.milestone) for t in gantt.tasks]
    assert states == [(True, False, False, False), (True, False, False, False), (False, True, False, False),
                      (False, False, True, False), (False, False, False, False), (False, False, False, True)]
    assert [t.section for t in gantt.tasks] == ["준비", "준비", "구축", "구축", "전환", "전환"]
    assert [t.line for t in gantt.tasks] == [8, 9, 11, 12, 14, 15]


def test_texts_are_title_sections_and_task_names():
    assert parse_gantt(SAMPLE).texts() == [
        "이미지 관리 체계 도입 계획", "준비", "구축", "전환", "현재 이미지 목록과 태그 현황 조사", "태그 규칙 합의",
        "레지스트리 태그 불변성 설정", "CI 파이프라인에 스캔 단계 추가", "운영 서비스 순차 전환", "전환 완료 점검",
    ]


def test_the_task_forms():
    gantt = parse(
        "  시작과 끝 :a, 2024-01-01, 2024-01-05\n"  # id, start, end date
        "  아이디 없음 :2024-01-10, 2d\n"  # start, duration
        "  길이만 :3d\n"  # starts where the task above ends
        "  끝 날짜만 :2024-01-20\n"  # ends on a date, starting where the task above ends
        "  뒤에 :after a, 1d\n"  # after, duration
        "  여럿 뒤에 :x, after a task2, 2024-01-30\n"  # the latest of several, then an end date
        "  까지 :2024-01-01, until x\n"  # until another task starts
    )
    assert spans(gantt) == [
        ("시작과 끝", "a", "2024-01-01 00:00:00", "2024-01-05 00:00:00"),
        ("아이디 없음", "task1", "2024-01-10 00:00:00", "2024-01-12 00:00:00"),
        ("길이만", "task2", "2024-01-12 00:00:00", "2024-01-15 00:00:00"),
        ("끝 날짜만", "task3", "2024-01-15 00:00:00", "2024-01-20 00:00:00"),
        ("뒤에", "task4", "2024-01-05 00:00:00", "2024-01-06 00:00:00"),
        ("여럿 뒤에", "x", "2024-01-15 00:00:00", "2024-01-30 00:00:00"),
        ("까지", "task5", "2024-01-01 00:00:00", "2024-01-15 00:00:00"),
    ]


def test_after_may_name_a_task_written_further_down():
    gantt = parse("  둘째 :b, after a, 2d\n  첫째 :a, 2024-05-01, 3d\n")
    assert spans(gantt)[0][2:] == ("2024-05-04 00:00:00", "2024-05-06 00:00:00")


@pytest.mark.parametrize("tags", ["done, crit", "crit, done", "active, crit, milestone", "milestone"])
def test_tags_in_any_order(tags):
    (task,) = parse(f"  일 :{tags}, t1, 2024-01-01, 1d\n").tasks
    assert {tag for tag in ("done", "active", "crit", "milestone") if getattr(task, tag)} == set(tags.split(", "))
    assert task.id == "t1"


@pytest.mark.parametrize(
    "duration, end",
    [("3d", "2024-01-04 00:00"), ("2w", "2024-01-15 00:00"), ("12h", "2024-01-01 12:00"),
     ("90m", "2024-01-01 01:30"), ("30s", "2024-01-01 00:00:30"), ("1500ms", "2024-01-01 00:00:01.500000"),
     ("1M", "2024-02-01 00:00"), ("1y", "2025-01-01 00:00"), ("1.5d", "2024-01-03 00:00"),
     ("0d", "2024-01-01 00:00")],
)
def test_durations(duration, end):
    (task,) = parse(f"  일 :2024-01-01, {duration}\n").tasks
    assert task.end == datetime.fromisoformat(end)


def test_months_hold_the_day_to_a_shorter_month():
    assert add_months(d("2024-01-31"), 1) == d("2024-02-29")
    assert add_duration(d("2023-01-31"), 1, "M") == d("2023-02-28")


def test_date_formats():
    assert parse("  일 :a, 09:00, 30m\n  다음 :after a, 1h\n", "HH:mm").tasks[1].end.strftime("%H:%M") == "10:30"
    unix = parse("  일 :0, 10\n  다음 :20, 90\n", "X")
    assert [(t.start, t.end) for t in unix.tasks] == [(d("1970-01-01"), d("1970-01-01 00:00:10")),
                                                      (d("1970-01-01 00:00:20"), d("1970-01-01 00:01:30"))]
    assert parse("  일 :03/15/2024, 1d\n", "MM/DD/YYYY").tasks[0].start == d("2024-03-15")
    assert parse("  일 :2024-03-15T10:30, 1h\n").tasks[0].start == d("2024-03-15 10:30")  # ISO, as Mermaid falls back to


@pytest.mark.parametrize(
    "text, date_format, expected",
    [
        ("2024-02-29", "YYYY-MM-DD", "2024-02-29 00:00"),
        ("2023-02-29", "YYYY-MM-DD", None),
        ("24.3.5", "YY.M.D", "2024-03-05 00:00"),
        ("Mar 5th 2024", "MMM Do YYYY", "2024-03-05 00:00"),
        ("07:05 PM", "hh:mm A", "1970-01-01 19:05"),
        ("2024-03-05 08:09:10.250", "YYYY-MM-DD HH:mm:ss.SSS", "2024-03-05 08:09:10.250"),
        ("[2024]", "[[]YYYY]", "2024-01-01 00:00"),
        ("2024 year", "YYYY [year]", "2024-01-01 00:00"),
        ("1700000000", "X", "2023-11-14 22:13:20"),
        ("1700000000000", "x", "2023-11-14 22:13:20"),
        ("아무거나", "YYYY-MM-DD", None),
    ],
)
def test_parse_date(text, date_format, expected):
    assert parse_date(text, date_format) == (datetime.fromisoformat(expected) if expected else None)


def test_settings():
    gantt = parse_gantt(
        "gantt\n  title 설정\n  dateFormat YYYY-MM-DD\n  axisFormat %Y년 %m월\n  tickInterval 1week\n  weekday monday\n"
        "  excludes weekends, 2024-01-05\n  includes 2024-01-06\n  todayMarker stroke-width:5px\n  inclusiveEndDates\n"
        "  topAxis\n  accTitle: 접근성\n  accDescr: 설명\n  click a href \"https://example.com\"\n"
        "  일 :a, 2024-01-01, 2024-01-02\n"
    )
    assert (gantt.axis_format, gantt.tick_interval, gantt.weekday) == ("%Y년 %m월", (1, "week"), "monday")
    assert gantt.top_axis
    assert gantt.tasks[0].end == d("2024-01-03")  # inclusive end dates count the last day


@pytest.mark.parametrize(
    "body, line, words",
    [
        ("  일 :after 없음, 1d\n", 3, "'없음'"),
        ("  가 :a, after b, 1d\n  나 :b, after a, 1d\n", 3, "wait"),
        ("  일 :2024-13-45, 1d\n", 3, "start"),
        ("  일 :2024-01-01, 열흘\n", 3, "end"),
        ("  일 :2024-01-05, 2024-01-01\n", 3, "before it starts"),
        ("  일 :a, b, c, d\n", 3, "4 items"),
        ("  일 :3d\n", 3, "first task"),
        ("  일 :done\n", 3, "0 items"),
        ("  콜론 없는 줄\n", 3, "cannot read"),
        ("  tickInterval 3days\n  일 :2024-01-01, 1d\n", 3, "tickInterval"),
        ("  weekday 월요일\n", 3, "weekday"),
        ("  일 :2024-01-01, 99999y\n", 3, "1–9999"),
        ("  일 :9999-12-31, 2d\n", 3, "1–9999"),
        ("  section\n", 3, "name"),
    ],
)
def test_errors_name_the_line(body, line, words):
    error = error_of(f"gantt\n  dateFormat YYYY-MM-DD\n{body}")
    assert error.line == line and words in error.message


@pytest.mark.parametrize("source", ["", "gantt\n", "gantt\n  title 빈 차트\n", "timeline\n"])
def test_a_chart_without_tasks_is_an_error(source):
    assert error_of(source).line == 1


@pytest.mark.parametrize(
    "pattern, expected",
    [("%Y-%m-%d", "2024-03-05"), ("%m/%d", "03/05"), ("%-m/%-d", "3/5"), ("%e", " 5"), ("%H:%M:%S", "07:08:09"),
     ("%I %p", "07 AM"), ("%b %B", "Mar March"), ("%a %A", "Tue Tuesday"), ("%y %j", "24 065"), ("%%Y", "%Y"),
     ("%Q", "1709622489000"), ("%q 그대로", "%q 그대로")],
)
def test_format_time(pattern, expected):
    assert format_time(d("2024-03-05 07:08:09"), pattern) == expected


_FUZZ_WORDS = st.sampled_from(
    ["gantt", "title", "section", "dateFormat", "YYYY-MM-DD", "HH:mm", "X", "axisFormat %m", "tickInterval 1day",
     "일", " :", ":", ",", "done", "active", "crit", "milestone", "a1", "after a1", "until a1", "2024-01-01",
     "09:00", "3d", "1w", "2h", "10m", "1M", "999999y", "0", "\n", "  ", "%%", "excludes weekends", "topAxis"]
)


@settings(max_examples=200, deadline=None)
@given(body=st.one_of(st.text(max_size=60), st.lists(_FUZZ_WORDS, max_size=30).map("".join)))
def test_any_input_gives_a_drawable_gantt_or_a_mermaid_error(body):
    for source in (body, "gantt\n" + body):
        gantt = parsed_or_none(parse_gantt, source)
        assert gantt is None or draw_gantt(gantt, MEASURE, STYLE).shapes


@pytest.mark.parametrize("where, diagram", course_diagrams("gantt"), ids=lambda v: v if isinstance(v, str) else "")
def test_every_real_gantt_parses(where, diagram):
    gantt = parse_gantt(diagram.source)
    assert gantt.tasks and all(t.end >= t.start for t in gantt.tasks), where


# --- layout ---------------------------------------------------------------------------


def bars(scene, gantt):
    shapes = by_id(scene)
    return [shapes[f"bar_{t.line}"] for t in gantt.tasks]


def test_every_text_is_drawn():
    gantt = parse_gantt(SAMPLE)
    scene = draw_gantt(gantt, MEASURE, STYLE)
    drawn = [squash(s.text) for s in scene.shapes if s.text and not s.id.startswith("tick")]
    assert sorted(drawn) == sorted(squash(t) for t in gantt.texts())
    assert scene.kind == "gantt"
    assert "준비: 현재 이미지 목록과 태그 현황 조사 (2025-03-03 – 2025-03-07)" in scene.description


def test_bars_sit_on_the_time_axis_in_order_and_to_scale():
    gantt = parse_gantt(SAMPLE)
    scene = draw_gantt(gantt, MEASURE, STYLE)
    drawn = bars(scene, gantt)
    rectangles = [(t, b) for t, b in zip(gantt.tasks, drawn) if not t.milestone]
    # `after`: each bar starts where the bar it follows ends
    for (_, before), (_, after) in zip(rectangles, rectangles[1:]):
        assert after.x == pytest.approx(before.x + before.width)
    # widths proportional to durations
    per_day = [b.width / ((t.end - t.start).total_seconds() / 86400) for t, b in rectangles]
    assert max(per_day) == pytest.approx(min(per_day))
    # one row per task, top to bottom in source order
    assert [b.y for b in drawn] == sorted(b.y for b in drawn) and len({b.y for b in drawn}) == len(drawn)


def test_task_names_are_left_of_the_bars_in_their_rows():
    gantt = parse_gantt(SAMPLE)
    scene = draw_gantt(gantt, MEASURE, STYLE)
    shapes = by_id(scene)
    left_of_time = min(b.x for b in bars(scene, gantt))
    for task, bar in zip(gantt.tasks, bars(scene, gantt)):
        name = shapes[f"name_{task.line}"]
        assert name.text == task.name and name.align == "left"
        assert name.x + name.width <= left_of_time
        assert name.y <= bar.y and bar.y + bar.height <= name.y + name.height
        assert MEASURE.width(name.text, name.font_size) + 8 <= name.width


def test_states_colour_the_bars():
    gantt = parse_gantt(SAMPLE)
    drawn = dict(zip((t.id for t in gantt.tasks), bars(draw_gantt(gantt, MEASURE, STYLE), gantt)))
    normal = drawn["c1"]
    assert drawn["a1"].fill == drawn["a2"].fill == "BDBDBD"  # done: grey
    assert drawn["b2"].stroke == "C62828" and drawn["b2"].fill != normal.fill  # crit: red
    assert drawn["b1"].stroke_width > normal.stroke_width  # active: stronger
    milestone = drawn["m1"]
    assert milestone.kind == "rhombus" and milestone.width == milestone.height
    assert milestone.x + milestone.width / 2 == pytest.approx(normal.x + normal.width)


def test_sections_are_bands_behind_their_rows():
    gantt = parse_gantt(SAMPLE)
    scene = draw_gantt(gantt, MEASURE, STYLE)
    bands = [s for s in scene.shapes if s.id.startswith("band")]
    labels = [s for s in scene.shapes if s.id.startswith("section")]
    assert [s.text for s in labels] == ["준비", "구축", "전환"] and all(s.bold for s in labels)
    assert len({b.fill for b in bands}) == 3
    drawn = bars(scene, gantt)
    for band, label in zip(bands, labels):
        assert band.y <= label.y and label.y + label.height <= band.y + band.height
        inside = [t for t, b in zip(gantt.tasks, drawn) if band.y <= b.y and b.y + b.height <= band.y + band.height]
        assert {t.section for t in inside} == {label.text}
    for above, below in zip(bands, bands[1:]):
        assert above.y + above.height == pytest.approx(below.y)
    order = [s.id for s in scene.shapes]
    assert max(order.index(b.id) for b in bands) < min(order.index(b.id) for b in drawn)  # bands behind bars


def test_ticks_follow_the_axis_format_and_keep_apart():
    gantt = parse_gantt(SAMPLE)
    scene = draw_gantt(gantt, MEASURE, STYLE)
    ticks = [s for s in scene.shapes if s.id.startswith("tick")]
    assert [t.text for t in ticks] == ["03/09", "03/16", "03/23", "03/30"]  # Sundays, as d3's weeks
    for left, right in zip(ticks, ticks[1:]):
        assert left.x + left.width < right.x
    bottom = max(b.y + b.height for b in bars(scene, gantt))
    assert all(t.y > bottom for t in ticks)
    axis = scene.connectors[0]
    assert axis.start[1] == axis.end[1] and axis.head == "none"


def test_time_of_day_charts_tick_in_minutes_or_hours():
    gantt = parse_gantt("gantt\n  dateFormat HH:mm\n  알림 :a, 09:00, 10m\n  분석 :b, after a, 35m\n  복구 :after b, 75m\n")
    ticks = [s.text for s in draw_gantt(gantt, MEASURE, STYLE).shapes if s.id.startswith("tick")]
    assert ticks[0] == "09:00" and all(len(t) == 5 and t[2] == ":" for t in ticks)


def test_tick_interval_and_top_axis():
    gantt = parse_gantt(
        "gantt\n  dateFormat YYYY-MM-DD\n  axisFormat %-d일\n  tickInterval 2day\n  topAxis\n"
        "  가 :2024-01-01, 4d\n  나 :2024-01-03, 5d\n"
    )
    scene = draw_gantt(gantt, MEASURE, STYLE)
    ticks = [s for s in scene.shapes if s.id.startswith("tick")]
    assert [t.text for t in ticks] == ["1일", "3일", "5일", "7일"]
    assert all(t.y + t.height < min(b.y for b in bars(scene, gantt)) for t in ticks)


def test_long_korean_names_wrap_and_the_chart_stays_readable():
    name = "운영 서비스의 베이스 이미지를 허용 목록의 이미지로 교체하고 다이제스트로 고정"
    body = "".join(f"  {name} {i} :t{i}, 2024-01-{i + 1:02d}, 3d\n" for i in range(12))
    gantt = parse_gantt(f"gantt\n  dateFormat YYYY-MM-DD\n  section 전환\n{body}")
    scene = draw_gantt(gantt, MEASURE, STYLE)
    names = [s for s in scene.shapes if s.id.startswith("name")]
    assert all("\n" in s.text for s in names)
    assert readable(scene)


def test_a_single_instant_chart_still_draws():
    scene = draw_gantt(parse_gantt("gantt\n  출시 :milestone, 2024-01-01, 0d\n"), MEASURE, STYLE)
    assert any(s.kind == "rhombus" for s in scene.shapes) and scene.connectors


@pytest.mark.parametrize("where, diagram", course_diagrams("gantt"), ids=lambda v: v if isinstance(v, str) else "")
def test_every_real_gantt_draws_readably(where, diagram):
    scene = build_scene(diagram.source, "gantt", MEASURE, STYLE)
    assert readable(scene), where
