"""The one-step XML writers of pptx_xml write what python-pptx's own setters write."""

from __future__ import annotations

import copy

import pytest
from lxml import etree
from pptx import Presentation
from pptx.enum.text import MSO_ANCHOR, MSO_AUTO_SIZE
from pptx.oxml.ns import qn
from pptx.util import Emu, Pt

from deckbuild.pptx_xml import add_code_box, hangul_pieces, set_frame_layout, set_name, set_table_grid


def blank_slide():
    presentation = Presentation()
    return presentation.slides.add_slide(presentation.slide_layouts[6])


def xml(element) -> bytes:
    return etree.tostring(element)


@pytest.mark.parametrize("before", ["none", "shape-autofit", "warp"])
@pytest.mark.parametrize("anchor, inset", [(MSO_ANCHOR.TOP, 91440), (MSO_ANCHOR.MIDDLE, 0), (MSO_ANCHOR.BOTTOM, 45720)])
def test_frame_layout_is_python_pptxs_word_wrap_auto_size_anchor_and_margins(before, anchor, inset):
    shape = blank_slide().shapes.add_textbox(Pt(10), Pt(10), Pt(200), Pt(50))
    body = shape.text_frame._bodyPr
    if before == "shape-autofit":
        body.autofit = MSO_AUTO_SIZE.SHAPE_TO_FIT_TEXT
    elif before == "warp":
        etree.SubElement(body, qn("a:prstTxWarp"), prst="textNoShape")
        etree.SubElement(body, qn("a:scene3d"))
    ours, theirs = copy.deepcopy(shape._element), copy.deepcopy(shape._element)
    set_frame_layout(type(shape)(ours, shape._parent).text_frame, anchor, inset)
    frame = type(shape)(theirs, shape._parent).text_frame
    frame.word_wrap, frame.auto_size, frame.vertical_anchor = True, MSO_AUTO_SIZE.NONE, anchor
    frame.margin_left = frame.margin_right = frame.margin_top = frame.margin_bottom = Emu(inset)
    assert xml(ours) == xml(theirs)


def test_table_grid_is_python_pptxs_column_widths_and_row_heights():
    slide = blank_slide()
    widths, heights = [Pt(120), Pt(80), Pt(200)], [Pt(30), Pt(24), Pt(24), Pt(48)]
    ours = slide.shapes.add_table(4, 3, Pt(20), Pt(20), Pt(300), Pt(100))
    theirs = slide.shapes.add_table(4, 3, Pt(20), Pt(20), Pt(300), Pt(100))
    set_table_grid(ours, widths, heights)
    for column, width in zip(theirs.table.columns, widths):
        column.width = width
    for row, height in zip(theirs.table.rows, heights):
        row.height = height
    for frame in (ours, theirs):  # the two differ by id and name only
        frame._element[0][0].attrib.update({"id": "9", "name": "Table"})
    assert xml(ours._element) == xml(theirs._element)
    assert (ours.width, ours.height) == (sum(widths), sum(heights))


def test_a_shapes_name_is_written_as_python_pptx_writes_it():
    slide = blank_slide()
    for shape in (slide.shapes.add_textbox(0, 0, Pt(9), Pt(9)), slide.shapes.add_table(1, 1, 0, 0, Pt(9), Pt(9)),
                  slide.shapes.add_group_shape()):
        set_name(shape, "Code & <Diagram>")
        assert shape.name == "Code & <Diagram>"


def test_hangul_pieces_cut_text_into_hangul_and_the_rest_in_order():
    assert hangul_pieces("print('안녕 세상')  # 인사") == [
        ("print('", False), ("안녕", True), (" ", False), ("세상", True), ("')  # ", False), ("인사", True)]
    assert hangul_pieces("plain") == [("plain", False)]
    assert hangul_pieces("") == [("", False)]


@pytest.mark.parametrize("hangul_typeface", ["", "Body Face"])
def test_a_code_boxs_hangul_goes_in_runs_of_the_hangul_typeface_when_one_is_given(hangul_typeface):
    lines = [[("echo ", "0000FF"), ("'빌드 완료'", "008000")], [("# 끝", "808080")]]
    shape = add_code_box(blank_slide(), (0, 0, 914400, 914400), "Code", "F5F7FA", "D0D7E2", 45720, lines, 14, 16.8,
                         "Mono Face", "ko-KR", hangul_typeface)
    runs = [(run.text, run._r.rPr.find(qn("a:latin")).get("typeface"), run._r.rPr.find(qn("a:ea")).get("typeface"),
             str(run.font.color.rgb)) for paragraph in shape.text_frame.paragraphs for run in paragraph.runs]
    if not hangul_typeface:
        assert runs == [("echo ", "Mono Face", "Mono Face", "0000FF"), ("'빌드 완료'", "Mono Face", "Mono Face", "008000"),
                        ("# 끝", "Mono Face", "Mono Face", "808080")]
    else:
        mono, body = ("Mono Face",) * 2, ("Body Face",) * 2
        assert runs == [("echo ", *mono, "0000FF"), ("'", *mono, "008000"), ("빌드", *body, "008000"),
                        (" ", *mono, "008000"), ("완료", *body, "008000"), ("'", *mono, "008000"),
                        ("# ", *mono, "808080"), ("끝", *body, "808080")]
