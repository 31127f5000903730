"""The timeline parser (title, sections, periods, events, continuations) and its layout:
periods along an axis, events below them, sections as frames, long timelines in rows."""

from __future__ import annotations

import pytest
from conftest import course_diagrams
from deck_reading import squash
from diagram_testing import MEASURE, STYLE, by_id, mermaid_error, overlapping, parsed_or_none, readable
from hypothesis import given, settings
from hypothesis import strategies as st

from deckbuild.diagrams.build import build_scene
from deckbuild.diagrams.mermaid.timeline import Timeline, parse_timeline
from deckbuild.diagrams.model import MermaidError
from deckbuild.diagrams.timeline_layout import draw_timeline

SAMPLE = """timeline
    title order-api 이미지 릴리스 이력
    section 2024년 상반기
        1.0.0 : 첫 정식 릴리스
              : latest 태그 사용 시작
        1.1.0 : 쿠폰 할인 기능 추가
    section 2024년 하반기
        1.2.0 : arm64 이미지 동시 제공
        1.2.3 : 베이스 이미지 보안 패치
    section 2025년
        2.0.0 : 주문 API 경로 변경으로 호환성 깨짐
              : 1.x는 보안 패치만 제공
        2.4.1 : 태그 불변성 설정 적용
"""


def outline(timeline: Timeline) -> list:
    return [(s.title, [(p.label, p.events) for p in s.periods]) for s in timeline.sections]


def error_of(source: str) -> MermaidError:
    return mermaid_error(parse_timeline, source)


# --- parser ---------------------------------------------------------------------------


def test_sections_periods_and_continued_events():
    timeline = parse_timeline(SAMPLE)
    assert timeline.title == "order-api 이미지 릴리스 이력"
    assert outline(timeline) == [
        ("2024년 상반기", [("1.0.0", ["첫 정식 릴리스", "latest 태그 사용 시작"]), ("1.1.0", ["쿠폰 할인 기능 추가"])]),
        ("2024년 하반기", [("1.2.0", ["arm64 이미지 동시 제공"]), ("1.2.3", ["베이스 이미지 보안 패치"])]),
        ("2025년", [("2.0.0", ["주문 API 경로 변경으로 호환성 깨짐", "1.x는 보안 패치만 제공"]),
                   ("2.4.1", ["태그 불변성 설정 적용"])]),
    ]
    assert [p.line for p in timeline.periods] == [4, 6, 8, 9, 11, 13]


def test_several_events_on_one_line_and_a_period_without_events():
    timeline = parse_timeline("timeline\n  2013 : Docker 공개 : 이미지 레이어 대중화 : OCI 이전\n  2014\n  : 나중에 붙은 사건\n")
    assert outline(timeline) == [("", [("2013", ["Docker 공개", "이미지 레이어 대중화", "OCI 이전"]),
                                       ("2014", ["나중에 붙은 사건"])])]


def test_a_colon_without_a_space_after_it_stays_in_the_text():
    timeline = parse_timeline("timeline\n  09:00 : 회의 시작 : 자료는 https://example.com 참고\n")
    assert outline(timeline) == [("", [("09:00", ["회의 시작", "자료는 https://example.com 참고"])])]


def test_periods_before_the_first_section_form_an_untitled_section():
    timeline = parse_timeline("timeline\n  2020 : 시작\n  section 이후\n  2021 : 다음\n")
    assert [(s.title, len(s.periods)) for s in timeline.sections] == [("", 1), ("이후", 1)]


def test_labels_keep_line_breaks_and_lose_quotes():
    timeline = parse_timeline('timeline\n  title "제목<br/>둘째 줄"\n  1분기 : 첫 줄<br/>둘째 줄\n')
    assert timeline.title == "제목\n둘째 줄" and timeline.periods[0].events == ["첫 줄\n둘째 줄"]


def test_init_directive_comments_and_accessibility_lines_are_skipped():
    timeline = parse_timeline(
        "%%{init: {'theme':'base'}}%%\ntimeline\n  accTitle: 접근성 제목\n  accDescr {\n 여러 줄\n 설명 }\n"
        "  %% 주석\n  2024 : 사건\n"
    )
    assert outline(timeline) == [("", [("2024", ["사건"])])]


def test_texts_lists_title_sections_periods_and_events():
    texts = parse_timeline(SAMPLE).texts()
    assert texts[:5] == ["order-api 이미지 릴리스 이력", "2024년 상반기", "2024년 하반기", "2025년", "1.0.0"]
    assert "1.x는 보안 패치만 제공" in texts and len(texts) == 4 + 6 + 8


def test_an_empty_section_is_not_a_text():
    timeline = parse_timeline("timeline\n  section 빈 구간\n  section 찬 구간\n  2024 : 사건\n")
    assert timeline.texts() == ["찬 구간", "2024", "사건"]


@pytest.mark.parametrize("header", ["timeline", "TIMELINE", "timeline LR", "timeline TD"])
def test_headers(header):
    assert parse_timeline(f"{header}\n 2024 : 사건\n").periods[0].label == "2024"


@pytest.mark.parametrize(
    "source, line",
    [
        ("timeline\n  title 제목\n  : 주인 없는 사건\n", 3),
        ("timeline\n  title 제목만\n", 1),
        ("timeline\n", 1),
        ("", 1),
        ("gantt\n  2024 : x\n", 1),
    ],
)
def test_errors_name_the_line(source, line):
    assert error_of(source).line == line


_FUZZ_WORDS = st.sampled_from(
    ["timeline", "title", "section", " : ", ":", "2024", "사건", "accDescr {", "}", "accTitle:", "<br/>", '"',
     "\n", "  ", "%%", "---", "#"]
)


@settings(max_examples=200, deadline=None)
@given(body=st.one_of(st.text(max_size=60), st.lists(_FUZZ_WORDS, max_size=30).map("".join)))
def test_any_input_gives_a_drawable_timeline_or_a_mermaid_error(body):
    for source in (body, "timeline\n" + body):
        timeline = parsed_or_none(parse_timeline, source)
        assert timeline is None or draw_timeline(timeline, MEASURE, STYLE).shapes


@pytest.mark.parametrize("where, diagram", course_diagrams("timeline"), ids=lambda v: v if isinstance(v, str) else "")
def test_every_real_timeline_parses(where, diagram):
    timeline = parse_timeline(diagram.source)
    statements = [line.strip() for line in diagram.source.splitlines() if line.strip().startswith(":")]
    assert sum(len(p.events) for p in timeline.periods) >= len(statements), where


# --- layout ---------------------------------------------------------------------------


def test_every_text_is_drawn():
    timeline = parse_timeline(SAMPLE)
    scene = draw_timeline(timeline, MEASURE, STYLE)
    drawn = [squash(s.text) for s in scene.shapes if s.text]
    assert sorted(drawn) == sorted(squash(t) for t in timeline.texts())
    assert scene.kind == "timeline" and "2024년 상반기: 1.0.0 (첫 정식 릴리스" in scene.description


def test_boxes_do_not_overlap():
    scene = draw_timeline(parse_timeline(SAMPLE), MEASURE, STYLE)
    assert not overlapping(s for s in scene.shapes if s.kind != "frame")


def test_periods_run_left_to_right_with_their_events_stacked_below():
    timeline = parse_timeline(SAMPLE)
    scene = draw_timeline(timeline, MEASURE, STYLE)
    shapes = by_id(scene)
    periods = [shapes[f"period_{p.line}"] for p in timeline.periods]
    assert [p.x for p in periods] == sorted(p.x for p in periods)
    assert len({p.y for p in periods}) == 1  # six periods fit one row
    links = {(c.source, c.target) for c in scene.connectors}
    for period, box in zip(timeline.periods, periods):
        above = box
        for number, event in enumerate(period.events):
            event_box = shapes[f"period_{period.line}_event_{number}"]
            assert squash(event_box.text) == squash(event)
            assert (event_box.x, event_box.width) == (box.x, box.width)
            assert event_box.y > above.y + above.height
            assert (above.id, event_box.id) in links
            above = event_box


def test_the_axis_runs_between_periods_and_events():
    timeline = parse_timeline(SAMPLE)
    scene = draw_timeline(timeline, MEASURE, STYLE)
    shapes = by_id(scene)
    (axis,) = [c for c in scene.connectors if c.source is None]
    assert axis.head == "arrow" and axis.start[1] == axis.end[1]
    period = shapes[f"period_{timeline.periods[0].line}"]
    event = shapes[f"period_{timeline.periods[0].line}_event_0"]
    assert period.y + period.height < axis.start[1] < event.y
    assert axis.start[0] < min(s.x for s in scene.shapes if s.id.startswith("period"))


def test_sections_are_frames_holding_their_periods_under_a_coloured_header():
    timeline = parse_timeline(SAMPLE)
    scene = draw_timeline(timeline, MEASURE, STYLE)
    frames = [s for s in scene.shapes if s.kind == "frame"]
    headers = [s for s in scene.shapes if s.id.endswith("_title") and s.id.startswith("section")]
    assert [h.text for h in headers] == ["2024년 상반기", "2024년 하반기", "2025년"]
    shapes = by_id(scene)
    for section, frame, header in zip(timeline.sections, frames, headers):
        assert header.y == frame.y and header.width == frame.width and header.fill not in (None, frame.fill)
        for period in section.periods:
            box = shapes[f"period_{period.line}"]
            assert frame.x < box.x and box.x + box.width < frame.x + frame.width
            assert box.y > header.y + header.height and box.stroke == header.fill
            for number in range(len(period.events)):
                event = shapes[f"period_{period.line}_event_{number}"]
                assert event.y + event.height < frame.y + frame.height
    assert len({h.fill for h in headers}) == 3


def test_the_title_is_on_top():
    scene = draw_timeline(parse_timeline(SAMPLE), MEASURE, STYLE)
    title = by_id(scene)["timeline_title"]
    assert title.bold and all(title.y + title.height <= s.y for s in scene.shapes if s is not title)


def test_without_sections_each_period_has_its_own_colour():
    timeline = parse_timeline("timeline\n  2020 : 가\n  2021 : 나\n  2022 : 다\n")
    scene = draw_timeline(timeline, MEASURE, STYLE)
    periods = [s for s in scene.shapes if s.id.startswith("period") and "event" not in s.id]
    assert len({p.fill for p in periods}) == 3 and not [s for s in scene.shapes if s.kind == "frame"]


def long_timeline(count: int) -> str:
    lines = ["timeline", "  title 컨테이너 기술의 역사"]
    for i in range(count):
        if i % 4 == 0:
            lines.append(f"  section {i // 4 + 1}기")
        lines.append(f"  {1990 + i * 3} : 사건 {i}번의 짧은 설명 : 그 뒤에 이어진 변화")
    return "\n".join(lines)


@pytest.mark.parametrize("count", [8, 12, 16])
def test_many_periods_wrap_into_rows_and_stay_readable(count):
    timeline = parse_timeline(long_timeline(count))
    scene = draw_timeline(timeline, MEASURE, STYLE)
    periods = [s for s in scene.shapes if s.id.startswith("period") and "event" not in s.id]
    rows = sorted({p.y for p in periods})
    assert len(rows) >= 2
    assert readable(scene)
    # reading order: row by row, left to right
    ordered = sorted(periods, key=lambda p: (p.y, p.x))
    assert [p.id for p in ordered] == [f"period_{p.line}" for p in timeline.periods]
    # a section cut by a row break gets a header in each row it spans
    headers = [s.text for s in scene.shapes if s.id.startswith("section") and s.id.endswith("_title")]
    assert set(headers) == {s.title for s in timeline.sections}
    assert not overlapping(s for s in scene.shapes if s.kind != "frame")


def test_long_events_wrap_inside_their_column():
    event = "주문 API 경로가 바뀌어 이전 버전과 호환되지 않는 큰 변경이 들어갔습니다"
    scene = draw_timeline(parse_timeline(f"timeline\n  2.0.0 : {event}\n"), MEASURE, STYLE)
    box = next(s for s in scene.shapes if squash(s.text) == squash(event))
    assert "\n" in box.text
    assert max(MEASURE.width(line, box.font_size) for line in box.text.split("\n")) < box.width


@pytest.mark.parametrize("where, diagram", course_diagrams("timeline"), ids=lambda v: v if isinstance(v, str) else "")
def test_every_real_timeline_draws_readably(where, diagram):
    scene = build_scene(diagram.source, "timeline", MEASURE, STYLE)
    assert readable(scene), where
