"""Facts a day README states: session titles, per-session topics, the assignment, goals, keywords.

Real READMEs vary in wording (see the corpus census), so each fact is found by
what it looks like rather than by one fixed heading: a link to a session file
names that session, a list item `**Session N**: "…"` under a 토론 heading is its
topic, a 과제 section with `A4 N페이지` is the assignment.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from .diagnostics import Diagnostic, Severity
from .document import Block, Document, Heading, ListBlock, Paragraph, Run, Table, iter_blocks, plain_text

SESSION_FILE = re.compile(r"^session_?0*(\d+)\.md$", re.IGNORECASE)
_SESSION_PREFIX = re.compile(r"^.*?Session\s*\d+\s*(?:\([^)]*\))?\s*[:：]\s*", re.IGNORECASE)
_TOPIC_ITEM = re.compile(r"^\s*Session\s*(\d+)\s*[:：]\s*(.+?)\s*$", re.IGNORECASE | re.DOTALL)
_PAGE_REQUIREMENT = re.compile(r"A4\s*\d+\s*(?:페이지|쪽|pages?)", re.IGNORECASE)
_QUOTES = "\"'“”‘’「」"


@dataclass(frozen=True)
class Assignment:
    """The day's written assignment: the lead-in, topics to choose from, and page requirement."""

    title: str
    lead_in: str
    topics: tuple[str, ...]
    pages: str
    line: int


@dataclass(frozen=True)
class DayReadme:
    """What a day README tells about its day."""

    path: Path
    title: str
    session_titles: dict[int, str]
    topics: dict[int, str]
    assignment: Assignment | None
    goals: tuple[str, ...]
    keywords: tuple[str, ...]


def unquote(text: str) -> str:
    """Strip one pair of surrounding quotes and whitespace."""
    text = text.strip()
    if len(text) >= 2 and text[0] in _QUOTES and text[-1] in _QUOTES:
        return text[1:-1].strip()
    return text


def _runs_of(block: Block):
    """Every inline run list directly held by a block (paragraph, heading, table cells)."""
    if isinstance(block, (Paragraph, Heading)):
        yield block.runs
    elif isinstance(block, Table):
        for row in (block.header, *block.rows):
            yield from row


def _session_titles(document: Document) -> dict[int, str]:
    titles: dict[int, str] = {}
    for block in iter_blocks(document.blocks):
        for runs in _runs_of(block):
            for run in runs:
                match = SESSION_FILE.match(Path((run.link or "").split("#")[0]).name)
                if match and run.text.strip():
                    number = int(match.group(1))
                    titles.setdefault(number, _SESSION_PREFIX.sub("", run.text).strip() or run.text.strip())
    return titles


def _list_items(blocks: tuple[Block, ...]) -> list[str]:
    """Text of every list item directly in blocks (nested items included, in order)."""
    items = []
    for block in blocks:
        if isinstance(block, ListBlock):
            for item in block.items:
                first, *rest = item.blocks or (None,)
                if isinstance(first, Paragraph):
                    items.append(plain_text(first.runs).strip())
                items.extend(_list_items(tuple(rest)))
    return items


def _sections_where(document: Document, words: tuple[str, ...]) -> list[tuple[Heading, tuple[Block, ...]]]:
    return [(h, document.section(h)) for h in document.headings() if any(w in h.title for w in words)]


def _topics(document: Document) -> dict[int, str]:
    topics: dict[int, str] = {}
    for _, blocks in _sections_where(document, ("토론", "Discussion", "discussion")):
        for item in _list_items(blocks):
            match = _TOPIC_ITEM.match(item)
            if match:
                topics.setdefault(int(match.group(1)), unquote(match.group(2)))
    return topics


def _assignment(document: Document) -> Assignment | None:
    for heading, blocks in _sections_where(document, ("과제", "Assignment", "assignment")):
        text = "\n".join(plain_text(b.runs) for b in blocks if isinstance(b, Paragraph))
        topics = tuple(unquote(t) for t in _list_items(blocks))
        requirement = _PAGE_REQUIREMENT.search(text + "\n" + "\n".join(topics))
        if requirement or "이론 과제" in heading.title:
            lead_in = next((plain_text(b.runs).strip() for b in blocks if isinstance(b, Paragraph)), "")
            pages = " ".join(requirement.group(0).split()) if requirement else ""
            return Assignment(heading.title, lead_in, topics, pages, heading.line)
    return None


def read_day_readme(document: Document) -> DayReadme:
    """Extract the day facts from a parsed day README."""
    goals = [item for _, blocks in _sections_where(document, ("목표", "Goals", "goals")) for item in _list_items(blocks)]
    keywords = [item for _, blocks in _sections_where(document, ("키워드", "Keywords", "keywords")) for item in _list_items(blocks)]
    return DayReadme(
        path=document.path,
        title=document.title,
        session_titles=_session_titles(document),
        topics=_topics(document),
        assignment=_assignment(document),
        goals=tuple(goals),
        keywords=tuple(keywords),
    )


def readme_record(readme: DayReadme) -> dict:
    """A DayReadme as JSON-ready data (for the scan cache: a build reads a day README again only
    when it changed)."""
    assignment = readme.assignment
    return {"title": readme.title, "session_titles": list(readme.session_titles.items()),
            "topics": list(readme.topics.items()), "goals": list(readme.goals), "keywords": list(readme.keywords),
            "assignment": None if assignment is None else [assignment.title, assignment.lead_in,
                                                            list(assignment.topics), assignment.pages, assignment.line]}


def readme_from_record(path: Path, record: dict) -> DayReadme:
    """The inverse of readme_record, for the README at path."""
    assignment = record["assignment"]
    return DayReadme(
        path=path,
        title=record["title"],
        session_titles={number: title for number, title in record["session_titles"]},
        topics={number: topic for number, topic in record["topics"]},
        assignment=None if assignment is None else Assignment(assignment[0], assignment[1], tuple(assignment[2]),
                                                              assignment[3], assignment[4]),
        goals=tuple(record["goals"]),
        keywords=tuple(record["keywords"]),
    )


__all__ = ["Assignment", "DayReadme", "SESSION_FILE", "read_day_readme", "readme_from_record", "readme_record",
           "unquote", "Run"]


def topic_problems(readme: DayReadme, session_numbers: list[int]) -> list[Diagnostic]:
    """A note when sessions have no discussion topic in the README: their discussion slide
    then shows the session's own questions, or a general prompt."""
    missing = [n for n in session_numbers if n not in readme.topics]
    if not missing:
        return []
    if not readme.topics:
        message = "no per-session discussion topics ('Session별 토론 주제')"
    else:
        message = f"no discussion topic for session {', '.join(str(n) for n in missing)}"
    hint = "the discussion slide shows the session's own questions or a general prompt instead"
    return [Diagnostic(readme.path, 1, Severity.INFO, message, hint)]
