"""Document → DeckPlan: the slides of one session, composed and fitted before writing.

The deck is a title slide, an agenda, the sections' slides and the discussion
slides, last. Every H2 and H3 starts a section; consecutive short H3 sections
under one H2 share a slide, each keeping its sub-heading. The composer
(compose.py) places each section's text and visuals on named layouts; frames
are fitted with real font metrics (frames.py), and what does not fit continues
on `(계속)` slides. Speaker notes carry each section's headings, minutes and
full text. The writer only places what the plan says.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Union

from . import i18n
from .compose import Composer, ContentSlide
from .course import Day, Session
from .diagnostics import Diagnostic
from .diagrams.cache import SceneCache
from .discussion import SessionDiscussion, find_discussion
from .document import Block, CodeBlock, Diagram, Document, Heading, Image, Run, Table, block_text
from .frames import INSET, FrameFitter, TextEntry, TextFrame, is_stray, ladder
from .layouts import FOOTER_SIZE, Box, SlideLayouts
from .measure import Measurer, Span
from .template import DeckTemplate
from .theme import Theme

VISUAL_BLOCKS = (CodeBlock, Diagram, Table, Image)


@dataclass(frozen=True)
class TitleSlide:
    title: str
    subtitle: str
    notes: str
    layout: str = "title"


Slide = Union[TitleSlide, ContentSlide]


@dataclass(frozen=True)
class DeckPlan:
    """Everything the deck writer needs: slides in order, the layouts' boxes, the language."""

    title: str
    language: str
    slides: tuple[Slide, ...]
    layouts: SlideLayouts
    title_sizes: tuple[float, ...]
    footer: str = ""  # the text in every slide's footer but the title slide's ("" for none)
    numbers: bool = True  # slide numbers on every slide but the title slide
    diagnostics: tuple[Diagnostic, ...] = field(default=(), compare=False)


@dataclass
class _Section:
    heading: Heading | None
    parents: list[Heading]
    blocks: list[Block]


class Planner:
    """Plans one session's deck; holds the theme, metrics and slide layouts."""

    def __init__(self, theme: Theme, language: str, scenes: SceneCache | None = None, course_root: Path | None = None,
                 template: DeckTemplate | None = None, layouts: SlideLayouts | None = None) -> None:
        self.theme = theme
        self.language = language
        body_font = template.measured_font if template and template.measured_font else theme.fonts.metrics_body
        self.measure = Measurer(body_font, theme.fonts.metrics_mono)
        self.layouts = layouts or (template.layouts if template else SlideLayouts.from_geometry(theme.slide))
        self.fitter = FrameFitter(theme, self.measure)
        self.diagnostics: list[Diagnostic] = []
        self.composer = Composer(theme, language, self.layouts, self.fitter, scenes or SceneCache(None, ""),
                                 course_root, self.diagnostics)

    def text(self, key: str, **values: object) -> str:
        return i18n.text(self.language, key, **values)

    # --- the deck -------------------------------------------------------

    def plan(self, document: Document, course_title: str, day: Day, session: Session, footer: str | None = None) -> DeckPlan:
        """The deck for one session; footer is the text under its slides (None: course · session)."""
        discussion = find_discussion(document)
        slides: list[Slide] = [self._title_slide(document, course_title, session)]
        slides.extend(self._agenda_slides(document))
        pending: list[Heading] = []
        for group in self._groups(_sections(document, discussion)):
            title, blocks, headings = self._merge(group, document)
            group_slides = self.composer.compose(title, blocks, document.path)
            if not group_slides:
                pending.extend(headings or group[0].parents[-1:])
                continue
            text = "\n".join(block_text(b) for s in group for b in s.blocks if not isinstance(b, (CodeBlock, Diagram)))
            first_notes = self._heading_notes([*pending, *headings]) + text
            later_notes = self._heading_notes(headings).strip()
            pending = []
            slides.extend(continued(group_slides, self.text("continued"), first_notes, later_notes))
        slides.extend(self._discussion_slides(day, session, discussion, pending, document.path))
        layouts = self.layouts
        title_sizes = tuple(
            self.title_size(s.title, layouts.cover_title_box if isinstance(s, TitleSlide) else layouts.title_box) for s in slides
        )
        if footer is None:
            footer = " · ".join(part for part in (course_title, document.title) if part)
        footer = self.fitted_line(footer, layouts.footer_box)
        return DeckPlan(
            document.title, self.language, tuple(slides), layouts, title_sizes,
            footer if self.theme.footer.footer else "", self.theme.footer.numbers, tuple(self.diagnostics),
        )

    def fitted_line(self, text: str, box: Box) -> str:
        """Footer-sized text cut with `…` to the one line box holds."""
        width = box.width - 2 * INSET
        if self.measure.width(text, FOOTER_SIZE) <= width:
            return text
        while text and self.measure.width(text + "…", FOOTER_SIZE) > width:
            text = text[:-1]
        return text.rstrip() + "…"

    def title_size(self, title: str, box: Box) -> float:
        """The largest title size (down to the body minimum) at which the title fits its box."""
        sizes = ladder(self.theme.sizes.title, self.theme.sizes.min_body)
        for size in sizes:
            lines = self.measure.wrap([Span(title, bold=True)], box.width - 2 * INSET, size)
            if len(lines) * self.measure.line_height(size) <= box.height - 2 * INSET:
                return size
        return sizes[-1]

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
        pages = self.fitter.text_pages(entries, self.layouts.content_box)
        slides = [ContentSlide(self.text("agenda"), "agenda", (page,)) for page in pages]
        return continued(slides, self.text("continued"), "", "")

    def _heading_notes(self, headings: list[Heading]) -> str:
        lines = []
        for heading in headings:
            line = heading.title
            if heading.minutes:
                line += " — " + self.text("notes_minutes", n=heading.minutes)
            lines.append(line)
        return "\n".join(lines) + ("\n\n" if lines else "")

    # --- sections sharing slides ------------------------------------------------

    def _groups(self, sections: list[_Section]) -> list[list[_Section]]:
        """Sections in runs that share slides: a short untitled preamble joins the first section, a
        short text-only section takes the next H3 of the same H2 with it, and text-only H3 sections
        that fit one slide together share it."""
        groups: list[list[_Section]] = []
        for section in sections:
            if groups and self._joins(groups[-1], section):
                groups[-1].append(section)
            else:
                groups.append([section])
        return groups

    def _joins(self, group: list[_Section], section: _Section) -> bool:
        """Whether section shares slides with group (text only): a short untitled preamble or a short
        intro takes the next section (an intro only the next H3 of its H2); H3 sections of one H2
        share a slide when both fit it; and any two neighbours do, rather than leave a stray line."""
        if not any(s.blocks for s in group) or not section.blocks or _has_visual(group):
            return False
        entries = self._group_entries(group)
        box = self.layouts.content_box
        preamble = len(group) == 1 and group[0].heading is None
        chapter = _chapter(section)
        same_chapter = section.heading is not None and section.heading.level == 3 and chapter is not None
        same_chapter = same_chapter and chapter == _chapter(group[0])
        if (preamble or same_chapter) and self.fitter.text_height(entries, self.fitter.body_ladder[0], box.width) <= 0.3 * box.height:
            return True
        if preamble or _has_visual([section]):
            return False
        own = self._group_entries([section], with_heading=True)
        fits = self.fitter.text_size(entries + own, box, self.fitter.body_ladder[:2]) is not None
        return fits and (same_chapter or is_stray(entries) or is_stray(own[1:]))

    def _group_entries(self, group: list[_Section], with_heading: bool = False) -> list[TextEntry]:
        _, blocks, _ = self._merge(group, None, with_heading)
        return [e for b in blocks for e in self.composer.entries(b, 0)]

    def _merge(self, group: list[_Section], document: Document | None, first_heading: bool = False) -> tuple[str, list[Block], list[Heading]]:
        """A group's title, its blocks and its headings. Sections of one H2 sharing slides take the
        H2's title; sections of several take their titles joined with ` · `. Every heading not in the
        title becomes a sub-heading (the first one too when first_heading)."""
        first = group[0]
        headings = [s.heading for s in group if s.heading is not None]
        chapters = list(dict.fromkeys(c for s in group if (c := _chapter(s) or s.heading) is not None))
        title_heading = first.heading if len(group) == 1 else chapters[0] if len(chapters) == 1 else None
        blocks: list[Block] = []
        for section in group:
            if section.heading is not None and (first_heading or section.heading != title_heading):
                blocks.append(section.heading)
            blocks.extend(section.blocks)
        if title_heading is not None:
            title = title_heading.title
        elif len(chapters) > 1:
            title = " · ".join(c.title for c in chapters)
        else:
            title = document.title if document else ""
        return title, blocks, headings

    # --- discussion -------------------------------------------------------

    def _discussion_slides(
        self, day: Day, session: Session, discussion: SessionDiscussion | None, pending: list[Heading], source: Path
    ) -> list[Slide]:
        """The README topic above the session's whole discussion section (questions and guide with
        their minutes, code and pictures composed like any section), on as many slides as it takes;
        every one keeps the topic in view."""
        readme_topic = day.readme.topics.get(session.number) if day.readme else None
        head: list[TextEntry] = []
        if readme_topic:
            head.append(TextEntry((Run(self.text("readme_topic"), bold=True),), role="subheading"))
            head.append(TextEntry((Run(readme_topic),), marker="•"))
        blocks = list(discussion.blocks) if discussion else []
        if not head and not blocks:
            head.append(TextEntry((Run(self.text("general_prompt")),), marker="•"))
        title = self.text("discussion_title")
        if discussion and discussion.minutes:
            title += f" ({self.text('minutes', n=discussion.minutes)})"
        notes = self._heading_notes(pending)
        if not readme_topic:
            notes += self.text("no_readme_topic" if discussion and discussion.questions else "no_topic_at_all") + "\n"
        if discussion:
            notes += self._heading_notes([discussion.heading])
            notes += "\n".join(block_text(b) for b in discussion.blocks)
        box = self.layouts.content_box
        if not blocks:
            pages = [(page,) for page in self.fitter.text_pages(head, box)]
        elif not head:
            pages = [s.frames for s in self.composer.compose(title, blocks, source)]
        else:
            size = self.fitter.body_ladder[min(1, len(self.fitter.body_ladder) - 1)]
            height = self.fitter.text_height(head, size, box.width)
            head_frame = TextFrame(replace(box, height=height), tuple(head), size)
            below = replace(box, y=box.y + height, height=box.height - height)
            pages = [(head_frame, *s.frames) for s in self.composer.within(below).compose(title, blocks, source)]
        slides = [ContentSlide(title, "discussion", page) for page in pages]
        return continued(slides, self.text("continued"), notes, "")


# --- helpers --------------------------------------------------------------


def _sections(document: Document, discussion: SessionDiscussion | None) -> list[_Section]:
    """Cut the document at H2 and H3 headings; the discussion section is left out (it has its own slides)."""
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


def _has_visual(sections: list[_Section]) -> bool:
    return any(isinstance(b, VISUAL_BLOCKS) for s in sections for b in s.blocks)


def _chapter(section: _Section) -> Heading | None:
    """The H2 a section belongs to (itself when it is one)."""
    return next((p for p in section.parents if p.level == 2), None)


def continued(slides: list[ContentSlide], word: str, first_notes: str, later_notes: str) -> list[ContentSlide]:
    """Every slide after the first is titled `제목 (계속)`; the first gets first_notes, the rest later_notes."""
    return [
        replace(slide, title=slide.title if i == 0 else f"{slide.title} ({word})", notes=first_notes if i == 0 else later_notes)
        for i, slide in enumerate(slides)
    ]
