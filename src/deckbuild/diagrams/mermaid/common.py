"""Pieces every Mermaid parser needs: source lines without comments, label text, styles,
accessibility lines and a rule-table reader."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator

from ..model import MermaidError, Style

_BREAK = re.compile(r"<br\s*/?>", re.IGNORECASE)
_TAG = re.compile(r"</?(?:b|i|strong|em|u|sub|sup|small|span)\b[^>]*>", re.IGNORECASE)
_ENTITY = re.compile(r"#(\w+);")
_HEX = re.compile(r"^#?([0-9a-fA-F]{3}|[0-9a-fA-F]{6})$")
_NAMED_COLOURS = {
    "white": "ffffff", "black": "000000", "red": "ff0000", "green": "008000", "blue": "0000ff",
    "yellow": "ffff00", "orange": "ffa500", "gray": "808080", "grey": "808080", "purple": "800080",
    "pink": "ffc0cb", "lightblue": "add8e6", "lightgreen": "90ee90", "lightgray": "d3d3d3",
    "lightgrey": "d3d3d3", "transparent": None, "none": None,
}
# `accTitle: …` and `accDescr: …` lines, and the first line of an `accDescr { … }` block:
# every diagram type accepts them, and none draws them.
ACCESSIBILITY = re.compile(r"^acc(?:Title|Descr)\s*:.*$", re.IGNORECASE)
ACCESSIBILITY_BLOCK = re.compile(r"^accDescr\s*\{(?P<rest>.*)$", re.IGNORECASE)
# `direction LR` in the diagram types that allow it.
DIRECTION = re.compile(r"^direction\s+(?P<direction>TB|TD|BT|LR|RL)$", re.IGNORECASE)
_LIST_SEPARATOR = re.compile(r"\s*,\s*")


def source_lines(source: str) -> list[tuple[int, str]]:
    """(1-based line, stripped text) of meaningful lines: no blanks, `%%` comments,
    `%%{init}%%` directives or YAML front matter."""
    lines = source.splitlines()
    start = 0
    if lines and lines[0].strip() == "---":
        end = next((i for i in range(1, len(lines)) if lines[i].strip() == "---"), None)
        if end is None:
            raise MermaidError(1, "front matter opened with '---' is never closed")
        start = end + 1
    result = []
    for index in range(start, len(lines)):
        text = lines[index].strip()
        if not text or text.startswith("%%"):
            continue
        result.append((index + 1, text))
    return result


def clean_label(text: str) -> str:
    """Mermaid label text as a reader sees it: quotes removed, `<br/>` as newline, entities decoded."""
    text = text.strip()
    if len(text) >= 2 and text[0] == text[-1] and text[0] in "\"'`":
        text = text[1:-1]
    if text.startswith("`") and text.endswith("`"):  # markdown strings
        text = text[1:-1]
    text = _BREAK.sub("\n", text)
    text = _TAG.sub("", text)
    text = _ENTITY.sub(_entity, text)
    text = text.replace("\\n", "\n")
    return "\n".join(part.strip() for part in text.split("\n")).strip()


def _entity(match: re.Match) -> str:
    """Mermaid's `#quot;` / `#9829;` entities; unknown or impossible ones stay as written."""
    name = match.group(1)
    if name.isascii() and name.isdigit() and len(name) <= 7:
        code = int(name)
        return chr(code) if code <= 0x10FFFF and not 0xD800 <= code <= 0xDFFF else match.group(0)
    decoded = html.unescape(f"&{name};")
    return match.group(0) if decoded == f"&{name};" else decoded


def colour(value: str) -> str | None:
    """A CSS colour as 6-digit lower-case hex without '#', or None when unknown/transparent."""
    value = value.strip().lower()
    match = _HEX.match(value)
    if match:
        digits = match.group(1)
        return (digits if len(digits) == 6 else "".join(c * 2 for c in digits)).lower()
    return _NAMED_COLOURS.get(value)


def parse_style(properties: str) -> Style:
    """`fill:#f9f,stroke:#333,stroke-width:2px,color:#fff,stroke-dasharray: 5 5` → Style."""
    style = Style()
    for item in re.split(r"[,;](?![^()]*\))", properties):
        key, _, value = item.partition(":")
        key, value = key.strip().lower(), value.strip()
        if key == "fill":
            style.fill = colour(value)
        elif key == "stroke":
            style.stroke = colour(value)
        elif key == "color":
            style.color = colour(value)
        elif key == "stroke-width":
            number = re.match(r"\d+(?:\.\d+)?", value)
            style.stroke_width = float(number.group(0)) if number else None
        elif key == "stroke-dasharray":
            style.dashed = bool(value)
    return style


def quoted(text: str) -> str:
    """text in quotes for an error message, cut to a readable length."""
    return repr(text if len(text) <= 60 else text[:59] + "…")


def split_header(source: str, header: re.Pattern, name: str) -> tuple[int, re.Match, list[tuple[int, str]]]:
    """The header line's number and its match of header, and the meaningful lines after it."""
    lines = source_lines(source)
    if not lines:
        raise MermaidError(1, f"empty diagram: expected '{name}'")
    line, text = lines[0]
    match = header.match(text)
    if not match:
        raise MermaidError(line, f"expected '{name}', found {quoted(text)}")
    return line, match, lines[1:]


def body_lines(source: str, header: re.Pattern, name: str) -> list[tuple[int, str]]:
    """The meaningful lines after a diagram's header line, which must match header."""
    return split_header(source, header, name)[2]


def direction(match: re.Match) -> str:
    """The direction a DIRECTION line names, TD written as TB."""
    return match["direction"].upper().replace("TD", "TB")


def skip_accessibility(text: str, line: int, lines: Iterator[tuple[int, str]]) -> bool:
    """Whether text is an accessibility line; the rest of an `accDescr { … }` block it opens
    is read from lines, up to its `}`."""
    block = ACCESSIBILITY_BLOCK.match(text)
    if block is None:
        return ACCESSIBILITY.match(text) is not None
    if "}" not in block["rest"] and not any("}" in rest for _, rest in lines):
        raise MermaidError(line, "'accDescr {' is never closed with '}'")
    return True


def close_brace(text: str) -> tuple[str, bool, str]:
    """text up to its first `}`, whether there was one, and what follows it."""
    before, brace, after = text.partition("}")
    return before, bool(brace), after


class RuleParser:
    """A line-by-line reader: each line goes to the first rule whose pattern matches it.

    Accessibility lines are read past before any rule; a handler that reads a block
    takes the lines after its own from self.lines.
    """

    rules: tuple = ()
    lines: Iterator[tuple[int, str]] = iter(())

    def read_lines(self, lines: list[tuple[int, str]]) -> None:
        """Every line through statement(), in order."""
        self.lines = iter(lines)
        for line, text in self.lines:
            self.statement(line, text)

    def statement(self, line: int, text: str) -> None:
        """One line: read past when it is an accessibility line, else handled by its rule."""
        if skip_accessibility(text, line, self.lines):
            return
        for pattern, handle in self.rules:
            match = pattern.match(text)
            if match:
                handle(match, line)
                return
        raise MermaidError(line, f"cannot read {quoted(text)}")

    def block_lines(self, line: int, rest: str, what: str, split=close_brace) -> Iterator[tuple[int, str]]:
        """(line, text) of a `{ … }` block's content: rest, which follows the `{` on line, then the
        lines after it up to the `}`, which must end its line. what names the block when no `}` comes;
        split cuts a line at its closing `}`."""
        current, text = line, rest
        while True:
            content, closed, after = split(text)
            yield current, content
            if closed:
                if after.strip():
                    raise MermaidError(current, f"unexpected {quoted(after.strip())} after '}}'")
                return
            following = next(self.lines, None)
            if following is None:
                raise MermaidError(line, f"{what} is never closed with '}}'")
            current, text = following

    def ignore(self, match: re.Match, line: int) -> None:
        """A statement with nothing to draw."""


class StyleSheet:
    """A diagram's `classDef`, `class` (or `:::`) and `style` statements, settled into one
    Style per item once the whole source is read, as they may come before or after it."""

    def __init__(self) -> None:
        self.class_defs: dict[str, Style] = {}
        self.classes: dict[str, list[str]] = {}  # class names by item id, in order, each once
        self.styles: dict[str, Style] = {}  # an item's own `style` statements, merged in order

    def class_def(self, match: re.Match, line: int) -> None:
        """`classDef a,b fill:…` matched with groups names and properties (`default` styles every item)."""
        style = parse_style(match["properties"])
        for name in _LIST_SEPARATOR.split(match["names"]):
            self.class_defs[name] = style

    def add_class(self, item: str, name: str) -> None:
        """item uses the classDef name."""
        names = self.classes.setdefault(item, [])
        if name not in names:
            names.append(name)

    def add_style(self, item: str, properties: str) -> None:
        """`style item fill:…`: a style of item's own, over its classes."""
        self.styles[item] = self.styles.get(item, Style()).merged(parse_style(properties))

    def classes_of(self, item: str) -> list[str]:
        """item's class names, in the order first given."""
        return list(self.classes.get(item, ()))

    def style_for(self, item: str, default: bool = True) -> Style:
        """`classDef default` (unless default is False), then item's classes in order, then its own style."""
        style = self.class_defs.get("default", Style()) if default else Style()
        for name in self.classes.get(item, ()):
            style = style.merged(self.class_defs.get(name, Style()))
        return style.merged(self.styles.get(item, Style()))
