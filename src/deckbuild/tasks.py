"""The doit graph: one task per session deck, with its real inputs as file dependencies.

`make_namespace` returns what a dodo file holds (task generators and
DOIT_CONFIG), so `dodo.py` and `deckbuild build` run the very same graph.
doit's own state lives inside the output folder, so two courses never share it.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from doit.tools import config_changed

from . import __version__
from .course import COURSE_FILE, Course, discover
from .deck import build_deck
from .diagnostics import Diagnostic, Severity, read_report
from .scan import ScanCache
from .theme import ThemeError, load_theme

PACKAGE_DIR = Path(__file__).resolve().parent
STATE_DIR = ".deckbuild"


def code_fingerprint() -> str:
    """The package version plus a digest of its source, so a changed tool rebuilds everything."""
    digest = hashlib.sha256(__version__.encode())
    for path in sorted(PACKAGE_DIR.rglob("*.py")):
        digest.update(path.relative_to(PACKAGE_DIR).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def deck_target(out_dir: Path, relative: Path) -> Path:
    """Where a session's deck goes: build/decks/<session path>.pptx."""
    return out_dir / "decks" / relative.with_suffix(".pptx")


class Graph:
    """The tasks for one course and output folder, and the diagnostics found while making them."""

    def __init__(self, course_root: Path, out_dir: Path) -> None:
        self.course_root = course_root
        self.out_dir = out_dir
        self.course: Course = discover(course_root)
        self.diagnostics: list[Diagnostic] = list(self.course.diagnostics)
        self.cache = ScanCache(out_dir / STATE_DIR / "scan.json")

    def report_path(self, relative: Path) -> Path:
        """Where a deck task leaves what its planner noticed."""
        return self.out_dir / STATE_DIR / "reports" / relative.with_suffix(".json")

    def reported(self) -> list[Diagnostic]:
        """What the deck tasks of this course reported, in this build or an earlier one."""
        return [d for session in self.course.sessions for d in read_report(self.report_path(session.relative))]

    def deck_tasks(self):
        try:
            theme = load_theme(self.course.theme, self.course_root)
        except ThemeError as error:
            self.diagnostics.append(Diagnostic(self.course_root / COURSE_FILE, 0, Severity.ERROR, str(error)))
            return
        fingerprint = code_fingerprint()
        settings = {"version": fingerprint, "theme": theme.name, "course": self.course.title,
                    "language": self.course.language, "organisation": self.course.organisation}
        course_file = [self.course_root / COURSE_FILE] if (self.course_root / COURSE_FILE).is_file() else []
        for day in self.course.days:
            readme = [day.readme.path] if day.readme else []
            for session in day.sessions:
                scan = self.cache.scan(session.path)
                self.diagnostics.extend(scan.diagnostics)
                if not scan.readable:
                    continue
                target = deck_target(self.out_dir, session.relative)
                yield {
                    "name": session.relative.with_suffix("").as_posix(),
                    "actions": [(build_deck, (), {
                        "course_root": str(self.course_root), "session_path": str(session.path), "target": str(target),
                        "scene_dir": str(self.out_dir / STATE_DIR / "scenes"), "scene_salt": fingerprint,
                        "report": str(self.report_path(session.relative)),
                    })],
                    "file_dep": [str(p) for p in (session.path, *readme, *scan.images, *theme.files, *course_file)],
                    "targets": [str(target)],
                    "uptodate": [config_changed(settings)],
                    "clean": True,
                    "doc": f"deck for {session.relative}",
                }
        self.cache.save()


def make_namespace(course_root: Path, out_dir: Path) -> tuple[dict, Graph]:
    """A dodo-file namespace (task generators and DOIT_CONFIG) for one course, and its Graph."""
    graph = Graph(course_root, out_dir)

    def task_deck():
        """Editable PowerPoint deck per session."""
        yield from graph.deck_tasks()

    namespace = {
        "task_deck": task_deck,
        "DOIT_CONFIG": {
            "dep_file": str(out_dir / STATE_DIR / "doit.json"),
            "backend": "json",
            "default_tasks": ["deck"],
            "verbosity": 1,
        },
    }
    return namespace, graph
