"""Time for one day's handout and its assignment sheet, per document and per page.

    .venv/bin/python benchmarks/handouts.py [COURSE ...]
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

from pypdf import PdfReader

from deckbuild.assignment import build_assignment
from deckbuild.course import has_assignment
from deckbuild.course import discover
from deckbuild.handout import build_handout

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_COURSES = [ROOT / "slides", ROOT.parent / "shared" / "corpus"]


def timed(action, *arguments) -> float:
    start = time.perf_counter()
    action(*arguments)
    return time.perf_counter() - start


def main() -> None:
    courses = [Path(arg) for arg in sys.argv[1:]] or [c for c in DEFAULT_COURSES if c.is_dir()]
    with tempfile.TemporaryDirectory() as folder:
        for course_root in courses:
            for day in discover(course_root).days:
                target = Path(folder) / "handout.pdf"
                seconds = timed(build_handout, str(course_root), str(day.path), str(target))
                pages = len(PdfReader(target).pages)
                lines = sum(len(s.path.read_text(encoding="utf-8").splitlines()) for s in day.sessions)
                print(f"{day.path}: handout {seconds:.1f} s for {pages} pages ({seconds / pages * 1000:.0f} ms per page, "
                      f"{len(day.sessions)} sessions, {lines} lines)")
                if has_assignment(day):
                    sheet = Path(folder) / "assignment.pdf"
                    print(f"{day.path}: assignment sheet {timed(build_assignment, str(course_root), str(day.path), str(sheet)):.1f} s")


if __name__ == "__main__":
    main()
