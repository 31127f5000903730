"""One Diagnostic type for every problem found in a course: where it is, how bad, what to do.

Library code collects diagnostics and never prints; the CLI decides how to show them.
"""

from __future__ import annotations

import enum
import json
from dataclasses import dataclass
from pathlib import Path

from .files import write_atomically


class Severity(enum.IntEnum):
    """How bad a problem is; errors fail a build, warnings fail only a strict one."""

    INFO = 0
    WARNING = 1
    ERROR = 2

    def __str__(self) -> str:
        return self.name.lower()


@dataclass(frozen=True, order=True)
class Diagnostic:
    """A problem in one input file, at a 1-based line (0 when it concerns the whole file)."""

    file: Path
    line: int
    severity: Severity
    message: str
    hint: str = ""

    def format(self) -> str:
        """The `path:line: severity: message` form editors and CI annotations understand."""
        text = f"{self.file}:{self.line}: {self.severity}: {self.message}"
        return f"{text} ({self.hint})" if self.hint else text

    def as_json(self) -> dict:
        """The diagnostic as a JSON object for CI tools."""
        return {"file": str(self.file), "line": self.line, "severity": str(self.severity),
                "message": self.message, "hint": self.hint}


def worst(diagnostics: list[Diagnostic]) -> Severity | None:
    """The highest severity among diagnostics, or None when there are none."""
    return max((d.severity for d in diagnostics), default=None)


def to_records(diagnostics) -> list[list]:
    """Diagnostics as JSON-ready lists (for caches and the per-deck diagnostics files)."""
    return [[str(d.file), d.line, int(d.severity), d.message, d.hint] for d in diagnostics]


def from_records(records: list[list]) -> list[Diagnostic]:
    """The inverse of to_records."""
    return [Diagnostic(Path(r[0]), r[1], Severity(r[2]), r[3], r[4]) for r in records]


def write_report(path: Path, diagnostics: list[Diagnostic]) -> None:
    """Store diagnostics as JSON at path, atomically."""
    write_atomically(path, json.dumps(to_records(diagnostics), ensure_ascii=False))


def read_report(path: Path) -> list[Diagnostic]:
    """Diagnostics stored by write_report; none when the file is missing or unreadable."""
    try:
        return from_records(json.loads(path.read_text(encoding="utf-8")))
    except (OSError, ValueError, IndexError, TypeError):
        return []
