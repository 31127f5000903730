"""Time per Mermaid diagram: parse + layout + PowerPoint group + SVG, over the sample course
and ../shared/corpus; printed as a median and, when mermaid-cli (mmdc) is installed, as a
ratio against it measured in the same run.

    .venv/bin/python benchmarks/diagrams.py [COURSE ...]
"""

from __future__ import annotations

import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from pptx import Presentation

from deckbuild.course import discover
from deckbuild.diagrams.build import NATIVE_KINDS, build_scene
from deckbuild.diagrams.model import MermaidError
from deckbuild.diagrams.to_pptx import SceneWriter
from deckbuild.diagrams.to_svg import scene_to_svg
from deckbuild.document import Diagram, iter_blocks, read_document
from deckbuild.measure import Measurer
from deckbuild.theme import load_theme

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_COURSES = [ROOT / "slides", ROOT.parent / "shared" / "corpus"]


def diagrams(courses: list[Path]) -> list[Diagram]:
    found = []
    for course in courses:
        if course.is_dir():
            for session in discover(course).sessions:
                found += [b for b in iter_blocks(read_document(session.path).blocks) if isinstance(b, Diagram)]
    return [d for d in found if d.kind in NATIVE_KINDS]


def time_ours(blocks: list[Diagram]) -> dict[str, list[float]]:
    """Seconds per drawn diagram, by Mermaid keyword."""
    theme = load_theme("default", ROOT / "slides")
    measure = Measurer(theme.fonts.metrics_body, theme.fonts.metrics_mono)
    writer = SceneWriter(theme.fonts.latin, theme.fonts.east_asian, "ko-KR")
    presentation = Presentation()
    build_scene(blocks[0].source, blocks[0].kind, measure, theme.diagram)  # fonts loaded once, outside the timing
    times: dict[str, list[float]] = {}
    for block in blocks:
        slide = presentation.slides.add_slide(presentation.slide_layouts[6])
        start = time.perf_counter()
        try:
            scene = build_scene(block.source, block.kind, measure, theme.diagram)
        except MermaidError:
            continue
        writer.add(slide, scene, 36, 100, 1.0, scene.description)
        scene_to_svg(scene, theme.fonts.east_asian)
        times.setdefault(block.kind, []).append(time.perf_counter() - start)
    return times


def time_mermaid_cli(blocks: list[Diagram], limit: int = 5) -> list[float] | None:
    mmdc = shutil.which("mmdc")
    if mmdc is None:
        return None
    times = []
    with tempfile.TemporaryDirectory() as folder:
        for index, block in enumerate(blocks[:limit]):
            source = Path(folder) / f"d{index}.mmd"
            source.write_text(block.source, encoding="utf-8")
            start = time.perf_counter()
            subprocess.run([mmdc, "-i", str(source), "-o", str(source.with_suffix(".svg"))], capture_output=True, check=False)
            times.append(time.perf_counter() - start)
    return times


def main() -> None:
    courses = [Path(arg) for arg in sys.argv[1:]] or DEFAULT_COURSES
    blocks = diagrams(courses)
    by_kind = time_ours(blocks)
    ours = [seconds for times in by_kind.values() for seconds in times]
    median = statistics.median(ours)
    print(f"diagrams: {len(ours)} ({', '.join(f'{kind} {len(times)}' for kind, times in sorted(by_kind.items()))})")
    print(f"deckbuild parse+layout+pptx+svg: median {median * 1000:.1f} ms, max {max(ours) * 1000:.1f} ms per diagram")
    slowest = max(by_kind, key=lambda kind: max(by_kind[kind]))
    print(f"slowest kind: {slowest} (max {max(by_kind[slowest]) * 1000:.1f} ms)")
    theirs = time_mermaid_cli(blocks)
    if theirs:
        print(f"mermaid-cli: median {statistics.median(theirs) * 1000:.0f} ms per diagram "
              f"→ deckbuild is {statistics.median(theirs) / median:.0f}× faster")
    else:
        print("mermaid-cli (mmdc) not installed: no side-by-side ratio")


if __name__ == "__main__":
    main()
