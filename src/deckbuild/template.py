"""The school's own template: a .pptx or .potx whose master, theme and layouts decks use.

`course.toml` `[deck] template = "templates/school.pptx"` names it. Its example
slides are dropped; each layout the composer needs is found by name (ours are
Pandoc's names) or, for templates exported by other tools ("Title, Content"), by
its placeholders: a title and one body, a title and two bodies side by side, a
title alone. What cannot be found falls back to the closest layout that exists,
with one info diagnostic. The slide size and the placeholders' boxes become the
planner's `SlideLayouts`, and the template's theme fonts are measured when they
are installed (the theme's measuring fonts otherwise, said once), so slides
still fit.
"""

from __future__ import annotations

import io
import subprocess
import zipfile
from dataclasses import dataclass, replace
from pathlib import Path

from lxml import etree
from pptx import Presentation
from pptx.enum.shapes import PP_PLACEHOLDER

from .diagnostics import Diagnostic, Severity
from .layouts import FOOTER_BAND, Box, SlideLayouts
from .master import MASTER_LAYOUTS
from .theme import Theme

EMU_PER_POINT = 12700
TEMPLATE_MAIN = "application/vnd.openxmlformats-officedocument.presentationml.template.main+xml"
PRESENTATION_MAIN = "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml"
DRAWING = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
FURNITURE = (PP_PLACEHOLDER.DATE, PP_PLACEHOLDER.FOOTER, PP_PLACEHOLDER.SLIDE_NUMBER)
TITLES = (PP_PLACEHOLDER.TITLE, PP_PLACEHOLDER.CENTER_TITLE)


class TemplateError(Exception):
    """The template cannot be read as a PowerPoint file."""


@dataclass(frozen=True)
class DeckTemplate:
    """A template ready for decks: its package without slides, where our layouts are in it, its boxes."""

    package: bytes
    layout_names: dict[str, str]  # master layout name (ours) → the template's layout name
    layouts: SlideLayouts
    measured_font: str  # the template's body font when it is installed ("": measure with the theme's)
    diagnostics: tuple[Diagnostic, ...]


def load_template(path: Path, theme: Theme) -> DeckTemplate:
    """The template at path prepared for decks; TemplateError when it is not a PowerPoint file."""
    try:
        presentation = Presentation(io.BytesIO(_as_presentation(path.read_bytes())))
    except (OSError, zipfile.BadZipFile, KeyError, ValueError) as error:
        raise TemplateError(f"{path}: not a PowerPoint template ({error})") from error
    _drop_slides(presentation)
    diagnostics: list[Diagnostic] = []
    names = _find_layouts(presentation, path, diagnostics)
    font = _body_font(presentation)
    layouts = _template_layouts(presentation, names)
    measured = font if _installed(font) else ""
    if font and not measured:
        diagnostics.append(Diagnostic(path, 0, Severity.INFO, f"the template's font '{font}' is not installed; "
                                      f"slides are measured with '{theme.fonts.metrics_body}'"))
    buffer = io.BytesIO()
    presentation.save(buffer)
    return DeckTemplate(buffer.getvalue(), names, layouts, measured, tuple(diagnostics))


def _as_presentation(package: bytes) -> bytes:
    """A .potx package relabelled as a presentation, which is all python-pptx needs to open it."""
    with zipfile.ZipFile(io.BytesIO(package)) as archive:
        types = archive.read("[Content_Types].xml")
        if TEMPLATE_MAIN.encode() not in types:
            return package
        output = io.BytesIO()
        with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as relabelled:
            for info in archive.infolist():
                data = archive.read(info.filename)
                if info.filename == "[Content_Types].xml":
                    data = data.replace(TEMPLATE_MAIN.encode(), PRESENTATION_MAIN.encode())
                relabelled.writestr(info.filename, data)
        return output.getvalue()


def _drop_slides(presentation) -> None:
    """The template's example slides removed: decks hold only their own."""
    slide_ids = presentation.slides._sldIdLst
    for slide_id in list(slide_ids):
        presentation.part.drop_rel(slide_id.rId)
        slide_ids.remove(slide_id)


# --- finding layouts ------------------------------------------------------------


def _find_layouts(presentation, path: Path, diagnostics: list[Diagnostic]) -> dict[str, str]:
    """For each of our master layouts, the template's layout with that name or that shape."""
    layouts = list(presentation.slide_layouts)
    by_name = {layout.name: layout for layout in layouts}
    shapes = {name: _shape(layout) for name, layout in by_name.items()}
    wanted = {
        "Title Slide": lambda s: s["title"] and s["subtitle"],
        "Title and Content": lambda s: s["title"] and s["bodies"] == 1 and not s["subtitle"],
        "Two Content": lambda s: s["title"] and s["bodies"] == 2 and s["side_by_side"],
        "Content with Caption": lambda s: s["title"] and s["bodies"] == 2 and not s["side_by_side"],
        "Title Only": lambda s: s["title"] and s["bodies"] == 0 and not s["subtitle"],
        "Discussion": lambda s: s["title"] and s["bodies"] == 1 and not s["subtitle"],
    }
    fallbacks = {"Two Content": "Title and Content", "Content with Caption": "Title Only", "Discussion": "Title and Content",
                 "Title Slide": "Title Only", "Title and Content": "Title Only"}
    found: dict[str, str] = {}
    for name in dict.fromkeys(MASTER_LAYOUTS.values()):
        if name in by_name:
            found[name] = name
            continue
        match = next((layout_name for layout_name, shape in shapes.items() if wanted[name](shape)), None)
        if match is not None:
            found[name] = match
    missing = []
    for name in dict.fromkeys(MASTER_LAYOUTS.values()):
        if name in found:
            continue
        substitute = fallbacks.get(name)
        while substitute and substitute not in found:
            substitute = fallbacks.get(substitute)
        found[name] = found.get(substitute) or next(iter(by_name))
        missing.append(f"{name} → {found[name]}")
    if missing:
        diagnostics.append(Diagnostic(path, 0, Severity.INFO, "template layouts not found, used instead: " + "; ".join(missing)))
    return found


def _shape(layout) -> dict:
    """What a layout holds: a title, a subtitle, how many bodies and whether two sit side by side."""
    placeholders = [p for p in layout.placeholders if p.placeholder_format.type not in FURNITURE]
    bodies = [p for p in placeholders if p.placeholder_format.type not in (*TITLES, PP_PLACEHOLDER.SUBTITLE)]
    side_by_side = len(bodies) == 2 and abs((bodies[0].top or 0) - (bodies[1].top or 0)) < (bodies[0].height or 1) / 2
    return {
        "title": any(p.placeholder_format.type in TITLES for p in placeholders),
        "subtitle": any(p.placeholder_format.type == PP_PLACEHOLDER.SUBTITLE for p in placeholders),
        "bodies": len(bodies),
        "side_by_side": side_by_side,
    }


# --- boxes and fonts -------------------------------------------------------------


def _template_layouts(presentation, names: dict[str, str]) -> SlideLayouts:
    """Our layouts' boxes taken from the template's placeholders (its slide size, title, body,
    cover and footer placeholders); what a template lacks comes from proportions of its slide."""
    width = presentation.slide_width / EMU_PER_POINT
    height = presentation.slide_height / EMU_PER_POINT
    layouts = {layout.name: layout for layout in presentation.slide_layouts}
    content_layout = layouts[names["Title and Content"]]
    margin = width * 0.04
    title = _box(content_layout, TITLES) or Box(margin, margin, width - 2 * margin, height * 0.15)
    content = _box(content_layout, None) or Box(margin, title.y + title.height, width - 2 * margin, height * 0.7)
    footer = _box(content_layout, (PP_PLACEHOLDER.FOOTER,))
    number = _box(content_layout, (PP_PLACEHOLDER.SLIDE_NUMBER,))
    date = _box(content_layout, (PP_PLACEHOLDER.DATE,))
    band = Box(content.x, height - FOOTER_BAND - margin / 2, content.width, FOOTER_BAND)
    furniture_top = min((b.y for b in (footer, number, date) if b is not None), default=band.y)
    if content.y + content.height > furniture_top:  # keep the content clear of the footer zone
        content = replace(content, height=max(furniture_top - content.y, height * 0.3))
    cover = layouts[names["Title Slide"]]
    cover_title = _box(cover, TITLES) or Box(margin, height * 0.3, width - 2 * margin, height * 0.25)
    cover_subtitle = _box(cover, (PP_PLACEHOLDER.SUBTITLE,)) or Box(margin, height * 0.6, width - 2 * margin, height * 0.2)
    return SlideLayouts(
        width, height, title, content, cover_title, cover_subtitle, wide_box=content,
        footer_box=footer or replace(band, width=band.width * 0.6),
        number_box=number or Box(band.x + band.width * 0.8, band.y, band.width * 0.2, band.height),
        date_box=date or Box(band.x + band.width * 0.6, band.y, band.width * 0.2, band.height),
    )


def _box(layout, kinds) -> Box | None:
    """The box of the layout's first placeholder of one of kinds (None: the first body one)."""
    for placeholder in layout.placeholders:
        kind = placeholder.placeholder_format.type
        body = kind not in (*TITLES, PP_PLACEHOLDER.SUBTITLE, *FURNITURE)
        if (kinds is None and body) or (kinds is not None and kind in kinds):
            if placeholder.width is None:
                return None
            return Box(placeholder.left / EMU_PER_POINT, placeholder.top / EMU_PER_POINT,
                       placeholder.width / EMU_PER_POINT, placeholder.height / EMU_PER_POINT)
    return None


def _body_font(presentation) -> str:
    """The template theme's minor font for Korean text: its East-Asian font, else its Hangul
    script font, else its Latin font."""
    from pptx.opc.constants import RELATIONSHIP_TYPE as RT

    theme = etree.fromstring(presentation.slide_master.part.part_related_by(RT.THEME).blob)
    minor = theme.find(f".//{DRAWING}minorFont")
    if minor is None:
        return ""
    hangul = [f for f in minor.findall(f"{DRAWING}font") if f.get("script") == "Hang"]
    candidates = [*minor.findall(f"{DRAWING}ea"), *hangul, *minor.findall(f"{DRAWING}latin")]
    return next((c.get("typeface") for c in candidates if c.get("typeface")), "")


def _installed(family: str) -> bool:
    """Whether fontconfig has family itself (not a substitute)."""
    if not family:
        return False
    try:
        result = subprocess.run(["fc-match", "-f", "%{family}", family], capture_output=True, text=True, timeout=10)
    except (OSError, subprocess.SubprocessError):
        return False
    return family.lower() in result.stdout.lower().split(",")
