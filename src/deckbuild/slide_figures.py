"""The figures of a slide PDF — diagrams, charts, pictures, backdrops — drawn by WeasyPrint once each.

Pages of text are drawn directly (`slides_pdf`), but SVG is WeasyPrint's job:
a diagram's or chart's SVG from its Scene, an author's SVG picture, a picture
cut to fill its box. Each distinct figure (its HTML and box size) becomes one
page of a single WeasyPrint document (`handouts/slide_figures.html.j2`), the
size of its box, without glyph outlines; the slide pages show those pages as
form XObjects, and `pdf_fonts` embeds their faces with the slides' own.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from html import escape
from pathlib import Path
from urllib.parse import quote

import pikepdf
from markupsafe import Markup

from .pdf_canvas import PageCanvas
from .templating import TEMPLATES, templates
from .theme import Theme


@dataclass(frozen=True)
class Figure:
    """One figure's page: its inner HTML, or a backdrop picture's URL and fit ('cover' or 'contain')."""

    inner: Markup = Markup("")
    backdrop: str = ""
    fit: str = ""


def drawing(svg: str, width: float, height: float, alt: str) -> Figure:
    """An SVG drawing (a diagram's or chart's) at its own size in points, from the box's corner. As a
    data: URL it is read as XML, not by the HTML parser (which took a fifth of WeasyPrint's time)."""
    source = "data:image/svg+xml;charset=utf-8," + quote(svg)
    return Figure(Markup(f'<img src="{escape(source, quote=True)}" alt="{escape(alt, quote=True)}" '
                         f'style="width:{width:.2f}pt;height:{height:.2f}pt">'))


def picture(path: Path, alt: str) -> Figure:
    return Figure(Markup(f'<img src="{escape(path.resolve().as_uri(), quote=True)}" alt="{escape(alt, quote=True)}">'))


def backdrop(path: Path, fit: str) -> Figure:
    return Figure(backdrop=path.resolve().as_uri(), fit=fit)


class Figures:
    """The figures a document's pages place, rendered together once every page is drawn."""

    def __init__(self, pdf: pikepdf.Pdf, theme: Theme, language: str) -> None:
        self.pdf, self.theme, self.language = pdf, theme, language
        self.figures: dict[tuple[Figure, float, float], int] = {}
        self.placed: list[tuple[PageCanvas, str, int]] = []
        self.source: pikepdf.Pdf | None = None

    def place(self, canvas: PageCanvas, figure: Figure, x: float, y: float, width: float, height: float) -> None:
        """figure drawn into the box (its page comes later, from render)."""
        key = (figure, round(width, 2), round(height, 2))
        index = self.figures.setdefault(key, len(self.figures))
        name = f"/Fig{index}"
        canvas.form(pikepdf.Dictionary(), x, y, width, height, name)  # the form itself is set by render
        self.placed.append((canvas, name, index))

    def render(self, course_root: Path) -> None:
        """Every figure drawn by WeasyPrint, a page each, and set as its canvases' form. The PDF they come
        from stays open (its streams are copied when the slide PDF is saved): close it with close()."""
        if not self.figures:
            return
        from .pdf import Rendered  # WeasyPrint loads only for decks with figures

        sizes = list(dict.fromkeys((width, height) for _, width, height in self.figures))
        html = templates().get_template("slide_figures.html.j2").render(
            language=self.language, fonts=self.theme.fonts, sizes=sizes,
            figures=[(sizes.index((width, height)), figure) for figure, width, height in self.figures])
        rendered = Rendered(html, TEMPLATES, course_root, user_agent=TEMPLATES / "slides_ua.css")
        self.source = pikepdf.open(io.BytesIO(rendered.pdf(outlines=False)))
        if len(self.source.pages) != len(self.figures):
            raise ValueError(f"{len(self.figures)} figures drawn on {len(self.source.pages)} pages")
        forms = [self.pdf.copy_foreign(page.as_form_xobject()) for page in self.source.pages]
        for canvas, name, index in self.placed:
            canvas.xobjects[name] = forms[index]

    def close(self) -> None:
        if self.source is not None:
            self.source.close()
