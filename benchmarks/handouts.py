"""Time for one day's handout (each session's part, then the assembly) and its assignment sheet.

    .venv/bin/python benchmarks/handouts.py [COURSE ...]
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

from pypdf import PdfReader

from deckbuild.assignment import build_assignment
from deckbuild.course import discover, has_assignment
from deckbuild.handout import build_handout, build_handout_part

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
                parts, seconds = [], 0.0
                for session in day.sessions:
                    parts.append(Path(folder) / f"{session.path.stem}.pdf")
                    part = timed(build_handout_part, str(course_root), str(session.path), str(parts[-1]))
                    pages = len(PdfReader(parts[-1]).pages)
                    seconds += part
                    print(f"  {session.relative}: part {part:.1f} s for {pages} pages ({part / pages * 1000:.0f} ms per page)")
                target = Path(folder) / "handout.pdf"
                kept = Path(folder) / "kept" / day.path.name
                assembly = timed(build_handout, str(course_root), str(day.path), "\n".join(map(str, parts)), str(target), str(kept))
                again = timed(build_handout, str(course_root), str(day.path), "\n".join(map(str, parts)), str(target), str(kept))
                pages = len(PdfReader(target).pages)
                print(f"{day.path}: handout of {pages} pages: parts {seconds:.1f} s, assembly {assembly:.1f} s "
                      f"({again:.1f} s with its front kept)")
                if has_assignment(day):
                    sheet = Path(folder) / "assignment.pdf"
                    print(f"{day.path}: assignment sheet {timed(build_assignment, str(course_root), str(day.path), str(sheet)):.1f} s")


if __name__ == "__main__":
    main()
