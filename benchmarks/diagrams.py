"""Time per Mermaid diagram: parse + layout + PowerPoint group + SVG, over the sample course
and ../shared/corpus; printed as a median and, when mermaid-cli (mmdc) is installed, as a
ratio against it measured in the same run.

Then a readability report per course over its flowchart, state and architecture
diagrams: the share of diagrams with a connector through a node that is not its end,
with a connector through another edge's label, and with overlapping texts, and the
share of connectors glued to shapes at both ends in the written PowerPoint group.

    .venv/bin/python benchmarks/diagrams.py [COURSE ...]
    .venv/bin/python benchmarks/diagrams.py --src OLD/src --src src [--rounds 5] [COURSE ...]

With --src, each version (the first is the baseline) times the same diagrams in a
process of its own, the versions taking turns for several rounds so both see the
same machine load; printed per course are the median wall and processor time per
diagram (each diagram's median over the rounds, over the diagrams every version
draws) and each version's ratio to the baseline. The machine is noisy: read
ratios, and repeat.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
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
    from deckbuild.diagrams.readability import measure_scene  # here: versions timed with --src may lack it

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


def processor_seconds() -> float:
    """Processor time of this process and the children it waited for (Graphviz), user + system."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def time_each(blocks: list[Diagram]) -> list[tuple[float, float] | None]:
    """Wall and processor seconds of each diagram (parse, layout, PowerPoint group, SVG), None for
    a block the version refuses."""
    if not blocks:
        return []
    theme = load_theme("default", ROOT / "slides")
    measure = Measurer(theme.fonts.metrics_body, theme.fonts.metrics_mono)
    writer = SceneWriter(theme.fonts.latin, theme.fonts.east_asian, "ko-KR")
    presentation = Presentation()
    build_scene(blocks[0].source, blocks[0].kind, measure, theme.diagram)  # fonts loaded once, outside the timing
    times: list[tuple[float, float] | None] = []
    for block in blocks:
        slide = presentation.slides.add_slide(presentation.slide_layouts[6])
        start, start_cpu = time.perf_counter(), processor_seconds()
        try:
            scene = build_scene(block.source, block.kind, measure, theme.diagram)
        except MermaidError:
            times.append(None)
            continue
        writer.add(slide, scene, 36, 100, 1.0, scene.description)
        scene_to_svg(scene, theme.fonts.east_asian)
        times.append((time.perf_counter() - start, processor_seconds() - start_cpu))
    return times


def time_ours(blocks: list[Diagram]) -> dict[str, list[float]]:
    """Seconds per drawn diagram, by Mermaid keyword."""
    by_kind: dict[str, list[float]] = {}
    for block, measured in zip(blocks, time_each(blocks)):
        if measured is not None:
            by_kind.setdefault(block.kind, []).append(measured[0])
    return by_kind


def versions_side_by_side(courses: list[Path], sources: list[Path], rounds: int) -> None:
    """Each version times every course's diagrams in its own process, in turn, for several rounds."""
    runs: dict[Path, list[dict]] = {src: [] for src in sources}
    for round_number in range(rounds):
        for src in sources if round_number % 2 == 0 else sources[::-1]:
            environment = {**os.environ, "PYTHONPATH": str(src)}
            output = subprocess.run([sys.executable, __file__, "--json", *map(str, courses)], env=environment,
                                    stdout=subprocess.PIPE, text=True, check=True).stdout
            runs[src].append(json.loads(output))
    print(f"versions: {', '.join(map(str, sources))}; {rounds} rounds")
    every: list[list[tuple[float, float]]] = [[] for _ in sources]  # each version's diagrams of all courses
    for course in map(str, courses):
        per_version = [[run[course] for run in runs[src]] for src in sources]  # version → round → source → times
        drawn = [source for source in per_version[0][0]
                 if all(run.get(source) is not None for version in per_version for run in version)]
        typical = [[tuple(statistics.median(run[source][part] for run in version) for part in (0, 1)) for source in drawn]
                   for version in per_version]  # each diagram's median over the rounds
        for collected, timings in zip(every, typical):
            collected.extend(timings)
        print_medians(f"{course}: {len(drawn)} diagrams every version draws (of {len(per_version[0][0])})", sources, typical)
    if len(courses) > 1:
        print_medians(f"all courses: {len(every[0])} diagrams", sources, every)


def print_medians(title: str, sources: list[Path], typical: list[list[tuple[float, float]]]) -> None:
    """Each version's median wall and processor time per diagram, and its ratios to the first version's."""
    medians = [[statistics.median(times[part] for times in timings) for part in (0, 1)] for timings in typical]
    print(f"{title}; median per diagram")
    for src, (wall, cpu) in zip(sources, medians):
        print(f"  {str(src):<40} wall {wall * 1000:6.1f} ms ({wall / medians[0][0]:.2f}×)  "
              f"processor {cpu * 1000:6.1f} ms ({cpu / medians[0][1]:.2f}×)")


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
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("courses", nargs="*", type=Path)
    parser.add_argument("--src", type=Path, action="append", help="deckbuild source folders to compare, first = the baseline")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--json", action="store_true", help="print each course's times per diagram as JSON (what --src runs)")
    args = parser.parse_args()
    courses = args.courses or DEFAULT_COURSES
    if args.json:
        blocks = {course: course_diagrams(course) for course in courses}
        print(json.dumps({str(course): {block.source: measured for block, measured in zip(found, time_each(found))}
                          for course, found in blocks.items()}))
        return
    if args.src:
        versions_side_by_side(courses, [src.resolve() for src in args.src], args.rounds)
        return
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
