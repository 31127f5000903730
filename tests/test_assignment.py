"""The one-page A4 assignment sheet, read back from the PDF as a person (and a PDF reader) would."""

from __future__ import annotations

from pathlib import Path

import pdfplumber
import pypdf
import pytest
from conftest import CORPUS, SAMPLE_COURSE

from deckbuild.assignment import assignment_html, build_assignment
from deckbuild.course import has_assignment
from deckbuild.course import read_day, read_settings
from deckbuild.i18n import text
from deckbuild.theme import load_theme

SAMPLE_DAY = SAMPLE_COURSE / "week_01" / "day_04"
CORPUS_DAY = CORPUS / "week_01" / "day_04"
A4 = (595.28, 841.89)
LONG_TOPIC = (
    "우리 팀이 운영하는 서비스 하나를 골라 현재 Dockerfile의 레이어 구성, 빌드 캐시 적중률, 베이스 이미지 선택, "
    "멀티 스테이지 구조, 태그 규칙과 레지스트리 정책, 취약점 스캔 결과까지 모두 분석하고 개선안을 근거와 함께 제시하기"
)


def squeeze(value: str) -> str:
    """Text without whitespace, so words wrapped onto a second line still match."""
    return "".join(value.split())


def write_day(root: Path, readme: str) -> Path:
    """A course with one day folder (week_02/day_07) holding the given README."""
    (root / "course.toml").write_text('title = "시험 과정"\norganisation = "시험 대학"\n', encoding="utf-8")
    day = root / "week_02" / "day_07"
    day.mkdir(parents=True)
    (day / "README.md").write_text(readme, encoding="utf-8")
    return day


def long_readme() -> str:
    """A day README whose assignment has nine long topics (with characters HTML must escape)."""
    topics = "\n".join(f"{n}. 긴 주제 {n}: {LONG_TOPIC} (a < b & c)" for n in range(1, 10))
    return f"# Week 2 - Day 7: 긴 과제\n\n## 📝 이론 과제\n다음 아홉 주제 중 하나를 골라 A4 2페이지 분량으로 정리하세요:\n{topics}\n"


@pytest.fixture(scope="module")
def sheets(tmp_path_factory) -> dict[str, Path]:
    """Sheets built once: the sample day, the corpus day (when present), nine long topics, the blank sheet."""
    out = tmp_path_factory.mktemp("sheets")
    long_course = tmp_path_factory.mktemp("long-course")
    jobs = {
        "sample": (SAMPLE_COURSE, SAMPLE_DAY),
        "long": (long_course, write_day(long_course, long_readme())),
        "blank": (SAMPLE_COURSE, ""),
    }
    if CORPUS_DAY.is_dir():
        jobs["corpus"] = (CORPUS, CORPUS_DAY)
    for name, (root, day) in jobs.items():
        build_assignment(str(root), str(day), str(out / f"{name}.pdf"))
    return {name: out / f"{name}.pdf" for name in jobs}


def page_text(pdf: Path) -> str:
    """The text a reader copies from the PDF."""
    with pdfplumber.open(pdf) as document:
        return "\n".join(page.extract_text() or "" for page in document.pages)


def font_files_missing(pdf: Path) -> list[str]:
    """Base names of the fonts (in the page and in the form's resources) that are not embedded."""
    reader = pypdf.PdfReader(pdf)
    font_tables = [page["/Resources"].get("/Font", {}) for page in reader.pages]
    acroform = reader.trailer["/Root"].get("/AcroForm")
    if acroform and "/DR" in acroform:
        font_tables.append(acroform["/DR"].get_object().get("/Font", {}))
    missing = []
    for table in font_tables:
        for font in table.get_object().values():
            font = font.get_object()
            descendant = font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font
            descriptor = descendant["/FontDescriptor"].get_object()
            if not any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3")):
                missing.append(str(font["/BaseFont"]))
    return missing


def assert_one_clean_a4_page(pdf: Path) -> None:
    """Exactly one A4 page, no character outside it, every font embedded."""
    with pdfplumber.open(pdf) as document:
        assert len(document.pages) == 1
        page = document.pages[0]
        assert page.width == pytest.approx(A4[0], abs=1) and page.height == pytest.approx(A4[1], abs=1)
        outside = [c["text"] for c in page.chars if not (0 <= c["x0"] <= c["x1"] <= page.width and 0 <= c["top"] <= c["bottom"] <= page.height)]
        assert outside == []
    assert font_files_missing(pdf) == []


DAY_SHEETS = [
    pytest.param("sample", SAMPLE_COURSE, SAMPLE_DAY, id="sample"),
    pytest.param("corpus", CORPUS, CORPUS_DAY, id="corpus", marks=pytest.mark.skipif(
        not CORPUS_DAY.is_dir(), reason="../shared/corpus is not present")),
]


@pytest.mark.parametrize("name, root, day_dir", DAY_SHEETS)
def test_day_sheet_is_one_a4_page_with_topics_header_and_fields(sheets, name, root, day_dir):
    pdf = sheets[name]
    assert_one_clean_a4_page(pdf)
    assignment = read_day(root, day_dir, []).readme.assignment
    assert len(assignment.topics) == 3 and assignment.pages == "A4 1페이지"
    words = squeeze(page_text(pdf))
    for expected in (*assignment.topics, read_settings(root).title, "이론 과제", "A4 1페이지", "Week 1 · Day 4"):
        assert squeeze(expected) in words
    fields = pypdf.PdfReader(pdf).get_fields()
    assert {"name", "student_id", "date", "answer", "topic_1", "topic_2", "topic_3"} <= set(fields)
    assert fields["answer"]["/FT"] == "/Tx" and fields["topic_1"]["/FT"] == "/Btn"


def test_answer_field_covers_most_of_the_page_and_is_multiline(sheets):
    reader = pypdf.PdfReader(sheets["sample"])
    widget = next(a.get_object() for a in reader.pages[0]["/Annots"] if a.get_object()["/T"] == "answer")
    left, top, right, bottom = (float(v) for v in widget["/Rect"])
    assert int(widget["/Ff"]) & (1 << 12)  # multiline
    assert abs(top - bottom) > A4[1] / 2 and abs(right - left) > A4[0] * 0.8
    assert "/MK" not in widget  # no border or background for the reader to draw over the ruled lines


def test_nine_long_topics_still_fit_one_page(sheets):
    pdf = sheets["long"]
    assert_one_clean_a4_page(pdf)
    words = squeeze(page_text(pdf))
    for n in range(1, 10):
        assert squeeze(f"긴 주제 {n}: {LONG_TOPIC} (a < b & c)") in words
    assert "A4 2페이지" in page_text(pdf)
    assert {f"topic_{n}" for n in range(1, 10)} <= set(pypdf.PdfReader(pdf).get_fields())


def test_blank_sheet_has_fields_and_a_free_topic_line(sheets):
    pdf = sheets["blank"]
    assert_one_clean_a4_page(pdf)
    content = page_text(pdf)
    assert "이론 과제" in content and read_settings(SAMPLE_COURSE).title in content
    assert squeeze(text("ko", "choose_topic")) not in squeeze(content)
    fields = pypdf.PdfReader(pdf).get_fields()
    assert {"name", "student_id", "date", "topic", "answer"} <= set(fields)
    assert fields["topic"]["/FT"] == "/Tx"
    assert not any(name.startswith("topic_") for name in fields)


def test_readme_text_is_escaped(tmp_path):
    day_dir = write_day(tmp_path, long_readme().replace("긴 과제", "<script>alert(1)</script>"))
    settings = read_settings(tmp_path)
    html = assignment_html(settings, load_theme(settings.theme, tmp_path), read_day(tmp_path, day_dir, []))
    assert "<script>" not in html and "< b" not in html and " & c" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "&lt; " in html and "&amp; " in html


def test_a_day_without_assignment_has_no_sheet(tmp_path):
    day_dir = write_day(tmp_path, "# Week 2 - Day 7\n\n## 🎯 학습 목표\n- 무엇인가 배우기\n")
    assert not has_assignment(read_day(tmp_path, day_dir, []))
    assert has_assignment(read_day(SAMPLE_COURSE, SAMPLE_DAY, []))
    with pytest.raises(ValueError, match="states no assignment"):
        build_assignment(str(tmp_path), str(day_dir), str(tmp_path / "sheet.pdf"))
    assert not (tmp_path / "sheet.pdf").exists()


def test_same_sheet_twice_gives_identical_bytes(sheets, tmp_path):
    again = tmp_path / "again.pdf"
    build_assignment(str(SAMPLE_COURSE), str(SAMPLE_DAY), str(again))
    assert again.read_bytes() == sheets["sample"].read_bytes()
