"""Document → DeckPlan: the slides of one session, each fitted to the page before writing.

Every H2 and H3 starts a section; its prose and lists fill text slides, and each
code block, table, image and diagram gets a slide of its own. Sizes come from a
shrink ladder (largest size that fits), then content continues on `(계속)`
slides, split between list items, sentences, code lines or table rows. The
writer only places what the plan says, at the sizes the plan chose.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Union

from . import i18n
from .course import Day, Session
from .diagnostics import Diagnostic, Severity
from .discussion import SessionDiscussion, find_discussion
from .document import (
    Block,
    CodeBlock,
    Diagram,
    Document,
    Heading,
    Image,
    ListBlock,
    Paragraph,
    Quote,
    Rule,
    Run,
    Table,
    block_text,
    plain_text,
)
from .images import image_size, resolve_image
from .diagrams.cache import SceneCache
from .diagrams.model import MermaidError
from .diagrams.scene import Scene
from .measure import LINE_PITCH, Measurer, Span
from .theme import Theme

POINTS_PER_INCH = 72
INSET = 6.0  # text frame inset on every side, points
PARAGRAPH_GAP = 0.35  # space before a paragraph, in ems of its size
LEVEL_INDENT = 24.0  # indent per list level, points
MARKER_WIDTH = 20.0  # hanging room for a bullet or number, points
CELL_INSET = 4.0  # table cell inset on every side, points
WRAP_MARK = "↪ "  # starts a code line that continues the one above


def caption_height(size: float) -> float:
    """Height of the one-line caption under a code or diagram box."""
    return LINE_PITCH * size + 2 * INSET


@dataclass(frozen=True)
class Box:
    """A rectangle in points from the slide's top-left corner."""

    x: float
    y: float
    width: float
    height: float


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
class TitleSlide:
    title: str
    subtitle: str
    notes: str


@dataclass(frozen=True)
class TextSlide:
    title: str
    entries: tuple[TextEntry, ...]
    size: float
    notes: str


@dataclass(frozen=True)
class CodeSlide:
    title: str
    language: str
    lines: tuple[str, ...]
    size: float
    notes: str
    caption: str = ""


@dataclass(frozen=True)
class TableSlide:
    title: str
    header: tuple[tuple[Run, ...], ...]
    rows: tuple[tuple[tuple[Run, ...], ...], ...]
    column_widths: tuple[float, ...]
    row_heights: tuple[float, ...]
    size: float
    notes: str


@dataclass(frozen=True)
class ImageSlide:
    title: str
    path: Path
    alt: str
    box: Box
    notes: str


@dataclass(frozen=True)
class DiagramSlide:
    """A Mermaid diagram as native shapes: its Scene placed at (x, y) and scaled."""

    title: str
    scene: Scene
    x: float
    y: float
    scale: float
    alt_text: str
    notes: str


@dataclass(frozen=True)
class DiscussionSlide:
    title: str
    entries: tuple[TextEntry, ...]
    size: float
    notes: str


Slide = Union[TitleSlide, TextSlide, CodeSlide, TableSlide, ImageSlide, DiagramSlide, DiscussionSlide]


@dataclass(frozen=True)
class DeckPlan:
    """Everything the deck writer needs: slides in order, the theme's geometry, the language."""

    title: str
    language: str
    slides: tuple[Slide, ...]
    title_box: Box
    content_box: Box
    cover_title_box: Box
    title_sizes: tuple[float, ...]
    diagnostics: tuple[Diagnostic, ...] = field(default=(), compare=False)


@dataclass
class _Section:
    heading: Heading | None
    parents: list[Heading]
    blocks: list[Block]


def _ladder(start: float, floor: float) -> list[float]:
    """Sizes from start down to floor in 2-point steps (both included)."""
    sizes = []
    size = start
    while size > floor:
        sizes.append(size)
        size -= 2
    return sizes + [floor]


class Planner:
    """Plans one session's deck; holds the theme, metrics and slide geometry."""

    def __init__(self, theme: Theme, language: str, scenes: SceneCache | None = None, course_root: Path | None = None) -> None:
        self.theme = theme
        self.language = language
        self.course_root = course_root
        self.scenes = scenes or SceneCache(None, "")
        self.measure = Measurer(theme.fonts.metrics_body, theme.fonts.metrics_mono)
        slide = theme.slide
        width = slide.width * POINTS_PER_INCH
        height = slide.height * POINTS_PER_INCH
        margin = slide.margin * POINTS_PER_INCH
        self.title_box = Box(margin, margin * 0.5, width - 2 * margin, slide.title_height * POINTS_PER_INCH)
        top = self.title_box.y + self.title_box.height + margin * 0.3
        self.content_box = Box(margin, top, width - 2 * margin, height - top - margin * 0.6)
        self.cover_title_box = Box(margin, height * 0.28, width - 2 * margin, height * 0.3)
        self.dense_box = Box(margin * 0.4, top - margin * 0.2, width - margin * 0.8, height - top + margin * 0.2 - margin * 0.3)
        self.diagnostics: list[Diagnostic] = []

    def text(self, key: str, **values: object) -> str:
        return i18n.text(self.language, key, **values)

    # --- the deck -------------------------------------------------------

    def plan(self, document: Document, course_title: str, day: Day, session: Session) -> DeckPlan:
        discussion = find_discussion(document)
        sections = _sections(document, discussion)
        slides: list[Slide] = [self._title_slide(document, course_title, session)]
        slides.extend(self._agenda_slides(document))
        pending: list[Heading] = []
        for section in sections:
            section_slides = self._section_slides(section, document)
            if not section_slides:
                pending.extend(section.parents[-1:] if section.heading is None else [section.heading])
                continue
            own = [section.heading] if section.heading else []
            text = "\n".join(block_text(b) for b in section.blocks if not isinstance(b, (CodeBlock, Diagram)))
            first_notes = self._heading_notes([*pending, *own]) + text
            later_notes = self._heading_notes(own).strip()
            section_slides = [replace(s, notes=first_notes if i == 0 else later_notes) for i, s in enumerate(section_slides)]
            pending = []
            slides.extend(section_slides)
        slides.extend(self._discussion_slides(document, day, session, discussion, pending))
        title_sizes = tuple(
            self._title_size(s.title, self.cover_title_box if isinstance(s, TitleSlide) else self.title_box) for s in slides
        )
        return DeckPlan(
            document.title, self.language, tuple(slides), self.title_box, self.content_box, self.cover_title_box,
            title_sizes, tuple(self.diagnostics),
        )

    def _title_size(self, title: str, box: Box) -> float:
        """The largest title size (down to the body minimum) at which the title fits its box."""
        ladder = _ladder(self.theme.sizes.title, self.theme.sizes.min_body)
        for size in ladder:
            lines = self.measure.wrap([Span(title, bold=True)], box.width - 2 * INSET, size)
            if len(lines) * self.measure.line_height(size) <= box.height - 2 * INSET:
                return size
        return ladder[-1]

    def _title_slide(self, document: Document, course_title: str, session: Session) -> TitleSlide:
        total = sum(h.minutes or 0 for h in document.headings(2))
        parts = [course_title]
        if session.week is not None and session.day is not None:
            parts.append(self.text("week_day", week=session.week, day=session.day))
        if total:
            parts.append(self.text("total_minutes", n=total))
        subtitle = " · ".join(p for p in parts if p)
        return TitleSlide(document.title, subtitle, subtitle)

    def _agenda_slides(self, document: Document) -> list[Slide]:
        entries = []
        for heading in document.headings(2):
            label = heading.title
            if heading.minutes:
                label += f" ({self.text('minutes', n=heading.minutes)})"
            entries.append(TextEntry((Run(label),), marker="•"))
        if not entries:
            return []
        return self._fit_entries(self.text("agenda"), entries, notes="")

    def _heading_notes(self, headings: list[Heading]) -> str:
        lines = []
        for heading in headings:
            line = heading.title
            if heading.minutes:
                line += " — " + self.text("notes_minutes", n=heading.minutes)
            lines.append(line)
        return "\n".join(lines) + ("\n\n" if lines else "")

    # --- sections ---------------------------------------------------------

    def _section_slides(self, section: _Section, document: Document) -> list[Slide]:
        title = section.heading.title if section.heading else document.title
        slides: list[Slide] = []
        text_blocks: list[Block] = []

        def flush_text() -> None:
            if text_blocks:
                entries = [entry for block in text_blocks for entry in self._entries(block, 0)]
                if entries:
                    slides.extend(self._fit_entries(title, entries, ""))
                text_blocks.clear()

        for block in section.blocks:
            if isinstance(block, (Paragraph, ListBlock, Quote, Heading)):
                text_blocks.append(block)
            elif isinstance(block, Rule):
                continue
            else:
                flush_text()
                slides.extend(self._media_slides(title, block, document.path))
        flush_text()
        return _continued_titles(slides, self.text("continued"))

    def _media_slides(self, title: str, block: Block, source: Path) -> list[Slide]:
        if isinstance(block, CodeBlock):
            return self._code_slides(title, block.language, block.text)
        if isinstance(block, Diagram):
            return self._diagram_slides(title, block, source)
        if isinstance(block, Table):
            return self._table_slides(title, block)
        if isinstance(block, Image):
            return self._image_slides(title, block, source)
        return []

    # --- text -------------------------------------------------------------

    def _entries(self, block: Block, level: int) -> list[TextEntry]:
        """Blocks → writer paragraphs: `**라벨**: 값` becomes a bullet, bold-only a sub-heading."""
        if isinstance(block, Heading):
            return [TextEntry((Run(block.title, bold=True),), level, role="subheading")]
        if isinstance(block, Paragraph):
            runs = tuple(run if not run.image else Run(f"[{run.text}]", italic=True) for run in block.runs)
            if _is_bold_only(runs):
                return [TextEntry(runs, level, role="subheading", centered=block.centered)]
            if _is_label_line(runs):
                return [TextEntry(runs, level, marker="•")]
            return [TextEntry(runs, level, centered=block.centered)]
        if isinstance(block, ListBlock):
            entries = []
            for number, item in enumerate(block.items, start=block.start):
                marker = _list_marker(block, number, level, item.checked)
                for index, child in enumerate(item.blocks):
                    child_entries = self._entries(child, level + 1 if isinstance(child, ListBlock) else level)
                    if index == 0 and child_entries and not isinstance(child, ListBlock):
                        first = child_entries[0]
                        child_entries[0] = replace(first, marker=marker, role="body")
                    entries.extend(child_entries)
            return entries
        if isinstance(block, Quote):
            return [
                replace(entry, role="quote")
                for child in block.blocks
                for entry in self._entries(child, level)
            ]
        if isinstance(block, CodeBlock):
            return [TextEntry((Run(block.text, code=True),), level, role="code")]
        if isinstance(block, (Table, Image, Diagram)):
            return [TextEntry((Run(block_text(block)),), level)]
        return []

    def _entry_height(self, entry: TextEntry, size: float, width: float) -> float:
        indent = entry.level * LEVEL_INDENT + (MARKER_WIDTH if entry.marker else 0)
        entry_size = size * 0.85 if entry.role == "code" else size
        spans = [Span(run.text, run.bold or entry.role == "subheading", run.code or entry.role == "code") for run in entry.runs]
        lines = self.measure.wrap(spans, width - indent - 2 * INSET, entry_size)
        return len(lines) * self.measure.line_height(entry_size) + PARAGRAPH_GAP * entry_size

    def _fit_entries(self, title: str, entries: list[TextEntry], notes: str) -> list[Slide]:
        """One slide at the largest ladder size that fits, else continuation slides."""
        box = self.content_box
        usable = box.height - 2 * INSET
        ladder = _ladder(self.theme.sizes.body, self.theme.sizes.min_body)
        for size in ladder:
            if sum(self._entry_height(e, size, box.width) for e in entries) <= usable:
                return [TextSlide(title, tuple(entries), size, notes)]
        size = ladder[min(1, len(ladder) - 1)]
        pages: list[list[TextEntry]] = [[]]
        used = 0.0
        for unit in _units(self._split_long_entries(entries, size, usable)):
            height = sum(self._entry_height(e, size, box.width) for e in unit)
            if pages[-1] and used + height > usable:
                pages.append([])
                used = 0.0
            pages[-1].extend(unit)
            used += height
        return [TextSlide(title, tuple(page), size, notes if i == 0 else "") for i, page in enumerate(pages)]

    def _split_long_entries(self, entries: list[TextEntry], size: float, usable: float) -> list[TextEntry]:
        """Cut entries taller than a whole slide into sentence groups that fit."""
        result = []
        for entry in entries:
            if self._entry_height(entry, size, self.content_box.width) <= usable:
                result.append(entry)
                continue
            pieces: list[TextEntry] = []
            for sentence in _sentences(entry.runs):
                candidate = replace(pieces[-1], runs=pieces[-1].runs + sentence) if pieces else None
                if candidate and self._entry_height(candidate, size, self.content_box.width) <= usable:
                    pieces[-1] = candidate
                else:
                    pieces.append(replace(entry, runs=sentence, marker="" if pieces else entry.marker))
            result.extend(pieces)
        return result

    # --- code -------------------------------------------------------------

    def _code_slides(self, title: str, language: str, code: str, caption: str = "") -> list[Slide]:
        box = self.content_box
        usable = box.height - 2 * INSET - (caption_height(self.theme.sizes.caption) if caption else 0)
        ladder = _ladder(self.theme.sizes.code, self.theme.sizes.min_code)
        for size in ladder:
            lines = self._wrap_code(code, size)
            if len(lines) * self.measure.line_height(size) <= usable:
                return [CodeSlide(title, language, tuple(lines), size, "", caption)]
        size = ladder[-1]
        lines = self._wrap_code(code, size)
        capacity = max(1, int(usable // self.measure.line_height(size)))
        chunks = _balanced_chunks(lines, -(-len(lines) // capacity))
        return [CodeSlide(title, language, tuple(chunk), size, "", caption) for chunk in chunks]

    def _wrap_code(self, code: str, size: float) -> list[str]:
        width = self.content_box.width - 2 * INSET
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

    # --- diagrams -----------------------------------------------------------

    def _diagram_slides(self, title: str, diagram: Diagram, source: Path) -> list[Slide]:
        """A native diagram scaled into the content area (the larger dense area when type would
        fall under the readable minimum); the Mermaid source with a note when it cannot be drawn."""
        try:
            scene = self.scenes.scene(diagram.source, diagram.kind, self.measure, self.theme.diagram)
        except MermaidError as error:
            caption = self.text("diagram_failed", kind=diagram.kind or "mermaid", reason=error.message)
            return self._code_slides(title, "text", diagram.source, caption)
        for warning in scene.warnings:
            self.diagnostics.append(Diagnostic(source, diagram.line, Severity.INFO, f"{diagram.kind}: {warning}"))
        style = self.theme.diagram
        largest = self.theme.sizes.body / style.font_size
        box = self.content_box
        scale = min(box.width / scene.width, box.height / scene.height, largest)
        if scene.font_size * scale < style.min_font_size:
            box = self.dense_box
            scale = min(box.width / scene.width, box.height / scene.height)
            if scene.font_size * scale < style.min_font_size:
                message = f"dense {diagram.kind}: its text shows at {scene.font_size * scale:.1f} pt"
                self.diagnostics.append(Diagnostic(source, diagram.line, Severity.INFO, message, "split it into smaller diagrams"))
        x = box.x + (box.width - scene.width * scale) / 2
        y = box.y + (box.height - scene.height * scale) / 2
        alt_text = f"{self.text('diagram_' + scene.kind)}: {scene.description}"
        return [DiagramSlide(title, scene, x, y, scale, alt_text, "")]

    # --- tables -----------------------------------------------------------

    def _table_slides(self, title: str, table: Table) -> list[Slide]:
        box = self.content_box
        rows = list(table.rows)
        columns = max(len(table.header), *(len(r) for r in rows)) if rows else len(table.header)
        header = _pad(table.header, columns)
        rows = [_pad(row, columns) for row in rows]
        ladder = _ladder(self.theme.sizes.table, self.theme.sizes.min_table)
        for size in ladder:
            widths = self._column_widths([header, *rows], size)
            heights = [self._row_height(row, widths, size, bold=i == 0) for i, row in enumerate([header, *rows])]
            if sum(heights) <= box.height:
                return [TableSlide(title, header, tuple(rows), widths, tuple(heights), size, "")]
        size = ladder[-1]
        widths = self._column_widths([header, *rows], size)
        header_height = self._row_height(header, widths, size, bold=True)
        pages: list[list] = [[]]
        used = header_height
        for row in rows:
            height = self._row_height(row, widths, size)
            if pages[-1] and used + height > box.height:
                pages.append([])
                used = header_height
            pages[-1].append((row, height))
            used += height
        return [
            TableSlide(title, header, tuple(r for r, _ in page), widths, (header_height, *(h for _, h in page)), size, "")
            for page in pages
        ]

    def _column_widths(self, rows: list[tuple], size: float) -> tuple[float, ...]:
        """Widths proportional to each column's longest cell, never under a fair minimum."""
        total = self.content_box.width
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

    # --- images -----------------------------------------------------------

    def _image_slides(self, title: str, image: Image, source: Path) -> list[Slide]:
        path, problem = resolve_image(image.src, source, self.course_root or source.parent)
        if problem:
            self.diagnostics.append(Diagnostic(source, image.line, Severity.WARNING, problem))
            entry = TextEntry((Run(self.text("image_missing", src=image.src), italic=True),))
            return self._fit_entries(title, [entry, TextEntry((Run(image.alt),))], "")
        width, height = image_size(path)
        box = self.content_box
        scale = min(box.width / width, box.height / height)
        fitted = Box(box.x + (box.width - width * scale) / 2, box.y + (box.height - height * scale) / 2, width * scale, height * scale)
        return [ImageSlide(title, path, image.alt, fitted, "")]

    # --- discussion -------------------------------------------------------

    def _discussion_slides(
        self, document: Document, day: Day, session: Session, discussion: SessionDiscussion | None, pending: list[Heading]
    ) -> list[Slide]:
        readme_topic = day.readme.topics.get(session.number) if day.readme else None
        questions = discussion.questions if discussion else ()
        entries: list[TextEntry] = []
        if readme_topic:
            entries.append(TextEntry((Run(self.text("readme_topic"), bold=True),), role="subheading"))
            entries.append(TextEntry((Run(readme_topic),), marker="•"))
        if questions:
            entries.append(TextEntry((Run(self.text("session_questions"), bold=True),), role="subheading"))
            entries.extend(TextEntry((Run(q),), marker=f"{i}.") for i, q in enumerate(questions, start=1))
        if not entries:
            entries.append(TextEntry((Run(self.text("general_prompt")),), marker="•"))
        title = self.text("discussion_title")
        minutes = discussion.minutes if discussion else None
        if minutes:
            title += f" ({self.text('minutes', n=minutes)})"
        notes = self._heading_notes(pending)
        if not readme_topic:
            notes += self.text("no_readme_topic" if questions else "no_topic_at_all") + "\n"
        if discussion:
            notes += self._heading_notes([discussion.heading])
            notes += "\n".join(block_text(b) for b in discussion.blocks)
        slides = self._fit_entries(title, entries, notes)
        return [DiscussionSlide(s.title, s.entries, s.size, s.notes) for s in slides]


# --- helpers --------------------------------------------------------------


def _sections(document: Document, discussion: SessionDiscussion | None) -> list[_Section]:
    """Cut the document at H2 and H3 headings; the discussion section is left out (it has its own slide)."""
    skipped = set()
    if discussion:
        start = document.blocks.index(discussion.heading)
        skipped = set(range(start, start + 1 + len(discussion.blocks)))
    sections: list[_Section] = [_Section(None, [], [])]
    parents: list[Heading] = []
    for index, block in enumerate(document.blocks):
        if index in skipped or (isinstance(block, Heading) and block.level == 1):
            continue
        if isinstance(block, Heading) and block.level <= 3:
            parents = [p for p in parents if p.level < block.level] + [block]
            sections.append(_Section(block, list(parents), []))
        else:
            sections[-1].blocks.append(block)
    return sections


def _continued_titles(slides: list[Slide], word: str) -> list[Slide]:
    """Every slide after a section's first is titled `제목 (계속)`."""
    return [slide if i == 0 else replace(slide, title=f"{slide.title} ({word})") for i, slide in enumerate(slides)]


def _balanced_chunks(items: list, count: int) -> list[list]:
    """items cut into count consecutive chunks whose lengths differ by at most one (no lonely tail)."""
    size, extra = divmod(len(items), count)
    chunks, start = [], 0
    for index in range(count):
        end = start + size + (1 if index < extra else 0)
        chunks.append(items[start:end])
        start = end
    return chunks


def _units(entries: list[TextEntry]) -> list[list[TextEntry]]:
    """Entries grouped so a sub-item never leaves its parent: each level-0 entry starts a unit."""
    units: list[list[TextEntry]] = []
    for entry in entries:
        if entry.level == 0 or not units:
            units.append([entry])
        else:
            units[-1].append(entry)
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
            sentences[-1].append(Run(piece + (" " if index < len(pieces) - 1 else ""), run.bold, run.italic, run.code, run.strike, run.link))
    return [tuple(s) for s in sentences if s]


def _is_bold_only(runs: tuple[Run, ...]) -> bool:
    visible = [run for run in runs if run.text.strip()]
    return bool(visible) and all(run.bold for run in visible)


def _is_label_line(runs: tuple[Run, ...]) -> bool:
    """`**라벨**: 값` — a bold first run followed by a colon."""
    if len(runs) < 2 or not runs[0].bold:
        return False
    return runs[0].text.rstrip().endswith(":") or runs[1].text.lstrip().startswith(":")


_BULLETS = ("•", "◦", "▪")


def _list_marker(block: ListBlock, number: int, level: int, checked: bool | None) -> str:
    if checked is not None:
        return "☑" if checked else "☐"
    if block.ordered:
        return f"{number}."
    return _BULLETS[min(level, len(_BULLETS) - 1)]


def _pad(row: tuple, columns: int) -> tuple:
    return tuple(row) + ((),) * (columns - len(row))
