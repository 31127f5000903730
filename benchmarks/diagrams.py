"""Time per Mermaid diagram: parse + layout + PowerPoint group + SVG, over the sample course
and ../shared/corpus; printed as a median and, when mermaid-cli (mmdc) is installed, as a
ratio against it measured in the same run.

Then a readability report per course over its flowchart, state and architecture
diagrams: the share of diagrams with a connector through a node that is not its end,
with a connector through another edge's label, and with overlapping texts, and the
share of connectors glued to shapes at both ends in the written PowerPoint group.

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
from pptx.oxml.ns import qn

from deckbuild.course import discover
from deckbuild.diagrams.build import NATIVE_KINDS, build_scene
from deckbuild.diagrams.model import MermaidError
from deckbuild.diagrams.readability import measure_scene
from deckbuild.diagrams.to_pptx import SceneWriter
from deckbuild.diagrams.to_svg import scene_to_svg
from deckbuild.document import Diagram, iter_blocks, read_document
from deckbuild.measure import Measurer
from deckbuild.theme import load_theme

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_COURSES = [ROOT / "slides", ROOT.parent / "shared" / "corpus"]


READABILITY_KINDS = ("graph", "flowchart", "stateDiagram", "stateDiagram-v2", "architecture-beta")


def diagrams(courses: list[Path]) -> list[Diagram]:
    return [block for course in courses for block in course_diagrams(course)]


def course_diagrams(course: Path) -> list[Diagram]:
    found = []
    if course.is_dir():
        for session in discover(course).sessions:
            found += [b for b in iter_blocks(read_document(session.path).blocks) if isinstance(b, Diagram)]
    return [d for d in found if d.kind in NATIVE_KINDS]


def glued_ends(group) -> tuple[int, int]:
    """Connectors in a written group, and how many of them are glued at both ends."""
    connectors = group._element.findall(".//" + qn("p:cxnSp"))
    both = sum(1 for c in connectors if c.find(".//" + qn("a:stCxn")) is not None and c.find(".//" + qn("a:endCxn")) is not None)
    return len(connectors), both


def readability_report(course: Path) -> str:
    """One course's readability figures over its flowchart, state and architecture diagrams."""
    theme = load_theme("default", ROOT / "slides")
    measure = Measurer(theme.fonts.metrics_body, theme.fonts.metrics_mono)
    writer = SceneWriter(theme.fonts.latin, theme.fonts.east_asian, "ko-KR")
    presentation = Presentation()
    counted = through_nodes = through_labels = overlapping = connectors = glued = 0
    for block in course_diagrams(course):
        if block.kind not in READABILITY_KINDS:
            continue
        try:
            scene = build_scene(block.source, block.kind, measure, theme.diagram)
        except MermaidError:
            continue
        figures = measure_scene(scene, lambda text, size, bold: measure.width(text, size, bold=bold))
        counted += 1
        through_nodes += figures.through_nodes > 0
        through_labels += figures.through_labels > 0
        overlapping += figures.overlapping_texts > 0
        slide = presentation.slides.add_slide(presentation.slide_layouts[6])
        written, both = glued_ends(writer.add(slide, scene, 36, 100, 1.0, scene.description))
        connectors += written
        glued += both
    if not counted:
        return f"{course}: no flowchart, state or architecture diagrams"
    return (f"{course.name or course}: {counted} diagrams; connector through a node {through_nodes / counted:.1%}, "
            f"through another edge's label or a frame title {through_labels / counted:.1%}, overlapping texts {overlapping / counted:.1%}; "
            f"connectors glued at both ends {glued / max(connectors, 1):.1%} of {connectors}")


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
    for course in courses:
        print(readability_report(course))


if __name__ == "__main__":
    main()
