"""Decks rendered by LibreOffice, checked as a person would look at them: nothing runs off a
slide or out of its box, no text boxes overlap, type stays readable, Hangul uses a Hangul font."""

from __future__ import annotations

import shutil

import pytest
from conftest import CORPUS, SAMPLE_COURSE
from deck_reading import NAMESPACE, open_deck

from deckbuild.overflow import overlapping_text_boxes, render_pdfs, words_out_of_place
from deckbuild.theme import load_theme

pytestmark = pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")

MONO = "Noto Sans Mono CJK KR"
MASTER_BODY_SIZE = load_theme("default", SAMPLE_COURSE).sizes.body * 100  # our master's body size, 1/100 pt


@pytest.fixture(scope="module", params=["sample", "corpus"])
def rendered(request, tmp_path_factory):
    """(deck, pdf) pairs for every deck of the sample course and of the real corpus day."""
    if request.param == "corpus" and not CORPUS.is_dir():
        pytest.skip("../shared/corpus is not present")
    out = request.getfixturevalue(f"{request.param}_build")
    decks = sorted((out / "decks").rglob("*.pptx"))
    pdfs = render_pdfs(decks, tmp_path_factory.mktemp(f"{request.param}-pdf"))
    return [(deck, pdfs[deck]) for deck in decks]


def test_every_deck_converts_one_page_per_slide_with_hangul_font(rendered):
    import pdfplumber

    assert len([deck for deck, _ in rendered if deck.stem.startswith("session")]) == 8
    for deck, pdf in rendered:
        with pdfplumber.open(pdf) as document:
            assert len(document.pages) == len(open_deck(deck).slides)
            hangul = [c for c in document.pages[0].chars if "\uac00" <= c["text"] <= "\ud7a3"]
        assert hangul and all("CJK" in c["fontname"] for c in hangul), deck


def test_no_word_outside_its_slide_or_box(rendered):
    problems = [p.format() for deck, pdf in rendered for p in words_out_of_place(deck, pdf)]
    assert problems == []


def test_no_two_text_boxes_overlap(rendered):
    problems = [p.format() for deck, _ in rendered for p in overlapping_text_boxes(deck)]
    assert problems == []


def test_type_never_below_the_minimums(rendered):
    for deck, _ in rendered:
        for number, slide in enumerate(open_deck(deck).slides, start=1):
            for table_run in slide._element.iterfind(".//a:tbl//a:rPr", NAMESPACE):
                assert int(table_run.get("sz")) >= 1200, (deck, number)
            # diagrams have their own minimum (10 pt, or a 'dense' diagnostic), so groups are left out, and so
            # are the footer, slide number and a Marp deck's header; a run without a size has its placeholder's,
            # the master's body size or more
            chrome = ".//p:ph[@type='ftr' or @type='sldNum' or @type='dt'] or p:nvSpPr/p:cNvPr[@name='Header']"
            for run in slide._element.xpath(f"./p:cSld/p:spTree/p:sp[not({chrome})]//a:rPr"):
                latin = run.find("a:latin", NAMESPACE)
                in_code_box = run.xpath("ancestor::p:sp[1]/p:nvSpPr/p:cNvPr/@name") == ["Code"]
                minimum = 1200 if in_code_box or (latin is not None and latin.get("typeface") == MONO) else 1600
                size = int(run.get("sz") or MASTER_BODY_SIZE)
                assert size >= minimum, (deck, number, run.getparent().findtext("a:t", namespaces=NAMESPACE))


def test_the_check_catches_text_running_out_of_its_box(tmp_path):
    from pptx import Presentation
    from pptx.util import Pt

    presentation = Presentation()
    slide = presentation.slides.add_slide(presentation.slide_layouts[6])
    box = slide.shapes.add_textbox(Pt(20), Pt(20), Pt(200), Pt(40))
    box.text_frame.word_wrap = True
    box.text_frame.text = "넘치는 문장입니다. " * 30
    deck = tmp_path / "overflowing.pptx"
    presentation.save(deck)
    pdf = render_pdfs([deck], tmp_path)[deck]
    problems = words_out_of_place(deck, pdf)
    assert problems and all("outside every box" in p.message or "runs off" in p.message for p in problems)
