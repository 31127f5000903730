"""The composition report (benchmarks/composition.py) on small hand-made decks and on the sample build."""

from __future__ import annotations

import io
import sys
from pathlib import Path

from PIL import Image
from pptx import Presentation
from pptx.util import Pt

from conftest import SAMPLE_COURSE

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
import composition  # noqa: E402

TITLE_LAYOUT, TITLE_ONLY_LAYOUT = 0, 5


def png() -> io.BytesIO:
    """A tiny picture to put on a slide."""
    data = io.BytesIO()
    Image.new("RGB", (8, 8), "white").save(data, format="PNG")
    data.seek(0)
    return data


def add_slide(presentation, title: str, text: str = "", picture: bool = False):
    """A title-only slide with an optional text box and an optional picture."""
    slide = presentation.slides.add_slide(presentation.slide_layouts[TITLE_ONLY_LAYOUT])
    slide.shapes.title.text = title
    if text:
        slide.shapes.add_textbox(Pt(40), Pt(100), Pt(600), Pt(200)).text_frame.text = text
    if picture:
        slide.shapes.add_picture(png(), Pt(40), Pt(100), Pt(200), Pt(200))
    return slide


def deck(*contents) -> Presentation:
    """A deck with a title slide, an agenda, the given (title, text, picture) slides and a discussion slide."""
    presentation = Presentation()
    presentation.slides.add_slide(presentation.slide_layouts[TITLE_LAYOUT]).shapes.title.text = "Session 1: 제목"
    add_slide(presentation, "목차", "짧은 목차")
    for title, text, picture in contents:
        add_slide(presentation, title, text, picture)
    add_slide(presentation, "토론 주제", "짧은 질문")
    return presentation


def add_diagram(slide, size: float, stretch: float = 1.0) -> None:
    """A group (a native diagram) holding one text of size points, its extent stretched by stretch."""
    group = slide.shapes.add_group_shape()
    box = group.shapes.add_textbox(Pt(40), Pt(100), Pt(200), Pt(50))
    box.text_frame.text = "상자"
    box.text_frame.paragraphs[0].runs[0].font.size = Pt(size)
    group.width = int(group.width * stretch)


def test_a_lead_in_before_a_picture_of_its_section_is_stranded():
    presentation = deck(("설명", "아래 그림을 보세요.", False), ("설명 (계속)", "", True))
    report = composition.session_report("s", presentation, "# Session 1: 제목")
    assert report.slides == 5
    assert (report.near_empty, report.stranded, report.stray_lines) == (1, 1, 1)


def test_a_short_slide_before_another_section_is_near_empty_but_not_stranded():
    presentation = deck(("설명", "첫 줄\n둘째 줄", False), ("다른 절", "", True))
    report = composition.session_report("s", presentation, "")
    assert (report.near_empty, report.stranded, report.stray_lines) == (1, 0, 0)


def test_long_text_agenda_and_discussion_are_not_near_empty():
    presentation = deck(("설명", "가" * 60, False), ("설명 (계속)", "", True))
    assert composition.session_report("s", presentation, "").near_empty == 0


def test_a_solid_rectangle_with_text_is_a_code_box():
    presentation = deck(("코드", "", False))
    box = presentation.slides[2].shapes.add_shape(1, Pt(40), Pt(100), Pt(400), Pt(100))
    box.fill.solid()
    box.text_frame.text = "docker build ."
    views = composition.read_deck(presentation)
    assert (views[2].visuals, views[2].body) == (1, [])
    assert "docker" in views[2].text


def test_a_word_missing_from_the_slides_lowers_the_share():
    presentation = deck(("설명", "레이어라는 구조", False))
    markdown = (
        "# Session 1: 제목\n\n## 설명\n**레이어**라는 [구조](https://example.com/숨은경로)\n"
        '<div align="center">\n\n빠진단어\n\n```mermaid\nflowchart LR\n  그림속 --> 단어\n```\n'
    )
    report = composition.session_report("s", presentation, markdown)
    assert report.missing == ["빠진단어"]
    assert 0 < report.words_shown < 1


def test_source_words_skip_markup_and_keep_code():
    counts = composition.source_words(
        "```bash\ndocker run 이미지\n```\n[링크](target/경로) <img src=\"a.png\"> `<p>`를 Docker의 EC2\n"
    )
    assert set(counts) == {"docker", "run", "이미지", "링크", "Docker", "EC"}


def test_diagram_text_sizes_as_shown_on_the_slide():
    presentation = deck(("그림", "", False), ("큰 그림", "", False))
    add_diagram(presentation.slides[2], 8)
    add_diagram(presentation.slides[3], 8, stretch=2)
    report = composition.session_report("s", presentation, "")
    assert report.diagram_sizes == [8, 16]
    distribution = composition.totals([report])["diagram_sizes"]
    assert (distribution["count"], distribution["under_12pt"], distribution["min"]) == (2, 1, 8)


def test_report_over_the_sample_build(sample_build):
    sessions = composition.course_report(SAMPLE_COURSE, sample_build / "decks")
    total = composition.totals(sessions)
    assert total["sessions"] == len(sessions) == 8
    assert all(0 <= s.words_shown <= 1 for s in sessions)
    for name in ("near_empty", "stranded", "stray_lines"):
        assert 0 <= total[name]["share"] <= 1
    assert 0 <= total["diagram_sizes"]["share_under_12pt"] <= 1
    assert 0 < total["words_shown_average"] <= 1
