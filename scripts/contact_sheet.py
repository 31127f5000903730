"""A contact sheet of a deck or PDF: every page small, numbered, on one PNG, to look at as a person would.

    .venv/bin/python scripts/contact_sheet.py build/decks/week_01/day_04/session_03.pptx /tmp/sheet.png
    .venv/bin/python scripts/contact_sheet.py handout.pdf /tmp/sheet.png --first 1 --last 12 --columns 4

A .pptx is converted with LibreOffice first; pages are rendered with pdftoppm.
"""

from __future__ import annotations

import argparse
import subprocess
import tempfile
from pathlib import Path

from PIL import Image, ImageDraw

GUTTER = 6


def rendered_pages(source: Path, folder: Path, first: int, last: int, dpi: int) -> list[Path]:
    """PNG files of source's pages first..last (a deck is converted to PDF first)."""
    if source.suffix.lower() == ".pptx":
        subprocess.run(["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(folder), str(source)],
                       capture_output=True, check=True, timeout=600)
        source = folder / f"{source.stem}.pdf"
    subprocess.run(["pdftoppm", "-r", str(dpi), "-png", "-f", str(first), "-l", str(last), str(source), str(folder / "page")],
                   check=True, timeout=600)
    return sorted(folder.glob("page-*.png"))


def tile(pages: list[Path], columns: int) -> Image.Image:
    """The pages on a grey sheet, columns wide, each marked with its page number."""
    images = [Image.open(page) for page in pages]
    width, height = images[0].size
    rows = -(-len(images) // columns)
    sheet = Image.new("RGB", (columns * (width + GUTTER), rows * (height + GUTTER)), "gray")
    draw = ImageDraw.Draw(sheet)
    for index, (page, image) in enumerate(zip(pages, images)):
        x, y = (index % columns) * (width + GUTTER), (index // columns) * (height + GUTTER)
        sheet.paste(image, (x, y))
        draw.text((x + 3, y + 3), page.stem.rsplit("-", 1)[1], fill="red")
    return sheet


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source", type=Path, help="a .pptx deck or a PDF")
    parser.add_argument("target", type=Path, help="the PNG to write")
    parser.add_argument("--first", type=int, default=1)
    parser.add_argument("--last", type=int, default=60)
    parser.add_argument("--columns", type=int, default=6)
    parser.add_argument("--dpi", type=int, default=40)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        pages = rendered_pages(options.source.resolve(), Path(folder), options.first, options.last, options.dpi)
        if not pages:
            raise SystemExit(f"{options.source}: no pages in {options.first}..{options.last}")
        tile(pages, options.columns).save(options.target)
    print(f"{options.target}: {len(pages)} pages")


if __name__ == "__main__":
    main()
