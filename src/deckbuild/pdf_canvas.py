"""One PDF page drawn directly as a content stream, in the slide's coordinates (points, y down).

What a slide PDF draws besides WeasyPrint's figures: filled and outlined
rectangles, lines, lines of text placed glyph by glyph at the planned
positions (faces from `pdf_faces`, an italic slanted as PowerPoint does when a
face has no italic), colour emoji as pictures over their glyphs, forms
(figures) and link areas. The glyphs are written by id with the face's own
advances, so the text is selectable and copies as the characters it shows.
"""

from __future__ import annotations

import io
import zlib
from dataclasses import dataclass

import pikepdf
from PIL import Image

from .pdf_faces import FontUse, Glyph

SLANT = 0.2  # the shear of a slanted (synthetic italic) line
EMOJI_RISE = 0.88  # a colour glyph's picture stands this share of its height above the baseline


def _n(value: float) -> str:
    """A number as PDF writes it: at most two decimals, no trailing zeros."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def _rgb(colour: str) -> str:
    return " ".join(_n(int(colour[i:i + 2], 16) / 255) for i in (0, 2, 4))


@dataclass(frozen=True)
class Piece:
    """Consecutive glyphs of one colour and slant; gaps[i] is extra room after glyph i, points."""

    glyphs: tuple[Glyph, ...]
    gaps: tuple[float, ...]
    colour: str
    slanted: bool = False

    def width(self, size: float) -> float:
        return sum(glyph.advance for glyph in self.glyphs) * size + sum(self.gaps)


class PageCanvas:
    """The drawing of one page: its content stream and the resources it names."""

    def __init__(self, pdf: pikepdf.Pdf, height: float, fonts: FontUse, pictures: dict) -> None:
        self.pdf, self.height, self.fonts = pdf, height, fonts
        self.pictures = pictures  # (face, glyph) → image XObject, shared by the document's pages
        self.ops: list[str] = []
        self.xobjects: dict[str, pikepdf.Object] = {}
        self.links: list[tuple[float, float, float, float, str]] = []

    def rect(self, x: float, y: float, width: float, height: float, fill: str | None = None,
             stroke: str | None = None, line_width: float = 1.0) -> None:
        """A rectangle, filled and/or outlined (the outline centred on its edges)."""
        if not (fill or stroke):
            return
        colours = (f"{_rgb(fill)} rg " if fill else "") + (f"{_rgb(stroke)} RG {_n(line_width)} w " if stroke else "")
        paint = "B" if fill and stroke else "f" if fill else "S"
        self.ops.append(f"{colours}{_n(x)} {_n(self.height - y - height)} {_n(width)} {_n(height)} re {paint}")

    def line(self, x1: float, y1: float, x2: float, y2: float, colour: str, width: float) -> None:
        self.ops.append(f"{_rgb(colour)} RG {_n(width)} w {_n(x1)} {_n(self.height - y1)} m {_n(x2)} {_n(self.height - y2)} l S")

    def text(self, x: float, baseline: float, size: float, pieces: list[Piece]) -> list[float]:
        """Pieces of text one after another from x on baseline; returns where each piece starts and the line ends."""
        starts = [x]
        ops = ["BT"]
        font = None
        pictures = []
        for piece in pieces:
            pen = starts[-1]
            slant = SLANT if piece.slanted else 0
            ops.append(f"{_rgb(piece.colour)} rg 1 0 {_n(slant)} 1 {_n(pen)} {_n(self.height - baseline)} Tm")
            shown: list[str] = []
            for glyph, gap in zip(piece.glyphs, piece.gaps):
                name = self.fonts.resource_name(glyph)
                if name != font:
                    if shown:
                        ops.append(f"[{''.join(shown)}] TJ")
                        shown = []
                    ops.append(f"{name} {_n(size)} Tf")
                    font = name
                shown.append(f"<{glyph.id:04x}>")
                if gap:
                    shown.append(_n(-gap * 1000 / size))
                if glyph.face.colour:
                    pictures.append((glyph, pen))
                pen += glyph.advance * size + gap
            if shown:
                ops.append(f"[{''.join(shown)}] TJ")
            starts.append(pen)
        ops.append("ET")
        self.ops.append(" ".join(ops))
        for glyph, left in pictures:
            self._emoji(glyph, left, baseline, size)
        return starts

    def _emoji(self, glyph: Glyph, left: float, baseline: float, size: float) -> None:
        """A colour glyph's picture over its (empty) glyph, as tall as it is wide."""
        key = (glyph.face, glyph.id)
        if key not in self.pictures:
            data = glyph.face.png(glyph.id)
            self.pictures[key] = png_image(self.pdf, data) if data else None
        image = self.pictures[key]
        if image is None:
            return
        height = glyph.advance * size
        width = height * float(image.Width) / float(image.Height)
        self.form(image, left, baseline - EMOJI_RISE * height, width, height, f"/E{glyph.id}")

    def form(self, xobject: pikepdf.Object, x: float, y: float, width: float, height: float, name: str) -> None:
        """An image (drawn into the box) or a form of the box's size (drawn at its corner)."""
        self.xobjects[name] = xobject
        if xobject.get("/Subtype") == pikepdf.Name.Image:
            self.ops.append(f"q {_n(width)} 0 0 {_n(height)} {_n(x)} {_n(self.height - y - height)} cm {name} Do Q")
        else:
            self.ops.append(f"q 1 0 0 1 {_n(x)} {_n(self.height - y - height)} cm {name} Do Q")

    def link(self, x1: float, y1: float, x2: float, y2: float, target: str) -> None:
        self.links.append((x1, y1, x2, y2, target))

    def page(self, width: float) -> pikepdf.Dictionary:
        """The page object of this drawing (its fonts written when the document's are finished)."""
        resources = pikepdf.Dictionary(Font=self.fonts.resources)
        if self.xobjects:
            resources.XObject = pikepdf.Dictionary(self.xobjects)
        page = pikepdf.Dictionary(Type=pikepdf.Name.Page, MediaBox=[0, 0, width, self.height], Resources=resources,
                                  Contents=self.pdf.make_stream(zlib.compress("\n".join(self.ops).encode(), 6),
                                                                Filter=pikepdf.Name.FlateDecode))
        if self.links:
            page.Annots = pikepdf.Array([self.pdf.make_indirect(pikepdf.Dictionary(
                Type=pikepdf.Name.Annot, Subtype=pikepdf.Name.Link, Border=[0, 0, 0],
                Rect=[x1, self.height - y2, x2, self.height - y1],
                A=pikepdf.Dictionary(S=pikepdf.Name.URI, URI=pikepdf.String(target))))
                for x1, y1, x2, y2, target in self.links])
        return page


def png_image(pdf: pikepdf.Pdf, data: bytes) -> pikepdf.Stream:
    """A PNG as an image XObject: its colours deflated, its transparency as a soft mask."""
    with Image.open(io.BytesIO(data)) as picture:
        rgba = picture.convert("RGBA")
    colours = pdf.make_stream(zlib.compress(rgba.convert("RGB").tobytes(), 6), Type=pikepdf.Name.XObject,
                              Subtype=pikepdf.Name.Image, Width=rgba.width, Height=rgba.height,
                              ColorSpace=pikepdf.Name.DeviceRGB, BitsPerComponent=8, Filter=pikepdf.Name.FlateDecode)
    colours.SMask = pdf.make_stream(zlib.compress(rgba.getchannel("A").tobytes(), 6), Type=pikepdf.Name.XObject,
                                    Subtype=pikepdf.Name.Image, Width=rgba.width, Height=rgba.height,
                                    ColorSpace=pikepdf.Name.DeviceGray, BitsPerComponent=8, Filter=pikepdf.Name.FlateDecode)
    return colours
