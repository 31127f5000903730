"""The one-step XML writers of pptx_xml write what python-pptx's own setters write."""

from __future__ import annotations

import copy

import pytest
from lxml import etree
from pptx import Presentation
from pptx.enum.text import MSO_ANCHOR, MSO_AUTO_SIZE
from pptx.oxml.ns import qn
from pptx.util import Emu, Pt

from deckbuild.pptx_xml import set_frame_layout, set_name, set_table_grid


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
