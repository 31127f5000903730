"""Cached handout parts and a freshly rendered front → one handout PDF, with pikepdf.

A part is one session rendered on its own (its pages, bookmarks, named
destinations, links and structure tree). The front is the cover and the
contents; a stamp is a page that shows only a page's running header and
"n / N". Assembling puts the parts' pages after the front pages, lays each
stamp over its page as an artifact, nests the parts' bookmarks under the
cover's, points the contents' links at their pages, gathers the named
destinations, merges the structure trees (pdf_structure) and embeds each
font once (pdf_fonts). The result does not depend on which parts were rendered in this
build, so an incremental build and a clean one give the same bytes.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

import pikepdf

from .files import write_atomically
from .pdf_fonts import embed_fonts
from .pdf_structure import merge_structure

CONTENTS_LINK = "deckbuild-contents:"  # href of a contents entry in the front: this prefix and the entry's number


@dataclass(frozen=True)
class Mark:
    """A bookmark of a part: its title, where it points (page index in the part, position) and those under it."""

    title: str
    page: int
    left: float
    top: float
    children: tuple[Mark, ...]


@dataclass(frozen=True)
class Part:
    """A rendered part, open (a context manager that closes it): its PDF, its page count and its bookmarks.
    It is opened once for both: opening a tagged part reads its whole object stream."""

    pdf: pikepdf.Pdf
    pages: int
    marks: tuple[Mark, ...]

    def __enter__(self) -> Part:
        return self

    def __exit__(self, *_) -> None:
        self.pdf.close()


def open_part(path: Path) -> Part:
    """A part PDF opened, with its page count and bookmarks."""
    pdf = pikepdf.open(path)
    pages = {page.obj.objgen: index for index, page in enumerate(pdf.pages)}

    def marks(items) -> tuple[Mark, ...]:
        found = []
        for item in items:
            destination = item.destination
            found.append(Mark(item.title, pages[destination[0].objgen], float(destination[2]), float(destination[3]),
                              marks(item.children)))
        return tuple(found)

    with pdf.open_outline() as outline:
        return Part(pdf, len(pdf.pages), marks(outline.root))


def contents_entries(parts: list[Part], first_page: int) -> list[tuple[Mark, int, int]]:
    """(bookmark, its page number in the handout, its depth) for every bookmark of the parts in reading
    order, the parts' pages starting at page number first_page. The contents' links are numbered in this order."""
    entries, start = [], first_page

    def walk(marks: tuple[Mark, ...], depth: int) -> None:
        for mark in marks:
            entries.append((mark, start + mark.page, depth))
            walk(mark.children, depth + 1)

    for part in parts:
        walk(part.marks, 0)
        start += part.pages
    return entries


def assemble(front: bytes, stamps: bytes, parts: list[Part], target: Path, kept: Path | None = None) -> None:
    """Write the handout: the front's pages, then every part's pages, each page after the cover with its
    stamp laid over it, their structure trees merged into one; the faces cut for it are kept in the
    folder kept for the next assembly (pdf_fonts)."""
    pdf = pikepdf.open(io.BytesIO(front))
    front_pages = len(pdf.pages)
    sources = [pikepdf.open(io.BytesIO(stamps)), *(part.pdf for part in parts)]
    try:
        count = len(sources[0].pages)
        pages = front_pages + sum(part.pages for part in parts)
        if count != pages - 1:
            raise ValueError(f"{count} stamps for the {pages - 1} pages after the cover")
        for source in sources:
            pdf.pages.extend(source.pages)
        stamp_pages = pdf.pages[front_pages:front_pages + count]
        document_pages = [*pdf.pages[:front_pages], *pdf.pages[front_pages + count:]]
        for number, (page, stamp) in enumerate(zip(document_pages[1:], stamp_pages), start=2):
            _stamp(pdf, page, stamp, number)
        del pdf.pages[front_pages:front_pages + count]
        starts = [front_pages + sum(part.pages for part in parts[:i]) for i in range(len(parts))]
        _outline(pdf, parts, starts)
        _contents_links(pdf, front_pages, contents_entries(parts, front_pages + 1))
        _destinations(pdf, sources[1:], starts)
        merge_structure(pdf, sources[1:], starts)
        finished = with_fonts(pdf, kept)
    finally:
        sources[0].close()
        pdf.close()
    write_atomically(target, finished)


def with_fonts(pdf: pikepdf.Pdf, kept: Path | None = None) -> bytes:
    """pdf (pages written without glyph outlines, see pdf.Rendered.pdf) with each face embedded once,
    cut to the glyphs its pages use (pdf_fonts; cuts kept in the folder kept, when given, for the
    next assembly of the same document), saved with an identifier from its content."""
    embed_fonts(pdf, kept)
    output = io.BytesIO()
    pdf.save(output, deterministic_id=True, object_stream_mode=pikepdf.ObjectStreamMode.generate)
    return output.getvalue()


def _stamp(pdf: pikepdf.Pdf, page: pikepdf.Page, stamp: pikepdf.Page, number: int) -> None:
    """Draw stamp (a page of the same size) over page, as a form XObject named after the page number
    (pikepdf's add_overlay picks a random name, which would make equal inputs give different bytes),
    marked as an artifact: running headers and page numbers are not part of the document's content."""
    name = page.add_resource(stamp.as_form_xobject(), pikepdf.Name.XObject, pikepdf.Name(f"/Stamp{number}"))
    page.contents_add(pikepdf.Stream(pdf, b"q"), prepend=True)
    page.contents_add(pikepdf.Stream(pdf, f"Q q /Artifact BMC {name} Do EMC Q".encode()))


def _outline(pdf: pikepdf.Pdf, parts: list[Part], starts: list[int]) -> None:
    """The parts' bookmarks under the front's first one (the day's title), as one document nests them."""

    def items(marks: tuple[Mark, ...], start: int) -> list[pikepdf.OutlineItem]:
        made = []
        for mark in marks:
            item = pikepdf.OutlineItem(mark.title, start + mark.page, pikepdf.PageLocation.XYZ, left=mark.left, top=mark.top, zoom=0)
            item.children.extend(items(mark.children, start))
            made.append(item)
        return made

    with pdf.open_outline() as outline:
        parent = outline.root[0].children if outline.root else outline.root
        for part, start in zip(parts, starts):
            parent.extend(items(part.marks, start))


def _contents_links(pdf: pikepdf.Pdf, front_pages: int, entries: list[tuple[Mark, int, int]]) -> None:
    """The contents' links (written by the front as CONTENTS_LINK addresses) → destinations in this document."""
    for page in pdf.pages[:front_pages]:
        for annotation in page.obj.get("/Annots", pikepdf.Array()):
            address = str(annotation.get("/A", {}).get("/URI", ""))
            if address.startswith(CONTENTS_LINK):
                mark, number, _ = entries[int(address[len(CONTENTS_LINK):])]
                del annotation.A
                annotation.Dest = pikepdf.Array([pdf.pages[number - 1].obj, pikepdf.Name.XYZ, mark.left, mark.top, 0])


def _destinations(pdf: pikepdf.Pdf, sources: list[pikepdf.Pdf], starts: list[int]) -> None:
    """One name tree of the parts' named destinations (every element id), pointing at the assembled pages."""
    tree = pikepdf.NameTree.new(pdf)
    for source, start in zip(sources, starts):
        if "/Names" not in source.Root or "/Dests" not in source.Root.Names:
            continue
        pages = {page.obj.objgen: index for index, page in enumerate(source.pages)}
        for name, destination in pikepdf.NameTree(source.Root.Names.Dests).items():
            page = pdf.pages[start + pages[destination[0].objgen]].obj
            tree[name] = pikepdf.Array([page, *list(destination)[1:]])
    names = pdf.Root.get("/Names")
    if names is None:
        pdf.Root.Names = names = pdf.make_indirect(pikepdf.Dictionary())
    names.Dests = tree.obj
