"""Our own slide master: a 16:9 PowerPoint master, theme and named layouts made from theme.toml.

Decks start from this package, not from python-pptx's stock 4:3 "Office Theme",
so PowerPoint's Design tab and Slide Master view restyle them: the theme's
fonts fill the major and minor font slots (Latin, East Asian and the Hangul
script font), its palette the colour scheme, and the master's text styles carry
the title and body sizes, bullets, indents and line pitch the planner assumes.
Every layout the composer uses has a name (Pandoc's where one fits) and the
boxes of `layouts.SlideLayouts`; each has date, footer and slide-number
placeholders. The package is built the same way every time, so decks stay
byte-identical.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from functools import lru_cache
from xml.sax.saxutils import quoteattr

from lxml import etree
from pptx import Presentation
from pptx.opc.constants import RELATIONSHIP_TYPE as RT
from pptx.opc.packuri import PackURI
from pptx.parts.slide import SlideLayoutPart
from pptx.util import Pt

from .frames import INSET, LEVEL_INDENT, MARKER_WIDTH, PARAGRAPH_GAP
from .layouts import FOOTER_SIZE, Box, SlideLayouts
from .measure import LINE_PITCH
from .theme import Theme

NAMESPACES = (
    'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" '
    'xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main"'
)
LAYOUT_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.presentationml.slideLayout+xml"
FOOTER_KINDS = ("dt", "ftr", "sldNum")
FIRST_LAYOUT_ID = 2147483649  # layout ids follow the master's id (2147483648)
BULLETS = ("•", "◦", "▪")

# Which master layout each composer layout is placed on.
MASTER_LAYOUTS = {
    "title": "Title Slide",
    "lead": "Title Slide",  # a Marp deck's centred title slide
    "agenda": "Title and Content",
    "text": "Title and Content",
    "stacked": "Title and Content",
    "two_columns": "Two Content",
    "visual": "Title Only",
    "visual_captioned": "Content with Caption",
    "discussion": "Discussion",
}


@dataclass(frozen=True)
class Placeholder:
    """One placeholder of a layout: its ph type (None for a body/content one), idx and box."""

    kind: str | None
    idx: int
    box: Box
    name: str


def master_package(theme: Theme, layouts: SlideLayouts) -> bytes:
    """The .pptx package every deck starts from: our master, theme and layouts, no slides."""
    return _master_package(theme, layouts)


@lru_cache(maxsize=4)
def _master_package(theme: Theme, layouts: SlideLayouts) -> bytes:
    presentation = Presentation()
    presentation.slide_width = Pt(layouts.width)
    presentation.slide_height = Pt(layouts.height)
    master = presentation.slide_master
    for layout in list(master.slide_layouts):
        master.slide_layouts.remove(layout)
    _write_theme(master.part.part_related_by(RT.THEME), theme)
    _write_master(master._element, theme, layouts)
    for number, (name, kind, placeholders) in enumerate(_layout_specs(layouts), start=1):
        _add_layout(master.part, number, name, kind, placeholders)
    presentation.notes_master  # python-pptx's default, made here once rather than for each deck's first notes
    buffer = io.BytesIO()
    presentation.save(buffer)
    return buffer.getvalue()


# --- layouts ----------------------------------------------------------------


def _layout_specs(layouts: SlideLayouts) -> list[tuple[str, str, list[Placeholder]]]:
    """(name, OOXML layout type, placeholders) for every layout of the master, in order."""
    content = layouts.content_box
    title = Placeholder("title", 0, layouts.title_box, "Title 1")
    body = Placeholder(None, 1, content, "Content Placeholder 2")
    left, right = layouts.two_columns(0.5)
    caption_height = LINE_PITCH * 16 + 2 * INSET
    above_caption = Box(content.x, content.y, content.width, content.height - caption_height)
    caption = Box(content.x, content.y + content.height - caption_height, content.width, caption_height)
    footers = _footer_placeholders(layouts)
    return [
        ("Title Slide", "title", [
            Placeholder("ctrTitle", 0, layouts.cover_title_box, "Title 1"),
            Placeholder("subTitle", 1, layouts.cover_subtitle_box, "Subtitle 2"),
        ] + footers),
        ("Title and Content", "obj", [title, body] + footers),
        ("Section Header", "secHead", [
            Placeholder("title", 0, layouts.cover_title_box, "Title 1"),
            Placeholder("body", 1, layouts.cover_subtitle_box, "Text Placeholder 2"),
        ] + footers),
        ("Two Content", "twoObj", [
            title, Placeholder(None, 1, left, "Content Placeholder 2"), Placeholder(None, 2, right, "Content Placeholder 3"),
        ] + footers),
        ("Content with Caption", "objTx", [
            title, Placeholder(None, 1, above_caption, "Content Placeholder 2"), Placeholder("body", 2, caption, "Text Placeholder 3"),
        ] + footers),
        ("Title Only", "titleOnly", [title] + footers),
        ("Blank", "blank", footers),
        ("Discussion", "obj", [title, Placeholder(None, 1, content, "Content Placeholder 2")] + footers),
    ]


def _footer_placeholders(layouts: SlideLayouts) -> list[Placeholder]:
    return [
        Placeholder("dt", 10, layouts.date_box, "Date Placeholder"),
        Placeholder("ftr", 11, layouts.footer_box, "Footer Placeholder"),
        Placeholder("sldNum", 12, layouts.number_box, "Slide Number Placeholder"),
    ]


def _add_layout(master_part, number: int, name: str, kind: str, placeholders: list[Placeholder]) -> None:
    """A new slide layout part named name, related to and listed in the master."""
    xml = (
        f'<p:sldLayout {NAMESPACES} type="{kind}" preserve="1"><p:cSld name={quoteattr(name)}><p:spTree>'
        f"{_group_properties()}{''.join(_placeholder_xml(p, i + 2) for i, p in enumerate(placeholders))}"
        f'</p:spTree></p:cSld><p:clrMapOvr><a:masterClrMapping/></p:clrMapOvr></p:sldLayout>'
    )
    partname = PackURI(f"/ppt/slideLayouts/slideLayout{number}.xml")
    part = SlideLayoutPart.load(partname, LAYOUT_CONTENT_TYPE, master_part.package, xml.encode("utf-8"))
    part.relate_to(master_part, RT.SLIDE_MASTER)
    rel_id = master_part.relate_to(part, RT.SLIDE_LAYOUT)
    id_list = master_part._element.get_or_add_sldLayoutIdLst()
    entry = id_list._add_sldLayoutId()
    entry.set("id", str(FIRST_LAYOUT_ID + number - 1))
    entry.set("{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id", rel_id)


def _group_properties() -> str:
    return (
        '<p:nvGrpSpPr><p:cNvPr id="1" name=""/><p:cNvGrpSpPr/><p:nvPr/></p:nvGrpSpPr>'
        '<p:grpSpPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="0" cy="0"/><a:chOff x="0" y="0"/><a:chExt cx="0" cy="0"/></a:xfrm></p:grpSpPr>'
    )


def _placeholder_xml(placeholder: Placeholder, shape_id: int) -> str:
    """A placeholder shape at its box; footer-zone ones hold their field (date, slide number)."""
    attributes = ""
    if placeholder.kind:
        attributes += f' type="{placeholder.kind}"'
    if placeholder.idx:
        attributes += f' idx="{placeholder.idx}"'
    box = placeholder.box
    body = '<a:p><a:endParaRPr lang="ko-KR"/></a:p>'
    if placeholder.kind == "sldNum":
        body = ('<a:p><a:fld id="{B6F15528-21DE-4FAA-801E-634DDDAF4B2B}" type="slidenum"><a:rPr lang="ko-KR"/>'
                '<a:t>‹#›</a:t></a:fld><a:endParaRPr lang="ko-KR"/></a:p>')
    elif placeholder.kind == "dt":
        body = ('<a:p><a:fld id="{A2C9F31A-7A4B-4C61-9B0E-3E6F1D2B5C70}" type="datetimeFigureOut"><a:rPr lang="ko-KR"/>'
                '<a:t> </a:t></a:fld><a:endParaRPr lang="ko-KR"/></a:p>')
    inset = _emu(INSET)
    anchor = ' anchor="ctr"' if placeholder.kind in FOOTER_KINDS else ""
    style = ""
    if placeholder.kind in FOOTER_KINDS:  # small muted type; the number at the right end
        align = ' algn="r"' if placeholder.kind == "sldNum" else ""
        style = (f'<a:lvl1pPr{align}><a:defRPr sz="{round(FOOTER_SIZE * 100)}">'
                 f'<a:solidFill><a:schemeClr val="accent4"/></a:solidFill></a:defRPr></a:lvl1pPr>')
    return (
        f'<p:sp><p:nvSpPr><p:cNvPr id="{shape_id}" name={quoteattr(placeholder.name)}/>'
        f'<p:cNvSpPr><a:spLocks noGrp="1"/></p:cNvSpPr><p:nvPr><p:ph{attributes}/></p:nvPr></p:nvSpPr>'
        f'<p:spPr><a:xfrm><a:off x="{_emu(box.x)}" y="{_emu(box.y)}"/><a:ext cx="{_emu(box.width)}" cy="{_emu(box.height)}"/></a:xfrm></p:spPr>'
        f'<p:txBody><a:bodyPr lIns="{inset}" tIns="{inset}" rIns="{inset}" bIns="{inset}"{anchor}/>'
        f'<a:lstStyle>{style}</a:lstStyle>{body}</p:txBody></p:sp>'
    )


# --- the master -------------------------------------------------------------------


def _write_master(element, theme: Theme, layouts: SlideLayouts) -> None:
    """Replace the master's shapes and text styles with ours (its layout list is kept)."""
    placeholders = [
        Placeholder("title", 0, layouts.title_box, "Title Placeholder 1"),
        Placeholder("body", 1, layouts.content_box, "Text Placeholder 2"),
        *_footer_placeholders(layouts),
    ]
    tree = (
        f'<p:cSld {NAMESPACES}><p:bg><p:bgRef idx="1001"><a:schemeClr val="bg1"/></p:bgRef></p:bg><p:spTree>'
        f"{_group_properties()}{''.join(_placeholder_xml(p, i + 2) for i, p in enumerate(placeholders))}"
        f"</p:spTree></p:cSld>"
    )
    namespace = "{http://schemas.openxmlformats.org/presentationml/2006/main}"
    element.replace(element.find(f"{namespace}cSld"), etree.fromstring(tree))
    element.replace(element.find(f"{namespace}txStyles"), etree.fromstring(_text_styles(theme)))


def _text_styles(theme: Theme) -> str:
    """Title, body (three levels with bullets) and other text styles, as the planner sets text."""
    sizes = theme.sizes
    title = sizes.title
    levels = []
    for level in range(9):
        shown = min(level, 2)
        margin = _emu(shown * LEVEL_INDENT + MARKER_WIDTH)
        levels.append(
            f'<a:lvl{level + 1}pPr marL="{margin}" indent="{_emu(-MARKER_WIDTH)}" algn="l" eaLnBrk="1" latinLnBrk="0" hangingPunct="0">'
            f'<a:lnSpc><a:spcPts val="{round(LINE_PITCH * sizes.body * 100)}"/></a:lnSpc>'
            f'<a:spcBef><a:spcPts val="{round(PARAGRAPH_GAP * sizes.body * 100)}"/></a:spcBef>'
            f'<a:buFont typeface="Arial"/><a:buChar char="{BULLETS[shown]}"/>'
            f'<a:defRPr sz="{round(sizes.body * 100)}" kern="0"><a:solidFill><a:schemeClr val="tx1"/></a:solidFill>'
            f'<a:latin typeface="+mn-lt"/><a:ea typeface="+mn-ea"/><a:cs typeface="+mn-cs"/></a:defRPr></a:lvl{level + 1}pPr>'
        )
    return (
        f'<p:txStyles {NAMESPACES}><p:titleStyle>'
        f'<a:lvl1pPr algn="l" eaLnBrk="1" latinLnBrk="0" hangingPunct="0">'
        f'<a:lnSpc><a:spcPts val="{round(LINE_PITCH * title * 100)}"/></a:lnSpc><a:spcBef><a:spcPts val="0"/></a:spcBef><a:buNone/>'
        f'<a:defRPr sz="{round(title * 100)}" b="1" kern="0"><a:solidFill><a:schemeClr val="tx2"/></a:solidFill>'
        f'<a:latin typeface="+mj-lt"/><a:ea typeface="+mj-ea"/><a:cs typeface="+mj-cs"/></a:defRPr></a:lvl1pPr>'
        f'</p:titleStyle><p:bodyStyle>{"".join(levels)}</p:bodyStyle>'
        f'<p:otherStyle><a:lvl1pPr algn="l"><a:defRPr sz="{round(FOOTER_SIZE * 100)}" kern="0">'
        f'<a:solidFill><a:schemeClr val="tx1"/></a:solidFill><a:latin typeface="+mn-lt"/><a:ea typeface="+mn-ea"/>'
        f'<a:cs typeface="+mn-cs"/></a:defRPr></a:lvl1pPr></p:otherStyle></p:txStyles>'
    )


# --- the theme ------------------------------------------------------------------


def _write_theme(part, theme: Theme) -> None:
    """The theme part rewritten: our palette and fonts, the stock format scheme kept."""
    stock = etree.fromstring(part.blob)
    drawing = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
    format_scheme = etree.tostring(stock.find(f"{drawing}themeElements/{drawing}fmtScheme"), encoding="unicode")
    colors = theme.colors
    palette = [
        ("dk1", colors.text), ("lt1", colors.background), ("dk2", colors.title), ("lt2", colors.code_background),
        ("accent1", colors.accent), ("accent2", theme.diagram.node_stroke), ("accent3", colors.quote_bar),
        ("accent4", colors.muted), ("accent5", colors.table_stripe), ("accent6", colors.code_border),
        ("hlink", colors.accent), ("folHlink", colors.muted),
    ]
    scheme = "".join(f'<a:{slot}><a:srgbClr val="{value}"/></a:{slot}>' for slot, value in palette)
    fonts = theme.fonts
    font = (f'<a:latin typeface={quoteattr(fonts.latin)}/><a:ea typeface={quoteattr(fonts.east_asian)}/><a:cs typeface=""/>'
            f'<a:font script="Hang" typeface={quoteattr(fonts.east_asian)}/>')
    xml = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<a:theme xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" name="deckbuild"><a:themeElements>'
        f'<a:clrScheme name="deckbuild">{scheme}</a:clrScheme>'
        f'<a:fontScheme name="deckbuild"><a:majorFont>{font}</a:majorFont><a:minorFont>{font}</a:minorFont></a:fontScheme>'
        f"{format_scheme}</a:themeElements><a:objectDefaults/><a:extraClrSchemeLst/></a:theme>"
    )
    part._blob = xml.encode("utf-8")


def _emu(points: float) -> int:
    return int(round(points * 12700))
