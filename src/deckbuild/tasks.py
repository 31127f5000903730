"""The doit graph: one task per session deck, with its real inputs as file dependencies.

`make_namespace` returns what a dodo file holds (task generators and
DOIT_CONFIG), so `dodo.py` and `deckbuild build` run the very same graph.
doit's own state lives inside the output folder, so two courses never share it.
"""

from __future__ import annotations

import functools
import hashlib
from pathlib import Path

from doit.exceptions import TaskFailed
from doit.tools import config_changed

from . import __version__
from .course import (COURSE_FILE, STATE_DIR, Course, Day, Session, day_readme_paths, discover, find_marp_decks,
                     find_session_files, has_assignment, read_settings)
from .diagnostics import Diagnostic, Severity, read_report
from .interrupt import stop_if_interrupted
from .diagrams.cache import SceneCache
from .measure import Measurer
from .memory import release_freed_memory
from .remote import RemoteImages, active_cache, fetched_entries
from .scan import ScanCache, readme_problems
from .templating import TEMPLATES
from .theme import Theme, ThemeError, load_theme

PACKAGE_DIR = Path(__file__).resolve().parent


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


def slides_target(out_dir: Path, relative: Path) -> Path:
    """Where a session's slide PDF goes: beside its deck, build/decks/<session path>.pdf."""
    return out_dir / "decks" / relative.with_suffix(".pdf")


def notes_target(out_dir: Path, relative: Path) -> Path:
    """Where a session's note-taking handout goes: build/notes/<session path>.pdf."""
    return out_dir / "notes" / relative.with_suffix(".pdf")


def part_target(out_dir: Path, relative: Path) -> Path:
    """Where a session's handout part is cached: OUT/.deckbuild/handout-parts/<session path>.pdf."""
    return out_dir / STATE_DIR / "handout-parts" / relative.with_suffix(".pdf")


def day_target(out_dir: Path, kind: str, course_root: Path, day: Day) -> Path:
    """Where a day's handout or assignment goes: build/<kind>/<day path>.pdf."""
    relative = day.path.relative_to(course_root) if day.path != course_root else Path(course_root.resolve().name)
    return out_dir / kind / relative.with_suffix(".pdf")


# Task actions import their modules when they run: deciding what is up to date (and a
# no-op build) then never loads WeasyPrint, python-pptx or the diagram layouts, and a
# process loads only what its tasks use (the worker that built an edited session's deck
# assembles the day's handout without loading WeasyPrint when no page number moved).


def file_errors_fail(action):
    """The action, failing its task with one line naming the file when a file cannot be read or
    written (a folder in the way, permission denied, disk full) instead of with a traceback."""

    @functools.wraps(action)
    def run(**arguments):
        stop_if_interrupted()  # a Ctrl-C that library code swallowed during an earlier task
        try:
            return action(**arguments)
        except OSError as error:
            return TaskFailed(f"{error.filename}: {error.strerror}" if error.filename else str(error))

    return run


def gives_memory_back(action):
    """The action, then the memory it freed given back to the system (memory.release_freed_memory).
    For the tasks that render PDFs: each frees a hundred megabytes and more (WeasyPrint's layouts,
    page pictures), which its process would otherwise hold through the rest of the build. A deck
    frees little, and taking its pages back would only cost the next deck the time to fault them in."""

    @functools.wraps(action)
    def run(**arguments):
        try:
            return action(**arguments)
        finally:
            release_freed_memory()

    return run


@file_errors_fail
def build_deck(remote_dir: str = "", **arguments) -> None:
    """doit action: one session's deck (deck.build_deck), remote pictures from remote_dir."""
    from .deck import build_deck as build

    with active_cache(remote_dir):
        build(**arguments)


@file_errors_fail
@gives_memory_back
def build_slides_pdf(remote_dir: str = "", **arguments) -> None:
    """doit action: one session's slide PDF (slides_pdf.build_slides_pdf), remote pictures from remote_dir."""
    from .slides_pdf import build_slides_pdf as build

    with active_cache(remote_dir):
        build(**arguments)


@file_errors_fail
@gives_memory_back
def build_notes(**arguments) -> None:
    """doit action: one session's note-taking handout from its slide PDF (notes.build_notes)."""
    from .notes import build_notes as build

    build(**arguments)


@file_errors_fail
def build_marp_deck(**arguments) -> None:
    """doit action: one Marp deck (deck.build_marp_deck)."""
    from .deck import build_marp_deck as build

    build(**arguments)


@file_errors_fail
@gives_memory_back
def build_handout_part(remote_dir: str = "", **arguments) -> None:
    """doit action: one session's part of its day's handout (handout.build_handout_part), remote
    pictures from remote_dir."""
    from .handout import build_handout_part as build

    with active_cache(remote_dir):
        build(**arguments)


@file_errors_fail
@gives_memory_back
def build_handout(**arguments) -> None:
    """doit action: one day's (or session's) handout from its parts (handout.build_handout)."""
    from .handout import build_handout as build

    build(**arguments)


@file_errors_fail
@gives_memory_back
def build_assignment(**arguments) -> None:
    """doit action: one assignment sheet (assignment.build_assignment)."""
    from .assignment import build_assignment as build

    build(**arguments)


@file_errors_fail
def lay_out_scene(course_root: str, kind: str, source: str, scene_dir: str, scene_salt: str) -> None:
    """doit action: one diagram laid out into the scene cache. A diagram that cannot be drawn
    keeps its error there instead; the outputs then show its source with the reason."""
    from .diagrams.model import MermaidError

    root = Path(course_root)
    theme = load_theme(read_settings(root).theme, root)
    measure = Measurer(theme.fonts.metrics_body, theme.fonts.metrics_mono)
    try:
        SceneCache(Path(scene_dir), scene_salt).store(source, kind, measure, theme.diagram)
    except MermaidError:
        pass


def template_files() -> list[Path]:
    """The handout and assignment templates and stylesheets (build inputs of every PDF)."""
    return sorted(p for p in TEMPLATES.iterdir() if p.is_file())


class Graph:
    """The tasks for one course and output folder, and the diagnostics found while making them."""

    def __init__(self, course_root: Path, out_dir: Path, fetch_remote: bool = False, jobs: int = 1) -> None:
        self.course_root = course_root
        self.out_dir = out_dir
        self.fingerprint = code_fingerprint()
        self.course_settings = read_settings(course_root)
        fetching = fetch_remote or self.course_settings.fetch_remote
        self.remote = RemoteImages(out_dir / STATE_DIR / "remote") if fetching else None
        self.cache = ScanCache(out_dir / STATE_DIR / "scan.json", self.fingerprint, self.remote)
        self.cache.remember_readmes()  # discovery reads only the day READMEs changed since the last build
        self.marp_decks = find_marp_decks(course_root, self.course_settings.decks)
        sessions = find_session_files(course_root)
        # What no earlier build scanned is parsed jobs at a time, the day READMEs too: discovery then
        # takes their facts from the parsed documents instead of parsing them one after another.
        self.cache.scan_many([*((path, True, False) for path in sessions),
                              *((deck, False, True) for deck in self.marp_decks),
                              *((readme, False, False) for readme in day_readme_paths(course_root, sessions))],
                             course_root, jobs)
        self.course: Course = discover(course_root)
        self.cache.keep_readmes(self.course)
        self.diagnostics: list[Diagnostic] = list(self.course.diagnostics)
        self.theme: Theme | None = None
        try:
            self.theme = load_theme(self.course.theme, course_root)
        except ThemeError as error:
            self.diagnostics.append(Diagnostic(course_root / COURSE_FILE, 0, Severity.ERROR, str(error)))
        self.scenes = SceneCache(out_dir / STATE_DIR / "scenes", self.fingerprint)
        self.measure = Measurer(self.theme.fonts.metrics_body, self.theme.fonts.metrics_mono) if self.theme else None
        course_file = course_root / COURSE_FILE
        self.shared_inputs = [*(self.theme.files if self.theme else ()), *([course_file] if course_file.is_file() else [])]
        template = course_root / self.course_settings.deck_template
        self.deck_inputs = [template] if self.course_settings.deck_template and template.is_file() else []
        self.settings = {"version": self.fingerprint, "theme": self.course.theme, "course": self.course.title,
                         "language": self.course.language, "organisation": self.course.organisation,
                         "remote": fetching}
        self.scans = {}
        self.session_paths = {session.path for session in self.course.sessions}
        self.readmes_checked: set[Path] = set()

    def scan(self, session: Session):
        """The session's scan, taken once per build and reported once."""
        return self.scan_file(session.path)

    def scan_file(self, path: Path):
        """The scan of a markdown file of the course (a session, a Marp deck or any other), taken
        once per build and reported once."""
        if path not in self.scans:
            result = self.cache.scan(path, self.course_root, is_session=path in self.session_paths,
                                     marp=path in self.marp_decks)
            self.diagnostics.extend(result.diagnostics)
            self.scans[path] = result
        return self.scans[path]

    def check_readme(self, day: Day) -> None:
        """Report a day README's own problems, once per build."""
        if day.path not in self.readmes_checked:
            self.readmes_checked.add(day.path)
            self.diagnostics.extend(readme_problems(day, self.course_root, self.cache.scan))

    def report_path(self, kind: str, relative: Path) -> Path:
        """Where a task leaves what it noticed while building."""
        return self.out_dir / STATE_DIR / "reports" / kind / relative.with_suffix(".json")

    def reported(self) -> list[Diagnostic]:
        """What this course's tasks reported, in this build or an earlier one."""
        folder = self.out_dir / STATE_DIR / "reports"
        return [d for path in sorted(folder.rglob("*.json")) for d in read_report(path)] if folder.is_dir() else []

    def make_task(self, name: str, action, arguments: dict, inputs: list[Path], target: Path, doc: str,
              settings: dict | None = None) -> dict:
        """A task making target from inputs (and the theme and course.toml), run again when the tool
        or the course's settings (or the given settings) change."""
        return {
            "name": name,
            "actions": [(action, (), {key: str(value) for key, value in arguments.items()})],
            "file_dep": [str(p) for p in dict.fromkeys([*inputs, *self.shared_inputs])],
            "targets": [str(target)],
            "uptodate": [config_changed(self.settings if settings is None else settings)],
            "clean": True,
            "doc": doc,
        }

    def _scene_arguments(self) -> dict:
        return {"scene_dir": self.scenes.folder, "scene_salt": self.fingerprint}

    def _picture_arguments(self) -> dict:
        return {"remote_dir": self.remote.folder if self.remote else ""}

    def scene_files(self, sessions: list[Session]) -> list[Path]:
        """The cached scenes of the sessions' diagrams: the targets of their scene tasks."""
        return [self.scene_file(source) for session in sessions for _, source in self.scan(session).diagrams]

    def scene_file(self, source: str) -> Path:
        """Where a diagram's scene is cached: the target of its scene task."""
        return self.scenes.path(source, self.theme.diagram, self.measure)

    def scene_tasks(self, paths: list[Path] | None = None):
        """A task per distinct diagram in the course's sessions and Marp decks (or in the markdown files at paths):
        laid out once, whichever outputs show it."""
        if self.theme is None:
            return
        seen: set[Path] = set()
        if paths is None:
            paths = [*(session.path for session in self.course.sessions), *self.marp_decks]
        for markdown in paths:
            for kind, source in self.scan_file(markdown).diagrams:
                path = self.scene_file(source)
                if path in seen:
                    continue
                seen.add(path)
                arguments = {"course_root": self.course_root, "kind": kind, "source": source, **self._scene_arguments()}
                where = markdown.relative_to(self.course_root)
                yield self.make_task(path.stem, lay_out_scene, arguments, [], path, f"{kind} diagram in {where}")

    def deck_tasks(self):
        """A task per session and per Marp deck: its editable deck."""
        yield from self._session_deck_tasks(deck_target, build_deck, "decks", "deck", [])
        yield from self._marp_tasks(deck_target, build_marp_deck, "decks", "Marp deck", [])

    def slides_tasks(self):
        """A task per session and per Marp deck: its slide PDF, planned as its deck is (same inputs,
        and the page templates)."""
        yield from self._session_deck_tasks(slides_target, build_slides_pdf, "", "slide PDF", template_files())
        yield from self._marp_tasks(slides_target, build_slides_pdf, "", "slide PDF of Marp deck", template_files())

    def _marp_tasks(self, where, action, report_kind: str, what: str, extra_inputs: list[Path]):
        """A task per readable Marp deck drawing its plan with action into where(out, deck path)."""
        for path in self.marp_decks:
            scan = self.scan_file(path)
            if not scan.readable:
                continue
            relative = path.relative_to(self.course_root)
            target = where(self.out_dir, relative)
            arguments = {"course_root": self.course_root, "deck_path": path, "target": target, **self._scene_arguments()}
            if report_kind:
                arguments["report"] = self.report_path(report_kind, relative)
            scenes = [self.scene_file(source) for _, source in scan.diagrams]
            yield self.make_task(relative.with_suffix("").as_posix(), action, arguments,
                                 [path, *scan.images, *scenes, *self.deck_inputs, *extra_inputs], target, f"{what} {relative}")

    def _session_deck_tasks(self, where, action, report_kind: str, what: str, extra_inputs: list[Path]):
        """A task per readable session drawing its deck plan with action into where(out, session path)."""
        if self.theme is None:
            return
        for day in self.course.days:
            self.check_readme(day)
            readme = [day.readme.path] if day.readme else []
            for session in day.sessions:
                scan = self.scan(session)
                if not scan.readable:
                    continue
                target = where(self.out_dir, session.relative)
                arguments = {"course_root": self.course_root, "session_path": session.path, "target": target,
                             **self._scene_arguments(), **self._picture_arguments()}
                if report_kind:
                    arguments["report"] = self.report_path(report_kind, session.relative)
                inputs = [session.path, *readme, *scan.images, *self.scene_files([session]), *self.deck_inputs, *extra_inputs]
                yield self.make_task(session.relative.with_suffix("").as_posix(), action, arguments, inputs, target,
                                 f"{what} for {session.relative}")
        self.cache.save()

    def notes_tasks(self):
        """A note-taking handout per session, from its slide PDF, unless course.toml switches them off."""
        if self.theme is None or not self.course_settings.notes_handout:
            return
        for session in self.course.sessions:
            if not self.scan(session).readable:
                continue
            slides = slides_target(self.out_dir, session.relative)
            target = notes_target(self.out_dir, session.relative)
            arguments = {"course_root": self.course_root, "session_path": session.path, "slides": slides, "target": target}
            yield self.make_task(session.relative.with_suffix("").as_posix(), build_notes, arguments,
                             [slides, *template_files()], target, f"note-taking handout for {session.relative}")

    def handout_part_tasks(self):
        """A task per session: its part of the day's handout, rendered on its own and cached."""
        if self.theme is None:
            return
        for day in self.course.days:
            readme = [day.readme.path] if day.readme else []
            for session in day.sessions:
                scan = self.scan(session)
                if not scan.readable:
                    continue
                target = part_target(self.out_dir, session.relative)
                arguments = {"course_root": self.course_root, "session_path": session.path, "target": target,
                             **self._scene_arguments(), **self._picture_arguments(),
                             "report": self.report_path("handout-parts", session.relative)}
                inputs = [session.path, *readme, *scan.images, *self.scene_files([session]), *template_files()]
                yield self.make_task(session.relative.with_suffix("").as_posix(), build_handout_part, arguments, inputs, target,
                                 f"handout part for {session.relative}")

    def handout_tasks(self):
        """A handout per day, assembled from its sessions' parts (and one per session when the course asks)."""
        if self.theme is None:
            return
        for day in self.course.days:
            readable = [s for s in day.sessions if self.scan(s).readable]
            if not readable:
                continue
            target = day_target(self.out_dir, "handouts", self.course_root, day)
            name = target.relative_to(self.out_dir / "handouts").with_suffix("").as_posix()
            yield self._handout(name, day, readable, target)
            if self.course_settings.handout_per_session:
                for session in readable:
                    target = self.out_dir / "handouts" / session.relative.with_suffix(".pdf")
                    yield self._handout(session.relative.with_suffix("").as_posix(), day, [session], target, session.path)
        self.cache.save()

    def _handout(self, name: str, day: Day, sessions: list[Session], target: Path, session_path: Path | str = "") -> dict:
        """The task assembling the parts of sessions (a day's, or one session's) into the handout at target."""
        parts = [part_target(self.out_dir, s.relative) for s in sessions]
        arguments = {"course_root": self.course_root, "day_dir": day.path, "parts": "\n".join(map(str, parts)),
                     "target": target, "kept": self.out_dir / STATE_DIR / "handout-fronts" / name,
                     "session_path": session_path}
        # doit starts the parts in the order of this list: the longest first (see largest_first).
        inputs = [*(part_target(self.out_dir, s.relative) for s in largest_first(sessions, lambda s: s.path)),
                  *([day.readme.path] if day.readme else []), *template_files()]
        return self.make_task(name, build_handout, arguments, inputs, target, f"handout for {name}")

    def assignment_tasks(self):
        """A sheet per day whose README states an assignment, and the course's blank sheet."""
        if self.theme is None:
            return
        templates = template_files()
        for day in self.course.days:
            if not has_assignment(day):
                where = day.readme.path if day.readme else day.path
                self.diagnostics.append(Diagnostic(where, 0, Severity.INFO, "no 이론 과제 in this day's README: no assignment sheet"))
                continue
            target = day_target(self.out_dir, "assignments", self.course_root, day)
            name = target.relative_to(self.out_dir / "assignments").with_suffix("").as_posix()
            arguments = {"course_root": self.course_root, "day_dir": day.path, "target": target}
            yield self.make_task(name, build_assignment, arguments, [day.readme.path, *templates], target, f"assignment for {name}")
        if not self.course.sessions:  # a course of Marp decks alone sets no assignments
            return
        target = blank_target(self.out_dir)
        yield self.make_task("blank", build_assignment, {"course_root": self.course_root, "day_dir": "", "target": target},
                         templates, target, "blank assignment sheet")


def blank_target(out_dir: Path) -> Path:
    """The course's blank assignment sheet, for assignments given in class."""
    return out_dir / "assignments" / "blank.pdf"


def in_shard(task_name: str, shard: tuple[int, int] | None) -> bool:
    """Whether a task belongs to shard (index from 1, count); a stable hash spreads tasks over shards."""
    if shard is None:
        return True
    index, count = shard
    return int(hashlib.sha256(task_name.encode()).hexdigest(), 16) % count == index - 1


def largest_first(items, source) -> list:
    """items ordered by the size of the file source(item) names, largest first (ties keep their order).

    doit hands tasks to its processes in the order given; starting the longest
    sessions first means a build does not end with one long task running alone.
    """
    return sorted(items, key=lambda item: -Path(source(item)).stat().st_size)


@file_errors_fail
def publish_bundle(course_root: str, build_dir: str, dist: str) -> None:
    """doit action: the release bundle (publish.publish)."""
    from .publish import publish

    publish(Path(course_root), Path(build_dir), Path(dist))


def make_namespace(
    course_root: Path, out_dir: Path, shard: tuple[int, int] | None = None, dist: Path | None = None,
    fetch_remote: bool = False, jobs: int = 1,
) -> tuple[dict, Graph]:
    """A dodo-file namespace (task generators and DOIT_CONFIG) for one course, and its Graph.

    With shard (I, N) only the I-th of N disjoint parts of the tasks is generated,
    so N CI jobs together build everything exactly once. With dist, a release task
    bundles every output into dist once they are built (and again only when one changes).
    With fetch_remote (or remote_images = "fetch" in course.toml) remote pictures are fetched.
    Sessions not scanned before are scanned jobs at a time.
    """
    graph = Graph(course_root, out_dir, fetch_remote, jobs)

    def part(basename: str, tasks):
        return [task for task in tasks if in_shard(f"{basename}:{task['name']}", shard)]

    outputs = {"deck": part("deck", largest_first(graph.deck_tasks(), lambda task: task["file_dep"][0])),
               "slides": part("slides", largest_first(graph.slides_tasks(), lambda task: task["file_dep"][0])),
               # a notes handout goes to the shard of the slide PDF it is made from
               "notes": part("slides", graph.notes_tasks()),
               "handout": part("handout", graph.handout_tasks()),
               "assignment": part("assignment", graph.assignment_tasks())}
    if graph.remote is not None:
        graph.remote.keep({url for scan in graph.scans.values() for url in scan.remote})
    # Scenes and handout parts are shared inputs, not outputs: every shard may need any of
    # them, and doit runs only those its selected outputs depend on.
    scenes = list(graph.scene_tasks())
    handout_parts = list(graph.handout_part_tasks())

    def task_scene():
        """A laid-out Mermaid diagram, shared by the decks and handouts that show it."""
        yield from scenes

    def task_handout_part():
        """A session's part of its day's handout, shared by the day's handout and the session's own."""
        yield from handout_parts

    def task_deck():
        """Editable PowerPoint deck per session."""
        yield from outputs["deck"]

    def task_slides():
        """Slide PDF per session, beside its deck."""
        yield from outputs["slides"]

    def task_notes():
        """A4 note-taking handout per session: three slides a page with ruled lines."""
        yield from outputs["notes"]

    def task_handout():
        """Printable A4 handout per day."""
        yield from outputs["handout"]

    def task_assignment():
        """One-page A4 assignment sheet per day with an assignment, and a blank one."""
        yield from outputs["assignment"]

    fetched = fetched_entries(graph.remote.folder) if graph.remote else {}  # listed in the manifest

    def task_release():
        """The release bundle: artifacts, manifest, week zips, download page, checksums."""
        built = [target for tasks in outputs.values() for task in tasks for target in task["targets"]]
        return {
            "actions": [(publish_bundle, (), {"course_root": str(course_root), "build_dir": str(out_dir), "dist": str(dist)})],
            "file_dep": [*built, *template_files()],
            "targets": [str(dist / "SHA256SUMS")],
            "uptodate": [config_changed({**graph.settings, "fetched": fetched})],
            "doc": f"release bundle in {dist}",
        }

    namespace = {
        "task_scene": task_scene,
        "task_handout_part": task_handout_part,
        "task_deck": task_deck,
        "task_slides": task_slides,
        "task_notes": task_notes,
        "task_handout": task_handout,
        "task_assignment": task_assignment,
        **({"task_release": task_release} if dist is not None else {}),
        "DOIT_CONFIG": {
            "dep_file": str(out_dir / STATE_DIR / "doit.json"),
            "backend": "json",
            "default_tasks": ["handout", "deck", "slides", "notes", "assignment"],  # as runner.RUN_ORDER, for `doit` in the repository
            "verbosity": 1,
        },
    }
    return namespace, graph
