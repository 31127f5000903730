"""Font faces for PDF text we draw ourselves (slide PDFs): glyphs, advances, and font objects to embed.

A `PdfFace` is one installed face read with HarfBuzz: the glyph and advance of
each character (no shaping: the planner measures advances alone), its ascent
and descent, and its colour PNGs (emoji). A `FontUse` collects the glyphs a
document shows per face and writes each face as a Type 0 font in WeasyPrint's
shape (CID = glyph id, a W array and a ToUnicode map), its program cut to
glyph 0, so `pdf_fonts.embed_fonts` cuts it to the glyphs used, the same way
and together with the faces of WeasyPrint pages in the same PDF.
"""

from __future__ import annotations

import functools
import hashlib
import subprocess
from dataclasses import dataclass

import pikepdf
import uharfbuzz as hb

from .measure import harfbuzz_face, locate

INVISIBLE = frozenset("\u200d\ufe0f\ufe0e\u200b\u2060")  # joiners and selectors: no glyph, no advance


class PdfFace:
    """One face of a font file: what each character draws and how far it advances, in ems."""

    def __init__(self, path: str, index: int) -> None:
        self.path, self.index = path, index
        self.face = harfbuzz_face(path, index)
        self.font = hb.Font(self.face)
        self.upem = self.face.upem
        extents = self.font.get_font_extents("ltr")
        self.ascent, self.descent = extents.ascender / self.upem, -extents.descender / self.upem
        self.colour = bool(self.face.has_color_png)
        self.postscript_name = self.face.get_name(hb.OTNameIdPredefined.POSTSCRIPT_NAME) or f"face{index}"
        self._glyphs: dict[str, tuple[int, float] | None] = {}

    def glyph(self, char: str) -> tuple[int, float] | None:
        """(glyph id, advance in ems) of char, or None when the face has no glyph for it."""
        if char not in self._glyphs:
            glyph = self.font.get_nominal_glyph(ord(char))
            self._glyphs[char] = None if glyph is None else (glyph, self.font.get_glyph_h_advance(glyph) / self.upem)
        return self._glyphs[char]

    def png(self, glyph: int) -> bytes:
        """A colour glyph's picture (PNG bytes), empty when it has none."""
        return self.font.get_glyph_color_png(glyph).data if self.colour else b""

    @functools.cached_property
    def stub_program(self) -> bytes:
        """The face cut to glyph 0 (its name table stays: pdf_fonts finds the face by it)."""
        request = hb.SubsetInput()
        request.glyph_set.add(0)
        request.flags = hb.SubsetFlags.RETAIN_GIDS
        return hb.subset(self.face, request).blob.data


@functools.lru_cache(maxsize=None)
def installed_face(family: str, bold: bool = False) -> PdfFace:
    """The face fontconfig uses for family (and weight), kept for the process."""
    found = locate(family, bold)
    return _face_at(found.path, found.index)


@functools.lru_cache(maxsize=None)
def fallback_face(char: str) -> PdfFace | None:
    """The face fontconfig offers for a character the theme's faces lack (as WeasyPrint falls back), if any."""
    try:
        found = subprocess.run(["fc-match", "-f", "%{file}\t%{index}", f":charset={ord(char):x}"],
                               capture_output=True, text=True, timeout=10, check=True).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    path, _, index = found.partition("\t")
    face = _face_at(path, int(index or 0)) if path else None
    return face if face is not None and face.glyph(char) is not None else None


@functools.lru_cache(maxsize=None)
def _face_at(path: str, index: int) -> PdfFace:
    return PdfFace(path, index)


@dataclass(frozen=True)
class Glyph:
    """One character as drawn: its face, glyph id and advance in ems."""

    face: PdfFace
    id: int
    advance: float
    text: str


class FaceChain:
    """Faces tried in turn for each character (the theme's Latin and East Asian faces, then emoji), then
    the face fontconfig offers for it."""

    def __init__(self, faces: list[PdfFace]) -> None:
        self.faces = list(dict.fromkeys(faces))

    def glyph(self, char: str) -> Glyph:
        for face in self.faces:
            found = face.glyph(char)
            if found is not None:
                return Glyph(face, found[0], found[1], char)
        fallback = fallback_face(char)
        if fallback is not None:
            glyph, advance = fallback.glyph(char)
            return Glyph(fallback, glyph, advance, char)
        return Glyph(self.faces[0], 0, 1.0, char)  # no face has it: .notdef, one em, as the measure counts it


class FontUse:
    """The faces a PDF's pages draw with, the glyphs each shows, and their font objects."""

    def __init__(self, pdf: pikepdf.Pdf) -> None:
        self.pdf = pdf
        self.glyphs: dict[PdfFace, dict[int, tuple[float, str]]] = {}
        self.names: dict[PdfFace, str] = {}
        self.resources = pdf.make_indirect(pikepdf.Dictionary())  # every page's /Font, filled by finish


    def resource_name(self, glyph: Glyph) -> str:
        """The page resource name of glyph's face, noting the glyph as shown."""
        shown = self.glyphs.setdefault(glyph.face, {})
        if glyph.id not in shown or not shown[glyph.id][1]:
            shown[glyph.id] = (glyph.advance, glyph.text if glyph.id else "")
        if glyph.face not in self.names:
            self.names[glyph.face] = f"/F{len(self.names) + 1}"
        return self.names[glyph.face]

    def finish(self) -> None:
        """The font object of every face used, in the pages' /Font resources."""
        for face, name in self.names.items():
            self.resources[name] = self._font(face)

    def _font(self, face: PdfFace) -> pikepdf.Object:
        shown = self.glyphs[face]
        tag = "".join(chr(65 + byte % 26) for byte in hashlib.md5(face.postscript_name.encode()).digest()[:6])
        name = pikepdf.Name(f"/{tag}+{face.postscript_name}")
        widths = {glyph: round(advance * 1000, 2) for glyph, (advance, _) in sorted(shown.items())}
        program = face.stub_program
        cff = program[:4] == b"OTTO"
        stream = pikepdf.Stream(self.pdf, program)
        if cff:
            stream.Subtype = pikepdf.Name.OpenType
        else:
            stream.Length1 = len(program)
        descriptor = pikepdf.Dictionary(
            Type=pikepdf.Name.FontDescriptor, FontName=name, Flags=4, ItalicAngle=0,
            FontBBox=[0, round(-face.descent * 1000), max(widths.values(), default=0), round(face.ascent * 1000)],
            Ascent=round(face.ascent * 1000), Descent=round(-face.descent * 1000), CapHeight=round(face.ascent * 1000),
            StemV=80, StemH=80)
        descriptor["/FontFile3" if cff else "/FontFile2"] = self.pdf.make_indirect(stream)
        runs: list = []
        for glyph, width in widths.items():
            if glyph - 1 not in widths:
                runs += [glyph, []]
            runs[-1].append(width)
        descendant = pikepdf.Dictionary(
            Type=pikepdf.Name.Font, Subtype=pikepdf.Name("/CIDFontType0" if cff else "/CIDFontType2"), BaseFont=name,
            CIDSystemInfo=pikepdf.Dictionary(Registry=pikepdf.String("Adobe"), Ordering=pikepdf.String("Identity"), Supplement=0),
            CIDToGIDMap=pikepdf.Name.Identity, W=pikepdf.Array(runs), FontDescriptor=self.pdf.make_indirect(descriptor))
        lines = [f"<{glyph:04x}> <{text.encode('utf-16-be').hex()}>" for glyph, (_, text) in sorted(shown.items()) if text]
        unicode = "\n".join(["begincmap", "1 begincodespacerange", "<0000> <ffff>", "endcodespacerange",
                             *(f"{len(lines[i:i + 100])} beginbfchar\n" + "\n".join(lines[i:i + 100]) + "\nendbfchar"
                               for i in range(0, len(lines), 100)), "endcmap"])
        return self.pdf.make_indirect(pikepdf.Dictionary(
            Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type0, BaseFont=name, Encoding=pikepdf.Name("/Identity-H"),
            DescendantFonts=[self.pdf.make_indirect(descendant)],
            ToUnicode=self.pdf.make_indirect(pikepdf.Stream(self.pdf, unicode.encode()))))
