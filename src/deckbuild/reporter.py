"""A doit reporter that also records what ran, so the CLI can summarise and tests can assert."""

from __future__ import annotations

from dataclasses import dataclass, field

from doit.reporter import ConsoleReporter


@dataclass
class BuildRecord:
    """Names of the tasks a doit run executed, skipped as up to date, or saw fail."""

    ran: list[str] = field(default_factory=list)
    up_to_date: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)


def recording_reporter(record: BuildRecord) -> type:
    """A ConsoleReporter class that fills record; doit instantiates it itself."""

    class RecordingReporter(ConsoleReporter):
        def execute_task(self, task):
            if task.actions and not task.name.startswith("_"):
                record.ran.append(task.name)
            super().execute_task(task)

        def skip_uptodate(self, task):
            if not task.name.startswith("_"):
                record.up_to_date.append(task.name)

        def add_failure(self, task, fail):
            record.failed.append(task.name)
            super().add_failure(task, fail)

    return RecordingReporter
