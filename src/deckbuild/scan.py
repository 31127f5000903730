"""What a session needs besides itself (local images, diagrams) and what is wrong with it, cached.

Task generation asks this for every session on every build, so the answer is
kept in a small JSON cache keyed by file size and modification time; a no-op
build then parses no markdown at all.
"""

from __future__ import annotations

import json
import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from .files import write_atomically
from .course import Course, Day, day_readmes_read, remember_day_readme
from .day_readme import readme_from_record, readme_record, topic_problems
from .diagnostics import Diagnostic, Severity, from_records, to_records
from .diagrams.build import parse_only
from .diagrams.mermaid.config import diagram_config
from .diagrams.model import MermaidError
from .document import Diagram, Image, Paragraph, Table, iter_blocks, keep_document, kept_document, read_document
from .images import REMOTE, locate_image, resolve_image
from .lint import fence_problems, link_problems, linked_files, structure_problems
from .memory import long_lived_frozen
from .remote import RemoteImages

CACHE_VERSION = 7


@dataclass(frozen=True)
class SessionScan:
    """Local files a session references, and the problems found in it."""

    images: tuple[Path, ...]
    diagnostics: tuple[Diagnostic, ...]
    readable: bool
    diagrams: tuple[tuple[str, str], ...] = ()  # (kind, source) of each Mermaid block that parses
    remote: tuple[str, ...] = ()  # the remote pictures it shows, when the build fetches them
    linked: tuple[Path, ...] = ()  # the course's own files (not markdown) its links point at


def _image_references(blocks) -> list[tuple[str, int]]:
    references = []
    for block in iter_blocks(blocks):
        if isinstance(block, Image):
            references.append((block.src, block.line))
        elif isinstance(block, Paragraph):
            references.extend((run.image, block.line) for run in block.runs if run.image)
        elif isinstance(block, Table):
            for row in (block.header, *block.rows):
                references.extend((run.image, block.line) for cell in row for run in cell if run.image)
    return references


def diagram_warning(path: Path, fence_line: int, kind: str, error: MermaidError) -> Diagnostic:
    """The warning for a Mermaid block that cannot be drawn, at the failing line inside the file
    (fence_line: the line of its opening fence)."""
    return Diagnostic(path, fence_line + error.line, Severity.WARNING, f"mermaid {kind or 'block'}: {error.message}")


def diagram_problems(diagram: Diagram, path: Path) -> list[Diagnostic]:
    """A warning at the failing line inside the file when a Mermaid block cannot be drawn;
    a note naming the block's own settings that deckbuild does not use."""
    try:
        parse_only(diagram.source, diagram.kind)
    except MermaidError as error:
        return [diagram_warning(path, diagram.line, diagram.kind, error)]
    ignored = diagram_config(diagram.source).ignored
    if ignored:
        message = f"mermaid {diagram.kind}: settings not used by deckbuild: {', '.join(ignored)}"
        return [Diagnostic(path, diagram.line + 1, Severity.INFO, message)]
    return []


def scan_session(path: Path, course_root: Path, is_session: bool = True, remote: RemoteImages | None = None,
                 marp: bool = False) -> SessionScan:
    """Parse a session (or, with is_session False, a README; with marp, a Marp deck) and list its
    local images and its problems: missing or remote images, broken fences and links, diagrams
    that cannot be drawn, Marp features not honoured, and for sessions a missing title or content
    and duplicate headings. With remote, a session's remote pictures are fetched into that cache
    and count as its images."""
    if marp:
        from .marp import read_marp  # the Marp reader (and its CSS parser) loads only for Marp decks

        document = read_marp(path).document()
    else:
        document = read_document(path)
    diagnostics = list(document.diagnostics)
    readable = not any(d.severity is Severity.ERROR and d.line == 0 for d in document.diagnostics)
    if not readable:
        return SessionScan((), tuple(diagnostics), False)
    diagnostics.extend(fence_problems(path.read_text(encoding="utf-8-sig"), path))
    if is_session:
        diagnostics.extend(structure_problems(document))
    diagnostics.extend(link_problems(document, course_root))
    images: list[Path] = []
    fetched: list[str] = []
    for src, line in _image_references(document.blocks):
        if remote is not None and is_session and REMOTE.match(src):
            picture, problem = remote.fetch(src, course_root)
            fetched.append(src)
            if problem:
                diagnostics.append(Diagnostic(path, line, Severity.WARNING, problem))
            elif picture not in images:
                images.append(picture)
            continue
        # A file that is there but not a usable picture is still an input: fixing it rebuilds.
        located, _ = locate_image(src, path, course_root)
        if located is not None and located not in images:
            images.append(located)
        _, problem = resolve_image(src, path, course_root)
        if problem:
            diagnostics.append(Diagnostic(path, line, Severity.WARNING, problem))
    diagrams: list[tuple[str, str]] = []
    for block in iter_blocks(document.blocks):
        if isinstance(block, Diagram):
            problems = diagram_problems(block, path)
            diagnostics.extend(problems)
            if not any(problem.severity is Severity.WARNING for problem in problems):
                diagrams.append((block.kind, block.source))
    return SessionScan(tuple(images), tuple(diagnostics), readable, tuple(dict.fromkeys(diagrams)),
                       tuple(dict.fromkeys(fetched)), tuple(linked_files(document, course_root)))


def _scan_and_parsed(path: Path, course_root: Path, is_session: bool, marp: bool):
    """scan_session in a scanning process, with the file's bytes and Document as it parsed them."""
    return scan_session(path, course_root, is_session, None, marp), None if marp else kept_document(path)


def readme_problems(day: Day, course_root: Path, scanner: Callable[..., SessionScan] = scan_session) -> list[Diagnostic]:
    """A day README's own problems (fences, links) and the sessions it gives no discussion topic,
    whose slides then show the session's own questions. scanner: scan_session or a cache's scan."""
    if day.readme is None:
        return []
    found = scanner(day.readme.path, course_root, is_session=False).diagnostics
    return [*found, *topic_problems(day.readme, [session.number for session in day.sessions])]


class ScanCache:
    """SessionScans stored in a JSON file, reused while the sizes and mtimes of a file and of the
    pictures it shows (fetched ones included) are unchanged and the tool is the same (tool_version:
    a fingerprint of deckbuild's code). With remote, remote pictures are fetched; a failed download
    is tried again when its session changes, so a build with nothing changed stays offline."""

    def __init__(self, path: Path, tool_version: str = "", remote: RemoteImages | None = None) -> None:
        self.path = path
        self.remote = remote
        self.version = f"{CACHE_VERSION}:{tool_version}:{'fetch' if remote else 'offline'}"
        self.entries: dict[str, dict] = {}
        self.readmes: dict[str, dict] = {}  # day README path → its stamp, facts and problems
        self.changed = False
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            if data.get("version") == self.version:
                self.entries = data["entries"]
                self.readmes = data.get("readmes", {})
        except (OSError, ValueError, KeyError):
            pass

    @staticmethod
    def _stamp(files: list[str]) -> list[list[int] | None]:
        stamps = []
        for file in files:
            try:
                stat = os.stat(file)
                stamps.append([stat.st_size, stat.st_mtime_ns])
            except OSError:
                stamps.append(None)
        return stamps

    def scan(self, session: Path, course_root: Path, is_session: bool = True, marp: bool = False) -> SessionScan:
        kept = self._kept(session)
        if kept is not None:
            return kept
        stamp = self._stamp([str(session)])
        result = scan_session(session, course_root, is_session, self.remote, marp)
        self._keep(session, stamp, result)
        return result

    def scan_many(self, files: list[tuple[Path, bool, bool]], course_root: Path, jobs: int) -> None:
        """Scan the files (path, is_session, marp) the cache does not hold, jobs processes at a time:
        the first build of a course parses every session before any task can start. The processes
        are forked with what this one holds frozen (memory.long_lived_frozen), as their collections
        would walk and copy it. Fetching builds scan one at a time, as downloads go into this
        process's remote cache."""
        stale = [file for file in files if self._kept(file[0]) is None]
        if jobs < 2 or len(stale) < 2 or self.remote is not None:
            return
        stamps = [self._stamp([str(path)]) for path, _, _ in stale]
        with long_lived_frozen(), ProcessPoolExecutor(jobs, mp_context=multiprocessing.get_context("fork")) as pool:
            results = pool.map(_scan_and_parsed, [path for path, _, _ in stale], [course_root] * len(stale),
                               [is_session for _, is_session, _ in stale], [marp for _, _, marp in stale])
            for (path, _, _), stamp, (result, parsed) in zip(stale, stamps, results):
                self._keep(path, stamp, result)
                if parsed is not None:  # the build's workers are forked from this process: they read it from here
                    keep_document(path, *parsed)

    def _kept(self, path: Path) -> SessionScan | None:
        key = str(path)
        entry = self.entries.get(key)
        if not entry or entry["stamp"] != self._stamp([key, *entry["images"]]):
            return None
        return SessionScan(
            tuple(Path(p) for p in entry["images"]),
            tuple(from_records(entry["diagnostics"])),
            entry["readable"],
            tuple((kind, source) for kind, source in entry["diagrams"]),
            tuple(entry["remote"]),
            tuple(Path(p) for p in entry["linked"]),
        )

    def _keep(self, path: Path, stamp: list, result: SessionScan) -> None:
        key = str(path)
        images = [str(p) for p in result.images]
        self.entries[key] = {
            "stamp": stamp + self._stamp(images),
            "images": images,
            "diagnostics": to_records(result.diagnostics),
            "readable": result.readable,
            "diagrams": [list(diagram) for diagram in result.diagrams],
            "remote": list(result.remote),
            "linked": [str(p) for p in result.linked],
        }
        self.changed = True

    def remember_readmes(self) -> None:
        """Give course discovery (course.remember_day_readme) what every day README unchanged since an
        earlier build says, so that it parses none of them again: a course of forty days would
        spend half a second of every build, a no-op one included, on its READMEs."""
        for key, entry in self.readmes.items():
            stamp = self._stamp([key])[0]
            if stamp is not None and stamp == entry["stamp"]:
                path = Path(key)
                facts = readme_from_record(path, entry["facts"]), tuple(from_records(entry["problems"]))
                remember_day_readme((path, *stamp), facts)

    def keep_readmes(self, course: Course) -> None:
        """Keep what course's day READMEs say, as discovery read them, for the next build."""
        readmes = {day.path / "README.md" for day in course.days if day.readme is not None}
        for (path, size, mtime_ns), (readme, problems) in day_readmes_read().items():
            key, stamp = str(path), [size, mtime_ns]
            if path not in readmes or self.readmes.get(key, {}).get("stamp") == stamp:
                continue
            if self._stamp([key])[0] == stamp:  # the version on disk now
                self.readmes[key] = {"stamp": stamp, "facts": readme_record(readme),
                                     "problems": to_records(problems)}
                self.changed = True

    def save(self) -> None:
        if not self.changed:
            return
        write_atomically(self.path, json.dumps({"version": self.version, "entries": self.entries, "readmes": self.readmes},
                                               ensure_ascii=False))
