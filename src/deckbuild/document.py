"""Markdown → Document: the blocks of one file, each with the line it came from.

The markdown is read with markdown-it-py (CommonMark plus GFM tables and
strikethrough; no `$` math, because prices are written with `$`). Headings keep
their leading emoji and minutes apart from their title, mermaid fences become
Diagram blocks, and a small allow-list of raw HTML (`<div align="center">`,
`<br/>`, `<img>`, `<strong>`, …) is understood; any other tag stays visible text.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Union

from markdown_it import MarkdownIt
from markdown_it.tree import SyntaxTreeNode

from .diagnostics import Diagnostic, Severity


@dataclass(frozen=True)
class Run:
    """A stretch of inline text with one style. A text of "\\n" is a line break.

    `image` holds the source of an inline image (an icon inside a sentence);
    its text is then the image's alt text.
    """

    text: str
    bold: bool = False
    italic: bool = False
    code: bool = False
    strike: bool = False
    link: str | None = None
    image: str | None = None


LINE_BREAK = Run("\n")


def plain_text(runs: tuple[Run, ...]) -> str:
    """The text of runs as a reader sees it."""
    return "".join(run.text for run in runs)


@dataclass(frozen=True)
class Heading:
    """A heading with its decorations separated: `## 📖 2. 개념 (15분)`."""

    level: int
    title: str
    line: int
    emoji: str = ""
    minutes: int | None = None
    runs: tuple[Run, ...] = field(default=(), compare=False, repr=False)


@dataclass(frozen=True)
class Paragraph:
    """A paragraph of inline runs; centred when it sat in `<div align="center">`."""

    runs: tuple[Run, ...]
    line: int
    centered: bool = False


@dataclass(frozen=True)
class ListItem:
    """One list item: its blocks (paragraphs, nested lists, code) and task-list state."""

    blocks: tuple["Block", ...]
    line: int
    checked: bool | None = None


@dataclass(frozen=True)
class ListBlock:
    """A bullet or ordered list; ordered lists keep their start number."""

    items: tuple[ListItem, ...]
    line: int
    ordered: bool = False
    start: int = 1


@dataclass(frozen=True)
class Table:
    """A GFM table; each cell is a tuple of runs. aligns holds 'left'/'center'/'right'/None."""

    header: tuple[tuple[Run, ...], ...]
    rows: tuple[tuple[tuple[Run, ...], ...], ...]
    aligns: tuple[str | None, ...]
    line: int


@dataclass(frozen=True)
class CodeBlock:
    """Fenced or indented code with its language (empty when untagged)."""

    language: str
    text: str
    line: int


@dataclass(frozen=True)
class Diagram:
    """A mermaid block: its kind (`graph`, `sequenceDiagram`, …) and source.

    `line` is the line of the opening fence; the source starts on the next line.
    """

    kind: str
    source: str
    line: int


@dataclass(frozen=True)
class Image:
    """A standalone picture (markdown `![alt](src)` or HTML `<img>`); width and height, in
    points, ask for a size (Marp's `![w:300](x.png)`), else it is scaled to its box."""

    src: str
    alt: str
    line: int
    centered: bool = False
    width: float | None = None
    height: float | None = None


@dataclass(frozen=True)
class Quote:
    """A blockquote and the blocks inside it."""

    blocks: tuple["Block", ...]
    line: int


@dataclass(frozen=True)
class Rule:
    """A horizontal rule (`---`)."""

    line: int


@dataclass(frozen=True)
class Callout:
    """A `<div class="…">` box and the blocks inside it (Marp decks, styled by their CSS)."""

    classes: tuple[str, ...]
    blocks: tuple["Block", ...]
    line: int


Block = Union[Heading, Paragraph, ListBlock, Table, CodeBlock, Diagram, Image, Quote, Rule, Callout]


@dataclass(frozen=True)
class Document:
    """One markdown file as blocks, plus the problems found while reading it."""

    path: Path
    blocks: tuple[Block, ...]
    diagnostics: tuple[Diagnostic, ...] = field(default=(), compare=False)

    @property
    def title(self) -> str:
        """The first H1's title, or the file name when there is none."""
        for block in self.blocks:
            if isinstance(block, Heading) and block.level == 1:
                return block.title
        return self.path.stem

    def headings(self, level: int | None = None) -> list[Heading]:
        """Top-level headings, optionally of one level only."""
        return [b for b in self.blocks if isinstance(b, Heading) and (level is None or b.level == level)]

    def section(self, heading: Heading) -> tuple[Block, ...]:
        """The blocks under heading, up to the next heading of the same or a higher level."""
        start = self.blocks.index(heading) + 1
        end = start
        while end < len(self.blocks):
            block = self.blocks[end]
            if isinstance(block, Heading) and block.level <= heading.level:
                break
            end += 1
        return self.blocks[start:end]


def iter_blocks(blocks: tuple[Block, ...]):
    """Every block, depth first, including those inside lists and quotes."""
    for block in blocks:
        yield block
        if isinstance(block, ListBlock):
            for item in block.items:
                yield from iter_blocks(item.blocks)
        elif isinstance(block, (Quote, Callout)):
            yield from iter_blocks(block.blocks)


def block_text(block: Block) -> str:
    """The readable text of a block, lines joined with newlines (for notes and search)."""
    if isinstance(block, Heading):
        return block.title
    if isinstance(block, Paragraph):
        return plain_text(block.runs)
    if isinstance(block, ListBlock):
        lines = []
        for item in block.items:
            lines.extend(block_text(child) for child in item.blocks)
        return "\n".join(lines)
    if isinstance(block, Table):
        rows = (block.header, *block.rows)
        return "\n".join(" | ".join(plain_text(cell) for cell in row) for row in rows)
    if isinstance(block, (CodeBlock, Diagram)):
        return block.source if isinstance(block, Diagram) else block.text
    if isinstance(block, Image):
        return block.alt
    if isinstance(block, (Quote, Callout)):
        return "\n".join(block_text(child) for child in block.blocks)
    return ""


# --- headings -------------------------------------------------------------

_MINUTES_PATTERNS = (
    re.compile(r"\s*\((\d+)\s*분(?:\s*[-–—,:][^)]*)?\)\s*$"),  # (15분), (35분 - 실습)
    re.compile(r"\s+[-–—]\s*(\d+)\s*분\s*$"),  # "… (Why?) - 5분"
)
_EMOJI_JOINERS = {"\u200d", "\ufe0f", "\ufe0e", "\u20e3"}


def split_leading_emoji(text: str) -> tuple[str, str]:
    """Split '📖 핵심 개념' into ('📖', '핵심 개념'); text without emoji gives ('', text)."""
    end = 0
    for index, char in enumerate(text):
        if unicodedata.category(char) in ("So", "Sk") or char in _EMOJI_JOINERS:
            end = index + 1
        elif char.isspace() and end == index:
            continue
        else:
            break
    return text[:end].strip(), text[end:].strip()


def parse_heading_text(text: str) -> tuple[str, str, int | None]:
    """Heading text → (emoji, title, minutes)."""
    minutes = None
    for pattern in _MINUTES_PATTERNS:
        match = pattern.search(text)
        if match:
            minutes = int(match.group(1))
            text = text[: match.start()]
            break
    emoji, title = split_leading_emoji(text.strip())
    return emoji, title, minutes


# --- raw HTML ----------------------------------------------------------------

_VOID_TAGS = {"br", "img", "hr"}
_INLINE_STYLE_TAGS = {"strong": "bold", "b": "bold", "em": "italic", "i": "italic", "code": "code"}
_TRANSPARENT_TAGS = {"div", "p", "details", "summary", "sub", "sup", "span", "center"}


@dataclass
class _HtmlPiece:
    """One thing found in raw HTML: a tag event or a stretch of text."""

    kind: str  # "text", "start", "end"
    tag: str = ""
    attrs: dict[str, str] = field(default_factory=dict)
    text: str = ""


class _HtmlSplitter(HTMLParser):
    """Splits raw HTML into tag and text pieces, keeping unknown tags as text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.pieces: list[_HtmlPiece] = []

    def handle_starttag(self, tag, attrs):
        self.pieces.append(_HtmlPiece("start", tag, {k: v or "" for k, v in attrs}))
        if tag in _VOID_TAGS:
            self.pieces.append(_HtmlPiece("end", tag))

    def handle_startendtag(self, tag, attrs):
        self.pieces.append(_HtmlPiece("start", tag, {k: v or "" for k, v in attrs}))
        self.pieces.append(_HtmlPiece("end", tag))

    def handle_endtag(self, tag):
        if tag not in _VOID_TAGS:
            self.pieces.append(_HtmlPiece("end", tag))

    def handle_data(self, data):
        self.pieces.append(_HtmlPiece("text", text=data))

    def handle_comment(self, data):
        pass

    def unknown_decl(self, data):
        pass


def split_html(html: str) -> list[_HtmlPiece]:
    """Raw HTML as a list of pieces; tags outside the allow-list become literal text."""
    splitter = _HtmlSplitter()
    splitter.feed(html)
    splitter.close()
    pieces = []
    for piece in splitter.pieces:
        known = piece.tag in _VOID_TAGS or piece.tag in _INLINE_STYLE_TAGS or piece.tag in _TRANSPARENT_TAGS
        if piece.kind != "text" and not known:
            pieces.append(_HtmlPiece("text", text=_literal_tag(piece)))
        else:
            pieces.append(piece)
    return pieces


def _literal_tag(piece: _HtmlPiece) -> str:
    if piece.kind == "end":
        return f"</{piece.tag}>"
    attrs = "".join(f' {k}="{v}"' for k, v in piece.attrs.items())
    return f"<{piece.tag}{attrs}>"


# --- the reader --------------------------------------------------------------


def _markdown() -> MarkdownIt:
    return MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])


_PARSER = _markdown()


def markdown_tokens(text: str):
    """markdown-it's block tokens for text, parsed as documents are (each with its source lines in `map`)."""
    return _PARSER.parse(text)
_TASK_MARK = re.compile(r"^\[([ xX])\]\s+")


def fence_language(info: str) -> str:
    """The language a code fence's info string names (its first word, lower case): "mermaid", "bash", …"""
    words = info.split()
    return words[0].lower() if words else ""


def diagram_kind(source: str) -> str:
    """The diagram keyword of a mermaid source, skipping front matter, directives and comments."""
    lines = source.splitlines()
    index = 0
    if lines and lines[0].strip() == "---":
        index = next((i + 1 for i in range(1, len(lines)) if lines[i].strip() == "---"), len(lines))
    for line in lines[index:]:
        stripped = line.strip()
        if stripped and not stripped.startswith("%%"):
            return stripped.split()[0]
    return ""


class _Reader:
    """Walks markdown-it's syntax tree once and builds blocks."""

    def __init__(self) -> None:
        self.centered_depth = 0

    def line_of(self, node: SyntaxTreeNode) -> int:
        node_map = node.map or (0, 0)
        return node_map[0] + 1

    def read(self, nodes) -> tuple[Block, ...]:
        blocks: list[Block] = []
        for node in nodes:
            blocks.extend(self.read_node(node))
        return tuple(blocks)

    def read_node(self, node: SyntaxTreeNode) -> list[Block]:
        kind = node.type
        line = self.line_of(node)
        if kind == "heading":
            runs = self.inline_runs(node.children[0])
            emoji, title, minutes = parse_heading_text(plain_text(runs))
            return [Heading(int(node.tag[1]), title, line, emoji, minutes, runs)]
        if kind == "paragraph":
            return self.paragraph(node, line)
        if kind in ("bullet_list", "ordered_list"):
            return [self.list_block(node, line)]
        if kind in ("fence", "code_block"):
            return [self.code(node, line)]
        if kind == "table":
            return [self.table(node, line)]
        if kind == "blockquote":
            return [Quote(self.read(node.children), line)]
        if kind == "hr":
            return [Rule(line)]
        if kind == "html_block":
            return self.html_block(node.content, line)
        return []

    # paragraphs and inline text

    def paragraph(self, node: SyntaxTreeNode, line: int) -> list[Block]:
        if not node.children:
            return []
        label_lines = _label_lines(node.children[0].children)
        if label_lines:
            return [Paragraph(self.runs_of(part), line + offset, self.centered_depth > 0) for offset, part in label_lines]
        runs = self.inline_runs(node.children[0])
        images = [run for run in runs if run.image]
        if images and not plain_text(tuple(r for r in runs if not r.image)).strip():
            return [Image(run.image, run.text, line, self.centered_depth > 0) for run in images]
        if not plain_text(runs).strip():
            return []
        return [Paragraph(runs, line, self.centered_depth > 0)]

    def inline_runs(self, inline: SyntaxTreeNode) -> tuple[Run, ...]:
        return self.runs_of(inline.children)

    def runs_of(self, nodes) -> tuple[Run, ...]:
        runs: list[Run] = []
        self._collect(nodes, {}, runs)
        return tuple(_merge_runs(runs))

    def _collect(self, nodes, style: dict, runs: list[Run]) -> None:
        for node in nodes:
            kind = node.type
            if kind == "text":
                runs.append(Run(node.content, **style))
            elif kind == "softbreak":
                runs.append(Run(" ", **style))
            elif kind == "hardbreak":
                runs.append(LINE_BREAK)
            elif kind == "code_inline":
                runs.append(Run(node.content, **{**style, "code": True}))
            elif kind in ("strong", "em", "s"):
                flag = {"strong": "bold", "em": "italic", "s": "strike"}[kind]
                self._collect(node.children, {**style, flag: True}, runs)
            elif kind == "link":
                self._collect(node.children, {**style, "link": node.attrs.get("href", "")}, runs)
            elif kind == "image":
                alt = plain_text(tuple(_flatten_text(node)))
                runs.append(Run(alt, image=str(node.attrs.get("src", ""))))
            elif kind == "html_inline":
                self._inline_html(node.content, style, runs)

    def _inline_html(self, html: str, style: dict, runs: list[Run]) -> None:
        """Inline raw HTML arrives one tag at a time; `style` carries open tags onward."""
        for piece in split_html(html):
            if piece.kind == "text":
                runs.append(Run(piece.text, **style))
            elif piece.tag == "br" and piece.kind == "start":
                runs.append(LINE_BREAK)
            elif piece.tag == "img" and piece.kind == "start":
                runs.append(Run(piece.attrs.get("alt", ""), image=piece.attrs.get("src", "")))
            elif piece.tag in _INLINE_STYLE_TAGS:
                style[_INLINE_STYLE_TAGS[piece.tag]] = piece.kind == "start"
                if not style[_INLINE_STYLE_TAGS[piece.tag]]:
                    del style[_INLINE_STYLE_TAGS[piece.tag]]

    # lists

    def list_block(self, node: SyntaxTreeNode, line: int) -> ListBlock:
        items = []
        for item in node.children:
            blocks = list(self.read(item.children))
            checked = None
            if blocks and isinstance(blocks[0], Paragraph) and blocks[0].runs:
                first = blocks[0].runs[0]
                match = _TASK_MARK.match(first.text)
                if match and not first.code:
                    checked = match.group(1) != " "
                    rest = (Run(first.text[match.end():], first.bold, first.italic, first.code, first.strike, first.link),)
                    blocks[0] = Paragraph(rest + blocks[0].runs[1:], blocks[0].line, blocks[0].centered)
            items.append(ListItem(tuple(blocks), self.line_of(item), checked))
        start = int(node.attrs.get("start", 1)) if node.type == "ordered_list" else 1
        return ListBlock(tuple(items), line, node.type == "ordered_list", start)

    # code, diagrams, tables

    def code(self, node: SyntaxTreeNode, line: int) -> Block:
        language = fence_language(node.info or "") if node.type == "fence" else ""
        text = node.content.rstrip("\n")
        if language == "mermaid":
            return Diagram(diagram_kind(text), text, line)
        return CodeBlock(language, text, line)

    def table(self, node: SyntaxTreeNode, line: int) -> Table:
        header: tuple = ()
        rows: list[tuple] = []
        aligns: list[str | None] = []
        for section in node.children:
            for row in section.children:
                cells = []
                for cell in row.children:
                    runs = self.inline_runs(cell.children[0]) if cell.children else ()
                    cells.append(runs)
                    if section.type == "thead":
                        style = str(cell.attrs.get("style", ""))
                        aligns.append(style.split(":")[1] if style.startswith("text-align:") else None)
                if section.type == "thead":
                    header = tuple(cells)
                else:
                    rows.append(tuple(cells))
        return Table(header, tuple(rows), tuple(aligns), line)

    # raw HTML blocks

    def html_block(self, html: str, line: int) -> list[Block]:
        """Block-level raw HTML: centring divs open and close, images and text become blocks."""
        blocks: list[Block] = []
        runs: list[Run] = []
        style: dict = {}

        def flush() -> None:
            if plain_text(tuple(runs)).strip():
                blocks.append(Paragraph(tuple(_merge_runs(_strip_runs(runs))), line, self.centered_depth > 0))
            runs.clear()

        for piece in split_html(html):
            if piece.kind == "text":
                if piece.text.strip():
                    runs.append(Run(" ".join(piece.text.split()), **style))
            elif piece.tag == "div" and piece.kind == "start" and piece.attrs.get("align", "").lower() == "center":
                flush()
                self.centered_depth += 1
            elif piece.tag == "div" and piece.kind == "end":
                flush()
                self.centered_depth = max(0, self.centered_depth - 1)
            elif piece.tag == "img" and piece.kind == "start":
                flush()
                blocks.append(Image(piece.attrs.get("src", ""), piece.attrs.get("alt", ""), line, self.centered_depth > 0))
            elif piece.tag == "br" and piece.kind == "start":
                runs.append(LINE_BREAK)
            elif piece.tag in _INLINE_STYLE_TAGS:
                flag = _INLINE_STYLE_TAGS[piece.tag]
                if piece.kind == "start":
                    style[flag] = True
                else:
                    style.pop(flag, None)
            elif piece.tag in ("p", "summary", "details") and piece.kind == "end":
                flush()
        flush()
        return blocks


def _label_lines(nodes) -> list[tuple[int, list]]:
    """Split `**Key**: value` lines joined by soft breaks back into separate lines.

    Authors write info blocks as consecutive `**시간**: …` / `**방식**: …` lines and
    mean them as separate lines; CommonMark would join them into one. Returns
    (line offset, inline nodes) per line, or [] when the paragraph is not such a block.
    """
    parts: list[list] = [[]]
    for node in nodes:
        if node.type == "softbreak":
            parts.append([])
        elif not (node.type == "text" and not node.content):
            parts[-1].append(node)
    if len(parts) < 2 or not all(_starts_with_label(part) for part in parts):
        return []
    return list(enumerate(parts))


def _starts_with_label(nodes: list) -> bool:
    """Whether inline nodes begin with a bold label and a colon: `**라벨**: 값`."""
    if not nodes or nodes[0].type != "strong":
        return False
    label = "".join(child.content for child in nodes[0].children)
    after = nodes[1].content if len(nodes) > 1 and nodes[1].type == "text" else ""
    return label.rstrip().endswith(":") or after.lstrip().startswith(":")


def _flatten_text(node: SyntaxTreeNode):
    for child in node.children:
        if child.type in ("text", "code_inline"):
            yield Run(child.content)
        else:
            yield from _flatten_text(child)


def _strip_runs(runs: list[Run]) -> list[Run]:
    """Drop leading and trailing breaks and spaces of a run list."""
    while runs and not runs[0].text.strip() and not runs[0].image:
        runs = runs[1:]
    while runs and not runs[-1].text.strip() and not runs[-1].image:
        runs = runs[:-1]
    return runs


def _merge_runs(runs: list[Run]) -> list[Run]:
    """Join neighbouring runs of the same style, so writers emit fewer XML runs."""
    merged: list[Run] = []
    for run in runs:
        if not run.text and not run.image:  # a picture without alt text is decorative, not nothing
            continue
        previous = merged[-1] if merged else None
        same_style = (
            previous is not None
            and previous.text != "\n"
            and run.text != "\n"
            and not previous.image
            and not run.image
            and (previous.bold, previous.italic, previous.code, previous.strike, previous.link)
            == (run.bold, run.italic, run.code, run.strike, run.link)
        )
        if same_style:
            merged[-1] = Run(previous.text + run.text, run.bold, run.italic, run.code, run.strike, run.link)
        else:
            merged.append(run)
    return merged


# Four times the longest real session: beyond this a file is more likely a mistake
# (a log pasted in) than a lesson, and building all of it would take minutes.
MAX_LINES = 5_000


def clean_text(text: str) -> str:
    """Text without a byte-order mark, with `\n` line ends."""
    return text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")


def read_nodes(text: str) -> list[tuple[SyntaxTreeNode, tuple[Block, ...]]]:
    """Each top-level node of markdown text with the blocks it reads as (lines counted in text),
    for readers of markdown dialects that give some nodes a meaning of their own (Marp's comments
    and slide rules)."""
    reader = _Reader()
    return [(node, tuple(reader.read_node(node))) for node in SyntaxTreeNode(_PARSER.parse(text)).children]


def parse_markdown(text: str, path: Path) -> Document:
    """Parse markdown text from `path` into a Document (only its first MAX_LINES lines)."""
    text = clean_text(text)
    diagnostics: tuple[Diagnostic, ...] = ()
    lines = text.split("\n")
    if len(lines) > MAX_LINES + 1:
        text = "\n".join(lines[:MAX_LINES])
        diagnostics = (Diagnostic(path, MAX_LINES + 1, Severity.WARNING,
                                  f"{len(lines):,} lines: only the first {MAX_LINES:,} are built",
                                  "split the session into several files"),)
    tokens = _PARSER.parse(text)
    reader = _Reader()
    blocks = reader.read(SyntaxTreeNode(tokens).children)
    return Document(path, blocks, diagnostics)


def read_document(path: Path) -> Document:
    """Read and parse a markdown file; unreadable files give an empty Document with an error.

    A parsed file is kept in the process while its bytes are unchanged: a build scans every
    session before forking its workers, and the deck and slide PDF tasks read it again."""
    try:
        data = path.read_bytes()
    except OSError as error:
        problem = Diagnostic(path, 0, Severity.ERROR, f"cannot read: {error.strerror}")
        return Document(path, (), (problem,))
    kept = _kept_documents.get(path)
    if kept is not None and kept[0] == data:
        return kept[1]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        problem = Diagnostic(path, 0, Severity.ERROR, f"not UTF-8 (byte {error.start}); file skipped")
        return Document(path, (), (problem,))
    document = parse_markdown(text, path)
    keep_document(path, data, document)
    return document


def kept_document(path: Path) -> tuple[bytes, Document] | None:
    """The bytes and Document of path as this process last parsed them, if it did."""
    return _kept_documents.get(path)


def keep_document(path: Path, data: bytes, document: Document) -> None:
    """Keep document, parsed from data (path's bytes), for the next read_document of path in this
    process (and in processes forked from it)."""
    if len(_kept_documents) >= KEPT_DOCUMENTS:
        _kept_documents.clear()
    _kept_documents[path] = (data, document)


KEPT_DOCUMENTS = 2_000  # parsed files a process keeps (a course's sessions and READMEs)
_kept_documents: dict[Path, tuple[bytes, Document]] = {}
