"""Reading built decks back the way a person sees them: titles, texts, notes, pictures."""

from __future__ import annotations

import re
from pathlib import Path

from pptx import Presentation
from pptx.util import Emu

NAMESPACE = {
    "a": "http://schemas.openxmlformats.org/drawingml/2006/main",
    "p": "http://schemas.openxmlformats.org/presentationml/2006/main",
}


def slide_title(slide) -> str:
    return slide.shapes.title.text_frame.text if slide.shapes.title is not None else ""


def slide_text(slide) -> str:
    """All text on a slide: text frames and table cells."""
    texts = []
    for shape in slide.shapes:
        if shape.has_text_frame:
            texts.append(shape.text_frame.text)
        if shape.has_table:
            texts.extend(cell.text for row in shape.table.rows for cell in row.cells)
    return "\n".join(texts)


def notes_text(slide) -> str:
    return slide.notes_slide.notes_text_frame.text if slide.has_notes_slide else ""


def squash(text: str) -> str:
    """Text without whitespace, for comparing what reads the same."""
    return re.sub(r"\s+", "", text)


def open_deck(path: Path):
    return Presentation(str(path))


def shapes_inside_slide(presentation) -> list[str]:
    """Names of shapes (with their slide number) that stick out of the slide."""
    width, height = presentation.slide_width, presentation.slide_height
    outside = []
    for number, slide in enumerate(presentation.slides, start=1):
        for shape in slide.shapes:
            if shape.left is None:
                continue
            if shape.left < 0 or shape.top < 0 or shape.left + shape.width > Emu(width) or shape.top + shape.height > Emu(height):
                outside.append(f"slide {number}: {shape.name}")
    return outside
