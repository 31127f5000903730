"""Does any text run off its slide or out of its box? Checked on LibreOffice's rendering.

Decks are converted to PDF with `soffice --headless`, every word's box is read
back with pdfplumber, and each word must sit inside the shape it belongs to
(the shape containing the word's centre, read from the .pptx) and inside the
slide. Overlapping text shapes are reported from the .pptx geometry alone.
"""

from __future__ import annotations

import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from pptx import Presentation

EMU_PER_POINT = 12700
TOLERANCE = 2.0  # points a glyph may overhang its box (antialiasing, side bearings)


@dataclass(frozen=True)
class Rect:
    """A rectangle in points from the top-left corner."""

    left: float
    top: float
    right: float
    bottom: float

    def contains_point(self, x: float, y: float) -> bool:
        return self.left <= x <= self.right and self.top <= y <= self.bottom

    def overlaps(self, other: "Rect") -> bool:
        return self.left < other.right and other.left < self.right and self.top < other.bottom and other.top < self.bottom


@dataclass(frozen=True)
class Problem:
    """One word outside its place, or two text boxes on top of each other."""

    deck: Path
    slide: int
    message: str

    def format(self) -> str:
        return f"{self.deck}: slide {self.slide}: {self.message}"


def _rect(shape) -> Rect:
    left, top = shape.left / EMU_PER_POINT, shape.top / EMU_PER_POINT
    return Rect(left, top, left + shape.width / EMU_PER_POINT, top + shape.height / EMU_PER_POINT)


def _holds_text(shape) -> bool:
    return (shape.has_text_frame and shape.text_frame.text.strip() != "") or getattr(shape, "has_table", False)


def slide_shapes(deck: Path) -> tuple[tuple[float, float], list[list[tuple[str, Rect, bool]]]]:
    """Slide size in points and, per slide, (name, rectangle, holds text) of every placed shape."""
    presentation = Presentation(str(deck))
    size = (presentation.slide_width / EMU_PER_POINT, presentation.slide_height / EMU_PER_POINT)
    slides = []
    for slide in presentation.slides:
        shapes = [(shape.name, _rect(shape), _holds_text(shape)) for shape in slide.shapes if shape.width is not None]
        slides.append(shapes)
    return size, slides


def overlapping_text_boxes(deck: Path) -> list[Problem]:
    """Pairs of text-holding shapes that overlap on a slide."""
    problems = []
    _, slides = slide_shapes(deck)
    for number, shapes in enumerate(slides, start=1):
        texts = [(name, rect) for name, rect, holds_text in shapes if holds_text]
        for index, (name, rect) in enumerate(texts):
            for other_name, other in texts[index + 1 :]:
                if rect.overlaps(other):
                    problems.append(Problem(deck, number, f"text boxes overlap: {name} and {other_name}"))
    return problems


def render_pdfs(decks: list[Path], out_dir: Path, timeout: float = 1200) -> dict[Path, Path]:
    """Convert decks to PDF in one LibreOffice run; returns deck → PDF."""
    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run(
            ["soffice", f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf",
             "--outdir", str(out_dir), *map(str, decks)],
            check=True, capture_output=True, timeout=timeout,
        )
    return {deck: out_dir / f"{deck.stem}.pdf" for deck in decks}


def words_out_of_place(deck: Path, pdf: Path) -> list[Problem]:
    """Words of the rendered deck that leave the slide or the shape holding them."""
    import pdfplumber

    (width, height), slides = slide_shapes(deck)
    slide_rect = Rect(0, 0, width, height)
    problems = []
    with pdfplumber.open(pdf) as document:
        if len(document.pages) != len(slides):
            return [Problem(deck, 0, f"{len(document.pages)} pages rendered for {len(slides)} slides")]
        for number, (page, shapes) in enumerate(zip(document.pages, slides), start=1):
            scale_x, scale_y = width / float(page.width), height / float(page.height)
            for word in page.extract_words(keep_blank_chars=False, use_text_flow=True):
                box = Rect(word["x0"] * scale_x, word["top"] * scale_y, word["x1"] * scale_x, word["bottom"] * scale_y)
                problem = _word_problem(box, word["text"], shapes, slide_rect)
                if problem:
                    problems.append(Problem(deck, number, problem))
    return problems


def _word_problem(word: Rect, text: str, shapes: list[tuple[str, Rect, bool]], slide: Rect) -> str | None:
    centre_x, centre_y = (word.left + word.right) / 2, (word.top + word.bottom) / 2
    if word.left < slide.left - TOLERANCE or word.right > slide.right + TOLERANCE or not slide.contains_point(centre_x, centre_y):
        return f"'{text}' runs off the slide"
    owners = [(name, rect) for name, rect, _ in shapes if rect.contains_point(centre_x, centre_y)]
    if not owners:
        return f"'{text}' is outside every box (at {word.left:.0f},{word.top:.0f})"
    if not any(word.left >= rect.left - TOLERANCE and word.right <= rect.right + TOLERANCE for _, rect in owners):
        return f"'{text}' runs out of {owners[-1][0]}"
    return None


def check_decks(decks: list[Path], work_dir: Path | None = None) -> list[Problem]:
    """Every overflow and overlap problem in decks (rendered with LibreOffice)."""
    with tempfile.TemporaryDirectory() as scratch:
        pdfs = render_pdfs(decks, work_dir or Path(scratch))
        problems = []
        for deck in decks:
            problems.extend(overlapping_text_boxes(deck))
            problems.extend(words_out_of_place(deck, pdfs[deck]))
    return problems
