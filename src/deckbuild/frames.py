"""Frames: the pieces of content a slide holds, and how each is fitted into a box.

A frame is text, code, a table, a picture, a diagram or a caption, placed in a
Box at a type size chosen by measurement: text and code take the largest size
of their shrink ladder that fits, tables the largest that fits their rows,
pictures and diagrams are scaled keeping their aspect. What does not fit in
one box at the smallest readable size is cut into pages (list items, sentences,
code lines, table rows), balanced so no page holds a lonely tail.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Union

from .diagrams.scene import Scene
from .document import Run, Table, plain_text
from .layouts import Box
from .measure import LINE_PITCH, Measurer, Span
from .theme import Theme

INSET = 6.0  # text frame inset on every side, points
PARAGRAPH_GAP = 0.35  # space before a paragraph, in ems of its size
LEVEL_INDENT = 24.0  # indent per list level, points
MARKER_WIDTH = 20.0  # hanging room for a bullet or number, points
CELL_INSET = 4.0  # table cell inset on every side, points
WRAP_MARK = "↪ "  # starts a code line that continues the one above
CODE_IN_TEXT = 0.85  # a code paragraph inside text is set this much smaller than the text
STRAY_CHARACTERS = 60  # text shorter than this never takes a slide of its own


@dataclass(frozen=True)
class TextEntry:
    """One paragraph as it will be written: runs, indent level, marker and role.

    role is 'body', 'subheading', 'quote' or 'code'.
    """

    runs: tuple[Run, ...]
    level: int = 0
    marker: str = ""
    role: str = "body"
    centered: bool = False


@dataclass(frozen=True)
class TextFrame:
    box: Box
    entries: tuple[TextEntry, ...]
    size: float


@dataclass(frozen=True)
class CodeFrame:
    box: Box
    language: str
    lines: tuple[str, ...]
    size: float


@dataclass(frozen=True)
class TableFrame:
    """A table drawn from box's top-left corner; its rows take sum(row_heights)."""

    box: Box
    header: tuple[tuple[Run, ...], ...]
    rows: tuple[tuple[tuple[Run, ...], ...], ...]
    column_widths: tuple[float, ...]
    row_heights: tuple[float, ...]
    size: float


@dataclass(frozen=True)
class PictureFrame:
    box: Box
    path: Path
    alt: str


@dataclass(frozen=True)
class DiagramFrame:
    """A Mermaid diagram as native shapes: its Scene at box's corner, scaled by scale."""

    box: Box
    scene: Scene
    scale: float
    alt_text: str

    @property
    def text_size(self) -> float:
        """The diagram's type size as it shows on the slide."""
        return self.scene.font_size * self.scale


@dataclass(frozen=True)
class BackdropFrame:
    """Background pictures: the whole slide's background (whole), or filling box; side by side in
    equal columns, each (path, fit) cut to fill its column ("cover") or shown whole in it ("contain")."""

    box: Box
    pictures: tuple[tuple[Path, str], ...]
    alt: str
    whole: bool


@dataclass(frozen=True)
class CalloutStyle:
    """How a callout box looks: fill, left bar (colour and width in points) and text colour; None
    where its stylesheet says nothing."""

    fill: str | None = None
    border: str | None = None
    border_width: float | None = None
    color: str | None = None

    def over(self, base: "CalloutStyle") -> "CalloutStyle":
        """This style with base filling in what it does not say."""
        mine, theirs = (self.fill, self.border, self.border_width, self.color), (base.fill, base.border, base.border_width, base.color)
        return CalloutStyle(*(own if own is not None else other for own, other in zip(mine, theirs)))


@dataclass(frozen=True)
class CalloutFrame:
    """Text in a filled box with a bar down its left side; the box hugs the text."""

    box: Box
    entries: tuple[TextEntry, ...]
    size: float
    style: CalloutStyle

    @property
    def text_box(self) -> Box:
        """Where the text goes: the box right of the bar."""
        bar = self.style.border_width or 0.0
        return replace(self.box, x=self.box.x + bar, width=self.box.width - bar)


@dataclass(frozen=True)
class CaptionFrame:
    """One muted line under a visual: a picture's alt text, or why a diagram shows as source."""

    box: Box
    text: str
    size: float


Frame = Union[TextFrame, CodeFrame, TableFrame, PictureFrame, DiagramFrame, CaptionFrame, CalloutFrame]
VISUAL_FRAMES = (CodeFrame, TableFrame, PictureFrame, DiagramFrame, CalloutFrame)


def ladder(start: float, floor: float) -> list[float]:
    """Sizes from start down to floor in 2-point steps (both included)."""
    sizes = []
    size = start
    while size > floor:
        sizes.append(size)
        size -= 2
    return sizes + [floor]


def is_stray(entries) -> bool:
    """Text too slight for a slide of its own: under STRAY_CHARACTERS characters, spaces aside."""
    return sum(len("".join(plain_text(e.runs).split())) for e in entries) < STRAY_CHARACTERS


def caption_height(size: float) -> float:
    """Height of a one-line caption box."""
    return LINE_PITCH * size + 2 * INSET


class FrameFitter:
    """Measures and fits frames into boxes with one theme's sizes and font metrics."""

    def __init__(self, theme: Theme, measure: Measurer) -> None:
        self.sizes = theme.sizes
        self.measure = measure
        self.body_ladder = ladder(self.sizes.body, self.sizes.min_body)
        # the composer measures the same text and code in many candidate layouts: remember them
        self._entry_heights: dict[tuple, float] = {}
        self._code_lines: dict[tuple, list[str]] = {}

    # --- text ---------------------------------------------------------------

    def entry_height(self, entry: TextEntry, size: float, width: float) -> float:
        key = (entry, size, width)
        if key not in self._entry_heights:
            self._entry_heights[key] = self._measure_entry(entry, size, width)
        return self._entry_heights[key]

    def _measure_entry(self, entry: TextEntry, size: float, width: float) -> float:
        indent = entry.level * LEVEL_INDENT + (MARKER_WIDTH if entry.marker else 0)
        entry_size = size * CODE_IN_TEXT if entry.role == "code" else size
        spans = [Span(run.text, run.bold or entry.role == "subheading", run.code or entry.role == "code") for run in entry.runs]
        lines = self.measure.wrap(spans, width - indent - 2 * INSET, entry_size)
        return len(lines) * self.measure.line_height(entry_size) + PARAGRAPH_GAP * entry_size

    def text_height(self, entries, size: float, width: float) -> float:
        """Height of entries set at size in a box width wide, insets included."""
        return sum(self.entry_height(e, size, width) for e in entries) + 2 * INSET

    def line_count(self, entries, size: float, width: float) -> int:
        """How many lines entries take at size in a box width wide."""
        total = 0
        for entry in entries:
            entry_size = size * CODE_IN_TEXT if entry.role == "code" else size
            paragraph_gap = PARAGRAPH_GAP * entry_size
            total += round((self.entry_height(entry, size, width) - paragraph_gap) / self.measure.line_height(entry_size))
        return total

    def text_size(self, entries, box: Box, sizes: list[float] | None = None) -> float | None:
        """The largest size (of the body ladder, or sizes) at which entries fit box, or None."""
        for size in sizes or self.body_ladder:
            if self.text_height(entries, size, box.width) <= box.height:
                return size
        return None

    def text_pages(self, entries: list[TextEntry], box: Box) -> list[TextFrame]:
        """entries in box at the largest size that fits; else balanced pages a step below the largest size."""
        size = self.text_size(entries, box)
        if size is not None:
            return [TextFrame(box, tuple(entries), size)]
        size = self.body_ladder[min(1, len(self.body_ladder) - 1)]
        usable = box.height - 2 * INSET
        units = _units(self._split_long_entries(entries, size, box.width, usable))
        heights = [sum(self.entry_height(e, size, box.width) for e in unit) for unit in units]
        pages = balanced_pages(heights, usable)
        return [TextFrame(box, tuple(e for unit in units[start:end] for e in unit), size) for start, end in pages]

    def _split_long_entries(self, entries: list[TextEntry], size: float, width: float, usable: float) -> list[TextEntry]:
        """Cut entries taller than a whole box into sentence groups that fit."""
        result = []
        for entry in entries:
            if self.entry_height(entry, size, width) <= usable:
                result.append(entry)
                continue
            pieces: list[TextEntry] = []
            for sentence in _sentences(entry.runs):
                candidate = replace(pieces[-1], runs=pieces[-1].runs + sentence) if pieces else None
                if candidate and self.entry_height(candidate, size, width) <= usable:
                    pieces[-1] = candidate
                else:
                    pieces.append(replace(entry, runs=sentence, marker="" if pieces else entry.marker))
            result.extend(pieces)
        return result

    def callout_pages(self, entries: list[TextEntry], box: Box, style: CalloutStyle) -> list[CalloutFrame]:
        """entries in a callout box as wide as box, as tall as its text: at the largest size that
        fits, else on balanced pages (text_pages) right of the callout's bar."""
        bar = style.border_width or 0.0
        pages = self.text_pages(entries, replace(box, x=box.x + bar, width=box.width - bar))
        return [CalloutFrame(replace(box, height=min(box.height, self.text_height(page.entries, page.size, box.width - bar))),
                             page.entries, page.size, style) for page in pages]

    # --- code ---------------------------------------------------------------

    def code_pages(self, language: str, code: str, box: Box) -> list[CodeFrame]:
        """code in box at the largest size that fits; else balanced pages at the smallest code size."""
        usable = box.height - 2 * INSET
        sizes = ladder(self.sizes.code, self.sizes.min_code)
        for size in sizes:
            lines = self.wrap_code(code, size, box.width)
            if len(lines) * self.measure.line_height(size) <= usable:
                return [CodeFrame(box, language, tuple(lines), size)]
        size = sizes[-1]
        lines = self.wrap_code(code, size, box.width)
        capacity = max(1, int(usable // self.measure.line_height(size)))
        chunks = balanced_chunks(lines, -(-len(lines) // capacity))
        return [CodeFrame(box, language, tuple(chunk), size) for chunk in chunks]

    def wrap_code(self, code: str, size: float, box_width: float) -> list[str]:
        """Code lines wrapped to the box; continuation lines start with WRAP_MARK."""
        key = (code, size, box_width)
        if key not in self._code_lines:
            self._code_lines[key] = self._wrap_code(code, size, box_width)
        return self._code_lines[key]

    def _wrap_code(self, code: str, size: float, box_width: float) -> list[str]:
        width = box_width - 2 * INSET
        lines = []
        for line in code.expandtabs(4).split("\n"):
            wrapped = self.measure.wrap([Span(line, mono=True)], width, size) if line else [""]
            if len(wrapped) > 1:  # re-wrap the tail leaving room for the continuation mark
                mark_width = self.measure.width(WRAP_MARK, size, mono=True)
                tail = line[len(wrapped[0]):].lstrip(" ")
                rest = self.measure.wrap([Span(tail, mono=True)], width - mark_width, size)
                wrapped = [wrapped[0], *(WRAP_MARK + part for part in rest)]
            lines.extend(wrapped)
        return lines

    def code_height(self, frame: CodeFrame) -> float:
        """The height frame's lines need, insets included."""
        return len(frame.lines) * self.measure.line_height(frame.size) + 2 * INSET

    # --- tables -------------------------------------------------------------

    def table_pages(self, table: Table, box: Box) -> list[TableFrame]:
        """table in box at the largest size whose rows fit; else pages of rows with the header repeated."""
        rows = list(table.rows)
        columns = max(len(table.header), *(len(r) for r in rows)) if rows else len(table.header)
        header = _pad(table.header, columns)
        rows = [_pad(row, columns) for row in rows]
        sizes = ladder(self.sizes.table, self.sizes.min_table)
        for size in sizes:
            widths = self._column_widths([header, *rows], size, box.width)
            heights = [self._row_height(row, widths, size, bold=i == 0) for i, row in enumerate([header, *rows])]
            if sum(heights) <= box.height:
                return [TableFrame(box, header, tuple(rows), widths, tuple(heights), size)]
        size = sizes[-1]
        widths = self._column_widths([header, *rows], size, box.width)
        header_height = self._row_height(header, widths, size, bold=True)
        row_heights = [self._row_height(row, widths, size) for row in rows]
        pages = balanced_pages(row_heights, box.height - header_height)
        return [
            TableFrame(box, header, tuple(rows[start:end]), widths, (header_height, *row_heights[start:end]), size)
            for start, end in pages
        ]

    def _column_widths(self, rows: list[tuple], size: float, total: float) -> tuple[float, ...]:
        """Widths proportional to each column's longest cell, never under a fair minimum."""
        columns = len(rows[0])
        natural = [
            max(self.measure.width(plain_text(row[c]), size, bold=any(r.bold for r in row[c])) for row in rows) + 2 * CELL_INSET
            for c in range(columns)
        ]
        if sum(natural) <= total:
            spare = (total - sum(natural)) / columns
            return tuple(w + spare for w in natural)
        floor = total / columns * 0.5
        capped = [max(floor, w) for w in natural]
        scale = total / sum(capped)
        return tuple(w * scale for w in capped)

    def _row_height(self, row: tuple, widths: tuple[float, ...], size: float, bold: bool = False) -> float:
        tallest = 1
        for cell, width in zip(row, widths):
            spans = [Span(run.text, bold or run.bold, run.code) for run in cell]
            tallest = max(tallest, len(self.measure.wrap(spans, width - 2 * CELL_INSET, size)))
        return tallest * self.measure.line_height(size) + 2 * CELL_INSET

    # --- pictures and diagrams ------------------------------------------------

    @staticmethod
    def picture(path: Path, alt: str, natural: tuple[float, float], box: Box,
                asked: tuple[float | None, float | None] = (None, None)) -> PictureFrame:
        """The picture scaled to fill box keeping its aspect, centred; with an asked width or height
        (points), at that size unless box is smaller."""
        width, height = natural
        scale = min(box.width / width, box.height / height)
        wanted = [size / own for size, own in zip(asked, natural) if size]
        if wanted:
            scale = min(scale, *wanted)
        return PictureFrame(box.centred(width * scale, height * scale), path, alt)

    @staticmethod
    def diagram(scene: Scene, box: Box, largest_scale: float, alt_text: str) -> DiagramFrame:
        """The scene scaled to fill box keeping its aspect (never beyond largest_scale), centred."""
        scale = min(box.width / scene.width, box.height / scene.height, largest_scale)
        return DiagramFrame(box.centred(scene.width * scale, scene.height * scale), scene, scale, alt_text)


# --- helpers --------------------------------------------------------------


def code_line_pieces(line: str, colours, muted: str) -> list[tuple[str, str]]:
    """A planned code line as (text, colour) pieces: a continuation's WRAP_MARK in muted, the rest as
    colours (code_style.token_colours) says; an empty line has none."""
    pieces = [(WRAP_MARK, muted)] if line.startswith(WRAP_MARK) else []
    pieces.extend(colours(line[len(WRAP_MARK):] if pieces else line))
    return pieces


def balanced_pages(heights: list[float], capacity: float) -> list[tuple[int, int]]:
    """Consecutive items cut into the fewest pages of at most capacity, evened out.

    The page count is the greedy minimum. The items are then cut where their
    running height is nearest each page's even share; if that overfills a page,
    they are filled greedily to the smallest page height that keeps the count
    (found by bisection). Either way a continuation never holds a lone line
    while the page before it is full. An item taller than capacity gets a page
    of its own.
    """
    count = len(_greedy_pages(heights, capacity))
    if count <= 1:
        return [(0, len(heights))]
    even = _even_cuts(heights, count)
    if all(sum(heights[start:end]) <= capacity for start, end in even):
        return even
    low, high = max(min(max(heights), capacity), sum(heights) / count), capacity
    while high - low > 0.5:
        middle = (low + high) / 2
        if len(_greedy_pages(heights, middle)) <= count:
            high = middle
        else:
            low = middle
    return _greedy_pages(heights, high)


def _even_cuts(heights: list[float], count: int) -> list[tuple[int, int]]:
    """count pages cut where the running height is nearest k/count of the total."""
    running, total = [0.0], sum(heights)
    for height in heights:
        running.append(running[-1] + height)
    cuts = [0]
    for k in range(1, count):
        first, last = cuts[-1] + 1, len(heights) - (count - k)
        target = total * k / count
        cuts.append(min(range(first, last + 1), key=lambda j: abs(running[j] - target)))
    cuts.append(len(heights))
    return list(zip(cuts, cuts[1:]))


def _greedy_pages(heights: list[float], capacity: float) -> list[tuple[int, int]]:
    pages: list[tuple[int, int]] = []
    start, used = 0, 0.0
    for index, height in enumerate(heights):
        if index > start and used + height > capacity:
            pages.append((start, index))
            start, used = index, 0.0
        used += height
    pages.append((start, len(heights)))
    return pages


def balanced_chunks(items: list, count: int) -> list[list]:
    """items cut into count consecutive chunks whose lengths differ by at most one (no lonely tail)."""
    size, extra = divmod(len(items), count)
    chunks, start = [], 0
    for index in range(count):
        end = start + size + (1 if index < extra else 0)
        chunks.append(items[start:end])
        start = end
    return chunks


def _units(entries: list[TextEntry]) -> list[list[TextEntry]]:
    """Entries grouped so a sub-item never leaves its parent and a sub-heading never ends a page:
    each level-0 entry starts a unit, except one right after a sub-heading."""
    units: list[list[TextEntry]] = []
    for entry in entries:
        if units and (entry.level > 0 or units[-1][-1].role == "subheading"):
            units[-1].append(entry)
        else:
            units.append([entry])
    return units


_SENTENCE_END = re.compile(r"(?<=[.!?。])\s+|(?<=다\.)\s*|(?<=요\.)\s*")


def _sentences(runs: tuple[Run, ...]) -> list[tuple[Run, ...]]:
    """Split runs at sentence ends, keeping each run's style."""
    sentences: list[list[Run]] = [[]]
    for run in runs:
        pieces = [p for p in _SENTENCE_END.split(run.text) if p]
        for index, piece in enumerate(pieces):
            if index > 0:
                sentences.append([])
            sentences[-1].append(replace(run, text=piece + (" " if index < len(pieces) - 1 else "")))
    return [tuple(s) for s in sentences if s]


def _pad(row: tuple, columns: int) -> tuple:
    return tuple(row) + ((),) * (columns - len(row))
