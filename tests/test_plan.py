"""The planner and composer: hard cases (long code, wide lines, big tables, deep lists, long prose)
and the composition rules (lead-ins, trailing text, shared H3 slides, diagram layouts, discussion)."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import SAMPLE_COURSE

from deckbuild.course import Day, Session
from deckbuild.day_readme import DayReadme
from deckbuild.document import parse_markdown, plain_text
from deckbuild.frames import WRAP_MARK, CodeFrame, DiagramFrame, PictureFrame, TableFrame, TextFrame, balanced_pages
from deckbuild.plan import Planner, TitleSlide
from deckbuild.theme import load_theme

SESSION = Session(Path("session_01.md"), 1, 1, 4, Path("week_01/day_04/session_01.md"))
DAY = Day(Path("day_04"), 4, 1, None, (SESSION,))
LONG_SENTENCE = "컨테이너 이미지는 읽기 전용 레이어를 차곡차곡 쌓아 만든 파일 시스템이며 각 레이어는 변경분만 담습니다. "


@pytest.fixture(scope="module")
def planner():
    return Planner(load_theme("default", SAMPLE_COURSE), "ko")


def plan(planner, markdown: str, day: Day = DAY, path: Path = Path("session_01.md")):
    return planner.plan(parse_markdown(markdown, path), "과정", day, SESSION)


def frames_of(slide, kind) -> list:
    return [frame for frame in getattr(slide, "frames", ()) if isinstance(frame, kind)]


def all_frames(deck, kind) -> list:
    return [frame for slide in deck.slides for frame in frames_of(slide, kind)]


def slide_words(slide) -> str:
    return " ".join(plain_text(entry.runs) for frame in frames_of(slide, TextFrame) for entry in frame.entries)


def content_slides(deck):
    return [s for s in deck.slides if not isinstance(s, TitleSlide) and s.layout not in ("agenda", "discussion")]


def inside(inner, outer) -> bool:
    return (inner.x >= outer.x - 0.01 and inner.y >= outer.y - 0.01 and inner.x + inner.width <= outer.x + outer.width + 0.01
            and inner.y + inner.height <= outer.y + outer.height + 0.01)


# --- the deck's skeleton and the frames' fitting --------------------------------


def test_skeleton_slides(planner):
    deck = plan(planner, "# Session 1: 제목\n\n## 1. 개요 (10분)\n본문\n")
    assert isinstance(deck.slides[0], TitleSlide) and deck.slides[0].title == "Session 1: 제목"
    assert "Week 1 · Day 4" in deck.slides[0].subtitle and "총 10분" in deck.slides[0].subtitle
    assert deck.slides[1].title == "목차" and deck.slides[1].layout == "agenda"
    assert deck.slides[-1].layout == "discussion" and "토론" in deck.slides[-1].title


def test_300_line_code_block_continues_with_balanced_slides(planner):
    code = "\n".join(f"echo line {n}" for n in range(300))
    deck = plan(planner, f"# S\n\n## 코드\n\n```bash\n{code}\n```\n")
    frames = all_frames(deck, CodeFrame)
    assert len(frames) > 1 and all(f.language == "bash" for f in frames)
    assert [line for f in frames for line in f.lines] == code.split("\n")
    assert all(f.size >= planner.theme.sizes.min_code for f in frames)
    assert max(len(f.lines) for f in frames) - min(len(f.lines) for f in frames) <= 1
    assert [s.title for s in deck.slides[2:4]] == ["코드", "코드 (계속)"]
    box = planner.layouts.content_box
    assert all(len(f.lines) * 1.2 * f.size <= box.height - 12 and inside(f.box, box) for f in frames)


def test_wide_code_line_wraps_with_a_mark(planner):
    line = "docker run " + "--flag=value " * 14  # about 190 columns
    deck = plan(planner, f"# S\n\n## 코드\n\n```bash\n{line}\n```\n")
    (frame,) = all_frames(deck, CodeFrame)
    assert len(frame.lines) > 1 and all(l.startswith(WRAP_MARK) for l in frame.lines[1:])
    rebuilt = frame.lines[0] + " " + " ".join(l[len(WRAP_MARK):] for l in frame.lines[1:])
    assert rebuilt.split() == line.split()


def test_16_row_7_column_table_repeats_its_header(planner):
    header = "| " + " | ".join(f"열{c}" for c in range(7)) + " |\n|" + "---|" * 7 + "\n"
    rows = "".join("| " + " | ".join(f"셀 {r}-{c} 내용이 조금 긴 칸" for c in range(7)) + " |\n" for r in range(16))
    deck = plan(planner, f"# S\n\n## 표\n\n{header}{rows}")
    frames = all_frames(deck, TableFrame)
    assert len(frames) > 1 and sum(len(f.rows) for f in frames) == 16
    assert max(len(f.rows) for f in frames) - min(len(f.rows) for f in frames) <= 2  # balanced pages
    assert all(plain_text(f.header[0]) == "열0" for f in frames)
    for frame in frames:
        assert abs(sum(frame.column_widths) - planner.layouts.content_box.width) < 1
        assert sum(frame.row_heights) <= planner.layouts.content_box.height + 0.01
        assert frame.size >= planner.theme.sizes.min_table


def test_three_level_list_keeps_sub_items_with_parents(planner):
    items = "".join(f"- 항목 {n}\n  - 하위 {n}\n    - 더 하위 {n}\n" for n in range(20))
    deck = plan(planner, f"# S\n\n## 목록\n\n{items}")
    frames = [f for s in content_slides(deck) for f in frames_of(s, TextFrame)]
    assert len(frames) > 1
    for frame in frames:
        assert frame.entries[0].level == 0  # every page starts with a parent item
        assert frame.size >= planner.theme.sizes.min_body
    assert [e.level for f in frames for e in f.entries] == [0, 1, 2] * 20


def test_2000_character_paragraph_splits_between_sentences(planner):
    sentence = "컨테이너 이미지는 읽기 전용 레이어를 차곡차곡 쌓아 만든 파일 시스템입니다. "
    paragraph = sentence * (2000 // len(sentence) + 1)
    deck = plan(planner, f"# S\n\n## 긴 글\n\n{paragraph}\n")
    frames = [f for s in content_slides(deck) for f in frames_of(s, TextFrame)]
    assert len(frames) > 1
    texts = [plain_text(e.runs) for f in frames for e in f.entries]
    assert "".join(texts).replace(" ", "") == paragraph.replace(" ", "")
    assert all(t.strip().endswith(".") for t in texts)


def test_heading_with_nothing_under_it_makes_no_empty_slide(planner):
    deck = plan(planner, "# S\n\n## 1. 빈 섹션 (10분)\n\n### 실제 내용\n본문\n")
    titles = [s.title for s in deck.slides]
    assert "1. 빈 섹션" not in titles and "실제 내용" in titles
    slide = next(s for s in deck.slides if s.title == "실제 내용")
    assert "1. 빈 섹션" in slide.notes and "10분" in slide.notes


def test_label_lines_become_bullets_and_bold_paragraphs_subheadings(planner):
    deck = plan(planner, "# S\n\n## 정보\n\n**시간**: 50분\n**방식**: 이론\n\n**🔍 개념 1: 레이어**\n\n본문\n")
    slide = next(s for s in deck.slides if s.title == "정보")
    (frame,) = frames_of(slide, TextFrame)
    assert [(e.marker, e.role) for e in frame.entries] == [("•", "body"), ("•", "body"), ("", "subheading"), ("", "body")]


def test_balanced_pages_even_out_a_lonely_tail():
    heights = [10.0] * 11  # greedy would give 10 + 1
    pages = balanced_pages(heights, 100.0)
    assert len(pages) == 2 and sorted(end - start for start, end in pages) == [5, 6]
    assert balanced_pages([250.0, 10.0], 100.0) == [(0, 1), (1, 2)]  # an oversized item keeps its own page


# --- composition rules -------------------------------------------------------


def test_lead_in_stays_on_its_code_slide(planner):
    deck = plan(planner, "# S\n\n## 설치\n\n예상 출력:\n\n```text\nok\n```\n")
    (slide,) = [s for s in deck.slides if s.title.startswith("설치")]
    assert slide.layout == "stacked"
    (text,), (code,) = frames_of(slide, TextFrame), frames_of(slide, CodeFrame)
    assert plain_text(text.entries[0].runs) == "예상 출력:" and text.box.y + text.box.height <= code.box.y


def test_bold_label_lead_in_and_sub_heading_stay_with_a_diagram(planner):
    diagram = "```mermaid\ngraph LR\n  A[빌드] --> B[테스트] --> C[배포]\n```\n"
    deck = plan(planner, f"# S\n\n## 흐름\n\n**핵심 개념**:\n\n{diagram}")
    (slide,) = [s for s in deck.slides if s.title.startswith("흐름")]
    assert frames_of(slide, DiagramFrame) and "핵심 개념" in slide_words(slide)


def test_long_text_then_lead_in_never_leaves_the_lead_alone(planner):
    prose = "\n\n".join(LONG_SENTENCE * 3 for _ in range(5))
    table = "| 이름 | 값 |\n|---|---|\n" + "".join(f"| 항목 {n} | 설명이 조금 긴 값 {n} |\n" for n in range(30))
    deck = plan(planner, f"# S\n\n## 비교\n\n{prose}\n\n다음 표는 결과입니다:\n\n{table}")
    for slide in content_slides(deck):
        texts = frames_of(slide, TextFrame)
        if texts and "다음 표는 결과입니다" in slide_words(slide):
            assert frames_of(slide, TableFrame), "the lead-in is on a slide without its table"
    first_table = next(s for s in deck.slides if frames_of(s, TableFrame))
    assert "다음 표는 결과입니다" in slide_words(first_table)


def test_short_text_after_a_visual_joins_its_slide(planner):
    deck = plan(planner, "# S\n\n## 실행\n\n```bash\ndocker run hello\n```\n\n컨테이너가 인사말을 출력하고 종료됩니다.\n")
    (slide,) = [s for s in deck.slides if s.title.startswith("실행")]
    (code,), (text,) = frames_of(slide, CodeFrame), frames_of(slide, TextFrame)
    assert text.box.y >= code.box.y + code.box.height and "종료됩니다" in slide_words(slide)


def test_continued_text_is_balanced_without_a_lonely_line(planner):
    items = "".join(f"- {LONG_SENTENCE.strip()} {n}\n" for n in range(22))
    deck = plan(planner, f"# S\n\n## 목록\n\n{items}")
    frames = [f for s in content_slides(deck) for f in frames_of(s, TextFrame)]
    counts = [len(f.entries) for f in frames]
    assert len(counts) > 1 and max(counts) - min(counts) <= 1, counts


def test_short_h3_sections_under_one_h2_share_a_slide(planner):
    deck = plan(planner, "# S\n\n## 1. 개념 (10분)\n\n### 레이어\n짧은 설명.\n\n### 캐시\n또 짧은 설명.\n\n### 태그\n마지막 설명.\n")
    slides = content_slides(deck)
    assert len(slides) == 1 and slides[0].title == "1. 개념"
    words = slide_words(slides[0])
    assert all(word in words for word in ("레이어", "캐시", "태그", "짧은 설명", "마지막 설명"))
    assert all(heading in slides[0].notes for heading in ("레이어", "캐시", "태그"))


def test_long_chain_alone_is_drawn_in_rows_with_larger_text(planner):
    chain = " --> ".join(f"S{n}[단계 {n}: 이미지 빌드와 검증]" for n in range(9))
    deck = plan(planner, f"# S\n\n## 파이프라인\n\n```mermaid\ngraph LR\n  {chain}\n```\n")
    (frame,) = all_frames(deck, DiagramFrame)
    nodes = [shape for shape in frame.scene.shapes if shape.kind == "rect"]
    assert len(nodes) == 9 and len({round(shape.centre[1]) for shape in nodes}) > 1  # not one strip
    box = planner.layouts.wide_box
    strip_width = sum(shape.width for shape in nodes)  # the author's one row is at least this wide
    as_written = box.width / strip_width * frame.scene.font_size
    assert frame.text_size >= 1.25 * as_written


def test_diagram_alone_fills_the_slide_area(planner):
    diagram = "```mermaid\ngraph TB\n" + "".join(f"  A{n}[상위 {n}] --> B{n}[하위 {n}]\n" for n in range(6)) + "```\n"
    deck = plan(planner, f"# S\n\n## 구조\n\n{diagram}")
    (slide,) = [s for s in deck.slides if frames_of(s, DiagramFrame)]
    (frame,) = frames_of(slide, DiagramFrame)
    area = planner.layouts.wide_box
    assert slide.layout == "visual" and inside(frame.box, area)
    assert frame.box.width >= area.width - 1 or frame.box.height >= area.height - 1


def test_short_list_sits_beside_a_tall_diagram(planner):
    messages = "".join(f"  A->>B: 요청 {n}\n  B-->>A: 응답 {n}\n" for n in range(6))
    deck = plan(planner, f"# S\n\n## 흐름\n\n- 빌드\n- 테스트\n- 배포\n\n```mermaid\nsequenceDiagram\n{messages}```\n")
    (slide,) = [s for s in deck.slides if frames_of(s, DiagramFrame)]
    (text,), (diagram,) = frames_of(slide, TextFrame), frames_of(slide, DiagramFrame)
    assert slide.layout == "two_columns" and text.box.x + text.box.width <= diagram.box.x
    assert all(word in slide_words(slide) for word in ("빌드", "테스트", "배포"))


def test_two_pictures_in_a_row_share_a_slide(planner, tmp_path):
    for name, (width, height) in {"tall.svg": (200, 500), "square.svg": (300, 300)}.items():
        (tmp_path / name).write_text(f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}"/>')
    planner_here = Planner(planner.theme, "ko", course_root=tmp_path)
    deck = plan(planner_here, "# S\n\n## 그림\n\n![세로](tall.svg)\n\n![정사각](square.svg)\n", path=tmp_path / "session_01.md")
    (slide,) = [s for s in deck.slides if frames_of(s, PictureFrame)]
    left, right = frames_of(slide, PictureFrame)
    assert slide.layout == "two_columns" and left.box.x + left.box.width <= right.box.x


# --- discussion --------------------------------------------------------------


def test_discussion_shows_topic_questions_and_guide(planner):
    readme = DayReadme(Path("README.md"), "Day", {}, {1: "README 주제"}, None, (), ())
    day = Day(Path("day_04"), 4, 1, readme, (SESSION,))
    guide = "#### 비교 관점 (3분)\n- 속도\n- 비용\n\n#### 장단점 분석 (4분)\n- 장점과 단점을 나눠 봅니다\n"
    deck = plan(planner, f'# S\n\n## 1. 개요\n본문\n\n## 4. 토론 및 정리 (10분)\n\n### 토론 주제\n"왜일까요?"\n\n{guide}', day=day)
    discussion = [s for s in deck.slides if s.layout == "discussion"]
    assert discussion and list(deck.slides[-len(discussion):]) == discussion
    assert discussion[0].title == "토론 주제 (10분)"
    words = " ".join(slide_words(s) for s in discussion)
    for text in ("README 주제", "왜일까요?", "비교 관점 (3분)", "속도", "장단점 분석 (4분)", "장점과 단점을 나눠 봅니다"):
        assert text in words
    assert not any(s.title.startswith("4. 토론") for s in deck.slides)


def test_long_discussion_continues_and_every_page_keeps_the_topic(planner):
    readme = DayReadme(Path("README.md"), "Day", {}, {1: "README 주제"}, None, (), ())
    day = Day(Path("day_04"), 4, 1, readme, (SESSION,))
    guide = "".join(f"#### 관점 {n} (2분)\n- {LONG_SENTENCE}\n- {LONG_SENTENCE}\n\n" for n in range(6))
    deck = plan(planner, f"# S\n\n## 1. 개요\n본문\n\n## 토론 (12분)\n\n{guide}", day=day)
    discussion = [s for s in deck.slides if s.layout == "discussion"]
    assert len(discussion) > 1 and deck.slides[-1] is discussion[-1]
    assert discussion[1].title.endswith("(계속)")
    assert all("README 주제" in slide_words(s) for s in discussion)
    content = planner.layouts.content_box
    for slide in discussion:
        head, *body = frames_of(slide, TextFrame)
        assert "README 주제" in " ".join(plain_text(e.runs) for e in head.entries)
        for frame in (head, *body):
            assert planner.fitter.text_height(frame.entries, frame.size, frame.box.width) <= frame.box.height + 0.01
            assert inside(frame.box, content) and (frame is head or frame.box.y >= head.box.y + head.box.height)


def test_session_without_any_topic_gets_a_general_prompt(planner):
    deck = plan(planner, "# S\n\n## 1. 개요\n본문\n")
    assert slide_words(deck.slides[-1]) == planner.text("general_prompt")


def test_short_untitled_preamble_joins_the_first_section(planner):
    deck = plan(planner, '# S\n\n<div align="center">\n\n**Week 1 · Day 4 · Session 1**\n\n</div>\n\n## 1. 개요 (5분)\n본문입니다.\n')
    slides = content_slides(deck)
    assert len(slides) == 1 and slides[0].title == "1. 개요"
    assert "Week 1 · Day 4 · Session 1" in slide_words(slides[0]) and "본문입니다." in slide_words(slides[0])


def test_every_slide_names_a_known_layout_and_stays_in_the_content_area(planner):
    from deckbuild.layouts import LAYOUT_NAMES

    diagram = "```mermaid\ngraph LR\n  A[빌드] --> B[테스트] --> C[배포]\n```\n"
    markdown = f"# S\n\n## 1. 개요 (5분)\n\n소개 문장입니다.\n\n{diagram}\n마무리 문장입니다.\n\n```bash\necho hi\n```\n"
    deck = plan(planner, markdown)
    area = planner.layouts.wide_box
    for slide in deck.slides:
        assert slide.layout in LAYOUT_NAMES
        for frame in getattr(slide, "frames", ()):
            assert inside(frame.box, area), (slide.title, frame)


def test_a_line_after_a_diagram_does_not_shrink_it_below_readable(planner):
    nodes = "".join(f"  A{n}[첫 단계의 이름 {n}] --> B{n}[둘째 단계의 이름 {n}] --> C{n}[셋째 단계의 이름 {n}]\n" for n in range(3))
    tail = "이 그림에서 볼 수 있듯 각 단계는 앞 단계의 결과만 받아 다음 단계로 넘기며, 그래서 어느 단계든 따로 바꿔 끼울 수 있습니다."
    deck = plan(planner, f"# S\n\n## 흐름\n\n다음 그림을 보세요:\n\n```mermaid\ngraph LR\n{nodes}```\n\n{tail}\n")
    (frame,) = all_frames(deck, DiagramFrame)
    alone = planner.composer._best(planner.composer._visual(parse_markdown(
        f"```mermaid\ngraph LR\n{nodes}```\n", Path("x.md")).blocks[0], Path("x.md")), [], [])
    assert frame.text_size >= min(12.0, alone.quality) - 0.01
    assert any(tail in slide_words(s) for s in deck.slides)  # the line is shown somewhere


def test_a_section_of_a_stray_line_shares_its_neighbours_slide(planner):
    deck = plan(planner, "# S\n\n## 핵심 정리\n\n- 레이어는 공유됩니다\n- 캐시는 순서를 따릅니다\n\n## 다음 주 준비\n\n- 쿠버네티스\n")
    slides = content_slides(deck)
    assert len(slides) == 1 and slides[0].title == "핵심 정리 · 다음 주 준비"
    words = slide_words(slides[0])
    assert all(text in words for text in ("핵심 정리", "레이어는 공유됩니다", "다음 주 준비", "쿠버네티스"))
    assert "핵심 정리" in slides[0].notes and "다음 주 준비" in slides[0].notes


def test_short_output_sits_under_the_command_that_prints_it(planner):
    command = "\n".join(f"docker image ls --filter label=n{n}" for n in range(8))
    markdown = f"# S\n\n## 확인\n\n이미지 크기를 확인합니다.\n\n```bash\n{command}\n```\n\n예상 출력:\n\n```text\nREPOSITORY TAG SIZE\napi dev 1.02GB\n```\n"
    deck = plan(planner, markdown)
    (slide,) = [s for s in deck.slides if frames_of(s, CodeFrame)]
    first, second = frames_of(slide, CodeFrame)
    assert second.box.y > first.box.y + first.box.height and first.size == second.size
    assert "예상 출력:" in slide_words(slide)


def test_a_closing_remark_keeps_its_code_when_the_text_before_takes_a_slide_of_its_own(planner):
    intro = "\n\n".join(LONG_SENTENCE * 2 for _ in range(3))
    code = "\n".join(f"docker buildx imagetools create --tag registry.example.com/app:{n} src" for n in range(9))
    markdown = f"# S\n\n## 승격\n\n{intro}\n\n- 첫째 단계\n- 둘째 단계\n\n```bash\n{code}\n```\n\n3. 셋째 단계로 기록을 남긴다\n4. 넷째 단계로 태그와 다이제스트를 함께 남긴다\n"
    deck = plan(planner, markdown)
    slides = content_slides(deck)
    (with_code,) = [s for s in slides if frames_of(s, CodeFrame)]
    assert "넷째 단계" in slide_words(with_code)  # the remark stays with the code it comments on
    assert all(frames_of(s, CodeFrame) or len(slide_words(s)) > 100 for s in slides)  # no slide of a line or two


def test_a_long_sequence_goes_over_slides_in_parts_with_its_lead_on_the_first(planner):
    rows = "".join(f"  A->>B: {n}번째 요청을 보낸다\n  B-->>A: {n}번째 응답을 돌려준다\n" for n in range(14))
    lead = "클라이언트와 서버가 주고받는 요청을 순서대로 봅니다."
    deck = plan(planner, f"# S\n\n## 흐름\n\n{lead}\n\n```mermaid\nsequenceDiagram\n  participant A as 클라이언트\n  participant B as 서버\n{rows}```\n")
    slides = [s for s in deck.slides if frames_of(s, DiagramFrame)]
    assert len(slides) >= 2
    assert lead in slide_words(slides[0]) and slides[1].title.endswith("(계속)")
    shown = [t for s in slides for (frame,) in [frames_of(s, DiagramFrame)] for t in frame.scene.texts()]
    assert all(f"{n}번째 요청을 보낸다" in shown and f"{n}번째 응답을 돌려준다" in shown for n in range(14))
    whole = planner.composer.scenes.scene(f"sequenceDiagram\n  participant A as 클라이언트\n  participant B as 서버\n{rows}",
                                          "sequenceDiagram", planner.measure, planner.theme.diagram)
    box = planner.layouts.content_box
    as_one = min(box.width / whole.width, box.height / whole.height) * whole.font_size
    assert min(frames_of(s, DiagramFrame)[0].text_size for s in slides) >= 1.25 * as_one
