"""Every PresentationML, DrawingML and chart part of the sample decks is valid by the ECMA-376
transitional schemas (tests/schemas/); PowerPoint repairs or refuses files that are not."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from lxml import etree
from pptx import Presentation

from deckbuild.font_embedding import FaceSource, embed_faces
from deckbuild.measure import FontNotFound, locate
from schema_validation import schema, validate_package

P = "{http://schemas.openxmlformats.org/presentationml/2006/main}"


def sample_decks(build: Path) -> list[Path]:
    decks = sorted((build / "decks").rglob("*.pptx"))
    assert decks
    return decks


def validate_decks(build: Path) -> dict[str, int]:
    """{part kind: parts validated} over a build's decks; fails with the schema errors found."""
    totals: dict[str, int] = {}
    problems: list[str] = []
    for deck in sample_decks(build):
        counts, errors = validate_package(deck)
        for kind, count in counts.items():
            totals[kind] = totals.get(kind, 0) + count
        problems.extend(f"{deck.name}: {error}" for error in errors)
    assert not problems, "\n".join(problems[:40])
    return totals


def test_every_part_of_the_sample_decks_is_valid(sample_build):
    totals = validate_decks(sample_build)
    for kind in ("presentation", "slides", "slideLayouts", "slideMasters", "notesSlides", "notesMasters", "theme",
                 "charts"):
        assert totals.get(kind), f"no {kind} part was validated: {totals}"


def test_every_part_of_the_corpus_decks_is_valid(corpus_build):
    assert validate_decks(corpus_build).get("slides")


def test_the_validator_catches_what_powerpoint_would_repair():
    """Negative controls: a negative axis id, and p:embeddedFontLst out of its schema position."""
    chart = etree.fromstring(
        b'<c:chartSpace xmlns:c="http://schemas.openxmlformats.org/drawingml/2006/chart"><c:chart><c:plotArea>'
        b'<c:layout/><c:barChart><c:barDir val="col"/><c:grouping val="clustered"/>'
        b'<c:axId val="-2068027336"/><c:axId val="1002"/></c:barChart></c:plotArea></c:chart></c:chartSpace>')
    assert not schema("dml-chart.xsd").validate(chart)
    assert "unsignedInt" in str(schema("dml-chart.xsd").error_log)
    presentation = etree.fromstring(
        b'<p:presentation xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main" '
        b'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main">'
        b'<p:embeddedFontLst/><p:notesSz cx="6858000" cy="9144000"/></p:presentation>')
    assert not schema("pml.xsd").validate(presentation)


@pytest.fixture(scope="module")
def small_font() -> FaceSource:
    """A small TrueType family, so embedding stays quick here (test_font_embedding covers the theme's CJK fonts)."""
    try:
        regular, bold = locate("DejaVu Sans"), locate("DejaVu Sans", bold=True)
    except FontNotFound:
        pytest.skip("DejaVu Sans is not installed")
    return regular, bold


def test_a_deck_with_embedded_fonts_is_valid(sample_build, small_font, tmp_path):
    deck = sample_decks(sample_build)[0]
    regular, bold = small_font
    embedded = embed_faces(deck.read_bytes(), [FaceSource("DejaVu Sans", False, regular),
                                               FaceSource("DejaVu Sans", True, bold)],
                           text="본문 Text", cache_dir=tmp_path)
    assert [f.bold for f in embedded.faces] == [False, True]
    counts, errors = validate_package(embedded.package)
    assert not errors, "\n".join(errors[:40])
    with zipfile.ZipFile(io.BytesIO(embedded.package)) as archive:
        presentation = etree.fromstring(archive.read("ppt/presentation.xml"))
    entry = presentation.find(f"{P}embeddedFontLst/{P}embeddedFont")
    assert [etree.QName(child).localname for child in entry] == ["font", "regular", "bold"]
    assert Presentation(io.BytesIO(embedded.package)).slides  # python-pptx still opens it
