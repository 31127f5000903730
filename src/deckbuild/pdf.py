"""HTML → PDF with WeasyPrint, locked to the course folder, reproducible and written atomically.

Every resource a page asks for goes through CourseFetcher: files inside the
course root, the templates folder and data: URLs are served; anything else
(the network, files elsewhere) is refused, and WeasyPrint leaves it out.
"""

from __future__ import annotations

import functools
import hashlib
import os
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import unquote, urlparse

from weasyprint import CSS, HTML, Document
from weasyprint.pdf import fonts as weasyprint_fonts
from weasyprint.urls import URLFetcher

from .files import write_atomically
from .remote import cache_folders
from .templating import TEMPLATES
from .timestamps import DEFAULT_EPOCH


class CourseFetcher(URLFetcher):
    """A URL fetcher that serves only local files below the allowed folders, and data: URLs."""

    def __init__(self, allowed: list[Path]) -> None:
        super().__init__(allowed_protocols=("file", "data"), allow_redirects=False)
        self.allowed = [folder.resolve() for folder in allowed]
        self.refused: list[str] = []

    def fetch(self, url, headers=None):
        if url.startswith("data:"):
            return super().fetch(url, headers)
        parsed = urlparse(url)
        path = Path(unquote(parsed.path)).resolve() if parsed.scheme == "file" else None
        if path is None or not any(path.is_relative_to(folder) for folder in self.allowed):
            self.refused.append(url)
            raise ValueError(f"not loaded during a build: {url}")
        return super().fetch(url, headers)


class Rendered:
    """An HTML page laid out into pages by WeasyPrint, not yet written: its pages can be
    inspected (anchors) before the PDF is made."""

    def __init__(self, html: str, base: Path, course_root: Path, forms: bool = False, user_agent: Path | None = None) -> None:
        # fontTools stamps the fonts WeasyPrint rebuilds (colour emoji) with the current
        # time unless SOURCE_DATE_EPOCH is set; pin it so equal inputs give equal bytes.
        os.environ.setdefault("SOURCE_DATE_EPOCH", str(DEFAULT_EPOCH))
        self.html = html
        self.fetcher = CourseFetcher([course_root, TEMPLATES, *cache_folders()])
        self.forms = forms  # form fields are found while laying out, so the render needs to know
        page = HTML if user_agent is None else _with_user_agent(user_agent)
        self.document: Document = page(string=html, base_url=str(base.resolve()) + "/", url_fetcher=self.fetcher).render(
            pdf_forms=forms)

    def page_of(self, anchor: str) -> int | None:
        """The index of the page an element id is on."""
        return next((i for i, page in enumerate(self.document.pages) if anchor in page.anchors), None)

    def pdf(self, outlines: bool = True, tags: bool = False) -> bytes:
        """The PDF, with tags tagged for accessibility: WeasyPrint's PDF/UA-1 variant (a
        structure tree of the HTML's elements, the language from `<html lang>`, the title shown as
        the window's, images' alt text, table header cells, XMP metadata naming PDF/UA-1). Its
        dates come from the HTML's dcterms metadata, so the same input gives the same bytes.

        Without outlines, the PDF is pages for an assembly (pdf_assembly), which writes the
        document's own identifier and fonts: each font is embedded as its face's .notdef glyph
        only (its widths and Unicode map stay whole), as cutting and compressing a face per
        part would be wasted, and the PDF has no identifier, which pydyf makes by writing the
        whole file a second time. With outlines its identifier is a hash of the HTML.
        """
        identifier = hashlib.md5(self.html.encode()).hexdigest().encode() if outlines else None
        with _glyph_outlines(outlines):
            return self.document.write_pdf(pdf_identifier=identifier, pdf_forms=self.forms, uncompressed_pdf=False,
                                           pdf_variant="pdf/ua-1" if tags else None,
                                           finisher=_scoped_table_headers if tags else None)


def _scoped_table_headers(document: Document, pdf) -> None:
    """Header cells (TH) that say they head their column (Scope), in place of WeasyPrint's links from each
    data cell to its headers (Headers), which name header IDs made of object numbers: those repeat once
    parts are assembled and are listed in no ID tree, so no reader could follow them. Markdown tables
    have one header row."""
    for item in pdf.objects:
        if isinstance(item, dict) and item.get("Type") == "/StructElem":
            if item["S"] == "/TH":
                item.pop("ID", None)
                item["A"]["Scope"] = "/Column"
            elif item["S"] == "/TD":
                item["A"].pop("Headers", None)


@functools.lru_cache(maxsize=4)
def _with_user_agent(stylesheet: Path) -> type:
    """WeasyPrint's HTML with stylesheet as its user-agent stylesheet instead of the HTML one (a page
    that uses few elements is laid out much faster: each of those rules is matched against every element)."""
    sheet = CSS(filename=str(stylesheet))

    class PlainHTML(HTML):
        def _ua_stylesheets(self, forms=False):  # WeasyPrint's own hook for its default stylesheets
            return [sheet]

    return PlainHTML


@contextmanager
def _glyph_outlines(keep: bool):
    """WeasyPrint's font cleaning as it is, or cutting each face to glyph 0 (the name table stays,
    which tells pdf_fonts the face)."""
    clean = weasyprint_fonts.Font.clean
    if not keep:
        weasyprint_fonts.Font.clean = lambda font, to_unicode, hinting: clean(font, {0: ""}, hinting)
    try:
        yield
    finally:
        weasyprint_fonts.Font.clean = clean


def write_pdf(html: str, base: Path, course_root: Path, target: Path, forms: bool = False, tags: bool = False) -> list[str]:
    """Render html (relative URLs against base) to target, tagged or not; returns the URLs that were refused."""
    rendered = Rendered(html, base, course_root, forms)
    write_atomically(target, rendered.pdf(tags=tags))
    return rendered.fetcher.refused
