"""Time for `deckbuild export markdown` (the course's markdown for an LMS), per course and per diagram.

    .venv/bin/python benchmarks/lms_export.py [COURSE ...] [-n JOBS] [--repeat N]

Each export runs as its own process on a fresh copy of the course: a first export with SVG
pictures, a no-op export, an export after one session's text and one of its diagrams are
edited, and first exports with PNG pictures with the PNG cache (~/.cache/deckbuild/svg-png)
empty and then filled. Each figure is the median of N rounds. "Per diagram" is the first
export's time over the course's diagrams, and in brackets the same beyond a no-op export's
time (start-up, finding and checking the files). Default courses: the sample course and
../shared/corpus.
"""

from __future__ import annotations

import argparse
import os
import statistics
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from deckbuild.course import find_markdown_files
from deckbuild.files import user_cache
from deckbuild.lms import mermaid_fences

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_COURSES = [ROOT / "slides", ROOT.parent / "shared" / "corpus"]


def export(course: Path, out: Path, jobs: int, *options: str, cache_home: Path | None = None) -> float:
    """Seconds one `deckbuild export markdown` process takes."""
    environment = {**os.environ, **({"XDG_CACHE_HOME": str(cache_home)} if cache_home else {})}
    command = [sys.executable, "-m", "deckbuild.cli", "export", "markdown", str(course), "-o", str(out), "-n", str(jobs), *options]
    start = time.perf_counter()
    subprocess.run(command, check=True, env=environment, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def edit_one_session(course: Path) -> None:
    """Append a sentence to the first session with a diagram and a comment line to its first diagram."""
    for path in find_markdown_files(course):
        text = path.read_text(encoding="utf-8")
        fences = mermaid_fences(text)
        if fences and path.name.startswith("session"):
            lines = text.split("\n")
            lines.insert(fences[0].end - 1, "%% edited")
            path.write_text("\n".join(lines) + "\n추가 문단입니다.\n", encoding="utf-8")
            return


def without_png_cache(folder: Path) -> Path:
    """A cache home holding the user's deckbuild caches (font metrics, embedded fonts) but no PNGs."""
    shutil.copytree(user_cache("svg-png").parent, folder / "deckbuild", ignore=shutil.ignore_patterns("svg-png"),
                    dirs_exist_ok=True)
    return folder


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("courses", nargs="*", type=Path)
    parser.add_argument("-n", "--jobs", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=3, help="rounds; each figure is their median")
    args = parser.parse_args()
    courses = args.courses or [course for course in DEFAULT_COURSES if course.is_dir()]
    print(f"{'course':<24} {'files':>5} {'diagrams':>8} | {'SVG':>6} {'per diagram':>18} | {'no-op':>6} {'edit':>6} |"
          f" {'PNG cold':>8} {'per diagram':>18} {'PNG warm':>8}")
    for course in courses:
        rounds = [measure(course, args.jobs) for _ in range(args.repeat)]
        files, diagrams = rounds[0][:2]
        svg, no_op, edit, png_cold, png_warm = (statistics.median(figures) for figures in zip(*(r[2:] for r in rounds)))

        def per_diagram(seconds: float) -> str:
            return f"{seconds / diagrams * 1000:.0f} ms ({(seconds - no_op) / diagrams * 1000:.0f} ms)"

        name = course.resolve().name if course.resolve() != ROOT / "slides" else "slides"
        print(f"{name:<24} {files:>5} {diagrams:>8} | {svg:>5.2f}s {per_diagram(svg):>18} | {no_op:>5.2f}s {edit:>5.2f}s |"
              f" {png_cold:>7.2f}s {per_diagram(png_cold):>18} {png_warm:>7.2f}s")


def measure(course: Path, jobs: int) -> tuple[int, int, float, float, float, float, float]:
    """One round on a fresh copy of course: files, diagrams, then seconds for a first SVG export,
    a no-op, an edit, and first PNG exports with the PNG cache empty and filled."""
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        copy = work / "course"
        shutil.copytree(course, copy)
        files = find_markdown_files(copy)
        diagrams = sum(len(mermaid_fences(path.read_text(encoding="utf-8"))) for path in files)
        svg = export(copy, work / "svg", jobs)
        no_op = export(copy, work / "svg", jobs)
        png_cold = export(copy, work / "png-cold", jobs, "--format", "png", cache_home=without_png_cache(work / "cache"))
        png_warm = export(copy, work / "png-warm", jobs, "--format", "png", cache_home=work / "cache")
        edit_one_session(copy)
        edit = export(copy, work / "svg", jobs)
        return len(files), diagrams, svg, no_op, edit, png_cold, png_warm


if __name__ == "__main__":
    main()
