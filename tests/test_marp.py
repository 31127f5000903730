"""Marp decks: read as Marp reads them, built into editable, fitted decks, read back as a person sees them."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import SAMPLE_COURSE
from deck_reading import NAMESPACE, notes_text, open_deck, slide_text, slide_title
from pptx.enum.shapes import PP_PLACEHOLDER

from deckbuild.cli import main
from deckbuild.course import find_marp_decks
from deckbuild.document import Callout, CodeBlock, Paragraph
from deckbuild.marp import read_marp
from deckbuild.marp_css import read_stylesheet
from deckbuild.overflow import overlapping_text_boxes, render_pdfs, words_out_of_place
from deckbuild.runner import build_course

SAMPLE_DECK = Path("week_01") / "day_04" / "lectures" / "image_recap.md"
PICTURE = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}embed"


def marp_file(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "deck.md"
    path.write_text(text, encoding="utf-8")
    return path


# --- reading ------------------------------------------------------------------------


def test_slides_are_cut_at_rules_and_at_the_heading_divider(tmp_path):
    deck = read_marp(marp_file(tmp_path, (
        "---\nmarp: true\nheadingDivider: 2\n---\n\n# 첫 장\n\n문단\n\n## 둘째 장\n\n- 항목\n\n"
        "```bash\n# 코드 속 ---\n---\n```\n\n---\n\n### 셋째 장\n\n#### 넷째가 아님\n"
    )))
    assert [block.title for slide in deck.slides for block in slide.blocks[:1]] == ["첫 장", "둘째 장", "셋째 장"]
    listed = read_marp(marp_file(tmp_path, "---\nmarp: true\nheadingDivider: [1, 3]\n---\n# 하나\n## 둘\n### 셋\n"))
    assert [[block.title for block in slide.blocks] for slide in listed.slides] == [["하나", "둘"], ["셋"]]
    assert isinstance(deck.slides[1].blocks[-1], CodeBlock)  # a rule inside a code block cuts nothing
    assert deck.slides[0].line == 5 and deck.slides[2].blocks[0].line == 21  # the file's own lines


def test_directives_apply_from_their_slide_on_or_to_one_slide_and_other_comments_are_notes(tmp_path):
    deck = read_marp(marp_file(tmp_path, (
        "---\nmarp: true\npaginate: true\nfooter: 발표자\n_class: lead\n---\n\n# 하나\n\n<!-- 첫 장의 노트 -->\n\n---\n\n"
        "<!-- _paginate: false -->\n<!-- backgroundColor: #fff8e1 -->\n<!-- color: navy -->\n\n# 둘\n\n---\n\n"
        "# 셋\n\n<!--\n중요: 이 문장은 노트입니다\n-->\n"
    )))
    settings = [slide.settings for slide in deck.slides]
    assert [s.paginate for s in settings] == [True, False, True]
    assert [s.lead for s in settings] == [True, False, False]  # `_class` of the front matter: the first slide only
    assert [s.background for s in settings] == [None, "FFF8E1", "FFF8E1"]
    assert [s.color for s in settings] == [None, "000080", "000080"]
    assert {s.footer for s in settings} == {"발표자"}
    odd = read_marp(marp_file(tmp_path, "---\nmarp: true\nbackgroundColor: 보라\nfooter: **굵게** 끝\n---\n# 하나\n"))
    assert odd.slides[0].settings.background is None and odd.slides[0].settings.footer == "굵게 끝"
    assert "backgroundColor 보라 (not a CSS colour)" in odd.diagnostics[0].message
    assert [slide.notes for slide in deck.slides] == [("첫 장의 노트",), (), ("중요: 이 문장은 노트입니다",)]


def test_picture_keywords_make_backdrops_and_sizes(tmp_path):
    deck = read_marp(marp_file(tmp_path, (
        "---\nmarp: true\n---\n\n# 그림\n\n![bg left:30% contain](a.png)\n\n![w:300 레이어 그림](b.png)\n\n"
        "![height:2in](c.png)\n\n---\n\n![bg](d.png)\n![bg blur](e.png)\n"
    )))
    first, second = deck.slides
    (backdrop,) = first.backdrops
    assert (backdrop.side, backdrop.share, backdrop.fit, backdrop.image.src) == ("left", 0.3, "contain", "a.png")
    sized, tall = first.blocks[1:]
    assert (sized.src, sized.alt, sized.width, sized.height) == ("b.png", "레이어 그림", 225.0, None)  # 300 px at 0.75 pt
    assert (tall.width, tall.height) == (None, 144.0)
    assert [(b.side, b.image.src) for b in second.backdrops] == [("", "d.png"), ("", "e.png")]
    (note,) = deck.diagnostics
    assert "background picture keyword blur" in note.message


def test_a_div_with_a_class_holds_its_blocks_and_css_gives_it_colours(tmp_path):
    deck = read_marp(marp_file(tmp_path, (
        "---\nmarp: true\nstyle: |\n  .tip { background-color: #e3f2fd; border-left: 4px solid rgb(25, 118, 210); color: #0d47a1 }\n"
        "  section { font-size: 30px }\n---\n\n# 상자\n\n<div class=\"tip\">\n\n**팁**: 본문\n\n- 항목\n\n</div>\n\n"
        "<div class=\"tip\">붙여 쓴 상자</div>\n"
    )))
    callouts = [block for block in deck.slides[0].blocks if isinstance(block, Callout)]
    assert [c.classes for c in callouts] == [("tip",), ("tip",)]
    assert isinstance(callouts[0].blocks[0], Paragraph) and len(callouts[0].blocks) == 2
    assert "붙여 쓴 상자" in "".join(run.text for run in callouts[1].blocks[0].runs)
    style = deck.styles["tip"]
    assert (style.fill, style.border, style.border_width, style.color) == ("E3F2FD", "1976D2", 3.0, "0D47A1")
    assert "CSS section { font-size }" in deck.diagnostics[0].message


def test_style_blocks_add_rules_and_comments_in_a_paragraph_are_notes(tmp_path):
    deck = read_marp(marp_file(tmp_path, (
        "---\nmarp: true\n---\n\n# 하나\n\n문단 <!-- 문장 속 노트 --> 계속 <!-- _paginate: true -->\n\n"
        "<style>\n.box { background-color: #eeeeee }\n</style>\n\n<style scoped>\n.box { color: red }\n</style>\n"
    )))
    (slide,) = deck.slides
    assert slide.notes == ("문장 속 노트",) and slide.settings.paginate
    assert deck.styles["box"].fill == "EEEEEE" and deck.styles["box"].color is None
    assert "<style scoped>" in deck.diagnostics[0].message and deck.diagnostics[0].line == 13


def test_css_that_is_not_a_simple_class_rule_is_listed_not_used():
    sheet = read_stylesheet("@import 'x.css';\n.a, div.b { background: rgba(0, 0, 0, 0.5); padding: 4px }\nsection h1 { color: red }")
    assert sheet.classes["a"] == sheet.classes["b"] and sheet.classes["a"].fill == "808080"  # blended over white
    assert sheet.ignored == ("@import", ".a, div.b { padding }", "section h1 { color }")


def test_marp_decks_are_found_by_front_matter_or_course_toml(tmp_path):
    (tmp_path / "lectures").mkdir()
    (tmp_path / "lectures" / "a.md").write_text("---\nmarp: true\n---\n# A\n", encoding="utf-8")
    (tmp_path / "lectures" / "b.md").write_text("# B\n", encoding="utf-8")
    (tmp_path / "notes.md").write_text("---\ntitle: x\n---\n# C\n", encoding="utf-8")
    (tmp_path / "session_01.md").write_text("---\nmarp: true\n---\n# Session 1: 세션\n", encoding="utf-8")
    assert find_marp_decks(tmp_path) == [tmp_path / "lectures" / "a.md"]
    assert find_marp_decks(tmp_path, ("lectures/*.md",)) == [tmp_path / "lectures" / "a.md", tmp_path / "lectures" / "b.md"]


def test_a_listed_deck_that_is_not_utf8_is_one_error_and_the_rest_builds(tmp_path, capfd):
    (tmp_path / "course.toml").write_text('decks = ["old/*.md"]\n', encoding="utf-8")
    (tmp_path / "old").mkdir()
    (tmp_path / "old" / "bad.md").write_bytes("# 슬라이드\n".encode("euc-kr"))
    (tmp_path / "worse.md").write_bytes("---\nmarp: true\n---\n# 슬라이드\n".encode("euc-kr"))  # found by its front matter
    marp_file(tmp_path, "---\nmarp: true\n---\n# 좋은 슬라이드\n")
    assert main(["build", str(tmp_path), "-o", str(tmp_path / "out"), "--only", "decks"]) == 1
    errors = capfd.readouterr().err
    assert f"{tmp_path / 'old' / 'bad.md'}:0: error: not UTF-8" in errors and f"{tmp_path / 'worse.md'}:0: error: not UTF-8" in errors
    assert [p.name for p in (tmp_path / "out" / "decks").rglob("*.pptx")] == ["deck.pptx"]


# --- the sample deck, built ------------------------------------------------------------


@pytest.fixture(scope="module")
def marp_course(tmp_path_factory) -> Path:
    """The sample course with its Marp deck and pictures, without the sessions (whose decks other tests build)."""
    course = tmp_path_factory.mktemp("marp") / "course"
    shutil.copytree(SAMPLE_COURSE, course, ignore=shutil.ignore_patterns("session_*.md"))
    return course


@pytest.fixture(scope="module")
def built(marp_course, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("marp-out")
    result = build_course(marp_course, out, only=("decks",))
    assert result.status == 0 and "deck:week_01/day_04/lectures/image_recap" in result.record.ran
    return out / "decks" / SAMPLE_DECK.with_suffix(".pptx")


def test_every_marp_slide_is_a_slide_and_what_overflows_continues(built):
    deck = read_marp(SAMPLE_COURSE / SAMPLE_DECK)
    slides = list(open_deck(built).slides)
    titles = [slide_title(slide) for slide in slides]
    continued = [title for title in titles if title.endswith("(계속)")]
    assert continued and len(slides) == len(deck.slides) + len(continued)
    for index, title in enumerate(titles):
        if title.endswith("(계속)"):
            assert titles[index - 1].removesuffix(" (계속)") == title.removesuffix(" (계속)")
    assert not {"목차", "토론 주제"} & {title.split(" (")[0] for title in titles}  # nothing added to the author's deck
    assert round(open_deck(built).slide_width / open_deck(built).slide_height, 2) == round(4 / 3, 2)


def test_notes_numbers_header_and_footer_follow_the_directives(built):
    slides = list(open_deck(built).slides)
    by_title = {slide_title(slide): slide for slide in slides}
    assert "화살표를 따라가며" in notes_text(by_title["빌드 캐시는 이렇게 판단한다"])
    assert "인사 후 오늘의 흐름" in notes_text(slides[0])
    assert not any("_class" in notes_text(slide) or "paginate" in notes_text(slide) for slide in slides)
    for number, slide in enumerate(slides, start=1):
        fields = [f.findtext("a:t", namespaces=NAMESPACE) for f in slide._element.findall(".//a:fld[@type='slidenum']", NAMESPACE)]
        assert fields == ([] if number == 1 else [str(number)])  # `_paginate: false` on the lead slide
        headers = [shape.text_frame.text for shape in slide.shapes if shape.name == "Header"]
        assert headers == ([] if number == 1 else ["Week 1 · Day 4 복습"])  # `_header: ''` on the first
        footers = [s.text_frame.text for s in slide.placeholders if s.placeholder_format.type == PP_PLACEHOLDER.FOOTER]
        assert footers == ([] if number == len(slides) else ["DevOps 부트캠프 · 컨테이너 이미지"])  # markdown shown as text


def test_lead_slides_are_centred_title_slides(built):
    slides = list(open_deck(built).slides)
    for slide in (slides[0], slides[-1]):
        assert slide.slide_layout.name == "Title Slide"
        assert slide.shapes.title.text_frame.paragraphs[0].alignment == 2  # PP_ALIGN.CENTER
    assert "내일은 이 이미지들을 쿠버네티스에 올립니다" in slide_text(slides[-1])  # its callout, under the title


def test_callouts_have_the_fill_and_bar_the_css_gives_them(built):
    found = {}
    for slide in open_deck(built).slides:
        shapes = list(slide.shapes)
        for index, shape in enumerate(shapes):
            if shape.name == "Callout":
                bar = shapes[index + 1]
                assert bar.name == "Callout bar" and (bar.left, bar.top, bar.height) == (shape.left, shape.top, shape.height)
                found[shape.text_frame.text.split()[0]] = (str(shape.fill.fore_color.rgb), str(bar.fill.fore_color.rgb),
                                                           round(bar.width / 12700, 1))
    assert found["핵심:"] == found["내일은"] == ("FFF4E5", "F57C00", 6.0)  # .highlight: an 8px bar
    assert found["빌드"] == ("FDECEA", "C62828", 4.5)  # div.warning: a 6px bar


def test_backgrounds_colours_and_picture_sizes(built, marp_course):
    presentation = open_deck(built)
    width = presentation.slide_width
    slides = {slide_title(slide): slide for slide in presentation.slides}
    cover = presentation.slides[0]
    blip = cover._element.find("p:cSld/p:bg/p:bgPr/a:blipFill/a:blip", NAMESPACE)
    picture = cover.part.related_part(blip.get(PICTURE))
    assert picture.blob == (marp_course / SAMPLE_DECK.parent / "images" / "container-backdrop.png").read_bytes()
    assert {r.get("val") for r in cover.shapes.title._element.iterfind(".//a:rPr/a:solidFill/a:srgbClr", NAMESPACE)} == {"FFFFFF"}

    layers = [s for s in slides["이미지는 레이어의 묶음"].shapes if s.name == "Background picture"]
    assert len(layers) == 1 and layers[0].left + layers[0].width <= width and layers[0].left >= width * 0.6 - 12700
    gates = slides["스캔 게이트 네 곳"]
    assert gates._element.find("p:cSld/p:bg/p:bgPr/a:solidFill/a:srgbClr", NAMESPACE).get("val") == "1F3A5F"
    (left,) = [s for s in gates.shapes if s.name == "Background picture"]
    assert left.left >= 0 and left.left + left.width <= width * 0.35 + 12700  # contained in the left 35%
    assert all(shape.left >= width * 0.35 for shape in gates.shapes if shape.has_text_frame and shape.text_frame.text.strip())

    sized = [s for s in slides["자주 바뀌는 것은 아래로"].shapes if s.name == "Picture"]
    assert round(sized[0].width / 12700) == 315  # ![w:420]: 420 px at 0.75 pt
    tall = [s for s in slides["측정 없는 최적화는 없다"].shapes if s.name == "Picture"]
    assert round(tall[0].height / 12700) == 112 and any(s.has_table for s in slides["측정 없는 최적화는 없다"].shapes)


def test_mermaid_is_a_native_diagram(built):
    slide = {slide_title(s): s for s in open_deck(built).slides}["빌드 캐시는 이렇게 판단한다"]
    (diagram,) = [shape for shape in slide.shapes if shape.name == "Diagram"]
    assert diagram.shape_type == 6  # a group of editable shapes
    assert slide._element.findall(".//p:cxnSp", NAMESPACE) and "캐시 적중" in "".join(
        t.text or "" for t in diagram._element.iterfind(".//a:t", NAMESPACE))


def test_several_bg_pictures_share_the_background_side_by_side(tmp_path):
    from PIL import Image as PillowImage

    for name, colour in (("red.png", (220, 0, 0)), ("blue.png", (0, 0, 220))):
        PillowImage.new("RGB", (300, 200), colour).save(tmp_path / name)
    marp_file(tmp_path, "---\nmarp: true\n---\n\n# 나란히\n\n![bg](red.png)\n![bg](blue.png)\n")
    assert build_course(tmp_path, tmp_path / "out", only=("decks",)).status == 0
    (slide,) = open_deck(tmp_path / "out" / "decks" / "deck.pptx").slides
    blip = slide._element.find("p:cSld/p:bg/p:bgPr/a:blipFill/a:blip", NAMESPACE)
    import io

    with PillowImage.open(io.BytesIO(slide.part.related_part(blip.get(PICTURE)).blob)) as background:
        width, height = background.size
        assert round(width / height, 2) == round(16 / 9, 2)
        assert background.convert("RGB").getpixel((width // 4, height // 2)) == (220, 0, 0)
        assert background.convert("RGB").getpixel((3 * width // 4, height // 2)) == (0, 0, 220)


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_no_word_runs_off_its_box(built, tmp_path):
    pdf = render_pdfs([built], tmp_path)[built]
    assert [p.format() for p in words_out_of_place(built, pdf)] == []
    assert [p.format() for p in overlapping_text_boxes(built)] == []


def test_rebuilds_follow_the_deck_and_its_pictures_and_equal_inputs_give_equal_bytes(marp_course, built, tmp_path):
    out = built.parents[4]
    assert build_course(marp_course, out, only=("decks",)).record.ran == []
    picture = marp_course / "week_01" / "images" / "scan-gates.svg"
    picture.write_text(picture.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert build_course(marp_course, out, only=("decks",)).record.ran == ["deck:week_01/day_04/lectures/image_recap"]
    again = tmp_path / "again"
    assert build_course(marp_course, again, only=("decks",)).status == 0
    assert (again / "decks" / SAMPLE_DECK.with_suffix(".pptx")).read_bytes() == built.read_bytes()


def test_check_says_once_what_was_not_honoured(marp_course, capsys):
    main(["check", str(marp_course)])
    notes = [line for line in capsys.readouterr().out.splitlines() if "Marp features not honoured" in line]
    assert len(notes) == 1 and "CSS section { font-size }" in notes[0] and notes[0].startswith(str(marp_course / SAMPLE_DECK))
