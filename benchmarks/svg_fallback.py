"""Time per SVG picture for the PNG fallback a deck carries, nothing cached: the `resvg` binding
(what deckbuild uses) against `resvg-py` (another binding of the same renderer, what it used
before) and CairoSVG (what it used first), each compared only when installed, at the width a
picture filling the slide gets. Beside each binding's time: whether its pixels equal ours.

    .venv/bin/python benchmarks/svg_fallback.py [SVG ...]   (default: every SVG in slides/ and ../shared/corpus)
"""

from __future__ import annotations

import io
import statistics
import sys
import time
from pathlib import Path

from PIL import Image, ImageChops

from deckbuild.images import prepared_svg, rasterise
from deckbuild.pptx_writer import MAX_PNG_WIDTH, PNG_DPI
from deckbuild.theme import load_theme

ROOT = Path(__file__).resolve().parents[1]
ROUNDS = 3
WIDTH = round(8.3 * PNG_DPI)  # a picture 8.3 in wide: the body of a 16:9 slide


def median_seconds(render, svg: str) -> tuple[float, bytes]:
    times = []
    for _ in range(ROUNDS):
        start = time.perf_counter()
        png = render(svg)
        times.append(time.perf_counter() - start)
    return statistics.median(times), png


def other_renderers(family: str) -> dict:
    """The renderers installed beside ours, by name."""
    renderers = {}
    try:
        import resvg_py
    except ImportError:
        pass
    else:
        renderers["resvg-py"] = lambda svg: bytes(resvg_py.svg_to_bytes(svg_string=svg, width=WIDTH, font_family=family))
    try:
        from cairosvg import svg2png
    except ImportError:
        pass
    else:  # CairoSVG draws text in one font (no per-glyph fallback)
        renderers["CairoSVG"] = lambda svg: svg2png(bytestring=svg.encode(), output_width=WIDTH, unsafe=False)
    return renderers


def same_pixels(a: bytes, b: bytes) -> bool:
    first, second = (Image.open(io.BytesIO(png)).convert("RGBA") for png in (a, b))
    return first.size == second.size and ImageChops.difference(first, second).getbbox() is None


def main() -> None:
    paths = [Path(arg) for arg in sys.argv[1:]] or sorted(
        p for folder in (ROOT / "slides", ROOT.parent / "shared" / "corpus") if folder.is_dir() for p in folder.rglob("*.svg"))
    family = load_theme("default", ROOT / "slides").fonts.east_asian
    renderers = {"resvg": lambda svg: rasterise(svg, min(WIDTH, MAX_PNG_WIDTH), family), **other_renderers(family)}
    totals = {name: [] for name in renderers}
    for path in paths:
        svg = prepared_svg(path.read_bytes(), family)
        cells, ours = [], None
        for name, render in renderers.items():
            seconds, png = median_seconds(render, svg)
            ours = ours or png
            totals[name].append(seconds)
            cells.append(f"{name} {seconds * 1000:.0f} ms" + ("" if png is ours else
                                                                 " (same pixels)" if same_pixels(ours, png) else " (other pixels)"))
        print(f"{path}: {', '.join(cells)}")
    summary = [f"{name} median {statistics.median(times) * 1000:.0f} ms" for name, times in totals.items() if times]
    print(f"{len(paths)} pictures at {WIDTH} px: {', '.join(summary)}")


if __name__ == "__main__":
    main()
