"""What is wrong with a command line's folders, found before anything is read or written.

Each check returns one sentence saying what is wrong and what to do, or None;
the command line prints it as a usage error, so a mistaken invocation writes
nothing anywhere (not even the default `build/` in the working folder).
"""

from __future__ import annotations

import os
from pathlib import Path

from .course import STATE_DIR, find_session_files


def course_problem(course: Path) -> str | None:
    """Why course cannot be read as a course folder. A symlink to a folder is followed."""
    if not course.exists():
        return f"course folder not found: {course} (give the folder that holds the weeks, e.g. slides)"
    if not course.is_dir():
        return f"not a folder: {course} (give the course folder, not a file in it)"
    if not os.access(course, os.R_OK | os.X_OK):
        return f"course folder cannot be read: {course} (permission denied)"
    return None


def _nearest_existing(path: Path) -> Path:
    """path itself, or the closest of its parents that exists."""
    while not path.exists() and path != path.parent:
        path = path.parent
    return path


def folder_problem(folder: Path, role: str, option: str) -> str | None:
    """Why folder (the role it plays, e.g. "output folder", given with option) cannot be written to."""
    existing = _nearest_existing(folder)
    if existing == folder and not folder.is_dir():
        return f"{role} is a file: {folder} (give a folder with {option})"
    if not existing.is_dir():
        return f"{role} cannot be made: {folder} ({existing} is a file; give a folder with {option})"
    if not os.access(existing, os.W_OK | os.X_OK):
        return f"{role} is not writable: {folder} (permission denied at {existing}; choose another with {option})"
    return None


def output_problem(out: Path, course: Path, role: str = "output folder", option: str = "-o") -> str | None:
    """Why out cannot take a course's outputs: not writable, the course itself, or a folder of the
    course's own sessions (an output folder inside the course is fine; its contents are never read)."""
    problem = folder_problem(out, role, option)
    if problem:
        return problem
    real_out, real_course = out.resolve(), course.resolve()
    if real_out == real_course:
        return f"{role} is the course folder itself: {out} (choose another with {option}, e.g. build)"
    ours = (real_out / STATE_DIR).is_dir()
    if real_out.is_relative_to(real_course) and real_out.is_dir() and not ours and find_session_files(real_out):
        return f"{role} holds the course's own sessions: {out} (choose a folder of its own with {option})"
    return None


def bundle_problem(dist: Path, build: Path, course: Path) -> str | None:
    """Why dist cannot take a release bundle. publish replaces dist whole, so it must not hold the
    course or the build folder, nor be a folder of other files."""
    problem = output_problem(dist, course, "bundle folder")
    if problem:
        return problem
    real_dist = dist.resolve()
    for other, name in ((course, "course folder"), (build, "build folder")):
        if other.resolve().is_relative_to(real_dist):
            return f"bundle folder {dist} holds the {name} {other}, and publish replaces it whole (choose another with -o)"
    earlier_bundle = (dist / "SHA256SUMS").is_file()
    if dist.is_dir() and any(dist.iterdir()) and not earlier_bundle:
        return f"bundle folder {dist} holds other files, and publish replaces it whole (give a new or empty folder with -o)"
    return None
