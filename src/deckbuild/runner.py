"""Running the build graph for a course: doit with our reporter, and what came of it."""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

from doit.cmd_base import ModuleTaskLoader
from doit.doit_cmd import DoitMain

from .diagnostics import Diagnostic
from .memory import long_lived_frozen
from .reporter import BuildRecord, progress_reporter
from .tasks import Graph, make_namespace


@dataclass
class BuildResult:
    """What one `deckbuild build` did: doit's exit status, the tasks it ran, the problems found."""

    status: int
    record: BuildRecord
    diagnostics: list[Diagnostic]
    seconds: float


def run_doit(
    course: Path, out: Path, arguments: list[str], shard: tuple[int, int] | None = None, dist: Path | None = None,
    fetch_remote: bool = False, jobs: int = 1,
) -> BuildResult:
    """Run doit with arguments over course's graph; jobs processes scan the files no earlier build
    scanned. A course without sessions or Marp decks has nothing to build: doit is not run, so
    nothing is written (its warning says why)."""
    started = time.perf_counter()
    namespace, graph = make_namespace(course, out, shard, dist, fetch_remote, jobs)
    if not graph.course.sessions and not graph.marp_decks:
        return BuildResult(0, BuildRecord(), graph.diagnostics, time.perf_counter() - started)
    return _run(namespace, graph, arguments, started)


def _run(namespace: dict, graph: Graph, arguments: list[str], started: float) -> BuildResult:
    """doit over namespace's tasks with our reporter, and what came of it."""
    record = BuildRecord()
    namespace["DOIT_CONFIG"]["reporter"] = progress_reporter(record)
    with long_lived_frozen():
        status = DoitMain(ModuleTaskLoader(namespace)).run(arguments)
    return BuildResult(status, record, graph.diagnostics + graph.reported(), time.perf_counter() - started)


def export_course_markdown(course: Path, out: Path, jobs: int = 1, image_format: str = "svg", base_url: str = "") -> BuildResult:
    """Export every markdown file of course into out for an LMS, Mermaid blocks as pictures in
    image_format (svg or png), image links below base_url when one is given; only what changed."""
    from .lms_tasks import LMS_TASKS, lms_namespace

    started = time.perf_counter()
    namespace, graph = lms_namespace(course, out, image_format, base_url)
    return _run(namespace, graph, _run_arguments(jobs) + list(LMS_TASKS), started)


def _run_arguments(jobs: int) -> list[str]:
    """doit's arguments for a run that goes on past a failed task, with jobs processes."""
    return ["run", "--continue", *(["-n", str(jobs), "-P", "process"] if jobs > 1 else [])]


OUTPUT_KINDS = {"decks": "deck", "slides": "slides", "notes": "notes", "handouts": "handout", "assignments": "assignment"}
# The order doit hands tasks out in: handouts first, as their parts are the longest tasks and
# the day's assembly waits for all of them; decks fill the processors meanwhile.
RUN_ORDER = ("handout", "deck", "slides", "notes", "assignment")


def build_course(
    course: Path, out: Path, jobs: int = 1, only: tuple[str, ...] = (), shard: tuple[int, int] | None = None,
    dist: Path | None = None, fetch_remote: bool = False,
) -> BuildResult:
    """Run the build graph for course into out; only names output kinds (decks, slides, notes, handouts,
    assignments).
    With dist, everything is built and then bundled for a release into dist. With fetch_remote,
    remote pictures are downloaded (once) instead of shown as placeholders."""
    arguments = _run_arguments(jobs)
    wanted = {OUTPUT_KINDS[kind] for kind in only} if only and dist is None else set(RUN_ORDER)
    selected = [name for name in RUN_ORDER if name in wanted] + (["release"] if dist is not None else [])
    return run_doit(course, out, arguments + selected, shard, dist, fetch_remote, jobs)


