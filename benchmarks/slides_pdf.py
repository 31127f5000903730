"""Time per deck for its slide PDF: deckbuild (planned and drawn by WeasyPrint, in a warm process, as a
build's worker makes it) against LibreOffice converting the built .pptx (`soffice --headless
--convert-to pdf`, one run per deck with a warm profile, as a person or a script would), side by side.

    .venv/bin/python benchmarks/slides_pdf.py [COURSE ...]   (default: slides/ and ../shared/corpus)

Each course's decks are built first (not timed). Both times are the median of ROUNDS runs.
"""

from __future__ import annotations

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


def median_seconds(action) -> float:
    times = []
    for _ in range(ROUNDS):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def libreoffice(deck: Path, out: Path, profile: Path) -> None:
    subprocess.run(["soffice", f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf",
                    "--outdir", str(out), str(deck)], check=True, capture_output=True, timeout=600)


def bench_course(course: Path, scratch: Path) -> tuple[float, float]:
    """Print a line per deck; return the course's totals (deckbuild, LibreOffice)."""
    build = scratch / course.name
    build_course(course, build, only=("decks",))
    scenes = build / ".deckbuild" / "scenes"
    profile = scratch / "profile"
    libreoffice(next((build / "decks").rglob("*.pptx")), scratch / "warm-up", profile)  # LibreOffice's first start
    sessions = discover(course).sessions
    build_slides_pdf(str(course), str(sessions[0].path), str(scratch / "warm-up.pdf"), str(scenes))  # imports, font caches
    ours_total = theirs_total = 0.0
    print(f"{course}: {len(sessions)} decks")
    print(f"  {'deck':40} {'slides':>6} {'deckbuild':>10} {'LibreOffice':>12} {'ratio':>6}")
    for session in sessions:
        deck = deck_target(build, session.relative)
        target = slides_target(scratch / "ours", session.relative)
        ours = median_seconds(lambda: build_slides_pdf(str(course), str(session.path), str(target), str(scenes)))
        theirs = median_seconds(lambda: libreoffice(deck, scratch / "theirs", profile))
        pages = int(subprocess.run(["pdfinfo", str(target)], capture_output=True, text=True).stdout.split("Pages:")[1].split()[0])
        ours_total, theirs_total = ours_total + ours, theirs_total + theirs
        print(f"  {session.relative.as_posix():40} {pages:6} {ours:9.2f}s {theirs:11.2f}s {ours / theirs:6.2f}")
    print(f"  {'total':40} {'':6} {ours_total:9.2f}s {theirs_total:11.2f}s {ours_total / theirs_total:6.2f}")
    return ours_total, theirs_total


def main() -> None:
    courses = [Path(arg) for arg in sys.argv[1:]] or [p for p in (ROOT / "slides", ROOT.parent / "shared" / "corpus") if p.is_dir()]
    with tempfile.TemporaryDirectory() as scratch:
        for course in courses:
            bench_course(course, Path(scratch))


if __name__ == "__main__":
    main()
