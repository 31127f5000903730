"""`deckbuild watch`: build, then rebuild whenever a file in the course changes.

Each rebuild goes through the same doit graph as `deckbuild build`, so only the
outputs that depend on the changed files are made again; what was rebuilt is
printed after every round.
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable

from watchfiles import DefaultFilter, watch

from .runner import BuildResult, build_course

DEBOUNCE_MS = 300


class CourseFilter(DefaultFilter):
    """Editor droppings and the build's own output folder never trigger a rebuild."""

    def __init__(self, out: Path) -> None:
        super().__init__(ignore_paths=(str(out.resolve()),))


def watch_course(
    course: Path,
    out: Path,
    on_build: Callable[[BuildResult, set[str]], None],
    jobs: int = 1,
    only: tuple[str, ...] = (),
    stop_event=None,
    fetch_remote: bool = False,
) -> None:
    """Build course into out, then again after every change, until stop_event is set (or Ctrl-C).

    on_build gets each round's result and the changed paths (empty for the first build)."""
    on_build(build_course(course, out, jobs, only, fetch_remote=fetch_remote), set())
    # The real folder is watched (a symlinked course is followed), so the paths reported compare
    # with the real output folder, which is ignored even when it lies inside the course.
    for changes in watch(course.resolve(), watch_filter=CourseFilter(out), debounce=DEBOUNCE_MS,
                         stop_event=stop_event, raise_interrupt=False):
        on_build(build_course(course, out, jobs, only, fetch_remote=fetch_remote), {path for _, path in changes})
