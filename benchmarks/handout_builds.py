"""Handout builds of deckbuild versions side by side, e.g. tagged handouts against the untagged ones before.

    .venv/bin/python benchmarks/handout_builds.py --src OLD/src --src src [--rounds 5] [-n 2] [COURSE ...]

For each course (default: the sample course and ../shared/corpus), each version
runs `deckbuild build COURSE --only handouts` as a process on a fresh output
folder, then again after a sentence is appended to the middle session (one part
and the assembly). Rounds take the versions in turn, so both see the same
machine load; printed are the medians of wall time and of processor time (the
build and its workers, user + system) and each version's ratio to the first.
Processor time barely moves when other work shares the machine, so its ratio
is the one to quote.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from builds import CORPUS, EDIT, ROOT, edit, machine


def run(src: Path, arguments: list[str], cache: Path) -> tuple[float, float]:
    """Wall and processor seconds of one `deckbuild` process and everything it started."""
    environment = {**os.environ, "PYTHONPATH": str(src), "XDG_CACHE_HOME": str(cache)}
    with tempfile.TemporaryFile() as errors:
        started = time.perf_counter()
        process = subprocess.Popen([sys.executable, "-m", "deckbuild.cli", *arguments], env=environment,
                                   stdout=subprocess.DEVNULL, stderr=errors)
        _, status, usage = os.wait4(process.pid, 0)  # the process's and its reaped workers' processor time
        wall = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        if process.returncode:
            errors.seek(0)
            raise SystemExit(f"deckbuild {' '.join(arguments)} failed:\n{errors.read().decode(errors='replace')[-2000:]}")
    return wall, usage.ru_utime + usage.ru_stime


def bench(name: str, source: Path, sources: list[Path], rounds: int, jobs: int, scratch: Path) -> None:
    middle = len(sorted(source.rglob("session*.md"))) // 2
    cache = scratch / "cache"
    times: dict[str, list[list[tuple[float, float]]]] = {"full": [[] for _ in sources], "edit": [[] for _ in sources]}
    for round_number in range(rounds):
        for index, src in enumerate(sources):
            course, out = scratch / f"course-{index}", scratch / f"out-{index}"
            shutil.rmtree(course, ignore_errors=True)
            shutil.rmtree(out, ignore_errors=True)
            shutil.copytree(source, course)
            arguments = ["build", str(course), "-o", str(out), "-n", str(jobs), "--only", "handouts"]
            times["full"][index].append(run(src, arguments, cache))
            edit(sorted(course.rglob("session*.md"))[middle], EDIT)
            times["edit"][index].append(run(src, arguments, cache))
    print(f"\n{name}: handouts only, -n {jobs}, median of {rounds} rounds")
    for label, measured in times.items():
        walls = [statistics.median(wall for wall, _ in runs) for runs in measured]
        cpus = [statistics.median(cpu for _, cpu in runs) for runs in measured]
        cells = [f"{wall:6.2f} s wall ({wall / walls[0]:.2f}×)  {cpu:6.2f} s CPU ({cpu / cpus[0]:.3f}×)"
                 for wall, cpu in zip(walls, cpus)]
        print(f"  {'full build' if label == 'full' else 'one session edited':<20}" + "".join(f"{cell:<50}" for cell in cells))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("courses", nargs="*", type=Path)
    parser.add_argument("--src", type=Path, action="append", help="deckbuild source folders, first = the baseline")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("-n", "--jobs", type=int, default=2)
    args = parser.parse_args()
    sources = [src.resolve() for src in args.src or [ROOT / "src"]]
    print(f"machine: {machine()}")
    print("versions: " + ", ".join(str(src) for src in sources))
    courses = args.courses or [ROOT / "slides", *([CORPUS] if CORPUS.is_dir() else [])]
    with tempfile.TemporaryDirectory() as scratch:
        for index, course in enumerate(courses):
            bench(str(course), course, sources, args.rounds, args.jobs, Path(scratch) / f"bench-{index}")


if __name__ == "__main__":
    main()
