"""The few DrawingML details python-pptx has no API for, kept in one place.

East-Asian font slots and language tags on runs, bullets and hanging indents
on paragraphs, alt text on shapes, SVG pictures with their PNG fallback, and
what python-pptx does slowly: slides, notes slides and placeholders copied
rather than built again for every slide, and a package's parts as bytes
without zipping them. No more.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass
from functools import lru_cache
from html import escape

from lxml import etree
from pptx.opc.constants import CONTENT_TYPE as CT
from pptx.opc.constants import RELATIONSHIP_TYPE as RT
from pptx.opc.package import Part
from pptx.opc.packuri import PackURI
from pptx.opc.serialized import PackageWriter
from pptx.enum.text import MSO_ANCHOR
from pptx.oxml import parse_xml
from pptx.oxml.xmlchemy import OxmlElement
from pptx.oxml.ns import qn
from pptx.parts.slide import NotesSlidePart
from pptx.shapes.autoshape import Shape
from pptx.shapes.placeholder import NotesSlidePlaceholder
from pptx.shapes.shapetree import SlideShapeFactory
from pptx.slide import Slide
from pptx.util import Emu, Pt

SVG_EXTENSION_URI = "{96DAC541-7B7A-43D3-8B79-37D633B846F1}"
SVG_NAMESPACE = "http://schemas.microsoft.com/office/drawing/2016/SVG/main"
R_NAMESPACE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
A_NAMESPACE = "http://schemas.openxmlformats.org/drawingml/2006/main"
P_NAMESPACE = "http://schemas.openxmlformats.org/presentationml/2006/main"
_PPR_BULLET_TAGS = ("a:buNone", "a:buAutoNum", "a:buChar", "a:buBlip")
_PPR_BULLET_SUCCESSORS = ("a:tabLst", "a:defRPr", "a:extLst")
_PPR_REPLACED = tuple(qn(tag) for tag in ("a:lnSpc", "a:spcBef", "a:spcAft", *_PPR_BULLET_TAGS))
_PPR_SUCCESSORS = tuple(qn(tag) for tag in _PPR_BULLET_SUCCESSORS)
XML_FORBIDDEN = dict.fromkeys(c for c in range(32) if c not in (9, 10, 13))


def xml_safe(text: str) -> str:
    """Text without the control characters XML 1.0 cannot hold."""
    return text.translate(XML_FORBIDDEN)


# Clark names of the run elements, resolved once: add_run is called for every
# coloured code token, and looking the names up each time was a tenth of a build.
_ENDPARARPR, _R, _RPR, _SOLIDFILL, _SRGBCLR, _LATIN, _EA, _T = (
    qn(f"a:{name}") for name in ("endParaRPr", "r", "rPr", "solidFill", "srgbClr", "latin", "ea", "t"))


def add_run(
    paragraph,
    text: str,
    size: float | None,
    color: str | None,
    latin: str,
    east_asian: str,
    lang: str,
    bold: bool = False,
    italic: bool = False,
    strike: bool = False,
):
    """Append a styled run to a paragraph in one go and return its a:r element.

    A size or colour of None is left to the placeholder's master style; fonts may
    be theme references (`+mn-lt`, `+mn-ea`), which a theme change restyles.
    Building the XML directly is an order of magnitude faster than setting each
    font property through python-pptx, which matters for code slides with
    thousands of coloured tokens.
    """
    end = paragraph._p.find(_ENDPARARPR)
    run = etree.Element(_R)
    rpr = etree.SubElement(run, _RPR, lang=lang, altLang="en-US")
    if size is not None:
        rpr.set("sz", str(int(round(size * 100))))
    rpr.set("b", "1" if bold else "0")
    rpr.set("i", "1" if italic else "0")
    if strike:
        rpr.set("strike", "sngStrike")
    if color is not None:
        fill = etree.SubElement(rpr, _SOLIDFILL)
        etree.SubElement(fill, _SRGBCLR, val=color)
    etree.SubElement(rpr, _LATIN, typeface=latin)
    etree.SubElement(rpr, _EA, typeface=east_asian)
    etree.SubElement(run, _T).text = xml_safe(text)
    if end is not None:
        end.addprevious(run)
    else:
        paragraph._p.append(run)
    return run


_HANGUL_RUN = re.compile("([\uac00-\ud7a3]+)")


def hangul_pieces(text: str) -> list[tuple[str, bool]]:
    """text cut into its stretches of Hangul syllables and the rest, in order: (piece, is Hangul)."""
    return [(piece, index % 2 == 1) for index, piece in enumerate(_HANGUL_RUN.split(text)) if piece] or [(text, False)]


def add_code_box(
    slide, box: tuple[int, int, int, int], name: str, fill: str, border: str, inset: int,
    lines: list[list[tuple[str, str]]], size: float, line_pitch: float, typeface: str, lang: str,
    hangul_typeface: str = "",
):
    """Add a filled, bordered, flat rectangle at box (x, y, cx, cy in EMU) holding lines of coloured
    runs (code): the shape python-pptx's add_shape, fill, line, no_shadow, a top-anchored text frame
    with inset margins and one left-aligned paragraph per line at an exact pitch (points) would make,
    each run in typeface at size in its colour (RGB hex); with hangul_typeface, Hangul syllables in
    runs of their own in that typeface. Returns the shape.

    The shape is written as XML text and parsed in one go: a code slide holds hundreds of runs, and
    building them element by element was a quarter of a deck's time."""
    tree = slide.shapes._spTree
    paragraph = paragraph_start_xml("l", line_pitch)
    starts: dict[tuple[str, bool], str] = {}  # (colour, Hangul) → the run's start, made once

    def start(colour: str, hangul: bool) -> str:
        face = hangul_typeface if hangul else typeface
        return starts.get((colour, hangul)) or starts.setdefault(
            (colour, hangul), run_start_xml(lang, size, False, colour, face, face))

    def run(piece: str, colour: str) -> str:
        if not hangul_typeface:
            return f"{start(colour, False)}<a:t>{xml_text(piece)}</a:t></a:r>"
        return "".join(f"{start(colour, hangul)}<a:t>{xml_text(part)}</a:t></a:r>" for part, hangul in hangul_pieces(piece))

    text = "".join(paragraph + "".join(run(piece, colour) for piece, colour in line) + "</a:p>" for line in lines)
    x, y, cx, cy = box
    margins = f'lIns="{inset}" rIns="{inset}" tIns="{inset}" bIns="{inset}"'
    element = parse_xml(
        f'<p:sp xmlns:p="{P_NAMESPACE}" xmlns:a="{A_NAMESPACE}"><p:nvSpPr><p:cNvPr id="{next_shape_id(tree)}" '
        f'name="{xml_attribute(name)}"/><p:cNvSpPr/><p:nvPr/></p:nvSpPr><p:spPr><a:xfrm><a:off x="{x}" y="{y}"/>'
        f'<a:ext cx="{cx}" cy="{cy}"/></a:xfrm><a:prstGeom prst="rect"><a:avLst/></a:prstGeom><a:solidFill>'
        f'<a:srgbClr val="{fill}"/></a:solidFill><a:ln><a:solidFill><a:srgbClr val="{border}"/></a:solidFill></a:ln>'
        f'<a:effectLst/></p:spPr>{FLAT_STYLE}<p:txBody><a:bodyPr rtlCol="0" anchor="t" wrap="square" {margins}>'
        f'<a:noAutofit/></a:bodyPr><a:lstStyle/>{text}</p:txBody></p:sp>')
    tree.append(element)
    return Shape(element, slide.shapes)  # what python-pptx's shape factory gives, without its placeholder lookup


def set_table_grid(frame, widths: list[int], heights: list[int]) -> None:
    """What setting each column's width and each row's height (EMU) of frame's table through
    python-pptx writes, the frame as wide and tall as their sums, in one step: python-pptx adds
    up every row again after each one it sets."""
    table = frame.table._tbl
    for column, width in zip(table.tblGrid.gridCol_lst, widths):
        column.w = width
    for row, height in zip(table.tr_lst, heights):
        row.h = height
    frame.width, frame.height = Emu(sum(widths)), Emu(sum(heights))


def set_name(shape, name: str) -> None:
    """What `shape.name = name` writes (the cNvPr of any p:sp, p:pic, p:graphicFrame or p:grpSp),
    without python-pptx's XPath lookup of the non-visual properties."""
    shape._element[0][0].set("name", name)


def xml_attribute(value: str) -> str:
    """value escaped for a double-quoted XML attribute, white space kept as it is."""
    return escape(xml_safe(value), quote=True).replace("\t", "&#9;").replace("\n", "&#10;").replace("\r", "&#13;")


def xml_text(value: str) -> str:
    """value escaped for XML element text (a carriage return kept, not read as a line end)."""
    return escape(xml_safe(value), quote=False).replace("\r", "&#13;")


def solid_fill_xml(colour: str) -> str:
    """A solid fill of an RGB hex colour (written as given), as XML text."""
    return f'<a:solidFill><a:srgbClr val="{xml_attribute(colour)}"/></a:solidFill>'


def paragraph_start_xml(align: str, line_pitch: float) -> str:
    """The start of a paragraph as XML text: aligned (l, ctr), no bullet or indent, lines an exact
    pitch (points) apart: what set_paragraph_layout writes."""
    return (f'<a:p><a:pPr algn="{align}" hangingPunct="0" marL="0" indent="0"><a:lnSpc><a:spcPts '
            f'val="{int(round(line_pitch * 100))}"/></a:lnSpc><a:spcBef><a:spcPts val="0"/></a:spcBef><a:buNone/></a:pPr>')


def run_start_xml(lang: str, size: float, bold: bool, colour: str, latin: str, east_asian: str) -> str:
    """The start of a run as XML text, up to its a:t: what add_run writes for a stated size and colour."""
    return (f'<a:r><a:rPr lang="{xml_attribute(lang)}" altLang="en-US" sz="{int(round(size * 100))}" '
            f'b="{1 if bold else 0}" i="0">{solid_fill_xml(colour)}<a:latin typeface="{xml_attribute(latin)}"/>'
            f'<a:ea typeface="{xml_attribute(east_asian)}"/></a:rPr>')


# The style python-pptx gives an autoshape, with the theme's effect (a shadow in LibreOffice) taken away.
FLAT_STYLE = ('<p:style><a:lnRef idx="1"><a:schemeClr val="accent1"/></a:lnRef><a:fillRef idx="3"><a:schemeClr '
               'val="accent1"/></a:fillRef><a:effectRef idx="0"><a:schemeClr val="accent1"/></a:effectRef><a:fontRef '
               'idx="minor"><a:schemeClr val="lt1"/></a:fontRef></p:style>')


def next_shape_id(tree) -> int:
    """The id python-pptx gives the next shape on the slide whose shape tree is tree: one more than any id on it."""
    return 1 + max((int(i) for i in _ALL_IDS(tree) if i.isdigit()), default=0)


def set_frame_layout(frame, anchor: MSO_ANCHOR, inset: int) -> None:
    """What setting a text frame's word_wrap to True, auto_size to NONE, its vertical anchor and its
    four margins to inset (EMU) writes, in one step: python-pptx looks the body properties up again
    for each of the eight."""
    body = frame._bodyPr
    body.set("wrap", "square")
    for fitting in list(body.iterchildren(*_AUTOFITS)):  # removed after the walk, not during it
        body.remove(fitting)
    # noAutofit's place in the schema: after a text warp, before everything else a bodyPr holds
    body.insert(1 if len(body) and body[0].tag == _TEXT_WARP else 0, etree.Element(_AUTOFITS[0]))
    body.set("anchor", _ANCHORS[anchor])
    for side, default in DEFAULT_INSETS.items():  # python-pptx leaves a margin at its default unwritten
        if inset == default:
            body.attrib.pop(side, None)
        else:
            body.set(side, str(inset))


_ANCHORS = {MSO_ANCHOR.TOP: "t", MSO_ANCHOR.MIDDLE: "ctr", MSO_ANCHOR.BOTTOM: "b"}
_AUTOFITS = tuple(qn(f"a:{name}") for name in ("noAutofit", "normAutofit", "spAutoFit"))
_TEXT_WARP = qn("a:prstTxWarp")
DEFAULT_INSETS = {"lIns": 91440, "rIns": 91440, "tIns": 45720, "bIns": 45720}  # a text body's margins (EMU) unless written


def place(shape, x: int, y: int, cx: int, cy: int) -> None:
    """Set a shape's (p:sp) position and size in EMU as its left, top, width and height would, in one step."""
    properties = shape._element.spPr
    transform = properties.find(_XFRM)
    if transform is None:  # a placeholder inherits its box until given one: xfrm comes first in spPr
        transform = OxmlElement("a:xfrm")
        properties.insert(0, transform)
    offset, extent = transform.find(_OFF), transform.find(_EXT)
    if offset is None:
        offset = OxmlElement("a:off")
        transform.insert(0, offset)
    if extent is None:
        extent = OxmlElement("a:ext")
        offset.addnext(extent)
    offset.set("x", str(x))
    offset.set("y", str(y))
    extent.set("cx", str(cx))
    extent.set("cy", str(cy))


_XFRM, _OFF, _EXT = (qn(f"a:{name}") for name in ("xfrm", "off", "ext"))


def add_slide_number(paragraph, number: int, lang: str, color: str | None = None) -> None:
    """A slide-number field showing number until PowerPoint renumbers it (in color, or the master's)."""
    field = etree.SubElement(paragraph._p, qn("a:fld"), id="{B6F15528-21DE-4FAA-801E-634DDDAF4B2B}", type="slidenum")
    properties = etree.SubElement(field, _RPR, lang=lang)
    if color is not None:
        etree.SubElement(etree.SubElement(properties, _SOLIDFILL), _SRGBCLR, val=color)
    etree.SubElement(field, _T).text = str(number)
    end = paragraph._p.find(_ENDPARARPR)
    if end is not None:
        end.addprevious(field)


def set_paragraph_layout(
    paragraph,
    left: float,
    hanging: float,
    space_before: float,
    line_pitch: float,
    bullet: str | None = None,
    number: int | None = None,
    align: str | None = None,
) -> None:
    """Indent, space before and exact line pitch (all points), a bullet character or a number, and
    the alignment ("l", "ctr") when given.

    The marker hangs in the first `hanging` points, so wrapped lines align with the
    text. An exact pitch (not a percentage of the font's own line height) makes
    PowerPoint, Keynote and LibreOffice break pages where the planner did. A
    paragraph without properties gets a copy of the ones made last time for the
    same layout (every line of code has the same).
    """
    p = paragraph._p
    if p.pPr is None:
        p.insert(0, copy.deepcopy(_paragraph_properties(left, hanging, space_before, line_pitch, bullet, number, align)))
        return
    _lay_out(p.pPr, left, hanging, space_before, line_pitch, bullet, number, align)


@lru_cache(maxsize=256)
def _paragraph_properties(*layout) -> etree._Element:
    properties = OxmlElement("a:pPr")
    _lay_out(properties, *layout)
    return properties


def _lay_out(ppr, left, hanging, space_before, line_pitch, bullet, number, align) -> None:
    if align is not None:
        ppr.set("algn", align)
    ppr.set("hangingPunct", "0")  # punctuation stays inside the box, where the planner measured it
    ppr.set("marL", str(Pt(left)))
    ppr.set("indent", str(-Pt(hanging)) if hanging else "0")
    for tag in _PPR_REPLACED:
        for element in ppr.findall(tag):
            ppr.remove(element)
    elements = []
    line_spacing = etree.Element(qn("a:lnSpc"))
    etree.SubElement(line_spacing, qn("a:spcPts"), val=str(int(round(line_pitch * 100))))
    elements.append(line_spacing)
    before = etree.Element(qn("a:spcBef"))
    etree.SubElement(before, qn("a:spcPts"), val=str(int(round(space_before * 100))))
    elements.append(before)
    if number is not None:
        elements.append(etree.Element(qn("a:buAutoNum"), type="arabicPeriod", startAt=str(number)))
    elif bullet:
        elements.append(etree.Element(qn("a:buChar"), char=bullet))
    else:
        elements.append(etree.Element(qn("a:buNone")))
    successor = next((found for tag in _PPR_SUCCESSORS if (found := ppr.find(tag)) is not None), None)
    for element in elements:
        if successor is not None:
            successor.addprevious(element)
        else:
            ppr.append(element)


def set_background_picture(slide, relationship: str, crop: tuple[float, float, float, float]) -> None:
    """The slide's background filled with the picture related as relationship: crop gives the
    (left, top, right, bottom) shares cut away, or, negative, the room left around the picture."""
    common = slide._element.find(qn("p:cSld"))
    for old in common.findall(qn("p:bg")):
        common.remove(old)
    background = etree.Element(qn("p:bg"))
    properties = etree.SubElement(background, qn("p:bgPr"))
    fill = etree.SubElement(properties, qn("a:blipFill"), dpi="0", rotWithShape="1")
    etree.SubElement(fill, qn("a:blip")).set(qn("r:embed"), relationship)
    shares = dict(zip("ltrb", (str(round(abs(side) * 100000)) for side in crop)))
    cut = any(side > 0 for side in crop)
    etree.SubElement(fill, qn("a:srcRect"), **(shares if cut else {}))
    etree.SubElement(etree.SubElement(fill, qn("a:stretch")), qn("a:fillRect"), **({} if cut else shares))
    etree.SubElement(properties, qn("a:effectLst"))
    common.insert(0, background)


DECORATIVE_URI = "{C183D7F6-B498-43B3-948B-1728B52AA6E4}"
DECORATIVE_NAMESPACE = "http://schemas.microsoft.com/office/drawing/2017/decorative"


def set_alt_text(shape, text: str) -> None:
    """The description screen readers and accessibility checkers read for a picture or group;
    without one the shape is marked decorative, so checkers know it was left empty on purpose."""
    properties = shape._element.xpath("./*[1]/p:cNvPr")[0]
    if text:
        properties.set("descr", xml_safe(text))
        return
    extensions = properties.find(qn("a:extLst"))
    if extensions is None:
        extensions = etree.SubElement(properties, qn("a:extLst"))
    extension = etree.SubElement(extensions, qn("a:ext"), uri=DECORATIVE_URI)
    etree.SubElement(extension, f"{{{DECORATIVE_NAMESPACE}}}decorative", nsmap={"adec": DECORATIVE_NAMESPACE}, val="1")


def attach_svg(picture, svg: bytes) -> None:
    """Store svg beside a picture's PNG, the way PowerPoint 2016+ keeps SVG pictures."""
    slide_part = picture.part
    package = slide_part.package
    partname = package.next_partname("/ppt/media/image%d.svg")
    svg_part = Part(PackURI(partname), "image/svg+xml", package, svg)
    relationship_id = slide_part.relate_to(svg_part, RT.IMAGE)
    blip = picture._element.xpath(".//a:blip")[0]
    extension_list = blip.find(qn("a:extLst"))
    if extension_list is None:
        extension_list = etree.SubElement(blip, qn("a:extLst"))
    extension = etree.SubElement(extension_list, qn("a:ext"), uri=SVG_EXTENSION_URI)
    svg_blip = etree.SubElement(extension, f"{{{SVG_NAMESPACE}}}svgBlip", nsmap={"asvg": SVG_NAMESPACE})
    svg_blip.set(f"{{{R_NAMESPACE}}}embed", relationship_id)


def no_shadow(shape) -> None:
    """Draw an autoshape flat: an empty effect list for PowerPoint, and no theme effect
    reference, which LibreOffice would otherwise turn into a soft shadow."""
    shape.shadow.inherit = False
    effect_ref = shape._element.find(f"{qn('p:style')}/{qn('a:effectRef')}")
    if effect_ref is not None:
        effect_ref.set("idx", "0")


class _Entries(dict):
    """What PackageWriter writes a member to, kept as {member name: bytes}."""

    def write(self, pack_uri: PackURI, blob: bytes) -> None:
        self[pack_uri.membername] = blob


def package_entries(presentation) -> dict[str, bytes]:
    """Every member of the presentation's package ({member name: bytes}), as python-pptx's save
    would zip them: the deck is zipped once, by the caller, after fonts are added."""
    package = presentation.part.package
    writer = PackageWriter(None, package._rels, tuple(package.iter_parts()))
    entries = _Entries()
    writer._write_content_types_stream(entries)
    writer._write_pkg_rels(entries)
    writer._write_parts(entries)
    return dict(entries)


def package_trees(presentation) -> dict[str, etree._Element]:
    """The XML members of the presentation's package as python-pptx holds them ({member name: root
    element}), so what reads the package just written (font embedding) need not parse it again."""
    return {part.partname.membername: part._element for part in presentation.part.package.iter_parts()
            if hasattr(part, "_element")}


_ALL_IDS = etree.XPath("//@id", smart_strings=False)
_NAME_USED = etree.XPath("boolean(//p:cNvPr[@name = $name])", namespaces={"p": P_NAMESPACE})


def append_copies(slide, shape_elements) -> list:
    """Append copies of shapes written before (on another slide) to slide, each with the next free
    shape id and its name renumbered the way python-pptx numbers a placeholder it clones; returns the copies."""
    tree = slide.shapes._spTree
    shape_id = next_shape_id(tree)
    copies = []
    for shape_element in shape_elements:
        element = copy.deepcopy(shape_element)
        properties = element[0].find(_CNVPR)  # p:nvSpPr (or its kin) comes first, and holds p:cNvPr first
        base = properties.get("name").rsplit(" ", 1)[0]
        number = shape_id - 1
        while _NAME_USED(tree, name=f"{base} {number}"):
            number += 1
        properties.set("id", str(shape_id))
        properties.set("name", f"{base} {number}")
        tree.append(element)
        copies.append(element)
        shape_id += 1
    return copies


_CNVPR = qn("p:cNvPr")


@dataclass(frozen=True)
class NewSlide:
    """A slide just added, with the placeholders its layout gave it (found once per layout)."""

    slide: Slide
    title: object | None  # the placeholder python-pptx's shapes.title names (idx 0), if any
    placeholders: list  # (placeholder type, placeholder) in idx order, as slide.placeholders lists them


KEPT_LAYOUTS = 64
# a layout's XML → the placeholders python-pptx puts on a new slide of it, and each one's (idx, type, proxy class)
_LAYOUT_PLACEHOLDERS: dict[bytes, tuple[list, list[tuple[int, object, type]]]] = {}


class BlankSlides:
    """Slides and notes slides made from copies of the first one made empty: python-pptx clones a
    layout's (or the notes master's) placeholders one by one for every slide, looks them up again
    by searching the slide, numbers each slide by reading every slide id, and searches the whole
    package for a free notes part name each time: a third of a deck's time. A layout's empty
    placeholders are kept for the process (every deck of a course has the same layouts)."""

    def __init__(self) -> None:
        self.layout_keys: dict[str, bytes] = {}  # layout part name → its XML, which names its kept placeholders
        self.slide_id = 0  # the id of the last slide added
        self.blank_notes = None  # the first notes slide's element before any text, its notes master, body index
        self.notes = 0

    def layout_key(self, layout) -> bytes:
        """What names a layout across decks: its XML."""
        partname = layout.part.partname
        key = self.layout_keys.get(partname)
        if key is None:
            key = self.layout_keys[partname] = etree.tostring(layout._element)
        return key

    def add_slide(self, presentation, layout) -> NewSlide:
        """presentation.slides.add_slide(layout), with its placeholders."""
        slides = presentation.slides
        key = self.layout_key(layout)
        blank = _LAYOUT_PLACEHOLDERS.get(key)
        if not self.slide_id:  # python-pptx numbers from 256
            self.slide_id = max([255, *(int(i) for i in slides._sldIdLst.xpath("./p:sldId/@id"))])
        if blank is None:
            slide = slides.add_slide(layout)
            elements = list(slide.shapes._spTree[2:])  # its shape tree: group properties, then the placeholders
            kinds = [(e.ph_idx, e.ph_type, type(SlideShapeFactory(e, slide.placeholders))) for e in elements]
            blank = [copy.deepcopy(e) for e in elements], kinds
            if len(_LAYOUT_PLACEHOLDERS) < KEPT_LAYOUTS:
                _LAYOUT_PLACEHOLDERS[key] = blank
            self.slide_id = int(slides._sldIdLst[-1].get("id"))
        else:
            relationship, slide = presentation.part.add_slide(layout)
            elements = [copy.deepcopy(element) for element in blank[0]]
            slide.shapes._spTree.extend(elements)
            self.slide_id += 1  # python-pptx gives the largest id in use plus one
            slides._sldIdLst._add_sldId(id=self.slide_id, rId=relationship)
        parent = slide.placeholders
        shapes = [(idx, kind, proxy(e, parent)) for e, (idx, kind, proxy) in zip(elements, blank[1])]
        title = next((shape for idx, _, shape in shapes if idx == 0), None)
        return NewSlide(slide, title, [(kind, shape) for _, kind, shape in sorted(shapes, key=lambda found: found[0])])

    def notes_text_frame(self, slide):
        """The text frame of slide's new notes slide (python-pptx's notes_slide.notes_text_frame)."""
        self.notes += 1
        if self.blank_notes is None:
            notes = slide.notes_slide
            body = notes.notes_placeholder._element
            self.blank_notes = (copy.deepcopy(notes._element), notes.part.part_related_by(RT.NOTES_MASTER),
                                list(body.getparent()).index(body))
            return notes.notes_text_frame
        element, master, body = self.blank_notes
        part = NotesSlidePart(PackURI(f"/ppt/notesSlides/notesSlide{self.notes}.xml"), CT.PML_NOTES_SLIDE,
                              slide.part.package, copy.deepcopy(element))
        part.relate_to(master, RT.NOTES_MASTER)
        part.relate_to(slide.part, RT.SLIDE)
        slide.part.relate_to(part, RT.NOTES_SLIDE)
        notes = part.notes_slide
        return NotesSlidePlaceholder(notes.shapes._spTree[body], notes.placeholders).text_frame
