"""One embedded font per face in a PDF made of several WeasyPrint documents.

WeasyPrint embeds each face it uses as a subset holding only the glyphs that
document shows, with their original glyph ids (Identity-H, so the text in the
pages names glyphs by id), a width array and a ToUnicode map. Pages taken from
several documents therefore bring several subsets of the same face, each
under the same name. `merge_fonts` replaces them by one: the original font
file (found by its PostScript name through fontconfig) cut to the union of
the glyphs, with the union of widths and Unicode maps, the way WeasyPrint
would have embedded it had it rendered all the pages at once. A face it cannot
merge (not found, a variable font, a custom encoding) keeps its copies.
"""

from __future__ import annotations

import functools
import io
import re
import subprocess
from dataclasses import dataclass

import pikepdf
import uharfbuzz as hb
from fontTools.ttLib import TTFont, newTable
from fontTools.ttLib.tables._g_l_y_f import Glyph

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
    """The glyphs of one embedded font, or None when it is not a WeasyPrint Identity-H subset."""
    if font.get("/Subtype") != pikepdf.Name.Type0 or font.get("/Encoding") != pikepdf.Name("/Identity-H"):
        return None
    descendant = font.DescendantFonts[0]
    descriptor = descendant.get("/FontDescriptor")
    if descriptor is None or ("/FontFile3" not in descriptor and "/FontFile2" not in descriptor):
        return None
    cmap = font.ToUnicode.read_bytes()
    if b"bfrange" in cmap:
        return None
    widths: dict[int, object] = {}
    entries = list(descendant.get("/W", pikepdf.Array()))
    for start, values in zip(entries[::2], entries[1::2]):
        if not isinstance(values, pikepdf.Array):
            return None  # the c_first c_last w form; WeasyPrint does not write it
        for offset, width in enumerate(values):
            widths[int(start) + offset] = width
    unicode = {int(glyph, 16): bytes.fromhex(text.decode()) for glyph, text in _BFCHAR.findall(cmap.split(b"endcodespacerange", 1)[-1])}
    return EmbeddedFont(font, widths, unicode)


def postscript_name(program: bytes) -> str:
    """The PostScript name a font program carries (name ID 6)."""
    return TTFont(io.BytesIO(program), lazy=True)["name"].getDebugName(6) or ""


def subset_font(path: str, index: int, glyphs: list[int]) -> bytes | None:
    """The face cut down to glyphs with their ids kept, as WeasyPrint cuts it (HarfBuzz, hinting
    and layout tables dropped); colour glyphs emptied. None for a variable font, which WeasyPrint
    also instantiates at the variations the text used."""
    face = hb.Face(hb.Blob.from_file_path(path), index)
    tables = set(face.table_tags)
    if "fvar" in tables:
        return None
    request = hb.SubsetInput()
    request.glyph_set.update(glyphs)
    request.drop_table_tag_set.update(int.from_bytes(tag.encode(), "big") for tag in DROPPED_TABLES)
    request.flags = hb.SubsetFlags.RETAIN_GIDS | hb.SubsetFlags.PASSTHROUGH_UNRECOGNIZED | hb.SubsetFlags.DESUBROUTINIZE
    kept = hb.subset(face, request)
    request.glyph_set.update(range(max(glyphs) + 1))  # then drop the empty glyphs after the last one used
    request.flags = hb.SubsetFlags.PASSTHROUGH_UNRECOGNIZED | hb.SubsetFlags.DESUBROUTINIZE | hb.SubsetFlags.NO_HINTING
    data = hb.subset(kept, request).blob.data
    return _emptied_colour_glyphs(data) if tables & {"CBDT", "sbix", "SVG ", "COLR"} else data


def _emptied_colour_glyphs(data: bytes) -> bytes:
    """A colour font's glyphs as empty outlines (WeasyPrint draws colour glyphs as images)."""
    font = TTFont(io.BytesIO(data))
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


def _width_array(widths: dict[int, object]) -> pikepdf.Array:
    """The W array: runs of consecutive glyph ids, each as `first [w w …]`."""
    array, run = pikepdf.Array(), None
    for glyph in sorted(widths):
        if glyph - 1 not in widths:
            run = pikepdf.Array()
            array.extend([glyph, run])
        run.append(widths[glyph])
    return array


def _merged(pdf: pikepdf.Pdf, fonts: list[EmbeddedFont]) -> pikepdf.Dictionary | None:
    """One font object standing for all of fonts (subsets of one face), or None when that cannot be made."""
    widths: dict[int, object] = {}
    unicode: dict[int, bytes] = {}
    for font in fonts:
        widths = {**font.widths, **widths}
        unicode = {**font.unicode, **unicode}
    glyphs = sorted(set(widths) | set(unicode))
    first = fonts[0]
    face = installed_faces().get(postscript_name(first.program.read_bytes()))
    program = subset_font(*face, glyphs) if face and glyphs else None
    if program is None:
        return None
    old = first.descendant.FontDescriptor
    descriptor = pikepdf.Dictionary({key: old[key] for key in old.keys() if key not in ("/FontFile2", "/FontFile3", "/CIDSet")})
    program_key = "/FontFile3" if "/FontFile3" in old else "/FontFile2"
    stream = pikepdf.Stream(pdf, program)
    if program_key == "/FontFile3":
        stream.Subtype = pikepdf.Name.OpenType
    else:
        stream.Length1 = len(program)
    descriptor[program_key] = pdf.make_indirect(stream)
    values = [float(w) for w in widths.values()]
    bbox = list(old.FontBBox)
    bbox[2] = max(widths.values(), key=float) if widths else 0
    descriptor.FontBBox = pikepdf.Array(bbox)
    flags = int(old.Flags) & ~1
    descriptor.Flags = flags | (1 if len(values) > 1 and len(set(values)) == 1 else 0)  # FixedPitch
    descendant = pikepdf.Dictionary({key: first.descendant[key] for key in first.descendant.keys()})
    descendant.W = _width_array(widths)
    descendant.FontDescriptor = pdf.make_indirect(descriptor)
    font = pikepdf.Dictionary({key: first.font[key] for key in first.font.keys()})
    font.DescendantFonts = pikepdf.Array([pdf.make_indirect(descendant)])
    font.ToUnicode = pdf.make_indirect(_to_unicode(pdf, unicode))
    return pdf.make_indirect(font)


def _font_resources(pdf: pikepdf.Pdf) -> list[pikepdf.Dictionary]:
    """Every /Font resource dictionary the pages use, directly or through form XObjects and patterns."""
    found: dict[tuple[int, int], pikepdf.Dictionary] = {}
    seen: set[tuple[int, int]] = set()
    pending = [page.obj.get("/Resources") for page in pdf.pages]
    while pending:
        resources = pending.pop()
        if resources is None or (resources.is_indirect and resources.objgen in seen):
            continue
        if resources.is_indirect:
            seen.add(resources.objgen)
        fonts = resources.get("/Font")
        if fonts is not None:
            found.setdefault(fonts.objgen if fonts.is_indirect else (id(fonts), -1), fonts)
        for group in ("/XObject", "/Pattern"):
            for item in resources.get(group, pikepdf.Dictionary()).values():
                if isinstance(item, (pikepdf.Dictionary, pikepdf.Stream)) and "/Resources" in item:
                    pending.append(item.Resources)
    return [found[key] for key in sorted(found)]


def merge_fonts(pdf: pikepdf.Pdf) -> None:
    """Replace the several subsets of each face in pdf by one font holding all their glyphs."""
    resources = _font_resources(pdf)
    faces: dict[str, dict[tuple[int, int], EmbeddedFont]] = {}
    for fonts in resources:
        for font in fonts.values():
            if font.objgen not in faces.get(str(font.get("/BaseFont")), {}):
                embedded = _read(font)
                if embedded is not None:
                    faces.setdefault(str(font.BaseFont), {})[font.objgen] = embedded
    for name in sorted(faces):
        copies = faces[name]
        if len(copies) < 2:
            continue
        merged = _merged(pdf, [copies[key] for key in sorted(copies)])
        if merged is None:
            continue
        for fonts in resources:
            for key in list(fonts.keys()):
                if fonts[key].objgen in copies:
                    fonts[key] = merged
