"""One embedded font per face in a PDF made of several WeasyPrint documents (or drawn pages).

WeasyPrint embeds each face it uses as a subset holding only the glyphs that
document shows, with their original glyph ids (the text in the pages names
glyphs by id), a width array and a ToUnicode map. Pages taken from several
documents therefore bring several fonts for the same face (handout parts are
even written with glyph 0 only: see pdf.Rendered.pdf), and so do the slide
PDF's pages, drawn in the same shape by pdf_faces beside WeasyPrint's figures.
`embed_fonts` replaces the copies of a face (known by the PostScript name its
program carries: WeasyPrint names one face differently per style and size) by
one: the original font file (found by that name through fontconfig) cut to the
union of the glyphs, with the union of widths and Unicode maps, the way
WeasyPrint would have embedded it had it rendered all the pages at once.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import io
import os
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pikepdf
import uharfbuzz as hb
from fontTools.ttLib import TTFont, newTable
from fontTools.ttLib.tables._g_l_y_f import Glyph

from .files import write_atomically
from .measure import harfbuzz_face

# What WeasyPrint drops from an embedded font, and where its colour glyphs live (emptied when embedded).
DROPPED_TABLES = ("BASE", "DSIG", "EBDT", "EBLC", "EBSC", "GPOS", "GSUB", "JSTF", "LTSH", "PCLT", "SVG ")
COLOUR_TABLES = ("CBDT", "CBLC", "SVG ", "COLR")
_BFCHAR = re.compile(rb"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]*)>")


@functools.lru_cache(maxsize=1)
def installed_faces() -> dict[str, tuple[str, int]]:
    """PostScript name → (font file, face index) for every face fontconfig knows."""
    try:
        listing = subprocess.run(["fc-list", "--format", "%{postscriptname}\t%{file}\t%{index}\n"],
                                 capture_output=True, text=True, timeout=30, check=True).stdout
    except (OSError, subprocess.SubprocessError):
        return {}
    faces = {}
    for line in sorted(listing.splitlines()):
        name, _, rest = line.partition("\t")
        path, _, index = rest.partition("\t")
        if name and path and index.isdigit():
            faces.setdefault(name, (path, int(index) & 0xFFFF))  # high bits: a variable font's named instance
    return faces


class FontError(Exception):
    """A face that cannot be embedded again (not installed, or a variable font)."""


@dataclass
class EmbeddedFont:
    """One Type0 font object of the PDF and what it says about its glyphs."""

    font: pikepdf.Dictionary
    widths: dict[int, object]
    unicode: dict[int, bytes]  # glyph id → UTF-16BE text

    @property
    def descendant(self) -> pikepdf.Dictionary:
        return self.font.DescendantFonts[0]

    @property
    def program(self) -> pikepdf.Stream:
        descriptor = self.descendant.FontDescriptor
        return descriptor.get("/FontFile3") or descriptor.get("/FontFile2")


def _read(font: pikepdf.Dictionary) -> EmbeddedFont | None:
    """The glyphs of one embedded font, or None when it is not a WeasyPrint CID font (its bitmap
    fonts are Type 3 and carry their glyphs themselves)."""
    if font.get("/Subtype") != pikepdf.Name.Type0:
        return None
    descendant = font.DescendantFonts[0]
    descriptor = descendant.get("/FontDescriptor")
    if descriptor is None or ("/FontFile3" not in descriptor and "/FontFile2" not in descriptor):
        return None
    cmap = font.ToUnicode.read_bytes()
    widths: dict[int, object] = {}
    entries = list(descendant.get("/W", pikepdf.Array()))
    for start, values in zip(entries[::2], entries[1::2]):  # WeasyPrint writes only the `first [w w …]` form
        for offset, width in enumerate(values):
            widths[int(start) + offset] = width
    unicode = {int(glyph, 16): bytes.fromhex(text.decode()) for glyph, text in _BFCHAR.findall(cmap.split(b"endcodespacerange", 1)[-1])}
    return EmbeddedFont(font, widths, unicode)


def postscript_name(program: bytes) -> str:
    """The PostScript name a font program carries (name ID 6)."""
    return TTFont(io.BytesIO(program), lazy=True)["name"].getDebugName(6) or ""


def subset_font(path: str, index: int, glyphs: list[int]) -> bytes:
    """The face cut down to glyphs with their ids kept, as WeasyPrint cuts it (HarfBuzz, hinting
    and layout tables dropped); colour glyphs emptied."""
    face = harfbuzz_face(path, index)
    tables = set(face.table_tags)
    if "fvar" in tables:  # WeasyPrint instantiates a variable font at the variations the text used
        raise FontError(f"{path} is a variable font")
    drawn = [glyph for glyph in glyphs if glyph < face.glyph_count]
    request = hb.SubsetInput()
    request.glyph_set.update(drawn)
    request.drop_table_tag_set.update(int.from_bytes(tag.encode(), "big") for tag in DROPPED_TABLES)
    notdef = hb.SubsetFlags.NOTDEF_OUTLINE if len(drawn) < len(glyphs) else hb.SubsetFlags.DEFAULT
    request.flags = hb.SubsetFlags.RETAIN_GIDS | hb.SubsetFlags.PASSTHROUGH_UNRECOGNIZED | hb.SubsetFlags.DESUBROUTINIZE | notdef
    kept = hb.subset(face, request)
    request.glyph_set.update(range(max(drawn, default=0) + 1))  # then drop the empty glyphs after the last one used
    request.flags = hb.SubsetFlags.PASSTHROUGH_UNRECOGNIZED | hb.SubsetFlags.DESUBROUTINIZE | hb.SubsetFlags.NO_HINTING | notdef
    data = hb.subset(kept, request).blob.data
    return _emptied_colour_glyphs(data) if tables & {"CBDT", "sbix", "SVG ", "COLR"} else data


def _cut(name: str, path: str, index: int, glyphs: list[int], kept: Path | None) -> bytes:
    """subset_font, the last cut for each font (name: its BaseFont, one per style WeasyPrint used) kept
    in the folder kept: an edit that shows no glyph the document did not show already reuses it (the
    CJK faces take a fifth of a second to cut). The key names the font file's version, the glyphs,
    HarfBuzz's version and this module's code."""
    if kept is None:
        return subset_font(path, index, glyphs)
    stat = os.stat(path)
    key = hashlib.sha256(f"{_code_digest()}|{hb.__version__}|{path}|{index}|{stat.st_size}|{stat.st_mtime_ns}|"
                         f"{glyphs}".encode()).hexdigest().encode()
    file = kept / f"{hashlib.sha256(name.encode()).hexdigest()[:16]}.cut"
    with contextlib.suppress(OSError):
        data = file.read_bytes()
        if data.startswith(key + b"\n"):
            return data[len(key) + 1:]
    program = subset_font(path, index, glyphs)
    write_atomically(file, key + b"\n" + program)
    return program


@functools.lru_cache(maxsize=1)
def _code_digest() -> str:
    return hashlib.sha256(Path(__file__).read_bytes()).hexdigest()


def glyph_count(path: str, index: int) -> int:
    """How many glyphs a face has; WeasyPrint numbers the characters no font has past them."""
    return harfbuzz_face(path, index).glyph_count


def _emptied_colour_glyphs(data: bytes) -> bytes:
    """A colour font's glyphs as empty outlines (WeasyPrint draws colour glyphs as images); the head
    table's date kept, so equal pages give equal bytes."""
    font = TTFont(io.BytesIO(data), recalcTimestamp=False)
    if "glyf" not in font or "loca" not in font:
        font["loca"] = newTable("loca")
        font["glyf"] = newTable("glyf")
        font["glyf"].glyphOrder = font.getGlyphOrder()
        font["glyf"].glyphs = {name: Glyph() for name in font["glyf"].glyphOrder}
    else:
        for name in list(font["glyf"].glyphs):
            font["glyf"][name] = Glyph()
    for tag in COLOUR_TABLES:
        if tag in font:
            del font[tag]
    output = io.BytesIO()
    font.save(output)
    return output.getvalue()


def _to_unicode(pdf: pikepdf.Pdf, unicode: dict[int, bytes]) -> pikepdf.Stream:
    """A ToUnicode CMap in WeasyPrint's form: single glyph entries, a hundred per block."""
    lines = [b"/CIDInit /ProcSet findresource begin", b"12 dict begin", b"begincmap", b"/CIDSystemInfo",
             b"<< /Registry (Adobe)", b"/Ordering (UCS)", b"/Supplement 0", b">> def", b"/CMapName /Adobe-Identity-UCS def",
             b"/CMapType 2 def", b"1 begincodespacerange", b"<0000> <ffff>", b"endcodespacerange"]
    items = sorted(unicode.items())
    for start in range(0, len(items), 100):
        batch = items[start:start + 100]
        lines.append(f"{len(batch)} beginbfchar".encode())
        lines.extend(f"<{glyph:04x}> <{text.hex()}>".encode() for glyph, text in batch)
        lines.append(b"endbfchar")
    lines += [b"endcmap", b"CMapName currentdict /CMap defineresource pop", b"end", b"end"]
    return pikepdf.Stream(pdf, b"\n".join(lines))


def _missing_encoding(pdf: pikepdf.Pdf, glyphs: list[int], count: int) -> pikepdf.Stream:
    """The CMap WeasyPrint writes when some characters have no glyph: those ids show glyph 0."""
    lines = [b"/CIDInit /ProcSet findresource begin", b"12 dict begin", b"begincmap", b"/CIDSystemInfo",
             b"3 dict dup begin", b"/Registry (Adobe) def", b"/Ordering (Identity) def", b"/Supplement 0 def", b"end def",
             b"/CMapName /WP-Encod-0 def", b"/CMapType 1 def", b"1 begincodespacerange", b"<0000> <ffff>", b"endcodespacerange"]
    for start in range(0, len(glyphs), 100):
        batch = glyphs[start:start + 100]
        lines.append(f"{len(batch)} begincidchar".encode())
        lines.extend(f"<{glyph:04x}> {glyph if glyph < count else 0}".encode() for glyph in batch)
        lines.append(b"endcidchar")
    lines += [b"endcmap", b"CMapName currentdict /CMap defineresource pop", b"end", b"end"]
    system = pikepdf.Dictionary(Registry=pikepdf.String("Adobe"), Ordering=pikepdf.String("Identity"), Supplement=0)
    return pikepdf.Stream(pdf, b"\n".join(lines), Type=pikepdf.Name.CMap, CMapName=pikepdf.Name("/WP-Encod-0"), CIDSystemInfo=system)


def _width_array(widths: dict[int, object]) -> pikepdf.Array:
    """The W array: runs of consecutive glyph ids, each as `first [w w …]`. Made from Python lists at
    once: appending to a pikepdf array one width at a time took a third of a handout's assembly."""
    runs: list[tuple[int, list]] = []
    for glyph in sorted(widths):
        if glyph - 1 not in widths:
            runs.append((glyph, []))
        runs[-1][1].append(widths[glyph])
    return pikepdf.Array([item for first, run in runs for item in (first, pikepdf.Array(run))])


def _merged(pdf: pikepdf.Pdf, fonts: list[EmbeddedFont], kept: Path | None) -> pikepdf.Dictionary:
    """One font object standing for all of fonts (copies of one face), with the face embedded once."""
    widths: dict[int, object] = {}
    unicode: dict[int, bytes] = {}
    for font in fonts:
        widths = {**font.widths, **widths}
        unicode = {**font.unicode, **unicode}
    glyphs = sorted(set(widths) | set(unicode))
    first = fonts[0]
    name = postscript_name(first.program.read_bytes())
    if name not in installed_faces():
        raise FontError(f"the font {name or str(first.font.BaseFont)} is not installed (fontconfig does not list it)")
    path, index = installed_faces()[name]
    program = _cut(str(first.font.BaseFont), path, index, glyphs, kept)
    old = first.descendant.FontDescriptor
    descriptor = pikepdf.Dictionary({key: old[key] for key in old.keys() if key not in ("/FontFile2", "/FontFile3", "/CIDSet")})
    stream = pikepdf.Stream(pdf, program)
    if "/FontFile3" in old:
        stream.Subtype = pikepdf.Name.OpenType
        descriptor.FontFile3 = pdf.make_indirect(stream)
    else:
        stream.Length1 = len(program)
        descriptor.FontFile2 = pdf.make_indirect(stream)
    values = [float(w) for w in widths.values()]
    bbox = list(old.FontBBox)
    bbox[2] = max(widths.values(), key=float) if widths else 0
    descriptor.FontBBox = pikepdf.Array(bbox)
    descriptor.Flags = (int(old.Flags) & ~1) | (1 if len(values) > 1 and len(set(values)) == 1 else 0)  # FixedPitch
    descendant = pikepdf.Dictionary({key: first.descendant[key] for key in first.descendant.keys()})
    descendant.W = _width_array(widths)
    descendant.FontDescriptor = pdf.make_indirect(descriptor)
    font = pikepdf.Dictionary({key: first.font[key] for key in first.font.keys()})
    font.DescendantFonts = pikepdf.Array([pdf.make_indirect(descendant)])
    font.ToUnicode = pdf.make_indirect(_to_unicode(pdf, unicode))
    count = glyph_count(path, index)
    font.Encoding = (pdf.make_indirect(_missing_encoding(pdf, glyphs, count)) if glyphs and glyphs[-1] >= count
                     else pikepdf.Name("/Identity-H"))
    return pdf.make_indirect(font)


def _font_resources(pdf: pikepdf.Pdf) -> list[pikepdf.Dictionary]:
    """Every /Font resource dictionary the pages use, directly or through form XObjects and patterns,
    in the order the pages reach them."""
    found: list[pikepdf.Dictionary] = []
    seen: set[tuple[int, int]] = set()
    pending = [page.obj.get("/Resources") for page in reversed(pdf.pages)]
    while pending:
        resources = pending.pop()
        if resources is None or (resources.is_indirect and resources.objgen in seen):
            continue
        if resources.is_indirect:
            seen.add(resources.objgen)
        fonts = resources.get("/Font")
        if fonts is not None and not (fonts.is_indirect and fonts.objgen in seen):
            if fonts.is_indirect:
                seen.add(fonts.objgen)
            found.append(fonts)
        for group in ("/XObject", "/Pattern"):
            for name in sorted(resources.get(group, pikepdf.Dictionary()).keys(), reverse=True):
                item = resources[group][name]
                if isinstance(item, (pikepdf.Dictionary, pikepdf.Stream)) and "/Resources" in item:
                    pending.append(item.Resources)
    return found


def embed_fonts(pdf: pikepdf.Pdf, kept: Path | None = None) -> None:
    """Embed each face the pages of pdf use once, holding every glyph they show; each face's cut is
    kept in the folder kept (when given) for the next assembly of the same document."""
    resources = _font_resources(pdf)
    faces: dict[str, dict[tuple[int, int], EmbeddedFont]] = {}  # by the face's PostScript name: one font per face
    read: set[tuple[int, int]] = set()
    for fonts in resources:
        for font in fonts.values():
            if font.objgen not in read:
                read.add(font.objgen)
                embedded = _read(font)
                if embedded is not None:
                    faces.setdefault(postscript_name(embedded.program.read_bytes()), {})[font.objgen] = embedded
    for name in sorted(faces):
        copies = faces[name]
        merged = _merged(pdf, [copies[key] for key in sorted(copies)], kept)
        for fonts in resources:
            for key in list(fonts.keys()):
                if fonts[key].objgen in copies:
                    fonts[key] = merged
