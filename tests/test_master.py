"""Decks as real PowerPoint documents: our master and layouts, text in placeholders that a theme
change restyles, slide numbers and footers, a school's own template, accessible structure."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from conftest import SAMPLE_COURSE, build
from deck_reading import NAMESPACE, open_deck, slide_text
from lxml import etree
from pptx import Presentation
from pptx.enum.shapes import PP_PLACEHOLDER

from deckbuild.master import MASTER_LAYOUTS
from deckbuild.overflow import render_pdfs, words_out_of_place
from deckbuild.theme import load_theme

needs_soffice = pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
DRAWING = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
LIBREOFFICE_TEMPLATES = Path("/usr/lib/libreoffice/share/template/common/presnt")


def sample_decks(out: Path) -> list[Path]:
    """Every deck of a build: the sessions' and the Marp deck's."""
    return sorted((out / "decks").rglob("*.pptx"))


def session_decks(out: Path) -> list[Path]:
    """The decks of a build made from sessions (the Marp deck keeps its own size, numbers and footer)."""
    return [deck for deck in sample_decks(out) if deck.stem.startswith("session")]


def small_course(tmp_path: Path, extra_settings: str = "") -> Path:
    """Two sessions of the sample course (with their day README and images), plus extra course.toml lines."""
    course = tmp_path / "course"
    shutil.copytree(SAMPLE_COURSE, course, ignore=shutil.ignore_patterns("session_0[245678].md", "lectures"))
    with (course / "course.toml").open("a", encoding="utf-8") as settings:
        settings.write("\n" + extra_settings)
    return course


def theme_xml(deck: Path) -> etree._Element:
    with zipfile.ZipFile(deck) as package:
        return etree.fromstring(package.read("ppt/theme/theme1.xml"))


# --- our master ---------------------------------------------------------------------


def test_decks_use_our_master_with_named_layouts_and_theme(sample_build):
    theme = load_theme("default", SAMPLE_COURSE)
    sessions = session_decks(sample_build)
    for deck in sample_decks(sample_build):
        presentation = open_deck(deck)
        aspect = 16 / 9 if deck in sessions else 4 / 3  # the Marp deck says `size: 4:3`
        assert round(presentation.slide_width / presentation.slide_height, 2) == round(aspect, 2)
        names = [layout.name for layout in presentation.slide_layouts]
        assert set(MASTER_LAYOUTS.values()) <= set(names)
        assert all(slide.slide_layout.name in names for slide in presentation.slides)
        assert presentation.slides[0].slide_layout.name == "Title Slide"
        minor = theme_xml(deck).find(f".//{DRAWING}minorFont")
        assert minor.find(f"{DRAWING}latin").get("typeface") == theme.fonts.latin
        assert minor.find(f"{DRAWING}ea").get("typeface") == theme.fonts.east_asian
        assert any(f.get("script") == "Hang" and f.get("typeface") == theme.fonts.east_asian for f in minor.iter(f"{DRAWING}font"))
        scheme = theme_xml(deck).find(f".//{DRAWING}clrScheme")
        assert scheme.find(f"{DRAWING}dk1/{DRAWING}srgbClr").get("val") == theme.colors.text
        assert scheme.find(f"{DRAWING}accent1/{DRAWING}srgbClr").get("val") == theme.colors.accent


def test_titles_and_body_text_sit_in_placeholders(sample_build):
    text_slides = 0
    for deck in sample_decks(sample_build):
        for slide in open_deck(deck).slides:
            first = slide.shapes[0]
            assert first.is_placeholder and first.placeholder_format.type in (PP_PLACEHOLDER.TITLE, PP_PLACEHOLDER.CENTER_TITLE)
            if slide.slide_layout.name == "Title and Content":
                body = [s for s in slide.placeholders if s.placeholder_format.idx == 1]
                text_slides += bool(body and body[0].text_frame.text.strip())
            empty = [s.name for s in slide.placeholders if not s.text_frame.text.strip()]
            assert not empty, (deck.name, empty)  # no placeholder left to show its prompt
    assert text_slides > 50


@needs_soffice
def test_a_theme_font_change_restyles_titles_and_body_text(sample_build, tmp_path):
    deck = session_decks(sample_build)[2]
    restyled = tmp_path / "restyled.pptx"
    with zipfile.ZipFile(deck) as source, zipfile.ZipFile(restyled, "w") as target:
        for name in source.namelist():
            data = source.read(name)
            if name.startswith("ppt/theme/"):
                data = re.sub(rb'(<a:(?:latin|ea|font script="Hang") typeface=")[^"]*(")', rb"\1DejaVu Serif\2", data)
            target.writestr(name, data)
    import pdfplumber

    pdf = render_pdfs([restyled], tmp_path)[restyled]
    presentation = open_deck(restyled)
    plain = [  # text slides whose body has no code runs (code keeps its own font)
        number for number, slide in enumerate(presentation.slides)
        if slide.slide_layout.name == "Title and Content"
        and all(r.get("typeface", "+").startswith("+") for r in slide._element.iterfind(".//a:r/a:rPr/a:latin", NAMESPACE))
    ]
    assert plain
    with pdfplumber.open(pdf) as document:
        for number in (0, plain[0]):  # the cover's title, and a text slide's title, body and footer
            letters = [c for c in document.pages[number].chars if c["text"].isalpha()]
            fonts = {c["fontname"].split("+")[-1] for c in letters}
            # Latin letters in DejaVu Serif; Hangul, which it lacks, in the serif CJK face LibreOffice falls back to
            assert letters and all("Serif" in font for font in fonts), (number, fonts)
            assert any("DejaVuSerif" in font for font in fonts)


def test_every_slide_but_the_cover_has_its_number_and_footer(sample_build):
    for deck in session_decks(sample_build):
        slides = list(open_deck(deck).slides)
        assert not any(s.is_placeholder and s.placeholder_format.type == PP_PLACEHOLDER.SLIDE_NUMBER for s in slides[0].shapes)
        for number, slide in enumerate(slides[1:], start=2):
            fields = slide._element.findall(".//a:fld[@type='slidenum']", NAMESPACE)
            assert [f.findtext("a:t", namespaces=NAMESPACE) for f in fields] == [str(number)]
            footers = [s for s in slide.placeholders if s.placeholder_format.type == PP_PLACEHOLDER.FOOTER]
            assert footers and footers[0].text_frame.text.startswith("DevOps 부트캠프")


def test_footer_and_numbers_can_be_switched_off(tmp_path):
    course = small_course(tmp_path, "[deck]\nfooter = false\n")
    theme_dir = course / "themes" / "default"
    shutil.copytree(SAMPLE_COURSE.parent / "themes" / "default", theme_dir)
    toml = theme_dir / "theme.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace("numbers = true", "numbers = false"), encoding="utf-8")
    assert build(course, tmp_path / "out") == 0
    for deck in sample_decks(tmp_path / "out"):
        for slide in open_deck(deck).slides:
            kinds = {s.placeholder_format.type for s in slide.placeholders}
            assert PP_PLACEHOLDER.FOOTER not in kinds and PP_PLACEHOLDER.SLIDE_NUMBER not in kinds


def test_pictures_tables_and_runs_are_accessible(sample_build):
    for deck in sample_decks(sample_build):
        for slide in open_deck(deck).slides:
            for shape in slide.shapes:
                if shape.shape_type == 13:  # picture: alt text, or marked decorative
                    properties = shape._element.nvPicPr.cNvPr
                    assert properties.get("descr") or b"decorative" in etree.tostring(properties)
                if shape.has_table:
                    assert shape._element.find(".//a:tblPr", NAMESPACE).get("firstRow") == "1"
            for run in slide._element.iterfind(".//a:r/a:rPr", NAMESPACE):
                assert run.get("lang") == "ko-KR"


# --- a school's template ------------------------------------------------------------


def pandoc_names_potx(path: Path) -> Path:
    """A .potx with Pandoc's layout names on a 4:3 slide (python-pptx's stock Office template)."""
    buffer = io.BytesIO()
    Presentation().save(buffer)
    with zipfile.ZipFile(buffer) as source, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "[Content_Types].xml":
                data = data.replace(b"presentation.main+xml", b"template.main+xml")
            target.writestr(info.filename, data)
    return path


def libreoffice_template(folder: Path) -> Path:
    """A template saved by LibreOffice from one of its bundled presentation templates, with an example slide."""
    source = LIBREOFFICE_TEMPLATES / "Focus.otp"
    subprocess.run(["soffice", "--headless", "--convert-to", "pptx", "--outdir", str(folder), str(source)],
                   capture_output=True, timeout=120, check=True)
    return folder / "Focus.pptx"


@needs_soffice
@pytest.mark.parametrize("kind", ["libreoffice", "pandoc-names"])
def test_a_school_template_gives_its_master_size_and_layouts_and_slides_still_fit(kind, tmp_path):
    if kind == "libreoffice" and not (LIBREOFFICE_TEMPLATES / "Focus.otp").is_file():
        pytest.skip("LibreOffice's bundled templates are not installed")
    course = small_course(tmp_path)
    templates = course / "templates"
    templates.mkdir()
    template = libreoffice_template(templates) if kind == "libreoffice" else pandoc_names_potx(templates / "school.potx")
    with (course / "course.toml").open("a", encoding="utf-8") as settings:
        settings.write(f'[deck]\ntemplate = "templates/{template.name}"\n')
    assert build(course, tmp_path / "out") == 0
    decks = sample_decks(tmp_path / "out")
    reference = Presentation(str(template)) if template.suffix == ".pptx" else None
    for deck in decks:
        presentation = open_deck(deck)
        if kind == "pandoc-names":
            assert (presentation.slide_width, presentation.slide_height) == (9144000, 6858000)  # 4:3, the template's
            assert presentation.slides[2].slide_layout.name in ("Title and Content", "Title Only", "Two Content")
        else:
            assert (presentation.slide_width, presentation.slide_height) == (reference.slide_width, reference.slide_height)
            assert {s.slide_layout.name for s in presentation.slides} <= {l.name for l in reference.slide_layouts}
            assert "Title, Content" in {s.slide_layout.name for s in presentation.slides}
            example = {slide_text(s) for s in reference.slides} - {""}
            assert not example & {slide_text(s) for s in presentation.slides}  # the template's own slides are gone
        assert presentation.slides[0].shapes.title.text_frame.text.startswith("Session")
    pdfs = render_pdfs(decks, tmp_path / "pdf")
    assert [p.format() for deck in decks for p in words_out_of_place(deck, pdfs[deck])] == []


def test_editing_the_template_rebuilds_the_decks(tmp_path):
    from deckbuild.runner import build_course

    course = small_course(tmp_path, '[deck]\ntemplate = "templates/school.potx"\n')
    (course / "templates").mkdir()
    template = pandoc_names_potx(course / "templates" / "school.potx")
    out = tmp_path / "out"
    assert build_course(course, out, only=("decks",)).status == 0
    assert build_course(course, out, only=("decks",)).record.ran == []
    template.write_bytes(template.read_bytes() + b"\0")  # a zip still readable, with other bytes
    ran = build_course(course, out, only=("decks",)).record.ran
    assert sorted(ran) == ["deck:week_01/day_04/session_01", "deck:week_01/day_04/session_03"]


def test_a_template_that_is_not_a_presentation_is_one_error_and_decks_still_build(tmp_path):
    course = small_course(tmp_path, '[deck]\ntemplate = "templates/school.pptx"\n')
    (course / "templates").mkdir()
    (course / "templates" / "school.pptx").write_text("not a zip", encoding="utf-8")
    from deckbuild.runner import build_course

    result = build_course(course, tmp_path / "out", only=("decks",))
    assert len(sample_decks(tmp_path / "out")) == 2
    messages = [d.message for d in result.diagnostics]
    assert any("not a PowerPoint template" in m for m in messages), messages
