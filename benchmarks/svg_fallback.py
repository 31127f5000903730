"""Time per SVG picture for the PNG fallback a deck carries: resvg (what deckbuild uses) against
CairoSVG (what it used before; compared only when `cairosvg` is installed), at the width a picture
filling the slide gets.

    .venv/bin/python benchmarks/svg_fallback.py [SVG ...]   (default: every SVG in slides/ and ../shared/corpus)
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

from deckbuild.images import svg_to_png
from deckbuild.pptx_writer import MAX_PNG_WIDTH
from deckbuild.theme import load_theme

ROOT = Path(__file__).resolve().parents[1]
ROUNDS = 3


def median_seconds(render, svg: bytes) -> float:
    times = []
    for _ in range(ROUNDS):
        start = time.perf_counter()
        render(svg)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def cairosvg_renderer():
    """CairoSVG with the font forced to one family (it has no per-glyph fallback), or None."""
    try:
        from cairosvg import svg2png
    except ImportError:
        return None
    return lambda svg: svg2png(bytestring=svg, output_width=MAX_PNG_WIDTH, unsafe=False)


def main() -> None:
    paths = [Path(arg) for arg in sys.argv[1:]] or sorted(
        p for folder in (ROOT / "slides", ROOT.parent / "shared" / "corpus") if folder.is_dir() for p in folder.rglob("*.svg"))
    family = load_theme("default", ROOT / "slides").fonts.east_asian
    renderers = {"resvg": lambda svg: svg_to_png(svg, MAX_PNG_WIDTH, family)}
    cairo = cairosvg_renderer()
    if cairo is not None:
        renderers["CairoSVG"] = cairo
    totals = {name: [] for name in renderers}
    for path in paths:
        svg = path.read_bytes()
        cells = []
        for name, render in renderers.items():
            seconds = median_seconds(render, svg)
            totals[name].append(seconds)
            cells.append(f"{name} {seconds * 1000:.0f} ms")
        print(f"{path}: {', '.join(cells)}")
    summary = [f"{name} median {statistics.median(times) * 1000:.0f} ms" for name, times in totals.items() if times]
    print(f"{len(paths)} pictures at {MAX_PNG_WIDTH} px: {', '.join(summary)}")


if __name__ == "__main__":
    main()
