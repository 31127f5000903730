"""Built outputs → a release bundle in dist/: the artifacts in a stable layout,
manifest.json, a zip per week, an offline index.html and SHA256SUMS.

Everything is written in sorted order with fixed timestamps, so two clean
builds of the same course give the same bundle byte for byte.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from dataclasses import asdict, dataclass
from pathlib import Path

from .course import STATE_DIR, Course, discover, find_marp_decks, has_assignment, read_settings
from .document import read_document
from .i18n import text as ui_text
from .marp import read_marp
from .remote import fetched_entries
from .templating import templates
from .tasks import blank_target, day_target, deck_target, notes_target, slides_target
from .timestamps import zip_bytes

KINDS = ("decks", "slides", "notes", "handouts", "assignments")


@dataclass(frozen=True)
class Artifact:
    """One published file, as manifest.json describes it."""

    path: str
    kind: str
    week: int | None
    day: int | None
    session: int | None
    title: str
    bytes: int
    sha256: str


class ShardError(Exception):
    """Shard folders that do not hold every output of the course exactly once."""


def _expected(course: Course) -> list[tuple[Path, str, int | None, int | None, int | None, str]]:
    """(output path below the build folder, kind, week, day, session, title) for every output the course has."""
    language = course.language
    notes = read_settings(course.root).notes_handout
    found = []
    for day in course.days:
        day_title = day.readme.title if day.readme else day.path.name
        for session in day.sessions:
            title = read_document(session.path).title
            targets = [(deck_target, "decks"), (slides_target, "slides"), *([(notes_target, "notes")] if notes else [])]
            found.extend((where(Path(), session.relative), kind, session.week, session.day, session.number, title)
                         for where, kind in targets)
        if day.sessions:
            found.append((day_target(Path(), "handouts", course.root, day), "handouts", day.week, day.number, None, day_title))
        if has_assignment(day):
            found.append((day_target(Path(), "assignments", course.root, day), "assignments", day.week, day.number, None,
                          f"{ui_text(language, 'assignment')} — {day_title}"))
    if course.sessions:
        found.append((blank_target(Path()), "assignments", None, None, None, ui_text(language, "assignment")))
    for deck in find_marp_decks(course.root, read_settings(course.root).decks):
        title = read_marp(deck).title
        found.extend((where(Path(), deck.relative_to(course.root)), kind, None, None, None, title)
                     for where, kind in ((deck_target, "decks"), (slides_target, "slides")))
    return found


def publish(course_root: Path, build: Path, dist: Path) -> list[Artifact]:
    """Copy the built outputs of course_root from build into dist with manifest, zips, index and checksums
    (an output the build did not make, such as the deck of an unreadable session, is left out)."""
    course = discover(course_root)
    outputs = [(relative, build / relative, *facts) for relative, *facts in _expected(course) if (build / relative).is_file()]
    return _bundle(course, outputs, dist, [build])


def publish_from(course_root: Path, shards: list[Path], dist: Path) -> list[Artifact]:
    """The release bundle from the build folders of shard builds (`build --shard I/N`), rebuilding nothing.

    Every output of the course must be in exactly one of the folders; otherwise
    ShardError names the missing and the doubled ones, and nothing is written.
    """
    course = discover(course_root)
    outputs, missing, doubled = [], [], []
    for relative, *facts in _expected(course):
        holders = [shard for shard in shards if (shard / relative).is_file()]
        if not holders:
            missing.append(relative.as_posix())
        elif len(holders) > 1:
            doubled.append(f"{relative.as_posix()} (in {', '.join(str(shard) for shard in holders)})")
        else:
            outputs.append((relative, holders[0] / relative, *facts))
    if missing or doubled:
        problems = ([f"missing from every shard folder: {', '.join(missing)}"] if missing else []) + (
            [f"in more than one shard folder: {'; '.join(doubled)}"] if doubled else [])
        raise ShardError("; ".join(problems))
    return _bundle(course, outputs, dist, shards)


def _bundle(course: Course, outputs: list[tuple], dist: Path, builds: list[Path]) -> list[Artifact]:
    """Write dist from outputs, each (path in the bundle, built file, kind, week, day, session, title):
    the files, manifest.json (with the remote pictures the builds fetched), week zips, index.html
    and SHA256SUMS."""
    if dist.exists():
        shutil.rmtree(dist)
    dist.mkdir(parents=True)
    artifacts = []
    for relative, source, kind, week, day, session, title in outputs:
        data = source.read_bytes()
        (dist / relative).parent.mkdir(parents=True, exist_ok=True)
        (dist / relative).write_bytes(data)
        artifacts.append(Artifact(relative.as_posix(), kind, week, day, session, title, len(data), hashlib.sha256(data).hexdigest()))
    artifacts.sort(key=lambda a: a.path)
    fetched = {url: entry for build in builds for url, entry in fetched_entries(build / STATE_DIR / "remote").items()}
    manifest = {"course": course.title, "organisation": course.organisation, "artifacts": [asdict(a) for a in artifacts],
                "remote_images": [{"url": url, "sha256": entry["sha256"], "bytes": entry["bytes"]}
                                  for url, entry in sorted(fetched.items())]}
    (dist / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    bundles = _week_zips(artifacts, dist)
    (dist / "index.html").write_text(_index(course, artifacts, bundles), encoding="utf-8")
    _checksums(dist)
    return artifacts


def _week_zips(artifacts: list[Artifact], dist: Path) -> dict[int | None, str]:
    """One zip per week holding that week's artifacts; returns week → zip name."""
    weeks: dict[int | None, dict[str, bytes]] = {}
    for artifact in artifacts:
        if artifact.week is not None:
            weeks.setdefault(artifact.week, {})[artifact.path] = (dist / artifact.path).read_bytes()
    names = {}
    for week, entries in sorted(weeks.items()):
        name = f"week_{week:02d}.zip"
        (dist / name).write_bytes(zip_bytes(entries))
        names[week] = name
    return names


def _index(course: Course, artifacts: list[Artifact], bundles: dict[int | None, str]) -> str:
    """The download page: artifacts by week and day, with relative links that work offline."""
    weeks: dict[int | None, dict[int | None, list[Artifact]]] = {}
    for artifact in artifacts:
        weeks.setdefault(artifact.week, {}).setdefault(artifact.day, []).append(artifact)
    ordered = [
        (week, bundles.get(week), [(day, sorted(items, key=lambda a: (a.session is None, a.session or 0, KINDS.index(a.kind))))
                                   for day, items in sorted(days.items(), key=lambda item: (item[0] is None, item[0] or 0))])
        for week, days in sorted(weeks.items(), key=lambda item: (item[0] is None, item[0] or 0))
    ]
    return templates().get_template("index.html.j2").render(
        course=course, weeks=ordered, strings=lambda key, **values: ui_text(course.language, key, **values)
    )


def _checksums(dist: Path) -> None:
    """SHA256SUMS for every file in dist (sha256sum -c format)."""
    lines = []
    for path in sorted(p for p in dist.rglob("*") if p.is_file() and p.name != "SHA256SUMS"):
        lines.append(f"{hashlib.sha256(path.read_bytes()).hexdigest()}  {path.relative_to(dist).as_posix()}")
    (dist / "SHA256SUMS").write_text("\n".join(lines) + "\n", encoding="utf-8")

