"""Built decks, read back with python-pptx: structure, text coverage, fonts, pictures."""

from __future__ import annotations

import hashlib
import io
import re
import zipfile

from fontTools.ttLib import TTFont
from lxml import etree

import pytest
from conftest import CORPUS, SAMPLE_COURSE
from deck_reading import NAMESPACE, notes_text, open_deck, shapes_inside_slide, slide_text, slide_title, squash

from deckbuild.course import discover
from deckbuild.discussion import find_discussion
from deckbuild.document import Heading, Paragraph, iter_blocks, plain_text, read_document
from deckbuild.font_embedding import read_eot
from deckbuild.theme import BUILTIN_THEMES, load_theme

HANGUL = re.compile("[\uac00-\ud7a3]+")
RELATIONSHIP_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
SVG_BLIP = "{http://schemas.microsoft.com/office/drawing/2016/SVG/main}svgBlip"


def decks_of(course_root, out):
    course = discover(course_root)
    for session in course.sessions:
        deck = out / "decks" / session.relative.with_suffix(".pptx")
        yield course, session, deck


@pytest.fixture(scope="module", params=["sample", "corpus"])
def built(request, sample_build, tmp_path_factory):
    if request.param == "sample":
        return SAMPLE_COURSE, sample_build
    return CORPUS, request.getfixturevalue("corpus_build")


def test_every_session_has_a_deck(built):
    root, out = built
    decks = [deck for _, _, deck in decks_of(root, out)]
    assert len(decks) == 8 and all(deck.is_file() for deck in decks)


def test_titles_first_and_last_slides(built):
    root, out = built
    for course, session, deck in decks_of(root, out):
        presentation = open_deck(deck)
        slides = list(presentation.slides)
        assert all(slide_title(slide).strip() for slide in slides), deck
        document = read_document(session.path)
        assert slides[0].slide_layout.name == "Title Slide"
        assert slide_title(slides[0]) == document.title
        discussion = trailing_discussion(slides)
        assert discussion and "토론" in slide_title(slides[-1])
        topic = course.day_of(session).readme.topics[session.number]
        assert all(topic in slide_text(slide) for slide in discussion)  # the topic stays in view on each
        shown = squash("".join(slide_text(slide) for slide in discussion))
        own = find_discussion(document)
        for question in own.questions if own else ():
            assert squash(question) in shown, (deck, question)


def trailing_discussion(slides) -> list:
    """The discussion slides at the end of a deck (the first titled 토론 주제, the rest its continuations)."""
    first = max(i for i, slide in enumerate(slides) if not slide_title(slide).endswith("(계속)") or i == 0)
    return slides[first:]


def test_every_heading_and_paragraph_is_in_slides_or_notes(built):
    root, out = built
    for _, session, deck in decks_of(root, out):
        presentation = open_deck(deck)
        everything = squash("\n".join(slide_title(s) + slide_text(s) + notes_text(s) for s in presentation.slides))
        for block in iter_blocks(read_document(session.path).blocks):
            if isinstance(block, Heading):
                assert squash(block.title) in everything, (deck, block)
            elif isinstance(block, Paragraph):
                assert squash(plain_text(block.runs)) in everything, (deck, block.line)


def test_every_run_names_east_asian_font_and_language(sample_build):
    """Every run names its East-Asian font (a theme font or the code font) and the language; a run
    without a size is in a placeholder, whose master style gives it."""
    for _, _, deck in decks_of(SAMPLE_COURSE, sample_build):
        for slide in open_deck(deck).slides:
            for shape in slide._element.iterfind(".//p:sp", NAMESPACE):
                in_placeholder = shape.find("p:nvSpPr/p:nvPr/p:ph", NAMESPACE) is not None
                for run_properties in shape.iterfind(".//a:r/a:rPr", NAMESPACE):
                    assert run_properties.get("lang") == "ko-KR"
                    assert run_properties.find("a:ea", NAMESPACE) is not None
                    assert run_properties.get("sz") or in_placeholder


def test_code_shows_its_hangul_in_the_body_face_so_decks_share_one_code_face_cut(built):
    """The default theme's code face draws Hangul with the body face's very glyphs (one collection,
    see font_embedding.same_hangul): code's Hangul is in runs of the body face, which every deck
    embeds with all syllables, and no deck cuts Hangul into its code face, so most decks embed the
    same code face bytes (converted once on a machine, not once per deck)."""
    root, out = built
    theme = load_theme("default", BUILTIN_THEMES.parent)
    code_faces: dict[bytes, int] = {}
    for _, _, deck in decks_of(root, out):
        hangul_in_code = 0
        for slide in open_deck(deck).slides:
            for shape in slide._element.iterfind(".//p:sp", NAMESPACE):
                if shape.find("p:nvSpPr/p:cNvPr", NAMESPACE).get("name") != "Code":
                    continue
                for run in shape.iterfind(".//a:r", NAMESPACE):
                    text = run.findtext("a:t", namespaces=NAMESPACE)
                    faces = {run.find(f"a:rPr/a:{slot}", NAMESPACE).get("typeface") for slot in ("latin", "ea")}
                    if HANGUL.search(text):
                        hangul_in_code += 1
                        assert faces == {theme.fonts.east_asian} and HANGUL.fullmatch(text), text
                    else:
                        assert faces == {theme.fonts.mono}, text
        if hangul_in_code:
            code_face = embedded_face(deck, theme.fonts.mono)
            assert not any(0xAC00 <= code <= 0xD7A3 for code in TTFont(io.BytesIO(code_face)).getBestCmap())
            code_faces[code_face] = code_faces.get(code_face, 0) + 1
    assert code_faces and max(code_faces.values()) >= 2


def test_a_linked_code_span_with_hangul_is_linked_in_every_run(tmp_path):
    from deckbuild.cli import main

    day = tmp_path / "course" / "week_01" / "day_01"
    day.mkdir(parents=True)
    (day / "session_01.md").write_text(
        "# Session 1: 링크\n\n## 설치 (10분)\n\n문서는 [`설치 guide 보기`](https://example.com/install)에 있습니다.\n",
        encoding="utf-8")
    assert main(["build", str(tmp_path / "course"), "-o", str(tmp_path / "out"), "--only", "decks"]) == 0
    deck = open_deck(tmp_path / "out" / "decks" / "week_01" / "day_01" / "session_01.pptx")
    runs = [run for slide in deck.slides for shape in slide.shapes if shape.has_text_frame
            for paragraph in shape.text_frame.paragraphs for run in paragraph.runs]
    linked = [run for run in runs if run.hyperlink.address == "https://example.com/install"]
    assert "".join(run.text for run in linked) == "설치 guide 보기"
    assert len(linked) == 3  # Hangul, the rest, Hangul


def embedded_face(deck, typeface: str) -> bytes:
    """The font data of typeface's regular face embedded in deck (EOT header taken off)."""
    with zipfile.ZipFile(deck) as archive:
        presentation = etree.fromstring(archive.read("ppt/presentation.xml"))
        relationships = etree.fromstring(archive.read("ppt/_rels/presentation.xml.rels"))
        font = next(f for f in presentation.iterfind(".//p:embeddedFont", NAMESPACE)
                    if f.find("p:font", NAMESPACE).get("typeface") == typeface)
        part_id = font.find("p:regular", NAMESPACE).get(RELATIONSHIP_ID)
        target = next(r.get("Target") for r in relationships if r.get("Id") == part_id)
        return read_eot(archive.read(f"ppt/{target}")).font_data


def test_pictures_have_alt_text_and_svg_keeps_png_fallback(sample_build):
    pictures = 0
    for _, _, deck in decks_of(SAMPLE_COURSE, sample_build):
        for slide in open_deck(deck).slides:
            for shape in slide.shapes:
                if shape.shape_type == 13:  # picture
                    pictures += 1
                    properties = shape._element.nvPicPr.cNvPr
                    assert properties.get("descr") or "decorative" in etree.tostring(properties).decode()
                    assert shape.image.content_type == "image/png"
                    assert shape._element.find(f".//{SVG_BLIP}") is not None
    assert pictures >= 6


def test_shapes_stay_inside_the_slide(built):
    root, out = built
    for _, _, deck in decks_of(root, out):
        assert shapes_inside_slide(open_deck(deck)) == []


def test_agenda_lists_sections_with_minutes(sample_build):
    _, session, deck = next(decks_of(SAMPLE_COURSE, sample_build))
    agenda = list(open_deck(deck).slides)[1]
    assert slide_title(agenda) == "목차"
    assert "(5분)" in slide_text(agenda)


def test_two_builds_give_identical_outputs(tmp_path, sample_build):
    from conftest import build

    assert build(SAMPLE_COURSE, tmp_path) == 0
    outputs = sorted(p for kind in ("decks", "notes", "handouts", "assignments") for p in (sample_build / kind).rglob("*") if p.is_file())
    # nine decks (one a Marp deck) and their slide PDFs, a notes handout per session, the handout, two sheets
    assert len(outputs) == 29
    for output in outputs:
        twin = tmp_path / output.relative_to(sample_build)
        assert hashlib.sha256(twin.read_bytes()).digest() == hashlib.sha256(output.read_bytes()).digest(), output.name


def test_composition_meets_the_presentation_targets(built):
    """The composition report's measures on real and sample decks: no stranded lead-ins, few
    near-empty slides, and every session's words on its slides (not only in the notes)."""
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
    import composition

    root, out = built
    sessions = composition.course_report(root, out / "decks")
    total = composition.totals(sessions)
    assert total["stranded"]["share"] <= 0.01
    assert total["near_empty"]["share"] <= 0.03
    assert total["words_shown_worst"]["share"] >= 0.95
    assert total["words_shown_average"] >= 0.99
