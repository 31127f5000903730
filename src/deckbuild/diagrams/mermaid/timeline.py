"""Mermaid `timeline` source → Timeline: periods in order, each with its events, grouped in sections.

`period : event : event` starts a period; a line that starts with `:` adds events
to the period above. As in Mermaid, a colon separates events only when a space
or the line's end follows it, so `09:00` or `http://…` stay whole. Periods
written before any `section` line belong to an untitled section.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..model import MermaidError
from .common import body_lines, clean_label, quoted, skip_accessibility

_HEADER = re.compile(r"^timeline(?:\s+(?:LR|TD|TB))?$", re.IGNORECASE)
_TITLE = re.compile(r"^title(?:\s+(?P<text>.*))?$", re.IGNORECASE)
_SECTION = re.compile(r"^section\s+(?P<text>.+)$", re.IGNORECASE)
_EVENT_SEPARATOR = re.compile(r":(?=\s|$)")


@dataclass
class TimelinePeriod:
    """A point or span of time (`2024년 상반기`) and the events listed under it."""

    label: str
    events: list[str] = field(default_factory=list)
    line: int = 0


@dataclass
class TimelineSection:
    """A titled group of periods (title "" for periods written before any `section`)."""

    title: str
    periods: list[TimelinePeriod] = field(default_factory=list)
    line: int = 0


@dataclass
class Timeline:
    """A timeline: its title and sections in source order."""

    title: str = ""
    sections: list[TimelineSection] = field(default_factory=list)

    @property
    def periods(self) -> list[TimelinePeriod]:
        """Every period, in order, across sections."""
        return [period for section in self.sections for period in section.periods]

    def texts(self) -> list[str]:
        """Every text a reader must find in the drawing: title, sections, periods and events."""
        texts = [self.title] + [s.title for s in self.sections if s.periods]
        for period in self.periods:
            texts += [period.label, *period.events]
        return [t for t in texts if t]


def parse_timeline(source: str) -> Timeline:
    """Read the source of a ```` ```mermaid ```` block that starts with `timeline`.

    Raises MermaidError with the 1-based line of the first statement it cannot read.
    """
    lines = iter(body_lines(source, _HEADER, "timeline"))
    timeline = Timeline()
    for line, text in lines:
        if skip_accessibility(text, line, lines):
            continue
        title = _TITLE.match(text)
        if title:
            timeline.title = clean_label(title["text"] or "")
            continue
        section = _SECTION.match(text)
        if section:
            timeline.sections.append(TimelineSection(clean_label(section["text"]), line=line))
            continue
        _period_line(timeline, text, line)
    if not timeline.periods:
        raise MermaidError(1, "the timeline has no periods")
    return timeline


def _period_line(timeline: Timeline, text: str, line: int) -> None:
    """`period`, `period : event : …`, or `: event` continuing the period above."""
    head, *events = _EVENT_SEPARATOR.split(text)
    events = [label for label in (clean_label(e) for e in events) if label]
    period_label = clean_label(head)
    if period_label:
        if not timeline.sections:
            timeline.sections.append(TimelineSection("", line=line))
        timeline.sections[-1].periods.append(TimelinePeriod(period_label, events, line))
        return
    periods = timeline.periods
    if not periods:
        raise MermaidError(line, f"{quoted(text)} adds events, but no period comes before it")
    periods[-1].events.extend(events)
