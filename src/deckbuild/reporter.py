"""What a build shows while it runs, and what it remembers for the summary and tests.

On a terminal the build draws one progress line — a bar, the count and the
tasks running now — redrawn in place; anywhere else (CI logs, pipes) it prints
a plain line per finished task. Either way BuildRecord lists the task names
that ran, were up to date, or failed.
"""

from __future__ import annotations

import os
import shutil
import sys
import time
from dataclasses import dataclass, field

from doit.exceptions import TaskFailed
from doit.reporter import ConsoleReporter

BAR_WIDTH = 24


@dataclass
class BuildRecord:
    """Names of the tasks a doit run executed, skipped as up to date, or saw fail."""

    ran: list[str] = field(default_factory=list)
    up_to_date: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)


def interactive(stream) -> bool:
    """True when progress may be redrawn in place: a terminal, and not a CI job."""
    return stream.isatty() and not os.environ.get("CI")


class Progress:
    """Counts finished tasks against the total and shows them on stream."""

    def __init__(self, stream, live: bool) -> None:
        self.stream = stream
        self.live = live
        self.total = 0
        self.done = 0
        self.running: dict[str, float] = {}

    def start(self, name: str) -> None:
        self.running[name] = time.perf_counter()
        self._draw()

    def finish(self, name: str, outcome: str) -> None:
        started = self.running.pop(name, None)
        self.done += 1
        if not self.live and started is not None:
            seconds = time.perf_counter() - started
            print(f"[{self.done}/{self.total}] {outcome} {name} ({seconds:.1f} s)", file=self.stream, flush=True)
        self._draw()

    def skip(self) -> None:
        self.done += 1

    def say(self, line: str) -> None:
        """Print one line above the progress bar (which is redrawn below it)."""
        if self.live:
            self.stream.write("\r\x1b[2K")
        print(line, file=self.stream, flush=True)
        self._draw()

    def close(self) -> None:
        if self.live:
            self.stream.write("\r\x1b[2K")
            self.stream.flush()

    def _draw(self) -> None:
        if not self.live or not self.total:
            return
        filled = round(BAR_WIDTH * self.done / self.total)
        bar = "█" * filled + "░" * (BAR_WIDTH - filled)
        line = f"{bar} {self.done}/{self.total} {', '.join(self.running)}"
        width = shutil.get_terminal_size((80, 20)).columns - 1
        self.stream.write("\r\x1b[2K" + line[:width])
        self.stream.flush()


def _tasks_to_consider(tasks: dict, selected: list[str]) -> int:
    """How many real tasks (with actions, not hidden) the selection reaches through task_dep."""
    seen: set[str] = set()
    stack = list(selected)
    while stack:
        name = stack.pop()
        if name in seen or name not in tasks:
            continue
        seen.add(name)
        stack.extend(tasks[name].task_dep)
    return sum(1 for name in seen if tasks[name].actions and not name.startswith("_"))


def progress_reporter(record: BuildRecord, stream=None) -> type:
    """A doit reporter class that fills record and shows progress on stream (stderr by default);
    doit instantiates it itself."""
    stream = stream or sys.stderr

    class ProgressReporter(ConsoleReporter):
        def __init__(self, outstream, options) -> None:
            super().__init__(outstream, options)
            self.progress = Progress(stream, interactive(stream))

        def initialize(self, tasks, selected_tasks):
            self.progress.total = _tasks_to_consider(tasks, selected_tasks)

        def execute_task(self, task):
            if task.actions and not task.name.startswith("_"):
                record.ran.append(task.name)
                self.progress.start(task.name)

        def add_success(self, task):
            if task.actions and not task.name.startswith("_"):
                self.progress.finish(task.name, "built")

        def skip_uptodate(self, task):
            if not task.name.startswith("_"):
                record.up_to_date.append(task.name)
                if task.actions:
                    self.progress.skip()

        def add_failure(self, task, fail):
            """A task that failed cleanly (TaskFailed: a file it could not read or write) gets one
            line; one that could not run because another failed gets one line too; a group of
            tasks none. Anything else is a bug, shown with its traceback."""
            if not task.actions:
                return
            record.failed.append(task.name)
            self.progress.finish(task.name, "FAILED")
            if isinstance(fail, TaskFailed):
                self.progress.say(f"deckbuild: {task.name} failed: {fail.message}")
            elif fail.get_name() == "UnmetDependency":
                self.progress.say(f"deckbuild: {task.name} not built: a task it needs failed")
            else:
                super().add_failure(task, fail)

        def complete_run(self):
            self.progress.close()
            super().complete_run()

    return ProgressReporter
