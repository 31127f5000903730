"""The few DrawingML details python-pptx has no API for, kept in one place.

East-Asian font slots and language tags on runs, bullets and hanging indents
on paragraphs, alt text on shapes, SVG pictures with their PNG fallback, and
no more.
"""

from __future__ import annotations

from lxml import etree
from pptx.opc.constants import RELATIONSHIP_TYPE as RT
from pptx.opc.package import Part
from pptx.opc.packuri import PackURI
from pptx.oxml.ns import qn
from pptx.util import Pt

SVG_EXTENSION_URI = "{96DAC541-7B7A-43D3-8B79-37D633B846F1}"
SVG_NAMESPACE = "http://schemas.microsoft.com/office/drawing/2016/SVG/main"
R_NAMESPACE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
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
) -> None:
    """Indent, space before and exact line pitch (all points), and a bullet character or a number.

    The marker hangs in the first `hanging` points, so wrapped lines align with the
    text. An exact pitch (not a percentage of the font's own line height) makes
    PowerPoint, Keynote and LibreOffice break pages where the planner did.
    """
    ppr = paragraph._p.get_or_add_pPr()
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
