"""Whole builds, measured side by side in one run and printed as ratios.

    .venv/bin/python benchmarks/builds.py [COURSE ...] [--copies N] [--decks] [--rounds N] [--src SRC ...]

For each course (default: the sample course, ../shared/corpus, the corpus
copied into nine weeks, 72 sessions, and those 72 sessions each made its own), on a fresh copy: a full build with its
peak memory (the whole process tree, shared pages counted once), a no-op build, a one-session text edit,
an image edit and a theme edit (each as a share of the full build), a full
build with one job against two, and the decks alone at one and two jobs
against Pandoc's pptx writer on the same sessions, one and two at a time, when
`pandoc` is installed. Every build is a `deckbuild build` process, as a user
runs it. Each full build starts with an empty user cache except what a first
build of the sample course's decks leaves on a machine (facts read from the font files, and the
theme's faces converted for embedding with that course's code-font subsets and
compressed, but not the glyphs converted for them), so it is a first build of the course: its
pictures are rasterised, and code-font subsets for other courses' code are cut
and converted, as part of it.

Copies of one course share more than a real course's sessions do: a picture
and a code font subset are made once for all nine copies. "Each made its own"
adds to every copied session a closing section with Hangul and a code line of
its own, and to every copied picture a comment, so each copy's pictures are
rasterised and its code-font subset cut, as a real course of 72 sessions needs. Decks embed their
fonts (the theme's `[fonts] embed`). Beside each time against Pandoc stands
the CPU time of the whole process tree, steadier than wall time when other
jobs share the machine.

--decks measures the decks alone (at one and two jobs, against Pandoc): a few
minutes instead of half an hour. The decks at one and two jobs are built --rounds
times (default 3), one job and two in turn, and each time shown is the median of
its rounds (the fastest and slowest beside it): one pair of builds on a shared
machine can move the ratio between them by a tenth.

--src SRC measures the deckbuild whose package is SRC/deckbuild, a checkout's src (give it twice to
compare two versions, e.g. a checkout of the previous release, measurement by
measurement, so both see the same machine load). The machine is noisy: read
ratios from one run, and repeat.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus"
EDIT = "\n\n편집: 수업 직전에 고친 문장 하나입니다.\n"
# User caches a first build of any course fills ("font-metrics": where versions before the font facts kept
# advance widths, so that --src can measure them on the same terms).
MACHINE_CACHES = ("font-facts", "font-metrics", "embedded-fonts", "deflated")
FIRST_BUILD_CACHES = ("glyphs",)  # inside those, what each course's first build makes for itself


def machine() -> str:
    """Processors and model, for the README's figures."""
    model = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                  if line.startswith("model name")), platform.processor()) if Path("/proc/cpuinfo").exists() else platform.processor()
    return f"{len(os.sched_getaffinity(0))} processors ({model}), Python {platform.python_version()}"


def tree_memory(pid: int) -> int:
    """Memory in bytes of a process and all its descendants (Linux /proc): proportional set sizes, so
    the pages forked workers share with the main process count once."""
    total, pending = 0, [pid]
    while pending:
        current = pending.pop()
        try:
            rollup = Path(f"/proc/{current}/smaps_rollup").read_text()
            total += int(next(line.split()[1] for line in rollup.splitlines() if line.startswith("Pss:"))) * 1024
            for task in Path(f"/proc/{current}/task").iterdir():
                pending.extend(int(child) for child in (task / "children").read_text().split())
        except (OSError, StopIteration, ValueError):
            continue
    return total


def children_cpu() -> float:
    """User and system CPU seconds of every finished process this one started, and theirs."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


class Tool:
    """One deckbuild to measure: its source folder, a user cache holding what a first build on the
    machine leaves, and the CPU seconds of the last command it ran."""

    def __init__(self, src: Path, scratch: Path) -> None:
        self.src = src
        self.machine_cache = scratch / "machine-cache"
        self.cache = scratch / "cache"
        self.cpu = 0.0
        self.label = "this checkout" if src == ROOT / "src" else str(src.parent.name)
        # byte-compiled as pip installs a package (where PYTHONDONTWRITEBYTECODE is set, nothing else would)
        subprocess.run([sys.executable, "-m", "compileall", "-q", str(src)], check=True, stdout=subprocess.DEVNULL)
        self.run(["build", str(ROOT / "slides"), "-o", str(scratch / "warm-up"), "--only", "decks"])  # measures the fonts
        self.machine_cache.mkdir()
        for kept in MACHINE_CACHES:
            if (self.cache / "deckbuild" / kept).is_dir():  # older versions embed no fonts
                shutil.copytree(self.cache / "deckbuild" / kept, self.machine_cache / kept,
                                ignore=shutil.ignore_patterns(*FIRST_BUILD_CACHES))

    def environment(self) -> dict:
        return {**os.environ, "PYTHONPATH": str(self.src), "XDG_CACHE_HOME": str(self.cache)}

    def fresh_cache(self) -> None:
        """A first build's user cache: what a first build on the machine left (MACHINE_CACHES) only."""
        shutil.rmtree(self.cache, ignore_errors=True)
        shutil.copytree(self.machine_cache, self.cache / "deckbuild")

    def run(self, arguments: list[str], memory: bool = True) -> tuple[float, int, int]:
        """Seconds, tasks run and peak memory (bytes; 0 unless memory) of one `deckbuild` command.
        Sampling the memory reads every process's page tables 20 times a second, which slows the
        build a little, so timings set against Pandoc's (never sampled) are taken without it."""
        started, cpu = time.perf_counter(), children_cpu()
        process = subprocess.Popen([sys.executable, "-m", "deckbuild.cli", *arguments], env=self.environment(),
                                   stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        peak, done = 0, threading.Event()

        def sample() -> None:
            nonlocal peak
            while not done.wait(0.05):
                peak = max(peak, tree_memory(process.pid))

        sampler = threading.Thread(target=sample)
        if memory:
            sampler.start()
        _, errors = process.communicate()
        done.set()
        if memory:
            sampler.join()
        seconds = time.perf_counter() - started
        if process.returncode:
            raise SystemExit(f"deckbuild {' '.join(arguments)} failed:\n{errors[-2000:]}")
        summary = [line for line in errors.splitlines() if line.startswith("deckbuild: ")][-1:]
        ran = int(summary[0].split()[1]) if summary else 0
        self.cpu = children_cpu() - cpu  # of the whole process tree
        return seconds, ran, peak


def build(tool: Tool, course: Path, out: Path, jobs: int, only: str = "", fresh: bool = False) -> tuple[float, int, int]:
    """One build; the decks alone (set against Pandoc) without sampling the memory."""
    if fresh:
        tool.fresh_cache()
    return tool.run(["build", str(course), "-o", str(out), "-n", str(jobs), *(["--only", only] if only else [])],
                    memory=only != "decks")


def pandoc_seconds(course: Path, folder: Path, jobs: int) -> tuple[float, float] | None:
    """Seconds and CPU seconds of Pandoc's pptx writer over every session, jobs at a time (as a course
    script would run it)."""
    if not shutil.which("pandoc"):
        return None
    sessions = sorted(course.rglob("session*.md"))
    folder.mkdir(parents=True, exist_ok=True)

    def convert(index_session) -> None:
        index, session = index_session
        subprocess.run(["pandoc", str(session), "-o", str(folder / f"{index}.pptx"), "--resource-path", str(session.parent)],
                       check=False, capture_output=True)

    started, cpu = time.perf_counter(), children_cpu()
    with ThreadPoolExecutor(jobs) as pool:
        list(pool.map(convert, enumerate(sessions)))
    return time.perf_counter() - started, children_cpu() - cpu


def course_copy(sources: list[Path], copies: int, target: Path, own: bool = False) -> Path:
    """A course made of the sources' weeks, each repeated copies times as weeks of its own; own makes
    every copied week differ from the others (made_own)."""
    target.mkdir(parents=True)
    week = 0
    for _ in range(copies):
        for source in sources:
            for folder in sorted(p for p in source.iterdir() if p.is_dir() and p.name.startswith("week")):
                week += 1
                shutil.copytree(folder, target / f"week_{week:02d}")
                if own:
                    made_own(target / f"week_{week:02d}", week)
    for extra in ("course.toml",):
        if (sources[0] / extra).is_file():
            shutil.copy(sources[0] / extra, target / extra)
    return target


def made_own(week: Path, number: int) -> None:
    """Make a copied week differ from the other copies as a real course's weeks do: each picture by a
    comment, each session by a closing section whose Hangul and code line no other copy shows."""
    chosen = random.Random(number)
    for picture in sorted(week.rglob("*.svg")):
        picture.write_bytes(picture.read_bytes() + f"\n<!-- week {number} -->\n".encode())
    for session in sorted(week.rglob("session*.md")):
        words = "".join(chr(0xAC00 + chosen.randrange(11172)) for _ in range(40))
        closing = f"\n\n## 복습 {number}\n\n{words}\n\n```python\nprint('{words[:12]}')\n```\n"
        session.write_text(session.read_text(encoding="utf-8") + closing, encoding="utf-8")


def edit(path: Path, text: str | bytes) -> None:
    path.write_bytes(path.read_bytes() + (text.encode() if isinstance(text, str) else text))


def row(name: str, values: list[str]) -> None:
    print(f"  {name:<30}" + "".join(f"{value:<44}" for value in values))


def bench(name: str, source: Path, tools: list[Tool], folder: Path, only_decks: bool = False, rounds: int = 1) -> None:
    sessions = sorted(source.rglob("session*.md"))
    print(f"\n{name}: {len(sessions)} sessions in {len({s.parent for s in sessions})} days; builds at -n 2 unless said")
    row("", [tool.label for tool in tools])
    courses = {}
    for index, tool in enumerate(tools):
        course = folder / f"course-{index}"
        shutil.copytree(source, course)
        theme = course / "themes" / "default"
        shutil.copytree(ROOT / "themes" / "default", theme)
        if not (course / "course.toml").is_file():
            (course / "course.toml").write_text('title = "Benchmark"\n', encoding="utf-8")
        courses[tool] = course
    cells: dict[str, list[str]] = {}
    full: dict[Tool, float] = {}

    def measure(label: str, action) -> None:
        cells[label] = [action(tool) for tool in tools]

    def full_build(tool: Tool) -> str:
        seconds, ran, peak = build(tool, courses[tool], folder / f"out-{tool.label}", 2, fresh=True)
        full[tool] = seconds
        return f"{seconds:6.2f} s {ran:4d} tasks  peak {peak / 2**20:5.0f} MB"

    def share(change) -> callable:
        def action(tool: Tool) -> str:
            change(courses[tool])
            seconds, ran, _ = build(tool, courses[tool], folder / f"out-{tool.label}", 2)
            return f"{seconds:6.2f} s {ran:4d} tasks  {seconds / full[tool]:6.1%} of full"
        return action

    if not only_decks:
        measure("full build", full_build)
        measure("no-op build", share(lambda course: None))
        middle = len(sessions) // 2
        measure("one session edited", share(lambda course: edit(sorted(course.rglob("session*.md"))[middle], EDIT)))
        images = sorted(p for p in source.rglob("*") if p.suffix.lower() in (".svg", ".png"))
        if images:
            relative = images[0].relative_to(source)
            measure(f"image edited ({images[0].name})", share(lambda course: edit(course / relative, b"\n" if relative.suffix == ".svg" else b"\0")))
        measure("theme edited", share(lambda course: edit(course / "themes" / "default" / "theme.toml", "\n# edited\n")))

        def full_one_job(tool: Tool) -> str:
            seconds, ran, _ = build(tool, courses[tool], folder / f"out1-{tool.label}", 1, fresh=True)
            return f"{seconds:6.2f} s {ran:4d} tasks  -n 2 is {seconds / full[tool]:.2f}× faster"

        measure("full build, -n 1", full_one_job)
    decks: dict[Tool, tuple[float, float, float]] = {}

    def decks_only(tool: Tool) -> str:
        ones, twos, cpus = [], [], []
        for _ in range(rounds):
            for jobs, times in ((1, ones), (2, twos)):
                output = folder / f"decks{jobs}-{tool.label}"
                shutil.rmtree(output, ignore_errors=True)
                seconds, ran, _ = build(tool, courses[tool], output, jobs, "decks", fresh=True)
                times.append(seconds)
            cpus.append(tool.cpu)
        one, two = statistics.median(ones), statistics.median(twos)
        decks[tool] = one, two, statistics.median(cpus)
        spread = f" ({min(twos):.2f}–{max(twos):.2f}; -n 1 {min(ones):.2f}–{max(ones):.2f})" if rounds > 1 else ""
        return f"{two:6.2f} s {ran:4d} tasks  -n 1 {one:.2f} s: {one / two:.2f}×{spread}"

    pandoc_before = pandoc_seconds(source, folder / "pandoc2", 2)
    measure("decks only", decks_only)
    if pandoc_before is None:
        cells["against Pandoc"] = ["pandoc not installed"] * len(tools)
    else:  # Pandoc before and after the decks, so both see the same load on average
        pandoc_after = pandoc_seconds(source, folder / "pandoc2", 2)
        two, two_cpu = ((before + after) / 2 for before, after in zip(pandoc_before, pandoc_after))
        one, _ = pandoc_seconds(source, folder / "pandoc1", 1)
        cells[f"Pandoc: {two:.2f} s two at a time"] = [
            f"decks take {decks[tool][1] / two:.2f}× its time, {decks[tool][2] / two_cpu:.2f}× its CPU" for tool in tools]
        cells[f"Pandoc: {one:.2f} s one at a time"] = [
            f"decks -n 1 take {decks[tool][0] / one:.2f}× its time" for tool in tools]
    for label, values in cells.items():
        row(label, values)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("courses", nargs="*", type=Path)
    parser.add_argument("--copies", type=int, default=9, help="copies of the corpus for the large course (0: none)")
    parser.add_argument("--src", type=Path, action="append", help="deckbuild source folder(s) to measure (default: this checkout)")
    parser.add_argument("--decks", action="store_true", help="only the decks: -n 1 and -n 2 against Pandoc")
    parser.add_argument("--rounds", type=int, default=3, help="builds of the decks at -n 1 and -n 2 (their median is shown)")
    args = parser.parse_args()
    print(f"machine: {machine()}; pandoc: {shutil.which('pandoc') or 'not installed'}")
    with tempfile.TemporaryDirectory() as scratch_name:
        scratch = Path(scratch_name)
        sources = [src.resolve() for src in args.src or [ROOT / "src"]]
        for src in sources:
            if not (src / "deckbuild" / "cli.py").is_file():  # else the installed deckbuild would be measured instead
                raise SystemExit(f"--src {src}: no deckbuild package in it (give a checkout's src folder)")
        tools = [Tool(src, scratch / f"tool-{index}") for index, src in enumerate(sources)]
        courses = [(str(course), course) for course in args.courses] or [
            ("sample course (slides/)", ROOT / "slides"), *([("../shared/corpus", CORPUS)] if CORPUS.is_dir() else [])]
        if not args.courses and CORPUS.is_dir() and args.copies:
            courses.append((f"corpus ×{args.copies}", course_copy([CORPUS], args.copies, scratch / "large")))
            courses.append((f"corpus ×{args.copies}, each copy its own",
                            course_copy([CORPUS], args.copies, scratch / "large-own", own=True)))
        for index, (name, course) in enumerate(courses):
            bench(name, course, tools, scratch / f"bench-{index}", args.decks, args.rounds)


if __name__ == "__main__":
    main()
