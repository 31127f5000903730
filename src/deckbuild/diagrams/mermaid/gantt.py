"""Mermaid `gantt` source → Gantt: tasks with resolved start and end times, in sections.

A task line is `이름 :tags, id, start, end` where the tags (`done`, `active`,
`crit`, `milestone`) and the id are optional. Start is a date in the block's
`dateFormat` or `after id …`; end is a date, `until id …` or a duration such as
`3d`. With one item only, the task starts where the task above it ends. As in
Mermaid, the whole block is read before times are worked out, so `after` may
name a task written further down and `dateFormat` may come anywhere.

Dates read the dayjs way Mermaid reads them: a format such as `YYYY-MM-DD`,
`HH:mm` or `X` (Unix seconds); parts a format lacks are 1970-01-01 00:00, so a
build never depends on the day it runs. Other settings (`excludes`, `includes`,
`todayMarker`, `click`, accessibility lines) are accepted and not drawn.
"""

from __future__ import annotations

import calendar
import functools
import math
import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from ..model import MermaidError
from .common import body_lines, clean_label, quoted, skip_accessibility

DEFAULT_DATE_FORMAT = "YYYY-MM-DD"
TAGS = ("done", "active", "crit", "milestone")
TICK_UNITS = ("millisecond", "second", "minute", "hour", "day", "week", "month")
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")

_HEADER = re.compile(r"^gantt$", re.IGNORECASE)
_KEYWORD = re.compile(
    r"^(?P<key>dateFormat|axisFormat|tickInterval|title|section|excludes|includes|todayMarker|weekday|weekend"
    r"|inclusiveEndDates|topAxis|click|accDescription)(?:\s+(?P<value>.*))?$",
    re.IGNORECASE,
)
_TASK = re.compile(r"^(?P<name>[^:]+?)\s*:(?P<data>.*)$")
_AFTER = re.compile(r"^after\s+(?P<ids>.+)$")
_UNTIL = re.compile(r"^until\s+(?P<ids>.+)$")
_DURATION = re.compile(r"^(?P<amount>\d+(?:\.\d+)?)(?P<unit>ms|[Mdhmswy])$")
_TICK_INTERVAL = re.compile(rf"^(?P<count>[1-9]\d{{0,5}})(?P<unit>{'|'.join(TICK_UNITS)})$")
_ISO_DATE = re.compile(
    r"^(?P<year>\d{4})[-/](?P<month>\d{1,2})[-/](?P<day>\d{1,2})"
    r"(?:[T ](?P<hour>\d{1,2}):(?P<minute>\d{2})(?::(?P<second>\d{2}))?)?$"
)
_MONTHS = {name.lower(): i for i, name in enumerate(calendar.month_name) if name}
_MONTHS.update({name.lower(): i for i, name in enumerate(calendar.month_abbr) if name})
_EPOCH = datetime(1970, 1, 1)


@dataclass
class GanttTask:
    """One bar (or a milestone's rhombus) from start to end, with Mermaid's state tags."""

    name: str
    id: str
    section: str
    start: datetime
    end: datetime
    done: bool = False
    active: bool = False
    crit: bool = False
    milestone: bool = False
    line: int = 0


@dataclass
class Gantt:
    """A Gantt chart: tasks in source order and the axis settings.

    axis_format: a d3 time format (`%m/%d`), '' for the layout's choice. tick_interval:
    (count, unit) from `tickInterval`, None for automatic ticks. weekday: the day weeks
    start on for weekly ticks.
    """

    title: str = ""
    tasks: list[GanttTask] = field(default_factory=list)
    date_format: str = DEFAULT_DATE_FORMAT
    axis_format: str = ""
    tick_interval: tuple[int, str] | None = None
    top_axis: bool = False
    weekday: str = "sunday"

    @property
    def sections(self) -> list[str]:
        """Section names in order of first use by a task ('' is not a section)."""
        names: list[str] = []
        for task in self.tasks:
            if task.section and task.section not in names:
                names.append(task.section)
        return names

    def texts(self) -> list[str]:
        """Every text a reader must find in the drawing: title, section and task names."""
        return [t for t in [self.title, *self.sections, *(task.name for task in self.tasks)] if t]


@dataclass
class _RawTask:
    """A task line before its times are worked out: the texts of its start and end."""

    name: str
    id: str
    section: str
    tags: set[str]
    start: str | None  # None: where the task above ends
    end: str
    line: int


def parse_gantt(source: str) -> Gantt:
    """Read the source of a ```` ```mermaid ```` block that starts with `gantt`.

    Raises MermaidError with the 1-based line of the first statement it cannot read
    or the first task whose times cannot be worked out.
    """
    return _GanttReader().read(source)


class _GanttReader:
    """Collects settings and raw tasks line by line, then resolves every task's times."""

    def __init__(self) -> None:
        self.gantt = Gantt()
        self.section = ""
        self.inclusive_end = False
        self.raw: list[_RawTask] = []
        self.auto_ids = 0

    def read(self, source: str) -> Gantt:
        lines = iter(body_lines(source, _HEADER, "gantt"))
        for line, text in lines:
            if skip_accessibility(text, line, lines):
                continue
            keyword = _KEYWORD.match(text)
            if keyword:
                self.setting(keyword["key"].lower(), (keyword["value"] or "").strip(), line)
                continue
            task = _TASK.match(text)
            if not task:
                raise MermaidError(line, f"cannot read {quoted(text)}: a task is written 'name :start, end'")
            self.task(task["name"], task["data"], line)
        if not self.raw:
            raise MermaidError(1, "the gantt chart has no tasks")
        self.gantt.tasks = _Resolver(self.raw, self.gantt.date_format, self.inclusive_end).tasks()
        return self.gantt

    def setting(self, key: str, value: str, line: int) -> None:
        """One keyword line: the settings that change the chart, and those accepted as they are."""
        if key == "dateformat":
            if not value:
                raise MermaidError(line, "dateFormat needs a format such as YYYY-MM-DD")
            self.gantt.date_format = value
        elif key == "axisformat":
            self.gantt.axis_format = value
        elif key == "tickinterval":
            match = _TICK_INTERVAL.match(value)
            if not match:
                raise MermaidError(line, f"tickInterval {quoted(value)}: expected a number and one of "
                                         f"{', '.join(TICK_UNITS)}")
            self.gantt.tick_interval = (int(match["count"]), match["unit"])
        elif key == "title":
            self.gantt.title = clean_label(value)
        elif key == "section":
            if not value:
                raise MermaidError(line, "section needs a name")
            self.section = clean_label(value)
        elif key == "weekday":
            if value.lower() not in WEEKDAYS:
                raise MermaidError(line, f"weekday {quoted(value)}: expected a day such as monday")
            self.gantt.weekday = value.lower()
        elif key == "inclusiveenddates":
            self.inclusive_end = True
        elif key == "topaxis":
            self.gantt.top_axis = True
        # excludes, includes, todayMarker, weekend, click, accDescription: nothing to draw

    def task(self, name: str, data: str, line: int) -> None:
        """`이름 :done, a1, 2024-01-01, 3d` and its shorter forms."""
        items = [item.strip() for item in data.split(",")]
        tags = set()
        while items and items[0] in TAGS:
            tags.add(items.pop(0))
        if len(items) == 1:
            task_id, start, end = None, None, items[0]
        elif len(items) == 2:
            task_id, (start, end) = None, items
        elif len(items) == 3:
            task_id, start, end = items
        else:
            raise MermaidError(line, f"task {quoted(name.strip())} has {len(items)} items after its tags; "
                                     "expected [id,] [start,] end or duration")
        if not end:
            raise MermaidError(line, f"task {quoted(name.strip())} needs an end date or a duration")
        if start is not None and not start:
            raise MermaidError(line, f"task {quoted(name.strip())} has an empty start")
        if not task_id:
            self.auto_ids += 1
            task_id = f"task{self.auto_ids}"
        self.raw.append(_RawTask(clean_label(name), task_id, self.section, tags, start, end, line))


class _Resolver:
    """Works out start and end times, task by task, as often as `after`/`until` references need."""

    def __init__(self, raw: list[_RawTask], date_format: str, inclusive_end: bool) -> None:
        self.raw = raw
        self.date_format = date_format
        self.inclusive_end = inclusive_end
        self.index = {task.id: i for i, task in enumerate(raw)}  # a later task with the same id wins
        self.times: dict[int, tuple[datetime, datetime]] = {}

    def tasks(self) -> list[GanttTask]:
        for task in self.raw:
            for task_id in self.references(task):
                if task_id not in self.index:
                    raise MermaidError(task.line, f"task {quoted(task.name)} refers to {task_id!r}, "
                                                  "which no task has as its id")
        pending = list(range(len(self.raw)))
        while pending:
            waiting = [i for i in pending if not self.resolve(i)]
            if len(waiting) == len(pending):
                task = self.raw[waiting[0]]
                raise MermaidError(task.line, f"task {quoted(task.name)} waits for tasks that wait for it in turn")
            pending = waiting
        return [
            GanttTask(task.name, task.id, task.section, *self.times[i], *(tag in task.tags for tag in TAGS),
                      line=task.line)
            for i, task in enumerate(self.raw)
        ]

    @staticmethod
    def references(task: _RawTask) -> list[str]:
        """The ids an `after` start or an `until` end names."""
        ids = []
        for pattern, text in ((_AFTER, task.start or ""), (_UNTIL, task.end)):
            match = pattern.match(text)
            if match:
                ids += match["ids"].split()
        return ids

    def resolve(self, i: int) -> bool:
        """Work out task i's times; False while a task it depends on is not worked out yet."""
        task = self.raw[i]
        try:
            start = self.start(i, task)
            if start is None:
                return False
            end = self.end(task, start)
            if end is None:
                return False
        except (OverflowError, ValueError):
            raise MermaidError(task.line, f"task {quoted(task.name)} has a time outside the years 1–9999") from None
        if end < start:
            raise MermaidError(task.line, f"task {quoted(task.name)} ends before it starts")
        self.times[i] = (start, end)
        return True

    def start(self, i: int, task: _RawTask) -> datetime | None:
        if task.start is None:
            if i == 0:
                raise MermaidError(task.line, f"task {quoted(task.name)} is the first task, so it needs a start date")
            return self.times[i - 1][1] if i - 1 in self.times else None
        after = _AFTER.match(task.start)
        if after:
            ends = [self.times.get(self.index[task_id]) for task_id in after["ids"].split()]
            return None if None in ends else max(end for _, end in ends)
        date = parse_date(task.start, self.date_format)
        if date is None:
            raise MermaidError(task.line, f"task {quoted(task.name)}: cannot read the start {quoted(task.start)} "
                                          f"as a date in the format {self.date_format!r}")
        return date

    def end(self, task: _RawTask, start: datetime) -> datetime | None:
        until = _UNTIL.match(task.end)
        if until:
            starts = [self.times.get(self.index[task_id]) for task_id in until["ids"].split()]
            return None if None in starts else min(begin for begin, _ in starts)
        date = parse_date(task.end, self.date_format, strict=True)
        if date is not None:
            return date + timedelta(days=1) if self.inclusive_end else date
        duration = _DURATION.match(task.end)
        if duration:
            return add_duration(start, float(duration["amount"]), duration["unit"])
        date = parse_date(task.end, self.date_format)
        if date is None:
            raise MermaidError(task.line, f"task {quoted(task.name)}: cannot read the end {quoted(task.end)} "
                                          f"as a date ({self.date_format}) or a duration such as 3d")
        return date + timedelta(days=1) if self.inclusive_end else date


def add_duration(start: datetime, amount: float, unit: str) -> datetime:
    """start plus a Mermaid duration, as dayjs adds it: whole days for d and w, whole months for M and y."""
    if unit in ("d", "w"):
        return start + timedelta(days=math.floor(amount * (7 if unit == "w" else 1) + 0.5))
    if unit in ("M", "y"):
        return add_months(start, int(amount) * (12 if unit == "y" else 1))
    seconds = {"ms": 0.001, "s": 1, "m": 60, "h": 3600}[unit]
    return start + timedelta(seconds=amount * seconds)


def add_months(moment: datetime, months: int) -> datetime:
    """moment moved by whole months, its day held to the last day of a shorter month."""
    index = moment.year * 12 + moment.month - 1 + months
    year, month = divmod(index, 12)
    day = min(moment.day, calendar.monthrange(year, month + 1)[1]) if 1 <= year <= 9999 else moment.day
    return moment.replace(year=year, month=month + 1, day=day)


# --- dates in dayjs formats -------------------------------------------------------------

_FORMAT_TOKEN = re.compile(
    r"\[[^\]]*\]|YYYY|YY|MMMM|MMM|MM|M|Do|DD|D|HH|H|hh|h|mm|m|ss|s|SSS|SS|S|A|a|X|x|.", re.DOTALL
)
_TOKEN_PARTS = {
    "YYYY": ("year", r"\d{4}"), "YY": ("short_year", r"\d{2}"),
    "MMMM": ("month_name", r"[A-Za-z]+"), "MMM": ("month_name", r"[A-Za-z]{3}"),
    "MM": ("month", r"\d{2}"), "M": ("month", r"\d{1,2}"),
    "Do": ("day", r"\d{1,2}"), "DD": ("day", r"\d{2}"), "D": ("day", r"\d{1,2}"),
    "HH": ("hour", r"\d{2}"), "H": ("hour", r"\d{1,2}"), "hh": ("hour12", r"\d{2}"), "h": ("hour12", r"\d{1,2}"),
    "mm": ("minute", r"\d{2}"), "m": ("minute", r"\d{1,2}"), "ss": ("second", r"\d{2}"), "s": ("second", r"\d{1,2}"),
    "SSS": ("millisecond", r"\d{3}"), "SS": ("centisecond", r"\d{2}"), "S": ("decisecond", r"\d"),
    "A": ("meridiem", r"[AaPp][Mm]"), "a": ("meridiem", r"[AaPp][Mm]"),
    "X": ("unix", r"-?\d{1,12}(?:\.\d{1,6})?"), "x": ("unix_ms", r"-?\d{1,15}"),
}


@functools.lru_cache(maxsize=64)
def _date_pattern(date_format: str) -> tuple[re.Pattern, tuple[str, ...]]:
    """A regular expression for a dayjs format and the part each of its groups holds."""
    pattern, parts = [], []
    for token in _FORMAT_TOKEN.findall(date_format.strip()):
        if token in _TOKEN_PARTS:
            part, expression = _TOKEN_PARTS[token]
            pattern.append(f"({expression})" + (r"(?:st|nd|rd|th)" if token == "Do" else ""))
            parts.append(part)
        else:
            pattern.append(re.escape(token[1:-1] if token.startswith("[") and len(token) > 1 else token))
    return re.compile("".join(pattern)), tuple(parts)


def parse_date(text: str, date_format: str, strict: bool = False) -> datetime | None:
    """text read with a dayjs format (`YYYY-MM-DD`, `HH:mm`, `X`); unless strict, ISO dates too.

    None when it is not a date (or not a real one, such as 2024-02-30).
    """
    text = text.strip()
    pattern, parts = _date_pattern(date_format)
    match = pattern.fullmatch(text)
    if match:
        date = _assemble(dict(zip(parts, match.groups())))
        if date is not None or strict:
            return date
    elif strict:
        return None
    iso = _ISO_DATE.match(text)
    return _assemble({k: v for k, v in iso.groupdict().items() if v is not None}) if iso else None


def _assemble(values: dict[str, str]) -> datetime | None:
    """The datetime the parsed parts describe; None when they describe no real moment."""
    try:
        if "unix" in values:
            return _EPOCH + timedelta(seconds=float(values["unix"]))
        if "unix_ms" in values:
            return _EPOCH + timedelta(milliseconds=int(values["unix_ms"]))
        year = int(values["year"]) if "year" in values else 1970
        if "short_year" in values:
            short = int(values["short_year"])
            year = short + (1900 if short > 68 else 2000)
        month = int(values.get("month", 1))
        if "month_name" in values:
            month = _MONTHS.get(values["month_name"].lower(), 0)
        hour = int(values.get("hour", 0))
        if "hour12" in values:
            hour = int(values["hour12"])
            if not 1 <= hour <= 12:
                return None
            hour = hour % 12 + (12 if values.get("meridiem", "am").lower() == "pm" else 0)
        microsecond = (int(values.get("millisecond", 0)) * 1000 + int(values.get("centisecond", 0)) * 10000
                       + int(values.get("decisecond", 0)) * 100000)
        return datetime(year, month, int(values.get("day", 1)), hour, int(values.get("minute", 0)),
                        int(values.get("second", 0)), microsecond)
    except (ValueError, OverflowError):
        return None
