"""Finding a course's weeks, days and sessions, and what their READMEs say.

Sessions are found anywhere below the course root by file name
(`session_01.md`, `session_1.md`, `session1.md`); a session's folder is its day
and the day's parent is its week. Everything is ordered numerically.
"""

from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from .day_readme import SESSION_FILE, DayReadme, read_day_readme
from .diagnostics import Diagnostic, Severity
from .document import read_document
from .marp_directives import is_marp

COURSE_FILE = "course.toml"
_NUMBER = re.compile(r"(\d+)")
_SKIPPED_DIRS = {"build", "dist", "node_modules", "__pycache__"}
STATE_DIR = ".deckbuild"  # doit's and deckbuild's state inside an output folder; marks that folder as one


@dataclass(frozen=True)
class Session:
    """One session file and its place in the course."""

    path: Path
    number: int
    week: int | None
    day: int | None
    relative: Path  # path below the course root, e.g. week_01/day_04/session_01.md


@dataclass(frozen=True)
class Day:
    """A folder holding sessions, with its README when there is one."""

    path: Path
    number: int | None
    week: int | None
    readme: DayReadme | None
    sessions: tuple[Session, ...]


@dataclass(frozen=True)
class Week:
    """The parent folder of days."""

    path: Path
    number: int | None
    days: tuple[Day, ...]


@dataclass(frozen=True)
class Course:
    """A course tree: its settings from course.toml and its weeks."""

    root: Path
    title: str
    organisation: str
    language: str
    theme: str
    weeks: tuple[Week, ...]
    diagnostics: tuple[Diagnostic, ...] = field(default=(), compare=False)

    @property
    def days(self) -> list[Day]:
        return [day for week in self.weeks for day in week.days]

    @property
    def sessions(self) -> list[Session]:
        return [session for day in self.days for session in day.sessions]

    def day_of(self, session: Session) -> Day:
        return next(day for day in self.days if session in day.sessions)


def folder_number(name: str) -> int | None:
    """The first number in a folder name: week_01 → 1, day4 → 4, day1_eks_setup → 1."""
    match = _NUMBER.search(name)
    return int(match.group(1)) if match else None


def natural_key(path: Path) -> tuple:
    """Sort key that orders path parts by their numbers (day_2 before day_10)."""
    return tuple((folder_number(part) if folder_number(part) is not None else -1, part) for part in path.parts)


def find_session_files(root: Path, refused: list[Path] | None = None) -> list[Path]:
    """Session files below root (see course_files for the folders never looked into); symlinks
    that lead out of root are left out (and listed in refused)."""
    return course_files(root, lambda name: bool(SESSION_FILE.match(name)), refused)


def find_markdown_files(root: Path) -> list[Path]:
    """Every markdown file of the course (sessions, READMEs and the rest), in course order."""
    return course_files(root, lambda name: name.lower().endswith(".md"))


def course_files(root: Path, wanted: Callable[[str], bool], refused: list[Path] | None = None) -> list[Path]:
    """Files below root whose names are wanted. Hidden folders, `build`, `dist` and the like, and
    deckbuild's own output folders (those holding its state folder) are never looked into, so an
    output folder inside the course is not read as course content; symlinks that lead out of root
    are left out (and listed in refused)."""
    found = []
    inside = root.resolve()
    for folder, subfolders, files in os.walk(root):
        subfolders[:] = [name for name in subfolders if not (
            name.startswith(".") or name in _SKIPPED_DIRS or Path(folder, name, STATE_DIR).is_dir())]
        for name in files:
            path = Path(folder, name)
            if not wanted(name) or not path.is_file():
                continue
            if path.resolve().is_relative_to(inside):
                found.append(path)
            elif refused is not None:
                refused.append(path)
    return sorted(found, key=lambda p: natural_key(p.relative_to(root)))


def find_marp_decks(root: Path, patterns: tuple[str, ...] = ()) -> list[Path]:
    """Marp decks below root: markdown files (not sessions) whose front matter says `marp: true`,
    and those course.toml's `decks` patterns name (`lectures/*.md`, relative to root)."""
    listed = {path for pattern in patterns for path in root.glob(pattern)}
    return [path for path in course_files(root, lambda name: name.endswith(".md") and not SESSION_FILE.match(name))
            if path in listed or is_marp(path)]


def _day_folder(session_path: Path) -> Path:
    """The day folder of a session; a session kept in its own `sessionN/` folder belongs to that folder's parent."""
    parent = session_path.parent
    return parent.parent if SESSION_FILE.match(parent.name + ".md") else parent


@dataclass(frozen=True)
class CourseSettings:
    """What course.toml says (with defaults for courses that have none)."""

    title: str
    organisation: str
    language: str
    theme: str
    handout_per_session: bool = False  # [handouts] per_session = true: a PDF per session besides the day's
    notes_handout: bool = True  # [handouts] notes = false: no note-taking handout (three slides a page) per session
    deck_template: str = ""  # [deck] template = "templates/school.pptx": decks use that file's master and layouts
    deck_footer: str | None = None  # [deck] footer = "…" (false: none); None: course · session
    fetch_remote: bool = False  # remote_images = "fetch": builds download http(s) pictures (remote.py)
    decks: tuple[str, ...] = ()  # decks = ["lectures/*.md"]: Marp decks besides those found by `marp: true`


def read_settings(root: Path, diagnostics: list[Diagnostic] | None = None) -> CourseSettings:
    """The course's settings from course.toml; problems are appended to diagnostics."""
    path = root / COURSE_FILE
    data: dict = {}
    if path.is_file():
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except (UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
            if diagnostics is not None:
                line = getattr(error, "lineno", 0) or 0
                diagnostics.append(Diagnostic(path, line, Severity.ERROR, f"invalid course.toml: {error}"))
    return CourseSettings(
        title=str(data.get("title") or _course_title(root)),
        organisation=str(data.get("organisation", "")),
        language=str(data.get("language", "ko")),
        theme=str(data.get("theme", "default")),
        handout_per_session=bool(data.get("handouts", {}).get("per_session", False)),
        notes_handout=bool(data.get("handouts", {}).get("notes", True)),
        deck_template=str(data.get("deck", {}).get("template", "")),
        deck_footer=_footer_setting(data.get("deck", {}).get("footer")),
        fetch_remote=_remote_images(data, path, diagnostics),
        decks=tuple(str(pattern) for pattern in data.get("decks", ()) if isinstance(pattern, str)),
    )


def _footer_setting(value) -> str | None:
    """course.toml's [deck] footer: text, false for none, absent for the default."""
    if value is None or value is True:
        return None
    return "" if value is False else str(value)


def _remote_images(data: dict, path: Path, diagnostics: list[Diagnostic] | None) -> bool:
    """Whether course.toml's remote_images asks builds to fetch remote pictures ("fetch") or not ("off")."""
    value = data.get("remote_images", "off")
    if value not in ("fetch", "off") and diagnostics is not None:
        diagnostics.append(Diagnostic(path, 0, Severity.ERROR, f'remote_images is "fetch" or "off", not {value!r}'))
    return value == "fetch"


def _course_title(root: Path) -> str:
    readme = root / "README.md"
    if readme.is_file():
        title = read_document(readme).title
        if title != readme.stem:
            return title
    return root.resolve().name


def read_day(root: Path, day_path: Path, session_paths: list[Path], diagnostics: list[Diagnostic] | None = None) -> Day:
    """A day folder with the given session files and its README's facts."""
    sessions = []
    for path in session_paths:
        week_path = day_path.parent
        sessions.append(
            Session(
                path=path,
                number=int(SESSION_FILE.match(path.name).group(1)),
                week=folder_number(week_path.name) if root not in (day_path, week_path) else None,
                day=folder_number(day_path.name) if day_path != root else None,
                relative=path.relative_to(root),
            )
        )
    sessions.sort(key=lambda s: (s.number, s.path.name))
    readme = None
    readme_path = day_readme_path(root, day_path)
    if readme_path is not None:
        stat = readme_path.stat()
        readme, problems = _day_readme(readme_path, stat.st_size, stat.st_mtime_ns)
        if diagnostics is not None:
            diagnostics.extend(problems)
    week = folder_number(day_path.parent.name) if root not in (day_path, day_path.parent) else None
    return Day(day_path, folder_number(day_path.name) if day_path != root else None, week, readme, tuple(sessions))


def day_readme_path(root: Path, day_path: Path) -> Path | None:
    """The README of a day folder, when it has one inside the course (a symlink out of it is not read)."""
    path = day_path / "README.md"
    return path if path.is_file() and path.resolve().is_relative_to(root.resolve()) else None


def day_readme_paths(root: Path, session_files: list[Path]) -> list[Path]:
    """The READMEs of the days these session files belong to, as discovery will read them."""
    days = dict.fromkeys(_day_folder(path) for path in session_files)
    return [readme for day in days if (readme := day_readme_path(root, day)) is not None]


ReadmeFacts = tuple[DayReadme, tuple[Diagnostic, ...]]  # what a day README says, and its problems
ReadmeVersion = tuple[Path, int, int]  # a README's path, size and modification time (ns)

_readme_facts: dict[ReadmeVersion, ReadmeFacts] = {}
KEPT_READMES = 2_000  # README versions a process keeps (a long watch sees each edit as a new one)


def _day_readme(path: Path, size: int, mtime_ns: int) -> ReadmeFacts:
    """A day README's facts and problems, read once per process for as long as the file stays the same
    (a build process makes every deck of a day, and each deck reads its day), or once per course
    when a cache remembered them (remember_day_readme)."""
    version = (path, size, mtime_ns)
    if version not in _readme_facts:
        document = read_document(path)
        remember_day_readme(version, (read_day_readme(document), tuple(document.diagnostics)))
    return _readme_facts[version]


def remember_day_readme(version: ReadmeVersion, facts: ReadmeFacts) -> None:
    """Take facts as what the README at version says, in this process and the ones forked from it."""
    if len(_readme_facts) >= KEPT_READMES:
        _readme_facts.clear()
    _readme_facts[version] = facts


def day_readmes_read() -> dict[ReadmeVersion, ReadmeFacts]:
    """Every README version this process has the facts of (for a cache to keep)."""
    return dict(_readme_facts)


def day_session_files(day_path: Path) -> list[Path]:
    """The session files that belong to a day folder (including sessions kept in their own folder)."""
    return [p for p in find_session_files(day_path) if _day_folder(p) == day_path]


def read_session_day(root: Path, session_path: Path) -> tuple[Day, Session]:
    """The day of one session (its siblings and README) without reading the rest of the course."""
    day_path = _day_folder(session_path)
    day = read_day(root, day_path, day_session_files(day_path))
    session = next(s for s in day.sessions if s.path == session_path)
    return day, session


def discover(root: Path) -> Course:
    """Find every week, day and session below root and read the day READMEs."""
    diagnostics: list[Diagnostic] = []
    if not root.is_dir():
        diagnostics.append(Diagnostic(root, 0, Severity.ERROR, "course folder not found"))
        return Course(root, root.name, "", "ko", "default", (), tuple(diagnostics))
    settings = read_settings(root, diagnostics)

    by_day: dict[Path, list[Path]] = {}
    refused: list[Path] = []
    for path in find_session_files(root, refused):
        by_day.setdefault(_day_folder(path), []).append(path)
    for path in refused:
        diagnostics.append(Diagnostic(path, 0, Severity.WARNING, "links to a file outside the course folder: not read"))
    if not by_day:
        hint = "name them session_01.md, session_1.md or session1.md"
        diagnostics.append(Diagnostic(root, 0, Severity.WARNING, "no session files found", hint))

    weeks: dict[Path, list[Day]] = {}
    for day_path, paths in by_day.items():
        weeks.setdefault(day_path.parent, []).append(read_day(root, day_path, paths, diagnostics))
    week_list = tuple(
        Week(path, folder_number(path.name), tuple(sorted(days, key=lambda d: natural_key(d.path))))
        for path, days in sorted(weeks.items(), key=lambda item: natural_key(item[0]))
    )
    return Course(
        root=root,
        title=settings.title,
        organisation=settings.organisation,
        language=settings.language,
        theme=settings.theme,
        weeks=week_list,
        diagnostics=tuple(diagnostics),
    )


def has_assignment(day: Day | None) -> bool:
    """Whether a day's README states a written assignment, i.e. whether it gets a sheet."""
    return day is not None and day.readme is not None and day.readme.assignment is not None
