"""The planner on hard cases: long code, wide lines, big tables, deep lists, long prose, empty headings."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import SAMPLE_COURSE

from deckbuild.course import Day, Session
from deckbuild.document import parse_markdown, plain_text
from deckbuild.plan import WRAP_MARK, CodeSlide, DiscussionSlide, Planner, TableSlide, TextSlide, TitleSlide
from deckbuild.theme import load_theme

SESSION = Session(Path("session_01.md"), 1, 1, 4, Path("week_01/day_04/session_01.md"))
DAY = Day(Path("day_04"), 4, 1, None, (SESSION,))


@pytest.fixture(scope="module")
def planner():
    return Planner(load_theme("default", SAMPLE_COURSE), "ko")


def plan(planner, markdown: str):
    return planner.plan(parse_markdown(markdown, Path("session_01.md")), "과정", DAY, SESSION)


def content(deck, kind):
    return [slide for slide in deck.slides if isinstance(slide, kind)]


def test_skeleton_slides(planner):
    deck = plan(planner, "# Session 1: 제목\n\n## 1. 개요 (10분)\n본문\n")
    assert isinstance(deck.slides[0], TitleSlide) and deck.slides[0].title == "Session 1: 제목"
    assert "Week 1 · Day 4" in deck.slides[0].subtitle and "총 10분" in deck.slides[0].subtitle
    assert deck.slides[1].title == "목차"
    assert isinstance(deck.slides[-1], DiscussionSlide) and "토론" in deck.slides[-1].title


def test_300_line_code_block_continues_with_balanced_slides(planner):
    code = "\n".join(f"echo line {n}" for n in range(300))
    deck = plan(planner, f"# S\n\n## 코드\n\n```bash\n{code}\n```\n")
    slides = content(deck, CodeSlide)
    assert len(slides) > 1 and all(s.language == "bash" for s in slides)
    assert [line for s in slides for line in s.lines] == code.split("\n")
    assert all(s.size >= planner.theme.sizes.min_code for s in slides)
    assert max(len(s.lines) for s in slides) - min(len(s.lines) for s in slides) <= 1
    assert slides[1].title == "코드 (계속)"
    capacity = planner.content_box.height - 12
    assert all(len(s.lines) * 1.2 * s.size <= capacity for s in slides)


def test_wide_code_line_wraps_with_a_mark(planner):
    line = "docker run " + "--flag=value " * 14  # about 190 columns
    deck = plan(planner, f"# S\n\n## 코드\n\n```bash\n{line}\n```\n")
    (slide,) = content(deck, CodeSlide)
    assert len(slide.lines) > 1 and all(l.startswith(WRAP_MARK) for l in slide.lines[1:])
    rebuilt = slide.lines[0] + " " + " ".join(l[len(WRAP_MARK):] for l in slide.lines[1:])
    assert rebuilt.split() == line.split()


def test_16_row_7_column_table_repeats_its_header(planner):
    header = "| " + " | ".join(f"열{c}" for c in range(7)) + " |\n|" + "---|" * 7 + "\n"
    rows = "".join("| " + " | ".join(f"셀 {r}-{c} 내용이 조금 긴 칸" for c in range(7)) + " |\n" for r in range(16))
    deck = plan(planner, f"# S\n\n## 표\n\n{header}{rows}")
    slides = content(deck, TableSlide)
    assert sum(len(s.rows) for s in slides) == 16
    assert all(plain_text(s.header[0]) == "열0" for s in slides)
    for slide in slides:
        assert abs(sum(slide.column_widths) - planner.content_box.width) < 1
        assert sum(slide.row_heights) <= planner.content_box.height + 0.01
        assert slide.size >= planner.theme.sizes.min_table


def test_three_level_list_keeps_sub_items_with_parents(planner):
    items = "".join(f"- 항목 {n}\n  - 하위 {n}\n    - 더 하위 {n}\n" for n in range(20))
    deck = plan(planner, f"# S\n\n## 목록\n\n{items}")
    slides = content(deck, TextSlide)[1:]  # after the agenda
    assert len(slides) > 1
    for slide in slides:
        assert slide.entries[0].level == 0  # every page starts with a parent item
        assert slide.size >= planner.theme.sizes.min_body
    assert [e.level for s in slides for e in s.entries] == [0, 1, 2] * 20


def test_2000_character_paragraph_splits_between_sentences(planner):
    sentence = "컨테이너 이미지는 읽기 전용 레이어를 차곡차곡 쌓아 만든 파일 시스템입니다. "
    paragraph = sentence * (2000 // len(sentence) + 1)
    deck = plan(planner, f"# S\n\n## 긴 글\n\n{paragraph}\n")
    slides = content(deck, TextSlide)[1:]
    assert len(slides) > 1
    texts = [plain_text(e.runs) for s in slides for e in s.entries]
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
    assert [(e.marker, e.role) for e in slide.entries] == [("•", "body"), ("•", "body"), ("", "subheading"), ("", "body")]


def test_discussion_uses_readme_topic_and_own_questions(planner):
    from deckbuild.day_readme import DayReadme

    readme = DayReadme(Path("README.md"), "Day", {}, {1: "README 주제"}, None, (), ())
    day = Day(Path("day_04"), 4, 1, readme, (SESSION,))
    document = parse_markdown('# S\n\n## 4. 토론 및 정리 (10분)\n\n### 토론 주제\n"왜일까요?"\n', Path("session_01.md"))
    deck = planner.plan(document, "과정", day, SESSION)
    last = deck.slides[-1]
    texts = [plain_text(e.runs) for e in last.entries]
    assert last.title == "토론 주제 (10분)" and "README 주제" in texts and "왜일까요?" in texts
    assert not any(s.title.startswith("4. 토론") for s in deck.slides[:-1])


def test_session_without_any_topic_gets_a_general_prompt(planner):
    deck = plan(planner, "# S\n\n## 1. 개요\n본문\n")
    assert plain_text(deck.slides[-1].entries[0].runs) == planner.text("general_prompt")
