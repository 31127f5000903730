"""One Diagnostic type for every problem found in a course: where it is, how bad, what to do.

Library code collects diagnostics and never prints; the CLI decides how to show them.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from pathlib import Path


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


def worst(diagnostics: list[Diagnostic]) -> Severity | None:
    """The highest severity among diagnostics, or None when there are none."""
    return max((d.severity for d in diagnostics), default=None)
