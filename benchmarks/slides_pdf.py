"""Time per deck for its slide PDF: deckbuild (planned and drawn, in a warm process, as a build's worker
makes it) against LibreOffice converting the built .pptx (`soffice --headless
--convert-to pdf`, one run per deck with a warm profile, as a person or a script would), side by side.

    .venv/bin/python benchmarks/slides_pdf.py [COURSE ...]   (default: slides/ and ../shared/corpus)

Each course's decks are built first (not timed). Both are the median of ROUNDS runs, taken in turn
(so both see the same load on a shared machine): wall-clock time, and processor time (this process's
for deckbuild, the soffice process's for LibreOffice).
"""

from __future__ import annotations

import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from deckbuild.course import discover
from deckbuild.runner import build_course
from deckbuild.slides_pdf import build_slides_pdf
from deckbuild.tasks import deck_target, slides_target

ROOT = Path(__file__).resolve().parents[1]
ROUNDS = 3


def processor_seconds() -> float:
    """Processor time (user and system) of this process and of the child processes it waited for."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def timed(action) -> tuple[float, float]:
    """(wall-clock, processor) seconds of one run of action."""
    wall, processor = time.perf_counter(), processor_seconds()
    action()
    return time.perf_counter() - wall, processor_seconds() - processor


def median(times: list[tuple[float, float]]) -> tuple[float, float]:
    return statistics.median(t[0] for t in times), statistics.median(t[1] for t in times)


def libreoffice(deck: Path, out: Path, profile: Path) -> None:
    subprocess.run(["soffice", f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf",
                    "--outdir", str(out), str(deck)], check=True, capture_output=True, timeout=600)


def bench_course(course: Path, scratch: Path) -> None:
    """Print a line per deck and the course's totals."""
    build = scratch / course.name
    build_course(course, build, only=("decks",))
    scenes = build / ".deckbuild" / "scenes"
    profile = scratch / "profile"
    libreoffice(next((build / "decks").rglob("*.pptx")), scratch / "warm-up", profile)  # LibreOffice's first start
    sessions = discover(course).sessions
    build_slides_pdf(str(course), str(scratch / "warm-up.pdf"), session_path=str(sessions[0].path), scene_dir=str(scenes))  # imports, font caches
    totals = [0.0, 0.0, 0.0, 0.0]
    print(f"{course}: {len(sessions)} decks; seconds as wall-clock (processor)")
    print(f"  {'deck':36} {'slides':>6} {'deckbuild':>14} {'LibreOffice':>14} {'ratio':>13}")
    for session in sessions:
        deck = deck_target(build, session.relative)
        target = slides_target(scratch / "ours", session.relative)
        ours_runs, their_runs = [], []
        for _ in range(ROUNDS):
            ours_runs.append(timed(lambda: build_slides_pdf(str(course), str(target), session_path=str(session.path), scene_dir=str(scenes))))
            their_runs.append(timed(lambda: libreoffice(deck, scratch / "theirs", profile)))
        ours, theirs = median(ours_runs), median(their_runs)
        totals = [a + b for a, b in zip(totals, (*ours, *theirs))]
        pages = int(subprocess.run(["pdfinfo", str(target)], capture_output=True, text=True).stdout.split("Pages:")[1].split()[0])
        print(f"  {session.relative.as_posix():36} {pages:6} {ours[0]:6.2f} ({ours[1]:5.2f}) {theirs[0]:6.2f} ({theirs[1]:5.2f})"
              f" {ours[0] / theirs[0]:6.2f} ({ours[1] / theirs[1]:4.2f})")
    print(f"  {'total':36} {'':6} {totals[0]:6.2f} ({totals[1]:5.2f}) {totals[2]:6.2f} ({totals[3]:5.2f})"
          f" {totals[0] / totals[2]:6.2f} ({totals[1] / totals[3]:4.2f})")


def main() -> None:
    courses = [Path(arg) for arg in sys.argv[1:]] or [p for p in (ROOT / "slides", ROOT.parent / "shared" / "corpus") if p.is_dir()]
    with tempfile.TemporaryDirectory() as scratch:
        for course in courses:
            bench_course(course, Path(scratch))


if __name__ == "__main__":
    main()
