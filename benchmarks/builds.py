"""Whole builds, measured side by side in one run and printed as ratios.

    .venv/bin/python benchmarks/builds.py [COURSE ...]

For each course (default: the sample course and ../shared/corpus), on a fresh
copy: a full build, a no-op build, a one-session text edit, an image edit and a
theme edit (with deckbuild's default jobs, one per processor), a full build
with one job; decks alone against
Pandoc's pptx writer (one `pandoc` per session, as a course script would run
it) when `pandoc` is on PATH.
"""

from __future__ import annotations

import contextlib
import io
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from deckbuild.cli import DEFAULT_JOBS
from deckbuild.course import discover
from deckbuild.runner import build_course
from deckbuild.theme import find_theme_dir

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_COURSES = [ROOT / "slides", ROOT.parent / "shared" / "corpus"]


def timed_build(course: Path, out: Path, **options) -> tuple[float, int]:
    """Seconds for one build and the number of tasks it ran (progress output swallowed)."""
    with contextlib.redirect_stderr(io.StringIO()):
        result = build_course(course, out, **options)
    if result.status:
        raise SystemExit(f"build of {course} failed")
    return result.seconds, len(result.record.ran)


def edit(path: Path) -> None:
    """Change a file's content (an appended newline, or a zero byte for binary files)."""
    path.write_bytes(path.read_bytes() + (b"\n" if path.suffix in (".md", ".svg", ".toml") else b"\0"))


def local_theme(course: Path) -> Path:
    """Give the copied course its own copy of its theme, so the benchmark may edit it."""
    name = discover(course).theme
    target = course / "themes" / name
    if not target.is_dir():
        shutil.copytree(find_theme_dir(name, course), target)
    return target / "theme.toml"


def pandoc_seconds(course: Path, folder: Path) -> float | None:
    if not shutil.which("pandoc"):
        return None
    start = time.perf_counter()
    for session in discover(course).sessions:
        subprocess.run(["pandoc", str(session.path), "-o", str(folder / f"{session.path.stem}.pptx"),
                        "--resource-path", str(session.path.parent)], check=False, capture_output=True)
    return time.perf_counter() - start


def report(name: str, seconds: float, tasks: int, reference: float) -> None:
    print(f"  {name:<28} {seconds:7.2f} s  {tasks:3d} tasks  {seconds / reference:6.1%} of a full build")


def bench(source: Path, folder: Path) -> None:
    course = folder / "course"
    shutil.copytree(source, course)
    theme_file = local_theme(course)
    sessions = discover(course).sessions
    jobs = DEFAULT_JOBS
    print(f"{source}: {len(sessions)} sessions, -n {jobs} (deckbuild's default) unless said otherwise")
    full, tasks = timed_build(course, folder / "out", jobs=jobs)
    report("full build", full, tasks, full)
    report("no-op build", *timed_build(course, folder / "out", jobs=jobs), full)
    edit(sessions[len(sessions) // 2].path)
    report("one session edited", *timed_build(course, folder / "out", jobs=jobs), full)
    images = sorted(p for p in course.rglob("*") if p.suffix.lower() in (".svg", ".png"))
    if images:
        edit(images[0])
        report(f"image edited ({images[0].name})", *timed_build(course, folder / "out", jobs=jobs), full)
    edit(theme_file)
    report("theme edited", *timed_build(course, folder / "out", jobs=jobs), full)
    one_job, tasks = timed_build(course, folder / "out-n1", jobs=1)
    print(f"  {'full build, -n 1':<28} {one_job:7.2f} s  {tasks:3d} tasks  -n {jobs} is {one_job / full:.2f}× faster")
    decks, tasks = timed_build(course, folder / "out-decks", jobs=jobs, only=("decks",))
    decks_one, _ = timed_build(course, folder / "out-decks-n1", only=("decks",))
    pandoc_folder = folder / "pandoc"
    pandoc_folder.mkdir()
    pandoc = pandoc_seconds(course, pandoc_folder)
    if pandoc is None:
        print(f"  {'decks only':<28} {decks:7.2f} s  {tasks:3d} tasks  (-n 1: {decks_one:.2f} s; pandoc not installed)")
    else:
        print(f"  {'decks only':<28} {decks:7.2f} s  {tasks:3d} tasks  pandoc, one session after another: {pandoc:.2f} s")
        print(f"  {'':<28} deckbuild takes {decks / pandoc:.2f}× Pandoc's time (-n 1: {decks_one / pandoc:.2f}×)")


def main() -> None:
    courses = [Path(arg) for arg in sys.argv[1:]] or [c for c in DEFAULT_COURSES if c.is_dir()]
    for course in courses:
        with tempfile.TemporaryDirectory() as folder:
            bench(course, Path(folder))


if __name__ == "__main__":
    main()
