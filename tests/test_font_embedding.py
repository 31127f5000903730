"""Fonts that travel: a deck's fonts embedded as PowerPoint embeds them (EOT parts, p:embeddedFontLst).

The theme's CJK fonts are converted once per module into a temporary cache that every test shares.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import io
import shutil
import subprocess
import time
import zipfile

import pytest
from fontTools.ttLib import TTFont
from lxml import etree
from PIL import Image, ImageChops, ImageDraw, ImageFont
from pptx import Presentation
from pptx.util import Pt

from deckbuild import font_embedding
from deckbuild.font_embedding import (
    EOT_MAGIC,
    TYPABLE,
    EmbeddingRefused,
    FaceSource,
    deck_usage,
    embed,
    embed_faces,
    may_subset,
    same_hangul,
    read_eot,
    to_eot,
)
from deckbuild.measure import FontFile, _open, locate
from deckbuild.theme import BUILTIN_THEMES, load_theme
from schema_validation import validate_package

THEME = load_theme("default", BUILTIN_THEMES.parent)
BODY, MONO = THEME.fonts.east_asian, THEME.fonts.mono
P = "{http://schemas.openxmlformats.org/presentationml/2006/main}"
R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
A = "http://schemas.openxmlformats.org/drawingml/2006/main"
TEXT = "컨테이너 이미지 빌드 — 멀티스테이지 → 320 MB ✓"
CODE = "FROM python:3.12-slim  # 가벼운 베이스"


def run(paragraph, text: str, family: str, bold: bool = False):
    """A run naming family in both the Latin and East-Asian slots, as the writer writes them."""
    r = paragraph.add_run()
    r.text = text
    r.font.size = Pt(24)
    r.font.bold = bold
    properties = r._r.get_or_add_rPr()
    properties.set("lang", "ko-KR")
    etree.SubElement(properties, f"{{{A}}}latin", typeface=family)
    etree.SubElement(properties, f"{{{A}}}ea", typeface=family)
    return r


def small_deck(code: bool = True) -> bytes:
    """One slide: a bold title and body text in the body font, a line of code in the mono font."""
    presentation = Presentation()
    slide = presentation.slides.add_slide(presentation.slide_layouts[6])
    frame = slide.shapes.add_textbox(Pt(36), Pt(36), Pt(600), Pt(300)).text_frame
    run(frame.paragraphs[0], "세션 1: 도커 이미지", BODY, bold=True)
    run(frame.add_paragraph(), TEXT, BODY)
    if code:
        run(frame.add_paragraph(), CODE, MONO)
    buffer = io.BytesIO()
    presentation.save(buffer)
    return buffer.getvalue()


@pytest.fixture(scope="module")
def cache(tmp_path_factory):
    return tmp_path_factory.mktemp("embedded-fonts")


@pytest.fixture(scope="module")
def embedded(cache):
    """(deck, Embedding, seconds) for the small deck, embedded cold (converting) — then again from the cache."""
    deck = small_deck()
    started = time.perf_counter()
    result = embed(deck, [THEME.fonts.latin, BODY], cache_dir=cache, code_families=[MONO])
    cold = time.perf_counter() - started
    started = time.perf_counter()
    again = embed(deck, [THEME.fonts.latin, BODY], cache_dir=cache, code_families=[MONO])
    warm = time.perf_counter() - started
    print(f"\nembedding: cold {cold:.1f} s, cached {warm:.2f} s, deck {len(deck):,} → {len(result.package):,} bytes "
          f"(stored); faces {[(f.family, f.bold, f.size) for f in result.faces]}")
    return deck, result, again, cold, warm


def parts(package: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(package)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def test_the_fonts_the_deck_uses_are_embedded_regular_and_bold(embedded):
    _, result, again, _, _ = embedded
    assert not result.skipped
    assert [(f.family, f.bold) for f in result.faces] == [(BODY, False), (BODY, True), (MONO, False)]
    assert all(f.cached for f in again.faces) and not any(f.cached for f in result.faces)
    assert again.package == result.package  # deterministic, from the cache or not


def test_the_package_is_laid_out_as_powerpoint_lays_it_out(embedded):
    _, result, _, _, _ = embedded
    entries = parts(result.package)
    presentation = etree.fromstring(entries["ppt/presentation.xml"])
    assert presentation.get("embedTrueTypeFonts") == "1" and presentation.get("saveSubsetFonts") == "1"
    children = [etree.QName(c).localname for c in presentation]
    assert children.index("embeddedFontLst") == children.index("notesSz") + 1  # schema order
    relationships = {r.get("Id"): r for r in etree.fromstring(entries["ppt/_rels/presentation.xml.rels"])}
    listed = {}
    for entry in presentation.find(f"{P}embeddedFontLst"):
        font = entry.find(f"{P}font")
        assert font.get("charset") and font.get("pitchFamily")
        for style in entry[1:]:
            relationship = relationships[style.get(f"{R}id")]
            assert relationship.get("Type") == font_embedding.FONT_RELATIONSHIP
            listed[(font.get("typeface"), etree.QName(style).localname)] = "ppt/" + relationship.get("Target")
    assert sorted(listed) == [(BODY, "bold"), (BODY, "regular"), (MONO, "regular")]
    assert all(part in entries for part in listed.values())
    assert b'Extension="fntdata" ContentType="application/x-fontdata"' in entries["[Content_Types].xml"]
    counts, errors = validate_package(result.package)
    assert not errors and counts["presentation"] == 1
    assert len(Presentation(io.BytesIO(result.package)).slides) == 1  # python-pptx opens it


def test_every_character_of_the_deck_is_in_an_embedded_font(embedded):
    deck, result, _, _, _ = embedded
    covered: dict[tuple[str, bool], set[int]] = {}
    for face in result.faces:
        font = TTFont(io.BytesIO(read_eot(parts(result.package)[face.part]).font_data))
        assert "glyf" in font and "CFF " not in font  # TrueType outlines, as PowerPoint embeds
        covered[(face.family, face.bold)] = set(font.getBestCmap())
    body = set(map(ord, deck_usage(deck).text))
    assert body - covered[(BODY, False)] == body - set(_open(locate(BODY)).getBestCmap())  # all the font has
    assert body <= covered[(BODY, False)] and body <= covered[(BODY, True)]
    assert set(map(ord, CODE)) <= covered[(MONO, False)]
    assert {ord("가"), ord("힣"), ord("A"), ord("~")} <= covered[(BODY, False)]  # what an editor may type
    assert len(covered[(BODY, False)] & TYPABLE) > 11172
    assert ord("힣") not in covered[(MONO, False)]  # code fonts: the deck's code plus Latin only


def test_the_eot_header_is_well_formed(embedded):
    _, result, _, _, _ = embedded
    for face in result.faces:
        data = parts(result.package)[face.part]
        header = read_eot(data)
        assert (header.magic, header.version, header.eot_size) == (EOT_MAGIC, 0x00020001, len(data))
        assert header.flags == font_embedding.TTEMBED_SUBSET  # subset; no MTX compression, no XOR
        assert header.family_name == face.family and header.style_name == ("Bold" if face.bold else "Regular")
        assert header.weight == (700 if face.bold else 400) and header.fs_type == 0 and header.root_string == ""
        font = TTFont(io.BytesIO(header.font_data))
        assert header.checksum_adjustment == font["head"].checkSumAdjustment
        panose = font["OS/2"].panose
        assert header.panose == bytes((panose.bFamilyType, panose.bSerifStyle, panose.bWeight, panose.bProportion,
                                       panose.bContrast, panose.bStrokeVariation, panose.bArmStyle,
                                       panose.bLetterForm, panose.bMidline, panose.bXHeight))
        assert len(data) - header.font_data_size == 80 + 5 * 4 + 2 * sum(
            map(len, (header.family_name, header.style_name, header.version_name, header.full_name)))


def test_the_eot_header_is_read_by_libeot():
    """libeot is what LibreOffice decodes .fntdata parts with; it must give back our font byte for byte."""
    library = ctypes.util.find_library("eot")
    if library is None:
        pytest.skip("libeot is not installed")
    libeot = ctypes.CDLL(library)
    libeot.EOT2ttf_buffer.argtypes = [ctypes.c_char_p, ctypes.c_uint, ctypes.c_void_p,
                                      ctypes.POINTER(ctypes.POINTER(ctypes.c_ubyte)), ctypes.POINTER(ctypes.c_uint)]
    font = locate("DejaVu Sans")
    source = open(font.path, "rb").read()
    for version in (0x00020001, 0x00020002):
        data = to_eot(source, subset=False, version=version)
        assert read_eot(data).font_data == source
        metadata, out, size = ctypes.create_string_buffer(4096), ctypes.POINTER(ctypes.c_ubyte)(), ctypes.c_uint()
        assert libeot.EOT2ttf_buffer(data, len(data), metadata, ctypes.byref(out), ctypes.byref(size)) == 0
        assert ctypes.string_at(out, size.value) == source


def test_conversion_is_deterministic():
    mono = locate(MONO)
    wanted = font_embedding.CODE_TYPABLE | set(map(ord, CODE))
    first, second = (font_embedding.eot_face(mono, wanted, None, MONO)[0] for _ in range(2))
    assert first == second


def test_glyphs_converted_for_one_deck_serve_the_next(tmp_path):
    """A CID-keyed CFF face's glyphs are converted once and kept: a later subset converts only the
    glyphs no subset had, and comes out byte for byte as converting all of it would."""
    mono = locate(MONO)
    first_deck = font_embedding.CODE_TYPABLE | set(map(ord, "print('안녕하세요')"))
    second_deck = font_embedding.CODE_TYPABLE | set(map(ord, "echo '반갑습니다 안녕'"))
    converted = []
    original = font_embedding.cff_to_truetype

    def counting(font, kept=None):
        made = original(font, kept)
        converted.append(set(made))
        return made

    font_embedding._converted.clear()
    try:
        font_embedding.cff_to_truetype = counting
        kept = [font_embedding.eot_face(mono, frozenset(wanted), tmp_path, MONO)[0] for wanted in (first_deck, second_deck)]
    finally:
        font_embedding.cff_to_truetype = original
        font_embedding._converted.clear()
    assert kept == [font_embedding.eot_face(mono, frozenset(wanted), None, MONO)[0] for wanted in (first_deck, second_deck)]
    cmap = TTFont(mono.path, fontNumber=mono.index, lazy=True).getBestCmap()
    new_in_second = {cmap[ord(c)] for c in "반갑습니다"} - {cmap[ord(c)] for c in "안녕하세요"}
    assert converted[1] == new_in_second  # CIDs, as named in the face itself
    assert len(converted[0]) > 200 and len(list((tmp_path / "glyphs").glob("*.marshal"))) == 1


def _convert_in_a_process(cache, code: str, done) -> None:
    font_embedding._converted.clear()  # a build process of its own: nothing read yet
    font_embedding.eot_face(locate(MONO), frozenset(font_embedding.CODE_TYPABLE | set(map(ord, code))), cache, MONO)
    done.put(code)


def test_build_processes_converting_at_once_keep_all_their_glyphs(tmp_path):
    """Two processes adding glyphs to one store at once: neither loses what the other added."""
    import multiprocessing

    fork = multiprocessing.get_context("fork")
    done = fork.Queue()
    codes = ["echo '반갑습니다'", "print('고맙습니다')"]
    processes = [fork.Process(target=_convert_in_a_process, args=(tmp_path, code, done)) for code in codes]
    for process in processes:
        process.start()
    assert sorted(done.get(timeout=120) for _ in processes) == sorted(codes)
    for process in processes:
        process.join(timeout=60)
    (store,) = (tmp_path / "glyphs").glob("*.marshal")
    kept = font_embedding._read_glyphs(store)
    cmap = TTFont(locate(MONO).path, fontNumber=locate(MONO).index, lazy=True).getBestCmap()
    assert {cmap[ord(c)] for c in "반갑습니다고맙"} <= kept.keys()


def test_malformed_eot_is_rejected():
    data = to_eot(open(locate("DejaVu Sans").path, "rb").read(), subset=False)
    with pytest.raises(ValueError, match="magic"):
        read_eot(data[:34] + b"\x00\x00" + data[36:])
    with pytest.raises(ValueError, match="EOTSize"):
        read_eot(data + b"\x00")


def test_outlines_and_widths_are_kept(embedded):
    """The converted quadratic outlines draw like the CFF ones and every advance width is unchanged."""
    _, result, _, _, _ = embedded
    face = result.faces[0]
    converted = read_eot(parts(result.package)[face.part]).font_data
    source = _open(locate(BODY))
    advances = source["hmtx"].metrics
    source_cmap = source.getBestCmap()
    font = TTFont(io.BytesIO(converted))
    for code, glyph in font.getBestCmap().items():
        assert font["hmtx"][glyph][0] == advances[source_cmap[code]][0], chr(code)
    sample = "세션 도커 이미지 Build 320"
    original_file = locate(BODY)
    drawn = []
    for font_source, index in ((original_file.path, original_file.index), (io.BytesIO(converted), 0)):
        image = Image.new("L", (1400, 160), 255)
        ImageDraw.Draw(image).text((10, 10), sample, font=ImageFont.truetype(font_source, 96, index=index), fill=0)
        drawn.append(image)
    ink = drawn[0].point(lambda v: 255 if v < 128 else 0).histogram()[255]
    changed = sum(ImageChops.difference(*drawn).histogram()[128:])
    boxes = [ImageChops.invert(image).getbbox() for image in drawn]  # where the ink is
    assert all(abs(a - b) <= 2 for a, b in zip(*boxes)), boxes
    assert changed < 0.08 * ink  # stems differ by a hinted pixel at most (measured: 4 %); no glyph moved or changed


def test_only_used_styles_and_families_are_embedded(cache):
    deck = small_deck(code=False)
    result = embed(deck, [BODY, "Some Font Nobody Uses"], cache_dir=cache, code_families=[MONO])
    assert [(f.family, f.bold) for f in result.faces] == [(BODY, False), (BODY, True)]
    assert all(f.cached for f in result.faces)  # the same character set as before: straight from the cache


def test_fonts_that_are_not_installed_or_forbid_embedding_are_left_out_with_a_reason(cache):
    presentation = Presentation()
    frame = presentation.slides.add_slide(presentation.slide_layouts[6]).shapes.add_textbox(0, 0, 100, 100).text_frame
    run(frame.paragraphs[0], "abc", "Malgun Gothic")
    buffer = io.BytesIO()
    presentation.save(buffer)
    result = embed(buffer.getvalue(), ["Malgun Gothic"], cache_dir=cache)
    assert not result.faces and "not installed" in result.skipped[0]
    assert result.package == buffer.getvalue()
    for fs_type, reason in ((0x0002, "forbids embedding"), (0x0004, "read-only"), (0x0200, "bitmaps only")):
        with pytest.raises(EmbeddingRefused, match=reason):
            may_subset(fs_type)
    assert may_subset(0x0000) and may_subset(0x0008) and may_subset(0x000C) and not may_subset(0x0108)


def test_a_restricted_font_is_refused(tmp_path):
    source = TTFont(locate("DejaVu Sans").path)
    source["OS/2"].fsType = 0x0002
    path = tmp_path / "restricted.ttf"
    source.save(path)
    result = embed_faces(small_deck(), [FaceSource("DejaVu Sans", False, FontFile(str(path), 0))], cache_dir=tmp_path)
    assert not result.faces and "restricted licence" in result.skipped[0]


def test_embedding_again_replaces_the_fonts(embedded, cache):
    _, result, _, _, _ = embedded
    twice = embed(result.package, [BODY], cache_dir=cache, code_families=[MONO]).package
    entries = parts(twice)
    assert sorted(n for n in entries if n.endswith(".fntdata")) == sorted(f.part for f in result.faces)
    assert etree.fromstring(entries["ppt/presentation.xml"]).find(f"{P}embeddedFontLst").__len__() == 2


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_libreoffice_opens_the_deck(embedded, tmp_path):
    _, result, _, _, _ = embedded
    deck = tmp_path / "embedded.pptx"
    deck.write_bytes(result.package)
    subprocess.run(["soffice", f"-env:UserInstallation=file://{tmp_path}/profile", "--headless", "--convert-to", "pdf",
                    "--outdir", str(tmp_path), str(deck)], check=True, capture_output=True, timeout=240)
    assert (tmp_path / "embedded.pdf").stat().st_size > 1000


def test_the_theme_code_face_draws_hangul_with_the_body_faces_glyphs():
    """Noto Sans Mono CJK KR and Noto Sans CJK KR are faces of one collection sharing outlines and
    advances; a face of another file, or a family not installed, is not taken for the same."""
    assert same_hangul(MONO, BODY)
    assert not same_hangul(MONO, "No Such Family 12345")
    other = next((family for family in ("DejaVu Sans Mono", "Noto Color Emoji", "Noto Serif CJK KR")
                  if locate(family).path != locate(MONO).path and family.lower() in
                  font_embedding._face_names(locate(family).path, locate(family).index)[0]), None)
    if other is None:
        pytest.skip("no font of another file installed")
    assert not same_hangul(MONO, other)
