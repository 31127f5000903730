"""A session's slide PDF → its note-taking handout: A4 portrait, three slides a page on the left with
ruled lines for notes on the right (PowerPoint's "3 slides" handout).

WeasyPrint lays out only the paper (header with course, week, day and session,
an outlined slot per slide, the ruled lines and "n / N"); the slides are the
slide PDF's own pages, laid into their slots as form XObjects with pikepdf, so
nothing is laid out twice and the handout shows exactly the slide PDF.
"""

from __future__ import annotations

import io
import math
from dataclasses import dataclass
from pathlib import Path

import pikepdf

from .course import read_session_day, read_settings
from .files import write_atomically
from .i18n import text as ui_text
from .pdf import Rendered
from .pdf_assembly import with_fonts
from .templating import TEMPLATES, templates
from .theme import load_theme
from .timestamps import source_date

SLIDES_PER_PAGE = 3
PAGE = (595.28, 841.89)  # A4 portrait, points
MARGIN = 42.0  # left and right page margin, points
BODY_TOP = 72.0  # below the header, points
BODY_BOTTOM = 56.0  # above the page number, points
SLIDE_WIDTH = 250.0  # a slide's width on the page, points
GUTTER = 24.0  # between a slide and its lines, points
LINE_PITCH = 22.0  # ruled lines, points apart


@dataclass(frozen=True)
class Slot:
    """Where one slide goes on its page, in points from the page's top-left corner, and its ruled lines."""

    x: float
    y: float
    width: float
    height: float
    lines: tuple[float, ...]  # the ruled lines' distances from the page's top


def slots(aspect: float) -> list[Slot]:
    """The three slots of a page for slides of aspect (height / width): each centred in a third of
    the page's body, with lines beside it from its top to its bottom and a little beyond."""
    row = (PAGE[1] - BODY_TOP - BODY_BOTTOM) / SLIDES_PER_PAGE
    height = SLIDE_WIDTH * aspect
    found = []
    for index in range(SLIDES_PER_PAGE):
        top = BODY_TOP + index * row + (row - height) / 2
        first, last = top + LINE_PITCH * 0.5, BODY_TOP + (index + 1) * row - LINE_PITCH * 0.5
        lines = tuple(first + k * LINE_PITCH for k in range(int((last - first) // LINE_PITCH) + 1))
        found.append(Slot(MARGIN, top, SLIDE_WIDTH, height, lines))
    return found


def notes_html(course_root: Path, session_path: Path, title: str, slide_count: int, aspect: float) -> str:
    """The paper of the handout: as many pages as three slides a page need, with empty outlined slots."""
    settings = read_settings(course_root)
    theme = load_theme(settings.theme, course_root)
    day, session = read_session_day(course_root, session_path)
    week_day = (ui_text(settings.language, "week_day", week=day.week, day=day.number)
                if day.week is not None and day.number is not None else "")
    pages = [slots(aspect)[:min(SLIDES_PER_PAGE, slide_count - page * SLIDES_PER_PAGE)]
             for page in range(math.ceil(slide_count / SLIDES_PER_PAGE))]
    return templates().get_template("notes.html.j2").render(
        language=settings.language, course=settings, theme=theme, title=title, week_day=week_day, pages=pages,
        page_size=PAGE, margin=MARGIN, line_end=PAGE[0] - MARGIN, line_start=MARGIN + SLIDE_WIDTH + GUTTER,
        date=source_date().strftime("%Y-%m-%dT%H:%M:%SZ"))


def lay_in_slides(paper: pikepdf.Pdf, slides: pikepdf.Pdf, aspect: float) -> None:
    """Draw every slide page into its slot on the paper, as a form XObject named after the slide."""
    places = slots(aspect)
    for index, slide in enumerate(slides.pages):
        page = paper.pages[index // SLIDES_PER_PAGE]
        slot = places[index % SLIDES_PER_PAGE]
        box = slide.mediabox
        scale = slot.width / float(box[2] - box[0])
        bottom = float(page.mediabox[3]) - slot.y - slot.height  # PDF measures from the bottom
        if index % SLIDES_PER_PAGE == 0:  # WeasyPrint's pages share one resource dictionary: each gets its own
            _own_resources(page)
        form = paper.copy_foreign(slide.as_form_xobject())
        name = page.add_resource(form, pikepdf.Name.XObject, pikepdf.Name(f"/Slide{index + 1}"))
        page.contents_add(pikepdf.Stream(paper, b"q"), prepend=True)
        page.contents_add(pikepdf.Stream(paper, f"Q q {scale:.5f} 0 0 {scale:.5f} {slot.x:.3f} {bottom:.3f} cm {name} Do Q".encode()))


def _own_resources(page: pikepdf.Page) -> None:
    """Give page a resource dictionary (and XObject dictionary) of its own, sharing the resources in them."""
    resources = pikepdf.Dictionary({key: value for key, value in page.obj.Resources.items()})
    resources.XObject = pikepdf.Dictionary({key: value for key, value in resources.get("/XObject", {}).items()})
    page.obj.Resources = resources


def build_notes(course_root: str, session_path: str, slides: str, target: str) -> None:
    """The doit action: the note-taking handout of one session from its slide PDF, to target."""
    with pikepdf.open(slides) as deck:
        box = deck.pages[0].mediabox
        aspect = float(box[3] - box[1]) / float(box[2] - box[0])
        title = str(deck.docinfo.get("/Title", ""))
        html = notes_html(Path(course_root), Path(session_path), title, len(deck.pages), aspect)
        paper = Rendered(html, TEMPLATES, Path(course_root))
        with pikepdf.open(io.BytesIO(paper.pdf(outlines=False))) as pdf:
            lay_in_slides(pdf, deck, aspect)
            write_atomically(Path(target), with_fonts(pdf))
