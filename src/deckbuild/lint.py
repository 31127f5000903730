"""Problems in a markdown file that a careful reviewer would point out.

Code fences that pair up wrongly (everything after swaps code and prose),
files without a title or content, duplicate headings, and links to files or
anchors that do not exist. Each finding is a Diagnostic at its line; nothing
here changes what gets built.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path
from urllib.parse import unquote, urlsplit

from .diagnostics import Diagnostic, Severity
from .document import Document, Heading, Paragraph, Table, iter_blocks, plain_text, read_document

_FENCE = re.compile(r"^( {0,3})(`{3,}|~{3,})(.*)$")


def fence_problems(text: str, path: Path) -> list[Diagnostic]:
    """Fences that do not pair up the way the author meant.

    Follows CommonMark's pairing: a fence with a language inside an open block
    is content, not a closer, so a ```` ```bash ```` written to close a block
    (or a stray bare fence) flips code and prose from there on."""
    problems = []
    opened: tuple[int, str] | None = None  # (line, fence) of the open block
    reported = False  # one report per block: what follows the first mismatch is already swapped
    for number, line in enumerate(text.splitlines(), start=1):
        match = _FENCE.match(line)
        if not match:
            continue
        fence, info = match.group(2), match.group(3).strip()
        if opened is None:
            if fence[0] == "`" and "`" in info:
                continue  # an inline code span, not a fence
            opened, reported = (number, fence), False
        elif fence[0] == opened[1][0] and len(fence) >= len(opened[1]):
            if not info:
                opened = None
            elif re.match(r"^[\w+-]+$", info) and not reported:
                reported = True
                problems.append(Diagnostic(
                    path, number, Severity.WARNING,
                    f"'{fence}{info}' inside the code block opened at line {opened[0]}: a closing fence takes no "
                    "language, so code and prose are swapped from here on",
                    "close the block with a bare fence; a block that shows fences needs a longer outer fence (````)"))
    if opened is not None:
        problems.append(Diagnostic(path, opened[0], Severity.WARNING,
                                   "this code block is never closed: the rest of the file is shown as code",
                                   "add the closing fence"))
    return problems


def structure_problems(document: Document) -> list[Diagnostic]:
    """A session without an H1 title or without any content, and duplicate headings."""
    path = document.path
    problems = []
    headings = [b for b in iter_blocks(document.blocks) if isinstance(b, Heading)]
    if not any(h.level == 1 for h in headings):
        problems.append(Diagnostic(path, 1, Severity.WARNING, f"no '# ' title: the deck is titled '{path.stem}'",
                                   "start the session with '# Session N: 제목'"))
    if not any(not (isinstance(b, Heading) and b.level == 1) for b in document.blocks):
        problems.append(Diagnostic(path, 1, Severity.WARNING, "empty session: nothing besides its title",
                                   "write the session, or remove it from the day"))
    first_seen: dict[tuple[int, str], int] = {}
    for heading in headings:
        key = (heading.level, heading.title)
        if key in first_seen and heading.title:
            problems.append(Diagnostic(path, heading.line, Severity.INFO,
                                       f"duplicate heading '{heading.title}' (also at line {first_seen[key]})",
                                       "its handout anchor gets a number suffix"))
        first_seen.setdefault(key, heading.line)
    return problems


def github_anchors(document: Document) -> set[str]:
    """The anchors GitHub gives the document's headings: lower case, punctuation and
    emoji dropped, spaces as hyphens, repeats numbered -1, -2, …"""
    anchors: set[str] = set()
    for heading in (b for b in iter_blocks(document.blocks) if isinstance(b, Heading)):
        base = "".join(
            "-" if char == " " else char
            for char in plain_text(heading.runs).strip().lower()
            if char in " -_" or unicodedata.category(char)[0] in "LNM"
        )
        anchor, number = base, 1
        while anchor in anchors:
            anchor, number = f"{base}-{number}", number + 1
        anchors.add(anchor)
    return anchors


def _links(document: Document):
    """(target, line) of every link in the document's text."""
    for block in iter_blocks(document.blocks):
        if isinstance(block, (Paragraph, Heading)):
            cells = [block.runs]
        elif isinstance(block, Table):
            cells = [cell for row in (block.header, *block.rows) for cell in row]
        else:
            continue
        for runs in cells:
            for target in dict.fromkeys(run.link for run in runs if run.link):
                yield target, block.line


def link_problems(document: Document, course_root: Path) -> list[Diagnostic]:
    """Relative links to files that do not exist, that leave the course, or to missing anchors."""
    problems = []
    anchors_of: dict[Path, set[str]] = {}
    for target, line in _links(document):
        parts = urlsplit(target)
        if parts.scheme or parts.netloc:
            continue  # web and mail links are not checked: builds are offline
        fragment = unquote(parts.fragment)
        linked = document.path if not parts.path else (document.path.parent / unquote(parts.path)).resolve()
        if parts.path and not linked.is_relative_to(course_root.resolve()):
            problems.append(Diagnostic(document.path, line, Severity.WARNING, f"link leaves the course folder: {unquote(target)}"))
            continue
        if not linked.exists():
            problems.append(Diagnostic(document.path, line, Severity.WARNING, f"link to a missing file: {unquote(target)}"))
            continue
        if fragment and linked.suffix.lower() == ".md":
            if linked not in anchors_of:
                anchors_of[linked] = github_anchors(document if linked == document.path else read_document(linked))
            if fragment.lower() not in anchors_of[linked]:
                problems.append(Diagnostic(document.path, line, Severity.WARNING,
                                           f"link to a missing heading: {unquote(target)}",
                                           "anchors are the heading text in lower case with spaces as hyphens"))
    return problems



def linked_files(document: Document, course_root: Path) -> list[Path]:
    """The course's own files (not markdown, not folders) the document's relative links point at:
    what a copy of the course must carry for its links to keep working."""
    files = []
    for target, _ in _links(document):
        parts = urlsplit(target)
        if parts.scheme or parts.netloc or not parts.path:
            continue
        linked = (document.path.parent / unquote(parts.path)).resolve()
        if (linked.suffix.lower() != ".md" and linked.is_file() and linked.is_relative_to(course_root.resolve())
                and linked not in files):
            files.append(linked)
    return files
