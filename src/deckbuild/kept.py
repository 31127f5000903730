"""PDFs kept for reuse: the last PDF made for one purpose and what it was made from.

Apart from pdf.py so that asking for a kept PDF does not load WeasyPrint: the
handout's assembly, when no page number moved, lays nothing out.
"""

from __future__ import annotations

import hashlib
import json
from importlib.metadata import version
from pathlib import Path

from .files import write_atomically
from .templating import TEMPLATES


class KeptRender:
    """The last PDF made for one purpose (a handout's front, its page-number stamps) and what it was
    made from, kept in a folder: asked for the same page again, it returns the kept PDF instead of
    laying the page out. An edit that moves no page number leaves a handout's front unchanged.

    Kept PDFs are pages for an assembly (written without glyph outlines). The key is the page's HTML,
    the stylesheets and templates it is made with, WeasyPrint's version and whether it is tagged, so a
    kept PDF is the PDF that rendering would give.
    """

    def __init__(self, folder: Path, name: str) -> None:
        self.pdf_path = folder / f"{name}.pdf"
        self.key_path = folder / f"{name}.json"

    @staticmethod
    def key(html: str, tags: bool) -> str:
        digest = hashlib.sha256(f"{version('weasyprint')}|tags={tags}|".encode() + html.encode())
        for path in sorted(TEMPLATES.iterdir()):
            if path.is_file():
                digest.update(path.name.encode() + b"\0" + path.read_bytes())
        return digest.hexdigest()

    def get(self, html: str, tags: bool) -> tuple[bytes, int] | None:
        """(PDF, page count) kept for this page, if any."""
        try:
            kept = json.loads(self.key_path.read_text(encoding="utf-8"))
            if kept["key"] == self.key(html, tags):
                return self.pdf_path.read_bytes(), kept["pages"]
        except (OSError, ValueError, KeyError):
            pass
        return None

    def pages(self) -> int | None:
        """The page count of the kept PDF, whatever it was made from."""
        try:
            return json.loads(self.key_path.read_text(encoding="utf-8"))["pages"]
        except (OSError, ValueError, KeyError):
            return None

    def put(self, html: str, tags: bool, pdf: bytes, pages: int) -> None:
        write_atomically(self.pdf_path, pdf)
        write_atomically(self.key_path, json.dumps({"key": self.key(html, tags), "pages": pages}).encode())
