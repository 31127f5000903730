"""Slide PDFs and note-taking handouts, read back as a person would see them: a 16:9 page per slide
with the deck's titles as bookmarks and every font embedded; the same words at the same places as
LibreOffice draws the .pptx; three slides a page with ruled lines in the notes handout."""

from __future__ import annotations

import statistics
import unicodedata
from pathlib import Path

import pdfplumber
import pikepdf
import pytest
from conftest import build
from pptx import Presentation

from deckbuild.overflow import Rect, render_pdfs, slide_shapes

SAME_WORDS = 0.95  # share of a page's words found on both renderings
NEAR = 0.015  # the median word's offset, as a share of the page's width (across) and height (down)
DRAWN_BY_LIBREOFFICE = ("Diagram", "Chart", "Picture")  # shapes whose insides LibreOffice lays out itself
# Decks compared with LibreOffice: text, lists, code, tables, charts and diagrams between them.
HEADER = 60  # the note-taking handout's header ends this far down, points
FAITHFUL_DECKS = ("week_01/day_04/session_03", "week_01/day_04/session_06")


def decks(build_dir: Path) -> list[Path]:
    return sorted((build_dir / "decks").rglob("*.pptx"))


def embedded_fonts(pdf: pikepdf.Pdf) -> list[tuple[str, bool]]:
    """(font name, whether its program is embedded) for every font the pages and their forms use."""
    found, seen = [], set()

    def walk(resources) -> None:
        for font in resources.get("/Font", {}).values():
            if font.objgen in seen:
                continue
            seen.add(font.objgen)
            descriptor = (font.DescendantFonts[0] if "/DescendantFonts" in font else font).get("/FontDescriptor", {})
            found.append((str(font.get("/BaseFont")), any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3"))))
        for xobject in resources.get("/XObject", {}).values():
            if xobject.get("/Subtype") == "/Form" and "/Resources" in xobject:
                walk(xobject.Resources)

    for page in pdf.pages:
        walk(page.obj.get("/Resources", {}))
    return found


def test_a_slide_pdf_beside_every_deck_a_page_per_slide_of_its_size(sample_build):
    """Session decks are 16:9; the sample's Marp deck asks for 4:3, and its PDF pages are 4:3 too."""
    for deck in decks(sample_build):
        presentation = Presentation(str(deck))
        titles = [slide.shapes.title.text_frame.text for slide in presentation.slides]
        with pikepdf.open(deck.with_suffix(".pdf")) as pdf:
            assert len(pdf.pages) == len(titles), deck
            aspect = presentation.slide_width / presentation.slide_height  # 16:9, or a Marp deck's own size
            assert aspect == pytest.approx(16 / 9, rel=0.002) or "lectures" in deck.parts
            for page in pdf.pages:
                box = page.mediabox
                assert float(box[2] - box[0]) / float(box[3] - box[1]) == pytest.approx(aspect, rel=0.002)
            fonts = embedded_fonts(pdf)
            assert fonts and all(embedded for _, embedded in fonts), fonts
            assert all("+" in name for name, _ in fonts), "fonts are subsets"
            assert str(pdf.docinfo["/Title"]) == presentation.core_properties.title
            assert str(pdf.Root.Lang) == "ko"
            with pdf.open_outline() as outline:
                assert [item.title for item in outline.root] == titles  # a bookmark per slide title
        with pdfplumber.open(deck.with_suffix(".pdf")) as pdf:  # the text is text: the titles can be found and copied
            for page, title in zip(pdf.pages, titles):
                assert "".join(title.split()) in "".join(page.extract_text().replace("\u2060", "").split())


def test_code_keeps_its_colours_and_its_spaces(sample_build):
    """Copied code keeps every space, and keywords are coloured as on the slide."""
    deck = sample_build / "decks" / "week_01" / "day_04" / "session_03.pptx"
    code_lines = []
    for slide in Presentation(str(deck)).slides:
        for shape in slide.shapes:
            if shape.name == "Code":
                code_lines.extend(p.text for p in shape.text_frame.paragraphs if p.text.strip())
    with pdfplumber.open(deck.with_suffix(".pdf")) as pdf:
        text = " ".join(word for page in pdf.pages for word in page.extract_text().split() if not _symbol(word))
        colours = {char["non_stroking_color"] for page in pdf.pages for char in page.chars if "Mono" in char["fontname"]}
    plain = [" ".join(word for word in line.split() if not _symbol(word)) for line in code_lines if "↪" not in line]
    assert plain and [line for line in plain if line not in text] == []
    assert len(colours) >= 3


def test_bold_words_of_the_deck_are_bold_on_the_page(sample_build):
    """Every word the deck sets in bold outside its titles (key terms, table headers) is drawn in a bold face,
    wherever its line broke."""
    deck = sample_build / "decks" / "week_01" / "day_04" / "session_03.pptx"
    checked = 0
    with pdfplumber.open(deck.with_suffix(".pdf")) as pdf:
        for slide, page in zip(Presentation(str(deck)).slides, pdf.pages):
            bold_text = "".join(char["text"] for char in page.chars if "Bold" in char["fontname"])
            for shape in slide.shapes:
                if shape == slide.shapes.title:
                    continue
                frames = ([cell.text_frame for row in shape.table.rows for cell in row.cells] if shape.has_table
                          else [shape.text_frame] if shape.has_text_frame else [])
                for frame in frames:
                    for paragraph in frame.paragraphs:
                        for run in paragraph.runs:
                            if run.font.bold:
                                for word in run.text.split():
                                    if not _symbol(word):
                                        assert word in bold_text, (page.page_number, word)
                                        checked += 1
    assert checked > 20


def test_diagrams_and_charts_are_vector_drawings_and_pictures_are_shown(sample_build):
    """Where the deck has a diagram or chart, the page draws lines and shapes there (no raster copy) with
    its labels as text; where it has a picture, the page shows one there; every character copies as itself."""
    checked = {"Diagram": 0, "Chart": 0, "Picture": 0}
    for deck in decks(sample_build):
        _, slides = slide_shapes(deck)
        with pdfplumber.open(deck.with_suffix(".pdf")) as pdf:
            for page, shapes in zip(pdf.pages, slides):
                assert "(cid:" not in page.extract_text()
                for name, rect, _ in shapes:
                    if name not in checked:
                        continue
                    inside = [item for item in page.rects + page.lines + page.curves
                              if rect.contains_point((item["x0"] + item["x1"]) / 2, (item["top"] + item["bottom"]) / 2)]
                    images = [image for image in page.images
                              if rect.contains_point((image["x0"] + image["x1"]) / 2, (image["top"] + image["bottom"]) / 2)]
                    area = (rect.right - rect.left) * (rect.bottom - rect.top)
                    raster = [image for image in images if image["width"] * image["height"] > area / 2]  # emoji are small
                    labels = [char for char in page.chars if rect.contains_point(char["x0"], char["top"])]
                    if name == "Picture":
                        assert inside or images, (deck.stem, name)
                    else:
                        assert len(inside) >= 3 and not raster and labels, (deck.stem, name)
                    checked[name] += 1
    assert all(checked.values()), checked


def _symbol(text: str) -> bool:
    """Whether text is a drawing rather than a word: a marker (bullet, ↪), emoji or other symbol."""
    return all(unicodedata.category(c) in ("So", "Mn", "Cf") or c in "•◦▪↪" for c in text)


def _words(page, hidden: list[Rect]) -> list[tuple[str, float, float]]:
    """(text, left, baseline) of every word a person reads on the page: characters between spaces on one
    line; markers (bullets, ↪), emoji and symbols are drawings, not words; words inside hidden are left out."""
    words: list[dict] = []
    current = None
    for char in page.chars:
        text = "".join(c for c in char["text"] if not _symbol(c))
        if char["text"].isspace():
            current = None
        if not text.strip():
            continue
        baseline = float(page.height) - char["matrix"][5]
        if current and abs(baseline - current["baseline"]) < char["size"] * 0.5 and \
                -char["size"] * 0.5 < char["x0"] - current["right"] < char["size"] * 0.6:
            current["text"] += text
            current["right"] = char["x1"]
        else:
            current = {"text": text, "left": char["x0"], "right": char["x1"], "baseline": baseline, "top": char["top"],
                       "bottom": char["bottom"]}
            words.append(current)
    return [(w["text"], w["left"], w["baseline"]) for w in words
            if not any(r.contains_point((w["left"] + w["right"]) / 2, (w["top"] + w["bottom"]) / 2) for r in hidden)]


def compare_page(ours: list, theirs: list, width: float, height: float) -> tuple[float, float]:
    """(share of the words on both pages, median offset of a shared word as a share of the page size)."""
    unmatched, offsets = list(ours), []
    for text, left, baseline in theirs:
        candidates = [word for word in unmatched if word[0] == text]
        if candidates:
            nearest = min(candidates, key=lambda word: (word[1] - left) ** 2 + (word[2] - baseline) ** 2)
            unmatched.remove(nearest)
            offsets.append(max(abs(nearest[1] - left) / width, abs(nearest[2] - baseline) / height))
    return len(offsets) / max(len(ours), len(theirs), 1), statistics.median(offsets) if offsets else 0.0


def test_the_slide_pdf_shows_the_words_libreoffice_draws_from_the_deck_where_it_draws_them(sample_build, tmp_path):
    """Every page has the words LibreOffice draws (95%), and its median word sits within 1.5% of the page's
    width and height of where LibreOffice draws it. Text inside diagrams, charts and pictures is left out:
    LibreOffice lays those out with its own engine. The one exception allowed: a page where LibreOffice
    draws more lines of text than the slide PDF. It spaces words wider than the fonts do (the planner's
    measure leaves it room, SAFETY), so it may break a line the plan keeps whole; every word below moves
    down a line there, which is LibreOffice's rendering, not the deck's layout."""
    chosen = [sample_build / "decks" / f"{name}.pptx" for name in FAITHFUL_DECKS]
    rendered = render_pdfs(chosen, tmp_path)
    failures, rewrapped, pages = [], [], 0
    for deck in chosen:
        (width, height), slides = slide_shapes(deck)
        hidden = [[rect for name, rect, _ in shapes if name in DRAWN_BY_LIBREOFFICE] for shapes in slides]
        with pdfplumber.open(deck.with_suffix(".pdf")) as ours, pdfplumber.open(rendered[deck]) as theirs:
            assert len(ours.pages) == len(theirs.pages) == len(slides)
            for number, (mine, other, skip) in enumerate(zip(ours.pages, theirs.pages, hidden), start=1):
                pages += 1
                my_words, their_words = _words(mine, skip), _words(other, skip)
                same, offset = compare_page(my_words, their_words, width, height)
                where = f"{deck.stem} slide {number}: {same:.0%} same words, median offset {offset:.2%}"
                if same < SAME_WORDS:
                    failures.append(where)
                elif offset >= NEAR:
                    (rewrapped if _lines(their_words) > _lines(my_words) else failures).append(where)
    print(f"{pages} pages compared; LibreOffice broke a line more on {len(rewrapped)}: {rewrapped}")
    assert not failures, failures


def _lines(words: list[tuple[str, float, float]]) -> int:
    """How many lines of text the words stand on (distinct baselines, to the point)."""
    return len({round(baseline) for _, _, baseline in words})


def test_note_taking_handout_three_slides_a_page_with_lines_and_a_header(sample_build):
    deck = sample_build / "decks" / "week_01" / "day_04" / "session_03.pptx"
    notes = sample_build / "notes" / "week_01" / "day_04" / "session_03.pdf"
    slides = len(Presentation(str(deck)).slides)
    with pikepdf.open(notes) as pdf:
        assert len(pdf.pages) == -(-slides // 3)
        assert [round(float(v)) for v in pdf.pages[0].mediabox] == [0, 0, 595, 842]  # A4 portrait
        assert all(embedded for _, embedded in embedded_fonts(pdf))
        forms = [sorted(name for name in page.obj.Resources.XObject.keys() if name.startswith("/Slide")) for page in pdf.pages]
        assert forms[0] == ["/Slide1", "/Slide2", "/Slide3"] and sum(map(len, forms)) == slides
    with pdfplumber.open(notes) as pdf, pdfplumber.open(deck.with_suffix(".pdf")) as slide_pdf:
        first = pdf.pages[0]
        header = first.extract_text().replace("\u2060", "")
        assert "DevOps 부트캠프" in header and "Week 1 · Day 4" in header and "Session 3" in header
        assert f"1 / {len(pdf.pages)}" in header
        slide_titles = [page.extract_text().split("\n")[0] for page in slide_pdf.pages[:3]]
        # the slides are on the left half, each above the next, and the ruled lines on the right half
        tops = []
        for title in slide_titles:
            found = [w for w in first.extract_words() if w["text"] == title.split()[0] and w["top"] > HEADER]
            assert found and found[0]["x0"] < first.width / 2
            tops.append(found[0]["top"])
        assert tops == sorted(tops)
        lines = [line for line in first.lines + first.rects if line["x0"] > first.width / 2 and line["height"] < 1]
        assert len(lines) >= 15


def test_course_toml_switches_the_notes_handout_off(tmp_path):
    course = tmp_path / "course"
    day = course / "week_01" / "day_01"
    day.mkdir(parents=True)
    (course / "course.toml").write_text('title = "작은 과정"\n[handouts]\nnotes = false\n', encoding="utf-8")
    (day / "session_01.md").write_text("# Session 1: 하나\n\n## 개념\n\n짧은 문단입니다.\n", encoding="utf-8")
    out = tmp_path / "out"
    assert build(course, out) == 0
    assert (out / "decks" / "week_01" / "day_01" / "session_01.pdf").is_file()
    assert not (out / "notes").exists()
